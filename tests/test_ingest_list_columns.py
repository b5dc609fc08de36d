"""Cost lists whose amount column must be chosen: prices per seat beside a
line's cost, seats times a price, and amounts stated in thousands."""

from __future__ import annotations

import pytest

from cpsu.costs import Period
from cpsu.ingest import read_upload
from tests.ingest_fixtures import errors_of, warnings_of, xlsx_bytes


def read_list(rows: list[list[object]], sheet: str = "Licences"):
    return read_upload(xlsx_bytes({sheet: rows}), "licences.xlsx")


def monthly_run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def messages(upload) -> str:
    return "\n".join(issue.message for issue in upload.issues)


# A line's cost beside its price per seat: the cost is the line's amount.


@pytest.mark.parametrize(
    "rows",
    [
        [
            ["Licence", "Seats", "Monthly cost per seat", "Monthly cost"],
            ["M365 E3", 100, 36, 3600],
            ["Zoom", 20, 15, 300],
        ],
        [
            ["Licence", "Seats", "Unit price (monthly)", "Total"],
            ["M365 E3", 100, 36, 3600],
            ["Zoom", 20, 15, 300],
        ],
        [
            ["Licence", "Seats", "Price per seat / month", "Monthly total"],
            ["M365 E3", 100, 36, 3600],
            ["Zoom", 20, 15, 300],
        ],
        [
            ["Licence", "Monthly total", "Seats", "Price per seat"],
            ["M365 E3", 3600, 100, 36],
            ["Zoom", 300, 20, 15],
        ],
    ],
)
def test_a_lines_cost_is_read_over_its_price_per_seat(rows):
    upload = read_list(rows)
    assert not errors_of(upload)
    # 3,600 + 300 a month, not the prices 36 + 15
    assert monthly_run_rate(upload) == pytest.approx(3900)
    assert [line.amount for line in upload.cost_base.lines] == [3600, 300]
    assert "not read" not in messages(upload)


def test_an_annual_cost_beside_an_annual_price_per_licence():
    upload = read_list(
        [
            ["Licence", "Licences", "Cost per licence per year", "Annual cost"],
            ["M365 E3", 100, 432, 43200],
            ["Zoom", 20, 180, 3600],
        ]
    )
    # (43,200 + 3,600) / 12 = 3,900 a month
    assert monthly_run_rate(upload) == pytest.approx(3900)
    assert {line.period for line in upload.cost_base.lines} == {Period.YEAR}


def test_seats_times_price_that_differs_from_the_cost_is_warned_by_row():
    upload = read_list(
        [
            ["Licence", "Seats", "Monthly cost per seat", "Monthly cost"],
            ["M365 E3", 100, 36, 3600],
            ["Zoom", 20, 15, 310],  # 20 x 15 = 300, not 310
        ]
    )
    # the stated costs are used: 3,600 + 310
    assert monthly_run_rate(upload) == pytest.approx(3910)
    found = [issue for issue in warnings_of(upload) if issue.row == 3]
    assert len(found) == 1
    assert found[0].message == (
        "Seats (B) x Monthly cost per seat (C) of 'Zoom' is 20.00 x 15.00 = 300.00, "
        "but Monthly cost (D) says 310.00, a difference of 10.00; Monthly cost (D) "
        "was used. Check the seats, the price or the cost."
    )
    assert not [issue for issue in warnings_of(upload) if issue.row == 2]


def test_seats_and_a_price_alone_make_the_amount_and_say_so_once():
    upload = read_list(
        [
            ["Licence", "Seats", "Monthly price per seat"],
            ["M365 E3", 100, 36],
            ["Zoom", 20, 15],
        ]
    )
    # 100 x 36 + 20 x 15 = 3,600 + 300 = 3,900 a month
    assert monthly_run_rate(upload) == pytest.approx(3900)
    said = [
        issue for issue in warnings_of(upload) if "x Monthly price" in issue.message
    ]
    assert [issue.message for issue in said] == [
        "Each line's amount is Seats (B) x Monthly price per seat (C), since the list "
        "has no column of each line's cost."
    ]


def test_a_price_per_seat_alone_is_refused_not_taken_as_the_cost():
    upload = read_list(
        [["Licence", "Monthly price per seat"], ["M365 E3", 36], ["Zoom", 15]]
    )
    assert upload.cost_base is None
    assert any(
        "Monthly price per seat (B) is a price per seat, licence or user, not what a "
        "line costs" in issue.message
        for issue in errors_of(upload)
    )


