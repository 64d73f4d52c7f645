"""The canonical notes-file codec: exact layout, round trips, normalisation and every bad file."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdeck.notes.annotation import STATUSES, Annotation
from paperdeck.notes.toml_format import (
    KNOWN_KEYS,
    NotesEncodeError,
    NotesFileError,
    decode_notes,
    dumps_annotation,
    load_bytes,
    loads_annotation,
    normalise_annotation,
)

PID = "boot-data-free-distillation-of-denoising-5e69af63"
TITLE = "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping"

EXAMPLE = f'''schema = 1
id = "{PID}"
title = "{TITLE}"

starred = true
starred_at = 2026-11-23T09:30:00Z

status = "reading"
status_at = 2026-11-23T09:31:05Z

tags = [
    "diffusion",
    "distillation",
]

note = """
First line of a **Markdown** note.

Second paragraph."""
'''


def example() -> Annotation:
    return Annotation(
        paper_id=PID,
        title=TITLE,
        starred=True,
        starred_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        status="reading",
        status_at=datetime(2026, 11, 23, 9, 31, 5, tzinfo=UTC),
        tags=("distillation", "diffusion"),
        note="First line of a **Markdown** note.\n\nSecond paragraph.",
    )


def roundtrip(a: Annotation) -> Annotation:
    return loads_annotation(dumps_annotation(a), "notes/x.toml")


# --- the exact layout ------------------------------------------------------------------------


def test_example_file_is_exactly_the_documented_layout() -> None:
    assert dumps_annotation(example()) == EXAMPLE
    assert loads_annotation(EXAMPLE, "x") == normalise_annotation(example())


def test_minimal_file_keeps_schema_id_and_title_only() -> None:
    assert dumps_annotation(Annotation("p-1")) == 'schema = 1\nid = "p-1"\ntitle = ""\n'


def test_status_at_without_status_and_starred_at_without_star_are_kept() -> None:
    a = Annotation(
        "p",
        starred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        status_at=datetime(2026, 1, 2, 3, 4, 6, tzinfo=UTC),
    )
    text = dumps_annotation(a)
    assert "starred =" not in text and "status =" not in text
    assert "starred_at = 2026-01-02T03:04:05Z\n\nstatus_at = 2026-01-02T03:04:06Z\n" in text
    assert roundtrip(a) == a


def test_writing_twice_is_byte_identical_and_lf_only() -> None:
    a = example()
    assert dumps_annotation(a).encode() == dumps_annotation(roundtrip(a)).encode()
    assert b"\r" not in dumps_annotation(a).encode()


def test_unknown_keys_are_kept_sorted_after_the_known_ones() -> None:
    text = EXAMPLE + '\nzeta = 1\n\nalpha = "a"\n\n[table]\nx = [1, 2]\nwhen = 1979-05-27\n'
    a = loads_annotation(text, "x")
    assert list(a.extra) == ["alpha", "table", "zeta"]
    out = dumps_annotation(a)
    tail = '\n\nalpha = "a"\n\ntable = { x = [1, 2], when = 1979-05-27 }\n\nzeta = 1\n'
    assert out.endswith(tail)
    assert loads_annotation(out, "x") == a


def test_unknown_values_of_every_toml_type_round_trip() -> None:
    extra = {
        "b": True,
        "i": -3,
        "f": 1.5,
        "big": 1e300,
        "inf": float("inf"),
        "s": 'q"\\\n\t\x01',
        "d": date(2020, 2, 29),
        "t": time(12, 30, 1, 500),
        "local": datetime(2020, 1, 1, 1, 2, 3),
        "aware": datetime(2020, 1, 1, 1, 2, 3, 7, tzinfo=timezone(timedelta(hours=-7))),
        "arr": [[1, 2], ["x"]],
        "tables": [{"a": 1}, {}],
        "weird key": {"k.ey": "v"},
    }
    a = Annotation("p", extra=MappingProxyType(extra))
    assert roundtrip(a).extra == extra
    assert dumps_annotation(roundtrip(a)) == dumps_annotation(a)


def test_unknown_key_clashing_with_a_known_one_is_refused() -> None:
    with pytest.raises(NotesEncodeError):
        dumps_annotation(Annotation("p", extra=MappingProxyType({"note": "x"})))


def test_hand_edited_file_is_normalised_to_a_fixed_point() -> None:
    text = (
        '# my notes\r\nnote = """\r\nline one\r\nline two"""\r\n'
        'tags = ["  Deep  Learning", "rl", "RL", ""]\r\n'
        'status = "read"\r\nid = "p"\r\nstarred = true\r\n'
        "starred_at = 2026-03-01T10:00:00.999+02:00\r\nstatus_at = 2026-03-01T10:00:00\r\n"
    )
    a = loads_annotation(text, "x")
    assert a.tags == ("deep-learning", "rl")
    assert a.note == "line one\nline two"
    assert a.starred_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert a.starred_at.tzinfo is UTC
    assert a.status_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # naive read as UTC
    once = dumps_annotation(a)
    assert dumps_annotation(loads_annotation(once, "x")) == once
    assert "starred_at = 2026-03-01T08:00:00Z" in once


# --- the verified traps ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "stored"),
    [("a\r\nb", "a\nb"), ("a\rb", "a\nb"), ("a\r\rb\r\n", "a\n\nb\n"), ("\r", "\n")],
)
def test_crlf_and_lone_cr_in_notes_become_lf(note: str, stored: str) -> None:
    text = dumps_annotation(Annotation("p", note=note))
    assert "\r" not in text
    assert roundtrip(Annotation("p", note=note)).note == stored


@pytest.mark.parametrize(
    "note",
    [
        '"',
        '""',
        '"""',
        '""""""""',
        'end"',
        'end""',
        'a"""b',
        "back\\",
        "\\\n",
        "x\\u0041",
        "\t tab",
        "\x00\x01\x1f\x7f",
        "\u2028\u0085\x0c\x0b",
        "emoji 🎉 and 日本語",
        "\n\nlead",
        "trail\n",
    ],
)
def test_awkward_note_text_round_trips_exactly(note: str) -> None:
    assert roundtrip(Annotation("p", note=note)).note == note


