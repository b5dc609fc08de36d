"""A budget exported one row per item per period ('Item | Month | Cost', as
a database or a planning tool writes it): read as cost lines, each item's
months would be added up (A at 100 a month for twelve months would cost
1,200 a month), so it is refused with a message saying how to lay it out."""

from __future__ import annotations

import datetime as dt

import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import MONTHS, csv_bytes, errors_of, xlsx_bytes


def long_rows(header: str, periods: list[object], amount: str) -> list[list[object]]:
    rows: list[list[object]] = [["Item", header, amount]]
    for item, cost in (("Service desk tool", 100), ("Laptops", 200)):
        rows += [[item, period, cost] for period in periods]
    return rows


CASES = {
    "month names": long_rows("Month", MONTHS, "Monthly cost"),
    "dates": long_rows(
        "Month", [dt.date(2026, month, 1) for month in range(1, 13)], "Monthly cost"
    ),
    "quarters": long_rows("Quarter", ["Q1", "Q2", "Q3", "Q4"], "Quarterly cost"),
    "years": long_rows("Year", [2025, 2026], "Annual cost"),
    "periods": long_rows("Period", list(range(1, 13)), "Monthly cost"),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_an_item_once_per_period_is_refused_not_added_up(case, form):
    rows = CASES[case]
    data = (
        xlsx_bytes({"Budget": rows})
        if form == "xlsx"
        else csv_bytes([[str(cell) for cell in row] for row in rows])
    )
    upload = read_upload(data, f"budget.{form}")
    assert upload.cost_base is None
    [error] = errors_of(upload)
    periods = (len(rows) - 1) // 2
    assert error.message.endswith(
        f"'Service desk tool' is on rows 2 to {periods + 1}, as is 1 other item. "
        "Read as cost lines, each row would be a cost of its own and an item's "
        "months added up, so it was not read. Put the months in columns (Jan to "
        "Dec, one row per item) to read it as a month-by-month budget, or keep "
        "one row per item with its cost."
    )
    assert error.row == 1


def test_a_list_with_a_year_column_and_each_item_once_is_read():
    # One row per item: the Year column says which year, nothing is added up
    # twice: (12,000 + 24,000) / 12 = 3,000 a month.
    rows = [
        ["Item", "Year", "Annual cost"],
        ["Service desk tool", 2026, 12_000],
        ["Laptops", 2026, 24_000],
    ]
    upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    assert errors_of(upload) == []
    assert round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 3000


def test_an_item_on_two_rows_without_a_period_column_is_two_lines():
    # Two licences of the same product bought apart are two costs.
    rows = [["Item", "Annual cost"], ["Laptops", 12_000], ["Laptops", 24_000]]
    upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    assert errors_of(upload) == []
    assert len(upload.cost_base.lines) == 2
