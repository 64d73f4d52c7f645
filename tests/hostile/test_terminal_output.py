"""Untrusted text never reaches the terminal as escape sequences (issue 16, "Security").

A corpus whose title, abstract, links, file name, note and tag hold terminal escapes (OSC 52
clipboard writes, OSC 0/2 window titles, OSC 8 hyperlinks, each with both terminators BEL and
`ESC \\`; CSI clear-screen and colours; a C1 CSI and OSC; bidi overrides; a carriage return) is
shown by every face:

- the CLI runs for real with its output on a pseudo-terminal (so every TTY-only path runs) and the
  bytes written must hold no ESC, BEL or C1 from the data, while showing it visibly (`␛`);
- the app runs with a driver that records what Textual writes to the terminal;
- `--json` gives back the exact text.
"""

from __future__ import annotations

import json
import os
import re
import select
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperdeck.library import Library
from paperdeck.safe_text import (
    has_unsafe,
    is_safe_link,
    json_terminal_safe,
    terminal_safe,
    terminal_safe_same_length,
)

# --- the hostile data ---------------------------------------------------------------------------

PAYLOADS = {
    "osc52-bel": "\x1b]52;c;ZXZpbA==\x07",
    "osc52-st": "\x1b]52;c;ZXZpbA==\x1b\\",
    "title-osc0-bel": "\x1b]0;pwned-zero\x07",
    "title-osc2-st": "\x1b]2;pwned-two\x1b\\",
    "osc8-bel": "\x1b]8;;http://evil.example/bel\x07click\x1b]8;;\x07",
    "osc8-st": "\x1b]8;;http://evil.example/st\x1b\\here\x1b]8;;\x1b\\",
    "csi-clear": "\x1b[2J\x1b[H",
    "csi-colour": "\x1b[31;1mred\x1b[0m",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;pwned-c1\x9c",
    "bidi": "\u202egnp.exe\u202c",
}
HOSTILE = " ".join(PAYLOADS.values())
# Raw forms that must never reach a terminal, and (for the check that the data was shown at all)
# the visible form of the OSC 52 payload.
RAW_MARKERS = ["\x1b]52;", "\x1b]0;", "\x1b]2;", "\x1b]8;", "\x1b[2J", "\x1b[31;1m", "\x9b", "\x9d"]
VISIBLE_OSC52 = "␛]52;c;ZXZpbA=="
HOSTILE_LINK = "https://evil.example/x\x1b]52;c;ZXZpbA==\x07y"
TITLE = f"Evil title {HOSTILE} end"
ABSTRACT = (
    f"We study terminal attacks {HOSTILE} in scraped abstracts of papers about diffusion models "
    f"and their evaluation on many benchmarks. See {HOSTILE_LINK} for code."
)
NOTE = f"My note {HOSTILE}\nsecond line\nlast line"  # notes store CR as a line end
TAG = "evil\x1b]52;c;zxzpba==\x07"  # tags are stored lower-case
FILE_NAME = "hostile\x1b]2;pwned-file\x07.txt"
EMPTY_FILE = "empty\x1b]0;pwned-empty\x07.txt"
# Rich/Textual markup in data: must show as typed, never become an OSC 8 link or a style.
MARKUP_TITLE = "Markup [link=https://evil.example/m]Click[/link] and [bold]bold[/] [/oops] title"
CLEAN = [
    (
        "Clean Diffusion Paper One",
        "Diffusion models are studied here on clean data with careful evaluation of attacks on "
        "many benchmarks and papers about terminals. Code at https://example.org/one.",
    ),
    (
        MARKUP_TITLE,
        "A title that looks like markup must be shown as it is and never turned into a link, "
        "bold text or an error by any dialog, toast or status line of the app.",
    ),
    (
        "Clean Paper Two",
        "A second clean abstract about graphs and transformers, long enough to be read as an "
        "abstract by the daily-papers reader of paperdeck.",
    ),
]


