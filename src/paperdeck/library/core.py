"""The library's core: opening a corpus, its notes and its index, the papers, and the user's
data (changes through `change`, undo, the note editor's saves). The other parts build on it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Self

from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.paper import Paper
from paperdeck.notes.annotation import (
    DEFAULT_STATUS,
    Annotation,
)
from paperdeck.notes.merge3 import merge_text
from paperdeck.notes.store import NotesStore, SaveResult
from paperdeck.notes.toml_format import load_bytes
from paperdeck.notes.undo import UndoEntry, UndoJournal, UndoOutcome, UndoRefused
from paperdeck.notes.watch import NotesWatcher
from paperdeck.search.index import SearchIndex
from paperdeck.views import ViewCounts

CORPUS_ENV = "PAPERDECK_CORPUS"


def keep_noted_ids(corpus: Corpus, notes: NotesStore) -> Corpus:
    """A paper whose ID moved (a new copy of it gives the ID now) keeps the ID its notes are
    under, so the notes follow it (README "Paper IDs"); papers without notes are untouched."""
    orphans = notes.orphans(corpus.ids)
    if orphans:
        corpus.adopt_ids(orphans, set(notes.orphans(())))
    return corpus


Progress = Callable[[int, int], None]


def bundled_sample_corpus() -> Path:
    """The sample corpus shipped in the wheel, or the repository's copy in a development install."""
    packaged = Path(str(resources.files("paperdeck"))) / "sample_corpus"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "sample_corpus"


def resolve_corpus_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The corpus argument, else `$PAPERDECK_CORPUS`, else the bundled sample corpus."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CORPUS_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return bundled_sample_corpus()


def check_notes_file(text: str, relative: str, paper_id: str) -> None:
    """Raise `NotesFileError` (which line, what is wrong) unless `text` is a valid notes file."""
    load_bytes(text.encode("utf-8"), relative, paper_id)


class _NoteClash(Exception):
    """The editor's text and the note on disk changed the same lines: write nothing."""


@dataclass(frozen=True)
class NoteEdit:
    """What saving an editor's text did. `note`: the note on disk now (written or not)."""

    note: str
    written: bool = False
    clash: bool = False


