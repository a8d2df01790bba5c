"""Embeds as a newsroom uses them: the embed codes copied from the story page, pasted into a
page on another origin (a second 127.0.0.1 port), in Chromium. Each iframe ends within a
few pixels of its content at 375 and 1280 px and follows a resize; embeds pass axe, take
a forced theme, open by keyboard, and break no rule of the pages' CSP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ElementHandle, Frame

from tests.browser.test_csp import LISTEN
from tests.kit import serve

STORY = "crocus-city-hall-attack/"
SLACK = 3   # px between the iframe's height and its content's
RECORD = """
window.__messages = [];
window.addEventListener('message', e => window.__messages.push(
  typeof e.data === 'string' ? e.data : JSON.stringify(e.data)));
"""


@pytest.fixture(scope="module")
def codes(browser: Browser, site_url: str) -> dict[str, str]:
    """Every embed code of the seed story, as its page's script leaves them (full addresses)."""
    page = browser.new_page()
    page.goto(site_url + STORY)
    page.wait_for_selector("button.embed-copy")
    found = dict(page.eval_on_selector_all(
        "textarea.embed-code", "as => as.map(a => [a.id.replace('embed-code-', ''), a.value])"))
    page.close()
    return found


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A newsroom's site: another origin, serving the pages the tests write into it."""
    folder = tmp_path_factory.mktemp("newsroom")
    with serve(folder) as url:
        yield folder, url


def article(host: tuple[Path, str], name: str, *embeds: str) -> str:
    """A host article with the pasted embed codes; returns its address."""
    folder, url = host
    body = "\n<p>More reporting.</p>\n".join(embeds)
    (folder / f"{name}.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Daily Record'
        '</title><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<style>body { font-family: Georgia, serif; max-width: 46rem; margin: 2rem auto;'
        ' padding: 0 1rem; }</style></head><body><h1>The Daily Record</h1><p>Who said what'
        f' after the attack:</p>\n{body}\n<p>End of the article.</p></body></html>')
    return f"{url}{name}.html"


def content_height(frame: Frame) -> int:
    return frame.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")


def fitted(element: ElementHandle, *, not_height: float | None = None) -> tuple[float, int]:
    """Wait (at most 15 s) for the iframe to take its content's height; (iframe, content)."""
    element.scroll_into_view_if_needed()
    frame = element.content_frame()
    assert frame is not None
    frame.wait_for_load_state("load")
    deadline = time.monotonic() + 15
    while True:
        outer = element.evaluate("f => f.getBoundingClientRect().height")
        inner = content_height(frame)
        settled = abs(outer - inner) <= SLACK and outer != not_height
        if settled or time.monotonic() > deadline:
            return outer, inner
        frame.page.wait_for_timeout(100)


@pytest.mark.parametrize("width", [375, 1280])
def test_each_view_fits_its_iframe_on_another_origin(
        browser: Browser, codes: dict[str, str], host, site_url: str, width: int):
    assert {"matrix", "chart-timeline", "chart-stances", "chart-topics"} <= set(codes)
    assert sum(name.startswith("quote-") for name in codes) == 9
    url = article(host, "every-view", *codes.values())
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.add_init_script(LISTEN)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    frames = page.query_selector_all("iframe")
    assert len(frames) == len(codes)
    misfits = {}
    for name, element in zip(codes, frames, strict=True):
        outer, inner = fitted(element)
        frame = element.content_frame()
        if abs(outer - inner) > SLACK:
            misfits[name] = (outer, inner)
        # no scrollbar in either direction: the page fits the frame's width too
        assert frame.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
        assert frame.evaluate("window.__violations") == [], name
        assert frame.evaluate("typeof window.vegaEmbed") == "undefined", name   # SVG only
    assert misfits == {}, "iframe height vs content height, px"
    origins = {r.split("/")[2] for r in requests}
    assert origins == {url.split("/")[2], site_url.split("/")[2]}   # the article and the site
    page.close()


