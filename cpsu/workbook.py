"""Workbooks the program writes: the template, the inputs, and a scenario.

The canonical workbook holds the inputs of a CPSU case on four sheets that a
person can read and edit in Excel: Costs (a row per cost line), Headcount (the
baseline quarter and an optional plan), Service desk and Assumptions (each a
Parameter and its Value). The template is those sheets empty, with an
Instructions sheet in front.

A scenario workbook is those sheets filled in, every input value blue and
named (GrowthPerQuarter, TicketsPerUser, ...), with a Line changes sheet
when the scenario changes lines, so that uploading it back restores the
scenario from its inputs alone. The model itself follows as formulas over
those inputs: a Line costs sheet costs each version of each line in each
quarter, the Projection sheet works out headcount, tickets, agents, cost by
pool and CPSU a column per quarter, and Summary, Scenarios, Checks and
Sources show the headline figures, other scenarios, the formulas against
the app's own numbers, and the reference figures. Excel recalculates it all
on opening, so finance can change an assumption and see every number move.

Every writer returns the file as bytes, ready for a download, and stamps it
with a date taken from the data, so the same inputs always give the same
bytes. Text from a user's file is always written as text: an item called
"=HYPERLINK(...)" stays a string in every cell and never runs as a formula.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

import openpyxl
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from cpsu.costs import (
    POOLS,
    REQUIRED_FIELDS,
    Behaviour,
    CostBase,
    CostLine,
    Period,
    Tier,
)
from cpsu.projection import POOL_COLUMNS, TIER_KEYS, Projection
from cpsu.scenario import Headcount, LineChange, Scenario, Workspace, quarter_start
from cpsu.workload import ServiceDesk

COSTS_SHEET = "Costs"
HEADCOUNT_SHEET = "Headcount"
SERVICE_DESK_SHEET = "Service desk"
ASSUMPTIONS_SHEET = "Assumptions"
PROJECTION_SHEET = "Projection"
LINE_CHANGES_SHEET = "Line changes"
LINE_COSTS_SHEET = "Line costs"
SUMMARY_SHEET = "Summary"
SCENARIOS_SHEET = "Scenarios"
CHECKS_SHEET = "Checks"
SOURCES_SHEET = "Sources"
INSTRUCTIONS_SHEET = "Instructions"

MONEY = "$#,##0.00"
MONEY_TOTAL = "$#,##0"
RATE = "0.0%"
COUNT = "#,##0"
DECIMAL = "0.00"
DATE = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, the field it holds, its number format."""

    header: str
    field: str
    number_format: str | None = None


COST_COLUMNS: tuple[Column, ...] = (
    Column("Item", "item"),
    Column("Pool", "pool"),
    Column("Behaviour", "behaviour"),
    Column("Amount", "amount", MONEY),
    Column("Period", "period"),
    Column("Unit cost", "unit_cost", MONEY),
    Column("Users per unit", "users_per_unit", COUNT),
    Column("Tier", "tier"),
    Column("Tickets per agent", "tickets_per_agent", COUNT),
    Column("Min units", "min_units", COUNT),
    Column("Life months", "life_months", COUNT),
    Column("In service", "in_service", DATE),
    Column("Renew", "renew"),
    Column("Escalation", "escalation", RATE),
    Column("Vendor", "vendor"),
    Column("Notes", "notes"),
)

HEADCOUNT_COLUMNS: tuple[Column, ...] = (
    Column("Quarter", "quarter"),
    Column("Employees", "employees", COUNT),
    Column("Contingent", "contingent", COUNT),
)

# The Service desk sheet, a row per ServiceDesk field.
SERVICE_DESK_ROWS: tuple[Column, ...] = (
    Column("Tickets per user per month", "tickets_per_user_month", DECIMAL),
    Column("Resolution rate", "resolution_rate", RATE),
    Column("Desk-side share", "deskside_share", RATE),
    Column("Deflection", "deflection", RATE),
    Column("Deflection step per quarter", "deflection_step", RATE),
    Column("Deflection cap", "deflection_cap", RATE),
    Column("Contingent weight", "contingent_weight", DECIMAL),
    Column("Tickets trend per year", "tickets_trend", RATE),
)

# The Assumptions sheet, a row per Scenario field (the service desk aside).
ASSUMPTION_ROWS: tuple[Column, ...] = (
    Column("Scenario name", "name"),
    Column("Horizon quarters", "horizon_quarters", COUNT),
    Column("Growth per quarter", "growth_per_quarter", RATE),
    Column("Contingent share", "contingent_share", RATE),
    Column("Labour escalation", "labour_escalation", RATE),
    Column("Licence escalation", "licence_escalation", RATE),
    Column("Agent productivity", "productivity", RATE),
)

# The defined name of each input value, by field: formulas read the inputs by
# these names, and finance sees what each cell is.
INPUT_NAMES: dict[str, str] = {
    "name": "ScenarioName",
    "horizon_quarters": "HorizonQuarters",
    "growth_per_quarter": "GrowthPerQuarter",
    "contingent_share": "ContingentShare",
    "labour_escalation": "LabourEscalation",
    "licence_escalation": "LicenceEscalation",
    "productivity": "AgentProductivity",
    "tickets_per_user_month": "TicketsPerUser",
    "resolution_rate": "ResolutionRate",
    "deskside_share": "DesksideShare",
    "deflection": "DeflectionStart",
    "deflection_step": "DeflectionStep",
    "deflection_cap": "DeflectionCap",
    "contingent_weight": "ContingentWeight",
    "tickets_trend": "TicketsTrend",
}

# The Line changes sheet: the change's item and quarter, whether it drops the
# line, then the new line in the Costs sheet's columns.
CHANGE_COLUMNS: tuple[Column, ...] = (
    Column("Changed item", "changed_item"),
    Column("From quarter", "from_quarter", COUNT),
    Column("Change", "change"),
)
DROP = "Drop"
NEW_LINE = "New line"


def _projection_rows() -> tuple[Column, ...]:
    tiers = [(tier.value, key) for tier, key in TIER_KEYS.items()]
    return (
        Column("Quarter index", "t", COUNT),
        Column("First day", "first_day", DATE),
        Column("Escalation years", "escalation_years", COUNT),
        Column("Headcount from quarter", "headcount_from", COUNT),
        Column("Headcount grown", "headcount_grown", COUNT),
        Column("Employees", "employees", COUNT),
        Column("Contingent", "contingent", COUNT),
        Column("Supported users", "supported_users", COUNT),
        Column("Tickets per user", "tickets_per_user", DECIMAL),
        Column("Deflection", "deflection", RATE),
        Column("Tickets", "tickets", COUNT),
        *(Column(f"Load ({name})", f"load_{key}", COUNT) for name, key in tiers),
        *(Column(f"Agents ({name})", f"agents_{key}", COUNT) for name, key in tiers),
        *(
            Column(f"Capacity ({name})", f"capacity_{key}", COUNT)
            for name, key in tiers
        ),
        *(
            Column(f"Utilisation ({name})", f"utilisation_{key}", RATE)
            for name, key in tiers
        ),
        *(Column(pool, column, MONEY_TOTAL) for pool, column in POOL_COLUMNS.items()),
        Column("Monthly run-rate", "monthly_opex", MONEY_TOTAL),
        Column("CPSU", "cpsu", MONEY),
        Column("Change on last quarter", "cpsu_change", RATE),
        Column("Marginal cost per added user", "marginal_cost_per_user", MONEY),
        Column("Quarterly spend", "quarterly_spend", MONEY_TOTAL),
        Column("Spend above baseline", "extra_spend", MONEY_TOTAL),
        Column("Cumulative funding ask", "cumulative_ask", MONEY_TOTAL),
    )


# The Projection sheet, a row per measure: the drivers first (the quarter, its
# first day, whole years of escalation, the quarter headcount grows from),
# then the projection table's columns and a few steps between them.
PROJECTION_ROWS: tuple[Column, ...] = _projection_rows()
# The row of each measure on the Projection sheet, by field.
PROJECTION_ROW: dict[str, int] = {
    measure.field: row for row, measure in enumerate(PROJECTION_ROWS, start=2)
}

