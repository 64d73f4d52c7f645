"""CSL JSON (Citation Style Language input data), as Zotero and Better BibTeX export it.

Per the CSL data schema: a top-level array of items with `type`, `id`, `title`, `abstract`,
`author` (name objects: `family`/`given`, particles, or `literal`), `issued` (`date-parts`, or
`raw`/`literal`), `DOI`, `URL`, `container-title`, `volume`, `page`. Zotero puts an arXiv
preprint's ID in `number` (`arXiv:2306.05422`) and its arXiv DOI (`10.48550/arXiv.*`);
`archive_location` and `note` may carry it too.
"""

from __future__ import annotations

import json
import re

from paperdeck.readers import jsondoc
from paperdeck.readers.record import (
    Links,
    LooseDate,
    ReadResult,
    ReadWarning,
    SourceRecord,
    clipped,
    collapse,
    find_arxiv_id,
    loose_date,
    normalise_doi,
    split_arxiv_id,
)

NAME = "csl-json"
_CJK = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+$")
_CSL_KEYS = {"type", "title", "author", "issued", "DOI", "container-title", "citation-key"}


def looks_like(document: object) -> bool:
    """A list (or `{"items": [...]}`) whose objects mostly look like CSL items, not HF papers."""
    items = _items(document)
    objects = [item for item in items[:20] if isinstance(item, dict)]
    if any("paper" in item for item in objects):
        return False
    csl = sum("type" in item and len(_CSL_KEYS & item.keys()) >= 2 for item in objects)
    return csl > 0 and csl * 2 >= len(objects)


def _items(document: object) -> list[object]:
    if isinstance(document, dict) and isinstance(items := document.get("items"), list):
        return items
    return document if isinstance(document, list) else []


def read(text: str) -> ReadResult:
    """Every item with a title or an identifier; never raises."""
    document, located, error = jsondoc.parse(text, "CSL JSON")
    if error:
        return ReadResult(NAME, (), (error,))
    if isinstance(document, dict):
        located = [(1, item) for item in _items(document)]
    records: list[SourceRecord] = []
    warnings: list[ReadWarning] = []
    for line, item in located:
        if not isinstance(item, dict):
            warnings.append(ReadWarning(line, "this CSL JSON item is not an object; skipped"))
            continue
        record, problem = _record(item, line)
        if record is not None and problem:
            warnings.append(ReadWarning(line, f"{problem}; correct the date in the file"))
        if record is None:
            warnings.append(
                ReadWarning(line, "this CSL JSON item has no title, DOI or arXiv ID; skipped")
            )
        else:
            records.append(record)
    return ReadResult(NAME, tuple(records), tuple(warnings))


def _str(item: dict, key: str) -> str:
    value = item.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return collapse(value) if isinstance(value, str) else ""


def _record(item: dict, line: int) -> tuple[SourceRecord | None, str | None]:
    """The item's record (None without a title or identifier), and its date's problem."""
    title = _str(item, "title")
    doi = normalise_doi(_str(item, "DOI"))
    arxiv_id, version = _arxiv(item)
    if not title and not doi and not arxiv_id:
        return None, None
    issued = _issued(item.get("issued"))
    published, precision = issued.value, issued.precision
    url = _str(item, "URL")
    journal = collapse(f"{_str(item, 'container-title')} {_str(item, 'volume')}")
    page = _str(item, "page")
    citation_key = _str(item, "citation-key") or _str(item, "id")
    record = SourceRecord(
        format=NAME,
        line=line,
        title=title,
        abstract=_str(item, "abstract"),
        authors=_authors(item.get("author")),
        published=published,
        published_precision=precision,
        arxiv_id=arxiv_id,
        arxiv_version=version,
        doi=doi,
        journal_ref=(f"{journal}, {page}" if journal and page else journal) or None,
        links=Links(abstract_page=url or None),
        key=citation_key or None,
    )
    return record, issued.problem


def _arxiv(item: dict) -> tuple[str | None, int | None]:
    for key in ("number", "archive_location"):
        found = split_arxiv_id(_str(item, key))
        if found[0]:
            return found
    for key in ("number", "archive_location", "DOI", "URL", "note"):
        found = find_arxiv_id(_str(item, key))
        if found[0]:
            return found
    return None, None


def _issued(value: object) -> LooseDate:
    """`{"date-parts": [[2023, 6, 8]]}` (parts may be strings, month/day optional) or `raw`;
    a part that is not real is dropped with a problem (`loose_date`), unless `raw` is whole."""
    if not isinstance(value, dict):
        return LooseDate(None, None)
    found = LooseDate(None, None)
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = [*parts[0][:3], None, None]
        found = loose_date(first[0], first[1], first[2], seasons=True)
        if found.problem:
            shown = ", ".join(_json_text(part) for part in parts[0][:3])
            found = LooseDate(found.value, found.precision, f"issued [{shown}]: {found.problem}")
        if found.value and not found.problem:
            return found
    for key in ("raw", "literal"):
        raw = value.get(key)
        if isinstance(raw, str):
            match = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", raw)
            if match:
                whole = loose_date(*match.groups())
                if whole.value and not whole.problem:
                    return whole
                if found.value is None and found.problem is None:  # `raw` was all there was
                    problem = f"issued {key} {_json_text(raw)}: {whole.problem}"
                    found = LooseDate(whole.value, whole.precision, problem)
    return found


def _json_text(value: object) -> str:
    """A JSON value as the file writes it, for a message."""
    return clipped(json.dumps(value, ensure_ascii=False))


def _authors(value: object) -> tuple[str, ...]:
    """Name objects to "Given [dropping] [non-dropping] Family[, suffix]" or their `literal`."""
    if not isinstance(value, list):
        return ()
    names: list[str] = []
    for person in value:
        if not isinstance(person, dict):
            continue
        literal = _str(person, "literal")
        if literal:
            names.append(literal)
            continue
        family, given = _str(person, "family"), _str(person, "given")
        if family and given and _CJK.match(family + given):
            names.append(family + given)  # Chinese, Japanese, Korean names: family name first
            continue
        parts = [
            _str(person, key)
            for key in ("given", "dropping-particle", "non-dropping-particle", "family")
        ]
        name = collapse(" ".join(p for p in parts if p))
        suffix = _str(person, "suffix")
        if name:
            names.append(f"{name}, {suffix}" if suffix else name)
    return tuple(names)
