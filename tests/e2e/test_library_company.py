"""The scenario library's Company field in a real browser: its name holds
through a visit to Compare and back, and a name typed on Compare is the one
Scenarios shows."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import wait_until_idle
from tests.e2e.test_scenario_library import open_scenarios

pytestmark = pytest.mark.e2e


def company_field(page):
    field = page.get_by_test_id("stTextInput").filter(has_text="Company")
    return field.locator("input").first


def chosen(page) -> str:
    """The scenario the library's box shows."""
    box = page.get_by_test_id("stSelectbox").filter(has_text="Scenario").first
    return box.locator("input").first.input_value()


def go_to(page, name: str) -> None:
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name).wait_for()
    wait_until_idle(page)


def test_the_company_keeps_its_name_through_compare_and_back(page, app_url):
    open_scenarios(page, app_url)
    assert company_field(page).input_value() == "Quillfern Analytics"
    # straight to Compare, the session's first page switch
    go_to(page, "Compare")
    assert company_field(page).input_value() == "Quillfern Analytics"
    go_to(page, "Scenarios")
    assert company_field(page).input_value() == "Quillfern Analytics"

    page.get_by_test_id("stSelectbox").filter(has_text="Scenario").first.click()
    page.get_by_role("option", name="Conservative", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]n=Conservative"), timeout=30_000)
    wait_until_idle(page)

    go_to(page, "Compare")
    assert company_field(page).input_value() == "Quillfern Analytics"
    assert chosen(page) == "Conservative"

    go_to(page, "Scenarios")
    assert company_field(page).input_value() == "Quillfern Analytics"
    assert chosen(page) == "Conservative"

    go_to(page, "Compare")
    assert company_field(page).input_value() == "Quillfern Analytics"
    # a name typed on Compare opens that company's scenarios, there and back
    company_field(page).fill("Quillfern Labs")
    company_field(page).press("Enter")
    wait_until_idle(page)
    assert chosen(page) == "Base"
    go_to(page, "Scenarios")
    assert company_field(page).input_value() == "Quillfern Labs"
    assert chosen(page) == "Base"
