"""Hugging Face daily-papers JSON (`https://huggingface.co/api/daily_papers` saved to a file).

Each item is `{"paper": {"id", "title", "summary", "authors": [{"name"}], "publishedAt",
"upvotes", ...}, "publishedAt", "title", "numComments", ...}`; `paper.id` is the arXiv ID,
`paper.publishedAt` the paper's date and the outer `publishedAt` the day it was featured.
Bare paper objects (as `/api/papers/ID` answers) are read too.
"""

from __future__ import annotations

from paperdeck.readers import jsondoc
from paperdeck.readers.record import (
    Links,
    ReadResult,
    ReadWarning,
    SourceRecord,
    as_count,
    collapse,
    iso_date,
    split_arxiv_id,
)

NAME = "hf-daily-papers-json"


def _paper(item: object) -> dict | None:
    if not isinstance(item, dict):
        return None
    paper = item.get("paper")
    if isinstance(paper, dict):
        return paper
    if "summary" in item and "id" in item and "title" in item:
        return item
    return None


def looks_like(document: object) -> bool:
    """A list of (or one) daily-papers items or paper objects (a stray other item is tolerated)."""
    items = document if isinstance(document, list) else [document]
    objects = [item for item in items[:20] if isinstance(item, dict)]
    papers = sum(_paper(item) is not None for item in objects)
    return papers > 0 and papers * 2 >= len(objects)


def read(text: str) -> ReadResult:
    """Every paper of the list; never raises."""
    _, located, error = jsondoc.parse(text, "Hugging Face daily-papers JSON")
    if error:
        return ReadResult(NAME, (), (error,))
    records: list[SourceRecord] = []
    warnings: list[ReadWarning] = []
    for line, item in located:
        paper = _paper(item)
        record = (
            _record(item, paper, line) if isinstance(item, dict) and paper is not None else None
        )
        if record is None:
            warnings.append(
                ReadWarning(line, "this item is not a daily-papers paper with a title; skipped")
            )
        else:
            records.append(record)
    return ReadResult(NAME, tuple(records), tuple(warnings))


def _s(mapping: dict, key: str) -> str:
    value = mapping.get(key)
    return collapse(value) if isinstance(value, str) else ""


def _record(item: dict, paper: dict, line: int) -> SourceRecord | None:
    title = _s(paper, "title") or _s(item, "title")
    paper_id = _s(paper, "id")
    arxiv_id, version = split_arxiv_id(paper_id)
    if not title:
        return None
    authors = paper.get("authors")
    names = tuple(
        name
        for author in (authors if isinstance(authors, list) else [])
        if isinstance(author, dict) and (name := _s(author, "name"))
    )
    published = iso_date(_s(paper, "publishedAt")) or iso_date(_s(item, "publishedAt"))
    other = [f"https://huggingface.co/papers/{paper_id}"] if arxiv_id else []
    for key in ("githubRepo", "projectPage"):
        link = _s(paper, key)
        if link.startswith(("https://", "http://")) and link not in other:
            other.append(link)
    return SourceRecord(
        format=NAME,
        line=line,
        title=title,
        abstract=_s(paper, "summary"),
        authors=names,
        published=published,
        published_precision="day" if published else None,
        arxiv_id=arxiv_id,
        arxiv_version=version,
        links=Links(
            pdf=f"https://arxiv.org/pdf/{arxiv_id}" if arxiv_id else None,
            abstract_page=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
            other=tuple(other),
        ),
        upvotes=as_count(paper.get("upvotes")),
        comments=as_count(item.get("numComments", paper.get("numComments"))),
    )
