"""Formats told by their bytes (.xls, .xlsb, .ods, HTML, CSV) and choosing the sheet.

The legacy and OpenDocument files are made by LibreOffice from workbooks
built here with openpyxl, one conversion at a time, each with a profile of
its own. LibreOffice cannot write .xlsb, so .xlsb files are built record by
record, as hostile ones would be.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from cpsu.cli import main
from cpsu.costs import Behaviour, Period
from cpsu.ingest import SheetInfo, Upload, read_upload
from cpsu.ingest import table as table_module
from cpsu.ingest import xlsx as xlsx_module
from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.issues import Severity
from cpsu.ingest.roster_upload import read_roster_upload
from cpsu.ingest.xlsx import read_workbook
from tests.ingest_fixtures import (
    COST_HEADER,
    HEADCOUNT_ROWS,
    SERVICE_DESK_ROWS,
    cost_row,
    csv_bytes,
    errors_of,
    ods_bytes,
    ods_cell,
    ods_sheet_xml,
    rewrite_part,
    warnings_of,
    xlsx_bytes,
)

SAMPLE = Path(__file__).parent.parent / "sample_data" / "sample_company.xlsx"
CATCH_ALL = "problem in this program"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _soffice() -> str:
    found = shutil.which("soffice") or (
        "/usr/bin/soffice" if Path("/usr/bin/soffice").exists() else None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is needed to build .xls and .ods files")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(data: bytes, extension: str, folder: Path) -> bytes:
    """An .xlsx converted by LibreOffice to .xls or .ods, with its own profile."""
    soffice = _soffice()
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "book.xlsx"
    source.write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            extension,
            "--outdir",
            str(folder / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (folder / "out" / f"book.{extension}").read_bytes()


def _line(item: str, amount: float) -> list[object]:
    return cost_row(item, "Support tools", "Fixed", amount=amount, period="Month")


def _costs(*lines: list[object]) -> list[list[object]]:
    return [list(COST_HEADER), *lines]


def _amounts(upload: Upload) -> dict[str, float]:
    assert upload.cost_base is not None, [str(issue) for issue in upload.issues]
    return {line.item: line.amount for line in upload.cost_base.lines}


def _info(upload: Upload, name: str) -> SheetInfo:
    (info,) = [sheet for sheet in upload.sheets if sheet.name == name]
    return info


# The sample in every format LibreOffice writes


@pytest.mark.parametrize("extension", ["xls", "ods"])
def test_the_sample_reads_the_same_in_every_format(converted, extension):
    original = SAMPLE.read_bytes()
    expected = read_upload(original, "sample_company.xlsx")
    assert expected.issues == ()

    data = converted("sample", original, extension)
    # Named .bin so that only the bytes can tell what it is.
    upload = read_upload(data, "sample_company.bin")

    assert upload.kind == "workbook"
    assert upload.issues == ()
    assert upload.cost_base == expected.cost_base
    assert upload.headcount == expected.headcount
    assert upload.scenario == expected.scenario
    assert [sheet.name for sheet in upload.sheets] == [
        "Costs",
        "Headcount",
        "Service desk",
        "Assumptions",
    ]
    assert [sheet.kind for sheet in upload.sheets[:3]] == [
        "costs",
        "headcount",
        "service desk",
    ]


def test_a_hidden_sheet_is_marked_in_an_ods_too(converted):
    book = xlsx_bytes(
        {
            "Budget": _costs(_line("Backup", 500)),
            "Old budget": _costs(_line("Tape", 900)),
        },
        hidden=["Old budget"],
    )
    upload = read_upload(converted("hidden", book, "ods"), "budget.ods")
    assert _info(upload, "Old budget").hidden
    assert not _info(upload, "Budget").hidden
    assert _amounts(upload) == {"Backup": 500.0}


def test_a_picked_sheet_of_an_xls_is_read(converted):
    book = xlsx_bytes(
        {
            "FY26": _costs(_line("Backup", 500)),
            "FY27": _costs(_line("Backup", 550), _line("Archive", 25)),
        }
    )
    data = converted("picker", book, "xls")
    assert _amounts(read_upload(data, "budget.xls", sheet="FY27")) == {
        "Backup": 550.0,
        "Archive": 25.0,
    }


# Names lie: the bytes say what a file is


BUDGET_CSV = csv_bytes(
    [
        ["Item", "Pool", "Behaviour", "Amount", "Period"],
        ["Backup", "Support tools", "Fixed", "1,200.50", "Month"],
    ]
)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (
            xlsx_bytes(
                {
                    "Costs": _costs(_line("Backup", 1200.5)),
                    "Headcount": [["Quarter", "Employees"], ["2026-Q4", 100]],
                }
            ),
            "costs.xls",
            "workbook",
        ),
        (BUDGET_CSV, "costs.xls", "csv"),
        (BUDGET_CSV, "COSTS.XLSX", "csv"),
        (BUDGET_CSV, "costs.ODS", "csv"),
    ],
)
def test_the_bytes_not_the_name_say_what_a_file_is(data, name, kind):
    upload = read_upload(data, name)
    assert upload.kind == kind
    assert _amounts(upload) == {"Backup": 1200.5}


REPORT_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>OPEX report</title></head><body>
<table><tr><td>Run by</td><td>finance</td></tr></table>
<table border="1">
  <tr><th colspan="5">IT costs, FY27</th></tr>
  <tr><th>Item</th><th>Pool</th><th>Behaviour</th><th>Amount</th><th>Period</th></tr>
  <tr><td>Backup&nbsp;service</td><td>Support tools</td><td>Fixed</td>
      <td>$1,200.50</td><td>Month</td></tr>
  <tr><td>Caf&eacute; Wi-Fi</td><td>Other</td><td>Fixed</td><td>(300)</td>
      <td>Month
  <tr><td>Licences<td>Productivity software<td>Fixed<td>24,000<td>Year
</table>
</body></html>
"""


