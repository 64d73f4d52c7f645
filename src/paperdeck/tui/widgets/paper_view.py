"""The reading pane: one paper's title, metadata, sources, abstract (search terms marked), links,
tags and note rendered as Markdown.

Everything shown comes from the corpus or the notes (untrusted: scraped pages, other machines), so
it passes through `terminal_safe` and is never read as markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from paperdeck.library import Annotation, Paper, Prediction, has_clash
from paperdeck.safe_text import terminal_safe

# (text, is_match) spans, as produced by the index's highlighter.
Spans = Sequence[tuple[str, bool]]


def marked_text(spans: Spans, match_style: str) -> Text:
    text = Text()
    for chunk, is_match in spans:
        text.append(terminal_safe(chunk), style=match_style if is_match else "")
    return text


class PaperView(VerticalScroll):
    """Shows one paper; `show(None)` clears it."""

    DEFAULT_CSS = """
    PaperView { padding: 0 1; }
    PaperView > #title { text-style: bold; color: $text; margin-bottom: 1; }
    PaperView > #title.-derived { text-style: italic; color: $text-muted; }
    PaperView > #meta { color: $text-muted; }
    PaperView > #prediction { color: $text-muted; margin-top: 1; display: none; }
    PaperView > #prediction.-shown { display: block; }
    PaperView > #readonly { color: $error; margin-top: 1; display: none; }
    PaperView > #readonly.-shown { display: block; }
    PaperView > #abstract { margin-top: 1; }
    PaperView > #links { margin-top: 1; color: $text-accent; }
    PaperView > #note-heading { margin-top: 1; text-style: bold; color: $text-muted; }
    PaperView > #note { margin: 0; padding: 0; background: transparent; }
    PaperView > #empty { color: $text-muted; }
    """

    _note = ""  # the note the Markdown widget shows

    def compose(self) -> ComposeResult:
        yield Static("", id="title", markup=False)
        yield Static("", id="meta", markup=False)
        yield Static("", id="prediction", markup=False)
        yield Static("", id="readonly", markup=False)
        yield Static("", id="abstract", markup=False)
        yield Static("", id="links", markup=False)
        yield Static("", id="note-heading", markup=False)
        yield Markdown("", id="note")

    def _show_note(self, note: str) -> None:
        # Most papers have no note: re-rendering the Markdown (it mounts one widget per block)
        # for the same text would cost a layout on every cursor move.
        if note != self._note:
            self._note = note
            self.query_one("#note", Markdown).update(note)

    def _show_prediction(self, prediction: Prediction | None) -> None:
        """The predicted score and the terms that weigh most in it (+ pulls it up, − down)."""
        shown = self.query_one("#prediction", Static)
        shown.set_class(prediction is not None, "-shown")
        if prediction is None:
            shown.update("")
            return
        text = Text()
        text.append(f"Predicted {prediction.score:.2f}", style="bold")
        if prediction.terms:
            text.append("  because of  ")
            for n, (term, weight) in enumerate(prediction.terms):
                text.append(" · " if n else "")
                text.append(f"{'+' if weight >= 0 else '−'}{terminal_safe(term)}")
        shown.update(text)

    def show(
        self,
        paper: Paper | None,
        annotation: Annotation | None = None,
        *,
        title_spans: Spans | None = None,
        abstract_spans: Spans | None = None,
        read_only: str | None = None,
        prediction: Prediction | None = None,
    ) -> None:
        title = self.query_one("#title", Static)
        if paper is None:
            title.update("No paper selected")
            for widget_id in ("#meta", "#abstract", "#links", "#note-heading", "#readonly"):
                self.query_one(widget_id, Static).update("")
            self._show_prediction(None)
            self._show_note("")
            return
        annotation = annotation or Annotation(paper.id)
        match = "bold reverse"
        title.set_class(paper.title_derived, "-derived")
        if title_spans and not paper.title_derived:
            title.update(marked_text(title_spans, match))
        else:
            title.update(
                ("[untitled] " if paper.title_derived else "") + terminal_safe(paper.title)
            )

        meta = Text()
        parts = []
        if annotation.starred:
            parts.append("★ starred")
        parts.append(annotation.status)
        if paper.date:
            parts.append(
                paper.date.display() + ("" if paper.date.year_known else " (year unknown)")
            )
        if paper.author_count is not None and not paper.authors:
            parts.append(f"{paper.author_count}\u00a0authors")
        if paper.comments:
            parts.append(f"{paper.comments}\u00a0comment{'' if paper.comments == 1 else 's'}")
        if paper.upvotes is not None:
            parts.append(f"▲\u00a0{paper.upvotes}")
        if paper.journal_ref:
            parts.append(terminal_safe(paper.journal_ref))
        if paper.listing and paper.listing != "new":  # "new" is the usual case (and a status)
            parts.append(terminal_safe(paper.listing))
        meta.append(" · ".join(parts))
        if paper.authors:
            meta.append("\n" + terminal_safe(", ".join(paper.authors)))
        if annotation.tags:
            meta.append("\n")
            tags = "  ".join(f"#{tag}" for tag in annotation.tags)
            meta.append(terminal_safe(tags), style="bold")
        meta.append(f"\n{terminal_safe(paper.id)}", style="dim")
        sources = terminal_safe(", ".join(str(source) for source in paper.sources))
        meta.append(f"\nfrom {sources}", style="dim")
        self.query_one("#meta", Static).update(meta)
        self._show_prediction(prediction)

        readonly = self.query_one("#readonly", Static)
        warning = (
            f"Notes are read-only: {read_only}. If a sync stopped on this file, press c to "
            "see both versions and pick one."
            if read_only
            else ""
        )
        if not warning and has_clash(annotation.note):
            warning = "This note was edited in two places (a sync clash): press c to resolve it"
        readonly.set_class(bool(warning), "-shown")
        readonly.update(terminal_safe(warning))

        abstract = self.query_one("#abstract", Static)
        abstract.update(
            marked_text(abstract_spans, match)
            if abstract_spans
            else Text(terminal_safe(paper.abstract) or "(no abstract)")
        )
        links = terminal_safe("\n".join(f"→ {link}" for link in paper.links))
        self.query_one("#links", Static).update(links)
        self.query_one("#note-heading", Static).update("Note" if annotation.note else "")
        note = annotation.note
        if has_clash(note):
            note = "```text\n" + note + "\n```"  # show clash markers as they are, not as Markdown
        self._show_note(terminal_safe(note))
        self.scroll_home(animate=False)
