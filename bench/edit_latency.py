"""Edit-to-served latency of `python build.py serve`: save one story, time until the page shows it.

Not a test: a measurement of the server side (bench/browser_latency.py adds the browser).
Make a corpus, then run this from the repository root:

    python bench/gen_corpus.py /tmp/corpus --stories 1000
    python bench/edit_latency.py /tmp/corpus --project /tmp/latency-project

The project folder (site/ and templates/ from this repository, content/ from the corpus)
is kept, so later runs reuse its chart cache and start in seconds. A project that already
has a content/ folder is used as it is, and then no corpus is needed: e.g. one that
`bench/run.py --work DIR` made and built (`--project DIR/onrecord-5000`). Each of the
edits changes one story's title; the time runs from the file being closed to the first
HTTP response of that story's page that carries the new title (polled every 5 ms).
Prints the median, min and max, the median of the server's CPU time over the same span
(which a busy machine inflates far less than the wall time) and of what the server said
each rebuild took."""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GIVE_UP_SECONDS = 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?",
                        help="a folder of stories from gen_corpus.py (not needed when the "
                        "project has a content/ folder already)")
    parser.add_argument("--project", type=Path, default=Path("latency-project"),
                        help="where to put (or reuse) the project")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the times (ms) as JSON here")
    options = parser.parse_args()
    project = options.project.absolute()
    if not (project / "content").is_dir():
        if options.corpus is None:
            parser.error(f"{project} has no content/ folder: give a corpus to make it from")
        project.mkdir(parents=True, exist_ok=True)
        for folder in ("site", "templates"):
            shutil.copytree(REPO / folder, project / folder)
        shutil.copytree(options.corpus, project / "content")
    story = sorted((project / "content").rglob("*.md"))[len(os.listdir(project / "content")) // 2]
    original = story.read_text(encoding="utf-8")

    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0"],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1",
                                              "PYTHONPATH": str(REPO)})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip()) for line in server.stdout or ()],
                     daemon=True).start()
    try:
        url = ""
        started = time.perf_counter()
        while not url:
            line = lines.get(timeout=1800)
            if ": warning: " not in line:
                print(line, flush=True)
            found = re.search(r"serving (http://\S+)", line)
            url = found.group(1) if found else ""
        print(f"first build and start: {time.perf_counter() - started:.1f} s")
        slug = _slug(original, story)
        page = f"{url}{slug}/"
        times = []
        said: list[float] = []   # what the server said each rebuild took, ms
        cpus: list[float] = []   # the server's CPU time from save to served, ms
        rebuilt = ""
        for n in range(options.edits):
            marker = f"Latency edit {n} {time.time_ns()}"
            text = re.sub(r"^title: .*$", f'title: "{marker}"', original, count=1, flags=re.M)
            time.sleep(0.3)  # let the previous rebuild settle; not counted
            cpu = _cpu_ms(server.pid)
            with open(story, "w", encoding="utf-8") as out:
                out.write(text)
            saved = time.perf_counter()
            while marker not in _get(page):
                if time.perf_counter() - saved > GIVE_UP_SECONDS:
                    print(f"edit {n} was not served within {GIVE_UP_SECONDS} s; server said:")
                    print("\n".join(_drain(lines)[-20:]))
                    return 1
                time.sleep(0.005)
            times.append((time.perf_counter() - saved) * 1000)
            cpus.append(_cpu_ms(server.pid) - cpu)
            time.sleep(0.1)   # the server reports after it has served the new page
            fresh = [line for line in _drain(lines) if line.startswith("rebuilt")]
            found = re.search(r" in ([\d.]+) (ms|s)\b", fresh[-1]) if fresh else None
            if found:
                rebuilt = fresh[-1]
                said.append(float(found.group(1)) * (1 if found.group(2) == "ms" else 1000))
            print(f"  edit {n}: {times[-1]:.0f} ms, {cpus[-1]:.0f} ms of CPU; server: "
                  f"{fresh[-1] if fresh else '(not said yet)'}", file=sys.stderr)
        ms = sorted(times)
        print(f"{options.edits} edits of {story.name} at {_count(project)} stories: "
              f"median {statistics.median(ms):.0f} ms, min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms")
        print(f"the server's CPU time from save to served (what a busy machine does not "
              f"inflate): median {statistics.median(cpus):.0f} ms")
        if said:
            print(f"the server's own rebuild time: median {statistics.median(said):.0f} ms "
                  f"over {len(said)} rebuilds; last: {rebuilt}")
        if options.json:
            options.json.write_text(json.dumps({"story": story.name, "stories": _count(project),
                                                "ms": times, "server_ms": said,
                                                "cpu_ms": cpus}))
    finally:
        story.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return 0


def _cpu_ms(pid: int) -> float:
    """User + system CPU time of a process (all its threads, not its children), in ms."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _drain(lines: queue.Queue[str]) -> list[str]:
    drained = []
    while not lines.empty():
        drained.append(lines.get())
    return drained


def _slug(text: str, story: Path) -> str:
    found = re.search(r"^slug: *(\S+)", text, flags=re.M)
    return found.group(1) if found else re.sub(r"[^a-z0-9]+", "-", story.stem.lower()).strip("-")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def _count(project: Path) -> int:
    return sum(1 for _ in (project / "content").rglob("*.md"))


if __name__ == "__main__":
    raise SystemExit(main())
