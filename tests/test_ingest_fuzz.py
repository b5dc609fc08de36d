"""Every reader, offered the same random tables, as the app offers an upload.

The app hands an upload to the cost reader, then the GL reader, then the
roster reader. Here hypothesis builds tables with a header drawn from all
three vocabularies, junk cells, merged ranges, blank gaps and hidden sheets,
saves them as .xlsx, .ods, CSV and an HTML table, and offers each file to all
three readers, twice. Nothing may escape but issues; no issue may be the
catch-all that marks a bug; every issue must point inside the file; and the
second read must say exactly what the first said.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from html import escape

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cpsu.ingest import read_upload
from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.roster_upload import read_roster_upload
from cpsu.ingest.xlsx import forget_last_workbook
from tests.ingest_fixtures import ods_bytes, ods_sheet_xml

CATCH_ALL = "problem in this program"
BASELINE = pd.Period("2026Q4", freq="Q")

HEADERS = [
    # cost lists and the template
    "Item",
    "Pool",
    "Behaviour",
    "Amount",
    "Annual cost",
    "Monthly",
    "Jan",
    "Feb",
    # GL exports
    "Posting date",
    "Period",
    "Account",
    "Cost centre",
    "Vendor",
    "Description",
    "Debit",
    "Credit",
    # rosters
    "Employee ID",
    "Worker type",
    "Start date",
    "End date",
    # and what nobody reads
    "Notes",
    "",
]
CELLS = st.one_of(
    st.none(),
    st.integers(-(10**7), 10**7),
    st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False),
    st.dates(date(1995, 1, 1), date(2040, 12, 31)),
    st.sampled_from(
        [
            "TBD",
            "n/a",
            "-",
            "(1,200.50)",
            "1.234,56",
            "$1,000",
            "€ 12,50",
            "20.06.2022",
            "03/04/2026",
            "202606",
            "2026-Q4",
            "Employee",
            "Contractor",
            "Total",
            "Subtotal",
            "Grand total",
            "Microsoft",
            "6110 Software",
            "=SUM(A1:A3)",
            "\u200b Item \u00a0",
        ]
    ),
    st.text(max_size=8),
)


TEMPLATES = {
    "costs": ["Item", "Annual cost", "Vendor", "Notes"],
    "grid": ["Item", "Jan", "Feb", "Mar", "Total"],
    "gl": ["Posting date", "Account", "Cost centre", "Vendor", "Description", "Amount"],
    "roster": ["Employee ID", "Worker type", "Start date", "End date"],
}
PLAUSIBLE = {
    "Item": st.sampled_from(["Microsoft 365", "Laptops", "Service desk", "Total"]),
    "Annual cost": st.integers(0, 500_000),
    "Jan": st.integers(0, 9_000),
    "Feb": st.integers(0, 9_000),
    "Mar": st.integers(0, 9_000),
    "Total": st.integers(0, 27_000),
    "Posting date": st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    "Account": st.sampled_from([6110, 6150, "6210 Contractors", 7100]),
    "Cost centre": st.sampled_from(["CC100", "CC200"]),
    "Vendor": st.sampled_from(["Microsoft", "AWS", "Dell"]),
    "Description": st.sampled_from(["Licence", "Hosting", "Laptop"]),
    "Amount": st.floats(-5_000, 50_000, allow_nan=False).map(lambda x: round(x, 2)),
    "Employee ID": st.integers(1000, 9999),
    "Worker type": st.sampled_from(["Employee", "Contractor", "Intern"]),
    "Start date": st.dates(date(2015, 1, 1), date(2027, 6, 30)),
    "End date": st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 1, 1))),
}


@st.composite
def tables(draw) -> list[list[object]]:
    """A cost list, month grid, GL export or roster with junk in it, or a table
    of random headers: title rows and a gap above, junk cells and ragged rows.
    """
    kind = draw(st.sampled_from([*TEMPLATES, "random"]))
    if kind == "random":
        width = draw(st.integers(1, 7))
        header = draw(
            st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width)
        )
    else:
        header = list(TEMPLATES[kind])
    event(f"table {kind}")
    junk_share = draw(st.sampled_from([0.0, 0.1, 0.5]))

    def cell(column: str):
        plausible = PLAUSIBLE.get(column)
        if plausible is None or draw(st.floats(0, 1)) < junk_share:
            return draw(CELLS)
        return draw(plausible)

    body = [
        [cell(column) for column in header][: draw(st.integers(0, len(header) + 1))]
        for _ in range(draw(st.integers(0, 12)))
    ]
    titles = draw(st.lists(st.lists(CELLS, max_size=2), max_size=3))
    gap = [[]] * draw(st.integers(0, 3))
    return [*titles, *gap, header, *body]


def _clean(value: object) -> object:
    """What a workbook cell can hold: no control characters, no surrogates."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable() or ch == " ")
    return value


