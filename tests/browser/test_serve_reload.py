"""In Chromium: `serve` reloads the page after a save, shows the overlay, and clears it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.conftest import make_project
from tests.writer_loop import serve, story


def test_page_reloads_after_a_save_and_shows_then_clears_the_overlay(browser: Browser,
                                                                     tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {"content/first.md": story("First draft")})
    source = paths.content / "first.md"
    with serve(paths.root, "--base-url", "/explainers/") as site:
        page = browser.new_page()
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.goto(site.url + "first/")
        page.wait_for_function("() => window.LiveReload !== undefined")  # the client connected
        page.evaluate("() => { window.notReloaded = true; }")

        source.write_text(story("Second draft"))
        page.wait_for_function("() => document.title.includes('Second draft')", timeout=30_000)
        assert page.evaluate("() => window.notReloaded === undefined")   # a real reload

        source.write_text(story("Second draft").replace("stance: supports", "stance: sort-of"))
        overlay = page.wait_for_selector("#onrecord-overlay", timeout=30_000)
        text = overlay.inner_text()
        assert "content/first.md:" in text and "sort-of" in text and "Fix:" in text
        assert "Second draft" in page.title()    # the last good page under the overlay
        # Styled and dismissable from files of its own, within the pages' CSP.
        assert overlay.evaluate("e => getComputedStyle(e).position") == "fixed"
        page.click("[data-onrecord-dismiss]")
        assert page.query_selector("#onrecord-overlay") is None
        assert violations == []

        source.write_text(story("Third draft"))
        page.wait_for_function("() => document.title.includes('Third draft')", timeout=30_000)
        assert page.query_selector("#onrecord-overlay") is None
        page.close()
