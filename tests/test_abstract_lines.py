"""One-abstract-per-line files whose abstracts were broken over several lines (a stray newline,
an editor that hard-wraps): never several papers silently."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.corpus import formats
from paperdeck.corpus.corpus import Corpus

F000 = "000_1baa1a46657d523b.txt"  # nine abstracts, one per line


def lines_of(sample_corpus: Path) -> list[str]:
    return (sample_corpus / F000).read_text(encoding="utf-8").split("\n")


def break_before(line: str, word: str) -> list[str]:
    """`line` broken in two just before the first whole `word`."""
    match = re.search(rf" (?={re.escape(word)}\b)", line)
    assert match is not None, word
    return [line[: match.start()], line[match.end() :]]


def test_the_sample_corpus_reads_as_before_without_problems(sample_corpus: Path) -> None:
    corpus = Corpus.load(sample_corpus, use_cache=False)
    assert len(corpus) == 187 and corpus.problems == []


def test_a_broken_abstract_is_joined_back_and_reported(corpus_copy: Path) -> None:
    reference = Corpus.load(corpus_copy, use_cache=False)
    lines = lines_of(corpus_copy)
    # line 3: "... in scaling language models. However, ..." broken before "models"
    broken = lines[:2] + break_before(lines[2], "models") + lines[3:]
    (corpus_copy / F000).write_text("\n".join(broken), encoding="utf-8")
    corpus = Corpus.load(corpus_copy, use_cache=False)
    assert corpus.ids == reference.ids  # the same papers, the same IDs
    assert [p.abstract for p in corpus] == [p.abstract for p in reference]
    [problem] = corpus.problems
    assert (problem.path, problem.line) == (F000, 4)
    assert "joined to the abstract on line 3" in problem.message
    # Papers after it keep their sources' first lines, shifted by the extra line.
    moved = next(p for p in corpus if p.abstract.startswith("The Stable Diffusion model"))
    assert [(s.path, s.line) for s in moved.sources if s.path == F000] == [(F000, 5)]
    result = CliRunner().invoke(main, ["check", str(corpus_copy)])
    assert result.exit_code == 1
    assert f"{F000}:4" in result.output and "joined" in result.output


def test_a_hard_wrapped_abstract_over_several_lines(sample_corpus: Path) -> None:
    lines = lines_of(sample_corpus)
    abstract = lines[1]  # "Diffusion model, a new generative modelling paradigm, ..."
    wrapped: list[str] = []
    rest = abstract
    while len(rest) > 200:  # wrap at a space before a lower-case word, as an editor would
        cut = next(m.start() for m in re.finditer(r" (?=[a-z])", rest) if m.start() > 150)
        wrapped.append(rest[:cut])
        rest = rest[cut + 1 :]
    wrapped.append(rest)
    assert len(wrapped) >= 4
    text = "\n".join([lines[0], *wrapped, *lines[2:]])
    fmt, entries, problems = formats.parse(text, F000)
    _fmt, expected, _none = formats.parse("\n".join(lines), F000)
    assert fmt is formats.Format.ABSTRACT_PER_LINE
    assert [(e.abstract, e.source.line) for e in entries[:2]] == [
        (expected[0].abstract, 1),
        (expected[1].abstract, 2),
    ]
    assert [e.abstract for e in entries] == [e.abstract for e in expected]
    assert [p.line for p in problems] == list(range(3, 2 + len(wrapped)))


def test_a_hyphen_at_the_break_is_kept_in_one_word(sample_corpus: Path) -> None:
    lines = lines_of(sample_corpus)
    head, tail = lines[0].split("text-to-image", 1)
    text = "\n".join([head + "text-", "to-image" + tail, *lines[1:]])
    _fmt, entries, problems = formats.parse(text, F000)
    assert entries[0].abstract == lines[0]
    assert [p.line for p in problems] == [2]


def test_a_break_before_a_capital_is_reported_not_joined(sample_corpus: Path) -> None:
    """`... like` / `CLIP, it becomes ...`: maybe a new abstract; read apart, and said so."""
    lines = lines_of(sample_corpus)
    parts = break_before(lines[8], "CLIP")
    text = "\n".join([*lines[:8], *parts])
    _fmt, entries, problems = formats.parse(text, F000)
    assert [e.abstract for e in entries[8:]] == parts
    [problem] = problems
    assert problem.line == 10 and "line 9 ends mid-sentence" in problem.message
    assert problem.hint and "join it to line 9" in problem.hint


def test_a_lower_case_line_after_a_full_stop_is_reported_not_joined(sample_corpus: Path) -> None:
    lines = lines_of(sample_corpus)
    lower = "iterative " + lines[3][0].lower() + lines[3][1:]
    text = "\n".join([*lines[:3], lower, *lines[4:]])
    _fmt, entries, problems = formats.parse(text, F000)
    assert len(entries) == 9 and entries[3].abstract == lower
    [problem] = problems
    assert problem.line == 4 and "starts lower-case" in problem.message


def test_a_blank_line_separates_even_a_lower_case_start(sample_corpus: Path) -> None:
    lines = lines_of(sample_corpus)
    head, tail = break_before(lines[4], "making")
    text = "\n".join([*lines[:4], head, "", tail, *lines[5:]])
    _fmt, entries, problems = formats.parse(text, F000)
    assert [e.abstract for e in entries[4:6]] == [head, tail]
    assert problems == []  # a blank line is the writer saying "two papers"
