"""GL exports: balance rows, debit/credit indicators and costs written negative."""

from __future__ import annotations

import pytest

from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.ingest.choices import SIGNS, ReadChoices, choices_asked
from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.issues import Severity
from cpsu.mapping import Field, Rule, apply_rules, mapped_lines, negative_run_rate
from cpsu.projection import ProjectionError, project
from cpsu.scenario import Headcount, HeadcountRow, Scenario
from tests.ingest_fixtures import csv_bytes
from tests.test_pages import cost_base_page, metric, new_app, upload

HEADER = ["Date", "Account", "Vendor", "Description", "Amount"]
ALL_61 = (Rule(Field.ACCOUNT, "61*", "Other"),)


def messages(export, severity=Severity.WARNING):
    return [issue.message for issue in export.issues if issue.severity is severity]


# --- balance rows ---------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Beginning Balance",
        "Opening balance",
        "Closing balance",
        "Balance b/f",
        "Balance brought forward",
        "Balance carried forward",
        "b/f",
        "C/F",
        "Bal. fwd",
    ],
)
def test_a_balance_row_is_left_out_named_with_its_amount(said):
    data = csv_bytes(
        [
            HEADER,
            ["2026-01-01", "6100", "", said, "50000"],
            ["2026-01-15", "6100", "Microsoft", "M365", "1000"],
            ["2026-02-15", "6100", "Microsoft", "M365", "1000"],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert not export.has_errors
    assert export.total == 2_000  # 1,000 + 1,000; the 50,000 balance left out
    mapping = apply_rules(export, ALL_61)
    assert mapping.mapped_total == 2_000 and mapping.reconciles
    assert mapped_lines(mapping)["monthly"].tolist() == [1_000]  # 2,000 / 2 months
    (note,) = [m for m in messages(export) if "balance" in m]
    assert note.startswith("Row 2 carries a balance")
    assert "50,000.00 in all, in neither the mapped total nor the export's total" in (
        note
    )


def test_balance_rows_are_listed_together_and_postings_that_say_balance_stay():
    data = csv_bytes(
        [
            HEADER,
            ["2026-01-01", "6100", "", "Opening balance", "40000"],
            ["2026-01-15", "6100", "Microsoft", "Balance sheet review", "700"],
            ["2026-02-15", "3000 Opening Balance Equity", "", "Journal", "300"],
            ["2026-02-28", "6100", "", "Closing balance", "-41000"],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    # 700 + 300: a description that only mentions a balance sheet is a posting,
    # and so is one to the account named Opening Balance Equity
    assert export.total == 1_000
    (note,) = [m for m in messages(export) if "balance" in m]
    # 40,000 - 41,000 = -1,000
    assert note.startswith("Rows 2 and 5 carry balances")
    assert "-1,000.00 in all" in note


# --- debit/credit indicators ------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "debit", "credit"),
    [
        ("D/C", "D", "C"),
        ("Dr/Cr", "Dr", "Cr"),
        ("Debit/Credit", "Debit", "Credit"),
        ("Debit/Credit ind.", "S", "H"),  # SAP: Soll and Haben
    ],
)
def test_an_indicator_column_signs_the_amounts(header, debit, credit):
    data = csv_bytes(
        [
            [*HEADER, header],
            ["2026-01-15", "6100", "Microsoft", "M365", "1000", debit],
            ["2026-02-15", "6100", "Microsoft", "M365", "1000", debit],
            ["2026-02-20", "6100", "Microsoft", "Refund", "200", credit],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert not export.has_errors
    assert export.total == 1_800  # 1,000 + 1,000 - 200
    monthly = mapped_lines(apply_rules(export, ALL_61))["monthly"].tolist()
    assert monthly == [900]  # 1,800 / 2 months
    (note,) = [m for m in messages(export) if "marks debits and credits" in m]
    assert note == (
        f"{header} (F) marks debits and credits, so the 1 row marked credit was "
        "counted negative (-200.00 in all) and the 2 marked debit positive."
    )


def test_a_credit_written_negative_stays_a_credit():
    data = csv_bytes(
        [
            [*HEADER, "D/C"],
            ["2026-01-15", "6100", "Microsoft", "M365", "1000", "D"],
            ["2026-01-20", "6100", "Microsoft", "Refund", "-200", "C"],
        ]
    )
    assert read_gl_export(data, "gl.csv").total == 800  # 1,000 - 200


def test_an_indicator_that_is_neither_or_contradicts_the_amount_is_an_error():
    data = csv_bytes(
        [
            [*HEADER, "D/C"],
            ["2026-01-15", "6100", "Microsoft", "M365", "1000", "X"],
            ["2026-01-16", "6100", "Microsoft", "M365", "1000", ""],
            ["2026-01-20", "6100", "Microsoft", "M365", "-300", "D"],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    found = [
        (i.row, i.column, i.message) for i in export.issues if i.severity == "error"
    ]
    assert found == [
        (
            2,
            "D/C (F)",
            "D/C (F) is 'X', neither a debit nor a credit; write D (debit) "
            "or C (credit).",
        ),
        (3, "D/C (F)", "D/C (F) is empty; write D for a debit or C for a credit."),
        (
            4,
            "D/C (F)",
            "Amount (E) is -300 but D/C (F) says debit; write the debit "
            "as a positive amount, or mark it C if it is a credit.",
        ),
    ]


def test_debit_and_credit_columns_sign_the_amounts_without_the_indicator():
    data = csv_bytes(
        [
            ["Date", "Account", "Debit", "Credit", "D/C"],
            ["2026-01-15", "6100", "1000", "", "D"],
            ["2026-01-20", "6100", "", "200", "C"],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert export.total == 800  # 1,000 - 200, not signed twice
    assert any("was not needed and was not used" in m for m in messages(export))


# --- costs written negative -------------------------------------------------------

NEGATIVE = csv_bytes(
    [
        HEADER,
        ["2026-01-15", "6100", "Microsoft", "M365", "-1000"],
        ["2026-02-15", "6100", "Microsoft", "M365", "-1000"],
        ["2026-02-20", "6100", "Microsoft", "Refund", "200"],
    ]
)


def test_an_export_adding_up_below_zero_is_refused_until_the_user_says():
    export = read_gl_export(NEGATIVE, "gl.csv")
    assert export.has_errors and export.entries.empty
    (refusal,) = messages(export, Severity.ERROR)
    # -1,000 - 1,000 + 200 = -1,800
    assert refusal.startswith(
        "The postings add up to -1,800.00, below zero: 2 of the 3 are negative "
        "(-2,000.00) and 1 positive (200.00)."
    )
    assert choices_asked(export.issues) == {SIGNS}

    flipped = read_gl_export(
        NEGATIVE, "gl.csv", choices=ReadChoices(costs_negative=True)
    )
    assert not flipped.has_errors
    assert flipped.total == 1_800
    assert mapped_lines(apply_rules(flipped, ALL_61))["monthly"].tolist() == [900]
    assert any("every sign was read the other way" in m for m in messages(flipped))


def test_mapped_lines_below_zero_are_refused_naming_the_lines():
    as_written = read_gl_export(
        NEGATIVE, "gl.csv", choices=ReadChoices(costs_negative=False)
    )
    assert as_written.total == -1_800
    problem = negative_run_rate(mapped_lines(apply_rules(as_written, ALL_61)))
    assert problem is not None and problem.severity is Severity.ERROR
    assert problem.message.startswith(
        "The mapped lines add up to -$900.00 a month, below zero, so no run-rate or "
        "CPSU can be made from them. Below zero: Account 61* (-$900.00 a month)."
    )


def test_a_run_rate_below_zero_is_never_projected():
    lines = CostBase(
        (
            CostLine("M365", "Other", Behaviour.FIXED, amount=1_000),
            CostLine("Refunds", "Other", Behaviour.FIXED, amount=-1_900),
        )
    )
    headcount = Headcount((HeadcountRow("2026-Q4", 100, 0),))
    with pytest.raises(ProjectionError) as refused:
        project(lines, headcount, Scenario(horizon_quarters=2))
    # 1,000 - 1,900 = -900 a month
    assert str(refused.value).startswith(
        "The monthly run-rate in 2026-Q4 is -$900.00, below zero, so no CPSU can be "
        "computed"
    )
    assert "The lines below zero are Refunds (-$1,900.00)." in str(refused.value)


def test_the_app_asks_how_a_negative_export_writes_costs():
    at = cost_base_page(new_app())
    upload(at, "gl.csv", NEGATIVE, "text/csv")
    assert not at.exception
    assert "was not used" in at.error[0].value
    assert metric(at, "Cost lines") == "28"  # the sample stays
    radio = at.radio(key="cost_base.signs")
    assert radio.label == "Costs in this GL export are"
    radio.set_value(True).run()
    assert not at.exception
    assert "is a GL export" in at.info[0].value
    assert metric(at, "Export total") == "$1,800.00"  # 1,000 + 1,000 - 200
    # read as written instead, the mapped lines are refused, never used
    at.radio(key="cost_base.signs").set_value(False).run()
    assert metric(at, "Export total") == "-$1,800.00"
    add = at.selectbox(key="mapping.field")
    add.set_value("account")
    at.text_input(key="mapping.pattern").set_value("61*")
    at.button[[b.label for b in at.button].index("Add rule")].click().run()
    assert any("below zero" in e.value for e in at.error)
    use = next(b for b in at.button if b.label.startswith("Use the 1 mapped lines"))
    assert use.disabled


# --- credits written negative in a Credit column ---------------------------------


@pytest.mark.parametrize("refund", ["-200", "200", "(200)"])
def test_a_credit_written_negative_is_still_a_credit(refund):
    data = csv_bytes(
        [
            ["Date", "Account", "Vendor", "Description", "Debit", "Credit"],
            ["2026-01-15", "6100", "Microsoft", "M365", "1000", ""],
            ["2026-02-15", "6100", "Microsoft", "M365", "1000", ""],
            ["2026-02-20", "6100", "Microsoft", "Refund", "", refund],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert not export.has_errors
    # 1,000 + 1,000 - 200 = 1,800 over two months: 900 a month.
    assert export.total == 1_800
    mapping = apply_rules(export, ALL_61)
    assert mapped_lines(mapping)["monthly"].tolist() == [900]
    said = [m for m in messages(export) if "written negative" in m]
    if refund == "200":
        assert said == []
    else:
        assert said == [
            "Credit (F) in row 4 is written negative; a credit is taken off the "
            "debits however it is written, so it was counted as a credit "
            "(-200.00 in all)."
        ]


# --- a debit/credit indicator found by its cells, whatever its header -----------


@pytest.mark.parametrize(
    ("heading", "debit", "credit"),
    [
        ("Type", "Debit", "Credit"),
        ("Entry type", "DR", "CR"),
        ("Kind", "Dr", "Cr"),
        ("Flag", "D", "C"),
        ("BSCHL", "S", "H"),
        ("Sign", "+", "-"),
    ],
)
def test_an_indicator_column_is_found_by_its_cells(heading, debit, credit):
    data = csv_bytes(
        [
            [*HEADER, heading],
            ["2026-01-15", "6100", "Microsoft", "M365", "1000", debit],
            ["2026-02-15", "6100", "Microsoft", "M365", "1000", debit],
            ["2026-02-20", "6100", "Microsoft", "Refund", "200", credit],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert not export.has_errors
    # 1,000 + 1,000 - 200 = 1,800 over two months: 900 a month.
    assert export.total == 1_800
    assert mapped_lines(apply_rules(export, ALL_61))["monthly"].tolist() == [900]
    assert messages(export) == [
        f"{heading} (F) marks debits and credits, so the 1 row marked credit was "
        "counted negative (-200.00 in all) and the 2 marked debit positive."
    ]


def test_a_column_of_only_dashes_is_not_taken_for_an_indicator():
    data = csv_bytes(
        [
            [*HEADER, "Project"],
            ["2026-01-15", "6100", "Microsoft", "M365", "1000", "-"],
            ["2026-02-15", "6100", "Microsoft", "M365", "1000", "-"],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert export.total == 2_000  # 1,000 + 1,000, the dashes say nothing
    assert any("Project (F) is not a column" in m for m in messages(export))


# --- balance rows however they are spelt ---------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Beg. Bal.",
        "Beginning-Balance",
        "Opening",
        "Opening position",
        "Prior year balance",
        "Prior-year bal",
        "Saldo inicial",
        "Start bal.",
    ],
)
def test_a_balance_spelt_otherwise_is_left_out(said):
    data = csv_bytes(
        [
            HEADER,
            ["2026-01-01", "6100", "", said, "50000"],
            ["2026-01-15", "6100", "Microsoft", "M365", "1000"],
            ["2026-02-15", "6100", "Microsoft", "M365", "1000"],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert export.total == 2_000  # 1,000 + 1,000; the 50,000 balance left out
    assert mapped_lines(apply_rules(export, ALL_61))["monthly"].tolist() == [1_000]
    (note,) = [m for m in messages(export) if "balance" in m]
    assert note.startswith("Row 2 carries a balance")
    assert "50,000.00 in all" in note


def test_a_transaction_type_column_saying_balance_leaves_the_row_out():
    data = csv_bytes(
        [
            ["Date", "Transaction type", "Account", "Vendor", "Memo", "Amount"],
            ["2026-01-01", "Beginning Balance", "6100", "", "", "50000"],
            ["2026-01-15", "Bill", "6100", "Microsoft", "M365", "1000"],
            ["2026-02-15", "Bill", "6100", "Microsoft", "M365", "1000"],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert export.total == 2_000  # 1,000 + 1,000; the 50,000 balance left out
    assert mapped_lines(apply_rules(export, ALL_61))["monthly"].tolist() == [1_000]
    assert any(m.startswith("Row 2 carries a balance") for m in messages(export))


def test_a_posting_about_an_opening_is_counted():
    data = csv_bytes(
        [
            HEADER,
            ["2026-01-15", "6100", "Caterer", "Office opening party", "500"],
            ["2026-02-15", "6100", "Microsoft", "M365", "1000"],
        ]
    )
    export = read_gl_export(data, "gl.csv")
    assert export.total == 1_500  # 500 + 1,000, both postings
    assert not [m for m in messages(export) if "balance" in m]
