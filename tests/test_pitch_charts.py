"""The pitch's slide charts, checked on their Vega-Lite specs."""

from __future__ import annotations

import copy
from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpsu.charts import MONEY_AXIS, PALETTE, THEME_NAME, register_theme
from cpsu.compare import Compared
from cpsu.pitch_charts import (
    CHART_NAMES,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    TARGET_COLOUR,
    apart,
    cpsu_target_chart,
    cpsu_target_spec,
    for_slides,
    slide_charts,
)
from cpsu.projection import project
from tests.test_pitch import small_case


@pytest.fixture(autouse=True)
def theme():
    register_theme()


def layer_names(spec: dict) -> list[str]:
    return [layer.get("name") for layer in spec["layer"]]


def axis_formats(spec: dict) -> list[str]:
    """Every axis format set on a layer's x or y."""
    formats = []
    for layer in spec.get("layer", [spec]):
        for channel in ("x", "y"):
            axis = layer.get("encoding", {}).get(channel, {}).get("axis") or {}
            if "format" in axis:
                formats.append(axis["format"])
    return formats


def test_the_cpsu_chart_states_the_fall_and_the_target_by_hand():
    case = small_case()
    spec = cpsu_target_chart(case.projection.columns).to_dict()
    # CPSU 7,700 / 220 = $35.00 falls to 7,700 / 295 = $26.10 (-25.4%).
    assert spec["title"]["text"] == "CPSU falls 25.4% to $26.10 by 2028-Q2"
    # The target path: 35 x 0.97^6 = 35 x 0.832972 = $29.15; the plan's
    # 26.1017 ends 29.1540 - 26.1017 = $3.05 below it.
    assert spec["title"]["subtitle"] == [
        "Monthly cost per supported user, from $35.00 in 2026-Q4",
        "Target: 3.0% lower each quarter, $29.15 by 2028-Q2",
        "The plan ends $3.05 below it",
    ]
    assert layer_names(spec) == [
        "target_path",
        "baseline_rule",
        "cpsu_line",
        "end_labels",
    ]
    target = spec["datasets"]["target"]
    assert target[1]["cpsu"] == pytest.approx(35 * 0.97)
    assert target[-1]["cpsu"] == pytest.approx(29.15401, abs=1e-4)
    assert spec["datasets"]["baseline"] == [{"cpsu": 35.0}]
    # The ends are named right of the plot, each at its own value: $26.10,
    # $29.15 and $35.00 are more than a label apart on an axis of $10 over
    # 380 px (24 px is 24 x 10 / 380 = $0.63).
    ends = spec["datasets"]["ends"]
    assert [end["label"] for end in ends] == [
        "$26.10",
        "Target $29.15",
        "Baseline $35.00",
    ]
    assert [end["label_cpsu"] for end in ends] == [end["cpsu"] for end in ends]
    labels = spec["layer"][-1]
    assert labels["encoding"]["x"] == {"value": "width"}
    assert labels["mark"]["align"] == "left" and labels["mark"]["dx"] > 0
    assert spec["layer"][0]["mark"]["color"] == TARGET_COLOUR
    # CPSU from $26.10 to $35.00: steps of $2 from $26 to $36 (steps of $1
    # would make 10 ticks), every layer on the one axis.
    for layer in spec["layer"][:-1]:
        if "y" in layer["encoding"]:
            y = layer["encoding"]["y"]
            assert y["scale"]["domain"] == [26.0, 36.0]
            assert y["axis"]["values"] == [26.0, 28.0, 30.0, 32.0, 34.0, 36.0]
    assert axis_formats(spec) == [MONEY_AXIS] * 4


