"""Markdown captures of one Hugging Face paper page (`https://huggingface.co/papers/ID`).

The page reads, top to bottom: `arxiv:ID`, the title as a heading (`# Title` or a setext
`Title` / `=====`), `Published on Sep 21, 2023`, the upvote link, `Authors:` with one name per
paragraph (linked or plain, each ending in `,`), an `Abstract` heading and its paragraphs up to
`[View arXiv page](…) [View PDF](…)`. The community section, related papers and "citing this
paper" lists below it are never read.
"""

from __future__ import annotations

import re

from paperdeck.readers.mdtext import plain, upvotes
from paperdeck.readers.record import ARXIV_ID, Links, SourceRecord, collapse, safe_date

_ARXIV_LINE = re.compile(rf"^arxiv:({ARXIV_ID})\s*$", re.IGNORECASE)
_ATX = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SETEXT_H1 = re.compile(r"^=+\s*$")
_SETEXT_H2 = re.compile(r"^-+\s*$")
_ABSTRACT = re.compile(r"^(?:#{1,6}\s*)?Abstract\s*$", re.IGNORECASE)
_PUBLISHED = re.compile(
    r"^Published on (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{1,2}), (\d{4})$"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_VIEW_LINK = re.compile(r"\[View (arXiv page|PDF)\]\((https?://[^()\s]+)\)")
_END_OF_ABSTRACT = re.compile(r"^(?:\[View arXiv page\]|\[View PDF\]|#)")
_SCAN_LINES = 400  # the metadata sits at the top of the page; never scan a whole huge file


def looks_like(lines: list[str], first: int) -> bool:
    """An `arxiv:ID` line near the top, as every paper page has above its title."""
    return any(_ARXIV_LINE.match(line.strip()) for line in lines[first : first + _SCAN_LINES])


def read_page(lines: list[str], first: int, format_name: str) -> SourceRecord | None:
    """The page's paper, or None when its title cannot be found where the page puts it."""
    start, found = next(
        (
            (i, match)
            for i in range(first, min(len(lines), first + _SCAN_LINES))
            if (match := _ARXIV_LINE.match(lines[i].strip()))
        ),
        (None, None),
    )
    if start is None or found is None:
        return None
    arxiv_id = found.group(1)
    title, after_title = _title(lines, start + 1)
    if not title:
        return None
    published = precision = None
    authors: list[str] = []
    abstract: list[str] = []
    links: dict[str, str] = {}
    section = "meta"
    paragraph: list[str] = []
    end = min(len(lines), after_title + _SCAN_LINES * 5)
    for index in range(after_title, end + 1):
        line = lines[index].strip() if index < end else ""
        for kind, url in _VIEW_LINK.findall(line):
            links.setdefault(kind, url)
        if section == "meta":
            shown = _PUBLISHED.match(line)
            if shown and published is None:
                published, precision = safe_date(
                    shown.group(3), _MONTHS.index(shown.group(1)) + 1, shown.group(2)
                )
            if line == "Authors:":
                section = "authors"
            elif _ABSTRACT.match(line):
                section = "abstract"
            continue
        if section == "authors":
            if _ABSTRACT.match(line):
                section = "abstract"
            elif line:
                name = collapse(plain(line).rstrip(",").strip())
                if name and not name.startswith("+"):
                    authors.append(name)
            continue
        # abstract: paragraphs up to the "View arXiv page" row or the next heading
        if _SETEXT_H2.match(line) and not paragraph and not abstract:
            continue
        if _END_OF_ABSTRACT.match(line) or _SETEXT_H2.match(line) or index >= end:
            if paragraph:
                abstract.append(" ".join(paragraph))
            break
        if line:
            paragraph.append(line)
        elif paragraph:
            abstract.append(" ".join(paragraph))
            paragraph = []
    return SourceRecord(
        format=format_name,
        line=start + 1,
        title=plain(title),
        abstract=collapse(" ".join(plain(p) for p in abstract)),
        authors=tuple(authors),
        published=published,
        published_precision=precision or None,
        arxiv_id=arxiv_id,
        links=Links(
            pdf=links.get("PDF", f"https://arxiv.org/pdf/{arxiv_id}"),
            abstract_page=links.get("arXiv page", f"https://arxiv.org/abs/{arxiv_id}"),
            other=(f"https://huggingface.co/papers/{arxiv_id}",),
        ),
        upvotes=upvotes(lines[after_title : min(len(lines), after_title + 60)], arxiv_id),
    )


def _title(lines: list[str], index: int) -> tuple[str, int]:
    """The first heading after `arxiv:ID` (skipping at most a few short lines such as
    "Copy markdown"): ATX `# Title`, or setext lines underlined with `===`."""
    seen = 0
    while index < len(lines) and seen < 4:
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        atx = _ATX.match(line)
        if atx:
            return atx.group(1), index + 1
        block: list[str] = []
        probe = index
        while probe < len(lines) and lines[probe].strip() and len(block) < 3:
            if _SETEXT_H1.match(lines[probe].strip()) and block:
                return " ".join(block), probe + 1
            block.append(lines[probe].strip())
            probe += 1
        seen += 1
        index = probe
    return "", index
