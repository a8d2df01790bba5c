"""What the site publishes around the stories, read back with real parsers: the Atom feed
(feedparser), sitemap and robots.txt, JSON-LD (pyld, offline), social cards (Pillow),
speaker pages, the archive, Open Graph tags, drafts and content-hashed assets."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import html5lib
import pytest
from PIL import Image
from pyld import jsonld

from onrecord.builder import pipeline
from onrecord.stories.paths import Paths
from onrecord.stories.problems import BuildFailed
from tests.conftest import REPO, VALID_STORY

NS = {"h": "http://www.w3.org/1999/xhtml"}
SEED = "crocus-city-hall-attack"
SAMPLE = "sample-harbour-bridge-closure"
BASE = "https://news.example.com/explainers/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site as published: built with an absolute base_url."""
    out = tmp_path_factory.mktemp("published") / "public"
    pipeline.build(Paths.at(REPO, public=out), pipeline.Options(base_url=BASE))
    return out


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=True)


def text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def meta(tree, key: str) -> list[str]:
    """The content of every <meta property=key> or <meta name=key>."""
    return [m.get("content") for m in tree.iterfind(".//h:meta", NS)
            if key in (m.get("property"), m.get("name"))]


def story(slug: str, title: str, date: str, *, draft: bool = False, actor: str = "peskov",
          name: str = "Dmitri Peskov") -> str:
    """A small valid story whose one speaker is `actor`."""
    return VALID_STORY.replace("title: A valid story", f"title: {title}\nslug: {slug}").replace(
        "date: 2024-03-25\nactors:", f"date: {date}\ndraft: {str(draft).lower()}\nactors:"
    ).replace("peskov: {name: Dmitri Peskov", f"{actor}: {{name: {name}").replace(
        "actor: peskov", f"actor: {actor}").replace("id: peskov-no-comment", f"id: {slug}-q1")


# -- feed, sitemap, robots -------------------------------------------------------------------