def test_an_html_table_named_xls_is_read():
    upload = read_upload(REPORT_HTML.encode("utf-8"), "opex.xls")
    assert upload.kind == "csv"
    assert not errors_of(upload), [str(issue) for issue in upload.issues]
    # Table 2 holds the cost header; Table 1 is the report's title block.
    assert _amounts(upload) == {
        "Backup service": 1200.5,
        "Café Wi-Fi": -300.0,
        "Licences": 24000.0,
    }
    lines = {line.item: line for line in upload.cost_base.lines}
    assert lines["Licences"].period is Period.YEAR
    assert lines["Licences"].behaviour is Behaviour.FIXED
    assert [sheet.name for sheet in upload.sheets] == ["Table 1", "Table 2"]
    assert [sheet.kind for sheet in upload.sheets] == ["unknown", "costs"]
    assert any("Table 2 was read" in issue.message for issue in warnings_of(upload))


def test_excel_flavoured_html_with_tags_in_cells_and_hidden_xml_is_read():
    # Excel's own "Web page" files hide XML in conditional comments.
    page = (
        "<html><head><!--[if gte mso 9]><xml><x:ExcelWorkbook><table><tr><td>"
        "not data</td></tr></table></x:ExcelWorkbook></xml><![endif]--></head>"
        "<body><TABLE><TR><TD><b>Item</b></TD><TD>Pool</TD><TD>Behaviour</TD>"
        "<TD>Amount</TD><TD>Period</TD></TR>"
        '<TR><TD><font color="red">Backup</font><br>service</TD>'
        "<TD>Support tools</TD><TD>Fixed</TD><TD>1 200</TD><TD>Month</TD></TR>"
        "</TABLE></body></html>"
    )
    upload = read_upload(page.encode(), "report.xls")
    assert _amounts(upload) == {"Backup service": 1200.0}
    assert [sheet.name for sheet in upload.sheets] == ["Table 1"]


def test_an_html_table_in_a_windows_code_page_is_read():
    page = REPORT_HTML.replace('<meta charset="utf-8">', "")
    data = page.replace("&eacute;", "é").encode("cp1252")
    upload = read_upload(data, "opex.xls")
    assert "Café Wi-Fi" in _amounts(upload)
    assert any("Windows-1252" in issue.message for issue in upload.issues)


def test_a_picked_html_table_that_is_not_costs_says_what_it_lacks():
    upload = read_upload(REPORT_HTML.encode(), "opex.xls", sheet="Table 1")
    assert upload.cost_base is None
    assert any("Item" in issue.message for issue in errors_of(upload))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><table><tr>'
            "<td>&a;</td></tr></table>",
            "DTD",
        ),
        ("<html><body><p>No table here</p></body></html>", "HTML"),
        ("<table></table>", "HTML"),
    ],
)
def test_markup_that_cannot_be_read_is_refused(text, words):
    upload = read_upload(text.encode(), "report.xls")
    (issue,) = upload.issues
    assert issue.severity is Severity.ERROR
    assert words in issue.message


def test_an_html_page_with_too_many_cells_is_refused(monkeypatch):
    from cpsu.ingest import html_table

    monkeypatch.setattr(html_table, "MAX_TABLE_CELLS", 50)
    rows = "".join("<tr><td>x</td><td>1</td></tr>" for _ in range(40))
    upload = read_upload(f"<table>{rows}</table>".encode(), "report.xls")
    (issue,) = upload.issues
    assert "more than 50 table cells" in issue.message


# Choosing the sheet


def _own_budget(**hidden: bool) -> bytes:
    return xlsx_bytes(
        {
            "Read me": [["Budget for FY27, owner: IT"]],
            "Old budget": _costs(_line("Tape", 900)),
            "Budget": _costs(_line("Backup", 500), _line("Archive", 25)),
            "Staff": HEADCOUNT_ROWS,
            "Desk": SERVICE_DESK_ROWS,
        },
        hidden=[name for name, value in hidden.items() if value] or ["Old budget"],
    )


