"""One export, three files: an .xlsx, an HTML table named .xls, and a CSV.

Finance systems save the same GL report in any of these, and an HR system
its roster; each must be read the same way, whatever the file's name says.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_fixtures import csv_bytes, xlsx_bytes

from cpsu.cli import main
from cpsu.ingest import read_upload
from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.roster_upload import read_roster_upload
from cpsu.ingest.sniff import FileError, read_file_tables
from cpsu.mapping import Rule, save_rules

GL_ROWS = [
    ["Posting date", "Account", "Vendor", "Description", "Amount"],
    ["2026-10-05", "6110", "Microsoft", "M365 E3", "40,500.00"],
    ["2026-10-09", "6320", "ServiceNow", "ITSM", "7,200.00"],
    ["2026-11-05", "6110", "Microsoft", "M365 E3", "40,500.00"],
    ["2026-11-21", "7400", "Bistro", "Team lunch", "150.00"],
]
# Total: 40,500 + 7,200 + 40,500 + 150 = 88,350.00 over October and November.
RULES = [
    Rule("vendor", "Microsoft", "Productivity software", "Per user"),
    Rule("account", "6300-6399", "Support tools", line_name="Service desk tool"),
]


def html_bytes(rows: list[list[object]], title: str = "GL detail report") -> bytes:
    """A report page as finance systems save it: a title table, then the data."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    return (
        f"<html><head><meta charset='utf-8'></head><body>"
        f"<table><tr><td><b>{title}</b></td></tr></table>"
        f"<table border=1>{cells}</table></body></html>"
    ).encode()


def _numbers(rows: list[list[object]]) -> list[list[object]]:
    """The rows as a workbook holds them: amounts as numbers, not text."""
    return [
        rows[0],
        *[[*row[:-1], float(str(row[-1]).replace(",", ""))] for row in rows[1:]],
    ]


FORMATS: dict[str, Callable[[list[list[object]]], bytes]] = {
    "gl.xlsx": lambda rows: xlsx_bytes({"GL detail": _numbers(rows)}),
    "gl.xls": html_bytes,
    "gl.csv": csv_bytes,
}


@pytest.mark.parametrize("name", FORMATS)
def test_a_gl_export_reads_the_same_from_every_kind_of_file(name):
    export = read_gl_export(FORMATS[name](GL_ROWS), name)
    assert export.recognised and not export.has_errors, export.issues
    assert export.total == 88_350.00
    assert export.months == (pd.Period("2026-10", "M"), pd.Period("2026-11", "M"))
    assert export.entries["vendor"].tolist() == [
        "Microsoft",
        "ServiceNow",
        "Microsoft",
        "Bistro",
    ]
    assert export.entries["account_number"].tolist() == [6110, 6320, 6110, 7400]


@pytest.mark.parametrize("name", FORMATS)
def test_a_gl_export_is_never_read_as_a_list_of_cost_lines(name):
    # Description and Amount alone would make a cost list of one line a posting.
    upload = read_upload(FORMATS[name](GL_ROWS), name)
    assert upload.cost_base is None
    sheet = {"gl.xlsx": "GL detail", "gl.xls": "Table 2", "gl.csv": "gl.csv"}[name]
    (problem,) = [issue for issue in upload.issues if issue.severity.value == "error"]
    assert (problem.sheet, problem.row) == (sheet, 1)
    assert problem.message == (
        f"{sheet} is a GL export (row 1 has a date or period, an account and an "
        "amount), not a list of cost lines: read as one, each posting would be a "
        "cost line. Its postings go to the mapping step, where rules map them to "
        "cost pools (cpsu check FILE --mapping RULES.json on the command line)."
    )


def test_an_html_page_without_a_gl_table_says_which_tables_it_has():
    data = html_bytes([["Item", "Annual cost"], ["Zoom", "1,200"]])
    export = read_gl_export(data, "costs.xls")
    assert not export.recognised
    assert export.issues[-1].message == (
        "No table holds a GL export (tables: 'Table 1', 'Table 2'): looked for a "
        "header row with an Account, a Posting date or Period, and an Amount or "
        "Debit and Credit column."
    )


def test_a_picture_named_xls_is_refused_by_what_it_is():
    with pytest.raises(FileError, match="The file is a PNG picture"):
        read_file_tables(b"\x89PNG\r\n\x1a\n" + bytes(20), "gl.xls")
    export = read_gl_export(b"\x89PNG\r\n\x1a\n" + bytes(20), "gl.xls")
    assert not export.recognised and export.has_errors


