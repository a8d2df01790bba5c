"""Which rendered pages can be reused: what each page is made of, and what it read.

A page's cache key (see onrecord/buildcache.py) covers what it is made of: a story page its
story's whole key, a list page its title and the stories it lists. Beyond that, pages
are watched while they render: a page that reads the site's list of stories depends on
every story; a list page depends only on the fields of its stories that it showed. So
an edit to one story's body re-renders that story's page, not the index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from onrecord.buildcache import digest
from onrecord.model import Story
from onrecord.pages import ListPage, NotFoundPage, Page, SiteView, StoryPage


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
    if isinstance(context, NotFoundPage):
        return (context.title,)
    return None


def reads_now(page: Page, reads: tuple[str, ...], listing: str,
              story_keys: Mapping[str, str]) -> str:
    """A digest of the current value of everything a page read when it was last rendered."""
    shown = page.context.stories if isinstance(page.context, ListPage) else ()
    parts = []
    for read in reads:
        if read == "site":
            parts.append(listing)
        else:
            values = (getattr(s, read, None) for s in shown)
            parts.append(digest(*(story_keys[s.path] if callable(v) else repr(v)
                                  for s, v in zip(shown, values, strict=True))))
    return digest(*parts)


class Reads:
    """Notes what pages read while they render: the site's list of stories (then a page
    depends on every story), and which fields of the stories a list page shows (then
    an edit elsewhere in a story, say its body, leaves the index as it was)."""

    def __init__(self, site: SiteView) -> None:
        self.fields: set[str] = set()
        self.listing = False
        self.site = _Watched(site, self)

    def page(self, item: Page) -> Page:
        if not isinstance(item.context, ListPage):
            return item
        stories = tuple(_WatchedStory(s, self.fields) for s in item.context.stories)
        return replace(item, context=replace(item.context, stories=stories))

    def names(self) -> tuple[str, ...]:
        return ("site",) * self.listing + tuple(sorted(self.fields))


class _Watched:
    """SiteView as a template sees it, noting whether the page read the list of stories."""

    def __init__(self, site: SiteView, reads: Reads) -> None:
        self._site = site
        self._reads = reads

    def __getattr__(self, name: str) -> object:
        if name in ("stories", "tags", "who"):   # what depends on every story
            self._reads.listing = True
        return getattr(self._site, name)


class _WatchedStory:
    """A Story on a list page, noting which of its fields the template reads."""

    def __init__(self, story: Story, fields: set[str]) -> None:
        self._story = story
        self._fields = fields

    def __getattr__(self, name: str) -> object:
        self._fields.add(name)
        return getattr(self._story, name)
