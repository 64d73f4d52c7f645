"""Markdown captures of Hugging Face papers listings (browser clippers, firecrawl, HTML-to-text).

Read exactly or not at all: a paper is a heading `### [Title](https://huggingface.co/papers/ID)`
(the title may wrap onto the next line). Around it, tied to it by its ID: the upvote link
(`[101](https://huggingface.co/login?next=%2Fpapers%2FID)`, also `[Upvote 19](…)` and
`[Upvote\\n\\n117](…)`), the date (`May 29`, `Feb 27, 2025`, `· Published on Oct 4, 2026`) with the
comment count right after it (`[6](https://huggingface.co/papers/ID#community)`), and the
abstract paragraph (plain, or wrapped in a link to the paper). YAML front matter, navigation,
thumbnails and structural link pieces (a paragraph that is just `[` or `](url)`) are never
papers or text, and a line linking another paper ends a card. A paper link whose title is not
in that form is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from paperdeck.readers import hf_paper_page
from paperdeck.readers.mdtext import HF, UPVOTES, plain, upvotes
from paperdeck.readers.record import (
    ARXIV_ID,
    Links,
    ReadResult,
    ReadWarning,
    SourceRecord,
    safe_date,
)

NAME = "hf-papers-markdown"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HEADING_START = re.compile(r"^\s{0,3}#{1,6}\s+\[")
_TITLE = re.compile(
    rf"^\s{{0,3}}#{{1,6}}\s+\[(?P<title>.+)\]\({HF}/papers/(?P<id>{ARXIV_ID})(?:v\d+)?/?\)\s*$"
)
_DATE = re.compile(
    rf"(?:^|·\s*)(?:Published on\s+)?({'|'.join(MONTHS)})[a-z]*\.? ([1-9]|[12]\d|3[01])"
    rf"(?:, (\d{{4}}))?\s*(?:\[(\d+)\]\({HF}/papers/({ARXIV_ID})#community\))?\s*$"
)
_PAPER_LINK = re.compile(
    rf"(?:https?://(?:www\.)?huggingface\.co|\]\()/papers/({ARXIV_ID})(?:v\d+)?(?![\w.#])"
)
_STRUCTURAL = re.compile(r"^(?:\[|\]|\]\([^)]*\)|!?\[!\[.*|\[!\[.*|-{3,}|\*{3,}|_{3,}|<.*>)$")
_CHROME = re.compile(r"^(?:Submitted by|Upvote|Comment|Published on|Authors?:|·|•)", re.I)
ABSTRACT_MIN_WORDS = 8
_NO_EXACT_TITLES = (
    "this looks like a capture of a Hugging Face papers page, but no paper title is in "
    "the `### [Title](https://huggingface.co/papers/ID)` form paperdeck reads exactly, "
    "so nothing was read; capture the page again as Markdown with links, or save "
    "https://huggingface.co/api/daily_papers as JSON"
)


def looks_like(text: str) -> bool:
    """An exact paper heading, or a Markdown page that links Hugging Face paper pages."""
    if any(_TITLE.match(line) for line in text.splitlines() if _HEADING_START.match(line)):
        return True
    if "huggingface.co" in text and hf_paper_page.looks_like(text.splitlines(), 0):
        return True
    return "huggingface.co/papers/" in text and "](" in text


def read(text: str) -> ReadResult:
    """Every exactly-readable paper; warnings for paper links that are not."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = _after_front_matter(lines)
    titles = _titles(lines, first)
    warnings = _unread_links(lines, first, {match.group("id") for _, _, match in titles})
    if not titles:
        page = hf_paper_page.read_page(lines, first, NAME)
        if page is not None:  # a single paper's page; its related-paper links are not papers
            return ReadResult(NAME, (page,))
        return ReadResult(NAME, (), (ReadWarning(first + 1, _NO_EXACT_TITLES),))
    records: list[SourceRecord] = []
    for number, (start, end, match) in enumerate(titles):
        before = titles[number - 1][1] + 1 if number else first
        after = titles[number + 1][0] if number + 1 < len(titles) else len(lines)
        records.append(_record(lines, start, match, lines[before:start], lines[end + 1 : after]))
    return ReadResult(NAME, _merge_repeats(records), tuple(warnings))