def _xlsx(
    rows: list[list[object]], merges: list[tuple[int, int, int, int]], hidden: bool
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append([_clean(value) for value in row])
    for top, left, height, width in merges:
        sheet.merge_cells(
            start_row=top,
            start_column=left,
            end_row=top + height,
            end_column=left + width,
        )
    if hidden:
        # A hidden copy first: the visible sheet is the one read by default.
        copy = book.create_sheet("Old", 0)
        for row in rows[:3]:
            copy.append([_clean(value) for value in row])
        copy.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods(rows: list[list[object]], merges: list[tuple[int, int, int, int]]) -> bytes:
    spans = [
        (top, left, top + height, left + width) for top, left, height, width in merges
    ]
    cleaned = [[_clean(value) for value in row] for row in rows]
    return ods_bytes({"Data": ods_sheet_xml(cleaned, spans)})


def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    return buffer.getvalue().encode("utf-8")


def _html(rows: list[list[object]]) -> bytes:
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(str(_clean(v) or ''))}</td>" for v in row)
        + "</tr>"
        for row in rows
    )
    return f"<html><body><table>{body}</table></body></html>".encode()


def _said(result) -> list[tuple]:
    return [
        (issue.severity, issue.message, issue.sheet, issue.row, issue.column)
        for issue in result.issues
    ]


def _read_all(data: bytes, name: str):
    return (
        read_upload(data, name),
        read_gl_export(data, name),
        read_roster_upload(data, name, BASELINE),
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    rows=tables(),
    merges=st.lists(
        st.tuples(
            st.integers(1, 8), st.integers(1, 6), st.integers(0, 2), st.integers(0, 2)
        ),
        max_size=3,
        unique_by=lambda merge: merge[:2],
    ),
    hidden=st.booleans(),
    form=st.sampled_from(["xlsx", "ods", "csv", "html"]),
)
def test_every_reader_takes_any_table_and_says_the_same_twice(
    rows, merges, hidden, form
):
    if form == "xlsx":
        try:
            data = _xlsx(rows, merges, hidden)
        except ValueError:  # overlapping merges: Excel refuses them too
            return
        name = "upload.xlsx"
    elif form == "ods":
        try:
            _xlsx(rows, merges, hidden)
        except ValueError:  # overlapping merges, refused as above
            return
        data, name = _ods(rows, merges), "upload.ods"
    elif form == "csv":
        data, name = _csv(rows), "upload.csv"
    else:
        data, name = _html(rows), "upload.xls"  # an HTML table saved as .xls

    event(f"form {form}")
    first = _read_all(data, name)
    event("gl recognised" if first[1].recognised else "not gl")
    event("roster recognised" if first[2].recognised else "not roster")
    event("costs read" if first[0].cost_base is not None else "no costs")
    forget_last_workbook()  # the second read unpacks the file again
    second = _read_all(data, name)

    upload, export, roster = first
    for result in first:
        for issue in result.issues:
            assert CATCH_ALL not in issue.message, issue.message
            assert issue.message.strip()
            assert issue.row is None or 1 <= issue.row <= len(rows) + 3
    for before, after in zip(first, second, strict=True):
        assert _said(before) == _said(after)
    # Costs read the same twice, to the cent; so do GL postings and headcount.
    assert upload.has_errors == second[0].has_errors
    if upload.cost_base is not None:
        assert [(line.item, line.amount) for line in upload.cost_base.lines] == [
            (line.item, line.amount) for line in second[0].cost_base.lines
        ]
    assert export.entries.equals(second[1].entries)
    assert (roster.headcount is None) == (second[2].headcount is None)
    if roster.headcount is not None:
        assert roster.headcount == second[2].headcount
