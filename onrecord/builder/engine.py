"""One incremental engine for build, serve and check: every stage is cached by what it read.

A stage is a plain function `stage(step, *args)` registered with `@stage`. It reads files
and other stages only through `step` (`step.read(path)`, `step.get(other, *args)`), so
the engine, not the caller, records what each result was made of. Asked for a result
again, the engine looks at what that result read last time and reruns the stage only if
one of those changed; when the rerun gives a value equal to the old one, the stages
that read it are not rerun either (early cut-off, as in Salsa or Turbopack): an edit to
a story's body re-renders its page, not the index, which shows only its title.

Results, with what they read, are kept on disk (one SQLite file in the project's cache,
`Store`), so a new process starts where the last one stopped: `build` after `serve`, or
after another `build`, reruns only what changed. Files are the inputs. A process reads
each file it needs once, hashing its bytes; the dev server reads one again only when the
watcher says it changed (`changed`), so checking a site of 1,000 stories after one save
costs microseconds a file.

Values are compared by a fingerprint, a hash of their pickled bytes (`fingerprint_of`).
A stage whose values cannot be pickled (a Jinja environment) is kept in memory only, its
fingerprint made of what it read. Big values (rendered pages) are `spill`ed: written to
the store and dropped from memory, read back when they are wanted, so memory stays flat.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sqlite3
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Args = tuple[Any, ...]
Dep = tuple[str, Args, str]          # stage name, its arguments, the fingerprint seen
FORMAT = "onrecord-engine/1"
_UNLOADED = object()                  # a result whose value is on disk, not in memory
RECENT = 256                          # spilled values kept at hand, most recently used


@dataclass(frozen=True)
class Stage:
    """A function the engine caches. `kept`: its values can be pickled and stored;
    `spill`: store them and drop them from memory (pages); `source`: it reads the world
    (a file), so it is rerun, not checked, whenever the world may have changed."""

    name: str
    function: Callable[..., Any]
    kept: bool = True
    spill: bool = False
    source: bool = False

    def __call__(self, step: Step, *args: Any) -> Any:   # lets one stage call another directly
        return step.get(self, *args)


STAGES: dict[str, Stage] = {}


def stage(function: Callable[..., T] | None = None, *, kept: bool = True, spill: bool = False,
          source: bool = False) -> Any:
    """Register `function(step, *args)` as a stage; its arguments must be plain values."""
    def register(function: Callable[..., T]) -> Stage:
        made = Stage(f"{function.__module__.rsplit('.', 1)[-1]}.{function.__qualname__}",
                     function, kept, spill, source)
        STAGES[made.name] = made
        return made
    return register(function) if function is not None else register


def digest(*parts: str | bytes) -> str:
    """A short hash of `parts`, each kept apart from the next."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()


def code_version() -> str:
    """On Record's own source and Python's version: results made by other code are not
    reused (the SVG and card caches, keyed by what they draw, survive a new version)."""
    package = Path(__file__).parent.parent  # onrecord/
    files = sorted(package.rglob("*.py"))
    return digest(FORMAT, sys.version, *(part for path in files for part in (
        path.relative_to(package).as_posix(), path.read_bytes())))


@dataclass(eq=False)
class _Result:
    fingerprint: str
    deps: tuple[Dep, ...]
    value: Any = _UNLOADED
    checked: int = 0          # the revision in which it was last known to be current


@dataclass(eq=False)
class Step:
    """One run of one stage: what it reads is recorded here."""

    engine: Engine
    deps: dict[tuple[str, Args], str] = field(default_factory=dict)

    def get(self, wanted: Stage, *args: Any) -> Any:
        """The value of another stage, recorded as read by this one."""
        return self.engine._get(wanted, args, self)

    def read(self, path: Path | str) -> bytes | None:
        """A file's bytes (None if it cannot be read), recorded as read by this stage."""
        return self.get(file, str(path))

    def files(self, folder: Path | str) -> tuple[str, ...]:
        """Every file under `folder`, relative, sorted: recorded, so a new file is seen."""
        return self.get(listing, str(folder))

    def untracked(self, wanted: Stage, *args: Any) -> Any:
        """A value this stage uses without depending on all of it: the caller records
        the part it depends on (a page reads the template environment, but depends on
        its own templates only)."""
        return self.engine.get(wanted, *args)


