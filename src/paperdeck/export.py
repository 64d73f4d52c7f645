"""Exports of papers with their notes: JSON, BibTeX and a Markdown reading list.

BibTeX and Markdown are read by people (and often printed to a terminal), so control characters
from the data are neutralised in them (`paperdeck.safe_text`); JSON keeps the exact text.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable

from paperdeck.corpus.paper import Paper
from paperdeck.notes.annotation import Annotation
from paperdeck.safe_text import json_terminal_safe, terminal_safe

FORMATS = ("json", "bibtex", "markdown")
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_ESCAPE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_escape(text: str) -> str:
    return _BIBTEX_ESCAPE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], text)


def bibtex_key(paper: Paper) -> str:
    """The paper ID with `-` turned into `_` is a valid, stable BibTeX key."""
    return paper.id.replace("-", "_")


def _bibtex_text(text: str) -> str:
    return bibtex_escape(terminal_safe(text))


def _verbatim(text: str) -> str:
    """URLs, DOIs and eprint IDs stay verbatim (the url/doi packages and biblatex read them so):
    only braces would break the entry."""
    return terminal_safe(text).replace("{", "%7B").replace("}", "%7D")


def bibtex_entry(paper: Paper, annotation: Annotation | None = None) -> str:
    # Double braces keep the title's capitals (GraphGPT) in every BibTeX style.
    fields = [("title", "{{" + _bibtex_text(paper.title) + "}}")]
    if paper.authors:
        # "First Last" names, as BibTeX reads them; `and` separates (README).
        names = " and ".join(_bibtex_text(name) for name in paper.authors)
        fields.append(("author", "{" + names + "}"))
    if paper.date is not None and paper.date.year is not None:
        fields.append(("year", str(paper.date.year)))
    if paper.date is not None and paper.date.month:
        fields.append(("month", calendar.month_abbr[paper.date.month].lower()))
    if paper.doi:
        fields.append(("doi", "{" + _verbatim(paper.doi) + "}"))
    if paper.arxiv_id:
        # biblatex's eprint fields (natbib styles read them too): what cites an arXiv paper.
        fields.append(("eprint", "{" + _verbatim(paper.arxiv_id) + "}"))
        fields.append(("archiveprefix", "{arXiv}"))
        if paper.categories:
            fields.append(("primaryclass", "{" + _verbatim(paper.categories[0]) + "}"))
    if paper.links:
        fields.append(("url", "{" + _verbatim(paper.links[0]) + "}"))
    if paper.abstract:
        fields.append(("abstract", "{" + _bibtex_text(paper.abstract) + "}"))
    if annotation is not None and annotation.tags:
        fields.append(("keywords", "{" + _bibtex_text(", ".join(annotation.tags)) + "}"))
    if annotation is not None and annotation.note:
        fields.append(("note", "{" + _bibtex_text(annotation.note) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{terminal_safe(bibtex_key(paper))},\n{body}\n}}\n"


def export_json(items: Iterable[tuple[Paper, Annotation]]) -> str:
    records = []
    for paper, annotation in items:
        record = paper.to_dict()
        record.update(
            starred=annotation.starred,
            status=annotation.status,
            tags=list(annotation.tags),
            note=annotation.note,
        )
        records.append(record)
    return json_terminal_safe(json.dumps(records, ensure_ascii=False, indent=2)) + "\n"


def export_bibtex(items: Iterable[tuple[Paper, Annotation]]) -> str:
    return "\n".join(bibtex_entry(paper, annotation) for paper, annotation in items)


def export_markdown(
    items: Iterable[tuple[Paper, Annotation]], heading: str = "Reading list"
) -> str:
    lines = [f"# {heading}", ""]
    for paper, annotation in items:
        mark = "★ " if annotation.starred else ""
        title = f"*{paper.title}* (untitled)" if paper.title_derived else paper.title
        lines.append(f"## {mark}{title}")
        lines.append("")
        facts = [f"`{paper.id}`", annotation.status]
        if paper.date is not None:
            facts.append(paper.date.display())
        if annotation.tags:
            facts.append(" ".join(f"#{tag}" for tag in annotation.tags))
        lines.append(" · ".join(facts))
        for link in paper.links:
            lines.append(f"<{link}>")
        lines.append("")
        if annotation.note:
            lines.extend(["> " + line if line else ">" for line in annotation.note.split("\n")])
            lines.append("")
    return terminal_safe("\n".join(lines).rstrip("\n") + "\n")


def export(items: Iterable[tuple[Paper, Annotation]], fmt: str) -> str:
    if fmt == "json":
        return export_json(items)
    if fmt == "bibtex":
        return export_bibtex(items)
    if fmt == "markdown":
        return export_markdown(items)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