_HEADER_FONT = Font(bold=True)
# Finance's convention: what a person types in is blue, what is computed black.
INPUT_FONT = Font(color="0000FF")
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="8096B4"))
_TITLE_FONT = Font(bold=True, size=14)
_MIN_WIDTH = 8
_MAX_WIDTH = 60
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_UNSAFE_TITLE = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot hold at all; a worksheet with one cannot be read.
_NOT_XML = re.compile(
    "[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]",
)
# OOXML reads _x0041_ in a string as the character U+0041; a literal one is
# written with its underscore escaped as _x005F_.
_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_TEMPLATE_STAMP = datetime(2026, 1, 1)
_CREATOR = "CPSU budget-case builder"


def safe_sheet_title(title: str) -> str:
    """A title Excel accepts: no []:*?/\\, no edge apostrophes, at most 31 long."""
    cleaned = " ".join(_UNSAFE_TITLE.sub(" ", clean_text(title)).split())
    cleaned = cleaned.strip("'").strip()
    return cleaned[:31].rstrip() or "Sheet"


def clean_text(text: str) -> str:
    """Text as a cell can hold it: no characters XML forbids, line ends as \\n.

    XML turns a carriage return into a line feed when the file is read, so
    doing it here keeps what is written equal to what is read back.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", text)


def _put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None):
    """Write one value; text is always text, and NaN or infinity leave it empty.

    openpyxl marks a string starting with "=" as a formula; the data type is
    set back to a string afterwards, and text that a spreadsheet would read as
    a formula when retyped also gets Excel's quote prefix. Text that looks
    like an OOXML character escape is escaped, so Excel shows it as typed.
    """
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = _OOXML_ESCAPE.sub("_x005F_", text)
        cell.data_type = "s"
        if text.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True
        return cell
    if isinstance(value, bool):
        cell.value = "Yes" if value else "No"
        return cell

    # Empty cells get the format too, so a value typed in later shows alike.
    if number_format:
        cell.number_format = number_format
    if value is None:
        return cell
    if isinstance(value, datetime | date):
        cell.value = value
        cell.number_format = number_format or DATE
        return cell
    number = float(value)
    if math.isfinite(number):
        cell.value = int(number) if isinstance(value, int) else number
    return cell


def _display_width(value: Any, number_format: str | None) -> int:
    """Roughly how many characters a value shows with its number format."""
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.split("\n")), default=0)
    if isinstance(value, datetime | date):
        return 10
    if number_format and "%" in number_format:
        return len(f"{value * 100:,.1f}%")
    if number_format in (MONEY, MONEY_TOTAL):
        decimals = 2 if number_format == MONEY else 0
        return len(f"${value:,.{decimals}f}")
    if number_format in (COUNT,):
        return len(f"{value:,.0f}")
    return len(f"{value:,.2f}")


# Text columns people type into: wide enough in an empty template too.
_MIN_WIDTHS_BY_HEADER = {
    "Item": 34,
    "Pool": 22,
    "Behaviour": 13,
    "Vendor": 18,
    "Notes": 36,
}


def _fit_columns(ws: Worksheet) -> None:
    """Set each column's width to its widest cell, within sensible bounds."""
    widths: dict[int, int] = {
        cell.column: _MIN_WIDTHS_BY_HEADER[cell.value] - 2
        for cell in next(ws.iter_rows(max_row=1), ())
        if isinstance(cell.value, str) and cell.value in _MIN_WIDTHS_BY_HEADER
    }
    for row in ws.iter_rows():
        for cell in row:
            width = _display_width(cell.value, cell.number_format)
            widths[cell.column] = max(widths.get(cell.column, 0), width)
    for column, width in widths.items():
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)


def _write_header(ws: Worksheet, headers: Sequence[str]) -> None:
    """A bold, shaded header row that stays in view."""
    for column, header in enumerate(headers, start=1):
        cell = _put(ws, 1, column, header, None)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
    ws.freeze_panes = "A2"


def _new_sheet(wb: openpyxl.Workbook, title: str) -> Worksheet:
    """A new sheet at the end, replacing one of the same title."""
    title = safe_sheet_title(title)
    if title in wb.sheetnames:
        del wb[title]
    return wb.create_sheet(title)


def _drop_default_sheet(wb: openpyxl.Workbook) -> None:
    """Remove the empty sheet a new openpyxl workbook starts with."""
    if len(wb.worksheets) > 1:
        first = wb.worksheets[0]
        if first.title == "Sheet" and first.max_row == 1 and first["A1"].value is None:
            wb.remove(first)
            wb.active = 0


def _cost_value(line: CostLine, name: str) -> Any:
    value = getattr(line, name)
    if isinstance(value, Behaviour | Period | Tier):
        return value.value
    return value


def _validate_list(
    ws: Worksheet,
    header: str,
    options: Iterable[str],
    before: Sequence[Column] = (),
) -> None:
    """A drop-down of the allowed words under a header; other words only warn.

    `before` are the sheet's columns ahead of the Costs sheet's ones.
    """
    headers = [column.header for column in (*before, *COST_COLUMNS)]
    letter = get_column_letter(headers.index(header) + 1)
    choices = ",".join(options)
    validation = DataValidation(
        type="list",
        formula1=f'"{choices}"',
        allow_blank=True,
        errorStyle="warning",
        errorTitle=f"Unknown {header.lower()}",
        error=f"{header} is usually one of: {choices.replace(',', ', ')}.",
    )
    validation.add(f"{letter}2:{letter}1048576")
    ws.add_data_validation(validation)


def _as_input(cell: Cell, styles: dict[tuple[int, ...], StyleArray]) -> None:
    """Make a cell an input (blue), as ``cell.font = INPUT_FONT`` does.

    openpyxl works out a font's hash for each cell it is set on, which took
    most of the Costs sheet's time for 5,000 lines; a cell styled as one
    before it takes that one's style instead. `styles` holds them by the
    style the cell had, for one workbook.
    """
    before = tuple(cell._style) if cell._style is not None else ()
    style = styles.get(before)
    if style is None:
        cell.font = INPUT_FONT
        styles[before] = copy(cell._style)
    else:
        cell._style = copy(style)


def _write_cost_line(
    ws: Worksheet,
    row: int,
    first_column: int,
    line: CostLine | None,
    styles: dict[tuple[int, ...], StyleArray],
) -> None:
    """One cost line in the Costs sheet's columns, as inputs (blue); `styles`
    are the sheet's input styles (see `_as_input`)."""
    for index, column in enumerate(COST_COLUMNS, start=first_column):
        value = None if line is None else _cost_value(line, column.field)
        _as_input(_put(ws, row, index, value, column.number_format), styles)


def _write_costs(wb: openpyxl.Workbook, cost_base: CostBase) -> None:
    ws = _new_sheet(wb, COSTS_SHEET)
    _write_header(ws, [column.header for column in COST_COLUMNS])
    styles: dict[tuple[int, ...], StyleArray] = {}
    for row, line in enumerate(cost_base.lines, start=2):
        _write_cost_line(ws, row, 1, line, styles)
    _validate_list(ws, "Pool", POOLS)
    _validate_list(ws, "Behaviour", [b.value for b in Behaviour])
    _validate_list(ws, "Period", [p.value for p in Period])
    _validate_list(ws, "Tier", [t.value for t in Tier])
    _validate_list(ws, "Renew", ["Yes", "No"])
    _fit_columns(ws)


def _write_line_changes(wb: openpyxl.Workbook, changes: Sequence[LineChange]) -> None:
    """A row per change: the item it changes, from which quarter, and the new
    line (or Drop, with the line's columns empty)."""
    ws = _new_sheet(wb, LINE_CHANGES_SHEET)
    _write_header(ws, [column.header for column in (*CHANGE_COLUMNS, *COST_COLUMNS)])
    first_cost_column = len(CHANGE_COLUMNS) + 1
    styles: dict[tuple[int, ...], StyleArray] = {}
    for row, change in enumerate(changes, start=2):
        values = (
            change.item,
            change.from_quarter,
            DROP if change.line is None else NEW_LINE,
        )
        for index, (column, value) in enumerate(
            zip(CHANGE_COLUMNS, values, strict=True), start=1
        ):
            _put(ws, row, index, value, column.number_format).font = INPUT_FONT
        _write_cost_line(ws, row, first_cost_column, change.line, styles)
    _validate_list(ws, "Change", [NEW_LINE, DROP], CHANGE_COLUMNS)
    _validate_list(ws, "Pool", POOLS, CHANGE_COLUMNS)
    _validate_list(ws, "Behaviour", [b.value for b in Behaviour], CHANGE_COLUMNS)
    _fit_columns(ws)


