"""Charts of the Compare page: scenarios overlaid, what moves CPSU, and the ask.

Each builder takes the table a domain function returns (cpsu/compare.py and
cpsu/sensitivity.py) and gives back an Altair chart: CPSU curves of the
scenarios with their uncertainty, hire triggers, guardrails and a target;
the tornado of assumptions; the bridge from the baseline's CPSU to the
horizon's by mechanism; and the funding ask by fiscal year. As on every
chart of the product, the title states the finding in the data's own
numbers, money axes carry a currency format whose ticks never repeat a
label (a CPSU axis is chosen from its values and never runs below $0
unless a value does), and colours come from the colour-blind-safe palette
of cpsu/charts.py (dashes too, from the fifth scenario on). A scenario
keeps its colour on every chart of the page, in the order the scenarios
are given, the first being the one the others are measured against; one
scenario may be highlighted, the others muted. Long titles and subtitles
are wrapped to the chart's width.

Scenarios of different horizons are set side by side only over the
quarters they all cover: the funding chart draws no bar for a fiscal year
past a scenario's horizon, marks the years a horizon covers in part, and
titles the largest ask over the shared span.

The page redraws these charts at each slider change, so each comes in two
forms, as those of cpsu/charts.py do: `*_chart` gives the Altair chart (for
tests and images), and `*_spec` the same Vega-Lite spec quickly, its layers
built and validated once for each shape of chart (the scenarios, quarters
or fiscal years, the steps, which overlays are drawn) and only the title
and data computed at each call. Whatever orders the data at each call (the
tornado's rows by swing) travels in the data, not in the layers.
"""

from __future__ import annotations

