"""`paperdeck import` and `paperdeck fetch`: copies that never overwrite, per-file reports, and
downloads tested against a local HTTP server serving responses in the APIs' recorded formats."""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from tests.test_corpus_foreign import ABSTRACT, BIB, PAGE, TITLE, atom, hf_json

from paperdeck.cli import main
from paperdeck.corpus.corpus import Corpus
from paperdeck.fetching import ARXIV_URL_ENV, HF_URL_ENV, fetch_arxiv

NEW_BIB = """@inproceedings{hinton2006,
  title = {A Fast Learning Algorithm for Deep Belief Nets},
  author = {Hinton, Geoffrey E. and Osindero, Simon and Teh, Yee-Whye},
  year = {2006},
  doi = {10.1162/neco.2006.18.7.1527},
}
"""


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAPERDECK_CONFIG_DIR", str(tmp_path / "config"))
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "page.txt").write_text(PAGE)
    return folder


def run(*args: str) -> object:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def test_import_reports_new_merged_and_leaves_originals(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "downloads"
    outside.mkdir()
    api = outside / "api.xml"
    api.write_text(atom(("2306.05422v2", TITLE, "Qianqian Wang")))  # the page's paper
    refs = outside / "refs.bib"
    refs.write_text(NEW_BIB)
    for original in (api, refs):
        original.chmod(0o444)
    before = {p: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in (api, refs)}
    result = run("import", str(api), str(refs), "--into", str(corpus))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{api} -> api.xml (arxiv-atom): 0 new papers, 1 merged duplicate, 0 warnings",
        f"{refs} -> refs.bib (bibtex): 1 new paper, 0 merged duplicates, 0 warnings",
    ]
    assert result.stderr.strip() == "2 files copied, 1 new paper"
    assert {p: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in (api, refs)} == before
    assert (corpus / "api.xml").read_bytes() == before[api][0]
    papers = Corpus.load(corpus, use_cache=False).papers
    assert len(papers) == 2
    hinton = next(p for p in papers if p.doi)
    assert hinton.authors == ("Geoffrey E. Hinton", "Simon Osindero", "Yee-Whye Teh")


def test_import_never_overwrites_a_name_and_skips_identical_copies(
    corpus: Path, tmp_path: Path
) -> None:
    other = tmp_path / "page.txt"
    other.write_text(BIB)  # a .bib entry saved under a name the corpus already has
    page = (corpus / "page.txt").read_bytes()
    first = run("import", str(other), "--corpus", str(corpus))
    assert first.exit_code == 0, first.output
    assert f"{other} -> page-2.txt (bibtex)" in first.stdout
    assert (corpus / "page.txt").read_bytes() == page
    assert (corpus / "page-2.txt").read_text() == BIB
    again = run("import", str(other), "--corpus", str(corpus))
    assert again.exit_code == 1
    assert again.stdout.splitlines() == [
        f"{other}: not copied",
        "  page.txt: already in the corpus as page-2.txt; not copied again",
    ]
    assert sorted(p.name for p in corpus.iterdir() if not p.name.startswith(".")) == [
        "page-2.txt",
        "page.txt",
    ]


