"""Tooltips for the server-drawn SVG, so a page needs no Vega runtime to show them.

Vega writes each mark's encoded values into the SVG as its `aria-label`, as
"Title: value; Title: value" (every encoding channel, then the tooltip's fields). This
module keeps, for each mark, the fields of its layer's `tooltip` encoding, in the
spec's order, as a JSON list of [title, value] pairs in `data-tip`, which
`site/static/charts.js` shows on hover, tap and keyboard focus. The mark's
`aria-label` and role go: the chart is one image to assistive technology, named by its
title and description, and its data is in the table under it.

A chart whose spec has `params` (selections, bound inputs) needs Vega itself; the page
loads the runtime for it when the reader first reaches for it (see `needs_runtime`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

_MARK = re.compile(r'<(?:path|line|rect|text|circle|image)\b[^>]*? aria-label="([^"]*)"[^>]*>')
# what made the mark an image of its own to assistive technology: inside the chart's one
# role="img" it is presentational, and a graphics-symbol without a label is an axe error
_ARIA = re.compile(r' (?:aria-label|role|aria-roledescription)="[^"]*"')
_SKIPPED = {"data", "datasets", "values"}


def annotate(svg: str, spec: dict[str, Any]) -> str:
    """`svg` with a `data-tip` in place of the `aria-label` of each mark that has a tooltip."""
    lists = _tooltip_lists(spec)
    everything = _tooltip_everything(spec)
    if not lists and not everything:
        return svg
    boundary = _boundary(spec, lists)

    def replace(match: re.Match[str]) -> str:
        pairs = _pairs(html.unescape(match.group(1)), boundary)
        rows = _pick(pairs, lists) or (list(pairs.items()) if everything else None)
        if not rows:
            return match.group(0)
        tip = json.dumps([[key, " ".join(value.split())] for key, value in rows],
                         ensure_ascii=False, separators=(",", ":"))
        # single-quoted, so the JSON's many double quotes need no escaping
        tip = tip.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&#39;")
        start = _ARIA.sub("", match.group(0))
        end = 2 if start.endswith("/>") else 1
        return f"{start[:-end]} data-tip='{tip}'{start[-end:]}"

    return _MARK.sub(replace, svg)


def needs_runtime(spec: dict[str, Any]) -> bool:
    """Whether the chart does something only Vega can (a selection or a bound input)."""
    return any(key in ("params", "selection") and value for key, value in _items(spec))


def _items(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) in the spec, depth first, leaving out its data."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _SKIPPED:
                continue
            yield key, value
            yield from _items(value)
    elif isinstance(node, list):
        for value in node:
            yield from _items(value)


def _title(field: dict[str, Any]) -> str | None:
    """The key Vega-Lite gives a field in a mark's description."""
    if isinstance(field.get("title"), str):
        return field["title"]
    if field.get("aggregate") == "count":
        return "Count of Records"
    return field.get("field") if isinstance(field.get("field"), str) else None


def _tooltip_lists(spec: dict[str, Any]) -> list[list[str]]:
    """The titles of each `tooltip` encoding in the spec (one per layer that has one)."""
    found = []
    for key, value in _items(spec):
        if key == "encoding" and isinstance(value, dict) and "tooltip" in value:
            tooltip = value["tooltip"]
            fields = tooltip if isinstance(tooltip, list) else [tooltip]
            titles = [t for f in fields if isinstance(f, dict) and (t := _title(f))]
            if titles:
                found.append(titles)
    return sorted(found, key=len, reverse=True)


def _tooltip_everything(spec: dict[str, Any]) -> bool:
    """A mark with `"tooltip": true` shows every encoded field."""
    return any(key == "tooltip" and (value is True or (isinstance(value, dict)
                                     and value.get("content") == "encoding"))
               for key, value in _items(spec))


def _boundary(spec: dict[str, Any], lists: list[list[str]]) -> re.Pattern[str]:
    """Where a new "Title: " starts in a description: only at a title the spec can produce,
    so a value that itself holds "; " (an event "Gunmen attack; 137 killed") stays whole."""
    titles = {t for titles in lists for t in titles}
    fields = set()
    for key, value in _items(spec):
        if key == "encoding" and isinstance(value, dict):
            for channel in value.values():
                for field in channel if isinstance(channel, list) else [channel]:
                    if isinstance(field, dict):
                        if title := _title(field):
                            titles.add(title)
                        if isinstance(field.get("field"), str):
                            fields.add(field["field"])
    names = [re.escape(t) for t in sorted(titles, key=len, reverse=True)]
    # Vega-Lite's own titles: "date (year-month-date)", "Sum of count"
    names += [rf"{re.escape(f)} \([^;:()]*\)" for f in fields]
    names += [rf"[A-Z][a-z]+ of {re.escape(f)}" for f in fields]
    return re.compile(rf"(?:^|; )({'|'.join(names)}): " if names else r"(?!)")


def _pairs(label: str, boundary: re.Pattern[str]) -> dict[str, str]:
    """'a: 1; b: x; y' -> {'a': '1', 'b': 'x; y'}, the first of a repeated title kept."""
    starts = list(boundary.finditer(label))
    pairs: dict[str, str] = {}
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(label)
        pairs.setdefault(match.group(1), label[match.end():end])
    return pairs


def _pick(pairs: dict[str, str], lists: list[list[str]]) -> list[tuple[str, str]] | None:
    """The rows of the longest tooltip whose every title the mark has, in its order."""
    for titles in lists:
        if all(t in pairs for t in titles):
            return [(t, pairs[t]) for t in titles]
    return None
