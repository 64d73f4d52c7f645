"""Hostile corpus files: a damaged or adversarial line stays where it is and never shifts the
papers around it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.corpus import formats
from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.paper import Entry
from paperdeck.problems import Problem

PAGE = "004_672472eb05abb3ab.txt"  # a daily-papers page of the sample corpus
FLASH = "FlashSpeech: Efficient Zero-Shot Speech Synthesis"  # its second title, line 21
FIRST = "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping"  # line 13


def fields(entry: Entry) -> tuple[object, ...]:
    return (entry.title, entry.abstract, entry.source, entry.author_count, entry.date)


def page_lines(sample_corpus: Path) -> list[str]:
    return (sample_corpus / PAGE).read_text(encoding="utf-8").split("\n")


LONG_TITLES = {
    "one long word": "FlashSpeech" + "x" * 10_000,
    "many words": " ".join([FLASH] * 200),
    "one sentence": FLASH + ": " + "a very long subtitle and " * 400 + "more.",
    "lorem ipsum": "Lorem ipsum dolor sit amet. Consectetur adipiscing elit. " * 180,
}


@pytest.mark.parametrize("kind", sorted(LONG_TITLES))
@pytest.mark.parametrize("title_of", [FLASH, FIRST])
def test_a_10000_character_title_line_stays_a_title(
    sample_corpus: Path, kind: str, title_of: str
) -> None:
    lines = page_lines(sample_corpus)
    number = lines.index(title_of) + 1
    long_title = LONG_TITLES[kind].strip()
    assert len(long_title) >= 9_999
    hostile = list(lines)
    hostile[number - 1] = long_title
    _fmt, before, no_problems = formats.parse("\n".join(lines), PAGE)
    fmt, after, problems = formats.parse("\n".join(hostile), PAGE)
    assert no_problems == [] and fmt is formats.Format.DAILY_PAPERS
    # The same papers at the same lines; only the title of that one differs.
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        if old.source.line == number:
            assert new.title == long_title
            assert (new.abstract, new.author_count, new.date, new.comments) == (
                old.abstract,
                old.author_count,
                old.date,
                old.comments,
            )
        else:
            assert fields(new) == fields(old)
    [problem] = problems
    assert (problem.path, problem.line) == (PAGE, number)
    assert f"{len(long_title):,} characters" in problem.message and problem.hint


def test_a_long_title_after_a_paper_without_metadata(tmp_path: Path) -> None:
    """No metadata before it: the long title must not be read as a second abstract paragraph."""
    abstract = "We study a problem. We solve it with a method. It works well on benchmarks. " * 4
    long_title = "Scaling " + "very " * 2_000 + "large models"
    text = "\n\n".join(
        ["First Paper Title", abstract.strip(), long_title, abstract.strip(), "• 3 authors"]
    )
    _fmt, entries, problems = formats.parse(text + "\n", "page.txt")
    assert [e.title for e in entries] == ["First Paper Title", long_title]
    assert entries[1].author_count == 3 and entries[0].author_count is None
    assert [p.line for p in problems] == [5]


def test_a_long_title_reaches_every_face_as_a_title(corpus_copy: Path) -> None:
    """`paperdeck check` names the file and line; the papers around it keep their IDs."""
    page = corpus_copy / PAGE
    lines = page.read_text(encoding="utf-8").split("\n")
    number = lines.index(FLASH) + 1
    lines[number - 1] = " ".join([FLASH] * 200)
    reference = Corpus.load(corpus_copy, use_cache=False)
    page.write_text("\n".join(lines), encoding="utf-8")
    corpus = Corpus.load(corpus_copy, use_cache=False)
    assert len(corpus) == len(reference) == 187
    changed = set(reference.ids) ^ set(corpus.ids)
    assert len(changed) == 2  # the one paper whose title changed: old ID out, new ID in
    flash = next(p for p in corpus if p.title.startswith(FLASH))
    assert not flash.title_derived and flash.author_count == 13 and flash.comments == 4
    result = CliRunner().invoke(main, ["check", str(corpus_copy)])
    assert result.exit_code == 1
    assert f"{PAGE}:{number}" in result.output and "title line of" in result.output
    assert "Traceback" not in result.output


def test_a_file_name_with_a_newline_is_still_one_problem_line(tmp_path: Path) -> None:
    """`paperdeck check` prints one problem per line, whatever the file is called (review)."""
    problem = Problem("evil\nline.bib", 33, "the entry starting '@article{new4,' is not valid")
    assert "\n" not in str(problem) and str(problem).startswith("evil\u2424line.bib:33: ")
    assert problem.to_dict()["path"] == "evil\nline.bib"  # JSON keeps the real name
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil\nline.bib").write_text("@article{new4,\n  title = {Broken\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(corpus)])
    lines = [line for line in result.output.splitlines() if "line.bib" in line]
    assert lines and all(line.startswith("evil\u2424line.bib") for line in lines), result.output
