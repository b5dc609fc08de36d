"""A scenario switch against a rerun the browser sent before it drew it
(AppTest, where the order of events can be written down).

A browser sends the values its sliders show with every rerun it asks for. A
key pressed just after a scenario is chosen, or changes are discarded, is
sent with the values the sliders showed before: here that rerun is written as
the old values set on the sliders, then a run. Every test saves to its own
CPSU_DATA_DIR (see conftest.py).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from cpsu.formatting import money
from cpsu.pitch import headline_figures
from cpsu.projection import project
from cpsu.saved import starting_scenarios
from cpsu.scenario import Scenario
from cpsu.share import scenario_from_query
from cpsu.ui import state
from cpsu.ui.sliders import widget_key
from cpsu.ui.state import sample_workspace
from tests.test_page_compare import compare_page
from tests.test_pages import metric, new_app
from tests.test_scenario_library import (
    CHOICE,
    DISCARD_CHANGES,
    HORIZON_CPSU,
    choose,
    warnings,
)

SAVED = {
    each.name: each.scenario for each in starting_scenarios(sample_workspace().scenario)
}
BASE, CONSERVATIVE = SAVED["Base"], SAVED["Conservative"]

# Conservative differs from the sample's Base in six sliders (growth 8% -> 4%,
# tickets 1.10 -> 1.30, resolution 70% -> 66%, deflection 12% -> 10%, its gain
# 2 points -> 0 a quarter, its cap 35% -> 10%): each slider's key and what Base
# has it at, which the browser shows until it draws Conservative.
BASE_SHOWN = {
    state.GROWTH: BASE.growth_per_quarter,
    state.TICKETS_PER_USER: BASE.service_desk.tickets_per_user_month,
    state.RESOLUTION_RATE: BASE.service_desk.resolution_rate,
    state.DEFLECTION: BASE.service_desk.deflection,
    state.DEFLECTION_STEP: BASE.service_desk.deflection_step,
    state.DEFLECTION_CAP: BASE.service_desk.deflection_cap,
}


def slider_scenario(at: AppTest, page: str = "") -> dict[str, float]:
    return {key: at.slider(key=widget_key(key, page)).value for key in BASE_SHOWN}


def values_of(scenario: Scenario) -> dict[str, float]:
    shown = state.slider_values(scenario)
    return {key: shown[key] for key in BASE_SHOWN}


def address(at: AppTest) -> Scenario:
    query = {key: [value] for key, value in at.query_params.items()}
    return scenario_from_query(query, sample_workspace().scenario)


def horizon_cpsu(scenario: Scenario) -> str:
    workspace = sample_workspace()
    projected = project(workspace.cost_base, workspace.headcount, scenario)
    return money(headline_figures(projected).cpsu_at_horizon)


def sent_before_drawn(at: AppTest, moved: dict[str, float], page: str = "") -> AppTest:
    """The rerun a browser sends when it has not drawn the last switch: every
    slider at Base's value, but those in `moved`."""
    for key, value in {**BASE_SHOWN, **moved}.items():
        at.slider(key=widget_key(key, page)).set_value(value)
    return at.run()


