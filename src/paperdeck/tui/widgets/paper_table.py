"""The paper list: renders only the rows on screen (Textual's line API), so 100k papers are cheap.

The widget holds a sequence of paper IDs and asks a `describe` callback for a row's fields only when
that row is painted; it never creates a widget or even an object per paper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperdeck.safe_text import terminal_safe

STATUS_MARKS = {"unread": "•", "later": "◷", "reading": "▶", "read": "✓", "skipped": "✗"}
STAR_MARK = "★"
COMMENTS_MARK = "✉"  # before the comment count a daily-papers page gives
READ_ONLY_MARK = "!"  # in the star's place: the notes file cannot be read, so it is never written


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


class PaperTable(ScrollView, can_focus=True):
    """A keyboard-first list of papers with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("pagedown,ctrl+d", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False),
        Binding("enter", "select", "Open", show=True),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-table--cursor",
        "paper-table--star",
        "paper-table--derived",
        "paper-table--dim",
        "paper-table--tag",
        "paper-table--match",
        "paper-table--header",
        "paper-table--readonly",
    }
    DEFAULT_CSS = """
    PaperTable {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    PaperTable > .paper-table--cursor { background: $boost; text-style: bold; }
    PaperTable:focus > .paper-table--cursor { background: $accent 40%; }
    PaperTable > .paper-table--star { color: $warning; }
    PaperTable > .paper-table--derived { color: $text-muted; text-style: italic; }
    PaperTable > .paper-table--dim { color: $text-muted; }
    PaperTable > .paper-table--tag { color: $secondary; }
    PaperTable > .paper-table--match { color: $text-accent; text-style: bold underline; }
    PaperTable > .paper-table--readonly { color: $error; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to a paper (or to none, when the list is empty)."""

        def __init__(self, table: PaperTable, paper_id: str | None) -> None:
            super().__init__()
            self.table = table
            self.paper_id = paper_id

    class Selected(Message):
        def __init__(self, table: PaperTable, paper_id: str) -> None:
            super().__init__()
            self.table = table
            self.paper_id = paper_id

    def __init__(
        self,
        describe: Callable[[str], RowView],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._describe = describe
        self._rows: Sequence[str] = ()
        self._cache: dict[tuple[str, int, bool, bool], Strip] = {}
        self._match_words: tuple[str, ...] = ()
        self._styles: dict[str, Style] | None = None  # resolved once per theme and focus

    # --- data -----------------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[str]:
        return self._rows

    @property
    def current(self) -> str | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_rows(
        self, rows: Sequence[str], *, keep: str | None = None, match_words: Sequence[str] = ()
    ) -> None:
        """Show `rows`; the cursor stays on `keep` when it is still listed, else goes to the top."""
        self._rows = rows
        self._match_words = tuple(w.casefold() for w in match_words if w)
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows))
        position = 0
        if keep is not None:
            try:
                position = rows.index(keep)
            except ValueError:
                position = 0
        self.cursor = min(position, max(len(rows) - 1, 0))
        self.refresh()

    def refresh_paper(self, paper_id: str) -> None:
        """A paper's notes changed: repaint its row if it is visible."""
        for key in [key for key in self._cache if key[0] == paper_id]:
            del self._cache[key]
        self.refresh()

    def refresh_all(self) -> None:
        self._cache.clear()
        self._styles = None
        self.refresh()

    # --- cursor ---------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True, immediate=True)
        self.post_message(self.Highlighted(self, self.current))

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_page_down(self) -> None:
        self.cursor += max(self.scrollable_content_region.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.scrollable_content_region.height - 1, 1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    async def _on_click(self, event: Click) -> None:
        row = event.y + int(self.scroll_y)
        if 0 <= row < len(self._rows):
            if row == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = row

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))

    def on_focus(self) -> None:
        self._styles = None
        self.refresh()

    def on_blur(self) -> None:
        self._styles = None
        self.refresh()

    def on_mount(self) -> None:
        # Theme colours are baked into cached rows: a new theme repaints them.
        self.watch(self.app, "theme", lambda _theme: self.refresh_all(), init=False)

    # --- painting -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = y + int(self.scroll_y)
        width = self.scrollable_content_region.width or self.size.width
        if row >= len(self._rows):
            return Strip.blank(width, self._row_styles()["base"])
        paper_id = self._rows[row]
        # Focus changes the cursor colour, so it is part of what a cached row depends on.
        key = (paper_id, width, row == self.cursor, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(paper_id, width, row == self.cursor)
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = strip
        return strip.apply_offsets(0, row)

    def _row_styles(self) -> dict[str, Style]:
        """The component styles rows use; resolving them is most of a row's cost."""
        if self._styles is None:
            partial = {
                name: self.get_component_rich_style(f"paper-table--{name}", partial=True)
                for name in ("dim", "star", "tag", "readonly", "derived", "match")
            }
            base = self.rich_style
            cursor = base + self.get_component_rich_style("paper-table--cursor")
            self._styles = {"base": base, "cursor": cursor, **partial}
        return self._styles

    def _render_row(self, paper_id: str, width: int, is_cursor: bool) -> Strip:
        view = self._describe(paper_id)
        styles = self._row_styles()
        style = styles["cursor" if is_cursor else "base"]
        dim = styles["dim"]
        star_style = styles["star"]
        tag_style = styles["tag"]

        if view.read_only:
            star = Text(READ_ONLY_MARK, style=styles["readonly"])
        else:
            star = Text(STAR_MARK if view.starred else " ", style=star_style)
        status = Text(
            STATUS_MARKS.get(view.status, "?"),
            style=dim if view.status != "unread" else Style(bold=True),
        )
        date_width = 12 if width >= 70 else 0
        comments_width = 4 if width >= 60 else 0
        tags_width = min(24, max(0, (width - 60) // 3)) if view.tags else 0
        if width < 90:
            tags_width = 0
        title_width = max(
            width - 4 - date_width - comments_width - (tags_width + 1 if tags_width else 0), 8
        )

        title = self._title_text(view)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text.assemble(star, " ", status, " ", title, style=style, end="")
        if tags_width:
            tags = Text(terminal_safe(" ".join(f"#{tag}" for tag in view.tags)), style=tag_style)
            tags.truncate(tags_width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(tags)
        if comments_width:
            comments = f"{COMMENTS_MARK}{view.comments}" if view.comments else ""
            line.append(f"{comments:>{comments_width}}", style=dim)
        if date_width:
            line.append(f"{view.date:>{date_width}}", style=dim)
        return Strip(list(line.render(self.app.console))).crop_extend(0, width, style)

    def _title_text(self, view: RowView) -> Text:
        styles = self._row_styles()
        title = terminal_safe(view.title)  # titles come from scraped pages: never escapes
        text = Text(title, style=styles["derived"] if view.title_derived else Style())
        if self._match_words:
            match_style = styles["match"]
            folded = title.casefold()
            for word in self._match_words:
                start = folded.find(word)
                while start != -1:
                    text.stylize(match_style, start, start + len(word))
                    start = folded.find(word, start + len(word))
        return text
