"""The projection: headcount growth, outputs per quarter, and its invariants."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.costs import POOLS, Behaviour, CostBase, CostLine, Period, Tier
from cpsu.projection import (
    POOL_COLUMNS,
    ProjectionError,
    headcount_path,
    project,
    round_half_up,
)
from cpsu.scenario import Scenario
from cpsu.workload import ServiceDesk
from tests.model_builders import NO_TICKETS, headcount, project_lines


def test_round_half_up_rounds_halves_up_as_excel_does():
    # 1,290 * 1.15 = 1,483.5 on paper but 1,483.4999999999998 in floating point;
    # Excel's ROUND gives 1,484 and so must we (Python's round gives 1,483).
    assert 1290 * 1.15 < 1483.5
    assert round_half_up(np.array([1290 * 1.15]))[0] == 1484
    assert round_half_up(np.array([2.5, 3.5, 2.4999]))[0:3].tolist() == [3, 4, 2]


def test_growth_compounds_the_unrounded_value():
    scenario = Scenario(horizon_quarters=4, growth_per_quarter=0.04)
    employees, _ = headcount_path(headcount(("2026-Q4", 10, 0)), scenario)
    # 10 * 1.04^t = 10, 10.4, 10.816, 11.249, 11.699 -> 10, 10, 11, 11, 12.
    # Compounding rounded values would stay at 10 for ever.
    assert employees.tolist() == [10, 10, 11, 11, 12]


def test_growth_applies_to_contingent_workers_too():
    scenario = Scenario(horizon_quarters=2, growth_per_quarter=0.15)
    employees, contingent = headcount_path(headcount(("2026-Q4", 1290, 150)), scenario)
    # employees 1,290 * 1.15 = 1,483.5 -> 1,484; * 1.15^2 = 1,706.025 -> 1,706
    # contingent 150 * 1.15 = 172.5 -> 173; * 1.15^2 = 198.375 -> 198
    assert employees.tolist() == [1290, 1484, 1706]
    assert contingent.tolist() == [150, 173, 198]


def test_a_headcount_plan_overrides_growth_and_growth_continues_after_it():
    plan = headcount(("2026-Q4", 1000, 100), ("2027-Q1", 1100, 100))
    scenario = Scenario(horizon_quarters=3, growth_per_quarter=0.10)
    employees, contingent = headcount_path(plan, scenario)
    # Q1 from the plan; Q2 = 1,100 * 1.1 = 1,210; Q3 = 1,100 * 1.21 = 1,331
    assert employees.tolist() == [1000, 1100, 1210, 1331]
    # contingent 100 * 1.1 = 110, * 1.21 = 121
    assert contingent.tolist() == [100, 100, 110, 121]


def test_quarters_are_labelled_from_the_baseline():
    projection = project_lines(
        CostLine("x", "Other", Behaviour.FIXED, amount=1), horizon=3
    )
    assert projection.table["quarter"].tolist() == [
        "2026-Q4",
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
    ]


def test_cpsu_change_marginal_cost_and_funding_ask_by_hand():
    fixed = CostLine(
        "Service desk tool", "Support tools", Behaviour.FIXED, amount=10_000
    )
    licence = CostLine(
        "Microsoft 365", "Productivity software", Behaviour.PER_USER, unit_cost=40
    )
    projection = project_lines(fixed, licence, employees=1000, growth=0.10, horizon=2)
    table = projection.table
    # users 1,000, 1,100, 1,210
    assert table["supported_users"].tolist() == [1000, 1100, 1210]
    # M = 10,000 + 40 U: 50,000, 54,000, 58,400
    np.testing.assert_allclose(table["monthly_opex"], [50_000, 54_000, 58_400])
    # CPSU = M / U: 50.00, 49.0909..., 48.2645...
    np.testing.assert_allclose(table["cpsu"], [50.0, 54_000 / 1100, 58_400 / 1210])
    # change: 49.0909 / 50 - 1 = -1.818%
    assert table["cpsu_change"][1] == pytest.approx(54_000 / 1100 / 50 - 1)
    assert math.isnan(table["cpsu_change"][0])
    # marginal: (54,000 - 50,000) / (1,100 - 1,000) = 40 a user
    assert table["marginal_cost_per_user"][1] == pytest.approx(40.0)
    # ask: 3 * (54,000 - 50,000) + 3 * (58,400 - 50,000) = 12,000 + 25,200 = 37,200
    assert projection.funding_ask == pytest.approx(37_200.0)
    assert table["cumulative_ask"].tolist() == pytest.approx([0, 12_000, 37_200])
    # spend a quarter: 3 * M
    assert table["quarterly_spend"][2] == pytest.approx(175_200)


def test_marginal_cost_is_empty_when_users_do_not_change():
    line = CostLine("Tool", "Support tools", Behaviour.FIXED, amount=100)
    projection = project_lines(line, growth=0.0, horizon=2)
    assert projection.table["marginal_cost_per_user"].isna().all()


def test_cost_by_pool_adds_up_and_unused_pools_are_zero():
    lines = (
        CostLine("A", "Tier 2", Behaviour.FIXED, amount=300, period=Period.QUARTER),
        CostLine("B", "Tier 2", Behaviour.FIXED, amount=50),
        CostLine("C", "Other", Behaviour.FIXED, amount=25),
    )
    table = project_lines(*lines, horizon=1).table
    # Tier 2: 300 / 3 + 50 = 150; Other 25; others 0; total 175
    assert table[POOL_COLUMNS["Tier 2"]][0] == pytest.approx(150)
    assert table[POOL_COLUMNS["Other"]][0] == pytest.approx(25)
    assert table[POOL_COLUMNS["Desktop support"]][0] == 0
    assert table["monthly_opex"][0] == pytest.approx(175)


def test_cost_by_pool_and_agents_by_tier_are_the_table_melted():
    import pandas as pd

    from cpsu.projection import TIER_KEYS

    agents = CostLine(
        "Desk",
        "Service desk (Tier 1)",
        Behaviour.STAFFED,
        unit_cost=6_000,
        tier=Tier.TIER_1,
        tickets_per_agent=500,
    )
    projection = project_lines(
        agents, CostLine("C", "Other", Behaviour.FIXED, amount=25), horizon=2
    )
    table = projection.table
    tiers = {tier.value: f"agents_{key}" for tier, key in TIER_KEYS.items()}
    for long, columns, name, value in (
        (projection.by_pool(), POOL_COLUMNS, "cost_pool", "monthly_cost"),
        (projection.agents_by_tier(), tiers, "tier", "agents"),
    ):
        # Each column after the other, as pandas melts them, quarter by quarter.
        melted = table[["quarter", *columns.values()]].melt(
            id_vars="quarter", var_name=name, value_name=value
        )
        melted[name] = melted[name].map({v: k for k, v in columns.items()})
        melted[value] = melted[value].astype(float)
        pd.testing.assert_frame_equal(long, melted, check_exact=True)


def test_zero_supported_users_is_refused_not_divided_by():
    line = CostLine("Tool", "Support tools", Behaviour.FIXED, amount=100)
    with pytest.raises(ProjectionError, match="no supported users"):
        project_lines(line, employees=0, contingent=0)


def test_contingent_only_company_with_zero_weight_is_refused():
    line = CostLine("Tool", "Support tools", Behaviour.FIXED, amount=100)
    desk = ServiceDesk(tickets_per_user_month=0.0, contingent_weight=0.0)
    with pytest.raises(ProjectionError, match="2026-Q4"):
        project_lines(line, employees=0, contingent=50, desk=desk)


# --- properties ------------------------------------------------------------------

money = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
growth = st.floats(min_value=-0.3, max_value=0.6, allow_nan=False)


@st.composite
def any_line(draw) -> CostLine:
    behaviour = draw(st.sampled_from(list(Behaviour)))
    tier = draw(st.sampled_from(list(Tier)))
    return CostLine(
        item=draw(st.text(min_size=1, max_size=10)),
        pool=draw(st.sampled_from(POOLS)),
        behaviour=behaviour,
        amount=draw(money),
        period=draw(st.sampled_from(list(Period))),
        unit_cost=draw(money),
        users_per_unit=draw(st.floats(min_value=1, max_value=5000)),
        tier=tier,
        tickets_per_agent=draw(st.floats(min_value=1, max_value=2000)),
        min_units=draw(st.integers(0, 10)),
        life_months=draw(st.integers(1, 120)),
        renew=draw(st.booleans()),
        escalation=draw(st.floats(min_value=0, max_value=0.2)),
    )


desks = st.builds(
    ServiceDesk,
    tickets_per_user_month=st.floats(min_value=0, max_value=3),
    resolution_rate=st.floats(min_value=0, max_value=1),
    deskside_share=st.floats(min_value=0, max_value=1),
    deflection=st.floats(min_value=0, max_value=0.6),
    deflection_step=st.floats(min_value=0, max_value=0.1),
    deflection_cap=st.floats(min_value=0, max_value=0.6),
    contingent_weight=st.floats(min_value=0, max_value=1),
)


@settings(max_examples=80, deadline=None)
@given(
    amounts=st.lists(money, min_size=1, max_size=5),
    employees=st.integers(1, 50_000),
    rate=st.floats(min_value=0.001, max_value=0.6),
)
def test_with_only_fixed_costs_cpsu_falls_whenever_users_grow(amounts, employees, rate):
    lines = [
        CostLine(f"L{i}", "Other", Behaviour.FIXED, amount=a)
        for i, a in enumerate(amounts)
    ]
    table = project_lines(*lines, employees=employees, growth=rate, horizon=8).table
    grew = np.diff(table["supported_users"]) > 0
    fell = np.diff(table["cpsu"]) < 0
    assert fell[grew].all()


@settings(max_examples=80, deadline=None)
@given(
    lines=st.lists(any_line(), min_size=0, max_size=8),
    employees=st.integers(1, 20_000),
    contingent=st.integers(0, 5_000),
    rate=growth,
    desk=desks,
)
def test_run_rate_is_the_sum_of_the_pools(lines, employees, contingent, rate, desk):
    scenario = Scenario(horizon_quarters=6, growth_per_quarter=rate, service_desk=desk)
    try:
        table = project(
            CostBase(tuple(lines)),
            headcount(("2026-Q4", employees, contingent)),
            scenario,
        ).table
    except ProjectionError:
        return
    pools = table[list(POOL_COLUMNS.values())].sum(axis=1)
    np.testing.assert_allclose(pools, table["monthly_opex"], rtol=1e-9, atol=1e-6)
    assert np.isfinite(table["cpsu"]).all()


@settings(max_examples=80, deadline=None)
@given(
    employees=st.integers(0, 50),
    contingent=st.integers(0, 50),
    weight=st.floats(min_value=0, max_value=1),
    rate=growth,
)
def test_cpsu_is_finite_or_the_projection_is_refused(
    employees, contingent, weight, rate
):
    desk = ServiceDesk(tickets_per_user_month=0.0, contingent_weight=weight)
    line = CostLine("Tool", "Support tools", Behaviour.FIXED, amount=100)
    try:
        table = project_lines(
            line, employees=employees, contingent=contingent, growth=rate, desk=desk
        ).table
    except ProjectionError:
        return
    assert (table["supported_users"] > 0).all()
    assert np.isfinite(table["cpsu"]).all()


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(any_line(), min_size=1, max_size=6),
    desk=desks,
    more=st.floats(min_value=0, max_value=0.4),
)
def test_more_deflection_never_raises_cpsu(lines, desk, more):
    def cpsu_with(deflection: float) -> np.ndarray:
        d = ServiceDesk(
            tickets_per_user_month=desk.tickets_per_user_month,
            resolution_rate=desk.resolution_rate,
            deskside_share=desk.deskside_share,
            deflection=deflection,
            deflection_cap=1.0,
        )
        scenario = Scenario(horizon_quarters=4, growth_per_quarter=0.05, service_desk=d)
        return (
            project(CostBase(tuple(lines)), headcount(("2026-Q4", 800, 80)), scenario)
            .table["cpsu"]
            .to_numpy()
        )

    low = cpsu_with(0.1)
    high = cpsu_with(0.1 + more)
    assert (high <= low + 1e-9).all()


def test_no_ticket_desk_gives_no_load():
    line = CostLine(
        "Agents",
        "Service desk (Tier 1)",
        Behaviour.STAFFED,
        unit_cost=5000,
        tier=Tier.TIER_1,
        tickets_per_agent=600,
    )
    table = project_lines(line, desk=NO_TICKETS).table
    # no tickets: ceil(0 / 600) = 0 agents, cost 0, utilisation undefined
    assert table["agents_tier_1"].tolist() == [0] * 5
    assert table["monthly_opex"].tolist() == [0] * 5
    assert table["utilisation_tier_1"].isna().all()
