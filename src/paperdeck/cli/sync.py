"""Commands for syncing notes through git: git-setup, sync, and the merge driver git calls."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from paperdeck.cli.common import UsageProblem, corpus_argument, corpus_path, echo_safe
from paperdeck.library import (
    CORPUS_ENV,
    FILE_CLASH_CHOICES,
    SYNC_MODES,
    GitError,
    Library,
    NotARepository,
    git_setup,
    merge_notes_files,
)


def _corpus(corpus: str | None, corpus_option: str | None) -> Path:
    """The corpus to run git in: never the bundled sample by default (it lives in paperdeck's
    own repository, which these commands would change)."""
    if not (corpus or corpus_option or os.environ.get(CORPUS_ENV)):
        context = click.get_current_context(silent=True)
        command = context.info_name if context is not None else "sync"
        example = f"paperdeck {command} --corpus ." if command == "resolve" else None
        raise UsageProblem(
            "name the corpus folder this changes in git, e.g. "
            f"`{example or f'paperdeck {command} .'}` (or set ${CORPUS_ENV})"
        )
    return corpus_path(corpus, corpus_option)


@click.command("merge-notes", hidden=True)
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
@click.argument("path", required=False)
def merge_notes_command(base: str, ours: str, theirs: str, path: str | None) -> None:
    """Git merge driver for notes files (git runs it; see `paperdeck git-setup`)."""
    sys.exit(merge_notes_files(base, ours, theirs, path))


@click.command("git-setup")
@corpus_argument
def git_setup_command(corpus: str | None, corpus_option: str | None) -> None:
    """Make git merge notes files with paperdeck (run once per clone; safe to re-run)."""
    path = _corpus(corpus, corpus_option)
    try:
        done = git_setup(path)
    except NotARepository:
        raise UsageProblem(
            f"{str(path)!r} is not in a git repository: run `git init` there (or clone your "
            "notes repository) first, then run `paperdeck git-setup` again"
        ) from None
    except GitError as error:
        raise click.ClickException(error.stderr or str(error)) from None
    for line in done:
        echo_safe(line)  # they name files
    if not done:
        click.echo("already set up: notes files are merged by paperdeck")


@click.command("sync")
@corpus_argument
@click.option(
    "--mode",
    type=click.Choice(SYNC_MODES),
    default="rebase",
    show_default=True,
    help="How to bring in the other clones' commits.",
)
def sync_command(corpus: str | None, corpus_option: str | None, mode: str) -> None:
    """Commit your notes, pull the other clones' notes (merging them), and push."""
    report, _changed = Library.open(_corpus(corpus, corpus_option)).sync(mode)
    for line in report.lines():
        echo_safe(line, err=line.startswith("could not"))  # git's messages name files
    if not report.lines():
        click.echo("nothing to sync")
    if not report.ok:
        raise SystemExit(1)


@click.command("resolve")
@click.argument("paper", required=False)
@click.option("--corpus", "corpus_option", type=click.Path(), help="The corpus folder.")
@click.option(
    "--keep",
    type=click.Choice(FILE_CLASH_CHOICES),
    help="Keep this machine's version (mine), the other machine's (theirs), or merge both.",
)
@click.option("--mode", type=click.Choice(SYNC_MODES), default="rebase", show_default=True)
def resolve_command(
    paper: str | None, corpus_option: str | None, keep: str | None, mode: str
) -> None:
    """Settle a notes file a sync could not merge: without --keep, show both versions."""
    library = Library.open(_corpus(None, corpus_option))
    clashes = library.file_clashes()
    if not clashes:
        click.echo("no notes file is waiting for you: nothing to resolve")
        return
    matching = [c for c in clashes if paper is None or c.paper_id.startswith(paper)]
    if not matching:
        raise UsageProblem(
            f"no conflicted notes file for {paper!r}; waiting: "
            + ", ".join(c.paper_id for c in clashes)
        )
    if keep is None or len(matching) > 1:
        for clash in matching:
            echo_safe(f"== {clash.relative}")
            for which, side in (("mine", clash.mine), ("theirs", clash.theirs)):
                verdict = "readable" if side.usable else f"cannot be used: {side.error}"
                echo_safe(f"--- {which} ({side.label}): {verdict}")
                echo_safe(side.text.rstrip("\n") or "(no file)")  # another machine's file
            both = "both" if clash.can_merge_both else "(both: needs both readable)"
            echo_safe(f"settle with: paperdeck resolve {clash.paper_id} --keep mine|theirs|{both}")
        if keep is not None:
            raise UsageProblem("several files match: name one paper")
        return
    [clash] = matching
    try:
        report, _changed = library.resolve_file_clash(clash, keep, mode=mode)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    echo_safe(f"wrote {clash.relative} ({keep})")
    for line in report.lines():
        echo_safe(line, err=line.startswith("could not"))  # git's messages name files
    if not report.ok:
        raise SystemExit(1)
