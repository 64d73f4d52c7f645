"""Batch decisions: one change to many papers, one undo step for all of it, per-paper refusal of
papers changed since, read-only papers reported, and (property) never a tag or note lost."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.library import Annotation, Library
from paperdeck.notes.store import NotesStore
from paperdeck.notes.undo import MAX_ENTRIES

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "sample_corpus"


def _journal(corpus: Path) -> list[dict[str, object]]:
    path = corpus / ".paperdeck" / "undo" / "journal.json"
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    assert isinstance(entries, list)
    return entries


def _state(library: Library, paper_id: str) -> tuple[bool, str, tuple[str, ...], str]:
    a = library.annotation(paper_id)
    return a.starred, a.status, a.tags, a.note


def test_a_batch_is_one_undo_step(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy, with_index=True)
    ids = library.corpus.ids[:12]
    library.star(ids[0])  # a single change before the batch stays after its undo
    result = library.set_status_many(ids, "skipped")

    assert set(result.changed) == set(ids) and not result.unchanged and not result.failed
    assert all(library.annotation(pid).status == "skipped" for pid in ids)
    assert len(library.search("is:skipped", limit=None).hits) == 12  # indexed at once

    outcome = library.undo()

    assert outcome.undone and set(outcome.paper_ids) == set(ids)
    assert outcome.message.startswith("Undid a batch status change of 12 papers: 12 undone")
    assert all(library.annotation(pid).status == "unread" for pid in ids)
    assert library.annotation(ids[0]).starred  # the change before the batch is still there
    assert len(library.search("is:skipped", limit=None).hits) == 0
    assert library.undo().message.startswith(f"Undid the star change of {ids[0]}")


def test_unchanged_papers_are_reported_and_not_recorded(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    ids = library.corpus.ids[:4]
    library.set_status(ids[0], "read")
    result = library.set_status_many(ids, "read")
    assert result.unchanged == (ids[0],) and result.changed == tuple(ids[1:])
    assert result.summary() == "3 changed, 1 already so"
    assert sum(1 for entry in _journal(corpus_copy) if entry.get("batch")) == 3


def test_undo_leaves_a_paper_changed_since_and_takes_back_the_others(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    ids = library.corpus.ids[:5]
    library.tag_many(ids, add=["todo"])
    hand = NotesStore(corpus_copy)  # a hand edit (or a sync): not in the undo history
    hand.load()
    hand.update(ids[2], "", lambda a: a.with_tags(["mine"]))

    outcome = library.undo()

    assert outcome.undone
    assert "4 undone" in outcome.message and "1 left as they are" in outcome.message
    assert ids[2] in outcome.message
    assert library.annotation(ids[2]).tags == ("mine", "todo")
    assert all(library.annotation(pid).tags == () for pid in ids if pid != ids[2])


def test_read_only_papers_fail_and_the_others_change(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    ids = library.corpus.ids[:3]
    bad = corpus_copy / "notes" / f"{ids[1]}.toml"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("status = [oops\n", encoding="utf-8")
    library.notes.reload_file(ids[1])

    result = library.star_many([*ids, "no-such-paper"], True)

    assert result.changed == (ids[0], ids[2])
    assert [pid for pid, _ in result.failed] == ["no-such-paper", ids[1]]
    assert bad.read_text(encoding="utf-8") == "status = [oops\n"  # never touched
    assert "3 failed" not in result.summary() and "2 failed" in result.summary()


def test_a_batch_bigger_than_the_journal_bound_is_kept_whole(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    ids = library.corpus.ids[: MAX_ENTRIES + 20]
    assert len(ids) == MAX_ENTRIES + 20
    library.set_status(ids[-1], "later")
    library.set_status_many(ids[:-1], "skipped")
    assert len(_journal(corpus_copy)) == MAX_ENTRIES + 20  # the batch and the change before it

    assert library.undo().message.startswith(f"Undid a batch status change of {len(ids) - 1}")
    assert all(library.annotation(pid).status == "unread" for pid in ids[:-1])
    assert library.undo().undone and library.annotation(ids[-1]).status == "unread"


def test_unknown_status_fails_before_any_write(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    try:
        library.set_status_many(library.corpus.ids[:2], "maybe")
    except ValueError as error:
        assert "unknown status" in str(error)
    else:
        raise AssertionError("an unknown status must be refused")
    assert not (corpus_copy / "notes").exists()


_TAGS = st.lists(st.sampled_from(["a", "b", "todo", "graphs"]), max_size=3)
_PAPER = st.tuples(
    st.booleans(),
    st.sampled_from(["unread", "read", "later"]),
    _TAGS,
    st.text(alphabet="xyz \n", max_size=8),
)
_BATCH = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(["skipped", "read", "unread"]), st.just(None)),
    st.tuples(st.just("star"), st.booleans(), st.just(None)),
    st.tuples(st.just("tags"), _TAGS, _TAGS),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(papers=st.lists(_PAPER, min_size=1, max_size=6), batches=st.lists(_BATCH, max_size=3))
def test_batches_and_their_undo_never_lose_a_tag_or_note(
    papers: list[tuple[bool, str, list[str], str]],
    batches: list[tuple[str, object, object]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(
            SAMPLE_CORPUS,
            corpus,
            ignore=shutil.ignore_patterns(".*", "notes"),
            copy_function=shutil.copyfile,
        )
        library = Library.open(corpus)
        ids = library.corpus.ids[: len(papers)]
        for pid, (starred, status, tags, note) in zip(ids, papers, strict=True):
            library.change(
                pid,
                lambda a, s=starred, st_=status, t=tags, n=note: Annotation(
                    a.paper_id, starred=s, status=st_, tags=tuple(t), note=n
                ).with_tags(t),
            )
        start = {pid: _state(library, pid) for pid in ids}
        history = [start]
        for kind, first, second in batches:
            if kind == "status":
                result = library.set_status_many(ids, str(first))
            elif kind == "star":
                result = library.star_many(ids, bool(first))
            else:
                assert isinstance(first, list) and isinstance(second, list)
                result = library.tag_many(ids, add=first, remove=second)
            assert not result.failed
            now = {pid: _state(library, pid) for pid in ids}
            for pid in ids:  # a batch changes its own field only: notes never move
                assert now[pid][3] == history[-1][pid][3]
                if kind != "tags":
                    assert now[pid][2] == history[-1][pid][2]
            if result.changed:  # a batch that changed nothing is no undo step
                history.append(now)
            else:
                assert now == history[-1]
        for expected in reversed(history[:-1]):
            assert library.undo() is not None
            assert {pid: _state(library, pid) for pid in ids} == expected


def test_cli_undo_takes_back_a_whole_batch(corpus_copy: Path) -> None:
    from click.testing import CliRunner

    from paperdeck.cli import main

    library = Library.open(corpus_copy)
    ids = library.corpus.ids[:30]
    library.set_status_many(ids, "skipped")

    result = CliRunner().invoke(main, ["undo", str(corpus_copy)])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Undid a batch status change of 30 papers: 30 undone.")
    fresh = Library.open(corpus_copy)
    assert all(fresh.annotation(pid).status == "unread" for pid in ids)
