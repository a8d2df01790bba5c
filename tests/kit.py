"""Test helpers shared by every test module: a static server and a real Chromium.

Pages are served over HTTP on 127.0.0.1 (never file://) from an ephemeral port, as a
static host would serve them; the browser is Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `folder` at http://127.0.0.1:PORT{prefix}; yield that base URL.

    With a prefix such as '/explainers/', only paths under it exist, as on a host that
    publishes the site under a subpath.
    """
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"

    class Handler(_Quiet):
        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(folder / "outside the prefix: no such file")
            return super().translate_path("/" + path[len(prefix):])

        def send_error(self, code: int, message: str | None = None,
                       explain: str | None = None) -> None:
            page = folder / "404.html"
            if code == 404 and page.is_file():  # like static hosts: the site's own 404 page
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().send_error(code, message, explain)

    handler = functools.partial(Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright):  # -> playwright Browser
    """Debian's Chromium, headless, with nothing that phones home."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
