"""Embeds: every view of every story at its own address, with its oEmbed description and
embed code, kept out of the sitemap and the search index, the same from both builds."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import html5lib
import pytest

from onrecord.builder import pipeline
from onrecord.stories.paths import Paths
from onrecord.stories.problems import Problems
from onrecord.website import embeds
from tests.conftest import REPO, VALID_STORY

NS = {"h": "http://www.w3.org/1999/xhtml"}
BASE = "https://news.example/explainers/"


@pytest.fixture(scope="module")
def stories():
    return pipeline.stories(Paths.at(REPO), pipeline.Options(), Problems())[2]


def parse(data: bytes):
    return html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=True)


def test_every_view_of_every_story_is_an_embed_page(example_site: Path, stories):
    for story in stories:
        folder = example_site / story.slug / "embed"
        charts = sorted(p.name for p in (folder / "chart").iterdir())
        assert charts, story.slug
        quotes = sorted(p.name for p in (folder / "quote").iterdir())
        assert quotes == sorted(q.id for q in story.quotes)
        assert (folder / "matrix" / "index.html").is_file()
        story_page = (example_site / story.slug / "index.html").read_text()
        for name in charts:   # the charts the story page shows, no more
            assert f'id="chart-{name}"' in story_page


def test_an_embed_has_no_chrome_no_vega_and_is_not_for_search_engines(example_site: Path):
    for path in sorted(example_site.glob("*/embed/*/**/index.html")):
        tree = parse(path.read_bytes())
        assert tree.find(".//h:header[@class='site-header']", NS) is None, path
        robots = [m.get("content") for m in tree.iterfind(".//h:meta", NS)
                  if m.get("name") == "robots"]
        assert robots == ["noindex, indexifembedded"], path
        scripts = [s.get("src") for s in tree.iterfind(".//h:script", NS) if s.get("src")]
        assert "/static/embed-frame." in scripts[0], path
        if "/embed/chart/" in path.as_posix():   # the tooltips, and never the Vega runtime
            assert len(scripts) == 2 and "/static/charts." in scripts[1], path
            assert b"data-runtime" not in path.read_bytes() and b"vega" not in path.read_bytes()
        else:
            assert len(scripts) == 1, path
        assert tree.find(".//h:base", NS).get("target") == "_blank"   # links leave the frame
        assert tree.find(".//h:main", NS) is not None and tree.find(".//h:h1", NS) is not None
    chart = (example_site / "crocus-city-hall-attack/embed/chart/timeline/index.html").read_text()
    assert "<svg " in chart and 'role="img"' in chart


@pytest.fixture(scope="module")
def published() -> dict[str, bytes]:
    """The example site planned for a full address, as it would be published."""
    return dict(pipeline.plan(Paths.at(REPO), pipeline.Options(base_url=BASE)).outputs)


def test_embeds_are_in_neither_the_sitemap_nor_the_search_index(
        example_site: Path, published: dict[str, bytes]):
    sitemap = published["sitemap.xml"].decode()
    assert f"{BASE}crocus-city-hall-attack/" in sitemap and "/embed/" not in sitemap
    assert b"Disallow" not in published["robots.txt"]   # a crawler must see the noindex
    urls = [json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for p in (example_site / "pagefind").glob("part-*/fragment/*.pf_fragment")]
    assert "/crocus-city-hall-attack/" in urls   # the story is indexed; none of its embeds
    assert [url for url in urls if "/embed/" in url] == []


def test_oembed_files_describe_each_view_as_rich_html(published: dict[str, bytes], stories):
    story = next(s for s in stories if s.slug == "crocus-city-hall-attack")
    whole = json.loads(published[f"{story.slug}/oembed.json"])
    assert whole == json.loads(published[f"{story.slug}/embed/matrix/oembed.json"])
    described = sorted(p for p in published if p.startswith(f"{story.slug}/embed/")
                       and p.endswith("/oembed.json"))
    assert len(described) == 1 + 3 + len(story.quotes)
    for path in described:
        data = json.loads(published[path])
        view = path.removesuffix("oembed.json")
        assert data["version"] == "1.0" and data["type"] == "rich"
        assert isinstance(data["width"], int) and isinstance(data["height"], int)
        assert data["provider_name"] == "On Record" and data["provider_url"] == BASE
        assert story.title in data["title"]
        frame = re.search(r'<iframe src="([^"]+)"', data["html"]).group(1)
        assert frame == f"{BASE}{view}"
        assert f'<script src="{BASE}embed.js" async></script>' in data["html"]
        assert f'<noscript><a href="{BASE}{story.slug}/">' in data["html"]
        page = parse(published[f"{view}index.html"])
        links = [link.get("href") for link in page.iterfind(".//h:link", NS)
                 if link.get("type") == "application/json+oembed"]
        assert links == [f"{BASE}{view}oembed.json"]
    page = parse(published[f"{story.slug}/index.html"])
    discovery = [link.get("href") for link in page.iterfind(".//h:head/h:link", NS)
                 if link.get("type") == "application/json+oembed"]
    assert discovery == [f"{BASE}{story.slug}/oembed.json"]


def test_without_a_full_address_there_is_no_oembed(example_site: Path):
    """Other sites read oEmbed: full addresses or nothing (base_url "/" has no host)."""
    assert list(example_site.rglob("oembed.json")) == []
    for path in (example_site / "crocus-city-hall-attack").rglob("index.html"):
        assert b"json+oembed" not in path.read_bytes(), path


def test_the_story_page_offers_each_embed_code_without_javascript(example_site: Path, stories):
    story = next(s for s in stories if s.slug == "crocus-city-hall-attack")
    tree = parse((example_site / story.slug / "index.html").read_bytes())
    codes = {area.get("id"): area.text for area in tree.iterfind(".//h:textarea", NS)}
    assert len(codes) == 1 + 3 + len(story.quotes)
    assert all(tree.find(f".//h:label[@for='{name}']", NS) is not None for name in codes)
    matrix = codes["embed-code-matrix"]
    assert matrix.startswith(f'<iframe src="/{story.slug}/embed/matrix/" title="Who said what')
    assert f'data-onrecord-embed="{story.slug}/embed/matrix/"' in matrix
    previews = {a.get("href") for a in tree.iterfind(".//h:a[@class='embed-preview']", NS)}
    assert f"/{story.slug}/embed/quote/{story.quotes[0].id}/" in previews


def test_embed_codes_use_full_addresses_when_the_site_has_one(published: dict[str, bytes]):
    page = parse(published["crocus-city-hall-attack/index.html"])
    code = page.find(".//h:textarea[@id='embed-code-chart-timeline']", NS).text
    assert code.startswith(f'<iframe src="{BASE}crocus-city-hall-attack/embed/chart/timeline/"')
    assert f'<script src="{BASE}embed.js" async></script>' in code
    assert published["embed.js"] == embeds.HOST_SOURCE.read_bytes()


def test_the_command_line_build_writes_the_same_embeds_as_the_plan(project, tmp_path):
    paths = project({"content/a.md": VALID_STORY,
                     "content/b.md": VALID_STORY.replace("A valid story", "Another")})
    options = pipeline.Options(base_url=BASE)   # with the oEmbed files
    planned = pipeline.plan(paths, options).outputs
    pipeline.build(paths, options)
    for round_ in ("first build", "rebuild after an edit"):
        made = {p.relative_to(paths.public).as_posix() for p in paths.public.rglob("*")
                if p.is_file()}
        wanted = {p for p in planned if "embed" in p or p.endswith("datapackage.json")
                  or p.endswith(".db")}
        assert len(wanted) >= 2 * (1 + 2 * 3) and wanted <= made, round_
        for path in sorted(wanted):
            assert (paths.public / path).read_bytes() == planned[path], (round_, path)
        story = paths.content / "b.md"
        story.write_text(story.read_text().replace("The group acted alone.", "It acted alone."))
        planned = pipeline.plan(paths, options).outputs
        pipeline.build(paths, options)
    quote = next((paths.public / "b/embed/quote").glob("us-*"))
    assert b"It acted alone." in (quote / "index.html").read_bytes()
