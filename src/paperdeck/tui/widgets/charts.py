"""Charts drawn with block characters as Rich text: columns over time, bars for a ranking.

Drawn here rather than through a plotting library: they are a few lines each, follow the theme
through the styles given, and look the same in every terminal and snapshot."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from paperdeck.safe_text import terminal_safe

EIGHTHS = " ▁▂▃▄▅▆▇█"


def column_chart(
    values: Sequence[int],
    *,
    height: int,
    first_label: str = "",
    last_label: str = "",
    style: str = "",
    axis_style: str = "dim",
) -> Text:
    """One column per value, `height` rows tall (in eighths of a row), the largest value on
    the left axis, and the first and last labels under the ends."""
    peak = max(values, default=0)
    scale = f"{peak:,}"
    pad = len(scale)
    text = Text()
    for row in range(height, 0, -1):
        label = scale if row == height else ("0".rjust(pad) if row == 1 else " " * pad)
        text.append(f"{label} ┤" if row in (height, 1) else f"{label} │", style=axis_style)
        for value in values:
            eighths = round(value / peak * height * 8) if peak else 0
            if value and not eighths:
                eighths = 1  # a day with any decision shows
            filled = eighths - (row - 1) * 8
            text.append(EIGHTHS[max(0, min(filled, 8))], style=style)
        text.append("\n")
    text.append(" " * pad + " └" + "─" * len(values) + "\n", style=axis_style)
    gap = max(len(values) - len(first_label) - len(last_label), 1)
    text.append(" " * (pad + 2) + first_label + " " * gap + last_label, style=axis_style)
    return text


def bar_rows(
    items: Sequence[tuple[str, int]], *, width: int, style: str = "", label_width: int = 16
) -> Text:
    """One labelled horizontal bar per item, the longest `width` cells long."""
    peak = max((count for _, count in items), default=0)
    text = Text()
    for n, (label, count) in enumerate(items):
        name = terminal_safe(label)  # tags come from notes files
        if len(name) > label_width:
            name = name[: label_width - 1] + "…"
        cells = count / peak * width if peak else 0
        whole = int(cells)
        bar = "█" * whole + (EIGHTHS[round((cells - whole) * 8)] if whole < width else "")
        text.append(f"{name:<{label_width}} ")
        text.append(bar.rstrip(), style=style)
        text.append(f" {count:,}", style="dim")
        if n < len(items) - 1:
            text.append("\n")
    return text
