"""Altair charts of a projection, styled by one theme.

Every chart is built from the projection's tidy tables, titled with its
finding rather than its axes ("CPSU falls 9.6% to $64.23 by 2028-Q4"), with
currency axes and a colour-blind-safe palette (Okabe and Ito) in which each
cost pool keeps its colour on every chart. The theme is registered once by
the app; the builders only describe data and layers.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cpsu.costs import POOLS, Tier
from cpsu.formatting import count, money, percent

THEME_NAME = "cpsu"

# Okabe-Ito, without its yellow, which is too light on white for a slide.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#999999",
)
POOL_COLOURS: dict[str, str] = dict(zip(POOLS, PALETTE, strict=True))
TIER_COLOURS: dict[str, str] = {
    Tier.TIER_1.value: PALETTE[0],
    Tier.DESKTOP.value: PALETTE[1],
    Tier.TIER_2.value: PALETTE[2],
}
# Each tier's outline, so that a tier is known by its dash as well as its colour.
TIER_DASHES: dict[str, list[int]] = {
    Tier.TIER_1.value: [],
    Tier.DESKTOP.value: [6, 3],
    Tier.TIER_2.value: [2, 2],
}
MONEY_AXIS = "$,.0f"
MONEY_TOOLTIP = "$,.2f"
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"


def theme_config() -> alt.theme.ThemeConfig:
    """Large, quiet type and light grid lines: readable when projected."""
    return alt.theme.ThemeConfig(
        config={
            "font": FONT,
            "view": {"stroke": None, "continuousHeight": 320},
            "title": {
                "anchor": "start",
                "fontSize": 18,
                "fontWeight": 600,
                "subtitleFontSize": 13,
                "subtitleColor": "#555555",
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": 500,
                "gridColor": "#E6E6E6",
                "domainColor": "#999999",
                "tickColor": "#999999",
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom"},
            "range": {"category": list(PALETTE)},
            "line": {"strokeWidth": 3},
            "point": {"size": 60, "filled": True},
        }
    )


def register_theme() -> None:
    """Register the product's theme with Altair and make it the active one.

    The router calls this on every rerun; the work is done once per process.
    """
    if alt.theme.active != THEME_NAME:
        alt.theme.register(THEME_NAME, enable=True)(theme_config)


@dataclass(frozen=True)
class MoneyAxis:
    """A money axis chosen from the values it shows: its domain runs from one
    tick to another, a whole number of steps of 1, 2, 2.5 or 5 times a power
    of ten, and its format shows every tick distinctly ("$149.50", "$150.00",
    not "$150 $150"). The domain reaches below $0 only when a value does."""

    low: float
    high: float
    step: float
    format: str

    @property
    def values(self) -> list[float]:
        steps = round((self.high - self.low) / self.step)
        return [round(self.low + n * self.step, 10) for n in range(steps + 1)]

    def scale(self) -> alt.Scale:
        return alt.Scale(domain=[self.low, self.high], nice=False, zero=False)

    def axis(self) -> alt.Axis:
        return alt.Axis(format=self.format, values=self.values)

    def axis_spec(self) -> dict[str, Any]:
        """`axis()` as the Vega-Lite spec's properties."""
        return {"format": self.format, "values": self.values}

    def scale_spec(self) -> dict[str, Any]:
        """`scale()` as the Vega-Lite spec's properties."""
        return {"domain": [self.low, self.high], "nice": False, "zero": False}


NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def money_axis(
    values: Sequence[float] | np.ndarray, ticks: int = 5, zero: bool = False
) -> MoneyAxis:
    """The axis for these sums with about `ticks` ticks; from $0 when `zero`.
    Undefined values are left out."""
    finite = np.asarray(values, dtype=float)
    # Money is read to the cent: what differs by less is one value.
    finite = np.round(finite[np.isfinite(finite)], 2) + 0.0
    low, high = (
        (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    )
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high - low <= 0:
        # One value: put it mid-axis, a step of about a tenth of it apart.
        half = max(abs(high) * 0.1 * (ticks - 1), 1.0) / 2
        low, high = (max(low - half, 0.0) if low >= 0 else low - half), high + half
    raw = max((high - low) / max(ticks - 1, 1), 0.01)
    power = 10.0 ** math.floor(math.log10(raw))
    # The finest nice step that keeps to at most two ticks more than asked.
    for step in (n * power for n in (*NICE_STEPS, 20.0)):
        bottom = math.floor(low / step + 1e-9) * step
        if low >= 0 > bottom:
            bottom = 0.0
        top = math.ceil(high / step - 1e-9) * step
        if top <= bottom:
            top = bottom + step
        if round((top - bottom) / step) + 1 <= ticks + 2:
            break
    decimals = 0
    while decimals < 4 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    # Cents are written in pairs: $149.50, not $149.5.
    if 0 < decimals <= 2:
        decimals = 2
    return MoneyAxis(round(bottom, 10), round(top, 10), step, f"$,.{decimals}f")


def quarter_axis(quarters: list[str]) -> alt.X:
    """The x axis of quarters, in the order given, labels level; where the
    labels would run together (many quarters, a narrow chart), every other
    one is left out until they stand apart."""
    return alt.X(
        "quarter:O",
        sort=quarters,
        title=None,
        axis=alt.Axis(labelAngle=0, labelOverlap="parity", labelSeparation=8),
    )


_quarter_axis = quarter_axis


def cpsu_title(table: pd.DataFrame) -> alt.TitleParams:
    """A title that states where CPSU goes over the horizon."""
    return alt.TitleParams(**cpsu_title_parts(table))


# A projection's table, or its columns (Projection.columns).
Table = pd.DataFrame | Mapping[str, Any]


def cpsu_title_parts(table: Table) -> dict[str, str]:
    """`cpsu_title`'s text and subtitle, as a plain dict (the title's Vega-Lite
    spec, without building and validating a TitleParams)."""
    return cpsu_title_of(np.asarray(table["cpsu"]), list(table["quarter"]))


def cpsu_title_of(cpsu: Sequence[float], quarters: Sequence[str]) -> dict[str, str]:
    """`cpsu_title_parts` of CPSU and the quarters' labels, in the order of t."""
    first, last = cpsu[0], cpsu[-1]
    change = last / first - 1
    if abs(change) < 0.0005:
        verb = f"holds at {money(last)}"
    else:
        direction = "falls" if change < 0 else "rises"
        verb = f"{direction} {percent(abs(change))} to {money(last)}"
    return {
        "text": f"CPSU {verb} by {quarters[-1]}",
        "subtitle": (
            f"Monthly cost per supported user, from {money(first)} in {quarters[0]}"
        ),
    }


# The plot's height on a page, in pixels, titles, labels and legend apart.
PAGE_PLOT_HEIGHT = 300
# The characters of a line of title in a half-width column (18-pixel type
# in about 360 pixels).
HALF_TITLE_WIDTH = 32


def page_spec(
    spec: Mapping[str, Any],
    plot_height: int | None = None,
    title_width: int | None = None,
) -> dict[str, Any]:
    """`spec` as a page shows it, stretched to the column's width: its plot
    keeps its height (`plot_height`, else the spec's own, else
    `PAGE_PLOT_HEIGHT`) and its titles, labels and legend add to it. With
    `title_width` (in characters, `HALF_TITLE_WIDTH` in a half-width
    column), a longer title is wrapped into lines, not cut at the edge.

    Left to the page's default (the whole chart fitted into a fixed height),
    a long title, a band of labels above the plot or a legend of many rows
    would take their room from the plot until it had none. A shallow copy:
    the layers are shared with the spec given.
    """
    shown = dict(spec)
    shown["autosize"] = {"type": "fit-x", "contains": "padding"}
    shown["height"] = plot_height or spec.get("height") or PAGE_PLOT_HEIGHT
    title = shown.get("title")
    if (
        title_width
        and isinstance(title, Mapping)
        and isinstance(title.get("text"), str)
    ):
        lines = textwrap.wrap(title["text"], title_width, break_long_words=False)
        if len(lines) > 1:
            shown["title"] = {**title, "text": lines}
    return shown


# --- charts that move with a slider ------------------------------------------------
#
# A chart the Scenarios page redraws at each slider change is built in two
# parts: its layers, which depend only on the quarters shown, and its data
# and title, which move. The layers read named datasets, so the app can
# keep their Vega-Lite spec (built and validated once) and fill in the data
# and title at each change (`*_spec`), while the Altair chart (`*_chart`)
# is the same layers with the same data and title, for tests and images.

_TEMPLATES: dict[tuple, dict[str, Any]] = {}
_MAX_TEMPLATES = 256


def _title_parts(title: Any) -> list[str]:
    """The text and the subtitle of a Vega-Lite title, each as one plain line.

    A text given as a list is one sentence wrapped over lines: its lines are
    joined with spaces.
    """
    if title is None or title is alt.Undefined:
        return []
    if hasattr(title, "to_dict"):
        title = title.to_dict()
    if isinstance(title, str):
        return [title]
    if isinstance(title, Mapping):
        return _title_parts(title.get("text")) + _title_parts(title.get("subtitle"))
    if isinstance(title, Sequence):
        return [" ".join(line.strip() for line in title if isinstance(line, str))]
    return []


def chart_alt(chart: alt.TopLevelMixin | Mapping[str, Any]) -> str | None:
    """A chart's title, subtitle and description as one text for screen readers.

    Takes an Altair chart or its Vega-Lite spec; None when it has neither.
    """
    if isinstance(chart, Mapping):
        title, description = chart.get("title"), chart.get("description")
    else:
        title, description = chart.title, chart.description
    parts = _title_parts(title)
    if isinstance(description, str):
        parts.append(description)
    sentences = [
        part if part.endswith((".", "?", "!")) else part + "."
        for part in (part.strip() for part in parts)
        if part
    ]
    return " ".join(sentences) or None


def json_ready(values: list[Any]) -> list[Any]:
    ready = []
    for value in values:
        if isinstance(value, np.generic):
            value = value.item()
        if value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
            value = None
        ready.append(value)
    return ready


def column_values(column: pd.Series) -> list[Any]:
    """A column's values as JSON-ready Python values, an undefined number as null."""
    values = column.tolist()
    # numpy's whole numbers and booleans are never undefined.
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iub":
        return values
    return json_ready(values)


def values_of(column: pd.Series | np.ndarray | Sequence[Any]) -> list[Any]:
    """`column_values` of a column of a table, an array or a list."""
    if isinstance(column, pd.Series):
        return column_values(column)
    if isinstance(column, np.ndarray):
        values = column.tolist()
        return values if column.dtype.kind in "iub" else json_ready(values)
    return json_ready(list(column))


def rows_of(columns: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
    """Rows as dicts from columns of equal length, in the columns' order."""
    names = list(columns)
    return [
        dict(zip(names, row, strict=True))
        for row in zip(*columns.values(), strict=True)
    ]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts, an undefined number as null.

    The rows of `frame.to_dict("records")` (Python numbers, not numpy's),
    built column by column, which is quicker.
    """
    if not frame.shape[1]:
        return [{} for _ in range(len(frame))]
    return rows_of({name: column_values(column) for name, column in frame.items()})


_records = records

# A chart's data: a table, or its rows already made JSON-ready by `records`.
Data = pd.DataFrame | list[dict[str, Any]]


def _rows(data: Data) -> list[dict[str, Any]]:
    return data if isinstance(data, list) else records(data)


def filled(
    layers: alt.TopLevelMixin,
    title: alt.TitleParams | Mapping[str, Any] | str,
    datasets: Mapping[str, Data],
    **properties: Any,
) -> alt.TopLevelMixin:
    """`layers` with this title and data (and any other top-level properties,
    plain JSON values): the chart whose spec `cached_spec` gives quickly.
    The title is a TitleParams, its spec as a dict, or its text."""
    return layers.properties(
        title=title,
        datasets={name: _rows(data) for name, data in datasets.items()},
        **properties,
    )


_filled = filled


def cached_spec(
    kind: str,
    key: Hashable,
    layers: Callable[[Any], alt.TopLevelMixin],
    title: alt.TitleParams | Mapping[str, Any] | str,
    datasets: Mapping[str, Data],
    **properties: Any,
) -> dict[str, Any]:
    """The Vega-Lite spec of `filled(layers(key), title, datasets, **properties)`.

    The spec of `layers(key)` is built and validated once per kind, key and
    active theme, and kept; each call copies it and sets the title, the
    datasets and the other properties. So `layers` must read only named
    datasets, and depend on nothing but `key`: whatever else of the data
    shapes the layers (a colour domain, a sort order, how many layers) goes
    in the key, or into the data. The copy is shallow: the layers are shared
    between calls, to be read and not changed.
    """
    template_key = (kind, alt.theme.active, key)
    template = _TEMPLATES.get(template_key)
    if template is None:
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.clear()
        template = layers(key).to_dict()
        _TEMPLATES[template_key] = template
    spec = dict(template)
    if isinstance(title, alt.TitleParams):
        spec["title"] = title.to_dict(validate=False)
    else:  # a plain title: its text, or its spec
        spec["title"] = title if isinstance(title, str) else dict(title)
    spec["datasets"] = {name: _rows(data) for name, data in datasets.items()}
    spec.update(properties)
    return spec


def without_empty_layers(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` without its layers that read an empty named dataset, and without
    the datasets nothing reads any more.

    Such a layer draws nothing, but the browser's Vega warns of an "infinite
    extent" for each of its fields (a year with no figure to label, a side
    with no bar). A shallow copy; `spec` is left as it was.
    """
    datasets = spec.get("datasets")
    layers = spec.get("layer")
    if not isinstance(datasets, dict) or not isinstance(layers, list):
        return spec

    def draws_nothing(layer: Any) -> bool:
        if not isinstance(layer, dict):
            return False
        data = layer.get("data")
        if not isinstance(data, dict) or data.get("name") not in datasets:
            return False
        rows = datasets[data["name"]]
        own_data = any(
            isinstance(part, dict) and "data" in part for part in layer.get("layer", [])
        )
        return isinstance(rows, list) and not rows and not own_data

    kept = [layer for layer in layers if not draws_nothing(layer)]
    if not kept or len(kept) == len(layers):
        return spec
    shown = {**spec, "layer": kept}
    read = json.dumps({key: value for key, value in shown.items() if key != "datasets"})
    shown["datasets"] = {
        name: rows
        for name, rows in datasets.items()
        if not (isinstance(rows, list) and not rows) or json.dumps(name) in read
    }
    return shown


def with_y_axis(
    spec: dict[str, Any],
    axis: Mapping[str, Any],
    scale: Mapping[str, Any],
    layer: int | None = None,
) -> dict[str, Any]:
    """`spec` (a copy from `cached_spec`) with these properties set on the y
    axis and scale of its encoding, or of one layer's. An axis that moves
    with the data is set here rather than in the template's key, so that a
    slider's move does not build the layers again; the dicts on the way are
    copied, the template's own are left as they were."""
    holder = spec
    if layer is not None:
        layers = list(spec["layer"])
        holder = dict(layers[layer])
        layers[layer] = holder
        spec["layer"] = layers
    encoding = dict(holder["encoding"])
    holder["encoding"] = encoding
    y = dict(encoding["y"])
    encoding["y"] = y
    y["axis"] = {**y.get("axis", {}), **axis}
    y["scale"] = {**y.get("scale", {}), **scale}
    return spec


_CPSU_COLUMNS = ["quarter", "cpsu", "supported_users", "monthly_opex", "cpsu_change"]


# The axis a template is built with, before `with_y_axis` sets the real one.
_ANY_AXIS = MoneyAxis(0.0, 1.0, 1.0, MONEY_AXIS)


def _cpsu_layers(key: tuple[tuple[str, ...], MoneyAxis | None]) -> alt.LayerChart:
    quarters, y_axis = key
    y_axis = y_axis or _ANY_AXIS
    base = alt.Chart(alt.NamedData("cpsu")).encode(x=_quarter_axis(list(quarters)))
    cpsu_line = base.mark_line(point=True, color=PALETTE[0]).encode(
        y=alt.Y(
            "cpsu:Q",
            title="CPSU a month",
            axis=y_axis.axis(),
            scale=y_axis.scale(),
        ),
        tooltip=[
            alt.Tooltip("quarter:O", title="Quarter"),
            alt.Tooltip("cpsu:Q", title="CPSU", format=MONEY_TOOLTIP),
            alt.Tooltip("cpsu_change:Q", title="Change", format="+.1%"),
            alt.Tooltip("supported_users:Q", title="Supported users", format=",.0f"),
            alt.Tooltip("monthly_opex:Q", title="Monthly run-rate", format=",.0f"),
        ],
    )
    baseline = alt.Chart(alt.NamedData("baseline"))
    baseline_rule = baseline.mark_rule(strokeDash=[6, 4], color="#555555").encode(
        y="cpsu:Q"
    )
    baseline_label = baseline.mark_text(
        align="right", baseline="bottom", dy=-4, color="#555555"
    ).encode(y="cpsu:Q", x=alt.value("width"), text="label:N")
    return alt.layer(cpsu_line, baseline_rule, baseline_label).properties(
        description="Line chart of CPSU by quarter with the baseline CPSU marked.",
    )


def _cpsu_data(table: Table) -> dict[str, list[dict[str, Any]]]:
    columns = {name: values_of(table[name]) for name in _CPSU_COLUMNS}
    first = columns["cpsu"][0]
    # The label is written from the number itself, as the title's is.
    label = f"Baseline {money(np.asarray(table['cpsu'])[0])}"
    return {
        "cpsu": rows_of(columns),
        "baseline": [{"cpsu": first, "label": label}],
    }


def _cpsu_key(table: Table) -> tuple[tuple[str, ...], MoneyAxis]:
    return tuple(table["quarter"]), money_axis(np.asarray(table["cpsu"], dtype=float))


def cpsu_chart(table: pd.DataFrame) -> alt.LayerChart:
    """CPSU by quarter as a line, with the baseline marked."""
    return _filled(_cpsu_layers(_cpsu_key(table)), cpsu_title(table), _cpsu_data(table))


def cpsu_spec(table: Table) -> dict[str, Any]:
    """`cpsu_chart`'s Vega-Lite spec, its layers built once for its quarters
    (the axis set on a copy); `table` may be the projection's columns."""
    quarters, y_axis = _cpsu_key(table)
    spec = cached_spec(
        "cpsu",
        (quarters, None),
        _cpsu_layers,
        cpsu_title_parts(table),
        _cpsu_data(table),
    )
    return with_y_axis(spec, y_axis.axis_spec(), y_axis.scale_spec(), layer=0)


# A pool's legend in rows of at most this many pools, above the plot, so
# that it never narrows the plot, nor takes the height of a tall list; two
# of the longest names ("Service desk (Tier 1)") fit a half-width column.
LEGEND_COLUMNS = 2


# --- bands named on the chart ---------------------------------------------------
#
# A stacked chart names each band on the band itself, so that colour is not
# the only way to tell the bands apart. A band is named once, at the quarter
# where it is thickest, if there it is tall enough for a line of text on the
# smallest plot a page or slide draws; a thinner band is a sliver named by its
# tooltip and by the table beside the chart.

BAND_LABEL_SIZE = 11
# The shortest plot a chart is drawn on (a page's), and the least height in
# pixels a band needs there to hold its name.
SMALLEST_PLOT_HEIGHT = 300
BAND_LABEL_ROOM = 12
INK = "#141312"
PAPER = "#FFFFFF"
BAND_FIELD = "band"


def _luminance(colour: str) -> float:
    """The relative luminance of a colour written #RRGGBB (WCAG 2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two colours written #RRGGBB."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def label_ink(fill: str) -> str:
    """Ink or paper, whichever reads better on `fill`."""
    return max((INK, PAPER), key=lambda ink: contrast(ink, fill))


def band_labels(
    quarters: Sequence[Any],
    groups: Sequence[str],
    values: Sequence[Any],
    colours: Mapping[str, str],
    axis_span: float,
) -> list[dict[str, Any]]:
    """Where each band of a chart stacked from zero (groups stacked in the
    order of `colours`, costs above zero) is named: one row per band tall
    enough, at the quarter where it is thickest (the latest of equals), with
    the middle of the band there, the text's alignment (left at the first
    quarter, right at the last, centred between) and its ink."""
    order = list(colours)
    shown = list(dict.fromkeys(quarters))
    tops: dict[Any, float] = dict.fromkeys(shown, 0.0)
    thickest: dict[str, tuple[float, int, float]] = {}
    rows = sorted(
        (
            (shown.index(quarter), order.index(group), group, float(value))
            for quarter, group, value in zip(quarters, groups, values, strict=True)
            if value is not None and value > 0 and group in colours
        ),
    )
    for place, _, group, value in rows:
        quarter = shown[place]
        bottom = tops[quarter]
        tops[quarter] = bottom + value
        best = thickest.get(group)
        if best is None or value >= best[0]:
            thickest[group] = (value, place, bottom + value / 2)
    least = axis_span * BAND_LABEL_ROOM / SMALLEST_PLOT_HEIGHT if axis_span > 0 else 0
    labels = []
    for group in order:
        if group not in thickest or thickest[group][0] < least:
            continue
        _, place, middle = thickest[group]
        align = (
            "left" if place == 0 else "right" if place == len(shown) - 1 else "center"
        )
        labels.append(
            {
                "quarter": shown[place],
                "label_y": middle,
                BAND_FIELD: group,
                "align": align,
                "ink": label_ink(colours[group]),
            }
        )
    return labels


def band_label_layers(dataset: str, x: alt.X, title: str) -> list[alt.Chart]:
    """The text layers that write `band_labels`' rows (read from `dataset`)
    on their bands, one layer per alignment, along the bands' own `x`; the
    tooltip calls the band's group `title`, as the bands' layer does."""
    layers = []
    for align, dx in (("left", 4), ("center", 0), ("right", -4)):
        layers.append(
            alt.Chart(alt.NamedData(dataset))
            .transform_filter(alt.datum.align == align)
            .mark_text(
                align=align,
                baseline="middle",
                dx=dx,
                fontSize=BAND_LABEL_SIZE,
                fontWeight="bold",
            )
            .encode(
                x=x,
                y=alt.Y("label_y:Q", stack=None, title=None),
                text=alt.Text(f"{BAND_FIELD}:N"),
                # fill, not color: a colour scale of their own would clash
                # with the bands' legend ("Conflicting legend property").
                fill=alt.Fill("ink:N", scale=None, legend=None),
                tooltip=[alt.Tooltip(f"{BAND_FIELD}:N", title=title)],
            )
        )
    return layers


def _pool_layers(
    key: tuple[tuple[str, ...], tuple[str, ...], MoneyAxis | None],
) -> alt.LayerChart:
    quarters, pools, y_axis = key
    y_axis = y_axis or _ANY_AXIS
    x = _quarter_axis(list(quarters))
    areas = (
        alt.Chart(alt.NamedData("pools"))
        .mark_area()
        .encode(
            x=x,
            y=alt.Y(
                "monthly_cost:Q",
                stack="zero",
                title="Monthly cost",
                axis=y_axis.axis(),
                scale=y_axis.scale(),
            ),
            color=alt.Color(
                "cost_pool:N",
                title="Cost pool",
                scale=alt.Scale(
                    domain=list(pools), range=[POOL_COLOURS[p] for p in pools]
                ),
                legend=alt.Legend(
                    orient="top",
                    direction="horizontal",
                    columns=min(len(pools), LEGEND_COLUMNS),
                    symbolType="square",
                    labelLimit=200,
                    title=None,
                ),
            ),
            order=alt.Order("pool_order:Q"),
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("cost_pool:N", title="Pool"),
                alt.Tooltip(
                    "monthly_cost:Q", title="Monthly cost", format=MONEY_TOOLTIP
                ),
            ],
        )
    )
    return alt.layer(areas, *band_label_layers("pool_labels", x, "Pool")).properties(
        description=(
            "Stacked area chart of monthly cost by cost pool and quarter, "
            "each pool named on its band."
        ),
    )


def _first_and_last_totals(
    quarters: list[Any], values: list[Any]
) -> tuple[float, float]:
    """The sums of `values` over the rows of the first and of the last quarter
    (in the order of the rows); an undefined value adds nothing."""
    first, last = quarters[0], quarters[-1]
    first_total = last_total = 0.0
    for quarter, value in zip(quarters, values, strict=True):
        if value is None:
            continue
        if quarter == first:
            first_total += value
        if quarter == last:
            last_total += value
    return first_total, last_total


def _kept_rows(
    columns: Mapping[str, list[Any]], keep: Sequence[bool]
) -> dict[str, list[Any]]:
    """The columns with only the rows where `keep` is true."""
    return {
        name: [value for value, kept in zip(values, keep, strict=True) if kept]
        for name, values in columns.items()
    }


def _stack_ends(quarters: list[Any], values: list[Any]) -> list[float]:
    """The highest and lowest point each quarter's stack reaches: the sum of
    its costs above zero and of its credits below (an undefined value adds
    nothing)."""
    above: dict[Any, float] = {}
    below: dict[Any, float] = {}
    for quarter, value in zip(quarters, values, strict=True):
        if value is None:
            continue
        side = above if value > 0 else below
        side[quarter] = side.get(quarter, 0.0) + value
    return [*above.values(), *below.values()] or [0.0]


def _pool_parts(
    by_pool: pd.DataFrame,
) -> tuple[
    tuple[tuple[str, ...], tuple[str, ...], MoneyAxis],
    dict[str, Any],
    dict[str, list[dict[str, Any]]],
]:
    # Only the pools that cost something in some quarter are drawn and named.
    every = {name: column_values(column) for name, column in by_pool.items()}
    present = {
        pool
        for pool, cost in zip(every["cost_pool"], every["monthly_cost"], strict=True)
        if cost
    }
    pools = tuple(pool for pool in POOLS if pool in present)
    columns = _kept_rows(every, [pool in present for pool in every["cost_pool"]])
    quarters = tuple(dict.fromkeys(every["quarter"]))
    columns["pool_order"] = [POOLS.index(pool) for pool in columns["cost_pool"]]
    first, last = _first_and_last_totals(every["quarter"], every["monthly_cost"])
    ends = _stack_ends(every["quarter"], every["monthly_cost"])
    if money(first, cents=False) == money(last, cents=False):
        text = f"Monthly run-rate holds at {money(last, cents=False)}"
    else:
        text = (
            f"Monthly run-rate goes from {money(first, cents=False)} "
            f"to {money(last, cents=False)}"
        )
    title = {"text": text, "subtitle": "Monthly cost by cost pool"}
    y_axis = money_axis(ends, zero=True)
    labels = band_labels(
        columns["quarter"],
        columns["cost_pool"],
        columns["monthly_cost"],
        {pool: POOL_COLOURS[pool] for pool in pools},
        y_axis.high - y_axis.low,
    )
    key = (quarters, pools, y_axis)
    return key, title, {"pools": rows_of(columns), "pool_labels": labels}


def cost_by_pool_chart(by_pool: pd.DataFrame) -> alt.Chart:
    """Monthly cost by pool, stacked, one colour per pool; the legend names
    only the pools that cost something."""
    key, title, data = _pool_parts(by_pool)
    return _filled(_pool_layers(key), title, data)


def cost_by_pool_spec(by_pool: pd.DataFrame) -> dict[str, Any]:
    """`cost_by_pool_chart`'s Vega-Lite spec, its layers built once."""
    (quarters, pools, y_axis), title, data = _pool_parts(by_pool)
    spec = cached_spec("pools", (quarters, pools, None), _pool_layers, title, data)
    return with_y_axis(spec, y_axis.axis_spec(), y_axis.scale_spec(), layer=0)


def whole_ticks(most: float, ticks: int = 5) -> list[int]:
    """Ticks for a count from 0 to `most`: whole numbers 1, 2 or 5 times a
    power of ten apart, about `ticks` of them, never a fraction between two
    whole numbers that a whole-number format would label twice."""
    most = max(float(most), 1.0) if math.isfinite(most) else 1.0
    power = 10 ** max(math.floor(math.log10(most / ticks)), 0)
    step = next(n * power for n in (1, 2, 5, 10) if n * power * (ticks + 1) >= most)
    top = math.ceil(most / step) * step
    return list(range(0, int(top) + 1, int(step)))


def _agents_layers(
    key: tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]],
) -> alt.Chart:
    quarters, tiers, ticks = key
    ticks = ticks or (0, 1)
    return (
        alt.Chart(alt.NamedData("agents"))
        # Each tier's bars are outlined in a dash of its own, so that colour
        # is not the only way to tell the tiers apart.
        .mark_bar(stroke=INK, strokeWidth=1.5)
        .encode(
            x=_quarter_axis(list(quarters)),
            y=alt.Y(
                "agents:Q",
                stack="zero",
                title="Agents",
                # Whole agents: a tick between two would repeat a label.
                axis=alt.Axis(format="d", values=list(ticks)),
                scale=alt.Scale(domain=[0, ticks[-1]], nice=False),
            ),
            color=alt.Color(
                "tier:N",
                title="Tier",
                scale=alt.Scale(
                    domain=list(tiers), range=[TIER_COLOURS[t] for t in tiers]
                ),
            ),
            strokeDash=alt.StrokeDash(
                "tier:N",
                title="Tier",
                scale=alt.Scale(
                    domain=list(tiers), range=[TIER_DASHES[t] for t in tiers]
                ),
            ),
            order=alt.Order("tier_order:Q"),
            tooltip=[
                alt.Tooltip("quarter:O", title="Quarter"),
                alt.Tooltip("tier:N", title="Tier"),
                alt.Tooltip("agents:Q", title="Agents", format=",.0f"),
            ],
        )
        .properties(
            description="Stacked bar chart of agents needed by tier and quarter.",
        )
    )


