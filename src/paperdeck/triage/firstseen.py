"""When this machine first saw each paper in the corpus: the "New since last time" views and the
`added:` query field are built on it.

Recorded the first time a corpus load sees a paper. On the very first record (no file yet, or
one that was damaged) each paper gets the modification time of the file it was read from (the
best guess of when it arrived), later ones the time of the load that found them. Derived data in
the corpus's derived folder (`paperdeck.derived`, `<corpus>/.paperdeck/firstseen/`): deleting it
only makes every paper "as old as its file". Shared by processes through a lock file; a record
only ever adds papers (the earliest time of two processes wins).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path

from paperdeck.atomic import exclusive_lock
from paperdeck.derived import derived_locations, writable
from paperdeck.triage.state import StateDamaged, read_json, write_json

FILE = "first_seen.json"
LOCK_FILE = "first_seen.lock"
VERSION = 1


def local_day(seconds: float) -> int:
    """The local calendar day of a time, as yyyymmdd (what `added:` dates compare)."""
    when = datetime.fromtimestamp(seconds).astimezone()
    return when.year * 10000 + when.month * 100 + when.day


class FirstSeen:
    """The first-seen times (seconds since the epoch) of one corpus's papers."""

    def __init__(self, corpus_root: Path) -> None:
        self.locations = derived_locations(corpus_root, "firstseen")
        self.times: dict[str, float] = {}
        self.messages: list[str] = []
        self._mutex = threading.Lock()
        self._days: dict[int, list[str]] | None = None

    def _folder(self) -> Path | None:
        return next((where for where in self.locations if writable(where)), None)

    @contextlib.contextmanager
    def _locked(self, folder: Path) -> Iterator[None]:
        with self._mutex, exclusive_lock(folder / LOCK_FILE):
            yield

    def _read(self, folder: Path) -> dict[str, float] | None:
        """The times on disk; None when there is no usable file (then it is a first record)."""
        try:
            data = read_json(folder / FILE, VERSION)
        except StateDamaged as error:
            self.messages.append(f"first-seen times started afresh: {error}")
            return None
        if data is None:
            return None
        papers = data.get("papers")
        if not isinstance(papers, dict):
            self.messages.append(f"first-seen times started afresh: {folder / FILE} is damaged")
            return None
        return {
            key: float(value)
            for key, value in papers.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }

    def record(
        self, paper_ids: Iterable[str], file_time: Callable[[str], float | None], now: float
    ) -> list[str]:
        """Give every paper not seen before a time (see the module); the IDs that got one."""
        ids = list(paper_ids)
        folder = self._folder()
        if folder is None:  # nowhere to keep them: this run's memory only
            return self._add(dict(self.times) or None, ids, file_time, now)
        with self._locked(folder):
            new = self._add(self._read(folder), ids, file_time, now)
            if new:
                with contextlib.suppress(OSError):
                    data = {
                        "version": VERSION,
                        "papers": {k: round(v) for k, v in self.times.items()},
                    }
                    write_json(folder / FILE, data)
            return new

    def _add(
        self,
        known: dict[str, float] | None,
        ids: list[str],
        file_time: Callable[[str], float | None],
        now: float,
    ) -> list[str]:
        first = known is None
        times = known or {}
        for paper_id, seen in self.times.items():  # what this process saw stays (the earliest)
            times[paper_id] = min(seen, times.get(paper_id, seen))
        new = [paper_id for paper_id in ids if paper_id not in times]
        for paper_id in new:
            times[paper_id] = min(file_time(paper_id) or now, now) if first else now
        self.times = times
        self._days = None
        return new

    def days(self) -> Mapping[int, list[str]]:
        """The papers first seen on each local day (yyyymmdd), made once per record."""
        if self._days is None:
            days: dict[int, list[str]] = {}
            known: dict[float, int] = {}  # few distinct times: one per load, one per file
            for paper_id, seen in self.times.items():
                day = known.get(seen)
                if day is None:
                    day = known[seen] = local_day(seen)
                days.setdefault(day, []).append(paper_id)
            self._days = days
        return self._days
