"""Reading the project, as engine stages: the settings, the speakers, the chart specs, and
every story checked. Each file is a stage of its own, so a save rereads one file.

Every stage here returns its problems with its value (`Checked`): a warning is reported
again by every build that uses the result, not only by the one that found it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, TypeVar

from onrecord.builder.engine import Step, stage
from onrecord.stories import config, load, people, validate
from onrecord.stories.model import Story
from onrecord.stories.paths import Paths
from onrecord.stories.problems import Problem, Problems
from onrecord.views import charts

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    drafts: bool = False
    base_url: str | None = None


@dataclass(frozen=True)
class Given:
    """What the command line chose: the project's folders and the build's options."""

    paths: Paths
    options: Options


@dataclass(frozen=True)
class Checked(Generic[T]):
    value: T
    problems: tuple[Problem, ...] = ()


@stage(source=True)
def project(step: Step) -> Paths:
    """The project's folders, as the command line chose them."""
    return step.engine.given.paths


@stage(source=True)
def options(step: Step) -> Options:
    """The build's options. Stages read the one they need (`drafts`, `base_url`), so a
    dev server, which shows drafts, and a build share every result drafts do not change."""
    return step.engine.given.options


@stage
def drafts(step: Step) -> bool:
    return step.get(options).drafts


@stage
def base_url(step: Step) -> str | None:
    return step.get(options).base_url


@stage
def settings(step: Step) -> Checked[config.SiteConfig]:
    """site/site.toml, checked."""
    chosen = step.get(project)
    found = Problems()
    loaded = config.load(chosen.config_file, found, base_url=step.get(base_url),
                         shown=chosen.shown(chosen.config_file),
                         raw=step.read(chosen.config_file))
    return Checked(loaded, tuple(found.items))


@stage(kept=False)
def chart_kinds(step: Step) -> Checked[tuple[charts.ChartKind, ...]]:
    """The standard charts and the site's own specs (site/charts/*.json)."""
    folder = step.get(project).charts
    files = {name: step.read(folder / name) for name in step.files(folder)
             if name.endswith(".json") and "/" not in name}
    found = Problems()
    kinds = charts.kinds(folder, found, {n: data for n, data in files.items() if data is not None})
    return Checked(kinds, tuple(found.items))


@stage
def chart_names(step: Step) -> tuple[str, ...]:
    return tuple(kind.name for kind in step.get(chart_kinds).value)


@stage
def chart_specs(step: Step) -> dict[str, dict]:
    """Every chart's Vega-Lite spec without data, by name: Altair runs once per site."""
    site_charts = charts.Charts(step.get(chart_kinds).value, step.get(site_settings))
    return site_charts.templates


def chart_set(step: Step) -> charts.Charts:
    """The site's charts, their specs read from `chart_specs` (no Altair import)."""
    made = charts.Charts(step.get(chart_kinds).value, step.get(site_settings))
    made.__dict__["templates"] = step.get(chart_specs)
    return made


@stage
def registry(step: Step) -> Checked[people.Registry]:
    """site/actors.toml: who the speakers are, across stories."""
    path = step.get(project).site / "actors.toml"
    found = Problems()
    loaded = people.load(path, found, step.read(path))
    return Checked(loaded, tuple(found.items))


@stage
def story_files(step: Step) -> Checked[tuple[str, ...]]:
    """Every story file under content/, in a stable order (hidden ones skipped)."""
    chosen = step.get(project)
    found = Problems()
    if not step.get(folder_exists, str(chosen.content)):
        load.folder_exists(chosen.content, chosen.root, found)
        return Checked((), tuple(found.items))
    names = sorted((n for n in step.files(chosen.content) if load.is_story(n)),
                   key=load.walk_order)
    return Checked(tuple(str(chosen.content / name) for name in names))


@stage(source=True)
def folder_exists(step: Step, folder: str) -> bool:
    return Path(folder).is_dir()


