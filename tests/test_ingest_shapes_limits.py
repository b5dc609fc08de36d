"""Shapes of rows that must not be read as they stand, and the limits on size.

A comma CSV with unquoted thousands separators splits each amount in two;
a file with a quarter of a million rows, or a cell longer than Excel allows,
is refused before it is read; hidden and outline-grouped rows of .ods, .xls
and HTML pages are passed on as an .xlsx's are. Every file is built here.
"""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import Workbook

from cpsu.ingest import csv_file as csv_module
from cpsu.ingest import html_table as html_module
from cpsu.ingest import read_upload
from cpsu.ingest import xlsx as xlsx_module
from cpsu.ingest.costs_sheet import MAX_ITEM_CHARACTERS
from cpsu.ingest.table import MAX_CELL_CHARACTERS, MAX_SHEET_ROWS
from tests.ingest_fixtures import (
    csv_bytes,
    errors_of,
    issue_at,
    long_xlsx_bytes,
    ods_bytes,
    ods_cell,
    warnings_of,
    xlsx_bytes,
)


def monthly_run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


# Unquoted thousands separators in a comma CSV


def test_amounts_split_at_their_thousands_comma_are_errors_naming_the_amount():
    text = "Item,Annual cost\r\nA,12,000\r\nB,24,000\r\n"
    upload = read_upload(text.encode(), "costs.csv")
    assert upload.cost_base is None  # not 3.0 a month (12 + 24 a year)
    for row, amount in ((2, "'12' and '000'"), (3, "'24' and '000'")):
        issue = issue_at(upload, "costs.csv", row)
        assert issue.message.startswith(
            "This row has 3 values for 2 columns, so its values do not line up with "
            "the header and the row was not read."
        )
        assert f"{amount} in columns B and C look like one amount" in issue.message
        assert "must be in quotes" in issue.message
        assert "save it again as CSV" in issue.message
    assert (
        "12,000, split at its thousands comma."
        in issue_at(upload, "costs.csv", 2).message
    )


def test_a_currency_sign_before_a_split_amount_is_joined_with_it():
    text = "Item,Annual cost\r\nA,$12,000\r\nB,24000\r\n"
    upload = read_upload(text.encode(), "costs.csv")
    assert upload.cost_base is None
    (issue,) = errors_of(upload)
    assert issue.row == 2
    assert "'$12' and '000' in columns B and C" in issue.message
    assert "$12,000" in issue.message


def test_a_split_amount_before_a_notes_column_is_an_error_not_a_note():
    text = "Item,Annual cost,Notes\r\nA,12000,ok\r\nB,24,000,renewal\r\n"
    upload = read_upload(text.encode(), "costs.csv")
    assert upload.cost_base is None  # not 1002 with '000' read as B's note
    (issue,) = errors_of(upload)
    assert issue.row == 3
    assert "This row has 4 values for 3 columns" in issue.message
    assert "'24' and '000' in columns B and C look like one amount, 24,000" in (
        issue.message
    )


def test_an_amount_split_twice_names_every_piece():
    text = 'Item,Annual cost\r\nA,"1,200,000"\r\nB,1,200,000.50\r\n'
    upload = read_upload(text.encode(), "costs.csv")
    (issue,) = errors_of(upload)
    assert issue.row == 3
    assert "This row has 4 values for 2 columns" in issue.message
    assert (
        "'1', '200' and '000.50' in columns B to D look like one amount, "
        "1,200,000.50, split at its thousands commas." in issue.message
    )


def test_a_row_with_more_values_and_no_amount_to_join_says_only_the_counts():
    text = "Item,Annual cost\r\nAcme, Inc.,24000\r\nB,12000\r\n"
    upload = read_upload(text.encode(), "costs.csv")
    assert upload.cost_base is None
    issue = next(issue for issue in errors_of(upload) if "values for" in issue.message)
    assert issue.row == 2
    assert "This row has 3 values for 2 columns" in issue.message
    assert "look like one amount" not in issue.message


def test_trailing_empty_values_are_not_extra_values():
    text = "Item,Annual cost,\r\nA,12000,,\r\nB,24000,\r\n"
    upload = read_upload(text.encode(), "costs.csv")
    assert errors_of(upload) == []
    # (12,000 + 24,000) / 12 = 3,000 a month
    assert monthly_run_rate(upload) == pytest.approx(3000.0)


