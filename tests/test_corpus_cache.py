"""The corpus cache: an unchanged corpus is not read again, a changed file is, and a broken or
stale cache is never trusted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import paperdeck.corpus.cache as cache_module
import paperdeck.corpus.corpus as corpus_module
from paperdeck.corpus.corpus import Corpus

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # files written just now count too
    monkeypatch.setenv("PAPERDECK_CACHE_DIR", str(tmp_path / "user-cache"))
    target = tmp_path / "corpus"
    shutil.copytree(
        SAMPLE, target, ignore=shutil.ignore_patterns(".*", "notes"), copy_function=shutil.copyfile
    )
    (target / "bad.txt").write_bytes(b"Title\n\xff\xfe not utf-8 \n")  # a file with a problem
    return target


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which files `Corpus.load` parses."""
    seen: list[str] = []
    original = corpus_module.read_file

    def counting(path: Path, relative: str, **options):  # type: ignore[no-untyped-def]
        seen.append(relative)
        return original(path, relative, **options)

    monkeypatch.setattr(corpus_module, "read_file", counting)
    return seen


def same(a: Corpus, b: Corpus) -> None:
    assert a.ids == b.ids
    assert [p.to_dict() for p in a.papers] == [p.to_dict() for p in b.papers]
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert [a.digest(i) for i in a.ids] == [b.digest(i) for i in b.ids]


def test_unchanged_corpus_comes_from_the_snapshot(root: Path, monkeypatch) -> None:
    truth = Corpus.load(root, use_cache=False)
    first = Corpus.load(root)
    same(first, truth)
    seen = reads(monkeypatch)
    again = Corpus.load(root)
    assert seen == []  # nothing parsed
    same(again, truth)
    assert (root / ".paperdeck" / "corpus" / "papers.marshal").exists()
    paper = again.resolve("graphgpt")
    assert paper.abstract.startswith("We introduceGraphGPT")  # read from the mapped file


def test_only_the_changed_file_is_read_again(root: Path, monkeypatch) -> None:
    Corpus.load(root)
    changed = sorted(p for p in root.iterdir() if p.name.startswith("002"))[0]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("GraphGPT", "GraphGPT2", 1), encoding="utf-8")
    (root / "new.txt").write_text("A short abstract about one new idea. " * 4 + "\n")
    seen = reads(monkeypatch)
    loaded = Corpus.load(root)
    assert sorted(seen) == sorted([changed.name, "new.txt"])
    same(loaded, Corpus.load(root, use_cache=False))
    assert any(p.title.startswith("GraphGPT2") for p in loaded.papers)
    os.remove(root / "new.txt")
    same(Corpus.load(root), Corpus.load(root, use_cache=False))


def test_a_file_changed_just_now_is_never_cached(root: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600.0)
    Corpus.load(root)
    seen = reads(monkeypatch)
    Corpus.load(root)
    assert len(seen) == len([p for p in root.iterdir() if p.is_file()])


def corpus_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_file())


def test_files_written_just_now_are_cached_once_they_settle(root: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600.0)  # every file was written just now
    truth = Corpus.load(root, use_cache=False)
    first = Corpus.load(root)
    first.save_settled()  # still within the window: nothing can be cached yet
    assert not (root / ".paperdeck" / "corpus" / "papers.marshal").exists()
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # ... and now the window has passed
    first.save_settled()
    seen = reads(monkeypatch)
    again = Corpus.load(root)
    assert seen == []  # the next command parses nothing
    same(again, truth)


def test_a_file_changed_after_it_was_read_is_not_cached_as_settled(root: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600.0)
    first = Corpus.load(root)
    changed = root / "new.txt"
    changed.write_text("A short abstract about one new idea that came late. " * 3 + "\n")
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)
    first.save_settled()
    seen = reads(monkeypatch)
    loaded = Corpus.load(root)
    assert seen == ["new.txt"]  # every other file settled and came from the cache
    same(loaded, Corpus.load(root, use_cache=False))


def test_a_same_tick_rewrite_is_caught_by_the_bytes(root: Path, monkeypatch) -> None:
    """A second write in the same clock tick keeps the file's times: the bytes must match."""
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600.0)
    target = root / corpus_files(root)[0]
    before = cache_module.file_stat(target)
    first = Corpus.load(root)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("diffusion", "DIFFUSION", 1), encoding="utf-8")  # same size
    real = cache_module.file_stat

    def same_times(path: Path):  # type: ignore[no-untyped-def]
        return before if Path(path) == target else real(path)

    monkeypatch.setattr(cache_module, "file_stat", same_times)
    monkeypatch.setattr(corpus_module, "file_stat", same_times)
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)
    first.save_settled()
    seen = reads(monkeypatch)
    loaded = Corpus.load(root)
    assert seen == [target.name]
    assert any("DIFFUSION" in p.abstract for p in loaded.papers)


