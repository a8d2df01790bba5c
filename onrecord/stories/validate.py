"""SourceFile -> Story: check every field, collect every problem with its line, build the model.

A story that has any error produces no Story (the build stops at the gate after this
stage), but checking goes on to the end of the file and on to every other file, so a
writer sees the whole list in one run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from onrecord.stories import prose
from onrecord.stories.config import ID, UNREVIEWED, SiteConfig
from onrecord.stories.load import SourceFile
from onrecord.stories.model import STATUSES, Actor, Event, Note, Prose, Quote, Source, Story, Topic
from onrecord.stories.problems import Problems, did_you_mean

STORY_KEYS = ("title", "dek", "date", "updated", "draft", "authors", "tags", "source",
              "actors", "topics", "events", "quotes", "slug", "corrections", "updates")
ACTOR_KEYS = ("name", "role", "group")
QUOTE_KEYS = ("id", "actor", "date", "topic", "stance", "text", "context", "paraphrase", "source",
              "status", "note")
EVENT_KEYS = ("date", "label")
NOTE_KEYS = ("date", "text")
SOURCE_KEYS = ("name", "url", "archived")
RESERVED_SLUGS = frozenset({"static", "tags", "actors", "data", "search", "pagefind", "index",
                            "404", "feed", "sitemap", "robots", "quotes", "assets", "archive"})
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                          *(f"lpt{n}" for n in range(10))})
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
MISSING = object()
# Charts place every date on one time axis; the chart renderer stalls on spans of several
# centuries, and a year outside this window is almost always a typo.
YEARS = (1900, 2100)
MAX_TAG = 60
# Invisible control characters (and lone surrogates): never meant, break HTML and SVG.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Check:
    """Checks one file's front matter; every method reports and returns a clean value or None."""

    def __init__(self, source: SourceFile, problems: Problems) -> None:
        self.source = source
        self.problems = problems
        self.failed = False
        # What is written but already reported as broken (a section, or 'actors:peskov'):
        # references to it are not reported again as undefined.
        self.broken: set[str] = set()

    def error(self, key: Sequence[str | int], message: str, hint: str) -> None:
        self.failed = True
        self.problems.add(self.source.path, self.source.line(*key), message, hint)

    def warn(self, key: Sequence[str | int], message: str, hint: str) -> None:
        self.problems.add(self.source.path, self.source.line(*key), message, hint, warning=True)

    @staticmethod
    def name(key: Sequence[str | int]) -> str:
        """How a writer would say where a value is: `quote 3: actor`, `source: url`."""
        parts: list[str] = []
        for i, part in enumerate(key):
            if isinstance(part, int):
                parts[-1] = f"{parts[-1].rstrip('s')} {part + 1}"
            elif i and key[0] in ("actors", "topics") and i == 1:
                parts[-1] = f"{parts[-1].rstrip('s')} '{part}'"
            else:
                parts.append(str(part))
        return ": ".join(parts)

    def keys(self, data: dict, key: tuple, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for field in data:
            if not isinstance(field, str):
                self.error(key, f"{self.name(key) or 'front matter'}: key {field!r} is not text",
                           f"put the key in quotes, e.g. \"{field}\": ...")
            elif field not in allowed:
                where = f"{self.name(key)}: " if key else ""
                self.warn((*key, field), f"{where}unknown key '{field}' is ignored",
                          did_you_mean(field, allowed))

    def text(self, data: dict, key: tuple, field: str, *, required: bool = False,
             example: str = "...") -> str | None:
        value = data.get(field, MISSING)
        where = (*key, field)
        if value is MISSING or value is None or (isinstance(value, str) and not value.strip()):
            if required:
                shown = self.name(where)
                if value is MISSING:
                    self.error(key, f"{shown} is missing", f"add '{field}: {example}'")
                else:
                    self.error(where, f"{shown} is empty", f"write it, e.g. '{field}: {example}'")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(where, f"{self.name(where)} must be text, not {_kind(value)}",
                       f"write it as text in quotes, e.g. {field}: \"{example}\"")
            return None
        return self.visible(where, str(value).strip())

    def visible(self, key: tuple, text: str) -> str | None:
        """Refuse invisible control characters, which pasted copy carries in."""
        found = CONTROL.search(text)
        if found:
            self.error(key, f"{self.name(key) or 'text'} contains the invisible control "
                       f"character U+{ord(found.group()):04X}", CONTROL_HINT)
            return None
        return text

    def flag(self, data: dict, key: tuple, field: str) -> bool:
        value = data.get(field, False)
        if not isinstance(value, bool):
            self.error((*key, field), f"{self.name((*key, field))} must be true or false, "
                       f"not {value!r}", f"write '{field}: true' or '{field}: false'")
            return False
        return value

    def date(self, data: dict, key: tuple, field: str, *, required: bool = True) -> dt.date | None:
        value = data.get(field, MISSING)
        where = (*key, field)
        if value is MISSING or value is None:
            if required:
                self.error(key if value is MISSING else where, f"{self.name(where)} is missing",
                           f"add '{field}: YYYY-MM-DD', e.g. '{field}: 2024-03-25'")
            return None
        text = str(value).strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return self.plausible(where, dt.date.fromisoformat(text))
            if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):
                return self.plausible(where, dt.datetime.fromisoformat(
                    text.replace("Z", "+00:00")).date())
        except ValueError as error:
            self.error(where, f"{self.name(where)} '{text}' is not a real date ({error})",
                       "check the month (01-12) and day; write YYYY-MM-DD")
            return None
        self.error(where, f"{self.name(where)} '{text}' is not a date",
                   "write it as YYYY-MM-DD, e.g. 2024-03-25")
        return None

    def plausible(self, key: tuple, day: dt.date) -> dt.date | None:
        if not YEARS[0] <= day.year <= YEARS[1]:
            self.error(key, f"{self.name(key)} {day.isoformat()} is outside the years "
                       f"{YEARS[0]}-{YEARS[1]}", "check the year for a typo")
            return None
        return day

    def ident(self, key: tuple, value: object, what: str) -> str | None:
        if not isinstance(value, str) or not ID.match(value):
            suggestion = slugify(str(value)) or "peskov"
            self.error(key, f"{what} {value!r} is not a valid id",
                       f"use lowercase letters, digits, '-' and '_', e.g. '{suggestion}'")
            return None
        return value

    def mapping(self, data: dict, key: tuple, field: str, *, required: bool) -> dict | None:
        value = data.get(field, MISSING)
        where = (*key, field)
        if value is MISSING or value is None:
            if required:
                self.error(key if value is MISSING else where, f"{self.name(where)} is missing",
                           f"add '{field}:' with one entry per line, 'id: ...'")
            return None
        if not isinstance(value, dict):
            self.broken.add(field)
            self.error(where, f"{self.name(where)} must be a set of 'id: ...' entries, not "
                       f"{_kind(value)}", f"write each entry on its own line under '{field}:'")
            return None
        return value

    def sequence(self, data: dict, key: tuple, field: str, *, required: bool) -> list | None:
        value = data.get(field, MISSING)
        where = (*key, field)
        if value is MISSING or value is None:
            if required:
                self.error(key if value is MISSING else where, f"{self.name(where)} is missing",
                           f"add '{field}:' with one '- ' item per entry")
            return None
        if not isinstance(value, list):
            self.error(where, f"{self.name(where)} must be a list, not {_kind(value)}",
                       f"write each entry on its own line under '{field}:', starting with '- '")
            return None
        return value

    def words(self, data: dict, key: tuple, field: str) -> tuple[str, ...]:
        value = data.get(field, MISSING)
        if value is MISSING or value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
                isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
            self.error((*key, field), f"{self.name((*key, field))} must be a list of text",
                       f"write e.g. {field}: [first, second]")
            return ()
        words = tuple(str(v).strip() for v in value if str(v).strip())
        return words if self.visible((*key, field), " ".join(words)) is not None else ()

    def source_of(self, data: dict, key: tuple, field: str = "source") -> Source | None:
        value = data.get(field, MISSING)
        where = (*key, field)
        if value is MISSING or value is None:
            return None
        if isinstance(value, str):
            name = self.visible(where, value.strip())
            return Source(name) if name else None
        if not isinstance(value, dict):
            self.error(where, f"{self.name(where)} must be a name or {{name, url}}",
                       "write e.g. source: {name: Example News, url: https://example.org/a}")
            return None
        self.keys(value, where, SOURCE_KEYS)
        name = self.text(value, where, "name", required=True, example="Example News")
        url = self.text(value, where, "url")
        if url is not None:
            url = self.url((*where, "url"), url)
        archived = self.text(value, where, "archived")
        if archived is not None:
            archived = self.url((*where, "archived"), archived,
                                "the address of the archived copy, e.g. https://web.archive.org/"
                                "web/2024/https://example.org/a")
        return Source(name, url, archived) if name else None

    def url(self, key: tuple, url: str, example: str = "") -> str | None:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            self.error(key, f"{self.name(key)} '{url[:80]}' is not an http(s) address",
                       f"give {example}" if example else
                       "give a full address starting with https://, or leave the url out")
            return None
        return url


