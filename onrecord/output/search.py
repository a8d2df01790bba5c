"""Rendered pages -> a Pagefind search index in parts ({'pagefind/...': bytes}), in memory.

Pagefind has no incremental mode (its issue #71), so the index is split: every story and
speaker page belongs to one part, chosen by a hash of its path, and each part is indexed
on its own into pagefind/part-NN/. The search page reads pagefind/parts.json and merges
the parts in the browser (Pagefind's mergeIndex): the first part carries Pagefind's
script and WebAssembly, which the merged parts reuse; the UI files sit once in pagefind/.

Trade-offs:
- The number of parts is a power of two of 75 to 150 pages each on average (one for a
  small site, at most 32), so it, and with it every page's part, changes only when the site
  doubles. More parts make an edit cheaper and the first search dearer (one fetch of the
  entry and metadata files per part); results are ranked across parts by Pagefind's scores,
  which each part computes over its own pages, so their order may differ slightly from one
  whole index.
- A part's cache key is what Pagefind reads of its pages: with root_selector "main" it sees
  nothing outside the <main> element, so a page counts from its first `<main` to its last
  `</main>` (a byte search, cheap at any size). Navigation, <head> and asset addresses can
  change without re-indexing. The elements in IGNORED stay in the key: their text is not
  indexed, but Pagefind still reads filters and metadata inside them, and leaving them out
  would mean parsing every page. Editing a story's prose re-indexes its part; editing its
  title or quotes also re-indexes the parts of its speakers' pages, which show both.
- Pagefind's filter files differ from run to run for the same pages (a known Pagefind
  issue), so each part is kept by its key: an unchanged part republishes the same bytes.

Result addresses are relative to the site's root (Pagefind prefixes the folder it is served
from), so the same index works under any subpath.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Coroutine, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from onrecord.builder import progress
from onrecord.website.pages import Page, SiteView

FOLDER = "pagefind"
MANIFEST = f"{FOLDER}/parts.json"
SEARCHABLE = ("story.html", "actor.html")
ROOT = "main"
IGNORED = [".chart-view", ".chart-data", ".skip-link", "svg", "script"]
# Pagefind's other UIs, which the search page does not load (about 280 KB).
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
UI = ("pagefind-ui.js", "pagefind-ui.css")
# Pagefind's scripts and WebAssembly: the merged parts use the first part's copy.
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.")
PER_PART = 75
MOST = 32
T = TypeVar("T")


@dataclass(frozen=True)
class SearchPage:
    title: str = "Search"


def pages() -> tuple[Page, ...]:
    """search/: the search box and results (Pagefind's UI, loaded from files: no inline code)."""
    return (Page("search/index.html", "search/", "search.html", "Search", SearchPage()),)


def count(searchable: int) -> int:
    """How many parts for a site of `searchable` pages: a power of two, each part at least
    PER_PART pages, at most MOST parts."""
    total = 1
    while total * 2 <= MOST and searchable >= total * 2 * PER_PART:
        total *= 2
    return total


def part_of(path: str, total: int) -> str:
    """The part of the page at `path`: the same on every build while `total` holds."""
    number = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") % total
    return f"part-{number:02d}"


def parts(pages: Iterable[Page], total: int | None = None) -> dict[str, tuple[Page, ...]]:
    """Part name -> its searchable pages, by path; `total` parts (by default from the
    number of searchable pages). Parts that no page falls in are left out."""
    searchable = sorted({p.path: p for p in pages if p.template in SEARCHABLE}.values(),
                        key=lambda p: p.path)
    total = max(1, total or count(len(searchable)))
    grouped: dict[str, list[Page]] = {}
    for page in searchable:
        grouped.setdefault(part_of(page.path, total), []).append(page)
    return {name: tuple(grouped[name]) for name in sorted(grouped)}


def indexed(html: bytes) -> bytes:
    """The bytes of a page that Pagefind can read: from its first <main to its last </main>
    (the whole page if it has none). Pagefind given only these writes the same fragments
    and index chunks."""
    start, end = html.find(b"<main"), html.rfind(b"</main>")
    if start < 0 or end < start:       # not written in lower case, or no <main> at all
        lower = html.lower()
        start, end = lower.find(b"<main"), lower.rfind(b"</main>")
    return html if start < 0 or end < start else html[start:end + len(b"</main>")]


def key(name: str, documents: Mapping[str, bytes], language: str) -> str:
    """The cache key of a part: what Pagefind would read of its pages, and how."""
    digest = hashlib.sha256(
        f"{_version()}\n{language}\n{ROOT}\n{IGNORED}\n{UNUSED}\n{name}".encode())
    for path in sorted(documents):
        text = indexed(documents[path])
        digest.update(f"\n{path}\n{len(text)}\n".encode())
        digest.update(text)
    return digest.hexdigest()[:32]


def index_part(name: str, documents: Mapping[str, bytes], language: str) -> dict[str, bytes]:
    """Index one part's pages (path -> rendered HTML) -> its files under pagefind/<name>/."""
    return _run(_index_parts({name: documents}, language))[name]


def bundle(parts: Mapping[str, Mapping[str, bytes]], language: str) -> dict[str, bytes]:
    """The published index: the parts (from index_part), one copy of Pagefind's script,
    WebAssembly and UI, and pagefind/parts.json, which lists the parts for the search page
    (the first one is loaded, the others merged into it). A site with nothing to search
    gets one empty part, so the search page still loads."""
    if not parts:
        parts = {"part-00": index_part("part-00", {}, language)}
    names = sorted(parts)
    published: dict[str, bytes] = {}
    for name in names:
        prefix = f"{FOLDER}/{name}/"
        for path, data in parts[name].items():
            file = path.removeprefix(prefix)
            if file in UI:
                published.setdefault(f"{FOLDER}/{file}", data)
            elif name == names[0] or not file.startswith(RUNTIME):
                published[path] = data
    manifest = {"parts": [f"{name}/" for name in names]}
    published[MANIFEST] = json.dumps(manifest, indent=1).encode() + b"\n"
    return published


def assemble(keys: Mapping[str, str], missing: Callable[[str], Mapping[str, bytes]],
             language: str, cache: Path) -> dict[str, bytes]:
    """The published index from each part's key (`key`): parts kept in `cache` are read
    back, the others indexed side by side from their pages (`missing(name)`) and kept."""
    found = {name: files for name, key in keys.items()
             if (files := _read(cache / f"{key}.zip")) is not None}
    todo = {name: missing(name) for name in keys if name not in found}
    if todo:
        size = sum(len(docs) for docs in todo.values())
        progress.advance("search index", 0, size)
        made = _run(_index_parts(todo, language))
        progress.advance("search index", size, size)
        for name, files in made.items():
            _write(cache / f"{keys[name]}.zip", files)
        found |= made
    return bundle(found, language)


def index(outputs: Mapping[str, bytes], pages: Iterable[Page], site: SiteView,
          cache: Path, total: int | None = None) -> dict[str, bytes]:
    """The search bundle for every story and speaker page; each part from `cache` if what
    Pagefind reads of its pages is unchanged. A part with no page rendered is left out (an
    empty index lists no language for the browser to load), unless nothing is searchable:
    then one empty part, so the search page still loads."""
    language = site.config.language
    documents = {name: docs for name, members in parts(pages, total).items()
                 if (docs := {p.path: outputs[p.path] for p in members if p.path in outputs})}
    documents = documents or {"part-00": {}}
    keys = {name: key(name, docs, language) for name, docs in documents.items()}
    return assemble(keys, documents.__getitem__, language, cache)


def _read(stored: Path) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(stored) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile):
        return None


