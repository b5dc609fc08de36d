"""Tables as the pages show them: readable headers, money, counts and percents.

Values stay numbers, so sorting and copying work; Streamlit's column
configuration gives each column its label, help and number format, with
one precision for the whole column (money per user in cents, totals in
whole dollars, counts whole, agents to a tenth, rates as percentages to a
tenth of a point), and a value that is undefined (the change in the
baseline quarter, the cost per added user when users do not change) is
left empty: give the table to st.dataframe with `placeholder=MISSING`, or
Streamlit writes "None" in the cell. The browser formats the numbers,
so a table costs a page next to nothing to draw again when a slider moves
(a pandas Styler formatted each cell in Python, many times slower).

The browser cuts a value to its column's decimals rather than rounding it
($155.038 would show as $155.03), so every number is sent already rounded
to the decimals it is shown to, exactly as cpsu.formatting writes it for a
headline or the command line: a table and a headline never disagree. The
downloads (CSV, workbook) keep full precision; only what is drawn rounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from cpsu.costs import CostBase, cost_basis
from cpsu.csv_export import csv_bytes
from cpsu.ingest.issues import Issue
from cpsu.projection import POOL_COLUMNS, TIER_KEYS, Projection
from cpsu.ui.text import plain

# How the browser shows each kind of number (see st.column_config.NumberColumn);
# every number is rounded to its decimals first (`as_shown`).
NUMBER_FORMATS = {"money": "dollar", "count": "localized", "rate": "percent"}
KINDS = (*NUMBER_FORMATS, "text")
# The decimals each kind shows unless its column says otherwise: cents, whole
# numbers, and a share to three places, a percentage to one (12.5%).
DECIMALS = {"money": 2, "count": 0, "rate": 3}
# What a table shows in a cell whose value does not exist: nothing.
MISSING = ""


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str  # one of KINDS
    help: str | None = None
    decimals: int | None = None  # None: the kind's DECIMALS

    @property
    def places(self) -> int:
        """The decimals every value of the column is shown to."""
        return DECIMALS[self.kind] if self.decimals is None else self.decimals


def _projection_columns() -> list[Column]:
    columns = [
        Column("quarter", "Quarter", "text"),
        Column("employees", "Employees", "count"),
        Column("contingent", "Contingent", "count"),
        Column(
            "supported_users",
            "Supported users",
            "count",
            "Employees + weight × contingent",
        ),
        Column("cpsu", "CPSU", "money", "Monthly run-rate ÷ supported users"),
        Column("cpsu_change", "Change", "rate", "CPSU against the quarter before"),
        Column("monthly_opex", "Monthly run-rate", "money", decimals=0),
        Column(
            "marginal_cost_per_user",
            "Cost per added user",
            "money",
            "Added monthly cost ÷ added users",
        ),
        Column("deflection", "Deflection", "rate"),
        Column("tickets", "Tickets a month", "count"),
    ]
    for tier, key in TIER_KEYS.items():
        columns += [
            Column(
                f"load_{key}", f"Load {tier}", "count", "Tickets a month at this tier"
            ),
            Column(f"agents_{key}", f"Agents {tier}", "count", decimals=1),
            Column(
                f"utilisation_{key}",
                f"Utilisation {tier}",
                "rate",
                "Load ÷ (agents × tickets per agent)",
            ),
        ]
    # Totals in whole dollars; CPSU and the cost per added user in cents.
    columns += [
        Column(column, pool, "money", decimals=0)
        for pool, column in POOL_COLUMNS.items()
    ]
    columns += [
        Column(
            "quarterly_spend",
            "Quarterly spend",
            "money",
            "3 × monthly run-rate",
            decimals=0,
        ),
        Column(
            "extra_spend",
            "Above baseline",
            "money",
            "Quarterly spend above holding the baseline run-rate",
            decimals=0,
        ),
        Column("cumulative_ask", "Cumulative ask", "money", decimals=0),
    ]
    return columns


def _format_rounded(numbers: np.ndarray, places: int) -> np.ndarray:
    """Each number rounded to `places` decimals exactly as Python's format
    rounds it (the exact binary value; a tie to even).

    NumPy's rounding scales the value first, which can land a value a hair
    off a half exactly on it; only values that near a half are formatted one
    by one, so a long table costs little more than NumPy's rounding.
    """
    scaled = numbers * 10.0**places
    rounded = np.round(numbers, places)
    # Scaling errs by half a unit in the last place of the scaled value; a
    # value further than that from a half rounds the same either way.
    with np.errstate(invalid="ignore"):
        off_half = np.abs(np.abs(scaled - np.floor(scaled)) - 0.5)
        near_half = off_half <= 1e-6 + 4 * np.spacing(np.abs(scaled))
    for i in np.flatnonzero(near_half):
        rounded[i] = float(f"{numbers[i]:.{places}f}")
    return rounded


def as_shown(
    values: Sequence[Any] | np.ndarray | pd.Series, kind: str, places: int
) -> np.ndarray:
    """Numbers rounded to the decimals shown, as cpsu.formatting rounds them.

    Python's formatting rounds the exact binary value, a tie to even; the
    browser would cut the value instead, so it is sent rounded. A rate is
    shown as a percentage with two decimals fewer than its share, and rounded
    as `percent` rounds the percentage. Undefined values stay NaN.
    """
    if isinstance(values, np.ndarray) and values.dtype == np.float64:
        numbers = values
    else:
        numbers = np.asarray(pd.Series(values, dtype="float64"), dtype=np.float64)
    if kind == "rate":
        rounded = _format_rounded(numbers * 100, max(places - 2, 0)) / 100
    else:
        rounded = _format_rounded(numbers, places)
    if kind == "money":
        # money() writes a zero without a sign; so must the browser.
        rounded = np.where(numbers == 0, 0.0, rounded)
    return rounded


def _shown(values: Any, column: Column) -> Any:
    if column.kind == "text":
        return values
    rounded = as_shown(values, column.kind, column.places)
    if isinstance(values, pd.Series):
        return pd.Series(rounded, index=values.index, name=values.name)
    return rounded


def _view(frame: pd.DataFrame, columns: Iterable[Column]) -> pd.DataFrame:
    """The frame's shown columns, in order, each number rounded as shown."""
    shown = [c for c in columns if c.name in frame.columns]
    # One new table from the columns, rather than a copy changed column by
    # column: the Scenarios page draws it at every slider change.
    return pd.DataFrame(
        {c.name: _shown(frame[c.name], c) for c in shown},
        index=frame.index,
    )


