"""Renaming the company and other sessions' scenarios, as a user meets them
(AppTest, with the store read back directly and through the CLI).

A rename starts (or opens) the new company's library from the data's own
assumptions, never from the sliders: the user's unsaved moves stay on the
sliders as unsaved changes to the new library's scenario, and nothing is
saved until the user saves. Every run lists the scenarios as the store has
them, so the Scenario box and Compare's picker offer what other sessions
saved, and stop offering what they deleted."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from cpsu.store import ScenarioStore, workspace_key
from cpsu.ui import state
from cpsu.workbook import input_workbook
from tests.test_cli import SAMPLE, call
from tests.test_page_compare import COMPARE
from tests.test_pages import cost_base_page, new_app, scenarios_page, upload
from tests.test_pitch import small_workspace
from tests.test_scenario_library import (
    CHOICE,
    choose,
    errors,
    open_popover,
    save_as,
    save_changes,
    warnings,
)

QUILLFERN = workspace_key("Quillfern Analytics")
BOARD_PACK = "Board pack Co"
COMPANY_FIELD = "scenarios.company"
PICKED = "compare.scenarios"
GROWTH = state.GROWTH
HORIZON = state.HORIZON


def stored(company: str, name: str = "Base"):
    return ScenarioStore.in_data_dir().load(workspace_key(company), name)


def infos(at: AppTest) -> str:
    return re.sub(r"\\(.)", r"\1", " ".join(info.value for info in at.info))


def rename(at: AppTest, company: str) -> AppTest:
    return at.text_input(key=COMPANY_FIELD).set_value(company).run()


def projected_users(capsys, *options: str) -> list[float]:
    """Supported users a quarter, as `cpsu project --json` projects the sample."""
    code, out, err = call(capsys, "project", str(SAMPLE), "--json", *options)
    assert code == 0, err
    return [quarter["supported_users"] for quarter in json.loads(out)["quarters"]]


def test_a_rename_saves_none_of_the_unsaved_values(capsys):
    at = new_app()
    # Base saved at 9% growth (the sample's own is 8%), then moved to 12%
    # and not saved.
    save_changes(at.slider(key=GROWTH).set_value(0.09).run())
    at.slider(key=GROWTH).set_value(0.12).run()
    rename(at, BOARD_PACK)
    assert not at.exception

    # The new library starts from the file's assumptions: the sample's 8%,
    # neither the old library's saved 9% nor the unsaved 12%.
    assert stored(BOARD_PACK).scenario.growth_per_quarter == 0.08
    assert stored(BOARD_PACK).version == 1
    assert stored("Quillfern Analytics").scenario.growth_per_quarter == 0.09
    # The CLI projects the new company's Base as the sample at 8% growth.
    saved_base = projected_users(capsys, "--scenario", "Base", "--company", BOARD_PACK)
    assert saved_base == projected_users(capsys, "--growth", "0.08")
    assert saved_base != projected_users(capsys, "--growth", "0.12")

    # The user's move stays on the sliders, shown as unsaved against the new
    # Base, and said.
    assert at.slider(key=GROWTH).value == pytest.approx(0.12)
    assert at.selectbox(key=CHOICE).value == "Base"
    assert "Unsaved changes to Base: 1 assumption differs" in warnings(at)
    assert "growth per quarter 12.0% (saved 8.0%)" in warnings(at)
    assert "The sliders show Base as saved." not in [c.value for c in at.caption]
    assert "Your unsaved changes to 'Base' stay on the sliders" in infos(at)
    assert "nothing is saved until you save" in infos(at)

    # Saved only when the user saves.
    save_changes(at)
    assert stored(BOARD_PACK).scenario.growth_per_quarter == 0.12
    assert stored("Quillfern Analytics").scenario.growth_per_quarter == 0.09


def test_a_rename_from_conservative_keeps_base_the_files_own():
    at = choose(new_app(), "Conservative")
    at.slider(key=HORIZON).set_value(10).run()
    rename(at, BOARD_PACK)
    assert not at.exception

    # Base is the sample's (8% growth, 8 quarters), Conservative its own
    # starting one (half of 8% = 4%), neither with the unsaved horizon.
    base = stored(BOARD_PACK).scenario
    assert (base.growth_per_quarter, base.horizon_quarters) == (0.08, 8)
    conservative = stored(BOARD_PACK, "Conservative").scenario
    assert (conservative.growth_per_quarter, conservative.horizon_quarters) == (
        0.04,
        8,
    )
    # The sliders go on showing Conservative with its unsaved horizon.
    assert at.selectbox(key=CHOICE).value == "Conservative"
    assert at.slider(key=HORIZON).value == 10
    assert at.slider(key=GROWTH).value == pytest.approx(0.04)
    assert "Unsaved changes to Conservative: 1 assumption differs" in warnings(at)
    assert "horizon 10 quarters (saved 8 quarters)" in warnings(at)


def test_a_rename_without_unsaved_changes_shows_the_new_base_as_saved():
    at = new_app()
    save_changes(at.slider(key=GROWTH).set_value(0.09).run())
    rename(at, BOARD_PACK)
    assert at.slider(key=GROWTH).value == pytest.approx(0.08)
    assert "The sliders show Base as saved." in [c.value for c in at.caption]
    assert "Unsaved changes" not in warnings(at)


def test_a_scenario_another_session_saves_is_offered_at_the_next_run():
    mine, theirs = new_app(), new_app()
    theirs.slider(key=HORIZON).set_value(12).run()
    save_as(theirs, "Q3 plan")
    assert stored("Quillfern Analytics", "Q3 plan").scenario.horizon_quarters == 12

    mine.slider(key=GROWTH).set_value(0.10).run()
    assert "Q3 plan" in mine.selectbox(key=CHOICE).options
    # Mine's unsaved move to Base is still there, and Base still mine's.
    assert mine.selectbox(key=CHOICE).value == "Base"
    assert mine.slider(key=GROWTH).value == pytest.approx(0.10)

    mine.switch_page(COMPARE).run()
    assert not mine.exception
    assert "Q3 plan" in mine.multiselect(key=PICKED).options

    # Saving as "Q3 plan" is refused as taken; choosing it opens theirs.
    mine.switch_page("app_pages/scenarios.py").run()
    save_as(mine, "Q3 plan")
    assert "already exists" in errors(mine)
    choose(mine, "Q3 plan")
    assert mine.slider(key=HORIZON).value == 12


def test_a_name_taken_between_two_runs_is_refused_in_plain_words():
    mine, theirs = new_app(), new_app()
    open_popover(mine, "scenarios.library.save_new.open")
    mine.text_input(key="scenarios.library.new_name").set_value("Q3 plan")
    # Theirs saves the name after mine's last run, before mine's click.
    save_as(theirs.slider(key=HORIZON).set_value(12).run(), "Q3 plan")
    mine.button(key="scenarios.library.save_new").click().run()
    assert "was saved by another session" in errors(mine)
    assert "version" not in errors(mine)
    assert "Q3 plan" in mine.selectbox(key=CHOICE).options
    assert stored("Quillfern Analytics", "Q3 plan").scenario.horizon_quarters == 12


def test_changes_by_another_session_reach_the_list_but_not_the_scenario_on_screen():
    mine, theirs = new_app(), new_app()
    save_as(theirs, "Q3 plan")
    mine.run()
    assert "Q3 plan" in mine.selectbox(key=CHOICE).options

    # Theirs saves Conservative at 2% growth and deletes Q3 plan.
    save_changes(
        choose(theirs, "Conservative").slider(key=GROWTH).set_value(0.02).run()
    )
    choose(theirs, "Q3 plan")
    theirs.button(key="scenarios.library.delete").click().run()
    theirs.button(key="scenarios.library.delete.yes").click().run()
    # Theirs also saves Base, the scenario on mine's screen.
    save_changes(choose(theirs, "Base").slider(key=GROWTH).set_value(0.15).run())

    mine.slider(key=HORIZON).set_value(10).run()
    assert mine.selectbox(key=CHOICE).options == ["Base", "Conservative", "Aggressive"]
    # Compare offers Conservative as now saved: 2% growth.
    mine.switch_page(COMPARE).run()
    assert not mine.exception
    assert "Q3 plan" not in mine.multiselect(key=PICKED).options
    from cpsu.ui.scenario_library import LIBRARIES

    library = mine.session_state[LIBRARIES][QUILLFERN]
    assert library.scenarios["Conservative"].scenario.growth_per_quarter == 0.02
    # Base on screen stays the version mine opened: saving mine is refused,
    # never written over theirs.
    mine.switch_page("app_pages/scenarios.py").run()
    assert mine.slider(key=GROWTH).value == pytest.approx(0.08)
    save_changes(mine)
    assert "Your changes to Base were not saved" in errors(mine)
    assert stored("Quillfern Analytics").scenario.growth_per_quarter == 0.15
    assert stored("Quillfern Analytics").scenario.horizon_quarters == 8


def test_the_delete_question_and_its_undo_agree():
    at = choose(new_app(), "Conservative")
    at.button(key="scenarios.library.delete").click().run()
    question = warnings(at)
    assert "Delete 'Conservative'?" in question
    assert "cannot be brought back" not in question
    assert "Undo" in question
    at.button(key="scenarios.library.delete.yes").click().run()
    at.button(key="scenarios.library.undo_delete").click().run()
    assert "Conservative" in at.selectbox(key=CHOICE).options
    assert stored(
        "Quillfern Analytics", "Conservative"
    ).scenario.growth_per_quarter == (0.04)


def test_a_rename_to_a_company_with_a_library_shows_the_moves_against_its_own():
    # Board pack Co's library exists, its Base saved at 5% growth.
    theirs = rename(new_app(), BOARD_PACK)
    save_changes(theirs.slider(key=GROWTH).set_value(0.05).run())

    at = new_app()
    at.slider(key=GROWTH).set_value(0.12).run()
    rename(at, BOARD_PACK)
    assert at.slider(key=GROWTH).value == pytest.approx(0.12)
    assert "growth per quarter 12.0% (saved 5.0%)" in warnings(at)
    assert stored(BOARD_PACK).scenario.growth_per_quarter == 0.05
    assert stored("Quillfern Analytics").scenario.growth_per_quarter == 0.08


def test_the_store_lists_names_and_versions_oldest_first():
    at = new_app()
    save_as(at, "Q3 plan")
    save_changes(choose(at, "Conservative").slider(key=GROWTH).set_value(0.02).run())
    # Conservative saved twice (its start, then 2%), the rest once
    assert ScenarioStore.in_data_dir().versions(QUILLFERN) == {
        "Base": 1,
        "Conservative": 2,
        "Aggressive": 1,
        "Q3 plan": 1,
    }
    assert ScenarioStore.in_data_dir().versions("nobody") == {}


def without_assumptions(data: bytes) -> bytes:
    """A workbook without its Assumptions sheet: growth and horizon unsaid."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    del book["Assumptions"]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_rename_after_an_upload_starts_from_the_files_assumptions_as_taken():
    at = new_app()
    at.slider(key=GROWTH).set_value(0.15).run()
    # The file says no growth: the sliders lend it their 15%, and its library
    # starts from that.
    at = cost_base_page(at)
    upload(at, "budget.xlsx", without_assumptions(input_workbook(small_workspace())))
    at = scenarios_page(at)
    assert stored("budget").scenario.growth_per_quarter == 0.15
    at.slider(key=GROWTH).set_value(0.2).run()
    rename(at, "budget 2027")
    # the file's as the sliders took them, not the unsaved 20%, nor the 0%
    # of a file that says nothing
    assert stored("budget 2027").scenario.growth_per_quarter == 0.15
    assert at.slider(key=GROWTH).value == pytest.approx(0.2)
    assert "growth per quarter 20.0% (saved 15.0%)" in warnings(at)
