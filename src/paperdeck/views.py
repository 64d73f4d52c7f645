"""Views: the named slices of a corpus in the sidebar (All, Unread, ..., Starred, each tag).

A view is both a predicate over a paper's annotation (for counts and for listing without a query,
which needs no index) and a query string (to combine with what the user types).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from paperdeck.notes.annotation import DEFAULT_STATUS, STATUSES, Annotation


@dataclass(frozen=True)
class View:
    key: str
    label: str
    query: str
    matches: Callable[[Annotation], bool]
    size: int | None = None  # how many papers a fixed set holds (known without counting)


def _status_view(status: str) -> View:
    return View(status, status.capitalize(), f"is:{status}", lambda a: a.status == status)


def ids_view(key: str, label: str, paper_ids: Iterable[str]) -> View:
    """A fixed set of papers (e.g. "Changed by sync"), queryable through the `id:` field."""
    wanted = frozenset(paper_ids)
    query = "(" + " OR ".join(f"id:{paper_id}" for paper_id in sorted(wanted)) + ")"
    return View(key, label, query if wanted else "id:none", lambda a: a.paper_id in wanted)


def set_view(key: str, label: str, query: str, paper_ids: Iterable[str]) -> View:
    """A set of papers known beside the notes (first seen on a day, read from a file) whose
    `query` is a cheap filter (`added:`, `source:`), never an OR of its IDs."""
    wanted = frozenset(paper_ids)
    return View(key, label, query, lambda a: a.paper_id in wanted, len(wanted))


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
    counts = ViewCounts.of(paper_ids, annotations)
    return counts.views, counts.tags


# What one paper adds to the counts: (status, starred, tags); a paper without notes is unread.
_Mark = tuple[str, bool, tuple[str, ...]]
_UNREAD: _Mark = (DEFAULT_STATUS, False, ())


def _mark(annotation: Annotation | None) -> _Mark:
    if annotation is None:
        return _UNREAD
    return (annotation.status, annotation.starred, annotation.tags)


@dataclass(frozen=True)
class CountChange:
    """A paper counted anew, with its status before and after (for triage progress)."""

    paper_id: str
    old_status: str
    new_status: str


class ViewCounts:
    """The sidebar's numbers, kept exact one paper at a time.

    A full count is O(papers); `update` is O(tags of one paper). It remembers what it counted for
    every paper with notes (a paper without any is unread), so updating a paper twice, or one
    that did not change, is harmless.
    """

    def __init__(self) -> None:
        self.views: dict[str, int] = dict.fromkeys((view.key for view in BUILTIN_VIEWS), 0)
        self.tags: Counter[str] = Counter()
        self._marks: dict[str, _Mark] = {}  # papers counted as something else than plain unread

    @classmethod
    def of(cls, paper_ids: Iterable[str], annotations: Mapping[str, Annotation]) -> ViewCounts:
        counts = cls()
        plain = 0  # papers without notes: unread, no star, no tags
        for paper_id in paper_ids:
            mark = _mark(annotations.get(paper_id))
            if mark == _UNREAD:
                plain += 1
            else:
                counts._marks[paper_id] = mark
                counts._add(mark, 1)
        counts.views["all"] += plain
        counts.views[DEFAULT_STATUS] += plain
        return counts

    def _add(self, mark: _Mark, sign: int) -> None:
        status, starred, tags = mark
        views = self.views
        views["all"] += sign
        views[status] = views.get(status, 0) + sign
        if starred:
            views["starred"] += sign
        for tag in tags:
            left = self.tags[tag] + sign
            if left > 0:
                self.tags[tag] = left
            else:
                del self.tags[tag]

    def update(self, paper_id: str, annotation: Annotation | None) -> CountChange | None:
        """Count a paper of the corpus as its notes now say; the change, or None if none."""
        old = self._marks.get(paper_id, _UNREAD)
        new = _mark(annotation)
        if old == new:
            return None
        self._add(old, -1)
        self._add(new, 1)
        if new == _UNREAD:
            del self._marks[paper_id]
        else:
            self._marks[paper_id] = new
        return CountChange(paper_id, old[0], new[0])

    def snapshot(self) -> tuple[dict[str, int], Counter[str]]:
        """Copies, safe to hand to another thread."""
        return dict(self.views), Counter(self.tags)
