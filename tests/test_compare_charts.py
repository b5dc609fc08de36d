"""Compare-page charts on their Vega-Lite specs: titles with the data's own
numbers, the layers asked for, currency axes, and a bridge that adds up."""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from dataclasses import replace

import altair as alt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.charts import MONEY_AXIS, PALETTE, THEME_NAME, register_theme
from cpsu.compare import cpsu_curves, curve_columns, funding_table, project_all
from cpsu.compare_charts import (
    HIGH_END,
    LOW_END,
    LOWERS,
    LOWERS_COLOUR,
    NO_CHANGE,
    RAISES,
    RAISES_COLOUR,
    START_END,
    bridge_chart,
    bridge_floor,
    bridge_spec,
    funding_chart,
    funding_spec,
    guardrail_reasons,
    guardrail_records,
    hire_labels,
    hire_records,
    scenario_curves_chart,
    scenario_curves_spec,
    tornado_chart,
    tornado_spec,
)
from cpsu.costs import Behaviour, CostBase, CostLine, Tier
from cpsu.projection import project
from cpsu.saved import starting_scenarios
from cpsu.scenario import LineChange, Scenario
from cpsu.sensitivity import (
    CpsuTarget,
    Range,
    cpsu_bridge,
    default_ranges,
    guardrail_arrays,
    guardrails,
    hire_trigger_arrays,
    hire_triggers,
    monte_carlo,
    tornado,
)
from cpsu.workload import ServiceDesk
from sample_data.build import sample_workspace
from tests.model_builders import headcount

TOOL = CostLine("Service desk tool", "Support tools", Behaviour.FIXED, amount=30_000)
ANALYSTS = CostLine(
    "Analysts",
    "Service desk (Tier 1)",
    Behaviour.STAFFED,
    unit_cost=6_000,
    tier=Tier.TIER_1,
    tickets_per_agent=500,
)
DESK = ServiceDesk(tickets_per_user_month=1.0, deflection=0.0, deflection_cap=0.0)
COSTS = CostBase((TOOL, ANALYSTS))
SAAS = CostLine("SaaS", "Productivity software", Behaviour.PER_USER, unit_cost=10.0)
THOUSAND = headcount(("2026-Q4", 1000, 0))
FLAT = Scenario(name="Flat", horizon_quarters=2, service_desk=DESK)
GROWTH = Scenario(
    name="Growth", horizon_quarters=2, growth_per_quarter=0.10, service_desk=DESK
)
# Users: Flat 1,000 throughout; Growth 1,000, 1,100, 1,210. One ticket a user a
# month, 500 an agent: Flat keeps 2 agents; Growth needs ceil(1,100 / 500) = 3
# from 2027-Q1. Monthly cost = 30,000 + 6,000 x agents, so CPSU is
#   Flat:   42,000 / 1,000 = 42.00 every quarter
#   Growth: 42.00, 48,000 / 1,100 = 43.64, 48,000 / 1,210 = 39.67
# and Growth ends 39.6694 / 42 - 1 = -5.5% against Flat in 2027-Q2.


def curves() -> pd.DataFrame:
    return cpsu_curves(project_all(COSTS, THOUSAND, [FLAT, GROWTH]))


def layers(spec: dict) -> dict[str, dict]:
    """The layers of a layered spec by their role name."""
    return {layer["name"]: layer for layer in spec["layer"]}


def values(spec: dict, layer: dict) -> list[dict]:
    """The data rows a layer draws (its own, or the chart's when the layers share)."""
    return spec["datasets"][layer.get("data", spec.get("data"))["name"]]


# --- CPSU curves -----------------------------------------------------------------


def test_curves_title_names_the_scenario_furthest_from_the_first():
    spec = scenario_curves_chart(curves()).to_dict()
    assert spec["title"]["text"] == "Growth ends 5.5% below Flat by 2027-Q2"
    assert spec["title"]["subtitle"] == [
        "CPSU a month in 2027-Q2: Flat $42.00, Growth $39.67"
    ]
    assert spec["description"].startswith("Line chart of CPSU")


def test_curves_draw_one_coloured_line_a_scenario_on_a_currency_axis():
    spec = scenario_curves_chart(curves()).to_dict()
    line = layers(spec)["cpsu_lines"]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["y"]["axis"]["format"] == MONEY_AXIS
    colour = line["encoding"]["color"]
    assert colour["field"] == "scenario"
    assert colour["scale"] == {"domain": ["Flat", "Growth"], "range": list(PALETTE[:2])}
    assert [t["title"] for t in line["encoding"]["tooltip"]][:3] == [
        "Scenario",
        "Quarter",
        "CPSU",
    ]
    assert line["encoding"]["x"]["sort"] == ["2026-Q4", "2027-Q1", "2027-Q2"]
    assert len(values(spec, line)) == 6


def test_one_scenario_is_titled_by_its_own_change():
    one = cpsu_curves(project_all(COSTS, THOUSAND, [GROWTH]))
    spec = scenario_curves_chart(one).to_dict()
    # 39.6694 / 42 - 1 = -5.5%
    assert spec["title"]["text"] == "Growth: CPSU falls 5.5% to $39.67 by 2027-Q2"


def test_curves_carry_the_band_hire_rules_guardrails_and_target():
    ranges = (Range("growth_per_quarter", "Growth", 0.0, 0.2, "test"),)
    chart = scenario_curves_chart(
        curves(),
        bands={"Growth": monte_carlo(COSTS, THOUSAND, GROWTH, ranges, draws=200)},
        triggers={s.name: hire_triggers(COSTS, THOUSAND, s) for s in (FLAT, GROWTH)},
        guardrail_marks={
            s.name: guardrails(COSTS, THOUSAND, s) for s in (FLAT, GROWTH)
        },
        target=CpsuTarget(quarter=2, cpsu=40.0),
    )
    spec = chart.to_dict()
    named = layers(spec)
    assert list(named) == [
        "uncertainty_band",
        "band_median",
        "hire_rules",
        "hire_labels_0",
        "cpsu_lines",
        "guardrail_rings",
        "target_rule",
        "target_label",
    ]

    band = named["uncertainty_band"]
    assert band["mark"]["type"] == "area"
    assert band["encoding"]["y"]["field"] == "p10"
    assert band["encoding"]["y2"]["field"] == "p90"
    assert band["encoding"]["y"]["axis"]["format"] == MONEY_AXIS
    assert named["band_median"]["encoding"]["y"]["field"] == "p50"

    # Growth needs its third agent above 2 x 500 / 1 = 1,000 users: 2027-Q1.
    # Flat never needs a third, so it draws no rule.
    assert named["hire_rules"]["mark"]["type"] == "rule"
    [hire] = values(spec, named["hire_rules"])
    assert (hire["scenario"], hire["quarter"], hire["label"]) == (
        "Growth",
        "2027-Q1",
        "Tier 1 agent 3",
    )
    assert hire["users_above"] == "1,000"

    # Utilisation over 85%: 1,000 tickets on 2 agents (100%) wherever there are
    # 2 agents: Flat's three quarters and Growth's baseline; Growth's later
    # quarters run at 1,100 / 1,500 = 73% and 1,210 / 1,500 = 81%.
    rings = values(spec, named["guardrail_rings"])
    assert [(r["scenario"], r["quarter"]) for r in rings] == [
        ("Flat", "2026-Q4"),
        ("Flat", "2027-Q1"),
        ("Flat", "2027-Q2"),
        ("Growth", "2026-Q4"),
    ]
    assert rings[0]["reason"] == "Agents over capacity: Tier 1 (highest 100% busy)"
    assert rings[0]["cpsu"] == pytest.approx(42.0)

    target = values(spec, named["target_label"])
    assert target == [{"cpsu": 40.0, "label": "Target $40.00 in 2027-Q2"}]
    assert named["target_rule"]["encoding"]["y"]["axis"]["format"] == MONEY_AXIS
    # Only Growth is at or below $40.00 in 2027-Q2 ($39.67 against $42.00).
    assert (
        spec["title"]["subtitle"][-1] == "Target $40.00 in 2027-Q2: reached by Growth"
    )


