"""The user's query language, parsed into a small syntax tree that never raises.

Whoosh's own parser quietly accepts anything (an unclosed quote just becomes text), so it cannot
tell the user what went wrong; this parser reports every problem in plain words and keeps what
it understood ("best effort"), as the tree of `paperdeck.search.syntax` (also named here).
`paperdeck.search.compile` turns the tree into Whoosh queries and `paperdeck.search.highlight`
reads it to mark matched words. The language is described in docs/query-language.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paperdeck.notes.annotation import STATUSES, normalise_tag
from paperdeck.search.paper_set import library_filter
from paperdeck.search.ranges import parse_date_range, parse_number_range
from paperdeck.search.syntax import And, Filter, Node, Not, Or, ParsedQuery, Text
from paperdeck.search.words import WORD, WORD_CHAR, fold, fold_tag

TEXT_FIELD_NAMES = {
    "title": "title",
    "abstract": "abstract",
    "note": "note",
    "notes": "note",
    "tag": "tags",
    "tags": "tags",
    "id": "id",
    "author": "authors",
    "authors": "authors",
}
FILTER_FIELD_NAMES = ("status", "is", "date", "comments", "upvotes", "sort", "added", "source")
IS_VALUES = ("starred", *STATUSES)
SORT_KEYS = ("relevance", "date", "comments", "upvotes", "title")
MIN_PREFIX = 2  # shorter prefixes expand to thousands of terms (seconds in Whoosh)
MAX_FUZZY = 2
# Bounds that keep any query, even a hostile or pasted one, cheap to parse and to run; past
# them the query is cut down, with a problem saying what was limited and what to do.
MAX_QUERY_CHARS = 2_000  # longer queries are searched up to here (at a word boundary)
MAX_DEPTH = 10  # parentheses nested deeper than this are ignored (they still pair up)
MAX_TERMS = 64  # search terms and filters after these are ignored
MAX_EXPANDING = 8  # `~` and `*` words after these are searched as plain words
MAX_FUZZY_CHARS = 32  # a longer `word~` is searched as the plain word
NUMBER_MIN, NUMBER_MAX = -(2**31), 2**31 - 1  # what the index's number fields hold
_OPERATORS = {"AND", "OR", "NOT"}
_FUZZY = re.compile(r"^(?P<text>.+?)~(?P<dist>\d*)$")


# --- lexing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # "(" ")" "-" "op" "field" "word" "phrase"
    text: str
    last: bool = False  # the final token, typed right up to the end of the query


def tokenize(text: str, errors: list[str]) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    depth, too_deep = 0, False  # depth counts every open '(', kept or not
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            # parentheses nested past MAX_DEPTH are dropped with their partner, so the
            # parser's recursion (and everything walking the tree) stays shallow
            if char == "(":
                depth += 1
                keep = depth <= MAX_DEPTH
                too_deep = too_deep or not keep
            else:
                keep = depth <= MAX_DEPTH
                depth = max(depth - 1, 0)
            if keep:
                tokens.append(Token(char, char))
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                errors.append('unclosed quote: add the closing " (searched the rest as a phrase)')
                end = n
            tokens.append(Token("phrase", text[i + 1 : end]))
            i = end + 1
        elif char == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != "-":
            tokens.append(Token("-", "-"))
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in '()"':
                i += 1
            tokens.extend(_word_tokens(text[start:i], errors))
    if too_deep:
        errors.append(
            f"parentheses nested more than {MAX_DEPTH} deep: the deeper ones were ignored "
            "(remove some to group differently)"
        )
    if tokens and not text[-1:].isspace() and tokens[-1].kind == "word":
        tokens[-1] = Token("word", tokens[-1].text, last=True)
    return tokens


def _word_tokens(word: str, errors: list[str]) -> list[Token]:
    if word in _OPERATORS:
        return [Token("op", word)]
    name, colon, value = word.partition(":")
    key = name.lower()
    if colon and (key in TEXT_FIELD_NAMES or key in FILTER_FIELD_NAMES):
        field_token = Token("field", key)
        return [field_token, Token("word", value)] if value else [field_token]
    if colon and name.isalpha() and not value.startswith("//"):
        known = ", ".join([*dict.fromkeys(TEXT_FIELD_NAMES), *FILTER_FIELD_NAMES])
        errors.append(f"unknown field {name}: (known: {known}); searched {word!r} as text")
    return [Token("word", word)]


# --- parsing ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[Token], as_you_type: bool, errors: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.as_you_type = as_you_type
        self.errors = errors
        self.sort: str | None = None
        self.terms: set[Node] = set()  # distinct leaves kept so far (MAX_TERMS)
        self.expanding: set[str] = set()  # distinct `~` and `*` words so far (MAX_EXPANDING)
        self.over: set[str] = set()  # the limits already reported

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def at_stop(self) -> bool:
        """True where a term should start but cannot: the end, `)`, AND or OR."""
        token = self.peek()
        return token is None or token.kind == ")" or (token.kind == "op" and token.text != "NOT")

    def parse(self) -> Node | None:
        parts: list[Node] = []
        while True:
            node = self.parse_or(None)
            if node is not None:
                parts.append(node)
            if self.peek() is None:
                break
            self.errors.append("unexpected ')': it has no matching '(' (ignored)")
            self.pos += 1
        return _join(And, parts)

    def parse_or(self, context: str | None) -> Node | None:
        items: list[Node] = []
        first = self.parse_and(context)
        if first is not None:
            items.append(first)
        while (token := self.peek()) is not None and token.kind == "op" and token.text == "OR":
            self.pos += 1
            right = self.parse_and(context)
            if not items or right is None:
                self.errors.append("OR needs a search term on both sides (ignored)")
            if right is not None:
                items.append(right)
        return _join(Or, items)

    def parse_and(self, context: str | None) -> Node | None:
        items: list[Node] = []
        while (token := self.peek()) is not None and token.kind != ")":
            if token.kind == "op" and token.text == "OR":
                break
            if token.kind == "op" and token.text == "AND":
                self.pos += 1
                if not items or self.at_stop():
                    self.errors.append("AND needs a search term on both sides (ignored)")
                continue
            node = self.parse_unary(context)
            if node is not None:
                items.append(node)
        return _join(And, items)

    def parse_unary(self, context: str | None) -> Node | None:
        negations = 0  # counted in a loop: `NOT NOT NOT ...` must not recurse once per NOT
        while (token := self.peek()) is not None and (
            token.kind == "-" or (token.kind, token.text) == ("op", "NOT")
        ):
            self.pos += 1
            if self.at_stop():
                self.errors.append(f"{token.text} needs a search term after it (ignored)")
                return None
            negations += 1
        inner = self.parse_primary(context)
        if inner is None:
            return None
        return Not(inner) if negations % 2 else inner

    def parse_primary(self, context: str | None) -> Node | None:
        token = self.peek()
        assert token is not None
        self.pos += 1
        if token.kind == "(":
            inner = self.parse_or(context)
            closing = self.peek()
            if closing is not None and closing.kind == ")":
                self.pos += 1
            else:
                self.errors.append("missing ')': a '(' is never closed (closed it at the end)")
            return inner
        if token.kind == "field":
            following = self.peek()
            if following is None or following.kind not in ("(", "word", "phrase"):
                self.errors.append(f"{token.text}: needs a value right after the colon")
                return None
            return self.parse_primary(token.text)
        if token.kind == "-":  # a '-' where a term was expected, e.g. `title:-x`
            while (following := self.peek()) is not None and following.kind == "-":
                self.pos += 1
            return self.parse_primary(context) if self.peek() is not None else None
        node = self.leaf(context, token)
        if node is None or node in self.terms:
            return node
        if len(self.terms) >= MAX_TERMS:
            self.report_once(
                f"more than {MAX_TERMS} search terms: the ones after the first "
                f"{MAX_TERMS} were ignored (shorten the query)"
            )
            return None
        self.terms.add(node)
        return node

    def report_once(self, message: str) -> None:
        if message not in self.over:
            self.over.add(message)
            self.errors.append(message)

    def leaf(self, context: str | None, token: Token) -> Node | None:
        if context in FILTER_FIELD_NAMES:
            return self.filter_leaf(context, token.text.strip())
        fieldname = TEXT_FIELD_NAMES.get(context) if context else None
        if token.kind == "phrase":
            text = token.text.strip()
            return Text(fieldname, text, "phrase") if text else None
        return self.word_leaf(fieldname, token)

    def word_leaf(self, fieldname: str | None, token: Token) -> Node | None:
        text = token.text
        if fuzzy := _FUZZY.match(text):
            distance = int(fuzzy["dist"][:3]) if fuzzy["dist"] else 1
            if distance > MAX_FUZZY:
                self.errors.append(f"{text}: at most ~{MAX_FUZZY} typos are allowed (used ~2)")
                distance = MAX_FUZZY
            if len(fuzzy["text"]) > MAX_FUZZY_CHARS:
                self.errors.append(
                    f"{text[:40]}…: ~ works on words of up to {MAX_FUZZY_CHARS} letters; "
                    "searched the plain word"
                )
                return Text(fieldname, fuzzy["text"], "word")
            if self.too_many_expanding(f"{fieldname}:{fuzzy['text']}~{distance}"):
                return Text(fieldname, fuzzy["text"], "word")
            return Text(fieldname, fuzzy["text"], "fuzzy", distance)
        if "*" in text or "?" in text:
            stem = text.rstrip("*")
            if "*" in stem or "?" in stem:
                self.errors.append(f"{text}: only a trailing * is supported (ignored)")
                return None
            shortest = tag_text(stem) if fieldname == "tags" else prefix_words(stem)[1]
            if len(shortest) < MIN_PREFIX:  # as searched: `e.*` is `e*`, `ﬁ*` is `fi*`
                self.errors.append(f"{text}: type at least {MIN_PREFIX} letters before * (ignored)")
                return None
            if self.too_many_expanding(f"{fieldname}:{stem}*"):
                return Text(fieldname, stem, "word")
            return Text(fieldname, stem, "prefix")
        if self.as_you_type and token.last and not _finished(text):
            finished, last = partial_words(text)
            if not finished and not last:
                return None  # one letter says nothing yet; wait for the next keystroke
            return Text(fieldname, text, "partial")
        return Text(fieldname, text, "word")

    def too_many_expanding(self, key: str) -> bool:
        """Count a `~` or `*` word; True past MAX_EXPANDING (each one expands to many terms)."""
        if key in self.expanding:
            return False
        if len(self.expanding) < MAX_EXPANDING:
            self.expanding.add(key)
            return False
        self.report_once(
            f"more than {MAX_EXPANDING} different words with ~ or *: the ones after the first "
            f"{MAX_EXPANDING} were searched as plain words (use fewer ~ and * words)"
        )
        return True

    def filter_leaf(self, name: str, value: str) -> Node | None:
        lowered = value.lower()
        if name == "sort":
            if lowered.lstrip("-") in SORT_KEYS:
                self.sort = lowered
            else:
                self.errors.append(f"sort:{value}: unknown sort; use one of {', '.join(SORT_KEYS)}")
            return None
        if name == "status" or (name == "is" and lowered != "starred"):
            if lowered in STATUSES:
                return Filter("status", lowered)
            choices = STATUSES if name == "status" else IS_VALUES
            self.errors.append(f"{name}:{value}: unknown value; use one of {', '.join(choices)}")
            return None
        if name == "is":
            return Filter("starred", True)
        if name in ("added", "source"):
            return library_filter(name, value, self.errors)
        parser = parse_date_range if name == "date" else parse_number_range
        bounds = parser(lowered)
        if bounds is None:
            example = (
                "2024, 2024-03, 2024-03-15, 2023-06..2024-01, >2024-03 or unknown"
                if name == "date"
                else "5, >5, >=5, <3 or 2..10"
            )
            self.errors.append(f"{name}:{value}: not understood; write it like {example}")
            return None
        low, high = bounds
        if low is not None and high is not None and low > high:
            self.errors.append(
                f"{name}:{value}: the range is empty (its start is after its end), so nothing "
                "matches; write the earlier or smaller end first"
            )
        if name != "date":
            low, high = self.number_bounds(name, value, low, high)
        return Filter(name, low, high)

    def number_bounds(
        self, name: str, value: str, low: int | None, high: int | None
    ) -> tuple[int | None, int | None]:
        """Bounds the index can compare: a number past what it holds is reported, then
        read as an open end (`<huge`) or as a range nothing is in (`>huge`)."""
        if all(b is None or NUMBER_MIN <= b <= NUMBER_MAX for b in (low, high)):
            return low, high
        shown = value if len(value) <= 30 else f"{value[:30]}…"
        if (low is not None and low > NUMBER_MAX) or (high is not None and high < NUMBER_MIN):
            self.errors.append(
                f"{name}:{shown}: no paper has that many (numbers go from {NUMBER_MIN:,} to "
                f"{NUMBER_MAX:,}), so nothing matches"
            )
            return NUMBER_MAX, NUMBER_MIN  # a range nothing is in
        self.errors.append(
            f"{name}:{shown}: numbers go from {NUMBER_MIN:,} to {NUMBER_MAX:,}; "
            "the end past that was left open"
        )
        low = None if low is not None and low < NUMBER_MIN else low
        high = None if high is not None and high > NUMBER_MAX else high
        return low, high


def _join(kind: type[And] | type[Or], items: list[Node]) -> Node | None:
    items = list(dict.fromkeys(items))  # `a a` is `a`, `a OR a` is `a`: the same query
    if not items:
        return None
    return items[0] if len(items) == 1 else kind(tuple(items))


def parse(text: str, *, as_you_type: bool = False) -> ParsedQuery:
    """Parse a user query; problems go to `errors`, never into an exception."""
    errors: list[str] = []
    searched = text
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        searched = cut[: cut.rindex(" ")] if " " in cut[MAX_QUERY_CHARS // 2 :] else cut
        errors.append(
            f"the query is {len(text):,} characters long: searched its first "
            f"{len(searched):,} (at most {MAX_QUERY_CHARS:,}; shorten it)"
        )
    parser = _Parser(tokenize(searched, errors), as_you_type, errors)
    return ParsedQuery(text, parser.parse(), parser.sort, list(dict.fromkeys(errors)))


def _finished(text: str) -> bool:
    """True when typed text ends after its last word (`graph.`): that word is complete."""
    return not WORD_CHAR.match(text[-1:])


def partial_words(text: str) -> tuple[list[str], str]:
    """An unfinished word split into words as the index splits text (`text-to-ima` is text, to
    and ima), folded (`fold`): the finished ones, and the last one, still being typed, as a prefix
    ("" when it is too short to search yet). They are ANDed within each field."""
    words = [fold(word) for word in WORD.findall(text)]
    if not words:
        return [], ""
    last = words.pop() if not _finished(text) else ""
    return words, last if len(last) >= MIN_PREFIX else ""


def prefix_words(text: str) -> tuple[list[str], str]:
    """`text-to-im*` split as the index splits words, folded: the words, and the prefix last."""
    words = [fold(word) for word in WORD.findall(text)]
    return words[:-1], words[-1] if words else ""


def tag_text(text: str) -> str:
    """Tags are matched the way they are indexed: normalised as stored, then `fold_tag`ged."""
    return fold_tag(normalise_tag(text))
