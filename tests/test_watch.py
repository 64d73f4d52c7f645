"""The notes watcher reports created, changed and deleted files, and git-style replacements."""

from __future__ import annotations

import os
from pathlib import Path

from paperdeck.library import Library
from paperdeck.notes.watch import NotesWatcher

GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"


def test_poll_reports_each_kind_of_change(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    watcher = NotesWatcher(notes)
    assert watcher.poll() == []  # no folder yet
    notes.mkdir()
    (notes / "a.toml").write_text("x")
    (notes / ".a.toml.tmp").write_text("ignored")
    assert watcher.poll() == [notes / "a.toml"]
    assert watcher.poll() == []
    # git replaces files by delete + create: a new inode is a change even with the same size
    (notes / "a.toml").unlink()
    (notes / "a.toml").write_text("y")
    os.utime(notes / "a.toml", ns=(1, 1))
    assert watcher.poll() == [notes / "a.toml"]
    (notes / "a.toml").unlink()
    assert watcher.poll() == [notes / "a.toml"]


def test_outside_edit_reaches_library_and_index(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy, with_index=True)
    watcher = NotesWatcher(library.notes.folder)
    other = Library.open(corpus_copy)  # a second paperdeck on the same corpus
    other.tag(GRAPHGPT, ["from-elsewhere"])
    changed = library.reload_notes(watcher.poll())
    assert changed == [GRAPHGPT]
    assert library.annotation(GRAPHGPT).tags == ("from-elsewhere",)
    hits = library.search("tag:from-elsewhere").hits
    assert [hit.paper_id for hit in hits] == [GRAPHGPT]
    # our own write is not reported as a change of the notes
    library.star(GRAPHGPT)
    assert library.reload_notes(watcher.poll()) == []
    library.close()
