"""Story -> Matrix: who said what on which claim, and whether their position moved.

Pure derivation from the model; the template only lays it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from onrecord.stories.model import Actor, Quote, Stance, Story, Topic
from onrecord.stories.words import count


@dataclass(frozen=True)
class Shift:
    """A change of stance between two consecutive statements on one claim."""

    before: Stance
    before_date: dt.date
    after: Stance
    after_date: dt.date


@dataclass(frozen=True)
class Cell:
    """One actor on one claim: every quote in date order, the latest stance, any shifts."""

    actor: Actor
    topic: Topic
    quotes: tuple[Quote, ...]
    shifts: tuple[Shift, ...]

    @property
    def stance(self) -> Stance | None:
        return self.quotes[-1].stance if self.quotes else None

    @property
    def latest(self) -> Quote | None:
        return self.quotes[-1] if self.quotes else None

    @property
    def stances(self) -> tuple[Stance, ...]:
        """Every distinct stance taken, in the order first taken."""
        return tuple(dict.fromkeys(q.stance for q in self.quotes))


@dataclass(frozen=True)
class Row:
    actor: Actor
    cells: tuple[Cell, ...]

    @property
    def count(self) -> int:
        return sum(len(c.quotes) for c in self.cells)


@dataclass(frozen=True)
class Group:
    name: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Matrix:
    topics: tuple[Topic, ...]
    groups: tuple[Group, ...]
    summary: str

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for group in self.groups for row in group.rows)

    @property
    def grouped(self) -> bool:
        return any(g.name for g in self.groups)


def shifts(quotes: tuple[Quote, ...]) -> tuple[Shift, ...]:
    """Each point where the stance differs from the statement before it."""
    return tuple(Shift(a.stance, a.date, b.stance, b.date)
                 for a, b in pairwise(quotes) if a.stance != b.stance)


def for_story(story: Story) -> Matrix:
    cells: dict[tuple[str, str], list[Quote]] = {}
    for quote in story.quotes:  # already in date order
        cells.setdefault((quote.actor.id, quote.topic.id), []).append(quote)
    groups: dict[str, list[Row]] = {}
    for actor in story.actors:
        row = Row(actor, tuple(
            Cell(actor, topic, tuple(qs := cells.get((actor.id, topic.id), [])), shifts(tuple(qs)))
            for topic in story.topics))
        groups.setdefault(actor.group, []).append(row)
    matrix_groups = tuple(Group(name, tuple(rows)) for name, rows in groups.items())
    return Matrix(story.topics, matrix_groups, summarise(story, matrix_groups))


def summarise(story: Story, groups: tuple[Group, ...]) -> str:
    """One plain sentence per claim, for screen readers and for anyone skimming."""
    quotes = story.quotes
    if not quotes:
        return "No statements are on record."
    speakers = {q.actor.id for q in quotes}
    lead = (f"{count(len(quotes), 'statement')} by {count(len(speakers), 'speaker')} on "
            f"{count(len(story.topics), 'claim')}, {date_span(quotes[0].date, quotes[-1].date)}.")
    parts = [lead]
    for index, topic in enumerate(story.topics):
        said = [_stance_sentence(row.actor, row.cells[index])
                for group in groups for row in group.rows if row.cells[index].quotes]
        if said:
            parts.append(f"On “{topic.label}”: {'; '.join(said)}.")
        else:
            parts.append(f"On “{topic.label}”: no statement on record.")
    return " ".join(parts)


def _stance_sentence(actor: Actor, cell: Cell) -> str:
    """'Maria Zakharova disputes (after questions on 25 March 2024)'."""
    text = f"{actor.name} {cell.stance.label.lower()}"
    if cell.shifts:
        earlier = ", then ".join(f"{s.before.label.lower()} on {long_date(s.before_date)}"
                                 for s in cell.shifts)
        text += f" (shifted from {earlier})"
    return text


def date_span(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"on {long_date(first)}"
    if (first.year, first.month) == (last.year, last.month):
        return f"between {first.day} and {long_date(last)}"
    if first.year == last.year:
        return f"between {first.day} {first:%B} and {long_date(last)}"
    return f"between {long_date(first)} and {long_date(last)}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"

