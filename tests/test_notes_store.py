"""The notes store: atomic writes, never clobbering, bad files read-only, and real processes."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from paperdeck.atomic import atomic_write_bytes, is_temp_name, remove_stray_temp_files
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.store import NotesReadOnly, NotesStore
from paperdeck.notes.toml_format import NotesEncodeError, loads_annotation

WORKER = Path(__file__).with_name("notes_worker.py")
T0 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path


def loaded(root: Path) -> NotesStore:
    store = NotesStore(root)
    store.load()
    return store


def write(root: Path, paper_id: str, content: str | bytes) -> Path:
    folder = root / "notes"
    folder.mkdir(exist_ok=True)
    path = folder / f"{paper_id}.toml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


# --- basics ----------------------------------------------------------------------------------


def test_no_folder_no_notes(root: Path) -> None:
    store = loaded(root)
    assert store.get("p") == Annotation("p")
    assert store.all() == {} and store.problems() == [] and store.read_only_reason("p") is None
    assert not (root / "notes").exists()


def test_first_change_creates_the_file_with_the_title(root: Path) -> None:
    store = loaded(root)
    result = store.update("p", "A Paper", lambda a: a.with_star(True, T0))
    assert result.written and not result.merged and not result.conflict
    assert result.path == root / "notes" / "p.toml"
    assert result.path.read_text() == (
        'schema = 1\nid = "p"\ntitle = "A Paper"\n\nstarred = true\n'
        "starred_at = 2026-11-23T09:30:00Z\n"
    )
    assert store.get("p") == result.annotation
    assert loaded(root).all() == {"p": result.annotation}


def test_no_change_writes_nothing(root: Path) -> None:
    store = loaded(root)
    result = store.update("p", "T", lambda a: a)
    assert not result.written and not (root / "notes" / "p.toml").exists()
    store.update("p", "T", lambda a: a.with_tags(add=["x"]))
    path = root / "notes" / "p.toml"
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    again = store.update("p", "T", lambda a: a.with_tags(add=["x"]))
    assert not again.written and path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_emptied_notes_keep_their_file(root: Path) -> None:
    store = loaded(root)
    store.update("p", "T", lambda a: a.with_tags(add=["x"]))
    result = store.update("p", "T", lambda a: a.with_tags(remove=["x"]))
    assert result.annotation.is_empty and result.written
    assert (root / "notes" / "p.toml").read_text() == 'schema = 1\nid = "p"\ntitle = "T"\n'


def test_title_is_updated_from_the_corpus(root: Path) -> None:
    store = loaded(root)
    store.update("p", "Old", lambda a: a.with_tags(add=["x"]))
    assert store.update("p", "New", lambda a: a).annotation.title == "New"
    assert 'title = "New"' in (root / "notes" / "p.toml").read_text()


def test_invalid_ids_are_refused(root: Path) -> None:
    store = loaded(root)
    for bad_id in ["", "../x", "a/b", ".hidden", "x y"]:
        with pytest.raises(ValueError):
            store.update(bad_id, "T", lambda a: a.with_tags(add=["x"]))


def test_unencodable_note_is_refused_before_any_write(root: Path) -> None:
    store = loaded(root)
    store.update("p", "T", lambda a: a.with_note("fine"))
    before = (root / "notes" / "p.toml").read_bytes()
    with pytest.raises(NotesEncodeError, match="surrogate"):
        store.update("p", "T", lambda a: a.with_note("bad \ud800"))
    assert (root / "notes" / "p.toml").read_bytes() == before
    assert store.get("p").note == "fine"
    assert not [n for n in os.listdir(root / "notes") if n.endswith(".tmp")]


def test_a_failing_change_writes_nothing(root: Path) -> None:
    store = loaded(root)

    def boom(a: Annotation) -> Annotation:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        store.update("p", "T", boom)
    assert not (root / "notes" / "p.toml").exists()


def test_file_mode_is_kept(root: Path) -> None:
    store = loaded(root)
    store.update("p", "T", lambda a: a.with_tags(add=["x"]))
    path = root / "notes" / "p.toml"
    path.chmod(0o600)
    store.update("p", "T", lambda a: a.with_tags(add=["y"]))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_orphans_are_listed_never_deleted(root: Path) -> None:
    store = loaded(root)
    store.update("gone", "T", lambda a: a.with_tags(add=["x"]))
    store.update("here", "T", lambda a: a.with_tags(add=["x"]))
    write(root, "broken", "not toml")
    store.load()
    assert store.orphans({"here"}) == ["broken", "gone"]
    assert (root / "notes" / "gone.toml").exists()


def test_lock_and_temp_files_are_not_notes(root: Path) -> None:
    store = loaded(root)
    store.update("p", "T", lambda a: a.with_tags(add=["x"]))
    assert (root / "notes" / ".lock").exists()
    assert set(loaded(root).all()) == {"p"}


# --- never clobber ---------------------------------------------------------------------------


def test_outside_edit_is_merged_not_clobbered(root: Path) -> None:
    store = loaded(root)
    store.update("p", "T", lambda a: a.with_tags(add=["mine"]).with_note("hello"))
    path = root / "notes" / "p.toml"
    path.write_text(
        path.read_text().replace('"mine",', '"mine",\n    "theirs",') + '\nhand = "kept"\n'
    )
    result = store.update("p", "T", lambda a: a.with_status("read", T0))
    assert result.merged and not result.conflict and "merged" in result.message
    got = loads_annotation(path.read_text(), "x")
    assert got.tags == ("mine", "theirs") and got.status == "read" and got.note == "hello"
    assert dict(got.extra) == {"hand": "kept"}


def test_other_store_changes_are_merged(root: Path) -> None:
    one, two = loaded(root), loaded(root)
    one.update("p", "T", lambda a: a.with_tags(add=["one"]))
    two.update("p", "T", lambda a: a.with_tags(add=["two"]))
    one.update("p", "T", lambda a: a.with_star(True, T0))
    final = loaded(root).get("p")
    assert final.tags == ("one", "two") and final.starred


def test_note_clash_keeps_both_and_reports(root: Path) -> None:
    one, two = loaded(root), loaded(root)
    one.update("p", "T", lambda a: a.with_note("base"))
    two.load()
    one.update("p", "T", lambda a: a.with_note("from one"))
    result = two.update("p", "T", lambda a: a.with_note("from two"))
    assert result.conflict and "clash" in result.message
    note = loads_annotation((root / "notes" / "p.toml").read_text(), "x").note
    assert note == "<<<<<<< paperdeck\nfrom two\n=======\nfrom one\n>>>>>>> on disk"
    assert loaded(root).read_only_reason("p") is None  # markers inside the note are just text


def test_file_deleted_on_disk_honours_the_deletion_but_keeps_our_change(root: Path) -> None:
    store = loaded(root)
    store.update("p", "T", lambda a: a.with_tags(add=["old"]))
    (root / "notes" / "p.toml").unlink()
    result = store.update("p", "T", lambda a: a.with_tags(add=["new"]))
    assert result.merged and result.annotation.tags == ("new",)


def test_file_appearing_after_load_is_merged(root: Path) -> None:
    store = loaded(root)
    write(root, "p", 'schema = 1\nid = "p"\ntags = ["there"]\n')
    store.update("p", "T", lambda a: a.with_tags(add=["here"]))
    assert loaded(root).get("p").tags == ("here", "there")


# --- bad files: read-only, reported, never rewritten ----------------------------------------

BAD_FILES: list[tuple[str, bytes, int | None, str]] = [
    ("invalid-toml", b'schema = 1\nid = "invalid-toml"\ntags = [oops\n', 3, "invalid TOML"),
    (
        "conflict",
        b'schema = 1\nid = "conflict"\n<<<<<<< HEAD\nstatus = "read"\n=======\n'
        b'status = "later"\n>>>>>>> main\n',
        3,
        "conflict markers",
    ),
    ("wrong-type", b'schema = 1\nid = "wrong-type"\n\nstarred = "yes"\n', 4, "starred must be"),
    ("bad-status", b'schema = 1\nid = "bad-status"\nstatus = "done"\n', 3, "is not one of"),
    ("newer", b'schema = 2\nid = "newer"\n', 1, "newer paperdeck"),
    ("empty", b"", 1, "empty notes file"),
    ("bad-bytes", b'schema = 1\nid = "bad-bytes"\nnote = "caf\xe9"\n', 3, "not valid UTF-8"),
    ("mismatch", b'schema = 1\nid = "something-else"\n', 2, "does not match the file name"),
    ("no-id", b'schema = 1\ntitle = "x"\n', 1, "no id"),
]


@pytest.mark.parametrize(
    ("paper_id", "content", "line", "words"), BAD_FILES, ids=[case[0] for case in BAD_FILES]
)
def test_bad_file_makes_only_that_paper_read_only(
    root: Path, paper_id: str, content: bytes, line: int | None, words: str
) -> None:
    path = write(root, paper_id, content)
    write(root, "good", 'schema = 1\nid = "good"\ntags = ["ok"]\n')
    store = loaded(root)
    reason = store.read_only_reason(paper_id)
    assert reason is not None and words in reason
    assert reason.startswith(f"notes/{paper_id}.toml line {line}, column ")
    [problem] = store.problems()
    assert (problem.path, problem.line) == (f"notes/{paper_id}.toml", line)
    assert words in problem.message and problem.message.startswith("column ") and problem.hint
    with pytest.raises(NotesReadOnly) as caught:
        store.update(paper_id, "T", lambda a: a.with_tags(add=["x"]))
    assert str(caught.value) == reason
    assert path.read_bytes() == content
    assert store.update("good", "G", lambda a: a.with_tags(add=["more"])).written
    assert store.get("good").tags == ("more", "ok")


def test_symlinked_notes_file_is_read_only(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text('schema = 1\nid = "p"\n')
    (root / "notes").mkdir()
    (root / "notes" / "p.toml").symlink_to(target)
    store = loaded(root)
    assert "symbolic link" in (store.read_only_reason("p") or "")
    with pytest.raises(NotesReadOnly):
        store.update("p", "T", lambda a: a.with_tags(add=["x"]))
    assert (root / "notes" / "p.toml").is_symlink()
    assert target.read_text() == 'schema = 1\nid = "p"\n'


def test_badly_named_file_is_reported(root: Path) -> None:
    write(root, "Not An ID", 'id = "x"\n')
    store = loaded(root)
    [problem] = store.problems()
    assert problem.path == "notes/Not An ID.toml" and "not a paper ID" in problem.message
    assert store.orphans(set()) == []


def test_file_that_goes_bad_keeps_the_last_good_state_and_recovers(root: Path) -> None:
    store = loaded(root)
    store.update("p", "T", lambda a: a.with_tags(add=["x"]))
    path = root / "notes" / "p.toml"
    good = path.read_text()
    path.write_text(good + "<<<<<<< HEAD\n")
    with pytest.raises(NotesReadOnly):
        store.update("p", "T", lambda a: a.with_tags(add=["y"]))
    assert path.read_text() == good + "<<<<<<< HEAD\n"
    assert store.get("p").tags == ("x",)
    path.write_text(good.replace('"x",', '"x",\n    "z",'))
    result = store.update("p", "T", lambda a: a.with_tags(add=["y"]))
    assert result.annotation.tags == ("x", "y", "z")
    assert store.read_only_reason("p") is None


# --- reload after outside changes ------------------------------------------------------------


def test_reload_file(root: Path) -> None:
    store = loaded(root)
    store.update("p", "T", lambda a: a.with_tags(add=["x"]))
    path = root / "notes" / "p.toml"
    assert store.reload_file(path) is False
    path.write_text(path.read_text().replace('"x"', '"y"'))
    assert store.reload_file(path) is True and store.get("p").tags == ("y",)
    assert store.reload_file("p") is False
    path.write_text("broken = ")
    assert store.reload_file(path) is True and store.read_only_reason("p")
    path.unlink()
    assert store.reload_file(str(path)) is True
    assert store.get("p") == Annotation("p") and store.read_only_reason("p") is None
    assert store.reload_file(root / "notes" / "never.toml") is False


# --- crash safety ----------------------------------------------------------------------------


def test_stray_temp_files_are_removed_on_load_and_nothing_else(root: Path) -> None:
    folder = root / "notes"
    folder.mkdir()
    stray = folder / ".p.toml.ab12cd_9.tmp"
    stray.write_text("half a fi")
    keep = [folder / ".keep.tmp", folder / "notes.txt", folder / ".gitignore"]
    for path in keep:
        path.write_text("mine")
    assert is_temp_name(stray.name)
    loaded(root)
    assert not stray.exists() and all(path.exists() for path in keep)


def test_recent_temp_files_survive_an_age_limited_cleanup(root: Path) -> None:
    stray = root / ".x.toml.abcdefgh.tmp"
    stray.write_text("writing")
    assert remove_stray_temp_files(root, older_than=3600) == []
    assert remove_stray_temp_files(root) == [stray]


def test_atomic_write_failure_leaves_the_old_file_and_no_temp(root: Path, monkeypatch) -> None:
    path = root / "f.toml"
    path.write_text("old")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write_bytes(path, b"new")
    assert path.read_text() == "old" and os.listdir(root) == ["f.toml"]


def run_worker(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)], stdout=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("mode", ["big", "raw"])
def test_kill_mid_write_leaves_old_or_new_complete_file(root: Path, mode: str) -> None:
    """SIGKILL a writer at random moments: the file is always a complete version."""
    size = 1_000_000 if mode == "raw" else 300_000
    store = loaded(root)
    store.update("big", "Big", lambda a: a.with_note("start"))
    path = root / "notes" / "big.toml"
    rng = random.Random(1234)
    strays = 0
    for _ in range(12):
        worker = run_worker(mode, root, "big", 1000, size)
        assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.25))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker.stdout.close()
        note = loads_annotation(path.read_text(encoding="utf-8"), "x", "big").note
        first, _, rest = note.partition("\n")
        assert note == "start" or (first.isdigit() and rest == "x" * size)
        strays += sum(is_temp_name(name) for name in os.listdir(root / "notes"))
        store.load()
        assert store.read_only_reason("big") is None
        assert not [name for name in os.listdir(root / "notes") if is_temp_name(name)]
    print(f"{mode}: stray temp files cleaned: {strays}")


def test_two_processes_updating_the_same_paper_lose_nothing(root: Path) -> None:
    count = 60
    tags = run_worker("tags", root, "shared", count)
    notes = run_worker("note", root, "shared", count)
    for worker in (tags, notes):
        assert worker.wait(timeout=120) == 0
        assert worker.stdout is not None
        worker.stdout.close()
    final = loaded(root).get("shared")
    assert set(final.tags) == {f"a{i}" for i in range(count)} | {f"b{i}" for i in range(count)}
    assert final.note == "\n".join(f"line {i}" for i in range(count))
    assert "<<<<<<<" not in final.note
