"""Charts of what happened: CPSU by quarter, cost against users, quality,
the experience curve, a plan against actuals, and in-house or managed.

Each is titled with its finding and carries the published benchmark that
belongs to it as a labelled band, said to be a benchmark and not a truth
about the company: the price range of full managed IT per user beside CPSU,
the typical Tier 1 resolution rate beside the company's own, the price of
an outsourced help desk beside the in-house desk. The charts use the
product's theme (cpsu.charts) and read their data inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cpsu.actuals import (
    BAND_LEVEL,
    ExperienceCurve,
    PlanVerdict,
    QualityWarning,
    streaks,
)
from cpsu.charts import MONEY_AXIS, MONEY_TOOLTIP, PALETTE, quarter_axis
from cpsu.formatting import count, money, percent, span
from cpsu.sourcing import BreakEven, Contract, InHouseDesk

# Benchmarks (REFERENCE_FIGURES.md), each with where it comes from.
MANAGED_IT = (100.0, 250.0, "Full managed IT: $100 to $250 a user a month")
MANAGED_IT_SOURCE = "managed-service price surveys"
RESOLUTION_TYPICAL = (0.66, 0.71, "Typical Tier 1 resolution: 66% to 71%")
RESOLUTION_SOURCE = "HDI practices report; MetricNet"
RESOLUTION_TARGET = 0.70
OUTSOURCED_DESK = (60.0, 85.0, "Outsourced help desk: $60 to $85 a user a month")
OUTSOURCED_DESK_SOURCE = "managed-service price surveys"

BENCHMARK_FILL = "#E8E8E8"
BENCHMARK_TEXT = "#555555"
WARNING_COLOUR = "#D55E00"
CURVE_COLOUR = PALETTE[6]
FIRST, FELL, NOT_FELL = "First quarter", "Fell on the quarter before", "Did not fall"
WIDTH = 640
HEIGHT = 300
PLAN_COLOUR = PALETTE[1]


def _band(
    low: float,
    high: float,
    label: str,
    scale: alt.Scale,
    below: bool = False,
    spot: tuple[str, str] | None = None,
) -> list[alt.Chart]:
    """A horizontal benchmark band with its label inside at the top left, or
    just under the band when `below` (for a band too thin to hold it).
    `spot` places the label otherwise: (the band edge, "low" or "high", and
    the text's baseline, "top" to hang under that edge or "bottom" to stand
    on it); None for the spot `below` says."""
    data = pd.DataFrame({"low": [low], "high": [high], "label": [label]})
    band = (
        alt.Chart(data)
        .mark_rect(color=BENCHMARK_FILL, opacity=0.7)
        .encode(y=alt.Y("low:Q", scale=scale, title=None), y2="high:Q")
    )
    edge, baseline = spot or (("low" if below else "high"), "top")
    text = (
        alt.Chart(data)
        .mark_text(
            align="left",
            baseline=baseline,
            dx=6,
            dy=4 if baseline == "top" else -4,
            color=BENCHMARK_TEXT,
            fontSize=11,
        )
        .encode(y=alt.Y(f"{edge}:Q", scale=scale), x=alt.value(0), text="label:N")
    )
    return [band, text]


# A band's label is about this many pixels tall, with its offset from the edge.
LABEL_PIXELS = 20.0


def _segments(line: Sequence[float]) -> list[tuple[float, float]]:
    """The segments a line of points draws; a lone point is one of no length."""
    values = list(line)
    if len(values) == 1:
        return [(values[0], values[0])]
    return list(pairwise(values))


def label_spot(
    lines: Sequence[Sequence[float]], low: float, high: float, top: float
) -> tuple[str, str] | None:
    """Where a band's label can stand clear of every line drawn: inside the
    band at its top or bottom, or just above or below it, as (edge,
    baseline) for `_band`; None when every spot is crossed.

    The label runs across most of the plot's width, so a spot is clear only
    when no line passes through its height anywhere: no point in it, and no
    segment between two points that crosses it. `top` is the y axis's top,
    which sets how many dollars a pixel is (on a plot HEIGHT pixels tall).
    """
    span = LABEL_PIXELS * top / HEIGHT
    spots = [
        (("high", "top"), high - span, high),
        (("low", "bottom"), low, low + span),
        (("high", "bottom"), high, high + span),
        (("low", "top"), low - span, low),
    ]
    for spot, bottom, ceiling in spots:
        if bottom < 0 or ceiling > top:
            continue
        if not any(
            min(a, b) <= ceiling and max(a, b) >= bottom
            for line in lines
            for a, b in _segments(line)
        ):
            return spot
    return None


# Up to this many quarters each is labelled; past it, a label a year or fewer.
ALL_LABELS = 24
MOST_LABELS = 16


def quarter_labels(quarters: Sequence[str]) -> list[str]:
    """The quarters to label on a time axis: every one up to ALL_LABELS, else
    the first quarter of each year (Q1), or of every second, fourth... year,
    so that at most MOST_LABELS are shown and never overlap."""
    quarters = list(quarters)
    if len(quarters) <= ALL_LABELS:
        return quarters
    years = [q for q in quarters if q.endswith("Q1")] or quarters[::4]
    step = -(-len(years) // MOST_LABELS)
    return years[::step]


def _quarter_x(quarters: Sequence[str]) -> alt.X:
    """Quarters along the x axis; slanted when there are many to fit, and
    thinned to a label a year (or fewer) when there are more than that."""
    if len(quarters) <= 8:
        return quarter_axis(list(quarters))
    return alt.X(
        "quarter:O",
        sort=list(quarters),
        title=None,
        axis=alt.Axis(
            labelAngle=-45,
            labelAlign="right",
            values=quarter_labels(quarters),
            labelOverlap="greedy",
        ),
    )


SOLID, DASHED = [1, 0], [6, 3]


def _two_lines(
    field: str, lines: tuple[tuple[str, str, list[int]], ...]
) -> dict[str, Any]:
    """The colour and dash of lines told apart by `field`: each (name, colour,
    dash), so that a line is known by its dash as well as its colour."""
    names = [name for name, _, _ in lines]
    # A line in the legend, not a point, so that it shows the dash too.
    legend = alt.Legend(title=None, orient="top", symbolType="stroke")
    return {
        "color": alt.Color(
            f"{field}:N",
            scale=alt.Scale(domain=names, range=[colour for _, colour, _ in lines]),
            legend=legend,
        ),
        # The same legend as the colour's: Vega-Lite draws one, each
        # symbol in its line's colour and dash.
        "strokeDash": alt.StrokeDash(
            f"{field}:N",
            scale=alt.Scale(domain=names, range=[dash for _, _, dash in lines]),
            legend=legend,
        ),
    }


def _signed(value: float | None) -> str:
    return percent(value, signed=True)


# --- CPSU by quarter ---------------------------------------------------------------


def history_title(table: pd.DataFrame) -> dict[str, Any]:
    """The finding of the history: the streak, or where CPSU went."""
    cpsu = table["cpsu"].to_numpy(dtype=float)
    quarters = table["quarter"].tolist()
    found = streaks(cpsu, quarters)
    last = money(cpsu[-1])
    if len(cpsu) == 1:
        text = f"CPSU was {last} in {quarters[0]}"
    elif found.current >= 2:
        text = (
            f"CPSU fell {found.current} quarters in a row, to {last} in {quarters[-1]}"
        )
    else:
        change = cpsu[-1] / cpsu[0] - 1
        direction = "fell" if change < 0 else "rose"
        text = (
            f"CPSU {direction} {percent(abs(change))} from {quarters[0]} to "
            f"{quarters[-1]}, to {last}"
        )
    subtitle = [f"Monthly cost per supported user, {span(quarters[0], quarters[-1])}"]
    if found.longest > found.current:
        subtitle.append(
            f"Longest run of reductions: {found.longest} quarters, to "
            f"{found.longest_end}"
        )
    return {"text": text, "subtitle": subtitle}


def cpsu_history_chart(
    table: pd.DataFrame, curve: ExperienceCurve | None = None
) -> alt.LayerChart:
    """CPSU by quarter; the experience curve's fitted CPSU and band when
    given; the managed-IT price range as context."""
    quarters = table["quarter"].tolist()
    x = _quarter_x(quarters)
    data = table[
        ["quarter", "cpsu", "change", "supported_users", "monthly_opex"]
    ].copy()
    data["reduction"] = np.where(table["reduction"], FELL, NOT_FELL)
    data.loc[data.index[0], "reduction"] = FIRST
    # The legend lists only the kinds of quarter drawn.
    kinds = [
        (kind, colour, shape)
        for kind, colour, shape in (
            (FIRST, BENCHMARK_TEXT, "square"),
            (FELL, PALETTE[0], "circle"),
            (NOT_FELL, WARNING_COLOUR, "triangle-up"),
        )
        if (data["reduction"] == kind).any()
    ]
    low, high, label = MANAGED_IT
    top = max(float(table["cpsu"].max()), high) * 1.05
    scale = alt.Scale(domain=[0, top])
    y = alt.Y(
        "cpsu:Q", title="CPSU a month", axis=alt.Axis(format=MONEY_AXIS), scale=scale
    )
    lines = [table["cpsu"].to_numpy(dtype=float).tolist()]
    if curve is not None:
        users = table["supported_users"].to_numpy(dtype=float)
        lines.append(np.asarray(curve.cpsu(users), dtype=float).tolist())
    band_label = f"{label} ({MANAGED_IT_SOURCE})"
    spot = label_spot(lines, low, high, top)
    layers: list[alt.Chart] = _band(low, high, band_label, scale, spot=spot)
    if spot is None:
        # Every spot by the band is crossed by a line: the label goes above
        # the plot, in the subtitle, and the band keeps no text of its own.
        layers = layers[:1]
    if curve is not None:
        fitted = pd.DataFrame({"quarter": quarters})
        users = table["supported_users"].to_numpy(dtype=float)
        fitted["fit"] = curve.cpsu(users)
        fitted["low"], fitted["high"] = curve.band(users)
        fit_base = alt.Chart(fitted).encode(x=x)
        layers += [
            fit_base.mark_area(color=CURVE_COLOUR, opacity=0.15).encode(
                y=alt.Y("low:Q"), y2="high:Q"
            ),
            fit_base.mark_line(
                color=CURVE_COLOUR, strokeDash=[6, 4], strokeWidth=2
            ).encode(
                y=alt.Y("fit:Q"),
                tooltip=[
                    alt.Tooltip("quarter:O", title="Quarter"),
                    alt.Tooltip(
                        "fit:Q", title="Experience curve", format=MONEY_TOOLTIP
                    ),
                ],
            ),
        ]
    line = alt.Chart(data).encode(x=x, y=y)
    layers += [
        line.mark_line(color=PALETTE[0]),
        line.mark_point(filled=True, size=70).encode(
            color=alt.Color(
                "reduction:N",
                scale=alt.Scale(
                    domain=[kind for kind, _, _ in kinds],
                    range=[colour for _, colour, _ in kinds],
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            shape=alt.Shape(
                "reduction:N",
                scale=alt.Scale(
                    domain=[kind for kind, _, _ in kinds],
                    range=[shape for _, _, shape in kinds],
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
                alt.Tooltip("change:Q", title="Change", format="+.1%"),
                alt.Tooltip(
                    "supported_users:Q", title="Supported users", format=",.0f"
                ),
                alt.Tooltip("monthly_opex:Q", title="Monthly run-rate", format="$,.0f"),
            ],
        ),
    ]
    subtitle = history_title(table)
    if spot is None:
        subtitle["subtitle"].append(f"Grey band: {band_label}, a benchmark")
    if curve is not None:
        subtitle["subtitle"].append(
            f"Dashed: the experience curve ({percent(curve.per_doubling)} lower per "
            f"doubling of users), shaded where {BAND_LEVEL:.0%} of quarters would fall"
        )
    return alt.layer(*layers).properties(
        title=subtitle,
        description=(
            "Line chart of CPSU by quarter. Points that fell on the quarter before "
            "are circles; others are triangles. A grey band shows the price range "
            "of full managed IT per user, a benchmark."
        ),
        width=WIDTH,
        height=HEIGHT,
    )


# --- cost and users indexed to 100 -------------------------------------------------


def indexed_chart(table: pd.DataFrame) -> alt.Chart:
    """Cost and users indexed to 100 at the first quarter, one line each."""
    quarters = table["quarter"].tolist()
    long = pd.DataFrame(
        {
            "quarter": quarters * 2,
            "measure": ["Supported users"] * len(quarters)
            + ["Monthly cost"] * len(quarters),
            "index": [*table["users_index"], *table["cost_index"]],
        }
    )
    users, cost = (
        float(table["users_index"].iat[-1]),
        float(table["cost_index"].iat[-1]),
    )
    if len(quarters) > 1:
        text = (
            f"Users grew {percent(users / 100 - 1)} while cost grew "
            f"{percent(cost / 100 - 1)}"
            if cost >= 100
            else f"Users grew {percent(users / 100 - 1)} while cost fell "
            f"{percent(1 - cost / 100)}"
        )
    else:
        text = "Users and cost, indexed to 100"
    # The gap between the lines is a saving per user only when cost grew
    # the slower.
    if cost < users:
        gap = "; the gap is the saving per user"
    elif cost > users:
        gap = "; cost grew faster than users, so the gap is the rise per user"
    else:
        gap = ""
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=_quarter_x(quarters),
            y=alt.Y("index:Q", title=f"Index ({quarters[0]} = 100)"),
            **_two_lines(
                "measure",
                (
                    ("Supported users", PALETTE[0], SOLID),
                    ("Monthly cost", PALETTE[1], DASHED),
                ),
            ),
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("index:Q", title="Index", format=",.1f"),
            ],
        )
        .properties(
            title={
                "text": text,
                "subtitle": f"Each indexed to 100 in {quarters[0]}" + gap,
            },
            description=(
                "Line chart of supported users and monthly cost, indexed to 100."
            ),
            width=WIDTH,
            height=HEIGHT,
        )
    )


# --- quality -----------------------------------------------------------------------


def quality_title(table: pd.DataFrame) -> str:
    parts = []
    for column, name in (
        ("resolution_rate", "resolution"),
        ("satisfaction", "satisfaction"),
    ):
        values = table[column].dropna()
        if len(values) >= 2:
            parts.append(
                f"{name} {percent(values.iat[0])} to {percent(values.iat[-1])}"
            )
        elif len(values) == 1:
            parts.append(f"{name} {percent(values.iat[0])}")
    if not parts:
        return "No quality measures in the actuals"
    return "Quality beside cost: " + ", ".join(parts)


def _rings_said(rings: int) -> str:
    """The quality chart's subtitle: what its rings mark, or that it has none."""
    if rings == 0:
        return "No quarter in which CPSU fell while quality fell by a point or more"
    quarters = "a quarter" if rings == 1 else f"{rings} quarters"
    return (
        f"Rings mark {quarters} where CPSU fell while quality fell by a point or more"
    )


