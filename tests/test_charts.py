"""Chart specs: titles that state the finding, currency axes, layers, the theme."""

import json

import altair as alt
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.charts import (
    POOL_COLOURS,
    THEME_NAME,
    agents_chart,
    agents_spec,
    cost_by_pool_chart,
    cost_by_pool_spec,
    cpsu_chart,
    cpsu_spec,
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
    areas = spec["layer"][0]
    assert areas["mark"]["type"] == "area"
    colour = areas["encoding"]["color"]["scale"]
    # Only the three pools with a line, in the pools' order, each in its own
    # colour on every chart.
    present = ["Productivity software", "Support tools", "Service desk (Tier 1)"]
    assert [pool for pool in POOLS if pool in present] == present
    assert colour["domain"] == present
    assert colour["range"] == [POOL_COLOURS[p] for p in present]
    assert areas["encoding"]["y"]["stack"] == "zero"
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


# --- the specs the Scenarios page draws at each slider change ----------------------


@settings(max_examples=25, deadline=None)
@given(
    growth=st.floats(-0.2, 0.3),
    horizon=st.integers(1, 12),
    tickets=st.floats(0.0, 3.0),
)
def test_the_quick_specs_are_exactly_the_charts_specs(growth, horizon, tickets):
    # The quick spec reuses the layers built for the first projection with the
    # same quarters; whatever the data, it must be the chart's own spec.
    desk = ServiceDesk(tickets_per_user_month=tickets, deflection=0.0)
    projection = project_lines(
        FIXED, LICENCE, AGENTS, growth=growth, horizon=horizon, desk=desk
    )
    pairs = [
        (cpsu_chart(projection.table), cpsu_spec(projection.table)),
        # The page gives the projection's columns, without the table.
        (cpsu_chart(projection.table), cpsu_spec(projection.columns)),
        (
            cost_by_pool_chart(projection.by_pool()),
            cost_by_pool_spec(projection.by_pool()),
        ),
        (
            agents_chart(projection.agents_by_tier()),
            agents_spec(projection.agents_by_tier()),
        ),
    ]
    for chart, spec in pairs:
        assert json.dumps(spec, sort_keys=True) == json.dumps(
            chart.to_dict(), sort_keys=True
        )


def test_a_quick_spec_follows_the_data_not_the_first_call():
    rising = project_lines(FIXED, LICENCE, AGENTS, growth=0.10, horizon=2, desk=DESK)
    falling = project_lines(FIXED, growth=0.25, horizon=2)
    first, second = cpsu_spec(rising.table), cpsu_spec(falling.table)
    # Same quarters, so the same layers but for the CPSU axis, which is each
    # one's own; the title and data are each one's own too.
    assert first["layer"][1:] == second["layer"][1:]
    # CPSU 10,000 / 1,000 = $10.00, / 1,250 = $8.00, / 1,563 = $6.40: steps of
    # $1 from $6 to $10 (finer steps would make more than 7 ticks)
    y = second["layer"][0]["encoding"]["y"]
    assert y["scale"]["domain"] == [6.0, 10.0]
    assert y["axis"]["values"] == [6.0, 7.0, 8.0, 9.0, 10.0]
    assert first["layer"][0]["encoding"]["y"]["scale"]["domain"] == [62.0, 66.0]
    assert first["title"]["text"] == "CPSU rises 1.8% to $63.14 by 2027-Q2"
    # 10,000 / round(1,000 x 1.25^2 = 1,562.5 -> 1,563) = $6.40, down 36.0%
    assert second["title"]["text"] == "CPSU falls 36.0% to $6.40 by 2027-Q2"
    assert second["datasets"]["cpsu"][-1]["cpsu"] == 10_000 / 1_563
    # The baseline's change is undefined: null in the data, not NaN.
    assert second["datasets"]["cpsu"][0]["cpsu_change"] is None
    json.dumps(second, allow_nan=False)


def test_a_quick_spec_carries_the_theme_active_when_drawn():
    table = projection().table
    register_theme()
    themed = cpsu_spec(table)
    assert themed["config"]["title"]["fontSize"] == 18
    with alt.theme.enable("default"):
        plain = cpsu_spec(table)
    assert "title" not in plain.get("config", {})
    register_theme()


def test_a_slider_move_builds_no_new_layers() -> None:
    # The Scenarios page redraws its three charts at every move of a slider.
    # Their layers are built once for the quarters (and the pools and tiers
    # drawn): an axis that moves with the data is set on the copy, so twenty
    # moves of growth, each giving other axes, add no template after the first.
    from cpsu import charts

    def draw(growth: float) -> None:
        projection = project_lines(
            FIXED, LICENCE, AGENTS, growth=growth, horizon=6, desk=DESK
        )
        cpsu_spec(projection.columns)
        cost_by_pool_spec(projection.by_pool())
        agents_spec(projection.agents_by_tier())

    draw(0.02)
    built = len(charts._TEMPLATES)
    axes = set()
    for step in range(20):
        growth = 0.03 + 0.01 * step
        draw(growth)
        projection = project_lines(FIXED, LICENCE, AGENTS, growth=growth, horizon=6)
        axes.add(json.dumps(cpsu_spec(projection.columns)["layer"][0]["encoding"]["y"]))
    assert len(axes) > 5  # the axes did move
    assert len(charts._TEMPLATES) == built
