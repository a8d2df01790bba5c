"""site/site.toml -> SiteConfig: typed, with defaults, and a clear error for every bad key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import EllipsisType
from typing import Any
from urllib.parse import urlsplit

from onrecord.stories.model import Stance
from onrecord.stories.problems import Problems, did_you_mean

# Okabe-Ito hues, darkened for text-grade contrast on white and lightened for dark mode.
DEFAULT_STANCES = (
    Stance("supports", "Supports", "#00795a", "#3fcfa4", "circle",
           "Backs the claim"),
    Stance("disputes", "Disputes", "#c24100", "#ff8f57", "cross",
           "Rejects the claim"),
    Stance("questions", "Questions", "#8a5a00", "#f2b84b", "diamond",
           "Casts doubt on the claim without rejecting it"),
    Stance("declines", "Declines to comment", "#5f5f5f", "#b4b4b4", "square",
           "Refuses to take a position"),
    Stance("reports", "Reports", "#0064a0", "#6cbcf0", "triangle-up",
           "States facts without taking a side"),
)
# The reserved stance `draft` gives every quote it finds: the writer's judgement is still to
# come, so a story holding one cannot be published (validate.py). It is not in site.toml;
# builds that include drafts add it to the vocabulary when a draft uses it (pipeline.py).
UNREVIEWED = Stance("unreviewed", "Not yet reviewed", "#7b3f98", "#d3a6f0", "triangle-down",
                    "Drafted from an article; the stance and claim are still to be decided")
SYMBOLS = ("circle", "square", "cross", "diamond", "triangle-up", "triangle-down",
           "triangle-right", "triangle-left", "stroke", "wedge")
STANDARD_CHARTS = ("timeline", "stances", "topics")
ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# What stance colours sit on as text (the glyph in each stance badge), light and dark: the
# page and the cards (--bg and --surface in site/static/style.css; a test keeps them equal).
BACKGROUNDS = {"light": ("#fbfaf7", "#ffffff"), "dark": ("#15171b", "#1e2127")}
AA_TEXT = 4.5  # WCAG 2 AA contrast for text
ABSOLUTE_HINT = ("set base_url to the full address the site is published at, e.g. "
                 "base_url = \"https://news.example.com/explainers/\", or pass --base-url "
                 "when you build for publishing; `check --strict` makes this an error")


@dataclass(frozen=True)
class SiteConfig:
    """The site's settings. Each field is documented in docs/configuration.md."""

    title: str = "On Record"
    description: str = ""
    language: str = "en"
    base_url: str = "/"
    publisher: str = ""
    stances: tuple[Stance, ...] = DEFAULT_STANCES
    default_charts: tuple[str, ...] = ("timeline", "stances")
    chart_width: int = 640
    license: str = ""          # the data's licence, an SPDX id such as "CC-BY-4.0"
    license_url: str = ""      # where its terms are, an http(s) address

    @property
    def base_path(self) -> str:
        """The path the site lives under, e.g. '/explainers/'; always starts and ends with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def absolute(self) -> bool:
        return bool(urlsplit(self.base_url).scheme)

    def stance(self, stance_id: str) -> Stance | None:
        return next((s for s in self.stances if s.id == stance_id), None)


KEYS = {"title": str, "description": str, "language": str, "base_url": str, "publisher": str,
        "stances": list, "default_charts": list, "chart_width": int, "license": str,
        "license_url": str}
STANCE_KEYS = {"id", "label", "color", "dark_color", "symbol", "description"}


def load(path: Path, problems: Problems, *, base_url: str | None = None,
         shown: str | None = None, raw: bytes | EllipsisType | None = ...) -> SiteConfig:
    """Read the site config; without a file the defaults stand. Problems are collected,
    named by `shown` (the path as the writer knows it; default: `path`). `raw`: the file's
    bytes as already read (None: there is no file), instead of reading it here."""
    shown = shown or path.as_posix()
    data: dict[str, Any] = {}
    text = ""
    if raw is ...:
        raw = path.read_bytes() if path.exists() else None
    if raw is not None:
        try:
            text = raw.decode("utf-8")
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            line = _toml_line(str(error))
            problems.add(shown, line, f"TOML syntax error: {error}",
                         "check quoting and '=' on this line; strings need \"quotes\"")
            return SiteConfig()
    values: dict[str, Any] = {}
    for key, value in data.items():
        kind = KEYS.get(key)
        if kind is None:
            problems.add(shown, None, f"unknown setting '{key}'", did_you_mean(key, KEYS),
                         warning=True)
        elif not isinstance(value, kind) or isinstance(value, bool):
            problems.add(shown, None, f"'{key}' must be {_kind(kind)}, not {_kind(type(value))}",
                         f"write e.g. {key} = {_example(kind)}")
        else:
            values[key] = value
    if "stances" in values:
        values["stances"] = _stances(values["stances"], shown, problems, text)
    if "default_charts" in values:
        values["default_charts"] = tuple(str(c) for c in values["default_charts"])
    if base_url is not None:
        values["base_url"] = base_url
    url = values.get("base_url", "/")
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc):
        problems.add(shown, None, f"base_url '{url}' is not an http(s) address or a path",
                     "write e.g. base_url = \"https://example.org/explainers/\" or \"/\"")
        values.pop("base_url")
    else:
        if not url.endswith("/"):
            values["base_url"] = url + "/"
        if not parts.scheme:
            where = "--base-url" if base_url is not None else "base_url"
            problems.add(shown, None if base_url is not None else _line_of(text, "base_url"),
                         f"{where} '{url}' is not a full address, so the canonical links, "
                         "link previews (og:url, og:image), sitemap.xml, robots.txt's Sitemap "
                         "line, the JSON-LD addresses and the oEmbed files are left out, the "
                         "embed codes and the feed's links "
                         "are relative", ABSOLUTE_HINT, warning=True)
    licence_url = values.get("license_url", "")
    if licence_url and urlsplit(licence_url).scheme not in ("http", "https"):
        problems.add(shown, None, f"license_url '{licence_url}' is not an http(s) address",
                     'write e.g. license_url = "https://creativecommons.org/licenses/by/4.0/"')
        values.pop("license_url")
    values.setdefault("publisher", values.get("title", SiteConfig.title))
    return SiteConfig(**values)


def _stances(items: list[Any], shown: str, problems: Problems,
             text: str) -> tuple[Stance, ...]:
    stances = []
    for n, item in enumerate(items, 1):
        where = f"stance {n}"
        if not isinstance(item, dict):
            problems.add(shown, None, f"{where} must be a table",
                         "write each stance as [[stances]] with id, label, color")
            continue
        for key in item.keys() - STANCE_KEYS:
            problems.add(shown, None, f"{where}: unknown key '{key}'",
                         did_you_mean(key, STANCE_KEYS), warning=True)
        missing = [k for k in ("id", "label", "color") if not isinstance(item.get(k), str)]
        if missing:
            problems.add(shown, None, f"{where}: {', '.join(missing)} missing or not text",
                         'give each stance id = "...", label = "...", color = "#rrggbb"')
            continue
        if not ID.match(item["id"]):
            problems.add(shown, None, f"{where}: id '{item['id']}' is not a lowercase slug",
                         "use lowercase letters, digits and '-', e.g. 'disputes'")
        elif item["id"] == UNREVIEWED.id:
            problems.add(shown, None, f"{where}: id '{UNREVIEWED.id}' is reserved for quotes "
                         "that `draft` found and nobody has reviewed yet",
                         "give this stance another id")
            continue
        bad_colour = False
        for key in ("color", "dark_color"):
            if key in item and not COLOR.match(str(item[key])):
                bad_colour = True
                problems.add(shown, _line_of(text, key, "stances", n - 1),
                             f"{where}: {key} '{item[key]}' is not a #rrggbb colour",
                             'write e.g. color = "#0064a0"')
        if not bad_colour:
            _contrast(item, text, n, shown, problems)
        symbol = item.get("symbol", SYMBOLS[(n - 1) % len(SYMBOLS)])
        if symbol not in SYMBOLS:
            problems.add(shown, None, f"{where}: unknown symbol '{symbol}'",
                         did_you_mean(symbol, SYMBOLS))
        stances.append(Stance(item["id"], item["label"], item["color"],
                              item.get("dark_color", item["color"]), symbol,
                              item.get("description", "")))
    seen: set[str] = set()
    for stance in stances:
        if stance.id in seen:
            problems.add(shown, None, f"stance '{stance.id}' is defined twice",
                         "give each stance a different id")
        seen.add(stance.id)
    return tuple(stances) or DEFAULT_STANCES


def _contrast(item: dict[str, Any], text: str, n: int, shown: str, problems: Problems) -> None:
    """A stance colour is text (the badge's glyph): it must reach WCAG AA on every background
    it sits on, `color` in light mode and `dark_color` in dark mode."""
    for mode, key in (("light", "color"), ("dark", "dark_color")):
        colour = str(item.get(key, item["color"]))
        ratio, background = min((contrast(colour, bg), bg) for bg in BACKGROUNDS[mode])
        if ratio >= AA_TEXT:
            continue
        written = key if key in item else "color"
        unset = "" if key in item else " (dark_color is not set, so color is used)"
        problems.add(shown, _line_of(text, written, "stances", n - 1),
                     f"stance '{item['id']}': {key} {colour} has a contrast of "
                     f"{int(ratio * 100) / 100:.2f}:1 on the {mode} background {background}"
                     f"{unset}; text needs {AA_TEXT}:1 (WCAG AA)",
                     f'write e.g. {key} = "{passing(colour, BACKGROUNDS[mode])}" (the same hue, '
                     f'{"darker" if mode == "light" else "lighter"}), which reaches it')


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours, from 1 to 21."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def passing(colour: str, backgrounds: tuple[str, ...]) -> str:
    """`colour` mixed toward black (on light backgrounds) or white (on dark) until it
    reaches AA text contrast on all of `backgrounds`."""
    towards = 0 if luminance(backgrounds[0]) > 0.5 else 255
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    for step in range(101):
        mixed = "#" + "".join(f"{round(c + (towards - c) * step / 100):02x}" for c in channels)
        if all(contrast(mixed, bg) >= AA_TEXT for bg in backgrounds):
            return mixed
    return "#000000" if towards == 0 else "#ffffff"


def _line_of(text: str, key: str, table: str | None = None, index: int = 0) -> int | None:
    """The line of `key = ...` at the top of the file, or in the index-th `[[table]]`; None
    when it is written another way (an inline table, a dotted key)."""
    tables = -1
    inside = table is None
    assignment = re.compile(rf"\s*{re.escape(key)}\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\[?\s*([^\]]+?)\s*\]", line)
        if header:
            if header.group(1) == table and line.lstrip().startswith("[["):
                tables += 1
                inside = tables == index
            else:
                inside = False
        elif inside and assignment.match(line):
            return number
    return None


def _toml_line(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def _kind(kind: type) -> str:
    return {str: "text", int: "a whole number", list: "a list", dict: "a table",
            bool: "true or false", float: "a number"}.get(kind, kind.__name__)


def _example(kind: type) -> str:
    return {str: '"..."', int: "640", list: '["timeline", "stances"]'}.get(kind, "...")
