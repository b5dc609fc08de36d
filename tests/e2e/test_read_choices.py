"""In a real browser: a roster whose dates never show their order is refused,
read again when the user says day first, and the choice survives a visit to
Scenarios."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

ROSTER = (
    b"Employee ID,Worker type,Start date,End date\r\n"
    b"E1,Employee,2024-01-10,\r\n"
    b"E2,Employee,05/03/2026,04/04/2026\r\n"
    b"C1,Contractor,2025-06-01,\r\n"
)


def metric_value(page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text=label).first
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_the_user_says_the_order_of_the_dates(page, app_url, tmp_path):
    page.goto(f"{app_url}/cost_base")
    page.get_by_role("heading", name="Cost base").wait_for()
    region = page.get_by_role("region", name="Upload a workbook or CSV")
    roster = tmp_path / "people.csv"
    roster.write_bytes(ROSTER)
    region.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(roster))

    page.get_by_test_id("stAlertContentError").first.wait_for(timeout=60_000)
    dates = page.get_by_role("radiogroup", name="Dates in this file are")
    dates.get_by_text("day first (31/01)").click()
    success = page.get_by_test_id("stAlertContentSuccess").first
    success.wait_for(timeout=60_000)
    assert "is an HR roster" in success.inner_text()
    # on 2026-12-31: E1 and C1; E2 left on 4 April 2026 (read day first)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
            .some(m => m.innerText.includes('Supported users')
                && m.innerText.trim().endsWith('\\n2'))"""
    )
    assert metric_value(page, "Supported users") == "2"

    page.get_by_role("link", name="Scenarios").click()
    page.get_by_role("heading", name="Scenarios").wait_for()
    page.get_by_role("link", name="Cost base").click()
    page.get_by_role("heading", name="Cost base").wait_for()
    dates = page.get_by_role("radiogroup", name="Dates in this file are")
    assert dates.get_by_role("radio", name="day first (31/01)").is_checked()
    assert metric_value(page, "Supported users") == "2"
