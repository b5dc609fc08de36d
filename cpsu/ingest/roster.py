"""HR rosters: one row per person, turned into headcount per quarter.

An HR system exports people, not quarters: an ID or name, a worker type
(employee, contractor, temp, consultant, intern ...), a start date and an end
date, empty while the person is still there. Headcount in a quarter is the
people on the books on the quarter's last day, counted apart as employees
and contingent workers. The last day is the count HR itself reports
(period-end headcount), and it is the one that moves with the hires and
leavers of the quarter just closed; an average over the quarter would blur
a step change, and the first day would lag a quarter behind. A person whose
end date is the last day is still counted on it. Contractors, temps,
consultants, agency staff and interns are contingent: they are not on the
permanent payroll HR counts as employees, yet each needs a laptop, accounts
and the help desk, which is what contingent workers are counted for.

The baseline, unless the caller names one, is the quarter the roster was
taken in: the date of a title such as "Headcount report as of 30 Nov 2026",
or else the latest day the roster records something that happened, a start
or an end date not after today. An end date after today is a planned
leaving, not an event, so it does not move the baseline. Quarters after
that are not counted, since the roster knows of no hires in them and would
show only planned leavers. Every row that cannot be counted
(an end before its start, an unknown worker type, a repeated ID, a text date
that could be read two ways, a fiscal period such as 202606 where a date
should be) is an error naming its row and column. Text dates with the year
last are read day or month first as the roster's own dates show (see
`conventions.decide_date_order`), never guessed.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from cpsu.ingest.cells import (
    UNDECIDED_DATES,
    AmbiguousDate,
    CellError,
    DateOrder,
    clean_text,
    is_blank,
    is_year_last_date,
    read_date,
    read_text,
    show,
    text_key,
)
from cpsu.ingest.choices import DATES
from cpsu.ingest.conventions import DateCell, decide_date_order
from cpsu.ingest.issues import Issue, Severity, column_label, error, warning
from cpsu.ingest.table import (
    HEADER_SEARCH_ROWS,
    TOTAL_ROW,
    Cell,
    Header,
    Table,
    find_header,
    hidden_rows_warning,
    listing,
    one_header_row,
    row_is_blank,
)
from cpsu.ingest.vocabulary import (
    CONTINGENT,
    EMPLOYEE,
    ROSTER_HEADER_INDEX,
    ROSTER_HEADERS,
    clean_header,
    match_header,
    read_worker_type,
    roster_date_field,
    roster_end_like,
)
from cpsu.scenario import Headcount, HeadcountRow, quarter_label

REQUIRED_COLUMNS = ("worker_type", "start")

# A Status column says whether a person is still on the books, and the roster
# reads it: a leaver without an end date cannot be placed in any quarter. A
# Rehire date, beside the original hire date, starts the employment that the
# end date (if any) closes, so a rehired person is counted from it.
# An HR action export says what happened to each person (Hired, Terminated)
# in an Action column, and when in an Effective date column: beside a Status
# or an Action, the effective date of a leaving is the person's last day.
HEADERS = {
    **ROSTER_HEADERS,
    "status": "Status",
    "rehire": "Rehire date",
    "effective": "Effective date",
}
HEADER_INDEX = {
    **ROSTER_HEADER_INDEX,
    **{
        text_key(words): "effective"
        for words in (
            "Effective date",
            "Effective",
            "Eff date",
            "Effective dt",
            "Eff dt",
            "Action date",
            "Event date",
            "Status date",
            "Action effective date",
        )
    },
    **{
        text_key(words): "rehire"
        for words in (
            "Rehire date",
            "Re-hire date",
            "Rehired",
            "Rehired on",
            "Date rehired",
            "Most recent hire date",
            "Latest hire date",
            "Last hire date",
        )
    },
    **{
        text_key(words): "status"
        for words in (
            "Status",
            "Employee status",
            "Worker status",
            "Employment state",
            "HR status",
            "Assignment status",
            "Active status",
            "Active/Inactive",
            "Action",
            "HR action",
            "Last action",
            "Action type",
            "Personnel action",
            "Event",
            "Event type",
        )
    },
}
ACTIVE, GONE = "active", "gone"
_STATUS_WORDS = {
    ACTIVE: (
        "Active",
        "A",
        "Current",
        "Employed",
        "Working",
        "On leave",
        "Leave",
        "Leave of absence",
        "LOA",
        "Paid leave",
        "Unpaid leave",
        "Parental leave",
        "Maternity leave",
        "Paternity leave",
        "Sick leave",
        "Sabbatical",
        "Notice",
        "On notice",
        "Notice period",
        "Probation",
        "Pre-hire",
        "New hire",
        "Onboarding",
        "Hired",
        "Hire",
        "Rehired",
        "Rehire",
        "Transfer",
        "Transferred",
        "Promotion",
        "Promoted",
        "Return from leave",
    ),
    GONE: (
        "Terminated",
        "Term",
        "T",
        "Inactive",
        "I",
        "Leaver",
        "Left",
        "Resigned",
        "Retired",
        "Dismissed",
        "Separated",
        "Withdrawn",
        "Former",
        "Ended",
        "Deceased",
        "Termination",
        "Resignation",
        "Retirement",
        "Separation",
        "Laid off",
        "Layoff",
        "End of contract",
        "Contract ended",
    ),
}
STATUS_INDEX = {
    text_key(word): status for status, words in _STATUS_WORDS.items() for word in words
}
# Yes/no under a header that asks whether the person is active ("Active?").
_YES_NO = {"y": ACTIVE, "yes": ACTIVE, "n": GONE, "no": GONE}
STATUS_INDEX.update(_YES_NO)
# Headers under which a column of letters or yes/no is a status.
_STATUS_HEADER = re.compile(r"activ|status|state|current|employ", re.IGNORECASE)
_ON_LEAVE = re.compile(r"\b(?:leave|loa|sabbatical)\b", re.IGNORECASE)
# End dates that say the person is still here.
_STILL_HERE = {
    text_key(word)
    for word in (
        "-",
        "--",
        "n/a",
        "na",
        "none",
        "present",
        "current",
        "ongoing",
        "open",
        "active",
        "still employed",
        "to date",
    )
}
_OPEN_END = date(9999, 12, 31)
_YEAR_9999 = re.compile(
    r"9999-12-31(?:[ T]00:00(?::00)?)?|31[./-]12[./-]9999|12/31/9999"
)
# A year and a month run together, as finance systems write fiscal periods.
_FISCAL_PERIOD = re.compile(r"(?P<year>(?:19|20|21)\d{2})(?P<period>0[1-9]|1[0-6])")


def _roster_index(table: Table) -> dict[str, str]:
    """The header words of a roster, with the start and end dates of this
    table whose headers are not in the lists but say by their words that they
    are the day people started or left ("Term Eff Date", "Start Dt", "DOJ"),
    when the row names no such column already and the column holds dates."""
    index = dict(HEADER_INDEX)
    for position, (row_number, cells) in enumerate(table.rows):
        if row_number > HEADER_SEARCH_ROWS:
            break
        named = {match_header(clean_header(cell), HEADER_INDEX) for cell in cells}
        if "rehire" not in named:
            index.update(_latest_hires(cells))
        below = [row for _, row in table.rows[position + 1 :]]
        for column, cell in enumerate(cells):
            text = clean_header(cell)
            if not text or match_header(text, HEADER_INDEX) is not None:
                continue
            field_name = roster_date_field(text)
            if field_name is None or field_name in named:
                continue
            values = [row[column] if column < len(row) else None for row in below]
            values = [value for value in values if not is_blank(value)]
            values = values[:_DATE_SAMPLE]
            dates = sum(1 for value in values if _is_date(value))
            if values and dates * 2 < len(values):
                continue
            index.setdefault(text_key(text), field_name)
    return index


# Headers of the first day a person was ever hired. Beside one, a plain hire
# date is the latest hire (Workday exports both): a rehire.
_ORIGINAL_HIRE = {
    text_key(words)
    for words in (
        "Original hire date",
        "Original start date",
        "First hire date",
        "Date first hired",
    )
}


def _latest_hires(cells: Sequence[Cell]) -> dict[str, str]:
    """The start headers of a header row that has an original hire date
    beside them, read as rehire dates; empty when it has none."""
    keys = [text_key(clean_header(cell)) for cell in cells if not is_blank(cell)]
    if not any(key in _ORIGINAL_HIRE for key in keys):
        return {}
    return {
        key: "rehire"
        for key in keys
        if key not in _ORIGINAL_HIRE and HEADER_INDEX.get(key) == "start"
    }


def find_roster(table: Table) -> Header | None:
    """The header of a roster (an ID or name, a worker type, a start date), or None."""
    index = _roster_index(table)
    header = find_header(
        table,
        index,
        HEADERS,
        REQUIRED_COLUMNS,
        warn_unknown=False,
    )
    if isinstance(header, list):
        # A latest hire date alone is the start of the employment it shows.
        rehire = {key for key, name in index.items() if name == "rehire"}
        header = find_header(
            table,
            {**index, **dict.fromkeys(rehire, "start")},
            HEADERS,
            REQUIRED_COLUMNS,
            warn_unknown=False,
        )
        if isinstance(header, list):
            return None
        index = {**index, **dict.fromkeys(rehire, "start")}
    if "person_id" not in header.columns and "name" not in header.columns:
        return None
    if "status" not in header.columns:
        named = _status_header(table, header)
        if named is not None:
            found = find_header(
                table,
                {**index, text_key(named): "status"},
                HEADERS,
                REQUIRED_COLUMNS,
                warn_unknown=False,
            )
            if isinstance(found, Header) and "status" in found.columns:
                return found
    return header


def _status_like(table: Table, header: Header) -> list[tuple[int, str]]:
    """The columns not read that hold only status words, letters or Y/N."""
    heads = table.rows[header.position][1]
    used = set(header.columns.values())
    rows = [row for _, row in table.rows[header.position + 1 :]]
    found = []
    for position, head in enumerate(heads):
        if position in used or not isinstance(head, str) or not text_key(head):
            continue
        values = [row[position] if position < len(row) else None for row in rows]
        keys = {text_key(v) for v in values if isinstance(v, str) and not is_blank(v)}
        if not keys or any(not isinstance(v, str) for v in values if not is_blank(v)):
            continue
        if all(key in STATUS_INDEX for key in keys):
            found.append((position, head))
    return found


def _unread_statuses(table: Table, header: Header) -> list[Issue]:
    """A warning for each column that could say who has left but was not
    read, when the roster has no Status column."""
    if "status" in header.columns:
        return []
    return [
        warning(
            f"{column_label(head, position)} holds only values a status column "
            "holds (such as Y/N or Active/Inactive) but was not read as one, so "
            "everyone in the roster counts as still here. If it says who has "
            "left, name the column Status.",
            sheet=table.name,
            column=column_label(head, position),
        )
        for position, head in _status_like(table, header)
    ]


# How many cells of a column are looked at to tell whether it holds dates.
_DATE_SAMPLE = 200
_DATE_WORDS = re.compile(r"\b(?:date|dt|day|dob)\b", re.IGNORECASE)


def _unread_dates(table: Table, header: Header) -> list[Issue]:
    """A warning for each column not read that holds dates or is named a
    date: it may say when people started or left, and the count would not
    know it."""
    heads = table.rows[header.position][1]
    used = set(header.columns.values())
    rows = [row for _, row in table.rows[header.position + 1 :]]
    read = listing(
        [
            header.label(name)
            for name in ("start", "rehire", "end")
            if name in header.columns
        ]
    )
    found = []
    for position, head in enumerate(heads):
        if position in used or is_blank(head):
            continue
        values = [row[position] if position < len(row) else None for row in rows]
        values = [value for value in values if not is_blank(value)][:_DATE_SAMPLE]
        dates = sum(1 for value in values if _is_date(value))
        named = isinstance(head, str) and _DATE_WORDS.search(clean_text(head))
        if not (named or (values and dates * 2 >= len(values))):
            continue
        label = column_label(clean_text(str(head)), position)
        if dates and "end" not in header.columns and roster_end_like(str(head)):
            # Its name speaks of leaving: counting everyone as still here
            # could count people who have left, so the count is not given.
            found.append(
                error(
                    f"{label} holds dates and its name speaks of people leaving, "
                    "but it was not read as the day they left, so the people "
                    "who have left could not be told apart. If it is the day "
                    "people left (or will leave), rename it End date; if it is "
                    "another date, give it a name without the word of leaving, "
                    "or remove the column.",
                    sheet=table.name,
                    row=header.row_number,
                    column=label,
                )
            )
            continue
        found.append(
            warning(
                f"{label} {'holds dates' if dates else 'is named as a date'} but "
                f"was not read: people are counted by "
                f"{read} only. If it is the day people left, rename it End date; "
                "if the day they started, Start date.",
                sheet=table.name,
                row=header.row_number,
                column=label,
            )
        )
    return found


def _is_date(value: Cell) -> bool:
    """True for a date cell, or text that reads as a date."""
    if isinstance(value, date):
        return True
    if not isinstance(value, str):
        return False
    try:
        read_date(value)
    except CellError as problem:
        return isinstance(problem, AmbiguousDate)
    return True


def _status_header(table: Table, header: Header) -> str | None:
    """The header of a column not read that holds only statuses, whatever it
    is called ("Emp status", "State"): words like Active, Terminated, Leaver
    or On leave under any header, and single letters or Y/N under a header
    that speaks of a status or being active ("Active?")."""
    heads = table.rows[header.position][1]
    used = set(header.columns.values())
    rows = [row for _, row in table.rows[header.position + 1 :]]
    for position, head in enumerate(heads):
        if position in used or not isinstance(head, str) or not text_key(head):
            continue
        values = [row[position] if position < len(row) else None for row in rows]
        keys = {text_key(v) for v in values if isinstance(v, str) and not is_blank(v)}
        if not keys or any(not isinstance(v, str) for v in values if not is_blank(v)):
            continue
        if not all(key in STATUS_INDEX for key in keys):
            continue
        words = any(len(key) > 1 and key not in _YES_NO for key in keys)
        if words or _STATUS_HEADER.search(head):
            return head
    return None


def as_roster_table(table: Table) -> tuple[Table, Issue | None]:
    """The table with a roster header written over two rows made one row, and a
    warning saying so (see `table.one_header_row`)."""
    return one_header_row(
        table,
        lambda cells: find_roster(Table(table.name, ((1, tuple(cells)),))) is not None,
        HEADER_INDEX,
    )


def read_roster_date(value: Cell, order: DateOrder = UNDECIDED_DATES) -> date:
    """A date from a roster cell, by the file's day-month `order`; a fiscal
    period such as 202606 is not one."""
    text = ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = clean_text(read_text(value))  # 202606.0 is written 202606
    match = _FISCAL_PERIOD.fullmatch(text)
    if match:
        raise CellError(
            f"is {text}, which looks like a fiscal period (year {match['year']}, "
            f"period {match['period']}), not a date; write the date itself, like "
            f"{match['year']}-{min(int(match['period']), 12):02d}-01"
        )
    return read_date(value, order=order)


def read_roster(
    table: Table, baseline: pd.Period | None, quarters: int
) -> tuple[Headcount | None, list[Issue]]:
    """Headcount per quarter from a roster, from the baseline for up to `quarters`.

    With no baseline, the quarter the roster was taken in is the baseline
    (see the module's docstring), and a warning says so. Quarters after the
    roster's latest date are left out, with a warning. None, with the reasons, when the
    table is not a roster or any row has an error.
    """
    headcount, issues, _ = read_roster_people(table, baseline, quarters)
    return headcount, issues


def read_roster_people(
    table: Table,
    baseline: pd.Period | None,
    quarters: int,
    day_first: bool | None = None,
) -> tuple[Headcount | None, list[Issue], int]:
    """`read_roster`, and how many people the roster lists (0 when it has errors).

    `day_first` is the user's day-month order for the file's text dates.
    """
    return read_roster_sheets([table], baseline, quarters, day_first)


@dataclass(frozen=True)
class _SheetPeople:
    """The people one sheet of a roster lists, by row, and what was found."""

    sheet: str
    header: Header | None
    people: dict[int, tuple[str, date, date | None]]
    issues: list[Issue]
    persons: int
    ids: dict[int, str] = field(default_factory=dict)  # row -> person ID
    names: dict[int, str] = field(default_factory=dict)  # row -> name
    as_of: tuple[date, int, str] | None = None  # a title's date, its row and text
    kinds: dict[tuple[str, str], int] = field(default_factory=dict)  # rows a word


def _sheet_people(table: Table, day_first: bool | None, today: date) -> _SheetPeople:
    """The people on one roster sheet, with every problem found."""
    table, joined = as_roster_table(table)
    header = find_roster(table)
    if header is None:
        problem = error(
            f"{table.name} is not a roster: it needs a header row with an "
            "Employee ID or Name, a Worker type and a Start date column.",
            sheet=table.name,
        )
        return _SheetPeople(table.name, None, {}, [problem], 0)
    issues: list[Issue] = [*([joined] if joined else []), *header.issues]
    issues.extend(_unread_statuses(table, header))
    issues.extend(_unread_dates(table, header))
    order, found = decide_date_order(_date_cells(table, header), day_first)
    issues.extend(found)
    issues.extend(_unread_effective(table, header))
    issues.extend(_unread_amounts(table, header))
    people, rows_read, persons, notes = _people(table, header, order, issues, today)
    hidden = hidden_rows_warning(table, rows_read)
    if hidden is not None:
        issues.append(hidden)
    if not people and not any(i.severity is Severity.ERROR for i in issues):
        issues.append(
            error(
                f"{table.name} has a roster header in row {header.row_number} but no "
                "people below it.",
                sheet=table.name,
                row=header.row_number,
            )
        )
    return _SheetPeople(
        table.name,
        header,
        people,
        issues,
        persons,
        notes.id_of_row,
        notes.name_of_row,
        _as_of(table, header),
        notes.kinds,
    )


def read_roster_sheets(
    tables: Sequence[Table],
    baseline: pd.Period | None,
    quarters: int,
    day_first: bool | None = None,
    today: date | None = None,
) -> tuple[Headcount | None, list[Issue], int]:
    """`read_roster_people` over a roster split across sheets with the same
    columns ("Employees" and "Contractors"): everyone on them counted together.

    `today` tells events that happened from planned ones (default: the date).
    """
    today = today or date.today()
    sheets = [_sheet_people(table, day_first, today) for table in tables]
    issues = [issue for found in sheets for issue in found.issues]
    if any(issue.severity is Severity.ERROR for issue in issues):
        return None, issues, 0
    across, rehired = _ids_across(sheets)
    issues.extend(across)
    issues.extend(_names_across(sheets))
    if any(issue.severity is Severity.ERROR for issue in across):
        return None, issues, 0
    where = sheets[0].sheet if len(sheets) == 1 else None
    persons = sum(found.persons for found in sheets) - rehired
    people = [person for found in sheets for person in found.people.values()]

    latest_sheet, latest_row, latest = max(
        (
            (found, row, person[1])
            for found in sheets
            for row, person in found.people.items()
        ),
        key=lambda x: x[2],
    )
    last_quarter = pd.Period(latest, freq="Q")
    issues.extend(_worker_types(sheets))
    if baseline is None:
        baseline, said = _known_baseline(
            sheets, (latest_sheet, latest_row, latest), today, where is None
        )
        last_quarter = max(last_quarter, baseline)
        issues.append(said)
    wanted = [baseline + offset for offset in range(max(quarters, 1))]
    covered = [quarter for quarter in wanted if quarter <= last_quarter]
    if not covered:
        covered = [baseline]
    if len(covered) < len(wanted) and quarters > 1:
        issues.append(
            warning(
                f"The roster's latest "
                f"{'start ' if last_quarter == pd.Period(latest, freq='Q') else ''}"
                f"date is in {quarter_label(last_quarter)}, "
                f"so headcount is given for {quarter_label(covered[0])} to "
                f"{quarter_label(covered[-1])} ({len(covered)} quarters), not the "
                f"{quarters} asked for: after it the roster knows of no hires.",
                sheet=where,
            )
        )
    rows = [_count(quarter, people) for quarter in covered]
    first = rows[0]
    if first.employees == 0 and first.contingent == 0:
        issues.append(
            error(
                f"No one on the roster is on the books on the last day of "
                f"{first.quarter}, the baseline, so there is nothing to divide the "
                "cost by. Check the start dates, or choose a later baseline.",
                sheet=where,
            )
        )
        return None, issues, 0
    return Headcount(rows=tuple(rows)), issues, persons


# A title that dates the report: "Headcount report as of 30 Nov 2026".
_AS_OF = re.compile(r"\bas\s+(?:of|at|on)\b[\s:]*(?P<date>.+?)[\s.)]*$", re.I)
# Worker types so plain that how they were read goes without saying.
_PLAIN_TYPES = {
    text_key(word)
    for word in ("Employee", "Employees", "Contingent", "Contractor", "Contractors")
}
# Headers of a column of money, which a roster does not read.
_AMOUNT_HEADER = re.compile(
    r"\b(?:costs?|amount|rate|salar(?:y|ies)|fees?|price|spend|budget|pay|wages?|"
    r"charges?)\b",
    re.IGNORECASE,
)


def _as_of(table: Table, header: Header) -> tuple[date, int, str] | None:
    """The date of a title above the header that says when the roster was
    taken, its row and its text; None when no title says."""
    for row_number, cells in table.rows[: header.position]:
        for cell in cells:
            if not isinstance(cell, str):
                continue
            match = _AS_OF.search(clean_text(cell))
            if match is None:
                continue
            try:
                return read_date(match["date"]), row_number, clean_text(cell)
            except CellError:
                continue
    return None


def _unread_amounts(table: Table, header: Header) -> list[Issue]:
    """A warning for each column not read whose header names money and that
    holds numbers: a roster gives headcount only, so its amounts are lost."""
    heads = table.rows[header.position][1]
    used = set(header.columns.values())
    rows = [row for _, row in table.rows[header.position + 1 :]]
    found = []
    for position, head in enumerate(heads):
        if position in used or not isinstance(head, str):
            continue
        if not _AMOUNT_HEADER.search(clean_text(head)):
            continue
        values = [row[position] if position < len(row) else None for row in rows]
        values = [value for value in values if not is_blank(value)]
        numbers = [
            value
            for value in values
            if isinstance(value, int | float) and not isinstance(value, bool)
        ]
        if not numbers or len(numbers) * 2 < len(values):
            continue
        label = column_label(clean_text(head), position)
        found.append(
            warning(
                f"{label} was not read: this file was read as an HR roster, which "
                f"gives headcount only, so its amounts (total {sum(numbers):,.2f} "
                f"over {_count_of(len(numbers), 'row')}) are not in the cost base. "
                "To use the costs, upload them as a cost list, for example with "
                f"columns Item and {clean_text(head)}.",
                sheet=table.name,
                row=header.row_number,
                column=label,
            )
        )
    return found


def _worker_types(sheets: Sequence[_SheetPeople]) -> list[Issue]:
    """A warning saying how each worker type was read, when any is more than
    the plain Employee or Contractor."""
    rows_of: dict[tuple[str, str], int] = {}
    for found in sheets:
        for word, rows in found.kinds.items():
            rows_of[word] = rows_of.get(word, 0) + rows
    if all(text_key(word) in _PLAIN_TYPES for word, _ in rows_of):
        return []
    said = []
    for kind, shown in ((EMPLOYEE, "employees"), (CONTINGENT, "contingent workers")):
        words = [
            f"{word} ({_count_of(rows, 'row')})"
            for (word, of), rows in sorted(
                rows_of.items(), key=lambda item: item[0][0].casefold()
            )
            if of == kind
        ]
        if words:
            said.append(f"as {shown}: {listing(words, limit=len(words))}")
    return [
        warning(
            f"The worker types were read {'; '.join(said)}. Contingent workers "
            "(contractors, temps, interns, fixed-term staff) are counted apart from "
            "employees; if a type is read the wrong way, write Employee or "
            "Contractor in its rows.",
            sheet=sheets[0].sheet if len(sheets) == 1 else None,
        )
    ]


def _known_baseline(
    sheets: Sequence[_SheetPeople],
    latest_start: tuple[_SheetPeople, int, date],
    today: date,
    many: bool,
) -> tuple[pd.Period, Issue]:
    """The quarter a roster given no baseline is counted in, and a warning
    saying why: a title's as-of date, or else the latest start or end date
    not after today; the leavers that puts out of the count are named."""
    start_sheet, start_row, start = latest_start

    def where(found: _SheetPeople, row: int) -> str:
        return f"{found.sheet} row {row}" if many else f"row {row}"

    titled = next(
        ((found, found.as_of) for found in sheets if found.as_of is not None), None
    )
    ends = [
        (person[2], found, row)
        for found in sheets
        for row, person in found.people.items()
        if person[2] is not None and person[2] <= today
    ]
    assert start_sheet.header is not None
    column = start_sheet.header.label("start")
    if titled is not None:
        found, (day, row, text) = titled
        baseline = pd.Period(day, freq="Q")
        sheet, at = found.sheet, row
        why = f"the quarter of the date in its title ('{text}', {where(found, row)})"
        column = None
    elif ends and pd.Period(max(ends, key=lambda end: end[0])[0], freq="Q") > (
        pd.Period(start, freq="Q")
    ):
        day, found, row = max(ends, key=lambda end: end[0])
        baseline = pd.Period(day, freq="Q")
        sheet, at = found.sheet, row
        assert found.header is not None
        column = found.header.label("end")
        why = (
            f"the quarter of the latest date it records, an end date "
            f"({day.isoformat()}, {where(found, row)}), later than its latest "
            f"start date ({start.isoformat()}, {where(start_sheet, start_row)})"
        )
    else:
        baseline = pd.Period(start, freq="Q")
        sheet, at = start_sheet.sheet, start_row
        why = (
            f"the quarter of its latest start date ({start.isoformat()}, "
            f"{where(start_sheet, start_row)})"
        )
    message = (
        f"The roster's baseline is {quarter_label(baseline)}, {why}; headcount is "
        "counted on the quarter's last day."
    )
    # The people counted by the quarter of the latest start, who left before
    # the last day of the baseline: the count leaves them out.
    since = pd.Period(start, freq="Q").end_time.date()
    last_day = baseline.end_time.date()
    leavers = sorted(
        (person[2], found, row)
        for found in sheets
        for row, person in found.people.items()
        if person[2] is not None and since <= person[2] < last_day
    )
    if leavers:
        shown = [
            _leaver(found, row, end, where(found, row)) for end, found, row in leavers
        ]
        message += (
            f" {_count_of(len(leavers), 'leaver')} after the latest start date "
            f"{'is' if len(leavers) == 1 else 'are'} not counted, having left by "
            f"then: {listing(shown, limit=_SHOWN_LEAVERS)}."
        )
    return baseline, warning(message, sheet=sheet, row=at, column=column)


_SHOWN_LEAVERS = 5


def _leaver(found: _SheetPeople, row: int, end: date, where: str) -> str:
    """A leaver by name and ID, as far as the roster gives them."""
    name, key = found.names.get(row), found.ids.get(row)
    place = f"{where}, left {end.isoformat()}"
    if name and key:
        return f"{name} (ID {key}, {place})"
    return f"{name or f'ID {key}'} ({place})"


def _ids_across(sheets: Sequence[_SheetPeople]) -> tuple[list[Issue], int]:
    """The same ID on two sheets, as on two rows of one (see `_repeated_ids`):
    periods that overlap are an error naming both sheets and the IDs, since
    the person would be counted twice; periods that do not are one person
    employed more than once (a contractor taken on as an employee), counted
    once on each day. Also how many people fewer the sheets list than their
    counts add up to."""
    periods_of: dict[str, list[tuple[date, date, int, int]]] = {}
    for index, found in enumerate(sheets):
        for row, key in found.ids.items():
            if row in found.people:
                _, start, end = found.people[row]
                periods_of.setdefault(key.casefold(), []).append(
                    (start, end or date.max, index, row)
                )
    clashes: dict[tuple[int, int], list[tuple[str, tuple, tuple]]] = {}
    again: dict[tuple[int, int], list[str]] = {}
    rehired = 0
    for periods in periods_of.values():
        on = sorted({index for _, _, index, _ in periods})
        if len(on) < 2:
            continue
        periods.sort()
        clash = next(
            (
                (earlier, later)
                for earlier, later in itertools.pairwise(periods)
                if later[0] <= earlier[1] and later[2] != earlier[2]
            ),
            None,
        )
        if clash is None:
            rehired += len(on) - 1
            again.setdefault((on[0], on[1]), []).append(
                sheets[periods[0][2]].ids[periods[0][3]]
            )
            continue
        first, second = sorted(clash, key=lambda period: period[2])
        shown = sheets[first[2]].ids[first[3]]
        clashes.setdefault((first[2], second[2]), []).append((shown, first, second))
    found: list[Issue] = []
    for (one, other), listed in clashes.items():
        a, b = sheets[one], sheets[other]
        assert a.header is not None and b.header is not None
        shown, (start, end, _, row), (again_start, _, _, again_row) = listed[0]
        still = "still here" if end == date.max else f"to {end.isoformat()}"
        many = len(listed) > 1
        found.append(
            error(
                f"{a.header.label('person_id')} "
                f"{listing([key for key, _, _ in listed])} on sheet {a.sheet} "
                f"{'are' if many else 'is'} also on sheet {b.sheet}, for periods "
                f"that overlap (ID {shown}: {a.sheet} row {row}, from "
                f"{start.isoformat()}, {still}; {b.sheet} row {again_row}, from "
                f"{again_start.isoformat()}), so "
                f"{'those people' if many else 'that person'} would be counted "
                f"twice. If {b.sheet} repeats people of {a.sheet}, delete the "
                "repeated rows; if they are different people, give them different "
                "IDs; otherwise correct the dates.",
                b.sheet,
                again_row,
                b.header.label("person_id"),
            )
        )
    for (one, other), keys in again.items():
        a, b = sheets[one], sheets[other]
        assert a.header is not None
        many = len(keys) > 1
        found.append(
            warning(
                f"{a.header.label('person_id')} {listing(keys)} "
                f"{'are' if many else 'is'} on sheets {a.sheet} and {b.sheet}, for "
                "periods that do not overlap: "
                f"{'people' if many else 'a person'} employed more than once (a "
                "contractor taken on as an employee, say), counted once on each "
                "day employed.",
                a.sheet,
                None,
                a.header.label("person_id"),
            )
        )
    return found, rehired


def partial_roster(table: Table) -> tuple[Header, tuple[str, ...], int] | None:
    """A sheet that looks like part of a roster, an ID or name column beside
    a start date (or a worker type), but lacks a column every roster needs:
    its header, the fields it lacks and how many rows it lists. None for a
    whole roster and for any other sheet."""
    table = as_roster_table(table)[0]
    for required in (("start",), ("worker_type",)):
        header = find_header(
            table, _roster_index(table), HEADERS, required, warn_unknown=False
        )
        if not isinstance(header, Header):
            continue
        if "person_id" not in header.columns and "name" not in header.columns:
            continue
        lacks = tuple(name for name in REQUIRED_COLUMNS if name not in header.columns)
        if not lacks:
            return None
        rows = sum(
            not row_is_blank(cells) for _, cells in table.rows[header.position + 1 :]
        )
        return header, lacks, rows
    return None


def typed_by_sheet_name(table: Table) -> tuple[Table, Issue] | None:
    """A roster sheet with no worker type column, named for one ("Employees",
    "Contractors"): the table with a Worker type column holding the sheet's
    name on every row, and a warning saying so. None for any other sheet."""
    try:
        kind = read_worker_type(table.name)
    except CellError:
        return None
    joined = as_roster_table(table)[0]
    partial = partial_roster(joined)
    if partial is None or partial[1] != ("worker_type",):
        return None
    header, _, people = partial
    width = max(len(cells) for _, cells in joined.rows)
    rows = []
    for position, (row_number, cells) in enumerate(joined.rows):
        padded = (*cells, *[None] * (width - len(cells)))
        if position == header.position:
            padded = (*padded, HEADERS["worker_type"])
        elif position > header.position and not row_is_blank(cells):
            padded = (*padded, table.name)
        rows.append((row_number, padded))
    shown = "employees" if kind == EMPLOYEE else "contingent workers"
    said = warning(
        f"{table.name} has no worker type column, so "
        f"{'its 1 row was' if people == 1 else f'its {people:,} rows were'} read "
        f"as {shown}, as the sheet's name "
        "says. If some of them are not, add a Worker type column with Employee or "
        "Contractor for each person.",
        sheet=table.name,
        row=header.row_number,
    )
    return dataclasses.replace(joined, rows=tuple(rows)), said


def roster_fields(table: Table) -> frozenset[str] | None:
    """The fields a roster sheet's header names, or None if it is not a roster."""
    header = find_roster(as_roster_table(table)[0])
    return None if header is None else frozenset(header.columns)


def _count(
    quarter: pd.Period, people: Sequence[tuple[str, date, date | None]]
) -> HeadcountRow:
    """People on the books on the quarter's last day, employees and contingent."""
    last_day = quarter.end_time.date()
    counts = {EMPLOYEE: 0, CONTINGENT: 0}
    for kind, start, end in people:
        if start <= last_day and (end is None or end >= last_day):
            counts[kind] += 1
    return HeadcountRow(
        quarter=quarter_label(quarter),
        employees=counts[EMPLOYEE],
        contingent=counts[CONTINGENT],
    )


def _date_cells(table: Table, header: Header) -> list[DateCell]:
    """The text dates with the year last in the start and end columns, for the
    file's day-month order."""
    found = []
    for name in ("start", "rehire", "end", "effective"):
        if name not in header.columns:
            continue
        label = header.label(name)
        for row_number, cells in table.rows[header.position + 1 :]:
            cell = header.cell(cells, name)
            if isinstance(cell, str) and is_year_last_date(cell):
                found.append(DateCell(cell, table.name, row_number, label))
    return found


@dataclass
class _Notes:
    """What the rows said that the user should know, gathered for one warning
    each: end dates that say the person is still here, people on leave,
    empty statuses, and the rows of each ID."""

    still_here: list[int] = field(default_factory=list)
    effective_end: list[int] = field(default_factory=list)  # left on that day
    name_of_row: dict[int, str] = field(default_factory=dict)  # with no ID column
    rehired: list[int] = field(default_factory=list)
    earlier_end: list[int] = field(default_factory=list)
    on_leave: list[int] = field(default_factory=list)
    no_status: list[int] = field(default_factory=list)
    rows_of_id: dict[str, list[int]] = field(default_factory=dict)
    id_of_row: dict[int, str] = field(default_factory=dict)
    # (worker type as written, EMPLOYEE or CONTINGENT) -> rows
    kinds: dict[tuple[str, str], int] = field(default_factory=dict)
    # Rows whose status says still here though the end date is past:
    # (row, start, end, status as written).
    active_ended: list[tuple[int, date, date, str]] = field(default_factory=list)


def _people(
    table: Table, header: Header, order: DateOrder, issues: list[Issue], today: date
) -> tuple[dict[int, tuple[str, date, date | None]], list[int], int, _Notes]:
    """Each readable person by row: (worker type, start, end), the rows read,
    how many people they are (a rehire's rows are one) and what the rows said
    (the ID and name of each row among it); problems to issues."""
    people: dict[int, tuple[str, date, date | None]] = {}
    rows_read: list[int] = []
    key_field = "person_id" if "person_id" in header.columns else "name"
    first_row_of: dict[str, int] = {}
    notes = _Notes()
    for row_number, cells in table.rows[header.position + 1 :]:
        if row_is_blank(cells):
            continue
        texts = [clean_text(cell) for cell in cells if isinstance(cell, str)]
        if any(TOTAL_ROW.search(text) for text in texts):
            issues.append(
                warning(
                    "This looks like a total row, so it was not counted as a person.",
                    sheet=table.name,
                    row=row_number,
                )
            )
            continue
        rows_read.append(row_number)
        person = _person(
            header,
            row_number,
            cells,
            key_field,
            first_row_of,
            (order, today),
            issues,
            notes,
        )
        if person is not None:
            people[row_number] = person
    issues.extend(_repeated_ids(header, people, notes))
    issues.extend(_notes(header, notes))
    rehired = sum(len(rows) - 1 for rows in notes.rows_of_id.values())
    return people, rows_read, len(people) - rehired, notes


def _repeated_ids(
    header: Header,
    people: dict[int, tuple[str, date, date | None]],
    notes: _Notes,
) -> list[Issue]:
    """An ID on several rows is one person employed more than once (a rehire)
    when the periods do not overlap, counted once on any day; periods that
    overlap are an error naming both rows."""
    found: list[Issue] = []
    label = header.label("person_id")
    for rows in notes.rows_of_id.values():
        periods = sorted(
            (people[row][1], people[row][2] or date.max, row)
            for row in rows
            if row in people
        )
        if len(rows) < 2 or len(periods) < len(rows):
            continue
        clash = next(
            (
                (earlier, later)
                for earlier, later in itertools.pairwise(periods)
                if later[0] <= earlier[1]
            ),
            None,
        )
        if clash is not None:
            (start, end, first), (again, _, row) = clash
            shown = "still here" if end == date.max else f"to {end.isoformat()}"
            found.append(
                error(
                    f"{label} is {notes.id_of_row[row]}, which is also the ID in row "
                    f"{first} "
                    f"(from {start.isoformat()}, {shown}); this row starts on "
                    f"{again.isoformat()}, before that period ends, so one person "
                    "would be counted twice. Correct the dates, or the ID if these "
                    "are two people.",
                    header.sheet,
                    row,
                    label,
                )
            )
            continue
        found.append(
            warning(
                f"{notes.id_of_row[periods[0][2]]} is on rows "
                f"{listing([str(r) for _, _, r in periods])}, for "
                "periods that do not overlap: a person employed more than once, "
                "counted once on each day employed.",
                header.sheet,
                periods[0][2],
                label,
            )
        )
    return found


def _notes(header: Header, notes: _Notes) -> list[Issue]:
    """One warning for each thing the rows said that the user should know."""
    found = []
    said = (
        (
            notes.still_here,
            "end",
            "says the person is still here (a dash, Present, N/A or Current) in "
            "{rows}; {who} counted as still employed. Leave the cell empty to say so.",
        ),
        (
            notes.on_leave,
            "status",
            "says on leave in {rows}; {who} counted: people on leave keep their "
            "laptop, accounts and licences.",
        ),
        (
            notes.no_status,
            "status",
            "is empty in {rows}; {who} counted by the start and end dates alone.",
        ),
    )
    if notes.effective_end:
        many = len(notes.effective_end) > 1
        end = (
            f"{header.label('end')} is empty"
            if "end" in header.columns
            else "the roster has no End date column"
        )
        found.append(
            warning(
                f"{header.label('effective')} was read as the date of each row's "
                f"{header.label('status')}: for the people who left "
                f"({_rows(notes.effective_end)}) it is taken as the last day on the "
                f"books, since {end}. "
                f"{'They are' if many else 'The person is'} counted up to that day. "
                f"If {header.label('effective')} is another date, write each "
                "leaver's last day in an End date column.",
                header.sheet,
                notes.effective_end[0] if not many else None,
                header.label("effective"),
            )
        )
    if notes.rehired:
        start = header.label("start")
        found.append(
            warning(
                f"{header.label('rehire')} is filled in {_rows(notes.rehired)}, so "
                f"{'those people are' if len(notes.rehired) > 1 else 'that person is'}"
                f" counted from the rehire date, not from {start}: a rehire starts "
                "the employment the end date closes, and the roster does not say "
                "when the earlier one ended, so quarters before the rehire do not "
                "count them. If they were on the books throughout, clear the "
                "rehire date.",
                header.sheet,
                notes.rehired[0] if len(notes.rehired) == 1 else None,
                header.label("rehire"),
            )
        )
    if notes.earlier_end:
        many = len(notes.earlier_end) > 1
        found.append(
            warning(
                f"{header.label('end')} is before {header.label('rehire')} in "
                f"{_rows(notes.earlier_end)}, so it was read as the end of the "
                "earlier employment: "
                f"{'those people are' if many else 'that person is'} counted "
                "as on the books again since the rehire date. If "
                f"{'they have' if many else 'the person has'} left since, write "
                "the later end date.",
                header.sheet,
                None if many else notes.earlier_end[0],
                header.label("end"),
            )
        )
    for row, start, end, status in notes.active_ended:
        found.append(
            warning(
                f"{header.label('status')} says {status} in row {row}, but "
                f"{header.label('end')} is {end.isoformat()} (start "
                f"{start.isoformat()}), a day already past. The end date was used: "
                "the person is counted up to it and not after. If the person is "
                "still here, clear the end date; if they left, correct the status.",
                header.sheet,
                row,
                header.label("end"),
            )
        )
    for rows, column, text in said:
        if not rows:
            continue
        who = "they were" if len(rows) > 1 else "the person was"
        found.append(
            warning(
                f"{header.label(column)} " + text.format(rows=_rows(rows), who=who),
                header.sheet,
                rows[0] if len(rows) == 1 else None,
                header.label(column),
            )
        )
    return found


def _rows(rows: Sequence[int]) -> str:
    return (
        f"row {rows[0]}"
        if len(rows) == 1
        else f"rows {listing([str(row) for row in rows])}"
    )


def _end_date(cell: Cell, order: DateOrder) -> date | None:
    """An end date; None for the text that says the person is still here; the
    text 9999-12-31 as the date cell 9999-12-31 is read."""
    if isinstance(cell, str):
        text = clean_text(cell)
        if text_key(text) in _STILL_HERE or text in ("-", "--", "–", "—"):
            return None
        if _YEAR_9999.fullmatch(text):
            return _OPEN_END
    return read_roster_date(cell, order)


def _person(
    header: Header,
    row_number: int,
    cells: Sequence[Cell],
    key_field: str,
    first_row_of: dict[str, int],
    order_today: tuple[DateOrder, date],
    issues: list[Issue],
    notes: _Notes,
) -> tuple[str, date, date | None] | None:
    order, today = order_today

    def problem(name: str, message: object) -> None:
        label = header.label(name)
        choice = DATES if isinstance(message, AmbiguousDate) else None
        issues.append(
            error(f"{label} {message}.", header.sheet, row_number, label, choice=choice)
        )

    failed = False
    key_cell = header.cell(cells, key_field)
    key = "" if is_blank(key_cell) else clean_text(read_text_or_blank(key_cell))
    if not key:
        problem(key_field, "is empty; every person needs one")
        failed = True
    elif key_field == "person_id":
        # An ID on several rows is checked once all are read (a rehire).
        notes.rows_of_id.setdefault(key.casefold(), []).append(row_number)
        notes.id_of_row[row_number] = key
    elif key.casefold() in first_row_of:
        first = first_row_of[key.casefold()]
        issues.append(
            warning(
                f"'{key}' is also the name in row {first}; both were counted. "
                "Delete the repeat if they are the same person.",
                header.sheet,
                row_number,
                header.label(key_field),
            )
        )
    else:
        first_row_of[key.casefold()] = row_number
    if key and key_field == "name":
        notes.name_of_row[row_number] = key
    elif "name" in header.columns:
        # Beside an ID, the name lets a sheet with no IDs be checked against it.
        name_cell = header.cell(cells, "name")
        if not is_blank(name_cell):
            notes.name_of_row[row_number] = clean_text(read_text_or_blank(name_cell))

    kind = None
    type_cell = header.cell(cells, "worker_type")
    if is_blank(type_cell):
        problem("worker_type", "is empty; write Employee or Contractor")
    else:
        try:
            kind = read_worker_type(type_cell)
        except CellError as exc:
            problem("worker_type", str(exc))
        else:
            word = (clean_text(read_text_or_blank(type_cell)), kind)
            notes.kinds[word] = notes.kinds.get(word, 0) + 1

    start = end = None
    start_cell = header.cell(cells, "start")
    if is_blank(start_cell):
        problem("start", "is empty; write the first day, like 2026-03-01")
    else:
        try:
            start = read_roster_date(start_cell, order)
        except CellError as exc:
            problem("start", exc)
    first_start = start
    rehire_cell = header.cell(cells, "rehire")
    if start is not None and not is_blank(rehire_cell):
        try:
            rehire = read_roster_date(rehire_cell, order)
        except CellError as exc:
            problem("rehire", exc)
            failed = True
        else:
            if rehire < start:
                problem(
                    "rehire",
                    f"is {rehire.isoformat()}, before {header.label('start')} "
                    f"{start.isoformat()}; correct one of the two",
                )
                failed = True
            elif rehire > start:
                notes.rehired.append(row_number)
                start = rehire
    end_cell = header.cell(cells, "end")
    if not is_blank(end_cell):
        try:
            end = _end_date(end_cell, order)
        except CellError as exc:
            problem("end", exc)
            failed = True
        else:
            if end is None:
                notes.still_here.append(row_number)
    if end is None and not failed and _left(header, cells):
        effective_cell = header.cell(cells, "effective")
        if not is_blank(effective_cell):
            try:
                end = read_roster_date(effective_cell, order)
            except CellError as exc:
                problem("effective", exc)
                failed = True
            else:
                notes.effective_end.append(row_number)
    if "status" in header.columns and not failed:
        failed = not _status(header, cells, row_number, end, issues, notes)
    if (
        first_start is not None
        and start is not None
        and end is not None
        and first_start <= end < start
    ):
        # The end date closes the earlier employment, before the rehire: the
        # person has been on the books again since the rehire date.
        notes.earlier_end.append(row_number)
        end = None
    status_text = _active_status(header, cells)
    if status_text and start is not None and end is not None and end < today:
        notes.active_ended.append((row_number, start, end, status_text))
    if start is not None and end is not None and end < start:
        problem(
            "end",
            f"is {end.isoformat()}, before the start date {start.isoformat()}; "
            "correct one of the two",
        )
        return None
    if failed or kind is None or start is None:
        return None
    return kind, start, end


def _active_status(header: Header, cells: Sequence[Cell]) -> str | None:
    """A row's Status as written when it says the person is still here."""
    if "status" not in header.columns:
        return None
    text = clean_text(read_text_or_blank(header.cell(cells, "status")))
    return text if STATUS_INDEX.get(text_key(text)) == ACTIVE else None


def _left(header: Header, cells: Sequence[Cell]) -> bool:
    """True when a row's Status or Action says the person has left."""
    if "status" not in header.columns or "effective" not in header.columns:
        return False
    text = clean_text(read_text_or_blank(header.cell(cells, "status")))
    return STATUS_INDEX.get(text_key(text)) == GONE


def _unread_effective(table: Table, header: Header) -> list[Issue]:
    """A warning for an Effective date with no Status or Action beside it to
    say what took effect on that day, so it cannot be read."""
    if "effective" not in header.columns or "status" in header.columns:
        return []
    label = header.label("effective")
    read = listing(
        [
            header.label(name)
            for name in ("start", "rehire", "end")
            if name in header.columns
        ]
    )
    return [
        warning(
            f"{label} was not read: an effective date is the day a change took "
            "effect (a hire, a leaving, a transfer), and the roster has no Status "
            "or Action column saying which change, so it cannot tell whether "
            f"anyone left on that day. People are counted by {read} only. If "
            f"{label} is the day people left, rename it End date; if HR's export "
            "has an Action or Status column (Hired, Terminated), include it.",
            sheet=table.name,
            row=header.row_number,
            column=label,
        )
    ]


def _names_across(sheets: Sequence[_SheetPeople]) -> list[Issue]:
    """A warning for a name on two sheets of a roster with no ID column, for
    periods that overlap: most likely one person counted twice (a contractor
    taken on as an employee whose contract row was not ended), but two people
    may share a name, so both are counted and the user is asked to tell."""
    periods_of: dict[str, list[tuple[date, date, int, int]]] = {}
    for index, found in enumerate(sheets):
        for row, name in found.names.items():
            if row in found.people:
                _, start, end = found.people[row]
                periods_of.setdefault(name.casefold(), []).append(
                    (start, end or date.max, index, row)
                )
    clashes: dict[tuple[int, int], list[tuple[str, tuple, tuple]]] = {}
    for periods in periods_of.values():
        periods.sort()
        clash = next(
            (
                (earlier, later)
                for earlier, later in itertools.combinations(periods, 2)
                if earlier[2] != later[2]
                and later[0] <= earlier[1]
                # IDs tell people apart where both sheets have them
                and not (sheets[earlier[2]].ids and sheets[later[2]].ids)
            ),
            None,
        )
        if clash is None:
            continue
        first, second = sorted(clash, key=lambda period: period[2])
        shown = sheets[first[2]].names[first[3]]
        clashes.setdefault((first[2], second[2]), []).append((shown, first, second))
    found: list[Issue] = []
    for (one, other), listed in clashes.items():
        a, b = sheets[one], sheets[other]
        assert a.header is not None and b.header is not None
        label = b.header.label("name")
        each = "; ".join(
            f"'{name}' ({a.sheet} row {row}, {_period(start, end)}; {b.sheet} row "
            f"{again_row}, {_period(again_start, again_end)})"
            for name, (start, end, _, row), (again_start, again_end, _, again_row) in (
                listed
            )
        )
        many = len(listed) > 1
        without = [sheet.sheet for sheet in (a, b) if not sheet.ids]
        lacking = "The roster has" if len(without) == 2 else f"{without[0]} has"
        add = (
            "add an Employee ID column to both sheets"
            if len(without) == 2
            else f"add their Employee IDs to {without[0]}"
        )
        found.append(
            warning(
                f"{_count_of(len(listed), 'name')} on sheet {a.sheet} "
                f"{'are' if many else 'is'} also on sheet {b.sheet}, for periods "
                f"that overlap: {each}. Both rows were counted, so if "
                f"{'they are the same people' if many else 'it is the same person'}"
                " (a contractor taken on as an employee, say), headcount is one "
                f"too many on each day both cover. {lacking} no Employee ID "
                "to tell one person from two people of the same name: if they are "
                "the same, end the earlier row the day before the later starts; "
                f"if they are different people, {add}.",
                b.sheet,
                listed[0][2][3] if not many else None,
                label,
            )
        )
    return found


def _period(start: date, end: date) -> str:
    still = "still here" if end == date.max else f"to {end.isoformat()}"
    return f"from {start.isoformat()}, {still}"


def _count_of(number: int, noun: str) -> str:
    return f"1 {noun}" if number == 1 else f"{number} {noun}s"


def _status(
    header: Header,
    cells: Sequence[Cell],
    row_number: int,
    end: date | None,
    issues: list[Issue],
    notes: _Notes,
) -> bool:
    """Check a person's Status against the end date; False when it is an error.

    A leaver (Terminated, Inactive, Leaver ...) without an end date is an
    error rather than left out: the roster cannot say which quarters the
    person was on the books, and leaving the person out of every quarter
    would make the earlier quarters' headcount silently wrong.
    """
    label = header.label("status")
    cell = header.cell(cells, "status")
    if is_blank(cell):
        notes.no_status.append(row_number)
        return True
    text = clean_text(read_text_or_blank(cell))
    status = STATUS_INDEX.get(text_key(text))
    if status is None:
        issues.append(
            error(
                f"{label} is {show(cell)}, which is not a status this reader knows; "
                "write Active, On leave, Terminated or Inactive (or leave it empty "
                "to count the person by the dates alone).",
                header.sheet,
                row_number,
                label,
            )
        )
        return False
    if status == GONE and end is None:
        end_label = header.label("end") if "end" in header.columns else None
        where = (
            f"{end_label} is empty"
            if end_label
            else "the roster has no End date column"
        )
        issues.append(
            error(
                f"{label} is {text} but {where}: the roster cannot say until when "
                "the person was on the books. Write the last day worked, or correct "
                "the status if the person is still here.",
                header.sheet,
                row_number,
                label,
            )
        )
        return False
    if status == ACTIVE and _ON_LEAVE.search(text):
        notes.on_leave.append(row_number)
    return True


def read_text_or_blank(cell: Cell) -> str:
    """A cell as text, or '' when it holds no value that reads as text."""
    try:
        return read_text(cell)
    except CellError:
        return ""
