"""Stats: decisions per day from the notes' times, papers per month, top tags, totals by status;
`paperdeck stats` and `paperdeck stats --json` (documented keys), bad notes never crash it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.library import Annotation, Library
from paperdeck.triage.stats import DayCount, compute_stats

TODAY = date(2026, 12, 2)


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=UTC).astimezone()  # noon local: the same day


def test_compute_stats_counts_each_decision_on_its_day() -> None:
    notes = {
        "a": Annotation(
            "a",
            status="read",
            status_at=_at(2),
            starred=True,
            starred_at=_at(1),
            tags=("graphs", "todo"),
        ),
        "b": Annotation("b", status="skipped", status_at=_at(2), tags=("graphs",)),
        "c": Annotation("c", status="later", status_at=_at(1)),
        "d": Annotation("d", tags=("todo", "zz")),  # unread with tags: no decision
        "orphan": Annotation("orphan", status="read", status_at=_at(2)),
    }
    dates = {
        "a": (2024, 3, 1),
        "b": (2024, 3, 9),
        "c": (2023, 12, 31),
        "d": None,
        "e": (None, 6, 8),
    }

    stats = compute_stats(["a", "b", "c", "d", "e"], dates.get, notes, TODAY, days=3)

    assert stats.total == 5 and stats.triaged == 3 and stats.starred == 1
    assert stats.by_status == {"unread": 2, "later": 1, "reading": 0, "read": 1, "skipped": 1}
    assert stats.per_day == (
        DayCount(date(2026, 11, 30), 0, 0),
        DayCount(date(2026, 12, 1), 1, 1),
        DayCount(date(2026, 12, 2), 2, 0),
    )
    assert stats.per_month == (("2023-12", 1), ("2024-03", 2))
    assert stats.undated == 2
    assert stats.top_tags == (("graphs", 2), ("todo", 2), ("zz", 1))


def test_library_stats_follow_triage(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    ids = library.corpus.ids
    library.set_status_many(ids[:5], "skipped")
    library.star(ids[0])
    library.tag(ids[1], ["graphs"])

    stats = library.stats()

    assert stats.total == len(ids) and stats.triaged == 5 and stats.starred == 1
    assert stats.per_day[-1].day == datetime.now().astimezone().date()
    assert stats.per_day[-1].decided == 5 and stats.per_day[-1].starred == 1
    assert len(stats.per_day) == 30
    assert sum(count for _m, count in stats.per_month) + stats.undated == len(ids)
    assert stats.top_tags == (("graphs", 1),)


def test_cli_stats_json_keys_and_human_table(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    library.set_status_many(library.corpus.ids[:3], "read")
    runner = CliRunner()

    result = runner.invoke(main, ["stats", str(corpus_copy), "--json", "--days", "7"])

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "today",
        "total",
        "triaged",
        "starred",
        "by_status",
        "per_day",
        "per_month",
        "undated",
        "top_tags",
    }
    assert data["triaged"] == 3 and len(data["per_day"]) == 7
    assert data["per_day"][-1] == {"day": data["today"], "decided": 3, "starred": 0}
    human = runner.invoke(main, ["stats", "--corpus", str(corpus_copy)])
    assert human.exit_code == 0
    assert human.output.startswith(f"{data['total']} papers: 3 triaged")
    assert "Papers per month (paper date):" in human.output


def test_cli_stats_with_a_bad_notes_file_and_hostile_tags(corpus_copy: Path) -> None:
    library = Library.open(corpus_copy)
    first, second = library.corpus.ids[:2]
    library.tag(first, ["evil\x1b[2Jtag"])
    notes = corpus_copy / "notes"
    (notes / f"{second}.toml").write_text("status = [broken\n", encoding="utf-8")

    result = CliRunner().invoke(main, ["stats", "--corpus", str(corpus_copy)])

    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "\x1b" not in result.output
