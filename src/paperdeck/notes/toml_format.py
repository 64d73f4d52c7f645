"""The canonical TOML form of one paper's notes file: the same state always gives the same bytes.

Layout (fixed, so git diffs and merges stay small and files stay hand-editable)::

    schema = 1
    id = "<paper-id>"
    title = "<paper title>"

    starred = true                       # only when starred
    starred_at = 2026-11-23T09:30:00Z    # only when set

    status = "reading"                   # only when not "unread"
    status_at = 2026-11-23T09:31:05Z     # only when set

    tags = [
        "diffusion",
    ]

    note = \"\"\"
    First line of the note.\"\"\"

    unknown-key = "kept, after the known keys, sorted, one blank line apart"

Rules: groups are separated by one blank line; empty groups are left out; the file is UTF-8 with
LF only and ends with one newline. The note is a multi-line basic string that opens with `\"\"\"`
and a newline (which TOML drops) and closes right after the text; backslashes, control characters
and every third `"` in a row are escaped. Unknown keys are written as inline values.

Normalisation (what a round trip may change, on write and on read alike):

* note text: CRLF and lone CR become LF (TOML cannot hold a raw CR in a multi-line string);
* tags: trimmed, lower-case, inner white space `-`, NFC, unique, sorted, empty ones dropped;
* `starred_at` / `status_at`: UTC with a `Z`, whole seconds; naive values count as UTC;
* a leading BOM is dropped; `schema` missing counts as 1.

Text with lone surrogates cannot be UTF-8: `dumps_annotation` refuses it (`NotesEncodeError`)
before anything is written, so a caller never produces a half-written file.
"""

from __future__ import annotations

import codecs
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time
from types import MappingProxyType
from typing import Any

from paperdeck.notes.annotation import DEFAULT_STATUS, STATUSES, Annotation, normalise_tags
from paperdeck.notes.file_errors import DEFAULT_HINT, NotesEncodeError, NotesFileError

SCHEMA = 1
KNOWN_KEYS = (
    "schema",
    "id",
    "title",
    "starred",
    "starred_at",
    "status",
    "status_at",
    "tags",
    "note",
)

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")
_MARKER = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)
_SIMPLE_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


# --- normalisation ---------------------------------------------------------------------------


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF: the only line ending a notes file holds."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def normalise_annotation(a: Annotation) -> Annotation:
    """The state as it comes back from a write and a read (see the module docstring)."""
    return replace(
        a,
        tags=normalise_tags(a.tags),
        note=normalise_newlines(a.note),
        starred_at=_utc(a.starred_at),
        status_at=_utc(a.status_at),
        extra=MappingProxyType(dict(sorted(a.extra.items()))),
    )


# --- writing ---------------------------------------------------------------------------------


def _check_text(value: str, what: str) -> str:
    bad = _SURROGATE.search(value)
    if bad:
        raise NotesEncodeError(
            f"{what} contains a character that cannot be saved as UTF-8 (lone surrogate "
            f"U+{ord(bad.group()):04X} at position {bad.start()}); remove it and save again"
        )
    return value


def _basic(value: str, what: str) -> str:
    out = []
    for ch in _check_text(value, what):
        if ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_MULTILINE_ESCAPE = re.compile(r'\\|[\x00-\x08\x0b-\x1f\x7f]|"{3,}')


def _escape_multiline(match: re.Match[str]) -> str:
    found = match.group()
    if found == "\\":
        return "\\\\"
    if found[0] == '"':  # every third `"` in a row is escaped, so none can close the string
        return "".join('\\"' if i % 3 == 2 else '"' for i in range(len(found)))
    return f"\\u{ord(found):04X}"


def _multiline(value: str, what: str) -> str:
    body = _MULTILINE_ESCAPE.sub(_escape_multiline, _check_text(value, what))
    return '"""\n' + body + '"""'


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _basic(key, f"key {key!r}")


def _timestamp(value: datetime) -> str:
    """UTC with a Z, never an offset: tomli-w writes offsets with seconds as invalid TOML."""
    d = value.astimezone(UTC) if value.tzinfo is not None else value
    text = f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}"
    if d.microsecond:
        text += f".{d.microsecond:06d}"
    return text + ("Z" if value.tzinfo is not None else "")


