"""Rosters split over sheets with names and no IDs, effective dates beside a
Status or Action, and rosters the cost reader is handed by mistake."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cpsu.ingest import read_upload
from cpsu.ingest.roster_upload import read_roster_upload
from tests.ingest_fixtures import csv_bytes, errors_of, issue_at, xlsx_bytes

Q1, Q2 = pd.Period("2024Q1", freq="Q"), pd.Period("2024Q2", freq="Q")
HEADER = ["Name", "Worker type", "Start date"]


def counted(roster) -> tuple[int, int]:
    (row,) = roster.headcount.rows
    return row.employees, row.contingent


def test_a_name_on_two_sheets_for_overlapping_periods_is_warned():
    employees = [
        HEADER,
        ["Ana Ruiz", "Employee", date(2024, 1, 5)],
        ["Ben Li", "Employee", date(2024, 3, 1)],
    ]
    contractors = [
        HEADER,
        ["Ana Ruiz", "Contractor", date(2023, 6, 1)],
        ["Cy Oh", "Contractor", date(2024, 2, 1)],
    ]
    data = xlsx_bytes({"Employees": employees, "Contractors": contractors})
    roster = read_roster_upload(data, "roster.xlsx", Q1)
    assert not roster.has_errors
    # Both rows of Ana are counted, as two people may share a name: on
    # 2024-03-31 employees Ana and Ben, contractors Ana and Cy
    assert counted(roster) == (2, 2)
    found = issue_at(roster, "Contractors", 2, "Name (A)")
    assert found.message == (
        "1 name on sheet Employees is also on sheet Contractors, for periods that "
        "overlap: 'Ana Ruiz' (Employees row 2, from 2024-01-05, still here; "
        "Contractors row 2, from 2023-06-01, still here). Both rows were counted, "
        "so if it is the same person (a contractor taken on as an employee, say), "
        "headcount is one too many on each day both cover. The roster has no "
        "Employee ID to tell one person from two people of the same name: if they "
        "are the same, end the earlier row the day before the later starts; if "
        "they are different people, add an Employee ID column to both sheets."
    )


def test_a_name_on_two_sheets_one_after_the_other_is_not_warned():
    employees = [[*HEADER, "End date"], ["Ana Ruiz", "Employee", date(2024, 1, 5)]]
    contractors = [
        [*HEADER, "End date"],
        ["Ana Ruiz", "Contractor", date(2023, 6, 1), date(2024, 1, 4)],
    ]
    data = xlsx_bytes({"Employees": employees, "Contractors": contractors})
    roster = read_roster_upload(data, "roster.xlsx", Q1)
    # Ana contracted to 2024-01-04 and is an employee since the 5th: one person
    # on 2024-03-31, an employee
    assert counted(roster) == (1, 0)
    assert not any("also on sheet" in issue.message for issue in roster.issues)


# Effective dates: the day a Status or Action took effect.


def test_an_effective_date_beside_an_action_is_a_leavers_last_day():
    rows = [
        ["Name", "Worker type", "Start date", "Action", "Effective date"],
        ["Ana", "Employee", date(2024, 1, 5), "Terminated", date(2024, 5, 1)],
        ["Ben", "Employee", date(2024, 3, 1), "Hired", date(2024, 3, 1)],
        ["Cy", "Contractor", date(2024, 4, 2), "Hired", date(2024, 4, 2)],
    ]
    data = xlsx_bytes({"Staff": rows})
    roster = read_roster_upload(data, "staff.xlsx", Q2)
    assert not roster.has_errors
    # on 2024-06-30 Ana has left (2024-05-01); Ben is an employee, Cy a contractor
    assert counted(roster) == (1, 1)
    # on 2024-03-31 Ana and Ben were both employees
    assert counted(read_roster_upload(data, "staff.xlsx", Q1)) == (2, 0)
    assert issue_at(roster, "Staff", 2, "Effective date (E)").message == (
        "Effective date (E) was read as the date of each row's Action (D): for the "
        "people who left (row 2) it is taken as the last day on the books, since "
        "the roster has no End date column. The person is counted up to that day. "
        "If Effective date (E) is another date, write each leaver's last day in an "
        "End date column."
    )


def test_an_effective_date_fills_an_empty_end_date_of_a_terminated_status():
    rows = [
        ["Employee ID", "Worker type", "Start date", "End date", "Status", "Eff date"],
        ["1", "Employee", date(2023, 1, 5), None, "Terminated", date(2024, 2, 9)],
        ["2", "Employee", date(2023, 1, 5), None, "Active", date(2023, 1, 5)],
        ["3", "Employee", date(2023, 1, 5), date(2024, 1, 31), "Terminated", None],
    ]
    roster = read_roster_upload(xlsx_bytes({"Staff": rows}), "staff.xlsx", Q1)
    assert not roster.has_errors
    # on 2024-03-31 only person 2 is here: 1 left 2024-02-09, 3 on 2024-01-31
    assert counted(roster) == (1, 0)
    assert "since End date (D) is empty" in issue_at(roster, "Staff", 2).message


def test_an_effective_date_with_no_status_says_why_it_was_not_read():
    rows = [
        ["Name", "Worker type", "Start date", "Effective date"],
        ["Ana", "Employee", date(2024, 1, 5), date(2024, 5, 1)],
    ]
    roster = read_roster_upload(xlsx_bytes({"Staff": rows}), "staff.xlsx", Q2)
    # Ana counted by her start date alone: 1 employee
    assert counted(roster) == (1, 0)
    # Before: "Effective date (D) holds dates but was not read: people are
    # counted by Start date (C) only. If it is the day people left, ..."
    assert issue_at(roster, "Staff", 1, "Effective date (D)").message == (
        "Effective date (D) was not read: an effective date is the day a change "
        "took effect (a hire, a leaving, a transfer), and the roster has no Status "
        "or Action column saying which change, so it cannot tell whether anyone "
        "left on that day. People are counted by Start date (C) only. If Effective "
        "date (D) is the day people left, rename it End date; if HR's export has "
        "an Action or Status column (Hired, Terminated), include it."
    )


# A roster handed to the cost reader.


def test_a_roster_without_a_start_date_is_told_as_a_roster():
    data = csv_bytes([["Name", "Worker type", "End date"], ["Ana", "Employee", None]])
    upload = read_upload(data, "people.csv")
    # Before: "people.csv holds a table, but not one this program reads: in its
    # first rows no header names an item ... beside an amount ..."
    [problem] = errors_of(upload)
    assert problem.message == (
        "people.csv looks like an HR roster (row 1 has Name (A), Worker type (B) "
        "and End date (C)) but has no Start date column, so its people cannot be "
        "placed in a quarter. Add a Start date column, or rename the column that "
        "holds the day each person started to Start date."
    )
    assert not read_roster_upload(data, "people.csv", Q1).recognised


def test_a_roster_with_a_bad_row_is_refused_as_a_roster():
    rows = [
        ["Employee ID", "Worker type", "Start date"],
        ["1", "Wizard", date(2024, 1, 5)],
    ]
    data = xlsx_bytes({"Staff": rows})
    [problem] = errors_of(read_upload(data, "staff.xlsx"))
    assert problem.message.startswith("Staff is an HR roster (row 1 has a name or ID")
    roster = read_roster_upload(data, "staff.xlsx", Q1)
    assert roster.recognised
    assert issue_at(roster, "Staff", 2, "Worker type (B)").message.startswith(
        "Worker type (B) is 'Wizard', which is not a worker type"
    )


def test_a_sheet_with_ids_and_one_with_names_only_are_read_together_and_checked():
    # Employees has IDs and names; Contractors names only. Ana is on both for
    # overlapping periods: both rows counted (on 2024-03-31: employees Ana
    # and Ben, contractors Ana and Cy), and the name check says which sheet
    # lacks the IDs that would tell.
    employees = [
        ["Employee ID", *HEADER],
        ["E1", "Ana Ruiz", "Employee", date(2024, 1, 5)],
        ["E2", "Ben Li", "Employee", date(2024, 3, 1)],
    ]
    contractors = [
        HEADER,
        ["Ana Ruiz", "Contractor", date(2023, 6, 1)],
        ["Cy Oh", "Contractor", date(2024, 2, 1)],
    ]
    data = xlsx_bytes({"Employees": employees, "Contractors": contractors})
    roster = read_roster_upload(data, "roster.xlsx", Q1)
    assert not roster.has_errors
    assert counted(roster) == (2, 2)
    found = issue_at(roster, "Contractors", 2, "Name (A)")
    assert "'Ana Ruiz' (Employees row 2, from 2024-01-05" in found.message
    assert "Contractors has no Employee ID to tell one person" in found.message
    assert found.message.endswith("add their Employee IDs to Contractors.")
    assert any(
        "their columns differ (Contractors has no Employee ID)" in issue.message
        for issue in roster.issues
    )


def test_the_same_name_under_different_ids_on_two_sheets_is_two_people():
    # Both sheets have IDs: E1 and C7 are different people who share a name,
    # so nothing is said about the name.
    employees = [
        ["Employee ID", *HEADER],
        ["E1", "Ana Ruiz", "Employee", date(2024, 1, 5)],
    ]
    contractors = [
        ["Employee ID", *HEADER],
        ["C7", "Ana Ruiz", "Contractor", date(2023, 6, 1)],
    ]
    data = xlsx_bytes({"Employees": employees, "Contractors": contractors})
    roster = read_roster_upload(data, "roster.xlsx", Q1)
    assert not roster.has_errors
    assert counted(roster) == (1, 1)
    assert not any("also on sheet" in issue.message for issue in roster.issues)
