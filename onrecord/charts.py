"""Charts of the statements: Vega-Lite specs built once per site, each story's rows injected.

Building an Altair chart and calling `to_dict` costs milliseconds; doing it once per
site and then adding each story's rows as top-level `datasets` costs microseconds. A
site can add its own charts as Vega-Lite JSON files in `site/charts/NAME.json` that
read the same named datasets (`quotes`, `events`, `cells`): see docs/charts.md.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from onrecord.config import SiteConfig
from onrecord.matrix import Matrix, date_span, long_date
from onrecord.model import Story
from onrecord.problems import Problems

Spec = dict[str, Any]
Rows = dict[str, list[dict[str, Any]]]
TABLES = {
    "quotes": (("date_label", "Date"), ("speaker", "Speaker"), ("topic", "Claim"),
               ("stance", "Stance"), ("text", "Statement"), ("source", "Source")),
    "cells": (("speaker", "Speaker"), ("topic", "Claim"), ("stance", "Latest stance"),
              ("count", "Statements")),
    "events": (("date_label", "Date"), ("label", "Event")),
}
EVENT_ROWS = 3  # event labels are staggered over this many lines so they don't overlap
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class ChartKind:
    """A chart a story can place with `{{ chart NAME }}`."""

    name: str
    title: str
    spec: Callable[[SiteConfig], Spec]
    describe: Callable[[Story], str]
    table: str = "quotes"     # the dataset shown as the chart's data table


@dataclass(frozen=True)
class Chart:
    """One chart of one story: the full spec (with data) and a sentence that says what it shows."""

    name: str
    title: str
    spec: Spec
    description: str
    table: str = "quotes"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(title for _, title in TABLES[self.table])

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        """The chart's data as a table a reader can check it against."""
        fields = [name for name, _ in TABLES[self.table]]
        return [tuple(row[f] for f in fields) for row in self.spec["datasets"][self.table]]

    @cached_property
    def json(self) -> str:
        """The spec as JSON that is safe inside a <script type="application/json"> element."""
        text = json.dumps(self.spec, ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def rows(story: Story, matrix: Matrix) -> Rows:
    """The story as the tables every chart reads: one row a quote, an event, a matrix cell."""
    order = {a.id: n for n, a in enumerate(r.actor for r in matrix.rows)}
    quotes = [{
        "lane": lane,
        "id": q.id, "actor": q.actor.id, "speaker": q.actor.name, "role": q.actor.role,
        "group": q.actor.group, "actor_order": order[q.actor.id], "date": q.date.isoformat(),
        "date_label": long_date(q.date), "topic": q.topic.label, "stance": q.stance.label,
        "text": _clip(q.text), "paraphrase": q.paraphrase,
        "source": q.source.name if q.source else "",
    } for q, lane in zip(story.quotes, _lanes(story), strict=True)]
    events = [{"date": e.date.isoformat(), "date_label": long_date(e.date), "label": e.label,
               "label_row": n % EVENT_ROWS} for n, e in enumerate(story.events)]
    cells = [{"speaker": c.actor.name, "actor_order": order[c.actor.id], "topic": c.topic.label,
              "topic_order": t, "stance": c.stance.label, "count": len(c.quotes)}
             for row in matrix.rows for t, c in enumerate(row.cells) if c.quotes]
    return {"quotes": quotes, "events": events, "cells": cells}


def _lanes(story: Story) -> list[int]:
    """For each quote, how many earlier quotes its speaker gave that day: its row offset."""
    seen: Counter[tuple[str, object]] = Counter()
    lanes = []
    for quote in story.quotes:
        lanes.append(seen[quote.actor.id, quote.date])
        seen[quote.actor.id, quote.date] += 1
    return lanes


def _clip(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _stance_scale(config: SiteConfig) -> tuple[Any, Any]:
    import altair as alt

    labels = [s.label for s in config.stances]
    color = alt.Color("stance:N", title="Stance", scale=alt.Scale(
        domain=labels, range=[s.color for s in config.stances]))
    shape = alt.Shape("stance:N", title="Stance", scale=alt.Scale(
        domain=labels, range=[s.symbol for s in config.stances]))
    return color, shape


def _finish(chart: Any, config: SiteConfig) -> Spec:
    spec = chart.properties(width=config.chart_width).configure(
        font=FONT, background="#ffffff").configure_view(stroke=None).configure_axis(
        labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#222",
        gridColor="#e3e3e3").configure_legend(labelFontSize=12, titleFontSize=12,
                                              orient="bottom", labelLimit=220).to_dict()
    spec.pop("datasets", None)
    return spec


def timeline_spec(config: SiteConfig) -> Spec:
    import altair as alt

    color, shape = _stance_scale(config)
    y = alt.Y("speaker:N", title=None, sort=alt.EncodingSortField("actor_order"),
              axis=alt.Axis(labelLimit=180))
    x = alt.X("date:T", timeUnit="utcyearmonthdate", title=None,
              axis=alt.Axis(format="%-d %b", labelAngle=0, labelOverlap="greedy",
                            tickCount={"interval": "day", "step": 7}))
    points = alt.Chart(alt.NamedData(name="quotes")).mark_point(
        size=140, filled=True, opacity=0.9, stroke="#ffffff", strokeWidth=1).encode(
        x=x, y=y, color=color, shape=shape,
        yOffset=alt.YOffset("lane:O", scale=alt.Scale(paddingOuter=0.5)),
        tooltip=[alt.Tooltip("speaker:N", title="Who"), alt.Tooltip("date_label:N", title="When"),
                 alt.Tooltip("topic:N", title="On"), alt.Tooltip("stance:N", title="Stance"),
                 alt.Tooltip("text:N", title="Said"), alt.Tooltip("source:N", title="Source")])
    rules = alt.Chart(alt.NamedData(name="events")).mark_rule(
        color="#777", strokeDash=[4, 3]).encode(
        x=alt.X("date:T", timeUnit="utcyearmonthdate"),
        tooltip=[alt.Tooltip("date_label:N", title="When"), alt.Tooltip("label:N", title="Event")])
    labels = [alt.Chart(alt.NamedData(name="events")).transform_filter(
        f"datum.label_row == {row}").mark_text(
        align="left", baseline="top", dx=4, fontSize=11, color="#444", limit=180).encode(
        x=alt.X("date:T", timeUnit="utcyearmonthdate"), y=alt.value(2 + 14 * row),
        text="label:N") for row in range(EVENT_ROWS)]
    return _finish(alt.layer(rules, points, *labels).properties(
        height=alt.Step(44, **{"for": "position"})), config)


def stances_spec(config: SiteConfig) -> Spec:
    import altair as alt

    color, _ = _stance_scale(config)
    order = {s.label: n for n, s in enumerate(config.stances)}
    chart = alt.Chart(alt.NamedData(name="quotes")).transform_calculate(
        stance_order=f"indexof({json.dumps(list(order))}, datum.stance)").mark_bar().encode(
        y=alt.Y("speaker:N", title=None, sort=alt.EncodingSortField("actor_order"),
                axis=alt.Axis(labelLimit=180)),
        x=alt.X("count():Q", title="Statements", axis=alt.Axis(tickMinStep=1, format="d")),
        color=color, order=alt.Order("stance_order:Q"),
        tooltip=[alt.Tooltip("speaker:N", title="Who"), alt.Tooltip("stance:N", title="Stance"),
                 alt.Tooltip("count():Q", title="Statements")])
    return _finish(chart.properties(height=alt.Step(30)), config)


def topics_spec(config: SiteConfig) -> Spec:
    import altair as alt

    color, _ = _stance_scale(config)
    base = alt.Chart(alt.NamedData(name="cells")).encode(
        x=alt.X("topic:N", title=None, sort=alt.EncodingSortField("topic_order"),
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=150)),
        y=alt.Y("speaker:N", title=None, sort=alt.EncodingSortField("actor_order"),
                axis=alt.Axis(labelLimit=180)))
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=color, tooltip=[alt.Tooltip("speaker:N", title="Who"),
                              alt.Tooltip("topic:N", title="On"),
                              alt.Tooltip("stance:N", title="Latest stance"),
                              alt.Tooltip("count:Q", title="Statements")])
    counts = base.mark_text(fontSize=13, fontWeight="bold", color="#ffffff").encode(
        text="count:Q")
    return _finish(alt.layer(cells, counts).properties(height=alt.Step(40)), config)


