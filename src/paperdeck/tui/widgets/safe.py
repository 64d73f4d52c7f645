"""Editable fields that show untrusted text safely while keeping it exactly.

Textual's `Input` and `TextArea` send their value to the terminal as it is, so an escape sequence
in a note or a tag would be obeyed by the terminal the moment the editor opens. These subclasses
keep the value untouched (saving writes back what was read) and only neutralise what each painted
line shows (see `paperdeck.safe_text`).
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual.document._document import DocumentBase
from textual.document._wrapped_document import WrappedDocument
from textual.strip import Strip
from textual.widgets import Input, TextArea

from paperdeck.safe_text import has_unsafe, terminal_safe, terminal_safe_same_length


def safe_strip(strip: Strip) -> Strip:
    """`strip` with its text neutralised, cut back to its width (a `␛` takes a cell, ESC none)."""
    if not any(has_unsafe(segment.text) for segment in strip if not segment.control):
        return strip
    width = strip.cell_length
    segments = [
        segment
        if segment.control
        else Segment(terminal_safe(segment.text), segment.style, segment.control)
        for segment in strip
    ]
    return Strip(segments).crop(0, width)


class SafeInput(Input):
    """An `Input` whose value may hold control characters from data; it never paints them."""

    @property
    def _value(self) -> Text:
        # Rich would silently drop a BEL; shown one for one, it stays visible (`␇`).
        shown = terminal_safe_same_length(self.value)
        if shown is self.value or self.password:
            return super()._value
        text = Text(shown, no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))  # the net for anything else painted


class _ShownLines:
    """A document as the editor shows it, for wrapping and cursor placement: each line one
    character for one, so offsets into it are offsets into the exact text; the rest is the
    document itself."""

    def __init__(self, document: DocumentBase) -> None:
        self._document = document

    @property
    def lines(self) -> list[str]:
        return [terminal_safe_same_length(line) for line in self._document.lines]

    def get_line(self, index: int) -> str:
        return terminal_safe_same_length(self._document.get_line(index))

    def __getitem__(self, index: int | slice) -> str | list[str]:
        found = self._document[index]
        if isinstance(found, str):
            return terminal_safe_same_length(found)
        return [terminal_safe_same_length(line) for line in found]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)


class SafeTextArea(TextArea):
    """A `TextArea` whose text may hold control characters from data; it never paints them.

    Lines are shown one character for one (`␛`, `�`), and wrapped and measured as shown, so the
    cursor and highlights stay on the right characters while the text itself stays exact.
    """

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self._shown_wrapped

    @wrapped_document.setter
    def wrapped_document(self, wrapped: WrappedDocument) -> None:
        if not isinstance(wrapped.document, _ShownLines):
            wrapped.document = _ShownLines(wrapped.document)  # type: ignore[assignment]
        self._shown_wrapped = wrapped

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        shown = terminal_safe_same_length(self.document.get_line(line_index))
        if shown == line.plain:
            return line
        return Text(shown, end="", no_wrap=True)

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))  # the net for anything else painted
