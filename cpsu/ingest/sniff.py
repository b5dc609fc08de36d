"""What kind of file some bytes are, told by their first bytes, and its tables.

Names lie: a finance system saves an HTML page as report.xls, a CSV arrives
as .txt, a workbook is renamed. So every reader (the cost upload, the GL
export, the HR roster) tells the kind of file from its first bytes: a zip or
OLE container is a workbook, a known binary signature is refused by name,
text that starts with a tag is an HTML page, and other text is a CSV.
`read_file_tables` then gives any of them as a `Workbook`: a workbook's
sheets, an HTML page's tables ("Table 1" and on), or a CSV as one sheet
named after the file, so that the GL and roster readers look for their
table the same way whatever the file.
"""

from __future__ import annotations

import codecs
from dataclasses import replace

from cpsu.ingest.csv_file import CsvError, decode_text, read_csv_table
from cpsu.ingest.html_table import HtmlError, looks_like_markup, read_html_tables
from cpsu.ingest.issues import Issue
from cpsu.ingest.table import Table
from cpsu.ingest.xlsx import (
    OLE_SIGNATURE,
    SheetInfo,
    Workbook,
    WorkbookError,
    read_workbook,
    table_kind,
)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
BINARY_SIGNATURES = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG picture",
    b"\xff\xd8\xff": "a JPEG picture",
    b"GIF8": "a GIF picture",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}


class FileError(Exception):
    """The file holds no table that can be read; the message says why."""


def is_workbook(data: bytes) -> bool:
    """True when the bytes are a zip (xlsx, xlsb, ods) or OLE (xls) container."""
    return data.startswith((*ZIP_SIGNATURES, OLE_SIGNATURE))


def binary_kind(data: bytes) -> str | None:
    """What a known non-spreadsheet file is ("a PDF"), or None."""
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None


def text_start(data: bytes) -> str:
    """The start of the file as text, whatever its encoding, to sniff it."""
    start = data[:4096]
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return start.decode("utf-16", errors="ignore")
    return start.decode("utf-8", errors="ignore").lstrip("\ufeff")


def is_markup(data: bytes) -> bool:
    """True when the file is text that starts with a tag: an HTML page or XML."""
    return looks_like_markup(text_start(data))


def table_info(table: Table) -> SheetInfo:
    """A table of a CSV or HTML page as a sheet picker shows a sheet."""
    columns = max((len(cells) for _, cells in table.rows), default=0)
    return SheetInfo(
        table.name, False, len(table.rows), columns, bool(table.rows), table_kind(table)
    )


def read_file_tables(data: bytes, source: str) -> Workbook:
    """Every table of a workbook, HTML page or CSV, as the sheets of a workbook.

    A CSV is one sheet named `source`; what was noticed reading it (its
    encoding) is that sheet's. Raises FileError when no table can be read.
    """
    if is_workbook(data):
        try:
            return read_workbook(data)
        except WorkbookError as problem:
            raise FileError(str(problem)) from None
    kind = binary_kind(data)
    if kind is not None:
        raise FileError(
            f"The file is {kind}, not a workbook or CSV; upload a workbook (.xlsx) "
            "or a CSV."
        )
    try:
        if is_markup(data):
            text, issues = decode_text(data)
            tables, spans = read_html_tables(text)
            return Workbook(
                format="html",
                sheets=tuple(table_info(table) for table in tables),
                tables={table.name: table for table in tables},
                sheet_issues={name: tuple(found) for name, found in spans.items()},
                issues=tuple(issues),
            )
        table, issues = read_csv_table(data, source)
    except (CsvError, HtmlError) as problem:
        raise FileError(str(problem)) from None
    found: tuple[Issue, ...] = tuple(
        replace(issue, sheet=issue.sheet or table.name) for issue in issues
    )
    return Workbook(
        format="csv",
        sheets=(table_info(table),),
        tables={table.name: table},
        sheet_issues={table.name: found},
    )
