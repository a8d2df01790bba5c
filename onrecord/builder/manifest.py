"""What the last build read and wrote, so the next one can stop early or skip work.

`scan` stats every input (stories, site/, templates/, On Record's own code) before a
build reads them; `save` stores those stats with the output folder's identity and a key
for every output. A build whose inputs all stat the same, into the same output folder,
would write the same bytes: `unchanged` lets the command line say so in milliseconds,
without importing the rest of the engine. Loading the manifest costs no more than JSON.

The output folder is trusted to be what the last build swapped in, as long as it is
the same folder (device and inode): delete it, or the cache, to force a full write.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from onrecord.stories.paths import Paths

FORMAT = "onrecord-manifest/1"
Stats = dict[str, list[int]]


class _Options(Protocol):
    drafts: bool
    base_url: str | None


class _Result(Protocol):
    keys: Mapping[str, str]
    warnings: tuple[Any, ...]
    stories: int


def _file(paths: Paths, name: str) -> Path:
    return paths.cache / "build" / name


def scan(paths: Paths) -> Stats:
    """(size, mtime) of every file a build reads, by path."""
    stats: Stats = {}
    package = Path(__file__).parent.parent  # onrecord/
    for top, skip_hidden in ((paths.content, True), (paths.site, False),
                             (paths.templates, False), (package, False)):
        for folder, dirs, files in os.walk(top):
            if skip_hidden:
                dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
            else:
                dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if (skip_hidden and name.startswith((".", "_"))) or name.endswith(".pyc"):
                    continue
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                stats[path] = [info.st_size, info.st_mtime_ns]
    return stats


def _setting(paths: Paths, drafts: bool, base_url: str | None) -> str:
    return json.dumps([FORMAT, str(paths.content), str(paths.public), drafts, base_url])


def _folder_id(path: Path) -> list[int] | None:
    """Which folder this is: device and inode, and its change time, as an inode number
    can be reused once a folder is deleted."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_ctime_ns]


def _public_id(paths: Paths) -> list[int] | None:
    return _folder_id(paths.public)


def standby(paths: Paths) -> Path:
    """Where the previous site is kept: in the cache folder if that is on the output
    folder's file system (the swap moves it with a rename), else beside the output folder."""
    if _device(paths.cache) == _device(paths.public.parent):
        return paths.cache / "standby"
    return paths.public.with_name(f".{paths.public.name}.standby")


def _device(path: Path) -> int | None:
    for folder in (path, *path.parents):
        try:
            return os.stat(folder).st_dev
        except OSError:
            continue
    return None


def forget(paths: Paths) -> None:
    """Before the output folders change: a build killed from here on leaves no record that
    could describe them wrongly, so the next build compares or rewrites everything."""
    for name in ("manifest.json", "outputs.json"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(_file(paths, name))


def save(paths: Paths, options: _Options, inputs: Stats, result: _Result,
         report: Any, standby_keys: Mapping[str, str]) -> None:
    """Record a finished build (call after the swap), and what the standby folder holds."""
    summary = {
        "setting": _setting(paths, options.drafts, options.base_url),
        "public": _public_id(paths), "inputs": inputs,
        "warnings": [[w.path, w.line, w.message, w.hint] for w in result.warnings],
        "stories": result.stories,
        "files": report.written,
    }
    _write_json(_file(paths, "manifest.json"), summary)
    _write_json(_file(paths, "outputs.json"), {
        "public": summary["public"], "keys": dict(result.keys),
        "standby": _folder_id(standby(paths)), "standby_keys": dict(standby_keys)})


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def outputs(paths: Paths) -> tuple[dict[str, str], dict[str, str]]:
    """The key of every file in the output folder and in its standby, where still known."""
    stored = _read_json(_file(paths, "outputs.json"))

    def keys(folder: str, name: str, now: list[int] | None) -> dict[str, str]:
        found = stored.get(name)
        known = stored.get(folder) is not None and stored.get(folder) == now
        return found if known and isinstance(found, dict) else {}

    return (keys("public", "keys", _public_id(paths)),
            keys("standby", "standby_keys", _folder_id(standby(paths))))


def unchanged(paths: Paths, drafts: bool, base_url: str | None) -> dict[str, Any] | None:
    """The last build's summary if building again would change nothing, else None."""
    stored = _read_json(_file(paths, "manifest.json"))
    if (not stored or stored.get("setting") != _setting(paths, drafts, base_url)
            or stored.get("public") is None or stored.get("public") != _public_id(paths)):
        return None
    return stored if stored.get("inputs") == scan(paths) else None