@pytest.mark.parametrize("title", ['a "quoted" title', "line\nbreak\r", "tab\tand\\", "\x00"])
def test_awkward_titles_round_trip_exactly(title: str) -> None:
    assert roundtrip(Annotation("p", title=title)).title == title


@pytest.mark.parametrize(
    "a",
    [
        Annotation("p", note="ok \ud83d broken"),
        Annotation("p", title="\udc80"),
        Annotation("p", tags=("a\ud800",)),
        Annotation("p", extra=MappingProxyType({"k": "\udfff"})),
        Annotation("p", extra=MappingProxyType({"k\ud800": 1})),
    ],
)
def test_lone_surrogates_are_refused_with_a_clear_error(a: Annotation) -> None:
    with pytest.raises(NotesEncodeError, match="surrogate"):
        dumps_annotation(a)


def test_datetimes_with_second_offsets_become_valid_utc() -> None:
    odd = timezone(timedelta(hours=5, minutes=30, seconds=17))
    a = Annotation("p", starred=True, starred_at=datetime(2026, 1, 1, 12, 0, 0, 123, tzinfo=odd))
    text = dumps_annotation(a)
    assert "starred_at = 2026-01-01T06:29:43Z" in text
    tomllib.loads(text)
    assert roundtrip(a).starred_at == datetime(2026, 1, 1, 6, 29, 43, tzinfo=UTC)


def test_naive_datetimes_are_written_as_utc_whole_seconds() -> None:
    a = Annotation("p", status="read", status_at=datetime(2026, 5, 6, 7, 8, 9, 999999))
    assert "status_at = 2026-05-06T07:08:09Z" in dumps_annotation(a)


def test_leading_bom_is_dropped_in_text_and_bytes() -> None:
    assert loads_annotation("\ufeff" + EXAMPLE, "x").paper_id == PID
    assert load_bytes(b"\xef\xbb\xbf" + EXAMPLE.encode(), "x").paper_id == PID


# --- bad files: every one is a NotesFileError with a place ----------------------------------


def bad(text: str, expected_id: str | None = None) -> NotesFileError:
    with pytest.raises(NotesFileError) as caught:
        loads_annotation(text, "notes/p.toml", expected_id)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.path == "notes/p.toml"
    assert str(error).startswith("notes/p.toml")
    return error


def test_bad_bytes_report_line_and_column() -> None:
    with pytest.raises(NotesFileError) as caught:
        load_bytes(b'id = "p"\nnote = "ab\xff"\n', "notes/p.toml")
    assert (caught.value.line, caught.value.column) == (2, 11)
    assert "UTF-8" in caught.value.message


def test_utf16_file_is_refused() -> None:
    with pytest.raises(NotesFileError, match="UTF-16"):
        decode_notes('id = "p"'.encode("utf-16"), "x")


@pytest.mark.parametrize("text", ["", "  \n\n", "# only a comment\n", "\ufeff"])
def test_empty_file_is_bad(text: str) -> None:
    assert bad(text).message == "empty notes file"


def test_invalid_toml_reports_line_and_column() -> None:
    error = bad('schema = 1\nid = "p"\ntitle = oops\n')
    assert (error.line, error.column) == (3, 9)
    assert error.message.startswith("invalid TOML")


