"""Every generated page is valid HTML (the Nu HTML Checker) and every internal link and
anchor resolves, assets included."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Browser

from onrecord.builder import pipeline
from onrecord.stories.paths import Paths
from tests.browser.crawl import Site, crawl
from tests.browser.watch import Watch, settle
from tests.kit import serve

REPO = Path(__file__).resolve().parents[2]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_vnu_finds_no_error_in_any_page_or_stylesheet(example_site: Path, record_property):
    pages = sorted(example_site.rglob("*.html"))
    sheets = sorted(example_site.rglob("*.css"))
    assert VNU.is_file(), "no vnu.jar: run `bash scripts/test.sh`, which runs `npm ci`"
    # One Java process for every file: the JVM start is most of the cost.
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
                          "--also-check-css", *map(str, pages + sheets)],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout)
    errors = [f"{Path(urlsplit(m.get('url', '')).path).relative_to(example_site)}:"
              f"{m.get('lastLine', '?')}: "
              f"{m['message']} [{m.get('extract', '').strip()[:80]}]"
              for m in report["messages"] if m["type"] in ("error", "non-document-error")]
    # Warnings that point at a real fault in our markup (an <article> is a titled section)
    faults = [f"{Path(urlsplit(m.get('url', '')).path).relative_to(example_site)}:"
              f"{m.get('lastLine', '?')}: {m['message']}"
              for m in report["messages"] if "lacks heading" in m["message"]]
    record_property("vnu_files", len(pages) + len(sheets))
    assert len(pages) >= 4
    assert errors == []
    assert faults == []


def test_every_internal_link_anchor_and_asset_resolves(site: Site):
    status = {link.target: site.status[urldefrag(link.target).url] for link in site.links}
    broken = sorted({f"{link.source} -> {link.target} (HTTP {status[link.target]})"
                     for link in site.links if status[link.target] != 200})
    missing_anchors = sorted({f"{link.source} -> {link.target}" for link in site.links
                              if (parts := urldefrag(link.target)).fragment
                              and parts.url in site.ids
                              and parts.fragment not in site.ids[parts.url]})
    assert broken == []
    assert missing_anchors == []
    assert site.orphans == [], "built pages no link leads to"
    fetched = {urldefrag(link.target).url.rsplit(".", 1)[-1] for link in site.links}
    assert {"css", "js", "svg", "csv", "json"} <= fetched        # assets are followed too
    assert sum("#" in link.target for link in site.links) >= 3  # and anchors checked


def test_published_under_a_subpath_every_link_and_asset_still_resolves(
        tmp_path_factory: pytest.TempPathFactory, browser: Browser):
    """Editors publish to a folder of a bigger site: nothing may point at the host's root."""
    out = tmp_path_factory.mktemp("subpath") / "public"
    pipeline.build(Paths.at(REPO, public=out), pipeline.Options(base_url="/explainers/"))
    with serve(out, "/explainers/") as url:
        site = crawl(url, out)
        assert [target for target, status in site.status.items() if status != 200] == []
        assert site.orphans == []
        page = browser.new_page()
        watch = Watch.on(page, url)
        page.goto(site.samples()["story"])
        settle(page)                                  # charts.js loaded from the subpath
        page.close()
    assert not watch.problems, "\n".join(watch.problems)
