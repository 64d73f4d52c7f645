"""Counted nouns in plain English: "1 paper", "2 papers", "1 match"."""

from __future__ import annotations


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun agreeing with it, with thousands separators."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"
