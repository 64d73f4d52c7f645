"""Whoosh's BM25F ranking of plain-word queries, computed on whole arrays at once.

Why: Whoosh scores one posting at a time in Python, so a full query of two common words at
100,000 papers took over a second. For queries made of words in the default fields or one
field, joined by AND, OR and NOT (what `paperdeck search` is mostly given), this module reads
each term's postings and weights once per searcher (kept), and scores every document with numpy
using exactly Whoosh's formula and statistics (`whoosh.scoring.bm25`, the searcher's idf and
average field lengths, the lengths Whoosh stores as one byte). Prefixes and typos expand per
segment as Whoosh expands them; phrases check positions of candidates only
(`paperdeck.search.phrases`); filters are sets scored 1.0. Anything else (other sorts, `id:`,
NOT inside OR) returns None and Whoosh answers it.
"""

from __future__ import annotations

from collections import OrderedDict
from itertools import accumulate, islice
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from paperdeck.search.compile import Expanded, _out_of_time, field_query, filter_query
from paperdeck.search.paper_set import PaperSets, docnums_of
from paperdeck.search.phrases import phrase_docs
from paperdeck.search.postings import block_postings, query_ids
from paperdeck.search.query import And, Filter, Node, Not, Or, Text
from paperdeck.search.schema import DEFAULT_FIELDS, TEXT_FIELDS

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Sparse = tuple[npt.NDArray[np.int64], Floats]  # sorted document numbers, a score for each
SCORED_FIELDS = frozenset((*TEXT_FIELDS, "tags"))  # BM25F-scored; `id:` and others: Whoosh
CACHED_POSTINGS = 4_000_000  # postings kept per searcher (16 bytes each: 64 MB at most)
CACHED_PHRASES = 64  # and filters  # (ids, weights) arrays kept per searcher
_LENGTHS = np.array([1] + [byte_to_length(b) for b in range(1, 256)], dtype=np.float64)


class Scored:
    """Which documents match (`mask`) and their summed score (0 where they do not)."""

    def __init__(self, mask: Mask, score: Floats) -> None:
        self.mask = mask
        self.score = score