def daily_page(papers: list[tuple[str, str]]) -> str:
    blocks = [
        f"{title}\n\n{abstract}\n\n  • 2 authors\n·\nMar 3, 2024 7\n" for title, abstract in papers
    ]
    return "new\n\nJul 9\n\n" + "\n".join(blocks)


def write_hostile_corpus(root: Path) -> str:
    """A corpus holding the hostile paper (with note and tag) and two clean ones; its ID."""
    root.mkdir(parents=True)
    (root / "clean.txt").write_text(daily_page(CLEAN), encoding="utf-8")
    (root / FILE_NAME).write_text(daily_page([(TITLE, ABSTRACT)]), encoding="utf-8")
    (root / EMPTY_FILE).write_text("", encoding="utf-8")
    library = Library.open(root, with_index=True)
    try:
        [paper] = [p for p in library.papers if p.title.startswith("Evil title")]
        assert paper.title == TITLE and HOSTILE_LINK in paper.links
        library.set_note(paper.id, NOTE)
        library.tag(paper.id, [TAG])
        assert library.annotation(paper.id).note == NOTE
        assert any("\x1b" in tag for tag in library.annotation(paper.id).tags)
        return paper.id
    finally:
        library.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    return root, write_hostile_corpus(root)


def clean_id(root: Path) -> str:
    library = Library.open(root)
    try:
        return next(p.id for p in library.papers if p.title == CLEAN[0][0])
    finally:
        library.close()


# --- the shared function ------------------------------------------------------------------------

FORBIDDEN = {
    *(chr(c) for c in range(0x20) if chr(c) not in "\t\n"),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0)),
    *(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))),
}


@given(st.text())
def test_terminal_safe_output_holds_no_control_character(text: str) -> None:
    shown = terminal_safe(text)
    assert not FORBIDDEN & set(shown)
    assert not has_unsafe(shown)
    assert (shown == text) == (not FORBIDDEN & set(text))


@given(st.text(alphabet=st.characters(blacklist_characters=sorted(FORBIDDEN))))
def test_terminal_safe_keeps_clean_text(text: str) -> None:
    assert terminal_safe(text) == text
    assert terminal_safe_same_length(text) == text


@given(st.text())
def test_the_editors_form_is_one_character_for_one(text: str) -> None:
    shown = terminal_safe_same_length(text)
    assert len(shown) == len(text)
    assert not FORBIDDEN & set(shown)


@given(st.text())
def test_json_escaping_round_trips_exactly(text: str) -> None:
    encoded = json_terminal_safe(json.dumps({"t": text}, ensure_ascii=False))
    assert not FORBIDDEN & set(encoded)
    assert json.loads(encoded) == {"t": text}


def test_terminal_safe_shows_what_it_removed() -> None:
    assert terminal_safe("a\x1b]52;c;x\x07b") == "a␛]52;c;x␇b"
    assert terminal_safe("over\rwrite\x7f") == "over␍write␡"
    assert terminal_safe("\x9b2J \x9d0;t\x9c") == "\\x9b2J \\x9d0;t\\x9c"
    assert terminal_safe("\u202eevil\u2069") == "\\u202eevil\\u2069"
    assert terminal_safe("tab\tand\nnewline") == "tab\tand\nnewline"
    assert not is_safe_link(HOSTILE_LINK)
    assert not is_safe_link("https://a.example/ b")
    assert is_safe_link("https://a.example/b?c=d")


# --- the command line on a real pseudo-terminal -------------------------------------------------

# The only escapes the CLI writes itself: Rich's styling of `list` (bold, dim, italic, cyan).
OWN_STYLING = re.compile(r"\x1b\[(?:[0-3]|36)?(?:;(?:[0-3]|36))*m")


