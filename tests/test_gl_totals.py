"""Total rows in GL exports that carry a date: left out when they add up the
postings above them, counted (and pointed out) when they do not."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cpsu.cli import main
from cpsu.ingest.gl import read_gl_export
from cpsu.mapping import Rule, save_rules
from tests.test_gl import HEADER, errors, warnings, xlsx


def fees(account: int, amount: float, months: int = 12) -> list[list[object]]:
    return [
        [date(2026, month, 5), account, "CC", "V", "fee", amount]
        for month in range(1, months + 1)
    ]


@pytest.mark.parametrize(
    ("cost_centre", "vendor", "description"),
    [
        ("", "", "Total"),
        ("", "", "Total 6110"),
        ("Total", "", ""),
        ("CC", "V", "Subtotal"),
        ("", "", "Account total"),
        ("", "Sum", ""),
    ],
)
def test_a_dated_total_of_the_postings_above_is_left_out(
    cost_centre, vendor, description
):
    total = [date(2026, 12, 31), 6110, cost_centre, vendor, description, 12000]
    export = read_gl_export(xlsx([HEADER, *fees(6110, 1000), total]), "gl.xlsx")

    assert errors(export) == []
    # 12 postings of 1,000.00; the total row's 12,000.00 is not one of them
    assert export.entries["row"].tolist() == list(range(2, 14))
    assert export.total_cents == 1_200_000
    label = description or cost_centre or vendor
    [said] = [issue for issue in warnings(export) if issue.row == 14]
    assert said.message.startswith(
        f"Row 14 says '{label}' and its amount, 12,000.00, is the sum of the "
        "postings above it to account 6110, so it was read as a total row"
    )


def test_each_account_total_closes_its_own_block():
    rows = [
        HEADER,
        *fees(6110, 1000),
        [date(2026, 12, 31), 6110, "", "", "Account total", 12000],
        *fees(6210, 5000),
        [date(2026, 12, 31), 6210, "", "", "Account total", 60000],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert errors(export) == []
    # 12 x 1,000 + 12 x 5,000 = 72,000.00; rows 14 and 27 are the totals
    assert export.total_cents == 7_200_000
    assert 14 not in export.entries["row"].tolist()
    assert 27 not in export.entries["row"].tolist()
    assert [issue.row for issue in warnings(export)] == [14, 27]


def test_a_grand_total_over_every_account_is_left_out():
    rows = [
        HEADER,
        *fees(6110, 1000),
        *fees(6210, 5000),
        [date(2026, 12, 31), 6110, "", "Sum", "", 72000],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    assert export.total_cents == 7_200_000  # 12 x 1,000 + 12 x 5,000
    [said] = warnings(export)
    assert "is the sum of all the postings above it" in said.message


def test_a_posting_that_merely_says_total_is_counted():
    rows = [
        HEADER,
        *fees(6110, 1000),
        [date(2026, 12, 20), 6110, "CC", "Acme", "Total Rewards subscription", 49],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    # 12 x 1,000 + 49 = 12,049.00, the subscription being a posting
    assert export.total_cents == 1_204_900
    assert 14 in export.entries["row"].tolist()
    assert warnings(export) == []


def test_a_total_one_cent_off_is_counted_with_a_warning():
    rows = [
        HEADER,
        *fees(6110, 1000),
        [date(2026, 12, 31), 6110, "", "", "Total", 12000.01],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")

    # 12,000.00 + 12,000.01: the row adds up nothing above it, so it counts
    assert export.total_cents == 2_400_001
    [said] = warnings(export)
    assert said.row == 14
    assert said.message == (
        "Row 14 says 'Total', but its amount, 12,000.01, is not the sum of the "
        "postings above it, so it was counted as a posting. If it is a total, "
        "delete the row from the export."
    )


def test_check_reconciles_without_the_dated_total(capsys, tmp_path: Path):
    export = tmp_path / "gl.xlsx"
    export.write_bytes(
        xlsx(
            [
                HEADER,
                *fees(6110, 1000),
                [date(2026, 12, 31), 6110, "", "", "Total", 12000],
            ]
        )
    )
    rules = tmp_path / "rules.json"
    rules.write_bytes(save_rules([Rule("account", "6100-6199", "Support tools")]))

    code = main(["check", str(export), "--mapping", str(rules), "--json"])
    report = json.loads(capsys.readouterr().out)

    assert code == 0
    assert report["monthly_run_rate"] == 1000.0  # 12,000 over 12 months
    assert report["reconciliation"]["total"] == 12000.0
    assert any(
        issue["message"].startswith("Row 14 says 'Total' and its amount, 12,000.00")
        for issue in report["issues"]
    )