def _write_headcount(wb: openpyxl.Workbook, headcount: Headcount | None) -> None:
    ws = _new_sheet(wb, HEADCOUNT_SHEET)
    _write_header(ws, [column.header for column in HEADCOUNT_COLUMNS])
    rows = headcount.rows if headcount is not None else ()
    for row, headcount_row in enumerate(rows, start=2):
        for index, column in enumerate(HEADCOUNT_COLUMNS, start=1):
            value = getattr(headcount_row, column.field)
            _put(ws, row, index, value, column.number_format).font = INPUT_FONT
    _fit_columns(ws)


def _name_cell(wb: openpyxl.Workbook, name: str, ws: Worksheet, cell: str) -> None:
    """Give one input cell a workbook-wide defined name."""
    reference = f"{quote_sheetname(ws.title)}!{absolute_coordinate(cell)}"
    wb.defined_names[name] = DefinedName(name, attr_text=reference)


def _write_parameters(
    wb: openpyxl.Workbook,
    title: str,
    rows: Sequence[Column],
    values: Mapping[str, Any],
) -> None:
    """A Parameter / Value sheet, one row per field; each value is a named input."""
    ws = _new_sheet(wb, title)
    _write_header(ws, ["Parameter", "Value"])
    for row, parameter in enumerate(rows, start=2):
        _put(ws, row, 1, parameter.header, None)
        cell = _put(ws, row, 2, values[parameter.field], parameter.number_format)
        cell.font = INPUT_FONT
        _name_cell(wb, INPUT_NAMES[parameter.field], ws, cell.coordinate)
    _fit_columns(ws)


def assumption_values(scenario: Scenario) -> dict[str, Any]:
    """The Assumptions sheet's values by field: the scenario's own and its levers."""
    levers = scenario.levers
    return {
        "name": scenario.name,
        "horizon_quarters": scenario.horizon_quarters,
        "growth_per_quarter": scenario.growth_per_quarter,
        "contingent_share": scenario.contingent_share,
        "labour_escalation": levers.labour_escalation,
        "licence_escalation": levers.licence_escalation,
        "productivity": levers.productivity,
    }


def _write_inputs(
    wb: openpyxl.Workbook,
    cost_base: CostBase,
    headcount: Headcount | None,
    scenario: Scenario,
) -> None:
    _write_costs(wb, cost_base)
    _write_headcount(wb, headcount)
    desk = scenario.service_desk
    _write_parameters(
        wb,
        SERVICE_DESK_SHEET,
        SERVICE_DESK_ROWS,
        {row.field: getattr(desk, row.field) for row in SERVICE_DESK_ROWS},
    )
    _write_parameters(
        wb, ASSUMPTIONS_SHEET, ASSUMPTION_ROWS, assumption_values(scenario)
    )
    if scenario.changes:
        _write_line_changes(wb, scenario.changes)
    _drop_default_sheet(wb)


def write_input_sheets(
    wb: openpyxl.Workbook, workspace: Workspace, *, scenario: Scenario | None = None
) -> None:
    """Add the Costs, Headcount, Service desk and Assumptions sheets to a workbook.

    Sheets of the same titles are replaced, and the empty sheet a new workbook
    starts with is dropped. The Service desk and Assumptions sheets hold
    ``scenario`` when one is given, else the workspace's own.
    """
    _write_inputs(
        wb, workspace.cost_base, workspace.headcount, scenario or workspace.scenario
    )


# Where a line version's inputs are: the Costs sheet or a Line changes row.
@dataclass(frozen=True)
class LineVersion:
    """One version of a cost line, as the Line costs sheet costs it.

    `sheet` and `row` say where its inputs are (`offset` columns before the
    Costs sheet's columns there); `starts` and `ends` are the Line changes
    rows whose From quarter starts and ends it (None: from the baseline, to
    the horizon).
    """

    sheet: str
    row: int
    offset: int = 0
    starts: int | None = None
    ends: int | None = None


def line_version_rows(
    cost_base: CostBase, changes: Sequence[LineChange], quarters: int
) -> list[LineVersion]:
    """Every version of every line, in the order `projection.line_versions`
    makes them: the cost base's lines, then each change's line in the order
    of its quarter; a change ends the version of its item then in force. A
    change after the horizon changes nothing."""
    versions = [LineVersion(COSTS_SHEET, row) for row in range(2, len(cost_base) + 2)]
    current = {line.item: index for index, line in enumerate(cost_base.lines)}
    ordered = sorted(
        enumerate(changes), key=lambda pair: (pair[1].from_quarter, pair[0])
    )
    for index, change in ordered:
        if change.from_quarter >= quarters:
            continue
        row = index + 2
        before = current.pop(change.item, None)
        if before is not None:
            versions[before] = replace(versions[before], ends=row)
        if change.line is None:
            continue
        current[change.item] = len(versions)
        versions.append(
            LineVersion(LINE_CHANGES_SHEET, row, len(CHANGE_COLUMNS), starts=row)
        )
    return versions


# The Line costs sheet: a row per line version, its inputs as the model reads
# them, then its monthly cost in each quarter and the units or agents it buys.
LINE_COST_COLUMNS: tuple[Column, ...] = (
    Column("Item", "item"),
    Column("Pool", "pool"),
    Column("Behaviour", "behaviour"),
    Column("Tier", "tier"),
    Column("Input row", "source"),
    Column("From quarter", "from_quarter", COUNT),
    Column("Until quarter", "until_quarter", COUNT),
    Column("Tier row", "tier_row", COUNT),
    Column("Monthly rate", "rate", MONEY),
    Column("Per unit", "per_unit", DECIMAL),
    Column("Min units", "min_units", COUNT),
    Column("Escalation", "escalation", RATE),
    Column("In service from", "service_from", DATE),
    Column("In service until", "service_until", DATE),
)
_LC = {
    column.field: get_column_letter(i) for i, column in enumerate(LINE_COST_COLUMNS, 1)
}
_NEVER = "DATE(9999,12,31)"
_HEADCOUNT_ROWS = 1000  # plan rows a formula looks at, far beyond the horizon


def _quarter_letter(quarter: int) -> str:
    """The Projection sheet's column of a quarter: B is the baseline."""
    return get_column_letter(quarter + 2)


def _on_projection(field: str, quarter: int) -> str:
    return f"{PROJECTION_SHEET}!{_quarter_letter(quarter)}${PROJECTION_ROW[field]}"


