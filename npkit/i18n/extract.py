"""A Babel extractor for the engine's wording (``npkit/law/data/wording/*.yaml``), named
``npkit_wording`` in ``babel.cfg``.

Each entry becomes a message with the reason code as its context (``msgctxt``) and the English
template as its id, exactly as :func:`npkit.law.wording.template` returns it (stripped), so the
render layer's ``pgettext(code, template(code))`` finds it. Two codes with the same sentence stay
two messages: a translation may need to word them apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import yaml

COMMENT = ("reason code {code}; keep every {{field}}: the engine fills it in "
           "(npkit/law/data/wording)")


def extract_wording(fileobj, keywords, comment_tags, options) -> Iterator[tuple[Any, ...]]:
    """Babel's extractor protocol: ``(lineno, funcname, messages, comments)`` per message;
    ``pgettext`` with ``(context, msgid)`` gives the code as msgctxt."""
    text = fileobj.read()
    if isinstance(text, bytes):
        text = text.decode(options.get("encoding", "utf-8"))
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        raise ValueError(f"{getattr(fileobj, 'name', 'wording')}: not a mapping of codes")
    for key, value in root.value:
        if not isinstance(value, yaml.ScalarNode) or not value.value.strip():
            continue  # npkit.law.wording refuses these with the file and code
        code = key.value
        yield (key.start_mark.line + 1, "pgettext", (code, value.value.strip()),
               [COMMENT.format(code=code)])


TERM = "term"  # the msgctxt of a vocabulary term in words (npkit.render.words.term)


def law_terms() -> dict[str, str]:
    """Every vocabulary term in words (``money_laundering`` -> "money laundering"), as the
    pages show a case's offence type or category, with the vocabulary it comes from."""
    from npkit.law import vocabulary

    found: dict[str, str] = {}
    for name in dir(vocabulary):
        enum = getattr(vocabulary, name)
        if isinstance(getattr(enum, "descriptions", None), dict):
            for key in enum.descriptions:
                found.setdefault(str(key).replace("_", " "), f"vocabulary {name}")
    for text, where in param_words()[1].items():
        found.setdefault(text, where)
    return found


def law_labels() -> dict[str, str]:
    """Every label the law and engine layers type in Python and the pages show, with where it
    comes from: the vocabulary's descriptions, the confidence marks, rule titles and short
    labels, and the title of every finding of every case in ``cases/`` (group titles such as
    "Non-punishment models", test titles such as "Means"). The law layer never imports
    npkit.i18n, so these are collected by running it; the render layer translates them
    (npkit.render.words)."""
    from npkit.casefile.library import library
    from npkit.engine.assessment import assess
    from npkit.law import vocabulary
    from npkit.law.citations import Confidence
    from npkit.law.registry import rules

    found: dict[str, str] = {}
    for name in dir(vocabulary):
        descriptions = getattr(getattr(vocabulary, name), "descriptions", None)
        if isinstance(descriptions, dict):
            for text in descriptions.values():
                found.setdefault(text, f"vocabulary {name}")
    for conf in Confidence:
        found.setdefault(conf.label, "confidence mark")
    from npkit.law.duress import VARIANTS
    from npkit.law.stages import CONTEXT_FIGURES

    for vid, v in VARIANTS.items():
        for text in (v.title, v.short):
            if text:
                found.setdefault(text, f"duress variant {vid}")

    for figure in CONTEXT_FIGURES:
        found.setdefault(figure.text, "npkit.law.stages.CONTEXT_FIGURES")
    for rid, r in rules().items():
        for text in (r.title, r.short):
            if text:
                found.setdefault(text, f"rule {rid}")
    from npkit.course.training.modules import MODULES

    for m in MODULES:  # typed in Python in the course layer; the pages show them translated
        found.setdefault(m.title, f"module {m.number}'s title")
    cases = library().cases
    for case in cases.values() if isinstance(cases, dict) else cases:
        stack = list(assess(case, counterfactuals=False).tree.children)  # not the case title
        while stack:
            node = stack.pop()
            found.setdefault(node.title, f"finding {node.test}")
            stack.extend(node.children)
    for text, where in param_words()[0].items():
        found.setdefault(text, where)
    # labels a parameter can take that no case in cases/ shows (the scenario lab's own facts)
    from npkit.law.duress import _WORDS, TITLES
    from npkit.law.models.compulsion import TARGET_WORDS

    for text in (*_WORDS.values(), *(t.lower() for t in TITLES.values())):
        found.setdefault(text, "npkit.law.duress (a reason's parameter)")
    for text in TARGET_WORDS.values():
        found.setdefault(text, "npkit.law.models.compulsion (a reason's parameter)")
    found.setdefault("the later-period consent", "npkit.law.trafficking (a reason's parameter)")
    return found


def _words(value, where: str, labels: dict[str, str], terms: dict[str, str]) -> None:
    """The msgids inside a reason's parameter (npkit.law.wording.Words), recursively."""
    kind = getattr(value, "kind", None)
    if kind == "label":
        labels.setdefault(str(value), where)
    elif kind == "term":
        terms.setdefault(str(value.parts[0] if value.parts else value), where)
    elif kind == "code":
        for _k, v in value.parts[1]:
            _words(v, where, labels, terms)
    elif kind in ("list", "or", "and"):
        for v in value.parts:
            _words(v, where, labels, terms)


@cache
def param_words() -> tuple[dict[str, str], dict[str, str]]:
    """The labels and the terms the law fills into reasons' parameters (npkit.law.wording.Words)
    for every charge of every case in ``cases/``, the process walk included."""
    from npkit.casefile.library import library
    from npkit.engine.assessment import assess
    from npkit.law.stages import should_stop, walk_summary

    labels: dict[str, str] = {}
    terms: dict[str, str] = {}
    cases = library().cases
    for case in cases.values() if isinstance(cases, dict) else cases:
        for o in case.offences:
            a = assess(case, o.id, counterfactuals=False)
            stop = should_stop(a)
            reasons = [walk_summary(stop), *stop.reasons]
            for node in a.tree.walk():
                reasons += [*node.reasons, *node.also_rests_on]
            for r in reasons:
                for _k, v in r.params:
                    _words(v, f"a parameter of {r.code}", labels, terms)
    return labels, terms


def extract_law_labels(fileobj, keywords, comment_tags, options) -> Iterator[tuple[Any, ...]]:
    """Babel's extractor protocol for :func:`law_labels` (mapped to one file in babel.cfg: the
    labels come from running the law, not from that file's text)."""
    for text, where in sorted(law_labels().items()):
        yield (1, "gettext", text, [f"law label ({where}), shown by npkit.render.words"])
    for text, where in sorted(law_terms().items()):
        yield (1, "pgettext", (TERM, text), [f"a term of the case format ({where})"])


def extract_script(fileobj, keywords, comment_tags, options) -> Iterator[tuple[Any, ...]]:
    """The page scripts' words: every ``T("English")`` in a script becomes a message in the
    context the page hands the scripts (``npkit.course.dashboard.JS_CONTEXT``), so that
    ``window.npkitText`` finds it."""
    from babel.messages.extract import extract_javascript

    context = options.get("context", "npkit.js")
    for lineno, _func, message, comments in extract_javascript(
            fileobj, {"T": None}, comment_tags, options):
        if isinstance(message, str):
            yield lineno, "pgettext", (context, message), comments
