"""Subprocess helper for tests/test_notes_store.py: writes notes in a loop, as a real user would.

Usage: python notes_worker.py MODE CORPUS PAPER_ID COUNT [SIZE]
  big   rewrite a large note COUNT times ("<i>\\n" + "x" * SIZE), for kill-mid-write tests;
  raw   atomic_write_bytes of two alternating large files (note "0..." / "1..."), COUNT times;
  tags  add tags a0..a<COUNT-1>, one update each;
  note  append lines "line <i>" to the note and add tags b<i>, one update each.
Prints "ready" once the store is loaded, so the parent can time its signals.
"""

from __future__ import annotations

import sys
from pathlib import Path

from paperdeck.atomic import atomic_write_bytes
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.store import NotesStore
from paperdeck.notes.toml_format import dumps_annotation


def main(argv: list[str]) -> int:
    mode, root, paper_id, count = argv[0], Path(argv[1]), argv[2], int(argv[3])
    size = int(argv[4]) if len(argv) > 4 else 0
    store = NotesStore(root)
    store.load()
    contents = [
        dumps_annotation(Annotation(paper_id, note=f"{i}\n" + "x" * size)).encode()
        for i in range(2 if mode == "raw" else 0)
    ]
    print("ready", flush=True)
    for i in range(count):
        if mode == "raw":
            atomic_write_bytes(root / "notes" / f"{paper_id}.toml", contents[i % 2])
        elif mode == "big":
            store.update(paper_id, "Big", lambda a, i=i: a.with_note(f"{i}\n" + "x" * size))
        elif mode == "tags":
            store.update(paper_id, "Shared", lambda a, i=i: a.with_tags(add=[f"a{i}"]))
        elif mode == "note":

            def change(a, i=i):  # type: ignore[no-untyped-def]
                note = f"{a.note}\nline {i}" if a.note else f"line {i}"
                return a.with_note(note).with_tags(add=[f"b{i}"])

            store.update(paper_id, "Shared", change)
        else:
            raise SystemExit(f"unknown mode {mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
