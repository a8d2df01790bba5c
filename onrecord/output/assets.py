"""Static assets with content-hashed names, and the vendored Vega runtime.

A hashed name changes only when the bytes do, so hosts can cache assets forever and
unchanged assets keep their names from build to build.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from onrecord.stories.model import Stance
from onrecord.views.charts import NEUTRALS, theme_css

RUNTIME = "vega-runtime.js"
VENDOR = Path(__file__).parent / "vendor"


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
           f"{theme_css(stances)}{highlight}\n{forced_theme_css(stances)}")
    return hashed("stances.css", css.encode())


def forced_theme_css(stances: tuple[Stance, ...]) -> str:
    """The stance colours and chart paint for a page whose theme is chosen for it
    (`data-theme` on the root, which embeds take from `?theme=`) over the reader's own."""
    rules = []
    for theme, pick in (("light", 0), ("dark", 1)):
        root = f':root[data-theme="{theme}"]'
        rules += [f"{root} .stance-{s.id} {{ --stance: {(s.color, s.dark_color)[pick]}; }}"
                  for s in stances]
        pairs = [*NEUTRALS, *((s.color.lower(), s.dark_color.lower()) for s in stances)]
        rules += [f'{root} .chart-view [{attr}="{pair[0]}"] {{ {attr}: {pair[pick]}; }}'
                  for pair in pairs for attr in ("fill", "stroke")]
    return "\n".join(rules) + "\n"


def static(folder: Path) -> tuple[Asset, ...]:
    """Every file under site/static/, hashed; hidden files skipped."""
    if not folder.is_dir():
        return ()
    return tuple(hashed(path.relative_to(folder).as_posix(), path.read_bytes())
                 for path in sorted(folder.rglob("*"))
                 if path.is_file() and not any(p.startswith(".") for p in path.parts))


def runtime(cache: Path) -> Asset:
    """Vega, Vega-Lite, vega-embed and vega-interpreter in one offline file, made once and cached.

    vega-interpreter evaluates chart expressions without `eval`/`new Function`, so the
    pages' Content-Security-Policy can forbid both (see docs/security.md).
    """
    import vl_convert

    from onrecord.views.svg import VL_VERSION

    snippet = interpreter_snippet()
    version = f"{vl_convert.__version__ if hasattr(vl_convert, '__version__') else ''}" \
              f"-{vl_convert.get_vega_version()}-{VL_VERSION}\n{snippet}"
    stored = cache / f"vega-runtime-{hashlib.sha256(version.encode()).hexdigest()[:12]}.js"
    try:
        data = stored.read_bytes()
    except OSError:
        data = vl_convert.javascript_bundle(snippet, vl_version=VL_VERSION).encode()
        cache.mkdir(parents=True, exist_ok=True)
        temporary = stored.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(stored)
    return hashed(RUNTIME, data)


def interpreter_snippet() -> str:
    """The vendored vega-interpreter ES module as a vl-convert bundle snippet.

    A snippet may not import, and vl-convert's bundle does not expose Vega's utilities
    (its `vega` global is null), so the interpreter's one import is satisfied from the
    vendored vega-util module, in a scope of its own; its export becomes the global
    `vegaExpressionInterpreter`, beside the globals of vl-convert's default snippet.
    """
    interpreter = _vendored("vega-interpreter.js")
    imports = re.search(r"^import \{([^}]*)\} from 'vega-util';$", interpreter, re.M)
    exports = re.search(r"^export \{ expression as expressionInterpreter \};$", interpreter,
                        re.M)
    util = _vendored("vega-util.js")
    util_exports = re.search(r"^export \{[^}]*\};$", util, re.M)
    if imports is None or exports is None or util_exports is None:
        raise RuntimeError("onrecord/output/vendor/ does not hold the expected Vega modules")
    names = imports.group(1).strip()
    util = util.replace(util_exports.group(0), f"return {{ {names} }};")
    interpreter = interpreter.replace(imports.group(0), f"const {{ {names} }} = (() => {{\n"
                                      f"{util}\n}})();")
    interpreter = interpreter.replace(exports.group(0), "")
    return (interpreter + "\nwindow.vegaEmbed = vegaEmbed;\nwindow.vegaLite = vegaLite;\n"
            "window.vegaExpressionInterpreter = expression;\n")


def _vendored(name: str) -> str:
    text = (VENDOR / name).read_text(encoding="utf-8")
    return re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.M)