def test_the_iframe_follows_a_resize_and_a_cell_opened_by_keyboard(
        browser: Browser, codes: dict[str, str], host):
    url = article(host, "matrix", codes["matrix"], codes["chart-timeline"])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    matrix, timeline = page.query_selector_all("iframe")
    wide, _ = fitted(matrix)
    chart_wide, _ = fitted(timeline)
    page.set_viewport_size({"width": 375, "height": 900})
    narrow, inner = fitted(matrix, not_height=wide)
    assert narrow > wide + 100 and abs(narrow - inner) <= SLACK
    chart_narrow, inner = fitted(timeline, not_height=chart_wide)
    assert chart_narrow != chart_wide and abs(chart_narrow - inner) <= SLACK
    # Into the frame from the host page with Tab, to the first matrix cell; Enter opens it.
    page.locator("h1").click()
    frame = matrix.content_frame()
    for _ in range(12):
        page.keyboard.press("Tab")
        if frame.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert frame.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert frame.evaluate("document.activeElement.parentElement.open")
    opened, inner = fitted(matrix, not_height=narrow)
    assert opened > narrow and abs(opened - inner) <= SLACK
    page.close()


def test_embeds_speak_the_height_messages_newsroom_pages_listen_for(
        browser: Browser, codes: dict[str, str], host, site_url: str):
    """Datawrapper's object, the Guardian's "set-height", AMP's "embed-size", and pym.js's
    string when the host's pym gives a childId."""
    folder, url = host
    src = site_url + STORY + "embed/quote/peskov-no-comment/?childId=bugle-1"
    (folder / "listener.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Listener</title>'
        f"<script>{RECORD}</script></head><body>"
        f'<iframe src="{src}" title="A statement" height="300"></iframe></body></html>')
    page = browser.new_page()
    page.goto(url + "listener.html")
    page.wait_for_function("window.__messages.length >= 4")
    height = content_height(page.frames[1])
    messages = page.evaluate("window.__messages")
    view = "crocus-city-hall-attack/embed/quote/peskov-no-comment/"
    assert f'{{"datawrapper-height":{{"{view}":{height}}}}}' in messages
    assert f'{{"type":"set-height","value":{height}}}' in messages
    assert f'{{"sentinel":"amp","type":"embed-size","height":{height}}}' in messages
    assert f"pymxPYMxbugle-1xPYMxheightxPYMx{height}" in messages
    page.close()


@pytest.mark.parametrize(("scheme", "javascript"),
                         [("light", True), ("dark", True), ("light", False)],
                         ids=["light", "dark", "scripts-blocked"])
def test_axe_finds_no_violation_in_any_kind_of_embed(
        browser: Browser, site_url: str, scheme: str, javascript: bool):
    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    if not javascript:
        context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    failures = {}
    for view in ("matrix/", "chart/timeline/", "chart/topics/", "quote/peskov-no-comment/",
                 "quote/putin-open-a-window/?theme=dark"):
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{site_url}{STORY}embed/{view}")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            violations = axe.run(page).response["violations"]
            failures[f"{view} {width}"] = [f"{v['id']}: {v['nodes'][0]['target']}"
                                           for v in violations]
    context.close()
    assert failures == {name: [] for name in failures}


def test_the_host_can_choose_the_theme(browser: Browser, site_url: str):
    dark, light = ("rgb(30, 33, 39)", "rgb(236, 235, 232)"), ("rgb(255, 255, 255)",
                                                              "rgb(27, 27, 27)")
    for scheme, theme, (background, ink) in (("light", "dark", dark), ("dark", "light", light),
                                             ("dark", None, dark), ("light", None, light)):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        query = f"?theme={theme}" if theme else ""
        page.goto(f"{site_url}{STORY}embed/chart/timeline/{query}")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
        # the chart's labels follow: the SVG's ink is repainted like the page's
        label = page.evaluate("getComputedStyle(document.querySelector("
                              "'.chart-view svg [fill=\"#1b1b1b\"]')).fill")
        assert label == ink, (scheme, theme)
        context.close()


def test_a_chart_embed_has_the_sites_tooltips_without_the_vega_runtime(
        browser: Browser, codes: dict[str, str], host):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(article(host, "tooltips", codes["chart-timeline"]))
    element = page.query_selector("iframe")
    fitted(element)
    frame = element.content_frame()
    frame.wait_for_selector(".chart-view.has-tips", state="attached")
    frame.focus(".chart-view.has-tips")      # by keyboard: the arrow keys go from mark to mark
    page.keyboard.press("ArrowRight")
    frame.wait_for_selector("#chart-tip.visible")
    assert "When" in frame.inner_text("#chart-tip")
    assert [url for url in requests if "vega" in url or "onrecord." in url] == []
    page.close()
