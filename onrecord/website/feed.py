"""Published stories -> an Atom feed (feed.xml), newest first, for feed readers and newsletters.

Atom wants stable, absolute ids: with an absolute `base_url` each entry's id is its
address; with a bare path we fall back to a `tag:` URI that never changes with hosting,
and the links are relative references, which Atom resolves against the feed's address.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from onrecord.stories.model import Story
from onrecord.views.matrix import long_date
from onrecord.website.pages import SiteView

ATOM = "http://www.w3.org/2005/Atom"
PATH = "feed.xml"
LIMIT = 50


def stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def tag_id(site: SiteView, path: str) -> str:
    return site.absolute(path) or f"tag:onrecord,2024:{site.config.base_path}{path}"


def href(site: SiteView, path: str = "") -> str:
    return site.absolute(path) or site.url(path)


def _entry(feed: ET.Element, story: Story, site: SiteView) -> None:
    entry = ET.SubElement(feed, "entry")
    ET.SubElement(entry, "title").text = story.title
    ET.SubElement(entry, "link", rel="alternate", type="text/html",
                  href=href(site, f"{story.slug}/"))
    ET.SubElement(entry, "id").text = tag_id(site, f"{story.slug}/")
    ET.SubElement(entry, "published").text = stamp(story.date)
    ET.SubElement(entry, "updated").text = stamp(story.modified)
    for name in story.authors or (site.config.publisher,):
        ET.SubElement(ET.SubElement(entry, "author"), "name").text = name
    for tag in story.tags:
        ET.SubElement(entry, "category", term=tag)
    speakers = ", ".join(dict.fromkeys(q.actor.name for q in story.quotes))
    summary = story.dek + (" " if story.dek else "") + f"On record: {speakers}."
    for kind, _, note in story.notes:   # a corrected story says so where subscribers read it
        summary += f" {kind.capitalize()}, {long_date(note.date)}: {note.text}"
    ET.SubElement(entry, "summary", type="text").text = summary


def atom(site: SiteView) -> dict[str, bytes]:
    """feed.xml: the newest stories (all of them, up to LIMIT)."""
    stories = site.stories[:LIMIT]
    feed = ET.Element("feed", xmlns=ATOM)
    feed.set("xml:lang", site.config.language)
    ET.SubElement(feed, "title").text = site.config.title
    if site.config.description:
        ET.SubElement(feed, "subtitle").text = site.config.description
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml",
                  href=href(site, PATH))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=href(site))
    ET.SubElement(feed, "id").text = tag_id(site, "")
    newest = max((s.modified for s in stories), default=dt.date(2024, 1, 1))
    ET.SubElement(feed, "updated").text = stamp(newest)
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = site.config.publisher
    ET.SubElement(feed, "generator").text = "On Record"
    for story in stories:
        _entry(feed, story, site)
    ET.indent(feed)
    return {PATH: ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"}
