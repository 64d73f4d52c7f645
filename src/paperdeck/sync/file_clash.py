"""Notes files git left conflicted because the merge driver could not read one side.

The merge driver (`paperdeck.mergedriver`) merges what each field means when all three versions
of a notes file parse. When one does not (a hand edit broke the TOML, a newer paperdeck wrote a
newer `schema`, markers from an earlier merge were committed) it falls back to a line merge and
git stops the sync with markers in the *file*. Then a person decides, seeing both whole versions
side by side: keep this machine's, keep the other machine's, merge both (when both parse), or
edit the file. This module finds such files and computes each choice; `NotesStore.replace_file`
writes the result and the next `sync` stages it and finishes the rebase or merge it started.

"This machine" and "the other machine" rather than git's "ours"/"theirs": during a rebase git
calls the upstream "ours" (stage 2) and your own commit "theirs" (stage 3); during a merge it
is the other way round. People should not have to know that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from paperdeck.notes.annotation import Annotation
from paperdeck.notes.merge3 import merge_annotations
from paperdeck.notes.toml_format import NotesFileError, dumps_annotation, load_bytes
from paperdeck.sync.repo import GitError, GitNotFound, NotARepository, Repo
from paperdeck.sync.run import notes_paper_id

CHOICES = ("mine", "theirs", "both")
MINE_LABEL, THEIRS_LABEL = "this machine", "the other machine"


@dataclass(frozen=True)
class FileSide:
    """One whole version of the file. `raw` None: the file was deleted on that side."""

    label: str
    raw: bytes | None
    annotation: Annotation | None
    error: str | None  # why this version cannot be read, None when it can

    @property
    def text(self) -> str:
        if self.raw is None:
            return ""
        return self.raw.decode("utf-8", "replace").replace("\r\n", "\n")

    @property
    def usable(self) -> bool:
        return self.annotation is not None


@dataclass(frozen=True)
class FileClash:
    """A notes file git lists as conflicted, with both versions and the file as it is now."""

    paper_id: str
    path: Path  # the file in the work tree
    relative: str  # notes/<id>.toml, relative to the corpus
    mine: FileSide
    theirs: FileSide
    base: Annotation | None  # the common version, when it parses
    current: bytes | None  # the work-tree file now (git's line merge with markers)

    @property
    def can_merge_both(self) -> bool:
        return self.mine.usable and self.theirs.usable

    def resolution(self, choice: str) -> bytes:
        """The file to write for `choice` ("mine", "theirs" or "both"). ValueError when that
        version cannot be read (writing it would leave the paper read-only again)."""
        if choice not in CHOICES:
            raise ValueError(f"choice must be one of {', '.join(CHOICES)}, not {choice!r}")
        if choice == "both":
            if not (self.mine.annotation and self.theirs.annotation):
                unreadable = self.mine if not self.mine.usable else self.theirs
                raise ValueError(
                    f"cannot merge both: {unreadable.label}'s version cannot be read "
                    f"({unreadable.error})"
                )
            merged, _clash = merge_annotations(
                self.base,
                self.mine.annotation,
                self.theirs.annotation,
                (MINE_LABEL, THEIRS_LABEL),
            )
            return dumps_annotation(merged).encode("utf-8")
        side = self.mine if choice == "mine" else self.theirs
        if side.annotation is None:
            raise ValueError(f"{side.label}'s version cannot be read ({side.error})")
        return dumps_annotation(side.annotation).encode("utf-8")


def _side(label: str, raw: bytes | None, relative: str, paper_id: str) -> FileSide:
    if raw is None:
        return FileSide(label, None, None, "the file was deleted on this side")
    try:
        return FileSide(label, raw, load_bytes(raw, f"{relative} ({label})", paper_id), None)
    except NotesFileError as error:
        return FileSide(label, raw, None, str(error))


def find_file_clashes(corpus: Path) -> list[FileClash]:
    """Every notes file of `corpus` git lists as conflicted (none outside a stopped sync)."""
    corpus = Path(corpus)
    try:
        repo = Repo(corpus)
        operation = repo.operation_in_progress()
        if operation is None:
            return []
        paths = []
        for top_relative in repo.unmerged():
            inside = repo.in_corpus(top_relative)
            paper_id = notes_paper_id(inside)
            if inside is not None and paper_id is not None:
                paths.append((top_relative, inside, paper_id))
        names = [f":{stage}:{top}" for top, _inside, _id in paths for stage in (1, 2, 3)]
        blobs = repo.read_blobs(names) if names else {}
    except (GitNotFound, NotARepository, GitError):
        return []
    # during a rebase stage 2 is the branch being rebased onto (the other machine's work)
    mine_stage, theirs_stage = (3, 2) if operation == "rebase" else (2, 3)
    found_clashes = []
    for top, inside, paper_id in paths:
        base_raw = blobs.get(f":1:{top}")
        base = None
        if base_raw:
            try:
                base = load_bytes(base_raw, inside, paper_id)
            except NotesFileError:
                base = None
        file = repo.top / top
        try:
            current = file.read_bytes()
        except OSError:
            current = None
        found_clashes.append(
            FileClash(
                paper_id=paper_id,
                path=file,
                relative=inside,
                mine=_side(MINE_LABEL, blobs.get(f":{mine_stage}:{top}"), inside, paper_id),
                theirs=_side(THEIRS_LABEL, blobs.get(f":{theirs_stage}:{top}"), inside, paper_id),
                base=base,
                current=current,
            )
        )
    return found_clashes