def test_a_workbook_of_its_own_is_read_from_its_tables():
    upload = read_upload(_own_budget(), "budget.xlsx")

    assert not errors_of(upload), [str(issue) for issue in upload.issues]
    # The hidden sheet is not chosen, though it comes first.
    assert _amounts(upload) == {"Backup": 500.0, "Archive": 25.0}
    assert upload.headcount is not None and upload.scenario is not None
    assert [(sheet.name, sheet.hidden, sheet.kind) for sheet in upload.sheets] == [
        ("Read me", False, "unknown"),
        ("Old budget", True, "costs"),
        ("Budget", False, "costs"),
        ("Staff", False, "headcount"),
        ("Desk", False, "service desk"),
    ]
    assert [sheet.has_table for sheet in upload.sheets] == [
        False,
        True,
        True,
        True,
        True,
    ]
    # Header and two lines, A to P.
    assert (_info(upload, "Budget").rows, _info(upload, "Budget").columns) == (3, 16)
    used = {issue.sheet: issue.message for issue in warnings_of(upload)}
    assert "No sheet is named Costs, so 'Budget'" in used["Budget"]
    assert "No sheet is named Headcount, so 'Staff'" in used["Staff"]


def test_a_hidden_sheet_is_read_only_when_picked():
    upload = read_upload(_own_budget(), "budget.xlsx", sheet="Old budget")
    assert _amounts(upload) == {"Tape": 900.0}


def test_a_sheet_name_is_matched_ignoring_case_and_spaces():
    upload = read_upload(_own_budget(), "budget.xlsx", sheet=" budget ")
    assert _amounts(upload) == {"Backup": 500.0, "Archive": 25.0}


def test_two_sheets_with_cost_tables_the_first_is_read_and_the_other_named():
    book = xlsx_bytes(
        {
            "FY26": _costs(_line("Backup", 500)),
            "FY27": _costs(_line("Backup", 550)),
            "Headcount": HEADCOUNT_ROWS,
            "Service desk": SERVICE_DESK_ROWS,
        }
    )
    upload = read_upload(book, "budget.xlsx")
    assert _amounts(upload) == {"Backup": 500.0}
    (warning,) = [issue for issue in warnings_of(upload) if issue.sheet == "FY26"]
    assert "'FY27' looks like Costs too" in warning.message

    picked = read_upload(book, "budget.xlsx", sheet="FY27")
    assert _amounts(picked) == {"Backup": 550.0}
    assert not any(issue.sheet == "FY26" for issue in picked.issues)


def test_a_picked_sheet_is_read_instead_of_the_sheet_named_costs():
    book = xlsx_bytes(
        {
            "Costs": _costs(_line("Backup", 500)),
            "Costs ": _costs(_line("Backup", 1)),  # a copy, named like it
            "Draft": _costs(_line("Backup", 650)),
            "Headcount": HEADCOUNT_ROWS,
        }
    )
    upload = read_upload(book, "budget.xlsx", sheet="Draft")
    assert _amounts(upload) == {"Backup": 650.0}
    # Nothing is said about the sheets named Costs, which were not read.
    assert not any("named like Costs" in issue.message for issue in upload.issues)


def test_a_picked_sheet_that_does_not_exist_names_the_sheets_there_are():
    upload = read_upload(_own_budget(), "budget.xlsx", sheet="Budget 2028")
    (issue,) = upload.issues
    assert issue.severity is Severity.ERROR
    assert "no sheet named 'Budget 2028'" in issue.message
    assert "'Read me', 'Old budget', 'Budget', 'Staff', 'Desk'" in issue.message
    assert len(upload.sheets) == 5
    assert upload.cost_base is None


def test_a_picked_sheet_of_a_csv_must_be_the_csv():
    assert _amounts(read_upload(BUDGET_CSV, "costs.csv", sheet="costs.csv"))
    upload = read_upload(BUDGET_CSV, "costs.csv", sheet="Budget")
    assert "'costs.csv'" in errors_of(upload)[0].message


def test_only_a_hidden_cost_table_is_not_read_by_default():
    book = xlsx_bytes(
        {"Notes": [["nothing"]], "Budget": _costs(_line("Backup", 500))},
        hidden=["Budget"],
    )
    upload = read_upload(book, "budget.xlsx")
    assert upload.cost_base is None
    assert any("no Costs sheet" in issue.message for issue in errors_of(upload))