def test_import_says_warnings_with_file_and_line_and_refuses_unknown(
    corpus: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.bib"
    broken.write_text(NEW_BIB + "\n@article{bad,\n  title = {Unclosed\n")
    unknown = tmp_path / "list.csv"
    unknown.write_text("id,title\n1,Graph\n")
    result = run("import", str(broken), str(unknown), "--corpus", str(corpus))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{broken} -> broken.bib (bibtex): 1 new paper, 0 merged")
    assert lines[1].startswith("  broken.bib:8: ")
    assert f"{unknown}: not copied" in lines
    assert "  list.csv: not a format paperdeck knows; skipped" in "\n".join(lines)
    assert not (corpus / "list.csv").exists()


# --- fetch --------------------------------------------------------------------------------------


class Server:
    """A local API: answers from `responses` (path -> list of (status, body), last repeated)
    and records every request's path and query."""

    def __init__(self) -> None:
        self.responses: dict[str, list[tuple[int, bytes]]] = {}
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                server.requests.append((parts.path, parse_qs(parts.query)))
                queue = server.responses.get(parts.path, [(404, b"not found")])
                status, body = queue.pop(0) if len(queue) > 1 else queue[0]
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    served = Server()
    monkeypatch.setenv(ARXIV_URL_ENV, served.url + "/api/query")
    monkeypatch.setenv(HF_URL_ENV, served.url + "/api/daily_papers")
    yield served
    served.close()


def feed(entries: list[tuple[str, str, str]], total: int) -> bytes:
    text = atom(*entries).replace(
        "  <title>ArXiv Query</title>\n",
        "  <title>ArXiv Query</title>\n"
        '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"{total}</opensearch:totalResults>\n",
    )
    return text.encode()


def test_fetch_arxiv_query_saves_the_feed_and_reports(corpus: Path, server: Server) -> None:
    server.responses["/api/query"] = [(200, feed([("2306.05422v2", TITLE, "Qianqian Wang")], 1))]
    result = run(
        "fetch", "arxiv", "all:tracking", "--since", "2023-06-01", "--corpus", str(corpus),
        "--delay", "0",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [(path, query)] = server.requests
    assert path == "/api/query"
    assert query["search_query"] == [
        "(all:tracking) AND submittedDate:[202306010000 TO 299912312359]"
    ]
    assert query["start"] == ["0"] and query["max_results"] == ["100"]
    [saved] = corpus.glob("arxiv-*.xml")
    assert f"-> {saved.name} (arxiv-atom): 0 new papers, 1 merged duplicate" in result.stdout
    [paper] = Corpus.load(corpus, use_cache=False).papers
    assert paper.arxiv_id == "2306.05422" and paper.abstract.startswith(ABSTRACT[:40])


def test_fetch_arxiv_by_id(corpus: Path, server: Server) -> None:
    server.responses["/api/query"] = [(200, feed([("1706.03762v7", "Attention Is All You Need",
                                                   "Ashish Vaswani")], 1))]  # fmt: skip
    result = run("fetch", "arxiv", "--id", "1706.03762", "--id", "2306.05422",
                 "--corpus", str(corpus), "--delay", "0")  # fmt: skip
    assert result.exit_code == 0, result.output
    [(_path, query)] = server.requests
    assert query["id_list"] == ["1706.03762,2306.05422"] and "search_query" not in query
    assert "1 new paper" in result.stdout


def test_fetch_arxiv_pages_wait_the_polite_delay(corpus: Path, server: Server) -> None:
    one = ("2306.05422v2", TITLE, "Qianqian Wang")
    two = ("1706.03762v7", "Attention Is All You Need", "Ashish Vaswani")
    three = ("2305.18290v1", "Direct Preference Optimization", "Rafael Rafailov")
    server.responses["/api/query"] = [(200, feed([one, two], 3)), (200, feed([three], 3))]
    slept: list[float] = []
    reports, after = fetch_arxiv(
        corpus, Corpus.load(corpus), query="all:x", limit=10, page_size=2, sleep=slept.append
    )
    assert slept == [3.0]  # one wait between the two calls, of arXiv's 3 seconds
    assert [q["start"] for _p, q in server.requests] == [["0"], ["2"]]
    assert [len(r.new) + len(r.merged) for r in reports] == [2, 1]
    assert len(after) == 3


def test_fetch_retries_a_server_error_with_backoff(corpus: Path, server: Server) -> None:
    good = feed([("2306.05422v2", TITLE, "Qianqian Wang")], 1)
    server.responses["/api/query"] = [(503, b"busy"), (503, b"busy"), (200, good)]
    slept: list[float] = []
    reports, _after = fetch_arxiv(corpus, Corpus.load(corpus), ids=("2306.05422",),
                                  delay=1.5, sleep=slept.append)  # fmt: skip
    assert slept == [1.5, 3.0]
    assert len(server.requests) == 3 and reports[0].copied_to is not None


def test_fetch_hf_day(corpus: Path, server: Server) -> None:
    body = hf_json("2306.05422", TITLE, 101).encode()
    server.responses["/api/daily_papers"] = [(200, body)]
    # `--into`, as `import` takes it (`--corpus` is its twin)
    result = run("fetch", "hf", "2023-06-09", "--into", str(corpus), "--delay", "0")
    assert result.exit_code == 0, result.output
    assert server.requests == [("/api/daily_papers", {"date": ["2023-06-09"]})]
    assert (corpus / "hf-daily-2023-06-09.json").read_bytes() == body
    assert "(hf-daily-papers-json): 0 new papers, 1 merged duplicate" in result.stdout
    [paper] = Corpus.load(corpus, use_cache=False).papers
    assert paper.upvotes == 101


def test_fetch_an_answer_that_is_no_feed_saves_nothing(corpus: Path, server: Server) -> None:
    server.responses["/api/daily_papers"] = [(200, b"<html>Too many requests</html>")]
    result = run("fetch", "hf", "--corpus", str(corpus), "--delay", "0")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: Hugging Face daily papers failed: the answer from 127.0.0.1:")
    assert [p for p in os.listdir(corpus) if not p.startswith(".")] == ["page.txt"]


def test_fetch_without_network_is_one_clear_line(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(ARXIV_URL_ENV, f"http://127.0.0.1:{port}/api/query")
    result = run("fetch", "arxiv", "all:x", "--corpus", str(corpus), "--delay", "0")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: arXiv API query failed: 127.0.0.1:{port}: cannot connect (")
    assert line.endswith(f"check the network connection (or the URL in ${ARXIV_URL_ENV})")
    assert [p for p in os.listdir(corpus) if not p.startswith(".")] == ["page.txt"]


def test_fetch_bad_dates_are_usage_errors(corpus: Path) -> None:
    result = run("fetch", "hf", "June 9", "--corpus", str(corpus))
    assert result.exit_code == 2
    assert "'June 9' is not a date; write it as YYYY-MM-DD" in result.stderr


def test_show_lists_authors_arxiv_id_and_doi(corpus: Path, tmp_path: Path) -> None:
    refs = tmp_path / "refs.bib"
    refs.write_text(NEW_BIB)
    assert run("import", str(refs), "--corpus", str(corpus)).exit_code == 0
    result = run("show", "a-fast-learning", "--corpus", str(corpus))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("authors"))
    assert lines[start : start + 3] == [
        "authors   Geoffrey E. Hinton",
        "          Simon Osindero",
        "          Yee-Whye Teh",
    ]
    assert "doi       10.1162/neco.2006.18.7.1527" in lines


def test_fetch_arxiv_error_answer_is_one_line_and_saves_nothing(
    corpus: Path, server: Server
) -> None:
    error = (Path(__file__).parent / "readers" / "data" / "arxiv_api_error.xml").read_bytes()
    server.responses["/api/query"] = [(200, error)]
    result = run("fetch", "arxiv", "--id", "1234.12345", "--corpus", str(corpus), "--delay", "0")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: arXiv API query failed: arXiv answered with an error: incorrect id format for "
        "1234.12345; fix the query"
    ]
    assert [p for p in os.listdir(corpus) if not p.startswith(".")] == ["page.txt"]


def test_fetch_hf_day_without_papers_saves_nothing(corpus: Path, server: Server) -> None:
    server.responses["/api/daily_papers"] = [(200, b"[]")]
    result = run("fetch", "hf", "2023-06-10", "--corpus", str(corpus), "--delay", "0")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr.strip() == "0 files copied, 0 new papers"
    assert [p for p in os.listdir(corpus) if not p.startswith(".")] == ["page.txt"]


def test_import_never_writes_into_the_bundled_sample_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAPERDECK_CORPUS", raising=False)
    refs = tmp_path / "refs.bib"
    refs.write_text(NEW_BIB)
    sample = Path(__file__).resolve().parents[1] / "sample_corpus"
    before = sorted(os.listdir(sample))
    for args in (["import", str(refs)], ["fetch", "hf"]):
        result = run(*args)
        assert result.exit_code == 2
        assert "is the bundled sample corpus, paperdeck's own" in result.stderr
    assert sorted(os.listdir(sample)) == before
