"""Each cost behaviour against arithmetic done by hand."""

from datetime import date

import numpy as np
import pytest

from cpsu.costs import Behaviour, CostLine, Period, Tier, cost_basis
from cpsu.workload import ServiceDesk
from tests.model_builders import project_lines


def line_cost(projection, quarter: int = 0) -> float:
    return float(projection.line_costs.iloc[0, 3 + quarter])


@pytest.mark.parametrize(
    ("amount", "period"),
    [(100.0, Period.MONTH), (300.0, Period.QUARTER), (1200.0, Period.YEAR)],
)
def test_fixed_cost_is_converted_to_a_month(amount, period):
    # 100 a month = 300 a quarter / 3 = 1,200 a year / 12
    line = CostLine("ITSM platform", "Support tools", Behaviour.FIXED, amount, period)
    projection = project_lines(line, growth=0.5)
    assert projection.line_costs.iloc[0, 3:].tolist() == pytest.approx([100.0] * 5)


def test_per_user_cost_follows_supported_users():
    line = CostLine(
        "Microsoft 365 E3", "Productivity software", Behaviour.PER_USER, unit_cost=39
    )
    projection = project_lines(line, employees=1200, contingent=150)
    # 39 * (1,200 + 150) = 52,650
    assert line_cost(projection) == pytest.approx(52_650.0)


def test_per_user_cost_quoted_per_year_is_divided_by_twelve():
    line = CostLine(
        "Endpoint protection",
        "Support tools",
        Behaviour.PER_USER,
        unit_cost=60,
        period=Period.YEAR,
    )
    # 60 / 12 = 5 a user a month; 5 * 1,000 users = 5,000
    assert line_cost(project_lines(line)) == pytest.approx(5_000.0)


def test_contingent_weight_counts_part_of_each_contingent_worker():
    line = CostLine(
        "Licence", "Productivity software", Behaviour.PER_USER, unit_cost=10
    )
    desk = ServiceDesk(tickets_per_user_month=0.0, contingent_weight=0.5)
    projection = project_lines(line, employees=1000, contingent=150, desk=desk)
    # U = 1,000 + 0.5 * 150 = 1,075; 10 * 1,075 = 10,750
    assert projection.table["supported_users"][0] == 1075
    assert line_cost(projection) == pytest.approx(10_750.0)


def test_step_cost_buys_whole_units():
    line = CostLine(
        "Knowledge base",
        "Support tools",
        Behaviour.STEP,
        unit_cost=500,
        users_per_unit=100,
    )
    projection = project_lines(line, employees=1350)
    # ceil(1,350 / 100) = 14 units * 500 = 7,000
    assert line_cost(projection) == pytest.approx(7_000.0)


def test_step_cost_never_falls_below_min_units():
    line = CostLine(
        "Knowledge base",
        "Support tools",
        Behaviour.STEP,
        unit_cost=500,
        users_per_unit=100,
        min_units=20,
    )
    # max(20, ceil(1,350 / 100) = 14) = 20 units * 500 = 10,000
    assert line_cost(project_lines(line, employees=1350)) == pytest.approx(10_000.0)


def test_step_cost_at_an_exact_multiple_needs_no_extra_unit():
    line = CostLine(
        "Knowledge base",
        "Support tools",
        Behaviour.STEP,
        unit_cost=500,
        users_per_unit=100,
    )
    # 1,400 / 100 = 14 exactly: 14 units, not 15; 14 * 500 = 7,000
    assert line_cost(project_lines(line, employees=1400)) == pytest.approx(7_000.0)


def staffed_agents(tickets_per_agent: float, desk: ServiceDesk, **kwargs) -> CostLine:
    return CostLine(
        "Service desk analysts",
        "Service desk (Tier 1)",
        Behaviour.STAFFED,
        unit_cost=72_000,
        period=Period.YEAR,
        tier=Tier.TIER_1,
        tickets_per_agent=tickets_per_agent,
        **kwargs,
    )


def test_staffed_tier_needs_agents_for_its_load():
    desk = ServiceDesk(tickets_per_user_month=1.2, deflection=0.1, deflection_cap=0.1)
    line = staffed_agents(500, desk)
    projection = project_lines(line, employees=1000, desk=desk)
    # T = 1,000 * 1.2 * (1 - 0.1) = 1,080 tickets; ceil(1,080 / 500) = 3 agents
    # 72,000 a year / 12 = 6,000 an agent a month; 3 * 6,000 = 18,000
    assert projection.table["agents_tier_1"][0] == 3
    assert line_cost(projection) == pytest.approx(18_000.0)
    # utilisation = 1,080 / (3 * 500) = 0.72
    assert projection.table["utilisation_tier_1"][0] == pytest.approx(0.72)


def test_staffed_tier_ignores_floating_point_dust():
    # 1,000 * 1.1 is 1,100.0000000000002 in floating point; 1,100 / 550 = 2 agents,
    # not 3.
    desk = ServiceDesk(tickets_per_user_month=1.1, deflection=0.0, deflection_cap=0.0)
    projection = project_lines(staffed_agents(550, desk), employees=1000, desk=desk)
    assert projection.table["agents_tier_1"][0] == 2
    # 2 * 6,000 = 12,000
    assert line_cost(projection) == pytest.approx(12_000.0)


def test_staffed_tier_keeps_its_minimum_agents():
    desk = ServiceDesk(tickets_per_user_month=0.1, deflection=0.0, deflection_cap=0.0)
    line = staffed_agents(600, desk, min_units=2)
    # T = 1,000 * 0.1 = 100; ceil(100 / 600) = 1, but min 2; 2 * 6,000 = 12,000
    projection = project_lines(line, employees=1000, desk=desk)
    assert projection.table["agents_tier_1"][0] == 2
    assert line_cost(projection) == pytest.approx(12_000.0)


