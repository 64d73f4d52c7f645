"""The drafts of notes being typed: kept in the user state folder, recovered by a 3-way merge."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paperdeck.notes.drafts import STATE_DIR_ENV, DraftStore


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DraftStore:
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "state"))
    (tmp_path / "corpus").mkdir()
    return DraftStore(tmp_path / "corpus")


def test_a_draft_lives_in_the_state_folder_never_in_the_corpus(
    store: DraftStore, tmp_path: Path
) -> None:
    store.write("p1", "saved", "saved and typed")
    assert store.path_for("p1").is_relative_to(tmp_path / "state")
    assert not any((tmp_path / "corpus").rglob("*"))
    (draft,) = store.all()
    assert (draft.paper_id, draft.base, draft.text) == ("p1", "saved", "saved and typed")
    assert [p.name for p in store.folder.iterdir()] == ["p1.json"]  # no temp file left
    store.remove("p1")
    store.remove("p1")  # twice is fine
    assert store.all() == []


def test_each_corpus_has_its_own_drafts(tmp_path: Path, store: DraftStore) -> None:
    (tmp_path / "other").mkdir()
    store.write("p1", "", "one")
    assert DraftStore(tmp_path / "other").all() == []
    assert DraftStore(tmp_path / "corpus").load("p1") is not None


def test_recover_applies_the_draft_to_the_note_as_it_is_now(store: DraftStore) -> None:
    store.write("p1", "first", "first and typed")
    recovery = store.recover("p1", "first\n\nadded elsewhere")
    assert recovery is not None
    assert recovery.text == "first and typed\n\nadded elsewhere"
    assert recovery.changed_since and not recovery.conflict
    assert recovery.current == "first\n\nadded elsewhere"


def test_recover_never_overwrites_a_clashing_change(store: DraftStore) -> None:
    store.write("p1", "line", "line mine")
    recovery = store.recover("p1", "line theirs")
    assert recovery is not None and recovery.conflict
    assert "line mine" in recovery.text and "line theirs" in recovery.text


def test_a_draft_already_in_the_note_is_dropped(store: DraftStore) -> None:
    store.write("p1", "a", "a b")
    assert store.recover("p1", "a b") is None
    assert store.all() == []


def test_unreadable_drafts_are_skipped_and_kept(store: DraftStore) -> None:
    store.write("p1", "", "good")
    (store.folder / "bad.json").write_text("{not json", encoding="utf-8")
    (store.folder / "old.json").write_text('{"version": 99}', encoding="utf-8")
    assert [draft.text for draft in store.all()] == ["good"]
    assert (store.folder / "bad.json").exists()


def test_odd_paper_ids_get_safe_file_names(store: DraftStore) -> None:
    store.write("../../etc/passwd", "", "x")
    assert store.path_for("../../etc/passwd").parent == store.folder
    assert store.load("../../etc/passwd") is not None


def test_the_draft_store_imports_no_textual() -> None:
    code = "import paperdeck.notes.drafts, sys; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