def test_a_key_pressed_before_the_switch_is_drawn_leaves_the_chosen_scenario():
    at = choose(new_app(), "Conservative")
    assert slider_scenario(at) == values_of(CONSERVATIVE)

    # Right on tickets, pressed on Base's 1.10 before Conservative was drawn.
    sent_before_drawn(at, {state.TICKETS_PER_USER: 1.15})

    assert at.selectbox(key=CHOICE).value == "Conservative"
    assert slider_scenario(at) == values_of(CONSERVATIVE)
    assert address(at) == CONSERVATIVE
    assert metric(at, HORIZON_CPSU) == horizon_cpsu(CONSERVATIVE)
    assert at.session_state[state.TICKETS_PER_USER] == pytest.approx(1.30)
    assert "Unsaved changes" not in warnings(at)
    assert any("The sliders show Conservative as saved" in c.value for c in at.caption)
    # The workbook the download button builds at a click is Conservative's.
    data = at.session_state["scenarios.download.live_file"]()
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assumptions = {
        row[0]: row[1]
        for row in book["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert assumptions["Growth per quarter"] == pytest.approx(0.04)
    desk = {row[0]: row[1] for row in book["Service desk"].iter_rows(values_only=True)}
    assert desk["Tickets per user per month"] == pytest.approx(1.30)


def test_two_reruns_sent_before_the_switch_is_drawn_leave_it_too():
    at = choose(new_app(), "Conservative")
    sent_before_drawn(at, {state.TICKETS_PER_USER: 1.15})
    sent_before_drawn(at, {state.TICKETS_PER_USER: 1.20})
    assert slider_scenario(at) == values_of(CONSERVATIVE)
    assert address(at) == CONSERVATIVE


def test_once_the_switch_is_drawn_every_move_is_taken_even_to_the_old_values():
    at = choose(new_app(), "Conservative")
    # Drawn: the rerun carries Conservative's values, tickets moved on 1.30.
    at.slider(key=state.TICKETS_PER_USER).set_value(1.35).run()
    assert at.slider(key=state.TICKETS_PER_USER).value == pytest.approx(1.35)
    assert state.SLIDERS_SET not in at.session_state

    # Growth dragged back to Base's 8%: a move of the user's, taken.
    at.slider(key=state.GROWTH).set_value(BASE.growth_per_quarter).run()
    assert at.slider(key=state.GROWTH).value == pytest.approx(0.08)
    assert address(at).growth_per_quarter == pytest.approx(0.08)
    assert address(at).service_desk.tickets_per_user_month == pytest.approx(1.35)
    assert "Unsaved changes to Conservative: 2 assumptions differ" in warnings(at)


def test_a_key_pressed_before_a_discard_is_drawn_keeps_only_its_own_move():
    at = choose(new_app(), "Conservative")
    at.slider(key=state.TICKETS_PER_USER).set_value(1.35).run()
    at.button(key=DISCARD_CHANGES).click().run()
    assert at.slider(key=state.TICKETS_PER_USER).value == pytest.approx(1.30)

    # Right on growth (4% -> 4.5%), pressed while the page still showed
    # tickets at 1.35: the discard stands, and so does the move of growth,
    # a slider the discard left where it was.
    at.slider(key=state.GROWTH).set_value(0.045)
    at.slider(key=state.TICKETS_PER_USER).set_value(1.35)
    at.run()

    moved = {**values_of(CONSERVATIVE), state.GROWTH: 0.045}
    assert slider_scenario(at) == moved
    linked = address(at)
    assert linked.growth_per_quarter == pytest.approx(0.045)
    assert linked.service_desk == CONSERVATIVE.service_desk
    assert metric(at, HORIZON_CPSU) == horizon_cpsu(linked)
    assert "Unsaved changes to Conservative: 1 assumption differs" in warnings(at)


def test_on_compare_a_key_pressed_before_the_switch_is_drawn_leaves_it_too():
    at = compare_page(new_app())
    at.selectbox(key=CHOICE).set_value("Conservative").run()
    assert slider_scenario(at, "compare") == values_of(CONSERVATIVE)

    sent_before_drawn(at, {state.TICKETS_PER_USER: 1.15}, "compare")

    assert slider_scenario(at, "compare") == values_of(CONSERVATIVE)
    for key, value in values_of(CONSERVATIVE).items():
        assert at.session_state[key] == pytest.approx(value), key
    assert "Unsaved changes" not in warnings(at)


def test_a_toggle_turned_back_after_a_discard_is_taken_once_the_wait_is_over(
    monkeypatch,
):
    toggle = state.OVERRIDE_TOGGLES[state.LABOUR_ESCALATION]
    at = new_app()
    at.toggle(key=toggle).set_value(True).run()
    at.button(key=DISCARD_CHANGES).click().run()
    assert at.toggle(key=toggle).value is False
    # The discard wrote one value alone: turning it on again looks like a
    # rerun sent before the discard was drawn, until the browser has had
    # STALE_SECONDS to draw it. Here that time is over at once.
    monkeypatch.setattr(state, "STALE_SECONDS", 0.0)
    at.toggle(key=toggle).set_value(True).run()
    assert at.toggle(key=toggle).value is True
    assert "Unsaved changes to Base: 1 assumption differs" in warnings(at)
