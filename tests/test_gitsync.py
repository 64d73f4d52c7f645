"""Git sync with real git: a bare remote and two clones (A and B) of a small corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.cli.sync import git_setup_command, merge_notes_command, sync_command
from paperdeck.corpus.corpus import Corpus
from paperdeck.library import Library, bundled_sample_corpus
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.store import NotesStore
from paperdeck.notes.toml_format import dumps_annotation
from paperdeck.sync.repo import GitError
from paperdeck.sync.run import ATTRIBUTES_LINE, SyncReport, driver_configured, git_setup, sync

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"
SEED_FILE = "000_1baa1a46657d523b.txt"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
MODES = ["rebase", "merge"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(folder: Path, *args: str, check: bool = True) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    result = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, check=False, env=env
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def identify(repo: Path) -> None:
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.com")


@pytest.fixture(scope="session")
def paper_ids() -> list[str]:
    corpus = Corpus.load(SAMPLE)
    ids = sorted(
        {p.id for p in corpus.papers if any(s.path.endswith(SEED_FILE) for s in p.sources)}
    )
    return ids[:3] if len(ids) >= 3 else [p.id for p in corpus.papers[:3]]


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    """Corpus folders (a subfolder `corpus/` of each clone) of A and B, synced once."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(remote), str(seed))
    identify(seed)
    (seed / "corpus").mkdir()
    shutil.copy(SAMPLE / SEED_FILE, seed / "corpus" / SEED_FILE)
    (seed / "README.md").write_text("my notes repository\n")
    git_setup(seed / "corpus")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "corpus")
    git(seed, "push", "-q", "origin", "main")
    corpora = []
    for name in ("A", "B"):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(remote), str(clone))
        identify(clone)
        git_setup(clone / "corpus")
        corpora.append(clone / "corpus")
    return corpora[0], corpora[1]


def edit(corpus: Path, paper_id: str, change: Callable[[Annotation], Annotation]) -> None:
    store = NotesStore(corpus)
    store.load()
    store.update(paper_id, "", change)


def notes(corpus: Path, paper_id: str) -> Annotation:
    store = NotesStore(corpus)
    store.load()
    assert store.read_only_reason(paper_id) is None
    return store.get(paper_id)


def sync_all(a: Path, b: Path, mode: str):
    reports = [sync(a, mode), sync(b, mode), sync(a, mode)]
    for report in reports:
        assert not report.problems, report.lines()
        assert not report.unresolved, report.lines()
    top_a, top_b = a.parent, b.parent
    assert git(top_a, "rev-parse", "HEAD") == git(top_b, "rev-parse", "HEAD")
    for top in (top_a, top_b):
        assert git(top, "status", "--porcelain", "--", "corpus/notes") == ""
        assert git(top, "rev-parse", "HEAD") == git(top, "rev-parse", "origin/main")
    for file in (a / "notes").glob("*.toml"):
        assert (b / "notes" / file.name).read_bytes() == file.read_bytes()
        tomllib.loads(file.read_text())
    return reports


# --- scenarios -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_different_papers(clones, paper_ids, mode) -> None:
    a, b = clones
    edit(a, paper_ids[0], lambda n: n.with_star(True, T0))
    edit(b, paper_ids[1], lambda n: n.with_tags(add=["rl"]))
    first, second, third = sync_all(a, b, mode)
    assert first.committed == "paperdeck: 1 starred" and first.pushed
    assert second.changed_papers == [paper_ids[0]]
    assert third.changed_papers == [paper_ids[1]]
    for corpus in clones:
        assert notes(corpus, paper_ids[0]).starred
        assert notes(corpus, paper_ids[1]).tags == ("rl",)


@pytest.mark.parametrize("mode", MODES)
def test_same_paper_different_fields(clones, paper_ids, mode) -> None:
    a, b = clones
    pid = paper_ids[0]
    edit(a, pid, lambda n: n.with_star(True, T0).with_note("from A\n"))
    edit(b, pid, lambda n: n.with_status("read", T0).with_tags(add=["x"]))
    _, second, _ = sync_all(a, b, mode)
    assert second.changed_papers == [pid] and not second.clashes
    for corpus in clones:
        merged = notes(corpus, pid)
        assert merged.starred and merged.status == "read"
        assert merged.tags == ("x",) and merged.note == "from A\n"


