"""The benchmark script runs end to end (tiny corpus, one run), so it cannot rot unnoticed.

No timing is asserted: the benchmark measures, the tests only check that it works.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_bench_runs_every_scenario_on_a_tiny_corpus(tmp_path: Path) -> None:
    report = tmp_path / "runs.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "5", "--runs", "1",
         "--scenarios", "cold-svg,warm,no-op,edit", "--work", str(tmp_path / "work"),
         "--json", str(report)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:4] == ["tool", "scenario", "N", "median"]
    runs = json.loads(report.read_text())
    assert [r["scenario"] for r in runs] == ["cold-svg", "warm", "no-op", "edit"]
    for run in runs:
        assert run["pages"] == 5 and len(run["seconds"]) == 1 and run["rss"][0] > 0
        assert run["cpu"][0] > 0
    warm, edit = runs[1], runs[3]
    assert {"load", "render", "write"} <= set(runs[0]["stages"][0])
    assert warm["stages"][0]["write"] > 0 and "render" in edit["stages"][0]
    assert runs[2]["stages"] == [{}]   # a no-op build stops before any stage
    site = tmp_path / "work" / "onrecord-5" / "public"
    assert len(list(site.glob("*/index.html"))) >= 5


def test_chart_bench_prints_each_kind_next_to_the_trivial_chart(tmp_path: Path) -> None:
    report = tmp_path / "charts.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "charts.py"), "--stories", "1", "--rounds", "1",
         "--json", str(report)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    rows = [line.split("|")[1].strip() for line in done.stdout.splitlines()
            if line.startswith("| ") and "---" not in line]
    assert rows == ["chart", "stance-over-time", "stances", "timeline", "topics", "trivial"]
    timings = json.loads(report.read_text())
    assert timings["vl_convert"] and all(len(timings["cpu"][kind]) >= 1 for kind in rows[1:])


def test_lighthouse_bench_serves_the_site_gzipped_as_a_static_host_would(tmp_path: Path) -> None:
    """bench/lighthouse.py measures what a host sends: gzip when asked, plain otherwise.
    (Lighthouse itself comes from npm, so the suite never runs it.)"""
    import gzip
    import importlib.util
    from urllib.request import Request, urlopen

    spec = importlib.util.spec_from_file_location("lighthouse", REPO / "bench" / "lighthouse.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    page = "<!doctype html><title>x</title>" + "<p>words</p>" * 500
    (tmp_path / "story").mkdir()
    (tmp_path / "story" / "index.html").write_text(page)
    (tmp_path / "social.png").write_bytes(b"\x89PNG" * 100)
    with bench.serve(tmp_path) as url:
        with urlopen(Request(url + "story/", headers={"Accept-Encoding": "gzip"})) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            body = response.read()
            assert int(response.headers["Content-Length"]) == len(body) < len(page) / 10
            assert gzip.decompress(body).decode() == page
        with urlopen(url + "story/") as response:
            assert response.headers["Content-Encoding"] is None and response.read() == page.encode()
        with urlopen(Request(url + "social.png", headers={"Accept-Encoding": "gzip"})) as response:
            assert response.headers["Content-Encoding"] is None   # already compressed


def test_search_parts_bench_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(corpus),
                    "--stories", "3"], check=True, capture_output=True, timeout=60)
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "search_parts.py"), str(corpus),
         "--project", str(tmp_path / "project")],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "1 parts of" in done.stdout
    assert "edit of one story's prose: 1 of 1 parts" in done.stdout


def test_edit_latency_bench_times_saves_on_a_kept_project(tmp_path: Path) -> None:
    """A project made from a corpus is kept; run again on it, no corpus is needed."""
    corpus, project, report = tmp_path / "corpus", tmp_path / "project", tmp_path / "edits.json"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(corpus),
                    "--stories", "3"], check=True, capture_output=True, timeout=120)
    for source in ([str(corpus)], []):
        done = subprocess.run(
            [sys.executable, str(REPO / "bench" / "edit_latency.py"), *source, "--project",
             str(project), "--edits", "2", "--json", str(report)],
            capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        times = json.loads(report.read_text())
        assert times["stories"] == 3 and len(times["ms"]) == 2 and len(times["server_ms"]) == 2
        assert len(times["cpu_ms"]) == 2 and all(ms > 0 for ms in times["cpu_ms"])
        assert "2 edits of" in done.stdout and "median" in done.stdout
    for story in corpus.glob("*.md"):   # the edited story is restored
        assert (project / "content" / story.name).read_text() == story.read_text()
