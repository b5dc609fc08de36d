"""Subtotals and totals below their lines that carry no total word, or that
rounding keeps from adding up to the cent; totals closing each section; and
seats x a monthly price beside an annual cost."""

from __future__ import annotations

from datetime import date

import pytest

from cpsu.ingest import read_upload
from cpsu.ingest.gl import read_gl_export
from tests.ingest_fixtures import MONTHS, warnings_of, xlsx_bytes
from tests.test_gl import HEADER, xlsx


def read_rows(rows):
    return read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")


def monthly_run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def warnings_by_row(upload) -> dict[int, str]:
    """The warnings about the list's rows (below its header), by row."""
    found: dict[int, str] = {}
    for issue in warnings_of(upload):
        if issue.row is not None and issue.row > 1:
            assert issue.row not in found, (found, issue)
            found[issue.row] = issue.message
    return found


# A section heading repeated below its lines with their sum


def test_a_heading_repeated_with_the_sum_of_its_lines_is_its_subtotal():
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["Software"],  # row 2
            ["A", 12000],
            ["B", 24000],
            ["Software", 36000],  # row 5: 12,000 + 24,000
            ["Services"],  # row 6
            ["C", 6000],
            ["D", 6000],
            ["Services", 12000],  # row 9: 6,000 + 6,000
        ]
    )

    # 12,000 + 24,000 + 6,000 + 6,000 = 48,000 a year; / 12 = 4,000 a month
    assert [line.item for line in upload.cost_base.lines] == ["A", "B", "C", "D"]
    assert monthly_run_rate(upload) == pytest.approx(4000, abs=0.005)
    assert warnings_by_row(upload) == {
        5: "'Software' (row 5) repeats its section's heading (row 2) and is the sum "
        "of the section's lines (rows 3 to 4), so it was read as the section's "
        "subtotal and left out of the sum; its lines were counted.",
        9: "'Services' (row 9) repeats its section's heading (row 6) and is the sum "
        "of the section's lines (rows 7 to 8), so it was read as the section's "
        "subtotal and left out of the sum; its lines were counted.",
    }


def test_a_heading_repeated_with_another_amount_is_a_line():
    upload = read_rows(
        [
            ["Item", "Monthly cost"],
            ["Software"],
            ["A", 1000],
            ["B", 2000],
            ["Software", 500],  # not 1,000 + 2,000: a cost of its own
        ]
    )

    # 1,000 + 2,000 + 500 = 3,500
    assert monthly_run_rate(upload) == pytest.approx(3500, abs=0.005)
    assert warnings_by_row(upload) == {}


# Unnamed subtotals that a named total at the foot confirms


def test_rows_equal_to_their_blocks_are_subtotals_when_the_total_says_so():
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["A", 12000],
            ["B", 24000],
            ["Software", 36000],  # row 4: 12,000 + 24,000
            ["C", 6000],
            ["D", 6000],
            ["Services", 12000],  # row 7: 6,000 + 6,000
            ["Total IT", 48000],  # row 8: A + B + C + D, not counting rows 4, 7
        ]
    )

    # 48,000 a year / 12 = 4,000 a month, not 3 x that
    assert [line.item for line in upload.cost_base.lines] == ["A", "B", "C", "D"]
    assert monthly_run_rate(upload) == pytest.approx(4000, abs=0.005)
    assert warnings_by_row(upload) == {
        4: "'Software' (row 4) is the sum of rows 2 to 3 directly above it, and "
        "'Total IT' (row 8) equals the lines only when it is left out, so it was "
        "read as a subtotal and left out of the sum; its lines were counted. If it "
        "is a cost of its own, check the amounts.",
        7: "'Services' (row 7) is the sum of rows 5 to 6 directly above it, and "
        "'Total IT' (row 8) equals the lines only when it is left out, so it was "
        "read as a subtotal and left out of the sum; its lines were counted. If it "
        "is a cost of its own, check the amounts.",
        8: "'Total IT' adds up the lines above it, so it was read as a total and not "
        "counted. If it is an item of its own, rename it so it does not start like "
        "a total.",
    }


def test_a_month_grid_with_unnamed_subtotals_and_a_named_total():
    upload = read_rows(
        [
            ["Item", *MONTHS],
            ["A", *[100] * 12],
            ["B", *[200] * 12],
            ["Software", *[300] * 12],  # row 4: 100 + 200
            ["C", *[50] * 12],
            ["Services", *[50] * 12],  # row 6: C alone
            ["Total IT", *[350] * 12],  # row 7: 100 + 200 + 50
        ]
    )

    # 100 + 200 + 50 = 350 a month, not 350 x 3 = 1,050
    assert [line.item for line in upload.cost_base.lines] == ["A", "B", "C"]
    assert monthly_run_rate(upload) == pytest.approx(350, abs=0.005)
    found = warnings_by_row(upload)
    assert found[4].startswith("'Software' (row 4) is the sum of rows 2 to 3")
    assert found[6].startswith(
        "'Services' (row 6) is the sum of row 5 directly above it, and 'Total IT' "
        "(row 7) equals the lines only when it is left out"
    )