@dataclass(frozen=True)
class StoryFile:
    """A story file, read and checked: the story (None if it could not be), its problems,
    and the line of its slug (where a duplicate slug is reported)."""

    value: Story | None
    problems: tuple[Problem, ...] = ()
    slug_line: int = 1


@stage(spill=True)
def story(step: Step, path: str) -> StoryFile:
    """One story file: read, parsed and checked against the site's settings."""
    chosen = step.get(project)
    found = Problems()
    source = load.read(Path(path), chosen.shown(Path(path)), found, content=chosen.content,
                       raw=step.read(path))
    checked = source and validate.story(source, step.get(settings).value,
                                        step.get(chart_names), found)
    return StoryFile(checked, tuple(found.items), source.line("slug") if source else 1)


@dataclass(frozen=True)
class Brief:
    """What the site-wide checks need of a story: small, so checking 1,000 costs little."""

    path: str              # as the writer knows it: content/...
    slug: str | None
    slug_line: int
    draft: bool
    problems: tuple[Problem, ...]
    date: dt.date | None = None
    unreviewed: bool = False   # a quote awaits review (its stance is `unreviewed`)


@stage
def brief(step: Step, path: str) -> Brief:
    read = step.get(story, path)
    made = read.value
    return Brief(step.get(project).shown(Path(path)), made.slug if made else None, read.slug_line,
                 bool(made and made.draft), read.problems, made.date if made else None,
                 bool(made) and any(q.stance.id == config.UNREVIEWED.id for q in made.quotes))


@stage
def problems(step: Step) -> tuple[Problem, ...]:
    """Every problem of the project's sources: the gate before anything is made."""
    found = Problems()
    found.extend(step.get(settings).problems)
    found.extend(step.get(chart_kinds).problems)
    if found.errors:
        return tuple(found.items)
    files = step.get(story_files)
    found.extend(files.problems)
    briefs = [step.get(brief, path) for path in files.value]
    for item in briefs:
        found.extend(item.problems)
    validate.unique_slugs(((b.path, b.slug, b.slug_line) for b in briefs if b.slug), found)
    if not found.errors:
        found.extend(step.get(registry).problems)
    return tuple(found.items)


@stage
def published_files(step: Step) -> tuple[str, ...]:
    """The story files to publish (drafts only with --drafts), newest first."""
    shown = step.get(drafts)
    dated = []
    for path in step.get(story_files).value:
        made = step.get(brief, path)
        if made.slug is not None and (shown or not made.draft):
            dated.append(((made.date, made.slug), path))
    return tuple(path for _, path in sorted(dated, reverse=True))


@stage(kept=False)
def published(step: Step) -> tuple[Story, ...]:
    """The published stories, newest first: what pages about the whole site read. Kept in
    memory only, its fingerprint made of the stories' own: no second copy on disk."""
    return tuple(step.get(story, path).value for path in step.get(published_files))


@stage
def slugs(step: Step) -> dict[str, str]:
    """Published story slug -> its file, to find a story page's story."""
    return {step.get(brief, path).slug: path for path in step.get(published_files)}


@stage
def any_unreviewed(step: Step) -> bool:
    if not step.get(drafts):
        return False
    return any(step.get(brief, path).unreviewed for path in step.get(published_files))


@stage
def site_settings(step: Step) -> config.SiteConfig:
    """The settings pages see: with drafts built, a draft's unreviewed quotes need their
    stance in every legend."""
    site_config = step.get(settings).value
    if step.get(any_unreviewed):
        return replace(site_config, stances=(*site_config.stances, config.UNREVIEWED))
    return site_config


@stage
def story_actors(step: Step, path: str) -> tuple:
    """A story's actors: the speakers' registry is resolved from these alone."""
    return tuple(step.get(story, path).value.actors)


@stage
def speakers(step: Step) -> dict[str, people.Person]:
    """{story actor id: Person} across the published stories (see people.resolve)."""
    shells = [_Actors(step.get(story_actors, p)) for p in step.get(published_files)]
    return people.resolve(shells, step.get(registry).value)   # type: ignore[arg-type]


@dataclass(frozen=True)
class _Actors:
    actors: tuple
