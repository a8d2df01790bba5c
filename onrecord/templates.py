"""What each template depends on, so a rebuild re-renders a page only when its inputs change.

A page is rendered from its own context, the site view and the template files it uses
(its template, and every template that one extends, includes or imports). Most
templates read only the site's settings and asset names; one that reads the list of
stories (`site.stories`, `site.tags`, or `site` passed on whole) depends on every story,
and its pages are re-rendered whenever any story changes.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2 import meta, nodes

from onrecord.pages import SiteView

# What a template may read of `site` without depending on the stories (speakers' names
# and pages, `people`, are an input of every page: they change only with an actor; the
# command-line build's cache, onrecord/reuse.py, draws the same line).
SETTINGS_ONLY = frozenset({"config", "assets", "url", "absolute", "asset", "people", "person",
                           "actor_url"})


class Uses:
    """The template files and the parts of the site each template depends on."""

    def __init__(self, env: jinja2.Environment, versions: tuple[tuple[str, Any], ...]) -> None:
        self.env = env
        self.versions = dict(versions)
        self._closure: dict[str, tuple[tuple[str, Any], ...]] = {}
        self._stories: dict[str, bool] = {}

    def inputs(self, template: str, site: SiteView) -> tuple[Any, ...]:
        """What a page rendered with `template` depends on besides its own context."""
        if template not in self._closure:
            names, reads_stories = self._scan(template)
            self._closure[template] = tuple(sorted((n, self.versions.get(n)) for n in names))
            self._stories[template] = reads_stories
        # `site.people` itself, not a copy: the same mapping from build to build while no
        # speaker changed (pipeline.plan), so comparing it costs an identity check a page
        settings = (self._closure[template], site.config, dict(site.assets), site.people)
        if self._stories[template]:
            return (*settings, site.stories, dict(site.tags))
        return settings

    def _scan(self, template: str) -> tuple[set[str], bool]:
        seen: set[str] = set()
        todo = [template]
        reads_stories = False
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
                tree = self.env.parse(source, name)
            except (jinja2.TemplateError, OSError):
                return set(self.versions), True   # unreadable now: depend on everything
            for found in meta.find_referenced_templates(tree):
                if found is None:                   # a computed name: could be any template
                    return set(self.versions), True
                todo.append(found)
            reads_stories = reads_stories or _reads_stories(tree)
        return seen, reads_stories


def _reads_stories(tree: nodes.Template) -> bool:
    uses = sum(1 for n in tree.find_all(nodes.Name) if n.name == "site")
    settings = sum(1 for n in tree.find_all(nodes.Getattr)
                   if isinstance(n.node, nodes.Name) and n.node.name == "site"
                   and n.attr in SETTINGS_ONLY)
    return uses > settings

