"""Pages -> sitemap.xml and robots.txt, so search engines find every page and only those.

The sitemap lists every HTML page except the 404; a story's `lastmod` is its update date.
The sitemap protocol takes only full addresses, so without an absolute `base_url` there
is no sitemap and robots.txt does not point to one.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree as ET

from onrecord.pages import Page, SiteView, StoryPage

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def files(site: SiteView, pages: Iterable[Page]) -> dict[str, bytes]:
    """sitemap.xml (every page but the 404) and robots.txt pointing to it."""
    robots = "User-agent: *\nAllow: /\n"
    if not site.config.absolute:
        return {"robots.txt": robots.encode()}
    urlset = ET.Element("urlset", xmlns=NS)
    for page in pages:
        if page.path == "404.html":
            continue
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = site.absolute(page.url)
        if isinstance(page.context, StoryPage):
            story = page.context.story
            ET.SubElement(url, "lastmod").text = (story.updated or story.date).isoformat()
    ET.indent(urlset)
    sitemap = ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"
    robots += f"\nSitemap: {site.absolute('sitemap.xml')}\n"
    return {"sitemap.xml": sitemap, "robots.txt": robots.encode()}
