"""The main screen's search box."""

from __future__ import annotations

from textual.events import Key
from textual.widgets import Input


class SearchBox(Input):
    """The search box: `/` in it while it is empty keeps it focused and is not typed.

    `/` means "search" everywhere else, and nothing at the start of a query, so a `/` typed
    out of habit (or before the focus landed here, at start-up) is no part of the query.
    """

    async def _on_key(self, event: Key) -> None:
        if event.character == "/" and not self.value:
            event.stop()
            event.prevent_default()
