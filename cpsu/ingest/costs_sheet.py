"""Reading the Costs sheet into a cost base, with every problem on every row.

Each row below the header is one cost line. Every cell is read on its own
and every problem is kept, so a user sees all that is wrong in one pass
rather than fixing one cell per upload. A line is built only when its row
has no errors, and the cost base only when no row has: a cost base missing
a line would give a CPSU that looks right and is not. Rows that would count
money twice (totals, subtotals) are skipped with a warning, and blank rows
with one warning for each gap. A section heading (a name and nothing else)
is kept in the Notes of each line below it, as "Section: Software". A sheet with
neither a Pool nor a Behaviour column is read as a cost list or a month
grid instead (see `lists.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TypeVar

from cpsu.costs import REQUIRED_FIELDS, Behaviour, CostBase, CostLine, Period, Tier
from cpsu.ingest import lists
from cpsu.ingest.cells import (
    DOUBTFUL_RATE,
    UNDECIDED,
    UNDECIDED_DATES,
    AmbiguousDate,
    CellError,
    Conventions,
    DateOrder,
    Rate,
    clean_text,
    currency_named,
    format_number,
    is_blank,
    is_year_last_date,
    parse_number_text,
    read_bool,
    read_count,
    read_date,
    read_money,
    read_rate,
    read_text,
)
from cpsu.ingest.choices import DATES, NO_CHOICES, ReadChoices
from cpsu.ingest.conventions import DateCell, NumberCell, decide_date_order
from cpsu.ingest.issues import Issue, Severity, column_letter, error, warning
from cpsu.ingest.table import (
    TOTAL_ROW,
    Cell,
    Header,
    Table,
    blank_gaps,
    filled_width,
    find_header,
    hidden_rows_warning,
    one_header_row,
    row_is_blank,
    two_row_header_hint,
)
from cpsu.ingest.vocabulary import (
    COST_HEADER_INDEX,
    COST_HEADERS,
    BillingCycle,
    billing_cycles_message,
    clean_header,
    cost_header_hint,
    header_scale,
    read_behaviour,
    read_billing,
    read_pool,
    read_tier,
    scale_effect,
    scale_note,
)

T = TypeVar("T")

# Each line's monthly cost at the baseline, given the whole workbook's
# headcount and service desk; None when they cannot cost the lines.
Costing = Callable[[Sequence[CostLine]], Sequence[float] | None]

REQUIRED_COLUMNS = ("item", "pool", "behaviour")

# The fields that hold numbers: money, and counts or sizes; escalation is a rate.
MONEY_FIELDS = ("amount", "unit_cost")
NUMBER_FIELDS = (
    *MONEY_FIELDS,
    "users_per_unit",
    "tickets_per_agent",
    "min_units",
    "life_months",
    "escalation",
)

_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


# What each field holds, for messages about a missing value.
_PRICE: dict[Behaviour, str] = {
    Behaviour.PER_USER: "the price per user per Period",
    Behaviour.STEP: "the price of one unit per Period",
    Behaviour.STAFFED: "the loaded cost of one agent per Period",
    Behaviour.PER_TICKET: "the price of one ticket",
}
_MEANING: dict[str, str] = {
    "users_per_unit": "the users one unit covers",
    "tier": "the tier whose tickets it works: Tier 1, Desktop or Tier 2",
    "tickets_per_agent": "the tickets one agent works a month",
    "life_months": "the useful life in months",
}


class _RowReader:
    """Reads the cells of one row, keeping every problem found."""

    def __init__(
        self,
        header: Header,
        row_number: int,
        cells: Sequence[Cell],
        conventions: Conventions,
        dates: DateOrder = UNDECIDED_DATES,
    ) -> None:
        self.header = header
        self.row_number = row_number
        self.cells = cells
        self.conventions = conventions
        self.dates = dates
        self.issues: list[Issue] = []
        self.failed: set[str] = set()
        self.heading: str | None = None  # set when the row is a section heading
        self.lines_above = 0  # cost lines read above this row
        self.cycle: BillingCycle | None = None  # Period said 'every 6 months'

    def raw(self, name: str) -> Cell:
        return self.header.cell(self.cells, name)

    def blank(self, name: str) -> bool:
        return is_blank(self.raw(name))

    def error(self, name: str, message: str, choice: str | None = None) -> None:
        self.failed.add(name)
        issue = self._issue(Severity.ERROR, name, message)
        self.issues.append(replace(issue, choice=choice))

    def warn(self, name: str, message: str) -> None:
        self.issues.append(self._issue(Severity.WARNING, name, message))

    def _issue(self, severity: Severity, name: str, message: str) -> Issue:
        label = self.header.label(name)
        return Issue(severity, message, self.header.sheet, self.row_number, label)

    def read(self, name: str, reader: Callable[[Cell], T]) -> T | None:
        """The field's value, or None when the cell is empty or cannot be read."""
        cell = self.raw(name)
        if is_blank(cell):
            return None
        try:
            return reader(cell)
        except CellError as problem:
            choice = DATES if isinstance(problem, AmbiguousDate) else None
            self.error(name, f"{self.header.label(name)} {problem}.", choice)
            return None

    def money(self, name: str) -> float | None:
        number = self.read(
            name, lambda cell: read_money(cell, conventions=self.conventions)
        )
        return None if number is None else number.value

    def count(self, name: str) -> float | None:
        number = self.read(
            name, lambda cell: read_count(cell, conventions=self.conventions)
        )
        return None if number is None else number.value

    def rate(self, name: str) -> Rate | None:
        return self.read(
            name, lambda cell: read_rate(cell, conventions=self.conventions)
        )

    def text(self, name: str) -> str:
        cell = self.raw(name)
        if is_blank(cell):
            return ""
        return self.read(name, read_text) or ""


