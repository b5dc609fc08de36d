"""Headline figures, the 'check this' notes and the narrative."""

import math
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from cpsu.costs import Behaviour, CostBase, CostLevers, CostLine, Tier
from cpsu.formatting import count, money, percent
from cpsu.ingest import apply_upload, read_upload
from cpsu.pitch import (
    PitchCase,
    funding_parts,
    headline_figures,
    lever_notes,
    narrative,
    pitch_case,
    sanity_notes,
)
from cpsu.projection import project
from cpsu.scenario import Headcount, HeadcountRow, LineChange, Scenario, Workspace
from cpsu.sensitivity import RESOLUTION_TARGET, UTILISATION_LIMIT
from cpsu.workload import ServiceDesk
from tests.model_builders import project_lines

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "sample_company.xlsx"


@cache
def sample_workspace() -> Workspace:
    return apply_upload(None, read_upload(SAMPLE.read_bytes(), SAMPLE.name), "Sample")


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


# --- the narrative ----------------------------------------------------------------

ANALYSTS = CostLine(
    "Analysts",
    "Service desk (Tier 1)",
    Behaviour.STAFFED,
    unit_cost=5500,
    tier=Tier.TIER_1,
    tickets_per_agent=600,
)
HELPDESK_TOOL = CostLine("Helpdesk tool", "Support tools", Behaviour.FIXED, amount=2200)


def small_workspace() -> Workspace:
    """200 employees and 20 contingent, a tool and Tier 1 analysts, 5% growth:
    two lines a reader can cost by hand."""
    return Workspace(
        cost_base=CostBase((HELPDESK_TOOL, ANALYSTS)),
        headcount=Headcount((HeadcountRow("2026-Q4", 200, 20),)),
        scenario=Scenario(
            growth_per_quarter=0.05,
            horizon_quarters=6,
            service_desk=ServiceDesk(
                tickets_per_user_month=1.0, deflection=0.0, deflection_cap=0.0
            ),
        ),
        source="Small company",
    )


def small_case(**scenario_changes) -> PitchCase:
    """The small workspace's case, its scenario changed as given."""
    workspace = small_workspace()
    scenario = replace(workspace.scenario, **scenario_changes)
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    return pitch_case(workspace, scenario, projection)


def test_the_narrative_of_a_small_company_by_hand():
    text = narrative(small_case())
    # Baseline: 200 + 20 = 220 users, 220 tickets, one agent (220 <= 600):
    # 2,200 + 5,500 = $7,700 a month, CPSU 7,700 / 220 = $35.00.
    assert text.startswith(
        "Support costs $35.00 a month for each of 220 supported users in 2026-Q4, "
        "a run-rate of $7,700 a month."
    )
    # 2028-Q2 (t = 6): round(200 x 1.05^6 = 268.02) + round(20 x 1.05^6 = 26.80)
    # = 268 + 27 = 295 users, still one agent: CPSU 7,700 / 295 = $26.10,
    # 26.1017 / 35 - 1 = -25.4%, a quarter (0.745763)^(1/6) - 1 = -4.8%.
    assert (
        "Under the Base scenario, with growth of +5.0% a quarter, supported users "
        "reach 295 by 2028-Q2 and CPSU falls 25.4% to $26.10, -4.8% a quarter on "
        "average." in text
    )
    # The run-rate holds, so each added user costs nothing more and nothing is
    # asked: the plan is said to hold the run-rate, not to ask $0.
    assert "Each user added costs $0.00 a month to support" in text
    assert (
        "Over the 6 quarters the plan holds today's run-rate: it asks for nothing "
        "above it." in text
    )
    assert "asks $0" not in text
    assert "The service desk holds at 1 agent (1 Tier 1) through 2028-Q2." in text
    assert "Caveats" not in text


def test_the_narrative_names_a_resolution_rate_below_target():
    case = small_case(
        service_desk=ServiceDesk(
            tickets_per_user_month=1.0,
            resolution_rate=0.6,
            deflection=0.0,
            deflection_cap=0.0,
        )
    )
    text = narrative(case)
    assert "Caveats: The Tier 1 resolution rate of 60% is below the 70% target" in text
    assert "Caveats" not in narrative(case, caveats=False)


