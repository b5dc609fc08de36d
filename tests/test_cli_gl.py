"""`cpsu check` on GL exports: with a rules file, without one, with a bad one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpsu.cli import main
from cpsu.mapping import Rule, save_rules

GL_CSV = (
    "Date,Account,Vendor,Description,Debit,Credit\n"
    '2026-10-15,6150,AWS,hosting,"1,200.50",\n'
    "2026-11-02,6150,AWS,refund,,200\n"
    "2026-11-05,6110,Zoom,licences,300,\n"
    "2026-11-09,7100,Qantas,travel,99.99,\n"
)
# Total: 1200.50 - 200 + 300 + 99.99 = 1400.49 over two months (Oct, Nov).
RULES = [
    Rule("account", "6150", "Support tools", line_name="Hosting"),
    Rule("vendor", "zoom", "Productivity software", "Per user"),
]


def call(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as leaving:
        code = leaving.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    export = tmp_path / "gl.csv"
    export.write_text(GL_CSV)
    rules = tmp_path / "rules.json"
    rules.write_bytes(save_rules(RULES))
    return str(export), str(rules)


def test_check_maps_a_gl_export_with_rules(capsys, files):
    export, rules = files
    code, out, err = call(capsys, "check", export, "--mapping", rules, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["kind"] == "gl"
    # Hosting: (1200.50 - 200) / 2 months = 500.25; Zoom: 300 / 2 = 150
    assert report["lines"] == [
        {
            "item": "Hosting",
            "pool": "Support tools",
            "behaviour": "Fixed",
            "monthly": 500.25,
        },
        {
            "item": "Zoom",
            "pool": "Productivity software",
            "behaviour": "Per user",
            "monthly": 150.0,
        },
    ]
    assert report["monthly_run_rate"] == 650.25
    assert report["unmapped"] == [
        {
            "account": "7100",
            "vendor": "Qantas",
            "description": "travel",
            "entries": 1,
            "total": 99.99,
        }
    ]
    assert report["reconciliation"] == {
        "months": 2,
        "total": 1400.49,
        "mapped": 1300.50,
        "unmapped": 99.99,
        "reconciles": True,
    }
    assert "1 posting matches no rule" in report["issues"][0]["message"]


def test_check_prints_lines_queue_and_reconciliation(capsys, files):
    export, rules = files
    code, out, _ = call(capsys, "check", export, "--mapping", rules)
    assert code == 0
    assert "Monthly run-rate: $650.25" in out
    assert "7100 | Qantas | travel" in out
    assert "mapped $1,300.50 + unmapped $99.99 = export total $1,400.49" in out


def test_a_gl_export_without_rules_asks_for_them(capsys, files):
    export, _ = files
    code, out, err = call(capsys, "check", export)
    assert code == 1
    assert "is a GL export" in err and "--mapping RULES.json" in err
    assert out == ""


def test_a_bad_rules_file_exits_1_with_its_problem(capsys, files, tmp_path):
    export, _ = files
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "rules": [{"field": "vendor"}]}')
    code, out, err = call(capsys, "check", export, "--mapping", str(bad), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["lines"] == [] and report["reconciliation"] is None
    # every problem of the rule, each named by rule and key
    assert 'bad.json, rule 1, "pattern": The rule\'s pattern is missing' in err
    assert 'bad.json, rule 1, "pool": The rule\'s pool is missing' in err


def test_a_missing_rules_file_is_a_usage_error(capsys, files, tmp_path):
    export, _ = files
    code, _, err = call(capsys, "check", export, "--mapping", str(tmp_path / "no"))
    assert code == 2
    assert "cannot open" in err


def test_a_gl_workbook_is_mapped_from_its_own_sheet(capsys, tmp_path, files):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Read me"
    book.active.append(["Exported from the ledger"])
    sheet = book.create_sheet("GL detail")
    sheet.append(["Fiscal period", "Natural account", "Supplier", "Net amount"])
    sheet.append([202610, 6150, "AWS", 1000])
    sheet.append([202611, 6150, "AWS", 500.5])
    sheet.append([None, "Total", None, 1500.5])
    path = tmp_path / "gl.xlsx"
    book.save(path)
    _, rules = files

    code, _, err = call(capsys, "check", str(path))
    assert code == 1
    assert "is a GL export (sheet GL detail)" in err

    code, out, err = call(capsys, "check", str(path), "--mapping", rules, "--json")
    assert code == 0, err
    report = json.loads(out)
    # (1000 + 500.50) / 2 months = 750.25; the total row is left out
    assert report["lines"][0]["monthly"] == 750.25
    assert report["reconciliation"]["total"] == 1500.5
    assert report["unmapped"] == []
    assert "total row" in report["issues"][0]["message"]


def test_a_gl_export_without_rules_still_answers_json_on_stdout(capsys, files):
    # A script asking for --json always gets JSON, here with the error that
    # says the export needs mapping rules, and exit code 1.
    export, _ = files
    code, out, err = call(capsys, "check", export, "--json")
    assert code == 1
    report = json.loads(out)
    assert (report["kind"], report["lines"], report["monthly_run_rate"]) == (
        "gl",
        [],
        None,
    )
    [issue] = report["issues"]
    assert issue["severity"] == "error"
    assert "is a GL export" in issue["message"]
    assert "--mapping RULES.json" in issue["message"] and "--mapping" in err
