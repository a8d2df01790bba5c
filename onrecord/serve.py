"""The writer's dev server: build once, serve from memory, rebuild on every save, reload the page.

The site lives in memory (public/ is never touched) and is served on 127.0.0.1 under
the site's base path. A thread watches content/, templates/ and site/; after a burst
of changes settles it rebuilds through the same pipeline as `build`, with a Memo so
only what changed is redone, then tells each open page to reload (the livereload
protocol). A build that fails leaves the last good site in place; every HTML page then
carries an overlay listing the problems, until a save fixes them.

Nothing here prints: what happens is handed to `report` as events, and the CLI says it.
"""

from __future__ import annotations

import html
import mimetypes
import os
import threading
import time
import traceback
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, ioloop, netutil, web

from onrecord import cache, config, pipeline, search
from onrecord.cache import Memo
from onrecord.paths import Paths
from onrecord.problems import BuildFailed, Problem, Problems
from onrecord.words import count

POLL_SECONDS = 0.05      # how often the watched folders are looked at
SETTLE_SECONDS = 0.02    # a burst of saves (a git checkout) is over when this passes quietly
MAX_SETTLE_SECONDS = 1.0  # ... or when this has passed since the first change, whatever comes
DEV_FILES = "/_onrecord/"  # the overlay's own CSS and script: files, so the pages' CSP holds


@dataclass(frozen=True)
class Ready:
    url: str


@dataclass(frozen=True)
class Built:
    rendered: tuple[str, ...]   # the pages this rebuild rendered
    pages: int                  # pages in the site
    stories: int
    seconds: float
    warnings: tuple[Problem, ...]
    first: bool                 # the initial build, not a rebuild


@dataclass(frozen=True)
class Failed:
    problems: tuple[Problem, ...]
    seconds: float
    serving: bool               # whether an earlier good site is still being served


Event = Ready | Built | Failed


@dataclass(frozen=True)
class State:
    """What is being served: the last good site, and the problems of the latest build."""

    outputs: Mapping[str, bytes] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    base_path: str = "/"


class DevSite:
    """The project being served: rebuilds it on demand, keeping the memo and the last good site."""

    def __init__(self, paths: Paths, options: pipeline.Options) -> None:
        self.paths = paths
        self.options = options
        self.memo = Memo()
        self.state = State()
        self.version = 0  # counts builds, good or bad
        self.lock = threading.Lock()  # the indexer thread updates `state` too
        self.indexer = SearchIndexer(self)

    def rebuild(self, *, first: bool = False) -> Built | Failed:
        started = time.perf_counter()
        base_path = config.load(self.paths.config_file, Problems(),
                                base_url=self.options.base_url).base_path
        try:
            # After the first build the search index is made off the reload path (seconds
            # on a big site); until it is ready the previous index goes on being served.
            plan = pipeline.plan(self.paths, self.options, self.memo, later_search=not first)
        except BuildFailed as failed:
            problems = failed.problems
        except Exception as error:  # a bug of ours must not take the server down
            problems = (Problem("onrecord", None, f"internal error: {type(error).__name__}: "
                                f"{error}", "this is a bug in On Record; the trace is: "
                                + " | ".join(traceback.format_exc().splitlines()[-4:])),)
        else:
            with self.lock:
                outputs = dict(plan.outputs)
                if plan.search is not None:
                    outputs |= {name: data for name, data in self.state.outputs.items()
                                if name.startswith(search.FOLDER + "/")}
                    self.indexer.submit(outputs, plan.search)
                self.state = State(outputs, (), base_path)
                self.version += 1
            return Built(plan.rendered, sum(p.endswith(".html") for p in plan.outputs),
                         plan.stories, time.perf_counter() - started, plan.warnings, first)
        with self.lock:
            self.state = State(self.state.outputs, problems, self.state.base_path
                               if self.state.outputs else base_path)
            self.version += 1
        return Failed(problems, time.perf_counter() - started, bool(self.state.outputs))

    def indexed(self, outputs: Mapping[str, bytes], bundle: Mapping[str, bytes]) -> None:
        """Serve `bundle` as the search index, if `outputs` is still the site being served."""
        with self.lock:
            if self.state.outputs is outputs:
                fresh = {name: data for name, data in outputs.items()
                         if not name.startswith(search.FOLDER + "/")}
                self.state = replace(self.state, outputs=fresh | dict(bundle))

    def watched(self) -> dict[str, tuple[int, ...] | None]:
        """A snapshot of every watched file's version, by path (os.scandir: cheap to poll)."""
        found: dict[str, tuple[int, ...] | None] = {}
        for folder in (self.paths.content, self.paths.templates, self.paths.site):
            _scan(str(folder), found)
        return found


