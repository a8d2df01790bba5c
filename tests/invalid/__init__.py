"""The catalogue of broken stories: each case is a tiny content/ folder and its expected report.

A case is `NAME.expect` (the exact report lines, `path:line: message; hint`) with either
`NAME.md` (copied to content/NAME.md), a folder `NAME/` (copied as content/), or a maker
in MADE for what cannot sit in the repository as is (huge files, symlinks).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
VALID = (HERE / "dangling-actor.md").read_text(encoding="utf-8").replace(
    "actor: peskow", "actor: peskov")


def _huge(content: Path) -> None:
    padding = "Some prose that goes on and on. " * 70_000
    (content / "huge-file.md").write_text(VALID + padding, encoding="utf-8")


def _symlink_outside(content: Path) -> None:
    (content.parent / "outside.md").write_text(VALID, encoding="utf-8")
    os.symlink(Path("..", "outside.md"), content / "symlink-outside.md")


def _symlink_loop(content: Path) -> None:
    os.symlink("symlink-loop.md", content / "symlink-loop.md")


MADE: dict[str, Callable[[Path], None]] = {
    "huge-file": _huge,
    "symlink-outside": _symlink_outside,
    "symlink-loop": _symlink_loop,
}


def names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.expect"))


def place(name: str, content: Path) -> None:
    """Put case `name` into the (existing, empty) content folder."""
    if name in MADE:
        MADE[name](content)
    elif (HERE / name).is_dir():
        shutil.copytree(HERE / name, content, dirs_exist_ok=True)
    else:
        shutil.copyfile(HERE / f"{name}.md", content / f"{name}.md")


def expected(name: str) -> list[str]:
    return (HERE / f"{name}.expect").read_text(encoding="utf-8").splitlines()
