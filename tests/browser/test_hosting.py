"""The site as published under a subpath: every link and asset resolves, and search works.

The example site is built with base_url https://example.org/explainers/ and served at
http://127.0.0.1:PORT/explainers/ (nothing exists outside the subpath, as on a real host);
absolute links to the configured address are followed on the local server instead.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from playwright.sync_api import Browser

from onrecord.builder import pipeline
from onrecord.stories.paths import Paths
from tests.conftest import REPO
from tests.kit import serve

BASE = "https://example.org/explainers/"
SEED = "crocus-city-hall-attack"


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    out = tmp_path_factory.mktemp("subpath") / "public"
    pipeline.build(Paths.at(REPO, public=out), pipeline.Options(base_url=BASE))
    with serve(out, prefix="/explainers/") as url:
        yield out, url


class Links(HTMLParser):
    """Every address a page points to (href, src, og:image...) and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if tag == "meta" and (values.get("property") or "").startswith("og:") and \
                (values.get("content") or "").startswith(("http", "/")):
            self.links.append(values["content"] or "")


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def test_every_link_and_asset_resolves_under_the_subpath(subpath_site: tuple[Path, str]):
    out, served = subpath_site
    host = urlsplit(served).netloc

    def local(url: str) -> str | None:
        """The served address for a link into the site; None for other sites."""
        if url.startswith(BASE):
            return served + url[len(BASE):]
        parts = urlsplit(url)
        return url if parts.netloc == host else None

    sitemap = ET.fromstring(fetch(served + "sitemap.xml")[1])
    start = [e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    feed = ET.fromstring(fetch(served + "feed.xml")[1])
    start += [e.get("href") or "" for e in feed.iter("{http://www.w3.org/2005/Atom}link")]
    queue = [served, *(u for u in (local(s) for s in start) if u)]
    assert len(queue) > 20
    seen: dict[str, set[str] | None] = {}    # page -> its ids (None for non-HTML)
    wanted: list[tuple[str, str, str]] = []  # (page, target, fragment)
    broken: list[str] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, body, kind = fetch(url)
        if status != 200:
            broken.append(f"{url}: HTTP {status}")
            seen[url] = None
            continue
        seen[url] = None
        if kind != "text/html":
            continue
        parser = Links()
        parser.feed(body.decode())
        seen[url] = parser.ids
        for link in parser.links:
            target, fragment = urldefrag(urljoin(url, link))
            if urlsplit(target).scheme not in ("http", "https"):
                continue
            address = local(target)
            if address is None:
                continue
            if not urlsplit(address).path.startswith("/explainers/"):
                broken.append(f"{url}: {link} leaves the subpath")
                continue
            queue.append(address)
            if fragment:
                wanted.append((url, address, fragment))
    missing = [f"{page}: #{fragment} not on {target}" for page, target, fragment in wanted
               if seen.get(target) is not None and fragment not in (seen[target] or set())]
    assert broken == [] and missing == []
    crawled = {urlsplit(u).path for u in seen}
    for path in (f"{SEED}/", f"{SEED}/social.png", "actors/zakharova/", "archive/", "search/",
                 "pagefind/pagefind-ui.js", "tags/russia/", f"{SEED}/quotes.csv"):
        assert "/explainers/" + path in crawled, path
    assert any("/static/charts." in p for p in crawled)
    assert len(crawled) == len(seen)
    assert (out / "404.html").is_file() and fetch(served + "no-such-page/")[0] == 404


def test_pagefind_finds_the_seed_story_by_zakharova(browser: Browser,
                                                    subpath_site: tuple[Path, str]):
    _, served = subpath_site
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served + "search/")
    found = page.evaluate("""async (bundle) => {
        const parts = (await (await fetch(bundle + "parts.json")).json()).parts;
        const pagefind = await import(bundle + parts[0] + "pagefind.js");
        for (const part of parts.slice(1)) await pagefind.mergeIndex(bundle + part);
        const search = await pagefind.search("Zakharova");
        const results = await Promise.all(search.results.map(r => r.data()));
        const filters = await pagefind.filters();
        return {urls: results.map(r => r.url), titles: results.map(r => r.meta.title),
                speakers: Object.keys(filters.speaker || {})};
    }""", served + "pagefind/")
    assert f"/explainers/{SEED}/" in found["urls"]
    assert "/explainers/actors/zakharova/" in found["urls"]
    assert "Maria Zakharova" in found["speakers"] and "Dmitri Peskov" in found["speakers"]
    assert errors == []
    page.close()


def test_the_search_box_in_the_header_shows_results(browser: Browser,
                                                    subpath_site: tuple[Path, str]):
    _, served = subpath_site
    page = browser.new_page()
    page.goto(served + f"{SEED}/")
    page.fill("#site-search-q", "Zakharova")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(".pagefind-ui__result-link")
    links = page.eval_on_selector_all(".pagefind-ui__result-link",
                                      "els => els.map(e => e.getAttribute('href'))")
    assert any(link.startswith(f"/explainers/{SEED}/") for link in links), links
    page.close()
