"""The writer's dev server: serve the site from the engine, rebuild on every save, reload.

The site is never written (public/ is not touched): each page is made by the same engine
as `build` (onrecord/builder/engine.py), with the same results on disk, when it is asked for, and
served on 127.0.0.1 under the site's base path. The operating system says which files
changed (watchfiles); then, like `hugo server`, what the writer is looking at comes
first: the sources are checked, the pages open in a browser (and those of the stories
just saved) are made again, and the browsers reload. Every other page follows in the
background, then the search index, which never holds up a reload.

A save that breaks the site leaves the last good one in place: the engine goes back to
the files as they were (`Engine.rollback`), and every page carries an overlay listing the
problems until a save fixes them. Nothing here prints: what happens is handed to
`report` as events, and the CLI says it.
"""

from __future__ import annotations

import gc
import html
import mimetypes
import threading
import time
import traceback
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, ioloop, netutil, web

from onrecord.builder import outputs, pipeline, reading
from onrecord.output import search
from onrecord.stories.paths import Paths
from onrecord.stories.problems import BuildFailed, Problem
from onrecord.stories.words import count

STEP_MS = 10             # a burst of saves is over when this passes without another
MAX_SETTLE_MS = 1000     # ... or when this has passed since its first change
OPEN_SECONDS = 600       # a page requested this recently is taken to be open in a browser
QUIET_SECONDS = 1.0      # the rest of the site is made once saves pause this long
DEV_FILES = "/_onrecord/"  # the overlay's own CSS and script: files, so the pages' CSP holds


@dataclass(frozen=True)
class Ready:
    url: str


@dataclass(frozen=True)
class Built:
    rendered: tuple[str, ...]   # the pages this rebuild rendered before the reload
    pages: int                  # pages in the site (as of the last full pass)
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


