"""The search index in parts: which part a page is in, how many parts, what each part's
cache key sees, and the bundle the search page reads."""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from onrecord.output import search
from onrecord.website.pages import Page, SiteView


def page(path: str, template: str = "story.html") -> Page:
    return Page(path, path.removesuffix("index.html"), template, path, None)  # type: ignore[arg-type]


def html(title: str, body: str = "Words.", head: str = "style.1.css") -> bytes:
    return (f'<!doctype html><html lang="en"><head><link rel="stylesheet" href="{head}"></head>'
            f'<body><nav>Stories</nav><main id="main"><h1>{title}</h1><p>{body}</p>'
            f'<a data-pagefind-filter="speaker">Ann Lee</a></main><footer>Built.</footer>'
            f'</body></html>').encode()


STORIES = [page(f"story-{n}/index.html") for n in range(40)]
SPEAKERS = [page(f"actors/speaker-{n}/index.html", "actor.html") for n in range(20)]


def test_a_pages_part_is_the_same_whatever_the_order_or_the_other_pages():
    first = search.parts(STORIES + SPEAKERS, 4)
    shuffled = STORIES + SPEAKERS
    random.Random(1).shuffle(shuffled)
    assert search.parts(shuffled, 4) == first
    where = {p.path: name for name, members in first.items() for p in members}
    fewer = search.parts([*STORIES[::2], page("story-new/index.html")], 4)
    assert all(where[p.path] == name for name, members in fewer.items()
               for p in members if p.path in where)
    assert len(first) == 4 and sum(map(len, first.values())) == 60


def test_only_story_and_speaker_pages_are_searchable():
    found = search.parts([*STORIES[:3], page("archive/index.html", "archive.html"),
                          page("story-0/embed/matrix/index.html", "embed.html"), SPEAKERS[0]])
    assert {p.path for members in found.values() for p in members} == \
        {p.path for p in [*STORIES[:3], SPEAKERS[0]]}
    assert search.parts([page("archive/index.html", "archive.html")]) == {}


def test_the_number_of_parts_grows_with_the_site_by_doubling_up_to_a_cap():
    assert [search.count(n) for n in (0, 2, 149, 150, 299, 300, 1200, 2399, 10**6)] == \
        [1, 1, 1, 2, 2, 4, 16, 16, search.MOST]
    for size in (150, 700, 1200, 5000):
        sizes = [len(members) for members in
                 search.parts(page(f"s-{n}/index.html") for n in range(size)).values()]
        assert len(sizes) == search.count(size)
        assert min(sizes) >= 40 and max(sizes) <= 200, (size, sizes)  # about 75 to 150 each


def keys(documents: dict[str, bytes], total: int) -> dict[str, str]:
    members = search.parts((page(path) for path in documents), total)
    return {name: search.key(name, {p.path: documents[p.path] for p in pages}, "en")
            for name, pages in members.items()}


def test_a_changed_page_changes_its_parts_key_only_and_only_for_what_pagefind_reads():
    documents = {p.path: html(p.path) for p in STORIES}
    before = keys(documents, 4)
    edited = "story-7/index.html"
    part = search.part_of(edited, 4)
    after = keys(documents | {edited: html(edited, "New words.")}, 4)
    assert {name for name in before if before[name] != after[name]} == {part}
    # Outside <main> Pagefind reads nothing: a new stylesheet address changes no key.
    restyled = {path: html(path, head="style.2.css") for path in documents}
    assert keys(restyled, 4) == before
    # A filter inside an element whose text is not indexed still counts.
    hidden = documents | {edited: documents[edited].replace(
        b"</main>", b'<div class="chart-data" data-pagefind-filter="speaker:Bo">1</div></main>')}
    assert keys(hidden, 4)[part] != before[part]
    assert search.key(part, {}, "en") != search.key(part, {}, "fr")


