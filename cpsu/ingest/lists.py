"""Cost sheets that are not our template: item lists and month-by-month budgets.

Most IT managers keep their costs in a list they built by hand: an item
column and an amount ("Annual cost", "Monthly", "Q1 budget"), or a budget
grid with one column per month. Neither says what pool a line is in or what
drives its cost, so each line becomes a Fixed cost in pool Other, ready to
classify, and a warning says how many. The period of a list's amounts comes
from its header, since a number alone cannot say whether it is a month or a
year; a header that does not say is an error asking for it, settled by the
user's choice of period for the file (`choices.ReadChoices`). A grid's line
costs its average month: the sum of the months present divided by how many
month columns there are (a grid of quarters, Q1..Q4, its average quarter).
A header that skips a month (Jan, Feb, Apr..Dec) or names the months again
with no year (two runs of Jan..Dec) is said, with the months the average is
over. Months under a year written above them ('FY27' over Jan..Dec, joined
into 'Jan (FY27)') are a grid, dated by that year. A grid of more than a year
of dated months (Jan 2026..Dec 2027, or FY26 and FY27) costs its latest 12
months, and says which months it left out.

Hand-built sheets also carry structure that must not be counted: section
rows (a name with no numbers, above its lines), which become the category
of each line below them ("Section: Software" in its Notes); subtotal, total
and grand-total rows, and a totals column, which are left out of the sum and
checked against the lines they add up, with a warning naming the row where
they disagree by a cent or more; and blank rows, skipped with one warning
per gap. A row is a subtotal by its name (a total word alone, or with its
section's name), by adding up its block, by a formula summing rows of its
column (=SUM(B2:B3), =B4+B7), by a SUM, SUBTOTAL or AGGREGATE over other rows
above it, in any of the list's columns, that comes to their amounts to the
cent (=SUM(B2,B5), =SUM(C2:C3)*12 over a monthly column), or as the summary
row of an outline or of indented lines; a line that merely equals the sum of
the lines above it is counted, with a warning. Totals written above their
lines, which files without formulas (.xls, .ods, CSV) can only show by their
amounts, are found the same way: a first row equal to all the lines below
it is a grand total, and rows each equal to the lines under them up to the
next such row, when every one of them is, are section headings carrying
their subtotals; both are left out, each with a warning. So are rows named as
totals at the top of their blocks ('Hardware total' over Laptops and
Monitors, 'Software total' over M365 and Zoom), which add up the lines below
them and not those above: when each equals the lines under it up to the next,
with or without a grand total above them all. A named total at the foot is
still checked against the lines above it. A row equal to rows below it while
the rest of the list is not laid out so is counted, with a warning, and so is
a row named as a total that adds up neither the lines above it nor those
below. A heading like Assumptions or Notes below the list ends it. Rows
that name an item under an amount merged down from a row above (a merged
number is read in its first row only) are not headings but named in one
warning for the merge, which says where its amount was counted.

The amount is a line's cost, never its price per seat: seats x price is used
only when no column holds the cost, and said. Amounts stated in thousands or
millions are scaled, and said, when the sheet states it plainly: in a header, a
title row, a Currency column saying 'USD 000' on every line, or a note just
below the list that says nothing else ('Note: amounts in $000'). Statements
that disagree are not guessed between: plain currency against a scale is read
as it stands, with a warning; two scales, or lines of a Currency column that
differ, are an error. `read_cost_list` is tried by the Costs reader when a
sheet has no Pool and no Behaviour column.

A sheet may hold two tables: a second list beside the first, past a column
blank from the header down, with its header in the same row, or below it,
under a row that is a list's header itself ('Vendor | Annual cost', or the
same header again). Each is read as a list of its own, its columns named by
the letters the user sees, and the lines of both are counted, with a warning
saying where each table is and what each holds a month. A second table that
names the same items as the first (last year's actuals beside the budget) is
the same lines again, not more: beside, it is not read; below, it is
refused. An amount column that is still not read (a second 'Monthly cost'
right beside the first) is named with what it holds on the lines read, so
the run-rate is never short without a word.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token, TokenizerError

from cpsu.costs import Behaviour, CostBase, CostLine, Period
from cpsu.ingest.cells import (
    UNDECIDED,
    CellError,
    Conventions,
    clean_text,
    currency_named,
    is_blank,
    parse_number_text,
    read_money,
    read_text,
    show,
    text_key,
)
from cpsu.ingest.choices import PERIOD
from cpsu.ingest.conventions import NumberCell
from cpsu.ingest.issues import Issue, Severity, column_label, column_letter
from cpsu.ingest.table import (
    HEADER_SEARCH_ROWS,
    LISTED,
    TOTAL_ROW,
    Cell,
    MergedRange,
    Table,
    blank_gaps,
    hidden_rows_warning,
    listing,
    row_is_blank,
)
from cpsu.ingest.vocabulary import (
    COST_HEADER_INDEX,
    LIST_ITEM_INDEX,
    BillingCycle,
    billing_cycles_message,
    clean_header,
    header_ambiguity,
    header_conflict,
    header_period,
    header_scale,
    header_span,
    header_words,
    is_amount_header,
    is_quantity_header,
    is_total_header,
    is_unit_price_header,
    match_header,
    names_money,
    period_arithmetic,
    read_billing,
    read_pool,
    scale_effect,
    scale_note,
)

# A grid needs this many month (or quarter) columns; fewer are more likely a list.
MIN_MONTH_COLUMNS = 3
MIN_QUARTER_COLUMNS = 2
POOL = "Other"

_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_MONTH_NAME = (
    r"(?P<name>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_HEADERS = (
    re.compile(rf"^{_MONTH_NAME}\.?(?:[\s'\-/]*(?P<year>\d{{2}}|\d{{4}}))?$", re.I),
    re.compile(r"^(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})$"),
    re.compile(r"^(?P<month>\d{1,2})\s*[-/.]\s*(?P<year>\d{4})$"),
)
_TOTAL_COLUMN = re.compile(
    r"^(?:fy|full\s*year|(?:fy|annual|year|yearly|grand)?\s*totals?(?:\s+\S+)?)$",
    re.IGNORECASE,
)


_QUARTER_HEADERS = (
    re.compile(
        r"^(?:fy\s*'?(?P<fy>\d{2}|\d{4})\s*)?q(?P<q>[1-4])"
        r"(?:\s*[-/ ]?\s*(?:fy)?\s*'?(?P<year>\d{2}|\d{4}))?"
        r"(?:\s+(?:budget|cost|costs|spend|forecast|plan|actual|actuals))?$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?P<year>\d{4})\s*[-/ ]?\s*q(?P<q>[1-4])$", re.IGNORECASE),
)


# A month or quarter under a group of a two-row header, 'Jan (FY27)': the joined
# header's name and the group above it.
_UNDER_GROUP = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<group>[^()]+)\)$")
# A year in a group's label: FY27, FY2027, FY 2026/27, 2027, Budget 2026-27.
_GROUP_YEAR = re.compile(
    r"(?:\bfy\s*'?|(?<![\d.,])(?=(?:19|20)\d\d))(?P<year>\d{4}|\d{2})"
    r"(?:\s*[/-]\s*'?(?P<end>\d{4}|\d{2}))?(?![\d.,])",
    re.IGNORECASE,
)


def _group_year(label: str) -> int | None:
    """The year a group label names (a fiscal year by the year it ends), or None
    when it names none or several."""
    years = set()
    for match in _GROUP_YEAR.finditer(label):
        year = match["end"] or match["year"]
        years.add(2000 + int(year) if len(year) == 2 else int(year))
    return years.pop() if len(years) == 1 else None


def _under_group(
    cell: Cell, reader: Callable[[Cell], tuple[int | None, int] | None]
) -> tuple[int | None, int] | None:
    """A month or quarter named under a group of a two-row header, like 'Jan
    (FY27)' or 'Q1 (Budget 2027)', its year taken from the group when it has
    none of its own; None for any other header."""
    if not isinstance(cell, str):
        return None
    match = _UNDER_GROUP.match(clean_text(cell))
    if match is None:
        return None
    found = reader(match["name"])
    if found is None or found[0] is not None:
        return found
    return _group_year(match["group"]), found[1]


def quarter_of_header(cell: Cell) -> tuple[int | None, int] | None:
    """(year or None, quarter) when a header names a quarter, like Q1 or 2026-Q3."""
    if not isinstance(cell, str):
        return None
    text = clean_text(cell)
    grouped = _under_group(text, quarter_of_header)
    if grouped is not None:
        return grouped
    for pattern in _QUARTER_HEADERS:
        match = pattern.match(text)
        if match is None:
            continue
        year = match.groupdict().get("year") or match.groupdict().get("fy")
        if year is None:
            return None, int(match["q"])
        return (2000 + int(year) if len(year) == 2 else int(year)), int(match["q"])
    return None


# Month names in the other languages budgets are kept in (French, German,
# Spanish, Italian, Dutch, Portuguese), without accents: a header is a month
# when it is one of them or a prefix of at least three letters that names one
# month only ('janv', 'févr', 'mär', 'ago', 'dez'), with or without a year.
_OTHER_MONTH_NAMES = (
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre "
    "decembre",
    "januar februar marz april mai juni juli august september oktober november "
    "dezember",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
    "noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
    "novembre dicembre",
    "januari februari maart april mei juni juli augustus september oktober "
    "november december",
    "janeiro fevereiro marco abril maio junho julho agosto setembro outubro "
    "novembro dezembro",
)
_MONTH_ABBREVIATIONS = {"mrz": 3, "mrt": 3}  # German and Dutch for March


def _other_month_words() -> dict[str, int]:
    found: dict[str, set[int]] = {}
    for language in _OTHER_MONTH_NAMES:
        for month, name in enumerate(language.split(), start=1):
            for end in range(3, len(name) + 1):
                found.setdefault(name[:end], set()).add(month)
    words = {word: months.pop() for word, months in found.items() if len(months) == 1}
    return {**words, **_MONTH_ABBREVIATIONS}


_OTHER_MONTHS = _other_month_words()
# A grid's title saying its months are running totals, or that they may be.
_CUMULATIVE = re.compile(
    r"\bcumulative\b|\bcumulated\b|\brunning totals?\b|\bkumuliert\b|\bcumul[ée]s?\b",
    re.IGNORECASE,
)
_TO_DATE = re.compile(r"\b(?:ytd|qtd|year[\s-]+to[\s-]+date|to[\s-]+date)\b", re.I)
_OTHER_MONTH_HEADER = re.compile(
    r"^(?P<word>[^\W\d_]{3,})\.?(?:[\s'\-/]*(?P<year>\d{2}|\d{4}))?$"
)
# 'Month 1'..'Month 12', 'M01', 'Mth 3': months counted from the first; and
# YYYYMM periods written as text ('202601'), as a finance system exports them.
_NUMBERED_MONTH = re.compile(
    r"^(?:month|mth|mo|m)\s*[-#.]?\s*(?P<month>\d{1,2})$", re.I
)
_PERIOD_MONTH = re.compile(r"^(?P<year>(?:19|20)\d\d)(?P<month>0[1-9]|1[0-2])$")


def _accentless(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _other_month(text: str) -> tuple[int | None, int] | None:
    """(year or None, month) for a month header not in English: a month name of
    another language, 'Month 3', or a YYYYMM period; None otherwise."""
    if (match := _NUMBERED_MONTH.match(text)) is not None:
        month = int(match["month"])
        return (None, month) if 1 <= month <= 12 else None
    if (match := _PERIOD_MONTH.match(text)) is not None:
        return int(match["year"]), int(match["month"])
    match = _OTHER_MONTH_HEADER.match(_accentless(text))
    if match is None or match["word"] not in _OTHER_MONTHS:
        return None
    year = match["year"]
    month = _OTHER_MONTHS[match["word"]]
    if year is None:
        return None, month
    return (2000 + int(year) if len(year) == 2 else int(year)), month


def month_of_header(cell: Cell) -> tuple[int | None, int] | None:
    """(year or None, month) when a header cell names a month, like Jan-26,
    Janv. 26, Month 3 or 202603."""
    if isinstance(cell, datetime | date):
        return cell.year, cell.month
    if not isinstance(cell, str):
        return None
    text = clean_text(cell)
    grouped = _under_group(text, month_of_header)
    if grouped is not None:
        return grouped
    for pattern in _MONTH_HEADERS:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("name"):
            month = _MONTHS.index(groups["name"][:3].lower()) + 1
        else:
            month = int(groups["month"])
        if not 1 <= month <= 12:
            return None
        year = groups.get("year")
        if year is None:
            return None, month
        return (2000 + int(year) if len(year) == 2 else int(year)), month
    return _other_month(text)


@dataclass(frozen=True)
class ListLayout:
    """Where a list's or a grid's columns are, found in its header row."""

    sheet: str
    row_number: int
    position: int  # index of the header row in Table.rows
    item: int
    labels: Mapping[int, str]  # column index -> "Annual cost (B)"
    amount: int | None = None  # a list's amount column
    period: Period | None = None  # what a list's amounts are, from its header
    period_column: int | None = None  # or a Period column, row by row
    check: int | None = None  # the same amount for another period, to reconcile
    check_period: Period | None = None
    months: tuple[int, ...] = ()  # a grid's month (or quarter) columns, in order
    grid_period: Period = Period.MONTH  # what each of a grid's columns covers
    total: int | None = None  # a grid's totals column
    vendor: int | None = None
    notes: int | None = None
    ignored: tuple[int, ...] = ()
    unit: int | None = None  # a price per seat, licence or user
    quantity: int | None = None  # how many seats, licences or users
    priced: bool = False  # the amount column is the unit price: seats x price
    scales: Mapping[int, tuple[float, str]] = field(default_factory=dict)
    category: int | None = None  # a Category column: each line's section
    seats: int | None = None  # a count of seats, even beside no price header
    amounts: tuple[int, ...] = ()  # every money header, in order
    scale_doubt: tuple[str, str] | None = None  # a title saying plain and scaled
    seat_price: int | None = None  # the price the amount was found to be seats x
    scale_issues: tuple[Issue, ...] = ()  # what a scale said below the header did
    scale_note_row: int | None = None  # a note below the list stating the scale
    scaled_below: bool = False  # the scale came from a note or a currency column
    earlier: tuple[int, ...] = ()  # a grid's months before its latest year, unread
    span: tuple[int, str] | None = None  # months an amount covers, if not 1, 3, 12
    scale_source: str = "the header says"  # where a scale above the lines is said
    chosen_amount: Issue | None = None  # which of two amount columns was read

    @property
    def is_grid(self) -> bool:
        return bool(self.months)

    @property
    def totals(self) -> tuple[int, ...]:
        """The columns a total row is checked in: the amounts, or the months
        and total; none when each line's amount is seats x price."""
        if self.priced:
            return ()
        if self.amount is not None:
            return (self.amount,) if self.check is None else (self.amount, self.check)
        return (*self.months, *(() if self.total is None else (self.total,)))

    @property
    def figures(self) -> tuple[int, ...]:
        """The columns holding numbers: the amounts, prices and seats, or the
        months and total."""
        if self.amount is None:
            return self.totals
        extra = (self.unit, self.quantity) if not self.priced else (self.quantity,)
        found = [self.amount, self.check, *extra]
        return tuple(dict.fromkeys(index for index in found if index is not None))

    @property
    def money(self) -> tuple[int, ...]:
        """The figure columns that hold money, not a count of seats."""
        return tuple(index for index in self.figures if index != self.quantity)


def find_list(table: Table) -> ListLayout | None:
    """The header of an item list or a month grid among the first rows, or None."""
    for position, (row_number, cells) in enumerate(table.rows):
        if row_number > HEADER_SEARCH_ROWS:
            break
        layout = _layout(table.name, row_number, position, cells)
        if layout is not None:
            return layout
    return None


def _layout(
    sheet: str, row_number: int, position: int, cells: Sequence[Cell]
) -> ListLayout | None:
    texts = {index: clean_header(cell) for index, cell in enumerate(cells)}
    months = _distinct_columns(cells, month_of_header)
    grid_period = Period.MONTH
    if len(months) < MIN_MONTH_COLUMNS:
        quarters = _distinct_columns(cells, quarter_of_header)
        if len(quarters) >= MIN_QUARTER_COLUMNS:
            months, grid_period = quarters, Period.QUARTER
        else:
            months = []
    earlier: list[int] = []
    if months:
        cycle = 4 if grid_period is Period.QUARTER else 12
        months, earlier = _latest_year(cells, months, grid_period, cycle)
    item = vendor = notes = amount = total = period = check = None
    unit = quantity = list_total = category = None
    amounts: list[int] = []
    is_grid_header = bool(months)
    for index, text in texts.items():
        if not text or index in months or index in earlier:
            continue
        name = match_header(text, COST_HEADER_INDEX) or LIST_ITEM_INDEX.get(
            text_key(text)
        )
        if name == "item" and item is None:
            item = index
        elif name == "vendor" and vendor is None:
            vendor = index
        elif name == "notes" and notes is None:
            notes = index
        elif name == "period" and period is None and not is_grid_header:
            period = index
        elif name == "pool" and category is None:
            category = index  # a Category column, read as each line's section
        elif name in ("pool", "behaviour"):
            return None
        elif is_grid_header and _TOTAL_COLUMN.match(text):
            total = index if total is None else total
        elif is_grid_header:
            if is_amount_header(text) and amount is None:
                amount = index
        elif is_quantity_header(text):
            quantity = index if quantity is None else quantity
        elif is_unit_price_header(text):
            unit = index if unit is None else unit
        elif _TOTAL_COLUMN.match(text):
            list_total = index if list_total is None else list_total
        elif is_amount_header(text):
            amounts.append(index)
            if amount is None:
                amount = index
            elif check is None and _other_period(texts[amount], text):
                check = index  # "Monthly cost" beside "Annual cost"
            elif is_total_header(text) and not is_total_header(texts[amount]):
                amount = index  # "Monthly total" beside "Monthly cost"
    is_grid = is_grid_header
    if is_grid:
        amount = None
    if item is None and vendor is not None:
        item, vendor = vendor, None  # "Vendor | Annual cost": the vendor names it
    if item is None and is_grid and months[0] > 0 and not texts.get(0):
        item = 0  # the grid's corner is often left blank above its item names
    if not is_grid and amount is None:
        amount = list_total
    priced = not is_grid and amount is None and unit is not None
    if priced:
        amount = unit  # each line costs its seats x its price, or is refused
    if item is None or not (is_grid or amount is not None):
        return None
    labels = {index: column_label(text, index) for index, text in texts.items() if text}
    for index in months:
        if isinstance(cells[index], datetime | date):  # a date cell shown as Jan-26
            day = cells[index]
            labels[index] = column_label(
                f"{_MONTHS[day.month - 1].title()} {day.year}", index
            )
    labels.setdefault(item, column_label("", item))
    used = {item, vendor, notes, total, category, *earlier}
    used |= set(months) if is_grid else {amount, period, check}
    if not is_grid and unit is not None and quantity is not None:
        used |= {unit, quantity}
    ignored = tuple(index for index in labels if index not in used)
    scales = {
        index: scale
        for index in (*months, total, amount, check, unit)
        if index is not None and (scale := header_scale(texts[index])) is not None
    }
    if is_grid:
        return ListLayout(
            sheet,
            row_number,
            position,
            item,
            labels,
            months=tuple(months),
            grid_period=grid_period,
            earlier=tuple(earlier),
            total=total,
            vendor=vendor,
            notes=notes,
            ignored=ignored,
            scales=scales,
            category=category,
        )
    period_header = texts[amount]
    if (
        header_period(period_header) is None
        and header_span(period_header) is None
        and unit is not None
        and quantity
    ):
        period_header = texts[unit]  # "Total" beside "Unit price (monthly)"
    span = header_span(period_header)
    return ListLayout(
        sheet,
        row_number,
        position,
        item,
        labels,
        amount=amount,
        period=Period.MONTH if span is not None else header_period(period_header),
        span=span,
        period_column=period,
        check=check,
        check_period=None if check is None else header_period(texts[check]),
        vendor=vendor,
        notes=notes,
        ignored=ignored,
        unit=None if unit == amount and not priced else unit,
        quantity=quantity if unit is not None else None,
        priced=priced,
        scales=scales,
        category=category,
        seats=quantity,
        amounts=tuple(amounts),
    )


