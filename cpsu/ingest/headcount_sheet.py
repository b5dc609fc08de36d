"""Reading the Headcount sheet: the baseline quarter and an optional plan.

The first row is the baseline, quarter 0 of every projection; later rows
are a plan, one quarter after another. A gap or a repeated quarter would
shift every later quarter of the plan, so each is an error naming its row.
People are counted whole: a headcount of 12.5 is a typo or an FTE figure,
and the user is asked which. A Headcount sheet that is an HR roster, one
row per person, is counted into quarters instead (see `roster.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from cpsu.ingest import roster
from cpsu.ingest.cells import (
    UNDECIDED,
    CellError,
    Conventions,
    clean_text,
    format_number,
    is_blank,
    read_count,
    show,
)
from cpsu.ingest.conventions import NumberCell
from cpsu.ingest.issues import Issue, Severity, error, warning
from cpsu.ingest.table import (
    TOTAL_ROW,
    Cell,
    Header,
    Table,
    find_header,
    hidden_rows_warning,
    row_is_blank,
)
from cpsu.ingest.vocabulary import (
    HEADCOUNT_HEADER_INDEX,
    HEADCOUNT_HEADERS,
    headcount_header_hint,
)
from cpsu.scenario import (
    FISCAL_QUARTER_ADVICE,
    MAX_HORIZON,
    Headcount,
    HeadcountRow,
    is_fiscal_quarter,
    parse_quarter,
    quarter_label,
)

REQUIRED_COLUMNS = ("quarter", "employees")
PEOPLE_COLUMNS = ("employees", "contingent")


def _quarter(cell: Cell) -> pd.Period:
    if isinstance(cell, datetime | date):
        return pd.Period(cell, freq="Q")
    if isinstance(cell, str):
        try:
            return parse_quarter(clean_text(cell))
        except ValueError:
            pass
        if is_fiscal_quarter(clean_text(cell)):
            raise CellError(f"is {show(cell)}, {FISCAL_QUARTER_ADVICE}")
    raise CellError(f"is {show(cell)}, not a quarter; write it like 2026-Q4")


def _people(cell: Cell, *, conventions: Conventions) -> int:
    number = read_count(cell, conventions=conventions)
    if number.value < 0:
        raise CellError(f"is {format_number(number.value)}; it cannot be negative")
    if number.value != int(number.value):
        raise CellError(
            f"is {format_number(number.value)}; count people in whole numbers "
            "(round FTEs to the people supported)"
        )
    return int(number.value)


def _find_header(table: Table) -> Header | list[Issue]:
    return find_header(
        table,
        HEADCOUNT_HEADER_INDEX,
        HEADCOUNT_HEADERS,
        REQUIRED_COLUMNS,
        hint={name: headcount_header_hint(name) for name in REQUIRED_COLUMNS},
    )


def number_cells(table: Table) -> list[NumberCell]:
    """The text cells of the headcount columns, for the file's conventions."""
    header = _find_header(table)
    if isinstance(header, list):
        return []
    return [
        NumberCell(cell, table.name, row_number, header.label(name))
        for row_number, cells in table.rows[header.position + 1 :]
        for name in PEOPLE_COLUMNS
        if isinstance(cell := header.cell(cells, name), str) and not is_blank(cell)
    ]


def read_headcount(
    table: Table, *, conventions: Conventions = UNDECIDED
) -> tuple[Headcount | None, list[Issue]]:
    """The headcount on a Headcount sheet, and every problem found."""
    header = _find_header(table)
    if isinstance(header, list):
        # A Headcount sheet may hold the HR roster itself: one row per person.
        if roster.find_roster(roster.as_roster_table(table)[0]) is not None:
            return roster.read_roster(table, None, MAX_HORIZON + 1)
        return None, header

    issues = list(header.issues)
    rows: list[HeadcountRow] = []
    rows_read: list[int] = []
    previous: tuple[pd.Period, int] | None = None
    for row_number, cells in table.rows[header.position + 1 :]:
        if row_is_blank(cells):
            continue
        rows_read.append(row_number)
        row, quarter, row_issues = _read_row(header, row_number, cells, conventions)
        issues.extend(row_issues)
        if quarter is not None:
            problem = sequence_problem(previous, quarter)
            if problem:
                issues.append(
                    error(
                        problem,
                        sheet=table.name,
                        row=row_number,
                        column=header.label("quarter"),
                    )
                )
            previous = (quarter, row_number)
        if row is not None:
            rows.append(row)
    hidden = hidden_rows_warning(table, rows_read)
    if hidden is not None:
        issues.append(hidden)

    has_errors = any(issue.severity is Severity.ERROR for issue in issues)
    if not rows and not has_errors:
        issues.append(
            error(
                f"{table.name} has no rows below its header in row "
                f"{header.row_number}; add the baseline quarter, like 2026-Q4 with "
                "its employees and contingent workers.",
                sheet=table.name,
                row=header.row_number,
            )
        )
        return None, issues
    if rows and rows[0].employees == 0 and rows[0].contingent == 0:
        issues.append(
            error(
                f"The baseline quarter {rows[0].quarter} has no supported users "
                "(0 employees and 0 contingent workers), so there is nothing to "
                "divide the cost by. Enter the headcount of the baseline quarter.",
                sheet=table.name,
                row=_first_data_row(table, header),
                column=header.label("employees"),
            )
        )
        has_errors = True
    if has_errors:
        return None, issues
    try:
        return Headcount(rows=tuple(rows)), issues
    except ValueError as problem:
        issues.append(
            error(f"The headcount cannot be used: {problem}", sheet=table.name)
        )
        return None, issues


