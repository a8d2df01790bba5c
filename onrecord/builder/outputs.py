"""Making the site, as engine stages: each story's views, every page and file, rendered.

Outputs come in groups: a story's group (its page, downloads, card and embeds, every
path under its slug) and the site's groups (list pages, speakers, archive, feeds, data,
assets...). `item(path)` picks one output from its group and `output(path)` renders it,
so a page is rendered again only when what it shows changed: a group rerun for another
reason hands back an equal item, and the engine stops there.

Templates see the site through `SiteReads`: each part (settings, assets, speakers, the
story list) is read from the engine when a template first uses it, so a page depends
on the parts it used and no more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from onrecord.builder.engine import Stage, Step, digest, stage
from onrecord.builder.reading import (
    chart_set,
    project,
    published,
    published_files,
    site_settings,
    slugs,
    speakers,
    story,
)
from onrecord.output import assets, search, write
from onrecord.stories.model import Directive, Story
from onrecord.stories.problems import Problem, Problems
from onrecord.views import actor_chart, matrix, social, svg, tips
from onrecord.website import (
    actors,
    archive,
    corrections,
    downloads,
    embeds,
    feed,
    joined,
    opendata,
    pages,
    sitemap,
)
from onrecord.website.pages import ChartView, Page, SiteView, Teaser

Item = Page | bytes


@dataclass(frozen=True)
class Made:
    """One output's bytes (None if it could not be made) and the problems making it."""

    data: bytes | None
    problems: tuple[Problem, ...] = ()


# --- a story's views -------------------------------------------------------------------------


@stage(spill=True)
def blocks(step: Step, path: str) -> tuple:
    return pages.default_blocks(step.get(story, path).value, step.get(site_settings))


@stage
def placed_charts(step: Step, path: str) -> tuple[str, ...]:
    names = [b.argument for b in step.get(blocks, path)
             if isinstance(b, Directive) and b.name == "chart"]
    return tuple(dict.fromkeys(names))


@stage(spill=True)
def story_matrix(step: Step, path: str) -> matrix.Matrix:
    return matrix.for_story(step.get(story, path).value)


@stage(spill=True)
def story_charts(step: Step, path: str) -> tuple:
    """The story's placed charts: the site's specs with the story's rows injected."""
    return chart_set(step).for_story(step.get(story, path).value, step.get(story_matrix, path),
                                      step.get(placed_charts, path))


@stage(spill=True)
def story_svgs(step: Step, path: str) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """Each placed chart drawn (from the SVG cache, keyed by what it draws)."""
    found = Problems()
    charts = step.get(story_charts, path)
    drawn = svg.render_all(charts, step.get(project).cache / "svg", found)
    return tuple(drawn.get(svg.key(c), "") for c in charts), tuple(found.items)


def view(chart: Any, svg_text: str, prefix: str) -> ChartView:
    """A chart as placed on a page: its texts filled into the SVG, which is inlined with ids
    unique on the page and its marks' tooltips ready for charts.js."""
    drawn = svg.fill(svg_text, chart.texts)
    return ChartView(chart, svg.inline(tips.annotate(drawn, chart.spec),
                                       f"{prefix}-{chart.name}",
                                       f"{chart.title}. {chart.description}"),
                     f"chart-{chart.name}")


@stage(spill=True)
def story_page(step: Step, path: str) -> Page:
    made = step.get(story, path).value
    drawn, _ = step.get(story_svgs, path)
    views = {c.name: view(c, text, made.slug)
             for c, text in zip(step.get(story_charts, path), drawn, strict=True)}
    return pages.story_page(made, step.get(story_matrix, path), step.get(blocks, path), views)


@stage(spill=True)
def story_group(step: Step, path: str) -> dict[str, Item]:
    """Every output under a story's slug: its page, downloads, card, data package, embeds."""
    made = step.get(story, path).value
    page = step.get(story_page, path)
    site = SiteReads(step, listing=False)
    group: dict[str, Item] = {page.path: page,
                              f"{made.slug}/quotes.csv": downloads.as_csv([made]),
                              f"{made.slug}/quotes.json": downloads.as_json([made])}
    config = step.get(site_settings)
    group |= social.drawn({social.path(made): step.get(card, path)},
                          step.get(project).cache / "social")
    group |= opendata.story_package(config, made)
    found = Problems()
    group |= embeds.files(templates(step, embeds.TEMPLATE), site, page.context, found)
    found.raise_if_any()
    return group


# --- what list pages show --------------------------------------------------------------------


@stage
def teaser(step: Step, path: str) -> Teaser:
    return Teaser.of(step.get(story, path).value)


@stage
def teasers(step: Step) -> tuple[Teaser, ...]:
    """The published stories as lists show them, newest first: a body edit leaves it equal."""
    return tuple(step.get(teaser, path) for path in step.get(published_files))


