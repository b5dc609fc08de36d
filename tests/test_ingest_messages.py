"""What the reader tells the user: one message for many alike, and no log noise."""

from __future__ import annotations

import io
import logging
import re

import pytest

from cpsu.ingest import read_upload
from cpsu.ingest import xlsx as xlsx_module
from tests.ingest_fixtures import (
    COST_HEADER,
    canonical_bytes,
    cost_row,
    csv_bytes,
    errors_of,
    issue_at,
    rewrite_part,
)

COSTS_PART = "xl/worksheets/sheet2.xml"  # Instructions is sheet1

ITSM = cost_row("ITSM", "Support tools", "Fixed", amount=100)


def _lines(count: int) -> list[list[object]]:
    return [
        cost_row(f"Line {n}", "Support tools", "Fixed", amount=n + 1)
        for n in range(count)
    ]


# A sheet too big to read says where its last cell really is


@pytest.mark.parametrize(
    ("lines", "last_row"),
    [
        (30, 31),  # header in row 1, 30 lines below it
        (59, 60),
        (200, 201),
    ],
)
def test_a_sheet_too_big_to_read_names_its_real_last_row_and_column(
    monkeypatch, lines, last_row
):
    # 16 columns (A to P) a row: the limit of 100 cells is crossed in row 7
    # (7 * 16 = 112), long before the last row; the message must name the last.
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_CELLS", 100)
    rows = [[*line[:-1], f"note {n}"] for n, line in enumerate(_lines(lines))]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    issue = issue_at(upload, "Costs", None)
    assert f"as far as row {last_row:,}, column P:" in issue.message
    assert "at least" not in issue.message
    assert "more than 100 cells" in issue.message


def test_a_stray_cell_far_right_is_the_column_named(monkeypatch):
    # The stray cell in AD40 lies beyond where the limit is crossed (row 7).
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_CELLS", 100)
    stray = [None] * 29 + ["stray"]  # column AD is the 30th
    rows = [*_lines(30), *[[] for _ in range(8)], stray]  # row 2..31, 32..39, 40
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    issue = issue_at(upload, "Costs", None)
    assert "as far as row 40, column AD:" in issue.message


def test_without_cell_references_the_extent_is_only_at_least(monkeypatch):
    # Some writers leave out r="B7"; then the end of the sheet is not known.
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_CELLS", 100)
    data = rewrite_part(
        canonical_bytes(_lines(30)),
        COSTS_PART,
        lambda xml: re.sub(rb'(<c[^>]*?) r="[A-Z]+[0-9]+"', rb"\1", xml),
    )
    issue = issue_at(read_upload(data, "a.xlsx"), "Costs", None)
    assert "as far as at least row" in issue.message


# User-facing problems are issues, not log warnings


def test_a_sheet_calamine_cannot_read_is_an_issue_and_not_a_logged_warning(caplog):
    # A number cell holding letters: calamine refuses the whole sheet.
    data = rewrite_part(
        canonical_bytes([ITSM]),
        COSTS_PART,
        lambda xml: xml.replace(b"<v>100</v>", b"<v>abc</v>", 1),
    )
    with caplog.at_level(logging.DEBUG):
        upload = read_upload(data, "a.xlsx")
    (issue,) = errors_of(upload)
    assert issue.sheet == "Costs"
    assert "could not be read" in issue.message
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("calamine" in r.getMessage() for r in caplog.records)  # debug trail