def _other_period(amount_header: str, header: str) -> bool:
    """True when both headers name a period and the periods differ."""
    first, second = header_period(amount_header), header_period(header)
    return first is not None and second is not None and first is not second


def _latest_year(
    cells: Sequence[Cell], columns: Sequence[int], grid_period: Period, cycle: int
) -> tuple[list[int], list[int]]:
    """A grid's columns of its latest year (the last `cycle` months or quarters
    in time) and the earlier ones, when it has more than a year of dated
    columns; else all its columns and none. Months dated by a group above them
    ('Jul (FY27)') run left to right within their group."""
    reader = quarter_of_header if grid_period is Period.QUARTER else month_of_header
    if len(columns) <= cycle:
        return list(columns), []
    order: dict[int, tuple[int, int]] = {}
    for index in columns:
        cell = cells[index]
        found = reader(cell)
        if found is None or found[0] is None:
            return list(columns), []
        year, number = found
        grouped = isinstance(cell, str) and _UNDER_GROUP.match(clean_text(cell))
        own_year = (reader(grouped["name"] if grouped else cell) or (None, 0))[0]
        order[index] = (year, number if own_year is not None else index)
    timeline = sorted(columns, key=lambda index: (order[index], index))
    latest = set(timeline[-cycle:])
    return (
        [index for index in columns if index in latest],
        [index for index in columns if index not in latest],
    )


def _distinct_columns(
    cells: Sequence[Cell], reader: Callable[[Cell], tuple[int | None, int] | None]
) -> list[int]:
    """The columns whose header `reader` reads, the first of each repeat only."""
    columns: list[int] = []
    seen: set[tuple[int | None, int]] = set()
    for index, cell in enumerate(cells):
        found = reader(cell)
        if found is not None and found not in seen:
            seen.add(found)
            columns.append(index)
    return columns


def _header_currencies(layout: ListLayout) -> list[tuple[str, str]]:
    """The number columns whose header names a currency: (label, currency)."""
    named = []
    for index in layout.figures:
        currency = currency_named(layout.labels[index])
        if currency is not None and index in layout.scales and len(currency) > 1:
            currency = re.sub(r"^[KkMm]{1,2}(?=\W)", "", currency)  # k$ is $ x 1,000
        if currency is not None:
            named.append((layout.labels[index], currency))
    return named


def number_cells(table: Table) -> list[NumberCell]:
    """The text cells of a list's number columns, for the file's conventions."""
    return [
        cell
        for part, layout in list_parts(table)
        for cell in _number_cells(part, layout)
    ]


def list_parts(table: Table) -> list[tuple[Table, ListLayout]]:
    """Each table on the sheet that is read as a cost list of its own (a list,
    and any table beside or below it), with its layout; empty when none is."""
    layout = find_list(table)
    return [] if layout is None else _parts(table, layout)


def _parts(table: Table, layout: ListLayout) -> list[tuple[Table, ListLayout]]:
    for split in (_tables_beside, _tables_below):
        found = split(table, layout)
        if found is not None:
            first, second = found
            return [*_parts(*first), *_parts(*second)]
    return [(table, layout)]


def _number_cells(table: Table, layout: ListLayout) -> list[NumberCell]:
    """The text cells of one list's number columns."""
    found = [
        NumberCell(label, table.name, layout.row_number, label, True, currency)
        for label, currency in _header_currencies(layout)
    ]
    for row_number, cells in table.rows[layout.position + 1 :]:
        for index in layout.figures:
            cell = cells[index] if index < len(cells) else None
            if isinstance(cell, str) and not is_blank(cell):
                found.append(
                    NumberCell(
                        cell, table.name, row_number, layout.labels[index], money=True
                    )
                )
    return found


# A row that could be a line, as runs of them are read for totals above their
# lines: its row, its item, and the amounts totals are checked in, as cents a year.
_RunRow = tuple[int, str, dict[int, int]]


@dataclass
class _Piece:
    """Rows that could be lines, one after another, under the row named as a
    total that stands above them when it does not add up the rows above it."""

    top: _RunRow | None = None
    rows: list[_RunRow] = field(default_factory=list)
    closed_by: _RunRow | None = None  # a total row below adding them all up
    claimed: bool = False  # a formula or an outline sums one of them
    closes_above: bool = False  # its top may instead be the total of the piece above


@dataclass
class _Block:
    """Detail rows summed since a point: per figure column, and which rows."""

    sums: dict[int, float] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    # The same sums as a month's cost, when each row's period is known: lines
    # of a Period column add up in months, not as written.
    monthly: dict[int, float] | None = field(default_factory=dict)

    def add(
        self, row_number: int, figures: Mapping[int, float], months: float | None
    ) -> None:
        self.rows.append(row_number)
        for index, value in figures.items():
            self.sums[index] = self.sums.get(index, 0.0) + value
        if self.monthly is None or months is None:
            self.monthly = None
            return
        for index, value in figures.items():
            self.monthly[index] = self.monthly.get(index, 0.0) + value / months

    def adds_up_to(self, index: int, stated: float, months: Sequence[float]) -> bool:
        """True when the rows add up to `stated` as written, or, their periods
        known, as a cost over one of `months` (a total a month of lines some
        of which are a year's)."""
        if _cents(stated) == _cents(self.sums.get(index, 0.0)):
            return True
        if self.monthly is None or index not in self.monthly:
            return False
        return any(
            _cents(stated) == _cents(self.monthly[index] * span) for span in months
        )


def read_cost_list(
    table: Table,
    *,
    conventions: Conventions = UNDECIDED,
    period: Period | None = None,
) -> tuple[CostBase | None, list[Issue]] | None:
    """The cost base in an item list or a month grid, or None if it is neither.

    Every line is Fixed in pool Other. The cost base is None when any cell
    has an error, as on the canonical Costs sheet. `period` is the user's
    choice of what a list's amounts cover, used where its header does not say.
    """
    # A GL export also has a description and an amount, but it goes to the
    # mapping step (gl.py imports costs_sheet, which imports this module, hence
    # the late import).
    from cpsu.ingest.gl import is_gl_table

    layout = find_list(table)
    if layout is None or is_gl_table(table) or _holds_pools(table, layout):
        return None
    return _read_tables(table, layout, conventions, period)


def _read_tables(
    table: Table, layout: ListLayout, conventions: Conventions, period: Period | None
) -> tuple[CostBase | None, list[Issue]] | None:
    """The list under `layout`, and any second table beside or below it."""
    for split in (_tables_beside, _tables_below):
        found = split(table, layout)
        if found is None:
            continue
        first, second = found
        both = _read_both(first, second, conventions, period)
        if both is not None:
            return both
    found = _read_list(table, layout, conventions, period)
    if found is None:
        return None
    again = _same_lines_below(table, layout, found[1])
    return found if again is None else (found[0], [*found[1], again])


def _read_list(
    table: Table, layout: ListLayout, conventions: Conventions, period: Period | None
) -> tuple[CostBase | None, list[Issue]] | None:
    if _holds_pools(table, layout):
        return None
    table, layout, joined = _with_years_above(table, layout)
    layout = _with_preferred_amount(table, layout)
    layout = _with_cost_of_seats(table, layout, conventions)
    layout = _with_title_scale(table, layout)
    layout = _with_currency_scale(table, layout)
    layout = _with_note_scale(table, layout)
    layout = _with_shown_scale(table, layout)
    long_format = _long_format_issue(table, layout)
    if long_format is not None:
        return None, [long_format] if joined is None else [joined, long_format]
    reader = _ListReader(table, layout, conventions, period)
    cost_base, issues = reader.read()
    return cost_base, issues if joined is None else [joined, *issues]


# Two tables on one sheet: a list and, beside it past a blank column or below
# it, another with a header of its own ('Vendor | Annual cost'). Read as one
# list, the second's header would be a line in error, or its columns left out
# while the run-rate looks whole; so each is read as its own list, the lines
# of both make the cost base, and a warning says what each holds.
_Part = tuple[Table, ListLayout]


def _columns_of(table: Table, position: int, start: int, stop: int | None) -> Table:
    """The table's columns from `start` up to `stop`, from the header at
    `position` down, each where it was: the columns left of `start` are blank,
    so every message names the letter the user sees. The rows above the header
    are kept whole, as a title there ('Amounts in $000') speaks for both."""
    rows = tuple(
        (row_number, (None,) * min(start, len(cells)) + tuple(cells[start:stop]))
        for row_number, cells in table.rows[position:]
    )
    return replace(table, rows=table.rows[:position] + rows)


def _tables_beside(table: Table, layout: ListLayout) -> tuple[_Part, _Part] | None:
    """The list and a second table beside it, past a column blank from the
    header down, each with its header in the list's header row; or None."""
    header = table.rows[layout.position][1]
    filled = [index for index, cell in enumerate(header) if not is_blank(cell)]
    for gap in range(filled[0] + 1, filled[-1]):
        if not is_blank(header[gap]):
            continue
        first_layout = _layout(
            table.name, layout.row_number, layout.position, header[:gap]
        )
        second_layout = _layout(
            table.name,
            layout.row_number,
            layout.position,
            (None,) * (gap + 1) + tuple(header[gap + 1 :]),
        )
        if first_layout is None or second_layout is None:
            continue
        below = table.rows[layout.position + 1 :]
        if any(not is_blank(_cell(cells, gap)) for _, cells in below):
            continue
        first = _columns_of(table, layout.position, 0, gap)
        second = _columns_of(table, layout.position, gap + 1, None)
        if _same_lines((first, first_layout), (second, second_layout)):
            continue
        return (first, first_layout), (second, second_layout)
    return None


def _tables_below(table: Table, layout: ListLayout) -> tuple[_Part, _Part] | None:
    """The list and a second table below it, naming other items; or None."""
    found = _split_below(table, layout)
    return None if found is None or _same_lines(*found) else found


def _split_below(table: Table, layout: ListLayout) -> tuple[_Part, _Part] | None:
    """The list and a second table below it, from the first row after the
    header that is a list's header itself (words only, none a number, naming
    an item and an amount or months); or None. A heading that ends the list
    (Assumptions, Notes) or a setting (Headcount) ends the search."""
    figure = layout.amount if layout.amount is not None else layout.figures[0]
    for position in range(layout.position + 1, len(table.rows)):
        row_number, cells = table.rows[position]
        # A line has a number under the list's first figure; a header has not.
        under = _cell(cells, figure)
        if isinstance(under, int | float) or (
            isinstance(under, str) and parse_number_text(under) is not None
        ):
            continue
        item = _text(_cell(cells, layout.item))
        if _ENDS_LIST.match(item) or _SETTING.match(item):
            return None
        words = [cell for cell in cells if not is_blank(cell)]
        if len(words) < 2 or not all(
            isinstance(cell, str) and parse_number_text(cell) is None for cell in words
        ):
            continue
        second_layout = _layout(table.name, row_number, 0, cells)
        if second_layout is None:
            continue
        end = position
        while end > layout.position + 1 and row_is_blank(table.rows[end - 1][1]):
            end -= 1
        first = replace(table, rows=table.rows[:end])
        second = replace(table, rows=table.rows[position:])
        return (first, layout), (second, second_layout)
    return None


def _items(part: _Part) -> list[str]:
    """The item names under a list's header, as written, in order."""
    table, layout = part
    names = (
        _text(_cell(cells, layout.item))
        for _, cells in table.rows[layout.position + 1 :]
    )
    return [name for name in names if name]


def _same_lines(first: _Part, second: _Part) -> list[str]:
    """The items both tables name, when they are at least half of the shorter
    table's: the same lines again (this year's budget beside last year's
    actuals, or the annual cost below the monthly), not more lines. Else none."""
    theirs = {name.casefold() for name in _items(second)}
    ours = {name.casefold() for name in _items(first)}
    shared = [name for name in _items(first) if name.casefold() in theirs]
    if not shared or 2 * len(set(map(str.casefold, shared))) < min(
        len(ours), len(theirs)
    ):
        return []
    return list(dict.fromkeys(shared))


def _same_lines_below(
    table: Table, layout: ListLayout, issues: Sequence[Issue]
) -> Issue | None:
    """An error saying the header below the list starts the same lines again,
    when the row it is on was refused; None otherwise."""
    found = _split_below(table, layout)
    if found is None:
        return None
    shared = _same_lines(*found)
    second_layout = found[1][1]
    row = second_layout.row_number
    refused = any(
        issue.severity is Severity.ERROR and issue.row == row for issue in issues
    )
    if not shared or not refused:
        return None
    names = listing([f"'{name}'" for name in shared])
    return Issue(
        Severity.ERROR,
        f"Row {row} is a header of its own ({_header_of(second_layout)}) over the "
        f"same items as the list above ({names}): the sheet holds the same lines "
        "twice, and they would be counted twice. Keep one of the two tables, or "
        "move the other to a sheet of its own.",
        table.name,
        row,
    )


def _read_both(
    first: _Part,
    second: _Part,
    conventions: Conventions,
    period: Period | None,
) -> tuple[CostBase | None, list[Issue]] | None:
    """Both tables read as lists, their lines as one cost base, with a warning
    saying where the second is and what each holds; None if either is not a
    list after all."""
    read = [
        _read_tables(table, layout, conventions, period)
        for table, layout in (first, second)
    ]
    if read[0] is None or read[1] is None:
        return None
    (first_base, first_issues), (second_base, second_issues) = read
    note = _two_tables_note(first, second, first_base, second_base)
    if first_base is None or second_base is None:
        return None, [note, *first_issues, *second_issues]
    lines = first_base.lines + second_base.lines
    said = {
        _to_classify(len(base), issue.sheet or "", issue.row or 0)
        for base, issues in read
        if base is not None
        for issue in issues
    }
    issues = [issue for issue in (*first_issues, *second_issues) if issue not in said]
    joined = _to_classify(len(lines), first[0].name, first[1].row_number)
    return CostBase(lines=lines), [note, *issues, joined]


def _to_classify(count: int, sheet: str, row: int) -> Issue:
    """The warning that a list's lines were put in pool Other, as Fixed costs."""
    return Issue(
        Severity.WARNING,
        f"{_count(count, 'line')} put in pool {POOL} as Fixed costs, to classify: "
        "this sheet has no Pool or Behaviour column. Set each line's pool and "
        "behaviour, or add Pool and Behaviour columns to the sheet.",
        sheet,
        row,
    )


def _two_tables_note(
    first: _Part,
    second: _Part,
    first_base: CostBase | None,
    second_base: CostBase | None,
) -> Issue:
    (table, layout), (_, other_layout) = first, second
    if other_layout.row_number == layout.row_number:
        first_where = _span_of(layout)
        where = f"beside it, in {_span_of(other_layout)}"
    else:
        first_where = f"rows {layout.row_number} to {table.rows[-1][0]}"
        where = f"below it, from row {other_layout.row_number}"
    message = (
        f"{table.name} holds two tables: one in {first_where} and, {where}, a "
        f"second with a header of its own ({_header_of(other_layout)}). Each was "
        "read as a cost list of its own"
    )
    if first_base is not None and second_base is not None:
        in_all = _monthly(first_base) + _monthly(second_base)
        message += (
            f" and the lines of both are counted: the first holds "
            f"{_holding(first_base)}; the second {_holding(second_base)}; "
            f"{_money(in_all)} a month in all"
        )
    return Issue(
        Severity.WARNING,
        f"{message}. If the second table is not costs in use, delete it or move "
        "it to a sheet of its own.",
        table.name,
        other_layout.row_number,
    )


def _header_of(layout: ListLayout) -> str:
    """'Vendor | Annual cost': the headers a list's lines are read from."""
    return " | ".join(
        layout.labels[index].rsplit(" (", 1)[0]
        for index in sorted(layout.labels)
        if index not in layout.ignored
    )


def _span_of(layout: ListLayout) -> str:
    """'columns D to E': the columns of a list's header."""
    filled = sorted(layout.labels)
    if len(filled) == 1:
        return f"column {column_letter(filled[0])}"
    return f"columns {column_letter(filled[0])} to {column_letter(filled[-1])}"


def _monthly(cost_base: CostBase) -> float:
    return sum(line.monthly_rate for line in cost_base.lines)


def _holding(cost_base: CostBase) -> str:
    """'2 lines, 300.00 a month (3,600.00 a year as written)'."""
    held = f"{_lines(len(cost_base))}, {_money(_monthly(cost_base))} a month"
    periods = {line.period for line in cost_base.lines}
    if len(periods) == 1 and (period := periods.pop()) is not Period.MONTH:
        written = sum(line.amount or 0.0 for line in cost_base.lines)
        held += f" ({_money(written)} a {period.value.lower()} as written)"
    return held


# A column naming the period of each row: an item on several rows, one a
# month ('Item | Month | Cost', as a database exports a budget).
_PERIOD_OF_ROW = re.compile(
    r"(?:(?:budget|fiscal|financial|calendar|reporting|accounting|posting|plan"
    r"|planning)\s+)?(?:year|month|quarter|period|yr|mth|qtr|fy|date)",
    re.IGNORECASE,
)