def _scan(folder: str, found: dict[str, tuple[int, ...] | None]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    recent = time.time_ns() - cache.RECENT_NS
    for entry in entries:
        if entry.name.startswith(".") or entry.name.endswith(("~", ".swp", ".tmp")):
            continue   # editors' swap and backup files are not the site
        try:
            if entry.is_dir(follow_symlinks=False):
                _scan(entry.path, found)
                continue
            info = entry.stat()
        except OSError:
            continue
        version: tuple[int, ...] = (info.st_size, info.st_mtime_ns, info.st_ino)
        found[entry.path] = (cache.file_version(Path(entry.path))
                             if info.st_mtime_ns > recent else version)


def changed(before: Mapping[str, tuple[int, ...] | None],
            after: Mapping[str, tuple[int, ...] | None]) -> bool:
    """Whether any file was added, removed or saved between two snapshots.

    A version carries a content hash only while the file is recent, so a version that
    just lost its hash (the file grew old) is the same file, not a save.
    """
    if before.keys() != after.keys():
        return True
    for path, old in before.items():
        new = after[path]
        if old is None or new is None:
            if old != new:
                return True
        elif old[:3] != new[:3] or (len(old) == len(new) == 4 and old[3] != new[3]):
            return True
    return False


class Watcher(threading.Thread):
    """Polls the project and rebuilds after each settled burst of changes."""

    def __init__(self, site: DevSite, on_rebuilt: Callable[[Built | Failed], None],
                 seen: dict[str, tuple[int, ...] | None]) -> None:
        """`seen`: the snapshot the site was last built from (taken before that build)."""
        super().__init__(name="onrecord-watcher", daemon=True)
        self.site = site
        self.on_rebuilt = on_rebuilt
        self.seen = seen
        self.stopping = threading.Event()

    def run(self) -> None:
        seen = self.seen
        while not self.stopping.wait(POLL_SECONDS):
            try:
                seen = self._next(seen)
            except Exception as error:  # never let the watcher die: say so and keep watching
                self.on_rebuilt(Failed((Problem("onrecord", None, f"internal error while "
                                                f"watching: {type(error).__name__}: {error}",
                                                "this is a bug in On Record"),), 0.0, True))

    def _next(self, seen: dict[str, tuple[int, ...] | None]
              ) -> dict[str, tuple[int, ...] | None]:
        """Rebuild if anything changed since `seen`, once the burst settles; the new snapshot."""
        now = self.site.watched()
        if not changed(seen, now):
            return seen
        first_change = time.monotonic()
        while not self.stopping.wait(SETTLE_SECONDS):
            latest = self.site.watched()
            settled = not changed(now, latest)
            now = latest
            if settled or time.monotonic() - first_change > MAX_SETTLE_SECONDS:
                break
        if not self.stopping.is_set():
            self.on_rebuilt(self.site.rebuild())
        return now

    def stop(self) -> None:
        self.stopping.set()


class SearchIndexer(threading.Thread):
    """Makes the search index of the latest good build in the background, one at a time:
    a burst of saves indexes once, for the last of them."""

    def __init__(self, site: DevSite) -> None:
        super().__init__(name="onrecord-search-index", daemon=True)
        self.site = site
        self.wanted = threading.Condition()
        self.job: tuple[Mapping[str, bytes], Callable[[], dict[str, bytes]]] | None = None

    def submit(self, outputs: Mapping[str, bytes], make: Callable[[], dict[str, bytes]]) -> None:
        with self.wanted:
            self.job = (outputs, make)
            self.wanted.notify()
        if not self.is_alive():
            self.start()

    def run(self) -> None:
        while True:
            with self.wanted:
                while self.job is None:
                    self.wanted.wait()
                outputs, make = self.job
                self.job = None
            try:
                self.site.indexed(outputs, make())
            except Exception:  # the preview keeps its previous index; the next save retries
                continue


class _Page(web.RequestHandler):
    """Serves the site from memory under its base path, like a static host would."""

    site: DevSite
    script: bytes

    def compute_etag(self) -> None:
        return None

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        state = self.site.state
        base = state.base_path
        request = "/" + path
        if not request.startswith(base):
            if request == "/" or request == base.rstrip("/"):
                self.redirect(base)
                return
            self._not_found(state)
            return
        name = request[len(base):]
        if name == "" or name.endswith("/"):
            name += "index.html"
        if name not in state.outputs:
            if f"{name}/index.html" in state.outputs:
                self.redirect(request + "/")
                return
            self._not_found(state)
            return
        self._send(name, state.outputs[name], state)

    def _not_found(self, state: State) -> None:
        self.set_status(404)
        self._send("404.html", state.outputs.get("404.html", b"<!doctype html><title>Not found"
                                                             b"</title><head></head>"), state)

    def _send(self, name: str, data: bytes, state: State) -> None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, self.script, state.problems)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        self.finish(data)