@pytest.mark.parametrize("mode", MODES)
def test_same_note_different_paragraphs(clones, paper_ids, mode) -> None:
    a, b = clones
    pid = paper_ids[0]
    edit(a, pid, lambda n: n.with_note("intro\n\nmiddle\n\nend\n"))
    sync_all(a, b, mode)
    edit(a, pid, lambda n: n.with_note("INTRO by A\n\nmiddle\n\nend\n"))
    edit(b, pid, lambda n: n.with_note("intro\n\nmiddle\n\nend, said B\n"))
    reports = sync_all(a, b, mode)
    assert not any(r.clashes for r in reports)
    for corpus in clones:
        assert notes(corpus, pid).note == "INTRO by A\n\nmiddle\n\nend, said B\n"


@pytest.mark.parametrize("mode", MODES)
def test_same_note_same_line_keeps_both_inside_the_note(clones, paper_ids, mode) -> None:
    a, b = clones
    pid = paper_ids[0]
    edit(a, pid, lambda n: n.with_note("first\nshared line\nlast\n").with_tags(add=["t"]))
    sync_all(a, b, mode)
    edit(a, pid, lambda n: n.with_note("first\nA's version\nlast\n"))
    edit(b, pid, lambda n: n.with_note("first\nB's version\nlast\n").with_tags(add=["u"]))
    first, second, third = sync_all(a, b, mode)
    assert not first.clashes
    assert second.clashes == [pid] and third.clashes == [pid]
    assert any("<<<<<<<" in line for line in second.lines())
    for corpus in clones:
        merged = notes(corpus, pid)  # readable: the markers are inside the note
        assert "A's version" in merged.note and "B's version" in merged.note
        assert merged.note.startswith("first\n<<<<<<< ") and merged.note.endswith("last\n")
        assert merged.tags == ("t", "u")
    # the person resolves it in the note; the next syncs carry it everywhere
    edit(b, pid, lambda n: n.with_note("first\nboth versions, reconciled\nlast\n"))
    reports = sync_all(a, b, mode)
    assert reports[-1].clashes == []
    assert notes(a, pid).note == "first\nboth versions, reconciled\nlast\n"


@pytest.mark.parametrize("mode", MODES)
def test_tags_added_on_both_sides_at_the_same_position(clones, paper_ids, mode) -> None:
    a, b = clones
    pid = paper_ids[0]
    edit(a, pid, lambda n: n.with_tags(add=["alpha", "omega"]))
    sync_all(a, b, mode)
    edit(a, pid, lambda n: n.with_tags(add=["beta"]))
    edit(b, pid, lambda n: n.with_tags(add=["gamma"]))
    sync_all(a, b, mode)
    for corpus in clones:
        assert notes(corpus, pid).tags == ("alpha", "beta", "gamma", "omega")


@pytest.mark.parametrize("mode", MODES)
def test_tag_removed_on_one_side_another_added_on_the_other(clones, paper_ids, mode) -> None:
    a, b = clones
    pid = paper_ids[0]
    edit(a, pid, lambda n: n.with_tags(add=["keep", "todo"]))
    sync_all(a, b, mode)
    edit(a, pid, lambda n: n.with_tags(remove=["todo"]))
    edit(b, pid, lambda n: n.with_tags(add=["new"]))
    first, _, _ = sync_all(a, b, mode)
    assert first.committed == "paperdeck: 1 tagged"
    for corpus in clones:
        assert notes(corpus, pid).tags == ("keep", "new")


@pytest.mark.parametrize("mode", MODES)
def test_both_annotate_the_same_new_paper(clones, paper_ids, mode) -> None:
    a, b = clones
    pid = paper_ids[2]
    edit(a, pid, lambda n: n.with_tags(add=["from-a"]).with_note("A thinks\n"))
    edit(b, pid, lambda n: n.with_tags(add=["from-b"]).with_status("later", T0))
    sync_all(a, b, mode)
    for corpus in clones:
        merged = notes(corpus, pid)
        assert merged.tags == ("from-a", "from-b")
        assert merged.note == "A thinks\n" and merged.status == "later"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("later", ["A", "B"])
