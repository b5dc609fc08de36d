"""The words of a cost list's header: counts of licences beside a price per
licence, periods of half a year or several years, and the many ways of saying
that amounts are in thousands, millions or cents."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import errors_of, xlsx_bytes


def read_list(rows: list[list[object]]):
    return read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")


def monthly_run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def messages(upload) -> str:
    return "\n".join(issue.message for issue in upload.issues)


# Licences and a price per licence: each line costs count x price.


@pytest.mark.parametrize(
    ("count", "price"),
    [
        ("Licences", "Cost/licence/yr"),
        ("Licenses", "Price/license per year"),
        ("Qty", "Annual cost per licence"),
        ("Quantity", "Price / licence (annual)"),
        ("Seats", "Cost/seat/yr"),
    ],
)
def test_a_count_of_licences_times_a_price_per_licence_is_the_cost(count, price):
    upload = read_list(
        [["Software", count, price], ["M365 E3", 100, 432], ["Zoom", 50, 180]]
    )
    assert errors_of(upload) == []
    # 100 x 432 = 43,200 and 50 x 180 = 9,000 a year: 52,200 / 12 = 4,350.00
    assert [line.amount for line in upload.cost_base.lines] == [43_200, 9_000]
    assert round(monthly_run_rate(upload), 2) == 4350.00
    assert (
        f"Each line's amount is {count} (B) x {price} (C), since the list has no "
        "column of each line's cost."
    ) in messages(upload)


def test_a_cost_per_year_is_no_price_per_licence():
    upload = read_list([["Software", "Cost/yr"], ["M365 E3", 43_200]])
    # 43,200 / 12 = 3,600.00
    assert round(monthly_run_rate(upload), 2) == 3600.00
    assert "Each line's amount" not in messages(upload)
