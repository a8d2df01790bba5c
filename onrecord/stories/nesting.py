"""How deep YAML text nests, read from the text itself, before any YAML library sees it.

The depth limit must not depend on the YAML library: PyYAML 6.0.4's bundled libyaml has
its own flow-level limit that fires (with its own words) before our event check can,
and older libyaml crashes the interpreter at some ten thousand levels. So the nesting
is counted here, on the text, with a scanner that knows just enough YAML: block
indentation and `- ` entries, flow brackets, quoted scalars (which may span lines),
comments, and block or plain scalars whose lines are text, not structure.
"""

from __future__ import annotations

import re

# A block key: plain (no flow indicator first) or quoted, then ':' and a space or the end.
KEY = re.compile(r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'"""
                 r"""|[^\s\[\]{},#&*!|>'"%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]+|$)""")
PROPERTIES = re.compile(r"(?:[&!][^\s]*[ \t]*)+")
FLOW_STOP = re.compile(r"""[\[\]{},:"'#\s]""")


def first_too_deep(text: str, limit: int) -> int | None:
    """The 0-based line where collections first nest more than `limit` deep, else None.

    Counts like a YAML parser's collection-start events would, so a story within the
    limit is never refused; text that is not valid YAML is counted as well as it can
    be and left for the parser to report."""
    scanner = _Scanner(text.split("\n"), limit)
    return scanner.run()


class _Scanner:
    def __init__(self, lines: list[str], limit: int) -> None:
        self.lines = lines
        self.limit = limit
        self.blocks: list[tuple[int, str]] = []  # (column, 'seq' | 'map') of open collections
        self.flow = 0
        self.quote = ""  # the quote character of a quoted scalar still open at a line's end
        self.text_above: int | None = None  # lines indented past this column are scalar text
        self.at_start = False  # in flow: whether a quote here would open a quoted scalar

    def run(self) -> int | None:
        for number, line in enumerate(self.lines):
            if self._line(line):
                return number
        return None

    def _line(self, line: str) -> bool:
        if self.quote or self.flow:
            return self._flow_or_quote(line, 0)
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped.strip() or stripped.startswith("#"):
            return False
        if self.text_above is not None and indent > self.text_above:
            return False
        self.text_above = None
        kind = _kind(stripped)
        while self.blocks and self.blocks[-1][0] > indent:
            self.blocks.pop()
        if kind is None:
            pass  # a node of its own on this line, e.g. a flow collection under its key
        elif self.blocks and self.blocks[-1][0] == indent:
            top = self.blocks[-1][1]
            if top == "seq" and kind == "map" and len(self.blocks) > 1 \
                    and self.blocks[-2][0] == indent:
                self.blocks.pop()  # back from a sequence written level with its key
            elif top == "map" and kind == "seq":
                self.blocks.append((indent, "seq"))  # `key:` then `- item` at the same column
        else:
            self.blocks.append((indent, kind))
        if self._deep():
            return True
        return self._node(line, indent)

    def _node(self, line: str, column: int) -> bool:
        """The rest of a block line from `column`: entries, keys, then one value."""
        while True:
            rest = line[column:]
            if _is_entry(rest):
                after = column + 1 + len(rest[1:]) - len(rest[1:].lstrip(" "))
                if after >= len(line) or line[after] == "#":
                    return False  # the entry's value is on the lines below
                nested = _kind(line[after:])
                if nested:
                    self.blocks.append((after, nested))
                    if self._deep():
                        return True
                column = after
                continue
            key = KEY.match(rest)
            if key:
                column += key.end()
            return self._value(line, column)

    def _value(self, line: str, column: int) -> bool:
        properties = PROPERTIES.match(line, column)
        if properties:
            column = properties.end()
        rest = line[column:]
        if not rest.strip() or rest.lstrip().startswith("#"):
            return False
        top = self.blocks[-1][0] if self.blocks else 0
        if rest[0] in "[{\"'":
            self.at_start = True
            return self._flow_or_quote(line, column)
        # A block scalar's lines, and a plain scalar's further lines, are more indented text.
        self.text_above = top
        return False

    def _flow_or_quote(self, line: str, column: int) -> bool:
        """Scan flow brackets and quoted scalars from `column`; they may continue below."""
        index = column
        while index < len(line):
            if self.quote:
                index = self._close_quote(line, index)
                self.at_start = False
                if self.quote:
                    return False
                if not self.flow:
                    return self._after_block_quote(line, index)
                continue
            char = line[index]
            if char in "[{":
                self.flow += 1
                if self._deep():
                    return True
                self.at_start = True
            elif char in "]}":
                self.flow = max(self.flow - 1, 0)
                self.at_start = False
                if not self.flow:
                    return False  # what follows a closed flow node is a comment or an error
            elif char in ",:":
                self.at_start = True
            elif char in "\"'" and self.at_start:
                self.quote = char
                index += 1
                continue
            elif char == "#" and (index == 0 or line[index - 1] in " \t"):
                return False
            elif not char.isspace():
                self.at_start = False
                stop = FLOW_STOP.search(line, index + 1)
                index = stop.start() if stop else len(line)
                continue
            index += 1
        return False

    def _close_quote(self, line: str, index: int) -> int:
        """Index after the closing quote on this line (the quote is then closed), else the end."""
        while index < len(line):
            char = line[index]
            if self.quote == '"' and char == "\\":
                index += 2
                continue
            if char == self.quote:
                if self.quote == "'" and line.startswith("''", index):
                    index += 2
                    continue
                self.quote = ""
                return index + 1
            index += 1
        return index

    def _after_block_quote(self, line: str, index: int) -> bool:
        """After a quoted scalar in block context: a key's ':' and its value, or nothing."""
        rest = line[index:]
        colon = re.match(r"[ \t]*:(?:[ \t]+|$)", rest)
        if colon:
            return self._value(line, index + colon.end())
        self.text_above = self.blocks[-1][0] if self.blocks else 0
        return False

    def _deep(self) -> bool:
        return len(self.blocks) + self.flow > self.limit


def _is_entry(text: str) -> bool:
    """Whether `text` starts a block sequence entry ('-' then a space or the end)."""
    return text.startswith("-") and (len(text) == 1 or text[1] in " \t")


def _kind(text: str) -> str | None:
    """The block collection a line's text enters: a sequence entry, a mapping key, or none."""
    if _is_entry(text):
        return "seq"
    return "map" if KEY.match(text) else None
