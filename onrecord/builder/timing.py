"""Wall time per build stage, for the benchmark (bench/run.py). Off, and free, unless asked.

Set ONRECORD_TIMINGS=FILE and the build writes {stage: seconds} as JSON to FILE when the
process exits. Unset, `stage()` returns one shared no-op context manager.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager

ENV = "ONRECORD_TIMINGS"
_target = os.environ.get(ENV)
_spent: dict[str, float] = {}
_OFF = contextlib.nullcontext()


def stage(name: str) -> AbstractContextManager[None]:
    """Time a `with` block under `name` (added up if entered more than once)."""
    return _timed(name) if _target else _OFF


@contextlib.contextmanager
def _timed(name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        _spent[name] = _spent.get(name, 0.0) + time.perf_counter() - start


def _save() -> None:
    if _target:
        with open(_target, "w", encoding="utf-8") as out:
            json.dump(_spent, out)


if _target:
    atexit.register(_save)
