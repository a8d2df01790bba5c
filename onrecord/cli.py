"""The command line: `build` (the default), `check`, `serve`, `new` and `draft`.

The only module that prints: problems, progress and results, through one `Terminal`
(coloured on a terminal, plain in pipes and CI, quiet or verbose on request).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from onrecord import __version__
from onrecord.builder.progress import listening
from onrecord.stories.paths import Paths
from onrecord.stories.problems import BuildFailed, Problem
from onrecord.stories.words import count

if TYPE_CHECKING:  # the engine is imported once a no-op build is ruled out
    from onrecord.builder import pipeline

T = TypeVar("T")
PROGRESS_AFTER = 1.0   # seconds before a build shows a progress bar
SCHEDULER = "ONRECORD_SCHEDULER"   # the environment's default for `build --scheduler`
INSTALL = "pip install 'onrecord[cluster]'"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onrecord", description="On Record: build a data-journalism explainer site from "
        "Markdown stories with structured front matter.")
    parser.add_argument("--version", action="version", version=f"onrecord {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--root", type=Path, default=Path("."),
                         help="the project folder holding site/, templates/ and content/ "
                         "(default: the current folder)")
        sub.add_argument("--content", type=Path, help="the folder of stories (default: content/)")
        sub.add_argument("--drafts", action="store_true",
                         help="include stories marked 'draft: true'")
        sub.add_argument("--base-url", help="the address the site is published at, e.g. "
                         "https://example.org/explainers/ (default: base_url in site/site.toml)")
        sub.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
        loudness(sub)

    def loudness(sub: argparse.ArgumentParser) -> None:
        group = sub.add_mutually_exclusive_group()
        group.add_argument("-q", "--quiet", action="store_true",
                           help="print only problems and failures")
        group.add_argument("-v", "--verbose", action="store_true",
                           help="say more: every page rebuilt, every warning in full")

    build = commands.add_parser("build", help="build the site into public/ (the default)",
                                description="Check every story, then build the whole site and "
                                "swap it into the output folder in one step. On any error "
                                "nothing is written and the previous site stays as it was.")
    common(build)
    build.add_argument("--out", type=Path, help="the output folder (default: public/)")
    build.add_argument("-j", "--jobs", type=_positive, metavar="N",
                       help="worker processes that draw charts and social cards (default: one "
                       "per core; 1 draws them in the build's own process)")
    build.add_argument("--scheduler", metavar="ADDRESS", default=os.environ.get(SCHEDULER),
                       help="draw the charts and social cards on a Dask cluster: a scheduler's "
                       "address (tcp://HOST:8786), or local:N for N worker processes here; "
                       f"needs {INSTALL} (default: ${SCHEDULER})")
    check = commands.add_parser("check", help="check every story and every link, "
                                "without touching public/",
                                description="Report every problem in every story and in "
                                "site/site.toml, with file and line; then build the site into "
                                "a temporary folder and check every internal link and anchor. "
                                "Exits 1 if anything is wrong; public/ is not touched.")
    common(check)
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="'json' prints one JSON document on standard output, for CI")
    check.add_argument("--strict", action="store_true",
                       help="count every warning as an error (exit 1), for CI: e.g. a "
                       "base_url that is not a full address, or an unknown key")
    serve = commands.add_parser(
        "serve", help="preview the site while you write: rebuilds and reloads on every save",
        description="Build the site into memory, serve it on 127.0.0.1 and watch content/, "
        "templates/ and site/. Each save rebuilds only what changed and reloads the open "
        "pages; a broken save keeps the last good site and shows the problems over the page. "
        "Drafts are shown (use --no-drafts to hide them). public/ is not touched.")
    common(serve)
    serve.add_argument("--port", type=int, default=8000,
                       help="the port to serve on (default: 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in your browser")
    serve.add_argument("--no-drafts", action="store_true", help="hide stories marked draft")
    new = commands.add_parser(
        "new", help='start a story: new "Story title"',
        description="Create content/<slug>.md from a template with today's date and an "
        "example of actors, topics, a quote and an event, valid as created. Never overwrites.")
    new.add_argument("title", help="the story's title; its slug names the file")
    new.add_argument("--root", type=Path, default=Path("."), help="the project folder")
    new.add_argument("--dir", type=Path, help="the folder to create it in (default: content/)")
    new.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    loudness(new)
    draft = commands.add_parser(
        "draft", help="draft a story from an article: every quote and its speaker",
        description="Read an article (plain text, headline first; or a saved web page, "
        ".html) and write content/<slug>.md: a draft story with the speakers as actors and "
        "every direct quote verbatim, each marked 'unreviewed' for you to check and judge. "
        "Never overwrites.")
    draft.add_argument("article", type=Path, help="the article: a .txt file (first line the "
                       "headline) or a saved web page (.html)")
    draft.add_argument("--date", help="the article's date, YYYY-MM-DD, when its text gives none")
    draft.add_argument("--source-url", help="the article's address, for the story's source")
    draft.add_argument("--source-name", help="the publication, for the story's source")
    draft.add_argument("--format", choices=("story", "json"), default="story",
                       help="'json' prints the quotes and speakers found and writes nothing")
    draft.add_argument("--root", type=Path, default=Path("."), help="the project folder")
    draft.add_argument("--dir", type=Path, help="the folder to create it in (default: content/)")
    draft.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    loudness(draft)
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "build")
    options = _parser().parse_args(args)
    out = Terminal(quiet=options.quiet, verbose=options.verbose)
    try:
        return _run(options, out)
    except KeyboardInterrupt:
        out.say("interrupted; the output folder was left as it was", error=True)
        return 130
    except BuildFailed as failed:
        if getattr(options, "format", "text") == "json":
            out.json(failed.problems)
            return 1
        out.problems(failed.problems)
        out.say(_failure(failed.problems) + "nothing was written and the site in the output "
                "folder is unchanged.", error=True, style="bold red")
        return 1
    except OSError as error:
        out.say(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
                error=True, style="red")
        return 1
    except Exception as error:  # a bug of ours: say so plainly, keep the trace for --debug
        if options.debug:
            traceback.print_exc()
        out.say(f"internal error: {type(error).__name__}: {error}\nThis is a bug in On Record, "
                "not in your stories; please report it (run again with --debug for details).",
                error=True, style="red")
        return 70


def _run(options: argparse.Namespace, out: Terminal) -> int:
    if options.command == "new":
        return _new(options, out)
    if options.command == "draft":
        return _draft(options, out)
    paths = Paths.at(options.root, content=options.content, public=getattr(options, "out", None))
    started = time.perf_counter()
    if options.command == "build" and _up_to_date(paths, options, started, out):
        return 0
    from onrecord.builder import pipeline  # the engine's imports cost more than a no-op build

    drafts = options.drafts or (options.command == "serve" and not options.no_drafts)
    settings = pipeline.Options(drafts=drafts, base_url=options.base_url)
    if options.command == "serve":
        return _serve(paths, settings, options, out)
    if options.command == "check":
        found = out.progress("checking", lambda: pipeline.check_built(paths, settings))
        if options.strict:
            found = tuple(p if p.advisory else replace(p, warning=False) for p in found)
        if options.format == "json":
            out.json(found)
            return 1 if any(not p.warning for p in found) else 0
        out.problems(found)
        errors = [p for p in found if not p.warning]
        if errors:
            out.say(_failure(found) + "public/ was not touched.", error=True, style="bold red")
            return 1
        warnings = len(found)
        out.done(f"checked {paths.shown(paths.content)}/ and every link in the built site: "
                 "no errors" + (f", {count(warnings, 'warning')}" if warnings else "")
                 + f" ({time.perf_counter() - started:.2f} s)")
        return 0
    gc.set_threshold(50_000, 50, 100)  # a build keeps many objects: collect less often (~10%)
    if options.scheduler:
        from onrecord.builder import cluster

        try:
            plan, report = out.progress(f"building on {options.scheduler}",
                                        lambda: _on_cluster(paths, settings, options.scheduler))
        except cluster.Unavailable as error:
            out.say(f"error: {error}\nnothing was written and the site in the output folder is "
                    "unchanged.", error=True, style="red")
            return 1
    else:
        plan, report = out.progress("building", lambda: pipeline.build(paths, settings,
                                                                       options.jobs))
    out.problems(plan.warnings)
    seconds = time.perf_counter() - started
    out.done(f"built {count(plan.stories, 'story', 'stories')}, {report.written} "
             f"files ({report.changed} changed, {report.removed} removed) into "
             f"{paths.shown(paths.public)}/ in {seconds:.2f} s")
    return 0


def _on_cluster(paths: Paths, settings: pipeline.Options, address: str
                ) -> tuple[pipeline.Plan, pipeline.writer.Report]:
    from onrecord.builder import cluster, pipeline

    with cluster.connect(address) as connected:
        return pipeline.build(paths, settings, cluster=connected)


def _up_to_date(paths: Paths, options: argparse.Namespace, started: float,
                out: Terminal) -> bool:
    """Say so and stop when no input changed since the last build into the same folder."""
    from onrecord.builder import manifest

    last = manifest.unchanged(paths, options.drafts, options.base_url)
    if last is None:
        return False
    out.problems(tuple(Problem(*warning, warning=True) for warning in last["warnings"]))
    stories = last["stories"]
    out.done(f"built {count(stories, 'story', 'stories')}, {last['files']} files "
             f"(nothing changed) into {paths.shown(paths.public)}/ in "
             f"{time.perf_counter() - started:.2f} s")
    return True


def _new(options: argparse.Namespace, out: Terminal) -> int:
    from onrecord.authoring import new

    root = options.root.absolute()
    folder = (options.dir or root / "content").absolute()
    try:
        path = new.story(options.title, folder)
    except new.CannotCreate as refused:
        out.say(f"error: {refused}", error=True, style="red")
        return 1
    shown = Paths.at(root).shown(path)
    out.done(f"created {shown}; edit it, then preview with `python build.py serve`")
    return 0


def _draft(options: argparse.Namespace, out: Terminal) -> int:
    import datetime as dt

    from onrecord.authoring import draft

    try:
        article = draft.read(options.article)
        if options.format == "json":
            print(draft.quotes_json(article))
            return 0
        if options.date:
            try:
                date = dt.date.fromisoformat(options.date)
            except ValueError:
                raise draft.CannotDraft(f"--date '{options.date}' is not a date; write "
                                        "YYYY-MM-DD, e.g. --date 2024-03-25") from None
        elif article.date:
            date = article.date
        else:
            raise draft.CannotDraft("the article gives no date; add --date YYYY-MM-DD")
        url = options.source_url or ""
        if url and not url.lower().startswith(("http://", "https://")):
            raise draft.CannotDraft(f"--source-url '{url}' is not an http(s) address")
        root = options.root.absolute()
        folder = (options.dir or root / "content").absolute()
        path, found = draft.write(article, folder, date, options.source_name or "", url)
    except draft.CannotDraft as refused:
        out.say(f"error: {refused}", error=True, style="red")
        return 1
    shown = Paths.at(root).shown(path)
    out.done(f"created {shown} with {count(found, 'quote')}, each marked 'unreviewed': check "
             "every speaker and text, choose topics and stances, then preview with "
             "`python build.py serve`")
    return 0


def _serve(paths: Paths, settings: pipeline.Options, options: argparse.Namespace,
           out: Terminal) -> int:
    from onrecord.authoring import serve

    def report(event: serve.Event) -> None:
        if isinstance(event, serve.Ready):
            out.done(f"serving {event.url} (Ctrl-C to stop); watching "
                     f"{paths.shown(paths.content)}/, templates/ and site/")
        elif isinstance(event, serve.Built):
            out.problems(event.warnings, verbose_only=not event.first)
            if event.first:
                out.done(f"built {count(event.stories, 'story', 'stories')}, "
                         f"{event.pages} pages in {event.seconds:.2f} s")
            else:
                out.rebuilt(event.rendered, event.seconds)
        else:
            out.problems(event.problems)
            out.say(_failure(event.problems) + ("still serving the last good site; the "
                    "problems show over each page until you fix them." if event.serving else
                    "there is nothing to serve until you fix them."), error=True,
                    style="bold red")

    server = serve.Server(paths, settings, report, port=options.port)
    try:
        url = server.start()
    except OSError as error:
        out.say(f"error: cannot serve on 127.0.0.1:{options.port}: {error.strerror or error}; "
                "try another --port, or --port 0 for any free one", error=True, style="red")
        return 1
    if options.open:
        webbrowser.open(url)
    with suppress(KeyboardInterrupt):
        server.run()
    out.say("stopped")
    return 0


def _failure(problems: Sequence[Problem]) -> str:
    errors = [p for p in problems if not p.warning]
    files = len({p.path for p in errors})
    return f"\n{count(len(errors), 'error')} in {count(files, 'file')}; "


class Terminal:
    """Where everything the CLI says goes: results to stdout, problems to stderr."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.stdout = Console(highlight=False, soft_wrap=True)
        self.stderr = Console(stderr=True, highlight=False, soft_wrap=True)

    def say(self, text: str, *, error: bool = False, style: str = "") -> None:
        if self.quiet and not error:
            return
        (self.stderr if error else self.stdout).print(escape(text), style=style or None)

    def done(self, text: str) -> None:
        self.say(text, style="green")

    def problems(self, problems: Sequence[Problem], *, verbose_only: bool = False) -> None:
        if verbose_only and not self.verbose:
            return
        for problem in sorted(problems, key=lambda p: (p.path, p.line or 0, p.warning)):
            if problem.warning and self.quiet:
                continue
            place = f"{problem.path}:{problem.line}" if problem.line else problem.path
            kind = "[yellow]warning:[/] " if problem.warning else ""
            message = escape(problem.message) if problem.warning else \
                f"[red]{escape(problem.message)}[/]"
            hint = f"; [dim]{escape(problem.hint)}[/]" if problem.hint else ""
            # the same words as str(problem): `file:line: message; how to fix it`
            self.stderr.print(f"[bold]{escape(place)}[/]: {kind}{message}{hint}")

    def rebuilt(self, pages: Sequence[str], seconds: float) -> None:
        shown = pages if self.verbose or len(pages) <= 5 else [*pages[:5], f"{len(pages) - 5} more"]
        self.say(f"rebuilt {count(len(pages), 'page')} in {seconds * 1000:.0f} ms"
                 + (f": {', '.join(shown)}" if shown else " (no page changed)"), style="green")

    def json(self, problems: Sequence[Problem]) -> None:
        """The problems as one JSON document on stdout, for CI."""
        items = [{"file": p.path, "line": p.line, "severity": "warning" if p.warning else "error",
                  "message": p.message, "fix": p.hint}
                 for p in sorted(problems, key=lambda p: (p.path, p.line or 0, p.warning))]
        errors = sum(1 for p in problems if not p.warning)
        print(json.dumps({"ok": not errors, "errors": errors, "warnings": len(items) - errors,
                          "problems": items}, ensure_ascii=False, indent=2))

    def progress(self, label: str, work: Callable[[], T]) -> T:
        """Run `work`; on a terminal, once it has taken over a second, show a spinner and a
        bar with counts for each stage the engine reports (onrecord/builder/progress.py)."""
        if self.quiet or not self.stderr.is_terminal:
            return work()
        with self._bar_after(PROGRESS_AFTER, label) as bars, listening(bars):
            return work()

    @contextmanager
    def _bar_after(self, delay: float, label: str) -> Iterator[Callable[[str, int, int | None],
                                                                         None]]:
        finished = threading.Event()
        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                            console=self.stderr, transient=True)
        progress.add_task(f"{label}…", total=None, counts="")
        tasks: dict[str, TaskID] = {}
        before: dict[str, int] = {}   # items of a stage's earlier rounds (speakers, stories)

        def stage(name: str, done: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(f"  {name}", total=total, counts="")
            elif done == 0:
                task = next(t for t in progress.tasks if t.id == tasks[name])
                before[name] = int(task.total or task.completed)
            done, total = done + before.get(name, 0), total and total + before.get(name, 0)
            progress.update(tasks[name], completed=done, total=total,
                            counts=f"{done:,}/{total:,}" if total is not None else f"{done:,}")

        def show() -> None:
            if finished.wait(delay):
                return
            with progress:
                finished.wait()

        thread = threading.Thread(target=show, daemon=True)
        thread.start()
        try:
            yield stage
        finally:
            finished.set()
            thread.join()
