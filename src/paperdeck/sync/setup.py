"""Setting up a clone so git merges notes files with paperdeck's merge driver.

`.gitattributes` in the corpus folder (so its patterns are relative to the corpus, which may be a
subfolder of the repository) says `notes/*.toml merge=paperdeck text eol=lf`; the clone's own
config (git never copies config between clones, so every clone needs it) says how to run the
driver; `.gitignore` keeps derived data (`.paperdeck/`), the notes lock and temp files out of
commits. Never `merge=union`: it silently keeps both versions of a line, which corrupts TOML.

The driver command is `<this python> -m paperdeck.mergedriver %O %A %B %P`: it loads only the
merge code (not the CLI), so it is quick, and it works in any environment where paperdeck is
importable. Git runs it through `sh -c` and shell-quotes the file names itself.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from paperdeck.atomic import atomic_write_text
from paperdeck.sync.repo import GitError, Repo

DRIVER = "paperdeck"
NOTES_PATTERN = "notes/*.toml"
ATTRIBUTES_LINE = f"{NOTES_PATTERN} merge={DRIVER} text eol=lf"
IGNORE_LINES = (".paperdeck/", "notes/.lock", "notes/.*.tmp")
SETUP_FILES = (".gitattributes", ".gitignore")


def driver_command() -> str:
    """The shell command git runs (through `sh -c`) to merge one notes file."""
    return f"{shlex.quote(sys.executable)} -m paperdeck.mergedriver %O %A %B %P"


# --- setup ---------------------------------------------------------------------------------------


def configure_driver(repo: Repo) -> list[str]:
    """The per-clone part of the setup (git config), idempotent."""
    done = []
    wanted = {
        f"merge.{DRIVER}.name": "paperdeck notes merge driver",
        f"merge.{DRIVER}.driver": driver_command(),
    }
    for key, value in wanted.items():
        if repo.config_get(key) != value:
            repo.run(["config", "--local", key, value])
            done.append(f"set git config {key}")
    return done


def _ensure_lines(path: Path, wanted: list[str], replace_pattern: str | None = None) -> bool:
    """Add missing lines (removing other rules for `replace_pattern`); True when written."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    lines = text.splitlines()
    missing = [line for line in wanted if line not in lines]
    if not missing:
        return False
    if replace_pattern is not None:
        lines = [line for line in lines if not line.split() or line.split()[0] != replace_pattern]
    lines += [line for line in missing if line not in lines]
    atomic_write_text(path, "\n".join(lines) + "\n")
    return True


def git_setup(corpus: Path) -> list[str]:
    """Make git merge this corpus's notes with paperdeck; returns what it did (empty: all set).

    Raises GitNotFound / NotARepository (both GitError) when there is no git or no repository.
    """
    corpus = Path(corpus)
    repo = Repo(corpus)
    done = []
    if _ensure_lines(corpus / ".gitattributes", [ATTRIBUTES_LINE], NOTES_PATTERN):
        done.append(f"wrote {NOTES_PATTERN} merge={DRIVER} to {corpus / '.gitattributes'}")
    if _ensure_lines(corpus / ".gitignore", list(IGNORE_LINES)):
        done.append(f"added {', '.join(IGNORE_LINES)} to {corpus / '.gitignore'}")
    return done + configure_driver(repo)


def driver_configured(corpus: Path) -> bool | None:
    """True when git will merge notes files with the driver; None when not in a git repository."""
    try:
        repo = Repo(Path(corpus))
    except GitError:
        return None
    return _driver_configured(repo)


def _driver_configured(repo: Repo) -> bool:
    command = repo.config_get(f"merge.{DRIVER}.driver")
    if not command:
        return False
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return False
    if not Path(program).exists():
        return False
    return _notes_merge_attribute(repo) == DRIVER


def _notes_merge_attribute(repo: Repo) -> str:
    """The `merge` attribute git gives notes files here ("unspecified" when no rule names it)."""
    attribute = repo.out(["check-attr", "merge", "--", "notes/probe.toml"])
    return attribute.rpartition(": merge: ")[2]


def driver_missing(corpus: Path) -> bool:
    """True when git merges this corpus's notes (notes files are tracked, a rule in
    .gitattributes names them, or git-setup ran in this clone) but not with paperdeck's driver.

    A corpus that merely sits inside a repository, with nothing of its notes in git (the bundled
    sample inside paperdeck's own repository), is not a problem: git never merges its notes."""
    try:
        repo = Repo(Path(corpus))
    except GitError:
        return False
    if _driver_configured(repo):
        return False
    if repo.config_get(f"merge.{DRIVER}.driver"):
        return True  # set up once, broken since (e.g. the python it names is gone)
    if _notes_merge_attribute(repo) not in ("", "unspecified"):
        return True  # a rule for notes files, e.g. `merge=union`, which corrupts TOML
    return bool(repo.out(["ls-files", "--", "notes/*.toml"]))