class Bm25:
    """BM25F over one Whoosh searcher, as its `BM25F` weighting scores (B, K1 read from it)."""

    def __init__(self, searcher: Any, live: Mask, paper_sets: PaperSets | None = None) -> None:
        self.searcher = searcher
        self.paper_sets = paper_sets  # answers `added:` (the library's first-seen times)
        self.schema = searcher.schema
        self.size = searcher.reader().doc_count_all()
        self.live = live  # documents not deleted
        self.leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        weighting = searcher.weighting
        self.b, self.k1 = float(weighting.B), float(weighting.K1)
        self._field_b: dict[str, float] = dict(getattr(weighting, "_field_B", {}))
        self._lengths: dict[str, Floats] = {}
        self._filters: dict[tuple[str, object, object], Mask] = {}
        self._phrases: dict[tuple[str, tuple[str, ...]], Sparse] = {}
        self._terms: OrderedDict[tuple[str, str], Sparse | None] = OrderedDict()
        self._kept = 0  # postings in `_terms`

    def lengths(self, fieldname: str) -> Floats:
        """Every document's length in the field, as Whoosh's scorer reads it (0 becomes 1)."""
        if fieldname not in self._lengths:
            out = np.ones(self.size, dtype=np.float64)
            for reader, offset in self.leaves:
                count = reader.doc_count_all()
                codes = _length_codes(reader, fieldname, count)
                out[offset : offset + count] = _LENGTHS[codes]
            self._lengths[fieldname] = out
        return self._lengths[fieldname]

    def term(self, fieldname: str, text: str) -> Sparse | None:
        """The live documents holding the term (sorted) and their BM25F scores for it;
        None: no such term. Kept, up to `CACHED_POSTINGS` postings in all."""
        key = (fieldname, text)
        if key in self._terms:
            self._terms.move_to_end(key)
            return self._terms[key]
        found: Sparse | None = None
        if (fieldname, text) in self.searcher.reader():
            ids, weights = self._postings(fieldname, text)
            keep = self.live[ids]
            ids, weights = ids[keep], weights[keep]
            idf = self.searcher.idf(fieldname, text)
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            b = self._field_b.get(fieldname, self.b)
            lengths = self.lengths(fieldname)[ids]
            scores = (
                idf
                * (weights * (self.k1 + 1))
                / (weights + self.k1 * ((1 - b) + b * lengths / avgfl))
            )
            found = (ids, scores)
            self._kept += ids.size
        self._terms[key] = found
        while self._kept > CACHED_POSTINGS and len(self._terms) > 1:
            _key, dropped = self._terms.popitem(last=False)
            self._kept -= 0 if dropped is None else dropped[0].size
        return found

    def dense(self, found: Sparse | None) -> Scored:
        """A term's documents and scores over every document."""
        mask = np.zeros(self.size, dtype=bool)
        score = self._zeros()
        if found is not None:
            mask[found[0]] = True
            score[found[0]] = found[1]
        return Scored(mask, score)

    def _postings(self, fieldname: str, text: str) -> tuple[npt.NDArray[np.int64], Floats]:
        ids: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
        weights: list[Floats] = [np.zeros(0, dtype=np.float64)]
        for reader, offset in self.leaves:
            if (fieldname, text) in reader:
                leaf_ids, leaf_weights = _leaf_postings(reader.postings(fieldname, text))
                count = len(leaf_ids)
                ids.append(np.fromiter(leaf_ids, dtype=np.int64, count=count) + offset)
                weights.append(np.fromiter(leaf_weights, dtype=np.float64, count=count))
        return np.concatenate(ids), np.concatenate(weights)

    # --- the query tree --------------------------------------------------------------------------

    def run(self, tree: Node) -> Scored | None:
        """The tree's matches and scores; None when Whoosh must answer it."""
        found = self._node(tree)
        if found is _EMPTY:  # nothing to search for (Whoosh's NullQuery): no matches
            return Scored(np.zeros(self.size, dtype=bool), self._zeros())
        return found if isinstance(found, Scored) else None

    def _zeros(self) -> Floats:
        return np.zeros(self.size, dtype=np.float64)

    def _node(self, node: Node) -> Scored | object | None:
        """Scored, None (needs Whoosh) or _EMPTY (compiles to nothing, as in `_compile`)."""
        if isinstance(node, Text):
            return self._text(node)
        if isinstance(node, Filter):
            return self._filter(node)
        if isinstance(node, And | Or):
            positive: list[Scored] = []
            negative: list[Scored] = []
            for item in node.items:
                inner = item.item if isinstance(item, Not) and isinstance(node, And) else item
                if isinstance(inner, Not):
                    return None
                found = self._node(inner)
                if found is None:
                    return None
                if isinstance(found, Scored):
                    (negative if inner is not item else positive).append(found)
            if not positive:
                return None if negative else _EMPTY
            joined = _joined(positive, every=isinstance(node, And))
            mask, score = joined.mask, joined.score
            for part in negative:
                mask &= ~part.mask
            score += len(negative)  # Whoosh's inverse matcher scores 1.0 where it matches
            score[~mask] = 0.0
            return Scored(mask, score)
        return None

    def _filter(self, node: Filter) -> Scored | None:
        """A date, number, star or status filter: Whoosh scores it 1.0 where it matches (a
        constant-score query, or a term of an unscored field whose postings weigh 1.0)."""
        if node.field == "added":  # the library's set, never kept: it changes with the session
            return self._added(node)
        key = (node.field, node.low, node.high)
        if key not in self._filters:
            query = filter_query(node)
            mask = np.zeros(self.size, dtype=bool)
            for reader, offset in self.leaves:
                ids = query_ids(reader, query)
                if ids is None or _out_of_time():
                    return None
                mask[np.asarray(ids, dtype=np.int64) + offset] = True
            mask &= self.live
            self._filters[key] = mask
            if len(self._filters) > CACHED_PHRASES:
                self._filters.pop(next(iter(self._filters)))
        mask = self._filters[key]
        return Scored(mask.copy(), mask.astype(np.float64))

    def _added(self, node: Filter) -> Scored:
        """`added:`, as `PaperSet` matches it: the papers the library names, each scoring 1.0."""
        paper_ids = frozenset(self.paper_sets(node)) if self.paper_sets is not None else frozenset()
        mask = np.zeros(self.size, dtype=bool)
        mask[np.asarray(docnums_of(self.searcher.reader(), paper_ids), dtype=np.int64)] = True
        mask &= self.live
        return Scored(mask, mask.astype(np.float64))

    def _text(self, node: Text) -> Scored | object | None:
        """A word, prefix or typo in its fields, as `compile_tree` would ask Whoosh for it."""
        if node.mode == "partial" or _out_of_time():
            return None  # out of time: Whoosh stops at the deadline and says so
        fieldnames = DEFAULT_FIELDS if node.field is None else (node.field,)
        parts: list[Scored] = []
        for fieldname in fieldnames:
            if fieldname not in SCORED_FIELDS:
                return None
            query = field_query(fieldname, node, self.schema)
            if query is None:
                continue
            found = self._field(query)
            if found is None:
                return None
            parts.append(found)
        if not parts:
            return _EMPTY
        return _joined(parts, every=False)

    def _field(self, query: wq.Query) -> Scored | None:
        """One field's part: a term, a phrase, or the terms a prefix or typo expands to in
        the whole index (`Expanded`), scored in each segment as Whoosh scores them."""
        if isinstance(query, wq.And):  # `text-to-im*`'s words: all of them, scores summed
            subs = [self._field(sub) for sub in query.subqueries]
            parts = [part for part in subs if part is not None]
            if not parts or len(parts) < len(subs):
                return None
            joined = _joined(parts, every=True)
            joined.score[~joined.mask] = 0.0
            return joined
        if not isinstance(query, wq.Term | wq.Phrase | Expanded):
            return None
        fieldname: str = query.fieldname
        if isinstance(query, wq.Term):
            return self.dense(self.term(query.fieldname, query.text))
        if isinstance(query, wq.Phrase):
            return (
                self.dense(self._phrase(fieldname, list(query.words))) if query.slop == 1 else None
            )
        mask = np.zeros(self.size, dtype=bool)
        score = self._zeros()
        texts = [text for text in query._btexts(self.searcher.reader()) if text]
        for reader, offset in self.leaves:
            count = reader.doc_count_all()
            leaf_mask = np.zeros(count, dtype=bool)
            leaf_score = np.zeros(count, dtype=np.float64)
            for text in texts:
                if _out_of_time():
                    return None
                found = self.term(fieldname, text.decode("utf-8"))
                if found is not None:
                    low, high = np.searchsorted(found[0], [offset, offset + count])
                    local = found[0][low:high] - offset
                    leaf_score[local] += found[1][low:high]
                    leaf_mask[local] = True
            if _constant_score(len(texts), count):
                leaf_score = leaf_mask.astype(np.float64)
            score[offset : offset + count] += leaf_score
            mask[offset : offset + count] |= leaf_mask
        return Scored(mask, score)

    def _phrase(self, fieldname: str, words: list[str]) -> Sparse:
        """The documents with the words at consecutive positions, scored as the sum of their
        terms' scores (Whoosh's phrase matcher is an intersection of the terms); kept."""
        key = (fieldname, tuple(words))
        if key not in self._phrases:
            self._phrases[key] = self._phrase_found(fieldname, words)
            if len(self._phrases) > CACHED_PHRASES:
                self._phrases.pop(next(iter(self._phrases)))
        return self._phrases[key]

    def _phrase_found(self, fieldname: str, words: list[str]) -> Sparse:
        nothing = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        terms = [self.term(fieldname, word) for word in words]
        present = [found for found in terms if found is not None]
        if len(present) < len(terms):
            return nothing
        candidates = present[0][0]
        for ids, _scores in present[1:]:
            candidates = np.intersect1d(candidates, ids, assume_unique=True)
        matched = phrase_docs(self.leaves, fieldname, words, candidates)
        score = np.zeros(matched.size, dtype=np.float64)
        for ids, scores in present:
            score += scores[np.searchsorted(ids, matched)]
        return matched, score

    def top(self, found: Scored, limit: int | None) -> tuple[list[int], list[float]]:
        """Document numbers and scores of the best `limit`, ties by document number."""
        docs = np.flatnonzero(found.mask)
        scores = found.score[docs]
        if limit is not None and limit < docs.size:
            keep = np.argpartition(-scores, limit - 1)[:limit]
            cutoff = scores[keep].min()
            chosen = scores >= cutoff  # every tie at the cut, then ordered and cut
            docs, scores = docs[chosen], scores[chosen]
        order = np.lexsort((docs, -scores))[:limit]
        return docs[order].tolist(), scores[order].tolist()


