"""Marking the words a query matched, as plain data the faces can style however they like.

Whoosh's highlighter re-runs the analyzer and formats HTML-ish strings; ours walks the parsed
query instead, so it knows which words are prefixes, fuzzy or negated (never marked), and it
returns (text, is_match) spans with no Rich or Textual types. Only called for rows on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh.fields import Schema

from paperdeck.search.compile import analyse
from paperdeck.search.query import And, Node, Not, Or, Text, partial_words, prefix_words
from paperdeck.search.schema import stem_word
from paperdeck.search.words import TOKEN_PATTERN, fold

Span = tuple[str, bool]  # (text, is_match)
Spans = tuple[Span, ...]
CONTEXT_WORDS = 12  # words shown either side of a match in an abstract fragment
MAX_FRAGMENTS = 3
LEAD_WORDS = 30  # shown when nothing in the abstract matched
_WORD = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True)
class Highlights:
    """A paper's title (whole) and abstract (up to three fragments, in text order)."""

    paper_id: str
    title: Spans
    abstract: tuple[Spans, ...]

    @property
    def matched(self) -> bool:
        return any(m for _, m in self.title) or any(m for f in self.abstract for _, m in f)


@dataclass
class _Wanted:
    """What one field looks for: analysed terms, prefixes and fuzzy words."""

    terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    fuzzy: set[tuple[str, int]] = field(default_factory=set)
    _seen: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.fuzzy)

    def match(self, word: str) -> bool:
        """Whether a word of the text is one the query looks for (remembered per word)."""
        known = self._seen.get(word)
        if known is None:
            known = self._seen[word] = self._match(fold(word))
        return known

    def _match(self, lowered: str) -> bool:
        if self.prefixes and lowered.startswith(tuple(self.prefixes)):
            return True
        if self.terms and (lowered in self.terms or stem_word(lowered) in self.terms):
            return True
        return any(  # the first letter is never a typo, as in the search (`prefixlength=1`)
            lowered[:1] == text[:1] and within(lowered, text, distance)
            for text, distance in self.fuzzy
        )


def within(a: str, b: str, limit: int) -> bool:
    """a and b are at most `limit` edits apart, a swap of two neighbouring letters being one
    edit, as `word~` searches (optimal string alignment; bounded, so it is cheap)."""
    if abs(len(a) - len(b)) > limit:
        return False
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, before[j - 2] + 1)
            current.append(best)
        if min(current) > limit and (i < 2 or min(previous) > limit):
            return False
        before, previous = previous, current
    return previous[-1] <= limit


def _collect(node: Node | None, schema: Schema, wanted: dict[str, _Wanted]) -> None:
    if node is None or isinstance(node, Not):
        return  # excluded words are not what the user is looking for
    if isinstance(node, And | Or):
        for item in node.items:
            _collect(item, schema, wanted)
        return
    if not isinstance(node, Text):
        return
    for name in ("title", "abstract"):
        if node.field not in (None, name):
            continue
        target = wanted[name]
        if node.mode in ("word", "phrase"):
            target.terms.update(analyse(schema, name, node.text))
        elif node.mode == "fuzzy":
            target.fuzzy.add((fold(node.text), node.distance))
        elif node.mode == "partial":  # split into words as the search splits it
            finished, last = partial_words(node.text)
            for word in finished:
                target.terms.update(analyse(schema, name, word))
            if last:
                target.prefixes.add(last)
        else:  # `text-to-im*`: words, the last one a prefix (as `compile` searches it)
            finished, last = prefix_words(node.text)
            for word in finished:
                target.terms.update(analyse(schema, name, word))
            if last:
                target.prefixes.add(last)


def _spans(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> Spans:
    """Spans of text[start:end]; `marks` are the (start, end) of matched words in it."""
    spans: list[Span] = []
    position = start
    for mark_start, mark_end in marks:
        if mark_start > position:
            spans.append((text[position:mark_start], False))
        spans.append((text[mark_start:mark_end], True))
        position = mark_end
    if position < end:
        spans.append((text[position:end], False))
    return tuple(spans)


def highlight_title(text: str, wanted: _Wanted) -> Spans:
    marks = [m.span() for m in _WORD.finditer(text) if wanted and wanted.match(m.group())]
    return _spans(text, 0, len(text), marks) if text else ()


def highlight_abstract(text: str, wanted: _Wanted, *, whole: bool = False) -> tuple[Spans, ...]:
    """Fragments around the matches; `whole` marks the entire text instead (for a reader)."""
    words = list(_WORD.finditer(text))
    if not words:
        return (((text, False),),) if text else ()
    hits = [i for i, word in enumerate(words) if wanted and wanted.match(word.group())]
    if whole:
        return (_spans(text, 0, len(text), [words[i].span() for i in hits]),)
    if not hits:
        end = len(text) if len(words) <= LEAD_WORDS else words[LEAD_WORDS - 1].end()
        return (_spans(text, 0, end, []),)
    windows: list[list[int]] = []
    for i in hits:
        low, high = max(0, i - CONTEXT_WORDS), min(len(words) - 1, i + CONTEXT_WORDS)
        if windows and low <= windows[-1][1] + 1:
            windows[-1][1] = high
        elif len(windows) < MAX_FRAGMENTS:
            windows.append([low, high])
    fragments = []
    hit_set = set(hits)
    for low, high in windows:
        start = 0 if low == 0 else words[low].start()
        end = len(text) if high == len(words) - 1 else words[high].end()
        marks = [words[i].span() for i in range(low, high + 1) if i in hit_set]
        fragments.append(_spans(text, start, end, marks))
    return tuple(fragments)


def highlight_document(
    tree: Node | None,
    schema: Schema,
    paper_id: str,
    title: str,
    abstract: str,
    *,
    whole: bool = False,
) -> Highlights:
    wanted = {"title": _Wanted(), "abstract": _Wanted()}
    _collect(tree, schema, wanted)
    return Highlights(
        paper_id,
        highlight_title(title, wanted["title"]),
        highlight_abstract(abstract, wanted["abstract"], whole=whole),
    )