def test_end_labels_that_would_touch_are_set_apart():
    # No growth and no target fall: the plan, the target and the baseline all
    # end at $35.00. The axis of one value spans 35 x 0.1 x 4 = $14 around
    # it, 28 to 42, in 7 steps of $2.50: 27.5 to 42.5, $15 over 380 px, so
    # a label (24 px) is 24 x 15 / 380 = $0.947 high.
    spec = cpsu_target_spec(
        small_case(growth_per_quarter=0.0, horizon_quarters=1).projection.columns,
        target_fall=0.0,
    )
    y = spec["layer"][0]["encoding"]["y"]
    assert y["scale"]["domain"] == [27.5, 42.5]
    heights = [end["label_cpsu"] for end in spec["datasets"]["ends"]]
    gap = 24 * 15 / 380
    # pushed up from the lowest, then back by the mean shift (0 + 1 + 2) / 3
    assert heights == pytest.approx([35 - gap, 35, 35 + gap])


@given(
    st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=6),
    st.floats(0.01, 100),
)
def test_labels_set_apart_keep_their_order_and_their_centre(values, gap):
    heights = apart(values, gap)
    order = sorted(range(len(values)), key=lambda index: values[index])
    placed = [heights[index] for index in order]
    assert all(upper - lower >= gap * (1 - 1e-9) for lower, upper in pairwise(placed))
    # on average the labels sit where their values are
    assert sum(heights) / len(heights) == pytest.approx(
        sum(values) / len(values), abs=1e-6 * (1 + max(map(abs, values)))
    )


def test_the_cached_spec_is_the_charts_spec():
    case = small_case()
    chart = cpsu_target_chart(case.projection.columns).to_dict()
    spec = cpsu_target_spec(case.projection.columns)
    assert spec["title"] == chart["title"]
    assert spec["datasets"] == chart["datasets"]
    assert spec["layer"] == chart["layer"]


def test_a_plan_that_beats_the_target_is_said_to():
    # 20% a quarter spreads the fixed tool faster than 3% a quarter
    spec = cpsu_target_spec(small_case(growth_per_quarter=0.2).projection.columns)
    assert spec["title"]["subtitle"][2].endswith("below it")
    spec = cpsu_target_spec(
        small_case(growth_per_quarter=0.0).projection.columns, target_fall=0.0
    )
    # no growth: CPSU holds at $35.00, and so does a target of no fall
    assert spec["title"]["text"] == "CPSU holds at $35.00 by 2028-Q2"
    assert spec["title"]["subtitle"][2] == "The plan meets it"


def test_slides_get_large_type_at_slide_size_and_keep_the_theme():
    spec = cpsu_target_spec(small_case().projection.columns)
    before = copy.deepcopy(spec)
    slide = for_slides(spec)
    assert spec == before  # the cached layers are left as they were
    assert (slide["width"], slide["height"]) == (SLIDE_WIDTH, SLIDE_HEIGHT)
    config = slide["config"]
    assert config["title"]["fontSize"] == 28
    assert config["axis"]["labelFontSize"] == 18
    assert config["legend"]["labelFontSize"] == 18
    # the theme's own settings stay under the slide's
    assert config["range"]["category"] == list(PALETTE)
    assert config["title"]["anchor"] == "start"
    assert config["view"]["stroke"] is None


def test_a_layers_own_font_size_grows_on_a_slide():
    spec = {
        "layer": [{"mark": {"type": "text", "fontSize": 12}}],
        "config": {},
    }
    assert for_slides(spec)["layer"][0]["mark"]["fontSize"] == 18  # 12 x 1.5
    assert spec["layer"][0]["mark"]["fontSize"] == 12


