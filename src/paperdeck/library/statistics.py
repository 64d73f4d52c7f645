"""The stats screen's and `paperdeck stats`'s numbers (`paperdeck.triage.stats`)."""

from __future__ import annotations

from datetime import date, datetime

from paperdeck.library.core import LibraryCore
from paperdeck.triage.stats import DAYS, Stats, compute_stats


class Statistics(LibraryCore):
    """`stats`: O(papers) (~0.2 s at 100k), so faces call it in a worker."""

    def stats(self, today: date | None = None, days: int = DAYS) -> Stats:
        """Triage progress for the `days` days up to `today` (local), papers per month, top
        tags and totals by status, over the papers of the corpus."""
        corpus = self.corpus
        return compute_stats(
            corpus.ids,
            lambda paper_id: corpus.brief(paper_id)[1],
            self.notes.all(),
            today or datetime.now().astimezone().date(),
            days,
        )
