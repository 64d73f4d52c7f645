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
