"""Orders of a paper list shared by every face: as read, newest, most commented, by title, and
"predicted" (which needs the library's model: here, without one, it keeps the order given)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from paperdeck.corpus.paper import Paper

if TYPE_CHECKING:
    from paperdeck.corpus.corpus import Corpus

PREDICTED = "predicted"  # by resemblance to what the user kept: `Library.sort_ids` only
SORTS = ("source", "date", "comments", "upvotes", "title", PREDICTED)


# title, (y, m, d), comments, upvotes (None: not known)
Brief = tuple[str, "tuple[int | None, int, int] | None", int, "int | None"]
T = TypeVar("T")


def sort_papers(papers: Iterable[Paper], sort: str) -> list[Paper]:
    """`date`, `comments` and `upvotes` put the newest, most commented, most upvoted first.

    Undated papers go last, and so do papers whose upvotes are unknown (today: all of them).

    Equal counts put the newest first; other ties keep the order they came in (the corpus
    order, or relevance).
    """
    return _sorted(papers, Paper.brief, sort)


def sort_ids(corpus: Corpus, ids: Iterable[str], sort: str) -> list[str]:
    """`sort_papers` by ID, from the corpus's cached rows: no Paper is made (fast at 100k)."""
    return _sorted(ids, corpus.brief, sort)


def _sorted(items: Iterable[T], brief: Callable[[T], Brief], sort: str) -> list[T]:
    result = list(items)

    def by_date(item: T) -> tuple[int, int, int]:
        date = brief(item)[1]  # as PaperDate.sort_key; undated below every date
        return (date[0] or 0, date[1], date[2]) if date else (-1, 0, 0)

    if sort in ("date", "comments", "upvotes"):  # counts tie: the newest first
        result.sort(key=by_date, reverse=True)
    if sort == "comments":
        result.sort(key=lambda item: brief(item)[2], reverse=True)
    elif sort == "upvotes":
        result.sort(key=lambda item: _known(brief(item)[3]), reverse=True)
    elif sort == "title":
        result.sort(key=lambda item: brief(item)[0].casefold())
    return result


def _known(count: int | None) -> int:
    return -1 if count is None else count
