"""What the search index holds: the Whoosh schema, its analyzers, and one paper as a document.

Kept apart from `paperdeck.search.index` so the query compiler and the highlighter can share the
analyzers without importing the index machinery. Bump `SCHEMA_VERSION` whenever anything here
changes what gets indexed: an index written by another version is rebuilt on open.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from whoosh import columns, fields, formats
from whoosh.analysis import (
    Analyzer,
    Filter,
    NgramFilter,
    RegexTokenizer,
)
from whoosh.lang.porter import stem
from whoosh.system import pack_uint

from paperdeck.corpus.paper import Paper, PaperDate
from paperdeck.notes.annotation import DEFAULT_STATUS, Annotation, normalise_tags
from paperdeck.search.words import TOKEN_PATTERN, WORD, fold, fold_tag

SCHEMA_VERSION = 8  # 2: content fingerprints; 3: one-pass analyzers, fewer numeric terms;
# 5: `comments` (the count once indexed as upvotes); `upvotes` only where a source gives it;
# 6: `authors` (names from the readers' formats), searched with `author:`; 7: accents folded,
# combining marks inside words (`words.py`); 8: case-folded (ß, ł, ø...), kana voicing and
# viramas kept, tags folded, soft hyphens and joiners inside words
TEXT_FIELDS = ("title", "abstract", "note", "authors")  # analysed with `text_analyzer`
DEFAULT_FIELDS = ("title", "abstract", "tags", "note")  # where bare words look
COMPLETE_MAX = 20  # longest title-word prefix kept in the edge-n-gram field

# Dates become one sortable integer, yyyymmdd. A date without a year is mmdd (101..1231) and a
# paper without any date is 0: both sort below every dated paper, and no year range matches them.
NO_DATE = 0
KNOWN_YEAR_MIN = 10000


class FoldFilter(Filter):
    """`fold` in an analyzer chain (after the tokenizer; it lower-cases too)."""

    def __call__(self, tokens: Any) -> Any:
        for token in tokens:
            token.text = fold(token.text)
            yield token


@lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    """Porter stem, cached: the same few thousand words come back in every abstract."""
    stemmed: str = stem(word)  # whoosh has no type hints
    return stemmed


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


@lru_cache(maxsize=4096)
def _single_position(pos: int) -> bytes:
    """What `formats.Positions().encode([pos])` gives (the same for every such format)."""
    encoded: bytes = formats.Positions().encode([pos])
    return encoded


class StemmedText(fields.TEXT):
    """A TEXT field analysed by `text_analyzer`, indexed in one fast pass.

    Queries and highlights still use the analyzer; `index` produces exactly the postings the
    analyzer chain would (the same terms, positions, frequencies and weights) without building
    and copying a Token per word, which made indexing several times slower.
    """

    def index(self, value: Any, **kwargs: Any) -> Any:
        if kwargs or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        positions: dict[str, list[int]] = {}
        for pos, word in enumerate(WORD.findall(value)):
            word = word.lower()
            if not word.isascii():
                word = fold(word)
            stemmed = stem_word(word)
            positions.setdefault(stemmed, []).append(pos)
            if stemmed != word:
                positions.setdefault(word, []).append(pos)
        encode, boost = self.format.encode, self.format.field_boost
        for term, poslist in positions.items():
            if len(poslist) == 1:  # most words occur once: share their encoding
                yield term.encode("utf-8"), 1, boost, _single_position(poslist[0])
            else:
                yield term.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist)


class EdgeText(fields.TEXT):
    """A TEXT field analysed by `complete_analyzer` (no positions), indexed in one fast pass."""

    def index(self, value: Any, **kwargs: Any) -> Any:
        if kwargs or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        counts: dict[str, int] = {}
        for word in WORD.findall(value):
            word = word.lower()
            if not word.isascii():
                word = fold(word)
            for size in range(2, min(COMPLETE_MAX, len(word)) + 1):
                gram = word[:size]
                counts[gram] = counts.get(gram, 0) + 1
        boost = self.format.field_boost
        for term, freq in counts.items():
            yield term.encode("utf-8"), freq, freq * boost, pack_uint(freq)


def text_analyzer() -> Analyzer:
    """No stop words: phrases like "learning to rank" must match word for word."""
    return RegexTokenizer(TOKEN_PATTERN) | FoldFilter() | KeepOriginalStemFilter()


def complete_analyzer() -> Analyzer:
    """Edge n-grams (2..COMPLETE_MAX letters) of title words, for cheap as-you-type prefixes."""
    return RegexTokenizer(TOKEN_PATTERN) | FoldFilter() | NgramFilter(2, COMPLETE_MAX, at="start")


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()
    return fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),
        title=StemmedText(analyzer=analyzer, stored=True, field_boost=2.0),
        title_sort=fields.ID(sortable=True),
        complete=EdgeText(analyzer=complete_analyzer(), phrase=False, field_boost=2.0),
        abstract=StemmedText(analyzer=analyzer, stored=True),
        # folded already (`fold_tag`): lower-casing again would undo casefold (Cherokee)
        tags=fields.KEYWORD(commas=True, scorable=True, field_boost=1.5),
        note=StemmedText(analyzer=analyzer),
        authors=StemmedText(analyzer=analyzer),
        status=fields.ID(),
        starred=fields.BOOLEAN(),
        # signed: unsigned ranges misbehave; shift_step 8 indexes 4 terms per value, not 8
        date=fields.NUMERIC(int, bits=32, sortable=True, shift_step=8),
        date_oldest=fields.COLUMN(columns.NumericColumn("i")),  # only sorted on; undated last
        comments=fields.NUMERIC(int, bits=32, sortable=True, shift_step=8),
        upvotes=fields.NUMERIC(int, bits=32, sortable=True, shift_step=8),
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
        "tags": ",".join(fold_tag(tag) for tag in tags),  # `tag:cafe` finds `café`
        "note": annotation.note if annotation else "",
        "authors": "; ".join(paper.authors),
        "status": annotation.status if annotation else DEFAULT_STATUS,
        "starred": bool(annotation and annotation.starred),
        "date": date_value(paper.date),
        "date_oldest": _oldest_first(date_value(paper.date)),
        "comments": paper.comments,
        "sources": ",".join(sorted({source.path for source in paper.sources})),
    }
    if paper.upvotes is not None:  # unknown upvotes are left out, so `upvotes:0` skips them
        doc["upvotes"] = paper.upvotes
    if fingerprint_text is None:
        from paperdeck.corpus.rows import content_digest

        fingerprint_text = fingerprint(content_digest(paper), annotation)
    doc["fingerprint"] = fingerprint_text
    return doc


_NO_NOTES = annotation_digest(Annotation(""))
