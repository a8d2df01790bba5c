"""The content model: frozen records of a story, checked and complete. No I/O here.

Every collection is a tuple, so a Story can be hashed, cached and shared between
stages without anyone changing it under another's feet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Stance:
    """A position a speaker takes on a claim; the vocabulary is the site's, not the story's."""

    id: str
    label: str
    color: str
    dark_color: str
    symbol: str
    description: str = ""


@dataclass(frozen=True)
class Source:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    role: str = ""
    group: str = ""


@dataclass(frozen=True)
class Topic:
    """A claim in dispute: one column of the who-said-what matrix."""

    id: str
    label: str


@dataclass(frozen=True)
class Event:
    date: dt.date
    label: str


@dataclass(frozen=True)
class Quote:
    id: str
    actor: Actor
    date: dt.date
    topic: Topic
    stance: Stance
    text: str
    context: str = ""
    paraphrase: bool = False
    source: Source | None = None
    line: int = 0


@dataclass(frozen=True)
class Prose:
    """Markdown rendered to HTML (already safe: raw HTML in the body is escaped)."""

    html: str


@dataclass(frozen=True)
class Directive:
    """A placement line in the body, e.g. `{{ chart timeline }}`."""

    name: str
    argument: str = ""
    line: int = 0


Block = Prose | Directive


@dataclass(frozen=True)
class Story:
    slug: str
    path: str
    title: str
    dek: str
    date: dt.date
    actors: tuple[Actor, ...]
    topics: tuple[Topic, ...]
    quotes: tuple[Quote, ...]
    blocks: tuple[Block, ...] = ()
    events: tuple[Event, ...] = ()
    updated: dt.date | None = None
    draft: bool = False
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: Source | None = None

    def quote(self, quote_id: str) -> Quote | None:
        return next((q for q in self.quotes if q.id == quote_id), None)

    @property
    def directives(self) -> tuple[Directive, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Directive))
