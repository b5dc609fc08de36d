"""Text dates with the year last (20.06.2022, 01/31/2023): the file decides.

A date such as 03/04/2026 cannot say on its own which number is the day.
A file whose dates include one that can (a number above 12 first, or
second) settles the order for all of its dates; a file that shows neither,
or both, leaves each such date an error that names where it is and what to
write. Every reader of text dates follows the rule: rosters, GL exports and
the In service column of cost lines.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ingest_fixtures import COST_HEADER, cost_row, csv_bytes

from cpsu.ingest import read_upload
from cpsu.ingest.cells import CellError, DateOrder, read_date
from cpsu.ingest.conventions import DateCell, decide_date_order
from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.roster_upload import read_roster_upload

DAY_FIRST = DateOrder(True, "'20.06.2022' in row 2, column Start date (C)")
MONTH_FIRST = DateOrder(False, "'01/31/2023' in row 2, column Start date (C)")


def cells(*texts: str) -> list[DateCell]:
    return [
        DateCell(text, "People", row, "Start date (C)")
        for row, text in enumerate(texts, start=2)
    ]


# --- one cell --------------------------------------------------------------------


def test_a_date_is_read_by_the_files_order():
    assert read_date("03.04.2026", order=DAY_FIRST) == date(2026, 4, 3)
    assert read_date("03/04/2026", order=MONTH_FIRST) == date(2026, 3, 4)
    assert read_date("20-06-2022", order=DAY_FIRST) == date(2022, 6, 20)


def test_a_date_that_reads_one_way_only_needs_no_order():
    assert read_date("31/01/2023") == date(2023, 1, 31)
    assert read_date("01/31/2023") == date(2023, 1, 31)
    assert read_date("05.05.2026") == date(2026, 5, 5)  # the same both ways


def test_a_date_against_the_files_order_is_an_error():
    with pytest.raises(CellError) as found:
        read_date("06/20/2022", order=DAY_FIRST)
    assert str(found.value) == (
        "is '06/20/2022', which is not a date with the day first, as this file "
        "writes dates (like '20.06.2022' in row 2, column Start date (C)); write it "
        "as year-month-day (ISO), like 2027-03-01"
    )


def test_an_ambiguous_date_without_an_order_is_an_error():
    with pytest.raises(CellError) as found:
        read_date("03/04/2026")
    assert str(found.value) == (
        "is '03/04/2026', which could be 2026-04-03 (day first) or 2026-03-04 "
        "(month first), and no date in this file has a day above 12 to show which "
        "comes first; choose whether the file's dates are day or month first, or "
        "write it as year-month-day (ISO)"
    )


def test_a_two_digit_year_is_still_refused():
    with pytest.raises(CellError, match="two-digit year"):
        read_date("20.06.22", order=DAY_FIRST)


# --- the file's decision ---------------------------------------------------------


def test_a_day_above_12_first_settles_day_first_and_names_what_it_decided():
    order, issues = decide_date_order(cells("20.06.2022", "03.04.2026", "05.05.2026"))
    assert order.day_first is True
    assert order.example == "'20.06.2022' in row 2, column Start date (C)"
    # 05.05.2026 reads the same both ways, so only 03.04.2026 is listed.
    (issue,) = issues
    assert (issue.sheet, issue.row, issue.column) == ("People", 3, "Start date (C)")
    assert issue.message == (
        "Text dates were read day first, as this file writes them (like "
        "'20.06.2022' in row 2, column Start date (C)): '03.04.2026' (row 3, column "
        "Start date (C)) as 2026-04-03, not 2026-03-04. Write any that means "
        "otherwise as year-month-day (ISO), like 2027-03-01."
    )


def test_a_month_above_12_second_settles_month_first():
    order, issues = decide_date_order(cells("01/31/2023", "03/04/2026"))
    assert order.day_first is False
    assert "read month first" in issues[0].message
    assert read_date("03/04/2026", order=order) == date(2026, 3, 4)


def test_a_file_with_both_orders_settles_nothing():
    order, issues = decide_date_order(cells("31/01/2023", "01/31/2023", "03/04/2026"))
    assert (order.day_first, issues) == (None, [])
    assert order.conflict == (
        "'31/01/2023' in row 2, column Start date (C) is day first, '01/31/2023' in "
        "row 3, column Start date (C) month first"
    )
    with pytest.raises(CellError, match="this file writes dates both ways"):
        read_date("03/04/2026", order=order)
    assert read_date("31/01/2023", order=order) == date(2023, 1, 31)


@given(
    st.lists(
        st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([".", "/", "-"]),
    st.booleans(),
)
def test_a_settled_file_reads_every_date_as_written(days, mark, day_first):
    # One date that only one order reads, the 13th of a month, settles the file.
    days = [date(2025, 7, 13), *days]
    texts = [
        f"{d.day:02d}{mark}{d.month:02d}{mark}{d.year}"
        if day_first
        else f"{d.month:02d}{mark}{d.day:02d}{mark}{d.year}"
        for d in days
    ]
    order, _ = decide_date_order(cells(*texts))
    assert order.day_first is day_first
    assert [read_date(text, order=order) for text in texts] == days


# --- rosters ---------------------------------------------------------------------

HEADER = ["Employee ID", "Worker type", "Start date", "End date"]


def test_a_day_first_roster_is_counted():
    rows = [
        HEADER,
        ["E1", "Employee", "20.06.2022", ""],
        ["E2", "Employee", "03.04.2026", ""],  # 3 April, as the file writes dates
        ["C1", "Contractor", "01.02.2026", "31.12.2026"],
        ["E3", "Employee", "15.01.2024", "30.06.2026"],
    ]
    roster = read_roster_upload(csv_bytes(rows), "people.csv", pd.Period("2026Q2"))
    assert not roster.has_errors, roster.issues
    # On 2026-06-30: E1, E2 (from 3 April) and E3 (leaving that day) employed,
    # C1 contracting. Read month first, E2 would have started on 4 March: the
    # same count, but 03.04 read day first is the file's own way.
    (row,) = roster.headcount.rows
    assert (row.employees, row.contingent) == (3, 1)
    (warning,) = [i for i in roster.issues if i.message.startswith("Text dates")]
    assert warning.message.startswith(
        "Text dates were read day first, as this file writes them (like "
        "'20.06.2022' in row 2, column Start date (C)): '03.04.2026' (row 3, column "
        "Start date (C)) as 2026-04-03, not 2026-03-04; '01.02.2026' (row 4, column "
        "Start date (C)) as 2026-02-01, not 2026-01-02"
    )


def test_day_first_changes_who_is_counted():
    rows = [
        HEADER,
        ["E1", "Employee", "25/12/2020", ""],  # settles day first
        ["E2", "Employee", "01/01/2021", "10/06/2026"],
    ]
    roster = read_roster_upload(csv_bytes(rows), "people.csv", pd.Period("2026Q2"))
    # 10/06/2026 is 10 June day first, so E2 has left by 30 June: 1 employee.
    # Read month first (6 October) E2 would still be counted: 2.
    (row,) = roster.headcount.rows
    assert (row.employees, row.contingent) == (1, 0)


def test_a_roster_of_ambiguous_dates_names_each_one():
    rows = [
        HEADER,
        ["E1", "Employee", "03/04/2026", ""],
        ["E2", "Employee", "2026-05-06", "05/06/2026"],
    ]
    roster = read_roster_upload(csv_bytes(rows), "people.csv", None)
    assert roster.recognised and roster.headcount is None
    found = [(i.sheet, i.row, i.column, i.message) for i in roster.issues]
    assert found == [
        (
            "people.csv",
            2,
            "Start date (C)",
            "Start date (C) is '03/04/2026', which could be 2026-04-03 (day first) "
            "or 2026-03-04 (month first), and no date in this file has a day above "
            "12 to show which comes first; choose whether the file's dates are day "
            "or month first, or write it as year-month-day (ISO).",
        ),
        (
            "people.csv",
            3,
            "End date (D)",
            "End date (D) is '05/06/2026', which could be 2026-06-05 (day first) or "
            "2026-05-06 (month first), and no date in this file has a day above 12 "
            "to show which comes first; choose whether the file's dates are day or "
            "month first, or write it as year-month-day (ISO).",
        ),
    ]


# --- GL exports ------------------------------------------------------------------

GL_HEADER = ["Posting date", "Account", "Vendor", "Amount"]


def test_a_day_first_gl_export_puts_each_posting_in_its_month():
    rows = [
        GL_HEADER,
        ["31/01/2026", "6110", "Microsoft", "100.00"],
        ["05/02/2026", "6110", "Microsoft", "200.00"],  # 5 February
        ["03/03/2026", "6110", "Microsoft", "300.00"],  # the same both ways
    ]
    export = read_gl_export(csv_bytes(rows), "gl.csv")
    assert not export.has_errors, export.issues
    # Month first, 05/02 would be 2 May and the export would run to May.
    assert [str(m) for m in export.entries["month"]] == [
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    assert len(export.months) == 3  # Jan to Mar: 600.00 over 3 months
    (warning,) = [i for i in export.issues if i.message.startswith("Text dates")]
    assert warning.message == (
        "Text dates were read day first, as this file writes them (like "
        "'31/01/2026' in row 2, column Posting date (A)): '05/02/2026' (row 3, "
        "column Posting date (A)) as 2026-02-05, not 2026-05-02. Write any that "
        "means otherwise as year-month-day (ISO), like 2027-03-01."
    )


def test_a_month_first_gl_export_too():
    rows = [
        GL_HEADER,
        ["01/31/2026", "6110", "Microsoft", "100.00"],
        ["02/05/2026", "6110", "Microsoft", "200.00"],  # February 5
    ]
    export = read_gl_export(csv_bytes(rows), "gl.csv")
    assert not export.has_errors
    assert [str(m) for m in export.entries["month"]] == ["2026-01", "2026-02"]


def test_a_gl_export_with_times_of_day_is_read_by_its_dates():
    rows = [
        GL_HEADER,
        ["31/01/2026 14:05", "6110", "Microsoft", "100.00"],
        ["05/02/2026 09:00:00", "6110", "Microsoft", "200.00"],  # 5 February
        ["1/3/2026 4:30 PM", "6110", "Microsoft", "300.00"],  # 1 March
    ]
    export = read_gl_export(csv_bytes(rows), "gl.csv")
    assert not export.has_errors, export.issues
    assert [str(m) for m in export.entries["month"]] == [
        "2026-01",
        "2026-02",
        "2026-03",
    ]


def test_a_gl_export_of_ambiguous_dates_is_refused_cell_by_cell():
    rows = [
        GL_HEADER,
        ["02/01/2026", "6110", "Microsoft", "100.00"],
        ["02/01/2026", "6110", "Microsoft", "100.00"],
        ["05/02/2026", "6110", "Microsoft", "200.00"],
    ]
    export = read_gl_export(csv_bytes(rows), "gl.csv")
    assert export.entries.empty
    assert [(i.row, i.column) for i in export.issues] == [
        (2, "Posting date (A)"),
        (3, "Posting date (A)"),
        (4, "Posting date (A)"),
    ]
    assert export.issues[2].message == (
        "Posting date (A) is '05/02/2026', which could be 2026-02-05 (day first) or "
        "2026-05-02 (month first), and no date in this file has a day above 12 to "
        "show which comes first; choose whether the file's dates are day or month "
        "first, or write it as year-month-day (ISO)."
    )


# --- cost lines ------------------------------------------------------------------


def test_in_service_dates_follow_the_sheets_order():
    rows = [
        COST_HEADER,
        cost_row(
            "Laptops",
            "Desktop support",
            "Depreciation",
            amount=36000,
            life_months=36,
            in_service="15/01/2027",
        ),
        cost_row(
            "Docks",
            "Desktop support",
            "Depreciation",
            amount=3600,
            life_months=36,
            in_service="01/03/2027",  # 1 March, as the sheet writes dates
        ),
    ]
    upload = read_upload(csv_bytes(rows), "costs.csv")
    assert not upload.has_errors, upload.issues
    assert [line.in_service for line in upload.cost_base.lines] == [
        date(2027, 1, 15),
        date(2027, 3, 1),
    ]
    assert any(
        issue.message.startswith("Text dates were read day first")
        and issue.row == 3
        and issue.column == "In service (L)"
        for issue in upload.issues
    )


YEAR_LAST_TEXT = st.one_of(
    st.text(alphabet="0123456789/.-", max_size=12),
    st.builds(
        "{:02d}{}{:02d}{}{}".format,
        st.integers(0, 40),
        st.sampled_from("/.-"),
        st.integers(0, 40),
        st.sampled_from("/.-"),
        st.integers(1975, 2210),
    ),
)


@given(st.lists(YEAR_LAST_TEXT, max_size=20))
def test_a_date_is_read_without_an_order_only_when_both_orders_agree(texts):
    order, issues = decide_date_order(cells(*texts))
    assert len(issues) <= 1
    if order.day_first is not None:
        return
    for text in texts:
        try:
            found = read_date(text, order=order)
        except CellError:
            continue
        readings = set()
        for day_first in (True, False):
            try:
                readings.add(read_date(text, order=DateOrder(day_first)))
            except CellError:
                continue
        # Never a guess: the date read is the only date the text can be.
        assert readings == {found}
