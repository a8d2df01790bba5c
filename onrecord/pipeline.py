"""The build, read top to bottom: load -> validate -> derive -> render -> write.

`plan` does everything in memory and writes nothing; `build` hands the plan to `write`.
Problems are collected within a stage and checked at a gate between stages, so nothing
after a gate ever sees a broken story.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache as cache_once
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord import (
    actor_chart,
    actors,
    archive,
    assets,
    cache,
    charts,
    config,
    corrections,
    downloads,
    embeds,
    feed,
    joined,
    links,
    load,
    matrix,
    opendata,
    pages,
    people,
    progress,
    render,
    reuse,
    search,
    sitemap,
    social,
    svg,
    templates,
    tips,
    validate,
    workers,
)
from onrecord import manifest as record
from onrecord import write as writer
from onrecord.buildcache import BuildCache, Outputs, StoryEntry, code_version, digest, folder_digest
from onrecord.cache import Memo
from onrecord.model import Directive, Story
from onrecord.pages import ChartView, Page, SiteView, StoryPage
from onrecord.paths import Paths
from onrecord.problems import Problem, Problems
from onrecord.timing import stage

if TYPE_CHECKING:  # Dask is an optional extra, imported only for a build on a cluster
    from onrecord.cluster import Cluster

CHUNK = 500   # pages derived and rendered together: one vl-convert pool, flat memory



@dataclass(frozen=True)
class Options:
    drafts: bool = False
    base_url: str | None = None


@dataclass(frozen=True)
class Plan:
    """The whole site in memory, ready to write."""

    outputs: Mapping[str, bytes]
    warnings: tuple[Problem, ...]
    stories: int
    rendered: tuple[str, ...] = ()   # the pages this build rendered (all, unless memoised)
    keys: Mapping[str, str] = field(default_factory=dict)  # output path -> what made it
    # With `plan(..., later_search=True)`: makes the search bundle ({path: bytes}) when called.
    search: Callable[[], dict[str, bytes]] | None = None


def stories(paths: Paths, options: Options, problems: Problems, memo: Memo | None = None
            ) -> tuple[config.SiteConfig, charts.Charts, list[Story]]:
    """Load and check the config, the charts and every story; raise at the gate on any error."""
    memo = memo or Memo()
    site_config = config.load(paths.config_file, problems, base_url=options.base_url,
                              shown=paths.shown(paths.config_file))
    chart_kinds = charts.kinds(paths.charts, problems)
    problems.raise_if_any()
    chart_set = memo.call("chart-set", "", charts.Charts, chart_kinds, site_config)

    def read(path: Path, shown: str, found: Problems, **where: Path) -> load.SourceFile | None:
        return memo.checked("load", path, cache.file_version(path),
                            lambda again: load.read(path, shown, again, **where), found)

    sources = load.stories(paths.content, paths.root, problems, reader=read)
    names = tuple(kind.name for kind in chart_kinds)

    def check(source: load.SourceFile, *args: object) -> Story | None:  # one story, remembered
        return memo.checked("validate", source.path, (source, *args[:2]),
                            lambda found: validate.story(source, *args[:2], found), args[2])

    checked = validate.stories(sources, site_config, names, problems, check=check)
    problems.raise_if_any()
    drafted = _with_unreviewed(site_config, options, checked)
    if drafted is not site_config:
        site_config = drafted
        chart_set = memo.call("chart-set", "", charts.Charts, chart_kinds, site_config)
    return site_config, chart_set, checked


def _with_unreviewed(site_config: config.SiteConfig, options: Options, checked: list[Story]
                     ) -> config.SiteConfig:
    """With drafts built, a draft's unreviewed quotes need their stance in every legend."""
    if options.drafts and any(q.stance.id == config.UNREVIEWED.id
                              for s in checked for q in s.quotes):
        return replace(site_config, stances=(*site_config.stances, config.UNREVIEWED))
    return site_config


