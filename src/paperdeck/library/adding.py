"""Bringing papers into the corpus: `import` copies files in, `fetch` downloads them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from paperdeck.fetching import ARXIV_DELAY, fetch_arxiv, fetch_hf
from paperdeck.importing import ImportReport, import_files
from paperdeck.library.core import LibraryCore, keep_noted_ids


class Adding(LibraryCore):
    """Bringing papers in: files copied into the corpus, downloads from arXiv and Hugging Face."""

    def import_files(self, files: Sequence[Path]) -> list[ImportReport]:
        """Copy files into the corpus (never overwriting) and say what each one brought."""
        reports, corpus = import_files(self.root, self.corpus, files)
        self.corpus = keep_noted_ids(corpus, self.notes)
        return reports

    def fetch_arxiv(
        self,
        query: str | None = None,
        ids: tuple[str, ...] = (),
        since: date | None = None,
        *,
        limit: int = 100,
        delay: float = ARXIV_DELAY,
    ) -> list[ImportReport]:
        """Download arXiv API results into the corpus (raises `FetchError`)."""
        reports, corpus = fetch_arxiv(
            self.root, self.corpus, query=query, ids=ids, since=since, limit=limit, delay=delay
        )
        self.corpus = keep_noted_ids(corpus, self.notes)
        return reports

    def fetch_hf(self, day: date | None = None, *, wait: float = 1.0) -> list[ImportReport]:
        """Download one day's Hugging Face daily papers into the corpus (raises `FetchError`)."""
        reports, corpus = fetch_hf(self.root, self.corpus, day, wait=wait)
        self.corpus = keep_noted_ids(corpus, self.notes)
        return reports
