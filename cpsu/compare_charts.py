"""Charts of the Compare page: scenarios overlaid, what moves CPSU, and the ask.

Each builder takes the table a domain function returns (cpsu/compare.py and
cpsu/sensitivity.py) and gives back an Altair chart: CPSU curves of the
scenarios with their uncertainty, hire triggers, guardrails and a target;
the tornado of assumptions; the bridge from the baseline's CPSU to the
horizon's by mechanism; and the funding ask by fiscal year. As on every
chart of the product, the title states the finding in the data's own
numbers, money axes carry a currency format, and colours come from the
colour-blind-safe palette of cpsu/charts.py. A scenario keeps its colour
on every chart of the page, in the order the scenarios are given, the
first being the one the others are measured against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from cpsu.charts import MONEY_AXIS, MONEY_TOOLTIP, PALETTE, cpsu_title, quarter_axis
from cpsu.formatting import money, money_short, percent
from cpsu.sensitivity import CpsuTarget

LABEL_SIZE = 12
NEUTRAL = "#999999"
INK = "#333333"
# Blue and vermillion: the Okabe-Ito pair that stays apart for every common
# kind of colour blindness.
LOWERS_COLOUR = PALETTE[0]
RAISES_COLOUR = PALETTE[5]
LOW_END_COLOUR = PALETTE[0]
HIGH_END_COLOUR = PALETTE[1]
CPSU_AXIS_TITLE = "CPSU a month"
# Pixels between the hire labels of scenarios that hire in the same quarter.
_HIRE_LABEL_GAP = 14
# A change of CPSU smaller than this share is said to hold level.
_LEVEL = 0.0005


def scenario_scale(names: Sequence[str]) -> alt.Scale:
    """Each scenario's colour, in the order given, the palette repeating past seven."""
    return alt.Scale(
        domain=list(names),
        range=[PALETTE[index % len(PALETTE)] for index in range(len(names))],
    )


def scenario_colour(names: Sequence[str], symbol: str = "stroke") -> alt.Color:
    """Colour by scenario, its legend symbol the same whatever the layer's mark
    (a line unless told), so that layered marks share one legend."""
    return alt.Color(
        "scenario:N",
        scale=scenario_scale(names),
        sort=list(names),
        legend=alt.Legend(
            title="Scenario",
            symbolType=symbol,
            symbolStrokeWidth=3,
            symbolOpacity=1,
            symbolDash=[],
        ),
    )


def _signed_money(value: float) -> str:
    if abs(value) < 0.005:
        return money(0.0)
    return ("+" if value > 0 else "-") + money(abs(value))


def _cpsu_y(field: str) -> alt.Y:
    return alt.Y(
        f"{field}:Q",
        title=CPSU_AXIS_TITLE,
        axis=alt.Axis(format=MONEY_AXIS),
        scale=alt.Scale(zero=False, padding=20),
    )


def _empty_chart(message: str, description: str) -> alt.Chart:
    """A chart that says there is nothing to draw, for an empty table."""
    return (
        alt.Chart(pd.DataFrame({"message": [message]}))
        .mark_text(fontSize=LABEL_SIZE + 2, color=INK)
        .encode(text="message:N")
        .properties(title=message, description=description)
    )


# --- CPSU curves -----------------------------------------------------------------


def _quarters(curves: pd.DataFrame) -> list[str]:
    ordered = curves.sort_values("t", kind="stable")
    return list(dict.fromkeys(ordered["quarter"]))


