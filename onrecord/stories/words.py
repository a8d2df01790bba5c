"""How numbers read in sentences: one place for '1 statement', '2 stories'."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, plural unless n is 1: count(2, 'story', 'stories') -> '2 stories'."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