def _arrow_array(values: pd.Series | pd.Index) -> pa.Array:
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "fiub":
        return pa.array(values.to_numpy(), from_pandas=True)
    if isinstance(values.dtype, pd.StringDtype):
        return pa.array(values.tolist(), type=pa.large_string(), from_pandas=True)
    return pa.Array.from_pandas(values)


def arrow_table(
    frame: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    rows: np.ndarray | None = None,
    index: bool = False,
) -> pa.Table:
    """The frame's columns as an Arrow table, as st.dataframe would send them.

    Streamlit converts a DataFrame to Arrow through pandas' own converter,
    which takes longer than the rest of a small table; this does it column
    by column, to the same types and values: an undefined number is null
    (an empty cell), text is Arrow's large string. The frame's index is not
    sent (give the table with `hide_index=True`) unless `index`, which sends
    it as the first column, under its name. `columns` maps the frame's
    columns to send to their names in the table (by default all, as named);
    `rows`, a mask or positions, picks rows.
    """
    names = dict(columns) if columns is not None else {c: str(c) for c in frame}
    parts = [frame[column] for column in names]
    labels = list(names.values())
    if index:
        parts.insert(0, frame.index)
        labels.insert(0, str(frame.index.name))
    if rows is not None:
        parts = [
            part[rows] if isinstance(part, pd.Index) else part.iloc[rows]
            for part in parts
        ]
    return pa.Table.from_arrays([_arrow_array(part) for part in parts], names=labels)


def arrow_columns(columns: Mapping[str, Sequence[Any]]) -> pa.Table:
    """Columns of Python values as an Arrow table, to the types and values
    `arrow_table` gives of the same columns in a DataFrame: text as Arrow's
    large string, an undefined number as null."""
    arrays = []
    for values in columns.values():
        array = pa.array(values, from_pandas=True)
        if pa.types.is_string(array.type):
            array = array.cast(pa.large_string())
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=[str(name) for name in columns])


def column_config(columns: Iterable[Column]) -> dict[str, st.column_config.Column]:
    """Each column's label, help and number format.

    The step of a number column sets the decimals the browser shows for
    every value in it (a percentage shows two fewer than its share).
    """
    config: dict[str, st.column_config.Column] = {}
    for c in columns:
        if c.kind in NUMBER_FORMATS:
            config[c.name] = st.column_config.NumberColumn(
                c.label,
                help=c.help,
                format=NUMBER_FORMATS[c.kind],
                step=1 if c.places == 0 else round(10.0**-c.places, c.places),
            )
        else:
            config[c.name] = st.column_config.TextColumn(c.label, help=c.help)
    return config


