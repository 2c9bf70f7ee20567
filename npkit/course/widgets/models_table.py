"""Module 3: one case, every non-punishment model, side by side.

:class:`ModelsTable` shows a model x outcome x decisive reason x source table for one charge of
one case (the decisive reason is the one the engine names; the outcome carries the caveats it
rests on), each row opening (``<details>``) onto the full finding tree with every reason, its
citation and the citation's confidence mark; the duress variants sit beside the models for
contrast. :class:`OffenceCategories` is the cases x models matrix for Fitzgerald 2024 IV.C's
offence categories, and :class:`Discussion` the "the losses are too big to excuse" exercise.

Everything here only presents: outcomes and reasons come from :func:`npkit.assess` (and
:func:`npkit.render.frame.matrix`); every string from a case file is escaped; every callback
re-checks its input against the cases and charges it offers, and shows a readable message
instead of raising.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ipywidgets as w

from npkit.course.widgets.base import (
    CSS,
    badge,
    case_html,
    case_picker,
    esc,
    marks_html,
    outcome_html,
    words,
)
from npkit.engine.assessment import Assessment, assess
from npkit.engine.findings import Finding, Reason
from npkit.law import registry
from npkit.law.citations import SOURCES, Citation, Confidence
from npkit.law.vocabulary import OffenceCategory, describe
from npkit.notes import note
from npkit.render.marks import ANALOGUE_NOTE, international_analogue

# Extra style for this module; colour is never the only channel (every mark carries words).
EXTRA_CSS = """
<style>
.npk .npk-reading { display: inline-block; margin-left: .3em; padding: 0 .35em; font-size: .85em;
  font-weight: 600; border: 1px dashed #6b4a00; color: #6b4a00; background: #fffaf0;
  border-radius: .3em; white-space: nowrap; }