def number_cells(table: Table) -> list[NumberCell]:
    """The text cells of the sheet's number columns, for the file's conventions."""
    table, _ = as_cost_table(table)
    header = _find_header(table)
    if isinstance(header, list):
        return lists.number_cells(table)
    found = [
        NumberCell(
            label,
            table.name,
            header.row_number,
            label,
            money=True,
            currency=currency,
        )
        for label, currency in _header_currencies(header)
    ]
    columns = [
        (header.columns[name], header.label(name), name in MONEY_FIELDS)
        for name in NUMBER_FIELDS
        if name in header.columns
    ]
    for row_number, cells in _line_rows(table, header):
        if _overlong(table, header, row_number, cells) or _is_total_row(
            cells, clean_text(_text_or_blank(header.cell(cells, "item")))
        ):
            continue
        for index, label, money in columns:
            cell = cells[index] if index < len(cells) else None
            if isinstance(cell, str) and not is_blank(cell):
                found.append(NumberCell(cell, table.name, row_number, label, money))
    return found


def _date_cells(table: Table, header: Header) -> list[DateCell]:
    """The In service dates written with the year last, for the sheet's
    day-month order."""
    if "in_service" not in header.columns:
        return []
    label = header.label("in_service")
    found = []
    for row_number, cells in _line_rows(table, header):
        cell = header.cell(cells, "in_service")
        if isinstance(cell, str) and is_year_last_date(cell):
            found.append(DateCell(cell, table.name, row_number, label))
    return found


def _header_currencies(header: Header) -> list[tuple[str, str]]:
    """The money columns whose header names a currency: (label, currency)."""
    named = []
    for name in MONEY_FIELDS:
        label = header.labels.get(name)
        currency = currency_named(label) if label else None
        if currency is not None:
            named.append((label, currency))
    return named


def _text_or_blank(cell: Cell) -> str:
    """A cell as text, or '' when it holds no value that reads as text."""
    try:
        return read_text(cell)
    except CellError:
        return ""


def _is_cost_header(cells: Sequence[Cell]) -> bool:
    """True when a row alone is the header of cost lines: canonical, or a list."""
    row = Table("row", ((1, tuple(cells)),))
    return isinstance(_find_header(row), Header) or lists.find_list(row) is not None


def as_cost_table(table: Table) -> tuple[Table, Issue | None]:
    """The table with a header of cost lines written over two rows made one row,
    and a warning saying so (see `table.one_header_row`)."""
    return one_header_row(table, _is_cost_header, COST_HEADER_INDEX)


def _find_header(table: Table) -> Header | list[Issue]:
    return find_header(
        table,
        COST_HEADER_INDEX,
        COST_HEADERS,
        REQUIRED_COLUMNS,
        hint={name: cost_header_hint(name) for name in REQUIRED_COLUMNS},
    )


def _line_rows(table: Table, header: Header) -> Iterator[tuple[int, Sequence[Cell]]]:
    """The rows below the header that hold anything."""
    for row_number, cells in table.rows[header.position + 1 :]:
        if not row_is_blank(cells):
            yield row_number, cells


def _overlong(
    table: Table, header: Header, row_number: int, cells: Sequence[Cell]
) -> Issue | None:
    """An error for a CSV row with more values than its header has columns."""
    return overlong_row(table, header.width, row_number, cells)


# Two values that read as one amount split at its thousands comma: '12' or
# '$12' (a sign, bracket or currency first), then one or more '000' groups,
# the last one with its decimals.
_AMOUNT_START = re.compile(r"[-(]?\s*[$£€¥]?\s*\d{1,3}")
_THOUSANDS_GROUP = re.compile(r"\d{3}")
_LAST_GROUP = re.compile(r"\d{3}(?:\.\d+)?\)?")


