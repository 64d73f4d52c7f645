"""What every command shares: finding the corpus, opening the library, printing, exiting."""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from paperdeck.library import CORPUS_ENV, Library, Paper, PaperNotFound, resolve_corpus_path
from paperdeck.safe_text import json_terminal_safe, terminal_safe

F = TypeVar("F", bound=Callable[..., Any])
DEBUG_ENV = "PAPERDECK_DEBUG"  # set to 1: an unexpected error shows its traceback (for developers)
INTERNAL_ERROR = 70  # exit status of a bug in paperdeck (sysexits' EX_SOFTWARE), never 1 or 2


class UsageProblem(click.ClickException):
    """A mistake in how the command was called: exit status 2, a message, never a traceback."""

    exit_code = 2


class InternalError(click.ClickException):
    """A bug in paperdeck, told in one line (the trace goes to a file): its own exit status."""

    exit_code = INTERNAL_ERROR


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
    if path.exists() and not path.is_dir():
        raise UsageProblem(
            f"corpus {str(path)!r} is a file, not a folder; give the folder that holds the "
            "paper text files"
        )
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


def count_of(count: int, noun: str, plural: str | None = None, *, none: str = "No") -> str:
    """`1 problem`, `4 problems`, `No problems`: counts in words, as the app says them."""
    many = plural or f"{noun}s"
    if count == 0:
        return f"{none} {many}"
    return f"{count} {noun if count == 1 else many}"


def neutralise(error: click.ClickException) -> click.ClickException:
    """The same error with any control character of its message made visible: error messages
    quote what was typed and what files hold, and click prints them raw."""
    # click types `message` Final, yet every error's text is built from it after construction,
    # and the error classes take different arguments: rewriting it in place is the only way.
    error.message = terminal_safe(error.message)  # type: ignore[misc]
    for name in ("option_name", "possibilities", "param_hint"):  # parts click's messages join
        value = getattr(error, name, None)
        if isinstance(value, str):
            setattr(error, name, terminal_safe(value))
        elif isinstance(value, list | tuple):
            setattr(error, name, [terminal_safe(v) if isinstance(v, str) else v for v in value])
    return error


# --- errors no command handles itself ------------------------------------------------------------


def path_problem(error: OSError) -> UsageProblem:
    """A file-system error as one line naming the path, what is wrong with it and what to do."""
    if error.filename is None:
        return UsageProblem(f"{error.strerror or error} (check the paths given to the command)")
    path = os.fsdecode(error.filename)
    shown = repr(path)
    code = error.errno
    if code == errno.ENOENT:
        missing = _first_missing(Path(path))
        if missing is not None and missing != Path(path):
            return UsageProblem(
                f"{shown}: the folder {str(missing)!r} does not exist (create it first, or "
                "choose another path)"
            )
        return UsageProblem(f"{shown} does not exist (check the path)")
    if code == errno.ENOTDIR:
        blocker = _first_file(Path(path))
        where = f"{str(blocker)!r} is a file" if blocker is not None else "a part of it is a file"
        return UsageProblem(f"{shown}: {where}, not a folder (choose a path inside a folder)")
    messages = {
        errno.EISDIR: "{path} is a folder (give a file path)",
        errno.EACCES: "{path}: permission denied (check its permissions, or choose another path)",
        errno.EPERM: "{path}: not permitted (check its permissions, or choose another path)",
        errno.EROFS: "{path} is on a read-only file system (choose another path)",
        errno.ENOSPC: "{path}: no space left on the device (free some space and run it again)",
        errno.ENAMETOOLONG: "{path}: the name is too long (choose a shorter path)",
    }
    template = messages.get(code or -1)
    if template is None:
        return UsageProblem(f"{shown}: {error.strerror or error} (check the path)")
    return UsageProblem(template.format(path=shown))


def _first_missing(path: Path) -> Path | None:
    """The outermost folder of `path` that does not exist (the one to create first)."""
    missing = None
    for candidate in [path, *path.parents]:
        if candidate.exists():
            return missing
        missing = candidate
    return missing


def _first_file(path: Path) -> Path | None:
    """The part of `path` that is a file where a folder was needed."""
    for candidate in reversed(path.parents):
        if candidate.is_file():
            return candidate
    return None


def internal_error(error: Exception) -> InternalError:
    """A bug: a short message and the file holding the trace, never a raw traceback."""
    trace = "".join(traceback.format_exception(error))
    try:
        with tempfile.NamedTemporaryFile(
            "w", prefix="paperdeck-error-", suffix=".txt", delete=False, encoding="utf-8"
        ) as handle:
            handle.write(f"paperdeck {' '.join(sys.argv[1:])}\n\n{trace}")
        where = f"the trace is in {handle.name}"
    except OSError:
        where = "the trace could not be saved"
    summary = str(error).strip().partition("\n")[0]
    return InternalError(
        f"unexpected {type(error).__name__}: {summary}. This is a bug in paperdeck: {where}; "
        f"please report it (set {DEBUG_ENV}=1 to see the trace here)"
    )


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")
