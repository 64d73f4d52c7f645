"""Fixtures for driving the TUI headless: a private corpus, a private config folder."""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import time
import tomllib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer

from paperdeck.library import Library
from paperdeck.tui.app import PaperdeckApp

SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "sample_corpus"
GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"
BOOT = "boot-data-free-distillation-of-denoising-5e69af63"
SIZE = (120, 40)
# How long `settle` waits for the app to have nothing pending before failing the test.
SETTLE_TIMEOUT = 30.0
# The papers' files are dated this instant (2026-12-02 12:00 UTC) in the template: a paper first
# seen gets its file's time, and the sidebar's "Added <day>" views would otherwise show the day the
# tests run (the snapshots were accepted on that day; noon keeps the local date in any zone).
FILES_DATED = 1_796_212_800


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus with its index built once; tests copy it (it is relocatable)."""
    target = tmp_path_factory.mktemp("template") / "corpus"
    shutil.copytree(
        SAMPLE_CORPUS, target, ignore=shutil.ignore_patterns(".*", "notes"), copy_function=_copy
    )
    for path in target.rglob("*"):
        if path.is_file():
            os.utime(path, (FILES_DATED, FILES_DATED))
    Library.open(target, with_index=True).close()
    return target


def _copy(source: str, target: str) -> None:
    """Copy contents only: the repository's sample files are read-only."""
    shutil.copyfile(source, target)


@pytest.fixture
def tui_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexed_template: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(indexed_template, target, copy_function=_copy)
    monkeypatch.setenv("PAPERDECK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PAPERDECK_STATE_DIR", str(tmp_path / "state"))
    return target


ReadyApp = Callable[..., AbstractAsyncContextManager[tuple[PaperdeckApp, Any]]]


@pytest.fixture
def ready_app(tui_corpus: Path) -> ReadyApp:
    """Start the app on the private corpus and wait until it is ready to be driven:
    `async with ready_app() as (app, pilot):` (or `ready_app(size=(80, 24), index=False)`)."""

    @asynccontextmanager
    async def start(
        *, size: tuple[int, int] = SIZE, index: bool = True
    ) -> AsyncIterator[tuple[PaperdeckApp, Any]]:
        app = PaperdeckApp(tui_corpus)
        async with app.run_test(size=size) as pilot:
            await wait_ready(app, pilot, index=index)
            yield app, pilot

    return start


async def wait_until(
    pilot: Any, condition: Callable[[], object], what: str, *, timeout: float = 10.0
) -> None:
    """Poll `condition` every 10 ms (letting the app run in between) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not true after {timeout:g} s")
        await pilot.pause(0.01)


async def wait_ready(app: PaperdeckApp, pilot: Any, *, index: bool = True) -> None:
    """Wait until the library (and, by default, the index) has been opened by its worker."""

    def ready() -> bool:
        return app.library_open and (not index or app.library.index_ready)

    await wait_until(pilot, ready, "the library (and its index) opened", timeout=12.0)
    await settle(app, pilot)


async def settle(app: PaperdeckApp, pilot: Any, *, timers: bool = True) -> None:
    """Let debounced searches, workers and the writer thread finish: wait until nothing the app
    started is pending (see `pending_work`), however long or short that takes.

    `timers=False` leaves paperdeck's one-shot timers out, for a test that holds one back on
    purpose (an autosave set to an hour, to see what a save on demand does).
    """
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        await pilot.pause()
        await app.workers.wait_for_complete()
        # Every write submitted before this no-op has run, its done-callback included (one thread).
        await asyncio.wrap_future(app._writer.submit(_nothing))
        await pilot.pause()
        busy = pending_work(app, timers=timers)
        if not busy:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the app is still busy after {SETTLE_TIMEOUT:g} s: {busy}")
        await asyncio.sleep(0.01)


def pending_work(app: PaperdeckApp, *, timers: bool = True) -> list[str]:
    """What the app still has to do: running workers, paperdeck's one-shot timers (the search
    debounce, the reader's rest, the note autosave) yet to fire, and unprocessed messages.

    Textual's own timers (notification timeouts, cursor blinks) and repeating ones (the notes
    watcher's poll) are not pending work: they would never let the app be idle.
    """
    busy = [f"worker {worker.name!r}" for worker in app.workers if not worker.is_finished]
    if not app._writer._work_queue.empty():
        busy.append("a queued write")
    for node in _nodes(app):
        for timer in list(node._timers):
            if timers and _pending_paperdeck_timer(timer):
                busy.append(f"a timer of {node!r}")
        if not node._message_queue.empty() or node._next_callbacks:
            busy.append(f"messages for {node!r}")
        if isinstance(node, Screen) and node._callbacks:
            busy.append(f"after-refresh callbacks of {node!r}")
    return busy


def _nodes(app: PaperdeckApp) -> list[MessagePump]:
    nodes: list[MessagePump] = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    return nodes


def _pending_paperdeck_timer(timer: Timer) -> bool:
    """A one-shot timer set by paperdeck's code (set_timer wraps the callback in call_next)."""
    if timer._repeat != 0 or timer._task is None or timer._task.done():
        return False
    callback = timer._callback
    if isinstance(callback, functools.partial) and callback.args:
        callback = callback.args[0]
    return getattr(callback, "__module__", "").startswith("paperdeck.")


def _nothing() -> None:
    pass


def notes_file(corpus: Path, paper_id: str) -> dict[str, Any]:
    return tomllib.loads((corpus / "notes" / f"{paper_id}.toml").read_text(encoding="utf-8"))
