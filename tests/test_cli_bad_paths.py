"""Every command of `paperdeck`, given bad paths: a clear one-line message, never a traceback.

The commands are read from the click group itself, so a command added later is covered without
touching this file: its bad-path cases come from its parameters (a corpus, a paper ID, a file it
writes). A command this file knows nothing about fails `test_every_command_has_bad_path_cases`
until it is given good arguments below (and cases of its own if its parameters say nothing).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from paperdeck.cli import main

ABSTRACT = (
    "Diffusion models have demonstrated excellent potential for generating diverse images. "
    "However, their performance often suffers from slow generation due to iterative denoising. "
    "We propose a data-free distillation method that needs no training data at all."
)
PAGE = f"new\n\nJul 9\n\nOnly Paper Here\n\n{ABSTRACT}\n\n  • 2 authors\n·\nMar 3, 2024 7\n"
NO_SUCH_PAPER = "no-such-paper-0000"

# How to call each command correctly apart from the path under test ({id}: a real paper's ID).
GOOD_ARGS: dict[str, list[str]] = {
    "open": [],
    "list": [],
    "check": [],
    "index": [],
    "sync": [],
    "git-setup": [],
    "resolve": [],
    "search": ["diffusion"],
    "export": ["is:starred"],
    "show": ["{id}"],
    "similar": ["{id}"],
    "star": ["{id}"],
    "note": ["{id}", "-m", "text"],
    "tag": ["{id}", "+x"],
    "status": ["{id}", "read"],
    "undo": [],
    "merge-notes": ["{notes}/base.toml", "{notes}/ours.toml", "{notes}/theirs.toml"],
    "import": ["{file}"],
    "fetch": ["hf"],
    "stats": [],
}


@dataclass(frozen=True)
class Case:
    """One bad call: its arguments, the exit status it must end with, the text it must name."""

    name: str
    args: tuple[str, ...]
    status: int
    names: str


# Cases a command's parameters do not reveal: commands that write notes, into a corpus whose
# `notes` is a file (a path problem like any other: status 2); the merge driver, whose file
# arguments are not corpus paths.
WRITES_NOTES = ("star", "note", "tag", "status")
EXTRA_CASES: dict[str, list[Case]] = {
    **{
        name: [
            Case(
                "notes-is-a-file", (*GOOD_ARGS[name], "--corpus", "{blocked}"), 2, "{blocked}/notes"
            )
        ]
        for name in WRITES_NOTES
    },
    "merge-notes": [
        Case(
            "ours-missing",
            ("{notes}/base.toml", "{missing}/ours.toml", "{notes}/theirs.toml"),
            1,
            "{missing}/ours.toml",
        ),
        Case(
            "ours-under-a-file",
            ("{notes}/base.toml", "{file}/ours.toml", "{notes}/theirs.toml"),
            2,
            "{file}",
        ),
        Case("ours-is-a-folder", ("{notes}/base.toml", "{dir}", "{notes}/theirs.toml"), 2, "{dir}"),
    ],
}


def _params(command: click.Command) -> dict[str, click.Parameter]:
    return {param.name: param for param in command.params if param.name}


def cases_for(name: str, command: click.Command) -> list[Case]:
    """The bad-path calls of one command, derived from its parameters."""
    good = GOOD_ARGS.get(name)
    if good is None:
        return []
    params = _params(command)
    cases = []
    if "corpus_option" in params:
        for label, bad in (
            ("corpus-missing", "{missing}"),
            ("corpus-is-a-file", "{file}"),
            ("corpus-under-a-file", "{file}/corpus"),
        ):
            cases.append(Case(label, (*good, "--corpus", bad), 2, bad))
    if "corpus" in params and isinstance(params["corpus"], click.Argument):
        cases.append(Case("corpus-argument-missing", ("{missing}", *good), 2, "{missing}"))
    if "paper_id" in params:
        args = [NO_SUCH_PAPER if arg == "{id}" else arg for arg in good]
        cases.append(Case("no-such-paper", (*args, "--corpus", "{corpus}"), 2, NO_SUCH_PAPER))
    for param in command.params:
        written = isinstance(param, click.Option) and isinstance(param.type, click.Path)
        if not written or param.name == "corpus_option" or not param.type.writable:
            continue
        flag = param.opts[0]
        for label, bad, shown in (
            ("missing-folder", "{missing}/out", "{missing}"),
            ("is-a-folder", "{dir}", "{dir}"),
            ("under-a-file", "{file}/out", "{file}"),
        ):
            args = (*good, "--corpus", "{corpus}", flag, bad)
            cases.append(Case(f"{param.name}-{label}", args, 2, shown))
    return cases + EXTRA_CASES.get(name, [])


ALL_CASES = [
    pytest.param(name, case, id=f"{name}-{case.name}")
    for name, command in sorted(main.commands.items())
    for case in cases_for(name, command)
]


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The paths a case's placeholders stand for: good ones and bad ones."""
    monkeypatch.delenv("PAPERDECK_CORPUS", raising=False)
    monkeypatch.setenv("PAPERDECK_CONFIG_DIR", str(tmp_path / "config"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(PAGE, encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "page.txt").write_text(PAGE, encoding="utf-8")
    (blocked / "notes").write_text("not a folder\n", encoding="utf-8")
    notes = tmp_path / "merge"
    notes.mkdir()
    for side in ("base", "ours", "theirs"):
        (notes / f"{side}.toml").write_text("", encoding="utf-8")
    plain_file = tmp_path / "plain.txt"
    plain_file.write_text("a file, not a folder\n", encoding="utf-8")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    listed = CliRunner().invoke(main, ["list", str(corpus)])
    assert listed.exit_code == 0, listed.output
    return {
        "corpus": str(corpus),
        "blocked": str(blocked),
        "notes": str(notes),
        "missing": str(tmp_path / "no" / "such" / "folder"),
        "file": str(plain_file),
        "dir": str(folder),
        "id": listed.stdout.split("\t")[0],
    }


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


def test_every_command_has_bad_path_cases() -> None:
    """A new command must say how it is called here, and must end up with some bad-path case."""
    unknown = sorted(set(main.commands) - set(GOOD_ARGS))
    assert not unknown, f"add good arguments for {unknown} to GOOD_ARGS in this file"
    uncovered = sorted(name for name, cmd in main.commands.items() if not cases_for(name, cmd))
    assert not uncovered, f"no bad-path case for {uncovered}: add some to EXTRA_CASES"


@pytest.mark.parametrize(("name", "case"), ALL_CASES)
def test_bad_paths_give_one_clear_error(name: str, case: Case, places: dict[str, str]) -> None:
    args = [name, *(arg.format(**places) for arg in case.args)]
    result = CliRunner().invoke(main, args)
    no_traceback(result)
    assert result.exit_code == case.status, result.output
    assert case.names.format(**places) in result.stderr, result.output
    assert "Error" in result.stderr or "paperdeck merge-notes" in result.stderr


@pytest.mark.parametrize("name", WRITES_NOTES)
def test_notes_is_a_file_is_one_line_saying_what_to_do(name: str, places: dict[str, str]) -> None:
    args = [arg.format(**places) for arg in GOOD_ARGS[name]]
    result = CliRunner().invoke(main, [name, *args, "--corpus", places["blocked"]])
    assert result.exit_code == 2, result.output
    notes = str(Path(places["blocked"]) / "notes")
    assert result.stderr.splitlines() == [
        f"Error: {notes!r} is a file, not a folder: paperdeck keeps notes files in it; move it away"
    ]
    assert Path(notes).read_text(encoding="utf-8") == "not a folder\n"  # left as it was


def test_check_reports_a_notes_file_where_the_folder_belongs(places: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["check", places["blocked"]])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("notes: is a file, not a folder: paperdeck keeps notes files")
    assert "move it away" in result.stdout
    assert result.stderr.startswith("1 problem in ")


def test_export_into_a_missing_folder_with_the_real_command(places: dict[str, str]) -> None:
    """The issue's report, end to end: the message names the path and says what to do."""
    target = Path(places["missing"]) / "out.bib"
    environment = {**os.environ, "PAPERDECK_CORPUS": places["corpus"]}
    command = [sys.executable, "-m", "paperdeck", "export", "is:starred", "--format", "bibtex"]
    done = subprocess.run(
        [*command, "-o", str(target)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    line = done.stderr.splitlines()[-1]  # after what the index says while it is built
    first_missing = str(Path(places["missing"]).parents[1])  # the `no` folder
    assert line.startswith(f"Error: {str(target)!r}: the folder {first_missing!r} does not exist")
    assert "create it first" in line
    assert not target.parent.exists()


def test_an_unexpected_error_is_one_line_and_a_saved_trace(
    places: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("paperdeck.cli.papers.sort_papers", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = CliRunner().invoke(main, ["list", places["corpus"]])
    no_traceback(result)
    assert result.exit_code == 70
    [line] = result.stderr.splitlines()
    assert "unexpected ZeroDivisionError: a bug" in line and "PAPERDECK_DEBUG=1" in line
    [report] = tmp_path.glob("paperdeck-error-*.txt")
    assert str(report) in line
    assert "Traceback" in report.read_text() and "ZeroDivisionError" in report.read_text()
    debugged = CliRunner().invoke(main, ["list", places["corpus"]], env={"PAPERDECK_DEBUG": "1"})
    assert isinstance(debugged.exception, ZeroDivisionError)


def test_a_closed_pipe_is_still_left_to_click(
    places: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`paperdeck list | head -1` must end quietly, not as a path problem."""

    def closed(*_args: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("paperdeck.cli.papers.sort_papers", closed)
    result = CliRunner().invoke(main, ["list", places["corpus"]])
    assert result.exit_code == 1
    assert "Error" not in result.stderr