def inject(page: bytes, script: bytes, problems: tuple[Problem, ...]) -> bytes:
    """Add the reload script to a page, and the overlay when the latest build failed."""
    head = page.find(b"</head>")
    page = page[:head] + script + page[head:] if head >= 0 else script + page
    if problems:
        page += overlay(problems)
    return page


def overlay(problems: tuple[Problem, ...]) -> bytes:
    """The error overlay: every problem with its place, what is wrong and how to fix it."""
    errors = [p for p in problems if not p.warning] or list(problems)
    items = "".join(
        f'<li><code>{html.escape(p.path)}{f":{p.line}" if p.line else ""}</code> '
        f'<span class="onrecord-message">{html.escape(p.message)}</span>'
        + (f'<br><span class="onrecord-fix">Fix: {html.escape(p.hint)}</span>' if p.hint else "")
        + "</li>" for p in sorted(errors, key=lambda p: (p.path, p.line or 0)))
    problems_count = count(len(errors), "problem")
    return (
        '<div id="onrecord-overlay" role="alertdialog" aria-modal="true" '
        'aria-labelledby="onrecord-overlay-title"><div class="onrecord-overlay-box">'
        f'<h2 id="onrecord-overlay-title">The site could not be rebuilt: {problems_count}</h2>'
        "<p>You are looking at the last good version. Save a fix and this page reloads.</p>"
        f"<ol>{items}</ol>"
        '<button type="button" data-onrecord-dismiss>Dismiss</button></div></div>'
    ).encode()


class Server:
    """A running dev server: `start` binds and builds, `run` serves until Ctrl-C or `stop`."""

    def __init__(self, paths: Paths, options: pipeline.Options,
                 report: Callable[[Event], None], *, port: int = 8000) -> None:
        self.site = DevSite(paths, options)
        self.report = report
        self.port = port
        self.loop: ioloop.IOLoop | None = None
        self.watcher: Watcher | None = None
        self.http: httpserver.HTTPServer | None = None

    def start(self) -> str:
        """Bind 127.0.0.1:port, build once and start watching; return the site's address."""
        sockets = netutil.bind_sockets(self.port, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        script = (f'<script src="/livereload.js?port={port}"></script>'
                  f'<link rel="stylesheet" href="{DEV_FILES}overlay.css">'
                  f'<script src="{DEV_FILES}overlay.js" defer></script>').encode()
        LiveReloadHandler.watcher = types.SimpleNamespace(filepath=None)  # read when logging
        LiveReloadHandler.live_css = False   # a rebuilt site reloads whole pages
        page = type("Page", (_Page,), {"site": self.site, "script": script})
        app = web.Application([(r"/livereload", LiveReloadHandler),
                               (r"/livereload.js", LiveReloadJSHandler),
                               (DEV_FILES + r"(overlay\.css|overlay\.js)", web.StaticFileHandler,
                                {"path": str(Path(__file__).parent / "devserver")}),
                               (r"/(.*)", page)], log_function=lambda handler: None)
        self.loop = ioloop.IOLoop.current()
        self.http = httpserver.HTTPServer(app)
        self.http.add_sockets(sockets)
        # The snapshot comes first: a save made during the first build is then rebuilt too.
        self.watcher = Watcher(self.site, self._rebuilt, self.site.watched())
        self.report(self.site.rebuild(first=True))
        url = f"http://127.0.0.1:{port}{self.site.state.base_path}"
        self.report(Ready(url))
        self.watcher.start()
        return url

    def run(self) -> None:
        """Serve until interrupted; then stop watching and close the port."""
        assert self.loop is not None
        try:
            self.loop.start()
        finally:
            self.close()

    def stop(self) -> None:
        if self.loop is not None:
            self.loop.add_callback(self.loop.stop)

    def close(self) -> None:
        if self.http is not None:
            self.http.stop()
        if self.watcher is not None and self.watcher.is_alive():
            self.watcher.stop()
            self.watcher.join(timeout=5)

    def _rebuilt(self, event: Built | Failed) -> None:
        self.report(event)
        if self.loop is not None:
            self.loop.add_callback(LiveReloadHandler.reload_waiters, "*")
