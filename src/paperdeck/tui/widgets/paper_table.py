"""The paper list: renders only the rows on screen (Textual's line API), so 100k papers are cheap.

The widget holds a sequence of paper IDs and asks a `describe` callback for a row's fields only when
that row is painted; it never creates a widget or even an object per paper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperdeck.tui.widgets.paper_row import (
    COMMENTS_MARK,
    MARKED_MARK,
    NOTE_MARK,
    READ_ONLY_MARK,
    STAR_MARK,
    STATUS_MARKS,
    UPVOTES_MARK,
    RowLayout,
    RowView,
    render_row,
)

__all__ = [
    "COMMENTS_MARK",
    "MARKED_MARK",
    "NOTE_MARK",
    "READ_ONLY_MARK",
    "STAR_MARK",
    "STATUS_MARKS",
    "UPVOTES_MARK",
    "PaperTable",
    "RowView",
]


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
        "paper-table--marked",
        "paper-table--marker",
        "paper-table--sortkey",
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
    PaperTable > .paper-table--marked { background: $secondary 25%; }
    PaperTable > .paper-table--marker { color: $text-secondary; text-style: bold; }
    PaperTable > .paper-table--sortkey { color: $text; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    compact: reactive[bool] = reactive(False, init=False)
    sort_column: reactive[str | None] = reactive(None, init=False)

    class Highlighted(Message):
        """The cursor moved to a paper (or to none, when the list is empty)."""

        def __init__(self, table: PaperTable, paper_id: str | None) -> None:
            super().__init__()
            self.table = table
            self.paper_id = paper_id

    class MarksChanged(Message):
        """The papers marked for a batch action changed (their number is in `count`)."""

        def __init__(self, table: PaperTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

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
        self._cache: dict[tuple[str, int, bool, bool, bool], Strip] = {}
        self._marked: set[str] = set()  # marked for a batch action (space)
        self._range_anchor: str | None = None  # `v`: the paper a range of marks starts at
        self._range_base: frozenset[str] = frozenset()  # what was marked when the range started
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
        self._match_words = tuple(w for w in match_words if w)
        self._cache.clear()
        if self._marked or self._range_anchor is not None:
            self._keep_listed_marks(rows)
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

    # --- marks for batch actions ----------------------------------------------------------------

    @property
    def marked(self) -> list[str]:
        """The marked papers, in list order."""
        if not self._marked:
            return []
        return [paper_id for paper_id in self._rows if paper_id in self._marked]

    @property
    def marking_range(self) -> bool:
        return self._range_anchor is not None

    def toggle_mark(self) -> None:
        """Mark (or unmark) the paper under the cursor."""
        current = self.current
        if current is not None:
            self._set_marks(self._marked ^ {current})

    def toggle_range(self) -> None:
        """`v`: start a range at the cursor (the cursor's moves mark what they pass), or end it."""
        if self._range_anchor is not None:
            self._range_anchor = None
            self._set_marks(self._marked)
        elif self.current is not None:
            self._range_anchor = self.current
            self._range_base = frozenset(self._marked)
            self._mark_range()

    def mark(self, paper_ids: Iterable[str]) -> None:
        self._set_marks(self._marked | set(paper_ids))

    def clear_marks(self) -> None:
        self._range_anchor = None
        self._set_marks(set())

    def _mark_range(self) -> None:
        anchor = self._range_anchor
        if anchor is None or anchor not in self._rows:
            return
        start, end = sorted((self._rows.index(anchor), self.cursor))
        self._set_marks(set(self._range_base) | set(self._rows[start : end + 1]))

    def _keep_listed_marks(self, rows: Sequence[str]) -> None:
        listed = set(rows) & self._marked
        if self._range_anchor not in listed:
            self._range_anchor = None
        if listed != self._marked:
            self._set_marks(listed)

    def _set_marks(self, marked: set[str]) -> None:
        changed = marked ^ self._marked
        self._marked = marked
        for key in [key for key in self._cache if key[0] in changed]:
            del self._cache[key]
        self.refresh()
        self.post_message(self.MarksChanged(self, len(marked)))

    # --- look -----------------------------------------------------------------------------------

    def watch_compact(self) -> None:
        self.refresh_all()

    def watch_sort_column(self) -> None:
        self.refresh_all()

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
        if self._range_anchor is not None:
            self._mark_range()
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
        marked = paper_id in self._marked
        key = (paper_id, width, row == self.cursor, self.has_focus, marked)
        strip = self._cache.get(key)
        if strip is None:
            strip = render_row(
                self._describe(paper_id),
                RowLayout(width, self.compact, self.sort_column),
                self._row_styles(),
                self.app.console,
                is_cursor=row == self.cursor,
                marked=marked,
                match_words=self._match_words,
            )
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = strip
        return strip.apply_offsets(0, row)

    def _row_styles(self) -> dict[str, Style]:
        """The component styles rows use; resolving them is most of a row's cost."""
        if self._styles is None:
            partial = {
                name: self.get_component_rich_style(f"paper-table--{name}", partial=True)
                for name in (
                    *("dim", "star", "tag", "readonly", "derived", "match"),
                    *("marked", "marker", "sortkey"),
                )
            }
            base = self.rich_style
            cursor = base + self.get_component_rich_style("paper-table--cursor")
            self._styles = {"base": base, "cursor": cursor, **partial}
        return self._styles
