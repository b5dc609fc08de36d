"""Workbooks the program writes: the template, the inputs, and a scenario.

The canonical workbook holds the inputs of a CPSU case on four sheets that a
person can read and edit in Excel: Costs (a row per cost line), Headcount (the
baseline quarter and an optional plan), Service desk and Assumptions (each a
Parameter and its Value). The template is those sheets empty, with an
Instructions sheet in front; a scenario workbook is them filled in with a
Projection sheet after, so that uploading it back restores the scenario.
Every writer returns the file as bytes, ready for a download, and stamps it
with a date taken from the data, so the same inputs always give the same
bytes. Text from a user's file is always written as text: an item called
"=HYPERLINK(...)" stays a string in every cell and never runs as a formula.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
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
        Column("Employees", "employees", COUNT),
        Column("Contingent", "contingent", COUNT),
        Column("Supported users", "supported_users", COUNT),
        Column("Deflection", "deflection", RATE),
        Column("Tickets", "tickets", COUNT),
        *(Column(f"Load ({name})", f"load_{key}", COUNT) for name, key in tiers),
        *(Column(f"Agents ({name})", f"agents_{key}", COUNT) for name, key in tiers),
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


# The Projection sheet, a row per measure of the projection table.
PROJECTION_ROWS: tuple[Column, ...] = _projection_rows()

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


def _write_cost_line(
    ws: Worksheet, row: int, first_column: int, line: CostLine | None
) -> None:
    """One cost line in the Costs sheet's columns, as inputs (blue)."""
    for index, column in enumerate(COST_COLUMNS, start=first_column):
        value = None if line is None else _cost_value(line, column.field)
        cell = _put(ws, row, index, value, column.number_format)
        cell.font = INPUT_FONT


def _write_costs(wb: openpyxl.Workbook, cost_base: CostBase) -> None:
    ws = _new_sheet(wb, COSTS_SHEET)
    _write_header(ws, [column.header for column in COST_COLUMNS])
    for row, line in enumerate(cost_base.lines, start=2):
        _write_cost_line(ws, row, 1, line)
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
        _write_cost_line(ws, row, first_cost_column, change.line)
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


def _write_projection(wb: openpyxl.Workbook, projection: Projection) -> None:
    table = projection.table
    ws = _new_sheet(wb, PROJECTION_SHEET)
    _write_header(ws, ["Measure", *table["quarter"]])
    ws.freeze_panes = "B2"
    for row, measure in enumerate(PROJECTION_ROWS, start=2):
        _put(ws, row, 1, measure.header, None)
        for offset, value in enumerate(table[measure.field], start=2):
            _put(ws, row, offset, value, measure.number_format)
    for cell in ws["A"]:
        cell.font = _HEADER_FONT
    _fit_columns(ws)


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


def _to_bytes(wb: openpyxl.Workbook, stamp: datetime) -> bytes:
    """The workbook as .xlsx bytes, every part dated ``stamp``.

    ``Workbook.save`` would set the modified date to now and the zip would
    date each part now, so the same data would give different bytes.
    """
    _drop_default_sheet(wb)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active
    draft = io.BytesIO()
    with ZipFile(draft, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()

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
            archive.writestr(part, source.read(info.filename))
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


def scenario_workbook(
    workspace: Workspace, scenario: Scenario, projection: Projection
) -> bytes:
    """The inputs with ``scenario``'s assumptions, and its projection as values.

    Uploading the file back restores the scenario, slider values included.
    """
    # TODO: the Projection sheet holds values; the design asks for live
    # formulas (and Summary, Scenarios and Checks sheets) so finance can
    # change an assumption in Excel and see it recalculate.
    stamp = _stamp(workspace.headcount)
    wb = _workbook(f"CPSU scenario: {scenario.name}", stamp)
    write_input_sheets(wb, workspace, scenario=scenario)
    _write_projection(wb, projection)
    wb.active = wb.sheetnames.index(PROJECTION_SHEET)
    return _to_bytes(wb, stamp)
