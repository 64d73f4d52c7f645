"""`paperdeck stats`: triage progress per day, papers per month, top tags, totals by status."""

from __future__ import annotations

import click

from paperdeck.cli.common import corpus_argument, echo_safe, open_library, print_json
from paperdeck.library import STATUSES, Stats

_BAR = 30  # characters of the longest bar


def _bar(count: int, most: int) -> str:
    return "█" * max(1, round(_BAR * count / most)) if count and most else ""


def _lines(stats: Stats) -> list[str]:
    share = f" ({round(100 * stats.triaged / stats.total)}%)" if stats.total else ""
    lines = [
        f"{stats.total} papers: {stats.triaged} triaged{share}, {stats.starred} starred",
        "By status: " + ", ".join(f"{s} {stats.by_status.get(s, 0)}" for s in STATUSES),
        "",
        f"Triaged per day, last {len(stats.per_day)} days (decided, starred):",
    ]
    most = max((day.decided for day in stats.per_day), default=0)
    for day in stats.per_day:
        bar = _bar(day.decided, most)
        lines.append(f"  {day.day.isoformat()}  {day.decided:5d} {day.starred:5d}  {bar}".rstrip())
    lines += ["", "Papers per month (paper date):"]
    most = max((count for _month, count in stats.per_month), default=0)
    lines += [f"  {month}  {count:6d}  {_bar(count, most)}" for month, count in stats.per_month]
    if stats.undated:
        lines.append(f"  undated  {stats.undated:6d}")
    if not stats.per_month and not stats.undated:
        lines.append("  (no papers)")
    tags = ", ".join(f"#{tag} {count}" for tag, count in stats.top_tags)
    lines += ["", f"Top tags: {tags or '(none yet)'}"]
    return lines


@click.command("stats")
@corpus_argument
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object (keys in README).")
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    default=30,
    show_default=True,
    help="Days of triage progress, up to today.",
)
def stats_command(corpus: str | None, corpus_option: str | None, as_json: bool, days: int) -> None:
    """Triage progress per day, papers per month, top tags and totals by status."""
    stats = open_library(corpus, corpus_option).stats(days=days)
    if as_json:
        print_json(stats.to_json())
        return
    for line in _lines(stats):
        echo_safe(line)
