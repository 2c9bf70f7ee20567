"""The engine's words in the learner's language (issue 17): reasons, finding titles, outcome
words and confidence marks, as pages show them.

The law and engine layers never import npkit.i18n: they give English, keyed by a code where it
matters. Here the English is looked up in the catalogues:

- a reason (:func:`reason_text`): its template from the wording catalogue, translated with the
  reason code as context, then filled with the reason's parameters, each in the language too
  (:func:`value`: the law gives a parameter it built from facts and vocabulary as
  npkit.law.wording.Words, English that keeps its terms, labels, worded codes and list joins);
- a counterfactual's changes (:func:`changes`): wording codes, as reasons are;
- a scenario-lab change (:func:`said`: npkit.casefile.scenario.Said, a template and its
  parts);
- a label the law types in Python (:func:`label`: a finding's title, a vocabulary term, a
  confidence mark): the English itself is the msgid (extracted by running the law:
  npkit.i18n.extract.law_labels).

English stays English: with no catalogue every function gives what the engine said.
"""

from __future__ import annotations

import logging

from npkit.i18n import N_, _, pgettext
from npkit.law.wording import JOINERS, WordingError, template

log = logging.getLogger(__name__)

# Outcome and feedback words the pages show (ui.BADGES keys, the engine's outcome values).
OUTCOMES: dict[str, str] = {
    "protected": N_("protected"),
    "not_protected": N_("not protected"),
    "succeeds": N_("succeeds"),
    "fails": N_("fails"),
    "victim": N_("victim"),
    "not_victim": N_("not victim"),
    "met": N_("met"),
    "not_met": N_("not met"),
    "discretionary": N_("discretionary"),
    "conditional": N_("conditional"),
    "guidance": N_("guidance"),
    "unknown": N_("unknown"),
    "open": N_("open"),
    "effective": N_("effective"),
    "irrelevant": N_("irrelevant"),
    "not_in_issue": N_("not in issue"),
    "rejected": N_("rejected"),
    "correct": N_("correct"),
    "partly correct": N_("partly correct"),
    "not correct": N_("not correct"),
    "agrees": N_("agrees"),
    "differs": N_("differs"),
    "not answered": N_("not answered"),
    "right": N_("right"),
    "wrong": N_("wrong"),
    "ignored": N_("ignored"),
    "reached": N_("reached"),
    "not reached": N_("not reached"),
    "stop here": N_("stop here"),
    "missed chance": N_("missed chance"),
    "no": N_("no"),
    "yes": N_("yes"),
    "covered": N_("covered"),
    "not covered": N_("not covered"),
    "not covered (no provision)": N_("not covered (no provision)"),
    "done": N_("done"),
    "warning": N_("warning"),
    "error": N_("error"),
    "info": N_("info"),
}


def outcome_word(key: object) -> str:
    """An outcome or feedback word (``not_protected`` -> "not protected") in the learner's
    language; a word this table lacks is shown as the engine gave it, its underscores spaced."""
    key = str(key)
    msg = OUTCOMES.get(key, OUTCOMES.get(key.replace(" ", "_")))
    return _(msg) if msg is not None else key.replace("_", " ")


def term(key: object) -> str:
    """A term of the case format in words (``money_laundering`` -> "money laundering"), in the
    learner's language (msgctxt "term": npkit.i18n.extract.law_terms)."""
    text = str(key).replace("_", " ")
    return pgettext("term", text) if text else text


def label(text: str) -> str:
    """A label the law types in Python (a finding's title, a vocabulary description, a
    confidence mark) in the learner's language."""
    return _(text) if text else text


def title(node) -> str:
    """A finding's title; the root of an assessment is titled by its case (content, translated
    with the case file), so it is left as it is."""
    return node.title if node.test == "assessment" else label(node.title)


def mark(conf) -> str:
    """A confidence mark in words ("npkit's reading")."""
    return label(conf.label)


