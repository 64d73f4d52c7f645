"""One change to undo: a paper and, per field it changed, the value before and after; checking
that the paper still shows the "after" values, putting the "before" ones back, and saying what it
was in words. The journal of them is `paperdeck.notes.undo`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from paperdeck.notes.annotation import STATUSES, Annotation

FIELDS = ("star", "status", "tags", "note")
_TITLE_WIDTH = 60


class UndoRefused(Exception):
    """The paper changed since the recorded change: undoing it would overwrite something."""


class JournalDamaged(Exception):
    """The journal file is not one this version wrote."""


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_when(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("a time must be text")
    return datetime.fromisoformat(value)


def field_value(annotation: Annotation, name: str) -> Any:
    """One field as plain JSON values; a star or status carries its time (a redo is a change)."""
    if name == "star":
        return {"starred": annotation.starred, "at": _when(annotation.starred_at)}
    if name == "status":
        return {"status": annotation.status, "at": _when(annotation.status_at)}
    if name == "tags":
        return list(annotation.tags)
    if name == "note":
        return annotation.note
    raise ValueError(f"unknown field {name!r}")


def _check_value(name: str, value: Any) -> None:
    """Raise ValueError unless `value` is what `field_value` gives for `name`."""
    if name == "star":
        if not isinstance(value, dict) or not isinstance(value.get("starred"), bool):
            raise ValueError("bad star value")
        _parse_when(value.get("at"))
    elif name == "status":
        if not isinstance(value, dict) or value.get("status") not in STATUSES:
            raise ValueError("bad status value")
        _parse_when(value.get("at"))
    elif name == "tags":
        if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
            raise ValueError("bad tags value")
    elif name == "note":
        if not isinstance(value, str):
            raise ValueError("bad note value")
    else:
        raise ValueError(f"unknown field {name!r}")


def with_field(annotation: Annotation, name: str, value: Any) -> Annotation:
    """`annotation` with one field set back to a recorded value."""
    if name == "star":
        return replace(annotation, starred=value["starred"], starred_at=_parse_when(value["at"]))
    if name == "status":
        return replace(annotation, status=value["status"], status_at=_parse_when(value["at"]))
    if name == "tags":
        return replace(annotation, tags=tuple(value))
    return replace(annotation, note=value)


def _short(title: str) -> str:
    return title if len(title) <= _TITLE_WIDTH else title[: _TITLE_WIDTH - 1] + "…"


def _tags_text(tags: list[str]) -> str:
    return " ".join(f"#{tag}" for tag in tags) or "no tags"


def _note_text(note: str) -> str:
    return f"{len(note)} characters" if note else "empty"


def _describe_undo(name: str, before: Any, after: Any) -> str:
    """What undoing a change did, said from where the paper is now (the "before" value is what
    it holds again), so it never reads as the change that was just taken back."""
    if name == "star":
        return "starred again" if before["starred"] else "star removed again"
    if name == "status":
        return f"status back to {before['status']} (was {after['status']})"
    if name == "tags":
        removed = [f"#{tag}" for tag in after if tag not in before]
        added = [f"#{tag}" for tag in before if tag not in after]
        parts = [f"removed {' '.join(removed)}"] if removed else []
        parts += [f"added back {' '.join(added)}"] if added else []
        return f"{', '.join(parts) or 'reordered'} (now {_tags_text(before)})"
    return f"back to {_note_text(before)} (was {_note_text(after)})"


def _describe_now(name: str, value: Any) -> str:
    if name == "star":
        return "starred" if value["starred"] else "not starred"
    if name == "status":
        return f"status {value['status']}"
    if name == "tags":
        return _tags_text(value)
    return f"note {_note_text(value)}"


@dataclass(frozen=True)
class UndoEntry:
    """One recorded change: the paper and, per field it changed, the value before and after."""

    paper_id: str
    title: str
    at: float
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    source: str = ""  # which process (Library) made it: only its own note saves are joined
    batch: str = ""  # entries made by one batch action share it: one undo step takes them all

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name in FIELDS if name in self.after)

    @classmethod
    def of(
        cls,
        paper_id: str,
        title: str,
        before: Annotation,
        after: Annotation,
        at: float,
        source: str = "",
        batch: str = "",
    ) -> UndoEntry | None:
        """The entry for a change from `before` to `after`, or None when nothing changed."""
        old = {name: field_value(before, name) for name in FIELDS}
        new = {name: field_value(after, name) for name in FIELDS}
        changed = [name for name in FIELDS if old[name] != new[name]]
        if not changed:
            return None
        return cls(
            paper_id,
            title,
            at,
            {name: old[name] for name in changed},
            {name: new[name] for name in changed},
            source,
            batch,
        )

    def check(self, current: Annotation) -> None:
        """Raise UndoRefused unless the paper still holds what this change left."""
        moved = [name for name in self.fields if field_value(current, name) != self.after[name]]
        if moved:
            now = "; ".join(_describe_now(name, field_value(current, name)) for name in moved)
            raise UndoRefused(
                f"Cannot undo the {self.what} change of {self.label}: it changed since "
                f"(by a sync, a hand edit or another paperdeck) and is now: {now}. Nothing was "
                "changed; that change is dropped from the undo history."
            )

    def revert(self, current: Annotation) -> Annotation:
        for name in self.fields:
            current = with_field(current, name, self.before[name])
        return current

    @property
    def what(self) -> str:
        return " and ".join(self.fields)

    @property
    def label(self) -> str:
        return f"{self.paper_id} {_short(self.title)}".rstrip()

    def summary(self) -> str:
        """`the tags change of <id> <title>: removed #survey (now #graphs)`: which change was
        undone and what the paper holds now."""
        parts = [
            f"{name}: {_describe_undo(name, self.before[name], self.after[name])}"
            if len(self.fields) > 1
            else _describe_undo(name, self.before[name], self.after[name])
            for name in self.fields
        ]
        return f"the {self.what} change of {self.label}: {'; '.join(parts)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "paper_id": self.paper_id,
            "title": self.title,
            "at": self.at,
            "before": dict(self.before),
            "after": dict(self.after),
            "source": self.source,
            **({"batch": self.batch} if self.batch else {}),
        }

    @classmethod
    def from_json(cls, data: Any) -> UndoEntry:
        if not isinstance(data, dict):
            raise ValueError("an entry must be a table")
        paper_id, title, at = data.get("paper_id"), data.get("title"), data.get("at")
        before, after = data.get("before"), data.get("after")
        source = data.get("source", "")
        batch = data.get("batch", "")
        if not isinstance(paper_id, str) or not paper_id or not isinstance(title, str):
            raise ValueError("an entry needs a paper ID and a title")
        if not isinstance(at, int | float) or isinstance(at, bool):
            raise ValueError("an entry needs a time")
        if not isinstance(source, str) or not isinstance(batch, str):
            raise ValueError("an entry's source and batch must be text")
        if not isinstance(before, dict) or not isinstance(after, dict) or not after:
            raise ValueError("an entry needs the values before and after")
        if set(before) != set(after):
            raise ValueError("before and after name different fields")
        for name in after:
            _check_value(name, before[name])
            _check_value(name, after[name])
        return cls(paper_id, title, float(at), before, after, source, batch)