def quality_chart(
    table: pd.DataFrame, warnings: Sequence[QualityWarning] = ()
) -> alt.LayerChart:
    """Resolution rate and satisfaction by quarter, with the typical
    resolution range and the common 70% target; each quarter where CPSU fell
    as quality fell is ringed."""
    quarters = table["quarter"].tolist()
    x = _quarter_x(quarters)
    long = pd.concat(
        [
            pd.DataFrame({"quarter": quarters, "measure": name, "rate": table[column]})
            for column, name in (
                ("resolution_rate", "Resolved at Tier 1"),
                ("satisfaction", "Satisfied users"),
            )
        ]
    ).dropna(subset=["rate"])
    # The resolution benchmarks and the legend go with what is drawn.
    measures = [
        (name, colour)
        for name, colour in (
            ("Resolved at Tier 1", PALETTE[2]),
            ("Satisfied users", PALETTE[3]),
        )
        if (long["measure"] == name).any()
    ]
    resolution = any(name == "Resolved at Tier 1" for name, _ in measures)
    low, high, label = RESOLUTION_TYPICAL
    lowest = float(long["rate"].min()) if len(long) else low
    floor = (min(lowest, low) if resolution else lowest) - 0.05
    scale = alt.Scale(domain=[max(0.0, floor), 1.0], zero=False)
    y = alt.Y("rate:Q", title=None, axis=alt.Axis(format=".0%"), scale=scale)
    layers: list[alt.Chart] = []
    if resolution:
        layers += _band(low, high, f"{label} ({RESOLUTION_SOURCE})", scale, True)
        target = pd.DataFrame(
            {"rate": [RESOLUTION_TARGET], "label": ["Common target 70%"]}
        )
        layers.append(
            alt.Chart(target)
            .mark_rule(color=BENCHMARK_TEXT, strokeDash=[2, 3])
            .encode(y=alt.Y("rate:Q", scale=scale))
        )
    layers += [
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y,
            **_two_lines(
                "measure",
                tuple(
                    (name, colour, dash)
                    for (name, colour), dash in zip(
                        measures, (SOLID, DASHED), strict=False
                    )
                ),
            ),
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("rate:Q", title="Rate", format=".1%"),
            ],
        ),
    ]
    if warnings:
        warned = pd.DataFrame(
            [
                {"quarter": w.quarter, "rate": after, "note": w.message}
                for w in warnings
                for _, _, after in w.measures
            ]
        )
        layers.append(
            alt.Chart(warned)
            .mark_point(shape="circle", size=320, strokeWidth=2.5, color=WARNING_COLOUR)
            .encode(x=x, y="rate:Q", tooltip=[alt.Tooltip("note:N", title="Warning")])
        )
    return alt.layer(*layers).properties(
        title={
            "text": quality_title(table),
            "subtitle": _rings_said(len(warnings)),
        },
        description=(
            "Line chart of the share of tickets resolved at Tier 1 and of satisfied "
            "users by quarter"
            + (
                ", with the typical resolution range as a grey band."
                if resolution
                else "."
            )
        ),
        width=WIDTH,
        height=HEIGHT,
    )


