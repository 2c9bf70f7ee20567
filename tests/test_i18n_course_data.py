"""Thai course content (issue 17): every learner-visible text field of the course data has a
Thai overlay next to its English (a field without one is named, with its file), every
``{field}`` of a template is kept, and the Thai data loads and validates with the same ids,
values, answers and citations as the English."""

import re

import pytest
import yaml
from i18n_texts import LAW_DATA, TEXT_FIELDS, fields, load, missing, name, pairs

from npkit import i18n
from npkit.course.training import glossary as glossary_mod
from npkit.course.training import modules, questions_data
from npkit.course.training.content import DATA, ContentError
from npkit.course.training.questions_data import load_prompts
from npkit.law.jurisdiction_data import recommendations
from npkit.notes import notes

THAI = re.compile(r"[\u0e00-\u0e7f]")
FILES = sorted(TEXT_FIELDS, key=name)


@pytest.mark.parametrize("path", FILES, ids=name)
def test_every_text_field_has_a_thai_translation(path):
    assert not missing(path, "th"), "\n".join(missing(path, "th"))


@pytest.mark.parametrize("path", FILES, ids=name)
def test_every_translation_is_thai_and_keeps_each_field_of_its_template(path):
    found = list(pairs(load(path), "th"))
    assert found
    problems = [f"{name(path)}, field {where.lstrip('.')}: {fields(there)} where the English "
                f"has {fields(english)}" for where, english, there in found
                if fields(english) != fields(there)]
    problems += [f"{name(path)}, field {where.lstrip('.')}: no Thai in {there!r}"
                 for where, english, there in found
                 if not THAI.search(there) and there != english.upper()]
    assert not problems, "\n".join(problems)


def test_the_thai_data_validates_with_the_ids_values_answers_and_citations_of_the_english():
    en_q, th_q = (questions_data.load_quiz(DATA / "quiz", lang=lang) for lang in ("en", "th"))
    key = [(q.id, q.module, q.answer, tuple(v for _, v in q.choices), q.source) for q in en_q]
    assert key == [(q.id, q.module, q.answer, tuple(v for _, v in q.choices), q.source)
                   for q in th_q]
    assert all(THAI.search(q.prompt) and THAI.search(q.why) for q in th_q
               if q.why), "a question shows English in Thai"
    specs = {lang: questions_data.load_generated(DATA / "generated.yaml", lang=lang)
             for lang in ("en", "th")}
    assert [(s.id, s.case_id, s.kind, s.target, s.focus) for s in specs["en"][0]] == \
        [(s.id, s.case_id, s.kind, s.target, s.focus) for s in specs["th"][0]]
    assert THAI.search(specs["th"][1]) and "{name}" in specs["th"][1]
    en_p, th_p = (load_prompts(DATA / "prompts.yaml", lang=lang) for lang in ("en", "th"))
    assert [(p.id, p.source) for p in en_p] == [(p.id, p.source) for p in th_p]
    en_c, th_c = (questions_data.load_checklist(DATA / "checklist.yaml", lang=lang)
                  for lang in ("en", "th"))
    assert [(c.condition, c.yes_means) for c in en_c] == [(c.condition, c.yes_means)
                                                          for c in th_c]
    en_o, th_o = (modules.load_objectives(DATA / "objectives.yaml", lang=lang)
                  for lang in ("en", "th"))
    assert {m: [o.cite for o in v] for m, v in en_o.items()} == \
        {m: [o.cite for o in v] for m, v in th_o.items()}
    en_g, th_g = (glossary_mod.load_glossary(lang=lang) for lang in ("en", "th"))
    assert [(e.id, e.cite, e.see) for e in en_g] == [(e.id, e.cite, e.see) for e in th_g]
    en_n, th_n = notes("en"), notes("th")
    assert {k: n.cite for k, n in en_n.items()} == {k: n.cite for k, n in th_n.items()}
    assert all(THAI.search(n.text) for n in th_n.values())
    assert [k for k, n in en_n.items() if n.title] == [k for k, n in th_n.items() if n.title]
    en_r, th_r = recommendations("en"), recommendations("th")
    assert [(r.number, r.stage, r.citations) for r in en_r] == \
        [(r.number, r.stage, r.citations) for r in th_r]
    assert all(THAI.search(r.title) and THAI.search(r.text) for r in th_r)


def test_the_course_shows_the_current_language_and_keeps_one_copy_of_each():
    before = i18n.current()
    try:
        i18n.use("th")
        thai = (questions_data.prompts()[0].title, questions_data.checklist()[0].title,
                modules.objectives()[1][0].text, glossary_mod.glossary()[0].term,
                questions_data.quiz_entries()[0].value.prompt,
                questions_data.generated_specs()[1], notes()["open.sarah"].title)
        i18n.use("en")
        english = (questions_data.prompts()[0].title, questions_data.checklist()[0].title,
                   modules.objectives()[1][0].text, glossary_mod.glossary()[0].term,
                   questions_data.quiz_entries()[0].value.prompt,
                   questions_data.generated_specs()[1], notes()["open.sarah"].title)
    finally:
        i18n.use(before)
    assert all(THAI.search(t) for t in thai), thai
    assert not any(THAI.search(t) for t in english), english
    assert questions_data.prompts("th") is questions_data.prompts("th")


