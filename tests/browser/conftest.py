"""Browser fixtures: the example site served on 127.0.0.1 and one Chromium per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

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
