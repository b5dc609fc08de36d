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

The page redraws these charts at each slider change, so each comes in two
forms, as those of cpsu/charts.py do: `*_chart` gives the Altair chart (for
tests and images), and `*_spec` the same Vega-Lite spec quickly, its layers
built and validated once for each shape of chart (the scenarios, quarters
or fiscal years, the steps, which overlays are drawn) and only the title
and data computed at each call. Whatever orders the data at each call (the
tornado's rows by swing) travels in the data, not in the layers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from cpsu.charts import (
    MONEY_AXIS,
    MONEY_TOOLTIP,
    PALETTE,
    Data,
    cached_spec,
    column_values,
    cpsu_title_of,
    filled,
    json_ready,
    quarter_axis,
    records,
    rows_of,
)
from cpsu.costs import TIERS
from cpsu.formatting import money, money_short, percent
from cpsu.sensitivity import CpsuTarget, GuardrailArrays, HireTriggerArrays

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


class _Parts(NamedTuple):
    """A chart in two parts: `layers(key)`, reading named datasets and
    depending on nothing but the hashable `key`, and what moves at each
    call: the title, the datasets and any other top-level properties."""

    kind: str
    key: Hashable
    layers: Callable[[Any], alt.TopLevelMixin]
    title: dict[str, Any] | str
    datasets: dict[str, Data]
    properties: dict[str, Any]


def _chart(parts: _Parts) -> Any:
    return filled(
        parts.layers(parts.key), parts.title, parts.datasets, **parts.properties
    )


def _spec(parts: _Parts) -> dict[str, Any]:
    return cached_spec(
        f"compare.{parts.kind}",
        parts.key,
        parts.layers,
        parts.title,
        parts.datasets,
        **parts.properties,
    )


def _empty_layers(key: tuple[str, str]) -> alt.Chart:
    _, description = key
    return (
        alt.Chart(alt.NamedData("message"))
        .mark_text(fontSize=LABEL_SIZE + 2, color=INK)
        .encode(text="message:N")
        .properties(description=description)
    )


def _empty(message: str, description: str) -> _Parts:
    """A chart that says there is nothing to draw, for an empty table."""
    return _Parts(
        "empty",
        (message, description),
        _empty_layers,
        message,
        {"message": pd.DataFrame({"message": [message]})},
        {},
    )


# --- CPSU curves -----------------------------------------------------------------


# The curves as `compare.cpsu_curves` gives them, or as its columns of Python
# values (`compare.curve_columns`).
Curves = pd.DataFrame | Mapping[str, list[Any]]
_CURVE_COLUMNS = ("scenario", "quarter", "t", "supported_users", "monthly_opex", "cpsu")
_CURVE_NUMBERS = ("supported_users", "monthly_opex", "cpsu")


def _curve_lists(curves: Curves) -> dict[str, list[Any]]:
    """The curves' columns as lists of Python values."""
    if isinstance(curves, pd.DataFrame):
        return {column: curves[column].tolist() for column in _CURVE_COLUMNS}
    return {column: list(curves[column]) for column in _CURVE_COLUMNS}


def _quarters(curves: Mapping[str, list[Any]]) -> list[str]:
    """The quarters in the order of t (a stable sort, as pandas sorts)."""
    pairs = zip(curves["t"], curves["quarter"], strict=True)
    ordered = sorted(pairs, key=lambda pair: pair[0])
    return list(dict.fromkeys(quarter for _, quarter in ordered))


def _by_scenario(
    curves: Mapping[str, list[Any]],
) -> dict[str, list[tuple[Any, str, float]]]:
    """Each scenario's (t, quarter, cpsu), in the order of t, scenarios in
    the order they come."""
    rows: dict[str, list[tuple[Any, str, float]]] = {}
    for name, t, quarter, cpsu in zip(
        curves["scenario"], curves["t"], curves["quarter"], curves["cpsu"], strict=True
    ):
        rows.setdefault(name, []).append((t, quarter, cpsu))
    for own in rows.values():
        own.sort(key=lambda row: row[0])
    return rows


def curves_title(curves: Curves) -> alt.TitleParams:
    """Where the scenarios end against the first (`_curves_title`)."""
    return alt.TitleParams(**_curves_title(_curve_lists(curves)))


