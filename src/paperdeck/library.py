"""The one object every face (CLI, TUI) talks to: a corpus and all paperdeck knows of it.

It ties the corpus (papers, read-only), the notes store (the user's data, the source of truth)
and the search index (derived, rebuilt at will). Faces never read or write files themselves.

The faces import the core only through this module: it also names the types and constants they
need (`__all__`), so the packages behind it can move without the faces changing.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from paperdeck.config import Config
from paperdeck.corpus.corpus import Corpus, PaperNotFound
from paperdeck.corpus.paper import Paper
from paperdeck.fetching import ARXIV_DELAY, FetchError, fetch_arxiv, fetch_hf
from paperdeck.importing import ImportReport, import_files
from paperdeck.notes.annotation import (
    DEFAULT_STATUS,
    STATUSES,
    Annotation,
    normalise_tag,
    normalise_tags,
    split_tags,
)
from paperdeck.notes.drafts import DraftStore, Recovery
from paperdeck.notes.merge3 import merge_text
from paperdeck.notes.store import NotesFolderIsAFile, NotesReadOnly, NotesStore, SaveResult
from paperdeck.notes.toml_format import NotesFileError, load_bytes
from paperdeck.notes.undo import UndoEntry, UndoJournal, UndoOutcome, UndoRefused
from paperdeck.notes.watch import NotesWatcher
from paperdeck.problems import Problem
from paperdeck.search.highlight import Highlights
from paperdeck.search.index import Hit, SearchIndex, SearchResults
from paperdeck.search.schema import WORD
from paperdeck.sorting import sort_ids
from paperdeck.sync.file_clash import CHOICES as FILE_CLASH_CHOICES
from paperdeck.sync.file_clash import FileClash, FileSide, find_file_clashes
from paperdeck.sync.mergedriver import merge_notes_files
from paperdeck.sync.note_clash import Clash, has_clash
from paperdeck.sync.note_clash import parse as parse_clash
from paperdeck.sync.note_clash import resolve as resolve_clash
from paperdeck.sync.note_clash import side as clash_side
from paperdeck.sync.repo import GitError, NotARepository
from paperdeck.sync.run import MODES as SYNC_MODES
from paperdeck.sync.run import SyncReport, driver_missing, git_setup, sync
from paperdeck.views import ALL, CountChange, View, ViewCounts

__all__ = [
    "ARXIV_DELAY",
    "CORPUS_ENV",
    "DEFAULT_STATUS",
    "FILE_CLASH_CHOICES",
    "STATUSES",
    "SYNC_MODES",
    "WORD",
    "Annotation",
    "Clash",
    "Config",
    "DraftStore",
    "FetchError",
    "FileClash",
    "FileSide",
    "GitError",
    "Highlights",
    "Hit",
    "ImportReport",
    "Library",
    "NotARepository",
    "NoteEdit",
    "NotesFileError",
    "NotesFolderIsAFile",
    "NotesReadOnly",
    "Paper",
    "PaperNotFound",
    "Problem",
    "Recovery",
    "SaveResult",
    "SearchResults",
    "SyncReport",
    "UndoOutcome",
    "bundled_sample_corpus",
    "check_notes_file",
    "clash_side",
    "git_setup",
    "has_clash",
    "merge_notes_files",
    "merge_text",
    "normalise_tag",
    "normalise_tags",
    "parse_clash",
    "resolve_clash",
    "resolve_corpus_path",
    "split_tags",
]

CORPUS_ENV = "PAPERDECK_CORPUS"


def _keep_noted_ids(corpus: Corpus, notes: NotesStore) -> Corpus:
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
    return Path(__file__).resolve().parents[2] / "sample_corpus"


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
class Library:
    """A corpus folder with its notes and (once opened) its search index."""

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
    ) -> Library:
        path = resolve_corpus_path(root)
        corpus = Corpus.load(path)
        notes = NotesStore(path)
        notes.load()
        library = cls(path, _keep_noted_ids(corpus, notes), notes)
        if with_index:
            library.open_index(progress)
        return library

    def import_files(self, files: Sequence[Path]) -> list[ImportReport]:
        """Copy files into the corpus (never overwriting) and say what each one brought."""
        reports, corpus = import_files(self.root, self.corpus, files)
        self.corpus = _keep_noted_ids(corpus, self.notes)
        return reports

    def fetch_arxiv(
        self,
        query: str | None = None,
        ids: tuple[str, ...] = (),
        since: date | None = None,
        *,
        limit: int = 100,
        delay: float = ARXIV_DELAY,
    ) -> list[ImportReport]:
        """Download arXiv API results into the corpus (raises `FetchError`)."""
        reports, corpus = fetch_arxiv(
            self.root, self.corpus, query=query, ids=ids, since=since, limit=limit, delay=delay
        )
        self.corpus = _keep_noted_ids(corpus, self.notes)
        return reports

    def fetch_hf(self, day: date | None = None, *, wait: float = 1.0) -> list[ImportReport]:
        """Download one day's Hugging Face daily papers into the corpus (raises `FetchError`)."""
        reports, corpus = fetch_hf(self.root, self.corpus, day, wait=wait)
        self.corpus = _keep_noted_ids(corpus, self.notes)
        return reports

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
        result = self.notes.update(paper.id, paper.title, change, on_disk=on_disk)
        if self.index is not None:
            self.index.update(paper, result.annotation)
        if result.before is not None:
            self.journal.record(paper.id, paper.title, result.before, result.annotation)
        return result

    @property
    def journal(self) -> UndoJournal:
        if self._journal is None:
            self._journal = UndoJournal(self.root)
        return self._journal

    def undo(self) -> UndoOutcome:
        """Take back the newest change made by any face on this corpus, unless the paper has
        changed since (then nothing is written and the outcome says what it holds now)."""
        return self.journal.undo(self._revert)

    def _revert(self, entry: UndoEntry) -> SaveResult:
        paper = self.corpus.get(entry.paper_id)
        if paper is None:
            raise UndoRefused(
                f"Cannot undo the {entry.what} change of {entry.label}: the paper is no longer in "
                "the corpus. Nothing was changed; that change is dropped from the undo history."
            )
        self.notes.reload_file(paper.id)  # the change applies to the file as it is now
        result = self.notes.update(paper.id, paper.title, entry.revert, check=entry.check)
        if self.index is not None:
            self.index.update(paper, result.annotation)
        return result

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
        changed = []
        for path in paths:
            if self.notes.reload_file(path):
                paper_id = path.stem
                changed.append(paper_id)
                paper = self.corpus.get(paper_id)
                if paper is not None and self.index is not None:
                    self.index.update(paper, self.notes.get(paper_id))
        return changed

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

    # --- views and search -----------------------------------------------------------------------

    def view_counts(self) -> tuple[dict[str, int], Counter[str]]:
        """Counts per view and per tag, counted afresh over every paper.

        O(papers) (~0.1 s at 100k): faces call it off the UI thread, on opening and after many
        notes changed at once (a sync); one paper's change goes through `update_counts`.
        """
        with self._counts_lock:
            self._counts_touched = set()
        fresh = ViewCounts.of(self.corpus.ids, self.notes.all())
        with self._counts_lock:
            touched, self._counts_touched = self._counts_touched or set(), None
            for paper_id in touched:  # changed while we counted: count them as they are now
                fresh.update(paper_id, self.notes.get(paper_id))
            self._counts = fresh
            return fresh.snapshot()

    def current_counts(self) -> tuple[dict[str, int], Counter[str]]:
        """The counts kept up to date by `update_counts` (a full count the first time only)."""
        with self._counts_lock:
            counts = self._counts
            if counts is not None:
                return counts.snapshot()
        return self.view_counts()

    def update_counts(self, paper_ids: Iterable[str]) -> list[CountChange]:
        """These papers' notes changed: adjust the counts by each one's old and new state.

        Cheap (a few dict operations per paper), exact, and harmless for a paper that did not
        change or is not in the corpus (orphaned notes are never counted). Returns the status
        changes, for numbers a face derives from them (triage progress).
        """
        with self._counts_lock:
            if self._counts is None:
                return []  # nothing counted yet: the first `view_counts` sees these changes
            changes = []
            for paper_id in paper_ids:
                if paper_id not in self.corpus:
                    continue
                if self._counts_touched is not None:
                    self._counts_touched.add(paper_id)
                change = self._counts.update(paper_id, self.notes.get(paper_id))
                if change is not None:
                    changes.append(change)
            return changes

    def all_tags(self) -> Counter[str]:
        return self.current_counts()[1]

    def list_view(self, view: View = ALL) -> list[str]:
        """The IDs of a view in corpus order, without the index (instant at any size)."""
        annotations = self.notes.all()
        if view is ALL:
            return list(self.corpus.ids)
        return [
            pid for pid in self.corpus.ids if view.matches(annotations.get(pid) or Annotation(pid))
        ]

    def search(
        self,
        query: str,
        *,
        view: View = ALL,
        sort: str = "relevance",
        limit: int | None = 50,
        as_you_type: bool = False,
    ) -> SearchResults:
        index = self.open_index()
        text = query.strip()
        if view.query:
            text = f"{view.query} ({text})" if text else view.query
        return index.search(text, limit=limit, sort=sort, as_you_type=as_you_type)

    def similar(self, paper_id: str, limit: int = 10) -> list[Hit]:
        return self.open_index().similar(paper_id, limit=limit)

    def highlights(self, query: str, paper_ids: Sequence[str]) -> dict[str, Highlights]:
        """Title and whole abstract of each paper with `query`'s matches marked, as typed.

        It waits for a running search (the index serialises them): faces call it in the
        worker that searched, for the papers they are about to show. Empty without an index
        or a query.
        """
        if self.index is None or not query.strip():
            return {}
        return {
            paper_id: self.index.highlights(query, paper_id, as_you_type=True, whole=True)
            for paper_id in paper_ids
        }

    def sort_ids(self, paper_ids: Iterable[str], sort: str) -> list[str]:
        """`paper_ids` in a sort of `sorting.SORTS`; "relevance" keeps them as they came."""
        if sort == "relevance":
            return list(paper_ids)
        return sort_ids(self.corpus, paper_ids, sort)

    def problems(self) -> list[Problem]:
        """Everything `check` reports: corpus problems, bad notes files and orphaned notes."""
        known = set(self.corpus.ids)
        orphans = [self._orphan(paper_id) for paper_id in self.notes.orphans(known)]
        git: list[Problem] = []
        if driver_missing(self.root):
            git.append(
                Problem(
                    ".gitattributes",
                    None,
                    "this corpus's notes are in git but the paperdeck merge driver is not "
                    "set up for this clone, so git may conflict on notes files",
                    "run `paperdeck git-setup`",
                )
            )
        return [*self.corpus.problems, *self.notes.problems(), *orphans, *git]

    def _orphan(self, paper_id: str) -> Problem:
        """Notes no paper has: under an alias (an ID one of a paper's copies would give), say
        which paper they belong to now (README "Paper IDs")."""
        paper = self.corpus.by_alias(paper_id)
        if paper is not None:
            return Problem(
                f"notes/{paper_id}.toml",
                None,
                f"notes under another ID of paper {paper.id} (its copies were merged)",
                f"rename it to notes/{paper.id}.toml (merge the two by hand if both exist)",
            )
        return Problem(
            f"notes/{paper_id}.toml",
            None,
            "notes for a paper that is not in the corpus (kept, never deleted)",
            "restore the paper's file, or rename the notes file to the paper's new ID",
        )

    def file_clashes(self) -> list[FileClash]:
        """Notes files a stopped sync left for a person (one side could not be read)."""
        return find_file_clashes(self.root)

    def resolve_file_clash(
        self,
        clash: FileClash,
        choice: str | None = None,
        text: str | None = None,
        mode: str = "rebase",
    ) -> tuple[SyncReport, list[str]]:
        """Write the person's choice ("mine", "theirs", "both") or their edited file `text`,
        then sync again, which stages it and finishes the rebase or merge it had stopped."""
        if (choice is None) == (text is None):
            raise ValueError("give either a choice or the edited text")
        data = clash.resolution(choice) if choice is not None else (text or "").encode("utf-8")
        with self._sync_lock:  # one git operation at a time from this process
            state = self.notes.replace_file(clash.paper_id, data, clash.current)
            paper = self.corpus.get(clash.paper_id)
            if paper is not None and self.index is not None:
                self.index.update(paper, state)
            report, changed = self.sync(mode)
        return report, sorted({clash.paper_id, *changed})

    def sync(self, mode: str = "rebase") -> tuple[SyncReport, list[str]]:
        """Commit, pull and push the notes with git; re-read what changed elsewhere.

        Returns the report and the IDs of the papers whose notes changed.
        """
        if self.root.resolve() == bundled_sample_corpus().resolve():
            report = SyncReport(mode)
            report.problems.append(
                "this is the bundled sample corpus, inside paperdeck's own repository: sync is "
                "for your own corpus folder (open it with `paperdeck FOLDER`)"
            )
            return report, []
        with self._sync_lock:  # one git operation at a time from this process
            report = sync(self.root, mode)
        ids = dict.fromkeys([*report.changed_papers, *report.clashes, *report.unresolved_papers])
        changed = self.reload_notes(self.notes.folder / f"{paper_id}.toml" for paper_id in ids)
        return report, sorted(set(changed) | set(report.changed_papers))