def _first_data_row(table: Table, header: Header) -> int | None:
    for row_number, cells in table.rows[header.position + 1 :]:
        if not row_is_blank(cells):
            return row_number
    return None


@dataclass(frozen=True)
class SequenceWords:
    """What a table of quarters says after each kind of break in its order."""

    repeated: str  # after "2026-Q2 is also in row 3;"
    backwards: str  # after "2026-Q1 comes after 2026-Q2 (row 3);"
    gap: str  # after "2026-Q4 follows 2026-Q2 (row 3), leaving out 2026-Q3"


HEADCOUNT_WORDS = SequenceWords(
    repeated=" each quarter appears once. Delete one of the two rows.",
    backwards=" list the quarters in order, the baseline first.",
    gap="; plan rows go one quarter at a time without gaps. Add the missing quarters.",
)


def sequence_problem(
    previous: tuple[pd.Period, int] | None,
    quarter: pd.Period,
    words: SequenceWords = HEADCOUNT_WORDS,
) -> str | None:
    """What is wrong with `quarter` coming after `previous` (the quarter and
    row before it): a repeat, a step back or a gap; None when it is the next."""
    if previous is None:
        return None
    last, last_row = previous
    label = quarter_label(quarter)
    if quarter == last:
        return f"{label} is also in row {last_row};{words.repeated}"
    if quarter < last + 1:
        before = f"{quarter_label(last)} (row {last_row})"
        return f"{label} comes after {before};{words.backwards}"
    if quarter != last + 1:
        missing = quarter_label(last + 1)
        if quarter != last + 2:
            missing += f" to {quarter_label(quarter - 1)}"
        return (
            f"{label} follows {quarter_label(last)} (row {last_row}), leaving out "
            f"{missing}{words.gap}"
        )
    return None


def _read_row(
    header: Header, row_number: int, cells: Sequence[Cell], conventions: Conventions
) -> tuple[HeadcountRow | None, pd.Period | None, list[Issue]]:
    issues: list[Issue] = []

    def problem(name: str, message: str) -> None:
        label = header.label(name)
        issues.append(error(f"{label} {message}.", header.sheet, row_number, label))

    quarter_cell = header.cell(cells, "quarter")
    texts = [clean_text(cell) for cell in cells if isinstance(cell, str)]
    if any(TOTAL_ROW.search(text) for text in texts):
        issues.append(
            warning(
                "This looks like a total row, so it was skipped.",
                header.sheet,
                row_number,
                header.label("quarter"),
            )
        )
        return None, None, issues

    quarter = None
    if is_blank(quarter_cell):
        problem("quarter", "is empty; write the quarter like 2026-Q4")
    else:
        try:
            quarter = _quarter(quarter_cell)
        except CellError as exc:
            problem("quarter", str(exc))

    counts: dict[str, int] = {}
    for name in PEOPLE_COLUMNS:
        cell = header.cell(cells, name)
        if is_blank(cell):
            if name == "employees":
                problem(name, "is empty; enter the number of employees (0 if none)")
            else:
                counts[name] = 0
            continue
        try:
            counts[name] = _people(cell, conventions=conventions)
        except CellError as exc:
            problem(name, str(exc))

    if issues or quarter is None:
        return None, quarter, issues
    row = HeadcountRow(
        quarter=quarter_label(quarter),
        employees=counts["employees"],
        contingent=counts["contingent"],
    )
    return row, quarter, issues
