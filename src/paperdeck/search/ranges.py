"""The values of the `date:` and the count filters (`comments:`, `upvotes:`): a year, month or
day, an open or closed range of them, and comparisons, as bounds; None for what they cannot be."""

from __future__ import annotations

import calendar
import re

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _date_bounds(text: str) -> tuple[int, int] | None:
    """First and last yyyymmdd of a year, month or day."""
    match = _DATE.match(text)
    if not match:
        return None
    year = int(match[1])
    if year == 0:  # no year 0000: it would take in the papers without a date
        return None
    month = int(match[2]) if match[2] else None
    day = int(match[3]) if match[3] else None
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    base = year * 10000
    if month is None:
        return base + 101, base + 1231
    if day is None:
        return base + month * 100 + 1, base + month * 100 + 31
    return base + month * 100 + day, base + month * 100 + day


def parse_date_range(text: str) -> tuple[int | None, int | None] | None:
    """Inclusive yyyymmdd bounds; only dates with a known year ever match a range.

    `unknown` matches papers without a known year (no date, or month and day only).
    """
    from paperdeck.search.schema import KNOWN_YEAR_MIN

    if text == "unknown":
        return 0, KNOWN_YEAR_MIN - 1
    lowest, highest = KNOWN_YEAR_MIN, 99991231
    if ".." in text:
        start, _, end = text.partition("..")
        low = _date_bounds(start) if start else (lowest, lowest)
        high = _date_bounds(end) if end else (highest, highest)
        if low is None or high is None or not (start or end):
            return None
        return low[0], high[1]
    for op in (">=", "<=", ">", "<"):
        if text.startswith(op):
            bounds = _date_bounds(text[len(op) :])
            if bounds is None:
                return None
            return {
                ">=": (bounds[0], highest),
                "<=": (lowest, bounds[1]),
                ">": (bounds[1] + 1, highest),
                "<": (lowest, bounds[0] - 1),
            }[op]
    return _date_bounds(text)


def partial_date_ranges(low: int, high: int) -> list[tuple[int, int]]:
    """The date values (`yyyymmdd`, `00` for a month or day not given) inside `low..high` when a
    year-only or month-only date matches only if all of it is inside: `2020` (20200000) is in
    `date:2020` and `date:2019..2021` but not in `date:2020-03` nor `date:<=2020-06`, as for a
    date without a year, we cannot tell. Usually one range; two or three around the values cut
    out at the top (the year, or the month, `high` ends in)."""
    from paperdeck.search.schema import KNOWN_YEAR_MIN

    if high < KNOWN_YEAR_MIN:  # `date:unknown`: no known year, nothing partial in it
        return [(low, high)]
    start = low
    if 0 < low % 10000 <= 101:  # from a year's first day: the year itself is inside
        start = low - low % 10000
    elif low % 100 == 1:  # from a month's first day: the month itself is inside
        start = low - 1
    cut: list[int] = []
    if high % 10000 < 1231:  # ends before the year does: the year alone is not inside
        cut.append(high - high % 10000)
    year, month, day = high // 10000, high // 100 % 100, high % 100
    if 1 <= month <= 12 and day < calendar.monthrange(year, month)[1]:  # nor the month, if the
        cut.append(high - day)  # range ends before the month does
    ranges: list[tuple[int, int]] = []
    begin = start
    for value in sorted(set(cut)):
        if begin <= value <= high:
            if begin < value:
                ranges.append((begin, value - 1))
            begin = value + 1
    if begin <= high:
        ranges.append((begin, high))
    return ranges


def parse_number_range(text: str) -> tuple[int | None, int | None] | None:
    """Inclusive integer bounds (None: open) for `5`, `>5`, `>=5`, `<5`, `<=5`, `2..10`."""
    try:
        if ".." in text:
            start, _, end = text.partition("..")
            if not (start or end):
                return None
            return (int(start) if start else None), (int(end) if end else None)
        for op in (">=", "<=", ">", "<"):
            if text.startswith(op):
                number = int(text[len(op) :])
                return {
                    ">=": (number, None),
                    "<=": (None, number),
                    ">": (number + 1, None),
                    "<": (None, number - 1),
                }[op]
        number = int(text)
        return number, number
    except ValueError:
        return None