def _long_format_issue(table: Table, layout: ListLayout) -> Issue | None:
    """An error for a list giving each item once per month (or quarter, or
    year) in a column of its own: read as lines, each item's months would be
    added up, so it is refused, saying how to lay it out."""
    if layout.is_grid:
        return None
    header = table.rows[layout.position][1]
    columns = [
        index
        for index, cell in enumerate(header)
        if index != layout.item and _PERIOD_OF_ROW.fullmatch(clean_header(cell))
    ]
    if not columns:
        return None
    rows_of: dict[str, list[int]] = {}
    periods: set[str] = set()
    for row_number, cells in table.rows[layout.position + 1 :]:
        item = _text(_cell(cells, layout.item))
        if not item or TOTAL_ROW.search(item):
            continue
        rows_of.setdefault(item.casefold(), []).append(row_number)
        periods.add(str(_cell(cells, columns[0])))
    repeated = [rows for rows in rows_of.values() if len(rows) > 1]
    if not repeated or len(periods) < 2:
        return None
    rows = repeated[0]
    item = _text(_cell(dict(table.rows)[rows[0]], layout.item))
    label = layout.labels.get(columns[0], clean_header(header[columns[0]]))
    others = len(repeated) - 1
    more = (
        ""
        if not others
        else ", as is 1 other item"
        if others == 1
        else f", as are {others:,} other items"
    )
    return Issue(
        Severity.ERROR,
        f"{table.name} lists an item once per period: {label} says which, and "
        f"'{item}' is on {_span(rows)}{more}. Read as cost lines, each row "
        "would be a cost of its own and an item's months added up, so it was not "
        "read. Put the months in columns (Jan to Dec, one row per item) to read "
        "it as a month-by-month budget, or keep one row per item with its cost.",
        table.name,
        layout.row_number,
        label,
    )


def _with_years_above(
    table: Table, layout: ListLayout
) -> tuple[Table, ListLayout, Issue | None]:
    """A grid whose months (or quarters) repeat with no year, under a row that
    names each group's year ('FY26' over Jan to Dec, 'Budget 2027' over the
    next Jan to Dec, merged or written once at its first column), read with
    each month given its group, 'Jan (FY26)', as a header of one row would
    say it, and a warning saying so; else all as they were."""
    unchanged = table, layout, None
    if not layout.is_grid or layout.position == 0:
        return unchanged
    reader = (
        quarter_of_header if layout.grid_period is Period.QUARTER else month_of_header
    )
    upper_number, upper = table.rows[layout.position - 1]
    header = table.rows[layout.position][1]
    periods = sorted(
        index
        for index, cell in enumerate(header)
        if (found := reader(cell)) is not None and found[0] is None
    )
    named = {reader(_cell(header, index)) for index in layout.months}
    if upper_number != layout.row_number - 1 or not any(
        index in layout.ignored and reader(_cell(header, index)) in named
        for index in periods
    ):
        return unchanged
    cells = list(header)
    group = ""
    for index in periods:
        above = _cell(upper, index)
        if isinstance(above, int | float) and not isinstance(above, bool):
            if above != int(above):
                return unchanged
            above = str(int(above))  # a year written as a number, 2026
        if isinstance(above, str) and not is_blank(above):
            group = clean_text(above)
        elif index - 1 not in periods:
            return unchanged  # a group's first column names no year
        if not group or _group_year(group) is None:
            return unchanged
        cells[index] = f"{clean_text(str(header[index]))} ({group})"
    found = _layout(table.name, layout.row_number, layout.position, cells)
    if found is None or not found.is_grid:
        return unchanged
    dated = [reader(cells[index]) for index in periods]
    if len(set(dated)) != len(dated):
        return unchanged  # the groups do not tell the repeated months apart
    rows = list(table.rows)
    rows[layout.position] = (layout.row_number, tuple(cells))
    shown = listing([f"'{cells[index]}'" for index in periods])
    issue = Issue(
        Severity.WARNING,
        f"Rows {upper_number} and {layout.row_number} were read as one header "
        f"row, since row {upper_number} gives the year of the "
        f"{layout.grid_period.value.lower()}s below it: {shown}. Keep one header "
        "row, with the year in each header, to make this plain.",
        table.name,
        upper_number,
    )
    return replace(table, rows=tuple(rows)), found, issue


# Words that make one of two amount columns for the same period the one to
# use: a budget or forecast rather than actuals; else the later year.
_PLAN_WORDS = frozenset(
    {"budget", "budgeted", "plan", "planned", "forecast", "fcst", "proposed"}
    | {"projected", "projection", "outlook", "target"}
)
_ACTUAL_WORDS = frozenset({"actual", "actuals", "act", "spent", "ytd", "prior"})
_YEAR = re.compile(r"\bfy\s*'?(\d{4}|\d{2})\b|\b(20\d{2})\b", re.IGNORECASE)


def _amount_rank(
    table: Table, layout: ListLayout, index: int
) -> tuple[int, int, int, int]:
    """How much an amount column is the one to read: visible first, then a
    budget or forecast over actuals, then the latest year it names, then a
    header that names money ('Annual cost') over one that names only its
    period ('Annual')."""
    text = clean_header(_cell(table.rows[layout.position][1], index))
    words = set(header_words(text))
    kind = 1 if words & _PLAN_WORDS else -1 if words & _ACTUAL_WORDS else 0
    years = [int(found[1] or found[2]) % 100 + 2000 for found in _YEAR.finditer(text)]
    return (
        index not in table.hidden_columns,
        kind,
        max(years, default=0),
        names_money(text),
    )


def _with_preferred_amount(table: Table, layout: ListLayout) -> ListLayout:
    """Of two or more amount columns for the same period ('FY26 actual | FY27
    budget'), the one to read: a visible one over a hidden one, a budget or
    forecast over actuals, a later year over an earlier one; with a warning
    saying which was read and why. The first is kept when none stands out."""
    if layout.is_grid or layout.priced or layout.amount is None:
        return layout
    header = table.rows[layout.position][1]
    current = layout.amount

    def same_period(index: int) -> bool:
        first = clean_header(_cell(header, current))
        other = clean_header(_cell(header, index))
        return (header_period(first), header_span(first)) == (
            header_period(other),
            header_span(other),
        )

    rivals = [
        index
        for index in layout.amounts
        if index != layout.check and index != current and same_period(index)
    ]
    named = (clean_header(_cell(header, index)) for index in (current, *rivals))
    if not rivals or any(
        re.match(rf"{_MONTH_NAME}\b", text, re.IGNORECASE) for text in named
    ):
        return layout  # months of a grid read as a list are not a choice of years
    ranks = {index: _amount_rank(table, layout, index) for index in (current, *rivals)}
    best = max(rivals, key=lambda index: ranks[index])
    if ranks[best] <= ranks[current]:
        return layout
    why = (
        f"{layout.labels[current]} is hidden"
        if ranks[best][0] > ranks[current][0]
        else "a budget or forecast is read before actuals"
        if ranks[best][1] > ranks[current][1] and ranks[best][1] == 1
        else f"{layout.labels[current]} holds actuals"
        if ranks[best][1] > ranks[current][1]
        else "it is the later year"
        if ranks[best][2] > ranks[current][2]
        else f"{layout.labels[current]} names only a period, not a cost"
    )
    text = clean_header(_cell(header, best))
    scales = {
        index: scale for index, scale in layout.scales.items() if index != current
    }
    if (scale := header_scale(text)) is not None:
        scales[best] = scale
    ignored = tuple(
        sorted({*(index for index in layout.ignored if index != best), current})
    )
    issue = Issue(
        Severity.WARNING,
        f"{layout.labels[best]} was read as each line's amount, not "
        f"{layout.labels[current]}, since {why}. If {layout.labels[current]} is the "
        "one to use, move the other column off the sheet.",
        table.name,
        layout.row_number,
        layout.labels[best],
    )
    return replace(
        layout,
        amount=best,
        period=Period.MONTH if header_span(text) else header_period(text),
        span=header_span(text),
        scales=scales,
        ignored=ignored,
        chosen_amount=issue,
    )


def _column_numbers(
    table: Table, layout: ListLayout, index: int, conventions: Conventions
) -> dict[int, float]:
    """The numbers in one column below the header, by row; unreadable cells left out."""
    found: dict[int, float] = {}
    for row_number, cells in table.rows[layout.position + 1 :]:
        cell = _cell(cells, index)
        if is_blank(cell):
            continue
        try:
            found[row_number] = read_money(cell, conventions=conventions).value
        except CellError:
            continue
    return found


def _with_cost_of_seats(
    table: Table, layout: ListLayout, conventions: Conventions
) -> ListLayout:
    """With a column of seats and two money columns, whatever their headers, the
    one equal to seats x the other (for the periods the headers say) on every
    line is the line's cost, and the other its price per seat."""
    if layout.is_grid or layout.unit is not None or layout.seats is None:
        return layout
    if len(layout.amounts) < 2:
        return layout
    seats = _column_numbers(table, layout, layout.seats, conventions)
    columns = {
        index: _column_numbers(table, layout, index, conventions)
        for index in layout.amounts
    }
    texts = layout.labels
    found: list[tuple[int, int]] = []
    for price, cost in itertools.permutations(layout.amounts, 2):
        price_period = header_period(texts[price])
        cost_period = header_period(texts[cost])
        factor = 1.0
        if price_period is not None and cost_period is not None:
            factor = cost_period.months / price_period.months
        rows = [
            row
            for row in seats
            if row in columns[price] and row in columns[cost] and columns[cost][row]
        ]
        if not rows or all(seats[row] == 1 for row in rows):
            continue
        if all(
            abs(seats[row] * columns[price][row] * factor - columns[cost][row]) <= 0.01
            for row in rows
        ):
            found.append((price, cost))
    if len(found) != 1:
        return layout
    price, cost = found[0]
    used = {price, cost, layout.seats}
    ignored = tuple(index for index in layout.ignored if index not in used)
    check = layout.check if layout.check not in used else None
    return replace(
        layout,
        amount=cost,
        period=header_period(texts[cost]) or layout.period,
        check=check,
        check_period=None if check is None else layout.check_period,
        ignored=ignored,
        seat_price=price,
        unit=price
        if header_period(texts[price]) == header_period(texts[cost])
        else None,
        quantity=layout.seats
        if header_period(texts[price]) == header_period(texts[cost])
        else None,
    )


def _holds_pools(table: Table, layout: ListLayout) -> bool:
    """True when the list's Category column holds cost pool names: then it is
    the template's Pool column, and the sheet is read as the template."""
    if layout.category is None:
        return False
    values = [
        cells[layout.category]
        for _, cells in table.rows[layout.position + 1 :]
        if layout.category < len(cells) and not is_blank(cells[layout.category])
    ]
    try:
        pools = {read_pool(value) for value in values}
    except CellError:
        return False
    if not values or not all(pools):
        return False
    # One pool on every line, named other than the pool itself ('Software'),
    # is a list of one kind, not the template's Pool column.
    exact = all(
        clean_text(str(value)).casefold() == str(read_pool(value)).casefold()
        for value in values
    )
    return len(pools) > 1 or exact


def _title_texts(table: Table, layout: ListLayout) -> list[str]:
    """The texts of the title rows directly above the header: the run of filled
    rows nearest it, blank rows between them and the header skipped."""
    above: list[str] = []
    for _, cells in reversed(table.rows[: layout.position]):
        if row_is_blank(cells):
            if above:
                break
            continue
        above[:0] = [text for cell in cells if (text := clean_header(cell))]
    return above


_PLAIN_CURRENCY = re.compile(
    r"(?:\bin\s+|\(\s*)(?:usd|eur|gbp|aud|cad|nzd|chf|dollars|euros|[$€£])(?:\s*\)|\s*$|\s*[;,.])",
    re.IGNORECASE,
)


def _title_clauses(table: Table, layout: ListLayout) -> list[str]:
    """The title rows' texts, split at semicolons and full stops."""
    return [
        clause.strip()
        for text in _title_texts(table, layout)
        for clause in re.split(r";|\.\s", text)
        if clause.strip()
    ]


def _with_title_scale(table: Table, layout: ListLayout) -> ListLayout:
    """The layout with a scale stated in a title row directly above the header,
    like 'IT budget (USD thousands)', given to each money column without its
    own. A title that also says the amounts are in plain units is not used;
    one saying another scale than a header is an error. A note beside the
    header, over an empty column ('amounts in $000' in D1), is read as a title."""
    beside = _scale_beside(table, layout)
    if beside:
        ignored = tuple(index for index in layout.ignored if index not in beside)
        layout = replace(layout, ignored=ignored)
    clauses = [*_title_clauses(table, layout), *beside.values()]
    scaled = [clause for clause in clauses if header_scale(clause) is not None]
    if not scaled:
        return layout
    plain = [
        clause
        for clause in clauses
        if header_scale(clause) is None and _PLAIN_CURRENCY.search(clause)
    ]
    if plain:
        return replace(layout, scale_doubt=(plain[0], scaled[0]))
    scale = header_scale(scaled[0])
    assert scale is not None
    if any(found != scale for found in layout.scales.values()):
        said = f"The title above the list says '{scaled[0]}'"
        conflict = _scale_conflict(table, layout, scale, said, layout.row_number)
        return replace(layout, scale_issues=(conflict,) if conflict else ())
    scales = dict(layout.scales)
    for index in layout.money:
        scales.setdefault(index, scale)
    source = (
        f"'{scaled[0]}' beside the header says"
        if scaled[0] in beside.values()
        else f"the title above the list says ('{scaled[0]}')"
    )
    if scales == layout.scales:
        return layout  # the header says so itself
    return replace(layout, scales=scales, scale_source=source)


def _scale_beside(table: Table, layout: ListLayout) -> dict[int, str]:
    """The header row's unread cells that say nothing but the unit of the
    amounts, like 'amounts in $000', over columns empty below: column -> text."""
    header = table.rows[layout.position][1]
    below = table.rows[layout.position + 1 :]
    return {
        index: text
        for index in layout.ignored
        if scale_note(text := clean_header(_cell(header, index))) is not None
        and all(is_blank(_cell(cells, index)) for _, cells in below)
    }


# A column naming each line's currency, whose cells may state a scale ('USD 000').
_CURRENCY_COLUMN = re.compile(
    r"^(?:currency|curr|ccy|cur)\.?(?:\s+(?:code|unit))?$", re.IGNORECASE
)
_CURRENCY_CODE = re.compile(r"usd|eur|gbp|aud|cad|nzd|chf|[$€£]", re.IGNORECASE)
# How far below the list's last figure a note stating its scale may stand.
NOTE_ROWS = 4


def _figure_rows(table: Table, layout: ListLayout) -> list[int]:
    """The rows below the header with something in a money column, up to a
    heading or a setting that ends the list."""
    found: list[int] = []
    for row_number, cells in table.rows[layout.position + 1 :]:
        item = _text(_cell(cells, layout.item))
        filled = any(not is_blank(_cell(cells, index)) for index in layout.money)
        ends = _SETTING.match(item) or (not filled and _ENDS_LIST.match(item))
        if item and found and ends:
            break
        if filled:
            found.append(row_number)
    return found


def _scale_conflict(
    table: Table, layout: ListLayout, scale: tuple[float, str], said: str, row: int
) -> Issue | None:
    """An issue when the header or the title says another unit than `said`: a
    different scale is an error, plain currency a warning (read as they stand)."""
    header = table.rows[layout.position][1]
    for index, (factor, words) in layout.scales.items():
        if factor != scale[0]:
            where = (
                f"the header {layout.labels[index]}"
                if header_scale(clean_header(_cell(header, index)))
                else "the title above the list"
            )
            return Issue(
                Severity.ERROR,
                f"{said}, but {where} says {words}, so the amounts cannot be read "
                "without a guess. Say the unit once, in the amount column's header, "
                "like 'Annual cost ($000)'.",
                table.name,
                row,
            )
    other = next(
        (
            f"the header {layout.labels[index]} gives the currency with no scale"
            for index in layout.money
            if _PLAIN_CURRENCY.search(clean_header(_cell(header, index)))
        ),
        None,
    )
    if other is None:
        other = next(
            (
                f"the title above the list says '{clause}'"
                for clause in _title_clauses(table, layout)
                if header_scale(clause) is None and _PLAIN_CURRENCY.search(clause)
            ),
            None,
        )
    if other is None:
        return None
    return Issue(
        Severity.WARNING,
        f"{said}, but {other}, so the amounts were read as they stand, not "
        f"multiplied. If they are in {scale[1]}, say so in the amount column's "
        "header, like 'Annual cost ($000)'.",
        table.name,
        row,
    )


def _read_in(layout: ListLayout, scale: tuple[float, str]) -> str:
    """What reading every money column in `scale` does, for a message."""
    columns = listing([layout.labels[index] for index in layout.money])
    factor, words = scale
    return (
        f"the amounts in {columns} were read in {words}: each was "
        f"{scale_effect(factor)}."
    )


def _with_currency_scale(table: Table, layout: ListLayout) -> ListLayout:
    """With a Currency column stating a scale, like 'USD 000', the same on every
    line: the amounts read in it. Lines that disagree are an error naming them;
    a column of plain currency codes is left alone."""
    if layout.scale_doubt is not None or layout.scale_issues:
        return layout
    header = table.rows[layout.position][1]
    column = next(
        (
            index
            for index in layout.ignored
            if _CURRENCY_COLUMN.match(clean_header(_cell(header, index)))
        ),
        None,
    )
    if column is None:
        return layout
    rows = dict(table.rows)
    # rows by the unit their cell gives: its scale ('thousands', 'millions',
    # 'plain', or '' when empty) and its currency, so USD 000 and EUR 000 differ
    groups: dict[tuple[str, str], list[int]] = {}
    shown: dict[tuple[str, str], str] = {}
    for row_number in _figure_rows(table, layout):
        cells = rows[row_number]
        text = _text(_cell(cells, column))
        item = _text(_cell(cells, layout.item))
        if not text and (not item or TOTAL_ROW.search(item)):
            continue  # a total row need not repeat the currency
        scale = header_scale(text) if text else None
        words = scale[1] if scale is not None else ("plain" if text else "")
        currency = " ".join(sorted(set(_CURRENCY_CODE.findall(text.casefold()))))
        key = (words, currency)
        groups.setdefault(key, []).append(row_number)
        shown.setdefault(key, text)
    if not any(words not in ("plain", "") for words, _ in groups):
        return layout
    label = layout.labels[column]
    ignored = tuple(index for index in layout.ignored if index != column)
    if len(groups) > 1:
        parts = [
            f"'{shown[key]}' in {_span(found)}"
            if key[0]
            else f"nothing in {_span(found)}"
            for key, found in groups.items()
        ]
        second = list(groups.values())[1][0]
        problem = Issue(
            Severity.ERROR,
            f"{label} does not give the same unit on every line: {listing(parts)}, "
            "so the amounts cannot be read without a guess. Make the lines agree, "
            "like 'USD 000' on every line, or split the list.",
            table.name,
            second,
            label,
        )
        return replace(layout, ignored=ignored, scale_issues=(problem,))
    key = next(iter(groups))
    scale = header_scale(shown[key])
    assert scale is not None
    if layout.scales and set(layout.scales.values()) == {scale}:
        return replace(layout, ignored=ignored)  # the header says so too
    said = f"{label} says '{shown[key]}' on every line"
    conflict = _scale_conflict(table, layout, scale, said, layout.row_number)
    if conflict is not None:
        return replace(layout, ignored=ignored, scale_issues=(conflict,))
    issue = Issue(
        Severity.WARNING,
        f"{said}, so {_read_in(layout, scale)}",
        table.name,
        layout.row_number,
        label,
    )
    return _scaled_below(layout, scale, issue, ignored=ignored)


