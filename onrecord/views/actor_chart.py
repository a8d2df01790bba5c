"""One chart per speaker: their stance on each claim over time, across every story.

Like the story charts, the Vega-Lite spec is built once per site and each speaker's
rows are injected as the `quotes` dataset, so a site with many speakers stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from onrecord.stories.config import SiteConfig
from onrecord.stories.model import Quote, Story
from onrecord.stories.words import count
from onrecord.views.charts import (
    POINT_SIZE,
    ROW,
    Chart,
    Spec,
    _clip,
    _finish,
    _stance_scale,
    row_offset,
    stack,
    unlimited,
    wrap,
)
from onrecord.views.matrix import date_span, long_date
from onrecord.website.actors import Record

NAME = "stance-over-time"
TITLE = "Stance on each claim over time"
CLAIM_LINE = 24     # characters a line of a claim's label: about 175 px of 12 px Verdana
PADDING = 0.25      # rows of space above the first claim and below the last
MIN_WIDTH = 460     # px below which the live chart scrolls rather than shrink
# What the marks depend on, and what only the tooltips show: a story's title among them,
# so retitling a story draws none of its speakers' charts again (see charts.Chart.drawn)
DRAWS = ("quotes.date", "quotes.offset", "quotes.topic_lines", "quotes.topic_order",
         "quotes.stance")
TIPS = ("quotes.date_label", "quotes.topic", "quotes.story", "quotes.text")


def spec(config: SiteConfig) -> Spec:
    """The chart without data: a point per statement, claim by claim, coloured by stance."""
    import altair as alt

    color, shape = _stance_scale(config)
    chart = alt.Chart(alt.NamedData(name="quotes")).mark_point(
        size=POINT_SIZE, filled=True, opacity=0.9, stroke="#ffffff", strokeWidth=1).encode(
        x=alt.X("date:T", timeUnit="utcyearmonthdate", title=None,
                axis=alt.Axis(format="%-d %b %Y", labelAngle=0, labelOverlap="greedy")),
        # claims wrap onto lines (at most 3 fit a row) so the plot, not the labels, gets
        # the width; the tooltip and the data table keep each claim whole
        y=alt.Y("topic_lines:N", title=None, sort=alt.EncodingSortField("topic_order"),
                scale=alt.Scale(paddingInner=0, paddingOuter=PADDING),
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')")),
        yOffset=row_offset(),
        color=color, shape=shape,
        tooltip=[alt.Tooltip("date_label:N", title="When"), alt.Tooltip("topic:N", title="On"),
                 alt.Tooltip("stance:N", title="Stance"), alt.Tooltip("story:N", title="Story"),
                 alt.Tooltip("text:N", title="Said")])
    return _finish(chart, config)


def rows(quotes: Iterable[tuple[Story, Quote]]) -> list[dict[str, Any]]:
    ordered = sorted(quotes, key=lambda sq: (sq[1].date, sq[0].slug))
    topics = {label: n for n, label in enumerate(dict.fromkeys(q.topic.label for _, q in ordered))}
    lanes = stack(ordered, key=lambda sq: (sq[1].topic.label, sq[1].date))
    return [{"date": q.date.isoformat(), "lane": lane, "offset": offset,
             "date_label": long_date(q.date),
             "speaker": q.actor.name,
             "topic": q.topic.label, "topic_lines": wrap(q.topic.label, CLAIM_LINE),
             "topic_order": topics[q.topic.label], "stance": q.stance.label,
             "story": s.title, "text": _clip(q.text), "source": q.source.name if q.source else ""}
            for (s, q), (lane, offset) in zip(ordered, lanes, strict=True)]


def chart(template: Spec, name: str, quotes: list[tuple[Story, Quote]]) -> Chart:
    """`template` (from `spec`, built once) with this speaker's statements injected."""
    data = rows(quotes)
    dates = [q.date for _, q in quotes]
    claims = len({row["topic"] for row in data})
    description = (f"{count(len(data), 'statement')} by {name} on {count(claims, 'claim')} "
                   f"{date_span(min(dates), max(dates))}, "
                   "each marked with its stance.")
    # A number, not a step, so the live view can fit its card's width (see onrecord.js);
    # on a phone it scrolls in its card rather than shrink.
    height = round(ROW * (claims + 2 * PADDING))
    spec = unlimited({**template, "height": height, "datasets": {"quotes": data}},
                     (row["topic_lines"] for row in data))
    return Chart(NAME, TITLE, spec, description, min_width=MIN_WIDTH, draws=DRAWS, tips=TIPS)


def charts(records: Mapping[str, Record], config: SiteConfig) -> dict[str, Chart]:
    """{person id: chart} for every speaker; the spec is built once for all of them."""
    if not records:
        return {}
    template = spec(config)
    return {pid: chart(template, r.person.name, list(r.quotes)) for pid, r in records.items()}
