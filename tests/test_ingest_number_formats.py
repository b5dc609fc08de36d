"""Amounts stored in full but shown in thousands by Excel's number format
('#,##0,' shows 12,000 as 12), under a header that says '$000': the stored
values are the amounts, so they are not multiplied again."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from cpsu.ingest import read_upload
from cpsu.ingest.xlsx import format_scale
from tests.ingest_fixtures import COST_HEADER, HEADCOUNT_ROWS, cost_row, errors_of


def formatted_workbook(
    sheets: dict[str, list[list[object]]], number_format: str, column: int
) -> bytes:
    """A workbook whose numbers in `column` (1-based) below row 1 carry a format."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, int | float):
                cell.number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messages(upload) -> str:
    return "\n".join(issue.message for issue in upload.issues)


@pytest.mark.parametrize(
    ("code", "factor"),
    [
        ("#,##0,", 1_000),
        ("#,##0.0,;(#,##0.0,)", 1_000),
        ('0.0,,"M"', 1_000_000),
        ('$#,##0,"K"', 1_000),
        ("#,##0,_);[Red](#,##0,)", 1_000),
        ("#,##0", 1),
        ("#,##0_);(#,##0)", 1),
        ('"Total, "#,##0', 1),
        ("General", 1),
    ],
)
def test_a_trailing_comma_in_a_number_format_shows_thousands(code, factor):
    assert format_scale(code) == factor


def test_amounts_shown_in_thousands_by_their_format_are_read_as_stored():
    rows = [["Item", "Annual cost ($000)"], ["Zoom", 12_000], ["Slack", 24_000]]
    data = formatted_workbook({"Budget": rows}, "#,##0,", 2)
    upload = read_upload(data, "budget.xlsx")
    assert errors_of(upload) == []
    # stored 12,000 + 24,000 a year, shown 12 and 24: 36,000 / 12 = 3,000.00
    assert round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 3000
    assert (
        "The amounts in Annual cost ($000) (B) are stored in full and only shown in "
        "thousands by their number format, so they were read as stored, not "
        "multiplied."
    ) in messages(upload)
    assert "multiplied by 1,000" not in messages(upload)


def test_amounts_in_thousands_without_the_format_are_still_multiplied():
    rows = [["Item", "Annual cost ($000)"], ["Zoom", 12], ["Slack", 24]]
    data = formatted_workbook({"Budget": rows}, "#,##0", 2)
    upload = read_upload(data, "budget.xlsx")
    # (12 + 24) x 1,000 / 12 = 3,000.00
    assert round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 3000
    assert "each was multiplied by 1,000" in messages(upload)


def test_a_costs_sheet_amount_shown_in_thousands_is_read_as_stored():
    header = ["Amount ($000)" if name == "Amount" else name for name in COST_HEADER]
    costs = [
        header,
        cost_row("Zoom", "Support tools", "Fixed", amount=12_000, period="Year"),
        cost_row("Slack", "Support tools", "Fixed", amount=24_000, period="Year"),
    ]
    data = formatted_workbook(
        {"Costs": costs, "Headcount": HEADCOUNT_ROWS}, "#,##0,", 4
    )
    upload = read_upload(data, "costs.xlsx")
    assert errors_of(upload) == []
    # 36,000 a year stored: 3,000.00 a month
    assert round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 3000
    assert (
        "The amounts in Amount ($000) (D) are stored in full and only shown in "
        "thousands by their number format, so they were read as stored, not "
        "multiplied."
    ) in messages(upload)
