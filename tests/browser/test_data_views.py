"""The matrix and the charts in Chromium: phone and laptop, light and dark, with and without JS.

Screenshots land in tests/artifacts/ for a person to look at; the assertions are what
a reader would notice: sideways page scroll, blank charts, unreadable colours.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
STORY = "crocus-city-hall-attack/"
CHARTS = 3  # timeline, stances, topics on the seed page


@pytest.fixture
def open_page(browser: Browser, site_url: str) -> Iterator:
    pages: list[Page] = []

    def opener(width: int, *, javascript: bool = True, scheme: str = "light") -> Page:
        page = browser.new_page(viewport={"width": width, "height": 900},
                                java_script_enabled=javascript, color_scheme=scheme)
        page.console = []  # type: ignore[attr-defined]
        page.on("console", lambda m: page.console.append(f"{m.type}: {m.text}")
                if m.type in ("warning", "error") else None)
        pages.append(page)
        page.goto(site_url + STORY)
        return page

    yield opener
    for page in pages:
        page.close()


def page_scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("width", [375, 1280])
def test_charts_with_tooltips_and_matrix_fit_the_screen(open_page, width: int):
    page = open_page(width)
    page.wait_for_function(
        f"document.querySelectorAll('.chart-view.has-tips').length === {CHARTS}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"data-views-{width}.png"), full_page=True)
    assert not page_scrolls_sideways(page)
    assert page.console == []  # no warnings, no errors
    for view in page.locator(".chart-view").all():
        box = view.locator("svg").first.bounding_box()
        assert box and box["height"] > 100
        # the chart is one image, named by its title and description
        assert view.locator("svg").first.get_attribute("role") == "img"
        assert "statement" in (view.locator("svg").first.get_attribute("aria-label") or "").lower()
    # the matrix scrolls inside its own box, with the speaker column stuck to the left
    scroller = page.locator(".matrix-scroll")
    inner = scroller.evaluate("e => e.scrollWidth - e.clientWidth")
    if width == 375:
        assert inner > 0
        scroller.evaluate("e => e.scrollLeft = 400")
        name = page.locator(".matrix-table th.actor").first.bounding_box()
        assert name and name["x"] >= scroller.bounding_box()["x"] - 1


def test_without_javascript_the_svg_charts_and_the_matrix_are_readable(open_page):
    page = open_page(375, javascript=False)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "data-views-375-no-js.png"), full_page=True)
    assert not page_scrolls_sideways(page)
    views = page.locator(".chart-view").all()
    assert len(views) == CHARTS
    for view in views:
        svg = view.locator("svg").first
        box = svg.bounding_box()
        assert box and box["width"] >= 375 and box["height"] > 150  # not shrunk to a stamp
        assert svg.get_attribute("aria-label")
    cell = page.locator(".matrix-table td.cell details").first
    assert cell.is_visible()
    cell.locator("summary").click()
    assert cell.evaluate("e => e.open")
    assert cell.locator(".cell-quotes time").first.is_visible()
    data = page.locator(".chart-data").first
    data.locator("summary").click()
    assert data.locator("tbody tr").count() == 9


def test_dark_mode_repaints_charts_for_contrast(open_page):
    page = open_page(1280, scheme="dark")
    page.wait_for_selector(".chart-view.has-tips")
    colours = page.evaluate("""() => [...document.querySelectorAll('.chart-view')].map(v => {
        const label = v.querySelector('.role-axis-label text');
        return [getComputedStyle(label).fill, getComputedStyle(v).backgroundColor];
    })""")
    for text, card in colours:
        assert text == "rgb(236, 235, 232)"   # the dark theme's ink, not Vega's dark grey
        assert card == "rgb(30, 33, 39)"      # the dark card, not a white box
    # a stance colour in the SVG takes its dark-mode pair from site.toml
    bars = page.locator("#chart-stances .mark-rect path").first
    assert bars.evaluate("e => getComputedStyle(e).fill") in {
        "rgb(63, 207, 164)", "rgb(255, 143, 87)", "rgb(242, 184, 75)", "rgb(180, 180, 180)",
        "rgb(108, 188, 240)"}


def test_matrix_cells_open_from_the_keyboard(open_page):
    page = open_page(1280)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.matrix-table summary')"):
            break
    else:
        pytest.fail("no matrix cell reachable with Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open")


def test_timeline_tooltip_shows_the_words_and_source(open_page):
    page = open_page(1280)
    page.wait_for_selector("#chart-timeline .chart-view.has-tips")
    point = page.locator("#chart-timeline .mark-symbol path").first
    point.hover()
    tooltip = page.locator("#chart-tip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "Said" in text and "Source" in text and "US government" in text


def test_stance_key_highlights_cells_without_javascript(open_page):
    page = open_page(1280, javascript=False)
    page.get_by_role("radio", name="Disputes").check()
    opacity = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '.matrix-table td.cell:not(.empty)')].map(td => [
        td.closest('tr').querySelector('.actor-name').textContent + ' / ' + td.cellIndex,
        getComputedStyle(td).opacity]))""")
    assert opacity["Maria Zakharova / 1"] == "1"   # questioned, then disputed: took it
    assert opacity["Dmitri Peskov / 3"] == "1"
    assert opacity["Dmitri Peskov / 1"] == "0.3"   # only declined to comment
    assert opacity["US government / 1"] == "0.3"
    page.get_by_role("radio", name="All").check()
    assert page.locator(".matrix-table td.cell").first.evaluate(
        "e => getComputedStyle(e).opacity") == "1"
