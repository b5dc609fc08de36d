"""Pricing every line at once, against the formulas written out plainly.

`price_lines` and `run_model` work out the calendar's part of the cost (the
lines of each behaviour, their own escalation, Fixed and Depreciation lines
in full) once and cost each behaviour on its own. The reference below costs
every line of every draw in full arrays, escalates and masks them after: the
model's formulas as they were written before. Both must agree over lines of
every behaviour, one draw and many, service and existence windows, escalation
overrides (NaN or not, draw by draw), productivity and minimum units.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cpsu.costs import (
    BEHAVIOURS,
    Behaviour,
    CompiledLines,
    CostBase,
    CostLine,
    Tier,
    compile_lines,
    escalation_years,
    price_lines,
)
from cpsu.ingest import read_upload
from cpsu.projection import Assumptions, compile_model, run_model
from cpsu.scenario import LineChange
from sample_data.build import SAMPLE_PATH
from tests.scenario_strategies import cost_lines

BASELINE = date(2026, 1, 1)
RTOL = 1e-9


def reference_price_lines(
    lines: CompiledLines,
    supported_users: np.ndarray,
    tier_loads: np.ndarray,
    years: np.ndarray,
    in_service: np.ndarray,
    active: np.ndarray,
    productivity: float | np.ndarray = 0.0,
    labour_escalation: float | np.ndarray = np.nan,
    licence_escalation: float | np.ndarray = np.nan,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monthly cost, units and agent capacity, (draws, lines, quarters): every
    line costed in full arrays, then escalated, then masked where it is not
    active."""
    users = np.asarray(supported_users, dtype=float)
    draws, quarters = users.shape
    shape = (draws, len(lines), quarters)
    cost = np.zeros(shape)
    units = np.zeros(shape)
    capacity = np.zeros(shape)
    if not len(lines):
        return cost, units, capacity

    def has(behaviour: Behaviour) -> np.ndarray:
        return lines.behaviour == BEHAVIOURS.index(behaviour)

    rate = lines.rate[:, None]
    loads = np.asarray(tier_loads, dtype=float)[:, lines.tier_row, :]
    fixed = has(Behaviour.FIXED)
    cost[:, fixed] = np.broadcast_to(rate[fixed], (int(fixed.sum()), quarters))
    per_user = has(Behaviour.PER_USER)
    cost[:, per_user] = rate[per_user] * users[:, None, :]
    per_ticket = has(Behaviour.PER_TICKET)
    cost[:, per_ticket] = rate[per_ticket] * loads[:, per_ticket]
    asset = has(Behaviour.DEPRECIATION)
    served = np.broadcast_to(in_service, shape)
    cost[:, asset] = rate[asset] * served[:, asset]

    step = has(Behaviour.STEP)
    staffed = has(Behaviour.STAFFED)
    bought = step | staffed
    growth = np.asarray(productivity, dtype=float).reshape(-1, 1, 1)
    per_unit = np.where(
        staffed[bought][:, None],
        lines.per_unit[bought][:, None] * (1.0 + growth),
        lines.per_unit[bought][:, None],
    )
    driver = np.where(step[bought][:, None], users[:, None, :], loads[:, bought])
    ratio = driver / per_unit
    whole = np.ceil(np.round(ratio, 9))
    bought_units = np.maximum(lines.min_units[bought][:, None], whole)
    units[:, bought] = bought_units
    cost[:, bought] = rate[bought] * bought_units
    capacity[:, bought] = np.where(
        staffed[bought][:, None], bought_units * per_unit, 0.0
    )

    # The labour rate replaces a Staffed line's own escalation, the licence
    # rate a Per user or Step line's; NaN keeps the line's own.
    labour = np.asarray(labour_escalation, dtype=float).reshape(-1, 1)
    licence = np.asarray(licence_escalation, dtype=float).reshape(-1, 1)
    own = lines.escalation[None, :]
    escalation = np.where(staffed[None, :] & ~np.isnan(labour), labour, own)
    licensed = (per_user | step)[None, :]
    escalation = np.where(licensed & ~np.isnan(licence), licence, escalation)
    cost = cost * (1.0 + escalation)[..., None] ** years
    return (
        np.where(active, cost, 0.0),
        np.where(active, units, 0.0),
        np.where(active, capacity, 0.0),
    )


def assert_same(costed, expected: tuple[np.ndarray, ...]) -> None:
    for name, want in zip(
        ("monthly_cost", "units", "agent_capacity"), expected, strict=True
    ):
        got = getattr(costed, name)
        assert got.shape == want.shape, name
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=0, err_msg=name)


