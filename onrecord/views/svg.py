"""Server-side SVG of each chart (vl-convert), so charts show before and without JavaScript.

Rendering costs tens of milliseconds a chart, so results are cached on disk by a hash
of the spec with the data its marks depend on (`Chart.drawn`: texts that only tooltips
show are tokens there, filled in after drawing by `fill`): a rebuild re-renders only
charts whose drawing changed, not those of a retitled story. Misses are drawn by the
build's worker pool (onrecord/builder/workers.py), over every core.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from onrecord.builder import workers
from onrecord.stories.problems import Problems

VL_VERSION = "6.4"


class Renderable(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def drawn(self) -> str: ...


def key(chart: Renderable) -> str:
    """The cache name of a chart's SVG: changes whenever what it draws, Vega-Lite or
    vl-convert (whose releases draw differently) do."""
    return hashlib.sha256(f"{VL_VERSION}\n{converter()}\n{chart.drawn}".encode()
                          ).hexdigest()[:32]


@functools.cache
def converter() -> str:
    """The installed vl-convert's version, read without importing it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vl-convert-python")
    except PackageNotFoundError:
        return "missing"


@functools.cache
def _converter() -> Any:
    import vl_convert

    if not converter().startswith(("0.", "1.")):   # 2.0 moved the allow-list to `configure`
        vl_convert.configure(allowed_base_urls=[])
    return vl_convert


def _render(spec: dict[str, Any]) -> str:
    # no base URL is allowed: a chart draws the story's data, never fetches from elsewhere
    vl_convert = _converter()
    if converter().startswith(("0.", "1.")):
        return vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION, allowed_base_urls=[])
    return vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION)


def attempt(spec: dict[str, Any]) -> tuple[bool, str]:
    """(True, svg) or (False, why): one bad chart is reported, it doesn't stop the others."""
    try:
        return True, _render(spec)
    except ValueError as error:  # vl-convert reports every Vega-Lite failure as ValueError
        lines = [line for line in str(error).splitlines() if line.strip()]
        return False, (lines[1] if len(lines) > 1 else lines[0] if lines else "unknown error")


def render_all(charts: Iterable[Renderable], cache: Path, problems: Problems) -> dict[str, str]:
    """SVG for every chart, by key: from `cache` where present, else drawn and stored.

    A chart Vega-Lite cannot draw is a problem on the file that defines it.
    """
    charts = list(charts)
    wanted = {key(chart): chart for chart in charts}
    found: dict[str, str] = {}
    todo: list[tuple[str, str]] = []
    for name, chart in wanted.items():
        try:
            found[name] = (cache / f"{name}.svg").read_text(encoding="utf-8")
        except OSError:
            todo.append((name, chart.drawn))
    if todo:
        drawn = workers.collect(workers.batches(charts=todo), "charts").svgs
        failed: dict[str, str] = {}
        for name, (ok, svg) in drawn.items():
            if not ok:
                failed[name] = svg
                continue
            found[name] = svg
            store(cache, name, svg)
        reported: set[str] = set()
        for chart in charts:
            why = failed.get(key(chart))
            if why and chart.name not in reported:
                reported.add(chart.name)
                problems.add(chart.source or "site/charts", None,
                             f"chart '{chart.name}' cannot be drawn: {why}",
                             "check the spec against the Vega-Lite docs; charts read the "
                             "datasets 'quotes', 'events' and 'cells' (docs/charts.md)")
    return found


def cached(cache: Path, name: str) -> bool:
    return (cache / f"{name}.svg").is_file()


def store(cache: Path, name: str, svg: str) -> None:
    """Put a chart's SVG in the cache under its key, whole or not at all."""
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / f".{name}.{os.getpid()}.tmp"
    temporary.write_text(svg, encoding="utf-8")
    os.replace(temporary, cache / f"{name}.svg")


_TOKEN = re.compile("\u27e6([0-9]+)\u27e7")
# as Vega writes an attribute's value, so a filled SVG is the one drawn from the texts
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\t": "&#x9;", "\n": "&#xA;", "\r": "&#xD;"})


def fill(svg: str, texts: Sequence[str]) -> str:
    """A drawn SVG with each token (`Chart.drawn`) replaced by the text it stands for."""
    if not texts:
        return svg
    return _TOKEN.sub(lambda match: texts[int(match.group(1))].translate(_ATTRIBUTE), svg)


_ID = re.compile(r'\bid="([^"]+)"')


def inline(svg: str, prefix: str, label: str) -> str:
    """Make an SVG safe to inline: ids unique on the page, described for screen readers."""
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    ids = set(_ID.findall(svg))
    for name in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{name}"', f'id="{prefix}-{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}-{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{prefix}-{name}"')
    label = (label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
             .replace(">", "&gt;"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
