"""Every XSS payload (tests/xss/payloads.txt) in every text field: the built pages, loaded
in Chromium, run none of them: no dialog, no injected element or handler, no script but
the site's own, no unsafe address, no request to another host; and each payload is shown
to the reader verbatim, as text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from playwright.sync_api import Browser

from onrecord.builder import pipeline
from tests import xss
from tests.conftest import make_project
from tests.kit import serve

# Runs in the page: everything on it that could execute or fetch, as a list of findings.
AUDIT = """() => {
  const found = [];
  const origin = location.origin;
  const forbidden = new Set(['xss-marker', 'iframe', 'frame', 'frameset', 'object', 'embed',
    'applet', 'base', 'form', 'input', 'button', 'textarea', 'select', 'keygen', 'video',
    'audio', 'source', 'img', 'picture', 'style', 'marquee', 'isindex', 'bgsound', 'math',
    'html:script']);
  const fetching = /^(src|srcset|data|background|dynsrc|lowsrc|action|formaction|ping|poster)$/i;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    const vegaBindings = tag === 'form' && el.className === 'vega-bindings' &&
      el.attributes.length === 1 && el.children.length === 0;  // vega-embed's own, empty
    const stanceKey = tag === 'input' && el.type === 'radio' &&  // the matrix's own key
      el.name === 'matrix-highlight' && el.closest('.stance-key');
    const siteSearch = (tag === 'form' && el.matches('header form.site-search')) ||
      (['input', 'button'].includes(tag) && el.closest('header form.site-search') &&
       !el.closest('header form.site-search').parentElement.closest('form'));  // the header's
    const embedCode = (tag === 'textarea' && el.matches('#embed textarea.embed-code[readonly]'))
      || (tag === 'button' && el.matches('#embed button.embed-copy'));  // the embed codes
    const embedBase = tag === 'base' && !el.hasAttribute('href') &&   // an embed's own links
      el.getAttribute('target') === '_blank' && 'embed' in document.documentElement.dataset;
    if (forbidden.has(tag) && !vegaBindings && !stanceKey && !siteSearch && !embedCode &&
        !embedBase)
      found.push('element <' + tag + '>');
    if (tag === 'script' && !(['application/json', 'application/ld+json'].includes(el.type) ||
        (el.src && el.src.startsWith(origin + '/static/'))))
      found.push('script ' + el.outerHTML.slice(0, 80));
    if (tag === 'meta' && el.httpEquiv && el.httpEquiv.toLowerCase() !== 'content-security-policy')
      found.push('meta http-equiv=' + el.httpEquiv);
    if (tag === 'link' && !new URL(el.href, location.href).href.startsWith(origin))
      found.push('link to ' + el.href);
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push('handler ' + tag + ' ' + name);
      if (/^(href|xlink:href|cite)$/.test(name) || fetching.test(name)) {
        if (/^(javascript|vbscript|data):/.test(value))
          found.push(name + '=' + a.value.slice(0, 60));
      }
      if (fetching.test(name) && !new URL(a.value, location.href).href.startsWith(origin))
        found.push('fetching ' + tag + ' ' + name + '=' + a.value.slice(0, 60));
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list]]:
    items = xss.payloads()
    stories = xss.rotation_stories(items) + xss.chart_stories(items)
    root = tmp_path_factory.mktemp("xss") / "project"
    paths = make_project(root, {f"content/{s.slug}.md": s.text for s in stories})
    pipeline.build(paths)
    with serve(paths.public) as url:
        yield url, stories


def test_the_payload_list_is_long_enough_and_covers_every_field():
    items = xss.payloads()
    assert len(items) >= 100 and len(set(items)) == len(items)
    stories = xss.rotation_stories(items)
    for field in xss.FIELDS:
        placed = {p for s in stories for p in s.shown[field]}
        assert placed == set(items), field


def test_no_payload_runs_in_the_browser(browser: Browser, xss_site: tuple[str, list]):
    url, stories = xss_site
    own_host = urlsplit(url).netloc
    context = browser.new_context()
    dialogs: list[str] = []
    outside: list[str] = []
    errors: list[str] = []

    def route(request_route, request):
        if urlsplit(request.url).netloc == own_host:
            request_route.continue_()
        else:
            outside.append(request.url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    addresses = ["", "no-such-page/"] + [f"{s.slug}/" for s in stories]  # with the 404
    addresses += [f"{s.slug}/embed/matrix/" for s in stories]   # the payloads in an embed
    for address in addresses:
        response = page.goto(url + address)
        assert response is not None
        story = next((s for s in stories if s.slug + "/" == address), None)
        if story and story.charts:
            page.wait_for_function("document.querySelectorAll('.chart-view.has-tips').length"
                                   " == document.querySelectorAll('.chart-view').length")
            for mark in page.locator(".chart-view [data-tip]").all():  # every tooltip shown
                mark.hover(force=True)
            assert page.locator("#chart-tip td").count() > 0
        page.wait_for_timeout(30)  # let any injected onload/onerror/autofocus fire
        assert page.evaluate(AUDIT) == [], address
        if story:
            text = page.evaluate("document.body.textContent")
            missing = [(field, p) for field, placed in story.shown.items() for p in placed
                       if p not in text]
            assert missing == [], address
    tag_pages = sorted({a for a in page.eval_on_selector_all(
        "a[href*='/tags/']", "links => links.map(l => l.getAttribute('href'))")})
    for address in tag_pages[:5]:
        page.goto(urlsplit(url)._replace(path=address).geturl())
        assert page.evaluate(AUDIT) == [], address
    assert dialogs == []
    assert outside == []
    assert errors == []
    context.close()


def test_raw_html_in_the_body_is_shown_as_text(xss_site: tuple[str, list]):
    url, stories = xss_site
    with urlopen(url + stories[0].slug + "/") as response:
        html = response.read().decode()
    body = html[html.index('<div class="story-body">'):]
    assert "&lt;" in body
    assert "<script>alert" not in body.lower() and "<img" not in body.lower()


def test_charts_carry_payloads_only_as_escaped_text(xss_site: tuple[str, list]):
    url, stories = xss_site
    chart_story = next(s for s in stories if s.charts)
    with urlopen(url + chart_story.slug + "/") as response:
        html = response.read().decode()
    tips = re.findall(r"data-tip='([^']*)'", html)
    assert tips
    for tip in tips:  # escaped: it can never close its attribute or open an element
        assert "<" not in tip
        assert isinstance(json.loads(unescape(tip)), list)
    assert "data-tip=" not in re.sub(r"data-tip='[^']*'", "", html)   # none left unparsed
    assert html.count("<script") == html.count("</script>")

