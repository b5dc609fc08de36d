"""A sheet as rows of cells, and finding the header row in it.

Whatever the file (a workbook sheet or a CSV), it becomes a `Table`: rows of
cells from column A, each row with the number the user sees for it (the
spreadsheet row, or the CSV line). Readers of each sheet then look for the
header row among the first rows, since real sheets often carry a title, a
date or a blank line above it, and map each known header to its column so
that every message can name a column the way the user sees it: "Amount (D)".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cpsu.ingest.cells import is_blank
from cpsu.ingest.issues import Issue, column_label, error, warning
from cpsu.ingest.vocabulary import clean_header, match_header

# The header row must be within the first rows of a sheet.
HEADER_SEARCH_ROWS = 20
# A blank gap this long may end one table and start another; the user is told.
LONG_GAP = 5
# How many names a message lists before it says how many more there are.
LISTED = 5

# A total, subtotal or grand-total row, by the text that names it.
TOTAL_ROW = re.compile(
    r"^(?:grand\s+)?(?:sub-?\s*)?totals?\b|\b(?:sub-?\s*)?totals?\s*:?$",
    re.IGNORECASE,
)

Cell = object
Row = tuple[int, tuple[Cell, ...]]


@dataclass(frozen=True)
class Table:
    """The cells of one sheet or CSV: (row number as the user sees it, cells)."""

    name: str
    rows: tuple[Row, ...]
    hidden_rows: frozenset[int] = frozenset()  # row numbers hidden in Excel
    hidden_columns: frozenset[int] = frozenset()  # 0-based column indexes
    delimiter: str | None = None  # for a CSV, the character between its values


@dataclass(frozen=True)
class Header:
    """Where a sheet's header row is and which column holds each field."""

    sheet: str
    row_number: int
    position: int  # index of the header row in Table.rows
    columns: Mapping[str, int]
    labels: Mapping[str, str]  # field -> "Amount (D)"
    names: Mapping[str, str]  # field -> canonical header, for absent columns
    issues: tuple[Issue, ...] = field(default_factory=tuple)
    width: int = 0  # cells in the header row up to its last one with text

    def label(self, name: str) -> str:
        """The column a field is in, like 'Amount (D)', or its header if absent."""
        return self.labels.get(name) or self.names[name]

    def cell(self, cells: Sequence[Cell], name: str) -> Cell:
        """A row's cell for a field; None when the column is absent or short."""
        index = self.columns.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def row_is_blank(cells: Sequence[Cell]) -> bool:
    return all(is_blank(cell) for cell in cells)


def match_row(
    cells: Sequence[Cell], index: Mapping[str, str]
) -> tuple[dict[str, int], list[tuple[int, str, str]], list[tuple[int, str]]]:
    """Known fields of a row of headers, their repeats, and the unknown headers."""
    columns: dict[str, int] = {}
    repeats: list[tuple[int, str, str]] = []
    unknown: list[tuple[int, str]] = []
    for position, cell in enumerate(cells):
        text = clean_header(cell)
        if not text:
            continue
        name = match_header(text, index)
        if name is None:
            unknown.append((position, text))
        elif name in columns:
            repeats.append((position, text, name))
        else:
            columns[name] = position
    return columns, repeats, unknown


def find_header(
    table: Table,
    index: Mapping[str, str],
    names: Mapping[str, str],
    required: Sequence[str],
    *,
    hint: Mapping[str, str] | None = None,
    warn_unknown: bool = True,
) -> Header | list[Issue]:
    """The header row among the first rows: the first holding every required field.

    Without such a row, the row that names the most fields is taken as the
    header and each missing required field is an error that says which
    header was looked for and which headers were found.
    """
    best: tuple[int, int, dict[str, int]] | None = None
    for position, (row_number, cells) in enumerate(table.rows):
        if row_number > HEADER_SEARCH_ROWS:
            break
        columns, _, _ = match_row(cells, index)
        if all(name in columns for name in required):
            return _header(table, position, index, names, warn_unknown)
        if columns and (best is None or len(columns) > len(best[2])):
            best = (position, row_number, columns)

    if not table.rows or all(row_is_blank(cells) for _, cells in table.rows):
        return [
            error(
                f"The {table.name} sheet is empty; it needs a header row "
                f"({', '.join(names[name] for name in required)}) and rows below it.",
                sheet=table.name,
            )
        ]

    looked_for = ", ".join(names[name] for name in required)
    if best is None:
        first = next(cells for _, cells in table.rows if not row_is_blank(cells))
        found = _found_headers(first)
        return [
            error(
                f"No header row found in the first {HEADER_SEARCH_ROWS} rows of "
                f"{table.name}: looked for a row with {looked_for}; the first row "
                f"with text has {found}. Add the header row, or rename the columns.",
                sheet=table.name,
            )
        ]

    position, row_number, columns = best
    cells = table.rows[position][1]
    found = _found_headers(cells)
    issues = []
    for name in required:
        if name not in columns:
            wanted = (hint or {}).get(name, names[name])
            issues.append(
                error(
                    f"{table.name} has no {names[name]} column: looked for a header "
                    f"like {wanted} in row {row_number} and found {found}. Add the "
                    f"column or rename its header to {names[name]}.",
                    sheet=table.name,
                    row=row_number,
                    column=names[name],
                )
            )
    return issues


