"""Get the data: per-story and site-wide quotes.csv / quotes.json parse back to the quotes."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from onrecord.builder import pipeline
from onrecord.stories.model import Story
from onrecord.stories.paths import Paths
from onrecord.stories.problems import Problems
from onrecord.website import downloads
from tests.conftest import REPO


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    return pipeline.stories(Paths.at(REPO), pipeline.Options(), Problems())[2]


def expected(story: Story) -> list[dict[str, str | bool]]:
    """The story's statements, withdrawn ones included, field by field, as the documented
    schema (docs/data.md) names them."""
    return [{"story": story.slug, "quote_id": q.id, "actor_id": q.actor.id,
             "actor_name": q.actor.name, "actor_role": q.actor.role,
             "actor_group": q.actor.group, "date": q.date.isoformat(), "topic_id": q.topic.id,
             "topic": q.topic.label, "stance_id": q.stance.id, "stance": q.stance.label,
             "text": q.text, "context": q.context, "paraphrase": q.paraphrase,
             "source_name": q.source.name if q.source else "",
             "source_url": (q.source.url or "") if q.source else "",
             "status": q.status, "note": q.note,
             "source_archived": (q.source.archived or "") if q.source else ""}
            for q in story.statements]


def parse_csv(data: bytes) -> list[dict[str, str | bool]]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [{**row, "paraphrase": {"true": True, "false": False}[row["paraphrase"]]}
            for row in rows]


def test_story_csv_and_json_on_the_site_round_trip(example_site: Path, stories):
    for story in stories:
        folder = example_site / story.slug
        assert parse_csv((folder / "quotes.csv").read_bytes()) == expected(story)
        data = json.loads((folder / "quotes.json").read_bytes())
        assert data["schema"] == "onrecord-quotes/1"
        assert data["columns"] == list(downloads.COLUMNS)
        assert data["quotes"] == expected(story)


def test_site_wide_files_hold_every_story(example_site: Path, stories):
    everything = [row for story in stories for row in expected(story)]
    key = lambda row: (row["story"], row["quote_id"])  # noqa: E731
    site_csv = parse_csv((example_site / "data" / "quotes.csv").read_bytes())
    site_json = json.loads((example_site / "data" / "quotes.json").read_bytes())["quotes"]
    assert sorted(site_csv, key=key) == sorted(everything, key=key)
    assert sorted(site_json, key=key) == sorted(everything, key=key)


def test_withdrawn_and_corrected_statements_are_in_the_data_with_their_status(example_site: Path):
    rows = {row["quote_id"]: row for row in parse_csv(
        (example_site / "sample-harbour-bridge-closure" / "quotes.csv").read_bytes())}
    assert len(rows) == 11   # 10 on record and 1 withdrawn
    assert rows["brennan-parking"]["status"] == "withdrawn"
    assert rows["brennan-parking"]["note"].startswith("Misattributed:")
    assert rows["mehta-summer-trade"]["status"] == "corrected"
    assert rows["okafor-safety-first"]["status"] == rows["okafor-safety-first"]["note"] == ""
    assert {row["source_archived"] for row in rows.values()} == {
        "https://archive.example.org/millbrook"}   # inherited from the story's source
    site = json.loads((example_site / "data" / "quotes.json").read_bytes())["quotes"]
    assert [q["status"] for q in site if q["quote_id"] == "brennan-parking"] == ["withdrawn"]


def test_text_with_commas_quotes_and_line_breaks_survives(stories):
    story = stories[0]
    awkward = 'He said: "No, never",\nthen left; «ещё» — 100%'
    first = story.quotes[0]
    changed = replace(story, quotes=(replace(first, text=awkward),))
    assert parse_csv(downloads.as_csv([changed]))[0]["text"] == awkward
    assert json.loads(downloads.as_json([changed]))["quotes"][0]["text"] == awkward


def test_columns_are_documented(stories):
    documented = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    for column in downloads.COLUMNS:
        assert f"`{column}`" in documented


def test_story_page_links_to_its_data(example_site: Path, stories):
    for story in stories:
        html = (example_site / story.slug / "index.html").read_text(encoding="utf-8")
        section = html[html.index('id="get-the-data"'):]
        for href in (f"/{story.slug}/quotes.csv", f"/{story.slug}/quotes.json",
                     "/data/quotes.csv", "/data/quotes.json"):
            assert f'href="{href}"' in section, href