def overlong_row(
    table: Table, columns: int, row_number: int, cells: Sequence[Cell]
) -> Issue | None:
    """An error for a CSV row with more values than its header's `columns`.

    Such a row has been split where a value held the delimiter (1,234.50 in a
    comma-separated file), so every cell after it has moved one column right
    and no cell of the row can be trusted. When two neighbouring values join
    into an amount with a thousands comma ('12' and '000'), the error says so.
    Blank values at the end of a row (a trailing comma) are not counted.
    """
    if table.delimiter is None:
        return None
    values = filled_width(cells)
    if values <= columns:
        return None
    name = _DELIMITER_NAMES.get(table.delimiter, repr(table.delimiter))
    joined = ""
    if table.delimiter == ",":
        joined = _joined_amount(cells)
        advice = (
            'A number with a comma, like 1,234.50, must be in quotes ("1,234.50") '
            "or written without the comma (1234.50), and so must text with a comma."
        )
        if joined:
            advice += (
                " Or open the file in Excel and save it again as CSV, which puts "
                "such values in quotes."
            )
    else:
        advice = f"A value with a {name} in it must be in quotes."
    return error(
        f"This row has {values} values for {columns} columns, so its values do not "
        f"line up with the header and the row was not read.{joined} {advice}",
        sheet=table.name,
        row=row_number,
    )


def _joined_amount(cells: Sequence[Cell]) -> str:
    """' '12' and '000' in columns B and C look like one amount, 12,000, ...'
    for the first values of a row that join into an amount, or ''."""
    texts = [cell.strip() if isinstance(cell, str) else "" for cell in cells]
    for first, text in enumerate(texts):
        if not _AMOUNT_START.fullmatch(text):
            continue
        last = first
        while last + 1 < len(texts) and _LAST_GROUP.fullmatch(texts[last + 1]):
            last += 1
            if not _THOUSANDS_GROUP.fullmatch(texts[last]):
                break  # decimals or a bracket end the amount
        if last > first:
            parts = texts[first : last + 1]
            quoted = [repr(part) for part in parts]
            shown = ", ".join(quoted[:-1]) + " and " + quoted[-1]
            joiner = " and " if last - first == 1 else " to "
            where = column_letter(first) + joiner + column_letter(last)
            commas = "commas" if last - first > 1 else "comma"
            return (
                f" {shown} in columns {where} look like one amount, "
                f"{','.join(parts)}, split at its thousands {commas}."
            )
    return ""


# An item name longer than this is refused: product and service names, even
# with an edition and a contract number, run to a hundred or two characters,
# and a GL description field holds at most 240 (Oracle; SAP's 50).
MAX_ITEM_CHARACTERS = 500


def long_item_name(
    table: Table, row_number: int, cell: Cell, column: str
) -> Issue | None:
    """An error for an item name longer than any line's name needs to be."""
    if not isinstance(cell, str) or len(cell) <= MAX_ITEM_CHARACTERS:
        return None
    return error(
        f"{column} holds a name of {len(cell):,} characters; a line's name can be "
        f"at most {MAX_ITEM_CHARACTERS:,}, so the row was not read. Shorten the name "
        "(put details in a Notes column).",
        sheet=table.name,
        row=row_number,
        column=column,
    )


def _list_rows_checked(table: Table) -> list[Issue]:
    """Errors for the rows of a cost list that must not be read as they are:
    a CSV row with more values than the list's header (each table's own, when
    the sheet holds two), an item name too long.
    """
    found: list[Issue] = []
    for part, layout in lists.list_parts(table):
        columns = filled_width(part.rows[layout.position][1])
        label = layout.labels.get(layout.item, f"Column {column_letter(layout.item)}")
        for row_number, cells in part.rows[layout.position + 1 :]:
            problem = overlong_row(part, columns, row_number, cells)
            if problem is None:
                problem = _split_into_text(part, layout, row_number, cells)
            if problem is None and layout.item < len(cells):
                problem = long_item_name(part, row_number, cells[layout.item], label)
            if problem is not None:
                found.append(problem)
    return found


def _split_into_text(
    table: Table, layout: lists.ListLayout, row_number: int, cells: Sequence[Cell]
) -> Issue | None:
    """An error for a comma CSV row whose amount was split at its thousands
    comma into the text column beside it ('12' as the amount, '000' as the
    Notes): the row has no more values than the header, so only the text
    column holding a group of three digits tells."""
    if table.delimiter != ",":
        return None
    money = {layout.amount, *layout.amounts, *layout.totals} - {None}
    for text_column in (layout.notes, layout.vendor, layout.category):
        if text_column is None or text_column - 1 not in money:
            continue
        texts = [
            cell.strip() if isinstance(cell, str) else ""
            for cell in cells[text_column - 1 : text_column + 1]
        ]
        if len(texts) < 2 or not _THOUSANDS_GROUP.fullmatch(texts[1]):
            continue
        joined = (
            _joined_amount(["" for _ in range(text_column - 1)] + texts)
            if _AMOUNT_START.fullmatch(texts[0])
            else ""
        )
        if not joined:
            continue
        return error(
            f"This row's amount looks split at its thousands comma:{joined} The row "
            "was not read. A number with a comma, like 12,000, must be in quotes "
            '("12,000") or written without the comma (12000); or open the file in '
            "Excel and save it again as CSV, which puts such values in quotes.",
            sheet=table.name,
            row=row_number,
        )
    return None