def _scaled_below(
    layout: ListLayout, scale: tuple[float, str], issue: Issue, **more: object
) -> ListLayout:
    """The layout with every money column read in a scale said below the
    header (a Currency column, a note), and the warning that says so."""
    return replace(
        layout,
        scales=dict.fromkeys(layout.money, scale),
        scale_issues=(issue,),
        scaled_below=True,
        **more,  # type: ignore[arg-type]
    )


def _with_note_scale(table: Table, layout: ListLayout) -> ListLayout:
    """With a note a few rows below the list that says only the unit of its
    amounts, like 'Note: amounts in $000': the amounts read in it, when it is
    the sheet's one statement of a scale and the list is all the sheet holds.
    Anything less plain is left to the warning about a scale said below."""
    if layout.scale_doubt is not None or layout.scale_issues:
        return layout
    below = table.rows[layout.position + 1 :]
    stated = [
        (row_number, text, cells)
        for row_number, cells in below
        if header_scale(
            text := " ".join(
                clean_text(cell)
                for cell in cells
                if isinstance(cell, str) and not is_blank(cell)
            )
        )
        is not None
    ]
    if len(stated) != 1:
        return layout
    note_row, text, note_cells = stated[0]
    scale = scale_note(text)
    if scale is None or any(
        isinstance(cell, int | float) and not isinstance(cell, bool)
        for cell in note_cells
    ):
        return layout
    figures = [
        row_number
        for row_number, cells in below
        if row_number != note_row
        and (
            any(not is_blank(_cell(cells, index)) for index in layout.money)
            or any(
                isinstance(cell, int | float) and not isinstance(cell, bool)
                for cell in cells
            )
        )
    ]
    lines = [row for row in _figure_rows(table, layout) if row != note_row]
    if not figures or not lines or lines[-1] != figures[-1]:
        return layout  # a setting or a second table stands below the list
    if not figures[-1] < note_row <= figures[-1] + NOTE_ROWS:
        return layout
    if layout.scales and set(layout.scales.values()) == {scale}:
        return replace(layout, scale_note_row=note_row)  # the header says so too
    said = f"Row {note_row} says '{text}'"
    conflict = _scale_conflict(table, layout, scale, said, note_row)
    if conflict is not None:
        return replace(layout, scale_issues=(conflict,), scale_note_row=note_row)
    issue = Issue(
        Severity.WARNING,
        f"The note in row {note_row}, '{text}', was applied, so "
        f"{_read_in(layout, scale)} If the note is not about this list, move it "
        "off the sheet.",
        table.name,
        note_row,
    )
    return _scaled_below(layout, scale, issue, scale_note_row=note_row)


def _with_shown_scale(table: Table, layout: ListLayout) -> ListLayout:
    """Amounts stored in full but shown scaled down by their number format
    ('#,##0,' shows 12,000 as 12 under 'Annual cost ($000)') are read as they
    are stored, not multiplied by the scale a second time, and a warning says so."""
    if not table.shown_scales or not layout.scales:
        return layout
    rows = dict(table.rows)
    shown: list[int] = []
    for index, (factor, _) in layout.scales.items():
        numbers = [
            row
            for row in _figure_rows(table, layout)
            if isinstance(cell := _cell(rows[row], index), int | float)
            and not isinstance(cell, bool)
        ]
        if numbers and all(
            table.shown_scales.get((row, index)) == factor for row in numbers
        ):
            shown.append(index)
    if not shown:
        return layout
    scales = {
        index: scale for index, scale in layout.scales.items() if index not in shown
    }
    words = layout.scales[shown[0]][1]
    columns = listing([layout.labels[index] for index in shown])
    issue = Issue(
        Severity.WARNING,
        f"The amounts in {columns} are stored in full and only shown in {words} by "
        "their number format, so they were read as stored, not multiplied.",
        table.name,
        layout.row_number,
    )
    kept = tuple(
        found
        for found in layout.scale_issues
        if scales or found.severity is Severity.ERROR
    )
    return replace(layout, scales=scales, scale_issues=(*kept, issue))


