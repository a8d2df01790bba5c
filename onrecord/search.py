"""Rendered pages -> a Pagefind search index ({'pagefind/...': bytes}), built in memory.

Pagefind (the `pagefind` PyPI package, which ships its binary) indexes the story and
speaker pages as rendered; its bundle is collected into the build's outputs, so the
atomic write stage publishes it with everything else or not at all. Result addresses
are relative to the site's root: Pagefind's script prefixes the folder it is served
from, so the same index works under any subpath.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from onrecord.pages import Page, SiteView

FOLDER = "pagefind"
SEARCHABLE = ("story.html", "actor.html")
IGNORED = [".chart-view", ".chart-data", ".skip-link", "svg", "script"]
# Pagefind's other UIs, which the search page does not load (about 280 KB).
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


@dataclass(frozen=True)
class SearchPage:
    title: str = "Search"


def pages() -> tuple[Page, ...]:
    """search/: the search box and results (Pagefind's UI, loaded from files: no inline code)."""
    return (Page("search/index.html", "search/", "search.html", "Search", SearchPage()),)


def index(outputs: Mapping[str, bytes], pages: Iterable[Page], site: SiteView
          ) -> dict[str, bytes]:
    """The search bundle for every story and speaker page."""
    documents = [("/" + p.url, outputs[p.path].decode()) for p in pages
                 if p.template in SEARCHABLE and p.path in outputs]
    return asyncio.run(_bundle(documents, site.config.language))


async def _bundle(documents: list[tuple[str, str]], language: str) -> dict[str, bytes]:
    from pagefind.index import IndexConfig, PagefindIndex

    with tempfile.TemporaryDirectory(prefix="onrecord-pagefind-") as folder:
        config = IndexConfig(root_selector="main", exclude_selectors=IGNORED,
                             force_language=language, output_path=folder)
        async with PagefindIndex(config=config) as search:
            for url, html in documents:
                await search.add_html_file(content=html, url=url)
        root = Path(folder)
        return {f"{FOLDER}/{p.relative_to(root).as_posix()}": p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(UNUSED)}
