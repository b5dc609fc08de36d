"""A sheet as rows of cells, and finding the header row in it.

Whatever the file (a workbook sheet or a CSV), it becomes a `Table`: rows of
cells from column A, each row with the number the user sees for it (the
spreadsheet row, or the CSV line). Readers of each sheet then look for the
header row among the first rows, since real sheets often carry a title, a
date or a blank line above it, and map each known header to its column so
that every message can name a column the way the user sees it: "Amount (D)".
A header written over two rows (a merged group cell above the names, or
names split across the rows) is made one row first (`one_header_row`), by
each reader with its own idea of a header, and only where that is certain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from cpsu.ingest.cells import is_blank, parse_number_text, show
from cpsu.ingest.issues import Issue, column_label, column_letter, error, warning
from cpsu.ingest.vocabulary import clean_header, match_header

# The header row must be within the first rows of a sheet.
HEADER_SEARCH_ROWS = 20
# A blank gap this long may end one table and start another; the user is told.
LONG_GAP = 5
# How many names a message lists before it says how many more there are.
LISTED = 5
# Merged ranges filled in on one sheet, at most.
MAX_MERGED_RANGES = 10_000
# A cost list is at most a few thousand lines and a year's GL export about
# 100,000 postings; 250,000 rows leaves room above that. Any table longer than
# this, whatever its format, is refused before its cells are read (a million
# rows took more than a minute and a gigabyte to read). A sheet's cells are
# limited as well (`xlsx.MAX_SHEET_CELLS`): 2,000,000 is 100,000 postings of
# 20 columns.
MAX_SHEET_ROWS = 250_000
# The most characters Excel lets a cell hold; a longer cell was not written by
# a spreadsheet program, and is refused.
MAX_CELL_CHARACTERS = 32_767

# A total, subtotal or grand-total row, by the text that names it.
TOTAL_ROW = re.compile(
    r"^(?:grand\s+)?(?:sub-?\s*)?totals?\b|\b(?:sub-?\s*)?totals?\s*:?$"
    r"|^(?:grand\s+)?(?:sub-?\s*)?(?:sum|summe|gesamt|gesamtsumme)\s*:?$",
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
    # Formulas of cells that hold a value too: (row number, 0-based column).
    formulas: Mapping[tuple[int, int], str] = field(default_factory=dict)
    # Cells whose number format shows them scaled down ('#,##0,' shows 12,000 as
    # 12): (row number, 0-based column) -> what the shown number is times.
    shown_scales: Mapping[tuple[int, int], float] = field(default_factory=dict)
    outline_levels: Mapping[int, int] = field(default_factory=dict)  # row -> level
    summary_below: bool = True  # an outline's summary rows are below their detail
    # Cells merged down over several rows, as `fill_merged` read them.
    merges: tuple[MergedRange, ...] = ()


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


# --- a header over two rows ------------------------------------------------------


def join_header_rows(
    upper: Sequence[Cell], lower: Sequence[Cell]
) -> tuple[tuple[str | None, ...], bool] | None:
    """The one header row that two rows make, and whether the upper one groups
    columns; None when the upper row cannot be part of a header.

    A text of the upper row over two or more columns of the lower one, with
    nothing beside it (a merged cell, like 'Cost' over 'Monthly' and
    'Annual'), groups them: each becomes 'Monthly (Cost)', which reads as
    'Monthly' where brackets are ignored. A text over one column starts the
    header below it ('Users per' over 'unit'), and a text with nothing under
    it is that column's header, as is a text merged down over both rows (read
    into each, as merged cells are). A single text over every column is a title,
    not a header, and a row with a number or a date in it is data, not a
    header.
    """
    if not (_all_words(upper) and _all_words(lower)):
        return None  # a row with a number or a date in it is data
    width = max(len(upper), len(lower))
    above = [clean_header(upper[i]) if i < len(upper) else "" for i in range(width)]
    below = [clean_header(lower[i]) if i < len(lower) else "" for i in range(width)]
    texts_above = [i for i in range(width) if above[i]]
    if not texts_above or sum(map(bool, below)) < 2:
        return None
    first_below = next(i for i, text in enumerate(below) if text)
    only = texts_above[0] if len(texts_above) == 1 else None
    if only is not None and below[only] and only <= first_below:
        return None  # a title over the whole table
    joined: list[str | None] = []
    grouped = False
    group = ""
    for i in range(width):
        if above[i] and below[i] == above[i]:
            # One cell merged down over both rows, its text filled into each.
            group = ""
            joined.append(above[i])
            continue
        if above[i]:
            end = i + 1
            while end < width and not above[end] and below[end]:
                end += 1
            spans = bool(below[i]) and end - i >= 2
            group = above[i] if spans else ""
            grouped |= spans
            if not below[i]:
                text = above[i]
            elif spans:
                text = f"{below[i]} ({above[i]})"
            else:
                text = f"{above[i]} {below[i]}"
        elif group and below[i]:
            text = f"{below[i]} ({group})"
        else:
            group = ""
            text = below[i]
        joined.append(text or None)
    return tuple(joined), grouped


def _all_words(cells: Sequence[Cell]) -> bool:
    """True when every cell that is not blank is text that is not a number."""
    return all(
        is_blank(cell) or (isinstance(cell, str) and parse_number_text(cell) is None)
        for cell in cells
    )


def one_header_row(
    table: Table,
    is_header: Callable[[Sequence[Cell]], bool],
    index: Mapping[str, str] | None = None,
) -> tuple[Table, Issue | None]:
    """The table with a header written over two rows made one row, and a warning
    saying so; the table itself when its header is one row or none is found.

    Two rows are read as one only when that makes a header `is_header` knows,
    the lower row is not a header on its own, and the upper row either groups
    columns of the lower one, or is not a header on its own either, or (with
    the header words `index`) is one whose unknown headers the lower row
    completes: 'Users per' over 'unit' where only those cells of the lower
    row hold text. With `index`, an upper row that holds a known header over
    an empty cell of a lower header row ('Vendor' beside 'Posting' over
    'date') is read with it too. So a header of one row, with or without a
    title above it, is never changed.
    """
    window = [
        position
        for position, (row_number, _) in enumerate(table.rows)
        if row_number <= HEADER_SEARCH_ROWS
    ]
    for position in window:
        row_number, cells = table.rows[position]
        single = is_header(cells)
        if position + 1 < len(table.rows) and not row_is_blank(cells):
            below_number, below = table.rows[position + 1]
            joined = (
                join_header_rows(cells, below)
                if below_number == row_number + 1
                else None
            )
            if joined is not None:
                header, grouped = joined
                completes = grouped or not single
                # The lower row on its own, without the text merged down into it.
                lower_is_header = is_header(_own_cells(cells, below))
                if is_header(header) and (
                    (
                        not lower_is_header
                        and (completes or _completes(cells, below, header, index))
                    )
                    or (lower_is_header and _adds_headers(cells, below, index))
                ):
                    return _joined(table, position, header, grouped)
        if single:
            break
    return table, None


def _own_cells(upper: Sequence[Cell], lower: Sequence[Cell]) -> tuple[Cell, ...]:
    """The lower row's cells, blank where they repeat the text above them (a
    cell merged down over both rows, filled into each)."""
    return tuple(
        None
        if position < len(upper)
        and isinstance(cell, str)
        and not is_blank(cell)
        and cell == upper[position]
        else cell
        for position, cell in enumerate(lower)
    )


def _adds_headers(
    upper: Sequence[Cell], lower: Sequence[Cell], index: Mapping[str, str] | None
) -> bool:
    """True when the upper row holds a known header over an empty cell of the
    lower one, for a column the lower row does not name."""
    if index is None:
        return False
    named = match_row(lower, index)[0]
    for position, cell in enumerate(upper):
        if is_blank(cell) or (position < len(lower) and not is_blank(lower[position])):
            continue
        name = match_header(clean_header(cell), index)
        if name is not None and name not in named:
            return True
    return False


def _completes(
    upper: Sequence[Cell],
    lower: Sequence[Cell],
    header: Sequence[Cell],
    index: Mapping[str, str] | None,
) -> bool:
    """True when the lower row only finishes headers the upper row starts, and
    the two together name more known columns than the upper row alone."""
    if index is None:
        return False
    for position, cell in enumerate(lower):
        if is_blank(cell):
            continue
        if position >= len(upper) or is_blank(upper[position]):
            return False
    known = match_row(upper, index)[0]
    return len(match_row(header, index)[0]) > len(known)


def _joined(
    table: Table, position: int, header: tuple[str | None, ...], grouped: bool
) -> tuple[Table, Issue]:
    upper, lower = table.rows[position][0], table.rows[position + 1][0]
    rows = (
        *table.rows[:position],
        (lower, header),
        *table.rows[position + 2 :],
    )
    how = (
        f"row {upper} groups the columns below it"
        if grouped
        else "the header text is split over the two rows"
    )
    shown = listing([f"'{text}'" for text in header if text])
    return replace(table, rows=rows), warning(
        f"Rows {upper} and {lower} were read as one header row, since {how}: "
        f"{shown}. Keep one header row to make this plain.",
        sheet=table.name,
        row=upper,
    )


def two_row_header_hint(table: Table) -> Issue | None:
    """An error for a header that looks written over two rows yet was not read,
    naming the rows; None when no two rows look like that."""
    for position, (row_number, cells) in enumerate(table.rows[:-1]):
        if row_number > HEADER_SEARCH_ROWS:
            break
        below_number, below = table.rows[position + 1]
        if below_number != row_number + 1:
            continue
        joined = join_header_rows(cells, below)
        if joined is None or not joined[1]:
            continue
        return error(
            f"Rows {row_number} and {below_number} of {table.name} look like one "
            "header written over two rows (a merged cell over several columns), "
            "but even read together they do not name the columns this program "
            "needs, so the table could not be read with certainty. Keep one header "
            "row, with one name a column.",
            sheet=table.name,
            row=row_number,
        )
    return None


# A merged range, 0-based and inclusive: ((top row, left column), (bottom, right)).
Merge = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class MergedRange:
    """Cells merged down over several rows: the first and last row as the user
    sees them, and the first and last column, 0-based."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def span(self) -> str:
        """The range as Excel writes it, like 'C2:C4'."""
        return (
            f"{column_letter(self.left)}{self.top}:"
            f"{column_letter(self.right)}{self.bottom}"
        )


