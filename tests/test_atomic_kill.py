"""SIGKILL the build at random moments: public/ is always the previous complete site or the
new complete site, compared file by file by hash. Every other build is killed while the new
site is being written and swapped in (the test waits for the staging folder to appear)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO, VALID_STORY, make_project
from tests.test_invalid import files

KILLS = 60
SITES = {
    "old": {"a.md": VALID_STORY},
    "new": {"a.md": VALID_STORY.replace("A valid story", "A changed story"),
            "b.md": VALID_STORY.replace("A valid story", "A second story")},
}


def start(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "build.py")], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def use(root: Path, site: str) -> None:
    for old in (root / "content").glob("*.md"):
        old.unlink()
    for name, text in SITES[site].items():
        (root / "content" / name).write_text(text, encoding="utf-8")


def build(root: Path, site: str) -> dict[str, str]:
    use(root, site)
    process = start(root)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    return files(root / "public")


def staging_appears(root: Path, process: subprocess.Popen) -> bool:
    """Wait until the build starts writing its new site beside public/ (or ends)."""
    while process.poll() is None:
        if any(entry.name.startswith(".public.new-") for entry in os.scandir(root)):
            return True
    return False


def test_killed_builds_leave_the_old_or_the_new_site(tmp_path: Path):
    root = tmp_path / "project"
    make_project(root, {})
    trees = {"new": build(root, "new"), "old": build(root, "old")}
    assert trees["old"] != trees["new"]
    started = time.perf_counter()
    build(root, "new")
    full = time.perf_counter() - started
    build(root, "old")

    chance = random.Random(os.environ.get("ONRECORD_KILL_SEED", "onrecord"))
    current = "old"
    outcomes = {"old": 0, "new": 0}
    killed = in_window = runs = 0
    while killed < KILLS or in_window < KILLS // 4:
        runs += 1
        assert runs < KILLS * 4, "the build keeps finishing before the kill"
        use(root, "new" if current == "old" else "old")
        process = start(root)
        if runs % 2 and staging_appears(root, process):
            time.sleep(chance.uniform(0, 0.002))
            window = True
        else:
            time.sleep(chance.uniform(0, full))
            window = False
        if process.poll() is None:  # only a kill of a running build counts
            process.send_signal(signal.SIGKILL)
            killed += 1
            in_window += window
        process.communicate(timeout=60)
        found = files(root / "public")
        assert found in (trees["old"], trees["new"]), f"run {runs}: a mixed or broken site"
        current = "old" if found == trees["old"] else "new"
        outcomes[current] += 1
    print(f"\n{killed} kills in {runs} builds: public/ was the previous site {outcomes['old']} "
          f"times and the new one {outcomes['new']} times; {in_window} kills landed while the "
          "new site was being written or swapped in")
    final = build(root, "new")  # and the next build cleans up after the killed ones
    assert final == trees["new"]
    assert not [e.name for e in os.scandir(root) if e.name.startswith((".public.new-",
                                                                       ".public.old-"))]