def test_the_pitch_has_five_slide_charts_whose_titles_state_findings():
    case = small_case(growth_per_quarter=0.4, horizon_quarters=3)
    charts = slide_charts(case)
    # no other scenario given: no comparison
    assert tuple(chart.name for chart in charts) == CHART_NAMES[:-1]
    titles = {chart.name: chart.title for chart in charts}
    # 220 users at $35.00; 2027-Q3: 604 users, 13,200 / 604 = $21.85
    # (21.8543 / 35 - 1 = -37.6%).
    assert titles["cpsu"] == "CPSU falls 37.6% to $21.85 by 2027-Q3"
    # 5,500 above the baseline for the three months of 2027-Q3 = $16,500
    assert titles["funding"] == "Base asks $16K over FY2027"
    assert titles["cost-by-pool"] == "Monthly run-rate goes from $7,700 to $13,200"
    assert titles["agents"] == "Agents needed go from 1 to 2"
    # Staffing: one agent's 5,500 / 220 = $25.00 a user, then two agents'
    # 11,000 / 604 = $18.21, a fall of $6.79; the tool's 2,200 / 220 = $10.00
    # against 2,200 / 604 = $3.64 is the smaller fall, $6.36.
    assert titles["bridge"] == "Staffing cut CPSU most: -$6.79"
    for chart in charts:
        assert chart.spec["width"] == SLIDE_WIDTH
        assert chart.spec["config"]["title"]["fontSize"] == 28
        assert chart.spec["title"]["text"] == chart.title
    money_charts = {"cpsu", "funding", "cost-by-pool", "bridge"}
    for chart in charts:
        formats = axis_formats(chart.spec)
        assert (MONEY_AXIS in formats) == (chart.name in money_charts), chart.name


def test_the_registered_theme_is_the_only_one_the_pitch_uses():
    import altair as alt

    assert alt.theme.active == THEME_NAME
    chart = slide_charts(small_case())[0]
    assert chart.spec["config"]["range"]["category"] == list(PALETTE)


def test_other_scenarios_add_a_comparison_of_their_cpsu():
    case = small_case(growth_per_quarter=0.4, horizon_quarters=3)
    flat = replace(case.scenario, name="Flat", growth_per_quarter=0.0)
    workspace = case.workspace
    others = [
        Compared(flat, project(workspace.cost_base, workspace.headcount, flat)),
        # the case itself under its own name, and one that failed: left out
        Compared(case.scenario, case.projection),
        Compared(replace(flat, name="Broken"), None, "cannot be projected"),
    ]
    charts = slide_charts(case, others=others)
    assert tuple(chart.name for chart in charts) == CHART_NAMES
    compared = charts[-1]
    # Flat holds 220 users at $35.00; Base ends at $21.85 (13,200 / 604):
    # 35 / 21.8543 - 1 = 60.2% above.
    assert compared.title == "Flat ends 60.2% above Base by 2027-Q3"
    assert compared.spec["title"]["subtitle"] == [
        "CPSU a month in 2027-Q3: Base $21.85, Flat $35.00"
    ]
    assert {row["scenario"] for row in compared.spec["datasets"]["curves"]} == {
        "Base",
        "Flat",
    }
    assert MONEY_AXIS in axis_formats(compared.spec)
    assert compared.spec["config"]["title"]["fontSize"] == 28


def test_seven_scenarios_on_the_page_keep_the_slide_s_plot_and_name_twins():
    from cpsu.charts import page_spec
    from tests.chart_render import drawn_on_page

    case = small_case(growth_per_quarter=0.4, horizon_quarters=3)
    workspace = case.workspace
    scenarios = [
        replace(case.scenario, name=f"Growth {growth:.0%}", growth_per_quarter=growth)
        for growth in (0.0, 0.1, 0.2, 0.3, 0.5)
    ]
    # A copy of the case under another name draws the case's very curve.
    scenarios.append(replace(case.scenario, name="Copy of Base"))
    others = [
        Compared(one, project(workspace.cost_base, workspace.headcount, one))
        for one in scenarios
    ]
    compared = slide_charts(case, others=others)[-1]
    assert len({row["scenario"] for row in compared.spec["datasets"]["curves"]}) == 7
    assert (
        "Base and Copy of Base have the same curve, drawn as one line"
        in compared.spec["title"]["subtitle"]
    )
    # On the page, in a column of 940 pixels, the plot keeps the slide's
    # height; the seven scenarios' legend and the titles add to it.
    drawn = drawn_on_page(page_spec(compared.spec), 940)
    assert drawn.plot_height == SLIDE_HEIGHT
    assert "Copy of Base" in {text.text for text in drawn.texts}
