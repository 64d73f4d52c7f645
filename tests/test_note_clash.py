"""Resolving a note clash: both sides recovered exactly, each choice keeps what it says."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from paperdeck.notes.merge3 import merge_text
from paperdeck.sync.note_clash import has_clash, parse, resolve, side

BASE = "intro\n\nshared line\n\noutro"
OURS = "intro\n\nour line\n\noutro"
THEIRS = "intro\n\ntheir line\n\noutro"


def test_a_real_merge_clash_resolves_each_way() -> None:
    merged, conflict = merge_text(BASE, OURS, THEIRS, ("ours", "theirs"))
    assert conflict and has_clash(merged)
    assert side(merged, "first") == OURS
    assert side(merged, "second") == THEIRS
    assert resolve(merged, "first") == OURS
    assert resolve(merged, "second") == THEIRS
    assert resolve(merged, "both") == "intro\n\nour line\ntheir line\n\noutro"
    [clash] = [c for c in parse(merged) if not isinstance(c, str)]
    assert (clash.first_label, clash.second_label) == ("ours", "theirs")


def test_text_without_a_complete_clash_is_left_alone() -> None:
    for text in ("plain", "<<<<<<< only a start\nx", "a\n=======\nb"):
        assert not has_clash(text)
        assert resolve(text, "first") == text


base_words = st.text(alphabet="abc", min_size=1, max_size=8)
new_words = st.text(alphabet="xyz ", min_size=1, max_size=8)


@given(
    base=base_words,
    ours=st.lists(new_words, min_size=1, max_size=4),
    theirs=st.lists(new_words, min_size=1, max_size=4),
)
def test_a_clash_gives_back_each_side_exactly(base, ours, theirs) -> None:
    """Both sides rewrote the same (only) line: each side is recovered to the letter."""
    o, t = "\n".join(ours), "\n".join(theirs)
    merged, conflict = merge_text(base, o, t)
    if o == t:
        return  # the same change on both sides is no clash
    assert conflict
    assert side(merged, "first") == o
    assert side(merged, "second") == t
    assert resolve(merged, "both") == f"{o}\n{t}"
