"""Workbooks and CSVs for the ingest tests, built in code and small enough to read."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence

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
