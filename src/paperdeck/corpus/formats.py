"""The two corpus file formats, recognised from the content (never from the file name).

* Daily-papers pages: page chrome, then for each paper a title line, an abstract paragraph and an
  optional metadata block (`• N authors`, `·`, a date line with an optional comment count).
* One abstract per line: every non-empty line is an untitled paper.

Parsers take decoded text and return entries plus problems; they never raise on any input.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from itertools import pairwise

from paperdeck.corpus.identity import collapse_whitespace
from paperdeck.corpus.paper import MONTHS, Entry, PaperDate, Source
from paperdeck.problems import Problem

# Lines of page furniture that scraped daily-papers pages carry; never papers.
PAGE_CHROME = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
MAX_FIELD_CHARS = 100_000
TITLE_MAX_CHARS = 300
SHORT_ABSTRACT_WORDS = 8

_MONTH_NAMES = "|".join(MONTHS)
DATE_LINE = re.compile(rf"^({_MONTH_NAMES}) ([1-9]|[12]\d|3[01])(?:, (\d{{4}}))?(?: (\d+))?$")
AUTHORS_LINE = re.compile(r"^(?:[•·*-]\s*)?(\d+) authors?$")
SEPARATOR_LINE = re.compile(r"^[·•]$")
LINK = re.compile(r"(?:\bhttps?://|(?<![\w:/])//(?=[\w-]+\.)|\bwww\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?'\"”’*"
_BRACKETS = {")": "(", "]": "[", "}": "{"}
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'(\[]?[A-Z0-9])")
_FULL_STOP = re.compile(r"\.(?=\s+[\"'(\[]?[A-Z0-9])")
_SENTENCE_CLOSE = re.compile(r"[.?!][\"'”’)\]]*$")
_ABBREVIATIONS = ("e.g", "i.e", "et al", "etc", "vs", "cf", "fig", "eq", "resp", "approx", "no")
DERIVED_TITLE_MAX = 80


class Format(Enum):
    DAILY_PAPERS = "daily-papers"
    ABSTRACT_PER_LINE = "abstract-per-line"


def extract_links(text: str) -> tuple[str, ...]:
    """Links in the order they appear, without trailing punctuation, made openable.

    Scraped abstracts sometimes lost the scheme (`//github.com/...`); those get `https:`.
    """
    if "//" not in text and "www." not in text.lower():
        return ()  # the common case, checked without the (slow) regex scan
    links: list[str] = []
    for match in LINK.finditer(text):
        link = _strip_trailing(match.group(0))
        if link.startswith("//"):
            link = "https:" + link
        elif link.lower().startswith("www."):
            link = "https://" + link
        if link not in links and "." in link:
            links.append(link)
    return tuple(links)


def _strip_trailing(link: str) -> str:
    while link:
        last = link[-1]
        if last in _TRAILING_PUNCT or (
            last in _BRACKETS and link.count(last) > link.count(_BRACKETS[last])
        ):
            link = link[:-1]
        else:
            break
    return link


def derive_title(abstract: str) -> str:
    """A readable stand-in title for an untitled paper: its first sentence, cut at a word."""
    text = collapse_whitespace(abstract)
    end = len(text)
    for match in _SENTENCE_END.finditer(text):
        if match.start() == 0:
            continue  # leading punctuation does not end a (still empty) first sentence
        before = text[: match.start()].rsplit(" ", 1)[-1].casefold()
        if before.rstrip(".") in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
            continue
        end = match.start() + (0 if text[match.start()] == "." else 1)
        break
    sentence = text[:end].strip()
    if len(sentence) <= DERIVED_TITLE_MAX:
        return sentence or "(empty abstract)"
    cut = sentence[: DERIVED_TITLE_MAX - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def parse_date_line(text: str) -> tuple[PaperDate, int | None] | None:
    """`Mon D`, `Mon D N`, `Mon D, YYYY`, `Mon D, YYYY N`. None if not a date line.

    N is the comment count: on the site it links to `#community` (the upvotes stand before the
    title, and plain-text captures drop them).
    """
    match = DATE_LINE.match(text.strip())
    if not match:
        return None
    month = MONTHS[match.group(1)]
    day = int(match.group(2))
    year = int(match.group(3)) if match.group(3) else None
    # Without a year, allow Feb 29 (it exists in some year); never invent the year itself.
    if day > calendar.monthrange(year if year is not None else 2000, month)[1]:
        return None
    comments = int(match.group(4)) if match.group(4) else None
    return PaperDate(year, month, day), comments


def detect_format(text: str) -> Format | None:
    """Which format a file is in, from its content; None for anything else."""
    lines = [line.strip() for line in text.split("\n")]
    content = [line for line in lines if line]
    if not content:
        return None
    if any(line in PAGE_CHROME or AUTHORS_LINE.match(line) for line in content):
        return Format.DAILY_PAPERS
    long_lines = sum(1 for line in content if len(line.split()) >= SHORT_ABSTRACT_WORDS * 2)
    if long_lines == len(content):
        return Format.ABSTRACT_PER_LINE
    paragraphs = list(_paragraphs(text.split("\n")))
    titled = sum(
        1
        for first, second in pairwise(paragraphs)
        if _looks_like_title(first.text) and not _looks_like_title(second.text)
    )
    if titled and titled * 2 >= len(paragraphs) * 0.6:
        return Format.DAILY_PAPERS
    if long_lines * 10 >= len(content) * 8:
        return Format.ABSTRACT_PER_LINE
    return None


def parse(text: str, path: str) -> tuple[Format | None, list[Entry], list[Problem]]:
    fmt = detect_format(text)
    if fmt is Format.DAILY_PAPERS:
        return (fmt, *parse_daily_papers(text, path))
    if fmt is Format.ABSTRACT_PER_LINE:
        return (fmt, *parse_abstract_per_line(text, path))
    if not text.strip():
        problem = Problem(path, None, "empty file; no papers in it", "delete it or add papers")
    else:
        problem = Problem(
            path,
            None,
            "not a format paperdeck knows; skipped",
            "use a daily-papers page (title, blank line, abstract) or one abstract per line "
            f"(abstracts of at least {SHORT_ABSTRACT_WORDS * 2} words)",
        )
    return None, [], [problem]


def parse_abstract_per_line(text: str, path: str) -> tuple[list[Entry], list[Problem]]:
    """Every non-empty line is an abstract, except a line that clearly continues the one before.

    An abstract broken over several lines must not become several papers silently: a line that
    starts lower-case right after a line ending mid-sentence is joined to it; a line that only
    starts lower-case, or only follows a line ending mid-sentence, is read on its own and
    reported, so the user can look.
    """
    problems: list[Problem] = []
    abstracts: list[tuple[int, list[str]]] = []  # (first line, its lines)
    previous: str | None = None  # the line just before, when it was not blank
    for number, raw in enumerate(text.split("\n"), start=1):
        line = collapse_whitespace(raw)
        if not line:
            previous = None
            continue
        starts_lower = line[0].islower()
        if previous is not None and not _ends_sentence(previous):
            if starts_lower:
                first = abstracts[-1][0]
                abstracts[-1][1].append(line)
                problems.append(
                    Problem(
                        path,
                        number,
                        f"starts lower-case right after line {number - 1}, which ends "
                        f"mid-sentence; joined to the abstract on line {first}",
                        "put each abstract on one line (an abstract broken over lines)",
                    )
                )
                previous = line
                continue
            problems.append(
                Problem(
                    path,
                    number,
                    f"line {number - 1} ends mid-sentence: is this line the rest of its "
                    "abstract? read as a paper of its own",
                    f"if it is, join it to line {number - 1}; if not, end line {number - 1} "
                    "with a full stop",
                )
            )
        elif previous is not None and starts_lower:
            problems.append(
                Problem(
                    path,
                    number,
                    f"starts lower-case: is it the end of the abstract on line {number - 1}? "
                    "read as a paper of its own",
                    f"if it is, join it to line {number - 1}",
                )
            )
        abstracts.append((number, [line]))
        previous = line
    entries: list[Entry] = []
    for number, lines in abstracts:
        abstract = _clip(_join_lines(lines), path, number, problems)
        if len(abstract.split()) < SHORT_ABSTRACT_WORDS:
            problems.append(
                Problem(
                    path,
                    number,
                    f"only {len(abstract.split())} words; read as an abstract anyway",
                    "in a one-abstract-per-line file every non-empty line is a paper",
                )
            )
        entries.append(Entry(None, abstract, Source(path, number), links=extract_links(abstract)))
    problems.sort(key=lambda problem: problem.line or 0)
    return entries, problems


def _ends_sentence(line: str) -> bool:
    """Ends with . ? ! (maybe inside quotes or brackets), or with a link, as abstracts often do."""
    return bool(_SENTENCE_CLOSE.search(line)) or bool(LINK.fullmatch(line.rsplit(" ", 1)[-1]))


def _join_lines(lines: list[str]) -> str:
    """One abstract from its lines; a word hyphenated at a line end (`gener-`) stays one word."""
    text = lines[0]
    for line in lines[1:]:
        text += line if text.endswith("-") else " " + line
    return text


# --- daily-papers pages ------------------------------------------------------------------------


@dataclass
class _Paragraph:
    lines: list[tuple[int, str]]

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        return collapse_whitespace(" ".join(text for _, text in self.lines))


def _paragraphs(lines: list[str]) -> Iterator[_Paragraph]:
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            current.append((number, raw.strip()))
        elif current:
            yield _Paragraph(current)
            current = []
    if current:
        yield _Paragraph(current)


def _looks_like_title(text: str) -> bool:
    """Short, and at most one full stop ending a sentence ("What? Why? How!" titles are fine)."""
    return len(text) <= TITLE_MAX_CHARS and _title_shaped(text)


def _title_shaped(text: str) -> bool:
    """At most one full stop ending a sentence, and not a long sentence ending in one."""
    return len(_FULL_STOP.findall(text)) < 2 and not (text.endswith(".") and len(text.split()) > 25)


@dataclass
class _Event:
    """One meaningful piece of a daily-papers page, in reading order."""

    kind: str  # "chrome" | "text" | "authors" | "separator" | "date"
    line: int
    text: str = ""
    value: object = None


def _events(text: str) -> Iterator[_Event]:
    """Metadata lines are recognised line by line, even when no blank line separates them."""
    for paragraph in _paragraphs(text.split("\n")):
        pending: list[tuple[int, str]] = []
        flush = partial(_flush_text, pending)

        for number, line in paragraph.lines:
            authors = AUTHORS_LINE.match(line)
            date = parse_date_line(line)
            if line in PAGE_CHROME and not pending:
                yield _Event("chrome", number, line)
            elif authors:
                yield from flush()
                yield _Event("authors", number, line, int(authors.group(1)))
            elif SEPARATOR_LINE.match(line):
                yield from flush()
                yield _Event("separator", number, line)
            elif date is not None:
                yield from flush()
                yield _Event("date", number, line, date)
            else:
                pending.append((number, line))
        yield from flush()


def _flush_text(pending: list[tuple[int, str]]) -> Iterator[_Event]:
    """The text lines collected so far, as one text event (and the collection emptied)."""
    if pending:
        block = _Paragraph(list(pending))
        pending.clear()
        yield _Event("text", block.line, block.text)


@dataclass
class _Draft:
    title: str
    line: int
    abstract: list[str] = field(default_factory=list)
    author_count: int | None = None
    date: PaperDate | None = None
    comments: int | None = None
    has_metadata: bool = False


def parse_daily_papers(text: str, path: str) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    events = list(_events(text))
    draft: _Draft | None = None
    after_chrome = True  # a date line right after the page chrome is the page's own date

    def finish() -> None:
        nonlocal draft
        if draft is None:
            return
        abstract = "\n\n".join(draft.abstract)
        if not abstract:
            problems.append(
                Problem(
                    path,
                    draft.line,
                    f"title {draft.title[:60]!r} has no abstract; read with an empty abstract",
                    "put the abstract on the next paragraph, after one blank line",
                )
            )
        entries.append(
            Entry(
                title=draft.title,
                abstract=abstract,
                source=Source(path, draft.line),
                author_count=draft.author_count,
                date=draft.date,
                comments=draft.comments,
                links=extract_links(abstract),
            )
        )
        draft = None

    for index, event in enumerate(events):
        if event.kind == "chrome":
            finish()
            after_chrome = True
            continue
        if event.kind == "separator":
            continue
        if event.kind in ("authors", "date"):
            if event.kind == "date" and draft is None and after_chrome:
                continue  # the page's own date line, e.g. `Jul 9`
            if draft is None:
                problems.append(
                    Problem(path, event.line, f"{event.text!r} follows no paper; ignored")
                )
                continue
            if not draft.abstract:
                problems.append(
                    Problem(
                        path,
                        event.line,
                        f"metadata {event.text!r} comes before any abstract of {draft.title!r}",
                        "the order is title, abstract, then authors and date",
                    )
                )
            _apply_metadata(draft, event, path, problems)
            continue
        after_chrome = False
        content = _clip(event.text, path, event.line, problems)
        next_event = events[index + 1] if index + 1 < len(events) else None
        if draft is not None and not draft.abstract:
            # Expecting an abstract. A title-like paragraph followed by a real abstract means
            # the previous title had none: do not shift every later paper by one.
            if (
                _looks_like_title(content)
                and next_event is not None
                and next_event.kind == "text"
                and not _looks_like_title(next_event.text)
            ):
                finish()
                draft = _Draft(content, event.line)
            else:
                draft.abstract.append(content)
            continue
        long_title = not _looks_like_title(content) and _long_title(content, events, index)
        if (
            draft is not None
            and not draft.has_metadata
            and not _looks_like_title(content)
            and not (long_title and _title_shaped(content))
        ):
            draft.abstract.append(content)  # a second paragraph of the same abstract
            continue
        finish()
        if long_title:
            problems.append(
                Problem(
                    path,
                    event.line,
                    f"title line of {len(content):,} characters; read as the title of the "
                    "abstract after it",
                    f"shorten the title (titles are at most {TITLE_MAX_CHARS} characters)",
                )
            )
            draft = _Draft(content, event.line)
            continue
        if not _looks_like_title(content):
            problems.append(
                Problem(
                    path,
                    event.line,
                    "a paragraph where a title was expected; read as an untitled paper",
                    "give it a title line followed by a blank line",
                )
            )
            entries.append(
                Entry(None, content, Source(path, event.line), links=extract_links(content))
            )
            continue
        draft = _Draft(content, event.line)
    finish()
    return entries, problems


def _long_title(content: str, events: list[_Event], index: int) -> bool:
    """A title too long to look like one, recognised by where it stands on the page instead.

    It is followed by an abstract, and either that abstract by the paper's metadata, or the
    line itself is shaped like a title (at most one sentence) and the next one is not.
    """
    following = events[index + 1 : index + 3]
    if not following or following[0].kind != "text":
        return False
    if len(following) > 1 and following[1].kind in ("authors", "date"):
        return True
    return _title_shaped(content) and not _looks_like_title(following[0].text)


def _apply_metadata(draft: _Draft, event: _Event, path: str, problems: list[Problem]) -> None:
    draft.has_metadata = True
    if event.kind == "authors":
        if draft.author_count is not None:
            problems.append(Problem(path, event.line, "second authors line for one paper; ignored"))
            return
        draft.author_count = int(event.value)  # type: ignore[call-overload]
        return
    if draft.date is not None:
        problems.append(Problem(path, event.line, "second date line for one paper; ignored"))
        return
    date, comments = event.value  # type: ignore[misc]
    draft.date, draft.comments = date, comments


def _clip(text: str, path: str, line: int, problems: list[Problem]) -> str:
    if len(text) <= MAX_FIELD_CHARS:
        return text
    problems.append(
        Problem(
            path,
            line,
            f"{len(text):,} characters in one paragraph; kept the first {MAX_FIELD_CHARS:,}",
            "is this really a paper? split it or remove it from the corpus",
        )
    )
    return text[:MAX_FIELD_CHARS]
