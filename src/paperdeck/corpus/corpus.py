"""Reading a corpus folder into papers: walking it safely, decoding, and merging duplicates.

Duplicate rule (also in the README): copies with the same identity key (normalised title, or
normalised abstract for untitled papers) are one paper. Its fields come from the *richest* copy:
the one with the most precise date (a year beats no year beats none), then an author count, then
the first in source order (path, then line). A field that copy lacks is taken from the next copy,
in the same order, that has it. Comment (and upvote) counts are the largest of any copy (counts
only grow); links are the union; sources list every copy, sorted by path and line.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from paperdeck.corpus import formats
from paperdeck.corpus.cache import (
    CorpusCache,
    EntryRow,
    FileEntries,
    FreshFile,
    PaperRow,
    PaperStore,
    PendingSave,
    ProblemRow,
    bytes_digest,
    file_stat,
    is_racy,
    signature,
)
from paperdeck.corpus.formats import derive_title
from paperdeck.corpus.identity import id_for_key, identity_key
from paperdeck.corpus.paper import Entry, Paper, PaperDate, Source
from paperdeck.problems import Problem

NOTES_DIR = "notes"  # at the corpus root; written by paperdeck, never read as papers
MAX_FILE_BYTES = 64 * 1024 * 1024
MADE_MAX = 4096  # papers kept made from the cache (a screenful is ~50)
_SNIFF_BYTES = 8192


class PaperNotFound(LookupError):
    def __init__(self, prefix: str, candidates: list[Paper] | None = None) -> None:
        self.prefix = prefix
        self.candidates = candidates or []
        if self.candidates:
            lines = "\n".join(f"  {p.id}  {p.title}" for p in self.candidates[:20])
            more = len(self.candidates) - 20
            extra = f"\n  ... and {more} more" if more > 0 else ""
            text = f"{prefix!r} is ambiguous; it matches:\n{lines}{extra}"
        else:
            text = f"no paper has an ID starting with {prefix!r}"
        super().__init__(text)

    def __str__(self) -> str:
        return str(self.args[0])


class Corpus:
    """The papers of one corpus folder, and every problem met while reading it.

    Papers read from the cache (`paperdeck.corpus.cache`) are kept as rows and become `Paper`
    objects only when asked for (`get`, `papers`), with their abstracts read from the cache's
    memory-mapped file then: listing 100,000 papers needs their IDs, not their abstracts.
    """

    def __init__(
        self,
        root: Path,
        papers: list[Paper] | None = None,
        problems: list[Problem] | None = None,
        *,
        ids: list[str] | None = None,
        store: PaperStore | None = None,
        digests: list[str] | None = None,
    ) -> None:
        self.root = root
        self.problems = problems if problems is not None else []
        self._papers = papers
        self._store = store
        self._digests = digests
        if papers is not None:
            self.ids = [paper.id for paper in papers]
            self._made: dict[str, Paper] = {paper.id: paper for paper in papers}
        else:
            assert ids is not None and store is not None
            self.ids = ids
            self._made = {}
        self._position = {paper_id: n for n, paper_id in enumerate(self.ids)}
        self._sorted_ids: list[str] | None = None
        self._pending: PendingSave | None = None  # see `save_settled`

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._position

    @property
    def papers(self) -> list[Paper]:
        """Every paper, in corpus order (made from the cache's rows on first use)."""
        if self._papers is None:
            papers = [self._make(n) for n in range(len(self.ids))]
            self._made = {paper.id: paper for paper in papers}
            self._papers = papers
        return self._papers

    def get(self, paper_id: str) -> Paper | None:
        paper = self._made.get(paper_id)
        if paper is not None:
            return paper
        number = self._position.get(paper_id)
        return None if number is None else self._make(number)

    def _make(self, number: int) -> Paper:
        paper_id = self.ids[number]
        paper = self._made.get(paper_id)
        if paper is None:
            assert self._store is not None
            paper = paper_from_row(self._store.row(number), self._store.abstract(number))
            if len(self._made) >= MADE_MAX and self._papers is None:
                self._made.clear()  # scrolling through 100k papers must not keep them all
            self._made[paper_id] = paper
        return paper

    def brief(
        self, paper_id: str
    ) -> tuple[str, tuple[int | None, int, int] | None, int, int | None]:
        """Title, (year, month, day), comments and upvotes, without making the Paper (sorting)."""
        number = self._position[paper_id]
        if self._store is not None:
            row = self._store.row(number)
            return row[1], row[5], row[6], row[7]
        return self._made[paper_id].brief()

    def digest(self, paper_id: str) -> str:
        """A hash of everything the corpus says about one paper (changes when any field does)."""
        if self._store is not None:
            return self._store.digest(self._position[paper_id])
        if self._digests is None:
            self._digests = [content_digest(paper) for paper in self.papers]
        return self._digests[self._position[paper_id]]

    def resolve(self, prefix: str) -> Paper:
        """The paper whose ID is `prefix` or starts with it (like git's short hashes)."""
        prefix = prefix.strip().lower()
        exact = self.get(prefix)
        if exact is not None:
            return exact
        if self._sorted_ids is None:
            self._sorted_ids = sorted(self.ids)
        start = bisect.bisect_left(self._sorted_ids, prefix)
        matches: list[Paper] = []
        for candidate in self._sorted_ids[start:]:
            if not candidate.startswith(prefix):
                break
            matches.append(self._make(self._position[candidate]))
        if len(matches) == 1 and prefix:
            return matches[0]
        raise PaperNotFound(prefix, matches if prefix else [])

    def save_settled(self) -> None:
        """Cache the files that had changed too recently to cache when read, if they settled.

        Called at the end of a run (after the index build, on close): without it, a corpus
        written just before `paperdeck index` would be parsed again by the next command.
        """
        pending = self._pending
        if pending is not None and pending.settle():
            self._pending = None

    @classmethod
    def load(cls, root: str | os.PathLike[str], *, use_cache: bool = True) -> Corpus:
        """Read a corpus folder; unchanged files come from the cache (see corpus_cache)."""
        root_path = Path(root).expanduser()
        if not root_path.is_dir():
            raise NotADirectoryError(f"corpus folder {str(root_path)!r} does not exist")
        walk_problems: list[Problem] = []
        files = sorted(walk_corpus(root_path, walk_problems))
        stats = {relative: file_stat(absolute) for relative, absolute in files}
        cache = CorpusCache(root_path) if use_cache else None
        expected = signature(stats)
        if cache is not None:
            found = cache.snapshot(expected)
            if found is not None:
                ids, store, file_problems = found
                problems = walk_problems + [Problem(*p) for p in file_problems]
                return cls(root_path, problems=problems, ids=ids, store=store)
        cached = cache.entries() if cache is not None else {}
        now = time.time_ns()
        entry_rows: list[EntryRow] = []
        file_problems: list[ProblemRow] = []
        keep: dict[str, FileEntries] = {}
        fresh: dict[str, FreshFile] = {}  # cached only once they settle (`save_settled`)
        racy = False
        read_digests: dict[str, str] = {}
        for relative, absolute in files:
            stat = stats[relative]
            racy_here = is_racy(stat, now)
            hit = cached.get(relative)
            if hit is not None and stat is not None and tuple(hit[0]) == stat:
                rows_here, problems_here = hit[1], hit[2]
            else:
                into = read_digests if racy_here else None
                entries, found_problems = read_file(absolute, relative, digests=into)
                rows_here = [entry_row(entry) for entry in entries]
                problems_here = [problem_row(problem) for problem in found_problems]
            if racy_here:
                racy = True
                if stat is not None:
                    digest = read_digests.get(relative)
                    fresh[relative] = (absolute, stat, digest, rows_here, problems_here)
            elif stat is not None:
                keep[relative] = (stat, rows_here, problems_here)
            entry_rows.extend((relative, *row) for row in rows_here)
            file_problems.extend(problems_here)
        papers = merge_rows(entry_rows)
        digests = [content_digest(paper) for paper in papers]
        problems = walk_problems + [Problem(*p) for p in file_problems]
        corpus = cls(root_path, papers, problems, digests=digests)
        if cache is not None:
            cache.save(None if racy else expected, *corpus._rows(), file_problems, keep)
            if fresh:
                # a file that could not even be stat'ed never settles: no snapshot then
                whole = None if None in stats.values() else expected
                corpus._pending = PendingSave(
                    cache, whole, corpus._rows, file_problems, keep, fresh
                )
        return corpus

    def _rows(self) -> tuple[list[PaperRow], list[str]]:
        """The cache's rows and abstracts of a corpus just read (not one from the snapshot)."""
        papers = self.papers
        digests = [self.digest(paper.id) for paper in papers]
        rows = [paper_row(paper, digest) for paper, digest in zip(papers, digests, strict=True)]
        return rows, [paper.abstract for paper in papers]


def walk_corpus(root: Path, problems: list[Problem]) -> Iterator[tuple[str, Path]]:
    """Every regular file below `root`, as (corpus-relative POSIX path, path).

    Hidden files and folders and paperdeck's own folders are skipped. Links to folders outside
    the corpus are followed; a link to a folder inside it (read anyway under its real name) or
    back to a folder being walked (a loop) is reported, not followed.
    """
    visited: set[tuple[int, int]] = set()  # the folders on the current path from the root
    real_root = root.resolve()

    def visit(folder: Path, relative: str) -> Iterator[tuple[str, Path]]:
        try:
            info = folder.stat()
        except OSError as error:
            problems.append(_os_problem(relative or ".", error))
            return
        key = (info.st_dev, info.st_ino)
        if key in visited:
            problems.append(
                Problem(
                    relative,
                    None,
                    "symlink loop: this folder is already being read; not followed",
                    "remove the link or point it outside the corpus",
                )
            )
            return
        visited.add(key)
        try:
            with os.scandir(folder) as scan:
                children = sorted(scan, key=lambda item: item.name)
        except OSError as error:
            problems.append(_os_problem(relative or ".", error))
            return
        for child in children:
            name = child.name
            child_relative = f"{relative}/{name}" if relative else name
            if name.startswith(".") or (not relative and name == NOTES_DIR):
                continue
            try:
                mode = os.stat(child.path).st_mode
            except OSError as error:
                problems.append(_os_problem(child_relative, error))
                continue
            if stat.S_ISDIR(mode) and child.is_symlink() and _inside(real_root, child.path):
                target = os.stat(child.path)
                if (target.st_dev, target.st_ino) in visited:
                    message = "symlink loop: links back to a folder that contains it"
                else:
                    message = "link to a folder inside the corpus (read under its real path)"
                problems.append(
                    Problem(child_relative, None, f"{message}; not followed", "remove the link")
                )
            elif stat.S_ISDIR(mode):
                yield from visit(Path(child.path), child_relative)
            elif stat.S_ISREG(mode):
                yield child_relative, Path(child.path)
            else:
                problems.append(
                    Problem(
                        child_relative,
                        None,
                        "not a regular file (device, pipe or socket); skipped",
                        "keep only paper text files in the corpus",
                    )
                )
        visited.discard(key)

    yield from visit(root, "")


def _inside(real_root: Path, path: str) -> bool:
    try:
        Path(path).resolve().relative_to(real_root)
    except (OSError, ValueError):
        return False
    return True


def _os_problem(relative: str, error: OSError) -> Problem:
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        return Problem(relative, None, f"cannot be read: {reason}", "check its permissions")
    if error.errno == 40:  # ELOOP
        return Problem(relative, None, f"symlink loop: {reason}", "remove or fix the link")
    if isinstance(error, FileNotFoundError):
        return Problem(
            relative, None, f"broken symlink or vanished file: {reason}", "remove or fix the link"
        )
    return Problem(relative, None, f"cannot be read: {reason}")


def read_file(
    path: Path, relative: str, *, digests: dict[str, str] | None = None
) -> tuple[list[Entry], list[Problem]]:
    """Entries and problems of one corpus file; never raises.

    With `digests`, the SHA-1 of the bytes parsed goes there (see `Corpus.save_settled`).
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [
                Problem(
                    relative,
                    None,
                    f"{size:,} bytes is too large for a paper file; skipped",
                    f"split it into files under {MAX_FILE_BYTES // 2**20} MiB",
                )
            ]
        data = path.read_bytes()
    except OSError as error:
        return [], [_os_problem(relative, error)]
    if digests is not None:
        digests[relative] = bytes_digest(data)
    text, problems = decode(data, relative)
    if text is None:
        return [], problems
    _fmt, entries, parse_problems = formats.parse(text, relative)
    return entries, problems + parse_problems


def decode(data: bytes, relative: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text with universal newlines; bad bytes become U+FFFD and are reported by line."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _newlines(data.decode("utf-16")), []
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:_SNIFF_BYTES]:
        return None, [
            Problem(
                relative,
                None,
                "binary file (contains NUL bytes); skipped",
                "keep only paper text files in the corpus",
            )
        ]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return _newlines(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    bad_lines = []
    for number, raw in enumerate(_newlines_bytes(data).split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.append(number)
    shown = ", ".join(str(n) for n in bad_lines[:10])
    more = f" and {len(bad_lines) - 10} more" if len(bad_lines) > 10 else ""
    problem = Problem(
        relative,
        bad_lines[0] if bad_lines else None,
        f"bytes that are not UTF-8 on line(s) {shown}{more}; replaced with \ufffd",
        "re-save the file as UTF-8",
    )
    return _newlines(data.decode("utf-8", errors="replace")), [problem]


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _newlines_bytes(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _richness(entry: Entry) -> tuple[int, int]:
    date_rank = 0 if entry.date is None else (2 if entry.date.year_known else 1)
    return (date_rank, 1 if entry.author_count is not None else 0)


def merge_entries(entries: Iterable[Entry]) -> list[Paper]:
    """One paper per identity key, in order of first appearance; see the module docstring."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(identity_key(entry.title, entry.abstract), []).append(entry)
    return [_merge_group(key, group) for key, group in groups.items()]


def merge_rows(rows: Iterable[tuple[Any, ...]]) -> list[Paper]:
    """`merge_entries` for cached rows (path, *EntryRow): a paper found once needs no merging."""
    groups: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        groups.setdefault(row[1], []).append(row)
    papers = []
    for key, group in groups.items():
        if len(group) == 1:
            path, _key, title, abstract, line, authors, date, comments, upvotes, links = group[0]
            papers.append(
                Paper(
                    id=id_for_key(key),
                    title=title if title is not None else derive_title(abstract),
                    title_derived=title is None,
                    abstract=abstract,
                    sources=(Source(path, line),),
                    author_count=authors,
                    date=PaperDate(*date) if date else None,
                    comments=comments or 0,
                    upvotes=upvotes,
                    links=tuple(links),
                )
            )
        else:
            papers.append(_merge_group(key, [_entry(row) for row in group]))
    return papers


def _entry(row: tuple[Any, ...]) -> Entry:
    path, _key, title, abstract, line, authors, date, comments, upvotes, links = row
    return Entry(
        title,
        abstract,
        Source(path, line),
        authors,
        PaperDate(*date) if date else None,
        comments,
        tuple(links),
        upvotes,
    )


def entry_row(entry: Entry) -> EntryRow:
    date = entry.date
    return (
        identity_key(entry.title, entry.abstract),
        entry.title,
        entry.abstract,
        entry.source.line,
        entry.author_count,
        (date.year, date.month, date.day) if date else None,
        entry.comments,
        entry.upvotes,
        entry.links,
    )


def problem_row(problem: Problem) -> ProblemRow:
    return (problem.path, problem.line, problem.message, problem.hint)


def paper_row(paper: Paper, digest: str) -> PaperRow:
    date = paper.date
    return (
        paper.id,
        paper.title,
        paper.title_derived,
        tuple((source.path, source.line) for source in paper.sources),
        paper.author_count,
        (date.year, date.month, date.day) if date else None,
        paper.comments,
        paper.upvotes,
        paper.links,
        digest,
    )


def paper_from_row(row: PaperRow, abstract: str) -> Paper:
    paper_id, title, derived, sources, authors, date, comments, upvotes, links = row[:9]
    return Paper(
        id=paper_id,
        title=title,
        title_derived=derived,
        abstract=abstract,
        sources=tuple(Source(path, line) for path, line in sources),
        author_count=authors,
        date=PaperDate(*date) if date else None,
        comments=comments,
        upvotes=upvotes,
        links=tuple(links),
    )


def content_digest(paper: Paper) -> str:
    """A stable hash of every field of a paper (its row and its abstract)."""
    text = repr((paper_row(paper, ""), paper.abstract))
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _merge_group(key: str, group: list[Entry]) -> Paper:
    ordered = sorted(group, key=lambda e: (e.source.path, e.source.line))
    # Stable sort: copies of equal richness stay in source order.
    preference = sorted(ordered, key=_richness, reverse=True)
    richest = preference[0]

    def first(attribute: str) -> object:
        return next(
            (getattr(e, attribute) for e in preference if getattr(e, attribute) is not None),
            None,
        )

    links: list[str] = []
    for entry in preference:
        links.extend(link for link in entry.links if link not in links)
    title = richest.title
    return Paper(
        id=id_for_key(key),
        title=title if title is not None else derive_title(richest.abstract),
        title_derived=title is None,
        abstract=next((e.abstract for e in preference if e.abstract), richest.abstract),
        sources=tuple(e.source for e in ordered),
        author_count=first("author_count"),  # type: ignore[arg-type]
        date=first("date"),  # type: ignore[arg-type]
        comments=max((e.comments or 0) for e in ordered),
        upvotes=max((e.upvotes for e in ordered if e.upvotes is not None), default=None),
        links=tuple(links),
    )
