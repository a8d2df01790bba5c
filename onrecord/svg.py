"""Server-side SVG of each chart (vl-convert), so charts show before and without JavaScript.

Rendering costs tens of milliseconds a chart, so results are cached on disk by a hash
of the spec with its data (the same JSON the page embeds, so hashing adds no second
serialisation): a rebuild re-renders only charts whose spec or data changed. Misses are
spread over the cores with a `spawn` process pool (a forked child hangs once
vl-convert is loaded in the parent).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from onrecord.problems import Problems

VL_VERSION = "6.4"
POOL_THRESHOLD = 8


class Renderable(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def spec(self) -> dict[str, Any]: ...
    @property
    def json(self) -> str: ...


def key(chart: Renderable) -> str:
    """The cache name of a chart's SVG: changes whenever the spec, its data or Vega-Lite do."""
    return hashlib.sha256(f"{VL_VERSION}\n{chart.json}".encode()).hexdigest()[:32]


def _render(spec: dict[str, Any]) -> str:
    import vl_convert

    # no base URL is allowed: a chart draws the story's data, never fetches from elsewhere
    return vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION, allowed_base_urls=[])


def attempt(spec: dict[str, Any]) -> tuple[bool, str]:
    """(True, svg) or (False, why): one bad chart is reported, it doesn't stop the others."""
    try:
        return True, _render(spec)
    except ValueError as error:  # vl-convert reports every Vega-Lite failure as ValueError
        lines = [line for line in str(error).splitlines() if line.strip()]
        return False, (lines[1] if len(lines) > 1 else lines[0] if lines else "unknown error")


def render_all(charts: Iterable[Renderable], cache: Path, problems: Problems) -> dict[str, str]:
    """SVG for every chart, by key: from `cache` where present, else rendered and stored.

    A chart Vega-Lite cannot draw is a problem on the file that defines it.
    """
    charts = list(charts)
    wanted = {key(chart): chart.spec for chart in charts}
    found: dict[str, str] = {}
    missing: dict[str, dict[str, Any]] = {}
    for name, spec in wanted.items():
        try:
            found[name] = (cache / f"{name}.svg").read_text(encoding="utf-8")
        except OSError:
            missing[name] = spec
    if missing:
        names = list(missing)
        if len(names) >= POOL_THRESHOLD and (os.cpu_count() or 1) > 1:
            with ProcessPoolExecutor(os.cpu_count(), mp_context=get_context("spawn")) as pool:
                rendered = list(pool.map(attempt, missing.values(), chunksize=4))
        else:
            rendered = [attempt(spec) for spec in missing.values()]
        failed: dict[str, str] = {}
        for name, (ok, svg) in zip(names, rendered, strict=True):
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
