"""What arrived when: first-seen times (`paperdeck.triage.firstseen`), the "New" view (first
seen since the previous session began), a view per day and per source file, and the answer to
the `added:` query field (a set of IDs the index turns into a cheap filter)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Self

from paperdeck.library.core import Progress
from paperdeck.library.session import Sessions
from paperdeck.search.index import SearchIndex
from paperdeck.search.syntax import Filter
from paperdeck.triage.firstseen import FirstSeen
from paperdeck.views import View, set_view, view_by_key


def _yyyymmdd(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _iso(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


class Arrivals(Sessions):
    """`first_seen`, `source_file`, `new_view`, `day_views`, `source_views`, `view`, and
    `added_ids` behind `added:` (set on the index when it opens)."""

    clock: Callable[[], float] = time.time  # tests move it
    _first_seen: FirstSeen | None = None
    _seen_corpus: object = None  # the corpus object whose papers were last recorded

    @classmethod
    def open(
        cls,
        root: str | os.PathLike[str] | None = None,
        *,
        with_index: bool = False,
        progress: Progress | None = None,
    ) -> Self:
        library = super().open(root, with_index=with_index, progress=progress)
        library.seen_times()  # a corpus load records what it sees first
        return library

    def open_index(self, progress: Progress | None = None) -> SearchIndex:
        index = super().open_index(progress)
        index.paper_sets = self.added_ids
        return index

    def seen_times(self) -> FirstSeen:
        """The first-seen times, recording the papers of a corpus not seen before (at open, and
        after an import or fetch brought new ones)."""
        if self._first_seen is None:
            self._first_seen = FirstSeen(self.root)
        if self._seen_corpus is not self.corpus:
            self._first_seen.record(self.corpus.ids, self._file_time, self.clock())
            self._seen_corpus = self.corpus
        return self._first_seen

    def _file_time(self, paper_id: str) -> float | None:
        times = []
        for path in self.corpus.source_paths(paper_id):
            try:
                times.append((self.root / path).stat().st_mtime)
            except OSError:
                continue
        return min(times) if times else None

    def first_seen(self, paper_id: str) -> datetime:
        """When this machine first saw the paper in the corpus (UTC). KeyError if not a paper."""
        if paper_id not in self.corpus:
            raise KeyError(paper_id)
        seen = self.seen_times().times.get(paper_id, self.clock())
        return datetime.fromtimestamp(round(seen), UTC)

    def source_file(self, paper_id: str) -> str:
        """The corpus-relative path of the (first) file the paper was read from."""
        return self.corpus.source_paths(paper_id)[0]

    # --- `added:` --------------------------------------------------------------------------

    def added_ids(self, node: Filter) -> frozenset[str]:
        """The papers of the corpus an `added:` filter matches (`paperdeck.search.paper_set`)."""
        seen = self.seen_times()
        if node.low == "new":
            since = self.previous_session_start()
            if since is None:  # a first session: everything is new
                return frozenset(self.corpus.ids)
            after = since.timestamp()
            return frozenset(
                pid for pid, when in seen.times.items() if when >= after and pid in self.corpus
            )
        low, high = self._day_bounds(node)
        return frozenset(
            pid
            for day, ids in seen.days().items()
            if low <= day <= high
            for pid in ids
            if pid in self.corpus
        )

    def _day_bounds(self, node: Filter) -> tuple[int, int]:
        today = datetime.fromtimestamp(self.clock()).astimezone().date()
        if node.low == "today":
            return _yyyymmdd(today), _yyyymmdd(today)
        if node.low == "yesterday":
            day = _yyyymmdd(today - timedelta(days=1))
            return day, day
        if isinstance(node.low, str) and node.low.endswith("d"):
            days = max(int(node.low[:-1]), 1)
            start = today - timedelta(days=days - 1)  # at most 99999 days: within `date`
            return _yyyymmdd(start), _yyyymmdd(today)
        low = node.low if isinstance(node.low, int) and not isinstance(node.low, bool) else 0
        return low, node.high if node.high is not None else 99991231

    # --- views -----------------------------------------------------------------------------

    def new_view(self) -> View:
        """NEW: first seen since the previous session began (everything in a first session)."""
        return set_view("new", "New", "added:new", self.added_ids(Filter("added", "new")))

    def day_views(self) -> list[View]:
        """One view per local day papers were first seen on, newest first ("Added 2026-12-02")."""
        views = []
        for day, ids in sorted(self.seen_times().days().items(), reverse=True):
            present = [pid for pid in ids if pid in self.corpus]
            if present:
                iso = _iso(day)
                views.append(set_view(f"added:{iso}", f"Added {iso}", f"added:{iso}", present))
        return views

    def source_views(self) -> list[View]:
        """One view per source file, in path order ("From hf/2026-12-02.md")."""
        by_file: dict[str, list[str]] = {}
        for paper_id in self.corpus.ids:
            for path in self.corpus.source_paths(paper_id):
                by_file.setdefault(path, []).append(paper_id)
        return [
            set_view(f"source:{path}", f"From {path}", f'source:"{path}"', ids)
            for path, ids in sorted(by_file.items())
        ]

    def view(self, key: str) -> View:
        """The view with this key (built-in, `tag:`, `new`, `added:DAY`, `source:PATH`), as a
        restored session names it; KeyError for one that no longer exists."""
        if key == "new":
            return self.new_view()
        if key.startswith("added:"):
            found = [view for view in self.day_views() if view.key == key]
        elif key.startswith("source:"):
            found = [view for view in self.source_views() if view.key == key]
        else:
            return view_by_key(key)
        if not found:
            raise KeyError(key)
        return found[0]