def projection_view(projection: Projection) -> tuple[pd.DataFrame, dict]:
    """The projection table and its column configuration."""
    columns = _projection_columns()
    config = column_config(columns)
    config["quarter"] = st.column_config.TextColumn("Quarter", pinned=True)
    return _view(projection.table, columns), config


def projection_arrow(projection: Projection) -> tuple[pa.Table, dict]:
    """`projection_view` as the Arrow table st.dataframe sends (`arrow_table`),
    built straight from the projection's columns."""
    columns = _projection_columns()
    config = column_config(columns)
    config["quarter"] = st.column_config.TextColumn("Quarter", pinned=True)
    given = projection.columns
    shown = [c for c in columns if c.name in given]
    arrays = []
    for c in shown:
        values = given[c.name]
        if not isinstance(values, np.ndarray):  # the quarters' labels
            arrays.append(pa.array(values, type=pa.large_string()))
        else:
            arrays.append(pa.array(_shown(values, c), from_pandas=True))
    return pa.Table.from_arrays(arrays, names=[c.name for c in shown]), config


def shown_arrow(
    given: pd.DataFrame | Mapping[str, Sequence[Any]], columns: Sequence[Column]
) -> tuple[pa.Table, dict]:
    """The given columns named in `columns`, in their order, as the Arrow table
    st.dataframe sends (see `arrow_columns`), each number rounded as shown,
    and their column configuration. Columns not named are not sent."""
    shown = [c for c in columns if c.name in given]
    arrays = []
    for c in shown:
        values = given[c.name]
        if c.kind == "text":
            texts = [None if pd.isna(value) else str(value) for value in values]
            arrays.append(pa.array(texts, type=pa.large_string()))
        else:
            arrays.append(pa.array(_shown(values, c), from_pandas=True))
    table = pa.Table.from_arrays(arrays, names=[c.name for c in shown])
    return table, column_config(shown)


COST_LINE_COLUMNS = [
    Column("item", "Item", "text"),
    Column("cost_pool", "Pool", "text"),
    Column("behaviour", "Behaviour", "text"),
    Column(
        "monthly", "Monthly cost", "money", "This line's cost in the baseline quarter"
    ),
    Column("basis", "How it is costed", "text"),
    Column("vendor", "Vendor", "text"),
]


def cost_line_view(
    cost_base: CostBase, projection: Projection
) -> tuple[pd.DataFrame, dict]:
    """Each line's baseline cost beside how it is costed and its vendor."""
    lines = projection.baseline_lines()
    lines["basis"] = [cost_basis(line) for line in cost_base.lines]
    lines["vendor"] = [line.vendor for line in cost_base.lines]
    config = column_config(COST_LINE_COLUMNS)
    config["item"] = st.column_config.TextColumn("Item", pinned=True)
    config["basis"] = st.column_config.TextColumn("How it is costed", width="large")
    return _view(lines, COST_LINE_COLUMNS), config


RUN_RATE_COLUMNS = [
    Column("cost_pool", "Cost pool", "text"),
    Column("monthly_cost", "Monthly cost", "money"),
    Column("share", "Share", "rate"),
]


def run_rate_view(projection: Projection) -> tuple[pd.DataFrame, dict]:
    """Baseline run-rate by pool with each pool's share, and a total row."""
    pools = projection.run_rate_by_pool(0)
    total = pools["monthly_cost"].sum()
    pools["share"] = pools["monthly_cost"] / total if total else float("nan")
    total_row = pd.DataFrame(
        {
            "cost_pool": ["Total"],
            "monthly_cost": [total],
            "share": [1.0 if total else float("nan")],
        }
    )
    frame = pd.concat([pools, total_row], ignore_index=True)
    return _view(frame, RUN_RATE_COLUMNS), column_config(RUN_RATE_COLUMNS)


def issue_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """Issues as a table of plain text: severity, where, what to do.

    The table renders Markdown, so the user's own text (sheet names, cell
    values quoted in messages) is escaped to show as written.
    """
    return pd.DataFrame(
        [
            {
                "Severity": issue.severity.value.capitalize(),
                "Where": plain(issue.where),
                "Problem and what to do": plain(issue.message),
            }
            for issue in issues
        ],
        columns=["Severity", "Where", "Problem and what to do"],
    )


def issues_csv(issues: Iterable[Issue]) -> bytes:
    """Every issue as CSV, for a list too long to read on the page."""
    frame = pd.DataFrame(
        [issue.as_dict() for issue in issues], columns=["severity", "where", "message"]
    )
    return csv_bytes(frame)