@stage
def tag_lists(step: Step) -> dict[str, tuple[Teaser, ...]]:
    found: dict[str, list[Teaser]] = {}
    for item in step.get(teasers):
        for tag in item.tags:
            found.setdefault(tag, []).append(item)
    return {tag: tuple(items) for tag, items in sorted(found.items())}


@stage
def stats(step: Step, path: str) -> str:
    return pages.stats(step.get(story, path).value)


# --- the site's groups -----------------------------------------------------------------------


SITE_GROUPS: list[Stage] = []


def site_pages(function: Callable[[Step], Mapping[str, Item]]) -> Stage:
    """Make `function(step) -> {path: Page or bytes}` a stage and one of the site's groups
    of outputs: every path it returns is built, served and checked. Adding a page type is
    a module with one such function, and a template (docs/architecture.md)."""
    made = stage(function, spill=True)
    SITE_GROUPS.append(made)
    return made



@site_pages
def list_pages(step: Step) -> dict[str, Item]:
    """The index, a page per tag, and the 404 page."""
    summary = {step.get(teaser, p).slug: step.get(stats, p) for p in step.get(published_files)}
    made = pages.list_pages(step.get(site_settings), step.get(teasers), step.get(tag_lists),
                            summary)
    return {page.path: page for page in made}


@stage(kept=False)
def speaker_records(step: Step) -> dict[str, actors.Record]:
    """Each speaker's statements across every published story (in memory only: a speaker's
    page reads its own record, `speaker_record`)."""
    return actors.records(step.get(published), step.get(speakers), Teaser.of)


@stage
def speaker_ids(step: Step) -> tuple[str, ...]:
    return tuple(step.get(speaker_records))


@stage(spill=True)
def speaker_record(step: Step, person: str) -> actors.Record:
    """One speaker's record: equal after an edit to a story that does not quote them."""
    return step.get(speaker_records)[person]


@stage
def speaker_spec(step: Step) -> dict[str, Any]:
    """The speaker charts' Vega-Lite spec without data: Altair runs once per site."""
    return actor_chart.spec(step.get(site_settings))


@stage(spill=True)
def speaker_chart(step: Step, person: str) -> Any:
    record = step.get(speaker_record, person)
    return actor_chart.chart(step.get(speaker_spec), record.person.name, list(record.quotes))


@stage(spill=True)
def speaker_page(step: Step, person: str) -> Page:
    """A speaker's page, with their chart across every story."""
    chart = step.get(speaker_chart, person)
    found = Problems()
    drawn = svg.render_all([chart], step.get(project).cache / "svg", found)
    found.raise_if_any()
    record = step.get(speaker_record, person)
    return actors.page(record, view(chart, drawn[svg.key(chart)], "actor"))


@stage
def speaker_charts(step: Step) -> dict[str, Any]:
    """Every speaker's chart, to draw those missing ahead of the pages."""
    return {person: step.get(speaker_chart, person) for person in step.get(speaker_ids)}


@stage
def speakers_index(step: Step) -> Page:
    """actors/: every speaker, most quoted first."""
    return actors.index({person: step.get(speaker_record, person)
                         for person in step.get(speaker_ids)})


@site_pages
def speaker_pages(step: Step) -> dict[str, Item]:
    """actors/ and a page per speaker."""
    made = [step.get(speakers_index), *(step.get(speaker_page, person)
                                        for person in step.get(speaker_ids))]
    return {page.path: page for page in made}


@stage
def card(step: Step, path: str) -> dict[str, Any]:
    """What a story's social card shows (its name in the card cache is a hash of this)."""
    return social.card_fields(step.get(story, path).value, step.get(story_matrix, path),
                              step.get(site_settings))


@site_pages
def other_pages(step: Step) -> dict[str, Item]:
    """The archive, the search page and the corrections page."""
    made = (*archive.pages(step.get(teasers)), *search.pages(),
            *corrections.pages(step.get(corrections_list)))
    return {page.path: page for page in made}


@stage
def story_corrections(step: Step, path: str) -> tuple[corrections.Entry, ...]:
    return corrections.entries([step.get(story, path).value])


@stage
def corrections_list(step: Step) -> tuple[corrections.Entry, ...]:
    return corrections.newest_first(entry for path in step.get(published_files)
                                    for entry in step.get(story_corrections, path))


@site_pages
def site_files(step: Step) -> dict[str, Item]:
    """Feeds, the sitemap, the site-wide downloads, open data and the site's card."""
    site = site_view(step)
    config = site.config
    stories = site.stories
    files: dict[str, Item] = {}
    files |= feed.atom(site) | corrections.feed(site, step.get(corrections_list))
    files |= sitemap.files(site, step.get(sitemap_entries))
    files |= joined.site(stories, [step.get(data_part, p) for p in step.get(published_files)])
    files |= opendata.site_files(config, stories, site.people)
    files |= social.site_card(len(stories), config, step.get(project).cache / "social")
    files |= embeds.host_script()
    return files


