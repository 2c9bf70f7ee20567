"""The scenario lab's list of changes in the learner's language (issue 17):
npkit.casefile.scenario words each change as a template marked for the catalogue and its parts
(:class:`~npkit.casefile.scenario.Said`); npkit.render.words.said shows it. The English (what a
downloaded case file records) stays as it was (tests/test_scenario.py)."""

from __future__ import annotations

import pytest

from npkit import i18n
from npkit.casefile.library import get_case
from npkit.casefile.scenario import apply_edit, describe_changes, initial_scenario, said_changes
from npkit.render import words as rw


@pytest.fixture
def jane():
    return get_case("jane", lang="en")


@pytest.fixture
def thai():
    i18n.use("th")
    yield
    i18n.use(i18n.DEFAULT)


def _edited(case, *edits):
    s = initial_scenario(case)
    for name, value in edits:
        s = apply_edit(case, s, name, value)
    return s


# Jane's file: ordered by the traffickers, no informed consent, deception among the means, a
# second threat aimed at family far away, and major harm to property.
EDITS = (("quick.imminent_threat", True), ("quick.ordered", False),
         ("quick.informed_consent", True), ("means.deception", False),
         ("threat.1.target", "close_person"), ("offence.harm", "none"))


def test_every_kind_of_change_is_shown_in_thai(jane, thai):
    shown = [rw.said(c) for c in said_changes(jane, _edited(jane, *EDITS))]
    assert shown == [
        "เพิ่มแล้ว: ภยันตรายที่ใกล้จะถึงว่าจะเกิดอันตรายร้ายแรงต่อตัวบุคคลนั้นเอง",
        "ตอนนี้: ความยินยอมโดยรู้ข้อเท็จจริง",
        "ไม่ใช่อีกต่อไป: ผู้ค้ามนุษย์สั่งให้กระทำการนี้",
        "วิธีการที่นำออก: การหลอกลวง",
        "การข่มขู่ที่ 2 (มุ่งหมายต่อ): ครอบครัวที่อยู่ห่างไกล → บุคคลใกล้ชิด",
        "ข้อกล่าวหา (อันตรายที่เกิดขึ้น): ความผิดต่อทรัพย์ร้ายแรง → ไม่มี",
    ]


def test_the_english_is_what_the_file_records_whatever_the_page_language(jane, thai):
    s = _edited(jane, *EDITS)
    english = [
        "added: an imminent threat of serious harm aimed at them",
        "now: informed consent",
        "no longer: the traffickers ordered the act",
        "means removed: deception",
        "threat 2, aimed at: family far away → close person",
        "charge, harm caused: property major → none",
    ]
    assert describe_changes(jane, s) == english
    assert [str(c) for c in said_changes(jane, s)] == english
    i18n.use(i18n.DEFAULT)
    assert [rw.said(c) for c in said_changes(jane, s)] == english


def test_several_means_are_joined_in_the_language(jane, thai):
    s = _edited(jane, ("means", ["fraud"]))
    (said,) = said_changes(jane, s)
    assert str(said).startswith("means removed: deception, confiscated documents, ")
    assert rw.said(said).startswith("วิธีการที่นำออก: การหลอกลวง, ")


def test_a_translation_that_does_not_fit_its_fields_shows_the_english(jane, monkeypatch):
    (said,) = said_changes(jane, _edited(jane, ("offence.harm", "none")))
    monkeypatch.setattr(rw, "_", lambda text: "{nothing_like_it}")
    assert rw.said(said) == "charge, harm caused: property major → none"
