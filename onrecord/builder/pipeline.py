"""The build, read top to bottom: read -> check -> make -> index -> write.

Every stage is a function the engine caches by what it read (onrecord/builder/engine.py): the
reading stages are in onrecord/builder/reading.py, the making stages in onrecord/builder/outputs.py.
`build`, `check` and the dev server (onrecord/authoring/serve.py) ask the same engine the same
questions, so each redoes only what changed since any of them last ran, and a page the
dev server shows is the page `build` writes. Problems are collected within a stage and
checked at a gate between stages, so nothing after a gate ever sees a broken story.
"""

from __future__ import annotations

import fcntl
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.builder import manifest as record
from onrecord.builder import outputs, progress, reading, workers
from onrecord.builder.engine import Engine, Store, code_version, digest, fingerprint_of
from onrecord.builder.reading import Given, Options
from onrecord.builder.timing import stage
from onrecord.output import links, search
from onrecord.output import write as writer
from onrecord.stories.config import SiteConfig
from onrecord.stories.model import Story
from onrecord.stories.paths import Paths
from onrecord.stories.problems import BuildFailed, Problem, Problems
from onrecord.views import social, svg
from onrecord.views.charts import Charts
from onrecord.website import corrections
from onrecord.website.pages import Page

if TYPE_CHECKING:  # Dask is an optional extra, imported only for a build on a cluster
    from onrecord.builder.cluster import Cluster

DEFAULTS = Options()
NO_PROBLEMS = fingerprint_of(())   # what making an output found, when it found nothing

__all__ = ["Options", "Plan", "build", "check", "check_built", "open_engine", "plan", "stories"]


@dataclass(frozen=True)
class Plan:
    """The whole site, ready to write: each output's bytes, read when wanted."""

    outputs: Mapping[str, bytes]
    warnings: tuple[Problem, ...]
    stories: int
    rendered: tuple[str, ...] = ()   # the pages this run rendered (the others were reused)
    keys: Mapping[str, str] = field(default_factory=dict)  # output path -> its fingerprint


def open_engine(paths: Paths, options: Options = DEFAULTS, *, kept: bool = True) -> Engine:
    """The project's engine; `kept`: its results on disk, in the project's cache (where
    the cache cannot be written, the engine works from memory alone)."""
    store = None
    if kept:
        try:
            store = Store(paths.cache / "engine.sqlite", code_version())
        except (OSError, sqlite3.Error):
            store = None
    return Engine(store, given=Given(paths, options))


def gate(engine: Engine) -> tuple[Problem, ...]:
    """Read and check every source; raise BuildFailed on any error, else the warnings."""
    with stage("load"):   # every story read, parsed and checked, each on its own
        for path in engine.get(reading.story_files).value:
            engine.fingerprint(reading.story, path)
    with stage("validate"):   # and what only the whole site shows
        found = (*engine.get(reading.problems), *engine.get(outputs.template_problems))
    if any(not p.warning for p in found):
        raise BuildFailed(found)
    return found


def make(engine: Engine, *, cluster: Cluster | None = None) -> Plan:
    """Every output of a checked site, made or reused; raise BuildFailed on any error."""
    found = Problems()
    found.extend(gate(engine))
    with stage("charts"):
        _draw_ahead(engine, cluster, found)
        for path in engine.get(reading.published_files):   # a chart Vega-Lite cannot draw
            found.extend(engine.get(outputs.story_svgs, path)[1])
        found.raise_if_any()
    with stage("derive"):
        found.extend(engine.get(outputs.collisions))
        found.raise_if_any()
        paths = outputs.every_path(engine)
    with stage("render"):
        for done, path in enumerate(paths, 1):
            if engine.fingerprint(outputs.problems_of, path) != NO_PROBLEMS:
                found.extend(engine.get(outputs.problems_of, path))
            progress.advance("pages", done, len(paths))
        found.raise_if_any()
    made = tuple(sorted(args[0] for name, args in engine.computed if name == outputs.output.name
                        and isinstance(engine.get(outputs.item, args[0]), Page)))
    files = {**{path: path for path in paths}, **search_files(engine)}
    return Plan(_Outputs(engine, files), tuple(found.warnings),
                len(engine.get(reading.published_files)), made,
                {path: _fingerprint(engine, path) for path in files})


def search_files(engine: Engine) -> dict[str, str]:
    """The search index's files (Pagefind), by path; made after every page."""
    with stage("search"):
        return {path: path for path in engine.get(outputs.search_bundle)}


def _fingerprint(engine: Engine, path: str) -> str:
    if path.startswith(search.FOLDER + "/"):   # one stage makes them all: each by its bytes
        return digest(engine.get(outputs.search_bundle)[path])
    return engine.fingerprint(outputs.output, path)


class _Outputs(Mapping[str, bytes]):
    """Output path -> bytes, each read from the engine's store only when written."""

    def __init__(self, engine: Engine, files: Mapping[str, str]) -> None:
        self._engine = engine
        self._files = files

    def __getitem__(self, path: str) -> bytes:
        if path not in self._files:
            raise KeyError(path)
        if path.startswith(search.FOLDER + "/"):
            return self._engine.get(outputs.search_bundle)[path]
        data = self._engine.get(outputs.output, path).data
        if data is None:
            raise KeyError(path)
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


