"""A first build's drawing on a Dask cluster: `build --scheduler tcp://HOST:8786` or `local:N`.

What makes a first build slow is drawing: every chart's SVG (vl-convert, tens of ms to
over a hundred a chart) and every story's social card (Pillow). The build's unit of work
for these, `workers.draw(Batch) -> Drawn`, is a pure function of picklable inputs that
the local worker pool (onrecord/builder/workers.py) runs; with a scheduler named, the build cuts
the drawings into tasks of BATCH stories, sends them to Dask's `distributed` scheduler
instead, a window at a time so that no process holds the whole site's specs, and puts
what comes back into the same content-addressed caches (`.onrecord-cache/svg`,
`.onrecord-cache/social`) a local build fills. The build then goes on exactly as without
a cluster and finds every drawing there, so its output is the same bytes; `public/` is
still swapped in in one step, and nothing is written to it if the cluster fails.

Dask is an optional extra (`pip install 'onrecord[cluster]'`), imported only here and
only when a scheduler is named. See docs/cluster.md.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import platform
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord import __version__
from onrecord.builder import progress, workers
from onrecord.stories.config import SiteConfig
from onrecord.stories.model import Directive, Story
from onrecord.stories.problems import Problems
from onrecord.views import matrix, social, svg
from onrecord.views.charts import Chart, Charts

BATCH = 25          # stories a task: Dask costs ~1 ms a task, a worker's first chart ~0.5 s
SPEAKERS = 75       # speaker charts a task, about the charts of BATCH stories
RETRIES = 2         # a task that raised is run again this often (a dead worker's task always is)
WORKERS_WAIT = 60   # seconds to wait for a scheduler's first worker
INSTALL = "pip install 'onrecord[cluster]'"


class Unavailable(Exception):
    """The cluster cannot do the build's work; the message says why and what to do."""


@dataclass(frozen=True)
class Task:
    """One task: the drawings of about BATCH stories, a `workers.Batch` (the build's unit of
    work, plain picklable data), with what it is for and the setup it expects."""

    batch: workers.Batch
    stories: tuple[str, ...]      # what it draws for, to report a failure
    identity: str                 # what the client draws with

    @property
    def key(self) -> str:
        names = [k for k, _ in (*self.batch.charts, *self.batch.cards)]
        return "onrecord-draw-" + hashlib.sha256("\n".join(names).encode()).hexdigest()[:24]


class Mismatch(Exception):
    """A worker would draw different bytes from the client's: another version or font."""


def draw(task: Task) -> workers.Drawn:
    """The task a worker runs: `workers.draw`, refused on a setup that draws other bytes."""
    mine = identity()
    if mine != task.identity:
        raise Mismatch(_difference(task.identity, mine))
    return workers.draw(task.batch)


# What a worker draws with ----------------------------------------------------------------

CANARY = {"data": {"values": [{"who": "Ana Ødegård", "n": 3}, {"who": "Bo", "n": 1}]},
          "mark": "bar", "encoding": {"y": {"field": "who", "type": "nominal"},
                                      "x": {"field": "n", "type": "quantitative"}},
          "config": {"font": "Verdana, 'DejaVu Sans', sans-serif"}}


@functools.cache
def identity() -> str:
    """What decides the bytes this process draws: versions, On Record's code, and a test
    chart and card drawn here (which tells a missing font from a present one)."""
    import PIL
    import vl_convert

    code = hashlib.sha256()
    root = Path(__file__).parent.parent  # onrecord/
    for path in sorted(root.rglob("*.py")):
        code.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    ok, chart = svg.attempt(CANARY)
    card = social.draw("Canary", "A test card: Ødegård", [("Ana", [("#0064a0", "circle", "x")])],
                       "1 story")
    drawn = hashlib.sha256(chart.encode() + card).hexdigest()[:12]
    return (f"On Record {__version__} (code {code.hexdigest()[:12]}), "
            f"vl-convert {vl_convert.__version__}, Pillow {PIL.__version__}, "
            f"Python {platform.python_version()}, test drawing {drawn if ok else 'failed'}")


