"""Reading the files of one corpus folder: walking it safely (links, loops, paperdeck's own
folders), refusing what is not a paper file, and decoding bytes to text with problems by line.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from paperdeck.corpus import formats
from paperdeck.corpus.cache import bytes_digest
from paperdeck.corpus.paper import Entry
from paperdeck.problems import Problem

NOTES_DIR = "notes"  # at the corpus root; written by paperdeck, never read as papers
MAX_FILE_BYTES = 64 * 1024 * 1024
_SNIFF_BYTES = 8192


def walk_corpus(root: Path, problems: list[Problem]) -> Iterator[tuple[str, Path]]:
    """Every regular file below `root`, as (corpus-relative POSIX path, path).

    Hidden files and folders and paperdeck's own folders are skipped. Links to folders outside
    the corpus are followed; a link to a folder inside it (read anyway under its real name) or
    back to a folder being walked (a loop) is reported, not followed.
    """
    visited: set[tuple[int, int]] = set()  # the folders on the current path from the root
    real_root = root.resolve()

    def visit(folder: Path, relative: str) -> Iterator[tuple[str, Path]]:
        try:
            info = folder.stat()
        except OSError as error:
            problems.append(_os_problem(relative or ".", error))
            return
        key = (info.st_dev, info.st_ino)
        if key in visited:
            problems.append(
                Problem(
                    relative,
                    None,
                    "symlink loop: this folder is already being read; not followed",
                    "remove the link or point it outside the corpus",
                )
            )
            return
        visited.add(key)
        try:
            with os.scandir(folder) as scan:
                children = sorted(scan, key=lambda item: item.name)
        except OSError as error:
            problems.append(_os_problem(relative or ".", error))
            return
        for child in children:
            name = child.name
            child_relative = f"{relative}/{name}" if relative else name
            if name.startswith(".") or (not relative and name == NOTES_DIR):
                continue
            try:
                mode = os.stat(child.path).st_mode
            except OSError as error:
                problems.append(_os_problem(child_relative, error))
                continue
            if stat.S_ISDIR(mode) and child.is_symlink() and _inside(real_root, child.path):
                target = os.stat(child.path)
                if (target.st_dev, target.st_ino) in visited:
                    message = "symlink loop: links back to a folder that contains it"
                else:
                    message = "link to a folder inside the corpus (read under its real path)"
                problems.append(
                    Problem(child_relative, None, f"{message}; not followed", "remove the link")
                )
            elif stat.S_ISDIR(mode):
                yield from visit(Path(child.path), child_relative)
            elif stat.S_ISREG(mode):
                yield child_relative, Path(child.path)
            else:
                problems.append(
                    Problem(
                        child_relative,
                        None,
                        "not a regular file (device, pipe or socket); skipped",
                        "keep only paper text files in the corpus",
                    )
                )
        visited.discard(key)

    yield from visit(root, "")


def _inside(real_root: Path, path: str) -> bool:
    try:
        Path(path).resolve().relative_to(real_root)
    except (OSError, ValueError):
        return False
    return True


def _os_problem(relative: str, error: OSError) -> Problem:
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        return Problem(relative, None, f"cannot be read: {reason}", "check its permissions")
    if error.errno == 40:  # ELOOP
        return Problem(relative, None, f"symlink loop: {reason}", "remove or fix the link")
    if isinstance(error, FileNotFoundError):
        return Problem(
            relative, None, f"broken symlink or vanished file: {reason}", "remove or fix the link"
        )
    return Problem(relative, None, f"cannot be read: {reason}")


def read_file(
    path: Path, relative: str, *, digests: dict[str, str] | None = None
) -> tuple[list[Entry], list[Problem]]:
    """Entries and problems of one corpus file; never raises.

    With `digests`, the SHA-1 of the bytes parsed goes there (see `Corpus.save_settled`).
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [
                Problem(
                    relative,
                    None,
                    f"{size:,} bytes is too large for a paper file; skipped",
                    f"split it into files under {MAX_FILE_BYTES // 2**20} MiB",
                )
            ]
        data = path.read_bytes()
    except OSError as error:
        return [], [_os_problem(relative, error)]
    if digests is not None:
        digests[relative] = bytes_digest(data)
    text, problems = decode(data, relative)
    if text is None:
        return [], problems
    _fmt, entries, parse_problems = formats.parse(text, relative)
    return entries, problems + parse_problems


def decode(data: bytes, relative: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text with universal newlines; bad bytes become U+FFFD and are reported by line."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _newlines(data.decode("utf-16")), []
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:_SNIFF_BYTES]:
        return None, [
            Problem(
                relative,
                None,
                "binary file (contains NUL bytes); skipped",
                "keep only paper text files in the corpus",
            )
        ]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return _newlines(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    bad_lines = []
    for number, raw in enumerate(_newlines_bytes(data).split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.append(number)
    shown = ", ".join(str(n) for n in bad_lines[:10])
    more = f" and {len(bad_lines) - 10} more" if len(bad_lines) > 10 else ""
    problem = Problem(
        relative,
        bad_lines[0] if bad_lines else None,
        f"bytes that are not UTF-8 on line(s) {shown}{more}; replaced with \ufffd",
        "re-save the file as UTF-8",
    )
    return _newlines(data.decode("utf-8", errors="replace")), [problem]


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _newlines_bytes(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
