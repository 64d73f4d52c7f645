"""The session: view, query, sort, the paper under the cursor, compact mode and the pane size
come back on the next start (the core keeps them in the user state folder, never in notes).

The state is saved a moment after it changes (debounced, off the UI thread) and once more on
quit. The views of arrivals (New, one per day, one per source file) are found here too: they
are what a session starts from."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

from textual import on, work
from textual.timer import Timer

from paperdeck.library import Library, SessionState
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.screens.main.layout import LayoutPart
from paperdeck.tui.screens.main.listing import SORTS
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.views import View

SAVE_DELAY = 0.5  # seconds of quiet before the session is written
DAY_VIEWS = 7  # the newest days shown in the sidebar (a year of daily fetches would be 365)
SOURCE_VIEWS = 8  # the last source files, in path order (dated file names: the newest)


class SessionPart(LayoutPart):
    """Restores the last session once the library is open; saves it as it changes."""

    _session: SessionState | None = None  # read in the loading worker
    _restoring = False  # the listing is being set from the saved state: nothing to save yet
    _save_timer: Timer | None = None
    arrival_views: tuple[View, ...] = ()

    def prepare_session(self, library: Library) -> None:
        """Loading worker: record this session's start and read the last one's state."""
        self._session = library.session_state()
        library.begin_session()
        self.arrival_views = find_arrival_views(library)

    def restore_session(self) -> None:
        """UI thread, once the library is open: show what the last session showed."""
        state, self._session = self._session, None
        if state is None:
            return
        if state.message:
            self.notify(state.message, severity="warning", timeout=8)
        view = self.listing.view
        with contextlib.suppress(KeyError):  # a tag or a source file gone since: All
            view = self.library.view(state.view)
        if view.key != state.view or (
            view.key.startswith("tag:") and view.key[4:] not in self.library.all_tags()
        ):
            view = self.listing.view
            gone = terminal_safe(state.view)
            message = f"The last session's view {gone} is gone; showing {view.label}."
            self.notify(message, markup=False)
        # A query typed while the corpus was read wins over the saved one.
        query = self.listing.query or state.query
        self._restoring = True
        try:
            self._return_to = state.paper_id
            if query != self.listing.query:
                self._show_query(query)
            self.compact = bool(state.extra.get("compact", False))
            share = state.extra.get("reader_share")
            if isinstance(share, int):
                self.reader_share = share
            self.listing = replace(
                self.listing,
                view=view,
                query=query,
                sort=state.sort if state.sort in SORTS else self.listing.sort,
            )
        finally:
            self._restoring = False

    def current_state(self) -> SessionState:
        listing = self.listing
        return SessionState(
            view=listing.view.key,
            query=listing.query,
            sort=listing.sort,
            paper_id=self.query_one(PaperTable).current,
            extra={"compact": self.compact, "reader_share": self.reader_share},
        )

    def session_changed(self) -> None:
        """Something the session keeps changed: save it once things are quiet."""
        if self._restoring or not self.library_open or not self.is_mounted:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_soon)

    def _save_soon(self) -> None:
        self._save_timer = None
        self.save_session(self.current_state())

    @work(thread=True, exclusive=True, group="session")
    def save_session(self, state: SessionState) -> None:
        problem = self.library.save_session_state(state)
        if problem:
            self.app.call_from_thread(self.notify, problem, severity="warning", timeout=8)

    def flush_pending(self) -> None:
        """On quit: write the session now (a pending save would never run)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.library_open:
            self.library.save_session_state(self.current_state())

    def layout_changed(self) -> None:
        self.session_changed()

    @on(PaperTable.Highlighted)
    def _cursor_moved(self, _event: Any) -> None:
        self.session_changed()


def find_arrival_views(library: Library) -> tuple[View, ...]:
    """New, the newest days papers arrived on, and the last source files (a worker's job)."""
    return (
        library.new_view(),
        *library.day_views()[:DAY_VIEWS],
        *library.source_views()[-SOURCE_VIEWS:],
    )