def test_the_bundle_lists_its_parts_and_ships_pagefind_once():
    made = {name: search.index_part(name, {f"{name}/index.html": html(f"Story {name}")}, "en")
            for name in ("part-02", "part-00", "part-05")}
    assert all(path.startswith(f"pagefind/{name}/") for name, files in made.items()
               for path in files)
    published = search.bundle(made, "en")
    assert json.loads(published[search.MANIFEST]) == {"parts": ["part-00/", "part-02/", "part-05/"]}
    for name in ("part-00", "part-02", "part-05"):
        assert f"pagefind/{name}/pagefind-entry.json" in published
        assert any(p.startswith(f"pagefind/{name}/fragment/") for p in published)
    assert {"pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css",
            "pagefind/part-00/pagefind.js", "pagefind/part-00/pagefind-worker.js"} <= set(published)
    # One copy of Pagefind's scripts and WebAssembly, in the part the page loads first.
    shared = [p for p in published if p.rsplit("/", 1)[1].startswith((*search.RUNTIME, *search.UI))]
    assert all(p.startswith(("pagefind/part-00/", "pagefind/pagefind-ui.")) for p in shared)
    assert not any(p.startswith("pagefind/part-00/pagefind-ui") for p in published)


def test_a_site_with_nothing_to_search_still_gets_a_search_page_bundle():
    published = search.bundle({}, "en")
    assert json.loads(published[search.MANIFEST]) == {"parts": ["part-00/"]}
    assert {"pagefind/pagefind-ui.js", "pagefind/part-00/pagefind.js",
            "pagefind/part-00/pagefind-entry.json"} <= set(published)


def test_index_reindexes_only_the_part_whose_page_changed(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    site: SiteView = SimpleNamespace(config=SimpleNamespace(language="en"))  # type: ignore[assignment]
    pages = STORIES[:12]
    outputs = {p.path: html(p.path) for p in pages}
    indexed: list[set[str]] = []
    real = search._index_parts

    async def spy(parts, language):  # type: ignore[no-untyped-def]
        indexed.append(set(parts))
        return await real(parts, language)

    monkeypatch.setattr(search, "_index_parts", spy)
    first = search.index(outputs, pages, site, tmp_path, total=3)
    assert indexed == [{"part-00", "part-01", "part-02"}]
    assert search.index(outputs, pages, site, tmp_path, total=3) == first   # from the cache
    edited = pages[5].path
    again = search.index(outputs | {edited: html(edited, "Changed.")}, pages, site, tmp_path,
                         total=3)
    assert indexed == [{"part-00", "part-01", "part-02"}, {search.part_of(edited, 3)}]
    unchanged = [n for n in ("part-00", "part-01", "part-02") if n != search.part_of(edited, 3)]
    assert all(again[p] == first[p] for p in first if p.startswith(
        tuple(f"pagefind/{n}/" for n in unchanged)))
    assert again != first


def test_a_part_with_no_rendered_page_is_left_out(tmp_path: Path):
    site: SiteView = SimpleNamespace(config=SimpleNamespace(language="en"))  # type: ignore[assignment]
    pages = STORIES[:12]
    gone = search.part_of(pages[0].path, 3)
    outputs = {p.path: html(p.path) for p in pages if search.part_of(p.path, 3) != gone}
    published = search.index(outputs, pages, site, tmp_path, total=3)
    listed = json.loads(published[search.MANIFEST])["parts"]
    assert len(listed) == 2 and f"{gone}/" not in listed
    assert not any(p.startswith(f"pagefind/{gone}/") for p in published)
    nothing = search.index({}, pages, site, tmp_path, total=3)
    assert json.loads(nothing[search.MANIFEST]) == {"parts": ["part-00/"]}


def test_pagefind_reads_nothing_of_a_page_outside_what_the_key_sees():
    documents = {f"s-{n}/index.html": html(f"Story {n}", f"Text {n} with words.") for n in range(3)}
    whole = search.index_part("part-00", documents, "en")
    sliced = search.index_part("part-00", {p: search.indexed(h) for p, h in documents.items()},
                               "en")
    kept = ("/fragment/", "/index/", "pagefind-entry.json")
    assert {p: d for p, d in whole.items() if any(k in p for k in kept)} == \
        {p: d for p, d in sliced.items() if any(k in p for k in kept)}
    assert search.indexed(b"<HTML><BODY><MAIN>Hi</MAIN></BODY></HTML>") == b"<MAIN>Hi</MAIN>"
    assert search.indexed(b"<p>No main</p>") == b"<p>No main</p>"
