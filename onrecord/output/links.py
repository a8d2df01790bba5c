"""Every internal link and anchor in the built site, checked: {path: bytes} -> problems.

A link is internal when it has no host, or when it starts with the site's own address.
It must land inside the site's base path, on a file the build wrote (a folder counts
when it has an index.html), and a `#fragment` must name an id on that page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from onrecord.stories.config import SiteConfig
from onrecord.stories.problems import Problem

LINKING = {"a": "href", "link": "href", "area": "href", "script": "src", "img": "src",
           "source": "src", "iframe": "src", "video": "src", "audio": "src", "form": "action"}
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "sms:")


class _Page(HTMLParser):
    """Collects a page's ids and its links with their lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(key):
                self.ids.add(values[key] or "")
        wanted = LINKING.get(tag)
        if wanted and values.get(wanted) is not None:
            self.links.append((self.getpos()[0], (values[wanted] or "").strip()))
        if tag in ("img", "source") and values.get("srcset"):
            for item in (values["srcset"] or "").split(","):
                if item.strip():
                    self.links.append((self.getpos()[0], item.split()[0]))


def check(outputs: Mapping[str, bytes], site: SiteConfig) -> list[Problem]:
    """A problem for every internal link or anchor in an HTML page that leads nowhere."""
    parsed = {path: _parse(data) for path, data in outputs.items() if path.endswith(".html")}
    problems = []
    for path, page in parsed.items():
        for line, link, why in _broken(path, page, parsed, outputs, site):
            problems.append(Problem(f"public/{path}", line, f"link '{link}' {why}",
                                    "fix the link in the story or template that makes it"))
    return problems


def _parse(data: bytes) -> _Page:
    page = _Page()
    page.feed(data.decode("utf-8", "replace"))
    page.close()
    return page


def _broken(path: str, page: _Page, parsed: Mapping[str, _Page], outputs: Mapping[str, bytes],
            site: SiteConfig) -> Iterator[tuple[int, str, str]]:
    base = site.base_path
    here = base + (path.removesuffix("index.html") if path.endswith("index.html") else path)
    own = site.base_url if site.absolute else None
    for line, link in page.links:
        if not link or link.lower().startswith(SKIPPED_SCHEMES):
            continue
        target = link
        if own and link.startswith(own):
            target = base + link[len(own):]
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # another site's address
        if parts.path:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), parts.path)
                                          if not parts.path.startswith("/") else parts.path)
            if parts.path.endswith("/") and not resolved.endswith("/"):
                resolved += "/"
        else:
            resolved = here
        resolved = unquote(resolved)
        if not (resolved + "/").startswith(base):
            yield line, link, f"points outside the site's base path {base}"
            continue
        name = resolved[len(base):] if len(resolved) >= len(base) else ""
        if name == "" or name.endswith("/"):
            name += "index.html"
        if name not in outputs and f"{name}/index.html" in outputs:
            name = f"{name}/index.html"
        if name not in outputs:
            yield line, link, "leads to a page that does not exist"
            continue
        fragment = unquote(parts.fragment)
        if fragment and name in parsed and fragment not in parsed[name].ids:
            yield line, link, f"points to '#{fragment}', which is not an id on {name}"
