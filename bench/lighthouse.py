"""What a reader's phone pays: Lighthouse (mobile preset) on a story, a speaker page and the index.

    python bench/lighthouse.py [--public DIR] [--baseline DIR] [--runs 3] [--story SLUG]
                               [--speaker ID]

Builds the site into a temporary folder (or uses --public), serves it gzipped from
127.0.0.1 as a static host would, runs Lighthouse 12 with its default mobile settings
(emulated phone, simulated slow 4G and 4x CPU slowdown) `--runs` times a page, and
prints the median run of each page type: performance score, LCP, TBT, CLS, the bytes
transferred and the number of requests. With --baseline, a second site (say, built from
main) is measured in the same run, turn about with the first, so a busy machine weighs
on both alike. Lighthouse is installed with npm into a cache
folder this script manages (--cache, not in the repository); Chromium is CHROME_PATH
(default /usr/bin/chromium). See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.2.3"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "onrecord" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync "
                "--disable-background-networking --disable-component-update")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped (level 6, as nginx and most hosts do) when the client accepts it."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):  # else: the redirect
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """The file-like object `SimpleHTTPRequestHandler` copies to the socket."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse(cache: Path) -> Path:
    """The Lighthouse CLI, installed into `cache` on first use."""
    binary = cache / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        cache.mkdir(parents=True, exist_ok=True)
        if not (cache / "package.json").exists():
            (cache / "package.json").write_text('{"private": true}\n')
        subprocess.run(["npm", "i", "-E", LIGHTHOUSE, "--no-audit", "--no-fund"], cwd=cache,
                       check=True)
    return binary


def measure(binary: Path, url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run of `url`, mobile preset, performance only."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run([str(binary), url, "--only-categories=performance", "--output=json",
                    f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}", "--quiet"],
                   env=env, check=True)
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "transfer_kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "requests": len(audits["network-requests"]["details"]["items"]),
    }


def build(into: Path) -> Path:
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root", str(REPO),
                    "--out", str(into)], check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    return into


def table(name: str, results: dict[str, list[dict[str, float]]]) -> None:
    """The median run (by performance) of each page type, and the spread of the scores."""
    print(f"{name:<8} {'perf':>4} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} {'KB':>7} {'req':>4}")
    for kind, runs in results.items():
        middle = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
        print(f"{kind:<8} {middle['performance']:>4} {middle['lcp_s']:>6.2f} "
              f"{middle['tbt_ms']:>7.0f} {middle['cls']:>6.3f} {middle['transfer_kb']:>7.1f} "
              f"{middle['requests']:>4}")
    print("performance min-max: " + ", ".join(
        f"{kind} {min(r['performance'] for r in runs)}-{max(r['performance'] for r in runs)}"
        for kind, runs in results.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--public", type=Path, help="a built site to measure (default: build one)")
    parser.add_argument("--baseline", type=Path, help="another built site (e.g. from main) "
                        "measured in the same run, each of its runs next to one of --public's, "
                        "so both meet the same load")
    parser.add_argument("--runs", type=int, default=3, help="runs of each page (default: 3)")
    parser.add_argument("--story", default="crocus-city-hall-attack", help="the story's slug")
    parser.add_argument("--speaker", default="peskov", help="the speaker page's id")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"where Lighthouse is "
                        f"installed (default: {CACHE.relative_to(Path.home())} in your home)")
    parser.add_argument("--json", type=Path, help="also write every run here")
    args = parser.parse_args(argv)
    binary = lighthouse(args.cache)
    pages = {"story": f"{args.story}/", "speaker": f"actors/{args.speaker}/", "index": ""}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="onrecord-lighthouse-") as work, ExitStack() as stack:
        sites = {"site": args.public or build(Path(work) / "public")}
        if args.baseline:
            sites = {"baseline": args.baseline, **sites}
        urls = {name: stack.enter_context(serve(folder)) for name, folder in sites.items()}
        results: dict[str, dict[str, list[dict[str, float]]]] = {
            name: {kind: [] for kind in pages} for name in sites}
        for kind, path in pages.items():
            for n in range(args.runs):
                for name, url in urls.items():
                    out = Path(work) / f"{name}-{kind}-{n}.json"
                    results[name][kind].append(measure(binary, url + path, out))
    print(f"Lighthouse 12 mobile preset, served gzipped; median of {args.runs} runs a page; "
          f"load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, found in results.items():
        table(name, found)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