def test_a_sheet_too_big_to_read_is_only_a_warning_when_not_used(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_CELLS", 100)
    book = xlsx_bytes(
        {
            "Costs": _costs(_line("Backup", 500)),
            "Headcount": HEADCOUNT_ROWS,
            "Service desk": SERVICE_DESK_ROWS,
            "Scratch": [[1] * 20 for _ in range(20)],
        }
    )
    upload = read_upload(book, "budget.xlsx")
    assert not errors_of(upload)
    assert _amounts(upload) == {"Backup": 500.0}
    assert any(issue.sheet == "Scratch" for issue in warnings_of(upload))
    assert not _info(upload, "Scratch").has_table


# The quick scan of a plain .xlsx sheet, and what sends a sheet to the full one


def _sheet_xml(cells: bytes) -> io.BytesIO:
    row = b'<row r="1">' + cells + b"</row>"
    return io.BytesIO(b"<worksheet><sheetData>" + row + b"</sheetData></worksheet>")


@pytest.mark.parametrize(
    "far",
    [
        b'<c\nr="XFD1048576"><v>1</v></c>',  # a line break after the tag name
        b'<c r="xfd1048576"><v>1</v></c>',  # a lower-case reference
        b'<x:c r="XFD1048576"><v>1</v></x:c>',  # a prefixed element
        b'<c s="1" r="XFD1048576"><v>1</v></c>',  # the reference not first
        b'<!-- <c r="A1"/> --><c r="B1"><v>1</v></c>',  # a comment
        b'<c r="B1"><f\n>1+1</f></c>',  # a formula, however written
    ],
)
def test_a_cell_written_unusually_sends_the_sheet_to_the_full_scan(far):
    assert xlsx_module._quick_scan(_sheet_xml(b'<c r="A1"><v>1</v></c>' + far)) is None


def test_the_quick_scan_sizes_a_sheet_by_its_cells_with_content():
    cells = b'<c r="A1"><v>1</v></c><c r="C7" t="s"><v>0</v></c><c r="Z99" s="1"/>'
    scan = xlsx_module._quick_scan(_sheet_xml(cells))
    # Z99 is only formatted, so the extent is C7: 7 rows, 3 columns.
    assert (scan.rows, scan.columns) == (7, 3)


def test_a_cell_with_an_unusual_attribute_still_counts():
    # A "/" inside an attribute value does not make a cell empty: calamine
    # reads E5, so the extent is 5 rows by 5 columns.
    cells = b'<c r="A1"><v>1</v></c><c r="E5" x="a/b"><v>7</v></c>'
    scan = xlsx_module._quick_scan(_sheet_xml(cells))
    assert (scan.rows, scan.columns) == (5, 5)


def test_a_sheet_past_the_row_limit_is_refused_by_either_scan():
    # The quick scan stops at the first reference past the row limit; the full
    # scan measures the extent exactly.
    far = _sheet_xml(b'<c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c>')
    with pytest.raises(xlsx_module._TooBig) as quick:
        xlsx_module._quick_scan(far)
    assert quick.value.rows == 1_048_576
    far.seek(0)
    with pytest.raises(xlsx_module._TooBig) as big:
        xlsx_module._scan_sheet(far)
    assert (big.value.rows, big.value.columns) == (1_048_576, 16_384)


def test_the_quick_scan_follows_cells_written_out_of_order():
    # Rows in any order, and a wide row in the middle: the guess from the last
    # cells (row 3, column B) is raised by each cell past it. 40 x 27 = AA40.
    cells = b"".join(
        b'<c r="%s%d"><v>1</v></c>' % (letters, row)
        for letters, row in [(b"A", 1), (b"AA", 7), (b"C", 40), (b"B", 2), (b"B", 3)]
    )
    scan = xlsx_module._quick_scan(_sheet_xml(cells))
    assert (scan.rows, scan.columns) == (40, 27)


def test_a_sheet_with_many_cells_past_each_guess_is_counted_cell_by_cell():
    # Rows written backwards from 900 to 1: every cell is past the guess made
    # from the previous one, more times than the searches allowed per chunk.
    cells = b"".join(b'<c r="B%d"><v>1</v></c>' % row for row in range(1, 901))
    scan = xlsx_module._quick_scan(_sheet_xml(cells))
    assert (scan.rows, scan.columns) == (900, 2)
    backwards = b"".join(b'<c r="B%d"><v>1</v></c>' % row for row in range(900, 0, -1))
    scan = xlsx_module._quick_scan(_sheet_xml(backwards))
    assert (scan.rows, scan.columns) == (900, 2)


_COLUMN_LETTERS = st.sampled_from(["A", "B", "H", "Z", "AA", "AZ", "BA", "ZZ", "AAA"])
_CELL_FORMS = st.sampled_from(
    [
        b'<c r="{ref}"><v>1</v></c>',  # a number
        b'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>',  # an inline string
        b'<c r="{ref}" s="1"/>',  # formatted only: empty
        b'<c r="{ref}" s="2"></c>',  # closed at once: empty
        b'<c r="{ref}" x="a/b"><v>2</v></c>',  # an attribute with a slash
        b'<c r="{ref}"\n><v>3</v></c>',  # a line break in the tag
        b'<c s="1" r="{ref}"><v>4</v></c>',  # the reference not first
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(
        st.tuples(_COLUMN_LETTERS, st.integers(1, 3000), _CELL_FORMS), max_size=30
    )
)
def test_the_quick_scan_never_finds_less_than_calamine_reads(cells):
    # Whatever the order and form of the cells, the quick scan either hands the
    # sheet to the full scan (None) or finds an extent that takes in every cell
    # calamine reads, and the same extent the full scan finds.
    body = b"".join(
        form.replace(b"{ref}", f"{letters}{row}".encode())
        for letters, row, form in cells
    )
    sheet = b"<worksheet><sheetData><row>" + body + b"</row></sheetData></worksheet>"
    quick = xlsx_module._quick_scan(io.BytesIO(sheet))
    try:
        full = xlsx_module._scan_sheet(io.BytesIO(sheet))
    except xlsx_module._TooBig:  # past the limit: only the full scan may say so
        assert quick is None
        return
    read = _calamine_sheet(sheet)
    if read.height:  # calamine's last cell, counted from 1
        assert full.rows >= read.end[0] + 1 and full.columns >= read.end[1] + 1
    if quick is not None:
        assert (quick.rows, quick.columns) == (full.rows, full.columns)


def _calamine_sheet(sheet_xml: bytes):
    book = xlsx_bytes({"Sheet": [[1]]})
    rewritten = rewrite_part(
        book,
        "xl/worksheets/sheet1.xml",
        lambda _: (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"' + sheet_xml[len(b"<worksheet") :]
        ),
    )
    return CalamineWorkbook.from_filelike(io.BytesIO(rewritten)).get_sheet_by_index(0)


# .ods and .xlsb safety


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _ods(content: str, manifest: str = "<manifest/>") -> bytes:
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": content.encode(),
            "META-INF/manifest.xml": manifest.encode(),
        }
    )


