"""The scenario library with two real browsers on one server: a scenario one
saves as new is offered in the other's Scenario box at its next move, and a
company renamed with unsaved moves saves none of them, showing them as
unsaved changes to the new library's Base."""

from __future__ import annotations

import pytest

from cpsu.store import ScenarioStore, workspace_key
from tests.e2e.conftest import app_server
from tests.e2e.test_browser import wait_until_idle
from tests.e2e.test_library_company import company_field
from tests.e2e.test_library_two_browsers import click, new_page
from tests.e2e.test_scenario_library import open_scenarios, slider, wait_for_address

pytestmark = pytest.mark.e2e

QUILLFERN = workspace_key("Quillfern Analytics")
BOARD_PACK = workspace_key("Board pack Co")


def scenario_names(page) -> list[str]:
    """The names the library's Scenario box offers, read by opening it."""
    page.get_by_test_id("stSelectbox").filter(has_text="Scenario").first.click()
    options = page.get_by_role("option")
    options.first.wait_for()
    names = [option.inner_text().strip() for option in options.all()]
    page.keyboard.press("Escape")
    wait_until_idle(page)
    return names


def move(page, label: str, presses: int) -> float:
    """Press the slider's right arrow `presses` times; its value after."""
    handle = slider(page, label)
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")
    return float(handle.input_value())


def test_another_browsers_save_is_offered_and_a_rename_saves_nothing(browser, tmp_path):
    data = tmp_path / "cpsu-data"
    (mine_context, mine), (their_context, theirs) = (
        new_page(browser),
        new_page(browser),
    )
    try:
        with app_server(data, tmp_path / "server.log") as url:
            store = ScenarioStore.in_data_dir(data)
            open_scenarios(mine, url)
            open_scenarios(theirs, url)

            # Theirs saves its 9-quarter horizon as new, "Q3 plan".
            move(theirs, "Horizon", 1)
            wait_for_address(theirs, "h", 9)
            click(theirs, "Save as new…")
            theirs.get_by_label("Name", exact=True).fill("Q3 plan")
            click(theirs, "Save")
            theirs.get_by_text("Saved as 'Q3 plan'.").wait_for()
            assert store.load(QUILLFERN, "Q3 plan").scenario.horizon_quarters == 9

            # Mine moves growth 8 steps of half a point: 8% + 4 points = 12%,
            # unsaved; that run lists theirs.
            growth = move(mine, "Growth per quarter", 8)
            assert growth == pytest.approx(0.12)
            wait_for_address(mine, "g", growth)
            mine.get_by_text("Unsaved changes to Base").wait_for()
            assert "Q3 plan" in scenario_names(mine)

            # Mine renames the company: the new library's Base is the
            # sample's 8%, the 12% stays on the sliders, unsaved.
            company_field(mine).fill("Board pack Co")
            company_field(mine).press("Enter")
            mine.get_by_text("stay on the sliders").wait_for()
            wait_until_idle(mine)
            assert store.load(BOARD_PACK, "Base").scenario.growth_per_quarter == (
                pytest.approx(0.08)
            )
            assert store.load(QUILLFERN, "Base").version == 1
            assert float(
                slider(mine, "Growth per quarter").input_value()
            ) == pytest.approx(0.12)
            mine.get_by_text("growth per quarter 12.0% (saved 8.0%)").wait_for()
    finally:
        mine_context.close()
        their_context.close()
