"""Cache versions come from the code itself: no list of file names to forget when a module moves,
splits or gains a parser (a stale cache would silently serve papers parsed by old code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.corpus import cache as corpus_cache
from paperdeck.derived import source_files, source_version
from paperdeck.notes import cache as notes_cache


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A small package shaped like paperdeck's corpus: a reader importing its parsers."""
    for folder in ("pkg", "pkg/corpus"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text('"""A package."""\n')
    (tmp_path / "pkg/corpus/reader.py").write_text(
        "import os\n"
        "from pkg.corpus import formats\n"
        "from pkg.corpus.paper import (\n    Paper,  # the record\n    Source,\n)\n"
        "from pkg.problems import Problem\n"
    )
    (tmp_path / "pkg/corpus/formats.py").write_text("def parse(text): return text\n")
    (tmp_path / "pkg/corpus/paper.py").write_text("class Paper: ...\nclass Source: ...\n")
    (tmp_path / "pkg/problems.py").write_text("class Problem: ...\n")
    (tmp_path / "pkg/unrelated.py").write_text("X = 1\n")
    return tmp_path


def version(root: Path) -> str:
    return source_version(["pkg.corpus.reader"], "format 1", root)


def test_every_imported_module_of_the_package_is_found(package: Path) -> None:
    assert set(source_files(["pkg.corpus.reader"], package)) == {
        "pkg",
        "pkg.corpus",
        "pkg.corpus.reader",
        "pkg.corpus.formats",
        "pkg.corpus.paper",
        "pkg.problems",
    }


def test_changing_an_imported_parser_changes_the_version(package: Path) -> None:
    before = version(package)
    (package / "pkg/corpus/paper.py").write_text("class Paper: ...\nclass Source: x = 1\n")
    assert version(package) != before


def test_a_parser_split_into_a_new_module_changes_the_version(package: Path) -> None:
    (package / "pkg/corpus/formats.py").write_text("from pkg.corpus.bibtex import parse\n")
    (package / "pkg/corpus/bibtex.py").write_text("def parse(text): return text\n")
    before = version(package)
    (package / "pkg/corpus/bibtex.py").write_text("def parse(text): return text.strip()\n")
    assert version(package) != before


def test_a_module_nothing_imports_does_not_change_it(package: Path) -> None:
    before = version(package)
    (package / "pkg/unrelated.py").write_text("X = 2\n")
    assert version(package) == before
    assert source_version(["pkg.corpus.reader"], "format 2", package) != before


def test_the_real_caches_cover_their_parsers() -> None:
    corpus = set(source_files(corpus_cache._CODE))
    assert {
        "paperdeck.corpus.corpus",
        "paperdeck.corpus.formats",
        "paperdeck.corpus.identity",
        "paperdeck.corpus.paper",
        "paperdeck.corpus.cache",
        "paperdeck.problems",
    } <= corpus
    assert not any(name.startswith(("paperdeck.search", "paperdeck.tui")) for name in corpus)
    notes = set(source_files(notes_cache._CODE))
    assert {"paperdeck.notes.annotation", "paperdeck.notes.toml_format"} <= notes
    assert corpus_cache.code_version() != notes_cache.code_version()
