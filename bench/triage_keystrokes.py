"""Keystrokes and wall time to triage a morning's 50 new papers, before and after issue 13.

Both flows run the real `paperdeck` in tmux (120x40) on a copy of the sample corpus that had a
session yesterday and got a 50-paper BibTeX file this morning, and end in the same notes: the
first ten papers read in the full-screen reader and decided (read, skip, later in turn), the
other forty skipped. Each key is sent once the screen shows what a user would wait for.

- before (main): the new papers are the last 50 of the list in source order (nothing isolates
  them): `G`, `k` x49 up to the first, `T`; the reader is a dead end, so each of the ten is
  enter (read), escape, then the decision key in the list (triage moves on); then `x` x40.
- after (this branch): `]` x7 to the New view, `T`, enter, ten decision keys in the reader (it
  moves on), escape, `X` then `y` to skip the other forty.

    python -m bench.triage_keystrokes --src /path/to/checkout/src --flow before
    python -m bench.triage_keystrokes --src src --flow after
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"
BATCH, READ = 50, 10
DECISIONS = [("d", "read"), ("x", "skipped"), ("l", "later")]


class Term:
    def __init__(self, folder: Path, src: Path) -> None:
        self.socket = f"triage-bench-{uuid.uuid4().hex[:8]}"
        self.folder, self.src = folder, src
        self.keys_sent = 0

    def tmux(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=env, check=False
        )
        return done.stdout

    def start(self, corpus: Path) -> None:
        env = [
            f"PAPERDECK_CONFIG_DIR={self.folder / 'config'}",
            f"PAPERDECK_STATE_DIR={self.folder / 'state'}",
            f"PYTHONPATH={self.src}",
            "TERM=xterm-256color",
        ]
        command = shlex.join(["env", *env, sys.executable, "-m", "paperdeck", str(corpus)])
        self.tmux("new-session", "-d", "-s", "p", "-x", "120", "-y", "40", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "p")

    def wait(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {text!r}:\n{self.screen()}")
            time.sleep(0.02)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "p", key)
            self.keys_sent += 1

    def quit(self) -> None:
        self.tmux("send-keys", "-t", "p", "q")
        time.sleep(1.5)
        self.tmux("kill-server")


def batch_file() -> str:
    return "\n".join(
        f"@article{{batch{n:02d},\n  title = {{Batch paper {n:02d}: a study of topic {n % 7}}},\n"
        f"  author = {{Ada Lovelace}},\n  year = {{2026}},\n"
        f"  abstract = {{Paper {n:02d} of the morning batch, about topic {n % 7}.}},\n}}\n"
        for n in range(BATCH)
    )


def before(term: Term) -> None:
    term.keys("G")
    term.wait("Batch paper 49")
    term.keys(*["k"] * (BATCH - 1), "T")
    for n in range(READ):
        term.keys("Enter")
        term.wait("Back")  # the reader is open
        term.keys("Escape")
        term.wait("papers · All")  # back in the list (a key right after escape reads as alt+key)
        term.keys(DECISIONS[n % 3][0])
    term.keys(*["x"] * (BATCH - READ))


def after(term: Term) -> None:
    term.keys(*["]"] * 7)
    term.wait(f"{BATCH} papers · New")
    term.keys("T", "Enter")
    for n in range(READ):
        term.wait(f"Batch paper {n:02d}")
        term.keys(DECISIONS[n % 3][0])
    term.wait(f"Batch paper {READ:02d}")
    term.keys("Escape")
    term.wait(f"Triage {READ}/{BATCH}")  # back in the list
    term.keys("X")
    term.wait("Skip the rest")
    term.keys("y")


def settled(corpus: Path, timeout: float = 60) -> float:
    """When every batch paper's notes say what the flow decided (polled), as monotonic time."""
    want = {
        f"Batch paper {n:02d}: a study of topic {n % 7}": DECISIONS[n % 3][1]
        if n < READ
        else "skipped"
        for n in range(BATCH)
    }
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        have = {}
        for path in (corpus / "notes").glob("*.toml"):
            try:
                notes = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            have[notes.get("title", "")] = notes.get("status", "unread")
        if have == want:
            return time.monotonic()
        time.sleep(0.02)
    raise SystemExit(f"the notes never matched: {sorted(have.items())[:5]}…")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", type=Path, required=True)
    parser.add_argument("--flow", choices=("before", "after"), required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        shutil.copytree(SAMPLE, corpus, ignore=shutil.ignore_patterns(".*", "notes"))
        term = Term(Path(folder), args.src.resolve())
        term.start(corpus)  # yesterday's session
        term.wait("187 papers · All")
        time.sleep(2)
        term.quit()
        (corpus / "new_batch.bib").write_text(batch_file(), encoding="utf-8")
        term = Term(Path(folder), args.src.resolve())
        term.start(corpus)
        term.wait(f"{187 + BATCH} papers · All")
        time.sleep(2)  # the index and the predictions prepared: the user looks first
        started = time.monotonic()
        (before if args.flow == "before" else after)(term)
        seconds = settled(corpus) - started
        term.quit()
    print(
        f"{args.flow}: {term.keys_sent} keystrokes, {seconds:.1f} s from the first key to the notes"
    )


if __name__ == "__main__":
    main()
