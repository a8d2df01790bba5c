"""Pages -> sitemap.xml and robots.txt, so search engines find every page and only those.

The sitemap lists every HTML page except the 404; a story's `lastmod` is its last change
(`updated`, or its latest correction or update note). The sitemap protocol takes only
full addresses, so without an absolute `base_url` there is no sitemap and robots.txt
does not point to one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from onrecord.website.pages import SiteView

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def files(site: SiteView, pages: Iterable[tuple[str, dt.date | None]]) -> dict[str, bytes]:
    """sitemap.xml and robots.txt pointing to it; `pages`: (address, last modified or None)
    of every page but the 404."""
    robots = "User-agent: *\nAllow: /\n"
    if not site.config.absolute:
        return {"robots.txt": robots.encode()}
    urlset = ET.Element("urlset", xmlns=NS)
    for address, modified in pages:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = site.absolute(address)
        if modified is not None:
            ET.SubElement(url, "lastmod").text = modified.isoformat()
    ET.indent(urlset)
    sitemap = ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"
    robots += f"\nSitemap: {site.absolute('sitemap.xml')}\n"
    return {"sitemap.xml": sitemap, "robots.txt": robots.encode()}