def _ods_sheet(rows: str) -> str:
    return (
        '<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x">'
        "<office:body><office:spreadsheet>"
        f'<table:table table:name="Costs">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )


def test_an_ods_claiming_a_million_filled_rows_is_refused_before_reading():
    # One filled cell repeated across 10 columns, in a row repeated 1,000,000
    # times: 10,000,000 cells from a few bytes.
    row = (
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="10" '
        'office:value-type="float" office:value="1"/></table:table-row>'
    )
    (issue,) = read_upload(_ods(_ods_sheet(row)), "costs.ods").issues
    assert "row 1,000,000, column J" in issue.message


def test_an_encrypted_ods_asks_for_the_password_to_be_removed():
    manifest = "<manifest><manifest:encryption-data/></manifest>"
    (issue,) = read_upload(_ods(_ods_sheet(""), manifest), "costs.ods").issues
    assert "password" in issue.message


def test_an_ods_with_a_dtd_is_refused():
    content = '<!DOCTYPE x [<!ENTITY a "b">]>' + _ods_sheet("")
    (issue,) = read_upload(_ods(content), "costs.ods").issues
    assert "DTD" in issue.message


# Merged cells in an .ods, which calamine does not report


def _merged_item_book() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Costs"
    for row in [
        ["Item", "Monthly cost"],
        ["Microsoft 365", 1000],
        [None, 2000],
        ["Laptops", 500],
    ]:
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_item_merged_down_two_rows_of_an_ods_names_both_as_in_the_xlsx(
    converted,
):
    original = _merged_item_book()
    expected = read_upload(original, "costs.xlsx")
    upload = read_upload(converted("merged", original, "ods"), "costs.ods")

    assert errors_of(upload) == []
    assert [(line.item, line.amount) for line in upload.cost_base.lines] == [
        ("Microsoft 365", 1000.0),
        ("Microsoft 365", 2000.0),
        ("Laptops", 500.0),
    ]
    # 1,000 + 2,000 a month for Microsoft 365, the same as the .xlsx reads.
    assert upload.cost_base == expected.cost_base
    assert [issue.message for issue in upload.issues] == [
        issue.message for issue in expected.issues
    ]
    assert any("Cells A2:A3 are merged" in i.message for i in upload.issues)


def test_an_ods_merge_is_placed_past_repeated_rows_and_cells():
    # Two blank rows written as one repeated row, then the header; in row 4 two
    # blank cells written as one repeated cell put the merged item in column C.
    rows = (
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/>'
        "</table:table-row>"
        "<table:table-row>"
        '<table:table-cell table:number-columns-repeated="2"/>'
        f"{ods_cell('Item')}{ods_cell('Monthly cost')}</table:table-row>"
        "<table:table-row>"
        '<table:table-cell table:number-columns-repeated="2"/>'
        + ods_cell("Backup", spans=' table:number-rows-spanned="3"')
        + f"{ods_cell(100)}</table:table-row>"
        + "<table:table-row>"
        '<table:table-cell table:number-columns-repeated="2"/>'
        f"<table:covered-table-cell/>{ods_cell(20)}</table:table-row>"
        "<table:table-row>"
        '<table:table-cell table:number-columns-repeated="2"/>'
        f"<table:covered-table-cell/>{ods_cell(3)}</table:table-row>"
    )
    upload = read_upload(ods_bytes({"Costs": rows}), "costs.ods")

    assert errors_of(upload) == []
    assert [(line.item, line.amount) for line in upload.cost_base.lines] == [
        ("Backup", 100.0),
        ("Backup", 20.0),
        ("Backup", 3.0),
    ]
    assert any("Cells C4:C6 are merged" in i.message for i in upload.issues)


def test_a_merged_pool_and_a_merged_amount_of_an_ods_read_as_in_an_xlsx():
    header = ["Item", "Pool", "Behaviour", "Amount", "Period"]
    rows = [
        header,
        ["Backup", "Support tools", "Fixed", 300, "Month"],
        ["Tape", None, "Fixed", None, "Month"],
    ]
    merges = [(2, 2, 3, 2), (2, 4, 3, 4)]  # B2:B3 and D2:D3
    book = Workbook()
    book.active.title = "Costs"
    for row in rows:
        book.active.append(row)
    for top, left, bottom, right in merges:
        book.active.merge_cells(
            start_row=top, start_column=left, end_row=bottom, end_column=right
        )
    buffer = io.BytesIO()
    book.save(buffer)
    expected = read_upload(buffer.getvalue(), "costs.xlsx")

    upload = read_upload(ods_bytes({"Costs": ods_sheet_xml(rows, merges)}), "costs.ods")

    assert upload.cost_base == expected.cost_base
    # The same warnings, though the two formats list the merges in other orders.
    assert sorted(issue.message for issue in upload.issues) == sorted(
        issue.message for issue in expected.issues
    )
    # The pool is carried to Tape; the merged 300 stays on Backup's row only.
    assert any("Cells B2:B3 are merged" in i.message for i in upload.issues)
    assert any(
        "Cells D2:D3 are merged and hold 300" in i.message for i in upload.issues
    )


def test_an_ods_with_more_merges_than_are_filled_says_so(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_MERGED_RANGES", 5)
    monkeypatch.setattr(table_module, "MAX_MERGED_RANGES", 5)
    # One row, its first two cells merged, written once and repeated 8 times:
    # 8 merges, over the 5 filled in.
    row = (
        '<table:table-row table:number-rows-repeated="8">'
        + ods_cell("Backup", spans=' table:number-columns-spanned="2"')
        + "<table:covered-table-cell/></table:table-row>"
    )
    book = read_workbook(ods_bytes({"Costs": row}))
    assert any(
        "more than 5 merged ranges" in issue.message
        for issue in book.sheet_issues["Costs"]
    )


def test_an_ods_of_merges_repeated_a_million_times_is_refused_before_reading(
    monkeypatch,
):
    def refuse(*_: object) -> None:
        raise AssertionError("calamine was reached")

    monkeypatch.setattr(xlsx_module.CalamineWorkbook, "from_filelike", refuse)
    # Three filled cells, each merged across two rows, in a row repeated
    # 1,000,000 times: 3,000,000 cells and as many merges from a few bytes.
    row = (
        '<table:table-row table:number-rows-repeated="1000000">'
        + ods_cell(
            "x",
            spans=' table:number-rows-spanned="2" table:number-columns-repeated="3"',
        )
        + "</table:table-row>"
    )
    (issue,) = read_upload(ods_bytes({"Costs": row}), "costs.ods").issues
    assert "row 1,000,000, column C" in issue.message


def _record(kind: int, body: bytes) -> bytes:
    """An .xlsb record: its type and size as 7-bit groups, then its body."""

    def groups(value: int) -> bytes:
        out = bytearray()
        while True:
            byte, value = value & 0x7F, value >> 7
            out.append(byte | (0x80 if value else 0))
            if not value:
                return bytes(out)

    return groups(kind) + groups(len(body)) + body


def _xlsb(sheet: bytes) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.bin": b"\x83\x01\x00",
            "xl/worksheets/sheet1.bin": sheet,
        }
    )


