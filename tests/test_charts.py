"""Chart specs: titles that state the finding, currency axes, layers, the theme."""

import altair as alt

from cpsu.charts import (
    POOL_COLOURS,
    THEME_NAME,
    agents_chart,
    cost_by_pool_chart,
    cpsu_chart,
    register_theme,
    run_rate_by_pool_chart,
)
from cpsu.costs import POOLS, Behaviour, CostLine, Tier
from cpsu.workload import ServiceDesk
from tests.model_builders import project_lines

FIXED = CostLine("Service desk tool", "Support tools", Behaviour.FIXED, amount=10_000)
LICENCE = CostLine(
    "Microsoft 365", "Productivity software", Behaviour.PER_USER, unit_cost=40
)
AGENTS = CostLine(
    "Analysts",
    "Service desk (Tier 1)",
    Behaviour.STAFFED,
    unit_cost=6000,
    tier=Tier.TIER_1,
    tickets_per_agent=500,
)
DESK = ServiceDesk(tickets_per_user_month=1.0, deflection=0.0, deflection_cap=0.0)


def projection():
    # users 1,000, 1,100, 1,210; M = 10,000 + 40 U + 6,000 * ceil(U / 500)
    # t=0: 10,000 + 40,000 + 12,000 = 62,000 -> CPSU 62.00
    # t=2: 10,000 + 48,400 + 18,000 = 76,400 -> CPSU 76,400 / 1,210 = 63.14
    return project_lines(FIXED, LICENCE, AGENTS, growth=0.10, horizon=2, desk=DESK)


def test_cpsu_chart_states_its_finding_and_marks_the_baseline():
    spec = cpsu_chart(projection().table).to_dict()
    # 63.1405 / 62 - 1 = +1.8%
    assert spec["title"]["text"] == "CPSU rises 1.8% to $63.14 by 2027-Q2"
    assert "$62.00" in spec["title"]["subtitle"]
    line, rule, label = spec["layer"]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["y"]["axis"]["format"] == "$,.0f"
    assert rule["mark"]["type"] == "rule"
    assert label["mark"]["type"] == "text"
    assert spec["datasets"]  # data travels with the chart
    assert "description" in spec


def test_falling_cpsu_is_titled_as_a_fall():
    table = project_lines(FIXED, growth=0.25, horizon=4).table
    # fixed 10,000 over 1,000 users -> 10,000 / round(1,000 * 1.25^4 = 2,441.4) = 4.10
    spec = cpsu_chart(table).to_dict()
    assert spec["title"]["text"].startswith("CPSU falls 59.0% to $4.10")


def test_cost_by_pool_stacks_pools_in_a_fixed_colour_order():
    spec = cost_by_pool_chart(projection().by_pool()).to_dict()
    assert spec["mark"]["type"] == "area"
    colour = spec["encoding"]["color"]["scale"]
    assert colour["domain"] == list(POOLS)
    assert colour["range"] == [POOL_COLOURS[p] for p in POOLS]
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert spec["title"]["text"] == "Monthly run-rate goes from $62,000 to $76,400"


def test_agents_chart_counts_agents_by_tier():
    spec = agents_chart(projection().agents_by_tier()).to_dict()
    # ceil(1,000 / 500) = 2 agents at t=0; ceil(1,210 / 500) = 3 at t=2
    assert spec["title"]["text"] == "Agents needed go from 2 to 3"
    assert spec["mark"]["type"] == "bar"


def test_run_rate_by_pool_names_the_largest_pool():
    spec = run_rate_by_pool_chart(projection().run_rate_by_pool(0)).to_dict()
    # 40,000 of 62,000 = 65% in Productivity software
    assert spec["title"]["text"] == "Productivity software is 65% of the run-rate"


def test_theme_is_registered_once_and_active():
    register_theme()
    assert THEME_NAME in alt.theme.names()
    assert alt.theme.active == THEME_NAME
    config = alt.theme.get()()["config"]
    assert config["title"]["anchor"] == "start"
