"""What every command shares: finding the corpus, opening the library, printing, exiting."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from paperdeck.corpus import PaperNotFound
from paperdeck.library import CORPUS_ENV, Library
from paperdeck.paper import Paper

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


def open_library(corpus: str | None = None, corpus_option: str | None = None) -> Library:
    if corpus and corpus_option and corpus != corpus_option:
        raise UsageProblem(f"two corpora given: {corpus!r} and --corpus {corpus_option!r}")
    try:
        return Library.open(corpus or corpus_option)
    except NotADirectoryError as error:
        raise UsageProblem(f"{error}; give a folder of paper text files") from None


def resolve_paper(library: Library, prefix: str) -> Paper:
    try:
        return library.resolve(prefix)
    except PaperNotFound as error:
        raise UsageProblem(str(error)) from None


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def is_terminal() -> bool:
    return sys.stdout.isatty()


def display_title(paper: Paper) -> str:
    """Derived titles are marked in every face so they are never mistaken for real ones."""
    return f"[untitled] {paper.title}" if paper.title_derived else paper.title
