"""Adding a page type is one @site_pages function and one template (docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from onrecord.builder import engine, outputs, pipeline
from onrecord.builder.engine import Step
from onrecord.builder.reading import published
from onrecord.website.pages import Page
from tests.conftest import make_project
from tests.writer_loop import story

TEMPLATE = """{% extends "base.html" %}
{% block main %}<h1>{{ page.title }}</h1>
<ul>{% for s, q in page.statements %}<li>{{ q.actor.name }}: {{ q.text }} ({{ s.title }})</li>
{% endfor %}</ul>{% endblock %}
"""


@dataclass(frozen=True)
class ThisWeekPage:
    title: str
    statements: tuple


@pytest.fixture
def this_week() -> Iterator[engine.Stage]:
    """The worked example of docs/architecture.md, registered for one test."""
    def this_week(step: Step) -> dict[str, Page]:
        stories = step.get(published)
        said = sorted(((s, q) for s in stories for q in s.quotes), key=lambda sq: sq[1].date,
                      reverse=True)
        newest = said[0][1].date if said else None
        recent = tuple(sq for sq in said if newest and (newest - sq[1].date).days < 7)
        page = Page("this-week/index.html", "this-week/", "this_week.html", "This week",
                    ThisWeekPage("This week", recent))
        return {page.path: page}

    made = outputs.site_pages(this_week)
    yield made
    outputs.SITE_GROUPS.remove(made)
    del engine.STAGES[made.name]


def test_a_page_type_is_one_function_and_one_template(tmp_path: Path, this_week) -> None:
    paths = make_project(tmp_path / "p", {"content/a.md": story("Alpha"),
                                          "content/b.md": story("Beta"),
                                          "templates/this_week.html": TEMPLATE})
    options = pipeline.Options(base_url="https://example.org/")
    pipeline.build(paths, options)
    page = (paths.public / "this-week/index.html").read_text()
    assert "<h1>This week</h1>" in page and "(Alpha)" in page and "(Beta)" in page
    assert "https://example.org/this-week/" in (paths.public / "sitemap.xml").read_text()

    (paths.content / "b.md").write_text(story("Beta, renamed"))
    plan, _ = pipeline.build(paths, options)
    assert "this-week/index.html" in plan.rendered          # it read every story
    assert "(Beta, renamed)" in (paths.public / "this-week/index.html").read_text()

    template = paths.templates / "this_week.html"   # its own template: that page alone
    template.write_text(TEMPLATE.replace("<h1>", "<h1 class=week>"))
    assert pipeline.build(paths, options)[0].rendered == ("this-week/index.html",)


def test_every_module_of_the_website_package_is_loaded() -> None:
    """So a page type dropped into onrecord/website/ needs no import anywhere else."""
    import pkgutil
    import sys

    from onrecord import website

    for module in pkgutil.iter_modules(website.__path__):
        assert f"onrecord.website.{module.name}" in sys.modules
