"""What the course server would otherwise repeat for every page visit, kept once.

**Compiled page templates.** Voila renders each visit's page through a new nbconvert exporter,
and each exporter makes a new Jinja2 environment, which parsed and compiled npkit's template
(index.html.j2, page.html, base.html.j2, display_priority.j2, ...) again for every trainee: about
half of the server's CPU for a visit (py-spy, a room of 10 on the scenario lab and on the floor,
benchmarks/room.py). :data:`TEMPLATE_CODE` is a Jinja2 bytecode cache (Jinja2's own extension
point) that every such environment shares: a template is still read from disk on each render,
and its compiled code is reused only while the file's text is the same (Jinja2 compares a
checksum of the source), so an edited template is compiled afresh. Only the compiled code is
shared: each exporter keeps its own environment, filters and globals (some filters belong to the
exporter that renders the visit's notebook).
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


def compile_settings(env) -> tuple:
    """What, besides a template's text, changes the code Jinja2 compiles it to."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape)
    return (env.is_async, tuple(sorted(env.extensions)), autoescape, env.optimized,
            env.block_start_string, env.block_end_string, env.variable_start_string,
            env.variable_end_string, env.comment_start_string, env.comment_end_string,
            env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
            env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline)


class SharedTemplateCode(BytecodeCache):
    """Compiled templates in memory, shared by every environment it is given to, per template
    (name and file), source checksum and compile settings."""

    def __init__(self) -> None:
        self._code: dict[tuple, tuple[str, object]] = {}
        self.compiled = 0  # templates compiled (not found here): a test counts them

    def _key(self, bucket: Bucket) -> tuple:
        return bucket.key, compile_settings(bucket.environment)

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self._code.get(self._key(bucket))
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled += 1
        self._code[self._key(bucket)] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._code.clear()


# The course server's (npkit.course.dashboard gives it to every page exporter's environment).
TEMPLATE_CODE = SharedTemplateCode()
