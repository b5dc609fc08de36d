"""Reading actuals: a row per quarter of what happened.

An actuals sheet has a Quarter column, the people supported (Employees and
perhaps Contingent), the cost of support, and perhaps quality measures
(Tickets, Resolution rate, Satisfaction). The cost is a monthly run-rate
(Monthly OPEX), a quarter's spend (Quarterly OPEX, read as a third a month),
or one column per cost pool. A cost column that does not say its period
("OPEX", "Cost") is refused with the names to use, never guessed: a
quarter's spend read as a month's would triple CPSU.

The reading is as tolerant as any upload's: title rows, headers under other
names, text numbers and percentages, total rows. Quarters are in order and
without gaps; a gap or a repeat is an error naming its row.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from cpsu.actuals import ActualQuarter, Actuals
from cpsu.costs import POOLS
from cpsu.formatting import money
from cpsu.ingest.cells import (
    UNDECIDED_DATES,
    AmbiguousDate,
    CellError,
    Conventions,
    DateOrder,
    clean_text,
    format_number,
    is_blank,
    is_year_last_date,
    read_count,
    read_date,
    read_money,
    read_rate,
    show,
    text_key,
)
from cpsu.ingest.conventions import (
    DateCell,
    NumberCell,
    decide_conventions,
    decide_date_order,
)
from cpsu.ingest.headcount_sheet import SequenceWords, sequence_problem
from cpsu.ingest.issues import Issue, error, errors, warning
from cpsu.ingest.lists import month_of_header
from cpsu.ingest.sniff import FileError, read_file_tables
from cpsu.ingest.table import (
    TOTAL_ROW,
    Cell,
    Header,
    Table,
    find_header,
    hidden_rows_warning,
    match_row,
    row_is_blank,
)
from cpsu.ingest.vocabulary import POOL_INDEX
from cpsu.scenario import (
    FISCAL_QUARTER_ADVICE,
    is_fiscal_quarter,
    parse_quarter,
    quarter_label,
)

logger = logging.getLogger(__name__)

MAX_ACTUALS_BYTES = 20 * 1024 * 1024
# More quarters than this is not a history a person keeps by hand.
MAX_QUARTERS = 200

HEADERS: dict[str, str] = {
    "quarter": "Quarter",
    "employees": "Employees",
    "contingent": "Contingent",
    "monthly_opex": "Monthly OPEX",
    "quarterly_opex": "Quarterly OPEX",
    "opex": "OPEX",
    "tickets": "Tickets",
    "quarterly_tickets": "Tickets per quarter",
    "resolution_rate": "Resolution rate",
    "satisfaction": "Satisfaction",
}
_WORDS: dict[str, tuple[str, ...]] = {
    "quarter": ("Period", "Qtr", "Fiscal quarter", "Quarter label"),
    "employees": ("Headcount", "Employee", "Employee count", "Staff", "FTE", "FTEs"),
    "contingent": (
        "Contractors",
        "Contractor",
        "Contingent workers",
        "Contingent worker",
        "Contingent staff",
        "Temps",
    ),
    "monthly_opex": (
        "Monthly run-rate",
        "Monthly run rate",
        "Run-rate",
        "Run rate",
        "Monthly cost",
        "Monthly spend",
        "Monthly support cost",
        "OPEX per month",
        "OPEX a month",
        "Cost per month",
        "Monthly opex total",
        "Total monthly cost",
        "Monthly total",
    ),
    "quarterly_opex": (
        "Quarterly cost",
        "Quarterly spend",
        "Quarter cost",
        "Quarter spend",
        "OPEX per quarter",
        "Cost per quarter",
        "Spend per quarter",
        "Quarterly support cost",
        "Total quarterly cost",
    ),
    "opex": (
        "Cost",
        "Spend",
        "Total cost",
        "Total spend",
        "Support cost",
        "Total OPEX",
    ),
    "tickets": (
        "Tickets per month",
        "Tickets a month",
        "Monthly tickets",
        "Tickets monthly",
        "Ticket volume",
        "Incidents",
        "Tickets per month average",
    ),
    "quarterly_tickets": (
        "Tickets a quarter",
        "Quarterly tickets",
        "Tickets in quarter",
        "Tickets in the quarter",
    ),
    "resolution_rate": (
        "Resolution",
        "First contact resolution",
        "First-contact resolution",
        "FCR",
        "Tier 1 resolution",
        "Tier 1 resolution rate",
        "Resolved at desk",
        "Resolved at the desk",
        "Desk resolution",
        "Resolution rate at desk",
    ),
    "satisfaction": (
        "CSAT",
        "User satisfaction",
        "Customer satisfaction",
        "Satisfaction rate",
        "Rated exceptional",
        "Satisfied users",
        "Satisfied",
    ),
}
POOL_FIELD = "pool: "


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, canonical in HEADERS.items():
        index[text_key(canonical)] = name
    for name, words in _WORDS.items():
        for word in words:
            index.setdefault(text_key(word), name)
    for key, pool in POOL_INDEX.items():
        index.setdefault(key, POOL_FIELD + pool)
    return index


INDEX = _index()
NAMES = {**HEADERS, **{POOL_FIELD + pool: pool for pool in POOLS}}
REQUIRED = ("quarter", "employees")
COST_FIELDS = ("monthly_opex", "quarterly_opex", "opex")
SHEET_NAMES = ("actuals", "history", "cpsu history", "actual", "quarterly actuals")
# Satisfaction written without a % sign, every value from 1 to 10, is a
# score on a scale of 5 or of 10, not the share of users satisfied.
SCORE_SCALES = (5.0, 10.0)
RATE_FIELDS = ("resolution_rate", "satisfaction")


@dataclass(frozen=True)
class ActualsUpload:
    """The actuals read from a file (None with errors), and every problem."""

    actuals: Actuals | None
    issues: tuple[Issue, ...]
    sheet: str | None = None
    has_pools: bool = False
    has_quality: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(errors(self.issues))


def _quarter(cell: Cell, order: DateOrder = UNDECIDED_DATES) -> pd.Period:
    """The quarter of a cell: a label (2026-Q4, Q4 2026), a month (Dec 2026,
    December 2026) or a date in the quarter (a date cell, 2026-12-31, or
    31/12/2026 by the file's day-month `order`)."""
    if isinstance(cell, datetime | date):
        return pd.Period(cell, freq="Q")
    if not isinstance(cell, str):
        raise CellError(f"is {show(cell)}, not a quarter; write it like 2026-Q4")
    text = clean_text(cell)
    try:
        return parse_quarter(text)
    except ValueError:
        pass
    month = month_of_header(text)
    if month is not None and month[0] is not None:
        return pd.Period(year=month[0], month=month[1], freq="Q")
    try:
        return pd.Period(read_date(text, order=order), freq="Q")
    except AmbiguousDate:
        # 05/06/2026 is in 2026-Q2 read either way; 03/04/2026 is not.
        readings = {
            pd.Period(read_date(text, order=DateOrder(first)), freq="Q")
            for first in (True, False)
        }
        if len(readings) == 1:
            return readings.pop()
        raise
    except CellError:
        pass
    if is_fiscal_quarter(text):
        raise CellError(
            f"is {show(cell)}, {FISCAL_QUARTER_ADVICE}, or a date in the quarter, "
            "like 2026-12-31"
        )
    raise CellError(
        f"is {show(cell)}, not a quarter; write it like 2026-Q4 or as a date in "
        "the quarter, like 2026-12-31"
    )


def _date_cells(table: Table, header: Header) -> list[DateCell]:
    """The Quarter cells written as dates with the year last (31/12/2026)."""
    label = header.label("quarter")
    return [
        DateCell(cell, table.name, row_number, label)
        for row_number, cells in table.rows[header.position + 1 :]
        if isinstance(cell := header.cell(cells, "quarter"), str)
        and is_year_last_date(cell)
    ]


def _find_header(table: Table) -> Header | list[Issue]:
    return find_header(
        table,
        INDEX,
        NAMES,
        REQUIRED,
        hint={
            "quarter": "Quarter or Period",
            "employees": "Employees or Headcount",
        },
    )


def number_cells(table: Table, header: Header) -> list[NumberCell]:
    """The text cells of the number columns, for the file's conventions."""
    money = {
        *COST_FIELDS,
        *(name for name in header.columns if name.startswith(POOL_FIELD)),
    }
    return [
        NumberCell(
            cell, table.name, row_number, header.label(name), money=name in money
        )
        for row_number, cells in table.rows[header.position + 1 :]
        for name in header.columns
        if name != "quarter"
        and isinstance(cell := header.cell(cells, name), str)
        and not is_blank(cell)
    ]


def read_actuals_table(
    table: Table,
    *,
    conventions: Conventions | None = None,
    contingent_weight: float = 1.0,
) -> ActualsUpload:
    """The actuals on one sheet (or CSV), and every problem found."""
    header = _find_header(table)
    if isinstance(header, list):
        return ActualsUpload(None, tuple(header), table.name)
    issues = list(header.issues)
    columns = header.columns
    pools = [name for name in columns if name.startswith(POOL_FIELD)]
    cost = _cost_field(table, header, pools, issues)
    if cost is None:
        return ActualsUpload(None, tuple(issues), table.name)
    if conventions is None:
        conventions, found = decide_conventions(number_cells(table, header))
        issues.extend(found)
    dates, found = decide_date_order(_date_cells(table, header))
    issues.extend(found)
    if "contingent" not in columns:
        issues.append(
            warning(
                f"{table.name} has no Contingent column, so contingent workers were "
                "counted as 0. If there are any, add a Contingent column with their "
                "number each quarter.",
                table.name,
                header.row_number,
            )
        )
    if "tickets" in columns and "month" not in header.label("tickets").lower():
        issues.append(
            warning(
                f"{header.label('tickets')} was read as the tickets of an average "
                "month. If it holds the quarter's tickets, rename it Tickets per "
                "quarter.",
                table.name,
                header.row_number,
                header.label("tickets"),
            )
        )

    rows: list[ActualQuarter] = []
    rows_read: list[int] = []
    previous: tuple[pd.Period, int] | None = None
    plain: dict[str, list[tuple[int, float]]] = {name: [] for name in RATE_FIELDS}
    for row_number, cells in table.rows[header.position + 1 :]:
        if row_is_blank(cells):
            continue
        if len(rows_read) >= MAX_QUARTERS:
            issues.append(
                error(
                    f"{table.name} has more than {MAX_QUARTERS} quarters; keep the "
                    "history to the quarters you want to show.",
                    sheet=table.name,
                    row=row_number,
                )
            )
            break
        rows_read.append(row_number)
        texts = [clean_text(cell) for cell in cells if isinstance(cell, str)]
        if any(TOTAL_ROW.search(text) for text in texts):
            issues.append(
                warning(
                    "This looks like a total or average row, so it was skipped.",
                    table.name,
                    row_number,
                    header.label("quarter"),
                )
            )
            continue
        row, quarter, found, written = _read_row(
            header, row_number, cells, cost, pools, conventions, dates
        )
        issues.extend(found)
        for name, value in written.items():
            plain[name].append((row_number, value))
        if quarter is not None:
            problem = sequence_problem(previous, quarter, ACTUALS_WORDS)
            if problem:
                issues.append(
                    error(problem, table.name, row_number, header.label("quarter"))
                )
            previous = (quarter, row_number)
        else:
            # The row's quarter is already an error; the next row is not held
            # against the one before it, which would report a false gap.
            previous = None
        if row is not None:
            rows.append(row)
    hidden = hidden_rows_warning(table, rows_read)
    if hidden is not None:
        issues.append(hidden)
    issues.extend(_rate_scale_issues(table.name, header, plain))
    if errors(issues):
        return ActualsUpload(None, tuple(issues), table.name)
    if not rows:
        issues.append(
            error(
                f"{table.name} has no quarters below its header in row "
                f"{header.row_number}; add a row per quarter, like 2026-Q1 with its "
                "employees and monthly OPEX.",
                sheet=table.name,
                row=header.row_number,
            )
        )
        return ActualsUpload(None, tuple(issues), table.name)
    try:
        actuals = Actuals(tuple(rows), contingent_weight=contingent_weight)
    except ValueError as problem:
        issues.append(error(f"The actuals cannot be used: {problem}", table.name))
        return ActualsUpload(None, tuple(issues), table.name)
    quality = any(
        name in columns
        for name in ("tickets", "quarterly_tickets", "resolution_rate", "satisfaction")
    )
    return ActualsUpload(
        actuals, tuple(issues), table.name, has_pools=bool(pools), has_quality=quality
    )


def _rate_scale_issues(
    sheet: str, header: Header, plain: Mapping[str, list[tuple[int, float]]]
) -> list[Issue]:
    """Rate columns whose plain numbers (no % sign) say they are not shares:
    satisfaction scored out of 5 or 10 (every plain number above 1 is 10 or
    less) is refused; a column of plain 1s is read as 100%, and said so."""
    issues: list[Issue] = []
    for name, written in plain.items():
        if not written:
            continue
        label = header.label(name)
        values = [value for _, value in written]
        if all(value == 1 for value in values):
            issues.append(
                warning(
                    f"{label} holds only 1s, read as 100%. If they are scores or "
                    "counts, write the share as a percentage like 72%.",
                    sheet,
                    written[0][0],
                    label,
                )
            )
            continue
        # A plain number above 1 is read as a percentage without its sign;
        # for satisfaction, every one of them at 10 or less is a score.
        above = [(row, value) for row, value in written if value > 1]
        if name != "satisfaction" or not above:
            continue
        if any(value > SCORE_SCALES[-1] for _, value in above):
            continue
        scale = next(top for top in SCORE_SCALES if max(v for _, v in above) <= top)
        row_number, value = above[0]
        issues.append(
            error(
                f"{label} holds {format_number(value)} and numbers like it: a score "
                f"on a scale of 1 to {scale:g}, not the share of users satisfied. "
                "Write the share of users who rated support good or better, as a "
                "percentage like 92%.",
                sheet,
                row_number,
                label,
            )
        )
    return issues


def _cost_field(
    table: Table, header: Header, pools: Sequence[str], issues: list[Issue]
) -> str | None:
    """Which column says the cost: the monthly, the quarterly or the pools'.
    None, with an error, when there is none or when its period is unsaid."""
    columns = header.columns
    given = [name for name in COST_FIELDS if name in columns]
    if "opex" in given:
        label = header.label("opex")
        issues.append(
            error(
                f"{label} does not say whether it is a month's cost or a quarter's. "
                "Rename the header to Monthly OPEX (the cost of an average month) or "
                "Quarterly OPEX (the quarter's spend).",
                table.name,
                header.row_number,
                label,
            )
        )
        return None
    if len(given) == 2:
        issues.append(
            error(
                f"{table.name} has both {header.label('monthly_opex')} and "
                f"{header.label('quarterly_opex')}; keep one of them.",
                table.name,
                header.row_number,
            )
        )
        return None
    if given:
        return given[0]
    if pools:
        return "pools"
    issues.append(
        error(
            f"{table.name} has no cost column: add Monthly OPEX (the cost of an "
            "average month of the quarter), Quarterly OPEX, or one column per cost "
            f"pool ({', '.join(POOLS)}).",
            table.name,
            header.row_number,
        )
    )
    return None


# A streak counts quarters in a row: a gap or a repeat would bend it.
ACTUALS_WORDS = SequenceWords(
    repeated=" each quarter appears once.",
    backwards=" list the quarters oldest first.",
    gap=". A streak counts quarters in a row, so add the missing quarters.",
)


def _read_row(
    header: Header,
    row_number: int,
    cells: Sequence[Cell],
    cost: str,
    pools: Sequence[str],
    conventions: Conventions,
    dates: DateOrder = UNDECIDED_DATES,
) -> tuple[ActualQuarter | None, pd.Period | None, list[Issue], dict[str, float]]:
    issues: list[Issue] = []

    def problem(name: str, message: str) -> None:
        label = header.label(name)
        issues.append(error(f"{label} {message}.", header.sheet, row_number, label))

    quarter = None
    quarter_cell = header.cell(cells, "quarter")
    if is_blank(quarter_cell):
        problem("quarter", "is empty; write the quarter like 2026-Q4")
    else:
        try:
            quarter = _quarter(quarter_cell, dates)
        except CellError as exc:
            problem("quarter", str(exc))

    people: dict[str, float] = {}

    def counted(name: str) -> float | None:
        """A count of 0 or more from the row's cell; None when blank or wrong."""
        cell = header.cell(cells, name)
        if is_blank(cell):
            return None
        try:
            value = read_count(cell, conventions=conventions).value
        except CellError as exc:
            problem(name, str(exc))
            return None
        if value < 0:
            problem(name, f"is {format_number(value)}; it cannot be negative")
            return None
        return value

    for name in ("employees", "contingent"):
        value = counted(name)
        if value is None and name == "employees" and is_blank(header.cell(cells, name)):
            problem(name, "is empty; enter the employees supported (0 if none)")
        people[name] = 0.0 if value is None else value

    def amount(name: str) -> float | None:
        cell = header.cell(cells, name)
        if is_blank(cell):
            return None
        try:
            value = read_money(cell, conventions=conventions).value
        except CellError as exc:
            problem(name, str(exc))
            return None
        if value < 0:
            problem(name, f"is {format_number(value)}; a cost cannot be below 0")
            return None
        return value

    by_pool: dict[str, float] = {}
    for name in pools:
        value = amount(name)
        if value is not None:
            by_pool[name.removeprefix(POOL_FIELD)] = value
    if cost == "pools":
        if not by_pool and not issues:
            problem(pools[0], "and the other pool columns are empty; enter the costs")
        monthly = sum(by_pool.values())
    else:
        total = amount(cost)
        if total is None and by_pool:
            # The total left empty where the pools are given: their sum.
            total = sum(by_pool.values())
        if total is None:
            if not any(i.column == header.label(cost) for i in issues):
                problem(cost, "is empty; enter the cost of support in the quarter")
            total = 0.0
        divisor = 3.0 if cost == "quarterly_opex" else 1.0
        monthly = total / divisor
        by_pool = {pool: value / divisor for pool, value in by_pool.items()}
        if by_pool and abs(sum(by_pool.values()) - monthly) > 1.0:
            issues.append(
                error(
                    f"{header.label(cost)} is {money(total)} but the pool "
                    "columns add up to "
                    f"{money(sum(by_pool.values()) * divisor)}. Correct the "
                    "total or the pools, or delete one of them.",
                    header.sheet,
                    row_number,
                    header.label(cost),
                )
            )

    tickets = None
    for name, divisor in (("tickets", 1.0), ("quarterly_tickets", 3.0)):
        value = counted(name) if name in header.columns else None
        if value is not None:
            tickets = value / divisor

    rates: dict[str, float | None] = {"resolution_rate": None, "satisfaction": None}
    # The rates written as plain numbers (no % sign), for the column's checks.
    written: dict[str, float] = {}
    for name in rates:
        cell = header.cell(cells, name)
        if is_blank(cell):
            continue
        try:
            rate = read_rate(cell, conventions=conventions)
        except CellError as exc:
            problem(name, str(exc))
            continue
        if not rate.percent:
            written[name] = rate.written
        if not 0.0 <= rate.value <= 1.0:
            problem(name, f"is {rate.shown()}; a rate is from 0% to 100%")
            continue
        rates[name] = rate.value

    if issues or quarter is None:
        return None, quarter, issues, written
    row = ActualQuarter(
        quarter=quarter_label(quarter),
        employees=people["employees"],
        contingent=people["contingent"],
        monthly_opex=monthly,
        by_pool=by_pool,
        tickets=tickets,
        resolution_rate=rates["resolution_rate"],
        satisfaction=rates["satisfaction"],
    )
    return row, quarter, issues, written


def _actuals_sheets(tables: Mapping[str, Table]) -> list[Table]:
    """The sheets that may hold the actuals, the one to read first: a sheet
    named like Actuals alone; else every sheet whose header has a Quarter,
    Employees and a cost, in the workbook's order."""
    for name, table in tables.items():
        if text_key(name) in {text_key(word) for word in SHEET_NAMES}:
            return [table]
    found = []
    for table in tables.values():
        for _, cells in table.rows[:20]:
            columns, _, _ = match_row(cells, INDEX)
            if all(name in columns for name in REQUIRED) and (
                any(name in columns for name in COST_FIELDS)
                or any(name.startswith(POOL_FIELD) for name in columns)
            ):
                found.append(table)
                break
    return found


def read_actuals(
    data: bytes, filename: str, *, contingent_weight: float = 1.0
) -> ActualsUpload:
    """Actuals from an uploaded workbook or CSV; never raises."""
    try:
        return _read(bytes(data), filename, contingent_weight)
    except Exception as problem:  # the user gets a message, the log the trace
        logger.exception("Reading actuals %r failed", filename)
        return ActualsUpload(
            None,
            (
                error(
                    "The actuals could not be read because of a problem in this "
                    f"program ({type(problem).__name__}). Check that the file has a "
                    "row per quarter with Quarter, Employees and Monthly OPEX; if it "
                    "has, please report the problem with the file attached."
                ),
            ),
        )


def _read(data: bytes, filename: str, contingent_weight: float) -> ActualsUpload:
    if len(data) > MAX_ACTUALS_BYTES:
        return ActualsUpload(
            None,
            (
                error(
                    f"The file is {len(data) / (1024 * 1024):.1f} MB; actuals are a "
                    f"row per quarter and the limit is "
                    f"{MAX_ACTUALS_BYTES // (1024 * 1024)} MB."
                ),
            ),
        )
    if not data:
        return ActualsUpload(None, (error("The file is empty."),))
    name = posixpath.basename(str(filename).replace("\\", "/")) or "CSV"
    try:
        book = read_file_tables(data, name)
    except FileError as problem:
        return ActualsUpload(None, (error(str(problem)),))
    candidates = _actuals_sheets(book.tables)
    if not candidates:
        names = ", ".join(f"'{sheet}'" for sheet in book.sheet_names)
        return ActualsUpload(
            None,
            (
                *book.issues,
                error(
                    f"No table of actuals found (the file has {names}). "
                    + (
                        "Put a row per quarter on a sheet named Actuals"
                        if book.format not in ("csv", "html")
                        else "Put a row per quarter under a header row"
                    )
                    + ", with the columns Quarter, Employees, Contingent and "
                    "Monthly OPEX.",
                ),
            ),
        )
    table, *others = candidates
    found = read_actuals_table(table, contingent_weight=contingent_weight)
    sheet_issues = book.sheet_issues.get(table.name, ())
    choice = ()
    if others:
        names = ", ".join(f"'{other.name}'" for other in others)
        choice = (
            warning(
                f"{table.name} was read as the actuals; {names} also "
                f"{'looks' if len(others) == 1 else 'look'} like actuals and "
                f"{'was' if len(others) == 1 else 'were'} not read. Name the sheet "
                "to read Actuals, or remove the others.",
                table.name,
            ),
        )
    return ActualsUpload(
        found.actuals,
        (*book.issues, *choice, *sheet_issues, *found.issues),
        found.sheet,
        found.has_pools,
        found.has_quality,
    )
