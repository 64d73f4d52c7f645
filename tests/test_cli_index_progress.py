"""`paperdeck index` shows a bar over the papers, then says it is writing the index (the
writer processes' last third of a big build), instead of a bar stuck at the end."""

from __future__ import annotations

import io

from rich.console import Console

from paperdeck.cli.search import index_progress


def rendered(enabled: bool, steps: list[tuple[int, int]]) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    with index_progress(console, enabled=enabled) as report:
        for done, total in steps:
            report(done, total)
    return out.getvalue()


def test_the_bar_counts_papers_then_says_it_writes_the_index() -> None:
    text = rendered(True, [(0, 200), (100, 200), (200, 200)])
    assert "writing the index" in text and "200/200" in text


def test_no_terminal_no_bar() -> None:
    assert rendered(False, [(0, 200), (200, 200)]) == ""
