"""The scenario library with two real browsers on one server: rapid moves in
one never save over the other's change, and a changed share link opened twice
adds one scenario."""

from __future__ import annotations

import pytest

from cpsu.store import ScenarioStore, workspace_key
from tests.e2e.conftest import app_server
from tests.e2e.test_browser import wait_until_idle
from tests.e2e.test_scenario_library import open_scenarios, slider, wait_for_address

pytestmark = pytest.mark.e2e

COMPANY = workspace_key("Quillfern Analytics")


def new_page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def test_rapid_moves_in_one_browser_never_save_over_the_others(browser, tmp_path):
    data = tmp_path / "cpsu-data"
    (mine_context, mine), (their_context, theirs) = (
        new_page(browser),
        new_page(browser),
    )
    try:
        with app_server(data, tmp_path / "server.log") as url:
            open_scenarios(mine, url)
            for round_ in range(3):
                # Theirs opens the page afresh (as it is stored) and moves growth.
                open_scenarios(theirs, url)
                growth = slider(theirs, "Growth per quarter")
                growth.focus()
                for _ in range(4):
                    growth.press("ArrowRight")
                theirs_growth = float(growth.input_value())
                wait_for_address(theirs, "g", theirs_growth)
                store = ScenarioStore.in_data_dir(data)
                assert store.load(COMPANY, "Base").scenario.growth_per_quarter == (
                    pytest.approx(theirs_growth)
                )

                # Mine still shows the growth it opened with, and moves
                # tickets per user in quick presses, not waiting for answers.
                tickets = slider(mine, "Tickets per user per month")
                tickets.focus()
                for _ in range(8):
                    tickets.press("ArrowRight" if round_ % 2 == 0 else "ArrowLeft")
                wait_until_idle(mine)
                mine.wait_for_timeout(1_000)
                wait_until_idle(mine)

                saved = store.load(COMPANY, "Base").scenario
                # Their growth is kept: 8% + 4 steps of 0.5 points each round.
                assert saved.growth_per_quarter == pytest.approx(theirs_growth), round_
                # Mine ends showing their growth.
                assert float(
                    slider(mine, "Growth per quarter").input_value()
                ) == pytest.approx(theirs_growth)
    finally:
        mine_context.close()
        their_context.close()


def test_a_changed_link_opened_twice_adds_one_scenario(browser, tmp_path):
    data = tmp_path / "cpsu-data"
    context, page = new_page(browser)
    try:
        with app_server(data, tmp_path / "server.log") as url:
            store = ScenarioStore.in_data_dir(data)
            open_scenarios(page, url)
            # A link from another machine whose Conservative has 12 quarters.
            link = f"{url}/?v=1&n=Conservative&g=0.04&t=1.3&r=0.66&h=12"
            for _ in range(2):
                page.goto(link)
                page.get_by_role("heading", name="Scenarios").wait_for()
                page.wait_for_function(
                    "() => new URLSearchParams(window.location.search).get('n')"
                    " === 'Conservative (from link)'",
                    timeout=60_000,
                )
                wait_until_idle(page)
            page.reload()
            page.get_by_role("heading", name="Scenarios").wait_for()
            wait_until_idle(page)
            names = [saved.name for saved in store.scenarios(COMPANY)]
            assert names.count("Conservative (from link)") == 1
            assert not [name for name in names if "from link 2" in name]
    finally:
        context.close()
