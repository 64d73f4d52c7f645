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
    library = Library.open(corpus_path(corpus, corpus_option))
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(library.close)  # caches corpus files that settled meanwhile
    return library


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
