"""A budget kept a sheet a year (FY25, FY26) with no sheet named Costs: the
latest year's sheet is read, and the warning says why and names the others."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import xlsx_bytes

HEADER = ["Item", "Annual cost"]
OLD = [HEADER, ["Laptops", 10_000]]
NEW = [HEADER, ["Laptops", 12_000], ["Licences", 24_000]]


def run_rate(upload) -> float:
    return round(sum(line.monthly_rate for line in upload.cost_base.lines), 2)


@pytest.mark.parametrize(
    ("sheets", "latest"),
    [
        ({"FY25": OLD, "FY26": NEW}, "FY26"),
        ({"Budget 2026": NEW, "Budget 2025": OLD}, "Budget 2026"),
        ({"FY2025-26": OLD, "FY2026-27": NEW}, "FY2026-27"),
    ],
)
def test_the_latest_years_sheet_is_read(sheets, latest):
    upload = read_upload(xlsx_bytes(sheets), "budget.xlsx")
    # (12,000 + 24,000) / 12 = 3,000 a month, not FY25's 10,000 / 12
    assert run_rate(upload) == 3_000.00
    assert any(
        issue.message.startswith(
            f"No sheet is named Costs, so '{latest}', the latest year's, which "
        )
        for issue in upload.issues
    )


def test_sheets_not_named_by_year_keep_the_first():
    upload = read_upload(xlsx_bytes({"Software": OLD, "Services": NEW}), "b.xlsx")
    assert run_rate(upload) == 833.33  # 10,000 / 12, the first sheet's
    assert any(
        issue.message.startswith("No sheet is named Costs, so 'Software', which ")
        for issue in upload.issues
    )