@stage(spill=True)
def data_part(step: Step, path: str) -> joined.Part:
    return joined.part(step.get(story, path).value)


@stage
def sitemap_entries(step: Step) -> tuple[tuple[str, Any], ...]:
    """(address, last modified or None) of every page but the 404."""
    story_pages = tuple((f"{t.slug}/", t.modified) for t in step.get(teasers))
    others = (page for group in SITE_GROUPS if group is not site_files   # it holds the sitemap
              for page in step.get(group).values() if isinstance(page, Page))
    return (*story_pages, *((page.url, None) for page in others if page.path != "404.html"))


@stage
def asset_list(step: Step) -> tuple[assets.Asset, ...]:
    """site/static/, hashed, the stances' CSS, and Vega's runtime for charts that ask for it."""
    chosen = step.get(project)
    static = []
    for name in step.files(chosen.static):
        if not any(part.startswith(".") for part in name.split("/")):
            data = step.read(chosen.static / name)
            if data is not None:
                static.append(assets.hashed(name, data))
    made = (*static, assets.stance_css(step.get(site_settings).stances))
    return (*made, assets.runtime(chosen.cache))


@stage
def asset_names(step: Step) -> dict[str, str]:
    """Asset name -> hashed output path: what pages link to."""
    return {a.name: a.path for a in step.get(asset_list)}


@site_pages
def asset_files(step: Step) -> dict[str, Item]:
    return {a.path: a.data for a in step.get(asset_list)}


def site_view(step: Step) -> SiteView:
    """The whole site, for the outputs that list every story (feeds, data)."""
    stories = step.get(published)
    tags: dict[str, list[Story]] = {}
    for item in stories:
        for tag in item.tags:
            tags.setdefault(tag, []).append(item)
    return SiteView(step.get(site_settings), step.get(asset_names), stories,
                    {t: tuple(s) for t, s in sorted(tags.items())}, step.get(speakers))


# --- every output ----------------------------------------------------------------------------


@stage
def group_paths(step: Step, name: str) -> tuple[str, ...]:
    """The outputs of one of the site's groups: equal while none is added or removed."""
    return tuple(step.get(_group(name)))


@stage
def site_recipes(step: Step) -> dict[str, str]:
    """Every output that is not under a story's slug -> the group that makes it."""
    return {path: group.name for group in SITE_GROUPS
            for path in step.get(group_paths, group.name)}


@stage
def story_paths(step: Step, path: str) -> tuple[str, ...]:
    return tuple(step.get(story_group, path))


@stage
def collisions(step: Step) -> tuple[Problem, ...]:
    """Two outputs with one path, or a path outside public/: named with their sources."""
    found = Problems()
    named = [(name, step.get(story, path).value.path) for path in step.get(published_files)
             for name in step.get(story_paths, path)]
    named += [(name, group) for name, group in step.get(site_recipes).items()]
    write.check_paths(named, found)
    return tuple(found.items)


@stage
def item(step: Step, path: str) -> Item | None:
    """One output before rendering (a page) or made (a file), picked from its group."""
    slug, _, rest = path.partition("/")
    owner = step.get(slugs).get(slug) if rest else None
    if owner is not None and rest == "index.html":   # the page alone: no need for its embeds
        return step.get(story_page, owner)
    if owner is not None:
        group = step.get(story_group, owner)
        if path in group:
            return group[path]
    name = step.get(site_recipes).get(path)
    return None if name is None else step.get(_group(name))[path]


def _group(name: str) -> Stage:
    return next(group for group in SITE_GROUPS if group.name == name)


@stage(spill=True)
def output(step: Step, path: str) -> Made:
    """One output's bytes: a page rendered through its template, or a file as made."""
    made = step.get(item, path)
    if made is None or isinstance(made, bytes):
        return Made(made)
    found = Problems()
    rendered = render_page(step, made, found)
    return Made(rendered, tuple(found.items))


def render_page(step: Step, page: Page, found: Problems) -> bytes | None:
    from onrecord.output import render

    env = templates(step, page.template)
    return render.outputs(env, [page], SiteReads(step), found).get(page.path)


def every_path(step: Step) -> tuple[str, ...]:
    """Every output's path: each story's, then the site's."""
    return (*(name for path in step.get(published_files) for name in step.get(story_paths, path)),
            *step.get(site_recipes))


# --- templates -------------------------------------------------------------------------------


@stage(kept=False)
def environment(step: Step) -> Any:
    """The Jinja environment over every template as read (jinja2.Environment)."""
    from onrecord.output import render

    folder = step.get(project).templates
    sources = {name: (step.read(folder / name) or b"").decode("utf-8", "replace")
               for name in step.files(folder)}
    cache = step.get(project).cache / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    return render.environment(sources, cache)


