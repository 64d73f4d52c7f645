"""Undo: each kind of change taken back on disk, walking back, refusing to overwrite newer
changes, a damaged or missing journal, its bound, and the CLI and the core sharing one journal."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.library import Library
from paperdeck.notes.store import NotesStore
from paperdeck.notes.undo import LOCK_FILE, MAX_ENTRIES, NOTE_COALESCE_SECONDS, UndoJournal
from paperdeck.notes.undo_entry import UndoEntry

GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"
BOOT = "boot-data-free-distillation-of-denoising-5e69af63"


def on_disk(corpus: Path, paper_id: str) -> dict[str, Any]:
    """The notes file as a fresh reader sees it ({} when there is none)."""
    path = corpus / "notes" / f"{paper_id}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def state(corpus: Path, paper_id: str) -> tuple[bool, str, list[str], str]:
    data = on_disk(corpus, paper_id)
    return (
        bool(data.get("starred", False)),
        str(data.get("status", "unread")),
        list(data.get("tags", [])),
        str(data.get("note", "")),
    )


def journal_file(corpus: Path) -> Path:
    return corpus / ".paperdeck" / "undo" / "journal.json"


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


CHANGES: dict[str, Callable[[Library], object]] = {
    "star": lambda lib: lib.star(GRAPHGPT),
    "status": lambda lib: lib.set_status(GRAPHGPT, "later"),
    "tags": lambda lib: lib.tag(GRAPHGPT, ["survey"], ["graphs"]),
    "note": lambda lib: lib.set_note(GRAPHGPT, "second thoughts"),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_each_kind_of_change_is_undone_on_disk(corpus_copy: Path, kind: str) -> None:
    library = Library.open(corpus_copy)
    library.tag(GRAPHGPT, ["graphs", "todo"])
    library.set_note(GRAPHGPT, "first thoughts")
    library.set_status(GRAPHGPT, "reading")
    before = state(corpus_copy, GRAPHGPT)
    before_file = on_disk(corpus_copy, GRAPHGPT)
    CHANGES[kind](library)
    assert state(corpus_copy, GRAPHGPT) != before

    outcome = library.undo()

    assert outcome.undone and outcome.paper_id == GRAPHGPT
    assert outcome.message.startswith(f"Undid the {kind} change of {GRAPHGPT} GraphGPT")
    assert state(corpus_copy, GRAPHGPT) == before
    assert on_disk(corpus_copy, GRAPHGPT) == before_file  # the times too, exactly as they were
    assert library.annotation(GRAPHGPT).tags == tuple(before[2])


def test_tag_undo_restores_exactly_the_previous_tags_and_says_what_it_undid(
    corpus_copy: Path,
) -> None:
    library = Library.open(corpus_copy)
    library.tag(GRAPHGPT, ["graphs", "todo", "llm"])
    library.tag(GRAPHGPT, ["survey"], ["todo", "llm"])
    assert state(corpus_copy, GRAPHGPT)[2] == ["graphs", "survey"]

    outcome = library.undo()

    assert outcome.message.endswith(
        ": removed #survey, added back #llm #todo (now #graphs #llm #todo)"
    )
    assert state(corpus_copy, GRAPHGPT)[2] == ["graphs", "llm", "todo"]


def test_undo_messages_say_what_the_paper_holds_now(corpus_copy: Path) -> None:
    """Each message names the change undone and the value the field is back to, never the
    change itself as if it had just been made ("unstarred" for an undone unstar)."""
    library = Library.open(corpus_copy)
    title = library.paper(GRAPHGPT).title
    library.star(GRAPHGPT)
    library.star(GRAPHGPT, False)
    assert library.undo().message == f"Undid the star change of {GRAPHGPT} {title}: starred again"
    assert library.undo().message.endswith(": star removed again")
    library.set_status(GRAPHGPT, "read")
    assert library.undo().message.endswith(": status back to unread (was read)")
    library.set_note(GRAPHGPT, "13 characters")
    assert library.undo().message.endswith(": back to empty (was 13 characters)")
    library.tag(GRAPHGPT, ["survey"])
    assert library.undo().message.endswith(": removed #survey (now no tags)")
    assert state(corpus_copy, GRAPHGPT) == (False, "unread", [], "")


def test_cli_undo_of_an_unstar_says_starred_again(corpus_copy: Path) -> None:
    assert cli("star", GRAPHGPT, "--corpus", str(corpus_copy)).exit_code == 0
    assert cli("star", GRAPHGPT, "--off", "--corpus", str(corpus_copy)).exit_code == 0
    result = cli("undo", "--corpus", str(corpus_copy))
    assert result.exit_code == 0
    assert result.output.startswith(f"Undid the star change of {GRAPHGPT}")
    assert result.output.rstrip().endswith(": starred again")
    assert state(corpus_copy, GRAPHGPT)[0] is True


def test_repeated_undo_walks_back_through_earlier_changes(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.star(GRAPHGPT)
    library.tag(BOOT, ["distillation"])
    library.set_status(GRAPHGPT, "read")
    library.star(GRAPHGPT)  # unstar again
    library.set_status(GRAPHGPT, "read")  # a change that changes nothing is not recorded

    messages = [library.undo().message for _ in range(5)]

    assert [m.split(" of ")[0] for m in messages[:4]] == [
        "Undid the star change",
        "Undid the status change",
        "Undid the tags change",
        "Undid the star change",
    ]
    assert messages[4] == "Nothing to undo."
    assert state(corpus_copy, GRAPHGPT) == (False, "unread", [], "")
    assert state(corpus_copy, BOOT) == (False, "unread", [], "")


def test_an_undo_is_not_itself_recorded(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.star(GRAPHGPT)
    library.undo()
    assert library.journal.entries() == []
    assert library.undo().message == "Nothing to undo."
    assert state(corpus_copy, GRAPHGPT)[0] is False


def test_undo_refuses_when_another_process_changed_the_note_since(corpus_copy: Path) -> None:
    """A changes the note, B (another process: its own store) changes it again: undo of A's
    change must not drop B's text."""
    library = Library.open(corpus_copy)
    library.tag(BOOT, ["older"])
    library.set_note(GRAPHGPT, "A's text")
    other = NotesStore(corpus_copy)
    other.load()
    other.update(GRAPHGPT, "", lambda a: a.with_note("B's text"))
    file_before = (corpus_copy / "notes" / f"{GRAPHGPT}.toml").read_bytes()

    outcome = library.undo()

    assert not outcome.undone and outcome.paper_id == GRAPHGPT
    assert "changed since" in outcome.message and "note 8 characters" in outcome.message
    assert (corpus_copy / "notes" / f"{GRAPHGPT}.toml").read_bytes() == file_before
    assert state(corpus_copy, GRAPHGPT)[3] == "B's text"
    # the refused change is dropped: the next undo takes back the one before it
    assert library.undo().message.startswith(f"Undid the tags change of {BOOT}")
    assert state(corpus_copy, BOOT)[2] == []
    assert state(corpus_copy, GRAPHGPT)[3] == "B's text"


