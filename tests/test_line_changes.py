"""Per-line changes as the Scenarios page makes them, costed by hand."""

from __future__ import annotations

import pytest

from cpsu.costs import Behaviour, CostBase, CostLine, Period, Tier
from cpsu.line_changes import (
    describe,
    new_price,
    new_tool,
    per_ticket_contract,
    stop_line,
    with_change,
    without_change,
)
from cpsu.projection import project
from cpsu.scenario import Scenario
from cpsu.workload import ServiceDesk
from tests.model_builders import headcount

LICENCE = CostLine(
    "Microsoft 365", "Productivity software", Behaviour.PER_USER, unit_cost=40.0
)
TOOL = CostLine(
    "ITSM", "Support tools", Behaviour.FIXED, amount=12_000, period=Period.YEAR
)
AGENTS = CostLine(
    "Analysts",
    "Service desk (Tier 1)",
    Behaviour.STAFFED,
    unit_cost=6_000,
    tier=Tier.TIER_1,
    tickets_per_agent=500,
)
BASE = CostBase((LICENCE, TOOL, AGENTS))
# 1,000 users, no growth, 1 ticket a user a month, none deflected: 1,000
# tickets a month at Tier 1, so 2 agents.
DESK = ServiceDesk(tickets_per_user_month=1.0, deflection=0.0, deflection_cap=0.0)
SCENARIO = Scenario(horizon_quarters=4, service_desk=DESK)
PEOPLE = headcount(("2026-Q4", 1000, 0))


def run_rate(scenario: Scenario) -> list[float]:
    return project(BASE, PEOPLE, scenario).table["monthly_opex"].round(2).tolist()


def test_without_changes_the_run_rate_holds():
    # 40 x 1,000 + 12,000 / 12 + 2 x 6,000 = 40,000 + 1,000 + 12,000 = 53,000
    assert run_rate(SCENARIO) == [53_000.0] * 5


def test_a_new_price_applies_from_its_quarter():
    change = new_price(BASE, "Microsoft 365", 2, 36.0)
    # From quarter 2: 36 x 1,000 = 36,000, so 49,000 a month.
    assert run_rate(with_change(SCENARIO, change)) == [53_000.0] * 2 + [49_000.0] * 3
    assert (
        describe(change, BASE, ["2026-Q4", "2027-Q1", "2027-Q2"])
        == "Microsoft 365 at $36.00 cost per user a month (now $40.00) from 2027-Q2"
    )


def test_a_fixed_line_is_repriced_by_its_amount():
    change = new_price(BASE, "ITSM", 1, 24_000.0)
    # 24,000 a year = 2,000 a month: 1,000 more from quarter 1.
    assert run_rate(with_change(SCENARIO, change))[1:] == [54_000.0] * 4


def test_a_staffed_tier_handed_to_a_per_ticket_contract():
    change = per_ticket_contract(BASE, "Analysts", 3, 15.0)
    # 1,000 tickets x $15 = 15,000 in place of 12,000 from quarter 3.
    assert run_rate(with_change(SCENARIO, change)) == [53_000.0] * 3 + [56_000.0] * 2
    assert change.line.tier is Tier.TIER_1
    assert change.line.pool == AGENTS.pool
    assert "per-ticket contract at $15.00 a ticket from" in describe(
        change, BASE, ["a", "b", "c", "2027-Q3"]
    )


def test_only_a_staffed_line_goes_to_a_per_ticket_contract():
    with pytest.raises(ValueError, match="only a Staffed line"):
        per_ticket_contract(BASE, "Microsoft 365", 1, 15.0)


def test_a_new_asset_depreciates_from_the_quarter_it_is_bought():
    kit = CostLine(
        "Lab kit",
        "Desktop support",
        Behaviour.DEPRECIATION,
        amount=36_000,
        life_months=36,
    )
    change = new_tool(BASE, SCENARIO, kit, 2)
    # 36,000 over 36 months: 1,000 a month from quarter 2.
    assert run_rate(with_change(SCENARIO, change)) == [53_000.0] * 2 + [54_000.0] * 3
    assert describe(change, BASE, ["q0", "q1", "2027-Q2"]) == (
        "New Depreciation line Lab kit (Desktop support), $36,000.00, from 2027-Q2"
    )


@pytest.mark.parametrize("name", ["ITSM", "itsm", "  "])
def test_a_new_tool_needs_a_name_of_its_own(name):
    line = CostLine(name, "Support tools", Behaviour.FIXED, amount=1.0)
    with pytest.raises(ValueError, match=r"exists already|Name the new"):
        new_tool(BASE, SCENARIO, line, 1)


def test_a_stopped_line_costs_nothing_from_its_quarter():
    change = stop_line(BASE, "ITSM", 4)
    assert run_rate(with_change(SCENARIO, change)) == [53_000.0] * 4 + [52_000.0]
    with pytest.raises(ValueError, match="stop it from quarter 1"):
        stop_line(BASE, "ITSM", 0)


def test_a_change_for_the_same_line_and_quarter_replaces_the_last():
    first = with_change(SCENARIO, new_price(BASE, "Microsoft 365", 2, 36.0))
    second = with_change(first, new_price(BASE, "Microsoft 365", 2, 30.0))
    assert len(second.changes) == 1
    assert run_rate(second)[2] == 43_000.0  # 30 x 1,000 + 13,000
    assert without_change(second, 0).changes == ()


@pytest.mark.parametrize(
    "make",
    [
        lambda: new_price(BASE, "Nothing", 1, 1.0),
        lambda: new_price(BASE, "Microsoft 365", 1, -1.0),
        lambda: per_ticket_contract(BASE, "Analysts", 1, -5.0),
    ],
)
def test_bad_changes_are_refused_with_a_reason(make):
    with pytest.raises(ValueError, match=r"no cost line|cannot be negative"):
        make()