def _value(value: Any, what: str) -> str:
    """An inline TOML value for an unknown key (anything tomllib can produce)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _basic(value, what)
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, time) and value.tzinfo is None:
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item, what) for item in value) + "]"
    if isinstance(value, Mapping):
        items = [f"{_key(str(k))} = {_value(v, what)}" for k, v in value.items()]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    raise NotesEncodeError(f"{what}: cannot store a {type(value).__name__} in a notes file")


def dumps_annotation(a: Annotation) -> str:
    """The canonical file text for `a` (normalised first). Raises NotesEncodeError, never writes."""
    if not a.paper_id:
        raise NotesEncodeError("a notes file needs a paper ID")
    if a.status not in STATUSES:
        raise NotesEncodeError(f"unknown status {a.status!r}; use one of {', '.join(STATUSES)}")
    a = normalise_annotation(a)
    groups = [
        [
            f"schema = {SCHEMA}",
            f"id = {_basic(a.paper_id, 'the paper ID')}",
            f"title = {_basic(a.title, 'the title')}",
        ]
    ]
    star = ["starred = true"] if a.starred else []
    if a.starred_at is not None:
        star.append(f"starred_at = {_timestamp(a.starred_at)}")
    status = [f"status = {_basic(a.status, 'status')}"] if a.status != DEFAULT_STATUS else []
    if a.status_at is not None:
        status.append(f"status_at = {_timestamp(a.status_at)}")
    groups += [star, status]
    if a.tags:
        lines = [f"    {_basic(tag, 'a tag')}," for tag in a.tags]
        groups.append(["tags = [", *lines, "]"])
    if a.note:
        groups.append([f"note = {_multiline(a.note, 'the note')}"])
    for key, value in a.extra.items():
        if key in KNOWN_KEYS:
            raise NotesEncodeError(f"unknown key {key!r} clashes with a known one")
        groups.append([f"{_key(key)} = {_value(value, f'key {key!r}')}"])
    text = "\n\n".join("\n".join(group) for group in groups if group) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:  # belt and braces: _check_text should catch all
        raise NotesEncodeError(f"cannot save as UTF-8: {error}") from None
    return text


# --- reading ---------------------------------------------------------------------------------


def decode_notes(data: bytes, path: str) -> str:
    """File bytes to text: UTF-8, a BOM dropped; bad bytes are a NotesFileError with a place."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotesFileError(path, 1, 1, "saved as UTF-16", "save it as UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        raise NotesFileError(
            path,
            before.count(b"\n") + 1,
            column,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x})",
            "save the file as UTF-8",
        ) from None


def _key_position(text: str, key: str) -> tuple[int | None, int | None]:
    """Where `key = ...` is written at the start of a line (tomllib does not say)."""
    pattern = rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')[ \t]*=[ \t]*"
    found = re.search(pattern, text, re.MULTILINE)
    if not found:
        return None, None
    line = text.count("\n", 0, found.start()) + 1
    return line, found.end() - (text.rfind("\n", 0, found.start()) + 1) + 1


def _syntax_error(text: str, path: str, error: tomllib.TOMLDecodeError) -> NotesFileError:
    marker = _MARKER.search(text)
    if marker:
        return NotesFileError(
            path,
            text.count("\n", 0, marker.start()) + 1,
            1,
            "unresolved git conflict markers (<<<<<<< ... >>>>>>>)",
            "keep the lines you want, delete the marker lines, then save",
        )
    message = str(error)
    found = _POSITION.search(message)
    line: int | None = None
    column: int | None = None
    if found:
        message = message[: found.start()]
        if found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        else:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
    return NotesFileError(path, line, column, f"invalid TOML: {message}")


def _timestamp_field(data: dict[str, Any], key: str, where: Any) -> datetime | None:
    value = data.pop(key, None)
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise where(key, "must be a date and time, like 2026-11-23T09:30:00Z")
    try:
        return _utc(value)
    except OverflowError:
        raise where(key, "is out of range once converted to UTC") from None


def loads_annotation(text: str, path: str, expected_id: str | None = None) -> Annotation:
    """Parse one notes file; anything doubtful is a NotesFileError (the file stays untouched)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(text, path, error) from None
    if not data:
        raise NotesFileError(
            path, 1, 1, "empty notes file", "delete it, or restore its content from git"
        )

    def where(key: str, message: str, hint: str = DEFAULT_HINT) -> NotesFileError:
        line, column = _key_position(text, key)
        return NotesFileError(path, line, column, f"{key} {message}", hint)

    def typed(key: str, kind: type, default: Any, name: str) -> Any:
        value = data.pop(key, default)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise where(key, f"must be {name}, not {type(value).__name__} {value!r}")
        return value

    schema = typed("schema", int, SCHEMA, "a whole number")
    if schema > SCHEMA:
        raise where(
            "schema",
            f"is {schema}: written by a newer paperdeck (this one reads {SCHEMA})",
            "upgrade paperdeck to change these notes",
        )
    if schema < 1:
        raise where("schema", f"is {schema}; the first schema is 1")
    if "id" not in data:
        raise NotesFileError(
            path,
            1,
            1,
            "no id: a notes file must say which paper it is for",
            'add a line like id = "<paper-id>" (the file name without .toml)',
        )
    paper_id = typed("id", str, "", "text")
    if not paper_id:
        raise where("id", "is empty")
    if expected_id is not None and paper_id != expected_id:
        raise where(
            "id",
            f"{paper_id!r} does not match the file name {expected_id}.toml",
            "rename the file to the id inside it, or fix the id",
        )
    title = typed("title", str, "", "text")
    starred = typed("starred", bool, False, "true or false")
    starred_at = _timestamp_field(data, "starred_at", where)
    status = typed("status", str, DEFAULT_STATUS, "text")
    if status not in STATUSES:
        raise where("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    status_at = _timestamp_field(data, "status_at", where)
    tags = typed("tags", list, [], "a list of text")
    if not all(isinstance(tag, str) for tag in tags):
        raise where("tags", 'must be a list of text, like ["diffusion", "rl"]')
    note = typed("note", str, "", "text")
    return Annotation(
        paper_id=paper_id,
        title=title,
        starred=starred,
        starred_at=starred_at,
        status=status,
        status_at=status_at,
        tags=normalise_tags(tags),
        note=normalise_newlines(note),
        extra=MappingProxyType(dict(sorted(data.items()))),
    )


def load_bytes(data: bytes, path: str, expected_id: str | None = None) -> Annotation:
    """Decode then parse: the whole read path for one file's bytes."""
    return loads_annotation(decode_notes(data, path), path, expected_id)
