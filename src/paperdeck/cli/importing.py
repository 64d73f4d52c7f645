"""`paperdeck import` and `paperdeck fetch`: bringing papers into the corpus, and saying what
each file brought (format, new papers, merged duplicates, problems with file and line)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from paperdeck.cli.common import (
    UsageProblem,
    corpus_option,
    corpus_path,
    count_of,
    echo_safe,
    open_library,
)
from paperdeck.library import ARXIV_DELAY, FetchError, ImportReport, Library, bundled_sample_corpus


def open_target(corpus: str | None, corpus_option: str | None) -> Library:
    """The corpus to add files to: never the bundled sample corpus (paperdeck's own files)."""
    path = corpus_path(corpus, corpus_option)
    if path.resolve() == bundled_sample_corpus().resolve():
        raise UsageProblem(
            f"{str(path)!r} is the bundled sample corpus, paperdeck's own; give the corpus "
            "folder to add papers to with --into FOLDER / --corpus FOLDER (or $PAPERDECK_CORPUS)"
        )
    return open_library(corpus, corpus_option)


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageProblem(f"{what} {text!r} is not a date; write it as YYYY-MM-DD") from None


def report(reports: list[ImportReport]) -> None:
    """One line per file, then its problems indented; exit status 1 if a file was not copied."""
    skipped = 0
    for item in reports:
        if item.copied_to is None:
            skipped += 1
            echo_safe(f"{item.original}: not copied")
        else:
            found = ", ".join(
                (
                    count_of(len(item.new), "new paper", none="0"),
                    count_of(len(item.merged), "merged duplicate", none="0"),
                    count_of(len(item.problems), "warning", none="0"),
                )
            )
            echo_safe(f"{item.original} -> {item.copied_to} ({item.format}): {found}")
        for problem in item.problems:
            echo_safe(f"  {problem}")  # problems quote file content
    copied = len(reports) - skipped
    new = sum(len(item.new) for item in reports)
    echo_safe(
        f"{count_of(copied, 'file', none='0')} copied, {count_of(new, 'new paper', none='0')}",
        err=True,
    )
    if skipped:
        raise SystemExit(1)


@click.command("import")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE...",
)
@click.option("--into", "into", metavar="CORPUS", help="The corpus folder to copy them into.")
@corpus_option
def import_command(files: tuple[Path, ...], into: str | None, corpus_option: str | None) -> None:
    """Copy paper files (arXiv, BibTeX, CSL JSON, Hugging Face, pages) into the corpus.

    The originals are only read; a name already taken in the corpus gets a `-2` suffix. Exit
    status 1 when a file was not copied (no format paperdeck reads).
    """
    library = open_target(into, corpus_option)
    report(library.import_files(list(files)))


@click.command("fetch")
@click.argument("source", type=click.Choice(["arxiv", "hf"]))
@click.argument("terms", nargs=-1, metavar="[QUERY|DATE]")
@click.option("--id", "ids", multiple=True, metavar="ARXIV_ID", help="Fetch this arXiv paper.")
@click.option("--since", metavar="DATE", help="arXiv: only papers submitted since YYYY-MM-DD.")
@click.option("--max", "limit", type=click.IntRange(1, 2000), default=100, show_default=True)
@click.option(
    "--delay",
    type=click.FloatRange(0),
    default=ARXIV_DELAY,
    show_default=True,
    help="Seconds between API calls (arXiv asks for 3).",
)
@click.option("--into", "into", metavar="CORPUS", help="The corpus folder to download into.")
@corpus_option
def fetch_command(
    source: str,
    terms: tuple[str, ...],
    ids: tuple[str, ...],
    since: str | None,
    limit: int,
    delay: float,
    into: str | None,
    corpus_option: str | None,
) -> None:
    """Download papers into the corpus: `fetch arxiv QUERY`, `fetch arxiv --id ID...`,
    `fetch hf [DATE]` (a day's Hugging Face daily papers, today's by default)."""
    library = open_target(into, corpus_option)
    try:
        if source == "arxiv":
            query = " ".join(terms) or None
            if query is None and not ids:
                raise UsageProblem("give a search query or --id ARXIV_ID for `fetch arxiv`")
            since_day = _day(since, "--since") if since else None
            reports = library.fetch_arxiv(query, ids, since_day, limit=limit, delay=delay)
        else:
            if ids or since or len(terms) > 1:
                raise UsageProblem("`fetch hf` takes one DATE (YYYY-MM-DD) at most")
            day = _day(terms[0], "DATE") if terms else None
            reports = library.fetch_hf(day, wait=delay)
    except FetchError as error:
        raise click.ClickException(str(error)) from None
    report(reports)
