"""Property tests of the format layer: parsing and decoding never raise, generated pages are
recognised and read back exactly, derived titles and links keep their promises."""

from __future__ import annotations

import random
import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from paperdeck.corpus import fields, formats
from paperdeck.corpus.fields import derive_title, extract_links
from paperdeck.corpus.files import decode
from paperdeck.corpus.formats import Format, detect_format
from paperdeck.corpus.identity import collapse_whitespace

# Deterministic and moderate: the whole suite must stay fast and never flaky.
FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CHROME = [
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
]
WORDS = [
    "diffusion",
    "model",
    "models",
    "learning",
    "image",
    "video",
    "language",
    "graph",
    "transformer",
    "latent",
    "distillation",
    "generation",
    "generative",
    "training",
    "data",
    "efficient",
    "robust",
    "neural",
    "networks",
    "attention",
    "pretrained",
    "scaling",
    "benchmark",
    "towards",
    "unified",
    "via",
    "with",
    "for",
    "of",
    "and",
    "in",
    "a",
    "the",
    "sampling",
    "guidance",
    "text-to-image",
    "zero-shot",
    "multi-modal",
    "self-supervised",
    "2024",
    "3D",
    "LLMs",
]

# Generators take a seeded Random: drawing every word through hypothesis is slow, and one
# drawn seed per example keeps the suite fast while staying deterministic and replayable.
seeds = st.integers(0, 2**32)


def _title(rng: random.Random) -> str:
    title = " ".join(rng.choices(WORDS, k=rng.randint(2, 14)))
    title = title[0].upper() + title[1:]
    if rng.random() < 0.5:
        head = rng.choice(["GraphGPT", "BOOT", "SiT", "DDAE++", "ProSpect"])
        title = f"{head}: {title}"
    return title


def _sentence(rng: random.Random) -> str:
    text = " ".join(rng.choices(WORDS, k=rng.randint(8, 20)))
    return text[0].upper() + text[1:] + "."


def _abstract(rng: random.Random) -> str:
    body = " ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))
    if rng.random() < 0.5:
        body += (
            " Code is available at https://github.com/example/"
            + rng.choice(["repo", "graph-gpt", "BECLR", "x_y"])
            + rng.choice([".", "", ")."])
        )
    return body


def _metadata(
    rng: random.Random,
) -> tuple[int | None, tuple[int | None, int, int] | None, int | None]:
    authors = rng.choice([None, rng.randint(1, 60)])
    if rng.random() < 0.3:
        return authors, None, None
    date = (rng.choice([None, rng.randint(2015, 2025)]), rng.randint(1, 12), rng.randint(1, 28))
    return authors, date, rng.choice([None, rng.randint(1, 999)])


abstracts = seeds.map(lambda seed: _abstract(random.Random(seed)))


@st.composite
def daily_pages(draw: st.DrawFn) -> tuple[str, list[dict]]:
    """A page as scraped: chrome, the page date, then title / abstract / metadata blocks."""
    rng = random.Random(draw(seeds))
    lines: list[str] = []
    chrome = rng.sample(CHROME, rng.randint(0, len(CHROME)))
    for item in chrome:
        lines += [item, ""]
    if chrome and rng.random() < 0.5:
        lines += [f"{rng.choice(MONTHS)} {rng.randint(1, 28)}", ""]
    papers: list[dict] = []
    seen: set[str] = set()
    for _ in range(rng.randint(1, 6)):
        title = _title(rng)
        if title.casefold() in seen:
            continue
        seen.add(title.casefold())
        abstract = _abstract(rng)
        authors, date, comments = _metadata(rng)
        paper = {
            "title": title,
            "abstract": abstract,
            "line": len(lines) + 1,
            "authors": authors,
            "date": date,
            "comments": comments,
        }
        lines += [title, "", abstract, ""]
        meta: list[str] = []
        if authors is not None:
            meta.append(f"  • {authors} authors")
        if date is not None:
            year, month, day = date
            text = f"{MONTHS[month - 1]} {day}"
            if year is not None:
                text += f", {year}"
            if comments is not None:
                text += f" {comments}"
            meta += ["·", text]
        if meta:
            lines += [*meta, ""]
        papers.append(paper)
    return "\n".join(lines), papers


