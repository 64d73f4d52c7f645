"""The main screen: search bar, views, paper list and reading pane; triage mode lives here.

What the list shows is one value, `listing` (query, view, sort, similar-to); its one watcher
decides what to run again. Search, similar and triage are parts of their own (the modules
beside this one).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Footer, Input, ProgressBar, Static

from paperdeck.library import Highlights, Library, SyncReport
from paperdeck.tui.actions import PaperActions
from paperdeck.tui.keys_in_order import acting_at_once
from paperdeck.tui.messages import NotesChanged, SyncFinished
from paperdeck.tui.recovery import offer_drafts
from paperdeck.tui.screens.main.batch import BatchPart
from paperdeck.tui.screens.main.layout import LayoutPart
from paperdeck.tui.screens.main.listing import PLACEHOLDER, SORTS, Listing
from paperdeck.tui.screens.main.predicted import PredictedPart
from paperdeck.tui.screens.main.reading_pane import ReadingPart
from paperdeck.tui.screens.main.session import SessionPart
from paperdeck.tui.screens.main.similar import SimilarPart
from paperdeck.tui.screens.main.triage import TriagePart
from paperdeck.tui.widgets.paper_table import PaperTable, RowView
from paperdeck.tui.widgets.paper_view import PaperView
from paperdeck.tui.widgets.search_box import SearchBox
from paperdeck.tui.widgets.sidebar import ViewList
from paperdeck.tui.words import count_of
from paperdeck.views import View, ids_view

NARROW = 110
WATCH_SECONDS = 1.0
# More papers changed at once than this (a sync, a pull) are recounted in full, off the UI thread.
FULL_RECOUNT = 200


class MainScreen(BatchPart, SessionPart, PredictedPart, SimilarPart, TriagePart, ReadingPart):
    AUTO_FOCUS = "#papers"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: it runs as the key is read, so the keys typed after it reach the search box
        # (a plain binding runs once the key has gone to the list and bubbled back up, when the
        # keys behind it have already been sent to the list, where they run as list keys).
        Binding("slash", "focus_search", "Search", key_display="/", priority=True),
        # Priority too: the keys typed right after enter act in the reader it opens.
        Binding("enter", "open_reader", "Open", priority=True),
        Binding("escape", "back", "Back", show=False),
        Binding("O", "cycle_sort", "Sort"),
        Binding("T", "toggle_triage", "Triage"),
        Binding("left_square_bracket", "view(-1)", "Prev view", show=False, key_display="["),
        Binding("right_square_bracket", "view(1)", "Next view", show=False, key_display="]"),
        Binding("tab", "switch_pane(1)", "Switch pane", show=False),
        Binding("shift+tab", "switch_pane(-1)", "Switch pane", show=False),
        Binding("S", "sync", "Sync", show=False),
        Binding("i", "stats", "Stats", show=False),
        *acting_at_once(PaperActions.PAPER_BINDINGS),
        *BatchPart.BATCH_BINDINGS,
        *LayoutPart.LAYOUT_BINDINGS,
    ]

    def __init__(self, corpus_path: Path) -> None:
        super().__init__()
        self.corpus_path = corpus_path
        self._marks: dict[tuple[str, str], Highlights] = {}
        self._changed_by_sync: View | None = None
        self._changed_by_sync_count = 0

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield SearchBox(placeholder=PLACEHOLDER, id="search")
            yield Static("", id="sort-label")
        # It quotes what was typed or pasted: never read as markup, never sent raw to the terminal.
        yield Static("", id="search-error", markup=False)
        with Horizontal(id="body"):
            yield ViewList(id="views")
            with Vertical(id="list-column"):
                with Horizontal(id="triage-bar"):
                    yield Static("Triage", id="triage-label")
                    yield ProgressBar(id="triage-progress", show_eta=False)
                yield PaperTable(self.describe_row, id="papers")
                yield Static("Reading the corpus…", id="status-line", markup=False)
            yield PaperView(id="reader")
        yield Footer()

    def on_mount(self) -> None:
        # At once, not deferred: a `/` typed while the corpus is read must not find the search
        # box focused by default and be typed into it.
        self.set_focus(self.query_one(PaperTable))
        self._update_sort_label()
        self.load_library()

    @on(Resize)
    def _adapt_layout(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.apply_reader_share()
        self.query_one(Footer).compact = event.size.width < NARROW  # fit more keys
        self._update_placeholder(event.size.width)
        # The sidebar pads its entries to its width, which the layout change just set.
        self.call_after_refresh(self.refresh_counts)

    # --- loading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_library(self) -> None:
        library = Library.open(self.corpus_path)
        library.view_counts()  # the one full count, off the UI thread; then kept up to date
        self.prepare_session(library)
        problems = library.problems()  # may run git: off the UI thread
        painted = threading.Event()
        self.app.call_from_thread(self._library_ready, library, len(problems))
        self.app.call_from_thread(self.call_after_refresh, painted.set)
        # let the first list reach the screen before the index check takes the GIL
        painted.wait(timeout=1.0)
        progress = self.query_one("#status-line", Static)

        def report(done: int, total: int) -> None:
            self.app.call_from_thread(progress.update, f"Indexing {done:,}/{total:,} papers…")

        try:
            library.open_index(report)
        except Exception as error:  # the index is derived data: report, keep browsing
            self.app.call_from_thread(
                self.notify, f"Search is unavailable: {error}", severity="error", timeout=10
            )
            return
        self.app.call_from_thread(self._index_ready)
        self.prepare_predictions(library)

    def _library_ready(self, library: Library, problems: int) -> None:
        self.deck.library_opened(library)
        library.watch_notes()
        self.set_interval(WATCH_SECONDS, self.poll_notes)
        self.restore_session()
        self.refresh_counts()
        self.refresh_list()
        offer_drafts(self.deck)
        if problems:
            self.notify(
                f"{count_of(problems, 'problem')} in the corpus, notes or git set-up: "
                "press ! for details",
                severity="warning",
                timeout=6,
            )

    @work(thread=True, exclusive=True, group="watch")
    def poll_notes(self) -> None:
        """Live reload: notes changed outside this app (git pull, hand edit, another paperdeck)."""
        changed = self.library.reload_changed_notes()
        if changed:
            self.app.call_from_thread(self.deck.broadcast_notes_changed, changed)

    def action_stats(self) -> None:
        from paperdeck.tui.screens.stats import StatsScreen

        if self.library_open:
            self.app.push_screen(StatsScreen())

    def action_sync(self) -> None:
        if self.library_open:
            self.notify("Syncing notes with git…", timeout=3)
            self.run_sync()

    @work(thread=True, exclusive=True, group="sync")
    def run_sync(self) -> None:
        report, changed = self.library.sync()
        self.app.call_from_thread(self.sync_done, report, changed)

    @on(SyncFinished)
    def _sync_finished(self, event: SyncFinished) -> None:
        self.sync_done(event.report, event.changed)

    def sync_done(self, report: SyncReport, changed: list[str]) -> None:
        self.notify(
            "\n".join(report.lines()) or "Nothing to sync.",
            title="Sync" if report.ok else "Sync needs you",
            severity="information" if report.ok else "warning",
            timeout=10,
        )
        if changed:
            self.deck.broadcast_notes_changed(changed)
            self._changed_by_sync = ids_view("changed", "Changed by sync", changed)
            self._changed_by_sync_count = sum(1 for i in changed if self.library.has_paper(i))
            self.refresh_counts()
            self.view = self._changed_by_sync

    def _index_ready(self) -> None:
        for message in self.library.index_messages():
            self.notify(message, timeout=6)
        self._set_status()
        if self.listing.searching:
            self.schedule_search(immediate=True)  # a query typed while indexing runs now

    # --- rows -----------------------------------------------------------------------------------

    def describe_row(self, paper_id: str) -> RowView:
        library = self.library
        paper = library.paper(paper_id)
        annotation = library.annotation(paper_id)
        return RowView(
            title=paper.title,
            title_derived=paper.title_derived,
            starred=annotation.starred,
            status=annotation.status,
            tags=annotation.tags,
            date=paper.date.display() if paper.date else "",
            comments=paper.comments,
            read_only=library.read_only_reason(paper_id) is not None,
            has_note=bool(annotation.note.strip()),
            upvotes=paper.upvotes,
            score=self.row_score(paper_id),
        )

    def refresh_counts(self) -> None:
        """Show the library's counts, which it keeps up to date (no recount here)."""
        if not self.library_open:
            return
        counts, tags = self.library.current_counts()
        extra = []
        if self._changed_by_sync is not None:
            extra.append((self._changed_by_sync, self._changed_by_sync_count))
        extra += [(view, view.size or 0) for view in self.arrival_views]
        self.query_one(ViewList).update_counts(counts, tags, self.listing.view.key, extra)
        self._update_triage_progress()

    @work(thread=True, exclusive=True, group="recount")
    def recount(self) -> None:
        """Many papers changed at once: count every view afresh, off the UI thread."""
        self.library.view_counts()
        self.app.call_from_thread(self._recounted)

    def _recounted(self) -> None:
        self.forget_triage_count()  # recount the triage progress too
        self.refresh_counts()

    # --- the listing ----------------------------------------------------------------------------

    def watch_listing(self, old: Listing, new: Listing) -> None:
        """The one place that decides what a change of the listing runs again."""
        typed, self._typed = self._typed, False
        if new.query != old.query:
            self._marks.clear()  # marks are of one query
        if new.similar_to != old.similar_to:
            self._update_placeholder()
            if new.similar_to is None:
                self._similar_return = None
        self._update_sort_label()
        self.session_changed()
        if typed and new.searching:
            self.schedule_search()  # typing: debounced
            return
        if typed:
            self.clear_search()
        self.refresh_list()
        if new.view != old.view:
            self._update_triage_progress()

    def refresh_list(self) -> None:
        """List the current view: in memory when there is no query, else through the index."""
        if not self.library_open:
            return
        listing = self.listing
        if listing.similar_to is not None:
            self.run_similar(listing.similar_to)
        elif listing.searching:
            self.schedule_search(immediate=True)
        else:
            table = self.query_one(PaperTable)
            keep, self._return_to = self._return_to or table.current, None
            library = self.library
            ids = library.sort_ids(library.list_view(listing.view), listing.sort)
            table.set_rows(ids, keep=keep)
            self._set_status()
            self._update_triage_progress()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if self.clear_marks():
            pass
        elif self.triage:
            self.triage = False
        elif self.query_one(ViewList).has_focus:
            self.query_one(PaperTable).focus()
        elif self.listing.similar_to is not None:
            self.back_from_similar()
        elif search.has_focus or self.listing.query:
            search.value = ""
            self.query_one(PaperTable).focus()

    async def _action_focus_search(self) -> None:
        await self.keys_done()  # `j/`: the `j` moves first
        self.action_focus_search()

    def action_switch_pane(self, step: int) -> None:
        """tab / shift+tab: the paper list, the sidebar of views and the search box in turn."""
        panes = [self.query_one(PaperTable), self.query_one(ViewList), self.query_one("#search")]
        focused = next((n for n, pane in enumerate(panes) if pane.has_focus), -1)
        panes[(focused + step) % len(panes)].focus()

    @on(ViewList.Chosen)
    def _view_chosen(self, event: ViewList.Chosen) -> None:
        self.view = event.view

    def action_view(self, delta: int) -> None:
        self.view = self.query_one(ViewList).step(delta, self.listing.view.key)

    def action_cycle_sort(self) -> None:
        self.set_sort(SORTS[(SORTS.index(self.listing.sort) + 1) % len(SORTS)])

    @on(NotesChanged)
    def _notes_changed(self, event: NotesChanged) -> None:
        table = self.query_one(PaperTable)
        for paper_id in event.paper_ids:
            table.refresh_paper(paper_id)
        if self.library_open:
            if len(event.paper_ids) > FULL_RECOUNT:
                self.recount()
            else:
                self._count_triage(self.library.update_counts(event.paper_ids))
                self.refresh_counts()
        if self.current_paper_id() in event.paper_ids:
            self.show_current()