def _draw_ahead(engine: Engine, cluster: Cluster | None, found: Problems) -> None:
    """Start drawing every chart and card not in their caches at once, over every core (or
    on a cluster), before the pages ask for them one story at a time.

    Only the stories whose charts or cards this run had to work out again are looked at:
    the others' were drawn by an earlier run."""
    stories = engine.get(reading.published_files)
    for path in stories:
        engine.fingerprint(outputs.story_charts, path)
        engine.fingerprint(outputs.card, path)
    engine.fingerprint(outputs.speaker_charts)
    fresh = {(name, args) for name, args in engine.computed}
    charts = [chart for path in stories if (outputs.story_charts.name, (path,)) in fresh
              for chart in engine.get(outputs.story_charts, path)]
    if (outputs.speaker_charts.name, ()) in fresh:
        charts += engine.get(outputs.speaker_charts).values()
    cards = {engine.get(reading.story, path).value.slug: engine.get(outputs.card, path)
             for path in stories if (outputs.card.name, (path,)) in fresh}
    cache = engine.given.paths.cache
    if cluster is None:   # drawn here, in one go over the pool; a failure is reported per story
        svg.render_all(charts, cache / "svg", Problems())
        workers.prefetch(workers.batches(cards=[
            (social.name(what), social.fields(what)) for what in cards.values()
            if not social.cached(cache / "social", social.name(what))]))
        return
    from onrecord.builder import cluster as on_cluster
    from onrecord.views import charts as site_charts

    published = engine.get(reading.published)
    by_slug = dict(zip((s.slug for s in published), stories, strict=True))
    config = engine.get(reading.site_settings)
    on_cluster.draw_missing(
        cluster, cache, published, site_charts.Charts(engine.get(reading.chart_kinds).value,
                                                      config),
        {slug: engine.get(outputs.blocks, path) for slug, path in by_slug.items()},
        {slug: engine.get(outputs.placed_charts, path) for slug, path in by_slug.items()},
        engine.get(outputs.speaker_charts).values(), config, found)
    found.raise_if_any()


def plan(paths: Paths, options: Options = DEFAULTS, engine: Engine | None = None) -> Plan:
    """The whole site in memory, written nowhere: with no `engine`, made from scratch."""
    engine = engine or open_engine(paths, options, kept=False)
    made = make(engine)
    return Plan(dict(made.outputs), made.warnings, made.stories, made.rendered, made.keys)


def build(paths: Paths, options: Options = DEFAULTS, jobs: int | None = None,
          cluster: Cluster | None = None) -> tuple[Plan, writer.Report]:
    """Make the site, then swap it into public/ atomically. Raises BuildFailed on any error.

    `jobs`: worker processes drawing SVGs and social cards (default: one per core; 1: none,
    all is drawn in this process). The output is the same bytes whatever it is.
    What the build wrote is recorded (onrecord/builder/manifest.py), so the next build can stop at
    once when nothing changed, and write only the files that differ.
    """
    with _locked(paths):
        inputs = record.scan(paths)
        engine = open_engine(paths, options)
        try:
            with workers.session(jobs):   # one pool of workers for every SVG and card
                result = make(engine, cluster=cluster)
            public, standby = record.outputs(paths)
            record.forget(paths)
            with stage("write"):
                report = writer.tree(paths.public, result.outputs, writer.Known(
                    result.keys, public, standby, record.standby(paths)))
                record.save(paths, options, inputs, result, report, standby_keys=public)
                engine.save(prune=True)
        finally:
            engine.close()
    return result, report


@contextmanager
def _locked(paths: Paths) -> Iterator[None]:
    """One build at a time uses a project's cache."""
    paths.cache.mkdir(parents=True, exist_ok=True)
    with open(paths.cache / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def stories(paths: Paths, options: Options = DEFAULTS, problems: Problems | None = None
            ) -> tuple[SiteConfig, Charts, list[Story]]:
    """The checked settings, the site's charts and every story, drafts too (for tools and
    tests); problems go to `problems`, and an error raises BuildFailed."""
    engine = open_engine(paths, options, kept=False)
    found = gate(engine)
    if problems is not None:
        problems.extend(found)
    checked = [engine.get(reading.story, path).value
               for path in engine.get(reading.story_files).value]
    return (engine.get(reading.site_settings), reading.chart_set(engine),  # type: ignore[arg-type]
            [s for s in checked if s is not None])


def check(paths: Paths, options: Options = DEFAULTS) -> tuple[Problem, ...]:
    """Validate every story and the config without writing anything; return the warnings."""
    return gate(open_engine(paths, options, kept=False))


def check_built(paths: Paths, options: Options = DEFAULTS) -> tuple[Problem, ...]:
    """`check`: validate, build into a temporary folder, then check every internal link.

    Raises BuildFailed for problems in the sources; returns the warnings, a problem for
    each broken link or anchor in the output, and a warning for each statement whose
    source has no archived copy. public/ is not touched.
    """
    engine = open_engine(paths, options)   # what build made is not made again, and the reverse
    try:
        result = plan(paths, options, engine)
        with tempfile.TemporaryDirectory(prefix="onrecord-check-") as folder:
            writer.tree(Path(folder) / "public", result.outputs)
        found = (*result.warnings, *links.check(result.outputs,
                                                engine.get(reading.site_settings)),
                 *corrections.unarchived(engine.get(reading.published)))
        engine.save()
        return found
    finally:
        engine.close()
