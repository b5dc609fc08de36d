"""The scenario's levers and line changes, each checked by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.costs import Behaviour, CostBase, CostLevers, CostLine, Tier
from cpsu.projection import headcount_path, project
from cpsu.scenario import LineChange, Scenario
from cpsu.workload import ServiceDesk, tickets_per_user_by_quarter
from tests.model_builders import NO_TICKETS, headcount

ONE_TICKET = ServiceDesk(
    tickets_per_user_month=1.0,
    resolution_rate=0.5,
    deskside_share=0.0,
    deflection=0.0,
    deflection_cap=0.0,
)
DESK_STAFF = CostLine(
    "Desk staff",
    "Service desk (Tier 1)",
    Behaviour.STAFFED,
    unit_cost=5_000,
    tier=Tier.TIER_1,
    tickets_per_agent=600,
    escalation=0.03,
)
LICENCE = CostLine(
    "Licence",
    "Productivity software",
    Behaviour.PER_USER,
    unit_cost=10,
    escalation=0.02,
)
CONTRACT = CostLine("Contract", "Other", Behaviour.FIXED, amount=1_000, escalation=0.04)


def _project(*lines, users=1000, growth=0.0, horizon=4, desk=NO_TICKETS, **scenario):
    return project(
        CostBase(tuple(lines)),
        headcount(("2026-Q4", users, 0)),
        Scenario(
            horizon_quarters=horizon,
            growth_per_quarter=growth,
            service_desk=desk,
            **scenario,
        ),
    )


def test_tickets_per_user_follow_their_yearly_trend_a_quarter_at_a_time():
    desk = replace(ONE_TICKET, tickets_trend=-0.19)
    # 1.0 * 0.81 ** (t / 4): t = 2 is 0.81 ** 0.5 = 0.9, t = 4 is 0.81.
    per_user = tickets_per_user_by_quarter(desk, np.arange(5))
    assert per_user[[0, 2, 4]] == pytest.approx([1.0, 0.9, 0.81])
    table = _project(DESK_STAFF, users=1000, desk=desk).table
    assert table["tickets"].iloc[[2, 4]].tolist() == pytest.approx([900, 810])


def test_agent_productivity_changes_the_agents_a_load_needs():
    # 1,300 users x 1 ticket = 1,300 tickets at Tier 1.
    plain = _project(DESK_STAFF, users=1300, desk=ONE_TICKET, horizon=1).table
    # ceil(1,300 / 600) = ceil(2.17) = 3 agents, $15,000 a month
    assert plain["agents_tier_1"].iloc[0] == 3
    assert plain["monthly_opex"].iloc[0] == 15_000
    faster = _project(
        DESK_STAFF,
        users=1300,
        desk=ONE_TICKET,
        horizon=1,
        levers=CostLevers(productivity=0.10),
    ).table
    # 600 x 1.1 = 660 tickets an agent: ceil(1,300 / 660) = ceil(1.97) = 2 agents
    assert faster["agents_tier_1"].iloc[0] == 2
    assert faster["monthly_opex"].iloc[0] == 10_000
    # utilisation 1,300 / (2 x 660) = 0.9848...
    assert faster["utilisation_tier_1"].iloc[0] == pytest.approx(1300 / 1320)


def test_labour_and_licence_escalation_replace_the_lines_own():
    levers = CostLevers(labour_escalation=0.05, licence_escalation=0.10)
    table = _project(
        DESK_STAFF, LICENCE, CONTRACT, users=600, desk=ONE_TICKET, levers=levers
    ).table
    # Year 1 (t = 4): staff 1 agent (600 tickets / 600) x 5,000 x 1.05 = 5,250;
    # licence 600 x 10 x 1.10 = 6,600; the contract keeps its own 4%: 1,040.
    assert table["monthly_opex"].iloc[4] == pytest.approx(5_250 + 6_600 + 1_040)
    own = _project(DESK_STAFF, LICENCE, CONTRACT, users=600, desk=ONE_TICKET).table
    # Each line's own: 5,000 x 1.03 + 6,000 x 1.02 + 1,000 x 1.04 = 12,310
    assert own["monthly_opex"].iloc[4] == pytest.approx(5_150 + 6_120 + 1_040)


def test_a_contingent_share_splits_the_grown_headcount():
    scenario = Scenario(
        horizon_quarters=2, growth_per_quarter=0.10, contingent_share=0.25
    )
    employees, contingent = headcount_path(headcount(("2026-Q4", 900, 100)), scenario)
    # t = 1: 1,000 x 1.1 = 1,100 people, 25% = 275 contingent, 825 employees;
    # t = 2: 1,000 x 1.21 = 1,210, 25% = 302.5 -> 303 (half up), 907 employees.
    assert employees.tolist() == [900, 825, 907]
    assert contingent.tolist() == [100, 275, 303]


def test_a_renegotiated_price_applies_from_its_quarter():
    cheaper = LineChange("Licence", 2, replace(LICENCE, unit_cost=8, escalation=0.0))
    table = _project(LICENCE, users=1000, changes=(cheaper,)).table
    # t = 0, 1: 1,000 x 10 (2% a year starts at t = 4); from t = 2: 1,000 x 8.
    assert table["monthly_opex"].tolist() == pytest.approx(
        [10_000, 10_000, 8_000, 8_000, 8_000]
    )


def test_a_tier_moved_to_a_per_ticket_contract():
    contract = CostLine(
        "Desk staff",
        "Managed service",
        Behaviour.PER_TICKET,
        unit_cost=22,
        tier=Tier.TIER_1,
    )
    projection = _project(
        DESK_STAFF,
        users=1300,
        desk=ONE_TICKET,
        horizon=3,
        changes=(LineChange("Desk staff", 2, contract),),
    )
    table = projection.table
    # t = 0, 1: 3 agents x 5,000 = 15,000; from t = 2: 1,300 tickets x $22 = 28,600
    assert table["monthly_opex"].tolist() == pytest.approx(
        [15_000, 15_000, 28_600, 28_600]
    )
    assert table["agents_tier_1"].tolist() == [3, 3, 0, 0]
    assert table["cost_managed_service"].tolist() == pytest.approx(
        [0, 0, 28_600, 28_600]
    )
    # both versions are listed, each costing only while it is in force
    lines = projection.line_costs
    assert lines["item"].tolist() == ["Desk staff", "Desk staff"]
    assert lines.iloc[1, 3:].tolist() == pytest.approx([0, 0, 28_600, 28_600])


def test_a_tool_bought_in_a_quarter_depreciates_from_then():
    tool = CostLine(
        "New ITSM",
        "Support tools",
        Behaviour.DEPRECIATION,
        amount=36_000,
        life_months=36,
    )
    table = _project(
        CONTRACT, horizon=3, changes=(LineChange("New ITSM", 2, tool),)
    ).table
    # 36,000 / 36 = 1,000 a month from 2027-Q2 (t = 2), in service 2027-04-01
    assert table["cost_support_tools"].tolist() == [0, 0, 1_000, 1_000]


def test_a_tool_with_its_own_date_keeps_it_and_a_dropped_line_stops():
    tool = CostLine(
        "Laptop refresh",
        "Support tools",
        Behaviour.DEPRECIATION,
        amount=12_000,
        life_months=12,
        in_service=date(2027, 7, 1),
        renew=False,
    )
    table = _project(
        CONTRACT,
        horizon=4,
        changes=(
            LineChange("Laptop refresh", 1, tool),
            LineChange("Contract", 3, None),
        ),
    ).table
    # The laptops exist from t = 1 but are in service from 2027-07-01 (t = 3).
    assert table["cost_support_tools"].tolist() == [0, 0, 0, 1_000, 1_000]
    # The contract is dropped from t = 3; at t = 4 it would have been 1,040.
    assert table["cost_other"].tolist() == [1_000, 1_000, 1_000, 0, 0]


def test_changes_to_one_line_apply_in_the_order_of_their_quarters():
    changes = (
        LineChange("Licence", 3, replace(LICENCE, unit_cost=6, escalation=0)),
        LineChange("Licence", 1, replace(LICENCE, unit_cost=8, escalation=0)),
    )
    table = _project(LICENCE, users=100, changes=changes).table
    # 10 until t = 1, 8 for t = 1, 2, then 6: x 100 users
    assert table["monthly_opex"].tolist() == pytest.approx([1_000, 800, 800, 600, 600])


def test_a_change_after_the_horizon_changes_nothing():
    late = LineChange("Licence", 9, replace(LICENCE, unit_cost=1))
    plain = _project(LICENCE, horizon=4).table
    assert _project(LICENCE, horizon=4, changes=(late,)).table.equals(plain)


def test_a_line_change_must_start_within_forty_quarters():
    with pytest.raises(ValueError, match="0 \\(the baseline\\) to 40"):
        LineChange("Licence", 41, LICENCE)


PRICES = st.floats(0.5, 500, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    price=PRICES,
    rise=st.floats(0.01, 100),
    from_quarter=st.integers(0, 8),
    growth=st.floats(-0.05, 0.2),
)
def test_a_higher_price_never_lowers_cpsu(price, rise, from_quarter, growth):
    base = replace(LICENCE, unit_cost=price)
    dearer = LineChange("Licence", from_quarter, replace(base, unit_cost=price + rise))
    lines = (base, DESK_STAFF, CONTRACT)
    before = _project(*lines, growth=growth, horizon=8, desk=ONE_TICKET).table
    after = _project(
        *lines, growth=growth, horizon=8, desk=ONE_TICKET, changes=(dearer,)
    ).table
    assert (after["cpsu"] >= before["cpsu"] - 1e-9).all()
    assert (
        after["cpsu"].iloc[from_quarter:] > before["cpsu"].iloc[from_quarter:]
    ).all()


@settings(max_examples=60, deadline=None)
@given(
    low=st.floats(-0.5, 1.0),
    more=st.floats(0.0, 1.0),
    users=st.integers(1, 20_000),
)
def test_more_agent_productivity_never_raises_cpsu(low, more, users):
    kwargs = {"users": users, "desk": ONE_TICKET, "horizon": 2}
    slow = _project(DESK_STAFF, levers=CostLevers(productivity=low), **kwargs).table
    fast = _project(
        DESK_STAFF, levers=CostLevers(productivity=low + more), **kwargs
    ).table
    assert (fast["cpsu"] <= slow["cpsu"] + 1e-9).all()