def _merge_repeats(records: list[SourceRecord]) -> tuple[SourceRecord, ...]:
    """One record per paper: trending pages show each card twice (with and without
    "Published on"); the first keeps its line, later ones fill what it lacks."""
    merged: dict[str, SourceRecord] = {}
    for record in records:
        key = record.arxiv_id or ""
        first = merged.get(key)
        if first is None:
            merged[key] = record
            continue
        missing = {
            name: getattr(record, name)
            for name in ("abstract", "published", "published_precision", "upvotes", "comments")
            if getattr(first, name) in (None, "") and getattr(record, name) not in (None, "")
        }
        merged[key] = replace(first, **missing)
    return tuple(merged.values())


def _titles(lines: list[str], first: int) -> list[tuple[int, int, re.Match[str]]]:
    """(first line, last line, match) of each paper heading; a title wrapped by the capture
    tool onto the next line or two is joined back."""
    found: list[tuple[int, int, re.Match[str]]] = []
    index = first
    while index < len(lines):
        if _HEADING_START.match(lines[index]):
            for extra in range(3):
                joined = " ".join(part.strip() for part in lines[index : index + extra + 1])
                match = _TITLE.match(joined)
                if match:
                    found.append((index, index + extra, match))
                    index += extra
                    break
                if index + extra + 1 >= len(lines) or not lines[index + extra + 1].strip():
                    break
        index += 1
    return found


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


def _record(
    lines: list[str], start: int, match: re.Match[str], before: list[str], after: list[str]
) -> SourceRecord:
    paper_id = match.group("id")
    card: list[str] = []
    for line in after:  # the card ends where a line links another paper
        if _mentions_other(line, paper_id):
            break
        card.append(line)
    published = precision = comments = None
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*card, ""]:
        stripped = line.strip()
        shown = _DATE.search(stripped)
        if shown and published is None and shown.group(5) in (None, paper_id):
            published, precision = _date(shown, paper_id)
            comments = int(shown.group(4)) if shown.group(4) else None
        if not stripped or shown or _STRUCTURAL.match(stripped):
            if current:
                paragraphs.append("\n".join(current))
            current = []
            continue
        current.append(stripped)
    votes = upvotes(card, paper_id)
    if votes is None:
        votes = upvotes(before, paper_id, last=True)
    return SourceRecord(
        format=NAME,
        line=start + 1,
        title=plain(match.group("title")),
        abstract=" ".join(plain(p) for p in paragraphs if _is_prose(p)),
        published=published,
        published_precision=precision,
        arxiv_id=paper_id,
        links=Links(
            pdf=f"https://arxiv.org/pdf/{paper_id}",
            abstract_page=f"https://arxiv.org/abs/{paper_id}",
            other=(f"https://huggingface.co/papers/{paper_id}",),
        ),
        upvotes=votes,
        comments=comments,
    )


def _mentions_other(line: str, paper_id: str) -> bool:
    """A line that links another paper starts that paper's card, never this one's text."""
    return any(m.group(1) != paper_id for m in _PAPER_LINK.finditer(line)) or any(
        m.group(2) != paper_id for m in UPVOTES.finditer(line)
    )


def _is_prose(paragraph: str) -> bool:
    """Abstract text, not chrome: plain sentences, not headings, lists, tables or link rows."""
    if paragraph.startswith(("#", "|", ">", "* ", "- ", "+ ", "```", "<")):
        return False
    if _CHROME.match(paragraph) or paragraph.startswith(("[- ", "[!", "[[")):
        return False
    text = plain(paragraph)
    return len(text.split()) >= ABSTRACT_MIN_WORDS and len(text) >= len(paragraph) / 3


def _date(match: re.Match[str], paper_id: str) -> tuple[date | None, str | None]:
    """The shown date. A listing shows no year for recent papers, so the year is the one that
    puts the date nearest the month of the arXiv ID (YYMM): an ID from December 2023 shown on
    "Jan 3" is 2024, one from June 2026 shown on "May 29" is 2026."""
    month, day = MONTHS.index(match.group(1)) + 1, match.group(2)
    if match.group(3):
        found = safe_date(match.group(3), month, day)
        return found if found[0] else (None, None)
    if not re.match(r"^\d{4}\.", paper_id):
        return None, None
    id_date = safe_date(2000 + int(paper_id[:2]), paper_id[2:4], 15)[0]
    if id_date is None:
        return None, None
    options = [safe_date(year, month, day)[0] for year in range(id_date.year - 1, id_date.year + 2)]
    valid = [option for option in options if option is not None]
    if not valid:
        return None, None
    return min(valid, key=lambda option: abs((option - id_date).days)), "day"
