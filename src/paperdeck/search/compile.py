"""Turning a parsed query (`paperdeck.search.query`) into Whoosh query objects, and sort keys
into facets.

Prefixes and typos are the expensive things in Whoosh: `d*` expands to thousands of terms and
takes seconds. `BoundedPrefix` and `DamerauFuzzy` keep only the most frequent expansions, and
as-you-type words match titles through an edge-n-gram field, so no keystroke costs more than a
normal query. Expansion happens before Whoosh collects any match, so it also stops at the
search's deadline (`deadline`), which a collector's time limit cannot do.
"""

from __future__ import annotations

import contextlib
import heapq
import threading
import time
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import Any
from unicodedata import east_asian_width

from whoosh import query as wq
from whoosh import sorting
from whoosh.automata.fsa import ANY, DFA, EPSILON, NFA
from whoosh.codec.base import Automata
from whoosh.fields import Schema
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.searching import TimeLimit

from paperdeck.search.paper_set import PaperSet, PaperSets, source_query
from paperdeck.search.query import (
    And,
    Filter,
    Node,
    Not,
    Or,
    Text,
    partial_words,
    prefix_words,
    tag_text,
)
from paperdeck.search.ranges import partial_date_ranges
from paperdeck.search.schema import COMPLETE_MAX, DEFAULT_FIELDS, TEXT_FIELDS
from paperdeck.search.words import fold

PREFIX_TERMS = 64  # completions kept per prefix (the most frequent ones)
PREFIX_SCAN = 20_000  # completions looked at, at most, to choose them
PARTIAL_MIN_BODY = 3  # as-you-type prefixes shorter than this only look at titles and tags
FUZZY_TERMS = 64  # words kept per `word~` (the most frequent ones)
FUZZY_SCAN = 5_000  # words within reach looked at, at most, to choose them


class _Deadline(threading.local):
    at: float | None = None
    reached = False


_deadline = _Deadline()  # per thread: the app searches in a worker, the CLI in the main thread


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[_Deadline]:
    """Term expansion in this thread stops `seconds` from now (`reached` then says so)."""
    _deadline.at, _deadline.reached = time.monotonic() + seconds, False
    try:
        yield _deadline
    finally:
        _deadline.at = None


def _out_of_time() -> bool:
    if _deadline.at is not None and time.monotonic() > _deadline.at:
        _deadline.reached = True
    return _deadline.reached and _deadline.at is not None


