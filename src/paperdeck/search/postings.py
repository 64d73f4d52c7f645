"""Posting lists read whole, a block at a time, and kept as bitsets for the searches typed most.

Why: Whoosh's matchers decode and score one posting at a time in Python (microseconds each);
reading a term's raw blocks of document numbers costs a few hundred nanoseconds a posting, and a
term read once is kept (as a `RankSpace` bitset) for every later keystroke that needs it, until
the searcher changes. Prefix expansions are kept the same way, so typing `gen`, `gene`, `gener`
reads each prefix's terms once.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable
from io import BytesIO
from itertools import accumulate, islice
from pickle import load, loads
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query.wrappers import ConstantScoreQuery

from paperdeck.search.bitsets import RankSpace
from paperdeck.search.compile import prefix_terms

_FIRST = {ord("K"): 1, ord("M"): 2, ord("J"): 4}  # pickle's int opcodes: bytes that follow
_OP_FLOAT = np.dtype([("op", "u1"), ("v", ">f8")])  # pickle's BINFLOAT: `G`, 8 bytes
CACHED_SETS = 2048  # bitsets kept (at 100,000 papers 12.5 kB each: 25 MB at most)


class TermBits:
    """The documents of terms and of prefix expansions, as bitsets over one searcher."""

    def __init__(self, reader: Any, leaves: list[tuple[Any, int]], space: RankSpace) -> None:
        self.reader = reader
        self.leaves = leaves  # (segment reader, offset of its document numbers)
        self.space = space
        self._cache: OrderedDict[Hashable, int] = OrderedDict()

    def memo(self, key: Hashable, make: Callable[[], int | None]) -> int | None:
        """The bitset kept under `key`, or `make()`'s (kept unless None)."""
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        found = make()
        if found is not None:
            self._cache[key] = found
            if len(self._cache) > CACHED_SETS:
                self._cache.popitem(last=False)
        return found

    def docnums(self, fieldname: str, texts: list[str]) -> npt.NDArray[np.int64]:
        """Global numbers of the live documents holding any of the terms (may repeat)."""
        parts: list[npt.NDArray[np.int64]] = []
        for reader, offset in self.leaves:
            for text in texts:
                if (fieldname, text) in reader:
                    ids = leaf_id_array(reader.postings(fieldname, text))
                    parts.append(ids + offset if offset else ids)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def term(self, fieldname: str, text: str) -> int:
        """The documents whose field holds the term."""
        found = self.memo(
            ("term", fieldname, text), lambda: self.space.bits(self.docnums(fieldname, [text]))
        )
        return found or 0

    def prefix(self, fieldname: str, prefix: str) -> int:
        """The documents holding one of the `PREFIX_TERMS` most frequent terms starting with
        `prefix` (the terms `BoundedPrefix` expands to)."""

        def make() -> int:
            found = 0
            for text in self.prefix_terms(fieldname, prefix):  # each term kept: `gene` reuses
                found |= self.term(fieldname, text)  # most of what `gen` read
            return found

        return self.memo(("prefix", fieldname, prefix), make) or 0

    def prefix_terms(self, fieldname: str, prefix: str) -> list[str]:
        """The `PREFIX_TERMS` most frequent terms starting with `prefix` (BoundedPrefix's)."""
        best = prefix_terms(self.reader, fieldname, prefix)
        return [text.decode("utf-8") if isinstance(text, bytes) else text for text in best]


def block_postings(matcher: Any, weights: bool = False) -> tuple[Any, Any]:
    """The document-number deltas of the matcher's current block, and its weights (None
    unless asked for).

    A block is a pickled (ids, weights, values) tuple; unpickling the values (positions, one
    bytes object per posting) costs most of the time. The ids tuple is `(`, the first number
    (absolute: `K`, `M` or `J` and 1, 2 or 4 bytes), then, when every later delta is below 256
    (dense postings, the expensive ones), `K` and one byte per delta, then `t` (and maybe a
    memo op); the weights are `N` (all 1.0), `G` and one float for all, or `(` and `G` and 8
    bytes per posting, then `t`. Those bytes are read as they are; anything else is unpickled.
    """
    length = matcher._nextoffset - matcher._dataoffset
    raw = matcher._postfile.get(matcher._dataoffset, length)
    if matcher._compression:
        raw = zlib.decompress(raw)
    count = matcher._blocklength
    size = _FIRST.get(raw[3]) if raw[:3] == b"\x80\x02(" else None
    if size is not None:
        start = 4 + size
        end = start + 2 * (count - 1)
        if raw[start:end:2] == b"K" * (count - 1) and raw[end : end + 1] == b"t":
            first = int.from_bytes(raw[4:start], "little", signed=size == 4)
            deltas = [first, *raw[start + 1 : end : 2]]
            if not weights:
                return deltas, None
            found = _raw_weights(raw, end + 1, count)
            if found is not None:
                return deltas, found
    data = loads(raw)
    if not weights:
        return data[0], None
    if data[1] is None or isinstance(data[1], float):
        return data[0], [1.0 if data[1] is None else data[1]] * count
    return data[0], list(data[1])


