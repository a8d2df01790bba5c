"""The command line: `build` (the default) and `check`. The only module that prints problems."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from onrecord import __version__
from onrecord.paths import Paths
from onrecord.problems import BuildFailed, Problem


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

    build = commands.add_parser("build", help="build the site into public/ (the default)",
                                description="Check every story, then build the whole site and "
                                "swap it into the output folder in one step. On any error "
                                "nothing is written and the previous site stays as it was.")
    common(build)
    build.add_argument("--out", type=Path, help="the output folder (default: public/)")
    check = commands.add_parser("check", help="check every story without building",
                                description="Report every problem in every story and in "
                                "site/site.toml, with file and line; writes nothing.")
    common(check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "build")
    options = _parser().parse_args(args)
    try:
        return _run(options)
    except KeyboardInterrupt:
        print("interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    except BuildFailed as failed:
        _report(failed.problems)
        errors = len(failed.errors)
        files = len({p.path for p in failed.errors})
        print(f"\n{errors} error{'s' * (errors != 1)} in {files} file{'s' * (files != 1)}; "
              "nothing was written and the site in the output folder is unchanged.",
              file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 1
    except Exception as error:  # a bug of ours: say so plainly, keep the trace for --debug
        if options.debug:
            traceback.print_exc()
        print(f"internal error: {type(error).__name__}: {error}\nThis is a bug in On Record, not "
              "in your stories; please report it (run again with --debug for details).",
              file=sys.stderr)
        return 70


def _run(options: argparse.Namespace) -> int:
    paths = Paths.at(options.root, content=options.content, public=getattr(options, "out", None))
    started = time.perf_counter()
    if options.command == "build" and _up_to_date(paths, options, started):
        return 0
    from onrecord import pipeline  # the engine's imports cost more than a no-op build

    settings = pipeline.Options(drafts=options.drafts, base_url=options.base_url)
    if options.command == "check":
        warnings = pipeline.check(paths, settings)
        _report(warnings)
        print(f"checked {paths.shown(paths.content)}/: no errors"
              + (f", {len(warnings)} warning{'s' * (len(warnings) != 1)}" if warnings else ""))
        return 0
    plan, report = pipeline.build(paths, settings)
    _report(plan.warnings)
    seconds = time.perf_counter() - started
    print(f"built {plan.stories} stor{'ies' if plan.stories != 1 else 'y'}, {report.written} "
          f"files ({report.changed} changed, {report.removed} removed) into "
          f"{paths.shown(paths.public)}/ in {seconds:.2f} s")
    return 0


def _up_to_date(paths: Paths, options: argparse.Namespace, started: float) -> bool:
    """Say so and stop when no input changed since the last build into the same folder."""
    from onrecord import manifest

    last = manifest.unchanged(paths, options.drafts, options.base_url)
    if last is None:
        return False
    for warning in last["warnings"]:
        print(warning, file=sys.stderr)
    stories = last["stories"]
    print(f"built {stories} stor{'ies' if stories != 1 else 'y'}, {last['files']} files "
          f"(nothing changed) into {paths.shown(paths.public)}/ in "
          f"{time.perf_counter() - started:.2f} s")
    return True


def _report(problems: Sequence[Problem]) -> None:
    for problem in sorted(problems, key=lambda p: (p.path, p.line or 0, p.warning)):
        print(problem, file=sys.stderr)