def reason_text(reason) -> str:
    """A reason as the learner reads it: the wording template of its code, translated with the
    code as context, filled with its parameters. A reason without a code (or whose translated
    template does not fit its parameters) shows the engine's English text."""
    code = getattr(reason, "code", "")
    if not code:
        return reason.text
    try:
        english = template(code)
    except WordingError:
        return reason.text
    try:
        return pgettext(code, english).format(**params(reason.params))
    except (KeyError, IndexError, ValueError) as exc:
        log.warning("translation of %s does not fit its parameters: %s", code, exc)
        return reason.text


def say(code: str, **params) -> str:
    """The wording catalogue's sentence for ``code`` (npkit.law.wording.say) in the learner's
    language, for a page that words a code itself rather than through a Reason."""
    from npkit.law.wording import say as english

    text = english(code, **params)  # checks the code and its parameters
    try:
        return pgettext(code, template(code)).format(**{k: value(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return text


def joiner(kind: str) -> str:
    """The words between the items of a list ("list", "or", "and") in the learner's language."""
    if kind == "or":
        return pgettext("joining list items", " or ")
    if kind == "and":
        return pgettext("joining list items", " and ")
    return pgettext("joining list items", ", ")


def value(v: object) -> object:
    """A reason's parameter in the learner's language. The law gives a parameter it built from
    facts and vocabulary as npkit.law.wording.Words (English that keeps how it was made); a
    number, a name or a plain string is shown as it is."""
    kind = getattr(v, "kind", None)
    if kind is None:
        return v
    if kind == "term":
        if v.parts:  # a term starting a sentence (npkit.law.wording.term(capital=True))
            shown = term(v.parts[0])
            return shown[:1].upper() + shown[1:]
        return term(v)
    if kind in JOINERS:
        return joiner(kind).join(str(value(p)) for p in v.parts)
    if kind == "code":
        code, given = v.parts
        try:
            return pgettext(code, template(code)).format(**params(given))
        except (KeyError, IndexError, ValueError, WordingError):
            return str(v)
    if kind == "row":
        return row_text(*v.parts, english=str(v))
    return label(v)


def row_text(test: str, field: str, *, english: str) -> str:
    """A text field of a law data row in the learner's language (its ``th:`` overlay, read by
    npkit.law.jurisdiction_data); the pseudo-locale marks it as gone through translation."""
    from npkit import i18n
    from npkit.law.jurisdiction_data import instruments, jurisdictions

    lang = i18n.current()
    if lang == i18n.PSEUDO:
        return i18n.pseudo(english)
    group, _dot, key = test.partition(".")
    rows = jurisdictions(lang) if group == "jurisdictions" else instruments(lang)
    row = rows.get(key)
    text = getattr(row, field, None) if row is not None else None
    return text if isinstance(text, str) and text else english


def params(given) -> dict[str, object]:
    """A reason's parameters, each in the learner's language (:func:`value`)."""
    return {k: value(v) for k, v in given}


def changes(counterfactual) -> tuple[str, ...]:
    """A counterfactual's changes ("the traffickers had ordered the act") in the learner's
    language: each is a wording code with its parameters (npkit.engine.counterfactuals)."""
    return tuple(str(value(text)) for text in counterfactual.changes)


def worded_changes(counterfactuals) -> list:
    """The counterfactuals with their changes in the learner's language, for a template that
    shows ``c.changes``."""
    from dataclasses import replace

    return [replace(c, changes=changes(c)) for c in counterfactuals]


def said(item) -> str:
    """A change the scenario lab names (npkit.casefile.scenario.Said: an English template marked
    for the catalogue and its parts) in the learner's language; the English if the translation
    does not fit its fields."""
    fields = {}
    for name, kind, v in item.fields:
        if kind == "term":
            fields[name] = term(v)
        elif kind == "terms":
            fields[name] = joiner("list").join(term(t) for t in v)
        elif kind == "label":
            fields[name] = label(v)
        elif kind == "lower":
            fields[name] = label(v).lower()
        else:
            fields[name] = v
    try:
        return _(item.template).format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        log.warning("translation of %r does not fit its fields: %s", item.template, exc)
        return str(item)
