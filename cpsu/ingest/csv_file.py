"""Reading a CSV of the Costs sheet: its encoding, its delimiter, its lines.

CSV files come from Excel in several dialects: UTF-8 with or without a
byte-order mark, the Windows code page (cp1252) from older versions,
UTF-16 from "Unicode text", and commas, semicolons or tabs between cells
depending on the locale. The encoding is tried in that order and a
fallback is reported, since it may have changed a currency sign or an
accent. The delimiter is the one under which a header row is found, and the
table keeps it: a semicolon breaks a tie in how the file's numbers write
decimals (see `conventions.py`), and a row with more values than the header
was split at a delimiter inside a value. Rows are numbered by the file's
lines, so a message points at the line an editor shows.
"""

from __future__ import annotations

import codecs
import csv
import io

from cpsu.ingest.issues import Issue, warning
from cpsu.ingest.table import HEADER_SEARCH_ROWS, Row, Table, match_row
from cpsu.ingest.vocabulary import COST_HEADER_INDEX

DELIMITERS = (",", ";", "\t")


class CsvError(Exception):
    """The file cannot be read as CSV text; the message says what to do."""


def decode_text(data: bytes) -> tuple[str, list[Issue]]:
    """The file as text, and a warning when it was not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), []
        except UnicodeDecodeError:
            pass
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise CsvError(
                "The file says it is UTF-16 text but is not; save it as CSV UTF-8."
            ) from None
    else:
        try:
            return data.decode("utf-8"), []
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise CsvError(
            "The file is neither a workbook nor readable text (it is not UTF-8 or "
            "Windows-1252). Upload the workbook as .xlsx, or save the Costs sheet "
            "as CSV UTF-8."
        ) from None
    return text, [
        warning(
            "The file is not UTF-8, so it was read as Windows-1252 (cp1252), the "
            "encoding older Excel uses for CSV. Check that currency signs and "
            "accented letters look right, or save it as CSV UTF-8."
        )
    ]


def _rows(text: str, delimiter: str, limit: int | None = None) -> list[Row]:
    """The CSV's rows, each numbered by the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    for cells in reader:
        rows.append((line, tuple(cells)))
        line = reader.line_num + 1
        if limit is not None and line > limit:
            break
    return rows


def _header_score(text: str, delimiter: str) -> int:
    try:
        rows = _rows(text, delimiter, limit=HEADER_SEARCH_ROWS)
    except csv.Error:
        return -1
    return max(
        (len(match_row(cells, COST_HEADER_INDEX)[0]) for _, cells in rows), default=0
    )


def choose_delimiter(text: str) -> str:
    """The delimiter under which the most cost headers are found in one row."""
    scores = {delimiter: _header_score(text, delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: scores[delimiter])
    if scores[best] > 1:
        return best
    try:
        return (
            csv.Sniffer().sniff(text[:65536], delimiters="".join(DELIMITERS)).delimiter
        )
    except csv.Error:
        return ","


def read_csv_table(data: bytes, name: str) -> tuple[Table, list[Issue]]:
    """The CSV as a table, with its delimiter, and what was noticed.

    Raises CsvError when the bytes are not text.
    """
    text, issues = decode_text(data)
    if "\x00" in text:
        raise CsvError(
            "The file holds binary data, so it is neither an .xlsx workbook nor a "
            "CSV. Upload the workbook as .xlsx or the Costs sheet as CSV."
        )
    if text.lstrip()[:1] == "<":
        raise CsvError(
            "The file is HTML or XML, not a workbook or CSV (some systems export "
            "this and name it .xls). Open it in Excel and save it as .xlsx or CSV."
        )
    delimiter = choose_delimiter(text)
    try:
        rows = _rows(text, delimiter)
    except csv.Error as problem:
        raise CsvError(
            f"The CSV could not be read ({problem}); check for a cell with an "
            "unclosed quote, or save the sheet as CSV again."
        ) from None
    return Table(name=name, rows=tuple(rows), delimiter=delimiter), issues
