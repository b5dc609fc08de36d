"""GL / OPEX exports: one row per posting, read column by column into entries.

A finance system exports its general ledger as a table with one row per
posting: when it was posted (a date, or a fiscal period such as 202610 that
is kept as a period and never read as a date), the account (a number, maybe
with its name), the cost centre, the vendor, a description, and either an
amount or a debit and a credit column. Such a table is recognised by its
headers, in a workbook sheet, a CSV or an HTML page saved as .xls (see
`sniff.py`), and read into a `GLExport`: a
DataFrame of entries (the file's row number, the month, account, cost
centre, vendor, description and the signed amount, debit less credit) with
the months it covers and its total. The export holds no cost pools or
behaviours; mapping rules (`cpsu.mapping`) turn its entries into cost lines.

A posting's month may also be split over a year column and a period column
(Year and Month, Fiscal year and Period 1..12). Only actual, posted spending
in one currency is read: beside a Balance type (Ledger, Scenario) column
holding Actual and Budget only the actuals are kept, a Status column's
parked, reversed or draft postings are left out, each with a warning, and
two currencies are an error. A trial balance (YTD or closing balances) is
refused, since its figures are cumulative. An export of more than a year is
costed over its latest 12 months, as a month grid is; the postings before
them, and a lone posting after the others' months, are kept aside in
`left_out` and said.

Exports run to a hundred thousand rows, so the cells are read a column at a
time with pandas rather than cell by cell: numeric cells are taken as they
are, plain number text is converted in one step, and every other distinct
value (a date, '$1,234.50', '(200)', 'TBD') is read once by the same cell
readers as the rest of the upload (`cells.py`), by the decimal mark the file
decides (`conventions.py`), and the result is spread back over its rows.
Subtotal and total rows are left out of the sum with a warning, blank rows
are dropped, and every cell that cannot be read is an error naming its row
and column. Totals are kept in whole cents, so that what mapping rules catch
and what they miss add up to the export's total exactly.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import numpy as np
import pandas as pd

from cpsu.ingest.cells import (
    MAX_AMOUNT,
    UNDECIDED_DATES,
    AmbiguousDate,
    CellError,
    Conventions,
    DateOrder,
    clean_text,
    format_number,
    is_blank,
    is_year_last_date,
    read_date,
    read_money,
    show,
    text_key,
)
from cpsu.ingest.choices import DATES, NO_CHOICES, SIGNS, ReadChoices
from cpsu.ingest.conventions import (
    DateCell,
    NumberCell,
    decide_conventions,
    decide_date_order,
)
from cpsu.ingest.costs_sheet import TOTAL_ROW
from cpsu.ingest.issues import Issue, Severity, error, warning
from cpsu.ingest.progress import part, report
from cpsu.ingest.sniff import MAX_UPLOAD_BYTES, FileError, read_file_tables
from cpsu.ingest.table import (
    HEADER_SEARCH_ROWS,
    Header,
    Table,
    find_header,
    listing,
    one_header_row,
    two_row_header_hint,
)
from cpsu.ingest.vocabulary import (
    clean_header,
    header_scale,
    match_header,
    says_plain_currency,
    scale_note,
)
from cpsu.ingest.xlsx import Workbook

logger = logging.getLogger(__name__)

# GL fields, with the header each is shown by.
GL_HEADERS: dict[str, str] = {
    "date": "Posting date",
    "period": "Period",
    "account": "Account",
    "account_name": "Account name",
    "cost_centre": "Cost centre",
    "vendor": "Vendor",
    "description": "Description",
    "amount": "Amount",
    "debit": "Debit",
    "credit": "Credit",
    "sign": "Debit/Credit",
    "year": "Fiscal year",
    "balance_type": "Balance type",
    "status": "Status",
    "currency": "Currency",
    "cumulative": "YTD amount",
}

_GL_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "date": (
        "Date",
        "Posting date",
        "Posted",
        "Post date",
        "Transaction date",
        "Journal date",
        "GL date",
        "Accounting date",
        "Effective date",
        "Invoice date",
    ),
    "period": (
        "Fiscal period",
        "Accounting period",
        "Posting period",
        "GL period",
        "Fiscal month",
        "Period name",
        "Month",
        "Posting month",
        "Accounting month",
        "Period number",
        "Fiscal period number",
    ),
    "account": (
        "GL account",
        "Account number",
        "Account no",
        "Account code",
        "Natural account",
        "GL account number",
        "GL code",
        "Ledger account",
        "Acct",
        "Account #",
    ),
    "account_name": (
        "Account description",
        "GL account name",
        "Account title",
        "Natural account name",
    ),
    "cost_centre": (
        "Cost center",
        "Cost centre code",
        "Cost center code",
        "Department",
        "Dept",
        "CC",
        "Cost centre name",
        "Cost center name",
    ),
    "vendor": ("Supplier", "Payee", "Vendor name", "Supplier name", "Merchant"),
    "description": (
        "Memo",
        "Narrative",
        "Line description",
        "Transaction description",
        "Journal description",
        "Text",
        "Details",
    ),
    "amount": (
        "Net amount",
        "Value",
        "Net",
        "Amount USD",
        "Transaction amount",
        "Net value",
        "Amt",
        "Period movement",
        "Movement",
        "Net change",
        "Period activity",
    ),
    "debit": ("Debits", "Dr", "Debit amount"),
    "credit": ("Credits", "Cr", "Credit amount"),
    "sign": (
        "D/C",
        "Dr/Cr",
        "D/C indicator",
        "Dr/Cr indicator",
        "Debit/Credit ind.",
        "Debit/Credit indicator",
        "Debit/Credit code",
        "Debit or credit",
        "S/H",
        "Posting key sign",
    ),
    # A year column makes a period column of numbers 1..12 (Year, Month or
    # Fiscal year, Period) a posting period.
    "year": (
        "Year",
        "FY",
        "Financial year",
        "Posting year",
        "Accounting year",
        "Fiscal yr",
        "Ledger year",
    ),
    # Columns that change what a posting is: a budget beside the actuals, a
    # parked or reversed posting, an amount in another currency.
    "balance_type": (
        "Ledger",
        "Scenario",
        "Version",
        "Amount type",
        "Value type",
        "Actual/Budget",
        "Actual or budget",
        "Balance type code",
    ),
    "status": (
        "Posting status",
        "Journal status",
        "Document status",
        "Entry status",
        "Batch status",
    ),
    "currency": (
        "Currency code",
        "Curr",
        "Ccy",
        "Transaction currency",
        "Document currency",
        "Entered currency",
        "Currency key",
    ),
    # Trial balances: each period's figure includes every period before it.
    "cumulative": (
        "YTD",
        "Year to date",
        "YTD balance",
        "YTD actual",
        "YTD actuals",
        "YTD net",
        "Year to date amount",
        "Closing balance",
        "Ending balance",
        "End balance",
        "Period end balance",
        "Cumulative amount",
        "Cumulative balance",
        "Running balance",
        "Balance",
    ),
}

GL_HEADER_INDEX: dict[str, str] = {
    **{text_key(words): name for name, words in GL_HEADERS.items()},
}
for _name, _words in _GL_HEADER_WORDS.items():
    for _word in _words:
        GL_HEADER_INDEX.setdefault(text_key(_word), _name)

MONEY_COLUMNS = ("amount", "debit", "credit")
TEXT_COLUMNS = ("account_name", "cost_centre", "vendor", "description")

# What a debit/credit indicator cell says: +1 a debit, -1 a credit. SAP
# writes S (Soll) for a debit and H (Haben) for a credit.
_SIGNS = {
    "d": 1,
    "dr": 1,
    "debit": 1,
    "s": 1,
    "soll": 1,
    "+": 1,
    "c": -1,
    "cr": -1,
    "credit": -1,
    "h": -1,
    "haben": -1,
    "-": -1,
}


def _sign_key(value: object) -> str | None:
    """The key of an indicator cell in `_SIGNS`; '+' and '-' kept as they are."""
    if not isinstance(value, str):
        return None
    stripped = clean_text(value).strip()
    return stripped if stripped in ("+", "-") else text_key(stripped)


# The entries' columns, in order.
ENTRY_COLUMNS = (
    "row",
    "month",
    "account",
    "account_number",
    "account_name",
    "cost_centre",
    "vendor",
    "description",
    "amount",
    "cents",
)

# How many bad cells of one column are listed one by one before the rest are
# counted in one message: an export of 100,000 rows can have 100,000.
LISTED_CELLS = 20

_PLAIN_INTEGER = r"-?\d{1,15}"
_PLAIN_DOT_DECIMAL = r"-?\d{0,15}\.(?:\d{1,2}|\d{4,6})"
_INVISIBLE_OR_SPACE = re.compile(r"^[\s\ufeff\u200b\u200c\u200d\u2060\u00ad]*$")
_ACCOUNT_NUMBER = re.compile(r"^(\d{1,12})(?:\s*[-–:.]\s*|\s+|$)")
_FISCAL_PERIOD = re.compile(
    r"(?P<y>\d{4})\s*(?:[-/.]?\s*(?:P|M)?\s*)(?P<p>\d{1,2})", re.IGNORECASE
)
_PERIOD_FIRST = re.compile(r"(?:P|M)\s*(?P<p>\d{1,2})\s*[-/ ]\s*(?P<y>\d{4})", re.I)
# 'P01 FY26', 'Period 1 FY2026', 'FY26 P01': a period of a fiscal year.
_PERIOD_OF_FY = re.compile(
    r"(?:P|M|Period)\s*(?P<p>\d{1,2})\s*[-/ ,]*\s*FY\s*'?(?P<y>\d{4}|\d{2})"
    r"|FY\s*'?(?P<y2>\d{4}|\d{2})\s*[-/ ,]*\s*(?:P|M|Period)\s*(?P<p2>\d{1,2})",
    re.IGNORECASE,
)
# A period with no year: 1, '01', 'P01', 'Period 1', 'M1'.
_PERIOD_NUMBER = re.compile(r"(?:P|M|Per\.?|Period|Month)?\s*0*(\d{1,2})", re.I)
_MONTH_NUMBERS = {
    text_key(date(2000, number, 1).strftime(form)): number
    for number in range(1, 13)
    for form in ("%b", "%B")
} | {"sept": 9}
# A year: 2026, 'FY26', 'FY2026', "FY'26".
_YEAR = re.compile(r"(?:FY|F|Y)?\s*'?(\d{4}|\d{2})", re.IGNORECASE)
_NAMED_MONTH_FORMATS = ("%b %Y", "%B %Y", "%b-%Y", "%B-%Y", "%b-%y", "%b %y")
_PLAUSIBLE_YEARS = range(1980, 2201)

# Rows that carry a balance, not a posting: an opening or closing balance, a
# balance brought or carried forward. Described so, they are left out.
_GAP = r"[\s\-_.]*"
_BALANCE_WORDS = (
    # opening / beginning / starting / closing / prior-year ... balance, in
    # full, abbreviated ("Beg. Bal.") or hyphenated ("Beginning-Balance")
    r"(?:opening|open|beginning|begin|beg|starting|start|closing|close|ending|end"
    rf"|carried|brought|prior{_GAP}years?|previous{_GAP}years?|py)\.?{_GAP}"
    rf"(?:forward{_GAP})?(?:bal(?:ance)?|position)\.?"
    rf"|bal(?:ance|\.)?{_GAP}(?:brought|carried|b/?f|c/?f|b/?fwd|c/?fwd|fwd|forward)"
    rf"(?:{_GAP}(?:forward|fwd|down))?"
    rf"|(?:brought|carried){_GAP}(?:forward|fwd|down)"
    r"|b/f|c/f|b/fwd|c/fwd|bfwd|cfwd"
    # other languages: Saldo inicial, Saldo anterior, Solde d'ouverture,
    # Anfangsbestand, Saldovortrag
    rf"|saldo{_GAP}(?:inicial|anterior|de{_GAP}apertura|iniziale|vortrag)"
    r"|solde\s+(?:d'ouverture|initial|report[ée])|anfangsbestand|saldovortrag"
)
# A cell that says only "Opening" (or "Opening entry") is a balance too.
_BALANCE_ALONE = rf"(?:{_BALANCE_WORDS}|opening(?:{_GAP}entry)?)"
BALANCE_ROW = re.compile(rf"(?<![\w/])(?:{_BALANCE_WORDS})(?![\w/])", re.IGNORECASE)
_BALANCE_CELL = re.compile(rf"\s*{_BALANCE_ALONE}\s*[.:]?\s*", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class GLExport:
    """The postings of one GL export, the months they cover and their total.

    `entries` has one row per posting (see ENTRY_COLUMNS): `row` the row
    number the user sees in the file, `month` a pandas monthly Period,
    `account` the account as written, `account_number` the number it starts
    with (or <NA>), the text columns ('' where absent), `amount` debit less
    credit, and `cents` the amount in whole cents, which every total adds.
    `entries` is empty when the export has errors.
    """

    source: str
    sheet: str | None
    entries: pd.DataFrame
    issues: tuple[Issue, ...] = field(default_factory=tuple)
    recognised: bool = True  # False when no GL header row was found
    # Postings read but outside the months costed (see `latest_year`).
    left_out: pd.DataFrame = field(default_factory=lambda: empty_entries())

    @property
    def has_errors(self) -> bool:
        return any(issue.severity is Severity.ERROR for issue in self.issues)

    @property
    def months(self) -> tuple[pd.Period, ...]:
        """Every month from the first posting's to the last's, gaps included."""
        if self.entries.empty:
            return ()
        months = self.entries["month"]
        return tuple(pd.period_range(months.min(), months.max(), freq="M"))

    @property
    def total_cents(self) -> int:
        return int(self.entries["cents"].sum())

    @property
    def total(self) -> float:
        """The sum of every posting, to the cent."""
        return self.total_cents / 100

    @property
    def left_out_cents(self) -> int:
        return int(self.left_out["cents"].sum())


def empty_entries() -> pd.DataFrame:
    """Entries with the right columns and no rows."""
    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "month": pd.Series(dtype="period[M]"),
            "account": pd.Series(dtype=object),
            "account_number": pd.Series(dtype="Int64"),
            "account_name": pd.Series(dtype=object),
            "cost_centre": pd.Series(dtype=object),
            "vendor": pd.Series(dtype=object),
            "description": pd.Series(dtype=object),
            "amount": pd.Series(dtype="float64"),
            "cents": pd.Series(dtype="int64"),
        }
    )


# --- finding the table ---------------------------------------------------------


def gl_columns(columns: Sequence[str] | set[str]) -> bool:
    """True when matched header fields make a GL export: when, account, money."""
    found = set(columns)
    return (
        "account" in found
        and bool(found & {"date", "period"})
        and bool(found & {*MONEY_COLUMNS, "cumulative"})
    )


# The words of a unit written into an amount header without brackets, as in
# 'Amount in thousands', 'Amount, thousands' or 'Amount $000'.
_SCALE_IN_HEADER = re.compile(
    r"\b(?:in\s+)?(?:thousands?|millions?)(?:\s+of)?\b|(?:\bin\s+)?[$€£]?\s*'?\b000s?\b",
    re.IGNORECASE,
)


def _gl_field(text: str) -> str | None:
    """The GL field a header names, also when its unit is written into it
    without brackets ('Amount in thousands', 'Amount $000'): the unit is read
    from the header text itself, as for 'Amount ($000)'."""
    name = match_header(text, GL_HEADER_INDEX)
    if name is None and header_scale(text) is not None:
        name = match_header(_SCALE_IN_HEADER.sub(" ", text), GL_HEADER_INDEX)
        if name not in MONEY_COLUMNS:
            return None
    return name


def _header_fields(cells: Sequence[object]) -> list[str]:
    fields = []
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            name = _gl_field(clean_text(cell))
            if name is not None and name not in fields:
                fields.append(name)
    return fields


def _scaled_index(cells: Sequence[object]) -> dict[str, str]:
    """GL_HEADER_INDEX with the row's amount headers that carry their unit
    without brackets."""
    index = dict(GL_HEADER_INDEX)
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            text = clean_text(cell)
            name = _gl_field(text)
            if name is not None and match_header(text, GL_HEADER_INDEX) is None:
                index.setdefault(text_key(text), name)
    return index


def find_gl_header(table: Table) -> Header | None:
    """The GL header row of a table among its first rows, or None if it has none.

    A debit/credit indicator is found by its cells as well as by its header:
    a column, under whatever header, holding only D/C, DR/CR, Debit/Credit,
    S/H or +/- (and blanks) is read as the indicator.
    """
    for row_number, cells in table.rows:
        if row_number > HEADER_SEARCH_ROWS:
            break
        fields = _header_fields(cells)
        if gl_columns(fields):
            scaled = _scaled_index(cells)
            header = find_header(table, scaled, GL_HEADERS, fields)
            if not isinstance(header, Header):
                return None
            if "sign" not in header.columns:
                named = _indicator_header(table, header)
                if named is not None:
                    index = {**scaled, text_key(named): "sign"}
                    found = find_header(table, index, GL_HEADERS, fields)
                    if isinstance(found, Header) and "sign" in found.columns:
                        return found
            return header
    return None


def _indicator_header(table: Table, header: Header) -> str | None:
    """The header of the one column not read that holds only debit/credit
    indicators, with at least one debit and one credit or whole words
    (a column of only '-' or only 'S' is not taken for one)."""
    cells = table.rows[header.position][1]
    used = set(header.columns.values())
    rows = [row for _, row in table.rows[header.position + 1 :]]
    found = []
    for position, name in enumerate(cells):
        if position in used or not isinstance(name, str) or not text_key(name):
            continue
        column = [row[position] if position < len(row) else None for row in rows]
        keys = {_sign_key(cell) for cell in column if not is_blank(cell)}
        if not keys or any(
            not isinstance(cell, str) for cell in column if not is_blank(cell)
        ):
            continue
        if not all(key in _SIGNS for key in keys):
            continue
        kinds = {_SIGNS[key] for key in keys}
        if len(kinds) == 2 or any(len(key) > 1 for key in keys):
            found.append(name)
    return found[0] if len(found) == 1 else None


def as_gl_table(table: Table) -> tuple[Table, Issue | None]:
    """The table with a GL header written over two rows made one row, and a
    warning saying so (see `table.one_header_row`)."""
    return one_header_row(
        table, lambda cells: gl_columns(_header_fields(cells)), GL_HEADER_INDEX
    )


def is_gl_table(table: Table) -> bool:
    return find_gl_header(as_gl_table(table)[0]) is not None


# --- reading a file ------------------------------------------------------------


def _failed(source: str, issues: Sequence[Issue], *, recognised: bool) -> GLExport:
    return GLExport(
        source=source,
        sheet=None,
        entries=empty_entries(),
        issues=tuple(issues),
        recognised=recognised,
    )


def read_gl_export(
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    choices: ReadChoices = NO_CHOICES,
) -> GLExport:
    """The GL export in a workbook, an HTML page or a CSV; never raises.

    In a workbook, the named sheet is read, or else the first sheet that
    holds a GL header row. `recognised` is False when no GL header was found.
    `choices` carries the user's day-month order for the file's text dates.
    Progress is reported (see `progress.py`): the file's tables to 0.8, then
    the postings.
    """
    source = posixpath.basename(str(filename).replace("\\", "/")) or "GL export"
    try:
        return _read(bytes(data), source, sheet, choices)
    except Exception as problem:
        logger.exception("Reading the GL export %r failed", filename)
        return _failed(
            source,
            [
                error(
                    "The GL export could not be read because of a problem in this "
                    f"program ({type(problem).__name__}); please report it with the "
                    "file attached."
                )
            ],
            recognised=False,
        )


def _read(
    data: bytes, source: str, sheet: str | None, choices: ReadChoices
) -> GLExport:
    if len(data) > MAX_UPLOAD_BYTES:
        return _failed(
            source,
            [
                error(
                    f"The file is {len(data) / (1024 * 1024):.1f} MB; the limit is "
                    f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
                )
            ],
            recognised=False,
        )
    if not data:
        return _failed(source, [error("The file is empty.")], recognised=False)
    try:
        with part(0.0, 0.8):
            book = read_file_tables(data, source)
    except FileError as problem:
        return _failed(source, [error(str(problem))], recognised=False)
    with part(0.8, 1.0):
        if book.format == "csv":
            table = book.tables[book.sheet_names[0]]
            issues = list(book.sheet_issues.get(table.name, ()))
            export = read_gl_table(
                table, source=source, issues=issues, day_first=choices.day_first
            )
        else:
            export = _read_sheets(book, source, sheet, choices.day_first)
    return latest_year(settle_signs(export, choices.costs_negative))


def settle_signs(export: GLExport, costs_negative: bool | None) -> GLExport:
    """The export with its costs above zero, or refused until the user says.

    A GL export for a cost base holds costs: its postings add up to more
    than zero, credits and refunds taking a little off. Postings that add up
    to less than zero mean the export writes costs as negative amounts (as
    some finance systems do), and read as they are they would make a
    run-rate below zero. Such an export is refused, with its numbers, until
    the user says how it writes costs (`ReadChoices.costs_negative`): True
    reads every sign the other way, with a warning saying so; False reads
    the amounts as written.
    """
    entries = export.entries
    if export.has_errors or entries.empty or costs_negative is False:
        return export
    sheet = export.sheet
    cents = entries["cents"].to_numpy()
    below = cents < 0
    if costs_negative:
        flipped = entries.assign(amount=-entries["amount"], cents=-entries["cents"])
        note = warning(
            "Costs are written as negative amounts in this export, as you chose, "
            f"so every sign was read the other way: the {int(below.sum()):,} "
            f"postings below zero ({cents[below].sum() / 100:,.2f}) are costs and "
            f"the {int((cents > 0).sum()):,} above zero "
            f"({cents[cents > 0].sum() / 100:,.2f}) credits; the export's "
            f"total is {-cents.sum() / 100:,.2f}.",
            sheet=sheet,
        )
        return replace(export, entries=flipped, issues=(*export.issues, note))
    if cents.sum() >= 0:
        return export
    refusal = error(
        f"The postings add up to {cents.sum() / 100:,.2f}, below zero: "
        f"{int(below.sum()):,} of the {len(cents):,} are negative "
        f"({cents[below].sum() / 100:,.2f}) and {int((cents > 0).sum()):,} "
        f"positive ({cents[cents > 0].sum() / 100:,.2f}). Costs read so would "
        "make a monthly run-rate below zero. If this export writes costs as "
        "negative amounts, say so and every sign is read the other way; "
        "otherwise check the export holds costs, not income or reversals.",
        sheet=sheet,
        choice=SIGNS,
    )
    return replace(export, entries=empty_entries(), issues=(*export.issues, refusal))


def _read_sheets(
    book: Workbook, source: str, sheet: str | None, day_first: bool | None = None
) -> GLExport:
    """The GL export on the named sheet of a workbook (an HTML page's table), or
    else on the first that holds a GL header row."""
    names = book.sheet_names
    kind = "page" if book.format == "html" else "workbook"
    if sheet is not None:
        names = tuple(name for name in names if text_key(name) == text_key(sheet))
        if not names:
            shown = ", ".join(f"'{name}'" for name in book.sheet_names) or "none"
            return _failed(
                source,
                [
                    error(
                        f"The {kind} has no sheet '{sheet}'; its sheets are {shown}."
                        if kind == "workbook"
                        else f"The page has no table '{sheet}'; its tables are {shown}."
                    )
                ],
                recognised=False,
            )
    # Visible sheets first: a hidden sheet is read only when no visible one is GL.
    # Every visible sheet with the first one's columns is one export split
    # ("GL Jan-Jun" and "GL Jul-Dec"), read together.
    hidden = {info.name for info in book.sheets if info.hidden}
    found = [
        (name, fields)
        for name in sorted(names, key=lambda name: name in hidden)
        if name in book.tables and (fields := _gl_fields(book.tables[name])) is not None
    ]
    if found:
        noun = "sheet" if kind == "workbook" else "table"
        first, fields = found[0]
        visible = [name for name, _ in found if name not in hidden]
        candidates = visible or [first]
        read = [name for name, other in found if name in candidates and other == fields]
        issues = [
            warning(
                f"The {'sheet' if kind == 'workbook' else 'table'} {name} also holds "
                f"a GL export, but its columns differ from {first}'s, so it was not "
                "read and its postings are not counted. Give it the same columns to "
                "read them together, or upload it on its own.",
                sheet=name,
            )
            for name, other in found
            if other != fields and name in candidates
        ]
        if first in hidden:
            issues.append(
                warning(
                    f"The sheet {first} is hidden in Excel; it was read because it "
                    "holds the GL export. Unhide it to check what it holds.",
                    sheet=first,
                )
            )
        exports = []
        for position, name in enumerate(read):
            with part(position / len(read), (position + 1) / len(read)):
                exports.append(
                    read_gl_table(
                        book.tables[name],
                        source=source,
                        issues=[
                            *(book.issues if position == 0 else ()),
                            *book.sheet_issues.get(name, ()),
                        ],
                        day_first=day_first,
                    )
                )
        tables = [book.tables[name] for name in read]
        repeats = _repeats(exports, tables, noun) if len(exports) > 1 else None
        if repeats is not None:
            kept, left_out = repeats
            export = exports[kept]
            if kept:  # the file's own issues came with the first sheet's
                export = replace(export, issues=(*book.issues, *export.issues))
            issues.extend(left_out)
        else:
            export = exports[0] if len(exports) == 1 else _joined(exports, source)
        return replace(export, issues=(*export.issues, *issues))
    shown = ", ".join(f"'{name}'" for name in names) or "none"
    where = f"sheets: {shown}" if kind == "workbook" else f"tables: {shown}"
    issues = [
        *book.issues,
        *(issue for name in names for issue in book.sheet_issues.get(name, ())),
        error(
            f"No {'sheet' if kind == 'workbook' else 'table'} holds a GL export "
            f"({where}): looked for a header row with an Account, a Posting date or "
            "Period, and an Amount or Debit and Credit column."
        ),
    ]
    return _failed(source, issues, recognised=False)


def _gl_fields(table: Table) -> frozenset[str] | None:
    """The fields a sheet's GL header names, or None if it is not a GL export."""
    header = find_gl_header(as_gl_table(table)[0])
    return None if header is None else frozenset(header.columns)


def _repeats(
    exports: Sequence[GLExport], tables: Sequence[Table], noun: str
) -> tuple[int, list[Issue]] | None:
    """The sheet to read alone, and a warning for each left out, when sheets
    of an export repeat each other's postings; None when none do.

    A workbook may hold the whole export and a sheet per quarter, or a copy
    of a sheet: read together, their postings would count twice. A posting
    is repeated when another sheet has one alike in every field read (the
    date or period as written, account, cost centre, vendor, description and
    amount). Then only the sheet with the most postings is read.
    """
    if any(export.has_errors for export in exports):
        return None
    keys = [
        _posting_keys(table, export.entries)
        for export, table in zip(exports, tables, strict=True)
    ]
    sets = [set(found) for found in keys]
    shared = {
        (one, other): sum(key in sets[other] for key in keys[one])
        for one in range(len(keys))
        for other in range(len(keys))
        if one != other
    }
    if not any(shared.values()):
        return None
    kept = max(range(len(keys)), key=lambda one: (len(keys[one]), -one))
    name = exports[kept].sheet
    left_out = []
    for one, export in enumerate(exports):
        if one == kept:
            continue
        partner = kept
        if not shared[one, kept]:
            partner = max(
                (other for other in range(len(keys)) if other != one),
                key=lambda other: (shared[one, other], -other),
            )
        count, repeated = len(keys[one]), shared[one, partner]
        postings = f"{count:,} posting{'s' if count > 1 else ''}"
        alike = (
            f"{'a posting' if repeated == 1 else 'postings'} of {noun} "
            f"{exports[partner].sheet} (the same date, account, "
            "cost centre, vendor, description and amount)"
        )
        if repeated == count:
            why = (
                f"{'all of them repeat' if count > 1 else 'it repeats'} {alike}, "
                "so reading both would count them twice"
            )
        elif repeated:
            why = (
                f"{repeated:,} of them {'repeat' if repeated > 1 else 'repeats'} "
                f"{alike}, which reading both would count twice"
            )
        else:
            why = (
                f"other {noun}s of this export repeat each other's postings, so "
                f"the {noun}s were not read together"
            )
        left_out.append(
            warning(
                f"The {noun} {export.sheet} was left out, and its {postings} are "
                f"not counted: {why}. Only {noun} {name}, the one with the most "
                f"postings, was read. If {export.sheet} holds postings of its own, "
                f"delete the repeated rows from one {noun} so that both are read.",
                sheet=export.sheet,
            )
        )
    return kept, left_out


def _posting_keys(table: Table, entries: pd.DataFrame) -> list[tuple[object, ...]]:
    """Each posting as the fields read give it, its date or period as written
    included: two postings alike in all of them are one posting repeated."""
    table, _ = as_gl_table(table)
    header = find_gl_header(table)
    written: dict[int, object] = {}
    if header is not None:
        when = "period" if "period" in header.columns else "date"
        written = {
            number: _written(header.cell(cells, when))
            for number, cells in table.rows[header.position + 1 :]
        }
    columns = ["month", "account", *TEXT_COLUMNS, "cents"]
    return [
        (written.get(int(row)), *(str(value) for value in values))
        for row, *values in entries[["row", *columns]].itertuples(index=False)
    ]


def _written(cell: object) -> object:
    """A date or period cell as a key: a date by its day, text as written."""
    if isinstance(cell, date):
        return cell.isoformat()
    return text_key(clean_text(str(cell))) if isinstance(cell, str) else cell


def _joined(exports: Sequence[GLExport], source: str) -> GLExport:
    """One export from the sheets an export was split over, said so."""
    sheets = listing([export.sheet or "" for export in exports])
    issues = [issue for export in exports for issue in export.issues]
    if any(export.has_errors for export in exports):
        return GLExport(source, sheets, empty_entries(), _in_order(issues))
    entries = pd.concat([export.entries for export in exports], ignore_index=True)
    export = GLExport(source, sheets, entries, ())
    said = f"Read {len(entries):,} postings from sheets {sheets}"
    report(1.0, said)
    issues.append(
        warning(
            f"{said}, which have the same columns, as one export: its months run "
            f"from {export.months[0]} to {export.months[-1]}."
        )
    )
    issues.extend(_gaps(export, sheets))
    return replace(export, issues=_in_order(issues))


# --- reading the table ---------------------------------------------------------


class _Problems:
    """Errors by column, listed one by one up to a limit and then counted."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.issues: list[Issue] = []
        self.more: dict[str, int] = {}
        self.listed: dict[str, int] = {}
        self.first_more: dict[str, int] = {}
        self.more_choice: dict[str, str | None] = {}

    def add(
        self,
        label: str,
        rows: np.ndarray,
        messages: Sequence[str],
        choices: Sequence[str | None] | None = None,
    ) -> None:
        """Errors in one column; `choices` marks each one a per-file choice
        would settle (see `choices.py`)."""
        if choices is None:
            choices = [None] * len(messages)
        for row, message, choice in zip(rows, messages, choices, strict=True):
            if self.listed.get(label, 0) < LISTED_CELLS:
                self.listed[label] = self.listed.get(label, 0) + 1
                self.issues.append(
                    error(message, self.sheet, int(row), label, choice=choice)
                )
            else:
                self.more[label] = self.more.get(label, 0) + 1
                self.first_more.setdefault(label, int(row))
                # The count is settled by a choice only if each it counts is.
                same = self.more_choice.get(label, choice) == choice
                self.more_choice[label] = choice if same else None

    def all(self) -> list[Issue]:
        counted = [
            error(
                f"{count:,} more cells in column {label} cannot be read, like the "
                f"ones listed, from row {self.first_more[label]}; fix them the same "
                "way.",
                self.sheet,
                self.first_more[label],
                label,
                choice=self.more_choice.get(label),
            )
            for label, count in self.more.items()
        ]
        return [*self.issues, *counted]


def read_month(value: object, order: DateOrder = UNDECIDED_DATES) -> pd.Period:
    """The month of a posting: a fiscal period (202610, 2026-10, 2026 P10,
    Oct 2026) is taken as that period, never as a date; a date (a date cell,
    2026-10-15, an Excel serial, 15/10/2026 by the file's day-month `order`)
    gives its month.
    """
    if isinstance(value, datetime | date):
        return pd.Period(read_date(value), freq="M")
    if isinstance(value, float | int) and not isinstance(value, bool):
        if float(value).is_integer() and 100_000 <= value <= 999_999:
            return _fiscal(int(value) // 100, int(value) % 100, format_number(value))
        return pd.Period(read_date(value), freq="M")
    if isinstance(value, str):
        text = clean_text(value)
        match = _FISCAL_PERIOD.fullmatch(text) or _PERIOD_FIRST.fullmatch(text)
        if match:
            return _fiscal(int(match["y"]), int(match["p"]), text)
        match = _PERIOD_OF_FY.fullmatch(text.strip())
        if match:
            year = match["y"] or match["y2"]
            return _fiscal(_full_year(year), int(match["p"] or match["p2"]), text)
        for pattern in _NAMED_MONTH_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)
            except ValueError:
                continue
            return _fiscal(parsed.year, parsed.month, text)
    try:
        return pd.Period(read_date(value, order=order), freq="M")
    except CellError as problem:
        if "not a date;" not in str(problem):
            raise  # the reader's own advice: an ambiguous day, a wrong year
        raise CellError(
            f"is {show(value)}, not a date or a period; write a date like "
            "2026-10-15 or a period like 202610"
        ) from None


def _full_year(digits: str) -> int:
    """A year from its four digits, or from two as in FY26 (2026)."""
    return int(digits) + (2000 if len(digits) == 2 else 0)


def period_number(value: object) -> int | None:
    """The number of a period written without its year (1, 'P01', 'Jan'), or
    None for anything else (a date, 202601, 'Jan 2026')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float | int):
        if float(value).is_integer() and 1 <= value <= 99:
            return int(value)
        return None
    if isinstance(value, str):
        text = clean_text(value).strip()
        match = _PERIOD_NUMBER.fullmatch(text)
        if match:
            return int(match[1])
        return _MONTH_NUMBERS.get(text_key(text))
    return None


def read_period(value: object, order: DateOrder = UNDECIDED_DATES) -> pd.Period:
    """The month of a period column's cell (see `read_month`); a period
    number with no year (1, 'P01') is refused, never read as an Excel date."""
    number = period_number(value)
    if number is not None:
        raise CellError(
            f"is {show(value)}, a period with no year; add a Fiscal year column "
            "beside it, or write each period with its year, like 202601 or "
            "2026-01"
        )
    return read_month(value, order)


def read_year_period(
    year: object, period: object, order: DateOrder = UNDECIDED_DATES
) -> pd.Period:
    """The month of a posting given as a year column and a period column
    (Year 2026 and Month 3, Fiscal year FY26 and Period 'P03'); a period
    column holding whole periods or dates is read as they say."""
    number = period_number(period)
    if number is None:
        if is_blank(period):
            raise CellError("is empty")
        return read_month(period, order)
    found = None
    if isinstance(year, float | int) and not isinstance(year, bool):
        if float(year).is_integer():
            found = int(year)
    elif isinstance(year, str):
        match = _YEAR.fullmatch(clean_text(year).strip())
        found = _full_year(match[1]) if match else None
    if found is None or found not in _PLAUSIBLE_YEARS:
        said = "empty" if is_blank(year) else show(year)
        raise CellError(
            f"is {show(period)}, a period of the year beside it, which is {said}, "
            "not a year; write the year like 2026 or FY26"
        )
    return _fiscal(found, number, show(period).strip("'"))


def _fiscal(year: int, period: int, text: str) -> pd.Period:
    if year not in _PLAUSIBLE_YEARS:
        raise CellError(f"is '{text}'; check the year")
    if not 1 <= period <= 12:
        raise CellError(
            f"is '{text}', period {period} of {year}; only periods 1 to 12 are "
            "months (move adjustment periods into period 12, or leave them out)"
        )
    return pd.Period(year=year, month=period, freq="M")


_TYPE_OF = np.frompyfunc(type, 1, 1)
# Python holds True == 1 == 1.0, so a factorisation would put a TRUE cell with
# the 1s; TRUE and FALSE cells are keyed by these instead.
_TRUE_CELL, _FALSE_CELL = object(), object()


def _of_type(values: np.ndarray, *kinds: type) -> np.ndarray:
    """Which values are exactly of one of the types (a bool is not an int here)."""
    found = _TYPE_OF(values)
    return np.logical_or.reduce([np.equal(found, kind) for kind in kinds]).astype(bool)


@dataclass(frozen=True)
class _Cells:
    """One column's cells as its distinct values and, for each cell, which one.

    Every reading is done once per distinct value and spread back over the
    cells by `codes` (-1 for an empty cell), which keeps a column of 100,000
    cells with a few hundred values (dates, accounts, vendors) cheap.
    """

    codes: np.ndarray
    uniques: np.ndarray

    @classmethod
    def of(cls, cells: np.ndarray) -> _Cells:
        keys = cells
        bools = _of_type(cells, bool)
        if bools.any():
            keys = cells.copy()
            keys[bools] = [_TRUE_CELL if cell else _FALSE_CELL for cell in cells[bools]]
        codes, uniques = pd.factorize(keys, use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
        if bools.any():
            uniques[uniques == _TRUE_CELL] = True
            uniques[uniques == _FALSE_CELL] = False
        return cls(np.asarray(codes), uniques)

    def spread(
        self, per_unique: Sequence[object] | np.ndarray, empty: object
    ) -> np.ndarray:
        """A value for each cell from one for each distinct value."""
        values = np.empty(len(self.uniques) + 1, dtype=object)
        values[:-1] = (
            list(per_unique) if not isinstance(per_unique, np.ndarray) else per_unique
        )
        values[-1] = empty
        return values[self.codes]

    def _strings(self) -> np.ndarray:
        """Positions of the distinct values that are text."""
        return np.flatnonzero(_of_type(self.uniques, str))

    def blank(self) -> np.ndarray:
        """Empty cells and text of only spaces or invisible characters."""
        found = np.zeros(len(self.uniques), dtype=bool)
        strings = self._strings()
        found[strings] = [is_blank(self.uniques[i]) for i in strings]
        return self.spread(found, True).astype(bool)

    def text(self) -> np.ndarray:
        """Each cell as clean text ('' where blank); numbers without a trailing .0."""
        return self.spread(
            [
                ""
                if is_blank(value)
                else clean_text(value)
                if isinstance(value, str)
                else _other_text(value)
                for value in self.uniques
            ],
            "",
        )

    def says_total(self) -> np.ndarray:
        """Cells whose text says total or subtotal."""
        found = np.zeros(len(self.uniques), dtype=bool)
        strings = self._strings()
        found[strings] = [
            bool(TOTAL_ROW.search(clean_text(self.uniques[i]))) for i in strings
        ]
        return self.spread(found, False).astype(bool)

    def says_balance(self, whole: bool = False) -> np.ndarray:
        """Cells that name a balance rather than a posting ('Opening balance',
        'Balance b/f'); with `whole`, only cells that say nothing else."""
        found = np.zeros(len(self.uniques), dtype=bool)
        strings = self._strings()
        found[strings] = [
            bool(
                _BALANCE_CELL.fullmatch(text)
                or (not whole and BALANCE_ROW.search(text))
            )
            for text in (clean_text(self.uniques[i]) for i in strings)
        ]
        return self.spread(found, False).astype(bool)

    def read(
        self, reader: Callable[[object], object]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each cell read by `reader`: values, CellError messages or None, and
        True where the error is a date that the file's dates leave open."""
        values, problems, open_dates = [], [], []
        for value in self.uniques:
            try:
                values.append(reader(value))
                problems.append(None)
                open_dates.append(False)
            except CellError as problem:
                values.append(None)
                problems.append(str(problem))
                open_dates.append(isinstance(problem, AmbiguousDate))
        return (
            self.spread(values, None),
            self.spread(problems, None),
            self.spread(open_dates, False).astype(bool),
        )


def _columns(table: Table, header: Header) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The cells of each GL field below the header, and the rows' numbers."""
    rows = table.rows[header.position + 1 :]
    numbers = np.fromiter(
        (number for number, _ in rows), dtype=np.int64, count=len(rows)
    )
    width = max(header.columns.values()) + 1
    cells = [row for _, row in rows]
    lengths = set(map(len, cells))
    if len(lengths) > 1 or (lengths and min(lengths) < width):
        longest = max(width, *lengths)
        cells = [row + (None,) * (longest - len(row)) for row in cells]
    grid = np.empty((len(cells), max(width, *lengths, 0)), dtype=object)
    if cells:
        grid[:] = cells
    return {name: grid[:, index] for name, index in header.columns.items()}, numbers


def _unread_columns(table: Table, header: Header) -> list[np.ndarray]:
    """The cells below the header of each headed column that is not read."""
    used = set(header.columns.values())
    heads = table.rows[header.position][1]
    rows = [row for _, row in table.rows[header.position + 1 :]]
    return [
        np.array(
            [row[position] if position < len(row) else None for row in rows],
            dtype=object,
        )
        for position, head in enumerate(heads)
        if position not in used and not is_blank(head)
    ]


def _money(cells: _Cells, conventions: Conventions) -> tuple[np.ndarray, np.ndarray]:
    """Amounts of a money column (0 where blank), and error messages by cell.

    Numbers are taken as they are and plain number text is converted in one
    step; the rest is read by `read_money`, once per distinct value.
    """
    uniques = cells.uniques
    values = np.zeros(len(uniques), dtype=float)
    problems = np.full(len(uniques), None, dtype=object)
    numeric = _of_type(uniques, float, int)
    if numeric.any():
        values[numeric] = uniques[numeric].astype(float)
    text = _of_type(uniques, str)
    strings = np.flatnonzero(text)
    text[strings] = [not is_blank(uniques[i]) for i in strings]
    rest = ~numeric & ~(_of_type(uniques, str) & ~text)
    if text.any():
        plain = _PLAIN_INTEGER
        if conventions.decimal == "." or (
            conventions.decimal is None and not conventions.mixed_decimals
        ):
            plain = f"(?:{_PLAIN_INTEGER}|{_PLAIN_DOT_DECIMAL})"
        stripped = pd.Series(uniques[text], dtype=object).str.strip()
        fast = stripped.str.fullmatch(plain).to_numpy(dtype=bool)
        where = np.flatnonzero(text)[fast]
        values[where] = stripped[fast].astype(float).to_numpy()
        rest[where] = False
    for position in np.flatnonzero(rest):
        try:
            values[position] = read_money(
                uniques[position], conventions=conventions
            ).value
        except CellError as problem:
            problems[position] = str(problem)
    too_big = ~np.isfinite(values) | (np.abs(np.nan_to_num(values)) > MAX_AMOUNT)
    for position in np.flatnonzero(too_big):
        problems[position] = (
            f"is {format_number(values[position])}, too large to be an amount; check "
            "the cell"
        )
        values[position] = 0.0
    return (
        cells.spread(values, 0.0).astype(float),
        cells.spread(problems, None),
    )


def _other_text(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | int):
        return format_number(float(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return show(value).strip("'")


def number_cells(table: Table, header: Header) -> list[NumberCell]:
    """The text cells of the money columns, for the file's decimal mark."""
    columns, numbers = _columns(table, header)
    return _number_cells(columns, numbers, header, table.name)


def _number_cells(
    columns: dict[str, np.ndarray], numbers: np.ndarray, header: Header, sheet: str
) -> list[NumberCell]:
    found: list[NumberCell] = []
    for name in MONEY_COLUMNS:
        if name not in columns:
            continue
        column = columns[name]
        text = _of_type(column, str)
        if not text.any():
            continue
        text &= ~_Cells.of(column).blank()
        label = header.label(name)
        found.extend(
            NumberCell(cell, sheet, int(row), label, money=True)
            for cell, row in zip(column[text], numbers[text], strict=True)
        )
    return found


def read_gl_table(
    table: Table,
    *,
    source: str | None = None,
    issues: Sequence[Issue] = (),
    conventions: Conventions | None = None,
    day_first: bool | None = None,
) -> GLExport:
    """The GL export on one sheet or CSV, with every problem found.

    Without `conventions`, the decimal mark and currency are decided from
    the table's own money text. `day_first` is the user's day-month order
    for the text dates, else the file's own dates decide it. Progress is
    reported from "Reading N postings" to "Read N postings from sheet S".
    """
    source = source or table.name
    issues = list(issues)
    table, joined = as_gl_table(table)
    if joined is not None:
        issues.append(joined)
    header = find_gl_header(table)
    if header is None:
        issues.append(
            error(
                f"{table.name} is not a GL export: no row in its first "
                f"{HEADER_SEARCH_ROWS} rows has an Account, a Posting date or "
                "Period, and an Amount or Debit and Credit column.",
                sheet=table.name,
            )
        )
        hint = two_row_header_hint(table)
        if hint is not None:
            issues.append(hint)
        return _failed(source, issues, recognised=False)
    issues.extend(header.issues)
    sheet = table.name
    has_amount = "amount" in header.columns
    if "cumulative" in header.columns:
        said = _cumulative(header, sheet)
        issues.append(said)
        if said.severity is Severity.ERROR:
            return _failed(source, issues, recognised=True)
    if not has_amount and not (
        "debit" in header.columns and "credit" in header.columns
    ):
        found, missing = (
            ("debit", "credit") if "debit" in header.columns else ("credit", "debit")
        )
        issues.append(
            error(
                f"{sheet} has a {GL_HEADERS[found]} column but no "
                f"{GL_HEADERS[missing]} column; add it, or give one signed Amount "
                "column.",
                sheet=sheet,
                row=header.row_number,
                column=GL_HEADERS[missing],
            )
        )
        return _failed(source, issues, recognised=True)
    below = len(table.rows) - header.position - 1
    report(0.0, f"Reading {below:,} postings from {_place(table.name)}")
    raw, numbers = _columns(table, header)
    if conventions is None:
        conventions, found_issues = decide_conventions(
            _number_cells(raw, numbers, header, sheet),
            semicolon=table.delimiter == ";",
        )
        issues.extend(replace(i, sheet=i.sheet or sheet) for i in found_issues)

    cells = {name: _Cells.of(column) for name, column in raw.items()}
    blank = {name: found.blank() for name, found in cells.items()}
    empty_row = np.logical_and.reduce(list(blank.values()))

    # Total rows: a text cell of the row says total or subtotal, and the row
    # lacks a date or an account, or says total in the account. A posting
    # described "Total care renewal" still has both; a row with both that says
    # total is weighed once its amount is read (see `_closing_totals`).
    says_total = {name: found.says_total() for name, found in cells.items()}
    labelled = np.logical_or.reduce(list(says_total.values()))
    total_row = labelled.copy()
    when_blank = np.logical_and.reduce(
        [blank[name] for name in ("date", "period") if name in blank]
    )
    total_row &= blank["account"] | when_blank | cells["account"].says_total()

    # Balance rows: a description (or vendor) naming a balance, or an account
    # or account name that is only a balance ("Opening Balance Equity" is an
    # account, "Opening balance" is not).
    # A column not read (QuickBooks' "Transaction type") says so with a cell
    # that is only a balance ("Beginning Balance").
    balance_row = np.logical_or.reduce(
        [
            cells[name].says_balance(whole=name in ("account", "account_name"))
            for name in ("description", "vendor", "account", "account_name")
            if name in cells
        ]
        + [
            _Cells.of(column).says_balance(whole=True)
            for column in _unread_columns(table, header)
        ]
        or [np.zeros(len(numbers), dtype=bool)]
    )
    balance_row &= ~empty_row & ~total_row
    total_row = total_row | balance_row

    money_names = ["amount"] if has_amount else ["debit", "credit"]
    no_money = np.logical_and.reduce([blank[name] for name in money_names])
    scale = _scale(table, header, money_names, numbers, empty_row, no_money)
    issues.extend(scale.issues)
    if scale.refused:
        return _failed(source, issues, recognised=True)
    # A note on the amounts' unit is said once, as such, not as a posting
    # without an amount.
    empty_row = empty_row | np.isin(numbers, scale.note_rows)

    problems = _Problems(sheet)
    amounts = {}
    for name in money_names:
        values, found = _money(cells[name], conventions)
        amounts[name] = values * scale.factor
        bad = (found != None) & ~empty_row & ~total_row  # noqa: E711
        label = header.label(name)
        problems.add(
            label, numbers[bad], [f"{label} {message}." for message in found[bad]]
        )
    if has_amount:
        amount = amounts["amount"]
    else:
        # A credit takes off the debits however it is written: -200 in a
        # Credit column is a credit of 200, not a debit.
        credit = amounts["credit"]
        amount = amounts["debit"] - np.abs(credit)
        issues.extend(
            _negative_credits(sheet, numbers, credit, ~empty_row & ~total_row, header)
        )
    if "sign" in cells:
        signed, found = _signed(
            cells["sign"], amount, has_amount, header, ~empty_row & ~total_row
        )
        amount = signed
        issues.extend(replace(issue, sheet=sheet) for issue in found["notes"])
        label = header.label("sign")
        problems.add(label, numbers[found["bad"]], list(found["messages"]))

    candidates = labelled & ~empty_row & ~total_row & ~no_money
    cents = np.round(amount * 100).astype(np.int64)
    accounts = cells["account"].text()
    plain = ~empty_row & ~total_row & ~no_money & ~candidates
    closing, closes = _closing_totals(
        candidates, cents, accounts, plain, total_row & ~empty_row
    )
    if (candidates & ~closing).any():
        # A row saying only total that closes nothing above may head its
        # block: the sum of the postings below it.
        only_total = candidates & ~closing
        texts = {name: found.text() for name, found in cells.items()}
        for index in np.flatnonzero(only_total):
            label = next(
                texts[name][index] for name, said in says_total.items() if said[index]
            )
            only_total[index] = bool(_ONLY_TOTAL.fullmatch(label))
        opening, opens = _opening_totals(
            only_total, cents, accounts, plain, total_row & ~empty_row, numbers
        )
        if opening.any():
            closing, closes = _closing_totals(
                candidates & ~opening, cents, accounts, plain, total_row & ~empty_row
            )
            closing |= opening
            closes.update(opens)
    detail = ~empty_row & ~total_row & ~no_money & ~closing
    issues.extend(
        _total_rows(sheet, numbers, total_row & ~balance_row, amount, detail, header)
    )
    issues.extend(
        _closing_total_issues(
            sheet, numbers, candidates, closes, amount, cells, says_total
        )
    )
    issues.extend(_balance_rows(sheet, numbers, balance_row, amount))
    left_out, found_issues = _other_postings(cells, header, numbers, cents, detail)
    issues.extend(replace(issue, sheet=sheet) for issue in found_issues)
    detail &= ~left_out
    skipped = ~empty_row & ~total_row & no_money
    if skipped.any():
        rows = [str(row) for row in numbers[skipped]]
        money = " or ".join(header.label(name) for name in money_names)
        issues.append(
            warning(
                f"Rows {listing(rows)} have no amount in {money}; they were left "
                "out. Fill in the amount if they are postings."
                if len(rows) > 1
                else f"Row {rows[0]} has no amount in {money}; it was left out. "
                "Fill in the amount if it is a posting.",
                sheet=sheet,
                row=int(numbers[skipped][0]) if len(rows) == 1 else None,
            )
        )

    when_name = "period" if "period" in cells else "date"
    if (
        when_name == "period"
        and "date" in cells
        and "year" not in cells
        and any(period_number(value) is not None for value in cells["period"].uniques)
    ):
        # A month without its year beside a posting date: the date says more.
        when_name = "date"
    label = header.label(when_name)
    order, found_issues = decide_date_order(
        _date_cells(cells[when_name], numbers, sheet, label), day_first
    )
    issues.extend(found_issues)
    report(0.5, f"Reading the dates of {below:,} postings")
    if when_name == "period" and "year" in cells:
        # Each posting's period is its number in the period column and its
        # year in the year column, read as one.
        pairs = np.empty(len(numbers), dtype=object)
        pairs[:] = list(zip(raw["year"], raw["period"], strict=True))
        month, found, open_dates = _Cells.of(pairs).read(
            lambda pair: read_year_period(*pair, order).ordinal
        )
    else:
        month, found, open_dates = cells[when_name].read(
            (lambda cell: read_period(cell, order).ordinal)
            if when_name == "period"
            else (lambda cell: read_month(cell, order).ordinal)
        )
    no_month = blank[when_name] & detail
    found[no_month] = "is empty; every posting needs its date or period"
    open_dates[no_month] = False
    bad = (found != None) & detail  # noqa: E711
    problems.add(
        label,
        numbers[bad],
        [f"{label} {message}." for message in found[bad]],
        [DATES if settled else None for settled in open_dates[bad]],
    )

    account = cells["account"].text()
    no_account = detail & (account == "")
    label = header.label("account")
    problems.add(
        label,
        numbers[no_account],
        [f"{label} is empty; every posting needs its account."] * int(no_account.sum()),
    )
    issues.extend(problems.all())
    if any(issue.severity is Severity.ERROR for issue in issues):
        return GLExport(source, sheet, empty_entries(), _in_order(issues))

    texts = {
        name: cells[name].text()[detail]
        if name in cells
        else np.full(int(detail.sum()), "", dtype=object)
        for name in TEXT_COLUMNS
    }
    account = account[detail]
    number = _account_numbers(cells["account"], detail)
    detail_amount = amount[detail]
    entries = pd.DataFrame(
        {
            "row": numbers[detail],
            "month": pd.PeriodIndex.from_ordinals(
                month[detail].astype(np.int64), freq="M"
            ),
            "account": account,
            "account_number": number,
            **texts,
            "amount": detail_amount,
            "cents": np.round(detail_amount * 100).astype(np.int64),
        }
    )
    if entries.empty:
        issues.append(
            error(
                f"{sheet} has a GL header in row {header.row_number} but no postings "
                "below it.",
                sheet=sheet,
                row=header.row_number,
            )
        )
        return GLExport(source, sheet, empty_entries(), _in_order(issues))
    export = GLExport(source, sheet, entries, ())
    issues.extend(_gaps(export, sheet))
    report(1.0, f"Read {len(entries):,} postings from {_place(sheet)}")
    return replace(export, issues=_in_order(issues))


def _cumulative(header: Header, sheet: str) -> Issue:
    """A trial balance's year-to-date or closing balances refused, or, beside
    an amount column, a running balance left unread."""
    label = header.label("cumulative")
    money = [name for name in MONEY_COLUMNS if name in header.columns]
    if money:
        return warning(
            f"{label} was not read: it holds running or year-to-date balances, "
            "each including the postings before it; the postings are read from "
            f"{' and '.join(header.label(name) for name in money)}.",
            sheet=sheet,
            row=header.row_number,
            column=label,
        )
    return error(
        f"{sheet} looks like a trial balance, not a list of postings: {label} "
        "holds year-to-date or closing balances, each period's figure including "
        "every period before it, so adding them up would count the early months "
        "again and again. Export the period movements instead (the amount "
        "posted in each period, often called Period activity, Net change or "
        "Movement), or the postings themselves.",
        sheet=sheet,
        row=header.row_number,
        column=label,
    )


# What a balance type (ledger, scenario) cell says, by its text_key.
_ACTUAL_WORDS = frozenset({"actual", "actuals", "act", "a", "ist", "actualledger"})
_OTHER_BALANCE_WORDS = frozenset(
    {
        "budget",
        "budgets",
        "bud",
        "bgt",
        "b",
        "plan",
        "forecast",
        "fcst",
        "fc",
        "outlook",
        "estimate",
        "reforecast",
        "target",
        "commitment",
        "commitments",
        "encumbrance",
        "encumbrances",
        "e",
        "statistical",
    }
)
# What a posting status says: posted, or not (yet, or any more) a posting.
_UNPOSTED_WORDS = frozenset(
    {
        "reversed",
        "parked",
        "park",
        "draft",
        "held",
        "hold",
        "onhold",
        "pending",
        "unposted",
        "notposted",
        "cancelled",
        "canceled",
        "void",
        "voided",
        "rejected",
        "saved",
        "incomplete",
        "error",
        "suspended",
        "unapproved",
    }
)


def _spelt(cells: _Cells) -> tuple[np.ndarray, dict[str, str]]:
    """Each cell's text_key ('' where blank), and each key as first written."""
    keys = np.array(
        [text_key(clean_text(_other_text(value))) for value in cells.uniques],
        dtype=object,
    )
    written: dict[str, str] = {}
    for key, value in zip(keys, cells.uniques, strict=True):
        written.setdefault(key, clean_text(_other_text(value)).strip())
    return cells.spread(keys, ""), written


def _postings_of(rows: np.ndarray, numbers: np.ndarray) -> str:
    count = int(rows.sum())
    shown = listing([str(row) for row in numbers[rows]])
    return f"{'row' if count == 1 else 'rows'} {shown}"


def _other_postings(
    cells: dict[str, _Cells],
    header: Header,
    numbers: np.ndarray,
    cents: np.ndarray,
    detail: np.ndarray,
) -> tuple[np.ndarray, list[Issue]]:
    """The rows that are not actual, posted spending, and what was said.

    A balance type (ledger, scenario) column holding Actual beside Budget or
    Forecast keeps only the actuals; a status column leaves out postings
    reversed, parked or in draft; a currency column naming two currencies is
    an error, since their amounts cannot be added up.
    """
    left_out = np.zeros(len(numbers), dtype=bool)
    issues: list[Issue] = []
    if "balance_type" in cells:
        keys, written = _spelt(cells["balance_type"])
        label = header.label("balance_type")
        present = {key for key in keys[detail] if key}
        actual = np.isin(keys, list(_ACTUAL_WORDS)) & detail
        others = sorted(present - _ACTUAL_WORDS, key=lambda key: written[key])
        if others and actual.any():
            other = detail & (keys != "") & ~actual
            left_out |= other
            names = listing([written[key] for key in others])
            count = int(other.sum())
            issues.append(
                warning(
                    f"{label} holds {names} beside the actuals; only the "
                    f"{int(actual.sum()):,} actual postings were read. The "
                    f"{count:,} other posting{'s' if count > 1 else ''} "
                    f"({int(cents[other].sum()) / 100:,.2f}, "
                    f"{_postings_of(other, numbers)}) "
                    f"{'were' if count > 1 else 'was'} left out.",
                    column=label,
                )
            )
        elif present & _OTHER_BALANCE_WORDS or len(present) > 1:
            names = listing([written[key] for key in sorted(present)])
            issues.append(
                error(
                    f"{label} holds {names} and no Actual postings, so this "
                    "program cannot tell which postings are spending. Export "
                    "the actuals, or, if these amounts are the ones to cost, "
                    f"keep one kind and delete the {label.split(' (')[0]} column.",
                    column=label,
                )
            )
    if "status" in cells:
        keys, written = _spelt(cells["status"])
        label = header.label("status")
        unposted = np.isin(keys, list(_UNPOSTED_WORDS)) & detail & ~left_out
        if unposted.any():
            count = int(unposted.sum())
            names = listing(sorted({written[key] for key in keys[unposted]}))
            kept = detail & ~left_out & ~unposted
            said = (
                f"{label} marks {count:,} posting{'s' if count > 1 else ''} "
                f"{names}, not posted ({int(cents[unposted].sum()) / 100:,.2f}, "
                f"{_postings_of(unposted, numbers)})"
            )
            if kept.any():
                left_out |= unposted
                issues.append(
                    warning(
                        f"{said}; {'they were' if count > 1 else 'it was'} left "
                        f"out, and only the {int(kept.sum()):,} posted ones "
                        "counted.",
                        column=label,
                    )
                )
            else:
                issues.append(
                    error(
                        f"{said}, and no posting is marked posted. Export the "
                        "posted journals.",
                        column=label,
                    )
                )
    if "currency" in cells:
        keys, written = _spelt(cells["currency"])
        label = header.label("currency")
        read = detail & ~left_out
        currencies = sorted({key for key in keys[read] if key})
        if len(currencies) > 1:
            each = "; ".join(
                f"{written[key].upper()} in "
                f"{_postings_of(read & (keys == key), numbers)}"
                for key in currencies
            )
            issues.append(
                error(
                    f"{label} names {len(currencies)} currencies ({each}); their "
                    "amounts cannot be added up. Convert the amounts to one "
                    "currency, the one the budget is in, and upload the export "
                    "again.",
                    column=label,
                )
            )
    return left_out, issues


# How far below the last posting a note stating the amounts' scale may stand.
NOTE_ROWS = 4


@dataclass(frozen=True)
class _Scale:
    """What the export says its amounts are in: the factor they are read by,
    what was said about it, the rows below that said it."""

    factor: float = 1.0
    issues: tuple[Issue, ...] = ()
    note_rows: tuple[int, ...] = ()
    refused: bool = False


def _scale(
    table: Table,
    header: Header,
    money_names: Sequence[str],
    numbers: np.ndarray,
    empty_row: np.ndarray,
    no_money: np.ndarray,
) -> _Scale:
    """The scale of the export's amounts, as a cost list reads one: stated by
    the money columns' headers ('Amount ($000)'), by a title row above the
    header ('amounts in USD thousands') or by a note just below the last
    posting ('Note: amounts in $000'), each applied with a warning. Statements
    that say different scales refuse the export; a title that also says plain
    currency, or a statement further away, is not applied and is pointed out.
    """
    sheet = table.name
    heads = table.rows[header.position][1]
    labels = listing([header.label(name) for name in money_names])
    stated = {
        name: header_scale(clean_header(heads[header.columns[name]]))
        for name in money_names
    }
    said = {found for found in stated.values() if found is not None}
    title = _title_scale(table, header)
    note, stray = _note_scale(table, header, numbers, empty_row, no_money)
    statements = [
        (f"the header {header.label(name)}", found)
        for name, found in stated.items()
        if found is not None
    ]
    if title[1] is not None:
        statements.append((f"the title above the export, '{title[0]}',", title[1]))
    if note is not None:
        statements.append((f"the note in row {note[0]}, '{note[1]}',", note[2]))
    scales = {found for _, found in statements}
    unscaled = [name for name, found in stated.items() if found is None]
    if len(scales) > 1 or (said and unscaled and len(statements) == len(said)):
        shown = listing(
            [f"{where} says {found[1]}" for where, found in statements]
            + [f"the header {header.label(name)} says no scale" for name in unscaled]
        )
        return _Scale(
            issues=(
                error(
                    f"The amounts' unit is stated more than one way: {shown}; so "
                    "the amounts cannot be read without a guess. Say the unit "
                    "once, in each amount column's header, like 'Amount ($000)'.",
                    sheet=sheet,
                    row=header.row_number,
                ),
            ),
            refused=True,
        )
    issues: list[Issue] = []
    if title[0] is not None and title[1] is None:
        issues.append(
            warning(
                f"The title above the export says '{title[0]}', both a scale and "
                "plain currency, so the amounts were read as they stand, not "
                "multiplied. If they are in thousands or millions, say so in the "
                "amount column's header, like 'Amount ($000)'.",
                sheet=sheet,
                row=header.row_number,
            )
        )
    if not scales:
        if stray is not None:
            issues.append(
                warning(
                    f"Row {stray[0]} says '{stray[1]}', but the amount header does "
                    "not say the amounts are in thousands or millions, so they were "
                    "read as they stand, not multiplied. If they are, say so in the "
                    "amount column's header, like 'Amount ($000)'.",
                    sheet=sheet,
                    row=stray[0],
                )
            )
        return _Scale(
            issues=tuple(issues), note_rows=(stray[0],) if stray is not None else ()
        )
    factor, words = scales.pop()
    multiplied = f"each was multiplied by {factor:,.0f}."
    if note is not None and not said and title[1] is None:
        issues.append(
            warning(
                f"The note in row {note[0]}, '{note[1]}', was applied, so the "
                f"amounts in {labels} were read in {words}: {multiplied} If the "
                "note is not about this export, move it off the sheet.",
                sheet=sheet,
                row=note[0],
            )
        )
    elif said:
        whose = "their headers say" if len(money_names) > 1 else "the header says"
        issues.append(
            warning(
                f"The amounts in {labels} are read in {words}, as {whose}: "
                f"{multiplied}",
                sheet=sheet,
                row=header.row_number,
            )
        )
    else:
        issues.append(
            warning(
                f"The amounts in {labels} are read in {words}, as the title above "
                f"the export says ('{title[0]}'): {multiplied}",
                sheet=sheet,
                row=header.row_number,
            )
        )
    if stray is not None:
        issues.append(
            warning(
                f"Row {stray[0]} says '{stray[1]}', but the amounts were read in "
                f"{words}. Check which is right, and say the unit once, in the "
                "amount column's header, like 'Amount ($000)'.",
                sheet=sheet,
                row=stray[0],
            )
        )
    return _Scale(
        factor=factor,
        issues=tuple(issues),
        note_rows=tuple(found[0] for found in (note, stray) if found is not None),
    )


def _title_scale(
    table: Table, header: Header
) -> tuple[str | None, tuple[float, str] | None]:
    """The title clause above the header that states a scale, and the scale;
    (clause, None) when a title also says plain currency, (None, None) when
    no title states one."""
    texts: list[str] = []
    for _, cells in reversed(table.rows[: header.position]):
        found = [clean_text(cell) for cell in cells if isinstance(cell, str)]
        found = [text for text in found if text.strip()]
        if not found:
            if texts:
                break
            continue
        texts[:0] = found
    clauses = [
        clause.strip()
        for text in texts
        for clause in re.split(r";|\.\s", text)
        if clause.strip()
    ]
    scaled = [clause for clause in clauses if header_scale(clause) is not None]
    if not scaled:
        return None, None
    if any(says_plain_currency(clause) for clause in clauses):
        return scaled[0], None
    return scaled[0], header_scale(scaled[0])


def _note_scale(
    table: Table,
    header: Header,
    numbers: np.ndarray,
    empty_row: np.ndarray,
    no_money: np.ndarray,
) -> tuple[tuple[int, str, tuple[float, str]] | None, tuple[int, str] | None]:
    """A note a few rows below the last posting that says nothing but the
    amounts' scale, as (row, text, scale); and a statement of a scale below the
    header that is not such a note, as (row, text)."""
    start = header.position + 1
    rows = dict(table.rows[start:])
    stated = []
    for row_number in numbers[~empty_row & no_money]:
        cells = rows[int(row_number)]
        if any(isinstance(cell, int | float) for cell in cells):
            continue
        text = " ".join(
            clean_text(cell) for cell in cells if isinstance(cell, str) and cell.strip()
        )
        if header_scale(text) is not None:
            stated.append((int(row_number), text))
    if not stated:
        return None, None
    postings = numbers[~empty_row & ~no_money]
    last = int(postings.max()) if len(postings) else header.row_number
    row, text = stated[0]
    scale = scale_note(text)
    if len(stated) == 1 and scale is not None and last < row <= last + NOTE_ROWS:
        return (row, text, scale), None
    return None, stated[0]


def _place(sheet: str) -> str:
    """A sheet as a progress label names it: 'sheet GL detail', 'gl.csv'."""
    return sheet if "." in sheet or sheet.startswith("Table ") else f"sheet {sheet}"


def _date_cells(
    cells: _Cells, numbers: np.ndarray, sheet: str, label: str
) -> list[DateCell]:
    """Each distinct text date with the year last, at its first row, for the
    file's day-month order."""
    codes, first = np.unique(cells.codes, return_index=True)
    first_row = dict(zip(codes.tolist(), numbers[first].tolist(), strict=True))
    found = [
        DateCell(cells.uniques[position], sheet, first_row[position], label)
        for position in cells._strings()
        if is_year_last_date(cells.uniques[position])
    ]
    return sorted(found, key=lambda cell: cell.row)


def _account_numbers(cells: _Cells, detail: np.ndarray) -> pd.arrays.IntegerArray:
    """The number each account starts with ('6150 Software' is 6150), or <NA>."""
    numbers = []
    for value in cells.uniques:
        text = (
            ""
            if is_blank(value)
            else clean_text(value)
            if isinstance(value, str)
            else _other_text(value)
        )
        match = _ACCOUNT_NUMBER.match(text)
        numbers.append(int(match[1]) if match else -1)
    spread = cells.spread(np.array(numbers, dtype=object), -1)[detail].astype(np.int64)
    return pd.array(
        np.where(spread < 0, None, spread).tolist() if (spread < 0).any() else spread,
        dtype="Int64",
    )


def _required(cell: object, reader: Callable[[object], object]) -> object:
    if cell is None:
        raise CellError("is empty; every posting needs its date or period")
    return reader(cell)


def _total_rows(
    sheet: str,
    numbers: np.ndarray,
    total_row: np.ndarray,
    amount: np.ndarray,
    detail: np.ndarray,
    header: Header,
) -> list[Issue]:
    """A warning for the total rows left out, and whether the last one agrees."""
    if not total_row.any():
        return []
    rows = numbers[total_row]
    issues = [
        warning(
            f"{'Rows' if len(rows) > 1 else 'Row'} "
            f"{listing([str(row) for row in rows])} "
            f"{'are total rows' if len(rows) > 1 else 'is a total row'} and "
            f"{'were' if len(rows) > 1 else 'was'} left out of the sum, so that "
            "nothing counts twice.",
            sheet=sheet,
            row=int(rows[0]) if len(rows) == 1 else None,
        )
    ]
    totals_at = np.flatnonzero(total_row)
    last = int(totals_at[-1])
    after = detail[last + 1 :].any()
    if not after:
        stated = round(float(amount[last]) * 100)
        added = int(np.round(amount[detail] * 100).sum())
        # A total closing a block ('Month total' after each month's postings)
        # adds up the postings since the total before it.
        since = int(totals_at[-2]) + 1 if len(totals_at) > 1 else 0
        in_block = detail.copy()
        in_block[:since] = False
        added_since = int(np.round(amount[in_block] * 100).sum())
        if stated and stated not in (added, added_since):
            issues.append(
                warning(
                    f"The total in row {int(numbers[last])} is "
                    f"{stated / 100:,.2f}, but the postings above it add up to "
                    f"{added / 100:,.2f}; the postings were used. Check for rows "
                    "missing from the export.",
                    sheet=sheet,
                    row=int(numbers[last]),
                    column=header.label(
                        "amount" if "amount" in header.columns else "debit"
                    ),
                )
            )
    return issues


def _closing_totals(
    candidates: np.ndarray,
    cents: np.ndarray,
    accounts: np.ndarray,
    postings: np.ndarray,
    blocks_end: np.ndarray,
) -> tuple[np.ndarray, dict[int, str]]:
    """Which rows labelled total, with a date and an account, close the rows
    above them: their amount is, to the cent, the sum of the postings to their
    account or of all postings, since the last total row or since the top.

    A row labelled total that adds up nothing above it ("Total Rewards
    subscription", 49.00) stays a posting. Returns the rows that close and,
    by row index, what each one adds up, for the message.
    """
    closing = np.zeros(len(cents), dtype=bool)
    closes: dict[int, str] = {}
    if not candidates.any():
        return closing, closes
    block, above = [0, 0], [0, 0]  # cents, postings
    block_by_account: dict[str, list[int]] = {}
    above_by_account: dict[str, list[int]] = {}
    for index in range(len(cents)):
        account = accounts[index]
        amount = int(cents[index])
        if candidates[index] and amount:
            sums = (
                (block_by_account.get(account), f"to account {account}"),
                (block, ""),
                (above_by_account.get(account), f"to account {account}"),
                (above, ""),
            )
            said = next(
                (said for total, said in sums if total and total[0] == amount), None
            )
            rounded = next(
                (
                    (said, total[0])
                    for total, said in sums
                    if total and _rounded_total(amount, total[0], total[1])
                ),
                None,
            )
            if said is not None or rounded is not None:
                closing[index] = True
                if said is not None:
                    closes[index] = _postings_above(said)
                else:
                    closes[index] = (
                        f"{_postings_above(rounded[0])} "
                        f"({rounded[1] / 100:,.2f}) rounded to whole units"
                    )
                block, block_by_account = [0, 0], {}
                continue
        if postings[index] or candidates[index]:
            for sums in (
                block,
                above,
                block_by_account.setdefault(account, [0, 0]),
                above_by_account.setdefault(account, [0, 0]),
            ):
                sums[0] += amount
                sums[1] += 1
        elif blocks_end[index]:
            block, block_by_account = [0, 0], {}
    return closing, closes


def _postings_above(said: str) -> str:
    return f"the postings above it {said}" if said else "all the postings above it"


# A total row written rounded to whole units ('12,004' over postings adding up
# to 12,003.96) still closes them. Only a coarser total is rounding: 12,000.01
# over postings of whole dollars is no rounding of them, so it is counted.
_ROUNDED_TOTAL_MIN_CENTS = 100_00


def _rounded_total(stated: int, added: int, postings: int) -> bool:
    """True when `stated` cents is `added` cents, the sum of `postings`
    postings, rounded to whole units (for totals of 100.00 or more over two
    or more postings)."""
    difference = abs(stated - added)
    if not difference or postings < 2 or abs(stated) < _ROUNDED_TOTAL_MIN_CENTS:
        return False
    return stated % 100 == 0 and difference <= 50


def _opening_totals(
    candidates: np.ndarray,
    cents: np.ndarray,
    accounts: np.ndarray,
    postings: np.ndarray,
    blocks_end: np.ndarray,
    numbers: np.ndarray,
) -> tuple[np.ndarray, dict[int, str]]:
    """Which rows that say only total ('Total 6110') are, to the cent, the sum
    of two or more postings below them, to their account or all of them, up
    to the next total row: a total written at the top of its block."""
    opening = np.zeros(len(cents), dtype=bool)
    opens: dict[int, str] = {}
    for index in np.flatnonzero(candidates):
        amount = int(cents[index])
        if not amount:
            continue
        account = accounts[index]
        added, by_account, rows, account_rows = 0, 0, [], []
        for below in range(index + 1, len(cents)):
            if candidates[below] or blocks_end[below]:
                break
            if not postings[below]:
                continue
            added += int(cents[below])
            rows.append(int(numbers[below]))
            if accounts[below] == account:
                by_account += int(cents[below])
                account_rows.append(int(numbers[below]))
        if len(account_rows) >= 2 and by_account == amount:
            found, said = account_rows, f" to account {account}"
        elif len(rows) >= 2 and added == amount:
            found, said = rows, ""
        else:
            continue
        opening[index] = True
        opens[int(index)] = (
            f"the postings below it{said} (rows {found[0]} to {found[-1]})"
        )
    return opening, opens


# A cell that says nothing but total, maybe with an account: 'Total 6110',
# 'Account total', 'Sum'. Such a row counted as a posting is worth a check.
_ONLY_TOTAL = re.compile(
    r"(?:(?:grand|sub|account|acct|gl|for|of|total|totals|subtotal|sum|\d+)"
    r"[\s\-:.]*)+",
    re.IGNORECASE,
)


def _closing_total_issues(
    sheet: str,
    numbers: np.ndarray,
    candidates: np.ndarray,
    closes: dict[int, str],
    amount: np.ndarray,
    cells: dict[str, _Cells],
    says_total: dict[str, np.ndarray],
) -> list[Issue]:
    """A warning for each dated row left out as a total, and for each row that
    says only total but adds up nothing above it, so was counted."""
    texts = {name: found.text() for name, found in cells.items()}
    issues = []
    for index in np.flatnonzero(candidates):
        label = next(
            texts[name][index] for name, said in says_total.items() if said[index]
        )
        row = int(numbers[index])
        money = f"{float(amount[index]):,.2f}"
        if int(index) in closes:
            postings = closes[int(index)]
            issues.append(
                warning(
                    f"Row {row} says '{label}' and its amount, {money}, is the sum "
                    f"of {postings}, so it was read as a total row and left out of "
                    "the sum and of the export's total, so that nothing counts "
                    "twice. If it is a posting, change its description.",
                    sheet=sheet,
                    row=row,
                )
            )
        elif _ONLY_TOTAL.fullmatch(label):
            issues.append(
                warning(
                    f"Row {row} says '{label}', but its amount, {money}, is not the "
                    "sum of the postings above it, so it was counted as a posting. "
                    "If it is a total, delete the row from the export.",
                    sheet=sheet,
                    row=row,
                )
            )
    return issues


def _negative_credits(
    sheet: str,
    numbers: np.ndarray,
    credit: np.ndarray,
    rows: np.ndarray,
    header: Header,
) -> list[Issue]:
    """A note for credits written negative, which were taken off all the same."""
    negative = rows & (credit < 0)
    if not negative.any():
        return []
    label = header.label("credit")
    found = [str(row) for row in numbers[negative]]
    many = len(found) > 1
    total = np.abs(credit[negative]).sum()
    return [
        warning(
            f"{label} in {'rows' if many else 'row'} {listing(found)} "
            f"{'are' if many else 'is'} written negative; a credit is taken off "
            f"the debits however it is written, so {'they were' if many else 'it was'}"
            f" counted as {'credits' if many else 'a credit'} ({-total:,.2f} in all).",
            sheet=sheet,
            row=int(numbers[negative][0]) if not many else None,
            column=label,
        )
    ]


def _signed(
    cells: _Cells,
    amount: np.ndarray,
    has_amount: bool,
    header: Header,
    rows: np.ndarray,
) -> tuple[np.ndarray, dict]:
    """Amounts signed by a debit/credit indicator column: a credit is negative.

    A credit written already negative stays negative; a debit written
    negative contradicts its indicator and is an error, as are an empty
    indicator and one that is neither debit nor credit. With Debit and
    Credit columns, those sign the amounts and the indicator is not used.
    """
    label = header.label("sign")
    if not has_amount:
        note = warning(
            f"{header.label('debit')} and {header.label('credit')} sign the "
            f"amounts, so {label} was not needed and was not used.",
            column=label,
        )
        return amount, {"bad": rows & False, "messages": [], "notes": [note]}
    money = header.label("amount")
    keys = [_sign_key(value) for value in cells.uniques]
    sign = cells.spread([_SIGNS.get(key or "", 0) for key in keys], 0).astype(int)
    bad = rows & (sign == 0) & (amount != 0)
    blank = cells.blank()
    said = {
        int(index): f"{label} is empty; write D for a debit or C for a credit."
        if blank[index]
        else f"{label} is {show(cells.uniques[cells.codes[index]])}, neither a "
        "debit nor a credit; write D (debit) or C (credit)."
        for index in np.flatnonzero(bad)
    }
    contradicts = rows & (sign == 1) & (amount < 0)
    bad |= contradicts
    said.update(
        {
            int(index): f"{money} is {format_number(amount[index])} but {label} "
            "says debit; write the debit as a positive amount, or mark it C if it "
            "is a credit."
            for index in np.flatnonzero(contradicts)
        }
    )
    messages = [said[int(index)] for index in np.flatnonzero(bad)]
    credits = rows & (sign == -1) & (amount != 0)
    signed = np.where(sign == -1, -np.abs(amount), amount)
    notes = []
    if credits.any():
        total = -np.abs(amount[credits]).sum()
        notes.append(
            warning(
                f"{label} marks debits and credits, so the {int(credits.sum()):,} "
                f"{'row' if credits.sum() == 1 else 'rows'} marked credit "
                f"{'was' if credits.sum() == 1 else 'were'} counted negative "
                f"({total:,.2f} in all) and the {int((rows & (sign == 1)).sum()):,} "
                "marked debit positive.",
                column=label,
            )
        )
    return signed, {"bad": bad, "messages": messages, "notes": notes}


def _balance_rows(
    sheet: str, numbers: np.ndarray, balance_row: np.ndarray, amount: np.ndarray
) -> list[Issue]:
    """A warning for the balance rows left out, with their rows and amount."""
    if not balance_row.any():
        return []
    rows = [str(row) for row in numbers[balance_row]]
    cents = int(np.round(amount[balance_row] * 100).sum())
    many = len(rows) > 1
    return [
        warning(
            f"{'Rows' if many else 'Row'} {listing(rows)} "
            f"{'carry balances' if many else 'carries a balance'} (opening, "
            f"closing or brought forward), not {'postings' if many else 'a posting'}"
            f", so {'they were' if many else 'it was'} left out: {cents / 100:,.2f} "
            "in all, in neither the mapped total nor the export's total. A "
            "balance is what earlier postings add up to; counting it would count "
            "them twice.",
            sheet=sheet,
            row=int(numbers[balance_row][0]) if not many else None,
        )
    ]


def _gaps(export: GLExport, sheet: str) -> list[Issue]:
    """A warning for months between the first and last with no postings."""
    present = set(export.entries["month"].unique())
    missing = [str(month) for month in export.months if month not in present]
    if not missing:
        return []
    return [
        warning(
            f"No postings in {listing(missing)}, between the first month "
            f"({export.months[0]}) and the last ({export.months[-1]}); those months "
            "count as months of the export, so an average month is lower. Check the "
            "export covers every month.",
            sheet=sheet,
        )
    ]


def _in_order(issues: list[Issue]) -> tuple[Issue, ...]:
    return tuple(
        sorted(issues, key=lambda issue: (issue.sheet is not None, issue.row or 0))
    )


# --- the months costed ---------------------------------------------------------

# How many months of postings make the year a run-rate is the average month of.
YEAR_MONTHS = 12


def latest_year(export: GLExport) -> GLExport:
    """The export costed over its latest 12 months, as a month grid is.

    An export of more than a year keeps the postings of its latest 12 months,
    and the earlier ones are kept aside in `left_out`, with a warning naming
    their months and total, so that mapped and unmapped postings still add up
    to the export's total. A last month holding a single posting after the
    others' months (a prepayment of next year, a month the export has only
    begun) is not taken for a month of spending: it is left out the same way
    and said, and the year ends at the month before it.
    """
    months = export.months
    if export.has_errors or len(months) <= YEAR_MONTHS:
        return export
    entries = export.entries
    month = entries["month"]
    issues = []
    end = months[-1]
    in_last = (month == end).to_numpy()
    if int(in_last.sum()) == 1 and _stray(entries, in_last):
        end = month[~in_last].max()
        lone = entries[in_last].iloc[0]
        said = f" ('{lone['description']}')" if lone["description"] else ""
        issues.append(
            warning(
                f"Row {lone['row']} is the only posting in {months[-1]}{said}, "
                f"{lone['cents'] / 100:,.2f}, after the months of every other "
                f"posting. A single posting is not a month's spending (it may pay "
                "for next year, or the export may end early in that month), so "
                f"it was left out and the year costed ends in {end}. If it is a "
                "cost of the months before, date it in them.",
                sheet=export.sheet,
                row=int(lone["row"]),
            )
        )
    start = end - (YEAR_MONTHS - 1)
    inside = ((month >= start) & (month <= end)).to_numpy()
    earlier = (month < start).to_numpy()
    if earlier.any():
        before = entries[earlier]
        count = int(earlier.sum())
        spread = len(pd.period_range(months[0], start - 1, freq="M"))
        shown = str(months[0]) if spread == 1 else f"{months[0]} to {start - 1}"
        postings = "1 posting" if count == 1 else f"{count:,} postings"
        issues.append(
            warning(
                f"The postings run over {len(pd.period_range(months[0], end))} "
                f"months ({months[0]} to {end}), more than a year, so the run-rate "
                f"is the average month of the latest {YEAR_MONTHS}, {start} to "
                f"{end}; the {postings} of the {spread} earlier "
                f"month{'' if spread == 1 else 's'} ({shown}), "
                f"{int(before['cents'].sum()) / 100:,.2f} in all, "
                f"{'was' if count == 1 else 'were'} left out. Delete their rows, "
                "or export only the year you plan for, to make this plain.",
                sheet=export.sheet,
            )
        )
    return replace(
        export,
        entries=entries[inside].reset_index(drop=True),
        left_out=entries[~inside].reset_index(drop=True),
        issues=(*export.issues, *issues),
    )


def _stray(entries: pd.DataFrame, alone: np.ndarray) -> bool:
    """True when a posting alone in its month is unlike the other months: they
    hold several postings each, or it is more than twice their usual total."""
    others = entries[~alone].groupby("month")["cents"]
    usual = float(others.sum().abs().median())
    return float(others.size().median()) >= 3 or (
        abs(int(entries.loc[alone, "cents"].iloc[0])) > 2 * usual
    )