def test_star_toggled_on_both_sides_later_wins(clones, paper_ids, mode, later) -> None:
    a, b = clones
    pid = paper_ids[0]
    edit(a, pid, lambda n: n.with_star(True, T0))
    sync_all(a, b, mode)
    early, late = T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)
    a_time, b_time = (late, early) if later == "A" else (early, late)
    edit(a, pid, lambda n: n.with_star(False, a_time))  # A unstars
    edit(
        b, pid, lambda n: n.with_star(False, T0 + timedelta(seconds=30)).with_star(True, b_time)
    )  # B unstars, then stars again
    expected = (False, late) if later == "A" else (True, late)
    sync_all(a, b, mode)
    for corpus in clones:
        merged = notes(corpus, pid)
        assert (merged.starred, merged.starred_at) == expected


@pytest.mark.parametrize("mode", MODES)
def test_star_on_one_side_unstar_later_on_the_other(clones, paper_ids, mode) -> None:
    a, b = clones
    pid = paper_ids[1]
    edit(a, pid, lambda n: n.with_star(True, T0))
    sync_all(a, b, mode)
    edit(a, pid, lambda n: n.with_star(False, T0 + timedelta(minutes=5)))
    edit(
        b,
        pid,
        lambda n: n.with_star(False, T0 + timedelta(minutes=1)).with_star(
            True, T0 + timedelta(minutes=2)
        ),
    )
    sync_all(a, b, mode)
    for corpus in clones:
        assert not notes(corpus, pid).starred  # A's unstar came last


# --- the edges -----------------------------------------------------------------------------------


def test_sync_without_remote_commits_only_notes(tmp_path: Path, paper_ids) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    identify(tmp_path)
    (tmp_path / "mine.txt").write_text("not paperdeck's\n")
    edit(tmp_path, paper_ids[0], lambda n: n.with_star(True, T0).with_tags(add=["a", "b"]))
    edit(tmp_path, paper_ids[1], lambda n: n.with_note("hello\n").with_status("read", T0))
    report = sync(tmp_path)
    assert report.ok, report.lines()
    assert report.committed == "paperdeck: 1 starred, 1 tagged, 1 note, 1 status"
    assert any("no remote" in line for line in report.lines())
    committed = git(tmp_path, "show", "--name-only", "--format=", "HEAD").split()
    assert "mine.txt" not in committed and ".gitattributes" in committed
    assert f"notes/{paper_ids[0]}.toml" in committed and "notes/.lock" not in committed
    assert git(tmp_path, "status", "--porcelain") == "?? mine.txt\n"
    again = sync(tmp_path)
    assert again.ok and again.committed is None


def test_sync_in_a_new_repository_with_no_commits(tmp_path: Path, paper_ids) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    identify(tmp_path)
    assert sync(tmp_path).ok  # nothing to commit yet apart from the setup files
    report = sync(tmp_path)
    assert report.ok and report.committed is None


def test_sync_outside_a_repository(tmp_path: Path) -> None:
    report = sync(tmp_path)
    assert not report.ok
    assert "not inside a git repository" in report.lines()[0]
    assert driver_configured(tmp_path) is None


def test_sync_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    report = sync(tmp_path)
    assert report.lines() == ["could not sync: git is not installed (no `git` program on PATH)"]
    assert driver_configured(tmp_path) is None


def test_detached_head_commits_and_skips_pull_and_push(clones, paper_ids) -> None:
    a, _ = clones
    git(a.parent, "checkout", "-q", "--detach")
    edit(a, paper_ids[0], lambda n: n.with_tags(add=["x"]))
    report = sync(a)
    assert report.committed == "paperdeck: 1 tagged"
    assert not report.pushed and "detached" in " ".join(report.problems)