def _until_deadline(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        if _out_of_time():
            return
        yield item


class Timed(WrappingQuery):
    """A query whose matcher stops at the deadline (raises `TimeLimit`).

    Whoosh does real work while it builds matchers, before any collector runs: an AND of
    many words skips through every posting list to find its first match. A time-limited
    collector only looks at the clock between matches, so each leaf of the query looks too.
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        inner = self.child.matcher(searcher, context)
        return _TimedMatcher(inner) if inner.is_active() else inner


class _TimedMatcher(WrappingMatcher):
    def _check(self) -> None:
        if _deadline.at is not None and time.monotonic() > _deadline.at:
            _deadline.reached = True
            raise TimeLimit

    def next(self) -> Any:
        self._check()
        return self.child.next()

    def skip_to(self, docnum: int) -> Any:
        self._check()
        return self.child.skip_to(docnum)

    def all_ids(self) -> Iterator[int]:
        for count, docnum in enumerate(self.child.all_ids()):
            if not count % 256:
                self._check()
            yield docnum


def _segments(reader: Any) -> list[Any]:
    """The reader of each segment (the reader itself for a one-segment index)."""
    return [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]


def prefix_terms(reader: Any, fieldname: str, prefix: str) -> list[bytes]:
    """The `PREFIX_TERMS` most frequent terms of the whole index starting with `prefix`
    (ties: the later term first), chosen among the first `PREFIX_SCAN` in order.

    Each segment's terms are read on their own and their counts summed: Whoosh's reader over
    several segments asks every segment about every term, several times slower. The first
    `PREFIX_SCAN` of every segment hold the first `PREFIX_SCAN` of the whole index. The
    counts are Whoosh's, which include a changed paper's old copy until a merge drops it.
    """
    frequency: dict[bytes, int] = {}
    for leaf in _segments(reader):
        for text, info in islice(_until_deadline(leaf.iter_prefix(fieldname, prefix)), PREFIX_SCAN):
            frequency[text] = frequency.get(text, 0) + info.doc_frequency()
    scanned = sorted(frequency)[:PREFIX_SCAN] if len(frequency) > PREFIX_SCAN else frequency
    best = heapq.nlargest(PREFIX_TERMS, ((frequency[text], text) for text in scanned))
    return [text for _, text in best]


class Expanded:
    """Expands once per reader: Whoosh asks again for every size estimate of every level of
    the query tree, so a nested query would otherwise expand the same word dozens of times.

    A search expands in the whole index, never per segment as Whoosh does: each segment's
    own most frequent terms would make the answer depend on how the index happens to be
    split (a note change adds a segment, a merge removes some), and the fast paths, which
    expand once, would disagree with it."""

    fieldname: str  # set by the Whoosh query it is mixed into
    _expanded: dict[int, tuple[Any, list[bytes]]] | None = None  # by id(reader); reader kept
    _scope: Any = None  # while matching: the whole index's reader

    def _btexts(self, ixreader: Any) -> Iterable[bytes]:
        reader = ixreader if self._scope is None else self._scope
        if self._expanded is None or len(self._expanded) > 64:
            self._expanded = {}
        found = self._expanded.get(id(reader))
        if found is None or found[0] is not reader:
            found = self._expanded[id(reader)] = (reader, list(self._expand(reader)))
        return found[1]

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        self._scope = searcher.get_parent().reader()
        try:
            return super().matcher(searcher, context)  # type: ignore[misc]
        finally:
            self._scope = None

    @abstractmethod
    def _expand(self, ixreader: Any) -> Iterable[bytes]:
        """The terms this query stands for in `ixreader` (each subclass: its own bound)."""


class BoundedPrefix(Expanded, wq.Prefix):
    """A prefix query that expands to at most `PREFIX_TERMS` terms, the most frequent first."""

    def _expand(self, ixreader: Any) -> Iterable[bytes]:
        return prefix_terms(ixreader, self.fieldname, self.text)


class DamerauFuzzy(Expanded, wq.FuzzyTerm):
    """Words within `maxdist` Damerau edits: a swap of two neighbouring letters is one edit.

    Whoosh's Levenshtein automaton counts a swap as two; `damerau_dfa` adds the swap. The
    automaton skips through the sorted word list, so only words within reach are read; of
    those, the `FUZZY_TERMS` most frequent are kept (the word itself always, when present).
    """

    def _expand(self, ixreader: Any) -> Iterable[bytes]:
        if self.fieldname not in ixreader.schema:
            return []
        field = ixreader.schema[self.fieldname]
        spelling = field.spelling_fieldname(self.fieldname)
        dfa = damerau_dfa(self.text, self.maxdist, self.prefixlength)
        found: set[str] = set()  # each segment's words (Whoosh's cursor over several fails)
        for leaf in _segments(ixreader):
            matches = _until_deadline(Automata.find_matches(dfa, leaf.cursor(spelling)))
            found.update(islice(matches, FUZZY_SCAN))
        words = [field.to_bytes(word) for word in sorted(found)[:FUZZY_SCAN]]
        if len(words) <= FUZZY_TERMS:
            return words
        exact = field.to_bytes(self.text)
        best = heapq.nlargest(
            FUZZY_TERMS,
            ((w == exact, ixreader.doc_frequency(self.fieldname, w), w) for w in words),
        )
        return [word for _, _, word in best]


@lru_cache(maxsize=256)
def damerau_dfa(term: str, maxdist: int, prefix: int = 0) -> DFA:
    """An automaton accepting the words within `maxdist` edits of `term`, the first `prefix`
    letters unchanged; edits are insertion, deletion, substitution and a swap of two
    neighbouring letters (optimal string alignment: no letter is edited twice)."""
    nfa = NFA((0, 0))
    for i in range(min(prefix, len(term))):
        nfa.add_transition((i, 0), term[i], (i + 1, 0))
    end = len(term)
    for i in range(min(prefix, end), end):
        char = term[i]
        for e in range(maxdist + 1):
            nfa.add_transition((i, e), char, (i + 1, e))
            if e < maxdist:
                nfa.add_transition((i, e), ANY, (i, e + 1))  # a letter too many
                nfa.add_transition((i, e), EPSILON, (i + 1, e + 1))  # a letter missing
                nfa.add_transition((i, e), ANY, (i + 1, e + 1))  # a wrong letter
                if i + 1 < end and term[i + 1] != char:  # two letters swapped
                    nfa.add_transition((i, e), term[i + 1], (i, e, "swap"))
                    nfa.add_transition((i, e, "swap"), char, (i + 2, e + 1))
    for e in range(maxdist + 1):
        if e < maxdist:
            nfa.add_transition((end, e), ANY, (end, e + 1))
        nfa.add_final_state((end, e))
    return nfa.to_dfa()


def compile_tree(
    tree: Node | None, schema: Schema, paper_sets: PaperSets | None = None
) -> wq.Query:
    """The Whoosh query for a tree; None (an empty query) matches every paper. `paper_sets`
    answers `added:` filters (the library's first-seen times); without it they match nothing."""
    if tree is None:
        return wq.Every()
    compiled = _compile(tree, schema, paper_sets)
    return compiled if compiled is not None else wq.NullQuery


def _compile(node: Node, schema: Schema, paper_sets: PaperSets | None = None) -> wq.Query | None:
    if isinstance(node, And | Or):
        parts = [
            q for q in (_compile(item, schema, paper_sets) for item in node.items) if q is not None
        ]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return wq.And(parts) if isinstance(node, And) else wq.Or(parts)
    if isinstance(node, Not):
        inner = _compile(node.item, schema, paper_sets)
        return wq.Not(inner) if inner is not None else None
    if isinstance(node, Filter) and node.field == "added":
        return PaperSet(paper_sets(node) if paper_sets is not None else ())
    if isinstance(node, Filter):
        return Timed(_filter(node))
    if node.field is None:
        fieldnames: tuple[str, ...] = DEFAULT_FIELDS
        if node.mode == "partial" and _completes(node.text):
            # title words starting with it: the edge-n-gram field has them as one term
            fieldnames = ("complete", *(f for f in DEFAULT_FIELDS if f != "title"))
        parts = [q for q in (_timed(_text(f, node, schema)) for f in fieldnames) if q is not None]
        return wq.Or(parts) if len(parts) > 1 else (parts[0] if parts else None)
    if node.field == "title" and node.mode == "partial":
        return _timed(_text("complete", node, schema))
    return _timed(_text(node.field, node, schema))


def _timed(query: wq.Query | None) -> wq.Query | None:
    return None if query is None else Timed(query)


def _completes(text: str) -> bool:
    """True when the `complete` field holds the unfinished word as a title-word prefix term."""
    return len(partial_words(text)[1]) <= COMPLETE_MAX


def filter_query(node: Filter) -> wq.Query:
    """The Whoosh query for a filter (without the deadline wrapper)."""
    return _filter(node)


def _filter(node: Filter) -> wq.Query:
    if node.field == "starred":
        return wq.Term("starred", True)
    if node.field == "status":
        return wq.Term("status", str(node.low))
    if node.field == "source":
        return source_query(str(node.low))
    low = node.low if isinstance(node.low, int) else None
    if node.field == "date" and low is not None and node.high is not None:
        ranges = partial_date_ranges(low, node.high)  # a year or month alone: all of it inside
        if len(ranges) != 1:
            return wq.Or([wq.NumericRange("date", start, end) for start, end in ranges])
        low, high = ranges[0]
        return wq.NumericRange("date", low, high)
    return wq.NumericRange(node.field, low, node.high)


def analyse(schema: Schema, fieldname: str, text: str) -> list[str]:
    """The terms a text field indexes for `text`, as a query would look for them."""
    return list(schema[fieldname].process_text(text, mode="query"))


def field_query(fieldname: str, node: Text, schema: Schema) -> wq.Query | None:
    """The Whoosh query for a text node in one field (without the deadline wrapper)."""
    return _text(fieldname, node, schema)


def _text(fieldname: str, node: Text, schema: Schema) -> wq.Query | None:
    mode, text = node.mode, node.text
    if fieldname == "id":
        lowered = text.lower()
        return (
            BoundedPrefix("id", lowered)
            if mode in ("prefix", "partial")
            else wq.Term("id", lowered)
        )
    if fieldname == "tags":
        tag = tag_text(text)
        if not tag:
            return None
        if mode in ("prefix", "partial"):
            return BoundedPrefix("tags", tag)
        if mode == "fuzzy":
            return DamerauFuzzy("tags", tag, maxdist=node.distance, prefixlength=1)
        return wq.Term("tags", tag)
    if mode == "partial" and fieldname in ("complete", *TEXT_FIELDS):
        return _partial(fieldname, text, schema)
    assert fieldname in TEXT_FIELDS, fieldname
    if mode in ("word", "phrase"):
        terms = analyse(schema, fieldname, text)
        if not terms:
            return None
        return wq.Term(fieldname, terms[0]) if len(terms) == 1 else wq.Phrase(fieldname, terms)
    folded = fold(text)
    if mode == "fuzzy":
        return DamerauFuzzy(fieldname, folded, maxdist=node.distance, prefixlength=1)
    finished, last = prefix_words(text)
    if finished:  # `text-to-im*`: the words the index splits it into, the last a prefix
        parts: list[wq.Query] = [
            wq.Term(fieldname, term)
            for word in finished
            for term in analyse(schema, fieldname, word)
        ]
        return wq.And([*parts, BoundedPrefix(fieldname, last)])
    return BoundedPrefix(fieldname, last or folded)


def body_prefix(last: str) -> bool:
    """Whether an unfinished word is long enough to expand in abstracts and notes: 3 letters,
    a Chinese, Japanese or Korean character counting as two (`バス`, `模型` are whole words)."""
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in last) >= PARTIAL_MIN_BODY


def _partial(fieldname: str, text: str, schema: Schema) -> wq.Query | None:
    """An unfinished word in one field, split as the field splits words (`partial_words`):
    every finished word, analysed, AND the last one as a prefix (`complete`: of title words)."""
    finished, last = partial_words(text)
    words_field = "title" if fieldname == "complete" else fieldname
    parts: list[wq.Query] = [
        wq.Term(words_field, term)
        for word in finished
        for term in analyse(schema, words_field, word)
    ]
    if fieldname == "complete" and last and len(last) <= COMPLETE_MAX:
        parts.append(wq.Term("complete", last))
    elif last and (fieldname in ("complete", "title") or body_prefix(last)):
        parts.append(BoundedPrefix(words_field, last))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


# --- sorting ---------------------------------------------------------------------------------


def sort_facets(sort: str, empty_query: bool) -> Any:
    """Whoosh `sortedby` for a sort key (None: by relevance).

    Keys: relevance (best first), date (newest first; papers without a known year last),
    comments and upvotes (most first, then newest; no paper has upvotes today), title (A to Z).
    A leading `-` reverses the order. An empty query has no relevance, so it is listed newest
    first.
    """
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    title = sorting.FieldFacet("title_sort", reverse=reverse)
    if key == "relevance":
        if not empty_query:
            return None
        key, reverse = "date", False
    if key == "date":
        if reverse:  # oldest first, the undated still last
            return [sorting.FieldFacet("date_oldest"), title]
        return [sorting.FieldFacet("date", reverse=True), title]
    if key in ("comments", "upvotes"):
        return [
            sorting.FieldFacet(key, reverse=not reverse),
            sorting.FieldFacet("date", reverse=not reverse),
            title,
        ]
    return [title]
