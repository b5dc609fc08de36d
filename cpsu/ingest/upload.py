"""One upload, read whole: what it holds and every problem found in it.

`read_upload` takes the bytes of a file and never raises: whatever the
bytes are (the canonical workbook as .xlsx, .xlsb, .ods or legacy .xls, a
CSV of its Costs sheet, an HTML table a finance system named .xls, a
picture renamed .xlsx, nothing at all), the result is an `Upload` whose
issues say what was wrong, where, and what to do. The kind of file is told
by its first bytes, not its name, since names lie.

A workbook's sheets are found by name (Costs, Headcount, Service desk,
Assumptions). A workbook someone built by hand names them otherwise, so a
sheet missing by name is looked for by what it holds: the one visible sheet
whose headers look like cost lines is read as Costs, with a warning naming
it. Every sheet is listed in `Upload.sheets` so a page can offer a picker,
and `read_upload(..., sheet=NAME)` reads the picked sheet as Costs. An HTML
page's tables are its sheets, "Table 1" and on. `apply_upload` then
makes the new workspace from a clean upload: a workbook replaces all of
it, a CSV of costs only the cost base. A bad upload is never applied, so
the last good cost base stays.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from cpsu.costs import CostBase, CostLine
from cpsu.ingest import costs_sheet, headcount_sheet, lists
from cpsu.ingest.cells import text_key
from cpsu.ingest.choices import NO_CHOICES, ReadChoices
from cpsu.ingest.conventions import decide_conventions
from cpsu.ingest.costs_sheet import Costing, read_costs
from cpsu.ingest.csv_file import CsvError, decode_text, read_csv_table
from cpsu.ingest.gl import as_gl_table, find_gl_header
from cpsu.ingest.headcount_sheet import read_headcount
from cpsu.ingest.html_table import HtmlError, read_html_tables
from cpsu.ingest.issues import Issue, Severity, error, errors, warning
from cpsu.ingest.line_changes_sheet import read_line_changes
from cpsu.ingest.parameters import (
    assumption_number_cells,
    read_scenario,
    read_service_desk,
    service_desk_number_cells,
)
from cpsu.ingest.progress import part, report
from cpsu.ingest.roster import as_roster_table, find_roster, partial_roster
from cpsu.ingest.sniff import (
    MAX_UPLOAD_BYTES,
    binary_kind,
    is_markup,
    is_workbook,
    table_info,
)
from cpsu.ingest.table import Table, find_header, listing, without_restated_merges
from cpsu.ingest.vocabulary import (
    ROSTER_HEADER_INDEX,
    ROSTER_HEADERS,
    clean_header,
    is_amount_header,
)
from cpsu.ingest.xlsx import (
    COSTS_KIND,
    HEADCOUNT_KIND,
    SERVICE_DESK_KIND,
    UNKNOWN_KIND,
    SheetInfo,
    Workbook,
    WorkbookError,
    read_workbook,
    table_kind,
)
from cpsu.projection import project
from cpsu.scenario import Headcount, Scenario, Workspace

logger = logging.getLogger(__name__)

# The sheets a workbook is read from, by name key (see cells.text_key).
COSTS, HEADCOUNT, SERVICE_DESK, ASSUMPTIONS, LINE_CHANGES = (
    "costs",
    "headcount",
    "servicedesk",
    "assumptions",
    "linechanges",
)
SHEETS = {
    COSTS: "Costs",
    HEADCOUNT: "Headcount",
    SERVICE_DESK: "Service desk",
    ASSUMPTIONS: "Assumptions",
    LINE_CHANGES: "Line changes",
}
# The kind of table a sheet missing by name is looked for by.
_KINDS = {COSTS: COSTS_KIND, HEADCOUNT: HEADCOUNT_KIND, SERVICE_DESK: SERVICE_DESK_KIND}


@dataclass(frozen=True)
class Upload:
    """What one uploaded file holds, and every problem found in it.

    `cost_base` is None when the Costs sheet had errors; `headcount` and
    `scenario` are None for a CSV or when their sheets had errors. `sheets`
    lists a workbook's sheets (an HTML page's tables) for a sheet picker, and
    `cost_sheet` names the one read as cost lines (picked, named Costs or
    found by its content; a CSV's name), None when no sheet was.
    """

    kind: str  # "workbook" or "csv" (cost lines only: a CSV or an HTML table)
    cost_base: CostBase | None
    headcount: Headcount | None
    scenario: Scenario | None
    issues: tuple[Issue, ...]
    sheets: tuple[SheetInfo, ...] = ()
    cost_sheet: str | None = None

    @property
    def has_errors(self) -> bool:
        return bool(errors(self.issues))


def read_upload(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    choices: ReadChoices = NO_CHOICES,
) -> Upload:
    """Read an uploaded workbook or CSV of costs; never raises.

    `sheet` names the sheet to read as Costs (one of `Upload.sheets`), for a
    workbook whose cost lines are not on a sheet named Costs. `choices` says
    what the file cannot: the order of its text dates, the period of a cost
    list's amounts. Progress is reported as the workbook is read.
    """
    try:
        upload = _read(bytes(data), filename, sheet, choices)
        return replace(upload, issues=tuple(without_restated_merges(upload.issues)))
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
    workbooks = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
    return "workbook" if extension in workbooks else "csv"


def _failed(
    kind: str,
    issues: list[Issue],
    sheets: tuple[SheetInfo, ...] = (),
    cost_sheet: str | None = None,
) -> Upload:
    return Upload(kind, None, None, None, tuple(issues), sheets, cost_sheet)


def _read(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    choices: ReadChoices = NO_CHOICES,
) -> Upload:
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
    if is_workbook(data):
        return _read_workbook(data, sheet, choices)
    kind = binary_kind(data)
    if kind is not None:
        return _failed(
            _kind_from_name(filename),
            [
                error(
                    f"The file is {kind}, not a workbook or CSV; upload the "
                    "workbook as .xlsx or the Costs sheet as CSV."
                )
            ],
        )
    if is_markup(data):
        return _read_html(data, sheet, choices)
    return _read_csv(data, filename, sheet, choices)


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names) or "none"


def _hidden_costs(book: Workbook) -> str:
    """What to do about cost tables on hidden sheets, which are read only when
    named Costs or chosen; empty when there are none."""
    hidden = [
        info.name for info in book.sheets if info.hidden and info.kind == COSTS_KIND
    ]
    if not hidden:
        return ""
    one = len(hidden) == 1
    return (
        f"{_quoted(hidden)} {'holds a table' if one else 'hold tables'} like one "
        f"but {'is' if one else 'are'} hidden in Excel, and a hidden sheet is read "
        "only when it is named Costs or chosen as the sheet to read: unhide "
        f"{'it' if one else 'the one to read'} in Excel (right-click a sheet tab, "
        "then Unhide) and upload the file again."
    )


def _no_such_sheet(sheet: str, names: Sequence[str]) -> Issue:
    return error(
        f"There is no sheet named '{sheet}'; the sheets are {_quoted(names)}. "
        "Choose one of those."
    )


def _find_sheet(sheet: str, names: Sequence[str]) -> str | None:
    """The sheet named `sheet`: exactly, or else ignoring case and spaces."""
    if sheet in names:
        return sheet
    found = [name for name in names if text_key(name) == text_key(sheet)]
    return found[0] if len(found) == 1 else None


def _choose_sheets(
    book: Workbook, sheet: str | None, issues: list[Issue]
) -> dict[str, str]:
    """The sheet to read for each key: by name, by the user's pick, by content."""
    chosen: dict[str, str] = {}
    if sheet is not None:
        picked = _find_sheet(sheet, book.sheet_names)
        assert picked is not None  # checked by the caller
        chosen[COSTS] = picked
    hidden = {info.name for info in book.sheets if info.hidden}
    for key, shown in SHEETS.items():
        matches = [
            name
            for name in book.sheet_names
            if text_key(name) == key and name not in chosen.values()
        ]
        if key in chosen or not matches:
            continue
        matches.sort(key=lambda name: name in hidden)
        chosen[key] = matches[0]
        if len(matches) > 1:
            issues.append(
                warning(
                    f"Several sheets are named like {shown}; '{matches[0]}' was "
                    f"read and {_quoted(matches[1:])} ignored. Rename or delete the "
                    "extra sheets.",
                    sheet=matches[0],
                )
            )
        if matches[0] in hidden:
            issues.append(
                warning(
                    f"The {shown} sheet is hidden in Excel; it was read anyway. "
                    "Unhide it to check what it holds.",
                    sheet=matches[0],
                )
            )
    for key, kind in _KINDS.items():
        if key in chosen:
            continue
        taken = set(chosen.values())
        candidates = [
            info.name
            for info in book.sheets
            if info.kind == kind and not info.hidden and info.name not in taken
        ]
        if not candidates:
            continue
        if key == COSTS:
            # A GL export or a roster has an item and an amount too; a list of
            # cost lines beside it is the one meant.
            candidates.sort(
                key=lambda name: (
                    name in book.tables
                    and _not_cost_lines(book.tables[name]) is not None
                )
            )
        chosen[key] = candidates[0]
        shown = SHEETS[key]
        verb = "looks" if len(candidates) == 2 else "look"
        others = (
            f"; {_quoted(candidates[1:])} {verb} like {shown} too: choose the sheet "
            "to read if it is another"
            if len(candidates) > 1
            else ""
        )
        issues.append(
            warning(
                f"No sheet is named {shown}, so '{candidates[0]}', which holds a "
                f"table like one, was read as {shown}{others}. Rename the sheet "
                f"{shown} to make this plain.",
                sheet=candidates[0],
            )
        )
    return chosen


def _read_workbook(
    data: bytes, sheet: str | None = None, choices: ReadChoices = NO_CHOICES
) -> Upload:
    try:
        with part(0.0, 0.9):
            book = read_workbook(data)
    except WorkbookError as problem:
        return _failed("workbook", [error(str(problem))])
    book = replace(
        book,
        sheets=tuple(
            _with_joined_header_kind(info, book.tables.get(info.name))
            for info in book.sheets
        ),
    )
    if sheet is not None and _find_sheet(sheet, book.sheet_names) is None:
        return _failed(
            "workbook", [_no_such_sheet(sheet, book.sheet_names)], book.sheets
        )
    issues = list(book.issues)
    chosen = _choose_sheets(book, sheet, issues)
    for name in chosen.values():
        issues.extend(book.sheet_issues.get(name, ()))
    for name, found in book.sheet_issues.items():
        if name not in chosen.values() and errors(found):
            issues.append(
                warning(
                    f"The {name} sheet could not be read and was left out: "
                    f"{errors(found)[0].message}",
                    sheet=name,
                )
            )
    tables = {
        key: book.tables[name] for key, name in chosen.items() if name in book.tables
    }
    unread = _nothing_read(book) if not chosen else []
    if unread:
        # Nothing looks like cost lines or the template: say what each sheet
        # lacks, not which template sheets are missing.
        return _failed("workbook", [*book.issues, *unread], book.sheets)
    names = ", ".join(
        f"'{info.name}'" + (" (hidden)" if info.hidden else "") for info in book.sheets
    )
    # A GL export or roster is told by its header alone, before any cell of
    # its (often many) rows is looked at.
    other = None if COSTS not in tables else _not_cost_lines(tables[COSTS])
    cost_sheet = chosen.get(COSTS)
    if other is not None:
        return _failed("workbook", [*issues, other], book.sheets, cost_sheet)

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
    if costs is None and not _sheet_failed(issues, COSTS, chosen):
        issues.append(
            error(
                f"The workbook has no Costs sheet (its sheets are {names}). "
                f"{_hidden_costs(book) or 'Name the sheet with the cost lines Costs.'}"
            )
        )

    if costs is not None and not chosen.keys() & {HEADCOUNT, SERVICE_DESK, ASSUMPTIONS}:
        report(0.9, f"Reading the cost lines on {costs.name}")
        cost_base, found = read_costs(costs, conventions=conventions, choices=choices)
        issues.extend(found)
        # A budget workbook of the user's own: cost lines and nothing else, so
        # it joins the headcount and scenario in use, as a CSV of costs does.
        rosters = [
            name
            for name, table in book.tables.items()
            if name != costs.name and find_roster(as_roster_table(table)[0])
        ]
        roster_said = (
            f" The sheet{'s' if len(rosters) > 1 else ''} {listing(rosters)} "
            f"{'look' if len(rosters) > 1 else 'looks'} like an HR roster and "
            "was not read: to use its headcount, upload it on its own as the "
            "roster (saved as a workbook or CSV of that sheet alone)."
            if rosters
            else ""
        )
        issues.append(
            warning(
                "The workbook holds cost lines only (no Headcount, Service desk or "
                "Assumptions sheet): they replace the cost lines in use, and the "
                "headcount and scenario in use stay." + roster_said
            )
        )
        return Upload(
            "csv", cost_base, None, None, _in_order(issues), book.sheets, cost_sheet
        )

    # The other sheets are read first, so that the cost lines can be costed at
    # the baseline when telling a row that totals them; their issues still
    # come after the cost lines'.
    later: list[Issue] = []
    headcount = None
    headcount_table = tables.get(HEADCOUNT)
    if headcount_table is None:
        if not _sheet_failed(issues, HEADCOUNT, chosen):
            later.append(
                error(
                    f"The workbook has no Headcount sheet (its sheets are {names}). "
                    "Add one with Quarter, Employees and Contingent columns; its "
                    "first row is the baseline quarter."
                )
            )
    else:
        headcount, found = read_headcount(headcount_table, conventions=conventions)
        later.extend(found)

    scenario = None
    desk_table = tables.get(SERVICE_DESK)
    if desk_table is None and _sheet_failed([*issues, *later], SERVICE_DESK, chosen):
        desk = None
    else:
        desk, found = read_service_desk(desk_table, conventions=conventions)
        later.extend(found)
    assumptions = tables.get(ASSUMPTIONS)
    if assumptions is None and _sheet_failed([*issues, *later], ASSUMPTIONS, chosen):
        pass
    elif desk is not None:
        scenario, found = read_scenario(assumptions, desk, conventions=conventions)
        later.extend(found)
    if scenario is not None:
        # A scenario workbook's line changes are part of its scenario.
        changes, found = read_line_changes(
            tables.get(LINE_CHANGES), conventions=conventions
        )
        later.extend(found)
        scenario = None if changes is None else replace(scenario, changes=changes)

    if costs is not None:
        report(0.9, f"Reading the cost lines on {costs.name}")
        costing = None
        if headcount is not None and scenario is not None:
            costing = _baseline_costing(headcount, scenario)
        cost_base, found = read_costs(
            costs, conventions=conventions, choices=choices, costing=costing
        )
        issues.extend(found)
    issues.extend(later)
    return Upload(
        "workbook",
        cost_base,
        headcount,
        scenario,
        _in_order(issues),
        book.sheets,
        cost_sheet,
    )


def _baseline_costing(headcount: Headcount, scenario: Scenario) -> Costing:
    """Each line's monthly cost at the workbook's own baseline quarter, or None
    when its scenario cannot be projected (the workspace check says why)."""

    # The lines as the Costs sheet has them: line changes add versions of their own.
    as_written = replace(scenario, changes=())

    def monthly(lines: Sequence[CostLine]) -> list[float] | None:
        try:
            costed = project(CostBase(lines=tuple(lines)), headcount, as_written)
        except ValueError:  # a ProjectionError among others
            return None
        return [float(cost) for cost in costed.baseline_lines()["monthly"]]

    return monthly


def _in_order(issues: list[Issue]) -> tuple[Issue, ...]:
    """Issues sheet by sheet, in the order the sheets were read, and by row."""
    sheets: dict[str | None, int] = {}
    for issue in issues:
        sheets.setdefault(issue.sheet, len(sheets))
    return tuple(
        sorted(issues, key=lambda issue: (sheets[issue.sheet], issue.row or 0))
    )


def _sheet_failed(issues: list[Issue], key: str, chosen: Mapping[str, str]) -> bool:
    """True when a sheet exists but could not be read (an error already says so)."""
    name = chosen.get(key)
    return name is not None and any(
        issue.severity is Severity.ERROR and issue.sheet == name for issue in issues
    )


def _read_csv(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    choices: ReadChoices = NO_CHOICES,
) -> Upload:
    name = posixpath.basename(str(filename).replace("\\", "/")) or "CSV"
    try:
        table, issues = read_csv_table(data, name)
    except CsvError as problem:
        return _failed("csv", [error(str(problem), sheet=name)])
    info = table_info(table)
    if sheet is not None and _find_sheet(sheet, [name]) is None:
        return _failed("csv", [_no_such_sheet(sheet, [name])], (info,))
    return _read_cost_table(table, issues, (info,), choices)


def _nothing_read(book: Workbook) -> list[Issue]:
    """Why no sheet of a workbook could be read: each sheet's own error, or
    what the table on it lacks; empty when no sheet holds a table."""
    found: list[Issue] = []
    for info in book.sheets:
        if info.hidden:
            continue  # a hidden sheet is only read by name or when picked
        refused = errors(book.sheet_issues.get(info.name, ()))
        table = book.tables.get(info.name)
        if refused:
            found.extend(refused[:1])
        elif table is not None and info.has_table:
            found.append(_not_cost_lines(table) or _unknown_table(table))
    return found


def _unknown_table(table: Table) -> Issue:
    return error(
        f"{table.name} holds a table, but not one this program reads: in its first "
        "rows no header names an item (like Item, Description or Software) beside "
        "an amount (like Annual cost or Monthly cost), months (Jan, Feb, ...), or "
        "the template's Pool and Behaviour. Put the header row above the rows, one "
        "line a row, and name its columns so.",
        sheet=table.name,
    )


def _not_cost_lines(table: Table) -> Issue | None:
    """An error for a GL export or an HR roster offered as cost lines, where each
    posting or person would become a line of its own; None for any other table."""
    header = find_gl_header(as_gl_table(table)[0])
    if header is not None:
        return error(
            f"{table.name} is a GL export (row {header.row_number} has a date or "
            "period, an account and an amount), not a list of cost lines: read as "
            "one, each posting would be a cost line. Its postings go to the mapping "
            "step, where rules map them to cost pools (cpsu check FILE --mapping "
            "RULES.json on the command line).",
            sheet=table.name,
            row=header.row_number,
        )
    header = find_roster(as_roster_table(table)[0])
    if header is not None:
        return error(
            f"{table.name} is an HR roster (row {header.row_number} has a name or "
            "ID, a worker type and a start date), not a list of cost lines: read as "
            "one, each person would be a cost line. Its people become the baseline "
            "headcount, counted on the last day of the baseline quarter.",
            sheet=table.name,
            row=header.row_number,
        )
    return (
        _roster_of_events(table)
        or _roster_without_type(table)
        or _roster_without_start(table)
    )


def _roster_without_start(table: Table) -> Issue | None:
    """An error for a roster with no start date column (people and their worker
    type, perhaps an end date), which is not cost lines either: without it the
    cost reader would say no item or amount was found, which misleads."""
    if lists.find_list(table) is not None:
        return None
    partial = partial_roster(table)
    if partial is None or "start" not in partial[1]:
        return None
    header = partial[0]
    has = listing(
        [
            header.label(name)
            for name in ("person_id", "name", "worker_type", "end")
            if name in header.columns
        ]
    )
    return error(
        f"{table.name} looks like an HR roster (row {header.row_number} has {has}) "
        "but has no Start date column, so its people cannot be placed in a "
        "quarter. Add a Start date column, or rename the column that holds the "
        "day each person started to Start date.",
        sheet=table.name,
        row=header.row_number,
    )


_HEADER_SEARCH_ROWS = 20  # an export's header is among its first rows
_EVENT_HEADER = re.compile(
    r"^(?:hr\s+)?(?:action|event|transaction|change)(?:\s+(?:type|reason))?$"
    r"|^effective(?:\s+date)?$",
    re.IGNORECASE,
)


def _roster_of_events(table: Table) -> Issue | None:
    """An error for an export of HR events (a header naming a person, an action
    and its effective date; a row for each hire, leaving or rehire), which
    is neither cost lines nor a roster of one row per person."""
    for row_number, cells in table.rows[:_HEADER_SEARCH_ROWS]:
        names = [clean_header(cell) for cell in cells]
        found = {
            "effective" if name.casefold().startswith("effective") else "action"
            for name in names
            if _EVENT_HEADER.match(name)
        }
        person = [
            name
            for name in names
            if ROSTER_HEADER_INDEX.get(text_key(name)) in ("person_id", "name")
        ]
        if found != {"action", "effective"} or not person:
            continue
        return error(
            f"{table.name} looks like a list of HR events (row {row_number} names "
            f"{listing([repr(name) for name in person])}, an action and its "
            "effective date), with a row for each hire, leaving or rehire. The "
            "roster needs one row per person: a Start date and, for those who "
            "left, an End date. Export the headcount report rather than the event "
            "history, or turn each person's hire and leaving dates into Start date "
            "and End date columns.",
            sheet=table.name,
            row=row_number,
        )
    return None


def _roster_without_type(table: Table) -> Issue | None:
    """An error for a roster with no worker type column (people and their
    start dates, no amount), which is not cost lines either."""
    if lists.find_list(table) is not None:
        return None
    header = find_header(
        table, ROSTER_HEADER_INDEX, ROSTER_HEADERS, ("start",), warn_unknown=False
    )
    if isinstance(header, list) or not header.columns.keys() & {"person_id", "name"}:
        return None
    if "worker_type" in header.columns:
        return None  # it has one: what it lacks is said by _roster_without_start
    cells = table.rows[header.position][1]
    if any(is_amount_header(clean_header(cell)) for cell in cells):
        return None  # cost lines with a start date
    return error(
        f"{table.name} looks like an HR roster (row {header.row_number} has a name "
        "or ID and a start date) but has no worker type column, so its people "
        "cannot be counted as employees or contingent workers. Add a Worker type "
        "column with Employee or Contingent for each person.",
        sheet=table.name,
        row=header.row_number,
    )


def _read_cost_table(
    table: Table,
    issues: list[Issue],
    sheets: tuple[SheetInfo, ...],
    choices: ReadChoices = NO_CHOICES,
) -> Upload:
    """A single table of cost lines (a CSV, an HTML table) as an upload."""
    other = _not_cost_lines(table)
    if other is not None:
        return _failed("csv", [*issues, other], sheets, table.name)
    conventions, found = decide_conventions(
        costs_sheet.number_cells(table), semicolon=table.delimiter == ";"
    )
    issues = [
        replace(issue, sheet=issue.sheet or table.name) for issue in [*issues, *found]
    ]
    cost_base, found = read_costs(table, conventions=conventions, choices=choices)
    issues.extend(found)
    return Upload("csv", cost_base, None, None, _in_order(issues), sheets, table.name)


def _with_joined_header_kind(info: SheetInfo, table: Table | None) -> SheetInfo:
    """A sheet's kind, read again when its cost lines' header is over two rows."""
    if table is None or info.kind != UNKNOWN_KIND:
        return info
    joined, found = costs_sheet.as_cost_table(table)
    if found is None:
        return info
    return replace(info, kind=table_kind(joined), has_table=True)


def _read_html(
    data: bytes, sheet: str | None = None, choices: ReadChoices = NO_CHOICES
) -> Upload:
    """An HTML page's cost lines: the picked table, else the first like them."""
    try:
        text, issues = decode_text(data)
        tables, spans = read_html_tables(text)
    except (CsvError, HtmlError) as problem:
        return _failed("csv", [error(str(problem))])
    infos = tuple(
        _with_joined_header_kind(table_info(table), table) for table in tables
    )
    names = [table.name for table in tables]
    if sheet is not None:
        picked = _find_sheet(sheet, names)
        if picked is None:
            return _failed("csv", [_no_such_sheet(sheet, names)], infos)
        table = tables[names.index(picked)]
    else:
        costs = [
            table
            for table, info in zip(tables, infos, strict=True)
            if info.kind == COSTS_KIND
        ]
        table = costs[0] if costs else tables[0]
        if len(tables) > 1:
            issues.append(
                warning(
                    f"The page holds {len(tables)} tables; {table.name} was read as "
                    "the cost lines. Choose another table if it is not the one.",
                    sheet=table.name,
                )
            )
    issues.extend(spans.get(table.name, ()))
    return _read_cost_table(table, issues, infos, choices)
