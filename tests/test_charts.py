"""Chart specs: valid Vega-Lite, built once per site, rendered to SVG once per content."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import altair as alt
import jsonschema
import pytest

from onrecord.builder import pipeline
from onrecord.stories import people
from onrecord.stories.paths import Paths
from onrecord.stories.problems import BuildFailed, Problems
from onrecord.views import actor_chart, charts, matrix, svg
from onrecord.website import actors
from tests.conftest import REPO, VALID_STORY

SCHEMA = Path(alt.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"


@pytest.fixture(scope="module")
def site():
    """The repository's own config, charts and stories, loaded once."""
    return pipeline.stories(Paths.at(REPO), pipeline.Options(), Problems())


@pytest.fixture(scope="module")
def seed_charts(site):
    _, chart_set, stories = site
    story = next(s for s in stories if s.slug == "crocus-city-hall-attack")
    return story, chart_set.for_story(story, matrix.for_story(story), chart_set.names)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def test_every_chart_spec_with_its_data_is_valid_vega_lite(seed_charts, validator):
    _, story_charts = seed_charts
    assert {c.name for c in story_charts} >= {"timeline", "stances", "topics"}
    for chart in story_charts:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
                  for e in validator.iter_errors(chart.spec)]
        assert errors == [], chart.name


def test_specs_are_built_once_and_stories_only_inject_rows(site, monkeypatch):
    config, chart_set, stories = site
    fresh = charts.Charts(chart_set.kinds, config)
    assert fresh.templates  # built here, once

    def forbidden(*args, **kwargs):
        raise AssertionError("Altair's to_dict called for a story")

    monkeypatch.setattr(alt.TopLevelMixin, "to_dict", forbidden)
    for story in stories:
        made = fresh.for_story(story, matrix.for_story(story), fresh.names)
        assert [len(c.spec["datasets"]["quotes"]) for c in made] == [len(story.quotes)] * len(made)


def test_description_and_table_come_from_the_data(seed_charts):
    story, story_charts = seed_charts
    by_name = {c.name: c for c in story_charts}
    assert by_name["timeline"].description == (
        "9 statements by 5 speakers between 7 and 25 March 2024, with 2 events marked.")
    assert "Dmitri Peskov: declines to comment 2, disputes 1" in by_name["stances"].description
    assert len(by_name["timeline"].rows) == len(story.quotes)
    assert by_name["topics"].columns == ("Speaker", "Claim", "Latest stance", "Statements")


def test_stance_colours_and_shapes_come_from_the_site_config(seed_charts, site):
    config = site[0]
    timeline = next(c for c in seed_charts[1] if c.name == "timeline").spec
    scales = [layer["encoding"][channel]["scale"] for layer in timeline["layer"]
              if "color" in layer.get("encoding", {}) for channel in ("color", "shape")]
    assert scales[0]["range"] == [s.color.lower() for s in config.stances]
    assert scales[1]["range"] == [s.symbol for s in config.stances]


def test_dark_mode_repaints_every_colour_the_svg_uses(seed_charts, site, tmp_path):
    """Each colour Vega writes must have a dark-mode pair, or it would vanish on dark paper."""
    css = charts.theme_css(site[0].stances)
    mapped = set(re.findall(r'\[(?:fill|stroke)="(#[0-9a-f]{6})"\]', css))
    rendered = svg.render_all(seed_charts[1], tmp_path, Problems())
    used = {colour for text in rendered.values()
            for colour in re.findall(r'(?:fill|stroke)="([^"]+)"', text)}
    assert used - {"none", "transparent"} <= mapped


def test_site_chart_from_site_charts_json_is_placed_rendered_and_tabled(project):
    spec = {
        "title": "Statements per claim",
        "description": "How many statements each claim drew",
        "data": {"name": "quotes"},
        "mark": "bar",
        "encoding": {"y": {"field": "topic", "type": "nominal", "title": None},
                     "x": {"aggregate": "count", "type": "quantitative", "title": "Statements"}},
    }
    story = VALID_STORY.replace("{{ matrix }}", "{{ chart per-claim }}")
    paths = project({"content/a.md": story, "site/charts/per-claim.json": json.dumps(spec)})
    html = pipeline.plan(paths).outputs["a/index.html"].decode()
    figure = html[html.index('id="chart-per-claim"'):]
    figure = figure[:figure.index("</figure>")]
    assert "Statements per claim" in figure and "How many statements each claim drew." in figure
    assert "<svg" in figure and 'role="img"' in figure
    assert figure.count("<tr>") == 3  # header + one row per quote
    assert "charts." in html and "vega-runtime" not in html  # no selection: no Vega