def test_undo_refuses_a_hand_edit_of_the_same_field_but_not_of_another(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.star(GRAPHGPT)
    path = corpus_copy / "notes" / f"{GRAPHGPT}.toml"
    path.write_text(path.read_text() + '\nnote = "typed by hand"\n')

    outcome = library.undo()  # the star is as it was left: undoing it loses nothing

    assert outcome.undone
    assert state(corpus_copy, GRAPHGPT) == (False, "unread", [], "typed by hand")

    library.set_status(GRAPHGPT, "later")
    path.write_text(path.read_text().replace('status = "later"', 'status = "read"'))
    refused = library.undo()
    assert not refused.undone and "status read" in refused.message
    assert state(corpus_copy, GRAPHGPT)[1] == "read"


def test_undo_keeps_the_change_while_the_notes_file_is_read_only(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.star(GRAPHGPT)
    path = corpus_copy / "notes" / f"{GRAPHGPT}.toml"
    good = path.read_bytes()
    path.write_text("this is = not toml [")

    outcome = library.undo()

    assert not outcome.undone and "read-only" in outcome.message
    assert path.read_text() == "this is = not toml ["
    path.write_bytes(good)  # fixed: the undo is still there to be done
    assert library.undo().undone
    assert state(corpus_copy, GRAPHGPT)[0] is False


def test_no_journal_is_nothing_to_undo(corpus_copy: Path) -> None:
    outcome = Library.open(corpus_copy).undo()
    assert not outcome.undone and outcome.paper_id is None
    assert outcome.message == "Nothing to undo."


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b'{"version": 1, "entries": [{"paper_id": 3}]}',
        b'{"version": 1, "entries": [{"paper_id": "p", "title": "", "at": 1, '
        b'"before": {"status": "nonsense"}, "after": {"status": "later"}}]}',
        b'{"version": 99, "entries": []}',
        b"[]",
    ],
)
def test_a_damaged_journal_is_nothing_to_undo_then_starts_afresh(
    corpus_copy: Path, content: bytes
) -> None:
    library = Library.open(corpus_copy)
    library.star(GRAPHGPT)
    journal_file(corpus_copy).write_bytes(content)

    outcome = library.undo()

    assert not outcome.undone
    assert outcome.message.startswith("Nothing to undo: the undo history")
    assert "journal.json" in outcome.message and "starts afresh" in outcome.message
    assert state(corpus_copy, GRAPHGPT)[0] is True  # nothing was touched
    library.set_status(GRAPHGPT, "later")
    assert library.undo().undone
    assert state(corpus_copy, GRAPHGPT)[:2] == (True, "unread")


