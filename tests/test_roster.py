"""HR rosters: one row per person, counted into headcount per quarter."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.ingest import read_upload
from cpsu.ingest.issues import Severity
from cpsu.ingest.roster import read_roster
from cpsu.ingest.table import Table
from cpsu.scenario import HeadcountRow
from tests.ingest_fixtures import SERVICE_DESK_ROWS, errors_of, xlsx_bytes

HEADER = ["Employee ID", "Name", "Worker type", "Start date", "End date"]


def table(people: list[list[object]], *, title: bool = False) -> Table:
    rows = ([["HR export, run 2027-06-30"], []] if title else []) + [HEADER, *people]
    return Table("Roster", tuple((n + 1, tuple(cells)) for n, cells in enumerate(rows)))


def forty_people() -> list[list[object]]:
    """40 people over 2026-Q1 to 2027-Q2, in groups whose counts are checked by hand."""
    people: list[list[object]] = []
    # 25 employees here since before 2026 and still here.
    for n in range(25):
        kind = ("Employee", "Full-time", "Permanent")[n % 3]
        people.append([f"E{n:03}", f"Person {n}", kind, date(2024, 1, 15), None])
    # 5 hires, one in each of 2026-Q1 to Q4 and 2027-Q2.
    for n, start in enumerate(
        [
            date(2026, 2, 10),
            date(2026, 5, 1),
            date(2026, 8, 20),
            datetime(2026, 11, 3),
            "2027-04-01",
        ]
    ):
        people.append([f"H{n}", f"Hire {n}", "Employee", start, None])
    # 4 leavers; one leaving on a quarter's last day is counted on it.
    for n, end in enumerate(
        [date(2026, 3, 31), date(2026, 6, 15), date(2026, 12, 31), date(2027, 2, 28)]
    ):
        people.append([f"L{n}", f"Leaver {n}", "Employee", date(2023, 6, 1), end])
    # 6 contingent workers under five names for them.
    people += [
        ["C1", "Contractor 1", "Contractor", date(2025, 9, 1), None],
        ["C2", "Temp 2", "Temp", date(2026, 1, 5), date(2026, 6, 30)],
        ["C3", "Consultant 3", "Consultant", date(2026, 7, 1), date(2027, 1, 31)],
        ["C4", "Intern 4", "Intern", date(2026, 6, 1), date(2026, 8, 31)],
        ["C5", "Contingent 5", "Contingent", date(2026, 10, 1), None],
        ["C6", "Agency 6", "agency", "2027-05-01", None],
    ]
    assert len(people) == 40
    return people


def test_forty_people_over_six_quarters_counted_on_each_quarters_last_day():
    headcount, issues = read_roster(
        table(forty_people(), title=True), pd.Period("2026Q1", freq="Q"), 6
    )
    # Employee: E000, E003 .. E024 (9), the 5 hires and the 4 leavers = 18;
    # Full-time and Permanent: 8 each of the other 16 long-standing.
    assert [issue.message for issue in issues] == [
        "The worker types were read as employees: Employee (18 rows), Full-time "
        "(8 rows) and Permanent (8 rows); as contingent workers: agency (1 row), "
        "Consultant (1 row), Contingent (1 row), Contractor (1 row), Intern (1 row) "
        "and Temp (1 row). Contingent workers (contractors, temps, interns, "
        "fixed-term staff) are counted apart from employees; if a type is read the "
        "wrong way, write Employee or Contractor in its rows."
    ]
    # Employees: 25 long-standing + hires so far + leavers still on the books.
    #   2026-Q1: 25 + 1 + 4 (L0 leaves on 03-31, its last day) = 30
    #   2026-Q2: 25 + 2 + 2 (L0, L1 gone)                       = 29
    #   2026-Q3: 25 + 3 + 2                                     = 30
    #   2026-Q4: 25 + 4 + 2 (L2 leaves on 12-31)                = 31
    #   2027-Q1: 25 + 4 + 0 (L2, L3 gone)                       = 29
    #   2027-Q2: 25 + 5 + 0                                     = 30
    # Contingent on the last day:
    #   2026-Q1: C1 C2 = 2; Q2: C1 C2 (ends 06-30) C4 = 3; Q3: C1 C3 = 2;
    #   Q4: C1 C3 C5 = 3; 2027-Q1: C1 C5 = 2 (C3 gone 01-31); Q2: C1 C5 C6 = 3.
    assert headcount.rows == (
        HeadcountRow("2026-Q1", 30, 2),
        HeadcountRow("2026-Q2", 29, 3),
        HeadcountRow("2026-Q3", 30, 2),
        HeadcountRow("2026-Q4", 31, 3),
        HeadcountRow("2027-Q1", 29, 2),
        HeadcountRow("2027-Q2", 30, 3),
    )


def test_quarters_past_the_latest_start_are_left_out_with_a_warning():
    headcount, issues = read_roster(
        table(forty_people()), pd.Period("2026Q3", freq="Q"), 8
    )
    assert [row.quarter for row in headcount.rows] == [
        "2026-Q3",
        "2026-Q4",
        "2027-Q1",
        "2027-Q2",
    ]
    types, issue = issues
    assert types.message.startswith("The worker types were read as employees")
    assert issue.message.startswith(
        "The roster's latest start date is in 2027-Q2, so headcount is given for "
        "2026-Q3 to 2027-Q2 (4 quarters), not the 8 asked for"
    )


def test_without_a_baseline_the_quarter_of_the_latest_start_is_used_and_said():
    headcount, issues = read_roster(table(forty_people()), None, 1)
    assert headcount.rows == (HeadcountRow("2027-Q2", 30, 3),)
    types, issue = issues
    assert types.message.startswith("The worker types were read as employees")
    assert issue.severity is Severity.WARNING
    # C6 starts on 2027-05-01, the 40th person, in row 41 under the header.
    assert (issue.row, issue.column) == (41, "Start date (D)")
    assert issue.message.startswith(
        "The roster's baseline is 2027-Q2, the quarter of its latest start date "
        "(2027-05-01, row 41)"
    )


def test_a_headcount_sheet_that_is_a_roster_gives_the_workbook_its_headcount():
    costs = [
        ["Item", "Pool", "Behaviour", "Amount"],
        ["ITSM", "Support tools", "Fixed", 100],
    ]
    data = xlsx_bytes(
        {
            "Costs": costs,
            "Headcount": [HEADER, *forty_people()],
            "Service desk": SERVICE_DESK_ROWS,
        }
    )
    upload = read_upload(data, "hr.xlsx")
    assert not upload.has_errors, upload.issues
    assert upload.headcount.rows == (HeadcountRow("2027-Q2", 30, 3),)
    assert any("baseline is 2027-Q2" in issue.message for issue in upload.issues)


@pytest.mark.parametrize(
    ("person", "column", "words"),
    [
        (
            ["X1", "A", "Employee", date(2026, 5, 1), date(2026, 4, 1)],
            "End date (E)",
            "is 2026-04-01, before the start date 2026-05-01",
        ),
        (
            ["X1", "A", "Volunteer", date(2026, 5, 1), None],
            "Worker type (C)",
            "'Volunteer', which is not a worker type",
        ),
        (
            ["X1", "A", "Employee", "03/04/2026", None],
            "Start date (D)",
            "could be 2026-04-03 (day first) or 2026-03-04 (month first)",
        ),
        (
            ["X1", "A", "Employee", 202606, None],
            "Start date (D)",
            "is 202606, which looks like a fiscal period (year 2026, period 06), "
            "not a date",
        ),
        (
            ["X1", "A", "Employee", 202606.0, None],
            "Start date (D)",
            "is 202606, which looks like a fiscal period",
        ),
        (
            ["X1", "A", "Employee", "202606", None],
            "Start date (D)",
            "looks like a fiscal period",
        ),
        (
            ["X1", "A", "Employee", date(2026, 5, 1), "202612"],
            "End date (E)",
            "looks like a fiscal period",
        ),
        (
            ["X1", "A", "Employee", None, None],
            "Start date (D)",
            "is empty",
        ),
    ],
)
def test_a_row_that_cannot_be_counted_is_an_error_naming_its_row_and_column(
    person, column, words
):
    people = [["E1", "B", "Employee", date(2025, 1, 1), None], person]
    headcount, issues = read_roster(table(people), None, 1)
    assert headcount is None
    (issue,) = [issue for issue in issues if issue.severity is Severity.ERROR]
    assert (issue.sheet, issue.row, issue.column) == ("Roster", 3, column)
    assert words in issue.message


def test_a_repeated_id_is_an_error_naming_both_rows():
    people = [
        ["E1", "Ann", "Employee", date(2025, 1, 1), None],
        ["E2", "Bob", "Employee", date(2025, 1, 1), None],
        ["e1", "Ann again", "Contractor", date(2025, 2, 1), None],
    ]
    headcount, issues = read_roster(table(people), None, 1)
    assert headcount is None
    (issue,) = issues
    assert (issue.row, issue.column) == (4, "Employee ID (A)")
    assert "is e1, which is also the ID in row 2" in issue.message


def test_a_roster_of_names_only_warns_about_a_repeated_name_and_counts_both():
    rows = [
        ["Name", "Employment type", "Hire date", "Termination date"],
        ["Ann Lee", "Regular", date(2025, 1, 1), None],
        ["Ann Lee", "Regular", date(2025, 3, 1), None],
    ]
    roster = Table("HR", tuple((n + 1, tuple(r)) for n, r in enumerate(rows)))
    headcount, issues = read_roster(roster, None, 1)
    assert headcount.rows == (HeadcountRow("2025-Q1", 2, 0),)
    assert any(
        "also the name in row 2" in issue.message and issue.row == 3 for issue in issues
    )


_CELL = st.one_of(
    st.none(),
    st.text(max_size=10),
    st.integers(-10, 300000),
    st.dates(date(1900, 1, 1), date(2200, 1, 1)),
    st.sampled_from(["Employee", "Temp", "2026-13-01", "31/12/2026", "202606", "Q3"]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=0, max_size=6), max_size=15))
def test_random_rosters_never_raise_and_count_only_readable_rows(rows):
    headcount, issues = read_roster(table(rows), None, 4)
    assert headcount is not None or any(
        issue.severity is Severity.ERROR for issue in issues
    )
    if headcount is not None:
        assert all(
            row.employees + row.contingent <= len(rows) for row in headcount.rows
        )
        assert not [i for i in issues if i.severity is Severity.ERROR]


def test_a_canonical_headcount_sheet_is_not_read_as_a_roster():
    data = xlsx_bytes(
        {
            "Costs": [
                ["Item", "Pool", "Behaviour", "Amount"],
                ["A", "Other", "Fixed", 1],
            ],
            "Headcount": [["Quarter", "Employees"], ["2026-Q4", 10]],
            "Service desk": SERVICE_DESK_ROWS,
        }
    )
    upload = read_upload(data, "a.xlsx")
    assert not errors_of(upload)
    assert upload.headcount.rows == (HeadcountRow("2026-Q4", 10, 0),)


# Cells openpyxl can write: no control characters.
_SHEET_CELL = st.one_of(
    _CELL.filter(lambda cell: not isinstance(cell, str)),
    st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=10),
    st.sampled_from(["Employee", "Temp", "2026-13-01", "31/12/2026", "202606"]),
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.lists(_SHEET_CELL, min_size=0, max_size=5), max_size=10),
    blank_gap=st.integers(0, 8),
    merges=st.lists(
        st.tuples(st.integers(2, 12), st.integers(1, 3), st.integers(1, 5)),
        max_size=3,
    ),
)
def test_random_roster_sheets_in_a_workbook_never_escape_as_anything_but_issues(
    rows, blank_gap, merges
):
    import io

    from openpyxl import load_workbook

    people = [["E1", "Ann", "Employee", date(2026, 1, 5), None], *[[]] * blank_gap]
    costs = [["Item", "Pool", "Behaviour", "Amount"], ["A", "Other", "Fixed", 1]]
    data = xlsx_bytes(
        {
            "Costs": costs,
            "Headcount": [HEADER, *people, *rows],
            "Service desk": SERVICE_DESK_ROWS,
        }
    )
    book = load_workbook(io.BytesIO(data))
    for top, height, column in merges:
        book["Headcount"].merge_cells(
            start_row=top, start_column=column, end_row=top + height, end_column=column
        )
    buffer = io.BytesIO()
    book.save(buffer)

    upload = read_upload(buffer.getvalue(), "hr.xlsx")
    assert not any(
        "problem in this program" in issue.message for issue in upload.issues
    )
    if upload.headcount is None:
        assert upload.has_errors
    else:
        assert upload.headcount.rows[0].employees + upload.headcount.rows[0].contingent


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Employee", "employee"),
        ("Regular Full-Time", "employee"),
        ("PERMANENT - salaried", "employee"),
        ("Contractor - Agency", "contingent"),
        ("Temporary worker", "contingent"),
        ("Summer intern", "contingent"),
        ("1099", "contingent"),
    ],
)
def test_worker_types_by_their_words(word, kind):
    from cpsu.ingest.vocabulary import read_worker_type

    assert read_worker_type(word) == kind


@pytest.mark.parametrize(
    ("word", "words"),
    [
        ("Contract employee", "both an employee and a contingent worker"),
        ("Volunteer", "not a worker type"),
        ("Internal transfer", "not a worker type"),
        ("Attempted", "not a worker type"),
    ],
)
def test_worker_types_that_are_not_guessed(word, words):
    from cpsu.ingest.cells import CellError
    from cpsu.ingest.vocabulary import read_worker_type

    with pytest.raises(CellError, match=words):
        read_worker_type(word)
