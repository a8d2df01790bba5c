"""Story -> schema.org JSON-LD: a NewsArticle whose parts are the quotes, as Quotation.

Search engines and archives read this instead of scraping the page: who said each
quote (spokenByCharacter), when (dateCreated) and where it was reported (isBasedOn,
citation, archivedAt). Corrections are CorrectionComments (`correction`); withdrawn
statements are not part of the article. Output is safe inside
<script type="application/ld+json">. Addresses of the site's own pages (url, @id, image)
are given only when `base_url` is absolute: search engines want full addresses, and a
missing one is better than a wrong one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from onrecord.stories.config import SiteConfig
from onrecord.stories.model import Actor, Quote, Source, Story
from onrecord.stories.people import Person
from onrecord.website.pages import SiteView

CONTEXT = "https://schema.org"


def _at(site: SiteView, path: str, *keys: str) -> dict[str, str]:
    """{key: the full address of path} for each key, or nothing without an absolute base_url."""
    address = site.absolute(path)
    return dict.fromkeys(keys, address) if address else {}


def _speaker(actor: Actor, site: SiteView) -> dict[str, Any]:
    person = site.person(actor)
    node: dict[str, Any] = {"@type": person.schema_type, "name": actor.name,
                            **_at(site, f"actors/{person.id}/", "url")}
    if actor.role:
        node["jobTitle" if node["@type"] == "Person" else "description"] = actor.role
    if actor.group:
        node["affiliation" if node["@type"] == "Person" else "parentOrganization"] = {
            "@type": "Organization", "name": actor.group}
    return node


def _source(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": source.name}
    if source.url:
        work["url"] = source.url
    if source.archived:
        work["archivedAt"] = source.archived
    return work


def _correction(text: str, day: str, site: SiteView, path: str) -> dict[str, Any]:
    return {"@type": "CorrectionComment", "text": text, "datePublished": day,
            **_at(site, path, "url")}


def _quotation(quote: Quote, story: Story, site: SiteView) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "Quotation",
        **_at(site, f"{story.slug}/#q-{quote.id}", "@id"),
        "text": quote.text,
        "spokenByCharacter": _speaker(quote.actor, site),
        "dateCreated": quote.date.isoformat(),
        "about": {"@type": "Claim", "name": quote.topic.label},
        "keywords": quote.stance.label,
    }
    if quote.source:
        node["citation"] = _source(quote.source)
        if quote.source.url:
            node["isBasedOn"] = quote.source.url
        if quote.source.archived:
            node["archivedAt"] = quote.source.archived
    if quote.status == "corrected":
        node["correction"] = _correction(quote.note, (story.corrected or story.modified)
                                         .isoformat(), site, f"{story.slug}/#q-{quote.id}")
    if quote.paraphrase:
        node["abstract"] = "Paraphrase of reported speech, not a verbatim quote."
    return node


def article(story: Story, site: SiteView) -> dict[str, Any]:
    """The story as a NewsArticle; speakers are a Person or an Organization (docs/actors.md).

    Reads only the site's settings and speakers, never its list of stories.
    """
    node: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        **_at(site, f"{story.slug}/", "@id", "url", "mainEntityOfPage"),
        "headline": story.title,
        "datePublished": story.date.isoformat(),
        "dateModified": story.modified.isoformat(),
        "inLanguage": site.config.language,
        **_at(site, f"{story.slug}/social.png", "image"),
        "publisher": {"@type": "Organization", "name": site.config.publisher},
        "author": [{"@type": "Person", "name": name} for name in story.authors]
        or [{"@type": "Organization", "name": site.config.publisher}],
        "hasPart": [_quotation(q, story, site) for q in story.quotes],
    }
    if story.dek:
        node["description"] = story.dek
    if story.tags:
        node["keywords"] = list(story.tags)
    if story.source:
        node["isBasedOn"] = _source(story.source)
    if story.corrections:
        node["correction"] = [_correction(n.text, n.date.isoformat(), site,
                                          f"{story.slug}/#correction-{i}")
                              for i, n in enumerate(story.corrections, 1)]
    return node


def script(story: Story, config: SiteConfig, people: Mapping[str, Person]) -> str:
    """The article as JSON text that cannot close its <script> element early.

    Templates call `jsonld(story, site.config, site.people)`: a page that passes only
    these is not re-rendered when another story changes (see onrecord/templates.py).
    """
    site = SiteView(config, {}, (), {}, people)
    text = json.dumps(article(story, site), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
