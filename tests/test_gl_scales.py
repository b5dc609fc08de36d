"""GL exports in thousands or millions: read as the header, a title row above
it or a note below the postings says, as a cost list is; statements that
disagree are refused or pointed out."""

from __future__ import annotations

from datetime import date

import pytest

from cpsu.ingest.gl import read_gl_export
from cpsu.mapping import Field, Rule, apply_rules, mapped_lines
from tests.test_gl import errors, warnings, xlsx

COLUMNS = ["Posting date", "Account", "Cost centre", "Vendor", "Description"]


def postings() -> list[list[object]]:
    """A year of 1.0 on 6110 and 5.0 on 6210 a month, in whatever unit."""
    return [
        row
        for month in range(1, 13)
        for row in (
            [date(2026, month, 5), 6110, "CC100", "Zoom", "Zoom monthly", 1],
            [date(2026, month, 10), 6210, "CC200", "Acme", "Help desk fee", 5],
        )
    ]


@pytest.mark.parametrize("amount", ["Amount (kUSD)", "Amount ($000)"])
def test_an_amount_header_in_thousands_is_multiplied(amount):
    export = read_gl_export(xlsx([[*COLUMNS, amount], *postings()]), "gl.xlsx")

    assert errors(export) == []
    # 12 x (1 + 5) = 72 thousand = 72,000.00
    assert export.total_cents == 7_200_000
    assert export.entries["amount"].tolist()[:2] == [1000.0, 5000.0]
    [said] = warnings(export)
    assert said.row == 1
    assert said.message == (
        f"The amounts in {amount} (F) are read in thousands, as the header says: "
        "each was multiplied by 1,000."
    )


def test_debit_and_credit_in_thousands_are_both_multiplied():
    rows = [[*row[:5], row[5], None] for row in postings()]
    rows.append([date(2026, 12, 20), 6110, "CC100", "Zoom", "refund", None, 0.5])
    export = read_gl_export(
        xlsx([[*COLUMNS, "Debit ($000)", "Credit ($000)"], *rows]), "gl.xlsx"
    )

    assert errors(export) == []
    assert export.total_cents == 7_150_000  # 72,000 - 500 refund
    assert warnings(export)[0].message == (
        "The amounts in Debit ($000) (F) and Credit ($000) (G) are read in "
        "thousands, as their headers say: each was multiplied by 1,000."
    )


def test_a_title_row_in_thousands_is_applied():
    rows = [
        ["GL detail, amounts in USD thousands"],
        [*COLUMNS, "Amount"],
        *postings(),
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert export.total_cents == 7_200_000  # 72 thousand
    [said] = warnings(export)
    assert said.message == (
        "The amounts in Amount (F) are read in thousands, as the title above the "
        "export says ('GL detail, amounts in USD thousands'): each was multiplied "
        "by 1,000."
    )


def test_a_note_below_the_postings_is_applied_and_not_a_posting():
    rows = [[*COLUMNS, "Amount"], *postings(), [], ["Note: amounts in $000"]]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert errors(export) == []
    assert export.total_cents == 7_200_000  # 72 thousand
    [said] = warnings(export)  # no "row 27 has no amount" any more
    assert said.row == 27
    assert said.message.startswith(
        "The note in row 27, 'Note: amounts in $000', was applied, so the amounts "
        "in Amount (F) were read in thousands: each was multiplied by 1,000."
    )


def test_a_header_and_a_title_that_disagree_are_refused():
    rows = [["Amounts in USD millions"], [*COLUMNS, "Amount ($000)"], *postings()]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert export.entries.empty
    [refusal] = errors(export)
    assert refusal.message.startswith(
        "The amounts' unit is stated more than one way: the header Amount ($000) "
        "(F) says thousands and the title above the export, 'Amounts in USD "
        "millions', says millions;"
    )


def test_a_title_saying_plain_currency_too_is_not_applied():
    rows = [["GL detail in USD; summary in $000"], [*COLUMNS, "Amount"], *postings()]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert export.total_cents == 7_200  # 72.00, as written
    assert "so the amounts were read as they stand, not multiplied" in (
        warnings(export)[0].message
    )


def test_a_note_far_below_is_pointed_out_not_applied():
    rows = [[*COLUMNS, "Amount"], *postings(), *[[]] * 6, ["Note: amounts in $000"]]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert export.total_cents == 7_200  # 72.00, as written
    [said] = warnings(export)
    assert said.row == 32
    assert said.message.startswith(
        "Row 32 says 'Note: amounts in $000', but the amount header does not say "
        "the amounts are in thousands or millions, so they were read as they stand"
    )


def test_an_export_without_a_scale_says_nothing_of_one():
    export = read_gl_export(xlsx([[*COLUMNS, "Amount"], *postings()]), "gl.xlsx")

    assert export.total_cents == 7_200  # 72.00
    assert warnings(export) == []


# Scale words in a title that state no unit: a rounding, a sum, a negation.

NOT_A_UNIT = [
    "GL detail, amounts rounded to the nearest thousand",
    "GL detail - postings under one thousand dollars excluded",
    "GL detail (USD, not in thousands)",
    "GL detail; amounts are not in $000",
]


@pytest.mark.parametrize("title", NOT_A_UNIT)
def test_a_title_with_scale_words_that_state_no_unit_is_not_applied(title):
    rows = [[title], [*COLUMNS, "Amount"], *postings()]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert errors(export) == []
    assert export.total_cents == 7_200  # 72.00, as written: 12 x (1 + 5)
    assert not [m for m in map(str, warnings(export)) if "thousand" in m]
    rules = (Rule(Field.ACCOUNT, "6*", "Other"),)
    # 72.00 over 12 months: 6.00 a month, not 6,000.00
    assert mapped_lines(apply_rules(export, rules))["monthly"].sum() == 6.00


def test_a_title_stating_the_unit_beside_a_rounding_is_still_applied():
    rows = [
        ["GL detail in $000, rounded to the nearest thousand"],
        [*COLUMNS, "Amount"],
        *postings(),
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert export.total_cents == 7_200_000  # 72 thousand
    [said] = warnings(export)
    assert said.message == (
        "The amounts in Amount (F) are read in thousands, as the title above the "
        "export says ('GL detail in $000, rounded to the nearest thousand'): each "
        "was multiplied by 1,000."
    )