def _write(stored: Path, files: Mapping[str, bytes]) -> None:
    stored.parent.mkdir(parents=True, exist_ok=True)
    temporary = stored.with_name(f".{stored.stem}.{os.getpid()}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    os.replace(temporary, stored)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "unknown"


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine in a thread of its own: the caller may be running an event loop
    (a dev server)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


async def _index_parts(parts: Mapping[str, Mapping[str, bytes]],
                       language: str) -> dict[str, dict[str, bytes]]:
    """Index the parts side by side, each in a Pagefind process of its own, as many at a
    time as there are processors."""
    running = asyncio.Semaphore(os.cpu_count() or 1)

    async def one(name: str, documents: Mapping[str, bytes]) -> dict[str, bytes]:
        async with running:
            return await _index(f"{FOLDER}/{name}", documents, language)

    made = await asyncio.gather(*(one(name, docs) for name, docs in parts.items()))
    return dict(zip(parts, made, strict=True))


async def _index(folder: str, documents: Mapping[str, bytes], language: str) -> dict[str, bytes]:
    """Index the pages as one folder: the Python API answers each request after a 0.1 s
    poll, so one folder request instead of one per page keeps a big part fast."""
    from pagefind.index import IndexConfig, PagefindIndex

    with tempfile.TemporaryDirectory(prefix="onrecord-pagefind-") as temporary:
        pages, bundle = Path(temporary) / "pages", Path(temporary) / "bundle"
        for path, html in documents.items():
            (pages / path).parent.mkdir(parents=True, exist_ok=True)
            (pages / path).write_bytes(html)
        config = IndexConfig(root_selector=ROOT, exclude_selectors=IGNORED,
                             force_language=language, output_path=str(bundle))
        async with PagefindIndex(config=config) as search:
            if documents:
                await search.add_directory(path=str(pages))
        return {f"{folder}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file() and not p.name.startswith(UNUSED)}
