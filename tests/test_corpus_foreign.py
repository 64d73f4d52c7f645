"""Files in the readers' formats (arXiv Atom, BibTeX, HF JSON, ...) read as corpus papers, and
the identity of one paper across sources (README "Paper IDs" and "Duplicates")."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.corpus import cache as cache_module
from paperdeck.corpus.corpus import Corpus
from paperdeck.corpus.identity import paper_id
from paperdeck.export import export_bibtex, export_json
from paperdeck.library import Library
from paperdeck.problems import Problem
from paperdeck.readers import read as read_records

TITLE = "Tracking Everything Everywhere All at Once"
ABSTRACT = (
    "We present a new test-time optimization method for estimating dense and long-range motion "
    "from a video sequence."
)


def atom(*entries: tuple[str, str, str]) -> str:
    """An arXiv API response with (arXiv ID with version, title, first author) entries."""
    body = "".join(
        f"""  <entry>
    <id>http://arxiv.org/abs/{arxiv_id}</id>
    <updated>2023-09-12T17:59:51Z</updated>
    <published>2023-06-08T17:59:29Z</published>
    <title>{title}</title>
    <summary>  {ABSTRACT}
</summary>
    <author><name>{author}</name></author>
    <author><name>Noah Snavely</name></author>
    <link href="http://arxiv.org/abs/{arxiv_id}" rel="alternate" type="text/html"/>
    <category term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
"""
        for arxiv_id, title, author in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "  <title>ArXiv Query</title>\n" + body + "</feed>\n"
    )


def hf_json(arxiv_id: str, title: str, upvotes: int) -> str:
    return json.dumps(
        [
            {
                "paper": {
                    "id": arxiv_id,
                    "authors": [{"name": "Qianqian Wang"}],
                    "publishedAt": "2023-06-08T17:59:29.000Z",
                    "title": title,
                    "summary": ABSTRACT,
                    "upvotes": upvotes,
                },
                "numComments": 6,
            }
        ]
    )


BIB = """@article{wang2023,
  title = {OmniMotion: {T}racking Everything, Everywhere},
  author = {Wang, Qianqian and Snavely, Noah},
  year = {2023},
  eprint = {2306.05422v1},
  archivePrefix = {arXiv},
}
"""


def test_mixed_folder_merges_duplicates_by_arxiv_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "api.xml").write_text(atom(("2306.05422v2", TITLE, "Qianqian Wang")))
    (tmp_path / "daily.json").write_text(hf_json("2306.05422", TITLE, 101))
    (tmp_path / "refs.bib").write_text(BIB)  # another title, the same arXiv ID
    corpus = Corpus.load(tmp_path, use_cache=False)
    assert corpus.problems == []
    [paper] = corpus.papers
    assert paper.arxiv_id == "2306.05422"
    assert [str(s) for s in paper.sources] == ["api.xml:4", "daily.json:1", "refs.bib:1"]
    assert paper.authors == ("Qianqian Wang", "Noah Snavely")
    assert paper.author_count == 2
    assert paper.upvotes == 101 and paper.comments == 6
    assert paper.categories == ("cs.CV",)
    # The ID copy is the first in source order (api.xml), its title key gives the ID; the
    # BibTeX title's ID is an alias that finds the same paper.
    assert paper.id == paper_id(TITLE, ABSTRACT)
    alias = paper_id("OmniMotion: Tracking Everything, Everywhere", "")
    assert paper.aliases == (alias,)
    assert corpus.resolve(alias) is corpus.get(paper.id)
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # files written just now count too
    Corpus.load(tmp_path)  # writes the cache
    cached = Corpus.load(tmp_path)
    assert cached._store is not None  # read from the cache's rows, not the files
    assert cached.papers == [paper]  # the rows keep every new field
    assert cached.resolve(alias).id == paper.id


def test_cache_version_covers_the_readers() -> None:
    """A change to a reader must invalidate the corpus cache: the readers are parser code."""
    from paperdeck.corpus.cache import _CODE
    from paperdeck.derived import source_files

    files = source_files(_CODE)
    assert {
        "paperdeck.readers",
        "paperdeck.readers.bibtex",
        "paperdeck.readers.hf_markdown",
    } <= set(files)
    assert "paperdeck.corpus.foreign" in files


def test_same_title_different_arxiv_ids_stay_two_papers(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(
        atom(("2401.00002v1", TITLE, "Later Author"), ("2306.05422v2", TITLE, "Qianqian Wang"))
    )
    corpus = Corpus.load(tmp_path, use_cache=False)
    first, second = corpus.papers
    assert {first.arxiv_id, second.arxiv_id} == {"2401.00002", "2306.05422"}
    older = next(p for p in corpus.papers if p.arxiv_id == "2306.05422")
    newer = next(p for p in corpus.papers if p.arxiv_id == "2401.00002")
    assert older.id == paper_id(TITLE, ABSTRACT)  # the oldest arXiv ID keeps the title's ID
    assert newer.id != older.id and newer.id.startswith("tracking-everything-everywhere")
    # A page copy without an arXiv ID joins the older paper, whatever the file order.
    (tmp_path / "0.json").write_text(hf_json("", TITLE, 3).replace('"id": "",', ""))
    again = Corpus.load(tmp_path, use_cache=False)
    assert len(again) == 2
    assert len(again.get(older.id).sources) == 2  # type: ignore[union-attr]


PAGE = f"""{TITLE}

