"""Commands over the search index: index, search, similar, export."""

from __future__ import annotations

import contextlib
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from paperdeck.cli.common import (
    corpus_argument,
    corpus_option,
    display_title,
    echo_safe,
    is_terminal,
    open_library,
    print_json,
    resolve_paper,
)
from paperdeck.export import FORMATS, export
from paperdeck.library import Hit, Library, SearchResults

SEARCH_SORTS = (
    *("relevance", "date", "comments", "upvotes", "title"),
    *("-date", "-comments", "-upvotes", "-title"),
)


@click.command("index")
@corpus_argument
def index_command(corpus: str | None, corpus_option: str | None) -> None:
    """Build or refresh the search index (only what changed is re-indexed)."""
    library = open_library(corpus, corpus_option)
    console = Console(stderr=True)
    with index_progress(console, enabled=sys.stderr.isatty()) as report:
        index = library.open_index(report)
    for message in index.messages:
        echo_safe(message, err=True)
    stats = index.last_refresh
    click.echo(
        f"{len(library.papers)} papers indexed: {stats.added} added, {stats.updated} updated, "
        f"{stats.removed} removed, {stats.unchanged} unchanged",
        err=True,
    )


@contextlib.contextmanager
def index_progress(console: Console, *, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    """A bar over the papers handed to the index, then "writing the index" (the writer
    processes finish their segments: a third of a big build) with the time it has taken."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not enabled,
    ) as progress:
        task = progress.add_task("indexing papers", total=None)

        def report(done: int, total: int) -> None:
            what = "indexing papers" if done < total else "writing the index"
            progress.update(task, completed=done, total=total, description=what)

        yield report


def _print_hits(library: Library, hits: list[Hit], as_json: bool, query: str) -> None:
    if as_json:
        records = []
        for hit in hits:
            record = library.paper(hit.paper_id).to_dict()
            annotation = library.annotation(hit.paper_id)
            record.update(
                score=round(hit.score, 4),
                starred=annotation.starred,
                status=annotation.status,
                tags=list(annotation.tags),
            )
            records.append(record)
        print_json(records)
        return
    for hit in hits:
        paper = library.paper(hit.paper_id)
        annotation = library.annotation(hit.paper_id)
        star = "★" if annotation.starred else " "
        tags = " ".join(f"#{t}" for t in annotation.tags)
        date = paper.date.iso() if paper.date else "-"
        if is_terminal():
            echo_safe(f"{star} {paper.id}  {date}  {display_title(paper)}  {tags}".rstrip())
        else:
            echo_safe(f"{paper.id}\t{date}\t{paper.comments}\t{display_title(paper)}")


def _report_query_error(results: SearchResults) -> None:
    """A query mistake never fails a search: it is a warning on stderr, and the search ran on
    what was understood (so the exit status is that of any search: 0, whatever it found)."""
    if results.error:
        echo_safe(f"warning: {results.error}", err=True)  # it quotes the query


def _warn_folder_query(library: Library, query: tuple[str, ...], corpus_option: str | None) -> None:
    """`paperdeck export CORPUS` reads CORPUS as the query (these two commands take the corpus
    only as --corpus): say so rather than quietly searching another corpus for the folder name."""
    if corpus_option or len(query) != 1 or not query[0].strip():
        return
    with contextlib.suppress(OSError, ValueError):
        if Path(query[0]).expanduser().is_dir():
            echo_safe(
                f"warning: the query {query[0]!r} is a folder; it was searched for as text in "
                f"{library.root}: did you mean --corpus {shlex.quote(query[0])}?",
                err=True,
            )


@click.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--sort", type=click.Choice(SEARCH_SORTS), default="relevance", show_default=True)
def search_command(
    query: tuple[str, ...], corpus_option: str | None, as_json: bool, limit: int, sort: str
) -> None:
    """Search the corpus and your notes (query language: see README)."""
    library = open_library(None, corpus_option)
    _warn_folder_query(library, query, corpus_option)
    text = " ".join(query)
    results = library.search(text, sort=sort, limit=limit)
    _report_index(library)
    _report_query_error(results)
    _print_hits(library, results.hits, as_json, text)
    if not as_json:
        click.echo(f"{len(results.hits)} of {results.total_text} matches", err=True)


def _report_index(library: Library) -> None:
    """What happened to the index (rebuilt because damaged, locked...), on stderr."""
    for message in library.index.messages if library.index is not None else []:
        echo_safe(f"index: {message}", err=True)


@click.command("similar")
@click.argument("paper_id", metavar="ID")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
def similar_command(paper_id: str, corpus_option: str | None, as_json: bool, limit: int) -> None:
    """Papers most like this one, by title and abstract."""
    library = open_library(None, corpus_option)
    paper = resolve_paper(library, paper_id)
    hits = library.similar(paper.id, limit=limit)
    _report_index(library)
    _print_hits(library, hits, as_json, "")


@click.command("export", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@corpus_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option("--sort", type=click.Choice(SEARCH_SORTS), default="relevance", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
def export_command(
    query: tuple[str, ...], corpus_option: str | None, fmt: str, sort: str, output: str | None
) -> None:
    """Export the papers matching QUERY (all when empty) with their notes."""
    library = open_library(None, corpus_option)
    _warn_folder_query(library, query, corpus_option)
    results = library.search(" ".join(query), sort=sort, limit=None)
    _report_index(library)
    _report_query_error(results)
    items = [(library.paper(h.paper_id), library.annotation(h.paper_id)) for h in results.hits]
    text = export(items, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        echo_safe(f"{len(items)} papers written to {output}", err=True)
    else:
        click.echo(text, nl=False)
