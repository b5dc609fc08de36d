"""How one file writes its numbers, decided once from all of its text numbers.

'1.500' is fifteen hundred in Germany and one and a half in the US, so a
text number's separator cannot be read from the cell alone: a sheet that
holds '36.000,00' and '84.000' writes both the German way, and reading each
cell on its own would make the second 84. So the decimal mark is decided
for the whole file. Every text cell in a number column that can be read only
one way votes for the mark it shows: a cell with both separators
('1,234.50'), a separator not followed by exactly three digits ('0,40',
'12.5'), or one separator used twice ('1.234.567'). Numeric cells hold no
separator and do not vote. The majority decides; a semicolon-separated CSV,
which nearly always comes from a country that writes decimal commas, breaks
a tie towards the comma. Each cell is then read by the decided mark, and a
cell that cannot be is an error (see `cells.Conventions`); with no votes and
no tie-breaker, a cell that could be read both ways is an error too.

Money is treated the same way. The product shows amounts in dollars; money
text written in another currency is read as written, with one warning that
CPSU is then in that currency, and when a file mixes currencies each amount
in a currency other than the most used one is an error.

Dates with the year last are decided the same way: 03/04/2026 is the 3rd of
April in Europe and the 4th of March in the US, so `decide_date_order` takes
the order from the file's dates that can be read only one way (31/01/2023,
day first; 01/31/2023, month first) and reads every other date by it, with
a warning that lists them. A file with no such date, or with both, leaves
each date that could be read both ways an error (see `cells.DateOrder`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cpsu.ingest.cells import (
    DOLLARS,
    CellError,
    Conventions,
    DateOrder,
    NumberText,
    currency_code,
    parse_number_text,
    read_date,
    show,
    year_last_order,
)
from cpsu.ingest.issues import Issue, warning

# How many cells a message lists before it says how many more there are.
LISTED = 5
# Cells read by the file's mark alone are each named, up to this many: each
# is a number whose meaning the user should be able to check.
READINGS_LISTED = 20

_MARK_NAMES = {".": "a dot", ",": "a comma"}


@dataclass(frozen=True)
class NumberCell:
    """A text cell in a number column, where it is, and whether it holds money.

    A money column's header that names a currency ('Amount (EUR)') is one
    too, with `currency` set: it says what the numbers below it are in.
    """

    text: str
    sheet: str
    row: int
    column: str  # "Amount (D)"
    money: bool = False
    currency: str | None = None

    def place(self, sheet: str | None = None) -> str:
        """Where the cell is; the sheet is left out when it is `sheet`."""
        where = f"row {self.row}, column {self.column}"
        return where if self.sheet == sheet else f"{self.sheet}, {where}"


def decide_conventions(
    cells: Iterable[NumberCell], *, semicolon: bool = False
) -> tuple[Conventions, list[Issue]]:
    """The file's decimal mark and currency, and warnings about how they were used.

    `semicolon` says the file is a semicolon-separated CSV, which breaks a tie
    between the decimal marks towards the comma.
    """
    cells = list(cells)
    known: dict[str, NumberText | None] = {}
    for cell in cells:
        if cell.currency is None and cell.text not in known:
            known[cell.text] = parse_number_text(cell.text)
    parsed = [
        (cell, number)
        for cell in cells
        if cell.currency is None and (number := known[cell.text]) is not None
    ]
    votes: dict[str, list[NumberCell]] = {".": [], ",": []}
    for cell, number in parsed:
        if number.vote is not None:
            votes[number.vote].append(cell)

    dots, commas = len(votes["."]), len(votes[","])
    decimal: str | None = None
    if dots != commas:
        decimal = "." if dots > commas else ","
    elif semicolon:
        decimal = ","
    example, example_currency = "", None
    if decimal is not None and votes[decimal]:
        # A cell read only one way shows the mark; '$300' only says dollars,
        # which are written with a dot, and is quoted as that.
        number_of = {id(cell): number for cell, number in parsed}
        shown = [
            cell for cell in votes[decimal] if len(number_of[id(cell)].readings) == 1
        ]
        first = (shown or votes[decimal])[0]
        example = f"{show(first.text)} in {first.place()}"
        if not shown:
            example_currency = number_of[id(first)].currency
    money = _money_currencies(cells, parsed)
    conventions = Conventions(
        decimal=decimal,
        example=example,
        example_currency=example_currency,
        mixed_decimals=decimal is None and dots > 0,
        currencies=_currencies(money),
        parsed=known,
    )

    issues: list[Issue] = []
    ambiguous = [(cell, number) for cell, number in parsed if number.ambiguous]
    if decimal is not None and ambiguous:
        issues.append(_separator_warning(conventions, ambiguous))
    currency = _currency_warning(conventions, money)
    if currency is not None:
        issues.append(currency)
    return conventions, issues


def _money_currencies(
    cells: Sequence[NumberCell], parsed: Sequence[tuple[NumberCell, NumberText]]
) -> list[tuple[NumberCell, str]]:
    """Each money cell or header that names a currency, with it as written."""
    written = {id(cell): number.currency for cell, number in parsed}
    found = []
    for cell in cells:
        currency = cell.currency or written.get(id(cell))
        if cell.money and currency is not None:
            found.append((cell, currency))
    return found


def _currencies(
    money: Sequence[tuple[NumberCell, str]],
) -> tuple[tuple[str, str, int], ...]:
    """Money by currency: (code, as first written, cells), most used first."""
    counts: dict[str, list] = {}
    for _, currency in money:
        entry = counts.setdefault(currency_code(currency), [currency, 0])
        entry[1] += 1
    ranked = sorted(counts.items(), key=lambda item: -item[1][1])
    return tuple((code, shown, count) for code, (shown, count) in ranked)


def _separator_warning(
    conventions: Conventions, ambiguous: Sequence[tuple[NumberCell, NumberText]]
) -> Issue:
    """Which cells were read by the file's decimal mark alone, both readings said."""
    decimal = conventions.decimal
    assert decimal is not None
    other = "," if decimal == "." else "."
    where = _where([cell for cell, _ in ambiguous])
    readings = [
        f"{show(cell.text)} ({cell.place(where.get('sheet'))}) as "
        f"{number.shown(decimal)}, not {number.shown(other)}"
        for cell, number in ambiguous[:READINGS_LISTED]
    ]
    if len(ambiguous) > READINGS_LISTED:
        readings.append(f"and {len(ambiguous) - READINGS_LISTED:,} more like them")
    if conventions.example_currency is not None:
        reason = (
            f"as amounts in {conventions.example_currency} are written, and this "
            f"file's are in {conventions.example_currency}, like {conventions.example}"
        )
    elif conventions.example:
        reason = f"as this file writes them, like {conventions.example}"
    else:
        reason = "as semicolon-separated files write them"
    return warning(
        f"Text numbers were read with {_MARK_NAMES[decimal]} marking decimals "
        f"({reason}) and {_MARK_NAMES[other]} separating thousands: "
        f"{'; '.join(readings)}. Write any that means otherwise as a plain number, "
        "or format the cell as a number.",
        **where,
    )


