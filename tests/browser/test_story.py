"""The explainer's data views as readers use them: charts, the matrix, with and without
JavaScript, by mouse and by keyboard, and on paper."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.watch import settle

# The text of an element as a screen reader announces it: hidden decoration left out.
SPOKEN = """el => { const copy = el.cloneNode(true);
  copy.querySelectorAll('[aria-hidden="true"]').forEach(n => n.remove());
  return copy.textContent.replace(/\\s+/g, ' ').trim(); }"""

# A4 less the print stylesheet's 15 mm margins, in CSS pixels (96 to the inch).
PRINTABLE_WIDTH = round((210 - 2 * 15) / 25.4 * 96)


@pytest.fixture(scope="module")
def story_url(samples: dict[str, str]) -> str:
    return samples["story"]


@pytest.fixture(scope="module")
def quotes(story_url: str) -> list[str]:
    """The text of every statement in the story, from its published quotes.json."""
    with urllib.request.urlopen(story_url + "quotes.json") as response:
        return [q["text"] for q in json.load(response)["quotes"]]


@pytest.fixture(scope="module")
def live(browser: Browser, story_url: str) -> Iterator[Page]:
    """The story with JavaScript on and charts.js ready, and every URL it requested."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.requested = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(story_url)
    settle(page)
    yield page
    page.close()