def test_unterminated_string_at_end_of_document_has_a_line() -> None:
    error = bad('id = "p"\nnote = """\nnever closed\n')
    assert error.line == 3


def test_git_conflict_markers_are_named() -> None:
    text = (
        'schema = 1\nid = "p"\n<<<<<<< HEAD\nstatus = "read"\n=======\n'
        'status = "later"\n>>>>>>> origin/main\n'
    )
    error = bad(text)
    assert error.line == 3 and "conflict markers" in error.message


@pytest.mark.parametrize(
    ("line", "key", "expected_line"),
    [
        ('starred = "yes"', "starred", 3),
        ('tags = "ml"', "tags", 3),
        ("tags = [1, 2]", "tags", 3),
        ("note = 3", "note", 3),
        ('title = ["x"]', "title", 3),
        ('status = "done"', "status", 3),
        ("status = 1", "status", 3),
        ('starred_at = "2020-01-01"', "starred_at", 3),
        ("starred_at = 2020-01-01", "starred_at", 3),
        ("status_at = 10:00:00", "status_at", 3),
    ],
)
def test_wrong_field_types_name_the_key_and_line(line: str, key: str, expected_line: int) -> None:
    error = bad(f'schema = 1\nid = "p"\n{line}\n')
    assert error.message.startswith(key)
    assert error.line == expected_line and error.column is not None


@pytest.mark.parametrize("schema", ["2", "99"])
def test_newer_schema_is_refused(schema: str) -> None:
    error = bad(f'schema = {schema}\nid = "p"\n')
    assert "newer paperdeck" in error.message and error.line == 1
    assert "upgrade" in error.hint


@pytest.mark.parametrize("schema", ['"1"', "true", "0", "1.0"])
def test_odd_schema_values_are_refused(schema: str) -> None:
    assert bad(f'schema = {schema}\nid = "p"\n').message.startswith("schema")


def test_missing_schema_counts_as_one() -> None:
    assert loads_annotation('id = "p"\n', "x") == Annotation("p")


@pytest.mark.parametrize("text", ['schema = 1\ntitle = "t"\n', 'id = ""\n', "id = 5\n"])
def test_missing_or_bad_id_is_refused(text: str) -> None:
    assert "id" in bad(text).message


def test_id_must_match_the_file_name() -> None:
    error = bad('schema = 1\nid = "other"\n', expected_id="p")
    assert error.line == 2 and "p.toml" in error.message


# --- properties ------------------------------------------------------------------------------

note_text = st.lists(
    st.one_of(st.text(), st.sampled_from(["\r", "\r\n", "\n", '"', '"""', "\\", "\x00", "\t"])),
    max_size=8,
).map("".join)
tag_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
when = st.none() | st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.none() | st.timezones() | st.just(UTC),
)
annotations = st.builds(
    Annotation,
    paper_id=st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True),
    title=st.text(),
    starred=st.booleans(),
    starred_at=when,
    status=st.sampled_from(STATUSES),
    status_at=when,
    tags=st.lists(tag_text, max_size=6).map(tuple),
    note=note_text,
)


@settings(max_examples=300)
@given(annotations)
def test_any_annotation_round_trips_modulo_normalisation(a: Annotation) -> None:
    text = dumps_annotation(a)
    assert "\r" not in text and text.endswith("\n")
    back = loads_annotation(text, "x", expected_id=a.paper_id)
    assert back == normalise_annotation(a)
    assert back.note == a.note.replace("\r\n", "\n").replace("\r", "\n")
    assert dumps_annotation(back) == text  # rewriting is a fixed point


@settings(max_examples=200)
@given(note_text)
def test_any_note_text_survives(note: str) -> None:
    back = roundtrip(Annotation("p", note=note)).note
    assert back == note.replace("\r\n", "\n").replace("\r", "\n")


toml_scalars = (
    st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False)
    | st.dates()
    | st.times()
    | st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(9999, 12, 30))
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.text(min_size=1).filter(lambda k: k not in KNOWN_KEYS),
        toml_values,
        max_size=4,
    )
)
def test_any_unknown_keys_round_trip(extra: dict[str, object]) -> None:
    a = Annotation("p", extra=MappingProxyType(extra))
    text = dumps_annotation(a)
    assert roundtrip(a).extra == extra
    assert dumps_annotation(loads_annotation(text, "x")) == text


def test_unknown_key_ending_in_a_newline_is_quoted() -> None:
    """`$` matches before a final newline: such a key must still be written quoted."""
    a = Annotation("p", extra=MappingProxyType({"0\n": []}))
    assert roundtrip(a).extra == {"0\n": []}
