"""Workbooks and CSVs for the ingest tests, built in code and small enough to read."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from html import escape

from openpyxl import Workbook

from cpsu.ingest import Upload
from cpsu.ingest.issues import Issue, Severity

COST_HEADER = [
    "Item",
    "Pool",
    "Behaviour",
    "Amount",
    "Period",
    "Unit cost",
    "Users per unit",
    "Tier",
    "Tickets per agent",
    "Min units",
    "Life months",
    "In service",
    "Renew",
    "Escalation",
    "Vendor",
    "Notes",
]
COST_FIELDS = [
    "item",
    "pool",
    "behaviour",
    "amount",
    "period",
    "unit_cost",
    "users_per_unit",
    "tier",
    "tickets_per_agent",
    "min_units",
    "life_months",
    "in_service",
    "renew",
    "escalation",
    "vendor",
    "notes",
]

HEADCOUNT_ROWS = [["Quarter", "Employees", "Contingent"], ["2026-Q4", 1000, 100]]
SERVICE_DESK_ROWS = [
    ["Parameter", "Value"],
    ["Tickets per user per month", 1.1],
    ["Resolution rate", 0.7],
    ["Desk-side share", 0.3],
    ["Deflection", 0.1],
    ["Deflection step per quarter", 0.0],
    ["Deflection cap", 0.45],
    ["Contingent weight", 1.0],
]

Rows = Sequence[Sequence[object]]


def cost_row(item: str, pool: str, behaviour: str, **fields: object) -> list[object]:
    """One Costs row in canonical column order; unnamed fields are empty."""
    unknown = set(fields) - set(COST_FIELDS)
    assert not unknown, unknown
    values = {"item": item, "pool": pool, "behaviour": behaviour, **fields}
    return [values.get(name) for name in COST_FIELDS]


def xlsx_bytes(
    sheets: Mapping[str, Rows],
    *,
    first_row: Mapping[str, int] | None = None,
    first_column: Mapping[str, int] | None = None,
    hidden: Sequence[str] = (),
) -> bytes:
    """A workbook with one sheet per entry; rows start at A1 unless told otherwise."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        top = (first_row or {}).get(title, 1)
        left = (first_column or {}).get(title, 1)
        for row_offset, cells in enumerate(rows):
            for column_offset, value in enumerate(cells):
                if value is not None:
                    sheet.cell(
                        row=top + row_offset, column=left + column_offset
                    ).value = value
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def canonical_bytes(
    costs: Rows,
    *,
    headcount: Rows | None = None,
    service_desk: Rows | None = None,
    assumptions: Rows | None = None,
    cost_header: Sequence[str] = COST_HEADER,
) -> bytes:
    """The canonical workbook with the given cost rows under the standard header."""
    sheets: dict[str, Rows] = {
        "Instructions": [["Fill in the Costs and Headcount sheets."]],
        "Costs": [list(cost_header), *costs],
        "Headcount": HEADCOUNT_ROWS if headcount is None else headcount,
        "Service desk": SERVICE_DESK_ROWS if service_desk is None else service_desk,
    }
    if assumptions is not None:
        sheets["Assumptions"] = assumptions
    return xlsx_bytes(sheets)


