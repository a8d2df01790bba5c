"""The built example site, read back with a real HTML parser: the seed story as readers get it."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest

from onrecord.builder import pipeline
from tests.conftest import VALID_STORY

NS = {"h": "http://www.w3.org/1999/xhtml"}
SEED = "crocus-city-hall-attack"

# Every direct quote in the seed article, verbatim, with who said it.
DIRECT_QUOTES = {
    "You ask a question related to the progress of the investigation. We do not comment on "
    "that in any way. We have no right to do so. But we urge you to rely on the information "
    "provided by our law enforcement agencies.": "Dmitri Peskov",
    "The investigation continues. No solid theory has been announced just yet. This is only a "
    "matter of preliminary information.": "Dmitri Peskov",
    "No, our security services are working on their own, no assistance is currently on the "
    "table.": "Dmitri Peskov",
    "Attention – a question to the White House: Are you sure it’s Isis? Might you think again "
    "about that?": "Maria Zakharova",
}
# Words the article quotes inside reported speech, which must stay verbatim too.
QUOTED_FRAGMENTS = {"“open a window”": "Vladimir Putin", "“bogeyman”": "Maria Zakharova",
                    "“wards”": "Maria Zakharova"}


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=True)


def text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


@pytest.fixture(scope="module")
def seed(example_site: Path):
    return parse(example_site / SEED / "index.html")


def statements(seed) -> dict[str, tuple[str, str]]:
    """quote text -> (speaker, stance label), from the 'All statements' list."""
    found = {}
    for item in seed.iterfind(".//h:ol[@class='quote-list']/h:li", NS):
        body = item.find(".//*[@class='statement-text']", NS)
        if body is None:
            body = item.find(".//*[@class='statement-text paraphrase']", NS)
        speaker = text(item.find(".//*[@class='speaker']", NS))
        stance = text(item.find(".//h:span[@class='stance-badge']", NS))
        found[text(body).removeprefix("Paraphrase ")] = (speaker, stance)
    return found


def test_every_direct_quote_is_on_the_page_verbatim_with_its_speaker(seed):
    found = statements(seed)
    for quote, speaker in DIRECT_QUOTES.items():
        assert quote in found, f"missing verbatim quote: {quote[:50]}"
        assert found[quote][0] == speaker


def test_reported_speech_keeps_the_quoted_words_and_is_marked_as_paraphrase(seed):
    found = statements(seed)
    for fragment, speaker in QUOTED_FRAGMENTS.items():
        owners = [who for quote, (who, _) in found.items() if fragment in quote]
        assert owners == [speaker], fragment
    flags = seed.findall(".//h:ol[@class='quote-list']//h:span[@class='paraphrase-flag']", NS)
    assert len(flags) == len(found) - len(DIRECT_QUOTES)


def test_headline_dek_byline_and_dates(seed):
    assert text(seed.find(".//h:h1", NS)).startswith("Russia refuses to blame ISIS")
    byline = text(seed.find(".//h:p[@class='byline']", NS))
    assert "25 March 2024" in byline
    time = seed.find(".//h:p[@class='byline']/h:time", NS)
    assert time.get("datetime") == "2024-03-25"


def matrix_cells(seed) -> dict[tuple[str, str], str]:
    """(speaker, claim) -> cell text, from the matrix table."""
    table = seed.find(".//h:table[@class='matrix-table']", NS)
    claims = [text(th) for th in table.findall("./h:thead/h:tr/h:th", NS)][1:]
    cells = {}
    for row in table.iterfind("./h:tbody/h:tr", NS):
        head = row.find("./h:th[@scope='row']", NS)
        if head is None:
            continue
        speaker = text(head.find("./h:span[@class='actor-name']", NS))
        for claim, cell in zip(claims, row.findall("./h:td", NS), strict=True):
            cells[speaker, claim] = text(cell)
    return cells


def test_matrix_has_the_stance_the_article_reports_in_every_cell(seed):
    cells = matrix_cells(seed)
    responsible = "Islamic State carried out the attack"
    assert cells["Dmitri Peskov", responsible].startswith("■ Declines to comment 2 statements")
    assert cells["US government", responsible].startswith("● Supports 2 statements")
    assert cells["Maria Zakharova", responsible].startswith("✖ Disputes 2 statements")
    assert "Questions (25 March 2024) → to Disputes (25 March 2024)" in \
        cells["Maria Zakharova", responsible].replace("Stance changed: ", "")
    assert cells["Vladimir Putin", "Ukraine helped the attackers"].startswith("● Supports")
    assert cells["Dmitri Peskov", "Russia accepts western help with the investigation"] \
        .startswith("✖ Disputes")
    assert cells["Tass", "The suspects are being prosecuted"].startswith("▲ Reports")
    empty = [key for key, value in cells.items() if value == "No statement on record"]
    assert len(cells) == 5 * 4 and len(empty) == 20 - 6


def test_matrix_is_a_real_table(seed):
    table = seed.find(".//h:table[@class='matrix-table']", NS)
    assert text(table.find("./h:caption", NS)) == "Stances of 5 speakers on 4 claims"
    assert all(th.get("scope") == "col" for th in table.findall("./h:thead/h:tr/h:th", NS))
    groups = [text(th) for th in table.findall(".//h:th[@scope='rowgroup']", NS)]
    assert groups == ["Russian government", "United States", "Russian media"]
    summary = seed.find(".//*[@id='matrix-summary']", NS)
    assert table.get("aria-describedby") == "matrix-summary"
    assert text(summary).startswith("9 statements by 5 speakers on 4 claims")


def test_directives_are_placed_where_the_writer_put_them(seed):
    body = seed.find(".//h:div[@class='story-body']", NS)
    order = [child.get("class") or child.get("id") for child in body]
    assert order.index("matrix wrap") < order.index("pull-quote stance-declines")
    assert "chart wrap" in order
    pulls = [text(f.find(".//h:figcaption/h:span[@class='speaker']", NS))
             for f in body.iterfind("./h:figure", NS) if "pull-quote" in f.get("class")]
    assert pulls == ["Dmitri Peskov", "Dmitri Peskov", "Maria Zakharova"]


def test_charts_have_inline_svg_a_description_and_their_data(seed):
    charts = {f.get("id"): f for f in seed.iterfind(".//h:figure", NS)
              if "chart" in (f.get("class") or "").split()}
    assert {"chart-timeline", "chart-stances"} <= set(charts)
    for figure in charts.values():
        svg = figure.find(".//{http://www.w3.org/2000/svg}svg")
        assert svg is not None and svg.get("role") == "img"
        assert text(figure.find(".//h:p[@class='chart-description']", NS))
        # its data as a table, and as tooltips on the marks: no spec for a Vega runtime
        assert figure.find(".//h:details[@class='chart-data']//h:tbody/h:tr", NS) is not None
        assert svg.find(".//*[@data-tip]") is not None
        assert figure.find(".//h:script", NS) is None
    description = text(charts["chart-timeline"].find(".//h:p[@class='chart-description']", NS))
    assert description == ("9 statements by 5 speakers between 7 and 25 March 2024, "
                           "with 2 events marked.")


def test_chronology_lists_the_events(seed):
    events = [text(li) for li in seed.iterfind(".//h:ol[@class='events']/h:li", NS)]
    assert events == ["22 March 2024 Gunmen attack Crocus City Hall; 137 killed",
                      "24 March 2024 Four suspects appear in a Moscow court"]


def test_index_lists_stories_newest_first(example_site: Path):
    index = parse(example_site / "index.html")
    titles = [text(a) for a in index.iterfind(".//h:li[@class='story-card']//h:h2/h:a", NS)]
    assert titles[0].startswith("Sample:") and titles[1].startswith("Russia refuses")


def test_no_page_loads_anything_from_another_host(example_site: Path):
    pages = list(example_site.rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        tree = parse(page)
        for element in tree.iter():
            for attribute in ("src", "href"):
                value = element.get(attribute)
                if value is None or element.tag.endswith("}a"):
                    continue  # links are navigation, not loads
                assert not urlsplit(value).netloc, f"{page.name} loads {value}"
    css = "".join(p.read_text() for p in example_site.rglob("*.css"))
    assert "url(http" not in css and "@import" not in css


def test_story_text_is_escaped_not_interpreted(project):
    paths = project({"content/evil.md": VALID_STORY.replace(
        "We do not comment on that in any way.",
        "\"<script>alert(1)</script> & 'quotes'\"").replace(
        "title: A valid story", "title: '<img src=x onerror=alert(1)>'")})
    pipeline.build(paths)
    page = (paths.public / "evil" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
