"""Get the data: every quote as CSV and JSON, per story and for the whole site.

The columns are a stable, documented schema (docs/data.md): add columns at the end,
never rename or reorder, so newsroom scripts that read them keep working.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from onrecord.model import Story

COLUMNS = ("story", "quote_id", "actor_id", "actor_name", "actor_role", "actor_group", "date",
           "topic_id", "topic", "stance_id", "stance", "text", "context", "paraphrase",
           "source_name", "source_url")


def records(stories: Iterable[Story]) -> list[dict[str, str | bool]]:
    return [{
        "story": story.slug, "quote_id": q.id, "actor_id": q.actor.id, "actor_name": q.actor.name,
        "actor_role": q.actor.role, "actor_group": q.actor.group, "date": q.date.isoformat(),
        "topic_id": q.topic.id, "topic": q.topic.label, "stance_id": q.stance.id,
        "stance": q.stance.label, "text": q.text, "context": q.context,
        "paraphrase": q.paraphrase, "source_name": q.source.name if q.source else "",
        "source_url": (q.source.url or "") if q.source else "",
    } for story in stories for q in story.quotes]


def as_csv(stories: Iterable[Story]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in records(stories):
        writer.writerow({**row, "paraphrase": "true" if row["paraphrase"] else "false"})
    return ("\ufeff" + out.getvalue()).encode()  # BOM: spreadsheets then read UTF-8 right


def as_json(stories: Iterable[Story]) -> bytes:
    data = {"schema": "onrecord-quotes/1", "columns": list(COLUMNS), "quotes": records(stories)}
    return json.dumps(data, ensure_ascii=False, indent=1).encode() + b"\n"
