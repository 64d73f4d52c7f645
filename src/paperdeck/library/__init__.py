"""The one object every face (CLI, TUI) talks to: a corpus and all paperdeck knows of it.

It ties the corpus (papers, read-only), the notes store (the user's data, the source of truth)
and the search index (derived, rebuilt at will). Faces never read or write files themselves.

The faces import the core only through this module: it also names the types and constants they
need (`__all__`), so the packages behind it can move without the faces changing.
"""

from __future__ import annotations

from paperdeck.config import Config
from paperdeck.corpus.corpus import PaperNotFound
from paperdeck.corpus.paper import Paper
from paperdeck.fetching import ARXIV_DELAY, FetchError
from paperdeck.importing import ImportReport
from paperdeck.library.adding import Adding
from paperdeck.library.arrivals import Arrivals
from paperdeck.library.batch import Batching, BatchResult
from paperdeck.library.core import (
    CORPUS_ENV,
    NoteEdit,
    bundled_sample_corpus,
    check_notes_file,
    resolve_corpus_path,
)
from paperdeck.library.predicting import Predicting
from paperdeck.library.statistics import Statistics
from paperdeck.library.syncing import Syncing
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
from paperdeck.notes.store import NotesFolderIsAFile, NotesReadOnly, SaveResult
from paperdeck.notes.toml_format import NotesFileError
from paperdeck.notes.undo import UndoOutcome
from paperdeck.problems import Problem
from paperdeck.search.highlight import Highlights
from paperdeck.search.index import Hit, SearchResults
from paperdeck.search.words import WORD, holds_words, match_spans
from paperdeck.sync.file_clash import CHOICES as FILE_CLASH_CHOICES
from paperdeck.sync.file_clash import FileClash, FileSide
from paperdeck.sync.mergedriver import merge_notes_files
from paperdeck.sync.note_clash import Clash, has_clash
from paperdeck.sync.note_clash import parse as parse_clash
from paperdeck.sync.note_clash import resolve as resolve_clash
from paperdeck.sync.note_clash import side as clash_side
from paperdeck.sync.repo import GitError, NotARepository
from paperdeck.sync.run import MODES as SYNC_MODES
from paperdeck.sync.run import SyncReport, git_setup
from paperdeck.triage.predict import Prediction
from paperdeck.triage.session import SessionState
from paperdeck.triage.stats import DayCount, Stats

__all__ = [
    "ARXIV_DELAY",
    "CORPUS_ENV",
    "DEFAULT_STATUS",
    "FILE_CLASH_CHOICES",
    "STATUSES",
    "SYNC_MODES",
    "WORD",
    "Annotation",
    "BatchResult",
    "Clash",
    "Config",
    "DayCount",
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
    "Prediction",
    "Problem",
    "Recovery",
    "SaveResult",
    "SearchResults",
    "SessionState",
    "Stats",
    "SyncReport",
    "UndoOutcome",
    "bundled_sample_corpus",
    "check_notes_file",
    "clash_side",
    "git_setup",
    "has_clash",
    "holds_words",
    "match_spans",
    "merge_notes_files",
    "merge_text",
    "normalise_tag",
    "normalise_tags",
    "parse_clash",
    "resolve_clash",
    "resolve_corpus_path",
    "split_tags",
]


class Library(Predicting, Syncing, Adding, Batching, Arrivals, Statistics):
    """A corpus folder with its notes and (once opened) its search index: the parts of the
    package in one object (`core`: opening and the user's data; `listing`: views, search and
    problems; `syncing`: git; `adding`: import and fetch; `batch`: one change to many papers;
    `session`: where the user left off; `arrivals`: first seen, New/day/source views;
    `statistics`: the stats screen's numbers; `predicting`: the "predicted" sort)."""
