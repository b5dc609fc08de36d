"""One upload, read whole: what it holds and every problem found in it.

`read_upload` takes the bytes of a file and never raises: whatever the
bytes are (the canonical workbook, a CSV of its Costs sheet, a legacy .xls,
a picture renamed .xlsx, nothing at all), the result is an `Upload` whose
issues say what was wrong, where, and what to do. The kind of file is told
by its first bytes, not its name, since names lie. `apply_upload` then
makes the new workspace from a clean upload: a workbook replaces all of
it, a CSV of costs only the cost base. A bad upload is never applied, so
the last good cost base stays.
"""

from __future__ import annotations

import logging
import posixpath
from dataclasses import dataclass, replace

from cpsu.costs import CostBase
from cpsu.ingest import costs_sheet, headcount_sheet
from cpsu.ingest.cells import text_key
from cpsu.ingest.conventions import decide_conventions
from cpsu.ingest.costs_sheet import read_costs
from cpsu.ingest.csv_file import CsvError, read_csv_table
from cpsu.ingest.headcount_sheet import read_headcount
from cpsu.ingest.issues import Issue, Severity, error, errors
from cpsu.ingest.parameters import (
    assumption_number_cells,
    read_scenario,
    read_service_desk,
    service_desk_number_cells,
)
from cpsu.ingest.xlsx import WorkbookError, read_workbook_sheets
from cpsu.scenario import Headcount, Scenario, Workspace

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG picture",
    b"\xff\xd8\xff": "a JPEG picture",
    b"GIF8": "a GIF picture",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}

# The sheets a workbook is read from, by name key (see cells.text_key).
COSTS, HEADCOUNT, SERVICE_DESK, ASSUMPTIONS = (
    "costs",
    "headcount",
    "servicedesk",
    "assumptions",
)
SHEETS = {
    COSTS: "Costs",
    HEADCOUNT: "Headcount",
    SERVICE_DESK: "Service desk",
    ASSUMPTIONS: "Assumptions",
}


@dataclass(frozen=True)
class Upload:
    """What one uploaded file holds, and every problem found in it.

    `cost_base` is None when the Costs sheet had errors; `headcount` and
    `scenario` are None for a CSV or when their sheets had errors.
    """

    kind: str  # "workbook" or "csv"
    cost_base: CostBase | None
    headcount: Headcount | None
    scenario: Scenario | None
    issues: tuple[Issue, ...]

    @property
    def has_errors(self) -> bool:
        return bool(errors(self.issues))


def read_upload(data: bytes, filename: str) -> Upload:
    """Read an uploaded workbook (.xlsx) or CSV of costs; never raises."""
    try:
        return _read(bytes(data), filename)
    except Exception as problem:
        logger.exception("Reading the upload %r failed", filename)
        return Upload(
            kind=_kind_from_name(filename),
            cost_base=None,
            headcount=None,
            scenario=None,
            issues=(
                error(
                    "The file could not be read because of a problem in this "
                    f"program ({type(problem).__name__}). Check that it is the "
                    "canonical workbook (.xlsx) or a CSV of its Costs sheet; if it "
                    "is, please report the problem with the file attached."
                ),
            ),
        )


def apply_upload(current: Workspace | None, upload: Upload, source: str) -> Workspace:
    """New workspace: a workbook replaces everything; a CSV replaces only the cost
    base and keeps current headcount and scenario (so it needs a current one).

    Raises ValueError if upload.has_errors.
    """
    if upload.has_errors:
        found = errors(upload.issues)
        raise ValueError(
            f"The upload has {len(found)} error(s) and was not applied; the current "
            f"workspace is kept. First: {found[0]}"
        )
    if upload.cost_base is None:
        raise ValueError("The upload has no cost base to apply.")
    if upload.kind == "csv":
        if current is None:
            raise ValueError(
                "A CSV holds only cost lines; it needs a workspace to join."
            )
        return replace(current, cost_base=upload.cost_base, source=source)
    if upload.headcount is None or upload.scenario is None:
        raise ValueError("The workbook upload lacks its headcount or scenario.")
    return Workspace(
        cost_base=upload.cost_base,
        headcount=upload.headcount,
        scenario=upload.scenario,
        source=source,
    )


def _kind_from_name(filename: str) -> str:
    extension = posixpath.splitext(str(filename).lower())[1]
    return "workbook" if extension in (".xlsx", ".xlsm", ".xls", ".xlsb") else "csv"


def _failed(kind: str, issues: list[Issue]) -> Upload:
    return Upload(kind, None, None, None, tuple(issues))


