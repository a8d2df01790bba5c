"""Browser fixtures: the example site served on 127.0.0.1 and one Chromium per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.crawl import Site, crawl
from tests.kit import launch, serve


@pytest.fixture(scope="session")
def site_url(example_site: Path) -> Iterator[str]:
    """The example site, built once, served at http://127.0.0.1:PORT/."""
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(site_url: str, example_site: Path) -> Site:
    """The example site as crawled from its index: pages, their types, links and assets."""
    return crawl(site_url, example_site)


@pytest.fixture(scope="session")
def samples(site: Site) -> dict[str, str]:
    """One page of each type (index, story, tags, 404, ...): the fullest of its kind."""
    found = site.samples()
    assert {"index", "story", "404"} <= set(found), found
    return found


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/: screenshots and PDFs to look at after a run (not committed)."""
    folder = Path(__file__).resolve().parent.parent / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder

