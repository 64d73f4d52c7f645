"""Filling a reading pane (`PaperView`) from the library, with a query's matches marked."""

from __future__ import annotations

from paperdeck.library import Highlights, Library
from paperdeck.tui.widgets.paper_view import PaperView


def show_paper(
    view: PaperView, library: Library, paper_id: str, marks: Highlights | None = None
) -> None:
    """Show one paper; `marks` (from `Library.highlights`, found in a worker) mark matches."""
    title_spans = abstract_spans = None
    if marks is not None:
        title_spans = marks.title
        abstract_spans = marks.abstract[0] if marks.abstract else None
    view.show(
        library.paper(paper_id),
        library.annotation(paper_id),
        title_spans=title_spans,
        abstract_spans=abstract_spans,
        read_only=library.read_only_reason(paper_id),
        prediction=library.prediction(paper_id, retrain=False),  # a worker retrains
    )
