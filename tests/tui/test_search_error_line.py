"""The line under the search box quotes the query's mistakes: shown literally, never obeyed."""

from __future__ import annotations

import pytest
from tests.tui.conftest import ReadyApp, settle
from textual.widgets import Input, Static


@pytest.mark.parametrize("query", ["sort:[bold]x\x1b[2J", "is:[/nope]\x1b]0;pwned\x07"])
async def test_a_query_error_quoting_markup_and_escapes_shows_them_literally(
    ready_app: ReadyApp, query: str
) -> None:
    async with ready_app() as (app, pilot):
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = query  # as if pasted
        await settle(app, pilot)
        assert app.is_running and app.return_code is None
        error = str(app.screen.query_one("#search-error", Static).render())
        markup = query.split(":")[1].split("\x1b")[0]
        assert markup in error, "the markup is shown as typed, not read"
        assert "\x1b" not in error and "\x07" not in error
        assert "␛" in error
