"""The Compare page as a user meets it (AppTest): the company's scenarios side
by side, the funding ask by fiscal year, and the analyses of the first.
Every test saves to its own CPSU_DATA_DIR (see conftest.py)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cpsu.compare import funding_by_fiscal_year
from cpsu.compare_charts import guardrail_records, hire_records
from cpsu.formatting import money
from cpsu.ingest import read_upload
from cpsu.ingest.checks import checked_workspace
from cpsu.projection import project
from cpsu.saved import starting_scenarios
from cpsu.sensitivity import (
    CpsuTarget,
    assumption_lever,
    guardrails,
    hire_triggers,
    solve,
)
from cpsu.ui import state
from cpsu.ui.sliders import widget_key
from tests.test_pages import metric, new_app, scenarios_page

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "sample_company.xlsx"
COMPARE = "app_pages/compare.py"


@pytest.fixture(scope="module")
def sample():
    upload = read_upload(SAMPLE.read_bytes(), SAMPLE.name)
    return checked_workspace(None, upload, SAMPLE.name)[0]


def compare_page(at: AppTest) -> AppTest:
    return at.switch_page(COMPARE).run()


def differences(at: AppTest):
    table = at.dataframe[0].value
    return {(row.scenario, row.quarter): row for row in table.itertuples()}


def open_tab(at: AppTest, name: str) -> AppTest:
    at.session_state["compare.tabs"] = name
    return at.run()


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_the_starting_three_are_compared_at_a_year_and_the_horizon(sample):
    at = compare_page(new_app())
    assert not at.exception
    assert at.multiselect(key="compare.scenarios").value == [
        "Base",
        "Conservative",
        "Aggressive",
    ]
    rows = differences(at)
    # Each scenario's CPSU is its own projection's, quarter 4 (2027-Q4) and
    # quarter 8 (2028-Q4); the difference is measured against Base.
    for saved in starting_scenarios(sample.scenario):
        table = project(sample.cost_base, sample.headcount, saved.scenario).table
        for t, label in ((4, "2027-Q4"), (8, "2028-Q4")):
            row = rows[(saved.name, label)]
            # Sent rounded to the cent, as shown.
            assert row.cpsu == round(table["cpsu"].iloc[t], 2)
    base = rows[("Base", "2028-Q4")].cpsu
    aggressive = rows[("Aggressive", "2028-Q4")]
    # Rounded from the exact difference: within a cent of the rounded CPSUs'.
    assert aggressive.cpsu_vs_first == pytest.approx(aggressive.cpsu - base, abs=0.011)


def test_a_slider_in_the_sidebar_moves_the_chosen_scenario(sample):
    at = compare_page(new_app())
    before = differences(at)[("Base", "2028-Q4")].cpsu
    at.slider(key=widget_key(state.GROWTH, "compare")).set_value(0.15).run()
    assert not at.exception
    after = differences(at)[("Base", "2028-Q4")].cpsu
    grown = replace(sample.scenario, growth_per_quarter=0.15)
    expected = project(sample.cost_base, sample.headcount, grown).table["cpsu"]
    assert after == round(expected.iloc[8], 2)
    assert after < before  # more users spread the fixed costs thinner
    # The other scenarios did not move.
    conservative = starting_scenarios(sample.scenario)[1].scenario
    assert differences(at)[("Conservative", "2028-Q4")].cpsu == round(
        project(sample.cost_base, sample.headcount, conservative).table["cpsu"].iloc[8],
        2,
    )


def test_the_funding_ask_by_fiscal_year_follows_the_chosen_start(sample):
    at = compare_page(new_app())
    at.selectbox(key="compare.fiscal_start").set_value(7).run()
    assert not at.exception
    table = at.dataframe[1].value.set_index("fiscal_year")
    base = project(sample.cost_base, sample.headcount, sample.scenario)
    expected = funding_by_fiscal_year(base, 7).set_index("fiscal_year")
    # 2027-Q1..2028-Q4 in July years: FY2027 (Jan-Jun 2027), FY2028, FY2029.
    assert list(table.index) == ["FY2027", "FY2028", "FY2029", "Total"]
    for year in ("FY2027", "FY2028", "FY2029"):
        assert table.loc[year, "Base"] == pytest.approx(
            expected.loc[year, "funding_ask"]
        )
    assert table.loc["Total", "Base"] == pytest.approx(base.funding_ask)


def test_choices_hold_across_a_page_switch(sample):
    at = compare_page(new_app())
    at.multiselect(key="compare.scenarios").set_value(["Aggressive", "Base"]).run()
    at.multiselect(key="compare.at").set_value([2, 8]).run()
    at.selectbox(key="compare.fiscal_start").set_value(4).run()
    at = compare_page(scenarios_page(at))
    assert at.multiselect(key="compare.scenarios").value == ["Aggressive", "Base"]
    assert at.multiselect(key="compare.at").value == [2, 8]
    assert at.selectbox(key="compare.fiscal_start").value == 4
    rows = differences(at)
    # Measured against Aggressive now.
    assert rows[("Aggressive", "2027-Q2")].cpsu_vs_first == 0
    assert set(rows) == {
        (name, label)
        for name in ("Aggressive", "Base")
        for label in ("2027-Q2", "2028-Q4")
    }


@pytest.mark.parametrize("tab", ["Sensitivity", "Why CPSU moves"])
def test_each_analysis_tab_draws_for_the_first_scenario(tab):
    at = open_tab(compare_page(new_app()), tab)
    assert not at.exception
    assert not at.error
    assert len(at.dataframe) >= 1


def test_the_solver_answers_as_the_model_does(sample):
    at = open_tab(compare_page(new_app()), "What must be true")
    at.selectbox(key="compare.solve.lever").set_value("Deflection at the start").run()
    at.number_input(key="compare.solve.target").set_value(130.0).run()
    at.button(key="compare.solve.run").click().run()
    assert not at.exception
    expected = solve(
        sample.cost_base,
        sample.headcount,
        sample.scenario,
        assumption_lever("deflection", 0.08, 0.15),
        CpsuTarget(8, 130.0),
    )
    assert unescaped(at.success[0].value) == expected.message
    assert "needs Deflection of at least 13.06%" in expected.message


def test_no_scenario_picked_says_what_to_do():
    at = compare_page(new_app())
    at.multiselect(key="compare.scenarios").set_value([]).run()
    assert not at.exception
    assert "Pick at least one scenario" in at.info[-1].value


def test_a_slider_moved_on_compare_is_the_scenarios_page_slider(sample):
    at = compare_page(new_app())
    at.slider(key=widget_key(state.DEFLECTION, "compare")).set_value(0.3).run()
    at = scenarios_page(at)
    assert at.slider(key=state.DEFLECTION).value == 0.3
    desk = replace(sample.scenario.service_desk, deflection=0.3)
    moved = replace(sample.scenario, service_desk=desk)
    expected = project(sample.cost_base, sample.headcount, moved).table["cpsu"]
    assert metric(at, "CPSU 2028-Q4") == money(expected.iloc[8])
    # And back on Compare, the slider shows it too.
    at = compare_page(at)
    assert at.slider(key=widget_key(state.DEFLECTION, "compare")).value == 0.3


@pytest.mark.parametrize("resolution", [None, 0.6])
def test_the_first_scenario_s_hires_and_guardrails_are_drawn_and_listed(
    sample, resolution
):
    at = compare_page(new_app())
    base = starting_scenarios(sample.scenario)[0].scenario
    if resolution is not None:
        # Below the 70% target every quarter is flagged, not only those over
        # capacity.
        key = widget_key(state.RESOLUTION_RATE, "compare")
        at.slider(key=key).set_value(resolution).run()
        desk = replace(base.service_desk, resolution_rate=resolution)
        base = replace(base, service_desk=desk)
    assert not at.exception
    triggers = {"Base": hire_triggers(sample.cost_base, sample.headcount, base)}
    marks = guardrails(sample.cost_base, sample.headcount, base)
    # The curves' rules, labels and rings are those of Base's tables.
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    drawn = {
        layer["name"]: layer.get("data", {}).get("values") for layer in spec["layer"]
    }
    hires = json.loads(json.dumps(hire_records(triggers)))
    assert hires and drawn["hire_rules"] == hires
    assert drawn["hire_labels_0"] == [hire for hire in hires if hire["row"] == 0]
    rings = guardrail_records({"Base": marks})
    assert rings and drawn["guardrail_rings"] == [
        {**ring, "mark": "Guardrail warning"} for ring in rings
    ]
    # The table below lists the flagged quarters, with why.
    flagged = (
        marks["over_capacity"]
        | marks["resolution_below_target"]
        | marks["flat_staff_fall"]
    )
    assert flagged.sum() == (len(marks) if resolution else 5)
    assert "Guardrails of Base" in [h.value for h in at.header]
    table = at.dataframe[-1].value
    assert list(table.columns) == [
        "Quarter",
        "Over 85% utilisation",
        "Resolution below target",
        "CPSU fell only as staff stayed flat",
    ]
    shown = ["quarter", "tiers_over", "resolution_below_target", "flat_staff_fall"]
    assert table.to_numpy().tolist() == marks.loc[flagged, shown].to_numpy().tolist()


def test_the_curves_keep_their_plot_over_twenty_quarters_with_many_hires():
    from tests.chart_render import drawn_on_page

    at = compare_page(new_app())
    at.slider(key=widget_key(state.HORIZON, "compare")).set_value(20).run()
    assert not at.exception
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    # Base now runs to 2031-Q4, the others to 2028-Q4.
    assert spec["layer"][0]["encoding"]["x"]["sort"][-1] == "2031-Q4"
    labels = next(layer for layer in spec["layer"] if layer["name"] == "hire_labels_0")
    assert len(labels["data"]["values"]) >= 5
    # Drawn in a column of 940 pixels, the plot keeps 300 pixels of height
    # whatever the titles, the band of upright hire labels and the legend take.
    drawn = drawn_on_page(spec, 940)
    assert drawn.plot_height == 300
    # Twenty-one quarters are labelled every other one: 2026-Q4, 2027-Q2...
    quarters = [
        text.text for text in drawn.texts if re.fullmatch(r"\d{4}-Q\d", text.text)
    ]
    assert quarters[:3] == ["2026-Q4", "2027-Q2", "2027-Q4"]


def test_quarters_past_the_first_s_horizon_are_named_and_blank_cells_stay_blank():
    at = compare_page(new_app())
    # Base runs 20 quarters, measured against Conservative's 8: quarters 10 and
    # 20 are Base's alone. 2026-Q4 + 10 quarters = 2029-Q2; + 20 = 2031-Q4.
    at.slider(key=widget_key(state.HORIZON, "compare")).set_value(20).run()
    at.multiselect(key="compare.scenarios").set_value(["Conservative", "Base"]).run()
    chips = at.multiselect(key="compare.at")
    assert chips.format_func(10) == "2029-Q2 (quarter 10)"
    assert chips.format_func(20) == "2031-Q4 (quarter 20)"
    assert "2028-Q4 (quarter 8)" in chips.options
    chips.set_value([4, 10, 20]).run()
    assert not at.exception
    # Conservative has no CPSU in 2029-Q2 to set Base's against, nor a
    # funding ask in FY2030: the cells are sent empty and drawn blank, not
    # as "None".
    rows = differences(at)
    assert math.isnan(rows[("Base", "2029-Q2")].cpsu_vs_first)
    funding = at.dataframe[1].value
    assert funding.isna().any().any()
    for frame in at.dataframe:
        assert frame.proto.HasField("placeholder")
        assert frame.proto.placeholder == ""