def test_the_narrative_says_agents_over_capacity_and_the_ask_by_fiscal_year():
    # 40% growth a quarter: 220 users become round(200 x 1.4) + round(20 x 1.4)
    # = 280 + 28 = 308 in 2027-Q1: tickets 308, one agent at 308 / 600 = 51%.
    # 2027-Q2: 392 + 39 = 431 -> 72%; 2027-Q3: round(548.8) + round(54.88) =
    # 549 + 55 = 604 tickets -> two agents (1,200 a month) at 50%.
    case = small_case(growth_per_quarter=0.4, horizon_quarters=3)
    text = narrative(case)
    # 2027-Q3 costs 2,200 + 2 x 5,500 = 13,200 a month, 5,500 above the
    # baseline's 7,700: three months of it, 16,500, all in FY2027.
    assert (
        "the plan asks $16,500 above holding today's run-rate: FY2027 (9 months) "
        "$16,500." in text
    )
    assert "By 2027-Q3 support needs 2 agents (2 Tier 1), against 1 today." in text


NUMBER = re.compile(r"[+-]?\$?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?")
# Names with digits that are not numbers: quarters, fiscal years and tiers.
NAMES = re.compile(r"\b(?:\d{4}-Q[1-4]|FY\d{4}|Tier [12])\b")


def _said_forms(case: PitchCase) -> set[str]:
    """Every way the narrative may write a number of the case: the projection's
    columns, its figures, its funding by fiscal year, its agents, the
    scenario's growth and the guardrails' limits."""
    figures = case.figures
    values: list[float] = [
        value for value in vars(figures).values() if isinstance(value, float | int)
    ]
    for name, column in case.projection.columns.items():
        if name != "quarter":
            values.extend(float(value) for value in column)
    values.extend(case.funding["funding_ask"])
    # The fiscal years' parts are rounded to add up to the total shown: each
    # within a dollar of its year's ask (test_funding_parts_*).
    values.extend(float(part) for _, part in funding_parts(case))
    values.extend(case.funding["months"])
    values.extend(case.agents_at_horizon.values())
    values.extend([case.total_agents_now, case.total_agents_at_horizon])
    values.extend(case.guardrails.utilisation[~np.isnan(case.guardrails.utilisation)])
    values.extend(
        [
            case.scenario.growth_per_quarter,
            case.scenario.service_desk.resolution_rate,
            -figures.funding_ask,
            -figures.cpsu_change,
            UTILISATION_LIMIT,
            RESOLUTION_TARGET,
        ]
    )
    forms: set[str] = set()
    for value in values:
        if not math.isfinite(value):
            continue
        forms |= {money(value), money(value, cents=False), count(value)}
        for digits in (0, 1):
            forms |= {percent(value, digits), percent(value, digits, signed=True)}
    return forms


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"growth_per_quarter": 0.2, "resolution": 0.6},
        {"growth_per_quarter": -0.05, "horizon_quarters": 12},
        {"growth_per_quarter": 0.0, "horizon_quarters": 1},
    ],
    ids=["sample", "fast-growth-low-resolution", "shrinking", "flat-one-quarter"],
)
def test_every_number_of_the_sample_narrative_is_the_projections(changes):
    workspace = sample_workspace()
    changes = dict(changes)
    desk = workspace.scenario.service_desk
    if "resolution" in changes:
        desk = replace(desk, resolution_rate=changes.pop("resolution"))
    scenario = replace(workspace.scenario, service_desk=desk, **changes)
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    case = pitch_case(workspace, scenario, projection, fiscal_start=7)
    text = narrative(case)

    said = NUMBER.findall(NAMES.sub("", text))
    forms = _said_forms(case)
    assert len(said) >= 10
    assert [number for number in said if number not in forms] == []
    # and the headline figures are all in it
    figures = case.figures
    for shown in (
        money(figures.cpsu_now),
        money(figures.cpsu_at_horizon),
        percent(abs(figures.cpsu_change)),
        money(figures.funding_amount, cents=False),
        count(case.total_agents_at_horizon),
    ):
        assert shown in text


def test_a_number_not_of_the_projection_is_caught():
    """The check above fails on a number the projection does not hold."""
    case = small_case()
    forms = _said_forms(case)
    assert "$35.00" in forms
    assert "$35.01" not in forms
    assert "25.4%" in forms and "25.5%" not in forms


def test_the_narrative_names_the_scenario_s_line_changes():
    # Quarter 0 is 2026-Q4, so quarter 2 is 2027-Q2 and quarter 4 2027-Q4.
    bot = CostLine("Chatbot", "Support tools", Behaviour.FIXED, amount=400)
    case = small_case(
        changes=(
            LineChange("Chatbot", 4, bot),
            LineChange("Helpdesk tool", 2, None),
            LineChange("Analysts", 3, replace(ANALYSTS, unit_cost=6_000)),
        )
    )
    assert (
        "The scenario changes 3 cost lines: Helpdesk tool stops from 2027-Q2; "
        "Analysts changes from 2027-Q3; Chatbot is added from 2027-Q4."
    ) in narrative(case)
    assert "cost line" not in narrative(small_case())
