"""Reading the tables of an HTML page that a finance system saved as .xls.

Old finance and ERP systems export a report as an HTML page and name it
.xls, because Excel opens it. Each `<table>` of the page becomes a `Table`
named "Table 1", "Table 2" and so on, its rows numbered from 1 as Excel
shows them when it opens the page. Only the table tags are looked at, found
by one regular expression, which keeps a large export fast; the text of a
cell has its other tags dropped and HTML's own character references
expanded (by the standard library), so a page cannot declare entities, and
XML that declares a DTD is refused before reading, as the workbook reader
refuses it. A cell spanning several columns or rows is a merged range, read
as a workbook's merged cells are (`table.fill_merged`): its text fills the
first column of each row it spans, with a warning, and the others stay
blank, so that the cells of the rows below stay in their own columns (a
header cell over two rows beside a merged group); a number spanning rows is
left in its first row, with a warning, since it may be each row's or all of
them together. A row the page hides (`display:none`, or the `hidden`
attribute) is kept as a hidden row of its table, as a workbook's hidden rows
are, so that the reader can say it was counted. A page with more rows or
cells than a worksheet is read with (`MAX_SHEET_ROWS`, `MAX_TABLE_CELLS`) is
refused as it is parsed, and so is a cell longer than Excel lets a cell be.
"""

from __future__ import annotations

import html
import re

from cpsu.ingest.cells import parse_number_text
from cpsu.ingest.issues import Issue
from cpsu.ingest.table import (
    MAX_CELL_CHARACTERS,
    MAX_SHEET_ROWS,
    Merge,
    Table,
    fill_merged,
    merged_down,
)

MAX_TABLE_CELLS = 2_000_000
MAX_COLSPAN = 1000
MAX_ROWSPAN = 1000
_SPACES = re.compile(r"\s+")
_DTD = re.compile(r"<!ENTITY|<!DOCTYPE[^>]*\[", re.IGNORECASE)
_MARKUP_START = re.compile(r"\s*<", re.ASCII)


class HtmlError(Exception):
    """The page cannot be read as tables; the message says what to do."""


def looks_like_markup(text: str) -> bool:
    """True when text starts with a tag, as HTML and XML do."""
    return bool(_MARKUP_START.match(text[:4096]))


def read_html_tables(text: str) -> tuple[list[Table], dict[str, list[Issue]]]:
    """Every table of an HTML page that has a row, in the order of the page,
    and the warnings about each table's cells that span rows, by table name.

    Raises HtmlError for XML that declares a DTD or entities, for a page
    with more cells than are read, and for markup without any table.
    """
    if _DTD.search(text):
        raise HtmlError(
            "The file is XML that declares a DTD or entities, which can hide an XML "
            "bomb, so it was not read. Open it in Excel and save it as .xlsx or CSV."
        )
    parser = _TableParser()
    try:
        parser.feed(text)
        parser.close()
    except _TooManyCells:
        raise HtmlError(
            f"The HTML file has more than {MAX_TABLE_CELLS:,} table cells, so it was "
            "not read. Export a smaller report, or save it as CSV."
        ) from None
    except _TooManyRows:
        raise HtmlError(
            f"A table of the HTML file has more than {MAX_SHEET_ROWS:,} rows, and at "
            "most that many are read (a cost list or a year's GL export needs far "
            "fewer), so it was not read. Export a shorter period or a smaller report."
        ) from None
    except _LongCell as long:
        raise HtmlError(
            f"Row {long.row:,} of table {long.table} holds a cell of "
            f"{long.characters:,} characters, more than the {MAX_CELL_CHARACTERS:,} "
            "a cell of Excel can hold, so the file was not read. Export the report "
            "again, or shorten that cell."
        ) from None
    tables: list[Table] = []
    issues: dict[str, list[Issue]] = {}
    for number, (rows, merges, hidden) in enumerate(
        zip(parser.tables, parser.merges, parser.hidden, strict=True), start=1
    ):
        if not rows:
            continue
        name = f"Table {number}"
        # A row span past the table's last row covers the rows there are.
        last = len(rows) - 1
        spans = [
            ((top, left), (min(bottom, last), right))
            for (top, left), (bottom, right) in merges
        ]
        issues[name] = list(fill_merged(rows, spans, name, _is_number))
        tables.append(
            Table(
                name=name,
                rows=tuple(
                    (index + 1, tuple(cells)) for index, cells in enumerate(rows)
                ),
                hidden_rows=frozenset(hidden),
                merges=merged_down(spans),
            )
        )
    if not tables:
        raise HtmlError(
            "The file is HTML or XML without a table with rows, not a workbook or "
            "CSV (some systems export this and name it .xls). Open it in Excel and "
            "save it as .xlsx or CSV."
        )
    return tables, issues


def _is_number(value: object) -> bool:
    """True for a cell whose text reads as a number ('1,200', '$500', '12%')."""
    return isinstance(value, str) and parse_number_text(value) is not None


class _TooManyCells(Exception):
    pass


class _TooManyRows(Exception):
    pass


class _LongCell(Exception):
    def __init__(self, table: int, row: int, characters: int) -> None:
        super().__init__(f"table {table}, row {row}: {characters} characters")
        self.table, self.row, self.characters = table, row, characters


