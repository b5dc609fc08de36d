"""`cpsu check` on an HR roster given on its own: people, baseline headcount."""

from __future__ import annotations

import json

import pytest
from ingest_fixtures import csv_bytes, xlsx_bytes
from test_sniff import ROSTER_ROWS, call

from cpsu.ingest import read_upload

FILES = {
    "roster.xlsx": lambda rows: xlsx_bytes({"People": rows}),
    "roster.csv": csv_bytes,
}
SHEET = {"roster.xlsx": "People", "roster.csv": "roster.csv"}


@pytest.mark.parametrize("name", FILES)
def test_check_reports_a_roster_as_a_roster(capsys, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(FILES[name](ROSTER_ROWS))
    code, out, err = call(capsys, "check", str(path))
    assert code == 0, err
    where = " (sheet People)" if name == "roster.xlsx" else ""
    # 4 people listed; on 2026-12-31, the last day of the quarter of the latest
    # start (E2, 2026-11-02): E1 and E2 employed (E3 left on 30 November), and
    # the contractor C1 still there on the last day of the contract.
    assert out.splitlines() == [
        f"{path}: an HR roster{where} of 4 people, counted on the last day of the "
        "baseline quarter",
        "  Quarter     Employees  Contingent",
        "  2026-Q4             2           1",
        "A roster gives the headcount only; upload it on the Cost base page to use "
        "it with the cost base in play.",
    ]
    assert err == (
        f"Warning in {SHEET[name]}, row 3, column Start date (C): The roster's "
        "baseline is 2026-Q4, the quarter of its latest start date (2026-11-02, "
        "row 3); headcount is counted on the quarter's last day.\n"
    )


@pytest.mark.parametrize("name", FILES)
def test_check_json_of_a_roster(capsys, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(FILES[name](ROSTER_ROWS))
    code, out, _ = call(capsys, "check", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    assert {key: report[key] for key in report if key != "issues"} == {
        "file": str(path),
        "kind": "roster",
        "sheet": SHEET[name],
        "people": 4,
        "baseline_quarter": "2026-Q4",
        "quarters": [{"quarter": "2026-Q4", "employees": 2, "contingent": 1}],
        "lines": [],
        "monthly_run_rate": None,
    }
    assert [issue["severity"] for issue in report["issues"]] == ["warning"]


@pytest.mark.parametrize("name", FILES)
def test_check_of_a_roster_with_errors_exits_1_naming_them(capsys, tmp_path, name):
    rows = [*ROSTER_ROWS, ["E1", "Employee", "2026-02-01", ""]]
    path = tmp_path / name
    path.write_bytes(FILES[name](rows))
    code, out, err = call(capsys, "check", str(path), "--json")
    assert code == 1
    report = json.loads(out)
    assert (report["people"], report["quarters"], report["baseline_quarter"]) == (
        0,
        [],
        None,
    )
    assert err == (
        f"Error in {SHEET[name]}, row 6, column Employee ID (A): Employee ID (A) is "
        "E1, which is also the ID in row 2 (from 2025-01-06, still here); this row "
        "starts on 2026-02-01, before that period ends, so one person would be "
        "counted twice. Correct the dates, or the ID if these are two people.\n"
    )

    code, out, err = call(capsys, "check", str(path))
    assert code == 1 and out == ""
    assert err.endswith(f"{path}: an HR roster with 1 error; nothing was counted.\n")


@pytest.mark.parametrize("name", FILES)
def test_a_roster_with_a_salary_column_is_not_a_cost_list(name):
    # Name and Annual salary alone would make a cost list of one line a person.
    salaries = ["Annual salary", *[90_000] * 4]
    rows = [[*row, salary] for row, salary in zip(ROSTER_ROWS, salaries, strict=True)]
    rows[0][0] = "Name"
    upload = read_upload(FILES[name](rows), name)
    assert upload.cost_base is None
    errors = [issue for issue in upload.issues if issue.severity.value == "error"]
    assert [(issue.sheet, issue.row, issue.message) for issue in errors] == [
        (
            SHEET[name],
            1,
            f"{SHEET[name]} is an HR roster (row 1 has a name or ID, a worker type "
            "and a start date), not a list of cost lines: read as one, each person "
            "would be a cost line. Its people become the baseline headcount, counted "
            "on the last day of the baseline quarter.",
        )
    ]


def test_a_budget_beside_a_roster_is_read_as_the_cost_lines():
    people = [["Name", "Worker type", "Start date", "Annual salary"]]
    people.append(["Ann", "Employee", "2025-01-06", 90_000])
    budget = [["Service", "Annual cost"], ["Zoom", 1200], ["Slack", 600]]
    upload = read_upload(xlsx_bytes({"People": people, "Budget": budget}), "b.xlsx")
    assert not upload.has_errors, upload.issues
    # 1,200 / 12 = 100 and 600 / 12 = 50 a month; Ann's salary is no cost line.
    lines = [(line.item, line.monthly_rate) for line in upload.cost_base.lines]
    assert lines == [("Zoom", 100.0), ("Slack", 50.0)]
    chosen = next(i for i in upload.issues if i.message.startswith("No sheet"))
    assert chosen.message.startswith(
        "No sheet is named Costs, so 'Budget', which holds a table like one, was "
        "read as Costs; 'People' looks like Costs too"
    )
