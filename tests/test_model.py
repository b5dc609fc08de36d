"""The numeric core: a batch of assumption sets costed at once, checked by hand
and against project() run one set at a time."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.costs import Behaviour, CostBase, CostLevers, CostLine, Period, Tier
from cpsu.ingest import read_upload
from cpsu.projection import (
    Assumptions,
    compile_model,
    fold_model,
    project,
    run_model,
)
from cpsu.scenario import LineChange, Scenario
from cpsu.workload import ServiceDesk
from sample_data.build import SAMPLE_PATH
from tests.model_builders import headcount

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
ROUTER = CostLine(
    "Router", "Other", Behaviour.STEP, unit_cost=100, users_per_unit=500, min_units=1
)
ONE_TICKET = ServiceDesk(
    tickets_per_user_month=1.0,
    resolution_rate=0.5,
    deskside_share=0.0,
    deflection=0.0,
    deflection_cap=0.0,
)


@pytest.fixture(scope="module")
def sample():
    return read_upload(SAMPLE_PATH.read_bytes(), SAMPLE_PATH.name)


def test_two_draws_costed_at_once_by_hand():
    model = compile_model(
        CostBase((DESK_STAFF, LICENCE, ROUTER)),
        headcount(("2026-Q4", 1000, 0)),
        Scenario(horizon_quarters=4, service_desk=ONE_TICKET),
    )
    both = replace(
        model.assumptions,
        growth_per_quarter=np.array([0.0, 0.1]),
        productivity=np.array([0.0, 0.25]),
    )
    run = run_model(model, both)
    assert run.cpsu.shape == (2, 5)
    # Draw 0, t = 0: 1,000 tickets / 600 = 2 agents x 5,000 = 10,000;
    # licence 1,000 x 10 = 10,000; router ceil(1,000 / 500) = 2 x 100 = 200.
    # 20,200 / 1,000 users = 20.20
    assert run.cpsu[0, 0] == pytest.approx(20.20)
    # Draw 1, t = 1: 1,100 users, 1,100 tickets / (600 x 1.25 = 750) = 2 agents,
    # 10,000 + 11,000 + ceil(2.2) = 3 x 100 = 300: 21,300 / 1,100 = 19.3636...
    assert run.monthly_opex[1, 1] == pytest.approx(21_300)
    assert run.cpsu[1, 1] == pytest.approx(21_300 / 1_100)
    # Draw 1, t = 4: 1,000 x 1.1 ** 4 = 1,464.1 -> 1,464 users, 1,464 tickets:
    # ceil(1,464 / 750) = 2 agents x 5,000 x 1.03 (a year) = 10,300;
    # licence 14,640; router ceil(2.928) = 3 x 100 = 300. Total 25,240.
    assert run.supported_users[1, 4] == 1_464
    assert run.agents[1, 0, 4] == 2
    assert run.monthly_opex[1, 4] == pytest.approx(25_240)
    # utilisation at Tier 1: 1,464 / (2 x 750) = 0.976
    assert run.tier_load[1, 0, 4] / run.agent_capacity[1, 0, 4] == pytest.approx(0.976)


def test_the_sample_over_forty_quarters_matches_project_to_the_bit(sample):
    scenario = replace(sample.scenario, horizon_quarters=40)
    table = project(sample.cost_base, sample.headcount, scenario).table
    run = run_model(compile_model(sample.cost_base, sample.headcount, scenario))
    assert run.cpsu[0].tolist() == table["cpsu"].tolist()
    assert run.monthly_opex[0].tolist() == table["monthly_opex"].tolist()
    assert run.agents[0, 0].tolist() == table["agents_tier_1"].tolist()


def test_an_assumption_set_becomes_the_scenario_it_came_from(sample):
    scenario = replace(
        sample.scenario,
        levers=CostLevers(labour_escalation=0.05, productivity=0.1),
    )
    assumptions = Assumptions.of(scenario)
    assert np.isnan(assumptions.licence_escalation)
    assert assumptions.scenario(sample.scenario) == scenario


unit = st.floats(0.0, 1.0)
escalation = st.one_of(st.none(), st.floats(0.0, 0.12))
assumption_sets = st.builds(
    Assumptions,
    growth_per_quarter=st.floats(-0.05, 0.25),
    tickets_per_user_month=st.floats(0.3, 3.0),
    tickets_trend=st.floats(-0.2, 0.2),
    resolution_rate=unit,
    deskside_share=unit,
    deflection=st.floats(0.0, 0.5),
    deflection_step=st.floats(0.0, 0.05),
    deflection_cap=st.floats(0.0, 0.6),
    productivity=st.floats(-0.5, 1.0),
    labour_escalation=escalation.map(lambda e: np.nan if e is None else e),
    licence_escalation=escalation.map(lambda e: np.nan if e is None else e),
)


@settings(max_examples=25, deadline=None)
@given(
    sets=st.lists(assumption_sets, min_size=1, max_size=4),
    horizon=st.integers(1, 40),
    share=st.one_of(st.none(), st.floats(0.0, 0.5)),
    price=st.floats(1.0, 80.0),
    from_quarter=st.integers(0, 12),
)
def test_the_batch_equals_project_run_one_set_at_a_time(
    sample, sets, horizon, share, price, from_quarter
):
    # The slow path: project() once per assumption set. The fast path: every
    # set in one run of the numeric core.
    licence = next(
        line for line in sample.cost_base.lines if line.item == "Microsoft 365 E3"
    )
    base = replace(
        sample.scenario,
        horizon_quarters=horizon,
        contingent_share=share,
        changes=(
            LineChange(licence.item, from_quarter, replace(licence, unit_cost=price)),
        ),
    )
    batch = Assumptions(
        **{
            name: np.array([getattr(one, name) for one in sets], dtype=float)
            for name in Assumptions.__dataclass_fields__
        }
    )
    run = run_model(compile_model(sample.cost_base, sample.headcount, base), batch)
    for index, one in enumerate(sets):
        table = project(sample.cost_base, sample.headcount, one.scenario(base)).table
        np.testing.assert_array_equal(run.cpsu[index], table["cpsu"])
        np.testing.assert_array_equal(run.tickets[index], table["tickets"])
        np.testing.assert_array_equal(run.agents[index, 2], table["agents_tier_2"])


def test_lines_that_cost_alike_fold_into_one_by_hand():
    rent = CostLine("Rent", "Other", Behaviour.FIXED, amount=1_200, period=Period.YEAR)
    travel = CostLine(
        "Travel", "Other", Behaviour.FIXED, amount=300, period=Period.QUARTER
    )
    dearer = CostLine("Audit", "Other", Behaviour.FIXED, amount=50, escalation=0.05)
    model = compile_model(
        CostBase((rent, LICENCE, travel, ROUTER, dearer, replace(LICENCE, item="2"))),
        headcount(("2026-Q4", 1000, 0)),
        Scenario(horizon_quarters=4, service_desk=ONE_TICKET),
    )
    folded = fold_model(model)
    # rent 100 + travel 100 a month fold into 200 (same pool, no escalation);
    # the two licences into 20 a user; the router and the escalating audit stay.
    assert folded.lines.rate.tolist() == [200, 20, 100, 50]
    assert [line.item for line in folded.versions.lines] == [
        "Rent",
        "Licence",
        "Router",
        "Audit",
    ]
    # t = 4: 200 + 20 x 1,000 + ceil(1,000 / 500) x 100 + 50 x 1.05 = 20,452.5
    assert run_model(folded).monthly_opex[0, 4] == pytest.approx(20_452.5)
    assert run_model(model).monthly_opex[0, 4] == pytest.approx(20_452.5)


@settings(max_examples=25, deadline=None)
@given(sets=st.lists(assumption_sets, min_size=1, max_size=3))
def test_the_folded_sample_gives_the_same_cpsu_and_agents(sample, sets):
    many = CostBase(
        sample.cost_base.lines
        + tuple(
            replace(line, item=f"{line.item} again") for line in sample.cost_base.lines
        )
    )
    model = compile_model(
        many, sample.headcount, replace(sample.scenario, horizon_quarters=12)
    )
    batch = Assumptions(
        **{
            name: np.array([getattr(one, name) for one in sets], dtype=float)
            for name in Assumptions.__dataclass_fields__
        }
    )
    folded = fold_model(model)
    assert len(folded.lines) < len(model.lines)
    whole, summed = run_model(model, batch), run_model(folded, batch)
    np.testing.assert_allclose(summed.cpsu, whole.cpsu, rtol=1e-12)
    np.testing.assert_array_equal(summed.agents, whole.agents)


def test_assumptions_with_different_numbers_of_draws_are_refused():
    with pytest.raises(ValueError, match="these have \\[2, 3\\]"):
        Assumptions(deflection=np.zeros(2), productivity=np.zeros(3))
