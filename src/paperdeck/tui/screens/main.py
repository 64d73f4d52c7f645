"""The main screen: search bar, views, paper list and reading pane; triage mode lives here."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, ProgressBar, Static
from textual.worker import get_current_worker

from paperdeck.library import Library
from paperdeck.notes.annotation import DEFAULT_STATUS, Annotation
from paperdeck.notes.watch import NotesWatcher
from paperdeck.search.schema import WORD
from paperdeck.sorting import sort_ids
from paperdeck.sync.run import SyncReport
from paperdeck.tui.actions import PaperActions
from paperdeck.tui.app import NotesChanged
from paperdeck.tui.recovery import offer_drafts
from paperdeck.tui.widgets.paper_table import PaperTable, RowView
from paperdeck.tui.widgets.paper_view import PaperView
from paperdeck.tui.widgets.sidebar import ViewList
from paperdeck.tui.words import count_of
from paperdeck.views import ALL, CountChange, View, ids_view

SEARCH_DEBOUNCE = 0.12
SEARCH_LIMIT = 500
SORTS = ("relevance", "date", "comments", "title")
NARROW = 110
WATCH_SECONDS = 1.0
# More papers changed at once than this (a sync, a pull) are recounted in full, off the UI thread.
FULL_RECOUNT = 200
# The reading pane follows the cursor once it rests this long; a single move after a pause shows
# the paper straight after the list repaints. Holding a key only repaints the cursor row.
READER_REST = 0.08
PLACEHOLDER = 'Search: words, "phrases", tag:x, is:starred, diffu*, difusion~   (/ to focus)'
SHORT_PLACEHOLDER = 'Search: words, "phrases", tag:x, is:starred   (/)'


class MainScreen(PaperActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("escape", "back", "Back", show=False),
        Binding("O", "cycle_sort", "Sort"),
        Binding("T", "toggle_triage", "Triage"),
        Binding("left_square_bracket", "view(-1)", "Prev view", show=False, key_display="["),
        Binding("right_square_bracket", "view(1)", "Next view", show=False, key_display="]"),
        Binding("tab", "switch_pane(1)", "Switch pane", show=False),
        Binding("shift+tab", "switch_pane(-1)", "Switch pane", show=False),
        Binding("S", "sync", "Sync", show=False),
        *PaperActions.PAPER_BINDINGS,
    ]

    view: reactive[View] = reactive(ALL, init=False)
    sort: reactive[str] = reactive("relevance", init=False)
    triage: reactive[bool] = reactive(False, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._search_timer: Timer | None = None
        self._search_generation = 0
        self._query = ""
        self._similar_to: str | None = None
        # Where escape from a similar list goes back to: query, rows, the paper `m` was on.
        self._similar_return: tuple[str, Sequence[str], str] | None = None
        self._shown_query = ""
        self._results_sort: str | None = None  # the sort the shown results used (`sort:date`)
        self._watcher: NotesWatcher | None = None
        self._changed_by_sync: View | None = None
        self._changed_by_sync_count = 0
        self._reader_timer: Timer | None = None
        self._last_move = 0.0
        # Triage progress: papers of `_triage_rows` (the listed rows) that have a status.
        self._triage_rows: object = None
        self._triage_done = 0

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Input(placeholder=PLACEHOLDER, id="search")
            yield Static("", id="sort-label")
        yield Static("", id="search-error")
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
        self.query_one(PaperTable).focus()
        self._update_sort_label()
        self.load_library()

    @on(Resize)
    def _adapt_layout(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.query_one(Footer).compact = event.size.width < NARROW  # fit more keys
        self._update_placeholder(event.size.width)
        # The sidebar pads its entries to its width, which the layout change just set.
        self.call_after_refresh(self.refresh_counts)

    # --- loading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_library(self) -> None:
        library = Library.open(self.app.corpus_path)  # type: ignore[attr-defined]
        library.view_counts()  # the one full count, off the UI thread; then kept up to date
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

    def _library_ready(self, library: Library, problems: int) -> None:
        self.app.library = library  # type: ignore[attr-defined]
        self._watcher = NotesWatcher(library.notes.folder)
        self.set_interval(WATCH_SECONDS, self.poll_notes)
        self.refresh_counts()
        self.refresh_list()
        offer_drafts(self.app)
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
        library = self.library
        if library is None or self._watcher is None:
            return
        changed = library.reload_notes(self._watcher.poll())
        if changed:
            self.app.call_from_thread(self.app.broadcast_notes_changed, changed)  # type: ignore[attr-defined]

    def action_sync(self) -> None:
        if self.library is not None:
            self.notify("Syncing notes with git…", timeout=3)
            self.run_sync()

    @work(thread=True, exclusive=True, group="sync")
    def run_sync(self) -> None:
        library = self.library
        if library is None:
            return
        report, changed = library.sync()
        self.app.call_from_thread(self.sync_done, report, changed)

    def sync_done(self, report: SyncReport, changed: list[str]) -> None:
        self.notify(
            "\n".join(report.lines()) or "Nothing to sync.",
            title="Sync" if report.ok else "Sync needs you",
            severity="information" if report.ok else "warning",
            timeout=10,
        )
        if changed:
            self.app.broadcast_notes_changed(changed)  # type: ignore[attr-defined]
            self._changed_by_sync = ids_view("changed", "Changed by sync", changed)
            library = self.library
            self._changed_by_sync_count = (
                0 if library is None else sum(1 for i in changed if library.corpus.get(i))
            )
            self.refresh_counts()
            self.view = self._changed_by_sync

    def _index_ready(self) -> None:
        library = self.library
        if library is None or library.index is None:
            return
        for message in library.index.messages:
            self.notify(message, timeout=6)
        self._set_status()
        if self._query.strip():
            self.schedule_search(immediate=True)  # a query typed while indexing runs now

    @property
    def library(self) -> Library | None:
        return self.app.library  # type: ignore[attr-defined,no-any-return]

    # --- rows -----------------------------------------------------------------------------------

    def describe_row(self, paper_id: str) -> RowView:
        library = self.library
        assert library is not None
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
        )

    def current_paper_id(self) -> str | None:
        return self.query_one(PaperTable).current

    def refresh_counts(self) -> None:
        """Show the library's counts, which it keeps up to date (no recount here)."""
        library = self.library
        if library is None:
            return
        counts, tags = library.current_counts()
        extra = []
        if self._changed_by_sync is not None:
            extra.append((self._changed_by_sync, self._changed_by_sync_count))
        self.query_one(ViewList).update_counts(counts, tags, self.view.key, extra)
        self._update_triage_progress()

    @work(thread=True, exclusive=True, group="recount")
    def recount(self) -> None:
        """Many papers changed at once: count every view afresh, off the UI thread."""
        library = self.library
        if library is not None:
            library.view_counts()
            self.app.call_from_thread(self._recounted)

    def _recounted(self) -> None:
        self._triage_rows = None  # recount the triage progress too
        self.refresh_counts()

    def refresh_list(self, *, keep: str | None = None) -> None:
        """List the current view: in memory when there is no query, else through the index."""
        library = self.library
        if library is None:
            return
        table = self.query_one(PaperTable)
        keep = keep or table.current
        if self._similar_to is not None:
            self.run_similar(self._similar_to)
        elif self._query.strip():
            self.schedule_search(immediate=True)
        else:
            ids = library.list_view(self.view)
            ids = _sorted_ids(library, ids, self.sort)
            table.set_rows(ids, keep=keep)
            self._set_status()
            self._update_triage_progress()

    def _set_status(self, text: str | None = None) -> None:
        library = self.library
        if library is None:
            return
        table = self.query_one(PaperTable)
        if text is None:
            where = self.view.label
            if self._similar_to is not None:
                where = f"like {library.paper(self._similar_to).title[:40]!r}"
            text = f"{count_of(len(table.rows), 'paper')} · {where}"
            if library.index is None:
                text += " · indexing…"
        self.query_one("#status-line", Static).update(text)

    # --- search ---------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._query = event.value
        self._end_similar()
        if not event.value.strip():
            self._results_sort = None
        self._update_sort_label()
        if not event.value.strip():
            self._search_generation += 1
            self._shown_query = ""
            self.query_one("#search-error", Static).update("")
            self.set_class(False, "-search-error")
            self.refresh_list()
            return
        self.schedule_search()

    def schedule_search(self, *, immediate: bool = False) -> None:
        """Debounce keystrokes; a newer search makes every older one stale (never shown)."""
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_generation += 1
        generation = self._search_generation
        if immediate:
            self.run_search(self._query, generation)
        else:
            self._search_timer = self.set_timer(
                SEARCH_DEBOUNCE, lambda: self.run_search(self._query, generation)
            )

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, generation: int) -> None:
        library = self.library
        if library is None:
            return  # the list is not loaded yet; `_library_ready` runs the query again
        if library.index is None:
            # `_index_ready` runs the query again; until then titles alone keep the list useful.
            ids, matched = title_matches(library, library.list_view(self.view), query)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_title_matches, ids, matched, generation)
            return
        sort = self.sort
        results = library.search(
            query, view=self.view, sort=sort, limit=SEARCH_LIMIT, as_you_type=True
        )
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show_results, results, generation)

    def _show_results(self, results: object, generation: int) -> None:
        if generation != self._search_generation:
            return  # a newer keystroke superseded this search
        error_line = self.query_one("#search-error", Static)
        error = getattr(results, "error", None)
        error_line.update(f"⚠ {error}" if error else "")
        self.set_class(bool(error), "-search-error")
        hits = getattr(results, "hits", [])
        table = self.query_one(PaperTable)
        ids = [hit.paper_id for hit in hits]
        # A new query puts the best match first under the cursor; re-running the same query
        # (a new sort, a view change) keeps the paper the user was on.
        keep = table.current if self._shown_query == self._query else None
        self._shown_query = self._query
        table.set_rows(ids, keep=keep, match_words=_plain_words(self._query))
        total = getattr(results, "total", len(ids))
        exact = getattr(results, "exact", True)
        shown = (
            f"{len(ids):,}"
            if total == len(ids) and exact
            else f"{len(ids):,} of {total:,}{'' if exact else '+'}"
        )
        matches = "match" if total == 1 and exact else "matches"
        self._results_sort = getattr(results, "sort", self.sort)
        self._update_sort_label()
        self._set_status(f"{shown} {matches} · {self.view.label} · sorted by {self._results_sort}")
        self._update_triage_progress()
        self.show_current()

    def _show_title_matches(self, ids: list[str], matched: bool, generation: int) -> None:
        """Before the index is ready: the papers whose titles hold every word of the query."""
        if generation != self._search_generation or self.library is None:
            return
        table = self.query_one(PaperTable)
        ids = _sorted_ids(self.library, ids, self.sort)
        table.set_rows(ids, keep=table.current, match_words=_plain_words(self._query))
        self._shown_query = self._query
        if matched:
            verb = "matches" if len(ids) == 1 else "match"
            self._set_status(
                f"{count_of(len(ids), 'title')} {verb} · index not ready, matching titles only"
            )
        else:
            self._set_status(
                f"{self.view.label}: every paper shown · index not ready; searching once it is"
            )
        self._update_triage_progress()
        self.show_current()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        table = self.query_one(PaperTable)
        if self._search_timer is not None and self._query.strip():
            self.schedule_search(immediate=True)
        table.focus()
        table.cursor = 0

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if self.triage:
            self.triage = False
        elif self.query_one(ViewList).has_focus:
            self.query_one(PaperTable).focus()
        elif self._similar_to is not None:
            self._back_from_similar()
        elif search.has_focus or self._query:
            search.value = ""
            self.query_one(PaperTable).focus()

    def action_switch_pane(self, step: int) -> None:
        """tab / shift+tab: the paper list, the sidebar of views and the search box in turn."""
        panes = [self.query_one(PaperTable), self.query_one(ViewList), self.query_one("#search")]
        focused = next((n for n, pane in enumerate(panes) if pane.has_focus), -1)
        panes[(focused + step) % len(panes)].focus()

    # --- views, sorting, similar ----------------------------------------------------------------

    @on(ViewList.Chosen)
    def _view_chosen(self, event: ViewList.Chosen) -> None:
        self._end_similar()
        self._update_sort_label()
        self.view = event.view

    def watch_view(self) -> None:
        self.refresh_list()
        self._update_triage_progress()

    def action_view(self, delta: int) -> None:
        self._end_similar()
        self._update_sort_label()
        self.view = self.query_one(ViewList).step(delta, self.view.key)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    def set_sort(self, sort: str) -> None:
        self.sort = sort

    def watch_sort(self) -> None:
        self._update_sort_label()
        self.refresh_list()

    def _update_sort_label(self) -> None:
        if self._similar_to is not None:
            label = "similarity"  # "more like this" lists by likeness, whatever the view's sort
        elif self.sort == "relevance" and not self._query:
            label = "source order"
        elif self._query and self._results_sort is not None:
            label = self._results_sort  # a `sort:` in the query wins over the chosen sort
        else:
            label = self.sort
        self.query_one("#sort-label", Static).update(f"sort: {label} (O)")

    def show_similar(self, paper_id: str) -> None:
        """List papers like `paper_id`; the search box says so, and escape comes back here."""
        if self._similar_to is None:  # from a similar list, escape still goes to the search
            self._similar_return = (self._query, self.query_one(PaperTable).rows, paper_id)
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_generation += 1  # a search still running is never shown over this list
        self._similar_to = paper_id
        self._show_query("")
        self._update_placeholder()
        self._update_sort_label()
        self.run_similar(paper_id)

    def _back_from_similar(self) -> None:
        """The search the similar list came from: query, results, the cursor on its paper."""
        query, rows, paper_id = self._similar_return or ("", (), None)
        self._end_similar()
        self._show_query(query)
        self._update_sort_label()
        table = self.query_one(PaperTable)
        if query.strip():
            table.set_rows(rows, keep=paper_id, match_words=_plain_words(query))
            self._shown_query = query  # so the search run again keeps that cursor
        table.focus()
        self.refresh_list(keep=paper_id)

    def _end_similar(self) -> None:
        self._similar_to = None
        self._similar_return = None
        self._update_placeholder()

    def _show_query(self, query: str) -> None:
        """Put `query` in the search box without it counting as typing (no new search)."""
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = query
        search.cursor_position = len(query)
        self._query = query

    def _update_placeholder(self, width: int | None = None) -> None:
        search = self.query_one("#search", Input)
        library = self.library
        if self._similar_to is not None and library is not None:
            title = library.paper(self._similar_to).title
            search.placeholder = f"More like: {title}   (escape goes back)"
        else:
            wide = (width or self.app.size.width) >= 100
            search.placeholder = PLACEHOLDER if wide else SHORT_PLACEHOLDER

    @work(thread=True, exclusive=True, group="search")
    def run_similar(self, paper_id: str) -> None:
        library = self.library
        if library is None:
            return
        hits = library.similar(paper_id, limit=20)
        self.app.call_from_thread(self._show_similar, paper_id, [h.paper_id for h in hits])

    def _show_similar(self, paper_id: str, ids: list[str]) -> None:
        if self._similar_to != paper_id:
            return
        self.query_one(PaperTable).set_rows(ids)
        self._set_status()
        self._update_triage_progress()
        self.notify("More like this: escape goes back", timeout=3)

    # --- reading pane ---------------------------------------------------------------------------

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

    @on(PaperTable.Selected)
    def _selected(self, event: PaperTable.Selected) -> None:
        from paperdeck.tui.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(event.paper_id, self._query))

    def show_current(self) -> None:
        library = self.library
        reader = self.query_one(PaperView)
        paper_id = self.current_paper_id()
        if library is None or paper_id is None:
            reader.show(None)
            return
        show_paper(reader, library, paper_id, self._query)
        self._last_move = time.monotonic()

    @on(NotesChanged)
    def _notes_changed(self, event: NotesChanged) -> None:
        library = self.library
        table = self.query_one(PaperTable)
        for paper_id in event.paper_ids:
            table.refresh_paper(paper_id)
        if library is not None:
            if len(event.paper_ids) > FULL_RECOUNT:
                self.recount()
            else:
                self._count_triage(library.update_counts(event.paper_ids))
                self.refresh_counts()
        if self.current_paper_id() in event.paper_ids:
            self.show_current()

    # --- triage ---------------------------------------------------------------------------------

    def watch_triage(self, triage: bool) -> None:
        self.set_class(triage, "-triage")
        self._update_triage_progress()
        self.refresh_bindings()
        if triage:
            self.query_one(PaperTable).focus()
            self.notify(
                "Triage: l later · d read · x skip (each moves on) · s star · t tag · "
                "space next · T or escape ends",
                timeout=5,
            )

    def action_toggle_triage(self) -> None:
        self.triage = not self.triage

    def _update_triage_progress(self) -> None:
        """Show how many listed papers have a status; counted in full only for a new list."""
        library = self.library
        if library is None or not self.triage:
            return
        ids = self.query_one(PaperTable).rows
        if ids is not self._triage_rows:
            self._triage_rows = ids
            self._triage_done = triaged_count(ids, library.notes.all())
        done = self._triage_done
        bar = self.query_one("#triage-progress", ProgressBar)
        bar.update(total=max(len(ids), 1), progress=done)
        self.query_one("#triage-label", Static).update(f"Triage {done:,}/{len(ids):,}")

    def _count_triage(self, changes: list[CountChange]) -> None:
        """Adjust the triage progress by papers whose status went to or from unread."""
        table = self.query_one(PaperTable)
        if self._triage_rows is not table.rows:
            return  # not counted for this list: the next update counts it in full
        for change in changes:
            step = (change.new_status != DEFAULT_STATUS) - (change.old_status != DEFAULT_STATUS)
            if step and (table.current == change.paper_id or change.paper_id in table.rows):
                self._triage_done += step

    def after_decision(self, paper_id: str) -> None:
        """In triage mode, move on to the next unread paper after a decision."""
        if not self.triage:
            return
        library = self.library
        table = self.query_one(PaperTable)
        rows = table.rows
        if library is None or not rows:
            return
        start = rows.index(paper_id) if paper_id in rows else table.cursor
        for offset in range(1, len(rows) + 1):
            candidate = (start + offset) % len(rows)
            if candidate == start:
                break
            if library.annotation(rows[candidate]).status == DEFAULT_STATUS:
                table.cursor = candidate
                return
        self.notify("Everything in this view is triaged.", timeout=4)

    def action_next_paper(self) -> None:
        table = self.query_one(PaperTable)
        table.cursor += 1