def test_a_workbook_calamine_cannot_open_is_an_issue_and_not_a_logged_warning(
    monkeypatch, caplog
):
    class Refusing:
        @staticmethod
        def from_filelike(_):
            raise ValueError("unsupported")

    monkeypatch.setattr(xlsx_module, "CalamineWorkbook", Refusing)
    with caplog.at_level(logging.DEBUG):
        upload = read_upload(canonical_bytes([ITSM]), "a.xlsx")
    (issue,) = upload.issues
    assert "could not be read (unsupported)" in issue.message
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_fault_in_the_program_is_still_logged_as_an_error(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("cpsu.ingest.upload.read_costs", broken)
    with caplog.at_level(logging.DEBUG):
        read_upload(canonical_bytes([ITSM]), "a.xlsx")
    assert [r.levelno for r in caplog.records] == [logging.ERROR]


# Many alike: one warning a sheet, naming the first few and counting the rest


@pytest.mark.parametrize("extra", [2, 40, 16_368])
def test_unknown_columns_give_one_warning_naming_the_first_few(extra):
    header = [*COST_HEADER, *(f"X{n}" for n in range(extra))]
    upload = read_upload(canonical_bytes([ITSM], cost_header=header), "a.xlsx")
    (warning,) = upload.issues
    assert (warning.sheet, warning.row, warning.column) == ("Costs", 1, None)
    assert warning.message.startswith(f"{extra:,} columns were ignored: X0 (Q)")
    if extra == 2:
        assert "X0 (Q) and X1 (R) are not columns" in warning.message
    else:
        # Five named (Q to U), then the count of the rest.
        assert f"X4 (U) and {extra - 5:,} more are not columns" in warning.message
        assert "X5 (V)" not in warning.message
    assert upload.cost_base is not None


def test_repeated_and_unknown_columns_share_the_one_warning():
    header = [*COST_HEADER, "Amount", "FY total", "Item"]  # Q, R, S
    upload = read_upload(canonical_bytes([ITSM], cost_header=header), "a.xlsx")
    (warning,) = upload.issues
    assert warning.message.startswith(
        "3 columns were ignored: FY total (R) is not a column this program reads "
        "(totals columns would count twice); Amount (Q) repeats Amount (D) and "
        "Item (S) repeats Item (A), and only the first of each was read."
    )
    assert upload.cost_base is not None
    assert upload.cost_base.lines[0].amount == 100.0  # from D, not Q


def test_one_ignored_column_is_named_as_the_place_of_its_warning():
    header = [*COST_HEADER, "FY total"]
    upload = read_upload(canonical_bytes([ITSM], cost_header=header), "a.xlsx")
    (warning,) = upload.issues
    assert warning.column == "FY total (Q)"
    assert warning.message.startswith("1 column was ignored: FY total (Q) is not")


def test_unknown_parameters_give_one_warning_a_sheet():
    desk = [
        ["Parameter", "Value"],
        *[[f"Setting {n}", n] for n in range(30)],  # rows 2 to 31
        ["Resolution rate", 0.7],
        [None, 5],  # row 33, a value without a name
        [None, 6],  # row 34
    ]
    upload = read_upload(canonical_bytes([ITSM], service_desk=desk), "a.xlsx")
    desk_warnings = [issue for issue in upload.issues if issue.sheet == "Service desk"]
    messages = [issue.message for issue in desk_warnings]
    (unknown,) = [m for m in messages if "are not parameters" in m]
    assert unknown.startswith("'Setting 0' (row 2), 'Setting 1' (row 3)")
    assert "and 25 more are not parameters of Service desk" in unknown  # 30 - 5
    (nameless,) = [m for m in messages if "no parameter name" in m]
    assert nameless.startswith("The values in rows 33 and 34 have no parameter name")
    assert len(desk_warnings) == 3  # with the one about defaults used


def test_many_hidden_rows_give_one_warning():
    from openpyxl import load_workbook

    # Amounts 100 to 111: none is the sum of the lines above it, which would
    # be warned as a subtotal (1 + 2 = 3 would).
    lines = [
        cost_row(f"Line {n}", "Support tools", "Fixed", amount=100 + n)
        for n in range(12)
    ]
    book = load_workbook(io.BytesIO(canonical_bytes(lines)))
    for row in range(3, 12):  # rows 3 to 11: nine hidden
        book["Costs"].row_dimensions[row].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    upload = read_upload(buffer.getvalue(), "a.xlsx")
    (warning,) = upload.issues
    assert warning.message.startswith(
        "Rows 3, 4, 5, 6, 7 and 4 more are hidden in Excel (or filtered out)"
    )
    assert upload.cost_base is not None
    assert len(upload.cost_base.lines) == 12  # read and counted, and said so


# A CSV row split at a delimiter inside a value


def test_an_unquoted_thousands_comma_in_a_comma_csv_is_an_error_on_its_row():
    text = (
        "Item,Pool,Behaviour,Amount,Period\r\n"
        "Okta,Support tools,Fixed,1,234.50,Month\r\n"  # line 2: six values
        "Zoom,Support tools,Fixed,100,Month\r\n"
    )
    upload = read_upload(text.encode(), "costs.csv")
    (issue,) = upload.issues
    assert (issue.sheet, issue.row, issue.column) == ("costs.csv", 2, None)
    assert issue.message == (
        "This row has 6 values for 5 columns, so its values do not line up with the "
        "header and the row was not read. '1' and '234.50' in columns D and E look "
        "like one amount, 1,234.50, split at its thousands comma. A number with a "
        'comma, like 1,234.50, must be in quotes ("1,234.50") or written without the '
        "comma (1234.50), and so must text with a comma. Or open the file in Excel "
        "and save it again as CSV, which puts such values in quotes."
    )
    assert "Period" not in issue.message
    assert upload.cost_base is None


@pytest.mark.parametrize(
    ("line", "values"),
    [
        ("Okta,Support tools,Fixed,1,234,567.00,Month", 7),
        ("Okta,Support tools,Fixed,100,Month,Okta, Inc.", 7),
    ],
)
def test_every_extra_value_is_counted(line, values):
    text = f"Item,Pool,Behaviour,Amount,Period\r\n{line}\r\n"
    (issue,) = read_upload(text.encode(), "costs.csv").issues
    assert f"This row has {values} values for 5 columns" in issue.message


def test_empty_values_past_the_header_are_not_extra():
    # Excel writes trailing empty cells when some row of the sheet is wider.
    rows = [["Item", "Pool", "Behaviour", "Amount", "", ""]]
    rows.append(["ITSM", "Support tools", "Fixed", "100", "", "", "", ""])
    upload = read_upload(csv_bytes(rows), "costs.csv")
    assert upload.issues == ()
    assert upload.cost_base is not None


def test_a_semicolon_csv_row_with_extra_values_says_to_quote():
    rows = [["Item", "Pool", "Behaviour", "Amount"]]
    rows.append(["ITSM", "Support tools", "Fixed", "100", "stray"])
    (issue,) = read_upload(csv_bytes(rows, delimiter=";"), "costs.csv").issues
    assert "This row has 5 values for 4 columns" in issue.message
    assert "A value with a semicolon in it must be in quotes." in issue.message


def test_a_workbook_row_may_run_past_the_header():
    # Only a CSV splits at a delimiter; a workbook's extra cells are just ignored.
    rows = [[*ITSM, "note past the table"]]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert upload.issues == ()


@pytest.mark.parametrize(("byte", "value"), [(16, 0xFF), (17, 0x66), (19, 0x80)])
def test_a_zip_directory_offset_out_of_range_is_damaged_not_a_bug(byte, value):
    # Found by test_a_damaged_workbook_never_raises: one byte of the central
    # directory's offset (end record, bytes 16-19) changed, so that zipfile
    # places the members before the start of the file and seeks to -1.
    data = bytearray(canonical_bytes([ITSM]))
    end = data.rfind(b"PK\x05\x06")
    data[end + byte] = value
    upload = read_upload(bytes(data), "a.xlsx")
    (issue,) = upload.issues
    assert "damaged" in issue.message
    assert "problem in this program" not in issue.message
