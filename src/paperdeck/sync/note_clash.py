"""Note clashes kept inside the note text (`<<<<<<<` / `=======` / `>>>>>>>`), and resolving them.

When two machines edit the same lines of a note, the merge keeps both versions inside the note so
nothing is lost and the file stays valid TOML; a person then picks a side here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

START, MIDDLE, END = "<<<<<<<", "=======", ">>>>>>>"
CHOICES = ("first", "second", "both")
_MARKER_LINE = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)


@dataclass(frozen=True)
class Clash:
    first: str
    second: str
    first_label: str
    second_label: str


Chunk = str | Clash


def parse(text: str) -> list[Chunk] | None:
    """The note as common text and clashes; None when it holds no complete clash."""
    chunks: list[Chunk] = []
    common: list[str] = []
    lines = text.split("\n")
    index = 0
    found = False
    while index < len(lines):
        line = lines[index]
        if line.startswith(START):
            middle = next(
                (i for i in range(index + 1, len(lines)) if lines[i].startswith(MIDDLE)), None
            )
            end = (
                next((i for i in range(middle + 1, len(lines)) if lines[i].startswith(END)), None)
                if middle is not None
                else None
            )
            if middle is not None and end is not None:
                if common:
                    chunks.append("\n".join(common))
                    common = []
                chunks.append(
                    Clash(
                        "\n".join(lines[index + 1 : middle]),
                        "\n".join(lines[middle + 1 : end]),
                        line[len(START) :].strip(),
                        lines[end][len(END) :].strip(),
                    )
                )
                found = True
                index = end + 1
                continue
        common.append(line)
        index += 1
    if common:
        chunks.append("\n".join(common))
    return chunks if found else None


def side(text: str, which: str) -> str:
    """The whole note as one side would have it (`first` or `second`)."""
    chunks = parse(text)
    if chunks is None:
        return text
    return "\n".join(c if isinstance(c, str) else getattr(c, which) for c in chunks)


def resolve(text: str, choice: str) -> str:
    """Keep the first side, the second, or both (first then second) of every clash."""
    if choice not in CHOICES:
        raise ValueError(f"choice must be one of {', '.join(CHOICES)}")
    chunks = parse(text)
    if chunks is None:
        return text
    parts = []
    for chunk in chunks:
        if isinstance(chunk, str):
            parts.append(chunk)
        elif choice == "both":
            parts.extend(p for p in (chunk.first, chunk.second) if p)
        else:
            parts.append(getattr(chunk, choice))
    return "\n".join(parts)


def has_clash(text: str) -> bool:
    return START in text and parse(text) is not None


def notes_with_markers(corpus: Path) -> list[str]:
    """IDs of the papers whose notes file holds a clash marker line (after a sync merged it)."""
    found = []
    for file in sorted((corpus / "notes").glob("*.toml")):
        if file.name.startswith("."):
            continue
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if _MARKER_LINE.search(text):
            found.append(file.stem)
    return found
