"""Progress of a long build, stage by stage: counts reported here, shown by whoever listens.

The engine reports `advance("charts", 120, 1315)`; the command line listens and draws a
bar per stage (onrecord/cli.py). Nobody listening (tests, `serve`, `-q`, a pipe) costs a
function call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, int, int | None], None]   # stage, items done, items in all (or None)
_listener: Listener | None = None


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send every `advance` inside the `with` block to `listener`."""
    global _listener
    outer, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = outer


def advance(stage: str, done: int, total: int | None = None) -> None:
    """Say that `done` of `total` items of `stage` are finished (total None: unknown)."""
    if _listener is not None:
        _listener(stage, done, total)
