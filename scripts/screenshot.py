"""Take the README's screenshot of the seed explainer: `python scripts/screenshot.py`.

Builds the example site into a temporary folder, serves it on 127.0.0.1 and photographs
the top of the seed story in Chromium at 1280 px, into docs/screenshot.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from onrecord.builder import pipeline  # noqa: E402
from onrecord.stories.paths import Paths  # noqa: E402
from tests.kit import launch, serve  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "public"
        pipeline.build(Paths.at(REPO, public=out))
        with serve(out) as url, sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 1500})
            page.goto(url + "crocus-city-hall-attack/")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(REPO / "docs" / "screenshot.png"))
            browser.close()


if __name__ == "__main__":
    main()
