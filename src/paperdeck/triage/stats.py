"""Numbers about triage for the stats screen and `paperdeck stats`: decisions per day (from the
times the notes record: `status_at`, `starred_at`), papers per month (the paper's own date), top
tags and totals by status. Pure: the library hands in the IDs, the dates and the notes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from paperdeck.notes.annotation import DEFAULT_STATUS, STATUSES, Annotation

DAYS = 30  # days of triage progress shown
TOP_TAGS = 10

# A paper's date as (year or None, month, day), or None (`Corpus.brief`'s second value).
PaperDay = Callable[[str], "tuple[int | None, int, int] | None"]


@dataclass(frozen=True)
class DayCount:
    """One day of triage: papers given a status (other than unread) and stars given, that day."""

    day: date
    decided: int
    starred: int


@dataclass(frozen=True)
class Stats:
    """Everything `Library.stats` reports (`to_json` gives the documented keys)."""

    today: date
    total: int
    by_status: dict[str, int]
    starred: int
    per_day: tuple[DayCount, ...]  # the last DAYS days, oldest first, today last
    per_month: tuple[tuple[str, int], ...]  # ("2024-03", papers dated that month), oldest first
    undated: int  # papers without a known year and month
    top_tags: tuple[tuple[str, int], ...]

    @property
    def triaged(self) -> int:
        return self.total - self.by_status.get(DEFAULT_STATUS, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "total": self.total,
            "triaged": self.triaged,
            "starred": self.starred,
            "by_status": dict(self.by_status),
            "per_day": [
                {"day": d.day.isoformat(), "decided": d.decided, "starred": d.starred}
                for d in self.per_day
            ],
            "per_month": [{"month": month, "papers": count} for month, count in self.per_month],
            "undated": self.undated,
            "top_tags": [{"tag": tag, "papers": count} for tag, count in self.top_tags],
        }


def _local_day(when: datetime | None) -> date | None:
    return None if when is None else when.astimezone().date()


def compute_stats(
    paper_ids: Iterable[str],
    paper_day: PaperDay,
    annotations: Mapping[str, Annotation],
    today: date,
    days: int = DAYS,
) -> Stats:
    """The stats of these papers (orphaned notes are not counted: only `paper_ids`)."""
    by_status: Counter[str] = Counter(dict.fromkeys(STATUSES, 0))
    decided: Counter[date] = Counter()
    starred_on: Counter[date] = Counter()
    months: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    total = starred = undated = 0
    for paper_id in paper_ids:
        total += 1
        ymd = paper_day(paper_id)
        if ymd is None or ymd[0] is None or not 1 <= ymd[1] <= 12:
            undated += 1
        else:
            months[f"{ymd[0]:04d}-{ymd[1]:02d}"] += 1
        annotation = annotations.get(paper_id)
        if annotation is None:
            by_status[DEFAULT_STATUS] += 1
            continue
        by_status[annotation.status] += 1
        tags.update(annotation.tags)
        if annotation.starred:
            starred += 1
            if (day := _local_day(annotation.starred_at)) is not None:
                starred_on[day] += 1
        day = _local_day(annotation.status_at)
        if annotation.status != DEFAULT_STATUS and day is not None:
            decided[day] += 1
    window = [today - timedelta(days=back) for back in range(max(days, 1) - 1, -1, -1)]
    return Stats(
        today,
        total,
        dict(by_status),
        starred,
        tuple(DayCount(day, decided[day], starred_on[day]) for day in window),
        tuple(sorted(months.items())),
        undated,
        tuple(sorted(tags.items(), key=lambda item: (-item[1], item[0]))[:TOP_TAGS]),
    )
