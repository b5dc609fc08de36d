"""Tornado, Monte Carlo, goal seeking, the CPSU bridge, hire triggers and
guardrails, each checked by hand on a cost base small enough to follow."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu import sensitivity
from cpsu.costs import Behaviour, CostBase, CostLine, Tier
from cpsu.projection import Assumptions, compile_model, project, run_model
from cpsu.scenario import LineChange, Scenario
from cpsu.sensitivity import (
    BRIDGE_MECHANISMS,
    CpsuTarget,
    Range,
    SteadyFall,
    assumption_lever,
    cpsu_bridge,
    default_ranges,
    guardrail_arrays,
    guardrails,
    hire_triggers,
    monte_carlo,
    price_lever,
    solve,
    tickets_per_agent_lever,
    tornado,
)
from cpsu.workload import ServiceDesk
from tests.model_builders import headcount

PER_TICKET = CostLine(
    "Outsourced desk",
    "Managed service",
    Behaviour.PER_TICKET,
    unit_cost=10,
    tier=Tier.TIER_1,
)
OVERHEAD = CostLine("Overhead", "Other", Behaviour.FIXED, amount=1_000)
DESK = ServiceDesk(
    tickets_per_user_month=1.1,
    resolution_rate=0.7,
    deskside_share=0.3,
    deflection=0.1,
    deflection_cap=0.5,
)
THOUSAND = headcount(("2026-Q4", 1000, 0))
ONE_QUARTER = Scenario(horizon_quarters=1, service_desk=DESK)
THREE = (
    Range("growth_per_quarter", "Growth", 0.0, 0.15, "test"),
    Range("tickets_per_user_month", "Tickets per user", 1.0, 1.3, "test"),
    Range("deflection", "Deflection", 0.08, 0.15, "test"),
)


def test_tornado_ranks_assumptions_by_their_swing_by_hand():
    table = tornado(CostBase((PER_TICKET, OVERHEAD)), THOUSAND, ONE_QUARTER, THREE)
    # CPSU = (1,000 + 10 x U x tpu x (1 - d)) / U = 1,000 / U + 10 x tpu x (1 - d)
    # tickets per user 1.0 / 1.3 at d = 0.1: 1 + 9 = 10 and 1 + 11.7 = 12.7
    # deflection 0.08 / 0.15 at tpu 1.1: 1 + 10.12 = 11.12 and 1 + 9.35 = 10.35
    # growth 0 / 15% (1,150 users at t = 1): 1 + 9.9 = 10.9, 0.8696 + 9.9 = 10.7696
    assert table["assumption"].tolist() == [
        "tickets_per_user_month",
        "deflection",
        "growth_per_quarter",
    ]
    assert table["cpsu_low"].tolist() == pytest.approx([10.0, 11.12, 10.9])
    assert table["cpsu_high"].tolist() == pytest.approx(
        [12.7, 10.35, 1_000 / 1_150 + 9.9]
    )
    assert table["swing"].tolist() == pytest.approx([2.7, 0.77, 1 - 1_000 / 1_150])
    assert table["cpsu"].tolist() == pytest.approx([10.9] * 3)
    assert table["value"].tolist() == [1.1, 0.1, 0.0]


def test_monte_carlo_percentiles_of_a_seeded_draw_by_hand():
    one = (Range("tickets_per_user_month", "Tickets per user", 1.0, 1.3, "test"),)
    bands = monte_carlo(
        CostBase((PER_TICKET, OVERHEAD)),
        THOUSAND,
        ONE_QUARTER,
        one,
        draws=500,
        seed=7,
    )
    # CPSU = 1 + 10 x tpu x 0.9 = 1 + 9 x tpu, rising in tpu, so each of its
    # percentiles is 1 + 9 x that percentile of the drawn tickets per user.
    drawn = np.random.default_rng(7).uniform(1.0, 1.3, 500)
    for column, share in (("p10", 10), ("p50", 50), ("p90", 90)):
        expected = 1 + 9 * np.percentile(drawn, share)
        assert bands[column].tolist() == pytest.approx([expected, expected])
    assert bands["cpsu"].tolist() == pytest.approx([10.9, 10.9])
    assert bands["quarter"].tolist() == ["2026-Q4", "2027-Q1"]


def test_monte_carlo_is_reproducible_for_a_seed_and_differs_for_another():
    args = (CostBase((PER_TICKET, OVERHEAD)), THOUSAND, ONE_QUARTER, THREE)
    first = monte_carlo(*args, draws=200, seed=1)
    assert first.equals(monte_carlo(*args, draws=200, seed=1))
    assert not first.equals(monte_carlo(*args, draws=200, seed=2))


def test_draws_costed_in_small_batches_give_the_same_bands(monkeypatch):
    args = (CostBase((PER_TICKET, OVERHEAD)), THOUSAND, ONE_QUARTER, THREE)
    whole = monte_carlo(*args, draws=300, seed=3)
    monkeypatch.setattr(sensitivity, "_BATCH_CELLS", 10)  # 2 lines x 2 quarters
    pd.testing.assert_frame_equal(monte_carlo(*args, draws=300, seed=3), whole)


def test_default_productivity_range_comes_from_the_tier_1_benchmark():
    staff = CostLine(
        "Desk staff",
        "Service desk (Tier 1)",
        Behaviour.STAFFED,
        unit_cost=5_000,
        tier=Tier.TIER_1,
        tickets_per_agent=625,
    )
    ranges = {one.assumption: one for one in default_ranges(CostBase((staff,)))}
    # 500 / 625 - 1 = -20%, 800 / 625 - 1 = +28%
    assert ranges["productivity"].low == pytest.approx(-0.2)
    assert ranges["productivity"].high == pytest.approx(0.28)
    assert (ranges["resolution_rate"].low, ranges["resolution_rate"].high) == (
        0.66,
        0.71,
    )


def test_a_range_upside_down_is_refused():
    with pytest.raises(ValueError, match="low must not be above its high"):
        Range("deflection", "Deflection", 0.3, 0.1, "test")


@settings(max_examples=30, deadline=None)
@given(
    growth=st.floats(0.0, 0.2),
    draws=st.integers(1, 60),
    seed=st.integers(0, 2**32 - 1),
)
def test_bands_are_ordered_and_hold_the_draws(growth, draws, seed):
    scenario = replace(ONE_QUARTER, horizon_quarters=4, growth_per_quarter=growth)
    lines = CostBase((PER_TICKET, OVERHEAD))
    bands = monte_carlo(lines, THOUSAND, scenario, THREE, draws=draws, seed=seed)
    assert (bands["p10"] <= bands["p50"] + 1e-12).all()
    assert (bands["p50"] <= bands["p90"] + 1e-12).all()
    # Every draw lies between the CPSU of the ranges' corners: CPSU falls with
    # growth and deflection and rises with tickets per user.
    low = project(
        lines,
        THOUSAND,
        replace(
            scenario,
            growth_per_quarter=0.15,
            service_desk=replace(DESK, tickets_per_user_month=1.0, deflection=0.15),
        ),
    ).table["cpsu"]
    high = project(
        lines,
        THOUSAND,
        replace(
            scenario,
            growth_per_quarter=0.0,
            service_desk=replace(DESK, tickets_per_user_month=1.3, deflection=0.08),
        ),
    ).table["cpsu"]
    assert (bands["p10"] >= low - 1e-9).all()
    assert (bands["p90"] <= high + 1e-9).all()


# --- what must be true ---------------------------------------------------------

DESK_STAFF = CostLine(
    "Desk staff",
    "Service desk (Tier 1)",
    Behaviour.STAFFED,
    unit_cost=5_000,
    tier=Tier.TIER_1,
    tickets_per_agent=600,
    escalation=0.03,
)
LICENCE = CostLine("Licence", "Productivity software", Behaviour.PER_USER, unit_cost=10)
ONE_TICKET = ServiceDesk(
    tickets_per_user_month=1.0,
    resolution_rate=0.5,
    deskside_share=0.0,
    deflection=0.0,
    deflection_cap=0.5,
)


def test_the_deflection_that_reaches_a_target_by_hand():
    solution = solve(
        CostBase((PER_TICKET, OVERHEAD)),
        THOUSAND,
        ONE_QUARTER,
        assumption_lever("deflection", 0.0, 0.5),
        CpsuTarget(quarter=1, cpsu=8.70),
    )
    # CPSU = 1 + 10 x 1.1 x (1 - d) = 8.70 when 1 - d = 7.70 / 11 = 0.7: d = 0.3
    assert solution.value == pytest.approx(0.3, abs=1e-9)
    assert solution.bound == "at least"
    assert solution.exact
    assert solution.current == 0.1
    scenario = replace(ONE_QUARTER, service_desk=replace(DESK, deflection=0.3))
    cpsu = project(CostBase((PER_TICKET, OVERHEAD)), THOUSAND, scenario).table["cpsu"]
    assert abs(cpsu.iloc[1] - 8.70) < 0.01


def test_a_target_behind_a_whole_agent_reports_the_smallest_deflection_that_meets_it():
    scenario = Scenario(horizon_quarters=1, service_desk=ONE_TICKET)
    solution = solve(
        CostBase((DESK_STAFF,)),
        THOUSAND,
        scenario,
        assumption_lever("deflection", 0.0, 0.5),
        CpsuTarget(quarter=0, cpsu=7.0),
    )
    # 1,000 x (1 - d) tickets need ceil(1,000 (1 - d) / 600) agents: 2 ($10 a
    # user) until 1,000 (1 - d) = 600 at d = 0.4, then 1 ($5 a user). CPSU
    # jumps from 10 to 5 at 0.4, never equal to 7.
    assert solution.value == pytest.approx(0.4, abs=1e-9)
    assert not solution.exact
    assert solution.margin == pytest.approx(5.0 - 7.0)
    assert "jumps" in solution.message


def test_a_target_no_value_in_range_can_reach_is_said_plainly():
    scenario = Scenario(horizon_quarters=1, service_desk=ONE_TICKET)
    solution = solve(
        CostBase((DESK_STAFF,)),
        THOUSAND,
        scenario,
        assumption_lever("deflection", 0.0, 0.5),
        CpsuTarget(quarter=0, cpsu=4.0),
    )
    # At most 50% deflection leaves 500 tickets: still 1 agent, $5 a user.
    assert solution.value is None
    assert solution.margin == pytest.approx(1.0)
    assert solution.message.startswith("No value of Deflection from 0.00% to 50.00%")


def test_the_licence_price_that_reaches_a_target_by_hand():
    solution = solve(
        CostBase((LICENCE, OVERHEAD)),
        THOUSAND,
        ONE_QUARTER,
        price_lever("Licence", 0.0, 40.0),
        CpsuTarget(quarter=1, cpsu=8.5),
    )
    # CPSU = price + 1,000 / 1,000 users = price + 1: at most $7.50
    assert solution.value == pytest.approx(7.5, abs=1e-9)
    assert solution.bound == "at most"
    assert solution.exact
    assert solution.current == 10


def test_the_growth_that_cuts_cpsu_a_fifth_every_quarter_by_hand():
    scenario = Scenario(horizon_quarters=2, service_desk=DESK)
    solution = solve(
        CostBase((replace(OVERHEAD, amount=10_000),)),
        THOUSAND,
        scenario,
        assumption_lever("growth_per_quarter", 0.0, 0.5),
        SteadyFall(0.20),
    )
    # CPSU = 10,000 / U falls 20% a quarter when U grows by 1 / 0.8 = 1.25:
    # at 25% users are 1,250 then 1,562.5 -> 1,563; a hair less gives 1,562
    # in quarter 2, a fall of only 19.97%.
    assert solution.value == pytest.approx(0.25, abs=1e-9)
    assert solution.bound == "at least"
    assert solution.margin <= 0


def test_every_value_meeting_the_goal_is_said():
    solution = solve(
        CostBase((LICENCE,)),
        THOUSAND,
        ONE_QUARTER,
        price_lever("Licence", 0.0, 20.0),
        CpsuTarget(quarter=1, cpsu=50.0),
    )
    assert solution.bound == "any"
    assert solution.message.startswith("Every value")


@settings(max_examples=40, deadline=None)
@given(users=st.integers(100, 10_000), where=st.floats(0.01, 0.99))
def test_a_solved_deflection_reproduces_a_reachable_target_within_a_cent(users, where):
    lines = CostBase((PER_TICKET, OVERHEAD))
    company = headcount(("2026-Q4", users, 0))
    # CPSU at t = 1 runs from 1,000 / U + 11 (no deflection) down to
    # 1,000 / U + 11 x 0.55 (45%); aim somewhere between.
    highest, lowest = 1_000 / users + 11, 1_000 / users + 11 * 0.55
    target = highest - where * (highest - lowest)
    solution = solve(
        lines,
        company,
        ONE_QUARTER,
        assumption_lever("deflection", 0.0, 0.45),
        CpsuTarget(quarter=1, cpsu=target),
    )
    assert solution.exact
    scenario = replace(
        ONE_QUARTER, service_desk=replace(DESK, deflection=solution.value)
    )
    cpsu = project(lines, company, scenario).table["cpsu"].iloc[1]
    assert abs(cpsu - target) < 0.01


@settings(max_examples=40, deadline=None)
@given(users=st.integers(100, 20_000), where=st.floats(0.05, 0.95))
def test_a_solved_productivity_is_the_smallest_that_meets_a_step_target(users, where):
    lines = CostBase((DESK_STAFF,))
    company = headcount(("2026-Q4", users, 0))
    scenario = Scenario(horizon_quarters=1, service_desk=ONE_TICKET)

    def cpsu_at(productivity: float) -> float:
        levers = replace(scenario.levers, productivity=productivity)
        table = project(lines, company, replace(scenario, levers=levers)).table
        return float(table["cpsu"].iloc[0])

    highest, lowest = cpsu_at(-0.5), cpsu_at(1.0)
    target = highest - where * (highest - lowest)
    solution = solve(
        lines,
        company,
        scenario,
        assumption_lever("productivity", -0.5, 1.0),
        CpsuTarget(quarter=0, cpsu=target),
    )
    if solution.bound == "any":
        return
    assert solution.value is not None
    assert cpsu_at(solution.value) <= target
    assert cpsu_at(solution.value - 1e-6) > target


# --- the CPSU bridge -----------------------------------------------------------

ROUTER = CostLine(
    "Router", "Other", Behaviour.STEP, unit_cost=100, users_per_unit=400, min_units=1
)
TOOL = CostLine(
    "Tool",
    "Support tools",
    Behaviour.DEPRECIATION,
    amount=12_000,
    life_months=12,
    in_service=date(2026, 10, 1),
    renew=False,
)
ONE_DOLLAR_TICKET = replace(PER_TICKET, unit_cost=1)
GROWING = headcount(
    ("2026-Q4", 1000, 0),
    ("2027-Q1", 1150, 0),
    ("2027-Q2", 1300, 0),
    ("2027-Q3", 1450, 0),
    ("2027-Q4", 1600, 0),
)


def test_the_bridge_by_hand():
    lines = CostBase(
        (
            OVERHEAD,
            TOOL,
            ROUTER,
            DESK_STAFF,
            replace(LICENCE, escalation=0.02),
            ONE_DOLLAR_TICKET,
        )
    )
    desk = replace(ONE_TICKET, tickets_trend=-0.19, deflection_step=0.05)
    bridge = cpsu_bridge(
        lines, GROWING, Scenario(horizon_quarters=4, service_desk=desk)
    )
    # Baseline: 1,000 users and tickets. Staff ceil(1,000 / 600) = 2 x 5,000;
    # router ceil(1,000 / 400) = 3 x 100; licence 10,000; overhead 1,000; tool
    # 12,000 / 12 = 1,000; tickets 1,000 x $1. 23,300 / 1,000 = 23.30.
    # 1. 1,600 users: fixed (1,000 + 1,000) / 1,600 - 2 = -0.75; router
    #    ceil(4) = 4 x 100 / 1,600 - 0.30 = -0.05; staff ceil(2.67) = 3 x 5,000
    #    / 1,600 - 10 = -0.625; licence and tickets per user unchanged.
    # 2. tickets per user 0.81 (-19% a year): 1,296 tickets, still 3 agents;
    #    $1 tickets 1,296 / 1,600 - 1 = -0.19.
    # 3. deflection 0.05 x 4 = 20%: 1,036.8 tickets, ceil(1.728) = 2 agents:
    #    -5,000 / 1,600 = -3.125; tickets (1,036.8 - 1,296) / 1,600 = -0.162.
    # 4. the tool's 12 months end on 2027-10-01: -1,000 / 1,600 = -0.625.
    # 5. a year of escalation: staff 10,000 x 3% = 300, licence 16,000 x 2% =
    #    320: +620 / 1,600 = +0.3875.
    assert bridge["mechanism"].tolist() == list(BRIDGE_MECHANISMS)
    assert bridge["change"].tolist() == pytest.approx(
        [-0.75, -0.05, -0.625, -0.19, -3.287, -0.625, 0.3875]
    )
    # 23.30 at the baseline; at t = 4: 10,300 + 400 + 16,320 + 1,000 + 1,036.8
    # = 29,056.8 / 1,600 = 18.1605
    assert bridge["cpsu_from"].iloc[0] == pytest.approx(23.30)
    assert bridge["cpsu_to"].iloc[-1] == pytest.approx(18.1605)
    table = project(
        lines, GROWING, Scenario(horizon_quarters=4, service_desk=desk)
    ).table
    assert table["cpsu"].iloc[[0, 4]].tolist() == pytest.approx([23.30, 18.1605])


@st.composite
def small_line(draw) -> CostLine:
    behaviour = draw(st.sampled_from(list(Behaviour)))
    return CostLine(
        item=draw(st.sampled_from(["a", "b", "c", "d"])),
        pool=draw(st.sampled_from(["Other", "Tier 2", "Support tools"])),
        behaviour=behaviour,
        amount=draw(st.floats(1, 1e5)),
        unit_cost=draw(st.floats(0.01, 1e4)),
        users_per_unit=draw(st.floats(1, 3000)),
        tier=draw(st.sampled_from(list(Tier))),
        tickets_per_agent=draw(st.floats(1, 1500)),
        min_units=draw(st.integers(0, 5)),
        life_months=draw(st.integers(1, 60)),
        in_service=draw(st.sampled_from([None, date(2026, 1, 1), date(2028, 4, 1)])),
        renew=draw(st.booleans()),
        escalation=draw(st.floats(0, 0.1)),
    )


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(small_line(), min_size=1, max_size=6),
    users=st.integers(1, 20_000),
    growth=st.floats(-0.05, 0.3),
    horizon=st.integers(1, 16),
    trend=st.floats(-0.3, 0.3),
    step=st.floats(0, 0.05),
    change=st.tuples(st.integers(0, 16), small_line()),
)
def test_the_bridge_adds_up_to_the_change_of_cpsu(
    lines, users, growth, horizon, trend, step, change
):
    scenario = Scenario(
        horizon_quarters=horizon,
        growth_per_quarter=growth,
        service_desk=replace(DESK, tickets_trend=trend, deflection_step=step),
        changes=(LineChange(change[1].item, change[0], change[1]),),
    )
    company = headcount(("2026-Q4", users, 0))
    table = project(CostBase(tuple(lines)), company, scenario).table
    bridge = cpsu_bridge(CostBase(tuple(lines)), company, scenario)
    total = table["cpsu"].iloc[-1] - table["cpsu"].iloc[0]
    scale = max(1.0, abs(table["cpsu"]).max())
    assert bridge["change"].sum() == pytest.approx(total, abs=1e-9 * scale)
    assert bridge["cpsu_from"].iloc[0] == pytest.approx(
        table["cpsu"].iloc[0], abs=1e-9 * scale
    )
    assert bridge["cpsu_to"].iloc[-1] == pytest.approx(
        table["cpsu"].iloc[-1], abs=1e-9 * scale
    )


@settings(max_examples=30, deadline=None)
@given(amounts=st.lists(st.floats(1, 1e5), min_size=1, max_size=4))
def test_with_only_fixed_costs_growth_is_the_whole_bridge(amounts):
    lines = CostBase(
        tuple(
            CostLine(f"f{i}", "Other", Behaviour.FIXED, amount=a)
            for i, a in enumerate(amounts)
        )
    )
    scenario = Scenario(horizon_quarters=4, growth_per_quarter=0.1, service_desk=DESK)
    bridge = cpsu_bridge(lines, THOUSAND, scenario).set_index("mechanism")["change"]
    # total / 1,000 users falls to total / 1,464 (1,000 x 1.1 ** 4, rounded)
    total = sum(amounts)
    assert bridge.iloc[0] == pytest.approx(total / 1_464 - total / 1_000)
    assert (bridge.iloc[1:] == 0).all()


# --- hire triggers -------------------------------------------------------------


def test_hire_triggers_by_hand():
    deskside = CostLine(
        "Desk-side techs",
        "Desktop support",
        Behaviour.STAFFED,
        unit_cost=6_000,
        tier=Tier.DESKTOP,
        tickets_per_agent=100,
    )
    desk = replace(ONE_TICKET, deskside_share=0.5)
    scenario = Scenario(horizon_quarters=4, growth_per_quarter=0.1, service_desk=desk)
    triggers = hire_triggers(CostBase((DESK_STAFF, deskside)), THOUSAND, scenario)
    # Users 1,000, 1,100, 1,210, 1,331, 1,464. Tier 1: 1 ticket a user, 600 an
    # agent: 2, 2, 3, 3, 3 agents. Agent 3 is needed above 2 x 600 / 1 = 1,200
    # users (reached at 1,210, 2027-Q2); agent 4 above 1,800, not reached.
    # Desktop: 1 x (1 - 0.5) x 0.5 = 0.25 tickets a user, 100 an agent:
    # 250 -> 3, 275 -> 3, 302.5 -> 4, 332.75 -> 4, 366 -> 4 agents. Agent 4
    # above 3 x 100 / 0.25 = 1,200 (2027-Q2); agent 5 above 1,600, not reached.
    assert triggers["item"].tolist() == ["Desk staff"] * 2 + ["Desk-side techs"] * 2
    assert triggers["tier"].tolist() == ["Tier 1", "Tier 1", "Desktop", "Desktop"]
    assert triggers["agent"].tolist() == [3, 4, 4, 5]
    assert triggers["users_above"].tolist() == pytest.approx([1200, 1800, 1200, 1600])
    # an agent not needed within the horizon has no quarter
    assert triggers["quarter"].fillna("-").tolist() == ["2027-Q2", "-", "2027-Q2", "-"]
    assert triggers["t"].fillna(-1).tolist() == [2, -1, 2, -1]
    assert triggers["reached"].tolist() == [True, False, True, False]


def test_a_hire_trigger_moves_with_deflection():
    desk = replace(ONE_TICKET, deflection_step=0.1)
    scenario = Scenario(horizon_quarters=2, growth_per_quarter=0.3, service_desk=desk)
    triggers = hire_triggers(CostBase((DESK_STAFF,)), THOUSAND, scenario)
    # Users 1,000, 1,300, 1,690; deflection 0, 10%, 20%: tickets 1,000, 1,170,
    # 1,352 -> 2, 2, 3 agents. Agent 3 is needed above 1,200 / 0.8 = 1,500
    # users in 2027-Q2; agent 4 above 1,800 / 0.8 = 2,250, not reached.
    assert triggers["users_above"].tolist() == pytest.approx([1500, 2250])
    assert triggers["quarter"].fillna("-").tolist() == ["2027-Q2", "-"]


@settings(max_examples=40, deadline=None)
@given(
    users=st.integers(50, 20_000),
    growth=st.floats(-0.05, 0.3),
    step=st.floats(0, 0.05),
    per_agent=st.floats(50, 1500),
    minimum=st.integers(0, 4),
)
def test_each_trigger_is_where_its_agent_is_first_needed(
    users, growth, step, per_agent, minimum
):
    line = replace(DESK_STAFF, tickets_per_agent=per_agent, min_units=minimum)
    scenario = Scenario(
        horizon_quarters=8,
        growth_per_quarter=growth,
        service_desk=replace(ONE_TICKET, deflection_step=step),
    )
    company = headcount(("2026-Q4", users, 0))
    table = project(CostBase((line,)), company, scenario).table
    agents = table["agents_tier_1"].to_numpy()
    for row in hire_triggers(CostBase((line,)), company, scenario).itertuples():
        if row.reached:
            assert agents[row.t] >= row.agent > agents[: row.t].max()
            assert table["supported_users"].iloc[row.t] > row.users_above * (1 - 1e-9)
        else:
            assert (agents < row.agent).all()


# --- guardrails ----------------------------------------------------------------


def test_guardrails_mark_utilisation_and_resolution_by_hand():
    desk = replace(ONE_TICKET, resolution_rate=0.66)
    scenario = Scenario(horizon_quarters=2, growth_per_quarter=0.1, service_desk=desk)
    marks = guardrails(CostBase((DESK_STAFF,)), THOUSAND, scenario)
    # Tier 1 utilisation: 1,000 / (2 x 600) = 0.833; 1,100 / 1,200 = 0.917;
    # 1,210 / (3 x 600) = 0.672. Resolution 66% is under the 70% target.
    assert marks["utilisation_tier_1"].tolist() == pytest.approx(
        [1000 / 1200, 1100 / 1200, 1210 / 1800]
    )
    assert marks["over_capacity"].tolist() == [False, True, False]
    assert marks["tiers_over"].tolist() == ["", "Tier 1", ""]
    assert marks["resolution_below_target"].tolist() == [True, True, True]


def test_a_fall_bought_by_flat_staff_is_marked_and_one_from_spread_costs_is_not():
    desk = replace(ONE_TICKET, tickets_per_user_month=1.0, tickets_trend=1.1**4 - 1)
    staff = replace(DESK_STAFF, tickets_per_agent=700, escalation=0.0)
    scenario = Scenario(horizon_quarters=1, growth_per_quarter=0.05, service_desk=desk)
    marks = guardrails(CostBase((staff, ONE_DOLLAR_TICKET)), THOUSAND, scenario)
    # t = 0: 1,000 tickets, 2 agents: (10,000 + 1,000) / 1,000 = 11.00.
    # t = 1: 1,050 users x 1.1 = 1,155 tickets, still ceil(1.65) = 2 agents:
    # (10,000 + 1,155) / 1,050 = 10.62, a fall. Staff cost per ticket kept:
    # 10,000 x 1,155 / 1,000 = 11,550: (11,550 + 1,155) / 1,050 = 12.10 >= 11.
    assert marks["cpsu"].tolist() == pytest.approx([11.0, 11_155 / 1_050])
    assert marks["cpsu_if_staff_kept_pace"].iloc[1] == pytest.approx(12.1)
    assert marks["flat_staff_fall"].tolist() == [False, True]
    # With 100,000 of fixed cost the fall is mostly spread overhead:
    # 111,000 / 1,000 = 111 against (100,000 + 11,550 + 1,155) / 1,050 = 107.3.
    spread = CostBase((staff, ONE_DOLLAR_TICKET, replace(OVERHEAD, amount=100_000)))
    marks = guardrails(spread, THOUSAND, scenario)
    assert marks["cpsu_if_staff_kept_pace"].iloc[1] == pytest.approx(112_705 / 1_050)
    assert marks["flat_staff_fall"].tolist() == [False, False]


def test_a_quarter_outside_the_projection_is_refused():
    with pytest.raises(ValueError, match="runs from 0 \\(the baseline\\) to 1"):
        solve(
            CostBase((LICENCE,)),
            THOUSAND,
            ONE_QUARTER,
            price_lever("Licence", 0.0, 20.0),
            CpsuTarget(quarter=5, cpsu=5.0),
        )


@settings(max_examples=25, deadline=None)
@given(
    lines=st.lists(small_line(), min_size=1, max_size=5),
    growth=st.floats(0.0, 0.2),
    ends=st.tuples(st.floats(0.5, 1.5), st.floats(0.0, 1.0)),
)
def test_each_tornado_end_is_the_projection_at_that_value(lines, growth, ends):
    low, width = ends
    ranges = (
        Range("tickets_per_user_month", "Tickets", low, low + width, "test"),
        Range("productivity", "Productivity", -0.3, 0.3, "test"),
    )
    scenario = Scenario(
        horizon_quarters=4, growth_per_quarter=growth, service_desk=DESK
    )
    table = tornado(CostBase(tuple(lines)), THOUSAND, scenario, ranges)
    row = table.set_index("assumption").loc["tickets_per_user_month"]
    at_high = replace(
        scenario, service_desk=replace(DESK, tickets_per_user_month=low + width)
    )
    expected = project(CostBase(tuple(lines)), THOUSAND, at_high).table["cpsu"]
    assert row["cpsu_high"] == pytest.approx(expected.iloc[4], rel=1e-12)
    row = table.set_index("assumption").loc["productivity"]
    at_low = replace(scenario, levers=replace(scenario.levers, productivity=-0.3))
    expected = project(CostBase(tuple(lines)), THOUSAND, at_low).table["cpsu"]
    assert row["cpsu_low"] == pytest.approx(expected.iloc[4], rel=1e-12)


def test_the_tickets_per_agent_that_reaches_a_target_by_hand():
    scenario = Scenario(horizon_quarters=1, service_desk=ONE_TICKET)
    lines = CostBase((DESK_STAFF,))
    lever = tickets_per_agent_lever(lines, 500, 1_200)
    # 500 / 600 - 1 = -1/6 to 1,200 / 600 - 1 = +1 as productivity
    assert (lever.low, lever.high) == pytest.approx((-1 / 6, 1.0))
    solution = solve(lines, THOUSAND, scenario, lever, CpsuTarget(0, 5.0))
    # $5 a user is 1 agent for 1,000 tickets: 1,000 tickets an agent, a
    # productivity of 1,000 / 600 - 1 = 2/3.
    assert solution.value == pytest.approx(2 / 3, abs=1e-9)
    assert 600 * (1 + solution.value) == pytest.approx(1_000)


@settings(max_examples=40, deadline=None)
@given(
    lines=st.lists(small_line(), min_size=1, max_size=6),
    growth=st.floats(-0.05, 0.3),
    trend=st.floats(-0.3, 0.5),
)
def test_without_staff_no_fall_is_put_down_to_flat_staff(lines, growth, trend):
    unstaffed = [line for line in lines if line.behaviour is not Behaviour.STAFFED]
    scenario = Scenario(
        horizon_quarters=6,
        growth_per_quarter=growth,
        service_desk=replace(DESK, tickets_trend=trend),
    )
    marks = guardrails(CostBase(tuple(unstaffed)), THOUSAND, scenario)
    assert not marks["flat_staff_fall"].any()
    assert not marks["over_capacity"].any()
    # with nothing to hold, keeping pace changes nothing
    assert marks["cpsu_if_staff_kept_pace"].iloc[1:].tolist() == pytest.approx(
        marks["cpsu"].iloc[1:].tolist()
    )


def test_a_range_or_lever_on_no_assumption_is_refused():
    with pytest.raises(ValueError, match="'deflexion' is not an assumption"):
        Range("deflexion", "Deflection", 0.1, 0.3, "test")
    with pytest.raises(ValueError, match="'growth' is not an assumption"):
        assumption_lever("growth", 0.0, 0.3)


@settings(max_examples=20, deadline=None)
@given(
    growth=st.floats(0.0, 0.2),
    deflection=st.floats(0.0, 0.4),
    other_growth=st.floats(-0.05, 0.3),
)
def test_a_model_kept_from_another_scenario_gives_the_same_answers(
    growth, deflection, other_growth
):
    # The page keeps one compiled model for scenarios that differ only in their
    # assumptions; hire triggers, guardrails and the bridge must not notice.
    lines = CostBase(
        (
            CostLine("Tool", "Support tools", Behaviour.FIXED, amount=5_000.0),
            CostLine(
                "Desk",
                "Service desk (Tier 1)",
                Behaviour.STAFFED,
                unit_cost=6_000.0,
                tier=Tier.TIER_1,
                tickets_per_agent=500.0,
            ),
        )
    )
    people = headcount(("2026-Q4", 1_000, 100))
    desk = ServiceDesk(deflection=deflection, deflection_cap=0.5)
    scenario = Scenario(
        horizon_quarters=6, growth_per_quarter=growth, service_desk=desk
    )
    other = replace(scenario, growth_per_quarter=other_growth)
    kept = compile_model(lines, people, other)
    for name in ("hire_triggers", "guardrails", "cpsu_bridge"):
        function = getattr(sensitivity, name)
        alone = function(lines, people, scenario)
        shared = function(lines, people, scenario, model=kept)
        pd.testing.assert_frame_equal(alone, shared)
    # A page that ran the kept model for the projection gives that run along.
    run = run_model(kept, Assumptions.of(scenario))
    pd.testing.assert_frame_equal(
        project(lines, people, scenario).table,
        project(lines, people, scenario, model=kept, run=run).table,
    )
    for name in ("hire_triggers", "guardrails"):
        function = getattr(sensitivity, name)
        pd.testing.assert_frame_equal(
            function(lines, people, scenario),
            function(lines, people, scenario, model=kept, run=run),
        )


def _hire_triggers_line_by_line(cost_base, people, scenario):
    """hire_triggers as its docstring reads, one staffed line and agent at a time:
    the reference the array version must equal."""
    from cpsu.costs import TIERS
    from cpsu.projection import run_model

    model = compile_model(cost_base, people, scenario)
    run = run_model(model)
    lines = model.lines
    productivity = float(model.assumptions.column("productivity")[0, 0])
    users = run.supported_users[0]
    rows = []
    for index in np.flatnonzero(lines.staffed):
        in_force = np.flatnonzero(model.active[index])
        if not in_force.size:
            continue
        agents = run.line_costs.units[0, index]
        tier_row = int(lines.tier_row[index])
        with np.errstate(divide="ignore", invalid="ignore"):
            per_user = run.tier_load[0, tier_row] / users
        per_agent = lines.per_unit[index] * (1.0 + productivity)
        first = int(agents[in_force[0]])
        last = int(agents[in_force].max())
        for agent in range(first + 1, last + 2):
            needed = in_force[agents[in_force] >= agent]
            at = int(needed[0]) if needed.size else int(in_force[-1])
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                threshold = (agent - 1) * per_agent / per_user[at]
            rows.append(
                {
                    "item": model.versions.lines[index].item,
                    "tier": TIERS[tier_row].value,
                    "agent": agent,
                    "users_above": float(threshold),
                    "quarter": model.labels[at] if needed.size else None,
                    "t": at if needed.size else None,
                    "reached": bool(needed.size),
                }
            )
    table = pd.DataFrame(
        rows,
        columns=["item", "tier", "agent", "users_above", "quarter", "t", "reached"],
    )
    table["t"] = table["t"].astype("Int64")
    return table


@st.composite
def staffed_cases(draw):
    """Staffed lines (some changed or ended part way) among other lines."""
    staff = [
        CostLine(
            f"Staff {number}",
            "Service desk (Tier 1)",
            Behaviour.STAFFED,
            unit_cost=5_000,
            tier=draw(st.sampled_from(list(Tier))),
            tickets_per_agent=draw(st.floats(50, 1_000)),
            min_units=draw(st.integers(0, 4)),
        )
        for number in range(draw(st.integers(0, 4)))
    ]
    lines = CostBase((*staff, OVERHEAD))
    changes = tuple(
        LineChange(
            line.item,
            draw(st.integers(0, 6)),
            draw(st.none() | st.just(replace(line, tickets_per_agent=300.0))),
        )
        for line in staff
        if draw(st.booleans())
    )
    desk = ServiceDesk(
        tickets_per_user_month=draw(st.floats(0.0, 3.0)),
        deflection=draw(st.floats(0.0, 0.5)),
        deflection_step=draw(st.floats(0.0, 0.1)),
        deflection_cap=0.6,
    )
    scenario = Scenario(
        horizon_quarters=draw(st.integers(1, 8)),
        growth_per_quarter=draw(st.floats(-0.2, 0.4)),
        service_desk=desk,
        changes=changes,
    )
    people = headcount(("2026-Q4", draw(st.integers(100, 3_000)), 0))
    return lines, people, scenario


@settings(max_examples=60, deadline=None)
@given(case=staffed_cases())
def test_hire_triggers_are_the_line_by_line_reading(case):
    lines, people, scenario = case
    pd.testing.assert_frame_equal(
        hire_triggers(lines, people, scenario),
        _hire_triggers_line_by_line(lines, people, scenario),
        check_exact=True,
    )


# The guardrails table the Compare page shows: these columns of its flagged rows.
SHOWN = ["quarter", "tiers_over", "resolution_below_target", "flat_staff_fall"]


@settings(max_examples=40, deadline=None)
@given(case=staffed_cases(), limit=st.floats(0.3, 1.0), target=st.floats(0.5, 0.9))
def test_the_guardrail_arrays_flag_and_tabulate_as_guardrails(case, limit, target):
    lines, people, scenario = case
    marks = guardrails(lines, people, scenario, limit, target)
    arrays = guardrail_arrays(lines, people, scenario, limit, target)
    flagged = (
        marks["over_capacity"]
        | marks["resolution_below_target"]
        | marks["flat_staff_fall"]
    )
    assert arrays.flagged.tolist() == flagged.tolist()
    for t, tiers in enumerate(marks["tiers_over"]):
        assert arrays.tiers_over(t) == tiers
    pd.testing.assert_frame_equal(arrays.table(SHOWN), marks[SHOWN], check_exact=True)
