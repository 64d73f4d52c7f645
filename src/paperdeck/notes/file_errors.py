"""What can be wrong with a notes file: one paperdeck cannot read safely (with the line and what
to do), or a state a notes file cannot store. `paperdeck.notes.toml_format` raises them."""

from __future__ import annotations

DEFAULT_HINT = (
    "fix the file by hand (or restore it from git); paperdeck will not change it until then"
)


class NotesFileError(ValueError):
    """A notes file paperdeck cannot read safely; `line`/`column` are 1-based or None."""

    def __init__(
        self,
        path: str,
        line: int | None,
        column: int | None,
        message: str,
        hint: str = DEFAULT_HINT,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint

    @property
    def location(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class NotesEncodeError(ValueError):
    """The state holds something a notes file cannot store (e.g. a lone surrogate)."""
