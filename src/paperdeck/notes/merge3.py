"""Three-way merges of notes: of note text (line-based diff3) and of whole annotations.

Pure functions, no I/O: the notes store uses them when a file changed on disk under it, and a git
merge driver can use them as is. Swapping `ours` and `theirs` gives the same result except for
the order of the two sides inside conflict markers and for exact ties, which go to `ours`.

Rules of `merge_annotations` (base None means "no file yet", an empty annotation):

* tags: a 3-way set merge; a tag added on either side is kept, one removed on either side (and
  not added back on the other) is removed;
* starred (with starred_at) and status (with status_at) move as pairs: a pair changed on one side
  only takes that change; changed on both to different pairs, the later time wins (ties and
  missing times: ours) - the last click wins, as the user expects;
* note: `merge_text`; a clash keeps both sides inside the note between conflict markers;
* title and each unknown (`extra`) key: one-sided changes are taken; both changed differently,
  ours wins (no timestamps to decide; the title is the corpus's anyway). A removed key counts as
  a change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from difflib import SequenceMatcher
from types import MappingProxyType
from typing import Any, TypeVar

from paperdeck.notes.annotation import Annotation, normalise_tags

T = TypeVar("T")
_MISSING = object()
_OLDEST = datetime.min.replace(tzinfo=UTC)
_START, _SEPARATOR, _END = "<<<<<<< ", "=======\n", ">>>>>>> "


def split_lines(text: str) -> list[str]:
    """Lines with their `\\n`; only LF ends a line (not the other breaks str.splitlines knows)."""
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def _sync_regions(base: list[str], a: list[str], b: list[str]) -> list[tuple[int, ...]]:
    """Base ranges unchanged on both sides, with where they sit in a and b (as in bzr merge3)."""
    a_blocks = SequenceMatcher(None, base, a, autojunk=False).get_matching_blocks()
    b_blocks = SequenceMatcher(None, base, b, autojunk=False).get_matching_blocks()
    regions: list[tuple[int, ...]] = []
    ia = ib = 0
    while ia < len(a_blocks) and ib < len(b_blocks):
        a_base, a_start, a_len = a_blocks[ia]
        b_base, b_start, b_len = b_blocks[ib]
        start, end = max(a_base, b_base), min(a_base + a_len, b_base + b_len)
        if start < end:
            a_sub = a_start + start - a_base
            b_sub = b_start + start - b_base
            regions.append((start, end, a_sub, a_sub + end - start, b_sub, b_sub + end - start))
        if a_base + a_len < b_base + b_len:
            ia += 1
        else:
            ib += 1
    regions.append((len(base), len(base), len(a), len(a), len(b), len(b)))
    return regions


def _merge_regions(
    base: list[str], a: list[str], b: list[str]
) -> Iterator[tuple[list[str], list[str] | None]]:
    """Yields (lines, None) for settled text and (a_lines, b_lines) for a conflict."""
    iz = ia = ib = 0
    for z_start, z_end, a_start, a_end, b_start, b_end in _sync_regions(base, a, b):
        a_lines, b_lines, base_lines = a[ia:a_start], b[ib:b_start], base[iz:z_start]
        if a_lines or b_lines or base_lines:
            if a_lines == b_lines or b_lines == base_lines:
                yield a_lines, None
            elif a_lines == base_lines:
                yield b_lines, None
            else:
                beside = _beside(base_lines, a_lines, b_lines)
                yield (beside, None) if beside is not None else (a_lines, b_lines)
        yield base[z_start:z_end], None
        iz, ia, ib = z_end, a_end, b_end


def _beside(base: list[str], a: list[str], b: list[str]) -> list[str] | None:
    """One side only added lines before or after base lines the other side changed: both land.

    Plain diff3 calls that a clash because the changes touch (typing at the end of a paragraph
    while `note --append` adds one below it). The order is not in doubt, so it is no clash; two
    additions at the same place, or two changes of the same lines, still are.
    """
    n = len(base)
    if not n:
        return None
    for added, changed in ((a, b), (b, a)):
        if len(added) > n and added[:n] == base and changed[:n] != base:
            return [*changed, *added[n:]]
        if len(added) > n and added[-n:] == base and changed[-n:] != base:
            return [*added[:-n], *changed]
    return None


def _units(lines: list[str]) -> list[str]:
    """Lines, with each well-formed conflict block already in the text joined into one unit.

    A block shown in an editor (or left in the file) then moves, stays or goes as a whole in a
    merge: no new marker can land inside it, so merging again never nests blocks.
    """
    units: list[str] = []
    i = 0
    while i < len(lines):
        end = _block_end(lines, i)
        units.append("".join(lines[i:end]) if end > i + 1 else lines[i])
        i = max(end, i + 1)
    return units


def _block_end(lines: list[str], start: int) -> int:
    """Where the well-formed block beginning at `start` ends (exclusive); `start` if none."""
    if not lines[start].startswith(_START):
        return start
    separator = None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.startswith(_START):
            return start
        if line == _SEPARATOR and separator is None:
            separator = i
        elif line.startswith(_END):
            return i + 1 if separator is not None else start
    return start


def _sides(unit: str) -> tuple[list[str], list[str]] | None:
    """The two sides of a block unit (see `_units`); None for a plain line."""
    if "\n" not in unit[:-1]:
        return None
    lines = split_lines(unit)
    middle = lines.index(_SEPARATOR)
    return lines[1:middle], lines[middle + 1 : -1]


def _unfold(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    """The two sides of a new clash, with any block already inside it opened into them.

    One block comes out, never a block in a block: a block's own sides join the matching side,
    and what the other side no longer holds of it is kept there too, so no line is lost.
    """
    yours = [line for unit in a for line in (_sides(unit) or ([unit], []))[0]]
    theirs = [line for unit in b for line in (_sides(unit) or ([], [unit]))[1]]
    kept_theirs = [
        line for unit in a for line in (_sides(unit) or ([], []))[1] if line not in theirs
    ]
    kept_yours = [line for unit in b for line in (_sides(unit) or ([], []))[0] if line not in yours]
    return yours + kept_yours, kept_theirs + theirs


def _ends_with_newline(text: str) -> bool:
    return text == "" or text.endswith("\n")


def _scalar(base: T, ours: T, theirs: T) -> T:
    """One-sided changes win; both sides changed differently: ours."""
    return theirs if ours == base else ours


def merge_text(
    base: str, ours: str, theirs: str, labels: tuple[str, str] = ("ours", "theirs")
) -> tuple[str, bool]:
    """Line-based diff3. A clash leaves both sides between git-style markers in the text.

    A missing final newline is merged separately (so appending to a note that does not end in a
    newline does not clash with an edit elsewhere).
    """
    if ours == theirs:
        return ours, False
    if ours == base:
        return theirs, False
    if theirs == base:
        return ours, False
    final_newline = _scalar(*(_ends_with_newline(t) for t in (base, ours, theirs)))
    units = [
        _units(split_lines(t if _ends_with_newline(t) else t + "\n")) for t in (base, ours, theirs)
    ]
    out: list[str] = []
    conflict = False
    for a_lines, b_lines in _merge_regions(*units):
        if b_lines is None:
            out.extend(a_lines)
            continue
        conflict = True
        yours, theirs_side = _unfold(a_lines, b_lines)
        out.append(f"<<<<<<< {labels[0]}\n")
        out.extend(yours)
        out.append("=======\n")
        out.extend(theirs_side)
        out.append(f">>>>>>> {labels[1]}\n")
    text = "".join(out)
    if not final_newline and text.endswith("\n"):
        text = text[:-1]
    return text, conflict


def _pair_time(when: datetime | None) -> datetime:
    if when is None:
        return _OLDEST
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _timed(
    base: tuple[Any, datetime | None],
    ours: tuple[Any, datetime | None],
    theirs: tuple[Any, datetime | None],
) -> tuple[Any, datetime | None]:
    """A (value, changed-at) pair: one-sided changes win, else the later change (ties: ours)."""
    if ours in (base, theirs):
        return theirs
    if theirs == base:
        return ours
    return theirs if _pair_time(theirs[1]) > _pair_time(ours[1]) else ours


def merge_tags(
    base: tuple[str, ...], ours: tuple[str, ...], theirs: tuple[str, ...]
) -> tuple[str, ...]:
    """Kept on both sides, or added on either: so no added tag is lost, every removal counts."""
    b, o, t = set(base), set(ours), set(theirs)
    return normalise_tags((o & t) | (o - b) | (t - b))


def _merge_extra(base: Any, ours: Any, theirs: Any) -> MappingProxyType[str, Any]:
    merged: dict[str, Any] = {}
    for key in sorted(set(base) | set(ours) | set(theirs)):
        value = _scalar(base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING))
        if value is not _MISSING:
            merged[key] = value
    return MappingProxyType(merged)


def merge_annotations(
    base: Annotation | None,
    ours: Annotation,
    theirs: Annotation,
    labels: tuple[str, str] = ("ours", "theirs"),
) -> tuple[Annotation, bool]:
    """Merge two changed versions of one paper's notes; True when the note text clashed."""
    if ours.paper_id != theirs.paper_id:
        raise ValueError(f"cannot merge notes of {ours.paper_id!r} with {theirs.paper_id!r}")
    if base is None:
        base = Annotation(ours.paper_id)
    starred, starred_at = _timed(
        (base.starred, base.starred_at),
        (ours.starred, ours.starred_at),
        (theirs.starred, theirs.starred_at),
    )
    status, status_at = _timed(
        (base.status, base.status_at),
        (ours.status, ours.status_at),
        (theirs.status, theirs.status_at),
    )
    note, conflict = merge_text(base.note, ours.note, theirs.note, labels)
    merged = replace(
        ours,
        title=_scalar(base.title, ours.title, theirs.title),
        starred=starred,
        starred_at=starred_at,
        status=status,
        status_at=status_at,
        tags=merge_tags(base.tags, ours.tags, theirs.tags),
        note=note,
        extra=_merge_extra(base.extra, ours.extra, theirs.extra),
    )
    return merged, conflict
