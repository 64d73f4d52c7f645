"""Keys act in the order they were typed, even when one of them opens a dialog or moves the
focus: the keys typed right after `/`, `t` or `n` go into the box or dialog it opens, and the keys
typed before it (`jjt`) have acted first. Screens with paper keys mix this in."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterable
from typing import Any, cast

from textual import events
from textual.binding import Binding, BindingType
from textual.message_pump import MessagePump
from textual.widget import AwaitMount

# Paper keys that open a dialog for the keys typed after them: priority bindings, like `/` (a
# focused input still gets these letters: Textual drops bindings of keys a focused input types).
FOCUS_MOVING_ACTIONS = ("edit_tags", "edit_note")


def acting_at_once(bindings: Iterable[BindingType]) -> list[BindingType]:
    """`bindings` with the focus-moving ones made priority bindings (see `open_focused`)."""
    return [
        dataclasses.replace(binding, priority=True)
        if isinstance(binding, Binding) and binding.action in FOCUS_MOVING_ACTIONS
        else binding
        for binding in bindings
    ]


async def drained(pump: MessagePump) -> None:
    """Wait until `pump` has handled every message already sent to it (a callback queued behind
    them has run); at once if it is closed."""
    done = asyncio.Event()
    if pump.call_later(done.set):
        await done.wait()


class KeysInOrder:
    """Runs a screen's ordinary key bindings as the key bubbles through the screen, and lets a
    priority key wait for the keys typed before it (see `keys_done`, `open_focused`)."""

    # Provided by the Screen this is mixed into.
    app: Any
    focused: Any
    active_bindings: Any

    async def on_key(self, event: events.Key) -> None:
        """Run a key's (non-priority) binding here, as the key bubbles through this screen, not
        later in the app's queue: a priority key (`/`, `t`, `n`) waits in `keys_done` for the
        keys typed before it, which it cannot do for keys waiting behind it in the app's queue."""
        active = self.active_bindings.get(event.key)
        if active is None or active.binding.priority or not active.enabled:
            return
        if await self.app.run_action(active.binding.action, active.node):
            event.stop()
            event.prevent_default()

    async def keys_done(self) -> None:
        """Wait until the keys typed before a priority key, already sent on to the focused
        widget, have acted (moved the cursor, starred...): they bubble from it up to here."""
        node = self.focused
        while node is not None and node is not self:
            await drained(node)
            node = node.parent
        await drained(cast(MessagePump, self))  # mixed into a Screen, which is one

    async def open_focused(self, open_dialog: Callable[[], None]) -> None:
        """Open a dialog on the paper the keys typed before have moved to, and focus its input
        before the next key is read, so the keys typed right after `t` or `n` go into it, in
        order (else they reach a dialog with no focus yet and are lost). The key's binding runs
        as it is read (`FOCUS_MOVING_ACTIONS`); waiting here holds the keys behind it."""
        await self.keys_done()
        before = self.app.screen
        open_dialog()
        dialog = self.app.screen
        if dialog is before:
            return  # nothing opened (no paper, read-only notes)
        await AwaitMount(dialog, [dialog])
        if dialog.focused is None:  # the dialog's own `focus()` is still waiting its turn
            selector = dialog.AUTO_FOCUS if dialog.AUTO_FOCUS is not None else self.app.AUTO_FOCUS
            first = next((w for w in dialog.query(selector or "*") if w.focusable), None)
            if first is not None:
                dialog.set_focus(first)
