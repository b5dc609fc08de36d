"""Quarters that do not follow each other, on the Headcount sheet and in
actuals: each break named with its row, in the words of its table."""

from __future__ import annotations

from cpsu.ingest.actuals_sheet import ACTUALS_WORDS
from cpsu.ingest.headcount_sheet import read_headcount, sequence_problem
from cpsu.ingest.table import Table
from cpsu.scenario import parse_quarter

Q = parse_quarter


def test_each_break_by_hand() -> None:
    after = (Q("2026-Q2"), 3)
    assert sequence_problem(after, Q("2026-Q3")) is None
    assert sequence_problem(None, Q("2026-Q3")) is None
    assert sequence_problem(after, Q("2026-Q2")) == (
        "2026-Q2 is also in row 3; each quarter appears once. Delete one of the "
        "two rows."
    )
    assert sequence_problem(after, Q("2026-Q1")) == (
        "2026-Q1 comes after 2026-Q2 (row 3); list the quarters in order, the "
        "baseline first."
    )
    assert sequence_problem(after, Q("2027-Q1")) == (
        "2027-Q1 follows 2026-Q2 (row 3), leaving out 2026-Q3 to 2026-Q4; plan rows "
        "go one quarter at a time without gaps. Add the missing quarters."
    )
    assert sequence_problem(after, Q("2026-Q4"), ACTUALS_WORDS) == (
        "2026-Q4 follows 2026-Q2 (row 3), leaving out 2026-Q3. A streak counts "
        "quarters in a row, so add the missing quarters."
    )


def test_the_headcount_sheet_names_the_row() -> None:
    table = Table(
        "Headcount",
        (
            (1, ("Quarter", "Employees", "Contingent")),
            (2, ("2026-Q4", 100, 10)),
            (3, ("2027-Q2", 110, 10)),
        ),
    )
    headcount, issues = read_headcount(table)
    assert headcount is None
    (issue,) = issues
    assert (issue.sheet, issue.row) == ("Headcount", 3)
    assert "leaving out 2027-Q1;" in issue.message


def test_a_fiscal_quarter_on_the_headcount_sheet_is_refused_saying_why() -> None:
    table = Table(
        "Headcount",
        (
            (1, ("Quarter", "Employees", "Contingent")),
            (2, ("FY27 Q2", 100, 10)),
        ),
    )
    headcount, issues = read_headcount(table)
    assert headcount is None
    (issue,) = [issue for issue in issues if issue.row == 2]
    assert issue.column.startswith("Quarter")
    assert "'FY27 Q2', a fiscal quarter" in issue.message
    assert "Write the calendar quarter instead, like 2026-Q4" in issue.message
