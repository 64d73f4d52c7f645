"""Queries for the benchmark, generated from the corpus's own words (seeded, reproducible).

The words come from counting the corpus (document frequency over titles and abstracts), not
from `bench.corpus_gen`'s recipe, so the same generator works on any corpus. Two kinds:

* typed queries (`typed_queries`): 1 to 4 plain words, typed one character at a time as a
  person types them (`keystrokes`), the last word a growing prefix. Half take words from one
  paper's title (a person looking for a paper they half remember: it matches), half draw
  words independently from the vocabulary, common words more often than rare ones (most
  combinations of rare words match nothing, which is typed too).
* the full-query mix (`full_queries`): several queries per class (a word, two words, a
  phrase, OR, NOT, a prefix, fuzzy, a field, a date range, a tag), each with its SQLite FTS5
  equivalent where there is one.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

WORD = re.compile(r"[^\W\d_]{3,}")  # letters only, 3 or more: what people type as a word
# Words nobody searches for; everything else in the corpus vocabulary can be typed.
_STOP = """the and for with that this from are our which its into can has have been was were not
but all also these their such than both more while show shows use uses using based via over each
other new two one how what when where who why may between through under without within across
only most many much they them then there here very well however"""
STOP_WORDS = frozenset(_STOP.split())
COMMON = 300  # the most frequent words are "common"
RARE_DF = (2, 30)  # a "rare" word is in this many papers
PER_CLASS = 5  # full queries per class


@dataclass(frozen=True)
class Vocabulary:
    """The corpus's words by document frequency, and the titles to draw real queries from."""

    common: tuple[str, ...]
    middle: tuple[str, ...]
    rare: tuple[str, ...]
    titles: tuple[tuple[str, ...], ...]  # each title's typeable words, in order
    phrases: tuple[tuple[str, str], ...]  # adjacent word pairs from titles

    def draw(self, rng: random.Random) -> str:
        roll = rng.random()
        pool = self.common if roll < 0.6 else self.middle if roll < 0.85 else self.rare
        return rng.choice(pool or self.common)


def typeable(text: str) -> list[str]:
    return [w for w in (m.lower() for m in WORD.findall(text)) if w not in STOP_WORDS]


def vocabulary(titles: Sequence[str], abstracts: Sequence[str], seed: int = 0) -> Vocabulary:
    """Count the words of a corpus (each paper once per word)."""
    counts: Counter[str] = Counter()
    title_words: list[tuple[str, ...]] = []
    for title, abstract in zip(titles, abstracts, strict=True):
        words = typeable(title)
        title_words.append(tuple(words))
        counts.update(set(words) | set(typeable(abstract)))
    ranked = [w for w, _ in counts.most_common()]
    common = ranked[:COMMON]
    rare = [w for w in ranked if RARE_DF[0] <= counts[w] <= RARE_DF[1]]
    middle = [w for w in ranked[COMMON:] if counts[w] > RARE_DF[1]]
    rng = random.Random(seed)
    sample = rng.sample(title_words, min(len(title_words), 5000))
    phrases = [(a, b) for words in sample for a, b in pairwise(words)]
    return Vocabulary(
        tuple(common),
        tuple(middle),
        tuple(rare),
        tuple(w for w in title_words if w),
        tuple(dict.fromkeys(phrases)),
    )


def typed_queries(vocab: Vocabulary, count: int, seed: int = 0) -> list[str]:
    """`count` plain-word queries of 1-4 words; see the module docstring."""
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        number = len(queries)
        words = 1 + (number // 2) % 4  # 1, 1, 2, 2, 3, 3, 4, 4, 1, ...: every length as often
        if number % 2 == 0:
            title = rng.choice(vocab.titles)
            if len(title) < words:
                continue
            start = rng.randrange(len(title) - words + 1)
            chosen = list(title[start : start + words])  # in title order, as remembered
        else:
            chosen = [vocab.draw(rng) for _ in range(words)]
        queries.append(" ".join(chosen))
    return queries


def keystrokes(query: str) -> list[str]:
    """What the search box holds after each key typing `query` (a space is a key too)."""
    return [query[:end] for end in range(1, len(query) + 1)]


@dataclass(frozen=True)
class FullQuery:
    kind: str
    text: str  # paperdeck's query language
    fts: str | None  # the FTS5 MATCH expression, None when FTS5 has no equivalent
    years: tuple[int, int] | None = None  # FTS5: the date range, as a filter beside MATCH


def _typo(word: str, rng: random.Random) -> str:
    """One letter dropped (never the first: paperdeck's fuzzy keeps it)."""
    at = rng.randrange(1, len(word))
    return word[:at] + word[at + 1 :]


def full_queries(vocab: Vocabulary, tags: Iterable[str], seed: int = 0) -> list[FullQuery]:
    """PER_CLASS queries per class, see the module docstring."""
    rng = random.Random(seed)
    tag_list = sorted(set(tags)) or ["llm"]
    out: list[FullQuery] = []
    for _ in range(PER_CLASS):
        a, b = vocab.draw(rng), vocab.draw(rng)
        common = rng.choice(vocab.common)
        title = rng.choice([t for t in vocab.titles if len(t) >= 2] or [(a, b)])
        x, y = rng.sample(title, 2)
        p, q = rng.choice(vocab.phrases or ((a, b),))
        stem = common[: max(3, min(5, len(common) - 1))]
        year = rng.choice((2022, 2023, 2024, 2025))
        tag = rng.choice(tag_list)
        out += [
            FullQuery("word", common, common),
            FullQuery("two_words", f"{x} {y}", f"{x} {y}"),
            FullQuery("phrase", f'"{p} {q}"', f'"{p} {q}"'),
            FullQuery("or", f"{a} OR {b}", f"{a} OR {b}"),
            FullQuery("not", f"{common} -{b}", f"{common} NOT {b}"),
            FullQuery("prefix", f"{stem}*", f"{stem}*"),
            FullQuery("fuzzy", f"{_typo(common, rng)}~", None),
            FullQuery("field", f"title:{x}", f"title : {x}"),
            FullQuery("date", f"{common} date:{year}", common, (year, year)),
            FullQuery("tag", f"tag:{tag}", f"tags : {tag}"),
        ]
    return out


KINDS = ("word", "two_words", "phrase", "or", "not", "prefix", "fuzzy", "field", "date", "tag")
