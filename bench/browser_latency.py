"""Save-to-screen latency of `python build.py serve`: save a story, time until Chromium shows it.

Not a test: a measurement, of what the writer sees (bench/edit_latency.py measures the
server alone). Run from the repository root:

    python bench/browser_latency.py --edits 5 [--project DIR] [--story SLUG]

It copies the repository's content/, site/ and templates/ into a project (a temporary
folder, or --project DIR, kept so later runs reuse its caches), starts `python build.py
serve --port 0` there and opens the story's page in Debian's Chromium. Each edit writes a
new title into the story file; the time runs from the file being closed to the page's
headline showing that title, as the page itself records it (a MutationObserver stamps the
moment the parser puts the headline in the DOM after the live reload), so Playwright's
polling adds nothing to the figure. Prints the median, min and max.
"""

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
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
START_SECONDS = 1800
GIVE_UP_MS = 60_000

# Before any of the page's own scripts: stamp (wall-clock ms) when the headline first
# holds the title the benchmark is waiting for, kept in sessionStorage across reloads.
STAMP = """
(() => {
  const wanted = sessionStorage.getItem("bench-title");
  if (!wanted) return;
  const look = () => {
    const h1 = document.querySelector("h1");
    if (h1 && h1.textContent.includes(wanted)) {
      window.benchSeen = {title: wanted, at: performance.timeOrigin + performance.now()};
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(look);
  observer.observe(document, {childList: true, subtree: true, characterData: true});
})();
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--story", default="crocus-city-hall-attack",
                        help="the story file's name without .md (default: the seed story)")
    parser.add_argument("--project", type=Path, help="make (or reuse) the project here "
                        "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--json", type=Path, help="also write the times (ms) as JSON here")
    options = parser.parse_args(argv)
    project = (options.project or Path(tempfile.mkdtemp(prefix="onrecord-browser-"))).absolute()
    try:
        _make(project)
        ms = _measure(project, options.story, options.edits)
    finally:
        if options.project is None:
            shutil.rmtree(project, ignore_errors=True)
    if ms is None:
        return 1
    ordered = sorted(ms)
    print(f"{len(ms)} edits of {options.story} seen in Chromium: median "
          f"{statistics.median(ms):.0f} ms, min {ordered[0]:.0f} ms, max {ordered[-1]:.0f} ms")
    if options.json:
        options.json.write_text(json.dumps({"story": options.story, "ms": ms}))
    return 0


def _make(project: Path) -> None:
    """The repository's example site as a project; an existing one is kept as it is."""
    if (project / "content").is_dir():
        return
    for folder in ("content", "site", "templates"):
        shutil.copytree(REPO / folder, project / folder)


def _measure(project: Path, slug: str, edits: int) -> list[float] | None:
    story = project / "content" / f"{slug}.md"
    original = story.read_text(encoding="utf-8")
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0"],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1",
                                              "PYTHONPATH": str(REPO)})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip()) for line in server.stdout or ()],
                     daemon=True).start()
    try:
        url = _url(lines)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(STAMP)
            page.goto(f"{url}{slug}/")
            times = []
            for n in range(edits):
                _connected(page)
                title = f"Browser latency edit {n} {time.time_ns()}"
                page.evaluate("t => sessionStorage.setItem('bench-title', t)", title)
                time.sleep(0.3)  # let the previous reload settle; not counted
                with open(story, "w", encoding="utf-8") as out:
                    out.write(re.sub(r"^title: .*$", f'title: "{title}"', original, count=1,
                                     flags=re.M))
                saved = time.time() * 1000
                try:
                    page.wait_for_function("t => window.benchSeen?.title === t", arg=title,
                                           timeout=GIVE_UP_MS)
                except Exception:   # Playwright's TimeoutError, or the page went away
                    print(f"edit {n} was not shown within {GIVE_UP_MS} ms; server said:")
                    print("\n".join(_drain(lines)[-20:]))
                    return None
                polled = time.time() * 1000 - saved
                times.append(page.evaluate("() => window.benchSeen.at") - saved)
                said = [line for line in _drain(lines) if line.startswith("rebuilt")]
                print(f"  edit {n}: {times[-1]:.0f} ms (Playwright saw it after {polled:.0f} ms)"
                      + (f"; server: {said[-1]}" if said else ""), file=sys.stderr)
            browser.close()
        return times
    finally:
        story.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def _url(lines: queue.Queue[str]) -> str:
    """The address `serve` says it serves on, once its first build is done."""
    started = time.perf_counter()
    while True:
        line = lines.get(timeout=START_SECONDS)
        print(line, file=sys.stderr, flush=True)
        found = re.search(r"serving (http://127\.0\.0\.1:\d+/\S*)", line)
        if found:
            print(f"first build and start: {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
            return found.group(1)


def _connected(page: Page) -> None:
    """Wait until the page's live-reload client has shaken hands, so it hears the next save."""
    page.wait_for_function("() => { const live = window.LiveReload;"
                           " return live !== undefined && (!live.connector"
                           " || live.connector.protocol > 0); }", timeout=GIVE_UP_MS)


def _drain(lines: queue.Queue[str]) -> list[str]:
    drained = []
    while not lines.empty():
        drained.append(lines.get())
    return drained


if __name__ == "__main__":
    raise SystemExit(main())
