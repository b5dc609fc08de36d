"""Nothing lost in a real browser: a reload keeps the scenario in progress, the
library's scenarios open from the sidebar, and what is saved outlives the
server."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import app_server
from tests.e2e.test_browser import metric_value, wait_until_idle

pytestmark = pytest.mark.e2e


def slider(page, label: str):
    return (
        page.get_by_test_id("stSlider")
        .filter(has_text=label)
        .locator("input[type=range]")
    )


def open_scenarios(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="Scenarios").wait_for()
    page.locator(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
    ).first.wait_for(timeout=60_000)
    wait_until_idle(page)


def wait_for_address(page, key: str, value: float) -> None:
    """Wait until the page's address carries `key` at `value`: the run that drew
    the figures for that value has ended (the address is set after them)."""
    page.wait_for_function(
        """([key, want]) => {
            const got = new URLSearchParams(window.location.search).get(key);
            return got !== null && Math.abs(parseFloat(got) - want) < 1e-6;
        }""",
        arg=[key, value],
        timeout=30_000,
    )
    wait_until_idle(page)


def horizon_label(page) -> str:
    return (
        page.get_by_test_id("stMetric")
        .nth(1)
        .get_by_test_id("stMetricLabel")
        .inner_text()
        .strip()
    )


def test_a_reload_keeps_the_moved_slider_and_the_cpsu_shown(page, app_url):
    open_scenarios(page, app_url)
    label = horizon_label(page)
    before = metric_value(page, label)
    tickets = slider(page, "Tickets per user per month")
    start = float(tickets.input_value())
    tickets.focus()
    for _ in range(6):
        tickets.press("ArrowRight")
    moved = float(tickets.input_value())
    assert moved == pytest.approx(start + 6 * 0.05)
    wait_for_address(page, "t", moved)
    shown = metric_value(page, label)
    # more tickets a user need more agents: CPSU at the horizon rises
    assert float(shown.strip("$").replace(",", "")) > float(
        before.strip("$").replace(",", "")
    )

    page.reload()
    page.get_by_role("heading", name="Scenarios").wait_for()
    wait_for_address(page, "t", moved)
    assert float(slider(page, "Tickets per user per month").input_value()) == (
        pytest.approx(moved)
    )
    assert metric_value(page, label) == shown


def test_choosing_a_saved_scenario_moves_the_sliders(page, app_url):
    open_scenarios(page, app_url)
    page.get_by_test_id("stSelectbox").filter(has_text="Scenario").first.click()
    page.get_by_role("option", name="Conservative", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]n=Conservative"), timeout=30_000)
    wait_until_idle(page)
    # Conservative: 1.3 tickets a user, a 66% resolution rate
    assert float(slider(page, "Tickets per user per month").input_value()) == (
        pytest.approx(1.3)
    )
    assert float(slider(page, "Tier 1 resolution rate").input_value()) == (
        pytest.approx(0.66)
    )
    assert "Conservative" in page.get_by_text(re.compile(r"\?v=1&n=")).inner_text()


def test_a_server_restart_brings_the_saved_scenarios_back(browser, tmp_path):
    data = tmp_path / "cpsu-data"
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        with app_server(data, tmp_path / "first.log") as url:
            open_scenarios(page, url)
            page.get_by_test_id("stSelectbox").filter(has_text="Scenario").first.click()
            page.get_by_role("option", name="Aggressive", exact=True).click()
            page.wait_for_url(re.compile(r"[?&]n=Aggressive"), timeout=30_000)
            wait_until_idle(page)
            resolution = slider(page, "Tier 1 resolution rate")
            resolution.focus()
            for _ in range(5):
                resolution.press("ArrowRight")
            moved = float(resolution.input_value())
            assert moved == pytest.approx(0.76)  # Aggressive's 71% + 5 points
            wait_for_address(page, "r", moved)
            shown = metric_value(page, horizon_label(page))
            page.get_by_role("button", name="Save changes", exact=True).click()
            page.get_by_text("Saved your changes to 'Aggressive'.").wait_for()

        # a new server process, and the page opened without a link
        with app_server(data, tmp_path / "second.log") as url:
            open_scenarios(page, url)
            page.get_by_test_id("stSelectbox").filter(has_text="Scenario").first.click()
            page.get_by_role("option", name="Aggressive", exact=True).click()
            page.wait_for_url(re.compile(r"[?&]n=Aggressive"), timeout=30_000)
            wait_until_idle(page)
            assert float(slider(page, "Tier 1 resolution rate").input_value()) == (
                pytest.approx(0.76)
            )
            assert metric_value(page, horizon_label(page)) == shown
    finally:
        context.close()
