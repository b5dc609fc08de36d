"""Compare and Pitch keep the share link in the page's address, as Scenarios
does, so that a reload there opens the scenario in progress again (AppTest).
Every test saves to its own CPSU_DATA_DIR (see conftest.py)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cpsu.ui import scenario_library, state
from cpsu.ui.sliders import widget_key
from tests.test_page_compare import COMPARE, ROOT, compare_page
from tests.test_pages import new_app, scenarios_page

PITCH = "app_pages/pitch.py"


def address(at: AppTest) -> dict[str, str]:
    return dict(at.query_params.items())


def test_a_move_on_compare_is_in_the_address_and_a_reload_there_keeps_it():
    at = compare_page(new_app())
    at.slider(key=widget_key(state.GROWTH, "compare")).set_value(0.15).run()
    # the sample's Base grows 8% a quarter: only growth differs in the link
    assert address(at) == {"v": "1", "g": "0.15"}

    # A reload on Compare: a new session that opens there, with the address.
    scenario_library._store_in.clear()
    reloaded = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    reloaded.query_params.update(address(at))
    reloaded.switch_page(COMPARE).run()
    assert reloaded.title[0].value == "Compare"
    assert reloaded.slider(key=widget_key(state.GROWTH, "compare")).value == (
        pytest.approx(0.15)
    )


def test_pitch_carries_the_scenario_in_progress_in_its_address():
    at = scenarios_page(new_app())
    at.slider(key=state.TICKETS_PER_USER).set_value(1.5).run()
    at.query_params.clear()  # a page switch in the browser starts bare
    at.switch_page(PITCH).run()
    assert address(at) == {"v": "1", "t": "1.5"}
    assert at.title[0].value.endswith("Base")