ROSTER_ROWS = [
    ["Employee ID", "Worker type", "Start date", "End date"],
    ["E1", "Employee", "2025-01-06", ""],
    ["E2", "Employee", "2026-11-02", ""],
    ["C1", "Contractor", "2026-03-01", "2026-12-31"],
    ["E3", "Employee", "2024-05-01", "2026-11-30"],
]
# On 2026-12-31: E1 and E2 employees (E3 left on 30 November), C1 contingent.


@pytest.mark.parametrize("name", ["roster.xlsx", "roster.xls", "roster.csv"])
def test_a_roster_reads_the_same_from_every_kind_of_file(name):
    build = {
        "roster.xlsx": lambda rows: xlsx_bytes({"People": rows}),
        "roster.xls": html_bytes,
        "roster.csv": csv_bytes,
    }[name]
    roster = read_roster_upload(build(ROSTER_ROWS), name, pd.Period("2026Q4", "Q"))
    assert roster.recognised and not roster.has_errors, roster.issues
    (row,) = roster.headcount.rows
    assert (row.quarter, row.employees, row.contingent) == ("2026-Q4", 2, 1)


# --- the command line ----------------------------------------------------------


def call(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as leaving:
        code = leaving.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", FORMATS)
def test_check_maps_the_same_export_from_every_kind_of_file(capsys, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(FORMATS[name](GL_ROWS))
    rules = tmp_path / "rules.json"
    rules.write_bytes(save_rules(RULES))

    code, out, err = call(capsys, "check", str(path), "--mapping", str(rules), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["kind"] == "gl"
    # Microsoft: 2 x 40,500 over 2 months = 40,500 a month;
    # the service desk tool: 7,200 over 2 months = 3,600 a month.
    assert [(line["pool"], line["monthly"]) for line in report["lines"]] == [
        ("Productivity software", 40_500.0),
        ("Support tools", 3_600.0),
    ]
    assert report["monthly_run_rate"] == 44_100.0
    assert report["reconciliation"] == {
        "months": 2,
        "total": 88_350.0,
        "mapped": 88_200.0,  # 81,000 + 7,200
        "unmapped": 150.0,  # the lunch
        "reconciles": True,
    }


@pytest.mark.parametrize("name", FORMATS)
def test_check_without_rules_names_a_gl_export_in_any_file(capsys, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(FORMATS[name](GL_ROWS))
    code, out, err = call(capsys, "check", str(path))
    assert code == 1 and out == ""
    where = {"gl.xlsx": " (sheet GL detail)", "gl.xls": " (sheet Table 2)"}
    assert err == (
        f"{path} is a GL export{where.get(name, '')}, not a cost list: map its "
        f"postings to cost pools with a rules file: cpsu check {path} --mapping "
        "RULES.json\n"
    )


def test_the_html_export_is_read_from_its_bytes_not_its_name(capsys, tmp_path):
    path = Path(tmp_path / "GL_EXPORT.XLS")
    path.write_bytes(html_bytes(GL_ROWS))
    rules = tmp_path / "rules.json"
    rules.write_bytes(save_rules(RULES))
    code, out, _ = call(capsys, "check", str(path), "--mapping", str(rules))
    assert code == 0
    assert "mapped $88,200.00 + unmapped $150.00 = export total $88,350.00" in out


PREFIXES = st.sampled_from([b"", b"<table><tr><td>", b"\xef\xbb\xbf", b"PK\x03\x04"])


@settings(max_examples=100, deadline=None)
@given(PREFIXES, st.binary(max_size=400))
def test_any_bytes_are_tables_or_a_file_error(prefix, data):
    try:
        book = read_file_tables(prefix + data, "any.xls")
    except FileError as problem:
        assert str(problem)
    else:
        assert set(book.tables) <= set(book.sheet_names)
    # The readers' last resort, a message about a problem in this program,
    # never shows: every failure is one the file explains.
    export = read_gl_export(prefix + data, "any.xls")
    roster = read_roster_upload(prefix + data, "any.xls", None)
    upload = read_upload(prefix + data, "any.xls")
    for issue in (*export.issues, *roster.issues, *upload.issues):
        assert "problem in this program" not in issue.message
