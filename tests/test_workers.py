"""The build's worker pool: the same bytes as a serial build, and progress per stage."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

from onrecord.builder import pipeline, progress, workers
from onrecord.stories.paths import Paths
from onrecord.stories.problems import Problems
from onrecord.views import matrix, social, svg
from tests.conftest import REPO, make_project, run_cli


def _generated(root: Path, stories: int) -> Paths:
    paths = make_project(root, {})
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(paths.content),
                    "--stories", str(stories)], check=True, stdout=subprocess.DEVNULL)
    return paths


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_over_the_pool_writes_the_same_bytes_as_a_serial_one(tmp_path: Path):
    pooled = _generated(tmp_path / "pooled", 6)
    serial = make_project(tmp_path / "serial", {})
    shutil.rmtree(serial.content)
    shutil.copytree(pooled.content, serial.content)
    seen: list[tuple[str, int, int | None]] = []
    with progress.listening(lambda *report: seen.append(report)):
        pipeline.build(pooled, jobs=2)
    drawn = [done for stage, done, total in seen if stage == "charts"]
    assert max(drawn) >= workers.POOL_THRESHOLD  # enough charts to use the pool
    # Pagefind's filter files differ from run to run for the same pages (onrecord/output/search.py),
    # so the serial build is given the pooled one's index, which it reuses only if every
    # searchable page it made is the same, byte for byte
    shutil.copytree(pooled.cache / "search", serial.cache / "search")
    pipeline.build(serial, jobs=1)
    assert {p.name for p in (serial.cache / "search").iterdir()} == {
        p.name for p in (pooled.cache / "search").iterdir()}
    assert _tree(pooled.public) == _tree(serial.public)


def test_the_unit_of_work_is_a_pure_function_of_picklable_inputs(tmp_path: Path):
    paths = _generated(tmp_path / "p", 1)
    _, chart_set, stories = pipeline.stories(paths, pipeline.Options(), Problems())
    story = stories[0]
    chart = chart_set.for_story(story, matrix.for_story(story), ("stances",))[0]
    what = {"site": "S", "title": story.title, "stats": "1 story", "glimpse": []}
    name, card = social.name(what), social.fields(what)
    batch = workers.Batch(charts=((svg.key(chart), chart.drawn),), cards=((name, card),))
    again = pickle.loads(pickle.dumps(batch))
    first, second = workers.draw(batch), workers.draw(again)
    assert first == second
    ok, text = first.svgs[svg.key(chart)]
    assert ok and text.startswith("<svg") and "Statements" in text
    assert first.cards[name].startswith(b"\x89PNG")


def test_batches_keep_every_item_once_charts_and_cards_apart():
    charts = [(f"c{n}", "{}") for n in range(7)]
    cards = [(f"k{n}", "{}") for n in range(2)]
    made = workers.batches(charts, cards, size=3)
    assert [len(b) for b in made] == [3, 3, 1, 2]
    assert [k for b in made for k, _ in (*b.charts, *b.cards)] == [k for k, _ in charts + cards]
    assert all(not b.cards for b in made[:3]) and not made[3].charts


def test_a_bad_chart_in_a_pooled_batch_is_reported_not_raised():
    drawn = workers.draw(workers.Batch(charts=(("bad", '{"mark": "nosuchmark"}'),)))
    ok, why = drawn.svgs["bad"]
    assert not ok and why.strip()   # the reason, reported on the chart's file by svg.render_all


def test_jobs_must_be_a_positive_number(tmp_path: Path):
    result = run_cli("build", "--jobs", "0", cwd=tmp_path)
    assert result.returncode == 2 and "at least 1" in result.stderr