def test_thousands_commas_in_html_and_workbook_cells_stay_in_their_cell():
    page = (
        "<html><body><table><tr><td>Item</td><td>Annual cost</td></tr>"
        "<tr><td>A</td><td>12,000</td></tr><tr><td>B</td><td>$24,000</td></tr>"
        "</table></body></html>"
    )
    book = xlsx_bytes(
        {"Costs": [["Item", "Annual cost"], ["A", "12,000.00"], ["B", 24000]]}
    )
    for upload in (
        read_upload(page.encode(), "report.xls"),
        read_upload(book, "b.xlsx"),
    ):
        assert errors_of(upload) == []
        assert monthly_run_rate(upload) == pytest.approx(3000.0)  # 36,000 / 12


# Rows and cells: too many, or too long


def _timed(data: bytes, name: str):
    started = time.perf_counter()
    upload = read_upload(data, name)
    print(
        f"{name}: {len(data):,} bytes refused in {time.perf_counter() - started:.2f} s"
    )
    return upload


def test_a_csv_one_row_over_the_limit_is_refused_before_it_is_read():
    rows = [
        ["Item", "Annual cost"],
        *([f"Item {n}", 1200] for n in range(MAX_SHEET_ROWS)),
    ]
    upload = _timed(csv_bytes(rows), "big.csv")  # 250,001 lines
    (issue,) = upload.issues
    assert issue.message == (
        f"The CSV has {MAX_SHEET_ROWS + 1:,} lines, and at most 250,000 rows are read "
        "(a cost list or a year's GL export needs far fewer), so it was not read. "
        "Delete the rows you do not need, or export a shorter period, and upload it "
        "again."
    )
    assert upload.cost_base is None


def test_a_csv_at_the_row_limit_is_read(monkeypatch):
    monkeypatch.setattr(csv_module, "MAX_SHEET_ROWS", 3)
    rows = [["Item", "Annual cost"], ["A", 12000], ["B", 24000]]
    assert monthly_run_rate(read_upload(csv_bytes(rows), "c.csv")) == pytest.approx(
        3000.0
    )
    over = read_upload(csv_bytes([*rows, ["C", 1200]]), "c.csv")
    (issue,) = over.issues
    assert "The CSV has 4 lines, and at most 3 rows are read" in issue.message


def test_a_csv_with_too_many_values_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setattr(csv_module, "MAX_CSV_CELLS", 10)
    rows = [["Item", "Annual cost", "Notes"], *([f"L{n}", 1, ""] for n in range(3))]
    (issue,) = read_upload(csv_bytes(rows), "wide.csv").issues
    # 4 lines of 2 commas: 8 commas + 4 line breaks + 1 = 13 values
    assert issue.message.startswith(
        "The CSV holds about 13 values, and at most 10 are read, so it was not read."
    )


def test_an_xlsx_one_row_over_the_limit_is_refused_before_calamine_reads_it():
    data = long_xlsx_bytes(MAX_SHEET_ROWS)  # a header and 250,000 lines
    upload = _timed(data, "big.xlsx")
    assert upload.cost_base is None
    refusal = errors_of(upload)[0]
    assert refusal.sheet == "Costs"
    assert refusal.message.startswith("The Costs sheet has cells as far as ")
    assert "at most 250,000 rows are read" in refusal.message
    assert "export a shorter period" in refusal.message


