"""What every screen and dialog may ask of the running app: the library, the writer thread,
notifications and broadcasts. It imports nothing of the screens (the app module does), so
screens reach these through `deck(self.app)` without an import cycle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App
from textual.notifications import SeverityLevel

from paperdeck.library import DraftStore, Library, SyncReport
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.messages import NotesChanged, SyncFinished

T = TypeVar("T")


class LibraryNotOpen(RuntimeError):
    """`library` was asked for before the loading worker opened it (a bug: check `library_open`)."""


class PaperdeckBase(App[None]):
    """The app's services; `PaperdeckApp` adds the screens, keys and commands."""

    def __init__(self, corpus_path: Path) -> None:
        super().__init__()
        self.corpus_path = corpus_path
        self.drafts = DraftStore(corpus_path)  # unsaved note text, outside the corpus
        self._library: Library | None = None
        # One writer thread: notes changes land in the order the user made them.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperdeck-writer")

    @property
    def library(self) -> Library:
        """The open library; the main screen opens it in a worker, so check `library_open`
        first wherever a key can arrive before that (every action of a paper can)."""
        if self._library is None:
            raise LibraryNotOpen("the library is still being opened")
        return self._library

    @property
    def library_open(self) -> bool:
        return self._library is not None

    def library_opened(self, library: Library) -> None:
        self._library = library

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Toasts quote data (titles, links, file errors): never read as markup, never escapes."""
        super().notify(
            terminal_safe(message),
            title=terminal_safe(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def run_write(self, job: Callable[[], T], done: Callable[[T], None] | None = None) -> None:
        """Run a notes change on the writer thread; report failures as notifications."""

        def deliver(call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
            if threading.get_ident() == self._thread_id:
                call(*args, **kwargs)  # the job was done before add_done_callback: on our thread
            else:
                self.call_from_thread(call, *args, **kwargs)

        def finished(future: Future[T]) -> None:
            error = future.exception()
            try:
                if error is not None:
                    deliver(self.notify, f"Not saved: {error}", severity="error", timeout=8)
                elif done is not None:
                    deliver(done, future.result())
            except RuntimeError:
                pass  # the app has already stopped; the write itself is done

        self._writer.submit(job).add_done_callback(finished)

    def broadcast_notes_changed(self, paper_ids: list[str]) -> None:
        for screen in self.screen_stack:
            screen.post_message(NotesChanged(paper_ids))

    def sync_finished(self, report: SyncReport, changed: list[str]) -> None:
        """A sync (the `S` key, or resolving a clashed file) is done: tell the screens."""
        for screen in self.screen_stack:
            screen.post_message(SyncFinished(report, changed))


def deck(app: Any) -> PaperdeckBase:
    """`app` (a widget's `self.app`, which Textual types as any App) as the paperdeck app."""
    if not isinstance(app, PaperdeckBase):
        raise TypeError(f"paperdeck's screens run in the paperdeck app, not in {app!r}")
    return app
