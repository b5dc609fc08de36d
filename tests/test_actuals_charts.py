"""The Actuals page's charts, on their Vega-Lite specs: titles that state the
finding, benchmark bands labelled with their source, and the layers each
chart needs. Every chart also renders (vl-convert) without error."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pandas as pd
import pytest
import vl_convert
from hypothesis import given
from hypothesis import strategies as st

from cpsu.actuals import (
    ActualQuarter,
    Actuals,
    fit_experience_curve,
    history,
    plan_against_actual,
    quality_warnings,
)
from cpsu.actuals_charts import (
    ALL_LABELS,
    FELL,
    FIRST,
    HEIGHT,
    MOST_LABELS,
    NOT_FELL,
    cpsu_history_chart,
    experience_curve_chart,
    history_title,
    indexed_chart,
    label_spot,
    plan_actual_chart,
    quality_chart,
    quarter_labels,
    sourcing_chart,
)
from cpsu.charts import register_theme
from cpsu.projection import project
from cpsu.sourcing import Contract, InHouseDesk, Pricing, break_even
from sample_data.build import sample_actuals, sample_workspace


@pytest.fixture(autouse=True)
def theme() -> None:
    register_theme()


def sample_table() -> pd.DataFrame:
    return history(sample_actuals())


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("layer", [spec])


def layer_data(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["datasets"][layer["data"]["name"]]


def mark(layer: dict[str, Any]) -> str:
    found = layer["mark"]
    return found if isinstance(found, str) else found["type"]


def texts(spec: dict[str, Any]) -> list[str]:
    """Every label a text layer draws."""
    return [
        str(row["label"])
        for layer in layers(spec)
        if mark(layer) == "text"
        for row in layer_data(spec, layer)
    ]


def renders(chart) -> None:
    assert vl_convert.vegalite_to_svg(chart.to_dict()).startswith("<svg")


def test_the_history_chart_states_the_streak_and_shows_the_managed_it_band() -> None:
    table = sample_table()
    curve = fit_experience_curve(table["supported_users"], table["cpsu"])
    chart = cpsu_history_chart(table, curve)
    spec = chart.to_dict()
    assert (
        spec["title"]["text"] == "CPSU fell 16 quarters in a row, to $155.04 in 2026-Q4"
    )
    rects = [layer for layer in layers(spec) if mark(layer) == "rect"]
    (band,) = rects
    assert layer_data(spec, band) == [
        {
            "low": 100.0,
            "high": 250.0,
            "label": "Full managed IT: $100 to $250 a user a month "
            "(managed-service price surveys)",
        }
    ]
    assert texts(spec)[0] == layer_data(spec, band)[0]["label"]
    # The fit: a band (area) and a dashed line, said in the subtitle.
    assert [mark(layer) for layer in layers(spec)].count("area") == 1
    assert any("experience curve" in line for line in spec["title"]["subtitle"])
    assert "CPSU by quarter" in spec["description"]
    renders(chart)


def test_history_titles_for_a_broken_streak_and_a_single_quarter() -> None:
    # 200, 180, 190 (a rise), 185: the latest run is 1, the longest 1 (to 2026-Q2).
    table = history(
        Actuals(
            tuple(
                ActualQuarter(q, 100, 0, c * 100)
                for q, c in zip(
                    ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"],
                    [200, 180, 190, 185],
                    strict=True,
                )
            )
        )
    )
    title = history_title(table)
    # 185 / 200 - 1 = -7.5%.
    assert title["text"] == "CPSU fell 7.5% from 2026-Q1 to 2026-Q4, to $185.00"
    one = history(Actuals((ActualQuarter("2026-Q1", 100, 0, 15_000.0),)))
    assert history_title(one)["text"] == "CPSU was $150.00 in 2026-Q1"
    renders(cpsu_history_chart(one))


def test_the_indexed_chart_states_both_growths() -> None:
    table = sample_table()
    spec = indexed_chart(table).to_dict()
    users = table["supported_users"].iat[-1] / table["supported_users"].iat[0] - 1
    cost = table["monthly_opex"].iat[-1] / table["monthly_opex"].iat[0] - 1
    # 1,350 / 410 - 1 = 229.3%; 209,301.49 / 83,676.47 - 1 = 150.1%.
    assert spec["title"]["text"] == (
        f"Users grew {users:.1%} while cost grew {cost:.1%}"
    )
    assert spec["title"]["text"] == "Users grew 229.3% while cost grew 150.1%"
    renders(indexed_chart(table))


def test_the_quality_chart_has_the_typical_range_the_target_and_the_warning() -> None:
    table = sample_table()
    warnings = quality_warnings(table)
    chart = quality_chart(table, warnings)
    spec = chart.to_dict()
    assert spec["title"]["text"] == (
        "Quality beside cost: resolution 70.5% to 75.0%, satisfaction 91.2% to 94.7%"
    )
    (band,) = [layer for layer in layers(spec) if mark(layer) == "rect"]
    assert layer_data(spec, band)[0]["low"] == 0.66
    assert layer_data(spec, band)[0]["high"] == 0.71
    assert any("(HDI practices report; MetricNet)" in t for t in texts(spec))
    (rule,) = [layer for layer in layers(spec) if mark(layer) == "rule"]
    assert layer_data(spec, rule)[0]["rate"] == 0.70
    (ring,) = [
        layer
        for layer in layers(spec)
        if mark(layer) == "point" and layer["mark"].get("size") == 320
    ]
    assert [row["quarter"] for row in layer_data(spec, ring)] == ["2024-Q4"]
    assert spec["title"]["subtitle"] == (
        "Rings mark a quarter where CPSU fell while quality fell by a point or more"
    )
    renders(chart)


def test_the_experience_curve_chart_states_the_fall_per_doubling_and_the_verdict() -> (
    None
):
    table = sample_table()
    curve = fit_experience_curve(table["supported_users"], table["cpsu"])
    workspace = sample_workspace()
    plan = project(workspace.cost_base, workspace.headcount, workspace.scenario).table
    chart = experience_curve_chart(table, curve, plan, None, "Base")
    spec = chart.to_dict()
    assert spec["title"]["text"] == (
        f"Each doubling of users took {curve.per_doubling:.1%} off CPSU"
    )
    assert texts(spec) == ["History", "Base"]
    x = layers(spec)[0]["encoding"]["x"]["scale"]
    assert x["type"] == "log"
    renders(chart)
    # A history whose CPSU rose with users says so.
    rising = history(
        Actuals(
            tuple(
                ActualQuarter(f"2026-Q{q}", users, 0, users * cpsu)
                for q, users, cpsu in [(1, 100, 100), (2, 200, 110), (3, 400, 121)]
            )
        )
    )
    up = fit_experience_curve(rising["supported_users"], rising["cpsu"])
    spec = experience_curve_chart(rising, up).to_dict()
    assert spec["title"]["text"] == "Each doubling of users added 10.0% to CPSU"


def test_the_plan_chart_states_the_latest_variance() -> None:
    workspace = sample_workspace()
    projection = project(workspace.cost_base, workspace.headcount, workspace.scenario)
    cpsu = projection.column("cpsu")
    actuals = Actuals(
        (
            ActualQuarter("2026-Q4", 1200, 150, 209_301.49),
            ActualQuarter("2027-Q1", 1300, 160, float(cpsu[1]) * 1460 + 1460 * 2.5),
        )
    )
    table = plan_against_actual(projection, actuals)
    spec = plan_actual_chart(table, "Base").to_dict()
    # $2.50 a user above plan in 2027-Q1.
    assert spec["title"]["text"].startswith("CPSU is $2.50 above Base in 2027-Q1 (+")
    renders(plan_actual_chart(table, "Base"))


def test_the_sourcing_chart_marks_today_and_the_break_even() -> None:
    desk = InHouseDesk(1.0, 500, 6000)
    contract = Contract(Pricing.PER_USER, 15.0)
    found = break_even(desk, contract)
    chart = sourcing_chart(desk, contract, found, 1000)
    spec = chart.to_dict()
    assert spec["title"]["text"] == "From 1,600 users an in-house desk costs no more"
    assert texts(spec) == ["Today: 1,000", "Break-even: 1,600"]
    renders(chart)
    never = Contract(Pricing.PER_USER, 11.0)
    spec = sourcing_chart(desk, never, break_even(desk, never), 1000).to_dict()
    assert spec["title"]["text"] == (
        "The in-house desk never becomes cheaper than the contract"
    )
    assert texts(spec) == ["Today: 1,000"]


def _history_of(cpsu: list[float], first: str = "2026-Q1") -> pd.DataFrame:
    """A history of 100 users a quarter at the given CPSUs, from `first`."""
    start = pd.Period(first, freq="Q")
    return history(
        Actuals(
            tuple(
                ActualQuarter(
                    f"{(start + i).year}-Q{(start + i).quarter}", 100, 0, c * 100
                )
                for i, c in enumerate(cpsu)
            )
        )
    )


def _axis_values(spec: dict[str, Any]) -> list[str] | None:
    for layer in layers(spec):
        axis = layer.get("encoding", {}).get("x", {}).get("axis", {})
        if "values" in axis:
            return axis["values"]
    return None


@given(st.integers(min_value=1, max_value=400))
def test_a_time_axis_labels_few_enough_quarters_to_fit(count: int) -> None:
    quarters = [
        f"{(q := pd.Period('1977-Q1', freq='Q') + i).year}-Q{q.quarter}"
        for i in range(count)
    ]
    shown = quarter_labels(quarters)
    assert len(shown) <= max(ALL_LABELS, MOST_LABELS)
    assert set(shown) <= set(quarters)
    if count <= ALL_LABELS:
        assert shown == quarters
    else:
        # Years only, evenly spaced: the first quarter of every n-th year.
        assert all(q.endswith("-Q1") for q in shown)
        years = [int(q[:4]) for q in shown]
        assert len({b - a for a, b in pairwise(years)}) <= 1


def test_two_hundred_quarters_show_a_label_every_few_years() -> None:
    # 1977-Q1 to 2026-Q4 is 200 quarters, 50 years: 50 Q1s, at most 16 shown,
    # so one every ceil(50 / 16) = 4 years, 13 labels.
    table = _history_of([200 - 0.5 * i for i in range(200)], "1977-Q1")
    spec = cpsu_history_chart(table).to_dict()
    values = _axis_values(spec)
    assert values is not None
    assert values[:3] == ["1977-Q1", "1981-Q1", "1985-Q1"]
    assert len(values) == 13
    renders(cpsu_history_chart(table))


def _reduction_domain(spec: dict[str, Any]) -> list[str]:
    for layer in layers(spec):
        colour = layer.get("encoding", {}).get("color", {})
        if colour.get("field") == "reduction":
            return colour["scale"]["domain"]
    raise AssertionError("no reduction legend")


def test_the_history_legend_lists_only_the_kinds_of_quarter_drawn() -> None:
    falling = cpsu_history_chart(_history_of([200, 190, 180])).to_dict()
    assert _reduction_domain(falling) == [FIRST, FELL]
    rising = cpsu_history_chart(_history_of([180, 190, 200])).to_dict()
    assert _reduction_domain(rising) == [FIRST, NOT_FELL]
    one = cpsu_history_chart(_history_of([150])).to_dict()
    assert _reduction_domain(one) == [FIRST]


def test_the_managed_it_label_stands_where_no_line_is() -> None:
    # The axis runs to 250 * 1.05 = $262.50 over 300 pixels, so the label's 20
    # pixels are 20 * 262.5 / 300 = $17.50: inside the band's top it spans
    # $232.50 to $250. CPSU at $245 every quarter runs through it; the band's
    # bottom ($100 to $117.50) is clear.
    top = 250 * 1.05
    assert label_spot([[245.0] * 8], 100, 250, top) == ("low", "bottom")
    # A line that crosses from $90 to $260 crosses every spot by the band.
    assert label_spot([[90.0, 260.0]], 100, 250, top) is None
    assert HEIGHT == 300

    spec = cpsu_history_chart(_history_of([245.0] * 8)).to_dict()
    (text,) = [layer for layer in layers(spec) if mark(layer) == "text"]
    assert text["encoding"]["y"]["field"] == "low"
    assert text["mark"]["baseline"] == "bottom"
    # No spot free: the label moves above the plot, into the subtitle.
    spec = cpsu_history_chart(_history_of([90.0, 260.0, 90.0])).to_dict()
    assert not [layer for layer in layers(spec) if mark(layer) == "text"]
    assert any(
        line.startswith("Grey band: Full managed IT: $100 to $250")
        for line in spec["title"]["subtitle"]
    )


def test_quality_without_a_resolution_rate_has_no_resolution_band_or_legend() -> None:
    table = history(
        Actuals(
            (
                ActualQuarter("2026-Q1", 100, 0, 10_000.0, satisfaction=0.92),
                ActualQuarter("2026-Q2", 110, 0, 10_500.0, satisfaction=0.93),
            )
        )
    )
    chart = quality_chart(table)
    spec = chart.to_dict()
    # No warning given: no ring drawn, and the subtitle speaks of none.
    assert spec["title"]["subtitle"] == (
        "No quarter in which CPSU fell while quality fell by a point or more"
    )
    assert not [layer for layer in layers(spec) if mark(layer) in ("rect", "rule")]
    assert not any("Tier 1 resolution" in t for t in texts(spec))
    (line,) = [layer for layer in layers(spec) if mark(layer) == "line"]
    assert line["encoding"]["color"]["scale"]["domain"] == ["Satisfied users"]
    renders(chart)


def test_the_indexed_subtitle_speaks_of_a_saving_only_when_there_is_one() -> None:
    # 100 users throughout; cost $10,000 then $12,000: cost grew faster.
    table = history(
        Actuals(
            (
                ActualQuarter("2026-Q1", 100, 0, 10_000.0),
                ActualQuarter("2026-Q2", 100, 0, 12_000.0),
            )
        )
    )
    subtitle = indexed_chart(table).to_dict()["title"]["subtitle"]
    assert "saving" not in subtitle
    assert "cost grew faster than users" in subtitle
    sample = indexed_chart(sample_table()).to_dict()["title"]["subtitle"]
    assert sample.endswith("the gap is the saving per user")


def test_the_sourcing_chart_asks_for_few_user_ticks() -> None:
    desk = InHouseDesk(1.0, 500, 6000)
    contract = Contract(Pricing.PER_USER, 15.0)
    spec = sourcing_chart(desk, contract, break_even(desk, contract), 1000).to_dict()
    axes = [
        layer["encoding"]["x"]["axis"]
        for layer in layers(spec)
        if layer.get("encoding", {}).get("x", {}).get("field") == "users"
        and "axis" in layer["encoding"]["x"]
    ]
    assert axes
    assert all(axis["tickCount"] <= 5 for axis in axes)