def _found_headers(cells: Sequence[Cell]) -> str:
    texts = [clean_header(cell) for cell in cells]
    texts = [text for text in texts if text]
    if not texts:
        return "nothing"
    shown = ", ".join(f"'{text}'" for text in texts[:20])
    return shown + (", ..." if len(texts) > 20 else "")


def _header(
    table: Table,
    position: int,
    index: Mapping[str, str],
    names: Mapping[str, str],
    warn_unknown: bool,
) -> Header:
    row_number, cells = table.rows[position]
    columns, repeats, unknown = match_row(cells, index)
    labels = {
        name: column_label(clean_header(cells[column]), column)
        for name, column in columns.items()
    }
    issues: list[Issue] = []
    ignored = _ignored_columns(
        table.name, row_number, repeats, unknown if warn_unknown else (), labels, names
    )
    if ignored is not None:
        issues.append(ignored)
    for name, column in columns.items():
        if column in table.hidden_columns:
            issues.append(
                warning(
                    f"Column {labels[name]} is hidden in Excel; it was read anyway. "
                    "Unhide it to check what it holds.",
                    sheet=table.name,
                    row=row_number,
                    column=labels[name],
                )
            )
    return Header(
        sheet=table.name,
        row_number=row_number,
        position=position,
        columns=columns,
        labels=labels,
        names=names,
        issues=tuple(issues),
        width=filled_width(cells),
    )


def filled_width(cells: Sequence[Cell]) -> int:
    """How many cells a row has up to its last one that is not blank."""
    for index in range(len(cells) - 1, -1, -1):
        if not is_blank(cells[index]):
            return index + 1
    return 0


def _ignored_columns(
    sheet: str,
    row_number: int,
    repeats: Sequence[tuple[int, str, str]],
    unknown: Sequence[tuple[int, str]],
    labels: Mapping[str, str],
    names: Mapping[str, str],
) -> Issue | None:
    """One warning for all the header's columns that are not read, if any."""
    parts = []
    if unknown:
        shown = [column_label(text, column) for column, text in unknown]
        verb = "is not a column" if len(unknown) == 1 else "are not columns"
        parts.append(
            f"{listing(shown)} {verb} this program reads (totals columns would "
            "count twice)"
        )
    if repeats:
        shown = [
            f"{column_label(text, column)} repeats {labels[name]}"
            for column, text, name in repeats
        ]
        parts.append(f"{listing(shown)}, and only the first of each was read")
    if not parts:
        return None
    count = len(unknown) + len(repeats)
    only = [*unknown, *((column, text) for column, text, _ in repeats)]
    column = column_label(only[0][1], only[0][0]) if count == 1 else None
    columns = "1 column was" if count == 1 else f"{count:,} columns were"
    return warning(
        f"{columns} ignored: {'; '.join(parts)}. The columns it reads are "
        f"{', '.join(names.values())}; delete or rename the others if they hold "
        "what the program should read.",
        sheet=sheet,
        row=row_number,
        column=column,
    )


def listing(names: Sequence[str], *, limit: int = LISTED) -> str:
    """The first few names, and how many more there are."""
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit:,} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def hidden_rows_warning(table: Table, rows_read: Sequence[int]) -> Issue | None:
    """One warning for the rows read that are hidden (or filtered out) in Excel."""
    hidden = [row for row in rows_read if row in table.hidden_rows]
    if not hidden:
        return None
    if len(hidden) == 1:
        return warning(
            f"Row {hidden[0]} is hidden in Excel (or filtered out); it was read and "
            "counted anyway. Delete the row if it should not count.",
            sheet=table.name,
            row=hidden[0],
        )
    return warning(
        f"Rows {listing([str(row) for row in hidden])} are hidden in Excel (or "
        "filtered out); they were read and counted anyway. Delete the rows that "
        "should not count.",
        sheet=table.name,
    )


def blank_gaps(sheet: str, rows: Sequence[Row]) -> list[Issue]:
    """One warning for each run of blank rows between rows that hold something.

    Blank rows above the first and below the last row with anything are not
    gaps. A long gap may end one table and start another (notes, a second
    table), so its warning says the rows below it were read all the same.
    """
    issues: list[Issue] = []
    gap: list[int] = []
    seen_filled = False
    for row_number, cells in rows:
        if row_is_blank(cells):
            if seen_filled:
                gap.append(row_number)
            continue
        if gap:
            where = (
                f"Row {gap[0]} is blank and was"
                if len(gap) == 1
                else f"Rows {gap[0]} to {gap[-1]} are blank and were"
            )
            message = f"{where} skipped."
            if len(gap) >= LONG_GAP:
                message += (
                    f" The rows from {row_number} on were read as part of the same "
                    "table; delete them if they are notes or another table."
                )
            issues.append(warning(message, sheet=sheet, row=gap[0]))
        gap = []
        seen_filled = True
    return issues
