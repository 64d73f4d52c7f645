"""Turning a parsed query (`paperdeck.query`) into Whoosh query objects, and sort keys into facets.

Prefixes are the one expensive thing in Whoosh: `d*` expands to thousands of terms and takes
seconds. `BoundedPrefix` keeps only the most frequent completions, and as-you-type words match
titles through an edge-n-gram field, so no keystroke costs more than a normal query.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh import sorting
from whoosh.fields import Schema

from paperdeck.index_schema import COMPLETE_MAX, DEFAULT_FIELDS, TEXT_FIELDS
from paperdeck.query import And, Filter, Node, Not, Or, Text, tag_text

PREFIX_TERMS = 64  # completions kept per prefix (the most frequent ones)
PREFIX_SCAN = 20_000  # completions looked at, at most, to choose them
PARTIAL_MIN_BODY = 3  # as-you-type prefixes shorter than this only look at titles and tags


class BoundedPrefix(wq.Prefix):
    """A prefix query that expands to at most `PREFIX_TERMS` terms, the most frequent first."""

    def _btexts(self, ixreader: Any) -> Iterable[bytes]:
        scanned = islice(ixreader.iter_prefix(self.fieldname, self.text), PREFIX_SCAN)
        best = heapq.nlargest(
            PREFIX_TERMS, ((info.doc_frequency(), text) for text, info in scanned)
        )
        return [text for _, text in best]


def compile_tree(tree: Node | None, schema: Schema) -> wq.Query:
    """The Whoosh query for a tree; None (an empty query) matches every paper."""
    if tree is None:
        return wq.Every()
    compiled = _compile(tree, schema)
    return compiled if compiled is not None else wq.NullQuery


def _compile(node: Node, schema: Schema) -> wq.Query | None:
    if isinstance(node, And | Or):
        parts = [q for q in (_compile(item, schema) for item in node.items) if q is not None]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return wq.And(parts) if isinstance(node, And) else wq.Or(parts)
    if isinstance(node, Not):
        inner = _compile(node.item, schema)
        return wq.Not(inner) if inner is not None else None
    if isinstance(node, Filter):
        return _filter(node)
    if node.field is None:
        fieldnames = DEFAULT_FIELDS
        if node.mode == "partial" and _completes(node.text):
            # title words starting with it: the edge-n-gram field has them as one term
            fieldnames = ("complete", *(f for f in DEFAULT_FIELDS if f != "title"))
        parts = [q for q in (_text(f, node, schema) for f in fieldnames) if q is not None]
        return wq.Or(parts) if len(parts) > 1 else (parts[0] if parts else None)
    if node.field == "title" and node.mode == "partial":
        return _text("complete", node, schema)
    return _text(node.field, node, schema)


def _completes(text: str) -> bool:
    """True when the `complete` field holds `text` as a title-word prefix term."""
    words = text.lower().split()
    return bool(words) and len(words[-1]) <= COMPLETE_MAX


def _filter(node: Filter) -> wq.Query:
    if node.field == "starred":
        return wq.Term("starred", True)
    if node.field == "status":
        return wq.Term("status", str(node.low))
    low = node.low if isinstance(node.low, int) else None
    return wq.NumericRange(node.field, low, node.high)


def analyse(schema: Schema, fieldname: str, text: str) -> list[str]:
    """The terms a text field indexes for `text`, as a query would look for them."""
    return list(schema[fieldname].process_text(text, mode="query"))


def _text(fieldname: str, node: Text, schema: Schema) -> wq.Query | None:
    mode, text = node.mode, node.text
    if fieldname == "id":
        lowered = text.lower()
        return (
            BoundedPrefix("id", lowered)
            if mode in ("prefix", "partial")
            else wq.Term("id", lowered)
        )
    if fieldname == "tags":
        tag = tag_text(text)
        if not tag:
            return None
        if mode in ("prefix", "partial"):
            return BoundedPrefix("tags", tag)
        if mode == "fuzzy":
            return wq.FuzzyTerm("tags", tag, maxdist=node.distance, prefixlength=1)
        return wq.Term("tags", tag)
    if fieldname == "complete":
        words = [w.lower() for w in text.split()]
        last = words[-1] if words else ""
        if len(last) > COMPLETE_MAX:
            return BoundedPrefix("title", last)
        return wq.Term("complete", last) if last else None
    assert fieldname in TEXT_FIELDS, fieldname
    if mode in ("word", "phrase"):
        terms = analyse(schema, fieldname, text)
        if not terms:
            return None
        return wq.Term(fieldname, terms[0]) if len(terms) == 1 else wq.Phrase(fieldname, terms)
    lowered = text.lower()
    if mode == "fuzzy":
        return wq.FuzzyTerm(fieldname, lowered, maxdist=node.distance, prefixlength=1)
    if mode == "partial" and fieldname != "title" and len(lowered) < PARTIAL_MIN_BODY:
        return None
    return BoundedPrefix(fieldname, lowered)


# --- sorting ---------------------------------------------------------------------------------


def sort_facets(sort: str, empty_query: bool) -> Any:
    """Whoosh `sortedby` for a sort key (None: by relevance).

    Keys: relevance (best first), date (newest first; papers without a known year last),
    comments and upvotes (most first, then newest; no paper has upvotes today), title (A to Z).
    A leading `-` reverses the order. An empty query has no relevance, so it is listed newest
    first.
    """
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    title = sorting.FieldFacet("title_sort", reverse=reverse)
    if key == "relevance":
        if not empty_query:
            return None
        key, reverse = "date", False
    if key == "date":
        if reverse:  # oldest first, the undated still last
            return [sorting.FieldFacet("date_oldest"), title]
        return [sorting.FieldFacet("date", reverse=True), title]
    if key in ("comments", "upvotes"):
        return [
            sorting.FieldFacet(key, reverse=not reverse),
            sorting.FieldFacet("date", reverse=not reverse),
            title,
        ]
    return [title]