def run_on_pty(*args: str) -> tuple[int, str]:
    """Run `paperdeck ARGS` with stdout and stderr on a pseudo-terminal; its exit status and
    everything it wrote to the terminal (decoded strictly: stray C1 bytes fail)."""
    import fcntl
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("PAPERDECK_CORPUS", "NO_COLOR")}
    environment.update(TERM="xterm-256color", COLUMNS="200", LINES="40")
    process = subprocess.Popen(
        [sys.executable, "-m", "paperdeck", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=environment,
        close_fds=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        status = process.wait(timeout=10)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return status, b"".join(chunks).decode("utf-8")


def assert_nothing_obeyable(written: str, *, styled: bool = False) -> None:
    """No escape from the data reached the terminal (the CLI's own styling aside)."""
    rest = OWN_STYLING.sub("", written) if styled else written
    assert "\x1b" not in rest, repr(rest[max(rest.find("\x1b") - 40, 0) :][:120])
    for marker in RAW_MARKERS:
        assert marker not in written, marker
    assert "\x07" not in written
    assert not {chr(c) for c in range(0x80, 0xA0)} & set(written)
    assert not {"\u202e", "\u202c"} & set(written)


def undo_tags(root: Path, paper_id: str) -> list[str]:
    """Record a change of the hostile paper's tags (with escapes in the tags added and
    removed), to be undone by the command; undoing it leaves the corpus as it was."""
    library = Library.open(root)
    try:
        library.tag(paper_id, ["ev\x1b]52;c;vefh\x07il", "x\x1b]0;t\x1b\\y"], [TAG])
    finally:
        library.close()
    return ["undo", "--corpus", str(root)]


def undo_note(root: Path, paper_id: str) -> list[str]:
    """Record a note change of the hostile paper, to be undone by the command."""
    library = Library.open(root)
    try:
        library.set_note(paper_id, f"{NOTE}\nmore")
    finally:
        library.close()
    return ["undo", "--corpus", str(root)]


def search_warning(keyword: str) -> Callable[[Path, str], list[str]]:
    """A query whose value the command quotes back in a warning on stderr."""
    return lambda root, pid: ["search", f"{keyword}:\x1b]0;pwned-zero\x07", "--corpus", str(root)]


WARNED = ("date", "comments", "status", "sort", "is")
CLI_CASES: dict[str, Callable[[Path, str], list[str]]] = {
    "list": lambda root, pid: ["list", str(root)],
    "show": lambda root, pid: ["show", pid, "--corpus", str(root)],
    "search": lambda root, pid: ["search", "terminal attacks", "--corpus", str(root)],
    "similar": lambda root, pid: ["similar", clean_id(root), "--corpus", str(root)],
    "note": lambda root, pid: ["note", pid, "--corpus", str(root)],
    "tag": lambda root, pid: ["tag", pid, "+seen", "--corpus", str(root)],
    "check": lambda root, pid: ["check", str(root)],
    "export-markdown": lambda root, pid: ["export", "--format", "markdown", "--corpus", str(root)],
    "export-bibtex": lambda root, pid: ["export", "--format", "bibtex", "--corpus", str(root)],
    "undo-tags": undo_tags,
    "undo-note": undo_note,
    **{f"search-warning-{keyword}": search_warning(keyword) for keyword in WARNED},
    "unknown-option": lambda root, pid: ["list", str(root), "--\x1b]0;pwned-zero\x07"],
}
# What each command shows of the data (the visible form proves the data was printed at all).
SHOWN = {
    "list": "Evil title ␛]52;c;",
    "show": VISIBLE_OSC52,
    "search": "Evil title ␛]52;c;",
    "similar": "Evil title ␛]52;c;",
    "note": "My note ␛]52;c;ZXZpbA==␇",
    "tag": "#evil␛]52;c;zxzpba==␇",
    "check": "empty␛]0;pwned-empty␇.txt",
    "export-markdown": "> My note ␛]52;c;ZXZpbA==␇",
    "export-bibtex": "title = {{Evil title ␛]52;c;ZXZpbA==␇",
    "undo-tags": "removed #ev␛]52;c;vefh␇il",
    "undo-note": "Undid the note change of",
    **{f"search-warning-{keyword}": f"warning: {keyword}:␛]0;pwned-zero␇" for keyword in WARNED},
    "unknown-option": "No such option",
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_on_a_terminal_writes_no_escape_from_the_data(
    case: str, hostile: tuple[Path, str]
) -> None:
    root, paper_id = hostile
    status, written = run_on_pty(*CLI_CASES[case](root, paper_id))
    assert "Traceback" not in written
    assert status in (0, 1, 2), written  # check exits 1: the corpus has problems
    assert_nothing_obeyable(written, styled=case == "list")
    assert SHOWN[case] in written


def test_error_messages_quoting_data_are_neutralised(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a command's error quotes (a path, a git message, a notes file's error), the
    `Error:` line click prints holds no raw escape."""
    import click
    from click.testing import CliRunner

    from paperdeck.cli import main
    from paperdeck.cli.common import UsageProblem

    @click.command("hostile-error")
    @click.argument("text")
    def failing(text: str) -> None:
        raise UsageProblem(f"cannot use {text}")

    monkeypatch.setitem(main.commands, "hostile-error", failing)
    result = CliRunner().invoke(main, ["hostile-error", PAYLOADS["osc52-bel"]])
    assert result.exit_code == 2
    assert_nothing_obeyable(result.stderr)
    assert f"Error: cannot use {VISIBLE_OSC52}␇" in result.stderr


def test_show_on_a_terminal_shows_every_field_neutralised(hostile: tuple[Path, str]) -> None:
    root, paper_id = hostile
    _status, written = run_on_pty("show", paper_id, "--corpus", str(root))
    for shown in (
        "␛[2J␛[H",  # CSI clear screen
        "␛[31;1mred␛[0m",  # CSI colours
        "␛]8;;http://evil.example/bel␇click␛]8;;␇",  # OSC 8, BEL
        "␛]8;;http://evil.example/st␛\\here␛]8;;␛\\",  # OSC 8, ESC \
        "␛]0;pwned-zero␇",  # window title, BEL
        "␛]2;pwned-two␛\\",  # window title, ESC \
        "\\x9b2J",  # C1 CSI
        "\\x9d0;pwned-c1\\x9c",  # C1 OSC and ST
        "\\u202egnp.exe\\u202c",  # bidi override
        "https://evil.example/x␛]52;c;ZXZpbA==␇y",  # the link
        "hostile␛]2;pwned-file␇.txt",  # the source file name
    ):
        assert shown in written, shown


@pytest.mark.parametrize("command", ["list", "search"])
def test_cli_piped_output_is_neutralised_too(command: str, hostile: tuple[Path, str]) -> None:
    root, _paper_id = hostile
    args = (
        ["list", str(root)] if command == "list" else ["search", "attacks", "--corpus", str(root)]
    )
    environment = {k: v for k, v in os.environ.items() if k != "PAPERDECK_CORPUS"}
    result = subprocess.run(
        [sys.executable, "-m", "paperdeck", *args],
        capture_output=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert_nothing_obeyable(result.stdout)
    assert "Evil title ␛]52;c;" in result.stdout


def test_json_output_is_exact_and_escaped(hostile: tuple[Path, str]) -> None:
    root, paper_id = hostile
    outputs = {
        "show": run_on_pty("show", paper_id, "--json", "--corpus", str(root))[1],
        "list": run_on_pty("list", str(root), "--json")[1],
        "export": run_on_pty("export", "--format", "json", "--corpus", str(root))[1],
    }
    for name, written in outputs.items():
        assert_nothing_obeyable(written)
        records = json.loads(written)
        record = (
            records
            if isinstance(records, dict)
            else next(r for r in records if r["id"] == paper_id)
        )
        assert record["title"] == TITLE, name
        assert record["abstract"] == ABSTRACT, name
        assert HOSTILE_LINK in record["links"], name
        assert [s["path"] for s in record["sources"]] == [FILE_NAME], name
        if name != "list":
            assert record["note"] == NOTE, name
            assert TAG in record["tags"], name


# --- the app, with a driver that records what Textual writes -------------------------------------


@pytest.fixture
def terminal_writes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Run the app's test mode through a driver that keeps every write to the terminal.

    Textual skips painting for headless drivers; this one says it is not headless, so each
    update is rendered to escape sequences exactly as for a real terminal and kept here.
    """
    from textual.drivers import headless_driver

    written: list[str] = []

    class RecordingDriver(headless_driver.HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            written.append(data)

        def flush(self) -> None:
            pass

    monkeypatch.setattr(headless_driver, "HeadlessDriver", RecordingDriver)
    monkeypatch.setenv("PAPERDECK_CONFIG_DIR", str(tmp_path / "config"))
    yield written


# Textual's own sequences: styles, cursor moves, modes (synchronised output, cursor, mouse) and
# the mouse pointer's shape (OSC 22).
TEXTUAL_SEQUENCES = re.compile(
    r"\x1b\[(?:[0-9;:]*m|\d+;\d+H|\?[0-9;]+[hl$p]|\d*[ABCD])|\x1b\]22;[a-z-]+\x07"
)


def assert_app_wrote_nothing_obeyable(written: str) -> None:
    rest = TEXTUAL_SEQUENCES.sub("", written)
    assert "\x1b" not in rest, repr(rest[max(rest.find("\x1b") - 40, 0) :][:120])
    assert "\x07" not in rest
    for marker in RAW_MARKERS:
        assert marker not in written, marker
    assert not {chr(c) for c in range(0x80, 0xA0)} & set(written)
    assert not {"\u202e", "\u202c"} & set(written)


async def test_app_writes_no_escape_from_the_data(
    tmp_path: Path, terminal_writes: list[str]
) -> None:
    from tests.tui.conftest import settle, wait_ready

    from paperdeck.tui.app import PaperdeckApp
    from paperdeck.tui.dialogs import ChoiceDialog, NoteEditor, TagDialog
    from paperdeck.tui.screens.problems import ProblemsScreen
    from paperdeck.tui.screens.reader import ReaderScreen
    from paperdeck.tui.widgets.paper_table import PaperTable

    root = tmp_path / "corpus"
    paper_id = write_hostile_corpus(root)
    app = PaperdeckApp(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(app, pilot)
        table = app.screen.query_one(PaperTable)
        assert paper_id in table.rows
        # Move over the list as the report did: to the end, back up, to the hostile paper.
        await pilot.press("G", "k", "k", "g")
        while table.current != paper_id:
            await pilot.press("j")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("n")  # the note editor holds the hostile note as it is
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")  # the tag editor and its suggestions
        await pilot.pause()
        assert isinstance(app.screen, TagDialog)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("o")  # three links: a picker
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")  # the hostile link: refused, with a toast quoting it
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("exclamation_mark")  # problems quote the hostile file name
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        written = "".join(terminal_writes)
        assert written, "the recording driver saw no output"
        assert_app_wrote_nothing_obeyable(written)
        for shown in (
            "Evil title ␛]52;c;ZXZpbA==␇",  # list row, reader title
            "␛[2J␛[H",  # the abstract
            "#evil␛]52;c;",  # the tag (sidebar, reader)
            "My note ␛]52;c;ZXZpbA==␇",  # the note (reader, editor)
            "hostile␛]2;pwned-file␇.txt",  # the source
            "empty␛]0;pwned-empty␇.txt",  # the problems screen
        ):
            assert shown in written, shown
        # Stored data is untouched: the editors kept the exact text.
        assert app.library is not None
        assert app.library.annotation(paper_id).note == NOTE
        assert TAG in app.library.annotation(paper_id).tags


CLASH_NOTE = (
    f"<<<<<<< laptop \x1b]0;pwned-label\x07\nmine {HOSTILE}\n=======\n"
    f"theirs {HOSTILE}\n>>>>>>> desktop \x1b]2;pwned-label\x1b\\\n"
)


async def test_app_clash_search_and_editing_stay_safe(
    tmp_path: Path, terminal_writes: list[str]
) -> None:
    """The clash screen, search highlights and typing in the note editor: still nothing obeyable
    written, and what the user typed is saved next to the exact hostile text."""
    from tests.tui.conftest import settle, wait_ready

    from paperdeck.tui.app import PaperdeckApp
    from paperdeck.tui.dialogs import NoteEditor
    from paperdeck.tui.screens.clash import ClashScreen
    from paperdeck.tui.widgets.paper_table import PaperTable
    from paperdeck.tui.widgets.safe import SafeTextArea

    root = tmp_path / "corpus"
    paper_id = write_hostile_corpus(root)
    other = clean_id(root)
    library = Library.open(root)
    try:
        library.set_note(other, CLASH_NOTE)
    finally:
        library.close()
    app = PaperdeckApp(root)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(app, pilot)
        table = app.screen.query_one(PaperTable)
        table.cursor = list(table.rows).index(other)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ClashScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash", *"terminal", "enter")
        await settle(app, pilot)
        table.cursor = list(table.rows).index(paper_id)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        # The editor wraps what it shows: every character of the hostile line is on screen.
        region = app.screen.query_one(SafeTextArea).content_region
        screen = app.screen._compositor.render_strips()
        shown = "".join(
            "".join(s.text for s in strip)[region.x : region.right].strip()
            for strip in screen[region.y : region.bottom]
        )
        first_line = NOTE.split("\n")[0]
        assert terminal_safe_same_length(first_line).replace(" ", "") in shown.replace(" ", "")
        await pilot.press(*" typed")
        await pilot.press("escape")
        await settle(app, pilot)
        written = "".join(terminal_writes)
        assert_app_wrote_nothing_obeyable(written)
        plain = TEXTUAL_SEQUENCES.sub("", written)
        for shown in (
            "laptop ␛]0;pwned-label␇",  # the clash's side labels
            "mine ␛]52;c;ZXZpbA==␇",
            "theirs ␛]52;c;ZXZpbA==␇",
            "␛[31;1mred",  # the abstract with the query's matches marked
        ):
            assert shown in plain, shown
        assert app.library is not None
        assert app.library.annotation(paper_id).note == NOTE + " typed"
        assert app.library.annotation(other).note == CLASH_NOTE


async def test_app_never_reads_data_as_markup(tmp_path: Path, terminal_writes: list[str]) -> None:
    from tests.tui.conftest import settle, wait_ready

    from paperdeck.tui.app import PaperdeckApp
    from paperdeck.tui.dialogs import ChoiceDialog, NoteEditor, TagDialog
    from paperdeck.tui.widgets.paper_table import PaperTable

    root = tmp_path / "corpus"
    write_hostile_corpus(root)
    app = PaperdeckApp(root)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_ready(app, pilot)
        assert app.library is not None
        [paper] = [p for p in app.library.papers if p.title == MARKUP_TITLE]
        table = app.screen.query_one(PaperTable)
        table.cursor = list(table.rows).index(paper.id)
        await pilot.pause()
        for key, screen in (("t", TagDialog), ("n", NoteEditor), ("y", ChoiceDialog)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("m")  # the status line names the paper: "like '...'"
        await settle(app, pilot)
        written = "".join(terminal_writes)
        assert_app_wrote_nothing_obeyable(written)
        plain = TEXTUAL_SEQUENCES.sub("", written)
        for shown in (
            "Tags of Markup [link=https://evil.example/m]Click[/link] and",  # tag dialog
            "Note on Markup [link=https://evil.example/m]Click[/link] and [bold]bold[/]",
            "Title   Markup [link=https://evil.example/m]Click[/link]",  # copy dialog
            "like 'Markup [link=https://evil.example/m]Clic'",  # status line
        ):
            assert shown in plain, shown
