"""Search as you type in the main list: debounced, in a worker, newest query wins.

The worker also marks the query's matches in the paper the cursor lands on, so the reading
pane never waits for the index on the UI thread.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.actions import SkipAction
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from paperdeck.library import Highlights, Library, SearchResults, holds_words
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.screens.main.listing import ListingScreen, plain_words
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.words import count_of

SEARCH_DEBOUNCE = 0.12
SEARCH_LIMIT = 500


class SearchPart(ListingScreen):
    """The search box and the results it lists."""

    _search_timer: Timer | None = None
    _search_generation = 0  # a newer search makes every older one stale (never shown)
    _typed = False  # the listing's next change is typing in the search box (debounced)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        if not event.value.strip():
            self._results_sort = None
        self._typed = True
        self.listing = replace(self.listing, query=event.value, similar_to=None)

    def stop_search(self) -> None:
        """Whatever search is pending or running is never shown."""
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_generation += 1

    def clear_search(self) -> None:
        """No query any more: no search to show, no error under the box."""
        self._search_generation += 1
        self._shown_query = ""
        self.query_one("#search-error", Static).update("")
        self.set_class(False, "-search-error")

    def schedule_search(self, *, immediate: bool = False) -> None:
        """Debounce keystrokes; a newer search makes every older one stale (never shown)."""
        self.stop_search()
        generation = self._search_generation
        if immediate:
            self.run_search(self.listing.query, generation)
        else:
            self._search_timer = self.set_timer(
                SEARCH_DEBOUNCE, lambda: self.run_search(self.listing.query, generation)
            )

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, generation: int) -> None:
        if not self.library_open:
            return  # the list is not loaded yet; `_library_ready` runs the query again
        library = self.library
        listing = self.listing
        if not library.index_ready:
            # `_index_ready` runs the query again; until then titles alone keep the list useful.
            ids, matched = title_matches(library, library.list_view(listing.view), query)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_title_matches, ids, matched, generation)
            return
        results = library.search(
            query, view=listing.view, sort=listing.sort, limit=SEARCH_LIMIT, as_you_type=True
        )
        if get_current_worker().is_cancelled:
            return
        # The reading pane shows the best match (a new query) or the paper the cursor is on.
        wanted = [hit.paper_id for hit in results.hits[:1]]
        current = self.current_paper_id()
        if current is not None and any(hit.paper_id == current for hit in results.hits):
            wanted.append(current)
        marks = library.highlights(query, wanted)
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show_results, results, query, marks, generation)

    def _show_results(
        self, results: SearchResults, query: str, marks: dict[str, Highlights], generation: int
    ) -> None:
        if generation != self._search_generation:
            return  # a newer keystroke superseded this search
        for paper_id, highlights in marks.items():
            self._marks[(query, paper_id)] = highlights
        error_line = self.query_one("#search-error", Static)
        error_line.update(terminal_safe(f"⚠ {results.error}") if results.error else "")
        self.set_class(bool(results.error), "-search-error")
        table = self.query_one(PaperTable)
        ids = [hit.paper_id for hit in results.hits]
        # A new query puts the best match first under the cursor; re-running the same query
        # (a new sort, a view change) keeps the paper the user was on.
        keep = table.current if self._shown_query == self.listing.query else None
        keep, self._return_to = self._return_to or keep, None  # a restored session's paper
        self._shown_query = self.listing.query
        table.set_rows(ids, keep=keep, match_words=plain_words(self.listing.query))
        total, exact = results.total, results.exact
        shown = (
            f"{len(ids):,}"
            if total == len(ids) and exact
            else f"{len(ids):,} of {total:,}{'' if exact else '+'}"
        )
        matches = "match" if total == 1 and exact else "matches"
        self._results_sort = results.sort
        self._update_sort_label()
        self._set_status(
            f"{shown} {matches} · {self.listing.view.label} · sorted by {self._results_sort}"
        )
        self._update_triage_progress()
        self.show_current()

    def _show_title_matches(self, ids: list[str], matched: bool, generation: int) -> None:
        """Before the index is ready: the papers whose titles hold every word of the query."""
        if generation != self._search_generation or not self.library_open:
            return
        table = self.query_one(PaperTable)
        ids = self.library.sort_ids(ids, self.listing.sort)
        table.set_rows(ids, keep=table.current, match_words=plain_words(self.listing.query))
        self._shown_query = self.listing.query
        if matched:
            verb = "matches" if len(ids) == 1 else "match"
            self._set_status(
                f"{count_of(len(ids), 'title')} {verb} · index not ready, matching titles only"
            )
        else:
            self._set_status(
                f"{self.listing.view.label}: every paper shown · "
                "index not ready; searching once it is"
            )
        self._update_triage_progress()
        self.show_current()

    def action_focus_search(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search:
            # Typed in the search box, where `SearchBox` decides (it types a `/` after a word).
            # Textual does not know `slash` is the character `/`, so it runs this binding first.
            raise SkipAction()
        # At once (`focus()` would wait its turn behind the keys already typed after the `/`).
        self.set_focus(search)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        table = self.query_one(PaperTable)
        if self._search_timer is not None and self.listing.searching:
            self.schedule_search(immediate=True)
        table.focus()
        table.cursor = 0


def title_matches(library: Library, ids: list[str], query: str) -> tuple[list[str], bool]:
    """`ids` whose titles hold every plain word of `query` (any case), and whether any did.

    With no plain word, or no title holding them all, every one of `ids` (never an empty list
    while the index that can really answer is being built).
    """
    words = plain_words(query)
    if not words:
        return ids, False
    found = [i for i in ids if holds_words(library.paper(i).title, words)]  # compared folded
    return (found, True) if found else (ids, False)