class Store:
    """Results on disk: one SQLite file, a row per result. A file that cannot be read is
    started afresh: losing it only costs time."""

    def __init__(self, path: Path, code: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self._open(code)
        except sqlite3.DatabaseError:
            for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                stale.unlink(missing_ok=True)
            self._open(code)
        self._pending: list[tuple[str, str, bytes, bytes | None]] = []

    def _open(self, code: str) -> None:
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                  timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, "
                        "fingerprint TEXT, deps BLOB, value BLOB)")
        self.db.execute("CREATE TABLE IF NOT EXISTS about (name TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM about WHERE name = 'code'").fetchone()
        if row is None or row[0] != code:
            self.db.execute("DELETE FROM results")
            self.db.execute("INSERT OR REPLACE INTO about VALUES ('code', ?)", (code,))
        self.index: dict[str, tuple[str, bytes]] = {
            key: (fingerprint, deps) for key, fingerprint, deps in
            self.db.execute("SELECT key, fingerprint, deps FROM results")}

    def result(self, key: str) -> _Result | None:
        found = self.index.get(key)
        if found is None:
            return None
        try:
            return _Result(found[0], pickle.loads(found[1]))
        except Exception:  # unreadable: as if it were not there
            return None

    def value(self, key: str, fingerprint: str) -> Any:
        """The stored value with this fingerprint, or _UNLOADED if there is none (another
        process may have stored another since)."""
        self.flush()
        row = self.db.execute("SELECT value FROM results WHERE key = ? AND fingerprint = ?",
                              (key, fingerprint)).fetchone()
        if row is None or row[0] is None:
            return _UNLOADED
        try:
            return pickle.loads(row[0])
        except Exception:
            return _UNLOADED

    def put(self, key: str, result: _Result, value: bytes | None) -> None:
        deps = pickle.dumps(result.deps, protocol=5)
        self.index[key] = (result.fingerprint, deps)
        self._pending.append((key, result.fingerprint, deps, value))
        if len(self._pending) >= 200:
            self.flush()

    def flush(self) -> None:
        """Write what is pending, in a transaction of its own: the file is never locked
        for long, so a build and a dev server can share it."""
        if not self._pending:
            return
        self.db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", self._pending)
        self._pending = []

    def save(self, keep: set[str] | None = None) -> None:
        """Commit this run's results; with `keep`, forget every other result (pruning)."""
        self.flush()
        if keep is not None:
            gone = [(key,) for key in self.index if key not in keep]
            self.db.executemany("DELETE FROM results WHERE key = ?", gone)
            for (key,) in gone:
                del self.index[key]

    def close(self) -> None:
        self.db.close()