def _wide(text: str) -> bytes:
    return len(text).to_bytes(4, "little") + text.encode("utf-16-le")


def _xlsb_sheet(rows: list[list[object]]) -> bytes:
    """A sheet's records: begin, dimensions, rows of text and number cells, end."""
    height = len(rows)
    width = max((len(cells) for cells in rows), default=1)
    extent = struct.pack("<IIII", 0, height - 1, 0, width - 1)
    out = _record(0x81, b"") + _record(0x94, extent) + _record(0x91, b"")
    for number, cells in enumerate(rows):
        out += _record(0, struct.pack("<I", number) + bytes(13))
        for column, value in enumerate(cells):
            head = struct.pack("<II", column, 0)  # column, style 0
            if isinstance(value, str):
                out += _record(6, head + _wide(value))
            elif isinstance(value, datetime):
                serial = (value - datetime(1899, 12, 30)).days
                out += _record(5, head + struct.pack("<d", serial))
            elif isinstance(value, int | float):
                out += _record(5, head + struct.pack("<d", value))
    return out + _record(0x92, b"") + _record(0x82, b"")


def xlsb_bytes(sheets: dict[str, list[list[object]]], hidden: tuple = ()) -> bytes:
    """A real .xlsb, record by record (MS-XLSB), since no writer makes one."""
    book = _record(0x83, b"") + _record(0x8F, b"")
    relations = []
    parts = {}
    for number, (name, rows) in enumerate(sheets.items(), start=1):
        state = 1 if name in hidden else 0
        bundle = struct.pack("<II", state, number) + _wide(f"rId{number}")
        book += _record(0x9C, bundle + _wide(name))  # BrtBundleSh: one sheet
        relations.append(
            f'<Relationship Id="rId{number}" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{number}.bin"/>'
        )
        parts[f"xl/worksheets/sheet{number}.bin"] = _xlsb_sheet(rows)
    book += _record(0x90, b"") + _record(0x84, b"")
    relations_xml = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{"".join(relations)}</Relationships>'
    )
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.bin": book,
            "xl/_rels/workbook.bin.rels": relations_xml.encode(),
            **parts,
        }
    )


