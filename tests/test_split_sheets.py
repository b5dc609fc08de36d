"""A GL export or a roster split over sheets with the same columns is read
whole; a sheet with other columns is named, never dropped in silence."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.issues import Severity
from cpsu.ingest.roster_upload import read_roster_upload
from tests.ingest_fixtures import xlsx_bytes
from tests.test_gl import HEADER
from tests.test_pages import cost_base_page, metric, new_app, table_with, upload


def half_year(first_month: int, amount: float) -> list[list[object]]:
    return [
        [date(2026, month, 5), 6110, "CC", "Zoom", "fee", amount]
        for month in range(first_month, first_month + 6)
    ]


def gl_workbook(second_header=HEADER) -> bytes:
    return xlsx_bytes(
        {
            "GL Jan-Jun": [HEADER, *half_year(1, 1000)],
            "GL Jul-Dec": [second_header, *half_year(7, 2000)],
        }
    )


def roster_workbook(
    second_header=("Worker ID", "Worker type", "Start date", "End date"),
) -> bytes:
    employees = [[n, "Employee", date(2020, 1, 1), None] for n in range(1, 11)]
    contractors = [[n, "Contractor", date(2026, 10, 1), None] for n in range(100, 105)]
    return xlsx_bytes(
        {
            "Employees": [
                ["Employee ID", "Worker type", "Start date", "End date"],
                *employees,
            ],
            "Contractors": [list(second_header), *contractors],
        }
    )


def warnings(issues) -> list[str]:
    return [i.message for i in issues if i.severity is Severity.WARNING]


def test_a_gl_export_over_two_sheets_is_read_as_one():
    export = read_gl_export(gl_workbook(), "gl.xlsx")

    assert not export.has_errors
    # 6 x 1,000 + 6 x 2,000 = 18,000.00 over 12 months
    assert export.total_cents == 1_800_000
    assert len(export.months) == 12
    assert export.sheet == "GL Jan-Jun and GL Jul-Dec"
    assert (
        "Read 12 postings from sheets GL Jan-Jun and GL Jul-Dec, which have the "
        "same columns, as one export: its months run from 2026-01 to 2026-12."
    ) in warnings(export.issues)


def test_a_gl_sheet_with_other_columns_is_named_not_read():
    other = ["Posting date", "Account", "Vendor", "Description", "Debit", "Credit"]
    data = xlsx_bytes(
        {
            "GL Jan-Jun": [HEADER, *half_year(1, 1000)],
            "GL Jul-Dec": [
                other,
                *[[d, a, v, m, x, None] for d, a, _, v, m, x in half_year(7, 2000)],
            ],
        }
    )
    export = read_gl_export(data, "gl.xlsx")

    assert export.total_cents == 600_000  # 6 x 1,000 from the first sheet only
    assert (
        "The sheet GL Jul-Dec also holds a GL export, but its columns differ from "
        "GL Jan-Jun's, so it was not read and its postings are not counted. Give it "
        "the same columns to read them together, or upload it on its own."
    ) in warnings(export.issues)


def test_a_named_sheet_is_read_alone():
    export = read_gl_export(gl_workbook(), "gl.xlsx", sheet="GL Jul-Dec")

    assert export.total_cents == 1_200_000  # 6 x 2,000
    assert not any("Read 12 postings" in m for m in warnings(export.issues))


def test_a_roster_over_two_sheets_is_counted_as_one():
    roster = read_roster_upload(roster_workbook(), "hr.xlsx", None)

    assert not roster.has_errors
    (row,) = roster.headcount.rows
    # 10 employees since 2020, 5 contractors since 2026-10-01
    assert (row.quarter, row.employees, row.contingent) == ("2026-Q4", 10, 5)
    assert roster.people == 15
    assert (
        "Read 15 people from sheets Employees and Contractors, which have the same "
        "columns, and counted them as one roster."
    ) in warnings(roster.issues)


def test_a_roster_sheet_with_other_columns_is_counted_and_the_difference_named():
    # Contractors says Status where Employees says End date: both are rosters
    # (an ID, a worker type, a start date), each read by its own header.
    roster = read_roster_upload(
        roster_workbook(("Worker ID", "Worker type", "Start date", "Status")),
        "hr.xlsx",
        pd.Period("2026Q4", freq="Q"),
    )

    (row,) = roster.headcount.rows
    # 10 employees since 2020, 5 contractors since 2026-10-01, none left
    assert (row.employees, row.contingent) == (10, 5)
    assert (
        "Read 15 people from sheets Employees and Contractors and counted them as "
        "one roster; their columns differ (Employees has no Status; Contractors "
        "has no End date), and each sheet was read by its own."
    ) in warnings(roster.issues)


def test_the_app_reads_both_gl_sheets():
    at = cost_base_page(new_app())
    upload(at, "gl.xlsx", gl_workbook())

    assert not at.exception
    (status,) = at.status
    shown = status.label.replace("\\-", "-")  # as Markdown escapes it
    assert shown == "Read 12 postings from sheets GL Jan-Jun and GL Jul-Dec"
    messages = table_with(at, "Severity")["Problem and what to do"].tolist()
    assert any(m.startswith("Read 12 postings from sheets") for m in messages)


def test_the_app_counts_both_roster_sheets():
    at = cost_base_page(new_app())
    upload(at, "hr.xlsx", roster_workbook())

    assert not at.exception
    # 10 employees + 5 contractors on 2026-12-31, the workspace's baseline
    assert metric(at, "Supported users") == "15"
    (status,) = at.status
    assert status.label == "Read 15 people from Employees and Contractors"


def year_of_postings() -> list[list[object]]:
    return [
        [date(2026, month, 5), 6110, "CC", "Zoom", "fee", 1000]
        for month in range(1, 13)
    ]


def test_sheets_that_repeat_postings_are_not_added_twice():
    postings = year_of_postings()
    data = xlsx_bytes(
        {
            "All postings": [HEADER, *postings],
            **{f"Q{n}": [HEADER, *postings[3 * n - 3 : 3 * n]] for n in range(1, 5)},
        }
    )
    export = read_gl_export(data, "gl.xlsx")

    assert not export.has_errors
    assert export.total_cents == 1_200_000  # 12 x 1,000, not 24 x 1,000
    assert export.sheet == "All postings"
    said = warnings(export.issues)
    assert (
        "The sheet Q1 was left out, and its 3 postings are not counted: all of them "
        "repeat postings of sheet All postings (the same date, account, cost "
        "centre, vendor, description and amount), so reading both would count them "
        "twice. Only sheet All postings, the one with the most postings, was read. "
        "If Q1 holds postings of its own, delete the repeated rows from one sheet so "
        "that both are read."
    ) in said
    assert sum("was left out" in message for message in said) == 4
    assert not any(message.startswith("Read ") for message in said)


def test_a_copied_sheet_is_read_once():
    data = xlsx_bytes(
        {
            "GL detail": [HEADER, *year_of_postings()],
            "GL detail (2)": [HEADER, *year_of_postings()],
        }
    )
    export = read_gl_export(data, "gl.xlsx")

    assert export.total_cents == 1_200_000
    assert export.sheet == "GL detail"
    assert any(
        m.startswith("The sheet GL detail (2) was left out, and its 12 postings")
        for m in warnings(export.issues)
    )


def test_sheets_sharing_one_posting_read_the_larger_alone():
    postings = year_of_postings()
    data = xlsx_bytes(
        {"GL H1": [HEADER, *postings[:6]], "GL H2": [HEADER, *postings[5:]]}
    )
    export = read_gl_export(data, "gl.xlsx")

    assert export.sheet == "GL H2"
    assert export.total_cents == 700_000  # June to December
    assert any(
        m.startswith(
            "The sheet GL H1 was left out, and its 6 postings are not counted: 1 of "
            "them repeats a posting of sheet GL H2"
        )
        for m in warnings(export.issues)
    )


def test_postings_alike_but_on_other_days_are_added():
    postings = year_of_postings()
    later = [[day.replace(day=20), *rest] for day, *rest in postings[:6]]
    data = xlsx_bytes({"GL A": [HEADER, *postings[:6]], "GL B": [HEADER, *later]})
    export = read_gl_export(data, "gl.xlsx")

    assert export.total_cents == 1_200_000
    assert not any("left out" in m for m in warnings(export.issues))


def test_the_same_id_on_two_roster_sheets_is_refused():
    header = ["Employee ID", "Worker type", "Start date", "End date"]
    employees = [[n, "Employee", date(2020, 1, 1), None] for n in range(1, 11)]
    data = xlsx_bytes(
        {
            "Employees": [
                header,
                *employees,
                [11, "Employee", date(2026, 11, 2), None],
            ],
            "New starters": [header, *employees[:3]],
        }
    )
    roster = read_roster_upload(data, "hr.xlsx", None)

    assert roster.has_errors
    assert roster.headcount is None
    (message,) = [i.message for i in roster.issues if i.severity is Severity.ERROR]
    assert message == (
        "Employee ID (A) 1, 2 and 3 on sheet Employees are also on sheet New "
        "starters, for periods that overlap (ID 1: Employees row 2, from 2020-01-01, "
        "still here; New starters row 2, from 2020-01-01), so those people would be "
        "counted twice. If New starters repeats people of Employees, delete the "
        "repeated rows; if they are different people, give them different IDs; "
        "otherwise correct the dates."
    )


def test_the_same_id_on_two_sheets_one_after_the_other_is_one_person():
    header = ["Employee ID", "Worker type", "Start date", "End date"]
    employees = [[n, "Employee", date(2020, 1, 1), None] for n in range(1, 11)]
    data = xlsx_bytes(
        {
            "Employees": [header, *employees, [50, "Employee", date(2026, 7, 1), None]],
            "Contractors": [
                header,
                [50, "Contractor", date(2024, 1, 1), date(2026, 6, 30)],
                *[[n, "Contractor", date(2026, 10, 1), None] for n in range(100, 105)],
            ],
        }
    )
    roster = read_roster_upload(data, "hr.xlsx", None)

    assert not roster.has_errors
    (row,) = roster.headcount.rows
    assert (row.quarter, row.employees, row.contingent) == ("2026-Q4", 11, 5)
    assert roster.people == 16
    assert (
        "Employee ID (A) 50 is on sheets Employees and Contractors, for periods that "
        "do not overlap: a person employed more than once (a contractor taken on as "
        "an employee, say), counted once on each day employed."
    ) in warnings(roster.issues)


def split_without_types(name: str) -> bytes:
    return xlsx_bytes(
        {
            "Employees": [
                ["Employee ID", "Worker type", "Start date", "End date"],
                *[[n, "Employee", date(2020, 1, 1), None] for n in range(1, 11)],
            ],
            name: [
                ["Worker ID", "Start date", "End date"],
                *[[n, date(2026, 10, 1), None] for n in range(100, 105)],
            ],
        }
    )


def test_a_roster_sheet_without_worker_types_is_named():
    data = split_without_types("Others")
    roster = read_roster_upload(data, "hr.xlsx", pd.Period("2026Q4", freq="Q"))

    (row,) = roster.headcount.rows
    assert (row.employees, row.contingent) == (10, 0)
    assert (
        "The sheet Others looks like part of the roster (it has Worker ID (A), "
        "Start date (B) and End date (C) columns) but has no Worker type column, so "
        "it was not read and its 5 people are not counted. Add the Worker type "
        "column to count them with Employees."
    ) in warnings(roster.issues)


def test_a_sheet_named_for_a_worker_type_gives_its_rows_that_type():
    data = split_without_types("Contractors")
    roster = read_roster_upload(data, "hr.xlsx", pd.Period("2026Q4", freq="Q"))

    (row,) = roster.headcount.rows
    # 10 employees; the 5 on Contractors, here since 2026-10-01, are contingent.
    assert (row.employees, row.contingent) == (10, 5)
    assert (
        "Contractors has no worker type column, so its 5 rows were read as "
        "contingent workers, as the sheet's name says. If some of them are not, "
        "add a Worker type column with Employee or Contractor for each person."
    ) in warnings(roster.issues)
