"""The notes parse cache: the same bytes give the same notes, changed bytes are parsed again."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from tests.test_mergedriver import annotations

import paperdeck.notes.store as notes_module
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.cache import from_row, to_row
from paperdeck.notes.store import NotesStore
from paperdeck.notes.toml_format import dumps_annotation, load_bytes

PID = "graphgpt-generative-pre-trained-graph-07091733"


@given(annotations())
def test_rows_round_trip_what_the_parser_returns(annotation: Annotation) -> None:
    parsed = load_bytes(dumps_annotation(annotation).encode(), "x.toml", annotation.paper_id)
    row = to_row(parsed)
    if parsed.extra:
        assert row is None
    else:
        assert row is not None and from_row(row) == parsed


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = notes_module.load_bytes

    def counting(data: bytes, path: str, expected_id: str | None = None) -> Annotation:
        seen.append(path)
        return original(data, path, expected_id)

    monkeypatch.setattr(notes_module, "load_bytes", counting)
    return seen


def test_second_load_parses_nothing_and_a_changed_file_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERDECK_CACHE_DIR", str(tmp_path / "cache"))
    store = NotesStore(tmp_path)
    store.load()
    store.update(PID, "GraphGPT", lambda a: a.with_tags(["x"]).with_note("hello"))
    other = "another-paper-0badc0de"
    store.update(other, "Other", lambda a: a.with_star(True))
    NotesStore(tmp_path).load()  # writes the cache
    seen = parses(monkeypatch)
    again = NotesStore(tmp_path)
    again.load()
    assert seen == []
    assert again.get(PID).tags == ("x",) and again.get(PID).note == "hello"
    assert again.get(other).starred
    file = tmp_path / "notes" / f"{PID}.toml"
    file.write_text(file.read_text().replace("hello", "changed by hand"))
    third = NotesStore(tmp_path)
    third.load()
    assert seen == [f"notes/{PID}.toml"] and third.get(PID).note == "changed by hand"
    # the same bytes under another paper's name are not that paper's notes
    (tmp_path / "notes" / f"{other}.toml").write_bytes(file.read_bytes())
    fourth = NotesStore(tmp_path)
    fourth.load()
    assert fourth.read_only_reason(other) is not None
