"""The operator's log: one line for each upload taken or refused, and for each
slow page run.

Whoever runs the app for a team needs to answer "why was my file refused?"
and "why is the app slow?" without asking for the file. So each line says
what kind of file it was (its reader's kind and its extension), its size in
bytes, how many errors were found, where the first one is and a short
category of it, and for a page run, the page and how long it took.

It never says what the file holds. A cost base names vendors, salaries and
contracts, and a roster names people; an operator's log is read by more
people and kept longer than the file was meant to be. So a line carries no
cell value, no issue message (messages quote the cell they are about), no
sheet name or column header (they are the user's own text too) and no file
name beyond its extension: a place is given as its row and column letter,
and a problem as one of a few fixed categories.

The logger is named "cpsu.operator". Streamlit configures only its own
loggers, so `configure_operator_log` gives this one a handler on standard
error in the same layout, once per process.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import PurePath

from cpsu.ingest.issues import Issue, errors

LOGGER_NAME = "cpsu.operator"
SLOW_RERUN_VARIABLE = "CPSU_SLOW_RERUN_MS"
DEFAULT_SLOW_RERUN_MS = 2000.0

log = logging.getLogger(LOGGER_NAME)

# Fixed words for what went wrong, found in an issue's message; the message
# itself is never logged. The first match wins, so narrower phrases go first.
_CATEGORIES = (
    ("file is empty", "empty file"),
    # What the file is, before what it holds: a refusal of a whole file
    # mentions sheets and workbooks only to say what to upload instead.
    ("zip bomb", "over a size limit"),
    ("unpacks to more than", "over a size limit"),
    ("at most 250,000 rows", "over a size limit"),
    ("dtd", "unsafe XML"),
    ("entities", "unsafe XML"),
    ("picture", "not a spreadsheet"),
    ("not a workbook", "not a spreadsheet"),
    ("neither a workbook", "not a spreadsheet"),
    ("without a table", "not a spreadsheet"),
    ("damaged", "damaged file"),
    ("no saved result", "formula without a value"),
    ("too large", "value too large"),
    ("not a number", "not a number"),
    ("is empty", "empty cell"),
    ("date", "date"),
    ("quarter", "quarter"),
    ("pool", "cost pool"),
    ("behaviour", "behaviour"),
    ("column", "columns"),
    ("header", "columns"),
    ("sheet", "sheets"),
    ("duplicate", "duplicate"),
    ("json", "not JSON"),
    ("rule", "rules"),
    ("read", "unreadable"),
)
# A column as `column_label` writes it, "Header (D)": only the letter is kept.
_COLUMN_LETTER = re.compile(r"\(([A-Z]{1,3})\)$")


def configure_operator_log() -> logging.Logger:
    """Give the operator's logger a handler on standard error, once."""
    if not any(getattr(h, "_cpsu_operator", False) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        handler._cpsu_operator = True  # type: ignore[attr-defined]
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    return log


def extension(file_name: str) -> str:
    """The file's extension in lower case, like '.xlsx', or '' for none."""
    suffix = PurePath(file_name).suffix.lower()
    # An extension is a handful of letters and digits; anything else is part of
    # the name a user typed.
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def safe_where(issue: Issue) -> str:
    """Where an issue is, by row number and column letter only."""
    parts = []
    if issue.sheet:
        parts.append("a sheet")
    if issue.row is not None:
        parts.append(f"row {int(issue.row)}")
    if issue.column:
        found = _COLUMN_LETTER.search(issue.column.strip())
        parts.append(f"column {found.group(1)}" if found else "a column")
    return ", ".join(parts) or "file"


def category(issue: Issue) -> str:
    """A short fixed category for an issue, never its message."""
    if issue.choice and re.fullmatch(r"[a-z_]{1,40}", issue.choice):
        return f"needs choice {issue.choice}"
    message = issue.message.lower()
    return next((name for word, name in _CATEGORIES if word in message), "other")


def upload_refused(
    page: str, kind: str, file_name: str, size_bytes: int, issues: Iterable[Issue]
) -> None:
    """Log an upload that was not used, with its first error's place and kind."""
    found = errors(issues)
    first = found[0] if found else None
    log.warning(
        "upload refused page=%s kind=%s ext=%s bytes=%d errors=%d first_where=%r "
        "first_category=%r",
        page,
        kind,
        extension(file_name) or "none",
        size_bytes,
        len(found),
        safe_where(first) if first else "none",
        category(first) if first else "none",
    )


def upload_accepted(
    page: str, kind: str, file_name: str, size_bytes: int, read: int, unit: str
) -> None:
    """Log an upload that was used, with how much was read from it."""
    log.info(
        "upload accepted page=%s kind=%s ext=%s bytes=%d %s=%d",
        page,
        kind,
        extension(file_name) or "none",
        size_bytes,
        unit,
        read,
    )


def slow_rerun_ms() -> float:
    """The page run time worth a line: CPSU_SLOW_RERUN_MS, else 2000 ms."""
    text = os.environ.get(SLOW_RERUN_VARIABLE, "").strip()
    try:
        value = float(text) if text else DEFAULT_SLOW_RERUN_MS
    except ValueError:
        return DEFAULT_SLOW_RERUN_MS
    return value if value >= 0 else DEFAULT_SLOW_RERUN_MS


@contextmanager
def timed_page(page: str) -> Iterator[None]:
    """Log the page's run when it takes at least the slow-rerun threshold.

    A run cut short by a rerun or a stop counts too: the time was spent.
    """
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed_ms = (time.perf_counter() - start) * 1000
        if elapsed_ms >= slow_rerun_ms():
            log.warning("slow rerun page=%r ms=%d", page, round(elapsed_ms))
