"""`draft ARTICLE`: a story drafted from an article builds with --drafts, holds every quote
with its speaker, marks each for review, and cannot be published until reviewed."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from onrecord.authoring import draft
from onrecord.builder import pipeline
from onrecord.stories import config
from onrecord.stories.problems import BuildFailed, Problems
from tests.conftest import REPO, make_project, run_cli

HERE = Path(__file__).parent / "draft"
SLUG = "harbour-authority-and-union-clash-over-bridge-closure"
SPEAKERS = ["dockers' union", "Ines Moreau", "Ines Moreau", "Pavel Novak", "city council"]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def shared(*parts: str) -> Path:
    """A file of ../shared beside the clone (CI has it there; so may a folder above)."""
    for parent in REPO.parents:
        if (parent / "shared" / Path(*parts)).exists():
            return parent / "shared" / Path(*parts)
    return REPO.parent / "shared" / Path(*parts)


@pytest.mark.parametrize("article", ["harbour-wire.txt", "harbour-wire.html"])
def test_draft_writes_a_story_that_builds_with_drafts(tmp_path: Path, article: str) -> None:
    paths = make_project(tmp_path / "p", {})
    shutil.copy(HERE / article, paths.root / article)
    made = run_cli("draft", article, "--source-url", "https://courier.example/bridge",
                   "--source-name", "The Example Courier", cwd=paths.root)
    assert made.returncode == 0, made.stderr
    assert "with 5 quotes" in made.stdout
    path = paths.content / f"{SLUG}.md"
    meta = front_matter(path)
    assert meta["title"] == "Harbour authority and union clash over bridge closure"
    assert meta["draft"] is True and str(meta["date"]) == "2025-05-12"
    assert meta["source"] == {"name": "The Example Courier",
                              "url": "https://courier.example/bridge"}
    names = {key: actor["name"].replace("’", "'") for key, actor in meta["actors"].items()}
    assert [names[q["actor"]] for q in meta["quotes"]] == SPEAKERS
    assert meta["actors"]["moreau"]["role"] in ("authority's chief engineer",
                                                "authority’s chief engineer")
    assert meta["actors"]["novak"] == {"name": "Pavel Novak", "role": "Union secretary"}
    assert [q["text"] for q in meta["quotes"]][1:4] == [
        "The bridge is no longer safe for heavy traffic", "We cannot wait another winter.",
        "Nobody asked us. Nobody asked the drivers who cross it twice a day"]
    assert all(q["stance"] == q["topic"] == "unreviewed" and q["paraphrase"] is False
               for q in meta["quotes"])
    assert "Ines Moreau, the authority" in meta["quotes"][1]["context"]
    # the article's prose is not copied into the body
    assert "swing bridge" not in path.read_text().split("---\n", 2)[2]

    built = pipeline.plan(paths, pipeline.Options(drafts=True))
    page = built.outputs[f"{SLUG}/index.html"].decode()
    assert "Not yet reviewed" in page and "Pavel Novak" in page
    assert ".stance-unreviewed" in b"".join(
        v for k, v in built.outputs.items() if k.endswith(".css")).decode()
    # without --drafts the draft is left out, and nothing fails
    assert f"{SLUG}/index.html" not in pipeline.plan(paths).outputs


def test_draft_never_overwrites_and_needs_a_date(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {})
    undated = paths.root / "undated.txt"
    undated.write_text("Headline\n\n\"We will see,\" said Mayor Ada Lin.\n", encoding="utf-8")
    refused = run_cli("draft", "undated.txt", cwd=paths.root)
    assert refused.returncode == 1 and "--date YYYY-MM-DD" in refused.stderr
    assert list(paths.content.iterdir()) == []
    assert run_cli("draft", "undated.txt", "--date", "2025-13-01",
                   cwd=paths.root).returncode == 1

    assert run_cli("draft", "undated.txt", "--date", "2025-02-03", cwd=paths.root).returncode == 0
    created = paths.content / "headline.md"
    assert "date: 2025-02-03" in created.read_text()
    created.write_text(created.read_text() + "\nMy own words.\n")
    again = run_cli("draft", "undated.txt", "--date", "2025-02-03", cwd=paths.root)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert created.read_text().endswith("My own words.\n")


def test_format_json_prints_the_quotes_and_writes_nothing(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "p", {})
    printed = run_cli("draft", str(HERE / "harbour-wire.txt"), "--format", "json",
                      cwd=paths.root)
    assert printed.returncode == 0, printed.stderr
    found = json.loads(printed.stdout)
    assert found["title"] == "Harbour authority and union clash over bridge closure"
    assert found["quotes"][3] == {
        "text": "Nobody asked us. Nobody asked the drivers who cross it twice a day",
        "speaker": "Pavel Novak", "role": "Union secretary", "cue": "said",
        "paraphrase": False}
    assert [q["speaker"] for q in found["quotes"]] == SPEAKERS
    assert found["quotes"][0]["role"] is None
    assert list(paths.content.iterdir()) == []


def test_the_seed_article_drafts_every_quote_to_its_speaker(tmp_path: Path) -> None:
    """The hand-made seed story in content/ is the truth for ../shared/seed/article.txt."""
    paths = make_project(tmp_path / "p", {})
    made = run_cli("draft", str(shared("seed", "article.txt")), "--date", "2024-03-25",
                   cwd=paths.root)
    assert made.returncode == 0, made.stderr
    drafted = front_matter(next(paths.content.glob("*.md")))
    truth = front_matter(REPO / "content" / "crocus-city-hall-attack.md")

    def words(text: str) -> str:
        return " ".join(re.findall(r"\w+", text.replace("’", "'"))).lower()

    said = {words(q["text"]): drafted["actors"][q["actor"]]["name"] for q in drafted["quotes"]}
    direct = [q for q in truth["quotes"] if not q.get("paraphrase")]
    assert len(direct) == 4
    for quote in direct:
        assert said[words(quote["text"])] == truth["actors"][quote["actor"]]["name"]
    # the partial quotes inside paraphrases are the paraphrased speaker's words
    assert said["open a window"] == "Vladimir Putin"
    assert said["bogeyman"] == said["wards"] == "Maria Zakharova"
    assert drafted["actors"]["peskov"]["role"] == "Kremlin spokesperson"
    assert pipeline.plan(paths, pipeline.Options(drafts=True)).stories == 1


def test_a_story_cannot_be_published_with_unreviewed_quotes(tmp_path: Path) -> None:
    article = draft.Article("Headline", ("\"We will see,\" said Mayor Ada Lin.",))
    text, _ = draft.story_text(article, draft.dt.date(2025, 1, 2))
    assert "stance: unreviewed" in text
    published = text.replace("draft: true", "draft: false")
    paths = make_project(tmp_path / "p", {"content/drafted.md": published})
    with pytest.raises(BuildFailed) as failed:
        pipeline.plan(paths, pipeline.Options(drafts=True))
    [problem] = [p for p in failed.value.problems if not p.warning]
    line = published.splitlines().index("    stance: unreviewed") + 1
    assert (problem.path, problem.line) == ("content/drafted.md", line)
    assert "keep 'draft: true'" in problem.hint


def test_a_site_may_not_define_the_reserved_stance(tmp_path: Path) -> None:
    toml = tmp_path / "site.toml"
    toml.write_text('[[stances]]\nid = "unreviewed"\nlabel = "Mine"\ncolor = "#000000"\n')
    problems = Problems()
    loaded = config.load(toml, problems)
    assert [p.message for p in problems.errors] == [
        "stance 1: id 'unreviewed' is reserved for quotes that `draft` found and nobody has "
        "reviewed yet"]
    assert config.UNREVIEWED not in loaded.stances


def test_a_web_page_without_trafilatura_says_what_to_install(monkeypatch, tmp_path: Path):
    monkeypatch.setitem(sys.modules, "trafilatura", None)   # import fails as if missing
    with pytest.raises(draft.CannotDraft, match="pip install 'trafilatura"):
        draft.read(HERE / "harbour-wire.html")


def test_dates_written_in_the_text():
    assert str(draft._date_in("Posted Tuesday, March 5, 2024 at 9:00")) == "2024-03-05"
    assert str(draft._date_in("5 March 2024")) == "2024-03-05"
    assert str(draft._date_in("updated 2024-03-05T10:00")) == "2024-03-05"
    assert draft._date_in("In March, the minister said") is None
