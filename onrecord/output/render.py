"""Pages -> {output path: bytes}, through Jinja. Pure: reads templates, never writes.

Autoescape is on and undefined names are errors, so a template typo fails the build
instead of publishing an empty field, and text from a story is always escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import jinja2
from jinja2 import meta

from onrecord.stories.problems import Problems
from onrecord.views import jsonld
from onrecord.views.matrix import long_date
from onrecord.website import embeds
from onrecord.website.pages import Page, SiteView

GLYPHS = {"circle": "●", "square": "■", "cross": "✖", "diamond": "◆", "triangle-up": "▲",
          "triangle-down": "▼", "triangle-right": "▶", "triangle-left": "◀", "stroke": "━",
          "wedge": "◢"}


def environment(templates: Path | Mapping[str, str], cache: Path | None = None
                ) -> jinja2.Environment:
    """Jinja over the templates folder, or over templates as read ({name: source})."""
    loader = (jinja2.FileSystemLoader(templates) if isinstance(templates, Path)
              else jinja2.DictLoader(dict(templates)))
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache)) if cache else None,
    )
    env.filters["long_date"] = long_date
    env.filters["iso"] = lambda day: day.isoformat()
    env.filters["glyph"] = lambda stance: GLYPHS.get(stance.symbol, "●")
    env.globals["jsonld"] = jsonld.script
    env.globals["embed_views"] = embeds.story_views
    return env


def referenced(env: jinja2.Environment, name: str) -> tuple[str, ...]:
    """`name` and every template it extends, includes or imports, however deep; every
    template when one is named by an expression (it could be any) or cannot be parsed."""
    everything = tuple(sorted(env.list_templates()))
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
            tree = env.parse(source, current)
        except (jinja2.TemplateError, OSError):
            return everything
        for found in meta.find_referenced_templates(tree):
            if found is None:
                return everything
            todo.append(found)
    return tuple(sorted(seen))


def page(env: jinja2.Environment, item: Page, site: SiteView) -> bytes:
    template = env.get_template(item.template)
    return template.render(page=item.context, meta=item, site=site).encode()


def outputs(env: jinja2.Environment, pages: Iterable[Page], site: SiteView,
            problems: Problems) -> dict[str, bytes]:
    """Render every page; a template error becomes a problem naming the template and line."""
    rendered: dict[str, bytes] = {}
    for item in pages:
        try:
            rendered[item.path] = page(env, item, site)
        except jinja2.TemplateSyntaxError as error:
            problems.add(f"templates/{error.name or error.filename}", error.lineno,
                         f"template syntax error: {error.message}",
                         "fix the template tag on this line")
            break
        except (jinja2.UndefinedError, jinja2.TemplateNotFound, TypeError) as error:
            problems.add(f"templates/{item.template}", _line(error, item.template),
                         f"template error while rendering {item.path}: {error}",
                         "check the names the template uses against docs/templates.md")
    return rendered


def _line(error: BaseException, name: str) -> int | None:
    trace = error.__traceback__
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.endswith(name):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line