def test_an_xlsx_at_the_row_limit_is_read(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_ROWS", 4)
    upload = read_upload(long_xlsx_bytes(3), "ok.xlsx")  # 4 rows
    assert errors_of(upload) == []
    assert monthly_run_rate(upload) == pytest.approx(300.0)  # 3 x 1,200 / 12
    refused = read_upload(long_xlsx_bytes(4), "big.xlsx")
    assert "at most 4 rows are read" in errors_of(refused)[0].message


def test_an_ods_over_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_ROWS", 4)
    rows = "".join(
        f"<table:table-row>{ods_cell(f'Item {n}')}{ods_cell(1200)}</table:table-row>"
        for n in range(5)
    )
    (issue,) = read_upload(ods_bytes({"Costs": rows}), "big.ods").issues
    assert issue.message.startswith(
        "The Costs sheet has cells as far as at least row 5"
    )
    assert "at most 4 rows are read" in issue.message


def test_an_html_table_over_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(html_module, "MAX_SHEET_ROWS", 4)
    rows = "".join(f"<tr><td>Item {n}</td><td>1200</td></tr>" for n in range(5))
    page = f"<html><table>{rows}</table></html>"
    (issue,) = read_upload(page.encode(), "report.xls").issues
    assert issue.message.startswith(
        "A table of the HTML file has more than 4 rows, and at most that many are read"
    )


def test_an_item_name_longer_than_a_name_needs_is_an_error_naming_its_cell():
    name = "M365 " * 120  # 600 characters
    book = xlsx_bytes({"Costs": [["Item", "Annual cost"], ["A", 12000], [name, 100]]})
    upload = read_upload(book, "b.xlsx")
    assert upload.cost_base is None
    issue = issue_at(upload, "Costs", 3, "Item (A)")
    assert issue.message == (
        f"Item (A) holds a name of 600 characters; a line's name can be at most "
        f"{MAX_ITEM_CHARACTERS}, so the row was not read. Shorten the name (put "
        "details in a Notes column)."
    )


def test_a_name_as_long_as_the_limit_is_read():
    name = "x" * MAX_ITEM_CHARACTERS
    book = xlsx_bytes({"Costs": [["Item", "Annual cost"], [name, 12000]]})
    upload = read_upload(book, "b.xlsx")
    assert errors_of(upload) == []
    assert upload.cost_base.lines[0].item == name


def test_a_long_item_name_in_the_template_is_an_error_too():
    rows = [
        ["Item", "Pool", "Behaviour", "Amount", "Period"],
        ["y" * 501, "Support tools", "Fixed", 100, "Month"],
    ]
    upload = read_upload(xlsx_bytes({"Costs": rows}), "t.xlsx")
    issue = issue_at(upload, "Costs", 2, "Item (A)")
    assert "holds a name of 501 characters" in issue.message


@pytest.mark.parametrize(
    ("characters", "said"),
    [(MAX_CELL_CHARACTERS + 1, "32,768"), (200_000, "more than 131,072")],
)
def test_a_csv_value_longer_than_excel_allows_is_refused(characters, said):
    text = f"Item,Annual cost\r\nA,12000\r\n{'B' * characters},24000\r\n"
    (issue,) = read_upload(text.encode(), "long.csv").issues
    assert issue.message == (
        f"Line 3 of the CSV holds a value of {said} characters, more than the 32,767 "
        "a cell of Excel can hold, so the file was not read. Shorten that value and "
        "save the CSV again."
    )


def test_an_html_cell_longer_than_excel_allows_is_refused():
    page = (
        "<table><tr><td>Item</td><td>Annual cost</td></tr>"
        f"<tr><td>{'B' * 40_000}</td><td>1</td></tr></table>"
    )
    (issue,) = read_upload(page.encode(), "report.xls").issues
    assert issue.message.startswith(
        "Row 2 of table 1 holds a cell of 40,000 characters, more than the 32,767"
    )


def test_a_30_million_character_name_in_an_xlsx_is_refused_quickly():
    # calamine cuts text at Excel's 32,767 characters, so the name limit tells it.
    book = xlsx_bytes({"Costs": [["Item", "Annual cost"], ["A" * 30_000_000, 12000]]})
    upload = _timed(book, "long.xlsx")
    assert upload.cost_base is None
    assert "Item (A) holds a name of 32,767 characters" in (
        issue_at(upload, "Costs", 2, "Item (A)").message
    )


# Hidden rows and outline groups of .ods, .xls and HTML pages


HIDDEN = "Row 3 is hidden in Excel (or filtered out); it was read and counted anyway."
LINES = [
    ["Item", "Annual cost"],
    ["A", 12000],
    ["Old B (cancelled)", 24000],
    ["C", 12000],
]


def _hidden_row_book() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget"
    for row in LINES:
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    return _saved(book)


def _outlined_book() -> bytes:
    """Two groups of lines, each with its subtotal below it (Excel's default)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget"
    for row in [
        ["Item", "Annual cost"],
        ["A", 12000],
        ["B", 24000],
        ["Software", 36000],
        ["C", 6000],
        ["D", 6000],
        ["Services", 12000],
    ]:
        sheet.append(row)
    for row in (2, 3, 5, 6):
        sheet.row_dimensions[row].outlineLevel = 1
    return _saved(book)


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("extension", ["xlsx", "ods", "xls"])
def test_a_hidden_row_is_warned_about_in_every_workbook_format(converted, extension):
    data = _hidden_row_book()
    if extension != "xlsx":
        data = converted("hidden", data, extension)
    upload = read_upload(data, f"budget.{extension}")
    # (12,000 + 24,000 + 12,000) / 12 = 4,000: the hidden row is counted, and said
    assert monthly_run_rate(upload) == pytest.approx(4000.0)
    assert any(issue.message.startswith(HIDDEN) for issue in warnings_of(upload))


COLLAPSED = ' table:visibility="collapse"'


def test_a_collapsed_ods_row_built_by_hand_is_hidden():
    rows = "".join(
        f"<table:table-row{COLLAPSED if n == 2 else ''}>"
        f"{ods_cell(item)}{ods_cell(amount)}</table:table-row>"
        for n, (item, amount) in enumerate(LINES)
    )
    upload = read_upload(ods_bytes({"Budget": rows}), "budget.ods")
    assert any(issue.message.startswith(HIDDEN) for issue in warnings_of(upload))


def test_an_html_row_hidden_by_its_style_is_warned_about():
    page = (
        "<table><tr><td>Item</td><td>Annual cost</td></tr>"
        "<tr><td>A</td><td>12000</td></tr>"
        '<tr style="display: none"><td>Old B (cancelled)</td><td>24000</td></tr>'
        "<tr><td>C</td><td>12000</td></tr></table>"
    )
    upload = read_upload(page.encode(), "report.xls")
    assert monthly_run_rate(upload) == pytest.approx(4000.0)
    assert any(issue.message.startswith(HIDDEN) for issue in warnings_of(upload))


def test_an_html_page_without_hidden_rows_says_nothing_of_them():
    page = (
        "<table><tr><td>Item</td><td>Annual cost</td></tr>"
        "<tr><td>A</td><td>1200</td></tr></table>"
    )
    upload = read_upload(page.encode(), "report.xls")
    assert not any("hidden" in issue.message for issue in upload.issues)


@pytest.mark.parametrize("extension", ["xlsx", "ods", "xls"])
def test_outline_groups_mark_subtotals_in_every_workbook_format(converted, extension):
    data = _outlined_book()
    if extension != "xlsx":
        data = converted("outline", data, extension)
    upload = read_upload(data, f"budget.{extension}")
    # The lines only: (12,000 + 24,000 + 6,000 + 6,000) / 12 = 4,000, not 8,000
    assert monthly_run_rate(upload) == pytest.approx(4000.0)
    said = [issue.message for issue in warnings_of(upload)]
    assert any(
        message.startswith("'Services' was read as a subtotal") for message in said
    )


def test_an_ods_row_group_built_by_hand_gives_its_rows_an_outline_level():
    def row(item: str, amount: object) -> str:
        return f"<table:table-row>{ods_cell(item)}{ods_cell(amount)}</table:table-row>"

    rows = (
        row("Item", "Annual cost")
        + "<table:table-row-group>"
        + row("A", 12000)
        + row("B", 24000)
        + "</table:table-row-group>"
        + row("Software", 36000)
    )
    book = xlsx_module.read_workbook(ods_bytes({"Budget": rows}))
    assert dict(book.tables["Budget"].outline_levels) == {2: 1, 3: 1}


@pytest.mark.parametrize(
    ("rows", "columns"),
    [
        ("Item,Annual cost,Notes\nA,12,000\nB,24000,ok\n", "B and C"),
        ("Vendor,Item,Annual cost,Notes\nX,A,12,000\nY,B,24000,ok\n", "C and D"),
    ],
)
def test_an_amount_split_into_the_notes_beside_it_is_refused(rows, columns):
    # The row has no more values than the header, but its Notes hold '000':
    # A's 12,000 would be read as 12 a year, so the row is not read at all.
    upload = read_upload(rows.encode(), "budget.csv")
    assert upload.cost_base is None
    [problem] = [issue for issue in upload.issues if issue.severity.value == "error"]
    assert problem.row == 2
    assert problem.message.startswith(
        "This row's amount looks split at its thousands comma: '12' and '000' in "
        f"columns {columns} look like one amount, 12,000"
    )


def test_notes_holding_three_digits_of_their_own_are_read():
    # '500 seats' is a note, and a note of three digits after an amount of
    # four is not a split amount: both lines are read, 36,000 / 12 = 3,000.
    rows = "Item,Annual cost,Notes\nA,12000,500\nB,24000,500 seats\n"
    upload = read_upload(rows.encode(), "budget.csv")
    assert round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 3000