def _line_formulas(version: LineVersion, row: int) -> dict[str, str]:
    """The formulas of a version's own columns, over its input cells."""
    sheet = quote_sheetname(version.sheet)
    fields = [column.field for column in COST_COLUMNS]

    def cell(field: str) -> str:
        letter = get_column_letter(fields.index(field) + 1 + version.offset)
        return f"{sheet}!${letter}${version.row}"

    behaviour = f"$C{row}"
    months = f'IF({cell("period")}="Year",12,IF({cell("period")}="Quarter",3,1))'
    baseline_day = f"{PROJECTION_SHEET}!$B${PROJECTION_ROW['first_day']}"
    changes = quote_sheetname(LINE_CHANGES_SHEET)
    if version.starts is None:
        starts = "0"
        first_day = baseline_day
    else:
        starts = f"={changes}!$B${version.starts}"
        # An asset bought by a change starts depreciating in its quarter.
        first_day = f"DATE(YEAR({baseline_day}),MONTH({baseline_day})+3*$F{row},1)"
    return {
        "item": f'={cell("item")}&""',
        "pool": f'={cell("pool")}&""',
        "behaviour": f'={cell("behaviour")}&""',
        "tier": f'={cell("tier")}&""',
        "from_quarter": starts,
        "until_quarter": (
            "" if version.ends is None else f"={changes}!$B${version.ends}"
        ),
        "tier_row": f'=IF($D{row}="Desktop",2,IF($D{row}="Tier 2",3,1))',
        "rate": (
            f'=IF({behaviour}="Fixed",{cell("amount")}/{months},'
            f'IF({behaviour}="Depreciation",{cell("amount")}/{cell("life_months")},'
            f'IF({behaviour}="Per ticket",{cell("unit_cost")},'
            f"{cell('unit_cost')}/{months})))"
        ),
        "per_unit": (
            f'=IF({behaviour}="Step",{cell("users_per_unit")},'
            f'IF({behaviour}="Staffed",{cell("tickets_per_agent")},1))'
        ),
        "min_units": f"=N({cell('min_units')})",
        "escalation": (
            f'=IF(AND({behaviour}="Staffed",ISNUMBER(LabourEscalation)),'
            "LabourEscalation,"
            f'IF(AND(OR({behaviour}="Per user",{behaviour}="Step"),'
            "ISNUMBER(LicenceEscalation)),LicenceEscalation,"
            f"N({cell('escalation')})))"
        ),
        "service_from": (
            f"=IF(ISNUMBER({cell('in_service')}),{cell('in_service')},{first_day})"
        ),
        "service_until": (
            f'=IF(AND({behaviour}="Depreciation",{cell("renew")}="No"),'
            f"EDATE($M{row},{cell('life_months')}),{_NEVER})"
        ),
    }


def _line_quarter_formulas(row: int | str, quarter: int, units: str) -> tuple[str, str]:
    """A version's monthly cost and units bought in one quarter (`row` may be
    a stand-in for the row's number)."""
    column = _quarter_letter(quarter)

    def driver(field: str) -> str:
        return f"{PROJECTION_SHEET}!{column}${PROJECTION_ROW[field]}"

    load = (
        f"INDEX({PROJECTION_SHEET}!{column}${PROJECTION_ROW['load_tier_1']}:"
        f"{column}${PROJECTION_ROW['load_tier_2']},$H{row})"
    )
    t = driver("t")
    active = f'AND({t}>=$F{row},OR($G{row}="",{t}<$G{row}))'
    day = driver("first_day")
    in_service = f"IF(AND({day}>=$M{row},{day}<$N{row}),1,0)"
    behaviour = f"$C{row}"
    cost = (
        f"=IF({active},$I{row}*"
        f'IF({behaviour}="Fixed",1,'
        f'IF({behaviour}="Depreciation",{in_service},'
        f'IF({behaviour}="Per user",{driver("supported_users")},'
        f'IF({behaviour}="Per ticket",{load},{units}{row}))))'
        f"*(1+$L{row})^{driver('escalation_years')},0)"
    )
    # Whole units, ignoring floating-point dust: ROUND to 9 places, then up,
    # as the model's ceil_units does.
    bought = (
        f"=IF({active},"
        f'IF({behaviour}="Step",'
        f"MAX($K{row},ROUNDUP(ROUND({driver('supported_users')}/$J{row},9),0)),"
        f'IF({behaviour}="Staffed",'
        f"MAX($K{row},ROUNDUP(ROUND({load}/($J{row}*(1+AgentProductivity)),9),0)),"
        "0)),0)"
    )
    return cost, bought


# The Line costs sheet's rows are written as XML when the file is saved,
# not as openpyxl cells: a cell object for each of its formulas (two a quarter
# for each line version) made a 5,000-line download take seconds. openpyxl
# still writes the sheet's header, widths, panes and print setup, and gives
# the style ids, through a stand-in cell styled as each column's cells are,
# at the moment it would have given them to those cells; the rows' XML is
# what openpyxl writes for such cells, so the file is the same, byte for byte.
_ROW = "\x00"  # stands for a row number in a row's template


@dataclass(frozen=True)
class _StreamedRows:
    """A sheet's rows after its header, written as XML when the file is saved.

    `styles` has a stand-in cell for each column, styled as that column's
    cells are (None: unstyled); openpyxl numbers their styles when it writes
    the sheet. `rows` gives the rows' XML, given each column's ` s="id"`
    attribute (or ""). `last_row` and `last_column` end the sheet's extent.
    """

    title: str
    styles: tuple[Any, ...]
    rows: Callable[[Sequence[str]], Iterable[str]]
    last_row: int
    last_column: int


