"""Property tests: no reader raises on any input (arbitrary text, decoded arbitrary bytes, and
realistic files cut, spliced and corrupted), and what they return keeps its promises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.readers import READERS, EntryKind, ReadResult, SourceRecord, detect, read

DATA = Path(__file__).parent / "data"
SAMPLES = [p.read_text(encoding="utf-8") for p in sorted(DATA.iterdir())]
NAMES = ["", "x.bib", "x.json", "x.md", "x.xml", "x.txt", "x.eml"]
FAST = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

arbitrary_text = st.text(max_size=2000)
decoded_bytes = st.binary(max_size=2000).map(lambda b: b.decode("utf-8", errors="replace"))
# Pieces that steer the fuzzing into the readers' deeper paths.
MARKERS = [
    "@article{",
    "}",
    "{",
    '"',
    "#",
    "\\\\",
    "arXiv:2101.00001",
    "Title: ",
    "Authors: ",
    "\n  ",
    "<entry>",
    "</entry>",
    "<title>",
    "]",
    "[",
    "](https://huggingface.co/papers/2101.00001)",
    "### [",
    "Jan 1",
    "[3](https://huggingface.co/papers/2101.00001#community)",
    "---\n",
    '{"paper": {',
    '"date-parts": [[',
    "\\'e",
    '{\\"o}',
    "%-%-%-%-",
    "replaced with revised version",
]


@st.composite
def corrupted_sample(draw: st.DrawFn) -> str:
    """A realistic file, as written or with random cuts, insertions and deletions."""
    text = draw(st.sampled_from(SAMPLES))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["cut", "insert", "delete", "marker"]))
        if action == "cut":
            text = text[:at]
        elif action == "insert":
            text = text[:at] + draw(st.text(max_size=40)) + text[at:]
        elif action == "marker":
            text = text[:at] + draw(st.sampled_from(MARKERS)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 200)) :]
    return text


any_input = st.one_of(arbitrary_text, decoded_bytes, corrupted_sample())


def check(result: ReadResult, text: str) -> None:
    """The shape every caller relies on."""
    assert isinstance(result, ReadResult)
    last_line = text.count("\n") + text.count("\r") + 1
    for record in result.records:
        assert isinstance(record, SourceRecord)
        assert 1 <= record.line <= last_line
        assert isinstance(record.title, str) and isinstance(record.abstract, str)
        assert all(isinstance(a, str) and a == a.strip() and a for a in record.authors)
        assert record.published is None or isinstance(record.published, date)
        assert record.arxiv_id is None or "v" not in record.arxiv_id.split(".")[-1]
        assert record.doi is None or (
            record.doi.startswith("10.") and record.doi == record.doi.lower()
        )
        assert record.upvotes is None or record.upvotes >= 0
        assert record.entry_kind is None or isinstance(record.entry_kind, EntryKind)
    for warning in result.warnings:
        assert warning.line >= 1 and warning.message.strip()


@FAST
@given(any_input, st.sampled_from(NAMES))
def test_read_and_detect_never_raise(text: str, name: str) -> None:
    result = read(text, name)
    check(result, text)
    assert detect(text, name) in (None, *READERS)
    assert result.format == detect(text, name)


@FAST
@given(any_input)
def test_every_reader_never_raises_on_any_text(text: str) -> None:
    for reader in READERS.values():
        check(reader(text), text)


@FAST
@given(corrupted_sample())
def test_reading_is_deterministic(text: str) -> None:
    assert read(text, "x") == read(text, "x")


HOSTILE = [
    "\n" * 200_000,
    " \n" * 100_000,
    "[" * 200_000,
    "### [" + "[" * 200_000 + "](https://huggingface.co/papers/2306.05422)",
    "<entry>" * 20_000 + '<feed xmlns="http://www.w3.org/2005/Atom">',
    "@misc{k, title = " + "a " * 100_000 + "}",
    "arXiv:2101.00001\nTitle: x\nAuthors: " + "(" * 100_000,
    "[" + "{" * 50_000 + "]",
    "### [Old style](https://huggingface.co/papers/hep-th/9901001)\n\nJan 3\n",
    "### [x\n" * 30_000,
]


def test_large_hostile_inputs_do_not_hang() -> None:
    import time

    for text in HOSTILE:
        started = time.monotonic()
        for reader in READERS.values():
            check(reader(text), text)
        check(read(text, "x"), text)
        assert time.monotonic() - started < 10, text[:30]
