"""Bringing files into a corpus (`paperdeck import`, and `paperdeck fetch` after downloading):
copy them in without ever overwriting anything, then say per file what the corpus made of it.

The originals are only read. A copy gets the original's name, or `name-2.ext`, `name-3.ext`...
when that name is taken: it is written to a temporary file and hard-linked to its name, which
fails instead of replacing a file created meanwhile. A file no format reads is not copied.
"""

from __future__ import annotations

import errno
import glob
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.files import NOTES_DIR, decode
from paperdeck.corpus.formats import Format, parse
from paperdeck.problems import Problem

MAX_NAME_TRIES = 10_000


@dataclass(frozen=True)
class ImportReport:
    """What one imported file brought: where it was copied, its format, the papers it added
    (`new`), the papers already in the corpus it is another source of (`merged`) and its
    problems (with the file and line)."""

    original: str  # the file given, or the URL downloaded
    copied_to: str | None  # corpus-relative path; None when not copied
    format: str | None
    new: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def format_name(fmt: Format | str | None) -> str | None:
    return fmt.value if isinstance(fmt, Format) else fmt


def sniff(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """The format of a file's bytes and its problems, as the corpus would read them."""
    text, problems = decode(data, name)
    if text is None:
        return None, problems
    fmt, _entries, more = parse(text, name)
    return format_name(fmt), problems + more


def free_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, or `stem-2.ext`, `stem-3.ext`... if taken (checked, then claimed by
    `write_new`, which never replaces a file that appeared in between)."""
    path = folder / name
    suffix = "".join(Path(name).suffixes[-1:])
    stem = name[: len(name) - len(suffix)] if suffix else name
    number = 1
    while os.path.lexists(path):
        number += 1
        if number > MAX_NAME_TRIES:
            raise FileExistsError(errno.EEXIST, "no free name for a copy", str(folder / name))
        path = folder / f"{stem}-{number}{suffix}"
    return path


def write_new(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` as a new file named `name` (or a free variant of it): never overwrites."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".paperdeck-import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        while True:
            target = free_name(folder, name)
            try:
                os.link(temp, target)  # fails if the name was taken meanwhile
                return target
            except FileExistsError:
                continue
    finally:
        os.unlink(temp)


def corpus_name(name: str) -> str:
    """A file name the corpus reads: not hidden, not the notes folder's name."""
    name = name.lstrip(".") or "imported"
    return f"{name}-imported" if name == NOTES_DIR else name


def add_files(
    root: Path, before: Corpus, items: Iterable[tuple[str, str, bytes]]
) -> tuple[list[ImportReport], Corpus]:
    """Copy (original, name, bytes) items into `root` and report each against `before`."""
    pending: list[tuple[str, str | None, str | None, list[Problem]]] = []
    for original, name, data in items:
        name = corpus_name(name)
        same = _same_file(root, name, data)
        if same is not None:
            problem = Problem(name, None, f"already in the corpus as {same}; not copied again")
            pending.append((original, None, None, [problem]))
            continue
        fmt, problems = sniff(data, name)
        if fmt is None:
            pending.append((original, None, None, problems))
            continue
        target = write_new(root, name, data)
        pending.append((original, target.relative_to(root).as_posix(), fmt, []))
    after = Corpus.load(root)
    known = set(before.ids)  # an ID that became an alias is in its paper's `aliases`
    reports = []
    seen: set[str] = set()
    for original, relative, fmt, problems in pending:
        if relative is None:
            reports.append(ImportReport(original, None, None, problems=tuple(problems)))
            continue
        new: list[str] = []
        merged: list[str] = []
        for paper in after.papers:
            if not any(source.path == relative for source in paper.sources):
                continue
            existed = paper.id in known or any(alias in known for alias in paper.aliases)
            if existed or paper.id in seen:
                merged.append(paper.id)
            else:
                new.append(paper.id)
                seen.add(paper.id)
        found = tuple(p for p in after.problems if p.path == relative)
        reports.append(ImportReport(original, relative, fmt, tuple(new), tuple(merged), found))
    return reports, after


def _same_file(root: Path, name: str, data: bytes) -> str | None:
    """The corpus file under this name (or a numbered variant) with exactly these bytes."""
    suffix = "".join(Path(name).suffixes[-1:])
    stem = name[: len(name) - len(suffix)] if suffix else name
    for candidate in (root / name, *root.glob(f"{glob.escape(stem)}-[0-9]*{glob.escape(suffix)}")):
        try:
            if candidate.is_file() and candidate.read_bytes() == data:
                return candidate.relative_to(root).as_posix()
        except OSError:
            continue
    return None


def import_files(
    root: Path, before: Corpus, files: Sequence[Path]
) -> tuple[list[ImportReport], Corpus]:
    """`paperdeck import`: read each file (an unreadable one raises OSError, naming it)."""
    items = []
    for original in files:
        if original.is_dir():
            raise IsADirectoryError(21, "is a folder; give the files in it", str(original))
        items.append((str(original), original.name, original.read_bytes()))
    return add_files(root, before, items)
