"""Commands that read the corpus: list, show, check."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from paperdeck.cli.common import (
    corpus_argument,
    corpus_option,
    count_of,
    display_title,
    echo_safe,
    is_terminal,
    open_library,
    print_json,
    resolve_paper,
)
from paperdeck.library import Paper
from paperdeck.safe_text import terminal_safe
from paperdeck.sorting import PREDICTED, SORTS, sort_papers


@click.command("list")
@corpus_argument
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (see README).")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="source",
    show_default=True,
    help="Order: as read, newest, most comments, most upvotes (none known yet), title, or "
    "predicted (unread papers most like those you starred or read, against those you skipped).",
)
def list_command(corpus: str | None, corpus_option: str | None, as_json: bool, sort: str) -> None:
    """List the papers of the corpus, one per row."""
    library = open_library(corpus, corpus_option)
    if sort == PREDICTED:
        library.prepare_predictions()
        echo_safe(library.prediction_note(), err=True)
        papers = [library.paper(pid) for pid in library.sort_ids(library.corpus.ids, sort)]
    else:
        papers = sort_papers(library.papers, sort)
    if as_json:
        print_json([paper.to_dict() for paper in papers])
        return
    if not is_terminal():
        for paper in papers:
            date = paper.date.iso() if paper.date else "-"
            echo_safe(f"{paper.id}\t{date}\t{paper.comments}\t{display_title(paper)}")
        return
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    table.add_column("ID", style="cyan", no_wrap=True, max_width=52)
    table.add_column("Date", no_wrap=True)
    table.add_column("Comments", justify="right", no_wrap=True)
    table.add_column("Title", ratio=1, overflow="ellipsis", no_wrap=True)
    for paper in papers:
        title = Text(display_title(paper), style="italic dim" if paper.title_derived else "")
        table.add_row(
            Text(terminal_safe(paper.id)),
            paper.date.display() if paper.date else "",
            str(paper.comments or ""),
            title,
        )
    console = Console()
    console.print(table)
    problems = len(library.problems())
    footer = f"{count_of(len(papers), 'paper', none='0')} in {library.root}"
    if problems:
        footer += f"; {count_of(problems, 'problem')} (run `paperdeck check`)"
    console.print(Text(terminal_safe(footer), style="dim"))


@click.command("show")
@click.argument("paper_id", metavar="ID")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object (see README).")
def show_command(paper_id: str, corpus_option: str | None, as_json: bool) -> None:
    """Show every field of one paper; ID may be any unambiguous prefix."""
    library = open_library(None, corpus_option)
    paper = resolve_paper(library, paper_id)
    annotation = library.annotation(paper.id)
    if as_json:
        record = paper.to_dict()
        record.update(
            starred=annotation.starred,
            status=annotation.status,
            tags=list(annotation.tags),
            note=annotation.note,
        )
        print_json(record)
        return
    read_only = library.read_only_reason(paper.id)
    rows = [
        ("id", paper.id),
        ("title", display_title(paper)),
        ("date", paper.date.display() if paper.date else "-"),
        ("authors", _authors(paper)),
        ("comments", str(paper.comments)),
        ("links", "\n".join(paper.links) or "-"),
        ("sources", "\n".join(str(source) for source in paper.sources)),
        ("starred", "yes" if annotation.starred else "no"),
        ("status", annotation.status),
        ("tags", " ".join(annotation.tags) or "-"),
    ]
    extra = (("journal", paper.journal_ref), ("listed as", paper.listing))
    for name, value in reversed(extra):
        if value:  # only sources in the readers' formats give them
            rows.insert(4, (name, value))  # after the authors
    for name, value in (("arxiv", paper.arxiv_id), ("doi", paper.doi)):
        if value:
            rows.insert(3, (name, value))
    if read_only:
        rows.append(("notes", f"read-only: {read_only}"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        lines = value.split("\n")
        echo_safe(f"{name:<{width}}  {lines[0]}")
        for line in lines[1:]:
            echo_safe(f"{'':<{width}}  {line}")
    click.echo()
    echo_safe(paper.abstract)
    if annotation.note:
        click.echo()
        click.echo("--- note")
        echo_safe(annotation.note)


def _authors(paper: Paper) -> str:
    """The names, one per line, when a source gives them; else the count a page gave."""
    if paper.authors:
        return "\n".join(paper.authors)
    return str(paper.author_count) if paper.author_count is not None else "-"


@click.command("check")
@corpus_argument
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON array.")
def check_command(corpus: str | None, corpus_option: str | None, as_json: bool) -> None:
    """Report every problem in the corpus and the notes; exit status 1 when there is any."""
    library = open_library(corpus, corpus_option)
    problems = library.problems()
    if as_json:
        print_json([problem.to_dict() for problem in problems])
    else:
        for problem in problems:
            echo_safe(str(problem))  # problems quote file content
        papers = count_of(len(library.papers), "paper", none="0")
        summary = f"{count_of(len(problems), 'problem')} in {papers} ({library.root})"
        echo_safe(summary, err=True)
    if problems:
        raise SystemExit(1)
