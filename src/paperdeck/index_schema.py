"""What the search index holds: the Whoosh schema, its analyzers, and one paper as a document.

Kept apart from `paperdeck.index` so the query compiler and the highlighter can share the
analyzers without importing the index machinery. Bump `SCHEMA_VERSION` whenever anything here
changes what gets indexed: an index written by another version is rebuilt on open.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from whoosh import fields
from whoosh.analysis import (
    Analyzer,
    Filter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
)
from whoosh.lang.porter import stem

from paperdeck.annotation import DEFAULT_STATUS, Annotation, normalise_tags
from paperdeck.paper import Paper, PaperDate

SCHEMA_VERSION = 2
TEXT_FIELDS = ("title", "abstract", "note")  # analysed with `text_analyzer`
DEFAULT_FIELDS = ("title", "abstract", "tags", "note")  # where bare words look
COMPLETE_MAX = 20  # longest title-word prefix kept in the edge-n-gram field
TOKEN_PATTERN = r"\w+(\.?\w+)*"  # Whoosh's default; the highlighter must split words the same way

# Dates become one sortable integer, yyyymmdd. A date without a year is mmdd (101..1231) and a
# paper without any date is 0: both sort below every dated paper, and no year range matches them.
NO_DATE = 0
KNOWN_YEAR_MIN = 10000


@lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    """Porter stem, cached: the same few thousand words come back in every abstract."""
    return stem(word)


class KeepOriginalStemFilter(Filter):
    """Index both the stem and the word itself (same position); queries use the stem.

    Stems alone break prefix and fuzzy queries (`generati*` or `difusion~` never meet the
    stem `gener`/`diffus`); keeping the lower-cased word too makes them work on every text
    field while plain words still match all their inflections.
    """

    def __call__(self, tokens: Any) -> Any:
        for token in tokens:
            original = token.text
            stemmed = stem_word(original)
            if token.mode == "query" or stemmed == original:
                token.text = stemmed
                yield token
                continue
            extra = token.copy()
            token.text = stemmed
            yield token
            extra.text = original
            yield extra


def text_analyzer() -> Analyzer:
    """No stop words: phrases like "learning to rank" must match word for word."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | KeepOriginalStemFilter()


def complete_analyzer() -> Analyzer:
    """Edge n-grams (2..COMPLETE_MAX letters) of title words, for cheap as-you-type prefixes."""
    return (
        RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | NgramFilter(2, COMPLETE_MAX, at="start")
    )


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()
    return fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),
        title=fields.TEXT(analyzer=analyzer, stored=True, field_boost=2.0),
        title_sort=fields.ID(sortable=True),
        complete=fields.TEXT(analyzer=complete_analyzer(), phrase=False, field_boost=2.0),
        abstract=fields.TEXT(analyzer=analyzer, stored=True),
        tags=fields.KEYWORD(commas=True, lowercase=True, scorable=True, field_boost=1.5),
        note=fields.TEXT(analyzer=analyzer),
        status=fields.ID(),
        starred=fields.BOOLEAN(),
        date=fields.NUMERIC(int, bits=32, sortable=True),  # signed: unsigned ranges misbehave
        date_oldest=fields.NUMERIC(int, bits=32, sortable=True),  # undated sort last
        upvotes=fields.NUMERIC(int, bits=32, sortable=True),
        sources=fields.KEYWORD(commas=True),
        fingerprint=fields.ID(stored=True, sortable=True),
    )


def date_value(date: PaperDate | None) -> int:
    """The sortable integer for a date; see NO_DATE above for the unknown cases."""
    if date is None:
        return NO_DATE
    return (date.year or 0) * 10000 + date.month * 100 + date.day


def _oldest_first(value: int) -> int:
    """For oldest-first sorting, where papers without a known year still come last."""
    return value if value >= KNOWN_YEAR_MIN else 99_999_999


def annotation_digest(annotation: Annotation | None) -> str:
    """A hash of what the index holds from a paper's notes (no notes = empty notes)."""
    if annotation is None:
        return _NO_NOTES
    key = (
        normalise_tags(annotation.tags),
        annotation.note,
        annotation.status,
        bool(annotation.starred),
    )
    return hashlib.sha1(repr(key).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def fingerprint(paper_digest: str, annotation: Annotation | None) -> str:
    """What the index must hold for one paper: its corpus content and its notes.

    Built from `Corpus.digest` (cached with the corpus) so checking 100,000 papers against the
    index needs no documents at all; `SCHEMA_VERSION` covers how the fields are analysed.
    """
    return f"{paper_digest}{annotation_digest(annotation)}"


def document(
    paper: Paper, annotation: Annotation | None, fingerprint_text: str | None = None
) -> dict[str, Any]:
    """The fields indexed for one paper, with its fingerprint (see `fingerprint`)."""
    tags = normalise_tags(annotation.tags) if annotation else ()
    doc: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "title_sort": paper.title.casefold(),
        "complete": paper.title,
        "abstract": paper.abstract,
        "tags": ",".join(tags),
        "note": annotation.note if annotation else "",
        "status": annotation.status if annotation else DEFAULT_STATUS,
        "starred": bool(annotation and annotation.starred),
        "date": date_value(paper.date),
        "date_oldest": _oldest_first(date_value(paper.date)),
        "upvotes": paper.upvotes,
        "sources": ",".join(sorted({source.path for source in paper.sources})),
    }
    if fingerprint_text is None:
        from paperdeck.corpus import content_digest

        fingerprint_text = fingerprint(content_digest(paper), annotation)
    doc["fingerprint"] = fingerprint_text
    return doc


_NO_NOTES = annotation_digest(Annotation(""))
