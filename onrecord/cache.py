"""Remember the results of pure stages between builds, so a rebuild redoes only what changed.

A `Memo` maps (stage, name) to the inputs of the last call and its result. When a
stage asks again with inputs equal to the stored ones, the stored result comes back;
otherwise the stage runs. Stages stay pure functions and the full build is simply a
build with an empty memo, so an incremental rebuild can never disagree with it.

Equality is Python's `==`: records are frozen dataclasses and tuples, and a result
that came from the memo is the very same object next time, so comparing an unchanged
story costs an identity check. Inputs that cannot be compared cheaply (files) are
given as a stamp: path, size and modification time.

The dev server keeps one Memo for its lifetime; `computed(stage)` says what the last
build actually redid, which is what it reports to the writer.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from onrecord.problems import Problem, Problems

T = TypeVar("T")


RECENT_NS = 2_000_000_000  # a file changed this recently may change again within one mtime tick


def file_version(path: Path) -> tuple[int, ...] | None:
    """What identifies a file's version: size, mtime (ns) and inode; None if it is gone.

    File times tick coarsely (a few ms), so two saves of the same size can share a stamp;
    for a file changed in the last two seconds the content's hash is added, as git does
    for its "racily clean" entries.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    version: tuple[int, ...] = (info.st_size, info.st_mtime_ns, info.st_ino)
    if time.time_ns() - info.st_mtime_ns < RECENT_NS:
        try:
            version += (hash(path.read_bytes()),)
        except OSError:
            return None
    return version


def versions(folder: Path) -> tuple[tuple[str, tuple[int, ...] | None], ...]:
    """The version of every file under `folder`, by relative path, in a stable order."""
    if not folder.is_dir():
        return ()
    found = []
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(parent, name)
            found.append((path.relative_to(folder).as_posix(), file_version(path)))
    return tuple(found)


class Memo:
    """Stage results from the last build, by stage and name, with the inputs they came from."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, Hashable], tuple[Any, Any, tuple[Problem, ...], int]] = {}
        self._generation = 0
        self._computed: dict[str, list[Hashable]] = {}

    def start(self) -> None:
        """Begin a build: forget the record of what was computed by the last one."""
        self._generation += 1
        self._computed = {}

    def finish(self) -> None:
        """End a successful build: drop entries it did not use (deleted stories, old pages)."""
        self._entries = {k: v for k, v in self._entries.items() if v[3] == self._generation}

    def computed(self, stage: str) -> tuple[Hashable, ...]:
        """The names `stage` had to compute in this build (cache misses), in order."""
        return tuple(self._computed.get(stage, ()))

    def get(self, stage: str, name: Hashable, inputs: Any, compute: Callable[[], T]) -> T:
        """`compute()`, or the result of the last call with this stage, name and equal inputs."""
        return self.checked(stage, name, inputs, lambda _problems: compute(), None)

    def call(self, stage: str, name: Hashable, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)`, remembered under `name`: the arguments are the inputs."""
        return self.get(stage, name, args, lambda: function(*args))

    def checked(self, stage: str, name: Hashable, inputs: Any,
                compute: Callable[[Problems], T], problems: Problems | None) -> T:
        """Like `get` for a stage that reports problems: they are kept and reported again."""
        key = (stage, name)
        entry = self._entries.get(key)
        if entry is not None and entry[0] == inputs:
            result, reported = entry[1], entry[2]
        else:
            collector = Problems()
            result = compute(collector)
            reported = tuple(collector.items)
            self._computed.setdefault(stage, []).append(name)
        self._entries[key] = (inputs, result, reported, self._generation)
        if problems is not None:
            problems.extend(reported)
        return result

    def many(self, stage: str, wanted: Mapping[Hashable, Any],
             compute: Callable[[dict[Hashable, Any]], Mapping[Hashable, T]]) -> dict[Hashable, T]:
        """Results for every name in `wanted` (name -> inputs), computing the misses in one call.

        `compute` gets the missing names with their inputs and returns results for those
        it could compute; a name it leaves out is neither returned nor remembered.
        """
        found: dict[Hashable, T] = {}
        missing: dict[Hashable, Any] = {}
        for name, inputs in wanted.items():
            entry = self._entries.get((stage, name))
            if entry is not None and entry[0] == inputs:
                found[name] = entry[1]
                self._entries[(stage, name)] = (*entry[:3], self._generation)
            else:
                missing[name] = inputs
        if missing:
            made = compute(missing)
            self._computed.setdefault(stage, []).extend(n for n in missing if n in made)
            for name, result in made.items():
                self._entries[(stage, name)] = (missing[name], result, (), self._generation)
                found[name] = result
        return {name: found[name] for name in wanted if name in found}


def names(items: Iterable[Hashable]) -> tuple[str, ...]:
    """Computed names as sorted text, for reports and tests."""
    return tuple(sorted(str(item) for item in items))
