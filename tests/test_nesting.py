"""The nesting limit is counted on the text, so it holds whatever PyYAML's version does.

The scanner must count exactly as the YAML parser does for anything a writer or a tool
writes, or a valid story would be refused (or a deep one let through to the parser)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.stories.nesting import first_too_deep

ROOT = Path(__file__).resolve().parent.parent


def parser_depth(text: str) -> int:
    """The deepest nesting of collections, by PyYAML's own events."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def assert_counts_like_parser(text: str) -> None:
    depth = parser_depth(text)
    assert first_too_deep(text, depth) is None, text
    if depth:
        assert first_too_deep(text, depth - 1) is not None, text


tricky_text = st.text(alphabet="ab :-[]{}#'\"\\,|>&*!\n", max_size=20)
values = st.recursive(
    st.one_of(st.none(), st.integers(), tricky_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text("abc-", min_size=1, max_size=4), inner,
                                            max_size=3)),
    max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values, st.sampled_from([False, True, None]), st.sampled_from([8, 80]),
       st.sampled_from([2, 4]))
def test_the_text_count_equals_the_parsers_on_what_yaml_writes(value, flow, width, indent):
    text = yaml.safe_dump({"front": value}, default_flow_style=flow, width=width,
                          indent=indent, allow_unicode=True)
    assert_counts_like_parser(text)


@pytest.mark.parametrize("text", [
    "quotes:\n- id: a\n  source: {name: x, url: 'y'}\n- id: b\nnext: 1\n",
    "a:\n  - - - [1, {b: [2]}]\n    - c\n",
    "text: |\n  [[[[ {{{{\n  - - - -\nnext: '[[[['\n",
    "text: \"multi [[[[\n  line {{{{ \\\" [[\"\nafter: [\n  '[[',  # a comment [[[[\n  x]\n",
    "a: &anchor\n  b: !!map {c: 1}\n",
    "plain: it's [not] a {flow}\n  continued [[[[ here\n",
])
def test_the_text_count_equals_the_parsers_on_tricky_yaml(text):
    assert_counts_like_parser(text)


def test_every_example_story_counts_like_the_parser():
    stories = sorted((ROOT / "content").rglob("*.md"))
    assert stories
    for path in stories:
        front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
        assert_counts_like_parser(front)


def test_deep_flow_and_block_nesting_is_found_at_its_line():
    assert first_too_deep("a: " + "[" * 5000 + "]" * 5000, 20) == 0
    assert first_too_deep("a: " + "{b: " * 5000 + "1" + "}" * 5000, 20) == 0
    assert first_too_deep("a:\n" + "".join("  " * i + "- \n" for i in range(1, 40)), 20) == 20


def test_the_limit_is_ours_even_when_the_yaml_library_stops_first(monkeypatch):
    """As PyYAML 6.0.4 does: its own nesting limit fires as soon as it reads the text."""
    from onrecord.stories import load
    from onrecord.stories.problems import Problems

    class Strict(load._loader()):
        def get_event(self):
            mark = yaml.Mark("<front matter>", 0, 0, 0, None, None)
            raise yaml.scanner.ScannerError("while increasing flow level", mark,
                                            "exceeded maximum nesting depth", mark)

        get_single_node = get_event

    monkeypatch.setattr(load, "_loader", lambda: Strict)
    problems = Problems()
    text = "---\ntitle: Deep\nactors: " + "[" * 1200 + "]" * 1200 + "\n---\nProse.\n"
    assert load.parse(text, "content/deep.md", problems) is None
    assert [str(p) for p in problems.items] == [
        "content/deep.md:3: front matter is nested over 20 levels deep; a story needs only a "
        "few levels; remove the extra brackets or indentation"]
