"""Text helpers the corpus format parsers share: links, date lines, titles derived from an
abstract, and field length limits (with the problem a clipped field reports)."""

from __future__ import annotations

import calendar
import re

from paperdeck.corpus.identity import collapse_whitespace
from paperdeck.corpus.paper import MONTHS, PaperDate
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
FULL_STOP = re.compile(r"\.(?=\s+[\"'(\[]?[A-Z0-9])")
SENTENCE_CLOSE = re.compile(r"[.?!][\"'”’)\]]*$")
_ABBREVIATIONS = ("e.g", "i.e", "et al", "etc", "vs", "cf", "fig", "eq", "resp", "approx", "no")
DERIVED_TITLE_MAX = 80


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


def clip_field(text: str, path: str, line: int, problems: list[Problem]) -> str:
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
