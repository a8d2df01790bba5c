"""Record what a page does while it loads (every request, failure and console error), and
wait for it to be ready."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page, Request, Response


@dataclass
class Watch:
    """Everything a page requested and everything that went wrong, as readable lines."""

    host: str                                          # the local server, e.g. 127.0.0.1:PORT
    requests: list[str] = field(default_factory=list)  # every URL requested
    problems: list[str] = field(default_factory=list)

    @classmethod
    def on(cls, page: Page, site_url: str) -> Watch:
        watch = cls(urlsplit(site_url).netloc)
        page.on("request", watch._request)
        page.on("requestfailed", watch._failed)
        page.on("response", watch._response)
        page.on("console", watch._console)
        page.on("pageerror", lambda e: watch.problems.append(f"script error: {e}"))
        return watch

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)
        if urlsplit(request.url).netloc != self.host:
            self.problems.append(f"request to another host: {request.url}")

    def _failed(self, request: Request) -> None:
        # ERR_ABORTED is the browser cancelling a request as the test moves on (a favicon
        # still loading); a file that is missing answers HTTP 404, seen by _response.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _console(self, message: ConsoleMessage) -> None:
        # A resource that failed to load is reported, with its URL, by _response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def _response(self, response: Response) -> None:
        # A missing page answers 404 by design; anything else it loads must exist.
        if response.status >= 400 and not response.request.is_navigation_request():
            self.problems.append(f"HTTP {response.status}: {response.url}")


def settle(page: Page) -> None:
    """Wait until the page has loaded and charts.js has readied every chart's tooltips."""
    page.wait_for_load_state("load")
    page.wait_for_function("""() => [...document.querySelectorAll('.chart-view')]
                                     .every(v => v.classList.contains('has-tips') ||
                                                 !v.querySelector('[data-tip]'))""")
