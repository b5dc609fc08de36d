"""GL / OPEX exports read into entries: hand-checked totals, periods, bad cells."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cpsu.ingest.cells import CellError, Conventions, is_blank, read_money
from cpsu.ingest.gl import _Cells, _money, read_gl_export, read_month
from cpsu.ingest.issues import Severity

HEADER = ["Posting date", "Account", "Cost centre", "Vendor", "Description", "Amount"]


def xlsx(rows, *, title: str = "GL detail", extra_sheets=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for name, other in extra_sheets:
        added = book.create_sheet(name, 0)
        for row in other:
            added.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode()


def errors(export):
    return [i for i in export.issues if i.severity is Severity.ERROR]


def warnings(export):
    return [i for i in export.issues if i.severity is Severity.WARNING]


POSTINGS = [
    HEADER,
    [date(2026, 10, 15), 6150, "CC100", "AWS", "Hosting October", 1200.50],
    [
        date(2026, 10, 20),
        "6110 Software subscriptions",
        "CC100",
        "Microsoft",
        "M365",
        3000,
    ],
    [date(2026, 11, 3), 6150, "CC200", "AWS", "Hosting credit", -200.25],
    [date(2026, 12, 1), "6210", "CC200", "Acme MSP", "Managed desk", 4500.10],
]


def test_an_xlsx_export_is_read_to_the_cent():
    export = read_gl_export(xlsx([["GL detail FY2026"], [], *POSTINGS]), "gl.xlsx")
    assert errors(export) == []
    entries = export.entries
    assert entries["row"].tolist() == [4, 5, 6, 7]  # title, blank, header above
    assert [str(m) for m in entries["month"]] == [
        "2026-10",
        "2026-10",
        "2026-11",
        "2026-12",
    ]
    assert entries["account"].tolist() == [
        "6150",
        "6110 Software subscriptions",
        "6150",
        "6210",
    ]
    assert entries["account_number"].tolist() == [6150, 6110, 6150, 6210]
    assert entries["vendor"].tolist() == ["AWS", "Microsoft", "AWS", "Acme MSP"]
    # 1200.50 + 3000 - 200.25 + 4500.10 = 8500.35
    assert export.total == 8500.35
    assert export.total_cents == 850035
    assert [str(m) for m in export.months] == ["2026-10", "2026-11", "2026-12"]
    assert export.sheet == "GL detail"


def test_a_csv_with_debit_and_credit_nets_them_and_reads_money_text():
    rows = [
        ["Date", "GL account", "Department", "Supplier", "Memo", "Debit", "Credit"],
        ["2026-10-15", "6150", "IT", "AWS", "hosting", "$1,200.50", ""],
        ["2026-10-31", "6150", "IT", "AWS", "credit note", "", "(200.25)"],
        ["2026-11-02", "6110", "IT", "Zoom", "licences", "300", "-"],
        ["2026-11-30", "6110", "IT", "Zoom", "refund", "", "45.10"],
    ]
    export = read_gl_export(csv_bytes(rows), "gl.csv")
    assert errors(export) == []
    # debit less the credit's size: 1200.50; 0 - |(200.25)| = -200.25, a
    # credit note written negative is still a credit; 300 - 0; 0 - 45.10
    assert export.entries["amount"].tolist() == [1200.50, -200.25, 300.0, -45.10]
    # 1200.50 - 200.25 + 300 - 45.10 = 1255.15
    assert export.total == 1255.15
    assert any("row 3 is written negative" in i.message for i in export.issues)
    assert export.entries["cost_centre"].tolist() == ["IT"] * 4


def test_a_semicolon_csv_with_decimal_commas():
    rows = [
        ["Periode", "Account", "Amount"],  # unknown date header: not GL
    ]
    assert not read_gl_export(csv_bytes(rows, ";"), "x.csv").recognised
    rows = [
        ["Period", "Account", "Vendor", "Amount"],
        ["202610", "6150", "SAP", "1.234,56"],
        ["202611", "6150", "SAP", "100,40"],
    ]
    export = read_gl_export(csv_bytes(rows, ";"), "gl.csv")
    assert errors(export) == []
    # 1234.56 + 100.40 = 1334.96
    assert export.total == 1334.96


def test_fiscal_periods_are_periods_not_dates():
    rows = [
        ["Fiscal period", "Natural account", "Net amount"],
        [202610, 6150, 100],
        ["2026-11", 6150, 100],
        ["2026 P12", 6150, 100],
        ["Jan 2027", 6150, 100],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")
    assert errors(export) == []
    assert [str(m) for m in export.entries["month"]] == [
        "2026-10",
        "2026-11",
        "2026-12",
        "2027-01",
    ]
    assert len(export.months) == 4


def test_read_month_reads_dates_and_periods():
    assert str(read_month(date(2026, 10, 15))) == "2026-10"
    assert str(read_month(datetime(2026, 10, 15, 9, 30))) == "2026-10"
    assert str(read_month("2026-10-15")) == "2026-10"
    assert str(read_month(202610)) == "2026-10"
    assert str(read_month(46310)) == "2026-10"  # Excel serial of 2026-10-15
    with pytest.raises(CellError, match="period 13"):
        read_month(202613)
    with pytest.raises(CellError, match=r"2026-04-03 \(day first\) or 2026-03-04"):
        read_month("03/04/2026")
    with pytest.raises(CellError, match="not a date or a period"):
        read_month("soon")


def test_a_period_column_wins_over_a_date_column():
    rows = [
        ["Posting date", "Period", "Account", "Amount"],
        [date(2026, 10, 2), 202609, 6150, 50],  # posted in October to September
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")
    assert str(export.entries["month"].iloc[0]) == "2026-09"


def test_total_rows_are_left_out_with_a_warning_and_checked():
    rows = [
        *POSTINGS,
        [None, "Total 6150", None, None, None, 1000.25],
        [],
        [None, None, None, None, "Grand total", 9999.99],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")
    assert errors(export) == []
    assert export.total == 8500.35  # the postings only
    found = warnings(export)
    assert "Rows 6 and 8 are total rows" in found[0].message
    # The last total, 9999.99, disagrees with the postings, 8500.35.
    assert found[1].row == 8
    assert "9,999.99" in found[1].message and "8,500.35" in found[1].message


def test_a_posting_whose_description_starts_with_total_is_kept():
    rows = [HEADER, [date(2026, 10, 1), 6150, "", "", "Total care renewal", 10]]
    export = read_gl_export(xlsx(rows), "gl.xlsx")
    assert export.total == 10
    assert warnings(export) == []


def test_blank_rows_are_dropped_and_rows_without_amount_warned():
    rows = [
        HEADER,
        [date(2026, 10, 1), 6150, "", "", "a", 10],
        [],
        ["   ", None, "", None, None, None],
        [date(2026, 10, 2), 6150, "", "", "no amount", None],
        [date(2026, 10, 3), 6150, "", "", "b", 5],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")
    assert export.entries["row"].tolist() == [2, 6]
    assert export.total == 15
    (found,) = warnings(export)
    assert found.row == 5 and "no amount" in found.message


def test_bad_cells_are_named_by_row_and_column():
    rows = [
        HEADER,
        [date(2026, 10, 1), 6150, "", "", "", "TBD"],
        [date(2026, 10, 2), None, "", "", "", 10],
        ["someday", 6150, "", "", "", 10],
        [date(2026, 10, 4), 6150, "", "", "", "12%"],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")
    assert export.entries.empty
    places = {(i.row, i.column) for i in errors(export)}
    assert places == {
        (2, "Amount (F)"),
        (3, "Account (B)"),
        (4, "Posting date (A)"),
        (5, "Amount (F)"),
    }
    messages = {i.row: i.message for i in errors(export)}
    assert "'TBD', not a number" in messages[2]
    assert "percentage" in messages[5]
    assert all(i.sheet == "GL detail" for i in errors(export))


def test_many_bad_cells_are_counted_after_the_first_ones():
    rows = [HEADER] + [[date(2026, 10, 1), 6150, "", "", "", "n/a"]] * 30
    export = read_gl_export(xlsx(rows), "gl.xlsx")
    found = errors(export)
    assert len(found) == 21
    assert "10 more cells in column Amount (F)" in found[-1].message


def test_only_a_debit_column_is_an_error():
    rows = [["Date", "Account", "Debit"], ["2026-10-01", "6150", "10"]]
    export = read_gl_export(csv_bytes(rows), "gl.csv")
    (found,) = errors(export)
    assert "no Credit column" in found.message


def test_a_workbook_without_a_gl_sheet_is_not_recognised():
    export = read_gl_export(xlsx([["Item", "Amount"], ["Laptops", 10]]), "x.xlsx")
    assert not export.recognised
    assert "No sheet holds a GL export" in errors(export)[-1].message


def test_the_gl_sheet_is_found_after_other_sheets():
    data = xlsx(POSTINGS, extra_sheets=[("Notes", [["Exported by SAP"]])])
    export = read_gl_export(data, "gl.xlsx")
    assert export.sheet == "GL detail" and export.total == 8500.35


def test_months_without_postings_are_warned_and_counted():
    rows = [
        ["Period", "Account", "Amount"],
        [202601, 6150, 10],
        [202604, 6150, 20],
    ]
    export = read_gl_export(xlsx(rows), "gl.xlsx")
    assert len(export.months) == 4  # January to April
    (found,) = warnings(export)
    assert "2026-02 and 2026-03" in found.message


def test_bytes_that_are_not_an_export_give_issues_not_tracebacks():
    for data in (b"", b"\x89PNG\r\n\x1a\n...", b"PK\x03\x04broken", b"a,b\n1,2\n"):
        export = read_gl_export(data, "x")
        assert errors(export)
        assert export.entries.empty


# --- the vectorised money rules agree with the cell reader ----------------------

money_text = st.one_of(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2).map(str),
    st.integers(-(10**9), 10**9).map(lambda n: f"{n:,}"),
    st.sampled_from(
        [
            "$1,234.50",
            "(1,200)",
            "1.234,56",
            "12%",
            "-",
            "TBD",
            "1.500",
            "0,40",
            "1 234",
            "€5",
            "12.5",
            "-.5",
            "1e3",
            "1,5",
            "007",
        ]
    ),
    st.text(alphabet="0123456789.,-$() %", min_size=1, max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(money_text, min_size=1, max_size=8),
    decimal=st.sampled_from([None, ".", ","]),
    mixed=st.booleans(),
)
def test_vectorised_money_agrees_with_read_money(texts, decimal, mixed):
    conventions = Conventions(decimal=decimal, mixed_decimals=mixed and not decimal)
    column = np.empty(len(texts), dtype=object)
    column[:] = texts
    values, problems = _money(_Cells.of(column), conventions)
    for text, value, problem in zip(texts, values, problems, strict=True):
        if is_blank(text):  # the reader never reads a blank cell as a number
            assert value == 0 and pd.isna(problem)
            continue
        try:
            expected = read_money(text, conventions=conventions).value
        except CellError as found:
            assert problem == str(found)
        else:
            assert pd.isna(problem)
            assert value == expected


# --- random tables: every problem is an issue, never a bug -----------------------

junk_cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
    st.sampled_from(
        [
            "",
            " ",
            "Total",
            "Subtotal 6150",
            "202613",
            "2026-10",
            "(1,200)",
            "TBD",
            "$1,234.50",
            "1.234,56",
            "12%",
            "03/04/2026",
            "6150 Cloud",
            "-",
            "\u200b",
        ]
    ),
    # Text openpyxl can write: no control characters.
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
)
extra_headers = st.lists(
    st.sampled_from(
        [
            "Posting date",
            "Period",
            "Account name",
            "Cost centre",
            "Vendor",
            "Description",
            "Amount",
            "Debit",
            "Credit",
            "Notes",
        ]
    ),
    max_size=5,
    unique=True,
)
# Mostly headers that make a GL export, so that the rows below are read.
gl_header = st.one_of(
    st.tuples(
        st.sampled_from([["Posting date"], ["Period"]]),
        st.sampled_from([["Amount"], ["Debit", "Credit"]]),
        extra_headers,
    )
    .map(
        lambda parts: list(dict.fromkeys(["Account", *parts[0], *parts[1], *parts[2]]))
    )
    .flatmap(st.permutations),
    extra_headers.filter(bool),
)


@settings(max_examples=150, deadline=None)
@given(
    header=gl_header,
    rows=st.lists(st.lists(junk_cell, max_size=9), max_size=12),
    as_csv=st.booleans(),
)
def test_random_tables_give_issues_never_a_program_error(header, rows, as_csv):
    if as_csv:
        text_rows = [header, *[["" if c is None else str(c) for c in r] for r in rows]]
        data = csv_bytes(text_rows)
    else:
        data = xlsx([header, *rows])
    export = read_gl_export(data, "fuzz.xlsx")
    event("recognised" if export.recognised else "not GL")
    event("read" if not export.has_errors else "errors")
    assert not any("problem in this program" in i.message for i in export.issues)
    if export.has_errors:
        assert export.entries.empty
    else:
        assert export.total_cents == export.entries["cents"].sum()
