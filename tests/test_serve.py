"""`serve`: a real server process, a real HTTP client and real file edits."""

from __future__ import annotations

import random
import signal
import time
import urllib.request
from pathlib import Path

from onrecord.authoring.serve import Built, DevSite, Failed, inject
from onrecord.builder import pipeline
from tests.conftest import make_project
from tests.writer_loop import serve, story

OVERLAY = 'id="onrecord-overlay"'


def test_serve_rebuilds_on_save_shows_problems_and_recovers(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/first.md": story("First story"),
                                          "content/second.md": story("Second story")})
    root = paths.root
    with serve(root, "--base-url", "https://example.org/sub/") as site:
        assert site.url.endswith("/sub/")
        status, page = site.get("first/")
        assert status == 200 and "First story" in page and "/livereload.js" in page
        assert OVERLAY not in page
        with urllib.request.urlopen(site.url.removesuffix("sub/")) as response:
            assert response.url == site.url  # the bare host redirects to the subpath
        assert site.get("nope/")[0] == 404

        (root / "content/first.md").write_text(story("First story, revised"))
        site.wait_for("first/", lambda s, b: "First story, revised" in b, "showed the edit")

        broken = story("First story, revised").replace("actor: us", "actor: nobody")
        (root / "content/first.md").write_text(broken)
        (root / "content/second.md").write_text("---\ntitle: [unclosed\n---\n")
        page = site.wait_for("first/", lambda s, b: OVERLAY in b and "second.md" in b,
                             "showed the overlay")
        assert "First story, revised" in page               # the last good site stays
        assert "content/first.md:" in page and "nobody" in page and "Fix:" in page
        assert "content/second.md:2" in page                # every problem, each with its line
        assert site.get("second/")[0] == 200

        (root / "content/first.md").write_text(story("First story, fixed"))
        (root / "content/second.md").unlink()                # deleting a story works
        page = site.wait_for("first/", lambda s, b: "First story, fixed" in b and OVERLAY not in b,
                             "cleared the overlay")
        site.wait_for("second/", lambda s, b: s == 404, "removed the deleted story")

        (root / "content/first.md").rename(root / "content/renamed.md")
        site.wait_for("renamed/", lambda s, b: s == 200 and "First story, fixed" in b,
                      "served the renamed story")
        assert site.get("first/")[0] == 404
        assert "rebuilt" in site.output()
        site.process.send_signal(signal.SIGINT)
        assert site.process.wait(timeout=20) == 0           # Ctrl-C exits cleanly
    assert "Traceback" not in site.output()
    assert not (root / "public").exists()                   # serve never touches public/


def test_serve_survives_a_thousand_rapid_edits(tmp_path: Path) -> None:
    """Edits, broken files, deletions and renames as fast as a script can make them."""
    names = [f"s{n}" for n in range(4)]
    paths = make_project(tmp_path / "p", {f"content/{n}.md": story(f"Story {n} v0") for n in names})
    content = paths.content
    chaos = random.Random(4)
    with serve(paths.root) as site:
        for edit in range(1000):
            name = chaos.choice(names)
            path = content / f"{name}.md"
            action = chaos.random()
            if action < 0.6:
                path.write_text(story(f"Story {name} v{edit}"))
            elif action < 0.8:
                path.write_text(story(f"Story {name} v{edit}").replace("actor: us", "actor: x")
                                if edit % 2 else "---\ntitle: [\n---\n")
            elif action < 0.9:
                path.unlink(missing_ok=True)
            else:
                other = content / f"{name}-moved.md"
                if path.exists():
                    path.rename(other)
                elif other.exists():
                    other.rename(path)
            if edit % 10 == 0:
                time.sleep(0.03)   # let rebuilds start mid-stream, on half-written states too
            if edit % 100 == 0:
                assert site.get("")[0] == 200, site.output()
        for moved in content.glob("*-moved.md"):
            moved.unlink()
        for name in names:
            (content / f"{name}.md").write_text(story(f"Story {name} final"))
        for name in names:
            site.wait_for(f"{name}/", lambda s, b, name=name: s == 200 and
                          f"Story {name} final" in b and OVERLAY not in b, "settled")
        index = site.get("")[1]
        assert all(f"Story {n} final" in index for n in names) and "moved" not in index
        assert site.process.poll() is None
        rebuilds = sum("rebuilt" in line or "error in" in line or "errors in" in line
                       for line in site.lines)
        assert rebuilds >= 2, site.output()   # it rebuilt while the edits went on
    assert "Traceback" not in site.output()


def test_a_broken_template_or_directive_keeps_the_last_good_site(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/first.md": story("First")})
    site = DevSite(paths, pipeline.Options())
    assert isinstance(site.rebuild(first=True), Built)
    good = site.state.outputs

    (paths.content / "first.md").write_text(story("First", body="{{ chrat timeline }}\n"))
    template = paths.root / "templates/story.html"
    template.write_text(template.read_text().replace("{% endblock %}", "{% endblok %}", 1))
    failed = site.rebuild()
    assert isinstance(failed, Failed) and failed.serving
    assert site.state.outputs is good                      # still serving the last good site
    page = inject(good["first/index.html"], b"<script></script>", site.state.problems)
    assert OVERLAY in page.decode() and "content/first.md:" in page.decode()
    assert "chrat" in page.decode()

    (paths.content / "first.md").write_text(story("First, fixed"))
    failed = site.rebuild()                                 # the template is still broken
    assert isinstance(failed, Failed)
    assert any(p.path == "templates/story.html" and p.line for p in failed.problems)

    template.write_text(template.read_text().replace("{% endblok %}", "{% endblock %}"))
    assert isinstance(site.rebuild(), Built)
    assert site.state.problems == () and b"First, fixed" in site.state.outputs["first/index.html"]


def test_after_a_save_the_search_index_follows_without_holding_up_the_reload(
        tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/first.md": story("First story")})
    site = DevSite(paths, pipeline.Options())
    assert isinstance(site.rebuild(first=True), Built)
    before = {n: d for n, d in site.state.outputs.items() if n.startswith("pagefind/")}
    assert "pagefind/parts.json" in before        # the first build indexes at once

    (paths.content / "first.md").write_text(story("Zanzibar anchovies"))
    assert isinstance(site.rebuild(), Built)
    served = site.state.outputs
    assert "Zanzibar anchovies" in served["first/index.html"].decode()
    assert {n: served[n] for n in before} == before        # the old index, until the new one

    deadline = time.monotonic() + 120
    while site.state.outputs is served and time.monotonic() < deadline:
        time.sleep(0.05)
    fresh = site.state.outputs
    assert fresh is not served, "the search index was never rebuilt"
    assert fresh["first/index.html"] == served["first/index.html"]
    index = {n: d for n, d in fresh.items() if n.startswith("pagefind/")}
    assert "pagefind/parts.json" in index and index != before
    # The new index is the one a full build makes for the same pages.
    assert set(index) == {n for n in pipeline.plan(paths).outputs if n.startswith("pagefind/")}
