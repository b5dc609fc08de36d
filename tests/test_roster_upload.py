"""A roster uploaded on its own becomes the baseline headcount."""

import pandas as pd

from cpsu.ingest.roster_upload import read_roster_upload
from tests.test_pages import roster_bytes

BASELINE = pd.Period("2026Q4", freq="Q")


def test_a_roster_workbook_is_counted_on_the_baselines_last_day():
    roster = read_roster_upload(roster_bytes(), "roster.xlsx", BASELINE)
    assert roster.recognised and not roster.has_errors
    (row,) = roster.headcount.rows
    # 2026-12-31: Ann, Cy and Ed employed, Flo gone since October; Di contracting
    assert (row.quarter, row.employees, row.contingent) == ("2026-Q4", 3, 1)


def test_a_roster_csv_is_read_too():
    csv = (
        b"ID,Type,Start,End\n"
        b"1,Employee,2025-01-01,\n"
        b"2,Contractor,2026-12-01,\n"
        b"3,Employee,2026-10-01,2026-12-31\n"
    )
    roster = read_roster_upload(csv, "people.csv", BASELINE)
    assert roster.recognised
    # on 2026-12-31 person 3 is still here on their last day: 2 employees, 1 contractor
    (row,) = roster.headcount.rows
    assert (row.employees, row.contingent) == (2, 1)


def test_files_that_are_not_rosters_are_not_recognised():
    for data in (b"", b"Item,Amount\nTool,10\n", b"PK\x03\x04junk", b"\x00\x01" * 50):
        assert not read_roster_upload(data, "x.csv", BASELINE).recognised
