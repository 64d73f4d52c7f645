"""How the main screen is laid out: compact mode (the list alone, one line per paper with its
date first) and the share of the width (or height, when narrow) the reading pane takes."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.reactive import reactive

from paperdeck.tui.screens.main.listing import ListingScreen
from paperdeck.tui.widgets.paper_table import PaperTable
from paperdeck.tui.widgets.paper_view import PaperView

READER_SHARE = 45  # percent of the body the reading pane takes at first
READER_SHARE_RANGE = (20, 60)  # the list keeps room for titles
READER_SHARE_STEP = 5


class LayoutPart(ListingScreen):
    """`z` compact mode; `<` and `>` move the border between the list and the reading pane."""

    LAYOUT_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("z", "toggle_compact", "Compact", show=False),
        Binding("less_than_sign", "resize_list(-1)", "Narrower list", show=False, key_display="<"),
        Binding("greater_than_sign", "resize_list(1)", "Wider list", show=False, key_display=">"),
    ]

    compact: reactive[bool] = reactive(False, init=False)
    reader_share: reactive[int] = reactive(READER_SHARE, init=False)

    def validate_reader_share(self, share: int) -> int:
        low, high = READER_SHARE_RANGE
        return max(low, min(share, high))

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        self.query_one(PaperTable).compact = compact
        self.layout_changed()

    def watch_reader_share(self) -> None:
        self.apply_reader_share()
        self.layout_changed()

    def apply_reader_share(self) -> None:
        """Size the reading pane: a share of the width, or of the height on a narrow screen."""
        share = self.reader_share
        if self.has_class("-narrow"):
            self.query_one("#body").styles.grid_rows = f"{100 - share}fr {share}fr"
            self.query_one(PaperView).styles.width = None
        else:
            self.query_one("#body").styles.grid_rows = None
            self.query_one(PaperView).styles.width = f"{share}%"

    def action_toggle_compact(self) -> None:
        self.compact = not self.compact

    def action_resize_list(self, step: int) -> None:
        if self.compact:
            self.compact = False  # the reading pane comes back to be resized
            return
        before = self.reader_share
        self.reader_share -= step * READER_SHARE_STEP
        if self.reader_share == before:
            self.notify("The reading pane is as small (or as large) as it goes.", timeout=2)

    def layout_changed(self) -> None:
        """Hook: the session part saves the layout; nothing by default."""
