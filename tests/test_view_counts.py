"""The sidebar's counts kept up to date one paper at a time, exactly as a full count says."""

from __future__ import annotations

import threading
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from paperdeck.library import Library
from paperdeck.notes.annotation import STATUSES, Annotation
from paperdeck.views import ViewCounts, count_views

IDS = [f"p{number}" for number in range(6)]
annotations = st.builds(
    Annotation,
    paper_id=st.sampled_from(IDS),
    starred=st.booleans(),
    status=st.sampled_from(STATUSES),
    tags=st.lists(st.sampled_from(["a", "b", "c"]), unique=True).map(tuple),
)


@given(st.lists(annotations, max_size=30))
def test_updates_one_paper_at_a_time_match_a_full_count(changes: list[Annotation]) -> None:
    notes: dict[str, Annotation] = {}
    counts = ViewCounts.of(IDS, notes)
    for annotation in changes:
        before = notes.get(annotation.paper_id)
        notes[annotation.paper_id] = annotation
        change = counts.update(annotation.paper_id, annotation)
        old_status = before.status if before else "unread"
        assert (change is None) or (change.old_status, change.new_status) == (
            old_status,
            annotation.status,
        )
        assert counts.update(annotation.paper_id, annotation) is None  # a repeat is harmless
        assert (counts.views, counts.tags) == count_views(IDS, notes)
    assert all(count > 0 for count in counts.tags.values())  # an unused tag leaves the sidebar


def test_library_keeps_counts_through_changes_and_ignores_orphans(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    first, second = (paper.id for paper in library.papers[:2])
    counts, tags = library.view_counts()
    assert counts["all"] == counts["unread"] == len(library.papers) and not tags

    library.star(first)
    library.tag(first, ["llm"])
    library.set_status(second, "read")
    changes = library.update_counts([first, second, "not-a-paper"])
    assert [(c.paper_id, c.old_status, c.new_status) for c in changes] == [
        (first, "unread", "unread"),  # starred and tagged: counted anew, still unread
        (second, "unread", "read"),
    ]
    assert library.current_counts() == library.view_counts()
    counts, tags = library.current_counts()
    assert (counts["starred"], counts["read"], tags["llm"]) == (1, 1, 1)
    assert counts["unread"] == len(library.papers) - 1

    library.tag(first, remove=["llm"])
    library.update_counts([first])
    assert "llm" not in library.all_tags()
    assert library.current_counts() == library.view_counts()


def test_a_change_during_a_full_count_is_not_lost(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.view_counts()
    paper_id = library.papers[0].id
    all_notes = library.notes.all
    counting = threading.Event()

    def slow_all() -> dict[str, Annotation]:
        snapshot = all_notes()  # the full count's snapshot, taken before the change below
        counting.set()
        library.star(paper_id)
        library.update_counts([paper_id])  # lands while the full count is running
        return snapshot

    library.notes.all = slow_all  # type: ignore[method-assign]
    counts, _ = library.view_counts()
    assert counting.is_set()
    assert counts["starred"] == 1
    library.notes.all = all_notes  # type: ignore[method-assign]
    assert library.current_counts() == library.view_counts()