def test_a_site_chart_with_a_selection_names_the_runtime_for_charts_js(project):
    spec = {"title": "Pick a claim", "data": {"name": "quotes"}, "mark": "bar",
            "params": [{"name": "pick", "select": {"type": "point", "on": "pointerover"}}],
            "encoding": {"y": {"field": "topic", "type": "nominal"},
                         "x": {"aggregate": "count", "type": "quantitative"}}}
    story = VALID_STORY.replace("{{ matrix }}", "{{ chart pick }}")
    paths = project({"content/a.md": story, "site/charts/pick.json": json.dumps(spec)})
    html = pipeline.plan(paths).outputs["a/index.html"].decode()
    script = re.search(r'<script src="[^"]*/charts\.[0-9a-f]+\.js" defer[^>]*>', html)
    assert script and "data-runtime=" in script.group(0) and "vega-runtime." in script.group(0)
    assert 'data-spec="chart-pick-spec"' in html and 'id="chart-pick-spec"' in html


@pytest.mark.parametrize(("spec", "expected"), [
    ({"data": {"name": "quotes"}, "mark": "nonsense"}, "chart 'bad' cannot be drawn"),
    ({"data": {"url": "https://example.org/x.csv"}, "mark": "bar"}, "reads data it is not given"),
    ({"layer": [{"data": {"name": "quotez"}, "mark": "bar"}]}, "reads data it is not given"),
])
def test_broken_site_chart_is_a_problem_on_its_file_not_a_traceback(project, spec, expected):
    story = VALID_STORY.replace("{{ matrix }}", "{{ chart bad }}")
    paths = project({"content/a.md": story, "site/charts/bad.json": json.dumps(spec)})
    with pytest.raises(BuildFailed) as failure:
        pipeline.plan(paths)
    [problem] = failure.value.errors
    assert problem.path.endswith("site/charts/bad.json") and expected in problem.message
    assert "docs/charts.md" in problem.hint


def test_unknown_chart_name_is_a_clear_error(project):
    story = VALID_STORY.replace("{{ matrix }}", "{{ chart nosuch }}")
    with pytest.raises(Exception) as failure:
        pipeline.plan(project({"content/a.md": story}))
    assert "nosuch" in str(getattr(failure.value, "problems", failure.value))


def test_second_build_renders_no_svg_and_changed_data_renders_only_its_charts(project,
                                                                            monkeypatch):
    calls: list[dict] = []
    real = svg._render
    monkeypatch.setattr(svg, "_render", lambda spec: calls.append(spec) or real(spec))
    story = VALID_STORY.replace("{{ matrix }}", "{{ chart timeline }}\n\n{{ chart stances }}")
    other = story.replace("stance: supports", "stance: disputes")
    paths = project({"content/a.md": story, "content/b.md": other})
    first = pipeline.plan(paths).outputs
    assert len(calls) == 6  # two stories, two charts each; two speakers' pages, one each
    cached = sorted((paths.cache / "svg").glob("*.svg"))
    stamps = [p.stat().st_mtime_ns for p in cached]
    assert pipeline.plan(paths).outputs == first
    assert len(calls) == 6  # every SVG came from the cache
    assert [p.stat().st_mtime_ns for p in cached] == stamps
    (paths.content / "a.md").write_text(story.replace("The group acted alone.",
                                                      "The group acted alone, we said."))
    assert "acted alone, we said" in pipeline.plan(paths).outputs["a/index.html"].decode()
    assert len(calls) == 6  # new words in tooltips only: filled into the SVGs drawn before
    (paths.content / "a.md").write_text(story.replace("stance: supports", "stance: questions"))
    pipeline.plan(paths)
    assert len(calls) == 9  # a's two charts and its speaker's again; the rest from the cache
    assert all(any(row.get("stance") == "Questions" for row in spec["datasets"]["quotes"])
               for spec in calls[6:])