def staffed_tiers(agents: pd.DataFrame) -> tuple[str, ...]:
    """The tiers with an agent in some quarter, in the tiers' order."""
    staffed = set(agents.loc[agents["agents"].fillna(0) > 0, "tier"])
    return tuple(tier for tier in TIER_COLOURS if tier in staffed)


def _agents_parts(
    agents: pd.DataFrame,
) -> tuple[
    tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]],
    dict[str, str],
    dict[str, list[dict[str, Any]]],
]:
    every = {name: column_values(column) for name, column in agents.items()}
    staffed = {
        tier
        for tier, count_ in zip(every["tier"], every["agents"], strict=True)
        if count_ is not None and count_ > 0
    }
    tiers = tuple(tier for tier in TIER_COLOURS if tier in staffed)
    columns = _kept_rows(every, [tier in staffed for tier in every["tier"]])
    quarters = tuple(dict.fromkeys(every["quarter"]))
    order = list(TIER_COLOURS)
    columns["tier_order"] = [order.index(tier) for tier in columns["tier"]]
    first, last = _first_and_last_totals(every["quarter"], every["agents"])
    if last == first:
        text = f"Staffed tiers hold at {count(first)} agent{'' if first == 1 else 's'}"
    else:
        text = f"Agents needed go from {count(first)} to {count(last)}"
    title = {"text": text, "subtitle": "Agents on staffed tiers"}
    most = max(_stack_ends(columns["quarter"], columns["agents"]))
    key = (quarters, tiers, tuple(whole_ticks(most)))
    return key, title, {"agents": rows_of(columns)}