class SiteOutputs(Mapping[str, bytes]):
    """The site being served, output path -> bytes: each made by the engine when first
    asked for, then kept. The engine is at this site's files while it is being served
    (a broken save is rolled back), so a page made late is the page it would have been."""

    def __init__(self, site: DevSite, index: Mapping[str, bytes]) -> None:
        self._engine = site.engine
        self._index = dict(index)        # the search index, made in the background
        self._made: dict[str, bytes] = {}

    def __getitem__(self, name: str) -> bytes:
        if name in self._index:
            return self._index[name]
        if name not in self._made:
            with self._engine.lock:
                if self._engine.get(outputs.item, name) is None:
                    raise KeyError(name)
                data = self._engine.get(outputs.output, name).data
            if data is None:
                raise KeyError(name)
            self._made[name] = data
        return self._made[name]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name in self._index or name in self._made:
            return True
        with self._engine.lock:
            return self._engine.get(outputs.item, name) is not None

    def __iter__(self) -> Iterator[str]:
        with self._engine.lock:
            names = outputs.every_path(self._engine)
        return iter((*names, *self._index))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class DevSite:
    """The project being served: its engine, the site served, what is open in browsers."""

    def __init__(self, paths: Paths, options: pipeline.Options) -> None:
        self.paths = paths
        self.options = options
        self.engine = pipeline.open_engine(paths, options)
        self.state = State()
        self.version = 0                 # counts builds, good or bad
        self.lock = threading.Lock()     # guards `state` (the background thread sets it too)
        self.opened: dict[str, float] = {}   # page -> when a browser last asked for it
        self.unaccepted: set[str] = set()    # files saved since the last good site
        self.pages = 0
        self.index: dict[str, bytes] = {}    # the search index, made in the background
        self.background = Background(self)

    def rebuild(self, changed: Iterable[str] | None = None, *, first: bool = False
                ) -> Built | Failed:
        """Take the saves in: `changed` files (None: any file may have changed)."""
        started = time.perf_counter()
        engine = self.engine
        with engine.lock:
            if changed is None:
                engine.refresh()
            else:
                self.unaccepted |= set(changed)
                engine.changed(self.unaccepted)
            try:
                if first:
                    made = pipeline.make(engine)
                    warnings, rendered, index = made.warnings, made.rendered, {
                        p: made.outputs[p] for p in made.outputs
                        if p.startswith(search.FOLDER + "/")}
                    self.index = index
                    self.pages = sum(p.endswith(".html") for p in made.outputs)
                else:
                    warnings, rendered = self._first_pages(changed)
                    index = self.index   # the last one made, until the next is
            except BuildFailed as failed:
                return self._failed(failed.problems, started)
            except Exception as error:  # a bug of ours must not take the server down
                return self._failed((_internal(error),), started)
            engine.checkpoint()
            self.unaccepted = set()
            base_path = engine.get(reading.site_settings).base_path
            stories = len(engine.get(reading.published_files))
            site = SiteOutputs(self, index)
            with self.lock:
                self.state = State(site, (), base_path)
                self.version += 1
            if first:
                engine.save()
                gc.freeze()   # the site just made stays: a full collection no longer walks it
            else:
                self.background.submit(engine.revision)
        return Built(rendered, self.pages, stories, time.perf_counter() - started,
                     tuple(warnings), first)

    def _first_pages(self, changed: Iterable[str] | None) -> tuple[tuple[Problem, ...], tuple]:
        """Check the sources, then make the pages the writer is looking at: those open in
        a browser and those of the stories just saved. Raises BuildFailed."""
        engine = self.engine
        warnings = pipeline.gate(engine)
        engine.computed = []
        slugs = engine.get(reading.slugs)
        files = {path for path in (changed or ()) if path in slugs.values()}
        wanted = [f"{slug}/index.html" for slug, path in slugs.items() if path in files]
        now = time.monotonic()
        wanted += [name for name, seen in self.opened.items() if now - seen < OPEN_SECONDS]
        found: list[Problem] = []
        for name in dict.fromkeys(wanted):
            if engine.get(outputs.item, name) is not None:
                found += engine.get(outputs.problems_of, name)
        if any(not p.warning for p in found):
            raise BuildFailed(found)
        rendered = tuple(sorted(args[0] for name, args in engine.computed
                                if name == outputs.output.name))
        return warnings, rendered

    def _failed(self, problems: tuple[Problem, ...], started: float) -> Failed:
        """Keep serving the last good site, with the problems over every page."""
        self.engine.rollback()
        with self.lock:
            base_path = self.state.base_path if self.state.outputs else self._base_path()
            self.state = State(self.state.outputs, problems, base_path)
            self.version += 1
        return Failed(problems, time.perf_counter() - started, bool(self.state.outputs))

    def broken(self, problems: tuple[Problem, ...], started: float) -> Failed:
        """A page other than those first made cannot be made: the overlay says why, over
        the site as it is (its open pages are already the new ones), until a save fixes it."""
        with self.lock:
            self.state = State(self.state.outputs, problems, self.state.base_path)
            self.version += 1
        return Failed(problems, time.perf_counter() - started, True)

    def _base_path(self) -> str:
        try:
            return self.engine.get(reading.settings).value.base_path
        except Exception:  # settings unreadable: the site's root will do
            return "/"

    def indexed(self, revision: int, index: Mapping[str, bytes], pages: int) -> None:
        """Serve `index` as the search index, if the site is still the one it was made of."""
        with self.engine.lock, self.lock:
            if self.engine.revision == revision and not self.state.problems:
                self.pages = pages
                self.index = dict(index)
                self.state = State(SiteOutputs(self, index), (), self.state.base_path)

    def saw(self, name: str) -> None:
        """A browser asked for this page: it is open, so it comes first after a save."""
        self.opened[name] = time.monotonic()


def _internal(error: Exception) -> Problem:
    return Problem("onrecord", None, f"internal error: {type(error).__name__}: {error}",
                   "this is a bug in On Record; the trace is: "
                   + " | ".join(traceback.format_exc().splitlines()[-4:]))