_EMPTY = object()


def _joined(parts: list[Scored], every: bool) -> Scored:
    """The parts' documents, all of them (`every`) or any, with their scores summed (a new
    object: the parts may be kept)."""
    mask, score = parts[0].mask.copy(), parts[0].score.copy()
    for part in parts[1:]:
        mask = mask & part.mask if every else mask | part.mask
        score += part.score
    return Scored(mask, score)


def _constant_score(terms: int, segment_docs: int) -> bool:
    """Whether Whoosh scores an expansion of `terms` terms 1.0 in a segment of this size.

    An expansion is an `Or` of its terms without weighting; Whoosh's `Or` preloads (and then
    ignores the scores) when there are more than two terms and at most 5,000 documents in
    the segment, or 1,024 terms or more; otherwise it sums the terms' BM25F scores.
    """
    if terms >= 1024:
        return True
    return terms > 2 and segment_docs <= 5000


def _length_codes(reader: Any, fieldname: str, count: int) -> npt.NDArray[np.intp]:
    """The one-byte length codes of one segment's documents in a field (0 where absent),
    read straight from the column (one byte per document, `LENGTHS_COLUMN`)."""
    codes = np.zeros(count, dtype=np.intp)
    column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if column is None:
        return codes
    stored = min(column._count, count)
    if getattr(column, "_fixedlen", None) == 1 and stored:
        raw = column._dbfile.get(column._basepos, stored)
        codes[:stored] = np.frombuffer(raw, dtype=np.uint8)
    elif stored:
        codes[:stored] = [column[d] for d in range(stored)]
    return codes


def _leaf_postings(matcher: Any) -> tuple[list[int], list[float]]:
    """One segment's document numbers and weights for a term, a block at a time."""
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = matcher._ids, matcher.child
        matcher.reset()
    ids: list[int] = []
    weights: list[float] = []
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        while matcher.is_active():
            if matcher._data is None:
                deltas, block_weights = block_postings(matcher, weights=True)
            else:
                matcher._read_weights()
                deltas, block_weights = matcher._data[0], matcher._weights
            start = matcher._i
            ids.extend(islice(accumulate(deltas), start, None))
            weights.extend(block_weights[start:])
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    if deleted:
        kept = [i for i, d in enumerate(ids) if d not in deleted]
        return [ids[i] for i in kept], [weights[i] for i in kept]
    return ids, weights
