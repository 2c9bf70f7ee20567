"""A Babel extractor for the engine's wording (``npkit/law/data/wording/*.yaml``), named
``npkit_wording`` in ``babel.cfg``.

Each entry becomes a message with the reason code as its context (``msgctxt``) and the English
template as its id, exactly as :func:`npkit.law.wording.template` returns it (stripped), so the
render layer's ``pgettext(code, template(code))`` finds it. Two codes with the same sentence stay
two messages: a translation may need to word them apart.
"""

from __future__ import annotations

from collections.abc import Iterator
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