def test_an_empty_seat_count_is_an_error_naming_the_row():
    upload = read_list(
        [["Licence", "Seats", "Monthly price per seat"], ["M365", None, 36]]
    )
    assert upload.cost_base is None
    found = [issue for issue in errors_of(upload) if issue.row == 2]
    assert found[0].message == "Seats (B) is empty; enter how many 'M365' there are."


def test_a_quantity_beside_a_lines_cost_is_not_read():
    upload = read_list(
        [["Software", "Qty", "Annual cost"], ["Adobe", 10, 6000], ["Visio", 5, 1500]]
    )
    # (6,000 + 1,500) / 12 = 625 a month
    assert monthly_run_rate(upload) == pytest.approx(625)


# Amounts in thousands or millions.


@pytest.mark.parametrize(
    ("header", "words", "factor"),
    [
        ("Annual cost ($000)", "thousands", 1_000),
        ("Annual $K", "thousands", 1_000),
        ("Annual cost (in thousands)", "thousands", 1_000),
        ("Annual cost (in millions)", "millions", 1_000_000),
        ("Annual cost $m", "millions", 1_000_000),
    ],
)
def test_a_scale_in_the_header_multiplies_the_amounts(header, words, factor):
    upload = read_list([["Item", header], ["M365", 120], ["Zoom", 6]], "Budget")
    # (120 + 6) x factor / 12: 10,500 a month in thousands
    assert monthly_run_rate(upload) == pytest.approx(126 * factor / 12)
    said = [issue.message for issue in warnings_of(upload) if words in issue.message]
    assert said == [
        f"The amounts in {header} (B) are read in {words}, as the header says: "
        f"each was multiplied by {factor:,}."
    ]


def test_a_scale_in_a_title_row_above_the_table_multiplies_the_amounts():
    upload = read_list(
        [
            ["IT budget FY27 (USD thousands)"],
            [],
            ["Item", "Annual cost"],
            ["M365", 120],
            ["Zoom", 6],
            ["Total", 126],
        ],
        "Budget",
    )
    # (120,000 + 6,000) / 12 = 10,500; the total 126 thousand agrees
    assert monthly_run_rate(upload) == pytest.approx(10500)
    assert [
        issue.message for issue in warnings_of(upload) if "thousand" in issue.message
    ] == [
        "The amounts in Annual cost (B) are read in thousands, as the header says: "
        "each was multiplied by 1,000."
    ]
    assert not [issue for issue in warnings_of(upload) if issue.row == 6]


def test_a_grid_in_thousands():
    upload = read_list(
        [["Budget ($000)"], ["Item", "Jan", "Feb", "Mar"], ["M365", 1, 2, 3]],
        "Budget",
    )
    # (1 + 2 + 3) x 1,000 / 3 = 2,000 a month
    assert monthly_run_rate(upload) == pytest.approx(2000)


def test_plain_amounts_are_not_scaled():
    upload = read_list([["Item", "Annual cost (USD)"], ["M365", 1200]], "Budget")
    assert monthly_run_rate(upload) == pytest.approx(100)  # 1,200 / 12
    assert "multiplied" not in messages(upload)


# Seats and two money columns under any headers: the one equal to seats x the
# other on every line is the cost. 100 x 36 = 3,600 and 20 x 15 = 300, so the
# month costs 3,900; read as the price it would be 36 + 15 = 51.


@pytest.mark.parametrize(
    ("price", "cost", "cells"),
    [
        ("Monthly price", "Monthly cost", [(100, 36, 3600), (20, 15, 300)]),
        ("Monthly fee", "Monthly cost", [(100, 36, 3600), (20, 15, 300)]),
        ("Monthly cost", "Monthly total", [(100, 36, 3600), (20, 15, 300)]),
        # 43,200 = 100 x 36 x 12 and 3,600 = 20 x 15 x 12: 46,800 / 12 = 3,900
        ("Monthly price", "Annual cost", [(100, 36, 43200), (20, 15, 3600)]),
    ],
)
def test_the_column_equal_to_seats_times_another_is_the_cost(price, cost, cells):
    rows = [["Licence", "Seats", price, cost]]
    rows += [[name, *row] for name, row in zip(["M365 E3", "Zoom"], cells, strict=True)]
    upload = read_list(rows)
    assert errors_of(upload) == []
    assert monthly_run_rate(upload) == pytest.approx(3900)
    said = messages(upload)
    assert f"{cost} (D) is read as each line's cost" in said
    assert f"Seats (B) x {price} (C), the price per seat" in said
    assert "not read" not in said


