"""Bad input never crashes the reader and is never skipped silently.

Each case builds a small corpus in tmp_path (often from a copy of a real seed file) and checks
the papers still read and the Problem reported: which file, and which line when one applies.
"""

from __future__ import annotations

import codecs
import os
import threading
from pathlib import Path

import pytest

from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.files import decode
from paperdeck.problems import Problem

F000 = "000_1baa1a46657d523b.txt"
F002 = "002_872f613ddb38270d.txt"
F004 = "004_672472eb05abb3ab.txt"

ABSTRACT_A = (
    "Diffusion models have demonstrated excellent potential for generating diverse images. "
    "However, their performance often suffers from slow generation due to iterative denoising. "
    "We propose a data-free distillation method that needs no training data at all."
)
ABSTRACT_B = (
    "Recent progress in large-scale zero-shot speech synthesis has been significantly advanced "
    "by language models and diffusion models. However, the generation process of both methods "
    "is slow and computationally intensive, which we address here."
)
CHROME = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nJul 9\n\n"


def load(root: Path) -> Corpus:
    return Corpus.load(root)


def problems_for(corpus: Corpus, path: str) -> list[Problem]:
    return [p for p in corpus.problems if p.path == path]


def signature(corpus: Corpus) -> list[tuple[str, str, str, int | None, str | None, int, tuple]]:
    """Everything about the papers except where they were read."""
    return [
        (
            p.id,
            p.title,
            p.abstract,
            p.author_count,
            p.date.iso() if p.date else None,
            p.comments,
            p.links,
        )
        for p in corpus
    ]


def one_file_corpus(tmp_path: Path, name: str, data: bytes) -> Path:
    root = tmp_path / "c"
    root.mkdir(parents=True)
    (root / name).write_bytes(data)
    return root


@pytest.fixture
def seed_bytes(sample_corpus: Path):
    def read(name: str) -> bytes:
        return (sample_corpus / name).read_bytes()

    return read


@pytest.fixture
def reference(tmp_path: Path, seed_bytes) -> Corpus:
    """Seed 004 alone, as shipped (UTF-8, LF)."""
    root = tmp_path / "reference"
    root.mkdir()
    (root / F004).write_bytes(seed_bytes(F004))
    return load(root)


# --- encodings ----------------------------------------------------------------------------------


