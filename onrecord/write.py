"""{path: bytes} -> public/, atomically: readers and hosts see the old site or the new one.

The new site is written into a temporary folder beside public/ and swapped in with one
atomic rename (RENAME_EXCHANGE on Linux), so a build that fails or is killed part-way
leaves the published folder exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from onrecord.problems import Problems

RENAME_EXCHANGE = 2
MAX_NAME = 200  # bytes in one file or folder name; most file systems allow 255
AT_FDCWD = -100


@dataclass(frozen=True)
class Report:
    written: int
    changed: int
    removed: int
    bytes: int


def check_paths(outputs: Iterable[tuple[str, str]], problems: Problems) -> None:
    """Refuse two outputs with one path (naming both sources) and paths that escape public/."""
    first: dict[str, str] = {}
    for path, source in outputs:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not path or "\\" in path:
            problems.add(source, None, f"output path '{path}' is outside the site folder",
                         "use a slug of lowercase letters, digits and '-'")
        elif any(len(part.encode()) > MAX_NAME for part in pure.parts):
            problems.add(source, None, f"output path '{path[:80]}...' has a name over "
                         f"{MAX_NAME} bytes", "use a shorter slug or tag")
        elif path in first:
            problems.add(source, None, f"writes {path}, which {first[path]} writes too",
                         "give one of them another slug")
        else:
            first[path] = source


def tree(public: Path, outputs: Mapping[str, bytes]) -> Report:
    """Write `outputs` as the new public/ and swap it in; count what changed."""
    public = public.absolute()
    public.parent.mkdir(parents=True, exist_ok=True)
    with open(public.parent / f".{public.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time writes this folder
        clean_stale(public)
        return _write(public, outputs)


def _write(public: Path, outputs: Mapping[str, bytes]) -> Report:
    staging = Path(tempfile.mkdtemp(prefix=f".{public.name}.new-", dir=public.parent))
    try:
        changed = 0
        size = 0
        for path, data in outputs.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            old = public / path
            if _same(old, data):
                try:
                    os.link(old, target)
                except OSError:
                    target.write_bytes(data)
            else:
                target.write_bytes(data)
                changed += 1
            size += len(data)
        removed = _count_removed(public, outputs)
        _fsync_dir(staging)
        staging.chmod(0o755)
        swap(staging, public)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Report(len(outputs), changed, removed, size)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _count_removed(public: Path, outputs: Mapping[str, bytes]) -> int:
    if not public.is_dir():
        return 0
    return sum(1 for p in public.rglob("*")
               if p.is_file() and p.relative_to(public).as_posix() not in outputs)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap(staging: Path, public: Path) -> None:
    """Put `staging` at `public` in one step; the old site ends up at `staging`."""
    if not public.exists():
        os.rename(staging, public)
        return
    if _exchange(staging, public):
        return
    # Elsewhere: two renames; `clean_stale` restores the old site if we die between them.
    old = public.with_name(f".{public.name}.old-{os.getpid()}")
    os.rename(public, old)
    os.rename(staging, public)
    os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def clean_stale(public: Path) -> None:
    """Remove leftovers of killed builds; bring back the old site if a swap was cut short."""
    for leftover in public.parent.glob(f".{public.name}.old-*"):
        if not public.exists():
            os.rename(leftover, public)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in public.parent.glob(f".{public.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