def _describe_timeline(story: Story) -> str:
    quotes = story.quotes
    speakers = len({q.actor.id for q in quotes})
    text = (f"{len(quotes)} statement{'s' * (len(quotes) != 1)} by {speakers} "
            f"speaker{'s' * (speakers != 1)} {date_span(quotes[0].date, quotes[-1].date)}")
    if story.events:
        text += f", with {len(story.events)} event{'s' * (len(story.events) != 1)} marked"
    return text + "."


def _describe_stances(story: Story) -> str:
    parts = []
    for actor in story.actors:
        counts = Counter(q.stance.label.lower() for q in story.quotes if q.actor == actor)
        if counts:
            detail = ", ".join(f"{label} {n}" for label, n in counts.most_common())
            parts.append(f"{actor.name}: {detail}")
    return "Statements by stance. " + "; ".join(parts) + "."


def _describe_topics(story: Story) -> str:
    cells = {(q.actor.id, q.topic.id) for q in story.quotes}
    total = len(story.actors) * len(story.topics)
    return (f"Latest stance of each of {len(story.actors)} speakers on {len(story.topics)} "
            f"claims; {len(cells)} of {total} combinations have a statement on record.")


STANDARD = (
    ChartKind("timeline", "Who said what, when", timeline_spec, _describe_timeline),
    ChartKind("stances", "Stances by speaker", stances_spec, _describe_stances),
    ChartKind("topics", "Latest stance on each claim", topics_spec, _describe_topics, "cells"),
)


