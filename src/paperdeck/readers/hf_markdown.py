"""Markdown captures of Hugging Face papers pages (browser "save as Markdown", reader tools).

Read exactly or not at all: a paper is a heading `### [Title](https://huggingface.co/papers/ID)`;
its upvotes are the `[N](https://huggingface.co/login?next=%2Fpapers%2FID)` link before it; its
date (`May 29`, `Jun 8, 2023`) and comment count (`[6](https://huggingface.co/papers/ID#community)`
right after the date) and abstract paragraphs follow it. YAML front matter, navigation, thumbnails
and structural link pieces (a paragraph that is just `[` or `](url)`) are never papers or text.
A paper link whose title is not in that form is reported, never guessed.
"""

from __future__ import annotations

import re
from datetime import date

from paperdeck.readers.record import (
    ARXIV_ID,
    Links,
    ReadResult,
    ReadWarning,
    SourceRecord,
    collapse,
    safe_date,
)

NAME = "hf-papers-markdown"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HF = r"(?:https?://(?:www\.)?huggingface\.co)?"
_TITLE = re.compile(
    rf"^\s{{0,3}}#{{1,6}}\s+\[(?P<title>.+)\]\({_HF}/papers/(?P<id>{ARXIV_ID})(?:v\d+)?/?\)\s*$"
)
_UPVOTES = re.compile(rf"\[(\d[\d,]*)\]\({_HF}/login\?next=(?:%2F|/)papers(?:%2F|/)({ARXIV_ID})\)")
_DATE = re.compile(
    rf"^(?:Published on |Submitted on )?({'|'.join(MONTHS)})[a-z]*\.? ([1-9]|[12]\d|3[01])"
    rf"(?:, (\d{{4}}))?\s*(?:\[(\d+)\]\({_HF}/papers/({ARXIV_ID})#community\))?\s*$"
)
_PAPER_LINK = re.compile(
    rf"(?:https?://(?:www\.)?huggingface\.co|\]\()/papers/({ARXIV_ID})(?:v\d+)?(?![\w.#])"
)
_STRUCTURAL = re.compile(r"^(?:\[|\]|\]\([^)]*\)|!?\[!\[.*|\[!\[.*|-{3,}|\*{3,}|_{3,})$")
# Bracket classes exclude both brackets so a line of thousands of `[` stays linear to scan.
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_CHROME = re.compile(r"^(?:Submitted by|Upvote|Comment|Published on|Authors?:|·|•)", re.I)
ABSTRACT_MIN_WORDS = 8


def looks_like(text: str) -> bool:
    """An exact paper heading, or a Markdown page that links Hugging Face paper pages."""
    if any(_TITLE.match(line) for line in text.splitlines()):
        return True
    return "huggingface.co/papers/" in text and "](" in text


def read(text: str) -> ReadResult:
    """Every exactly-readable paper; warnings for paper links that are not."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = _after_front_matter(lines)
    titles = [
        (index, match)
        for index in range(first, len(lines))
        if (match := _TITLE.match(lines[index]))
    ]
    exact_ids = {match.group("id") for _, match in titles}
    warnings = _unread_links(lines, first, exact_ids)
    if not titles:
        message = (
            "this looks like a capture of a Hugging Face papers page, but no paper title is in "
            "the `### [Title](https://huggingface.co/papers/ID)` form paperdeck reads exactly, "
            "so nothing was read; capture the page again as Markdown with links, or save "
            "https://huggingface.co/api/daily_papers as JSON"
        )
        return ReadResult(NAME, (), (ReadWarning(first + 1, message),))
    records: list[SourceRecord] = []
    for number, (index, match) in enumerate(titles):
        before_start = titles[number - 1][0] + 1 if number else first
        after_end = titles[number + 1][0] if number + 1 < len(titles) else len(lines)
        records.append(_record(lines, index, match, before_start, after_end))
    return ReadResult(NAME, tuple(records), tuple(warnings))


def _after_front_matter(lines: list[str]) -> int:
    """Index of the first line after YAML front matter (`---` ... `---`/`...`), else 0."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, min(len(lines), 200)):
        if lines[index].strip() in {"---", "..."}:
            return index + 1
    return 0