class Background(threading.Thread):
    """After a rebuild: every other page made again, then the search index, a page at a
    time so that a browser's request or the next save is never kept waiting long, and
    only once saves pause (QUIET_SECONDS). A newer save makes the work out of date: it
    stops, and starts over for the newer one."""

    def __init__(self, site: DevSite) -> None:
        super().__init__(name="onrecord-background", daemon=True)
        self.site = site
        self.wanted = threading.Condition()
        self.revision: int | None = None
        self.on_failed: Callable[[Failed], None] = lambda failed: None

    def submit(self, revision: int) -> None:
        with self.wanted:
            self.revision = revision
            self.wanted.notify()
        if not self.is_alive():
            self.start()

    def run(self) -> None:
        while True:
            with self.wanted:
                while self.revision is None:
                    self.wanted.wait()
                # while the writer is saving, the next save must find the engine free
                while self.wanted.wait(QUIET_SECONDS):
                    pass
                revision, self.revision = self.revision, None
            try:
                self._catch_up(revision)
            except Exception:  # the preview keeps what it has; the next save retries
                continue

    def _catch_up(self, revision: int) -> None:
        engine = self.site.engine
        started = time.perf_counter()
        with engine.lock:
            if engine.revision != revision:
                return
            try:
                problems = list(engine.get(outputs.collisions))
                every = outputs.every_path(engine)
            except BuildFailed as failed:
                problems = list(failed.problems)
                every = ()
        for name in every:
            with engine.lock:
                if engine.revision != revision:
                    return
                try:
                    problems += engine.get(outputs.problems_of, name)
                except BuildFailed as failed:
                    problems += failed.problems
        errors = tuple(p for p in problems if not p.warning)
        if errors:
            with engine.lock:
                if engine.revision == revision:
                    self.on_failed(self.site.broken(errors, started))
            return
        with engine.lock:
            if engine.revision != revision:
                return
            language = engine.get(reading.site_settings).language
            keys = outputs.search_keys(engine)
            cache = self.site.paths.cache / "search"
            missing = {name: outputs.part_documents(engine, name) for name in keys
                       if not (cache / f"{keys[name]}.zip").is_file()}
        # Pagefind runs with the engine free for requests and saves
        index = search.assemble(keys, missing.__getitem__, language, cache)
        self.site.indexed(revision, index,
                          sum(name.endswith(".html") for name in every))
        with engine.lock:
            if engine.revision == revision:
                engine.save()
                gc.freeze()


class Watcher(threading.Thread):
    """Hears from the operating system which files changed, and rebuilds after each
    settled burst of changes."""

    def __init__(self, site: DevSite, on_rebuilt: Callable[[Built | Failed], None]) -> None:
        super().__init__(name="onrecord-watcher", daemon=True)
        self.site = site
        self.on_rebuilt = on_rebuilt
        self.stopping = threading.Event()
        self.listening = threading.Event()   # set once the operating system is watching

    def folders(self) -> list[Path]:
        paths = self.site.paths
        found = [f for f in (paths.content, paths.templates, paths.site) if f.is_dir()]
        return found or [paths.root]

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                for changes in watchfiles.watch(
                        *self.folders(), watch_filter=self._wanted, step=STEP_MS,
                        debounce=MAX_SETTLE_MS, stop_event=self.stopping, rust_timeout=200,
                        yield_on_timeout=True, raise_interrupt=False):
                    self.listening.set()
                    if changes:
                        self.on_rebuilt(self.site.rebuild({path for _, path in changes}))
            except Exception as error:  # never let the watcher die: say so, keep watching
                self.on_rebuilt(Failed((_internal(error),), 0.0, True))
                time.sleep(0.2)

    def _wanted(self, change: watchfiles.Change, path: str) -> bool:
        """Editors' swap and backup files, and hidden files, are not the site."""
        name = Path(path).name
        return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")))

    def stop(self) -> None:
        self.stopping.set()


class _Page(web.RequestHandler):
    """Serves the site under its base path, like a static host would."""

    site: DevSite
    script: bytes

    def compute_etag(self) -> None:
        return None

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        with self.site.engine.lock:   # the site served is the one the engine is at
            self._get(path)

    def _get(self, path: str) -> None:
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
        try:
            if name not in state.outputs:
                if f"{name}/index.html" in state.outputs:
                    self.redirect(request + "/")
                    return
                self._not_found(state)
                return
            data = state.outputs[name]
        except (KeyError, BuildFailed):   # a page that cannot be made now: the overlay says why
            self._not_found(state)
            return
        if name.endswith(".html"):
            self.site.saw(name)
        self._send(name, data, state)

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
        # Watching comes first: a save made during the first build is then taken in too.
        self.watcher = Watcher(self.site, self._rebuilt)
        self.site.background.on_failed = self._rebuilt
        self.watcher.start()
        self.watcher.listening.wait(timeout=10)
        self.report(self.site.rebuild(first=True))
        url = f"http://127.0.0.1:{port}{self.site.state.base_path}"
        self.report(Ready(url))
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
        self.site.engine.close()

    def _rebuilt(self, event: Built | Failed) -> None:
        self.report(event)
        if self.loop is not None:
            self.loop.add_callback(LiveReloadHandler.reload_waiters, "*")