def test_vega_runtime_is_vendored_hashed_and_only_charts_js_loads_deferred_with_charts(project):
    charted = VALID_STORY.replace("{{ matrix }}", "{{ matrix }}\n\n{{ chart stances }}")
    outputs = pipeline.plan(project({"content/a.md": VALID_STORY,
                                     "content/b.md": charted})).outputs
    runtime = [path for path in outputs if re.fullmatch(r"static/vega-runtime\.[0-9a-f]{10}\.js",
                                                         path)]
    assert len(runtime) == 1 and b"vegaEmbed" in outputs[runtime[0]]  # for a chart that asks
    tips = [path for path in outputs if re.fullmatch(r"static/charts\.[0-9a-f]{10}\.js", path)]
    charted_page = outputs["b/index.html"].decode()
    assert f'<script src="/{tips[0]}" defer></script>' in charted_page
    assert "vega-runtime" not in charted_page          # the standard charts never need Vega
    for page in ("a/index.html", "index.html"):
        assert "vega-runtime" not in outputs[page].decode()
        assert "/static/charts." not in outputs[page].decode()


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_stance_colours_and_chart_text_meet_wcag_aa_in_both_schemes(site):
    """Stance colours are used as text (glyphs, labels) and under the heatmap's counts."""
    page_light, page_dark = "#fbfaf7", "#15171b"  # style.css --bg
    for stance in site[0].stances:
        for background in (charts.PAPER[0], page_light):
            assert contrast(stance.color, background) >= 4.5, stance.id
        for background in (charts.PAPER[1], page_dark):
            assert contrast(stance.dark_color, background) >= 4.5, stance.id
        # the count printed on a heatmap cell: paper-coloured text on the stance colour
        assert contrast(charts.PAPER[0], stance.color) >= 4.5, stance.id
        assert contrast(charts.PAPER[1], stance.dark_color) >= 4.5, stance.id
    for light, dark in (charts.INK, charts.MUTED):
        assert contrast(light, charts.PAPER[0]) >= 4.5 and contrast(dark, charts.PAPER[1]) >= 4.5
    assert contrast(charts.AXIS[0], charts.PAPER[0]) >= 3 and contrast(charts.AXIS[1],
                                                                      charts.PAPER[1]) >= 3


def _points(svg_text: str) -> list[tuple[float, float]]:
    """Centres of the data points (Vega's symbol marks) in a chart's SVG."""
    return [(float(x), float(y)) for x, y in re.findall(
        r'aria-roledescription="point" transform="translate\(([-\d.]+),([-\d.]+)\)"', svg_text)]