def read_costs(
    table: Table,
    *,
    conventions: Conventions = UNDECIDED,
    choices: ReadChoices = NO_CHOICES,
    costing: Costing | None = None,
) -> tuple[CostBase | None, list[Issue]]:
    """The cost base on a Costs sheet (or CSV), and every problem found.

    Text numbers are read by the file's `conventions`. The cost base is None
    when any row has an error. `costing` gives each line's baseline monthly
    cost, so that a row totalling lines costed by users or tickets is told;
    without it only Fixed and Depreciation lines can be added up.
    """
    table, joined = as_cost_table(table)
    first = [joined] if joined is not None else []
    header = _find_header(table)
    if isinstance(header, list):
        # A sheet without Pool and Behaviour may be a cost list or a budget grid.
        found = lists.read_cost_list(
            table, conventions=conventions, period=choices.period
        )
        if found is None:
            hint = two_row_header_hint(table)
            return None, [*header, *([hint] if hint is not None else [])]
        refused = _list_rows_checked(table)
        if refused:
            return None, [*first, *refused, *found[1]]
        return found[0], [*first, *found[1]]

    issues = [*first, *header.issues]
    for label, currency in _header_currencies(header):
        try:
            conventions.check_currency(currency)
        except CellError as problem:
            issues.append(
                error(f"{label} {problem}.", table.name, header.row_number, label)
            )
    lines: list[CostLine] = []
    rows_read: list[int] = []
    first_row_of: dict[str, int] = {}
    section: str | None = None
    scales, note_rows, said = _money_scales(table, header)
    issues.extend(said)
    below = table.rows[header.position + 1 :]
    issues.extend(
        blank_gaps(table.name, [row for row in below if row[0] not in note_rows])
    )
    dates, found = decide_date_order(_date_cells(table, header), choices.day_first)
    issues.extend(found)
    amounts = tuple(
        header.columns[name] for name in ("amount",) if name in header.columns
    )
    summaries = lists.summary_rows(
        table, header.position, header.columns.get("item", 0), amounts
    )
    block: list[tuple[int, float]] = []  # lines since a total or a heading
    block_sum = 0.0  # their amounts added up, as each is read
    line_rows: list[int] = []  # the row of each line
    billed: list[tuple[str, int, BillingCycle, float]] = []  # every N months
    for row_number, cells in _line_rows(table, header):
        if row_number in note_rows:
            continue
        overlong = _overlong(table, header, row_number, cells)
        if overlong is None and "item" in header.columns:
            item = header.cell(cells, "item")
            overlong = long_item_name(table, row_number, item, header.label("item"))
        if overlong is not None:
            issues.append(overlong)
            continue
        rows_read.append(row_number)
        subtotal = _subtotal(table, header, row_number, cells, summaries, amounts)
        if subtotal is not None:
            issues.append(subtotal)
            block, block_sum = [], 0.0
            continue
        reader = _RowReader(header, row_number, cells, conventions, dates)
        reader.lines_above = len(lines)
        line = _scaled(_read_line(reader), scales)
        if line is not None and reader.cycle is not None:
            # Per ticket and Depreciation lines are costed without their Period.
            name = _billed_field(line)
            if name is not None and (price := getattr(line, name)) is not None:
                billed.append((clean_text(line.item), row_number, reader.cycle, price))
                line = _per_month(line, reader.cycle)
        issues.extend(reader.issues)
        if reader.heading is not None:
            section = reader.heading
        if line is None:
            block, block_sum = [], 0.0
            continue
        if line.amount is not None:
            looks = _looks_like_subtotal(header, row_number, line, block, block_sum)
            if looks is not None:
                issues.append(looks)
            block.append((row_number, line.amount))
            block_sum += line.amount
        if section is not None:
            notes = "; ".join(filter(None, [f"Section: {section}", line.notes]))
            line = replace(line, notes=notes)
        key = clean_text(line.item).casefold()
        if key in first_row_of:
            issues.append(
                warning(
                    f"'{clean_text(line.item)}' is also the item in row "
                    f"{first_row_of[key]}; both lines are counted. Rename one if they "
                    "are different things, or delete the repeat.",
                    sheet=table.name,
                    row=row_number,
                    column=header.label("item"),
                )
            )
        else:
            first_row_of[key] = row_number
        lines.append(line)
        line_rows.append(row_number)
    whole = _total_of_the_others(header, lines, line_rows, costing)
    if whole is not None:
        at, found = whole
        issues = [
            issue
            for issue in issues
            if not (issue.row == found.row and "looks like a subtotal" in issue.message)
        ]
        issues.append(found)
        del lines[at], line_rows[at]
    if billed:
        label = header.label("period")
        issues.append(
            warning(billing_cycles_message(label, billed), table.name, column=label)
        )
    hidden = hidden_rows_warning(table, rows_read)
    if hidden is not None:
        issues.append(hidden)

    has_errors = any(issue.severity is Severity.ERROR for issue in issues)
    if not lines and not has_errors:
        issues.append(
            error(
                f"{table.name} has a header in row {header.row_number} but no cost "
                "lines below it; add at least one line.",
                sheet=table.name,
                row=header.row_number,
            )
        )
        has_errors = True
    if has_errors:
        return None, issues
    return CostBase(lines=tuple(lines)), issues