@stage
def closure(step: Step, name: str) -> str:
    """A digest of a template and of every template it extends, includes or imports."""
    from onrecord.output import render

    folder = step.get(project).templates
    step.files(folder)   # a template added under a used name changes what is used
    names = render.referenced(step.untracked(environment), name)
    return digest(*(part for used in names for part in (used, step.read(folder / used) or b"")))


def templates(step: Step, name: str) -> Any:
    """The environment, for rendering `name`: the caller depends on that template's files."""
    step.get(closure, name)
    return step.untracked(environment)


class SiteReads:
    """The site as a template sees it (see SiteView): each part is read from the engine
    when first used, so a page depends on the parts its template used. Embeds see no
    story list (`listing=False`): they show the same whatever else is on the site."""

    def __init__(self, step: Step, *, listing: bool = True) -> None:
        self._step = step
        self._listing = listing

    @property
    def config(self) -> Any:
        return self._step.get(site_settings)

    @property
    def assets(self) -> Mapping[str, str]:
        return self._step.get(asset_names)

    @property
    def people(self) -> Any:
        return self._step.get(speakers)

    @property
    def stories(self) -> tuple[Teaser, ...]:
        return self._step.get(teasers) if self._listing else ()

    @property
    def tags(self) -> Mapping[str, tuple[Teaser, ...]]:
        return self._step.get(tag_lists) if self._listing else {}

    url: Callable[..., str] = SiteView.url
    absolute: Callable[..., str | None] = SiteView.absolute
    asset: Callable[..., str] = SiteView.asset
    person: Callable[..., Any] = SiteView.person
    actor_url: Callable[..., str] = SiteView.actor_url


@stage
def problems_of(step: Step, path: str) -> tuple[Problem, ...]:
    """What making one output found: small, so a build checks every output cheaply."""
    return step.get(output, path).problems


@stage
def template_of(step: Step, path: str) -> str | None:
    """The template an output is rendered with (None for a file): small, so telling the
    searchable pages apart loads no page."""
    made = step.get(item, path)
    return made.template if isinstance(made, Page) else None


@stage
def search_members(step: Step) -> dict[str, tuple[str, ...]]:
    """Search part -> the story and speaker pages indexed in it (search.parts)."""
    searchable = [Page(path, "", template, "", None)   # type: ignore[arg-type]
                  for path in every_path(step)
                  if (template := step.get(template_of, path)) in search.SEARCHABLE]
    return {name: tuple(p.path for p in found) for name, found in search.parts(searchable).items()}


@stage(spill=True)
def search_text(step: Step, path: str) -> bytes:
    """What Pagefind reads of a page (its <main>): a change elsewhere re-indexes nothing."""
    return search.indexed(step.get(output, path).data or b"")


def part_documents(step: Step, name: str) -> dict[str, bytes]:
    return {path: text for path in step.get(search_members)[name]
            if (text := step.get(search_text, path))}


@stage
def part_size(step: Step, name: str) -> int:
    """How many pages of a part were rendered (a part without any is left out)."""
    return len(part_documents(step, name))


@stage
def part_key(step: Step, name: str) -> str:
    """A search part's key (search.key): what Pagefind reads of its pages, and how."""
    return search.key(name, part_documents(step, name), step.get(site_settings).language)


def search_keys(step: Step) -> dict[str, str]:
    """Part name -> key, for every part with a page rendered."""
    return {name: step.get(part_key, name) for name in step.get(search_members)
            if step.get(part_size, name)}


@stage(spill=True)
def search_bundle(step: Step) -> dict[str, bytes]:
    """The search index: its parts (those whose pages changed indexed again, side by side),
    Pagefind's script and UI once, and parts.json."""
    return search.assemble(search_keys(step), lambda name: part_documents(step, name),
                           step.get(site_settings).language, step.get(project).cache / "search")


@stage
def template_problems(step: Step) -> tuple[Problem, ...]:
    """A template Jinja cannot parse, named with its line: found before any page is made."""
    import jinja2

    env = step.get(environment)
    found = Problems()
    for name in sorted(env.list_templates()):
        try:
            env.parse(env.loader.get_source(env, name)[0], name)
        except jinja2.TemplateSyntaxError as error:
            found.add(f"templates/{name}", error.lineno, f"template syntax error: "
                      f"{error.message}", "fix the template tag on this line")
    return tuple(found.items)


def _load_page_types() -> None:
    """Load every module of onrecord/website/: a page type added there (a `@site_pages`
    function) is built, served and checked with no other change."""
    import importlib
    import pkgutil

    from onrecord import website

    for module in pkgutil.iter_modules(website.__path__):
        importlib.import_module(f"{website.__name__}.{module.name}")


_load_page_types()