CONTROL_HINT = ("delete it: it is invisible, and usually comes from pasted copy (if it "
                "stands where a quote mark or dash should be, retype that character)")


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a set of keys"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "empty"
    return type(value).__name__


def story(source: SourceFile, config: SiteConfig, charts: Iterable[str],
          problems: Problems) -> Story | None:
    """Check one source file; return its Story, or None if any error was reported."""
    check = _Check(source, problems)
    meta = source.meta
    check.keys(meta, (), STORY_KEYS)
    title = check.text(meta, (), "title", required=True, example="What the Kremlin said")
    dek = check.text(meta, (), "dek") or ""
    date = check.date(meta, (), "date")
    updated = check.date(meta, (), "updated", required=False)
    draft = check.flag(meta, (), "draft")
    authors = check.words(meta, (), "authors")
    tags = _tags(check, meta)
    story_source = check.source_of(meta, ())
    slug = _slug(check, meta, source.path)

    actors = _actors(check, meta)
    topics = _topics(check, meta)
    events = _events(check, meta)
    corrections = _notes(check, meta, "corrections", date)
    updates = _notes(check, meta, "updates", date)
    statements = _quotes(check, meta, actors, topics, config, story_source)
    quotes = [q for q in statements if not q.withdrawn]
    withdrawn = [q for q in statements if q.withdrawn]
    _withdrawals(check, meta, statements, withdrawn, corrections)
    if not draft:
        _reviewed(check, meta, statements)

    for found in CONTROL.finditer(source.body):
        check.failed = True
        problems.add(source.path, source.body_line + source.body.count("\n", 0, found.start()),
                     f"the text contains the invisible control character "
                     f"U+{ord(found.group()):04X}", CONTROL_HINT)
        break
    blocks, remarks = prose.parse(source.body, source.body_line)
    for remark in remarks:
        check.failed = check.failed or not remark.warning
        problems.add(source.path, remark.line, remark.message, remark.hint,
                     warning=remark.warning)
    _directives(check, blocks, {q.id for q in quotes}, tuple(charts), {q.id for q in withdrawn})
    quoted = {q.actor.id for q in statements}
    for actor in actors.values():
        if quotes and actor.id not in quoted and not check.failed:
            check.warn(("actors", actor.id), f"actor '{actor.id}' has no quotes",
                       "add a quote by them or remove them from actors")
    if not any(isinstance(b, Prose) for b in blocks) and not check.failed:
        problems.add(source.path, source.body_line, "the story has no prose after the front "
                     "matter, so readers get only the matrix and charts",
                     "write a few paragraphs that explain the story", warning=True)
    if check.failed or title is None or date is None or slug is None:
        return None
    # a speaker quoted only in withdrawn statements (a misattribution) is not on record
    gone = {q.actor.id for q in withdrawn} - {q.actor.id for q in quotes}
    return Story(slug=slug, path=source.path, title=title, dek=dek, date=date,
                 actors=tuple(a for a in actors.values() if a.id not in gone),
                 topics=tuple(topics.values()),
                 quotes=tuple(sorted(quotes, key=lambda q: q.date)), blocks=blocks,
                 events=tuple(sorted(events, key=lambda e: e.date)), updated=updated,
                 draft=draft, authors=authors, tags=tags, source=story_source,
                 withdrawn=tuple(sorted(withdrawn, key=lambda q: q.date)),
                 corrections=corrections, updates=updates)


