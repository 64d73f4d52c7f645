"""The per-corpus folder in the user state folder (`paperdeck.notes.drafts.state_dir`, where
drafts live too) and small JSON files in it: written atomically, read back never raising (a
damaged or foreign file is reported and then treated as missing)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from paperdeck.atomic import atomic_write_text
from paperdeck.notes.drafts import state_dir


def corpus_state_folder(corpus_root: Path, kind: str, folder: Path | None = None) -> Path:
    """`<state dir>/<kind>/<corpus name>-<hash of its path>`: one folder per corpus, as drafts."""
    root = Path(corpus_root).expanduser().resolve()
    key = hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9_-]", "_", root.name)[:40] or "corpus"
    return (folder or state_dir()) / kind / f"{name}-{key}"


class StateDamaged(Exception):
    """A state file exists but is not one this version wrote (the message says which, why)."""


def read_json(path: Path, version: int) -> dict[str, Any] | None:
    """The file's data (a JSON object of `version`), None when there is no file; raises
    StateDamaged (saying which file and why) when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise StateDamaged(f"{path} cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise StateDamaged(f"{path} is not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("version") != version:
        raise StateDamaged(f"{path} is not a version {version} paperdeck file")
    return data


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically (a crash leaves the old file or the new one, never half of one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
