"""A plan held against what happened, and the experience curve's verdict on
a plan, checked by hand."""

from __future__ import annotations

import math

import pytest

from cpsu.actuals import (
    ActualQuarter,
    Actuals,
    PlanVerdict,
    fit_experience_curve,
    plan_against_actual,
    plan_verdict,
    pool_variance,
)
from cpsu.costs import Behaviour, CostBase, CostLine, Tier
from cpsu.projection import project
from cpsu.scenario import Headcount, HeadcountRow, Scenario
from cpsu.workload import ServiceDesk

TOOL = CostLine("Helpdesk tool", "Support tools", Behaviour.FIXED, amount=2200)
ANALYSTS = CostLine(
    "Analysts",
    "Service desk (Tier 1)",
    Behaviour.STAFFED,
    unit_cost=5500,
    tier=Tier.TIER_1,
    tickets_per_agent=600,
)


def _plan():
    # 200 employees + 20 contingent in 2026-Q4, 5% growth a quarter, 1 ticket
    # a user a month: one analyst throughout, so $2,200 + $5,500 = $7,700.
    # t=1: round(210) + round(21) = 231 users, CPSU 7,700 / 231 = $33.3333.
    # t=2: round(220.5) = 221 + round(22.05) = 22 = 243 users, $31.6872.
    scenario = Scenario(
        name="Board plan",
        growth_per_quarter=0.05,
        horizon_quarters=2,
        service_desk=ServiceDesk(
            tickets_per_user_month=1.0, deflection=0.0, deflection_cap=0.0
        ),
    )
    headcount = Headcount((HeadcountRow("2026-Q4", 200, 20),))
    return project(CostBase((TOOL, ANALYSTS)), headcount, scenario)


def _actuals() -> Actuals:
    pools = {"Support tools": 2200.0, "Service desk (Tier 1)": 5500.0}
    return Actuals(
        (
            ActualQuarter("2026-Q3", 190, 20, 7600.0),  # before the plan
            ActualQuarter("2026-Q4", 200, 20, 7700.0, pools),
            ActualQuarter(
                "2027-Q1",
                218,
                22,
                8100.0,
                {"Support tools": 2600.0, "Service desk (Tier 1)": 5500.0},
            ),
            ActualQuarter("2027-Q2", 228, 22, 7900.0),
            ActualQuarter("2027-Q3", 240, 22, 7900.0),  # past the horizon
        )
    )


def test_plan_against_actual_by_hand() -> None:
    table = plan_against_actual(_plan(), _actuals())
    # Only the quarters both cover: 2026-Q4 (t=0) to 2027-Q2 (t=2).
    assert table["quarter"].tolist() == ["2026-Q4", "2027-Q1", "2027-Q2"]
    assert table["t"].tolist() == [0, 1, 2]
    assert table["plan_users"].tolist() == [220, 231, 243]
    assert table["actual_users"].tolist() == [220, 240, 250]
    # 2026-Q4: $35.00 both, no variance.
    # 2027-Q1: 8,100 / 240 = $33.75 against $33.3333: +$0.4167, +1.25%.
    # 2027-Q2: 7,900 / 250 = $31.60 against 7,700 / 243 = $31.6872: -$0.0872,
    # 31.6 / 31.6872 - 1 = -0.275%.
    assert table["actual_cpsu"].tolist() == pytest.approx([35.0, 33.75, 31.6])
    assert table["cpsu_variance"].tolist() == pytest.approx(
        [0.0, 33.75 - 7700 / 231, 31.6 - 7700 / 243]
    )
    assert table["cpsu_variance_share"].iat[1] == pytest.approx(0.0125)
    assert table["cpsu_variance_share"].iat[2] == pytest.approx(31.6 / (7700 / 243) - 1)


def test_pool_variance_by_hand() -> None:
    # 2027-Q1: tools $2,600 against the plan's $2,200 (+$400); the desk on plan.
    table = pool_variance(_plan(), _actuals(), "2027-Q1")
    rows = {row.cost_pool: row for row in table.itertuples()}
    assert set(rows) == {"Support tools", "Service desk (Tier 1)"}
    assert rows["Support tools"].plan == 2200
    assert rows["Support tools"].variance == 400
    assert rows["Service desk (Tier 1)"].variance == 0
    # A quarter without pools, or outside the plan, has no pool variance.
    assert pool_variance(_plan(), _actuals(), "2027-Q2").empty
    assert pool_variance(_plan(), _actuals(), "2027-Q3").empty


def test_a_plan_is_judged_against_the_curve_of_the_history() -> None:
    # A history on CPSU = 1,000 * users ** -0.2 with a little scatter.
    users = [100, 150, 220, 330, 500, 740]
    scatter = [1.01, 0.99, 1.005, 0.995, 1.01, 0.99]
    curve = fit_experience_curve(
        users, [1000 * u**-0.2 * s for u, s in zip(users, scatter, strict=True)]
    )
    # At 1,500 users the curve says about 1,000 * 1,500 ** -0.2 = $231.6.
    expected = 1000 * 1500**-0.2
    assert plan_verdict(curve, 1500, expected) is PlanVerdict.IN_LINE
    # A plan at 70% of that falls faster than the company ever has.
    assert plan_verdict(curve, 1500, 0.7 * expected) is PlanVerdict.AMBITIOUS
    # A plan at 130% leaves savings the history says are there.
    assert plan_verdict(curve, 1500, 1.3 * expected) is PlanVerdict.TIMID


def test_a_variance_under_half_a_cent_is_none() -> None:
    # 2026-Q4 at $7,699.00 for 220 users: 7,699 / 220 = $34.99545, against the
    # plan's $35.00 a variance of -$0.00455, under half a cent: shown as $0.00
    # and 0%, never "-$0.00" or "-0%". At $7,698.80 it is -$0.00545, shown as -$0.01.
    def actual_in_2026_q4(monthly_opex: float) -> Actuals:
        return Actuals((ActualQuarter("2026-Q4", 200, 20, monthly_opex),))

    table = plan_against_actual(_plan(), actual_in_2026_q4(7699.0))
    assert table["cpsu_variance"].iat[0] == 0.0
    assert math.copysign(1.0, table["cpsu_variance"].iat[0]) == 1.0
    assert math.copysign(1.0, table["cpsu_variance_share"].iat[0]) == 1.0
    table = plan_against_actual(_plan(), actual_in_2026_q4(7698.8))
    assert table["cpsu_variance"].iat[0] == pytest.approx(7698.8 / 220 - 35.0)
