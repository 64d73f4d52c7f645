"""Downloading papers into a corpus (`paperdeck fetch arxiv|hf`): the arXiv API and the Hugging
Face daily-papers API, with the standard library only.

Politeness and failure, as arXiv's API terms ask: one request at a time, `delay` seconds (3 by
default) between arXiv API calls, a timeout on every request, and a few retries with growing
waits on errors worth retrying (no connection, 429, 5xx). Without a network the fetch ends in
one `FetchError` sentence. A response is saved into the corpus only when a reader recognises
it, so an error page never becomes a corpus file; the saved files are reported like imports.
"""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from paperdeck.corpus.corpus import Corpus
from paperdeck.importing import ImportReport, add_files
from paperdeck.readers import detect
from paperdeck.readers import read as read_records

ARXIV_URL_ENV = "PAPERDECK_ARXIV_URL"
HF_URL_ENV = "PAPERDECK_HF_URL"
ARXIV_URL = "https://export.arxiv.org/api/query"
HF_URL = "https://huggingface.co/api/daily_papers"
ARXIV_DELAY = 3.0  # seconds between arXiv API calls (arXiv's API terms of use)
TIMEOUT = 30.0
RETRIES = 3
PAGE_SIZE = 100  # results per arXiv API call
USER_AGENT = "paperdeck (a terminal reader for research papers; python urllib)"


class FetchError(Exception):
    """A download that could not be done, said in one sentence (what, why, what to do)."""


Sleep = Callable[[float], None]


def _get(url: str, what: str, *, timeout: float, retries: int, wait: float, sleep: Sleep) -> bytes:
    """The body of `url`, retrying what may pass (no connection, 429, 5xx) with growing waits."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    reason = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(wait * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            reason = f"the server answered {error.code} {error.reason}"
            if error.code != 429 and error.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            inner = getattr(error, "reason", error)
            reason = f"cannot connect ({getattr(inner, 'strerror', None) or inner})"
        except (OSError, ValueError) as error:  # a malformed URL from the environment
            reason = f"cannot fetch ({error})"
            break
    host = urllib.parse.urlsplit(url).netloc or url
    raise FetchError(
        f"{what} failed: {host}: {reason}; check the network connection (or the URL in "
        f"${ARXIV_URL_ENV if 'arXiv' in what else HF_URL_ENV})"
    )


def _since_clause(since: date) -> str:
    return f"submittedDate:[{since:%Y%m%d}0000 TO 299912312359]"


def arxiv_urls(
    base: str, query: str | None, ids: tuple[str, ...], since: date | None, start: int, count: int
) -> str:
    """The API URL of one page of results (https://info.arxiv.org/help/api/user-manual.html)."""
    params: dict[str, str] = {"start": str(start), "max_results": str(count)}
    search = query or ""
    if since is not None:
        search = f"({search}) AND {_since_clause(since)}" if search else _since_clause(since)
    if search:
        params["search_query"] = search
        params["sortBy"] = "submittedDate"
        params["sortOrder"] = "descending"
    if ids:
        params["id_list"] = ",".join(ids)
    return f"{base}?{urllib.parse.urlencode(params)}"


_TOTAL = re.compile(rb"<opensearch:totalResults[^>]*>\s*(\d+)\s*<")
_ENTRY = re.compile(rb"<entry[\s>]")


def fetch_arxiv(
    root: Path,
    before: Corpus,
    *,
    query: str | None = None,
    ids: tuple[str, ...] = (),
    since: date | None = None,
    limit: int = PAGE_SIZE,
    delay: float = ARXIV_DELAY,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
    sleep: Sleep = time.sleep,
    page_size: int = PAGE_SIZE,
) -> tuple[list[ImportReport], Corpus]:
    """Save arXiv API results (a query, or IDs) as Atom files in the corpus and report them."""
    if not query and not ids:
        raise FetchError("give a search query or --id ARXIV_ID for arXiv")
    base = os.environ.get(ARXIV_URL_ENV) or ARXIV_URL
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    items: list[tuple[str, str, bytes]] = []
    start = 0
    while start < limit:
        if start:
            sleep(delay)  # one call every `delay` seconds, as the API terms ask
        count = min(page_size, limit - start)
        url = arxiv_urls(base, query, ids, since, start, count)
        body = _get(
            url, "arXiv API query", timeout=timeout, retries=retries, wait=delay, sleep=sleep
        )
        text = body.decode("utf-8", errors="replace")
        if detect(text, "arxiv.xml") != "arxiv-atom":
            raise FetchError(
                f"arXiv API query failed: the answer from {urllib.parse.urlsplit(url).netloc} "
                "is not an arXiv Atom feed; try again later"
            )
        result = read_records(text, "arxiv.xml")
        if not result.records:
            if result.warnings:  # arXiv answers a bad query with an "Error" entry
                raise FetchError(f"arXiv API query failed: {result.warnings[0].message}")
            break  # nothing (more) matches: nothing to save
        entries = len(_ENTRY.findall(body))
        name = f"arxiv-{stamp}.xml" if not start else f"arxiv-{stamp}-{start}.xml"
        items.append((url, name, body))
        total = _TOTAL.search(body)
        start += count
        if entries < count or (total is not None and start >= int(total.group(1))) or ids:
            break
    return add_files(root, before, items)


def fetch_hf(
    root: Path,
    before: Corpus,
    day: date | None = None,
    *,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
    wait: float = 1.0,
    sleep: Sleep = time.sleep,
) -> tuple[list[ImportReport], Corpus]:
    """Save one day's Hugging Face daily papers (today's without `day`) as a JSON file."""
    base = os.environ.get(HF_URL_ENV) or HF_URL
    url = f"{base}?date={day.isoformat()}" if day else base
    body = _get(
        url, "Hugging Face daily papers", timeout=timeout, retries=retries, wait=wait, sleep=sleep
    )
    if body.strip() == b"[]":  # a day without papers (a weekend, a future date)
        return add_files(root, before, [])
    if detect(body.decode("utf-8", errors="replace"), "daily.json") != "hf-daily-papers-json":
        raise FetchError(
            f"Hugging Face daily papers failed: the answer from {urllib.parse.urlsplit(url).netloc}"
            " is not a daily-papers list; try again later"
        )
    label = day.isoformat() if day else datetime.now(UTC).strftime("%Y-%m-%d")
    return add_files(root, before, [(url, f"hf-daily-{label}.json", body)])
