"""Cost lists whose columns or rows could be misread: a number column named
for a period beside the cost, cost-centre codes, headers naming a span or a
scale in other words, deductions and discounts, 'Net' totals and costs
written below zero."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import errors_of, warnings_of, xlsx_bytes


def read_list(rows: list[list[object]]):
    return read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")


def monthly_run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def messages(issues) -> str:
    return "\n".join(issue.message for issue in issues)


# A column of years, months, counts or rates to the left of the cost is not
# the amount: the column that names money is.


@pytest.mark.parametrize(
    ("header", "first", "second", "cost"),
    [
        ("Year", 2026, 2026, "Annual cost"),
        ("Budget year", 2026, 2026, "Annual cost"),
        ("Annual increase %", 0.05, 0.03, "Annual cost"),
        ("Yearly growth", 3, 5, "Annual cost"),
        ("Annual uplift", 360, 720, "Annual cost"),
        ("Billing month", 3, 9, "Annual cost"),
    ],
)
def test_a_period_named_column_beside_an_annual_cost_is_not_the_amount(
    header, first, second, cost
):
    upload = read_list(
        [["Item", header, cost], ["A", first, 12000], ["B", second, 24000]]
    )

    assert not errors_of(upload)
    # (12,000 + 24,000) / 12 = 3,000 a month, not the second column's numbers
    assert monthly_run_rate(upload) == pytest.approx(3000, abs=0.005)
    assert f"{header} (B) was not read" in messages(warnings_of(upload))


@pytest.mark.parametrize(
    ("header", "first", "second", "cost", "amounts"),
    [
        ("Start month", 1, 4, "Monthly cost", (1000, 2000)),
        ("Monthly users", 100, 200, "Monthly cost", (1000, 2000)),
        ("Monthly hours", 10, 20, "Monthly cost", (1000, 2000)),
        ("Quarter", 1, 2, "Quarterly cost", (3000, 6000)),
    ],
)
def test_a_count_or_a_period_number_beside_a_cost_is_not_the_amount(
    header, first, second, cost, amounts
):
    upload = read_list(
        [["Item", header, cost], ["A", first, amounts[0]], ["B", second, amounts[1]]]
    )

    assert not errors_of(upload)
    # monthly 1,000 + 2,000 = 3,000; quarterly (3,000 + 6,000) / 3 = 3,000
    assert monthly_run_rate(upload) == pytest.approx(3000, abs=0.005)
    assert f"{header} (B) was not read" in messages(warnings_of(upload))


def test_a_period_only_header_still_reads_when_no_column_names_money():
    upload = read_list([["Item", "Annual"], ["A", 12000], ["B", 24000]])

    assert not errors_of(upload)
    # (12,000 + 24,000) / 12 = 3,000
    assert monthly_run_rate(upload) == pytest.approx(3000, abs=0.005)


def test_a_cost_beside_a_period_only_column_is_read_and_checked_against_it():
    upload = read_list(
        [["Item", "Annual", "Monthly cost"], ["A", 12000, 1000], ["B", 24000, 2000]]
    )

    assert not errors_of(upload)
    # Monthly cost is the amount: 1,000 + 2,000 = 3,000; Annual / 12 agrees
    assert monthly_run_rate(upload) == pytest.approx(3000, abs=0.005)
    assert "not read" not in messages(warnings_of(upload))


# Cost centres, codes and types name a line's place, not its cost.


@pytest.mark.parametrize(
    "header",
    [
        "Cost centre",
        "Cost center",
        "Cost code",
        "Cost element",
        "Cost object",
        "Cost centre owner",
    ],
)
def test_a_cost_centre_or_code_column_is_not_the_amount(header):
    upload = read_list(
        [["Item", header, "Annual cost"], ["A", 4100, 12000], ["B", 4200, 24000]]
    )

    assert not errors_of(upload)
    # (12,000 + 24,000) / 12 = 3,000, not the codes (4,100 + 4,200) / 12 = 691.67
    assert monthly_run_rate(upload) == pytest.approx(3000, abs=0.005)
    assert f"{header} (B) was not read" in messages(warnings_of(upload))


def test_a_cost_category_is_each_lines_category_not_its_amount():
    upload = read_list(
        [
            ["Item", "Cost category", "Annual cost"],
            ["A", "Software", 12000],
            ["B", "Services", 24000],
        ]
    )

    assert not errors_of(upload)
    # (12,000 + 24,000) / 12 = 3,000
    assert monthly_run_rate(upload) == pytest.approx(3000, abs=0.005)
    assert [line.notes for line in upload.cost_base.lines] == [
        "Category: Software",
        "Category: Services",
    ]


def test_a_cost_centre_budget_is_an_amount():
    upload = read_list([["Item", "Cost centre budget"], ["A", 12000], ["B", 24000]])

    # No period in the header: the user is asked for one, the column is read.
    assert "Cost centre budget (B)" in messages(errors_of(upload))
    assert "month, a quarter or a year" in messages(errors_of(upload))


# Amount headers that name their span in other words.


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("12-month cost", 300),  # (1,200 + 2,400) / 12
        ("12 month cost", 300),
        ("Twelve-month cost", 300),
        ("12-mo cost", 300),
        ("3-month cost", 1200),  # (1,200 + 2,400) / 3
        ("1-month cost", 3600),  # 1,200 + 2,400
    ],
)
def test_a_header_naming_a_month_quarter_or_year_in_months(header, expected):
    upload = read_list([["Item", header], ["A", 1200], ["B", 2400]])

    assert not errors_of(upload)
    assert monthly_run_rate(upload) == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize(
    ("header", "expected", "words"),
    [
        ("Six-monthly cost", 600, "6 months"),  # (1,200 + 2,400) / 6
        ("Cost (6-monthly)", 600, "6 months"),
        ("Cost twice a year", 600, "a half-year"),
        ("Cost every other month", 1800, "2 months"),  # (1,200 + 2,400) / 2
    ],
)
def test_a_header_naming_another_span_divides_by_its_months(header, expected, words):
    upload = read_list([["Item", header], ["A", 1200], ["B", 2400]])

    assert not errors_of(upload)
    assert monthly_run_rate(upload) == pytest.approx(expected, abs=0.005)
    assert f"The header {header} (B) says each amount covers {words}" in messages(
        warnings_of(upload)
    )


def test_a_header_saying_a_period_and_a_term_is_asked_about():
    upload = read_list([["Item", "Annual cost (3 yrs)"], ["A", 1200], ["B", 2400]])

    assert upload.cost_base is None
    assert (
        "The header Annual cost (3 yrs) (B) says both 'Annual' and '3 yrs'"
        in messages(errors_of(upload))
    )


# Thousands said in other words.


@pytest.mark.parametrize(
    "header",
    [
        "Annual cost in K",
        "Annual cost (Th USD)",
        "Annual cost (T€)",
        "Annual cost (in k)",
        "Annual cost Th. EUR",
    ],
)
def test_thousands_said_in_other_words(header):
    upload = read_list([["Item", header], ["A", 12], ["B", 24]])

    assert not errors_of(upload)
    # (12 + 24) x 1,000 / 12 = 3,000
    assert monthly_run_rate(upload) == pytest.approx(3000, abs=0.005)
    assert f"{header} (B) are read in thousands" in messages(warnings_of(upload))


# Deductions and discounts.


def test_a_less_line_written_positive_is_taken_off():
    upload = read_list(
        [
            ["Item", "Annual cost"],
            ["A", 12000],
            ["B", 24000],
            ["Less: volume discount", 1200],
        ]
    )

    assert not errors_of(upload)
    # (12,000 + 24,000 - 1,200) / 12 = 34,800 / 12 = 2,900
    assert monthly_run_rate(upload) == pytest.approx(2900, abs=0.005)
    assert (
        "'Less: volume discount' in row 4 starts with 'Less', so its 1,200.00 was "
        "taken off the costs, not added: 36,000.00 above it less 1,200.00 makes "
        "34,800.00. Write it as a negative amount"
    ) in messages(warnings_of(upload))


def test_a_less_line_written_negative_is_read_as_written():
    upload = read_list(
        [["Item", "Annual cost"], ["A", 12000], ["B", 24000], ["Less: credit", -1200]]
    )

    # (12,000 + 24,000 - 1,200) / 12 = 2,900, with nothing to say
    assert monthly_run_rate(upload) == pytest.approx(2900, abs=0.005)
    assert "Less" not in messages(warnings_of(upload))


def test_a_less_line_under_a_total_that_takes_it_off_is_not_a_difference():
    upload = read_list(
        [
            ["Item", "Annual cost"],
            ["A", 12000],
            ["B", 24000],
            ["Less: volume discount", 1200],
            ["Total", 34800],
        ]
    )

    # 12,000 + 24,000 - 1,200 = 34,800, the total: 34,800 / 12 = 2,900
    assert monthly_run_rate(upload) == pytest.approx(2900, abs=0.005)
    assert "difference" not in messages(warnings_of(upload))


@pytest.mark.parametrize(
    "item",
    [
        "Discount",
        "Volume rebate",
        "Refund",
        "Credit",
        "Recharge to business units",
        "Chargeback to Sales",
        "Cost recovery",
    ],
)
def test_a_discount_written_positive_is_added_with_a_warning(item):
    upload = read_list(
        [["Item", "Annual cost"], ["A", 12000], ["B", 24000], [item, 1200]]
    )

    # Counted as written: (12,000 + 24,000 + 1,200) / 12 = 3,100
    assert monthly_run_rate(upload) == pytest.approx(3100, abs=0.005)
    assert (
        f"'{item}' in row 4 is 1,200.00, written positive, so it was added to the "
        "costs. If it reduces the cost, write it as a negative amount."
    ) in messages(warnings_of(upload))


def test_a_discount_written_negative_and_a_credit_card_fee_say_nothing():
    upload = read_list(
        [
            ["Item", "Annual cost"],
            ["A", 12000],
            ["Credit card fees", 2400],
            ["Discount", -1200],
        ]
    )

    # (12,000 + 2,400 - 1,200) / 12 = 13,200 / 12 = 1,100
    assert monthly_run_rate(upload) == pytest.approx(1100, abs=0.005)
    assert "written positive" not in messages(warnings_of(upload))


# 'Net' rows that add up the lines and credits above them are totals.


@pytest.mark.parametrize("name", ["Net IT cost", "Net total", "Net cost"])
def test_a_net_row_adding_up_the_lines_above_is_a_total(name):
    upload = read_list(
        [
            ["Item", "Annual cost"],
            ["A", 12000],
            ["B", 24000],
            ["Recharge to BUs", -6000],
            [name, 30000],
        ]
    )

    assert not errors_of(upload)
    # (12,000 + 24,000 - 6,000) / 12 = 30,000 / 12 = 2,500; the Net row not counted
    assert monthly_run_rate(upload) == pytest.approx(2500, abs=0.005)
    assert len(upload.cost_base.lines) == 3


def test_a_gross_and_a_net_row_are_both_totals():
    upload = read_list(
        [
            ["Item", "Annual cost"],
            ["A", 12000],
            ["B", 24000],
            ["Gross", 36000],
            ["Recharge to business units", -6000],
            ["Net IT cost", 30000],
        ]
    )

    # 12,000 + 24,000 - 6,000 = 30,000 a year, 2,500 a month
    assert monthly_run_rate(upload) == pytest.approx(2500, abs=0.005)
    assert "'Net IT cost' adds up the lines above it" in messages(warnings_of(upload))


def test_a_net_line_that_adds_nothing_up_is_a_cost():
    upload = read_list(
        [["Item", "Annual cost"], ["A", 12000], ["B", 24000], ["Network fees", 6000]]
    )

    # 'Network' is no 'Net': (12,000 + 24,000 + 6,000) / 12 = 3,500
    assert monthly_run_rate(upload) == pytest.approx(3500, abs=0.005)
    assert "total" not in messages(warnings_of(upload)).casefold()


# Costs written below zero, a P&L's sign, are refused.


def test_a_list_of_negative_costs_is_refused():
    upload = read_list([["Item", "Annual cost"], ["A", -12000], ["B", -24000]])

    assert upload.cost_base is None
    # (-12,000 - 24,000) / 12 = -3,000 a month
    assert (
        "The lines add up to -3,000.00 a month, below zero: 2 of the 2 are negative "
        "(-3,000.00 a month). Costs appear to be written as negative amounts"
    ) in messages(errors_of(upload))
    assert "Write each cost as a positive amount" in messages(errors_of(upload))


def test_a_grid_of_negative_months_is_refused():
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    months += ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    upload = read_list([["Item", *months], ["A", *[-100] * 12], ["B", *[-200] * 12]])

    assert upload.cost_base is None
    # -100 - 200 = -300 a month
    assert "The lines add up to -300.00 a month, below zero" in messages(
        errors_of(upload)
    )


def test_a_few_credits_under_a_positive_total_are_fine():
    upload = read_list(
        [
            ["Item", "Annual cost"],
            ["A", 12000],
            ["B", 24000],
            ["Vendor credit", -1200],
            ["Refund", -600],
        ]
    )

    assert not errors_of(upload)
    # (12,000 + 24,000 - 1,200 - 600) / 12 = 34,200 / 12 = 2,850
    assert monthly_run_rate(upload) == pytest.approx(2850, abs=0.005)


def test_of_a_period_only_column_and_a_cost_for_the_same_period_the_cost_is_read():
    upload = read_list(
        [["Item", "Annual", "Annual cost"], ["A", 11000, 12000], ["B", 23000, 24000]]
    )

    assert not errors_of(upload)
    # (12,000 + 24,000) / 12 = 3,000, not (11,000 + 23,000) / 12 = 2,833.33
    assert monthly_run_rate(upload) == pytest.approx(3000, abs=0.005)
    assert (
        "Annual cost (C) was read as each line's amount, not Annual (B), since "
        "Annual (B) names only a period, not a cost."
    ) in messages(warnings_of(upload))
