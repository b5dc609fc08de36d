"""cpsu check, summary and project name the file they were given for what it is."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from cpsu.cli import main
from tests.ingest_fixtures import csv_bytes

ROSTER_ROWS = [
    ["Employee ID", "Worker type", "Start date", "End date"],
    ["E1", "Employee", "2024-03-01", ""],
    ["C1", "Contractor", "2026-11-01", ""],
]
GL_ROWS = [
    ["Date", "Account", "Vendor", "Description", "Amount"],
    ["2026-01-15", "6100", "Microsoft", "M365", "1000"],
    ["2026-02-15", "6100", "Microsoft", "M365", "1000"],
]
RULES = json.dumps(
    {"version": 1, "rules": [{"field": "account", "pattern": "61*", "pool": "Other"}]}
).encode()


def call(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as leaving:
        code = leaving.code
    out, err = capsys.readouterr()
    return code, out, err


def workbook(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


LIST = [["Item", "Monthly cost"], ["Microsoft 365", 1000], ["Zoom", 100]]


@pytest.fixture
def files(tmp_path):
    paths = {
        "roster.csv": csv_bytes(ROSTER_ROWS),
        "roster.xlsx": workbook({"Staff": ROSTER_ROWS}),
        "gl.csv": csv_bytes(GL_ROWS),
        "list.xlsx": workbook({"Old": LIST, "Budget": LIST}, hidden=("Old",)),
        "list.csv": csv_bytes([["Item", "Monthly cost"], ["M365", "1000"]]),
        "rules.json": RULES,
    }
    for name, data in paths.items():
        (tmp_path / name).write_bytes(data)
    return {name: str(tmp_path / name) for name in paths}


def test_a_sheet_the_workbook_lacks_is_a_usage_error_listing_its_sheets(capsys, files):
    code, out, err = call(capsys, "check", files["list.xlsx"], "--sheet", "Nope")
    assert code == 2 and out == ""
    assert (
        "has no sheet 'Nope'; its sheets are 'Old' (hidden), 'Budget'. Give one "
        "of those to --sheet" in err
    )
    # a CSV is one table, named as the file
    code, _, err = call(
        capsys,
        "check",
        files["gl.csv"],
        "--sheet",
        "Nope",
        "--mapping",
        files["rules.json"],
    )
    assert code == 2 and "its sheets are 'gl.csv'" in err


@pytest.mark.parametrize("command", ["summary", "project"])
@pytest.mark.parametrize("name", ["roster.csv", "roster.xlsx"])
def test_summary_and_project_of_a_roster_say_it_is_one(capsys, files, command, name):
    code, out, err = call(capsys, command, files[name])
    assert code == 2 and out == ""
    assert (
        f"{files[name]} is an HR roster: it gives the headcount, not the costs." in err
    )
    assert f"cpsu check {files[name]}" in err


def test_summary_of_a_gl_export_says_to_map_it(capsys, files):
    code, _, err = call(capsys, "summary", files["gl.csv"])
    assert code == 2
    assert "is a GL export: its postings need mapping to cost pools first" in err
    assert f"cpsu check {files['gl.csv']} --mapping RULES.json" in err


def test_check_json_of_a_workbook_list_is_a_list_with_its_run_rate(capsys, files):
    code, out, _ = call(capsys, "check", files["list.xlsx"], "--json")
    assert code == 0
    report = json.loads(out)
    assert report["kind"] == "list"
    assert report["monthly_run_rate"] == 1_100  # 1,000 + 100, both Fixed
    # the hidden sheet is marked and the one read named
    assert report["sheets"] == [
        {"name": "Old", "hidden": True, "read": False},
        {"name": "Budget", "hidden": False, "read": True},
    ]


def test_check_json_of_a_csv_list_is_a_csv_with_its_run_rate(capsys, files):
    code, out, _ = call(capsys, "check", files["list.csv"], "--json")
    report = json.loads(out)
    assert code == 0 and report["kind"] == "csv"
    assert report["monthly_run_rate"] == 1_000


def test_check_marks_hidden_sheets(capsys, files):
    code, out, _ = call(capsys, "check", files["list.xlsx"])
    assert code == 0
    assert "Sheets: 'Old' (hidden), 'Budget' (read)" in out
    assert "Monthly run-rate: $1,100.00" in out


def test_mapping_a_file_that_is_not_a_gl_export_reads_it_as_what_it_is(capsys, files):
    code, out, err = call(
        capsys, "check", files["roster.csv"], "--mapping", files["rules.json"]
    )
    assert code == 0
    assert f"{files['roster.csv']} is not a GL export" in err
    assert "was not used; the file was read as what it is" in err
    assert "an HR roster of 2 people" in out

    code, out, err = call(
        capsys, "check", files["list.xlsx"], "--mapping", files["rules.json"]
    )
    assert code == 0 and "is not a GL export" in err
    assert "Monthly run-rate: $1,100.00" in out


@pytest.mark.parametrize(("rows", "said"), [(1, "1 error;"), (2, "2 errors;")])
def test_check_counts_its_errors_in_words(capsys, tmp_path, rows, said):
    # Each "TBD" amount is one error: 1 or 2 errors, said with the right noun.
    path = tmp_path / "tbd.csv"
    body = "".join(f"Line {n},TBD\n" for n in range(rows))
    path.write_text("Item,Monthly cost\n" + body)
    code, _, err = call(capsys, "check", str(path))
    assert code == 1
    assert f"{said} nothing was read." in err
