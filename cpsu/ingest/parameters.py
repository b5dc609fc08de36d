"""Reading Parameter / Value sheets: Service desk and Assumptions.

Both sheets hold one setting a row: its name in the Parameter column and
its value in the Value column. Names are matched like headers (case,
spaces and punctuation aside, with common other names). Rates follow the
one rule of `cells.read_rate`, as Escalation on the Costs sheet does: 70%
and 0.7 are the same, and a plain 70 is read as 70% with a warning that
says so; a rate outside its range after that reading is an error. A
parameter left out takes the default of the model, with a warning on the
Service desk sheet so the user knows which number the projection used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from cpsu.costs import CostLevers
from cpsu.ingest.cells import (
    DOUBTFUL_RATE,
    MAX_AMOUNT,
    UNDECIDED,
    CellError,
    Conventions,
    clean_text,
    format_number,
    is_blank,
    read_count,
    read_number,
    read_rate,
    read_text,
    show,
)
from cpsu.ingest.conventions import NumberCell
from cpsu.ingest.issues import Issue, column_label, error, warning
from cpsu.ingest.table import (
    Cell,
    Header,
    Table,
    find_header,
    listing,
    row_is_blank,
)
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

# Rates, each with its range as fractions and the period it is per.
_RATES: dict[str, tuple[float, float, str]] = {
    "resolution_rate": (0.0, 1.0, ""),
    "deskside_share": (0.0, 1.0, ""),
    "deflection": (0.0, 1.0, ""),
    "deflection_cap": (0.0, 1.0, ""),
    "deflection_step": (-1.0, 1.0, " a quarter"),
    "tickets_trend": (-1.0, 1.0, " a year"),
}
# Parameters added after the first workbooks were written: left out, they take
# the model's default without a word, since older files never had them.
_OPTIONAL_DESK = frozenset({"tickets_trend"})


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
    unknown: list[tuple[int, str]] = []
    nameless: list[int] = []
    for row_number, cells in table.rows[header.position + 1 :]:
        label = clean_header(header.cell(cells, "parameter"))
        value = header.cell(cells, "value")
        if not label:
            if not is_blank(value):
                nameless.append(row_number)
            continue
        name = match_header(label, index)
        where = header.label("parameter")
        if name is None:
            unknown.append((row_number, label))
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

    if unknown:
        shown = [f"'{label}' (row {row})" for row, label in unknown]
        one = len(unknown) == 1
        verb = "is not a parameter" if one else "are not parameters"
        issues.append(
            warning(
                f"{listing(shown)} {verb} of {table.name}, so "
                f"{'it was' if one else 'they were'} ignored. The "
                f"parameters are: {known}.",
                sheet=table.name,
                row=unknown[0][0] if one else None,
                column=header.label("parameter"),
            )
        )
    if nameless:
        one = len(nameless) == 1
        rows = listing([str(row) for row in nameless])
        issues.append(
            warning(
                f"{'This value has' if one else f'The values in rows {rows} have'} no "
                f"parameter name beside {'it' if one else 'them'}, so "
                f"{'it was' if one else 'they were'} ignored.",
                sheet=table.name,
                row=nameless[0] if one else None,
                column=header.label("value"),
            )
        )
    return settings, issues


def _number_cells(
    table: Table | None,
    index: Mapping[str, str],
    names: Mapping[str, str],
    skip: tuple[str, ...] = (),
) -> list[NumberCell]:
    if table is None:
        return []
    settings, _ = _read_settings(table, index, names)
    return [
        NumberCell(setting.cell, table.name, setting.row, setting.column)
        for name, setting in settings.items()
        if name not in skip and isinstance(setting.cell, str)
    ]


def service_desk_number_cells(table: Table | None) -> list[NumberCell]:
    """The Service desk values written as text, for the file's conventions."""
    return _number_cells(table, SERVICE_DESK_INDEX, SERVICE_DESK_PARAMETERS)


def assumption_number_cells(table: Table | None) -> list[NumberCell]:
    """The Assumptions values written as text (the name aside), for conventions."""
    return _number_cells(table, ASSUMPTION_INDEX, ASSUMPTION_PARAMETERS, ("name",))


def _rate(
    setting: _Setting,
    label: str,
    conventions: Conventions,
    bounds: tuple[float, float, str],
    issues: list[Issue],
    sheet: str,
) -> float:
    """A rate as a fraction within its bounds; a plain 70 is 70%, with a warning."""
    low, high, per = bounds
    rate = read_rate(setting.cell, conventions=conventions)
    if not low <= rate.value <= high:
        raise CellError(
            f"is {rate.shown()}{per}, outside {low:.0%} to {high:.0%}; write "
            f"{label} as a percentage such as 70% or a fraction such as 0.7"
        )
    note = rate.note(per)
    if note is not None:
        issues.append(warning(f"{label} {note}.", sheet, setting.row, setting.column))
    return rate.value


