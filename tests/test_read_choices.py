"""What the user says when the file cannot: the day-month order of its text
dates and the period of a cost list's amounts (`cpsu.ingest.choices`).

A file refused only because it leaves one of these open marks each error
with the choice that settles it; read again with the choice, it is read by
it, and a warning says so. The same bytes with the same choices always read
the same.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from ingest_fixtures import COST_HEADER, cost_row, csv_bytes, xlsx_bytes

from cpsu.costs import Period
from cpsu.ingest import read_upload
from cpsu.ingest.choices import DATES, PERIOD, ReadChoices, choices_asked
from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.issues import Severity
from cpsu.ingest.roster_upload import read_roster_upload

DAY_FIRST = ReadChoices(day_first=True)
MONTH_FIRST = ReadChoices(day_first=False)

ROSTER = [
    ["Employee ID", "Worker type", "Start date", "End date"],
    ["E1", "Employee", "2025-01-15", ""],
    ["E2", "Employee", "03/04/2026", ""],  # 3 April or 4 March
    ["E3", "Contractor", "05/02/2026", ""],  # 5 February or 2 May
]


def test_a_roster_of_open_dates_asks_for_their_order():
    roster = read_roster_upload(csv_bytes(ROSTER), "people.csv", pd.Period("2026Q1"))
    assert roster.headcount is None
    assert [(i.row, i.choice) for i in roster.issues] == [(3, DATES), (4, DATES)]
    assert choices_asked(roster.issues) == {DATES}


def test_a_roster_is_counted_by_the_chosen_order():
    # Counted on 31 March 2026. Day first: E2 starts 3 April (not yet), E3 5
    # February: 1 employee, 1 contingent. Month first: E2 starts 4 March, E3 2
    # May (not yet): 2 employees, 0 contingent.
    data = csv_bytes(ROSTER)
    day = read_roster_upload(data, "people.csv", pd.Period("2026Q1"), DAY_FIRST)
    month = read_roster_upload(data, "people.csv", pd.Period("2026Q1"), MONTH_FIRST)
    assert not day.has_errors and not month.has_errors
    (row,) = day.headcount.rows
    assert (row.employees, row.contingent) == (1, 1)
    (row,) = month.headcount.rows
    assert (row.employees, row.contingent) == (2, 0)
    (said,) = [i for i in day.issues if "as you chose" in i.message]
    assert said.severity is Severity.WARNING
    assert said.message == (
        "Text dates were read day first, as you chose: '03/04/2026' (row 3, column "
        "Start date (C)) as 2026-04-03, not 2026-03-04; '05/02/2026' (row 4, column "
        "Start date (C)) as 2026-02-05, not 2026-05-02. Write any that means "
        "otherwise as year-month-day (ISO), like 2027-03-01."
    )


GL = [
    ["Posting date", "Account", "Vendor", "Amount"],
    ["03/04/2026", "6150", "Microsoft", "1,000.00"],
    ["05/04/2026", "6150", "Microsoft", "1,000.00"],
    ["04/04/2026", "6320", "ServiceNow", "250.50"],
]


def test_a_gl_export_is_read_by_the_chosen_order():
    data = xlsx_bytes({"GL detail": GL})
    refused = read_gl_export(data, "gl.xlsx")
    assert refused.entries.empty
    assert choices_asked(refused.issues) == {DATES}
    day = read_gl_export(data, "gl.xlsx", choices=DAY_FIRST)
    month = read_gl_export(data, "gl.xlsx", choices=MONTH_FIRST)
    # day first every posting is in April 2026; month first in March, May and
    # April; the total is the same: 1,000 + 1,000 + 250.50 = 2,250.50
    assert [str(m) for m in day.entries["month"]] == ["2026-04"] * 3
    assert [str(m) for m in month.entries["month"]] == [
        "2026-03",
        "2026-05",
        "2026-04",
    ]
    assert day.total == month.total == 2250.50
    assert any("read month first, as you chose" in i.message for i in month.issues)


def test_a_date_the_chosen_order_cannot_read_is_an_error_naming_it():
    rows = [*GL, ["13/04/2026", "6150", "Dell", "10"]]  # only day first reads it
    export = read_gl_export(csv_bytes(rows), "gl.csv", choices=MONTH_FIRST)
    (found,) = [i for i in export.issues if i.severity is Severity.ERROR]
    assert (found.row, found.column, found.choice) == (5, "Posting date (A)", None)
    assert found.message == (
        "Posting date (A) is '13/04/2026', which is not a date with the month first, "
        "as you chose for this file; choose the other order if the file writes its "
        "dates so, or write it as year-month-day (ISO), like 2027-03-01."
    )
    # a file that settles its own order is read by the choice all the same
    assert not read_gl_export(csv_bytes(rows), "gl.csv", choices=DAY_FIRST).has_errors


def test_in_service_dates_follow_the_chosen_order():
    rows = [
        COST_HEADER,
        cost_row(
            "Laptops",
            "Desktop support",
            "Depreciation",
            amount=36000,
            life_months=36,
            in_service="01/03/2027",
        ),
    ]
    refused = read_upload(csv_bytes(rows), "costs.csv")
    assert choices_asked(refused.issues) == {DATES}
    upload = read_upload(csv_bytes(rows), "costs.csv", choices=MONTH_FIRST)
    assert not upload.has_errors, upload.issues
    assert upload.cost_base.lines[0].in_service == date(2027, 1, 3)


COST_LIST = [
    ["Item", "Cost"],
    ["Laptops", "1,200"],
    ["Licences", "600.00"],
]


def test_a_cost_list_without_a_period_asks_for_one():
    upload = read_upload(csv_bytes(COST_LIST), "budget.csv")
    (found,) = [i for i in upload.issues if i.severity is Severity.ERROR]
    assert found.message.startswith(
        "Say whether these amounts are a month, a quarter or a year"
    )
    assert found.choice == PERIOD
    assert choices_asked(upload.issues) == {PERIOD}


@pytest.mark.parametrize(
    ("period", "monthly"),
    [
        (Period.YEAR, [100.0, 50.0]),  # 1,200 / 12 and 600 / 12
        (Period.QUARTER, [400.0, 200.0]),  # 1,200 / 3 and 600 / 3
        (Period.MONTH, [1200.0, 600.0]),
    ],
)
def test_a_cost_list_is_read_by_the_chosen_period(period, monthly):
    upload = read_upload(
        csv_bytes(COST_LIST), "budget.csv", choices=ReadChoices(period=period)
    )
    assert not upload.has_errors, upload.issues
    assert [line.monthly_rate for line in upload.cost_base.lines] == monthly
    assert any(
        i.message
        == f"The amounts in Cost (B) were read as a {period.value.lower()}'s cost, "
        "as you chose."
        for i in upload.issues
    )


def test_a_header_that_says_its_period_wins_over_the_choice():
    rows = [["Item", "Annual cost"], ["Laptops", "1,200.00"]]
    upload = read_upload(
        csv_bytes(rows), "budget.csv", choices=ReadChoices(period=Period.MONTH)
    )
    assert upload.cost_base.lines[0].monthly_rate == 100.0  # 1,200 / 12
    assert any(
        "says the amounts are a year's; they were read so, not as the month you "
        "chose" in i.message
        for i in upload.issues
    )


def test_other_errors_ask_for_no_choice():
    rows = [*COST_LIST, ["Docks", "TBD"]]
    upload = read_upload(csv_bytes(rows), "budget.csv")
    assert upload.has_errors
    assert choices_asked(upload.issues) == frozenset()
    assert choices_asked(()) == frozenset()


def test_the_same_bytes_and_choices_read_the_same():
    data = xlsx_bytes({"GL detail": GL})
    first = read_gl_export(data, "gl.xlsx", choices=DAY_FIRST)
    again = read_gl_export(data, "gl.xlsx", choices=ReadChoices(day_first=True))
    assert first.issues == again.issues
    assert first.entries.equals(again.entries)
    list_data = csv_bytes(COST_LIST)
    yearly = ReadChoices(period=Period.YEAR)
    assert read_upload(list_data, "b.csv", choices=yearly) == read_upload(
        list_data, "b.csv", choices=yearly
    )
