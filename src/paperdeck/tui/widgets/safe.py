"""Editable fields that show untrusted text safely while keeping it exactly.

Textual's `Input` and `TextArea` send their value to the terminal as it is, so an escape sequence
in a note or a tag would be obeyed by the terminal the moment the editor opens. These subclasses
keep the value untouched (saving writes back what was read) and only neutralise what each painted
line shows (see `paperdeck.safe_text`).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input, TextArea

from paperdeck.safe_text import has_unsafe, terminal_safe


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

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))


class SafeTextArea(TextArea):
    """A `TextArea` whose text may hold control characters from data; it never paints them."""

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))
