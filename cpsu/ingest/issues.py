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
