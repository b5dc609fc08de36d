"""Roster start and end dates under headers placed by their words, and date
columns that cannot be placed."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cpsu.ingest.issues import Severity
from cpsu.ingest.roster import read_roster
from cpsu.ingest.table import Table
from cpsu.ingest.vocabulary import roster_date_field
from cpsu.scenario import HeadcountRow

Q4 = pd.Period("2026Q4", freq="Q")

# Five people; on 2026-12-31 two employees (1 and 5) and one contractor (3)
# are on the books: 2 and 4 have left.
PEOPLE = [
    [1, "Employee", date(2020, 1, 1), None],
    [2, "Employee", date(2021, 1, 1), date(2026, 3, 31)],
    [3, "Contractor", date(2026, 10, 1), None],
    [4, "Employee", date(2019, 1, 1), date(2025, 6, 30)],
    [5, "Employee", date(2026, 11, 2), None],
]


def roster(header: list[str], people: list[list[object]]) -> Table:
    rows = [header, *people]
    return Table("Roster", tuple((n + 1, tuple(cells)) for n, cells in enumerate(rows)))


def messages(issues, severity):
    return [issue.message for issue in issues if issue.severity is severity]


@pytest.mark.parametrize(
    "end",
    [
        "Term Eff Date",
        "Last Date of Employment",
        "Employment End",
        "End Dt",
        "Seperation date",
        "Separation Dt",
        "Terminated",
        "Inactive date",
        "Off-boarding date",
        "Deactivation date",
        "Expected end date",
        "Left on",
    ],
)
def test_an_end_date_header_is_read_by_its_words(end):
    header = ["Employee ID", "Worker type", "Start date", end]
    headcount, issues = read_roster(roster(header, PEOPLE), Q4, 1)

    assert messages(issues, Severity.ERROR) == []
    # 1 and 5 employed, 3 contracted; 2 and 4 have left.
    assert headcount.rows == (HeadcountRow("2026-Q4", 2, 1),)
    assert not [m for m in messages(issues, Severity.WARNING) if "not read" in m]


@pytest.mark.parametrize(
    "start",
    [
        "Latest hire date",
        "Most recent hire date",
        "Seniority date",
        "Service date",
        "DOJ",
        "Start Dt",
        "Commencement date",
        "Date started",
        "Employment start",
    ],
)
def test_a_start_date_header_is_read_by_its_words(start):
    header = ["Employee ID", "Worker type", start, "End date"]
    headcount, issues = read_roster(roster(header, PEOPLE), Q4, 1)

    assert messages(issues, Severity.ERROR) == []
    assert headcount.rows == (HeadcountRow("2026-Q4", 2, 1),)


@pytest.mark.parametrize(
    "other",
    [
        "Date of birth",
        "DOB",
        "Review date",
        "Last review date",
        "Last login",
        "Last login date",
        "Leave start date",
        "Leave end date",
        "Probation end date",
        "Exit interview date",
        "Last name",
        "Effective date",
    ],
)
def test_other_dates_are_not_taken_for_a_start_or_an_end(other):
    assert roster_date_field(other) is None


def test_a_date_column_named_for_leaving_but_not_placed_is_an_error():
    # 'Term' alone may be a contract's length; with dates under it, it may
    # be the day people left, so the count is not given.
    header = ["Employee ID", "Worker type", "Start date", "Term"]
    headcount, issues = read_roster(roster(header, PEOPLE), Q4, 1)

    assert headcount is None
    assert messages(issues, Severity.ERROR) == [
        "Term (D) holds dates and its name speaks of people leaving, but it was "
        "not read as the day they left, so the people who have left could not be "
        "told apart. If it is the day people left (or will leave), rename it End "
        "date; if it is another date, give it a name without the word of leaving, "
        "or remove the column."
    ]


def test_an_unrelated_date_column_is_still_only_a_warning():
    header = ["Employee ID", "Worker type", "Start date", "End date", "Review date"]
    people = [[*person, date(2026, 5, 1)] for person in PEOPLE]
    headcount, issues = read_roster(roster(header, people), Q4, 1)

    assert headcount.rows == (HeadcountRow("2026-Q4", 2, 1),)
    assert messages(issues, Severity.ERROR) == []
    assert any(
        m.startswith("Review date (E) holds dates but was not read")
        for m in messages(issues, Severity.WARNING)
    )


def test_a_yes_no_column_under_an_end_word_is_not_read_as_dates():
    header = ["Employee ID", "Worker type", "Start date", "Terminated"]
    people = [[*person[:3], "Yes" if person[3] else "No"] for person in PEOPLE]
    headcount, issues = read_roster(roster(header, people), Q4, 1)

    # Not read as dates (no date errors); as before, the status warning.
    assert headcount is not None
    assert messages(issues, Severity.ERROR) == []
    assert messages(issues, Severity.WARNING) == [
        "Terminated (D) holds only values a status column holds (such as Y/N or "
        "Active/Inactive) but was not read as one, so everyone in the roster "
        "counts as still here. If it says who has left, name the column Status."
    ]


def test_a_termination_before_the_rehire_closes_the_earlier_employment():
    header = [
        "Employee ID",
        "Worker type",
        "Original hire date",
        "Termination date",
        "Rehire date",
    ]
    people = [
        [1, "Employee", date(2015, 1, 1), date(2020, 6, 30), date(2026, 11, 1)],
        [2, "Employee", date(2015, 1, 1), date(2026, 3, 31), None],
        [3, "Employee", date(2015, 1, 1), None, None],
        [4, "Employee", date(2018, 1, 1), date(2027, 3, 31), date(2022, 1, 1)],
    ]
    headcount, issues = read_roster(roster(header, people), Q4, 1)

    # 1 (rehired 2026-11-01), 3 and 4 (leaving 2027-03-31) are employed.
    assert headcount.rows == (HeadcountRow("2026-Q4", 3, 0),)
    assert messages(issues, Severity.ERROR) == []
    assert (
        "Termination date (D) is before Rehire date (E) in row 2, so it was read "
        "as the end of the earlier employment: that person is counted as on the "
        "books again since the rehire date. If the person has left since, write "
        "the later end date."
    ) in messages(issues, Severity.WARNING)


def test_a_termination_before_the_original_hire_is_still_refused():
    header = ["Employee ID", "Worker type", "Start date", "End date", "Rehire date"]
    people = [[1, "Employee", date(2015, 1, 1), date(2014, 6, 30), date(2026, 11, 1)]]
    headcount, issues = read_roster(roster(header, people), Q4, 1)

    assert headcount is None
    assert any("before the start date" in m for m in messages(issues, Severity.ERROR))