def _unread_links(lines: list[str], first: int, exact: set[str]) -> list[ReadWarning]:
    warnings: list[ReadWarning] = []
    seen: set[str] = set()
    for index in range(first, len(lines)):
        for match in _PAPER_LINK.finditer(lines[index]):
            paper_id = match.group(1)
            if paper_id in exact or paper_id in seen:
                continue
            seen.add(paper_id)
            warnings.append(
                ReadWarning(
                    index + 1,
                    f"a link to paper {paper_id} whose title is not a "
                    "`### [Title](https://huggingface.co/papers/ID)` heading; skipped rather "
                    "than guessed: capture the page again as Markdown with links",
                )
            )
    return warnings


def _plain(text: str) -> str:
    return collapse(_ESCAPE.sub(r"\1", _LINK.sub(r"\1", _IMAGE.sub("", text))))


def _record(
    lines: list[str], index: int, match: re.Match[str], before_start: int, after_end: int
) -> SourceRecord:
    paper_id = match.group("id")
    upvotes = None
    for line in reversed(lines[before_start:index]):
        found = [m for m in _UPVOTES.finditer(line) if m.group(2) == paper_id]
        if found:
            upvotes = int(found[-1].group(1).replace(",", ""))
            break
    published = precision = None
    comments = None
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines[index + 1 : after_end], ""]:
        stripped = line.strip()
        shown = _DATE.match(stripped)
        if shown and published is None and shown.group(5) in (None, paper_id):
            published, precision = _date(shown, paper_id)
            comments = int(shown.group(4)) if shown.group(4) else None
        if not stripped or shown or _STRUCTURAL.match(stripped) or _mentions_other(line, paper_id):
            if current:
                paragraphs.append(" ".join(current))
            current = []
            continue
        current.append(stripped)
    abstract = " ".join(p for p in (_plain(p) for p in paragraphs if _is_prose(p)) if p)
    return SourceRecord(
        format=NAME,
        line=index + 1,
        title=_plain(match.group("title")),
        abstract=abstract,
        published=published,
        published_precision=precision,
        arxiv_id=paper_id,
        links=Links(
            pdf=f"https://arxiv.org/pdf/{paper_id}",
            abstract_page=f"https://arxiv.org/abs/{paper_id}",
            other=(f"https://huggingface.co/papers/{paper_id}",),
        ),
        upvotes=upvotes,
        comments=comments,
    )


def _mentions_other(line: str, paper_id: str) -> bool:
    """A line that links another paper starts that paper's card, never this one's text."""
    return any(m.group(1) != paper_id for m in _PAPER_LINK.finditer(line)) or any(
        m.group(2) != paper_id for m in _UPVOTES.finditer(line)
    )


def _is_prose(paragraph: str) -> bool:
    """Abstract text, not chrome: plain sentences, not headings, lists, tables or link rows."""
    if paragraph.startswith(("#", "|", ">", "* ", "- ", "+ ", "```")) or _CHROME.match(paragraph):
        return False
    plain = _plain(paragraph)
    return len(plain.split()) >= ABSTRACT_MIN_WORDS and len(plain) >= len(paragraph) / 3


def _date(match: re.Match[str], paper_id: str) -> tuple[date | None, str | None]:
    """The shown date; a listing shows no year, so it comes from the arXiv ID (YYMM), the next
    year when the shown month is before the ID's month (a December ID shown in January)."""
    month = MONTHS.index(match.group(1)) + 1
    year = int(match.group(3)) if match.group(3) else None
    if year is None and re.match(r"^\d{4}\.", paper_id):
        year = 2000 + int(paper_id[:2])
        if month < int(paper_id[2:4]):
            year += 1
    if year is None:
        return None, None
    found = safe_date(year, month, match.group(2))
    return found if found[0] else (None, None)
