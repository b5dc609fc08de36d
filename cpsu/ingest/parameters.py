"""Reading Parameter / Value sheets: Service desk and Assumptions.

Both sheets hold one setting a row: its name in the Parameter column and
its value in the Value column. Names are matched like headers (case,
spaces and punctuation aside, with common other names). Rates may be
written as fractions (0.7) or percentages (70%); a plain number outside
0 to 1 is an error rather than a guess, since 1.4 is as likely a typo for
0.14 as a percentage. A parameter left out takes the default of the
model, with a warning on the Service desk sheet so the user knows which
number the projection used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from cpsu.ingest.cells import (
    CellError,
    clean_text,
    format_number,
    is_blank,
    read_number,
    read_text,
)
from cpsu.ingest.issues import Issue, Severity, column_label, error, warning
from cpsu.ingest.table import Cell, Header, Table, find_header, row_is_blank
from cpsu.ingest.vocabulary import (
    ASSUMPTION_INDEX,
    ASSUMPTION_PARAMETERS,
    PARAMETER_HEADER_INDEX,
    PARAMETER_HEADERS,
    SERVICE_DESK_INDEX,
    SERVICE_DESK_PARAMETERS,
    clean_header,
    match_header,
)
from cpsu.scenario import MAX_HORIZON, MIN_HORIZON, Scenario
from cpsu.workload import ServiceDesk

# Rates that must lie between 0 and 1.
_SHARES = ("resolution_rate", "deskside_share", "deflection", "deflection_cap")


@dataclass(frozen=True)
class _Setting:
    """One parameter row: the value's cell and where it is."""

    cell: Cell
    row: int
    column: str  # "Value (B)"


def _read_settings(
    table: Table, index: Mapping[str, str], names: Mapping[str, str]
) -> tuple[dict[str, _Setting], list[Issue]]:
    """Each known parameter's value cell, with warnings for the rest."""
    issues: list[Issue] = []
    header = find_header(
        table,
        PARAMETER_HEADER_INDEX,
        PARAMETER_HEADERS,
        ("parameter", "value"),
        warn_unknown=False,
    )
    if isinstance(header, list):
        if not any(not row_is_blank(cells) for _, cells in table.rows):
            return {}, issues
        issues.append(
            warning(
                f"{table.name} has no Parameter / Value header row, so column A was "
                "read as the parameter and column B as its value.",
                sheet=table.name,
            )
        )
        header = Header(
            sheet=table.name,
            row_number=0,
            position=-1,
            columns={"parameter": 0, "value": 1},
            labels={"parameter": "A", "value": "B"},
            names=PARAMETER_HEADERS,
        )

    known = ", ".join(names.values())
    settings: dict[str, _Setting] = {}
    for row_number, cells in table.rows[header.position + 1 :]:
        label = clean_header(header.cell(cells, "parameter"))
        value = header.cell(cells, "value")
        if not label:
            if not is_blank(value):
                issues.append(
                    warning(
                        "This value has no parameter name beside it, so it was "
                        "ignored.",
                        sheet=table.name,
                        row=row_number,
                        column=header.label("value"),
                    )
                )
            continue
        name = match_header(label, index)
        where = header.label("parameter")
        if name is None:
            issues.append(
                warning(
                    f"'{label}' is not a parameter of {table.name}, so it was "
                    f"ignored. The parameters are: {known}.",
                    sheet=table.name,
                    row=row_number,
                    column=where,
                )
            )
            continue
        if name in settings:
            issues.append(
                warning(
                    f"{names[name]} is also in row {settings[name].row}; only that "
                    "first row was read. Delete one of them.",
                    sheet=table.name,
                    row=row_number,
                    column=where,
                )
            )
            continue
        if is_blank(value):
            continue
        value_column = header.columns["value"]
        settings[name] = _Setting(
            value,
            row_number,
            header.labels.get("value") or column_label("", value_column),
        )
    return settings, issues


def _rate(setting: _Setting, label: str, low: float, high: float) -> float:
    """A rate as a fraction; a plain number must already be a fraction."""
    number = read_number(setting.cell)
    value = number.value
    if not low <= value <= high:
        shown = f"{value:.4g}" if not number.percent else f"{value * 100:.4g}%"
        raise CellError(
            f"is {shown}, outside {low:g} to {high:g}; write {label} as a fraction "
            "such as 0.7 or a percentage such as 70%"
        )
    return value


