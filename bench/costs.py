"""What one story costs a first build, and what 100,000 would cost on 1, 8 and 64 cores.

    python bench/costs.py [--stories 1000] [--sample 40] [--work DIR] [--target 100000]

Generates a corpus (bench/gen_corpus.py), checks every story, then for a sample of them
measures each piece of a first build the way the build does it, in this process, after
one warm-up call: the story's derived data (matrix, chart specs and their keys), each
chart's SVG by chart kind (vl-convert; every standard kind, placed or not), its social
card (Pillow), its page (Jinja) and the search index (Pagefind). Each figure is the
median wall time and the median CPU time (this process's threads and the Pagefind
process it waits for), which a busy machine inflates far less. The projection uses CPU
time; it sends the charts and cards to the workers and keeps the rest on the machine
that runs `build` (docs/cluster.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.run import _project  # noqa: E402
from onrecord.builder import outputs, pipeline, reading  # noqa: E402
from onrecord.output import render, search  # noqa: E402
from onrecord.stories.model import Directive  # noqa: E402
from onrecord.stories.paths import Paths  # noqa: E402
from onrecord.stories.problems import Problems  # noqa: E402
from onrecord.views import actor_chart, matrix, social, svg  # noqa: E402
from onrecord.website import actors, pages  # noqa: E402

T = TypeVar("T")
TASK_MS = 1.0          # Dask's cost of a task on the scheduler, as its docs give it
BATCH = 25             # stories a task (onrecord/builder/cluster.py)


def cpu() -> float:
    """CPU seconds of this process (every thread, to the nanosecond) and of its finished
    children (Pagefind; counted in clock ticks)."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def timed(work: Callable[[], T], into: dict[str, list[tuple[float, float]]], name: str) -> T:
    """`work()`, its (wall ms, CPU ms) added under `name`."""
    wall, used = time.perf_counter(), cpu()
    result = work()
    into.setdefault(name, []).append(((time.perf_counter() - wall) * 1000,
                                      (cpu() - used) * 1000))
    return result