def _difference(wanted: str, found: str) -> str:
    return (f"a worker draws with {found}, but this build with {wanted}; install the same "
            f"On Record, vl-convert, Pillow and fonts on every worker (docs/cluster.md)")


# Connecting ----------------------------------------------------------------------------

@contextmanager
def connect(address: str) -> Iterator[Cluster]:
    """A connected cluster for one build: `local:N` starts N worker processes here; any
    other address is a running scheduler's. Raises Unavailable with what to do."""
    try:
        import distributed
    except ImportError:
        raise Unavailable(f"--scheduler needs Dask's distributed scheduler, an optional extra: "
                          f"{INSTALL}") from None
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # failures are reported here
    local = None
    if address.split(":")[0] == "local":
        local = start_local(_local_workers(address))
        client = distributed.Client(local)
    else:
        try:
            client = distributed.Client(address)
        except (OSError, TimeoutError, ValueError) as error:
            raise Unavailable(
                f"cannot reach the Dask scheduler at {address} ({error}); start one with "
                "`dask scheduler` and its workers with `dask worker ADDRESS`, or correct "
                "--scheduler / ONRECORD_SCHEDULER (docs/cluster.md)") from None
    try:
        cluster = Cluster(client, address)
        cluster.check()
        yield cluster
    finally:
        client.close()
        if local is not None:
            local.close()


def start_local(workers: int) -> Any:
    """A Dask LocalCluster of `workers` processes on 127.0.0.1, one thread each.

    Each worker is a fresh interpreter started by `spawn`, never `fork`: a forked child of
    a process that has loaded vl-convert hangs. No dashboard, nothing on other interfaces.
    """
    import dask
    import distributed

    with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
        return distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                        processes=True, host="127.0.0.1",
                                        dashboard_address=None)


def _local_workers(address: str) -> int:
    count = address.partition(":")[2] or str(os.cpu_count() or 1)
    if not count.isdigit() or int(count) < 1:
        raise Unavailable(f"cannot use --scheduler '{address}': expected local:N, N the "
                          "number of worker processes, e.g. local:2")
    return int(count)


class Cluster:
    """A Dask client for one build: checked workers, tasks sent a window at a time."""

    def __init__(self, client: Any, address: str) -> None:
        self.client = client
        self.address = address

    def check(self) -> None:
        """Wait for a worker, then make sure every worker draws as this process does."""
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_WAIT)
        except TimeoutError:
            raise Unavailable(f"the Dask scheduler at {self.address} has no workers after "
                              f"{WORKERS_WAIT} s; start some with `dask worker {self.address}`"
                              ) from None
        mine = identity()
        for worker, theirs in sorted(self.client.run(identity).items()):
            if theirs != mine:
                raise Unavailable(f"worker {worker}: " + _difference(mine, theirs))

    @property
    def threads(self) -> int:
        return sum(self.client.nthreads().values()) or 1

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, workers.Drawn]]:
        """Each task drawn by the cluster, in the order they finish. At most two tasks a
        worker thread wait at a time, so neither the scheduler nor this process holds the
        whole site's specs."""
        from distributed import as_completed

        pending = iter(tasks)
        sent: dict[str, Task] = {}

        def submit() -> Any | None:
            task = next(pending, None)
            if task is None:
                return None
            sent[task.key] = task
            return self.client.submit(draw, task, key=task.key, retries=RETRIES)

        first = [f for f in (submit() for _ in range(2 * self.threads)) if f is not None]
        running = as_completed(first)
        for future in running:
            task = sent.pop(future.key)
            yield task, self._result(future, task)
            following = submit()
            if following is not None:
                running.add(following)

    def _result(self, future: Any, task: Task) -> workers.Drawn:
        from distributed import KilledWorker

        try:
            return future.result()
        except Mismatch as error:
            raise Unavailable(str(error)) from None
        except KilledWorker:
            raise Unavailable(f"workers died while drawing {_files(task)}, more often than "
                              "the scheduler allows (distributed.scheduler.allowed-failures); "
                              "are they out of memory?") from None
        except (OSError, TimeoutError) as error:
            raise Unavailable(f"lost the Dask scheduler at {self.address} ({error})") from None
        except Exception as error:
            if type(error).__name__ in ("CancelledError", "FutureCancelledError"):
                raise Unavailable(f"the Dask scheduler at {self.address} cancelled the work "
                                  f"({error}); was it restarted?") from None
            raise


