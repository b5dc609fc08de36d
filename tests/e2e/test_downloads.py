"""Download the scenario workbook straight after moving a slider, as in a meeting.

The click comes before the page has finished answering the move, so the file
must still be there and must hold the scenario as the sliders now have it.
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.e2e.test_browser import metric_value, wait_until_idle

pytestmark = pytest.mark.e2e

CLICKS_AFTER_A_MOVE = 8


def growth_slider(page):
    return (
        page.get_by_test_id("stSlider")
        .filter(has_text="Growth per quarter")
        .locator("input[type=range]")
    )


def workbook_growth_and_cpsu(path) -> tuple[float, float]:
    """The workbook's growth per quarter and its CPSU at the horizon."""
    workbook = openpyxl.load_workbook(path, data_only=True)
    assumptions = {
        row[0]: row[1]
        for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    # The app's numbers, written beside the Projection's formulas.
    rows = {row[0].value: row for row in workbook["Checks"].iter_rows() if row[0].value}
    cpsu = [cell.value for cell in rows["CPSU: app"][1:] if cell.value is not None]
    return assumptions["Growth per quarter"], cpsu[-1]


SAMPLE_GROWTH = 0.08


def wait_for_growth_in_address(page, growth: float) -> None:
    """Wait until the run that drew the figures for `growth` has ended: the
    page's address carries it last (as `g`, or not at all when it is the
    workbook's own 8%)."""
    page.wait_for_function(
        """([want, own]) => {
            const got = new URLSearchParams(window.location.search).get('g');
            if (Math.abs(want - own) < 1e-9) return got === null;
            return got !== null && Math.abs(parseFloat(got) - want) < 1e-6;
        }""",
        arg=[growth, SAMPLE_GROWTH],
        timeout=30_000,
    )
    wait_until_idle(page)


def test_download_at_once_after_each_move_gives_the_moved_scenario(
    page, app_url, tmp_path
):
    page.goto(app_url)
    page.get_by_role("heading", name="Scenarios").wait_for()
    wait_until_idle(page)
    growth = growth_slider(page)
    button = page.get_by_role("button", name="Download scenario workbook")
    horizon_label = (
        page.get_by_test_id("stMetric")
        .nth(1)
        .get_by_test_id("stMetricLabel")
        .inner_text()
    )

    for attempt in range(CLICKS_AFTER_A_MOVE):
        growth.focus()
        for _ in range(1 + attempt % 3):
            growth.press("ArrowRight" if attempt % 2 == 0 else "ArrowLeft")
        moved = float(growth.input_value())

        # no wait for the page to answer the move: the click comes at once
        with page.expect_download(timeout=30_000) as download_info:
            button.click()
        saved = tmp_path / f"{attempt}-{download_info.value.suggested_filename}"
        download_info.value.save_as(saved)

        growth_in_file, cpsu_in_file = workbook_growth_and_cpsu(saved)
        wait_for_growth_in_address(page, moved)
        shown = float(growth.input_value())
        assert (growth_in_file, shown) == pytest.approx((moved, moved)), (
            f"click {attempt + 1}: file {growth_in_file}, slider {moved} then {shown}"
        )
        assert f"${cpsu_in_file:,.2f}" == metric_value(page, horizon_label), (
            f"click {attempt + 1}: the page's figures are "
            f"{page.get_by_test_id('stMetric').all_inner_texts()}"
        )
