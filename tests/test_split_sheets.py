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


def test_a_roster_sheet_with_other_columns_is_named_not_counted():
    roster = read_roster_upload(
        roster_workbook(("Worker ID", "Worker type", "Start date", "Status")),
        "hr.xlsx",
        pd.Period("2026Q4", freq="Q"),
    )

    (row,) = roster.headcount.rows
    assert (row.employees, row.contingent) == (10, 0)
    assert (
        "The sheet Contractors also looks like a roster, but its columns differ "
        "from Employees's, so it was not read and its people are not counted. Give "
        "it the same columns to count them together, or upload it on its own."
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
