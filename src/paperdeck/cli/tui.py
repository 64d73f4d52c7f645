"""`paperdeck [CORPUS]`: open the TUI."""

from __future__ import annotations

import click

from paperdeck.cli.common import corpus_argument, open_library


@click.command("open")
@corpus_argument
def open_command(corpus: str | None, corpus_option: str | None) -> None:
    """Open the corpus in the terminal app (the default command)."""
    from paperdeck.library import resolve_corpus_path
    from paperdeck.tui.app import PaperdeckApp

    path = resolve_corpus_path(corpus or corpus_option)
    if not path.is_dir():
        open_library(corpus, corpus_option)  # raises the usual usage message
    PaperdeckApp(path).run()
