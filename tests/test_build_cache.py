"""Builds that reuse earlier work (build cache, manifest, standby folder) publish exactly
what a build from scratch would, and say what changed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from onrecord.builder import pipeline
from tests.conftest import REPO, VALID_STORY, make_project, run_cli
from tests.writer_loop import story

WARNED = VALID_STORY.replace(
    "  us: {name: US government, group: United States}\n",
    "  us: {name: US government, group: United States}\n  silent: {name: Nobody}\n")


def _files(public: Path) -> dict[str, bytes]:
    """Every file and its bytes; Pagefind's index is named and hashed anew on each run,
    so only its list of parts is counted, by name."""
    found = {p.relative_to(public).as_posix(): p.read_bytes()
             for p in sorted(public.rglob("*")) if p.is_file()}
    return {path: b"" if path.startswith("pagefind/") else data
            for path, data in found.items()
            if not path.startswith("pagefind/") or path == "pagefind/parts.json"}


def test_rebuilds_after_edits_match_a_build_from_scratch(tmp_path: Path) -> None:
    stories = {"content/first.md": VALID_STORY, "content/second.md": WARNED}
    paths = make_project(tmp_path / "kept", stories)
    run_cli(cwd=paths.root)
    edits = [("content/second.md", WARNED + "\nA new paragraph.\n"),
             ("content/first.md", VALID_STORY.replace("A valid story", "A retitled story")),
             ("content/third.md", VALID_STORY.replace("A valid story", "A third one"))]
    for name, text in edits:
        (paths.root / name).write_text(text, encoding="utf-8")
        stories[name] = text
        done = run_cli(cwd=paths.root)
        assert done.returncode == 0, done.stderr
        fresh = make_project(tmp_path / f"fresh-{len(stories)}-{name[8:]}", stories)
        assert run_cli(cwd=fresh.root).returncode == 0
        assert _files(paths.public) == _files(fresh.public)
    (paths.root / "content/third.md").unlink()
    done = run_cli(cwd=paths.root)
    removed = int(re.search(r"(\d+) removed", done.stdout).group(1))
    assert removed >= 3   # its page and its two downloads, at least
    assert not (paths.public / "third").exists()
    assert "third/index.html" not in _files(paths.public)


def test_a_build_with_nothing_changed_stops_early_and_repeats_the_warnings(
        tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/a.md": WARNED})
    first = run_cli(cwd=paths.root)
    again = run_cli(cwd=paths.root)
    assert "nothing changed" not in first.stdout and "nothing changed" in again.stdout
    assert "actor 'silent' has no quotes" in first.stderr
    assert again.stderr == first.stderr
    (paths.root / "content/a.md").write_text(WARNED + "\nMore.\n", encoding="utf-8")
    edited = run_cli(cwd=paths.root)
    assert "nothing changed" not in edited.stdout and edited.stderr == first.stderr
    assert "More." in (paths.public / "a/index.html").read_text()


def test_a_deleted_output_folder_is_written_again_in_full(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/a.md": VALID_STORY})
    run_cli(cwd=paths.root)
    before = _files(paths.public)
    shutil.rmtree(paths.public)
    done = run_cli(cwd=paths.root)
    assert "nothing changed" not in done.stdout
    assert _files(paths.public) == before


def test_a_broken_cache_only_costs_time(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/a.md": VALID_STORY})
    run_cli(cwd=paths.root)
    before = _files(paths.public)
    for name in ("index.pickle", "manifest.json", "outputs.json"):
        (paths.cache / "build" / name).write_bytes(b"\x80not what it was")
    (paths.root / "content/a.md").write_text(VALID_STORY + "\n", encoding="utf-8")
    done = run_cli(cwd=paths.root)
    assert done.returncode == 0, done.stderr
    assert _files(paths.public) == before


def test_a_page_that_lists_every_story_follows_an_edit_to_another_story(
        tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/first.md": VALID_STORY,
                                          "content/second.md": VALID_STORY})
    base = paths.templates / "base.html"
    base.write_text(base.read_text().replace(
        "</footer>", "{% for s in site.stories %}<i>{{ s.title }}</i>{% endfor %}</footer>"))
    run_cli(cwd=paths.root)
    second = paths.root / "content/second.md"
    second.write_text(VALID_STORY.replace("A valid story", "Now retitled"), encoding="utf-8")
    run_cli(cwd=paths.root)
    assert "<i>Now retitled</i>" in (paths.public / "first/index.html").read_text()
    assert "<i>Now retitled</i>" in (paths.public / "404.html").read_text()


def test_builds_of_one_project_at_once_into_two_folders_both_succeed(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/a.md": VALID_STORY,
                                          "content/b.md": WARNED})
    command = [sys.executable, str(REPO / "build.py")]
    runs = [subprocess.Popen([*command, "--out", str(tmp_path / f"out-{n}"), "--base-url",
                              f"/{n}/"], cwd=paths.root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for n in range(3)]
    for run in runs:
        _, errors = run.communicate(timeout=300)
        assert run.returncode == 0, errors
    for n in range(3):
        page = (tmp_path / f"out-{n}" / "a/index.html").read_text()
        assert f'href="/{n}/static/style.' in page


def test_a_one_story_edit_renders_that_story_and_the_pages_listing_it(tmp_path: Path) -> None:
    """An edit to one story's body re-renders its page alone; an edit to its title, its page
    and the pages that show the title. Never the other stories' pages, even though every
    story page names its speakers (`site.people`)."""
    paths = make_project(tmp_path / "p", {
        "content/alpha.md": story("Alpha", "[courts, budget]"),
        "content/beta.md": story("Beta", "[budget]"),
        "content/gamma.md": story("Gamma", "[elections]")})
    assert len(pipeline.build(paths)[0].rendered) == 14   # every page, once

    alpha = paths.content / "alpha.md"
    alpha.write_text(story("Alpha", "[courts, budget]", "Other prose.\n\n{{ matrix }}\n"))
    assert pipeline.build(paths)[0].rendered == ("alpha/index.html",)   # no list shows a body

    alpha.write_text(story("Alpha, revised", "[courts, budget]"))
    assert set(pipeline.build(paths)[0].rendered) == {
        "alpha/index.html", "actors/peskov/index.html", "actors/us/index.html",
        "actors/index.html", "archive/index.html", "index.html", "tags/budget/index.html",
        "tags/courts/index.html"}


def test_story_pages_follow_a_speaker_renamed_in_the_registry(tmp_path: Path) -> None:
    """Story pages read who the speakers are (links to their pages, structured data):
    a change to site/actors.toml alone re-renders them, as a build from scratch would."""
    paths = make_project(tmp_path / "p", {"content/a.md": VALID_STORY,
                                          "content/b.md": story("Beta")})
    run_cli(cwd=paths.root)
    (paths.site / "actors.toml").write_text('[kremlin]\nname = "Dmitry Peskov"\n'
                                            'aliases = ["peskov"]\n', encoding="utf-8")
    done = run_cli(cwd=paths.root)
    assert done.returncode == 0, done.stderr
    for page in ("a/index.html", "b/index.html"):
        text = (paths.public / page).read_text()
        assert "actors/kremlin/" in text and "actors/peskov/" not in text
    fresh = make_project(tmp_path / "fresh", {"content/a.md": VALID_STORY,
                                              "content/b.md": story("Beta"),
                                              "site/actors.toml": (paths.site / "actors.toml")
                                              .read_text()})
    assert run_cli(cwd=fresh.root).returncode == 0
    assert _files(paths.public) == _files(fresh.public)
