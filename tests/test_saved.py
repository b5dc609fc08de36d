"""Named scenarios: the three a workspace starts with, and locks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings

from cpsu.projection import project
from cpsu.saved import (
    TICKETS_TREND_AGGRESSIVE,
    SavedScenario,
    ScenarioLocked,
    aggressive,
    conservative,
    describe_shift,
    starting_scenarios,
)
from cpsu.scenario import Scenario
from cpsu.workload import ServiceDesk
from sample_data.build import sample_workspace
from tests.scenario_strategies import scenarios

SAMPLE_BASE = Scenario(
    name="Quillfern plan",
    growth_per_quarter=0.08,
    service_desk=ServiceDesk(
        tickets_per_user_month=1.1,
        resolution_rate=0.70,
        deskside_share=0.35,
        deflection=0.12,
        deflection_step=0.02,
        deflection_cap=0.35,
    ),
)


def test_the_three_starting_scenarios_are_named_and_unsaved():
    base, low, high = starting_scenarios(SAMPLE_BASE)
    assert [s.name for s in (base, low, high)] == ["Base", "Conservative", "Aggressive"]
    assert base.scenario == replace(SAMPLE_BASE, name="Base")
    assert {s.version for s in (base, low, high)} == {0}
    assert not any(s.locked for s in (base, low, high))


def test_conservative_moves_each_benchmarked_assumption_to_its_worse_end():
    low = conservative(SAMPLE_BASE)
    desk = low.service_desk
    assert low.growth_per_quarter == pytest.approx(0.04)  # half of 8%
    assert desk.tickets_per_user_month == 1.3  # top of 1.0 to 1.3
    assert desk.tickets_trend == 0.0  # no further fall
    assert desk.resolution_rate == 0.66  # bottom of 66% to 71%
    # An early programme's deflection, at most 10% and not growing.
    assert (desk.deflection, desk.deflection_step, desk.deflection_cap) == (
        0.10,
        0.0,
        0.10,
    )
    assert low.levers.productivity == 0.0
    # No bracket published: kept.
    assert desk.deskside_share == 0.35
    assert low.horizon_quarters == SAMPLE_BASE.horizon_quarters


def test_aggressive_moves_each_benchmarked_assumption_to_its_better_end():
    high = aggressive(SAMPLE_BASE)
    desk = high.service_desk
    assert high.growth_per_quarter == pytest.approx(0.12)  # 1.5 x 8%
    assert desk.tickets_per_user_month == 1.0  # bottom of 1.0 to 1.3
    assert desk.tickets_trend == -0.026  # (1.15 / 1.9) ** (1 / 19) - 1
    assert desk.resolution_rate == 0.71  # top of 66% to 71%
    # The base's 12% start is above 10% and its 35% cap above 30%: both kept;
    # the step rises from 2 to 5 points a quarter.
    assert (desk.deflection, desk.deflection_step, desk.deflection_cap) == (
        0.12,
        0.05,
        0.35,
    )
    assert high.levers.productivity == 0.10


def test_the_trend_figure_is_the_published_fall():
    # 1.9 tickets a month in 2007 to 1.15 (the middle of 1.0 to 1.3) in 2026.
    fall = (1.15 / 1.9) ** (1 / 19) - 1
    assert fall == pytest.approx(TICKETS_TREND_AGGRESSIVE, abs=0.0005)


@settings(max_examples=100, deadline=None)
@given(scenarios)
def test_conservative_is_never_better_than_base_and_aggressive_never_worse(base):
    low, high = conservative(base), aggressive(base)
    for name in ("tickets_per_user_month", "tickets_trend"):
        mine = getattr(base.service_desk, name)
        assert (
            getattr(low.service_desk, name) >= mine >= getattr(high.service_desk, name)
        )
    for name in ("resolution_rate", "deflection", "deflection_step", "deflection_cap"):
        mine = getattr(base.service_desk, name)
        assert (
            getattr(low.service_desk, name) <= mine <= getattr(high.service_desk, name)
        )
    assert low.growth_per_quarter <= base.growth_per_quarter <= high.growth_per_quarter
    assert low.levers.productivity <= base.levers.productivity
    assert base.levers.productivity <= high.levers.productivity
    assert low.changes == base.changes == high.changes


def test_on_the_sample_conservative_costs_more_per_user_and_aggressive_less():
    workspace = sample_workspace()
    cpsu = {
        saved.name: project(workspace.cost_base, workspace.headcount, saved.scenario)
        .table["cpsu"]
        .iloc[-1]
        for saved in starting_scenarios(workspace.scenario)
    }
    assert cpsu["Conservative"] > cpsu["Base"] > cpsu["Aggressive"]


def test_a_shift_is_described_in_words():
    words = describe_shift(SAMPLE_BASE, conservative(SAMPLE_BASE))
    assert "growth 8.0% -> 4.0% a quarter" in words
    assert "tickets per user 1.1 -> 1.3 a month" in words
    assert "resolution rate 70.0% -> 66.0%" in words


def test_a_locked_scenario_refuses_changes_naming_its_note_and_date():
    saved = SavedScenario(SAMPLE_BASE).locked_with(
        "  Agreed at the March board  ", date(2027, 3, 12)
    )
    assert saved.locked and saved.lock_note == "Agreed at the March board"
    with pytest.raises(ScenarioLocked) as caught:
        saved.with_scenario(replace(SAMPLE_BASE, growth_per_quarter=0.2))
    message = str(caught.value)
    assert "2027-03-12" in message and "Agreed at the March board" in message
    with pytest.raises(ScenarioLocked):
        saved.locked_with("again", date(2027, 4, 1))


def test_a_lock_needs_a_note_and_a_date():
    with pytest.raises(ValueError, match="needs a note and a date"):
        SavedScenario(SAMPLE_BASE).locked_with("   ", date(2027, 3, 12))
    with pytest.raises(ValueError, match="needs a name"):
        SavedScenario(Scenario(name="  "))
