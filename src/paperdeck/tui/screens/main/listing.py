"""What the main list shows, as one immutable value, and the parts of the screen every piece
of the listing (search, similar, triage) shares: the library, the status and sort lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Static

from paperdeck.library import WORD, Highlights
from paperdeck.tui.actions import PaperActions
from paperdeck.tui.widgets.paper_row import SORT_COLUMNS
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.words import count_of
from paperdeck.views import ALL, View

SORTS = ("relevance", "date", "comments", "upvotes", "title", "predicted")
PLACEHOLDER = 'Search: words, "phrases", tag:x, is:starred, diffu*, difusion~   (/ to focus)'
SHORT_PLACEHOLDER = 'Search: words, "phrases", tag:x, is:starred   (/)'


@dataclass(frozen=True)
class Listing:
    """Everything that decides which papers the list shows, in which order.

    `similar_to`: a "more like this" list of that paper (the query is then empty).
    """

    query: str = ""
    view: View = ALL
    sort: str = "relevance"
    similar_to: str | None = None

    @property
    def searching(self) -> bool:
        return bool(self.query.strip())


class ListingScreen(PaperActions, Screen[None]):
    """The state and lines the main screen's parts share; `MainScreen` puts them together."""

    # The one piece of state the list follows; `MainScreen.watch_listing` decides what to redo.
    listing: reactive[Listing] = reactive(Listing, init=False)

    # The sort the shown results used: a `sort:` in the query wins over the chosen one.
    _results_sort: str | None = None
    _shown_query = ""  # the query whose results the list shows
    _status_text: str | None = None  # the status line without the marked count
    # The paper the cursor goes back to in the list refreshed next (escape from a similar list,
    # a restored session).
    _return_to: str | None = None
    # Matches marked in papers for the query typed: (query, paper ID) -> highlights.
    _marks: dict[tuple[str, str], Highlights]

    # Provided by the parts and the screen.
    show_current: Callable[[], None]
    refresh_list: Callable[[], None]
    _update_triage_progress: Callable[[], None]

    @property
    def view(self) -> View:
        return self.listing.view

    @view.setter
    def view(self, view: View) -> None:
        self.listing = replace(self.listing, view=view, similar_to=None)

    @property
    def sort(self) -> str:
        return self.listing.sort

    def set_sort(self, sort: str) -> None:
        self.listing = replace(self.listing, sort=sort)

    def row_score(self, paper_id: str) -> float | None:
        """The predicted score a row shows while the list is sorted by it (`PredictedPart`)."""
        return None

    def status_suffix(self) -> str:
        """More for the status line (`PredictedPart`: what the predicted sort does now)."""
        return ""

    def current_paper_id(self) -> str | None:
        return self.query_one(PaperTable).current

    def _set_status(self, text: str | None = None) -> None:
        if not self.library_open:
            return
        library = self.library
        table = self.query_one(PaperTable)
        if text is None:
            where = self.listing.view.label
            if self.listing.similar_to is not None:
                where = f"like {library.paper(self.listing.similar_to).title[:40]!r}"
            text = f"{count_of(len(table.rows), 'paper')} · {where}"
            if not library.index_ready:
                text += " · indexing…"
            text += self.status_suffix()
        self._status_text = text
        marked = len(table.marked)
        if marked:
            text += f" · {marked:,} marked (escape clears)"
        elif table.marking_range:
            text += " · marking a range (v ends it)"
        self.query_one("#status-line", Static).update(text)

    def _update_sort_label(self) -> None:
        listing = self.listing
        if listing.similar_to is not None:
            label = "similarity"  # "more like this" lists by likeness, whatever the view's sort
        elif listing.sort == "relevance" and not listing.query:
            label = "source order"
        elif listing.query and self._results_sort is not None:
            label = self._results_sort  # a `sort:` in the query wins over the chosen sort
        else:
            label = listing.sort
        self.query_one("#sort-label", Static).update(f"sort: {label} (O)")
        self.query_one(PaperTable).sort_column = label if label in SORT_COLUMNS else None

    def _update_placeholder(self, width: int | None = None) -> None:
        search = self.query_one("#search", Input)
        similar_to = self.listing.similar_to
        if similar_to is not None and self.library_open:
            title = self.library.paper(similar_to).title
            search.placeholder = f"More like: {title}   (escape goes back)"
        else:
            wide = (width or self.app.size.width) >= 100
            search.placeholder = PLACEHOLDER if wide else SHORT_PLACEHOLDER

    def _show_query(self, query: str) -> None:
        """Put `query` in the search box without it counting as typing (no new search)."""
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = query
        search.cursor_position = len(query)


def plain_words(query: str) -> list[str]:
    """The query's bare words, for marking matches in visible titles (fields and syntax dropped)."""
    words: list[str] = []
    for token in query.replace('"', " ").replace("(", " ").replace(")", " ").split():
        if ":" in token or token.upper() in ("AND", "OR", "NOT") or token.startswith("-"):
            continue
        word = token.rstrip("*~0123456789")
        # `text-to-image` and `graph.` search the words the index splits them into: mark those
        parts = [word] if WORD.fullmatch(word) else WORD.findall(word)
        words.extend(part for part in parts if len(part) >= 2)
    return words
