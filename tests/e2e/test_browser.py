"""The app in a real headless Chromium: see the CPSU case, move growth, download."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.e2e


def cost_uploader(page):
    """The Cost base page's file input (the mapping step has one for rules)."""
    region = page.get_by_role("region", name="Upload a workbook or CSV")
    return region.get_by_test_id("stFileUploaderDropzoneInput")


def metric_value(page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text=label).first
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def wait_for_metric_change(page, label: str, before: str, timeout: int) -> None:
    """Wait until the metric whose text holds `label` shows another value."""
    page.wait_for_function(
        """([label, before]) => {
            const metrics = [...document.querySelectorAll('[data-testid="stMetric"]')];
            const m = metrics.find(e => e.innerText.includes(label));
            if (!m) return false;
            const v = m.querySelector('[data-testid="stMetricValue"]').innerText.trim();
            return v !== before;
        }""",
        arg=[label, before],
        timeout=timeout,
    )


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
    moved = float(growth.input_value())
    assert moved == pytest.approx(start + 10 * 0.005)

    # a user clicks Download at once, before the page has answered the move
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Download scenario workbook").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)

    wait_for_metric_change(page, horizon_label, cpsu_before, timeout=30_000)
    wait_until_idle(page)
    cpsu_after = metric_value(page, horizon_label)
    # faster growth spreads fixed costs over more users: CPSU at the horizon falls
    assert float(cpsu_after.strip("$").replace(",", "")) < float(
        cpsu_before.strip("$").replace(",", "")
    )

    workbook = openpyxl.load_workbook(saved, data_only=True)
    assumptions = {
        row[0]: row[1]
        for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert assumptions["Growth per quarter"] == pytest.approx(moved)
    # The app's numbers, written beside the Projection's formulas.
    checks = workbook["Checks"]
    rows = {row[0].value: row for row in checks.iter_rows() if row[0].value}
    cpsu_row = [cell.value for cell in rows["CPSU: app"][1:] if cell.value is not None]
    assert f"${cpsu_row[-1]:,.2f}" == cpsu_after


def test_uploads_show_errors_keep_the_sample_and_show_names_as_written(
    page, app_url, tmp_path
):
    page.goto(f"{app_url}/cost_base")
    page.get_by_role("heading", name="Cost base").wait_for()
    users = metric_value(page, "Supported users")
    uploader = cost_uploader(page)

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


def queue_size(page) -> int:
    heading = page.get_by_text(re.compile(r"Unmapped queue: \d+ groups?")).inner_text()
    return int(re.search(r"(\d+) groups?", heading)[1])


def add_rule(page, look_at: str, pattern: str, pool: str, behaviour: str) -> None:
    form = page.get_by_test_id("stForm")
    for label, option in (
        ("Look at", look_at),
        ("Pool", pool),
        ("Behaviour", behaviour),
    ):
        form.get_by_label(label).click()
        page.get_by_role("option", name=option, exact=True).click()
    form.get_by_label("Pattern").fill(pattern)
    form.get_by_role("button", name="Add rule").click()


def test_map_a_gl_export_then_a_hostile_file_keeps_it(page, app_url, tmp_path):
    from tests.test_pages import gl_export_bytes

    page.goto(f"{app_url}/cost_base")
    page.get_by_role("heading", name="Cost base").wait_for()
    wait_until_idle(page)
    export = tmp_path / "gl.xlsx"
    export.write_bytes(gl_export_bytes())
    cost_uploader(page).set_input_files(str(export))
    page.get_by_role("heading", name="Map the GL export: gl.xlsx").wait_for(
        timeout=60_000
    )
    assert queue_size(page) == 3

    add_rule(page, "Vendor", "Microsoft", "Productivity software", "Per user")
    page.get_by_text("Unmapped queue: 2 groups").wait_for(timeout=30_000)
    add_rule(
        page,
        "Account (number, range 6100-6199 or prefix 61*)",
        "6300-6399",
        "Support tools",
        "Fixed",
    )
    page.get_by_text("Unmapped queue: 1 group", exact=True).wait_for(timeout=30_000)

    page.get_by_role("button", name=re.compile(r"Use the 2 mapped lines")).click()
    page.get_by_role("heading", name="What was understood: GL export gl.xlsx").wait_for(
        timeout=30_000
    )
    # 40,500 + 7,200 = 47,700 a month over the sample's 1,350 users = $35.33
    assert metric_value(page, "Monthly run-rate") == "$47,700.00"
    assert metric_value(page, "CPSU") == "$35.33"

    hostile = tmp_path / "bomb.xlsx"
    hostile.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    cost_uploader(page).set_input_files(str(hostile))
    page.get_by_test_id("stAlertContentError").first.wait_for(timeout=60_000)
    assert metric_value(page, "CPSU") == "$35.33"

    page.get_by_role("link", name="Scenarios").click()
    page.get_by_role("heading", name="Scenarios").wait_for()
    assert metric_value(page, "CPSU 2026-Q4") == "$35.33"


def test_the_picked_sheet_stays_after_visiting_scenarios(page, app_url, tmp_path):
    from tests.test_ui_sheets import several_budgets

    page.goto(f"{app_url}/cost_base")
    page.get_by_role("heading", name="Cost base").wait_for()
    wait_until_idle(page)
    budgets = tmp_path / "budgets.xlsx"
    budgets.write_bytes(several_budgets())
    cost_uploader(page).set_input_files(str(budgets))
    page.get_by_role(
        "heading", name="What was understood: budgets.xlsx, sheet FY27 budget"
    ).wait_for(timeout=60_000)
    picker = page.get_by_test_id("stSelectbox").filter(
        has_text="Sheet to read the cost lines from"
    )
    picker.click()
    options = page.get_by_role("option").all_inner_texts()
    assert [o.strip() for o in options] == [
        "FY27 budget",
        "FY26 budget",
        "Draft FY28 (hidden)",
        "Notes (no cost lines recognised)",
    ]
    page.get_by_role("option", name="FY26 budget", exact=True).click()
    page.get_by_role(
        "heading", name="What was understood: budgets.xlsx, sheet FY26 budget"
    ).wait_for(timeout=60_000)
    wait_until_idle(page)
    assert metric_value(page, "Monthly run-rate") == "$3,300.00"  # 1,000+2,000+300

    page.get_by_role("link", name="Scenarios").click()
    page.get_by_role("heading", name="Scenarios").wait_for()
    wait_until_idle(page)
    page.get_by_role("link", name="Cost base").click()
    page.get_by_role("heading", name="Cost base").wait_for()
    wait_until_idle(page)
    assert picker.get_by_role("combobox").input_value() == "FY26 budget"
    assert metric_value(page, "Monthly run-rate") == "$3,300.00"
    page.get_by_role(
        "heading", name="What was understood: budgets.xlsx, sheet FY26 budget"
    ).wait_for()
