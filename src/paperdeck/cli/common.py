"""What every command shares: finding the corpus, opening the library, printing, exiting."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from paperdeck.corpus import PaperNotFound
from paperdeck.library import CORPUS_ENV, Library, resolve_corpus_path
from paperdeck.paper import Paper
from paperdeck.safe_text import json_terminal_safe, terminal_safe

F = TypeVar("F", bound=Callable[..., Any])


class UsageProblem(click.ClickException):
    """A mistake in how the command was called: exit status 2, a message, never a traceback."""

    exit_code = 2


def corpus_option(function: F) -> F:
    return click.option(
        "--corpus",
        "corpus_option",
        metavar="FOLDER",
        help=f"The corpus folder (default: ${CORPUS_ENV}, then the bundled sample corpus).",
    )(function)


def corpus_argument(function: F) -> F:
    """An optional positional CORPUS, with --corpus as the spelled-out twin."""
    function = click.argument("corpus", required=False, metavar="[CORPUS]")(function)
    return corpus_option(function)


def corpus_path(corpus: str | None = None, corpus_option: str | None = None) -> Path:
    """The corpus folder a command works on (argument, --corpus, env, bundled sample)."""
    if corpus and corpus_option and corpus != corpus_option:
        raise UsageProblem(f"two corpora given: {corpus!r} and --corpus {corpus_option!r}")
    path = resolve_corpus_path(corpus or corpus_option)
    if not path.is_dir():
        raise UsageProblem(
            f"corpus folder {str(path)!r} does not exist; give a folder of paper text files"
        )
    return path


def open_library(corpus: str | None = None, corpus_option: str | None = None) -> Library:
    return Library.open(corpus_path(corpus, corpus_option))


def resolve_paper(library: Library, prefix: str) -> Paper:
    try:
        return library.resolve(prefix)
    except PaperNotFound as error:
        raise UsageProblem(terminal_safe(str(error))) from None


def print_json(data: Any) -> None:
    """Exact data as JSON; characters a terminal could obey are \\u-escaped, never raw."""
    click.echo(json_terminal_safe(json.dumps(data, ensure_ascii=False, indent=2)))


def is_terminal() -> bool:
    return sys.stdout.isatty()


def display_title(paper: Paper) -> str:
    """Derived titles are marked in every face so they are never mistaken for real ones; like
    every piece of data a human command prints, the title is made terminal-safe."""
    return terminal_safe(f"[untitled] {paper.title}" if paper.title_derived else paper.title)


def echo_safe(text: str = "", *, nl: bool = True, err: bool = False) -> None:
    """Print human output that quotes data (titles, notes, tags, file content): no control
    character from the data ever reaches the terminal (see `paperdeck.safe_text`)."""
    click.echo(terminal_safe(text), nl=nl, err=err)
