"""Subtotals a cost list does not label: formulas that add up rows, outline
summary rows, indented lines; items whose names start like a total; notes
below a list; and a Period column that disagrees with its header."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment

from cpsu.ingest import read_upload
from tests.ingest_fixtures import (
    canonical_bytes,
    cost_row,
    errors_of,
    rewrite_part,
    warnings_of,
    xlsx_bytes,
)

SHEET = "xl/worksheets/sheet1.xml"


def with_formulas(data: bytes, formulas: dict[str, str]) -> bytes:
    """The one-sheet workbook with formulas put in cells that keep their values,
    as Excel saves them."""

    def change(xml: bytes) -> bytes:
        for reference, formula in formulas.items():
            xml = re.sub(
                rf'(<c r="{reference}"[^>]*>)'.encode(),
                lambda found, f=formula: found[1] + f"<f>{f}</f>".encode(),
                xml,
            )
        return xml

    return rewrite_part(data, SHEET, change)


def read_rows(rows, formulas=None):
    data = xlsx_bytes({"Budget": rows})
    if formulas:
        data = with_formulas(data, formulas)
    return read_upload(data, "budget.xlsx")


def monthly_run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def warning_at(upload, row: int) -> str:
    found = [issue.message for issue in warnings_of(upload) if issue.row == row]
    assert len(found) == 1, found
    return found[0]


# Subtotals by formula


def test_sum_formulas_below_their_lines_are_subtotals():
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["Microsoft 365", 120000],  # row 2
            ["Zoom", 6000],
            ["Software", 126000],  # row 4: =SUM(B2:B3)
            ["Help desk", 48000],
            ["Laptops", 36000],
            ["Support", 84000],  # row 7: =SUM(B5:B6)
            ["IT", 210000],  # row 8: =B4+B7
        ],
        {"B4": "SUM(B2:B3)", "B7": "SUM(B5:B6)", "B8": "B4+B7"},
    )
    # (120,000 + 6,000 + 48,000 + 36,000) / 12 = 210,000 / 12 = 17,500
    assert len(upload.cost_base.lines) == 4
    assert monthly_run_rate(upload) == pytest.approx(17500)
    assert warning_at(upload, 4) == (
        "'Software' was read as a subtotal of rows 2 to 3, since its amount is a "
        "formula adding them up; it was left out of the sum."
    )
    assert "rows 4 and 7" in warning_at(upload, 8)


def test_a_stale_sum_formula_is_reconciled():
    upload = read_rows(
        [["Item", "Monthly cost"], ["M365", 1000], ["Zoom", 100], ["Software", 1000]],
        {"B4": "=SUM($B$2:$B$3)"},
    )
    # lines 1,000 + 100 = 1,100; the saved 1,000 is 100 short
    assert monthly_run_rate(upload) == pytest.approx(1100)
    assert any(
        "'Software' says 1,000.00 in Monthly cost (B) but rows 2 to 3 add up to "
        "1,100.00, a difference of -100.00" in issue.message
        for issue in warnings_of(upload)
    )


def test_a_formula_that_is_not_a_sum_of_its_column_is_a_line():
    upload = read_rows(
        [["Item", "Monthly cost"], ["M365", 1000], ["Zoom", 100], ["Backup", 50]],
        {"B4": "B2*0.05"},
    )
    assert monthly_run_rate(upload) == pytest.approx(1150)  # 1,000 + 100 + 50


# Sums of other rows of the list, by any formula built on SUM, SUBTOTAL or
# AGGREGATE: M365 12,000 + Zoom 1,200 + Laptops 6,000 a year are 19,200 / 12 =
# 1,600 a month; counting the sum as a line too would make more.

ANNUAL_LINES = [["M365", 12000], ["Zoom", 1200], ["Laptops", 6000]]


@pytest.mark.parametrize(
    ("formula", "value", "rows"),
    [
        ("SUM(B2,B3)", 13200, "rows 2 to 3"),  # a list, not a range
        ("SUM(B2,B4)", 18000, "rows 2 and 4"),  # rows that are not a run
        ("SUM(B2,B3:B4)", 19200, "rows 2 to 4"),
        ("SUM($B$2,$B$4)", 18000, "rows 2 and 4"),
        ("SUM(Budget!B2,Budget!B4)", 18000, "rows 2 and 4"),
        ("SUBTOTAL(9,B2,B4)", 18000, "rows 2 and 4"),
        ("SUBTOTAL(109,B2,B4)", 18000, "rows 2 and 4"),
        ("_xlfn.AGGREGATE(9,4,B2,B4)", 18000, "rows 2 and 4"),
        ("ROUND(SUM(B2,B4),0)", 18000, "rows 2 and 4"),
        ("SUM(B2,B4)*1", 18000, "rows 2 and 4"),
    ],
)
def test_a_sum_of_other_rows_anywhere_above_is_a_subtotal(formula, value, rows):
    upload = read_rows(
        [["Item", "Annual cost"], *ANNUAL_LINES, ["Some of it", value]],
        {"B5": formula},
    )
    assert [line.item for line in upload.cost_base.lines] == ["M365", "Zoom", "Laptops"]
    assert round(monthly_run_rate(upload), 2) == 1600.00
    assert warning_at(upload, 5) == (
        f"'Some of it' was read as a subtotal of {rows}, since its amount is a "
        "formula adding them up; it was left out of the sum."
    )


@pytest.mark.parametrize(
    ("formula", "row", "annual", "rows"),
    [
        # the monthly column of rows 2 and 3, made annual: (1,000 + 100) x 12
        ("SUM(C2:C3)*12", 4, 13200, "rows 2 to 3"),
        ("SUM(C2,C3)*12", 4, 13200, "rows 2 to 3"),
        ("SUBTOTAL(9,C2:C3)*12", 4, 13200, "rows 2 to 3"),
        # rows 2 and 4 below the lines: (1,000 + 500) x 12
        ("SUM(C2,C4)*12", 5, 18000, "rows 2 and 4"),
    ],
)
def test_a_sum_over_another_amount_column_of_the_rows_is_a_subtotal(
    formula, row, annual, rows
):
    lines = [["M365", 12000], ["Zoom", 1200], ["Laptops", 6000]]
    lines.insert(row - 2, ["Software", annual])
    # each Monthly cost is =B/12 of its own row
    formulas = {f"C{at}": f"B{at}/12" for at in range(2, 6)}
    formulas[f"B{row}"] = formula
    upload = read_rows(
        [
            ["Item", "Annual cost", "Monthly cost"],
            *[[item, amount, amount / 12] for item, amount in lines],
        ],
        formulas,
    )
    # 1,000 + 100 + 500 a month, the Software row left out
    assert [line.item for line in upload.cost_base.lines] == ["M365", "Zoom", "Laptops"]
    assert round(monthly_run_rate(upload), 2) == 1600.00
    assert warning_at(upload, row) == (
        f"'Software' was read as a subtotal of {rows}, since its amount is a "
        "formula adding them up; it was left out of the sum."
    )


@pytest.mark.parametrize(
    ("rows", "formulas", "expected", "subtotal"),
    [
        # amounts in thousands: 12 + 6 = 18 thousand, left out; 19.2k / 12
        (
            [
                ["Item", "Annual cost ($000)"],
                ["M365", 12],
                ["Zoom", 1.2],
                ["Laptops", 6],
                ["Some of it", 18],
            ],
            {"B5": "SUM(B2,B4)"},
            1600.00,
            True,
        ),
        # a Period column, each row a year: 12,000 + 6,000 left out
        (
            [
                ["Item", "Cost", "Period"],
                ["M365", 12000, "Year"],
                ["Zoom", 1200, "Year"],
                ["Laptops", 6000, "Year"],
                ["Some of it", 18000, "Year"],
            ],
            {"B5": "SUM(B2,B4)"},
            1600.00,
            True,
        ),
        # the lines' own amounts come from another sheet: still a sum of them
        (
            [["Item", "Annual cost"], *ANNUAL_LINES, ["Some of it", 18000]],
            {"B2": "Prices!B2", "B4": "Prices!B4", "B5": "SUM(B2,B4)"},
            1600.00,
            True,
        ),
        # a month and a year added up are no subtotal of either: counted,
        # 1,000 + 1,200 / 12 + 500 + 2,200 = 3,800 a month
        (
            [
                ["Item", "Cost", "Period"],
                ["M365", 1000, "Month"],
                ["Zoom", 1200, "Year"],
                ["Laptops", 500, "Month"],
                ["Some of it", 2200, "Month"],
            ],
            {"B5": "SUM(B2,B3)"},
            3800.00,
            False,
        ),
    ],
)
def test_a_sum_of_other_rows_is_matched_after_scale_and_period(
    rows, formulas, expected, subtotal
):
    upload = read_rows(rows, formulas)
    assert not errors_of(upload)
    assert len(upload.cost_base.lines) == (3 if subtotal else 4)
    assert round(monthly_run_rate(upload), 2) == expected
    said = [i.row for i in warnings_of(upload) if "read as a subtotal" in i.message]
    assert said == ([5] if subtotal else [])


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("SUM(B2,B4)", 18000.01),  # a cent off the sum of rows 2 and 4
        ("SUM(B2,B4)*2", 36000),  # twice the sum
        ("SUM(Other!B2,Other!B4)", 18000),  # another sheet's rows
        ("SUM(B4)", 6000),  # one row is no sum
        ("B2+B4", 18000),  # a bare sum of rows that are not a run
    ],
)
def test_other_formulas_over_rows_above_are_lines(formula, value):
    upload = read_rows(
        [["Item", "Annual cost"], *ANNUAL_LINES, ["Some of it", value]],
        {"B5": formula},
    )
    assert len(upload.cost_base.lines) == 4
    # (19,200 + the row's own amount) / 12
    assert round(monthly_run_rate(upload), 2) == round((19200 + value) / 12, 2)
    assert not any(
        "read as a subtotal" in issue.message for issue in warnings_of(upload)
    )


@pytest.mark.parametrize("formula", ["B2+B3", "SUM(B2,B3)", "SUM(B2:B3)"])
def test_a_sum_over_a_line_and_one_worked_out_from_it_is_a_line(formula):
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["M365 E3", 12000],
            ["M365 E5 uplift", 6000],  # =B2*0.5
            ["M365 Copilot", 18000],
            ["Laptops", 6000],
        ],
        {"B3": "B2*0.5", "B4": formula},
    )
    # every row counted: (12,000 + 6,000 + 18,000 + 6,000) / 12 = 3,500
    assert len(upload.cost_base.lines) == 4
    assert round(monthly_run_rate(upload), 2) == 3500.00
    assert warning_at(upload, 4) == (
        "'M365 Copilot' looks like a subtotal of rows 2 to 3: its amount is their "
        "sum. It was counted as a line; if it is a subtotal, name it Total or "
        "delete it."
    )


# Outline summary rows and indented lines


def outlined(summary_below: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget"
    if summary_below:
        rows = [
            ["Item", "Annual cost"],
            ["Microsoft 365", 120000],
            ["Zoom", 6000],
            ["Software", 126000],  # row 4 sums rows 2 to 3
            ["Help desk", 48000],
            ["Laptops", 36000],
            ["Support", 84000],  # row 7 sums rows 5 to 6
        ]
        children = (2, 3, 5, 6)
    else:
        rows = [
            ["Item", "Annual cost"],
            ["Software", 126000],  # row 2 sums rows 3 to 4
            ["Microsoft 365", 120000],
            ["Zoom", 6000],
            ["Support", 84000],  # row 5 sums rows 6 to 7
            ["Help desk", 48000],
            ["Laptops", 36000],
        ]
        children = (3, 4, 6, 7)
    for row in rows:
        sheet.append(row)
    sheet.sheet_properties.outlinePr.summaryBelow = summary_below
    for row in children:
        sheet.row_dimensions[row].outlineLevel = 1
        sheet.cell(row, 1).alignment = Alignment(indent=2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("summary_below", [False, True])
def test_outline_summary_rows_are_subtotals(summary_below):
    upload = read_upload(outlined(summary_below), "budget.xlsx")
    # 210,000 / 12 = 17,500, not 420,000 / 12 = 35,000
    assert not errors_of(upload)
    assert [line.item for line in upload.cost_base.lines] == [
        "Microsoft 365",
        "Zoom",
        "Help desk",
        "Laptops",
    ]
    assert monthly_run_rate(upload) == pytest.approx(17500)
    summary = 2 if not summary_below else 4
    assert warning_at(upload, summary).startswith("'Software' was read as a subtotal")


def test_indented_lines_make_the_row_above_them_a_subtotal():
    upload = read_rows(
        [
            ["Item", "Monthly cost"],
            ["Software", 1100],
            ["   M365", 1000],
            ["   Zoom", 100],
            ["Hardware", 500],
            ["   Laptops", 500],
        ]
    )
    # 1,000 + 100 + 500 = 1,600, not 3,200
    assert monthly_run_rate(upload) == pytest.approx(1600)
    assert upload.cost_base.lines[0].notes == "Section: Software"
    assert warning_at(upload, 2) == (
        "'Software' was read as a subtotal of rows 3 to 4, since its lines are "
        "grouped below or indented under it; it was left out of the sum."
    )


# Total words


@pytest.mark.parametrize("word", ["Sum", "SUM:", "Summe", "Subtotal"])
def test_sum_as_a_label_is_a_total(word):
    upload = read_rows(
        [["Item", "Monthly cost"], ["M365", 1000], ["Zoom", 100], [word, 1100]]
    )
    assert monthly_run_rate(upload) == pytest.approx(1100)  # 1,000 + 100


def test_an_unmarked_row_adding_up_the_lines_above_is_warned():
    upload = read_rows(
        [["Item", "Monthly cost"], ["M365", 1000], ["Zoom", 100], ["Software", 1100]]
    )
    # counted, as the user wrote it: 1,000 + 100 + 1,100 = 2,200, with a warning
    assert monthly_run_rate(upload) == pytest.approx(2200)
    assert warning_at(upload, 4) == (
        "'Software' looks like a subtotal of rows 2 to 3: its amount is their sum. "
        "It was counted as a line; if it is a subtotal, name it Total or delete it."
    )


def test_an_item_named_like_a_total_is_a_line():
    upload = read_rows(
        [
            ["Item", "Monthly cost"],
            ["Workday", 1000],
            ["Total Rewards platform", 500],
            ["Zoom", 100],
            ["Total", 1600],
        ]
    )
    # 1,000 + 500 + 100 = 1,600, which the Total agrees with
    assert len(upload.cost_base.lines) == 3
    assert monthly_run_rate(upload) == pytest.approx(1600)
    assert warning_at(upload, 3) == (
        "'Total Rewards platform' starts like a total but is not the total of its "
        "lines above, so it was read as a cost line. Rename it if it is an item; "
        "name it Total if it is a total."
    )
    assert not [issue for issue in warnings_of(upload) if issue.row == 5]


@pytest.mark.parametrize(
    ("label", "amount"),
    [
        ("Software subtotal", 1100),  # the section's name and a total word
        ("Total Software", 1100),
        ("Total IT spend:", 1100),  # adds up its block
        ("Software subtotal", 1000),  # by name, though it disagrees
    ],
)
def test_totals_by_name_or_by_sum_are_left_out(label, amount):
    upload = read_rows(
        [
            ["Item", "Monthly cost"],
            ["Software"],
            ["M365", 1000],
            ["Zoom", 100],
            [label, amount],
        ]
    )
    assert monthly_run_rate(upload) == pytest.approx(1100)  # 1,000 + 100


# A notes block below the list


@pytest.mark.parametrize("heading", ["Assumptions", "Notes", "Parameters", "Memo"])
def test_a_heading_like_assumptions_ends_the_list(heading):
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["M365", 12000],
            ["Zoom", 1200],
            [],
            [heading],  # row 5
            ["FX rate", 1.1],
            ["Headcount", 250],
        ]
    )
    # (12,000 + 1,200) / 12 = 1,100
    assert monthly_run_rate(upload) == pytest.approx(1100)
    assert warning_at(upload, 5) == (
        f"'{heading}' (row 5) ends the list: rows 6 to 7 below it were not read as "
        "cost lines. Move them to another sheet if they are costs."
    )


# A Period column against the header


def test_a_period_column_disagreeing_with_the_header_is_an_error():
    upload = read_rows(
        [
            ["Item", "Annual cost", "Period"],
            ["M365", 1200, "Monthly"],
            ["Zoom", 60, "Annual"],
        ]
    )
    assert upload.cost_base is None
    found = [issue for issue in errors_of(upload) if issue.row == 2]
    assert [issue.message for issue in found] == [
        "Period (C) says Month but the header Annual cost (B) says the amounts are a "
        "year's, so the amount of row 2 could be either. Make them agree: correct "
        "the Month in Period (C), or rename the header Annual cost (B) to one "
        "without a period, like 'Cost', so that the Period column says."
    ]
    assert not [issue for issue in errors_of(upload) if issue.row == 3]


def test_a_period_column_under_a_plain_header_says_each_rows_period():
    upload = read_rows(
        [
            ["Item", "Cost", "Period"],
            ["M365", 1200, "Annual"],
            ["Zoom", 100, "Monthly"],
            ["Audit", 3000, "Quarterly"],
        ]
    )
    # 1,200 / 12 + 100 + 3,000 / 3 = 100 + 100 + 1,000 = 1,200
    assert monthly_run_rate(upload) == pytest.approx(1200)


# The canonical Costs sheet


def test_sum_on_the_canonical_costs_sheet_is_a_total():
    upload = read_upload(
        canonical_bytes(
            [
                cost_row("M365", "Other", "Fixed", amount=65000, period="Month"),
                cost_row("Zoom", "Other", "Fixed", amount=800, period="Month"),
                cost_row("Sum", "Other", "Fixed", amount=65800, period="Month"),
            ]
        ),
        "template.xlsx",
    )
    # 65,000 + 800 = 65,800, not 131,600
    assert monthly_run_rate(upload) == pytest.approx(65800)


def canonical_with_formula(formulas: dict[str, str]) -> bytes:
    """The template with three Fixed lines on Costs, the third a subtotal."""
    data = canonical_bytes(
        [
            cost_row("M365", "Other", "Fixed", amount=65000, period="Month"),
            cost_row("Zoom", "Other", "Fixed", amount=800, period="Month"),
            cost_row("Software", "Other", "Fixed", amount=65800, period="Month"),
        ]
    )
    # The Costs sheet is the second of the template's sheets.
    return rewrite_part(
        data,
        "xl/worksheets/sheet2.xml",
        lambda xml: _put_formulas(xml, formulas),
    )


def _put_formulas(xml: bytes, formulas: dict[str, str]) -> bytes:
    for reference, formula in formulas.items():
        xml = re.sub(
            rf'(<c r="{reference}"[^>]*>)'.encode(),
            lambda found, f=formula: found[1] + f"<f>{f}</f>".encode(),
            xml,
        )
    return xml


def test_a_sum_formula_on_the_canonical_costs_sheet_is_a_subtotal():
    upload = read_upload(canonical_with_formula({"D4": "SUM(D2:D3)"}), "t.xlsx")
    # 65,000 + 800 = 65,800, not 131,600
    assert [line.item for line in upload.cost_base.lines] == ["M365", "Zoom"]
    assert monthly_run_rate(upload) == pytest.approx(65800)
    assert warning_at(upload, 4) == (
        "Row 4 ('Software') was read as a subtotal of rows 2 to 3, since its Amount "
        "is a formula adding them up; it was left out of the sum."
    )


def test_an_unmarked_subtotal_on_the_canonical_costs_sheet_is_warned():
    upload = read_upload(
        canonical_bytes(
            [
                cost_row("M365", "Other", "Fixed", amount=65000, period="Month"),
                cost_row("Zoom", "Other", "Fixed", amount=800, period="Month"),
                cost_row("Software", "Other", "Fixed", amount=65800, period="Month"),
            ]
        ),
        "t.xlsx",
    )
    # counted as written: 65,000 + 800 + 65,800 = 131,600, with a warning
    assert monthly_run_rate(upload) == pytest.approx(131600)
    assert warning_at(upload, 4) == (
        "'Software' looks like a subtotal of rows 2 to 3: its Amount is their sum. "
        "It was counted as a line; if it is a subtotal, name it Total or delete it."
    )


def test_an_unnamed_row_adding_up_the_lines_above_is_a_total():
    upload = read_rows(
        [["Item", "Monthly cost"], ["M365", 1000], ["Zoom", 100], [None, 1100]]
    )
    assert monthly_run_rate(upload) == pytest.approx(1100)  # 1,000 + 100
    assert warning_at(upload, 4) == (
        "Row 4 has no name and its amount is the sum of rows 2 to 3 above it, so it "
        "was read as a total and left out of the sum. Name it Total to make this "
        "plain."
    )


def test_an_unnamed_row_that_adds_up_nothing_is_still_an_error():
    upload = read_rows(
        [["Item", "Monthly cost"], ["M365", 1000], ["Zoom", 100], [None, 900]]
    )
    assert upload.cost_base is None
    assert [issue.message for issue in errors_of(upload)] == [
        "Item (A) is empty; name the line."
    ]


@pytest.mark.parametrize("name", ["TOTAL", "Subtotal", "Sum", "Grand total"])
def test_a_line_named_like_a_total_with_no_line_above_is_a_line(name):
    # Our own workbook may hold a line called "TOTAL": with nothing above it
    # to add up, it cannot be a total, so it is read (with a warning).
    rows = [
        cost_row(name, "Other", "Fixed", amount=500),
        cost_row("Backup", "Other", "Fixed", amount=300),
        cost_row("Total", "Other", "Fixed", amount=800),  # 500 + 300: a total
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert not errors_of(upload)
    assert [line.item for line in upload.cost_base.lines] == [name, "Backup"]
    # 500 + 300 = 800 a month; the Total row is left out
    assert sum(line.monthly_rate for line in upload.cost_base.lines) == 800
    named = [i for i in warnings_of(upload) if "named like a total" in i.message]
    assert [(issue.row, issue.column) for issue in named] == [(2, "Item (A)")]


def test_an_item_starting_like_a_total_equal_to_one_line_above_is_a_line():
    # Workday 1,000 then "Total Rewards platform" 1,000: one line is no sum,
    # so it is an item: 1,000 + 1,000 + 100 = 2,100 a month.
    rows = [
        ["Item", "Monthly cost"],
        ["Workday", 1000],
        ["Total Rewards platform", 1000],
        ["Zoom", 100],
    ]
    upload = read_upload(xlsx_bytes({"Licences": rows}), "list.xlsx")
    assert sum(line.monthly_rate for line in upload.cost_base.lines) == 2100
    assert [line.item for line in upload.cost_base.lines][1] == "Total Rewards platform"


def test_an_item_starting_like_a_total_that_adds_up_two_lines_is_said_to_be_one():
    # Workday 1,000 + Zoom 100 = 1,100 = "Total licences": left out, and said.
    rows = [
        ["Item", "Monthly cost"],
        ["Workday", 1000],
        ["Zoom", 100],
        ["Total licences and seats", 1100],
    ]
    upload = read_upload(xlsx_bytes({"Licences": rows}), "list.xlsx")
    assert sum(line.monthly_rate for line in upload.cost_base.lines) == 1100
    said = [i for i in warnings_of(upload) if "adds up the lines above it" in i.message]
    assert [(issue.row, issue.column) for issue in said] == [(4, "Item (A)")]