@pytest.fixture(scope="module")
def static(browser: Browser, story_url: str) -> Iterator[Page]:
    """The story as a reader without JavaScript gets it."""
    context: BrowserContext = browser.new_context(java_script_enabled=False,
                                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(story_url)
    yield page
    context.close()


def test_without_javascript_every_chart_is_an_inline_described_svg(static: Page):
    views = static.locator(".chart-view")
    assert views.count() >= 2
    for n in range(views.count()):
        view = views.nth(n)
        assert view.get_attribute("data-live") is None          # no script has touched it
        svg = view.locator(":scope > svg")
        expect(svg).to_have_attribute("role", "img")
        assert len(svg.get_attribute("aria-label") or "") > 20
        box = svg.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
        assert svg.locator("text").count() > 3                  # axis labels are real text


def test_without_javascript_the_matrix_reads_and_opens(static: Page):
    cells = static.locator(".matrix td.cell details")
    assert cells.count() >= 3
    for n in range(cells.count()):
        cell = cells.nth(n)
        quotes = cell.locator(".cell-quotes > li")
        expect(quotes.first).to_be_hidden()
        cell.locator("summary").click()
        expect(quotes.first).to_be_visible()
        assert len(quotes.first.inner_text()) > 20


def test_with_javascript_charts_stay_the_server_svg_and_vega_is_never_fetched(live: Page):
    """Tooltips come from the SVG already on the page: no runtime, no redraw."""
    views = live.locator(".chart-view")
    assert views.count() >= 2
    for n in range(views.count()):
        view = views.nth(n)
        assert view.get_attribute("data-live") is None          # not replaced by a Vega view
        expect(view).to_have_class(re.compile(r"\bhas-tips\b"))
        expect(view.locator("svg")).to_have_count(1)
        expect(view.locator(":scope > svg")).to_have_attribute("role", "img")
        assert view.locator("svg [data-tip]").count() > 0
    assert not [u for u in live.requested if "vega" in u]     # type: ignore[attr-defined]


def test_hovering_each_timeline_point_shows_its_own_quote(live: Page, quotes: list[str]):
    """Every statement is a mark of its own: none hides under a neighbour on the same day."""
    points = live.locator(".chart-view g.mark-symbol.role-mark path")
    assert points.count() == len(quotes)                        # one point a statement
    tooltip = live.locator("#chart-tip")
    shown: list[str] = []
    for n in range(points.count()):
        point = points.nth(n)
        # in the middle of the window, clear of the sticky header, with the layout settled
        point.evaluate("p => p.scrollIntoView({block: 'center', inline: 'center'})")
        live.wait_for_function("() => document.fonts.status === 'loaded'")
        box = point.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        # its centre, and 5 px above and below it (inside its radius), are no neighbour's
        for dy in (0, -5, 5):
            hit = point.evaluate("(p, [x, y]) => document.elementFromPoint(x, y) === p",
                                 [x, y + dy])
            assert hit, f"point {n} is drawn under a neighbour"
        live.mouse.move(x, y)
        expect(tooltip).to_have_class(re.compile(r"\bvisible\b"))
        expect(point).to_have_class(re.compile(r"\bis-tip\b"))   # the mark shows which
        text = tooltip.inner_text()
        said = [q for q in quotes if q in text]
        assert len(said) == 1, text                             # the whole quote, verbatim
        shown += said
        live.mouse.move(0, 0)
        expect(tooltip).not_to_have_class(re.compile(r"\bvisible\b"))
    assert sorted(shown) == sorted(quotes)                      # each point its own statement


def test_each_statement_is_reachable_by_keyboard(live: Page, quotes: list[str]):
    """Tab reaches the timeline; the arrow keys go from mark to mark, each with its tooltip,
    which is a live region, so a screen reader reads it too."""
    live.goto(live.url)
    settle(live)
    for _ in range(200):
        live.keyboard.press("Tab")
        if live.evaluate("document.activeElement.matches('#chart-timeline .chart-view')"):
            break
    else:
        pytest.fail("Tab never reaches the timeline")
    tooltip = live.locator("#chart-tip")
    expect(tooltip).to_have_class(re.compile(r"\bvisible\b"))   # focus shows the first mark
    expect(tooltip).to_have_attribute("role", "status")
    marks = live.locator("#chart-timeline [data-tip]").count()
    seen = {tooltip.inner_text()}
    for _ in range(marks - 1):
        live.keyboard.press("ArrowRight")
        seen.add(tooltip.inner_text())
    assert len(seen) == marks                                   # every mark, once
    said = [q for q in quotes if any(q in text for text in seen)]
    assert sorted(said) == sorted(quotes)
    live.keyboard.press("ArrowRight")                           # round to the first again
    assert tooltip.inner_text() in seen
    live.keyboard.press("Escape")
    expect(tooltip).not_to_have_class(re.compile(r"\bvisible\b"))
    live.keyboard.press("Tab")                                  # Tab moves on: no trap
    assert not live.evaluate("document.activeElement.matches('#chart-timeline .chart-view')")


def test_a_tap_shows_a_tooltip_that_stays_until_a_tap_elsewhere(browser: Browser, story_url: str,
                                                                quotes: list[str]):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.goto(story_url)
    settle(page)
    point = page.locator("#chart-timeline g.mark-symbol.role-mark path").first
    point.scroll_into_view_if_needed()
    point.tap()
    tooltip = page.locator("#chart-tip")
    expect(tooltip).to_have_class(re.compile(r"\bvisible\b"))
    assert [q for q in quotes if q in tooltip.inner_text()]
    box = tooltip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375  # on screen
    page.locator("h1").tap()
    expect(tooltip).not_to_have_class(re.compile(r"\bvisible\b"))
    context.close()


def _stance_labels(page: Page) -> dict[str, str]:
    """Stance class -> its label as spoken, read from the matrix's key."""
    return page.eval_on_selector_all(".stance-key .stance-badge", """badges =>
        Object.fromEntries(badges.map(badge => {
            const owner = badge.parentElement.closest('[class*="stance-"]');
            const copy = badge.cloneNode(true);
            copy.querySelectorAll('[aria-hidden="true"]').forEach(n => n.remove());
            return [[...owner.classList].find(c => c.startsWith('stance-')),
                    copy.textContent.replace(/\\s+/g, ' ').trim()];
        }))""")


def _check_cell(page: Page, cell, labels: dict[str, str]) -> None:
    """An opened cell: its stance said in words, its quotes shown, as many as it counts."""
    stance = next(c for c in (cell.get_attribute("class") or "").split() if c in labels)
    summary = cell.locator("summary")
    assert labels[stance] in summary.evaluate(SPOKEN)
    expect(cell.locator("details")).to_have_attribute("open", "")
    quotes = cell.locator(".cell-quotes > li")
    expect(quotes.first).to_be_visible()
    count = int(re.search(r"(\d+) statements?", summary.inner_text()).group(1))
    expect(quotes).to_have_count(count)


def test_each_matrix_cell_opens_by_mouse_with_its_stance_in_words(live: Page):
    labels = _stance_labels(live)
    cells = live.locator(".matrix td.cell:has(details)")
    assert cells.count() >= 3
    for n in range(cells.count()):
        cell = cells.nth(n)
        cell.locator("summary").click()
        _check_cell(live, cell, labels)
        cell.locator("summary").click()
        expect(cell.locator("details")).not_to_have_attribute("open", "")


def test_each_matrix_cell_opens_by_keyboard(live: Page):
    """Tab through the page from the top; Enter on each matrix cell opens its quotes."""
    labels = _stance_labels(live)
    cells = live.locator(".matrix td.cell:has(details)")
    live.goto(live.url)
    settle(live)
    opened = 0
    for _ in range(300):
        live.keyboard.press("Tab")
        where = live.evaluate("""() => { const el = document.activeElement;
            return el.matches('.matrix summary') ? 'cell' : el.closest('.matrix') ? 'matrix' :
                   el === document.body ? 'end' : 'page'; }""")
        if where == "cell":
            live.keyboard.press("Enter")
            cell = live.locator(".matrix td.cell:has(summary:focus)")
            _check_cell(live, cell, labels)
            live.keyboard.press("Enter")           # close it again, so Tab moves on
            opened += 1
        elif opened or where == "end":
            break
    assert opened == cells.count()


def test_the_story_prints_with_the_whole_matrix_on_the_page(
        browser: Browser, story_url: str, artifacts: Path):
    page = browser.new_page(viewport={"width": PRINTABLE_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.goto(story_url)
    settle(page)
    table = page.locator(".matrix-table").bounding_box()
    assert table is not None and table["x"] >= 0
    assert table["x"] + table["width"] <= PRINTABLE_WIDTH
    assert page.evaluate("document.documentElement.scrollWidth") <= PRINTABLE_WIDTH
    assert page.locator(".site-header nav").is_hidden()          # screen-only parts go
    pdf = page.pdf(format="A4", print_background=True)
    (artifacts / "story-print.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages > 1
    page.close()


# Axis labels that overlap, as boxes on the page: (chart, first label, second label).
OVERLAPS = """root => [...root.querySelectorAll('.chart-view')].flatMap((view, n) => {
  const boxes = [...view.querySelectorAll('.role-axis-label text')]
    .map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, b]) => b.width > 0);
  return boxes.flatMap(([a, p], i) => boxes.slice(i + 1)
    .filter(([, q]) => p.left < q.right - 1 && q.left < p.right - 1 &&
                       p.top < q.bottom - 1 && q.top < p.bottom - 1)
    .map(([b]) => [n, a, b]));
})"""


@pytest.mark.parametrize("javascript", [True, False], ids=["live", "static"])
@pytest.mark.parametrize("path", ["story", "speaker"])
def test_on_a_phone_no_chart_label_overprints_another(
        browser: Browser, story_url: str, site_url: str, path: str, javascript: bool):
    """At 375 px a chart with long claim labels scrolls in its card rather than squeeze
    them into each other."""
    context = browser.new_context(java_script_enabled=javascript,
                                  viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(story_url if path == "story" else site_url + "actors/peskov/")
    if javascript:
        settle(page)
        expect(page.locator(".chart-view").first).to_have_class(re.compile(r"\bhas-tips\b"))
    assert page.locator(".chart-view .role-axis-label text").count() > 2
    assert page.locator("body").evaluate(OVERLAPS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375   # the card scrolls
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_speaker_chart_gives_its_width_to_the_plot_and_shows_claims_whole(
        browser: Browser, site_url: str, width: int):
    """Claims wrap beside the plot instead of being cut off with an ellipsis, and the plot
    fills the card on a laptop (on a phone, the card scrolls)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + "actors/peskov/")
    settle(page)
    view = page.locator(".chart-view")
    expect(view).to_have_class(re.compile(r"\bhas-tips\b"))
    labels = view.locator(".role-axis-label text").all_text_contents()
    assert labels and not [label for label in labels if "…" in label]
    plot = view.locator(".role-axis-domain line").first.bounding_box()   # the x axis line
    card = view.bounding_box()
    assert plot is not None and card is not None
    assert plot["width"] >= (0.6 if width > 600 else 0.3) * card["width"], (plot, card)
    page.close()