def test_binary_file(tmp_path: Path) -> None:
    root = one_file_corpus(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    corpus = load(root)
    assert len(corpus) == 0
    [problem] = corpus.problems
    assert problem.path == "image.png"
    assert "binary" in problem.message


def test_binary_file_beside_good_files(corpus_copy: Path) -> None:
    (corpus_copy / "zz.bin").write_bytes(bytes(range(256)) * 100)
    corpus = load(corpus_copy)
    assert len(corpus) == 187
    [problem] = corpus.problems
    assert problem.path == "zz.bin"


def test_non_utf8_bytes_in_middle_of_daily_page(
    tmp_path: Path, seed_bytes, reference: Corpus
) -> None:
    lines = seed_bytes(F004).split(b"\n")
    # Line 23 is FlashSpeech's abstract; put a Latin-1 byte and a stray byte in its middle.
    assert lines[22].startswith(b"Recent progress in large-scale zero-shot speech synthesis")
    lines[22] = lines[22][:40] + b" caf\xe9 \xff " + lines[22][40:]
    root = one_file_corpus(tmp_path, F004, b"\n".join(lines))
    corpus = load(root)
    assert len(corpus) == len(reference) == 73
    [problem] = corpus.problems
    assert problem.path == F004
    assert problem.line == 23
    assert "UTF-8" in problem.message
    flash = next(p for p in corpus if p.title.startswith("FlashSpeech"))
    assert "\ufffd" in flash.abstract
    assert flash.author_count == 13 and flash.comments == 4
    # Every other paper is untouched.
    assert [s for s in signature(corpus) if not s[1].startswith("FlashSpeech")] == [
        s for s in signature(reference) if not s[1].startswith("FlashSpeech")
    ]


def test_non_utf8_lines_reported_after_crlf(tmp_path: Path) -> None:
    data = b"\r\n".join(
        [
            b"Title One",
            b"",
            ABSTRACT_A.encode(),
            b"",
            b"Title Two",
            b"",
            b"bad \x80 " + ABSTRACT_B.encode(),
        ]
    )
    corpus = load(one_file_corpus(tmp_path, "p.txt", data))
    assert len(corpus) == 2
    [problem] = corpus.problems
    assert (problem.path, problem.line) == ("p.txt", 7)


def test_utf8_bom_gives_same_papers(tmp_path: Path, seed_bytes, reference: Corpus) -> None:
    root = one_file_corpus(tmp_path, F004, codecs.BOM_UTF8 + seed_bytes(F004))
    corpus = load(root)
    assert signature(corpus) == signature(reference)
    assert all("\ufeff" not in p.title for p in corpus)


def test_utf8_bom_on_abstract_per_line(tmp_path: Path, seed_bytes, sample_corpus: Path) -> None:
    root = one_file_corpus(tmp_path, F000, codecs.BOM_UTF8 + seed_bytes(F000))
    ref = load(one_file_corpus(tmp_path / "r", F000, seed_bytes(F000)))
    corpus = load(root)
    assert signature(corpus) == signature(ref)
    assert corpus.papers[0].abstract.startswith("The recent progress")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file_with_bom(tmp_path: Path, seed_bytes, reference: Corpus, encoding) -> None:
    text = seed_bytes(F004).decode("utf-8")
    data = text.encode(encoding)
    if encoding != "utf-16":
        bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data
    corpus = load(one_file_corpus(tmp_path, F004, data))
    assert signature(corpus) == signature(reference)
    assert corpus.problems == []


def test_utf16_without_bom_is_reported_not_raised(tmp_path: Path, seed_bytes) -> None:
    data = seed_bytes(F004).decode("utf-8").encode("utf-16-le")
    corpus = load(one_file_corpus(tmp_path, "u16.txt", data))
    assert [p.path for p in corpus.problems] == ["u16.txt"]


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("seed", [F000, F002, F004])
def test_crlf_and_lone_cr_same_papers_and_ids(
    tmp_path: Path, seed_bytes, seed: str, newline: bytes
) -> None:
    lf = load(one_file_corpus(tmp_path / "lf", seed, seed_bytes(seed)))
    other = load(one_file_corpus(tmp_path / "x", seed, seed_bytes(seed).replace(b"\n", newline)))
    assert signature(other) == signature(lf)
    assert [p.sources for p in other] == [p.sources for p in lf]  # same line numbers
    assert other.problems == lf.problems == []


# --- empty and odd files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"\n\n\n", b" \t \r\n \n\t\n"],
    ids=["empty", "spaces", "newlines", "mixed"],
)
def test_empty_and_whitespace_only(tmp_path: Path, data: bytes) -> None:
    corpus = load(one_file_corpus(tmp_path, "blank.txt", data))
    assert len(corpus) == 0
    [problem] = corpus.problems
    assert problem.path == "blank.txt"
    assert "empty" in problem.message


def test_single_10mb_line_of_words(tmp_path: Path) -> None:
    line = ("lorem ipsum dolor sit amet consectetur " * 270_000)[: 10 * 2**20]
    corpus = load(one_file_corpus(tmp_path, "huge.txt", line.encode()))
    assert len(corpus) == 1
    paper = corpus.papers[0]
    assert len(paper.abstract) == 100_000
    assert len(paper.title) <= 80
    [problem] = corpus.problems
    assert (problem.path, problem.line) == ("huge.txt", 1)
    assert "100,000" in problem.message


