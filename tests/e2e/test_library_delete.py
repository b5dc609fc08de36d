"""Deleting a saved scenario in a real browser: Delete asks first, Cancel keeps
it, Yes deletes it and Undo brings it back."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import wait_until_idle
from tests.e2e.test_scenario_library import open_scenarios

pytestmark = pytest.mark.e2e


def choose(page, name: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text="Scenario").first.click()
    page.get_by_role("option", name=name, exact=True).click()
    page.wait_for_url(re.compile(rf"[?&]n={name}"), timeout=30_000)
    wait_until_idle(page)


def options(page) -> list[str]:
    page.get_by_test_id("stSelectbox").filter(has_text="Scenario").first.click()
    names = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return [name.strip() for name in names]


def click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    wait_until_idle(page)


def test_delete_asks_cancel_keeps_yes_deletes_undo_brings_back(page, app_url):
    open_scenarios(page, app_url)
    choose(page, "Aggressive")
    click(page, "Delete")
    page.get_by_text("Delete 'Aggressive'?").wait_for()
    assert "Aggressive" in options(page)

    click(page, "Cancel")
    assert page.get_by_text("Delete 'Aggressive'?").count() == 0
    assert "Aggressive" in options(page)

    click(page, "Delete")
    click(page, "Yes, delete")
    page.get_by_text("Deleted 'Aggressive'.").wait_for()
    assert "Aggressive" not in options(page)

    click(page, "Undo: bring Aggressive back")
    page.get_by_text("Brought 'Aggressive' back.").wait_for()
    assert "Aggressive" in options(page)
