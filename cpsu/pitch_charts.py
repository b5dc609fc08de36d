"""Charts made for slides: the Pitch page's, the deck's and the images'.

A slide is seen from the back of a room, so these are the product's charts
(cpsu/charts.py, cpsu/compare_charts.py) in the one registered theme with a
presentation layer over it: a fixed size that fills a 16:9 slide, type half
as large again, and labels that give way rather than overlap. Each chart's
title states its finding in the projection's numbers. The CPSU chart adds a
target path: CPSU falling by a steady share each quarter (3% by default,
the pace of the reference story of 16 quarters in a row), so a room sees at
once whether the plan keeps up with it. When the company has other
scenarios, a last chart sets the case's CPSU against theirs.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np

from cpsu.charts import (
    MONEY_TOOLTIP,
    PALETTE,
    MoneyAxis,
    agents_spec,
    cached_spec,
    cost_by_pool_spec,
    cpsu_title_of,
    money_axis,
    quarter_axis,
    register_theme,
    rows_of,
    staffed_tiers,
    values_of,
)
from cpsu.compare import Compared, curve_columns, funding_table
from cpsu.compare_charts import bridge_spec, funding_spec, scenario_curves_spec
from cpsu.formatting import money, percent
from cpsu.pitch import PitchCase
from cpsu.projection import Model
from cpsu.sensitivity import cpsu_bridge

# Pixels of the plotting area: with its titles and legend a chart comes to
# about 1,000 x 560, which fills a 16:9 slide below its heading.
SLIDE_WIDTH = 900
SLIDE_HEIGHT = 380
# Type on a slide, against the theme's 12-18 px for a page.
SLIDE_FONT_SCALE = 1.5
TARGET_FALL_PER_QUARTER = 0.03
TARGET_COLOUR = PALETTE[1]
# The charts of the pitch by name (their files' stem), in the deck's order;
# the last, the scenarios compared, only when there are others to compare.
CHART_NAMES = ("cpsu", "funding", "cost-by-pool", "agents", "bridge", "scenarios")
BASELINE_COLOUR = "#555555"


@dataclass(frozen=True)
class SlideChart:
    """One chart of the pitch: a short name (its files' stem), the finding its
    title states, and its Vega-Lite spec at slide size."""

    name: str
    title: str
    spec: dict[str, Any]


def slide_config() -> dict[str, Any]:
    """What a slide changes of the theme's config: larger type, lighter labels."""
    return {
        "title": {"fontSize": 28, "subtitleFontSize": 19, "offset": 16},
        "axis": {
            "labelFontSize": 18,
            "titleFontSize": 19,
            "labelOverlap": "greedy",
            "labelPadding": 6,
        },
        "legend": {
            "labelFontSize": 18,
            "titleFontSize": 19,
            "symbolSize": 200,
            "labelLimit": 400,
        },
        "text": {"fontSize": 18},
        "line": {"strokeWidth": 4},
        "point": {"size": 110, "filled": True},
    }


def _merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _larger_marks(view: dict[str, Any]) -> None:
    """Scale the font size a layer's text mark sets itself (the config's
    cannot reach it), in place, in a copy the caller owns."""
    mark = view.get("mark")
    if isinstance(mark, dict) and "fontSize" in mark:
        mark["fontSize"] = round(mark["fontSize"] * SLIDE_FONT_SCALE)
    for layer in view.get("layer", ()):
        _larger_marks(layer)
    encoding = view.get("encoding", {})
    for channel in encoding.values():
        axis = channel.get("axis") if isinstance(channel, dict) else None
        if isinstance(axis, dict) and "labelFontSize" in axis:
            axis["labelFontSize"] = round(axis["labelFontSize"] * SLIDE_FONT_SCALE)
        if isinstance(axis, dict) and "labelLimit" in axis:
            axis["labelLimit"] = round(axis["labelLimit"] * SLIDE_FONT_SCALE)


def for_slides(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A chart's spec at slide size and type, in the same registered theme.

    The theme's config stays; the slide's is laid over it. `spec` is not
    changed (its layers may be shared by cached specs).
    """
    slide = dict(spec)
    slide["config"] = _merged(spec.get("config", {}), slide_config())
    slide["width"] = SLIDE_WIDTH
    slide["height"] = SLIDE_HEIGHT
    for part in ("layer", "mark", "encoding"):
        if part in slide:
            slide[part] = copy.deepcopy(slide[part])
    _larger_marks(slide)
    return slide


# --- CPSU against a target path ------------------------------------------------


# The end labels sit right of the plot, each at its value, at least this
# many pixels apart (a line of the slide's 18 px type, and a little air).
END_LABEL_GAP = 24


def _target_layers(key: tuple[tuple[str, ...], MoneyAxis]) -> alt.LayerChart:
    quarters, y_axis = key
    x = quarter_axis(list(quarters))

    def y(field: str) -> alt.Y:
        return alt.Y(
            f"{field}:Q", title="CPSU a month", axis=y_axis.axis(), scale=y_axis.scale()
        )

    tooltip = [
        alt.Tooltip("quarter:O", title="Quarter"),
        alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
    ]
    cpsu_line = (
        alt.Chart(alt.NamedData("cpsu"), name="cpsu_line")
        .mark_line(point=True, color=PALETTE[0])
        .encode(x=x, y=y("cpsu"), tooltip=tooltip)
    )
    target_path = (
        alt.Chart(alt.NamedData("target"), name="target_path")
        .mark_line(strokeDash=[10, 6], color=TARGET_COLOUR, strokeWidth=3)
        .encode(x=x, y=y("cpsu"), tooltip=tooltip)
    )
    baseline_rule = (
        alt.Chart(alt.NamedData("baseline"), name="baseline_rule")
        .mark_rule(strokeDash=[4, 4], color=BASELINE_COLOUR)
        .encode(y=y("cpsu"))
    )
    # The plan's end, the target's and the baseline, named right of the plot
    # where no line runs, each at its own height but never on another.
    end_labels = (
        alt.Chart(alt.NamedData("ends"), name="end_labels")
        .mark_text(align="left", baseline="middle", dx=12, fontWeight=600)
        .encode(
            x=alt.value("width"),
            y=y("label_cpsu"),
            text="label:N",
            color=alt.Color("colour:N", scale=None),
        )
    )
    return alt.layer(target_path, baseline_rule, cpsu_line, end_labels).properties(
        description=(
            "Line chart of CPSU by quarter, with the baseline CPSU and a target "
            "path of a steady fall each quarter."
        ),
    )


def apart(values: Sequence[float], gap: float) -> list[float]:
    """Heights for labels of `values` at least `gap` apart, each as near its
    value as that allows: the labels in order of value, pushed up from the
    lowest where they would touch, then the whole set moved back by its mean
    shift, so that a pair that touched parts evenly."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    placed: dict[int, float] = {}
    previous = -math.inf
    for index in order:
        placed[index] = max(values[index], previous + gap)
        previous = placed[index]
    shift = sum(placed[index] - values[index] for index in order) / max(len(order), 1)
    return [placed[index] - shift for index in range(len(values))]


def cpsu_target_parts(
    columns: Mapping[str, Any], target_fall: float = TARGET_FALL_PER_QUARTER
) -> tuple[
    tuple[tuple[str, ...], MoneyAxis], dict[str, Any], dict[str, list[dict[str, Any]]]
]:
    """The CPSU chart's key (its quarters and axis), title and data: CPSU by
    quarter, the baseline, the target path `cpsu_0 * (1 - target_fall) ** t`
    and the labels of their ends."""
    quarters = tuple(columns["quarter"])
    cpsu = np.asarray(columns["cpsu"], dtype=float)
    target = cpsu[0] * (1.0 - target_fall) ** np.arange(len(quarters))
    title = cpsu_title_of(cpsu, quarters)
    gap = cpsu[-1] - target[-1]
    if abs(gap) < 0.005:
        versus = "meets it"
    else:
        versus = f"ends {money(abs(gap))} {'above' if gap > 0 else 'below'} it"
    # Short lines: a subtitle longer than the plot is cut short on a page.
    title["subtitle"] = [
        title["subtitle"],
        f"Target: {percent(target_fall)} lower each quarter, "
        f"{money(target[-1])} by {quarters[-1]}",
        f"The plan {versus}",
    ]
    y_axis = money_axis(np.concatenate([cpsu, target]))
    ends = [
        (values_of(cpsu)[-1], money(cpsu[-1]), PALETTE[0]),
        (values_of(target)[-1], f"Target {money(target[-1])}", TARGET_COLOUR),
        (values_of(cpsu)[0], f"Baseline {money(cpsu[0])}", BASELINE_COLOUR),
    ]
    # A label's height in dollars: the axis spans SLIDE_HEIGHT pixels.
    gap_dollars = END_LABEL_GAP * (y_axis.high - y_axis.low) / SLIDE_HEIGHT
    heights = apart([value for value, _, _ in ends], gap_dollars)
    data = {
        "cpsu": rows_of({"quarter": list(quarters), "cpsu": values_of(cpsu)}),
        "target": rows_of({"quarter": list(quarters), "cpsu": values_of(target)}),
        "baseline": [{"cpsu": values_of(cpsu)[0]}],
        "ends": [
            {"label_cpsu": height, "cpsu": value, "label": label, "colour": colour}
            for (value, label, colour), height in zip(
                ends, values_of(heights), strict=True
            )
        ],
    }
    return (quarters, y_axis), title, data


def cpsu_target_chart(
    columns: Mapping[str, Any], target_fall: float = TARGET_FALL_PER_QUARTER
) -> alt.LayerChart:
    """CPSU by quarter with the baseline and the target path annotated;
    `columns` is a projection's table or its columns."""
    key, title, data = cpsu_target_parts(columns, target_fall)
    return _target_layers(key).properties(title=title, datasets=data)


def cpsu_target_spec(
    columns: Mapping[str, Any], target_fall: float = TARGET_FALL_PER_QUARTER
) -> dict[str, Any]:
    """`cpsu_target_chart`'s Vega-Lite spec, its layers built once for its
    quarters and axis."""
    key, title, data = cpsu_target_parts(columns, target_fall)
    return cached_spec("pitch_cpsu", key, _target_layers, title, data)


# --- the pitch's charts ----------------------------------------------------------


@dataclass(frozen=True)
class LeftOut:
    """A chart of the pitch that would be empty, and the sentence said in its
    place on the page and in the deck."""

    name: str
    heading: str
    sentence: str


def left_out_charts(case: PitchCase) -> list[LeftOut]:
    """The pitch's charts that have nothing to draw for this case: agents by
    tier when no tier is staffed with agents of its own."""
    if staffed_tiers(case.projection.agents_by_tier()):
        return []
    return [
        LeftOut(
            "agents",
            "Agents on staffed tiers",
            "No tier is staffed with agents of its own: the cost base has no "
            "Staffed line, so there is no chart of agents by tier.",
        )
    ]


def _title_text(spec: Mapping[str, Any]) -> str:
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, Mapping) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def slide_charts(
    case: PitchCase,
    target_fall: float = TARGET_FALL_PER_QUARTER,
    model: Model | None = None,
    others: Sequence[Compared] = (),
) -> list[SlideChart]:
    """The charts of the pitch, in the order a deck shows them: CPSU against
    its target, the funding ask by fiscal year, cost by pool, agents by tier
    (when a tier is staffed; see `left_out_charts`) and the bridge of CPSU by
    mechanism; then, when `others` holds projected scenarios, the case's
    CPSU curve against theirs. `model`, when given, is
    the scenario's compiled model (it spares compiling it for the bridge).
    The charts are in the product's theme, registered here if it is not yet.
    """
    register_theme()
    projection, scenario, workspace = case.projection, case.scenario, case.workspace
    figures = case.figures
    funding = funding_table([Compared(scenario, projection)], case.fiscal_start)
    bridge = cpsu_bridge(
        workspace.cost_base, workspace.headcount, scenario, model=model
    )
    agents = projection.agents_by_tier()
    specs: dict[str, dict[str, Any] | None] = {
        "cpsu": cpsu_target_spec(projection.columns, target_fall),
        "funding": funding_spec(funding),
        "cost-by-pool": cost_by_pool_spec(projection.by_pool()),
        # An empty chart never reaches a slide: left_out_charts says why.
        "agents": agents_spec(agents) if staffed_tiers(agents) else None,
        "bridge": bridge_spec(
            bridge, figures.baseline_quarter, figures.horizon_quarter
        ),
    }
    compared = [
        other
        for other in others
        if other.projection is not None and other.name != scenario.name
    ]
    if compared:
        specs["scenarios"] = scenario_curves_spec(
            curve_columns([Compared(scenario, projection), *compared]),
            highlight=scenario.name,
        )
    return [
        SlideChart(name, _title_text(spec), for_slides(spec))
        for name, spec in specs.items()
        if spec is not None
    ]