def test_a_plain_target_says_when_each_scenario_first_reaches_it():
    spec = scenario_curves_chart(curves(), target=43.0).to_dict()
    # Both start at $42.00, at or below $43.00 from the baseline.
    assert spec["title"]["subtitle"][-1] == (
        "Target $43.00: reached by Flat in 2026-Q4, Growth in 2026-Q4"
    )
    spec = scenario_curves_chart(curves(), target=30.0).to_dict()
    assert spec["title"]["subtitle"][-1] == "Target $30.00: no scenario reaches it"


def test_two_scenarios_hiring_in_one_quarter_get_labels_side_by_side():
    faster = Scenario(
        name="Faster", horizon_quarters=2, growth_per_quarter=0.2, service_desk=DESK
    )
    # Faster: 1,200 users at 2027-Q1 need ceil(1,200 / 500) = 3 agents, as Growth.
    triggers = {s.name: hire_triggers(COSTS, THOUSAND, s) for s in (GROWTH, faster)}
    spec = scenario_curves_chart(
        cpsu_curves(project_all(COSTS, THOUSAND, [GROWTH, faster])), triggers=triggers
    ).to_dict()
    named = layers(spec)
    first, second = named["hire_labels_0"], named["hire_labels_1"]
    assert values(spec, first)[0]["scenario"] == "Growth"
    assert values(spec, second)[0]["scenario"] == "Faster"
    assert first["mark"]["dy"] != second["mark"]["dy"]


def test_a_cost_base_without_staff_draws_no_hire_rules_or_rings():
    saas = CostBase((SAAS,))
    scenario = Scenario(name="Grow", horizon_quarters=3, growth_per_quarter=0.1)
    spec = scenario_curves_chart(
        cpsu_curves(project_all(saas, THOUSAND, [scenario])),
        triggers={"Grow": hire_triggers(saas, THOUSAND, scenario)},
        guardrail_marks={"Grow": guardrails(saas, THOUSAND, scenario)},
    ).to_dict()
    assert [layer["name"] for layer in spec["layer"]] == ["cpsu_lines"]
    # $10 a user whatever the headcount.
    assert spec["title"]["text"] == "Grow: CPSU holds at $10.00 by 2027-Q3"


def test_guardrail_reasons_say_every_warning_of_a_quarter():
    table = pd.DataFrame(
        {
            "utilisation_tier_1": [0.90, 0.50],
            "utilisation_desktop": [0.95, float("nan")],
            "over_capacity": [True, False],
            "tiers_over": ["Tier 1, Desktop", ""],
            "resolution_below_target": [True, False],
            "flat_staff_fall": [True, False],
            "cpsu_if_staff_kept_pace": [51.234, float("nan")],
        }
    )
    assert guardrail_reasons(table).tolist() == [
        "Agents over capacity: Tier 1, Desktop (highest 95% busy); "
        "Resolution rate below target; "
        "CPSU fell only because staff stayed flat (with staff keeping pace it "
        "would be $51.23)",
        "",
    ]


def test_no_projected_scenario_gives_a_chart_that_says_so():
    spec = scenario_curves_chart(cpsu_curves([])).to_dict()
    assert spec["title"] == "No scenario could be projected."
    assert spec["mark"]["type"] == "text"


# --- tornado -----------------------------------------------------------------------

PER_TICKET = CostLine(
    "Outsourced desk",
    "Managed service",
    Behaviour.PER_TICKET,
    unit_cost=10,
    tier=Tier.TIER_1,
)
OVERHEAD = CostLine("Overhead", "Other", Behaviour.FIXED, amount=1_000)
THREE = (
    Range("growth_per_quarter", "Growth", 0.0, 0.15, "test"),
    Range("tickets_per_user_month", "Tickets per user", 1.0, 1.3, "test"),
    Range("deflection", "Deflection", 0.08, 0.15, "test"),
)


def small_tornado() -> pd.DataFrame:
    # CPSU = 1,000 / U + 10 x tpu x (1 - d), at 1,000 users, tpu 1.1, d 0.1:
    # the scenario's 1 + 9.9 = 10.90
    # tickets per user 1.0 / 1.3: 10.00 and 12.70 (swing 2.70)
    # deflection 0.08 / 0.15: 11.12 and 10.35 (swing 0.77)
    # growth 0 / 15% (1,150 users): 10.90 and 0.8696 + 9.9 = 10.77 (swing 0.13)
    desk = ServiceDesk(deflection=0.1, deflection_cap=0.5)
    scenario = Scenario(horizon_quarters=1, service_desk=desk)
    return tornado(CostBase((PER_TICKET, OVERHEAD)), THOUSAND, scenario, THREE)


def test_tornado_title_names_the_biggest_driver_and_its_reach():
    spec = tornado_chart(small_tornado()).to_dict()
    assert spec["title"]["text"] == "Tickets per user moves CPSU most: $10.00 to $12.70"
    assert spec["title"]["subtitle"].endswith("the scenario's is $10.90")
    assert "Tornado chart" in spec["description"]


def test_tornado_rows_run_by_swing_whatever_order_they_come_in():
    shuffled = small_tornado().iloc[[2, 0, 1]]
    spec = tornado_chart(shuffled).to_dict()
    bars = layers(spec)["tornado_bars"]
    # The order is in the data (a rank a row), so the layers need not change
    # when the assumptions swap places.
    assert bars["encoding"]["y"]["sort"] == {"field": "rank", "op": "min"}
    assert [(row["label"], row["rank"]) for row in values(spec, bars)][::2] == [
        ("Tickets per user", 0),
        ("Deflection", 1),
        ("Growth", 2),
    ]


