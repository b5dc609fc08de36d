"""Billing words the model has no period for ('Half-yearly', 'every 2 years',
'36 months'): each amount becomes a month's cost of amount / months, one
warning per sheet shows the sums, and words read two ways are asked about."""

from __future__ import annotations

import pytest

from cpsu.costs import Period
from cpsu.ingest import read_upload
from tests.ingest_fixtures import (
    canonical_bytes,
    cost_row,
    errors_of,
    issue_at,
    warnings_of,
    xlsx_bytes,
)


def read_list(rows: list[list[object]]):
    return read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")


def monthly(upload) -> list[float]:
    return [round(line.monthly_rate, 2) for line in upload.cost_base.lines]


def cycle_warnings(upload) -> list[str]:
    return [
        issue.message
        for issue in warnings_of(upload)
        if "billing cycle" in issue.message
    ]


@pytest.mark.parametrize(
    ("word", "months"),
    [
        ("Half-yearly", 6),
        ("Semi-annual", 6),
        ("every 6 months", 6),
        ("Twice a year", 6),
        ("Biennial", 24),
        ("every 2 years", 24),
        ("3-year term", 36),
        ("36 months", 36),
        ("every 2 months", 2),
        ("2 quarters", 6),
    ],
)
def test_a_billing_cycle_in_the_period_column_is_read_as_a_month(word, months):
    upload = read_list([["Item", "Cost", "Period"], ["Laptops", 7_200, word]])
    assert errors_of(upload) == []
    [line] = upload.cost_base.lines
    # 7,200 / 6 = 1,200.00; / 24 = 300.00; / 36 = 200.00; / 2 = 3,600.00
    assert line.period is Period.MONTH
    assert round(line.amount, 2) == round(7_200 / months, 2)
    assert line.notes.startswith("Billed 7,200.00 every ")
    assert len(cycle_warnings(upload)) == 1


def test_one_warning_names_every_row_its_word_and_the_arithmetic():
    upload = read_list(
        [
            ["Item", "Cost", "Period"],
            ["Laptops", 6_000, "Half-yearly"],
            ["M365", 1_000, "Monthly"],
            ["Firewall", 9_000, "36 months"],
            ["Cleaning", 150, "Twice a month"],
        ]
    )
    assert errors_of(upload) == []
    # 6,000 / 6 = 1,000.00; 1,000 a month; 9,000 / 36 = 250.00; 150 x 2 = 300.00
    assert monthly(upload) == [1_000.00, 1_000.00, 250.00, 300.00]
    # 1,000 + 1,000 + 250 + 300 = 2,550.00
    assert round(sum(monthly(upload)), 2) == 2_550.00
    [message] = cycle_warnings(upload)
    assert message == (
        "Period (C) of 3 lines says a billing cycle other than a month, a quarter "
        "or a year, so each amount was converted to a month's cost: 'Laptops' "
        "(row 2) says 'Half-yearly': 6,000.00 every 6 months was read as 1,000.00 "
        "a month (6,000.00 / 6); 'Firewall' (row 4) says '36 months': 9,000.00 "
        "every 36 months was read as 250.00 a month (9,000.00 / 36); 'Cleaning' "
        "(row 5): 150.00 twice a month was read as 300.00 a month (150.00 x 2). "
        "Each line's note keeps the amount as billed. If a line is billed "
        "otherwise, write Month, Quarter or Year in its cell."
    )
    assert issue_at(upload, "Budget", None, "Period (C)").message == message
    assert upload.cost_base.lines[0].notes == "Billed 6,000.00 every 6 months"


@pytest.mark.parametrize(
    ("word", "period"),
    [("every 3 months", Period.QUARTER), ("12 months", Period.YEAR)],
)
def test_a_cycle_of_a_quarter_or_a_year_is_that_period_without_a_warning(word, period):
    upload = read_list([["Item", "Cost", "Period"], ["Zoom", 1_200, word]])
    assert upload.cost_base.lines[0].period is period
    assert cycle_warnings(upload) == []


@pytest.mark.parametrize(
    ("word", "one", "other"),
    [
        ("Bi-monthly", "every 2 months", "twice a month"),
        ("Bimonthly", "every 2 months", "twice a month"),
        ("Biannual", "every 6 months", "every 2 years"),
        ("Bi-annually", "every 6 months", "every 2 years"),
    ],
)
def test_a_word_read_two_ways_is_asked_about(word, one, other):
    upload = read_list([["Item", "Cost", "Period"], ["Zoom", 600, word]])
    assert upload.cost_base is None
    [problem] = errors_of(upload)
    assert (problem.sheet, problem.row, problem.column) == ("Budget", 2, "Period (C)")
    assert problem.message == (
        f"Period (C) is '{word}', which some mean as {one} and others as {other}; "
        f"write '{one}' or '{other}' (or Month, Quarter or Year)."
    )