def test_single_10mb_line_without_spaces(tmp_path: Path) -> None:
    corpus = load(one_file_corpus(tmp_path, "blob.txt", b"x" * (10 * 2**20)))
    assert corpus.problems, "a 10 MB one-word file must be reported"
    assert {p.path for p in corpus.problems} == {"blob.txt"}
    for paper in corpus:
        assert len(paper.abstract) <= 100_000


def test_oversized_daily_abstract_is_clipped_and_reported(tmp_path: Path) -> None:
    big = ("This sentence is padding for an enormous abstract. " * 3000).strip()
    text = CHROME + f"A Title\n\n{ABSTRACT_A}\n\nHuge One\n\n{big}\n\nAfter Huge\n\n{ABSTRACT_B}\n"
    corpus = load(one_file_corpus(tmp_path, "p.txt", text.encode()))
    titles = [p.title for p in corpus]
    assert titles == ["A Title", "Huge One", "After Huge"]
    assert len(corpus.papers[1].abstract) == 100_000
    [problem] = corpus.problems
    assert (problem.path, problem.line) == ("p.txt", 15)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("papers.csv", b"id,title,year\n1,Attention is all you need,2017\n2,BERT,2018\n"),
        ("README", b"# My notes\n\nSome things to read later.\n\n- item one\n- item two\n"),
        ("config.toml", b'[tool]\nname = "x"\nversion = 1\n'),
    ],
)
def test_file_in_no_known_format(tmp_path: Path, name: str, data: bytes) -> None:
    corpus = load(one_file_corpus(tmp_path, name, data))
    assert len(corpus) == 0
    [problem] = corpus.problems
    assert problem.path == name
    assert "format" in problem.message


# --- file system oddities -----------------------------------------------------------------------


def _really_unreadable(path: Path) -> bool:
    try:
        with open(path, "rb"):
            return False
    except PermissionError:
        return True


