"""Problems are values with a place: collected across every file, printed once by the CLI."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place, with what to do about it."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    warning: bool = False
    advisory: bool = False   # an editor's to-do, not a mistake: `check --strict` keeps it a warning

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.warning else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{place}: {kind}{self.message}{hint}"


class BuildFailed(Exception):
    """Raised at a gate between stages when any error has been collected."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(self.errors)} error(s)")

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.warning)


@dataclass
class Problems:
    """The collector: stages add to it; a gate raises BuildFailed if any error was added."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path | str, line: int | None, message: str, hint: str = "",
            *, warning: bool = False) -> None:
        self.items.append(Problem(str(path), line, message, hint, warning))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildFailed(self.items)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`did you mean 'peskov'?` for the closest choice, or the list of choices when few."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not options:
        return "none are defined yet"
    if len(options) <= 6:
        return "expected one of: " + ", ".join(f"'{o}'" for o in options)
    return f"there are {len(options)} to choose from, e.g. '{options[0]}'"