def read_service_desk(
    table: Table | None, *, conventions: Conventions = UNDECIDED
) -> tuple[ServiceDesk | None, list[Issue]]:
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
            if name in _RATES:
                values[name] = _rate(
                    setting, label, conventions, _RATES[name], issues, table.name
                )
            elif name == "contingent_weight":
                values[name] = _contingent_weight(
                    setting, conventions, issues, table.name
                )
            else:
                values[name] = _tickets_per_user(
                    setting, conventions, issues, table.name
                )
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
        if name not in settings and name not in _OPTIONAL_DESK
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
    table: Table | None,
    service_desk: ServiceDesk,
    *,
    conventions: Conventions = UNDECIDED,
) -> tuple[Scenario | None, list[Issue]]:
    """The scenario on an Assumptions sheet, with Scenario defaults for the rest.

    An empty contingent share or escalation is no override, as in the app.
    """
    if table is None:
        return Scenario(service_desk=service_desk), []

    settings, issues = _read_settings(table, ASSUMPTION_INDEX, ASSUMPTION_PARAMETERS)
    defaults = Scenario()
    values: dict[str, object] = {}
    levers: dict[str, float] = {}
    failed = False
    for name, setting in settings.items():
        label = ASSUMPTION_PARAMETERS[name]
        try:
            if name == "name":
                # Kept as written: the name is the scenario's key in the library.
                written = read_text(setting.cell)
                values[name] = written if clean_text(written) else defaults.name
            elif name == "horizon_quarters":
                values[name] = _horizon(setting, conventions)
            elif name == "contingent_share":
                values[name] = _rate(
                    setting, label, conventions, (0.0, 1.0, ""), issues, table.name
                )
            elif name in _LEVERS:
                levers[name] = _lever(setting, name, conventions, issues, table.name)
            else:
                values[name] = _growth(setting, conventions, issues, table.name)
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
        return Scenario(
            service_desk=service_desk,
            levers=CostLevers(**levers),
            **values,  # type: ignore[arg-type]
        ), issues
    except ValueError as problem:
        issues.append(
            error(f"The assumptions cannot be used: {problem}", sheet=table.name)
        )
        return None, issues


_LEVERS = frozenset({"labour_escalation", "licence_escalation", "productivity"})


def _lever(
    setting: _Setting,
    name: str,
    conventions: Conventions,
    issues: list[Issue],
    sheet: str,
) -> float:
    """An escalation a year or a productivity change: above -100%."""
    label = ASSUMPTION_PARAMETERS[name]
    per = " a year" if name.endswith("escalation") else ""
    rate = read_rate(setting.cell, conventions=conventions)
    if rate.value <= -1:
        raise CellError(f"is {rate.shown()}{per}; it must be above -100%")
    note = rate.note(per, doubtful_from=DOUBTFUL_RATE if per else None)
    if note is not None:
        issues.append(warning(f"{label} {note}.", sheet, setting.row, setting.column))
    return rate.value


def _horizon(setting: _Setting, conventions: Conventions) -> int:
    value = read_count(setting.cell, conventions=conventions).value
    if value != int(value) or not MIN_HORIZON <= value <= MAX_HORIZON:
        raise CellError(
            f"is {format_number(value)}; write a whole number of quarters from "
            f"{MIN_HORIZON} to {MAX_HORIZON}"
        )
    return int(value)


def _growth(
    setting: _Setting, conventions: Conventions, issues: list[Issue], sheet: str
) -> float:
    rate = read_rate(setting.cell, conventions=conventions)
    if rate.value <= -1:
        raise CellError(
            f"is {rate.shown()} a quarter; growth must be above -100% a quarter"
        )
    if rate.value > 1:
        raise CellError(
            f"is {rate.shown()} a quarter, more than 100%; check the cell (write "
            "8% or 0.08 for eight percent a quarter)"
        )
    note = rate.note(" a quarter", doubtful_from=DOUBTFUL_RATE)
    if note is not None:
        label = ASSUMPTION_PARAMETERS["growth_per_quarter"]
        issues.append(warning(f"{label} {note}.", sheet, setting.row, setting.column))
    return rate.value


def _tickets_per_user(
    setting: _Setting, conventions: Conventions, issues: list[Issue], sheet: str
) -> float:
    value = read_count(setting.cell, conventions=conventions).value
    if value < 0:
        raise CellError(f"is {format_number(value)}; it cannot be negative")
    if value == 0:
        label = SERVICE_DESK_PARAMETERS["tickets_per_user_month"]
        issues.append(
            warning(
                f"{label} is 0, so no tickets reach the service desk: Staffed and "
                "Per ticket lines cost no more than their minimums. Check the value.",
                sheet,
                setting.row,
                setting.column,
            )
        )
    return value


def _contingent_weight(
    setting: _Setting, conventions: Conventions, issues: list[Issue], sheet: str
) -> float:
    number = read_number(setting.cell, conventions=conventions)
    if number.currency is not None:
        raise CellError(
            f"is {show(setting.cell)}, an amount of money; write how much of a user "
            "one contingent worker counts as, like 1 or 0.5"
        )
    value = number.value
    if value < 0:
        raise CellError(f"is {format_number(value)}; it cannot be negative")
    if value > MAX_AMOUNT:
        raise CellError(f"is {format_number(value)}, far too large; check the cell")
    if value > 1:
        label = SERVICE_DESK_PARAMETERS["contingent_weight"]
        issues.append(
            warning(
                f"{label} is {format_number(value)}, which counts each contingent "
                "worker as more than one user. Check the value: 1 counts them as "
                "employees, 0.5 as half.",
                sheet,
                setting.row,
                setting.column,
            )
        )
    return value


def _show_parameter(name: str, value: float) -> str:
    if name in _RATES:
        return f"{value:.0%}"
    return format_number(value)


def _describe(desk: ServiceDesk) -> str:
    return ", ".join(
        f"{label} {_show_parameter(name, getattr(desk, name))}"
        for name, label in SERVICE_DESK_PARAMETERS.items()
    )