def _site_chart(path: Path, spec: Spec) -> ChartKind:
    title = str(spec.get("title") or spec.get("description") or path.stem)
    data = spec.get("data")
    table = data.get("name") if isinstance(data, dict) and data.get("name") in TABLES else "quotes"
    return ChartKind(path.stem, title, lambda config: spec,
                     lambda story: str(spec.get("description") or title).rstrip(".") + ".", table)


def kinds(charts_dir: Path, problems: Problems) -> tuple[ChartKind, ...]:
    """The standard charts and the site's own (`site/charts/NAME.json`), by name."""
    found = list(STANDARD)
    if charts_dir.is_dir():
        for path in sorted(charts_dir.glob("*.json")):
            try:
                spec = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                problems.add(path.as_posix(), getattr(error, "lineno", None),
                             f"chart spec is not valid JSON: {error}",
                             "fix the JSON; a Vega-Lite spec is one {...} object")
                continue
            if not isinstance(spec, dict):
                problems.add(path.as_posix(), 1, "chart spec must be a JSON object",
                             "write a Vega-Lite spec as {...}")
                continue
            found = [k for k in found if k.name != path.stem] + [_site_chart(path, spec)]
    return tuple(found)


@dataclass(frozen=True)
class Charts:
    """Every chart spec of the site, built once; `for_story` only injects rows."""

    kinds: tuple[ChartKind, ...]
    config: SiteConfig

    @cached_property
    def templates(self) -> dict[str, Spec]:
        return {kind.name: kind.spec(self.config) for kind in self.kinds}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(kind.name for kind in self.kinds)

    def for_story(self, story: Story, matrix: Matrix, names: tuple[str, ...]) -> tuple[Chart, ...]:
        data = rows(story, matrix)
        by_name = {kind.name: kind for kind in self.kinds}
        return tuple(Chart(name, by_name[name].title,
                           {**self.templates[name], "datasets": data},
                           by_name[name].describe(story), by_name[name].table) for name in names)
