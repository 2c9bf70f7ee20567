"""Write a language's translations of the engine's wording into its gettext catalogue.

    .venv/bin/python tools/i18n/wording_po.py            # Thai: tools/i18n/wording_th.yaml
    .venv/bin/python tools/i18n/wording_po.py --check    # exit 1 if the .po would change

Reads ``tools/i18n/wording_<lang>.yaml`` (reason code -> translated template) and puts one
entry per code of :func:`npkit.law.wording.catalogue` into
``npkit/i18n/locale/<lang>/LC_MESSAGES/npkit.po``: msgctxt = the code, msgid = the English
template, msgstr = the translation (the convention of the wording extractor and of
``pgettext(code, template)`` in the render layer). Every other entry of the .po (the course's
own strings, added by other tools) is kept as it is. An entry whose English template changed
since it was translated is replaced by the current one; translations with a field the English
lacks, or lacking one it has, are refused, so a wrong file never reaches the catalogue.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from string import Formatter

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from npkit.i18n import DOMAIN, LOCALE_DIR  # noqa: E402
from npkit.law.wording import catalogue  # noqa: E402

HEADER = """\
# {language} translations of npkit (issue 17): a draft not yet reviewed by a legal translator.
# The engine's wording (msgctxt = reason code) comes from tools/i18n/wording_{lang}.yaml
# through tools/i18n/wording_po.py."""


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def translations(lang: str) -> dict[str, str]:
    path = Path(__file__).with_name(f"wording_{lang}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    english = catalogue()
    problems = [f"{path.name}: {code}: not a wording code" for code in data if code not in english]
    for code, template in english.items():
        text = data.get(code)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{path.name}: {code}: no translation")
        elif fields(text) != fields(template):
            problems.append(f"{path.name}: {code}: fields {sorted(fields(text))}, the English "
                            f"has {sorted(fields(template))}")
    if problems:
        raise SystemExit("\n".join(problems))
    return {code: " ".join(data[code].split()) for code in english}


def load(po: Path, lang: str) -> Catalog:
    if po.exists():
        with po.open("rb") as fh:
            return read_po(fh, locale=lang, domain=DOMAIN)
    return Catalog(locale=lang, domain=DOMAIN, project="npkit", charset="utf-8",
                   creation_date=datetime.now(UTC))


def updated(lang: str) -> tuple[Path, bytes]:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    cat = load(po, lang)
    english, thai = catalogue(), translations(lang)
    # an English template that changed: its old entry goes, the current one replaces it
    for message in list(cat):
        if message.context in english and message.id != english[message.context]:
            cat.delete(message.id, context=message.context)
    for code, template in english.items():
        entry = cat.get(template, context=code)
        if entry is None:
            cat.add(template, thai[code], context=code)
        else:  # Catalog.add keeps an existing entry's string: set it
            entry.string = thai[code]
            entry.flags.discard("fuzzy")
    cat.header_comment = HEADER.format(language=cat.locale.english_name, lang=lang)
    cat.fuzzy = False  # the header is checked: a fuzzy header hides the charset from msgfmt
    cat.project, cat.version = "npkit", ""
    cat.last_translator = "npkit draft, not yet reviewed by a legal translator"
    cat.language_team = f"{cat.locale.english_name}"
    text = _written(cat)
    if not po.exists() or text != po.read_bytes():  # the revision date moves only on a change
        cat.revision_date = datetime.now(UTC)
        text = _written(cat)
    return po, text


def _written(cat: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, cat, width=100, sort_output=True, include_previous=False)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="th")
    parser.add_argument("--check", action="store_true", help="only report whether it changes")
    args = parser.parse_args(argv)
    po, text = updated(args.lang)
    if args.check:
        same = po.exists() and po.read_bytes() == text
        print(f"{po.relative_to(ROOT)}: {'up to date' if same else 'would change'}")
        return 0 if same else 1
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(text)
    print(f"{po.relative_to(ROOT)}: {len(catalogue())} wording entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
