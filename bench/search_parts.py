"""The search index in parts at scale: time to index one part against the whole index, and
how many parts a one-story edit re-indexes.

Not a test: a measurement. Make a corpus, then run this from the repository root:

    python ../shared/bench/gen_corpus.py /tmp/corpus --stories 1000
    python bench/search_parts.py /tmp/corpus --project /tmp/search-project

The project folder (site/ and templates/ from this repository, content/ from the corpus)
is kept between runs. The site is planned once to get the rendered story and speaker pages,
then indexed whole and part by part with the same code the build uses; then one story's
title, and then its prose, is edited and the site planned again to count the parts whose
cache key changed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from onrecord.builder import outputs, pipeline, reading  # noqa: E402
from onrecord.output import search  # noqa: E402
from onrecord.stories.paths import Paths  # noqa: E402
from onrecord.website.pages import Page  # noqa: E402


def pages_of(paths: Paths) -> tuple[dict[str, bytes], tuple[Page, ...], str]:
    """The rendered pages, the searchable pages and the language the build gives the index."""
    engine = pipeline.open_engine(paths, kept=False)
    made = pipeline.plan(paths, engine=engine)
    pages = tuple(Page(path, "", template, "", None)  # type: ignore[arg-type]
                  for path in made.outputs
                  if (template := engine.get(outputs.template_of, path)) in search.SEARCHABLE)
    return dict(made.outputs), pages, engine.get(reading.site_settings).language


def keys(outputs: Mapping[str, bytes], pages: tuple[Page, ...], language: str) -> dict[str, str]:
    return {name: search.key(name, {p.path: outputs[p.path] for p in members}, language)
            for name, members in search.parts(pages).items()}


def timed(work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder of stories from gen_corpus.py")
    parser.add_argument("--project", type=Path, default=Path("search-project"))
    options = parser.parse_args()
    project = options.project.absolute()
    if not (project / "content").is_dir():
        project.mkdir(parents=True, exist_ok=True)
        for folder in ("site", "templates"):
            shutil.copytree(REPO / folder, project / folder)
        shutil.copytree(options.corpus, project / "content")
    paths = Paths.at(project)
    outputs, pages, language = pages_of(paths)
    parts = search.parts(pages)
    documents = {name: {p.path: outputs[p.path] for p in members}
                 for name, members in parts.items()}
    every = {path: html for docs in documents.values() for path, html in docs.items()}
    print(f"{len(every)} searchable pages, {len(parts)} parts of "
          f"{min(map(len, parts.values()))}-{max(map(len, parts.values()))} pages")

    whole, _ = timed(lambda: search.index_part("whole", every, language))
    print(f"whole index, one Pagefind process: {whole:.2f} s")
    each = [timed(lambda n=name, d=docs: search.index_part(n, d, language))[0]
            for name, docs in documents.items()]
    print(f"one part: median {statistics.median(each):.2f} s, min {min(each):.2f} s, "
          f"max {max(each):.2f} s; all parts one after another {sum(each):.2f} s")
    path, html = next(iter(every.items()))
    seconds, _ = timed(lambda: search.index_part("one", {path: html}, language))
    print(f"Pagefind's fixed cost, an index of one page: {seconds:.2f} s")
    seconds, _ = timed(lambda: keys(outputs, pages, language))
    print(f"cache keys of every part: {seconds * 1000:.0f} ms")

    before = keys(outputs, pages, language)
    stories = sorted((project / "content").rglob("*.md"))
    story = stories[len(stories) // 3]
    original = story.read_text(encoding="utf-8")
    edits = {"title": original.replace('title: "', 'title: "Edited ', 1),
             "prose": original.rstrip() + "\n\nOne more sentence for the benchmark.\n"}
    try:
        for what, text in edits.items():
            story.write_text(text, encoding="utf-8")
            changed, after, _ = pages_of(paths)
            moved = [n for n, k in keys(changed, after, language).items() if before.get(n) != k]
            pages_in = sum(len(parts[n]) for n in moved)
            print(f"edit of one story's {what}: {len(moved)} of {len(parts)} parts "
                  f"({pages_in} pages) to re-index")
    finally:
        story.write_text(original, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