def test_the_tornado_draws_its_rows_in_the_rank_of_the_data():
    vl_convert = pytest.importorskip("vl_convert")
    spec = tornado_spec(small_tornado().iloc[[2, 0, 1]])
    svg = vl_convert.vegalite_to_svg(spec)
    at = {label: svg.find(f">{label}</text>") for label in ("Growth", "Deflection")}
    at["Tickets per user"] = svg.find(">Tickets per user</text>")
    assert all(place >= 0 for place in at.values())
    # The axis draws its labels top to bottom.
    assert sorted(at, key=at.get) == ["Tickets per user", "Deflection", "Growth"]


def test_tornado_bars_start_at_the_scenario_cpsu_and_are_labelled():
    spec = tornado_chart(small_tornado()).to_dict()
    named = layers(spec)
    bars = named["tornado_bars"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["field"] == "cpsu_end"
    assert bars["encoding"]["x2"]["field"] == "cpsu"
    assert bars["encoding"]["x"]["axis"]["format"] == MONEY_AXIS
    assert bars["encoding"]["color"]["scale"]["domain"] == [LOW_END, HIGH_END]
    rows = values(spec, bars)
    assert [row["cpsu"] for row in rows] == pytest.approx([10.9] * 6)
    assert [row["cpsu_end"] for row in rows[:2]] == pytest.approx([10.0, 12.7])
    # Ends above the scenario's CPSU are labelled to the right, below to the left.
    above = [r["value_label"] for r in values(spec, named["value_labels_above"])]
    below = [r["value_label"] for r in values(spec, named["value_labels_below"])]
    assert above == ["$12.70", "$11.12"]
    assert below == ["$10.00", "$10.35", "$10.77"]
    [centre] = values(spec, named["scenario_rule"])
    assert centre["cpsu_end"] == pytest.approx(10.9)


def test_an_assumption_that_moves_nothing_is_said_to():
    still = small_tornado()
    still["cpsu_low"] = still["cpsu_high"] = still["cpsu"]
    still["swing"] = 0.0
    spec = tornado_chart(still).to_dict()
    assert spec["title"]["text"] == "No assumption in its range moves CPSU from $10.90"
    assert len(values(spec, layers(spec)["no_effect"])) == 3


# --- CPSU bridge -------------------------------------------------------------------


def small_bridge() -> pd.DataFrame:
    # Growth from 1,000 to 1,210 users by 2027-Q2, nothing else moving:
    # fixed:    30,000 / 1,210 - 30,000 / 1,000 = 24.7934 - 30.00 = -5.2066
    # staffing: 3 x 6,000 / 1,210 - 2 x 6,000 / 1,000 = 14.8760 - 12.00 = +2.8760
    # total:    39.6694 - 42.00 = -2.3306
    return cpsu_bridge(COSTS, THOUSAND, GROWTH)


def bridge_rows(spec: dict) -> list[dict]:
    return values(spec, layers(spec)["bridge_bars"])


def test_bridge_title_says_what_moved_cpsu_most():
    spec = bridge_chart(small_bridge(), "2026-Q4", "2027-Q2").to_dict()
    assert spec["title"]["text"] == (
        "Fixed costs spread over more users cut CPSU most: -$5.21"
    )
    assert spec["title"]["subtitle"] == (
        "Of a $2.33 fall in CPSU a month, from $42.00 at 2026-Q4 to $39.67 at 2027-Q2"
    )


def test_bridge_parts_add_up_to_the_total_change_within_a_cent():
    spec = bridge_chart(small_bridge()).to_dict()
    rows = bridge_rows(spec)
    start, *parts, end = rows
    assert (start["step"], end["step"]) == ("Baseline CPSU", "Horizon CPSU")
    assert start["bar_to"] == pytest.approx(42.0)
    assert end["bar_to"] == pytest.approx(48_000 / 1_210)
    assert (
        abs(sum(p["change"] for p in parts) - (end["bar_to"] - start["bar_to"])) < 0.01
    )
    # Each step starts where the one before ended.
    assert parts[0]["bar_from"] == pytest.approx(start["bar_to"])
    for before, after in itertools.pairwise(parts):
        assert after["bar_from"] == pytest.approx(before["bar_to"])
    assert parts[-1]["bar_to"] == pytest.approx(end["bar_to"])


def test_the_bridge_axis_starts_below_the_steps_so_they_fill_the_chart():
    rows = bridge_rows(bridge_chart(small_bridge()).to_dict())
    # CPSU walks between 36.79 (after fixed costs) and 42.00: a range of
    # 5.21, so the axis starts at 36.79 - 0.75 x 5.21 = 32.88, rounded down to
    # the unit of the range ($1): $32. The end bars start there.
    assert [rows[0]["bar_from"], rows[-1]["bar_from"]] == [32.0, 32.0]
    # Levels near zero, or spread from near zero, keep the axis at zero.
    assert bridge_floor([5.0, 40.0]) == 0.0
    assert bridge_floor([0.0, 3.0]) == 0.0
    assert bridge_floor([50.0, 50.0]) == 0.0


@settings(max_examples=200, deadline=None)
@given(
    levels=st.lists(st.floats(0.01, 10_000, allow_nan=False), min_size=2, max_size=10)
)
def test_the_bridge_axis_never_starts_above_a_level_or_below_zero(levels):
    floor = bridge_floor(levels)
    assert 0.0 <= floor <= min(levels)
    if floor:
        # A round number: a whole multiple of the unit of the levels' range.
        unit = 10.0 ** math.floor(math.log10(max(levels) - min(levels)))
        assert floor / unit == pytest.approx(round(floor / unit))


def test_a_bridge_with_nothing_moving_says_so():
    scenario = Scenario(horizon_quarters=2)
    spec = bridge_chart(cpsu_bridge(CostBase((SAAS,)), THOUSAND, scenario)).to_dict()
    assert spec["title"]["text"] == "No mechanism moved CPSU"
    assert spec["title"]["subtitle"] == (
        "CPSU a month holds at $10.00 from Baseline to Horizon"
    )


def test_bridge_colours_falls_rises_and_the_ends_apart():
    spec = bridge_chart(small_bridge()).to_dict()
    rows = {row["step"]: row for row in bridge_rows(spec)}
    assert rows["Fixed costs spread over more users"]["kind"] == LOWERS
    assert rows["Fixed costs spread over more users"]["value_label"] == "-$5.21"
    assert rows["Staffing"]["kind"] == RAISES
    assert rows["Staffing"]["value_label"] == "+$2.88"
    assert rows["Deflection"]["kind"] == NO_CHANGE
    assert rows["Baseline CPSU"]["kind"] == rows["Horizon CPSU"]["kind"] == START_END
    encoding = layers(spec)["bridge_bars"]["encoding"]
    scale = encoding["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours[LOWERS] == LOWERS_COLOUR
    assert colours[RAISES] == RAISES_COLOUR
    assert colours[START_END] not in (LOWERS_COLOUR, RAISES_COLOUR)
    assert encoding["x"]["axis"]["format"] == MONEY_AXIS
    assert encoding["y"]["sort"] == [row["step"] for row in bridge_rows(spec)]
    # Both directions are in this bridge, so both are in its legend.
    assert encoding["color"]["legend"]["values"] == [START_END, LOWERS, RAISES]


def test_the_bridge_legend_names_only_what_the_bridge_shows():
    # Only falls: no "Raises CPSU" in the legend.
    falls = small_bridge()
    falls = falls[falls["change"] <= 0]
    spec = bridge_chart(falls).to_dict()
    kinds = {row["kind"] for row in bridge_rows(spec)}
    assert RAISES not in kinds
    legend = layers(spec)["bridge_bars"]["encoding"]["color"]["legend"]
    assert legend["values"] == [START_END, LOWERS]


@functools.cache
def sample():
    from sample_data.build import sample_workspace

    return sample_workspace()


@settings(max_examples=25, deadline=None)
@given(
    growth=st.floats(-0.05, 0.25),
    tickets=st.floats(0.5, 2.0),
    resolution=st.floats(0.4, 0.95),
    deflection=st.floats(0.0, 0.3),
    step=st.floats(0.0, 0.05),
    horizon=st.integers(1, 16),
)
def test_the_bridge_adds_up_for_any_scenario_over_the_sample(
    growth, tickets, resolution, deflection, step, horizon
):
    workspace = sample()
    desk = ServiceDesk(
        tickets_per_user_month=tickets,
        resolution_rate=resolution,
        deflection=deflection,
        deflection_step=step,
        deflection_cap=0.45,
    )
    scenario = Scenario(
        horizon_quarters=horizon, growth_per_quarter=growth, service_desk=desk
    )
    bridge = cpsu_bridge(workspace.cost_base, workspace.headcount, scenario)
    start, *parts, end = bridge_rows(bridge_chart(bridge).to_dict())
    assert (
        abs(sum(p["change"] for p in parts) - (end["bar_to"] - start["bar_to"])) < 0.01
    )
    table = project(workspace.cost_base, workspace.headcount, scenario).table
    assert start["bar_to"] == pytest.approx(table["cpsu"].iloc[0], abs=0.005)
    assert end["bar_to"] == pytest.approx(table["cpsu"].iloc[-1], abs=0.005)


# --- funding ask -------------------------------------------------------------------


def funding(*scenarios: Scenario, start_month: int = 7) -> pd.DataFrame:
    hundred = headcount(("2026-Q4", 100, 0))
    return funding_table(
        project_all(CostBase((SAAS,)), hundred, list(scenarios)), start_month
    )


GROW = Scenario(name="Grow", horizon_quarters=4, growth_per_quarter=0.10)
HOLD = Scenario(name="Hold", horizon_quarters=4)
SHRINK = Scenario(name="Shrink", horizon_quarters=4, growth_per_quarter=-0.10)
# 100 users at $10 a month. Grow: 110, 121, 133, 146 users, asks 3 x (100, 210,
# 330, 460) above the baseline's $1,000 a month; with a July fiscal year
# FY2027 holds 2027-Q1 and Q2 (300 + 630 = 930) and FY2028 Q3 and Q4
# (990 + 1,380 = 2,370): 3,300 in all. Hold asks nothing. Shrink: 90, 81, 73,
# 66 users, 3 x (-100, -190, -270, -340): -870 and -1,830, -2,700 in all.


def test_funding_title_names_the_largest_ask_and_the_others():
    spec = funding_chart(funding(HOLD, GROW)).to_dict()
    assert spec["title"]["text"] == "Grow asks most: $3,300 over FY2027 to FY2028"
    assert spec["title"]["subtitle"][0] == "Totals: Hold $0"
    assert "Grouped bar chart" in spec["description"]


def test_funding_bars_are_grouped_by_fiscal_year_on_a_currency_axis():
    spec = funding_chart(funding(HOLD, GROW)).to_dict()
    named = layers(spec)
    bars = named["funding_bars"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["field"] == "year_label"
    assert bars["encoding"]["xOffset"]["field"] == "scenario"
    assert bars["encoding"]["y"]["axis"]["format"] == MONEY_AXIS
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Hold", "Grow"]
    rows = [
        (r["fiscal_year"], r["scenario"], r["funding_ask"]) for r in values(spec, bars)
    ]
    # The Total row is stated in the title, never drawn as a year.
    assert rows == [
        ("FY2027", "Hold", 0.0),
        ("FY2028", "Hold", 0.0),
        ("FY2027", "Grow", pytest.approx(930.0)),
        ("FY2028", "Grow", pytest.approx(2_370.0)),
    ]
    labels = [r["value_label"] for r in values(spec, named["value_labels_up"])]
    assert labels == ["$0", "$0", "$930", "$2,370"]


def test_a_scenario_that_spends_less_is_titled_by_its_saving():
    spec = funding_chart(funding(SHRINK)).to_dict()
    # One scenario saves; "most" would need others to compare with.
    assert spec["title"]["text"] == "Shrink saves $2,700 over FY2027 to FY2028"
    below = values(spec, layers(spec)["value_labels_down"])
    assert [r["value_label"] for r in below] == ["-$870", "-$1,830"]


def test_one_calendar_fiscal_year_is_named_alone():
    spec = funding_chart(funding(GROW, start_month=1)).to_dict()
    assert spec["title"]["text"] == "Grow asks $3,300 over FY2027"


# --- every chart -------------------------------------------------------------------


def every_chart() -> dict[str, alt.TopLevelMixin]:
    triggers = {s.name: hire_triggers(COSTS, THOUSAND, s) for s in (FLAT, GROWTH)}
    marks = {s.name: guardrails(COSTS, THOUSAND, s) for s in (FLAT, GROWTH)}
    ranges = (Range("growth_per_quarter", "Growth", 0.0, 0.2, "test"),)
    return {
        "curves": scenario_curves_chart(
            curves(),
            bands={"Growth": monte_carlo(COSTS, THOUSAND, GROWTH, ranges, draws=50)},
            triggers=triggers,
            guardrail_marks=marks,
            target=40.0,
        ),
        "tornado": tornado_chart(small_tornado()),
        "bridge": bridge_chart(small_bridge()),
        "funding": funding_chart(funding(HOLD, GROW, SHRINK)),
    }


@pytest.mark.parametrize("name", ["curves", "tornado", "bridge", "funding"])
def test_each_chart_leaves_styling_to_the_registered_theme(name):
    chart = every_chart()[name]
    with alt.theme.enable("none"):
        bare = chart.to_dict()
    # No configuration of its own, so the app's theme=None shows the product theme.
    assert "config" not in bare
    assert bare["title"]["text"]
    assert bare["description"]
    register_theme()
    assert alt.theme.active == THEME_NAME
    themed = chart.to_dict()
    assert themed["config"]["title"]["anchor"] == "start"


@pytest.mark.parametrize("name", ["curves", "tornado", "bridge", "funding"])
def test_every_drawn_layer_has_a_tooltip_and_readable_text(name):
    spec = every_chart()[name].to_dict()
    for layer in spec["layer"]:
        mark = layer["mark"]
        if mark["type"] == "text":
            assert mark["fontSize"] >= 11
        elif layer["name"] not in ("zero_rule", "target_rule"):
            assert layer["encoding"].get("tooltip"), layer["name"]


@pytest.mark.parametrize("name", ["curves", "tornado", "bridge", "funding"])
def test_each_chart_renders_to_svg(name):
    vl_convert = pytest.importorskip("vl_convert")
    svg = vl_convert.vegalite_to_svg(every_chart()[name].to_dict())
    assert svg.lstrip().startswith("<svg")
    assert "NaN" not in svg


# --- the quick specs ---------------------------------------------------------------


def dumps(spec: dict) -> str:
    """The spec as the browser gets it: JSON, with no NaN or infinity."""
    return json.dumps(spec, sort_keys=True, allow_nan=False)


def assert_quick_specs_are_the_charts(spec_of, chart_of, first, second):
    """`spec_of` gives `chart_of`'s spec for both sets of arguments, the second
    after the first, so that the second reuses the first's layers whenever
    they have the same shape."""
    first_spec = spec_of(*first)
    second_spec = spec_of(*second)
    assert dumps(first_spec) == dumps(chart_of(*first).to_dict())
    assert dumps(second_spec) == dumps(chart_of(*second).to_dict())
    if "layer" in first_spec and first_spec["layer"] == second_spec.get("layer"):
        # Layers of the same shape are the ones built for the first call: each
        # is the same object, but for those given the call's own CPSU axis.
        for before, after in zip(
            first_spec["layer"], second_spec["layer"], strict=True
        ):
            y = after.get("encoding", {}).get("y", {})
            if "domain" not in y.get("scale", {}):
                assert after is before


NAMES = ("Base", "Lean", "Bold")
AMOUNTS = {"allow_nan": False, "allow_infinity": False}


@st.composite
def cost_bases(draw) -> CostBase:
    lines = [
        CostLine(
            "Tool",
            "Support tools",
            Behaviour.FIXED,
            amount=draw(st.floats(1_000, 60_000, **AMOUNTS)),
        )
    ]
    if draw(st.booleans()):
        lines.append(
            CostLine(
                "Licences",
                "Productivity software",
                Behaviour.PER_USER,
                unit_cost=draw(st.floats(0, 60, **AMOUNTS)),
            )
        )
    if draw(st.booleans()):
        lines.append(
            CostLine(
                "Analysts",
                "Service desk (Tier 1)",
                Behaviour.STAFFED,
                unit_cost=draw(st.floats(2_000, 9_000, **AMOUNTS)),
                tier=Tier.TIER_1,
                tickets_per_agent=draw(st.floats(100, 900, **AMOUNTS)),
            )
        )
    if draw(st.booleans()):
        lines.append(
            CostLine(
                "Outsourced desk",
                "Managed service",
                Behaviour.PER_TICKET,
                unit_cost=draw(st.floats(1, 30, **AMOUNTS)),
                tier=Tier.TIER_1,
            )
        )
    return CostBase(tuple(lines))


@st.composite
def scenario_sets(draw, horizons: tuple[int, ...]) -> list[Scenario]:
    return [
        Scenario(
            name=name,
            horizon_quarters=horizon,
            growth_per_quarter=draw(st.floats(-0.1, 0.3, **AMOUNTS)),
            service_desk=ServiceDesk(
                tickets_per_user_month=draw(st.floats(0.2, 2.0, **AMOUNTS)),
                resolution_rate=draw(st.floats(0.4, 0.95, **AMOUNTS)),
                deflection=draw(st.floats(0.0, 0.3, **AMOUNTS)),
            ),
        )
        for name, horizon in zip(NAMES, horizons, strict=False)
    ]


@st.composite
def compared_cases(draw):
    """A small cost base and headcount, and two sets of scenarios with the same
    names and horizons (so the same quarters) but their own assumptions."""
    costs = draw(cost_bases())
    people = headcount(("2026-Q4", draw(st.integers(100, 5_000)), 0))
    horizons = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
    first = draw(scenario_sets(horizons))
    second = draw(scenario_sets(horizons))
    target = draw(st.floats(1, 150, **AMOUNTS))
    quarter = draw(st.integers(1, max(horizons)))
    return costs, people, first, second, target, quarter


# Every combination of the curves' overlays: band, hire rules, guardrail
# rings, and no target, a plain one, or one at a quarter.
OVERLAYS = list(
    itertools.product((False, True), (False, True), (False, True), (None, 0, 1))
)


@pytest.mark.parametrize(("band", "hires", "rings", "target"), OVERLAYS)
@settings(max_examples=4, deadline=None)
@given(case=compared_cases())
def test_the_quick_curves_spec_is_the_chart_spec(band, hires, rings, target, case):
    costs, people, first, second, value, quarter = case

    def arguments(scenarios: list[Scenario]) -> tuple:
        bands = triggers = marks = goal = None
        if band:
            ranges = default_ranges(costs)
            bands = {
                s.name: monte_carlo(costs, people, s, ranges, draws=20)
                for s in scenarios[:2]
            }
        if hires:
            triggers = {s.name: hire_triggers(costs, people, s) for s in scenarios}
        if rings:
            marks = {s.name: guardrails(costs, people, s) for s in scenarios}
        if target is not None:
            goal = CpsuTarget(quarter, value) if target else value
        curves = cpsu_curves(project_all(costs, people, scenarios))
        return curves, bands, triggers, marks, goal

    assert_quick_specs_are_the_charts(
        scenario_curves_spec,
        scenario_curves_chart,
        arguments(first),
        arguments(second),
    )


@settings(max_examples=25, deadline=None)
@given(case=compared_cases(), target=st.sampled_from((None, 0, 1)))
def test_the_curves_columns_draw_the_chart_of_the_curves_table(case, target):
    # The page gives the curves as columns of Python values, without the
    # table between; the chart is the same, overlays and title included.
    costs, people, scenarios, _, value, quarter = case
    results = project_all(costs, people, scenarios)
    goal = None if target is None else (CpsuTarget(quarter, value) if target else value)
    overlays = {
        "triggers": {s.name: hire_triggers(costs, people, s) for s in scenarios},
        "guardrail_marks": {s.name: guardrails(costs, people, s) for s in scenarios},
        "target": goal,
    }
    from_columns = scenario_curves_spec(curve_columns(results), **overlays)
    from_table = scenario_curves_chart(cpsu_curves(results), **overlays)
    assert dumps(from_columns) == dumps(from_table.to_dict())


@settings(max_examples=15, deadline=None)
@given(case=compared_cases())
def test_the_quick_tornado_spec_is_the_chart_spec(case):
    costs, people, first, second, _, _ = case
    ranges = default_ranges(costs)
    assert_quick_specs_are_the_charts(
        tornado_spec,
        tornado_chart,
        (tornado(costs, people, first[0], ranges),),
        (tornado(costs, people, second[0], ranges),),
    )


@settings(max_examples=15, deadline=None)
@given(case=compared_cases(), labels=st.booleans())
def test_the_quick_bridge_spec_is_the_chart_spec(case, labels):
    costs, people, first, second, _, _ = case
    ends = ("2026-Q4", "Horizon") if labels else ()
    assert_quick_specs_are_the_charts(
        bridge_spec,
        bridge_chart,
        (cpsu_bridge(costs, people, first[0]), *ends),
        (cpsu_bridge(costs, people, second[0]), *ends),
    )


@settings(max_examples=15, deadline=None)
@given(case=compared_cases(), start_month=st.integers(1, 12))
def test_the_quick_funding_spec_is_the_chart_spec(case, start_month):
    costs, people, first, second, _, _ = case
    assert_quick_specs_are_the_charts(
        funding_spec,
        funding_chart,
        (funding_table(project_all(costs, people, first), start_month),),
        (funding_table(project_all(costs, people, second), start_month),),
    )


def test_quick_specs_follow_the_data_not_the_first_call():
    flat, growth = (
        cpsu_curves(project_all(COSTS, THOUSAND, [scenario]))
        for scenario in (FLAT, GROWTH)
    )
    # Same name and quarters, so the same layers; each its own title and data.
    growth = growth.assign(scenario="Flat")
    first = scenario_curves_spec(flat, target=40.0)
    second = scenario_curves_spec(growth, target=41.0)
    # The CPSU axis is chosen from the values shown and set on each call's
    # copy; every other part of the layers is the one built first.
    again = scenario_curves_spec(flat.assign(supported_users=1.0), target=40.0)
    assert again["layer"] == first["layer"]
    from cpsu import charts

    built = len(charts._TEMPLATES)
    for level in (30.0, 35.0, 45.0, 60.0):
        scenario_curves_spec(growth.assign(cpsu=growth["cpsu"] + level), target=41.0)
    assert len(charts._TEMPLATES) == built  # new axes, no new layers
    assert again["datasets"]["curves"][0]["supported_users"] == 1.0
    assert first["title"]["text"] == "Flat: CPSU holds at $42.00 by 2027-Q2"
    assert second["title"]["text"] == "Flat: CPSU falls 5.5% to $39.67 by 2027-Q2"
    assert second["datasets"]["target"] == [{"cpsu": 41.0, "label": "Target $41.00"}]
    assert second["description"].endswith("a horizontal line at the target of $41.00.")
    assert dumps(second) == dumps(scenario_curves_chart(growth, target=41.0).to_dict())

    still = small_tornado()
    still["cpsu_low"] = still["cpsu_high"] = still["cpsu"]
    still["swing"] = 0.0
    moving, level = tornado_spec(small_tornado()), tornado_spec(still)
    assert tornado_spec(small_tornado())["layer"] is moving["layer"]
    assert level["title"]["text"].startswith("No assumption in its range moves CPSU")
    assert dumps(level) == dumps(tornado_chart(still).to_dict())

    grow, shrink = (
        funding_spec(funding(HOLD, GROW)),
        funding_spec(funding(HOLD, SHRINK)),
    )
    assert shrink["layer"] is not grow["layer"]  # another scenario, another colour
    faster = funding_spec(funding(HOLD, replace(GROW, growth_per_quarter=0.2)))
    assert faster["layer"] is grow["layer"]
    assert faster["title"]["text"] != grow["title"]["text"]


def test_an_undefined_cpsu_is_null_in_the_quick_spec():
    table = curves()
    table.loc[1, "cpsu"] = float("nan")
    spec = scenario_curves_spec(table)
    assert spec["datasets"]["curves"][1]["cpsu"] is None
    assert dumps(spec) == dumps(scenario_curves_chart(table).to_dict())


def test_empty_tables_give_quick_specs_that_say_so():
    for spec_of, chart_of, empty in (
        (scenario_curves_spec, scenario_curves_chart, cpsu_curves([])),
        (tornado_spec, tornado_chart, small_tornado().iloc[0:0]),
        (bridge_spec, bridge_chart, small_bridge().iloc[0:0]),
        (funding_spec, funding_chart, funding_table([])),
    ):
        spec = spec_of(empty)
        assert spec["mark"]["type"] == "text"
        assert spec["title"].startswith("No ")
        assert dumps(spec) == dumps(chart_of(empty).to_dict())


@settings(max_examples=20, deadline=None)
@given(case=compared_cases(), start_month=st.integers(1, 12))
def test_the_quick_rows_are_the_tables_rows(case, start_month):
    # The specs take their rows straight from the projections; they must be
    # the rows of the tables the charts are documented to draw.
    from cpsu.charts import records
    from cpsu.compare_charts import (
        funding_bars,
        funding_records,
        guardrail_points,
        guardrail_records,
        hire_labels,
        hire_records,
    )

    costs, people, first, _, _, _ = case
    triggers = {s.name: hire_triggers(costs, people, s) for s in first}
    marks = {s.name: guardrails(costs, people, s) for s in first}
    funding = funding_table(project_all(costs, people, first), start_month)
    pairs = [
        (hire_records(triggers), records(hire_labels(triggers))),
        (guardrail_records(marks), records(guardrail_points(marks))),
        (funding_records(funding), records(funding_bars(funding))),
    ]
    for quick, table in pairs:
        assert dumps(quick) == dumps(table)


def test_a_quarter_hiring_many_agents_names_three_and_counts_the_rest():
    from cpsu.compare_charts import hire_labels

    # Five Tier 1 lines each need their next agent in 2027-Q2 (t = 2): the
    # label names the first three and counts the other two.
    triggers = {
        "Base": pd.DataFrame(
            {
                "item": [f"Desk {n}" for n in range(5)],
                "tier": ["Tier 1"] * 5,
                "agent": [4, 5, 6, 7, 8],
                "users_above": [1_000.0, 1_250.0, 1_500.0, 1_750.0, 2_000.0],
                "quarter": ["2027-Q2"] * 5,
                "t": pd.array([2] * 5, dtype="Int64"),
                "reached": [True] * 5,
            }
        )
    }
    [row] = hire_labels(triggers).to_dict("records")
    assert row["label"] == ("Tier 1 agent 4, Tier 1 agent 5, Tier 1 agent 6 and 2 more")
    assert row["users_above"] == "1,000, 1,250, 1,500 and 2 more"
    assert (row["quarter"], row["t"], row["row"]) == ("2027-Q2", 2, 0)


# --- the page's route: hire triggers and guardrails as arrays ----------------------


def staffed(item: str, tier: Tier, per_agent: float, minimum: int = 0) -> CostLine:
    return CostLine(
        item,
        "Service desk (Tier 1)",
        Behaviour.STAFFED,
        unit_cost=5_000,
        tier=tier,
        tickets_per_agent=per_agent,
        min_units=minimum,
    )


def assert_both_routes_draw_alike(costs, people, scenarios):
    """The arrays the Compare page reads give the rows, marks and spec that
    hire_triggers' and guardrails' tables give, for every scenario at once and
    with the routes mixed."""
    arrays = {s.name: hire_trigger_arrays(costs, people, s) for s in scenarios}
    tables = {s.name: hire_triggers(costs, people, s) for s in scenarios}
    marked = {s.name: guardrail_arrays(costs, people, s) for s in scenarios}
    marks = {s.name: guardrails(costs, people, s) for s in scenarios}
    assert dumps(hire_records(arrays)) == dumps(hire_records(tables))
    mixed = {
        name: arrays[name] if n % 2 else tables[name] for n, name in enumerate(tables)
    }
    assert dumps(hire_records(mixed)) == dumps(hire_records(tables))
    pd.testing.assert_frame_equal(hire_labels(arrays), hire_labels(tables))
    assert dumps(guardrail_records(marked)) == dumps(guardrail_records(marks))
    for name, table in marks.items():
        assert (
            marked[name].flagged.tolist() == (guardrail_reasons(table) != "").tolist()
        )
    curves = cpsu_curves(project_all(costs, people, scenarios))
    quick = scenario_curves_spec(curves, triggers=arrays, guardrail_marks=marked)
    assert dumps(quick) == dumps(
        scenario_curves_spec(curves, triggers=tables, guardrail_marks=marks)
    )
    assert dumps(quick) == dumps(
        scenario_curves_chart(curves, triggers=tables, guardrail_marks=marks).to_dict()
    )
    return tables, marks


def test_the_arrays_label_hires_as_the_tables_do_by_hand():
    desk = ServiceDesk(
        tickets_per_user_month=1.0,
        resolution_rate=0.6,
        deskside_share=0.5,
        deflection=0.0,
        deflection_cap=0.0,
    )
    costs = CostBase(
        (
            TOOL,
            staffed("Desk", Tier.TIER_1, 300),
            staffed("Desk-side", Tier.DESKTOP, 50),
            staffed("Escalations", Tier.TIER_2, 40),
            staffed("Retired", Tier.TIER_1, 200),
        )
    )
    scenario = Scenario(
        name="Grow",
        horizon_quarters=3,
        growth_per_quarter=0.3,
        service_desk=desk,
        changes=(
            LineChange("Retired", 0, None),  # never in force
            LineChange("Bought", 2, staffed("Bought", Tier.TIER_2, 30)),
        ),
    )
    [tables, _] = assert_both_routes_draw_alike(costs, THOUSAND, [scenario])
    table = tables["Grow"]
    # What the case is built to hold: a line never in force, one bought in
    # 2027-Q2, agents never reached, and quarters where several tiers hire
    # more than three agents between them.
    assert "Retired" not in set(table["item"])
    assert table.loc[table["item"] == "Bought", "t"].min() == 3
    assert not table["reached"].all()
    hired = table[table["reached"]].groupby("t")["tier"]
    assert (hired.size() > 3).all() and (hired.nunique() > 1).all()
    # Users 1,000 then 1,300 in 2027-Q1. Tier 1 (one ticket a user, 300 an
    # agent) needs agent 5 above 1,200 users; Desktop (0.4 x 0.5 = 0.2
    # tickets a user, 50 an agent) agents 5 and 6 above 1,000 and 1,250;
    # Tier 2 (0.2 a user, 40 an agent) agents 6 and 7: five in all.
    first = hire_records({"Grow": hire_trigger_arrays(costs, THOUSAND, scenario)})[0]
    assert first == {
        "scenario": "Grow",
        "quarter": "2027-Q1",
        "t": 1,
        "label": "Tier 1 agent 5, Desktop agent 5, Desktop agent 6 and 2 more",
        "users_above": "1,200, 1,000, 1,250 and 2 more",
        "row": 0,
        # The chart's text names the scenario: the page draws the hires of
        # one scenario among the curves of several.
        "text": "Grow: Tier 1 agent 5, Desktop agent 5, Desktop agent 6 and 2 more",
    }
    # Among two, each names its own.
    both = hire_records(
        {
            "Grow": hire_trigger_arrays(costs, THOUSAND, scenario),
            "Again": hire_trigger_arrays(costs, THOUSAND, scenario),
        }
    )
    assert {row["text"] for row in both if row["quarter"] == "2027-Q1"} == {
        f"{name}: Tier 1 agent 5, Desktop agent 5, Desktop agent 6 and 2 more"
        for name in ("Grow", "Again")
    }


@st.composite
def hiring_cases(draw):
    """Staffed lines of any tier, some dropped (from the baseline, so never in
    force, or later), repriced or bought part way, beside a fixed cost, and
    scenarios that grow or shrink over horizons of their own."""
    per_agent = st.floats(5, 400, **AMOUNTS)
    staff = [
        staffed(
            f"Staff {number}",
            draw(st.sampled_from(list(Tier))),
            draw(per_agent),
            draw(st.integers(0, 3)),
        )
        for number in range(draw(st.integers(0, 6)))
    ]
    changes = []
    for line in staff:
        kind = draw(st.sampled_from(("keep", "drop", "reprice")))
        if kind == "drop":
            changes.append(LineChange(line.item, draw(st.integers(0, 6)), None))
        elif kind == "reprice":
            repriced = replace(line, tickets_per_agent=draw(per_agent))
            changes.append(LineChange(line.item, draw(st.integers(1, 6)), repriced))
    for number in range(draw(st.integers(0, 2))):
        item = f"Bought {number}"
        bought = staffed(item, draw(st.sampled_from(list(Tier))), draw(per_agent))
        changes.append(LineChange(item, draw(st.integers(1, 6)), bought))
    # A small fixed cost lets staff dominate, so that CPSU can fall only as
    # staff stay flat.
    tool = replace(TOOL, amount=draw(st.floats(1, 30_000, **AMOUNTS)))
    costs = CostBase((tool, *staff))
    people = headcount(("2026-Q4", draw(st.integers(100, 5_000)), 0))
    scenarios = [
        Scenario(
            name=name,
            horizon_quarters=draw(st.integers(1, 8)),
            growth_per_quarter=draw(st.floats(-0.2, 0.6, **AMOUNTS)),
            service_desk=ServiceDesk(
                tickets_per_user_month=draw(st.floats(0.0, 3.0, **AMOUNTS)),
                tickets_trend=draw(st.floats(-0.1, 0.8, **AMOUNTS)),
                resolution_rate=draw(st.floats(0.5, 0.9, **AMOUNTS)),
                deskside_share=draw(st.floats(0.0, 1.0, **AMOUNTS)),
                deflection=draw(st.floats(0.0, 0.3, **AMOUNTS)),
                deflection_step=draw(st.floats(0.0, 0.1, **AMOUNTS)),
                deflection_cap=0.5,
            ),
            changes=tuple(changes),
        )
        for name in NAMES[: draw(st.integers(1, 3))]
    ]
    return costs, people, scenarios


@settings(max_examples=80, deadline=None)
@given(case=hiring_cases())
def test_the_arrays_draw_what_the_tables_draw(case):
    assert_both_routes_draw_alike(*case)


def repeated(costs: CostBase, count: int) -> CostBase:
    """`count` lines: the cost base's own, repeated under numbered names."""
    lines = costs.lines
    return CostBase(
        tuple(
            replace(lines[n % len(lines)], item=f"{lines[n % len(lines)].item} #{n}")
            for n in range(count)
        )
    )


@pytest.mark.parametrize("lines", [None, 400])
def test_the_arrays_draw_what_the_tables_draw_for_the_sample(lines):
    workspace = sample_workspace()
    costs = workspace.cost_base
    if lines is not None:
        costs = repeated(costs, lines)
    scenarios = [saved.scenario for saved in starting_scenarios(workspace.scenario)]
    tables, marks = assert_both_routes_draw_alike(costs, workspace.headcount, scenarios)
    # The sample hires and is warned about, so both routes have rows to agree on.
    assert any(table["reached"].any() for table in tables.values())
    assert any((guardrail_reasons(table) != "").any() for table in marks.values())
    if lines is not None:
        assert any(
            (table[table["reached"]].groupby("t").size() > 3).any()
            for table in tables.values()
        )


# --- the curves on a page: the plot keeps its height -------------------------------


def page_curves(count: int, horizon: int, growth: float = 0.08) -> dict:
    """The Compare page's curves of `count` of the sample's scenarios at this
    horizon, with the first's hire rules and guardrail rings, as the page
    hands them to Streamlit."""
    from cpsu.charts import page_spec

    workspace = sample()
    base = replace(workspace.scenario, growth_per_quarter=growth)
    starting = [saved.scenario for saved in starting_scenarios(base)]
    every = [
        *starting,
        replace(base, name="Copy of Base"),
        replace(base, name="Twenty quarters", horizon_quarters=20),
    ]
    scenarios = [replace(s, horizon_quarters=horizon) for s in every[:count]]
    if count == 5:
        scenarios[-1] = every[-1]
    first = scenarios[0]
    costs, people = workspace.cost_base, workspace.headcount
    return page_spec(
        scenario_curves_spec(
            curve_columns(project_all(costs, people, scenarios)),
            triggers={first.name: hire_trigger_arrays(costs, people, first)},
            guardrail_marks={first.name: guardrail_arrays(costs, people, first)},
        )
    )


@pytest.mark.parametrize("count", [2, 3, 5])
@pytest.mark.parametrize("horizon", [8, 20, 40])
def test_the_curves_keep_a_readable_plot_whatever_the_scenarios_and_quarters(
    count, horizon
):
    from tests.chart_render import drawn_on_page

    register_theme()
    spec = page_curves(count, horizon)
    # A Compare column of the tester's window: 940 pixels.
    drawn = drawn_on_page(spec, 940)
    # The plot keeps its own height; the titles, the upright hire labels and
    # the legend add theirs above and below it.
    assert drawn.plot_height >= 250
    assert drawn.height > drawn.plot_height + 100
    # The quarters shown on the x axis stand apart: a label of 7 characters
    # of 12-pixel type is under 50 pixels wide.
    quarters = sorted(
        text.x for text in drawn.texts if re.fullmatch(r"\d{4}-Q\d", text.text)
    )
    assert len(quarters) >= 5
    assert min(b - a for a, b in itertools.pairwise(quarters)) >= 50
    # Every hire label stands upright on the top edge of the plot, reading
    # up into the band above it.
    hires = [text for text in drawn.texts if " agent " in text.text]
    assert hires
    assert all(text.y == pytest.approx(drawn.plot_top) for text in hires)


def test_many_hires_in_a_quarter_keep_the_plot_and_a_short_band():
    from tests.chart_render import drawn_on_page

    register_theme()
    # Growing 25% a quarter for 40 quarters, the sample hires in almost every
    # quarter, often in several tiers at once.
    spec = page_curves(3, 40, growth=0.25)
    assert max(len(hire["label"]) for hire in spec["datasets"]["hires"]) > 40
    drawn = drawn_on_page(spec, 700)
    assert drawn.plot_height >= 250


def test_scenarios_with_the_same_curve_are_named_as_drawn_as_one_line():
    twin = replace(FLAT, name="Flat again")
    curves = cpsu_curves(project_all(COSTS, THOUSAND, [FLAT, GROWTH, twin]))
    spec = scenario_curves_spec(curves)
    # Flat and Flat again hold $42.00 in every quarter (see `curves`); Growth
    # differs from 2027-Q1 ($43.64).
    assert spec["title"]["subtitle"][-1] == (
        "Flat and Flat again have the same curve, drawn as one line"
    )
    assert "Flat and Flat again have the same curve" in spec["description"]
    assert dumps(spec) == dumps(scenario_curves_chart(curves).to_dict())
    # Curves that part by a cent or more are not said to be the same.
    apart = curves.assign(
        cpsu=curves["cpsu"] + (curves["scenario"] == "Flat again") * 0.01
    )
    assert all(
        "same curve" not in line
        for line in scenario_curves_spec(apart)["title"]["subtitle"]
    )


def test_a_scenario_that_holds_the_baseline_is_said_to_neither_ask_nor_save():
    # Hold keeps 100 users at $10: its run-rate is the baseline's every
    # quarter, so its ask is $0.
    alone = funding_spec(funding(replace(HOLD, horizon_quarters=1)))
    assert alone["title"]["text"] == "Hold holds the baseline run-rate over FY2027"
    both = funding_spec(funding(HOLD, replace(HOLD, name="Hold too")))
    assert both["title"]["text"] == (
        "Every scenario holds the baseline run-rate over FY2027 to FY2028"
    )
    # A saving beside an ask of $0 is still said.
    assert funding_spec(funding(HOLD, SHRINK))["title"]["text"].startswith(
        "Shrink saves most: $2,700"
    )


def test_a_one_quarter_horizon_is_said_in_the_singular():
    # Grow runs one quarter, Hold four: 1 quarter, not "1 quarters". Grow has
    # 110 users at $10 in 2027-Q1, $100 a month above the baseline: 3 x 100 = $300.
    spec = funding_spec(funding(replace(GROW, horizon_quarters=1), HOLD))
    own = spec["title"]["subtitle"][1]
    assert own.startswith("Over each one's own horizon: ")
    assert "Grow $300 in 1 quarter," in own
    assert "Hold $0 in 4 quarters" in own
