"""What a user says about one paper (star, status, tags, note): the user's data, in memory.

The notes store (`paperdeck.notes.store`) reads and writes it as TOML; the index and the faces
read it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

STATUSES = ("unread", "later", "reading", "read", "skipped")
DEFAULT_STATUS = "unread"
_TAG_SPACE = re.compile(r"\s+")


def normalise_tag(tag: str) -> str:
    """Tags are trimmed, lower-case, with inner white space turned into `-`.

    A tag needs a letter or a digit: one made only of punctuation (`!!!`) normalises to "".
    """
    text = _TAG_SPACE.sub("-", unicodedata.normalize("NFC", tag).strip().lower())
    return text if any(c.isalnum() for c in text) else ""


def split_tags(tags: Iterable[str]) -> list[str]:
    """`a,b` is two tags (a comma cannot be part of one: the index and the CLI split on it)."""
    return [part for tag in tags for part in tag.split(",")]


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Unique, sorted, normalised; commas split tags; empty tags dropped."""
    return tuple(sorted({t for t in (normalise_tag(tag) for tag in split_tags(tags)) if t}))


def now_utc() -> datetime:
    """Change times are UTC to whole seconds, so every machine writes the same text."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Annotation:
    """The user's data for one paper. `extra` keeps keys this version does not know."""

    paper_id: str
    title: str = ""
    starred: bool = False
    starred_at: datetime | None = None
    status: str = DEFAULT_STATUS
    status_at: datetime | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_empty(self) -> bool:
        """True when there is nothing a user said (no file needs to exist for it)."""
        return (
            not self.starred
            and self.status == DEFAULT_STATUS
            and not self.tags
            and not self.note
            and not self.extra
        )

    @property
    def decided(self) -> bool:
        """Starred or given any status but unread: triage has seen it (a star is a decision)."""
        return self.starred or self.status != DEFAULT_STATUS

    def with_star(self, starred: bool, when: datetime | None = None) -> Annotation:
        if starred == self.starred:
            return self
        return replace(self, starred=starred, starred_at=when or now_utc())

    def with_status(self, status: str, when: datetime | None = None) -> Annotation:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        if status == self.status:
            return self
        return replace(self, status=status, status_at=when or now_utc())

    def with_tags(self, add: Iterable[str] = (), remove: Iterable[str] = ()) -> Annotation:
        removed = set(normalise_tags(remove))
        tags = normalise_tags([*(t for t in self.tags if t not in removed), *add])
        return self if tags == self.tags else replace(self, tags=tags)

    def with_note(self, note: str) -> Annotation:
        return self if note == self.note else replace(self, note=note)
