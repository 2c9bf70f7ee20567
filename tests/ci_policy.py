"""What a test does when something it needs is missing: outside CI it skips and says what to
run; on CI (``CI=true``, set by .ci/run) it fails, so CI cannot pass without running it."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> NoReturn:
    if on_ci():
        pytest.fail(f"CI=true, so this cannot be skipped: {reason}", pytrace=False)
    pytest.skip(reason)
