"""Reading one cell: text, money, rates, dates and yes/no, as people type them.

A cell arrives as whatever the file held: a number or date from a workbook,
or text from a CSV or a text-formatted cell. Each reader here either returns
the value the cell means or raises `CellError` with a message that says what
was found and what to write instead. Nothing is guessed into a number: text
that is not plainly a number ("TBD", "n/a") is an error, never a zero.

Number text is read with its currency, thousands separators, brackets for
negatives and a trailing percent. A separator that could mark either
decimals or thousands ('1.500' is 1500 in Germany and 1.5 in the US) is not
guessed cell by cell: the file's `Conventions`, decided once from all of its
text numbers (see `conventions.py`), say which mark is the decimal one, and
a cell that the file's convention cannot read, or that could be read both
ways in a file that shows no convention, is an error. Each kind of field
then says what it allows: money (`read_money`), a count (`read_count`) or a
rate (`read_rate`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

# Characters that change nothing a reader can see but break matching.
_INVISIBLE = dict.fromkeys(
    map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e\ufffe"), None
)
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

# Longer text is not a number anyone typed, and bounds the work per cell.
_MAX_NUMBER_TEXT = 60

_CURRENCY = (
    r"(?:[A-Z]{1,2}\$|\$|€|£|¥|₹|USD|EUR|GBP|AUD|CAD|NZD|CHF|JPY|INR|SGD|HKD|"
    r"ZAR|SEK|NOK|DKK)"
)
_NUMBER_TEXT = re.compile(
    rf"""
    (?P<sign1>[-+])?\s*
    (?P<cur1>{_CURRENCY})?\s*
    (?P<sign2>[-+])?\s*
    (?:
        (?P<dash>[-–—]+)
        |
        (?P<body>[.,]?\d(?:[\d.,' ]*\d)?)(?P<exp>[eE][-+]?\d{{1,3}})?
    )
    \s*(?P<cur2>{_CURRENCY})?
    \s*(?P<pct>%)?
    \s*(?P<sign3>-)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_CURRENCY_WORD = re.compile(
    rf"(?<![A-Za-z])(?P<currency>{_CURRENCY})(?![A-Za-z])", re.IGNORECASE
)

DECIMAL_MARKS = (".", ",")
_MARK_NAMES = {".": "a dot", ",": "a comma"}
_PLAIN_DIGITS = re.compile(r"\d+")
_POINT_DECIMAL = re.compile(r"\d*\.\d+")
# Thousands grouped by a separator: a first group of 1-3 digits not led by 0.
_GROUPED = {
    separator: re.compile(rf"[1-9]\d{{0,2}}(?:{re.escape(separator)}\d{{3}})+")
    for separator in (",", ".", " ")
}

# A plain escalation or growth from 0.5 to 1 (50% to 100%) may be meant as 1%.
DOUBTFUL_RATE = 0.5

# A monthly cost beyond a trillion is a typo or a broken formula, not a budget.
MAX_AMOUNT = 1e12

# The product shows money in dollars; these are the other ways to write them.
DOLLARS = "USD"
_CURRENCY_CODES = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "SG$": "SGD",
}

EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers and text dates outside these years are read as mistakes.
PLAUSIBLE_YEARS = range(1980, 2201)

_ISO_DATE = re.compile(
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
# Exports often add the time of day, which a date does not need.
_YEAR_LAST_DATE = re.compile(
    r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{2,4})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)?"
)
_NAMED_MONTH_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y")
_QUARTER_DATE = re.compile(
    r"(?:(?P<y1>\d{4})\s*[-/ ]?\s*Q(?P<q1>[1-4])"
    r"|Q(?P<q2>[1-4])\s*[-/ ]?\s*(?P<y2>\d{4}))",
    re.IGNORECASE,
)

YES_WORDS = frozenset({"yes", "y", "true", "1", "renew", "renews", "on", "x"})
NO_WORDS = frozenset({"no", "n", "false", "0", "off", "none"})


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula cell saved without its result (files written by scripts do this)."""

    formula: str


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error value such as #DIV/0! or #N/A."""

    code: str


@dataclass(frozen=True)
class Number:
    """A number read from a cell.

    `percent` is set when the cell said so ("12%", already divided by 100);
    `currency` is the currency the text was written with ("$", "€", "EUR").
    """

    value: float
    percent: bool = False
    currency: str | None = None


def currency_code(written: str) -> str:
    """The ISO code of a currency as written: '€' and 'EUR' are both EUR."""
    written = written.upper()
    return _CURRENCY_CODES.get(written, written)


def currency_named(header: str) -> str | None:
    """The currency a header names for its column, as in 'Amount (EUR)'."""
    match = _CURRENCY_WORD.search(clean_text(header))
    return match["currency"].upper() if match else None


@dataclass(frozen=True)
class Conventions:
    """How one file writes its text numbers, decided once for the whole file.

    `decimal` is the decimal mark, "." or ","; None when nothing decided it,
    and then each text number must show its own. `mixed_decimals` is set when
    the file's text numbers show both marks in equal numbers, so that neither
    can be trusted. `example` names a cell that shows the decimal mark, for
    messages; or, when `example_currency` is set, a cell in that currency
    (dollars, pounds) that shows no mark but is in a currency written with a
    dot for decimals. `currencies` counts money text by currency, most used first:
    (ISO code, as first written, cells). `parsed` keeps the text numbers the
    conventions were decided from, so that each is parsed once.
    """

    decimal: str | None = None
    example: str = ""
    example_currency: str | None = None
    mixed_decimals: bool = False
    currencies: tuple[tuple[str, str, int], ...] = ()
    parsed: Mapping[str, NumberText | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def parse(self, text: str) -> NumberText | None:
        """The readings of number text (see `parse_number_text`)."""
        if text in self.parsed:
            return self.parsed[text]
        return parse_number_text(text)

    @property
    def currency(self) -> str | None:
        """The code of the currency most money text uses; None if none or a tie."""
        if not self.currencies:
            return None
        if len(self.currencies) > 1 and self.currencies[0][2] == self.currencies[1][2]:
            return None
        return self.currencies[0][0]

    def check_currency(self, written: str) -> None:
        """Raise CellError for money in a currency other than the file's own."""
        if len(self.currencies) < 2 or currency_code(written) == self.currency:
            return
        if self.currency is None:
            listed = " and ".join(
                f"{shown} ({_cells(count)})" for _, shown, count in self.currencies
            )
            raise CellError(
                f"is in {written}, but this file's amounts are split between "
                f"{listed}, with no currency used most; convert them to one currency"
            )
        _, shown, count = self.currencies[0]
        raise CellError(
            f"is in {written}, but most amounts in this file are in {shown} "
            f"({_cells(count)}); convert to one currency"
        )

    def contradiction(self, text: str, own_mark: str, plain: str) -> str:
        """Why text that shows one decimal mark cannot be read in this file."""
        if self.decimal is None:
            file_marks = (
                "this file's text numbers mark decimals with a dot in as many cells "
                "as with a comma, so neither is its way"
            )
        elif self.example_currency is not None:
            file_marks = (
                f"this file marks decimals with {_MARK_NAMES[self.decimal]} (its "
                f"amounts are in {self.example_currency}, like {self.example}, "
                f"and amounts in {self.example_currency} are written so)"
            )
        else:
            file_marks = (
                f"this file marks decimals with {_MARK_NAMES[self.decimal]} (as in "
                f"{self.example})"
            )
        return (
            f"is {show(text)}, which reads as a number only if "
            f"{_MARK_NAMES[own_mark]} marks decimals, but {file_marks}; write it as a "
            f"plain number ({plain}) or format the cell as a number"
        )


UNDECIDED = Conventions()


@dataclass(frozen=True)
class DateOrder:
    """Whether one file writes text dates day first (20.06.2022) or month first.

    A date with the year last, such as 03/04/2026, cannot say on its own which
    of its numbers is the day, so the order is decided once for the file from
    its dates that can: one with a first number above 12 (31/01/2023) is
    written day first, one with a second number above 12 (01/31/2023) month
    first (see `conventions.decide_date_order`). `day_first` is None when no
    date of the file settles it, or when the file shows both orders; then
    `conflict` names a date of each.
    """

    day_first: bool | None = None
    example: str = ""  # a date that shows the order, and where it is
    conflict: str = ""
    chosen: bool = False  # the user chose the order for the file


class AmbiguousDate(CellError):
    """A date that could be read day or month first, in a file whose own dates
    do not say which: the user's choice of order for the file settles it."""


UNDECIDED_DATES = DateOrder()


def _cells(count: int) -> str:
    return "1 cell" if count == 1 else f"{count:,} cells"


def clean_text(text: str) -> str:
    """Text with invisible characters dropped and runs of spaces made one space."""
    if not text.isascii():  # ASCII text has nothing to normalise or drop
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def text_key(text: str) -> str:
    """Text reduced to lower-case letters and digits, for matching words."""
    cleaned = clean_text(text).casefold().replace("&", "and")
    return _NOT_ALNUM.sub("", cleaned)


def is_blank(value: object) -> bool:
    """True for an empty cell, or text that is only spaces and invisible marks."""
    if value is None:
        return True
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return True
        # Printable text with something left after stripping has a visible
        # character; only the rest (invisible marks) needs cleaning to tell.
        return not stripped.isprintable() and clean_text(stripped) == ""
    return False


def show(value: object) -> str:
    """A cell's value as a message quotes it."""
    if isinstance(value, str):
        text = clean_text(value)
        if len(text) > 40:
            text = text[:37] + "..."
        return f"'{text}'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, FormulaWithoutValue):
        return f"the formula ={value.formula}"
    if isinstance(value, ErrorValue):
        return value.code
    return str(value)


def format_number(value: float) -> str:
    """A number without a trailing .0 and without scientific notation."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _special_cell(value: object) -> None:
    """Raise the error for a cell that holds no value a reader can use."""
    if isinstance(value, FormulaWithoutValue):
        raise CellError(
            f"holds the formula ={value.formula} but no saved result (files written "
            "by some programs do this); open the file in Excel, save it, and upload "
            "it again, or type the value"
        )
    if isinstance(value, ErrorValue):
        raise CellError(
            f"is the Excel error {value.code}; fix the formula or type the value"
        )


def read_text(value: object) -> str:
    """A cell as text; numbers are written without a trailing .0."""
    _special_cell(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | int):
        return format_number(float(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def read_number(value: object, *, conventions: Conventions = UNDECIDED) -> Number:
    """A number from a numeric cell or from number text, as the cell writes it.

    Text is read by the file's `conventions`: its decimal mark when one was
    decided, else the mark the text itself shows, which must then be
    unambiguous. Any number is taken here, percentages and currencies too;
    `read_money`, `read_count` and `read_rate` say what each field allows.
    """
    _special_cell(value)
    if isinstance(value, bool):
        raise CellError(f"is {show(value)}, not a number")
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise CellError("is not a finite number; type the number")
        return Number(number)
    if isinstance(value, datetime | date | time | timedelta):
        raise CellError(f"is a date or time ({show(value)}), not a number")
    if not isinstance(value, str):
        raise CellError(f"is {show(value)}, not a number")
    parsed = conventions.parse(value)
    if parsed is None:
        raise _not_a_number(value)
    return Number(
        _reading(value, parsed, conventions),
        percent=parsed.percent,
        currency=parsed.currency,
    )


def read_money(value: object, *, conventions: Conventions = UNDECIDED) -> Number:
    """An amount of money: not a percentage, in the file's currency, of sane size."""
    number = read_number(value, conventions=conventions)
    if number.percent:
        raise CellError(
            f"is {show(value)}, a percentage where an amount is expected; write the "
            "amount itself, like 1200"
        )
    if number.currency is not None:
        conventions.check_currency(number.currency)
    if abs(number.value) > MAX_AMOUNT:
        raise CellError(
            f"is {format_number(number.value)}, too large to be a monthly cost; "
            "check the cell"
        )
    return number


def read_count(value: object, *, conventions: Conventions = UNDECIDED) -> Number:
    """A count or a size (users, tickets, units, months): a plain number."""
    number = read_number(value, conventions=conventions)
    if number.percent:
        raise CellError(
            f"is {show(value)}, a percentage where a number is expected; write the "
            "number itself"
        )
    if number.currency is not None:
        raise CellError(
            f"is {show(value)}, an amount of money where a number is expected; "
            "write the number without the currency"
        )
    if abs(number.value) > MAX_AMOUNT:
        raise CellError(
            f"is {format_number(number.value)}, far too large; check the cell"
        )
    return number


@dataclass(frozen=True)
class Rate:
    """A rate as a fraction (0.05 is 5%), and how its cell wrote it.

    `plain_percent` is set when a plain number above 1 was read as a
    percentage written without its sign (5 as 5%); the user is told.
    """

    value: float
    written: float
    percent: bool = False
    plain_percent: bool = False

    def shown(self) -> str:
        """The rate as the cell wrote it and, when different, as it was read."""
        if self.plain_percent:
            return f"{format_number(self.written)}, read as {_percent(self.value)}"
        if self.percent:
            return _percent(self.value)
        return format_number(self.written)

    def note(self, per: str = "", *, doubtful_from: float | None = None) -> str | None:
        """What to tell the user about how a plain number was read, if anything.

        A plain number above 1 was read as a percentage; one from
        `doubtful_from` to 1 is a large rate that may have been meant as a
        percentage (1 for 1%).
        """
        written = format_number(self.written)
        if self.plain_percent:
            return (
                f"is {written}, read as {written}%{per} ({format_number(self.value)}); "
                f"write it as {written}% to be sure"
            )
        if (
            doubtful_from is not None
            and not self.percent
            and doubtful_from <= self.value <= 1
        ):
            return (
                f"is {written}, read as {_percent(self.value)}{per}; if you meant "
                f"{written}%, write {written}%"
            )
        return None


def read_rate(value: object, *, conventions: Conventions = UNDECIDED) -> Rate:
    """A rate as a fraction; 5%, 0.05 and a plain 5 are all 5%.

    The one rule for every rate field: a number with a % sign is a
    percentage, a plain number from -1 to 1 is a fraction, and a plain
    number beyond that is a percentage written without its sign. Each field
    then checks its own range.
    """
    number = read_number(value, conventions=conventions)
    if number.currency is not None:
        raise CellError(
            f"is {show(value)}, an amount of money where a rate is expected; write "
            "a percentage such as 5% or a fraction such as 0.05"
        )
    if number.percent or abs(number.value) <= 1:
        return Rate(number.value, number.value, percent=number.percent)
    fraction = float(Decimal(repr(number.value)) / 100)
    return Rate(fraction, number.value, plain_percent=True)


def _percent(fraction: float) -> str:
    return f"{format_number(round(fraction * 100, 10))}%"


def _not_a_number(text: str) -> CellError:
    return CellError(
        f"is {show(text)}, not a number; enter a number such as 1234.50 "
        "(leave it empty or write 0 if there is none)"
    )


_DOT_DECIMAL_CURRENCIES = frozenset({"$", "USD", "US$", "£", "GBP"})


@dataclass(frozen=True)
class NumberText:
    """Text that is a number, with its value under each decimal mark it allows.

    `readings` maps a decimal mark ("." or ",") to the text's value when that
    mark is taken for decimals, leaving out a mark under which the text is not
    a number: '0,40' has one reading, '1,500' two that differ, '1500' two
    that agree.
    """

    readings: Mapping[str, float]
    percent: bool = False
    currency: str | None = None

    @property
    def vote(self) -> str | None:
        """The decimal mark the text shows, when it can be read only one way.

        Dollars and pounds are written with a dot for decimals, so a grouped
        amount in them ("$1,500") settles the mark too.
        """
        if len(self.readings) == 1:
            return next(iter(self.readings))
        if self.currency in _DOT_DECIMAL_CURRENCIES and "." in self.readings:
            return "."
        return None

    @property
    def ambiguous(self) -> bool:
        """True when the two ways of reading the text give different numbers."""
        return len(set(self.readings.values())) > 1

    def shown(self, mark: str, *, grouped: bool = False) -> str:
        """The text's value under a decimal mark, as a message writes it."""
        value = self.readings[mark]
        if self.percent:
            value = round(value * 100, 10)
        if grouped:
            text = f"{value:,.10f}".rstrip("0").rstrip(".")
        else:
            text = format_number(value)
        return text + ("%" if self.percent else "")


def parse_number_text(text: str) -> NumberText | None:
    """The readings of number text, or None when it is not a number either way."""
    cleaned = clean_text(text).replace("\u2212", "-")
    if len(cleaned) > _MAX_NUMBER_TEXT:
        return None
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative = True
        cleaned = cleaned[1:-1].strip()
    match = _NUMBER_TEXT.fullmatch(cleaned)
    if match is None or (match["cur1"] and match["cur2"]):
        return None
    signs = [match[name] for name in ("sign1", "sign2", "sign3") if match[name]]
    if len(signs) + negative > 1:
        return None
    negative = negative or signs == ["-"]
    currency = (match["cur1"] or match["cur2"] or "").upper() or None
    percent = bool(match["pct"])
    if match["dash"]:
        if signs or negative or percent:
            return None
        return NumberText(dict.fromkeys(DECIMAL_MARKS, 0.0), currency=currency)

    readings: dict[str, float] = {}
    values: dict[str, float | None] = {}
    for mark in DECIMAL_MARKS:
        digits = _digits(match["body"], mark, scientific=bool(match["exp"]))
        if digits is None:
            continue
        if digits not in values:
            values[digits] = _value(digits + (match["exp"] or ""), percent=percent)
        number = values[digits]
        if number is not None:
            readings[mark] = -number if negative else number
    if not readings:
        return None
    return NumberText(readings, percent=percent, currency=currency)


def _value(digits: str, *, percent: bool) -> float | None:
    """The float of plain digits (hundredths when a percent); None if not finite."""
    try:
        # Decimal divides by 100 exactly: 7% is 0.07, not 0.07000000000000001.
        number = float(Decimal(digits) / 100) if percent else float(digits)
    except (InvalidOperation, ValueError):
        return None
    return number if math.isfinite(number) else None


def _digits(body: str, mark: str, *, scientific: bool) -> str | None:
    """The body as digits with at most one '.', taking `mark` for decimals.

    None when the body cannot be read that way. The other mark may only
    group thousands (1,234,567 or 1.234.567): groups of three digits after a
    first group of one to three that does not start with 0. Spaces and
    apostrophes group thousands under either mark.
    """
    body = body.replace("'", " ")
    if scientific:
        # 1.5e3 is written the programmer's way: a dot, never grouped.
        plain = _PLAIN_DIGITS.fullmatch(body) or (
            mark == "." and _POINT_DECIMAL.fullmatch(body)
        )
        return body if plain else None
    whole, has_mark, fraction = body.partition(mark)
    if has_mark and not _PLAIN_DIGITS.fullmatch(fraction):
        return None
    if not whole:
        return "0." + fraction if has_mark else None
    if not _PLAIN_DIGITS.fullmatch(whole):
        thousands = "," if mark == "." else "."
        if not (_GROUPED[thousands].fullmatch(whole) or _GROUPED[" "].fullmatch(whole)):
            return None
        whole = whole.replace(thousands, "").replace(" ", "")
    return whole + "." + fraction if has_mark else whole


def _reading(text: str, parsed: NumberText, conventions: Conventions) -> float:
    """The value of number text under the file's conventions; CellError if none."""
    readings = parsed.readings
    own_mark = parsed.vote
    if own_mark is None and not parsed.ambiguous:
        return next(iter(readings.values()))  # no separator in question
    if conventions.decimal in readings:
        return readings[conventions.decimal]
    if parsed.ambiguous:
        raise CellError(_ambiguity(text, parsed))
    if conventions.decimal is None and not conventions.mixed_decimals:
        return readings[own_mark]
    raise CellError(conventions.contradiction(text, own_mark, parsed.shown(own_mark)))


def _ambiguity(text: str, parsed: NumberText) -> str:
    """Why text that could be read two ways is not read at all."""
    separator = "." if "." in text else ","
    other = "," if separator == "." else "."
    # Taking the other mark for decimals makes the separator group thousands.
    thousands, decimals = parsed.shown(other), parsed.shown(separator)
    return (
        f"is {show(text)}, which could be {parsed.shown(other, grouped=True)} or "
        f"{decimals}; write it as a plain number ({thousands} or {decimals}) or "
        "format the cell as a number"
    )


def read_bool(value: object) -> bool:
    """Yes or no, from a TRUE/FALSE cell, 1/0, or words like yes, no, y, n."""
    _special_cell(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = text_key(value)
        if key in YES_WORDS:
            return True
        if key in NO_WORDS:
            return False
    raise CellError(f"is {show(value)}; write Yes or No")


def read_date(value: object, *, order: DateOrder = UNDECIDED_DATES) -> date:
    """A date from a date cell, an ISO text date, a quarter or an Excel serial.

    Day-month orders are not guessed: a date with the year last is read by
    the file's `order`, or by its only reading (31/01/2027), and otherwise
    03/04/2027 is an error asking for 2027-04-03 or 2027-03-04.
    """
    _special_cell(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | time | timedelta):
        raise CellError(f"is {show(value)}, not a date; write a date like 2027-03-01")
    if isinstance(value, int | float):
        return _date_from_serial(float(value))
    if not isinstance(value, str):
        raise CellError(f"is {show(value)}, not a date; write a date like 2027-03-01")
    return _date_from_text(value, order)


def _date_from_serial(serial: float) -> date:
    if not math.isfinite(serial) or not 1 <= serial < 2958466:
        raise CellError(
            f"is the number {format_number(serial)}, not a date; write a date "
            "like 2027-03-01"
        )
    day = EXCEL_EPOCH + timedelta(days=int(serial))
    if day.year not in PLAUSIBLE_YEARS:
        raise CellError(
            f"is the number {format_number(serial)}, which as an Excel date is "
            f"{day.isoformat()}; write the date like 2027-03-01"
        )
    return day


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    try:
        result = date(year, month, day)
    except ValueError:
        raise CellError(f"is {show(text)}, which is not a real date") from None
    if result.year not in PLAUSIBLE_YEARS:
        raise CellError(f"is {show(text)}; check the year")
    return result


def _date_from_text(text: str, order: DateOrder) -> date:
    cleaned = clean_text(text)
    if len(cleaned) > 40:
        raise CellError(f"is {show(text)}, not a date; write a date like 2027-03-01")
    match = _ISO_DATE.fullmatch(cleaned)
    if match:
        return _checked_date(int(match["y"]), int(match["m"]), int(match["d"]), text)
    if cleaned.isdigit():
        return _date_from_serial(float(cleaned))
    match = _QUARTER_DATE.fullmatch(cleaned)
    if match:
        year = int(match["y1"] or match["y2"])
        quarter = int(match["q1"] or match["q2"])
        return _checked_date(year, 3 * quarter - 2, 1, text)
    match = _YEAR_LAST_DATE.fullmatch(cleaned)
    if match:
        return _year_last_date(cleaned, match, order)
    for pattern in _NAMED_MONTH_FORMATS:
        try:
            parsed = datetime.strptime(cleaned.replace(",", ""), pattern).date()
        except ValueError:
            continue
        return _checked_date(parsed.year, parsed.month, parsed.day, text)
    raise CellError(f"is {show(text)}, not a date; write a date like 2027-03-01")


def is_year_last_date(text: str) -> bool:
    """True for text shaped like a date with the year last, as 03/04/2026 is."""
    return _YEAR_LAST_DATE.fullmatch(clean_text(text)) is not None


def year_last_order(text: str) -> bool | None:
    """For a date with the year last, True when only day first makes it a date
    (31/01/2023), False when only month first does (01/31/2023), else None."""
    match = _YEAR_LAST_DATE.fullmatch(clean_text(text))
    if not match or len(match["y"]) != 4:
        return None
    first, second = int(match["a"]), int(match["b"])
    if first > 12 and 1 <= second <= 12:
        return True
    if second > 12 and 1 <= first <= 12:
        return False
    return None


def _year_last_date(text: str, match: re.Match[str], order: DateOrder) -> date:
    """A date like 20.06.2022: by the file's order, or by its only reading."""
    first, second, year = int(match["a"]), int(match["b"]), match["y"]
    if len(year) != 4:
        raise CellError(
            f"is '{text}' with a two-digit year; write the date like 2027-03-01"
        )
    readings = {}
    for day_first, (day, month) in ((True, (first, second)), (False, (second, first))):
        try:
            readings[day_first] = date(int(year), month, day)
        except ValueError:
            continue
    if order.day_first is not None:
        if order.day_first not in readings:
            shown = "the day" if order.day_first else "the month"
            why = (
                "as you chose for this file; choose the other order if the file "
                "writes its dates so, or"
                if order.chosen
                else f"as this file writes dates (like {order.example});"
            )
            raise CellError(
                f"is '{text}', which is not a date with {shown} first, {why} write "
                "it as year-month-day (ISO), like 2027-03-01"
            )
        day = readings[order.day_first]
        return _checked_date(day.year, day.month, day.day, text)
    found = set(readings.values())
    if len(found) == 1:
        day = found.pop()
        return _checked_date(day.year, day.month, day.day, text)
    if not found:
        raise CellError(
            f"is '{text}', which is not a real date; write it like 2027-03-01"
        )
    why = (
        f"this file writes dates both ways ({order.conflict})"
        if order.conflict
        else "no date in this file has a day above 12 to show which comes first"
    )
    day_first, month_first = readings[True], readings[False]
    if order.conflict:
        raise CellError(
            f"is '{text}', which could be {day_first.isoformat()} (day first) or "
            f"{month_first.isoformat()} (month first), and {why}; write it as "
            "year-month-day (ISO), whichever it is"
        )
    raise AmbiguousDate(
        f"is '{text}', which could be {day_first.isoformat()} (day first) or "
        f"{month_first.isoformat()} (month first), and {why}; choose whether the "
        "file's dates are day or month first, or write it as year-month-day (ISO)"
    )
