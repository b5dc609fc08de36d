"""An export of HR events (a row for each hire, leaving or rehire, with an
action and its effective date) is not a roster of one row per person: it is
refused with a message that says so, never read as people or cost lines."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cpsu.ingest import read_upload
from cpsu.ingest.roster_upload import read_roster_upload
from tests.ingest_fixtures import csv_bytes, errors_of, xlsx_bytes

D = dt.date
EVENTS = [
    ["Employee ID", "Name", "Worker type", "Action", "Effective date"],
    ["E1", "Ana", "Employee", "Hired", D(2023, 1, 1)],
    ["E1", "Ana", "Employee", "Terminated", D(2024, 2, 1)],
    ["E1", "Ana", "Employee", "Rehired", D(2024, 5, 1)],
    ["E2", "Bo", "Employee", "Hired", D(2023, 3, 1)],
]


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_an_hr_event_history_is_refused_as_events_not_a_roster(form):
    # Row 2 holds 'Employee' and 'Hired', which are also header words of a
    # roster (a name and a start date): the message must come from row 1.
    data = (
        xlsx_bytes({"Events": EVENTS})
        if form == "xlsx"
        else csv_bytes([[str(cell) for cell in row] for row in EVENTS])
    )
    upload = read_upload(data, f"events.{form}")
    assert upload.cost_base is None
    [problem] = errors_of(upload)
    assert problem.row == 1
    assert "looks like a list of HR events" in problem.message
    assert "'Employee ID' and 'Name'" in problem.message
    assert "one row per person" in problem.message
    assert "worker type" not in problem.message.casefold()


def test_a_roster_with_an_action_and_its_date_beside_start_dates_is_a_roster():
    # Start date is there: it is a roster of one row per person, whose last
    # action is said beside it; it is not refused as events.
    rows = [
        ["Employee ID", "Worker type", "Start date", "Action", "Effective date"],
        ["E1", "Employee", D(2023, 1, 1), "Hired", D(2023, 1, 1)],
        ["E2", "Employee", D(2023, 3, 1), "Hired", D(2023, 3, 1)],
    ]
    data = xlsx_bytes({"Roster": rows})
    roster = read_roster_upload(data, "roster.xlsx", pd.Period("2023Q4", freq="Q"))
    assert roster.recognised and not roster.has_errors
    (row,) = roster.headcount.rows
    assert (row.quarter, row.employees, row.contingent) == ("2023-Q4", 2, 0)
