"""Work in progress stays in its session; only an explicit save is shared
(AppTest). A slider move changes the session's scenario in progress: the
panel says what differs from the saved scenario and offers Save changes and
Discard changes; another session on the same company sees the saved values
until a save, and then on its next choice. Unsaved changes survive a page
switch, a rerun and a visit to another scenario or company. An upload whose
company already has a library says which of the file's assumptions differ
from its Base and lets the user take them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from cpsu.formatting import money
from cpsu.projection import project
from cpsu.store import ScenarioStore, workspace_key
from cpsu.ui import state
from cpsu.ui.sliders import widget_key
from cpsu.workbook import input_workbook
from tests.test_page_compare import COMPARE, differences
from tests.test_pages import cost_base_page, metric, new_app, scenarios_page, upload
from tests.test_pages_pitch import PITCH
from tests.test_pitch import small_workspace
from tests.test_scenario_library import (
    CHOICE,
    DISCARD_CHANGES,
    SAVE_CHANGES,
    choose,
    errors,
    save_changes,
    warnings,
)

COMPANY = workspace_key("Quillfern Analytics")
GROWTH = state.GROWTH
TICKETS = state.TICKETS_PER_USER
USE_FILE = "scenarios.library.use_file"
KEEP_SAVED = "scenarios.library.keep_saved"
UNSAVED = "Unsaved changes to Base"


def stored(name: str = "Base", company: str = COMPANY):
    return ScenarioStore.in_data_dir().load(company, name)


def infos(at: AppTest) -> str:
    return " ".join(info.value for info in at.info).replace("\\", "")


def test_a_move_stays_in_its_session_until_saved():
    mine, theirs = new_app(), new_app()
    mine.slider(key=GROWTH).set_value(0.15).run()
    # the store and the other session still have the sample's 8%
    assert stored().version == 1
    assert stored().scenario.growth_per_quarter == 0.08
    theirs.run()
    assert theirs.slider(key=GROWTH).value == pytest.approx(0.08)
    assert new_app().slider(key=GROWTH).value == pytest.approx(0.08)

    save_changes(mine)
    assert "Saved your changes to 'Base'" in " ".join(
        s.value for s in mine.success
    ).replace("\\", "")
    assert UNSAVED not in warnings(mine)
    assert stored().scenario.growth_per_quarter == 0.15
    # the other session sees the save on its next choice of Base, and a new
    # session at once
    choose(choose(theirs, "Conservative"), "Base")
    assert theirs.slider(key=GROWTH).value == pytest.approx(0.15)
    assert new_app().slider(key=GROWTH).value == pytest.approx(0.15)


def test_the_panel_lists_what_differs_and_discard_puts_the_saved_values_back():
    at = new_app()
    assert "The sliders show Base as saved." in [c.value for c in at.caption]
    assert SAVE_CHANGES not in {button.key for button in at.button}
    at.slider(key=GROWTH).set_value(0.12).run()
    at.slider(key=TICKETS).set_value(1.5).run()
    assert "Unsaved changes to Base: 2 assumptions differ" in warnings(at)
    assert "growth per quarter 12.0% (saved 8.0%)" in warnings(at)
    assert "tickets per user a month 1.5 (saved 1.1)" in warnings(at)
    # a change that goes back to the saved value is no change
    at.slider(key=TICKETS).set_value(1.1).run()
    assert "Unsaved changes to Base: 1 assumption differs" in warnings(at)

    at.button(key=DISCARD_CHANGES).click().run()
    assert at.slider(key=GROWTH).value == pytest.approx(0.08)
    assert UNSAVED not in warnings(at)
    assert "Discarded your changes to 'Base'" in infos(at)
    assert stored().version == 1


def test_unsaved_changes_survive_a_page_switch_and_a_rerun():
    at = new_app()
    at.slider(key=GROWTH).set_value(0.15).run()
    at = scenarios_page(cost_base_page(at))
    at.run()
    assert at.slider(key=GROWTH).value == pytest.approx(0.15)
    assert UNSAVED in warnings(at)
    assert stored().scenario.growth_per_quarter == 0.08


def test_compare_and_pitch_show_the_scenario_in_progress():
    at = new_app()
    at.slider(key=GROWTH).set_value(0.15).run()
    shown = metric(at, "CPSU 2028-Q4")
    # the CPSU of 15% growth, not of the saved 8%
    sample = state.sample_workspace()
    saved = project(sample.cost_base, sample.headcount, sample.scenario)
    assert shown != money(saved.column("cpsu")[8])
    at.switch_page(COMPARE).run()
    assert not at.exception
    assert at.slider(key=widget_key(GROWTH, "compare")).value == pytest.approx(0.15)
    assert money(differences(at)[("Base", "2028-Q4")].cpsu) == shown
    assert UNSAVED in warnings(at)
    at.switch_page(PITCH).run()
    assert not at.exception
    assert metric(at, "CPSU 2028-Q4") == shown
    assert stored().version == 1


def test_another_scenario_chosen_keeps_the_unsaved_changes_and_says_so():
    at = new_app()
    at.slider(key=GROWTH).set_value(0.15).run()
    choose(at, "Conservative")
    assert "Your unsaved changes to 'Base' are kept in this session" in infos(at)
    assert at.selectbox(key=CHOICE).options[0] == "Base (unsaved changes)"
    assert at.slider(key=GROWTH).value == pytest.approx(0.04)
    assert UNSAVED not in warnings(at)
    choose(at, "Base")
    assert at.slider(key=GROWTH).value == pytest.approx(0.15)
    assert UNSAVED in warnings(at)
    assert stored().version == 1


def test_changes_left_while_another_session_saved_are_refused_on_return():
    mine, theirs = new_app(), new_app()
    mine.slider(key=GROWTH).set_value(0.15).run()
    choose(mine, "Conservative")
    save_changes(theirs.slider(key=TICKETS).set_value(2.0).run())
    choose(mine, "Base")
    # mine's values are back on the sliders, and saving them is refused
    assert mine.slider(key=GROWTH).value == pytest.approx(0.15)
    assert "Your changes to Base were not saved" in errors(mine)
    assert SAVE_CHANGES not in {button.key for button in mine.button}
    assert stored().scenario.service_desk.tickets_per_user_month == 2.0
    assert stored().scenario.growth_per_quarter == 0.08


def test_unsaved_changes_survive_a_visit_to_another_company():
    at = new_app()
    at.slider(key=GROWTH).set_value(0.15).run()
    at.text_input(key="scenarios.company").set_value("Another company").run()
    # they go on with the new name, unsaved there too
    assert "Your unsaved changes to 'Base' stay on the sliders" in infos(at)
    assert at.slider(key=GROWTH).value == pytest.approx(0.15)
    assert UNSAVED in warnings(at)
    assert stored(company="another company").scenario.growth_per_quarter == 0.08
    at.text_input(key="scenarios.company").set_value("Quillfern Analytics").run()
    assert at.slider(key=GROWTH).value == pytest.approx(0.15)
    assert UNSAVED in warnings(at)
    assert stored().scenario.growth_per_quarter == 0.08


def small_with_growth(growth: float) -> bytes:
    """The small company's workbook with its own growth a quarter."""
    workspace = small_workspace()
    return input_workbook(
        replace(
            workspace, scenario=replace(workspace.scenario, growth_per_quarter=growth)
        )
    )


