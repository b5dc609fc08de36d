"""The Actuals page in a real headless Chromium: the sample history, an
upload of the user's own, a refused file that leaves it in place, and the
template download."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.e2e.test_browser import metric_value, wait_until_idle

pytestmark = pytest.mark.e2e


def actuals_uploader(page):
    region = page.get_by_role(
        "region", name="Upload actuals (a workbook or CSV, a row per quarter)"
    )
    return region.get_by_test_id("stFileUploaderDropzoneInput")


def charts_drawn(page, count: int) -> None:
    page.wait_for_function(
        """(n) => document.querySelectorAll(
            "[data-testid='stVegaLiteChart'] canvas,"
            + " [data-testid='stVegaLiteChart'] svg"
        ).length >= n""",
        arg=count,
        timeout=60_000,
    )


def test_the_sample_history_an_upload_and_a_refused_file(page, app_url, tmp_path: Path):
    page.goto(f"{app_url}/actuals")
    page.get_by_role("heading", name="Actuals", exact=True).wait_for(timeout=60_000)
    charts_drawn(page, 5)
    assert metric_value(page, "CPSU, 2026-Q4") == "$155.04"
    assert metric_value(page, "Reductions in a row") == "16 quarters"
    warning = page.get_by_test_id("stAlertContentWarning").first
    message = warning.get_by_test_id("stMarkdownContainer").inner_text()
    assert message.strip().startswith("2024-Q4: CPSU fell 1.9%")
    # Each chart says what it shows, for a screen reader too.
    summaries = page.locator("[data-testid='stVegaLiteChart'] [aria-label]")
    assert summaries.count() >= 5

    # The user's own history, as a CSV.
    ours = tmp_path / "ours.csv"
    ours.write_text(
        "Quarter,Employees,Contingent,Monthly OPEX,Resolution rate,Satisfaction\n"
        "2026-Q1,100,0,20000,70%,91%\n2026-Q2,150,50,32000,72%,92%\n"
        "2026-Q3,400,0,51200,73%,93%\n"
    )
    actuals_uploader(page).set_input_files(str(ours))
    page.get_by_test_id("stAlertContentSuccess").first.wait_for(timeout=60_000)
    wait_until_idle(page)
    assert metric_value(page, "CPSU, 2026-Q3") == "$128.00"
    assert metric_value(page, "Reductions in a row") == "2 quarters"

    # A file whose cost has no period is refused; the history stays.
    bad = tmp_path / "bad.csv"
    bad.write_text("Quarter,Employees,OPEX\n2026-Q1,100,20000\n")
    actuals_uploader(page).set_input_files(str(bad))
    alert = page.get_by_test_id("stAlertContentError").first
    alert.wait_for(timeout=60_000)
    assert "bad.csv was not used" in alert.inner_text()
    assert "row 1, column OPEX (C)" in page.get_by_test_id("stTable").first.inner_text()
    assert metric_value(page, "CPSU, 2026-Q3") == "$128.00"

    # The template downloads and opens with its headers.
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Actuals template").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved)["Actuals"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["Quarter", "Employees", "Contingent", "Monthly OPEX"]