class _ListReader:
    """Reads a list's rows in order: sections, lines and the totals to check."""

    def __init__(
        self,
        table: Table,
        layout: ListLayout,
        conventions: Conventions,
        chosen_period: Period | None = None,
    ) -> None:
        self.table = table
        self.layout = layout
        self.chosen_period = chosen_period
        self.conventions = conventions
        self.issues: list[Issue] = []
        self.lines: list[CostLine] = []
        self.section: str | None = None
        self.section_row: int | None = None
        self.section_lines = 0
        self.block = _Block()
        self.everything = _Block()
        self.header_period = layout.period  # before any choice of the user's
        self.summaries = _summary_rows(table, layout)
        # rows above their lines that add them up, found before the rows are
        # read: row -> (the warning, whether it heads a section)
        self.above: dict[int, tuple[str, bool]] = {}
        # rows below their lines found to add them up, though not named as
        # totals (or off by rounding): row -> the warning
        self.below: dict[int, str] = {}
        self.values: dict[int, dict[int, float]] = {}  # row -> figures, as read
        self.periods: dict[int, Period] = {}  # row -> a line's period
        # lines billed every N months: (item, row, cycle, amount as billed)
        self.cycles: list[tuple[str, int, BillingCycle, float]] = []
        self.row_formulas: dict[int, list[str]] | None = None  # made when needed
        self.subtotals: list[tuple[int, str, dict[int, float], tuple[int, ...]]] = []
        self.subtotal_figures: dict[int, dict[int, float]] = {}  # row -> figures
        self.ended: tuple[int, str] | None = None  # a heading like Assumptions
        self.not_read: list[int] = []
        self.after_blank = False  # a blank row came between this row and the last
        self.setting = False  # the list was ended by a row of settings, not costs
        self.near_subtotal: int | None = None  # the last line warned as one
        # The block that line was counted in, and the lines after it there.
        self.after_near: tuple[_Block, _Block] | None = None
        # A grid whose title says its months are running totals, or may be.
        titles = " ".join(_title_texts(table, layout)) if layout.is_grid else ""
        sure = _CUMULATIVE.search(titles)
        self.cumulative = sure[0] if sure else None
        maybe = None if sure else _TO_DATE.search(titles)
        self.to_date = maybe[0] if maybe else None
        # (item, row, latest running total, months it covers)
        self.running: list[tuple[str, int, float, int]] = []
        self.rising: list[tuple[str, int]] = []  # lines that only ever rise
        # Rows below the first of cells merged down over them: under a figure
        # (a number, left in the merge's first row only) or under the item.
        self.merged_figures = _merged_rows(table, layout.figures)
        self.merged_items = _merged_rows(table, (layout.item,))
        # rows with an item but no figures of their own, under a merged figure
        self.under_merged: dict[MergedRange, list[tuple[int, str]]] = {}
        # rows holding nothing but an item merged down from the row above
        self.item_merged: dict[MergedRange, list[int]] = {}
        self.cells_by_row: dict[int, Sequence[Cell]] | None = None  # when needed
        self.unread_at: int | None = None  # the warning naming unread columns

    def issue(
        self,
        severity: Severity,
        message: str,
        row: int,
        column: int | None = None,
        choice: str | None = None,
    ) -> None:
        label = None if column is None else self.layout.labels.get(column)
        self.issues.append(
            Issue(severity, message, self.table.name, row, label, choice)
        )

    def read(self) -> tuple[CostBase | None, list[Issue]]:
        layout = self.layout
        self._header_issues()
        self._find_totals_above()
        self._find_subtotals_below()
        rows_read: list[int] = []
        below = [
            row
            for row in self.table.rows[layout.position + 1 :]
            if row[0] != layout.scale_note_row
        ]
        self.issues.extend(blank_gaps(self.table.name, below))
        for row_number, cells in below:
            if row_is_blank(cells):
                self.after_blank = True
                continue
            if self.ended is not None:
                self.not_read.append(row_number)
                continue
            rows_read.append(row_number)
            self._row(row_number, cells)
            self.after_blank = False
        self._close_section()
        self._merged_issues()
        self._check_subtotals()
        self._ended_issue()
        self._cycles_issue()
        self._running_issues()
        self._unread_amounts()
        hidden = hidden_rows_warning(self.table, rows_read)
        if hidden is not None:
            self.issues.append(hidden)

        has_errors = any(issue.severity is Severity.ERROR for issue in self.issues)
        if not self.lines and not has_errors:
            self.issue(
                Severity.ERROR,
                f"{self.table.name} has a header in row {layout.row_number} but no "
                "lines with an amount below it; add at least one.",
                layout.row_number,
            )
            has_errors = True
        if self.lines and not has_errors:
            has_errors = self._below_zero()
        if self.lines and not has_errors:
            self.issues.append(
                _to_classify(len(self.lines), self.table.name, layout.row_number)
            )
        if has_errors:
            return None, self.issues
        return CostBase(lines=tuple(self.lines)), self.issues

    def _unread_amounts(self) -> None:
        """Say how much the unread columns headed as amounts hold on the lines
        read, so a second amount column beside the one read is never left out
        unseen."""
        if self.unread_at is None:
            return
        header = self.table.rows[self.layout.position][1]
        held = []
        for index in self.layout.ignored:
            if not is_amount_header(clean_header(_cell(header, index))):
                continue
            numbers = [
                cell
                for row_number, cells in self.table.rows[self.layout.position + 1 :]
                if row_number in self.values
                and isinstance(cell := _cell(cells, index), int | float)
                and not isinstance(cell, bool)
            ]
            if numbers:
                held.append(
                    f"{self.layout.labels[index]} holds {_money(sum(numbers))} "
                    f"({_lines(len(numbers))})"
                )
        if not held:
            return
        said = self.issues[self.unread_at]
        message = (
            f"{said.message} On the lines read, {' and '.join(held)}, not counted "
            "in the run-rate. If that is a second table's, with items of its own, "
            "put a blank column between the tables, each with a header naming its "
            "items and amounts, and both are read."
        )
        self.issues[self.unread_at] = replace(said, message=message)

    def _below_zero(self) -> bool:
        """Refuse lines whose run-rate adds up below zero, as costs written as
        negative amounts (a P&L's sign) would; True if it did."""
        rates = [line.monthly_rate for line in self.lines]
        if _cents(sum(rates)) >= 0:
            return False
        negative = [rate for rate in rates if rate < 0]
        self.issue(
            Severity.ERROR,
            f"The lines add up to {_money(sum(rates))} a month, below zero: "
            f"{len(negative)} of the {len(rates)} are negative "
            f"({_money(sum(negative))} a month). Costs appear to be written as "
            "negative amounts, as a P&L or ledger writes expenses, and read so "
            "they would make a run-rate below zero. Write each cost as a positive "
            "amount (credits and discounts negative) and upload the file again.",
            self.layout.row_number,
            self.layout.amount,
        )
        return True

    def _header_issues(self) -> None:
        layout = self.layout
        for label, currency in _header_currencies(layout):
            try:
                self.conventions.check_currency(currency)
            except CellError as problem:
                self.issues.append(
                    Issue(
                        Severity.ERROR,
                        f"{label} {problem}.",
                        self.table.name,
                        layout.row_number,
                        label,
                    )
                )
        if not layout.is_grid:
            self._period_issues()
            self._price_issues()
        else:
            self._grid_issues()
        self.issues.extend(layout.scale_issues)
        if layout.chosen_amount is not None and layout.seat_price is None:
            self.issues.append(layout.chosen_amount)
        if layout.scale_doubt is not None:
            plain, scaled = layout.scale_doubt
            self.issue(
                Severity.WARNING,
                f"The title above the list says both '{plain}' and '{scaled}'; the "
                "amounts were read as they stand, not multiplied. If they are in "
                "thousands or millions, say so in the amount column's header.",
                layout.row_number,
            )
        doubted = layout.scale_issues and not layout.scaled_below  # said already
        stray = None if doubted else self._stray_scale()
        if stray is not None and layout.scales:
            row, text = stray
            words = listing(sorted({words for _, words in layout.scales.values()}))
            self.issue(
                Severity.WARNING,
                f"Row {row} says '{text}', but the amounts were read in {words}. "
                "Check which is right, and say the unit once, in the amount "
                "column's header, like 'Annual cost ($000)'.",
                row,
            )
        elif stray is not None:
            row, text = stray
            self.issue(
                Severity.WARNING,
                f"Row {row} says '{text}', but the amount header does not say the "
                "amounts are in thousands or millions, so they were read as they "
                "stand, not multiplied. If they are, say so in the amount column's "
                "header, like 'Annual cost ($000)'.",
                row,
            )
        if layout.seat_price is not None and layout.amount is not None:
            price = layout.seat_price
            self.issue(
                Severity.WARNING,
                f"{layout.labels[layout.amount]} is read as each line's cost: on "
                f"every line it is {layout.labels[layout.seats]} x "  # type: ignore[index]
                f"{layout.labels[price]}, the price per seat.",
                layout.row_number,
                layout.amount,
            )
        header_scales = {} if layout.scaled_below else layout.scales
        for factor, words in sorted(set(header_scales.values())):
            columns = [
                layout.labels[index]
                for index, (_, said) in layout.scales.items()
                if said == words
            ]
            self.issue(
                Severity.WARNING,
                f"The amounts in {listing(columns)} are read in {words}, as "
                f"{layout.scale_source}: each was {scale_effect(factor)}.",
                layout.row_number,
            )
        repeated = self._repeated_columns()
        ignored = [index for index in layout.ignored if index not in repeated]
        if ignored:
            shown = [layout.labels[index] for index in ignored]
            verb = "was" if len(shown) == 1 else "were"
            self.unread_at = len(self.issues)
            self.issue(
                Severity.WARNING,
                f"{listing(shown)} {verb} not read: this sheet is read as "
                f"{_kind(layout)} "
                "of items and amounts.",
                layout.row_number,
                ignored[0] if len(shown) == 1 else None,
            )

    def _grid_issues(self) -> None:
        """Say which months (or quarters) a grid's average is over: where its
        header skips one, and where it names the same ones again with no year."""
        layout = self.layout
        noun = layout.grid_period.value.lower()
        read = (
            f"{layout.labels[layout.months[0]]} to {layout.labels[layout.months[-1]]}"
        )
        missing = _missing_periods(self.table.rows[layout.position][1], layout)
        if missing:
            one = len(missing) == 1
            names = listing(missing)
            self.issue(
                Severity.WARNING,
                f"The header has no {names} column{'' if one else 's'}, so each "
                f"line costs its average {noun} over the {len(layout.months)} "
                f"{noun}s present ({read}), not over "
                f"{len(layout.months) + len(missing)} with {names} as 0. Add "
                f"{'the column' if one else 'the columns'} if "
                f"{names} had costs.",
                layout.row_number,
            )
        if layout.earlier:
            cycle = len(layout.months)
            left = (
                f"{layout.labels[layout.earlier[0]]} to "
                f"{layout.labels[layout.earlier[-1]]}"
                if len(layout.earlier) > 1
                else layout.labels[layout.earlier[0]]
            )
            self.issue(
                Severity.WARNING,
                f"The header has {len(layout.months) + len(layout.earlier)} "
                f"{noun}s, more than a year, so each line costs its average {noun} "
                f"of the latest {cycle}, {read}; the {len(layout.earlier)} earlier "
                f"{noun}{'' if len(layout.earlier) == 1 else 's'} ({left}) "
                f"{'was' if len(layout.earlier) == 1 else 'were'} left out. Delete "
                f"the columns of the {noun}s you do not want averaged, or keep the "
                "year you plan for on a sheet of its own.",
                layout.row_number,
            )
        repeated = self._repeated_columns()
        if repeated:
            first, last = layout.labels[repeated[0]], layout.labels[repeated[-1]]
            again = first if len(repeated) == 1 else f"{first} to {last}"
            self.issue(
                Severity.WARNING,
                f"{again} name {noun}s the header already has, with no year to "
                f"tell them apart, so {'it was' if len(repeated) == 1 else 'they were'}"
                f" not read: each line costs its average {noun} of {read} only. "
                f"Add the year to each {noun}'s header, like "
                f"{'Jan-26' if noun == 'month' else 'Q1 2026'}, to read them all.",
                layout.row_number,
            )

    def _repeated_columns(self) -> tuple[int, ...]:
        """A grid's columns left unread since they name a month (or quarter)
        already read, as a second year of Jan to Dec with no years does."""
        layout = self.layout
        if not layout.is_grid:
            return ()
        reader = (
            quarter_of_header
            if layout.grid_period is Period.QUARTER
            else month_of_header
        )
        header = self.table.rows[layout.position][1]
        read = {reader(_cell(header, index)) for index in layout.months}
        return tuple(
            index for index in layout.ignored if reader(_cell(header, index)) in read
        )

    def _stray_scale(self) -> tuple[int, str] | None:
        """The first text below the header that speaks of thousands or millions,
        other than the scale the amounts were read in."""
        applied = set(self.layout.scales.values())
        for row_number, cells in self.table.rows[self.layout.position + 1 :]:
            if row_number == self.layout.scale_note_row:
                continue
            for cell in cells:
                if not isinstance(cell, str):
                    continue
                scale = header_scale(cell)
                if scale is not None and scale not in applied:
                    return row_number, clean_text(cell)
        return None

    def _price_issues(self) -> None:
        """Say once that a line's amount is its seats times its price, or
        refuse a list that has a price per seat and nothing to multiply it by."""
        layout = self.layout
        if not layout.priced:
            return
        price = layout.labels[layout.amount]  # type: ignore[index]
        if layout.quantity is None:
            self.issue(
                Severity.ERROR,
                f"{price} is a price per seat, licence or user, not what a line "
                "costs, and the list has no column of seats or a total to use. Add "
                "a Seats column, or a column of each line's cost (like 'Monthly "
                "cost').",
                layout.row_number,
                layout.amount,
            )
            return
        seats = layout.labels[layout.quantity]
        self.issue(
            Severity.WARNING,
            f"Each line's amount is {seats} x {price}, since the list has no "
            "column of each line's cost.",
            layout.row_number,
        )

    def _period_issues(self) -> None:
        """What a list's amounts cover: its header's period, else the user's
        choice, else an error asking for one."""
        layout, chosen = self.layout, self.chosen_period
        label = layout.labels[layout.amount]  # type: ignore[index]
        header = clean_header(_cell(self.table.rows[layout.position][1], layout.amount))
        if (two_ways := header_ambiguity(header)) is not None:
            word, one, other = two_ways
            self.issue(
                Severity.ERROR,
                f"The header {label} says '{word}', which some mean as {one} and "
                f"others as {other}, so what one amount covers cannot be told. Rename "
                f"the header to say which, like 'Cost {one}', or add a Period column "
                f"saying '{one}' or '{other}' on each line.",
                layout.row_number,
                layout.amount,
            )
            return
        if (conflict := header_conflict(header)) is not None:
            word, term = conflict
            written = re.search(rf"\b{word}\b", header, re.IGNORECASE)
            word = word if written is None else written[0]
            self.issue(
                Severity.ERROR,
                f"The header {label} says both '{word}' and '{term}', so whether one "
                "amount covers the period or the whole term cannot be told. Rename "
                f"the header to say one: '{word.capitalize()} cost' if each amount "
                f"covers one period, 'Cost ({term})' if it covers the whole term; or "
                "add a Period column.",
                layout.row_number,
                layout.amount,
            )
            return
        if layout.span is not None:
            months, words = layout.span
            self.issue(
                Severity.WARNING,
                f"The header {label} says each amount covers {words}, so each was "
                f"divided by {months} and read as a month's cost. If the amounts "
                "are a year's, rename the header 'Annual cost'.",
                layout.row_number,
                layout.amount,
            )
            return
        if layout.period is not None:
            if chosen is not None and chosen is not layout.period:
                self.issue(
                    Severity.WARNING,
                    f"The header {label} says the amounts are a "
                    f"{layout.period.value.lower()}'s; they were read so, not as "
                    f"the {chosen.value.lower()} you chose.",
                    layout.row_number,
                    layout.amount,
                )
            return
        if chosen is not None:
            self.layout = replace(layout, period=chosen)
            per_row = " where a row's Period is empty" if layout.period_column else ""
            self.issue(
                Severity.WARNING,
                f"The amounts in {label} were read as a {chosen.value.lower()}'s "
                f"cost{per_row}, as you chose.",
                layout.row_number,
                layout.amount,
            )
            return
        arithmetic = period_arithmetic(header)
        if layout.period_column is None and arithmetic is not None:
            self.issue(
                Severity.ERROR,
                f"The header {label} says '{arithmetic}', so it is not clear what "
                "one amount covers. Say whether these amounts are a month, a quarter "
                f"or a year: rename the header {label} to 'Annual cost', 'Monthly "
                "cost' or 'Quarterly cost', or add a Period column.",
                layout.row_number,
                layout.amount,
                choice=PERIOD,
            )
        elif layout.period_column is None:
            self.issue(
                Severity.ERROR,
                "Say whether these amounts are a month, a quarter or a year: rename "
                f"the header {label} to 'Annual cost', 'Monthly cost' or 'Quarterly "
                "cost', or add a Period column.",
                layout.row_number,
                layout.amount,
                choice=PERIOD,
            )

    def _row(self, row_number: int, cells: Sequence[Cell]) -> None:
        layout = self.layout
        item_cell = _cell(cells, layout.item)
        try:
            item = clean_text(read_text(item_cell))
        except CellError as problem:
            self.issue(
                Severity.ERROR,
                f"{layout.labels[layout.item]} {problem}.",
                row_number,
                layout.item,
            )
            return
        # A named line is a total by its name (its notes may say "total"), a
        # row with no name when any of its text says so.
        texts = [item] if item else [_text(cell) for cell in cells]
        total = next((text for text in texts if TOTAL_ROW.search(text)), None)
        if total is None and _NET_ROW.match(item) and self._adds_up(cells):
            total = item  # 'Net IT cost' adding up the lines and credits above
        filled = [
            index for index in layout.figures if not is_blank(_cell(cells, index))
        ]
        if filled and item and self.lines and self._is_setting(item, cells):
            self.ended, self.setting = (row_number, item), True
            self.not_read.append(row_number)
            return
        if filled and row_number in self.below:
            self._leave_out_below(row_number)
            return
        if filled and self._subtotal(row_number, cells, item):
            return
        if total is not None:
            if not item or self._is_total_name(item):
                self._total(row_number, cells, item or total)
                return
            if self._adds_up(cells):
                # Named like an item that starts like a total, and adding up its
                # lines: most likely a total, but say so, since it is not counted.
                self.issue(
                    Severity.WARNING,
                    f"'{item}' adds up the lines above it, so it was read as a "
                    "total and not counted. If it is an item of its own, rename it "
                    "so it does not start like a total.",
                    row_number,
                    layout.item,
                )
                self._total(row_number, cells, item)
                return
            self.issue(
                Severity.WARNING,
                f"'{item}' starts like a total but is not the total of its lines "
                "above, so it was read as a cost line. Rename it if it is an item; "
                "name it Total if it is a total.",
                row_number,
                layout.item,
            )
        if not filled:
            if item and self._under_merge(row_number, item):
                return
            if item and self.lines and _ENDS_LIST.match(item):
                self.ended = (row_number, item)
                return
            if item:
                self._close_section()
                self.section, self.section_row, self.section_lines = item, row_number, 0
                self.block = _Block()
            return
        if not item and self.everything.rows and self._adds_up(cells):
            rows = self.block.rows or self.everything.rows
            self.issue(
                Severity.WARNING,
                f"Row {row_number} has no name and its amount is the sum of "
                f"{_span(rows) if len(rows) > 1 else f'row {rows[0]}'} above it, so "
                "it was read as a total and left out of the sum. Name it Total to "
                "make this plain.",
                row_number,
                layout.item,
            )
            self._total(row_number, cells, f"Row {row_number}")
            return
        figures = self._figures(row_number, cells)
        if not item:
            self.issue(
                Severity.ERROR,
                f"{layout.labels[layout.item]} is empty; name the line.",
                row_number,
                layout.item,
            )
            return
        if figures is None:
            return
        self._looks_like_subtotal(row_number, item, figures)
        line = self._line(row_number, cells, item, figures)
        if line is not None:
            self.lines.append(line)
            self.section_lines += 1
            self.values[row_number] = dict(figures)
            self.periods[row_number] = line.period
            months = self._months_of(cells)
            self.block.add(row_number, figures, months)
            self.everything.add(row_number, figures, months)
            if row_number == self.near_subtotal:
                self.after_near = (self.block, _Block())
            elif self.after_near is not None and self.after_near[0] is self.block:
                self.after_near[1].add(row_number, figures, months)

    def _under_merge(self, row_number: int, item: str) -> bool:
        """Keep a row with an item but no figures that lies under cells merged
        down from a row above it, to be named in one warning for the merge
        (`_merged_issues`) rather than read as a section heading; True if it does.
        """
        merge = self.merged_figures.get(row_number)
        if merge is not None:
            self.under_merged.setdefault(merge, []).append((row_number, item))
            return True
        merge = self.merged_items.get(row_number)
        if merge is not None and item == self._item_of(merge.top):
            self.item_merged.setdefault(merge, []).append(row_number)
            return True
        return False

    def _cells_of(self, row_number: int) -> Sequence[Cell]:
        if self.cells_by_row is None:
            self.cells_by_row = dict(self.table.rows)
        return self.cells_by_row.get(row_number, ())

    def _item_of(self, row_number: int) -> str:
        return _text(_cell(self._cells_of(row_number), self.layout.item))

    def _merged_issues(self) -> None:
        """One warning for each merge that rows with an item but no figures of
        their own lie under, naming them and saying where its figure counted."""
        layout = self.layout
        by_rows: dict[tuple[int, int], list[MergedRange]] = {}
        if self.under_merged:
            for merge in sorted(self.table.merges, key=lambda merge: merge.left):
                by_rows.setdefault((merge.top, merge.bottom), []).append(merge)
        for merge, rows in self.under_merged.items():
            column = next(
                index for index in layout.figures if merge.left <= index <= merge.right
            )
            beside = by_rows[merge.top, merge.bottom]
            message = self._under_merged_message(merge, rows, column, beside)
            self.issue(Severity.WARNING, message, rows[0][0], column)
        for merge, numbers in self.item_merged.items():
            one = len(numbers) == 1
            self.issue(
                Severity.WARNING,
                f"{_rows_named(numbers)} {'holds' if one else 'hold'} only "
                f"'{self._item_of(merge.top)}', merged down from row {merge.top} "
                f"over {merge.span}, and no amount, so "
                f"{'it was' if one else 'they were'} read as part of row "
                f"{merge.top}.",
                numbers[0],
                layout.item,
            )

    def _under_merged_message(
        self,
        merge: MergedRange,
        rows: Sequence[tuple[int, str]],
        column: int,
        same_rows: Sequence[MergedRange],
    ) -> str:
        """What became of rows with an item but no figures under a figure
        merged down from `merge.top`: counted once there, or not at all.
        `same_rows` are the merges over the same rows, by column."""
        layout = self.layout
        cells = self._cells_of(merge.top)
        top_item = _text(_cell(cells, layout.item))
        numbers = [row for row, _ in rows]
        counted = merge.top in self.values
        rows_named = _rows_named(numbers)
        one = len(rows) == 1
        were = "was" if one else "were"
        they_were = "it was" if one else "they were"
        # A grid's months each merged down over the same rows are said at once.
        beside = [
            other
            for other in same_rows
            if any(
                other.left <= index <= other.right and not is_blank(_cell(cells, index))
                for index in layout.figures
            )
        ]
        if len(beside) > 1:
            figure, is_ = "the amounts", "are"
            under = f"{figure} merged over {listing([m.span for m in beside])}"
            where = listing(
                [
                    layout.labels[index]
                    for index in layout.figures
                    if any(m.left <= index <= m.right for m in beside)
                ]
            )
        else:
            figure, is_ = show(_cell(cells, column)), "is"
            under = f"{figure}, merged over {merge.span}"
            where = layout.labels[column]
        item_merge = self.merged_items.get(numbers[0])
        if (
            item_merge is not None
            and item_merge.top == merge.top
            and all(item == top_item for _, item in rows)
        ):
            # The item merged down with its amount: one line written tall.
            said = (
                f"'{top_item}' is merged down from row {merge.top} over "
                f"{item_merge.span}, beside {under}"
            )
            if counted:
                return (
                    f"{said}, so {rows_named.lower()} {were} read as part of row "
                    f"{merge.top}'s line, {figure} counted once. If each row is "
                    "a cost of its own, unmerge the cells and fill in each row."
                )
            return (
                f"{said}; row {merge.top} was not read as a cost line, and "
                f"{rows_named.lower()} {were} not counted either. Unmerge the "
                "cells and fill in each row."
            )
        names = listing([f"'{item}'" for _, item in rows])
        at = f"row {merge.top}" + (f" ('{top_item}')" if top_item else "")
        said = (
            f"{rows_named} ({names}) {'has' if one else 'have'} no amount of "
            f"{'its' if one else 'their'} own in {where}: "
            f"{'it sits' if one else 'they sit'} under {under}"
        )
        if counted:
            every = _rows_named(range(merge.top, merge.bottom + 1)).lower()
            return (
                f"{said}, counted once, on {at}, and {they_were} not counted as "
                f"{'a line' if one else 'lines'}. If {figure} {is_} the cost of "
                f"{every} together, that is right; if each row has a cost of its "
                "own, unmerge the cells and fill in each row's amount."
            )
        return (
            f"{said}, which belong{'s' if is_ == 'is' else ''} to {at}; row "
            f"{merge.top} was not read as a cost line, and {they_were} not "
            "counted either. Unmerge the cells and fill in each row's amount."
        )

    def _quiet_figures(self, cells: Sequence[Cell]) -> dict[int, float] | None:
        """The row's money in the columns totals are checked in; None when a
        cell cannot be read."""
        figures: dict[int, float] = {}
        for index in self.layout.totals:
            cell = _cell(cells, index)
            if is_blank(cell):
                continue
            try:
                value = read_money(cell, conventions=self.conventions).value
            except CellError:
                return None
            figures[index] = value * self._factor(index)
        return figures

    def _factor(self, index: int) -> float:
        """What a column's numbers are multiplied by: its scale, and for amounts
        covering a half-year or a term of years, one over its months."""
        factor = self.layout.scales.get(index, (1.0, ""))[0]
        if self.layout.span is not None and index == self.layout.amount:
            factor /= self.layout.span[0]
        return factor

    def _is_total_name(self, item: str) -> bool:
        """A total word alone, or with the name of the section it closes."""
        return _total_name(item, self.section)

    def _adds_up(self, cells: Sequence[Cell]) -> bool:
        """True when the row's amounts are, to the cent, the sum of the lines of
        its block (or of every line above it)."""
        figures = self._quiet_figures(cells)
        if figures is None:
            return True  # _total says the total could not be checked
        if not figures:
            return False
        # One line is no sum: a row equal to the single line above it is as
        # likely an item of the same price as a total of one.
        return any(
            len(block.rows) >= 2
            and all(
                _cents(value) == _cents(block.sums.get(index, 0.0))
                for index, value in figures.items()
            )
            for block in (self.block, self.everything)
        )

    def _looks_like_subtotal(
        self, row_number: int, item: str, figures: Mapping[int, float]
    ) -> None:
        """Warn when a line's amount is the sum of the two or more lines above
        it in its block, as a subtotal's would be."""
        block = self.block
        checked = [index for index in self.layout.totals if index in figures]
        if len(block.rows) < 2 or not checked:
            return
        if not any(figures[index] for index in checked):
            return
        rows = block.rows
        sums = {index: block.sums.get(index, 0.0) for index in checked}
        if self.after_near is not None and self.after_near[0] is block:
            # Lines after a row warned as a rounded subtotal make the next block.
            after = self.after_near[1]
            rows = after.rows
            sums = {index: after.sums.get(index, 0.0) for index in checked}
        if len(rows) < 2:
            return
        if all(_cents(figures[index]) == _cents(sums[index]) for index in checked):
            self.issue(
                Severity.WARNING,
                f"'{item}' looks like a subtotal of rows {rows[0]} to "
                f"{rows[-1]}: its amount is their sum. It was counted as a "
                "line; if it is a subtotal, name it Total or delete it.",
                row_number,
                self.layout.item,
            )
            return
        # A subtotal rounded to whole hundreds or thousands is near the sum,
        # not on it: said, not guessed, as a line may be as near by chance.
        near = [
            index
            for index in checked
            if sums[index] > 0
            and abs(figures[index] - sums[index]) <= _NEAR_SUM * sums[index]
        ]
        if len(near) != len(checked):
            return
        index = near[0]
        self.near_subtotal, self.after_near = row_number, None
        self.issue(
            Severity.WARNING,
            f"'{item}' is {_money(figures[index])}, within "
            f"{abs(figures[index] / sums[index] - 1):.1%} of rows {rows[0]} "
            f"to {rows[-1]} above it, which add up to {_money(sums[index])}: "
            "it may be their subtotal, rounded. It was counted as a line; if it is "
            "a subtotal, name it Subtotal or delete it.",
            row_number,
            self.layout.item,
        )

    def _subtotal(self, row_number: int, cells: Sequence[Cell], item: str) -> bool:
        """Leave out a row that sums other rows: by a formula like =SUM(B2:B3),
        or as a summary row of an outline or of indented lines. True if it was."""
        layout = self.layout
        children = self.summaries.get(row_number)
        how = "its lines are grouped below or indented under it"
        if children is None:
            children = summed_rows(
                self.table, row_number, layout.totals
            ) or self._summed_by_formula(row_number, cells)
            how = "its amount is a formula adding them up"
        if not children and row_number in self.above:
            return self._total_above(row_number, item)
        if not children:
            return False
        figures = self._quiet_figures(cells) or {}
        self.subtotals.append((row_number, item or "(no name)", figures, children))
        self.subtotal_figures.setdefault(row_number, figures)
        name = f"'{item}'" if item else f"Row {row_number}"
        shown = _span(children)
        self.issue(
            Severity.WARNING,
            f"{name} was read as a subtotal of {shown}, since {how}; it was left out "
            "of the sum.",
            row_number,
            layout.item,
        )
        if children[0] > row_number and item:
            # A summary above its lines names their section.
            self._close_section()
            self.section, self.section_row, self.section_lines = (
                _section_name(item),
                row_number,
                1,
            )
        self.block = _Block()
        return True

    def _total_above(self, row_number: int, item: str) -> bool:
        """Leave out a row found to add up the lines below it, saying so; found
        by its amounts, it agrees with them, so there is nothing to check."""
        message, heads = self.above[row_number]
        self.issue(Severity.WARNING, message, row_number, self.layout.item)
        self._close_section()
        if heads and item:
            self.section, self.section_row, self.section_lines = (
                _section_name(item),
                row_number,
                1,
            )
        self.block = _Block()
        return True

    def _find_totals_above(self) -> None:
        """Find the rows that carry the sum of the lines below them: a grand
        total written above the whole list, or section headings each carrying
        its subtotal, when every such heading adds up its own lines. A row that
        adds up rows below it while the rest of the list does not read that way
        stays a line, with a warning. Rows named as totals that head the rows
        below them are read first; when they do not, each piece of their run
        is read on its own, as though they were totals of the rows above."""
        for run in self._runs_of_figures():
            if self._leave_out_named_tops(run):
                continue
            for above, piece in itertools.pairwise(run):
                if piece.top is not None and above.rows and not piece.closes_above:
                    head, name, figures = piece.top
                    self._heading_over_one_line(above.rows, figures, head, name)
            for at, piece in enumerate(run):
                after = run[at + 1] if at + 1 < len(run) else None
                closer = piece.closed_by
                if after is not None and after.closes_above:
                    closer = after.top
                if closer is not None:
                    self._heading_over_its_total(piece, closer)
                elif len(piece.rows) >= 2 and not piece.claimed:
                    self._find_in(piece.rows)

    def _leave_out_named_tops(self, run: Sequence[_Piece]) -> bool:
        """Leave out the rows named as totals that stand above the rows they
        add up ('Hardware total' over Laptops and Monitors, 'Software total'
        over M365 and Zoom), and a grand total over them all; True if the run
        reads so. A named row at the foot of the run stays a total of the
        lines above it, checked as the rows are read."""
        if all(piece.top is None for piece in run):
            return False
        if any(piece.claimed for piece in run):
            return False
        rows: list[_RunRow] = []
        named: list[int] = []
        for piece in run:
            if piece.top is not None:
                named.append(len(rows))
                rows.append(piece.top)
            rows.extend(piece.rows)
        while named and named[-1] == len(rows) - 1:
            named.pop()
            rows.pop()
        if not named or any(row in self.above for row, _, _ in rows):
            return False
        first_named = bool(TOTAL_ROW.search(rows[0][1])) or named[0] == 0
        columns = sorted({index for _, _, figures in rows for index in figures})
        keys = [
            tuple(figures.get(index, 0) for index in columns) for _, _, figures in rows
        ]
        heads = [at for at in named if at > 0]
        found = _named_headings(keys, heads, first_named)
        if found is None:
            return False
        row_numbers = [row for row, _, _ in rows]
        self._leave_out_above(row_numbers, {row: item for row, item, _ in rows}, found)
        return True

    def _find_in(self, run: Sequence[_RunRow]) -> None:
        """Find the totals above their lines in one run of rows, or warn of the
        rows that may be ones."""
        rows = [row for row, _, _ in run]
        names = {row: item for row, item, _ in run}
        columns = sorted({index for _, _, figures in run for index in figures})
        keys = [
            tuple(figures.get(index, 0) for index in columns) for _, _, figures in run
        ]
        found = _totals_above(keys)
        if isinstance(found, dict):
            self._leave_out_above(rows, names, found)
            return
        if len(found) == 1 and _one_line_and_zeros(keys[found[0][0] + 1 : found[0][1]]):
            ((at, end),) = found
            lines = [rows[i] for i in range(at + 1, end) if any(keys[i])]
            zeros = [rows[i] for i in range(at + 1, end) if not any(keys[i])]
            (line,) = lines
            self.issue(
                Severity.WARNING,
                f"{_named(names[rows[at]], rows[at])} equals "
                f"{_named(names[line], line)} below it plus "
                f"{listing([_named(names[row], row) for row in zeros])}, "
                f"{'which is' if len(zeros) == 1 else 'which are'} zero, so it may "
                "be a heading carrying its section's subtotal; with one line to "
                "add up, that cannot be told from two lines of equal cost, so it "
                "was counted as a line. If it is a subtotal, put it below its "
                "lines and name it Total, or delete it; if it is a cost of its "
                "own, leave it.",
                rows[at],
                self.layout.item,
            )
        elif len(found) == 1:
            ((at, end),) = found
            name = _named(names[rows[at]], rows[at])
            self.issue(
                Severity.WARNING,
                f"{name} is the sum of {_span(rows[at + 1 : end])} directly "
                "below it, as a heading carrying its section's subtotal would "
                "be, but the rest of the list is not laid out that way, so it "
                "was counted as a line. If it is a subtotal, put it below its "
                "lines and name it Total, or delete it; if it is a cost of its "
                "own, leave it.",
                rows[at],
                self.layout.item,
            )
        elif found:
            shown = [
                f"{_named(names[rows[at]], rows[at])} of {_span(rows[at + 1 : end])}"
                for at, end in found
            ]
            self.issue(
                Severity.WARNING,
                f"{len(found):,} rows are each the sum of two or more rows "
                f"directly below them: {listing(shown)}. The list is not laid "
                "out as headings carrying their subtotals, so they were counted "
                "as lines. If any is a subtotal, put it below its lines and name "
                "it Total, or delete it.",
                rows[found[0][0]],
                self.layout.item,
            )

    def _leave_out_above(
        self,
        rows: Sequence[int],
        names: Mapping[int, str],
        found: Mapping[int, tuple[int, int]],
    ) -> None:
        """Note the rows `_totals_above` found to be totals, with what to say."""
        headings = [at for at in found if found[at] != (1, len(rows)) or at > 0]
        # The first few headings, named: each heading's warning lists the others
        # up to LISTED, so naming every one for each would take their square.
        first_named = [
            (i, _named(names[rows[i]], rows[i])) for i in headings[: LISTED + 1]
        ]
        is_heading = set(headings)
        for at, (start, end) in found.items():
            lines = tuple(rows[i] for i in range(start, end) if i not in found)
            name = f"'{names[rows[at]]}'" if names[rows[at]] else f"Row {rows[at]}"
            if at not in is_heading:
                beside = (
                    ", the section headings' subtotals not counted,"
                    if headings
                    else ","
                )
                message = (
                    f"{name} is the sum of all the lines below it ({_span(lines)})"
                    f"{beside} so it was read as a total written above its lines and "
                    "left out of the sum. If it is a cost of its own, check the "
                    "amounts: a line equal to all the others added up is most "
                    "likely their total."
                )
                self.above[rows[at]] = (message, False)
                continue
            count = len(headings) - 1  # the other headings
            others = [named for i, named in first_named if i != at][:LISTED]
            if count > len(others):
                others.append(f"{count - len(others):,} more")
            verb = "is" if count == 1 else "are"
            beside = (
                f", as {listing(others, limit=LISTED + 1)} {verb} of "
                f"{'its' if count == 1 else 'their'} own,"
                if count
                else ","
            )
            message = (
                f"{name} is the sum of the lines under it ({_span(lines)}){beside} "
                "so it was read as a section heading carrying its subtotal and left "
                "out of the sum; its lines were counted. If it is a cost of its "
                "own, move it so that it does not stand above the lines it equals."
            )
            self.above[rows[at]] = (message, True)

    def _runs_of_figures(self) -> list[list[_Piece]]:
        """The rows that could be lines, in runs that rows known to be totals
        and rows that cannot be read break: (row, item, the amounts totals are
        checked in, as cents a year). A row named as a total that adds up
        neither the piece of the run above it nor, under a first row equal to
        them, that row's lines does not break the run: it may head the rows
        below it, so it starts the run's next piece. Each piece says whether a
        total row below adds all of it up and whether a formula or an outline
        already sums any of its rows: then its totals are known."""
        layout = self.layout
        runs: list[list[_Piece]] = [[_Piece()]]
        seen = False
        claimed = {row for rows in self.summaries.values() for row in rows}
        for row_number, cells in self.table.rows[layout.position + 1 :]:
            if row_number == layout.scale_note_row or row_is_blank(cells):
                continue
            item = _text(_cell(cells, layout.item))
            figures = self._quiet_figures(cells)
            if figures == {}:
                if item and seen and _ENDS_LIST.match(item):
                    break
                continue  # a section heading with no amount
            if item and seen and _SETTING.match(item):
                break
            texts = [item] if item else [_text(cell) for cell in cells]
            named_total = seen and any(TOTAL_ROW.search(text) for text in texts)
            period = self._quiet_period(cells)
            yearly = None
            if figures is not None and period is not None:
                # A billing cycle of 24 months costs half its amount a year.
                yearly = {
                    index: round(_cents(value) * 12 / period.months)
                    for index, value in figures.items()
                }
            summed = self._other_rows_summed(row_number)
            claimed |= summed
            seen = True
            if yearly is None or named_total or row_number in self.summaries or summed:
                piece = runs[-1][-1]
                closes = heads = False
                if named_total and yearly and piece.rows:
                    closes = _added_by_column(piece.rows, yearly) == yearly
                    heads = not closes and _heads_and_adds(piece.rows, yearly)
                # Adding up a block that a row named as a total leads, it may be
                # that block's total or the heading of the next block: the rows
                # below it say which.
                if (
                    named_total
                    and yearly
                    and (_led_by(piece) is not None or not (closes or heads))
                    and row_number not in self.summaries
                    and not summed
                ):
                    top = (row_number, item, yearly)
                    runs[-1].append(_Piece(top=top, closes_above=closes))
                    continue
                if named_total and yearly and piece.rows and not closes:
                    self._heading_over_one_line(piece.rows, yearly, row_number, item)
                piece.closed_by = (row_number, item, yearly) if closes else None
                runs.append([_Piece()])
                continue
            runs[-1][-1].rows.append((row_number, item, yearly))
        for run in runs:
            for piece in run:
                on_it = [row for row, _, _ in piece.rows]
                if piece.top is not None:
                    on_it.append(piece.top[0])
                piece.claimed = any(row in claimed for row in on_it)
        return runs

    def _heading_over_one_line(
        self,
        run: Sequence[_RunRow],
        total: Mapping[int, int],
        total_row: int,
        total_item: str,
    ) -> None:
        """Leave out the first row of a run closed by a total row when both
        equal the one line between them and the total names the heading, or
        the heading is named as a total itself ('People 60,000 / Analyst
        60,000 / Total people 60,000', 'Hardware total 900 / Laptops 900 /
        Total 900'): a heading carrying its subtotal, which the total below
        confirms, as counting all three would not add up."""
        (head, name, first), rest = run[0], run[1:]
        words = set(header_words(name))
        named = words <= set(header_words(total_item)) or TOTAL_ROW.search(name)
        if not words or not named:
            return
        keys = [tuple(found.get(index, 0) for index in total) for _, _, found in rest]
        if first != total or _adds_lines(keys) or tuple(total.values()) != _added(keys):
            return
        lines = [row for row, _, _ in rest]
        shown = _named(total_item, total_row)
        self.above[head] = (
            f"{_named(name, head)} equals the line under it ({_span(lines)}), as "
            f"the total below them, {shown}, does, so it was read as a section "
            "heading carrying its subtotal and left out of the sum; its line was "
            "counted. If it is a cost of its own, move it so that it does not "
            "stand above the line it equals.",
            True,
        )

    def _heading_over_its_total(self, piece: _Piece, total: _RunRow) -> None:
        """Leave out a row named as a total standing above the lines that a
        total row below adds up, when it equals them too ('Total software /
        M365 / Zoom / Total software'): a heading carrying its subtotal, which
        the total below confirms."""
        if piece.top is None or piece.claimed or piece.top[0] in self.above:
            return
        head, name, figures = piece.top
        if figures != total[2]:
            return
        lines = [row for row, _, _ in piece.rows]
        under = "line" if len(lines) == 1 else f"{len(lines):,} lines"
        counted = "line was" if len(lines) == 1 else "lines were"
        self.above[head] = (
            f"{_named(name, head)} equals the {under} under it "
            f"({_span(lines)}), as the total below them, {_named(total[1], total[0])}"
            f", does, so it was read as a section heading carrying its subtotal and "
            f"left out of the sum; its {counted} counted. If it is a cost of its "
            "own, move it so that it does not stand above the lines it equals.",
            True,
        )

    def _other_rows_summed(self, row_number: int) -> set[int]:
        """The other rows of the sheet a formula of the row adds up, if any."""
        totals = self.layout.totals
        found = set(summed_rows(self.table, row_number, totals))
        for index in totals:
            formula = self.table.formulas.get((row_number, index))
            if formula is None:
                continue
            rows, sums = _formula_references(formula, self.table.name)
            if rows is not None and sums:
                found |= rows - {row_number}
        return found

    def _summed_by_formula(
        self, row_number: int, cells: Sequence[Cell]
    ) -> tuple[int, ...]:
        """The rows above that a row's formula adds up, when its amount is a sum
        (SUM, SUBTOTAL or AGGREGATE, with or without a factor) of other rows of
        the list, in any of its columns, and equals, to the cent, those rows'
        amounts added up: =SUM(B2,B4), or =SUM(C2:C3)*12 over a monthly column.
        Empty for any other row, which is a line."""
        layout = self.layout
        summing: set[int] = set()
        for index in layout.totals:
            formula = self.table.formulas.get((row_number, index))
            if formula is None:
                continue
            rows, sums = _formula_references(formula, self.table.name)
            if rows is None:
                return ()
            if rows <= {row_number}:
                continue  # worked out from its own row, as =B4/12 beside =SUM(...)
            top = layout.row_number
            if not sums or not all(top < row < row_number for row in rows):
                return ()
            summing |= rows
        children = tuple(sorted(row for row in summing if self._was_read(row)))
        if len(children) < 2 or self._worked_out_from_another(children):
            return ()
        figures = self._quiet_figures(cells)
        period = self._quiet_period(cells)
        if not figures or period is None:
            return ()
        if any(self.periods.get(child, period) is not period for child in children):
            return ()
        for index, stated in figures.items():
            summed = sum(
                self._row_value(child, index, row_number) for child in children
            )
            if _cents(stated) != _cents(summed):
                return ()
        return children

    def _was_read(self, row: int) -> bool:
        """True for a row read as a line or left out as a subtotal."""
        return row in self.values or row in self.subtotal_figures

    def _worked_out_from_another(self, rows: Sequence[int]) -> bool:
        """True when a formula in one of the rows refers to another of them: a
        sum over a line and one worked out from it is a line of its own."""
        if self.row_formulas is None:
            self.row_formulas = {}
            for (row, _), formula in self.table.formulas.items():
                self.row_formulas.setdefault(row, []).append(formula)
        for row in rows:
            for formula in self.row_formulas.get(row, ()):
                found, _ = _formula_references(formula, self.table.name)
                if found is not None and (found - {row}) & set(rows):
                    return True
        return False

    def _quiet_period(self, cells: Sequence[Cell]) -> Period | BillingCycle | None:
        """A row's period, or billing cycle, from its Period cell or the header,
        saying nothing; None when neither says."""
        layout = self.layout
        if layout.is_grid:
            return layout.grid_period
        cell = _cell(cells, layout.period_column)
        if layout.period_column is None or is_blank(cell):
            return layout.period
        try:
            return read_billing(cell)
        except CellError:
            return None

    def _months_of(self, cells: Sequence[Cell]) -> float | None:
        """The months a row's amount covers, when a Period column says them
        row by row; None otherwise (the amounts all share the header's)."""
        if self.layout.period_column is None or self.layout.is_grid:
            return None
        period = self._quiet_period(cells)
        return None if period is None else period.months

    def _check_subtotals(self) -> None:
        """Check each subtotal against the rows it adds up, once all are read."""
        for row_number, name, figures, children in self.subtotals:
            for index, stated in figures.items():
                summed = sum(
                    self._row_value(child, index, row_number) for child in children
                )
                if _cents(stated) == _cents(summed):
                    continue
                self.issue(
                    Severity.WARNING,
                    f"'{name}' says {_money(stated)} in {self.layout.labels[index]} "
                    f"but {_span(children)} add up to {_money(summed)}, a difference "
                    f"of {_money(stated - summed)}. The subtotal was left out of the "
                    "sum and the lines were counted; check the lines or the subtotal.",
                    row_number,
                    index,
                )
                break

    def _row_value(self, row: int, index: int, seen: int) -> float:
        """A row's amount in a column: a line's, or a subtotal's stated one."""
        if row in self.values:
            return self.values[row].get(index, 0.0)
        if row in self.subtotal_figures and row != seen:
            return self.subtotal_figures[row].get(index, 0.0)
        return 0.0

    def _is_setting(self, item: str, cells: Sequence[Cell]) -> bool:
        """A row of the model's settings below the lines, not a cost: named like
        a count of people or a rate. An amount alone never says so: a cost of
        $0.40 a user is as small as an inflation rate of 0.4."""
        del cells  # the name alone decides
        return bool(_SETTING.match(item))

    def _running_issues(self) -> None:
        """Say how a grid of running totals was read, or that one may be."""
        noun = self.layout.grid_period.value.lower()
        if self.running:
            shown = [
                f"'{item}' (row {row}) {_money(total)} over {covered} {noun}"
                f"{'' if covered == 1 else 's'} = {_money(total / covered)} a {noun}"
                for item, row, total, covered in self.running[:5]
            ]
            more = len(self.running) - len(shown)
            self.issues.append(
                Issue(
                    Severity.WARNING,
                    f"The title says '{self.cumulative}', so each {noun} was read as "
                    f"a running total: each line costs its latest total divided by "
                    f"the {noun}s it covers: {'; '.join(shown)}"
                    f"{f'; and {more:,} more' if more else ''}. If each {noun} is "
                    f"that {noun}'s own cost, take '{self.cumulative}' out of the "
                    "title.",
                    self.table.name,
                    None,
                )
            )
        lines = sum(1 for row in self.values if row)
        if self.rising and len(self.rising) == lines:
            self.issues.append(
                Issue(
                    Severity.WARNING,
                    f"The title says '{self.to_date}' and every line rises {noun} "
                    f"by {noun}, as running totals do, but each {noun} was read as "
                    f"that {noun}'s own cost and the lines cost their average "
                    f"{noun}. If the {noun}s are running totals (each the sum so "
                    "far), put 'Cumulative' in the title to read each line at its "
                    f"latest total divided by its {noun}s.",
                    self.table.name,
                    self.rising[0][1],
                )
            )

    def _cycles_issue(self) -> None:
        """One warning for the lines billed every N months, with the sums."""
        if not self.cycles:
            return
        column = self.layout.period_column
        label = self.layout.labels[column]  # type: ignore[index]
        message = billing_cycles_message(label, self.cycles)
        self.issues.append(
            Issue(Severity.WARNING, message, self.table.name, None, label)
        )

    def _ended_issue(self) -> None:
        if self.ended is None:
            return
        heading_row, heading = self.ended
        if self.setting:
            rows = self.not_read
            self.issue(
                Severity.WARNING,
                f"'{heading}' (row {heading_row}) is not a cost but a count or a "
                f"rate, so the list ends above it: {_span(rows)} "
                f"{'was' if len(rows) == 1 else 'were'} not read as cost lines. "
                "Move them to another sheet if they are costs.",
                heading_row,
                self.layout.item,
            )
            return
        if not self.not_read:
            return
        rows = self.not_read
        self.issue(
            Severity.WARNING,
            f"'{heading}' (row {heading_row}) ends the list: {_span(rows)} below it "
            "were not read as cost lines. Move them to another sheet if they are "
            "costs.",
            heading_row,
            self.layout.item,
        )

    def _figures(
        self, row_number: int, cells: Sequence[Cell]
    ) -> dict[int, float] | None:
        """The numbers in the row's figure columns; None when one cannot be read."""
        figures: dict[int, float] = {}
        failed = False
        for index in self.layout.figures:
            cell = _cell(cells, index)
            if is_blank(cell):
                continue
            try:
                value = read_money(cell, conventions=self.conventions).value
            except CellError as problem:
                self.issue(
                    Severity.ERROR,
                    f"{self.layout.labels[index]} {problem}.",
                    row_number,
                    index,
                )
                failed = True
                continue
            figures[index] = value * self._factor(index)
        if failed:
            return None
        return self._deducted(row_number, cells, figures)

    def _deducted(
        self, row_number: int, cells: Sequence[Cell], figures: dict[int, float]
    ) -> dict[int, float]:
        """A 'Less: ...' line's money made negative, with a warning saying so:
        it takes its amount off the costs above it."""
        item = _text(_cell(cells, self.layout.item))
        money = [index for index in self.layout.money if figures.get(index, 0) > 0]
        if not _LESS.match(item) or not money:
            return figures
        first = figures[money[0]]
        above = self.everything.sums.get(money[0], 0.0)
        arithmetic = (
            f": {_money(above)} above it less {_money(first)} makes "
            f"{_money(above - first)}"
            if self.everything.rows
            else ""
        )
        self.issue(
            Severity.WARNING,
            f"'{item}' in row {row_number} starts with 'Less', so its "
            f"{_money(first)} was taken off the costs, not added{arithmetic}. "
            "Write it as a negative amount to make this plain.",
            row_number,
            money[0],
        )
        return {
            index: -value if index in money else value
            for index, value in figures.items()
        }

    def _line(
        self,
        row_number: int,
        cells: Sequence[Cell],
        item: str,
        figures: Mapping[int, float],
    ) -> CostLine | None:
        layout = self.layout
        notes = []
        category = _text(_cell(cells, layout.category))
        if category:
            notes.append(f"Category: {category}")
        if self.section:
            notes.append(f"Section: {self.section}")
        if layout.is_grid:
            noun = layout.grid_period.value.lower()  # "month" or "quarter"
            months = [figures.get(index, 0.0) for index in layout.months]
            if not any(index in figures for index in layout.months):
                self.issue(
                    Severity.ERROR,
                    f"'{item}' has a total but no {noun} filled in; enter its {noun}s.",
                    row_number,
                    layout.total,
                )
                return None
            empty = [index for index in layout.months if index not in figures]
            if empty and self.cumulative is None:
                shown = [layout.labels[index] for index in empty]
                self.issue(
                    Severity.WARNING,
                    f"{listing(shown)} {'is' if len(empty) == 1 else 'are'} empty and "
                    f"counted as 0 in the average {noun} of '{item}'. Fill in the "
                    f"{noun}s if they are not 0.",
                    row_number,
                    empty[0] if len(empty) == 1 else None,
                )
            summed = sum(months)
            if layout.total is not None and layout.total in figures:
                stated = figures[layout.total]
                every = summed + self._earlier_sum(cells)
                if _cents(stated) not in (_cents(summed), _cents(every)):
                    self.issue(
                        Severity.WARNING,
                        f"{layout.labels[layout.total]} says {_money(stated)} but the "
                        f"{len(months)} {noun}s of '{item}' add up to "
                        f"{_money(summed)}; the {noun}s were used. Check the {noun}s "
                        "or the total.",
                        row_number,
                        layout.total,
                    )
            amount, period = summed / len(layout.months), layout.grid_period
            filled = [i for i, index in enumerate(layout.months) if index in figures]
            if self.cumulative is not None:
                # Running totals: the latest is the cost of the months up to it.
                covered = filled[-1] + 1
                amount = months[filled[-1]] / covered
                self.running.append((item, row_number, months[filled[-1]], covered))
            elif self.to_date is not None and len(filled) >= MIN_MONTH_COLUMNS:
                shown = [months[i] for i in filled]
                if all(b >= a for a, b in itertools.pairwise(shown)) and (
                    shown[-1] > shown[0]
                ):
                    self.rising.append((item, row_number))
            first, last = layout.months[0], layout.months[-1]
            notes.append(
                f"Average {noun} of {len(months)} ({layout.labels[first]} to "
                f"{layout.labels[last]}), {_money(summed)} in all"
            )
        else:
            if layout.amount not in figures:
                label = layout.labels[layout.amount]  # type: ignore[index]
                self.issue(
                    Severity.ERROR,
                    f"{label} is empty; enter the amount of '{item}'.",
                    row_number,
                    layout.amount,
                )
                return None
            amount = self._amount(row_number, item, figures)
            if amount is None:
                return None
            period = self._period(row_number, cells)
            if period is None:
                return None
            if isinstance(period, BillingCycle):
                self.cycles.append((item, row_number, period, amount))
                notes.append(f"Billed {_money(amount)} {period.words}")
                amount, period = period.per_month(amount), Period.MONTH
            self._reconcile_periods(row_number, item, amount, period, figures)
        if amount > 0 and _REDUCTION.search(item) and not _LESS.match(item):
            self.issue(
                Severity.WARNING,
                f"'{item}' in row {row_number} is {_money(amount)}, written positive, "
                "so it was added to the costs. If it reduces the cost, write it as "
                "a negative amount.",
                row_number,
                layout.item,
            )
        own_notes = (
            _text(_cell(cells, layout.notes)) if layout.notes is not None else ""
        )
        if own_notes:
            notes.append(own_notes)
        vendor = _text(_cell(cells, layout.vendor)) if layout.vendor is not None else ""
        return CostLine(
            item=item,
            pool=POOL,
            behaviour=Behaviour.FIXED,
            amount=amount,
            period=period,
            vendor=vendor,
            notes="; ".join(notes),
        )

    def _earlier_sum(self, cells: Sequence[Cell]) -> float:
        """The sum of a grid line's months before its latest year, those that
        can be read; a total column may add them up too."""
        summed = 0.0
        for index in self.layout.earlier:
            cell = _cell(cells, index)
            if is_blank(cell):
                continue
            try:
                value = read_money(cell, conventions=self.conventions).value
            except CellError:
                continue
            summed += value * self.layout.scales.get(index, (1.0, ""))[0]
        return summed

    def _amount(
        self, row_number: int, item: str, figures: Mapping[int, float]
    ) -> float | None:
        """A list line's amount: its cost, or its seats x its price; warns where
        the seats x price beside a cost does not make it."""
        layout = self.layout
        stated = figures[layout.amount]  # type: ignore[index]
        if layout.unit is None or layout.quantity is None:
            return stated
        seats = figures.get(layout.quantity)
        if seats is None:
            self.issue(
                Severity.ERROR,
                f"{layout.labels[layout.quantity]} is empty; enter how many '{item}' "
                "there are.",
                row_number,
                layout.quantity,
            )
            return None
        if layout.priced:
            return seats * stated
        price = figures.get(layout.unit)
        if price is None:
            return stated
        price_label = layout.labels[layout.unit]
        label = layout.labels[layout.amount]  # type: ignore[index]
        # A price a month beside a cost a year: seats x price x 12 is the cost.
        price_period = header_period(price_label)
        cost_period = header_period(label) or layout.period
        months = 1.0
        if price_period is not None and cost_period is not None:
            months = cost_period.months / price_period.months
        priced = seats * price * months
        if abs(priced - stated) > 0.01:
            over = (
                f" x {months:g} months"
                if months > 1
                else f" / {1 / months:g}"
                if months < 1
                else ""
            )
            self.issue(
                Severity.WARNING,
                f"{layout.labels[layout.quantity]} x {price_label} of '{item}' is "
                f"{_money(seats)} x {_money(price)}{over} = {_money(priced)}, but "
                f"{label} says {_money(stated)}, a difference of "
                f"{_money(stated - priced)}; {label} was used. Check the seats, the "
                "price or the cost.",
                row_number,
                layout.amount,
            )
        return stated

    def _reconcile_periods(
        self,
        row_number: int,
        item: str,
        amount: float,
        period: Period,
        figures: Mapping[int, float],
    ) -> None:
        """Warn when a second amount column (annual beside monthly) disagrees."""
        layout = self.layout
        if layout.check is None or layout.check not in figures:
            return
        assert layout.check_period is not None
        expected = amount / period.months * layout.check_period.months
        stated = figures[layout.check]
        if _cents(expected) == _cents(stated):
            return
        label = layout.labels[layout.amount]  # type: ignore[index]
        other = layout.labels[layout.check]
        self.issue(
            Severity.WARNING,
            f"{other} says {_money(stated)} but {label} {_money(amount)} a "
            f"{period.value.lower()} is {_money(expected)} a "
            f"{layout.check_period.value.lower()}; {label} was used for '{item}'. "
            "Check the two cells.",
            row_number,
            layout.check,
        )

    def _period(
        self, row_number: int, cells: Sequence[Cell]
    ) -> Period | BillingCycle | None:
        """A list line's period: its Period cell (which may say a billing cycle
        like 'every 6 months'), else what the amount header says."""
        layout = self.layout
        cell = _cell(cells, layout.period_column)
        if layout.period_column is None or is_blank(cell):
            if layout.period is None and layout.period_column is not None:
                label = layout.labels[layout.period_column]
                self.issue(
                    Severity.ERROR,
                    f"{label} is empty and the amount's header does not say a period; "
                    "write Month, Quarter or Year.",
                    row_number,
                    layout.period_column,
                    choice=PERIOD,
                )
            return layout.period
        label = layout.labels[layout.period_column]
        try:
            period = read_billing(cell)
        except CellError as problem:
            self.issue(
                Severity.ERROR, f"{label} {problem}.", row_number, layout.period_column
            )
            return None
        said = self.header_period
        if said is not None and period is not said:
            amount = layout.labels[layout.amount]  # type: ignore[index]
            word = period.said if isinstance(period, BillingCycle) else period.value
            self.issue(
                Severity.ERROR,
                f"{label} says {word} but the header {amount} says the "
                f"amounts are a {said.value.lower()}'s, so the amount of row "
                f"{row_number} could be either. Make them agree: correct the "
                f"{word} in {label}, or rename the header {amount} to one "
                "without a period, like 'Cost', so that the Period column says.",
                row_number,
                layout.period_column,
            )
            return None
        return period

    def _total(self, row_number: int, cells: Sequence[Cell], name: str) -> None:
        """Check a total row against the lines it adds up; it is never counted."""
        figures: dict[int, float] = {}
        for index in self.layout.totals:
            cell = _cell(cells, index)
            if is_blank(cell):
                continue
            try:
                value = read_money(cell, conventions=self.conventions).value
                figures[index] = value * self._factor(index)
            except CellError:
                self.issue(
                    Severity.WARNING,
                    f"'{name}' looks like a total row, so it was not counted, but its "
                    f"{self.layout.labels[index]} is {show(cell)}, so it could not be "
                    "checked against the lines above it.",
                    row_number,
                    index,
                )
                return
        key = clean_text(name).casefold()
        overall = "grand" in key or key.rstrip(":") in ("total", "totals")
        block = self.block if self.block.rows and not overall else self.everything
        own = self._months_of(cells)
        spans = [own] if own is not None else [period.months for period in Period]
        # A total adds up the lines since the last total or heading ('Total'
        # under each section), or failing that every line above it.
        since = self.block if self.block.rows else self.everything
        if figures and all(
            since.adds_up_to(index, stated, spans) for index, stated in figures.items()
        ):
            block = since
        for index, stated in figures.items():
            summed = block.sums.get(index, 0.0)
            if block.adds_up_to(index, stated, spans):
                continue
            if self.everything.adds_up_to(index, stated, spans):
                continue
            rows = block.rows
            span = (
                "no lines"
                if not rows
                else f"the {_lines(len(rows))} above it (rows {rows[0]} to {rows[-1]})"
            )
            self.issue(
                Severity.WARNING,
                f"'{name}' says {_money(stated)} in {self.layout.labels[index]} but "
                f"{span} add up to {_money(summed)}, a difference of "
                f"{_money(stated - summed)}. The total was left out of the sum and "
                "the lines were counted; check the lines or the total.",
                row_number,
                index,
            )
            break
        if not overall or block is self.block:
            self.block = _Block()

    def _leave_out_below(self, row_number: int) -> None:
        """Leave out a row found to add up the lines above it, saying so."""
        self.issue(
            Severity.WARNING, self.below[row_number], row_number, self.layout.item
        )
        self._close_section()
        self.block = _Block()

    def _find_subtotals_below(self) -> None:
        """Find the subtotals below their lines that carry no total word, or
        that rounding keeps from adding up to the cent: a row repeating its
        section's heading and equal to the section's lines; a row within
        rounding of the lines above it; rows each equal to the block above
        them when a total at the foot adds up the lines only without them;
        and a last row equal to every line above it, subtotals left out.
        Lists whose sums a formula, an outline or a total above already
        says, or whose lines each say their period, are left as they are."""
        layout = self.layout
        if self.above or self.summaries or layout.period_column is not None:
            return
        if not layout.totals:
            return
        rows: list[_BelowRow] = []
        seen = False
        for row_number, cells in self.table.rows[layout.position + 1 :]:
            if row_number == layout.scale_note_row or row_is_blank(cells):
                continue
            item = _text(_cell(cells, layout.item))
            figures = self._quiet_figures(cells)
            if figures is None:
                return
            if not figures:
                if item and seen and _ENDS_LIST.match(item):
                    break
                rows.append((row_number, item, None, False))
                continue
            if item and seen and _SETTING.match(item):
                break
            if self._other_rows_summed(row_number):
                return
            texts = [item] if item else [_text(cell) for cell in cells]
            named = not item or any(TOTAL_ROW.search(text) for text in texts)
            cents = {index: _cents(value) for index, value in figures.items()}
            rows.append((row_number, item, cents, named))
            seen = True
        strict = _subtotals_below(rows, lines_over=2)
        if strict.confirmed:
            self.below = strict.found
            return
        loose = _subtotals_below(rows, lines_over=1)
        self.below = loose.found if loose.confirmed else strict.found

    def _close_section(self) -> None:
        if self.section is not None and self.section_lines == 0:
            self.issue(
                Severity.WARNING,
                f"'{self.section}' has no amount and no lines below it, so it was "
                "read as a section heading and not counted. Fill in its amount if "
                "it is a cost.",
                self.section_row,  # type: ignore[arg-type]
                self.layout.item,
            )
        self.section = None