def test_the_price_left_of_the_seats_is_found_too():
    upload = read_list(
        [
            ["Licence", "Monthly price", "Seats", "Monthly cost"],
            ["M365 E3", 36, 100, 3600],
            ["Zoom", 15, 20, 300],
        ]
    )
    assert monthly_run_rate(upload) == pytest.approx(3900)
    assert "Seats (C) x Monthly price (B)" in messages(upload)


# Settings below the lines end the list: 12,000 + 1,200 a year is 1,100 a month;
# counting "FX rate 1.1" and "Headcount 250" as annual costs would add
# (1.1 + 250) / 12 = 20.93.


@pytest.mark.parametrize(
    ("tail", "first"),
    [
        ([[None, None], ["FX rate", 1.1], ["Headcount", 250]], "'FX rate' (row 5)"),
        ([["Employees", 250], ["Inflation", 0.03]], "'Employees' (row 4)"),
        ([[None, None], ["Escalation", 0.03]], "'Escalation' (row 5)"),
    ],
)
def test_counts_and_rates_below_the_lines_end_the_list(tail, first):
    rows = [["Item", "Annual cost"], ["M365", 12000], ["Zoom", 1200], *tail]
    upload = read_list(rows)
    assert monthly_run_rate(upload) == pytest.approx(1100)
    assert f"{first} is not a cost but a count or a rate" in messages(upload)


def test_a_small_cost_straight_below_the_lines_is_still_a_line():
    # no blank row above it: 12,000 + 1,200 + 0.6 a year = 1,100.05 a month
    upload = read_list(
        [["Item", "Annual cost"], ["M365", 12000], ["Zoom", 1200], ["Stamp", 0.6]]
    )
    assert monthly_run_rate(upload) == pytest.approx(1100.05)
    assert "count or a rate" not in messages(upload)


# Scales: 120 and 6 a year in thousands are (120,000 + 6,000) / 12 = 10,500 a
# month; in millions 10,500,000; read as dollars they would be 10.50.


@pytest.mark.parametrize(
    ("header", "expected", "words"),
    [
        ("Annual cost (in 000's)", 10500, "thousands"),
        ("Annual cost (K USD)", 10500, "thousands"),
        ("Annual cost (Tsd. EUR)", 10500, "thousands"),
        ("Annual cost (TUSD)", 10500, "thousands"),
        ("Annual cost, k$", 10500, "thousands"),
        ("Annual cost (mn)", 10_500_000, "millions"),
        ("Annual cost (MM)", 10_500_000, "millions"),
    ],
)
def test_more_spellings_of_thousands_and_millions(header, expected, words):
    upload = read_list([["Item", header], ["M365", 120], ["Zoom", 6]], "Budget")
    assert monthly_run_rate(upload) == pytest.approx(expected)
    said = messages(upload)
    assert f"The amounts in {header} (B) are read in {words}" in said
    assert "CPSU is in K" not in said


@pytest.mark.parametrize(
    "title",
    [
        [["IT budget FY27 (USD)"], ["Users supported: 1.35 thousand"]],
        [["IT budget FY27"], ["Amounts in USD; revenue figures elsewhere in $000"]],
    ],
)
def test_scale_words_elsewhere_in_a_title_do_not_multiply(title):
    rows = [*title, [], ["Item", "Annual cost"], ["M365", 120000], ["Zoom", 6000]]
    upload = read_list(rows, "Budget")
    # (120,000 + 6,000) / 12 = 10,500, not 10,500,000
    assert monthly_run_rate(upload) == pytest.approx(10500)
    assert "multiplied by 1,000." not in messages(upload)