def test_the_sample_reads_the_same_as_xlsb():
    expected = read_upload(SAMPLE.read_bytes(), "sample_company.xlsx")
    book = load_workbook(SAMPLE, data_only=True)
    sheets = {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }
    upload = read_upload(xlsb_bytes(sheets), "sample_company.bin")
    assert upload.issues == ()
    assert upload.cost_base == expected.cost_base
    assert upload.headcount == expected.headcount
    assert upload.scenario == expected.scenario


def test_a_hidden_xlsb_sheet_is_marked_and_not_chosen():
    data = xlsb_bytes(
        {
            "Old budget": _costs(_line("Tape", 900)),
            "Budget": _costs(_line("Backup", 500)),
        },
        hidden=("Old budget",),
    )
    upload = read_upload(data, "budget.xlsb")
    assert _info(upload, "Old budget").hidden
    assert _amounts(upload) == {"Backup": 500.0}


def test_an_xlsb_reaching_far_is_refused_before_reading():
    row = (999_999).to_bytes(4, "little") + bytes(8)
    real = (99).to_bytes(4, "little") + bytes(12)  # a number in column CV
    sheet = _record(0, bytes(12)) + _record(0, row) + _record(5, real)
    (issue,) = read_upload(_xlsb(sheet), "costs.xlsb").issues
    assert "row 1,000,000, column CV" in issue.message


@pytest.mark.parametrize(
    ("extent", "words"),
    [
        ((0, 999_999, 0, 9), "row 1,000,000, column J"),
        ((5, 4, 0, 0), "ends before it starts"),
    ],
)
def test_an_xlsb_is_sized_by_what_its_sheet_says_too(extent, words):
    # BrtWsDim: first and last row, first and last column, counted from 0.
    dimensions = b"".join(value.to_bytes(4, "little") for value in extent)
    sheet = _record(0x81, b"") + _record(0x94, dimensions)
    (issue,) = read_upload(_xlsb(sheet), "costs.xlsb").issues
    assert words in issue.message


def test_a_damaged_xlsb_is_reported_not_raised():
    sheet = _record(0, bytes(12)) + _record(5, bytes(16)) + b"\xff\xff\xff"
    upload = read_upload(_xlsb(sheet), "costs.xlsb")
    assert upload.has_errors
    assert not any(CATCH_ALL in issue.message for issue in upload.issues)


@pytest.mark.parametrize("make", [_xlsb, lambda data: _ods(data.decode())])
def test_a_zip_that_unpacks_to_far_more_than_its_size_is_refused(monkeypatch, make):
    monkeypatch.setattr(xlsx_module, "MIN_RATIO_CHECKED_BYTES", 1024 * 1024)
    data = make(b" " * (4 * 1024 * 1024))
    assert len(data) < 40_000  # 4 MB of spaces pack to a few KB
    (issue,) = read_upload(data, "costs.bin").issues
    assert "times its size" in issue.message


def test_an_xls_reaching_far_is_refused_before_calamine_reads_it(
    converted, monkeypatch
):
    book = Workbook()
    book.active.title = "Costs"
    book.active["A1"] = "Item"
    book.active["IV65536"] = 1  # the last cell an .xls has
    buffer = io.BytesIO()
    book.save(buffer)
    data = converted("far", buffer.getvalue(), "xls")

    def refuse(*_: object) -> None:
        raise AssertionError("calamine was reached")

    monkeypatch.setattr(xlsx_module.CalamineWorkbook, "from_filelike", refuse)
    (issue,) = read_upload(data, "costs.xls").issues
    # 65,536 rows x 256 columns is 16,777,216 cells, over the 2,000,000 read.
    assert "row 65,536, column IV" in issue.message


def test_an_xls_sheet_that_ends_before_it_starts_is_damaged(converted):
    # The Costs sheet's DIMENSIONS record: rows 0 to 29, columns 0 to 16.
    # calamine sizes the sheet by last - first, which would wrap around.
    xls = converted("sample", SAMPLE.read_bytes(), "xls")
    dimensions = b"\x00\x02\x0e\x00" + (0).to_bytes(4, "little")
    dimensions += (29).to_bytes(4, "little") + b"\x00\x00\x10\x00"
    assert xls.count(dimensions) == 1
    start = xls.index(dimensions) + 4
    damaged = xls[:start] + (62_720).to_bytes(4, "little") + xls[start + 4 :]
    (issue,) = read_upload(damaged, "costs.xls").issues
    assert "Costs sheet of the workbook is damaged" in issue.message


