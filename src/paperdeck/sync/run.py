"""Sync the notes of a corpus through git without ever losing a note.

`git_setup` (`paperdeck.sync.setup`, re-exported here) makes git merge notes files with
paperdeck's merge driver (`paperdeck.mergedriver`); `sync` re-runs it first (it is idempotent and
the git config part is per clone), so a fresh clone is set up before its first pull.

`sync` then: finishes a merge it left stopped earlier (once the files parse again), commits the
changed notes files only (never the user's other files; the message says what changed), fetches,
merges or rebases onto the upstream branch, accepts the notes files the driver merged (a note
clash is kept inside the note, so the file is valid TOML and is committed as such, with the
paper listed in `SyncReport.clashes`), and pushes.

Rebase or merge: the default is **rebase**. A notes commit is small and self-describing, so
replaying it on top of the other clone's work keeps a linear history that reads like a log of
"starred", "tagged"... with no merge commits from every sync. Git runs merge drivers while it
rebases too (each replayed commit is a three-way merge), so the notes merge is the same either
way; only the side labels inside a note clash swap (during a rebase "ours" is the upstream).
`merge` is there for people who do not want their local commits rewritten (for instance when the
corpus lives inside a repository with other unpushed work): it never rewrites a commit.

Both modes use `--autostash`, so uncommitted changes to the user's other files never block a
sync; a rebase or merge that stops on a conflict paperdeck cannot settle (a file it cannot parse,
or a file outside `notes/`) is left for a person, listed in `SyncReport.unresolved`, and the next
`sync` carries on once those files are fixed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from pathlib import Path

from paperdeck.notes.toml_format import NotesFileError, load_bytes
from paperdeck.sync.note_clash import notes_with_markers
from paperdeck.sync.repo import GitError, GitNotFound, NotARepository, Repo
from paperdeck.sync.report import SyncReport, remote_problem
from paperdeck.sync.setup import (
    ATTRIBUTES_LINE,
    DRIVER,
    SETUP_FILES,
    driver_command,
    driver_configured,
    driver_missing,
    git_setup,
)
from paperdeck.sync.summary import summarise

MODES = ("rebase", "merge")
MARKER_NAME = "paperdeck-sync-in-progress"  # in .git: a stopped rebase/merge is ours to finish
_NOTES_FILE = re.compile(r"^notes/([^/]+)\.toml\Z")
__all__ = [
    "ATTRIBUTES_LINE",
    "DRIVER",
    "MODES",
    "SyncReport",
    "driver_command",
    "driver_configured",
    "driver_missing",
    "git_setup",
    "sync",
]


def notes_paper_id(path: str | None) -> str | None:
    """The paper ID of a corpus-relative notes file path, None for any other path."""
    found = _NOTES_FILE.match(path) if path else None
    return found.group(1) if found else None


# --- sync ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _notes_lock(corpus: Path) -> Iterator[None]:
    """Hold the notes store's lock (`notes/.lock`, flock) while git rewrites notes files, so a
    paperdeck writing at the same moment waits instead of racing git. Never held over the network;
    the merge driver does not take it (no deadlock)."""
    folder = corpus / "notes"
    try:
        fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield  # no notes folder yet (or read-only): nothing to protect
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _notes_paths(repo: Repo, corpus: Path) -> list[tuple[str, str]]:
    """Notes files that differ from the index (new, changed, deleted), relative to the corpus,
    each with its paper ID."""
    paths = repo.lines_z(
        [
            "ls-files",
            "-z",
            "--modified",
            "--others",
            "--deleted",
            "--exclude-standard",
            "--",
            "notes",
        ]
    )
    found = ((p, _NOTES_FILE.match(p)) for p in set(paths) if not p.startswith("notes/."))
    return sorted((p, match.group(1)) for p, match in found if match is not None)


def _commit(repo: Repo, corpus: Path, report: SyncReport) -> None:
    candidates = []
    for path, paper_id in _notes_paths(repo, corpus):
        file = corpus / path
        if file.exists():
            try:
                load_bytes(file.read_bytes(), path, paper_id)
            except (NotesFileError, OSError) as error:
                report.skipped.append(str(error))
                continue
        candidates.append(path)
    setup = [name for name in SETUP_FILES if (corpus / name).exists()]
    paths = candidates + setup
    if paths:
        repo.run(["--literal-pathspecs", "add", "-A", "--", *paths])
    head = repo.head()
    tracked = ["notes", *setup]
    staged_args = ["diff", "--cached", "--name-only", "-z", "--relative"]
    staged = repo.lines_z([*staged_args, *([head] if head else []), "--", *tracked])
    staged = [p for p in staged if p in setup or _NOTES_FILE.match(p)]
    if not staged:
        return
    names = (
        [f"{head}:./{p}" for p in staged] + [f":./{p}" for p in staged]
        if head
        else [f":./{p}" for p in staged]
    )
    blobs = repo.read_blobs(names)
    changes = {}
    for path in staged:
        found = _NOTES_FILE.match(path)
        if found:
            old = blobs.get(f"{head}:./{path}") if head else None
            changes[found.group(1)] = (old, blobs.get(f":./{path}"))
    summary = summarise(changes, [p for p in staged if p in setup])
    repo.run(["--literal-pathspecs", "commit", "-q", "-m", summary.message(), "--", *staged])
    report.committed = summary.subject()
    report.done.append(f"committed: {summary.subject()}")


def _accept_notes(repo: Repo, corpus: Path, report: SyncReport) -> list[str]:
    """Stage the conflicted notes files that parse; returns the conflicted files that do not."""
    left = []
    for path in repo.unmerged():
        inside = repo.in_corpus(path)
        found = _NOTES_FILE.match(inside) if inside is not None else None
        file = repo.top / path
        try:
            if inside is None or found is None or not file.is_file():
                raise NotesFileError(path, None, None, "not a notes file paperdeck can merge")
            load_bytes(file.read_bytes(), inside, found.group(1))
        except (NotesFileError, OSError):
            left.append(path)
            continue
        repo.run(["--literal-pathspecs", "add", "--", path], cwd=repo.top)
    return left


def _finish(repo: Repo, corpus: Path, report: SyncReport) -> bool:
    """Carry a stopped rebase/merge of ours to its end; False when a person must act."""
    for _ in range(10_000):
        operation = repo.operation_in_progress()
        if operation is None:
            break
        left = _accept_notes(repo, corpus, report)
        if left:
            report.unresolved = left
            report.unresolved_papers = sorted(
                {paper for paper in map(notes_paper_id, map(repo.in_corpus, left)) if paper}
            )
            return False
        if operation == "merge":
            repo.run(["commit", "-q", "--no-edit"])
            continue
        result = repo.run(["rebase", "--continue"], check=False)
        if result.returncode != 0 and not repo.unmerged():
            clean = repo.ok(["diff", "--cached", "--quiet", "HEAD"])
            if not clean:
                raise GitError(
                    ["git", "rebase", "--continue"], result.returncode, result.stderr, result.stdout
                )
            repo.run(["rebase", "--skip"], check=False)
    repo.git_path(MARKER_NAME).unlink(missing_ok=True)
    return True


def _upstream(repo: Repo, branch: str) -> tuple[str, str, bool] | None:
    """(remote, remote branch, upstream already set) or None when there is nowhere to sync."""
    remote = repo.config_get(f"branch.{branch}.remote")
    merge = repo.config_get(f"branch.{branch}.merge")
    if remote and remote != "." and merge and merge.startswith("refs/heads/"):
        return remote, merge[len("refs/heads/") :], True
    remotes = repo.out(["remote"]).split()
    if not remotes:
        return None
    remote = "origin" if "origin" in remotes else remotes[0] if len(remotes) == 1 else None
    return (remote, branch, False) if remote else None


def _integrate(repo: Repo, corpus: Path, mode: str, tracking: str, report: SyncReport) -> bool:
    """Merge or rebase onto `tracking`; False when it stopped for a person."""
    upstream = repo.run(["rev-parse", "-q", "--verify", f"{tracking}^{{commit}}"], check=False)
    if upstream.returncode != 0:
        return True  # the remote has no such branch yet: the push creates it
    target = upstream.stdout.strip()
    head = repo.head()
    if head is not None and repo.ok(["merge-base", "--is-ancestor", target, head]):
        return True
    repo.git_path(MARKER_NAME).write_text(mode + "\n", encoding="utf-8")
    if head is None:
        command = ["merge", "--ff-only", target]
    elif mode == "rebase":
        command = ["rebase", "--autostash", target]
    else:
        command = [
            "merge",
            "--autostash",
            "--no-edit",
            "-m",
            f"paperdeck: merge notes from {tracking}",
            target,
        ]
    result = repo.run(command, check=False)
    if result.returncode != 0 and repo.operation_in_progress() is None:
        repo.git_path(MARKER_NAME).unlink(missing_ok=True)
        raise GitError(["git", *command], result.returncode, result.stderr, result.stdout)
    finished = _finish(repo, corpus, report)
    report.pulled = True
    if "Applying autostash resulted in conflicts" in result.stderr + result.stdout:
        report.problems.append(
            "re-apply your uncommitted changes to other files cleanly; "
            "they are safe in `git stash list`"
        )
    return finished


def _changed_papers(repo: Repo, before: str | None, after: str | None) -> list[str]:
    if not before or not after or before == after:
        return []
    paths = repo.lines_z(["diff", "--name-only", "-z", "--relative", before, after, "--", "notes"])
    return sorted({m.group(1) for m in map(_NOTES_FILE.match, paths) if m})


def _pull_and_push(repo: Repo, corpus: Path, mode: str, report: SyncReport) -> None:
    branch = repo.branch()
    if branch is None:
        report.problems.append(
            "pull or push: HEAD is detached (not on a branch); notes were "
            "committed here only. `git switch <branch>` and sync again"
        )
        return
    where = _upstream(repo, branch)
    if where is None:
        report.done.append(
            "no remote: committed locally only (add one with `git remote add "
            "origin <url>` to sync between machines)"
        )
        return
    remote, remote_branch, has_upstream = where
    tracking = f"refs/remotes/{remote}/{remote_branch}"
    for attempt in range(3):
        try:
            repo.run(["fetch", "--quiet", remote])
        except GitError as error:
            report.problems.append(remote_problem("fetch from", remote, error, repo))
            return
        before = repo.head()
        with _notes_lock(corpus):
            if not _integrate(repo, corpus, mode, tracking, report):
                return
        for paper_id in _changed_papers(repo, before, repo.head()):
            if paper_id not in report.changed_papers:
                report.changed_papers.append(paper_id)
        head = repo.head()
        if head is None:
            return
        ahead = not repo.ok(["merge-base", "--is-ancestor", head, tracking])
        if not ahead and has_upstream:
            return
        command = ["push", "--quiet", remote, f"HEAD:refs/heads/{remote_branch}"]
        if not has_upstream:
            command = ["push", "--quiet", "--set-upstream", remote, branch]
        try:
            repo.run(command)
        except GitError as error:
            rejected = (
                "[rejected]" in error.stderr
                or "non-fast-forward" in error.stderr
                or "fetch first" in error.stderr
            )
            if rejected and attempt < 2:
                continue  # the remote moved while we merged: fetch and merge again
            what = "push to (rejected)" if rejected else "push to"
            report.problems.append(remote_problem(what, remote, error, repo))
            return
        report.pushed = True
        report.done.append(f"pushed to {remote}/{remote_branch}")
        return


def _unborn_problem(repo: Repo) -> str | None:
    """A new clone whose branch the remote does not have (the remote's HEAD names `master`,
    its only branch is `main`): committing would start a second, unrelated history."""
    if repo.head() is not None:
        return None
    branch = repo.branch()
    where = _upstream(repo, branch) if branch else None
    if branch is None or where is None:
        return None
    remote, remote_branch, _ = where
    prefix = f"refs/remotes/{remote}/"
    refs = repo.out(["for-each-ref", "--format=%(refname)", prefix]).split()
    branches = sorted(r[len(prefix) :] for r in refs if r != f"{prefix}HEAD")
    if not branches or remote_branch in branches:
        return None
    return (
        f"sync: this clone has no commits on '{branch}' yet, and {remote} has no '{remote_branch}' "
        f"branch but has {', '.join(branches)}; committing here would start a separate history. "
        f"Run `git switch {branches[0]}` and sync again"
    )


def _resume(repo: Repo, corpus: Path, report: SyncReport) -> bool:
    """Finish a rebase/merge an earlier sync left stopped; False when it cannot go on."""
    operation = repo.operation_in_progress()
    if operation is None:
        return True
    if not repo.git_path(MARKER_NAME).exists():
        report.problems.append(
            f"sync: a {operation} paperdeck did not start is in progress; "
            "finish or abort it with git (see `git status`)"
        )
        return False
    before = repo.run(["rev-parse", "-q", "--verify", "ORIG_HEAD"], check=False)
    if not _finish(repo, corpus, report):
        return False
    report.pulled = True
    report.done.append(f"finished the {operation} a previous sync left stopped")
    if before.returncode == 0:
        report.changed_papers += _changed_papers(repo, before.stdout.strip(), repo.head())
    return True


def sync(corpus: Path, mode: str = "rebase") -> SyncReport:
    """Commit, pull (rebase or merge) and push the notes of `corpus`; never raises for git."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    corpus = Path(corpus)
    report = SyncReport(mode=mode)
    try:
        repo = Repo(corpus)
    except GitNotFound:
        report.problems.append("sync: git is not installed (no `git` program on PATH)")
        return report
    except NotARepository:
        report.problems.append(
            f"sync: {corpus} is not inside a git repository (run `git init` "
            "there and `paperdeck git-setup`, or clone your notes repository)"
        )
        return report
    try:
        report.done += git_setup(corpus)
        unborn = _unborn_problem(repo)
        if unborn is not None:
            report.problems.append(unborn)
            return report
        with _notes_lock(corpus):
            if not _resume(repo, corpus, report):
                return report
            _commit(repo, corpus, report)
        _pull_and_push(repo, corpus, mode, report)
    except GitError as error:
        report.problems.append(f"sync: {error}")
    finally:
        unresolved = set(report.unresolved_papers)
        report.clashes = [p for p in notes_with_markers(corpus) if p not in unresolved]
    return report
