"""Daily-papers pages: page chrome, then for each paper a title line, an abstract paragraph and
an optional metadata block (`• N authors`, `·`, a date line with an optional comment count).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from paperdeck.corpus.fields import (
    AUTHORS_LINE,
    FULL_STOP,
    PAGE_CHROME,
    SEPARATOR_LINE,
    TITLE_MAX_CHARS,
    clip_field,
    extract_links,
    parse_date_line,
)
from paperdeck.corpus.identity import collapse_whitespace
from paperdeck.corpus.paper import Entry, PaperDate, Source
from paperdeck.problems import Problem


@dataclass
class _Paragraph:
    lines: list[tuple[int, str]]

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        return collapse_whitespace(" ".join(text for _, text in self.lines))


def page_paragraphs(lines: list[str]) -> Iterator[_Paragraph]:
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            current.append((number, raw.strip()))
        elif current:
            yield _Paragraph(current)
            current = []
    if current:
        yield _Paragraph(current)


def looks_like_title(text: str) -> bool:
    """Short, and at most one full stop ending a sentence ("What? Why? How!" titles are fine)."""
    return len(text) <= TITLE_MAX_CHARS and _title_shaped(text)


def _title_shaped(text: str) -> bool:
    """At most one full stop ending a sentence, and not a long sentence ending in one."""
    return len(FULL_STOP.findall(text)) < 2 and not (text.endswith(".") and len(text.split()) > 25)


@dataclass
class _Event:
    """One meaningful piece of a daily-papers page, in reading order."""

    kind: str  # "chrome" | "text" | "authors" | "separator" | "date"
    line: int
    text: str = ""
    author_count: int | None = None  # on an "authors" event
    date: tuple[PaperDate, int | None] | None = None  # on a "date" event: (date, comments)


def _events(text: str) -> Iterator[_Event]:
    """Metadata lines are recognised line by line, even when no blank line separates them."""
    for paragraph in page_paragraphs(text.split("\n")):
        pending: list[tuple[int, str]] = []
        flush = partial(_flush_text, pending)

        for number, line in paragraph.lines:
            authors = AUTHORS_LINE.match(line)
            date = parse_date_line(line)
            if line in PAGE_CHROME and not pending:
                yield _Event("chrome", number, line)
            elif authors:
                yield from flush()
                yield _Event("authors", number, line, author_count=int(authors.group(1)))
            elif SEPARATOR_LINE.match(line):
                yield from flush()
                yield _Event("separator", number, line)
            elif date is not None:
                yield from flush()
                yield _Event("date", number, line, date=date)
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
        content = clip_field(event.text, path, event.line, problems)
        next_event = events[index + 1] if index + 1 < len(events) else None
        if draft is not None and not draft.abstract:
            # Expecting an abstract. A title-like paragraph followed by a real abstract means
            # the previous title had none: do not shift every later paper by one.
            if (
                looks_like_title(content)
                and next_event is not None
                and next_event.kind == "text"
                and not looks_like_title(next_event.text)
            ):
                finish()
                draft = _Draft(content, event.line)
            else:
                draft.abstract.append(content)
            continue
        long_title = not looks_like_title(content) and _long_title(content, events, index)
        if (
            draft is not None
            and not draft.has_metadata
            and not looks_like_title(content)
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
        if not looks_like_title(content):
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
    return _title_shaped(content) and not looks_like_title(following[0].text)


def _apply_metadata(draft: _Draft, event: _Event, path: str, problems: list[Problem]) -> None:
    draft.has_metadata = True
    if event.kind == "authors":
        if draft.author_count is not None:
            problems.append(Problem(path, event.line, "second authors line for one paper; ignored"))
            return
        draft.author_count = event.author_count
        return
    if draft.date is not None:
        problems.append(Problem(path, event.line, "second date line for one paper; ignored"))
        return
    if event.date is not None:
        draft.date, draft.comments = event.date
