"""Commit messages that say what changed in the notes ("paperdeck: 2 starred, 1 note").

Computed by reading the notes files as they are in HEAD and as they are staged (through
`loads_annotation`), so the message describes the meaning, not the lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from paperdeck.notes.annotation import Annotation
from paperdeck.notes.toml_format import NotesFileError, load_bytes

ORDER = ("new", "starred", "unstarred", "tagged", "note", "status", "removed", "unreadable")
_PLURAL = {"note": "notes", "status": "statuses"}


@dataclass
class ChangeSummary:
    counts: Counter[str] = field(default_factory=Counter)
    details: list[str] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)

    def subject(self) -> str:
        parts = []
        for key in ORDER:
            count = self.counts.get(key, 0)
            if count:
                word = _PLURAL.get(key, key) if count > 1 else key
                parts.append(f"{count} {word}")
        if not parts:
            return "paperdeck: " + (
                "sync setup (" + ", ".join(self.other_files) + ")"
                if self.other_files
                else "update notes"
            )
        return "paperdeck: " + ", ".join(parts)

    def message(self) -> str:
        body = [
            *self.details,
            *(f"{name}: written by paperdeck git-setup" for name in self.other_files),
        ]
        return self.subject() + ("\n\n" + "\n".join(body) if body else "") + "\n"


def _parse(data: bytes | None, paper_id: str) -> Annotation | NotesFileError | None:
    if data is None:
        return None
    try:
        return load_bytes(data, f"notes/{paper_id}.toml", paper_id)
    except NotesFileError as error:
        return error


def describe(paper_id: str, old_data: bytes | None, new_data: bytes | None) -> list[str]:
    """The kinds of change (keys of ORDER) and a human line for one paper's notes file."""
    old, new = _parse(old_data, paper_id), _parse(new_data, paper_id)
    if new_data is None:
        return ["removed"]
    if isinstance(new, NotesFileError) or isinstance(old, NotesFileError):
        return ["unreadable"]
    before = old or Annotation(paper_id)
    after = new or Annotation(paper_id)
    kinds = []
    if old is None:
        kinds.append("new")
    if after.starred != before.starred:
        kinds.append("starred" if after.starred else "unstarred")
    if after.tags != before.tags:
        kinds.append("tagged")
    if after.note != before.note:
        kinds.append("note")
    if after.status != before.status:
        kinds.append("status")
    return kinds


def _detail(paper_id: str, kinds: list[str], old_data: bytes | None, new_data: bytes | None) -> str:
    old, new = _parse(old_data, paper_id), _parse(new_data, paper_id)
    words = []
    for kind in kinds:
        if kind == "tagged" and isinstance(new, Annotation):
            before = set(old.tags) if isinstance(old, Annotation) else set()
            added = [f"+{t}" for t in new.tags if t not in before]
            removed = [f"-{t}" for t in sorted(before - set(new.tags))]
            words.append("tags " + " ".join(added + removed))
        elif kind == "status" and isinstance(new, Annotation):
            words.append(f"status {new.status}")
        elif kind != "new" or len(kinds) == 1:
            words.append(kind)
    return f"{paper_id}: {', '.join(words) or 'reformatted'}"


def summarise(
    changes: dict[str, tuple[bytes | None, bytes | None]], other_files: list[str]
) -> ChangeSummary:
    """`changes`: paper ID -> (bytes in HEAD or None, staged bytes or None)."""
    summary = ChangeSummary(other_files=sorted(other_files))
    for paper_id in sorted(changes):
        old_data, new_data = changes[paper_id]
        if old_data == new_data:
            continue
        kinds = describe(paper_id, old_data, new_data)
        summary.counts.update(k for k in kinds if k != "new" or len(kinds) == 1)
        summary.details.append(_detail(paper_id, kinds, old_data, new_data))
    return summary
