"""The syntax tree of a parsed query (`paperdeck.search.query` builds it): words to find,
structured filters, and/or/not, and the parsed query with its problems."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Text:
    """Words to find. `field` None means the default fields (title, abstract, tags, note).

    mode: "word", "phrase", "prefix" (`diffu*`), "fuzzy" (`difusion~`), or "partial" (the
    unfinished last word of an as-you-type query).
    """

    field: str | None
    text: str
    mode: str = "word"
    distance: int = 0


@dataclass(frozen=True)
class Filter:
    """A structured condition: status, starred, or a date, comments or upvotes range."""

    field: str  # "status", "starred", "date", "comments", "upvotes"
    low: int | str | bool | None = None
    high: int | None = None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Text | Filter | And | Or | Not


@dataclass
class ParsedQuery:
    """The tree (None: match everything), the inline sort if any, and every problem found."""

    text: str
    tree: Node | None
    sort: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        return "; ".join(self.errors) if self.errors else None
