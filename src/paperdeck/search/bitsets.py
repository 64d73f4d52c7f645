"""Sets of papers as Python ints: one bit per live paper, bit 0 the newest paper.

Why: as-you-type queries AND and OR the posting lists of a few words and then want the first
few hundred matches newest first. With a bit per paper in newest-first order, AND/OR of
100,000 papers is a few microseconds (`&`, `|`), counting is `int.bit_count()`, and the newest
matches are simply the lowest set bits, so no set of document numbers is ever sorted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


class RankSpace:
    """Maps Whoosh document numbers to their rank in one newest-first order, and back."""

    def __init__(self, order: Sequence[int], doc_count_all: int) -> None:
        self.order = np.asarray(order, dtype=np.int64)  # rank -> document number
        self.rank = np.full(max(doc_count_all, 1), -1, dtype=np.int64)  # -1: not live
        self.rank[self.order] = np.arange(len(self.order), dtype=np.int64)
        self.size = len(self.order)
        self.every = (1 << self.size) - 1  # all live papers

    def bits(self, docnums: npt.ArrayLike) -> int:
        """The set of these documents (deleted or unknown ones left out)."""
        ids = np.asarray(docnums, dtype=np.int64)
        if not ids.size or not self.size:
            return 0
        ranks = self.rank[ids[(ids >= 0) & (ids < self.rank.size)]]
        flags = np.zeros(self.size, dtype=bool)
        flags[ranks[ranks >= 0]] = True
        packed = np.packbits(flags, bitorder="little").tobytes()
        return int.from_bytes(packed, "little")

    def ranks(self, bits: int, limit: int | None = None) -> npt.NDArray[np.int64]:
        """Ranks of the set bits, lowest (newest) first, at most `limit` of them."""
        if not bits or limit == 0:
            return np.zeros(0, dtype=np.int64)
        raw = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), np.uint8)
        found = np.flatnonzero(np.unpackbits(raw, bitorder="little"))
        return found if limit is None else found[:limit]

    def docnums(self, bits: int, limit: int | None = None) -> list[int]:
        """Document numbers of the set, newest first, at most `limit` of them."""
        found: list[int] = self.order[self.ranks(bits, limit)].tolist()
        return found
