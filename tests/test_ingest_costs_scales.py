"""The Costs sheet with its money in thousands: said in the Amount or Unit cost
header, in a title row above the header, or in a note below the lines. Zoom
costs 12 and Slack 24 thousand a year, (12,000 + 24,000) / 12 = 3,000 a month;
the help desk tool is 0.006 thousand (6.00) per user a month, 50 users a unit."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import (
    COST_HEADER,
    canonical_bytes,
    cost_row,
    csv_bytes,
    errors_of,
    warnings_of,
)

LINES = [
    cost_row("Zoom", "Support tools", "Fixed", amount=12, period="Year"),
    cost_row("Slack", "Support tools", "Fixed", amount=24, period="Year"),
    cost_row(
        "Help desk tool",
        "Support tools",
        "Step",
        unit_cost=0.006,
        period="Month",
        users_per_unit=50,
        min_units=2,
    ),
]


def header_with(**renamed: str) -> list[str]:
    return [renamed.get(name, name) for name in COST_HEADER]


def fixed_run_rate(upload) -> float:
    return sum(
        line.monthly_rate for line in upload.cost_base.lines if line.amount is not None
    )


def messages(upload) -> str:
    return "\n".join(issue.message for issue in upload.issues)


@pytest.mark.parametrize("amount", ["Amount ($000)", "Amount ($k)", "Amount (USD 000)"])
def test_an_amount_header_in_thousands_multiplies_the_amounts_only(amount):
    header = header_with(Amount=amount)
    upload = read_upload(canonical_bytes(LINES, cost_header=header), "costs.xlsx")
    assert errors_of(upload) == []
    zoom, slack, tool = upload.cost_base.lines
    assert (zoom.amount, slack.amount) == (12_000, 24_000)
    # (12,000 + 24,000) / 12 = 3,000.00 a month
    assert round(fixed_run_rate(upload), 2) == 3000.00
    # Unit cost's header says nothing, so it is read as it stands
    assert (tool.unit_cost, tool.users_per_unit, tool.min_units) == (0.006, 50, 2)
    assert [issue.message for issue in warnings_of(upload)] == [
        f"The amounts in {amount} (D) are read in thousands, as the header says: "
        "each was multiplied by 1,000."
    ]


def test_a_unit_cost_header_in_thousands_multiplies_unit_costs_not_counts():
    header = header_with(**{"Unit cost": "Unit cost ($000)"})
    upload = read_upload(canonical_bytes(LINES, cost_header=header), "costs.xlsx")
    assert errors_of(upload) == []
    zoom, _, tool = upload.cost_base.lines
    assert zoom.amount == 12  # Amount's header says nothing
    # 0.006 thousand is 6.00 per user a month; 50 users a unit, 2 units at least
    assert round(tool.unit_cost, 2) == 6.00
    assert (tool.users_per_unit, tool.min_units) == (50, 2)
    assert "Unit cost ($000) (F) are read in thousands" in messages(upload)


def test_a_title_above_the_header_scales_amount_and_unit_cost():
    costs = [["All amounts in USD 000"], [], COST_HEADER, *LINES]
    upload = read_upload(canonical_bytes(costs, cost_header=[]), "costs.xlsx")
    assert errors_of(upload) == []
    tool = upload.cost_base.lines[2]
    assert round(fixed_run_rate(upload), 2) == 3000.00
    assert round(tool.unit_cost, 2) == 6.00
    assert (tool.users_per_unit, tool.min_units) == (50, 2)
    assert (
        "The title above the table, 'All amounts in USD 000', was applied, so the "
        "amounts in Amount (D) and Unit cost (F) were read in thousands: each was "
        "multiplied by 1,000. Counts such as Users per unit were read as they stand."
    ) in messages(upload)


def test_a_note_below_the_lines_scales_them_and_is_no_section_heading():
    costs = [*LINES, [], ["Note: amounts in $000"]]
    upload = read_upload(canonical_bytes(costs), "costs.xlsx")
    assert errors_of(upload) == []
    assert len(upload.cost_base.lines) == 3
    assert round(fixed_run_rate(upload), 2) == 3000.00
    assert (
        "The note in row 6, 'Note: amounts in $000', was applied, so the amounts in "
        "Amount (D) and Unit cost (F) were read in thousands"
    ) in messages(upload)
    assert "section heading" not in messages(upload)
    assert "blank" not in messages(upload)


def test_a_header_and_a_note_saying_different_scales_is_an_error():
    header = header_with(Amount="Amount ($000)")
    costs = [*LINES, ["Amounts in $m"]]
    upload = read_upload(canonical_bytes(costs, cost_header=header), "costs.xlsx")
    assert upload.cost_base is None
    [problem] = errors_of(upload)
    assert problem.message == (
        "The amounts' unit is said twice, differently: the header Amount ($000) (D) "
        "says thousands, but row 5 says 'Amounts in $m', so the amounts cannot be "
        "read without a guess. Say the unit once, in the Amount and Unit cost "
        "headers, like 'Amount ($000)'."
    )


def test_a_csv_of_the_costs_sheet_with_amounts_in_thousands():
    header = header_with(Amount="Amount ($000)")
    upload = read_upload(csv_bytes([header, *LINES[:2]]), "costs.csv")
    assert errors_of(upload) == []
    # (12,000 + 24,000) / 12 = 3,000.00 a month
    assert round(fixed_run_rate(upload), 2) == 3000.00
    assert "Amount ($000) (D) are read in thousands" in messages(upload)


def test_a_plain_costs_sheet_is_not_scaled():
    upload = read_upload(canonical_bytes(LINES), "costs.xlsx")
    assert errors_of(upload) == []
    # (12 + 24) / 12 = 3.00 a month
    assert round(fixed_run_rate(upload), 2) == 3.00
    assert "thousands" not in messages(upload)
