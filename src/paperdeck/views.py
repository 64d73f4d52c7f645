"""Views: the named slices of a corpus in the sidebar (All, Unread, ..., Starred, each tag).

A view is both a predicate over a paper's annotation (for counts and for listing without a query,
which needs no index) and a query string (to combine with what the user types).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from paperdeck.annotation import STATUSES, Annotation


@dataclass(frozen=True)
class View:
    key: str
    label: str
    query: str
    matches: Callable[[Annotation], bool]


def _status_view(status: str) -> View:
    return View(status, status.capitalize(), f"is:{status}", lambda a: a.status == status)


def ids_view(key: str, label: str, paper_ids: Iterable[str]) -> View:
    """A fixed set of papers (e.g. "Changed by sync"), queryable through the `id:` field."""
    wanted = frozenset(paper_ids)
    query = "(" + " OR ".join(f"id:{paper_id}" for paper_id in sorted(wanted)) + ")"
    return View(key, label, query if wanted else "id:none", lambda a: a.paper_id in wanted)


def tag_view(tag: str) -> View:
    return View(f"tag:{tag}", f"#{tag}", f"tag:{tag}", lambda a: tag in a.tags)


ALL = View("all", "All", "", lambda a: True)
STARRED = View("starred", "Starred", "is:starred", lambda a: a.starred)
BUILTIN_VIEWS: tuple[View, ...] = (
    ALL,
    *(_status_view(status) for status in STATUSES),
    STARRED,
)


def view_by_key(key: str) -> View:
    for view in BUILTIN_VIEWS:
        if view.key == key:
            return view
    if key.startswith("tag:"):
        return tag_view(key[4:])
    raise KeyError(key)


def count_views(
    paper_ids: Iterable[str], annotations: Mapping[str, Annotation]
) -> tuple[dict[str, int], Counter[str]]:
    """Counts for every built-in view, and per tag (papers of the corpus only; no orphans)."""
    counts = dict.fromkeys((view.key for view in BUILTIN_VIEWS), 0)
    tags: Counter[str] = Counter()
    total = 0
    for paper_id in paper_ids:
        total += 1
        annotation = annotations.get(paper_id)
        if annotation is None:
            counts["unread"] += 1
            continue
        counts[annotation.status] = counts.get(annotation.status, 0) + 1
        if annotation.starred:
            counts["starred"] += 1
        tags.update(annotation.tags)
    counts["all"] = total
    return counts, tags
