"""Open data: the record as a SQLite database (`data/quotes.db`, ready for Datasette) and as
Frictionless data packages describing the CSV and JSON downloads, site-wide and per story.

The quotes table and both packages are made from the download rows
(`downloads.records`) and one table of field descriptions (`FIELDS`), so a column added
to the downloads, such as a statement's `status`, is added here by one line in `FIELDS`
(a test fails until it is). Everything is made in memory: the database is serialised to
bytes, never written to disk by this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from onrecord.stories.config import SiteConfig
from onrecord.stories.model import Story
from onrecord.stories.people import Person
from onrecord.website import downloads

DATABASE = "data/quotes.db"
PACKAGE = "datapackage.json"

# Every download column: (Table Schema type, description). In the order of downloads.COLUMNS.
FIELDS: dict[str, tuple[str, str]] = {
    "story": ("string", "The story's slug: its address on the site is /STORY/."),
    "quote_id": ("string", "The statement's id, unique within its story."),
    "actor_id": ("string", "The speaker's id in the story's actors."),
    "actor_name": ("string", "The speaker's name."),
    "actor_role": ("string", "The speaker's role, or empty."),
    "actor_group": ("string", "The speaker's group (a row group of the matrix), or empty."),
    "date": ("date", "When it was said."),
    "topic_id": ("string", "The claim's id in the story's topics."),
    "topic": ("string", "The claim in dispute, as worded in the story."),
    "stance_id": ("string", "The stance's id from the site's vocabulary."),
    "stance": ("string", "The stance's label."),
    "text": ("string", "The words: verbatim, or reported speech when paraphrase is true."),
    "context": ("string", "Where and how it was said, or empty."),
    "paraphrase": ("boolean", "True if text reports speech rather than quoting it."),
    "source_name": ("string", "Who published it, or empty."),
    "source_url": ("string", "A link to the source, or empty."),
    "status": ("string", "Empty while on record; 'corrected' or 'withdrawn' (see note)."),
    "note": ("string", "Why the statement was corrected or withdrawn, or empty."),
    "source_archived": ("string", "A link to an archived copy of the source, or empty."),
}


def site_files(config: SiteConfig, stories: Sequence[Story], people: Mapping[str, Person]
               ) -> dict[str, bytes]:
    """The database and the site's package: the files that change with every story."""
    return {DATABASE: database(config, stories, people),
            f"data/{PACKAGE}": package(config, "", config.title, _every(config))}


def story_package(config: SiteConfig, story: Story) -> dict[str, bytes]:
    """One story's data package, which changes with that story alone."""
    return {f"{story.slug}/{PACKAGE}": package(config, story.slug, story.title,
                                               _one(config, story))}


def schema() -> dict:
    """The Table Schema of the quote downloads."""
    fields = []
    for name in downloads.COLUMNS:
        kind, description = FIELDS[name]
        field = {"name": name, "type": kind, "description": description}
        if name == "paraphrase":
            field |= {"trueValues": ["true"], "falseValues": ["false"]}
        fields.append(field)
    return {"fields": fields, "primaryKey": ["story", "quote_id"], "missingValues": [""]}


def package(config: SiteConfig, slug: str, title: str, description: str) -> bytes:
    """A Frictionless (tabular) data package for the quotes.csv and quotes.json beside it."""
    data: dict = {
        "profile": "tabular-data-package",
        "name": f"onrecord-{slug}" if slug else "onrecord-quotes",
        "title": f"{title}: every statement on record",
        "description": description,
    }
    if config.absolute:
        data["homepage"] = config.base_url + (f"{slug}/" if slug else "")
    if config.license or config.license_url:
        licence = {"name": config.license} if config.license else {}
        data["licenses"] = [licence | ({"path": config.license_url} if config.license_url
                                       else {})]
    data["resources"] = [
        {"name": "quotes", "path": "quotes.csv", "profile": "tabular-data-resource",
         "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
         "title": "Statements (CSV)", "schema": schema()},
        {"name": "quotes-json", "path": "quotes.json",
         "profile": "tabular-data-resource", "format": "json",
         "mediatype": "application/json", "encoding": "utf-8",
         "title": "Statements (JSON: the list under \"quotes\")",
         # the rows are the objects under "quotes": in Data Package 2's words and in
         # frictionless-py's (which reads the version 1 profile)
         "dialect": {"property": "quotes", "itemType": "object",
                     "json": {"keyed": True, "property": "quotes"}},
         "schema": schema()},
    ]
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def database(config: SiteConfig, stories: Sequence[Story], people: Mapping[str, Person]
             ) -> bytes:
    """The whole record as SQLite: stories, actors, topics, stances and quotes, with foreign
    keys and full-text search on what was said; the file's bytes."""
    import sqlite_utils

    db = sqlite_utils.Database(memory=True)
    db["stories"].insert_all(({
        "slug": s.slug, "title": s.title, "dek": s.dek, "date": s.date.isoformat(),
        "updated": s.updated.isoformat() if s.updated else None,
        "url": config.base_url + f"{s.slug}/", "authors": ", ".join(s.authors),
        "tags": ", ".join(s.tags)} for s in stories), pk="slug")
    speakers: dict[str, dict] = {}
    for story in stories:
        for actor in story.actors:
            person = people.get(actor.id) or Person(actor.id, actor.name, actor.role, actor.group)
            speakers.setdefault(person.id, {
                "id": person.id, "name": person.name, "role": person.role,
                "group": person.group, "kind": person.kind})
    db["actors"].insert_all(sorted(speakers.values(), key=lambda a: a["id"]), pk="id")
    db["stances"].insert_all(({"id": s.id, "label": s.label, "description": s.description}
                              for s in config.stances), pk="id")
    db["topics"].insert_all(({"id": f"{s.slug}/{t.id}", "story": s.slug, "topic_id": t.id,
                              "label": t.label} for s in stories for t in s.topics),
                            pk="id", foreign_keys=[("story", "stories", "slug")])
    rows = []
    for row in downloads.records(stories):
        person = people.get(str(row["actor_id"]))
        rows.append({"id": f"{row['story']}/{row['quote_id']}", **row,
                     "actor_id": person.id if person else row["actor_id"],
                     "topic_key": f"{row['story']}/{row['topic_id']}"})
    db["quotes"].insert_all(rows, pk="id", foreign_keys=[
        ("story", "stories", "slug"), ("actor_id", "actors", "id"),
        ("topic_key", "topics", "id"), ("stance_id", "stances", "id")])
    if rows:
        db["quotes"].enable_fts(["text", "context"], create_triggers=False)
    for table in ("stories", "actors", "stances", "topics", "quotes"):
        if not db[table].exists():   # a site without stories still gets every table
            db.execute(f"CREATE TABLE [{table}] (id TEXT PRIMARY KEY)")
    data = db.conn.serialize()
    db.conn.close()
    return bytes(data)


def _every(config: SiteConfig) -> str:
    return (f"Every statement published on {config.title}, one row each, with its speaker, "
            f"date, claim, stance and source. The same record as SQLite: {DATABASE}.")


def _one(config: SiteConfig, story: Story) -> str:
    return f"The {len(story.quotes)} statements of “{story.title}” on {config.title}."
