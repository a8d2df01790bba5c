"""Which rendered pages can be reused: what each page is made of, and what it read.

A page's cache key (see onrecord/buildcache.py) covers what it is made of: a story page its
story's whole key, a list page its title and the stories it lists, a speaker's page the
speaker and the stories they are quoted in. Beyond that, pages are watched while they
render: a page that reads the site's list of stories depends on every story; one that
reads the speakers (`site.people`, `site.person`, `site.actor_url`) depends on their
names and roles only, not on the stories they came from; a list page depends only on the
fields of its stories that it showed. So an edit to one story's body re-renders that
story's page and its speakers' pages, not the other stories' pages nor the index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from onrecord.actors import ActorPage, ActorsPage
from onrecord.archive import ArchivePage
from onrecord.buildcache import digest
from onrecord.corrections import CorrectionsPage
from onrecord.model import Story
from onrecord.pages import ListPage, NotFoundPage, Page, SiteView, StoryPage
from onrecord.search import SearchPage

SITE_WIDE = ("people", "site")   # what a page may read of the site beyond its own context


def identity(page: Page, story_keys: Mapping[str, str]) -> tuple[str, ...] | None:
    """What a page is made of besides the site: a story's whole key, or for a list page
    its title and the stories it lists (their fields are checked after the first render,
    see `Reads`). None for a page this module does not know: it is always rendered."""
    context = page.context
    if isinstance(context, StoryPage):
        return (story_keys[context.story.path],)
    if isinstance(context, ListPage):
        return (context.title, context.intro,
                *(f"{s.slug}:{context.stats.get(s.slug, '')}" for s in context.stories))
    if isinstance(context, NotFoundPage | SearchPage):
        return (context.title,)
    if isinstance(context, ArchivePage):   # every story, as the dev server's memo has it
        return (context.title, *(story_keys[s.path] for y in context.years
                                 for m in y.months for s in m.stories))
    if isinstance(context, ActorPage):   # the chart is drawn from these same statements
        return (repr(context.record.person), context.chart.svg if context.chart else "",
                *(story_keys[a.story.path] for a in context.record.appearances))
    if isinstance(context, ActorsPage):
        return (context.title, *(f"{r.person!r}:{r.summary}" for r in context.records))
    if isinstance(context, CorrectionsPage):   # plain values: the entries say it all
        return (context.title, repr(context.entries))
    return None


def people_digest(people: Mapping[str, object]) -> str:
    """What pages that name speakers read: each story actor id and who they are."""
    return digest(*(f"{actor_id}={person!r}" for actor_id, person in sorted(people.items())))


def reads_now(page: Page, reads: tuple[str, ...], site_wide: Mapping[str, str],
              story_keys: Mapping[str, str]) -> str:
    """A digest of the current value of everything a page read when it was last rendered;
    `site_wide` holds the digest of each of SITE_WIDE."""
    shown = page.context.stories if isinstance(page.context, ListPage) else ()
    parts = []
    for read in reads:
        if read in SITE_WIDE:
            parts.append(site_wide[read])
        else:
            values = (getattr(s, read, None) for s in shown)
            parts.append(digest(*(story_keys[s.path] if callable(v) else repr(v)
                                  for s, v in zip(shown, values, strict=True))))
    return digest(*parts)


class Reads:
    """Notes what pages read while they render: the site's list of stories (then a page
    depends on every story), its speakers (then it depends on who they are), and which
    fields of the stories a list page shows (then an edit elsewhere in a story, say its
    body, leaves the index as it was)."""

    def __init__(self, site: SiteView) -> None:
        self.fields: set[str] = set()
        self.listing = False
        self.people = False
        self.site = _Watched(site, self)

    def page(self, item: Page) -> Page:
        if not isinstance(item.context, ListPage):
            return item
        stories = tuple(_WatchedStory(s, self.fields) for s in item.context.stories)
        return replace(item, context=replace(item.context, stories=stories))

    def names(self) -> tuple[str, ...]:
        return (("people",) * self.people + ("site",) * self.listing
                + tuple(sorted(self.fields)))


class _Watched:
    """SiteView as a template sees it, noting whether the page read the list of stories."""

    def __init__(self, site: SiteView, reads: Reads) -> None:
        self._site = site
        self._reads = reads

    def __getattr__(self, name: str) -> object:
        if name in ("stories", "tags"):   # what depends on every story
            self._reads.listing = True
        elif name in ("people", "person", "actor_url"):
            self._reads.people = True
        return getattr(self._site, name)


class _WatchedStory:
    """A Story on a list page, noting which of its fields the template reads."""

    def __init__(self, story: Story, fields: set[str]) -> None:
        self._story = story
        self._fields = fields

    def __getattr__(self, name: str) -> object:
        self._fields.add(name)
        return getattr(self._story, name)
