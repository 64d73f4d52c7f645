"""Three-way merges of note text and of whole annotations."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from paperdeck.notes.annotation import STATUSES, Annotation
from paperdeck.notes.merge3 import merge_annotations, merge_tags, merge_text, split_lines
from paperdeck.notes.toml_format import dumps_annotation

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def resolve(text: str, side: int) -> str:
    """Resolve every conflict block of `text` to side 0 (first) or 1 (second)."""
    out, state = [], None
    for line in split_lines(text):
        bare = line.rstrip("\n")
        if bare.startswith("<<<<<<< "):
            state = 0
        elif bare == "=======" and state is not None:
            state = 1
        elif bare.startswith(">>>>>>> ") and state is not None:
            state = None
        elif state is None or state == side:
            out.append(line)
    return "".join(out)


# --- merge_text ------------------------------------------------------------------------------


def test_split_lines_only_splits_on_lf() -> None:
    assert split_lines("a\r\nb\u2028c\n\nd") == ["a\r\n", "b\u2028c\n", "\n", "d"]
    assert split_lines("") == []


def test_one_sided_and_identical_changes_merge_cleanly() -> None:
    base = "one\ntwo\nthree\n"
    assert merge_text(base, base, "one\n2\nthree\n") == ("one\n2\nthree\n", False)
    assert merge_text(base, "one\n2\nthree\n", base) == ("one\n2\nthree\n", False)
    assert merge_text(base, "x\n", "x\n") == ("x\n", False)


def test_changes_to_different_lines_both_land() -> None:
    base = "a\nb\nc\nd\ne\n"
    ours = "A\nb\nc\nd\ne\n"
    theirs = "a\nb\nc\nd\nE\n"
    assert merge_text(base, ours, theirs) == ("A\nb\nc\nd\nE\n", False)


def test_appends_without_final_newline_do_not_clash_with_edits_elsewhere() -> None:
    base = "first\nsecond"
    ours = "FIRST\nsecond"
    theirs = "first\nsecond\nthird"
    assert merge_text(base, ours, theirs) == ("FIRST\nsecond\nthird", False)


def test_clash_keeps_both_sides_between_markers() -> None:
    text, conflict = merge_text("a\nb\nc", "a\nX\nc", "a\nY\nc", labels=("mine", "disk"))
    assert conflict
    assert text == "a\n<<<<<<< mine\nX\n=======\nY\n>>>>>>> disk\nc"


def test_clash_at_the_end_without_newline() -> None:
    text, conflict = merge_text("", "x", "y")
    assert conflict
    assert text == "<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs"


def test_delete_versus_edit_is_a_clash() -> None:
    text, conflict = merge_text("a\nb\n", "a\n", "a\nB\n")
    assert conflict and "B\n" in text


lines = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "e", "\n", "f\r\n"]), max_size=8)
texts = lines.map("".join)


@settings(max_examples=400)
@given(texts, texts, texts)
def test_merge_text_is_symmetric_up_to_labels(base: str, ours: str, theirs: str) -> None:
    left, left_conflict = merge_text(base, ours, theirs)
    right, right_conflict = merge_text(base, theirs, ours)
    assert left_conflict == right_conflict
    if not left_conflict:
        assert left == right
    else:
        assert resolve(left, 0) == resolve(right, 1)
        assert resolve(left, 1) == resolve(right, 0)


@settings(max_examples=400)
@given(texts, texts)
def test_merge_text_takes_one_sided_changes_whole(base: str, changed: str) -> None:
    assert merge_text(base, changed, base) == (changed, False)
    assert merge_text(base, base, changed) == (changed, False)


@settings(max_examples=300)
@given(texts, texts, texts)
def test_conflict_blocks_resolve_to_something_containing_each_sides_lines(
    base: str, ours: str, theirs: str
) -> None:
    text, conflict = merge_text(base, ours, theirs)
    if conflict:
        assert "<<<<<<< ours\n" in text and ">>>>>>> theirs" in text
    else:
        assert "<<<<<<<" not in text


def test_typing_at_the_end_of_a_paragraph_merges_with_an_appended_paragraph() -> None:
    # The note editor's case (issue 16): a paragraph is being typed; `note --append` adds one.
    base = "intro\n\nmy line"
    assert merge_text(base, "intro\n\nmy line more", base + "\n\nappended") == (
        "intro\n\nmy line more\n\nappended",
        False,
    )
    assert merge_text("x\ny\n", "x\nY\n", "top\nx\ny\n") == ("top\nx\nY\n", False)
    # two additions at the same place still clash: their order is not known
    assert merge_text("x\n", "x\nmine\n", "x\ntheirs\n")[1]


# Distinct lines, so each edit below is unambiguous.
base_lines = st.integers(min_value=3, max_value=12).map(lambda n: [f"line {i}\n" for i in range(n)])


@settings(max_examples=300)
@given(base_lines, st.data())
def test_edits_on_lines_apart_merge_without_markers(base: list[str], data: st.DataObject) -> None:
    """Each side rewrites, deletes or adds after its own lines, with an untouched line between."""
    cut = data.draw(st.integers(min_value=1, max_value=len(base) - 2))
    actions = st.sampled_from(["keep", "edit", "delete", "add"])
    ours_actions = data.draw(st.lists(actions, min_size=cut, max_size=cut))
    theirs_actions = data.draw(
        st.lists(actions, min_size=len(base) - cut - 1, max_size=len(base) - cut - 1)
    )

    def apply(lines: list[str], todo: list[str], side: str) -> list[str]:
        out = []
        for line, action in zip(lines, todo, strict=True):
            if action == "edit":
                out.append(f"{line.strip()} edited by {side}\n")
            elif action == "add":
                out += [line, f"added by {side} after {line.strip()}\n"]
            elif action == "keep":
                out.append(line)
        return out

    head, middle, tail = base[:cut], base[cut], base[cut + 1 :]
    ours = [*apply(head, ours_actions, "ours"), middle, *tail]
    theirs = [*head, middle, *apply(tail, theirs_actions, "theirs")]
    expected = [*apply(head, ours_actions, "ours"), middle, *apply(tail, theirs_actions, "theirs")]
    text, conflict = merge_text("".join(base), "".join(ours), "".join(theirs))
    assert not conflict
    assert text == "".join(expected)


@settings(max_examples=400)
@given(texts, texts, texts)
def test_markers_are_whole_well_ordered_never_nested_lines(
    base: str, ours: str, theirs: str
) -> None:
    text, conflict = merge_text(base, ours, theirs, ("yours", "from outside"))
    state, blocks = "text", 0
    for line in text.split("\n"):
        if line.startswith("<<<<<<<"):
            assert state == "text" and line == "<<<<<<< yours"
            state = "yours"
        elif line.startswith("=======") and state != "text":
            assert state == "yours" and line == "======="
            state = "theirs"
        elif line.startswith(">>>>>>>"):
            assert state == "theirs" and line == ">>>>>>> from outside"
            state, blocks = "text", blocks + 1
    assert state == "text"
    assert (blocks > 0) == conflict


# --- merge_annotations -----------------------------------------------------------------------


def ann(**fields: object) -> Annotation:
    return Annotation("p", **fields)  # type: ignore[arg-type]


def test_tags_are_a_three_way_set_merge() -> None:
    assert merge_tags(("a", "b", "c"), ("a", "b", "x"), ("b", "c", "y")) == ("b", "x", "y")
    merged, conflict = merge_annotations(None, ann(tags=("a",)), ann(tags=("b",)))
    assert merged.tags == ("a", "b") and not conflict


def test_one_sided_fields_are_taken_from_either_side() -> None:
    base = ann(title="T", note="n")
    ours = ann(title="T", note="n", starred=True, starred_at=T0)
    theirs = ann(title="T", note="n2", status="read", status_at=T0)
    merged, conflict = merge_annotations(base, ours, theirs)
    assert not conflict
    assert (merged.starred, merged.status, merged.note) == (True, "read", "n2")


def test_the_later_star_and_status_win_when_both_changed() -> None:
    base = ann()
    ours = ann(starred=True, starred_at=T0 + timedelta(seconds=5), status="read", status_at=T0)
    theirs = ann(
        starred=False,
        starred_at=T0 + timedelta(seconds=1),
        status="later",
        status_at=T0 + timedelta(seconds=9),
    )
    merged, _ = merge_annotations(base, ours, theirs)
    assert merged.starred is True and merged.status == "later"
    swapped, _ = merge_annotations(base, theirs, ours)
    assert (swapped.starred, swapped.status) == (True, "later")


def test_ties_go_to_ours() -> None:
    ours = ann(status="read", status_at=T0)
    theirs = ann(status="later", status_at=T0)
    assert merge_annotations(None, ours, theirs)[0].status == "read"
    assert merge_annotations(None, theirs, ours)[0].status == "later"


def test_note_clash_keeps_both_sides_and_flags_it() -> None:
    merged, conflict = merge_annotations(
        ann(note="x"), ann(note="mine"), ann(note="theirs"), labels=("paperdeck", "on disk")
    )
    assert conflict
    assert merged.note == "<<<<<<< paperdeck\nmine\n=======\ntheirs\n>>>>>>> on disk"
    tomllib.loads(dumps_annotation(merged))


def test_extra_keys_merge_like_scalars() -> None:
    base = ann(extra=MappingProxyType({"a": 1, "b": 2, "c": 3}))
    ours = ann(extra=MappingProxyType({"a": 10, "b": 2}))  # changed a, removed c
    theirs = ann(extra=MappingProxyType({"a": 1, "b": 2, "c": 3, "d": 4}))  # added d
    merged, conflict = merge_annotations(base, ours, theirs)
    assert dict(merged.extra) == {"a": 10, "b": 2, "d": 4} and not conflict


def test_different_papers_are_not_merged() -> None:
    import pytest

    with pytest.raises(ValueError):
        merge_annotations(None, Annotation("p"), Annotation("q"))


times = st.none() | st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
tag_sets = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=5).map(
    lambda tags: tuple(sorted(set(tags)))
)
states = st.builds(
    Annotation,
    paper_id=st.just("p"),
    title=st.sampled_from(["", "T", "U"]),
    starred=st.booleans(),
    starred_at=times,
    status=st.sampled_from(STATUSES),
    status_at=times,
    tags=tag_sets,
    note=texts,
    extra=st.dictionaries(st.sampled_from(["k", "m"]), st.integers(0, 2)).map(MappingProxyType),
)


@settings(max_examples=400)
@given(st.none() | states, states, states)
def test_merge_annotations_properties(
    base: Annotation | None, ours: Annotation, theirs: Annotation
) -> None:
    merged, conflict = merge_annotations(base, ours, theirs)
    empty = base or Annotation("p")
    # no added tag is lost, and every removal on either side is honoured
    added = (set(ours.tags) - set(empty.tags)) | (set(theirs.tags) - set(empty.tags))
    assert added <= set(merged.tags)
    removed = (set(empty.tags) - set(ours.tags)) | (set(empty.tags) - set(theirs.tags))
    assert not (removed - added) & set(merged.tags)
    # the result always makes a valid notes file
    tomllib.loads(dumps_annotation(merged))
    # symmetric up to labels (and exact ties, which go to ours)
    other, other_conflict = merge_annotations(base, theirs, ours)
    assert conflict == other_conflict
    assert merged.tags == other.tags
    assert resolve(merged.note, 0) == resolve(other.note, 1)
    if ours.starred_at != theirs.starred_at:
        assert (merged.starred, merged.starred_at) == (other.starred, other.starred_at)
    if ours.status_at != theirs.status_at:
        assert (merged.status, merged.status_at) == (other.status, other.status_at)
    if not (ours.title != empty.title != theirs.title != ours.title):
        assert merged.title == other.title


@settings(max_examples=300)
@given(st.none() | states, states)
def test_one_sided_changes_are_taken_whole(base: Annotation | None, changed: Annotation) -> None:
    unchanged = base or Annotation("p")
    assert merge_annotations(base, changed, unchanged) == (changed, False)
    assert merge_annotations(base, unchanged, changed) == (changed, False)


def _blocks(text: str) -> list[tuple[list[str], list[str]]]:
    """The (ours, theirs) sides of each conflict block; fails on a malformed or nested one."""
    blocks, state, sides = [], None, ([], [])  # type: ignore[var-annotated]
    for line in text.split("\n"):
        if line.startswith("<<<<<<< "):
            assert state is None, f"nested block in {text!r}"
            state, sides = 0, ([], [])
        elif line == "=======":
            assert state == 0, f"stray separator in {text!r}"
            state = 1
        elif line.startswith(">>>>>>> "):
            assert state == 1, f"end before separator in {text!r}"
            blocks.append(sides)
            state = None
        elif state is not None:
            sides[state].append(line)
    assert state is None, f"unclosed block in {text!r}"
    return blocks


# An editor session: typing a word on some line (or a new line) of the editor's text, appending
# a paragraph on disk (`note --append`), or a save that merges the two.
session_steps = st.lists(
    st.one_of(
        st.tuples(st.just("type"), st.integers(0, 20), st.booleans()),
        st.tuples(st.just("append"), st.just(0), st.just(False)),
        st.tuples(st.just("save"), st.just(0), st.just(False)),
    ),
    max_size=30,
)


@given(st.sampled_from(["", "alpha", "alpha\nsecond line", "a\n\nb\n"]), session_steps)
@settings(max_examples=300, deadline=None)
def test_repeated_merges_with_a_shown_clash_never_nest_blocks(
    start: str, steps: list[tuple[str, int, bool]]
) -> None:
    """Issue 16: once a clash is shown, later merges (markers in base or ours) keep one
    well-formed block per clash, never a block in a block, and lose no word."""
    labels = ("yours", "from outside")
    base = ours = disk = start
    typed: list[str] = []
    appended: list[str] = []

    def merge(keep: bool) -> None:
        nonlocal base, ours, disk
        merged, conflict = merge_text(base, ours, disk, labels)
        for ours_side, theirs_side in _blocks(merged):
            assert ours_side and theirs_side, f"a block with an empty side: {merged!r}"
        ours = merged
        if conflict and not keep:
            base = disk  # the editor shows the clash; nothing is written yet
        else:
            base = disk = merged

    for kind, where, new_line in steps:
        if kind == "type":
            lines = ours.split("\n")
            plain = [
                i for i, line in enumerate(lines) if not line.startswith(("<<<", "===", ">>>"))
            ]
            word = f"w{len(typed)}"
            typed.append(word)
            row = plain[where % len(plain)]
            if new_line:
                lines.insert(row + 1, word)
            else:
                lines[row] += f" {word}"
            ours = "\n".join(lines)
        elif kind == "append":
            line = f"APP{len(appended)}"
            appended.append(line)
            disk = f"{disk.rstrip()}\n\n{line}" if disk.strip() else line
        else:
            merge(keep=False)
    merge(keep=True)  # the closing save writes whatever is left
    words = disk.replace("\n", " ").split()
    for word in typed + appended:
        assert word in words, f"{word} lost: {disk!r}"