def show_paper(reader: PaperView, library: Library, paper_id: str, query: str) -> None:
    """Fill a PaperView, with the query's matches marked when the index is ready."""
    paper = library.paper(paper_id)
    title_spans = abstract_spans = None
    if query.strip() and library.index is not None:
        marks = library.index.highlights(query, paper_id, as_you_type=True, whole=True)
        title_spans = marks.title
        abstract_spans = marks.abstract[0] if marks.abstract else None
    reader.show(
        paper,
        library.annotation(paper_id),
        title_spans=title_spans,
        abstract_spans=abstract_spans,
        read_only=library.read_only_reason(paper_id),
    )


def triaged_count(ids: Iterable[str], annotations: Mapping[str, Annotation]) -> int:
    """How many of `ids` have a status (a paper without notes is unread)."""
    unread = Annotation("", status=DEFAULT_STATUS)
    return sum(1 for i in ids if annotations.get(i, unread).status != DEFAULT_STATUS)


def title_matches(library: Library, ids: list[str], query: str) -> tuple[list[str], bool]:
    """`ids` whose titles hold every plain word of `query` (any case), and whether any did.

    With no plain word, or no title holding them all, every one of `ids` (never an empty list
    while the index that can really answer is being built).
    """
    words = [word.casefold() for word in _plain_words(query)]
    if not words:
        return ids, False
    found = [i for i in ids if all(w in library.paper(i).title.casefold() for w in words)]
    return (found, True) if found else (ids, False)


def _plain_words(query: str) -> list[str]:
    """The query's bare words, for marking matches in visible titles (fields and syntax dropped)."""
    words = []
    for token in query.replace('"', " ").replace("(", " ").replace(")", " ").split():
        if ":" in token or token.upper() in ("AND", "OR", "NOT") or token.startswith("-"):
            continue
        word = token.rstrip("*~0123456789")
        # `text-to-image` and `graph.` search the words the index splits them into: mark those
        parts = [word] if WORD.fullmatch(word) else WORD.findall(word)
        words.extend(part for part in parts if len(part) >= 2)
    return words


def _sorted_ids(library: Library, ids: list[str], sort: str) -> list[str]:
    if sort == "relevance":
        return ids
    return sort_ids(library.corpus, ids, sort)
