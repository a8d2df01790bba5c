"""Static assets with content-hashed names, and the vendored Vega runtime.

A hashed name changes only when the bytes do, so hosts can cache assets forever and
unchanged assets keep their names from build to build.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from onrecord.charts import theme_css
from onrecord.model import Stance

RUNTIME = "vega-runtime.js"


@dataclass(frozen=True)
class Asset:
    name: str          # as templates ask for it: 'style.css'
    path: str          # where it is written: 'static/style.3f2a9c1d.css'
    data: bytes


def hashed(name: str, data: bytes) -> Asset:
    digest = hashlib.sha256(data).hexdigest()[:10]
    pure = PurePosixPath(name)
    return Asset(name, f"static/{pure.parent / pure.stem}.{digest}{pure.suffix}".replace(
        "/./", "/"), data)


def stance_css(stances: tuple[Stance, ...]) -> Asset:
    """The site's stance colours as CSS custom properties, light and dark, the charts'
    dark-mode paint and the matrix highlighter: everything that depends on the stances."""
    light = "\n".join(f".stance-{s.id} {{ --stance: {s.color}; }}" for s in stances)
    dark = "\n".join(f"  .stance-{s.id} {{ --stance: {s.dark_color}; }}" for s in stances)
    # the matrix's stance highlighter, without JavaScript: a checked key dims other cells
    highlight = "\n".join(f'.matrix:has(input[value="{s.id}"]:checked) td.cell:not(.took-{s.id})'
                          " { opacity: .3; }" for s in stances)
    css = (f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
           f"{theme_css(stances)}{highlight}\n")
    return hashed("stances.css", css.encode())


def static(folder: Path) -> tuple[Asset, ...]:
    """Every file under site/static/, hashed; hidden files skipped."""
    if not folder.is_dir():
        return ()
    return tuple(hashed(path.relative_to(folder).as_posix(), path.read_bytes())
                 for path in sorted(folder.rglob("*"))
                 if path.is_file() and not any(p.startswith(".") for p in path.parts))


def runtime(cache: Path) -> Asset:
    """Vega, Vega-Lite and vega-embed in one offline file, made by vl-convert once and cached."""
    import vl_convert

    from onrecord.svg import VL_VERSION

    version = f"{vl_convert.__version__ if hasattr(vl_convert, '__version__') else ''}" \
              f"-{vl_convert.get_vega_version()}-{VL_VERSION}"
    stored = cache / f"vega-runtime-{hashlib.sha256(version.encode()).hexdigest()[:12]}.js"
    try:
        data = stored.read_bytes()
    except OSError:
        data = vl_convert.javascript_bundle(vl_version=VL_VERSION).encode()
        cache.mkdir(parents=True, exist_ok=True)
        temporary = stored.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(stored)
    return hashed(RUNTIME, data)
