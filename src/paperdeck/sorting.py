"""Orders of a paper list shared by every face: as read, newest, most upvoted, by title."""

from __future__ import annotations

from collections.abc import Iterable

from paperdeck.paper import Paper

SORTS = ("source", "date", "upvotes", "title")


def sort_papers(papers: Iterable[Paper], sort: str) -> list[Paper]:
    """`date` and `upvotes` put the newest and most upvoted first; undated papers go last.

    Sorts are stable, so ties keep the order they came in (the corpus order, or relevance).
    """
    result = list(papers)
    if sort == "date":
        result.sort(key=lambda p: p.date.sort_key() if p.date else (-1, 0, 0), reverse=True)
    elif sort == "upvotes":
        result.sort(key=lambda p: p.upvotes, reverse=True)
    elif sort == "title":
        result.sort(key=lambda p: p.title.casefold())
    return result
