"""The product's charts for every shape of scenario: one quarter, a shrinking
company, a cost base of one line, no staffed tier. Checked on the specs."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpsu.charts import (
    POOL_COLOURS,
    agents_spec,
    cost_by_pool_spec,
    cpsu_spec,
    money_axis,
    register_theme,
    whole_ticks,
)
from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.pitch import pitch_case
from cpsu.pitch_charts import CHART_NAMES, left_out_charts, slide_charts
from cpsu.projection import project
from cpsu.scenario import Headcount, HeadcountRow, Scenario, Workspace
from cpsu.workload import ServiceDesk
from tests.test_pitch import sample_workspace
from tests.test_pitch_shapes import HALVING_A_YEAR


@pytest.fixture(autouse=True)
def theme():
    register_theme()


def labels_of(axis) -> list[str]:
    """The ticks as the axis's d3 format writes them ("$,.2f" is "$1,234.50")."""
    decimals = int(re.fullmatch(r"\$,\.(\d)f", axis.format).group(1))
    return [f"${value:,.{decimals}f}" for value in axis.values]


def sample_projection(**changes):
    workspace = sample_workspace()
    scenario = replace(workspace.scenario, **changes)
    return project(workspace.cost_base, workspace.headcount, scenario)


def one_line_workspace() -> Workspace:
    """200 users and one Fixed line of $12,000 a month: no service desk."""
    return Workspace(
        cost_base=CostBase(
            (
                CostLine(
                    "Office suite", "Productivity software", Behaviour.FIXED, 12_000
                ),
            )
        ),
        headcount=Headcount((HeadcountRow("2026-Q4", 200, 0),)),
        scenario=Scenario(
            growth_per_quarter=0.05,
            service_desk=ServiceDesk(
                tickets_per_user_month=1.0, deflection=0.0, deflection_cap=0.0
            ),
        ),
        source="One line",
    )


# --- money axes -------------------------------------------------------------------


@given(
    st.lists(
        st.floats(-1e6, 1e7, allow_nan=False) | st.floats(0.0, 500.0),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
)
def test_a_money_axis_shows_every_value_in_distinct_labels(values, zero):
    axis = money_axis(values, zero=zero)
    labels = labels_of(axis)
    assert len(set(labels)) == len(labels)
    assert 2 <= len(axis.values) <= 7
    # every value to the cent (what the labels can tell apart) on the axis
    cents = [round(value, 2) for value in values]
    assert axis.low <= min(cents) and axis.high >= max(cents)
    assert axis.values[0] == axis.low and axis.values[-1] == pytest.approx(axis.high)
    # below $0 only when a value is
    if min(cents) >= 0:
        assert axis.low >= 0
    if zero:
        assert axis.low <= 0 <= axis.high


def test_one_quarter_s_cpsu_axis_repeats_no_label():
    projection = sample_projection(horizon_quarters=1)
    cpsu = projection.column("cpsu")
    # $155.04 to $149.73: (155.04 - 149.73) / 4 = $1.33 a tick, so steps of
    # $2 from $148 to $156. A format of whole dollars on Vega's own ticks of
    # 50 cents wrote "$150 $150 $151 $151".
    assert (round(cpsu[0], 2), round(cpsu[-1], 2)) == (155.04, 149.73)
    y = cpsu_spec(projection.columns)["layer"][0]["encoding"]["y"]
    assert y["scale"]["domain"] == [148.0, 156.0]
    assert y["axis"]["values"] == [148.0, 150.0, 152.0, 154.0, 156.0]
    assert y["axis"]["format"] == "$,.0f"
    assert "padding" not in y["scale"]


def test_a_shrinking_company_s_axes_stay_above_zero():
    projection = sample_projection(growth_per_quarter=HALVING_A_YEAR)
    cpsu = projection.column("cpsu")
    assert cpsu.min() > 100  # $155.04 rising to $360.05
    y = cpsu_spec(projection.columns)["layer"][0]["encoding"]["y"]
    assert y["scale"]["domain"][0] >= 0
    assert y["scale"]["zero"] is False and y["scale"]["nice"] is False
    pools = cost_by_pool_spec(projection.by_pool())["layer"][0]["encoding"]["y"]
    assert pools["scale"]["domain"][0] == 0


# --- legends name what is there ------------------------------------------------------


def test_a_one_line_cost_base_charts_its_one_pool_and_no_agents():
    workspace = one_line_workspace()
    projection = project(workspace.cost_base, workspace.headcount, workspace.scenario)
    pools = cost_by_pool_spec(projection.by_pool())
    colour = pools["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Productivity software"]
    assert colour["scale"]["range"] == [POOL_COLOURS["Productivity software"]]
    assert {row["cost_pool"] for row in pools["datasets"]["pools"]} == {
        "Productivity software"
    }
    # The legend sits above the plot, in one row here: it never narrows it.
    assert colour["legend"]["orient"] == "top"
    assert colour["legend"]["columns"] == 1
    # $12,000 every quarter
    assert pools["title"]["text"] == "Monthly run-rate holds at $12,000"

    case = pitch_case(workspace, workspace.scenario, projection)
    charts = slide_charts(case)
    assert [chart.name for chart in charts] == [
        name for name in CHART_NAMES[:-1] if name != "agents"
    ]
    (left,) = left_out_charts(case)
    assert left.name == "agents"
    assert "No tier is staffed" in left.sentence


def test_the_sample_s_legends_name_its_pools_and_tiers_in_rows_of_two():
    projection = sample_projection()
    colour = cost_by_pool_spec(projection.by_pool())["layer"][0]["encoding"]["color"]
    assert len(colour["scale"]["domain"]) == 7  # the sample costs every pool
    assert colour["legend"]["columns"] == 2  # four rows of at most two
    agents = agents_spec(projection.agents_by_tier())["encoding"]
    assert agents["color"]["scale"]["domain"] == ["Tier 1", "Desktop", "Tier 2"]
    # whole agents only, 8 to 11 of them: ticks 0 to 12 in steps of 2 (steps
    # of 1 would make 12 ticks), none between two whole numbers
    assert agents["y"]["axis"]["values"] == [0, 2, 4, 6, 8, 10, 12]
    assert agents["y"]["scale"]["domain"] == [0, 12]
    case = pitch_case(sample_workspace(), sample_workspace().scenario, projection)
    assert left_out_charts(case) == []


def test_one_agent_s_axis_has_no_half_agent():
    # 220 tickets, one analyst every quarter: ticks 0 and 1 only (Vega's own
    # ticks of 0, 0.5 and 1 in a whole-number format read "0 1 1")
    from tests.test_pitch import small_case

    spec = agents_spec(small_case(horizon_quarters=2).projection.agents_by_tier())
    assert spec["encoding"]["y"]["axis"]["values"] == [0, 1]


@given(st.integers(0, 100_000))
def test_whole_ticks_are_whole_and_reach_the_count(most):
    ticks = whole_ticks(most)
    assert ticks[0] == 0 and ticks[-1] >= most
    assert all(isinstance(tick, int) for tick in ticks)
    assert 2 <= len(ticks) <= 7