@st.composite
def abstract_per_line_files(draw: st.DrawFn) -> tuple[str, list[tuple[int, str]]]:
    rng = random.Random(draw(seeds))
    lines: list[str] = []
    expected: list[tuple[int, str]] = []
    for _ in range(rng.randint(1, 8)):
        if lines and rng.random() < 0.3:
            lines.append(rng.choice(["", "   "]))
        abstract = _abstract(rng)
        lines.append(abstract)
        expected.append((len(lines), abstract))
    return "\n".join(lines) + rng.choice(["", "\n"]), expected


# --- never raise -------------------------------------------------------------------------------


def _check_parse_result(text: str) -> None:
    fmt, entries, problems = formats.parse(text, "x.txt")
    assert fmt is None or isinstance(fmt, Format)
    line_count = text.count("\n") + 1
    for entry in entries:
        assert entry.source.path == "x.txt"
        assert 1 <= entry.source.line <= line_count
        assert entry.title is None or entry.title.strip()
        assert len(entry.abstract) <= fields.MAX_FIELD_CHARS
    for problem in problems:
        assert problem.path == "x.txt"
        assert problem.line is None or 1 <= problem.line <= line_count
    if fmt is None:
        assert entries == [] and problems, "a file read as nothing must be reported"


@FAST
@given(st.text())
@example("")
@example("\n\n\n")
@example("new\n\nJun 8, 2023 1\n\n  • 5 authors\n·\n")
@example("Title\n\n  • 5 authors\n·\nSep 4 3\n")
@example("·\n•\n· \n")
@example("Feb 29\n\nFeb 29, 2023\n\nFeb 30 1\n")
def test_parse_never_raises_on_arbitrary_text(text: str) -> None:
    _check_parse_result(text)


PIECES = st.sampled_from(
    [
        *CHROME,
        "Jul 9",
        "Jun 8, 2023 1",
        "Sep 4 3",
        "Feb 29",
        "  • 5 authors",
        "• 1 author",
        "·",
        "•",
        "",
        "",
        "",
        "A Short Title",
        "e.g. this. That.",
        "x" * 400,
        "One sentence. Two sentence. Three sentence. Four.",
        "https://a.b/c).",
        "//x.y/z.",
        "\t",
        "  ",
        "\ufeff",
        "\ufffd",
        "\x00",
        "\u2028",
        "\x0c",
        "\x85",
    ]
)


@FAST
@given(st.lists(PIECES, max_size=40), st.sampled_from(["\n", "\n\n", "\r\n", " "]))
def test_parse_never_raises_on_page_like_text(pieces: list[str], sep: str) -> None:
    _check_parse_result(sep.join(pieces))


@FAST
@given(st.binary(max_size=2000))
@example(b"\xff\xfe")
@example(b"\xfe\xff\x00")
@example(b"\xef\xbb\xbf")
@example(b"\xef\xbb\xbf\xff\r\n\x80")
@example(b"\r\r\n\n\r")
def test_decode_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    text, problems = decode(data, "x")
    assert text is not None or problems
    for problem in problems:
        assert problem.path == "x"
    if text is not None:
        assert "\r" not in text
        _check_parse_result(text)