def test_per_ticket_cost_follows_its_tiers_load():
    desk = ServiceDesk(
        tickets_per_user_month=1.0,
        resolution_rate=0.7,
        deskside_share=0.4,
        deflection=0.0,
        deflection_cap=0.0,
    )
    line = CostLine(
        "Field service contract",
        "Managed service",
        Behaviour.PER_TICKET,
        unit_cost=69,
        tier=Tier.DESKTOP,
    )
    projection = project_lines(line, employees=1000, desk=desk)
    # T = 1,000; Desktop = (1 - 0.7) * 0.4 * 1,000 = 120 tickets * 69 = 8,280
    assert line_cost(projection) == pytest.approx(8_280.0)


def depreciation(**kwargs) -> CostLine:
    return CostLine(
        "Remote support tool",
        "Support tools",
        Behaviour.DEPRECIATION,
        amount=36_000,
        life_months=kwargs.pop("life_months", 36),
        **kwargs,
    )


def test_depreciation_starts_in_the_first_quarter_that_begins_in_service():
    line = depreciation(in_service=date(2027, 2, 15))
    projection = project_lines(line)
    # 36,000 / 36 = 1,000 a month. Quarter starts: 2026-10-01, 2027-01-01 are before
    # 2027-02-15; 2027-04-01 is on or after it.
    assert projection.line_costs.iloc[0, 3:].tolist() == [0, 0, 1000, 1000, 1000]


def test_depreciation_without_renewal_stops_when_its_life_ends():
    line = depreciation(life_months=12, renew=False, in_service=date(2026, 10, 1))
    projection = project_lines(line, horizon=5)
    # 36,000 / 12 = 3,000 a month, in service 2026-10-01 up to 2027-10-01: quarters
    # 2026-Q4 .. 2027-Q3 (t = 0..3); 2027-Q4 starts on 2027-10-01, no longer in service.
    assert projection.line_costs.iloc[0, 3:].tolist() == [3000] * 4 + [0, 0]


def test_depreciation_with_renewal_keeps_depreciating():
    line = depreciation(life_months=12, in_service=date(2026, 10, 1))
    projection = project_lines(line, horizon=5)
    # bought again at the end of its life: 3,000 a month in every quarter
    assert projection.line_costs.iloc[0, 3:].tolist() == [3000] * 6


def test_depreciation_defaults_to_in_service_at_the_baseline():
    line = depreciation(life_months=6, renew=False)
    projection = project_lines(line, horizon=3)
    # 36,000 / 6 = 6,000 a month from 2026-10-01 to 2027-04-01: t = 0 and 1
    assert projection.line_costs.iloc[0, 3:].tolist() == [6000, 6000, 0, 0]


def test_escalation_steps_up_once_a_year():
    line = CostLine(
        "Support contract",
        "Other",
        Behaviour.FIXED,
        amount=1000,
        escalation=0.05,
    )
    costs = project_lines(line, horizon=8).line_costs.iloc[0, 3:].to_numpy()
    # (1.05) ** floor(t / 4): 1 for t = 0..3, 1.05 for t = 4..7, 1.1025 for t = 8
    expected = [1000] * 4 + [1050] * 4 + [1102.5]
    np.testing.assert_allclose(costs, expected)


def test_a_line_without_what_its_behaviour_needs_is_refused():
    with pytest.raises(ValueError, match="tickets_per_agent"):
        CostLine(
            "Agents",
            "Service desk (Tier 1)",
            Behaviour.STAFFED,
            unit_cost=5000,
            tier=Tier.TIER_1,
        )


def test_a_line_in_an_unknown_pool_is_refused():
    with pytest.raises(ValueError, match="pool"):
        CostLine("Snacks", "Kitchen", Behaviour.FIXED, amount=10)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            CostLine("ITSM", "Support tools", Behaviour.FIXED, 54_000, Period.YEAR),
            "$4,500.00 a month ($54,000.00 a year)",
        ),
        (
            CostLine("M365", "Productivity software", Behaviour.PER_USER, unit_cost=39),
            "$39.00 a user a month",
        ),
        (
            CostLine(
                "KB",
                "Support tools",
                Behaviour.STEP,
                unit_cost=500,
                users_per_unit=250,
                min_units=2,
            ),
            "$500.00 a month per 250 users, at least 2",
        ),
        (
            CostLine(
                "Analysts",
                "Service desk (Tier 1)",
                Behaviour.STAFFED,
                unit_cost=79_950,
                period=Period.YEAR,
                tier=Tier.TIER_1,
                tickets_per_agent=650,
                escalation=0.04,
            ),
            # 79,950 / 12 = 6,662.50
            "$6,662.50 an agent a month, 650 tickets an agent, Tier 1, +4.0% a year",
        ),
        (
            CostLine(
                "Field",
                "Managed service",
                Behaviour.PER_TICKET,
                unit_cost=69,
                tier=Tier.DESKTOP,
            ),
            "$69.00 a ticket at Desktop",
        ),
        (
            CostLine(
                "Tool",
                "Support tools",
                Behaviour.DEPRECIATION,
                amount=36_000,
                life_months=36,
                in_service=date(2027, 1, 1),
                renew=False,
            ),
            "$36,000.00 over 36 months from 2027-01-01, not renewed",
        ),
    ],
)
def test_cost_basis_says_how_each_line_is_costed(line, expected):
    assert cost_basis(line) == expected
