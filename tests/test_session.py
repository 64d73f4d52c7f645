"""The session: saved and restored per corpus in the user state folder (never in notes), a
damaged file ignored with a message, session starts kept one back for the "New" view."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from paperdeck.library import Library, SessionState
from paperdeck.notes.drafts import STATE_DIR_ENV


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv(STATE_DIR_ENV, str(folder))
    return folder


def test_the_session_survives_a_restart(corpus_copy: Path, state: Path) -> None:
    library = Library.open(corpus_copy)
    assert library.session_state() == SessionState()
    saved = SessionState(
        "tag:graphs", "diffusion", "date", library.corpus.ids[3], {"compact": True}
    )
    assert library.save_session_state(saved) is None

    again = Library.open(corpus_copy).session_state()

    assert again == saved and again.extra == {"compact": True}
    assert not (corpus_copy / "notes").exists()  # user state, not notes
    assert list(state.glob("sessions/corpus-*/session.json"))


def test_each_corpus_has_its_own_session(tmp_path: Path, corpus_copy: Path, state: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    Library.open(corpus_copy).save_session_state(SessionState(query="mine"))
    assert Library.open(other).session_state().query == ""


@pytest.mark.parametrize(
    "text",
    ["{not json", '{"version": 99}', '{"version": 1, "state": {"view": 3}}', '"text"', "\xff"],
)
def test_a_damaged_session_file_is_ignored_with_a_message(
    corpus_copy: Path, state: Path, text: str
) -> None:
    library = Library.open(corpus_copy)
    library.save_session_state(SessionState(query="x"))
    (path,) = state.glob("sessions/*/session.json")
    path.write_bytes(text.encode("utf-8", "surrogateescape") if text != "\xff" else b"\xff\xfe")

    loaded = library.session_state()

    assert loaded.query == "" and loaded.view == "all"
    assert "The saved session was ignored" in loaded.message and str(path) in loaded.message
    assert library.save_session_state(SessionState(query="y")) is None  # and it heals
    assert library.session_state().query == "y"


def test_an_unwritable_state_folder_gives_a_message(corpus_copy: Path, state: Path) -> None:
    state.parent.mkdir(exist_ok=True)
    state.write_text("a file where the folder belongs", encoding="utf-8")
    library = Library.open(corpus_copy)
    message = library.save_session_state(SessionState())
    assert message is not None and "could not be saved" in message
    library.begin_session()  # never raises
    assert library.previous_session_start() is None


def test_session_starts_keep_the_previous_one(corpus_copy: Path, state: Path) -> None:
    library = Library.open(corpus_copy)
    first = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    second = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    assert library.previous_session_start() is None
    library.begin_session(first)
    assert library.previous_session_start() is None  # the first session has none before it
    library.begin_session(second)
    assert Library.open(corpus_copy).previous_session_start() == first