@FAST
@given(st.text().filter(lambda t: "\x00" not in t))
def test_decode_of_utf8_text_round_trips(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # lone surrogates are not UTF-8
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return
    decoded, problems = decode(data, "x")
    assert problems == []
    assert decoded == text.replace("\r\n", "\n").replace("\r", "\n")


@FAST
@given(st.text(max_size=300), st.sampled_from(["\n", "\r\n", "\r"]))
def test_decode_reports_bad_bytes_on_the_right_line(prefix: str, newline: str) -> None:
    lines = [line for line in prefix.splitlines() if "\x00" not in line][:5]
    good = [line.encode("utf-8", "ignore") for line in lines]
    data = newline.encode().join([*good, b"bad \xff byte", b"after"])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    text, problems = decode(data, "x")
    assert text is not None
    [problem] = problems
    # The line numbering the parser will use for the same text.
    assert problem.line == text.split("\n").index("bad \ufffd byte") + 1


# --- format recognition and round trip ----------------------------------------------------------


@FAST
@given(daily_pages())
def test_generated_daily_page_is_recognised_and_read_back(page: tuple[str, list[dict]]) -> None:
    text, papers = page
    assert detect_format(text) is Format.DAILY_PAPERS
    fmt, entries, problems = formats.parse(text, "x.txt")
    assert fmt is Format.DAILY_PAPERS
    assert problems == []
    assert [e.title for e in entries] == [p["title"] for p in papers]
    for entry, paper in zip(entries, papers, strict=True):
        assert entry.abstract == paper["abstract"]
        assert entry.source.line == paper["line"]
        assert entry.author_count == paper["authors"]
        if paper["date"] is None:
            assert entry.date is None and entry.comments is None
        else:
            year, month, day = paper["date"]
            assert entry.date is not None
            assert (entry.date.year, entry.date.month, entry.date.day) == (year, month, day)
            assert entry.comments == paper["comments"]
        assert entry.upvotes is None  # no format gives upvotes


@FAST
@given(daily_pages(), st.sampled_from(["\r\n", "\r"]))
def test_generated_daily_page_same_with_other_newlines(
    page: tuple[str, list[dict]], newline: str
) -> None:
    text, _ = page
    lf, _problems = decode(text.encode(), "x")
    other, _problems = decode(text.replace("\n", newline).encode(), "x")
    assert lf is not None and other is not None
    assert formats.parse(lf, "x.txt") == formats.parse(other, "x.txt")


@FAST
@given(abstract_per_line_files())
def test_generated_abstract_per_line_file_is_recognised(
    generated: tuple[str, list[tuple[int, str]]],
) -> None:
    text, expected = generated
    assert detect_format(text) is Format.ABSTRACT_PER_LINE
    fmt, entries, problems = formats.parse(text, "x.txt")
    assert fmt is Format.ABSTRACT_PER_LINE
    assert problems == []
    assert [(e.source.line, e.abstract) for e in entries] == expected
    assert all(e.title is None for e in entries)


@st.composite
def broken_abstract_files(draw: st.DrawFn) -> tuple[str, list[tuple[int, str]], int]:
    """A generated file with one abstract broken in two before a lower-case word mid-sentence.

    Both halves keep at least 16 words, so the file is still recognised by its long lines.
    """
    text, expected = draw(abstract_per_line_files())
    lines = text.split("\n")
    candidates = []
    for number, abstract in expected:
        words = abstract.split(" ")
        for cut in range(16, len(words) - 16):
            if words[cut][0].islower() and not words[cut - 1].endswith("."):
                candidates.append((number, cut))
    assume(candidates)
    number, cut = draw(st.sampled_from(candidates))
    words = lines[number - 1].split(" ")
    lines[number - 1 : number] = [" ".join(words[:cut]), " ".join(words[cut:])]
    shifted = [(line + (line > number), abstract) for line, abstract in expected]
    return "\n".join(lines), shifted, number + 1


@FAST
@given(broken_abstract_files())
def test_an_abstract_broken_over_two_lines_is_read_back_whole(
    generated: tuple[str, list[tuple[int, str]], int],
) -> None:
    text, expected, continuation = generated
    fmt, entries, problems = formats.parse(text, "x.txt")
    assert fmt is Format.ABSTRACT_PER_LINE
    assert [(e.source.line, e.abstract) for e in entries] == expected
    [problem] = problems
    assert problem.line == continuation and "joined" in problem.message


# --- derived titles -----------------------------------------------------------------------------


def _check_derived_title(abstract: str) -> None:
    title = derive_title(abstract)
    assert title, "derived titles are never empty"
    assert len(title) <= fields.DERIVED_TITLE_MAX
    stem = title[:-1] if title.endswith("…") else title
    assert collapse_whitespace(abstract).startswith(stem), (title, abstract[:100])


@FAST
@given(st.text(min_size=1).filter(lambda t: t.strip()))
@example("a" * 200)
@example("Knowledge plays a critical role in artificial intelligence. Recently, much more.")
@example("e.g. this is not the end. But this is.")
@example("word " * 40)
def test_derived_title_is_short_nonempty_prefix(abstract: str) -> None:
    _check_derived_title(abstract)


@FAST
@given(abstracts)
def test_derived_title_of_realistic_abstracts(abstract: str) -> None:
    _check_derived_title(abstract)
    title = derive_title(abstract)
    first_sentence = abstract.split(". ")[0]
    assert first_sentence.startswith(title.rstrip("…").rstrip("."))


def test_derived_title_when_abstract_starts_with_a_full_stop() -> None:
    # Scraped abstracts can start with stray punctuation; the title must still come from it.
    _check_derived_title(". The rest of the abstract is here and says what the paper does.")


# --- links --------------------------------------------------------------------------------------

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_PATH_CHARS = _ALNUM + "ABCDEFGHIJKLMNOPQRSTUVWXYZ_~%-"


def _url_body(seed: int) -> str:
    """host and path of a URL, e.g. `github.com/alibaba/graph-gpt`."""
    rng = random.Random(seed)
    labels = ["".join(rng.choices(_ALNUM, k=rng.randint(1, 10))) for _ in range(rng.randint(1, 2))]
    host = ".".join(
        [*labels, "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 5)))]
    )
    path = "".join(
        "/" + "".join(rng.choices(_PATH_CHARS, k=rng.randint(1, 12)))
        for _ in range(rng.randint(0, 4))
    )
    if rng.random() < 0.2:
        path += "/"
    if rng.random() < 0.2:
        path += "/(" + "".join(rng.choices(_ALNUM, k=3)) + ")"
    return host + path


_trailing = st.sampled_from(["", ".", ",", ";", ":", "!", "?", ").", ")", "),", "'.", '".'])


@FAST
@given(seeds.map(_url_body), _trailing, st.sampled_from(["https://", "http://", "//"]))
@example("github.com/alibaba/graph-gpt", ")", "https://")
@example("github.com/stypoumic/BECLR", ").", "https://")
@example("github.com/KaiyangZhou/CoOp", ".", "//")
@example("en.wikipedia.org/wiki/Diffusion_(physics)", ".", "https://")
def test_link_round_trip(body: str, trailing: str, scheme: str) -> None:
    url = f"{scheme}{body}"
    opener = "(" if ")" in trailing else ""
    quote = trailing[0] if trailing and trailing[0] in "'\"" else ""
    text = f"Code is available at {quote}{opener}{url}{trailing} and more."
    expected = url if scheme != "//" else "https:" + url
    assert extract_links(text) == (expected,)


def _unbalanced_close(link: str) -> bool:
    return any(
        link.endswith(close) and link.count(close) > link.count(open_)
        for close, open_ in ((")", "("), ("]", "["), ("}", "{"))
    )


@FAST
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "https://",
                    "http://",
                    "//",
                    "www.",
                    " ",
                    ".",
                    ",",
                    ")",
                    "(",
                    "]",
                    "a.b",
                    "github.com/x",
                    "/",
                    "…",
                    "'",
                    '"',
                    ">",
                    "\n",
                    "e.g.",
                ]
            ),
            st.text(max_size=5),
        ),
        max_size=30,
    )
)
@example(["(see ", "https://", "a.b/c", ")", ".", ")"])
@example(["https://", "a.b/(x))", ")", ","])
def test_extract_links_never_ends_with_punctuation(parts: list[str]) -> None:
    links = extract_links("".join(parts))
    assert len(set(links)) == len(links)
    for link in links:
        assert not link.endswith((".", ",")), link
        assert not _unbalanced_close(link), link
        assert link.lower().startswith(("https://", "http://")), link
        assert not re.search(r"\s", link), link
