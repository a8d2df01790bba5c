"""The build, read top to bottom: load -> validate -> derive -> render -> write.

`plan` does everything in memory and writes nothing; `build` hands the plan to `write`.
Problems are collected within a stage and checked at a gate between stages, so nothing
after a gate ever sees a broken story.
"""

from __future__ import annotations

from dataclasses import dataclass

from onrecord import assets, charts, config, downloads, load, matrix, pages, render, svg, validate
from onrecord import write as writer
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


def stories(paths: Paths, options: Options, problems: Problems
            ) -> tuple[config.SiteConfig, charts.Charts, list[Story]]:
    """Load and check the config, the charts and every story; raise at the gate on any error."""
    site_config = config.load(paths.config_file, problems, base_url=options.base_url)
    chart_kinds = charts.kinds(paths.charts, problems)
    problems.raise_if_any()
    sources = load.stories(paths.content, paths.root, problems)
    names = tuple(kind.name for kind in chart_kinds)
    checked = validate.stories(sources, site_config, names, problems)
    problems.raise_if_any()
    return site_config, charts.Charts(chart_kinds, site_config), checked


def plan(paths: Paths, options: Options = Options()) -> Plan:
    """Read, check, derive and render the whole site in memory. Writes nothing to public/."""
    problems = Problems()
    site_config, chart_set, checked = stories(paths, options, problems)
    published = sorted((s for s in checked if options.drafts or not s.draft),
                       key=lambda s: (s.date, s.slug), reverse=True)

    matrices = {s.slug: matrix.for_story(s) for s in published}
    blocks = {s.slug: pages.default_blocks(s, site_config) for s in published}
    placed = {s.slug: _chart_names(blocks[s.slug]) for s in published}
    story_charts = {s.slug: chart_set.for_story(s, matrices[s.slug], placed[s.slug])
                    for s in published}
    svgs = svg.render_all((c for cs in story_charts.values() for c in cs),
                          paths.cache / "svg", problems)
    problems.raise_if_any()

    static = (*assets.static(paths.static), assets.stance_css(site_config.stances))
    if any(placed.values()):
        static = (*static, assets.runtime(paths.cache))
    tags: dict[str, list[Story]] = {}
    for story in published:
        for tag in story.tags:
            tags.setdefault(tag, []).append(story)
    site = SiteView(site_config, {a.name: a.path for a in static}, tuple(published),
                    {t: tuple(s) for t, s in sorted(tags.items())})

    page_list = [pages.story_page(
        s, matrices[s.slug], blocks[s.slug],
        {c.name: ChartView(c, svg.inline(svgs[svg.key(c)], f"{s.slug}-{c.name}",
                                         f"{c.title}. {c.description}"), f"chart-{c.name}")
         for c in story_charts[s.slug]}) for s in published]
    page_list += pages.list_pages(site)

    data = {f"{s.slug}/quotes.csv": downloads.as_csv([s]) for s in published}
    data |= {f"{s.slug}/quotes.json": downloads.as_json([s]) for s in published}
    data |= {"data/quotes.csv": downloads.as_csv(published),
             "data/quotes.json": downloads.as_json(published)}
    writer.check_paths([(p.path, ", ".join(p.sources) or p.template) for p in page_list]
                       + [(a.path, f"site/static/{a.name}") for a in static]
                       + [(path, "data downloads") for path in data], problems)
    problems.raise_if_any()

    env = render.environment(paths.templates)
    outputs = render.outputs(env, page_list, site, problems)
    problems.raise_if_any()
    outputs |= {a.path: a.data for a in static} | data
    return Plan(outputs, tuple(problems.warnings), len(published))


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
    return tuple(problems.warnings)