def _files(task: Task) -> str:
    stories = task.stories
    return (f"{stories[0]} … {stories[-1]} ({len(stories)} in all)" if len(stories) > 1
            else stories[0] if stories else "speakers' charts")


# A build's drawings --------------------------------------------------------------------

@dataclass(frozen=True)
class _Asked:
    """Where a chart was asked for, to report a chart Vega cannot draw."""

    path: str
    line: int | None
    chart: Chart


def draw_missing(cluster: Cluster, cache: Path, published: list[Story], chart_set: Charts,
                 blocks: Mapping[str, tuple], placed: Mapping[str, tuple[str, ...]],
                 speaker_charts: Iterable[Chart], site_config: SiteConfig,
                 problems: Problems) -> int:
    """Draw every chart SVG and social card of the site not yet in the caches, on the
    cluster, and store them there. Returns the number of tasks; a chart Vega cannot
    draw is a problem on its story's file and line."""
    svg_cache, card_cache = cache / "svg", cache / "social"
    asked: dict[str, list[_Asked]] = {}
    mine = identity()

    def tasks() -> Iterator[Task]:
        matrices: dict[str, matrix.Matrix] = {}
        charts: list[tuple[str, str]] = []
        stories: list[str] = []
        for story in published:
            matrices[story.slug] = matrix.for_story(story)
            lines = {b.argument: b.line or None for b in blocks[story.slug]
                     if isinstance(b, Directive) and b.name == "chart"}
            for chart in chart_set.for_story(story, matrices[story.slug], placed[story.slug]):
                charts += _missing(chart, svg_cache, asked, _Asked(story.path,
                                                                   lines.get(chart.name), chart))
            stories.append(story.path)
            if len(stories) == BATCH:
                yield Task(workers.Batch(tuple(charts)), tuple(stories), mine)
                charts, stories = [], []
        cards = [(where, name, social.fields(what)) for where, what in social.inputs(
                     published, matrices, site_config).items()
                 if not social.cached(card_cache, name := social.name(what))]
        for start in range(0, len(cards), BATCH):   # last, when every story's matrix is known
            chunk = cards[start:start + BATCH]
            yield Task(workers.Batch(cards=tuple((name, what) for _, name, what in chunk)),
                       tuple(where for where, _, _ in chunk), mine)
        for chart in speaker_charts:
            charts += _missing(chart, svg_cache, asked, _Asked(chart.source or "site/charts",
                                                                None, chart))
            if len(charts) >= SPEAKERS:
                yield Task(workers.Batch(tuple(charts)), tuple(stories), mine)
                charts, stories = [], []
        if charts:
            yield Task(workers.Batch(tuple(charts)), tuple(stories), mine)

    done = 0
    for _, drawn in cluster.run(t for t in tasks() if len(t.batch)):
        done += 1
        progress.advance("cluster tasks", done)
        for key, (ok, text) in drawn.svgs.items():
            if ok:
                svg.store(svg_cache, key, text)
            else:
                for where in asked[key]:
                    problems.add(where.path, where.line,
                                 f"chart '{where.chart.name}' cannot be drawn: {text}",
                                 (f"check {where.chart.source} against the Vega-Lite docs; "
                                  if where.chart.source else "check the chart's spec; ")
                                 + "charts read the datasets 'quotes', 'events' and 'cells' "
                                 "(docs/charts.md)")
        for name, data in drawn.cards.items():
            social.store(card_cache, name, data)
    return done


def _missing(chart: Chart, cache: Path, asked: dict[str, list[_Asked]], where: _Asked
             ) -> list[tuple[str, str]]:
    """[(key, spec JSON)] if the chart's SVG is to be drawn and not yet asked for; else []."""
    key = svg.key(chart)
    if key in asked:
        asked[key].append(where)
        return []
    if svg.cached(cache, key):
        return []
    asked[key] = [where]
    return [(key, chart.drawn)]
