"""Problems found in an upload, kept as data until a page or the CLI shows them.

Every problem names where it is (sheet, row as the spreadsheet numbers it,
column by its header and letter) and says what to do. Errors stop a file from
being used; warnings are things the user should check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem in an upload: how bad, where, and what to do."""

    severity: Severity
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # The per-file choice that settles this error (see `choices.py`), if one does.
    choice: str | None = None

    @property
    def where(self) -> str:
        """Where the problem is, like 'Costs, row 7, column Amount (D)'."""
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts) or "file"

    def __str__(self) -> str:
        return f"{self.severity.value.capitalize()} in {self.where}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity.value,
            "where": self.where,
            "message": self.message,
        }


def errors(issues: Iterable[Issue]) -> list[Issue]:
    """The issues that stop a file from being used."""
    return [issue for issue in issues if issue.severity is Severity.ERROR]


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column counted from 0: 0 is A, 26 is AA."""
    letters = ""
    number = index + 1
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_label(header: str, index: int) -> str:
    """A column as a user finds it: its header and its letter, like 'Amount (D)'."""
    return f"{header} ({column_letter(index)})" if header else column_letter(index)


def error(
    message: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    *,
    choice: str | None = None,
) -> Issue:
    """An issue that stops the file from being used."""
    return Issue(Severity.ERROR, message, sheet, row, column, choice)


def warning(
    message: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> Issue:
    """An issue the user should check; the file can still be used."""
    return Issue(Severity.WARNING, message, sheet, row, column)
