"""What one chart costs to draw as SVG, per kind, next to a trivial chart in the same run.

    python bench/charts.py [--stories 30] [--rounds 3] [--json FILE]

It generates stories (bench/gen_corpus.py), builds every standard chart of each (timeline,
stances, topics) and the speakers' charts (stance-over-time) exactly as the build does,
and draws each with the installed vl-convert, in rounds that interleave the kinds with a
trivial one-mark chart so that all share the machine's load alike. It prints per kind
the median wall and CPU milliseconds a chart, the median time to compile Vega-Lite to
Vega alone, and the wall median ÷ the trivial chart's. See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = Path(__file__).resolve().parent / "gen_corpus.py"
TRIVIAL = {"data": {"values": [{"a": 1}]}, "mark": "point",
           "encoding": {"x": {"field": "a", "type": "quantitative"}}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=30,
                        help="generated stories whose charts are drawn (default: 30)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="times each chart is drawn (default: 3)")
    parser.add_argument("--json", type=Path, help="also write every timing as JSON here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from onrecord.views import svg

    with tempfile.TemporaryDirectory(prefix="onrecord-bench-charts-") as folder:
        specs = _specs(Path(folder), args.stories)
    charts = [*specs, *[("trivial", TRIVIAL)] * max(len(specs) // 4, 1)]
    svg._render(TRIVIAL)   # start vl-convert before timing
    for _, spec in charts[:8]:
        svg._render(spec)
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    compile_ms: dict[str, list[float]] = {}
    vl_convert = svg._converter()
    for _ in range(args.rounds):
        for kind, spec in charts:
            started, used = time.perf_counter(), time.process_time()
            svg._render(spec)
            wall.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            cpu.setdefault(kind, []).append((time.process_time() - used) * 1000)
        for kind, spec in charts:
            started = time.perf_counter()
            vl_convert.vegalite_to_vega(spec, vl_version=svg.VL_VERSION)
            compile_ms.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    print(table(wall, cpu, compile_ms))
    if args.json:
        args.json.write_text(json.dumps({"vl_convert": svg.converter(), "wall": wall,
                                         "cpu": cpu, "compile": compile_ms}, indent=1))
    return 0


def _specs(folder: Path, stories: int) -> list[tuple[str, dict]]:
    """(kind, spec with data) of every chart of `stories` generated stories and their speakers."""
    from onrecord.builder import pipeline, reading
    from onrecord.stories.paths import Paths
    from onrecord.stories.problems import Problems
    from onrecord.views import actor_chart, matrix
    from onrecord.website import actors

    subprocess.run([sys.executable, str(GENERATOR), str(folder / "content"), "--stories",
                    str(stories)], check=True, stdout=subprocess.DEVNULL)
    for name in ("site", "templates"):
        shutil.copytree(REPO / name, folder / name)
    paths, options, problems = Paths.at(folder), pipeline.Options(), Problems()
    site_config, chart_set, _ = pipeline.stories(paths, options, problems)
    engine = pipeline.open_engine(paths, options, kept=False)
    published, who = engine.get(reading.published), engine.get(reading.speakers)
    made = [(chart.name, chart.spec) for story in published for chart in chart_set.for_story(
        story, matrix.for_story(story), ("timeline", "stances", "topics"))]
    speakers = actor_chart.charts(actors.records(published, who), site_config)
    return made + [(chart.name, chart.spec) for chart in speakers.values()]


def table(wall: dict[str, list[float]], cpu: dict[str, list[float]],
          compile_ms: dict[str, list[float]]) -> str:
    from onrecord.views import svg

    trivial = statistics.median(wall["trivial"])
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    lines = [f"vl-convert {svg.converter()}, Vega-Lite {svg.VL_VERSION}; load average {load}",
             "", "| chart | drawn | wall ms | CPU ms | compile ms | ÷ trivial |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for kind in sorted(wall, key=lambda k: (k == "trivial", k)):
        lines.append(f"| {kind} | {len(wall[kind])} | {statistics.median(wall[kind]):.1f} | "
                     f"{statistics.median(cpu[kind]):.1f} | "
                     f"{statistics.median(compile_ms[kind]):.1f} | "
                     f"{statistics.median(wall[kind]) / trivial:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
