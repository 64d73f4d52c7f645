"""The reading pane beside the list: it follows the cursor, and opens the full-screen reader."""

from __future__ import annotations

import time

from textual import on, work
from textual.actions import SkipAction
from textual.timer import Timer

from paperdeck.library import Highlights
from paperdeck.tui.reading import show_paper
from paperdeck.tui.screens.main.listing import ListingScreen
from paperdeck.tui.screens.reader import ReaderScreen
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.widgets.paper_view import PaperView

# The reading pane follows the cursor once it rests this long; a single move after a pause shows
# the paper straight after the list repaints. Holding a key only repaints the cursor row.
READER_REST = 0.08


class ReadingPart(ListingScreen):
    """With a query, the pane shows the paper once its matches are marked (found in a worker)."""

    _reader_timer: Timer | None = None
    _last_move = 0.0

    @on(PaperTable.Highlighted)
    def _highlighted(self) -> None:
        """Follow the cursor in the reading pane without making the cursor wait for it.

        Laying out the pane costs tens of ms; the cursor row must paint within a frame. So the
        pane is filled after the list has repainted, and while keys repeat only once they stop.
        """
        if self._reader_timer is not None:
            self._reader_timer.stop()
            self._reader_timer = None
        # Rested: no move and no pane update lately (a pane update delays the next key, so
        # timing moves alone would take a held key for single presses).
        now = time.monotonic()
        rested = now - self._last_move >= READER_REST
        self._last_move = now
        if rested:
            self.call_after_refresh(self.show_current)
        else:
            self._reader_timer = self.set_timer(READER_REST, self.show_current)

    async def _action_open_reader(self) -> None:
        """enter on the list (a priority key): the keys typed after it act in the reader, and
        the ones before it (`jj`) have moved the cursor first; elsewhere enter is the widget's."""
        if not isinstance(self.focused, PaperTable):
            raise SkipAction()
        await self.open_focused(self.action_open_reader)

    def action_open_reader(self) -> None:
        paper_id = self.current_paper_id()
        if paper_id is not None:
            self.open_reader(paper_id)

    @on(PaperTable.Selected)
    def _selected(self, event: PaperTable.Selected) -> None:
        self.open_reader(event.paper_id)  # a double click

    def open_reader(self, paper_id: str) -> None:
        query = self.listing.query
        marks = {p: m for (q, p), m in self._marks.items() if q == query}
        self.app.push_screen(
            ReaderScreen(
                paper_id,
                query,
                step=self._step_for_reader,
                decided=self._decided_in_reader,
                marks=marks,
            )
        )

    def _step_for_reader(self, delta: int) -> str | None:
        self.query_one(PaperTable).cursor += delta
        return self.current_paper_id()

    def _decided_in_reader(self, paper_id: str) -> str | None:
        """The paper the reader goes on to after a decision: the list's, when triage moved it."""
        before = self.current_paper_id()
        self.after_decision(paper_id)
        after = self.current_paper_id()
        return after if after != before else None

    def show_current(self) -> None:
        """The paper under the cursor in the pane; with a query, once its matches are marked."""
        reader = self.query_one(PaperView)
        paper_id = self.current_paper_id()
        if not self.library_open or paper_id is None:
            reader.show(None)
            return
        query = self.listing.query
        if query.strip() and self.library.index_ready and (query, paper_id) not in self._marks:
            self.find_marks(query, paper_id)  # shows it when they are found
            return
        show_paper(reader, self.library, paper_id, self._marks.get((query, paper_id)))
        self._last_move = time.monotonic()

    @work(thread=True, exclusive=True, group="marks")
    def find_marks(self, query: str, paper_id: str) -> None:
        """Mark the query's matches in one paper off the UI thread (a search may hold the index)."""
        marks = self.library.highlights(query, [paper_id])
        self.app.call_from_thread(self._marked, query, marks)

    def _marked(self, query: str, marks: dict[str, Highlights]) -> None:
        if query != self.listing.query:
            return
        for paper_id, found in marks.items():
            self._marks[(query, paper_id)] = found
        if self.current_paper_id() in marks:
            self.show_current()