def _raw_weights(raw: bytes, at: int, count: int) -> list[float] | None:
    """The weights pickled from `at` on (after the ids tuple), or None: unpickle instead."""
    at += {ord("q"): 2, ord("r"): 5}.get(raw[at], 0) if at < len(raw) else 0  # a memo op
    op = raw[at : at + 1]
    if op == b"N":
        return [1.0] * count
    if op == b"G":
        return [struct.unpack(">d", raw[at + 1 : at + 9])[0]] * count
    end = at + 1 + 9 * count
    if op == b"(" and raw[at + 1 : end : 9] == b"G" * count and raw[end : end + 1] == b"t":
        floats: list[float] = np.frombuffer(raw[at + 1 : end], dtype=_OP_FLOAT)["v"].tolist()
        return floats
    return None


def leaf_ids(matcher: Any) -> list[int]:
    """All document numbers of one segment's posting list, read a block at a time."""
    deleted: frozenset[int] | None = None
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = matcher._ids, matcher.child
        matcher.reset()
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        ids: list[int] = []
        while matcher.is_active():  # Whoosh's `_read_ids`, its Python delta decoding in C
            deltas = matcher._data[0] if matcher._data is not None else block_postings(matcher)[0]
            decoded = accumulate(deltas)
            ids.extend(islice(decoded, matcher._i, None) if matcher._i else decoded)
            matcher._next_block()
    else:
        ids = list(matcher.all_ids())
    return [i for i in ids if i not in deleted] if deleted else ids


def leaf_id_array(matcher: Any) -> npt.NDArray[np.int64]:
    """`leaf_ids` as an array, read straight from the posting blocks' bytes when it can be.

    Why: the first keystroke of a short prefix reads the postings of up to `PREFIX_TERMS`
    common abstract words (hundreds of thousands of postings). Walking them through the
    matcher cost a Whoosh `_goto` per block and a zlib inflate of each whole block, positions
    included; here block headers are read from the map, only the ids at the front of a block are
    inflated, and the deltas are summed by numpy.
    """
    deleted: frozenset[int] | None = None
    inner = matcher
    if isinstance(inner, FilterMatcher) and inner._exclude:
        deleted, inner = inner._ids, inner.child
    view = getattr(getattr(inner, "_postfile", None), "_buf", None)
    if type(inner) is not W3LeafMatcher or inner._byteids or view is None:
        found = leaf_ids(matcher)
        return np.fromiter(found, dtype=np.int64, count=len(found))
    deltas = _block_deltas(memoryview(view), inner._baseoffset)
    if deltas is None:
        inner.reset()
        found = leaf_ids(matcher)
        return np.fromiter(found, dtype=np.int64, count=len(found))
    ids = np.cumsum(np.frombuffer(deltas, dtype=np.int64))
    if deleted:
        ids = ids[~np.isin(ids, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))]
    return ids


_INFO_MAX = 64  # a block's pickled info tuple (six numbers) is shorter than this


def _block_deltas(view: memoryview, position: int) -> array | None:
    """Every posting's distance from the one before (the first: from 0), block after block
    from `position`; None when a block is not laid out as `block_postings` expects."""
    out = array("q")
    previous = 0  # the last id of the block before
    while True:
        length = int.from_bytes(view[position : position + 4], "big", signed=True)
        last = length < 0
        start = position + 4
        position = start + abs(length)
        head = BytesIO(view[start : start + _INFO_MAX])
        count, maxid, _weight, compression, _lo, _hi = load(head)
        data = view[start + head.tell() : position]
        need = 4 + 4 + 2 * (count - 1) + 1  # `\x80\x02(`, the first id, K+byte deltas, `t`
        raw = zlib.decompressobj().decompress(data, need) if compression else bytes(data[:need])
        size = _FIRST.get(raw[3]) if raw[:3] == b"\x80\x02(" else None
        begin = 4 + (size or 0)
        end = begin + 2 * (count - 1)
        if size and raw[begin:end:2] == b"K" * (count - 1) and raw[end : end + 1] == b"t":
            out.append(int.from_bytes(raw[4:begin], "little", signed=size == 4) - previous)
            out.extend(raw[begin + 1 : end : 2])
        else:  # sparse (a delta above 255) or short (1 to 3 ids: no MARK): unpickle the block
            block = loads(zlib.decompress(data) if compression else bytes(data))[0]
            if len(block) != count:
                return None
            out.append(block[0] - previous)
            out.extend(block[1:])
        previous = maxid
        if last:
            return out


def query_ids(reader: Any, query: Any) -> list[int] | None:
    """One segment's documents matching a filter's query (a term, a numeric range: an OR of
    terms and term ranges), read as posting lists; None for any other query."""
    if isinstance(query, wq.NumericRange):
        query = query._compile_query(reader)
    if isinstance(query, ConstantScoreQuery):
        query = query.child
    if query is wq.NullQuery:
        return []
    if isinstance(query, wq.Or):
        found: list[int] = []
        for sub in query.subqueries:
            ids = query_ids(reader, sub)
            if ids is None:
                return None
            found.extend(ids)
        return found
    if isinstance(query, wq.Term):
        texts = [query.text]
    elif isinstance(query, wq.TermRange):
        texts = list(query._btexts(reader))
    else:
        return None
    found = []
    for text in texts:
        if (query.fieldname, text) in reader:
            found.extend(leaf_ids(reader.postings(query.fieldname, text)))
    return found
