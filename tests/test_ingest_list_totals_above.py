"""Totals written above their lines: a grand total at the top of a list, and
section headings carrying their subtotal. They add up the lines below them,
so counting them counts the lines twice; files that keep no formulas (.xls,
.ods, CSV, HTML) can only tell them by their amounts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.ingest import read_upload
from tests.ingest_fixtures import csv_bytes, errors_of, warnings_of, xlsx_bytes
from tests.test_ingest_formats import convert
from tests.test_ingest_list_subtotals import with_formulas

GRAND_ON_TOP = [
    ["Item", "Annual cost"],
    ["IT overall", 36000],  # row 2: 12,000 + 24,000
    ["Zoom", 12000],
    ["Slack", 24000],
]
GRAND = (
    "'IT overall' is the sum of all the lines below it (rows 3 to 4), so it was "
    "read as a total written above its lines and left out of the sum. If it is a "
    "cost of its own, check the amounts: a line equal to all the others added up "
    "is most likely their total."
)
SECTIONS = [
    ["Item", "Annual cost"],
    ["Software", 36000],  # row 2: 12,000 + 24,000
    ["Zoom", 12000],
    ["Slack", 24000],
    ["People", 60000],  # row 5: 60,000
    ["Analyst", 60000],
]
SOFTWARE = (
    "'Software' is the sum of the lines under it (rows 3 to 4), as 'People' (row "
    "5) is of its own, so it was read as a section heading carrying its subtotal "
    "and left out of the sum; its lines were counted. If it is a cost of its own, "
    "move it so that it does not stand above the lines it equals."
)
PEOPLE = (
    "'People' is the sum of the lines under it (row 6), as 'Software' (row 2) is "
    "of its own, so it was read as a section heading carrying its subtotal and "
    "left out of the sum; its lines were counted. If it is a cost of its own, "
    "move it so that it does not stand above the lines it equals."
)


def html_xls(rows: list[list[object]], bold: tuple[int, ...] = ()) -> bytes:
    """An HTML table saved as .xls, as web reports are; rows in `bold` bold."""
    parts = ["<table>"]
    for at, row in enumerate(rows):
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            cells.append(
                f"<td><b>{text}</b></td>" if at in bold else f"<td>{text}</td>"
            )
        parts.append("<tr>" + "".join(cells) + "</tr>")
    return ("".join(parts) + "</table>").encode()


def read(rows, form: str = "xlsx"):
    if form == "csv":
        return read_upload(csv_bytes(rows), "budget.csv")
    if form == "html":
        return read_upload(html_xls(rows, bold=(1,)), "budget.xls")
    return read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")


def lines_of(upload) -> list[tuple[str, float]]:
    assert not errors_of(upload), upload.issues
    return [(line.item, round(line.monthly_rate, 2)) for line in upload.cost_base.lines]


def run_rate(upload) -> float:
    return round(sum(line.monthly_rate for line in upload.cost_base.lines), 2)


def said(upload) -> list[tuple[int | None, str]]:
    """The warnings of the list itself, not the one every list gets."""
    return [
        (issue.row, issue.message)
        for issue in warnings_of(upload)
        if issue.row is not None and "put in pool Other" not in issue.message
    ]


# A grand total on top


@pytest.mark.parametrize("form", ["xlsx", "csv", "html"])
def test_a_total_above_the_whole_list_is_left_out(form):
    upload = read(GRAND_ON_TOP, form)
    # (12,000 + 24,000) / 12 = 3,000 a month, not 6,000
    assert lines_of(upload) == [("Zoom", 1000.00), ("Slack", 2000.00)]
    assert run_rate(upload) == 3000.00
    assert said(upload) == [(2, GRAND)]


@pytest.mark.parametrize("extension", ["xls", "ods"])
def test_a_sum_formula_on_top_is_left_out_in_formats_without_formulas(
    tmp_path, extension
):
    rows = [
        ["Item", "Annual cost"],
        ["IT overall", 96000],  # =SUM(B3:B5)
        ["Zoom", 12000],
        ["Slack", 24000],
        ["Analyst", 60000],
    ]
    book = with_formulas(xlsx_bytes({"Budget": rows}), {"B2": "SUM(B3:B5)"})
    as_xlsx = read_upload(book, "budget.xlsx")
    upload = read_upload(convert(book, extension, tmp_path), f"budget.{extension}")
    # 96,000 / 12 = 8,000 a month in every format, not 16,000
    expected = [("Zoom", 1000.00), ("Slack", 2000.00), ("Analyst", 5000.00)]
    assert lines_of(as_xlsx) == lines_of(upload) == expected
    assert run_rate(upload) == 8000.00
    assert said(upload) == [
        (
            2,
            "'IT overall' is the sum of all the lines below it (rows 3 to 5), so it "
            "was read as a total written above its lines and left out of the sum. "
            "If it is a cost of its own, check the amounts: a line equal to all "
            "the others added up is most likely their total.",
        )
    ]


def test_a_total_named_like_one_above_the_list_is_left_out():
    rows = [["Item", "Monthly cost"], ["Total IT", 3000], ["Zoom", 1000]]
    rows.append(["Slack", 2000])
    upload = read(rows)
    assert lines_of(upload) == [("Zoom", 1000.00), ("Slack", 2000.00)]
    assert [row for row, _ in said(upload)] == [2]


def test_a_total_on_top_and_one_below_agree():
    upload = read([*GRAND_ON_TOP, ["Total", 36000]])
    # the Total below checks against Zoom and Slack: 36,000, no disagreement
    assert run_rate(upload) == 3000.00
    assert said(upload) == [(2, GRAND)]


# Section headings carrying their subtotals


@pytest.mark.parametrize("form", ["xlsx", "csv", "html"])
def test_section_headings_carrying_their_subtotals_are_left_out(form):
    upload = read(SECTIONS, form)
    # (12,000 + 24,000 + 60,000) / 12 = 8,000 a month, not 16,000
    assert lines_of(upload) == [
        ("Zoom", 1000.00),
        ("Slack", 2000.00),
        ("Analyst", 5000.00),
    ]
    assert run_rate(upload) == 8000.00
    assert said(upload) == [(2, SOFTWARE), (5, PEOPLE)]
    notes = [line.notes for line in upload.cost_base.lines]
    assert notes == ["Section: Software", "Section: Software", "Section: People"]


def test_section_headings_in_a_month_grid_are_left_out():
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    months += ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    rows = [
        ["Item", *months, "Total"],
        ["Software", *[3000] * 12, 36000],
        ["Zoom", *[1000] * 12, 12000],
        ["Slack", *[2000] * 12, 24000],
        ["People", *[5000] * 12, 60000],
        ["Analyst", *[5000] * 12, 60000],
    ]
    upload = read(rows)
    # 1,000 + 2,000 + 5,000 = 8,000 a month, not 16,000
    assert lines_of(upload) == [
        ("Zoom", 1000.00),
        ("Slack", 2000.00),
        ("Analyst", 5000.00),
    ]
    assert run_rate(upload) == 8000.00
    assert said(upload) == [(2, SOFTWARE), (5, PEOPLE)]


def test_a_grand_total_over_sections_carrying_subtotals_is_left_out():
    upload = read([["Item", "Annual cost"], ["IT", 96000], *SECTIONS[1:]])
    assert run_rate(upload) == 8000.00  # 96,000 / 12
    assert [line.item for line in upload.cost_base.lines] == [
        "Zoom",
        "Slack",
        "Analyst",
    ]
    assert said(upload)[0] == (
        2,
        "'IT' is the sum of all the lines below it (rows 4, 5 and 7), the section "
        "headings' subtotals not counted, so it was read as a total written above "
        "its lines and left out of the sum. If it is a cost of its own, check the "
        "amounts: a line equal to all the others added up is most likely their "
        "total.",
    )
    assert [row for row, _ in said(upload)] == [2, 3, 6]


def test_headings_over_lines_of_other_periods_are_compared_a_year_at_a_time():
    rows = [
        ["Item", "Cost", "Period"],
        ["Software", 3000, "Month"],  # 1,000 + 2,000 a month
        ["Zoom", 1000, "Month"],
        ["Slack", 2000, "Month"],
        ["People", 5000, "Month"],  # 60,000 a year
        ["Analyst", 60000, "Year"],
    ]
    upload = read(rows)
    assert run_rate(upload) == 8000.00  # 1,000 + 2,000 + 60,000 / 12
    assert [row for row, _ in said(upload)] == [2, 5]


# Rows that may be a heading by chance, and rows that are not


def test_one_row_equal_to_the_next_two_by_chance_is_counted_and_warned():
    rows = [
        ["Item", "Annual cost"],
        ["Servers", 5000],  # row 2: 2,000 + 3,000, by chance
        ["Backup", 2000],
        ["VPN", 3000],
        ["Laptops", 7000],
        ["Phones", 8000],
    ]
    upload = read(rows)
    # every row counted: 25,000 / 12 = 2,083.33
    assert len(upload.cost_base.lines) == 5
    assert run_rate(upload) == 2083.33
    assert said(upload) == [
        (
            2,
            "'Servers' (row 2) is the sum of rows 3 to 4 directly below it, as a "
            "heading carrying its section's subtotal would be, but the rest of the "
            "list is not laid out that way, so it was counted as a line. If it is a "
            "subtotal, put it below its lines and name it Total, or delete it; if "
            "it is a cost of its own, leave it.",
        )
    ]


def test_several_rows_that_may_be_headings_are_said_once():
    rows = [["Item", "Monthly cost"], ["A", 300], ["B", 100], ["C", 200]]
    rows += [["D", 50], ["E", 700], ["F", 300], ["G", 400], ["H", 999]]
    upload = read(rows)
    assert len(upload.cost_base.lines) == 8  # all counted
    assert said(upload) == [
        (
            2,
            "2 rows are each the sum of two or more rows directly below them: "
            "'A' (row 2) of rows 3 to 4 and 'E' (row 6) of rows 7 to 8. The list is "
            "not laid out as headings carrying their subtotals, so they were "
            "counted as lines. If any is a subtotal, put it below its lines and "
            "name it Total, or delete it.",
        )
    ]


@pytest.mark.parametrize(
    "amounts",
    [
        [1000, 1000],  # two items of one price
        [1000, 1000, 1000, 1000],  # every one under another of the same price
        [12000, 24000, 60000, 96000],  # a total below, caught as before
    ],
)
def test_lists_without_a_total_above_are_left_alone(amounts):
    rows = [["Item", "Annual cost"], *[[f"Item {n}", a] for n, a in enumerate(amounts)]]
    upload = read(rows)
    assert not [message for _, message in said(upload) if "above" in message]
    assert not [message for _, message in said(upload) if "directly below" in message]


def test_a_coincidence_in_a_block_closed_by_its_subtotal_is_not_a_heading():
    rows = [
        ["Item", "Annual cost"],
        ["Servers", 10],  # 5 + 5, but the Subtotal below adds all three
        ["Backup", 5],
        ["VPN", 5],
        ["Subtotal", 20],
        ["Laptops", 7],
        ["Phones", 3],
        ["Subtotal", 10],
        ["Total", 30],
    ]
    upload = read(rows)
    assert len(upload.cost_base.lines) == 5
    assert run_rate(upload) == 2.50  # 30 / 12
    assert said(upload) == []


# No line is ever left out without a word


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([0, 100, 200, 300, 500, 800, 1300]), max_size=9))
def test_every_row_left_out_is_named_in_a_warning(amounts):
    rows = [
        ["Item", "Monthly cost"],
        *[[f"Item {n}", a] for n, a in enumerate(amounts)],
    ]
    upload = read_upload(csv_bytes(rows), "list.csv")
    if upload.cost_base is None:
        return
    counted = {line.item for line in upload.cost_base.lines}
    warned = {issue.row for issue in warnings_of(upload)}
    for row, (item, _) in enumerate(rows[1:], start=2):
        assert item in counted or row in warned


# A heading over one line and a zero line: never silent


def test_a_total_on_top_of_one_line_and_a_zero_line_is_counted_and_warned():
    rows = [
        ["Item", "Annual cost"],
        ["IT overall", 12000],  # row 2: 12,000 + 0
        ["Zoom", 12000],
        ["Slack", 0],  # not yet priced
    ]
    upload = read(rows)
    # every row counted, as two lines of equal cost would be: 24,000 / 12
    assert run_rate(upload) == 2000.00
    assert said(upload) == [
        (
            2,
            "'IT overall' (row 2) equals 'Zoom' (row 3) below it plus 'Slack' (row "
            "4), which is zero, so it may be a heading carrying its section's "
            "subtotal; with one line to add up, that cannot be told from two lines "
            "of equal cost, so it was counted as a line. If it is a subtotal, put it "
            "below its lines and name it Total, or delete it; if it is a cost of its "
            "own, leave it.",
        )
    ]


def test_section_headings_each_over_one_line_and_a_zero_line_are_warned():
    rows = [
        ["Item", "Annual cost"],
        ["Software", 12000],  # row 2: 12,000 + 0
        ["Zoom", 12000],
        ["Slack", 0],
        ["People", 60000],  # row 5: 60,000, one line only
        ["Analyst", 60000],
    ]
    upload = read(rows)
    # (12,000 + 12,000 + 0 + 60,000 + 60,000) / 12 = 12,000.00, counted
    assert run_rate(upload) == 12000.00
    [(row, message)] = said(upload)
    assert row == 2
    assert message.startswith(
        "'Software' (row 2) equals 'Zoom' (row 3) below it plus 'Slack' (row 4), "
        "which is zero, so it may be a heading carrying its section's subtotal"
    )


def test_a_heading_over_zero_lines_and_one_line_in_any_order_is_warned():
    rows = [
        ["Item", "Annual cost"],
        ["Printing", 6000],  # row 2: 0 + 0 + 6,000
        ["Toner", 0],
        ["Paper", 0],
        ["Printer lease", 6000],
    ]
    upload = read(rows)
    assert run_rate(upload) == 1000.00  # 12,000 / 12, every row counted
    message = dict(said(upload))[2]  # row 5 is warned too, as a total below
    assert message.startswith(
        "'Printing' (row 2) equals 'Printer lease' (row 5) below it plus 'Toner' "
        "(row 3) and 'Paper' (row 4), which are zero, so it may be a heading"
    )


# Totals both above and below their lines


def test_headings_with_totals_below_naming_them_are_left_out_once():
    rows = [
        ["Item", "Annual cost"],
        ["Software", 36000],  # row 2: 12,000 + 24,000
        ["Zoom", 12000],
        ["Slack", 24000],
        ["Total software", 36000],
        ["People", 60000],  # row 6: one line, confirmed by row 8
        ["Analyst", 60000],
        ["Total people", 60000],
    ]
    upload = read(rows)
    # (12,000 + 24,000 + 60,000) / 12 = 8,000.00
    assert lines_of(upload) == [
        ("Zoom", 1000.00),
        ("Slack", 2000.00),
        ("Analyst", 5000.00),
    ]
    assert run_rate(upload) == 8000.00
    assert (
        6,
        "'People' (row 6) equals the line under it (row 7), as the total below "
        "them, 'Total people' (row 8), does, so it was read as a section heading "
        "carrying its subtotal and left out of the sum; its line was counted. If "
        "it is a cost of its own, move it so that it does not stand above the line "
        "it equals.",
    ) in said(upload)


def test_a_total_naming_no_heading_does_not_make_the_first_line_one():
    rows = [["Item", "Annual cost"], ["Zoom", 12000], ["Slack", 12000]]
    upload = read([*rows, ["Total", 12000]])
    # both counted, (12,000 + 12,000) / 12 = 2,000.00; the total disagrees
    assert run_rate(upload) == 2000.00
    assert [row for row, message in said(upload) if "says 12,000.00" in message] == [4]
