"""Rosters: the Status column, end dates that say still here, and rehires."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cpsu.ingest.issues import Severity
from cpsu.ingest.roster import read_roster
from cpsu.ingest.roster_upload import read_roster_upload
from cpsu.ingest.table import Table
from cpsu.scenario import HeadcountRow
from tests.ingest_fixtures import csv_bytes

HEADER = ["ID", "Worker type", "Start date", "End date", "Status"]
Q4 = pd.Period("2026Q4", freq="Q")


def roster(people, header=HEADER) -> Table:
    rows = [header, *people]
    return Table("Roster", tuple((n + 1, tuple(cells)) for n, cells in enumerate(rows)))


def found(issues, severity):
    return [(i.row, i.column, i.message) for i in issues if i.severity is severity]


# --- Status ---------------------------------------------------------------------


def test_a_leaver_without_an_end_date_is_an_error_naming_the_row():
    people = [
        ["E1", "Employee", "2024-01-01", None, "Active"],
        ["E2", "Employee", "2024-01-01", None, "Terminated"],
        ["E3", "Employee", "2026-10-01", None, "Active"],
    ]
    headcount, issues = read_roster(roster(people), Q4, 1)
    assert headcount is None
    assert found(issues, Severity.ERROR) == [
        (
            3,
            "Status (E)",
            "Status (E) is Terminated but End date (D) is empty: the roster cannot "
            "say until when the person was on the books. Write the last day "
            "worked, or correct the status if the person is still here.",
        )
    ]


@pytest.mark.parametrize(
    "status", ["Terminated", "Inactive", "Leaver", "Left", "Resigned", "T", "I"]
)
def test_every_leaver_status_needs_an_end_date(status):
    people = [["E1", "Employee", "2024-01-01", None, status]]
    headcount, issues = read_roster(roster(people), Q4, 1)
    assert headcount is None
    assert "but End date (D) is empty" in found(issues, Severity.ERROR)[0][2]


def test_a_leaver_with_an_end_date_is_counted_until_it():
    people = [
        ["E1", "Employee", "2024-01-01", None, "Active"],
        ["E2", "Employee", "2024-01-01", "2026-11-30", "Terminated"],  # gone by Q4 end
        ["E3", "Employee", "2024-01-01", "2026-12-31", "Leaver"],  # here on the day
        ["C1", "Contractor", "2026-10-01", None, "On leave"],
    ]
    headcount, issues = read_roster(roster(people), Q4, 1)
    # on 2026-12-31: E1, E3 employees; C1 on leave still counted
    assert headcount.rows == (HeadcountRow("2026-Q4", 2, 1),)
    (leave,) = [m for _, _, m in found(issues, Severity.WARNING) if "on leave" in m]
    assert leave.startswith("Status (E) says on leave in row 5; the person was counted")


@pytest.mark.parametrize("status", ["Suspended?", "Pending review", "42"])
def test_a_status_this_reader_does_not_know_is_an_error(status):
    people = [["E1", "Employee", "2024-01-01", None, status]]
    headcount, issues = read_roster(roster(people), Q4, 1)
    assert headcount is None
    ((row, column, message),) = found(issues, Severity.ERROR)
    assert (row, column) == (2, "Status (E)")
    assert "which is not a status this reader knows" in message


def test_an_empty_status_is_counted_by_the_dates_and_said():
    people = [
        ["E1", "Employee", "2024-01-01", None, None],
        ["E2", "Employee", "2024-01-01", None, "Active"],
        ["E3", "Employee", "2024-01-01", None, ""],
    ]
    headcount, issues = read_roster(roster(people), Q4, 1)
    assert headcount.rows == (HeadcountRow("2026-Q4", 3, 0),)
    assert any(
        m.startswith("Status (E) is empty in rows 2 and 4")
        for _, _, m in found(issues, Severity.WARNING)
    )


def test_a_status_column_under_another_header_is_read():
    header = ["Employee ID", "Worker type", "Start date", "End date", "Employee status"]
    people = [["E1", "Employee", "2024-01-01", None, "Inactive"]]
    headcount, issues = read_roster(roster(people, header), Q4, 1)
    assert headcount is None
    assert found(issues, Severity.ERROR)[0][1] == "Employee status (E)"


# --- end dates that say still here ------------------------------------------------


@pytest.mark.parametrize("still", ["-", "Present", "N/A", "Current", "ongoing"])
def test_an_end_date_that_says_still_here_counts_the_person(still):
    people = [
        ["E1", "Employee", "2024-01-01", still],
        ["E2", "Employee", "2024-01-01", "2026-06-30"],  # left before Q4
    ]
    headcount, issues = read_roster(roster(people, HEADER[:4]), Q4, 1)
    assert headcount.rows == (HeadcountRow("2026-Q4", 1, 0),)
    assert any(
        "says the person is still here" in m and "row 2" in m
        for _, _, m in found(issues, Severity.WARNING)
    )


def test_the_text_9999_12_31_is_read_like_the_date_cell():
    as_text = [["E1", "Employee", "2024-01-01", "9999-12-31"]]
    as_cell = [["E1", "Employee", "2024-01-01", date(9999, 12, 31)]]
    text_count, text_issues = read_roster(roster(as_text, HEADER[:4]), Q4, 1)
    cell_count, _ = read_roster(roster(as_cell, HEADER[:4]), Q4, 1)
    assert text_count == cell_count
    assert text_count.rows == (HeadcountRow("2026-Q4", 1, 0),)
    assert not found(text_issues, Severity.ERROR)


# --- rehires ------------------------------------------------------------------------


def test_a_rehire_is_counted_once_on_each_day_employed():
    data = csv_bytes(
        [
            ["Employee ID", "Worker type", "Start date", "End date"],
            ["E1", "Employee", "2020-01-01", "2022-06-30"],
            ["E1", "Employee", "2025-03-01", ""],
            ["E2", "Employee", "2026-10-01", ""],
        ]
    )
    upload = read_roster_upload(data, "roster.csv", Q4)
    assert not upload.has_errors
    assert upload.people == 2  # E1 twice is one person
    assert upload.headcount.rows[0] == HeadcountRow("2026-Q4", 2, 0)
    assert any(
        "E1 is on rows 2 and 3, for periods that do not overlap" in i.message
        for i in upload.issues
    )


def test_periods_of_one_id_that_overlap_are_an_error_naming_both_rows():
    people = [
        ["E1", "Employee", "2020-01-01", "2025-06-30"],
        ["E1", "Contractor", "2025-03-01", None],
    ]
    headcount, issues = read_roster(roster(people, HEADER[:4]), Q4, 1)
    assert headcount is None
    ((row, column, message),) = found(issues, Severity.ERROR)
    assert (row, column) == (3, "ID (A)")
    assert message.startswith(
        "ID (A) is E1, which is also the ID in row 2 (from 2020-01-01, to "
        "2025-06-30); this row starts on 2025-03-01"
    )


# --- a status column found by its cells, whatever its header ---------------------


@pytest.mark.parametrize(
    ("heading", "here", "gone"),
    [
        ("Emp status", "Active", "Terminated"),
        ("State", "Active", "Leaver"),
        ("Employment status", "Active", "Inactive"),
        ("Active?", "Y", "N"),
        ("Currently employed", "Yes", "No"),
    ],
)
def test_a_status_column_is_found_by_its_cells(heading, here, gone):
    rows = [
        ["ID", "Worker type", "Start date", "End date", heading],
        ["E1", "Employee", "2024-01-01", "", here],
        ["E2", "Employee", "2024-01-01", "", gone],
        ["E3", "Employee", "2024-01-01", "", here],
    ]
    upload = read_roster_upload(csv_bytes(rows), "roster.csv", Q4)
    # E2 has left but has no end date: an error, not three people counted.
    assert upload.headcount is None and upload.people == 0
    assert [i.message for i in upload.issues if i.severity is Severity.ERROR] == [
        f"{heading} (E) is {gone} but End date (D) is empty: the roster cannot say "
        "until when the person was on the books. Write the last day worked, or "
        "correct the status if the person is still here."
    ]
    # With E2's end date, the two still here are counted: 2 people.
    rows[2][3] = "2025-06-30"
    upload = read_roster_upload(csv_bytes(rows), "roster.csv", Q4)
    assert upload.headcount is not None and upload.people == 3
    assert upload.headcount.rows[0] == HeadcountRow("2026-Q4", 2, 0)  # E1, E3


def test_a_yes_no_column_about_something_else_is_not_a_status():
    rows = [
        ["ID", "Worker type", "Start date", "End date", "Manager?"],
        ["E1", "Employee", "2024-01-01", "", "Y"],
        ["E2", "Employee", "2024-01-01", "", "N"],
    ]
    upload = read_roster_upload(csv_bytes(rows), "roster.csv", Q4)
    assert upload.headcount is not None and upload.people == 2  # E1 and E2
    # ...but it is not passed over in silence.
    assert [i.message for i in upload.issues if i.severity is Severity.WARNING] == [
        "Manager? (E) holds only values a status column holds (such as Y/N or "
        "Active/Inactive) but was not read as one, so everyone in the roster counts "
        "as still here. If it says who has left, name the column Status."
    ]
