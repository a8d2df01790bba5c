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

from onrecord.stories.problems import Problems

RENAME_EXCHANGE = 2
MAX_NAME = 200  # bytes in one file or folder name; most file systems allow 255
AT_FDCWD = -100


@dataclass(frozen=True)
class Report:
    """Files in the new site; of those, how many changed; how many were removed; bytes written."""

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


@dataclass(frozen=True)
class Known:
    """What the build manifest knows: a key per output ('' if none), and what each folder
    holds now (every file, so that files no longer made are removed).

    `public` keys describe the live site; `standby` keys describe the site before it,
    kept in `folder` (on the same file system) so the next build can bring it up to
    date by writing only what differs, instead of making a whole new tree.
    """

    keys: Mapping[str, str]
    public: Mapping[str, str]
    standby: Mapping[str, str]
    folder: Path


def tree(public: Path, outputs: Mapping[str, bytes], known: Known | None = None) -> Report:
    """Write `outputs` as the new public/ and swap it in; count what changed.

    Without `known`, the new site is a fresh folder where each file that equals the old
    one is a hard link to it. With `known`, the previous site (the standby) is updated
    in place to the new one, files replaced by rename and never rewritten, then swapped
    in: the work is proportional to what changed, and public/ is still only ever
    touched by the one atomic exchange.
    """
    public = public.absolute()
    public.parent.mkdir(parents=True, exist_ok=True)
    with open(public.parent / f".{public.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time writes this folder
        clean_stale(public)
        if known is None:
            return _write(public, outputs)
        return _update(public, outputs, known)


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


def _update(public: Path, outputs: Mapping[str, bytes], known: Known) -> Report:
    standby = known.folder
    staging = Path(tempfile.mkdtemp(prefix=f".{public.name}.new-", dir=public.parent))
    base: Mapping[str, str] = {}
    if known.standby and standby.is_dir():
        os.rmdir(staging)
        os.rename(standby, staging)   # killed from here on, clean_stale removes it
        base = known.standby
    else:
        shutil.rmtree(standby, ignore_errors=True)
    changed = size = 0
    for path in outputs:
        key, live = known.keys.get(path) or None, known.public.get(path) or None  # '': unknown
        if key is not None and base.get(path) == key:
            changed += live != key
            continue
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        data = None if key is not None and live == key else outputs[path]
        if data is None or _same(public / path, data):
            if _one_file(public / path, target):
                continue   # already the live file (renaming a link onto itself does nothing)
            try:
                os.link(public / path, temporary)
            except OSError:
                data = outputs[path] if data is None else data
                temporary.write_bytes(data)
                size += len(data)
        else:
            temporary.write_bytes(data)
            changed += 1
            size += len(data)
        os.replace(temporary, target)   # a new inode: a file shared with public/ stays as is
    for path in set(base) - set(outputs):
        _remove(staging, path)
    _fsync_dir(staging)
    staging.chmod(0o755)
    swap(staging, public)
    if public.exists() and staging.exists():
        standby.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, standby)  # the old site: the next build's starting point
    return Report(len(outputs), changed, len(set(known.public) - set(outputs)), size)


def _one_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _remove(root: Path, path: str) -> None:
    """Delete a file that is no longer part of the site, and any folder it leaves empty."""
    target = root / path
    target.unlink(missing_ok=True)
    for folder in target.parents:
        if folder == root:
            break
        try:
            folder.rmdir()
        except OSError:
            break


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
