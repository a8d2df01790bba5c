"""The catalogue of broken stories (tests/invalid/): every case is reported exactly, with
file, line and a fix; the build exits 1 (0 with a warning where the story is still valid),
prints no traceback, and leaves the previous public/ byte for byte as it was."""

from __future__ import annotations

import hashlib
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from onrecord import cli
from tests import invalid
from tests.conftest import make_project, run_cli

CASES = invalid.names()
# A few cases also run through the real command line, in a process of their own.
CLI_CASES = ("alias-bomb", "deep-nesting", "several-files", "symlink-outside", "non-utf8",
             "unknown-keys", "yaml-tab-indent", "body-link-tricks")
LINE = re.compile(r"^content/[^:]+:\d+: (warning: )?.+; .+$")
PREVIOUS_SITE = {"index.html": b"<!doctype html><title>The last good site</title>",
                 "static/style.css": b"body { color: black }"}


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One chart and runtime cache for every case, so valid-with-warning builds stay quick."""
    return tmp_path_factory.mktemp("cache")


def project_for(name: str, tmp_path: Path, cache: Path) -> Path:
    root = tmp_path / "project"
    make_project(root, {f"public/{path}": data for path, data in PREVIOUS_SITE.items()})
    invalid.place(name, root / "content")
    (root / ".onrecord-cache").symlink_to(cache, target_is_directory=True)
    return root


def files(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path -> sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail (rather than hang the suite) if a case takes absurdly long; not a timing test."""
    def give_up(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_catalogue_is_complete_and_every_expected_line_is_actionable():
    assert len(CASES) >= 40
    for name in CASES:
        lines = invalid.expected(name)
        assert lines, name
        for line in lines:
            assert LINE.match(line), f"{name}.expect: {line!r} lacks file:line: message; hint"


@pytest.mark.parametrize("name", CASES)
def test_broken_story_is_reported_and_public_is_untouched(name: str, tmp_path: Path,
                                                          shared_cache: Path, capsys):
    root = project_for(name, tmp_path, shared_cache)
    before = files(root / "public")
    with hang_guard(60):
        status = cli.main(["build", "--root", str(root)])
    out, err = capsys.readouterr()
    reported = [line for line in err.splitlines() if line.startswith("content/")]
    assert reported == invalid.expected(name)
    assert "Traceback" not in out + err and "internal error" not in err
    errors = [line for line in reported if ": warning: " not in line]
    if errors:
        assert status == 1
        assert f"{len(errors)} error" in err and "unchanged" in err
        assert files(root / "public") == before
    else:  # still a valid story: it builds, and says what to improve
        assert status == 0
        assert "built 1 story" in out
        assert (root / "public" / name / "index.html").is_file()


@pytest.mark.parametrize("name", CLI_CASES)
def test_broken_story_through_the_command_line(name: str, tmp_path: Path, shared_cache: Path):
    root = project_for(name, tmp_path, shared_cache)
    before = files(root / "public")
    result = run_cli("build", cwd=root)  # the subprocess timeout is the hang guard
    reported = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert reported == invalid.expected(name)
    assert "Traceback" not in result.stdout + result.stderr
    if any(": warning: " not in line for line in reported):
        assert result.returncode == 1
        assert files(root / "public") == before
    else:
        assert result.returncode == 0


def test_check_reports_the_same_as_build(tmp_path: Path, shared_cache: Path, capsys):
    root = project_for("several-files", tmp_path, shared_cache)
    assert cli.main(["check", "--root", str(root)]) == 1
    _, err = capsys.readouterr()
    assert [line for line in err.splitlines() if line.startswith("content/")] \
        == invalid.expected("several-files")


def test_a_story_with_a_bom_and_crlf_line_endings_builds(tmp_path: Path, shared_cache: Path,
                                                        capsys):
    root = project_for("utf8-bom", tmp_path, shared_cache)
    story = root / "content" / "utf8-bom.md"
    story.write_bytes(b"\xef\xbb\xbf" + invalid.VALID.replace("\n", "\r\n").encode())
    assert cli.main(["build", "--root", str(root)]) == 0
    page = (root / "public" / "utf8-bom" / "index.html").read_text(encoding="utf-8")
    assert "We do not comment on that in any way." in page and "\r" not in page
