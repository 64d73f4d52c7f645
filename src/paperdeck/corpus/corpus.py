"""The papers of one corpus folder: loading them (from the cache when nothing changed, else
reading the files that did), and finding them by ID or prefix.

Reading files is `paperdeck.corpus.files`, merging the copies of one paper
`paperdeck.corpus.duplicates` (the duplicate rule), the cache `paperdeck.corpus.cache`.
"""

from __future__ import annotations

import bisect
import os
import re
import time
from collections.abc import Container, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from paperdeck.corpus.cache import (
    CorpusCache,
    EntryRow,
    FileEntries,
    FreshFile,
    PaperRow,
    PaperStore,
    PendingSave,
    ProblemRow,
    file_stat,
    is_racy,
    signature,
)
from paperdeck.corpus.duplicates import merge_rows
from paperdeck.corpus.files import NOTES_DIR as NOTES_DIR  # the notes store names it from here
from paperdeck.corpus.files import read_file, walk_corpus
from paperdeck.corpus.paper import Paper
from paperdeck.corpus.rows import content_digest, entry_row, paper_from_row, paper_row, problem_row
from paperdeck.problems import Problem

_FULL_ID = re.compile(r"-[0-9a-f]{8}$")
MADE_MAX = 4096  # papers kept made from the cache (a screenful is ~50)


def _renamed(paper: Paper, new_id: str) -> Paper:
    """`paper` under `new_id`, one of its aliases; its old ID becomes an alias."""
    aliases = tuple(sorted((set(paper.aliases) - {new_id}) | {paper.id}))
    return replace(paper, id=new_id, aliases=aliases)


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
        self._aliases: dict[str, str] | None = None  # alias -> ID, made on the first miss
        self._renamed: dict[int, str] = {}  # paper number -> the alias it took (`adopt_ids`)
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
            if number in self._renamed:
                paper = _renamed(paper, self._renamed[number])
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

    def source_paths(self, paper_id: str) -> tuple[str, ...]:
        """The corpus-relative files a paper was read from, without making the Paper."""
        number = self._position[paper_id]
        if self._store is not None and paper_id not in self._made:
            return tuple(path for path, _line in self._store.row(number)[3])
        return tuple(source.path for source in self._make(number).sources)

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
        if exact is None and _FULL_ID.search(prefix):
            exact = self.by_alias(prefix)  # only a whole ID can be an alias (no prefix scan)
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

    def by_alias(self, alias: str) -> Paper | None:
        """The paper that `alias` (an ID another copy's title would give) names, if any."""
        if self._aliases is None:
            aliases: dict[str, str] = {}
            for number, paper_id in enumerate(self.ids):
                if self._store is not None:
                    names = self._store.row(number)[13]
                else:
                    names = self._made[paper_id].aliases
                for name in names:
                    aliases.setdefault(name, paper_id)
            self._aliases = aliases
        target = self._aliases.get(alias)
        return None if target is None else self.get(target)

    def adopt_ids(self, ids_with_notes: Iterable[str], has_notes: Container[str]) -> list[str]:
        """Keep IDs stable for the notes: a paper whose own ID has no notes but one of whose
        aliases has (its copies were merged, and another copy now gives the ID) takes that
        alias as its ID. `ids_with_notes` are note IDs no paper has; returns those adopted."""
        adopted = []
        for old in ids_with_notes:
            paper = self.by_alias(old)
            if paper is None or paper.id in has_notes:
                continue  # notes under both: `paperdeck check` says to merge them by hand
            number = self._position.pop(paper.id)
            renamed = _renamed(paper, old)
            self.ids[number] = old
            self._position[old] = number
            self._renamed[number] = old
            self._made.pop(paper.id, None)
            self._made[old] = renamed
            if self._papers is not None:
                self._papers[number] = renamed
            assert self._aliases is not None  # made by `by_alias`
            self._aliases.pop(old, None)
            for alias, target in list(self._aliases.items()):
                if target == paper.id:  # its other aliases name it by its new ID now
                    self._aliases[alias] = old
            self._aliases[paper.id] = old
            self._sorted_ids = None
            adopted.append(old)
        return adopted

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
        """Read a corpus folder; unchanged files come from the cache (`paperdeck.corpus.cache`)."""
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
                ids, store, cached_problems = found
                problems = walk_problems + [Problem(*p) for p in cached_problems]
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
