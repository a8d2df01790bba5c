"""site/site.toml -> SiteConfig: typed, with defaults, and a clear error for every bad key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from onrecord.model import Stance
from onrecord.problems import Problems, did_you_mean

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
SYMBOLS = ("circle", "square", "cross", "diamond", "triangle-up", "triangle-down",
           "triangle-right", "triangle-left", "stroke", "wedge")
STANDARD_CHARTS = ("timeline", "stances", "topics")
ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


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


def load(path: Path, problems: Problems, *, base_url: str | None = None) -> SiteConfig:
    """Read the site config; without a file the defaults stand. Problems are collected."""
    shown = path.as_posix()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
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
        values["stances"] = _stances(values["stances"], shown, problems)
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
    elif not url.endswith("/"):
        values["base_url"] = url + "/"
    licence_url = values.get("license_url", "")
    if licence_url and urlsplit(licence_url).scheme not in ("http", "https"):
        problems.add(shown, None, f"license_url '{licence_url}' is not an http(s) address",
                     'write e.g. license_url = "https://creativecommons.org/licenses/by/4.0/"')
        values.pop("license_url")
    values.setdefault("publisher", values.get("title", SiteConfig.title))
    return SiteConfig(**values)


def _stances(items: list[Any], shown: str, problems: Problems) -> tuple[Stance, ...]:
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
        for key in ("color", "dark_color"):
            if key in item and not COLOR.match(str(item[key])):
                problems.add(shown, None, f"{where}: {key} '{item[key]}' is not a #rrggbb colour",
                             'write e.g. color = "#0064a0"')
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


def _toml_line(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def _kind(kind: type) -> str:
    return {str: "text", int: "a whole number", list: "a list", dict: "a table",
            bool: "true or false", float: "a number"}.get(kind, kind.__name__)


def _example(kind: type) -> str:
    return {str: '"..."', int: "640", list: '["timeline", "stances"]'}.get(kind, "...")
