"""What the faces list: views and their counts (kept up to date per change), search, similar
papers, highlights, sorting, and the problems `check` reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from paperdeck.library.core import LibraryCore
from paperdeck.notes.annotation import (
    Annotation,
)
from paperdeck.problems import Problem
from paperdeck.search.highlight import Highlights
from paperdeck.search.index import Hit, SearchResults
from paperdeck.sorting import sort_ids
from paperdeck.sync.run import driver_missing
from paperdeck.views import ALL, CountChange, View, ViewCounts


class Listing(LibraryCore):
    """Views and their counts, search, similar papers, highlights, sorting and problems."""

    def view_counts(self) -> tuple[dict[str, int], Counter[str]]:
        """Counts per view and per tag, counted afresh over every paper.

        O(papers) (~0.1 s at 100k): faces call it off the UI thread, on opening and after many
        notes changed at once (a sync); one paper's change goes through `update_counts`.
        """
        with self._counts_lock:
            self._counts_touched = set()
        fresh = ViewCounts.of(self.corpus.ids, self.notes.all())
        with self._counts_lock:
            touched, self._counts_touched = self._counts_touched or set(), None
            for paper_id in touched:  # changed while we counted: count them as they are now
                fresh.update(paper_id, self.notes.get(paper_id))
            self._counts = fresh
            return fresh.snapshot()

    def current_counts(self) -> tuple[dict[str, int], Counter[str]]:
        """The counts kept up to date by `update_counts` (a full count the first time only)."""
        with self._counts_lock:
            counts = self._counts
            if counts is not None:
                return counts.snapshot()
        return self.view_counts()

    def update_counts(self, paper_ids: Iterable[str]) -> list[CountChange]:
        """These papers' notes changed: adjust the counts by each one's old and new state.

        Cheap (a few dict operations per paper), exact, and harmless for a paper that did not
        change or is not in the corpus (orphaned notes are never counted). Returns the status
        changes, for numbers a face derives from them (triage progress).
        """
        with self._counts_lock:
            if self._counts is None:
                return []  # nothing counted yet: the first `view_counts` sees these changes
            changes = []
            for paper_id in paper_ids:
                if paper_id not in self.corpus:
                    continue
                if self._counts_touched is not None:
                    self._counts_touched.add(paper_id)
                change = self._counts.update(paper_id, self.notes.get(paper_id))
                if change is not None:
                    changes.append(change)
            return changes

    def all_tags(self) -> Counter[str]:
        return self.current_counts()[1]

    def list_view(self, view: View = ALL) -> list[str]:
        """The IDs of a view in corpus order, without the index (instant at any size)."""
        annotations = self.notes.all()
        if view is ALL:
            return list(self.corpus.ids)
        return [
            pid for pid in self.corpus.ids if view.matches(annotations.get(pid) or Annotation(pid))
        ]

    def search(
        self,
        query: str,
        *,
        view: View = ALL,
        sort: str = "relevance",
        limit: int | None = 50,
        as_you_type: bool = False,
    ) -> SearchResults:
        index = self.open_index()
        text = query.strip()
        if view.query:
            text = f"{view.query} ({text})" if text else view.query
        return index.search(text, limit=limit, sort=sort, as_you_type=as_you_type)

    def similar(self, paper_id: str, limit: int = 10) -> list[Hit]:
        return self.open_index().similar(paper_id, limit=limit)

    def highlights(self, query: str, paper_ids: Sequence[str]) -> dict[str, Highlights]:
        """Title and whole abstract of each paper with `query`'s matches marked, as typed.

        It waits for a running search (the index serialises them): faces call it in the
        worker that searched, for the papers they are about to show. Empty without an index
        or a query.
        """
        if self.index is None or not query.strip():
            return {}
        return {
            paper_id: self.index.highlights(query, paper_id, as_you_type=True, whole=True)
            for paper_id in paper_ids
        }

    def sort_ids(self, paper_ids: Iterable[str], sort: str) -> list[str]:
        """`paper_ids` in a sort of `sorting.SORTS`; "relevance" keeps them as they came."""
        if sort == "relevance":
            return list(paper_ids)
        return sort_ids(self.corpus, paper_ids, sort)

    def problems(self) -> list[Problem]:
        """Everything `check` reports: corpus problems, bad notes files and orphaned notes."""
        known = set(self.corpus.ids)
        orphans = [self._orphan(paper_id) for paper_id in self.notes.orphans(known)]
        git: list[Problem] = []
        if driver_missing(self.root):
            git.append(
                Problem(
                    ".gitattributes",
                    None,
                    "this corpus's notes are in git but the paperdeck merge driver is not "
                    "set up for this clone, so git may conflict on notes files",
                    "run `paperdeck git-setup`",
                )
            )
        return [*self.corpus.problems, *self.notes.problems(), *orphans, *git]

    def _orphan(self, paper_id: str) -> Problem:
        """Notes no paper has: under an alias (an ID one of a paper's copies would give), say
        which paper they belong to now (README "Paper IDs")."""
        paper = self.corpus.by_alias(paper_id)
        if paper is not None:
            return Problem(
                f"notes/{paper_id}.toml",
                None,
                f"notes under another ID of paper {paper.id} (its copies were merged)",
                f"rename it to notes/{paper.id}.toml (merge the two by hand if both exist)",
            )
        return Problem(
            f"notes/{paper_id}.toml",
            None,
            "notes for a paper that is not in the corpus (kept, never deleted)",
            "restore the paper's file, or rename the notes file to the paper's new ID",
        )