def _tags(check: _Check, meta: dict) -> tuple[str, ...]:
    """Tags as slugs (each gets a page at tags/SLUG/), short enough to be a file name."""
    tags = []
    for tag in check.words(meta, (), "tags"):
        slug = slugify(tag)
        if len(slug) > MAX_TAG:
            check.error(("tags",), f"tag '{tag[:40]}...' is over {MAX_TAG} characters",
                        "use a short tag, a word or two, e.g. 'russia'")
        elif slug in DEVICE_NAMES:
            check.error(("tags",), f"tag '{slug}' is a device name that Windows cannot store "
                        "as a folder", f"use another word, e.g. '{slug}-tag'")
        elif slug:
            tags.append(slug)
    return tuple(dict.fromkeys(tags))


def _slug(check: _Check, meta: dict, path: str) -> str | None:
    written = meta.get("slug")
    if written is None:
        slug = slugify(PurePosixPath(path).stem)
        if not slug:
            check.error((), f"the file name '{PurePosixPath(path).name}' gives no usable slug",
                        "rename the file with letters or digits, or add 'slug: my-story'")
            return None
    else:
        slug = str(written)
        if not SLUG.match(slug):
            check.error(("slug",), f"slug '{slug[:80]}' is not a lowercase slug",
                        f"use lowercase letters, digits and '-', e.g. '{slugify(slug) or 'story'}'")
            return None
    if slug in RESERVED_SLUGS:
        check.error(("slug",), f"slug '{slug}' is reserved for the site's own pages",
                    f"rename the file or add 'slug: {slug}-story'")
        return None
    if slug in DEVICE_NAMES:
        check.error(("slug",), f"slug '{slug}' is a device name that Windows cannot store "
                    "as a folder", f"rename the file or add 'slug: {slug}-story'")
        return None
    return slug