def _title_texts(table: Table, header: Header) -> list[str]:
    """The texts of the filled rows directly above the header."""
    above: list[str] = []
    for _, cells in reversed(table.rows[: header.position]):
        if row_is_blank(cells):
            if above:
                break
            continue
        above[:0] = [text for cell in cells if (text := clean_header(cell))]
    return above


def _note_text(cells: Sequence[Cell]) -> str | None:
    """A row's text when it holds text only and says nothing but the unit of the
    amounts, like 'Note: amounts in $000'; None for any other row."""
    filled = [cell for cell in cells if not is_blank(cell)]
    if not filled or not all(isinstance(cell, str) for cell in filled):
        return None
    text = " ".join(clean_text(str(cell)) for cell in filled)
    return text if scale_note(text) is not None else None


def _money_scales(
    table: Table, header: Header
) -> tuple[dict[str, float], set[int], list[Issue]]:
    """The factor each money column (Amount, Unit cost) is read in, from its
    header ('Amount ($000)'), a title row above the header ('All amounts in USD
    000') or a note below the lines; the rows of such notes, not cost lines; and
    a warning saying what was multiplied, or an error when two statements
    disagree. Counts (Users per unit, Min units, Life months) are never scaled."""
    row = table.rows[header.position][1]
    money = [name for name in MONEY_FIELDS if name in header.columns]
    stated: dict[str, tuple[float, str]] = {}
    for name in money:
        scale = header_scale(clean_header(row[header.columns[name]]))
        if scale is not None:
            stated[name] = scale
    titles = [text for text in _title_texts(table, header) if header_scale(text)]
    notes = {
        row_number: text
        for row_number, cells in table.rows[header.position + 1 :]
        if (text := _note_text(cells)) is not None
    }
    sources = [
        *(
            (f"the header {header.label(name)} says {words}", (factor, words))
            for name, (factor, words) in stated.items()
        ),
        *(
            (f"the title above the table says '{text}'", header_scale(text))
            for text in titles
        ),
        *(
            (f"row {row} says '{text}'", scale_note(text))
            for row, text in notes.items()
        ),
    ]
    if not sources:
        return {}, set(), []
    if len({scale for _, scale in sources}) > 1:
        return (
            {},
            set(notes),
            [
                error(
                    f"The amounts' unit is said twice, differently: {sources[0][0]}, "
                    f"but {sources[-1][0]}, so the amounts cannot be read without a "
                    "guess. Say the unit once, in the Amount and Unit cost headers, "
                    "like 'Amount ($000)'.",
                    sheet=table.name,
                    row=header.row_number,
                )
            ],
        )
    factor, words = sources[0][1]  # type: ignore[misc]
    scaled = money if titles or notes else list(stated)
    shown = [name for name in scaled if _shown_scaled(table, header, name, factor)]
    said: list[Issue] = []
    if shown:
        columns = " and ".join(header.label(name) for name in shown)
        scaled = [name for name in scaled if name not in shown]
        said.append(
            warning(
                f"The amounts in {columns} are stored in full and only shown in "
                f"{words} by their number format, so they were read as stored, not "
                "multiplied.",
                sheet=table.name,
                row=header.row_number,
            )
        )
    if not scaled:
        return {}, set(notes), said
    columns = " and ".join(header.label(name) for name in scaled)
    if titles or notes:
        where, row_number = (
            (f"The title above the table, '{titles[0]}',", header.row_number)
            if titles
            else (f"The note in row {min(notes)}, '{notes[min(notes)]}',", min(notes))
        )
        message = (
            f"{where} was applied, so the amounts in {columns} were read in {words}: "
            f"each was {scale_effect(factor)}. Counts such as Users per unit "
            "were read as they stand."
        )
    else:
        row_number = header.row_number
        message = (
            f"The amounts in {columns} are read in {words}, as the header says: each "
            f"was {scale_effect(factor)}."
        )
    said.append(warning(message, sheet=table.name, row=row_number))
    return dict.fromkeys(scaled, factor), set(notes), said


def _shown_scaled(table: Table, header: Header, name: str, factor: float) -> bool:
    """True when every number in a money column is shown scaled down by `factor`
    by its number format ('#,##0,'), so is stored in full."""
    index = header.columns[name]
    numbers = [
        row_number
        for row_number, cells in table.rows[header.position + 1 :]
        if index < len(cells)
        and isinstance(cells[index], int | float)
        and not isinstance(cells[index], bool)
    ]
    return bool(numbers) and all(
        table.shown_scales.get((row, index)) == factor for row in numbers
    )


