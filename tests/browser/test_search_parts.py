"""Search over an index in parts: the example site indexed in four parts and served under a
subpath finds a story and a speaker from different parts, and filters as one index does."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from onrecord.builder import pipeline
from onrecord.output import search
from onrecord.stories.paths import Paths
from tests.conftest import REPO
from tests.kit import serve

BASE = "https://example.org/explainers/"
SEED = "crocus-city-hall-attack"
SPEAKER = "actors/zakharova"


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example site (13 searchable pages) with parts of 3 pages or more: four parts.
    Built from a copy with a cache of its own: the engine keeps results by what they read,
    and a patched constant is not something it reads."""
    root = tmp_path_factory.mktemp("parted")
    for folder in ("content", "site", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    out = root / "public"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PER_PART", 3)
        pipeline.build(Paths.at(root), pipeline.Options(base_url=BASE))
    with serve(out, prefix="/explainers/") as url:
        yield out, url


def _watched(browser: Browser) -> tuple[Page, list[str]]:
    """A page that records console errors (CSP violations among them) and page errors."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def test_the_story_and_the_speaker_are_in_different_parts(parted_site: tuple[Path, str]):
    out, _ = parted_site
    names = json.loads((out / "pagefind" / "parts.json").read_bytes())["parts"]
    assert len(names) >= 3
    where: dict[str, str] = {}
    for name in names:
        for fragment in (out / "pagefind" / name / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
            where[json.loads(data)["url"]] = name
    assert len(where) == 13
    assert where[f"/{SEED}/"] != where[f"/{SPEAKER}/"]


# A found page's link; its sections, listed under it, link with a #fragment. A result shows
# a placeholder until its data is loaded, so wait for links, not results.
FOUND = "a.pagefind-ui__result-link:not([href*='#'])"


def _results(page: Page, count: int) -> set[str]:
    expect(page.locator(FOUND)).to_have_count(count)
    return set(page.eval_on_selector_all(FOUND, "els => els.map(e => e.getAttribute('href'))"))


def test_the_search_page_finds_results_from_every_part_and_filters_by_speaker(
        browser: Browser, parted_site: tuple[Path, str]):
    _, served = parted_site
    page, errors = _watched(browser)
    page.goto(served + "search/?q=Zakharova")
    assert _results(page, 3) == {f"/explainers/{SEED}/", f"/explainers/{SPEAKER}/",
                                 "/explainers/actors/us/"}   # quotes her by name
    page.click("summary.pagefind-ui__filter-name")
    page.check("input.pagefind-ui__filter-checkbox[value='Maria Zakharova']")
    assert _results(page, 2) == {f"/explainers/{SEED}/", f"/explainers/{SPEAKER}/"}
    assert errors == []
    page.close()


def test_the_speaker_filter_counts_the_same_pages_as_one_index(
        browser: Browser, parted_site: tuple[Path, str], site_url: str):
    labels = []
    for url in (parted_site[1], site_url):     # four parts; the example site, in one
        page, errors = _watched(browser)
        page.goto(url + "search/?q=Zakharova")
        _results(page, 3)
        page.wait_for_selector(".pagefind-ui__filter-label", state="attached")
        labels.append(_settled_labels(page))
        assert errors == []
        page.close()
    assert "Maria Zakharova (4)" in labels[0] and labels[0] == labels[1]


def _settled_labels(page: Page) -> list[str]:
    """The filter labels once their counts stop changing: the merged parts' counts arrive
    one part at a time, after the results show."""
    read = "els => els.map(e => e.textContent)"
    before: list[str] = []
    for _ in range(50):
        now = sorted(page.eval_on_selector_all(".pagefind-ui__filter-label", read))
        if now and now == before:
            return now
        before = now
        page.wait_for_timeout(300)
    return before
