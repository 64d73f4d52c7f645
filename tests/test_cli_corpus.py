"""The `paperdeck` command on corpora: list, show, check, corpus selection and usage errors.

Most tests drive `paperdeck.cli.main` in-process with click's CliRunner; a few run the real
command in a subprocess (`python -m paperdeck`) to check exit codes and streams end to end.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from paperdeck.cli import main
from paperdeck.library import Library

F000 = "000_1baa1a46657d523b.txt"
F004 = "004_672472eb05abb3ab.txt"
GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"
BOOT = "boot-data-free-distillation-of-denoising-5e69af63"
BEAT_GANS = "diffusion-models-beat-gans-on-image-ab4ca86b"
README_KEYS = [
    "id",
    "title",
    "title_derived",
    "abstract",
    "author_count",
    "date",
    "year_known",
    "upvotes",
    "links",
    "sources",
    "comments",
]
ID_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8}$")
ABSTRACT = (
    "Diffusion models have demonstrated excellent potential for generating diverse images. "
    "However, their performance often suffers from slow generation due to iterative denoising. "
    "We propose a data-free distillation method that needs no training data at all."
)


@pytest.fixture(autouse=True)
def no_env_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAPERDECK_CORPUS", raising=False)


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def sample(corpus_copy: Path) -> str:
    """The sample corpus, copied: commands also read `notes/`, which must not leak in here."""
    return str(corpus_copy)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    root.mkdir()
    (root / "page.txt").write_text(
        f"new\n\nJul 9\n\nOnly Paper Here\n\n{ABSTRACT}\n\n  • 2 authors\n·\nMar 3, 2024 7\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture
def bad_corpus(tmp_path: Path, sample_corpus: Path) -> Path:
    corpus_copy = tmp_path / "bad"
    corpus_copy.mkdir()
    for path in sample_corpus.glob("*.txt"):
        (corpus_copy / path.name).write_bytes(path.read_bytes())
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    lines = (corpus_copy / F004).read_bytes().split(b"\n")
    lines[22] = lines[22][:40] + b"\xff" + lines[22][40:]
    (corpus_copy / F004).write_bytes(b"\n".join(lines))
    return corpus_copy


def rows(result: Result) -> list[list[str]]:
    return [line.split("\t") for line in result.stdout.splitlines()]


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- list ---------------------------------------------------------------------------------------


def test_list_piped_lines(run, sample: str) -> None:
    result = run("list", sample)
    assert result.exit_code == 0, result.output
    table = rows(result)
    assert len(table) == 187
    for row in table:
        assert len(row) == 4, row
        pid, date, comments, title = row
        assert ID_FORMAT.match(pid)
        assert date == "-" or re.fullmatch(r"(\d{4}|-)-\d\d-\d\d", date), date
        assert comments.isdigit()
        assert title
    assert sum(row[3].startswith("[untitled] ") for row in table) == 19
    by_id = {row[0]: row for row in table}
    assert by_id[BOOT] == [
        BOOT,
        "2023-06-08",
        "1",
        "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping",
    ]
    assert by_id[GRAPHGPT] == [
        GRAPHGPT,
        "-",
        "0",
        "GraphGPT: Generative Pre-trained Graph Eulerian Transformer",
    ]
    assert by_id["echodistill-bidirectional-concept-fc2b11e3"][1:3] == ["--10-23", "1"]
    untitled = by_id["the-recent-progress-of-diffusion-models-18351d2a"]
    assert untitled[3] == (
        "[untitled] The recent progress of diffusion models in terms of image quality has led to a…"
    )


def test_list_default_order_is_source_order(run, sample: str) -> None:
    table = rows(run("list", sample))
    assert table[0][0] == "the-recent-progress-of-diffusion-models-18351d2a"  # 000:1
    assert table[-1][0] == "openhumanvid-a-large-scale-high-quality-3947c7e4"  # 004:577
    ids = [row[0] for row in table]
    assert ids.index(GRAPHGPT) < ids.index("binary-latent-diffusion-3af8fb5f") < ids.index(BOOT)


def test_list_json_is_valid_with_readme_keys(run, sample: str) -> None:
    result = run("list", sample, "--json")
    assert result.exit_code == 0
    papers = json.loads(result.stdout)
    assert isinstance(papers, list) and len(papers) == 187
    for paper in papers:
        assert list(paper)[: len(README_KEYS)] == README_KEYS
        assert isinstance(paper["title_derived"], bool)
        assert isinstance(paper["comments"], int)
        assert paper["upvotes"] is None  # no file format gives upvotes
        assert isinstance(paper["links"], list)
        assert paper["sources"] and all(set(s) == {"path", "line"} for s in paper["sources"])
        if paper["date"] is None:
            assert paper["year_known"] is None
        else:
            assert paper["year_known"] is (not paper["date"].startswith("--"))
    boot = next(p for p in papers if p["id"] == BOOT)
    # The README's example object, field for field (the abstract is abbreviated there).
    assert boot["title"] == (
        "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping"
    )
    assert boot["title_derived"] is False
    assert boot["abstract"].startswith("Diffusion models have demonstrated ")
    assert (boot["author_count"], boot["date"], boot["year_known"]) == (5, "2023-06-08", True)
    assert (boot["comments"], boot["upvotes"], boot["links"]) == (1, None, [])
    assert boot["sources"] == [{"path": F004, "line": 13}]
    untitled = next(p for p in papers if p["title_derived"])
    assert untitled["sources"] == [{"path": F000, "line": 1}]
    assert not untitled["title"].startswith("[untitled]")


def test_list_json_is_stable_between_runs(run, sample: str) -> None:
    assert run("list", sample, "--json").stdout == run("list", sample, "--json").stdout


def test_list_sort_date(run, sample: str) -> None:
    papers = json.loads(run("list", sample, "--json", "--sort", "date").stdout)
    dates = [p["date"] for p in papers]
    with_year = [d for d in dates if d and not d.startswith("--")]
    without_year = [d for d in dates if d and d.startswith("--")]
    assert len(with_year) == 60 and len(without_year) == 10
    # Newest first, then dates without a year, then papers without a date.
    assert dates == with_year + without_year + [None] * 117
    assert with_year == sorted(with_year, reverse=True)
    assert without_year == sorted(without_year, reverse=True)
    assert papers[0]["title"].startswith("CLEAR: Conv-Like Linearization")  # Dec 20, 2024
    assert with_year[-1] == "2019-10-16"
    assert without_year[0] == "--10-23" and without_year[-1] == "--02-06"
    plain = rows(run("list", sample, "--sort", "date"))
    assert [row[0] for row in plain] == [p["id"] for p in papers]


def test_list_sort_title(run, sample: str) -> None:
    table = rows(run("list", sample, "--sort", "title"))
    titles = [row[3].removeprefix("[untitled] ") for row in table]
    assert titles == sorted(titles, key=str.casefold)
    assert len(table) == 187


def test_list_sort_comments(run, sample: str) -> None:
    table = rows(run("list", sample, "--sort", "comments"))
    comments = [int(row[2]) for row in table]
    assert comments == sorted(comments, reverse=True)
    assert comments[:2] == [8, 6]  # `Nov 25, 2023 8` and `Dec 21, 2023 6` in 004
    assert table[0][3].startswith("Stable Video Diffusion: Scaling Latent Video Diffusion")
    assert comments.count(0) == 187 - 22  # 22 date lines in 004 end in a count


def test_list_sort_upvotes_is_newest_first_while_no_paper_has_upvotes(run, sample: str) -> None:
    assert rows(run("list", sample, "--sort", "upvotes")) == rows(
        run("list", sample, "--sort", "date")
    )


def test_list_sort_comments_puts_the_newest_first_among_equal_counts(sample: str) -> None:
    """README: "most comments first, then newest" (the ✉2 group came out in file order)."""
    library = Library.open(sample)
    order = library.sort_ids(library.corpus.ids, "comments")
    keys = [(library.paper(i).comments, library.paper(i).date) for i in order]
    for (count, date), (next_count, next_date) in pairwise(keys):
        assert count >= next_count
        if count == next_count and date is not None and next_date is not None:
            assert date.sort_key() >= next_date.sort_key()


def test_list_sort_rejects_unknown_key(run, sample: str) -> None:
    result = run("list", sample, "--sort", "random")
    assert result.exit_code == 2
    no_traceback(result)


def test_list_in_a_terminal_prints_a_table(
    run, sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("paperdeck.cli.papers.is_terminal", lambda: True)
    result = run("list", sample)
    assert result.exit_code == 0
    assert "187 papers" in result.stdout
    assert "\t" not in result.stdout


# --- show ---------------------------------------------------------------------------------------


def test_show_by_prefix(run, sample: str) -> None:
    result = run("show", "graphgpt", "--corpus", sample)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert GRAPHGPT in out
    assert "GraphGPT: Generative Pre-trained Graph Eulerian Transformer" in out
    assert "https://github.com/alibaba/graph-gpt" in out
    assert "002_872f613ddb38270d.txt:11" in out
    assert "We introduceGraphGPT, a novel self-supervised generative pre-trained model" in out


def test_show_lists_every_source(run, sample: str) -> None:
    out = run("show", "diffusion-models-beat", "--corpus", sample).stdout
    for source in (
        "002_872f613ddb38270d.txt:227",
        "003_93456e08bd80bb73.txt:63",
        "004_672472eb05abb3ab.txt:145",
    ):
        assert source in out
    assert "Jul 17, 2023" in out


def test_show_untitled_is_marked(run, sample: str) -> None:
    out = run("show", "the-recent-progress", "--corpus", sample).stdout
    assert "[untitled] The recent progress of diffusion models" in out


def test_show_json(run, sample: str) -> None:
    result = run("show", "BOOT", "--json", "--corpus", sample)
    assert result.exit_code == 0, result.output
    paper = json.loads(result.stdout)
    assert list(paper)[: len(README_KEYS)] == README_KEYS
    assert paper["id"] == BOOT
    assert paper["sources"] == [{"path": F004, "line": 13}]
    listed = json.loads(run("list", sample, "--json").stdout)
    same = next(p for p in listed if p["id"] == BOOT)
    assert {k: paper[k] for k in README_KEYS} == {k: same[k] for k in README_KEYS}


def test_show_full_id(run, sample: str) -> None:
    paper = json.loads(run("show", BEAT_GANS, "--json", "--corpus", sample).stdout)
    assert [s["line"] for s in paper["sources"]] == [227, 63, 145]
    assert (paper["author_count"], paper["date"], paper["comments"]) == (8, "2023-07-17", 1)


def test_show_ambiguous_prefix_lists_candidates(run, sample: str) -> None:
    result = run("show", "diffusion-models-", "--corpus", sample)
    assert result.exit_code == 2
    no_traceback(result)
    assert result.stdout == ""
    assert "ambiguous" in result.stderr
    assert BEAT_GANS in result.stderr
    assert "diffusion-models-such-as-stable-78a4e9ab" in result.stderr


def test_show_unknown_id(run, sample: str) -> None:
    result = run("show", "no-such-paper", "--corpus", sample)
    assert result.exit_code == 2
    no_traceback(result)
    assert "no-such-paper" in result.stderr


# --- check --------------------------------------------------------------------------------------


def test_check_sample_corpus_is_clean(run, sample: str) -> None:
    result = run("check", sample)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("No problems in 187 papers")


def test_check_bad_corpus(run, bad_corpus: Path) -> None:
    result = run("check", str(bad_corpus))
    assert result.exit_code == 1
    no_traceback(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert any(line.startswith("blob.bin: ") and "binary" in line for line in lines)
    assert any(line.startswith("empty.txt: ") and "empty" in line for line in lines)
    assert any(line.startswith(f"{F004}:23: ") for line in lines)
    assert result.stderr.startswith("3 problems in ")


def test_check_json(run, bad_corpus: Path) -> None:
    result = run("check", "--json", "--corpus", str(bad_corpus))
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {(p["path"], p["line"]) for p in problems} == {
        ("blob.bin", None),
        ("empty.txt", None),
        (F004, 23),
    }
    for problem in problems:
        assert set(problem) >= {"path", "line", "message", "hint"}


def test_check_json_clean(run, sample: str) -> None:
    result = run("check", sample, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


# --- choosing the corpus ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("list", "{missing}"),
        ("list", "--corpus", "{missing}"),
        ("check", "{missing}"),
        ("show", "graphgpt", "--corpus", "{missing}"),
        ("{missing}",),
    ],
)
def test_unknown_corpus_folder(run, tmp_path: Path, args: tuple[str, ...]) -> None:
    missing = str(tmp_path / "no" / "such" / "folder")
    result = run(*(arg.format(missing=missing) for arg in args))
    assert result.exit_code == 2
    no_traceback(result)
    assert missing in result.stderr
    assert result.stdout == ""


def test_corpus_that_is_a_file(run, sample: str) -> None:
    result = run("list", str(Path(sample) / F004))
    assert result.exit_code == 2
    no_traceback(result)


def test_corpus_option(run, small_corpus: Path) -> None:
    result = run("list", "--corpus", str(small_corpus))
    assert result.exit_code == 0
    [row] = rows(result)
    assert row[1:] == ["2024-03-03", "7", "Only Paper Here"]


def test_positional_and_option_must_agree(run, small_corpus: Path, sample: str) -> None:
    assert run("list", sample, "--corpus", sample).exit_code == 0
    result = run("list", sample, "--corpus", str(small_corpus))
    assert result.exit_code == 2
    no_traceback(result)


def test_env_var_fallback(run, small_corpus: Path, sample: str) -> None:
    env = {"PAPERDECK_CORPUS": str(small_corpus)}
    [row] = rows(run("list", env=env))
    assert row[3] == "Only Paper Here"
    shown = json.loads(run("show", "only", "--json", env=env).stdout)
    assert shown["title"] == "Only Paper Here"
    assert run("check", env=env).exit_code == 0
    # An explicit corpus beats the environment.
    assert len(rows(run("list", sample, env=env))) == 187
    assert len(rows(run("list", "--corpus", sample, env=env))) == 187


def test_env_var_pointing_nowhere(run, tmp_path: Path) -> None:
    result = run("list", env={"PAPERDECK_CORPUS": str(tmp_path / "gone")})
    assert result.exit_code == 2
    no_traceback(result)
    assert "gone" in result.stderr


def test_bundled_sample_is_the_last_fallback(run) -> None:
    result = run("list")
    assert result.exit_code == 0
    assert len(rows(result)) == 187
    assert run("show", "graphgpt").exit_code == 0


# --- the real command ---------------------------------------------------------------------------


def paperdeck(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PAPERDECK_CORPUS"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "paperdeck", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
        check=False,
    )


def test_subprocess_list_json_and_show(sample: str) -> None:
    listed = paperdeck("list", sample, "--json")
    assert listed.returncode == 0, listed.stderr
    papers = json.loads(listed.stdout)
    assert len(papers) == 187
    piped = paperdeck("list", sample)
    assert piped.returncode == 0
    assert len(piped.stdout.splitlines()) == 187
    assert all(line.count("\t") == 3 for line in piped.stdout.splitlines())
    shown = paperdeck("show", "graphgpt", "--json", "--corpus", sample)
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["id"] == GRAPHGPT


def test_subprocess_usage_errors(tmp_path: Path, sample: str) -> None:
    ambiguous = paperdeck("show", "diffusion-models-", "--corpus", sample)
    assert ambiguous.returncode == 2
    assert BEAT_GANS in ambiguous.stderr
    assert "Traceback" not in ambiguous.stderr
    missing = paperdeck("list", str(tmp_path / "missing"))
    assert missing.returncode == 2
    assert "missing" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert missing.stdout == ""


def test_subprocess_check_and_env(bad_corpus: Path, small_corpus: Path, sample: str) -> None:
    assert paperdeck("check", sample).returncode == 0
    bad = paperdeck("check", str(bad_corpus))
    assert bad.returncode == 1
    assert f"{F004}:23: " in bad.stdout
    from_env = paperdeck("list", env={"PAPERDECK_CORPUS": str(small_corpus)})
    assert from_env.returncode == 0
    assert from_env.stdout.rstrip("\n").endswith("\tOnly Paper Here")