def _scaled(line: CostLine | None, scales: dict[str, float]) -> CostLine | None:
    """The line with its Amount and Unit cost multiplied by their scale."""
    if line is None or not scales:
        return line
    changes = {
        name: value * scales[name]
        for name in scales
        if (value := getattr(line, name)) is not None
    }
    return replace(line, **changes)


def _billed_field(line: CostLine) -> str | None:
    """The field a line's Period applies to: Amount for a Fixed cost, Unit cost
    for one priced per user, unit or agent; None when Period is not used."""
    if line.behaviour is Behaviour.FIXED:
        return "amount"
    if line.behaviour in (Behaviour.PER_USER, Behaviour.STEP, Behaviour.STAFFED):
        return "unit_cost"
    return None


def _per_month(line: CostLine, cycle: BillingCycle) -> CostLine:
    """The line priced a month, from a price billed every `cycle.months`; its
    notes keep the price as billed."""
    name = _billed_field(line)
    value = None if name is None else getattr(line, name)
    if name is None or value is None:
        return line
    billed = f"Billed {value:,.2f} {cycle.words}"
    notes = "; ".join(filter(None, [line.notes, billed]))
    return replace(line, **{name: cycle.per_month(value)}, notes=notes)


def _subtotal(
    table: Table,
    header: Header,
    row_number: int,
    cells: Sequence[Cell],
    summaries: dict[int, tuple[int, ...]],
    amounts: tuple[int, ...],
) -> Issue | None:
    """A warning for a row that sums other rows (an outline or indented summary
    row, or an Amount that is a formula like =SUM(E2:E3)), which is left out;
    None for any other row."""
    if not amounts or is_blank(header.cell(cells, "amount")):
        return None
    own = header.cell(cells, "amount")
    if isinstance(own, str) and parse_number_text(own) is None:
        return None  # not a number: an error on a line, never a subtotal
    children = summaries.get(row_number)
    how = "its lines are grouped below or indented under it"
    if children is not None:
        # Only rows with an amount are lines it could sum: a heading or a row
        # of text indented below it leaves the row a line of its own.
        wanted = set(children)
        children = tuple(
            number
            for number, row in table.rows
            if number in wanted and not is_blank(header.cell(row, "amount"))
        )
    if children is None:
        children = lists.summed_rows(table, row_number, amounts)
        how = "its Amount is a formula adding them up"
    if not children:
        return None
    rows = (
        f"rows {children[0]} to {children[-1]}"
        if len(children) > 1
        else f"row {children[0]}"
    )
    return warning(
        f"Row {row_number} ('{_text_or_blank(header.cell(cells, 'item'))}') was read "
        f"as a subtotal of {rows}, since {how}; it was left out of the sum.",
        sheet=table.name,
        row=row_number,
        column=header.label("item"),
    )


def _monthly_cost(line: CostLine) -> float | None:
    """A line's cost a month when it does not hang on a count of users, units
    or tickets; None when it does."""
    if line.behaviour in (Behaviour.FIXED, Behaviour.DEPRECIATION):
        return line.monthly_rate
    return None


_WHOLE_WORDS = {
    "all",
    "overall",
    "grand",
    "total",
    "sum",
    "whole",
    "entire",
    "combined",
}


def _total_of_the_others(
    header: Header,
    lines: list[CostLine],
    rows: list[int],
    costing: Costing | None = None,
) -> tuple[int, Issue] | None:
    """The one Fixed line whose monthly cost is the sum of all the other lines'
    monthly costs (two or more), as a grand total's would be, with a warning
    that it was left out; None when there is none or the others' costs hang
    on counts not known here."""
    if len(lines) < 3:
        return None
    costed = None if costing is None else costing(lines)
    costs: Sequence[float | None] = (
        [_monthly_cost(line) for line in lines] if costed is None else costed
    )
    if any(cost is None for cost in costs):
        return None
    whole = sum(costs)  # type: ignore[arg-type]
    found = [
        at
        for at, (line, cost) in enumerate(zip(lines, costs, strict=True))
        if line.behaviour is Behaviour.FIXED
        and cost
        and round(cost * 100) == round((whole - cost) * 100)  # type: ignore[operator]
    ]
    if len(found) != 1:
        return None
    at = found[0]
    line = lines[at]
    words = set(re.findall(r"[a-z]+", clean_text(line.item).casefold()))
    at_an_end = at in (0, len(lines) - 1)
    if not (words & _WHOLE_WORDS or (at_an_end and len(lines) >= 4)):
        return None  # two lines and their sum may be three costs: warned above
    others = round(whole - costs[at], 2)  # type: ignore[operator]
    return at, warning(
        f"'{clean_text(line.item)}' costs {others:,.2f} a month, the sum of all the "
        "other lines, so it was read as a total and left out of the sum. If it is "
        "a cost of its own, check the amounts.",
        sheet=header.sheet,
        row=rows[at],
        column=header.label("item"),
    )


