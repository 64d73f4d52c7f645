"""Problems found in the user's files: always reported with the file, the line and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A warning about one place in one file. Nothing paperdeck skips goes unreported."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    @property
    def location(self) -> str:
        """One line even for a file name with a newline in it (shown as ␤; JSON keeps it)."""
        path = self.path.replace("\n", "\u2424")
        return f"{path}:{self.line}" if self.line is not None else path

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "message": self.message, "hint": self.hint}
