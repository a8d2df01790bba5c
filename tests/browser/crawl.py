"""Crawl the served site as a reader's browser would follow it: every link and asset.

The crawl is what the browser tests run over, so a new kind of page (actor pages, an
archive) is covered as soon as the build makes it, with no list to keep up to date.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

# (tag, attribute) pairs that make the browser fetch or navigate to a URL.
_URL_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                   ("source", "src"), ("iframe", "src"), ("video", "src"), ("audio", "src"),
                   ("form", "action")}


class _Page(HTMLParser):
    """The URLs a page refers to and the ids an anchor can point at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.ids.add(values[name] or "")
        for name, value in attrs:
            if value and (tag, name) in _URL_ATTRIBUTES:
                self.urls.append(value)
            elif value and name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


@dataclass
class Link:
    source: str      # the page the link is on
    target: str      # absolute URL, fragment included


@dataclass
class Site:
    """What a crawl from the index found."""

    base: str
    pages: dict[str, str] = field(default_factory=dict)      # HTML page URL -> its HTML
    status: dict[str, int] = field(default_factory=dict)     # every internal URL -> status
    ids: dict[str, set[str]] = field(default_factory=dict)   # HTML page URL -> its ids
    links: list[Link] = field(default_factory=list)          # every internal link and asset
    orphans: list[str] = field(default_factory=list)         # built pages no link reaches

    def kind(self, url: str) -> str:
        """The page type: 'index', 'story', '404', 'embed', or the section ('tags', ...)."""
        path = url[len(self.base):]
        parts = path.strip("/").split("/")
        if path == "":
            return "index"
        if len(parts) > 2 and parts[1] == "embed":   # slug/embed/matrix/, ...
            return "embed"
        if len(parts) > 1:
            return parts[0]
        if path.endswith(".html"):
            return parts[0].removesuffix(".html")
        if re.search(r'<article\b[^>]*\bclass="[^"]*\bstory\b', self.pages[url]):
            return "story"
        return parts[0]

    def kinds(self) -> dict[str, list[str]]:
        """Page type -> its pages, the fullest page (most to check) first."""
        found: dict[str, list[str]] = {}
        for url in sorted(self.pages):
            found.setdefault(self.kind(url), []).append(url)
        return {kind: sorted(urls, key=lambda u: -len(self.pages[u]))
                for kind, urls in sorted(found.items())}

    def samples(self) -> dict[str, str]:
        """One page of each type: the fullest."""
        return {kind: urls[0] for kind, urls in self.kinds().items()}


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def crawl(base: str, built: Path) -> Site:
    """Follow every internal URL from `base` (the index), then visit built pages not reached.

    `built` is the output folder: each of its .html files is a page that must be checked
    even if nothing links to it (404.html), and is listed as an orphan unless it is 404.html.
    """
    site = Site(base)
    queue = [base]

    def visit(url: str) -> None:
        status, kind, body = _fetch(url)
        site.status[url] = status
        if status != 200 or kind != "text/html":
            return
        html = body.decode("utf-8")
        parser = _Page()
        parser.feed(html)
        site.pages[url], site.ids[url] = html, parser.ids
        for ref in parser.urls:
            target = urljoin(url, ref)
            if urlsplit(target).netloc != urlsplit(base).netloc:
                continue
            site.links.append(Link(url, target))
            address = urldefrag(target).url
            if address not in site.status and address not in queue:
                queue.append(address)

    while queue:
        visit(queue.pop(0))
    for file in sorted(built.rglob("*.html")):
        relative = file.relative_to(built).as_posix()
        url = base + relative.removesuffix("index.html")
        if url not in site.status:
            if relative != "404.html":
                site.orphans.append(url)
            queue.append(url)
            while queue:
                visit(queue.pop(0))
    return site