def _actors(check: _Check, meta: dict) -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    for actor_id, value in (check.mapping(meta, (), "actors", required=True) or {}).items():
        key = ("actors", str(actor_id))
        check.broken.add(f"actors:{actor_id}")  # until it proves whole, below
        if check.ident(key, actor_id, "actor id") is None:
            continue
        if isinstance(value, str) and value.strip():
            actors[actor_id] = Actor(actor_id, value.strip())
            check.broken.discard(f"actors:{actor_id}")
            continue
        if not isinstance(value, dict):
            check.error(key, f"actor '{actor_id}' must have a name",
                        f"write e.g. {actor_id}: {{name: Dmitri Peskov, role: Kremlin "
                        "spokesperson}")
            continue
        check.keys(value, key, ACTOR_KEYS)
        name = check.text(value, key, "name", required=True, example="Dmitri Peskov")
        role = check.text(value, key, "role") or ""
        group = check.text(value, key, "group") or ""
        if name:
            actors[actor_id] = Actor(actor_id, name, role, group)
            check.broken.discard(f"actors:{actor_id}")
    return actors


def _topics(check: _Check, meta: dict) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for topic_id, value in (check.mapping(meta, (), "topics", required=True) or {}).items():
        key = ("topics", str(topic_id))
        if check.ident(key, topic_id, "topic id") is None:
            check.broken.add(f"topics:{topic_id}")
            continue
        label = check.text({topic_id: value}, ("topics",), topic_id, required=True,
                           example="Islamic State carried out the attack")
        if label:
            topics[topic_id] = Topic(topic_id, label)
        else:
            check.broken.add(f"topics:{topic_id}")
    return topics


def _events(check: _Check, meta: dict) -> list[Event]:
    events = []
    for n, value in enumerate(check.sequence(meta, (), "events", required=False) or ()):
        key = ("events", n)
        if not isinstance(value, dict):
            check.error(key, f"event {n + 1} must have a date and a label",
                        "write e.g. - {date: 2024-03-22, label: Gunmen attack the hall}")
            continue
        check.keys(value, key, EVENT_KEYS)
        date = check.date(value, key, "date")
        label = check.text(value, key, "label", required=True, example="Four suspects in court")
        if date and label:
            events.append(Event(date, label))
    return events


def _notes(check: _Check, meta: dict, field: str, published: dt.date | None
           ) -> tuple[Note, ...]:
    """`corrections:` or `updates:`: dated notes, none before the story was published."""
    notes = []
    what = field.rstrip("s")
    for n, value in enumerate(check.sequence(meta, (), field, required=False) or ()):
        key = (field, n)
        if not isinstance(value, dict):
            check.error(key, f"{what} {n + 1} must have a date and a text",
                        "write e.g. - {date: 2024-03-27, text: An earlier version of this "
                        "story ...}")
            continue
        check.keys(value, key, NOTE_KEYS)
        date = check.date(value, key, "date")
        text = check.text(value, key, "text", required=True,
                          example="An earlier version of this story ...")
        if date and published and date < published:
            check.error((*key, "date"), f"{what} {n + 1}: date {date.isoformat()} is before "
                        f"the story's date {published.isoformat()}",
                        f"a {what} comes after publication: check the year and month")
        elif date and text:
            notes.append(Note(date, text))
    return tuple(sorted(notes, key=lambda note: note.date))