.npk .npk-conf { font-style: italic; }
.npk .npk-desc { display: block; font-size: .9em; color: #333; font-weight: normal; }
.npk .npk-sub { padding-left: 1.4em; }
.npk tr.npk-more > td { border-top: none; background: #fafafa; }
.npk tbody th[scope=rowgroup] { background: #e8e8e8; font-size: 1.05em; }
.npk .npk-summary { font-size: 1.1em; }
.npk .npk-wide { min-width: 18rem; }
.npk .npk-mid { min-width: 12rem; }
.npk .npk-nowrap { white-space: nowrap; }
.npk .npk-scroll { overflow-x: auto; max-width: 100%; }
</style>
"""

READING_TAG = '<span class="npk-reading">npkit\'s reading</span>'

# One line per model, in npkit's words, with its citations: npkit/law/data/notes.yaml
# ("models.<model>"). Presentation only: the tests themselves live in npkit/law/models/.
MODEL_NOTE = "models.{}"


def narrower(model: str) -> bool:
    """A reading of another model (``causation_temporal`` of ``causation``), indented under it."""
    return any(model.startswith(f"{other}_") for other in registry.names("models"))

# The four teaching cases of Fitzgerald 2024 IV.C's categories (status, purpose, secondary) and
# one that fits none of them (Mehak-like violence unrelated to the work).
CATEGORY_CASES = ("status_only", "jane", "guard_escape", "mehak_like")


# --- small presentation helpers, shared with module 4 ------------------------------------------

def cite_text(c: Citation) -> str:
    """A citation in words, without its confidence (shown separately)."""
    text = SOURCES[c.source].short
    if c.pinpoint:
        text += f", {c.pinpoint}"
    if c.authority:
        text += f"; discussing {c.authority}"
    return text


def confidence_html(conf: Confidence) -> str:
    """The confidence mark in words; the caveats (npkit's reading, law from outside npkit's
    sources) stand out as labelled tags."""
    if conf is Confidence.NPKIT_READING:
        return READING_TAG
    if conf.is_caveat:
        return f'<span class="npk-reading">{esc(conf.label)}</span>'
    return f'<span class="npk-conf">{esc(conf.label)}</span>'


def source_html(c: Citation) -> str:
    return (f'<span class="npk-source">{esc(cite_text(c))}</span> '
            f"<br>{confidence_html(c.confidence)}")


def reason_li(r: Reason) -> str:
    return (f"<li>{esc(r.text)} <span class='npk-source'>({esc(cite_text(r.source))}; "
            f"</span>{confidence_html(r.source.confidence)}<span class='npk-source'>)</span></li>")


def tree_html(node: Finding, *, open_depth: int = 0, _depth: int = 0) -> str:
    """A finding and its children as nested ``<details>``: each outcome with the caveats the
    engine says it rests on, each reason with its citation and confidence mark."""
    label = f"{esc(node.title)}: {outcome_html(node)}"
    items = "".join(reason_li(r) for r in node.reasons)
    inner = (f"<ul>{items}</ul>" if items else "") + "".join(
        tree_html(c, open_depth=open_depth, _depth=_depth + 1) for c in node.children)
    opened = " open" if _depth < open_depth else ""
    return f"<details{opened}><summary>{label}</summary>{inner}</details>"


def note_html(note_id: str) -> str:
    """A note from npkit/law/data/notes.yaml: its text and its sources, escaped; '' if none."""
    try:
        n = note(note_id)
    except KeyError:
        return ""
    title = f"<strong>{esc(n.title)}:</strong> " if n.title else ""
    return (f'<span class="npk-desc">{title}{esc(n.text)} <span class="npk-source">'
            f"({esc(n.source_text)})</span>{marks_html(n.marks)}</span>")


def error_html(title: str, lines: Iterable[str]) -> str:
    """The body of base.error_panel, for a widget that already exists."""
    items = "".join(f"<li><code>{esc(line)}</code></li>" for line in lines)
    return (f'{CSS}<div class="npk"><div class="npk-error" role="alert">'
            f"<strong>{esc(title)}</strong><ul>{items}</ul></div></div>")


def boxed(body: str) -> str:
    """Style and wrap escaped HTML; wide tables scroll sideways instead of spilling over."""
    body = body.replace("<table>", '<div class="npk-scroll"><table>').replace(
        "</table>", "</table></div>")
    return f'{CSS}{EXTRA_CSS}<div class="npk">{body}</div>'


def charge_options(case) -> list[tuple[str, str]]:
    """(label, id) for each charge; the first is the principal charge."""
    return [(("Principal charge: " if i == 0 else "") + o.charge, o.id)
            for i, o in enumerate(case.offences)]


def charge_line(case, offence) -> str:
    return (f"<p><strong>{esc(case.person.pseudonym)}</strong>, charged with "
            f"<em>{esc(offence.charge)}</em> ({esc(words(offence.type))}; "
            f"{esc(words(offence.category))} offence: "
            f"{esc(describe(OffenceCategory, offence.category))}).</p>")


class CaseAndCharge:
    """A labelled case picker and charge picker whose callbacks trust nothing: a value that is
    not one of the cases (or one of the chosen case's charges) is ignored. Subclasses implement
    ``render(case, offence_id)``."""

    def __init__(self, cases: Sequence, case_id: str = "jane",
                 case_label: str = "Case", charge_label: str = "Charge"):
        self._cases = {c.id: c for c in cases}
        self.status = w.HTML("")
        self.case_picker = case_picker(list(self._cases.values()), value=case_id,
                                       description=case_label)
        self.case_id = self.case_picker.value
        case = self._cases[self.case_id]
        self.offence_picker = w.Dropdown(
            options=charge_options(case), value=case.offences[0].id, description=charge_label,
            style={"description_width": "initial"}, layout=w.Layout(width="36rem"))
        self.offence_id = self.offence_picker.value
        self._syncing = False
        self.case_picker.observe(self._on_case, names="value")
        self.offence_picker.observe(self._on_offence, names="value")
        self.controls = w.HBox([self.case_picker, self.offence_picker],
                               layout=w.Layout(flex_flow="row wrap"))

    # -- callbacks: re-check the value, never raise into the page --
    def _on_case(self, change) -> None:
        new = change.get("new") if isinstance(change, dict) else None
        if not isinstance(new, str) or new not in self._cases:
            return
        case = self._cases[new]
        self._syncing = True
        try:
            self.offence_picker.options = charge_options(case)
            self.offence_picker.value = case.offences[0].id
        finally:
            self._syncing = False
        self.show(new, case.offences[0].id)

    def _on_offence(self, change) -> None:
        if self._syncing:
            return
        new = change.get("new") if isinstance(change, dict) else None
        case = self._cases.get(self.case_id)
        if case is None or not isinstance(new, str) or new not in {o.id for o in case.offences}:
            return
        self.show(self.case_id, new)

    def show(self, case_id: str, offence_id: str | None = None) -> None:
        """Render one charge of one case; unknown ids are ignored, errors shown, not raised."""
        case = self._cases.get(case_id)
        if case is None:
            return
        ids = [o.id for o in case.offences]
        offence_id = offence_id if offence_id in ids else ids[0]
        try:
            self.render(case, offence_id)
        except Exception as exc:  # a callback never raises into the page
            self.status.value = error_html(
                "This case could not be assessed; the other cases still work.",
                [f"{case.id}: {type(exc).__name__}: {exc}"])
            return
        self.case_id, self.offence_id = case_id, offence_id
        self.status.value = ""

    def render(self, case, offence_id: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class ModelsTable(CaseAndCharge):
    """Every model for one charge of one case, with duress beside it for contrast.

    Tests drive ``case_picker`` / ``offence_picker`` and read ``table.value``; ``rows`` maps each
    model to its finding for the case on show.
    """

    def __init__(self, cases: Sequence, case_id: str = "jane"):
        super().__init__(cases, case_id)
        self.case_panel = w.HTML("")
        self.summary = w.HTML("")
        self.table = w.HTML("")
        self.rows: dict[str, Finding] = {}
        self.widget = w.VBox([self.controls, self.status, self.summary, self.case_panel,
                              self.table])
        self.show(self.case_id, self.offence_id)

    def render(self, case, offence_id: str) -> None:
        a = assess(case, offence_id, counterfactuals=False)
        self.rows = dict(a.models)
        self.case_panel.value = boxed(
            f"<details><summary>Read the case: {esc(case.title)}</summary>"
            f"{case_html(case)}</details>")
        self.summary.value = boxed(summary_html(a))
        self.table.value = boxed(models_table_html(a))


def summary_html(a: Assessment) -> str:
    models = list(a.models.values())
    duress = list(a.duress.values())
    protect = sum(1 for m in models if m.outcome == "protected")
    middle = sum(1 for m in models if m.outcome == "discretionary")
    succeed = sum(1 for d in duress if d.outcome == "succeeds")
    middle_text = f", {middle} leave it to discretion" if middle else ""
    return (charge_line(a.case, a.offence)
            + f"<p>Victim of trafficking for this charge: {outcome_html(a.victim)}</p>"
            f'<p class="npk-summary" role="status">Duress succeeds under <strong>{succeed} of '
            f"{len(duress)}</strong> readings; <strong>{protect} of {len(models)}</strong> "
            f"non-punishment models protect{middle_text}.</p>")


def _row(node: Finding, key: str, *, group: str) -> str:
    """One model or duress variant: outcome with the caveats it rests on, and the reason the
    engine names as decisive, with its source and confidence."""
    reason = node.decisive
    if group == "models":
        desc = note_html(MODEL_NOTE.format(key))
    elif international_analogue(node):
        desc = note_html(ANALOGUE_NOTE)
    else:
        desc = ""
    sub = ' class="npk-sub"' if group == "models" and narrower(key) else ""
    because = esc(reason.text) if reason else "—"
    source = source_html(reason.source) if reason else "—"
    return (f'<tr data-row="{esc(group)}.{esc(key)}">'
            f'<th scope="row"{sub}>{esc(node.title)}{desc}</th>'
            f"<td>{outcome_html(node)}</td><td>{because}</td><td>{source}</td></tr>"
            f'<tr class="npk-more" data-more="{esc(group)}.{esc(key)}"><td colspan="4">'
            f"<details><summary>Full reasoning: {esc(node.title)}</summary>"
            f"{tree_html(node)}</details></td></tr>")


def models_table_html(a: Assessment) -> str:
    models = "".join(_row(a.models[k], k, group="models") for k in registry.names("models")
                     if k in a.models)
    duress = "".join(_row(node, k, group="duress") for k, node in a.duress.items())
    return (
        "<table><caption>Every model for this charge, then duress for contrast. Open "
        "“Full reasoning” under a row for every condition, reason and source.</caption>"
        "<thead><tr><th scope='col'>Model</th><th scope='col'>Outcome</th>"
        "<th scope='col'>Decisive reason</th><th scope='col'>Source and confidence</th>"
        "</tr></thead>"
        "<tbody><tr><th scope='rowgroup' colspan='4'>Non-punishment models</th></tr>"
        f"{models}</tbody>"
        "<tbody><tr><th scope='rowgroup' colspan='4'>Duress, the general defence, for "
        f"contrast (Fitzgerald 2024, V)</th></tr>{duress}</tbody></table>"
        f"<details><summary>Is {esc(a.case.person.pseudonym)} a victim of trafficking? "
        f"{outcome_html(a.victim)}</summary>{tree_html(a.victim)}</details>")


# --- offence categories ----------------------------------------------------------------------

def category_matrix_html(cases: Sequence, ids: Sequence[str] = CATEGORY_CASES) -> str:
    """The cases x models matrix (principal charges) as an accessible table with badges."""
    from npkit.render.frame import matrix

    by_id = {c.id: c for c in cases}
    chosen = [by_id[i] for i in ids if i in by_id]
    missing = [i for i in ids if i not in by_id]
    if not chosen:
        return "<p class='npk-note'>None of the category cases is in the case library.</p>"
    table = matrix(chosen)
    titles = {k: node.title for k, node in
              assess(chosen[0], counterfactuals=False).models.items()}
    cols = [k for k in registry.names("models") if f"models.{k}" in table.columns and k in titles]
    head = "".join(f"<th scope='col'>{esc(titles[k])}</th>" for k in cols)
    body = []
    for case in chosen:
        o = case.offences[0]
        row = table.loc[case.id]
        cells = "".join(f"<td>{badge(str(row[f'models.{k}']))}{_cell_marks(table, case.id, k)}"
                        "</td>" for k in cols)
        body.append(
            f'<tr data-row="{esc(case.id)}"><th scope="row" class="npk-mid">'
            f"{esc(case.person.pseudonym)}: "
            f"{esc(o.charge)}<span class='npk-desc'><strong>{esc(words(o.category))} "
            f"offence</strong>: {esc(describe(OffenceCategory, o.category))}</span></th>"
            f"{cells}</tr>")
    note = (f"<p class='npk-note'>Not in the case library: {esc(', '.join(missing))}.</p>"
            if missing else "")
    return (f"{note}<table><caption>How each model treats a status, a purpose, a secondary and "
            "an unrelated ordered offence (principal charges; Fitzgerald 2024, IV.C)</caption>"
            f"<thead><tr><th scope='col'>Case and charge</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _cell_marks(table, case_id: str, model: str) -> str:
    """The caveats a matrix cell's outcome rests on, in words (from render.frame.matrix)."""
    text = table.attrs.get("marks", {}).get((case_id, f"models.{model}"), "")
    return f'<span class="npk-mark">{esc(text)}</span>' if text else ""


class OffenceCategories:
    """Decide first, then reveal the categories matrix with a button."""

    def __init__(self, cases: Sequence, ids: Sequence[str] = CATEGORY_CASES):
        self._cases = list(cases)
        self._ids = tuple(ids)
        self.reveal = w.Button(description="Show how the models treat each category",
                               tooltip="Reveal the cases x models table",
                               layout=w.Layout(width="auto"))
        self.matrix = w.HTML("")
        self.reveal.on_click(self._on_reveal)
        self.widget = w.VBox([self.reveal, self.matrix])

    def _on_reveal(self, _button=None) -> None:
        try:
            self.matrix.value = boxed(category_matrix_html(self._cases, self._ids))
        except Exception as exc:  # never a traceback in the page
            self.matrix.value = error_html("The matrix could not be built.",
                                           [f"{type(exc).__name__}: {exc}"])


# --- discussion --------------------------------------------------------------------------------

DISCUSSION_PROMPT = (
    "<h3>Discussion: “the losses are too big to excuse”</h3>"
    "<p>A prosecutor says: <em>“Jane's scams cost strangers their savings. Whatever happened to "
    "her, crimes that cause losses this large must be prosecuted.”</em></p>"
    "<p><strong>Decide first:</strong> should the seriousness of the offence limit the "
    "non-punishment principle? Note your answer, then open what the sources say.</p>"
)

# What the sources say, as notes with citations (npkit/law/data/notes.yaml).
DISCUSSION_NOTES = ("discussion.severity.protect_all", "discussion.severity.exclude_serious",
                    "discussion.severity.where_weighing")
DISCUSSION_QUESTIONS = (
    "<p>Questions for the group: which of the models above weighs severity at all? What would a "
    "severity exception mean for Rosa, who was ordered to cause serious harm?</p>")


def discussion_sources_html() -> str:
    items = []
    for note_id in DISCUSSION_NOTES:
        n = note(note_id)
        items.append(f"<li><strong>{esc(n.title)}</strong> {esc(n.text)} "
                     f"<span class='npk-source'>({esc(n.source_text)})</span>"
                     f"{marks_html(n.marks)}</li>")
    return f"<h4>What the sources say</h4><ul>{''.join(items)}</ul>{DISCUSSION_QUESTIONS}"


class Discussion:
    """The prompt, a notes box for the trainee's own answer (kept on the page only, never read
    by npkit) and a button that reveals the sources' positions."""

    def __init__(self):
        self.prompt = w.HTML(boxed(DISCUSSION_PROMPT))
        self.notes = w.Textarea(description="Your answer", placeholder="Your view, in a line or "
                                "two (stays on this page; not saved)",
                                style={"description_width": "initial"},
                                layout=w.Layout(width="36rem", height="5rem"))
        self.reveal = w.Button(description="Show what the sources say",
                               layout=w.Layout(width="auto"))
        self.sources = w.HTML("")
        self.reveal.on_click(self._on_reveal)
        self.widget = w.VBox([self.prompt, self.notes, self.reveal, self.sources])

    def _on_reveal(self, _button=None) -> None:
        self.sources.value = boxed(discussion_sources_html())