def read_service_desk(table: Table | None) -> tuple[ServiceDesk | None, list[Issue]]:
    """The service-desk parameters; the defaults when the sheet is missing."""
    defaults = ServiceDesk()
    if table is None:
        return defaults, [
            warning(
                "The workbook has no Service desk sheet, so the default service-desk "
                f"parameters were used: {_describe(defaults)}. Add the sheet to use "
                "your own."
            )
        ]

    settings, issues = _read_settings(
        table, SERVICE_DESK_INDEX, SERVICE_DESK_PARAMETERS
    )
    values: dict[str, float] = {}
    failed = False
    for name, setting in settings.items():
        label = SERVICE_DESK_PARAMETERS[name]
        try:
            if name in _SHARES:
                values[name] = _rate(setting, label, 0.0, 1.0)
            elif name == "deflection_step":
                values[name] = _rate(setting, label, -1.0, 1.0)
            else:
                number = read_number(setting.cell)
                if number.value < 0:
                    raise CellError(
                        f"is {format_number(number.value)}; it cannot be negative"
                    )
                values[name] = number.value
        except CellError as problem:
            failed = True
            issues.append(
                error(
                    f"{label} {problem}.",
                    sheet=table.name,
                    row=setting.row,
                    column=setting.column,
                )
            )

    missing = [
        f"{label} {_show_parameter(name, getattr(defaults, name))}"
        for name, label in SERVICE_DESK_PARAMETERS.items()
        if name not in settings
    ]
    if missing:
        issues.append(
            warning(
                f"{table.name} has no value for some parameters, so the defaults "
                f"were used: {', '.join(missing)}.",
                sheet=table.name,
            )
        )
    if failed:
        return None, issues

    desk_values = {
        f.name: values.get(f.name, getattr(defaults, f.name))
        for f in fields(ServiceDesk)
    }
    if desk_values["deflection"] > desk_values["deflection_cap"]:
        issues.append(
            warning(
                f"Deflection ({desk_values['deflection']:.0%}) is above the deflection "
                f"cap ({desk_values['deflection_cap']:.0%}), so the cap applies from "
                "the baseline on. Check both values.",
                sheet=table.name,
                row=settings["deflection"].row if "deflection" in settings else None,
            )
        )
    try:
        return ServiceDesk(**desk_values), issues
    except ValueError as problem:
        issues.append(
            error(
                f"The service-desk parameters cannot be used: {problem}",
                sheet=table.name,
            )
        )
        return None, issues


def read_scenario(
    table: Table | None, service_desk: ServiceDesk
) -> tuple[Scenario | None, list[Issue]]:
    """The scenario on an Assumptions sheet, with Scenario defaults for the rest."""
    if table is None:
        return Scenario(service_desk=service_desk), []

    settings, issues = _read_settings(table, ASSUMPTION_INDEX, ASSUMPTION_PARAMETERS)
    defaults = Scenario()
    values: dict[str, object] = {}
    failed = False
    for name, setting in settings.items():
        label = ASSUMPTION_PARAMETERS[name]
        try:
            if name == "name":
                values[name] = clean_text(read_text(setting.cell)) or defaults.name
            elif name == "horizon_quarters":
                values[name] = _horizon(setting)
            else:
                values[name] = _growth(setting, issues, table.name)
        except CellError as problem:
            failed = True
            issues.append(
                error(
                    f"{label} {problem}.",
                    sheet=table.name,
                    row=setting.row,
                    column=setting.column,
                )
            )
    if failed:
        return None, issues
    try:
        return Scenario(service_desk=service_desk, **values), issues  # type: ignore[arg-type]
    except ValueError as problem:
        issues.append(
            error(f"The assumptions cannot be used: {problem}", sheet=table.name)
        )
        return None, issues


def _horizon(setting: _Setting) -> int:
    number = read_number(setting.cell)
    value = number.value
    if number.percent or value != int(value) or not MIN_HORIZON <= value <= MAX_HORIZON:
        raise CellError(
            f"is {format_number(value)}; write a whole number of quarters from "
            f"{MIN_HORIZON} to {MAX_HORIZON}"
        )
    return int(value)


def _growth(setting: _Setting, issues: list[Issue], sheet: str) -> float:
    number = read_number(setting.cell)
    value = number.value
    if value <= -1:
        raise CellError(f"is {value:.0%}; growth must be above -100% a quarter")
    if not number.percent and value > 1:
        issues.append(
            Issue(
                Severity.WARNING,
                f"Growth per quarter is {format_number(value)}, read as "
                f"{value:.0%} a quarter; if you meant {format_number(value)}%, write "
                f"{format_number(value)}% or {value / 100:g}.",
                sheet,
                setting.row,
                setting.column,
            )
        )
    return value


def _show_parameter(name: str, value: float) -> str:
    if name in (*_SHARES, "deflection_step"):
        return f"{value:.0%}"
    return format_number(value)


def _describe(desk: ServiceDesk) -> str:
    return ", ".join(
        f"{label} {_show_parameter(name, getattr(desk, name))}"
        for name, label in SERVICE_DESK_PARAMETERS.items()
    )