@dataclass
class LibraryCore:
    """What every part of the library works on: the corpus, its notes, the index once open;
    opening and closing them, the papers, and the user's data (changes, undo, the note editor)."""

    root: Path
    corpus: Corpus
    notes: NotesStore
    index: SearchIndex | None = None
    _index_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _sync_lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _counts: ViewCounts | None = field(default=None, repr=False)
    _counts_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _counts_touched: set[str] | None = field(default=None, repr=False)  # during a full count
    _journal: UndoJournal | None = field(default=None, repr=False)
    _watcher: NotesWatcher | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        root: str | os.PathLike[str] | None = None,
        *,
        with_index: bool = False,
        progress: Progress | None = None,
    ) -> Self:
        path = resolve_corpus_path(root)
        corpus = Corpus.load(path)
        notes = NotesStore(path)
        notes.load()
        library = cls(path, keep_noted_ids(corpus, notes), notes)
        if with_index:
            library.open_index(progress)
        return library

    def open_index(self, progress: Progress | None = None) -> SearchIndex:
        """Open, build or refresh the search index; slow, so faces call it off the UI thread."""
        with self._index_lock:
            if self.index is None:
                self.index = SearchIndex.open(self.root, self.corpus, self.notes.all(), progress)
                self.corpus.save_settled()  # files written just before the build have settled
            return self.index

    @property
    def index_ready(self) -> bool:
        """Whether `open_index` has finished: until then a face lists without searching."""
        return self.index is not None

    def index_messages(self) -> list[str]:
        """What the index had to say on opening (rebuilt, kept in memory, ...), for people."""
        return list(self.index.messages) if self.index is not None else []

    def close(self) -> None:
        """End of the run: cache what has settled since the corpus was read, close the index."""
        self.corpus.save_settled()
        if self.index is not None:
            self.index.close()

    # --- papers ---------------------------------------------------------------------------------

    @property
    def papers(self) -> list[Paper]:
        return self.corpus.papers

    def has_paper(self, paper_id: str) -> bool:
        return self.corpus.get(paper_id) is not None

    def resolve(self, prefix: str) -> Paper:
        return self.corpus.resolve(prefix)

    def paper(self, paper_id: str) -> Paper:
        paper = self.corpus.get(paper_id)
        if paper is None:
            raise KeyError(paper_id)
        return paper

    # --- the user's data ------------------------------------------------------------------------

    def annotation(self, paper_id: str) -> Annotation:
        return self.notes.get(paper_id)

    def read_only_reason(self, paper_id: str) -> str | None:
        return self.notes.read_only_reason(paper_id)

    def change(
        self,
        paper_id: str,
        change: Callable[[Annotation], Annotation],
        *,
        on_disk: bool = False,
    ) -> SaveResult:
        """Apply a change to one paper's notes: written atomically, then searchable at once,
        and recorded so that `undo` (here or in another process) can take it back.

        `on_disk`: the change is applied to the file as it is under the lock (a caller that
        merges by itself, as the note editor does; see `NotesStore.update`).
        """
        paper = self.paper(paper_id)
        result = self.journal.save_and_record(
            paper.id,
            paper.title,
            lambda: self.notes.update(paper.id, paper.title, change, on_disk=on_disk),
        )
        if self.index is not None:
            self.index.update(paper, result.annotation)
        return result

    @property
    def journal(self) -> UndoJournal:
        if self._journal is None:
            self._journal = UndoJournal(self.root)
        return self._journal

    def undo(self) -> UndoOutcome:
        """Take back the newest change made by any face on this corpus, unless the paper has
        changed since (then nothing is written and the outcome says what it holds now)."""
        reverted: dict[str, Annotation] = {}

        def revert(entry: UndoEntry) -> SaveResult:
            result = self._revert(entry)
            reverted[entry.paper_id] = result.annotation
            return result

        outcome = self.journal.undo(revert)
        self.reindex(reverted)
        return outcome

    def reindex(self, annotations: Mapping[str, Annotation]) -> None:
        """These papers' notes changed: make the index see them, in one write."""
        if self.index is None or not annotations:
            return
        changed = [
            (paper, annotation)
            for paper_id, annotation in annotations.items()
            if (paper := self.corpus.get(paper_id)) is not None
        ]
        self.index.update_many(changed)

    def _revert(self, entry: UndoEntry) -> SaveResult:
        paper = self.corpus.get(entry.paper_id)
        if paper is None:
            raise UndoRefused(
                f"Cannot undo the {entry.what} change of {entry.label}: the paper is no longer in "
                "the corpus. Nothing was changed; that change is dropped from the undo history."
            )
        self.notes.reload_file(paper.id)  # the change applies to the file as it is now
        return self.notes.update(paper.id, paper.title, entry.revert, check=entry.check)

    def star(self, paper_id: str, starred: bool | None = None) -> SaveResult:
        """Star (True), unstar (False) or toggle (None)."""
        return self.change(
            paper_id, lambda a: a.with_star(not a.starred if starred is None else starred)
        )

    def set_status(self, paper_id: str, status: str) -> SaveResult:
        return self.change(paper_id, lambda a: a.with_status(status))

    def tag(self, paper_id: str, add: Iterable[str] = (), remove: Iterable[str] = ()) -> SaveResult:
        add, remove = list(add), list(remove)
        return self.change(paper_id, lambda a: a.with_tags(add, remove))

    def set_note(self, paper_id: str, text: str) -> SaveResult:
        return self.change(paper_id, lambda a: a.with_note(text))

    def save_note_edit(
        self, paper_id: str, base: str, text: str, *, keep_clash: bool = False
    ) -> NoteEdit:
        """Save an editor's `text`, typed over `base`: changes made on disk since are merged in.

        The merge is three-way by line against the file as it is under the lock, so nothing
        written elsewhere meanwhile is lost. When both changed the same lines nothing is written
        (the editor shows the clash to the user, who is typing there) unless `keep_clash`
        (the editor is closing): then both sides are written between conflict markers.
        """
        clash: list[str] = []

        def change(current: Annotation) -> Annotation:
            merged, conflict = merge_text(base, text, current.note, ("yours", "from outside"))
            if conflict and not keep_clash:
                clash.append(current.note)
                raise _NoteClash
            return current.with_note(merged)

        try:
            result = self.change(paper_id, change, on_disk=True)
        except _NoteClash:
            return NoteEdit(clash[0], clash=True)
        return NoteEdit(result.annotation.note, written=result.written)

    def reload_notes(self, paths: Iterable[Path]) -> list[str]:
        """Re-read notes files changed outside paperdeck; returns the IDs whose notes changed."""
        return [path.stem for path in paths if self.reload_note(path.stem)]

    def reload_note(self, paper_id: str) -> bool:
        """Re-read one paper's notes file as it is on disk now (an editor opening on it must not
        start from a note the watcher has not caught up with); True when it had changed."""
        if not self.notes.reload_file(paper_id):
            return False
        paper = self.corpus.get(paper_id)
        if paper is not None and self.index is not None:
            self.index.update(paper, self.notes.get(paper_id))
        return True

    def watch_notes(self) -> None:
        """Start noticing notes files changed outside this process (see `reload_changed_notes`)."""
        self._watcher = NotesWatcher(self.notes.folder)

    def reload_changed_notes(self) -> list[str]:
        """Re-read the notes files changed since the last call (or `watch_notes`); their IDs."""
        if self._watcher is None:
            return []
        return self.reload_notes(self._watcher.poll())

    def triaged_count(self, paper_ids: Iterable[str]) -> int:
        """How many of `paper_ids` have a status (a paper without notes is unread)."""
        annotations = self.notes.all()
        return sum(
            1
            for paper_id in paper_ids
            if (found := annotations.get(paper_id)) is not None and found.status != DEFAULT_STATUS
        )