_TOTAL_AFFIX = re.compile(
    r"^(?:grand\s+)?(?:sub-?\s*)?totals?\b(?:\s+(?:for|of))?[\s:\-\u2013]*"
    r"|[\s:\-\u2013]*\b(?:sub-?\s*)?totals?\s*:?$",
    re.IGNORECASE,
)


def _rows_named(rows: Sequence[int]) -> str:
    """'Row 3', 'Rows 3 and 4', 'Rows 3 to 6' or 'Rows 3, 5 and 9'."""
    if len(rows) == 1:
        return f"Row {rows[0]}"
    if len(rows) > 2 and list(rows) == list(range(rows[0], rows[-1] + 1)):
        return f"Rows {rows[0]} to {rows[-1]}"
    return f"Rows {listing([str(row) for row in rows])}"


def _merged_rows(table: Table, columns: Sequence[int]) -> dict[int, MergedRange]:
    """Each row below the first of cells merged down over one of `columns`,
    with that merge, where the merge's first row holds something there."""
    if not table.merges or not table.rows:
        return {}
    cells_of = dict(table.rows)
    last = table.rows[-1][0]  # a whole column merged reaches far past the list
    found: dict[int, MergedRange] = {}
    for merge in sorted(table.merges, key=lambda merge: (merge.top, merge.left)):
        first = cells_of.get(merge.top, ())
        if all(
            is_blank(_cell(first, index))
            for index in columns
            if merge.left <= index <= merge.right
        ):
            continue
        for row in range(merge.top + 1, min(merge.bottom, last) + 1):
            found.setdefault(row, merge)
    return found


