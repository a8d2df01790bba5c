"""Corrections as readers meet them, on a 375 px phone, with and without JavaScript: the
story says it was corrected near the top and links to the notes; the withdrawn statement
is struck through, said in words, and absent from the matrix and the charts; axe finds
nothing on the story or the corrections page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.watch import settle

SAMPLE = "sample-harbour-bridge-closure/"
WITHDRAWN = "A shuttle boat is no use to anyone if there is nowhere to park"
ON_RECORD = 10   # statements in the sample story, the withdrawn one left out


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone(request, browser: Browser) -> Iterator[Page]:
    """A 375 px phone, with scripts on (charts live) or off (the server's SVG)."""
    context = browser.new_context(viewport={"width": 375, "height": 800},
                                  java_script_enabled=request.param)
    page = context.new_page()
    page.javascript = request.param   # type: ignore[attr-defined]
    yield page
    context.close()


def _open(page: Page, url: str) -> None:
    page.goto(url)
    if page.javascript:   # type: ignore[attr-defined]
        settle(page)


def test_the_story_says_it_was_corrected_and_links_to_the_notes(
        phone: Page, site_url: str, artifacts: Path):
    _open(phone, site_url + SAMPLE)
    flag = phone.locator(".story-header a[href='#corrections']")
    expect(flag).to_have_text("Corrected 13 June 2025")
    box = flag.bounding_box()
    assert box is not None and box["y"] + box["height"] < 800   # on the first screen
    mode = "js" if phone.javascript else "nojs"   # type: ignore[attr-defined]
    phone.screenshot(path=str(artifacts / f"corrections-story-375-{mode}.png"))
    flag.click()
    assert phone.url.endswith("#corrections")
    note = phone.locator("#correction-1")
    expect(note).to_be_in_viewport()
    expect(note).to_contain_text("Correction, 13 June 2025: An earlier version of this story")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_withdrawn_statement_is_struck_in_the_list_and_gone_from_matrix_and_charts(
        phone: Page, site_url: str, artifacts: Path):
    _open(phone, site_url + SAMPLE)
    item = phone.locator("#q-brennan-parking")
    item.scroll_into_view_if_needed()
    expect(item.locator("del")).to_have_text(WITHDRAWN + " at the landing stage.")
    expect(item.locator(".status-flag")).to_have_text("Withdrawn")   # in words, visible
    expect(item).to_contain_text("Misattributed: these words were said by another resident")
    assert item.locator("del").evaluate(
        "d => getComputedStyle(d).textDecorationLine").startswith("line-through")
    mode = "js" if phone.javascript else "nojs"   # type: ignore[attr-defined]
    item.screenshot(path=str(artifacts / f"corrections-withdrawn-375-{mode}.png"))
    # present once on the page: in the list, nowhere in the matrix, the charts or pull quotes
    assert phone.locator("body").inner_text().count(WITHDRAWN) == 1
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    for view in (".matrix", ".chart"):
        assert phone.locator(view).count() > 0
        for n in range(phone.locator(view).count()):
            assert WITHDRAWN not in phone.locator(view).nth(n).text_content()
    # the timeline draws one point per statement on record, live or static
    points = phone.locator("#chart-timeline g.mark-symbol.role-mark path")
    expect(points).to_have_count(ON_RECORD)
    brennan = phone.locator(".matrix-table tr", has_text="Tom Brennan")
    expect(brennan.locator(".cell").nth(1)).to_contain_text("1 statement")
    expect(brennan.locator(".shift")).to_have_count(0)   # no false change of stance
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "scripts-blocked"])
def test_axe_finds_nothing_on_the_corrected_story_and_the_corrections_page(
        browser: Browser, site_url: str, javascript: bool, artifacts: Path):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    if not javascript:   # the page as its scripts leave it (axe itself needs JavaScript)
        context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    failures = {}
    for path in (SAMPLE, "corrections/"):
        page.goto(site_url + path)
        if javascript:
            settle(page)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        violations = Axe().run(page).response["violations"]
        failures[path] = [f"{v['id']}: {v['nodes'][0]['target']}" for v in violations]
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    page.goto(site_url + "corrections/")
    page.screenshot(path=str(artifacts / "corrections-page-375.png"), full_page=True)
    context.close()
    assert failures == {SAMPLE: [], "corrections/": []}


def test_the_corrections_page_leads_to_each_note_and_statement(phone: Page, site_url: str):
    _open(phone, site_url + "corrections/")
    links = phone.locator(".correction-story a")
    expect(links).to_have_count(3)
    targets = [links.nth(n).get_attribute("href") for n in range(3)]
    assert [t.rsplit("#", 1)[1] for t in targets] == [
        "correction-1", "q-mehta-summer-trade", "q-brennan-parking"]   # newest first, then
    for n in range(3):
        _open(phone, site_url + "corrections/")
        phone.locator(".correction-story a").nth(n).click()
        anchor = targets[n].rsplit("#", 1)[1]
        expect(phone.locator(f"#{anchor}")).to_be_in_viewport()
