"""Site + derived views -> Page(path, template, context): what each output page shows.

Page contexts are the templates' contract: every field a template may use is here,
documented, and read-only. Templates never see a mutable bag of globals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from onrecord.stories.config import SiteConfig
from onrecord.stories.model import Actor, Block, Directive, Story
from onrecord.stories.people import Person
from onrecord.stories.words import count
from onrecord.views import tips
from onrecord.views.charts import Chart
from onrecord.views.matrix import Matrix


@dataclass(frozen=True)
class SiteView:
    """What every page knows of the site: settings, asset URLs, the published stories."""

    config: SiteConfig
    assets: Mapping[str, str]          # asset name -> hashed output path
    stories: tuple[Story, ...]         # published, newest first
    tags: Mapping[str, tuple[Story, ...]]
    people: Mapping[str, Person] = field(default_factory=dict)   # story actor id -> Person

    def url(self, path: str = "") -> str:
        """A link to `path` inside the site, under the site's base path."""
        return self.config.base_path + path.lstrip("/")

    def absolute(self, path: str = "") -> str | None:
        """The full address of `path` (canonical links, link previews, sitemap, JSON-LD);
        None when base_url has no host, for a relative address there would be wrong."""
        return self.config.base_url + path.lstrip("/") if self.config.absolute else None

    def asset(self, name: str) -> str:
        return self.url(self.assets[name])

    def person(self, actor: Actor) -> Person:
        return self.people.get(actor.id) or Person(actor.id, actor.name, actor.role, actor.group)

    def actor_url(self, actor: Actor) -> str:
        """The speaker's page, which gathers their statements from every story."""
        return self.url(f"actors/{self.person(actor).id}/")


@dataclass(frozen=True)
class ChartView:
    """A chart as placed on a page: the spec with data, its SVG, and its description."""

    chart: Chart
    svg: str
    dom_id: str

    @property
    def needs_runtime(self) -> bool:
        """Whether the page must load Vega for this chart (when the reader reaches for it)."""
        return tips.needs_runtime(self.chart.spec)


@dataclass(frozen=True)
class StoryPage:
    """The explainer: prose with its placements, matrix, charts and the full record."""

    story: Story
    matrix: Matrix
    blocks: tuple[Block, ...]            # the body, with default placements appended
    charts: Mapping[str, ChartView]      # by chart name, only those placed
    placed_quotes: frozenset[str]        # quote ids used as pull quotes in the body
    events_placed: bool                  # whether {{ events }} is in the body
    stats: str                           # "5 speakers, 4 claims, 9 statements"

    @property
    def has_charts(self) -> bool:
        return bool(self.charts)


@dataclass(frozen=True)
class Teaser:
    """A story as lists show it (index, tags, archive, speakers, sitemap): what those
    pages read, so an edit to a story's body leaves them as they were."""

    slug: str
    title: str
    dek: str
    date: dt.date
    modified: dt.date
    corrected: dt.date | None
    draft: bool
    tags: tuple[str, ...]

    @classmethod
    def of(cls, story: Story) -> Teaser:
        return cls(story.slug, story.title, story.dek, story.date, story.modified,
                   story.corrected, story.draft, story.tags)


@dataclass(frozen=True)
class ListPage:
    """The index and tag pages: stories, newest first, each with a one-line summary."""

    title: str
    stories: tuple[Teaser, ...]
    intro: str = ""
    stats: Mapping[str, str] = field(default_factory=dict)   # slug -> "5 speakers, ..."


@dataclass(frozen=True)
class NotFoundPage:
    title: str = "Page not found"


@dataclass(frozen=True)
class Page:
    path: str           # output file, e.g. 'crocus-city-hall-attack/index.html'
    url: str            # its address inside the site, e.g. 'crocus-city-hall-attack/'
    template: str
    title: str
    context: StoryPage | ListPage | NotFoundPage
    sources: tuple[str, ...] = ()   # the files it comes from, named if two pages collide


def default_blocks(story: Story, config: SiteConfig) -> tuple[Block, ...]:
    """The body as written; a story with no placements gets the matrix and standard charts."""
    if story.directives:
        return story.blocks
    extra = (Directive("matrix"), *(Directive("chart", name) for name in config.default_charts))
    return (*story.blocks, *extra)


def stats(story: Story) -> str:
    speakers = len({q.actor.id for q in story.quotes})
    return (f"{count(speakers, 'speaker')}, {count(len(story.topics), 'claim')}, "
            f"{count(len(story.quotes), 'statement')}")


def story_page(story: Story, matrix: Matrix, blocks: tuple[Block, ...],
               charts: Mapping[str, ChartView]) -> Page:
    placed = frozenset(b.argument for b in blocks
                       if isinstance(b, Directive) and b.name == "quote")
    events = any(isinstance(b, Directive) and b.name == "events" for b in blocks)
    context = StoryPage(story, matrix, blocks, charts, placed, events, stats(story))
    return Page(f"{story.slug}/index.html", f"{story.slug}/", "story.html", story.title,
                context, (story.path,))


def list_pages(config: SiteConfig, stories: tuple[Teaser, ...],
               tags: Mapping[str, tuple[Teaser, ...]], summary: Mapping[str, str]
               ) -> tuple[Page, ...]:
    """The index, a page per tag and the 404 page; `summary`: slug -> its `stats`."""
    pages = [Page("index.html", "", "index.html", config.title,
                  ListPage(config.title, stories, config.description, dict(summary)))]
    for tag, stories in tags.items():
        pages.append(Page(f"tags/{tag}/index.html", f"tags/{tag}/", "index.html",
                          f"Stories tagged “{tag}”",
                          ListPage(f"Stories tagged “{tag}”", stories, "",
                                   {s.slug: summary[s.slug] for s in stories})))
    pages.append(Page("404.html", "404.html", "404.html", "Page not found", NotFoundPage()))
    return tuple(pages)

