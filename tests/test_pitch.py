"""Headline figures and the 'check this' notes."""

import math
from dataclasses import replace

import pytest

from cpsu.costs import Behaviour, CostBase, CostLevers, CostLine, Tier
from cpsu.pitch import headline_figures, lever_notes, sanity_notes
from cpsu.scenario import Scenario
from cpsu.workload import ServiceDesk
from tests.model_builders import project_lines

FIXED = CostLine("Service desk tool", "Support tools", Behaviour.FIXED, amount=10_000)
LICENCE = CostLine(
    "Microsoft 365", "Productivity software", Behaviour.PER_USER, unit_cost=40
)


def test_headline_figures_by_hand():
    projection = project_lines(FIXED, LICENCE, employees=1000, growth=0.10, horizon=2)
    figures = headline_figures(projection)
    # users 1,000 -> 1,210; M 50,000 -> 58,400; CPSU 50.00 -> 48.2645
    assert figures.cpsu_now == pytest.approx(50.0)
    assert figures.cpsu_at_horizon == pytest.approx(58_400 / 1210)
    # change 48.2645 / 50 - 1 = -3.47%
    assert figures.cpsu_change == pytest.approx(58_400 / 1210 / 50 - 1)
    # per quarter: (48.2645 / 50) ** (1/2) - 1 = -1.75%
    assert figures.average_change_per_quarter == pytest.approx(
        (58_400 / 1210 / 50) ** 0.5 - 1
    )
    # (58,400 - 50,000) / (1,210 - 1,000) = 40 a user
    assert figures.cost_per_added_user == pytest.approx(40.0)
    # 3 * 4,000 + 3 * 8,400 = 37,200
    assert figures.funding_ask == pytest.approx(37_200)
    assert (figures.baseline_quarter, figures.horizon_quarter) == ("2026-Q4", "2027-Q2")


def test_cost_per_added_user_is_undefined_without_added_users():
    figures = headline_figures(project_lines(FIXED, growth=0.0, horizon=2))
    assert math.isnan(figures.cost_per_added_user)


def test_sanity_notes_flag_busy_agents_and_unusual_rates():
    desk = ServiceDesk(
        tickets_per_user_month=4.0,
        resolution_rate=0.95,
        deflection=0.0,
        deflection_cap=0.0,
    )
    agents = CostLine(
        "Analysts",
        "Service desk (Tier 1)",
        Behaviour.STAFFED,
        unit_cost=6000,
        tier=Tier.TIER_1,
        tickets_per_agent=900,
    )
    projection = project_lines(agents, employees=1000, desk=desk, horizon=1)
    # 4,000 tickets; ceil(4,000 / 900) = 5 agents; 4,000 / 4,500 = 89% > 85%
    notes = sanity_notes(projection, Scenario(horizon_quarters=1, service_desk=desk))
    text = " ".join(notes)
    assert "Tickets per user per month is 4" in text
    assert "resolution rate of 95%" in text
    assert (
        "above 85% of their capacity (tickets per agent): Tier 1 in 2026-Q4, 2027-Q1."
        in text
    )
    # 30,000 / 1,000 = $30: inside $20 to $400, no CPSU note
    assert "CPSU is outside" not in text


def test_usual_assumptions_raise_no_notes():
    # the default service desk (1.1 tickets, 70% resolved, 10% deflected) and
    # CPSU of (10,000 + 40 x 1,000) / 1,000 = $50: nothing unusual
    projection = project_lines(FIXED, LICENCE, horizon=2, desk=ServiceDesk())
    assert projection.table["cpsu"][0] == pytest.approx(50.0)
    assert sanity_notes(projection, Scenario(horizon_quarters=2)) == []


def test_deflection_above_its_cap_is_noted_not_silently_capped():
    desk = ServiceDesk(deflection=0.5, deflection_cap=0.35)
    projection = project_lines(FIXED, LICENCE, desk=desk, horizon=1)
    # min(0.5 + 0 t, 0.35) = 0.35 from the baseline
    assert projection.table["deflection"].tolist() == [0.35, 0.35]
    notes = sanity_notes(projection, Scenario(horizon_quarters=1, service_desk=desk))
    assert any("above its cap of 35%" in note for note in notes)


@pytest.mark.parametrize(
    ("growth", "noted"), [(0.08, False), (0.45, True), (-0.2, True)]
)
def test_unusual_growth_is_noted(growth, noted):
    projection = project_lines(FIXED, LICENCE, growth=growth, horizon=2)
    scenario = Scenario(horizon_quarters=2, growth_per_quarter=growth)
    notes = sanity_notes(projection, scenario)
    assert any("a quarter is outside -10% to +30%" in note for note in notes) is noted


def test_shrinking_scenarios_are_labelled_as_savings():
    projection = project_lines(FIXED, LICENCE, growth=-0.05, horizon=2)
    figures = headline_figures(projection)
    # users 1,000 -> 950 -> 902.5 -> 903 (half up); M falls by 40 a user lost
    assert figures.users_at_horizon == 903
    assert figures.per_user_label == "Cost change per user lost"
    assert figures.cost_per_added_user == pytest.approx(40.0)
    # ask = 3 * 40 * (950 - 1000) + 3 * 40 * (903 - 1000) = -6,000 - 11,640 = -17,640
    assert figures.funding_ask == pytest.approx(-17_640)
    assert figures.funding_label == "Saving on baseline"
    assert figures.funding_amount == pytest.approx(17_640)


AGENTS = CostLine(
    "Analysts",
    "Service desk (Tier 1)",
    Behaviour.STAFFED,
    unit_cost=5000,
    tier=Tier.TIER_1,
    tickets_per_agent=600,
)


def test_lever_notes_say_check_this_beyond_the_usual_ranges():
    cost_base = CostBase((AGENTS,))
    usual = Scenario(
        service_desk=ServiceDesk(tickets_trend=-0.05, deflection_step=0.075),
        levers=CostLevers(
            labour_escalation=0.05, licence_escalation=0.0, productivity=1 / 3
        ),
    )
    # 600 x (1 + 1/3) = 800: the top of the benchmark, still usual
    assert lever_notes(usual, cost_base) == []
    unusual = replace(
        usual,
        service_desk=ServiceDesk(
            tickets_trend=-0.06, deflection_step=0.08, contingent_weight=1.5
        ),
        levers=CostLevers(
            labour_escalation=0.06, licence_escalation=-0.01, productivity=-0.25
        ),
    )
    notes = " ".join(lever_notes(unusual, cost_base))
    assert "-6.0% is outside -5% to +5%" in notes
    assert "Deflection gaining 8.0% a quarter" in notes
    # 600 x 0.75 = 450 tickets, below 500
    assert "handle 450 tickets a month; 500 to 800" in notes
    assert "Labour escalation of 6.0% a year" in notes
    assert "Licence escalation of -1.0% a year" in notes
    assert "contingent weight of 1.5" in notes
    # without a cost base, productivity is not judged; a line's own escalation
    # (None) never is
    assert "tickets a month" not in " ".join(lever_notes(unusual))
    assert lever_notes(Scenario(), cost_base) == []
