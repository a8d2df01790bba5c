"""Shared fixtures: tiny projects made from a dict, and the example site built once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from onrecord.builder import pipeline
from onrecord.stories.paths import Paths

REPO = Path(__file__).resolve().parent.parent

VALID_STORY = """\
---
title: A valid story
dek: Two people disagree.
date: 2024-03-25
actors:
  peskov: {name: Dmitri Peskov, role: Kremlin spokesperson, group: Russian government}
  us: {name: US government, group: United States}
topics:
  is-responsible: Islamic State carried out the attack
quotes:
  - id: peskov-no-comment
    actor: peskov
    date: 2024-03-25
    topic: is-responsible
    stance: declines
    text: We do not comment on that in any way.
  - actor: us
    date: 2024-03-23
    topic: is-responsible
    stance: supports
    text: The group acted alone.
    paraphrase: true
---

Some prose.

{{ matrix }}
"""


def make_project(root: Path, files: dict[str, str | bytes]) -> Paths:
    """A project at `root` with the repo's site/ and templates/, plus `files` (path -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    for folder in ("site", "templates"):
        if not (root / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    (root / "content").mkdir(exist_ok=True)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return Paths.at(root)


@pytest.fixture
def project(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Paths]:
    """`project({'content/a.md': '...'})` -> Paths of a fresh tiny project."""
    return lambda files: make_project(tmp_path / "site-project", files)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS` as a writer would, in `cwd`."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("example") / "public"
    paths = Paths.at(REPO, public=out)
    pipeline.build(paths)
    return out


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line of what the browser checks covered (page types, axe rules, vnu files), from the
    figures tests/browser records; here, not there, so it prints under pytest-xdist too."""
    figures: dict[str, set[str]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                figures.setdefault(name, set()).add(str(value))
    if figures:
        terminalreporter.write_line("browser checks: " + "; ".join(
            f"{name} = {' / '.join(sorted(values))}" for name, values in sorted(figures.items())))