def median(runs: list[tuple[float, float]], which: int) -> float:
    return statistics.median(run[which] for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--sample", type=int, default=40, help="stories measured (default 40)")
    parser.add_argument("--target", type=int, default=100_000,
                        help="stories in the projection (default 100000)")
    parser.add_argument("--work", type=Path, help="keep the corpus here (default: temporary)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="onrecord-costs-"))
    try:
        report(_project(work, args.stories), args.sample, args.target)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def report(root: Path, sample: int, target: int) -> None:
    paths = Paths.at(root)
    costs: dict[str, list[tuple[float, float]]] = {}
    problems = Problems()
    site_config, chart_set, checked = timed(
        lambda: pipeline.stories(paths, pipeline.Options(), problems), costs, "all")
    load_ms = median(costs.pop("all"), 1) / len(checked)
    engine = pipeline.open_engine(paths, kept=False)
    published, who = engine.get(reading.published), engine.get(reading.speakers)
    site = outputs.site_view(engine)
    env = render.environment(paths.templates)
    step = max(len(published) // sample, 1)
    chosen = published[::step][:sample]
    svg.attempt({"mark": "point"})          # the first call starts vl-convert's engine
    social.draw("warm", "up", [], "")
    made: dict[str, bytes] = {}
    story_pages = []
    charts_drawn = 0
    placed: set[str] = set()   # the kinds the corpus places: the projection's charts
    for story in chosen:
        blocks = pages.default_blocks(story, site_config)
        names = tuple(dict.fromkeys(b.argument for b in blocks
                                    if isinstance(b, Directive) and b.name == "chart"))
        placed.update(names)

        def derive(story=story, names=names):
            found = matrix.for_story(story)
            charts = chart_set.for_story(story, found, names)
            return found, charts, [svg.key(c) for c in charts]

        found, charts, _keys = timed(derive, costs, "derive (matrix, specs, keys)")
        views = {}
        for chart in chart_set.for_story(story, found, tuple(
                k.name for k in chart_set.kinds if k.name not in names and not k.source)):
            timed(lambda chart=chart: svg.attempt(chart.spec), costs, f"chart: {chart.name}")
        for chart in charts:
            ok, text = timed(lambda chart=chart: svg.attempt(chart.spec), costs,
                             f"chart: {chart.name}")
            assert ok, text
            charts_drawn += 1
            views[chart.name] = outputs.view(chart, text, story.slug)
        what = social.inputs([story], {story.slug: found}, site_config)[social.path(story)]
        timed(lambda what=what: social.draw(**what), costs, "card")
        page = pages.story_page(story, found, blocks, views)
        made[page.path] = timed(lambda page=page: render.page(env, page, site), costs,
                                "page (Jinja)")
        story_pages.append(page)
    # Pagefind's start costs the same for any number of pages: its cost a page is the
    # difference between indexing the sampled pages and ten copies of them, per page added
    copies = {f"copy-{n}/{path}": html for n in range(10) for path, html in made.items()}
    copied = [replace(p, path=f"copy-{n}/{p.path}") for n in range(10) for p in story_pages]
    for name, files, indexed in (("few", made, story_pages), ("many", copies, copied)):
        with tempfile.TemporaryDirectory() as folder:
            timed(lambda o=files, i=indexed, f=folder: search.index(o, i, site, Path(f)),
                  costs, name)
    search_ms = ((median(costs.pop("many"), 1) - median(costs.pop("few"), 1))
                 / (len(copied) - len(story_pages)))
    speakers = actors.records(published, who)
    speaker_charts = list(actor_chart.charts(speakers, site_config).values())
    for chart in speaker_charts[:sample]:
        timed(lambda chart=chart: svg.attempt(chart.spec), costs, "chart: speaker")

    charts_a_story = charts_drawn / len(chosen)
    rows = [(name, median(runs, 0), median(runs, 1), len(runs)) for name, runs in costs.items()]
    print(f"{len(published)} stories, {len(speakers)} speakers; {len(chosen)} stories measured, "
          f"{charts_a_story:.1f} charts placed a story")
    print(f"{'piece':32} {'wall ms':>9} {'CPU ms':>9} {'n':>4}")
    for name, wall, cpu, n in rows:
        print(f"{name:32} {wall:9.1f} {cpu:9.1f} {n:4}")
    print(f"{'load + validate (a story)':32} {'':9} {load_ms:9.1f}")
    print(f"{'search index (a page added)':32} {'':9} {search_ms:9.1f}")

    story_chart = statistics.mean(median(costs[f"chart: {n}"], 1) for n in placed)
    card, page = median(costs["card"], 1), median(costs["page (Jinja)"], 1)
    derive = median(costs["derive (matrix, specs, keys)"], 1)
    speaker = median(costs["chart: speaker"], 1) if speaker_charts else 0.0
    speakers_at_target = len(speakers) * target / len(published)   # generous: linear
    drawn = target * (charts_a_story * story_chart + card) + speakers_at_target * speaker
    tasks = (2 * target / BATCH + speakers_at_target / 75) * TASK_MS   # charts, cards
    first, then = target * load_ms, target * (derive + page + search_ms)
    print(f"\nprojection, {target:,} stories, {speakers_at_target:,.0f} speakers (CPU ms a "
          f"story: {charts_a_story:.1f} charts × {story_chart:.0f}, card {card:.0f} on the "
          f"workers; load {load_ms:.0f}, derive {derive:.0f} (twice on a cluster), page "
          f"{page:.0f}, search {search_ms:.0f} on the build's machine)")
    print(f"{'cores':>6} {'drawing h':>10} {'build machine h':>16} {'total h':>8}")
    for cores in (1, 8, 64):
        if cores == 1:   # a local build: everything one after the other
            spread, total = drawn, first + drawn + then
        else:            # drawing overlaps the first pass over the specs (derive)
            spread = drawn / cores + tasks
            total = first + max(spread, target * derive) + then
        print(f"{cores:6} {spread / 3.6e6:10.2f} {(total - spread) / 3.6e6:16.2f} "
              f"{total / 3.6e6:8.2f}")

if __name__ == "__main__":
    raise SystemExit(main())
