"""The course content as data (npkit/course/data/): every file loads with every pinpoint found
in the seeds, and a broken file is refused with an error naming the file, the entry and the
field (the loaders are fed bad YAML in tmp_path)."""

import copy

import pytest
import yaml

from npkit.course.training import quiz
from npkit.course.training.content import DATA, ContentError
from npkit.course.training.questions_data import (
    generated_specs,
    load_checklist,
    load_generated,
    load_prompts,
    load_quiz,
)
from npkit.law.citations import Confidence
from npkit.law.duress import CONDITIONS
from npkit.law.jurisdiction_data import jurisdictions

# The schema of quiz/*.yaml exactly as the brief gives it (helper "lessons" writes to it).
GOOD = {
    "id": "plea-pressure", "module": 6,
    "prompt": "Why might a recognised victim still accept a guilty plea?",
    "choices": [{"label": "a shorter sentence is offered", "value": "a"},
                {"label": "the law obliges it", "value": "b"}],
    "answer": "a",
    "why": "A plea offer can weigh on someone who fears a long trial.",
    "cite": [{"source": "fitzgerald2024", "pinpoint": "IV.D", "confidence": "verified",
              "authority": "a report the article discusses"}],
}


def write(folder, name, entries):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    return path


def refused(folder, **kw) -> str:
    with pytest.raises(ContentError) as err:
        load_quiz(folder, **kw)
    return str(err.value)


def changed(**fields):
    entry = copy.deepcopy(GOOD)
    for key, value in fields.items():
        if value is None:
            entry.pop(key)
        else:
            entry[key] = value
    return entry


def cite(**fields):
    return [{**GOOD["cite"][0], **fields}]


# -- npkit's own content ------------------------------------------------------------------------


def test_every_content_file_loads_with_its_pinpoints_found_in_the_seeds():
    # The loaders check each pinpoint against the seeds' known places (npkit.law.pinpoints,
    # whose lists tests/test_pinpoints.py compares with the seed texts).
    specs, stop = load_generated(DATA / "generated.yaml")
    taken = {s.id: "generated.yaml" for s in specs}
    questions = load_quiz(DATA / "quiz", taken=taken)
    prompts = load_prompts(DATA / "prompts.yaml")
    items = load_checklist(DATA / "checklist.yaml")
    assert len(specs) >= 20 and "{name}" in stop
    assert len(questions) >= 17 and len(prompts) >= 8
    assert tuple(i.condition for i in items) == CONDITIONS


def test_the_loaders_refuse_a_pinpoint_the_seed_does_not_have(tmp_path):
    write(tmp_path, "lessons.yaml", [changed(cite=cite(pinpoint="V.Q"))])
    assert "no section 'V.Q'" in refused(tmp_path)
    write(tmp_path, "lessons.yaml", [changed(cite=cite(source="asean_npp_study",
                                                   pinpoint="A heading the study lacks"))])
    assert "no heading" in refused(tmp_path)
    write(tmp_path, "lessons.yaml", [changed(cite=cite(pinpoint="V.B.1"))])
    assert load_quiz(tmp_path)[0].id == GOOD["id"]


def test_questions_keyed_by_the_data_follow_the_data():
    by_id = {q.id: q for q in quiz.conceptual()}
    rows = jurisdictions()
    without = [r.name for r in rows.values() if not r.has_provision]
    q = by_id["states-with-provision"]
    assert q.answer == str(sum(r.has_provision for r in rows.values()))
    assert all(name in q.why for name in without) and "{" not in q.why
    compulsion = next(r for r in rows.values() if r.model == "compulsion_strict")
    assert by_id["state-compulsion"].answer == compulsion.code
    assert by_id["state-compulsion"].why.startswith(compulsion.name)
    assert by_id["thai-police-share"].answer in by_id["thai-police-share"].why


def test_a_key_read_from_the_data_changes_with_the_data(monkeypatch):
    """No answer is typed: with the Philippines' row changed to compulsion (and Indonesia's to
    causation), the question's key and its why follow."""
    import npkit.law.jurisdiction_data as data
    from npkit.law import registry

    # the rule registry (cached for the process) is built from the real rows first: built
    # under the patch it would keep the changed rows for every later test
    registry.rules()
    rows = dict(jurisdictions())
    rows["PH"] = rows["PH"].model_copy(update={"model": "compulsion_strict"})
    rows["ID"] = rows["ID"].model_copy(update={"model": "causation", "has_provision": False})
    monkeypatch.setattr(data, "jurisdictions", lambda: rows)
    by_id = {q.id: q for q in quiz.conceptual()}
    assert by_id["state-compulsion"].answer == "PH"
    assert by_id["state-compulsion"].why.startswith("Philippines")
    assert by_id["states-with-provision"].answer == "6"
    assert "Indonesia" in by_id["states-with-provision"].why


