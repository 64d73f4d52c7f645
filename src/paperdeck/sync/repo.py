"""A small, safe wrapper around the `git` command for `paperdeck.sync.run`.

Git always runs with an argument list (never through a shell), with stdin closed and prompts
turned off (so a TUI never hangs on a password prompt), and its output captured. A failure is a
`GitError` that carries the command and git's own message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 300  # seconds; a network operation that hangs longer is reported, not waited on
MESSAGE_LIMIT = 600  # characters of git's message shown in one report line


class GitError(RuntimeError):
    """A git command failed: `command` is what ran, `stderr` what git said."""

    def __init__(self, command: Sequence[str], returncode: int, stderr: str, stdout: str = ""):
        self.command = list(command)
        self.returncode = returncode
        self.stderr = stderr.strip()
        self.stdout = stdout
        shown = " ".join(self.command)
        detail = self.stderr or self.stdout.strip() or f"exit status {returncode}"
        super().__init__(f"`{shown}` failed: {detail}")

    @property
    def message(self) -> str:
        """git's whole message as one line: `hint:` lines and `fatal:`/`error:` prefixes dropped,
        wrapped sentences joined, one sentence per message, capped at MESSAGE_LIMIT characters."""
        sentences: list[str] = []
        for raw in (self.stderr or self.stdout).splitlines():
            line = raw.strip()
            if not line or line.startswith("hint:"):
                continue
            prefixed = line.startswith(("fatal:", "error:"))
            if prefixed:
                line = line.partition(":")[2].strip()
            if not line:
                continue
            wrapped = not prefixed and line[0].islower() and sentences
            if wrapped and not sentences[-1].endswith((".", ":")):
                sentences[-1] += f" {line}"
            else:
                sentences.append(line)
        text = " ".join(s if s.endswith((".", "!", "?", ":")) else f"{s}." for s in sentences)
        if not text:
            return f"exit status {self.returncode}"
        return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1].rstrip() + "…"


class GitNotFound(GitError):
    """No `git` program on PATH."""

    def __init__(self) -> None:
        super().__init__(["git"], 127, "git is not installed (no `git` program on PATH)")


class NotARepository(GitError):
    """The folder is not inside a git work tree."""


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def git_program() -> str | None:
    """The path of the git binary, or None when there is none."""
    return shutil.which("git")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"  # fail instead of asking for a user name or password
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    env["GIT_EDITOR"] = "true"  # never open an editor (merge messages, rebase --continue)
    env["LC_ALL"] = "C"  # git's messages in English, so they can be recognised
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    env.pop("GIT_INDEX_FILE", None)
    return env


class Repo:
    """Git run from one folder (the corpus folder, which may be a subfolder of the work tree)."""

    def __init__(self, folder: Path, program: str | None = None) -> None:
        found = program or git_program()
        if found is None:
            raise GitNotFound()
        self.program = found
        self.folder = Path(folder)
        result = self.run(["rev-parse", "--show-toplevel"], check=False)
        if result.returncode != 0:
            raise NotARepository(
                ["git", "rev-parse", "--show-toplevel"],
                result.returncode,
                f"{self.folder} is not inside a git repository (run `git init` there, or clone "
                "your notes repository)",
            )
        self.top = Path(result.stdout.strip())
        self.prefix = self.run(["rev-parse", "--show-prefix"]).stdout.strip()

    def run(
        self,
        args: Sequence[str],
        *,
        check: bool = True,
        input_text: str | None = None,
        cwd: Path | None = None,
        timeout: float = GIT_TIMEOUT,
    ) -> Result:
        command = [self.program, *args]
        try:
            completed = subprocess.run(
                command,
                cwd=cwd or self.folder,
                input=input_text,
                stdin=None if input_text is not None else subprocess.DEVNULL,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=_environment(),
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError:
            raise GitNotFound() from None
        except subprocess.TimeoutExpired:
            raise GitError(["git", *args], -1, f"timed out after {timeout:.0f} seconds") from None
        if check and completed.returncode != 0:
            raise GitError(["git", *args], completed.returncode, completed.stderr, completed.stdout)
        return Result(completed.returncode, completed.stdout, completed.stderr)

    def ok(self, args: Sequence[str]) -> bool:
        return self.run(args, check=False).returncode == 0

    def out(self, args: Sequence[str]) -> str:
        return self.run(args).stdout.strip()

    def lines_z(self, args: Sequence[str], cwd: Path | None = None) -> list[str]:
        """A command's NUL-separated output (use with -z)."""
        return [item for item in self.run(args, cwd=cwd).stdout.split("\0") if item]

    # --- questions ------------------------------------------------------------------------------

    def head(self) -> str | None:
        """The commit HEAD names, or None in a new repository with no commits yet."""
        result = self.run(["rev-parse", "-q", "--verify", "HEAD^{commit}"], check=False)
        return result.stdout.strip() if result.returncode == 0 else None

    def branch(self) -> str | None:
        """The current branch's short name, or None on a detached HEAD."""
        result = self.run(["symbolic-ref", "-q", "--short", "HEAD"], check=False)
        return result.stdout.strip() if result.returncode == 0 else None

    def config_get(self, key: str) -> str | None:
        result = self.run(["config", "--get", key], check=False)
        return result.stdout.strip() if result.returncode == 0 else None

    def git_path(self, name: str) -> Path:
        """A path inside the .git folder (works for worktrees and submodules too)."""
        path = Path(self.out(["rev-parse", "--git-path", name]))
        return path if path.is_absolute() else self.folder / path

    def operation_in_progress(self) -> str | None:
        """ "rebase" or "merge" when one is stopped half-way, else None."""
        if self.git_path("rebase-merge").exists() or self.git_path("rebase-apply").exists():
            return "rebase"
        if self.git_path("MERGE_HEAD").exists():
            return "merge"
        return None

    def unmerged(self) -> list[str]:
        """Paths (relative to the top of the work tree) git still lists as conflicted."""
        paths = self.lines_z(["diff", "--name-only", "--diff-filter=U", "-z"], cwd=self.top)
        return sorted(set(paths))

    def in_corpus(self, top_relative: str) -> str | None:
        """A work-tree path as a path relative to the corpus folder, None when outside it."""
        if not self.prefix:
            return top_relative
        return top_relative[len(self.prefix) :] if top_relative.startswith(self.prefix) else None

    def read_blobs(self, names: Iterable[str]) -> dict[str, bytes | None]:
        """Many `<rev>:<path>` objects in one `git cat-file --batch`; None where missing."""
        names = list(names)
        if not names:
            return {}
        command = [self.program, "cat-file", "--batch"]
        try:
            completed = subprocess.run(
                command,
                cwd=self.folder,
                input="".join(f"{n}\n" for n in names).encode(),
                capture_output=True,
                env=_environment(),
                timeout=GIT_TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            raise GitNotFound() from None
        if completed.returncode != 0:
            raise GitError(
                ["git", "cat-file", "--batch"],
                completed.returncode,
                completed.stderr.decode("utf-8", "replace"),
            )
        data = completed.stdout
        found: dict[str, bytes | None] = {}
        position = 0
        for name in names:
            end = data.index(b"\n", position)
            header = data[position:end].decode("utf-8", "replace").split()
            position = end + 1
            if len(header) != 3 or header[1] != "blob":
                found[name] = None
                continue
            size = int(header[2])
            found[name] = data[position : position + size]
            position += size + 1
        return found
