"""CLI behaviour found in review: query mistakes, leading `-` terms, BibTeX, git commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from paperdeck.cli import main
from paperdeck.library import Library

GRAPHGPT = "graphgpt-generative-pre-trained-graph-07091733"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_a_query_mistake_warns_and_still_searches_what_was_understood(corpus_copy: Path) -> None:
    result = run("search", "--corpus", str(corpus_copy), '"single image')
    assert result.exit_code == 0
    assert "dreamtuner-single-image-is-enough" in result.stdout
    assert "warning: unclosed quote" in result.stderr


def test_a_query_with_nothing_understood_warns_and_finds_nothing(corpus_copy: Path) -> None:
    # README: mistakes never fail a search; exit 0 as for any search that found nothing
    result = run("search", "--corpus", str(corpus_copy), "date:banana")
    assert result.exit_code == 0
    assert "warning: date:banana" in result.stderr and "Error" not in result.stderr
    assert result.stdout == "" and "0 of 0 matches" in result.stderr


def test_a_leading_minus_term_is_a_query_not_an_option(corpus_copy: Path) -> None:
    Library.open(corpus_copy).star(GRAPHGPT)
    result = run("search", "--corpus", str(corpus_copy), "-is:starred", "graphgpt")
    assert result.exit_code == 0
    assert GRAPHGPT not in result.stdout
    result = run("search", "--corpus", str(corpus_copy), "is:starred")
    assert result.stdout.split("\t")[0] == GRAPHGPT


def test_bibtex_keeps_title_capitals_and_urls_verbatim(corpus_copy: Path) -> None:
    result = run(
        "export", "--corpus", str(corpus_copy), "--format", "bibtex", "title:discriminative"
    )
    assert result.exit_code == 0
    assert "url = {https://github.com/idansc/discriminative_class_tokens}" in result.stdout
    assert "title = {{" in result.stdout


@pytest.mark.parametrize("command", ["sync", "git-setup"])
def test_git_commands_never_fall_back_to_the_bundled_sample(command: str) -> None:
    result = run(command, env={"PAPERDECK_CORPUS": ""})
    assert result.exit_code == 2
    assert "name the corpus folder" in result.stderr
    assert f"e.g. `paperdeck {command} .`" in result.stderr  # the command that was run


def test_git_setup_outside_git_exits_2_and_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "not-in-git"
    folder.mkdir()
    result = run("git-setup", str(folder), env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert str(folder) in line and "is not in a git repository" in line and "git init" in line


def test_sync_from_the_app_refuses_the_bundled_sample() -> None:
    library = Library.open(None)
    report, changed = library.sync()
    assert not report.ok and changed == []
    assert "bundled sample corpus" in report.problems[0]


def test_reversed_sorts_and_tag_mistakes_on_the_command_line(tmp_path) -> None:
    import shutil
    from pathlib import Path

    from click.testing import CliRunner

    from paperdeck.cli import main

    sample = Path(__file__).resolve().parents[1] / "sample_corpus"
    corpus = tmp_path / "corpus"
    shutil.copytree(sample, corpus, ignore=shutil.ignore_patterns(".*", "notes"))
    runner = CliRunner()
    forward = runner.invoke(
        main,
        [
            "search",
            "diffusion",
            "--corpus",
            str(corpus),
            "--json",
            "--sort",
            "title",
            "--limit",
            "500",
        ],
    )
    backward = runner.invoke(
        main,
        [
            "search",
            "diffusion",
            "--corpus",
            str(corpus),
            "--json",
            "--sort",
            "-title",
            "--limit",
            "500",
        ],
    )
    assert forward.exit_code == 0 and backward.exit_code == 0, backward.output
    import json

    titles = [r["title"] for r in json.loads(forward.stdout)]
    back = [r["title"] for r in json.loads(backward.stdout)]
    assert titles and back == titles[::-1]
    bad = runner.invoke(main, ["tag", "graphgpt", "+!!!", "--corpus", str(corpus)])
    assert bad.exit_code == 2 and "a tag needs a letter or a digit" in bad.output
    both = runner.invoke(main, ["tag", "graphgpt", "+a,b", "--corpus", str(corpus)])
    assert both.exit_code == 0, both.output
    shown = runner.invoke(main, ["search", "tag:b", "--corpus", str(corpus), "--json"])
    assert "graphgpt" in shown.output


def test_search_says_when_it_had_to_rebuild_a_damaged_index(tmp_path) -> None:
    import shutil
    from pathlib import Path

    from click.testing import CliRunner

    from paperdeck.cli import main

    sample = Path(__file__).resolve().parents[1] / "sample_corpus"
    corpus = tmp_path / "corpus"
    shutil.copytree(sample, corpus, ignore=shutil.ignore_patterns(".*", "notes"))
    runner = CliRunner()
    assert runner.invoke(main, ["index", str(corpus)]).exit_code == 0
    for segment in (corpus / ".paperdeck" / "index").glob("*.seg"):
        segment.write_bytes(b"garbage")
    result = runner.invoke(main, ["search", "graphgpt", "--corpus", str(corpus)])
    assert result.exit_code == 0
    assert "index: the search index is damaged" in result.output
    assert "GraphGPT" in result.output


@pytest.mark.parametrize("command", ["search", "export"])
def test_a_folder_given_as_the_query_warns_did_you_mean_corpus(
    command: str, corpus_copy: Path, tmp_path: Path
) -> None:
    """`export FOLDER` reads FOLDER as the query: it must say so, not quietly print `[]`."""
    other = tmp_path / "other corpus"
    other.mkdir()
    json_flag = ["--json"] if command == "search" else ["--format", "json"]
    result = run(command, str(other), *json_flag, env={"PAPERDECK_CORPUS": str(corpus_copy)})
    assert result.exit_code == 0, result.output
    assert f"did you mean --corpus '{other}'?" in result.stderr
    assert str(corpus_copy) in result.stderr  # where it searched instead
    quiet = run(command, "diffusion", "--corpus", str(corpus_copy))
    assert "did you mean" not in quiet.stderr


@pytest.mark.parametrize(
    ("broken", "summary"), [(0, "No problems in "), (1, "1 problem in "), (2, "2 problems in ")]
)
def test_check_counts_problems_in_words(broken: int, summary: str, corpus_copy: Path) -> None:
    (corpus_copy / "notes").mkdir(exist_ok=True)
    papers = [GRAPHGPT, "boot-data-free-distillation-of-denoising-5e69af63"]
    for paper_id in papers[:broken]:  # bad notes files of real papers: one problem each
        (corpus_copy / "notes" / f"{paper_id}.toml").write_text("= broken\n", encoding="utf-8")
    result = run("check", str(corpus_copy))
    assert result.exit_code == (1 if broken else 0), result.output
    assert result.stderr.startswith(summary), result.stderr
    assert "problem(s)" not in result.stderr
