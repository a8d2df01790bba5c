"""bench/browser_latency.py runs end to end (one edit), so it cannot rot unnoticed. No timing
is asserted: the benchmark measures, the test only checks that it sees the edit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def test_browser_latency_bench_sees_a_saved_title_in_chromium(tmp_path: Path) -> None:
    project, report = tmp_path / "project", tmp_path / "times.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "browser_latency.py"), "--edits", "2",
         "--project", str(project), "--json", str(report)],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    times = json.loads(report.read_text())
    assert times["story"] == "crocus-city-hall-attack" and len(times["ms"]) == 2
    assert all(ms > 0 for ms in times["ms"])    # stamped after the save, not before
    seed = (project / "content" / "crocus-city-hall-attack.md").read_text()
    assert seed == (REPO / "content" / "crocus-city-hall-attack.md").read_text()  # restored
