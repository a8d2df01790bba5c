"""Who is who across stories: story actors matched by id, or through site/actors.toml.

Stories name their actors with ids (`peskov:`). The same id in two stories is the same
person. An optional registry, `site/actors.toml`, gives a person one canonical id,
name and description for the whole site, merges other ids into it (`aliases`), and says
whether they are a person or an organization (for structured data). See docs/actors.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import EllipsisType
from typing import Any

from onrecord.stories.model import Story
from onrecord.stories.problems import Problems, did_you_mean

KINDS = ("person", "organization")
KEYS = {"name", "role", "group", "kind", "description", "aliases"}


@dataclass(frozen=True)
class Person:
    """One speaker as the whole site knows them (a person or an organization)."""

    id: str
    name: str
    role: str = ""
    group: str = ""
    kind: str = "person"
    description: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def schema_type(self) -> str:
        return "Organization" if self.kind == "organization" else "Person"


Registry = Mapping[str, Person]


def load(path: Path, problems: Problems, raw: bytes | EllipsisType | None = ...) -> Registry:
    """site/actors.toml -> {canonical id: Person}; a missing file is an empty registry.
    `raw`: the file's bytes as already read (None: no file), instead of reading it here."""
    if raw is ...:
        raw = path.read_bytes() if path.exists() else None
    if raw is None:
        return {}
    shown = path.as_posix()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        problems.add(shown, None, f"TOML syntax error: {error}",
                     "each actor is a table: [peskov] then name = \"Dmitri Peskov\"")
        return {}
    registry: dict[str, Person] = {}
    claimed: dict[str, str] = {}
    for actor_id, entry in data.items():
        if not isinstance(entry, dict):
            problems.add(shown, None, f"'{actor_id}' must be a table",
                         f"write [{actor_id}] on its own line, then name = \"...\"")
            continue
        person = _person(actor_id, entry, shown, problems)
        for alias in (actor_id, *person.aliases):
            if alias in claimed:
                problems.add(shown, None, f"id '{alias}' is given to both '{claimed[alias]}' "
                             f"and '{actor_id}'", "list each id under one actor only")
            claimed[alias] = actor_id
        registry[actor_id] = person
    return registry


def _person(actor_id: str, entry: dict[str, Any], shown: str, problems: Problems) -> Person:
    for key in entry.keys() - KEYS:
        problems.add(shown, None, f"[{actor_id}]: unknown key '{key}'",
                     did_you_mean(key, KEYS), warning=True)
    text = {k: entry[k] for k in ("name", "role", "group", "description", "kind")
            if isinstance(entry.get(k), str)}
    kind = text.pop("kind", "person")
    if kind not in KINDS:
        problems.add(shown, None, f"[{actor_id}]: kind '{kind}' is not person or organization",
                     'write kind = "person" or kind = "organization"')
        kind = "person"
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problems.add(shown, None, f"[{actor_id}]: aliases must be a list of actor ids",
                     'write e.g. aliases = ["dmitry-peskov"]')
        aliases = []
    return Person(actor_id, text.pop("name", ""), kind=kind,
                  aliases=tuple(aliases), **text)


def resolve(stories: Iterable[Story], registry: Registry) -> dict[str, Person]:
    """{story actor id: Person}. The registry's fields win; what it leaves out comes from
    the newest story that names the actor (stories come newest first)."""
    canonical = {alias: person for person in registry.values()
                 for alias in (person.id, *person.aliases)}
    merged: dict[str, Person] = {}
    found: dict[str, Person] = {}
    for story in stories:
        for actor in story.actors:
            if actor.id in found:
                continue
            entry = canonical.get(actor.id)
            if entry is None:
                found[actor.id] = Person(actor.id, actor.name, actor.role, actor.group)
                continue
            if entry.id not in merged:
                merged[entry.id] = replace(entry, name=entry.name or actor.name,
                                           role=entry.role or actor.role,
                                           group=entry.group or actor.group)
            found[actor.id] = merged[entry.id]
    return found
