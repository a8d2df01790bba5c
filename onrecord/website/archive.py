"""The archive: every published story by year and month, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from onrecord.website.pages import Page, Teaser


@dataclass(frozen=True)
class Month:
    first_day: dt.date              # the month, as its first day
    stories: tuple[Teaser, ...]

    @property
    def label(self) -> str:
        return f"{self.first_day:%B %Y}"

    @property
    def anchor(self) -> str:
        return f"{self.first_day:%Y-%m}"


@dataclass(frozen=True)
class Year:
    year: int
    months: tuple[Month, ...]


@dataclass(frozen=True)
class ArchivePage:
    title: str
    years: tuple[Year, ...]


def years(stories: tuple[Teaser, ...]) -> tuple[Year, ...]:
    """Stories (newest first) grouped by year, then month."""
    ordered = sorted(stories, key=lambda s: (s.date, s.slug), reverse=True)
    months = [Month(day, tuple(group)) for day, group in
              groupby(ordered, key=lambda s: s.date.replace(day=1))]
    return tuple(Year(year, tuple(group)) for year, group in
                 groupby(months, key=lambda m: m.first_day.year))


def pages(stories: tuple[Teaser, ...]) -> tuple[Page, ...]:
    return (Page("archive/index.html", "archive/", "archive.html", "Archive",
                 ArchivePage("Archive", years(stories))),)
