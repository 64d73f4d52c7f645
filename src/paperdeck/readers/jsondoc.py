"""Shared JSON handling for the JSON formats: parse once, and know each top-level item's line.

`json` keeps no positions, so the items of a top-level array are decoded one by one with
`raw_decode`, which gives each item's offset (and so its line) for records and warnings.
"""

from __future__ import annotations

import json

from paperdeck.readers.record import LineCounter, ReadWarning

_DECODER = json.JSONDecoder()


def parse(text: str, what: str) -> tuple[object, list[tuple[int, object]], ReadWarning | None]:
    """(document, [(line, item) for top-level array items or the single object], error)."""
    body = text.lstrip("\ufeff")
    try:
        document = json.loads(body)
    except json.JSONDecodeError as error:
        return (
            None,
            [],
            ReadWarning(
                error.lineno,
                f"this {what} file is not valid JSON ({error.msg}, column {error.colno}); "
                "export or download it again",
            ),
        )
    except (RecursionError, ValueError):
        return None, [], ReadWarning(1, f"this {what} file is nested too deeply to read")
    if not isinstance(document, list):
        return document, [(1 + body[: len(body) - len(body.lstrip())].count("\n"), document)], None
    items: list[tuple[int, object]] = []
    index = body.index("[") + 1
    counter = LineCounter(body)
    try:
        while True:
            index = _skip(body, index)
            if index >= len(body) or body[index] == "]":
                break
            item, end = _DECODER.raw_decode(body, index)
            items.append((counter.line_at(index), item))
            index = _skip(body, end)
            if index < len(body) and body[index] == ",":
                index += 1
    except (json.JSONDecodeError, RecursionError, ValueError):
        items = [(1, item) for item in document]  # cannot happen after json.loads; stay total
    return document, items, None


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def looks_like_json(text: str) -> bool:
    """Starts like a JSON array or object (after a BOM and blank space)."""
    return text.lstrip("\ufeff \t\r\n")[:1] in {"[", "{"}