def test_unreadable_file(corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = corpus_copy / F002
    target.chmod(0)
    try:
        if not _really_unreadable(target):  # root: permissions do not stop reads
            original = Path.read_bytes

            def read_bytes(self: Path) -> bytes:
                if self.name == F002:
                    raise PermissionError(13, "Permission denied", str(self))
                return original(self)

            monkeypatch.setattr(Path, "read_bytes", read_bytes)
        corpus = load(corpus_copy)
    finally:
        target.chmod(0o644)
    [problem] = corpus.problems
    assert problem.path == F002
    assert "cannot be read" in problem.message
    # 002 holds 64 papers, 11 of them also in other files.
    assert len(corpus) == 187 - 53


def test_unreadable_folder(corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus_copy / "locked"
    folder.mkdir()
    (folder / "x.txt").write_text(ABSTRACT_A + "\n")
    folder.chmod(0)
    try:
        if not _really_unreadable(folder / "x.txt"):
            original = os.scandir

            def scandir(path):  # type: ignore[no-untyped-def]
                if os.path.basename(os.fspath(path)) == "locked":
                    raise PermissionError(13, "Permission denied", os.fspath(path))
                return original(path)

            monkeypatch.setattr(os, "scandir", scandir)
        corpus = load(corpus_copy)
    finally:
        folder.chmod(0o755)
    assert len(corpus) == 187
    [problem] = corpus.problems
    assert problem.path == "locked"
    assert "cannot be read" in problem.message


def test_symlink_to_itself(corpus_copy: Path) -> None:
    os.symlink("loop.txt", corpus_copy / "loop.txt")
    corpus = load(corpus_copy)
    assert len(corpus) == 187
    [problem] = corpus.problems
    assert problem.path == "loop.txt"
    assert "loop" in problem.message


def test_directory_link_to_its_parent(corpus_copy: Path) -> None:
    sub = corpus_copy / "sub"
    sub.mkdir()
    (sub / "more.txt").write_text(ABSTRACT_A + "\n")
    os.symlink("..", sub / "up")
    corpus = load(corpus_copy)
    assert len(corpus) == 188
    [problem] = corpus.problems
    assert problem.path == "sub/up"
    assert "loop" in problem.message


def test_directory_link_to_itself_at_root(corpus_copy: Path) -> None:
    os.symlink(".", corpus_copy / "self")
    corpus = load(corpus_copy)
    assert len(corpus) == 187
    [problem] = corpus.problems
    assert problem.path == "self"


def test_link_to_a_sibling_folder_is_reported_not_the_folder(corpus_copy: Path) -> None:
    """`all -> papers` is read first (it sorts first), but the real folder must keep its own
    paths and must not be reported as a symlink loop; the link is the thing to report."""
    (corpus_copy / "papers").mkdir()
    (corpus_copy / "papers" / "x.txt").write_text(ABSTRACT_A + "\n")
    os.symlink("papers", corpus_copy / "all")
    corpus = load(corpus_copy)
    assert len(corpus) == 188
    paper = next(p for p in corpus if p.abstract == ABSTRACT_A)
    assert "papers/x.txt:1" in [str(s) for s in paper.sources]
    assert all(p.path != "papers" for p in corpus.problems), corpus.problems


def test_broken_symlink(corpus_copy: Path) -> None:
    os.symlink("does-not-exist.txt", corpus_copy / "gone.txt")
    corpus = load(corpus_copy)
    [problem] = corpus.problems
    assert problem.path == "gone.txt"
    assert "broken" in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_reported_not_read(corpus_copy: Path) -> None:
    os.mkfifo(corpus_copy / "pipe.txt")
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["corpus"] = load(corpus_copy)
        except BaseException as error:  # pragma: no cover - reported below
            result["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "reading the corpus blocked on a FIFO"
    assert "error" not in result, result.get("error")
    corpus = result["corpus"]
    assert isinstance(corpus, Corpus)
    assert len(corpus) == 187
    [problem] = corpus.problems
    assert problem.path == "pipe.txt"
    assert "regular" in problem.message


def test_hidden_files_folders_and_notes_ignored(corpus_copy: Path, seed_bytes) -> None:
    page = (CHROME + f"Hidden Paper\n\n{ABSTRACT_A}\n").encode()
    (corpus_copy / ".hidden.txt").write_bytes(page)
    (corpus_copy / ".git").mkdir()
    (corpus_copy / ".git" / "HEAD").write_bytes(b"\x00binary\x00")
    (corpus_copy / ".paperdeck").mkdir()
    (corpus_copy / ".paperdeck" / "index.txt").write_bytes(page)
    (corpus_copy / "notes").mkdir()
    (corpus_copy / "notes" / "graphgpt.toml").write_bytes(b'status = "read"\n')
    (corpus_copy / "notes" / "page.txt").write_bytes(page)
    (corpus_copy / "sub").mkdir()
    (corpus_copy / "sub" / ".secret.txt").write_bytes(page)
    corpus = load(corpus_copy)
    assert len(corpus) == 187
    assert corpus.problems == []
    assert all(p.title != "Hidden Paper" for p in corpus)


def test_notes_folder_below_the_top_is_read(corpus_copy: Path) -> None:
    (corpus_copy / "sub" / "notes").mkdir(parents=True)
    (corpus_copy / "sub" / "notes" / "page.txt").write_text(CHROME + f"Nested\n\n{ABSTRACT_A}\n")
    corpus = load(corpus_copy)
    nested = [p for p in corpus if p.title == "Nested"]
    assert len(nested) == 1
    assert [str(s) for s in nested[0].sources] == ["sub/notes/page.txt:9"]


def test_subfolder_paths_are_posix_relative(corpus_copy: Path) -> None:
    (corpus_copy / "a" / "b").mkdir(parents=True)
    (corpus_copy / "a" / "b" / "x.txt").write_text(ABSTRACT_B + "\n")
    corpus = load(corpus_copy)
    paper = next(p for p in corpus if p.abstract == ABSTRACT_B)
    assert [str(s) for s in paper.sources] == ["a/b/x.txt:1"]


# --- structural mistakes in daily pages ---------------------------------------------------------


def test_title_with_no_abstract_in_the_middle(tmp_path: Path) -> None:
    text = CHROME + f"Lonely Title\n\nNext Title\n\n{ABSTRACT_A}\n\nThird Title\n\n{ABSTRACT_B}\n"
    corpus = load(one_file_corpus(tmp_path, "p.txt", text.encode()))
    by_title = {p.title: p for p in corpus}
    assert list(by_title) == ["Lonely Title", "Next Title", "Third Title"]
    assert by_title["Lonely Title"].abstract == ""
    assert by_title["Next Title"].abstract == ABSTRACT_A  # not shifted by one
    assert by_title["Third Title"].abstract == ABSTRACT_B
    [problem] = corpus.problems
    assert (problem.path, problem.line) == ("p.txt", 9)
    assert "no abstract" in problem.message


def test_title_with_no_abstract_at_the_end(tmp_path: Path) -> None:
    text = CHROME + f"First Title\n\n{ABSTRACT_A}\n\nDangling Title\n"
    corpus = load(one_file_corpus(tmp_path, "p.txt", text.encode()))
    assert [p.title for p in corpus] == ["First Title", "Dangling Title"]
    [problem] = corpus.problems
    assert (problem.path, problem.line) == ("p.txt", 13)


def test_metadata_without_blank_line_before_it(tmp_path: Path) -> None:
    spaced = CHROME + (
        f"First Title\n\n{ABSTRACT_A}\n\n  • 5 authors\n·\nJun 8, 2023 1\n\n"
        f"Second Title\n\n{ABSTRACT_B}\n\n  • 3 authors\n·\nSep 4 3\n"
    )
    tight = CHROME + (
        f"First Title\n\n{ABSTRACT_A}\n  • 5 authors\n·\nJun 8, 2023 1\n\n"
        f"Second Title\n\n{ABSTRACT_B}\n  • 3 authors\n·\nSep 4 3\n"
    )
    a = load(one_file_corpus(tmp_path / "a", "p.txt", spaced.encode()))
    b = load(one_file_corpus(tmp_path / "b", "p.txt", tight.encode()))
    assert signature(b) == signature(a)
    first, second = b.papers
    assert first.abstract == ABSTRACT_A  # the metadata lines are not part of the abstract
    assert (first.author_count, first.date.iso() if first.date else None, first.comments) == (
        5,
        "2023-06-08",
        1,
    )
    assert (second.author_count, second.date.iso() if second.date else None, second.comments) == (
        3,
        "--09-04",
        3,
    )
    assert b.problems == []


def test_metadata_before_the_abstract_is_reported(tmp_path: Path) -> None:
    text = CHROME + f"Title\n  • 5 authors\n\n{ABSTRACT_A}\n"
    corpus = load(one_file_corpus(tmp_path, "p.txt", text.encode()))
    assert corpus.problems
    assert all(p.path == "p.txt" and p.line is not None for p in corpus.problems)


def test_decode_never_raises_on_odd_prefixes() -> None:
    for data in (
        codecs.BOM_UTF16_LE + b"\x00",  # odd length after a UTF-16 BOM
        codecs.BOM_UTF16_BE + b"\xd8\x00",  # lone surrogate
        codecs.BOM_UTF8 + b"\xff",
        b"\xef\xbb",  # truncated BOM
    ):
        text, problems = decode(data, "x")
        assert text is not None or problems


def test_titles_with_several_question_marks_stay_titles(tmp_path) -> None:
    from paperdeck.corpus.formats import parse

    abstract = ("We study questions. " * 12).strip()
    text = (
        f"Can X Teach? Should Y Learn? A Study\n\n{abstract}\n\nSecond Paper!\n\n{abstract} Two.\n"
    )
    _fmt, entries, problems = parse(text, "q.txt")
    assert [e.title for e in entries] == ["Can X Teach? Should Y Learn? A Study", "Second Paper!"]
    assert problems == []