def test_unreachable_remote_is_reported_and_notes_stay_committed(clones, paper_ids) -> None:
    a, _ = clones
    git(a.parent, "remote", "set-url", "origin", str(a.parent.parent / "missing.git"))
    edit(a, paper_ids[0], lambda n: n.with_tags(add=["x"]))
    report = sync(a)
    assert report.committed == "paperdeck: 1 tagged" and not report.pushed
    assert len(report.problems) == 1
    assert report.problems[0].startswith("fetch from 'origin'")
    assert "sync again later" in report.problems[0]


def _repo_with_remote(tmp_path: Path, address: str) -> Path:
    """A corpus at the top of a fresh repository, one commit, `origin` at `address`."""
    repo = tmp_path / "notes-repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    identify(repo)
    shutil.copy(SAMPLE / SEED_FILE, repo / SEED_FILE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "corpus")
    git(repo, "remote", "add", "origin", address)
    return repo


@pytest.mark.parametrize("address", ["file:///nonexistent", "{tmp}/missing.git"])
def test_sync_shows_what_git_said_about_an_unreachable_remote(tmp_path: Path, address: str) -> None:
    address = address.format(tmp=tmp_path)
    repo = _repo_with_remote(tmp_path, address)
    result = CliRunner().invoke(sync_command, [str(repo)])
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("could not")]
    assert line.startswith(f"could not fetch from 'origin' ({address}): git says: '")
    assert (
        "does not appear to be a git repository. Could not read from remote repository. "
        "Please make sure you have the correct access rights and the repository exists. "
    ) in line
    assert "Your notes stay committed here, sync again later" in line
    assert "`git remote set-url origin URL`" in line
    assert "fatal:" not in line and "hint:" not in line


def test_a_remote_address_is_shown_without_its_credentials(tmp_path: Path) -> None:
    repo = _repo_with_remote(tmp_path, "https://SECRET-TOKEN@127.0.0.1:9/notes.git")
    [problem] = sync(repo).problems  # port 9 on this machine: refused at once, no network
    assert "fetch from 'origin' (https://***@127.0.0.1:9/notes.git): git says: " in problem
    assert "SECRET-TOKEN" not in problem


def test_git_messages_read_as_one_line_without_hints() -> None:
    error = GitError(
        ["git", "push"],
        1,
        "To /srv/notes.git\n ! [rejected]        HEAD -> main (fetch first)\n"
        "error: failed to push some refs to '/srv/notes.git'\n"
        "hint: Updates were rejected because the remote contains work that you do not\n"
        "hint: have locally.\n",
    )
    assert error.message == (
        "To /srv/notes.git. ! [rejected]        HEAD -> main (fetch first). "
        "failed to push some refs to '/srv/notes.git'."
    )
    assert GitError(["git", "fetch"], 128, "fatal:\n").message == "exit status 128"


def test_rejected_push_is_reported(clones, paper_ids) -> None:
    a, _ = clones
    hook = a.parent.parent / "remote.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'notes are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    edit(a, paper_ids[0], lambda n: n.with_tags(add=["x"]))
    report = sync(a)
    assert report.committed and not report.pushed
    assert report.problems and "push to" in report.problems[0]
    assert "rejected" in report.problems[0] or "frozen" in report.problems[0]


def test_unreadable_notes_file_is_not_committed_and_other_notes_sync(clones, paper_ids) -> None:
    a, b = clones
    edit(a, paper_ids[0], lambda n: n.with_tags(add=["x"]))
    bad = a / "notes" / f"{paper_ids[1]}.toml"
    bad.write_text('schema = 1\nid = "oops\n')
    report = sync(a)
    assert report.pushed and len(report.skipped) == 1 and paper_ids[1] in report.skipped[0]
    assert bad.read_text() == 'schema = 1\nid = "oops\n'  # untouched, still there
    assert sync(b).changed_papers == [paper_ids[0]]


