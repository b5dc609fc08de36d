"""What the user says about a file when the file cannot say it itself.

Some things a file leaves open. A file whose text dates all have both
numbers at most 12 (03/04/2026) never shows whether it writes the day or
the month first; a list of items and amounts headed "Cost" never says
whether the amounts are a month's, a quarter's or a year's. The readers
refuse such a file, each error marked with the choice that would settle it
(`Issue.choice`), and the user answers once for the whole file: the app
offers the choice beside the report, the command line takes `--dates` and
`--period` (and `--signs` for a GL export that writes its costs as
negative amounts). The answer travels as a `ReadChoices` to every reader, and the
same bytes read with the same choices always give the same result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cpsu.costs import Period
from cpsu.ingest.issues import Issue, Severity

DATES = "dates"  # the day-month order of text dates
PERIOD = "period"  # what a cost list's amounts cover
SIGNS = "signs"  # whether a GL export writes its costs as negative amounts


@dataclass(frozen=True)
class ReadChoices:
    """The user's answers for one file; None where the file is left to say."""

    day_first: bool | None = None  # text dates day first (31/01) or month first
    period: Period | None = None  # a cost list's amounts: a month, quarter or year
    costs_negative: bool | None = None  # a GL export writes costs below zero

    @property
    def any(self) -> bool:
        return (
            self.day_first is not None
            or self.period is not None
            or self.costs_negative is not None
        )


NO_CHOICES = ReadChoices()


def choices_asked(issues: Iterable[Issue]) -> frozenset[str]:
    """The choices that would settle every error of a read (DATES, PERIOD), or
    none when some error is of another kind, or there is no error at all."""
    found = [issue for issue in issues if issue.severity is Severity.ERROR]
    if not found or any(issue.choice is None for issue in found):
        return frozenset()
    return frozenset(issue.choice for issue in found if issue.choice is not None)
