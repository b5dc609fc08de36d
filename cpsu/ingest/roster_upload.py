"""An HR roster uploaded on its own: the people who become the headcount.

A roster is one row per person (see `roster.py`). Uploaded on its own, it
replaces only the headcount: it is counted on the last day of the
workspace's baseline quarter, so the cost base and the scenario keep the
quarter they were built for, and growth applies from there. Like every
reader it never raises; `recognised` is False when no sheet of the file
looks like a roster, so the caller can say what the file is not.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from cpsu.ingest.choices import NO_CHOICES, ReadChoices
from cpsu.ingest.issues import Issue, Severity, error, warning
from cpsu.ingest.progress import part, report
from cpsu.ingest.roster import (
    HEADERS,
    partial_roster,
    read_roster_sheets,
    roster_fields,
    typed_by_sheet_name,
)
from cpsu.ingest.sniff import MAX_UPLOAD_BYTES, FileError, read_file_tables
from cpsu.ingest.table import Table, listing
from cpsu.scenario import Headcount

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RosterUpload:
    """The headcount a roster file gives, every problem found, and whether it
    looked like a roster at all."""

    headcount: Headcount | None
    issues: tuple[Issue, ...]
    recognised: bool
    sheet: str | None = None  # the sheet (or CSV, or HTML table) read
    people: int = 0  # people on the roster, when it has no errors

    @property
    def has_errors(self) -> bool:
        return any(issue.severity is Severity.ERROR for issue in self.issues)


def read_roster_upload(
    data: bytes,
    filename: str,
    baseline: pd.Period | None,
    choices: ReadChoices = NO_CHOICES,
    today: date | None = None,
) -> RosterUpload:
    """The headcount per quarter in a roster workbook or CSV; never raises.

    `choices` carries the user's day-month order for the file's text dates;
    `today` tells the end dates that have passed from planned ones, when no
    baseline is given (default: the date).
    """
    source = posixpath.basename(str(filename).replace("\\", "/")) or "roster"
    try:
        return _read(bytes(data), source, baseline, choices, today)
    except Exception as problem:
        logger.exception("Reading the roster %r failed", filename)
        return RosterUpload(
            None,
            (
                error(
                    "The roster could not be read because of a problem in this "
                    f"program ({type(problem).__name__}); please report it with the "
                    "file attached."
                ),
            ),
            recognised=False,
        )


def _read(
    data: bytes,
    source: str,
    baseline: pd.Period | None,
    choices: ReadChoices,
    today: date | None,
) -> RosterUpload:
    if not data or len(data) > MAX_UPLOAD_BYTES:
        return RosterUpload(None, (), recognised=False)
    try:
        with part(0.0, 0.8):
            book = read_file_tables(data, source)
    except FileError:
        return RosterUpload(None, (), recognised=False)
    hidden = {info.name for info in book.sheets if info.hidden}
    tables = []
    typed: list[Issue] = []
    for name in sorted(book.sheet_names, key=lambda name: name in hidden):
        if name not in book.tables:
            continue
        table, fields = book.tables[name], roster_fields(book.tables[name])
        found_type = None if fields is not None else typed_by_sheet_name(table)
        if found_type is not None:
            # "Employees" and "Contractors" say the worker type of their rows.
            table, said = found_type
            fields = roster_fields(table)
            typed.append(said)
        tables.append((table, fields))
    found = [(table, fields) for table, fields in tables if fields is not None]
    if not found:
        return RosterUpload(None, (), recognised=False)
    # Every visible roster sheet is part of one roster split over sheets
    # ("Employees" and "Contractors"), whatever else its columns say; a
    # hidden sheet only when none is visible.
    first, _ = found[0]
    visible = [table for table, _ in found if table.name not in hidden]
    read = visible or [first]
    fields_of = {table.name: fields for table, fields in found}
    issues = [
        *book.issues,
        *(issue for table in read for issue in book.sheet_issues.get(table.name, ())),
        *_partial_rosters(
            [table for table, other in tables if other is None], hidden, first.name
        ),
        *(issue for issue in typed if issue.sheet in {table.name for table in read}),
    ]
    names = listing([table.name for table in read])
    rows = sum(max(len(table.rows) - 1, 0) for table in read)
    with part(0.8, 1.0):
        report(0.0, f"Reading {rows:,} roster rows from {names}")
        headcount, found_issues, people = read_roster_sheets(
            read, baseline, 1, choices.day_first, today
        )
        report(1.0, f"Read {people:,} people from {names}")
    if len(read) > 1 and people:
        differ = _columns_differ(
            [(table.name, fields_of[table.name]) for table in read]
        )
        issues.append(
            warning(
                f"Read {people:,} people from sheets {names}, which have the same "
                "columns, and counted them as one roster."
                if not differ
                else f"Read {people:,} people from sheets {names} and counted them "
                f"as one roster; their columns differ ({differ}), and each sheet "
                "was read by its own.",
            )
        )
    return RosterUpload(
        headcount, (*issues, *found_issues), True, sheet=names, people=people
    )


def _columns_differ(sheets: Sequence[tuple[str, frozenset[str] | None]]) -> str:
    """What each roster sheet lacks that another has ('Contractors has no
    Employee ID'); empty when all have the same columns."""
    every = frozenset().union(*(fields or frozenset() for _, fields in sheets))
    said = []
    for name, fields in sheets:
        lacks = [
            HEADERS[field] for field in HEADERS if field in every - (fields or every)
        ]
        if lacks:
            said.append(f"{name} has no {listing(lacks)}")
    return "; ".join(said)


def _partial_rosters(
    tables: Sequence[Table], hidden: set[str], first: str
) -> list[Issue]:
    """A warning for each visible sheet that looks like part of the roster (an
    ID or name and its dates) but lacks a column a roster needs, so its people
    are not counted."""
    found = []
    for table in tables:
        partial = None if table.name in hidden else partial_roster(table)
        if partial is None:
            continue
        header, lacks, rows = partial
        key = "person_id" if "person_id" in header.columns else "name"
        has = [header.label(key)] + [
            header.label(name)
            for name in ("worker_type", "start", "end")
            if name in header.columns
        ]
        missing = listing([HEADERS[name] for name in lacks])
        columns = "column" if len(lacks) == 1 else "columns"
        found.append(
            warning(
                f"The sheet {table.name} looks like part of the roster (it has "
                f"{listing(has)} columns) but has no {missing} {columns}, so it "
                f"was not read and its {rows:,} "
                f"{'person is' if rows == 1 else 'people are'} not counted. Add "
                f"the {missing} {columns} to count them with {first}.",
                sheet=table.name,
            )
        )
    return found