def _section_name(item: str) -> str:
    """A heading's name as its lines' section: 'Hardware total' and 'Total
    hardware' name the section Hardware; a heading that is only 'Total' keeps
    its name."""
    name = _TOTAL_AFFIX.sub("", item).strip()
    return name[:1].upper() + name[1:] if name else item


def _named(item: str, row: int) -> str:
    return f"'{item}' (row {row})" if item else f"Row {row}"


# A row read for subtotals below: (row, item, its cents per column, or None
# for a heading, whether it is named as a total or has no name).
_BelowRow = tuple[int, str, dict[int, int] | None, bool]


@dataclass
class _Below:
    """What a reading of a list for subtotals below their lines found."""

    found: dict[int, str] = field(default_factory=dict)  # row -> the warning
    confirmed: bool = False  # a total at the foot confirmed rows equal to blocks


def _total_name(item: str, section: str | None) -> bool:
    """A total word alone, or with the name of the section it closes."""
    words = [
        word
        for word in re.findall(r"[^\W_]+", item.casefold())
        if word not in _TOTAL_WORDS
    ]
    if not words:
        return True
    return section is not None and text_key(" ".join(words)) == text_key(section)


@dataclass
class _Running:
    """Lines added up as they are read: their rows, and their cents per column
    summed so far, so that a row is compared with them in one step."""

    rows: list[int] = field(default_factory=list)
    sums: dict[int, int] = field(default_factory=dict)

    def add(self, row: int, key: Mapping[int, int]) -> None:
        self.rows.append(row)
        for index, cents in key.items():
            self.sums[index] = self.sums.get(index, 0) + cents


def _rounded_off(stated: int, summed: int) -> bool:
    """True when a stated amount (in cents) differs from a sum by what rounding
    makes: under one unit of the stated amount's precision, or 0.05%."""
    if stated == summed or not summed or (stated > 0) != (summed > 0):
        return False
    unit = 100 if stated % 100 == 0 else 10 if stated % 10 == 0 else 1
    return abs(stated - summed) < unit or abs(stated - summed) <= abs(summed) * 0.0005


def _compare(key: Mapping[int, int], block: _Running) -> tuple[str, int, int]:
    """How a row stands to the block of lines above it: 'equal', 'rounded' or
    'other', with the stated and summed cents of the first column that differs
    (or of the first column)."""
    if not block.rows or not key or not any(key.values()):
        return "other", 0, 0
    sums = {index: block.sums.get(index, 0) for index in key}
    columns = [index for index in key if key[index] != sums[index]]
    if not columns:
        first = next(iter(key))
        return "equal", key[first], sums[first]
    if all(_rounded_off(key[index], sums[index]) for index in columns):
        return "rounded", key[columns[0]], sums[columns[0]]
    return "other", key[columns[0]], sums[columns[0]]


def _difference(stated: int, summed: int, span: str) -> str:
    return (
        f"it says {_money(stated / 100)} but {span} add up to "
        f"{_money(summed / 100)}, a difference of {_money((stated - summed) / 100)}"
    )


def _subtotals_below(rows: Sequence[_BelowRow], lines_over: int) -> _Below:
    """Read a list's rows for subtotals below their lines; `lines_over` is the
    fewest lines a row equal to the block above it may add up to be taken for
    a subtotal when a total at the foot confirms it (with one, every line must
    then lie in such a block)."""
    result = _Below()
    figures = [at for at, (_, _, key, _) in enumerate(rows) if key is not None]
    last = figures[-1] if figures else -1
    section: tuple[int, str] | None = None
    # The lines since the last subtotal or heading, and every line so far,
    # each with its running sums: a row is compared with them in one step.
    block = _Running()
    lines = _Running()
    candidates: list[tuple[int, str, list[int]]] = []
    subtotals = 0  # rows found to add up the lines above them
    covered = True  # every line so far lies in a block closed by a subtotal

    def close(row: int, message: str) -> None:
        nonlocal subtotals, block
        result.found[row] = message
        subtotals += 1
        block = _Running()

    for at, (row, item, key, named) in enumerate(rows):
        if key is None:
            covered = covered and not block.rows
            section, block = ((row, item) if item else None), _Running()
            continue
        how, stated, summed = _compare(key, block)
        name = _named(item, row)
        if named:
            everything = _compare(key, lines)[0]
            if (
                candidates
                and (lines_over >= 2 or (covered and not block.rows))
                and len(lines.rows) >= 2
                and everything == "equal"
            ):
                for candidate, candidate_item, under in candidates:
                    result.found[candidate] = (
                        f"{_named(candidate_item, candidate)} is the sum of "
                        f"{_span(under)} directly above it, and {name} equals "
                        "the lines only when it is left out, so it was read as a "
                        "subtotal and left out of the sum; its lines were counted. "
                        "If it is a cost of its own, check the amounts."
                    )
                result.confirmed = True
                candidates, subtotals = [], subtotals + 1
                continue
            if (
                _total_name(item, None if section is None else section[1])
                or (how == "equal" and len(block.rows) >= 2)
                or everything == "equal"
            ):
                subtotals += 1  # a total the reader checks as it reads the rows
                covered = covered and not block.rows
                block = _Running()
                continue
            if how == "rounded" and len(block.rows) >= 2 and item:
                span = _span(block.rows)
                close(
                    row,
                    f"{name} is named as a total, so it was left out of the sum: "
                    f"{_difference(stated, summed, span)}, as rounding would make. "
                    "Its lines were counted; check the lines or the total.",
                )
                continue
            break  # a row the reader decides on its own
        in_section = section is not None and text_key(item) == text_key(section[1])
        if in_section and how in ("equal", "rounded") and block.rows:
            assert section is not None
            span = _span(block.rows)
            off = (
                ""
                if how == "equal"
                else f" within rounding ({_difference(stated, summed, 'they')})"
            )
            close(
                row,
                f"{name} repeats its section's heading (row {section[0]}) and is "
                f"the sum of the section's lines ({span}){off}, so it was read as "
                "the section's subtotal and left out of the sum; its lines were "
                "counted.",
            )
            section = None
            continue
        if how == "rounded" and len(block.rows) >= 2:
            span = _span(block.rows)
            close(
                row,
                f"{name} is within rounding of the sum of {span} directly above "
                f"it ({_difference(stated, summed, 'they')}), so it was read as "
                "their subtotal and left out of the sum; the lines were counted. "
                "If it is a cost of its own, check the amounts.",
            )
            continue
        if how == "equal" and len(block.rows) >= lines_over:
            candidates.append((row, item, block.rows))
            block = _Running()
            continue
        if (
            at == last
            and subtotals
            and not candidates
            and len(lines.rows) >= 2
            and _compare(key, lines)[0] == "equal"
        ):
            close(
                row,
                f"{name} is the sum of all the lines above it "
                f"({_span(lines.rows)}), the subtotals not counted, "
                "so it was read as the list's total and left out of the sum. If it "
                "is a cost of its own, check the amounts: a line equal to all the "
                "others added up is most likely their total.",
            )
            continue
        block.add(row, key)
        lines.add(row, key)
    return result


