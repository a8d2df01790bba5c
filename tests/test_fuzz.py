"""Generated front matter, valid and not: the build always ends in a site or in a list of
problems with file and line, never in an exception.

A few hundred examples run in the normal suite; the long run sets the count:
`ONRECORD_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from onrecord.builder import pipeline
from onrecord.stories import prose
from onrecord.stories.model import Prose
from onrecord.stories.paths import Paths
from onrecord.stories.problems import BuildFailed
from onrecord.stories.validate import QUOTE_KEYS, STORY_KEYS
from tests.conftest import make_project

EXAMPLES = int(os.environ.get("ONRECORD_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

YAMLISH = string.ascii_letters + string.digits + " \t\n:-[]{}&*!|>'\"#%@`,?<=\\"
ids = st.sampled_from(["peskov", "putin", "us", "is-responsible", "ukraine", "x", "Peskov",
                       "a b", "", "../x", "1"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                    st.sampled_from(["2024-03-25", "2024-02-30", "2024-03-25T10:00:00Z",
                                     "25/03/2024", "https://example.org/a", "javascript:x",
                                     "declines", "supports", "timeline", "{{ matrix }}"]))
anything = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(ids, st.text(max_size=8)), inner,
                                                 max_size=4)), max_leaves=12)
dates = st.one_of(st.dates().map(str), anything)
def dropping(strategy: st.SearchStrategy[dict], keys: tuple[str, ...]) -> st.SearchStrategy:
    """Sometimes leave out a required key, as writers do."""
    return st.tuples(strategy, st.sets(st.sampled_from(keys), max_size=2)).map(
        lambda pair: {k: v for k, v in pair[0].items() if k not in pair[1]})


REQUIRED_QUOTE = ("actor", "date", "topic", "stance", "text")
REQUIRED_STORY = ("title", "date", "actors", "topics", "quotes")
quote = st.fixed_dictionaries(
    {"actor": st.one_of(ids, anything), "date": dates, "topic": st.one_of(ids, anything),
     "stance": st.one_of(st.sampled_from(["supports", "disputes", "declines", "agrees"]),
                         anything),
     "text": st.one_of(st.text(min_size=1, max_size=40), anything)},
    optional={key: anything for key in QUOTE_KEYS if key not in REQUIRED_QUOTE}
    | {"extra": anything})
quote = dropping(quote, REQUIRED_QUOTE)
story = st.fixed_dictionaries(
    {"title": st.one_of(st.text(min_size=1, max_size=40), anything), "date": dates,
     "actors": st.one_of(st.dictionaries(ids, st.one_of(
         st.fixed_dictionaries({"name": st.text(min_size=1, max_size=20)},
                               optional={"role": anything, "group": anything}), anything),
         max_size=3), anything),
     "topics": st.one_of(st.dictionaries(ids, st.one_of(st.text(min_size=1, max_size=20),
                                                        anything), max_size=3), anything),
     "quotes": st.one_of(st.lists(st.one_of(quote, anything), max_size=4), anything)},
    optional={key: anything for key in STORY_KEYS if key not in REQUIRED_STORY}
    | {"events": st.lists(st.fixed_dictionaries(
        {"date": dates, "label": st.one_of(st.text(max_size=20), anything)}), max_size=3)})


story = dropping(story, REQUIRED_STORY)
# A coherent story: ids that match, known stances, real dates; any text in the text fields.
words = st.text(min_size=1, max_size=30)
good_ids = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), min_size=1,
                    max_size=4, unique=True)


days = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(str)


@st.composite
def coherent(draw: st.DrawFn) -> dict:
    actors, topics = draw(good_ids), draw(good_ids)
    quotes = [{"actor": draw(st.sampled_from(actors)), "topic": draw(st.sampled_from(topics)),
               "date": draw(days), "text": draw(words),
               "stance": draw(st.sampled_from(["supports", "disputes", "questions", "declines",
                                               "reports"])),
               **draw(st.fixed_dictionaries({}, optional={
                   "context": words, "paraphrase": st.booleans(),
                   "source": st.fixed_dictionaries({"name": words}, optional={
                       "url": st.sampled_from(["https://example.org/a?b=<c>&d='e'",
                                               "http://example.org/\"x\""])})}))}
              for _ in range(draw(st.integers(1, 4)))]
    return {"title": draw(words), "date": draw(days),
            "actors": {a: {"name": draw(words), "role": draw(words), "group": draw(words)}
                       for a in actors},
            "topics": {t: draw(words) for t in topics}, "quotes": quotes,
            **draw(st.fixed_dictionaries({}, optional={
                "dek": words, "tags": st.lists(words, max_size=3),
                "authors": st.lists(words, max_size=2), "draft": st.booleans(),
                "events": st.lists(st.fixed_dictionaries(
                    {"date": days, "label": words}), max_size=3)}))}


bodies = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(
    ["Prose.", "{{ matrix }}", "{{ chart timeline }}", "{{ chart nope }}", "{{ quote x }}",
     "{{ events }}", "[a](javascript:alert(1))", "<script>alert(1)</script>", "- item",
     "```", "> quote", "![i](//x.org/i.png)", "[b](https://example.org)"]), max_size=6)
    .map("\n\n".join))
front_texts = st.one_of(
    coherent().map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False)),
    story.map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False)),
    st.text(alphabet=YAMLISH, max_size=200),
    st.text(max_size=100))
good_bodies = st.lists(st.one_of(
    st.text(min_size=1, max_size=60).filter(str.strip),
    st.sampled_from(["{{ matrix }}", "{{ chart timeline }}", "{{ chart stances }}",
                     "{{ events }}", "[a link](https://example.org/?a=<b>)",
                     "<script>alert(1)</script>"])), max_size=4, unique=True).map("\n\n".join)
good_files = st.tuples(coherent(), good_bodies).map(
    lambda fb: f"---\n{yaml.safe_dump(fb[0], allow_unicode=True)}---\n\n{fb[1]}\n")
files = st.one_of(
    good_files, good_files,
    st.tuples(front_texts, bodies).map(lambda fb: f"---\n{fb[0]}\n---\n\n{fb[1]}\n"),
    st.text(max_size=100),
    st.binary(max_size=100))


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    return make_project(tmp_path_factory.mktemp("fuzz") / "project", {})


@FUZZ
@given(data=files)
def test_any_story_file_gives_a_site_or_a_list_of_problems(fuzz_project: Paths,
                                                          data: str | bytes):
    story_file: Path = fuzz_project.content / "fuzzed.md"
    if isinstance(data, bytes):
        story_file.write_bytes(data)
    else:
        story_file.write_text(data, encoding="utf-8", errors="surrogatepass")
    try:
        plan = pipeline.plan(fuzz_project)
    except BuildFailed as failed:
        event("a list of problems")
        assert failed.errors
        for problem in failed.errors:
            assert problem.path == "content/fuzzed.md" and problem.line and problem.message
            assert problem.hint
    else:
        event("a site")
        assert plan.stories in (0, 1)  # 0 when it is a draft
        assert "index.html" in plan.outputs


MARKDOWNISH = string.ascii_letters[:6] + " \n\t[]()<>!:/&#;*_`{}%\\\"'-=|~" + "\u00a0\u200b"


@FUZZ
@given(body=st.one_of(st.text(alphabet=MARKDOWNISH, max_size=120), st.text(max_size=60)))
def test_any_body_gives_html_or_remarks_and_no_unsafe_address(body: str):
    blocks, remarks = prose.parse(body, 1)
    for remark in remarks:
        assert remark.line >= 1 and remark.message and remark.hint
    html = "".join(b.html for b in blocks if isinstance(b, Prose))
    for address in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert prose.scheme(address) in ("", "http", "https", "mailto"), address