def test_an_ole_file_without_a_workbook_stream_is_damaged():
    data = OLE_SIGNATURE + bytes(1024)
    (issue,) = read_upload(data, "costs.xls").issues
    assert "damaged" in issue.message and ".xls" in issue.message


def test_a_password_protected_xls_says_so():
    data = OLE_SIGNATURE + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    (issue,) = read_upload(data, "costs.xls").issues
    assert "password" in issue.message


# The command line


def test_cpsu_check_reads_the_sheet_it_is_told(tmp_path, capsys):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(_own_budget())
    assert main(["check", str(path), "--sheet", "Old budget", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [line["item"] for line in result["lines"]] == ["Tape"]
    # 900 a month, fixed.
    assert result["monthly_run_rate"] == pytest.approx(900.0)

    with pytest.raises(SystemExit) as usage:
        main(["check", str(path), "--sheet", "Nope"])
    assert usage.value.code == 2  # a usage error, the sheets listed
    err = capsys.readouterr().err
    assert "has no sheet 'Nope'" in err
    assert "its sheets are 'Read me', 'Old budget' (hidden)" in err


# Whatever follows a format's signature, only issues come out


def _valid_prefixes() -> list[bytes]:
    return [
        b"PK\x03\x04",
        OLE_SIGNATURE,
        b"<html><table><tr><td>",
        b'<?xml version="1.0"?>',
        b"\xef\xbb\xbf<table>",
        b"Item,Pool,Behaviour,Amount\n",
    ]


def _assert_only_issues(upload: Upload) -> None:
    assert isinstance(upload, Upload)
    assert not any(CATCH_ALL in issue.message for issue in upload.issues), [
        str(issue) for issue in upload.issues
    ]
    assert upload.has_errors or upload.cost_base is not None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(_valid_prefixes()), body=st.binary(max_size=2048))
def test_random_bytes_after_a_signature_are_only_issues(prefix, body):
    _assert_only_issues(read_upload(prefix + body, "upload.xls"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=st.binary(max_size=512), kind=st.sampled_from(["xlsb", "ods"]))
def test_random_parts_in_a_real_zip_are_only_issues(sheet, kind):
    data = _xlsb(sheet) if kind == "xlsb" else _ods(sheet.decode("latin-1"))
    _assert_only_issues(read_upload(data, "upload.bin"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(8, 4096), junk=st.binary(min_size=1, max_size=256))
def test_a_damaged_xls_is_only_issues(converted, cut, junk):
    xls = converted("sample", SAMPLE.read_bytes(), "xls")
    _assert_only_issues(read_upload(xls[:cut] + junk + xls[cut + len(junk) :], "a"))


_REAL_XLSB_SHEET = _xlsb_sheet(_costs(_line("Backup", 500), _line("Tape", 20)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(
        st.tuples(st.integers(0, len(_REAL_XLSB_SHEET) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    ),
    cut=st.integers(1, len(_REAL_XLSB_SHEET)),
)
def test_a_real_xlsb_with_damaged_records_is_only_issues(changes, cut):
    sheet = bytearray(_REAL_XLSB_SHEET)
    for position, value in changes:
        sheet[position] = value
    data = xlsb_bytes({"Costs": [["placeholder"]]})
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.bin"] = bytes(sheet[:cut])
    _assert_only_issues(read_upload(_zip(parts), "costs.xlsb"))


# One read of a workbook, whichever readers it is offered to


def test_an_upload_offered_to_every_reader_is_unpacked_once():
    # The app offers a file that is not its own workbook to the GL reader and
    # then the roster reader; the second and third get the first one's read.
    book = xlsx_bytes(
        {
            "GL detail": [
                ["Posting date", "Account", "Vendor", "Description", "Amount"],
                [datetime(2026, 10, 15), 6150, "AWS", "Hosting", 1200.5],
                [datetime(2026, 11, 15), 6150, "AWS", "Hosting", 1300.5],
            ]
        }
    )
    assert read_upload(book, "gl.xlsx").has_errors  # not cost lines
    export = read_gl_export(book, "gl.xlsx")
    assert export.recognised and export.entries["amount"].sum() == 2501.0
    read_roster_upload(book, "gl.xlsx", pd.Period("2026Q4", freq="Q"))
    counts = xlsx_module._read_workbook_once.cache_info()
    assert (counts.misses, counts.hits) == (1, 2)
    # A changed limit is a new key: the same bytes are read again under it.
    xlsx_module.MAX_SHEET_CELLS -= 1
    try:
        read_gl_export(book, "gl.xlsx")
    finally:
        xlsx_module.MAX_SHEET_CELLS += 1
    assert xlsx_module._read_workbook_once.cache_info().misses == 2


def test_a_workbook_shared_between_readers_cannot_be_changed():
    book = xlsx_module.read_workbook(xlsx_bytes({"Costs": [["Item", "Amount"]]}))
    with pytest.raises(TypeError):
        book.tables["Costs"] = None
    with pytest.raises(TypeError):
        book.sheet_issues["Costs"] = ()