def plan(paths: Paths, options: Options = Options(), memo: Memo | None = None, *,
         later_search: bool = False) -> Plan:
    """Read, check, derive and render the whole site in memory. Writes nothing to public/.

    With a `memo` from an earlier build, stages whose inputs did not change are not redone
    (see onrecord/cache.py); the result is the same as without one. With `later_search`
    the search index, seconds of work on a big site, is left to `Plan.search`, so a dev
    server can reload the page first and index after.
    """
    memo = memo or Memo()
    memo.start()
    problems = Problems()
    site_config, chart_set, checked = stories(paths, options, problems, memo)
    published, fresh = _published(paths, options, checked, problems)
    # `who` is kept as the same object while equal: see templates.py
    who = memo.get("people", "", fresh, lambda: fresh)

    matrices = {s.slug: memo.call("matrix", s.path, matrix.for_story, s) for s in published}
    blocks = {s.slug: memo.call("blocks", s.path, pages.default_blocks, s, site_config)
              for s in published}
    placed = {s.slug: _chart_names(blocks[s.slug]) for s in published}
    story_charts = {s.slug: memo.call("charts", s.path, charts.Charts.for_story, chart_set, s,
                                      matrices[s.slug], placed[s.slug]) for s in published}
    chart_keys = {s.slug: tuple(memo.call("svg-key", (s.path, c.name), svg.key, c)
                                for c in story_charts[s.slug]) for s in published}
    by_key = {k: c for s in published
              for k, c in zip(chart_keys[s.slug], story_charts[s.slug], strict=True)}
    speakers = actors.records(published, who)
    speaker_charts = actor_chart.charts(speakers, site_config)
    speaker_keys = {pid: svg.key(c) for pid, c in speaker_charts.items()}
    by_key |= {k: speaker_charts[pid] for pid, k in speaker_keys.items()}
    svgs = memo.many("svg", dict.fromkeys(by_key, ()), lambda missing: svg.render_all(
        (by_key[k] for k in missing), paths.cache / "svg", problems))
    problems.raise_if_any()

    static = (*memo.get("assets", "static", cache.versions(paths.static),
                        lambda: assets.static(paths.static)),
              assets.stance_css(site_config.stances))
    if any(placed.values()) or speaker_charts:
        static = (*static, memo.get("assets", "runtime", (), lambda: assets.runtime(paths.cache)))
    tags: dict[str, list[Story]] = {}
    for story in published:
        for tag in story.tags:
            tags.setdefault(tag, []).append(story)
    site = SiteView(site_config, {a.name: a.path for a in static}, tuple(published),
                    {t: tuple(s) for t, s in sorted(tags.items())}, who)

    page_list = [memo.call("story-page", s.path, _story_page, s, matrices[s.slug],
                           blocks[s.slug], story_charts[s.slug],
                           tuple(svgs[k] for k in chart_keys[s.slug])) for s in published]
    page_list += memo.call("list-pages", "", pages.list_pages, site)
    page_list += actors.pages(site, speakers, {pid: _view(c, svgs[speaker_keys[pid]], "actor")
                                               for pid, c in speaker_charts.items()})
    page_list += archive.pages(site)
    page_list += search.pages()
    page_list += corrections.pages(site)

    data: dict[str, bytes] = {}
    for s in published:
        data |= memo.call("downloads", s.path, _story_downloads, s)
    data |= memo.call("downloads", "", joined.site, tuple(published), tuple(
        memo.call("download-part", s.path, joined.part, s) for s in published))
    data |= feed.atom(site) | corrections.feed(site) | sitemap.files(site, page_list)
    data |= social.cards(published, matrices, site_config, paths.cache / "social")
    data |= memo.call("opendata", "", opendata.outputs, site_config, tuple(published), who)
    writer.check_paths([(p.path, ", ".join(p.sources) or p.template) for p in page_list]
                       + [(a.path, f"site/static/{a.name}") for a in static]
                       + [(path, "data downloads") for path in data], problems)
    problems.raise_if_any()

    versions = cache.versions(paths.templates)
    uses = memo.get("templates", "", versions,
                    lambda: templates.Uses(render.environment(paths.templates), versions))
    by_path = {p.path: p for p in page_list}
    outputs = memo.many("page", {p.path: (p, *uses.inputs(p.template, site)) for p in page_list},
                        lambda missing: render.outputs(uses.env, (by_path[n] for n in missing),
                                                       site, problems))
    outputs |= embeds.for_pages(uses.env, site, page_list, problems, partial(
        memo.checked, "embeds"), uses.inputs(embeds.TEMPLATE, site))
    problems.raise_if_any()
    index = partial(search.index, dict(outputs), tuple(page_list), site, paths.cache / "search")
    if not later_search:
        outputs |= index()
    outputs |= {a.path: a.data for a in static} | data
    memo.finish()
    return Plan(outputs, tuple(problems.warnings), len(published),
                cache.names(memo.computed("page")), search=index if later_search else None)


