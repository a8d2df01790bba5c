"""Rendered pages -> a Pagefind search index ({'pagefind/...': bytes}), built in memory.

Pagefind (the `pagefind` PyPI package, which ships its binary) indexes the story and
speaker pages as rendered, from a private temporary folder; its bundle is collected
into the build's outputs, so the atomic write stage publishes it with everything else
or not at all. Result addresses
are relative to the site's root: Pagefind's script prefixes the folder it is served
from, so the same index works under any subpath.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from onrecord import progress
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


def index(outputs: Mapping[str, bytes], pages: Iterable[Page], site: SiteView,
          cache: Path) -> dict[str, bytes]:
    """The search bundle for every story and speaker page, from `cache` if they are unchanged.

    Pagefind's filter files differ from run to run for the same pages (a known Pagefind
    issue), so the bundle is kept by a hash of its input: an unchanged site republishes
    the same bytes, and a rebuild skips the indexing.
    """
    documents = {p.path: outputs[p.path] for p in sorted(pages, key=lambda p: p.path)
                 if p.template in SEARCHABLE and p.path in outputs}
    digest = hashlib.sha256(f"{_version()}\n{site.config.language}\n{IGNORED}".encode())
    for path, html in documents.items():
        digest.update(f"\n{path}\n{len(html)}\n".encode())
        digest.update(html)
    stored = cache / f"{digest.hexdigest()[:32]}.zip"
    try:
        with zipfile.ZipFile(stored) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile):
        pass
    progress.advance("search index", 0, len(documents))
    # In a thread of its own: the caller may be running an event loop (a dev server).
    with ThreadPoolExecutor(1) as thread:
        bundle = thread.submit(asyncio.run, _bundle(documents, site.config.language)).result()
    progress.advance("search index", len(documents), len(documents))
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / f".{stored.stem}.{os.getpid()}.tmp"
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED) as archive:
        for name, data in bundle.items():
            archive.writestr(name, data)
    os.replace(temporary, stored)
    return bundle


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "unknown"


async def _bundle(documents: Mapping[str, bytes], language: str) -> dict[str, bytes]:
    """Index the pages as one folder: the Python API answers each request after a 0.1 s
    poll, so one folder request instead of one per page keeps a big site fast."""
    from pagefind.index import IndexConfig, PagefindIndex

    with tempfile.TemporaryDirectory(prefix="onrecord-pagefind-") as folder:
        pages, bundle = Path(folder) / "pages", Path(folder) / FOLDER
        for path, html in documents.items():
            (pages / path).parent.mkdir(parents=True, exist_ok=True)
            (pages / path).write_bytes(html)
        config = IndexConfig(root_selector="main", exclude_selectors=IGNORED,
                             force_language=language, output_path=str(bundle))
        async with PagefindIndex(config=config) as search:
            if documents:
                await search.add_directory(path=str(pages))
        return {f"{FOLDER}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file() and not p.name.startswith(UNUSED)}
