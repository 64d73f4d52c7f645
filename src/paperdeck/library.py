"""The one object every face (CLI, TUI) talks to: a corpus folder and everything paperdeck knows of it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from paperdeck.corpus import Corpus
from paperdeck.paper import Paper

CORPUS_ENV = "PAPERDECK_CORPUS"


def bundled_sample_corpus() -> Path:
    """The sample corpus shipped in the wheel, or the repository's copy in a development install."""
    packaged = Path(str(resources.files("paperdeck"))) / "sample_corpus"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "sample_corpus"


def resolve_corpus_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The corpus argument, else `$PAPERDECK_CORPUS`, else the bundled sample corpus."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CORPUS_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return bundled_sample_corpus()


@dataclass
class Library:
    """A corpus folder opened for reading papers; later issues hang notes and search off it."""

    root: Path
    corpus: Corpus

    @classmethod
    def open(cls, root: str | os.PathLike[str] | None = None) -> Library:
        path = resolve_corpus_path(root)
        return cls(path, Corpus.load(path))

    @property
    def papers(self) -> list[Paper]:
        return self.corpus.papers

    def resolve(self, prefix: str) -> Paper:
        return self.corpus.resolve(prefix)