# --- the experience curve ----------------------------------------------------------


def curve_title(
    curve: ExperienceCurve, verdict: PlanVerdict | None = None
) -> dict[str, Any]:
    falls = curve.per_doubling >= 0
    text = (
        f"Each doubling of users took {percent(curve.per_doubling)} off CPSU"
        if falls
        else f"Each doubling of users added {percent(-curve.per_doubling)} to CPSU"
    )
    subtitle = [
        f"CPSU = {curve.a:,.0f} × users^-{curve.b:.3f}, fitted on {curve.quarters} "
        f"quarters (R² {curve.r2:.3f}); log scales"
    ]
    if verdict is not None:
        subtitle.append(f"The plan is {verdict.value}")
    return {"text": text, "subtitle": subtitle}


def experience_curve_chart(
    table: pd.DataFrame,
    curve: ExperienceCurve,
    plan: pd.DataFrame | None = None,
    verdict: PlanVerdict | None = None,
    plan_name: str = "Plan",
) -> alt.LayerChart:
    """CPSU against supported users on log scales: the history as points, the
    fitted curve and its band across the history and the plan, and the
    plan's projection (columns supported_users, cpsu, quarter) as a line."""
    users = table["supported_users"].to_numpy(dtype=float)
    cpsu = table["cpsu"].to_numpy(dtype=float)
    top = users.max()
    if plan is not None and len(plan):
        top = max(top, float(plan["supported_users"].max()))
    grid = np.geomspace(users.min(), top, 60)
    low, high = curve.band(grid)
    fitted = pd.DataFrame(
        {"supported_users": grid, "cpsu": curve.cpsu(grid), "low": low, "high": high}
    )
    spans = [cpsu, low, high]
    if plan is not None and len(plan):
        spans.append(plan["cpsu"].to_numpy(dtype=float))
    bottom = min(float(np.min(values)) for values in spans)
    ceiling = max(float(np.max(values)) for values in spans)
    x_scale = alt.Scale(type="log", domain=[users.min() / 1.1, top * 1.1], nice=False)
    y_scale = alt.Scale(type="log", domain=[bottom / 1.08, ceiling * 1.08], nice=False)
    x = alt.X(
        "supported_users:Q",
        title="Supported users (log scale)",
        scale=x_scale,
        axis=alt.Axis(format=",.0f", tickCount=6),
    )
    y = alt.Y(
        "cpsu:Q",
        title="CPSU a month (log scale)",
        scale=y_scale,
        axis=alt.Axis(format=MONEY_AXIS, tickCount=6),
    )
    layers = [
        alt.Chart(fitted)
        .mark_area(color=CURVE_COLOUR, opacity=0.15)
        .encode(x=x, y=alt.Y("low:Q", scale=y_scale), y2="high:Q"),
        alt.Chart(fitted)
        .mark_line(color=CURVE_COLOUR, strokeDash=[6, 4], strokeWidth=2)
        .encode(x=x, y=y),
        alt.Chart(table[["quarter", "supported_users", "cpsu"]])
        .mark_point(filled=True, size=70, color=PALETTE[0], opacity=0.9)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip(
                    "supported_users:Q", title="Supported users", format=",.0f"
                ),
                alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
            ],
        ),
    ]
    labels = [
        {
            "supported_users": float(users[0]),
            "cpsu": float(cpsu[0]),
            "label": "History",
            "colour": PALETTE[0],
        }
    ]
    if plan is not None and len(plan):
        planned = plan[["quarter", "supported_users", "cpsu"]].assign(series=plan_name)
        layers.append(
            alt.Chart(planned)
            .mark_line(
                point=alt.OverlayMarkDef(color=PLAN_COLOUR, size=50),
                color=PLAN_COLOUR,
            )
            .encode(
                x=x,
                y=y,
                order="supported_users:Q",
                tooltip=[
                    alt.Tooltip("series:N", title="Scenario"),
                    alt.Tooltip("quarter:O", title="Quarter"),
                    alt.Tooltip(
                        "supported_users:Q", title="Supported users", format=",.0f"
                    ),
                    alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
                ],
            )
        )
        end = plan.iloc[-1]
        labels.append(
            {
                "supported_users": float(end["supported_users"]),
                "cpsu": float(end["cpsu"]),
                "label": plan_name,
                "colour": PLAN_COLOUR,
            }
        )
    layers.append(
        alt.Chart(pd.DataFrame(labels))
        .mark_text(align="left", dx=8, dy=-10, fontSize=12, fontWeight=600)
        .encode(
            x=x,
            y=y,
            text="label:N",
            color=alt.Color("colour:N", scale=None),
        )
    )
    return alt.layer(*layers).properties(
        title=curve_title(curve, verdict),
        description=(
            "Scatter of CPSU against supported users on log scales, with the fitted "
            "experience curve dashed and its band shaded"
            + (", and the plan's projection as a line." if plan is not None else ".")
        ),
        width=WIDTH,
        height=360,
    )