def test_a_word_that_says_no_period_is_still_refused():
    upload = read_list([["Item", "Cost", "Period"], ["Zoom", 600, "Fortnightly"]])
    assert upload.cost_base is None
    [problem] = errors_of(upload)
    assert problem.message == (
        "Period (C) is 'Fortnightly', which is not a period; use one of Month, "
        "Quarter, Year, or say how often it is billed, like 'every 6 months'."
    )


def test_a_cycle_against_a_header_that_says_a_year_is_refused():
    upload = read_list([["Item", "Annual cost", "Period"], ["Zoom", 600, "Biennial"]])
    assert upload.cost_base is None
    [problem] = errors_of(upload)
    assert problem.message.startswith(
        "Period (C) says Biennial but the header Annual cost (B) says the amounts "
        "are a year's"
    )


def test_a_csv_reads_the_same_words():
    upload = read_upload(
        b"Item,Cost,Billing\r\nLaptops,4800,every 2 years\r\nZoom,50,Monthly\r\n",
        "costs.csv",
    )
    assert errors_of(upload) == []
    # 4,800 / 24 = 200.00 a month, and 50.00 a month: 250.00
    assert monthly(upload) == [200.00, 50.00]
    [message] = cycle_warnings(upload)
    assert "'Laptops' (row 2): 4,800.00 every 2 years was read as 200.00" in message


# The same words in an amount header.


@pytest.mark.parametrize(
    ("header", "months", "words"),
    [
        ("Half-year cost", 6, "a half-year"),
        ("Cost per 6 months", 6, "6 months"),
        ("3-year cost", 36, "3 years"),
        ("Biennial cost", 24, "2 years"),
        ("Cost every 2 months", 2, "2 months"),
    ],
)
def test_a_header_that_says_a_cycle_divides_by_its_months(header, months, words):
    upload = read_list([["Item", header], ["Laptops", 7_200]])
    assert errors_of(upload) == []
    # 7,200 / 6 = 1,200.00; / 36 = 200.00; / 24 = 300.00; / 2 = 3,600.00
    assert monthly(upload) == [round(7_200 / months, 2)]
    assert issue_at(upload, "Budget", 1, f"{header} (B)").message == (
        f"The header {header} (B) says each amount covers {words}, so each was "
        f"divided by {months} and read as a month's cost. If the amounts are a "
        "year's, rename the header 'Annual cost'."
    )


@pytest.mark.parametrize(
    ("header", "word", "one", "other"),
    [
        ("Bi-monthly cost", "Bi-monthly", "every 2 months", "twice a month"),
        ("Bi-annual cost", "Bi-annual", "every 6 months", "every 2 years"),
        ("Biannual spend", "Biannual", "every 6 months", "every 2 years"),
    ],
)
def test_a_header_read_two_ways_is_asked_about(header, word, one, other):
    # Before, 'Bi-monthly cost' was read as a month's cost and 'Bi-annual
    # cost' as a half-year's, both without a word to the user.
    upload = read_list([["Item", header], ["Zoom", 600]])
    assert upload.cost_base is None
    [problem] = errors_of(upload)
    assert (problem.row, problem.column) == (1, f"{header} (B)")
    assert problem.message == (
        f"The header {header} (B) says '{word}', which some mean as {one} and "
        f"others as {other}, so what one amount covers cannot be told. Rename the "
        f"header to say which, like 'Cost {one}', or add a Period column saying "
        f"'{one}' or '{other}' on each line."
    )


# The template's Costs sheet.


def test_the_costs_sheet_reads_a_cycle_for_the_price_its_period_applies_to():
    upload = read_upload(
        canonical_bytes(
            [
                cost_row(
                    "Laptops", "Other", "Fixed", amount=6_000, period="Half-yearly"
                ),
                cost_row(
                    "M365",
                    "Productivity software",
                    "Per user",
                    unit_cost=72,
                    period="every 2 years",
                ),
                cost_row(
                    "Escalations",
                    "Tier 2",
                    "Per ticket",
                    unit_cost=5,
                    tier="Tier 2",
                    period="Biennial",
                ),
            ]
        ),
        "costs.xlsx",
    )
    assert errors_of(upload) == []
    laptops, m365, escalations = upload.cost_base.lines
    # 6,000 / 6 = 1,000.00 a month; 72 / 24 = 3.00 a user a month
    assert (round(laptops.amount, 2), laptops.period) == (1_000.00, Period.MONTH)
    assert (round(m365.unit_cost, 2), m365.period) == (3.00, Period.MONTH)
    assert m365.notes == "Billed 72.00 every 2 years"
    # A ticket's price has no period: 5.00 a ticket, as written
    assert escalations.unit_cost == 5
    [message] = cycle_warnings(upload)
    assert message == (
        "Period (E) of 2 lines says a billing cycle other than a month, a quarter "
        "or a year, so each amount was converted to a month's cost: 'Laptops' "
        "(row 2) says 'Half-yearly': 6,000.00 every 6 months was read as 1,000.00 "
        "a month (6,000.00 / 6); 'M365' (row 3): 72.00 every 2 years was read as "
        "3.00 a month (72.00 / 24). Each line's note keeps the amount as billed. If "
        "a line is billed otherwise, write Month, Quarter or Year in its cell."
    )


