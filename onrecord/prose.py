"""The story body: Markdown to HTML, split at placement directives such as `{{ matrix }}`.

A directive is a block of its own (a line alone, outside code), parsed by markdown-it
like any other block, so fenced code and indented code never trigger one. Raw HTML in
the body is escaped, never passed through: writers paste copy, and pasted copy is not
trusted.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onrecord.model import Block, Directive, Prose

if TYPE_CHECKING:  # markdown-it is imported on first use: a build with every story cached
    from markdown_it import MarkdownIt  # never needs it
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

DIRECTIVE = re.compile(r"^\{\{\s*([^\s{}]+)(?:\s+([^{}]*?))?\s*\}\}\s*$")
LOOSE = re.compile(r"\{\{.*?\}\}")
UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*((?:javascript|vbscript|data|file)\s*:[^)\s]{0,40})", re.I)
NAMES = ("matrix", "chart", "quote", "events")


@dataclass(frozen=True)
class Remark:
    """Something wrong in the body, by line (relative to the file) with a fix."""

    line: int
    message: str
    hint: str


def _directive_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    found = DIRECTIVE.match(state.src[begin:state.eMarks[start]])
    if not found:
        return False
    if silent:
        return True
    token = state.push("directive", "", 0)
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
    md.block.ruler.before("table", "directive", _directive_rule,
                          {"alt": ["paragraph", "blockquote", "list"]})
    md.add_render_rule("directive", lambda *args: "")
    return md


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
                remarks.append(Remark(line, f"directive '{{{{ {written} }}}}' is inside a list "
                                      "or quote", "put it on a line of its own, outside lists "
                                      "and block quotes, with blank lines around it"))
            continue
        if token.type == "inline" and token.children:
            remarks.extend(_inline_remarks(token, line))
        run.append(token)
    flush()
    return tuple(blocks), tuple(remarks)


def _inline_remarks(token: Token, line: int) -> list[Remark]:
    remarks = []
    for child in token.children or ():
        if child.type == "image":
            src = str(child.attrGet("src") or "")
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", src, re.I):
                remarks.append(Remark(line, f"image '{src}' would load from another host",
                                      "save the image in site/static/ and link it as "
                                      "/static/NAME, so the page loads nothing from elsewhere"))
    unsafe = UNSAFE_LINK.search(token.content)
    if unsafe:
        remarks.append(Remark(line, f"link to '{unsafe.group(1)}' is not allowed",
                              "links may only go to http(s) or mailto addresses, or to pages "
                              "of this site"))
    if LOOSE.search(token.content):
        stray = LOOSE.search(token.content).group(0)
        remarks.append(Remark(line, f"'{stray}' is inside a paragraph, so it is not placed",
                              "put the directive alone on its own line, with blank lines "
                              "around it"))
    return remarks
