"""Deterministic synthetic corpora in the daily-papers format, recombined from `sample_corpus/`.

`generate(folder, n, seed)` writes N papers into files of about 1000 papers each (page chrome,
then title / blank / abstract / blank / optional metadata lines), every title unique (a
recombined title plus a made-up counter word), and annotates about 1% of them (tags, stars,
notes) through `paperdeck.notes.store.NotesStore`, as the app would. Same N and seed, same bytes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.daily_papers import looks_like_title as _looks_like_title
from paperdeck.notes.annotation import Annotation
from paperdeck.notes.store import NotesStore

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "sample_corpus"
PAPERS_PER_FILE = 1000
ANNOTATED_FRACTION = 0.01
TAGS = ("diffusion", "llm", "graphs", "survey", "reread", "benchmark")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
HEADER += "byAK and the research community\n\n"
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "be",
    "da",
    "fe",
    "gu",
    "hi",
    "jo",
    "ku",
    "la",
    "me",
    "ni",
    "po",
    "qu",
    "re",
    "si",
    "tu",
    "va",
    "we",
    "xo",
    "yu",
    "za",
    "bo",
    "ce",
    "di",
    "fo",
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Material:
    """What synthetic papers are made of: sample titles and abstract sentences."""

    titles: tuple[str, ...]
    sentences: tuple[str, ...]


def load_material(sample: Path = SAMPLE_CORPUS) -> Material:
    corpus = Corpus.load(sample)
    titles = tuple(p.title for p in corpus.papers if not p.title_derived)
    sentences: list[str] = []
    for paper in corpus.papers:
        for sentence in _SENTENCE.split(paper.abstract):
            sentence = " ".join(sentence.split())
            if 30 <= len(sentence) <= 400:
                sentences.append(sentence)
    return Material(titles, tuple(dict.fromkeys(sentences)))


def counter_word(number: int) -> str:
    """A pronounceable word unique to `number` (base-32 syllables), e.g. 'kalomi'."""
    parts = []
    while True:
        number, digit = divmod(number, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
        if number == 0:
            break
    return "".join(reversed(parts)).capitalize()


def _title(rng: random.Random, material: Material, number: int) -> str:
    while True:  # a recombination can read as two sentences, which the parser rejects as a title
        first, second = rng.sample(material.titles, 2)
        a, b = first.split(), second.split()
        words = a[: max(1, len(a) // 2)] + b[len(b) // 2 :]
        title = " ".join([*words[:30], counter_word(number)])
        if _looks_like_title(title):
            return title


def _abstract(rng: random.Random, material: Material) -> str:
    return " ".join(rng.sample(material.sentences, rng.randint(4, 8)))


def _metadata(rng: random.Random) -> str:
    roll = rng.random()
    month = MONTHS[rng.randrange(12)]
    day = rng.randint(1, 28)
    year = rng.choice((2022, 2023, 2024, 2025))
    votes = f" {rng.randint(1, 200)}" if rng.random() < 0.6 else ""
    if roll < 0.7:
        return f"  • {rng.randint(1, 30)} authors\n·\n{month} {day}, {year}{votes}\n\n"
    if roll < 0.85:
        return f"{month} {day}, {year}{votes}\n\n"
    return ""


def write_papers(folder: Path, n: int, seed: int = 0, material: Material | None = None) -> None:
    material = material or load_material()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for file_number, start in enumerate(range(0, n, PAPERS_PER_FILE)):
        chunks = [HEADER]
        for number in range(start, min(n, start + PAPERS_PER_FILE)):
            chunks.append(f"{_title(rng, material, number)}\n\n{_abstract(rng, material)}\n\n")
            chunks.append(_metadata(rng))
        (folder / f"papers_{file_number:04d}.txt").write_text("".join(chunks), encoding="utf-8")


def annotate(folder: Path, seed: int = 0, fraction: float = ANNOTATED_FRACTION) -> list[str]:
    """Tag, star and note about `fraction` of the papers; returns their IDs."""
    corpus = Corpus.load(folder)
    rng = random.Random(seed + 1)
    count = max(1, round(len(corpus.papers) * fraction))
    chosen = rng.sample(corpus.papers, count)
    store = NotesStore(folder)
    store.load()
    for paper in chosen:
        tags = rng.sample(TAGS, rng.randint(1, 3))
        starred = rng.random() < 0.4
        note = f"Benchmark note on {paper.title.split()[0].lower()}: worth a second look."

        def change(a: Annotation, tags: list[str] = tags, s: bool = starred, n: str = note):
            return a.with_tags(tags).with_star(s).with_note(n)

        store.update(paper.id, paper.title, change)
    return [paper.id for paper in chosen]


def generate(folder: Path, n: int, seed: int = 0) -> Path:
    """A fresh corpus of `n` papers in `folder`, annotated; checks that every paper is read."""
    write_papers(folder, n, seed)
    annotate(folder, seed)
    corpus = Corpus.load(folder)
    if len(corpus.papers) != n or corpus.problems:
        raise RuntimeError(
            f"generated {n} papers but the corpus reads {len(corpus.papers)} "
            f"with {len(corpus.problems)} problem(s): {corpus.problems[:3]}"
        )
    return folder
