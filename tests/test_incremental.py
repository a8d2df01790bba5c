"""The memo layer: a rebuild after one edit renders only the pages that depend on it."""

from __future__ import annotations

import os
from pathlib import Path

from onrecord import downloads, pipeline
from onrecord.cache import Memo
from onrecord.paths import Paths
from onrecord.problems import Problems
from tests.conftest import make_project
from tests.writer_loop import story


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))  # a distinct save


def test_one_edit_rerenders_only_its_dependent_pages(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {
        "content/alpha.md": story("Alpha", "[courts, budget]"),
        "content/beta.md": story("Beta", "[budget]"),
        "content/gamma.md": story("Gamma", "[elections]")})
    memo = Memo()
    first = pipeline.plan(paths, memo=memo)
    # 3 stories, index, 3 tag pages, 404, archive, search, speakers list, 2 speakers' pages
    assert len(first.rendered) == 14

    assert pipeline.plan(paths, memo=memo).rendered == ()   # nothing changed, nothing redone

    _touch(paths.content / "alpha.md", story("Alpha, revised", "[courts, budget]"))
    edited = pipeline.plan(paths, memo=memo)
    assert edited.rendered == ("actors/index.html", "actors/peskov/index.html",
                               "actors/us/index.html", "alpha/index.html", "archive/index.html",
                               "index.html", "tags/budget/index.html", "tags/courts/index.html")
    assert memo.computed("load") == (paths.content / "alpha.md",)   # only that file re-read
    assert edited.outputs == pipeline.plan(paths).outputs   # same as a full build

    _touch(paths.root / "templates/story.html",
           (paths.root / "templates/story.html").read_text() + "\n")
    assert set(pipeline.plan(paths, memo=memo).rendered) == {
        "alpha/index.html", "beta/index.html", "gamma/index.html"}

    config = paths.root / "site/site.toml"
    _touch(config, config.read_text().replace('title = "On Record"', 'title = "Renamed"'))
    assert len(pipeline.plan(paths, memo=memo).rendered) == 14  # the site's title is everywhere

    (paths.content / "gamma.md").unlink()
    after_delete = pipeline.plan(paths, memo=memo)
    assert "gamma/index.html" not in after_delete.outputs
    assert "tags/elections/index.html" not in after_delete.outputs
    assert after_delete.rendered == ("actors/index.html", "actors/peskov/index.html",
                                     "actors/us/index.html", "archive/index.html", "index.html")
    assert after_delete.outputs == pipeline.plan(paths).outputs


def test_site_downloads_joined_from_parts_match_a_full_encoding(example_site: Path) -> None:
    paths = Paths.at(Path(__file__).resolve().parent.parent)
    _, _, stories = pipeline.stories(paths, pipeline.Options(), Problems())
    published = sorted((s for s in stories if not s.draft), key=lambda s: (s.date, s.slug),
                       reverse=True)
    assert (example_site / "data/quotes.csv").read_bytes() == downloads.as_csv(published)
    assert (example_site / "data/quotes.json").read_bytes() == downloads.as_json(published)
