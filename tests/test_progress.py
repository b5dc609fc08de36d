"""Progress of a long read: parts map onto the whole, and a real read fills it."""

from __future__ import annotations

import pytest

from cpsu.ingest import progress
from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.roster_upload import read_roster_upload
from cpsu.ingest.xlsx import read_workbook
from tests.ingest_fixtures import csv_bytes, xlsx_bytes


def test_parts_map_onto_the_whole():
    seen: list[tuple[float, str]] = []
    with progress.reporting(lambda done, label: seen.append((done, label))):
        progress.report(0.0, "start")
        with progress.part(0.2, 0.6):
            progress.report(0.5, "half of the part")  # 0.2 + 0.5 x 0.4 = 0.4
            with progress.part(0.5, 1.0):
                progress.report(1.0, "end of the inner part")  # 0.2 + 1.0 x 0.4 = 0.6
        progress.report(2.0, "past the end")  # held at 1
    assert seen == [
        (0.0, "start"),
        (pytest.approx(0.4), "half of the part"),
        (pytest.approx(0.6), "end of the inner part"),
        (1.0, "past the end"),
    ]


def test_without_a_listener_a_report_does_nothing():
    progress.report(0.5, "nobody listens")
    with progress.part(0.0, 0.5):
        progress.report(0.5, "nobody listens")


def test_a_failing_listener_never_stops_the_read():
    def broken(done: float, label: str) -> None:
        raise RuntimeError("the progress bar is gone")

    book = xlsx_bytes({"Costs": [["Item", "Amount"], ["Backup", 500]]})
    with progress.reporting(broken):
        assert "Costs" in read_workbook(book).tables


def test_a_rerun_raised_by_the_listener_stops_the_read():
    # Streamlit stops a script by raising a BaseException from its calls; a
    # read shown in the app must stop with it, not carry on unseen.
    class Stop(BaseException):
        pass

    def stopping(done: float, label: str) -> None:
        raise Stop

    book = xlsx_bytes({"Costs": [["Item", "Amount"], ["Backup", 500]]})
    with pytest.raises(Stop), progress.reporting(stopping):
        read_workbook(book)


def test_reading_a_workbook_fills_the_bar_in_order_sheet_by_sheet():
    rows = [["Item", "Amount"], *([f"Line {n}", n] for n in range(3000))]
    book = xlsx_bytes({"First": rows, "Second": rows})
    seen: list[tuple[float, str]] = []
    with progress.reporting(lambda done, label: seen.append((done, label))):
        read_workbook(book)
    fractions = [done for done, _ in seen]
    assert fractions == sorted(fractions)  # never goes back
    assert fractions[0] == 0.0 and fractions[-1] >= 0.9
    labels = [label for _, label in seen]
    assert labels[0] == "Checking the file"
    assert labels.index("Checking sheet First") < labels.index("Checking sheet Second")
    assert labels.index("Checking sheet Second") < labels.index("Reading sheet First")
    assert labels.index("Reading sheet First") < labels.index("Reading sheet Second")
    # The second sheet's read starts half way through the reading part:
    # 0.35 + 0.5 x (1 - 0.35) = 0.675, the two sheets being the same size.
    second = next(done for done, label in seen if label == "Reading sheet Second")
    assert second == pytest.approx(0.675)


def gl_rows(postings: int) -> list[list[object]]:
    return [
        ["Posting date", "Account", "Vendor", "Amount"],
        *(["2026-10-05", 6150, f"Vendor {n % 7}", 10.0] for n in range(postings)),
    ]


def test_reading_a_gl_export_rises_from_0_to_1_and_names_the_postings():
    book = xlsx_bytes({"Notes": [["Read me"]], "GL detail": gl_rows(3000)})
    seen: list[tuple[float, str]] = []
    with progress.reporting(lambda done, label: seen.append((done, label))):
        export = read_gl_export(book, "gl.xlsx")
    assert len(export.entries) == 3000
    fractions = [done for done, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    # the file's tables fill the bar to 0.8, the postings the rest
    postings = [label for _, label in seen].index(
        "Reading 3,000 postings from sheet GL detail"
    )
    assert seen[postings][0] == pytest.approx(0.8)
    assert all(done <= 0.8 for done, _ in seen[:postings])
    assert seen[-1] == (1.0, "Read 3,000 postings from sheet GL detail")


def test_a_gl_csv_names_its_file_and_a_roster_its_people():
    seen: list[tuple[float, str]] = []
    data = csv_bytes(gl_rows(5))
    with progress.reporting(lambda done, label: seen.append((done, label))):
        read_gl_export(data, "gl.csv")
    assert seen[-1] == (1.0, "Read 5 postings from gl.csv")

    roster = [
        ["Employee ID", "Worker type", "Start date"],
        ["E1", "Employee", "2024-01-10"],
        ["C1", "Contractor", "2025-06-01"],
    ]
    seen.clear()
    with progress.reporting(lambda done, label: seen.append((done, label))):
        read_roster_upload(xlsx_bytes({"Staff": roster}), "staff.xlsx", None)
    fractions = [done for done, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1][1] == "Read 2 people from Staff"
