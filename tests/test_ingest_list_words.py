"""The words of a cost list's header: counts of licences beside a price per
licence, periods of half a year or several years, and the many ways of saying
that amounts are in thousands, millions or cents."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from cpsu.ingest import read_upload
from tests.ingest_fixtures import errors_of, warnings_of, xlsx_bytes


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


# Half-years and terms of several years: each amount is divided by its months.


@pytest.mark.parametrize(
    ("header", "months", "words"),
    [
        ("Semi-annual cost", 6, "a half-year"),
        ("Half-yearly cost", 6, "a half-year"),
        ("Twice-yearly cost", 6, "a half-year"),
        ("FY27 H1 budget", 6, "a half-year"),
        ("3-year cost", 36, "3 years"),
        ("3 year contract value", 36, "3 years"),
        ("Total contract value (3 yrs)", 36, "3 years"),
        ("Cost (24-month term)", 24, "24 months"),
    ],
)
def test_an_amount_for_a_half_year_or_a_term_is_divided_by_its_months(
    header, months, words
):
    upload = read_list([["Item", header], ["Zoom", 12_000], ["Slack", 12_000]])
    assert errors_of(upload) == []
    # 24,000 over 6 months is 4,000.00 a month; over 36, 666.67; over 24, 1,000.00
    assert round(monthly_run_rate(upload), 2) == round(24_000 / months, 2)
    assert [round(line.monthly_rate, 2) for line in upload.cost_base.lines] == [
        round(12_000 / months, 2)
    ] * 2
    assert (
        f"The header {header} (B) says each amount covers {words}, so each was "
        f"divided by {months} and read as a month's cost. If the amounts are a "
        "year's, rename the header 'Annual cost'."
    ) in messages(upload)


def test_a_price_per_seat_for_a_three_year_term_is_spread_over_36_months():
    upload = read_list(
        [["Software", "Seats", "Price per seat (3-year term)"], ["M365", 100, 1_296]]
    )
    assert errors_of(upload) == []
    # 100 x 1,296 = 129,600 over 36 months = 3,600.00 a month
    assert round(monthly_run_rate(upload), 2) == 3600.00
    assert "covers 3 years, so each was divided by 36" in messages(upload)


def test_a_semi_annual_csv_is_divided_by_six():
    upload = read_upload(b"Item;Semi-annual cost\r\nZoom;6000\r\n", "c.csv")
    # 6,000 / 6 = 1,000.00 a month
    assert round(monthly_run_rate(upload), 2) == 1000.00


@pytest.mark.parametrize(
    ("header", "said"), [("Annual cost x3", "x3"), ("Annual cost / 12", "/ 12")]
)
def test_arithmetic_on_a_period_in_the_header_is_asked_about(header, said):
    upload = read_list([["Item", header], ["Zoom", 12_000]])
    assert upload.cost_base is None
    [problem] = errors_of(upload)
    assert problem.choice is not None  # the period question, as for 'Cost'
    assert problem.message == (
        f"The header {header} (B) says '{said}', so it is not clear what one amount "
        "covers. Say whether these amounts are a month, a quarter or a year: rename "
        f"the header {header} (B) to 'Annual cost', 'Monthly cost' or 'Quarterly "
        "cost', or add a Period column."
    )


@pytest.mark.parametrize(
    ("header", "monthly"),
    [("Annual cost", 1000.0), ("FY26/27 budget", 1000.0), ("Cost (12 months)", 1000.0)],
)
def test_a_years_amount_is_still_a_year(header, monthly):
    upload = read_list([["Item", header], ["Zoom", 12_000]])
    assert errors_of(upload) == []
    # 12,000 / 12 = 1,000.00
    assert round(monthly_run_rate(upload), 2) == monthly
    assert "covers" not in messages(upload)


# Scales said in more ways: each is applied, and the warning says how.


@pytest.mark.parametrize(
    ("header", "words", "effect", "monthly"),
    [
        # (12 + 24) x scale / 12
        ("Annual cost in 000s", "thousands", "multiplied by 1,000", 3_000.00),
        ("Annual cost (x1000)", "thousands", "multiplied by 1,000", 3_000.00),
        ("Annual cost (×1,000)", "thousands", "multiplied by 1,000", 3_000.00),
        ("Annual cost (MUSD)", "millions", "multiplied by 1,000,000", 3_000_000.00),
        ("Annual cost (MEUR)", "millions", "multiplied by 1,000,000", 3_000_000.00),
        (
            "Annual cost ($ bn)",
            "billions",
            "multiplied by 1,000,000,000",
            3_000_000_000.00,
        ),
        ("Annual cost (in 100s)", "hundreds", "multiplied by 100", 300.00),
        ("Annual cost (lakhs)", "lakhs", "multiplied by 100,000", 300_000.00),
        ("Annual cost (cents)", "cents", "divided by 100", 0.03),
    ],
)
def test_a_scale_in_the_amount_header_is_applied(header, words, effect, monthly):
    upload = read_list([["Item", header], ["Zoom", 12], ["Slack", 24]])
    assert errors_of(upload) == []
    assert round(monthly_run_rate(upload), 2) == monthly
    assert [
        issue.message for issue in warnings_of(upload) if "read in" in issue.message
    ] == [
        f"The amounts in {header} (B) are read in {words}, as the header says: each "
        f"was {effect}."
    ]


@pytest.mark.parametrize("title", ["Amounts x 1,000", "(000s omitted)"])
def test_a_scale_in_a_title_row_is_applied_and_named(title):
    upload = read_list([[title], ["Item", "Annual cost"], ["Zoom", 12], ["Slack", 24]])
    # (12,000 + 24,000) / 12 = 3,000.00
    assert round(monthly_run_rate(upload), 2) == 3000.00
    assert (
        "The amounts in Annual cost (B) are read in thousands, as the title above "
        f"the list says ('{title}'): each was multiplied by 1,000."
    ) in messages(upload)


def test_a_scale_beside_the_header_is_applied_like_a_title():
    upload = read_list(
        [["Item", "Annual cost", None, "amounts in $000"], ["Zoom", 12], ["Slack", 24]]
    )
    # (12,000 + 24,000) / 12 = 3,000.00
    assert round(monthly_run_rate(upload), 2) == 3000.00
    assert (
        "The amounts in Annual cost (B) are read in thousands, as 'amounts in $000' "
        "beside the header says: each was multiplied by 1,000."
    ) in messages(upload)
    assert "was not read" not in messages(upload)


def test_a_heading_beside_the_header_over_figures_is_no_scale():
    upload = read_list(
        [
            ["Item", "Annual cost", "In $000"],
            ["Zoom", 12_000, 12],
            ["Slack", 24_000, 24],
        ]
    )
    # the column has figures of its own: (12,000 + 24,000) / 12 = 3,000.00
    assert round(monthly_run_rate(upload), 2) == 3000.00
    assert "In $000 (C) was not read" in messages(upload)


# Two amount columns for the same period: the budget, the later year, the
# visible one. Zoom 10,000 / 12,000 and Slack 20,000 / 24,000 a year:
# (10,000 + 20,000) / 12 = 2,500.00, (12,000 + 24,000) / 12 = 3,000.00.


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("FY26 actual", "FY27 budget", "a budget or forecast is read before actuals"),
        (
            "Annual cost actual",
            "Annual cost forecast",
            "a budget or forecast is read before actuals",
        ),
        ("Annual cost 2026", "Annual cost 2027", "it is the later year"),
        ("Annual cost actual", "Annual cost", "Annual cost actual (B) holds actuals"),
    ],
)
def test_of_two_amount_columns_the_budget_or_later_year_is_read(first, second, why):
    upload = read_list(
        [["Item", first, second], ["Zoom", 10_000, 12_000], ["Slack", 20_000, 24_000]]
    )
    assert errors_of(upload) == []
    assert [line.amount for line in upload.cost_base.lines] == [12_000, 24_000]
    assert round(monthly_run_rate(upload), 2) == 3000.00
    assert (
        f"{second} (C) was read as each line's amount, not {first} (B), since {why}. "
        f"If {first} (B) is the one to use, move the other column off the sheet."
    ) in messages(upload)


def test_a_budget_before_actuals_is_kept_without_a_word():
    upload = read_list(
        [["Item", "FY27 budget", "FY26 actual"], ["Zoom", 12_000, 10_000]]
    )
    # 12,000 / 12 = 1,000.00
    assert round(monthly_run_rate(upload), 2) == 1000.00
    assert "was read as each line's amount" not in messages(upload)


def test_a_hidden_amount_column_is_not_read_over_a_visible_one():
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget"
    for row in [
        ["Item", "Annual cost FY27", "Annual cost FY26"],
        ["Zoom", 10_000, 12_000],
        ["Slack", 20_000, 24_000],
    ]:
        sheet.append(row)
    sheet.column_dimensions["B"].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    upload = read_upload(buffer.getvalue(), "budget.xlsx")
    # the visible FY26 column: (12,000 + 24,000) / 12 = 3,000.00
    assert round(monthly_run_rate(upload), 2) == 3000.00
    assert (
        "Annual cost FY26 (C) was read as each line's amount, not Annual cost FY27 "
        "(B), since Annual cost FY27 (B) is hidden."
    ) in messages(upload)


def test_months_read_as_amount_columns_are_no_choice_of_years():
    upload = read_list([["Item", "Jan (FY26)", "Jan (FY27)"], ["Zoom", 12_000, 18_000]])
    # left to the month-grid reading: the first column, as before
    assert [line.amount for line in upload.cost_base.lines] == [12_000]
    assert "was read as each line's amount" not in messages(upload)


def test_an_amount_header_starting_like_a_month_is_still_a_choice():
    upload = read_list(
        [["Item", "Marketing cost FY26", "Marketing cost FY27"], ["Ads", 12, 24]]
    )
    # 24 / 12 = 2.00
    assert round(monthly_run_rate(upload), 2) == 2.00
    assert "since it is the later year" in messages(upload)
