"""Embeds: each view of a story (the matrix, each chart, one statement) alone at its own
address, for an iframe in a newsroom's CMS, with its embed code and oEmbed description.

An embed page has no site chrome, reports its height to the host page with postMessage
(site/static/embed-frame.js, in the formats newsroom listeners already understand) and
is resized by `embed.js`, a host script published at a fixed address so that pasted
embed codes keep working across builds. Embeds keep the pages' guarantees: the same
CSP, nothing from other hosts, the chart as server-drawn SVG with no Vega runtime. They
are left out of the sitemap and the search index and carry `noindex, indexifembedded`:
the story is the page to find, the embed is indexed only as part of the page it sits in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import jinja2

from onrecord.stories.model import Quote, Story
from onrecord.stories.problems import Problems
from onrecord.views.matrix import Matrix, long_date
from onrecord.website.pages import ChartView, Page, SiteView, StoryPage

TEMPLATE = "embed.html"
HOST_SCRIPT = "embed.js"      # at the site's root, never renamed: embed codes point at it
HOST_SOURCE = Path(__file__).parent / "embed_host.js"
# Starting heights (px) before the embed reports its own; also oEmbed's `height`.
HEIGHTS = {"matrix": 640, "chart": 520, "quote": 320}
WIDTH = 640

@dataclass(frozen=True)
class EmbedView:
    """One embeddable view of a story: what it is and where it lives."""

    story: str       # the story's slug
    kind: str        # 'matrix', 'chart' or 'quote'
    name: str        # the chart's name or the quote's id; '' for the matrix
    title: str       # what it shows, for the iframe's title and the embed code's label

    @property
    def folder(self) -> str:
        """Its address inside the site, e.g. 'crocus/embed/chart/timeline/'."""
        return f"{self.story}/embed/{self.kind}/" + (f"{self.name}/" if self.name else "")

    @property
    def id(self) -> str:
        """The id in its height messages: its folder, which its iframe's src contains."""
        return self.folder

    @property
    def height(self) -> int:
        return HEIGHTS[self.kind]

    def code(self, address: Callable[[str], str], site_title: str, story_title: str) -> str:
        """The HTML a newsroom pastes: the iframe, the host script, a link without scripts.

        `address` is `SiteView.absolute`, or `SiteView.url` when base_url is a path (a
        template passes it, not the whole site, which would make the page depend on every
        story: see onrecord/templates.py)."""
        frame, host = address(self.folder), address(HOST_SCRIPT)
        story = address(f"{self.story}/")
        title = escape(f"{self.title} – {story_title}")
        return (f'<iframe src="{escape(frame)}" title="{title}" height="{self.height}" '
                f'loading="lazy" data-onrecord-embed="{escape(self.id)}" '
                'style="display:block;width:100%;border:0"></iframe>\n'
                f'<script src="{escape(host)}" async></script>\n'
                f'<noscript><a href="{escape(story)}">{escape(story_title)}'
                f" ({escape(site_title)})</a></noscript>")


@dataclass(frozen=True)
class EmbedPage:
    """The context of an embed page: one view of a whole story page."""

    story: Story
    matrix: Matrix
    view: EmbedView
    chart: ChartView | None = None     # the chart, on a chart's embed
    quote: Quote | None = None         # the statement, on a quote's embed


def views(story: Story, chart_titles: Iterable[tuple[str, str]]) -> tuple[EmbedView, ...]:
    """Every embeddable view of a story: the matrix, each placed chart (name, title), each
    statement."""
    return (EmbedView(story.slug, "matrix", "", "Who said what"),
            *(EmbedView(story.slug, "chart", name, title) for name, title in chart_titles),
            *(EmbedView(story.slug, "quote", q.id, f"Statement by {q.actor.name}, "
                        f"{long_date(q.date)}") for q in story.quotes))


def story_views(page: StoryPage) -> tuple[EmbedView, ...]:
    """The views of a story page, for its list of embed codes."""
    return views(page.story, ((name, v.chart.title) for name, v in page.charts.items()))


def paths(story: Story, chart_names: Iterable[str], oembed: bool) -> tuple[str, ...]:
    """Every file the embeds of a story make, known without rendering anything; the oEmbed
    files only with `oembed` (a full base_url: other sites read them)."""
    found = views(story, ((name, "") for name in chart_names))
    files = (f"{story.slug}/oembed.json",) if oembed else ()
    return (*files, *(p for v in found for p in (f"{v.folder}index.html",
                                                  *((f"{v.folder}oembed.json",) * oembed))))


def pages(page: StoryPage) -> tuple[Page, ...]:
    """The embed pages of one whole story page."""
    made = []
    for view in story_views(page):
        context = EmbedPage(page.story, page.matrix, view,
                            page.charts.get(view.name) if view.kind == "chart" else None,
                            page.story.quote(view.name) if view.kind == "quote" else None)
        made.append(Page(f"{view.folder}index.html", view.folder, TEMPLATE,
                         f"{view.title} – {page.story.title}", context, (page.story.path,)))
    return tuple(made)


def oembed(site: SiteView, story: Story, view: EmbedView) -> bytes:
    """An oEmbed 1.0 description of one view (type `rich`), a static file: no server needed."""
    data = {"version": "1.0", "type": "rich", "title": f"{view.title} – {story.title}",
            "provider_name": site.config.title, "provider_url": site.absolute(),
            "html": view.code(site.absolute, site.config.title, story.title),
            "width": WIDTH, "height": view.height}
    if story.authors:
        data["author_name"] = ", ".join(story.authors)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def files(env: jinja2.Environment, site: SiteView, page: StoryPage,
          problems: Problems) -> dict[str, bytes]:
    """Every embed of one whole story page, rendered, with its oEmbed descriptions."""
    from onrecord.output import render

    made = pages(page)
    out = render.outputs(env, made, site, problems)
    if not site.config.absolute:   # other sites read oEmbed: full addresses or nothing
        return out
    for item in made:
        out[f"{item.url}oembed.json"] = oembed(site, page.story, item.context.view)
    out[f"{page.story.slug}/oembed.json"] = oembed(site, page.story, made[0].context.view)
    return out


def host_script() -> dict[str, bytes]:
    """embed.js, the script a host page loads to resize the iframes (a fixed address)."""
    return {HOST_SCRIPT: HOST_SOURCE.read_bytes()}
