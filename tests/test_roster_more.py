"""Rosters the tester's fourth round found miscounted or counted without a word:
late leavers, an as-of title, Active people with a past end date, a Workday
rehire, money columns, sheets named for a worker type, worker-type words."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
from ingest_fixtures import xlsx_bytes
from test_sniff import call

from cpsu.ingest import read_upload
from cpsu.ingest.issues import Severity
from cpsu.ingest.roster_upload import read_roster_upload

TODAY = date(2026, 12, 5)
HEADER = ["Employee ID", "Name", "Worker type", "Start date", "End date"]
LATE_LEAVERS = [
    HEADER,
    [1, "Ann", "Employee", date(2020, 1, 1), None],
    [2, "Bo", "Employee", date(2025, 6, 1), None],
    [3, "Cy", "Employee", date(2019, 1, 1), date(2026, 8, 31)],
    [4, "Di", "Employee", date(2019, 1, 1), date(2026, 11, 15)],
]


def roster(sheets, baseline=None, today=TODAY):
    found = read_roster_upload(xlsx_bytes(sheets), "people.xlsx", baseline, today=today)
    assert found.recognised and not found.has_errors, found.issues
    return found


def counts(found) -> list[tuple[str, int, int]]:
    return [
        (row.quarter, row.employees, row.contingent) for row in found.headcount.rows
    ]


def messages(found) -> list[str]:
    return [issue.message for issue in found.issues]


def test_leavers_after_the_latest_start_move_the_baseline_and_are_named():
    found = roster({"Roster": LATE_LEAVERS})
    # The latest start is 2025-06-01 (2025-Q2), but Di left on 2026-11-15, a
    # day before today: the roster knows 2026-Q4. On 2026-12-31 Ann and Bo
    # are here; Cy (gone 08-31) and Di (gone 11-15) are not: 2 employees.
    assert counts(found) == [("2026-Q4", 2, 0)]
    (said,) = found.issues
    assert (said.severity, said.row, said.column) == (
        Severity.WARNING,
        5,
        "End date (E)",
    )
    assert said.message == (
        "The roster's baseline is 2026-Q4, the quarter of the latest date it "
        "records, an end date (2026-11-15, row 5), later than its latest start "
        "date (2025-06-01, row 3); headcount is counted on the quarter's last "
        "day. 2 leavers after the latest start date are not counted, having left "
        "by then: Cy (ID 3, row 4, left 2026-08-31) and Di (ID 4, row 5, left "
        "2026-11-15)."
    )


def test_an_end_date_after_today_is_a_planned_leaving_that_does_not_move_it():
    found = roster({"Roster": LATE_LEAVERS}, today=date(2026, 10, 1))
    # On 2026-10-01 Di's 2026-11-15 is still to come; the latest past event is
    # Cy's 2026-08-31, so 2026-Q3. On 2026-09-30: Ann, Bo and Di = 3.
    assert counts(found) == [("2026-Q3", 3, 0)]
    assert messages(found)[-1].endswith(
        "1 leaver after the latest start date is not counted, having left by "
        "then: Cy (ID 3, row 4, left 2026-08-31)."
    )


def test_a_title_with_an_as_of_date_gives_the_quarter():
    rows = [["Headcount report as of 30 Nov 2026"], [], *LATE_LEAVERS[:4]]
    # Even with today in 2027, the report says when it was taken: 2026-Q4.
    # On 2026-12-31 Ann and Bo; Cy (row 6 now) left on 2026-08-31: 2.
    found = roster({"Roster": rows}, today=date(2027, 6, 1))
    assert counts(found) == [("2026-Q4", 2, 0)]
    (said,) = found.issues
    assert (said.row, said.column) == (1, None)
    assert said.message == (
        "The roster's baseline is 2026-Q4, the quarter of the date in its title "
        "('Headcount report as of 30 Nov 2026', row 1); headcount is counted on "
        "the quarter's last day. 1 leaver after the latest start date is not "
        "counted, having left by then: Cy (ID 3, row 6, left 2026-08-31)."
    )


def test_the_baseline_the_app_gives_is_kept():
    # The Cost base page passes its workspace's quarter; 2025-Q2 is kept, and
    # on 2025-06-30 all four are on the books (Cy and Di leave in 2026).
    found = roster({"Roster": LATE_LEAVERS}, pd.Period("2025Q2", freq="Q"))
    assert counts(found) == [("2025-Q2", 4, 0)]
    assert not any("baseline" in message for message in messages(found))


def test_cpsu_check_counts_out_the_people_who_left_after_the_latest_start(
    capsys, tmp_path
):
    rows = [
        HEADER,
        [1, "Ann", "Employee", date(2020, 1, 1), None],
        [2, "Bo", "Employee", date(2024, 6, 1), None],
        [3, "Cy", "Employee", date(2019, 1, 1), date(2025, 8, 31)],
        [4, "Di", "Employee", date(2019, 1, 1), date(2025, 11, 15)],
    ]
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_bytes({"Roster": rows}))
    code, out, _ = call(capsys, "check", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    # Both end dates have passed; Di's 2025-11-15 gives 2025-Q4, on whose
    # last day only Ann and Bo are here (the latest start alone gave 2024-Q2
    # and 4 employees).
    assert report["quarters"] == [
        {"quarter": "2025-Q4", "employees": 2, "contingent": 0}
    ]
    assert report["issues"][-1]["message"].endswith(
        "Cy (ID 3, row 4, left 2025-08-31) and Di (ID 4, row 5, left 2025-11-15)."
    )


def test_an_active_status_with_a_past_end_date_is_named():
    rows = [
        [*HEADER, "Status"],
        [1, "Ann", "Employee", date(2020, 1, 1), date(2025, 3, 31), "Active"],
        [2, "Bo", "Employee", date(2026, 10, 1), None, "Active"],
    ]
    found = roster({"Roster": rows}, pd.Period("2026Q4", freq="Q"))
    # The end date is used: on 2026-12-31 only Bo is here.
    assert counts(found) == [("2026-Q4", 1, 0)]
    (said,) = found.issues
    assert (said.row, said.column) == (2, "End date (E)")
    assert said.message == (
        "Status (F) says Active in row 2, but End date (E) is 2025-03-31 (start "
        "2020-01-01), a day already past. The end date was used: the person is "
        "counted up to it and not after. If the person is still here, clear the "
        "end date; if they left, correct the status."
    )


def test_a_hire_date_beside_the_original_hire_date_is_a_rehire():
    rows = [
        [
            "Employee ID",
            "Name",
            "Worker type",
            "Original hire date",
            "Hire date",
            "Termination date",
            "Status",
        ],
        # Rehired in 2024; the 2020 termination closes the first stint only.
        [1, "Ann", "Employee", date(2015, 1, 1), date(2024, 1, 1), date(2020, 6, 30)],
        [2, "Bo", "Employee", date(2018, 1, 1), date(2018, 1, 1), None],
        [3, "Cy", "Employee", date(2019, 1, 1), date(2019, 1, 1), date(2026, 2, 28)],
    ]
    for row, status in zip(rows[1:], ("Active", "Active", "Terminated"), strict=True):
        row.append(status)
    found = roster({"Roster": rows}, pd.Period("2026Q4", freq="Q"))
    # On 2026-12-31: Ann (since the 2024 rehire) and Bo; Cy left in February.
    assert counts(found) == [("2026-Q4", 2, 0)]
    assert [message[:60] for message in messages(found)] == [
        "Hire date (E) is filled in row 2, so that person is counted ",
        "Termination date (F) is before Hire date (E) in row 2, so it",
    ]


def test_a_cost_column_on_a_roster_is_said_to_be_left_out_with_its_total():
    rows = [
        ["Name", "Worker type", "Start date", "Monthly cost"],
        ["Ann", "Contractor", date(2026, 1, 1), 12000],
        ["Bob", "Contractor", date(2026, 2, 1), 10000],
    ]
    found = roster({"Contracts": rows})
    # Two contractors on 2026-03-31; 12,000 + 10,000 = 22,000 a month unread.
    assert counts(found) == [("2026-Q1", 0, 2)]
    said = found.issues[0]
    assert (said.sheet, said.column) == ("Contracts", "Monthly cost (D)")
    assert said.message == (
        "Monthly cost (D) was not read: this file was read as an HR roster, which "
        "gives headcount only, so its amounts (total 22,000.00 over 2 rows) are "
        "not in the cost base. To use the costs, upload them as a cost list, for "
        "example with columns Item and Monthly cost."
    )


def test_a_roster_sheet_beside_the_costs_is_named_in_the_warning():
    people = [HEADER, [1, "Ann", "Employee", date(2020, 1, 1), None]]
    costs = [["Item", "Annual cost"], ["Zoom", 12000]]
    upload = read_upload(xlsx_bytes({"Costs": costs, "Roster": people}), "b.xlsx")
    # 12,000 a year is 1,000 a month; the Roster sheet is not read.
    assert [line.monthly_rate for line in upload.cost_base.lines] == [1000.0]
    (said,) = [m.message for m in upload.issues if "cost lines only" in m.message]
    assert said.endswith(
        "The sheet Roster looks like an HR roster and was not read: to use its "
        "headcount, upload it on its own as the roster (saved as a workbook or CSV "
        "of that sheet alone)."
    )


def test_sheets_named_employees_and_contractors_give_the_worker_type():
    employees = [["Employee ID", "Name", "Hire date", "Termination date"]]
    employees += [[n, f"E{n}", date(2020, 1, 1), None] for n in range(1, 6)]
    contractors = [["Contractor ID", "Name", "Agency", "Start", "End"]]
    contractors += [
        [f"C{n}", f"C{n}", "Agency", date(2026, 1, 1), date(2027, 6, 30)]
        for n in range(3)
    ]
    found = roster({"Employees": employees, "Contractors": contractors})
    # On 2026-03-31, the quarter of the latest start: 5 employees, 3 contingent.
    assert counts(found) == [("2026-Q1", 5, 3)]
    assert found.people == 8
    assert messages(found)[:2] == [
        "Employees has no worker type column, so its 5 rows were read as "
        "employees, as the sheet's name says. If some of them are not, add a "
        "Worker type column with Employee or Contractor for each person.",
        "Contractors has no worker type column, so its 3 rows were read as "
        "contingent workers, as the sheet's name says. If some of them are not, "
        "add a Worker type column with Employee or Contractor for each person.",
    ]


def test_how_each_worker_type_was_read_is_said():
    words = ["Full-time", "Part-time", "Intern", "Temp", "Fixed-term", "Intern"]
    rows = [HEADER] + [
        [n, f"P{n}", word, date(2020, 1, 1), None] for n, word in enumerate(words)
    ]
    found = roster({"Roster": rows}, pd.Period("2026Q4", freq="Q"))
    # Full-time and Part-time are employees (2); the rest contingent (4).
    assert counts(found) == [("2026-Q4", 2, 4)]
    assert messages(found) == [
        "The worker types were read as employees: Full-time (1 row) and Part-time "
        "(1 row); as contingent workers: Fixed-term (1 row), Intern (2 rows) and "
        "Temp (1 row). Contingent workers (contractors, temps, interns, fixed-term "
        "staff) are counted apart from employees; if a type is read the wrong way, "
        "write Employee or Contractor in its rows."
    ]
