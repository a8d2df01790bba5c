"""Tooltips taken from the server-drawn SVG (onrecord/views/tips.py), so no page needs Vega for
them."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from onrecord.views import tips

SPEC = {
    "data": {"name": "quotes", "values": [{"params": "in the data, not the spec"}]},
    "layer": [
        {"mark": "rule", "encoding": {
            "x": {"field": "date", "timeUnit": "yearmonthdate", "type": "temporal"},
            "tooltip": [{"field": "date_label", "title": "When"},
                        {"field": "label", "title": "Event"}]}},
        {"mark": "point", "encoding": {
            "x": {"field": "date", "timeUnit": "yearmonthdate", "type": "temporal"},
            "y": {"field": "speaker", "type": "nominal"},
            "color": {"field": "stance", "title": "Stance"},
            "tooltip": [{"field": "speaker", "title": "Who"},
                        {"field": "stance", "title": "Stance"},
                        {"field": "text", "title": "Said"}]}},
        {"mark": "text", "encoding": {"text": {"field": "label"}}},
    ],
}

SVG = ('<svg><g class="mark-rule role-mark layer_0_marks">'
       '<line aria-label="date (year-month-date): Mar 22, 2024; When: 22 March 2024; '
       'Event: Gunmen attack; 137 killed" role="graphics-symbol" '
       'aria-roledescription="rule mark" x2="0"/></g>'
       '<g class="mark-symbol role-mark layer_1_marks">'
       '<path aria-label="date (year-month-date): Mar 07, 2024; speaker: A &amp; B; '
       'Stance: Supports; Who: A &amp; B; Said: It&#39;s &lt;b&gt;&quot;so&quot;&lt;/b&gt;;'
       ' really" d="M0,0"/></g>'
       '<g class="mark-text role-mark layer_2_marks">'
       '<text aria-label="label: Gunmen attack">x</text></g></svg>')


def _tips(svg: str) -> list[list[list[str]]]:
    return [json.loads(html.unescape(t)) for t in re.findall(r"data-tip='([^']*)'", svg)]


def test_each_mark_gets_its_own_layers_tooltip_in_the_specs_order():
    out = tips.annotate(SVG, SPEC)
    assert _tips(out) == [
        [["When", "22 March 2024"], ["Event", "Gunmen attack; 137 killed"]],   # "; " kept
        [["Who", "A & B"], ["Stance", "Supports"], ["Said", 'It\'s <b>"so"</b>; really']],
    ]
    # the label and role of a mark with a tooltip give way to it; one without is untouched
    assert out.count("aria-label") == 1 and 'aria-label="label: Gunmen attack"' in out
    assert "role=" not in out and "aria-roledescription" not in out
    assert '<line x2="0" data-tip=\'' in out and '\'/></g>' in out   # still well formed


def test_a_tip_cannot_break_out_of_its_attribute():
    out = tips.annotate(SVG, SPEC)
    for value in re.findall(r"data-tip='([^']*)'", out):
        assert "<" not in value and "'" not in value
    assert out.count("data-tip='") == 2 and out.count("'") == 4    # only the quotes around


def test_a_spec_with_no_tooltip_leaves_the_svg_as_it_was():
    spec = {"mark": "bar", "encoding": {"x": {"field": "a"}}}
    assert tips.annotate(SVG, spec) == SVG


def test_mark_tooltip_true_shows_every_encoded_field():
    spec = {"mark": {"type": "bar", "tooltip": True},
            "encoding": {"x": {"field": "a", "title": "A"}, "y": {"field": "b"}}}
    svg = '<svg><path aria-label="A: 1; b: two; three"/></svg>'
    assert _tips(tips.annotate(svg, spec)) == [[["A", "1"], ["b", "two; three"]]]


def test_only_selections_and_bound_inputs_need_the_runtime():
    assert not tips.needs_runtime(SPEC)           # "params" inside the data does not count
    assert tips.needs_runtime({**SPEC, "params": [{"name": "pick", "select": "point"}]})
    layered = {"layer": [{"mark": "bar", "params": [{"name": "h", "select": "interval"}]}]}
    assert tips.needs_runtime(layered)


def test_every_statement_of_the_seed_story_is_a_tip_of_its_own(example_site: Path):
    page = (example_site / "crocus-city-hall-attack" / "index.html").read_text()
    quotes = json.loads((example_site / "crocus-city-hall-attack" / "quotes.json").read_text())
    timeline = page[page.index('id="chart-timeline"'):]
    timeline = timeline[:timeline.index("</figure>")]
    said = [dict(t).get("Said") for t in _tips(timeline)]
    assert sorted(s for s in said if s) == sorted(q["text"] for q in quotes["quotes"])
    assert "data-spec" not in page and '<script type="application/json"' not in page
