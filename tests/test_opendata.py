"""Open data: the data packages and their CSV and JSON validate with `frictionless`, and
data/quotes.db holds the whole record with foreign keys and full-text search."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import frictionless
import pytest

from onrecord.builder import pipeline
from onrecord.stories import config
from onrecord.stories.paths import Paths
from onrecord.stories.problems import Problems
from onrecord.website import downloads, opendata
from tests.conftest import REPO, VALID_STORY


@pytest.fixture(scope="module")
def stories():
    return pipeline.stories(Paths.at(REPO), pipeline.Options(), Problems())[2]


def database(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.deserialize(path.read_bytes())
    return connection


def test_the_site_package_and_its_files_validate(example_site: Path):
    report = frictionless.validate(str(example_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = len(io.StringIO((example_site / "data/quotes.csv").read_text("utf-8-sig"))
               .readlines()) - 1
    assert [task.stats["rows"] for task in report.tasks] == [rows, rows]   # CSV and JSON


def test_each_story_has_a_package_of_its_own_that_validates(example_site: Path, stories):
    for story in stories:
        path = example_site / story.slug / "datapackage.json"
        report = frictionless.validate(str(path))
        assert report.valid, (story.slug, report.flatten(["rowNumber", "fieldName", "note"]))
        assert [task.stats["rows"] for task in report.tasks] == [len(story.statements)] * 2
        package = json.loads(path.read_text())
        assert [r["path"] for r in package["resources"]] == ["quotes.csv", "quotes.json"]


def test_the_package_names_every_column_and_the_sites_licence(example_site: Path):
    package = json.loads((example_site / "data" / "datapackage.json").read_text())
    assert package["licenses"] == [{"name": "CC-BY-4.0",
                                    "path": "https://creativecommons.org/licenses/by/4.0/"}]
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == list(downloads.COLUMNS)
        assert all(f["description"] for f in fields)
    # a new download column (a statement's status, say) needs its description here first
    assert list(opendata.FIELDS) == list(downloads.COLUMNS)


def test_a_bad_row_fails_validation(example_site: Path, tmp_path: Path):
    """The validation above could fail: a date that is not a date is caught."""
    for name in ("datapackage.json", "quotes.json"):
        (tmp_path / name).write_bytes((example_site / "data" / name).read_bytes())
    data = (example_site / "data/quotes.csv").read_text("utf-8-sig")
    (tmp_path / "quotes.csv").write_text(data.replace(",2024-03-25,", ",25/03/2024,", 1))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert [e[1] for e in report.flatten(["fieldName", "type"])] == ["type-error"]


def test_the_database_holds_the_record_with_keys_and_search(example_site: Path, stories):
    db = database(example_site / opendata.DATABASE)
    tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    assert {"stories", "actors", "topics", "stances", "quotes", "quotes_fts"} <= tables
    count = sum(len(s.statements) for s in stories)
    assert db.execute("select count(*) from quotes").fetchone()[0] == count
    assert db.execute("select count(*) from stories").fetchone()[0] == len(stories)
    keys = {(row[2], row[3], row[4]) for row in db.execute("pragma foreign_key_list(quotes)")}
    assert keys == {("stories", "story", "slug"), ("actors", "actor_id", "id"),
                    ("topics", "topic_key", "id"), ("stances", "stance_id", "id")}
    assert db.execute("pragma foreign_key_check").fetchall() == []
    found = db.execute("select quotes.id, actors.name from quotes_fts join quotes on "
                       "quotes.rowid = quotes_fts.rowid join actors on actors.id = "
                       "quotes.actor_id where quotes_fts match 'comment'").fetchall()
    assert ("crocus-city-hall-attack/peskov-no-comment", "Dmitri Peskov") in found
    columns = [row[1] for row in db.execute("pragma table_info(quotes)")]
    assert columns == ["id", *downloads.COLUMNS, "topic_key"]
    csv_rows = list(csv.DictReader(io.StringIO(
        (example_site / "data/quotes.csv").read_text("utf-8-sig"))))
    texts = {(r["story"], r["quote_id"]): r["text"] for r in csv_rows}
    assert {(s, q): t for s, q, t in db.execute("select story, quote_id, text from quotes")} \
        == texts


def test_the_database_is_the_same_bytes_for_the_same_record(project):
    paths = project({"content/a.md": VALID_STORY})
    first = pipeline.plan(paths).outputs[opendata.DATABASE]
    assert pipeline.plan(paths).outputs[opendata.DATABASE] == first   # unchanged: not rewritten
    assert first.startswith(b"SQLite format 3\x00")


def test_a_site_without_stories_still_gets_every_table(project):
    outputs = pipeline.plan(project({})).outputs
    connection = sqlite3.connect(":memory:")
    connection.deserialize(outputs[opendata.DATABASE])
    tables = {r[0] for r in connection.execute("select name from sqlite_master")}
    assert {"stories", "actors", "topics", "stances", "quotes"} <= tables


def test_a_licence_address_must_be_http(project):
    paths = project({"site/site.toml": 'license_url = "ftp://example.org/licence"\n'})
    problems = Problems()
    config.load(paths.config_file, problems)
    assert any("license_url" in p.message for p in problems.errors)
