"""CSV files the program writes, safe to open in a spreadsheet.

A spreadsheet opening a CSV runs a cell that starts with =, +, - or @ as a
formula, and a tab or carriage return first can hide one; a sheet named
"=1+2" or a vendor typed "@SUM(...)" in an upload would then run on the
user's machine. Every text cell that starts so is written with a single
quote in front, as OWASP advises for CSV injection: the spreadsheet shows
the text as written, and a reader of the file sees the quote.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell that a spreadsheet would run, quoted; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark (so Excel reads the
    encoding), every text cell safe to open; the header too. Rows end in CRLF,
    as RFC 4180 has them, so a cell holding a carriage return is quoted."""
    safe = frame.rename(columns=lambda name: safe_cell(str(name)))
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