def merged_down(merged: Sequence[Merge]) -> tuple[MergedRange, ...]:
    """The ranges of `merged` that run down more than one row, as many as
    `fill_merged` fills in, for a `Table` to keep."""
    return tuple(
        MergedRange(top + 1, bottom + 1, left, right)
        for (top, left), (bottom, right) in merged[:MAX_MERGED_RANGES]
        if bottom > top
    )


_SPAN = r"[A-Z]{1,3}\d+:[A-Z]{1,3}\d+"
# fill_merged's warning of a number merged down over rows.
_MERGED_NUMBER = re.compile(rf"^Cells ({_SPAN}) are merged and hold ")


def without_restated_merges(issues: Sequence[Issue]) -> list[Issue]:
    """`issues` without `fill_merged`'s note of a merged number where another
    warning of the same sheet already says what became of the rows under it
    (a cost list names them, "... merged over C2:C4 ..."): one warning a merge.
    """
    said = {
        (issue.sheet, span)
        for issue in issues
        if "merged over" in issue.message and not _MERGED_NUMBER.match(issue.message)
        for span in re.findall(_SPAN, issue.message.split("merged over", 1)[1])
    }
    return [
        issue
        for issue in issues
        if not (found := _MERGED_NUMBER.match(issue.message))
        or (issue.sheet, found[1]) not in said
    ]


