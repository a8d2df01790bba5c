"""Article text -> every direct quote and its speaker, by rules (no model, no network).

Three steps. `spans` finds the quoted passages of a paragraph (curly, straight and
single marks, nested quotes, a quotation running on over paragraphs). `Reader` walks
the article sentence by sentence, keeping who was last the subject of a sentence, so
that "he", "they" or "the court" can be resolved, and attributes each quote from its
reporting clause: after it ("...," she said), before it (X said: "..."), inverted
(said the minister, X), or from the sentence's subject for a partial quote. A quote
with no cue of its own continues the previous quote, or belongs to whoever the
previous sentence was about. Scare quotes, slogans and titles are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from onrecord.authoring.extract.reader import Reader
from onrecord.authoring.extract.text import paragraphs_of, spans

__all__ = ["Found", "extract", "paragraphs_of", "spans"]


@dataclass(frozen=True)
class Found:
    """One direct quote and what the article says about who said it."""

    text: str
    speaker: str | None
    role: str
    cue: str | None
    paragraph: int
    context: str                  # the sentence the quote stands in, as written


def extract(paragraphs: list[str]) -> list[Found]:
    """Every direct quote in the paragraphs, in order, with its speaker (or None)."""
    reader = Reader(paragraphs)
    out = []
    for q in reader.read():
        ent = q.speaker
        out.append(Found(q.span.text, ent.name if ent else None, ent.role if ent else "",
                         q.cue, q.paragraph, q.context))
    return out