def test_a_line_priced_like_the_one_above_is_not_taken_for_a_subtotal():
    upload = read_rows(
        [
            ["Item", "Monthly cost"],
            ["A", 100],
            ["B", 100],  # equal to A alone, but C is in no such block
            ["C", 50],
            ["Total", 150],  # A + C, by chance
        ]
    )

    # 100 + 100 + 50 = 250: every line counted, the total's difference named
    assert monthly_run_rate(upload) == pytest.approx(250, abs=0.005)
    assert warnings_by_row(upload) == {
        5: "'Total' says 150.00 in Monthly cost (B) but the 3 lines above it (rows "
        "2 to 4) add up to 250.00, a difference of -100.00. The total was left out "
        "of the sum and the lines were counted; check the lines or the total."
    }


# A grand total with no total word


def test_a_last_row_equal_to_every_line_above_it_is_the_grand_total():
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["A", 12000],
            ["B", 24000],
            ["Total software", 36000],
            ["C", 6000],
            ["D", 6000],
            ["Total services", 12000],
            ["IT", 48000],  # row 8: 36,000 + 12,000, no total word
        ]
    )

    # 48,000 a year / 12 = 4,000 a month, not 8,000
    assert [line.item for line in upload.cost_base.lines] == ["A", "B", "C", "D"]
    assert monthly_run_rate(upload) == pytest.approx(4000, abs=0.005)
    assert warnings_by_row(upload)[8] == (
        "'IT' (row 8) is the sum of all the lines above it (rows 2, 3, 5 and 6), "
        "the subtotals not counted, so it was read as the list's total and left out "
        "of the sum. If it is a cost of its own, check the amounts: a line equal to "
        "all the others added up is most likely their total."
    )


# Subtotals rounded to whole units


def test_rounded_subtotals_are_left_out_with_their_difference():
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["A", 12000.40],
            ["B", 23999.70],
            ["Software subtotal", 36000],  # row 4: the lines make 36,000.10
            ["C", 6000.25],
            ["D", 5999.50],
            ["Services", 12000],  # row 7: the lines make 11,999.75
        ]
    )

    # 12,000.40 + 23,999.70 + 6,000.25 + 5,999.50 = 47,999.85 a year;
    # / 12 = 3,999.9875 a month
    assert [line.item for line in upload.cost_base.lines] == ["A", "B", "C", "D"]
    assert monthly_run_rate(upload) == pytest.approx(3999.9875, abs=0.005)
    assert warnings_by_row(upload) == {
        4: "'Software subtotal' (row 4) is named as a total, so it was left out of "
        "the sum: it says 36,000.00 but rows 2 to 3 add up to 36,000.10, a "
        "difference of -0.10, as rounding would make. Its lines were counted; "
        "check the lines or the total.",
        7: "'Services' (row 7) is within rounding of the sum of rows 5 to 6 "
        "directly above it (it says 12,000.00 but they add up to 11,999.75, a "
        "difference of 0.25), so it was read as their subtotal and left out of the "
        "sum; the lines were counted. If it is a cost of its own, check the "
        "amounts.",
    }


def test_a_row_further_off_than_rounding_is_a_line():
    upload = read_rows(
        [["Item", "Monthly cost"], ["A", 1000], ["B", 2000], ["C", 3100]]
    )

    # 3,100 is 100 off 1,000 + 2,000 (3.3%): a cost, 1,000 + 2,000 + 3,100 = 6,100
    assert monthly_run_rate(upload) == pytest.approx(6100, abs=0.005)
    assert warnings_by_row(upload) == {}


# A total closing each section


def test_each_section_total_is_checked_against_its_own_lines():
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["Software"],
            ["A", 12000],
            ["B", 24000],
            ["Total", 36000],  # row 5: A + B
            ["Services"],
            ["C", 6000],
            ["D", 6000],
            ["Total", 12000],  # row 9: C + D, not all 4 lines
            ["Grand total", 48000],  # row 10: all 4 lines
        ]
    )

    # 48,000 a year / 12 = 4,000, and no total warned of a difference
    assert monthly_run_rate(upload) == pytest.approx(4000, abs=0.005)
    assert warnings_by_row(upload) == {}