def _looks_like_subtotal(
    header: Header,
    row_number: int,
    line: CostLine,
    block: list[tuple[int, float]],
    block_sum: float,
) -> Issue | None:
    """A warning for a line whose Amount is the sum of the two or more lines
    above it since a total or a heading (`block_sum`, added up as they were
    read), as a subtotal's would be."""
    assert line.amount is not None
    if len(block) < 2 or not line.amount:
        return None
    if round(line.amount * 100) != round(block_sum * 100):
        return None
    return warning(
        f"'{clean_text(line.item)}' looks like a subtotal of rows {block[0][0]} to "
        f"{block[-1][0]}: its Amount is their sum. It was counted as a line; if it "
        "is a subtotal, name it Total or delete it.",
        sheet=header.sheet,
        row=row_number,
        column=header.label("item"),
    )


def _is_total_row(cells: Sequence[Cell], item: str) -> bool:
    if item:
        return bool(TOTAL_ROW.search(item))
    return any(
        isinstance(cell, str) and TOTAL_ROW.search(clean_text(cell)) for cell in cells
    )


def _read_line(reader: _RowReader) -> CostLine | None:
    """The cost line on one row, or None (the reader holds the reasons)."""
    item = reader.text("item")
    if "item" in reader.failed:
        return None
    if _is_total_row(reader.cells, clean_text(item)):
        if reader.lines_above:
            reader.warn(
                "item",
                "This looks like a total or subtotal row, so it was skipped: "
                "counting it would count its lines twice. Delete it if it is not a "
                "total.",
            )
            return None
        # A total of nothing: no line above it to add up, so it is a line.
        reader.warn(
            "item",
            f"'{clean_text(item)}' is named like a total, but no cost line above it "
            "adds up to it, so it was read as a cost line. Rename it if it is one.",
        )
    others = [
        name for name in COST_HEADERS if name != "item" and not reader.blank(name)
    ]
    if not others and not clean_text(item):
        return None
    if not others:
        reader.heading = clean_text(item)
        reader.warn(
            "item",
            f"'{reader.heading}' has nothing else on its row, so it was read as a "
            "section heading and skipped; the lines below it keep it in their Notes "
            f"as 'Section: {reader.heading}'. Fill in its Pool and Behaviour if it is "
            "a cost line.",
        )
        return None
    if not clean_text(item):
        reader.error(
            "item", f"{reader.header.label('item')} is empty; name the cost line."
        )

    pool = _required_choice(reader, "pool", read_pool)
    behaviour = _required_choice(reader, "behaviour", read_behaviour)
    amount = _money(reader, "amount")
    period = reader.read("period", read_billing) or Period.MONTH
    if isinstance(period, BillingCycle):
        reader.cycle, period = period, Period.MONTH
    unit_cost = _money(reader, "unit_cost")
    users_per_unit = _users_per_unit(reader)
    tier = reader.read("tier", read_tier)
    tickets_per_agent = _positive(reader, "tickets_per_agent")
    min_units = _min_units(reader)
    life_months = _life_months(reader)
    in_service = reader.read(
        "in_service", lambda cell: read_date(cell, order=reader.dates)
    )
    renew = reader.read("renew", read_bool)
    escalation = _escalation(reader)
    vendor = reader.text("vendor")
    notes = reader.text("notes")

    values = {
        "amount": amount,
        "unit_cost": unit_cost,
        "users_per_unit": users_per_unit,
        "tier": tier,
        "tickets_per_agent": tickets_per_agent,
        "life_months": life_months,
    }
    if behaviour is not None:
        _check_required(reader, behaviour, values)
    if reader.failed or pool is None or behaviour is None:
        return None

    try:
        return CostLine(
            item=item,
            pool=pool,
            behaviour=behaviour,
            amount=amount,
            period=period,
            unit_cost=unit_cost,
            users_per_unit=users_per_unit,
            tier=tier,
            tickets_per_agent=tickets_per_agent,
            min_units=0.0 if min_units is None else min_units,
            life_months=life_months,
            in_service=in_service,
            renew=True if renew is None else renew,
            escalation=0.0 if escalation is None else escalation,
            vendor=vendor,
            notes=notes,
        )
    except ValueError as problem:
        reader.error("item", f"This line cannot be used: {problem}")
        return None


def _required_choice(
    reader: _RowReader, name: str, parse: Callable[[Cell], T]
) -> T | None:
    if reader.blank(name):
        allowed = {
            "pool": "a cost pool",
            "behaviour": "a behaviour (Fixed, Per user, Step, Staffed, Per ticket or "
            "Depreciation)",
        }[name]
        reader.error(name, f"{reader.header.label(name)} is empty; enter {allowed}.")
        return None
    return reader.read(name, parse)


