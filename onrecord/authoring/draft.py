"""`draft`: an article in, a draft story out, with every direct quote and its speaker.

The rules live in onrecord/authoring/extract/; this module reads the article (plain text, or a saved
web page through trafilatura), finds its date, and writes the story. Nothing is invented:
the speaker, role and words are the article's, and each quote's topic and stance are
the reserved `unreviewed`, for the writer to decide (a story holding one cannot be
published, see validate.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from onrecord.authoring import extract
from onrecord.authoring.new import write_new
from onrecord.stories.config import UNREVIEWED
from onrecord.stories.validate import RESERVED_SLUGS, slugify

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
MONTH = "(" + "|".join(MONTH_NAMES) + ")"
DATES = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(MONTH + r"\s+(\d{1,2}),?\s+(\d{4})\b"), ("mn", "d", "y")),
    (re.compile(r"\b(\d{1,2})\s+" + MONTH + r",?\s+(\d{4})\b"), ("d", "mn", "y")),
)
UNNAMED = "Not named in the article"


class CannotDraft(Exception):
    """Why no draft was made, in words for the writer."""


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    date: dt.date | None = None
    site: str = ""
    url: str = ""


def read(path: Path) -> Article:
    """A plain-text article (first line the headline) or a saved web page (.html/.htm)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CannotDraft(f"{path} does not exist; give the path of a saved article "
                          "(.txt or .html)") from None
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return _web_page(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CannotDraft(f"{path} is not UTF-8 text; save it as UTF-8, or as .html if it "
                          "is a web page") from None
    title, paragraphs = extract.paragraphs_of(text)
    if not title:
        raise CannotDraft(f"{path} is empty; its first line should be the headline")
    return Article(title, tuple(paragraphs), _date_in(text))


def _web_page(raw: bytes) -> Article:
    try:
        import trafilatura
    except ImportError:
        raise CannotDraft("reading a web page needs trafilatura: python3 -m pip install "
                          "'trafilatura>=2.0' lxml_html_clean") from None
    found = trafilatura.bare_extraction(raw.decode("utf-8", "replace"), with_metadata=True,
                                        include_comments=False, include_tables=False)
    if found is None or not (found.text or "").strip():
        raise CannotDraft("no article text was found in the page; save the article's own "
                          "page, or paste its text into a .txt file (headline first)")
    lines = [line.strip() for line in found.text.splitlines() if line.strip()]
    title = (found.title or "").strip() or lines[0]
    if lines and lines[0] == title:
        lines = lines[1:]
    date = _date_in(found.date or "") or _date_in("\n".join(lines[:3]))
    return Article(title, tuple(lines), date, (found.sitename or "").strip(),
                   (found.url or "").strip())


def _date_in(text: str) -> dt.date | None:
    """The first full date written in the text, if any."""
    best: tuple[int, dt.date] | None = None
    for pattern, order in DATES:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            try:
                day = dt.date(int(parts["y"]), int(parts.get("m") or MONTHS[parts["mn"].lower()]),
                              int(parts["d"]))
            except ValueError:
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), day)
            break
    return best[1] if best else None


def quotes_json(article: Article) -> str:
    """What `draft --format json` prints."""
    found = extract.extract(list(article.paragraphs))
    return json.dumps({"title": article.title, "quotes": [
        {"text": q.text, "speaker": q.speaker, "role": q.role or None, "cue": q.cue,
         "paraphrase": False} for q in found]}, ensure_ascii=False, indent=2)


def story_text(article: Article, date: dt.date, source_name: str = "",
               source_url: str = "") -> tuple[str, int]:
    """The draft story as text, and how many quotes it holds."""
    found = extract.extract(list(article.paragraphs))
    if not found:
        raise CannotDraft("no direct quotation (words between quotation marks) was found "
                          "in the article; start the story with `new` instead")
    ids: dict[str | None, str] = {}
    actors: list[str] = []
    for q in found:
        if q.speaker in ids:
            continue
        ids[q.speaker] = _actor_id(q.speaker, set(ids.values()))
        name = q.speaker or UNNAMED
        fields = [f"name: {_scalar(name)}"]
        role = next((f.role for f in found if f.speaker == q.speaker and f.role), "")
        if role:
            fields.append(f"role: {_scalar(role)}")
        actors.append(f"  {ids[q.speaker]}: {{{', '.join(fields)}}}")
    name = source_name or article.site or (urlsplit(source_url).hostname or "")
    url = source_url or article.url
    source = ""
    if name:
        inner = [f"name: {_scalar(name)}"] + ([f"url: {_scalar(url)}"] if url else [])
        source = f"source: {{{', '.join(inner)}}}\n"
    lines = [
        "---",
        "# Drafted by `python build.py draft` from an article. Every quote below was found by",
        "# rules, not read by a person: check each text and speaker against the article, then",
        f"# choose each quote's topic and stance (both '{UNREVIEWED.id}' until you do). The",
        "# story cannot be published while a quote is unreviewed: keep 'draft: true' till then.",
        f"title: {_scalar(article.title)}",
        f"date: {date.isoformat()}",
        "draft: true",
        source.rstrip("\n"),
        "",
        "actors:",
        *actors,
        "",
        "topics:",
        f"  {UNREVIEWED.id}: Not yet decided (replace with the claims in dispute)",
        "",
        "quotes:",
    ]
    for q in found:
        lines += [
            f"  - actor: {ids[q.speaker]}",
            f"    date: {date.isoformat()}",
            f"    topic: {UNREVIEWED.id}",
            f"    stance: {UNREVIEWED.id}",
            f"    text: {_scalar(q.text)}",
            f"    context: {_scalar(q.context)}",
            "    paraphrase: false",
        ]
    lines += ["---", "", "Write the explainer here: what is in dispute, and why it matters.",
              "", "{{ matrix }}", ""]
    return "\n".join(line for line in lines if line is not None), len(found)


def _actor_id(speaker: str | None, taken: set[str]) -> str:
    """'Dmitri Peskov' -> 'peskov'; the full name when the last is taken."""
    if speaker is None:
        base = "unnamed"
    else:
        words = slugify(speaker).split("-")
        base = words[-1] if len(words) > 1 and len(words[-1]) > 2 else slugify(speaker)
        if base in taken:
            base = slugify(speaker)
    base = base[:60].strip("-") or "speaker"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _scalar(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset), one line."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def write(article: Article, folder: Path, date: dt.date, source_name: str = "",
          source_url: str = "") -> tuple[Path, int]:
    """Write `folder/<slug>.md`; never overwrite. Returns the path and the quote count."""
    slug = slugify(article.title)[:80].strip("-")
    if not slug:
        raise CannotDraft("the headline needs at least one letter or digit")
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-story"
    text, count = story_text(article, date, source_name, source_url)
    path = folder / f"{slug}.md"
    if not write_new(path, text):
        raise CannotDraft(f"{path.name} already exists; nothing was changed (rename or "
                          "move it, then draft again)")
    return path, count