# -- the checks fail where they should ----------------------------------------------------------


def copy_of(tmp_path, path):
    out = tmp_path / path.name
    out.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return out


def test_a_field_without_thai_is_named_with_its_file(tmp_path):
    path = copy_of(tmp_path, DATA / "prompts.yaml")
    raw = load(path)
    del raw[2]["th"]["argument"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert missing(path, "th", TEXT_FIELDS[DATA / "prompts.yaml"]) == \
        [f"{name(path)}, field [2].argument: no th text"]


def test_a_translation_that_drops_a_field_of_its_template_is_found(tmp_path):
    raw = load(DATA / "generated.yaml")
    raw["specs"][0]["th"]["prompt"] = "เขาเป็นผู้เสียหายจากการค้ามนุษย์หรือไม่"
    where, english, there = next(p for p in pairs(raw, "th") if "specs[0]" in p[0])
    assert fields(english) == ["name"] and fields(there) == []


def test_a_thai_template_with_an_unknown_field_is_refused_naming_file_and_field(tmp_path):
    path = copy_of(tmp_path, DATA / "prompts.yaml")
    raw = load(path)
    raw[0]["th"]["question"] = "{ชื่อ} สามารถปฏิบัติตามกฎหมายได้หรือไม่"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_prompts(path, lang="th")
    assert "prompts.yaml" in str(err.value) and "entry 'agent', field question" in \
        str(err.value)
    assert load_prompts(path, lang="en")[0].question.startswith("Could {name}")


def test_a_thai_overlay_of_the_wrong_shape_is_refused_naming_file_line_entry_and_field(tmp_path):
    path = copy_of(tmp_path, DATA / "prompts.yaml")
    raw = load(path)
    raw[0]["th"]["discuss"] = ["หนึ่ง", "สอง"]
    raw[1]["th"]["answer"] = "ไม่มี"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_prompts(path, lang="th")
    lines = str(err.value).splitlines()
    assert lines[0].startswith(f"{path}, line 1, entry 'agent', field th.discuss: a list of 2")
    assert "entry 'choice', field th.answer: not a field of the English" in lines[1]


def test_a_thai_overlay_on_an_id_a_value_or_a_citation_is_refused_naming_its_place(tmp_path):
    path = copy_of(tmp_path, DATA / "prompts.yaml")
    raw = load(path)
    raw[0]["th"]["id"] = "ตัวแทน"
    raw[1]["th"]["cite"] = [{"pinpoint": "IV.A"}, *([None] * (len(raw[1]["cite"]) - 1))]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_prompts(path, lang="th")
    first, second = str(err.value).splitlines()
    assert first == (f"{path}, line 1, entry 'agent', field th.id: th: may only translate text "
                     "fields (argument, discuss, question, title), not 'id'")
    assert ", entry 'choice', field th.cite[0].pinpoint: th: may only translate" in second
    assert load_prompts(path, lang="en")[0].id == "agent"


def test_a_thai_overlay_in_a_mapping_file_is_refused_at_its_line(tmp_path):
    path = copy_of(tmp_path, DATA / "generated.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("th:\n  stop_prompt:", "th:\n  specs: []\n  stop_prompt:", 1),
                    encoding="utf-8")
    line = next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if s == "  specs: []")
    with pytest.raises(ContentError) as err:
        questions_data.load_generated(path, lang="th")
    assert str(err.value).startswith(f"{path}, line {line}, field th.specs: a list of 0 ")


def test_a_thai_overlay_on_a_note_citation_is_refused_naming_file_line_and_field():
    from npkit import notes as notes_mod

    text = (LAW_DATA / "notes.yaml").read_text(encoding="utf-8")
    bad = text.replace("  th:\n    text: เฉพาะความผิด",
                       "  th:\n    cite: [{pinpoint: IV.A}, null, null]\n    text: เฉพาะความผิด", 1)
    line = next(i for i, s in enumerate(bad.splitlines(), 1) if "cite: [{pinpoint: IV.A}" in s)
    with pytest.raises(ValueError) as err:
        notes_mod.parse(bad, "th")
    assert str(err.value) == (f"npkit/law/data/notes.yaml, line {line}, field "
                              "models.compulsion_strict.th.cite[0].pinpoint: th: may only "
                              "translate text fields (text, title), not 'pinpoint'")
    assert notes_mod.parse(bad, "en")["models.compulsion_strict"].cite == \
        notes("en")["models.compulsion_strict"].cite
