"""A faster Whoosh writer for full index builds.

Whoosh's `SegmentWriter` spends most of a build on bookkeeping for each single posting (one word
in one paper): it sizes it, pickles it to a sort file, unpickles it, merges it through a heap and
hands it to the codec one call at a time. `FastSegmentWriter` writes the very same segment files
(same codec, same blocks) but keeps each term's postings in arrays, spills whole term groups (not
single postings) when a run is full, and writes each term's posting blocks in one go.
`FastMpWriter` is Whoosh's multi-process writer with these as sub-writers.

Used for building an index from scratch and for a note change's one-document segment (no
merging: merges, which read other segments back, go through Whoosh's normal writer).
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import os
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator
from itertools import chain
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from paperdeck.search.schema import EdgeText, StemmedText

RUN_POSTINGS = 4_000_000  # postings buffered before a sorted run is spilled (~150 MB)
COMPRESS_MIN = 8  # posting blocks with fewer postings are not zlib-compressed
# zlib level for posting blocks: Whoosh's 3 costs twice the time of 1 for a few % of size;
# readers take any level (each block records whether it is compressed)
COMPRESS_LEVEL = 1
MEMO_VALUES = 4096  # distinct values remembered per field (see FastSegmentWriter._terms)
FREE_TEXT = (StemmedText, EdgeText)  # analysed text: values never repeat

_LENGTH = struct.Struct("<Q")  # before each spilled record

# One term's postings: (fieldname, term bytes, docnums, weights, values)
Group = tuple[str, bytes, array, array, list[bytes | None]]
Postings = tuple[array, array, list[Any]]  # docnums ("I"), weights ("f"), values


def new_postings(docnum: int, weight: float, vbytes: Any) -> Postings:
    """A term's first posting. Arrays hold what Whoosh's block writer stores anyway (unsigned
    ints, 32-bit floats): 8 bytes a posting instead of two pointers and a float object."""
    return array("I", (docnum,)), array("f", (weight,)), [vbytes]


class FastPool:
    """Stands in for Whoosh's PostingPool: postings grouped by field and term in dicts.

    When `limit` postings are buffered they are spilled to a temporary file as a sorted run of
    whole term groups; `groups` merges the runs and what is still in memory (docnums stay
    ascending: runs are in order, and the buffer holds the newest documents).
    """

    def __init__(self, tempstore: Any, limit: int | None = None) -> None:
        self.tempstore = tempstore
        self.limit = RUN_POSTINGS if limit is None else limit  # read now: tests lower it
        self.count = 0
        self.fields: dict[str, dict[bytes, Postings]] = {}
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, item: tuple[Any, ...]) -> None:  # Whoosh's (field, term, docnum, weight, value)
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.fields.setdefault(fieldname, {})
        entry = terms.get(tbytes)
        if entry is None:
            terms[tbytes] = new_postings(docnum, weight, vbytes)
        else:
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(vbytes)
        self.count += 1

    def full(self) -> bool:
        return self.count >= self.limit

    def _groups(self) -> Iterator[Group]:
        fields, self.fields, self.count = self.fields, {}, 0
        for fieldname in sorted(fields):
            self.fieldnames.add(fieldname)
            terms = fields.pop(fieldname)
            for tbytes in sorted(terms):
                docnums, weights, values = terms.pop(tbytes)
                yield fieldname, tbytes, docnums, weights, values

    def save(self) -> None:
        if not self.count:
            return
        name = f"{random_name()}.fastrun"
        with self.tempstore.create_file(name).raw_file() as f:
            for fieldname, tbytes, docnums, weights, values in self._groups():
                record = (fieldname, tbytes, docnums.tobytes(), weights.tobytes(), values)
                data = marshal.dumps(record)  # marshal.load(file) reads item by item: slow
                f.write(_LENGTH.pack(len(data)))
                f.write(data)
        self.runs.append(name)

    def _read_run(self, name: str) -> Iterator[Group]:
        with self.tempstore.open_file(name).raw_file() as f:
            while header := f.read(_LENGTH.size):
                fieldname, tbytes, docnums, weights, values = marshal.loads(
                    f.read(_LENGTH.unpack(header)[0])
                )
                ids, floats = array("I"), array("f")
                ids.frombytes(docnums)
                floats.frombytes(weights)
                yield fieldname, tbytes, ids, floats, values
        self.tempstore.delete_file(name)

    def groups(self) -> Iterable[Group]:
        """Every term's postings, in field and term order, docnums ascending."""
        if not self.runs:
            yield from self._groups()
            return
        runs = [self._read_run(name) for name in self.runs]
        self.runs = []
        # stable: for one term, earlier runs (lower docnums) come first, the buffer last
        merged = heapq.merge(*runs, self._groups(), key=lambda group: (group[0], group[1]))
        pending: Group | None = None
        for group in merged:
            if pending is not None and group[0] == pending[0] and group[1] == pending[1]:
                pending[2].extend(group[2])
                pending[3].extend(group[3])
                pending[4].extend(group[4])
                continue
            if pending is not None:
                yield pending
            pending = group
        if pending is not None:
            yield pending

    def cleanup(self) -> None:
        for name in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(name)
        self.runs = []
        self.fields, self.count = {}, 0


