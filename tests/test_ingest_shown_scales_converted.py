"""Amounts stored in full but shown in thousands by their number format, in
.ods and .xls files converted by LibreOffice from an .xlsx: the format is read
there too, so a '$000' header does not multiply them a second time."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import COST_HEADER, HEADCOUNT_ROWS, cost_row, errors_of
from tests.test_ingest_number_formats import formatted_workbook


def formatted(sheets: dict[str, list[list[object]]], code: str, column: int) -> bytes:
    """An .xlsx whose numbers in `column` (1-based) below row 1 carry `code`."""
    return formatted_workbook(sheets, code, column)


def run_rate(upload) -> float:
    return round(sum(line.monthly_rate for line in upload.cost_base.lines), 2)


def messages(upload) -> str:
    return "\n".join(issue.message for issue in upload.issues)


LIST = [["Item", "Annual cost ($000)"], ["Zoom", 12_000], ["Slack", 24_000]]


@pytest.mark.parametrize("extension", ["ods", "xls"])
def test_a_list_shown_in_thousands_is_read_as_stored(converted, extension):
    data = converted("list", formatted({"Budget": LIST}, "#,##0,", 2), extension)
    upload = read_upload(data, f"budget.{extension}")
    assert errors_of(upload) == []
    # stored 12,000 + 24,000 a year, shown 12 and 24: 36,000 / 12 = 3,000.00.
    # Before, the header's $000 multiplied them again: 3,000,000.00 a month.
    assert run_rate(upload) == 3_000.00
    assert (
        "The amounts in Annual cost ($000) (B) are stored in full and only shown in "
        "thousands by their number format, so they were read as stored, not "
        "multiplied."
    ) in messages(upload)
    assert "multiplied by 1,000" not in messages(upload)


@pytest.mark.parametrize("extension", ["ods", "xls"])
def test_a_list_in_thousands_without_the_format_is_still_multiplied(
    converted, extension
):
    rows = [["Item", "Annual cost ($000)"], ["Zoom", 12], ["Slack", 24]]
    data = converted("plain", formatted({"Budget": rows}, "#,##0", 2), extension)
    upload = read_upload(data, f"budget.{extension}")
    # (12 + 24) x 1,000 = 36,000 a year / 12 = 3,000.00
    assert run_rate(upload) == 3_000.00
    assert "each was multiplied by 1,000" in messages(upload)


@pytest.mark.parametrize("extension", ["ods", "xls"])
def test_a_list_shown_in_millions_is_read_as_stored(converted, extension):
    rows = [["Item", "Annual cost ($m)"], ["Network", 1_200_000]]
    data = converted("millions", formatted({"Budget": rows}, '0.0,,"M"', 2), extension)
    upload = read_upload(data, f"budget.{extension}")
    assert errors_of(upload) == []
    # stored 1,200,000 a year, shown 1.2M: 1,200,000 / 12 = 100,000.00
    assert run_rate(upload) == 100_000.00
    assert "only shown in millions by their number format" in messages(upload)


@pytest.mark.parametrize("extension", ["ods", "xls"])
def test_a_costs_sheet_shown_in_thousands_is_read_as_stored(converted, extension):
    header = ["Amount ($000)" if name == "Amount" else name for name in COST_HEADER]
    costs = [
        header,
        cost_row("Zoom", "Support tools", "Fixed", amount=12_000, period="Year"),
        cost_row("Slack", "Support tools", "Fixed", amount=24_000, period="Year"),
    ]
    book = formatted({"Costs": costs, "Headcount": HEADCOUNT_ROWS}, "#,##0,", 4)
    upload = read_upload(converted("costs", book, extension), f"costs.{extension}")
    assert errors_of(upload) == []
    # 36,000 a year stored: 3,000.00 a month
    assert run_rate(upload) == 3_000.00
    assert (
        "The amounts in Amount ($000) (D) are stored in full and only shown in "
        "thousands by their number format, so they were read as stored, not "
        "multiplied."
    ) in messages(upload)
