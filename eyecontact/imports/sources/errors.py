"""The one error the export parsers raise.

Every problem with an uploaded file, whatever its format, surfaces as :class:`ImportFileError`
naming the file, the line (when one can be pointed at) and what was expected, so that the
person importing can open the file and see what went wrong.
"""

from __future__ import annotations

__all__ = ["ImportFileError"]


class ImportFileError(ValueError):
    """An export file that cannot be read as what it claims to be."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}, line {self.line}: {self.message}"

    def __reduce__(self) -> tuple[type[ImportFileError], tuple[str, int | None, str]]:
        return (type(self), (self.file, self.line, self.message))
