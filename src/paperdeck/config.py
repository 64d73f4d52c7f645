"""User preferences (the theme, for now) in a TOML file in the user config folder."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import tomli_w

from paperdeck.atomic import atomic_write_text

CONFIG_DIR_ENV = "PAPERDECK_CONFIG_DIR"


def config_path() -> Path:
    folder = os.environ.get(CONFIG_DIR_ENV) or platformdirs.user_config_dir("paperdeck")
    return Path(folder) / "config.toml"


@dataclass
class Config:
    theme: str = "textual-dark"
    path: Path | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Config:
        """A missing or unreadable config gives the defaults; it is preferences, not user data."""
        path = path or config_path()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        theme = data.get("theme")
        return cls(theme=theme if isinstance(theme, str) else cls.theme, path=path)

    def save(self) -> None:
        path = self.path or config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, tomli_w.dumps({"theme": self.theme}))