def _published(paths: Paths, options: Options, checked: list[Story], problems: Problems
               ) -> tuple[list[Story], dict[str, people.Person]]:
    """The stories to publish, newest first, and who their speakers are (site/actors.toml);
    the last gate: raises on any error so far."""
    registry = people.load(paths.site / "actors.toml", problems)
    problems.raise_if_any()
    published = sorted((s for s in checked if options.drafts or not s.draft),
                       key=lambda s: (s.date, s.slug), reverse=True)
    return published, people.resolve(published, registry)


def _site_view(site_config: config.SiteConfig, static: tuple[assets.Asset, ...],
               published: list[Story], who: dict[str, people.Person]) -> SiteView:
    tags: dict[str, list[Story]] = {}
    for story in published:
        for tag in story.tags:
            tags.setdefault(tag, []).append(story)
    return SiteView(site_config, {a.name: a.path for a in static}, tuple(published),
                    {t: tuple(s) for t, s in sorted(tags.items())}, who)


def _story_page(story: Story, story_matrix: matrix.Matrix, blocks: tuple,
                story_charts: tuple[charts.Chart, ...], svgs: tuple[str, ...]) -> pages.Page:
    views = {c.name: _view(c, text, story.slug)
             for c, text in zip(story_charts, svgs, strict=True)}
    return pages.story_page(story, story_matrix, blocks, views)


def _view(chart: charts.Chart, svg_text: str, prefix: str) -> ChartView:
    """A chart as placed on a page: its texts filled into the SVG, which is inlined with ids
    unique on the page and its marks' tooltips ready for charts.js."""
    drawn = svg.fill(svg_text, chart.texts)
    return ChartView(chart, svg.inline(tips.annotate(drawn, chart.spec),
                                       f"{prefix}-{chart.name}",
                                       f"{chart.title}. {chart.description}"),
                     f"chart-{chart.name}")


def _story_downloads(story: Story) -> dict[str, bytes]:
    return {f"{story.slug}/quotes.csv": downloads.as_csv([story]),
            f"{story.slug}/quotes.json": downloads.as_json([story])}


def _chart_names(blocks: tuple) -> tuple[str, ...]:
    names = [b.argument for b in blocks if isinstance(b, Directive) and b.name == "chart"]
    return tuple(dict.fromkeys(names))


