"""The Whoosh fix: sub-files read through the memory map behave exactly like the copies did."""

from __future__ import annotations

import io
import pickle

from hypothesis import given
from hypothesis import strategies as st
from whoosh.filedb.structfile import BufferFile

import paperdeck.search.index  # noqa: F401  (applies the patch)
from paperdeck.search.whoosh_patches import ViewReader

operations = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 40)),
        st.tuples(st.just("readline"), st.integers(-1, 40)),
        st.tuples(st.just("seek"), st.integers(0, 80)),
        st.tuples(st.just("seek1"), st.integers(-5, 20)),
        st.tuples(st.just("seek2"), st.integers(-30, 0)),
    ),
    max_size=30,
)


@given(st.binary(max_size=60), operations)
def test_view_reader_reads_like_bytesio(data: bytes, ops: list[tuple[str, int]]) -> None:
    ours, theirs = ViewReader(memoryview(data)), io.BytesIO(data)
    for name, value in ops:
        if name == "read":
            assert ours.read(value) == theirs.read(value)
        elif name == "readline":
            assert ours.readline(value) == theirs.readline(value)
        elif name == "seek":
            assert ours.seek(value) == theirs.seek(value)
        elif name == "seek1":
            if theirs.tell() + value >= 0:
                assert ours.seek(value, 1) == theirs.seek(value, 1)
        elif theirs.tell() >= 0 and len(data) + value >= 0:
            assert ours.seek(value, 2) == theirs.seek(value, 2)
        assert ours.tell() == theirs.tell()


def test_buffer_file_reads_pickles_and_numbers_without_a_copy() -> None:
    payload = pickle.dumps({"fieldmap": {"title": 1}}, 2)
    data = b"\x00\x00\x00\x07" + payload + b"tail"
    view = memoryview(data)
    file = BufferFile(view, name="x")
    assert file._lazy_file is None  # nothing made yet
    assert file.read_int() == 7
    assert file.read_pickle() == {"fieldmap": {"title": 1}}
    assert file.read(4) == b"tail"
    assert file.get(0, 4) == b"\x00\x00\x00\x07"
    file.close()
