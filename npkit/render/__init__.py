"""Renderers: the same assessment as JSON, plain text, Markdown or a pandas table."""

from __future__ import annotations

FORMATS = ("json", "text", "md")


def render(assessment, fmt: str = "text") -> str:
    if fmt == "json":
        import json

        from npkit.render.json import to_dict

        return json.dumps(to_dict(assessment), indent=2, ensure_ascii=False)
    if fmt == "text":
        from npkit.render.text import to_text

        return to_text(assessment)
    if fmt == "md":
        from npkit.render.markdown import to_markdown

        return to_markdown(assessment)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
