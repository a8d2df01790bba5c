"""Stories made of XSS payloads: every payload in every text field, in a few dozen pages.

Each story's text fields hold BATCH payloads side by side, rotated so that over the
stories every payload lands in every field. Separate chart stories put every payload
into the charts (speaker names, claims, quotes and event labels in the SVG, the JSON
spec and the data table).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from onrecord.stories import prose

HERE = Path(__file__).parent
BATCH = 5
CHART_BATCH = 30
# Shown verbatim as text on the story page; the others are transformed (Markdown, slugs).
FIELDS = ("title", "dek", "author", "source", "actor name", "actor role", "actor group",
          "topic", "quote text", "quote context", "quote source", "event label")
OTHER_FIELDS = ("body paragraph", "body link text", "tag")


def payloads() -> list[str]:
    lines = (HERE / "payloads.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("# ")]


@dataclass(frozen=True)
class XssStory:
    slug: str
    text: str                         # the story file
    shown: dict[str, tuple[str, ...]]  # field -> payloads that must appear verbatim as text
    charts: bool


def _dump(front: dict) -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10**6) \
        + "---\n\n"


def _body_safe(text: str) -> bool:
    """Whether `text` can stand in a paragraph without being refused as a directive or link."""
    return "{{" not in text and not prose.parse(text, 1)[1]


def _paragraph(text: str) -> str:
    # A payload the build would refuse in prose (a javascript: link, a directive) goes in a
    # fenced code block: still in the body, but as code.
    return text if _body_safe(text) else f"```\n{text}\n```"


def rotation_stories(items: list[str]) -> list[XssStory]:
    count = math.ceil(len(items) / BATCH)
    stories = []
    for i in range(count):
        def field(f: int, n: int = i) -> tuple[str, ...]:
            return tuple(items[(n * BATCH + f * BATCH + j) % len(items)] for j in range(BATCH))

        value = {name: field(f) for f, name in enumerate(FIELDS + OTHER_FIELDS)}
        joined = {name: " ".join(v) for name, v in value.items()}
        front = {
            "title": joined["title"], "dek": joined["dek"], "date": "2024-03-25",
            "authors": list(value["author"]), "tags": [p[:50] for p in value["tag"]],
            "source": {"name": joined["source"], "url": "https://example.org/source"},
            "actors": {"speaker": {"name": joined["actor name"], "role": joined["actor role"],
                                   "group": joined["actor group"]},
                       "other": {"name": "A plain speaker", "group": "Plain group"}},
            "topics": {"claim": joined["topic"]},
            "events": [{"date": "2024-03-22", "label": joined["event label"]}],
            "quotes": [{"id": "q", "actor": "speaker", "date": "2024-03-24", "topic": "claim",
                        "stance": "disputes", "text": joined["quote text"],
                        "context": joined["quote context"],
                        "source": {"name": joined["quote source"],
                                   "url": "https://example.org/quote?a=1&b=<2>"}},
                       {"actor": "other", "date": "2024-03-25", "topic": "claim",
                        "stance": "supports", "text": "A plain statement."}],
        }
        link_text = " ".join(p for p in value["body link text"] if _body_safe(p)) or "link"
        body = "\n\n".join([
            "Prose before the payloads.",
            *(_paragraph(p) for p in value["body paragraph"]),
            f"Read [{link_text}](https://example.org/read?q=1) for more.",
            "{{ matrix }}", "{{ events }}", "{{ quote q }}"])
        shown = {name: value[name] for name in FIELDS}
        stories.append(XssStory(f"xss-{i:03d}", _dump(front) + body + "\n", shown, False))
    return stories


def chart_stories(items: list[str]) -> list[XssStory]:
    stories = []
    for n in range(math.ceil(len(items) / CHART_BATCH)):
        chunk = items[n * CHART_BATCH:(n + 1) * CHART_BATCH]
        actors = {f"a{k}": {"name": p, "role": p, "group": p} for k, p in enumerate(chunk)}
        topics = {f"t{k}": p for k, p in enumerate(chunk)}
        quotes = [{"actor": f"a{k}", "date": f"2024-03-{1 + k % 28:02d}", "topic": f"t{k}",
                   "stance": ("supports", "disputes", "questions", "declines", "reports")[k % 5],
                   "text": p, "context": p} for k, p in enumerate(chunk)]
        events = [{"date": f"2024-02-{1 + k % 28:02d}", "label": p} for k, p in enumerate(chunk)]
        front = {"title": f"Charts of payloads, part {n + 1}", "date": "2024-03-25",
                 "actors": actors, "topics": topics, "events": events, "quotes": quotes}
        body = "\n\n".join(["Charts follow.", "{{ chart timeline }}", "{{ chart stances }}",
                            "{{ chart topics }}"]) + "\n"
        shown = {"actor name": tuple(chunk), "topic": tuple(chunk), "quote text": tuple(chunk),
                 "event label": tuple(chunk)}
        stories.append(XssStory(f"xss-charts-{n}", _dump(front) + body, shown, True))
    return stories