# A tag: closing or not, its name, its attributes. Stopping at "<" as well as
# ">" keeps the search linear on text full of stray "<".
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)([^<>]*)>")
_COLSPAN = re.compile(r"""colspan\s*=\s*["']?\s*(\d{1,6})""", re.IGNORECASE)
_ROWSPAN = re.compile(r"""rowspan\s*=\s*["']?\s*(\d{1,6})""", re.IGNORECASE)
_LINE_BREAKS = frozenset({"br", "p", "div"})
_HIDDEN = re.compile(r"""display\s*:\s*none|(?:^|\s)hidden(?:\s|=|$)""", re.IGNORECASE)


def _without_comments(text: str) -> str:
    """The text with <!-- comments --> removed (Excel hides XML in them)."""
    pieces = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        pieces.append(text[position:start])
        end = text.find("-->", start + 4)
        if end < 0:
            return "".join(pieces)
        position = end + 3
    pieces.append(text[position:])
    return "".join(pieces)


class _TableParser:
    """Collects the rows of each table; a table inside a cell is a table too.

    Tags are found with one regular expression rather than a full HTML parser,
    which is many times faster on a large export; only the table tags matter,
    and HTML lets a cell or row end where the next one starts.
    """

    def __init__(self) -> None:
        self.tables: list[list[list[str | None]]] = []
        self.merges: list[list[Merge]] = []  # cells spanning rows, by table
        self.hidden: list[set[int]] = []  # row numbers the page hides, by table
        # The tables open around the current point: [index, row, cell text,
        # column span, row span, {column: rows still covered from above},
        # {column: rows the current row's cells cover below it}, whether the
        # current row is hidden]
        self.open: list[list] = []
        self.cells = 0

    def feed(self, text: str) -> None:
        text = _without_comments(text)
        position = 0
        for tag in _TAG.finditer(text):
            if self.open and self.open[-1][2] is not None and tag.start() > position:
                self.open[-1][2].append(text[position : tag.start()])
            position = tag.end()
            name = tag[2].lower()
            if tag[1]:
                self._end_tag(name)
            else:
                self._start_tag(name, tag[3])
        if self.open and self.open[-1][2] is not None:
            self.open[-1][2].append(text[position:])

    def close(self) -> None:
        while self.open:
            self._end_tag("table")

    def _start_tag(self, tag: str, attributes: str) -> None:
        if tag == "table":
            self.tables.append([])
            self.merges.append([])
            self.hidden.append(set())
            self.open.append([len(self.tables) - 1, None, None, 1, 1, {}, {}, False])
        elif not self.open:
            return
        elif tag == "tr":
            self._end_row()
            self.open[-1][1] = []
            self.open[-1][7] = bool(_HIDDEN.search(attributes))
        elif tag in ("td", "th"):
            self._end_cell()
            if self.open[-1][1] is None:
                self.open[-1][1] = []
            self._skip_covered()
            self.open[-1][2] = []
            span = _COLSPAN.search(attributes)
            self.open[-1][3] = _span(span[1] if span else None)
            down = _ROWSPAN.search(attributes)
            self.open[-1][4] = _span(down[1] if down else None, MAX_ROWSPAN)
        elif tag in _LINE_BREAKS and self.open[-1][2] is not None:
            self.open[-1][2].append(" ")

    def _end_tag(self, tag: str) -> None:
        if not self.open:
            return
        if tag == "table":
            self._end_row()
            self.open.pop()
        elif tag == "tr":
            self._end_row()
        elif tag in ("td", "th"):
            self._end_cell()

    def _end_cell(self) -> None:
        current = self.open[-1]
        if current[2] is None:
            return
        text = html.unescape(_SPACES.sub(" ", "".join(current[2])))
        text = _SPACES.sub(" ", text.replace("\xa0", " ")).strip()
        if len(text) > MAX_CELL_CHARACTERS:
            row = len(self.tables[current[0]]) + 1
            raise _LongCell(current[0] + 1, row, len(text))
        first = len(current[1])
        current[1].append(text or None)
        current[1].extend([None] * (current[3] - 1))
        if current[4] > 1:
            for column in range(first, first + current[3]):
                current[6][column] = current[4] - 1
            top = len(self.tables[current[0]])
            self.merges[current[0]].append(
                ((top, first), (top + current[4] - 1, first + current[3] - 1))
            )
        self._count(current[3])
        current[2], current[3], current[4] = None, 1, 1

    def _skip_covered(self) -> None:
        """Blank cells where a cell of a row above still covers the column."""
        current = self.open[-1]
        while len(current[1]) in current[5]:
            current[1].append(None)
            self._count(1)

    def _count(self, cells: int) -> None:
        self.cells += cells
        if self.cells > MAX_TABLE_CELLS:
            raise _TooManyCells

    def _end_row(self) -> None:
        self._end_cell()
        current = self.open[-1]
        if current[1] is not None:
            self._skip_covered()
            rows = self.tables[current[0]]
            rows.append(current[1])
            if len(rows) > MAX_SHEET_ROWS:
                raise _TooManyRows
            if current[7]:
                self.hidden[current[0]].add(len(rows))
            current[1], current[7] = None, False
            covered = {
                column: rows - 1 for column, rows in current[5].items() if rows > 1
            }
            current[5] = {**covered, **current[6]}
            current[6] = {}


def _span(value: str | None, most: int = MAX_COLSPAN) -> int:
    if value and value.strip().isdigit():
        return max(1, min(int(value.strip()), most))
    return 1