{ABSTRACT} Our method tracks every pixel across the whole video, even through occlusions.
"""


def test_paper_with_notes_keeps_id_and_notes_after_atom_added(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(PAGE)
    library = Library.open(tmp_path)
    [paper] = library.papers
    library.set_note(paper.id, "read the occlusion section")
    library.close()
    # The Atom entry sorts first and its title differs in case and punctuation only.
    (tmp_path / "00.xml").write_text(atom(("2306.05422v2", TITLE.upper() + ".", "Qianqian Wang")))
    library = Library.open(tmp_path)
    [merged] = library.papers
    assert merged.id == paper.id
    assert merged.arxiv_id == "2306.05422"
    assert merged.authors == ("Qianqian Wang", "Noah Snavely")
    assert [s.path for s in merged.sources] == ["00.xml", "page.txt"]
    assert library.annotation(merged.id).note.strip() == "read the occlusion section"
    library.close()


def test_plain_text_copy_gives_the_id_even_when_titles_differ(tmp_path: Path) -> None:
    """Files sorting before the page add an arXiv ID, and a .bib entry with that ID under
    another title: the page's (title-based) ID stays."""
    (tmp_path / "page.txt").write_text(PAGE)
    before = Corpus.load(tmp_path, use_cache=False).papers[0].id
    (tmp_path / "0.xml").write_text(atom(("2306.05422v2", TITLE, "Qianqian Wang")))
    (tmp_path / "1.bib").write_text(BIB)
    [paper] = Corpus.load(tmp_path, use_cache=False).papers
    assert paper.id == before
    assert len(paper.sources) == 3


def test_broken_bibtex_entry_is_a_problem_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB + "\n@article{broken,\n  title = {Unclosed\n")
    corpus = Corpus.load(tmp_path, use_cache=False)
    assert [p.arxiv_id for p in corpus.papers] == ["2306.05422"]
    assert corpus.problems and all(p.path == "refs.bib" for p in corpus.problems)
    assert all(p.line is not None and p.line >= 8 for p in corpus.problems)