def test_paperdeck_index_on_a_fresh_corpus_leaves_it_cached(root: Path, monkeypatch) -> None:
    """Files written seconds before `paperdeck index`: the next command parses none of them."""
    from click.testing import CliRunner

    from paperdeck.cli import main
    from paperdeck.search.index import SearchIndex

    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600.0)
    real_open = SearchIndex.open

    def build_takes_a_while(*args, **kwargs):  # type: ignore[no-untyped-def]
        index = real_open(*args, **kwargs)
        monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # the files settled meanwhile
        return index

    monkeypatch.setattr(SearchIndex, "open", staticmethod(build_takes_a_while))
    first = reads(monkeypatch)
    result = CliRunner().invoke(main, ["index", str(root)])
    assert result.exit_code == 0, result.output
    assert sorted(first) == corpus_files(root)
    seen = reads(monkeypatch)
    result = CliRunner().invoke(main, ["list", str(root)])
    assert result.exit_code == 0, result.output
    assert seen == []


@pytest.mark.parametrize("damage", ["garbage", "truncate-abstracts", "delete-abstracts", "empty"])
def test_a_damaged_cache_is_ignored_and_rewritten(root: Path, damage: str, monkeypatch) -> None:
    truth = Corpus.load(root, use_cache=False)
    Corpus.load(root)
    folder = root / ".paperdeck" / "corpus"
    [abstracts] = folder.glob("papers-*.bin")
    if damage == "garbage":
        for name in ("papers.marshal", "entries.marshal"):
            (folder / name).write_bytes(b"\x00not marshal at all")
    elif damage == "truncate-abstracts":
        abstracts.write_bytes(abstracts.read_bytes()[:100])
    elif damage == "delete-abstracts":
        abstracts.unlink()
    else:
        (folder / "papers.marshal").write_bytes(b"")
    same(Corpus.load(root), truth)
    same(Corpus.load(root), truth)


def test_a_new_parser_never_trusts_an_old_cache(root: Path, monkeypatch) -> None:
    Corpus.load(root)
    monkeypatch.setattr(cache_module, "code_version", lambda: "another-version")
    seen = reads(monkeypatch)
    Corpus.load(root)
    assert len(seen) == len([p for p in root.iterdir() if p.is_file()])


def test_a_read_only_corpus_caches_in_the_user_cache_dir(
    root: Path, tmp_path: Path, monkeypatch
) -> None:
    real = cache_module.writable
    monkeypatch.setattr(
        cache_module, "writable", lambda folder: not folder.is_relative_to(root) and real(folder)
    )
    truth = Corpus.load(root, use_cache=False)
    Corpus.load(root)
    assert not (root / ".paperdeck").exists()
    assert list((tmp_path / "user-cache").rglob("papers.marshal"))
    seen = reads(monkeypatch)
    same(Corpus.load(root), truth)
    assert seen == []


@pytest.mark.parametrize("sort", ["source", "date", "comments", "upvotes", "title"])
def test_sorting_ids_from_cached_rows_matches_sorting_papers(root: Path, sort: str) -> None:
    from paperdeck.sorting import sort_ids, sort_papers

    Corpus.load(root)
    cached = Corpus.load(root)  # rows from the snapshot
    eager = Corpus.load(root, use_cache=False)
    expected = [p.id for p in sort_papers(eager.papers, sort)]
    assert sort_ids(cached, cached.ids, sort) == expected
    assert sort_ids(eager, eager.ids, sort) == expected


def test_real_upvotes_are_kept_apart_from_comments() -> None:
    """No format gives upvotes today, but an importer that does must find them kept."""
    from paperdeck.corpus.duplicates import merge_entries
    from paperdeck.corpus.paper import Entry, Source
    from paperdeck.corpus.rows import paper_from_row, paper_row
    from paperdeck.search.schema import document

    abstract = "An abstract long enough to be one, about scaling diffusion models well."
    copies = [
        Entry("A Title", abstract, Source("a.txt", 1), comments=3),
        Entry("A Title", abstract, Source("b.txt", 1), comments=1, upvotes=101),
    ]
    [paper] = merge_entries(copies)
    assert (paper.comments, paper.upvotes) == (3, 101)
    assert paper.to_dict()["upvotes"] == 101 and paper.to_dict()["comments"] == 3
    assert paper_from_row(paper_row(paper, "0" * 16), paper.abstract) == paper
    assert (document(paper, None)["upvotes"], document(paper, None)["comments"]) == (101, 3)
    [plain] = merge_entries(copies[:1])
    assert plain.upvotes is None and "upvotes" not in document(plain, None)