# -- a broken file is refused, naming file, entry and field --------------------------------------


def test_the_schema_of_the_brief_is_accepted_with_its_marks(tmp_path):
    extra = {"source": "npkit", "pinpoint": "plea pressure read as compulsion",
             "confidence": "npkit_reading"}
    write(tmp_path, "lessons.yaml", [changed(cite=[*GOOD["cite"], extra])])
    (q,) = load_quiz(tmp_path)
    assert (q.id, q.answer) == ("plea-pressure", "a")
    assert q.answer_label == "a shorter sentence is offered"
    assert q.source.pinpoint == "IV.D" and q.source.authority == "a report the article discusses"
    assert q.caveats == (Confidence.NPKIT_READING,)  # the second citation's mark is shown too
    feedback = quiz.grade(q, "b")
    assert "npkit's reading" in feedback.rests_on
    assert [c.source for c in feedback.also] == ["npkit"]  # every citation reaches the page


@pytest.mark.parametrize(("entry", "field", "message"), [
    (changed(cite=None), "cite", "Field required"),
    (changed(cite=[]), "cite", "at least 1 item"),
    (changed(cite=cite(source="wikipedia")), "cite.0.source", "unknown source 'wikipedia'"),
    (changed(cite=cite(pinpoint="IX.Z")), "cite.0.pinpoint", "has no section 'IX.Z'"),
    (changed(cite=cite(source="asean_npp_study", pinpoint="Recommendation 99")),
     "cite.0.pinpoint", "has recommendations 1-26 only"),
    (changed(cite=cite(pinpoint="")), "cite.0.pinpoint", "needs a pinpoint"),
    (changed(cite=cite(source="npkit", pinpoint="x")), "cite.0", "always npkit_reading"),
    (changed(cite=cite(source="outside", authority="", confidence="outside_sources")),
     "cite.0", "needs an authority"),
    (changed(answer="c"), "answer", "'c' is not the value of one of the choices"),
    (changed(answer=None), "answer", "needs an answer"),
    (changed(choices=[{"label": "only", "value": "a"}]), "choices", "at least two choices"),
    (changed(module=7), "module", "less than or equal to 6"),
    (changed(id="Plea_Pressure"), "id", "should match pattern"),
    (changed(colour="red"), "colour", "Extra inputs are not permitted"),
    (changed(key_from={"lookup": "state_with_model", "model": "closed_list", "others": ["PH"]}),
     "choices", "leave choices out"),
    (changed(choices=None, answer=None, why="{name} and {nope}",
             key_from={"lookup": "state_with_model", "model": "closed_list", "others": ["PH"]}),
     "why", "unknown placeholder {nope}"),
    (changed(key_from={"lookup": "guess"}), "key_from", "does not match any of the expected"),
])
def test_a_broken_entry_is_refused_naming_file_entry_and_field(tmp_path, entry, field, message):
    first = GOOD | {"id": "first-one"}
    write(tmp_path, "lessons.yaml", [first, entry])
    error = refused(tmp_path)
    line = len(yaml.safe_dump([first], sort_keys=False).splitlines()) + 1  # the second entry's
    assert f"lessons.yaml, line {line}, " in error, error
    assert f"entry {entry.get('id')!r}, field {field}: " in error, error
    assert message in error, error


def test_a_duplicate_id_is_refused_in_one_file_across_files_and_against_generated(tmp_path):
    write(tmp_path, "a.yaml", [GOOD, changed(prompt="Again?")])
    assert "entry 'plea-pressure', field id: 'plea-pressure' is used already" in refused(tmp_path)
    write(tmp_path, "a.yaml", [GOOD])
    write(tmp_path, "b.yaml", [GOOD])
    error = refused(tmp_path)
    assert "b.yaml, line 1, entry 'plea-pressure', field id" in error and "a.yaml" in error
    (tmp_path / "b.yaml").unlink()
    taken = {s.id: "a generated question" for s in generated_specs()[0]}
    write(tmp_path, "a.yaml", [changed(id="stop-jane")])
    assert "'stop-jane' is used already (a generated question)" in refused(tmp_path, taken=taken)