def test_every_timeline_statement_is_a_point_of_its_own(seed_charts, tmp_path):
    """Peskov's three statements of 25 March (and Zakharova's two) must not overprint:
    each point sits clear of every other, so each can be seen and hovered."""
    story, story_charts = seed_charts
    timeline = next(c for c in story_charts if c.name == "timeline")
    points = _points(next(iter(svg.render_all([timeline], tmp_path, Problems()).values())))
    assert len(points) == len(story.quotes)
    diameter = 2 * (140 / 3.1416) ** 0.5          # the point mark's size is its area
    gaps = [((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5
            for n, (ax, ay) in enumerate(points) for bx, by in points[n + 1:]]
    assert min(gaps) > diameter + 1, sorted(gaps)[:3]


def test_labels_are_unlimited_only_when_each_surely_fits(seed_charts, site):
    assert charts.fits(["Dmitri Peskov", "US government"], 180)
    assert not charts.fits(["Mikhail Vladimirovich Mishustin-Konstantinopolsky"], 180)
    assert not charts.fits(["Ш" * 14], 180)   # outside the measured characters: 1.25 em each
    assert charts.fits(["short\nlines, each\nfits"], 100)
    _, story_charts = seed_charts
    assert {c.spec["config"]["axisY"]["labelLimit"] for c in story_charts} == {0}
    _, chart_set, stories = site
    story = next(s for s in stories if s.slug == "crocus-city-hall-attack")
    long = dataclasses.replace(story.quotes[0].actor, name="Mikhail Vladimirovich Mishustin "
                               "of the Government of the Russian Federation")
    quotes = (dataclasses.replace(story.quotes[0], actor=long), *story.quotes[1:])
    [timeline] = chart_set.for_story(dataclasses.replace(story, quotes=quotes),
                                     matrix.for_story(story), ("timeline",))
    assert timeline.spec["config"]["axisY"]["labelLimit"] == charts.LABEL_LIMIT


# what an editor may type: XML's specials, quotes, a tab and line breaks
TRICKY = "Ben & Jerry's <b>\"scoop\"</b>\ton > ice\r\ncream"


def _speaker_charts(site, story) -> dict[str, charts.Chart]:
    return actor_chart.charts(actors.records([story], people.resolve([story], {})), site[0])


def _reworded(story, title: str, text: str):
    """`story` retitled, its first statement reworded: edits that move no mark."""
    return dataclasses.replace(story, title=title, quotes=(
        dataclasses.replace(story.quotes[0], text=text), *story.quotes[1:]))


def test_a_title_or_wording_edit_draws_no_chart_again(site, seed_charts):
    """The SVG cache key is what is drawn: a new title (in every speaker chart's tooltips)
    or a reworded statement must not send vl-convert to redraw any chart."""
    _, chart_set, _ = site
    story, _ = seed_charts
    edited = _reworded(story, TRICKY, "Reworded & <clipped>.")

    def keys(s):
        made = [*chart_set.for_story(s, matrix.for_story(s), chart_set.names),
                *_speaker_charts(site, s).values()]
        return [svg.key(c) for c in made]

    assert len(keys(story)) > 3 and keys(story) == keys(edited)
    # what the tokens stand for did change, so the page does
    assert all(TRICKY in c.texts for c in _speaker_charts(site, edited).values())
    assert all(story.title not in c.drawn for c in _speaker_charts(site, story).values())


def test_the_drawing_filled_in_is_the_svg_of_all_the_data_byte_for_byte(site, seed_charts):
    """What a chart's `draws` and `tips` leave out moves nothing, and `fill` escapes a text
    as Vega does: the SVG is the one drawn from the whole spec with the real texts."""
    _, chart_set, _ = site
    story = _reworded(seed_charts[0], TRICKY, TRICKY)
    made = [*chart_set.for_story(story, matrix.for_story(story), chart_set.names),
            *list(_speaker_charts(site, story).values())[:2]]
    assert {c.name for c in made} >= {"timeline", "stances", "topics", actor_chart.NAME}
    for chart in made:
        assert chart.drawn != chart.json, chart.name
        ok, whole = svg.attempt(chart.spec)
        drawn_ok, drawn = svg.attempt(json.loads(chart.drawn))
        assert ok and drawn_ok
        assert svg.fill(drawn, chart.texts) == whole, chart.name
    assert "Ben &amp; Jerry's &lt;b&gt;&quot;scoop&quot;" in whole


def test_a_speaker_page_tooltip_names_the_story_by_its_real_title(project):
    title = TRICKY.replace("\r\n", " ")
    story = VALID_STORY.replace("title: A valid story", f"title: {json.dumps(title)}")
    paths = project({"content/a.md": story})
    outputs = pipeline.plan(paths).outputs
    page = next(v.decode() for k, v in outputs.items()
                if k.startswith("actors/") and "peskov" in k and k.endswith("index.html"))
    chart = page[page.index("<svg"):page.index("</svg>")]
    tips = [json.loads(html.unescape(t)) for t in re.findall(r"data-tip='([^']*)'", chart)]
    assert tips and all(["Story", " ".join(title.split())] in t for t in tips)
    assert "\u27e6" not in page and "<b>" not in chart


def test_a_drawn_text_that_looks_like_a_token_draws_the_whole_spec(seed_charts, site):
    _, chart_set, _ = site
    story, _ = seed_charts
    odd = dataclasses.replace(story.quotes[0].actor, name="Agent \u27e60\u27e7")
    quotes = (dataclasses.replace(story.quotes[0], actor=odd), *story.quotes[1:])
    edited = dataclasses.replace(story, quotes=quotes)
    [timeline] = chart_set.for_story(edited, matrix.for_story(edited), ("timeline",))
    assert timeline.drawn == timeline.json and timeline.texts == ()
