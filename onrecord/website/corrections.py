"""The record's own mistakes, in the open: /corrections/, its Atom feed, and unarchived sources.

A record of who said what is trusted only if its corrections are visible, so every
correction note and every corrected or withdrawn statement across the published
stories is listed on one page, newest first, each linking to where its story shows it,
and published as a feed of its own. A statement carries no date of its own correction:
it is listed under its story's latest correction (or, lacking one, its last change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from onrecord.stories.model import Story
from onrecord.stories.problems import Problem
from onrecord.website.feed import ATOM, href, stamp, tag_id
from onrecord.website.pages import Page, SiteView

TITLE = "Corrections"
FEED = "corrections/feed.xml"
KINDS = {"correction": "Correction", "corrected": "Statement corrected",
         "withdrawn": "Statement withdrawn"}


@dataclass(frozen=True)
class Entry:
    """One correction as listed: plain values only, so the page's cache key is its entries."""

    date: dt.date
    kind: str            # a key of KINDS
    slug: str            # the story's
    headline: str        # the story's title
    text: str            # the correction, or the statement's note
    anchor: str          # where the story shows it: 'correction-2' or 'q-ID'
    statement: str = ""  # a corrected or withdrawn statement's words
    speaker: str = ""    # and who they were attributed to

    @property
    def label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class CorrectionsPage:
    title: str
    entries: tuple[Entry, ...]    # newest first


def entries(stories: Iterable[Story]) -> tuple[Entry, ...]:
    """Every correction and corrected or withdrawn statement of `stories`, newest first."""
    found = []
    for story in stories:
        for n, note in enumerate(story.corrections, 1):
            found.append(Entry(note.date, "correction", story.slug, story.title, note.text,
                               f"correction-{n}"))
        when = story.corrected or story.modified
        for quote in story.statements:
            if quote.status:
                found.append(Entry(when, quote.status, story.slug, story.title, quote.note,
                                   f"q-{quote.id}", quote.text, quote.actor.name))
    return newest_first(found)


def newest_first(found: Iterable[Entry]) -> tuple[Entry, ...]:
    return tuple(sorted(found, key=lambda e: (e.date, e.slug, e.kind == "correction"),
                        reverse=True))


def pages(listed: tuple[Entry, ...]) -> tuple[Page, ...]:
    """corrections/: the page lists only its entries, so it changes only with them."""
    return (Page("corrections/index.html", "corrections/", "corrections.html", TITLE,
                 CorrectionsPage(TITLE, listed)),)


def feed(site: SiteView, listed: tuple[Entry, ...]) -> dict[str, bytes]:
    """corrections/feed.xml: an Atom entry per correction, for readers who follow them."""
    root = ET.Element("feed", xmlns=ATOM)
    root.set("xml:lang", site.config.language)
    ET.SubElement(root, "title").text = f"{site.config.title}: corrections"
    ET.SubElement(root, "link", rel="self", type="application/atom+xml",
                  href=href(site, FEED))
    ET.SubElement(root, "link", rel="alternate", type="text/html",
                  href=href(site, "corrections/"))
    ET.SubElement(root, "id").text = tag_id(site, "corrections/")
    newest = max((e.date for e in listed), default=dt.date(2024, 1, 1))
    ET.SubElement(root, "updated").text = stamp(newest)
    ET.SubElement(ET.SubElement(root, "author"), "name").text = site.config.publisher
    ET.SubElement(root, "generator").text = "On Record"
    for entry in listed:
        item = ET.SubElement(root, "entry")
        ET.SubElement(item, "title").text = f"{entry.label}: {entry.headline}"
        address = f"{entry.slug}/#{entry.anchor}"
        ET.SubElement(item, "link", rel="alternate", type="text/html",
                      href=href(site, address))
        ET.SubElement(item, "id").text = tag_id(site, address)   # anchors are unique
        ET.SubElement(item, "updated").text = stamp(entry.date)
        said = f"“{entry.statement}” (attributed to {entry.speaker}). " if entry.statement else ""
        ET.SubElement(item, "summary", type="text").text = said + entry.text
    ET.indent(root)
    return {FEED: ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"}


def unarchived(stories: Iterable[Story]) -> tuple[Problem, ...]:
    """For `check`: each statement on record whose source has no archived copy (warnings:
    pages change and vanish, and an editor should save a copy before publishing)."""
    return tuple(
        Problem(story.path, quote.line, f"statement '{quote.id}': its source "
                f"'{quote.source.name}' has no archived copy",
                "save the page to an archive (e.g. web.archive.org) and add 'archived: "
                "https://...' to the source", warning=True, advisory=True)
        for story in stories for quote in story.quotes
        if quote.source and not quote.source.archived)
