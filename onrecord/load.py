"""Read story files: content/**/*.md -> SourceFile (front matter, body, each value's line).

Nothing here judges the content; it only makes it readable for `validate`, keeping
the line of every YAML value so that each later problem can point at it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from onrecord.problems import Problems

MAX_BYTES = 2_000_000
MAX_NODES = 50_000
Key = tuple[str | int, ...]


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML that leaves dates as text, so a bad date is our clear error, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class SourceFile:
    """One story file as written: its front matter, its body and the line of every value."""

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int
    lines: dict[Key, int] = field(default_factory=dict, compare=False)

    def line(self, *key: str | int) -> int:
        """The line of the value at `key`, or of its nearest written parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)


def story_paths(content: Path) -> Iterator[Path]:
    """Every story file under content/, in a stable order; hidden files and folders skipped."""
    for folder, dirs, files in os.walk(content):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith((".", "_")):
                yield Path(folder, name)


def stories(content: Path, root: Path, problems: Problems,
            reader: Callable[..., SourceFile | None] | None = None) -> list[SourceFile]:
    """Load every story under `content`; unreadable ones become problems, not exceptions.

    `reader` reads one file (default `read`); the dev server passes a remembering one."""
    reader = reader or read
    if not content.is_dir():
        problems.add(_shown(content, root), None, "the folder of stories does not exist",
                     "create it and add a story, or point --content at the right folder")
        return []
    loaded = []
    for path in story_paths(content):
        shown = _shown(path, root)
        source = reader(path, shown, problems, content=content)
        if source is not None:
            loaded.append(source)
    return loaded


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read(path: Path, shown: str, problems: Problems, *,
         content: Path | None = None) -> SourceFile | None:
    """Read one story file; report what stops it being read and return None."""
    if content is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(content.resolve()):
            problems.add(shown, None, "is a link to a file outside content/",
                         "copy the story into content/ instead of linking to it")
            return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.add(shown, None, f"cannot be read ({error.strerror})",
                     "check that the file exists and is readable")
        return None
    if len(raw) > MAX_BYTES:
        problems.add(shown, None, f"is {len(raw):,} bytes, over the limit of {MAX_BYTES:,}",
                     "split the story or move large data out of it")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        problems.add(shown, line, f"is not UTF-8 text (byte 0x{raw[error.start]:02x})",
                     "save the file as UTF-8 in your editor")
        return None
    return parse(text, shown, problems)


def parse(text: str, shown: str, problems: Problems) -> SourceFile | None:
    """Split front matter from body and parse the YAML, keeping line numbers."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.add(shown, 1, "is empty",
                     "start the file with a '---' line, the front matter, and a closing '---'")
        return None
    marks = list(frontmatter.YAMLHandler.FM_BOUNDARY.finditer(text))
    if not marks or marks[0].start() != 0:
        problems.add(shown, 1, "has no front matter",
                     "start the file with a line '---', then the story's YAML, then '---'")
        return None
    if len(marks) < 2:
        problems.add(shown, 1, "front matter is not closed",
                     "add a line '---' after the last line of the YAML front matter")
        return None
    opening, closing = marks[0], marks[1]
    offset = text.count("\n", 0, opening.end()) + 1
    front = text[opening.end():closing.start()]
    meta, lines = _yaml(front, offset, shown, problems)
    if meta is None:
        return None
    body_line = text.count("\n", 0, closing.end()) + 1
    return SourceFile(shown, meta, text[closing.end():], body_line, lines)


def _yaml(front: str, offset: int, shown: str, problems: Problems) -> tuple[dict | None, dict]:
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.add(shown, offset, "front matter is empty",
                         "add at least title, date, actors, topics and quotes")
            return None, {}
        lines: dict[Key, int] = {}
        if not _walk(node, (), offset, lines, shown, problems, [0]):
            return None, {}
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + offset if mark else offset
        problems.add(shown, line, f"YAML syntax error: {error.problem or error}", _yaml_hint(error))
        return None, {}
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        problems.add(shown, offset, f"front matter cannot be read: {error}",
                     "simplify the YAML: no deep nesting, custom tags or huge anchors")
        return None, {}
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.add(shown, offset, "front matter is not a set of 'key: value' lines",
                     "write the front matter as YAML keys, e.g. 'title: ...'")
        return None, {}
    return data, lines


def _yaml_hint(error: yaml.MarkedYAMLError) -> str:
    said = f"{error.problem} {error.context}"
    if "\\t" in said or "tab" in said:
        return "YAML does not allow tabs for indentation; indent with spaces"
    if "mapping values are not allowed" in said:
        return "a value that contains ': ' must be quoted, e.g. title: \"Peskov: no comment\""
    if "found character '@'" in said or "found character '`'" in said:
        return "quote the value; YAML reserves '@' and '`' at the start of a value"
    return "check the indentation and quoting on this line and the one before it"


def _walk(node: yaml.Node, key: Key, offset: int, lines: dict[Key, int], shown: str,
          problems: Problems, seen: list[int]) -> bool:
    """Record the line of every value; refuse duplicate keys and alias explosions."""
    seen[0] += 1
    if seen[0] > MAX_NODES:
        problems.add(shown, offset, f"front matter has over {MAX_NODES:,} values",
                     "remove repeated YAML anchors/aliases (*name) or split the story")
        return False
    lines[key] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        first: dict[object, int] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + offset
            if name in first and name != "<<":
                problems.add(shown, line, f"'{name}' is given twice (first on line {first[name]})",
                             "keep one of them; YAML would silently use the last")
                continue
            first[name] = line
            if not _walk(value_node, (*key, name), offset, lines, shown, problems, seen):
                return False
            lines[(*key, name)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            if not _walk(item, (*key, index), offset, lines, shown, problems, seen):
                return False
    return True
