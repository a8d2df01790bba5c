"""Story -> a 1200×630 social card PNG (headline + a glimpse of the matrix), no browser needed.

Link previews on social networks and chat apps show this image. It is drawn with Pillow
and its bundled scalable font, and cached on disk by a hash of what it shows, so a
rebuild only draws the cards whose story changed; the others are drawn over every core.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from onrecord.builder import workers
from onrecord.stories.config import SiteConfig
from onrecord.stories.model import Stance, Story
from onrecord.stories.words import count
from onrecord.views.matrix import Matrix
from onrecord.website.pages import stats

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
INK, MUTED, PAPER, RULE = "#1a1a1a", "#5f5f5f", "#fbfaf7", "#e3e3e3"
ROWS = 5          # matrix rows shown
COLUMNS = 6       # matrix columns shown
VERSION = "4"     # bump when the drawing changes, to refresh cached cards
Mark = tuple[str, str, str]   # colour, symbol, label
Glimpse = list[tuple[str, list[Mark | None]]]


def path(story: Story) -> str:
    return f"{story.slug}/social.png"


def glimpse(matrix: Matrix) -> Glimpse:
    """The most quoted rows of the matrix: (speaker, [latest stance on each claim or None])."""
    rows = sorted(matrix.rows, key=lambda r: -r.count)[:ROWS]
    return [(row.actor.name, [_mark(c.stance) for c in row.cells[:COLUMNS]]) for row in rows]


def _mark(stance: Stance | None) -> Mark | None:
    return (stance.color, stance.symbol, stance.label) if stance else None


def site_card(stories: int, config: SiteConfig, cache: Path) -> dict[str, bytes]:
    """{social.png: PNG}: the card of the site's other pages."""
    return drawn({"social.png": _site_card(stories, config)}, cache)


def drawn(cards: Mapping[str, dict[str, Any]], cache: Path) -> dict[str, bytes]:
    """{output path: PNG} for `cards` ({output path: what it shows}), each from `cache` or
    drawn (by the build's worker pool, onrecord/builder/workers.py)."""
    wanted = {where: (name(what), what) for where, what in cards.items()}
    found: dict[str, bytes] = {}
    todo: dict[str, str] = {}
    for card, what in wanted.values():
        try:
            found[card] = (cache / f"{card}.png").read_bytes()
        except OSError:
            todo[card] = fields(what)
    if todo:
        drawn = workers.collect(workers.batches(cards=todo.items()), "cards").cards
        for card, data in drawn.items():
            store(cache, card, data)
        found |= drawn
    return {where: found[card] for where, (card, _) in wanted.items()}


def inputs(stories: Iterable[Story], matrices: Mapping[str, Matrix], config: SiteConfig
           ) -> dict[str, dict[str, Any]]:
    """{output path: what its card shows}, the keyword arguments of `draw`."""
    stories = tuple(stories)
    result = {path(s): card_fields(s, matrices[s.slug], config) for s in stories}
    result["social.png"] = _site_card(len(stories), config)
    return result


def card_fields(story: Story, matrix: Matrix, config: SiteConfig) -> dict[str, Any]:
    """What a story's card shows: the keyword arguments of `draw`."""
    return {"site": config.title, "title": story.title, "stats": stats(story),
            "glimpse": glimpse(matrix)}


def _site_card(stories: int, config: SiteConfig) -> dict[str, Any]:
    return {"site": config.title, "glimpse": [], "stats": count(stories, "story", "stories"),
            "title": config.description or config.title}


def name(what: Mapping[str, Any]) -> str:
    """A card's name in the cache: a hash of what it shows and of the drawing's version."""
    key = json.dumps({"v": VERSION, **what}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def fields(what: Mapping[str, Any]) -> str:
    """What a card shows as JSON: its input to `workers.draw`."""
    return json.dumps(what, sort_keys=True, ensure_ascii=False)


def cached(cache: Path, card: str) -> bool:
    return (cache / f"{card}.png").is_file()


def store(cache: Path, card: str, data: bytes) -> None:
    """Put a card in the cache under its name, whole or not at all."""
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / f".{card}.{os.getpid()}.tmp"
    temporary.write_bytes(data)
    os.replace(temporary, cache / f"{card}.png")


def draw(site: str, title: str, glimpse: Glimpse, stats: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    small = ImageFont.load_default(size=26)
    pen.rectangle((0, 0, 14, HEIGHT), fill="#0064a0")
    pen.text((MARGIN, 44), site.upper(), font=small, fill=MUTED)
    lines, font = _fit(title, ImageFont, WIDTH - 2 * MARGIN)
    y = 92
    for line in lines:
        pen.text((MARGIN, y), line, font=font, fill=INK, stroke_width=1, stroke_fill=INK)
        y += int(font.size * 1.18)
    top = max(y + 24, 330)
    pen.line((MARGIN, top - 12, WIDTH - MARGIN, top - 12), fill=RULE, width=2)
    label = ImageFont.load_default(size=24)
    step = min(48, (HEIGHT - 70 - top) // max(len(glimpse), 1))
    for n, (name, marks) in enumerate(glimpse):
        row_y = top + n * step
        pen.text((MARGIN, row_y + 6), _clip(name, label, 360), font=label, fill=INK)
        for m, mark in enumerate(marks):
            _symbol(pen, (MARGIN + 400 + m * 64, row_y + step // 2), mark)
    legend = dict.fromkeys(tuple(mark) for _, marks in glimpse for mark in marks if mark)
    for n, mark in enumerate(legend):
        _symbol(pen, (MARGIN + 756, top + n * 40 + 16), mark, 10)
        pen.text((MARGIN + 780, top + n * 40 + 2), mark[2], font=label, fill=MUTED)
    pen.text((MARGIN, HEIGHT - 56), stats, font=small, fill=MUTED)
    out = io.BytesIO()   # 64 colours: as sharp, 40% of the bytes, and quick to encode
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(out, "PNG")
    return out.getvalue()


def _fit(title: str, fonts, width: int):  # -> (lines, font)
    for size in (60, 52, 44, 38):
        font = fonts.load_default(size=size)
        lines = _wrap(title, font, width)
        if len(lines) <= 3:
            return lines, font
    return [*lines[:2], _clip(" ".join(lines[2:]), font, width)], font


def _wrap(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _clip(text: str, font, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _symbol(pen, centre: tuple[int, int], mark: Mark | None, r: int = 15) -> None:
    x, y = centre
    if mark is None:
        pen.ellipse((x - 4, y - 4, x + 4, y + 4), fill=RULE)
        return
    color, symbol, _ = mark
    if symbol == "square":
        pen.rectangle((x - r + 2, y - r + 2, x + r - 2, y + r - 2), fill=color)
    elif symbol == "cross":
        pen.line((x - r, y - r, x + r, y + r), fill=color, width=max(3, r // 2))
        pen.line((x - r, y + r, x + r, y - r), fill=color, width=max(3, r // 2))
    elif symbol == "diamond":
        pen.polygon([(x, y - r - 2), (x + r + 2, y), (x, y + r + 2), (x - r - 2, y)], fill=color)
    elif symbol.startswith("triangle"):
        pen.polygon([(x, y - r - 2), (x + r + 2, y + r), (x - r - 2, y + r)], fill=color)
    else:
        pen.ellipse((x - r, y - r, x + r, y + r), fill=color)