# --- plan against actual -----------------------------------------------------------


def plan_title(table: pd.DataFrame, plan_name: str) -> dict[str, Any]:
    last = table.iloc[-1]
    variance = float(last["cpsu_variance"])
    if abs(variance) < 0.005:
        text = f"CPSU is on plan in {last['quarter']}: {money(last['actual_cpsu'])}"
    else:
        side = "above" if variance > 0 else "below"
        text = (
            f"CPSU is {money(abs(variance))} {side} {plan_name} in {last['quarter']} "
            f"({_signed(float(last['cpsu_variance_share']))})"
        )
    return {
        "text": text,
        "subtitle": f"Actual CPSU against {plan_name}'s projection, quarter by quarter",
    }


def plan_actual_chart(table: pd.DataFrame, plan_name: str) -> alt.Chart:
    """Planned and actual CPSU by quarter (from `plan_against_actual`)."""
    quarters = table["quarter"].tolist()
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "quarter": quarters,
                    "series": name,
                    "cpsu": table[column],
                    "variance": table["cpsu_variance"],
                }
            )
            for column, name in (("plan_cpsu", plan_name), ("actual_cpsu", "Actual"))
        ]
    )
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=_quarter_x(quarters),
            y=alt.Y(
                "cpsu:Q",
                title="CPSU a month",
                axis=alt.Axis(format=MONEY_AXIS),
                scale=alt.Scale(zero=False, padding=20),
            ),
            **_two_lines(
                "series",
                ((plan_name, PLAN_COLOUR, DASHED), ("Actual", PALETTE[0], SOLID)),
            ),
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
                alt.Tooltip("variance:Q", title="Actual less plan", format="+$,.2f"),
            ],
        )
        .properties(
            title=plan_title(table, plan_name),
            description="Line chart of planned (dashed) and actual CPSU by quarter.",
            width=WIDTH,
            height=HEIGHT,
        )
    )