def csv_bytes(rows: Rows, *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode(encoding)


def errors_of(upload: Upload) -> list[Issue]:
    return [issue for issue in upload.issues if issue.severity is Severity.ERROR]


def warnings_of(upload: Upload) -> list[Issue]:
    return [issue for issue in upload.issues if issue.severity is Severity.WARNING]


def issue_at(
    upload: Upload, sheet: str | None, row: int | None, column: str | None = None
) -> Issue:
    """The one issue at a place; fails listing every issue when there is not one."""
    found = [
        issue
        for issue in upload.issues
        if issue.sheet == sheet
        and issue.row == row
        and (column is None or issue.column == column)
    ]
    listing = "\n".join(str(issue) for issue in upload.issues)
    assert len(found) == 1, f"expected one issue at {sheet}/{row}/{column}:\n{listing}"
    return found[0]


def rewrite_part(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one zip part changed; fails if the change changes nothing."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                changed = change(content)
                assert changed != content, f"nothing changed in {name}"
                content = changed
            target.writestr(info.filename, content)
    return buffer.getvalue()


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
# A merge as openpyxl's merge_cells takes it: first row, first column, last
# row, last column, counted from 1.
Span = tuple[int, int, int, int]


def ods_cell(value: object, tag: str = "table:table-cell", spans: str = "") -> str:
    """One OpenDocument cell: its value, type and text."""
    if value is None or value == "":
        return f"<{tag}{spans}/>"
    if isinstance(value, date):
        attributes = f'office:value-type="date" office:date-value="{value:%Y-%m-%d}"'
    elif isinstance(value, int | float):
        attributes = f'office:value-type="float" office:value="{value!r}"'
    else:
        attributes = 'office:value-type="string"'
    return f"<{tag} {attributes}{spans}><text:p>{escape(str(value))}</text:p></{tag}>"


def ods_sheet_xml(rows: Rows, merges: Sequence[Span] = ()) -> str:
    """The rows of a sheet as content.xml writes them, merged cells spanning
    the cells they cover, which follow as covered cells as LibreOffice writes.
    """
    starts = {(top, left): (bottom, right) for top, left, bottom, right in merges}
    covered = {
        (row, column)
        for top, left, bottom, right in merges
        for row in range(top, bottom + 1)
        for column in range(left, right + 1)
    } - starts.keys()
    height = max([len(rows), *(bottom for _, _, bottom, _ in merges)])
    xml = []
    for row in range(1, height + 1):
        values = list(rows[row - 1]) if row <= len(rows) else []
        width = max([len(values), *(c for r, c in covered | starts.keys() if r == row)])
        values += [None] * (width - len(values))
        cells = []
        for column, value in enumerate(values, start=1):
            if (row, column) in covered:
                cells.append("<table:covered-table-cell/>")
            elif (row, column) in starts:
                bottom, right = starts[row, column]
                spans = (
                    f' table:number-rows-spanned="{bottom - row + 1}"'
                    f' table:number-columns-spanned="{right - column + 1}"'
                )
                cells.append(ods_cell(value, spans=spans))
            else:
                cells.append(ods_cell(value))
        xml.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    return "".join(xml)


def ods_bytes(sheets: Mapping[str, str]) -> bytes:
    """An .ods of sheets given as the XML of their rows, by sheet name."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">{rows}</table:table>'
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {ODS_NAMESPACES} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "content.xml", content.encode(), compress_type=zipfile.ZIP_DEFLATED
        )
        archive.writestr("META-INF/manifest.xml", b"<manifest/>")
    return buffer.getvalue()


def long_xlsx_bytes(rows: int, sheet: str = "Costs") -> bytes:
    """A workbook whose sheet has a header and `rows` cost lines (Item N, 1200),
    written straight into the sheet's XML: openpyxl takes a minute for a
    quarter of a million rows, this a second."""
    base = xlsx_bytes({sheet: [["Item", "Annual cost"]]})
    lines = "".join(
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>Item {row}</t></is></c>'
        f'<c r="B{row}"><v>1200</v></c></row>'
        for row in range(2, rows + 2)
    )

    def fill(xml: bytes) -> bytes:
        return xml.replace(
            b"</row></sheetData>", b"</row>" + lines.encode() + b"</sheetData>"
        )

    return rewrite_part(base, "xl/worksheets/sheet1.xml", fill)


GL_HEADER = ["Posting date", "Account", "Cost centre", "Vendor", "Description"]


def gl_bytes(header: Sequence[str], rows: Rows, *, sheet: str = "GL detail") -> bytes:
    """A GL export: one sheet, its header in row 1 and a posting a row below."""
    return xlsx_bytes({sheet: [list(header), *rows]})


def monthly_postings(
    year: int, amount: float, *, account: int = 6100, extra: Sequence[object] = ()
) -> list[list[object]]:
    """A posting on the 15th of each month of a year, under GL_HEADER + Amount,
    with `extra` cells between the description and the amount."""
    return [
        [date(year, month, 15), account, "IT01", "Microsoft", "M365", *extra, amount]
        for month in range(1, 13)
    ]


# The month headers of a grid, as Excel's custom lists write them.
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
MONTHS += ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
