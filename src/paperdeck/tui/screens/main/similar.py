""" "More like this" (`m`): the papers like one paper, and escape back to the search it left."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from textual import work

from paperdeck.tui.screens.main.listing import plain_words
from paperdeck.tui.screens.main.search import SearchPart
from paperdeck.tui.widgets.paper_table import PaperTable

SIMILAR_LIMIT = 20


class SimilarPart(SearchPart):
    """A similar list replaces the search (its query is empty) until escape or a new query."""

    # Where escape from a similar list goes back to: query, rows, the paper `m` was on.
    _similar_return: tuple[str, Sequence[str], str] | None = None

    def show_similar(self, paper_id: str) -> None:
        """List papers like `paper_id`; the search box says so, and escape comes back here."""
        if self.listing.similar_to is None:  # from a similar list, escape still goes to the search
            self._similar_return = (self.listing.query, self.query_one(PaperTable).rows, paper_id)
        self.stop_search()  # a search still running is never shown over this list
        self._show_query("")
        listing = replace(self.listing, query="", similar_to=paper_id)
        if listing == self.listing:
            self.run_similar(paper_id)  # `m` again on the same paper: list it again
        self.listing = listing

    def back_from_similar(self) -> None:
        """The search the similar list came from: query, results, the cursor on its paper."""
        query, rows, paper_id = self._similar_return or ("", (), None)
        self._similar_return = None
        self._show_query(query)
        table = self.query_one(PaperTable)
        if query.strip():
            table.set_rows(rows, keep=paper_id, match_words=plain_words(query))
            self._shown_query = query  # so the search run again keeps that cursor
        table.focus()
        self._return_to = paper_id
        self.listing = replace(self.listing, query=query, similar_to=None)

    @work(thread=True, exclusive=True, group="search")
    def run_similar(self, paper_id: str) -> None:
        if not self.library_open:
            return
        hits = self.library.similar(paper_id, limit=SIMILAR_LIMIT)
        self.app.call_from_thread(self._show_similar, paper_id, [h.paper_id for h in hits])

    def _show_similar(self, paper_id: str, ids: list[str]) -> None:
        if self.listing.similar_to != paper_id:
            return
        self.query_one(PaperTable).set_rows(ids)
        self._set_status()
        self._update_triage_progress()
        self.notify("More like this: escape goes back", timeout=3)
