"""End to end: the real `paperdeck` command in a real terminal (tmux), driven by keystrokes.

The test runs the installed app on a private copy of the sample corpus, searches, stars, tags and
writes a note through the keyboard, quits, then checks the notes file that landed on disk.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "sample_corpus"
GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"
NOTE = "Eulerian paths as tokens"
WIDTH, HEIGHT = 120, 40
# The tmux server copies the environment of the process that starts it. Under pytest, readline
# (imported by pdb) has put COLUMNS=80 and LINES=24 in the C-level environment, invisible in
# os.environ but inherited by children; the app would then believe it is 80x24 in a 120x40 pane.
CLEAN_ENV = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """One detached tmux session on a private server socket (never the user's own server)."""

    def __init__(self, folder: Path) -> None:
        self.socket = f"paperdeck-e2e-{uuid.uuid4().hex[:10]}"
        self.session = "paperdeck"
        self.config = folder / "tmux.conf"
        # remain-on-exit: the pane outlives the app, to read its exit status and last screen.
        # default-size: the pane is born at its final size, never 80x24 resized a moment later.
        self.config.write_text(
            f"set -g remain-on-exit on\nset -g default-size {WIDTH}x{HEIGHT}\n", encoding="utf-8"
        )

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=20,
            env=CLEAN_ENV,
        )

    def start(self, command: str) -> None:
        size = ("-x", str(WIDTH), "-y", str(HEIGHT))
        self.run("new-session", "-d", "-s", self.session, *size, command)

    def start_paperdeck(self, corpus: Path, folder: Path, *, papers: int = 187, **env: str) -> None:
        """The real `paperdeck CORPUS` with a private config folder (and `env`), once its list
        of `papers` is shown and its index ready (the first start builds the index: allowed for)."""
        settings = {
            "PAPERDECK_CONFIG_DIR": str(folder / "config"),
            **env,
            "TERM": "xterm-256color",
            "PATH": os.environ.get("PATH", ""),
        }
        pairs = [f"{key}={value}" for key, value in settings.items()]
        self.start(shlex.join(["env", *pairs, sys.executable, "-m", "paperdeck", str(corpus)]))
        self.wait_for(
            "the list and the index",
            lambda screen: f"{papers} papers · All" in screen and "ndexing" not in screen,
            timeout=60,
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session).stdout

    def keys(self, *keys: str) -> None:
        """Named keys (Enter, Escape, or a single letter), each sent on its own."""
        for key in keys:
            self.run("send-keys", "-t", self.session, key)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.session, "-l", text)

    def pane(self, field: str) -> str:
        result = self.run("display-message", "-p", "-t", self.session, field, check=False)
        return result.stdout.strip()

    def wait_for(self, what: str, ready: Callable[[str], bool], timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if ready(screen):
                return screen
            if self.pane("#{pane_dead}") == "1":
                break
            time.sleep(0.1)
        size = self.pane("#{pane_width}x#{pane_height}")
        raise AssertionError(f"timed out waiting for {what}; the {size} screen shows:\n{screen}")

    def wait_for_text(self, text: str, timeout: float = 15) -> str:
        return self.wait_for(repr(text), lambda screen: text in screen, timeout)

    def wait_for_exit(self, timeout: float = 20) -> str | None:
        """The app's exit status, or None when it has exited but tmux has not collected it yet."""
        pid = self.pane("#{pane_pid}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # The pane is dead at end of output; its exit status comes a moment later.
            status = self.pane("#{?pane_dead,#{pane_dead_status},}")
            if status:
                return status
            # Under load the tmux server can be slow to reap its child: a zombie has exited too.
            if _exited(pid):
                return None
            time.sleep(0.1)
        threads = sorted(Path(f"/proc/{pid}/task").glob("*/comm")) if pid else []
        names = [path.read_text(encoding="utf-8").strip() for path in threads]
        raise AssertionError(
            f"the app did not exit (pid {pid}, threads {names}); the screen shows:\n{self.screen()}"
        )

    def kill(self) -> None:
        self.run("kill-server", check=False)


def _exited(pid: str) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return bool(pid)
    return "\nState:\tZ" in status


def search_has_focus(screen: str) -> bool:
    """The footer hides the one-letter paper keys while the search bar has the focus."""
    footer = screen.rstrip().splitlines()[-1]
    return "Search" in footer and "Star" not in footer


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(
        SAMPLE_CORPUS,
        target,
        ignore=shutil.ignore_patterns(".paperdeck", "notes"),
        copy_function=shutil.copyfile,
    )
    return target


def test_search_star_tag_note_and_quit_in_a_real_terminal(corpus: Path, tmp_path: Path) -> None:
    tmux = Tmux(tmp_path)
    try:
        tmux.start_paperdeck(corpus, tmp_path)

        tmux.keys("/")
        # Focus moves a moment after the key; letters sent before would go to the list as actions.
        tmux.wait_for("the search bar to take the focus", search_has_focus)
        tmux.type("graphgpt")
        tmux.wait_for(
            "the search result",
            lambda screen: "1 match ·" in screen and "GraphGPT" in screen,
        )
        tmux.keys("Enter")
        time.sleep(0.3)  # the list takes the focus

        tmux.keys("s")
        tmux.wait_for_text("★ starred")

        tmux.keys("t")
        tmux.wait_for_text("Tags of GraphGPT")
        tmux.type("graphs")
        tmux.keys("Enter")
        tmux.wait_for(
            "the tag in the sidebar",
            lambda screen: "#graphs" in screen and "Tags of" not in screen,
        )

        tmux.keys("n")
        tmux.wait_for_text("Note on GraphGPT")
        tmux.type(NOTE)
        tmux.wait_for_text(NOTE)
        tmux.keys("Escape")
        tmux.wait_for("the editor to close", lambda screen: "Note on GraphGPT" not in screen)

        tmux.keys("q")
        status = tmux.wait_for_exit()
        assert status in ("0", None), f"paperdeck exited with {status}:\n{tmux.screen()}"
    finally:
        tmux.kill()

    notes = tomllib.loads((corpus / "notes" / f"{GRAPHGPT}.toml").read_text(encoding="utf-8"))
    assert notes["starred"] is True
    assert notes["tags"] == ["graphs"]
    assert notes["note"] == NOTE