def test_unparseable_conflict_is_left_for_a_person_then_finished(clones, paper_ids) -> None:
    a, b = clones
    pid = paper_ids[0]
    edit(a, pid, lambda n: n.with_tags(add=["x"]))
    sync_all(a, b, "rebase")
    path = f"corpus/notes/{pid}.toml"
    newer = (a / "notes" / f"{pid}.toml").read_text().replace("schema = 1", "schema = 2")
    (a / "notes" / f"{pid}.toml").write_text(newer)  # a newer paperdeck wrote it
    git(a.parent, "commit", "-q", "-am", "newer schema")
    git(a.parent, "push", "-q")
    edit(b, pid, lambda n: n.with_tags(add=["y"]).with_note("b\n"))
    report = sync(b)
    assert report.unresolved == [path] and not report.ok
    assert "schema = 2" in (b / "notes" / f"{pid}.toml").read_text()
    again = sync(b)  # nothing changed: still waiting for a person
    assert again.unresolved == [path] and not again.pushed
    # a person settles the file by hand; the next sync finishes the rebase and pushes
    fixed = Annotation(pid, tags=("x", "y"), note="b\n")
    edit_by_hand = b / "notes" / f"{pid}.toml"
    edit_by_hand.write_text(dumps_annotation(fixed))
    last = sync(b)
    assert last.ok and last.pushed, last.lines()
    assert git(b.parent, "status", "--porcelain") == ""
    assert sync(a).changed_papers == [pid]
    assert notes(a, pid).tags == ("x", "y")


@pytest.fixture
def project_with_sample(tmp_path: Path) -> Path:
    """paperdeck's own layout: a repository whose subfolder `sample_corpus/` holds the tracked
    paper files, its notes ignored, and no notes merge driver anywhere."""
    project = tmp_path / "project"
    git(tmp_path, "init", "-q", "-b", "main", str(project))
    identify(project)
    (project / "README.md").write_text("a project that ships a sample corpus\n")
    (project / ".gitignore").write_text("sample_corpus/notes/\n.paperdeck/\n")
    shutil.copytree(SAMPLE, project / "sample_corpus", ignore=shutil.ignore_patterns(".*", "notes"))
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "project")
    return project / "sample_corpus"


