"""Compare's funding and scenario charts for every shape of scenario: horizons
that differ, part fiscal years, one scenario, a shrinking company, a horizon
of one quarter, and seven scenarios at once."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.charts import PALETTE
from cpsu.compare import (
    curve_columns,
    funding_notes,
    funding_table,
    project_all,
    shared_total_label,
)
from cpsu.compare_charts import (
    NEUTRAL,
    SUBTITLE_WIDTH,
    bridge_spec,
    cpsu_scale,
    funding_spec,
    scenario_curves_spec,
    scenario_dash,
    scenario_scale,
    tornado_spec,
)
from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.scenario import Scenario
from cpsu.sensitivity import CpsuTarget, cpsu_bridge, hire_trigger_arrays, tornado
from sample_data.build import sample_workspace
from tests.model_builders import headcount

SAAS = CostLine("SaaS", "Productivity software", Behaviour.PER_USER, unit_cost=10.0)
HUNDRED = headcount(("2026-Q4", 100, 0))
# 100 users at $10 a user a month, $1,000 a month at the baseline.
# Long: 10% a quarter for 4 quarters: 110, 121, 133, 146 users, asking
# 3 x (100, 210, 330, 460) = 300, 630, 990, 1,380 above the baseline: 3,300.
LONG = Scenario(name="Long", horizon_quarters=4, growth_per_quarter=0.10)
# Short: 20% a quarter for 2 quarters: 120, 144 users, asking
# 3 x (200, 440) = 600, 1,320: 1,920.
SHORT = Scenario(name="Short", horizon_quarters=2, growth_per_quarter=0.20)


def funding(*scenarios: Scenario, start_month: int = 7) -> pd.DataFrame:
    return funding_table(
        project_all(CostBase((SAAS,)), HUNDRED, list(scenarios)), start_month
    )


def layers(spec: dict) -> dict[str, dict]:
    return {layer["name"]: layer for layer in spec["layer"]}


def subtitle_lines(spec: dict) -> list[str]:
    subtitle = spec["title"].get("subtitle", [])
    return [subtitle] if isinstance(subtitle, str) else list(subtitle)


# --- 1. funding past a scenario's horizon -------------------------------------------


def test_a_year_past_a_horizon_has_no_figure_and_totals_are_compared_fairly():
    table = funding(LONG, SHORT)
    # July fiscal years: FY2027 holds 2027-Q1 and Q2, FY2028 2027-Q3 and Q4.
    # Long: 300 + 630 = 930, then 990 + 1,380 = 2,370. Short: 600 + 1,320 =
    # 1,920 in FY2027, and nothing it could say of FY2028.
    assert table.loc["FY2027", "Long"] == pytest.approx(930.0)
    assert table.loc["FY2028", "Long"] == pytest.approx(2_370.0)
    assert table.loc["FY2027", "Short"] == pytest.approx(1_920.0)
    assert math.isnan(table.loc["FY2028", "Short"])
    # Each one's own total stays: 3,300 over 4 quarters, 1,920 over 2.
    assert table.loc["Total", "Long"] == pytest.approx(3_300.0)
    assert table.loc["Total", "Short"] == pytest.approx(1_920.0)
    # Over the 2 quarters both cover: Long 300 + 630 = 930, Short 1,920.
    shared = shared_total_label(2)
    assert shared == "Total over the 2 quarters all share"
    assert table.loc[shared].tolist() == pytest.approx([930.0, 1_920.0])


def test_the_funding_title_compares_over_the_quarters_all_scenarios_share():
    spec = funding_spec(funding(LONG, SHORT))
    # Over their own horizons Long's 3,300 would beat Short's 1,920; over
    # the 2 quarters both cover Short asks more: 1,920 against 930.
    assert spec["title"]["text"] == (
        "Short asks most: $1,920 over the 2 quarters all scenarios share"
    )
    lines = subtitle_lines(spec)
    assert "Over the 2 quarters all share: Long $930" in lines
    assert (
        "Over each one's own horizon: Long $3,300 in 4 quarters, Short $1,920 in "
        "2 quarters"
    ) in lines


def test_a_year_past_a_horizon_draws_no_bar_and_says_no_figure():
    spec = funding_spec(funding(LONG, SHORT))
    drawn = {
        (row["fiscal_year"], row["scenario"]) for row in spec["datasets"]["funding"]
    }
    assert ("FY2028", "Short") not in drawn
    assert ("FY2028", "Long") in drawn
    missing = spec["datasets"]["no_figure"]
    assert [(row["fiscal_year"], row["scenario"]) for row in missing] == [
        ("FY2028", "Short")
    ]
    assert missing[0]["value_label"] == "no figure"
    assert missing[0]["covered"] == "Past the horizon: no figure"
    assert "no_figure_labels" in layers(spec)


def test_the_caption_says_what_the_table_cannot():
    notes = funding_notes(funding(LONG, SHORT))
    assert "past that scenario's horizon: no figure, not $0" in notes
    assert "compare the scenarios on the last row, over the 2 quarters all share" in (
        notes
    )
    # One scenario, or scenarios of one horizon, need no such words.
    assert "horizon" not in funding_notes(
        funding(LONG, replace(SHORT, horizon_quarters=4))
    )


# --- 2. part fiscal years -----------------------------------------------------------


def test_part_years_are_marked_on_the_axis_and_in_the_tooltip():
    spec = funding_spec(funding(LONG, SHORT))
    # From 2027-Q1 to Q4 with July fiscal years, each year holds 6 months of
    # the horizon for every scenario that reaches it.
    rows = spec["datasets"]["funding"]
    assert {row["year_label"] for row in rows} == {"FY2027 · 6 mo", "FY2028 · 6 mo"}
    assert {row["covered"] for row in rows} == {"6 of 12 months"}
    bars = layers(spec)["funding_bars"]
    assert bars["encoding"]["x"]["field"] == "year_label"
    tooltip = [item["field"] for item in bars["encoding"]["tooltip"]]
    assert "covered" in tooltip
    assert "Part years: FY2027 6 of 12 months; FY2028 6 of 12 months" in (
        subtitle_lines(spec)
    )


def test_a_part_year_of_one_scenario_only_is_said_on_its_bar():
    spec = funding_spec(funding(LONG, SHORT, start_month=1))
    # Calendar years: Long covers all 12 months of 2027, Short only 6.
    rows = {row["scenario"]: row for row in spec["datasets"]["funding"]}
    assert rows["Long"]["year_label"] == "FY2027"
    assert rows["Long"]["value_label"] == "$3,300"
    assert rows["Short"]["value_label"] == "$1,920 · 6 mo"
    assert rows["Short"]["covered"] == "6 of 12 months"


def test_the_pitch_funding_chart_marks_its_part_years():
    # The Pitch page draws one scenario through the same builder.
    spec = funding_spec(funding(LONG))
    assert [row["year_label"] for row in spec["datasets"]["funding"]] == [
        "FY2027 · 6 mo",
        "FY2028 · 6 mo",
    ]
    assert spec["title"]["text"] == "Long asks $3,300 over FY2027 to FY2028"


# --- 3. wording that fits one scenario and a saving ---------------------------------


def test_one_scenario_saving_is_not_said_to_save_most():
    shrink = Scenario(name="Shrink", horizon_quarters=4, growth_per_quarter=-0.10)
    # 90, 81, 73, 66 users: 3 x (-100, -190, -270, -340) = -2,700.
    spec = funding_spec(funding(shrink))
    assert spec["title"]["text"] == "Shrink saves $2,700 over FY2027 to FY2028"
    assert spec["title"]["subtitle"] == [
        "Part years: FY2027 6 of 12 months; FY2028 6 of 12 months",
        # A negative ask is named for what it is.
        "Spend above holding the baseline run-rate, by fiscal year; below zero, "
        "a saving",
    ]


def test_many_scenarios_stand_their_value_labels_upright_on_narrow_bars():
    # Up to three scenarios a year the bars take level labels; past three
    # they are too narrow, and the labels stand upright.
    three = funding_spec(funding(LONG, SHORT, replace(LONG, name="Third")))
    assert "angle" not in layers(three)["value_labels_up"]["mark"]
    four = funding_spec(
        funding(LONG, SHORT, replace(LONG, name="Third"), replace(LONG, name="Fourth"))
    )
    assert layers(four)["value_labels_up"]["mark"]["angle"] == 270


# --- 4. a shrinking company ---------------------------------------------------------

SAMPLE = sample_workspace()
# Employee growth of -50% a year: 0.5 ** (1 / 4) - 1 a quarter.
HALVING = replace(SAMPLE.scenario, name="Shrink", growth_per_quarter=0.5**0.25 - 1)


def test_the_bridge_says_fewer_users_when_users_fall():
    bridge = cpsu_bridge(SAMPLE.cost_base, SAMPLE.headcount, HALVING)
    assert bridge["mechanism"].iloc[0] == "Fixed costs spread over fewer users"
    growing = replace(HALVING, growth_per_quarter=0.05)
    bridge = cpsu_bridge(SAMPLE.cost_base, SAMPLE.headcount, growing)
    assert bridge["mechanism"].iloc[0] == "Fixed costs spread over more users"
    spec = bridge_spec(cpsu_bridge(SAMPLE.cost_base, SAMPLE.headcount, HALVING))
    assert "more users" not in str(spec["title"])


def test_a_shrinking_scenario_beside_the_base_keeps_the_cpsu_axis_above_zero():
    # Halving every quarter, CPSU climbs into the thousands while the Base
    # stays near $130: padding the axis by pixels used to push it to -$2,000.
    fast_fall = replace(SAMPLE.scenario, name="Shrink", growth_per_quarter=-0.5)
    results = project_all(
        SAMPLE.cost_base, SAMPLE.headcount, [SAMPLE.scenario, fast_fall, HALVING]
    )
    spec = scenario_curves_spec(curve_columns(results))
    y = layers(spec)["cpsu_lines"]["encoding"]["y"]
    low, high = y["scale"]["domain"]
    cpsus = [row["cpsu"] for row in spec["datasets"]["curves"]]
    assert 0 <= low <= min(cpsus)
    assert high >= max(cpsus)
    assert min(y["axis"]["values"]) >= 0


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.floats(0, 50_000, allow_nan=False), min_size=1, max_size=30))
def test_a_cpsu_axis_never_goes_below_zero_and_never_repeats_a_label(values):
    scale = cpsu_scale(values)
    assert scale is not None
    assert 0 <= scale.low <= min(values)
    assert scale.high >= max(values)
    assert list(scale.ticks) == sorted(set(scale.ticks))
    assert scale.ticks[0] == scale.low and scale.ticks[-1] == scale.high
    decimals = 0 if scale.label_format == "$,.0f" else 2
    labels = [f"${tick:,.{decimals}f}" for tick in scale.ticks]
    assert len(set(labels)) == len(labels)
    assert 2 <= len(scale.ticks) <= 12


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.floats(-500, 500, allow_nan=False), min_size=1))
def test_a_cpsu_axis_reaches_below_zero_only_for_a_value_below_zero(values):
    scale = cpsu_scale(values)
    assert scale.low <= min(values) and scale.high >= max(values)
    assert (scale.low < 0) == (min(values) < 0)


# --- 5. a horizon of one quarter ----------------------------------------------------


def test_one_quarter_of_a_flat_scenario_gets_cents_not_repeated_dollars():
    # $10 a user for 100 users that do not grow: CPSU holds at $10.00, so the
    # axis is a band of $1 around it (2% of $10 is less), ticked every $0.20:
    # $9.40 ... $10.60 would all read "$9" to "$11" in whole dollars.
    flat = Scenario(name="Flat", horizon_quarters=1)
    results = project_all(CostBase((SAAS,)), HUNDRED, [flat])
    spec = scenario_curves_spec(curve_columns(results))
    axis = layers(spec)["cpsu_lines"]["encoding"]["y"]["axis"]
    assert axis["format"] == "$,.2f"
    assert axis["values"] == pytest.approx([9.4, 9.6, 9.8, 10.0, 10.2, 10.4, 10.6])
    labels = [f"${tick:,.2f}" for tick in axis["values"]]
    assert len(set(labels)) == len(labels)


def test_the_bridge_and_tornado_axes_of_a_small_span_show_cents():
    # $1,000 of fixed cost a month over 100 users growing 1% in one quarter:
    # CPSU goes from $10.00 to 1,000 / 101 = $9.90, a span of 10 cents.
    rent = CostLine("Rent", "Other", Behaviour.FIXED, amount=1_000)
    one = Scenario(name="One", horizon_quarters=1, growth_per_quarter=0.01)
    bridge = cpsu_bridge(CostBase((rent,)), HUNDRED, one)
    assert bridge["cpsu_to"].iloc[-1] == pytest.approx(1_000 / 101)
    x = bridge_spec(bridge)["layer"][0]["encoding"]["x"]["axis"]
    assert x["format"] == "$,.2f" and x["tickMinStep"] == 0.01
    table = tornado(SAMPLE.cost_base, SAMPLE.headcount, SAMPLE.scenario)
    axis = tornado_spec(table)["layer"][0]["encoding"]["x"]["axis"]
    # Whole dollars never come with ticks finer than a dollar.
    assert axis["format"] == "$,.0f" and axis["tickMinStep"] == 1


@pytest.mark.parametrize(
    ("target", "side", "baseline"),
    [
        # CPSU goes from $155.04 to $149.73: a target above both is written above
        # its line, one below both under it, away from the curve either way.
        (160.0, "above", "bottom"),
        (145.0, "below", "top"),
    ],
)
def test_the_target_label_sits_on_the_side_the_curve_leaves_free(
    target, side, baseline
):
    one = replace(SAMPLE.scenario, horizon_quarters=1)
    results = project_all(SAMPLE.cost_base, SAMPLE.headcount, [one])
    spec = scenario_curves_spec(curve_columns(results), target=CpsuTarget(1, target))
    label = layers(spec)["target_label"]
    assert label["mark"]["baseline"] == baseline
    assert (label["mark"]["dy"] < 0) == (side == "above")
    low, high = label["encoding"]["y"]["scale"]["domain"]
    assert low < target < high


# --- 6. hire labels -----------------------------------------------------------------


def test_hire_labels_stand_above_the_plot_not_on_the_lines():
    base = SAMPLE.scenario
    triggers = {
        base.name: hire_trigger_arrays(SAMPLE.cost_base, SAMPLE.headcount, base)
    }
    others = [replace(base, name=f"S{i}", growth_per_quarter=0.05 * i) for i in (1, 2)]
    results = project_all(SAMPLE.cost_base, SAMPLE.headcount, [base, *others])
    spec = scenario_curves_spec(curve_columns(results), triggers=triggers)
    labels = [
        layer for layer in spec["layer"] if layer["name"].startswith("hire_labels")
    ]
    assert labels
    for layer in labels:
        mark = layer["mark"]
        # Upright, foot at the top edge of the plot (y = 0) and rising from
        # it: the text runs up, away from the plot, never down into it.
        assert mark["angle"] == 270
        assert layer["encoding"]["y"] == {"value": 0}
        assert mark["align"] == "left" and mark["dx"] > 0
        # A long label ends in an ellipsis rather than towering over the title.
        assert 0 < mark["limit"] <= 200


# --- 7. seven scenarios -------------------------------------------------------------

SEVEN = [
    replace(
        SAMPLE.scenario,
        name=f"Scenario number {index} with a long name",
        growth_per_quarter=0.02 * index,
    )
    for index in range(7)
]


def test_seven_scenarios_get_seven_distinct_colours_none_of_them_the_muted_grey():
    names = [scenario.name for scenario in SEVEN]
    colours = scenario_scale(names).to_dict()["range"]
    assert len(set(colours)) == 7
    assert NEUTRAL not in colours and PALETTE[6] not in colours
    # The first six keep the theme's order.
    assert colours[:6] == list(PALETTE[:6])


@pytest.mark.parametrize("count", [7, 10, 14])
def test_every_scenario_differs_by_colour_or_dash(count):
    names = [f"S{index}" for index in range(count)]
    colours = scenario_scale(names).to_dict()["range"]
    dashes = scenario_dash(names).to_dict()["scale"]["range"]
    pairs = [
        (colour, tuple(dash)) for colour, dash in zip(colours, dashes, strict=True)
    ]
    assert len(set(pairs)) == count


def test_seven_long_names_wrap_the_subtitle_to_the_chart_width():
    results = project_all(SAMPLE.cost_base, SAMPLE.headcount, SEVEN)
    spec = scenario_curves_spec(curve_columns(results))
    lines = subtitle_lines(spec)
    assert all(len(line) <= SUBTITLE_WIDTH for line in lines)
    # Nothing is lost in the wrapping: every scenario's CPSU is still there.
    said = " ".join(lines)
    assert all(name in said for name in [s.name for s in SEVEN])
    title = spec["title"]["text"]
    assert isinstance(title, list) and all(len(line) <= 64 for line in title)


def test_one_scenario_can_be_highlighted_and_the_others_muted():
    results = project_all(SAMPLE.cost_base, SAMPLE.headcount, SEVEN)
    chosen = SEVEN[3].name
    spec = scenario_curves_spec(curve_columns(results), highlight=chosen)
    named = layers(spec)
    lines = named["cpsu_lines"]["encoding"]
    assert lines["opacity"]["condition"]["value"] == 1.0
    assert lines["opacity"]["value"] < 0.5
    assert lines["strokeWidth"]["condition"]["value"] > lines["strokeWidth"]["value"]
    top = named["highlighted_line"]
    assert spec["layer"][-1]["name"] == "highlighted_line"
    assert chosen in top["transform"][0]["filter"]
    # No highlight: no muting at all.
    plain = layers(scenario_curves_spec(curve_columns(results)))
    assert "highlighted_line" not in plain
    assert "opacity" not in plain["cpsu_lines"]["encoding"]


def test_the_pitch_slide_highlights_the_presented_scenario():
    from cpsu.pitch import pitch_case
    from cpsu.pitch_charts import slide_charts

    projection = project_all(SAMPLE.cost_base, SAMPLE.headcount, [SAMPLE.scenario])
    case = pitch_case(SAMPLE, SAMPLE.scenario, projection[0].projection)
    others = project_all(SAMPLE.cost_base, SAMPLE.headcount, SEVEN[1:])
    charts = {chart.name: chart for chart in slide_charts(case, others=others)}
    top = layers(charts["scenarios"].spec)["highlighted_line"]
    assert SAMPLE.scenario.name in top["transform"][0]["filter"]


def test_a_target_one_scenario_misses_is_said_of_that_scenario():
    one = Scenario(name="Flat", horizon_quarters=1)
    results = project_all(CostBase((SAAS,)), HUNDRED, [one])
    # $10.00 a user throughout: a $5 target is never reached, and with one
    # scenario there are no others to say "no scenario" of.
    spec = scenario_curves_spec(curve_columns(results), target=5.0)
    assert subtitle_lines(spec)[-1] == "Target $5.00: Flat does not reach it"


def test_a_funding_table_without_a_total_row_is_titled_by_its_years():
    # A: 100 in FY2027 and no figure in FY2028; B: 50 + 70 = 120.
    table = pd.DataFrame(
        {"A": [100.0, float("nan")], "B": [50.0, 70.0]},
        index=pd.Index(["FY2027", "FY2028"], name="fiscal_year"),
    )
    spec = funding_spec(table)
    assert spec["title"]["text"] == "B asks most: $120 over FY2027 to FY2028"
    assert [row["scenario"] for row in spec["datasets"]["no_figure"]] == ["A"]