def _xml_text(text: str) -> str:
    """Text as an XML element holds it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell_xml(reference: str, style: str, value: str | int | None) -> str:
    """One cell as openpyxl writes it: a formula ("=..."), a number, text, or
    an empty styled cell ("" for one without a style)."""
    if value is None:
        return f'<c r="{reference}"{style} t="n"></c>' if style else ""
    if isinstance(value, int):
        return f'<c r="{reference}"{style} t="n"><v>{value}</v></c>'
    if value.startswith("="):
        return f'<c r="{reference}"{style}><f>{_xml_text(value[1:])}</f><v></v></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return (
        f'<c r="{reference}"{style} t="inlineStr"><is>'
        f"<t{space}>{_xml_text(value)}</t></is></c>"
    )


def _line_cost_values(version: LineVersion, row: int) -> list[str | int | None]:
    """A version's own cells on the Line costs sheet, by column: formulas,
    From quarter 0 for the baseline's lines, the Input row as text (a sheet
    title of ours and a number: never text a quote prefix would style), and
    None for an Until quarter a later change does not set."""
    formulas = _line_formulas(version, row)
    values: list[str | int | None] = []
    for column in LINE_COST_COLUMNS:
        if column.field == "source":
            text = clean_text(f"{version.sheet} row {version.row}")
            values.append(_OOXML_ESCAPE.sub("_x005F_", text))
            continue
        value = formulas[column.field]
        if value.startswith("="):
            values.append(value)
        else:
            values.append(int(value) if value else None)
    return values


def _line_cost_rows(
    versions: Sequence[LineVersion],
    labels: Sequence[str],
    unit_letters: Sequence[str],
    styles: Sequence[str],
) -> Iterable[str]:
    """The Line costs sheet's rows as XML: a version's own columns, then its
    cost and units in each quarter (one template for every row, as those
    formulas differ from row to row only in the row's number)."""
    own = [get_column_letter(index) for index in range(1, len(LINE_COST_COLUMNS) + 1)]
    first = len(LINE_COST_COLUMNS)
    count = len(labels)
    costs, units = [], []
    for quarter in range(count):
        cost, bought = _line_quarter_formulas(_ROW, quarter, unit_letters[quarter])
        column = get_column_letter(first + 1 + quarter)
        costs.append(_cell_xml(column + _ROW, styles[first + quarter], cost))
        column = unit_letters[quarter]
        units.append(_cell_xml(column + _ROW, styles[first + count + quarter], bought))
    quarters = "".join((*costs, *units, "</row>")).split(_ROW)
    for row, version in enumerate(versions, start=2):
        number = str(row)
        cells = [
            _cell_xml(letter + number, style, value)
            for letter, style, value in zip(
                own, styles[:first], _line_cost_values(version, row), strict=True
            )
        ]
        yield f'<row r="{number}">{"".join(cells)}{number.join(quarters)}'


def _write_line_costs(
    wb: openpyxl.Workbook, versions: Sequence[LineVersion], labels: Sequence[str]
) -> tuple[tuple[list[str], list[str], int], _StreamedRows]:
    """The Line costs sheet's header, widths and print setup, and its rows to
    stream; returns the letters of its cost and units columns by quarter and
    its last row (at least 2, so ranges are never empty), and the rows."""
    ws = _new_sheet(wb, LINE_COSTS_SHEET)
    first = len(LINE_COST_COLUMNS) + 1
    count = len(labels)
    cost_letters = [get_column_letter(first + q) for q in range(count)]
    unit_letters = [get_column_letter(first + count + q) for q in range(count)]
    _write_header(
        ws,
        [
            *(column.header for column in LINE_COST_COLUMNS),
            *(f"Cost {label}" for label in labels),
            *(f"Units {label}" for label in labels),
        ],
    )
    ws.freeze_panes = "B2"
    number_formats = [
        *(column.number_format for column in LINE_COST_COLUMNS),
        *(MONEY for _ in labels),
        *(COUNT for _ in labels),
    ]
    styles: list[Any] = []
    for number_format in number_formats:
        if number_format is None or not versions:
            styles.append(None)
            continue
        stand_in = WriteOnlyCell(ws)
        stand_in.number_format = number_format
        styles.append(stand_in)
    widths = {"item": 34, "pool": 22, "behaviour": 13, "source": 20}
    for index, column in enumerate(LINE_COST_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = widths.get(
            column.field, 13
        )
    for letter in (*cost_letters, *unit_letters):
        ws.column_dimensions[letter].width = 14
    _print_setup(ws, columns="A:A")
    rows = _StreamedRows(
        title=ws.title,
        styles=tuple(styles),
        rows=lambda ids: _line_cost_rows(versions, labels, unit_letters, ids),
        last_row=len(versions) + 1,
        last_column=len(number_formats),
    )
    return (cost_letters, unit_letters, max(len(versions) + 1, 2)), rows


def _projection_formula(
    field: str,
    quarter: int,
    line_costs: tuple[list[str], list[str], int],
) -> str | None:
    """The formula of one Projection cell; None where it has no value (the
    change and marginal cost of the baseline quarter)."""
    column = _quarter_letter(quarter)
    before = _quarter_letter(quarter - 1) if quarter else None
    row = PROJECTION_ROW

    def at(name: str, letter: str = column) -> str:
        return f"{letter}{row[name]}"

    cost_letters, unit_letters, last = line_costs
    sheet = quote_sheetname(LINE_COSTS_SHEET)

    def lines(letter: str) -> str:
        return f"{sheet}!${letter}$2:${letter}${last}"

    costs = f"{sheet}!{cost_letters[quarter]}$2:{cost_letters[quarter]}${last}"
    units = f"{sheet}!{unit_letters[quarter]}$2:{unit_letters[quarter]}${last}"
    employees = f"Headcount!$B$2:$B${_HEADCOUNT_ROWS}"
    contingent = f"Headcount!$C$2:$C${_HEADCOUNT_ROWS}"
    quarter_text = "Headcount!$A$2"
    t, known = at("t"), at("headcount_from")

    def grown(people: str) -> str:
        # Compounded from the last known quarter, rounded half up as the
        # model does (to 9 places first, so no floating-point dust tips it).
        return f"ROUND(ROUND({people}*(1+GrowthPerQuarter)^({t}-{known}),9),0)"

    tiers = {key: number for number, key in enumerate(TIER_KEYS.values(), start=1)}
    match field:
        case "t":
            return str(quarter)
        case "first_day":
            if quarter:
                base = f"$B${row['first_day']}"
                return f"=DATE(YEAR({base}),MONTH({base})+3*{t},1)"
            return (
                f"=DATE(IFERROR(VALUE(LEFT({quarter_text},4)),"
                f"VALUE(RIGHT({quarter_text},4))),"
                f'3*VALUE(MID({quarter_text},SEARCH("Q",{quarter_text})+1,1))-2,1)'
            )
        case "escalation_years":
            return f"=INT({t}/4)"
        case "headcount_from":
            return f"=MIN({t},COUNT({employees})-1)"
        case "headcount_grown":
            return "=" + grown(
                f"(INDEX({employees},{known}+1)+INDEX({contingent},{known}+1))"
            )
        case "employees":
            return (
                f"=IF({t}={known},INDEX({employees},{known}+1),"
                f"IF(ISNUMBER(ContingentShare),"
                f"{at('headcount_grown')}-{at('contingent')},"
                f"{grown(f'INDEX({employees},{known}+1)')}))"
            )
        case "contingent":
            return (
                f"=IF({t}={known},INDEX({contingent},{known}+1),"
                f"IF(ISNUMBER(ContingentShare),"
                f"ROUND(ROUND({at('headcount_grown')}*ContingentShare,9),0),"
                f"{grown(f'INDEX({contingent},{known}+1)')}))"
            )
        case "supported_users":
            return f"={at('employees')}+ContingentWeight*{at('contingent')}"
        case "tickets_per_user":
            return f"=TicketsPerUser*(1+TicketsTrend)^({t}/4)"
        case "deflection":
            return f"=MIN(DeflectionStart+DeflectionStep*{t},DeflectionCap)"
        case "tickets":
            return (
                f"={at('supported_users')}*{at('tickets_per_user')}"
                f"*(1-{at('deflection')})"
            )
        case "load_tier_1":
            return f"={at('tickets')}"
        case "load_desktop":
            return f"=(1-ResolutionRate)*{at('tickets')}*DesksideShare"
        case "load_tier_2":
            return f"=(1-ResolutionRate)*{at('tickets')}*(1-DesksideShare)"
        case "monthly_opex":
            return f"=SUM({costs})"
        case "cpsu":
            return f"={at('monthly_opex')}/{at('supported_users')}"
        case "cpsu_change":
            if before is None:
                return None
            # No change can be said on a quarter that cost nothing.
            earlier = at("cpsu", before)
            return f'=IF({earlier}<>0,{at("cpsu")}/{earlier}-1,"")'
        case "marginal_cost_per_user":
            if before is None:
                return None
            users = f"({at('supported_users')}-{at('supported_users', before)})"
            return (
                f"=IF({users}<>0,({at('monthly_opex')}-"
                f'{at("monthly_opex", before)})/{users},"")'
            )
        case "quarterly_spend":
            return f"=3*{at('monthly_opex')}"
        case "extra_spend":
            return f"=3*({at('monthly_opex')}-$B${row['monthly_opex']})"
        case "cumulative_ask":
            if before is None:
                return f"={at('extra_spend')}"
            return f"={at('cumulative_ask', before)}+{at('extra_spend')}"
    kind, _, key = field.partition("_")
    if kind == "agents":
        return (
            f'=SUMIFS({units},{lines(_LC["behaviour"])},"Staffed",'
            f"{lines(_LC['tier_row'])},{tiers[key]})"
        )
    if kind == "capacity":
        return (
            f'=SUMPRODUCT(({lines(_LC["behaviour"])}="Staffed")'
            f"*({lines(_LC['tier_row'])}={tiers[key]})"
            f"*{units}*{lines(_LC['per_unit'])})*(1+AgentProductivity)"
        )
    if kind == "utilisation":
        capacity = at(f"capacity_{key}")
        return f'=IF({capacity}>0,{at(f"load_{key}")}/{capacity},"")'
    if field in POOL_COLUMNS.values():
        return f"=SUMIF({lines(_LC['pool'])},$A{row[field]},{costs})"
    raise ValueError(f"No formula for the Projection row {field!r}.")


def _write_projection(
    wb: openpyxl.Workbook,
    labels: Sequence[str],
    line_costs: tuple[list[str], list[str], int],
) -> None:
    """The Projection sheet: a column per quarter, a row per measure, every
    computed cell a formula over the inputs and the Line costs sheet."""
    ws = _new_sheet(wb, PROJECTION_SHEET)
    _write_header(ws, ["Measure", *labels])
    ws.freeze_panes = "B2"
    for row, measure in enumerate(PROJECTION_ROWS, start=2):
        _put(ws, row, 1, measure.header, None).font = _HEADER_FONT
        for quarter in range(len(labels)):
            formula = _projection_formula(measure.field, quarter, line_costs)
            cell = ws.cell(row=row, column=quarter + 2)
            if formula is not None:
                cell.value = int(formula) if measure.field == "t" else formula
            cell.number_format = measure.number_format or "General"
    ws.column_dimensions["A"].width = 30
    for quarter in range(len(labels)):
        ws.column_dimensions[_quarter_letter(quarter)].width = 14
    _print_setup(ws, columns="A:A")


def _print_setup(ws: Worksheet, columns: str | None = None) -> None:
    """Landscape, fit to the page's width, the header row (and first column)
    on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if columns:
        ws.print_title_cols = columns


def _instruction_rows() -> list[tuple[str, ...]]:
    """The Instructions sheet as rows of text; a row of one cell is a heading."""
    header_of = {column.field: column.header for column in COST_COLUMNS}
    monthly_cost = {
        Behaviour.FIXED: "Amount, converted to a month.",
        Behaviour.PER_USER: "Unit cost per user × supported users.",
        Behaviour.STEP: (
            "Unit cost × units bought: supported users ÷ Users per unit, "
            "rounded up, at least Min units."
        ),
        Behaviour.STAFFED: (
            "Loaded cost per agent (Unit cost) × agents: the tier's tickets a "
            "month ÷ Tickets per agent, rounded up, at least Min units."
        ),
        Behaviour.PER_TICKET: "Unit cost per ticket × tickets a month at the Tier.",
        Behaviour.DEPRECIATION: (
            "Capital cost (Amount) ÷ Life months, in each month the asset is "
            "in service."
        ),
    }
    behaviours = [
        (
            behaviour.value,
            ", ".join(header_of[name] for name in REQUIRED_FIELDS[behaviour]),
            monthly_cost[behaviour],
        )
        for behaviour in Behaviour
    ]
    desk_help = {
        "tickets_per_user_month": "Tickets one supported user raises a month.",
        "resolution_rate": "Share of tickets the help desk (Tier 1) resolves.",
        "deskside_share": "Share of escalated tickets needing desk-side work.",
        "deflection": "Share of tickets self-service deflects in the baseline.",
        "deflection_step": "Deflection added each quarter, up to the cap.",
        "deflection_cap": "The most self-service can deflect.",
        "contingent_weight": "How far a contingent worker counts as a user (1: fully).",
        "tickets_trend": (
            "Yearly change of tickets per user, compounded a quarter at a time "
            "(-5%: 5% fewer a year). Empty: none."
        ),
    }
    return [
        ("CPSU cost base template",),
        (
            "Fill in the four sheets after this one, save the file and upload it "
            "to the CPSU budget-case builder (or run: cpsu check FILE). Keep the "
            "sheet names and the header rows as they are.",
        ),
        (),
        ("The sheets",),
        (
            "Costs",
            "One row for each thing you pay for to support users: a licence, a "
            "tool, a team, a contract, an asset. Pool says where it belongs; "
            "Behaviour says what drives its cost and which columns it needs.",
        ),
        (
            "Headcount",
            "Quarter (like 2026-Q4), Employees, Contingent. The first row is the "
            "baseline quarter. Rows after it are an optional plan, one quarter "
            "at a time; they replace growth for those quarters.",
        ),
        (
            "Service desk",
            "How users raise tickets and where tickets are worked (below).",
        ),
        (
            "Assumptions",
            "The scenario: its name, how many quarters to look ahead, headcount "
            "growth per quarter, and four optional levers: the contingent share "
            "of headcount (empty: employees and contingent workers grow alike), "
            "labour escalation for Staffed lines and licence escalation for Per "
            "user and Step lines (empty: each line's own Escalation), and agent "
            "productivity (10%: each agent handles 10% more tickets).",
        ),
        (),
        ("Cost pools",),
        ("Pool", ", ".join(POOLS)),
        (),
        ("Behaviours",),
        ("Behaviour", "Columns it needs", "Monthly cost"),
        *behaviours,
        (),
        ("Other columns",),
        (
            "Period",
            "Month, Quarter or Year: what Amount (Fixed) or Unit cost (Per user, "
            "Step, Staffed) is quoted for. A year is divided by 12 and a quarter "
            "by 3 to give a month. Empty means Month. A price per ticket and a "
            "capital cost are taken as they are.",
        ),
        ("Tier", "Tier 1 (the help desk), Desktop (desk-side) or Tier 2."),
        ("Min units", "The fewest units or agents kept, whatever the load. Empty: 0."),
        (
            "In service",
            "Depreciation only: the date the asset went into service. Empty: the "
            "baseline quarter's first day.",
        ),
        (
            "Renew",
            "Depreciation only. Yes (the default): the asset is bought again at "
            "the end of its life. No: its cost stops when its life ends.",
        ),
        (
            "Escalation",
            "Annual price rise, compounded at each full year after the baseline "
            "quarter (type 5% or 0.05). Empty: none.",
        ),
        ("Vendor, Notes", "For your reference."),
        (),
        ("Service desk parameters",),
        *((row.header, desk_help[row.field]) for row in SERVICE_DESK_ROWS),
        (),
        ("Rates",),
        (
            "Rates",
            "Rates can be typed as percents (70%) or as fractions (0.7); Excel "
            "stores both as 0.7. Growth, escalation, resolution rate, desk-side "
            "share and the deflection figures are all rates.",
        ),
    ]


def _write_instructions(wb: openpyxl.Workbook) -> None:
    ws = _new_sheet(wb, INSTRUCTIONS_SHEET)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, texts in enumerate(_instruction_rows(), start=1):
        for column, text in enumerate(texts, start=1):
            cell = _put(ws, row, column, text, None)
            cell.alignment = wrap
        if len(texts) == 1:
            ws.cell(row=row, column=1).font = _TITLE_FONT if row == 1 else _HEADER_FONT
            ws.cell(row=row, column=1).alignment = Alignment(wrap_text=False)
        elif texts and texts[0] in ("Behaviour",):
            for column in range(1, len(texts) + 1):
                ws.cell(row=row, column=column).font = _HEADER_FONT
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 60


def _workbook(title: str, stamp: datetime) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.properties.title = title
    wb.properties.creator = _CREATOR
    wb.properties.lastModifiedBy = _CREATOR
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


class _Writer(ExcelWriter):
    """openpyxl's writer, numbering the styles of streamed rows' cells as it
    writes their sheet, where it would have numbered them for real cells."""

    def __init__(
        self, wb: openpyxl.Workbook, archive: ZipFile, streamed: Sequence[_StreamedRows]
    ) -> None:
        super().__init__(wb, archive)
        self.streamed = {rows.title: rows for rows in streamed}
        self.style_ids: dict[str, list[str]] = {}

    def write_worksheet(self, ws: Worksheet) -> None:
        super().write_worksheet(ws)
        rows = self.streamed.get(ws.title)
        if rows is not None:
            self.style_ids[ws.title] = [
                "" if cell is None else f' s="{cell.style_id}"' for cell in rows.styles
            ]


def _write_part(
    archive: ZipFile,
    part: ZipInfo,
    sheet_xml: bytes,
    rows: _StreamedRows,
    style_ids: Sequence[str],
) -> None:
    """A sheet's part with its streamed rows after its header row, and its
    extent to their last row and column."""
    head, tail = sheet_xml.decode("utf-8").split("</sheetData>", 1)
    if rows.last_row > 1:
        extent = f"A1:{get_column_letter(rows.last_column)}{rows.last_row}"
        head = re.sub(
            '<dimension ref="[^"]*"/>', f'<dimension ref="{extent}"/>', head, count=1
        )
    with archive.open(part, "w") as out:
        out.write(head.encode("utf-8"))
        for row in rows.rows(style_ids):
            out.write(row.encode("utf-8"))
        out.write(("</sheetData>" + tail).encode("utf-8"))


def _to_bytes(
    wb: openpyxl.Workbook, stamp: datetime, streamed: Sequence[_StreamedRows] = ()
) -> bytes:
    """The workbook as .xlsx bytes, every part dated ``stamp``.

    ``Workbook.save`` would set the modified date to now and the zip would
    date each part now, so the same data would give different bytes.
    `streamed` are sheets whose rows after the header are written here.
    """
    _drop_default_sheet(wb)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active
    # Stored, not compressed: the parts are compressed once, when stamped below
    # (compressing the draft too cost about 5% of a 5,000-line download).
    draft = io.BytesIO()
    with ZipFile(draft, "w", ZIP_STORED) as archive:
        writer = _Writer(wb, archive, streamed)
        writer.save()
    streamed_parts = {wb[rows.title].path[1:]: rows for rows in streamed}

    stamped = io.BytesIO()
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with (
        ZipFile(io.BytesIO(draft.getvalue())) as source,
        ZipFile(stamped, "w", ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            part = ZipInfo(info.filename, date_time=date_time)
            part.compress_type = ZIP_DEFLATED
            part.external_attr = info.external_attr
            rows = streamed_parts.get(info.filename)
            if rows is None:
                archive.writestr(part, source.read(info.filename))
            else:
                style_ids = writer.style_ids[rows.title]
                _write_part(archive, part, source.read(info.filename), rows, style_ids)
    return stamped.getvalue()


def _stamp(headcount: Headcount) -> datetime:
    """The first moment of the baseline quarter: the date every file carries."""
    first_day = quarter_start(headcount.baseline_quarter)
    return datetime(first_day.year, first_day.month, first_day.day)


def template_workbook() -> bytes:
    """An empty canonical workbook with instructions, defaults filled in."""
    wb = _workbook("CPSU cost base template", _TEMPLATE_STAMP)
    _write_instructions(wb)
    _write_inputs(wb, CostBase(), None, Scenario(service_desk=ServiceDesk()))
    wb.active = 0
    return _to_bytes(wb, _TEMPLATE_STAMP)


def input_workbook(
    workspace: Workspace,
    scenario: Scenario | None = None,
    *,
    title: str | None = None,
) -> bytes:
    """The workspace's inputs as a canonical workbook: the four input sheets.

    ``title`` goes in the file's properties; it defaults to the workspace's
    source.
    """
    stamp = _stamp(workspace.headcount)
    wb = _workbook(title or workspace.source or "CPSU cost base", stamp)
    write_input_sheets(wb, workspace, scenario=scenario)
    wb.active = 0
    return _to_bytes(wb, stamp)


def _horizon_letter(labels: Sequence[str]) -> str:
    return _quarter_letter(len(labels) - 1)


def _projected(field: str, letter: str) -> str:
    return f"{PROJECTION_SHEET}!${letter}${PROJECTION_ROW[field]}"


# The Summary sheet's headline figures: label, formula (given the baseline's
# and the horizon's Projection columns), number format.
def _headline_rows(labels: Sequence[str]) -> list[tuple[str, str, str | None]]:
    now, then = "B", _horizon_letter(labels)

    def p(field: str, letter: str) -> str:
        return _projected(field, letter)

    added_users = f"({p('supported_users', then)}-{p('supported_users', now)})"
    added_cost = f"({p('monthly_opex', then)}-{p('monthly_opex', now)})"
    agents = [f"agents_{key}" for key in TIER_KEYS.values()]
    agents_then = "+".join(p(name, then) for name in agents)
    agents_now = "+".join(p(name, now) for name in agents)
    return [
        ("Scenario", "=ScenarioName", None),
        ("Baseline quarter", f"={PROJECTION_SHEET}!$B$1", None),
        ("Horizon quarter", f"={PROJECTION_SHEET}!${then}$1", None),
        ("Supported users now", f"={p('supported_users', now)}", COUNT),
        ("Supported users at the horizon", f"={p('supported_users', then)}", COUNT),
        ("Monthly run-rate now", f"={p('monthly_opex', now)}", MONEY_TOTAL),
        (
            "Monthly run-rate at the horizon",
            f"={p('monthly_opex', then)}",
            MONEY_TOTAL,
        ),
        ("CPSU now", f"={p('cpsu', now)}", MONEY),
        ("CPSU at the horizon", f"={p('cpsu', then)}", MONEY),
        (
            "CPSU change",
            f'=IF({p("cpsu", now)}<>0,{p("cpsu", then)}/{p("cpsu", now)}-1,"")',
            RATE,
        ),
        (
            "Cost per added user",
            f'=IF({added_users}<>0,{added_cost}/{added_users},"")',
            MONEY,
        ),
        ("Funding ask", f"={p('cumulative_ask', then)}", MONEY_TOTAL),
        ("Agents needed at the horizon", f"={agents_then}", COUNT),
        ("Agents added", f"=({agents_then})-({agents_now})", COUNT),
    ]


HEADLINES = (
    "Scenario",
    "Baseline quarter",
    "Horizon quarter",
    "Supported users now",
    "Supported users at the horizon",
    "Monthly run-rate now",
    "Monthly run-rate at the horizon",
    "CPSU now",
    "CPSU at the horizon",
    "CPSU change",
    "Cost per added user",
    "Funding ask",
    "Agents needed at the horizon",
    "Agents added",
)


def _write_summary(wb: openpyxl.Workbook, labels: Sequence[str]) -> None:
    """Headline figures as formulas over the Projection, and a chart of CPSU."""
    ws = _new_sheet(wb, SUMMARY_SHEET)
    _write_header(ws, ["Figure", "Value"])
    for row, (label, formula, number_format) in enumerate(
        _headline_rows(labels), start=2
    ):
        _put(ws, row, 1, label, None).font = _HEADER_FONT
        cell = ws.cell(row=row, column=2, value=formula)
        if number_format:
            cell.number_format = number_format
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 18

    chart = LineChart()
    chart.title = "CPSU by quarter"
    chart.y_axis.title = "CPSU (a month)"
    chart.y_axis.number_format = MONEY
    chart.x_axis.title = "Quarter"
    chart.legend = None
    projection = wb[PROJECTION_SHEET]
    last = len(labels) + 1
    cpsu_row = PROJECTION_ROW["cpsu"]
    chart.add_data(
        Reference(projection, min_col=1, max_col=last, min_row=cpsu_row),
        titles_from_data=True,
        from_rows=True,
    )
    chart.set_categories(Reference(projection, min_col=2, max_col=last, min_row=1))
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, "D2")
    _print_setup(ws)


@dataclass(frozen=True)
class _Headline:
    """A projection's headline figures, as the Summary sheet works them out."""

    cpsu_now: float
    cpsu_at_horizon: float
    run_rate_at_horizon: float
    cost_per_added_user: float
    funding_ask: float

    @classmethod
    def of(cls, projection: Projection) -> _Headline:
        users = projection.column("supported_users")
        run_rate = projection.column("monthly_opex")
        cpsu = projection.column("cpsu")
        added = float(users[-1] - users[0])
        return cls(
            cpsu_now=float(cpsu[0]),
            cpsu_at_horizon=float(cpsu[-1]),
            run_rate_at_horizon=float(run_rate[-1]),
            cost_per_added_user=(
                float(run_rate[-1] - run_rate[0]) / added if added else math.nan
            ),
            funding_ask=float(projection.column("cumulative_ask")[-1]),
        )


def _scenario_rows() -> list[tuple[str, str, str | None]]:
    """The Scenarios sheet's rows: label, the field or figure, number format."""
    return [
        *((row.header, row.field, row.number_format) for row in ASSUMPTION_ROWS),
        *((row.header, row.field, row.number_format) for row in SERVICE_DESK_ROWS),
        ("Line changes", "changes", COUNT),
        ("CPSU now", "cpsu_now", MONEY),
        ("CPSU at the horizon", "cpsu_at_horizon", MONEY),
        ("CPSU change", "cpsu_change", RATE),
        ("Monthly run-rate at the horizon", "run_rate_at_horizon", MONEY_TOTAL),
        ("Cost per added user", "cost_per_added_user", MONEY),
        ("Funding ask", "funding_ask", MONEY_TOTAL),
    ]


def _scenario_value(scenario: Scenario, projection: Projection, field: str) -> Any:
    values = assumption_values(scenario)
    if field in values:
        return values[field]
    if field == "changes":
        return len(scenario.changes)
    if hasattr(scenario.service_desk, field):
        return getattr(scenario.service_desk, field)
    headline = _Headline.of(projection)
    if field == "cpsu_change":
        if not headline.cpsu_now:
            return None
        return headline.cpsu_at_horizon / headline.cpsu_now - 1
    return getattr(headline, field)


def _scenario_formula(field: str) -> str:
    """The first scenario's column: its inputs by name, its results from Summary."""
    summary = {label: row for row, label in enumerate(HEADLINES, start=2)}
    by_figure = {
        "cpsu_now": "CPSU now",
        "cpsu_at_horizon": "CPSU at the horizon",
        "cpsu_change": "CPSU change",
        "run_rate_at_horizon": "Monthly run-rate at the horizon",
        "cost_per_added_user": "Cost per added user",
        "funding_ask": "Funding ask",
    }
    if field in by_figure:
        return f"={SUMMARY_SHEET}!$B${summary[by_figure[field]]}"
    if field == "changes":
        return f"=COUNTA({quote_sheetname(LINE_CHANGES_SHEET)}!$A$2:$A$1000)"
    name = INPUT_NAMES[field]
    return f'=IF(ISBLANK({name}),"",{name})'


def _write_scenarios(
    wb: openpyxl.Workbook,
    scenario: Scenario,
    others: Sequence[tuple[Scenario, Projection]],
) -> None:
    """The scenarios side by side: this one live, the others as the app had them."""
    ws = _new_sheet(wb, SCENARIOS_SHEET)
    names = [scenario.name, *(other.name for other, _ in others)]
    _write_header(ws, ["Assumption or result", *names])
    ws.freeze_panes = "B2"
    has_changes = bool(scenario.changes)
    for row, (label, field, number_format) in enumerate(_scenario_rows(), start=2):
        _put(ws, row, 1, label, None).font = _HEADER_FONT
        if field == "changes" and not has_changes:
            _put(ws, row, 2, 0, number_format)
        else:
            cell = ws.cell(row=row, column=2, value=_scenario_formula(field))
            cell.number_format = number_format or "General"
        for column, (other, projection) in enumerate(others, start=3):
            value = _scenario_value(other, projection, field)
            _put(ws, row, column, value, number_format)
    ws.column_dimensions["A"].width = 32
    for column in range(2, len(names) + 2):
        ws.column_dimensions[get_column_letter(column)].width = 18
    _print_setup(ws, columns="A:A")


# The measures the Checks sheet compares with the app's own numbers.
CHECKED: tuple[str, ...] = (
    "supported_users",
    "tickets",
    "monthly_opex",
    "cpsu",
    "cumulative_ask",
)
WITHIN = 0.005  # half a cent: figures that agree to the cent


def _write_checks(
    wb: openpyxl.Workbook, labels: Sequence[str], projection: Projection
) -> None:
    """Each checked measure three times a quarter: the workbook's formula, the
    app's number, the difference; then whether every difference is within a
    cent."""
    ws = _new_sheet(wb, CHECKS_SHEET)
    _write_header(ws, ["Check", *labels])
    ws.freeze_panes = "B2"
    headers = {measure.field: measure for measure in PROJECTION_ROWS}
    differences: list[int] = []
    row = 2
    for field in CHECKED:
        measure = headers[field]
        rows = ("workbook", "app", "difference")
        for offset, kind in enumerate(rows):
            label = f"{measure.header}: {kind}"
            _put(ws, row + offset, 1, label, None).font = _HEADER_FONT
        for quarter, value in enumerate(projection.column(field)):
            letter = _quarter_letter(quarter)
            ws.cell(row=row, column=quarter + 2, value=f"={_projected(field, letter)}")
            _put(ws, row + 1, quarter + 2, float(value), None)
            ws.cell(
                row=row + 2,
                column=quarter + 2,
                value=f"={letter}{row}-{letter}{row + 1}",
            )
            for offset in range(3):
                ws.cell(row=row + offset, column=quarter + 2).number_format = (
                    measure.number_format if offset < 2 else "0.000000"
                )
        differences.append(row + 2)
        row += 4
    _put(ws, row, 1, "Within a cent", None).font = _HEADER_FONT
    for quarter in range(len(labels)):
        letter = _quarter_letter(quarter)
        tests = ",".join(f"ABS({letter}{line})<{WITHIN}" for line in differences)
        ws.cell(row=row, column=quarter + 2, value=f"=AND({tests})")
    last = _horizon_letter(labels)
    _put(ws, row + 2, 1, "All within a cent", None).font = _HEADER_FONT
    ws.cell(
        row=row + 2,
        column=2,
        value=f'=IF(COUNTIF(B{row}:{last}{row},FALSE)=0,"Yes","No")',
    )
    ws.column_dimensions["A"].width = 40
    for quarter in range(len(labels)):
        ws.column_dimensions[_quarter_letter(quarter)].width = 14
    _print_setup(ws, columns="A:A")


def _write_sources(wb: openpyxl.Workbook, cost_base: CostBase) -> None:
    """The reference figures behind the ranges and guardrails, and each cost
    line's notes (where the sample names its benchmark)."""
    from cpsu.sensitivity import (
        RESOLUTION_TARGET,
        UTILISATION_LIMIT,
        default_ranges,
    )

    ws = _new_sheet(wb, SOURCES_SHEET)
    _write_header(ws, ["Figure", "Low", "High", "Source"])
    row = 2
    rates = {"tickets_per_user_month"}
    for found in default_ranges(cost_base):
        number_format = DECIMAL if found.assumption in rates else RATE
        _put(ws, row, 1, found.label, None)
        _put(ws, row, 2, found.low, number_format)
        _put(ws, row, 3, found.high, number_format)
        _put(ws, row, 4, found.source, None)
        row += 1
    for label, value, source in (
        ("Agent utilisation limit", UTILISATION_LIMIT, "workforce-planning tools"),
        ("Tier 1 resolution target", RESOLUTION_TARGET, "a common Tier 1 target"),
    ):
        _put(ws, row, 1, label, None)
        _put(ws, row, 3, value, RATE)
        _put(ws, row, 4, source, None)
        row += 1
    noted = [line for line in cost_base.lines if line.notes]
    if noted:
        row += 1
        _put(ws, row, 1, "Cost line", None).font = _HEADER_FONT
        _put(ws, row, 4, "Notes", None).font = _HEADER_FONT
        for line in noted:
            row += 1
            _put(ws, row, 1, line.item, None)
            _put(ws, row, 4, line.notes, None)
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 80
    _print_setup(ws)


# The order of a scenario workbook's sheets: what a reader opens first.
SCENARIO_SHEETS: tuple[str, ...] = (
    SUMMARY_SHEET,
    ASSUMPTIONS_SHEET,
    COSTS_SHEET,
    HEADCOUNT_SHEET,
    SERVICE_DESK_SHEET,
    LINE_CHANGES_SHEET,
    PROJECTION_SHEET,
    LINE_COSTS_SHEET,
    SCENARIOS_SHEET,
    CHECKS_SHEET,
    SOURCES_SHEET,
)


def scenario_workbook(
    workspace: Workspace,
    scenario: Scenario,
    projection: Projection,
    others: Sequence[tuple[Scenario, Projection]] = (),
) -> bytes:
    """The inputs with ``scenario``'s assumptions, and its projection as live
    formulas over them.

    `projection` is the app's projection of the scenario: the Checks sheet
    holds its numbers beside the formulas' results. `others` are more
    scenarios with their projections, shown beside this one on the Scenarios
    sheet. Uploading the file back restores the scenario from its input
    sheets, line changes included; Excel recalculates every formula when the
    file opens.
    """
    return _to_bytes(*_scenario_book(workspace, scenario, projection, others))


def _scenario_book(
    workspace: Workspace,
    scenario: Scenario,
    projection: Projection,
    others: Sequence[tuple[Scenario, Projection]] = (),
) -> tuple[openpyxl.Workbook, datetime, list[_StreamedRows]]:
    """The scenario workbook before it is saved: the book, its date, and the
    rows written as it is saved (see `scenario_workbook`)."""
    stamp = _stamp(workspace.headcount)
    wb = _workbook(f"CPSU scenario: {scenario.name}", stamp)
    write_input_sheets(wb, workspace, scenario=scenario)
    labels = list(projection.quarters)
    versions = line_version_rows(workspace.cost_base, scenario.changes, len(labels))
    line_costs, line_cost_rows = _write_line_costs(wb, versions, labels)
    _write_projection(wb, labels, line_costs)
    _write_summary(wb, labels)
    _write_scenarios(wb, scenario, others)
    _write_checks(wb, labels, projection)
    _write_sources(wb, workspace.cost_base)
    for title in (COSTS_SHEET, HEADCOUNT_SHEET, SERVICE_DESK_SHEET, ASSUMPTIONS_SHEET):
        _print_setup(wb[title])
    order = [title for title in SCENARIO_SHEETS if title in wb.sheetnames]
    for position, title in enumerate(order):
        wb.move_sheet(title, offset=position - wb.sheetnames.index(title))
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True
    return wb, stamp, [line_cost_rows]
