"""One row of the paper list: what it shows (`RowView`) and how it is laid out in a width.

The list paints only the rows on screen and asks this module for each one; nothing here keeps
state. Titles and tags come from scraped pages and notes: they pass through `terminal_safe`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from paperdeck.library import match_spans
from paperdeck.safe_text import terminal_safe

STATUS_MARKS = {"unread": "•", "later": "◷", "reading": "▶", "read": "✓", "skipped": "✗"}
STAR_MARK = "★"
COMMENTS_MARK = "✉"  # before the comment count a daily-papers page gives
UPVOTES_MARK = "▲"
READ_ONLY_MARK = "!"  # in the star's place: the notes file cannot be read, so it is never written
NOTE_MARK = "✎"  # after the status: the paper has a note
MARKED_MARK = "◆"  # first: marked for a batch action (space, `v`)

# The sorts whose key gets a column of its own while the list is sorted by it.
SORT_COLUMNS = ("date", "comments", "upvotes", "predicted")


@dataclass(frozen=True)
class RowView:
    """What one row shows; built on demand for visible rows only."""

    title: str
    title_derived: bool
    starred: bool
    status: str
    tags: tuple[str, ...]
    date: str
    comments: int
    read_only: bool = False
    has_note: bool = False
    upvotes: int | None = None
    score: float | None = None  # the predicted score, when the list is sorted by it


@dataclass(frozen=True)
class RowLayout:
    """How rows are laid out: the width, compact mode, and the sort whose column is shown."""

    width: int
    compact: bool = False
    sort: str | None = None


def sort_cell(view: RowView, sort: str | None) -> tuple[str, int]:
    """The text of the sort key's own column and its width (none for other sorts)."""
    if sort == "comments":
        return (f"{COMMENTS_MARK}{view.comments}" if view.comments else ""), 5
    if sort == "upvotes":
        return (f"{UPVOTES_MARK}{view.upvotes}" if view.upvotes is not None else ""), 6
    if sort == "predicted":
        return (f"{view.score:+.2f}" if view.score is not None else ""), 6
    return "", 0


def render_row(
    view: RowView,
    layout: RowLayout,
    styles: Mapping[str, Style],
    console: Console,
    *,
    is_cursor: bool,
    marked: bool,
    match_words: Sequence[str] = (),
) -> Strip:
    """The row as a strip exactly `layout.width` cells wide."""
    width = layout.width
    style = styles["cursor" if is_cursor else "base"]
    if marked:
        style = style + styles["marked"]
    dim = styles["dim"]
    mark = Text(MARKED_MARK if marked else " ", style=styles["marker"])
    if view.read_only:
        star = Text(READ_ONLY_MARK, style=styles["readonly"])
    else:
        star = Text(STAR_MARK if view.starred else " ", style=styles["star"])
    status = Text(
        STATUS_MARKS.get(view.status, "?"),
        style=dim if view.status != "unread" else Style(bold=True),
    )
    note = Text(NOTE_MARK if view.has_note else " ", style=dim)
    prefix = Text.assemble(mark, star, " ", status, note, " ")

    cell, cell_width = sort_cell(view, layout.sort)
    if layout.compact:
        date_width = 13
        tags_width = comments_width = 0
    else:
        date_width = 13 if width >= 70 or layout.sort == "date" else 0
        comments_width = 4 if width >= 60 and layout.sort != "comments" else 0
        tags_width = min(24, max(0, (width - 60) // 3)) if view.tags and width >= 90 else 0
    title_width = max(
        width
        - len(prefix)
        - date_width
        - comments_width
        - cell_width
        - (tags_width + 1 if tags_width else 0),
        8,
    )
    title = title_text(view, styles, match_words)
    title.truncate(title_width, overflow="ellipsis", pad=True)

    line = Text.assemble(prefix, style=style, end="")
    if layout.compact:
        line.append(f"{view.date:<{date_width}}", style=dim)
    line.append_text(title)
    if tags_width:
        tags = Text(terminal_safe(" ".join(f"#{tag}" for tag in view.tags)), style=styles["tag"])
        tags.truncate(tags_width, overflow="ellipsis", pad=True)
        line.append(" ")
        line.append_text(tags)
    if comments_width:
        comments = f"{COMMENTS_MARK}{view.comments}" if view.comments else ""
        line.append(f"{comments:>{comments_width}}", style=dim)
    if cell_width:
        line.append(f"{cell:>{cell_width}}", style=styles["sortkey"])
    if date_width and not layout.compact:
        line.append(
            f"{view.date:>{date_width}}", style=styles["sortkey"] if layout.sort == "date" else dim
        )
    return Strip(list(line.render(console))).crop_extend(0, width, style)


def title_text(view: RowView, styles: Mapping[str, Style], match_words: Sequence[str]) -> Text:
    """The title, italic when made from the abstract, with the query's words marked."""
    title = terminal_safe(view.title)  # titles come from scraped pages: never escapes
    text = Text(title, style=styles["derived"] if view.title_derived else Style())
    for start, end in match_spans(title, match_words):  # compared as a search compares words
        text.stylize(styles["match"], start, end)
    return text
