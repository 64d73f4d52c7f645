"""What a search gives back, and the words for what went wrong with one.

Kept apart from `paperdeck.search.index` (which runs searches) so the faces and the library can
name the result types without the index's Whoosh machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hit:
    paper_id: str
    score: float
    rank: int  # 0-based position in the results


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int  # every match, even beyond `limit` (at least this many when not `exact`)
    query: str
    error: str | None = None  # what was wrong with the query (hits are then best effort)
    exact: bool = True  # False: `total` is a lower bound (counting all would cost too much)
    sort: str = "relevance"  # the sort used: the query's `sort:` wins over the one asked for

    @property
    def total_text(self) -> str:
        """The total for people: "1,234", or "1,234+" when it is a lower bound."""
        return f"{self.total:,}" if self.exact else f"{self.total:,}+"


def joined(error: str | None, text: str) -> str:
    return f"{error}; {text}" if error else text


def stopped_message(budget: float) -> str:
    return (
        f"the search took longer than {budget:g} s and was stopped: these are the matches found "
        "by then (use fewer ~ and * words, or more specific ones)"
    )


def too_hard_message(failure: Exception) -> str:
    what = "too deeply nested" if isinstance(failure, RecursionError) else "too large"
    return f"this query could not be run ({what}); simplify it (the index is fine)"


def damaged_message(failure: Exception, error: str | None) -> str:
    text = (
        f"search failed, the index may be damaged ({type(failure).__name__}: {failure}); "
        "reopen the corpus to rebuild it"
    )
    return f"{error}; {text}" if error else text


def hit_score(hit: Any) -> float:
    """A Whoosh hit's score: sorted searches report the sort key there; only relevance has a
    number."""
    return float(hit.score) if isinstance(hit.score, int | float) else 0.0
