"""The app in a real headless Chromium: see the CPSU case, move growth, download."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.e2e


def metric_value(page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text=label).first
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def wait_until_idle(page) -> None:
    """Wait for the script to finish its reruns: Streamlit shows a running status."""
    page.wait_for_timeout(500)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)


def test_open_move_growth_and_download_the_workbook(page, app_url, tmp_path):
    page.goto(app_url)
    page.get_by_role("heading", name="Scenarios").wait_for()
    page.locator(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
    ).first.wait_for(timeout=60_000)

    horizon_label = (
        page.get_by_test_id("stMetric")
        .nth(1)
        .get_by_test_id("stMetricLabel")
        .inner_text()
    )
    cpsu_before = metric_value(page, horizon_label)
    assert re.fullmatch(r"\$[\d,]+\.\d\d", cpsu_before)

    growth = (
        page.get_by_test_id("stSlider")
        .filter(has_text="Growth per quarter")
        .locator("input[type=range]")
    )
    start = float(growth.input_value())
    growth.focus()
    for _ in range(10):
        growth.press("ArrowRight")
    page.wait_for_function(
        """([label, before]) => {
            const metrics = [...document.querySelectorAll('[data-testid="stMetric"]')];
            const m = metrics.find(e => e.innerText.includes(label));
            if (!m) return false;
            const v = m.querySelector('[data-testid="stMetricValue"]').innerText.trim();
            return v !== before;
        }""",
        arg=[horizon_label, cpsu_before],
        timeout=30_000,
    )
    wait_until_idle(page)
    moved = float(growth.input_value())
    assert moved == pytest.approx(start + 10 * 0.005)
    cpsu_after = metric_value(page, horizon_label)
    # faster growth spreads fixed costs over more users: CPSU at the horizon falls
    assert float(cpsu_after.strip("$").replace(",", "")) < float(
        cpsu_before.strip("$").replace(",", "")
    )

    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Download scenario workbook").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)

    workbook = openpyxl.load_workbook(saved, data_only=True)
    assumptions = {
        row[0]: row[1]
        for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert assumptions["Growth per quarter"] == pytest.approx(moved)
    projection = workbook["Projection"]
    rows = {row[0].value: row for row in projection.iter_rows() if row[0].value}
    cpsu_row = [cell.value for cell in rows["CPSU"][1:] if cell.value is not None]
    assert f"${cpsu_row[-1]:,.2f}" == cpsu_after


def test_uploads_show_errors_keep_the_sample_and_show_names_as_written(
    page, app_url, tmp_path
):
    page.goto(f"{app_url}/cost_base")
    page.get_by_role("heading", name="Cost base").wait_for()
    users = metric_value(page, "Supported users")
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a workbook")
    uploader.set_input_files(str(broken))
    alert = page.get_by_test_id("stAlertContentError").first
    alert.wait_for(timeout=60_000)
    assert "broken.xlsx was not used" in alert.inner_text()
    assert metric_value(page, "Supported users") == users

    # Markdown and Streamlit directives in a file name show as typed
    name = "**Q4** :red[costs] $x^2$ [v2].xlsx"
    good = tmp_path / name
    good.write_bytes(
        (
            Path(__file__).resolve().parents[2] / "sample_data" / "sample_company.xlsx"
        ).read_bytes()
    )
    uploader.set_input_files(str(good))
    success = page.get_by_test_id("stAlertContentSuccess").first
    success.wait_for(timeout=60_000)
    message = success.get_by_test_id("stMarkdownContainer").inner_text()
    assert message.strip() == f"{name} is in use."
    heading = page.get_by_role("heading", name="What was understood").inner_text()
    assert heading.strip() == f"What was understood: {name}"