def _read(data: bytes, filename: str) -> Upload:
    size = len(data)
    if size > MAX_UPLOAD_BYTES:
        return _failed(
            _kind_from_name(filename),
            [
                error(
                    f"The file is {size / (1024 * 1024):.1f} MB; the limit is "
                    f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Delete sheets you do "
                    "not need, or upload the Costs sheet as CSV."
                )
            ],
        )
    if size == 0:
        return _failed(
            _kind_from_name(filename),
            [error("The file is empty; upload the workbook (.xlsx) or a CSV.")],
        )
    if data.startswith(ZIP_SIGNATURES):
        return _read_workbook(data)
    if data.startswith(OLE_SIGNATURE):
        return _failed("workbook", [_ole_error(data)])
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return _failed(
                _kind_from_name(filename),
                [
                    error(
                        f"The file is {kind}, not a workbook or CSV; upload the "
                        "workbook as .xlsx or the Costs sheet as CSV."
                    )
                ],
            )
    return _read_csv(data, filename)


def _ole_error(data: bytes) -> Issue:
    if _ENCRYPTED_PACKAGE in data:
        return error(
            "The workbook is protected with a password, so it cannot be read. "
            "Remove the password in Excel (File > Info > Protect Workbook), save "
            "it as .xlsx and upload it again."
        )
    return error(
        "This is a legacy Excel file (.xls, Excel 97-2003), which cannot be read. "
        "Open it in Excel and save it as .xlsx or CSV, then upload that."
    )


def _read_workbook(data: bytes) -> Upload:
    try:
        sheets = read_workbook_sheets(data, SHEETS)
    except WorkbookError as problem:
        return _failed("workbook", [error(str(problem))])
    issues = list(sheets.issues)
    tables = sheets.tables
    names = ", ".join(f"'{name}'" for name in sheets.sheet_names) or "none"

    # One way of writing numbers for the whole workbook, from all its sheets.
    number_cells = [
        *(costs_sheet.number_cells(tables[COSTS]) if COSTS in tables else []),
        *(
            headcount_sheet.number_cells(tables[HEADCOUNT])
            if HEADCOUNT in tables
            else []
        ),
        *service_desk_number_cells(tables.get(SERVICE_DESK)),
        *assumption_number_cells(tables.get(ASSUMPTIONS)),
    ]
    conventions, found = decide_conventions(number_cells)
    issues.extend(found)

    cost_base = None
    costs = tables.get(COSTS)
    if costs is None:
        if not _sheet_failed(issues, COSTS, sheets.sheet_names):
            issues.append(
                error(
                    f"The workbook has no Costs sheet (its sheets are {names}). "
                    "Name the sheet with the cost lines Costs."
                )
            )
    else:
        cost_base, found = read_costs(costs, conventions=conventions)
        issues.extend(found)

    headcount = None
    headcount_table = tables.get(HEADCOUNT)
    if headcount_table is None:
        if not _sheet_failed(issues, HEADCOUNT, sheets.sheet_names):
            issues.append(
                error(
                    f"The workbook has no Headcount sheet (its sheets are {names}). "
                    "Add one with Quarter, Employees and Contingent columns; its "
                    "first row is the baseline quarter."
                )
            )
    else:
        headcount, found = read_headcount(headcount_table, conventions=conventions)
        issues.extend(found)

    scenario = None
    desk_table = tables.get(SERVICE_DESK)
    if desk_table is None and _sheet_failed(issues, SERVICE_DESK, sheets.sheet_names):
        desk = None
    else:
        desk, found = read_service_desk(desk_table, conventions=conventions)
        issues.extend(found)
    assumptions = tables.get(ASSUMPTIONS)
    if assumptions is None and _sheet_failed(issues, ASSUMPTIONS, sheets.sheet_names):
        pass
    elif desk is not None:
        scenario, found = read_scenario(assumptions, desk, conventions=conventions)
        issues.extend(found)
    return Upload("workbook", cost_base, headcount, scenario, _in_order(issues))


def _in_order(issues: list[Issue]) -> tuple[Issue, ...]:
    """Issues sheet by sheet, in the order the sheets were read, and by row."""
    sheets: dict[str | None, int] = {}
    for issue in issues:
        sheets.setdefault(issue.sheet, len(sheets))
    return tuple(
        sorted(issues, key=lambda issue: (sheets[issue.sheet], issue.row or 0))
    )


def _sheet_failed(issues: list[Issue], key: str, sheet_names: tuple[str, ...]) -> bool:
    """True when a sheet exists but could not be read (an error already says so)."""
    names = {name for name in sheet_names if text_key(name) == key}
    return any(
        issue.severity is Severity.ERROR and issue.sheet in names for issue in issues
    )


def _read_csv(data: bytes, filename: str) -> Upload:
    name = posixpath.basename(str(filename).replace("\\", "/")) or "CSV"
    try:
        table, issues = read_csv_table(data, name)
    except CsvError as problem:
        return _failed("csv", [error(str(problem), sheet=name)])
    conventions, found = decide_conventions(
        costs_sheet.number_cells(table), semicolon=table.delimiter == ";"
    )
    issues = [replace(issue, sheet=issue.sheet or name) for issue in [*issues, *found]]
    cost_base, found = read_costs(table, conventions=conventions)
    issues.extend(found)
    return Upload("csv", cost_base, None, None, _in_order(issues))
