"""Small modal dialogs: editing tags, picking one of a few choices (the note editor is in
`note_editor`).

Titles, tags, notes and links shown here are untrusted data: they are shown through
`terminal_safe` (or the safe editors) and never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from paperdeck.library import normalise_tag, normalise_tags
from paperdeck.safe_text import terminal_safe
from paperdeck.tui.note_editor import NoteEditor
from paperdeck.tui.widgets.safe import SafeInput

# NoteEditor: its own module now
__all__ = ["ChoiceDialog", "ConfirmDialog", "NoteEditor", "TagDialog"]


class LastWordSuggester(Suggester):
    """Completes the word being typed from the known tags (several tags in one input).

    A word starting with `-` (removing a tag) completes from the paper's own tags.
    """

    def __init__(self, words: Sequence[str], own: Sequence[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._words = sorted(set(words) - set(own))  # adding a tag it has already: no use
        self._own = sorted(f"-{tag}" for tag in own)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        typed = set(value.split())
        for word in self._own if last.startswith("-") else self._words:
            if word.startswith(last) and word != last and word not in typed:
                return f"{head} {word}" if head else word
        return None


class CurrentTags(OptionList):
    """The paper's tags; `delete`, `backspace` or `-` marks the highlighted one for removal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace,minus", "toggle_removal", "Remove tag", key_display="delete"),
    ]

    class Toggled(Message):
        def __init__(self, tag: str) -> None:
            super().__init__()
            self.tag = tag

    def action_toggle_removal(self) -> None:
        if self.highlighted is not None:
            tag = self.get_option_at_index(self.highlighted).id
            if tag:
                self.post_message(self.Toggled(tag))


class TagDialog(ModalScreen[list[str] | None]):
    """Add tags by typing; remove one only by an explicit act, so no key can wipe them all.

    The paper's tags are a list of their own, never text in the input: typing (or deleting
    what was typed) cannot touch them. `delete` or `-` on a highlighted tag marks it for removal,
    as does typing `-tag`; enter saves it all, escape changes nothing. Dismisses with the new tags.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#tags"

    def __init__(self, title: str, current: Sequence[str], known: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._current = list(current)
        self._known = list(known)
        self._removing: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Tags of {terminal_safe(self._title)}", id="dialog-title", markup=False)
            if self._current:
                yield CurrentTags(id="current-tags")
                yield Static(
                    "delete or - removes the highlighted tag (again: keeps it)",
                    classes="dialog-note",
                )
            else:
                yield Static("No tags yet.", classes="dialog-note")
            yield SafeInput(
                placeholder="add tags, separated by spaces (-tag removes one)",
                suggester=LastWordSuggester(self._known, self._current),
                id="tags",
            )
            # Not a focus stop: tab goes straight between the input and the paper's tags.
            suggestions = OptionList(id="tag-suggestions")
            suggestions.can_focus = False
            yield suggestions
            # One line: with eight suggestions the dialog just fits an 80x24 terminal.
            yield Static(
                "enter saves · → completes · tab: your tags · escape cancels",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self._show_current()
        # At once, not deferred: the keys typed right after `t` are on their way to this input.
        self.set_focus(self.query_one("#tags", SafeInput))
        self._update_suggestions("")

    def _show_current(self) -> None:
        if not self._current:
            return
        tags = self.query_one(CurrentTags)
        highlighted = tags.highlighted
        tags.clear_options()
        tags.add_options(
            Option(
                Text.assemble((terminal_safe(f"#{tag}"), "strike"), ("  removed", "italic")), id=tag
            )
            if tag in self._removing
            else Option(Text(terminal_safe(f"#{tag}")), id=tag)
            for tag in self._current
        )
        tags.highlighted = 0 if highlighted is None else highlighted

    @on(SafeInput.Changed, "#tags")
    def _changed(self, event: SafeInput.Changed) -> None:
        self._update_suggestions(event.value)

    def _update_suggestions(self, value: str) -> None:
        last = "" if value.endswith(" ") else value.rpartition(" ")[2]
        typed = set(value.split())
        if last.startswith("-"):
            wanted = normalise_tag(last[1:])
            pool = [t for t in self._current if f"-{t}" not in typed and t.startswith(wanted)]
            matches = [f"-{tag}" for tag in pool][:8]
        else:
            wanted = normalise_tag(last)
            matches = [
                t
                for t in self._known
                if t.startswith(wanted) and t not in typed and t not in self._current
            ][:8]
        options = self.query_one("#tag-suggestions", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(Text(terminal_safe(f"#{tag}" if tag[0] != "-" else tag)), id=tag)
                for tag in matches
            ]
        )
        options.display = bool(matches)

    @on(OptionList.OptionSelected, "#tag-suggestions")
    def _suggestion_chosen(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#tags", SafeInput)
        head = field.value.rpartition(" ")[0] if not field.value.endswith(" ") else field.value
        field.value = f"{head.rstrip()} {event.option.id} ".lstrip()
        field.cursor_position = len(field.value)
        field.focus()

    @on(CurrentTags.Toggled)
    def _toggled(self, event: CurrentTags.Toggled) -> None:
        self._removing ^= {event.tag}
        self._show_current()

    @on(SafeInput.Submitted, "#tags")
    @on(OptionList.OptionSelected, "#current-tags")
    def _save(self) -> None:
        words = self.query_one("#tags", SafeInput).value.replace(",", " ").split()
        add = normalise_tags(word for word in words if not word.startswith("-"))
        remove = self._removing | set(normalise_tags(w[1:] for w in words if w.startswith("-")))
        kept = [tag for tag in self._current if tag not in remove]
        self.dismiss(kept + [tag for tag in add if tag not in kept])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few labelled values (links to open, things to copy)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._prompt = prompt
        self._values = [value for _, value in choices]
        self._labels = [terminal_safe(label) for label, _ in choices]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self._prompt, id="dialog-title", markup=False)
            yield OptionList(*self._labels, id="choices", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._values[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """Ask before an action on many papers: `y` or enter does it, `n` or escape does not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes") -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self._question, id="dialog-title", markup=False)
            if self._detail:
                yield Static(self._detail, classes="dialog-note", markup=False)
            yield Static(f"y or enter: {self._yes} · n or escape: cancel", classes="dialog-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