def _currency_warning(
    conventions: Conventions, money: Sequence[tuple[NumberCell, str]]
) -> Issue | None:
    """A warning that CPSU is in another currency than the dollars it is shown in."""
    code = conventions.currency
    if code is None or code == DOLLARS:
        return None
    _, shown, _ = conventions.currencies[0]
    cells = [cell for cell, currency in money if currency_code(currency) == code]
    where = _where(cells)
    places = [cell.place(where.get("sheet")) for cell in cells[:LISTED]]
    if len(cells) > LISTED:
        places.append(f"{len(cells) - LISTED:,} more")
    return warning(
        f"Amounts are shown as $; this file uses {shown} ({'; '.join(places)}): "
        f"the figures are read as they are written, so CPSU is in {shown}. Convert "
        "the amounts to dollars if the figures should be in $.",
        **where,
    )


def _where(cells: Sequence[NumberCell]) -> dict[str, object]:
    """The sheet, row and column a message about some cells can name."""
    if len({cell.sheet for cell in cells}) != 1:
        return {}
    if len(cells) == 1:
        return {"sheet": cells[0].sheet, "row": cells[0].row, "column": cells[0].column}
    return {"sheet": cells[0].sheet}


def _and(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class DateCell:
    """A text cell in a date column, and where it is."""

    text: str
    sheet: str
    row: int
    column: str  # "Start date (C)"

    def place(self, sheet: str | None = None) -> str:
        where = f"row {self.row}, column {self.column}"
        return where if self.sheet == sheet else f"{self.sheet}, {where}"


def _date_at(cell: DateCell) -> str:
    return f"{show(cell.text)} in {cell.place(cell.sheet)}"


def decide_date_order(
    cells: Iterable[DateCell], chosen: bool | None = None
) -> tuple[DateOrder, list[Issue]]:
    """Whether the file writes its text dates day or month first, and a warning
    listing the dates that only this decision reads.

    `chosen` is the user's order for the file (True day first), which
    overrides what the file's own dates show; a date it cannot read is then
    an error (see `cells.read_date`).
    """
    cells = list(cells)
    if chosen is not None:
        return _chosen_order(cells, chosen)
    votes: dict[bool, list[DateCell]] = {True: [], False: []}
    for cell in cells:
        vote = year_last_order(cell.text)
        if vote is not None:
            votes[vote].append(cell)
    if votes[True] and votes[False]:
        conflict = (
            f"{_date_at(votes[True][0])} is day first, "
            f"{_date_at(votes[False][0])} month first"
        )
        return DateOrder(conflict=conflict), []
    if not votes[True] and not votes[False]:
        return DateOrder(), []
    day_first = bool(votes[True])
    first = votes[day_first][0]
    order = DateOrder(day_first, _date_at(first))
    return order, _doubtful_dates(cells, order)


def _chosen_order(
    cells: Sequence[DateCell], day_first: bool
) -> tuple[DateOrder, list[Issue]]:
    """The user's order, and a warning naming the dates it read."""
    order = DateOrder(day_first, chosen=True)
    return order, _doubtful_dates(cells, order)


def _doubtful_dates(cells: Sequence[DateCell], order: DateOrder) -> list[Issue]:
    """A warning naming each date that the other order would read otherwise."""
    day_first = bool(order.day_first)
    doubtful = []
    for cell in cells:
        try:
            this_way = read_date(cell.text, order=order)
            other_way = read_date(cell.text, order=DateOrder(not day_first))
        except CellError:
            continue
        if this_way != other_way:
            doubtful.append((cell, this_way, other_way))
    if not doubtful:
        return []
    where = _where([cell for cell, _, _ in doubtful])
    readings = [
        f"{show(cell.text)} ({cell.place(where.get('sheet'))}) as "
        f"{this_way.isoformat()}, not {other_way.isoformat()}"
        for cell, this_way, other_way in doubtful[:READINGS_LISTED]
    ]
    if len(doubtful) > READINGS_LISTED:
        readings.append(f"and {len(doubtful) - READINGS_LISTED:,} more like them")
    shown = "day" if day_first else "month"
    why = (
        "as you chose"
        if order.chosen
        else f"as this file writes them (like {order.example})"
    )
    return [
        warning(
            f"Text dates were read {shown} first, {why}: {'; '.join(readings)}. "
            "Write any that means otherwise as year-month-day (ISO), like "
            "2027-03-01.",
            **where,
        )
    ]
