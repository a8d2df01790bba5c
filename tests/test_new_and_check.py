"""`new` makes a story that builds as created; `check` finds every problem, links included."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from onrecord.builder import pipeline
from tests.conftest import make_project, run_cli
from tests.writer_loop import story


def test_new_creates_a_valid_story_and_never_overwrites(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {})
    made = run_cli("new", "Who ordered the blackout?", cwd=paths.root)
    assert made.returncode == 0, made.stderr
    created = paths.content / "who-ordered-the-blackout.md"
    text = created.read_text()
    assert 'title: "Who ordered the blackout?"' in text
    assert f"date: {dt.date.today().isoformat()}" in text
    for example in ("actors:", "topics:", "events:", "quotes:", "stance:", "{{ quote "):
        assert example in text
    built = pipeline.plan(paths, pipeline.Options(drafts=True))
    assert "who-ordered-the-blackout/index.html" in built.outputs
    assert [w for w in built.warnings if w.path.startswith("content/")] == []
    assert run_cli("check", "--drafts", cwd=paths.root).returncode == 0

    created.write_text(text + "\nMy own words.\n")
    again = run_cli("new", "Who ordered the blackout?", cwd=paths.root)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert created.read_text().endswith("My own words.\n")

    elsewhere = run_cli("new", "A second story", "--dir", "content/2024", cwd=paths.root)
    assert elsewhere.returncode == 0 and (paths.content / "2024/a-second-story.md").is_file()
    assert run_cli("new", "???", cwd=paths.root).returncode == 1


def test_check_reports_every_broken_link_and_anchor_without_writing(tmp_path: Path) -> None:
    body = ("See [the other story](../second/) and [a missing one](../nowhere/), "
            "[an anchor](#no-such-anchor) and [outside](/elsewhere/).\n\n{{ matrix }}\n")
    paths = make_project(tmp_path / "p", {"content/first.md": story("First", body=body),
                                          "content/second.md": story("Second")})
    result = run_cli("check", cwd=paths.root)
    assert result.returncode == 1
    assert "public/first/index.html:" in result.stderr
    assert "'../nowhere/' leads to a page that does not exist" in result.stderr
    assert "'#no-such-anchor'" in result.stderr and "'/elsewhere/'" in result.stderr
    assert "../second/" not in result.stderr
    assert not paths.public.exists()

    as_json = run_cli("check", "--format", "json", "--base-url", "/sub/", cwd=paths.root)
    report = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and not report["ok"]
    assert {p["file"] for p in report["problems"] if p["severity"] == "error"} \
        == {"public/first/index.html"}
    assert report["errors"] == 3 and report["warnings"] == 1   # base_url '/sub/': no host


def test_check_strict_fails_on_a_base_url_that_is_not_a_full_address(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/first.md": story("First")})
    relaxed = run_cli("check", cwd=paths.root)
    assert relaxed.returncode == 0, relaxed.stderr
    assert relaxed.stderr.count("is not a full address") == 1
    line = (paths.root / "site" / "site.toml").read_text().splitlines().index('base_url = "/"') + 1
    assert f"site/site.toml:{line}: warning: base_url '/' is not a full address" in relaxed.stderr
    strict = run_cli("check", "--strict", "--format", "json", cwd=paths.root)
    report = json.loads(strict.stdout)
    assert strict.returncode == 1 and report["errors"] == 1
    assert report["problems"][0]["file"] == "site/site.toml"
    assert report["problems"][0]["line"] == line
    published = run_cli("check", "--strict", "--base-url", "https://news.example.com/",
                        cwd=paths.root)
    assert published.returncode == 0, published.stderr


def test_check_reports_every_source_problem_at_once(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {
        "content/one.md": story("One").replace("actor: us", "actor: nobody"),
        "content/two.md": "---\ntitle: [\n---\n"})
    result = run_cli("check", "--format", "json", cwd=paths.root)
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert {(p["file"], p["severity"]) for p in report["problems"]} >= {
        ("content/one.md", "error"), ("content/two.md", "error")}
    assert all(p["line"] for p in report["problems"] if p["severity"] == "error")
    plain = run_cli("check", cwd=paths.root)
    assert "content/one.md:" in plain.stderr and "content/two.md:3" in plain.stderr
    assert "\x1b[" not in plain.stderr + plain.stdout   # no colour codes in a pipe
    assert not paths.public.exists()