def check(corpus: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(corpus)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout.splitlines()


def test_a_corpus_inside_a_repository_but_never_synced_checks_clean(
    project_with_sample: Path,
) -> None:
    corpus = project_with_sample
    assert driver_configured(corpus) is False  # in git, no driver: yet nothing to warn about
    assert check(corpus) == (0, [])
    Library.open(corpus).star(Corpus.load(corpus).papers[0].id)  # notes now exist, untracked
    assert (corpus / "notes").is_dir()
    assert check(corpus) == (0, [])


def test_tracked_notes_without_the_driver_are_a_problem(project_with_sample: Path) -> None:
    corpus = project_with_sample
    Library.open(corpus).star(Corpus.load(corpus).papers[0].id)
    git(corpus, "add", "-f", "notes")
    git(corpus, "commit", "-q", "-m", "my notes")
    status, lines = check(corpus)
    assert status == 1
    assert len(lines) == 1 and lines[0].startswith(".gitattributes: ")
    assert "merge driver is not set up" in lines[0] and "paperdeck git-setup" in lines[0]
    git_setup(corpus)
    assert check(corpus) == (0, [])


def test_a_notes_rule_or_a_broken_setup_without_the_driver_is_a_problem(
    project_with_sample: Path,
) -> None:
    corpus = project_with_sample
    (corpus / ".gitattributes").write_text("notes/*.toml merge=union\n")
    assert check(corpus)[0] == 1
    (corpus / ".gitattributes").unlink()
    git_setup(corpus)
    assert check(corpus) == (0, [])
    git(corpus, "config", "merge.paperdeck.driver", "/gone/python -m paperdeck.mergedriver")
    assert check(corpus)[0] == 1


def test_git_setup_is_idempotent_and_replaces_union(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    corpus = tmp_path / "sub" / "corpus"
    corpus.mkdir(parents=True)
    (corpus / ".gitattributes").write_text("*.txt text\nnotes/*.toml merge=union\n")
    assert driver_configured(corpus) is False
    done = git_setup(corpus)
    assert len(done) == 4
    assert (corpus / ".gitattributes").read_text() == f"*.txt text\n{ATTRIBUTES_LINE}\n"
    assert git_setup(corpus) == []
    assert driver_configured(corpus) is True
    driver = git(tmp_path, "config", "merge.paperdeck.driver").strip()
    assert driver.endswith("-m paperdeck.mergedriver %O %A %B %P")
    assert sys.executable in driver


def test_cli_commands(clones, paper_ids, tmp_path: Path) -> None:
    a, _ = clones
    runner = CliRunner()
    result = runner.invoke(git_setup_command, [str(a)])
    assert result.exit_code == 0 and "already set up" in result.output
    edit(a, paper_ids[0], lambda n: n.with_tags(add=["x"]))
    result = runner.invoke(sync_command, [str(a), "--mode", "merge"])
    assert result.exit_code == 0, result.output
    assert "committed: paperdeck: 1 tagged" in result.output
    assert runner.invoke(sync_command, [str(a), "--mode", "squash"]).exit_code == 2
    assert runner.invoke(sync_command, [str(tmp_path / "nowhere")]).exit_code == 2
    outside = tmp_path / "outside"
    outside.mkdir()
    result = runner.invoke(sync_command, [str(outside)])
    assert result.exit_code == 1 and "not inside a git repository" in result.output
    result = runner.invoke(git_setup_command, [str(outside)])  # a path problem: what to do
    assert result.exit_code == 2 and "run `git init` there" in result.output
    sides = [tmp_path / name for name in ("base", "ours", "theirs")]
    for side, tags in zip(sides, [(), ("p",), ("q",)], strict=True):
        side.write_text(dumps_annotation(Annotation(paper_ids[0], tags=tags)))
    result = runner.invoke(merge_notes_command, [*map(str, sides), f"notes/{paper_ids[0]}.toml"])
    assert result.exit_code == 0
    assert '"p",\n    "q",' in sides[1].read_text()


@pytest.mark.parametrize("mode", MODES)
def test_uncommitted_other_files_neither_block_nor_get_committed(clones, paper_ids, mode) -> None:
    a, b = clones
    edit(a, paper_ids[0], lambda n: n.with_tags(add=["x"]))
    assert sync(a, mode).pushed
    readme = b.parent / "README.md"
    readme.write_text("my own unfinished edit\n")
    git(b.parent, "add", "README.md")  # even staged, it is not paperdeck's to commit
    edit(b, paper_ids[0], lambda n: n.with_tags(add=["y"]))
    report = sync(b, mode)
    assert report.ok and report.pushed, report.lines()
    assert readme.read_text() == "my own unfinished edit\n"
    seed = git(b.parent, "rev-list", "--max-parents=0", "HEAD").strip()
    assert "README.md" not in git(b.parent, "log", "--name-only", "--format=", f"{seed}..HEAD")
    assert notes(b, paper_ids[0]).tags == ("x", "y")


@pytest.mark.parametrize("mode", MODES)
def test_file_deleted_on_one_side_changed_on_the_other_is_kept(clones, paper_ids, mode) -> None:
    a, b = clones
    pid = paper_ids[0]
    edit(a, pid, lambda n: n.with_tags(add=["x"]))
    sync_all(a, b, mode)
    (a / "notes" / f"{pid}.toml").unlink()
    edit(b, pid, lambda n: n.with_note("still needed\n"))
    first, _, _ = sync_all(a, b, mode)
    assert first.committed == "paperdeck: 1 removed"
    for corpus in clones:
        assert notes(corpus, pid).note == "still needed\n"


# --- a notes file the driver could not read: a person picks a version --------------------------


def _stop_on_unreadable_version(a: Path, b: Path, pid: str, mode: str) -> None:
    """A commits a newer-schema file (unreadable here), B tags and notes: B's sync stops."""
    edit(a, pid, lambda n: n.with_tags(add=["x"]))
    sync_all(a, b, mode)
    file_a = a / "notes" / f"{pid}.toml"
    file_a.write_text(file_a.read_text().replace("schema = 1", "schema = 2"))
    git(a.parent, "commit", "-q", "-am", "newer schema")
    git(a.parent, "push", "-q")
    edit(b, pid, lambda n: n.with_tags(add=["y"]).with_note("from b\n"))
    report = sync(b, mode)
    assert report.unresolved_papers == [pid] and not report.ok
    assert report.clashes == []  # markers in the file, not a note clash: listed once
    assert any("press c" in line for line in report.lines())


@pytest.mark.parametrize("mode", MODES)
def test_unreadable_version_sides_are_labelled_by_machine(clones, paper_ids, mode) -> None:
    from paperdeck.library import Library

    a, b = clones
    pid = paper_ids[0]
    _stop_on_unreadable_version(a, b, pid, mode)
    library = Library.open(b, with_index=False)
    assert library.read_only_reason(pid) is not None
    [conflict] = library.file_clashes()
    assert conflict.paper_id == pid and conflict.relative == f"notes/{pid}.toml"
    # whatever git calls ours/theirs in this mode, "mine" is B's own version
    assert conflict.mine.annotation is not None
    assert conflict.mine.annotation.tags == ("x", "y")
    assert conflict.mine.annotation.note == "from b\n"
    assert conflict.theirs.annotation is None and "schema" in (conflict.theirs.error or "")
    assert "schema = 2" in conflict.theirs.text
    assert conflict.current is not None and b"schema = 2" in conflict.current  # git's line merge
    assert not conflict.can_merge_both
    with pytest.raises(ValueError, match="cannot be read"):
        conflict.resolution("theirs")
    with pytest.raises(ValueError, match="cannot merge both"):
        conflict.resolution("both")
    report, changed = library.resolve_file_clash(conflict, "mine", mode=mode)
    assert report.ok and report.pushed, report.lines()
    assert pid in changed and library.read_only_reason(pid) is None
    assert library.annotation(pid).tags == ("x", "y")
    assert library.file_clashes() == []
    assert git(b.parent, "status", "--porcelain") == ""
    sync(a, mode)
    assert notes(a, pid).note == "from b\n"


@pytest.mark.parametrize("mode", MODES)
def test_both_versions_merge_when_only_the_base_is_unreadable(clones, paper_ids, mode) -> None:
    from paperdeck.library import Library

    a, b = clones
    pid = paper_ids[1]
    broken = a / "notes" / f"{pid}.toml"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text('schema = 1\nid = "unterminated\n')  # committed by hand, by mistake
    git(a.parent, "add", "-A")
    git(a.parent, "commit", "-q", "-m", "broken notes")
    git(a.parent, "push", "-q")
    sync(b, mode)
    for corpus, tag, star in ((a, "x", True), (b, "y", False)):
        (corpus / "notes" / f"{pid}.toml").write_text(
            dumps_annotation(Annotation(pid, starred=star, starred_at=T0, tags=(tag,)))
        )
    assert sync(a, mode).pushed
    assert sync(b, mode).unresolved_papers == [pid]
    library = Library.open(b, with_index=True)
    [conflict] = library.file_clashes()
    assert conflict.base is None and conflict.can_merge_both
    # a stale view never clobbers: the file changed after the conflict was read
    stale = conflict.path.read_bytes()
    conflict.path.write_bytes(stale + b"\n# a hand edit meanwhile\n")
    with pytest.raises(ValueError, match="changed on disk"):
        library.resolve_file_clash(conflict, "both", mode=mode)
    [conflict] = library.file_clashes()
    report, _ = library.resolve_file_clash(conflict, "both", mode=mode)
    assert report.ok and report.pushed, report.lines()
    assert library.annotation(pid).tags == ("x", "y")
    assert [h.paper_id for h in library.search("tag:y").hits] == [pid]
    sync(a, mode)
    assert notes(a, pid).tags == ("x", "y")


def test_edited_file_text_resolves_and_invalid_text_is_refused(clones, paper_ids) -> None:
    from paperdeck.library import Library
    from paperdeck.notes.toml_format import NotesFileError

    a, b = clones
    pid = paper_ids[0]
    _stop_on_unreadable_version(a, b, pid, "rebase")
    library = Library.open(b, with_index=False)
    [conflict] = library.file_clashes()
    with pytest.raises(NotesFileError):
        library.resolve_file_clash(conflict, text=conflict.theirs.text)  # schema 2
    assert conflict.path.read_bytes() == conflict.current  # nothing was written
    edited = dumps_annotation(Annotation(pid, tags=("by-hand",), note="merged by me\n"))
    report, _ = library.resolve_file_clash(conflict, text=edited)
    assert report.ok and report.pushed, report.lines()
    sync(a)
    assert notes(a, pid).tags == ("by-hand",)


def test_fresh_clone_on_a_branch_the_remote_lacks_does_not_fork_history(
    tmp_path: Path, paper_ids
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "master", str(remote))  # HEAD names master
    seed = tmp_path / "seed"
    git(tmp_path, "init", "-q", "-b", "main", str(seed))
    identify(seed)
    shutil.copy(SAMPLE / SEED_FILE, seed / SEED_FILE)
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "corpus")
    git(seed, "remote", "add", "origin", str(remote))
    git(seed, "push", "-q", "origin", "main")  # the only branch is main
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))  # unborn master, nothing checked out
    identify(clone)
    shutil.copy(SAMPLE / SEED_FILE, clone / SEED_FILE)
    edit(clone, paper_ids[0], lambda n: n.with_tags(add=["x"]))
    report = sync(clone)
    assert not report.committed and not report.pushed
    assert any("git switch main" in problem for problem in report.problems), report.lines()
    assert git(remote, "branch", "--list").split() == ["main"]