def test_a_total_matching_neither_its_section_nor_the_list_is_warned():
    upload = read_rows(
        [
            ["Item", "Annual cost"],
            ["Software"],
            ["A", 12000],
            ["B", 24000],
            ["Services"],
            ["C", 6000],
            ["D", 6000],
            ["Total", 13000],  # row 8: C + D = 12,000; all = 48,000
        ]
    )

    # 48,000 / 12 = 4,000; the total is compared with all the lines
    assert monthly_run_rate(upload) == pytest.approx(4000, abs=0.005)
    assert warnings_by_row(upload)[8].startswith(
        "'Total' says 13,000.00 in Annual cost (B) but the 4 lines above it (rows 3 "
        "to 7) add up to 48,000.00, a difference of -35,000.00."
    )


def test_month_totals_in_a_gl_export_close_each_month():
    rows = [HEADER]
    for month in range(1, 13):
        rows += [
            [date(2026, month, 15), 6100, "IT01", "V", "x", 600],
            [date(2026, month, 16), 6200, "IT01", "V", "y", 400],
            [date(2026, month, 28), None, None, None, "Month total", 1000],
        ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    # 12 x (600 + 400) = 12,000.00; the last 'Month total' adds up December only
    assert export.total_cents == 1_200_000
    assert not [
        issue for issue in export.issues if issue.message.startswith("The total in")
    ]


def test_a_gl_total_adding_up_neither_its_block_nor_all_postings_is_warned():
    rows = [
        HEADER,
        [date(2026, 1, 15), 6100, "IT01", "V", "x", 600],
        [date(2026, 1, 28), None, None, None, "Month total", 600],
        [date(2026, 2, 15), 6100, "IT01", "V", "x", 400],
        [date(2026, 2, 28), None, None, None, "Month total", 500],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    # February's 400 and all of 600 + 400 = 1,000 both differ from 500
    assert export.total_cents == 100_000
    [said] = [i for i in export.issues if i.message.startswith("The total in")]
    assert said.message.startswith(
        "The total in row 5 is 500.00, but the postings above it add up to 1,000.00"
    )


# Seats x a price a month beside a cost a year


def test_seats_times_a_monthly_price_is_compared_with_an_annual_cost_in_years():
    upload = read_rows(
        [
            ["Item", "Seats", "Monthly cost per seat", "Annual cost"],
            ["A", 100, 10, 12000],  # 100 x 10 x 12 = 12,000
            ["B", 50, 40, 24000],  # 50 x 40 x 12 = 24,000
            ["C", 10, 10, 1300],  # 10 x 10 x 12 = 1,200, not 1,300
        ]
    )

    # (12,000 + 24,000 + 1,300) / 12 = 37,300 / 12 = 3,108.33
    assert monthly_run_rate(upload) == pytest.approx(3108.33, abs=0.005)
    assert warnings_by_row(upload) == {
        4: "Seats (B) x Monthly cost per seat (C) of 'C' is 10.00 x 10.00 x 12 "
        "months = 1,200.00, but Annual cost (D) says 1,300.00, a difference of "
        "100.00; Annual cost (D) was used. Check the seats, the price or the cost."
    }


def test_subtotals_rounded_to_hundreds_are_warned_each_as_may_be_a_subtotal():
    # Software 36,000 is 0.3% off A + B = 12,400 + 23,700 = 36,100; Services
    # 12,000 is 0.8% off C + D = 6,200 + 5,900 = 12,100. Neither is named a
    # subtotal and either could be a cost, so both are counted, and each is
    # said: (36,100 + 36,000 + 12,100 + 12,000) / 12 = 8,016.67.
    from cpsu.ingest import read_upload
    from tests.ingest_fixtures import xlsx_bytes

    rows = [
        ["Item", "Annual cost"],
        ["A", 12_400],
        ["B", 23_700],
        ["Software", 36_000],
        ["C", 6_200],
        ["D", 5_900],
        ["Services", 12_000],
    ]
    upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    assert round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == (
        8_016.67
    )
    said = [issue.message for issue in upload.issues if "rounded" in issue.message]
    assert said == [
        "'Software' is 36,000.00, within 0.3% of rows 2 to 3 above it, which add "
        "up to 36,100.00: it may be their subtotal, rounded. It was counted as a "
        "line; if it is a subtotal, name it Subtotal or delete it.",
        "'Services' is 12,000.00, within 0.8% of rows 5 to 6 above it, which add "
        "up to 12,100.00: it may be their subtotal, rounded. It was counted as a "
        "line; if it is a subtotal, name it Subtotal or delete it.",
    ]
