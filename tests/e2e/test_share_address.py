"""A reload on Compare or Pitch keeps the moves not yet saved, in a real
browser: their address carries the scenario's share link, as Scenarios' does."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import metric_value, wait_until_idle
from tests.e2e.test_compare import open_compare
from tests.e2e.test_scenario_library import slider, wait_for_address

pytestmark = pytest.mark.e2e


def test_a_reload_on_compare_keeps_the_moved_slider(page, app_url):
    open_compare(page, app_url)
    growth = slider(page, "Growth per quarter")
    start = float(growth.input_value())
    growth.focus()
    for _ in range(4):
        growth.press("ArrowRight")
    moved = float(growth.input_value())
    # 4 steps of half a point: 8% becomes 10%
    assert moved == pytest.approx(start + 4 * 0.005)
    wait_for_address(page, "g", moved)

    page.reload()
    page.get_by_role("heading", name="Compare").wait_for()
    wait_until_idle(page)
    assert float(slider(page, "Growth per quarter").input_value()) == (
        pytest.approx(moved)
    )


def test_a_reload_on_pitch_keeps_the_scenario_moved_on_compare(page, app_url):
    open_compare(page, app_url)
    tickets = slider(page, "Tickets per user per month")
    tickets.focus()
    for _ in range(4):
        tickets.press("ArrowRight")
    moved = float(tickets.input_value())
    wait_for_address(page, "t", moved)
    page.get_by_role("link", name="Pitch").click()
    page.get_by_role("heading", name=re.compile("The support budget case")).wait_for()
    wait_for_address(page, "t", moved)
    label = page.get_by_test_id("stMetric").nth(1).get_by_test_id("stMetricLabel")
    before = metric_value(page, label.inner_text().strip())

    page.reload()
    page.get_by_role("heading", name=re.compile("The support budget case")).wait_for()
    wait_for_address(page, "t", moved)
    assert metric_value(page, label.inner_text().strip()) == before
