"""Paper identity: the ID that notes are keyed by, so it must never change for the same paper.

The rule (also in the README; changing it orphans every user's notes):

* The identity key of a titled paper is its normalised title; of an untitled paper, its
  normalised abstract. Normalising applies Unicode NFKC, case-folds, and turns every run of
  characters that are not letters or digits into one space, so re-wrapping, re-indenting,
  changes of case or punctuation spacing do not change it.
* The ID is `<slug>-<hash>`: the slug is the key's first words in ASCII (accents dropped), joined
  by `-` and cut at a word boundary to at most 40 characters; the hash is the first 8 hex digits
  of the SHA-256 of the key (prefixed `t:` for titles, `a:` for abstracts).
* IDs use only `a-z`, `0-9` and `-`: safe as file names everywhere, case-insensitive included.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

SLUG_MAX = 40
HASH_LEN = 8

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Normalised form used for identity and duplicate detection."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", text).strip()


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = normalise(ascii_text).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            if not slug:
                slug = word[:limit]
            break
        slug = candidate
    return slug or "paper"


def identity_key(title: str | None, abstract: str) -> str:
    """What makes two copies the same paper: the title if there is one, else the abstract."""
    return f"t:{normalise(title)}" if title is not None else f"a:{normalise(abstract)}"


def paper_id(title: str | None, abstract: str) -> str:
    return id_for_key(identity_key(title, abstract))


def id_for_key(key: str) -> str:
    """The paper ID for an identity key (see `identity_key`)."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LEN]
    return f"{slugify(key[2:])}-{digest}"


def is_valid_id(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text))
