"""The seed explainer opens in a real browser with no console error and no outside request."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Browser


def test_seed_story_loads_cleanly_and_charts_go_live(browser: Browser, site_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    response = page.goto(site_url + "crocus-city-hall-attack/")
    assert response is not None and response.status == 200
    page.wait_for_selector(".chart-view[data-live='true']")
    assert errors == []
    assert hosts == {urlsplit(site_url).netloc}
    page.close()