def quarter_starts(count: int) -> list[date]:
    return [date(2026 + t // 4, 3 * (t % 4) + 1, 1) for t in range(count)]


near_baseline = st.none() | st.dates(
    min_value=date(2025, 1, 1), max_value=date(2029, 12, 31)
)


@st.composite
def priced_lines(draw: st.DrawFn) -> list[CostLine]:
    """Lines of every behaviour, assets put in service around the quarters
    costed so that their windows open and close within them."""
    lines = draw(st.lists(cost_lines(), max_size=12))
    return [
        replace(line, in_service=draw(near_baseline))
        if line.behaviour is Behaviour.DEPRECIATION
        else line
        for line in lines
    ]


def per_draw_or_one(draws: int, values: st.SearchStrategy) -> st.SearchStrategy:
    """One number for every draw, or one per draw."""
    return values | st.lists(values, min_size=draws, max_size=draws).map(np.array)


escalations = st.floats(min_value=-0.5, max_value=0.5) | st.just(np.nan)
productivities = st.floats(min_value=-0.9, max_value=3.0)
drivers = st.floats(min_value=0.0, max_value=1e6, allow_subnormal=False)


@st.composite
def activity(draw: st.DrawFn, count: int, quarters: int) -> np.ndarray:
    """Whether each line exists each quarter: always, from one quarter to
    another (as a line change makes it), or at random."""
    kind = draw(st.sampled_from(["always", "windows", "random"]))
    if kind == "always":
        return np.ones((count, quarters), dtype=bool)
    if kind == "random":
        return draw(hnp.arrays(bool, (count, quarters)))
    bounds = st.integers(min_value=0, max_value=quarters)
    starts = np.array(draw(st.lists(bounds, min_size=count, max_size=count)))
    ends = np.array(draw(st.lists(bounds, min_size=count, max_size=count)))
    t = np.arange(quarters)
    return (t >= starts[:, None]) & (t < ends[:, None])


@st.composite
def pricing_cases(draw: st.DrawFn) -> dict:
    lines = compile_lines(CostBase(tuple(draw(priced_lines()))), BASELINE)
    quarters = draw(st.integers(min_value=1, max_value=10))
    draws = draw(st.sampled_from([1, 2, 7]))
    years = draw(
        st.just(escalation_years(np.arange(quarters)))
        | hnp.arrays(np.int64, quarters, elements=st.integers(0, 12))
    )
    return {
        "lines": lines,
        "supported_users": draw(hnp.arrays(float, (draws, quarters), elements=drivers)),
        "tier_loads": draw(
            hnp.arrays(float, (draws, len(Tier), quarters), elements=drivers)
        ),
        "years": years,
        "in_service": lines.in_service(quarter_starts(quarters)),
        "active": draw(activity(len(lines), quarters)),
        "productivity": draw(per_draw_or_one(draws, productivities)),
        "labour_escalation": draw(per_draw_or_one(draws, escalations)),
        "licence_escalation": draw(per_draw_or_one(draws, escalations)),
    }


@settings(max_examples=300, deadline=None)
@given(case=pricing_cases())
def test_pricing_matches_the_formulas_written_out(case):
    assert_same(price_lines(**case), reference_price_lines(**case))


@settings(max_examples=150, deadline=None)
@given(case=pricing_cases(), data=st.data())
def test_pricing_with_a_calendar_per_draw_matches_the_formulas(case, data):
    # As the CPSU bridge prices: each draw one quarter, its own years of
    # escalation, service and existence (arrays with a draw axis).
    users = case["supported_users"]
    draws, quarters = users.shape
    moment = np.array(
        data.draw(
            st.lists(st.integers(0, quarters - 1), min_size=draws, max_size=draws)
        )
    )
    calendar = case | {
        "supported_users": users[np.arange(draws), moment][:, None],
        "tier_loads": case["tier_loads"][np.arange(draws), :, moment][:, :, None],
        "years": case["years"][moment][:, None, None],
        "in_service": case["in_service"][:, moment].T[:, :, None],
        "active": case["active"][:, moment].T[:, :, None],
    }
    assert_same(price_lines(**calendar), reference_price_lines(**calendar))


def test_the_reference_tells_behaviours_apart():
    # A check on the check: one line of each behaviour, priced by hand.
    lines = compile_lines(
        CostBase(
            (
                CostLine("Rent", "Other", Behaviour.FIXED, amount=300),
                CostLine("Seat", "Other", Behaviour.PER_USER, unit_cost=2),
                CostLine(
                    "Kit", "Other", Behaviour.STEP, unit_cost=50, users_per_unit=40
                ),
                CostLine(
                    "Agent",
                    "Tier 2",
                    Behaviour.STAFFED,
                    unit_cost=900,
                    tier=Tier.TIER_2,
                    tickets_per_agent=30,
                    min_units=1,
                ),
                CostLine(
                    "Call",
                    "Other",
                    Behaviour.PER_TICKET,
                    unit_cost=4,
                    tier=Tier.DESKTOP,
                ),
                CostLine(
                    "Van", "Other", Behaviour.DEPRECIATION, amount=1200, life_months=12
                ),
            )
        ),
        BASELINE,
    )
    case = {
        "lines": lines,
        "supported_users": np.array([[100.0]]),
        "tier_loads": np.array([[[10.0], [20.0], [45.0]]]),
        "years": np.array([1]),
        "in_service": np.ones((6, 1), dtype=bool),
        "active": np.ones((6, 1), dtype=bool),
        "productivity": 0.5,
        "labour_escalation": 0.1,
        "licence_escalation": np.nan,
    }
    expected = np.array(
        [
            300.0,  # Fixed, no escalation of its own
            2 * 100.0,  # Per user
            50 * 3.0,  # ceil(100 / 40) units
            900 * 1.0 * 1.1,  # ceil(45 / (30 x 1.5)) agents, labour +10%
            4 * 20.0,  # Desktop tickets
            100.0,  # 1,200 over 12 months
        ]
    )
    cost, units, capacity = reference_price_lines(**case)
    np.testing.assert_allclose(cost[0, :, 0], expected, rtol=RTOL)
    np.testing.assert_allclose(price_lines(**case).monthly_cost[0, :, 0], expected)
    assert units[0, :, 0].tolist() == [0, 0, 3, 1, 0, 0]
    assert capacity[0, :, 0].tolist() == [0, 0, 0, 45, 0, 0]


@pytest.fixture(scope="module")
def sample():
    return read_upload(SAMPLE_PATH.read_bytes(), SAMPLE_PATH.name)


def test_a_model_run_again_and_again_prices_as_the_formulas(sample):
    # One compiled model, with lines changed during the projection, run under
    # several assumption sets in turn: the part it keeps between runs must
    # not carry one run's assumptions into the next.
    lines = sample.cost_base.lines
    staffed = next(line for line in lines if line.behaviour is Behaviour.STAFFED)
    licence = next(line for line in lines if line.behaviour is Behaviour.PER_USER)
    scenario = replace(
        sample.scenario,
        horizon_quarters=12,
        changes=(
            LineChange(staffed.item, 3, replace(staffed, tickets_per_agent=450)),
            LineChange(licence.item, 6, None),
        ),
    )
    model = compile_model(sample.cost_base, sample.headcount, scenario)
    assert not model.active.all()
    base = Assumptions.of(scenario)
    sets = [
        base,
        replace(base, productivity=0.3, labour_escalation=0.08),
        replace(
            base,
            growth_per_quarter=np.array([0.0, 0.04, 0.1]),
            productivity=np.array([-0.2, 0.0, 0.5]),
            labour_escalation=np.array([np.nan, 0.05, 0.0]),
            licence_escalation=np.array([0.02, np.nan, np.nan]),
        ),
        base,
    ]
    staffed_lines = model.lines.staffed
    for assumptions in sets:
        run = run_model(model, assumptions)
        cost, units, capacity = reference_price_lines(
            model.lines,
            run.supported_users,
            run.tier_load,
            escalation_years(model.quarter_index),
            model.in_service,
            model.active,
            productivity=assumptions.column("productivity")[:, 0],
            labour_escalation=assumptions.column("labour_escalation")[:, 0],
            licence_escalation=assumptions.column("licence_escalation")[:, 0],
        )
        assert_same(run.line_costs, (cost, units, capacity))
        np.testing.assert_allclose(run.monthly_opex, cost.sum(axis=1), rtol=RTOL)
        for row in range(len(Tier)):
            on = staffed_lines & (model.lines.tier_row == row)
            np.testing.assert_array_equal(run.agents[:, row], units[:, on].sum(axis=1))
            np.testing.assert_allclose(
                run.agent_capacity[:, row], capacity[:, on].sum(axis=1), rtol=RTOL
            )
