"""The engine: a rebuild after one edit renders only the pages that depend on it."""

from __future__ import annotations

from pathlib import Path

from onrecord.builder import pipeline, reading
from onrecord.stories.paths import Paths
from onrecord.stories.problems import Problems
from onrecord.website import downloads
from tests.conftest import make_project
from tests.writer_loop import story


def _again(paths: Paths) -> tuple[pipeline.Plan, list]:
    """The site planned by a new engine over the project's stored results, as a new process
    would, and the stages it ran."""
    engine = pipeline.open_engine(paths)
    try:
        made = pipeline.plan(paths, engine=engine)
        return made, [(name, args) for name, args in engine.computed]
    finally:
        engine.save()
        engine.close()


def test_one_edit_rerenders_only_its_dependent_pages(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {
        "content/alpha.md": story("Alpha", "[courts, budget]"),
        "content/beta.md": story("Beta", "[budget]"),
        "content/gamma.md": story("Gamma", "[elections]")})
    first, _ = _again(paths)
    # 3 stories, index, 3 tag pages, 404, archive, search, speakers list, 2 speakers' pages
    assert len(first.rendered) == 14

    assert _again(paths)[0].rendered == ()   # nothing changed, nothing redone

    (paths.content / "alpha.md").write_text(story("Alpha, revised", "[courts, budget]"))
    edited, ran = _again(paths)
    assert edited.rendered == ("actors/index.html", "actors/peskov/index.html",
                               "actors/us/index.html", "alpha/index.html", "archive/index.html",
                               "index.html", "tags/budget/index.html", "tags/courts/index.html")
    assert [args for name, args in ran if name == reading.story.name] == [
        (str(paths.content / "alpha.md"),)]                  # only that file read again
    assert edited.outputs == pipeline.plan(paths).outputs   # same as a full build

    template = paths.root / "templates/story.html"
    template.write_text(template.read_text() + "\n")
    assert set(_again(paths)[0].rendered) == {
        "alpha/index.html", "beta/index.html", "gamma/index.html"}

    config = paths.root / "site/site.toml"
    config.write_text(config.read_text().replace('title = "On Record"', 'title = "Renamed"'))
    assert len(_again(paths)[0].rendered) == 14  # the site's title is everywhere

    (paths.content / "gamma.md").unlink()
    after_delete, _ = _again(paths)
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
