"""Headers written over two rows: a merged group above the names, or split text.

A budget sheet often has 'Cost' merged over 'Monthly' and 'Annual', and an
export may split 'Posting' over 'date'. Where the two rows make a header the
reader knows, they are read as one, with a warning; where they cannot be read
with certainty, the message names the sheet and the rows and asks for one
header row. A title above a header of one row is never joined to it.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_fixtures import (
    COST_HEADER,
    canonical_bytes,
    cost_row,
    csv_bytes,
    xlsx_bytes,
)
from openpyxl import Workbook
from test_sniff import call

from cpsu.ingest import read_upload
from cpsu.ingest.costs_sheet import as_cost_table
from cpsu.ingest.gl import as_gl_table, read_gl_export
from cpsu.ingest.html_table import read_html_tables
from cpsu.ingest.roster import as_roster_table
from cpsu.ingest.roster_upload import read_roster_upload
from cpsu.ingest.table import Table, join_header_rows, one_header_row

# 'Cost' merged over B2:C2, the item's name in the upper row only.
BUDGET_ROWS = [
    ["IT running costs 2026"],
    ["Service", "Cost", None],
    [None, "Monthly", "Annual"],
    ["Zoom", 100, 1200],
    ["Slack", 50.5, 606],
]
JOINED = (
    "Rows 2 and 3 were read as one header row, since row 2 groups the columns "
    "below it: 'Service', 'Monthly (Cost)' and 'Annual (Cost)'. Keep one header "
    "row to make this plain."
)


def merged_budget_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget"
    for row in BUDGET_ROWS:
        sheet.append(row)
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("A1:C1")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def merged_budget_html() -> bytes:
    return (
        b"<table><tr><td colspan=3>IT running costs 2026</td></tr>"
        b"<tr><th>Service</th><th colspan='2'>Cost</th></tr>"
        b"<tr><th></th><th>Monthly</th><th>Annual</th></tr>"
        b"<tr><td>Zoom</td><td>100</td><td>1,200</td></tr>"
        b"<tr><td>Slack</td><td>50.50</td><td>606</td></tr></table>"
    )


BUDGETS = {
    "budget.xlsx": merged_budget_xlsx,
    "budget.xls": merged_budget_html,
    "budget.csv": lambda: csv_bytes(BUDGET_ROWS),
}
SHEETS = {"budget.xlsx": "Budget", "budget.xls": "Table 1", "budget.csv": "budget.csv"}


@pytest.mark.parametrize("name", BUDGETS)
def test_a_merged_group_header_is_read_as_one_row(name):
    upload = read_upload(BUDGETS[name](), name)
    assert not upload.has_errors, upload.issues
    # Monthly column: Zoom 100, Slack 50.50 (Annual 1,200 and 606 agree: x 12).
    lines = [(line.item, line.monthly_rate) for line in upload.cost_base.lines]
    assert lines == [("Zoom", 100.0), ("Slack", 50.5)]
    joined = [issue for issue in upload.issues if issue.message.startswith("Rows 2")]
    assert [(i.sheet, i.row, i.message) for i in joined] == [(SHEETS[name], 2, JOINED)]


def test_check_reads_the_merged_budget_too(capsys, tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(merged_budget_xlsx())
    code, out, err = call(capsys, "check", str(path))
    assert code == 0, err
    assert out.startswith(f"{path}: 2 cost lines understood\n")
    assert "$100.00" in out and "$50.50" in out
    assert JOINED in err


def test_a_canonical_header_split_over_two_rows_is_joined():
    header = list(COST_HEADER)
    upper = [*header[:5], "Unit", "Users per", "Tier", "Tickets per", *header[9:]]
    lower = [None] * 5 + ["cost", "unit", None, "agent"] + [None] * 7
    staffed = ["Desk agents", "Service desk (Tier 1)", "Staffed", None, "Month"]
    staffed_row = [*staffed, 5000, None, "Tier 1", 500]
    rows = [
        upper,
        lower,
        ["Laptop fleet", "Desktop support", "Step", None, "Month", 90, 100],
        staffed_row,
    ]
    upload = read_upload(xlsx_bytes({"Costs": rows}), "costs.xlsx")
    step, staffed = upload.cost_base.lines
    assert (step.unit_cost, step.users_per_unit) == (90.0, 100.0)
    assert (staffed.unit_cost, staffed.tickets_per_agent) == (5000.0, 500.0)
    joined = next(i for i in upload.issues if i.message.startswith("Rows 1 and 2"))
    assert joined.message.startswith(
        "Rows 1 and 2 were read as one header row, since the header text is split "
        "over the two rows: 'Item', 'Pool', 'Behaviour', 'Amount', 'Period' and "
    )


def test_a_gl_export_with_a_two_row_header():
    rows = [
        ["Posting", "GL", "Vendor", "Amount", None],
        ["date", "account", None, "Debit", "Credit"],
        ["2026-01-05", "6110", "Microsoft", "1,000.00", ""],
        ["2026-02-05", "6110", "Microsoft", "", "200.00"],
    ]
    export = read_gl_export(csv_bytes(rows), "gl.csv")
    assert not export.has_errors, export.issues
    assert export.total == 800.0  # 1,000 debit less a 200 credit
    assert export.entries["vendor"].tolist() == ["Microsoft", "Microsoft"]
    assert export.issues[0].message == (
        "Rows 1 and 2 were read as one header row, since row 1 groups the columns "
        "below it: 'Posting date', 'GL account', 'Vendor', 'Debit (Amount)' and "
        "'Credit (Amount)'. Keep one header row to make this plain."
    )


def test_a_roster_with_a_two_row_header():
    rows = [
        ["Employee", "Worker", "Start", "End"],
        ["ID", "type", "date", "date"],
        ["E1", "Employee", "2025-01-06", ""],
        ["C1", "Contractor", "2026-03-01", ""],
    ]
    roster = read_roster_upload(csv_bytes(rows), "people.csv", pd.Period("2026Q4"))
    assert roster.recognised and not roster.has_errors, roster.issues
    (row,) = roster.headcount.rows
    assert (row.employees, row.contingent) == (1, 1)
    assert roster.people == 2


def test_two_rows_that_cannot_be_read_with_certainty_say_so():
    rows = [
        ["Name of thing", "Licences", None],
        [None, "Seats", "Tier"],
        ["Zoom", 10, "Gold"],
    ]
    upload = read_upload(csv_bytes(rows), "budget.csv")
    assert upload.cost_base is None
    hint = next(i for i in upload.issues if "Keep one header row" in i.message)
    assert (hint.sheet, hint.row) == ("budget.csv", 1)
    assert hint.message == (
        "Rows 1 and 2 of budget.csv look like one header written over two rows (a "
        "merged cell over several columns), but even read together they do not "
        "name the columns this program needs, so the table could not be read with "
        "certainty. Keep one header row, with one name a column."
    )


# --- what is never joined ---------------------------------------------------------


def test_a_title_above_a_header_of_one_row_stays_a_title():
    rows = [["IT budget 2026"], ["Item", "Annual cost"], ["Zoom", 1200]]
    upload = read_upload(csv_bytes(rows), "budget.csv")
    assert [line.monthly_rate for line in upload.cost_base.lines] == [100.0]
    assert not any("header row" in issue.message for issue in upload.issues)


def test_a_data_row_is_never_taken_for_half_a_header():
    # Row 3 has no item but numbers: it is a line with an error, not a header.
    rows = [["Item", "Cost", None], [None, "100", "1200"], ["Zoom", 100, 1200]]
    table = Table("t", tuple(enumerate(map(tuple, rows), start=1)))
    assert join_header_rows(rows[0], rows[1]) is None
    same, issue = one_header_row(table, lambda cells: True)
    assert (same, issue) == (table, None)


def test_a_header_of_one_row_is_never_changed():
    rows = [["Item", "Pool", "Behaviour", "Amount"], ["", "Other", "Fixed", "Annual"]]
    table = Table("t", tuple(enumerate(map(tuple, rows), start=1)))
    same, issue = one_header_row(table, lambda cells: "Item" in cells)
    assert (same, issue) == (table, None)


# --- junk never escapes -----------------------------------------------------------

HEADER_WORDS = ["Item", "Cost", "Monthly", "Annual", "Posting", "date", "Account"]
HEADER_WORDS += ["Amount", "Debit", "Credit", "Worker", "type", "Start", "Name", ""]
JUNK_CELLS = st.one_of(
    st.none(),
    st.sampled_from(HEADER_WORDS),
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(JUNK_CELLS, max_size=6), min_size=1, max_size=6))
def test_any_rows_join_into_one_header_or_stay_as_they_are(rows):
    table = Table("junk", tuple((n, tuple(cells)) for n, cells in enumerate(rows, 1)))
    for joiner in (as_cost_table, as_gl_table, as_roster_table):
        joined, issue = joiner(table)
        if issue is None:
            assert joined == table
        else:
            # Two rows became one; every other row is as it was.
            assert len(joined.rows) == len(table.rows) - 1
            assert "Keep one header row" in issue.message
            kept = [row for row in table.rows if row in joined.rows]
            assert len(kept) == len(table.rows) - 2


def test_a_headcount_sheet_holding_a_roster_with_a_two_row_header():
    people = [
        ["Employee", "Worker", "Start", "End"],
        ["ID", "type", "date", "date"],
        ["E1", "Employee", "2025-01-06", ""],
        ["E2", "Employee", "2026-11-02", ""],
        ["C1", "Contractor", "2026-03-01", ""],
    ]
    costs = [cost_row("Zoom", "Productivity software", "Fixed", amount=100)]
    upload = read_upload(canonical_bytes(costs, headcount=people), "book.xlsx")
    assert not upload.has_errors, upload.issues
    # The baseline is 2026-Q4, the quarter of the latest start (E2): on 31
    # December E1 and E2 are employed and C1 contracting.
    first = upload.headcount.rows[0]
    assert (first.quarter, first.employees, first.contingent) == ("2026-Q4", 2, 1)


def test_an_html_header_cell_over_two_rows_keeps_the_columns_in_place():
    page = (
        b"<table><tr><th rowspan=2>Service</th><th colspan=2>Cost</th>"
        b"<th rowspan='2'>Owner</th></tr>"
        b"<tr><th>Monthly</th><th>Annual</th></tr>"
        b"<tr><td>Zoom</td><td>100</td><td>1,200</td><td>IT</td></tr>"
        b"<tr><td>Slack</td><td>50.50</td><td>606</td><td>IT</td></tr></table>"
    )
    upload = read_upload(page, "budget.xls")
    assert not upload.has_errors, upload.issues
    # Without the row span, Monthly and Annual would shift under Service and Cost.
    lines = [(line.item, line.monthly_rate) for line in upload.cost_base.lines]
    assert lines == [("Zoom", 100.0), ("Slack", 50.5)]  # 100 + 50.50 a month
    assert any(
        issue.message.startswith(
            "Rows 1 and 2 were read as one header row, since "
            "row 1 groups the columns below it: 'Service', 'Monthly (Cost)', "
            "'Annual (Cost)' and 'Owner'."
        )
        for issue in upload.issues
    )


def test_a_row_span_covers_only_the_rows_that_exist():
    (table,), spans = read_html_tables(
        "<table><tr><td rowspan=999999>A</td><td>B</td></tr><tr><td>C</td></tr>"
        "<tr><td>D</td></tr></table>"
    )
    # A covers column A of every row below it, so C and D stay in column B, and
    # its text is read for each row, as a merged cell's is.
    assert table.rows == ((1, ("A", "B")), (2, ("A", "C")), (3, ("A", "D")))
    (said,) = spans["Table 1"]
    # the span covers the three rows there are
    assert (
        said.message == "Cells A1:A3 are merged; 'A' was read for each of rows 1 to 3."
    )
