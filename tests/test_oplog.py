"""The operator's log says why an upload was refused and which page ran slow,
and never what a user's file holds."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cpsu.ingest.issues import Issue, Severity
from cpsu.ui import oplog

ROOT = Path(__file__).resolve().parents[1]
MARKER = "SECRET-123"


def new_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def operator_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == oplog.LOGGER_NAME]


def assert_marker_never_logged(caplog) -> None:
    for record in caplog.records:
        assert MARKER not in record.getMessage(), record.name
        assert MARKER not in str(record.args)


def hostile_costs_csv() -> bytes:
    # Every cell that a reader could quote carries the marker: an item name, a
    # pool, a behaviour and an amount that is not a number.
    return (
        "Item,Pool,Behaviour,Amount,Period\n"
        f"{MARKER} licences,Productivity software,Fixed,{MARKER},month\n"
        f"Laptops,{MARKER},Fixed,1000,month\n"
    ).encode()


def test_a_hostile_cost_file_is_logged_as_refused_without_its_contents(caplog):
    caplog.set_level(logging.INFO)
    at = new_app().switch_page("app_pages/cost_base.py").run()
    data = hostile_costs_csv()
    at.file_uploader(key="cost_base.upload").upload(
        f"{MARKER}.csv", data, "text/csv"
    ).run()
    assert not at.exception
    refused = [line for line in operator_lines(caplog) if "upload refused" in line]
    assert len(refused) == 1
    line = refused[0]
    assert "page=Cost base" in line
    assert "ext=.csv" in line
    assert f"bytes={len(data)}" in line
    # two errors: the amount of row 2 and the pool of row 3; the first is the
    # amount, column D after Item (A), Pool (B) and Behaviour (C)
    assert "errors=2" in line
    assert "first_where='a sheet, row 2, column D'" in line
    assert "first_category='not a number'" in line
    assert_marker_never_logged(caplog)


def test_an_accepted_cost_file_is_logged_with_its_lines(caplog):
    caplog.set_level(logging.INFO)
    at = new_app().switch_page("app_pages/cost_base.py").run()
    data = (
        b"Item,Pool,Behaviour,Amount,Period\n"
        b"Licences,Productivity software,Fixed,1200,month\n"
        b"Laptops,Other,Fixed,600,month\n"
    )
    at.file_uploader(key="cost_base.upload").upload("costs.csv", data, "text/csv").run()
    assert not at.exception
    accepted = [line for line in operator_lines(caplog) if "upload accepted" in line]
    assert accepted == [
        "upload accepted page=Cost base kind=cost-list ext=.csv "
        f"bytes={len(data)} lines=2"
    ]


def test_a_hostile_actuals_file_is_logged_as_refused_without_its_contents(caplog):
    caplog.set_level(logging.INFO)
    at = new_app().switch_page("app_pages/actuals.py").run()
    data = (
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        f"2026-Q1,{MARKER},10,50000\n"
        "2026-Q2,110,10,51000\n"
    ).encode()
    at.file_uploader(key="actuals.upload").upload(
        f"{MARKER}-history.csv", data, "text/csv"
    ).run()
    assert not at.exception
    refused = [line for line in operator_lines(caplog) if "upload refused" in line]
    assert len(refused) == 1
    assert "page=Actuals kind=actuals ext=.csv" in refused[0]
    # the employees cell of the first data row: row 2, column B after Quarter (A)
    assert "first_where='a sheet, row 2, column B'" in refused[0]
    assert "first_category='not a number'" in refused[0]
    assert_marker_never_logged(caplog)


def test_a_hostile_rules_file_is_logged_as_refused_without_its_contents(caplog):
    from tests.test_pages import gl_export_bytes

    caplog.set_level(logging.INFO)
    at = new_app().switch_page("app_pages/cost_base.py").run()
    at.file_uploader(key="cost_base.upload").upload(
        "gl.xlsx", gl_export_bytes(), "application/octet-stream"
    ).run()
    data = json.dumps(
        {
            "version": 1,
            "rules": [{"field": "colour", "pattern": MARKER, "pool": MARKER}],
        }
    ).encode()
    at.file_uploader(key="mapping.rules_upload").upload(
        "rules.json", data, "application/json"
    ).run()
    assert not at.exception
    refused = [line for line in operator_lines(caplog) if "kind=rules" in line]
    assert len(refused) == 1
    assert refused[0].startswith("upload refused page=Cost base kind=rules ext=.json")
    assert f"bytes={len(data)}" in refused[0]
    assert_marker_never_logged(caplog)


def test_a_page_run_over_the_threshold_is_logged(caplog, monkeypatch):
    monkeypatch.setenv(oplog.SLOW_RERUN_VARIABLE, "0")
    caplog.set_level(logging.INFO)
    new_app()
    slow = [line for line in operator_lines(caplog) if "slow rerun" in line]
    assert len(slow) == 1
    assert slow[0].startswith("slow rerun page='Scenarios' ms=")


def test_a_page_run_under_the_threshold_is_not_logged(caplog, monkeypatch):
    # an hour: no page of the sample takes that long
    monkeypatch.setenv(oplog.SLOW_RERUN_VARIABLE, "3600000")
    caplog.set_level(logging.INFO)
    new_app()
    assert not [line for line in operator_lines(caplog) if "slow rerun" in line]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 2000.0), ("500", 500.0), ("0", 0.0), ("fast", 2000.0), ("-5", 2000.0)],
)
def test_the_slow_rerun_threshold_comes_from_the_environment(
    monkeypatch, text, expected
):
    monkeypatch.setenv(oplog.SLOW_RERUN_VARIABLE, text)
    assert oplog.slow_rerun_ms() == expected


def test_a_place_is_told_by_row_and_column_letter_only():
    issue = Issue(Severity.ERROR, "x", sheet="Payroll 2026", row=7, column="Salary (D)")
    assert oplog.safe_where(issue) == "a sheet, row 7, column D"
    assert oplog.safe_where(Issue(Severity.ERROR, "x", column="Salary")) == "a column"
    assert oplog.safe_where(Issue(Severity.ERROR, "x")) == "file"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("costs.XLSX", ".xlsx"), ("a.b.csv", ".csv"), ("noext", ""), ("x.a b", "")],
)
def test_only_the_extension_of_a_file_name_is_kept(name, expected):
    assert oplog.extension(name) == expected


def test_a_category_is_a_fixed_word_never_the_message():
    issue = Issue(Severity.ERROR, f"is '{MARKER}', not a number")
    assert oplog.category(issue) == "not a number"
    unknown = Issue(Severity.ERROR, f"{MARKER} puzzles us here")
    assert oplog.category(unknown) == "other"


text = st.text(max_size=30)


@given(
    before=text,
    after=text,
    sheet=text,
    header=text,
    stem=text,
    row=st.none() | st.integers(1, 10**6),
)
def test_no_text_of_the_file_reaches_a_refusal_line(
    before, after, sheet, header, stem, row
):
    """Whatever the message, sheet, header and file name hold, the marker in
    any of them never reaches the line."""
    issue = Issue(
        Severity.ERROR,
        f"{before}{MARKER}{after}",
        sheet=f"{sheet}{MARKER}",
        row=row,
        column=f"{header}{MARKER} (C)",
    )
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    oplog.log.addHandler(handler)
    try:
        oplog.upload_refused("Cost base", "csv", f"{stem}{MARKER}.csv", 10, [issue])
    finally:
        oplog.log.removeHandler(handler)
    (record,) = records
    assert MARKER not in record.getMessage()
    assert "errors=1" in record.getMessage()


def test_the_operator_lines_reach_standard_error_once(tmp_path):
    """Outside pytest no one configures the root logger: the app's own handler
    writes each line, once, as the server's log shows it."""
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        f"AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=60).run()\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, oplog.SLOW_RERUN_VARIABLE: "0"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [
        line
        for line in ran.stderr.splitlines()
        if "cpsu.operator: slow rerun page='Scenarios'" in line
    ]
    assert len(lines) == 1
    assert " WARNING " in lines[0]


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.mark.parametrize(
    ("name", "data", "category"),
    [
        # A refusal of the whole file says what to upload instead ("the Costs
        # sheet as CSV"): its category is what the file is, not "sheets".
        ("picture.png", _png, "not a spreadsheet"),
        ("picture.xlsx", _png, "not a spreadsheet"),
        ("noise.csv", lambda: bytes(range(256)) * 8, "not a spreadsheet"),
        ("cut.xlsx", lambda: b"PK\x03\x04" + bytes(40), "damaged file"),
        ("empty.csv", lambda: b"", "empty file"),
    ],
)
def test_a_whole_file_refusal_is_logged_as_what_the_file_is(name, data, category):
    from cpsu.ingest import read_upload
    from cpsu.ingest.issues import errors

    first = errors(read_upload(data(), name).issues)[0]
    assert oplog.category(first) == category
