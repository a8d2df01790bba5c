"""The build cache (.onrecord-cache/build/): the work of earlier builds, found by content hash.

Every entry is keyed by a hash of everything that made it, so an entry is never stale,
only unused (and then pruned):

- a story: the file's bytes + its path + the site settings + On Record's own code ->
  the checked Story (or None) and every problem found, replayed on a hit so a warning
  never vanishes because a story was cached;
- a page: its template set, settings, assets and the keys of the stories it shows ->
  the rendered bytes, kept in a file of their own so a build holds few pages in memory;
- a story's rows of the quote downloads (CSV and JSON), from which the site-wide files
  are joined.

Each entry is a file of its own under files/, written atomically, so an edit writes
one story and one page; a small index.pickle says which file holds each page and keeps
the site's chart specs. Losing the folder only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord.model import Story
from onrecord.problems import Problem

FORMAT = "onrecord-build-cache/3"


def digest(*parts: str | bytes) -> str:
    """A short hash of `parts`, each kept apart from the next."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()


def code_version() -> str:
    """On Record's own source and the Python version: new code makes new keys."""
    folder = Path(__file__).parent
    return digest(FORMAT, sys.version, *_named_bytes(sorted(folder.glob("*.py")), folder))


def folder_digest(folder: Path) -> str:
    """Names and bytes of every file under `folder` (the templates)."""
    if not folder.is_dir():
        return digest("none")
    return digest(*_named_bytes(sorted(p for p in folder.rglob("*") if p.is_file()), folder))


def _named_bytes(files: list[Path], folder: Path) -> Iterator[str | bytes]:
    for path in files:
        yield path.relative_to(folder).as_posix()
        yield path.read_bytes()


@dataclass(frozen=True)
class StoryEntry:
    story: Story | None
    problems: tuple[Problem, ...]
    data: str = ""        # key of the story's download rows, '' if it has no story
    slug_line: int = 1    # where a duplicate slug is reported


@dataclass
class BuildCache:
    """Story entries in memory (one pickle), pages and download rows as files beside it."""

    folder: Path
    pages: dict[str, tuple[tuple[str, ...], str, str]] = field(default_factory=dict)
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)   # the site's chart specs
    used: set[str] = field(default_factory=set)
    changed: bool = False
    # This build's answers, by story file: the story's key and its download rows' key.
    story_keys: dict[str, str] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)
    slug_lines: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path) -> BuildCache:
        try:
            with open(folder / "index.pickle", "rb") as stored:
                version, pages, specs = pickle.load(stored)
            if version == FORMAT:
                return cls(folder, pages, specs)
        except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError,
                pickle.UnpicklingError):
            pass
        return cls(folder)

    # Stories: one small file each, so an edit writes one file -----------------------

    def story(self, key: str) -> StoryEntry | None:
        try:
            entry = pickle.loads(self._file(key).read_bytes())
        except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError,
                pickle.UnpicklingError):
            return None
        if not isinstance(entry, StoryEntry):
            return None
        self.used.update((key, entry.data) if entry.data else (key,))
        return entry

    def put_story(self, key: str, entry: StoryEntry) -> None:
        self.put_file(key, pickle.dumps(entry, pickle.HIGHEST_PROTOCOL))
        if entry.data:
            self.used.add(entry.data)

    # Files: pages and download rows ----------------------------------------------------

    def _file(self, name: str) -> Path:
        return self.folder / "files" / name

    def has_file(self, name: str) -> bool:
        return self._file(name).is_file()

    def put_file(self, name: str, data: bytes) -> None:
        path = self._file(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        self.used.add(name)

    def reader(self, name: str) -> Callable[[], bytes]:
        self.used.add(name)
        return self._file(name).read_bytes

    def read_rows(self, name: str) -> tuple[str, str]:
        csv_rows, json_rows = pickle.loads(self._file(name).read_bytes())
        return csv_rows, json_rows

    def put_rows(self, name: str, csv_rows: str, json_rows: str) -> None:
        self.put_file(name, pickle.dumps((csv_rows, json_rows), pickle.HIGHEST_PROTOCOL))

    # Pages -----------------------------------------------------------------------------

    def page(self, base: str, reads_now: Callable[[tuple[str, ...]], str]) -> str | None:
        """The file holding the page made from `base`, if what it read last time (site-wide
        things beyond `base`) still has the same digest; `reads_now` computes that."""
        found = self.pages.get(base)
        if found is None or reads_now(found[0]) != found[1] or not self.has_file(found[2]):
            return None
        self.used.update((base, found[2]))
        return found[2]

    def put_page(self, base: str, reads: tuple[str, ...], reads_digest: str,
                 data: bytes) -> str:
        """Store a page with the names of what it read beyond `base` and their digest."""
        name = digest(base, reads_digest)
        self.put_file(name, data)
        self.pages[base] = (reads, reads_digest, name)
        self.used.add(base)
        self.changed = True
        return name

    def chart_specs(self, key: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The site's chart specs: made once (Altair is slow to import), then kept."""
        if key not in self.specs:
            self.specs[key] = make()
            self.changed = True
        self.used.add(key)
        return self.specs[key]

    # Saving ---------------------------------------------------------------------------

    def save(self) -> None:
        """Write the index if anything was added. Nothing is deleted here: another build
        (say, with other options) may still need entries this one did not use."""
        if not self.changed:
            return
        self._write_index(self.pages, self.specs)
        self.changed = False

    def prune(self) -> None:
        """Delete what this build did not use; call only while holding the build lock."""
        pages = {k: v for k, v in self.pages.items() if k in self.used}
        specs = {k: v for k, v in self.specs.items() if k in self.used}
        if (len(pages), len(specs)) != (len(self.pages), len(self.specs)):
            self._write_index(pages, specs)
        try:
            entries = list(os.scandir(self.folder / "files"))
        except OSError:
            entries = []
        for entry in entries:
            if entry.name not in self.used and not entry.name.startswith("."):
                os.unlink(entry.path)

    def _write_index(self, pages: dict, specs: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".index.{os.getpid()}.tmp"
        with open(temporary, "wb") as out:
            pickle.dump((FORMAT, pages, specs), out, pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / "index.pickle")


class Outputs(Mapping[str, bytes]):
    """{output path: bytes}, where some bytes are read from the cache only when asked for.

    Keeps a build's memory flat: thousands of rendered pages wait on disk, not in a dict.
    """

    def __init__(self, eager: Mapping[str, bytes],
                 lazy: Mapping[str, Callable[[], bytes]]) -> None:
        self._eager = dict(eager)
        self._lazy = {p: f for p, f in lazy.items() if p not in self._eager}

    def __getitem__(self, path: str) -> bytes:
        if path in self._eager:
            return self._eager[path]
        return self._lazy[path]()

    def __iter__(self) -> Iterator[str]:
        yield from self._eager
        yield from self._lazy

    def __len__(self) -> int:
        return len(self._eager) + len(self._lazy)

    def __contains__(self, path: object) -> bool:
        return path in self._eager or path in self._lazy
