"""Change a case's facts safely, and write a case back out as YAML.

Widgets never build a ``Case`` themselves: every edit goes through ``edit_period`` /
``edit_offence`` / ``edit_case``, which re-validate the whole case, so a value that arrives from
a browser (untrusted) is checked against the case format exactly like a case file is.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from npkit.casefile.cache import content_key, shared_name, shared_result
from npkit.casefile.case import Case


def _revalidate(data: dict[str, Any]) -> Case:
    return Case.model_validate(data)


def edit_case(case: Case, **fields: Any) -> Case:
    data = case.model_dump(mode="json")
    data.update(fields)
    return _revalidate(data)


def edit_period(case: Case, period_id: str, **fields: Any) -> Case:
    """A copy of ``case`` with fields of one period changed (nested dicts merge one level)."""
    data = case.model_dump(mode="json")
    for period in data["periods"]:
        if period["id"] == period_id:
            for key, value in fields.items():
                if isinstance(value, dict) and isinstance(period.get(key), dict):
                    period[key] = {**period[key], **value}
                else:
                    period[key] = value
            return _revalidate(data)
    raise KeyError(f"case {case.id!r} has no period {period_id!r}")


def edit_offence(case: Case, offence_id: str, **fields: Any) -> Case:
    data = case.model_dump(mode="json")
    for offence in data["offences"]:
        if offence["id"] == offence_id:
            offence.update(fields)
            return _revalidate(data)
    raise KeyError(f"case {case.id!r} has no offence {offence_id!r}")


# YAML is written only when the shared cache has no copy of the text (issue 16: a kernel that
# finds one never imports PyYAML)
@cache
def _dumper() -> type:
    import yaml

    # libyaml's emitter when present: same text, several times faster than the pure-Python one
    class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
        pass

    _Dumper.add_representer(str, _str)
    return _Dumper


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def to_yaml(case: Case) -> str:
    """The case as a YAML case file that ``npkit validate`` accepts (written once for every
    kernel when the case came from the shared library: npkit.casefile.cache)."""
    key = content_key(case)
    if key is None:
        return _to_yaml(case)
    return shared_result(shared_name("case-yaml", key, case.id), key, lambda: _to_yaml(case),
                         str)


def _to_yaml(case: Case) -> str:
    data = case.model_dump(mode="json", exclude_defaults=True)
    data.setdefault("expected", {})
    if not data["expected"]:
        data.pop("expected")
    head = (
        f"# {case.title}\n"
        "# Written by npkit's scenario lab: your changed version of the case.\n"
    )
    import yaml

    return head + yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=96)
