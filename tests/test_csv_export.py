"""CSV downloads never carry a cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from cpsu.csv_export import csv_bytes, safe_cell
from cpsu.ingest import read_upload
from cpsu.ui.tables import issues_csv


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Costs, row 3", "Costs, row 3"),
        ("a=1", "a=1"),
    ],
)
def test_a_text_cell_a_spreadsheet_would_run_is_quoted(text, written):
    assert safe_cell(text) == written
    (header, row) = rows_of(csv_bytes(pd.DataFrame({"where": [text]})))
    assert header == ["where"] and row == [written]


def test_numbers_stay_numbers():
    (_, row) = rows_of(csv_bytes(pd.DataFrame({"amount": [-1200.5]})))
    assert row == ["-1200.5"]


def test_a_sheet_named_like_a_formula_is_quoted_in_the_issues_csv():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "=1+2"
    sheet.append(["Item", "Monthly cost"])
    sheet.append(["M365", 1000])
    sheet.append(["Zoom", "TBD"])
    out = io.BytesIO()
    workbook.save(out)
    upload = read_upload(out.getvalue(), "inj.xlsx")
    assert upload.issues
    rows = rows_of(issues_csv(upload.issues))
    where = [row[1] for row in rows[1:]]
    assert any(cell.startswith("'=1+2") for cell in where)
    # no cell of the file starts as a formula would
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
