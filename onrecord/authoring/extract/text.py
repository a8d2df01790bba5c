"""The article's text: paragraphs, the quoted passages in each, and its sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from onrecord.authoring.extract.lexicon import (
    ABBREVIATIONS,
    AFTER_CUE,
    CLOSE_DOUBLE,
    CLOSE_SINGLE,
    MARKS,
    OPEN_DOUBLE,
    OPEN_SINGLE,
    PLACEHOLDER,
)


@dataclass(frozen=True)
class Span:
    """A quoted passage of one paragraph: `text` verbatim, `start`/`end` around the marks."""

    text: str
    start: int
    end: int
    open_at_end: bool = False      # the quotation runs on into the next paragraph
    continues: bool = False        # it continues one left open in the previous paragraph


def spans(paragraph: str, continuing: bool = False) -> list[Span]:
    """Every top-level quotation in `paragraph`, nested quotes kept inside their quote."""
    found: list[Span] = []
    stack: list[tuple[str, int]] = []   # ('d' or 's', index of the opening mark)
    text = paragraph
    n = len(text)
    first_open = continuing

    def opener_side(i: int) -> bool:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        return (before.isspace() or before in "([{—–-/:" + MARKS) and not after.isspace()

    def closer_side(i: int) -> bool:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        return not before.isspace() and not after.isalnum()

    def push(kind: str, i: int) -> None:
        stack.append((kind, i))

    def pop(i: int) -> None:
        nonlocal first_open
        _, start = stack.pop()
        if not stack:
            found.append(_span(text, start + 1, i, start, i + 1, continues=first_open
                               and start == _first_mark(text)))
            first_open = False

    for i, ch in enumerate(text):
        top = stack[-1][0] if stack else None
        if ch in OPEN_DOUBLE:
            push("d", i)
        elif ch in CLOSE_DOUBLE:
            if top == "d":
                pop(i)
            elif top == "s" and any(k == "d" for k, _ in stack):
                while stack and stack[-1][0] == "s":
                    stack.pop()
                pop(i)
        elif ch == '"':
            if top == "d" and closer_side(i):
                pop(i)
            elif opener_side(i):
                push("d", i)
            elif top == "d":
                pop(i)
        elif ch in OPEN_SINGLE:
            push("s", i)
        elif ch in CLOSE_SINGLE or ch == "'":
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < n else " "
            if before.isalnum() and after.isalnum():
                continue                      # an apostrophe: it's, Russia’s
            if top == "s" and closer_side(i):
                pop(i)
            elif ch == "'" and opener_side(i) and after.isalpha():
                push("s", i)
    # no closing mark: the quotation runs on to the next paragraph (a straight ' left open
    # is more likely an apostrophe)
    doubles = [(k, s) for k, s in stack if k == "d" or text[s] in OPEN_SINGLE]
    if doubles and (doubles[0][0] == "d" or doubles[0] == stack[0]):
        start = doubles[0][1]
        body = text[start + 1:].rstrip()
        found.append(Span(body.rstrip(",").rstrip(), start, n, open_at_end=True,
                          continues=first_open and start == _first_mark(text)))
    return [s for s in found if len(re.findall(r"\w", s.text)) >= 2]


def _first_mark(text: str) -> int:
    stripped = len(text) - len(text.lstrip())
    return stripped if text[stripped:stripped + 1] in MARKS else -1


def _span(text: str, a: int, b: int, start: int, end: int, continues: bool) -> Span:
    inner = text[a:b].strip()
    inner = inner[:-1].rstrip() if inner.endswith(",") else inner
    return Span(inner, start, end, continues=continues)


def mask(paragraph: str, found: list[Span]) -> tuple[str, list[int]]:
    """The paragraph with each quote replaced by one placeholder character."""
    out = []
    last = 0
    for span in found:
        out.append(paragraph[last:span.start])
        out.append(f" {PLACEHOLDER}{_end_mark(span.text)} ")
        last = span.end
    out.append(paragraph[last:])
    return "".join(out), list(range(len(found)))


def _end_mark(text: str) -> str:
    """A quote ending a sentence ends the sentence it stands in: keep that as a boundary."""
    return "\ue001" if text.rstrip("])…").endswith((".", "!", "?")) else ""


def sentences(masked: str) -> list[str]:
    """Reporter's sentences; a quote ending in '.' followed by a capital ends one too."""
    pieces: list[str] = []
    start = 0
    text = masked
    for m in re.finditer(r"([.!?]|\ue001)\s+(?=[A-Z\ue000\"“‘'])", text):
        head = text[start:m.end()].rstrip()
        if m.group(1) == "." and ABBREVIATIONS.search(head):
            continue
        if m.group(1) == "\ue001":
            nxt = text[m.end():m.end() + 40]
            if AFTER_CUE.match(nxt):
                continue
        pieces.append(head)
        start = m.end()
    pieces.append(text[start:].strip())
    return [p.replace("\ue001", "") for p in pieces if p.strip()]


def restore(sentence: str, quoted: list[str]) -> str:
    """The sentence as the article wrote it, quotes and all (a quote's context)."""
    parts = sentence.split(PLACEHOLDER)
    text = parts[0] + "".join(q + rest for q, rest in zip(quoted, parts[1:], strict=True))
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s+([,.;:!?)])", r"\1", text).replace("( ", "(").strip()


def without_asides(sentence: str) -> str:
    """Drop '— which the BBC noted —' and '(SDF)' asides: they are not the clause."""
    text = re.sub(r"\s[—–]\s[^—–\ue000]{1,120}?\s[—–]\s", " ", sentence)
    return re.sub(r"\s*\([^()\ue000]{1,80}\)", "", text)


def paragraphs_of(text: str) -> tuple[str, list[str]]:
    """Plain text -> (headline, paragraphs): one per line, or blocks between blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", []
    title, rest = lines[0].strip(), "\n".join(lines[1:])
    if re.search(r"\n\s*\n", rest.strip()):
        blocks = re.split(r"\n\s*\n", rest)
        paragraphs = [" ".join(line.strip() for line in b.splitlines() if line.strip())
                      for b in blocks]
    else:
        paragraphs = [line.strip() for line in rest.splitlines()]
    return title, [p for p in paragraphs if p]
