"""The notes the widgets show (npkit/law/data/notes.yaml): every one loads, cites a seed at a
pinpoint the seed really has, copies no sentence, and every note a widget asks for exists."""

import re

import pytest
from citation_checks import seed_folder, seed_texts
from pydantic import ValidationError

from npkit.course.widgets import asean, models_table
from npkit.law.citations import Confidence
from npkit.law.jurisdiction_data import instruments, jurisdictions
from npkit.law.models import MODELS
from npkit.law.pinpoints import pinpoint_problem
from npkit.notes import Note, note, notes
from npkit.render.marks import ANALOGUE_NOTE

RUN = 12  # words: no note may share a run this long with a seed text
SEED_SOURCES = {"fitzgerald2024", "asean_npp_study", "alsa2025"}


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    folder = seed_folder()
    if folder is None:
        pytest.skip("seed folder not present")
    out = seed_texts(folder)
    assert set(out) == SEED_SOURCES
    return out


def test_every_note_loads_and_cites_a_seed():
    assert notes()
    for note_id, n in notes().items():
        assert n.text.strip(), note_id
        assert any(c.source in SEED_SOURCES for c in n.cite), f"{note_id}: no seed source"


def test_every_note_a_widget_uses_exists():
    wanted = {models_table.MODEL_NOTE.format(m) for m in MODELS}
    wanted |= set(models_table.DISCUSSION_NOTES) | {ANALOGUE_NOTE}
    wanted |= {models_table.CONTRAST_NOTE, models_table.CATEGORIES_NOTE, asean.VERIFY_NOTE}
    rows = {**jurisdictions(), **instruments()}
    wanted |= {f"discretion.{r.discretion}" for r in rows.values() if r.discretion != "none"}
    assert wanted <= set(notes()), sorted(wanted - set(notes()))
    for key, row in rows.items():
        if row.discretion != "none":
            text, source = asean.why_discretionary(key, row)
            assert text and source, key


def test_a_row_note_overrides_the_discretion_type_note():
    row = instruments()["ilo_p29_4_2"]
    assert asean.why_note("ilo_p29_4_2", row) == note("discretion.row.ilo_p29_4_2")
    assert asean.why_note("other", row) == note(f"discretion.{row.discretion}")


def test_every_note_cites_a_place_its_seed_has():
    """The seeds' known places (npkit.law.pinpoints) are compared with the seed texts in
    tests/test_pinpoints.py; here every note's pinpoint must be one of them."""
    bad = {note_id: pinpoint_problem(c.source, c.pinpoint)
           for note_id, n in notes().items() for c in n.cite
           if pinpoint_problem(c.source, c.pinpoint)}
    assert not bad, bad


def _words(text):
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "").replace("'", ""))


def _runs(words):
    return {" ".join(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def test_no_note_copies_a_seed_sentence(seeds):
    seed_runs = set().union(*(_runs(_words(t)) for t in seeds.values()))
    copied = _runs(_words("In contrast, Thailand adopted a closed-list of offences, providing "
                          "that victims cannot be prosecuted for immigration-related offences"))
    assert copied & seed_runs  # the guard can fail
    for note_id, n in notes().items():
        shared = _runs(_words(f"{n.title} {n.text}")) & seed_runs
        assert not shared, f"{note_id} copies: {sorted(shared)[0]}"


def test_a_note_carries_the_caveats_of_its_citations():
    assert Confidence.NPKIT_READING in note("models.dual_factor").marks
    assert note("models.causation").marks == ()
    assert "npkit's reading" in note("models.dual_factor").source_text


def test_a_note_without_a_citation_or_with_a_wrong_mark_is_refused():
    with pytest.raises(ValidationError):
        Note.model_validate({"text": "a claim", "cite": []})
    with pytest.raises(ValidationError):  # npkit's reading is never "verified"
        Note.model_validate({"text": "a claim", "cite": [
            {"source": "npkit", "pinpoint": "x", "confidence": "verified"}]})
    with pytest.raises(ValidationError):
        Note.model_validate({"text": "a claim", "cite": [
            {"source": "nowhere", "pinpoint": "x", "confidence": "verified"}]})


def test_corrected_overstatements_stay_corrected():
    """Issue 11 §4: the Hague Court (not District Court); five states with lists, cited to the
    study; the presumption's content from the ASEAN study, not the abstract alone."""
    assert "Hague Court" in note("models.causation_direct").citations[0].authority
    assert "District" not in str(notes())
    closed = note("models.closed_list")
    assert any(c.source == "asean_npp_study" for c in closed.cite)
    presumption = note("models.presumption")
    assert {c.source for c in presumption.cite} >= {"alsa2025", "asean_npp_study"}
    assert "recommendation 19" in [c.pinpoint for c in presumption.cite]
