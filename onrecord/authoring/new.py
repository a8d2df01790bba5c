"""`new`: start a story from a template that is valid as created, with today's date."""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from pathlib import Path

from onrecord.stories.validate import RESERVED_SLUGS, slugify


class CannotCreate(Exception):
    """Why a story could not be created, in words for the writer."""


def story(title: str, folder: Path, today: dt.date | None = None) -> Path:
    """Write `folder/<slug>.md` for `title`; never overwrite an existing file."""
    slug = slugify(title)
    if not title.strip() or not slug:
        raise CannotCreate("the title needs at least one letter or digit, e.g. "
                           '"Who ordered the blackout"')
    if slug in RESERVED_SLUGS:
        raise CannotCreate(f"'{slug}' is a name the site uses for its own pages; "
                           "choose a longer title")
    day = (today or dt.date.today()).isoformat()
    text = (files("onrecord.authoring").joinpath("new_story.md").read_text(encoding="utf-8")
            .replace("__TITLE__", json.dumps(title.strip(), ensure_ascii=False))
            .replace("__DATE__", day))
    path = folder / f"{slug}.md"
    if not write_new(path, text):
        raise CannotCreate(f"{path.name} already exists; nothing was changed "
                           "(pick another title, or edit that file)")
    return path


def write_new(path: Path, text: str) -> bool:
    """Write a story file that is not there yet; False, writing nothing, if it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as out:   # 'x': fails if the file exists
            out.write(text)
    except FileExistsError:
        return False
    return True