def fill_merged(
    grid: list[list[object]],
    merged: Sequence[Merge],
    sheet: str,
    is_number: Callable[[object], bool] = lambda value: not isinstance(value, str),
) -> Iterator[Issue]:
    """Carry the text of cells merged down several rows to each of those rows,
    changing `grid` in place, with a warning for each range.

    A merged number (`is_number`) is left in its first row only, with a
    warning: it may be each row's or all of them together. An HTML cell
    spanning rows is a merge too, its numbers being text that reads as one.
    """
    for number, ((top, left), (bottom, right)) in enumerate(merged):
        if number >= MAX_MERGED_RANGES:
            yield warning(
                f"The sheet has more than {MAX_MERGED_RANGES:,} merged ranges; only "
                "the first were filled in. Unmerge the cells.",
                sheet=sheet,
            )
            return
        if bottom <= top or top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        if is_blank(value):
            continue
        letter = column_letter(left)
        span = f"{letter}{top + 1}:{column_letter(right)}{bottom + 1}"
        if is_number(value):
            yield warning(
                f"Cells {span} are merged and hold {show(value)}; it is not clear "
                "whether that is for each row or for all of them, so only row "
                f"{top + 1} has it. Unmerge the cells and fill in each row.",
                sheet=sheet,
                row=top + 1,
                column=letter,
            )
            continue
        # Rows past the sheet's last filled row hold nothing to fill.
        last = min(bottom, len(grid) - 1)
        if last <= top:
            continue
        for row in range(top + 1, last + 1):
            cells = grid[row]
            if len(cells) <= left:
                cells.extend([None] * (left + 1 - len(cells)))
            if is_blank(cells[left]):
                cells[left] = value
        yield warning(
            f"Cells {span} are merged; {show(value)} was read for each of rows "
            f"{top + 1} to {last + 1}.",
            sheet=sheet,
            row=top + 1,
            column=letter,
        )