def uploaded(name: str, data: bytes) -> AppTest:
    at = cost_base_page(new_app())
    upload(at, name, data)
    return scenarios_page(at)


def test_an_upload_into_an_existing_library_says_which_assumptions_differ():
    # A first session's upload makes "budget"'s library from its file (5%).
    first = uploaded("budget.xlsx", small_with_growth(0.05))
    assert stored(company="budget").scenario.growth_per_quarter == 0.05
    assert "this file's own assumptions differ" not in warnings(first)

    # Another file of the same name, with 9% growth: the saved Base is shown,
    # and the page says so and how they differ.
    second = uploaded("budget.xlsx", small_with_growth(0.09))
    assert second.slider(key=GROWTH).value == pytest.approx(0.05)
    assert "this file's own assumptions differ from its saved Base" in (
        warnings(second)
    )
    assert "growth per quarter 9.0% (saved Base 5.0%)" in warnings(second)
    second.button(key=USE_FILE).click().run()
    assert second.slider(key=GROWTH).value == pytest.approx(0.09)
    assert "Unsaved changes to Base: 1 assumption differs" in warnings(second)
    assert "this file's own assumptions differ" not in warnings(second)
    # the user decides: nothing is saved until they save
    assert stored(company="budget").version == 1
    save_changes(second)
    assert stored(company="budget").scenario.growth_per_quarter == 0.09


def test_keeping_the_saved_base_drops_the_offer():
    uploaded("budget.xlsx", small_with_growth(0.05))
    second = uploaded("budget.xlsx", small_with_growth(0.09))
    second.button(key=KEEP_SAVED).click().run()
    assert "this file's own assumptions differ" not in warnings(second)
    assert second.slider(key=GROWTH).value == pytest.approx(0.05)
    assert UNSAVED not in warnings(second)


def test_renaming_the_company_starts_a_library_from_the_files_assumptions():
    uploaded("budget.xlsx", small_with_growth(0.05))
    second = uploaded("budget.xlsx", small_with_growth(0.09))
    second.text_input(key="scenarios.company").set_value("budget 2027").run()
    assert not second.exception
    assert second.slider(key=GROWTH).value == pytest.approx(0.09)
    assert stored(company="budget 2027").scenario.growth_per_quarter == 0.09
    assert stored(company="budget").scenario.growth_per_quarter == 0.05
    assert "this file's own assumptions differ" not in warnings(second)


def test_an_upload_keeps_the_unsaved_changes_of_the_company_left():
    at = new_app()
    at.slider(key=GROWTH).set_value(0.15).run()
    at = cost_base_page(at)
    upload(at, "budget.xlsx", small_with_growth(0.05))
    at = scenarios_page(at)
    assert at.slider(key=GROWTH).value == pytest.approx(0.05)
    at.text_input(key="scenarios.company").set_value("Quillfern Analytics").run()
    assert at.slider(key=GROWTH).value == pytest.approx(0.15)
    assert UNSAVED in warnings(at)


def test_a_workbook_for_the_company_in_use_says_it_replaced_unsaved_changes():
    at = uploaded("budget.xlsx", small_with_growth(0.05))
    at.slider(key=GROWTH).set_value(0.07).run()
    at = cost_base_page(at)
    upload(at, "budget.xlsx", small_with_growth(0.09))
    at = scenarios_page(at)
    assert at.slider(key=GROWTH).value == pytest.approx(0.09)
    assert "the uploaded workbook's assumptions, as unsaved changes to 'Base'" in (
        infos(at)
    )
    assert "they replaced the changes you had not saved" in infos(at)
    assert stored(company="budget").scenario.growth_per_quarter == 0.05
