"""GL total rows at the top of their block, and totals rounded to whole units."""

from __future__ import annotations

from datetime import date

from cpsu.ingest.gl import read_gl_export
from tests.test_gl import HEADER, errors, warnings, xlsx
from tests.test_gl_totals import fees


def test_a_total_at_the_top_of_its_postings_is_left_out():
    total = [date(2026, 1, 1), 6110, "", "", "Total 6110", 12000]
    export = read_gl_export(xlsx([HEADER, total, *fees(6110, 1000)]), "gl.xlsx")

    assert errors(export) == []
    # 12 x 1,000.00; the total in row 2 is not counted again.
    assert export.total_cents == 1_200_000
    [said] = warnings(export)
    assert said.row == 2
    assert said.message == (
        "Row 2 says 'Total 6110' and its amount, 12,000.00, is the sum of the "
        "postings below it to account 6110 (rows 3 to 14), so it was read as a "
        "total row and left out of the sum and of the export's total, so that "
        "nothing counts twice. If it is a posting, change its description."
    )


def test_totals_at_the_top_of_two_blocks_and_a_grand_total_below():
    rows = [
        HEADER,
        [date(2026, 1, 1), 6110, "", "", "Total 6110", 12000],
        *fees(6110, 1000),
        [date(2026, 1, 1), 6210, "", "", "Total 6210", 60000],
        *fees(6210, 5000),
        [date(2026, 12, 31), "", "", "", "Grand total", 72000],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert errors(export) == []
    # 12 x 1,000.00 + 12 x 5,000.00 = 72,000.00; no total counted.
    assert export.total_cents == 7_200_000


def test_a_vendor_named_total_at_the_top_is_still_a_posting():
    # A description that is more than a total label stays a posting.
    posting = [date(2026, 1, 1), 6110, "CC", "Total Software Inc", "Invoice 1", 12000]
    export = read_gl_export(xlsx([HEADER, posting, *fees(6110, 1000)]), "gl.xlsx")

    # 12,000.00 + 12 x 1,000.00
    assert export.total_cents == 2_400_000


def test_a_total_over_one_posting_below_is_counted():
    total = [date(2026, 1, 1), 6110, "", "", "Total", 1000]
    export = read_gl_export(xlsx([HEADER, total, *fees(6110, 1000, 1)]), "gl.xlsx")

    # One posting below proves nothing: both are counted, with a warning.
    assert export.total_cents == 200_000
    assert [issue.row for issue in warnings(export)] == [2]


def test_a_total_rounded_to_whole_units_is_left_out():
    rows = [
        HEADER,
        *fees(6110, 1000.33),
        [date(2026, 12, 31), 6110, "", "", "Total", 12004],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    # 12 x 1,000.33 = 12,003.96; the total 12,004 is that sum rounded.
    assert errors(export) == []
    assert export.total_cents == 1_200_396
    [said] = warnings(export)
    assert said.message == (
        "Row 14 says 'Total' and its amount, 12,004.00, is the sum of the postings "
        "above it to account 6110 (12,003.96) rounded to whole units, so it was "
        "read as a total row and left out of the sum and of the export's total, "
        "so that nothing counts twice. If it is a posting, change its description."
    )


def test_a_total_more_than_rounding_off_is_counted():
    rows = [
        HEADER,
        *fees(6110, 1000.33),
        [date(2026, 12, 31), 6110, "", "", "Total", 12005],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    # 12,003.96 + 12,005.00: 1.04 off is not rounding, so it is counted.
    assert export.total_cents == 2_400_896
    [said] = warnings(export)
    assert "is not the sum of the postings above it" in said.message