def test_cli_resolve_shows_both_versions_then_keeps_one(clones, paper_ids) -> None:
    from paperdeck.cli.sync import resolve_command

    a, b = clones
    pid = paper_ids[0]
    runner = CliRunner()
    assert "nothing to resolve" in runner.invoke(resolve_command, ["--corpus", str(b)]).output
    _stop_on_unreadable_version(a, b, pid, "rebase")
    shown = runner.invoke(resolve_command, ["--corpus", str(b)])
    assert shown.exit_code == 0, shown.output
    assert "--- mine (this machine): readable" in shown.output
    assert "--- theirs (the other machine): cannot be used" in shown.output
    assert "schema = 2" in shown.output
    refused = runner.invoke(resolve_command, [pid[:12], "--corpus", str(b), "--keep", "theirs"])
    assert refused.exit_code == 1 and "cannot be read" in refused.output
    assert runner.invoke(resolve_command, ["zzz", "--corpus", str(b)]).exit_code == 2
    done = runner.invoke(resolve_command, [pid[:12], "--corpus", str(b), "--keep", "mine"])
    assert done.exit_code == 0, done.output
    assert f"wrote notes/{pid}.toml (mine)" in done.output and "pushed" in done.output
    sync(a)
    assert notes(a, pid).tags == ("x", "y")


def test_the_cli_sync_goes_through_the_library(tmp_path: Path, monkeypatch) -> None:
    """One path for every face: the CLI's sync is `Library.sync` (its guards, its reloads)."""
    seen: list[tuple[Path, str]] = []

    def fake_sync(self: Library, mode: str = "rebase") -> tuple[SyncReport, list[str]]:
        seen.append((self.root, mode))
        report = SyncReport(mode)
        report.problems.append("could not reach the moon")
        return report, []

    monkeypatch.setattr(Library, "sync", fake_sync)
    shutil.copy(SAMPLE / SEED_FILE, tmp_path / SEED_FILE)
    result = CliRunner().invoke(sync_command, [str(tmp_path), "--mode", "merge"])
    assert seen == [(tmp_path.resolve(), "merge")]
    assert "could not reach the moon" in result.stderr and result.exit_code == 1


def test_the_cli_never_syncs_the_bundled_sample(monkeypatch) -> None:
    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError("ran git on paperdeck's own repository")

    monkeypatch.setattr("paperdeck.library.syncing.sync", no_git)
    result = CliRunner().invoke(sync_command, [str(bundled_sample_corpus())])
    assert result.exit_code == 1
    assert "this is the bundled sample corpus" in result.stderr