import json
import math
import textwrap
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
    with_y_axis,
)
from cpsu.compare import MONTHS as MONTHS_A_YEAR
from cpsu.compare import (
    funding_months,
    part_years,
    shared_quarters,
    shared_total_label,
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
# Pixels between the top of the plot and the foot of an upright hire label.
_HIRE_LABEL_RISE = 6
# The height, in pixels, of the band of hire labels above the plot: a longer
# label ends in an ellipsis, whole in its tooltip.
_HIRE_LABEL_LIMIT = 150
# A change of CPSU smaller than this share is said to hold level.
_LEVEL = 0.0005


# The scenarios' colours: Okabe and Ito's palette without its yellow (too
# light on white) and without grey (the colour of what is muted), black in
# its place: seven colours that stay apart for every common kind of colour
# blindness. The theme's first six keep their order, so a scenario keeps the
# colour it has elsewhere.
SCENARIO_PALETTE: tuple[str, ...] = (*PALETTE[:6], "#000000")
# From the fifth scenario on, lines are dashed as well, so that the pairs of
# the palette closest in hue (blue and sky blue, orange and vermillion) and
# any colour used again past seven scenarios still differ.
# Each of the first seven scenarios has a dash of its own as well as a
# colour, so that colour is never the only way to tell two apart.
_SCENARIO_DASHES: tuple[tuple[int, ...], ...] = (
    (),
    (8, 4),
    (2, 3),
    (10, 3, 2, 3),
    (4, 4),
    (14, 4),
    (1, 5),
)


def scenario_scale(names: Sequence[str]) -> alt.Scale:
    """Each scenario's colour, in the order given, the palette repeating past seven."""
    return alt.Scale(
        domain=list(names),
        range=[
            SCENARIO_PALETTE[index % len(SCENARIO_PALETTE)]
            for index in range(len(names))
        ],
    )


def scenario_dash(names: Sequence[str]) -> alt.StrokeDash:
    """Each scenario's line pattern, solid for the first and a dash of its own
    for each of the next six; past seven, where the colours repeat, a dash
    no earlier scenario of the same colour had."""
    dashes = []
    for index in range(len(names)):
        turn = index // len(_SCENARIO_DASHES)
        dashes.append(list(_SCENARIO_DASHES[(index + turn) % len(_SCENARIO_DASHES)]))
    return alt.StrokeDash(
        "scenario:N",
        scale=alt.Scale(domain=list(names), range=dashes),
        sort=list(names),
        legend=alt.Legend(title="Scenario"),
    )


_LEGEND_COLUMNS = 3
_LEGEND_LABEL_LIMIT = 240


def scenario_colour(names: Sequence[str], symbol: str = "stroke") -> alt.Color:
    """Colour by scenario, its legend symbol the same whatever the layer's mark
    (a line unless told), so that layered marks share one legend."""
    return alt.Color(
        "scenario:N",
        scale=scenario_scale(names),
        sort=list(names),
        legend=alt.Legend(
            title="Scenario",
            # Many scenarios (or long names) take rows, not one line wider
            # than the chart.
            columns=_LEGEND_COLUMNS if len(names) > _LEGEND_COLUMNS else len(names),
            labelLimit=_LEGEND_LABEL_LIMIT,
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


# The width, in characters, a subtitle line is wrapped at: a 13-pixel line
# that fits a chart of about 640 pixels (a Compare column, a slide).
SUBTITLE_WIDTH = 90


def wrap_subtitle(text: str, width: int = SUBTITLE_WIDTH) -> list[str]:
    """A subtitle line broken into lines that fit the chart's width, at spaces."""
    return textwrap.wrap(text, width, break_long_words=False) or [text]


# The width, in characters, a title is wrapped at (18-pixel type).
TITLE_WIDTH = 64


def wrap_title(text: str) -> str | list[str]:
    """A title as one line, or as lines that fit the chart's width when long."""
    lines = textwrap.wrap(text, TITLE_WIDTH, break_long_words=False)
    return text if len(lines) <= 1 else lines


def money_axis_format(low: float, high: float) -> str:
    """The money format of an axis spanning low to high: whole dollars, or
    cents when the span is under $2 (whole-dollar labels would repeat)."""
    return "$,.2f" if abs(high - low) < 2 else MONEY_AXIS


def money_axis(axis_format: str, **properties: Any) -> alt.Axis:
    """A money axis in this format (`money_axis_format`) whose ticks never
    come finer than the format shows, so that no two labels read the same."""
    step = 1 if axis_format == MONEY_AXIS else 0.01
    return alt.Axis(format=axis_format, tickMinStep=step, **properties)


class CpsuScale(NamedTuple):
    """A CPSU axis chosen from the values it shows: its domain, ticks and
    label format."""

    low: float
    high: float
    ticks: tuple[float, ...]
    label_format: str


# Ticks a CPSU axis aims at, and the whole steps they are rounded to.
_CPSU_TICKS = 6
_NICE_STEPS = (1.0, 2.0, 5.0, 10.0)


def cpsu_scale(values: Sequence[float]) -> CpsuScale | None:
    """The CPSU axis for these values (None when none is a number): a little
    room either side, never below $0 unless a value is, ticks on round steps
    (about six), and cents in the labels only when the step is under a dollar,
    so that no two labels read the same."""
    finite = [float(v) for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return None
    low, high = min(finite), max(finite)
    span = high - low
    if span < 0.02:
        # A flat line: a band of 2% of its level (at least $1) around it.
        span = max(0.02 * abs(high), 1.0)
        low, high = low - span / 2, high + span / 2
    pad = 0.06 * span
    start = low - pad
    if min(finite) >= 0:
        start = max(start, 0.0)
    end = high + pad
    raw = max((end - start) / _CPSU_TICKS, 0.01)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in _NICE_STEPS if m * magnitude >= raw - 1e-12)
    step = max(round(step, 2), 0.01)
    first = math.floor(start / step + 1e-9)
    last = math.ceil(end / step - 1e-9)
    ticks = tuple(round(index * step, 2) for index in range(first, last + 1))
    label_format = MONEY_AXIS if step >= 1 else "$,.2f"
    return CpsuScale(ticks[0], ticks[-1], ticks, label_format)


def _cpsu_y(field: str, scale: CpsuScale | None = None) -> alt.Y:
    if scale is None:
        return alt.Y(
            f"{field}:Q",
            title=CPSU_AXIS_TITLE,
            axis=alt.Axis(format=MONEY_AXIS, tickMinStep=1),
            scale=alt.Scale(zero=False, padding=20),
        )
    return alt.Y(
        f"{field}:Q",
        title=CPSU_AXIS_TITLE,
        axis=alt.Axis(format=scale.label_format, values=list(scale.ticks)),
        scale=alt.Scale(domain=[scale.low, scale.high], nice=False, zero=False),
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


# The CPSU axis a template of the curves is built with; each call sets its
# own on the copy (`_with_cpsu_axis`), so that a slider's move, which moves
# the axis, does not build the layers again.
_ANY_SCALE = CpsuScale(0.0, 1.0, (0.0, 1.0), MONEY_AXIS)


def _with_cpsu_axis(spec: dict[str, Any], scale: CpsuScale) -> dict[str, Any]:
    """`spec` with `scale` on every layer whose y is the CPSU axis."""
    axis = {"format": scale.label_format, "values": list(scale.ticks)}
    domain = {"domain": [scale.low, scale.high]}
    for index, layer in enumerate(spec["layer"]):
        y = layer.get("encoding", {}).get("y", {})
        if y.get("title") == CPSU_AXIS_TITLE and "domain" in y.get("scale", {}):
            with_y_axis(spec, axis, domain, layer=index)
    return spec


def _spec(parts: _Parts) -> dict[str, Any]:
    key = parts.key
    scale = getattr(key, "scale", None)
    if isinstance(key, _CurvesKey) and scale is not None:
        key = key._replace(scale=_ANY_SCALE)
    spec = cached_spec(
        f"compare.{parts.kind}",
        key,
        parts.layers,
        parts.title,
        parts.datasets,
        **parts.properties,
    )
    if key is not parts.key:
        spec = _with_cpsu_axis(spec, scale)
    return spec


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


def _names_said(names: Sequence[str]) -> str:
    """Names in a sentence: "A", "A and B", "A, B and C"."""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def same_curves(curves: Curves) -> list[list[str]]:
    """The scenarios whose curves are one and the same (the same quarters, and
    CPSU equal to the cent in each), in groups of two or more, in the order
    the scenarios come: drawn, one line hides the others."""
    lists = _curve_lists(curves)
    groups: dict[tuple, list[str]] = {}
    for name, own in _by_scenario(lists).items():
        shape = tuple(
            (quarter, None if cpsu is None else round(float(cpsu), 2))
            for _, quarter, cpsu in own
        )
        groups.setdefault(shape, []).append(name)
    return [names for names in groups.values() if len(names) > 1]


def same_curves_note(curves: Curves) -> str:
    """A sentence naming the scenarios one line draws ("" when none share one)."""
    said = [
        f"{_names_said(names)} have the same curve, drawn as one line"
        for names in same_curves(curves)
    ]
    return "; ".join(said)


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


def _band_layers(
    names: Sequence[str], x: alt.X, scale: CpsuScale | None
) -> list[alt.Chart]:
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
        .encode(y=_cpsu_y("p10", scale), y2=alt.Y2("p90:Q"))
        .properties(name="uncertainty_band")
    )
    band_median = (
        base.mark_line(strokeDash=[2, 3], strokeWidth=2)
        .encode(y=_cpsu_y("p50", scale))
        .properties(name="band_median")
    )
    return [uncertainty_band, band_median]


_HIRE_COLUMNS = ["scenario", "quarter", "t", "label", "users_above", "row", "text"]
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
            label = (
                ", ".join(f"{tier} agent {agent}" for tier, agent, _ in shown) + rest
            )
            rows.append(
                (
                    name,
                    quarter,
                    t,
                    label,
                    ", ".join(f"{users:,.0f}" for _, _, users in shown) + rest,
                    row,
                    # A label names its scenario, so that among the curves its
                    # colour is not the only thing that says whose it is.
                    f"{name}: {label}",
                )
            )
    return rows


def hire_labels(triggers: Mapping[str, Triggers]) -> pd.DataFrame:
    """The agents each scenario first needs within its horizon (`triggers`:
    each scenario's hire_triggers table or hire_trigger_arrays), one row per
    scenario and quarter: scenario, quarter, t, label ("Tier 1 agent 4", and
    more joined by commas when several tiers hire in that quarter, up to three,
    then "and 5 more"), row (0 for the first scenario hiring in that quarter,
    1 for the next...) and text, the label as the chart writes it, after its
    scenario's name ("Base: Tier 1 agent 4")."""
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
    # The labels stand upright in a band above the plot, where no line can
    # run under them, each at the top of its rule; one text layer per row, so
    # that scenarios hiring in the same quarter stand side by side.
    labels = [
        alt.Chart(alt.NamedData(f"hire_row_{row}"), name=f"hire_labels_{row}")
        .mark_text(
            angle=270,
            align="left",
            baseline="middle",
            dx=_HIRE_LABEL_RISE,
            dy=row * _HIRE_LABEL_GAP,
            fontSize=LABEL_SIZE - 1,
            limit=_HIRE_LABEL_LIMIT,
        )
        .encode(
            x=x,
            y=alt.value(0),
            text="text:N",
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


def _guardrail_layer(x: alt.X, scale: CpsuScale | None) -> alt.Chart:
    """A dark ring round each point of a quarter a guardrail marks: the
    dataset "rings" (`guardrail_points`)."""
    return (
        alt.Chart(alt.NamedData("rings"), name="guardrail_rings")
        .mark_point(filled=False, size=260, strokeWidth=2, color=INK)
        .encode(
            x=x,
            y=_cpsu_y("cpsu", scale),
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
    by_scenario = _by_scenario(_curve_lists(curves))
    for name, own in by_scenario.items():
        if quarter is not None:
            at = [cpsu for _, at_quarter, cpsu in own if at_quarter == quarter]
            if at and at[0] <= target:
                said.append(name)
            continue
        met = [at_quarter for _, at_quarter, cpsu in own if cpsu <= target]
        if met:
            said.append(f"{name} in {met[0]}")
    goal = f"Target {money(target)}" + (f" in {quarter}" if quarter else "")
    if not said and len(by_scenario) == 1:
        return f"{goal}: {next(iter(by_scenario))} does not reach it"
    if not said:
        return f"{goal}: no scenario reaches it"
    return f"{goal}: reached by {', '.join(said)}"


def _target_layers(scale: CpsuScale | None, side: str) -> list[alt.Chart]:
    """A labelled horizontal line: the dataset "target" (cpsu, label), the
    label on the `side` of the line ("above" or "below") the curves leave free
    where it is written."""
    target_rule = (
        alt.Chart(alt.NamedData("target"), name="target_rule")
        .mark_rule(strokeDash=[8, 4], strokeWidth=2, color=INK)
        .encode(
            y=_cpsu_y("cpsu", scale),
            tooltip=[alt.Tooltip("cpsu:Q", title="Target", format=MONEY_TOOLTIP)],
        )
    )
    above = side == "above"
    target_label = (
        alt.Chart(alt.NamedData("target"), name="target_label")
        .mark_text(
            align="left",
            baseline="bottom" if above else "top",
            dx=4,
            dy=-4 if above else 4,
            color=INK,
            fontSize=LABEL_SIZE,
        )
        .encode(y=_cpsu_y("cpsu", scale), x=alt.value(0), text="label:N")
    )
    return [target_rule, target_label]


def target_label_side(curves: Curves, target: float) -> str:
    """Where the target's label goes ("above" or "below" its line): the side
    the curves leave free under the label, which is written from the left
    edge over the first quarters; when curves run on both sides, the side
    whose nearest curve is furthest from the target."""
    lists = _curve_lists(curves)
    near = [
        cpsu
        for t, cpsu in zip(lists["t"], lists["cpsu"], strict=True)
        if t <= _TARGET_LABEL_QUARTERS and cpsu is not None and math.isfinite(cpsu)
    ]
    over = [cpsu - target for cpsu in near if cpsu >= target]
    under = [target - cpsu for cpsu in near if cpsu < target]
    if not under:
        return "below"
    if not over:
        return "above"
    return "above" if min(over) > min(under) else "below"


# The quarters the target's label spans from the left edge.
_TARGET_LABEL_QUARTERS = 2


def _line_tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("quarter:O", title="Quarter"),
        alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
        alt.Tooltip("supported_users:Q", title="Supported users", format=",.0f"),
        alt.Tooltip("monthly_opex:Q", title="Monthly run-rate", format="$,.0f"),
    ]


# A highlighted scenario's line, and the others' beside it.
_HIGHLIGHT_WIDTH = 5
_MUTED_WIDTH = 2
_MUTED_OPACITY = 0.35


def _cpsu_lines(
    names: Sequence[str], x: alt.X, scale: CpsuScale | None, highlight: str | None
) -> list[alt.Chart]:
    """A line of CPSU a scenario: the dataset "curves". With a scenario to
    highlight, the others are thin and faint, and it is drawn over them,
    thick and whole."""
    lines = (
        alt.Chart(alt.NamedData("curves"), name="cpsu_lines")
        .mark_line(point=True)
        .encode(
            x=x,
            y=_cpsu_y("cpsu", scale),
            color=scenario_colour(names),
            strokeDash=scenario_dash(names),
            tooltip=_line_tooltip(),
        )
    )
    if highlight is None:
        return [lines]
    chosen = f"datum.scenario === {json.dumps(highlight)}"
    lines = lines.encode(
        opacity=alt.condition(chosen, alt.value(1.0), alt.value(_MUTED_OPACITY)),
        strokeWidth=alt.condition(
            chosen, alt.value(_HIGHLIGHT_WIDTH), alt.value(_MUTED_WIDTH)
        ),
    )
    highlighted = (
        alt.Chart(alt.NamedData("curves"), name="highlighted_line")
        .transform_filter(chosen)
        .mark_line(point=True, strokeWidth=_HIGHLIGHT_WIDTH)
        .encode(
            x=x,
            y=_cpsu_y("cpsu", scale),
            color=scenario_colour(names),
            strokeDash=scenario_dash(names),
            tooltip=_line_tooltip(),
        )
    )
    return [lines, highlighted]


class _CurvesKey(NamedTuple):
    """What shapes the curves' layers: the scenarios (their colours), the
    quarters (the x axis), the CPSU axis, which overlays there are, the side
    of the target's label and the scenario highlighted."""

    names: tuple[str, ...]
    quarters: tuple[str, ...]
    band: bool
    hire_rows: int
    rings: bool
    target: bool
    scale: CpsuScale | None = None
    target_side: str = "below"
    highlight: str | None = None


def _curves_layers(key: _CurvesKey) -> alt.LayerChart:
    names = list(key.names)
    x = quarter_axis(list(key.quarters))
    layers: list[alt.Chart] = []
    if key.band:
        layers += _band_layers(names, x, key.scale)
    if key.hire_rows:
        layers += _hire_layers(key.hire_rows, names, x)
    layers += _cpsu_lines(names, x, key.scale, key.highlight)
    if key.rings:
        layers.append(_guardrail_layer(x, key.scale))
    if key.target:
        layers += _target_layers(key.scale, key.target_side)
    return alt.layer(*layers)


def _curves_parts(
    given: Curves,
    bands: Mapping[str, pd.DataFrame] | None,
    triggers: Mapping[str, Triggers] | None,
    guardrail_marks: Mapping[str, Marks] | None,
    target: float | CpsuTarget | None,
    highlight: str | None = None,
) -> _Parts:
    description_parts = ["Line chart of CPSU a month by quarter, one line a scenario"]
    curves = _curve_lists(given)
    if not curves["scenario"]:
        return _empty(
            "No scenario could be projected.", description_parts[0] + "; no data."
        )
    names = tuple(dict.fromkeys(curves["scenario"]))
    if highlight is not None and highlight not in names:
        highlight = None
    title = _curves_title(curves)
    subtitle = wrap_subtitle(title["subtitle"])
    # A line drawn over another of the same values hides it, yet both stay
    # in the legend: say which share a line.
    same = same_curves_note(curves)
    if same:
        subtitle += wrap_subtitle(same)
        description_parts.append(same)
    datasets: dict[str, Data] = {}
    shown = list(curves["cpsu"])

    if bands:
        datasets["bands"] = _band_data(bands)
        for band in bands.values():
            shown += band["p10"].tolist() + band["p90"].tolist()
        subtitle += wrap_subtitle(
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
            subtitle.append(
                "Dashed rules: the quarter a scenario needs its next agent, "
                "named above the chart"
            )
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
    side = "below"
    if target is not None:
        if isinstance(target, CpsuTarget):
            by_t = dict(zip(curves["t"], curves["quarter"], strict=True))
            quarter = by_t.get(target.quarter)
            value = target.cpsu
        else:
            quarter, value = None, float(target)
        label = f"Target {money(value)}" + (f" in {quarter}" if quarter else "")
        datasets["target"] = pd.DataFrame({"cpsu": [value], "label": [label]})
        shown.append(value)
        side = target_label_side(curves, value)
        subtitle += wrap_subtitle(target_finding(curves, value, quarter))
        description_parts.append(f"a horizontal line at the target of {money(value)}")
    if highlight is not None:
        # The thick line says it on the chart; the description says it to a
        # screen reader.
        description_parts.append(f"the line of {highlight} highlighted")

    key = _CurvesKey(
        names=names,
        quarters=tuple(_quarters(curves)),
        band=bool(bands),
        hire_rows=hire_rows,
        rings=rings,
        target=target is not None,
        scale=cpsu_scale(shown),
        target_side=side,
        highlight=highlight,
    )
    return _Parts(
        "curves",
        key,
        _curves_layers,
        {"text": wrap_title(title["text"]), "subtitle": subtitle},
        datasets,
        {"description": ", ".join(description_parts) + "."},
    )


def scenario_curves_chart(
    curves: Curves,
    bands: Mapping[str, pd.DataFrame] | None = None,
    triggers: Mapping[str, Triggers] | None = None,
    guardrail_marks: Mapping[str, Marks] | None = None,
    target: float | CpsuTarget | None = None,
    highlight: str | None = None,
) -> alt.LayerChart | alt.Chart:
    """CPSU by quarter of each scenario, overlaid, with what the page asks to mark.

    `curves` is compare.cpsu_curves (or its columns, compare.curve_columns).
    The optional overlays are keyed by
    scenario name: `bands` the sensitivity.monte_carlo tables (a P10 to P90
    area and a dashed P50), `triggers` the sensitivity.hire_triggers tables
    (a rule where the scenario first needs an agent, labelled "Tier 1 agent
    4" above the chart), `guardrail_marks` the sensitivity.guardrails tables
    (a ring on each quarter over capacity, below the resolution target, or
    falling only because staff stayed flat). In place of the tables of
    `triggers` and `guardrail_marks`, sensitivity.hire_trigger_arrays and
    sensitivity.guardrail_arrays draw the same, without the tables. `target`
    draws a labelled horizontal line: a CPSU, or a CpsuTarget whose quarter
    the label names. `highlight` names a scenario to draw thick and whole,
    the others thin and faint (the one a pitch presents).
    """
    return _chart(
        _curves_parts(curves, bands, triggers, guardrail_marks, target, highlight)
    )


def scenario_curves_spec(
    curves: Curves,
    bands: Mapping[str, pd.DataFrame] | None = None,
    triggers: Mapping[str, Triggers] | None = None,
    guardrail_marks: Mapping[str, Marks] | None = None,
    target: float | CpsuTarget | None = None,
    highlight: str | None = None,
) -> dict[str, Any]:
    """`scenario_curves_chart`'s Vega-Lite spec, its layers built once for
    each set of scenarios, quarters, CPSU axis and overlays drawn."""
    return _spec(
        _curves_parts(curves, bands, triggers, guardrail_marks, target, highlight)
    )


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


def _tornado_layers(key: tuple[str]) -> alt.LayerChart:
    (axis_format,) = key
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
        axis=money_axis(axis_format, tickCount=8),
        # Room beyond the widest bars for their value labels ("$121.46"),
        # which would otherwise run into the assumptions' names.
        scale=alt.Scale(zero=False, padding=60),
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
        # The high end's bars are outlined in dashes, which the legend shows:
        # colour is not the only way to tell the ends apart.
        .mark_bar(height={"band": 0.9}, stroke=INK, strokeWidth=1.5)
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
            strokeDash=alt.StrokeDash(
                "end:N",
                title=None,
                scale=alt.Scale(domain=[LOW_END, HIGH_END], range=[[], [5, 3]]),
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
    ends = [*data["cpsu_end"].tolist(), *data["cpsu"].tolist()]
    finite = [end for end in ends if math.isfinite(end)] or [0.0]
    return _Parts(
        "tornado",
        (money_axis_format(min(finite), max(finite)),),
        _tornado_layers,
        _tornado_title(tornado_table),
        datasets,
        {},
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


def _bridge_layers(
    key: tuple[tuple[str, ...], str, tuple[str, ...]],
) -> alt.LayerChart:
    steps, axis_format, kinds = key
    y = alt.Y(
        "step:N",
        sort=list(steps),
        title=None,
        axis=alt.Axis(labelLimit=280, labelFontSize=LABEL_SIZE),
    )
    x = alt.X(
        "bar_from:Q",
        title="CPSU a month",
        axis=money_axis(axis_format, tickCount=8),
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
                # Only what the bridge shows: no "Raises CPSU" when nothing does.
                legend=alt.Legend(values=list(kinds)),
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
    ends = [*data["bar_from"].tolist(), *data["bar_to"].tolist()]
    finite = [end for end in ends if math.isfinite(end)] or [0.0]
    shown = set(data["kind"])
    kinds = tuple(kind for kind in (START_END, LOWERS, RAISES) if kind in shown)
    return _Parts(
        "bridge",
        (tuple(data["step"]), money_axis_format(min(finite), max(finite)), kinds),
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


_FUNDING_COLUMNS = [
    "fiscal_year",
    "year_label",
    "scenario",
    "funding_ask",
    "months",
    "covered",
    "value_label",
    "side",
]
NO_FIGURE = "no figure"


def _covered(months: int) -> str:
    """How much of a fiscal year a horizon covers, for a tooltip."""
    if months <= 0:
        return "Past the horizon: no figure"
    if months >= MONTHS_A_YEAR:
        return "The whole year"
    return f"{months} of {MONTHS_A_YEAR} months"


def _year_labels(years: Sequence[str], months: Mapping[str, list[int]]) -> list[str]:
    """Each fiscal year's axis label: "FY2029 · 6 mo" when every scenario that
    reaches the year covers the same part of it, else the year alone (the
    bars then say their months)."""
    labels = []
    for row, year in enumerate(years):
        reached = {own[row] for own in months.values() if own[row] > 0}
        if len(reached) == 1 and (only := reached.pop()) < MONTHS_A_YEAR:
            labels.append(f"{year} · {only} mo")
        else:
            labels.append(str(year))
    return labels


def funding_records(funding: pd.DataFrame) -> list[dict[str, Any]]:
    """compare.funding_table made long, a bar a fiscal year and scenario,
    without its total rows: fiscal_year, year_label (marked when the horizon
    covers only part of the year, "FY2029 · 6 mo"), scenario, funding_ask
    (null past the scenario's horizon: no figure, not $0), months (of the
    horizon in that year), covered (those months in words), value_label and
    side (up or down from zero)."""
    labels = funding.index.tolist()
    kept = [row for row, label in enumerate(labels) if str(label).startswith("FY")]
    years = [labels[row] for row in kept]
    months = funding_months(funding)
    axis_labels = _year_labels(years, months)
    asks = funding.to_numpy(dtype=float)[kept]
    bars = []
    for column, name in enumerate(funding.columns.tolist()):
        own = asks[:, column].tolist()
        for row, (year, ask, ready) in enumerate(
            zip(years, own, json_ready(own), strict=True)
        ):
            covered = months[name][row]
            label = NO_FIGURE if ready is None else money_short(ask)
            # A part year the axis does not already mark is said on the bar.
            part = ready is not None and covered < MONTHS_A_YEAR
            if part and axis_labels[row] == str(year):
                label = f"{label} · {covered} mo"
            bars.append(
                {
                    "fiscal_year": year,
                    "year_label": axis_labels[row],
                    "scenario": name,
                    "funding_ask": ready,
                    "months": covered,
                    "covered": _covered(covered),
                    "value_label": label,
                    "side": "down" if ready is not None and ask < 0 else "up",
                }
            )
    return bars


def funding_bars(funding: pd.DataFrame) -> pd.DataFrame:
    """`funding_records` as a table."""
    return pd.DataFrame(funding_records(funding), columns=_FUNDING_COLUMNS)


def funding_title(funding: pd.DataFrame) -> alt.TitleParams:
    """The scenario that asks most over the horizon, against the others."""
    return alt.TitleParams(**_funding_title(funding))


def _quarters_count(count: int) -> str:
    """ "1 quarter", "8 quarters"."""
    return f"{count} quarter" if count == 1 else f"{count} quarters"


def _funding_title(funding: pd.DataFrame) -> dict[str, Any]:
    """The largest ask (or, when none asks, the largest saving), with every
    scenario's total. Totals are set side by side only over the same span:
    when the horizons differ, over the quarters every scenario covers, and
    each scenario's own total follows in the subtitle."""
    labels = [str(label) for label in funding.index.tolist()]
    years = [label for label in labels if label.startswith("FY")]
    names = funding.columns.tolist()
    # Each one's total over its own horizon: the Total row, or, in a table
    # without one, its years added up (a year with no figure adds nothing).
    if "Total" in labels:
        sums = funding.loc["Total"].to_numpy(dtype=float)
    else:
        sums = np.nansum(funding.loc[years].to_numpy(dtype=float), axis=0)
    own = dict(zip(names, sums.tolist(), strict=True))
    shared = shared_quarters(funding)
    if shared is not None:
        compared = dict(
            zip(
                names,
                funding.loc[shared_total_label(shared)].to_numpy(dtype=float),
                strict=True,
            )
        )
        unit = "quarter" if shared == 1 else "quarters"
        span = f"the {shared} {unit} all scenarios share"
    else:
        compared = own
        span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    totals = {name: 0.0 if math.isnan(v) else float(v) for name, v in compared.items()}
    nothing = money_short(0.0)
    top = max(totals, key=lambda name: totals[name])
    verb, amount = "asks", totals[top]
    if money_short(amount) == nothing or amount <= 0:
        top = min(totals, key=lambda name: totals[name])
        verb, amount = "saves", -totals[top]
    if money_short(amount) == nothing or amount <= 0:
        # An ask of $0 neither asks nor saves: it holds the baseline.
        top = names[0]
        if len(totals) == 1:
            text = f"{top} holds the baseline run-rate over {span}"
        else:
            text = f"Every scenario holds the baseline run-rate over {span}"
    elif len(totals) == 1:
        text = f"{top} {verb} {money_short(amount)} over {span}"
    else:
        text = f"{top} {verb} most: {money_short(amount)} over {span}"

    subtitle = []
    others = [name for name in names if name != top]
    if others and shared is not None:
        subtitle.append(
            f"Over the {shared} {unit} all share: "
            + ", ".join(f"{name} {money_short(totals[name])}" for name in others)
        )
        horizons = funding.attrs.get("horizons", {})
        subtitle.append(
            "Over each one's own horizon: "
            + ", ".join(
                f"{name} {money_short(own[name])}"
                + (f" in {_quarters_count(horizons[name])}" if name in horizons else "")
                for name in names
            )
        )
    elif others:
        subtitle.append(
            "Totals: "
            + ", ".join(f"{name} {money_short(totals[name])}" for name in others)
        )
    part = part_years(funding)
    if part:
        subtitle.append(f"Part years: {part}")
    asks = funding.loc[[label for label in funding.index if str(label) in years]]
    if (asks.to_numpy(dtype=float) < 0).any():
        subtitle.append(
            "Spend above holding the baseline run-rate, by fiscal year; below "
            "zero, a saving"
        )
    else:
        subtitle.append("Spend above holding the baseline run-rate, by fiscal year")
    lines = [line for said in subtitle for line in wrap_subtitle(said)]
    return {
        "text": wrap_title(text),
        "subtitle": lines if len(lines) > 1 else lines[0],
    }


# Scenarios whose funding bars are wide enough for level value labels.
_LEVEL_LABELS_UP_TO = 3

_FUNDING_DESCRIPTION = (
    "Grouped bar chart of the funding ask by fiscal year, one bar a scenario."
)


def _funding_layers(
    key: tuple[tuple[str, ...], tuple[str, ...], str],
) -> alt.LayerChart:
    names, years, axis_format = key
    x = alt.X("year_label:N", sort=list(years), title=None, axis=alt.Axis(labelAngle=0))
    x_offset = alt.XOffset("scenario:N", sort=list(names))
    y = alt.Y("funding_ask:Q", title="Funding ask", axis=money_axis(axis_format))
    tooltip = [
        alt.Tooltip("fiscal_year:N", title="Fiscal year"),
        alt.Tooltip("covered:N", title="Months of the horizon"),
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("funding_ask:Q", title="Funding ask", format=MONEY_TOOLTIP),
    ]
    funding_bars_layer = (
        alt.Chart(alt.NamedData("funding"), name="funding_bars")
        # Each bar is outlined in its scenario's dash, as its curve is drawn,
        # so that colour is not the only way to tell the scenarios apart.
        .mark_bar(stroke=INK, strokeWidth=1.5)
        .encode(
            x=x,
            xOffset=x_offset,
            y=y,
            color=scenario_colour(names, symbol="square"),
            strokeDash=scenario_dash(names),
            tooltip=tooltip,
        )
    )
    # Past three scenarios the bars are too narrow for a level label: the
    # labels stand upright on their bars.
    upright = len(names) > _LEVEL_LABELS_UP_TO
    value_labels = [
        alt.Chart(alt.NamedData(f"labels_{side}"), name=f"value_labels_{side}")
        .mark_text(
            fontSize=LABEL_SIZE - 1,
            color=INK,
            **(
                {"angle": 270, "align": align, "baseline": "middle", "dx": -dy}
                if upright
                else {"baseline": baseline, "dy": dy}
            ),
        )
        .encode(x=x, xOffset=x_offset, y=y, text="value_label:N", tooltip=tooltip)
        for side, baseline, dy, align in (
            ("up", "bottom", -3, "left"),
            ("down", "top", 3, "right"),
        )
    ]
    # A year past a scenario's horizon has no bar; it says so up from zero.
    no_figure = (
        alt.Chart(alt.NamedData("no_figure"), name="no_figure_labels")
        .mark_text(
            angle=270,
            align="left",
            baseline="middle",
            dx=4,
            fontSize=LABEL_SIZE - 1,
            color=NEUTRAL,
        )
        .encode(
            x=x,
            xOffset=x_offset,
            y=alt.Y("zero:Q", title="Funding ask", axis=money_axis(axis_format)),
            text="value_label:N",
            tooltip=tooltip,
        )
    )
    zero_rule = (
        alt.Chart(alt.NamedData("zero"), name="zero_rule")
        .mark_rule(color=INK)
        .encode(y=y)
    )
    layers = [funding_bars_layer, *value_labels, no_figure, zero_rule]
    return alt.layer(*layers).properties(description=_FUNDING_DESCRIPTION)


def _funding_parts(funding_table: pd.DataFrame) -> _Parts:
    if funding_table.empty or not any(
        str(label).startswith("FY") for label in funding_table.index
    ):
        return _empty("No funding ask to show.", _FUNDING_DESCRIPTION)
    bars = funding_records(funding_table)
    names = tuple(funding_table.columns)
    years = tuple(dict.fromkeys(bar["year_label"] for bar in bars))
    asks = [bar["funding_ask"] for bar in bars if bar["funding_ask"] is not None]
    drawn = [bar for bar in bars if bar["funding_ask"] is not None]
    datasets: dict[str, Data] = {
        "funding": drawn,
        "labels_up": [bar for bar in drawn if bar["side"] == "up"],
        "labels_down": [bar for bar in drawn if bar["side"] == "down"],
        "no_figure": [
            {**bar, "zero": 0.0} for bar in bars if bar["funding_ask"] is None
        ],
        "zero": [{"funding_ask": 0.0}],
    }
    axis_format = money_axis_format(min([0.0, *asks]), max([0.0, *asks]))
    return _Parts(
        "funding",
        (names, years, axis_format),
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