def test_atom_feed_parses_and_lists_stories_newest_first(example_site: Path):
    feed = feedparser.parse((example_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.link for e in feed.entries] == [f"/{SAMPLE}/", f"/{SEED}/"]
    seed = feed.entries[1]
    assert seed.title.startswith("Russia refuses to blame ISIS")
    assert seed.published.startswith("2024-03-25")
    assert "Maria Zakharova" in seed.summary
    assert {t.term for t in seed.tags} == {"russia", "terrorism", "islamic-state"}


def test_sitemap_lists_every_page_but_the_404_and_embeds_and_robots_points_to_it(
        published: Path):
    root = ET.parse(published / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in root.iterfind("s:url/s:loc", ns)]
    pages = {BASE + p.relative_to(published).as_posix().removesuffix("index.html")
             for p in published.rglob("*.html")
             if p.name != "404.html" and "/embed/" not in p.as_posix()}   # noindex: embeds.md
    assert set(locs) == pages and len(locs) == len(pages)
    assert f"{BASE}{SEED}/" in locs and f"{BASE}actors/zakharova/" in locs
    lastmod = root.find(f"s:url[s:loc='{BASE}{SEED}/']/s:lastmod", ns)
    assert lastmod is not None and lastmod.text == "2024-03-25"
    robots = (published / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots and "User-agent: *" in robots


def test_a_story_page_gives_full_addresses_where_the_web_needs_them(published: Path):
    page = parse(published / SEED / "index.html")
    canonical = [link.get("href") for link in page.iterfind(".//h:link", NS)
                 if link.get("rel") == "canonical"]
    assert canonical == [f"{BASE}{SEED}/"]
    assert meta(page, "og:url") == [f"{BASE}{SEED}/"]
    assert meta(page, "og:image") == meta(page, "twitter:image") == [f"{BASE}{SEED}/social.png"]
    document = json.loads(next(s.text for s in page.iterfind(".//h:script", NS)
                               if s.get("type") == "application/ld+json"))
    assert document["url"] == document["@id"] == document["mainEntityOfPage"] \
        == f"{BASE}{SEED}/"
    assert document["image"] == f"{BASE}{SEED}/social.png"
    assert document["hasPart"][0]["spokenByCharacter"]["url"].startswith(f"{BASE}actors/")
    feed = feedparser.parse((published / "feed.xml").read_bytes())
    assert [e.link for e in feed.entries] == [f"{BASE}{SAMPLE}/", f"{BASE}{SEED}/"]
    assert {link.href for link in feed.feed.links} == {f"{BASE}feed.xml", BASE}


def test_without_a_full_base_url_what_needs_one_is_left_out_and_said_once(project):
    paths = project({"content/a.md": VALID_STORY})
    plan = pipeline.plan(paths)   # the example's site.toml: base_url = "/"
    warned = [w for w in plan.warnings if "base_url" in w.message]
    assert len(warned) == 1 and warned[0].path.endswith("site/site.toml")
    site = (paths.root / "site" / "site.toml").read_text().splitlines()
    assert site[warned[0].line - 1] == 'base_url = "/"' and "canonical" in warned[0].message
    assert "sitemap.xml" not in plan.outputs
    assert plan.outputs["robots.txt"] == b"User-agent: *\nAllow: /\n"
    page = plan.outputs["a/index.html"].decode()
    assert 'rel="canonical"' not in page and "og:image" not in page and "og:url" not in page
    assert 'name="twitter:card" content="summary"' in page
    document = json.loads(page.split('<script type="application/ld+json">', 1)[1]
                          .split("</script>", 1)[0])
    assert "url" not in document and "@id" not in document and "image" not in document
    assert all("@id" not in q and "url" not in q["spokenByCharacter"]
               for q in document["hasPart"])
    feed = feedparser.parse(plan.outputs["feed.xml"])
    assert not feed.bozo and feed.entries[0].link == "/a/"
    assert feed.entries[0].id.startswith("tag:")


def test_feed_and_sitemap_use_an_absolute_subpath_base_url(project):
    paths = project({"content/a.md": VALID_STORY})
    plan = pipeline.plan(paths, pipeline.Options(base_url="https://example.org/explainers"))
    feed = feedparser.parse(plan.outputs["feed.xml"])
    assert not feed.bozo
    assert feed.entries[0].link == "https://example.org/explainers/a/"
    assert feed.entries[0].id == "https://example.org/explainers/a/"
    assert feed.feed.links[0].href == "https://example.org/explainers/feed.xml"
    assert b"<loc>https://example.org/explainers/a/</loc>" in plan.outputs["sitemap.xml"]
    assert b"Sitemap: https://example.org/explainers/sitemap.xml" in plan.outputs["robots.txt"]


# -- drafts and assets -----------------------------------------------------------------------

def test_drafts_are_left_out_everywhere_unless_asked_for(project):
    paths = project({"content/a.md": story("kept", "Kept story", "2024-03-25"),
                     "content/b.md": story("hidden", "Hidden draft", "2024-04-01", draft=True,
                                           actor="insider", name="Anna Insider")})
    without = pipeline.plan(paths).outputs
    assert "kept/index.html" in without and "kept/social.png" in without
    leaked = [path for path, data in without.items() if b"Hidden draft" in data
              or b"Anna Insider" in data or path.startswith(("hidden/", "actors/insider/"))]
    assert leaked == []
    with_drafts = pipeline.plan(paths, pipeline.Options(drafts=True)).outputs
    assert "hidden/index.html" in with_drafts and "actors/insider/index.html" in with_drafts
    assert b"Hidden draft" in with_drafts["feed.xml"]


def test_unchanged_assets_keep_their_hashed_names_and_a_changed_one_gets_a_new_name(project):
    paths = project({"content/a.md": VALID_STORY})
    first = {p for p in pipeline.plan(paths).outputs if p.startswith("static/")}
    assert first == {p for p in pipeline.plan(paths).outputs if p.startswith("static/")}
    assert any(re.fullmatch(r"static/style\.[0-9a-f]{10}\.css", p) for p in first)
    css = paths.static / "style.css"
    css.write_text(css.read_text() + "\n.x { color: red; }\n")
    second = {p for p in pipeline.plan(paths).outputs if p.startswith("static/")}
    assert len(first - second) == 1 and next(iter(first - second)).startswith("static/style.")
    assert all(p in second for p in first if not p.startswith("static/style."))


def test_pretty_urls_every_page_is_a_folder_with_index_html(example_site: Path):
    html = [p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")]
    assert sorted(p for p in html if not p.endswith("/index.html")) == ["404.html", "index.html"]
    index = (example_site / "index.html").read_text()
    assert f'href="/{SEED}/"' in index and ".html" not in re.sub(r"<head>.*?</head>", "", index,
                                                                   flags=re.S)


# -- sharing and structured data --------------------------------------------------------------

def test_every_page_has_open_graph_and_twitter_card_tags(published: Path):
    for path in published.rglob("*.html"):
        tree = parse(path)
        for key in ("og:title", "og:type", "og:url", "og:image", "twitter:card"):
            assert len(meta(tree, key)) == 1, (path, key)
    seed = parse(published / SEED / "index.html")
    assert meta(seed, "og:type") == ["article"]
    assert meta(seed, "og:image") == [f"{BASE}{SEED}/social.png"]
    assert meta(seed, "twitter:card") == ["summary_large_image"]
    assert meta(parse(published / "index.html"), "og:image") == [f"{BASE}social.png"]


def test_social_cards_are_1200_by_630_pngs(example_site: Path):
    for name in (f"{SEED}/social.png", f"{SAMPLE}/social.png", "social.png"):
        image = Image.open(io.BytesIO((example_site / name).read_bytes()))
        assert image.format == "PNG" and image.size == (1200, 630)
        assert len(image.getcolors(1 << 16) or ()) > 10   # drawn on, not a blank canvas


def test_social_cards_are_cached_and_redrawn_when_the_headline_changes(project):
    paths = project({"content/a.md": VALID_STORY})
    first = pipeline.plan(paths).outputs["a/social.png"]
    cached = {p.name for p in (paths.cache / "social").glob("*.png")}
    assert len(cached) == 2   # the story's card and the site's
    assert pipeline.plan(paths).outputs["a/social.png"] == first
    (paths.content / "a.md").write_text(VALID_STORY.replace("A valid story", "A new headline"))
    assert pipeline.plan(paths).outputs["a/social.png"] != first
    assert len(list((paths.cache / "social").glob("*.png"))) == 3


SCHEMA = "https://schema.org/"


def _offline_loader(url: str, options=None):
    """schema.org's context, served locally: JSON-LD expansion without the network."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": SCHEMA, "id": "@id", "type": "@type"}}}


def test_json_ld_is_a_news_article_whose_quotes_expand_as_quotations(published: Path):
    tree = parse(published / SEED / "index.html")
    blocks = [s for s in tree.iterfind(".//h:script", NS)
              if s.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    document = json.loads(blocks[0].text)
    expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
    assert len(expanded) == 1
    article = expanded[0]
    assert article["@type"] == [SCHEMA + "NewsArticle"]
    assert article[SCHEMA + "headline"][0]["@value"].startswith("Russia refuses")
    quotes = article[SCHEMA + "hasPart"]
    assert len(quotes) == 9 and all(q["@type"] == [SCHEMA + "Quotation"] for q in quotes)
    said = {q[SCHEMA + "spokenByCharacter"][0][SCHEMA + "name"][0]["@value"]:
            q[SCHEMA + "spokenByCharacter"][0]["@type"] for q in quotes}
    assert said["Maria Zakharova"] == [SCHEMA + "Person"]
    assert said["US government"] == [SCHEMA + "Organization"]   # from site/actors.toml
    zakharova = next(q for q in quotes if "Are you sure it’s Isis" in
                     q[SCHEMA + "text"][0]["@value"])
    assert zakharova[SCHEMA + "dateCreated"][0]["@value"] == "2024-03-25"
    assert SCHEMA + "citation" in zakharova
    assert zakharova["@id"] == f"{BASE}{SEED}/#q-zakharova-white-house"


def test_json_ld_cannot_break_out_of_its_script_element(project):
    hostile = VALID_STORY.replace("title: A valid story", 'title: "</script><b>x</b>"')
    paths = project({"content/a.md": hostile})
    page = pipeline.plan(paths).outputs["a/index.html"].decode()
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block)["headline"] == "</script><b>x</b>"


# -- speakers, archive, index --------------------------------------------------------------------

def test_a_speaker_in_two_stories_gets_one_page_with_both_and_a_chart(project):
    paths = project({"content/a.md": story("first", "First story", "2024-03-25"),
                     "content/b.md": story("second", "Second story", "2024-05-02")})
    outputs = pipeline.plan(paths).outputs
    page = html5lib.parse(outputs["actors/peskov/index.html"], treebuilder="etree")
    headings = [text(h) for h in page.iterfind(".//{http://www.w3.org/1999/xhtml}h2")]
    assert headings[1:] == ["Second story", "First story"]     # after the chart's title
    assert "Stance on each claim over time" in headings[0]
    assert b"<svg" in outputs["actors/peskov/index.html"]
    assert b"2 statements in 2 stories" in outputs["actors/peskov/index.html"]
    # every speaker name links to the speaker's page
    assert b'class="speaker" href="/actors/peskov/"' in outputs["first/index.html"]



def test_the_speakers_page_lists_everyone_most_quoted_first(example_site: Path):
    listing = (example_site / "actors" / "index.html").read_text()
    assert "3 statements in 1 story" in listing     # Peskov
    assert listing.index("Dmitri Peskov") < listing.index("Maria Zakharova")   # 3 before 2
    assert listing.count('href="/actors/') == 1 + 11   # menu, 11 speakers


def test_the_actors_registry_merges_ids_and_names_people_and_organizations(project):
    paths = project({
        "content/a.md": story("first", "First story", "2024-03-25"),
        "content/b.md": story("second", "Second story", "2024-05-02", actor="dmitry",
                              name="Dmitry Peskov"),
        "site/actors.toml": '[peskov]\nname = "Dmitri S. Peskov"\naliases = ["dmitry"]\n'
                            'description = "Press secretary."\n[us]\nkind = "organization"\n'})
    outputs = pipeline.plan(paths).outputs
    assert "actors/dmitry/index.html" not in outputs
    page = outputs["actors/peskov/index.html"].decode()
    assert "Dmitri S. Peskov" in page and "Press secretary." in page
    assert "2 stories" in page
    assert 'class="speaker" href="/actors/peskov/"' in outputs["second/index.html"].decode()


def test_a_bad_actors_registry_is_reported_with_the_file_and_a_fix(project):
    paths = project({"content/a.md": VALID_STORY,
                     "site/actors.toml": '[peskov]\nkind = "robot"\naliases = "x"\n'
                                         '[us]\naliases = ["peskov"]\n'})
    with pytest.raises(BuildFailed) as failed:
        pipeline.plan(paths)
    messages = [str(p) for p in failed.value.errors]
    assert len(messages) == 3, messages
    assert all("actors.toml" in m for m in messages)
    assert any("kind 'robot'" in m for m in messages)
    assert any("aliases must be a list" in m for m in messages)
    assert any("'peskov' is given to both" in m for m in messages)


def test_archive_groups_stories_by_year_and_month(project):
    paths = project({"content/a.md": story("march", "March story", "2024-03-25"),
                     "content/b.md": story("may", "May story", "2024-05-02"),
                     "content/c.md": story("next", "Next year", "2025-01-09")})
    page = html5lib.parse(pipeline.plan(paths).outputs["archive/index.html"],
                          treebuilder="etree")
    heads = [text(h) for h in page.iter() if h.tag.split("}")[-1] in ("h2", "h3")]
    assert heads == ["2025", "January 2025", "2024", "May 2024", "March 2024"]


def test_index_shows_each_storys_dek_and_matrix_summary(example_site: Path):
    tree = parse(example_site / "index.html")
    cards = list(tree.iterfind(".//h:li[@class='story-card']", NS))
    seed = next(c for c in cards if SEED in (c.find(".//h:a", NS).get("href")))
    assert text(seed.find(".//h:p[@class='dek']", NS)).startswith("The Kremlin declines")
    assert "5 speakers, 4 claims, 9 statements" in text(seed.find(".//h:p[@class='meta']", NS))


def test_the_search_index_is_the_same_bytes_when_nothing_changed(project):
    paths = project({"content/a.md": VALID_STORY})
    first = {k: v for k, v in pipeline.plan(paths).outputs.items() if k.startswith("pagefind/")}
    assert "pagefind/parts.json" in first and any(".pf_filter" in k for k in first)
    again = {k: v for k, v in pipeline.plan(paths).outputs.items() if k.startswith("pagefind/")}
    assert again == first
    (paths.content / "a.md").write_text(VALID_STORY.replace("Some prose.", "Other words."))
    changed = {k: v for k, v in pipeline.plan(paths).outputs.items() if k.startswith("pagefind/")}
    assert changed != first
