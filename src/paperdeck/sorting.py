"""Orders of a paper list shared by every face: as read, newest, most upvoted, by title."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from paperdeck.paper import Paper

if TYPE_CHECKING:
    from paperdeck.corpus import Corpus

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


def sort_ids(corpus: Corpus, ids: Iterable[str], sort: str) -> list[str]:
    """`sort_papers` by ID, from the corpus's cached rows: no Paper is made (fast at 100k)."""
    result = list(ids)
    brief = corpus.brief
    if sort == "date":

        def by_date(paper_id: str) -> tuple[int, int, int]:
            date = brief(paper_id)[1]
            return (date[0] or 0, date[1], date[2]) if date else (-1, 0, 0)

        result.sort(key=by_date, reverse=True)
    elif sort == "upvotes":
        result.sort(key=lambda paper_id: brief(paper_id)[2], reverse=True)
    elif sort == "title":
        result.sort(key=lambda paper_id: brief(paper_id)[0].casefold())
    return result
