"""On start: offer the note drafts a previous run left (killed, crashed, terminal closed)."""

from __future__ import annotations

import time
from typing import Any

from paperdeck.notes.drafts import Recovery


def offer_drafts(app: Any) -> None:
    """Ask about each draft with text the saved note lacks, one at a time; never apply silently."""
    library, drafts = app.library, app.drafts
    pending: list[Recovery] = []
    for draft in drafts.all():
        if draft.paper_id not in library.corpus or library.read_only_reason(draft.paper_id):
            continue  # kept for when the paper is back or its notes file is fixed
        recovery = drafts.recover(draft.paper_id, library.annotation(draft.paper_id).note)
        if recovery is not None:
            pending.append(recovery)
    _offer_next(app, pending)


def _offer_next(app: Any, pending: list[Recovery]) -> None:
    from paperdeck.tui.dialogs import ChoiceDialog, NoteEditor

    if not pending:
        return
    recovery = pending.pop(0)
    paper_id = recovery.draft.paper_id
    title = app.library.paper(paper_id).title
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovery.draft.written_at))
    prompt = f"Unsaved note text for “{title}” was recovered from a draft ({when})."
    if recovery.conflict:
        prompt += " The note changed since on the same lines: both are kept between markers."
    elif recovery.changed_since:
        prompt += " The note changed since: the draft is merged with it."

    def chosen(choice: str | None) -> None:
        if choice == "open":
            editor = NoteEditor(paper_id, title, recovery.current, recovered=recovery.text)
            app.push_screen(editor, lambda _: _offer_next(app, pending))
            return
        if choice == "discard":
            app.drafts.remove(paper_id)
        _offer_next(app, pending)

    choices = [
        ("Open it in the note editor", "open"),
        ("Discard the draft", "discard"),
        ("Decide later (the draft is kept)", "later"),
    ]
    app.push_screen(ChoiceDialog(prompt, choices), chosen)