def test_a_title_saying_plain_and_scaled_is_not_used_and_said():
    rows = [
        ["Amounts in USD; revenue figures elsewhere in $000"],
        ["Item", "Annual cost"],
        ["M365", 120000],
    ]
    upload = read_list(rows, "Budget")
    assert monthly_run_rate(upload) == pytest.approx(10000)  # 120,000 / 12
    assert (
        "The title above the list says both 'Amounts in USD' and 'revenue figures "
        "elsewhere in $000'; the amounts were read as they stand, not multiplied."
    ) in messages(upload)


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (
            [
                ["Item", "Annual cost"],
                ["M365", 120],
                ["Zoom", 6],
                [],
                ["Note: revenue figures in $000"],
            ],
            "Row 5 says 'Note: revenue figures in $000', but the amount header does "
            "not say",
        ),
        (
            [
                ["Item", "Annual cost", "Notes"],
                ["M365", 120, "Renewal quoted in $000"],
                ["Zoom", 6, None],
            ],
            "Row 2 says 'Renewal quoted in $000', but the amount header does not say",
        ),
    ],
)
def test_a_scale_said_below_the_header_is_warned_not_applied(rows, said):
    upload = read_list(rows, "Budget")
    assert monthly_run_rate(upload) == pytest.approx(10.5)  # (120 + 6) / 12
    assert said in messages(upload)


# Formula subtotals: M365 12,000 + Zoom 1,200 + Laptops 6,000 a year is
# 19,200 / 12 = 1,600 a month; counting the 13,200 subtotal too makes 2,700.


def _with_formula(formula: str, value: float = 13200):
    from cpsu.ingest.table import Table

    rows = (
        (1, ("Item", "Annual cost")),
        (2, ("M365", 12000)),
        (3, ("Zoom", 1200)),
        (4, ("Software", value)),
        (5, ("Laptops", 6000)),
    )
    return Table("Budget", rows, formulas={(4, 1): formula})


@pytest.mark.parametrize(
    "formula",
    ["=SUBTOTAL(9,B2:B3)", "=SUM(B2:B3)*1", "=ROUND(SUM(B2:B3),0)", "=B2+B3"],
)
def test_sums_of_the_run_above_are_subtotals(formula):
    from cpsu.ingest.lists import summed_rows

    assert summed_rows(_with_formula(formula), 4, [1]) == (2, 3)


@pytest.mark.parametrize(
    "formula",
    # one row; another column; a multiple, not a sum; a run skipping row 3
    ["=SUM(B3)", "=SUM(C2:C3)*12", "=B2*2", "=B2+B5"],
)
def test_other_formulas_are_lines(formula):
    from cpsu.ingest.lists import summed_rows

    assert summed_rows(_with_formula(formula), 4, [1]) == ()


def test_a_formula_over_a_line_worked_out_from_another_is_a_line():
    from cpsu.ingest.lists import summed_rows
    from cpsu.ingest.table import Table

    # M365 E3 12,000; uplift =B2*0.5 is 6,000; Copilot =B2+B3 is 18,000
    rows = (
        (1, ("Item", "Annual cost")),
        (2, ("M365 E3", 12000)),
        (3, ("M365 E5 uplift", 6000)),
        (4, ("M365 Copilot", 18000)),
    )
    table = Table("Budget", rows, formulas={(3, 1): "=B2*0.5", (4, 1): "=B2+B3"})
    assert summed_rows(table, 4, [1]) == ()


def test_a_costs_sheet_line_equal_to_all_the_others_a_month_is_left_out():
    from tests.ingest_fixtures import xlsx_bytes as book

    upload = read_upload(
        book(
            {
                "Costs": [
                    ["Item", "Pool", "Behaviour", "Amount", "Period"],
                    ["Acrobat", "Productivity software", "Fixed", 3000, "Month"],
                    ["Training", "Service desk (Tier 1)", "Fixed", 12000, "Year"],
                    ["All costs", "Other", "Fixed", 4000, "Month"],
                ]
            }
        ),
        "costs.xlsx",
    )
    # 3,000 + 12,000 / 12 = 4,000 a month: 'All costs' is their total
    assert monthly_run_rate(upload) == pytest.approx(4000)
    said = messages(upload)
    assert (
        "'All costs' costs 4,000.00 a month, the sum of all the other lines, so it "
        "was read as a total and left out of the sum."
    ) in said
    assert "It was counted as a line" not in said


def test_a_category_column_of_one_pool_is_a_list_not_the_template():
    upload = read_list(
        [
            ["Category", "Item", "Monthly cost"],
            ["Software", "M365", 1000],
            ["Software", "Zoom", 100],
            ["Software", "X", 5],
        ],
        "Budget",
    )
    # 1,000 + 100 + 5 = 1,105 a month
    assert errors_of(upload) == []
    assert monthly_run_rate(upload) == pytest.approx(1105)
    assert "3 lines were put in pool Other as Fixed costs" in messages(upload)
