"""Reading one cell: text, money, rates, dates and yes/no, as people type them.

A cell arrives as whatever the file held: a number or date from a workbook,
or text from a CSV or a text-formatted cell. Each reader here either returns
the value the cell means or raises `CellError` with a message that says what
was found and what to write instead. Nothing is guessed into a number: text
that is not plainly a number ("TBD", "n/a") is an error, never a zero.
Money text is read with its currency, thousands separators, brackets for
negatives and a trailing percent; a separator that could be either decimal
or thousands ("1,234") is read by the file's convention and, where that is
the less common reading, the caller is told so it can warn.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
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
_GROUPED_SPACES = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?")

EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers and text dates outside these years are read as mistakes.
PLAUSIBLE_YEARS = range(1980, 2201)

_ISO_DATE = re.compile(
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_YEAR_LAST_DATE = re.compile(r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{2,4})")
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
    `note` explains a reading the user should check.
    """

    value: float
    percent: bool = False
    note: str | None = None


def clean_text(text: str) -> str:
    """Text with invisible characters dropped and runs of spaces made one space."""
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


def read_number(value: object, *, decimal_comma: bool = False) -> Number:
    """A number from a numeric cell or from money text.

    `decimal_comma` says the file writes 1.234,56 (as semicolon-separated
    files do); otherwise 1,234.56 is expected. Both forms are read whenever
    they are unambiguous.
    """
    _special_cell(value)
    if isinstance(value, bool):
        raise CellError(f"is {show(value)}, not a number")
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise CellError("is not a finite number")
        return Number(number)
    if isinstance(value, datetime | date | time | timedelta):
        raise CellError(f"is a date or time ({show(value)}), not a number")
    if not isinstance(value, str):
        raise CellError(f"is {show(value)}, not a number")
    return _number_from_text(value, decimal_comma=decimal_comma)


def _not_a_number(text: str) -> CellError:
    return CellError(
        f"is {show(text)}, not a number; enter a number such as 1234.50 "
        "(leave it empty or write 0 if there is none)"
    )


def _number_from_text(text: str, *, decimal_comma: bool) -> Number:
    cleaned = clean_text(text).replace("\u2212", "-")
    if len(cleaned) > _MAX_NUMBER_TEXT:
        raise _not_a_number(text)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative = True
        cleaned = cleaned[1:-1].strip()
    match = _NUMBER_TEXT.fullmatch(cleaned)
    if match is None or (match["cur1"] and match["cur2"]):
        raise _not_a_number(text)
    signs = [match[name] for name in ("sign1", "sign2", "sign3") if match[name]]
    if len(signs) + negative > 1:
        raise _not_a_number(text)
    negative = negative or signs == ["-"]
    if match["dash"]:
        if signs or negative or match["pct"]:
            raise _not_a_number(text)
        return Number(0.0)

    digits, note = _plain_digits(match["body"], decimal_comma=decimal_comma)
    if digits is None or (match["exp"] and not re.fullmatch(r"\d*\.?\d+", digits)):
        raise _not_a_number(text)
    try:
        amount = Decimal(digits + (match["exp"] or ""))
    except InvalidOperation:
        raise _not_a_number(text) from None
    number = float(amount)
    if not math.isfinite(number):
        raise _not_a_number(text)
    percent = bool(match["pct"])
    if percent:
        number = float(amount / 100)
    if negative:
        number = -number
    if note:
        note = f"{show(text)} was read as {format_number(number)}{note}"
    return Number(number, percent=percent, note=note)


def _plain_digits(body: str, *, decimal_comma: bool) -> tuple[str | None, str | None]:
    """Digits with at most one '.', from a body with separators; None if invalid.

    The note, when given, explains how an ambiguous separator was read.
    """
    body = body.replace("'", " ")
    if " " in body:
        if not _GROUPED_SPACES.fullmatch(body):
            return None, None
        body = body.replace(" ", "")

    has_comma, has_dot = "," in body, "." in body
    if has_comma and has_dot:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, fraction = body.rsplit(decimal, 1)
        grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+"
        if not re.fullmatch(grouped, whole) or not fraction.isdigit():
            return None, None
        return whole.replace(thousands, "") + "." + fraction, None

    if not (has_comma or has_dot):
        return body, None

    separator = "," if has_comma else "."
    if body.count(separator) > 1:
        grouped = rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+"
        return (
            (body.replace(separator, ""), None)
            if re.fullmatch(grouped, body)
            else (None, None)
        )

    whole, fraction = body.split(separator)
    if not fraction.isdigit() or (whole and not whole.isdigit()):
        return None, None
    could_be_thousands = len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0"
    if not could_be_thousands:
        return (whole or "0") + "." + fraction, None
    thousands = "." if decimal_comma else ","
    if separator == thousands:
        note = (
            f" ('{separator}' as a thousands separator); write "
            f"{whole}.{fraction} if you meant a fraction"
            if decimal_comma
            else None
        )
        return whole + fraction, note
    note = (
        f" ('{separator}' as the decimal separator, as in semicolon-separated "
        f"files); write {whole}{fraction} if you meant thousands"
        if decimal_comma
        else None
    )
    return whole + "." + fraction, note


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


def read_date(value: object) -> date:
    """A date from a date cell, an ISO text date, a quarter or an Excel serial.

    Day-month orders are not guessed: 03/04/2027 is an error asking for
    2027-04-03 or 2027-03-04.
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
    return _date_from_text(value)


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


def _date_from_text(text: str) -> date:
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
        raise CellError(_year_last_message(cleaned, match))
    for pattern in _NAMED_MONTH_FORMATS:
        try:
            parsed = datetime.strptime(cleaned.replace(",", ""), pattern).date()
        except ValueError:
            continue
        return _checked_date(parsed.year, parsed.month, parsed.day, text)
    raise CellError(f"is {show(text)}, not a date; write a date like 2027-03-01")


def _year_last_message(text: str, match: re.Match[str]) -> str:
    first, second, year = int(match["a"]), int(match["b"]), match["y"]
    if len(year) != 4:
        return f"is '{text}' with a two-digit year; write the date like 2027-03-01"
    options = []
    for month, day in ((first, second), (second, first)):
        try:
            options.append(date(int(year), month, day).isoformat())
        except ValueError:
            continue
    if len(options) == 2 and options[0] != options[1]:
        return (
            f"is '{text}', which could be {options[0]} or {options[1]}; write the "
            "date as year-month-day (ISO), like 2027-03-01"
        )
    if options:
        return (
            f"is '{text}'; write the date as year-month-day (ISO), here "
            f"{options[0]}, so that it cannot be read the wrong way round"
        )
    return f"is '{text}', which is not a real date; write it like 2027-03-01"
