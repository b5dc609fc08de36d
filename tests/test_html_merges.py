"""HTML cells spanning rows are read as a workbook's merged cells are: text
filled into each row the cell spans, a number left in its first row, each
with the same warning."""

from __future__ import annotations

import io

import openpyxl

from cpsu.ingest import read_upload
from cpsu.ingest.gl import read_gl_export

ROWS = [
    ["Service", "Cost", None, "Owner"],
    [None, "Monthly", "Annual", None],
    ["Zoom", 100, 1200, "IT"],
    ["Slack", 50.5, 606, None],
    ["Backup", 300, 3600, "Ops"],
    ["Backup offsite", 200, None, "Ops"],
]
MERGES = ("A1:A2", "B1:C1", "D1:D2", "D3:D4", "C5:C6")

PAGE = (
    b"<table><tr><th rowspan=2>Service</th><th colspan=2>Cost</th>"
    b"<th rowspan=2>Owner</th></tr>"
    b"<tr><th>Monthly</th><th>Annual</th></tr>"
    b"<tr><td>Zoom</td><td>100</td><td>1200</td><td rowspan=2>IT</td></tr>"
    b"<tr><td>Slack</td><td>50.5</td><td>606</td></tr>"
    b"<tr><td>Backup</td><td>300</td><td rowspan='2'>3600</td><td>Ops</td></tr>"
    b"<tr><td>Backup offsite</td><td>200</td><td>Ops</td></tr></table>"
)


def merged_workbook() -> bytes:
    """The page's table as a workbook with merged cells, on a sheet of the
    name the page's table gets."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Table 1"
    for row in ROWS:
        sheet.append(row)
    for cells in MERGES:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def merge_issues(upload) -> set[tuple[int | None, str | None, str]]:
    """The warnings about merged cells and the header, the number's quotes
    dropped (a workbook holds 3600, a page the text '3600')."""
    return {
        (issue.row, issue.column, issue.message.replace("'3600'", "3600"))
        for issue in upload.issues
        if "merged" in issue.message or "header row" in issue.message
    }


def test_an_xlsx_with_merges_and_the_same_table_as_html_read_alike():
    workbook = read_upload(merged_workbook(), "budget.xlsx")
    page = read_upload(PAGE, "budget.xls")
    assert not workbook.has_errors and not page.has_errors, page.issues
    assert page.cost_base == workbook.cost_base
    # Monthly is the amount: 100 + 50.50 + 300 + 200 = 650.50 a month
    assert sum(line.monthly_rate for line in page.cost_base.lines) == 650.5
    found = merge_issues(page)
    assert found == merge_issues(workbook)
    assert found == {
        (1, "A", "Cells A1:A2 are merged; 'Service' was read for each of rows 1 to 2."),
        (1, "D", "Cells D1:D2 are merged; 'Owner' was read for each of rows 1 to 2."),
        (3, "D", "Cells D3:D4 are merged; 'IT' was read for each of rows 3 to 4."),
        (
            5,
            "C",
            "Cells C5:C6 are merged and hold 3600; it is not clear whether that is "
            "for each row or for all of them, so only row 5 has it. Unmerge the "
            "cells and fill in each row.",
        ),
        (
            1,
            None,
            "Rows 1 and 2 were read as one header row, since row 1 groups the "
            "columns below it: 'Service', 'Monthly (Cost)', 'Annual (Cost)' and "
            "'Owner'. Keep one header row to make this plain.",
        ),
    }


def test_a_vendor_spanning_rows_of_a_gl_page_is_each_posting_s():
    page = (
        b"<table><tr><th>Posting date</th><th>Account</th><th>Vendor</th>"
        b"<th>Amount</th></tr>"
        b"<tr><td>2026-10-05</td><td>6150</td><td rowspan=2>Microsoft</td>"
        b"<td>1000.00</td></tr>"
        b"<tr><td>2026-11-05</td><td>6150</td><td>1000.00</td></tr></table>"
    )
    export = read_gl_export(page, "gl.xls")
    assert not export.has_errors, export.issues
    assert export.entries["vendor"].tolist() == ["Microsoft", "Microsoft"]
    assert export.total == 2000.0  # 1,000 + 1,000
    assert any(
        issue.message
        == "Cells C2:C3 are merged; 'Microsoft' was read for each of rows 2 to 3."
        for issue in export.issues
    )