def curves_title(curves: pd.DataFrame) -> alt.TitleParams:
    """Where the scenarios end against the first, at the last quarter they share.

    One scenario is titled by its own change; with more, the title names the
    scenario that ends furthest from the first, and the subtitle gives every
    scenario's CPSU in that quarter.
    """
    names = list(dict.fromkeys(curves["scenario"]))
    if len(names) == 1:
        own = curves.sort_values("t", kind="stable")
        title = cpsu_title(own)
        return alt.TitleParams(
            text=f"{names[0]}: {title.text}", subtitle=title.subtitle
        )

    last_t = int(curves.groupby("scenario")["t"].max().min())
    at_end = curves[curves["t"] == last_t].set_index("scenario")["cpsu"]
    quarter = str(curves.loc[curves["t"] == last_t, "quarter"].iloc[0])
    first = names[0]
    shares = {name: at_end[name] / at_end[first] - 1 for name in names[1:]}
    furthest = max(shares, key=lambda name: abs(shares[name]))
    share = shares[furthest]
    if abs(share) < _LEVEL:
        text = f"{furthest} ends level with {first} by {quarter}"
    else:
        side = "below" if share < 0 else "above"
        text = f"{furthest} ends {percent(abs(share))} {side} {first} by {quarter}"
    ends = ", ".join(f"{name} {money(at_end[name])}" for name in names)
    return alt.TitleParams(text=text, subtitle=f"CPSU a month in {quarter}: {ends}")


def _band_layers(
    bands: Mapping[str, pd.DataFrame], names: Sequence[str], x: alt.X
) -> list[alt.Chart]:
    """P10 to P90 as a shaded area, and the P50 as a dashed line, per scenario."""
    data = pd.concat(
        [
            band[["quarter", "t", "p10", "p50", "p90"]].assign(scenario=name)
            for name, band in bands.items()
        ],
        ignore_index=True,
    )
    tooltip = [
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("quarter:O", title="Quarter"),
        alt.Tooltip("p10:Q", title="P10", format=MONEY_TOOLTIP),
        alt.Tooltip("p50:Q", title="P50", format=MONEY_TOOLTIP),
        alt.Tooltip("p90:Q", title="P90", format=MONEY_TOOLTIP),
    ]
    base = alt.Chart(data).encode(x=x, color=scenario_colour(names), tooltip=tooltip)
    uncertainty_band = (
        base.mark_area(opacity=0.18)
        .encode(y=_cpsu_y("p10"), y2=alt.Y2("p90:Q"))
        .properties(name="uncertainty_band")
    )
    band_median = (
        base.mark_line(strokeDash=[2, 3], strokeWidth=2)
        .encode(y=_cpsu_y("p50"))
        .properties(name="band_median")
    )
    return [uncertainty_band, band_median]


