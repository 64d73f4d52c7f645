"""The headless TUI's measurements: start-up until the list is painted and search is ready, and
the cursor keys (`pilot.press`, and from the key event to the cursor row painted)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, ClassVar

from bench.common import Result, median, p95, peak_mb


def tui(corpus: Path, repeat: int, keys: int) -> Result:
    started = time.perf_counter()
    from textual import events

    from paperdeck.tui.app import PaperdeckApp
    from paperdeck.tui.widgets.paper_table import PaperTable

    out: Result = {"tui_imports": time.perf_counter() - started}
    painted: dict[str, float] = {}
    original = PaperTable.render_line

    def render_line(self: PaperTable, y: int) -> Any:
        now = time.perf_counter()
        if self.rows and "at" not in painted:
            painted["at"] = now
        if y + int(self.scroll_y) == self.cursor:
            painted["cursor"] = now
        return original(self, y)

    PaperTable.render_line = render_line  # type: ignore[method-assign]

    async def _key_to_paint(app: Any, table: PaperTable, key: str) -> float:
        expected = table.cursor
        started = time.perf_counter()
        painted.pop("cursor", None)
        app._driver.send_message(events.Key(key, None))
        while table.cursor == expected or painted.get("cursor", 0.0) < started:
            if time.perf_counter() - started > 30:
                raise TimeoutError(f"{key} was not painted in 30 s")
            await asyncio.sleep(0.0005)
        return painted["cursor"] - started

    async def one_run(samples: dict[str, list[float]]) -> None:
        painted.clear()
        started = time.perf_counter()
        app = PaperdeckApp(corpus)
        async with app.run_test(size=(120, 40)) as pilot:
            library_at = ready_at = None
            while ready_at is None or "at" not in painted:
                now = time.perf_counter()
                if library_at is None and app.library_open:
                    library_at = now
                if ready_at is None and app.library_open and app.library.index_ready:
                    ready_at = now
                if now - started > 900:
                    raise TimeoutError("the TUI did not become ready in 15 minutes")
                await asyncio.sleep(0.002)
            samples["tui_library"].append(library_at - started)  # type: ignore[operator]
            samples["tui_painted"].append(painted["at"] - started)
            samples["tui_interactive"].append(ready_at - started)
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query_one(PaperTable)
            assert table.has_focus and len(table.rows) == len(app.library.corpus.ids)
            for key, name in (("down", "tui_down"), ("pagedown", "tui_pagedown")):
                before = table.cursor
                for _ in range(keys):
                    seconds = time.perf_counter()
                    await pilot.press(key)
                    samples[name].append(time.perf_counter() - seconds)
                assert table.cursor > before, (key, before, table.cursor)
                for _ in range(keys):  # from the key event to the new cursor row painted
                    samples[f"{name}_paint"].append(await _key_to_paint(app, table, key))
                await pilot.pause()
        if app.library_open:
            app.library.close()

    samples: dict[str, list[float]] = {
        name: []
        for name in (
            "tui_library",
            "tui_painted",
            "tui_interactive",
            "tui_down",
            "tui_pagedown",
            "tui_down_paint",
            "tui_pagedown_paint",
        )
    }
    for _ in range(repeat):
        asyncio.run(one_run(samples))
    out["tui_press_floor"] = median(asyncio.run(_press_floor(keys)))
    for name, values in samples.items():
        out[name] = median(values)
    out["tui_down_p95"] = p95(samples["tui_down"])
    out["tui_pagedown_p95"] = p95(samples["tui_pagedown"])
    out["tui_peak_mb"] = peak_mb()
    return out


async def _press_floor(keys: int) -> list[float]:
    """What `pilot.press` costs in an app that does nothing on a key (it waits for idle)."""
    from textual.app import App
    from textual.binding import Binding

    class Empty(App[None]):
        BINDINGS: ClassVar = [Binding("down", "nothing", "Nothing")]

        def action_nothing(self) -> None:
            pass

    times = []
    async with Empty().run_test(size=(120, 40)) as pilot:
        for _ in range(keys):
            started = time.perf_counter()
            await pilot.press("down")
            times.append(time.perf_counter() - started)
    return times
