"""GL exports whose postings need more than an amount and a date to read:
periods in a year and a period column, exports of more than a year, columns
that say a row is a budget, unposted or in another currency, and trial
balances."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cpsu.cli import main
from cpsu.ingest.gl import read_gl_export
from cpsu.mapping import Rule, apply_rules, mapped_lines, save_rules
from tests.ingest_fixtures import GL_HEADER, gl_bytes, monthly_postings
from tests.test_gl import errors, warnings

AMOUNT_HEADER = [*GL_HEADER, "Amount"]


def check(tmp_path: Path, data: bytes, capsys, rules=None) -> tuple[int, dict]:
    """`cpsu check --json` of an export, mapped by one rule for 6000-6999."""
    export = tmp_path / "gl.xlsx"
    export.write_bytes(data)
    mapping = tmp_path / "rules.json"
    mapping.write_bytes(
        save_rules(rules or [Rule("account", "6000-6999", "Support tools")])
    )
    code = main(["check", str(export), "--mapping", str(mapping), "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out[out.index("{") :])


def messages(issues) -> list[str]:
    return [issue.message for issue in issues]


# --- the posting period in a year column and a period column --------------------


@pytest.mark.parametrize(
    ("year_header", "period_header", "year", "period"),
    [
        ("Year", "Month", 2026, lambda month: month),
        ("Fiscal year", "Period", 2026, lambda month: month),
        ("FY", "Period", "FY26", lambda month: f"P{month:02d}"),
        ("Year", "Month", "2026", lambda month: date(2026, month, 1).strftime("%b")),
    ],
)
def test_a_year_and_a_period_column_date_each_posting(
    tmp_path, capsys, year_header, period_header, year, period
):
    header = [year_header, period_header, "Account", "Cost centre", "Vendor"]
    rows = [
        [year, period(month), 6100, "IT01", "Microsoft", "M365", 1000]
        for month in range(1, 13)
    ]
    data = gl_bytes([*header, "Description", "Amount"], rows)
    export = read_gl_export(data, "gl.xlsx")

    assert errors(export) == []
    assert [str(month) for month in export.months] == [
        f"2026-{month:02d}" for month in range(1, 13)
    ]
    # 12 postings of 1,000.00
    assert export.total_cents == 12_000_00
    code, report = check(tmp_path, data, capsys)
    assert code == 0
    assert report["kind"] == "gl"
    # 12,000.00 over 12 months, not the year 2026 read as an amount
    assert report["monthly_run_rate"] == 1000.0


def test_a_fiscal_period_13_in_its_own_column_is_refused_as_such():
    rows = [[2026, period, 6100, "IT01", "V", "x", 1000] for period in range(1, 14)]
    header = ["Fiscal year", "Period", "Account", "Cost centre", "Vendor"]
    export = read_gl_export(
        gl_bytes([*header, "Description", "Amount"], rows), "gl.xlsx"
    )

    assert messages(errors(export)) == [
        "Period (B) is '13', period 13 of 2026; only periods 1 to 12 are months "
        "(move adjustment periods into period 12, or leave them out)."
    ]


def test_a_period_number_without_a_year_is_never_an_excel_date():
    rows = [[period, 6100, "IT01", "V", "x", 1000] for period in (1, 2)]
    header = ["Period", "Account", "Cost centre", "Vendor", "Description", "Amount"]
    export = read_gl_export(gl_bytes(header, rows), "gl.xlsx")

    said = messages(errors(export))
    assert said == [
        f"Period (A) is {period}, a period with no year; add a Fiscal year column "
        "beside it, or write each period with its year, like 202601 or 2026-01."
        for period in (1, 2)
    ]
    assert not any("1899" in message for message in said)


def test_a_year_that_is_not_one_is_named_with_its_period():
    header = ["Year", "Month", "Account", "Cost centre", "Vendor", "Description"]
    rows = [["next", 3, 6100, "IT01", "V", "x", 1000]]
    export = read_gl_export(gl_bytes([*header, "Amount"], rows), "gl.xlsx")

    assert messages(errors(export)) == [
        "Month (B) is 3, a period of the year beside it, which is 'next', not a "
        "year; write the year like 2026 or FY26."
    ]


@pytest.mark.parametrize("written", ["P{p:02d} FY26", "FY26 P{p:02d}", "P{p} FY2026"])
def test_a_period_of_a_fiscal_year_written_as_text(written):
    header = ["Fiscal period", "Account", "Cost centre", "Vendor", "Description"]
    rows = [
        [written.format(p=period), 6100, "IT01", "V", "x", 1000]
        for period in range(1, 13)
    ]
    export = read_gl_export(gl_bytes([*header, "Amount"], rows), "gl.xlsx")

    assert errors(export) == []
    assert (str(export.months[0]), str(export.months[-1])) == ("2026-01", "2026-12")
    assert export.total_cents == 12_000_00


# --- more than a year of postings ----------------------------------------------


def two_years() -> bytes:
    return gl_bytes(
        AMOUNT_HEADER, [*monthly_postings(2025, 1000), *monthly_postings(2026, 2000)]
    )


def test_an_export_of_two_years_costs_its_latest_twelve_months(tmp_path, capsys):
    export = read_gl_export(two_years(), "gl.xlsx")

    assert errors(export) == []
    # 2026: 12 x 2,000.00 = 24,000.00; 2025's 12 x 1,000.00 set aside
    assert export.total_cents == 24_000_00
    assert export.left_out_cents == 12_000_00
    assert export.left_out["row"].tolist() == list(range(2, 14))
    assert (str(export.months[0]), str(export.months[-1])) == ("2026-01", "2026-12")
    assert (
        "The postings run over 24 months (2025-01 to 2026-12), more than a year, "
        "so the run-rate is the average month of the latest 12, 2026-01 to "
        "2026-12; the 12 postings of the 12 earlier months (2025-01 to 2025-12), "
        "12,000.00 in all, were left out. Delete their rows, or export only the "
        "year you plan for, to make this plain."
    ) in messages(warnings(export))

    code, report = check(tmp_path, two_years(), capsys)
    assert code == 0
    # 24,000.00 / 12, not 36,000.00 / 24 = 1,500.00
    assert report["monthly_run_rate"] == 2000.0
    assert report["reconciliation"] == {
        "months": 12,
        "total": 24000.0,
        "mapped": 24000.0,
        "unmapped": 0.0,
        "reconciles": True,
        "left_out": {
            "postings": 12,
            "total": 12000.0,
            "months": [f"2025-{month:02d}" for month in range(1, 13)],
            # 24,000.00 costed + 12,000.00 left out
            "file_total": 36000.0,
        },
    }


def test_mapped_and_unmapped_postings_add_up_within_the_latest_year():
    rows = [
        *monthly_postings(2025, 1000),
        *monthly_postings(2026, 2000),
        *monthly_postings(2026, 300.25, account=7100),
    ]
    export = read_gl_export(gl_bytes(AMOUNT_HEADER, rows), "gl.xlsx")
    mapping = apply_rules(export, [Rule("account", "6100", "Support tools")])

    # mapped 12 x 2,000.00 = 24,000.00; unmapped 12 x 300.25 = 3,603.00
    assert mapping.mapped_total == 24000.0
    assert mapping.unmapped_total == 3603.0
    assert mapping.mapped_total + mapping.unmapped_total == export.total == 27603.0
    [line] = mapped_lines(mapping).itertuples()
    assert line.monthly == 2000.0


def test_the_text_report_says_what_was_not_costed(tmp_path, capsys):
    export = tmp_path / "gl.xlsx"
    export.write_bytes(two_years())
    rules = tmp_path / "rules.json"
    rules.write_bytes(save_rules([Rule("account", "6000-6999", "Support tools")]))

    assert main(["check", str(export), "--mapping", str(rules)]) == 0
    out = capsys.readouterr().out
    assert "each an average of 12 months" in out
    assert (
        "not costed: 12 postings outside the months costed (2025-01 to 2025-12)"
    ) in out


def test_a_lone_posting_after_a_full_year_is_left_out(tmp_path, capsys):
    prepayment = [date(2027, 1, 2), 6100, "IT01", "Microsoft", "Prepayment FY27"]
    data = gl_bytes(
        AMOUNT_HEADER, [*monthly_postings(2026, 1000), [*prepayment, 12000]]
    )
    export = read_gl_export(data, "gl.xlsx")

    assert errors(export) == []
    # 2026-01..2026-12: 12 x 1,000.00; not 24,000.00 / 13 = 1,846.15, nor the
    # latest 12 months 2026-02..2027-01: (11,000.00 + 12,000.00) / 12 = 1,916.67
    assert export.total_cents == 12_000_00
    assert export.left_out["row"].tolist() == [14]
    assert export.left_out_cents == 12_000_00
    assert messages(warnings(export)) == [
        "Row 14 is the only posting in 2027-01 ('Prepayment FY27'), 12,000.00, "
        "after the months of every other posting. A single posting is not a "
        "month's spending (it may pay for next year, or the export may end early "
        "in that month), so it was left out and the year costed ends in 2026-12. "
        "If it is a cost of the months before, date it in them."
    ]
    code, report = check(tmp_path, data, capsys)
    assert code == 0
    assert report["monthly_run_rate"] == 1000.0
    assert report["reconciliation"]["left_out"]["file_total"] == 24000.0


def test_a_last_month_like_the_others_starts_the_latest_year():
    # 13 months of one posting each, the last like the rest: 2025-12 (100.00)
    # is the earlier month, and 2026's 12 x 1,000.00 are costed.
    rows = [
        [date(2025, 12, 15), 6100, "IT01", "Microsoft", "M365", 100],
        *monthly_postings(2026, 1000),
    ]
    export = read_gl_export(gl_bytes(AMOUNT_HEADER, rows), "gl.xlsx")

    assert export.total_cents == 12_000_00
    assert export.left_out["row"].tolist() == [2]
    assert (
        "The postings run over 13 months (2025-12 to 2026-12), more than a year, "
        "so the run-rate is the average month of the latest 12, 2026-01 to "
        "2026-12; the 1 posting of the 1 earlier month (2025-12), 100.00 in all, "
        "was left out. Delete their rows, or export only the year you plan for, "
        "to make this plain."
    ) in messages(warnings(export))


def test_a_year_of_postings_is_costed_whole():
    export = read_gl_export(
        gl_bytes(AMOUNT_HEADER, monthly_postings(2026, 1000)), "gl.xlsx"
    )

    assert warnings(export) == []
    assert export.left_out.empty
    assert export.total_cents == 12_000_00


# --- columns that say what a posting is -------------------------------------------


def balance_types(*kinds: tuple[str, float]) -> bytes:
    rows = [
        [date(2026, month, 15), 6100, "IT01", "V", "x", kind, amount]
        for month in range(1, 13)
        for kind, amount in kinds
    ]
    return gl_bytes([*GL_HEADER, "Balance type", "Amount"], rows)


def test_only_the_actuals_are_read_beside_a_budget(tmp_path, capsys):
    data = balance_types(("Actual", 1000), ("Budget", 1100))
    export = read_gl_export(data, "gl.xlsx")

    assert errors(export) == []
    # 12 actual postings of 1,000.00; the 12 of 1,100.00 budget = 13,200.00
    assert export.total_cents == 12_000_00
    assert messages(warnings(export)) == [
        "Balance type (F) holds Budget beside the actuals; only the 12 actual "
        "postings were read. The 12 other postings (13,200.00, rows 3, 5, 7, 9, 11 "
        "and 7 more) were left out."
    ]
    code, report = check(tmp_path, data, capsys)
    assert code == 0
    # not (1,000.00 + 1,100.00) = 2,100.00 a month
    assert report["monthly_run_rate"] == 1000.0


@pytest.mark.parametrize("header", ["Ledger", "Scenario"])
def test_a_budget_without_actuals_is_asked_about(header):
    rows = [[date(2026, m, 15), 6100, "IT01", "V", "x", "Budget", 1100] for m in (1, 2)]
    export = read_gl_export(gl_bytes([*GL_HEADER, header, "Amount"], rows), "gl.xlsx")

    assert messages(errors(export)) == [
        f"{header} (F) holds Budget and no Actual postings, so this program cannot "
        "tell which postings are spending. Export the actuals, or, if these "
        f"amounts are the ones to cost, keep one kind and delete the {header} "
        "column."
    ]


def test_one_ledger_named_throughout_is_read_as_it_is():
    rows = monthly_postings(2026, 1000, extra=["0L"])
    export = read_gl_export(gl_bytes([*GL_HEADER, "Ledger", "Amount"], rows), "gl.xlsx")

    assert errors(export) == []
    assert warnings(export) == []
    assert export.total_cents == 12_000_00


def test_postings_not_posted_are_left_out(tmp_path, capsys):
    rows = [
        *monthly_postings(2026, 1000, extra=["Posted"]),
        [date(2026, 6, 1), 6100, "IT01", "V", "x", "Reversed", 5000],
        [date(2026, 7, 1), 6100, "IT01", "V", "x", "Parked", 5000],
        [date(2026, 8, 1), 6100, "IT01", "V", "x", "Draft", 250.5],
    ]
    data = gl_bytes([*GL_HEADER, "Status", "Amount"], rows)
    export = read_gl_export(data, "gl.xlsx")

    assert errors(export) == []
    # 12 posted x 1,000.00; left out 5,000.00 + 5,000.00 + 250.50 = 10,250.50
    assert export.total_cents == 12_000_00
    assert messages(warnings(export)) == [
        "Status (F) marks 3 postings Draft, Parked and Reversed, not posted "
        "(10,250.50, rows 14, 15 and 16); they were left out, and only the 12 "
        "posted ones counted."
    ]
    code, report = check(tmp_path, data, capsys)
    assert code == 0
    # not (12,000.00 + 10,250.50) / 12 = 1,854.21
    assert report["monthly_run_rate"] == 1000.0


def test_an_export_of_only_parked_postings_is_refused():
    rows = [[date(2026, 1, 15), 6100, "IT01", "V", "x", "Parked", 1000]]
    export = read_gl_export(gl_bytes([*GL_HEADER, "Status", "Amount"], rows), "gl.xlsx")

    assert messages(errors(export)) == [
        "Status (F) marks 1 posting Parked, not posted (1,000.00, row 2), and no "
        "posting is marked posted. Export the posted journals."
    ]


def test_two_currencies_are_never_added(tmp_path, capsys):
    rows = [
        [date(2026, 1, 15), 6100, "IT01", "V", "x", "USD", 1000],
        [date(2026, 1, 15), 6100, "UK01", "V", "x", "GBP", 800],
        [date(2026, 2, 15), 6100, "IT01", "V", "x", "usd", 1000],
    ]
    data = gl_bytes([*GL_HEADER, "Currency", "Amount"], rows)
    export = read_gl_export(data, "gl.xlsx")

    assert messages(errors(export)) == [
        "Currency (F) names 2 currencies (GBP in row 3; USD in rows 2 and 4); "
        "their amounts cannot be added up. Convert the amounts to one currency, "
        "the one the budget is in, and upload the export again."
    ]
    code, report = check(tmp_path, data, capsys)
    assert code != 0
    # no 1,000.00 + 800.00 = 1,800.00 run-rate
    assert report["monthly_run_rate"] is None


def test_one_currency_throughout_is_read():
    rows = monthly_postings(2026, 1000, extra=["EUR"])
    export = read_gl_export(
        gl_bytes([*GL_HEADER, "Currency", "Amount"], rows), "gl.xlsx"
    )

    assert errors(export) == []
    assert warnings(export) == []
    assert export.total_cents == 12_000_00


# --- trial balances ---------------------------------------------------------------


@pytest.mark.parametrize("column", ["YTD Amount", "Closing balance", "Year to date"])
def test_a_trial_balance_is_refused_for_its_cumulative_figures(column):
    # YTD 1,000.00, 2,000.00, ... 12,000.00: added up, 78,000.00 for 12,000.00
    rows = [
        [202600 + period, 6100, "IT01", "Software", 1000 * period]
        for period in range(1, 13)
    ]
    header = ["Period", "Account", "Cost centre", "Description", column]
    export = read_gl_export(gl_bytes(header, rows, sheet="TB"), "tb.xlsx")

    assert export.recognised
    assert export.entries.empty
    assert messages(errors(export)) == [
        f"TB looks like a trial balance, not a list of postings: {column} (E) "
        "holds year-to-date or closing balances, each period's figure including "
        "every period before it, so adding them up would count the early months "
        "again and again. Export the period movements instead (the amount posted "
        "in each period, often called Period activity, Net change or Movement), "
        "or the postings themselves."
    ]


def test_a_running_balance_beside_the_amounts_is_not_read():
    rows = [
        [*posting, 1000 * month]
        for month, posting in enumerate(monthly_postings(2026, 1000), start=1)
    ]
    export = read_gl_export(gl_bytes([*AMOUNT_HEADER, "Balance"], rows), "g.xlsx")

    assert errors(export) == []
    # the Amount column: 12 x 1,000.00
    assert export.total_cents == 12_000_00
    assert messages(warnings(export)) == [
        "Balance (G) was not read: it holds running or year-to-date balances, "
        "each including the postings before it; the postings are read from "
        "Amount (F)."
    ]


def test_period_movements_are_read_as_amounts():
    rows = [
        [202600 + period, 6100, "IT01", "Software", 1000] for period in range(1, 13)
    ]
    header = ["Period", "Account", "Cost centre", "Description", "Net change"]
    export = read_gl_export(gl_bytes(header, rows), "gl.xlsx")

    assert errors(export) == []
    assert export.total_cents == 12_000_00


def test_a_month_without_its_year_beside_a_posting_date_leaves_the_date_to_say():
    rows = [
        [day, account, cc, vendor, text, day.strftime("%b"), amount]
        for day, account, cc, vendor, text, amount in monthly_postings(2026, 1000)
    ]
    header = [*GL_HEADER, "Month", "Amount"]
    export = read_gl_export(gl_bytes(header, rows), "gl.xlsx")

    assert errors(export) == []
    assert (str(export.months[0]), str(export.months[-1])) == ("2026-01", "2026-12")
    assert export.total_cents == 12_000_00


def test_the_text_report_names_a_lone_posting_left_out(tmp_path, capsys):
    prepayment = [date(2027, 1, 2), 6100, "IT01", "Microsoft", "Prepayment FY27"]
    rows = [*monthly_postings(2026, 1000), [*prepayment, 12000]]
    export = tmp_path / "gl.xlsx"
    export.write_bytes(gl_bytes(AMOUNT_HEADER, rows))
    rules = tmp_path / "rules.json"
    rules.write_bytes(save_rules([Rule("account", "6000-6999", "Support tools")]))

    assert main(["check", str(export), "--mapping", str(rules)]) == 0
    # 12,000.00 costed + the 12,000.00 prepayment = 24,000.00 in the file
    assert (
        "not costed: 1 posting outside the months costed (2027-01), $12,000.00; "
        "the file's postings add up to $24,000.00"
    ) in capsys.readouterr().out
