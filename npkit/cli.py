"""The ``npkit`` command line.

Each subcommand is a pair of functions, one adding its arguments and one running it, listed in
``COMMANDS``. To add a subcommand, write the two functions and add a ``Command`` to the table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from npkit import DISCLAIMER


@dataclass(frozen=True, slots=True)
class Command:
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------------- validate


def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="+", metavar="PATH",
        help="case files, or folders whose *.yaml and *.yml files are checked",
    )


def run_validate(args: argparse.Namespace) -> int:
    from npkit.casefile.loader import LoadResult, load_cases
    from npkit.i18n import DEFAULT
    from npkit.i18n.content import TRANSLATED

    # Each file in English, then in every language it is translated into (its overlays); a
    # problem found in two languages (a bad fact) is reported once.
    result = LoadResult()
    for lang in (DEFAULT, *TRANSLATED):
        found = load_cases(*args.paths, lang=lang)
        result.files = result.files or found.files
        result.errors += [e for e in found.errors if e not in result.errors]
        result.warnings += [w for w in found.warnings if w not in result.warnings]
    for error in sorted(result.errors, key=lambda e: (result.files.index(e.path)
                                                      if e.path in result.files else 0,
                                                      e.line or 0)):
        print(error)
    for warning in result.warnings:
        print(warning)
    n_files = len(result.files)
    if n_files == 0:
        print(f"no case files (*.yaml, *.yml) found in {', '.join(args.paths)}")
        return 1
    n_bad = len(result.files_with_errors)
    summary = f"validated {_plural(n_files, 'file')}: {n_files - n_bad} ok, {n_bad} with errors"
    if result.errors:
        summary += f" ({_plural(len(result.errors), 'error')})"
    if result.warnings:
        summary += f"; {_plural(len(result.warnings), 'warning')} (facts that disagree)"
    print(summary)
    return 0 if result.ok else 1


# --------------------------------------------------------------------------------- schema


def _schema_args(p: argparse.ArgumentParser) -> None:
    pass


def run_schema(args: argparse.Namespace) -> int:
    from npkit.casefile.case import Case

    print(json.dumps(Case.model_json_schema(), indent=2, ensure_ascii=False))
    return 0


# --------------------------------------------------------------------------------- docs


def _docs_args(p: argparse.ArgumentParser) -> None:
    from npkit.casefile.docs import PAGES

    p.add_argument("page", choices=sorted(PAGES), help="which page to write")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--check", action="store_true",
        help="do not write; exit 1 if the committed page differs from the generated one",
    )
    group.add_argument("--stdout", action="store_true", help="print the page instead")
    p.add_argument("--output", type=Path, help="write here instead of the page's own path")


def run_docs(args: argparse.Namespace) -> int:
    from npkit.casefile.docs import PAGES, page_path

    text = PAGES[args.page]()
    if args.stdout:
        sys.stdout.write(text)
        return 0
    path = args.output or _relative(page_path(args.page))
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            print(f"{path} is up to date")
            return 0
        state = "is missing" if current is None else "is out of date"
        print(f"{path} {state}: run 'npkit docs {args.page}' and commit the result")
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


# --------------------------------------------------------------------------------- cases


def _cases_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", nargs="?", metavar="FOLDER",
                   help="a folder of case files (default: the case library, cases/ or "
                        "$NPKIT_CASES)")
    p.add_argument("--format", choices=("text", "json"), default="text")


def run_cases(args: argparse.Namespace) -> int:
    from npkit.casefile.library import cases_dir, library

    folder = Path(args.folder) if args.folder else cases_dir()
    if not folder.is_dir():
        print(f"{folder}: not a folder of case files", file=sys.stderr)
        return 1
    found = library(folder)  # in teaching order, from npkit's shared cache when it has them
    rows = [{"id": c.id, "title": c.title, "charges": [o.id for o in c.offences],
             "story": c.source.text, "handout": bool(c.questions)} for c in found.cases]
    if args.format == "json":
        print(json.dumps({"folder": str(folder), "cases": rows,
                          "errors": [str(e) for e in found.errors]},
                         ensure_ascii=False, indent=2))
    else:
        print(f"{_plural(len(rows), 'case')} in {folder}, in teaching order:")
        for row in rows:
            handout = "handout: yes" if row["handout"] else "no handout (it asks no questions)"
            print(f"  {row['id']}: {row['title']}\n      charges: {', '.join(row['charges'])}; "
                  f"story: {row['story']}; {handout}")
    for error in found.errors:  # the broken files, each named; the others are listed above
        print(error, file=sys.stderr)
    return 1 if found.errors else 0


# --------------------------------------------------------------------------------- assess


CASE_HELP = "one case file, or the id of a case in the case library (e.g. jane)"


def _library_file(arg: str) -> Path | None:
    """Where the library keeps (or would keep) the case of id ``arg``: its ``.yaml`` or
    ``.yml`` file, else the ``.yaml`` path it would have. None when ``arg`` is no id, or names
    a file that exists (that file comes first)."""
    from npkit.casefile.case import SLUG_PATTERN
    from npkit.casefile.library import cases_dir

    if Path(arg).exists() or not re.fullmatch(SLUG_PATTERN, arg):
        return None
    return next((p for p in (cases_dir() / f"{arg}.yaml", cases_dir() / f"{arg}.yml")
                 if p.is_file()), cases_dir() / f"{arg}.yaml")


def case_file(arg: str) -> str:
    """``arg`` itself, or the library's file for the case of that id when there is no file
    ``arg`` (``npkit assess jane``: a lecturer names the case, not its path)."""
    found = _library_file(arg)
    return str(found) if found is not None and found.is_file() else arg


def library_hint(arg: str) -> str | None:
    """For a case id that is neither a file nor in the library: the ids the library has."""
    found = _library_file(arg)
    if found is None or found.is_file():
        return None
    ids = sorted(p.stem for p in found.parent.glob("*.y*ml"))
    return (f"no case {arg!r} in the case library ({found.parent}) either; it has: "
            + (", ".join(ids) or "no case files"))


def _print_case_error(exc: Exception, arg: str) -> None:
    print(exc, file=sys.stderr)
    hint = library_hint(arg)
    if hint:
        print(hint, file=sys.stderr)


def _assess_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE", type=case_file, help=CASE_HELP)
    p.add_argument("--format", choices=("json", "text", "md"), default="text")
    p.add_argument("--offence", help="id of the charge to assess (default: the first)")
    p.add_argument("--no-counterfactuals", action="store_true",
                   help="skip the search for fact changes that flip an outcome")


def run_assess(args: argparse.Namespace) -> int:
    from npkit.casefile.loader import CaseFileError, load_case
    from npkit.engine.assessment import assess
    from npkit.render import render

    try:
        case = load_case(args.case)
        result = assess(case, args.offence, counterfactuals=not args.no_counterfactuals)
    except CaseFileError as exc:
        _print_case_error(exc, args.case)
        return 1
    except KeyError as exc:
        print(f"{args.case}: {exc.args[0]}", file=sys.stderr)
        return 1
    sys.stdout.write(render(result, args.format).rstrip("\n") + "\n")
    return 0


# --------------------------------------------------------------------------------- matrix


def _matrix_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="case files or folders")
    p.add_argument("--format", choices=("csv", "md"), default="md")


def run_matrix(args: argparse.Namespace) -> int:
    from npkit.casefile.loader import load_cases
    from npkit.render.frame import matrix, matrix_markdown

    result = load_cases(*args.paths)
    for error in result.errors:
        print(error, file=sys.stderr)
    if not result.cases:
        print("no valid case files found", file=sys.stderr)
        return 1
    table = matrix(result.cases)
    out = table.to_csv() if args.format == "csv" else matrix_markdown(table)
    sys.stdout.write(out)
    if args.format == "md":
        print(f"\n{DISCLAIMER}")
    return 0 if result.ok else 1


# --------------------------------------------------------------------------------- rule


def _rule_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", nargs="?", help="a rule id, e.g. duress.malaysia.imminent_threat")
    p.add_argument("--list", action="store_true", help="list every rule id")


def run_rule(args: argparse.Namespace) -> int:
    from npkit.law.registry import rules
    from npkit.rulebook import list_text, rule_text

    if args.list or not args.id:
        sys.stdout.write(list_text())
        return 0
    found = rules().get(args.id)
    if found is None:
        near = [r for r in rules() if r.startswith(args.id) or args.id in r][:8]
        print(f"no rule {args.id!r}" + (f"; did you mean: {', '.join(near)}" if near else
                                        "; `npkit rule --list` lists them"), file=sys.stderr)
        return 1
    sys.stdout.write(rule_text(found))
    return 0


# --------------------------------------------------------------------------------- course


def _course_args(p: argparse.ArgumentParser) -> None:
    from npkit.course.dashboard import PORT

    p.add_argument("--port", type=int, default=None, help=f"port (default {PORT})")
    p.epilog = ("Any other option goes to the course server: see python -m npkit.course.dashboard "
                "--help (e.g. --pool-size, --refill-delay). Needs the notebooks extra: "
                "pip install 'npkit[notebooks]'.")


def run_course(args: argparse.Namespace) -> int:
    from npkit.course.launch import run

    return run(args.port, args.passed_on)


# --------------------------------------------------------------------------------- handout


def _handout_args(p: argparse.ArgumentParser) -> None:
    from npkit.i18n import LANGUAGES
    from npkit.render.handout import PAPERS

    p.add_argument("case", metavar="CASE", type=case_file,
                   help="one case file that asks questions, or the id of such a case in the "
                        "case library (e.g. jane)")
    p.add_argument("--format", choices=("html", "pdf"), default="html",
                   help="html (any browser prints it) or pdf (needs Chromium and the handout "
                   "extra: pip install 'npkit[handout]')")
    p.add_argument("--lang", choices=sorted(LANGUAGES), default="en",
                   help="the language of the handout (default en)")
    p.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="page size (default a4)")
    p.add_argument("--out", type=Path, default=Path("."), metavar="DIR",
                   help="folder to write the two files to (default: the current folder)")


def run_handout(args: argparse.Namespace) -> int:
    from npkit import i18n
    from npkit.casefile.loader import CaseFileError, load_case
    from npkit.i18n import _
    from npkit.render.handout import PAPERS, documents
    from npkit.render.pdf import PdfUnavailable, to_pdf

    i18n.use(args.lang)  # before loading: the loader gives the case text in this language
    try:
        case = load_case(args.case)
    except CaseFileError as exc:
        _print_case_error(exc, args.case)
        return 1
    if not case.questions:
        print(_("{file}: questions: the case asks no questions, so it has no handout").format(
            file=args.case), file=sys.stderr)
        return 1
    docs = documents(case, paper=args.paper)
    paths = [args.out / name for name in docs.names(args.format)]
    pages = list(zip((docs.handout, docs.answer_key), paths, strict=True))
    if args.format == "pdf":
        try:
            to_pdf(pages, paper=PAPERS[args.paper])
        except PdfUnavailable as exc:
            print(exc, file=sys.stderr)
            return 1
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        for html, path in pages:
            path.write_text(html, encoding="utf-8")
    print(_("handout for trainees: {path}").format(path=paths[0]))
    print(_("answer key for the trainer: {path}").format(path=paths[1]))
    return 0


# --------------------------------------------------------------------------------- table

COMMANDS: dict[str, Command] = {
    "validate": Command("check case files and report every problem", _validate_args,
                        run_validate),
    "schema": Command("print the case format as JSON Schema", _schema_args, run_schema),
    "docs": Command("write the generated documentation pages", _docs_args, run_docs),
    "cases": Command("list the cases of the library (or a folder): id, title, charges, "
                     "story, handout", _cases_args, run_cases),
    "assess": Command("assess one case: victim status, duress, models, jurisdictions",
                      _assess_args, run_assess),
    "matrix": Command("outcome table: cases x duress x models x jurisdictions", _matrix_args,
                      run_matrix),
    "rule": Command("show a legal rule: paraphrase, citations, exceptions, code, tests",
                    _rule_args, run_rule),
    "handout": Command("write a printable handout (story, questions) and its answer key",
                       _handout_args, run_handout),
    "course": Command("serve the course on this computer (builds the modules first)",
                      _course_args, run_course),
}
# Commands whose unknown options are passed on (to another program's own parser).
PASS_ON = {"course"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="npkit",
        description="npkit: the non-punishment principle, case by case.",
        epilog=DISCLAIMER,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.help, description=command.help)
        command.configure(p)
        p.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, passed_on = parser.parse_known_args(argv)
    if passed_on and args.command not in PASS_ON:
        parser.error(f"unrecognized arguments: {' '.join(passed_on)}")
    args.passed_on = passed_on
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except BrokenPipeError:  # `npkit cases | head`: the reader stopped, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs do
        return 0


if __name__ == "__main__":
    sys.exit(main())
