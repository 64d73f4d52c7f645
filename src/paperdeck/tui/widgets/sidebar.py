"""The sidebar of views with live counts: All, each status, Starred, then every tag."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from paperdeck.safe_text import terminal_safe
from paperdeck.views import BUILTIN_VIEWS, View, view_by_key


class ViewList(OptionList):
    """Choosing a view posts `ViewList.Chosen`; the screen decides what to list."""

    DEFAULT_CSS = """
    ViewList { width: 22; border: none; padding: 0; background: $panel; }
    ViewList:focus { background: $panel-lighten-1; }
    """

    class Chosen(Message):
        def __init__(self, view: View) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[str] = []
        self._extra: dict[str, View] = {}

    def update_counts(
        self,
        counts: dict[str, int],
        tags: Counter[str],
        current: str,
        extra: Sequence[tuple[View, int]] = (),
    ) -> None:
        """Rebuild the entries; `extra` views (e.g. "Changed by sync") come after Starred."""
        self._extra = {view.key: view for view, _ in extra}
        entries = [(view.key, view.label, counts.get(view.key, 0)) for view in BUILTIN_VIEWS]
        # Labels of extra views quote file names (`From PATH`): untrusted, like tags.
        entries += [(view.key, terminal_safe(view.label), count) for view, count in extra]
        entries += [
            (f"tag:{tag}", terminal_safe(f"#{tag}"), count) for tag, count in sorted(tags.items())
        ]
        # The width the entries will have: less the scrollbar they bring when they overflow
        # (measured after adding them, it depended on whether an earlier update had one).
        width = self.content_region.width or 22
        if len(entries) + bool(tags) > self.content_region.height > 0:
            width -= self.styles.scrollbar_size_vertical
        width = max(width - 2, 12)
        options: list[Option | None] = []
        for key, label, count in entries:
            number = str(count)
            name = (
                label
                if len(label) + len(number) + 1 <= width
                else (label[: max(width - len(number) - 2, 1)] + "…")
            )
            line = Text(name)
            line.pad_right(width - len(name) - len(number))
            line.append(number, style="dim")
            options.append(Option(line, id=key))
            if key == (extra[-1][0].key if extra else "starred") and tags:
                options.append(None)
        highlighted = self.highlighted
        old_keys = self._keys
        self._keys = [key for key, _, _ in entries]
        self.clear_options()
        self.add_options(options)
        target = current if current in self._keys else "all"
        if old_keys != self._keys or highlighted is None:
            self.highlighted = self.get_option_index(target)
        else:
            self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(self._view(event.option.id)))

    def _view(self, key: str) -> View:
        return self._extra.get(key) or view_by_key(key)

    def step(self, delta: int, current: str) -> View:
        """The view `delta` places after `current` (wrapping), for the `[` and `]` keys."""
        keys = self._keys or [view.key for view in BUILTIN_VIEWS]
        position = keys.index(current) if current in keys else 0
        key = keys[(position + delta) % len(keys)]
        self.highlighted = self.get_option_index(key)
        return self._view(key)
