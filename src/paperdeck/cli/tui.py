"""`paperdeck [CORPUS]`: open the TUI."""

from __future__ import annotations

import sys

import click

from paperdeck.cli.common import corpus_argument, corpus_path


@click.command("open")
@corpus_argument
def open_command(corpus: str | None, corpus_option: str | None) -> None:
    """Open the corpus in the terminal app (the default command)."""
    from paperdeck.tui.app import PaperdeckApp

    app = PaperdeckApp(corpus_path(corpus, corpus_option))
    app.run()
    if app.return_code:  # 143 after SIGTERM (the notes saved): scripts and supervisors see why
        sys.exit(app.return_code)
