"""The build, read top to bottom: load -> validate -> derive -> render -> write.

`plan` does everything in memory and writes nothing; `build` hands the plan to `write`.
Problems are collected within a stage and checked at a gate between stages, so nothing
after a gate ever sees a broken story.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from onrecord import (
    actor_chart,
    actors,
    archive,
    assets,
    cache,
    charts,
    config,
    downloads,
    feed,
    joined,
    links,
    load,
    matrix,
    pages,
    people,
    render,
    search,
    sitemap,
    social,
    svg,
    templates,
    validate,
)
from onrecord import write as writer
from onrecord.cache import Memo
from onrecord.model import Directive, Story
from onrecord.pages import ChartView, SiteView
from onrecord.paths import Paths
from onrecord.problems import Problem, Problems


@dataclass(frozen=True)
class Options:
    drafts: bool = False
    base_url: str | None = None


@dataclass(frozen=True)
class Plan:
    """The whole site in memory, ready to write."""

    outputs: dict[str, bytes]
    warnings: tuple[Problem, ...]
    stories: int
    rendered: tuple[str, ...] = ()   # the pages this build rendered (all, unless memoised)


def stories(paths: Paths, options: Options, problems: Problems, memo: Memo | None = None
            ) -> tuple[config.SiteConfig, charts.Charts, list[Story]]:
    """Load and check the config, the charts and every story; raise at the gate on any error."""
    memo = memo or Memo()
    site_config = config.load(paths.config_file, problems, base_url=options.base_url)
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
    return site_config, chart_set, checked


def plan(paths: Paths, options: Options = Options(), memo: Memo | None = None) -> Plan:
    """Read, check, derive and render the whole site in memory. Writes nothing to public/.

    With a `memo` from an earlier build, stages whose inputs did not change are not redone
    (see onrecord/cache.py); the result is the same as without one.
    """
    memo = memo or Memo()
    memo.start()
    problems = Problems()
    site_config, chart_set, checked = stories(paths, options, problems, memo)
    registry = people.load(paths.site / "actors.toml", problems)
    problems.raise_if_any()
    published = sorted((s for s in checked if options.drafts or not s.draft),
                       key=lambda s: (s.date, s.slug), reverse=True)
    who = people.resolve(published, registry)

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

    data: dict[str, bytes] = {}
    for s in published:
        data |= memo.call("downloads", s.path, _story_downloads, s)
    data |= memo.call("downloads", "", joined.site, tuple(published), tuple(
        memo.call("download-part", s.path, joined.part, s) for s in published))
    data |= feed.atom(site) | sitemap.files(site, page_list)
    data |= social.cards(published, matrices, site_config, paths.cache / "social")
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
    problems.raise_if_any()
    outputs |= search.index(outputs, page_list, site, paths.cache / "search")
    outputs |= {a.path: a.data for a in static} | data
    memo.finish()
    return Plan(outputs, tuple(problems.warnings), len(published),
                cache.names(memo.computed("page")))


def _story_page(story: Story, story_matrix: matrix.Matrix, blocks: tuple,
                story_charts: tuple[charts.Chart, ...], svgs: tuple[str, ...]) -> pages.Page:
    views = {c.name: _view(c, text, story.slug)
             for c, text in zip(story_charts, svgs, strict=True)}
    return pages.story_page(story, story_matrix, blocks, views)


def _view(chart: charts.Chart, svg_text: str, prefix: str) -> ChartView:
    """A chart as placed on a page, its SVG inlined with ids unique on the page."""
    return ChartView(chart, svg.inline(svg_text, f"{prefix}-{chart.name}",
                                       f"{chart.title}. {chart.description}"),
                     f"chart-{chart.name}")


def _story_downloads(story: Story) -> dict[str, bytes]:
    return {f"{story.slug}/quotes.csv": downloads.as_csv([story]),
            f"{story.slug}/quotes.json": downloads.as_json([story])}


def _chart_names(blocks: tuple) -> tuple[str, ...]:
    names = [b.argument for b in blocks if isinstance(b, Directive) and b.name == "chart"]
    return tuple(dict.fromkeys(names))


def build(paths: Paths, options: Options = Options()) -> tuple[Plan, writer.Report]:
    """Plan the site, then swap it into public/ atomically. Raises BuildFailed on any error."""
    result = plan(paths, options)
    return result, writer.tree(paths.public, result.outputs)


def check(paths: Paths, options: Options = Options()) -> tuple[Problem, ...]:
    """Validate every story and the config without writing anything; return the warnings."""
    problems = Problems()
    stories(paths, options, problems)
    people.load(paths.site / "actors.toml", problems)
    problems.raise_if_any()
    return tuple(problems.warnings)


def check_built(paths: Paths, options: Options = Options()) -> tuple[Problem, ...]:
    """`check`: validate, build into a temporary folder, then check every internal link.

    Raises BuildFailed for problems in the sources; returns the warnings and a problem
    for each broken link or anchor in the output. public/ is not touched.
    """
    result = plan(paths, options)
    site_config = config.load(paths.config_file, Problems(), base_url=options.base_url)
    with tempfile.TemporaryDirectory(prefix="onrecord-check-") as folder:
        writer.tree(Path(folder) / "public", result.outputs)
    return (*result.warnings, *links.check(result.outputs, site_config))
