"""Helpers for the writer's-loop tests: a real `python build.py serve` and an HTTP client."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO, VALID_STORY

STARTUP_SECONDS = 180
WAIT_SECONDS = 30


def story(title: str, tags: str = "[]", body: str = "Some prose.\n\n{{ matrix }}\n") -> str:
    """VALID_STORY with another title, tags and body."""
    text = VALID_STORY.replace("title: A valid story", f"title: {title}")
    text = text.replace("dek: Two people disagree.", f"dek: Two people disagree.\ntags: {tags}")
    return text.replace("Some prose.\n\n{{ matrix }}\n", body)


@dataclass
class Served:
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def get(self, path: str = "") -> tuple[int, str]:
        """GET url+path with a real HTTP client: (status, body)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def wait_for(self, path: str, test: Callable[[int, str], bool], what: str) -> str:
        """Poll until the page passes `test` (bounded); return its body."""
        deadline = time.monotonic() + WAIT_SECONDS
        status, body = 0, ""
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server died: {self.output()}"
            status, body = self.get(path)
            if test(status, body):
                return body
            time.sleep(0.05)
        raise AssertionError(f"{path}: never {what} (last status {status})\n{self.output()}")

    def output(self) -> str:
        return "\n".join(self.lines[-40:])


@contextmanager
def serve(root: Path, *args: str) -> Iterator[Served]:
    """Run `python build.py serve --port 0 ARGS` in `root`; stop it with Ctrl-C (SIGINT)."""
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", "0", *args], cwd=root,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO)})
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    served = Served("", process, seen)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not served.url:
            assert time.monotonic() < deadline and process.poll() is None, "\n".join(seen)
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            seen.append(line)
            found = re.search(r"serving (http://127\.0\.0\.1:\d+/\S*)", line)
            if found:
                served.url = found.group(1)
        threading.Thread(target=lambda: [seen.append(lines.get()) for _ in iter(int, 1)],
                         daemon=True).start()
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
