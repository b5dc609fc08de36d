"""The scenario library with two real browsers on one server: one browser's
slider moves stay in its session until it saves; a save based on a version
the other has saved over since is refused and said, its values kept; and a
changed share link opened twice saves nothing."""

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


def click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    wait_until_idle(page)


def test_moves_stay_in_their_browser_and_a_stale_save_is_refused(browser, tmp_path):
    data = tmp_path / "cpsu-data"
    (mine_context, mine), (their_context, theirs) = (
        new_page(browser),
        new_page(browser),
    )
    try:
        with app_server(data, tmp_path / "server.log") as url:
            store = ScenarioStore.in_data_dir(data)
            open_scenarios(mine, url)
            for round_ in range(2):
                saved = store.load(COMPANY, "Base")
                # Theirs opens the page afresh and moves growth: not saved.
                open_scenarios(theirs, url)
                growth = slider(theirs, "Growth per quarter")
                growth.focus()
                for _ in range(4):
                    growth.press("ArrowRight")
                theirs_growth = float(growth.input_value())
                wait_for_address(theirs, "g", theirs_growth)
                theirs.get_by_text("Unsaved changes to Base").wait_for()
                assert store.load(COMPANY, "Base") == saved

                # Mine still shows the saved growth, and moves tickets per
                # user in quick presses, not waiting for answers.
                assert float(
                    slider(mine, "Growth per quarter").input_value()
                ) == pytest.approx(saved.scenario.growth_per_quarter)
                tickets = slider(mine, "Tickets per user per month")
                tickets.focus()
                for _ in range(8):
                    tickets.press("ArrowRight" if round_ % 2 == 0 else "ArrowLeft")
                wait_until_idle(mine)
                mine_tickets = float(tickets.input_value())
                assert store.load(COMPANY, "Base") == saved

                # Theirs saves; then mine's save, based on the older version,
                # is refused and said, and mine's values stay on its sliders.
                click(theirs, "Save changes")
                theirs.get_by_text("Saved your changes to 'Base'.").wait_for()
                click(mine, "Save changes")
                mine.get_by_text("Your changes to Base were not saved").wait_for()
                stored = store.load(COMPANY, "Base").scenario
                # Their growth: 8% + 4 steps of 0.5 points each round.
                assert stored.growth_per_quarter == pytest.approx(theirs_growth)
                assert stored.service_desk.tickets_per_user_month == pytest.approx(
                    saved.scenario.service_desk.tickets_per_user_month
                )
                assert float(
                    slider(mine, "Tickets per user per month").input_value()
                ) == pytest.approx(mine_tickets)

                # Discarding shows theirs.
                click(mine, "Discard mine")
                mine.get_by_text("Discarded your changes").wait_for()
                assert float(
                    slider(mine, "Growth per quarter").input_value()
                ) == pytest.approx(theirs_growth)
    finally:
        mine_context.close()
        their_context.close()


def test_a_changed_link_opened_twice_saves_nothing(browser, tmp_path):
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
                page.get_by_text("Unsaved changes to Conservative").wait_for(
                    timeout=60_000
                )
                wait_until_idle(page)
                assert slider(page, "Horizon").input_value() == "12"
            page.reload()
            page.get_by_role("heading", name="Scenarios").wait_for()
            wait_until_idle(page)
            names = [saved.name for saved in store.scenarios(COMPANY)]
            assert names == ["Base", "Conservative", "Aggressive"]
            assert store.load(COMPANY, "Conservative").version == 1
    finally:
        context.close()
