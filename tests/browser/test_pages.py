"""Every page, as readers see it: loads cleanly, fits a phone, passes axe in light and dark.

Pages come from a crawl of the built example site (see crawl.py), so each new type of
page is checked here without editing this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.crawl import Site
from tests.browser.watch import Watch, settle

WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture(scope="module")
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    yield page
    page.close()


def test_every_page_loads_with_no_error_and_nothing_from_other_hosts(
        page: Page, site: Site, site_url: str, record_property):
    counts = {kind: len(urls) for kind, urls in site.kinds().items()}
    record_property("page_types", ", ".join(f"{kind} ({n})" for kind, n in counts.items()))
    watch = Watch.on(page, site_url)
    for url in site.pages:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        settle(page)
    assert not watch.problems, "\n".join(watch.problems)
    assert len(watch.requests) >= len(site.pages)


def test_a_missing_address_answers_404_with_the_sites_own_page(
        page: Page, site: Site, site_url: str):
    watch = Watch.on(page, site_url)
    response = page.goto(site_url + "no/such/story/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # Deep under a missing path, its styles and links still resolve from the site root
    # (a stylesheet that did not load would show in the watch as an HTTP 404).
    assert page.evaluate("document.styleSheets.length") >= 1
    assert page.locator("main a").first.evaluate("a => a.href") == site_url
    assert not watch.problems, "\n".join(watch.problems)


def test_no_page_scrolls_sideways_on_a_phone_and_screenshots_are_saved(
        page: Page, samples: dict[str, str], artifacts: Path):
    wide: dict[str, int] = {}
    for kind, url in samples.items():
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(url)
                settle(page)
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if width == 375 and overflow > 0:
                    wide[f"{kind} ({scheme})"] = overflow
                page.screenshot(path=artifacts / f"{kind}-{width}-{scheme}.png", full_page=True)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert wide == {}, "pages wider than a 375 px phone, by px"


@pytest.mark.parametrize(("scheme", "javascript"),
                         [("light", True), ("dark", True), ("light", False)],
                         ids=["light", "dark", "site-scripts-blocked"])
def test_axe_finds_no_accessibility_violation_on_any_page_type(
        browser: Browser, samples: dict[str, str], scheme: str, javascript: bool,
        record_property):
    axe = Axe()
    failures: dict[str, list[str]] = {}
    rules: set[str] = set()
    context = browser.new_context(color_scheme=scheme)
    if not javascript:   # the page as its scripts leave it (axe itself needs JavaScript)
        context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    for kind, url in samples.items():
        page.goto(url)
        if javascript:
            settle(page)
        else:
            assert page.locator(".chart-view[data-live]").count() == 0   # still the static SVG
        # Open every disclosure, so what it hides (matrix quotes, chart data) is checked too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        results = axe.run(page).response
        for group in ("passes", "violations", "incomplete", "inapplicable"):
            rules.update(rule["id"] for rule in results[group])
        failures[kind] = [f"{v['id']}: {v['help']} — {len(v['nodes'])}× e.g. "
                          f"{v['nodes'][0]['target']} {v['nodes'][0]['failureSummary']}"
                          for v in results["violations"]]
    context.close()
    record_property("axe_rules", len(rules))
    assert failures == {kind: [] for kind in samples}
    assert len(rules) > 50   # axe really ran its rule set
