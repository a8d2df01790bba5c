"""No output can land outside public/, and no two outputs can share a path unnoticed."""

from __future__ import annotations

import pytest

from onrecord.output import write
from onrecord.stories.problems import Problems


@pytest.mark.parametrize("path", ["../escape/index.html", "/etc/passwd", "a/../../b.html",
                                  "", "a\\..\\b.html", "x" * 250 + "/index.html"])
def test_paths_that_leave_the_site_folder_or_cannot_be_stored_are_refused(path: str):
    problems = Problems()
    write.check_paths([(path, "content/story.md")], problems)
    assert [p.path for p in problems.errors] == ["content/story.md"]


def test_two_sources_writing_one_path_are_both_named():
    problems = Problems()
    write.check_paths([("peskov/index.html", "content/a/peskov.md"),
                       ("peskov/index.html", "content/b/peskov.md"),
                       ("index.html", "index.html")], problems)
    [problem] = problems.errors
    assert problem.path == "content/b/peskov.md"
    assert "content/a/peskov.md" in problem.message and "peskov/index.html" in problem.message


def test_ordinary_paths_pass():
    problems = Problems()
    write.check_paths([("index.html", "index.html"), ("tags/russia/index.html", "tags"),
                       ("static/style.0123456789.css", "site/static/style.css")], problems)
    assert problems.items == []
