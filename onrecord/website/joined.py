"""The site-wide downloads joined from per-story parts, byte for byte as `downloads` makes them.

Encoding every quote of a thousand stories takes most of a second; a rebuild after one
edit re-encodes that story's part only and joins the rest from the memo. Should the
download format change so that parts no longer join, `site` falls back to encoding
everything (slower, never wrong); tests/test_incremental.py compares the two.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from onrecord.stories.model import Story
from onrecord.website import downloads

QUOTES_TAIL = b'"quotes": []\n}\n'


@dataclass(frozen=True)
class Part:
    """One story's rows of data/quotes.csv and its records of data/quotes.json."""

    csv_rows: bytes
    json_records: tuple[bytes, ...]


def part(story: Story) -> Part:
    header = len(downloads.as_csv([]))
    records = tuple(b"\n".join(b"  " + line for line in json.dumps(
        record, ensure_ascii=False, indent=1).encode().split(b"\n"))
        for record in downloads.records([story]))
    return Part(downloads.as_csv([story])[header:], records)


def site(stories: Sequence[Story], parts: Sequence[Part]) -> dict[str, bytes]:
    """data/quotes.csv and data/quotes.json for `stories`, from their parts."""
    empty = downloads.as_json([])
    if not empty.endswith(QUOTES_TAIL):
        return {"data/quotes.csv": downloads.as_csv(stories),
                "data/quotes.json": downloads.as_json(stories)}
    records = [record for p in parts for record in p.json_records]
    body = b'"quotes": [\n' + b",\n".join(records) + b"\n ]\n}\n" if records else QUOTES_TAIL
    return {"data/quotes.csv": downloads.as_csv([]) + b"".join(p.csv_rows for p in parts),
            "data/quotes.json": empty[:-len(QUOTES_TAIL)] + body}
