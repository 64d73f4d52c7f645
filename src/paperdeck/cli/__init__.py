"""The `paperdeck` command: a thin face over `paperdeck.library.Library`."""

from __future__ import annotations

import errno
from typing import Any

import click

from paperdeck.cli.annotate import (
    note_command,
    star_command,
    status_command,
    tag_command,
    undo_command,
)
from paperdeck.cli.common import debugging, internal_error, neutralise, path_problem
from paperdeck.cli.importing import fetch_command, import_command
from paperdeck.cli.papers import check_command, list_command, show_command
from paperdeck.cli.search import export_command, index_command, search_command, similar_command
from paperdeck.cli.sync import (
    git_setup_command,
    merge_notes_command,
    resolve_command,
    sync_command,
)
from paperdeck.cli.triage import stats_command
from paperdeck.cli.tui import open_command


class PaperdeckGroup(click.Group):
    """`paperdeck [CORPUS]` with no command opens the corpus; anything else is a subcommand."""

    default_command = "open"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and not args[0].startswith("-")):
            args = [self.default_command, *args]
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as error:
            raise neutralise(error) from None  # `No such option: <what was typed>`

    def invoke(self, ctx: click.Context) -> Any:
        """Every error message ends here made terminal-safe (they quote what was typed and what
        files hold); see `_invoke` for what each kind of error becomes."""
        try:
            return self._invoke(ctx)
        except click.ClickException as error:
            raise neutralise(error) from None

    def _invoke(self, ctx: click.Context) -> Any:
        """Every command's errors end here: click's own (usage, exit) pass through; a file-system
        error becomes one line naming the path (exit status 2); anything else is a bug, reported
        in one line with the file holding its trace (exit status 70), or raised as it is when
        $PAPERDECK_DEBUG is set. Commands only catch what they can say more about."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, EOFError):
            raise
        except OSError as error:
            if error.errno == errno.EPIPE or debugging():
                raise  # click quietly ends a command piped into `head`
            raise path_problem(error) from None
        except Exception as error:
            if debugging():
                raise
            raise internal_error(error) from None


@click.group(cls=PaperdeckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="paperdeck")
def main() -> None:
    """paperdeck: read and triage research papers from the terminal.

    Run `paperdeck [CORPUS]` to open a corpus folder, or one of the commands below.
    """


for command in (
    open_command,
    list_command,
    show_command,
    check_command,
    search_command,
    tag_command,
    star_command,
    status_command,
    note_command,
    undo_command,
    similar_command,
    index_command,
    export_command,
    sync_command,
    resolve_command,
    git_setup_command,
    merge_notes_command,
    import_command,
    fetch_command,
    stats_command,
):
    main.add_command(command)