def _curves_title(curves: Mapping[str, list[Any]]) -> dict[str, str]:
    """Where the scenarios end against the first, at the last quarter they share.

    One scenario is titled by its own change; with more, the title names the
    scenario that ends furthest from the first, and the subtitle gives every
    scenario's CPSU in that quarter.
    """
    names = list(dict.fromkeys(curves["scenario"]))
    by_scenario = _by_scenario(curves)
    if len(names) == 1:
        own = by_scenario[names[0]]
        title = cpsu_title_of(
            [cpsu for _, _, cpsu in own], [quarter for _, quarter, _ in own]
        )
        return {"text": f"{names[0]}: {title['text']}", "subtitle": title["subtitle"]}

    # The last quarter every scenario reaches, and each one's CPSU there.
    last_t = int(min(own[-1][0] for own in by_scenario.values()))
    at_end: dict[str, float] = {}
    quarter = ""
    for name, t, at, cpsu in zip(
        curves["scenario"], curves["t"], curves["quarter"], curves["cpsu"], strict=True
    ):
        if t == last_t:
            quarter = quarter or str(at)
            at_end[name] = cpsu
    first = names[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = {
            name: float(np.float64(at_end[name]) / at_end[first] - 1)
            for name in names[1:]
        }
    furthest = max(shares, key=lambda name: abs(shares[name]))
    share = shares[furthest]
    if abs(share) < _LEVEL:
        text = f"{furthest} ends level with {first} by {quarter}"
    else:
        side = "below" if share < 0 else "above"
        text = f"{furthest} ends {percent(abs(share))} {side} {first} by {quarter}"
    ends = ", ".join(f"{name} {money(at_end[name])}" for name in names)
    return {"text": text, "subtitle": f"CPSU a month in {quarter}: {ends}"}


def _band_data(bands: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    columns = ["quarter", "t", "p10", "p50", "p90"]
    data = {
        column: np.concatenate([band[column].to_numpy() for band in bands.values()])
        for column in columns
    }
    data["scenario"] = np.repeat(
        np.array(list(bands), dtype=object), [len(band) for band in bands.values()]
    )
    return pd.DataFrame(data)


def _band_layers(names: Sequence[str], x: alt.X) -> list[alt.Chart]:
    """P10 to P90 as a shaded area, and the P50 as a dashed line, per scenario."""
    tooltip = [
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("quarter:O", title="Quarter"),
        alt.Tooltip("p10:Q", title="P10", format=MONEY_TOOLTIP),
        alt.Tooltip("p50:Q", title="P50", format=MONEY_TOOLTIP),
        alt.Tooltip("p90:Q", title="P90", format=MONEY_TOOLTIP),
    ]
    base = alt.Chart(alt.NamedData("bands")).encode(
        x=x, color=scenario_colour(names), tooltip=tooltip
    )
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


_HIRE_COLUMNS = ["scenario", "quarter", "t", "label", "users_above", "row"]
# Agents named in one label on the chart; more are counted ("and 12 more"),
# as a label of dozens of names cannot be read.
_HIRES_NAMED = 3


# What `triggers` may give for a scenario: hire_triggers' table, or its arrays.
Triggers = pd.DataFrame | HireTriggerArrays
# What `guardrail_marks` may give for a scenario: guardrails' table, or its arrays.
Marks = pd.DataFrame | GuardrailArrays
_TIER_NAMES = [tier.value for tier in TIERS]


def _hires_of_table(
    table: pd.DataFrame,
) -> list[tuple[int, str, list[tuple[Any, Any, float]], int]]:
    """The agents a hire_triggers table reaches, by quarter in order: t,
    quarter, the first `_HIRES_NAMED` (tier, agent, users_above) and how many
    there are in all."""
    hires: dict[tuple[int, str], list[tuple[Any, Any, float]]] = {}
    for reached, t, quarter, tier, agent, users in zip(
        *(
            table[column].tolist()
            for column in ("reached", "t", "quarter", "tier", "agent", "users_above")
        ),
        strict=True,
    ):
        # Only the agents reached within the horizon are labelled.
        if reached:
            hires.setdefault((int(t), str(quarter)), []).append((tier, agent, users))
    return [
        (t, quarter, hired[:_HIRES_NAMED], len(hired))
        for (t, quarter), hired in sorted(hires.items())
    ]


def _hires_of_arrays(
    arrays: HireTriggerArrays,
) -> list[tuple[int, str, list[tuple[Any, Any, float]], int]]:
    """`_hires_of_table` of the table the arrays make, read from the arrays:
    only the reached agents, grouped by quarter in numpy."""
    rows = np.flatnonzero(arrays.reached)
    if not rows.size:
        return []
    # The reached rows by quarter, each quarter's in the table's order.
    rows = rows[np.argsort(arrays.t[rows], kind="stable")]
    ts = arrays.t[rows]
    starts = np.flatnonzero(np.concatenate([[True], ts[1:] != ts[:-1]]))
    counts = np.diff(np.append(starts, ts.size))
    named = np.arange(ts.size) - np.repeat(starts, counts) < _HIRES_NAMED
    shown = rows[named]
    tiers = [_TIER_NAMES[row] for row in arrays.tier_row[shown].tolist()]
    agents = arrays.agent[shown].tolist()
    users = arrays.users_above[shown].tolist()
    hired = list(zip(tiers, agents, users, strict=True))
    hires = []
    at = 0
    for t, count in zip(ts[starts].tolist(), counts.tolist(), strict=True):
        take = min(count, _HIRES_NAMED)
        hires.append((t, str(arrays.labels[t]), hired[at : at + take], count))
        at += take
    return hires


def _hire_rows(triggers: Mapping[str, Triggers]) -> list[tuple[Any, ...]]:
    """`hire_labels`'s rows, as tuples of its columns."""
    rows = []
    rows_at: dict[int, int] = {}
    for name, table in triggers.items():
        hires = (
            _hires_of_arrays(table)
            if isinstance(table, HireTriggerArrays)
            else _hires_of_table(table)
        )
        for t, quarter, shown, count in hires:
            row = rows_at.get(t, 0)
            rows_at[t] = row + 1
            more = count - _HIRES_NAMED
            rest = f" and {more:,} more" if more > 0 else ""
            rows.append(
                (
                    name,
                    quarter,
                    t,
                    ", ".join(f"{tier} agent {agent}" for tier, agent, _ in shown)
                    + rest,
                    ", ".join(f"{users:,.0f}" for _, _, users in shown) + rest,
                    row,
                )
            )
    return rows


def hire_labels(triggers: Mapping[str, Triggers]) -> pd.DataFrame:
    """The agents each scenario first needs within its horizon (`triggers`:
    each scenario's hire_triggers table or hire_trigger_arrays), one row per
    scenario and quarter: scenario, quarter, t, label ("Tier 1 agent 4", and
    more joined by commas when several tiers hire in that quarter, up to three,
    then "and 5 more") and row
    (0 for the first scenario hiring in that quarter, 1 for the next...)."""
    return pd.DataFrame(_hire_rows(triggers), columns=_HIRE_COLUMNS)


def hire_records(triggers: Mapping[str, Triggers]) -> list[dict[str, Any]]:
    """`records(hire_labels(triggers))`, without the table between."""
    return [dict(zip(_HIRE_COLUMNS, row, strict=True)) for row in _hire_rows(triggers)]


def _hire_layers(rows: int, names: Sequence[str], x: alt.X) -> list[alt.Chart]:
    """A dashed rule where a scenario needs its next agent, labelled along it:
    the rules read the dataset "hires" (`hire_labels`), the labels of each
    row "hire_row_0", "hire_row_1"... (its rows of the same table)."""
    tooltip = [
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("quarter:O", title="Quarter"),
        alt.Tooltip("label:N", title="Next agent needed"),
        alt.Tooltip("users_above:N", title="Above supported users"),
    ]
    hire_rules = (
        alt.Chart(alt.NamedData("hires"), name="hire_rules")
        .mark_rule(strokeDash=[6, 4], strokeWidth=1.5, opacity=0.8)
        .encode(x=x, color=scenario_colour(names), tooltip=tooltip)
    )
    # One text layer per row, so that two scenarios hiring in the same
    # quarter sit side by side along the rule instead of on top of each other.
    labels = [
        alt.Chart(alt.NamedData(f"hire_row_{row}"), name=f"hire_labels_{row}")
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
        for row in range(rows)
    ]
    return [hire_rules, *labels]


def _reason(
    over: bool, tiers: str, worst: float, resolution: bool, flat: bool, paced: float
) -> str:
    """Why a quarter is marked, in words ("" if it is not)."""
    said = []
    if over:
        said.append(f"Agents over capacity: {tiers} (highest {percent(worst, 0)} busy)")
    if resolution:
        said.append("Resolution rate below target")
    if flat:
        said.append(
            "CPSU fell only because staff stayed flat (with staff keeping "
            f"pace it would be {money(paced)})"
        )
    return "; ".join(said)


def _reasons(table: pd.DataFrame) -> list[str]:
    utilisation = [
        table[c].tolist() for c in table.columns if c.startswith("utilisation_")
    ]
    reasons = []
    for index, (over, tiers, resolution, flat, paced) in enumerate(
        zip(
            table["over_capacity"].tolist(),
            table["tiers_over"].tolist(),
            table["resolution_below_target"].tolist(),
            table["flat_staff_fall"].tolist(),
            table["cpsu_if_staff_kept_pace"].tolist(),
            strict=True,
        )
    ):
        worst = float("nan")
        if over:
            worst = max(
                (column[index] for column in utilisation if pd.notna(column[index])),
                default=float("nan"),
            )
        reasons.append(_reason(over, tiers, worst, resolution, flat, paced))
    return reasons


def _marked_reasons(marks: GuardrailArrays) -> tuple[list[int], list[str]]:
    """The quarters the arrays mark, and why: `_reasons` of their table at the
    marked quarters, read from the arrays."""
    marked = np.flatnonzero(marks.flagged).tolist()
    over = marks.over.any(axis=0)
    reasons = []
    for t in marked:
        worst = float("nan")
        if over[t]:
            worst = max(
                (u for u in marks.utilisation[:, t].tolist() if pd.notna(u)),
                default=float("nan"),
            )
        reasons.append(
            _reason(
                bool(over[t]),
                marks.tiers_over(t),
                worst,
                marks.resolution_below_target,
                bool(marks.flat_staff_fall[t]),
                float(marks.cpsu_if_staff_kept_pace[t]),
            )
        )
    return marked, reasons


def guardrail_reasons(table: pd.DataFrame) -> pd.Series:
    """Why each quarter of a guardrails table is marked, in words ("" if not)."""
    return pd.Series(_reasons(table), index=table.index, dtype="object")


def guardrail_points(guardrail_marks: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The marked quarters of every scenario: scenario, quarter, t, cpsu, reason."""
    columns = ["scenario", "quarter", "t", "cpsu", "reason"]
    if not guardrail_marks:
        return pd.DataFrame(columns=columns)
    parts: dict[str, list[np.ndarray]] = {column: [] for column in columns}
    for name, table in guardrail_marks.items():
        reasons = np.array(_reasons(table), dtype=object)
        marked = reasons != ""
        parts["scenario"].append(np.full(int(marked.sum()), name, dtype=object))
        for column in ("quarter", "t", "cpsu"):
            parts[column].append(table[column].to_numpy()[marked])
        parts["reason"].append(reasons[marked])
    # Each column keeps the type it has in the tables, the names the type
    # pandas gives them, and the reasons are objects, as guardrail_reasons
    # gives them.
    first = next(iter(guardrail_marks.values()))
    types = {column: first[column].dtype for column in ("quarter", "t", "cpsu")}
    types |= {"scenario": pd.Series(list(guardrail_marks)).dtype, "reason": object}
    return pd.DataFrame(
        {
            column: pd.Series(np.concatenate(parts[column]), dtype=types[column])
            for column in columns
        }
    )


def guardrail_records(
    guardrail_marks: Mapping[str, Marks],
) -> list[dict[str, Any]]:
    """`records(guardrail_points(guardrail_marks))`, without the table between;
    each scenario's marks a guardrails table or guardrail_arrays."""
    points = []
    for name, table in guardrail_marks.items():
        if isinstance(table, GuardrailArrays):
            marked, reasons = _marked_reasons(table)
            quarters = [table.labels[t] for t in marked]
            cpsus = json_ready(table.cpsu[marked].tolist())
            points += [
                {
                    "scenario": name,
                    "quarter": quarter,
                    "t": t,
                    "cpsu": cpsu,
                    "reason": reason,
                }
                for quarter, t, cpsu, reason in zip(
                    quarters, marked, cpsus, reasons, strict=True
                )
            ]
            continue
        reasons = _reasons(table)
        if not any(reasons):
            continue
        quarters, ts, cpsus = (
            column_values(table[column]) for column in ("quarter", "t", "cpsu")
        )
        points += [
            {
                "scenario": name,
                "quarter": quarters[index],
                "t": ts[index],
                "cpsu": cpsus[index],
                "reason": reason,
            }
            for index, reason in enumerate(reasons)
            if reason != ""
        ]
    return points


def _guardrail_layer(x: alt.X) -> alt.Chart:
    """A dark ring round each point of a quarter a guardrail marks: the
    dataset "rings" (`guardrail_points`)."""
    return (
        alt.Chart(alt.NamedData("rings"), name="guardrail_rings")
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
    )


def target_finding(curves: Curves, target: float, quarter: str | None = None) -> str:
    """Which scenarios reach a CPSU target, and when (or by the quarter given)."""
    said = []
    for name, own in _by_scenario(_curve_lists(curves)).items():
        if quarter is not None:
            at = [cpsu for _, at_quarter, cpsu in own if at_quarter == quarter]
            if at and at[0] <= target:
                said.append(name)
            continue
        met = [at_quarter for _, at_quarter, cpsu in own if cpsu <= target]
        if met:
            said.append(f"{name} in {met[0]}")
    goal = f"Target {money(target)}" + (f" in {quarter}" if quarter else "")
    if not said:
        return f"{goal}: no scenario reaches it"
    return f"{goal}: reached by {', '.join(said)}"


def _target_layers() -> list[alt.Chart]:
    """A labelled horizontal line: the dataset "target" (cpsu, label)."""
    target_rule = (
        alt.Chart(alt.NamedData("target"), name="target_rule")
        .mark_rule(strokeDash=[8, 4], strokeWidth=2, color=INK)
        .encode(
            y=_cpsu_y("cpsu"),
            tooltip=[alt.Tooltip("cpsu:Q", title="Target", format=MONEY_TOOLTIP)],
        )
    )
    target_label = (
        alt.Chart(alt.NamedData("target"), name="target_label")
        .mark_text(
            align="left", baseline="top", dx=4, dy=4, color=INK, fontSize=LABEL_SIZE
        )
        .encode(y=_cpsu_y("cpsu"), x=alt.value(0), text="label:N")
    )
    return [target_rule, target_label]


def _cpsu_lines(names: Sequence[str], x: alt.X) -> alt.Chart:
    """A line of CPSU a scenario: the dataset "curves"."""
    return (
        alt.Chart(alt.NamedData("curves"), name="cpsu_lines")
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


class _CurvesKey(NamedTuple):
    """What shapes the curves' layers: the scenarios (their colours), the
    quarters (the x axis) and which overlays there are."""

    names: tuple[str, ...]
    quarters: tuple[str, ...]
    band: bool
    hire_rows: int
    rings: bool
    target: bool


def _curves_layers(key: _CurvesKey) -> alt.LayerChart:
    names = list(key.names)
    x = quarter_axis(list(key.quarters))
    layers: list[alt.Chart] = []
    if key.band:
        layers += _band_layers(names, x)
    if key.hire_rows:
        layers += _hire_layers(key.hire_rows, names, x)
    layers.append(_cpsu_lines(names, x))
    if key.rings:
        layers.append(_guardrail_layer(x))
    if key.target:
        layers += _target_layers()
    return alt.layer(*layers)


def _curves_parts(
    given: Curves,
    bands: Mapping[str, pd.DataFrame] | None,
    triggers: Mapping[str, Triggers] | None,
    guardrail_marks: Mapping[str, Marks] | None,
    target: float | CpsuTarget | None,
) -> _Parts:
    description_parts = ["Line chart of CPSU a month by quarter, one line a scenario"]
    curves = _curve_lists(given)
    if not curves["scenario"]:
        return _empty(
            "No scenario could be projected.", description_parts[0] + "; no data."
        )
    names = tuple(dict.fromkeys(curves["scenario"]))
    title = _curves_title(curves)
    subtitle = [title["subtitle"]]
    datasets: dict[str, Data] = {}

    if bands:
        datasets["bands"] = _band_data(bands)
        subtitle.append(
            f"Shaded: P10 to P90 of {', '.join(bands)} over the assumption "
            "ranges; dashed: P50"
        )
        description_parts.append("a shaded P10 to P90 band with a dashed P50 line")
    hire_rows = 0
    if triggers:
        hires = hire_records(triggers)
        if hires:
            hire_rows = max(hire["row"] for hire in hires) + 1
            datasets["hires"] = hires
            for row in range(hire_rows):
                datasets[f"hire_row_{row}"] = [
                    hire for hire in hires if hire["row"] == row
                ]
            subtitle.append("Dashed rules: the quarter a scenario needs its next agent")
            description_parts.append("vertical rules where a next agent is needed")
    datasets["curves"] = rows_of(
        {
            column: json_ready(values) if column in _CURVE_NUMBERS else values
            for column, values in curves.items()
        }
    )
    rings = False
    if guardrail_marks:
        points = guardrail_records(guardrail_marks)
        if points:
            rings = True
            datasets["rings"] = [
                {**point, "mark": "Guardrail warning"} for point in points
            ]
            description_parts.append("rings on quarters a guardrail warns about")
    if target is not None:
        if isinstance(target, CpsuTarget):
            by_t = dict(zip(curves["t"], curves["quarter"], strict=True))
            quarter = by_t.get(target.quarter)
            value = target.cpsu
        else:
            quarter, value = None, float(target)
        label = f"Target {money(value)}" + (f" in {quarter}" if quarter else "")
        datasets["target"] = pd.DataFrame({"cpsu": [value], "label": [label]})
        subtitle.append(target_finding(curves, value, quarter))
        description_parts.append(f"a horizontal line at the target of {money(value)}")

    key = _CurvesKey(
        names=names,
        quarters=tuple(_quarters(curves)),
        band=bool(bands),
        hire_rows=hire_rows,
        rings=rings,
        target=target is not None,
    )
    return _Parts(
        "curves",
        key,
        _curves_layers,
        {"text": title["text"], "subtitle": subtitle},
        datasets,
        {"description": ", ".join(description_parts) + "."},
    )


def scenario_curves_chart(
    curves: Curves,
    bands: Mapping[str, pd.DataFrame] | None = None,
    triggers: Mapping[str, Triggers] | None = None,
    guardrail_marks: Mapping[str, Marks] | None = None,
    target: float | CpsuTarget | None = None,
) -> alt.LayerChart | alt.Chart:
    """CPSU by quarter of each scenario, overlaid, with what the page asks to mark.

    `curves` is compare.cpsu_curves (or its columns, compare.curve_columns).
    The optional overlays are keyed by
    scenario name: `bands` the sensitivity.monte_carlo tables (a P10 to P90
    area and a dashed P50), `triggers` the sensitivity.hire_triggers tables
    (a rule where the scenario first needs an agent, labelled "Tier 1 agent
    4"), `guardrail_marks` the sensitivity.guardrails tables (a ring on each
    quarter over capacity, below the resolution target, or falling only
    because staff stayed flat). In place of the tables of `triggers` and
    `guardrail_marks`, sensitivity.hire_trigger_arrays and
    sensitivity.guardrail_arrays draw the same, without the tables. `target`
    draws a labelled horizontal line: a CPSU, or a CpsuTarget whose quarter
    the label names.
    """
    return _chart(_curves_parts(curves, bands, triggers, guardrail_marks, target))


def scenario_curves_spec(
    curves: Curves,
    bands: Mapping[str, pd.DataFrame] | None = None,
    triggers: Mapping[str, Triggers] | None = None,
    guardrail_marks: Mapping[str, Marks] | None = None,
    target: float | CpsuTarget | None = None,
) -> dict[str, Any]:
    """`scenario_curves_chart`'s Vega-Lite spec, its layers built once for
    each set of scenarios, quarters and overlays drawn."""
    return _spec(_curves_parts(curves, bands, triggers, guardrail_marks, target))


# --- tornado -----------------------------------------------------------------------

LOW_END = "Assumption at its low"
HIGH_END = "Assumption at its high"


def tornado_title(tornado_table: pd.DataFrame) -> alt.TitleParams:
    """The assumption that swings CPSU most, and how far."""
    return alt.TitleParams(**_tornado_title(tornado_table))


def _tornado_title(tornado_table: pd.DataFrame) -> dict[str, str]:
    base = float(tornado_table["cpsu"].iloc[0])
    subtitle = (
        "CPSU a month at the horizon with each assumption at the low and the "
        f"high of its range; the scenario's is {money(base)}"
    )
    top = tornado_table.sort_values("swing", ascending=False, kind="stable").iloc[0]
    if top["swing"] < 0.005:
        return {
            "text": f"No assumption in its range moves CPSU from {money(base)}",
            "subtitle": subtitle,
        }
    low, high = sorted((top["cpsu_low"], top["cpsu_high"]))
    return {
        "text": f"{top['label']} moves CPSU most: {money(low)} to {money(high)}",
        "subtitle": subtitle,
    }


def tornado_bars(tornado_table: pd.DataFrame) -> pd.DataFrame:
    """The tornado's bars, long: two a row (the low end, then the high), widest
    swing first: label, end, at (the assumption's value there), cpsu (the
    scenario's), cpsu_end, change, swing, value_label and side (above or below
    the scenario's CPSU)."""
    ordered = tornado_table.sort_values("swing", ascending=False, kind="stable")
    rows = []
    for label, low, high, cpsu, cpsu_low, cpsu_high, swing in zip(
        *(
            ordered[column].tolist()
            for column in (
                "label",
                "low",
                "high",
                "cpsu",
                "cpsu_low",
                "cpsu_high",
                "swing",
            )
        ),
        strict=True,
    ):
        for end, at, cpsu_end in (
            (LOW_END, low, cpsu_low),
            (HIGH_END, high, cpsu_high),
        ):
            change = float(cpsu_end - cpsu)
            rows.append(
                {
                    "label": label,
                    "end": end,
                    "at": float(at),
                    "cpsu": float(cpsu),
                    "cpsu_end": float(cpsu_end),
                    "change": change,
                    "swing": float(swing),
                    "value_label": money(cpsu_end),
                    "side": "above" if change >= 0 else "below",
                }
            )
    return pd.DataFrame(rows)


_TORNADO_DESCRIPTION = (
    "Tornado chart: for each assumption, bars from the scenario's CPSU to the "
    "CPSU with the assumption at the low and at the high of its range, "
    "sorted by swing."
)


def _tornado_layers(key: tuple[()]) -> alt.LayerChart:
    # The assumptions run down by their rank in the data (widest swing
    # first), so the layers are the same whatever the order.
    y = alt.Y(
        "label:N",
        sort=alt.EncodingSortField("rank", op="min"),
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
        alt.Chart(alt.NamedData("bars"), name="tornado_bars")
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
        alt.Chart(alt.NamedData(f"labels_{side}"), name=f"value_labels_{side}")
        .mark_text(
            align=align, baseline="middle", dx=dx, fontSize=LABEL_SIZE - 1, color=INK
        )
        .encode(y=y, yOffset=y_offset, x=x, text="value_label:N", tooltip=tooltip)
        for side, align, dx in (("above", "left", 4), ("below", "right", -4))
    ]
    no_effect = (
        alt.Chart(alt.NamedData("still"), name="no_effect")
        .mark_text(align="left", dx=6, fontSize=LABEL_SIZE - 1, color=INK)
        .encode(
            y=y,
            x=x,
            text="value_label:N",
            tooltip=[alt.Tooltip("label:N", title="Assumption")],
        )
    )
    base_rule = (
        alt.Chart(alt.NamedData("centre"), name="scenario_rule")
        .mark_rule(color=INK, strokeWidth=1.5)
        .encode(x=x, tooltip=[alt.Tooltip("cpsu_end:Q", title="Scenario's CPSU")])
    )
    return alt.layer(bars, *value_labels, no_effect, base_rule).properties(
        description=_TORNADO_DESCRIPTION
    )


def _tornado_parts(tornado_table: pd.DataFrame) -> _Parts:
    if tornado_table.empty:
        return _empty("No assumptions to vary.", _TORNADO_DESCRIPTION)
    data = tornado_bars(tornado_table)
    labels = data["label"].tolist()
    rank = {label: index for index, label in enumerate(dict.fromkeys(labels))}
    data["rank"] = [rank[label] for label in labels]
    bars = records(data)
    # The rows each layer draws, picked from the bars' own (NaN never moves).
    moved = (np.abs(data["change"].to_numpy()) >= 0.005).tolist()
    level = (data["swing"].to_numpy() < 0.005).tolist()
    sides = data["side"].tolist()
    still: dict[str, dict[str, Any]] = {}
    for row, flat in zip(bars, level, strict=True):
        if flat and row["label"] not in still:
            still[row["label"]] = {**row, "value_label": "no change in its range"}
    base = float(data["cpsu"].iloc[0])
    datasets: dict[str, Data] = {
        "bars": bars,
        **{
            f"labels_{side}": [
                row
                for row, shown, at in zip(bars, moved, sides, strict=True)
                if shown and at == side
            ]
            for side in ("above", "below")
        },
        "still": list(still.values()),
        "centre": pd.DataFrame(
            {"cpsu_end": [base], "label": [f"Scenario {money(base)}"]}
        ),
    }
    return _Parts(
        "tornado", (), _tornado_layers, _tornado_title(tornado_table), datasets, {}
    )


def tornado_chart(tornado_table: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """Horizontal bars of CPSU at the horizon for each assumption's low and high,
    widest swing at the top, drawn out from the scenario's own CPSU.

    `tornado_table` is sensitivity.tornado.
    """
    return _chart(_tornado_parts(tornado_table))


def tornado_spec(tornado_table: pd.DataFrame) -> dict[str, Any]:
    """`tornado_chart`'s Vega-Lite spec, its layers built once."""
    return _spec(_tornado_parts(tornado_table))


# --- CPSU bridge -------------------------------------------------------------------

START_END = "Baseline and horizon"
LOWERS = "Lowers CPSU"
RAISES = "Raises CPSU"
NO_CHANGE = "No change"


def bridge_floor(levels: Sequence[float]) -> float:
    """Where the waterfall's axis starts: zero, unless the CPSU levels it
    walks through lie so far above zero that bars from zero would leave the
    steps a sliver; then a round number below them by three quarters of their
    range, so that the steps fill the chart and the baseline and horizon bars
    still show as bars (their values are written beside them)."""
    finite = [level for level in levels if math.isfinite(level)]
    if not finite:
        return 0.0
    low, high = min(finite), max(finite)
    if low <= 0 or high <= low:
        return 0.0
    wanted = low - 0.75 * (high - low)
    if wanted <= 0.4 * low:
        return 0.0
    unit = 10.0 ** math.floor(math.log10(high - low))
    return float(math.floor(wanted / unit) * unit)


def bridge_bars(
    bridge: pd.DataFrame, start_label: str = "Baseline", end_label: str = "Horizon"
) -> pd.DataFrame:
    """The waterfall's bars: the baseline's CPSU, each mechanism's step from
    where the one before ended, and the horizon's CPSU. Columns: step, order,
    kind, bar_from, bar_to, change (the mechanism's; the CPSU itself for the
    first and last bar) and value_label. The first and last bars start where
    the axis does (`bridge_floor`)."""
    start = float(bridge["cpsu_from"].iloc[0])
    end = float(bridge["cpsu_to"].iloc[-1])
    floor = bridge_floor(
        [start, end, *bridge["cpsu_from"].tolist(), *bridge["cpsu_to"].tolist()]
    )
    rows = [
        {
            "step": f"{start_label} CPSU",
            "kind": START_END,
            "bar_from": floor,
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
            "bar_from": floor,
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
    return alt.TitleParams(**_bridge_title(bridge, start_label, end_label))


def _bridge_title(
    bridge: pd.DataFrame, start_label: str = "Baseline", end_label: str = "Horizon"
) -> dict[str, str]:
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
    return {"text": text, "subtitle": subtitle}


_BRIDGE_DESCRIPTION = (
    "Waterfall chart: the baseline CPSU, the change each mechanism makes, "
    "and the CPSU at the horizon."
)


def _bridge_layers(steps: tuple[str, ...]) -> alt.LayerChart:
    y = alt.Y(
        "step:N",
        sort=list(steps),
        title=None,
        axis=alt.Axis(labelLimit=280, labelFontSize=LABEL_SIZE),
    )
    x = alt.X(
        "bar_from:Q",
        title="CPSU a month",
        axis=alt.Axis(format=MONEY_AXIS, tickCount=8),
        scale=alt.Scale(zero=False),
    )
    tooltip = [
        alt.Tooltip("step:N", title="Step"),
        alt.Tooltip("change:Q", title="Change or CPSU", format="$,.2f"),
        alt.Tooltip("bar_from:Q", title="From", format=MONEY_TOOLTIP),
        alt.Tooltip("bar_to:Q", title="To", format=MONEY_TOOLTIP),
    ]
    bridge_bars_layer = (
        alt.Chart(alt.NamedData("bridge"), name="bridge_bars")
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
        alt.Chart(alt.NamedData("bridge"), name="value_labels")
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
        description=_BRIDGE_DESCRIPTION
    )


def _bridge_parts(bridge: pd.DataFrame, start_label: str, end_label: str) -> _Parts:
    if bridge.empty:
        return _empty("No change of CPSU to explain.", _BRIDGE_DESCRIPTION)
    data = bridge_bars(bridge, start_label, end_label)
    return _Parts(
        "bridge",
        tuple(data["step"]),
        _bridge_layers,
        _bridge_title(bridge, start_label, end_label),
        {"bridge": data},
        {},
    )


def bridge_chart(
    bridge: pd.DataFrame, start_label: str = "Baseline", end_label: str = "Horizon"
) -> alt.LayerChart | alt.Chart:
    """A waterfall from the baseline's CPSU to the horizon's, a bar per mechanism.

    `bridge` is sensitivity.cpsu_bridge. Mechanisms that lower CPSU and those
    that raise it take the two colours of a colour-blind-safe pair; the first
    and last bars, CPSU itself, are grey. `start_label` and `end_label` name
    the two ends, for example by their quarters.
    """
    return _chart(_bridge_parts(bridge, start_label, end_label))


def bridge_spec(
    bridge: pd.DataFrame, start_label: str = "Baseline", end_label: str = "Horizon"
) -> dict[str, Any]:
    """`bridge_chart`'s Vega-Lite spec, its layers built once for each list of
    steps (the mechanisms and the two ends' labels)."""
    return _spec(_bridge_parts(bridge, start_label, end_label))


# --- funding ask -------------------------------------------------------------------


def funding_bars(funding: pd.DataFrame) -> pd.DataFrame:
    """compare.funding_table made long, without its Total row: fiscal_year,
    scenario, funding_ask, value_label, side (up or down from zero)."""
    years = funding.drop(index="Total", errors="ignore")
    # The columns one after another, as DataFrame.melt lays them, each keeping
    # the type of the index or columns it comes from.
    count, names = len(years.index), years.columns
    asks = years.to_numpy(dtype=float).T.ravel()
    long = pd.DataFrame(
        {
            "fiscal_year": pd.Series(
                np.tile(years.index.to_numpy(), len(names)), dtype=years.index.dtype
            ),
            "scenario": pd.Series(
                np.repeat(names.to_numpy(), count), dtype=names.dtype
            ),
            "funding_ask": asks,
            "value_label": [money_short(ask) for ask in asks.tolist()],
            "side": ["down" if ask < 0 else "up" for ask in asks.tolist()],
        }
    )
    return long


def funding_records(funding: pd.DataFrame) -> list[dict[str, Any]]:
    """`records(funding_bars(funding))`, without the table between."""
    labels = funding.index.tolist()
    kept = [row for row, label in enumerate(labels) if label != "Total"]
    asks = funding.to_numpy(dtype=float)[kept]
    years = [labels[row] for row in kept]
    bars = []
    for column, name in enumerate(funding.columns.tolist()):
        own = asks[:, column].tolist()
        for year, ask, ready in zip(years, own, json_ready(own), strict=True):
            bars.append(
                {
                    "fiscal_year": year,
                    "scenario": name,
                    "funding_ask": ready,
                    "value_label": money_short(ask),
                    "side": "down" if ask < 0 else "up",
                }
            )
    return bars


def funding_title(funding: pd.DataFrame) -> alt.TitleParams:
    """The scenario that asks most over the horizon, against the first."""
    return alt.TitleParams(**_funding_title(funding))


def _funding_title(funding: pd.DataFrame) -> dict[str, Any]:
    labels = funding.index.tolist()
    kept = [row for row, label in enumerate(labels) if label != "Total"]
    years = [labels[row] for row in kept]
    span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    # Each scenario's asks added up as pandas adds a column: in the order of
    # the years, an undefined ask as nothing.
    asks = np.ascontiguousarray(funding.to_numpy(dtype=float)[kept].T)
    sums = np.where(np.isnan(asks), 0.0, asks).sum(axis=1)
    names = funding.columns.tolist()
    totals = dict(zip(names, sums.tolist(), strict=True))
    top = names[int(np.argmax(sums))]
    if totals[top] <= 0:
        top = names[int(np.argmin(sums))]
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
    return {"text": text, "subtitle": subtitle}


_FUNDING_DESCRIPTION = (
    "Grouped bar chart of the funding ask by fiscal year, one bar a scenario."
)


def _funding_layers(key: tuple[tuple[str, ...], tuple[str, ...]]) -> alt.LayerChart:
    names, years = key
    x = alt.X(
        "fiscal_year:N", sort=list(years), title=None, axis=alt.Axis(labelAngle=0)
    )
    x_offset = alt.XOffset("scenario:N", sort=list(names))
    y = alt.Y("funding_ask:Q", title="Funding ask", axis=alt.Axis(format=MONEY_AXIS))
    tooltip = [
        alt.Tooltip("fiscal_year:N", title="Fiscal year"),
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("funding_ask:Q", title="Funding ask", format=MONEY_TOOLTIP),
    ]
    funding_bars_layer = (
        alt.Chart(alt.NamedData("funding"), name="funding_bars")
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
        alt.Chart(alt.NamedData(f"labels_{side}"), name=f"value_labels_{side}")
        .mark_text(baseline=baseline, dy=dy, fontSize=LABEL_SIZE - 1, color=INK)
        .encode(x=x, xOffset=x_offset, y=y, text="value_label:N", tooltip=tooltip)
        for side, baseline, dy in (("up", "bottom", -3), ("down", "top", 3))
    ]
    zero_rule = (
        alt.Chart(alt.NamedData("zero"), name="zero_rule")
        .mark_rule(color=INK)
        .encode(y=y)
    )
    return alt.layer(funding_bars_layer, *value_labels, zero_rule).properties(
        description=_FUNDING_DESCRIPTION
    )


def _funding_parts(funding_table: pd.DataFrame) -> _Parts:
    if funding_table.empty or all(label == "Total" for label in funding_table.index):
        return _empty("No funding ask to show.", _FUNDING_DESCRIPTION)
    bars = funding_records(funding_table)
    names = tuple(funding_table.columns)
    years = tuple(dict.fromkeys(bar["fiscal_year"] for bar in bars))
    datasets: dict[str, Data] = {
        "funding": bars,
        "labels_up": [bar for bar in bars if bar["side"] == "up"],
        "labels_down": [bar for bar in bars if bar["side"] == "down"],
        "zero": [{"funding_ask": 0.0}],
    }
    return _Parts(
        "funding",
        (names, years),
        _funding_layers,
        _funding_title(funding_table),
        datasets,
        {},
    )


def funding_chart(funding_table: pd.DataFrame) -> alt.LayerChart | alt.Chart:
    """The funding ask by fiscal year, a bar per scenario side by side.

    `funding_table` is compare.funding_table (a row per fiscal year and a
    Total row, a column per scenario); the Total row is left out of the bars
    and stated in the title.
    """
    return _chart(_funding_parts(funding_table))


def funding_spec(funding_table: pd.DataFrame) -> dict[str, Any]:
    """`funding_chart`'s Vega-Lite spec, its layers built once for each set of
    scenarios and fiscal years."""
    return _spec(_funding_parts(funding_table))