def _totals_above(
    keys: Sequence[tuple[int, ...]],
) -> dict[int, tuple[int, int]] | list[tuple[int, int]]:
    """Which of a run of rows (each its amounts in cents) are totals written
    above their lines: {row's place: (first, end) of the places it adds up}.

    A first row equal to all the rows below it added up is a grand total; so
    is one equal to the lines below once section headings are found among
    them. Headings are rows each equal to the rows below it up to the next
    heading, the first row among them, with one way only to read the run so
    and one heading over two lines or more. When the run does not read so, the
    list of (place, end) of each row that equals two or more rows directly
    below it, which could be a heading by chance; empty when there are none.
    """
    count = len(keys)
    zero = (0,) * len(keys[0]) if keys else ()
    # One line is no sum: a total needs two lines or more that are not zero.
    if _adds_lines(keys[1:]) and keys[0] == _added(keys[1:]):
        return {0: (1, count)}
    headings = _headings(keys)
    if headings is not None and len(headings) >= 2:
        return headings
    if count >= 3 and keys[0] != zero:
        below = _headings(keys[1:])
        if below is not None and len(below) >= 2:
            lines = [keys[i + 1] for i in range(count - 1) if i not in below]
            if keys[0] == _added(lines):
                found = {
                    at + 1: (start + 1, end + 1) for at, (start, end) in below.items()
                }
                return {0: (1, count), **found}
    prefix, ends = _running_sums(keys)
    doubtful = []
    for at, key in enumerate(keys):
        if key == zero:
            continue
        # the first end of two rows or more below it that they add up to it
        found = ends.get(_added([prefix[at + 1], key]), [])
        first = bisect.bisect_left(found, at + 3)
        end = next(
            (
                end
                for end in found[first:]
                if _adds_lines(keys[at + 1 : end])
                or _one_line_and_zeros(keys[at + 1 : end])
            ),
            None,
        )
        if end is not None:
            doubtful.append((at, end))
    return doubtful


def _added_by_column(
    rows: Sequence[_RunRow], columns: Mapping[int, int]
) -> dict[int, int]:
    """The rows' cents a year added up in each of the columns."""
    return {
        index: sum(found.get(index, 0) for _, _, found in rows) for index in columns
    }


def _led_by(piece: _Piece) -> _RunRow | None:
    """The row named as a total that leads a piece of a run: its top, or its
    first row when it has none."""
    if piece.top is not None:
        return piece.top
    if piece.rows and TOTAL_ROW.search(piece.rows[0][1]):
        return piece.rows[0]
    return None


def _heads_and_adds(rows: Sequence[_RunRow], total: Mapping[int, int]) -> bool:
    """True when a total below the rows equals both their first row and the
    rest added up: a heading carrying its subtotal, and its total below."""
    (_, _, first), rest = rows[0], rows[1:]
    return bool(rest) and first == total and _added_by_column(rest, total) == total


def _named_headings(
    keys: Sequence[tuple[int, ...]], heads: Sequence[int], first_named: bool
) -> dict[int, tuple[int, int]] | None:
    """Read a run whose rows named as totals (at the places `heads`, below its
    first row) each add up the rows under them up to the next one: {row's
    place: (first, end) of the places it adds up}, or None when it does not
    read so. The first row is a grand total equal to every line, or, when it
    is named as a total too, the first such heading. Their names say they are
    totals, so a heading may stand over one line; a lone named heading, with
    nothing else to bear it out, needs two lines or more, as one line is no
    sum."""
    count = len(keys)
    ends = [*heads[1:], count] if heads else []
    blocks = {at: (at + 1, end) for at, end in zip(heads, ends, strict=True)}
    if not all(
        keys[at] == _added(keys[start:end]) for at, (start, end) in blocks.items()
    ):
        return None
    lines = [keys[at] for at in range(1, count) if at not in blocks]
    if blocks and (first_named or _adds_lines(lines)) and keys[0] == _added(lines):
        return {0: (1, count), **blocks}
    if not first_named:
        return None
    first_end = heads[0] if heads else count
    first_lines = keys[1:first_end]
    if not blocks and not _adds_lines(first_lines):
        return None
    if keys[0] != _added(first_lines):
        return None
    return {0: (1, first_end), **blocks}


def _one_line_and_zeros(keys: Sequence[tuple[int, ...]]) -> bool:
    """True for one line that is not zero among lines that are: a heading over
    it, carrying its subtotal, cannot be told from two lines of equal cost."""
    return len(keys) >= 2 and sum(1 for key in keys if any(key)) == 1


def _headings(keys: Sequence[tuple[int, ...]]) -> dict[int, tuple[int, int]] | None:
    """The one way to read a run as headings each equal to the rows below it up
    to the next heading, the first row a heading and one heading over two lines
    or more: {heading's place: (first, end) of its lines}; None when there is
    no such way, or more than one."""
    count = len(keys)
    if count < 2:
        return None
    zero = (0,) * len(keys[0])
    prefix, ends = _running_sums(keys)
    # ways[i]: how many ways (0, 1, or 2 for more) rows i.. read as headings
    ways = [0] * (count + 1)
    ways[count] = 1
    nexts: dict[int, list[int]] = {}
    for at in range(count - 1, -1, -1):
        if keys[at] == zero:
            continue
        target = _added([prefix[at + 1], keys[at]])
        for end in ends.get(target, ()):
            if end >= at + 2 and ways[end]:
                ways[at] = min(2, ways[at] + ways[end])
                nexts.setdefault(at, []).append(end)
    if ways[0] != 1:
        return None
    found: dict[int, tuple[int, int]] = {}
    at = 0
    while at < count:
        (end,) = [end for end in nexts[at] if ways[end]]
        found[at] = (at + 1, end)
        at = end
    if not any(_adds_lines(keys[start:end]) for start, end in found.values()):
        return None  # rows of equal amounts one under another: no headings
    return found


def _adds_lines(keys: Sequence[tuple[int, ...]]) -> bool:
    """True for two lines or more that are not zero."""
    return sum(1 for key in keys if any(key)) >= 2


def _running_sums(
    keys: Sequence[tuple[int, ...]],
) -> tuple[list[tuple[int, ...]], dict[tuple[int, ...], list[int]]]:
    """The sums of the first 0, 1, 2... rows of a run, and for each sum the
    places, in order, where it is reached."""
    prefix = [(0,) * len(keys[0])]
    for key in keys:
        prefix.append(_added([prefix[-1], key]))
    ends: dict[tuple[int, ...], list[int]] = {}
    for place, summed in enumerate(prefix):
        ends.setdefault(summed, []).append(place)
    return prefix, ends


def _added(keys: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
    """Amounts in cents added up, column by column."""
    return tuple(sum(column) for column in zip(*keys, strict=True)) if keys else ()


def _missing_periods(header: Sequence[Cell], layout: ListLayout) -> list[str]:
    """The months (or quarters) a grid's header skips between its first and
    last, like Mar in Jan, Feb, Apr..Dec; none when its order is not plain."""
    quarters = layout.grid_period is Period.QUARTER
    cycle = 4 if quarters else 12
    reader = quarter_of_header if quarters else month_of_header
    read = [reader(_cell(header, index)) for index in layout.months]
    found = [item for item in read if item is not None]
    dated = {year is not None for year, _ in found}
    if len(found) != len(read) or len(dated) != 1:
        return []
    undated = dated == {False}
    ordinals = [(year or 0) * cycle + number - 1 for year, number in found]
    missing: list[int] = []
    for before, after in itertools.pairwise(ordinals):
        step = (after - before) % cycle if undated else after - before
        if step < 1:
            return []
        missing.extend(range(before + 1, before + step))
    if undated and len(found) + len(missing) > cycle:
        return []
    names = []
    for ordinal in missing:
        number = ordinal % cycle
        name = f"Q{number + 1}" if quarters else _MONTHS[number].title()
        names.append(name if undated else f"{name} {ordinal // cycle}")
    return names


def _kind(layout: ListLayout) -> str:
    if not layout.is_grid:
        return "a cost list"
    if layout.grid_period is Period.QUARTER:
        return "a quarter-by-quarter budget"
    return "a month-by-month budget"


def _cell(cells: Sequence[Cell], index: int | None) -> Cell:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _text(cell: Cell) -> str:
    try:
        return clean_text(read_text(cell))
    except CellError:
        return ""


def _cents(value: float) -> int:
    return round(value * 100)


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _lines(number: int) -> str:
    return "1 line" if number == 1 else f"{number:,} lines"


def _count(number: int, noun: str) -> str:
    """'1 line was' or '12 lines were'."""
    return f"1 {noun} was" if number == 1 else f"{number:,} {noun}s were"


# How near the sum of the lines above a line may be to be warned about as a
# rounded subtotal: 1%, a subtotal rounded to thousands over tens of thousands.
_NEAR_SUM = 0.01
# A row named 'Net ...' or 'Gross ...' is a total when it adds up the lines above.
_NET_ROW = re.compile(r"^(?:net|gross)\b", re.IGNORECASE)
# A line that takes its amount off the costs above it, and lines named for a
# reduction, whose sign cannot be guessed when written positive.
_LESS = re.compile(r"^less\b\s*:?", re.IGNORECASE)
_REDUCTION = re.compile(
    r"\b(?:discounts?|rebates?|refunds?|credits?(?!\s+card)|recharges?|recharged"
    r"|charge[\s-]?backs?|cross[\s-]?charges?|recover(?:y|ies|ed)|reimburse\w*)\b",
    re.IGNORECASE,
)

# Words that make a row a total, with the words that join them to a name.
_TOTAL_WORDS = frozenset(
    {"total", "totals", "subtotal", "subtotals", "sub", "grand", "sum", "summe"}
    | {"gesamt", "gesamtsumme", "of", "for", "all"}
)
# A heading below a list that starts something other than cost lines.
_ENDS_LIST = re.compile(
    r"^(?:key\s+)?(?:assumptions?|notes?|parameters?|drivers?|memo|memos|inputs?|"
    r"footnotes?|comments?|sources?)\b",
    re.IGNORECASE,
)
# A row below the lines that sets a count of people or a rate, not a cost.
_SETTING = re.compile(
    r"^\s*(?:(?:number|no\.?|count|total)\s+of\s+)?(?:employees|headcount|"
    r"head\s+count|users|staff|fte|ftes|fx|fx\s+rate|exchange\s+rate|inflation|"
    r"inflation\s+rate|growth\s+rate|escalation(?:\s+rate)?)\s*(?:\(.*\))?\s*:?\s*$",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")
_SUM_FORMULA = re.compile(
    r"^=?\s*(?:SUM\((?P<args>[^()]*)\)|(?P<chain>[$A-Z0-9]+(?:\s*\+\s*[$A-Z0-9]+)+))"
    r"\s*$",
    re.IGNORECASE,
)


_SUM_WRAPPERS = (
    # =SUBTOTAL(9,B2:B3) and =SUBTOTAL(109,B2:B3) add up like =SUM(B2:B3)
    (re.compile(r"^SUBTOTAL\(\s*(?:9|109)\s*[,;](.*)\)$", re.IGNORECASE), r"SUM(\1)"),
    # =ROUND(SUM(B2:B3),0) rounds a sum
    (re.compile(r"^ROUND\((.*)[,;]\s*\d+\s*\)$", re.IGNORECASE), r"\1"),
    # =SUM(B2:B3)*1 or /1 or +0
    (re.compile(r"^(.*?)\s*(?:[*/]\s*1(?:\.0+)?|[+-]\s*0(?:\.0+)?)$"), r"\1"),
    (re.compile(r"^\((.*)\)$"), r"\1"),
)


def _sum_of(formula: str) -> str | None:
    """The references a formula adds up, once wrappers that keep a sum a sum
    are taken off; None when it is not a plain sum."""
    text = formula.strip().lstrip("=").strip()
    for _ in range(8):
        before = text
        for pattern, replacement in _SUM_WRAPPERS:
            text = pattern.sub(replacement, text).strip()
        if text == before:
            break
    match = _SUM_FORMULA.match(text)
    if match is None:
        return None
    return match["args"] if match["args"] is not None else match["chain"]


def _formula_rows(formula: str, letter: str) -> list[int] | None:
    """The rows a plain sum adds up in the column `letter`; None when it is
    not a plain sum or reaches another column."""
    text = _sum_of(formula)
    if text is None:
        return None
    rows: list[int] = []
    for part in re.split(r"[,;+]", text.upper().replace(" ", "")):
        ends = part.split(":")
        found = [_REFERENCE.fullmatch(end) for end in ends]
        if len(ends) > 2 or not all(found):
            return None
        if any(ref[1] != letter for ref in found):  # type: ignore[index]
            return None
        numbers = [int(ref[2]) for ref in found]  # type: ignore[index]
        if max(numbers) - min(numbers) > 100_000:
            return None
        rows.extend(range(min(numbers), max(numbers) + 1))
    return rows


# Functions that add up their arguments (SUBTOTAL and AGGREGATE with a code
# that picks the sum or another aggregate; the value check tells them apart).
_SUM_FUNCTIONS = frozenset({"SUM", "SUBTOTAL", "AGGREGATE"})


def _formula_references(formula: str, sheet: str) -> tuple[set[int] | None, bool]:
    """The rows a formula refers to on its own sheet, and whether it adds
    them up with SUM, SUBTOTAL or AGGREGATE. The rows are None when it refers
    to anything else: another sheet, a name, whole columns or rows, or cannot
    be read."""
    text = formula.strip()
    try:
        tokens = Tokenizer("=" + text.lstrip("=")).items
    except TokenizerError:
        return None, False
    rows: set[int] = set()
    sums = False
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = token.value.rstrip("(").upper().rsplit(".", 1)[-1]
            sums = sums or name in _SUM_FUNCTIONS
        if token.type != Token.OPERAND or token.subtype != Token.RANGE:
            continue
        where, _, reference = token.value.rpartition("!")
        if where and text_key(where.strip("'").replace("''", "'")) != text_key(sheet):
            return None, False
        ends = [_REFERENCE.fullmatch(end) for end in reference.upper().split(":")]
        if len(ends) > 2 or not all(ends):
            return None, False
        numbers = [int(end[2]) for end in ends]  # type: ignore[index]
        if max(numbers) - min(numbers) > 100_000:
            return None, False
        rows.update(range(min(numbers), max(numbers) + 1))
    return rows, sums


def summed_rows(
    table: Table, row_number: int, columns: Sequence[int]
) -> tuple[int, ...]:
    """The rows a cell's formula adds up in its own column (=SUM(B2:B3),
    =B4+B7, =SUBTOTAL(9,B2:B3), =ROUND(SUM(B2:B3),0)): two or more rows, all
    the filled rows of a run directly above (or below) it, none of them a
    formula over the others. Empty when its formula is anything else: such a
    row is a line."""
    for index in columns:
        formula = table.formulas.get((row_number, index))
        if formula is None:
            continue
        letter = column_letter(index)
        found = _formula_rows(formula, letter)
        if found is None:
            return ()
        rows = sorted(set(found) - {row_number})
        if len(rows) < 2 or (rows[0] < row_number < rows[-1]):
            return ()
        if rows[-1] < row_number:
            between = range(rows[0], row_number)
        else:
            between = range(row_number + 1, rows[-1] + 1)
        filled = _filled_rows(table, index, between)
        covered = set(rows)
        for number in rows:
            if (number, index) in table.formulas and number < row_number:
                covered |= set(summed_rows(table, number, (index,)))
        if any(number in filled and number not in covered for number in between):
            return ()  # it skips a line of the run: not the run's subtotal
        for number in rows:
            inner = table.formulas.get((number, index))
            if inner is None:
                continue
            refs = {
                int(ref[1])
                for ref in _REFERENCE.findall(inner.upper())
                if ref[0] == letter
            }
            if refs & set(rows):
                return ()  # adds a line to one worked out from it: a line itself
        return tuple(rows)
    return ()


def _filled_rows(table: Table, index: int, numbers: range) -> set[int]:
    """The rows numbered in `numbers` that hold a value in the column `index`,
    looked up by their place, as a table's rows are in the order of their
    numbers: the rows a formula reaches over, not the whole sheet again."""
    at = bisect.bisect_left(table.rows, numbers.start, key=lambda row: row[0])
    filled = set()
    while at < len(table.rows) and table.rows[at][0] < numbers.stop:
        number, cells = table.rows[at]
        if not row_is_blank(cells) and not is_blank(_cell(cells, index)):
            filled.add(number)
        at += 1
    return filled


def _summary_rows(table: Table, layout: ListLayout) -> dict[int, tuple[int, ...]]:
    return summary_rows(table, layout.position, layout.item, layout.totals)


def summary_rows(
    table: Table, position: int, item: int, amounts: Sequence[int]
) -> dict[int, tuple[int, ...]]:
    """The summary rows of an outline (grouped rows) or of indented item names
    below the header at `position`, each with the rows it sums."""
    rows = [
        (row_number, cells)
        for row_number, cells in table.rows[position + 1 :]
        if not row_is_blank(cells)
    ]
    levels = table.outline_levels
    if levels:
        depth = [levels.get(row_number, 0) for row_number, _ in rows]
        below = table.summary_below
    else:
        depth = [_indent(_cell(cells, item)) for _, cells in rows]
        below = False  # an indented list has its heading above its lines
        if not any(depth):
            return {}
    found: dict[int, tuple[int, ...]] = {}
    order = range(len(rows) - 1, -1, -1) if below else range(len(rows))
    for at in order:
        step = -1 if below else 1
        children = []
        other = at + step
        while 0 <= other < len(rows) and depth[other] > depth[at]:
            if depth[other] == depth[at] + 1 or not levels:
                children.append(rows[other][0])
            other += step
        if children and any(
            not is_blank(_cell(rows[at][1], index)) for index in amounts
        ):
            found[rows[at][0]] = tuple(sorted(children))
    return found


def _indent(cell: Cell) -> int:
    """How far an item name is indented with spaces, in steps of one."""
    if not isinstance(cell, str) or not cell.strip():
        return 0
    return 1 if cell[:1] in (" ", "\t", "\u00a0", "\u3000") else 0


def _span(rows: Sequence[int]) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    if list(rows) == list(range(rows[0], rows[-1] + 1)):
        return f"rows {rows[0]} to {rows[-1]}"
    return f"rows {listing([str(row) for row in rows])}"