def test_the_costs_sheet_asks_about_a_word_read_two_ways():
    upload = read_upload(
        canonical_bytes(
            [cost_row("Laptops", "Other", "Fixed", amount=600, period="Bi-monthly")]
        ),
        "costs.xlsx",
    )
    assert upload.cost_base is None
    assert issue_at(upload, "Costs", 2, "Period (E)").message == (
        "Period (E) is 'Bi-monthly', which some mean as every 2 months and others "
        "as twice a month; write 'every 2 months' or 'twice a month' (or Month, "
        "Quarter or Year)."
    )


HEADER = ["Item", "Amount", "Period"]


def said_about(upload, name: str) -> list[str]:
    return [
        issue.message for issue in warnings_of(upload) if f"'{name}'" in issue.message
    ]


def test_a_total_above_lines_of_a_billing_cycle_is_still_found():
    # IT costs 3,000 a month over Laptops 6,000 every 6 months (1,000 a month)
    # and Zoom 2,000 a month: 1,000 + 2,000 = 3,000, so IT costs is their
    # total written above them; counting it would read 6,000.
    upload = read_list(
        [
            HEADER,
            ["IT costs", 3_000, "Month"],
            ["Laptops", 6_000, "Half-yearly"],
            ["Zoom", 2_000, "Month"],
        ]
    )
    assert errors_of(upload) == []
    assert monthly(upload) == [1_000.00, 2_000.00]
    assert any(
        "'IT costs' is the sum of all the lines below it" in issue.message
        for issue in warnings_of(upload)
    )


def test_headings_over_lines_of_a_billing_cycle_are_still_found():
    # Hardware 3,000 = Laptops 6,000 / 6 + Mice 2,000; Software 500 = 200 + 300:
    # the lines make 1,000 + 2,000 + 200 + 300 = 3,500 a month.
    upload = read_list(
        [
            HEADER,
            ["Hardware", 3_000, "Month"],
            ["Laptops", 6_000, "Half-yearly"],
            ["Mice", 2_000, "Month"],
            ["Software", 500, "Month"],
            ["Zoom", 200, "Month"],
            ["Jira", 300, "Month"],
        ]
    )
    assert errors_of(upload) == []
    assert round(sum(monthly(upload)), 2) == 3_500.00
    assert len(upload.cost_base.lines) == 4


@pytest.mark.parametrize(
    ("first", "total", "period"),
    [
        (["Laptops", 6_000, "Half-yearly"], 3_000, "Month"),  # 1,000 + 2,000
        (["Laptops", 12_000, "Year"], 3_000, "Month"),  # 12,000 / 12 + 2,000
        (["Laptops", 12_000, "Year"], 36_000, "Year"),  # 12,000 + 2,000 x 12
        (["Laptops", 12_000, "Year"], 14_000, ""),  # as written: 12,000 + 2,000
        (["Laptops", 12_000, "Year"], 3_000, ""),  # a month's, unsaid
    ],
)
def test_a_total_of_lines_in_different_periods_is_checked_in_its_own(
    first, total, period
):
    upload = read_list(
        [HEADER, first, ["Zoom", 2_000, "Month"], ["Total", total, period]]
    )
    assert errors_of(upload) == []
    assert round(sum(monthly(upload)), 2) == 3_000.00  # 1,000 + 2,000
    assert said_about(upload, "Total") == []


def test_a_total_of_lines_in_different_periods_that_disagrees_is_warned():
    # Laptops 12,000 a year (1,000 a month) + Zoom 2,000 a month = 3,000 a
    # month, 36,000 a year, 14,000 as written: 2,500 a month is none of them.
    upload = read_list(
        [
            HEADER,
            ["Laptops", 12_000, "Year"],
            ["Zoom", 2_000, "Month"],
            ["Total", 2_500, "Month"],
        ]
    )
    assert round(sum(monthly(upload)), 2) == 3_000.00
    [message] = said_about(upload, "Total")
    assert "says 2,500.00" in message


@pytest.mark.parametrize(
    "header",
    ["Cost twice a month", "Semi-monthly cost", "Cost (twice monthly)", "Half-monthly"],
)
def test_an_amount_header_of_half_a_month_is_asked_about_not_read_as_a_month(header):
    # 150 twice a month is 300 a month: reading the header's 'month' alone
    # would halve the cost, so the user is asked what the amounts cover.
    upload = read_list([["Item", header], ["Cleaning", 150]])
    assert upload.cost_base is None
    [error] = errors_of(upload)
    assert error.message.startswith("Say whether these amounts are a month")
    assert header in error.message
