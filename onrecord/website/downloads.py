"""Get the data: every quote as CSV and JSON, per story and for the whole site.

The columns are a stable, documented schema (docs/data.md): add columns at the end,
never rename or reorder, so newsroom scripts that read them keep working.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from onrecord.stories.model import Story

COLUMNS = ("story", "quote_id", "actor_id", "actor_name", "actor_role", "actor_group", "date",
           "topic_id", "topic", "stance_id", "stance", "text", "context", "paraphrase",
           "source_name", "source_url", "status", "note", "source_archived")
SCHEMA = "onrecord-quotes/1"


def records(stories: Iterable[Story]) -> list[dict[str, str | bool]]:
    return [{
        "story": story.slug, "quote_id": q.id, "actor_id": q.actor.id, "actor_name": q.actor.name,
        "actor_role": q.actor.role, "actor_group": q.actor.group, "date": q.date.isoformat(),
        "topic_id": q.topic.id, "topic": q.topic.label, "stance_id": q.stance.id,
        "stance": q.stance.label, "text": q.text, "context": q.context,
        "paraphrase": q.paraphrase, "source_name": q.source.name if q.source else "",
        "source_url": (q.source.url or "") if q.source else "",
        "status": q.status, "note": q.note,
        "source_archived": (q.source.archived or "") if q.source else "",
    } for story in stories for q in story.statements]


def csv_rows(stories: Iterable[Story]) -> str:
    """The CSV lines of these stories' quotes, without the header: a site file is a join."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    for row in records(stories):
        writer.writerow({**row, "paraphrase": "true" if row["paraphrase"] else "false"})
    return out.getvalue()


def json_rows(stories: Iterable[Story]) -> str:
    """One JSON object a line, for the `quotes` list; compact, so the C encoder writes it."""
    return ",\n".join(json.dumps(row, ensure_ascii=False) for row in records(stories))


def csv_file(rows: Iterable[str]) -> bytes:
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(COLUMNS)
    # BOM: spreadsheets then read UTF-8 right
    return ("\ufeff" + header.getvalue() + "".join(rows)).encode()


def json_file(rows: Iterable[str]) -> bytes:
    head = json.dumps({"schema": SCHEMA, "columns": list(COLUMNS)}, ensure_ascii=False)[:-1]
    body = ",\n".join(r for r in rows if r)
    return f'{head}, "quotes": [\n{body}\n]}}\n'.encode()


def as_csv(stories: Iterable[Story]) -> bytes:
    return csv_file([csv_rows(stories)])


def as_json(stories: Iterable[Story]) -> bytes:
    return json_file([json_rows(stories)])
