"""Every page carries a Content-Security-Policy without inline script or eval; the charts'
tooltips work under it, and so does a site chart that loads Vega on demand
(vega-interpreter instead of `new Function`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from playwright.sync_api import Browser, Page

from onrecord.builder import pipeline
from tests.conftest import VALID_STORY, make_project
from tests.kit import serve

NS = {"h": "http://www.w3.org/1999/xhtml"}
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def policy(page: Path) -> dict[str, list[str]]:
    tree = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=True)
    metas = [m for m in tree.iterfind(".//h:head/h:meta", NS)
             if m.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(metas) == 1, f"{page}: expected one CSP meta, found {len(metas)}"
    directives = [d.split() for d in metas[0].get("content").split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_every_page_has_a_policy_without_inline_script_or_eval(example_site: Path):
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        found = policy(page)
        assert found["script-src"] == ["'self'"], page
        assert found["object-src"] == ["'none'"] and found["base-uri"] == ["'none'"], page
        assert found["default-src"] == ["'self'"], page
        tree = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=True)
        for script in tree.iterfind(".//h:script", NS):  # only files, or JSON data
            assert script.get("src") or script.get("type") in (
                "application/json", "application/ld+json"), page  # data, never run
        for element in tree.iter():
            assert not any(name.startswith("on") for name in element.attrib), page


def _listening_page(browser: Browser) -> tuple[Page, list[str]]:
    """A page that records console errors and CSP violations (in window.__violations)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(LISTEN)
    return page, errors


def test_chart_tooltips_work_under_the_policy_with_no_violation(browser: Browser, site_url: str):
    page, errors = _listening_page(browser)
    page.goto(site_url + "crocus-city-hall-attack/")
    page.wait_for_selector(".chart-view.has-tips")
    page.locator(".chart-view .mark-symbol path").first.hover(force=True)
    page.locator("#chart-tip.visible").wait_for()
    assert page.evaluate("window.__violations") == []
    assert errors == []
    page.close()


# A site chart with a selection: only Vega can draw that, so the page loads it on demand.
PICK = {"title": "Pick a claim", "description": "Statements per claim", "data": {"name": "quotes"},
        "mark": "bar", "height": 120,
        "params": [{"name": "pick", "select": {"type": "point", "on": "pointerover"}}],
        "encoding": {"y": {"field": "topic", "type": "nominal", "title": None},
                     "x": {"aggregate": "count", "type": "quantitative", "title": "Statements"},
                     "opacity": {"condition": {"param": "pick", "value": 1}, "value": 0.5},
                     "tooltip": [{"field": "topic", "title": "On"},
                                 {"aggregate": "count", "title": "Statements"}]}}


@pytest.fixture(scope="module")
def interactive_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("interactive")
    story = VALID_STORY.replace("{{ matrix }}", "{{ chart pick }}")
    paths = make_project(root / "project", {"content/a.md": story,
                                            "site/charts/pick.json": json.dumps(PICK)})
    pipeline.build(paths)
    with serve(paths.public) as url:
        yield url


def test_a_chart_that_needs_vega_loads_it_on_first_use_under_the_policy(
        browser: Browser, interactive_site: str):
    page, errors = _listening_page(browser)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(interactive_site + "a/")
    page.wait_for_selector(".chart-view.has-tips")
    page.wait_for_timeout(300)
    assert not [u for u in requested if "vega-runtime" in u]    # not on load
    view = page.locator(".chart-view[data-spec]")
    view.hover()                                                # the reader reaches for it
    page.wait_for_selector(".chart-view[data-live='true']")
    assert [u for u in requested if "vega-runtime" in u]
    # Hovering a mark runs the tooltip's expressions through the interpreter too.
    view.locator(".mark-rect path").first.hover(force=True)
    page.locator("#vg-tooltip-element.visible").wait_for()
    assert page.evaluate("window.__violations") == []
    assert errors == []
    page.close()


def test_search_runs_under_the_policy_with_no_violation(browser: Browser, site_url: str):
    page, errors = _listening_page(browser)
    page.goto(site_url + "search/?q=Zakharova")
    page.wait_for_selector(".pagefind-ui__result-link")     # a result's data is loaded
    assert "Zakharova" in page.inner_text(".pagefind-ui__results")
    assert page.evaluate("window.__violations") == []
    assert errors == []
    page.close()
