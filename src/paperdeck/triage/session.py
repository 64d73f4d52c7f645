"""Where the user left off (view, query, sort, the paper under the cursor) and when sessions
began (the "New" view holds what appeared since the previous one). User state, per corpus and per
machine, never in the notes (which go through git)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from paperdeck.triage.state import StateDamaged, corpus_state_folder, read_json, write_json

STATE_FILE = "session.json"
STARTS_FILE = "starts.json"
VERSION = 1


@dataclass(frozen=True)
class SessionState:
    """What a face restores on its next start. `extra`: the face's own keys (pane widths,
    compact list, ...) as JSON values, kept as given. `message`: why a saved state was ignored
    (a damaged file), for the face to show once; never saved."""

    view: str = "all"
    query: str = ""
    sort: str = "relevance"
    paper_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "query": self.query,
            "sort": self.sort,
            "paper_id": self.paper_id,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SessionState:
        view, query, sort = data.get("view"), data.get("query"), data.get("sort")
        paper_id, extra = data.get("paper_id"), data.get("extra", {})
        if not all(isinstance(value, str) for value in (view, query, sort)):
            raise ValueError("view, query and sort must be text")
        if paper_id is not None and not isinstance(paper_id, str):
            raise ValueError("paper_id must be text or null")
        if not isinstance(extra, dict):
            raise ValueError("extra must be a table")
        assert isinstance(view, str) and isinstance(query, str) and isinstance(sort, str)
        return cls(view, query, sort, paper_id, extra)


class SessionStore:
    """The session files of one corpus (in `corpus_state_folder(root, "sessions")`)."""

    def __init__(self, corpus_root: Path, folder: Path | None = None) -> None:
        self.folder = corpus_state_folder(corpus_root, "sessions", folder)

    def load(self) -> SessionState:
        """The saved state; the defaults when there is none, or (with a message) a bad one."""
        try:
            data = read_json(self.folder / STATE_FILE, VERSION)
            if data is None:
                return SessionState()
            state = data.get("state")
            if not isinstance(state, dict):
                raise ValueError("it has no state table")
            return SessionState.from_json(state)
        except StateDamaged as error:
            return SessionState(message=f"The saved session was ignored: {error}.")
        except ValueError as error:
            path = self.folder / STATE_FILE
            return SessionState(
                message=f"The saved session was ignored: {path} is damaged ({error})."
            )

    def save(self, state: SessionState) -> None:
        """Write atomically; raises OSError when the state folder cannot be written."""
        write_json(self.folder / STATE_FILE, {"version": VERSION, "state": state.to_json()})

    def _starts(self) -> tuple[datetime | None, datetime | None]:
        try:
            data = read_json(self.folder / STARTS_FILE, VERSION)
        except StateDamaged:
            return None, None
        if data is None:
            return None, None
        return _when(data.get("previous")), _when(data.get("current"))

    def begin(self, now: datetime | None = None) -> None:
        """A session starts now: the one before becomes the previous session."""
        _previous, current = self._starts()
        started = (now or datetime.now(UTC)).astimezone(UTC)
        data = {
            "version": VERSION,
            "previous": current.isoformat() if current else None,
            "current": started.isoformat(),
        }
        write_json(self.folder / STARTS_FILE, data)

    def previous_start(self) -> datetime | None:
        """When the session before this one began (None: this is the first one)."""
        return self._starts()[0]


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
