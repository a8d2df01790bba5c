"""Corrections, updates, withdrawn and corrected statements, archived sources: read back
from the built example site with real parsers (feedparser, PyLD, html5lib), and through
the model, the cached build and `check`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import html5lib
from pyld import jsonld

from onrecord import cli
from onrecord.builder import pipeline
from onrecord.stories.paths import Paths
from onrecord.stories.problems import Problems
from onrecord.views import matrix
from tests.conftest import REPO, VALID_STORY, make_project
from tests.test_publishing import SCHEMA, _offline_loader

SAMPLE = "sample-harbour-bridge-closure"
WITHDRAWN = "A shuttle boat is no use to anyone if there is nowhere to park"
XHTML = "{http://www.w3.org/1999/xhtml}"

# A story with a correction, an update, a withdrawn statement by a speaker quoted nowhere
# else (a misattribution) and a corrected one with an archived source.
CORRECTED = VALID_STORY.replace("date: 2024-03-25\nactors:", """date: 2024-03-25
corrections:
  - {date: 2024-03-27, text: A statement was misattributed to Maria Zakharova.}
updates:
  - {date: 2024-03-28, text: Added the court hearing.}
actors:
  zakharova: {name: Maria Zakharova}""").replace("""    paraphrase: true
""", """    paraphrase: true
    status: corrected
    note: An earlier version dated this 22 March.
    source:
      name: Example News
      url: https://example.org/a
      archived: https://web.archive.org/web/2024/https://example.org/a
  - id: zakharova-misattributed
    actor: zakharova
    date: 2024-03-26
    topic: is-responsible
    stance: disputes
    text: Words she never said.
    status: withdrawn
    note: "Misattributed: the speaker was someone else."