def test_yes_and_no_must_be_quoted_and_bad_yaml_names_its_line(tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump([GOOD], sort_keys=False).replace(
        "value: a", "value: yes", 1), encoding="utf-8")
    assert "field choices.0.value: write yes / no in quotes" in refused(tmp_path)
    (tmp_path / "a.yaml").write_text("- id: x\n  prompt: [unclosed\n", encoding="utf-8")
    assert "a.yaml, line 3: not valid YAML" in refused(tmp_path)
    (tmp_path / "a.yaml").write_text("id: x\n", encoding="utf-8")
    assert "expected a list of entries" in refused(tmp_path)


def test_a_key_the_data_no_longer_gives_is_refused(tmp_path):
    write(tmp_path, "a.yaml", [changed(choices=None, answer=None, why="{name}.", key_from={
        "lookup": "state_with_model", "model": "no_such_model", "others": ["PH"]})])
    assert "entry 'plea-pressure', field key_from: 0 states use the model" in refused(tmp_path)
    write(tmp_path, "a.yaml", [changed(choices=None, answer=None, why="{figure}.", key_from={
        "lookup": "context_figure", "about": "Royal Thai Police", "options": ["10%"]})])
    assert "cite the figure's source first" in refused(tmp_path)


def test_broken_specs_prompts_and_checklist_are_refused(tmp_path):
    spec = {"id": "x", "module": 3, "case": "jane", "kind": "outcome",
            "target": "models.closedlist", "prompt": "Is {name} protected?"}
    path = write(tmp_path, "generated.yaml", {"stop_prompt": "Where, {name}?", "specs": [spec]})
    with pytest.raises(ContentError, match=r"entry 'x', field target: 'models.closedlist' is not"):
        load_generated(path)
    write(tmp_path, "generated.yaml", {"stop_prompt": "Where, {name}?",
                                       "specs": [spec | {"target": "", "kind": "stop",
                                                         "prompt": "{nam}?"}]})
    with pytest.raises(ContentError, match=r"field prompt: unknown placeholder \{nam\}"):
        load_generated(path)
    prompt = {"id": "agent", "module": 6, "title": "T", "question": "Q {name}?", "argument": "A"}
    path = write(tmp_path, "prompts.yaml", [prompt])
    with pytest.raises(ContentError, match=r"prompts.yaml, line 1, entry 'agent', field cite"):
        load_prompts(path)
    item = {"title": "T", "question": "Q?", "cite": GOOD["cite"]}
    path = write(tmp_path, "checklist.yaml", [item | {"condition": "imminent_threat"}])
    with pytest.raises(ContentError, match=r"no question for the condition\(s\) \['no_escape'"):
        load_checklist(path)
    write(tmp_path, "checklist.yaml", [item | {"condition": "bravery"}])
    with pytest.raises(ContentError, match=r"entry 'bravery', field condition: 'bravery' is not"):
        load_checklist(path)


# -- the modules' objectives (npkit/course/data/objectives.yaml) --------------------------------


def test_the_objectives_load_with_their_pinpoints_found_in_the_seeds():
    from npkit.course.training.modules import MODULES, load_objectives

    found = load_objectives(DATA / "objectives.yaml")
    assert sorted(found) == [m.number for m in MODULES]
    cited = [o for objectives in found.values() for o in objectives if o.cite]
    assert len(cited) >= 10
    assert any(Confidence.NPKIT_READING in o.marks for o in cited)  # module 5's Malaysian test


def test_broken_objectives_are_refused_naming_file_entry_and_field(tmp_path):
    from npkit.course.training.modules import MODULES, load_objectives

    good = [{"module": m.number, "objectives": [{"text": "Read the cases"}]} for m in MODULES]
    path = write(tmp_path, "objectives.yaml", good)
    assert load_objectives(path)[0][0].text == "Read the cases"
    bad = copy.deepcopy(good)
    bad[2]["objectives"].append({"text": "Apply R v LM", "cite": cite(pinpoint="IX.Z")})
    write(tmp_path, "objectives.yaml", bad)
    with pytest.raises(ContentError, match=r"objectives.yaml, line \d+, entry 2, field "
                                           r"objectives.1.cite.0.pinpoint: .*'IX.Z'"):
        load_objectives(path)
    write(tmp_path, "objectives.yaml", good[:-1] + [{"module": 99, "objectives": [
        {"text": "x"}]}])
    with pytest.raises(ContentError, match=r"no objectives for module\(s\) \[7\]; no module "
                                           r"numbered \[99\]"):
        load_objectives(path)
    write(tmp_path, "objectives.yaml", [good[0] | {"objectives": []}] + good[1:])
    with pytest.raises(ContentError, match=r"entry 0, field objectives: .*at least 1 item"):
        load_objectives(path)