def test_file_no_reader_knows_keeps_not_a_format(tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text("id,title\n1,Graph\n2,Video\n")
    corpus = Corpus.load(tmp_path, use_cache=False)
    assert len(corpus) == 0
    [problem] = corpus.problems
    assert problem.message == "not a format paperdeck knows; skipped"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(max_size=400), name=st.sampled_from(["x.txt", "x.bib", "x.json", "x.md", "x.xml"])
)
def test_any_file_loads_and_problems_are_problems(tmp_path_factory, text: str, name: str) -> None:
    folder = tmp_path_factory.mktemp("any")
    (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    corpus = Corpus.load(folder, use_cache=False)
    assert all(isinstance(p, Problem) and p.path == name for p in corpus.problems)
    for paper in corpus.papers:
        assert paper.sources and all(s.path == name for s in paper.sources)
        assert paper.author_count is None or paper.author_count >= len(paper.authors)
    assert os.listdir(folder) == [name]


def test_authors_searchable_and_exported(tmp_path: Path) -> None:
    (tmp_path / "api.xml").write_text(atom(("2306.05422v2", TITLE, "Qianqian Wang")))
    (tmp_path / "page.txt").write_text(PAGE.replace(TITLE, "Another Paper About Video"))
    library = Library.open(tmp_path)
    try:
        [paper] = [p for p in library.papers if p.arxiv_id]
        assert [h.paper_id for h in library.search("author:snavely").hits] == [paper.id]
        assert [h.paper_id for h in library.search("authors:qianqian").hits] == [paper.id]
        assert library.search("author:video").hits == []  # titles are not authors
        items = [(paper, library.annotation(paper.id))]
        assert "  author = {Qianqian Wang and Noah Snavely}," in export_bibtex(items)
        [record] = json.loads(export_json(items))
        assert record["authors"] == ["Qianqian Wang", "Noah Snavely"]
        assert record["arxiv_id"] == "2306.05422" and record["author_count"] == 2
    finally:
        library.close()


def test_notes_follow_a_paper_whose_id_moved(tmp_path: Path) -> None:
    """A paper read only from a .bib has notes; an Atom copy sorting first, under another
    title, would give it another ID: the paper keeps the ID its notes are under."""
    (tmp_path / "refs.bib").write_text(BIB)
    library = Library.open(tmp_path)
    [paper] = library.papers
    library.set_note(paper.id, "compare with RAFT")
    library.close()
    (tmp_path / "0.xml").write_text(atom(("2306.05422v2", TITLE, "Qianqian Wang")))
    moved = Corpus.load(tmp_path).papers[0].id  # what the ID rule alone gives
    assert moved == paper_id(TITLE, ABSTRACT) != paper.id
    library = Library.open(tmp_path)
    [merged] = library.papers
    assert merged.id == paper.id and merged.aliases == (moved,)
    assert library.annotation(merged.id).note.strip() == "compare with RAFT"
    assert library.resolve(moved) == merged  # the other ID still finds it
    # A third copy under yet another title: its ID is an alias that finds the paper too.
    third = "@misc{x, title = {Tracking Any Pixel}, eprint = {2306.05422}}\n"
    (tmp_path / "2.bib").write_text(third)
    library.close()
    library = Library.open(tmp_path)
    [merged] = library.papers
    assert merged.id == paper.id
    assert library.resolve(paper_id("Tracking Any Pixel", "")) == merged
    assert [p for p in library.problems() if p.path.startswith("notes/")] == []
    assert [h.paper_id for h in library.search("raft").hits] == [paper.id]
    library.close()


def test_notes_under_both_ids_are_a_problem_naming_the_paper(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB)
    library = Library.open(tmp_path)
    [paper] = library.papers
    library.set_note(paper.id, "compare with RAFT")
    library.close()
    (tmp_path / "0.xml").write_text(atom(("2306.05422v2", TITLE, "Qianqian Wang")))
    moved = paper_id(TITLE, ABSTRACT)
    (tmp_path / "notes" / f"{moved}.toml").write_text(f'id = "{moved}"\nnote = "a second note"\n')
    library = Library.open(tmp_path)
    [merged] = library.papers
    assert merged.id == moved
    [problem] = [p for p in library.problems() if p.path.startswith("notes/")]
    assert problem.path == f"notes/{paper.id}.toml"
    assert problem.message == f"notes under another ID of paper {moved} (its copies were merged)"
    library.close()


DATA = Path(__file__).resolve().parent / "readers" / "data"


@pytest.mark.parametrize(
    "name", ["hf_papers_page.md", "hf_search_firecrawl.md", "hf_trending_html2text.md"]
)
def test_hf_markdown_captures_are_read_exactly_not_as_pages(tmp_path: Path, name: str) -> None:
    """These captures also look like daily-papers pages; read as such, navigation became papers."""
    text = (DATA / name).read_text(encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    records = read_records(text, name).records
    papers = Corpus.load(tmp_path, use_cache=False).papers
    assert records and [p.title for p in papers] == [r.title for r in records]
    assert [p.arxiv_id for p in papers] == [r.arxiv_id for r in records]
    assert all(p.sources[0].line == r.line for p, r in zip(papers, records, strict=True))


def test_minified_json_is_not_an_abstract_per_line(tmp_path: Path) -> None:
    (tmp_path / "daily.json").write_text(hf_json("2306.05422", TITLE, 101))
    [paper] = Corpus.load(tmp_path, use_cache=False).papers
    assert paper.title == TITLE and not paper.title_derived and paper.upvotes == 101


def test_bibtex_export_cites_the_arxiv_id_and_doi_and_leaves_out_empty_fields(
    tmp_path: Path,
) -> None:
    """What a LaTeX user cites by: `doi`, and `eprint` with `archiveprefix`/`primaryclass`
    (biblatex's eprint fields); a paper without an abstract gets no empty `abstract = {}`."""
    (tmp_path / "api.xml").write_text(atom(("2306.05422v2", TITLE, "Qianqian Wang")))
    (tmp_path / "refs.bib").write_text(
        "@article{other2021,\n  title = {A Paper With a DOI Only},\n"
        "  author = {Doe, Jane},\n  doi = {10.1000/ABC_123},\n}\n"
    )
    library = Library.open(tmp_path)
    try:
        by_title = {paper.title: paper for paper in library.papers}
        atom_entry = export_bibtex([(by_title[TITLE], library.annotation(by_title[TITLE].id))])
        assert "  eprint = {2306.05422}," in atom_entry
        assert "  archiveprefix = {arXiv}," in atom_entry
        assert "  primaryclass = {cs.CV}," in atom_entry
        doi_paper = by_title["A Paper With a DOI Only"]
        doi_entry = export_bibtex([(doi_paper, library.annotation(doi_paper.id))])
        assert "  doi = {10.1000/abc_123}" in doi_entry  # verbatim: no `\_` in a DOI
        assert "eprint" not in doi_entry and "abstract" not in doi_entry
    finally:
        library.close()
