"""Shared fixtures: the bundled sample corpus, read-only or as a private copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs a fixed set of examples (a landing must not hinge on luck); local runs explore new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "sample_corpus"


@pytest.fixture
def sample_corpus() -> Path:
    """The repository's sample corpus; do not write to it."""
    return SAMPLE_CORPUS


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the sample corpus's paper files that a test may change freely.

    Hidden folders and `notes/` (which paperdeck itself may have written) are left behind, and
    the copies are writable even though the repository's files are read-only.
    """
    target = tmp_path / "corpus"
    shutil.copytree(
        SAMPLE_CORPUS,
        target,
        ignore=shutil.ignore_patterns(".*", "notes"),
        copy_function=shutil.copyfile,  # contents only: not the read-only mode
    )
    return target