def build(paths: Paths, options: Options = Options(), jobs: int | None = None,
          cluster: Cluster | None = None) -> tuple[Plan, writer.Report]:
    """Plan the site, then swap it into public/ atomically. Raises BuildFailed on any error.

    `jobs`: worker processes drawing SVGs and social cards (default: one per core; 1: none,
    all is drawn in this process). The output is the same bytes whatever it is.

    What the build read and wrote is recorded (onrecord/manifest.py), so that the next
    build can stop at once when nothing changed and skip unchanged files unread. With a
    `cluster` (onrecord/cluster.py), the charts and cards not yet drawn are drawn there.
    """
    paths.cache.mkdir(parents=True, exist_ok=True)
    with open(paths.cache / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time uses this project's cache
        inputs = record.scan(paths)
        cache = BuildCache.open(paths.cache / "build")
        with workers.session(jobs):   # one pool of workers for every SVG and card of the build
            result = cached_plan(paths, options, cache, cluster)
        public, standby = record.outputs(paths)
        record.forget(paths)
        with stage("write"):
            report = writer.tree(paths.public, result.outputs, writer.Known(
                result.keys, public, standby, record.standby(paths)))
            record.save(paths, options, inputs, result, report, standby_keys=public)
            cache.prune()
    return result, report


def check(paths: Paths, options: Options = Options()) -> tuple[Problem, ...]:
    """Validate every story and the config without writing anything; return the warnings."""
    problems = Problems()
    stories(paths, options, problems)
    return tuple(problems.warnings)


def check_built(paths: Paths, options: Options = Options()) -> tuple[Problem, ...]:
    """`check`: validate, build into a temporary folder, then check every internal link.

    Raises BuildFailed for problems in the sources; returns the warnings, a problem for
    each broken link or anchor in the output, and a warning for each statement whose
    source has no archived copy. public/ is not touched.
    """
    memo = Memo()
    result = plan(paths, options, memo)
    checked = stories(paths, options, Problems(), memo)[2]   # remembered: not checked again
    site_config = config.load(paths.config_file, Problems(), base_url=options.base_url)
    with tempfile.TemporaryDirectory(prefix="onrecord-check-") as folder:
        writer.tree(Path(folder) / "public", result.outputs)
    return (*result.warnings, *links.check(result.outputs, site_config),
            *corrections.unarchived(checked))


# The command line's build: caches kept on disk between runs -----------------------


def _cached_site(paths: Paths, options: Options, problems: Problems, cache: BuildCache
                 ) -> tuple[config.SiteConfig, charts.Charts, list[Story]]:
    """`stories`, with each story whose bytes were checked before taken from the build
    cache, problems and all."""
    site_config = config.load(paths.config_file, problems, base_url=options.base_url,
                              shown=paths.shown(paths.config_file))
    chart_kinds = charts.kinds(paths.charts, problems)
    problems.raise_if_any()
    names = tuple(kind.name for kind in chart_kinds)
    checked = _cached_stories(paths, cache, digest(code_version(), repr(site_config), *names),
                              site_config, names, problems)
    validate.unique_slugs(checked, cache.slug_lines, problems)
    problems.raise_if_any()
    site_config = _with_unreviewed(site_config, options, checked)
    chart_set = charts.Charts(chart_kinds, site_config)
    # fill the cached property from the cache: no Altair import
    chart_set.__dict__["templates"] = cache.chart_specs(
        digest(code_version(), repr(site_config), folder_digest(paths.charts)),
        lambda: chart_set.templates)
    return site_config, chart_set, checked


def _cached_stories(paths: Paths, cache: BuildCache, salt: str, site_config: config.SiteConfig,
                    names: tuple[str, ...], problems: Problems) -> list[Story]:
    checked: list[Story] = []
    if not load.folder_exists(paths.content, paths.root, problems):
        return checked
    for path in load.story_paths(paths.content):
        shown = paths.shown(path)
        with stage("load"):
            try:  # a link is checked against where it points, so that is part of its key
                target = str(path.resolve()) if path.is_symlink() else ""
                small = path.stat().st_size <= load.MAX_BYTES  # `load.read` reports the rest
                key = digest(salt, shown, target, path.read_bytes()) if small else None
            except (OSError, RuntimeError):  # RuntimeError: a link loop, on Python 3.11
                key = None
            entry = cache.story(key) if key else None
            if entry is None:
                found = Problems()
                source = load.read(path, shown, found, content=paths.content)
        if entry is None:
            with stage("validate"):
                story = source and validate.story(source, site_config, names, found)
                entry = StoryEntry(story, tuple(found.items))
                if story is not None:
                    entry = StoryEntry(story, entry.problems, _store_rows(cache, key, story),
                                       source.line("slug"))
                if key and not found.errors:
                    cache.put_story(key, entry)
        problems.extend(entry.problems)
        if entry.story is not None:
            checked.append(entry.story)
            cache.story_keys[entry.story.path] = key or os.urandom(16).hex()  # never reused
            cache.rows[entry.story.path] = entry.data
            cache.slug_lines[entry.story.path] = entry.slug_line
    return checked


def _store_rows(cache: BuildCache, key: str | None, story: Story) -> str:
    """Write the story's rows of the quote downloads to the cache; return their key."""
    csv_rows, json_rows = downloads.csv_rows([story]), downloads.json_rows([story])
    name = digest("rows", csv_rows, json_rows)
    if not cache.has_file(name):
        cache.put_rows(name, csv_rows, json_rows)
    return name


def cached_plan(paths: Paths, options: Options, cache: BuildCache,
                cluster: Cluster | None = None) -> Plan:
    """`plan` for the command line: only what changed since an earlier build, even in
    another process, is parsed, checked and rendered again; the rest is read back from the
    build cache (onrecord/buildcache.py) by content hash. Pages wait on disk, not in memory.
    """
    problems = Problems()
    site_config, chart_set, checked = _cached_site(paths, options, problems, cache)
    published, who = _published(paths, options, checked, problems)

    with stage("derive"):
        blocks = {s.slug: pages.default_blocks(s, site_config) for s in published}
        placed = {s.slug: _chart_names(blocks[s.slug]) for s in published}
        speakers = actors.records(published, who)
        speaker_charts = actor_chart.charts(speakers, site_config)
        static = (*assets.static(paths.static), assets.stance_css(site_config.stances))
        if any(placed.values()) or speaker_charts:
            static = (*static, assets.runtime(paths.cache))
        site = _site_view(site_config, static, published, who)
        page_list = [pages.story_page(s, None, blocks[s.slug], {}) for s in published]
        page_list += pages.list_pages(site)
    if cluster is not None:   # every SVG and card not in the caches, drawn there into them
        from onrecord.cluster import draw_missing

        with stage("charts"):
            draw_missing(cluster, paths.cache, published, chart_set, blocks, placed,
                         speaker_charts.values(), site_config, problems)
        problems.raise_if_any()
    with stage("charts"):  # the pages of speakers, archive and search: made every build
        speaker_svgs = svg.render_all(speaker_charts.values(), paths.cache / "svg", problems)
        problems.raise_if_any()
        page_list += actors.pages(site, speakers, {
            pid: _view(c, speaker_svgs[svg.key(c)], "actor") for pid, c in speaker_charts.items()})
        page_list += archive.pages(site)
        page_list += search.pages()
        page_list += corrections.pages(site)

    data_keys = {s.path: cache.rows[s.path] for s in published}
    data: dict[str, Callable[[], bytes]] = {}
    keys: dict[str, str] = {}
    for s in published:
        data[f"{s.slug}/quotes.csv"] = _download(cache, downloads.csv_file, [data_keys[s.path]], 0)
        data[f"{s.slug}/quotes.json"] = _download(cache, downloads.json_file,
                                                  [data_keys[s.path]], 1)
        keys[f"{s.slug}/quotes.csv"] = digest("csv", data_keys[s.path])
        keys[f"{s.slug}/quotes.json"] = digest("json", data_keys[s.path])
    every = [data_keys[s.path] for s in published]
    data["data/quotes.csv"] = _download(cache, downloads.csv_file, every, 0)
    data["data/quotes.json"] = _download(cache, downloads.json_file, every, 1)
    keys["data/quotes.csv"] = digest("csv", *every)
    keys["data/quotes.json"] = digest("json", *every)
    with stage("derive"):
        matrices = {s.slug: matrix.for_story(s) for s in published}
        extra = (feed.atom(site) | corrections.feed(site) | sitemap.files(site, page_list)
                 | social.cards(published, matrices, site_config, paths.cache / "social"))
    data |= {path: _constant(value) for path, value in extra.items()}
    writer.check_paths([(p.path, ", ".join(p.sources) or p.template) for p in page_list]
                       + [(a.path, f"site/static/{a.name}") for a in static]
                       + [(path, "data downloads") for path in data], problems)
    problems.raise_if_any()

    fingerprint = digest(code_version(), repr(site_config), folder_digest(paths.templates),
                         repr(sorted(site.assets.items())), repr(options))
    listing = digest(*(f"{s.slug}:{cache.story_keys[s.path]}" for s in published),
                     repr(sorted((t, [s.slug for s in ss]) for t, ss in site.tags.items())))
    site_wide = {"site": listing, "people": reuse.people_digest(who)}
    later, later_keys = embeds.deferred(published, placed, partial(
        _whole_story, paths, problems, site_config, chart_set, blocks, placed), partial(
        _environment, paths), site, lambda s: digest(fingerprint, site_wide["people"],
                                                     cache.story_keys[s.path]))
    opened = opendata.files(site_config, published, who)
    data |= later | opened
    keys |= later_keys | dict.fromkeys(opened, digest("opendata", fingerprint, listing,
                                                      site_wide["people"]))
    rendered = _render_pages(paths, cache, page_list, site, fingerprint, site_wide,
                             (site_config, chart_set, blocks, placed), problems)
    problems.raise_if_any()
    keys |= {a.path: digest("asset", a.path) for a in static} | rendered.keys
    eager = {a.path: a.data for a in static}
    with stage("render"):
        eager |= search.index(Outputs({}, rendered.files), page_list, site, paths.cache / "search")
    with stage("write"):
        cache.save()
    outputs = Outputs(eager, rendered.files | data)
    keys = {path: keys.get(path, "") for path in outputs}   # '': no key, compare the bytes
    return Plan(outputs, tuple(problems.warnings), len(published),
                tuple(sorted(rendered.made)), keys)


def _download(cache: BuildCache, join: Callable[[list[str]], bytes], names: list[str],
              column: int) -> Callable[[], bytes]:
    """The bytes of one download, joined from the stories' cached rows when written."""
    return lambda: join([cache.read_rows(name)[column] for name in names])


@dataclass(frozen=True)
class _Rendered:
    files: dict[str, Callable[[], bytes]]   # output path -> its bytes, read from the cache
    keys: dict[str, str]                    # output path -> cache file name
    made: tuple[str, ...] = ()              # the pages rendered by this build


def _render_pages(paths: Paths, cache: BuildCache, page_list: list[Page], site: SiteView,
                  fingerprint: str, site_wide: Mapping[str, str], derive_inputs: tuple,
                  problems: Problems) -> _Rendered:
    """Render the pages whose inputs changed; take the others from the cache."""
    files: dict[str, Callable[[], bytes]] = {}
    keys: dict[str, str] = {}
    todo: list[tuple[Page, str | None]] = []
    for item in page_list:
        identity = reuse.identity(item, cache.story_keys)
        base = None if identity is None else digest(fingerprint, item.path, item.template,
                                                    *identity)
        name = base and cache.page(base, lambda reads, item=item: reuse.reads_now(
            item, reads, site_wide, cache.story_keys))
        if name:
            files[item.path], keys[item.path] = cache.reader(name), name
        else:
            todo.append((item, base))
    if not todo:
        return _Rendered(files, keys)
    made, cached = tuple(item.path for item, _ in todo), len(files)
    svg.prefetch(_charts_of([i for i, _ in todo], *derive_inputs[1:]), paths.cache / "svg")
    from onrecord import render  # Jinja is imported only when a page must be rendered

    env = render.environment(paths.templates, _bytecode_folder(paths))
    for kind in (StoryPage, object):   # story pages first, then the rest, each watched
        batch = [(i, b) for i, b in todo if isinstance(i.context, kind)]
        todo = [(i, b) for i, b in todo if not isinstance(i.context, kind)]
        reads = reuse.Reads(site)
        for start in range(0, len(batch), CHUNK):   # a chunk at a time: memory stays flat
            with stage("charts"):
                chunk = list(zip(_with_charts([i for i, _ in batch[start:start + CHUNK]],
                                              paths, problems, *derive_inputs),
                                 [b for _, b in batch[start:start + CHUNK]], strict=True))
                problems.raise_if_any()   # a chart Vega-Lite cannot draw
            with stage("render"):
                outputs = render.outputs(env, [reads.page(item) for item, _ in chunk],
                                         reads.site, problems)
                for item, base in chunk:
                    data = outputs.get(item.path)
                    if data is None:
                        continue
                    if base:
                        done = reads.names()
                        name = cache.put_page(base, done, reuse.reads_now(
                            item, done, site_wide, cache.story_keys), data)
                        files[item.path], keys[item.path] = cache.reader(name), name
                    else:
                        files[item.path] = _constant(data)
                progress.advance("pages", len(files) - cached, len(made))
    return _Rendered(files, keys, made)


def _whole_story(paths: Paths, problems: Problems, site_config: config.SiteConfig,
                 chart_set: charts.Charts, blocks: dict, placed: dict, story: Story) -> StoryPage:
    """A story's page with its matrix and charts, for its embeds."""
    page = pages.story_page(story, None, blocks[story.slug], {})
    return _with_charts([page], paths, problems, site_config, chart_set, blocks, placed)[0].context


@cache_once
def _environment(paths: Paths):  # -> jinja2.Environment, imported only when needed
    from onrecord import render

    return render.environment(paths.templates, _bytecode_folder(paths))


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _bytecode_folder(paths: Paths) -> Path:
    folder = paths.cache / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _charts_of(todo: list[Page], chart_set: charts.Charts, blocks: dict, placed: dict
               ) -> Iterator[charts.Chart]:
    """The charts of the story pages in `todo`, so the workers can start on them early."""
    for item in todo:
        if isinstance(item.context, StoryPage):
            story = item.context.story
            yield from chart_set.for_story(story, matrix.for_story(story), placed[story.slug])


def _with_charts(chunk: list[Page], paths: Paths, problems: Problems,
                 site_config: config.SiteConfig,
                 chart_set: charts.Charts, blocks: dict, placed: dict) -> list[Page]:
    """Story pages made whole: matrix and charts, with the SVGs of the whole chunk drawn
    in one call (vl-convert over every core for those not in the SVG cache)."""
    made = {}
    for item in chunk:
        if isinstance(item.context, StoryPage):
            story = item.context.story
            story_matrix = matrix.for_story(story)
            made[item.path] = (story_matrix, chart_set.for_story(story, story_matrix,
                                                                 placed[story.slug]))
    svgs = svg.render_all((c for _, cs in made.values() for c in cs), paths.cache / "svg",
                          problems)
    whole = []
    for item in chunk:
        if item.path not in made:
            whole.append(item)
            continue
        story, (story_matrix, story_charts) = item.context.story, made[item.path]
        views = {c.name: _view(c, svgs.get(svg.key(c), ""), story.slug) for c in story_charts}
        whole.append(pages.story_page(story, story_matrix, blocks[story.slug], views))
    return whole