# --- in-house or managed -----------------------------------------------------------


def sourcing_chart(
    desk: InHouseDesk, contract: Contract, found: BreakEven, users_now: float
) -> alt.LayerChart:
    """The desk's monthly cost per user (a staircase divided by users) and the
    contract's, from a few users to past the break-even, with today and the
    break-even marked, and the outsourced help desk's price range beside."""
    top = max(users_now, found.users or 0) * 1.6
    users = np.unique(np.linspace(max(10.0, top / 400), top, 400).round())
    desk_cost = desk.monthly_cost(users) / users
    contract_cost = contract.monthly_cost(users, desk.tickets_per_user) / users
    long = pd.DataFrame(
        {
            "users": np.concatenate([users, users]),
            "per_user": np.concatenate([desk_cost, contract_cost]),
            "option": ["In-house desk"] * len(users)
            + ["Managed contract"] * len(users),
        }
    )
    # The smallest sizes cost far more per user; the axis stops short of them
    # and the line is cut at its edge rather than flattened.
    ceiling = float(np.quantile(long["per_user"], 0.9)) * 1.3
    # Five ticks at most: users run to tens of thousands, whose labels
    # would run into each other at the axis's default count.
    x = alt.X(
        "users:Q",
        title="Supported users",
        axis=alt.Axis(format=",.0f", tickCount=5, labelOverlap="greedy"),
    )
    scale = alt.Scale(domain=[0, ceiling])
    y = alt.Y(
        "per_user:Q",
        title="Tier 1 cost per user a month",
        axis=alt.Axis(format=MONEY_AXIS),
        scale=scale,
    )
    low, high, label = OUTSOURCED_DESK
    layers: list[alt.Chart] = []
    if high <= ceiling:
        layers += _band(low, high, f"{label} ({OUTSOURCED_DESK_SOURCE})", scale)
    layers.append(
        alt.Chart(long)
        .mark_line(clip=True)
        .encode(
            x=x,
            y=y,
            **_two_lines(
                "option",
                (
                    ("In-house desk", PALETTE[0], SOLID),
                    ("Managed contract", PLAN_COLOUR, DASHED),
                ),
            ),
            tooltip=[
                alt.Tooltip("option:N", title="Option"),
                alt.Tooltip("users:Q", title="Users", format=",.0f"),
                alt.Tooltip(
                    "per_user:Q", title="Per user a month", format=MONEY_TOOLTIP
                ),
            ],
        )
    )
    marks = [{"users": users_now, "label": f"Today: {count(users_now)}"}]
    if found.users is not None:
        marks.append(
            {"users": found.users, "label": f"Break-even: {count(found.users)}"}
        )
    rules = alt.Chart(pd.DataFrame(marks))
    layers += [
        rules.mark_rule(color=BENCHMARK_TEXT, strokeDash=[2, 3]).encode(x="users:Q"),
        rules.mark_text(
            align="left", dx=4, baseline="top", color=BENCHMARK_TEXT
        ).encode(x="users:Q", y=alt.value(4), text="label:N"),
    ]
    if found.users is None:
        text = "The in-house desk never becomes cheaper than the contract"
    else:
        text = f"From {count(found.users)} users an in-house desk costs no more"
    return alt.layer(*layers).properties(
        title={
            "text": text,
            "subtitle": "Tier 1 cost per supported user a month: whole agents in "
            "house against the contract's price",
        },
        description=(
            "Step line of the in-house desk's cost per user and dashed line of the "
            "contract's, against supported users, with today's users and the "
            "break-even marked."
        ),
        width=WIDTH,
        height=HEIGHT,
    )
