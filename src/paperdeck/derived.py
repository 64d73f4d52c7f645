"""Where derived data (the search index, the corpus cache) lives: never the user's own files.

First choice `<corpus>/.paperdeck/<name>`; when the corpus folder is not writable,
`<user cache dir>/paperdeck/<hash of the corpus path>/<name>` (`$PAPERDECK_CACHE_DIR` replaces the
user cache dir). Everything there can be deleted at any time and is rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import platformdirs

CACHE_ENV = "PAPERDECK_CACHE_DIR"
DERIVED_DIR = ".paperdeck"


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("paperdeck"))


def derived_locations(corpus_root: Path, name: str) -> list[Path]:
    """Candidate folders for one kind of derived data, in order of preference."""
    absolute = Path(os.path.abspath(corpus_root))
    short = hashlib.sha1(str(absolute).encode("utf-8")).hexdigest()[:12]
    return [absolute / DERIVED_DIR / name, cache_root() / short / name]


def writable(location: Path, messages: list[str] | None = None) -> bool:
    """Create the folder and prove we can write beside it."""
    try:
        location.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=location.parent, prefix=".probe-"):
            pass
        return True
    except OSError as error:
        if messages is not None:
            reason = error.strerror or str(error)
            messages.append(f"cannot keep the search index in {location.parent} ({reason})")
        return False