def _status(check: _Check, value: dict, key: tuple) -> tuple[str, str]:
    """A quote's `status` and `note`: why it was corrected or withdrawn."""
    status = check.text(value, key, "status") or ""
    note = check.text(value, key, "note") or ""
    if status and status not in STATUSES:
        check.error((*key, "status"), f"{check.name((*key, 'status'))} '{status}' is not "
                    f"one of: {', '.join(STATUSES)}", did_you_mean(status, STATUSES))
        return "", note
    if status and not note:
        check.error((*key, "status"), f"{check.name(key)} is {status} but has no note saying why",
                    "add e.g. note: \"Misattributed: the speaker was ...\"")
    elif note and not status:
        check.warn((*key, "note"), f"{check.name((*key, 'note'))} is shown only on a "
                   "corrected or withdrawn statement",
                   "add 'status: corrected' or 'status: withdrawn', or remove the note")
    return status, note


def _withdrawals(check: _Check, meta: dict, statements: list[Quote], withdrawn: list[Quote],
                 corrections: tuple[Note, ...]) -> None:
    """A story must keep something on record, and should say what it corrected."""
    items = meta.get("quotes") if isinstance(meta.get("quotes"), list) else []
    if statements and len(withdrawn) == len(statements) == len(items):
        check.error(("quotes",), "every quote is withdrawn, so nothing is left on record",
                    "keep at least one statement on record, or set 'draft: true' to take "
                    "the story down")
    n = next((i for i, v in enumerate(items)
              if isinstance(v, dict) and v.get("status") in STATUSES), None)
    if n is not None and not corrections and "corrections" not in meta:
        check.warn(("quotes", n, "status"), f"quote {n + 1} is {items[n]['status']} but the "
                   "story has no correction note", "add corrections: - {date: YYYY-MM-DD, "
                   "text: what was wrong and what changed}, so readers are told")


def _quotes(check: _Check, meta: dict, actors: dict[str, Actor], topics: dict[str, Topic],
            config: SiteConfig, story_source: Source | None) -> list[Quote]:
    items = check.sequence(meta, (), "quotes", required=True) or []
    if not items and "quotes" in meta and isinstance(meta["quotes"], list):
        check.error(("quotes",), "quotes is empty", "add at least one quote")
    written = [v.get("id") for v in items if isinstance(v, dict)]
    quotes: list[Quote] = []
    seen: dict[str, int] = {}
    for n, value in enumerate(items):
        key = ("quotes", n)
        if not isinstance(value, dict):
            check.error(key, f"quote {n + 1} must be a set of keys",
                        "start each quote with '- actor: ...' and indent its other keys")
            continue
        check.keys(value, key, QUOTE_KEYS)
        actor = _ref(check, value, key, "actor", actors)
        topic = _ref(check, value, key, "topic", topics)
        stance = UNREVIEWED if value.get("stance") == UNREVIEWED.id else _ref(
            check, value, key, "stance", {s.id: s for s in config.stances})
        date = check.date(value, key, "date")
        text = check.text(value, key, "text", required=True, example="We do not comment")
        context = check.text(value, key, "context") or ""
        paraphrase = check.flag(value, key, "paraphrase")
        source = check.source_of(value, key) or story_source
        status, note = _status(check, value, key)
        quote_id = value.get("id")
        if quote_id is None:
            if actor and date:
                quote_id = _new_id(f"{actor.id}-{date:%Y%m%d}", written, seen)
        elif check.ident((*key, "id"), quote_id, "quote id") is None:
            quote_id = None
        elif quote_id in seen:
            check.error((*key, "id"), f"quote id '{quote_id}' is used twice (first in quote "
                        f"{seen[quote_id]})", f"give this quote another id, e.g. '{quote_id}-2'")
            quote_id = None
        if quote_id:
            seen[quote_id] = n + 1
        if actor and topic and stance and date and text and quote_id:
            quotes.append(Quote(quote_id, actor, date, topic, stance, text, context, paraphrase,
                                source, check.source.line(*key), status, note))
    return quotes


