"""Commands that change the user's notes: tag, star, status, note, and undo of the last change."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile

import click

from paperdeck.cli.common import (
    UsageProblem,
    corpus_argument,
    corpus_option,
    echo_safe,
    open_library,
    resolve_paper,
)
from paperdeck.library import (
    STATUSES,
    Library,
    NotesFolderIsAFile,
    NotesReadOnly,
    SaveResult,
    normalise_tag,
    split_tags,
)


def _report(library: Library, paper_id: str, result: SaveResult) -> None:
    annotation = result.annotation
    star = "★ " if annotation.starred else ""
    tags = " ".join(f"#{tag}" for tag in annotation.tags)
    echo_safe(f"{star}{paper_id}  {annotation.status}  {tags}".rstrip())
    if result.message:
        echo_safe(result.message, err=True)


def _apply(library: Library, paper_id: str, action: str, *args: object) -> None:
    try:
        result = getattr(library, action)(paper_id, *args)
    except NotesReadOnly as error:
        raise click.ClickException(str(error)) from None
    except NotesFolderIsAFile as error:  # a path problem: exit status 2, with what to do
        raise UsageProblem(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"could not save the notes of {paper_id}: {error}") from None
    _report(library, paper_id, result)
    if result.conflict:
        raise SystemExit(1)


@click.command("tag", context_settings={"ignore_unknown_options": True})
@click.argument("paper_id", metavar="ID")
@click.argument("changes", nargs=-1, required=True, metavar="+TAG|-TAG...")
@corpus_option
def tag_command(paper_id: str, changes: tuple[str, ...], corpus_option: str | None) -> None:
    """Add (+tag or tag) and remove (-tag) tags: `paperdeck tag ID +diffusion -todo`."""
    add = [c[1:] if c.startswith("+") else c for c in changes if not c.startswith("-")]
    remove = [c[1:] for c in changes if c.startswith("-")]
    if any(not tag.strip() for tag in add + remove):
        raise UsageProblem("empty tag name; write +name or -name")
    meaningless = [t for t in split_tags(add + remove) if not normalise_tag(t)]
    if meaningless:
        raise UsageProblem(
            f"not a tag: {', '.join(map(repr, meaningless))} (a tag needs a letter or a digit)"
        )
    library = open_library(None, corpus_option)
    paper = resolve_paper(library, paper_id)
    _apply(library, paper.id, "tag", add, remove)


@click.command("star")
@click.argument("paper_id", metavar="ID")
@click.option("--off", is_flag=True, help="Remove the star instead.")
@corpus_option
def star_command(paper_id: str, off: bool, corpus_option: str | None) -> None:
    """Star a paper (or unstar it with --off)."""
    library = open_library(None, corpus_option)
    paper = resolve_paper(library, paper_id)
    _apply(library, paper.id, "star", not off)


@click.command("status")
@click.argument("paper_id", metavar="ID")
@click.argument("value", type=click.Choice(STATUSES))
@corpus_option
def status_command(paper_id: str, value: str, corpus_option: str | None) -> None:
    """Set the reading status: unread, later, reading, read or skipped."""
    library = open_library(None, corpus_option)
    paper = resolve_paper(library, paper_id)
    _apply(library, paper.id, "set_status", value)


@click.command("note")
@click.argument("paper_id", metavar="ID")
@click.option("-m", "--message", "text", help="The new note text (Markdown).")
@click.option("--append", "append", help="Add a paragraph to the end of the note.")
@click.option("--edit", is_flag=True, help="Edit the note in $EDITOR.")
@corpus_option
def note_command(
    paper_id: str, text: str | None, append: str | None, edit: bool, corpus_option: str | None
) -> None:
    """Show, set (-m), extend (--append) or edit (--edit) a paper's note."""
    if sum(option is not None and option is not False for option in (text, append, edit)) > 1:
        raise UsageProblem("use only one of -m, --append and --edit")
    library = open_library(None, corpus_option)
    paper = resolve_paper(library, paper_id)
    current = library.annotation(paper.id).note
    if text is None and append is None and not edit:
        echo_safe(current, nl=not current.endswith("\n"))  # the JSON of `show --json` is exact
        return
    if append is not None:
        text = f"{current.rstrip()}\n\n{append}" if current.strip() else append
    if edit:
        text = _edit_in_editor(current, paper.id)
        if text is None:
            click.echo("note unchanged", err=True)
            return
    _apply(library, paper.id, "set_note", text)


def _edit_in_editor(current: str, paper_id: str) -> str | None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile(
        "w", suffix=f"-{paper_id}.md", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(current)
        path = handle.name
    try:
        status = subprocess.call([*shlex.split(editor), path])
        if status != 0:
            raise click.ClickException(
                f"{editor} exited with status {status}; note unchanged "
                f"(your text is kept in {path})"
            )
        with open(path, encoding="utf-8") as handle:
            edited = handle.read()
    except FileNotFoundError:
        raise UsageProblem(f"editor {editor!r} not found; set $EDITOR") from None
    os.unlink(path)
    return None if edited == current else edited


@click.command("undo")
@corpus_argument
def undo_command(corpus: str | None, corpus_option: str | None) -> None:
    """Undo the last change of star, status, tags or note (made here or in the app).

    Refuses, changing nothing, when the paper has changed since (a sync, a hand edit).
    Exit status: 0 when a change was undone, 1 when nothing was (nothing to undo, or refused).
    """
    library = open_library(corpus, corpus_option)
    outcome = library.undo()
    if not outcome.undone:  # messages quote titles, tags and file paths
        echo_safe(outcome.message, err=outcome.paper_id is not None)
        raise SystemExit(1)
    echo_safe(outcome.message)
    if outcome.result is not None and outcome.result.message:
        echo_safe(outcome.result.message, err=True)