def agents_chart(agents: pd.DataFrame) -> alt.Chart:
    """Agents needed by tier and quarter, stacked bars; the legend names only
    the tiers staffed."""
    key, title, data = _agents_parts(agents)
    return _filled(_agents_layers(key), title, data)


def agents_spec(agents: pd.DataFrame) -> dict[str, Any]:
    """`agents_chart`'s Vega-Lite spec, its layers built once."""
    (quarters, tiers, ticks), title, data = _agents_parts(agents)
    spec = cached_spec("agents", (quarters, tiers, ()), _agents_layers, title, data)
    return with_y_axis(
        spec,
        {"values": list(ticks)},
        {"domain": [0, ticks[-1]], "nice": False},
    )


RUN_RATE_BAR_STEP = 34  # pixels a pool's bar takes, with its gap


def run_rate_by_pool_chart(run_rate: pd.DataFrame) -> alt.Chart:
    """Baseline monthly run-rate by pool, largest first: cost_pool, monthly_cost."""
    data = run_rate[run_rate["monthly_cost"] != 0]
    total = run_rate["monthly_cost"].sum()
    largest = (
        data.sort_values("monthly_cost", ascending=False).iloc[0] if len(data) else None
    )
    subtitle = "Baseline monthly cost by cost pool"
    if largest is not None and total:
        text = (
            f"{largest['cost_pool']} is {percent(largest['monthly_cost'] / total, 0)} "
            "of the run-rate"
        )
    else:
        text = "No costs in the run-rate"
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("cost_pool:N", sort="-x", title=None),
            x=alt.X(
                "monthly_cost:Q", title="Monthly cost", axis=alt.Axis(format=MONEY_AXIS)
            ),
            color=alt.Color(
                "cost_pool:N",
                scale=alt.Scale(domain=list(POOLS), range=list(PALETTE)),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("cost_pool:N", title="Pool"),
                alt.Tooltip(
                    "monthly_cost:Q", title="Monthly cost", format=MONEY_TOOLTIP
                ),
            ],
        )
        .properties(
            title=alt.TitleParams(text=text, subtitle=subtitle),
            description="Bar chart of the baseline monthly run-rate by cost pool.",
            # A bar a pool: the plot's height follows the pools (a height in
            # steps would make the browser's Vega drop the page's "fit").
            height=RUN_RATE_BAR_STEP * max(len(data), 1),
        )
    )
