"""What a user is told when a file is not cost lines at all: a Category
column, a refused or unknown only sheet, a roster with no worker type."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import csv_bytes, errors_of, rewrite_part, xlsx_bytes


def test_a_category_column_is_each_lines_category_not_its_pool():
    upload = read_upload(
        xlsx_bytes(
            {
                "Budget": [
                    ["Category", "Item", "Monthly cost"],
                    ["Software", "M365", 1000],
                    ["Software", "Zoom", 100],
                    ["Hardware", "Laptops", 500],
                ]
            }
        ),
        "budget.xlsx",
    )
    assert not errors_of(upload)
    # 1,000 + 100 + 500 = 1,600
    assert sum(line.monthly_rate for line in upload.cost_base.lines) == 1600
    assert [line.notes for line in upload.cost_base.lines] == [
        "Category: Software",
        "Category: Software",
        "Category: Hardware",
    ]
    assert {line.pool for line in upload.cost_base.lines} == {"Other"}


def test_a_category_column_of_pool_names_is_the_templates_pool():
    upload = read_upload(
        csv_bytes(
            [["Item", "Category", "Monthly cost"], ["M365", "Productivity software", 1]]
        ),
        "costs.csv",
    )
    assert upload.cost_base is None
    assert any("no Behaviour column" in issue.message for issue in errors_of(upload))


def test_an_unknown_only_sheet_says_what_it_lacks_not_the_template_sheets():
    upload = read_upload(
        xlsx_bytes({"Budget": [["", "M365", "Zoom"], ["Annual", 1200, 600]]}),
        "budget.xlsx",
    )
    messages = [issue.message for issue in errors_of(upload)]
    assert messages == [
        "Budget holds a table, but not one this program reads: in its first rows no "
        "header names an item (like Item, Description or Software) beside an amount "
        "(like Annual cost or Monthly cost), months (Jan, Feb, ...), or the "
        "template's Pool and Behaviour. Put the header row above the rows, one line "
        "a row, and name its columns so."
    ]


def test_a_refused_only_sheet_gives_its_own_error():
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData/></worksheet>"
    )
    data = rewrite_part(
        xlsx_bytes({"Licences": [["Item", "Annual cost"], ["M365", 1200]]}),
        "xl/worksheets/sheet1.xml",
        lambda _: sheet,
    )
    upload = read_upload(data, "licences.xlsx")
    messages = [issue.message for issue in errors_of(upload)]
    assert len(messages) == 1
    assert messages[0].startswith("The Licences sheet is not valid XML")
    assert "Headcount" not in messages[0]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_roster_without_a_worker_type_is_told_to_add_one(kind):
    rows = [["Name", "Start date"], ["A", "2026-01-01"], ["B", "2026-02-01"]]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes({"Staff": rows})
    upload = read_upload(data, f"staff.{kind}")
    messages = [issue.message for issue in errors_of(upload)]
    assert len(messages) == 1
    assert (
        "looks like an HR roster (row 1 has a name or ID and a start date)"
        in (messages[0])
    )
    assert "Add a Worker type column with Employee or Contingent" in messages[0]
    assert "Pool" not in messages[0]
