"""The two corpus file formats, recognised from the content (never from the file name).

* Daily-papers pages (`paperdeck.corpus.daily_papers`): page chrome, then for each paper a title
  line, an abstract paragraph and an optional metadata block (`• N authors`, `·`, a date line
  with an optional comment count).
* One abstract per line (parsed here): every non-empty line is an untitled paper.
* Files a reader of `paperdeck.readers` recognises (arXiv, BibTeX, CSL JSON, Hugging Face) are
  read by it (`paperdeck.corpus.foreign`), before the two formats above are tried. A file
  that none of them reads is "not a format paperdeck knows".

Parsers take decoded text and return entries plus problems; they never raise on any input.
"""

from __future__ import annotations

from enum import Enum
from itertools import pairwise

from paperdeck.corpus.daily_papers import looks_like_title, page_paragraphs, parse_daily_papers
from paperdeck.corpus.fields import (
    AUTHORS_LINE,
    LINK,
    PAGE_CHROME,
    SENTENCE_CLOSE,
    SHORT_ABSTRACT_WORDS,
    clip_field,
    extract_links,
)
from paperdeck.corpus.foreign import is_foreign, parse_foreign
from paperdeck.corpus.identity import collapse_whitespace
from paperdeck.corpus.paper import Entry, Source
from paperdeck.problems import Problem


class Format(Enum):
    DAILY_PAPERS = "daily-papers"
    ABSTRACT_PER_LINE = "abstract-per-line"


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
    paragraphs = list(page_paragraphs(text.split("\n")))
    titled = sum(
        1
        for first, second in pairwise(paragraphs)
        if looks_like_title(first.text) and not looks_like_title(second.text)
    )
    if titled and titled * 2 >= len(paragraphs) * 0.6:
        return Format.DAILY_PAPERS
    if long_lines * 10 >= len(content) * 8:
        return Format.ABSTRACT_PER_LINE
    return None


def parse(text: str, path: str) -> tuple[Format | str | None, list[Entry], list[Problem]]:
    """The format (a `Format`, or the name of a `paperdeck.readers` format), entries, problems.

    A file a reader recognises (arXiv, BibTeX, CSL JSON, Hugging Face) is read by it first:
    minified JSON is one long line, which the one-abstract-per-line format would take for an
    abstract, and a Markdown capture of Hugging Face pages has title/abstract paragraphs that
    the daily-papers format would read with the navigation as papers.
    """
    if is_foreign(text, path):
        name, entries, problems = parse_foreign(text, path)
        if name is not None:
            return name, entries, problems
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
        abstract = clip_field(_join_lines(lines), path, number, problems)
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
    return bool(SENTENCE_CLOSE.search(line)) or bool(LINK.fullmatch(line.rsplit(" ", 1)[-1]))


def _join_lines(lines: list[str]) -> str:
    """One abstract from its lines; a word hyphenated at a line end (`gener-`) stays one word."""
    text = lines[0]
    for line in lines[1:]:
        text += line if text.endswith("-") else " " + line
    return text
