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
    archived: str | None = None   # an archived copy, for when the page changes or vanishes


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
    status: str = ""    # "", "corrected" or "withdrawn" (see STATUSES)
    note: str = ""      # why, shown beside the statement; required with a status

    @property
    def withdrawn(self) -> bool:
        return self.status == "withdrawn"


# A statement may be corrected (it stays on record, with its note) or withdrawn (it leaves
# the matrix, charts and counts, but stays listed, struck through, so nothing is erased).
STATUSES = ("corrected", "withdrawn")


@dataclass(frozen=True)
class Note:
    """A dated correction or update to a story, shown on it and in its feeds and JSON-LD."""

    date: dt.date
    text: str


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
    # Withdrawn statements: out of `quotes` (so out of every matrix, chart and count) but
    # kept, to be listed struck through with their note and in the downloads.
    withdrawn: tuple[Quote, ...] = ()
    corrections: tuple[Note, ...] = ()   # in date order
    updates: tuple[Note, ...] = ()       # in date order

    def quote(self, quote_id: str) -> Quote | None:
        return next((q for q in self.quotes if q.id == quote_id), None)

    @property
    def statements(self) -> tuple[Quote, ...]:
        """Every statement, withdrawn ones included, in date order (then as written)."""
        if not self.withdrawn:
            return self.quotes
        return tuple(sorted((*self.quotes, *self.withdrawn), key=lambda q: (q.date, q.line)))

    @property
    def corrected(self) -> dt.date | None:
        """The date of the latest correction, if any."""
        return self.corrections[-1].date if self.corrections else None

    @property
    def modified(self) -> dt.date:
        """The last change readers are told of: `updated`, or a correction or update note."""
        return max((self.date, *(n.date for n in (*self.corrections, *self.updates)),
                    *((self.updated,) if self.updated else ())))

    @property
    def notes(self) -> tuple[tuple[str, str, Note], ...]:
        """Corrections and updates together, oldest first, each as (kind, anchor, note):
        ('correction', 'correction-1', note), ('update', 'update-1', note)."""
        return tuple(sorted([*((k, f"{k}-{i}", n) for k, notes in (
            ("correction", self.corrections), ("update", self.updates))
            for i, n in enumerate(notes, 1))], key=lambda entry: entry[2].date))

    @property
    def directives(self) -> tuple[Directive, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Directive))
