"""The git merge driver for notes files: merges what each field means, not lines of TOML.

Git runs it (see `paperdeck.sync.run.git_setup`) as `<driver> %O %A %B %P`: BASE, OURS, THEIRS
are temporary files, the result must be written into OURS, exit status 0 means "merged",
anything else means "conflict, a person must look" (gitattributes(5), "Defining a custom merge
driver").

* All three sides parse: `merge_annotations` merges them (tags as sets, star and status by the
  later change, note text line by line) and the canonical text is written. An empty or missing
  BASE (both sides created the file) merges against "no notes yet". A clash in the note text on
  the same lines keeps both versions *inside the note* between conflict markers, so the file is
  still valid TOML and paperdeck can show it; the driver exits 1 so git still reports it.
* Any side it cannot read (invalid TOML, conflict markers from an earlier merge, wrong types,
  an id that does not match the file name, a newer `schema`): a plain line merge
  (`git merge-file`) with conflict markers in the file and exit status 1. Never a guess: the
  notes store then shows that file as read-only with the line to fix.

Inside a rebase git passes the branch being rebased onto as OURS and your own commit as THEIRS;
the merge is symmetric, so this changes only the labels around a note clash.

`python -m paperdeck.mergedriver BASE OURS THEIRS [PATH]` runs it without loading the CLI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from paperdeck.atomic import atomic_write_bytes
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.merge3 import merge_annotations, merge_text
from paperdeck.notes.toml_format import (
    NotesEncodeError,
    NotesFileError,
    dumps_annotation,
    load_bytes,
)

LABELS = ("ours", "theirs")
RESOLVED, CONFLICT = 0, 1


def _read(path: str | os.PathLike[str]) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None


def _expected_id(path_label: str | None) -> str | None:
    if not path_label:
        return None
    name = PurePosixPath(path_label.replace("\\", "/")).name
    return name[: -len(".toml")] if name.endswith(".toml") and len(name) > 5 else None


def merge_notes_bytes(
    base: bytes | None, ours: bytes, theirs: bytes, path_label: str | None = None
) -> tuple[bytes, bool]:
    """The merged file and whether a person must look (a note clash or an unreadable side).

    Pure (no files, no git), so it can be tested directly; the fallback line merge uses Python's
    diff3 here, `merge_notes_files` uses `git merge-file` instead when git is there.
    """
    merged = _semantic_merge(base, ours, theirs, path_label)
    if merged is not None:
        return merged
    return _python_line_merge(base, ours, theirs), True


def _semantic_merge(
    base: bytes | None, ours: bytes, theirs: bytes, path_label: str | None
) -> tuple[bytes, bool] | None:
    """Field-by-field merge; None when any side cannot be read safely."""
    label = path_label or "notes file"
    expected = _expected_id(path_label)
    try:
        ours_state = load_bytes(ours, f"{label} (ours)", expected)
        theirs_state = load_bytes(theirs, f"{label} (theirs)", expected)
        base_state: Annotation | None = None
        if base and base.strip():
            base_state = load_bytes(base, f"{label} (base)", expected)
        result, clash = merge_annotations(base_state, ours_state, theirs_state, LABELS)
        text = dumps_annotation(result)
        load_bytes(text.encode("utf-8"), label, expected)  # what we write must read back
    except (NotesFileError, NotesEncodeError, ValueError):
        return None
    return text.encode("utf-8"), clash


def _python_line_merge(base: bytes | None, ours: bytes, theirs: bytes) -> bytes:
    def text(data: bytes | None) -> str:
        return (data or b"").decode("utf-8", "surrogateescape")

    merged, _ = merge_text(text(base), text(ours), text(theirs), LABELS)
    return merged.encode("utf-8", "surrogateescape")


def _git_line_merge(base_path: str | None, ours_path: str, theirs_path: str) -> bytes | None:
    """`git merge-file -p` (current, base, other): None when git cannot be run."""
    git = shutil.which("git")
    if git is None:
        return None
    with tempfile.TemporaryDirectory(prefix="paperdeck-merge-") as scratch:
        if base_path is None or not Path(base_path).exists():
            base_path = os.path.join(scratch, "empty")
            Path(base_path).write_bytes(b"")
        command = [
            git,
            "merge-file",
            "-p",
            "-L",
            LABELS[0],
            "-L",
            "base",
            "-L",
            LABELS[1],
            os.fspath(ours_path),
            os.fspath(base_path),
            os.fspath(theirs_path),
        ]
        completed = subprocess.run(
            command, capture_output=True, stdin=subprocess.DEVNULL, check=False
        )
    if completed.returncode < 0 or completed.returncode > 127:
        return None  # an error, not a count of conflicts
    return completed.stdout


def merge_notes_files(
    base_path: str | os.PathLike[str],
    ours_path: str | os.PathLike[str],
    theirs_path: str | os.PathLike[str],
    path_label: str | None = None,
) -> int:
    """Git's merge-driver contract: merge into OURS; 0 when resolved, 1 when a person must look."""
    ours = _read(ours_path)
    theirs = _read(theirs_path)
    base = _read(base_path)
    if ours is None or theirs is None:
        print(
            f"paperdeck merge-notes: {ours_path if ours is None else theirs_path} is missing",
            file=sys.stderr,
        )
        return CONFLICT
    if ours == theirs:
        return RESOLVED  # OURS already holds the result
    merged = _semantic_merge(base, ours, theirs, path_label)
    if merged is not None:
        data, clash = merged
        if data != ours:
            atomic_write_bytes(ours_path, data)
        return CONFLICT if clash else RESOLVED
    by_git = _git_line_merge(
        os.fspath(base_path) if base is not None else None,
        os.fspath(ours_path),
        os.fspath(theirs_path),
    )
    lines = by_git if by_git is not None else _python_line_merge(base, ours, theirs)
    atomic_write_bytes(ours_path, lines)
    where = path_label or os.fspath(ours_path)
    print(
        f"paperdeck merge-notes: {where} cannot be read as a notes file on every side; "
        "merged it line by line, fix it by hand",
        file=sys.stderr,
    )
    return CONFLICT


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (3, 4):
        print("usage: python -m paperdeck.mergedriver BASE OURS THEIRS [PATH]", file=sys.stderr)
        return 2
    return merge_notes_files(*args)


if __name__ == "__main__":
    sys.exit(main())