""")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _stories() -> dict:
    return {s.slug: s for s in pipeline.stories(Paths.at(REPO), pipeline.Options(),
                                                 Problems())[2]}


# -- the model: what stays on record --------------------------------------------------------

def test_a_withdrawn_statement_leaves_the_matrix_but_not_the_record():
    story = _stories()[SAMPLE]
    assert "brennan-parking" not in {q.id for q in story.quotes}
    assert [q.id for q in story.withdrawn] == ["brennan-parking"]
    assert "brennan-parking" in [q.id for q in story.statements]
    cell = next(c for row in matrix.for_story(story).rows if row.actor.id == "brennan"
                for c in row.cells if c.topic.id == "temporary-crossing")
    # counted, the withdrawn 'disputes' would make 2 statements and a change of stance
    assert len(cell.quotes) == 1 and cell.shifts == () and cell.stance.id == "supports"
    assert story.corrected.isoformat() == story.modified.isoformat() == "2025-06-13"


def test_a_speaker_quoted_only_in_withdrawn_statements_is_not_on_record(project):
    paths = project({"content/a.md": CORRECTED})
    outputs = pipeline.plan(paths).outputs
    page = outputs["a/index.html"].decode()
    assert "actors/zakharova/index.html" not in outputs          # no speaker page
    assert "/actors/zakharova/" not in page                       # and no link to one
    table = page[page.index('class="matrix-table'):page.index("</table>")]
    assert "Maria Zakharova" not in table
    assert "2 speakers, 1 claim, 2 statements" in _text(page)    # the counts leave her out
    assert "<del>Words she never said.</del>" in page             # but the list keeps it
    assert b"Maria Zakharova" not in outputs["actors/index.html"]


# -- the story page ---------------------------------------------------------------------------

def test_the_story_says_corrected_near_the_top_and_gives_the_notes_at_the_end(
        example_site: Path):
    html = (example_site / SAMPLE / "index.html").read_text()
    tree = html5lib.parse(html, treebuilder="etree")
    header = next(e for e in tree.iter(f"{XHTML}header") if "story-header" in e.get("class", ""))
    link = next(a for a in header.iter(f"{XHTML}a") if a.get("href") == "#corrections")
    assert re.sub(r"\s+", " ", "".join(link.itertext())).strip() == "Corrected 13 June 2025"
    notes = next(e for e in tree.iter(f"{XHTML}section") if e.get("id") == "corrections")
    said = re.sub(r"\s+", " ", "".join(notes.itertext()))
    assert "Correction, 13 June 2025: An earlier version of this story attributed" in said
    # the notes come after the body, before the full list of statements
    assert html.index('id="corrections"') > html.index('class="story-body"')
    assert html.index('id="corrections"') < html.index('id="all-statements"')


def test_withdrawn_is_struck_and_said_in_words_corrected_shows_its_note(example_site: Path):
    html = (example_site / SAMPLE / "index.html").read_text()
    withdrawn = html[html.index('id="q-brennan-parking"'):]
    withdrawn = withdrawn[:withdrawn.index("</li>")]
    assert f"<del>{WITHDRAWN}" in withdrawn
    assert '<span class="status-flag">Withdrawn</span>' in withdrawn
    assert "Misattributed: these words were said by another resident" in withdrawn
    assert 'href="/actors/brennan/"' not in withdrawn
    corrected = html[html.index('id="q-mehta-summer-trade"'):]
    corrected = corrected[:corrected.index("</li>")]
    assert "Corrected" in corrected and "she said “a third”" in corrected
    assert "<del>" not in corrected
    # out of the matrix, the charts, the pull quotes and the count at the top
    assert html.count(WITHDRAWN) == 1
    assert "10 statements" in _text(html[:html.index('class="story-body"')])


def test_sources_show_their_archived_copy(example_site: Path):
    html = (example_site / SAMPLE / "index.html").read_text()
    archived = '<a href="https://archive.example.org/millbrook" rel="noopener">archived copy</a>'
    source_line = html[html.index('class="source-line"'):]
    assert archived in source_line[:source_line.index("</p>")]
    # the story's source, each statement in the list and the matrix, the pull quote
    assert html.count(archived) == 1 + 11 + 10 + 1


def test_list_pages_mark_corrected_stories_and_count_only_what_is_on_record(
        example_site: Path):
    for page in ("index.html", "tags/sample/index.html", "archive/index.html"):
        html = (example_site / page).read_text()
        card = html[html.index(f'href="/{SAMPLE}/"'):]
        assert 'class="corrected-flag">Corrected' in card[:card.index("</li>")], page
        if page != "tags/sample/index.html":   # the seed has no correction
            seed = html[html.index('href="/crocus-city-hall-attack/"'):]
            assert "corrected-flag" not in seed[:seed.index("</li>")], page
    index = _text((example_site / "index.html").read_text())
    assert "6 speakers, 3 claims, 10 statements" in index
    brennan = (example_site / "actors" / "brennan" / "index.html").read_text()
    assert WITHDRAWN not in brennan and "2 statements in 1 story" in brennan
    assert "2 statements in 1 story" in (example_site / "actors" / "index.html").read_text()


# -- JSON-LD and feeds ------------------------------------------------------------------------

def test_json_ld_carries_corrections_and_archived_copies_and_not_withdrawn_quotes(
        example_site: Path):
    html = (example_site / SAMPLE / "index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    article = jsonld.expand(json.loads(block.group(1)),
                            {"documentLoader": _offline_loader})[0]
    assert article[SCHEMA + "dateModified"][0]["@value"] == "2025-06-13"
    corrections = article[SCHEMA + "correction"]
    assert [c["@type"] for c in corrections] == [[SCHEMA + "CorrectionComment"]]
    assert corrections[0][SCHEMA + "text"][0]["@value"].startswith("An earlier version")
    assert corrections[0][SCHEMA + "datePublished"][0]["@value"] == "2025-06-13"
    quotes = article[SCHEMA + "hasPart"]
    assert len(quotes) == 10
    assert not any(WITHDRAWN in q[SCHEMA + "text"][0]["@value"] for q in quotes)
    assert all(q[SCHEMA + "archivedAt"][0]["@value"] == "https://archive.example.org/millbrook"
               for q in quotes)
    mehta = next(q for q in quotes if "a third of their year" in q[SCHEMA + "text"][0]["@value"])
    assert mehta[SCHEMA + "correction"][0]["@type"] == [SCHEMA + "CorrectionComment"]


def test_the_feed_entry_of_a_corrected_story_is_updated_and_carries_the_note(
        example_site: Path):
    feed = feedparser.parse((example_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    sample = next(e for e in feed.entries if e.link == f"/{SAMPLE}/")
    assert sample.updated.startswith("2025-06-13") and sample.published.startswith("2025-06-12")
    assert "Correction, 13 June 2025: An earlier version of this story" in sample.summary
    assert feed.feed.updated.startswith("2025-06-13")


def test_the_corrections_page_and_feed_list_every_correction_newest_first(example_site: Path):
    feed = feedparser.parse((example_site / "corrections" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception") and feed.version == "atom10"
    assert [e.link for e in feed.entries] == [f"/{SAMPLE}/#correction-1",
                                              f"/{SAMPLE}/#q-mehta-summer-trade",
                                              f"/{SAMPLE}/#q-brennan-parking"]
    assert [e.title.split(":")[0] for e in feed.entries] == [
        "Correction", "Statement corrected", "Statement withdrawn"]
    assert all(e.updated.startswith("2025-06-13") for e in feed.entries)
    assert "Misattributed" in feed.entries[2].summary and WITHDRAWN in feed.entries[2].summary
    assert len({e.id for e in feed.entries}) == 3

    page = (example_site / "corrections" / "index.html").read_text()
    story = (example_site / SAMPLE / "index.html").read_text()
    for entry in feed.entries:   # each links to where the story shows it
        assert f'href="{entry.link}"' in page
        assert f'id="{entry.link.split("#")[1]}"' in story
    assert f"<del>{WITHDRAWN}" in page
    assert 'href="/corrections/feed.xml"' in page
    assert 'href="/corrections/"' in (example_site / "index.html").read_text()   # footer


def test_corrections_from_several_stories_come_newest_first(project):
    later = CORRECTED.replace("title: A valid story", "title: Later\nslug: later").replace(
        "2024-03-27, text: A statement", "2024-04-02, text: A statement")
    paths = project({"content/a.md": CORRECTED, "content/b.md": later})
    base = "https://example.org/news/"
    outputs = pipeline.plan(paths, pipeline.Options(base_url=base)).outputs
    feed = feedparser.parse(outputs["corrections/feed.xml"])
    assert [(e.link.removeprefix(base), e.id.removeprefix(base), e.updated[:10])
            for e in feed.entries] == [
        ("later/#correction-1", "later/#correction-1", "2024-04-02"),
        ("later/#q-us-20240323-1", "later/#q-us-20240323-1", "2024-04-02"),
        ("later/#q-zakharova-misattributed", "later/#q-zakharova-misattributed", "2024-04-02"),
        ("a/#correction-1", "a/#correction-1", "2024-03-27"),
        ("a/#q-us-20240323-1", "a/#q-us-20240323-1", "2024-03-27"),
        ("a/#q-zakharova-misattributed", "a/#q-zakharova-misattributed", "2024-03-27")]
    assert f"<loc>{base}corrections/</loc>" in outputs["sitemap.xml"].decode()
    block = outputs["a/index.html"].decode().split('<script type="application/ld+json">')[1]
    article = json.loads(block.split("</script>")[0])
    assert article["correction"][0]["url"] == f"{base}a/#correction-1"
    assert article["dateModified"] == "2024-03-28"   # the update, after the correction
    page = outputs["a/index.html"].decode()
    assert "Updated" in page and 'id="update-1"' in page and "Added the court hearing." in page
    data = json.loads(outputs["data/quotes.json"])["quotes"]
    assert {(q["story"], q["quote_id"], q["status"]) for q in data if q["status"]} == {
        (s, "us-20240323-1", "corrected") for s in ("a", "later")} | {
        (s, "zakharova-misattributed", "withdrawn") for s in ("a", "later")}


def test_the_cached_build_follows_an_edited_correction(tmp_path: Path):
    """The corrections page is reused from the build cache while its entries stand, and
    made again, like the story and the feeds, when a note changes."""
    paths = make_project(tmp_path / "p", {"content/a.md": CORRECTED})
    pipeline.build(paths)
    assert "corrections/index.html" not in pipeline.build(paths)[0].rendered
    (paths.content / "a.md").write_text(CORRECTED.replace("misattributed to Maria",
                                                          "wrongly attributed to Maria"))
    result = pipeline.build(paths)[0]
    assert "corrections/index.html" in result.rendered
    for name in ("corrections/index.html", "corrections/feed.xml", "a/index.html", "feed.xml"):
        assert "wrongly attributed" in (paths.public / name).read_text(), name


# -- check -------------------------------------------------------------------------------------

def test_check_warns_about_each_statement_without_an_archived_copy(tmp_path: Path, capsys):
    paths = make_project(tmp_path / "p", {"content/a.md": CORRECTED.replace(
        "  - actor: us", "    source: {name: Tass, url: https://tass.example/a}\n  - actor: us")})
    assert cli.main(["check", "--root", str(paths.root)]) == 0   # a warning, not an error
    err = capsys.readouterr().err
    warned = [line for line in err.splitlines() if "archived copy" in line]
    assert warned == [
        "content/a.md:16: warning: statement 'peskov-no-comment': its source 'Tass' has no "
        "archived copy; save the page to an archive (e.g. web.archive.org) and add "
        "'archived: https://...' to the source"]   # not the archived one, not the withdrawn
    # a to-do, not a mistake: even --strict leaves the exit status alone
    assert cli.main(["check", "--strict", "--base-url", "https://example.org/",
                     "--root", str(paths.root)]) == 0
    assert "archived copy" in capsys.readouterr().err
    assert cli.main(["build", "--root", str(paths.root)]) == 0
    assert "archived copy" not in capsys.readouterr().err   # `build` does not nag