class FastSegmentWriter(SegmentWriter):
    """A SegmentWriter whose postings take the fast path above (see the module docstring)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.pop("limitmb", None)
        super().__init__(ix, **kwargs)
        self.pool = FastPool(self._tempstorage)
        self._memo: dict[str, dict[Any, tuple[tuple[Any, ...], ...]]] = {}

    def add_document(self, **fields: Any) -> None:
        """SegmentWriter.add_document for plain documents (no boosts, vectors or spelling)."""
        schema = self.schema
        if any(name.startswith("_") for name in fields) or any(
            schema[name].vector or schema[name].separate_spelling() for name in fields
        ):
            super().add_document(**fields)
        else:
            self._add(fields)
        if self.pool.full():
            self.pool.save()

    def _add(self, fields: dict[str, Any]) -> None:
        self._check_state()
        schema, perdocwriter, pool, docnum = self.schema, self.perdocwriter, self.pool, self.docnum
        self._check_fields(schema, fields)
        perdocwriter.start_doc(docnum)
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                terms = pool.fields.get(fieldname)
                if terms is None:
                    terms = pool.fields[fieldname] = {}
                get = terms.get
                count = 0
                for tbytes, freq, weight, vbytes in self._terms(fieldname, field, value):
                    length += freq
                    count += 1
                    entry = get(tbytes)
                    if entry is None:
                        terms[tbytes] = new_postings(docnum, weight, vbytes)
                    else:
                        entry[0].append(docnum)
                        entry[1].append(weight)
                        entry[2].append(vbytes)
                pool.count += count
                if not field.scorable:
                    length = 0
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _terms(self, fieldname: str, field: Any, value: Any) -> Iterable[tuple[Any, ...]]:
        """`field.index(value)`, remembered for fields whose values repeat (dates, counts,
        statuses, files: a few thousand values at most; a field of unique values stops being
        remembered at MEMO_VALUES)."""
        if isinstance(field, FREE_TEXT):
            return field.index(value)  # type: ignore[no-any-return]
        memo = self._memo.setdefault(fieldname, {})
        items = memo.get(value)
        if items is None:
            items = tuple(field.index(value))
            if len(memo) < MEMO_VALUES:
                memo[value] = items
        return items

    def add_reader(self, reader: Any) -> None:  # merging segments needs Whoosh's pool
        raise NotImplementedError("FastSegmentWriter only writes new documents")

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader()
        try:
            _write_postings(self.schema, self.fieldwriter, pdr, self.docnum, self.pool.groups())
        finally:
            pdr.close()
        self.fieldwriter.close()


def _lengths(pdr: Any, fieldname: str, doccount: int) -> list[int] | None:
    """What `doc_field_length` answers for each document, read once per field."""
    reader = pdr._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    table = [0] + [byte_to_length(b) for b in range(1, 256)]
    return [table[reader[docnum]] for docnum in range(doccount)]


def _write_postings(
    schema: Any, fieldwriter: Any, pdr: Any, doccount: int, groups: Iterable[Group]
) -> None:
    """What FieldWriter.add_postings does, one term (and one block) at a time."""
    lastfield = None
    compression = COMPRESS_LEVEL
    lengths: list[int] | None = None
    postwriter: Any = None
    for fieldname, tbytes, docnums, weights, values in groups:
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            postwriter = fieldwriter._postwriter
            postwriter._write_block = _write_block.__get__(postwriter)
            lengths = _lengths(pdr, fieldname, doccount)
            lastfield = fieldname
        fieldwriter.start_term(tbytes)
        limit = postwriter._blocklimit
        for start in range(0, len(docnums), limit):
            if start:
                postwriter._write_block()
            ids = docnums[start : start + limit]
            # Tiny blocks grow when zlib-compressed (and most terms are rare): store them as
            # they are; readers look at each block's own compression flag.
            postwriter._compression = compression if len(ids) >= COMPRESS_MIN else 0
            chunk_weights = weights[start : start + limit]
            postwriter._ids = ids
            postwriter._weights = chunk_weights
            postwriter._values = [v for v in values[start : start + limit] if v]
            postwriter._maxweight = max(0, max(chunk_weights))
            if lengths is not None:
                present = [lengths[d] for d in ids]
                if not min(present):  # Whoosh's block statistics skip unknown (0) lengths
                    present = [length for length in present if length]
                postwriter._minlength = min(present) if present else None
                postwriter._maxlength = max(present) if present else 0
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()


def _write_block(self: Any, last: bool = False) -> None:
    """W3PostingsWriter._write_block (the same bytes), without its per-posting generators."""
    if not self._blockcount:
        self._postfile.write(WHOOSH3_HEADER_MAGIC)
    self._terminfo.add_block(self)
    ids, weights = self._ids, self._weights
    first = weights[0]
    if weights.count(first) != len(weights):
        mini_weights: Any = tuple(weights)
    else:
        mini_weights = None if first == 1.0 else first
    data = (tuple(map(sub, ids, chain((0,), ids))), mini_weights, self._mini_values())
    databytes = dumps(data, 2)
    comp = self._compression
    if comp:
        databytes = zlib.compress(databytes, comp)
    info = (
        len(ids),
        ids[-1],
        self._maxweight,
        comp,
        length_to_byte(self._minlength),
        length_to_byte(self._maxlength),
    )
    infobytes = dumps(info, 2)
    length = len(infobytes) + len(databytes)
    self._postfile.write_int(-length if last else length)
    self._postfile.write(infobytes)
    self._postfile.write(databytes)
    self._blockcount += 1
    self._new_block()


class FastSubWriterTask(SubWriterTask):
    """Whoosh's sub-writer process, writing its own segment with a FastSegmentWriter."""

    def run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = FastSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        segment = writer._finalize_segment()
        self.resultqueue.put((None, writer.pool.fieldnames, segment), timeout=60)


class FastMpWriter(MpWriter):
    """Whoosh's multi-process writer (multisegment: one segment per process), sub-writers fast."""

    def __init__(self, ix: Any, procs: int, batchsize: int = 100, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, batchsize=batchsize, multisegment=True, **kwargs)

    def _new_task(self) -> Any:
        task = FastSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        self.tasks.append(task)
        task.start()
        return task


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
