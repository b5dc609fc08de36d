"""Roster columns under the many names HR systems give them: end dates that
say who has left, start dates, a rehire date, and date columns not read."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cpsu.ingest.issues import Severity
from cpsu.ingest.roster_upload import read_roster_upload
from tests.ingest_fixtures import xlsx_bytes

BASELINE = pd.Period("2026Q4", freq="Q")

# On 2026-12-31: 1 and 5 employed, 3 contracting; 2 and 4 have left.
PEOPLE = [
    [1, "Employee", date(2020, 1, 1), None],
    [2, "Employee", date(2021, 1, 1), date(2026, 3, 31)],
    [3, "Contractor", date(2026, 10, 1), None],
    [4, "Employee", date(2019, 1, 1), date(2025, 6, 30)],
    [5, "Employee", date(2026, 11, 2), None],
]


def roster(header: list[str], people=PEOPLE) -> bytes:
    return xlsx_bytes({"Roster": [header, *people]})


def warnings(upload) -> list[str]:
    return [i.message for i in upload.issues if i.severity is Severity.WARNING]


@pytest.mark.parametrize(
    "end",
    [
        "Last day worked",
        "Date left",
        "Separation date",
        "Contract end",
        "Contract end date",
        "End of employment",
        "Actual end date",
        "Terminated on",
        "Effective end date",
        "Last working day",
        "Departure date",
        "Assignment end date",
        "Resignation date",
        "Exit date",
    ],
)
def test_leavers_are_not_counted_whatever_the_end_date_is_called(end):
    upload = read_roster_upload(
        roster(["Employee ID", "Worker type", "Start date", end]), "hr.xlsx", BASELINE
    )

    assert not upload.has_errors
    (row,) = upload.headcount.rows
    # 1 and 5 employed, 3 contracting: 2 + 1 = 3 supported users
    assert (row.quarter, row.employees, row.contingent) == ("2026-Q4", 2, 1)
    assert not any("was not read" in message for message in warnings(upload))


@pytest.mark.parametrize(
    "start", ["Date of joining", "Hire date", "Original hire date", "Date of hire"]
)
def test_start_dates_under_other_names_are_read(start):
    upload = read_roster_upload(
        roster(["Employee ID", "Worker type", start, "Exit date"]), "hr.xlsx", BASELINE
    )

    (row,) = upload.headcount.rows
    assert (row.employees, row.contingent) == (2, 1)


def test_a_rehired_person_is_counted_from_the_rehire_date():
    header = [
        "Employee ID",
        "Worker type",
        "Original hire date",
        "Rehire date",
        "Termination date",
    ]
    people = [
        [1, "Employee", date(2015, 1, 1), date(2026, 11, 1), None],
        [2, "Employee", date(2015, 1, 1), None, None],
        [3, "Employee", date(2016, 1, 1), date(2026, 2, 1), date(2026, 6, 30)],
    ]
    upload = read_roster_upload(roster(header, people), "hr.xlsx", None)

    assert not upload.has_errors
    # baseline: the quarter of the latest start, the rehire on 2026-11-01
    # 2026-12-31: 1 (rehired) and 2 employed; 3 left again on 2026-06-30
    (row,) = upload.headcount.rows
    assert (row.quarter, row.employees, row.contingent) == ("2026-Q4", 2, 0)
    assert warnings(upload)[0] == (
        "Rehire date (D) is filled in rows 2 and 4, so those people are counted "
        "from the rehire date, not from Original hire date (C): a rehire starts "
        "the employment the end date closes, and the roster does not say when the "
        "earlier one ended, so quarters before the rehire do not count them. If "
        "they were on the books throughout, clear the rehire date."
    )


def test_a_rehire_before_the_hire_date_is_an_error():
    header = ["Employee ID", "Worker type", "Hire date", "Rehire date"]
    people = [[1, "Employee", date(2020, 1, 1), date(2019, 1, 1)]]
    upload = read_roster_upload(roster(header, people), "hr.xlsx", BASELINE)

    assert upload.headcount is None
    [problem] = [i for i in upload.issues if i.severity is Severity.ERROR]
    assert (problem.row, problem.column) == (2, "Rehire date (D)")
    assert "before Hire date (C) 2020-01-01" in problem.message


@pytest.mark.parametrize("other", ["Probation end", "Notice given", "Visa expiry"])
def test_a_date_column_not_read_is_named(other):
    people = [[*person, date(2026, 12, 1)] for person in PEOPLE]
    header = ["Employee ID", "Worker type", "Start date", "End date", other]
    upload = read_roster_upload(roster(header, people), "hr.xlsx", BASELINE)

    (row,) = upload.headcount.rows
    assert (row.employees, row.contingent) == (2, 1)
    assert (
        f"{other} (E) holds dates but was not read: people are counted by Start "
        "date (C) and End date (D) only. If it is the day people left, rename it "
        "End date; if the day they started, Start date."
    ) in warnings(upload)


def test_a_column_named_a_date_is_named_even_when_empty():
    header = ["Employee ID", "Worker type", "Start date", "Last promotion date"]
    upload = read_roster_upload(
        roster(header, [person[:3] for person in PEOPLE]), "hr.xlsx", BASELINE
    )

    assert any(
        m.startswith("Last promotion date (D) is named as a date but was not read")
        for m in warnings(upload)
    )


def test_columns_without_dates_are_not_named():
    people = [[*person, "Sales"] for person in PEOPLE]
    header = ["Employee ID", "Worker type", "Start date", "End date", "Department"]
    upload = read_roster_upload(roster(header, people), "hr.xlsx", BASELINE)

    assert not any("holds dates" in message for message in warnings(upload))