def test_the_journal_keeps_only_the_newest_changes(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    for number in range(MAX_ENTRIES + 5):
        library.tag(GRAPHGPT, [f"t{number}"])
    entries = library.journal.entries()
    assert len(entries) == MAX_ENTRIES
    assert "t5" in entries[0].after["tags"] and "t5" not in entries[0].before["tags"]
    assert len(json.loads(journal_file(corpus_copy).read_text())["entries"]) == MAX_ENTRIES


def test_note_saves_in_quick_succession_are_one_change(corpus_copy: Path) -> None:
    now = [1000.0]
    library = Library.open(corpus_copy)
    library._journal = UndoJournal(corpus_copy, clock=lambda: now[0])
    library.set_note(GRAPHGPT, "first")
    for text in ("first draft", "first draft, then"):  # the editor saving after each pause
        now[0] += 2
        library.set_note(GRAPHGPT, text)
    now[0] += NOTE_COALESCE_SECONDS + 1
    library.set_note(GRAPHGPT, "much later")

    assert library.undo().undone
    assert state(corpus_copy, GRAPHGPT)[3] == "first draft, then"
    assert library.undo().undone
    assert state(corpus_copy, GRAPHGPT)[3] == ""
    assert library.undo().message == "Nothing to undo."


def test_note_saves_by_two_processes_are_two_changes(corpus_copy: Path) -> None:
    assert cli("note", GRAPHGPT, "-m", "from a shell", "--corpus", str(corpus_copy)).exit_code == 0
    library = Library.open(corpus_copy)
    library.set_note(GRAPHGPT, "from a shell, then the app")  # seconds later, another process

    assert library.undo().undone
    assert state(corpus_copy, GRAPHGPT)[3] == "from a shell"
    assert cli("undo", "--corpus", str(corpus_copy)).exit_code == 0
    assert state(corpus_copy, GRAPHGPT)[3] == ""


def _journal_is_free(journal: UndoJournal) -> bool:
    """Whether another process could take the journal now (a probe of its lock file)."""
    folder = journal.folder()
    assert folder is not None
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_undo_walks_back_editor_saves_interleaved_with_cli_appends(corpus_copy: Path) -> None:
    """The app's note editor saves (on disk, merging) while a shell appends to the same note
    right after each save: every append lands between the app's write and its next one. Undo
    must then go back one state at a time through all of them to the original note. (The
    journal used to be written after the notes lock was let go, so an append could be recorded
    before the save it followed: that save's undo was refused and every one behind it too.)"""
    original = "alpha\nsecond line"
    Library.open(corpus_copy).set_note(GRAPHGPT, original)
    app = Library.open(corpus_copy)
    shell = Library.open(corpus_copy)  # another process: its own store and journal
    states = [original]
    waiting: list[threading.Thread] = []

    def shell_append(number: int) -> None:  # what `paperdeck note ID --append APPn` does
        current = str(on_disk(corpus_copy, GRAPHGPT).get("note", ""))
        states.append(
            shell.set_note(GRAPHGPT, f"{current.rstrip()}\n\nAPP{number}").annotation.note
        )

    real_update = app.notes.update

    def update_then_shell_appends(*args: Any, **kwargs: Any) -> Any:
        result = real_update(*args, **kwargs)  # the app's save is on disk, its lock let go
        states.append(result.annotation.note)
        number = len(states) // 2
        if _journal_is_free(app.journal):
            shell_append(number)  # the shell comes in at once
        else:  # the shell waits for the journal, as a real one would
            waiting.append(threading.Thread(target=shell_append, args=(number,)))
            waiting[-1].start()
        return result

    app.notes.update = update_then_shell_appends
    base = text = original
    for word in range(1, 11):  # the editor saving after each pause, a word typed each time
        first, rest = text.split("\n", 1)
        text = f"{first} w{word}\n{rest}"
        edit = app.save_note_edit(GRAPHGPT, base, text)
        for thread in waiting:
            thread.join()
        waiting.clear()
        assert edit.written
        base = text = edit.note
    app.notes.update = real_update
    assert len(states) == 21 and len(set(states)) == 21
    assert states[-1] == str(on_disk(corpus_copy, GRAPHGPT)["note"])
    assert "w10" in states[-1] and "APP10" in states[-1]

    for expected in reversed(states[:-1]):
        outcome = app.undo()
        assert outcome.undone, outcome.message
        assert str(on_disk(corpus_copy, GRAPHGPT).get("note", "")) == expected
    assert state(corpus_copy, GRAPHGPT)[3] == original
    assert app.undo().undone  # the original note itself, set before the editing began
    assert app.undo().message == "Nothing to undo."


def _entry(
    note_before: str, note_after: str, at: float, source: str = "app", paper: str = GRAPHGPT
) -> UndoEntry:
    return UndoEntry(paper, "", at, {"note": note_before}, {"note": note_after}, source)


@pytest.mark.parametrize(
    ("earlier", "joined"),
    [
        ([_entry("a", "a b", 10.0)], True),
        ([_entry("a", "a b", 10.0, source="shell")], False),  # another process's entry
        ([_entry("a", "a b", 10.0, paper=BOOT)], False),  # another paper
        ([_entry("a", "a b!", 10.0)], False),  # its "after" is not where this save began
        ([_entry("a", "a b", 10.0 - NOTE_COALESCE_SECONDS - 1)], False),  # too long ago
        # the app's own save, but not the newest: a shell's change came in between
        ([_entry("a", "a x", 8.0), _entry("a x", "a b", 9.0, source="shell")], False),
        (
            [
                UndoEntry(
                    GRAPHGPT,
                    "",
                    10.0,
                    {"note": "a", "tags": []},
                    {"note": "a b", "tags": ["t"]},
                    "app",
                )
            ],
            False,
        ),  # not a note save only
    ],
)
def test_a_note_save_joins_only_the_newest_entry_it_follows_on_from(
    corpus_copy: Path, earlier: list[UndoEntry], joined: bool
) -> None:
    journal = UndoJournal(corpus_copy)
    save = _entry("a b", "a b c", 12.0)

    entries = journal._add(list(earlier), save)

    if joined:
        assert entries == [_entry("a", "a b c", 12.0)]
    else:
        assert entries == [*earlier, save]


def test_a_change_made_by_the_cli_is_undone_by_an_open_library(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)  # open before the CLI's change, as the app would be
    assert cli("tag", GRAPHGPT, "+survey", "--corpus", str(corpus_copy)).exit_code == 0
    assert cli("star", GRAPHGPT, "--corpus", str(corpus_copy)).exit_code == 0

    assert library.undo().message.startswith(f"Undid the star change of {GRAPHGPT}")
    assert state(corpus_copy, GRAPHGPT) == (False, "unread", ["survey"], "")
    assert library.undo().message.startswith(f"Undid the tags change of {GRAPHGPT}")
    assert state(corpus_copy, GRAPHGPT) == (False, "unread", [], "")


def test_a_change_made_by_a_library_is_undone_by_the_cli(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.set_note(GRAPHGPT, "from the app")
    assert cli("status", BOOT, "read", "--corpus", str(corpus_copy)).exit_code == 0

    first = cli("undo", "--corpus", str(corpus_copy))
    second = cli("undo", "--corpus", str(corpus_copy))
    third = cli("undo", "--corpus", str(corpus_copy))

    assert first.exit_code == 0 and first.output.startswith(f"Undid the status change of {BOOT}")
    assert second.exit_code == 0
    assert second.output.startswith(f"Undid the note change of {GRAPHGPT} GraphGPT")
    assert third.exit_code == 1 and third.output == "Nothing to undo.\n"
    assert state(corpus_copy, GRAPHGPT)[3] == "" and state(corpus_copy, BOOT)[1] == "unread"


def test_cli_undo_takes_the_corpus_as_its_first_argument(corpus_copy: Path) -> None:
    assert cli("star", GRAPHGPT, "--corpus", str(corpus_copy)).exit_code == 0
    result = cli("undo", str(corpus_copy))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Undid the star change of {GRAPHGPT}")
    assert state(corpus_copy, GRAPHGPT)[0] is False


def test_cli_undo_refusal_exits_1_with_the_reason(corpus_copy: Path) -> None:
    assert cli("note", GRAPHGPT, "-m", "mine", "--corpus", str(corpus_copy)).exit_code == 0
    other = NotesStore(corpus_copy)
    other.load()
    other.update(GRAPHGPT, "", lambda a: a.with_note("theirs"))

    result = cli("undo", "--corpus", str(corpus_copy))

    assert result.exit_code == 1
    assert "Cannot undo the note change" in result.output and "Traceback" not in result.output
    assert state(corpus_copy, GRAPHGPT)[3] == "theirs"


def test_cli_undo_with_a_damaged_journal_says_so(corpus_copy: Path) -> None:
    assert cli("star", GRAPHGPT, "--corpus", str(corpus_copy)).exit_code == 0
    journal_file(corpus_copy).write_text("garbage")
    result = cli("undo", "--corpus", str(corpus_copy))
    assert result.exit_code == 1
    assert "damaged" in result.output and "Traceback" not in result.output


def test_the_undo_core_imports_no_textual() -> None:
    code = "import sys, paperdeck.library, paperdeck.notes.undo; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_unwritable_corpus_keeps_the_history_in_the_user_cache(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERDECK_CACHE_DIR", str(tmp_path / "cache"))
    (corpus_copy / ".paperdeck").write_text("a file where the folder should be")
    Library.open(corpus_copy).star(GRAPHGPT)
    assert list((tmp_path / "cache").rglob("journal.json"))

    result = cli("undo", "--corpus", str(corpus_copy))  # another process finds the same history

    assert result.exit_code == 0
    assert result.output.startswith(f"Undid the star change of {GRAPHGPT}")
    assert state(corpus_copy, GRAPHGPT)[0] is False


def test_nowhere_to_keep_a_history_still_saves_changes(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "blocked-cache").write_text("blocked")
    monkeypatch.setenv("PAPERDECK_CACHE_DIR", str(tmp_path / "blocked-cache"))
    (corpus_copy / ".paperdeck").write_text("blocked")
    library = Library.open(corpus_copy)

    assert library.star(GRAPHGPT).written
    outcome = library.undo()

    assert not outcome.undone and outcome.message.startswith("Nothing to undo (no undo history")
    assert state(corpus_copy, GRAPHGPT)[0] is True
