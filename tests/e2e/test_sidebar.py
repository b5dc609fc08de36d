"""Pitch closes the sidebar; the pages whose sliders live in it open it again.

Reached by its link, Pitch closed the sidebar, and the browser's Back then
left Scenarios with its sliders and library out of sight until the user
found the » button.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import wait_until_idle

pytestmark = pytest.mark.e2e


def sidebar_open(page) -> bool:
    box = page.get_by_test_id("stSidebar").bounding_box()
    return box is not None and box["x"] + box["width"] > 50


def test_back_from_pitch_shows_the_scenarios_sidebar_again(page, app_url):
    page.goto(app_url)
    page.get_by_role("heading", name="Scenarios").wait_for()
    wait_until_idle(page)
    assert sidebar_open(page)

    page.get_by_test_id("stSidebarNavLink").filter(has_text="Pitch").click()
    page.get_by_role("heading", name="The support budget case").wait_for()
    wait_until_idle(page)
    assert not sidebar_open(page), "Pitch is a presentation: its sidebar closes"

    page.go_back()
    page.get_by_role("heading", name="Scenarios").wait_for()
    wait_until_idle(page)
    page.wait_for_timeout(500)
    assert sidebar_open(page), "back on Scenarios, its sliders are in sight"
    assert page.get_by_test_id("stSidebar").get_by_test_id("stSlider").count() >= 5
