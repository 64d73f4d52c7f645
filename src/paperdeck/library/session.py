"""The session: where the user left off, restored on the next start, and when sessions began
(what "New since last time" is measured from). User state, never notes; a damaged file is
ignored with a message, and a state folder that cannot be written costs only the memory."""

from __future__ import annotations

import contextlib
from datetime import datetime

from paperdeck.library.core import LibraryCore
from paperdeck.triage.session import SessionState, SessionStore


class Sessions(LibraryCore):
    """`session_state`, `save_session_state`, `begin_session`, `previous_session_start`."""

    _sessions: SessionStore | None = None

    @property
    def sessions(self) -> SessionStore:
        if self._sessions is None:
            self._sessions = SessionStore(self.root)
        return self._sessions

    def session_state(self) -> SessionState:
        """The state saved last (defaults the first time; `message` says if one was ignored)."""
        return self.sessions.load()

    def save_session_state(self, state: SessionState) -> str | None:
        """Save atomically; a message instead of an error when the state folder is unwritable."""
        try:
            self.sessions.save(state)
        except OSError as error:
            return f"The session could not be saved in {self.sessions.folder}: {error}"
        return None

    def begin_session(self, now: datetime | None = None) -> None:
        """A face starts a session: the previous start is kept (the "New" view counts from it)."""
        with contextlib.suppress(OSError):
            self.sessions.begin(now)

    def previous_session_start(self) -> datetime | None:
        """When the session before the current one began; None before a second session."""
        return self.sessions.previous_start()
