"""One pool of worker processes for a build's heavy, independent work: SVGs and social cards.

The unit of work is `draw(Batch) -> Drawn`: a pure function of picklable inputs (chart
specs as JSON, social cards as their fields) that returns bytes and touches no disk, so
any executor can run it, a process pool here or a cluster later. The build opens one
`session()`; its pool is started on first use and lives until the build ends, so the
workers load vl-convert and Pillow once, not once per chunk of pages. Without a session
(tests, `check`) work is drawn in this process when it is small, else in a pool made
for the call.

Processes are started with `spawn`: a forked child hangs once vl-convert (which runs
threads) is loaded in the parent.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context

from onrecord.builder import progress

BATCH = 6          # items a batch: small enough to spread, big enough to amortise pickling
POOL_THRESHOLD = 8  # fewer items than this are drawn in this process


@dataclass(frozen=True)
class Batch:
    """Work for one worker: each item is (cache key, its input as JSON text)."""

    charts: tuple[tuple[str, str], ...] = ()   # a Vega-Lite spec with its data
    cards: tuple[tuple[str, str], ...] = ()    # the keyword arguments of `social.draw`

    def __len__(self) -> int:
        return len(self.charts) + len(self.cards)


@dataclass(frozen=True)
class Drawn:
    """What a batch made, by key: SVG text or why it failed (`svg.attempt`), PNG bytes."""

    svgs: dict[str, tuple[bool, str]] = field(default_factory=dict)
    cards: dict[str, bytes] = field(default_factory=dict)


def draw(batch: Batch) -> Drawn:
    """Draw a batch: the same inputs always give the same bytes."""
    from onrecord.views import social, svg

    return Drawn({key: svg.attempt(json.loads(spec)) for key, spec in batch.charts},
                 {key: social.draw(**json.loads(what)) for key, what in batch.cards})


def batches(charts: Iterable[tuple[str, str]] = (), cards: Iterable[tuple[str, str]] = (),
            size: int = BATCH) -> list[Batch]:
    """Items cut into batches of `size`, charts and cards in batches of their own."""
    charts, cards = list(charts), list(cards)
    return ([Batch(charts=tuple(charts[n:n + size])) for n in range(0, len(charts), size)]
            + [Batch(cards=tuple(cards[n:n + size])) for n in range(0, len(cards), size)])


class Pool:
    """Worker processes, started on first use (one per core), until `close`."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._executor: ProcessPoolExecutor | None = None
        self.pending: dict[str, Future[Drawn]] = {}   # item key -> its batch's drawing

    def submit(self, work: list[Batch]) -> None:
        """Start drawing each batch's items that are not already being drawn."""
        for batch in work:
            fresh = Batch(tuple(i for i in batch.charts if i[0] not in self.pending),
                          tuple(i for i in batch.cards if i[0] not in self.pending))
            if not len(fresh):
                continue
            if self._executor is None:
                self._executor = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
            future = self._executor.submit(draw, fresh)
            self.pending |= {key: future for key, _ in (*fresh.charts, *fresh.cards)}

    def collect(self, work: list[Batch], stage: str) -> Drawn:
        """Every item of `work` drawn, counting items done under `stage` as batches finish."""
        self.submit(work)
        keys = [key for batch in work for key, _ in (*batch.charts, *batch.cards)]
        waiting: dict[Future[Drawn], int] = {}
        for key in keys:
            future = self.pending[key]
            waiting[future] = waiting.get(future, 0) + 1
        done, total = 0, len(keys)
        progress.advance(stage, done, total)
        for future in as_completed(waiting):
            done += waiting[future]
            progress.advance(stage, done, total)
        drawn = Drawn()
        for key in keys:
            made = self.pending.pop(key).result()
            if key in made.svgs:
                drawn.svgs[key] = made.svgs[key]
            else:
                drawn.cards[key] = made.cards[key]
        return drawn

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None
        self.pending.clear()


_active: Pool | None = None


@contextmanager
def session(workers: int | None = None) -> Iterator[Pool]:
    """One pool for everything drawn inside the `with` block (a whole build)."""
    global _active
    outer, _active = _active, Pool(workers)
    try:
        yield _active
    finally:
        _active.close()
        _active = outer


def prefetch(work: list[Batch]) -> None:
    """Start drawing `work` in the session's pool, if there is one, so that a later
    `collect` of the same items finds them done or under way meanwhile."""
    if _active is not None and _active.workers > 1 and sum(map(len, work)) >= POOL_THRESHOLD:
        _active.submit(work)


def collect(work: list[Batch], stage: str) -> Drawn:
    """Every item of `work` drawn: in the session's pool, or here when there is little
    (or the session has one worker)."""
    items = sum(len(batch) for batch in work)
    if _active is not None and _active.workers > 1 and (items >= POOL_THRESHOLD or any(
            key in _active.pending for batch in work for key, _ in (*batch.charts, *batch.cards))):
        return _active.collect(work, stage)
    if items >= POOL_THRESHOLD and _active is None and (os.cpu_count() or 1) > 1:
        pool = Pool()
        try:
            return pool.collect(work, stage)
        finally:
            pool.close()
    drawn, done = Drawn(), 0
    progress.advance(stage, done, items)
    for batch in work:
        made = draw(batch)
        drawn.svgs.update(made.svgs)
        drawn.cards.update(made.cards)
        done += len(batch)
        progress.advance(stage, done, items)
    return drawn