def _money(reader: _RowReader, name: str) -> float | None:
    value = reader.money(name)
    if value is not None and value < 0:
        reader.warn(
            name,
            f"{reader.header.label(name)} is negative ({format_number(value)}), so "
            "it was read as a credit that lowers cost. Make it positive if it is "
            "not a credit.",
        )
    return value


def _positive(reader: _RowReader, name: str) -> float | None:
    value = reader.count(name)
    if value is not None and not value > 0:
        reader.error(
            name,
            f"{reader.header.label(name)} is {format_number(value)}; it must be above "
            f"0 ({_MEANING[name]}).",
        )
        return None
    return value


def _users_per_unit(reader: _RowReader) -> float | None:
    value = _positive(reader, "users_per_unit")
    if value is not None and value < 1:
        label = reader.header.label("users_per_unit")
        reader.warn(
            "users_per_unit",
            f"{label} is {format_number(value)}, so one unit is bought for every "
            f"{format_number(value)} of a user ({format_number(1 / value)} units for "
            "each user). Check the cell: it is the number of users one unit covers.",
        )
    return value


def _min_units(reader: _RowReader) -> float | None:
    value = reader.count("min_units")
    if value is not None and value < 0:
        reader.error(
            "min_units",
            f"{reader.header.label('min_units')} is {format_number(value)}; it must "
            "be 0 or more (the fewest units or agents to pay for).",
        )
        return None
    return value


def _life_months(reader: _RowReader) -> int | None:
    value = _positive(reader, "life_months")
    if value is None:
        return None
    if value != int(value):
        reader.error(
            "life_months",
            f"{reader.header.label('life_months')} is {format_number(value)}; write "
            "the useful life in whole months.",
        )
        return None
    return int(value)


def _escalation(reader: _RowReader) -> float | None:
    rate = reader.rate("escalation")
    if rate is None:
        return None
    value = rate.value
    label = reader.header.label("escalation")
    if value <= -1:
        reader.error(
            "escalation",
            f"{label} is {rate.shown()} a year; a price cannot fall by 100% or more.",
        )
        return None
    if value > 1:
        reader.error(
            "escalation",
            f"{label} is {rate.shown()} a year, more than 100%; check the cell "
            "(write 5% or 0.05 for five percent a year).",
        )
        return None
    note = rate.note(" a year", doubtful_from=DOUBTFUL_RATE)
    if note is not None:
        reader.warn("escalation", f"{label} {note}.")
    return value


def _check_required(reader: _RowReader, behaviour: Behaviour, values: dict) -> None:
    """An error for each field the behaviour needs that the row leaves empty."""
    for name in REQUIRED_FIELDS[behaviour]:
        if values.get(name) is not None or name in reader.failed:
            continue
        header_name = COST_HEADERS[name]
        if name == "unit_cost":
            meaning = _PRICE[behaviour]
        elif name == "amount":
            meaning = (
                "the capital cost"
                if behaviour is Behaviour.DEPRECIATION
                else "the amount per Period"
            )
        else:
            meaning = _MEANING[name]
        if name in reader.header.columns:
            where = f"{reader.header.label(name)} is empty."
        else:
            where = f"the sheet has no {header_name} column; add one."
        hint = ""
        if name == "unit_cost" and values.get("amount") is not None:
            hint = f" Amount is filled, but {behaviour.value} lines take their price "
            hint += "from Unit cost."
        if name == "amount" and values.get("unit_cost") is not None:
            hint = f" Unit cost is filled, but {behaviour.value} lines take their cost "
            hint += "from Amount."
        if name == "tier":
            hint = " " + _tier_hint(reader)
        message = f"{behaviour.value} lines need {header_name} ({meaning}); {where}"
        reader.error(name, (message + hint).rstrip())


def _tier_hint(reader: _RowReader) -> str:
    pool = reader.raw("pool")
    try:
        pool_name = read_pool(pool)
    except CellError:
        return ""
    guess = {
        "Service desk (Tier 1)": Tier.TIER_1,
        "Desktop support": Tier.DESKTOP,
        "Tier 2": Tier.TIER_2,
    }.get(pool_name)
    return f"Its pool suggests {guess.value}." if guess else ""


def read_cost_row(
    header: Header,
    row_number: int,
    cells: Sequence[Cell],
    *,
    conventions: Conventions = UNDECIDED,
) -> tuple[CostLine | None, list[Issue]]:
    """The cost line on one row of a sheet in the Costs sheet's columns (a
    scenario's Line changes), with every problem found on it; None when the
    row has an error or holds no line."""
    reader = _RowReader(header, row_number, cells, conventions)
    line = _read_line(reader)
    issues = list(reader.issues)
    if line is None and not reader.failed:
        issues.append(
            error(
                "This row has no cost line: give its Pool, Behaviour and the "
                "columns its behaviour needs, or write Drop in Change.",
                sheet=header.sheet,
                row=row_number,
                column=header.label("item"),
            )
        )
    return line, issues
