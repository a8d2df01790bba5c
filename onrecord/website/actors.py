"""Speaker pages: everything one actor said, across every story, with their stance over time.

Every speaker gets a page, including those in a single story, so that a speaker's name
anywhere on the site can link to it (as mature newsroom tools do); the actors index
lists them all, most quoted first. Pure functions of the site's stories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from onrecord.stories.model import Quote, Story
from onrecord.stories.people import Person
from onrecord.stories.words import count
from onrecord.website.pages import ChartView, Page, Teaser


@dataclass(frozen=True)
class Appearance:
    """One story a speaker is quoted in, with their statements there in date order."""

    story: Teaser
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Record:
    person: Person
    appearances: tuple[Appearance, ...]    # newest story first

    @property
    def quotes(self) -> tuple[tuple[Teaser, Quote], ...]:
        return tuple((a.story, q) for a in self.appearances for q in a.quotes)

    @property
    def summary(self) -> str:
        quotes, stories = len(self.quotes), len(self.appearances)
        return f"{count(quotes, 'statement')} in {count(stories, 'story', 'stories')}"


@dataclass(frozen=True)
class ActorPage:
    """One speaker: who they are, their stance over time, and every statement by story."""

    record: Record
    chart: ChartView | None


@dataclass(frozen=True)
class ActorsPage:
    """The list of every speaker on the site, most quoted first."""

    title: str
    records: tuple[Record, ...]


def records(stories: Iterable[Story], who: Mapping[str, Person],
            teaser: Callable[[Story], Teaser] = Teaser.of) -> dict[str, Record]:
    """{person id: Record} for every speaker quoted in `stories` (newest first).

    `who` maps each story actor id to its Person (see people.resolve).
    """
    found: dict[str, list[Appearance]] = {}
    people: dict[str, Person] = {}
    for story in stories:
        shown = teaser(story)
        by_person: dict[str, list[Quote]] = {}
        for quote in story.quotes:
            person = who[quote.actor.id]
            people[person.id] = person
            by_person.setdefault(person.id, []).append(quote)
        for person_id, quotes in by_person.items():
            found.setdefault(person_id, []).append(Appearance(shown, tuple(quotes)))
    return {pid: Record(people[pid], tuple(apps)) for pid, apps in sorted(found.items())}


def index(found: Mapping[str, Record]) -> Page:
    """actors/: every speaker, most quoted first."""
    ranked = tuple(sorted(found.values(), key=lambda r: (-len(r.quotes), r.person.name)))
    return Page("actors/index.html", "actors/", "actors.html", "Who is on record",
                ActorsPage("Who is on record", ranked))


def page(record: Record, chart: ChartView | None) -> Page:
    """actors/ID/: everything one speaker said, with their chart."""
    person_id = record.person.id
    return Page(f"actors/{person_id}/index.html", f"actors/{person_id}/", "actor.html",
                record.person.name, ActorPage(record, chart),
                tuple(f"{a.story.slug}/" for a in record.appearances))
