"""The "predicted" sort in the list: papers ranked by how much they resemble what the user
starred and read rather than skipped. The features are prepared in a worker after the index;
until then (and with too few decisions) the core sorts newest first and says so, in the status
line. The order follows the decisions: the list is sorted again once the keys rest."""

from __future__ import annotations

from textual import on, work
from textual.timer import Timer

from paperdeck.library import Library
from paperdeck.tui.messages import NotesChanged
from paperdeck.tui.screens.main.listing import ListingScreen
from paperdeck.tui.widgets.paper_table import PaperTable

PREDICTED = "predicted"
RESORT_DELAY = 1.0  # seconds after the last decision before the list is ranked again


class PredictedPart(ListingScreen):
    """Rows show their score while the list is sorted by it; the status line says how."""

    _resort_timer: Timer | None = None

    def prepare_predictions(self, library: Library) -> None:
        """Loading worker, after the index: make (or load) the features the sort needs."""
        try:
            library.prepare_predictions()
        except Exception as error:  # derived data: say so, keep every other sort
            self.app.call_from_thread(
                self.notify, f"The predicted sort is unavailable: {error}", severity="warning"
            )
            return
        self.app.call_from_thread(self._predictions_ready)

    def _predictions_ready(self) -> None:
        if self.listing.sort == PREDICTED:
            self.refresh_list()

    def row_score(self, paper_id: str) -> float | None:
        if self.listing.sort != PREDICTED or not self.library_open:
            return None
        prediction = self.library.prediction(paper_id, retrain=False)  # never trains here
        return prediction.score if prediction is not None else None

    def status_suffix(self) -> str:
        """With the predicted sort: what it does now (preparing, needs labels, trained on N)."""
        if self.listing.sort != PREDICTED or not self.library_open:
            return ""
        return f" · {self.library.prediction_note()}"

    @on(NotesChanged)
    def _decided(self) -> None:
        """Decisions change the model (trained again in a worker, never on this thread) and,
        sorted by prediction, the ranking: rank again once keys rest."""
        if self.library_open and self.library.predictions_ready:
            self.retrain(self.library)
        if self.listing.sort != PREDICTED or self.listing.searching or not self.library_open:
            return
        if self._resort_timer is not None:
            self._resort_timer.stop()
        self._resort_timer = self.set_timer(RESORT_DELAY, self._rank_again)

    def _rank_again(self) -> None:
        self._resort_timer = None
        if self.listing.sort == PREDICTED and not self.listing.searching:
            self.rank(self.library, list(self.query_one(PaperTable).rows))

    @work(thread=True, exclusive=True, group="retrain")
    def retrain(self, library: Library) -> None:
        library.retrain_predictions()

    @work(thread=True, exclusive=True, group="rank")
    def rank(self, library: Library, ids: list[str]) -> None:
        ranked = library.sort_ids(ids, PREDICTED)
        self.app.call_from_thread(self._ranked, ids, ranked)

    def _ranked(self, ids: list[str], ranked: list[str]) -> None:
        table = self.query_one(PaperTable)
        if list(table.rows) == ids and self.listing.sort == PREDICTED:
            keep = table.current
            if keep is not None and ranked and self.library.annotation(keep).decided:
                # the paper just decided sinks: the cursor stays where it was, on the next guess
                keep = ranked[min(table.cursor, len(ranked) - 1)]
            table.set_rows(ranked, keep=keep)
            self._set_status()
