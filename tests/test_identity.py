"""Paper IDs: their format, their stability under harmless edits, and prefix resolution.

Notes are keyed by ID, so an ID that changes orphans a user's notes. Expected hashes were
computed by hand with `printf 't:<key>' | sha256sum`, following the README's rule.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from paperdeck.corpus.corpus import Corpus, PaperNotFound
from paperdeck.corpus.identity import identity_key, is_valid_id, normalise, paper_id, slugify

F000 = "000_1baa1a46657d523b.txt"
F001 = "001_5d22787c68a1584e.txt"
F002 = "002_872f613ddb38270d.txt"
F003 = "003_93456e08bd80bb73.txt"
F004 = "004_672472eb05abb3ab.txt"
SEEDS = (F000, F001, F002, F003, F004)

ID_FORMAT = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)-([0-9a-f]{8})$")

ABSTRACT = (
    "Diffusion models have demonstrated excellent potential for generating diverse images. "
    "However, their performance often suffers from slow generation due to iterative denoising. "
    "We propose a data-free distillation method that needs no training data at all."
)


def ids(corpus: Corpus) -> set[str]:
    return {p.id for p in corpus}


def fields(corpus: Corpus) -> dict[str, tuple]:
    """Everything but the sources, by ID."""
    return {
        p.id: (
            p.title,
            p.title_derived,
            p.abstract,
            p.author_count,
            p.date,
            p.comments,
            frozenset(p.links),
        )
        for p in corpus
    }


@pytest.fixture(scope="module")
def reference() -> Corpus:
    return Corpus.load(Path(__file__).resolve().parents[1] / "sample_corpus")


def write_corpus(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def seed_texts(sample_corpus: Path) -> dict[str, str]:
    return {name: (sample_corpus / name).read_text(encoding="utf-8") for name in SEEDS}


# --- format -------------------------------------------------------------------------------------


def test_every_sample_id_has_the_documented_format(reference: Corpus) -> None:
    assert len(reference) == 187
    for paper in reference:
        match = ID_FORMAT.match(paper.id)
        assert match, paper.id
        assert len(match.group(1)) <= 40, paper.id
        assert is_valid_id(paper.id)
        assert set(paper.id) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # README examples; hashes by `printf 't:...' | sha256sum`.
        (
            "GraphGPT: Generative Pre-trained Graph Eulerian Transformer",
            "graphgpt-generative-pre-trained-graph-07091733",
        ),
        (
            "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping",
            "boot-data-free-distillation-of-denoising-5e69af63",
        ),
        ("Binary Latent Diffusion", "binary-latent-diffusion-3af8fb5f"),
        (
            "DDAE++: Enhancing Diffusion Models Towards Unified Generative and Discriminative "
            "Learning",
            "ddae-enhancing-diffusion-models-towards-ae65c24e",
        ),
    ],
)
def test_known_title_ids(title: str, expected: str) -> None:
    assert paper_id(title, "whatever the abstract says") == expected


def test_hash_is_sha256_of_prefixed_key() -> None:
    key = "diffusion models beat gans on image classification"
    digest = hashlib.sha256(f"t:{key}".encode()).hexdigest()[:8]
    assert digest == "ab4ca86b"  # computed with sha256sum from the shell
    assert paper_id("Diffusion Models Beat GANs on Image Classification", "") == (
        f"diffusion-models-beat-gans-on-image-{digest}"
    )


def test_untitled_id_hashes_the_abstract_with_a_prefix() -> None:
    abstract = "Knowledge plays a critical role in artificial intelligence, says this abstract."
    key = "knowledge plays a critical role in artificial intelligence says this abstract"
    expected = hashlib.sha256(f"a:{key}".encode()).hexdigest()[:8]
    assert paper_id(None, abstract) == f"knowledge-plays-a-critical-role-in-{expected}"
    # A title equal to the abstract text is a different paper: `t:` vs `a:`.
    assert paper_id(abstract, abstract) != paper_id(None, abstract)


@pytest.mark.parametrize(
    "title",
    [
        "Über die Diffusion: Ästhetik & Ærger",
        "日本語のタイトル",
        "Ｆｕｌｌｗｉｄｔｈ ＴＥＸＴ",
        "Straße ﬁnal ﬂow",
        "x" * 200,
        "Supercalifragilisticexpialidociousnessesque-antidisestablishmentarianism",
        "?!",
        "",
        "snake_case_title with_underscores",
        "Emoji 🚀 paper",
        "İstanbul ǅungla",
        "a\u0301b\u0308 combining",
    ],
)
def test_id_format_on_odd_titles(title: str) -> None:
    pid = paper_id(title, "")
    match = ID_FORMAT.match(pid)
    assert match, pid
    assert 1 <= len(match.group(1)) <= 40
    assert is_valid_id(pid)


def test_slug_cut_at_word_boundary() -> None:
    # 8+1+10+1+3+1+7+1+5 = 37, "+ -eulerian" would be 46.
    assert slugify("graphgpt generative pre trained graph eulerian transformer") == (
        "graphgpt-generative-pre-trained-graph"
    )
    assert slugify("a" * 50) == "a" * 40  # one over-long word is cut
    assert slugify("") == "paper"


def test_normalise_rule() -> None:
    assert normalise("  GraphGPT:\tGenerative  Pre-trained\n") == "graphgpt generative pre trained"
    assert normalise("Ｆｕｌｌ ﬁ") == "full fi"  # NFKC
    assert normalise("STRASSE") == normalise("straße")  # case-folded
    assert normalise("a_b") == "a b"  # underscore is not a letter or digit
    assert identity_key("T", "x") == "t:t"
    assert identity_key(None, "X  y") == "a:x y"


# --- stability ----------------------------------------------------------------------------------


def test_ids_unchanged_when_files_renamed_and_reordered(
    tmp_path: Path, sample_corpus: Path, reference: Corpus
) -> None:
    texts = seed_texts(sample_corpus)
    renamed = {
        "zz-last.txt": texts[F000],
        "sub/aa-first.txt": texts[F004],  # the metadata copy now comes first
        "m/notes-about-papers.md": texts[F002],
        "b.txt": texts[F001],
        "a.txt": texts[F003],
    }
    corpus = Corpus.load(write_corpus(tmp_path / "c", renamed))
    assert fields(corpus) == fields(reference)
    beat = corpus.get("diffusion-models-beat-gans-on-image-ab4ca86b")
    assert beat is not None
    assert [s.path for s in beat.sources] == [
        "a.txt",
        "m/notes-about-papers.md",
        "sub/aa-first.txt",
    ]


def _daily_blocks(text: str) -> tuple[str, list[str]]:
    """(page header, paper blocks) of a daily page: title, abstract, optional metadata."""
    paragraphs = text.split("\n\n")
    header_end = next(i for i, p in enumerate(paragraphs) if re.fullmatch(r"[A-Z][a-z]{2} \d+", p))
    header = "\n\n".join(paragraphs[: header_end + 1])
    blocks: list[list[str]] = []
    for paragraph in paragraphs[header_end + 1 :]:
        if paragraph.startswith("  •") or (blocks and len(blocks[-1]) == 1):
            blocks[-1].append(paragraph)
        else:
            blocks.append([paragraph])
    return header, ["\n\n".join(block) for block in blocks]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ids_unchanged_when_papers_reordered(
    tmp_path: Path, sample_corpus: Path, reference: Corpus, seed: int
) -> None:
    rng = random.Random(seed)
    texts = seed_texts(sample_corpus)
    for name in (F002, F003, F004):
        header, blocks = _daily_blocks(texts[name].rstrip("\n"))
        assert len(blocks) == {F002: 64, F003: 45, F004: 73}[name]
        rng.shuffle(blocks)
        texts[name] = header + "\n\n" + "\n\n".join(blocks) + "\n"
    for name in (F000, F001):
        lines = texts[name].rstrip("\n").split("\n")
        rng.shuffle(lines)
        texts[name] = "\n".join(lines) + "\n"
    corpus = Corpus.load(write_corpus(tmp_path / "c", texts))
    assert fields(corpus) == fields(reference)
    assert corpus.problems == []


def _wrap_daily(text: str, width: int = 70) -> str:
    out = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("  •") or "\n" in paragraph:
            out.append(paragraph)  # metadata blocks stay as they are
        else:
            out.append(
                "\n".join(
                    textwrap.wrap(paragraph, width, break_on_hyphens=False, break_long_words=False)
                )
            )
    return "\n\n".join(out)


def test_ids_unchanged_when_daily_pages_rewrapped_at_70_columns(
    tmp_path: Path, sample_corpus: Path, reference: Corpus
) -> None:
    texts = seed_texts(sample_corpus)
    for name in (F002, F003, F004):
        texts[name] = _wrap_daily(texts[name])
        assert max(len(line) for line in texts[name].split("\n")) <= 70
    corpus = Corpus.load(write_corpus(tmp_path / "c", texts))
    assert fields(corpus) == fields(reference)
    assert corpus.problems == []


def test_untitled_paragraph_id_unchanged_when_rewrapped(tmp_path: Path) -> None:
    page = "new\n\nJul 9\n\nA Title\n\n{a}\n\n{a2}\n\n  • 2 authors\n·\nJun 8, 2023\n\n{u}\n"
    untitled = ABSTRACT.replace("Diffusion", "Untitled diffusion")
    second = ABSTRACT.replace("Diffusion", "Other")
    flat = page.format(a=ABSTRACT, a2=second, u=untitled)
    wrapped = page.format(
        a="\n".join(textwrap.wrap(ABSTRACT, 70, break_on_hyphens=False)),
        a2="\n".join(textwrap.wrap(second, 70, break_on_hyphens=False)),
        u="\n".join(textwrap.wrap(untitled, 70, break_on_hyphens=False)),
    )
    a = Corpus.load(write_corpus(tmp_path / "a", {"p.txt": flat}))
    b = Corpus.load(write_corpus(tmp_path / "b", {"p.txt": wrapped}))
    assert fields(a) == fields(b)
    assert any(p.title_derived for p in a)


@pytest.mark.parametrize("indent", ["    ", "\t", "  \t "])
def test_ids_unchanged_when_reindented(
    tmp_path: Path, sample_corpus: Path, reference: Corpus, indent: str
) -> None:
    texts = {
        name: "\n".join(indent + line if line.strip() else line for line in text.split("\n"))
        for name, text in seed_texts(sample_corpus).items()
    }
    corpus = Corpus.load(write_corpus(tmp_path / "c", texts))
    assert fields(corpus) == fields(reference)


def test_ids_unchanged_when_trailing_spaces_added(
    tmp_path: Path, sample_corpus: Path, reference: Corpus
) -> None:
    texts = {
        name: "\n".join(line + "  " if line.strip() else line for line in text.split("\n"))
        for name, text in seed_texts(sample_corpus).items()
    }
    corpus = Corpus.load(write_corpus(tmp_path / "c", texts))
    assert fields(corpus) == fields(reference)


def test_ids_unchanged_when_other_papers_removed(
    tmp_path: Path, corpus_copy: Path, reference: Corpus
) -> None:
    (corpus_copy / F003).unlink()
    (corpus_copy / F001).unlink()
    corpus = Corpus.load(corpus_copy)
    assert ids(corpus) < ids(reference)
    # Every remaining paper kept its ID; 003-only and 001-only papers are gone.
    assert len(corpus) == 187 - (45 - 9) - (11 - 1)
    assert "binary-latent-diffusion-3af8fb5f" not in ids(corpus)
    assert "with-the-rise-of-powerful-pre-trained-f56bf08d" in ids(corpus)  # still in 000


def test_ids_unchanged_when_papers_added(corpus_copy: Path, reference: Corpus) -> None:
    (corpus_copy / "extra").mkdir()
    (corpus_copy / "extra" / "new.txt").write_text(
        "new\n\nJul 9\n\nA Brand New Paper\n\n" + ABSTRACT + "\n\n"
        # A second copy of a paper already in 002/003/004, with a newer-looking date:
        "Diffusion Models Beat GANs on Image Classification\n\nA shorter abstract of it. "
        "It differs from the others in every way that matters here.\n\n  • 9 authors\n·\n"
        "Jan 1, 2025 40\n"
    )
    (corpus_copy / "extra" / "lines.txt").write_text(ABSTRACT.replace("Diffusion", "Flow") + "\n")
    corpus = Corpus.load(corpus_copy)
    assert ids(reference) < ids(corpus)
    assert len(corpus) == 189
    beat = corpus.get("diffusion-models-beat-gans-on-image-ab4ca86b")
    assert beat is not None
    assert len(beat.sources) == 4
    assert beat.comments == 40


@pytest.mark.parametrize(
    "variant",
    [
        "graphgpt: generative pre-trained graph eulerian transformer",
        "GRAPHGPT: GENERATIVE PRE-TRAINED GRAPH EULERIAN TRANSFORMER",
        "GraphGPT:Generative   Pre-trained Graph  Eulerian Transformer",
        "GraphGPT — Generative Pre trained Graph Eulerian Transformer.",
        "  GraphGPT: Generative Pre-trained Graph Eulerian Transformer  ",
        "ＧｒａｐｈＧＰＴ: Generative Pre-trained Graph Eulerian Transformer",
    ],
)
def test_id_unchanged_by_title_case_spacing_and_punctuation(
    corpus_copy: Path, variant: str
) -> None:
    path = corpus_copy / F002
    text = path.read_text(encoding="utf-8")
    original = "GraphGPT: Generative Pre-trained Graph Eulerian Transformer"
    assert text.count(original) == 1
    path.write_text(text.replace(original, variant), encoding="utf-8")
    corpus = Corpus.load(corpus_copy)
    paper = corpus.get("graphgpt-generative-pre-trained-graph-07091733")
    assert paper is not None
    assert len(corpus) == 187


def test_untitled_id_unchanged_by_case_and_spacing(corpus_copy: Path) -> None:
    path = corpus_copy / F001
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[10] = "  " + lines[10].upper().replace(" ", "   ") + "\t"
    path.write_text("\n".join(lines), encoding="utf-8")
    corpus = Corpus.load(corpus_copy)
    assert corpus.get("the-goal-of-text-generation-is-to-make-502ca353") is not None
    assert len(corpus) == 187


def test_duplicate_copies_with_different_case_are_one_paper(tmp_path: Path) -> None:
    root = write_corpus(
        tmp_path / "c",
        {
            "a.txt": f"Some Paper Title\n\n{ABSTRACT}\n",
            "b.txt": f"SOME paper   title\n\n{ABSTRACT}\n\n  • 3 authors\n·\nMar 3, 2024 7\n",
        },
    )
    corpus = Corpus.load(root)
    [paper] = corpus.papers
    assert paper.id == paper_id("Some Paper Title", "")
    assert paper.title == "SOME paper title"  # from the richest copy (b has a date)
    assert [str(s) for s in paper.sources] == ["a.txt:1", "b.txt:1"]


# --- prefix resolution --------------------------------------------------------------------------


def test_resolve_exact(reference: Corpus) -> None:
    pid = "graphgpt-generative-pre-trained-graph-07091733"
    assert reference.resolve(pid).id == pid


def test_resolve_unique_prefix(reference: Corpus) -> None:
    assert reference.resolve("graphgpt").id == "graphgpt-generative-pre-trained-graph-07091733"
    assert reference.resolve("boot-").id == "boot-data-free-distillation-of-denoising-5e69af63"
    assert reference.resolve(" GraphGPT ").title.startswith("GraphGPT")  # case/space tolerant


def test_resolve_ambiguous_lists_candidates(reference: Corpus) -> None:
    prefix = "diffusion-models-"
    expected = sorted(p.id for p in reference if p.id.startswith(prefix))
    assert {
        "diffusion-models-beat-gans-on-image-ab4ca86b",
        "diffusion-models-such-as-stable-78a4e9ab",
    } <= set(expected)
    with pytest.raises(PaperNotFound) as info:
        reference.resolve(prefix)
    assert sorted(p.id for p in info.value.candidates) == expected
    message = str(info.value)
    assert "ambiguous" in message
    for pid in expected:
        assert pid in message


def test_resolve_unknown(reference: Corpus) -> None:
    with pytest.raises(PaperNotFound) as info:
        reference.resolve("no-such-paper")
    assert info.value.candidates == []
    assert "no-such-paper" in str(info.value)


def test_resolve_empty_prefix_is_not_a_match(reference: Corpus) -> None:
    with pytest.raises(PaperNotFound):
        reference.resolve("")


def test_exact_id_wins_over_longer_ids_it_prefixes(tmp_path: Path) -> None:
    short_id = paper_id("Alpha", "")
    digest = short_id.rsplit("-", 1)[1]
    # A second title whose ID starts with the first ID.
    longer_title = f"Alpha {digest} Continued"
    root = write_corpus(
        tmp_path / "c",
        {
            "p.txt": f"Alpha\n\n{ABSTRACT}\n\n{longer_title}\n\n{ABSTRACT.replace('We', 'They')}\n",
        },
    )
    corpus = Corpus.load(root)
    assert len(corpus) == 2
    long_id = paper_id(longer_title, "")
    assert long_id.startswith(short_id)
    assert corpus.resolve(short_id).title == "Alpha"
    assert corpus.resolve(long_id[: len(short_id) + 2]).title == longer_title
    with pytest.raises(PaperNotFound) as info:
        corpus.resolve("alpha")
    assert len(info.value.candidates) == 2


def test_many_candidates_are_listed_with_a_count(tmp_path: Path) -> None:
    page = "\n\n".join(f"Topic Paper Number {i}\n\n{ABSTRACT} Variant {i}." for i in range(25))
    corpus = Corpus.load(write_corpus(tmp_path / "c", {"p.txt": page + "\n"}))
    assert len(corpus) == 25
    with pytest.raises(PaperNotFound) as info:
        corpus.resolve("topic")
    assert len(info.value.candidates) == 25
    assert "5 more" in str(info.value)


def test_copying_the_corpus_keeps_ids(
    tmp_path: Path, sample_corpus: Path, reference: Corpus
) -> None:
    shutil.copytree(sample_corpus, tmp_path / "elsewhere" / "deep")
    corpus = Corpus.load(tmp_path / "elsewhere" / "deep")
    assert ids(corpus) == ids(reference)
