"""What the reader tells the user: one message for many alike, and no log noise."""

from __future__ import annotations

import logging
import re

import pytest

from cpsu.ingest import read_upload
from cpsu.ingest import xlsx as xlsx_module
from tests.ingest_fixtures import (
    canonical_bytes,
    cost_row,
    errors_of,
    issue_at,
    rewrite_part,
)

COSTS_PART = "xl/worksheets/sheet2.xml"  # Instructions is sheet1

ITSM = cost_row("ITSM", "Support tools", "Fixed", amount=100)


def _lines(count: int) -> list[list[object]]:
    return [
        cost_row(f"Line {n}", "Support tools", "Fixed", amount=n + 1)
        for n in range(count)
    ]


# A sheet too big to read says where its last cell really is


@pytest.mark.parametrize(
    ("lines", "last_row"),
    [
        (30, 31),  # header in row 1, 30 lines below it
        (59, 60),
        (200, 201),
    ],
)
def test_a_sheet_too_big_to_read_names_its_real_last_row_and_column(
    monkeypatch, lines, last_row
):
    # 16 columns (A to P) a row: the limit of 100 cells is crossed in row 7
    # (7 * 16 = 112), long before the last row; the message must name the last.
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_CELLS", 100)
    rows = [[*line[:-1], f"note {n}"] for n, line in enumerate(_lines(lines))]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    issue = issue_at(upload, "Costs", None)
    assert f"as far as row {last_row:,}, column P:" in issue.message
    assert "at least" not in issue.message
    assert "more than 100 cells" in issue.message


def test_a_stray_cell_far_right_is_the_column_named(monkeypatch):
    # The stray cell in AD40 lies beyond where the limit is crossed (row 7).
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_CELLS", 100)
    stray = [None] * 29 + ["stray"]  # column AD is the 30th
    rows = [*_lines(30), *[[] for _ in range(8)], stray]  # row 2..31, 32..39, 40
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    issue = issue_at(upload, "Costs", None)
    assert "as far as row 40, column AD:" in issue.message


def test_without_cell_references_the_extent_is_only_at_least(monkeypatch):
    # Some writers leave out r="B7"; then the end of the sheet is not known.
    monkeypatch.setattr(xlsx_module, "MAX_SHEET_CELLS", 100)
    data = rewrite_part(
        canonical_bytes(_lines(30)),
        COSTS_PART,
        lambda xml: re.sub(rb'(<c[^>]*?) r="[A-Z]+[0-9]+"', rb"\1", xml),
    )
    issue = issue_at(read_upload(data, "a.xlsx"), "Costs", None)
    assert "as far as at least row" in issue.message


# User-facing problems are issues, not log warnings


def test_a_sheet_calamine_cannot_read_is_an_issue_and_not_a_logged_warning(caplog):
    # A number cell holding letters: calamine refuses the whole sheet.
    data = rewrite_part(
        canonical_bytes([ITSM]),
        COSTS_PART,
        lambda xml: xml.replace(b"<v>100</v>", b"<v>abc</v>", 1),
    )
    with caplog.at_level(logging.DEBUG):
        upload = read_upload(data, "a.xlsx")
    (issue,) = errors_of(upload)
    assert issue.sheet == "Costs"
    assert "could not be read" in issue.message
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("calamine" in r.getMessage() for r in caplog.records)  # debug trail


def test_a_workbook_calamine_cannot_open_is_an_issue_and_not_a_logged_warning(
    monkeypatch, caplog
):
    class Refusing:
        @staticmethod
        def from_filelike(_):
            raise ValueError("unsupported")

    monkeypatch.setattr(xlsx_module, "CalamineWorkbook", Refusing)
    with caplog.at_level(logging.DEBUG):
        upload = read_upload(canonical_bytes([ITSM]), "a.xlsx")
    (issue,) = upload.issues
    assert "could not be read (unsupported)" in issue.message
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_fault_in_the_program_is_still_logged_as_an_error(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("cpsu.ingest.upload.read_costs", broken)
    with caplog.at_level(logging.DEBUG):
        read_upload(canonical_bytes([ITSM]), "a.xlsx")
    assert [r.levelno for r in caplog.records] == [logging.ERROR]
