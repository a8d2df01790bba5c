"""Template-like text is text: only a line that is exactly a placement places something.

A story about templates, prices in braces or pasted code must build and show what was
written; a placement name inside a paragraph is a warning, not an error."""

from __future__ import annotations

import html

import pytest

from onrecord.builder import pipeline
from onrecord.stories import prose
from onrecord.stories.model import Directive, Prose
from onrecord.stories.problems import BuildFailed
from tests.conftest import VALID_STORY

BODY = """\
Some prose with {{ 7*7 }} and {{ a*b }} then {{ c*d }} and {{ <b>price</b> }}.

Inline code: `{{ 7*7 }}` and `{{ matrix }}`.

```jinja
{{ 7*7 }}
{{ matrix }}
{% for x in y %}{{ x }}{% endfor %}
```

{{ 7*7 }}

{{ price }}

{{ matrix }}
"""


def html_of(body: str) -> str:
    blocks, _ = prose.parse(body, 1)
    return "".join(b.html for b in blocks if isinstance(b, Prose))


def test_text_in_braces_builds_and_is_shown_exactly_as_written(project):
    paths = project({"content/tpl.md": VALID_STORY.replace("Some prose.\n\n{{ matrix }}\n",
                                                           BODY)})
    pipeline.build(paths)
    page = (paths.public / "tpl" / "index.html").read_text(encoding="utf-8")
    prose_html = page.split('class="prose', 1)[1]
    for written in ("{{ 7*7 }}", "{{ a*b }} then {{ c*d }}", "{{ price }}",
                    "{% for x in y %}{{ x }}{% endfor %}"):
        assert html.escape(written, quote=False) in page, written
    assert "<em>" not in prose_html.split("</div>", 1)[0]  # `*` inside braces is not emphasis
    assert "&lt;b&gt;price&lt;/b&gt;" in page and "<b>price</b>" not in page
    assert "49" not in prose_html.split("</div>", 1)[0]  # nothing was evaluated
    assert 'class="matrix' in page  # the one placement line still places the matrix


def test_only_a_known_placement_line_is_a_directive():
    blocks, remarks = prose.parse(BODY, 1)
    assert [b.name for b in blocks if isinstance(b, Directive)] == ["matrix"]
    assert remarks == ()


def test_code_spans_and_code_blocks_are_always_literal():
    out = html_of("`{{ matrix }}`\n\n```\n{{ chart timeline }}\n```\n\n    {{ events }}\n")
    assert "<code>{{ matrix }}</code>" in out
    assert "<pre><code>{{ chart timeline }}\n</code></pre>" in out
    assert "<pre><code>{{ events }}\n</code></pre>" in out
    assert prose.parse("`{{ matrix }}`\n", 1)[1] == ()


def test_a_placement_line_is_written_literally_with_a_backslash():
    blocks, remarks = prose.parse("\\{{ matrix }}\n", 1)
    assert blocks == (Prose("<p>{{ matrix }}</p>\n"),) and remarks == ()


def test_a_placement_name_inside_a_paragraph_is_a_warning_with_its_line():
    blocks, remarks = prose.parse("First line.\nThe matrix {{ matrix }} is here.\n", 10)
    assert [(r.line, r.warning) for r in remarks] == [(11, True)]
    assert "not placed but shown as written" in remarks[0].message
    assert "{{ matrix }}" in blocks[0].html


def test_a_typo_of_a_placement_name_is_still_an_error(project):
    paths = project({"content/typo.md": VALID_STORY.replace("{{ matrix }}", "{{ matirx }}")})
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(paths)
    assert [(p.line, p.message) for p in failed.value.errors] == [
        (27, "unknown directive '{{ matirx }}'")]
