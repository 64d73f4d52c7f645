"""Where derived data (the search index, the corpus cache) lives, never the user's own files, and
which version of paperdeck's code made it.

First choice `<corpus>/.paperdeck/<name>`; when the corpus folder is not writable,
`<user cache dir>/paperdeck/<hash of the corpus path>/<name>` (`$PAPERDECK_CACHE_DIR` replaces the
user cache dir). Everything there can be deleted at any time and is rebuilt.

A cache is only valid for the code that made it: `source_version` hashes the source of the modules
that compute it and of every paperdeck module they import, found by reading their imports, so
splitting a module or adding a parser changes the version without anyone keeping a list.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import platformdirs

CACHE_ENV = "PAPERDECK_CACHE_DIR"
DERIVED_DIR = ".paperdeck"
SOURCE_ROOT = Path(__file__).resolve().parent.parent  # the folder holding the paperdeck package
# `from a.b import c, d` (also parenthesised over several lines) and `import a.b`, at any indent.
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)|import[ \t]+([\w.]+))",
    re.MULTILINE,
)


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


def _module_file(name: str, source_root: Path) -> Path | None:
    base = source_root.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def source_files(roots: Iterable[str], source_root: Path = SOURCE_ROOT) -> dict[str, Path]:
    """The `roots` modules, every module of their package they import (directly or not), and the
    `__init__` of each package on the way, by module name. Read from the source, never imported."""
    roots = list(roots)
    package = {name.split(".")[0] for name in roots}
    found: dict[str, Path] = {}
    todo = roots
    while todo:
        name = todo.pop()
        path = None if name in found else _module_file(name, source_root)
        if path is None:
            continue  # not a module: a name imported from one
        found[name] = path
        parts = name.split(".")
        todo.extend(".".join(parts[:n]) for n in range(1, len(parts)))
        for match in _IMPORT.finditer(path.read_text("utf-8")):
            module = match.group(1) or match.group(3)
            if module.split(".")[0] not in package:
                continue
            todo.append(module)
            for item in (match.group(2) or "").strip("()").split(","):
                words = item.split()
                if words:
                    todo.append(f"{module}.{words[0]}")  # `from pkg import module`
    return found


def source_version(roots: Iterable[str], salt: str = "", source_root: Path = SOURCE_ROOT) -> str:
    """Changes whenever the source of `roots` or of anything of theirs they import changes."""
    digest = hashlib.sha1(salt.encode())
    for name, path in sorted(source_files(roots, source_root).items()):
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
