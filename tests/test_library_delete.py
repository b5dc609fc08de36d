"""Deleting a saved scenario asks first (AppTest): one click on Delete only
asks, Yes deletes, Cancel keeps it."""

from __future__ import annotations

import re

from cpsu.store import ScenarioStore, workspace_key
from tests.test_pages import new_app
from tests.test_scenario_library import CHOICE, choose, save_changes, warnings

COMPANY = workspace_key("Quillfern Analytics")
DELETE = "scenarios.library.delete"
YES = "scenarios.library.delete.yes"
CANCEL = "scenarios.library.delete.cancel"
UNDO = "scenarios.library.undo_delete"


def stored_names() -> list[str]:
    return [saved.name for saved in ScenarioStore.in_data_dir().scenarios(COMPANY)]


def test_one_click_on_delete_only_asks():
    at = choose(new_app(), "Conservative")
    at.button(key=DELETE).click().run()
    assert not at.exception
    assert "Conservative" in stored_names()
    assert "Conservative" in at.selectbox(key=CHOICE).options
    assert at.selectbox(key=CHOICE).value == "Conservative"
    assert "Delete 'Conservative'?" in warnings(at)
    assert at.button(key=YES).label == "Yes, delete"


def test_yes_deletes_and_says_so():
    at = choose(new_app(), "Conservative")
    at.button(key=DELETE).click().run()
    at.button(key=YES).click().run()
    assert not at.exception
    assert stored_names() == ["Base", "Aggressive"]
    assert at.selectbox(key=CHOICE).options == ["Base", "Aggressive"]
    assert at.selectbox(key=CHOICE).value == "Base"
    assert "Deleted 'Conservative'" in re.sub(r"\\(.)", r"\1", at.info[0].value)
    # the question is gone with it
    assert YES not in {button.key for button in at.button}


def test_cancel_keeps_the_scenario():
    at = choose(new_app(), "Aggressive")
    at.button(key=DELETE).click().run()
    at.button(key=CANCEL).click().run()
    assert not at.exception
    assert stored_names() == ["Base", "Conservative", "Aggressive"]
    assert at.selectbox(key=CHOICE).value == "Aggressive"
    assert YES not in {button.key for button in at.button}
    # a later click asks again rather than deleting
    at.button(key=DELETE).click().run()
    assert "Aggressive" in stored_names()


def test_the_question_is_dropped_when_another_scenario_is_chosen():
    at = choose(new_app(), "Aggressive")
    at.button(key=DELETE).click().run()
    choose(at, "Conservative")
    assert YES not in {button.key for button in at.button}
    assert stored_names() == ["Base", "Conservative", "Aggressive"]


def test_undo_brings_a_deleted_scenario_back_with_its_assumptions():
    at = choose(new_app(), "Conservative")
    at.slider(key="scenarios.horizon").set_value(12).run()
    save_changes(at)
    at.button(key=DELETE).click().run()
    at.button(key=YES).click().run()
    assert "Conservative" not in stored_names()
    at.button(key=UNDO).click().run()
    assert not at.exception
    assert stored_names() == ["Base", "Aggressive", "Conservative"]
    assert at.selectbox(key=CHOICE).value == "Conservative"
    assert at.slider(key="scenarios.horizon").value == 12
    back = ScenarioStore.in_data_dir().load(COMPANY, "Conservative").scenario
    assert back.horizon_quarters == 12
    assert back.growth_per_quarter == 0.04  # Conservative's: half the sample's 8%
    # Undo is offered once
    assert UNDO not in {button.key for button in at.button}


def test_the_question_says_unsaved_changes_go_with_the_scenario():
    at = choose(new_app(), "Conservative")
    at.slider(key="scenarios.horizon").set_value(12).run()
    at.button(key=DELETE).click().run()
    assert "Your unsaved changes to it go for good" in warnings(at)