def _reviewed(check: _Check, meta: dict, quotes: list[Quote]) -> None:
    """A published story may not hold what `draft` left for the writer to decide."""
    items = meta.get("quotes")
    for n, value in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(value, dict):
            continue
        fields = [f for f in ("stance", "topic") if value.get(f) == UNREVIEWED.id]
        if fields:
            both = " and ".join(fields)
            check.error(("quotes", n, fields[0]), f"quote {n + 1}: {both} '{UNREVIEWED.id}' "
                        "marks a quote found by `draft` that nobody has reviewed, and the "
                        "story is not a draft", f"choose its {both} (see "
                        "docs/story-format.md), or keep 'draft: true' until every quote is "
                        "reviewed")


def _new_id(base: str, written: list, seen: dict[str, int]) -> str:
    n = 1
    while f"{base}-{n}" in written or f"{base}-{n}" in seen:
        n += 1
    return f"{base}-{n}"


def _ref(check: _Check, value: dict, key: tuple, field: str, defined: dict) -> Any:
    wanted = value.get(field, MISSING)
    where = (*key, field)
    if wanted is MISSING or wanted is None:
        check.error(key if wanted is MISSING else where, f"{check.name(where)} is missing",
                    f"add '{field}: ...', {did_you_mean('', defined)}"
                    if len(defined) <= 6 else f"add '{field}: ...'")
        return None
    section = {"actor": "actors", "topic": "topics"}.get(field, "")
    if not isinstance(wanted, str):
        check.error(where, f"{check.name(where)} must be one id, not {_kind(wanted)}",
                    f"write e.g. '{field}: {next(iter(defined), '...')}'")
        return None
    if wanted not in defined and (section in check.broken
                                  or f"{section}:{wanted}" in check.broken):
        check.failed = True  # already reported where it is defined
        return None
    if wanted not in defined:
        what = {"actor": "actors", "topic": "topics"}.get(field)
        where_defined = f"under '{what}'" if what else "in site/site.toml"
        check.error(where, f"{check.name(where)} '{wanted}' is not defined {where_defined}",
                    did_you_mean(wanted, defined))
        return None
    return defined[wanted]


def _directives(check: _Check, blocks: Iterable, quote_ids: set[str],
                charts: tuple[str, ...], withdrawn: frozenset[str] | set[str] = frozenset()
                ) -> None:
    path = check.source.path
    placed: dict[tuple[str, str], int] = {}
    for block in blocks:
        if not isinstance(block, prose.Directive):
            continue
        line, name, argument = block.line, block.name, block.argument
        if name in ("matrix", "events", "chart") and (name, argument) in placed:
            written = f"{name} {argument}".strip()
            check.failed = True
            check.problems.add(path, line, f"'{{{{ {written} }}}}' is placed twice (first on "
                               f"line {placed[name, argument]})", "keep one of them")
            continue
        placed[name, argument] = line

        def fail(message: str, hint: str, line: int = line) -> None:
            check.failed = True
            check.problems.add(path, line, message, hint)

        if name not in prose.NAMES:
            fail(f"unknown directive '{{{{ {name} }}}}'", did_you_mean(name, prose.NAMES))
        elif name in ("matrix", "events") and argument:
            fail(f"'{{{{ {name} }}}}' takes nothing after its name",
                 f"write '{{{{ {name} }}}}' alone on its line")
        elif name == "chart" and argument not in charts:
            fail(f"unknown chart '{argument}'" if argument else "'{{ chart }}' needs a name",
                 did_you_mean(argument, charts))
        elif name == "quote" and argument in withdrawn:
            fail(f"quote '{argument}' is withdrawn, so it cannot be a pull quote",
                 "remove this line, or place a statement that stands")
        elif name == "quote" and argument not in quote_ids:
            fail(f"quote '{argument}' is not defined" if argument else "'{{ quote }}' needs an id",
                 did_you_mean(argument, quote_ids))


def unique_slugs(slugs: Iterable[tuple[str, str, int]], problems: Problems) -> None:
    """Two stories may not share a slug (and so an address): name both files. `slugs`:
    (file, slug, the line of its slug) of each story, in reading order."""
    first: dict[str, str] = {}
    for path, slug, line in slugs:
        if slug in first:
            problems.add(path, line, f"slug '{slug}' is already used by {first[slug]}",
                         "rename one file or give it 'slug: ...'")
        else:
            first[slug] = path
