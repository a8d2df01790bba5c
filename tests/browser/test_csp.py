"""Every page carries a Content-Security-Policy without inline script or eval, and the
charts still go live under it (vega-interpreter instead of `new Function`)."""

from __future__ import annotations

from pathlib import Path

import html5lib
from playwright.sync_api import Browser, Page

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


def test_charts_go_live_under_the_policy_with_no_violation(browser: Browser, site_url: str):
    page, errors = _listening_page(browser)
    page.goto(site_url + "crocus-city-hall-attack/")
    page.wait_for_selector(".chart-view[data-live]", state="attached")
    page.wait_for_function("document.querySelectorAll('.chart-view:not([data-live])').length == 0")
    assert set(page.eval_on_selector_all(".chart-view", "vs => vs.map(v => v.dataset.live)")) \
        == {"true"}
    # Hovering a mark runs the tooltip's expressions through the interpreter too.
    page.locator(".chart-view[data-live='true'] .mark-symbol path").first.hover(force=True)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == []
    assert errors == []
    page.close()


def test_search_runs_under_the_policy_with_no_violation(browser: Browser, site_url: str):
    page, errors = _listening_page(browser)
    page.goto(site_url + "search/?q=Zakharova")
    page.wait_for_selector(".pagefind-ui__result")
    assert "Zakharova" in page.inner_text(".pagefind-ui__results")
    assert page.evaluate("window.__violations") == []
    assert errors == []
    page.close()
