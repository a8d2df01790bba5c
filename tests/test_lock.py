"""The test lock covers every dependency, so a fresh machine installs exactly what CI tested."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO

LOCK = REPO / "requirements" / "test.txt"


def _name(requirement: str) -> str:
    """PEP 503 normalised name of a requirement such as 'pagefind[bin]>=1.1'."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, list[str]]:
    """name -> the hashes pinned for it in the lock."""
    pins: dict[str, list[str]] = {}
    current = None
    for line in LOCK.read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9._-]+)==\S+", line):
            current = _name(match.group(1))
            pins[current] = []
        elif current and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            pins[current].append(digest.group(1))
    return pins


def test_every_dependency_and_test_tool_is_pinned_with_hashes():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = [*project["dependencies"], *extras["test"], *extras["cluster"]]  # the suite runs both
    pins = _pins()
    missing = [_name(r) for r in wanted if _name(r) not in pins]
    assert not missing, f"not in requirements/test.txt: {missing}; run bash scripts/lock.sh"
    unhashed = [name for name, hashes in pins.items() if not hashes]
    assert not unhashed, f"pinned without a hash: {unhashed}"


def test_the_test_command_installs_only_from_the_locks():
    script = (REPO / "scripts" / "test.sh").read_text()
    assert "--require-hashes" in script and "-r requirements/test.txt" in script
    assert "npm ci" in script and "npm install" not in script
    lock = (REPO / "package-lock.json").read_text()
    assert '"integrity": "sha512-' in lock
