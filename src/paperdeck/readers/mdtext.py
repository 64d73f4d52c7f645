"""Markdown inline text and upvote links, shared by the Hugging Face listing and page readers."""

from __future__ import annotations

import re

from paperdeck.readers.record import ARXIV_ID, collapse

HF = r"(?:https?://(?:www\.)?huggingface\.co)?"
UPVOTES = re.compile(
    rf"\[(?:-\s*\[[ xX]\]\s*)?(?:Upvote\s*)?(\d[\d,]*)\s*\]"
    rf"\({HF}/login\?next=(?:%2F|/)papers(?:%2F|/)({ARXIV_ID})\)"
)
# Bracket classes exclude both brackets so a line of thousands of `[` stays linear to scan.
_WRAPPED = re.compile(r"^\[(.*)\]\([^()\s]*\)$", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_HARD_BREAK = re.compile(r"\\+(?=\s|$)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def plain(text: str) -> str:
    """Markdown inline text to plain text: link-wrapped blocks, images, links, escapes and
    hard line breaks (a backslash at the end of a wrapped line) removed."""
    wrapped = _WRAPPED.match(text)
    if wrapped:
        text = wrapped.group(1)
    text = _LINK.sub(r"\1", _IMAGE.sub("", text))
    return collapse(_ESCAPE.sub(r"\1", _HARD_BREAK.sub(" ", text)))


def upvotes(region: list[str], paper_id: str, last: bool = False) -> int | None:
    """The count of the upvote link for `paper_id` in these lines (the first or the last)."""
    found = [m for m in UPVOTES.finditer("\n".join(region)) if m.group(2) == paper_id]
    if not found:
        return None
    return int(found[-1 if last else 0].group(1).replace(",", ""))