class Engine:
    """Stage results for one project, current as of `revision`.

    Thread-safe: one lock around every question, so a dev server's request thread and its
    background thread can share one engine.
    """

    def __init__(self, store: Store | None = None, given: Any = None) -> None:
        self.store = store
        self.given = given        # what the stages are asked about (the project, options)
        self.revision = 1
        self.lock = threading.RLock()
        self.computed: list[tuple[str, Args]] = []   # what this revision reran, in order
        self._results: dict[str, _Result] = {}
        self._read: set[str] = set()      # sources read in this process, current unless dirty
        self._dirty: set[str] = set()
        self._folders: dict[str, str] = {}   # listing key -> its folder
        self._saved: dict[str, _Result] = {}  # what files held at `checkpoint`
        self._recent: OrderedDict[str, tuple[str, Any]] = OrderedDict()   # spilled, at hand
        self._active: set[str] = set()    # stages being run: a stage may not read itself

    # --- asking ---------------------------------------------------------------------------

    def get(self, wanted: Stage, *args: Any) -> Any:
        """The current value of `wanted(*args)`, rerun only if what it read changed."""
        return self._get(wanted, args, None)

    def fingerprint(self, wanted: Stage, *args: Any) -> str:
        """The fingerprint of the current value, without loading it from disk."""
        with self.lock:
            return self._current(wanted, args).fingerprint

    def changed(self, paths: Iterable[Path | str]) -> None:
        """Files that may have changed (a watcher's events): the next questions reread them
        and the folders above them, and rerun only what read them."""
        with self.lock:
            self.revision += 1
            self.computed = []
            for path in map(str, paths):
                self._dirty.add(_key(file, (path,)))
                self._dirty.update(key for key, folder in self._folders.items()
                                   if path.startswith(folder + "/") or path == folder)

    def refresh(self) -> None:
        """Any file may have changed: the next questions reread every file they read."""
        with self.lock:
            self.revision += 1
            self.computed = []
            self._dirty |= self._read

    def checkpoint(self) -> None:
        """Remember what every file read so far holds, for `rollback`."""
        with self.lock:
            self._saved = {key: self._results[key] for key in self._read if key in self._results}

    def rollback(self) -> None:
        """Back to the files as they were at `checkpoint`, though they changed on disk: a dev
        server goes on showing the last good site while a story is broken. A file is read
        again once `changed` names it (or `refresh` is called)."""
        with self.lock:
            self.revision += 1
            self.computed = []
            for key in self._read - self._saved.keys():
                self._results.pop(key, None)
                self._folders.pop(key, None)
            self._read = set(self._saved)
            for key, result in self._saved.items():
                result.checked = self.revision
                self._results[key] = result
            self._dirty -= self._read

    def save(self, *, prune: bool = False) -> None:
        """Keep this run's results on disk; `prune` forgets results this run did not use."""
        with self.lock:
            if self.store is not None:
                self.store.save({k for k, r in self._results.items() if r.checked}
                                if prune else None)

    def close(self) -> None:
        """Let go of the store, once no thread is using it; later questions are answered
        from memory, or by running the stages again."""
        with self.lock:
            if self.store is not None:
                self.store.close()
                self.store = None

    # --- the work -------------------------------------------------------------------------

    def _get(self, wanted: Stage, args: Args, step: Step | None) -> Any:
        with self.lock:
            key = _key(wanted, args)
            result = self._current(wanted, args, key)
            if step is not None:
                step.deps[(wanted.name, args)] = result.fingerprint
            value = result.value
            if value is _UNLOADED:
                value = self._recalled(key, result.fingerprint)
            if value is _UNLOADED and self.store is not None:
                value = self.store.value(key, result.fingerprint)
                if not wanted.spill:
                    result.value = value
                elif value is not _UNLOADED:
                    self._remember(key, result.fingerprint, value)
            if value is _UNLOADED:   # lost from the store: make it again
                value = self._run(wanted, args, key, None).value
            return value

    def _current(self, wanted: Stage, args: Args, key: str | None = None) -> _Result:
        key = key or _key(wanted, args)
        result = self._results.get(key)
        if result is None and self.store is not None:
            result = self.store.result(key)
            if result is not None:
                self._results[key] = result
        if result is not None and result.checked == self.revision:
            return result
        if result is None or not self._still_good(wanted, key, result):
            return self._run(wanted, args, key, result)
        result.checked = self.revision
        return result

    def _still_good(self, wanted: Stage, key: str, result: _Result) -> bool:
        if wanted.source:
            return key in self._read and key not in self._dirty
        for name, args, seen in result.deps:
            needed = STAGES.get(name)
            if needed is None or self._current(needed, args).fingerprint != seen:
                return False
        return True

    def _run(self, wanted: Stage, args: Args, key: str, old: _Result | None) -> _Result:
        """Run the stage; the result returned holds its value even when the one kept
        (spilled) does not."""
        if key in self._active:
            raise RuntimeError(f"stage {wanted.name}{args} reads itself")
        self._active.add(key)
        try:
            step = Step(self)
            value = wanted.function(step, *args)
        finally:
            self._active.discard(key)
        deps = tuple((name, a, seen) for (name, a), seen in step.deps.items())
        pickled = _pickled(value) if wanted.kept else None
        fingerprint = (fingerprint_of(value) if pickled is not None
                       else digest(wanted.name, *(f"{n}{a!r}{s}" for n, a, s in deps)))
        result = _Result(fingerprint, deps, value, self.revision)
        self._results[key] = result
        self.computed.append((wanted.name, args))
        if wanted.source:
            self._read.add(key)
            self._dirty.discard(key)
            if wanted is listing:
                self._folders[key] = args[0]
        if self.store is not None and pickled is not None:
            unchanged = old is not None and old.fingerprint == fingerprint and old.deps == deps
            if not unchanged:
                self.store.put(key, result, pickled)
            if wanted.spill:
                self._results[key] = _Result(fingerprint, deps, _UNLOADED, self.revision)
                self._remember(key, fingerprint, value)
        return result

    def _remember(self, key: str, fingerprint: str, value: Any) -> None:
        """Keep a spilled value at hand while it is among the most recently used."""
        self._recent[key] = (fingerprint, value)
        self._recent.move_to_end(key)
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)

    def _recalled(self, key: str, fingerprint: str) -> Any:
        found = self._recent.get(key)
        if found is None or found[0] != fingerprint:
            return _UNLOADED
        self._recent.move_to_end(key)
        return found[1]


def _key(wanted: Stage, args: Args) -> str:
    return f"{wanted.name}\x1f{args!r}"


def fingerprint_of(value: Any) -> str:
    """A hash of the value's content. Pickled without its memo, so that equal values give
    equal bytes however their parts happen to be shared (two equal strings, or one twice)."""
    if isinstance(value, bytes):
        return digest(value)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True   # no memo: a shared part is written out each time it appears
    pickler.dump(value)
    return digest(buffer.getvalue())


def _pickled(value: Any) -> bytes | None:
    try:
        return pickle.dumps(value, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


# --- the inputs: files ----------------------------------------------------------------------


@stage(source=True)
def file(step: Step, path: str) -> bytes | None:
    """A file's bytes, or None when it is missing or unreadable."""
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


@stage(source=True)
def listing(step: Step, folder: str) -> tuple[str, ...]:
    """Every file under `folder`, relative, sorted; links to folders are not followed."""
    found = []
    for parent, _, names in os.walk(folder):
        relative = os.path.relpath(parent, folder)
        found += [name if relative == "." else f"{relative}/{name}".replace(os.sep, "/")
                  for name in names]
    return tuple(sorted(found))
