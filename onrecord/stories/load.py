"""Read story files: content/**/*.md -> SourceFile (front matter, body, each value's line).

Nothing here judges the content; it only makes it readable for `validate`, keeping
the line of every YAML value so that each later problem can point at it.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.stories import nesting
from onrecord.stories.problems import Problems

if TYPE_CHECKING:  # YAML is imported on first use: a build with every story cached skips it
    import yaml

# The '---' line python-frontmatter splits on (its YAMLHandler.FM_BOUNDARY), without
# importing python-frontmatter, which costs more than parsing a story.
BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)
MAX_BYTES = 2_000_000
MAX_NODES = 50_000
MAX_DEPTH = 20
TAB_HINT = "YAML does not allow tabs for indentation; indent with spaces"
Key = tuple[str | int, ...]


@functools.cache
def _loader() -> type:
    """Safe YAML (libyaml's C loader) that leaves dates as text, so a bad date is our clear
    error, not a crash."""
    import yaml

    class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
        pass

    _Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _Loader


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


def is_story(relative: str) -> bool:
    """Whether a file under content/ (a relative path) is a story: Markdown, not hidden."""
    return relative.endswith(".md") and not any(
        part.startswith((".", "_")) for part in relative.split("/"))


def walk_order(relative: str) -> tuple[tuple[int, str], ...]:
    """The order stories are read in, for a relative path: a folder's files, in name
    order, before its subfolders'."""
    *folders, name = relative.split("/")
    return (*((1, folder) for folder in folders), (0, name))


def folder_exists(content: Path, root: Path, problems: Problems) -> bool:
    """Whether the folder of stories is there; a problem if it is not."""
    if content.is_dir():
        return True
    problems.add(_shown(content, root), None, "the folder of stories does not exist",
                 "create it and add a story, or point --content at the right folder")
    return False


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read(path: Path, shown: str, problems: Problems, *, content: Path | None = None,
         raw: bytes | None = None) -> SourceFile | None:
    """Read one story file; report what stops it being read and return None. `raw`: its
    bytes as already read, when they were (the file is then only looked at, not read)."""
    try:
        if content is not None and path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(content.resolve()):
                problems.add(shown, 1, "is a link to a file outside content/",
                             "copy the story into content/ instead of linking to it")
                return None
        if raw is None:
            with path.open("rb") as file:
                size = os.fstat(file.fileno()).st_size
                raw = file.read(MAX_BYTES + 1)
        else:
            size = len(raw)
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop, on Python 3.11
        reason = getattr(error, "strerror", None) or "it is a link that points to itself"
        problems.add(shown, 1, f"cannot be read ({reason})",
                     "check that the file exists, is readable and is not a broken link")
        return None
    if len(raw) > MAX_BYTES:
        problems.add(shown, 1, f"is {max(size, len(raw)):,} bytes, over the limit of "
                     f"{MAX_BYTES:,}",
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
    marks = list(BOUNDARY.finditer(text))
    if marks and marks[0].start() != 0 and not text[:marks[0].start()].strip():
        problems.add(shown, 1, "front matter does not start on the first line",
                     "remove the blank lines before the first '---'")
        return None
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
    import yaml

    loader = _loader()(front)
    try:
        deep = nesting.first_too_deep(front, MAX_DEPTH)
        if deep is None:
            deep = _too_deep(front)
        if deep is not None:
            problems.add(shown, deep + offset, f"front matter is nested over {MAX_DEPTH} levels "
                         "deep", "a story needs only a few levels; remove the extra brackets "
                         "or indentation")
            return None, {}
        node = loader.get_single_node()
        if node is None:
            problems.add(shown, offset, "front matter is empty",
                         "add at least title, date, actors, topics and quotes")
            return None, {}
        lines: dict[Key, int] = {}
        if not _walk(node, (), offset, lines, shown, problems, [0]):
            return None, {}
        data = loader.construct_document(node)
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark or error.context_mark
        problems.add(shown, (mark.line if mark else 0) + offset,
                     f"YAML tag '{_tag(error)}' is not allowed",
                     "remove the tag (the word starting with '!'), or put the value in quotes")
        return None, {}
    except yaml.MarkedYAMLError as error:
        hint = _yaml_hint(error, front)
        said = "this line is indented with a tab" if hint == TAB_HINT else _said(error)
        problems.add(shown, _error_line(error, offset), f"YAML syntax error: {said}", hint)
        return None, {}
    except yaml.reader.ReaderError as error:
        line = front.count("\n", 0, max(error.position, 0)) + offset
        problems.add(shown, line, f"contains the control character U+{error.character:04X}"
                     if isinstance(error.character, int) else f"cannot be read: {error.reason}",
                     "delete it (it is invisible; pasted copy often carries one)")
        return None, {}
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        problems.add(shown, offset, f"front matter cannot be read: {str(error).splitlines()[0]}",
                     "simplify the YAML: no deep nesting, custom tags or huge anchors")
        return None, {}
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.add(shown, offset, "front matter is not a set of 'key: value' lines",
                     "write the front matter as YAML keys, e.g. 'title: ...'")
        return None, {}
    return data, lines


def _too_deep(front: str) -> int | None:
    """The 0-based line where nesting passes MAX_DEPTH, else None: the parser's own count.

    `nesting` counts first, on the text, whatever the YAML library's version; this is
    the second guard, for text that scanner misreads. libyaml's composer recurses once a
    level and crashes the interpreter (a segfault, not an exception) at some ten thousand
    levels, and its scanner slows quadratically with depth, so depth is checked on the
    event stream before composing, stopping at the limit.
    """
    import yaml

    loader = _loader()(front)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return None
    finally:
        loader.dispose()
    return None


def _tag(error: yaml.MarkedYAMLError) -> str:
    found = re.search(r"tag '([^']*)'", str(error.problem))
    return (found.group(1) if found else "?").replace("tag:yaml.org,2002:", "!!")


def _said(error: yaml.MarkedYAMLError) -> str:
    problem = str(error.problem or error)
    if "end of stream" in problem and error.context:
        return f"{problem} {error.context}".replace("found unexpected end of stream while "
                                                     "scanning a quoted scalar",
                                                     "a quoted value is never closed")
    return problem


def _error_line(error: yaml.MarkedYAMLError, offset: int) -> int:
    """Where the writer should look: where an unclosed quote or bracket began, else the error."""
    mark = error.problem_mark or error.context_mark
    if error.context_mark and ("end of stream" in str(error.problem)
                               or str(error.context).startswith("while parsing a flow")):
        mark = error.context_mark
    return (mark.line if mark else 0) + offset


def _yaml_hint(error: yaml.MarkedYAMLError, front: str) -> str:
    said = f"{error.problem} {error.context}"
    mark = error.problem_mark
    line = front.splitlines()[mark.line] if mark and mark.line < len(front.splitlines()) else ""
    if "\\t" in said or "tab" in said or "\t" in line[:len(line) - len(line.lstrip())]:
        return TAB_HINT
    if str(error.context).startswith("while parsing a flow"):
        return "a '[' or '{' on this line is never closed; close it, or quote the value"
    if "quoted scalar" in said:
        return "close the quote at the end of the value, or remove the opening quote"
    if "mapping values are not allowed" in said:
        return "a value that contains ': ' must be quoted, e.g. title: \"Peskov: no comment\""
    if "found character '@'" in said or "found character '`'" in said:
        return "quote the value; YAML reserves '@' and '`' at the start of a value"
    return "check the indentation and quoting on this line and the one before it"


def _walk(node: yaml.Node, key: Key, offset: int, lines: dict[Key, int], shown: str,
          problems: Problems, seen: list[int]) -> bool:
    """Record the line of every value; refuse duplicate keys and alias explosions."""
    import yaml

    seen[0] += 1
    if seen[0] > MAX_NODES:
        problems.add(shown, node.start_mark.line + offset,
                     f"front matter expands to over {MAX_NODES:,} values",
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
