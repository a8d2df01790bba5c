"""Charts of the statements: Vega-Lite specs built once per site, each story's rows injected.

Building an Altair chart and calling `to_dict` costs milliseconds; doing it once per
site and then adding each story's rows as top-level `datasets` costs microseconds. A
site can add its own charts as Vega-Lite JSON files in `site/charts/NAME.json` that
read the same named datasets (`quotes`, `events`, `cells`): see docs/charts.md.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from onrecord.stories.config import SiteConfig
from onrecord.stories.model import Stance, Story
from onrecord.stories.problems import Problems
from onrecord.stories.words import count
from onrecord.views.matrix import Matrix, date_span, long_date

Spec = dict[str, Any]
Rows = dict[str, list[dict[str, Any]]]
TABLES = {
    "quotes": (("date_label", "Date"), ("speaker", "Speaker"), ("topic", "Claim"),
               ("stance", "Stance"), ("text", "Statement"), ("source", "Source")),
    "cells": (("speaker", "Speaker"), ("topic", "Claim"), ("stance", "Latest stance"),
              ("count", "Statements")),
    "events": (("date_label", "Date"), ("label", "Event")),
}
T = TypeVar("T")
POINT_SIZE = 140   # a statement's point, by area: a circle about 13 px across
POINT_GAP = 16     # pixels between the centres of statements stacked on one day
POINT_ROOM = 32    # pixels a stack may span, centre to centre, within its row
ROW = 48           # pixels a speaker's (or claim's) row takes: a stack of three fits
# A claim's label in the heatmap wraps at CLAIM_WRAP characters (about 105 px of 12 px
# Verdana), so its column needs CLAIM_COLUMN px; LABELS px are left for the speaker names.
CLAIM_WRAP = 14
CLAIM_COLUMN = 120
LABELS = 160
LABEL_LIMIT = 180  # px a y label may take (a speaker's name, a line of a claim)
# DejaVu Sans's advance of each printable ASCII character, in thousandths of an em
_ADVANCE = dict(zip(map(chr, range(32, 127)), (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838), strict=True))
EVENT_ROWS = 3  # event labels are staggered over this many lines so they don't overlap
# Verdana and DejaVu Sans share their metrics (both from Bitstream Vera's design), so text
# measured at build time by vl-convert (which finds DejaVu on Linux) fits as the reader's
# browser draws it; a narrower system font would leave labels clipped and overlapping.
FONT = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif"

# Chart neutrals as (light, dark) pairs, matching style.css. Specs and SVGs carry the
# light value; `theme_css` repaints each one for dark mode, stance colours included, so
# the static SVG and the live view follow the reader's colour scheme without a re-render.
PAPER = ("#ffffff", "#1e2127")   # card background; also text drawn on a stance colour
INK = ("#1b1b1b", "#ecebe8")     # labels and titles: AA on the card in both schemes
MUTED = ("#575757", "#b3b1ab")   # event rules and labels
GRID = ("#e3e1db", "#3a3e46")    # gridlines: decoration, not information
AXIS = ("#8a8780", "#8c9099")    # axis lines and ticks: 3:1 against the card
WELL = ("#f1efe9", "#2a2e36")    # an empty heatmap cell
NEUTRALS = (PAPER, INK, MUTED, GRID, AXIS, WELL)
# Date ticks name the coarsest unit they fall on: "2024", "Mar", "25 Mar" (day first).
DATE_TICKS = {"year": "%Y", "quarter": "%b", "month": "%b", "week": "%-d %b",
              "date": "%-d %b", "hours": "%H:%M", "minutes": "%H:%M", "seconds": "%H:%M:%S",
              "milliseconds": "%H:%M:%S.%L"}


@dataclass(frozen=True)
class ChartKind:
    """A chart a story can place with `{{ chart NAME }}`."""

    name: str
    title: str
    spec: Callable[[SiteConfig], Spec]
    describe: Callable[[Story], str]
    table: str = "quotes"     # the dataset shown as the chart's data table
    bands: float | None = None  # height in steps beyond one per speaker; None: as in the spec
    min_width: int = 0          # the live view scrolls in its card rather than shrink below this
    column: int = 0             # the least width of one claim's column, px: labels stay apart
    source: str = ""            # the file that defines it; empty for a standard chart
    draws: tuple[str, ...] = ()  # "table.field" its marks depend on; () for all (see Chart)
    tips: tuple[str, ...] = ()   # "table.field" shown only in its tooltips

    def height(self, template: Spec, story: Story) -> Spec:
        """A fixed height for the story's speakers, so the live view can fit its width.

        Vega-Lite drops "fit" sizing for a spec whose height is a step; a number keeps it.
        """
        step = template.get("height")
        if self.bands is None or not isinstance(step, dict):
            return {}
        speakers = len({q.actor.id for q in story.quotes})
        return {"height": round(step["step"] * (speakers + self.bands))}

    def least_width(self, story: Story) -> int:
        """The width below which the chart scrolls rather than shrink: a column a claim."""
        if not self.column:
            return self.min_width
        return max(self.min_width, LABELS + self.column * len({q.topic.id for q in story.quotes}))


@dataclass(frozen=True)
class Chart:
    """One chart of one story: the full spec (with data) and a sentence that says what it shows."""

    name: str
    title: str
    spec: Spec
    description: str
    table: str = "quotes"
    min_width: int = 0
    source: str = ""
    draws: tuple[str, ...] = ()   # "table.field" the drawing depends on; () draws `spec` whole
    tips: tuple[str, ...] = ()    # "table.field" that only a mark's tooltip shows

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

    @property
    def drawn(self) -> str:
        """The spec vl-convert draws, as JSON: its SVG's cache key (onrecord/views/svg.py)."""
        return self._drawing[0]

    @property
    def texts(self) -> tuple[str, ...]:
        """What each token in the drawn SVG stands for: `svg.fill` puts them back."""
        return self._drawing[1]

    @cached_property
    def _drawing(self) -> tuple[str, tuple[str, ...]]:
        """`spec` with only the data its marks depend on, and each text that only a tooltip
        shows (a story's title, a statement) as a token, so that an edit which changes no
        mark (a title, a typo) draws nothing again: the tokens appear only in the marks'
        aria-labels, which position nothing."""
        if not self.draws:
            return self.json, ()
        texts: list[str] = []

        def token(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            texts.append(value)
            return TOKEN.format(len(texts) - 1)

        datasets = {}
        for table, rows in self.spec["datasets"].items():
            kept = [f for t, f in map(_split, self.draws) if t == table]
            tipped = [f for t, f in map(_split, self.tips) if t == table]
            if kept or tipped:
                datasets[table] = [{**{f: row[f] for f in kept if f in row},
                                    **{f: token(row[f]) for f in tipped if f in row}}
                                   for row in rows]
        drawn = json.dumps({**self.spec, "datasets": datasets}, ensure_ascii=False,
                           separators=(",", ":"))
        if drawn.count(TOKEN_MARK) != len(texts):   # a drawn text that looks like a token
            return self.json, ()
        return drawn, tuple(texts)


TOKEN = "\u27e6{}\u27e7"   # ⟦0⟧: brackets no story text is likely to hold
TOKEN_MARK = TOKEN[0]


def _split(name: str) -> tuple[str, str]:
    table, _, field = name.partition(".")
    return table, field


def rows(story: Story, matrix: Matrix) -> Rows:
    """The story as the tables every chart reads: one row a quote, an event, a matrix cell."""
    order = {a.id: n for n, a in enumerate(r.actor for r in matrix.rows)}
    lanes = stack(story.quotes, key=lambda q: (q.actor.id, q.date))
    quotes = [{
        "lane": lane, "offset": offset,
        "id": q.id, "actor": q.actor.id, "speaker": q.actor.name, "role": q.actor.role,
        "group": q.actor.group, "actor_order": order[q.actor.id], "date": q.date.isoformat(),
        "date_label": long_date(q.date), "topic": q.topic.label, "stance": q.stance.label,
        "text": _clip(q.text), "paraphrase": q.paraphrase,
        "source": q.source.name if q.source else "",
    } for q, (lane, offset) in zip(story.quotes, lanes, strict=True)]
    days = [q.date for q in story.quotes] + [e.date for e in story.events]
    first, span = min(days), max((max(days) - min(days)).days, 1)
    events = [{"date": e.date.isoformat(), "date_label": long_date(e.date), "label": e.label,
               "label_row": n % EVENT_ROWS, "label_y": 2 + 13 * (n % EVENT_ROWS),
               "label_side": "left" if (e.date - first).days / span > 2 / 3 else "right"}
              for n, e in enumerate(story.events)]
    cells = [{"speaker": c.actor.name, "actor_order": order[c.actor.id], "topic": c.topic.label,
              "topic_lines": wrap(c.topic.label, CLAIM_WRAP), "topic_order": t,
              "stance": c.stance.label, "count": len(c.quotes)}
             for row in matrix.rows for t, c in enumerate(row.cells) if c.quotes]
    return {"quotes": quotes, "events": events, "cells": cells}


def stack(items: Sequence[T], key: Callable[[T], Hashable], room: float = POINT_ROOM
          ) -> list[tuple[int, float]]:
    """(lane, pixel offset) for each item: items sharing a key (one speaker, one day) stack.

    The stack is centred on its row, so a lone statement sits on its speaker's line, and
    points are POINT_GAP apart (closer only when more than fit in `room` pixels), so each
    is a mark of its own that a reader can see and hover.
    """
    sizes = Counter(key(item) for item in items)
    seen: Counter[Hashable] = Counter()
    placed = []
    for item in items:
        k = key(item)
        lane, size = seen[k], sizes[k]
        seen[k] += 1
        gap = min(POINT_GAP, room / (size - 1)) if size > 1 else 0
        placed.append((lane, round((lane - (size - 1) / 2) * gap, 2)))
    return placed


def row_offset() -> Any:
    """The `yOffset` channel that draws a point `offset` pixels off its row's centre.

    The offset scale spans the row's band, so with no inner padding (band = step = ROW)
    a domain of ±ROW/2 maps data to pixels one to one, with 0 on the row's label.
    """
    import altair as alt

    return alt.YOffset("offset:Q", scale=alt.Scale(domain=[-ROW / 2, ROW / 2], nice=False))


def wrap(label: str, width: int) -> str:
    """A long label as lines for an axis (its labelExpr splits them at the newlines)."""
    return "\n".join(textwrap.wrap(label, width)) or label


def _clip(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _stance_scale(config: SiteConfig) -> tuple[Any, Any]:
    import altair as alt

    labels = [s.label for s in config.stances]
    color = alt.Color("stance:N", title="Stance", scale=alt.Scale(
        domain=labels, range=[s.color.lower() for s in config.stances]))
    shape = alt.Shape("stance:N", title="Stance", scale=alt.Scale(
        domain=labels, range=[s.symbol for s in config.stances]))
    return color, shape


def theme(config: SiteConfig) -> Spec:
    """The Vega-Lite config every chart shares, site charts included: fonts and neutrals."""
    ink, axis, grid = INK[0], AXIS[0], GRID[0]
    text = {"labelFontSize": 12, "titleFontSize": 12, "labelColor": ink, "titleColor": ink}
    return {"font": FONT, "background": "transparent", "view": {"stroke": None},
            "axis": {**text, "gridColor": grid, "domainColor": axis, "tickColor": axis},
            "legend": {**text, "orient": "bottom", "labelLimit": 220},
            "title": {"color": ink}, "text": {"color": ink}}


def _finish(chart: Any, config: SiteConfig) -> Spec:
    """A standard chart's spec: the theme, and labels truncated only when they must be.

    Vega measures a label again to check it against its limit, and text measurement is
    most of what drawing one of our charts costs (docs/benchmark.md). The y labels'
    limit is in the config so that `unlimited` can lift it for a story whose labels all
    fit; date and count labels on x always do, and so do the site's stance names
    (usually), in the legend.
    """
    spec = chart.properties(width=config.chart_width).to_dict()
    spec.pop("datasets", None)
    shared = theme(config)
    legend = shared["legend"]
    if fits((s.label for s in config.stances), legend["labelLimit"]):
        legend = {**legend, "labelLimit": 0}
    return {**spec, "config": {**shared, "legend": legend, "axisX": {"labelLimit": 0},
                               "axisY": {"labelLimit": LABEL_LIMIT}}}


def fits(labels: Iterable[str], limit: float, size: float = 12) -> bool:
    """Whether every label surely fits in `limit` px at `size` px (so none is truncated):
    measured with DejaVu Sans's advances (Verdana's too), other characters at 1.25 em."""
    return all(sum(_ADVANCE.get(c, 1250) for c in label) * size * 1.05 <= limit * 1000
               for line in labels for label in line.split("\n"))


def unlimited(spec: Spec, labels: Iterable[str]) -> Spec:
    """`spec` with no limit on its y labels when each of `labels` fits the limit anyway."""
    y = spec["config"].get("axisY", {})
    if not y.get("labelLimit") or not fits(labels, y["labelLimit"]):
        return spec
    return {**spec, "config": {**spec["config"], "axisY": {**y, "labelLimit": 0}}}


def theme_css(stances: tuple[Stance, ...]) -> str:
    """Dark-mode paint for chart SVGs: every light colour a chart uses, mapped to its pair.

    Vega writes colours as presentation attributes, which any CSS rule overrides, so
    one SVG serves both schemes (and the live view gets the same treatment).
    """
    pairs = [*NEUTRALS, *((s.color.lower(), s.dark_color.lower()) for s in stances)]
    rules = "\n".join(f'  .chart-view [{attr}="{light}"] {{ {attr}: {dark}; }}'
                      for light, dark in pairs for attr in ("fill", "stroke"))
    return f"@media (prefers-color-scheme: dark) {{\n{rules}\n}}\n"


def timeline_spec(config: SiteConfig) -> Spec:
    import altair as alt

    color, shape = _stance_scale(config)
    # the outer padding, all of it above the first speaker (align 1), holds the event labels
    y = alt.Y("speaker:N", title=None, sort=alt.EncodingSortField("actor_order", op="min"),
              scale=alt.Scale(paddingInner=0, paddingOuter=0.55, align=1))
    day = {"timeUnit": "utcyearmonthdate"}
    x = alt.X("date:T", **day, title=None, scale=alt.Scale(padding=14),
              axis=alt.Axis(format=DATE_TICKS, labelAngle=0, labelOverlap="greedy",
                            labelBound=True, tickCount={"expr": "ceil(width / 80)"}))
    points = alt.Chart(alt.NamedData(name="quotes")).mark_point(
        size=POINT_SIZE, filled=True, opacity=0.95, stroke=PAPER[0], strokeWidth=1).encode(
        x=x, y=y, color=color, shape=shape,
        yOffset=row_offset(),
        tooltip=[alt.Tooltip("speaker:N", title="Who"), alt.Tooltip("date_label:N", title="When"),
                 alt.Tooltip("topic:N", title="On"), alt.Tooltip("stance:N", title="Stance"),
                 alt.Tooltip("text:N", title="Said"), alt.Tooltip("source:N", title="Source")])
    rules = alt.Chart(alt.NamedData(name="events")).mark_rule(
        color=MUTED[0], strokeDash=[4, 3]).encode(
        x=alt.X("date:T", **day),
        tooltip=[alt.Tooltip("date_label:N", title="When"), alt.Tooltip("label:N", title="Event")])
    # Labels sit right of their rule, or left of it in the last third of the time span,
    # staggered over EVENT_ROWS lines (`label_y`, in pixels) so neighbours don't overprint.
    labels = [alt.Chart(alt.NamedData(name="events")).transform_filter(
        f"datum.label_side == '{side}'").mark_text(
        align="left" if side == "right" else "right", baseline="top",
        dx=4 if side == "right" else -4, fontSize=11, color=MUTED[0], limit=260).encode(
        x=alt.X("date:T", **day), y=alt.Y("label_y:Q", scale=None, axis=None), text="label:N")
        for side in ("right", "left")]
    return _finish(alt.layer(rules, points, *labels).properties(
        height=alt.Step(ROW, **{"for": "position"})), config)


def stances_spec(config: SiteConfig) -> Spec:
    import altair as alt

    color, _ = _stance_scale(config)
    order = {s.label: n for n, s in enumerate(config.stances)}
    chart = alt.Chart(alt.NamedData(name="quotes")).transform_calculate(
        stance_order=f"indexof({json.dumps(list(order))}, datum.stance)").mark_bar().encode(
        y=alt.Y("speaker:N", title=None, sort=alt.EncodingSortField("actor_order", op="min")),
        x=alt.X("count():Q", title="Statements", axis=alt.Axis(tickMinStep=1, format="d")),
        color=color, order=alt.Order("stance_order:Q"),
        tooltip=[alt.Tooltip("speaker:N", title="Who"), alt.Tooltip("stance:N", title="Stance"),
                 alt.Tooltip("count():Q", title="Statements")])
    return _finish(chart.properties(height=alt.Step(30)), config)


def topics_spec(config: SiteConfig) -> Spec:
    import altair as alt

    color, _ = _stance_scale(config)
    base = alt.Chart(alt.NamedData(name="cells")).encode(
        x=alt.X("topic_lines:N", title=None, sort=alt.EncodingSortField("topic_order", op="min"),
                axis=alt.Axis(labelAngle=0, labelLimit=0, labelPadding=6,
                              labelExpr="split(datum.label, '\\n')")),
        y=alt.Y("speaker:N", title=None, sort=alt.EncodingSortField("actor_order", op="min")))
    # every speaker x claim as a pale well first, so an empty cell reads as "nothing said"
    wells = base.transform_impute("count", "topic_lines", groupby=["speaker"], value=0
                                  ).mark_rect(fill=WELL[0], stroke=PAPER[0], strokeWidth=2)
    cells = base.mark_rect(stroke=PAPER[0], strokeWidth=2).encode(
        color=color, tooltip=[alt.Tooltip("speaker:N", title="Who"),
                              alt.Tooltip("topic:N", title="On"),
                              alt.Tooltip("stance:N", title="Latest stance"),
                              alt.Tooltip("count:Q", title="Statements")])
    counts = base.mark_text(fontSize=13, fontWeight="bold", color=PAPER[0]).encode(
        text="count:Q")
    return _finish(alt.layer(wells, cells, counts).properties(height=alt.Step(40)), config)


def _describe_timeline(story: Story) -> str:
    quotes = story.quotes
    speakers = len({q.actor.id for q in quotes})
    text = (f"{count(len(quotes), 'statement')} by {count(speakers, 'speaker')} "
            f"{date_span(quotes[0].date, quotes[-1].date)}")
    if story.events:
        text += f", with {count(len(story.events), 'event')} marked"
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


# What each standard chart's marks depend on, and what only its tooltips show (see
# Chart.drawn); tests/test_charts.py checks that the SVG drawn from these alone, its
# tokens filled, is the SVG drawn from all the data, byte for byte.
STANDARD = (
    ChartKind("timeline", "Who said what, when", timeline_spec, _describe_timeline, bands=1.1,
              draws=("quotes.speaker", "quotes.actor_order", "quotes.date", "quotes.offset",
                     "quotes.stance", "events.date", "events.label", "events.label_side",
                     "events.label_y"),
              tips=("quotes.date_label", "quotes.topic", "quotes.text", "quotes.source",
                    "events.date_label")),
    ChartKind("stances", "Stances by speaker", stances_spec, _describe_stances, bands=0,
              draws=("quotes.speaker", "quotes.actor_order", "quotes.stance")),
    ChartKind("topics", "Latest stance on each claim", topics_spec, _describe_topics, "cells",
              bands=0, min_width=460, column=CLAIM_COLUMN,
              draws=("cells.speaker", "cells.actor_order", "cells.topic_lines",
                     "cells.topic_order", "cells.stance", "cells.count"),
              tips=("cells.topic",)),
)


def _site_chart(path: Path, spec: Spec, shown: str) -> ChartKind:
    title = str(spec.get("title") or spec.get("description") or path.stem)
    data = spec.get("data")
    table = data.get("name") if isinstance(data, dict) and data.get("name") in TABLES else "quotes"

    def template(config: SiteConfig) -> Spec:
        """The site's spec on the shared theme; its own config wins key by key."""
        own = spec.get("config") if isinstance(spec.get("config"), dict) else {}
        shared = theme(config)
        merged = {key: {**shared[key], **own[key]} if isinstance(shared.get(key), dict)
                  and isinstance(own.get(key), dict) else own.get(key, shared.get(key))
                  for key in {**shared, **own}}
        return {"width": config.chart_width, **spec, "config": merged}

    return ChartKind(path.stem, title, template,
                     lambda story: str(spec.get("description") or title).rstrip(".") + ".", table,
                     source=shown)


def kinds(charts_dir: Path, problems: Problems,
          files: Mapping[str, bytes] | None = None) -> tuple[ChartKind, ...]:
    """The standard charts and the site's own (`site/charts/NAME.json`), by name. `files`:
    the folder's JSON files as already read ({name: bytes}), instead of reading them here."""
    found = list(STANDARD)
    if files is None:
        files = ({p.name: p.read_bytes() for p in charts_dir.glob("*.json")}
                 if charts_dir.is_dir() else {})
    if files:
        for name in sorted(files):
            path = charts_dir / name
            shown = path.relative_to(charts_dir.parent.parent).as_posix()  # site/charts/x.json
            try:
                spec = json.loads(files[name].decode("utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                problems.add(shown, getattr(error, "lineno", None),
                             f"chart spec is not valid JSON: {error}",
                             "fix the JSON; a Vega-Lite spec is one {...} object")
                continue
            if not isinstance(spec, dict):
                problems.add(shown, 1, "chart spec must be a JSON object",
                             "write a Vega-Lite spec as {...}")
                continue
            wrong = _foreign_data(spec)
            if wrong:
                problems.add(shown, None, f"chart reads data it is not given: {wrong}",
                             'use "data": {"name": "quotes"} (or "events", "cells"): charts '
                             "draw the story's own data (docs/charts.md)")
                continue
            found = [k for k in found if k.name != path.stem] + [_site_chart(path, spec, shown)]
    return tuple(found)


def _foreign_data(spec: Any) -> str:
    """The first `data` in the spec that isn't one of the story's datasets, as JSON; or ''."""
    if isinstance(spec, list):
        return next((found for item in spec if (found := _foreign_data(item))), "")
    if not isinstance(spec, dict):
        return ""
    data = spec.get("data")
    if isinstance(data, dict) and ("url" in data or data.get("name", "quotes") not in TABLES):
        return json.dumps(data)[:120]
    return next((found for value in spec.values() if (found := _foreign_data(value))), "")


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
        made = []
        for kind in (next(k for k in self.kinds if k.name == name) for name in names):
            template = self.templates[kind.name]
            least = kind.least_width(story)
            width = {"width": least - LABELS} if kind.column and least - LABELS > template.get(
                "width", 0) else {}    # the static SVG, too, keeps its claim labels apart
            spec = {**template, **kind.height(template, story), **width, "datasets": data}
            if not kind.source:   # a standard chart: its y labels name the speakers
                spec = unlimited(spec, (q.actor.name for q in story.quotes))
            made.append(Chart(kind.name, kind.title, spec, kind.describe(story), kind.table,
                              least, kind.source, kind.draws, kind.tips))
        return tuple(made)
