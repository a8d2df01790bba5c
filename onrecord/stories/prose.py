"""The story body: Markdown to HTML, split at placement directives such as `{{ matrix }}`.

A directive is a block of its own (a line alone, outside code), parsed by markdown-it
like any other block, so fenced code and indented code never trigger one. Only a line
that names a placement (or a near miss of one, which is reported as a typo) is a
directive: any other text in double braces, such as `{{ 7*7 }}`, is text, shown exactly
as written, because stories are about templates, prices and pasted code too. Raw HTML in
the body is escaped, never passed through: writers paste copy, and pasted copy is not
trusted.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onrecord.stories.model import Block, Directive, Prose

if TYPE_CHECKING:  # markdown-it is imported on first use: a build with every story cached
    from markdown_it import MarkdownIt  # never needs it
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

DIRECTIVE = re.compile(r"^\{\{\s*([^\s{}]+)(?:\s+([^{}]*?))?\s*\}\}\s*$")
BRACES = re.compile(r"\{\{[^\n]*?\}\}")
WORD = re.compile(r"^[A-Za-z][A-Za-z-]*$")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
LINK_SCHEMES = ("http", "https", "mailto")
NAMES = ("matrix", "chart", "quote", "events")


@dataclass(frozen=True)
class Remark:
    """Something wrong in the body, by line (relative to the file) with a fix."""

    line: int
    message: str
    hint: str
    warning: bool = False


def meant_as_directive(name: str) -> bool:
    """Whether a line `{{ NAME ... }}` is a placement: a known name, or so near one that it
    is a typo to report (`matirx`), not text to show (`7*7`, `price`)."""
    return name in NAMES or bool(
        WORD.match(name) and difflib.get_close_matches(name.lower(), NAMES, cutoff=0.75))


def _directive_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    written = state.src[begin:state.eMarks[start]]
    found = DIRECTIVE.match(written)
    if not found or not meant_as_directive(found.group(1)):
        return False
    if silent:
        return True
    token = state.push("directive", "", 0)
    token.content = written.strip()
    token.info = found.group(1)
    token.meta = {"argument": (found.group(2) or "").strip()}
    token.map = [start, start + 1]
    token.block = True
    state.line = start + 1
    return True


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False}).enable(
        ["table", "strikethrough"])
    # Every link becomes a token, whatever its address, so that `_link_remarks` judges the
    # address as parsed (entities decoded) and refuses the unsafe ones with a clear error
    # instead of markdown-it silently printing them as text.
    md.validateLink = lambda url: True
    md.block.ruler.before("table", "directive", _directive_rule,
                          {"alt": ["paragraph", "blockquote", "list"]})
    md.inline.ruler.before("emphasis", "braces", _braces_rule)
    # A directive that is not placed (in a list or a quote) is shown as written.
    md.add_render_rule("directive", lambda _, tokens, i, *rest: _literal(tokens[i].content, "p"))
    md.add_render_rule("braces", lambda _, tokens, i, *rest: _literal(tokens[i].content))
    return md


def _braces_rule(state: StateInline, silent: bool) -> bool:
    """`{{ ... }}` inside a line is text as written: no emphasis or links inside it."""
    if not state.src.startswith("{{", state.pos):
        return False
    found = BRACES.match(state.src, state.pos)
    if not found:
        return False
    if not silent:
        state.push("braces", "", 0).content = found.group(0)
    state.pos = found.end()
    return True


def _literal(text: str, tag: str = "") -> str:
    from markdown_it.common.utils import escapeHtml

    return f"<{tag}>{escapeHtml(text)}</{tag}>\n" if tag else escapeHtml(text)


def parse(body: str, first_line: int) -> tuple[tuple[Block, ...], tuple[Remark, ...]]:
    """Body -> blocks of HTML and directives; lines are the file's, counted from `first_line`."""
    markdown = _markdown()
    tokens = markdown.parse(body)
    blocks: list[Block] = []
    remarks: list[Remark] = []
    run: list[Token] = []

    def flush() -> None:
        if run:
            html = markdown.renderer.render(run, markdown.options, {})
            if html.strip():
                blocks.append(Prose(html))
            run.clear()

    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "directive":
            if token.level == 0:
                flush()
                blocks.append(Directive(token.info, token.meta["argument"], line))
            else:
                written = f"{token.info} {token.meta['argument']}".strip()
                remarks.append(Remark(line, f"'{{{{ {written} }}}}' is inside a list or quote, "
                                      "so it is not placed but shown as written", "put it on a "
                                      "line of its own, outside lists and block quotes, with "
                                      "blank lines around it", warning=True))
                run.append(token)
            continue
        if token.type == "inline" and token.children:
            remarks.extend(_inline_remarks(token, line))
        run.append(token)
    flush()
    return tuple(blocks), tuple(remarks)


def _inline_remarks(token: Token, line: int) -> list[Remark]:
    remarks = []
    offset = 0
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            offset += 1
        elif child.type in ("link_open", "image"):
            remark = _link_remark(child, line + offset)
            if remark:
                remarks.append(remark)
        elif child.type == "braces":
            found = DIRECTIVE.match(child.content)
            if found and found.group(1) in NAMES:
                remarks.append(Remark(line + offset, f"'{child.content}' is inside a paragraph, "
                                      "so it is not placed but shown as written", "to place it, "
                                      "put it alone on its own line, with blank lines around it",
                                      warning=True))
    return remarks


def scheme(url: str) -> str:
    """The scheme of `url` as a browser reads it (it skips controls, spaces, tabs, newlines)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(33))))
    found = SCHEME.match(cleaned)
    return found.group(1).lower() if found else ""


def _link_remark(child: Token, line: int) -> Remark | None:
    """Refuse (and disarm) a link or image whose address could run code or load from afar."""
    is_image = child.type == "image"
    attribute = "src" if is_image else "href"
    url = str(child.attrGet(attribute) or "")
    kind = scheme(url)
    shown = url if len(url) <= 60 else url[:57] + "..."
    if is_image and (kind or url.lstrip().startswith("//")):
        child.attrSet(attribute, "")
        if kind in ("http", "https") or not kind:
            return Remark(line, f"image '{shown}' would load from another host",
                          "save the image in site/static/ and link it as /static/NAME, so "
                          "the page loads nothing from elsewhere")
        return Remark(line, f"image address '{shown}' is not allowed",
                      "save the image in site/static/ and link it as /static/NAME")
    if kind and kind not in LINK_SCHEMES:
        child.attrs.pop(attribute, None)
        return Remark(line, f"link to '{shown}' is not allowed ({kind}: addresses can run "
                      "code or hide content)", "links may only go to http(s) or mailto "
                      "addresses, or to pages of this site")
    return None