def hire_labels(triggers: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The agents each scenario first needs within its horizon, one row per
    scenario and quarter: scenario, quarter, t, label ("Tier 1 agent 4", and
    more joined by commas when several tiers hire in that quarter) and row
    (0 for the first scenario hiring in that quarter, 1 for the next...)."""
    frames = []
    for name, table in triggers.items():
        # .loc with bools: an empty table's object column must not pick columns.
        reached = table.loc[table["reached"].astype(bool)]
        for (t, quarter), hires in reached.groupby(["t", "quarter"], sort=True):
            frames.append(
                {
                    "scenario": name,
                    "quarter": str(quarter),
                    "t": int(t),
                    "label": ", ".join(
                        f"{tier} agent {agent}"
                        for tier, agent in zip(
                            hires["tier"], hires["agent"], strict=True
                        )
                    ),
                    "users_above": ", ".join(
                        f"{users:,.0f}" for users in hires["users_above"]
                    ),
                }
            )
    columns = ["scenario", "quarter", "t", "label", "users_above", "row"]
    if not frames:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(frames)
    table["row"] = table.groupby("t").cumcount()
    return table[columns]


def _hire_layers(
    triggers: Mapping[str, pd.DataFrame], names: Sequence[str], x: alt.X
) -> list[alt.Chart]:
    """A dashed rule where a scenario needs its next agent, labelled along it."""
    data = hire_labels(triggers)
    if data.empty:
        return []
    tooltip = [
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("quarter:O", title="Quarter"),
        alt.Tooltip("label:N", title="Next agent needed"),
        alt.Tooltip("users_above:N", title="Above supported users"),
    ]
    hire_rules = (
        alt.Chart(data, name="hire_rules")
        .mark_rule(strokeDash=[6, 4], strokeWidth=1.5, opacity=0.8)
        .encode(x=x, color=scenario_colour(names), tooltip=tooltip)
    )
    # One text layer per row, so that two scenarios hiring in the same
    # quarter sit side by side along the rule instead of on top of each other.
    labels = []
    for row in range(int(data["row"].max()) + 1):
        labels.append(
            alt.Chart(data[data["row"] == row], name=f"hire_labels_{row}")
            .mark_text(
                angle=270,
                align="right",
                baseline="bottom",
                dx=-4,
                dy=-2 - row * _HIRE_LABEL_GAP,
                fontSize=LABEL_SIZE - 1,
            )
            .encode(
                x=x,
                y=alt.value(0),
                text="label:N",
                color=scenario_colour(names),
                tooltip=tooltip,
            )
        )
    return [hire_rules, *labels]


def guardrail_reasons(table: pd.DataFrame) -> pd.Series:
    """Why each quarter of a guardrails table is marked, in words ("" if not)."""
    utilisation = [c for c in table.columns if c.startswith("utilisation_")]
    reasons = []
    for _, row in table.iterrows():
        said = []
        if row["over_capacity"]:
            worst = max(
                (row[c] for c in utilisation if pd.notna(row[c])), default=float("nan")
            )
            said.append(
                f"Agents over capacity: {row['tiers_over']} "
                f"(highest {percent(worst, 0)} busy)"
            )
        if row["resolution_below_target"]:
            said.append("Resolution rate below target")
        if row["flat_staff_fall"]:
            said.append(
                "CPSU fell only because staff stayed flat (with staff keeping "
                f"pace it would be {money(row['cpsu_if_staff_kept_pace'])})"
            )
        reasons.append("; ".join(said))
    return pd.Series(reasons, index=table.index, dtype="object")


def guardrail_points(guardrail_marks: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The marked quarters of every scenario: scenario, quarter, t, cpsu, reason."""
    frames = [
        table.assign(scenario=name, reason=guardrail_reasons(table))
        for name, table in guardrail_marks.items()
    ]
    columns = ["scenario", "quarter", "t", "cpsu", "reason"]
    if not frames:
        return pd.DataFrame(columns=columns)
    data = pd.concat(frames, ignore_index=True)
    return data.loc[data["reason"] != "", columns].reset_index(drop=True)


def _guardrail_layer(
    guardrail_marks: Mapping[str, pd.DataFrame], x: alt.X
) -> list[alt.Chart]:
    """A dark ring round each point of a quarter a guardrail marks."""
    data = guardrail_points(guardrail_marks)
    if data.empty:
        return []
    return [
        alt.Chart(data.assign(mark="Guardrail warning"), name="guardrail_rings")
        .mark_point(filled=False, size=260, strokeWidth=2, color=INK)
        .encode(
            x=x,
            y=_cpsu_y("cpsu"),
            shape=alt.Shape(
                "mark:N",
                title=None,
                scale=alt.Scale(range=["circle"]),
                legend=alt.Legend(symbolFillColor="transparent"),
            ),
            tooltip=[
                alt.Tooltip("scenario:N", title="Scenario"),
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
                alt.Tooltip("reason:N", title="Warning"),
            ],
        )
    ]


def target_finding(
    curves: pd.DataFrame, target: float, quarter: str | None = None
) -> str:
    """Which scenarios reach a CPSU target, and when (or by the quarter given)."""
    names = list(dict.fromkeys(curves["scenario"]))
    said = []
    for name in names:
        own = curves[curves["scenario"] == name].sort_values("t", kind="stable")
        if quarter is not None:
            at = own[own["quarter"] == quarter]
            if not at.empty and at["cpsu"].iloc[0] <= target:
                said.append(name)
            continue
        met = own[own["cpsu"] <= target]
        if not met.empty:
            said.append(f"{name} in {met['quarter'].iloc[0]}")
    goal = f"Target {money(target)}" + (f" in {quarter}" if quarter else "")
    if not said:
        return f"{goal}: no scenario reaches it"
    return f"{goal}: reached by {', '.join(said)}"


def _target_layers(value: float, label: str) -> list[alt.Chart]:
    data = pd.DataFrame({"cpsu": [value], "label": [label]})
    target_rule = (
        alt.Chart(data, name="target_rule")
        .mark_rule(strokeDash=[8, 4], strokeWidth=2, color=INK)
        .encode(
            y=_cpsu_y("cpsu"),
            tooltip=[alt.Tooltip("cpsu:Q", title="Target", format=MONEY_TOOLTIP)],
        )
    )
    target_label = (
        alt.Chart(data, name="target_label")
        .mark_text(
            align="left", baseline="top", dx=4, dy=4, color=INK, fontSize=LABEL_SIZE
        )
        .encode(y=_cpsu_y("cpsu"), x=alt.value(0), text="label:N")
    )
    return [target_rule, target_label]


def scenario_curves_chart(
    curves: pd.DataFrame,
    bands: Mapping[str, pd.DataFrame] | None = None,
    triggers: Mapping[str, pd.DataFrame] | None = None,
    guardrail_marks: Mapping[str, pd.DataFrame] | None = None,
    target: float | CpsuTarget | None = None,
) -> alt.LayerChart | alt.Chart:
    """CPSU by quarter of each scenario, overlaid, with what the page asks to mark.

    `curves` is compare.cpsu_curves. The optional overlays are keyed by
    scenario name: `bands` the sensitivity.monte_carlo tables (a P10 to P90
    area and a dashed P50), `triggers` the sensitivity.hire_triggers tables
    (a rule where the scenario first needs an agent, labelled "Tier 1 agent
    4"), `guardrail_marks` the sensitivity.guardrails tables (a ring on each
    quarter over capacity, below the resolution target, or falling only
    because staff stayed flat). `target` draws a labelled horizontal line: a
    CPSU, or a CpsuTarget whose quarter the label names.
    """
    description_parts = ["Line chart of CPSU a month by quarter, one line a scenario"]
    if curves.empty:
        return _empty_chart(
            "No scenario could be projected.", description_parts[0] + "; no data."
        )
    names = list(dict.fromkeys(curves["scenario"]))
    quarters = _quarters(curves)
    x = quarter_axis(quarters)
    title = curves_title(curves)
    subtitle = [title.subtitle]

    layers: list[alt.Chart] = []
    if bands:
        layers += _band_layers(bands, names, x)
        subtitle.append(
            f"Shaded: P10 to P90 of {', '.join(bands)} over the assumption "
            "ranges; dashed: P50"
        )
        description_parts.append("a shaded P10 to P90 band with a dashed P50 line")
    if triggers:
        hires = _hire_layers(triggers, names, x)
        layers += hires
        if hires:
            subtitle.append("Dashed rules: the quarter a scenario needs its next agent")
            description_parts.append("vertical rules where a next agent is needed")

    data = curves[
        ["scenario", "quarter", "t", "supported_users", "monthly_opex", "cpsu"]
    ]
    cpsu_lines = (
        alt.Chart(data, name="cpsu_lines")
        .mark_line(point=True)
        .encode(
            x=x,
            y=_cpsu_y("cpsu"),
            color=scenario_colour(names),
            tooltip=[
                alt.Tooltip("scenario:N", title="Scenario"),
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
                alt.Tooltip(
                    "supported_users:Q", title="Supported users", format=",.0f"
                ),
                alt.Tooltip("monthly_opex:Q", title="Monthly run-rate", format="$,.0f"),
            ],
        )
    )
    layers.append(cpsu_lines)

    if guardrail_marks:
        rings = _guardrail_layer(guardrail_marks, x)
        layers += rings
        if rings:
            description_parts.append("rings on quarters a guardrail warns about")
    if target is not None:
        if isinstance(target, CpsuTarget):
            by_t = dict(zip(curves["t"], curves["quarter"], strict=True))
            quarter = by_t.get(target.quarter)
            value = target.cpsu
        else:
            quarter, value = None, float(target)
        label = f"Target {money(value)}" + (f" in {quarter}" if quarter else "")
        layers += _target_layers(value, label)
        subtitle.append(target_finding(curves, value, quarter))
        description_parts.append(f"a horizontal line at the target of {money(value)}")

    return alt.layer(*layers).properties(
        title=alt.TitleParams(text=title.text, subtitle=subtitle),
        description=", ".join(description_parts) + ".",
    )


# --- tornado -----------------------------------------------------------------------

LOW_END = "Assumption at its low"
HIGH_END = "Assumption at its high"


def tornado_title(tornado_table: pd.DataFrame) -> alt.TitleParams:
    """The assumption that swings CPSU most, and how far."""
    base = float(tornado_table["cpsu"].iloc[0])
    subtitle = (
        "CPSU a month at the horizon with each assumption at the low and the "
        f"high of its range; the scenario's is {money(base)}"
    )
    top = tornado_table.sort_values("swing", ascending=False, kind="stable").iloc[0]
    if top["swing"] < 0.005:
        return alt.TitleParams(
            text=f"No assumption in its range moves CPSU from {money(base)}",
            subtitle=subtitle,
        )
    low, high = sorted((top["cpsu_low"], top["cpsu_high"]))
    return alt.TitleParams(
        text=f"{top['label']} moves CPSU most: {money(low)} to {money(high)}",
        subtitle=subtitle,
    )


def tornado_bars(tornado_table: pd.DataFrame) -> pd.DataFrame:
    """The tornado's bars, long: two a row (the low end, then the high), widest
    swing first: label, end, at (the assumption's value there), cpsu (the
    scenario's), cpsu_end, change, swing, value_label and side (above or below
    the scenario's CPSU)."""
    ordered = tornado_table.sort_values("swing", ascending=False, kind="stable")
    rows = []
    for _, row in ordered.iterrows():
        for end, at, cpsu_end in (
            (LOW_END, row["low"], row["cpsu_low"]),
            (HIGH_END, row["high"], row["cpsu_high"]),
        ):
            change = float(cpsu_end - row["cpsu"])
            rows.append(
                {
                    "label": row["label"],
                    "end": end,
                    "at": float(at),
                    "cpsu": float(row["cpsu"]),
                    "cpsu_end": float(cpsu_end),
                    "change": change,
                    "swing": float(row["swing"]),
                    "value_label": money(cpsu_end),
                    "side": "above" if change >= 0 else "below",
                }
            )
    return pd.DataFrame(rows)


def tornado_chart(tornado_table: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """Horizontal bars of CPSU at the horizon for each assumption's low and high,
    widest swing at the top, drawn out from the scenario's own CPSU.

    `tornado_table` is sensitivity.tornado.
    """
    description = (
        "Tornado chart: for each assumption, bars from the scenario's CPSU to the "
        "CPSU with the assumption at the low and at the high of its range, "
        "sorted by swing."
    )
    if tornado_table.empty:
        return _empty_chart("No assumptions to vary.", description)
    data = tornado_bars(tornado_table)
    labels = list(dict.fromkeys(data["label"]))
    base = float(data["cpsu"].iloc[0])
    y = alt.Y(
        "label:N",
        sort=labels,
        title=None,
        axis=alt.Axis(labelLimit=260, labelFontSize=LABEL_SIZE),
    )
    y_offset = alt.YOffset("end:N", sort=[LOW_END, HIGH_END])
    x = alt.X(
        "cpsu_end:Q",
        title="CPSU a month at the horizon",
        axis=alt.Axis(format=MONEY_AXIS, tickCount=8),
        scale=alt.Scale(zero=False, padding=30),
    )
    tooltip = [
        alt.Tooltip("label:N", title="Assumption"),
        alt.Tooltip("end:N", title="End"),
        alt.Tooltip("at:Q", title="Value", format=",.4~g"),
        alt.Tooltip("cpsu_end:Q", title="CPSU", format=MONEY_TOOLTIP),
        alt.Tooltip("change:Q", title="Change", format="+$,.2f"),
    ]
    bars = (
        alt.Chart(data, name="tornado_bars")
        .mark_bar(height={"band": 0.9})
        .encode(
            y=y,
            yOffset=y_offset,
            x=x,
            x2=alt.X2("cpsu:Q"),
            color=alt.Color(
                "end:N",
                title=None,
                scale=alt.Scale(
                    domain=[LOW_END, HIGH_END],
                    range=[LOW_END_COLOUR, HIGH_END_COLOUR],
                ),
            ),
            tooltip=tooltip,
        )
    )
    value_labels = [
        alt.Chart(
            data[(data["side"] == side) & (data["change"].abs() >= 0.005)],
            name=f"value_labels_{side}",
        )
        .mark_text(
            align=align, baseline="middle", dx=dx, fontSize=LABEL_SIZE - 1, color=INK
        )
        .encode(y=y, yOffset=y_offset, x=x, text="value_label:N", tooltip=tooltip)
        for side, align, dx in (("above", "left", 4), ("below", "right", -4))
    ]
    still = data[data["swing"] < 0.005].drop_duplicates("label")
    no_effect = (
        alt.Chart(still.assign(value_label="no change in its range"), name="no_effect")
        .mark_text(align="left", dx=6, fontSize=LABEL_SIZE - 1, color=INK)
        .encode(
            y=y,
            x=x,
            text="value_label:N",
            tooltip=[alt.Tooltip("label:N", title="Assumption")],
        )
    )
    centre = pd.DataFrame({"cpsu_end": [base], "label": [f"Scenario {money(base)}"]})
    base_rule = (
        alt.Chart(centre, name="scenario_rule")
        .mark_rule(color=INK, strokeWidth=1.5)
        .encode(x=x, tooltip=[alt.Tooltip("cpsu_end:Q", title="Scenario's CPSU")])
    )
    return alt.layer(bars, *value_labels, no_effect, base_rule).properties(
        title=tornado_title(tornado_table), description=description
    )


# --- CPSU bridge -------------------------------------------------------------------

START_END = "Baseline and horizon"
LOWERS = "Lowers CPSU"
RAISES = "Raises CPSU"
NO_CHANGE = "No change"


def bridge_bars(
    bridge: pd.DataFrame, start_label: str = "Baseline", end_label: str = "Horizon"
) -> pd.DataFrame:
    """The waterfall's bars: the baseline's CPSU, each mechanism's step from
    where the one before ended, and the horizon's CPSU. Columns: step, order,
    kind, bar_from, bar_to, change (the mechanism's; the CPSU itself for the
    first and last bar) and value_label."""
    start = float(bridge["cpsu_from"].iloc[0])
    end = float(bridge["cpsu_to"].iloc[-1])
    rows = [
        {
            "step": f"{start_label} CPSU",
            "kind": START_END,
            "bar_from": 0.0,
            "bar_to": start,
            "change": start,
            "value_label": money(start),
        }
    ]
    for _, row in bridge.iterrows():
        change = float(row["change"])
        kind = NO_CHANGE if abs(change) < 0.005 else (LOWERS if change < 0 else RAISES)
        rows.append(
            {
                "step": str(row["mechanism"]),
                "kind": kind,
                "bar_from": float(row["cpsu_from"]),
                "bar_to": float(row["cpsu_to"]),
                "change": change,
                "value_label": _signed_money(change),
            }
        )
    rows.append(
        {
            "step": f"{end_label} CPSU",
            "kind": START_END,
            "bar_from": 0.0,
            "bar_to": end,
            "change": end,
            "value_label": money(end),
        }
    )
    table = pd.DataFrame(rows)
    table.insert(1, "order", range(len(table)))
    table["label_at"] = table[["bar_from", "bar_to"]].max(axis=1)
    return table


def bridge_title(
    bridge: pd.DataFrame, start_label: str = "Baseline", end_label: str = "Horizon"
) -> alt.TitleParams:
    """The mechanism that moved CPSU most, against the whole change."""
    start = float(bridge["cpsu_from"].iloc[0])
    end = float(bridge["cpsu_to"].iloc[-1])
    total = end - start
    if abs(total) < 0.005:
        subtitle = (
            f"CPSU a month holds at {money(end)} from {start_label} to {end_label}"
        )
    else:
        way = "fall" if total < 0 else "rise"
        subtitle = (
            f"Of a {money(abs(total))} {way} in CPSU a month, from {money(start)} "
            f"at {start_label} to {money(end)} at {end_label}"
        )
    top = bridge.loc[bridge["change"].abs().idxmax()]
    change = float(top["change"])
    if abs(change) < 0.005:
        text = "No mechanism moved CPSU"
    else:
        verb = "cut" if change < 0 else "raised"
        text = f"{top['mechanism']} {verb} CPSU most: {_signed_money(change)}"
    return alt.TitleParams(text=text, subtitle=subtitle)


def bridge_chart(
    bridge: pd.DataFrame, start_label: str = "Baseline", end_label: str = "Horizon"
) -> alt.LayerChart | alt.Chart:
    """A waterfall from the baseline's CPSU to the horizon's, a bar per mechanism.

    `bridge` is sensitivity.cpsu_bridge. Mechanisms that lower CPSU and those
    that raise it take the two colours of a colour-blind-safe pair; the first
    and last bars, CPSU itself, are grey. `start_label` and `end_label` name
    the two ends, for example by their quarters.
    """
    description = (
        "Waterfall chart: the baseline CPSU, the change each mechanism makes, "
        "and the CPSU at the horizon."
    )
    if bridge.empty:
        return _empty_chart("No change of CPSU to explain.", description)
    data = bridge_bars(bridge, start_label, end_label)
    steps = data["step"].tolist()
    y = alt.Y(
        "step:N",
        sort=steps,
        title=None,
        axis=alt.Axis(labelLimit=280, labelFontSize=LABEL_SIZE),
    )
    x = alt.X(
        "bar_from:Q",
        title="CPSU a month",
        axis=alt.Axis(format=MONEY_AXIS),
        scale=alt.Scale(zero=True),
    )
    tooltip = [
        alt.Tooltip("step:N", title="Step"),
        alt.Tooltip("change:Q", title="Change or CPSU", format="$,.2f"),
        alt.Tooltip("bar_from:Q", title="From", format=MONEY_TOOLTIP),
        alt.Tooltip("bar_to:Q", title="To", format=MONEY_TOOLTIP),
    ]
    bridge_bars_layer = (
        alt.Chart(data, name="bridge_bars")
        .mark_bar(height={"band": 0.7})
        .encode(
            y=y,
            x=x,
            x2=alt.X2("bar_to:Q"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(
                    domain=[START_END, LOWERS, RAISES, NO_CHANGE],
                    range=[NEUTRAL, LOWERS_COLOUR, RAISES_COLOUR, NEUTRAL],
                ),
                legend=alt.Legend(values=[START_END, LOWERS, RAISES]),
            ),
            tooltip=tooltip,
        )
    )
    value_labels = (
        alt.Chart(data, name="value_labels")
        .mark_text(align="left", baseline="middle", dx=4, fontSize=LABEL_SIZE)
        .encode(
            y=y,
            x=alt.X("label_at:Q"),
            text="value_label:N",
            color=alt.value(INK),
            tooltip=tooltip,
        )
    )
    return alt.layer(bridge_bars_layer, value_labels).properties(
        title=bridge_title(bridge, start_label, end_label), description=description
    )


# --- funding ask -------------------------------------------------------------------


def funding_bars(funding: pd.DataFrame) -> pd.DataFrame:
    """compare.funding_table made long, without its Total row: fiscal_year,
    scenario, funding_ask, value_label, side (up or down from zero)."""
    years = funding.drop(index="Total", errors="ignore")
    long = (
        years.rename_axis("fiscal_year")
        .reset_index()
        .melt(id_vars="fiscal_year", var_name="scenario", value_name="funding_ask")
    )
    long["funding_ask"] = long["funding_ask"].astype(float)
    long["value_label"] = long["funding_ask"].map(money_short)
    long["side"] = ["down" if ask < 0 else "up" for ask in long["funding_ask"]]
    return long


def funding_title(funding: pd.DataFrame) -> alt.TitleParams:
    """The scenario that asks most over the horizon, against the first."""
    years = [year for year in funding.index if year != "Total"]
    span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    totals = funding.drop(index="Total", errors="ignore").sum()
    top = totals.idxmax()
    if totals[top] <= 0:
        top = totals.idxmin()
        text = f"{top} saves most: {money_short(-totals[top])} over {span}"
    elif len(totals) == 1:
        text = f"{top} asks {money_short(totals[top])} over {span}"
    else:
        text = f"{top} asks most: {money_short(totals[top])} over {span}"
    others = ", ".join(
        f"{name} {money_short(total)}" for name, total in totals.items() if name != top
    )
    meaning = "Spend above holding the baseline run-rate, by fiscal year"
    subtitle = [f"Totals: {others}", meaning] if others else meaning
    return alt.TitleParams(text=text, subtitle=subtitle)


def funding_chart(funding_table: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """The funding ask by fiscal year, a bar per scenario side by side.

    `funding_table` is compare.funding_table (a row per fiscal year and a
    Total row, a column per scenario); the Total row is left out of the bars
    and stated in the title.
    """
    description = (
        "Grouped bar chart of the funding ask by fiscal year, one bar a scenario."
    )
    if funding_table.empty or funding_table.drop(index="Total", errors="ignore").empty:
        return _empty_chart("No funding ask to show.", description)
    data = funding_bars(funding_table)
    names = list(funding_table.columns)
    years = list(dict.fromkeys(data["fiscal_year"]))
    x = alt.X("fiscal_year:N", sort=years, title=None, axis=alt.Axis(labelAngle=0))
    x_offset = alt.XOffset("scenario:N", sort=names)
    y = alt.Y("funding_ask:Q", title="Funding ask", axis=alt.Axis(format=MONEY_AXIS))
    tooltip = [
        alt.Tooltip("fiscal_year:N", title="Fiscal year"),
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("funding_ask:Q", title="Funding ask", format=MONEY_TOOLTIP),
    ]
    funding_bars_layer = (
        alt.Chart(data, name="funding_bars")
        .mark_bar()
        .encode(
            x=x,
            xOffset=x_offset,
            y=y,
            color=scenario_colour(names, symbol="square"),
            tooltip=tooltip,
        )
    )
    value_labels = [
        alt.Chart(data[data["side"] == side], name=f"value_labels_{side}")
        .mark_text(baseline=baseline, dy=dy, fontSize=LABEL_SIZE - 1, color=INK)
        .encode(x=x, xOffset=x_offset, y=y, text="value_label:N", tooltip=tooltip)
        for side, baseline, dy in (("up", "bottom", -3), ("down", "top", 3))
    ]
    zero_rule = (
        alt.Chart(pd.DataFrame({"funding_ask": [0.0]}), name="zero_rule")
        .mark_rule(color=INK)
        .encode(y=y)
    )
    return alt.layer(funding_bars_layer, *value_labels, zero_rule).properties(
        title=funding_title(funding_table), description=description
    )
