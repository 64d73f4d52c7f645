"""The git merge driver for notes files: the contract, the fallback, and its properties."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.notes.annotation import STATUSES, Annotation
from paperdeck.notes.toml_format import dumps_annotation, loads_annotation
from paperdeck.sync.mergedriver import merge_notes_bytes, merge_notes_files
from paperdeck.sync.setup import driver_command

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PID = "some-paper-1234abcd"
LABEL = f"corpus/notes/{PID}.toml"


def dump(a: Annotation) -> bytes:
    return dumps_annotation(a).encode("utf-8")


def write_sides(folder: Path, base: bytes | None, ours: bytes, theirs: bytes) -> list[Path]:
    paths = [folder / "base", folder / "ours", folder / "theirs"]
    for path, data in zip(paths, (base, ours, theirs), strict=True):
        if data is not None:
            path.write_bytes(data)
    return paths


def run(folder: Path, base: bytes | None, ours: bytes, theirs: bytes) -> tuple[int, bytes]:
    paths = write_sides(folder, base, ours, theirs)
    status = merge_notes_files(*paths, LABEL)
    return status, paths[1].read_bytes()


BASE = Annotation(PID, title="A paper", tags=("a", "m"), note="one\n\ntwo\n\nthree\n")


def test_field_changes_on_both_sides_merge_cleanly(tmp_path: Path) -> None:
    ours = BASE.with_tags(add=["b"]).with_star(True, T0)
    theirs = BASE.with_tags(remove=["m"], add=["z"]).with_status("read", T0)
    status, data = run(tmp_path, dump(BASE), dump(ours), dump(theirs))
    assert status == 0
    merged = loads_annotation(data.decode(), LABEL)
    assert merged.tags == ("a", "b", "z")
    assert merged.starred and merged.status == "read"


def test_different_paragraphs_of_the_note_merge(tmp_path: Path) -> None:
    ours = BASE.with_note("ONE\n\ntwo\n\nthree\n")
    theirs = BASE.with_note("one\n\ntwo\n\nTHREE\n")
    status, data = run(tmp_path, dump(BASE), dump(ours), dump(theirs))
    assert status == 0
    assert loads_annotation(data.decode(), LABEL).note == "ONE\n\ntwo\n\nTHREE\n"


def test_note_clash_stays_inside_the_note_and_exits_1(tmp_path: Path) -> None:
    ours = BASE.with_note("one\n\nmine\n\nthree\n")
    theirs = BASE.with_note("one\n\nyours\n\nthree\n")
    status, data = run(tmp_path, dump(BASE), dump(ours), dump(theirs))
    assert status == 1
    tomllib.loads(data.decode())  # still valid TOML
    note = loads_annotation(data.decode(), LABEL).note
    assert "<<<<<<< ours\nmine\n=======\nyours\n>>>>>>> theirs\n" in note


def test_missing_or_empty_base_means_both_created_the_file(tmp_path: Path) -> None:
    ours = Annotation(PID, title="A paper", tags=("x",))
    theirs = Annotation(PID, title="A paper", tags=("y",), starred=True, starred_at=T0)
    for base in (None, b""):
        folder = tmp_path / ("none" if base is None else "empty")
        folder.mkdir()
        status, data = run(folder, base, dump(ours), dump(theirs))
        assert status == 0
        merged = loads_annotation(data.decode(), LABEL)
        assert merged.tags == ("x", "y") and merged.starred


def test_unparseable_side_falls_back_to_a_line_merge_with_markers(tmp_path: Path) -> None:
    ours = dump(BASE.with_tags(add=["b"]))
    theirs = b'schema = 1\nid = "' + PID.encode() + b'"\ntags = [ "broken"\n'
    status, data = run(tmp_path, dump(BASE), ours, theirs)
    assert status == 1
    text = data.decode()
    assert "<<<<<<< ours" in text and ">>>>>>> theirs" in text
    assert '"b",' in text and '"broken"' in text  # both sides kept, nothing guessed


def test_newer_schema_is_never_merged_semantically(tmp_path: Path) -> None:
    ours = dump(BASE.with_tags(add=["b"]))
    theirs = dump(BASE).replace(b"schema = 1", b"schema = 2")
    status, data = run(tmp_path, dump(BASE), ours, theirs)
    assert status != 0  # a clean line merge, but git must still ask a person
    assert b"schema = 2" in data and b'"b",' in data


def test_identical_sides_are_resolved_untouched(tmp_path: Path) -> None:
    same = dump(BASE.with_tags(add=["q"]))
    status, data = run(tmp_path, dump(BASE), same, same)
    assert (status, data) == (0, same)


def test_runs_as_a_module_like_git_does(tmp_path: Path) -> None:
    ours = BASE.with_tags(add=["b"])
    theirs = BASE.with_tags(add=["c"])
    paths = write_sides(tmp_path, dump(BASE), dump(ours), dump(theirs))
    command = [sys.executable, "-m", "paperdeck.mergedriver", *map(str, paths), LABEL]
    assert subprocess.run(command, check=False).returncode == 0
    assert loads_annotation(paths[1].read_text(), LABEL).tags == ("a", "b", "c", "m")


# --- properties (the functions directly, no git) ---------------------------------------------

TAGS = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=4)
LINES = st.lists(st.sampled_from(["x", "y", "z", "", "w w"]), max_size=4)
TIMES = st.one_of(st.none(), st.integers(0, 5).map(lambda m: T0 + timedelta(minutes=m)))


@st.composite
def annotations(draw: st.DrawFn) -> Annotation:
    return Annotation(
        PID,
        title="A paper",
        starred=draw(st.booleans()),
        starred_at=draw(TIMES),
        status=draw(st.sampled_from(STATUSES)),
        status_at=draw(TIMES),
        tags=tuple(sorted(set(draw(TAGS)))),
        note="\n".join(draw(LINES)),
    )


def swap_labels(data: bytes) -> bytes:
    return (
        data.replace(b"<<<<<<< ours", b"<<<<<<< @@")
        .replace(b">>>>>>> theirs", b">>>>>>> ours")
        .replace(b"<<<<<<< @@", b"<<<<<<< theirs")
    )


def strip_conflicts(note: str) -> set[str]:
    return {
        line
        for line in note.split("\n")
        if not line.startswith(("<<<<<<<", ">>>>>>>")) and line != "======="
    }


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(st.none(), annotations()), annotations(), annotations())
def test_output_is_always_valid_toml_and_no_added_tag_is_lost(
    base: Annotation | None, ours: Annotation, theirs: Annotation
) -> None:
    data, _ = merge_notes_bytes(
        None if base is None else dump(base), dump(ours), dump(theirs), LABEL
    )
    tomllib.loads(data.decode())
    merged = loads_annotation(data.decode(), LABEL)
    before = set(base.tags) if base else set()
    assert (set(ours.tags) - before) <= set(merged.tags)
    assert (set(theirs.tags) - before) <= set(merged.tags)


@SETTINGS
@given(st.one_of(st.none(), annotations()), annotations(), annotations())
def test_symmetric_up_to_conflict_labels(
    base: Annotation | None, ours: Annotation, theirs: Annotation
) -> None:
    base_data = None if base is None else dump(base)
    one, clash_one = merge_notes_bytes(base_data, dump(ours), dump(theirs), LABEL)
    two, clash_two = merge_notes_bytes(base_data, dump(theirs), dump(ours), LABEL)
    assert clash_one == clash_two
    a, b = loads_annotation(one.decode(), LABEL), loads_annotation(two.decode(), LABEL)
    # exact ties of the change time go to "ours"; everything else must not depend on the order
    if (ours.starred, ours.starred_at) == (
        theirs.starred,
        theirs.starred_at,
    ) or ours.starred_at != theirs.starred_at:
        assert (a.starred, a.starred_at) == (b.starred, b.starred_at)
    if ours.status_at != theirs.status_at:
        assert (a.status, a.status_at) == (b.status, b.status_at)
    assert a.tags == b.tags
    if clash_one:
        assert strip_conflicts(a.note) == strip_conflicts(b.note)
    else:
        assert one == two or a.note == b.note


@SETTINGS
@given(annotations(), annotations())
def test_one_sided_changes_are_taken(base: Annotation, changed: Annotation) -> None:
    for ours, theirs in ((changed, base), (base, changed)):
        data, clash = merge_notes_bytes(dump(base), dump(ours), dump(theirs), LABEL)
        assert not clash
        assert data == dump(changed)


def test_the_command_git_setup_writes_names_a_module_that_runs() -> None:
    """Clones set up by any paperdeck call `-m paperdeck.mergedriver`: it must stay runnable."""
    module = shlex.split(driver_command())[2]
    assert module == "paperdeck.mergedriver"
    usage = subprocess.run(
        [sys.executable, "-m", module], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2 and "BASE OURS THEIRS" in usage.stderr
