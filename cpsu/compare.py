"""Scenarios side by side: CPSU curves, differences at chosen quarters, and
the funding each asks for by fiscal year.

Every scenario is projected over the same cost base and headcount; the
first scenario given is the one the others are measured against. The
funding ask of a quarter is its spend above holding the baseline run-rate
(three months at the quarter's run-rate less the baseline's). A fiscal
year is named by the calendar year it ends in, as most companies do (the
year from July 2026 to June 2027 is FY2027); a fiscal year that does not
start in January, April, July or October splits a quarter, and each month
of it is then counted in its own fiscal year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cpsu.costs import CostBase
from cpsu.projection import Projection, ProjectionError, project
from cpsu.scenario import Headcount, Scenario, parse_quarter

MONTHS = 12
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(month: int) -> str:
    """The name of a month numbered 1 (January) to 12."""
    return MONTH_NAMES[month - 1]


def fiscal_year(month_start: pd.Period, start_month: int) -> int:
    """The fiscal year a month falls in, named by the year the fiscal year ends."""
    if start_month == 1:
        return month_start.year
    return month_start.year + (1 if month_start.month >= start_month else 0)


def _check_start_month(start_month: int) -> None:
    if not 1 <= start_month <= MONTHS:
        raise ValueError(
            f"The fiscal year's first month is a month from 1 (January) to 12 "
            f"(December), not {start_month}."
        )


def _funding_by_year(
    projection: Projection, start_month: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`funding_by_fiscal_year`'s columns as arrays: the fiscal years (as
    numbers), months, spend and funding ask."""
    _check_start_month(start_month)
    rates = np.asarray(projection.column("monthly_opex"), dtype=float)
    quarters = projection.quarters
    first = parse_quarter(str(quarters[1 if len(quarters) > 1 else 0]))
    first_month = first.year * MONTHS + (first.quarter - 1) * 3  # months since year 0
    # Each month of quarters 1..H, its run-rate, and its fiscal year.
    month_rates = np.repeat(rates[1:], 3)
    months = first_month + np.arange(month_rates.size)
    calendar_year, month = np.divmod(months, MONTHS)
    years = calendar_year + (month + 1 >= start_month) * (start_month != 1)
    labels, where = np.unique(years, return_inverse=True)
    return (
        labels,
        np.bincount(where, minlength=labels.size).astype(int),
        np.bincount(where, month_rates, minlength=labels.size),
        np.bincount(where, month_rates - rates[0], minlength=labels.size),
    )


def funding_by_fiscal_year(
    projection: Projection, start_month: int = 1
) -> pd.DataFrame:
    """The funding ask and the spend of quarters 1..H, by fiscal year.

    Columns: fiscal_year ("FY2027"), months (of the horizon in that year,
    12 for a whole year), spend (the support spend of those months) and
    funding_ask (that spend above holding the baseline run-rate).
    """
    labels, months, spend, funding_ask = _funding_by_year(projection, start_month)
    return pd.DataFrame(
        {
            "fiscal_year": [f"FY{year}" for year in labels],
            "months": months,
            "spend": spend,
            "funding_ask": funding_ask,
        },
        columns=["fiscal_year", "months", "spend", "funding_ask"],
    )


@dataclass(frozen=True)
class Compared:
    """One scenario's projection, or why it could not be projected."""

    scenario: Scenario
    projection: Projection | None
    problem: str = ""

    @property
    def name(self) -> str:
        return self.scenario.name


def project_all(
    cost_base: CostBase, headcount: Headcount, scenarios: Sequence[Scenario]
) -> list[Compared]:
    """Each scenario projected; one that cannot be keeps its reason instead."""
    results = []
    for scenario in scenarios:
        try:
            results.append(Compared(scenario, project(cost_base, headcount, scenario)))
        except ProjectionError as problem:
            results.append(Compared(scenario, None, str(problem)))
    return results


CURVE_COLUMNS = ("scenario", "quarter", "t", "supported_users", "monthly_opex", "cpsu")


def curve_columns(results: Sequence[Compared]) -> dict[str, list[Any]]:
    """`cpsu_curves` as columns of Python values (numbers as Python's, not
    numpy's), without the table between: what a chart's data is made of."""
    columns: dict[str, list[Any]] = {column: [] for column in CURVE_COLUMNS}
    for result in results:
        if result.projection is None:
            continue
        projection = result.projection
        columns["scenario"] += [result.name] * len(projection.quarters)
        columns["quarter"] += projection.quarters
        for column in CURVE_COLUMNS[2:]:
            columns[column] += projection.column(column).tolist()
    return columns


def cpsu_curves(results: Sequence[Compared]) -> pd.DataFrame:
    """CPSU by quarter of every projected scenario, long: scenario, quarter, t,
    supported_users, monthly_opex, cpsu."""
    columns = ["quarter", "t", "supported_users", "monthly_opex", "cpsu"]
    tables = [
        (result.name, result.projection.table)
        for result in results
        if result.projection is not None
    ]
    if not tables:
        return pd.DataFrame(columns=["scenario", *columns])
    return pd.DataFrame(
        {
            "scenario": np.concatenate(
                [np.full(len(table), name, dtype=object) for name, table in tables]
            ),
            **{
                column: np.concatenate(
                    [table[column].to_numpy() for _, table in tables]
                )
                for column in columns
            },
        }
    )


def default_quarters(horizon: int) -> list[int]:
    """The quarters a difference table shows unless told: a year in, and the end."""
    chosen = {min(4, horizon), horizon}
    if horizon >= 12:
        chosen.add(horizon // 2)
    return sorted(chosen)


def quarter_labels(results: Sequence[Compared]) -> list[str]:
    """The quarters' labels of the longest projection among the results, in
    the order of t: every quarter any of them reaches."""
    longest: list[str] = []
    for result in results:
        if result.projection is not None and len(result.projection.quarters) > len(
            longest
        ):
            longest = list(result.projection.quarters)
    return longest


def quarter_choice(t: int, labels: Sequence[str]) -> str:
    """A quarter offered to compare at: "2029-Q2 (quarter 10)", or only
    "Quarter 10" past the labels known."""
    if 0 <= t < len(labels):
        return f"{labels[t]} (quarter {t})"
    return f"Quarter {t}"


DIFFERENCE_COLUMNS = (
    "scenario",
    "t",
    "quarter",
    "supported_users",
    "monthly_opex",
    "cpsu",
    "cpsu_vs_first",
    "cpsu_vs_first_share",
)


def difference_columns(
    results: Sequence[Compared], quarters: Sequence[int]
) -> dict[str, list[Any]]:
    """`differences` as columns of Python values, without the table between."""
    columns: dict[str, list[Any]] = {column: [] for column in DIFFERENCE_COLUMNS}
    projected = [result for result in results if result.projection is not None]
    if not projected:
        return columns
    first_cpsu = projected[0].projection.column("cpsu")
    arrays = [
        (
            result.name,
            result.projection.quarters,
            result.projection.column("supported_users"),
            result.projection.column("monthly_opex"),
            result.projection.column("cpsu"),
        )
        for result in projected
    ]
    for t in quarters:
        base = float(first_cpsu[t]) if t < first_cpsu.size else np.nan
        for name, labels, users, opex, cpsu in arrays:
            if t >= cpsu.size:
                continue
            difference = float(cpsu[t]) - base
            row = (
                name,
                int(t),
                str(labels[t]),
                float(users[t]),
                float(opex[t]),
                float(cpsu[t]),
                difference,
                difference / base if base else np.nan,
            )
            for column, value in zip(DIFFERENCE_COLUMNS, row, strict=True):
                columns[column].append(value)
    return columns


def differences(results: Sequence[Compared], quarters: Sequence[int]) -> pd.DataFrame:
    """CPSU and run-rate of every scenario at the given quarters, with each one's
    difference from the first scenario.

    A row per scenario and quarter: scenario, t, quarter, supported_users,
    monthly_opex, cpsu, cpsu_vs_first (dollars), cpsu_vs_first_share (of the
    first's CPSU). A quarter past a scenario's horizon is left out for it.
    """
    columns = difference_columns(results, quarters)
    if not columns["scenario"]:
        return pd.DataFrame(columns=list(DIFFERENCE_COLUMNS))
    return pd.DataFrame(columns)


def shared_total_label(quarters: int) -> str:
    """The funding table's row of each scenario's ask over the quarters every
    scenario covers, when their horizons differ."""
    unit = "quarter" if quarters == 1 else "quarters"
    return f"Total over the {quarters} {unit} all share"


def shared_quarters(funding: pd.DataFrame) -> int | None:
    """How many quarters every scenario of a funding table covers, when their
    horizons differ (the table then has a `shared_total_label` row); else None."""
    return funding.attrs.get("shared_quarters")


def funding_months(funding: pd.DataFrame) -> dict[str, list[int]]:
    """The months of each scenario's horizon in each fiscal year of a funding
    table, in the order of its fiscal-year rows (0 past the horizon); a table
    not made by `funding_table` counts every year it has a figure for whole."""
    months = funding.attrs.get("months")
    if months is not None:
        return {name: list(own) for name, own in months.items()}
    years = [label for label in funding.index if str(label).startswith("FY")]
    asks = funding.loc[years] if years else funding.iloc[0:0]
    return {
        name: [0 if pd.isna(ask) else MONTHS for ask in asks[name].tolist()]
        for name in funding.columns
    }


def part_years(funding: pd.DataFrame) -> str:
    """The fiscal years of a funding table that a horizon covers only in
    part, in words: "FY2029 6 of 12 months", naming the scenarios when not
    every scenario reaching the year covers the same months ("" if none)."""
    months = funding_months(funding)
    years = [str(label) for label in funding.index if str(label).startswith("FY")]
    said = []
    for row, year in enumerate(years):
        reached = {name: own[row] for name, own in months.items() if own[row] > 0}
        parts = {name: got for name, got in reached.items() if got < MONTHS}
        if not parts:
            continue
        if len(set(reached.values())) == 1:
            said.append(f"{year} {next(iter(parts.values()))} of {MONTHS} months")
            continue
        said.append(
            f"{year} "
            + ", ".join(
                f"{got} of {MONTHS} months for {name}" for name, got in parts.items()
            )
        )
    return "; ".join(said)


def funding_notes(funding: pd.DataFrame) -> str:
    """What a funding table's numbers do not say, for a caption beside it:
    the years past a scenario's horizon (blank: no figure, not $0), the part
    years, and over which quarters the totals can be set side by side."""
    said = []
    months = funding_months(funding)
    if any(got == 0 for own in months.values() for got in own):
        said.append(
            "A blank cell is a fiscal year past that scenario's horizon: "
            "no figure, not $0."
        )
    part = part_years(funding)
    if part:
        said.append(f"Part years: {part}.")
    shared = shared_quarters(funding)
    if shared is not None:
        horizons = funding.attrs.get("horizons", {})
        own = ", ".join(f"{name} {quarters}" for name, quarters in horizons.items())
        said.append(
            f"The horizons differ (quarters: {own}), so each Total covers its "
            f"own horizon; compare the scenarios on the last row, over the "
            f"{shared} quarter{'s' if shared != 1 else ''} all share."
        )
    return " ".join(said)


def funding_table(results: Sequence[Compared], start_month: int = 1) -> pd.DataFrame:
    """The funding ask by fiscal year of every projected scenario, wide: a row
    per fiscal year, a column per scenario, and a Total row.

    A fiscal year past a scenario's horizon has no figure (NaN), not $0, and
    its Total is over its own horizon. When the horizons differ, a last row
    (`shared_total_label`) gives each scenario's ask over the quarters every
    scenario covers, the totals that can be set side by side. The table's
    `attrs` keep what its numbers do not say: "months" (each scenario's
    months of horizon in each fiscal year, `funding_months`), "horizons"
    (quarters) and "shared_quarters" (None when the horizons are the same).
    """
    asks: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    rates: dict[str, np.ndarray] = {}
    for result in results:
        if result.projection is not None:
            years, months, _, funding_ask = _funding_by_year(
                result.projection, start_month
            )
            asks[result.name] = (years, months, funding_ask)
            rates[result.name] = np.asarray(
                result.projection.column("monthly_opex"), dtype=float
            )
    if not asks:
        return pd.DataFrame()
    # Every fiscal year any scenario reaches, in order; a year past a
    # scenario's horizon has no figure.
    years = np.unique(np.concatenate([own for own, _, _ in asks.values()]))
    horizons = {name: own.size - 1 for name, own in rates.items()}
    shared = min(horizons.values())
    differ = len(set(horizons.values())) > 1
    # A row per scenario, as pandas keeps the columns of a table of numbers.
    by_scenario = np.full((len(asks), years.size + 1 + differ), np.nan)
    months = {}
    for row, (name, (own, own_months, funding_ask)) in enumerate(asks.items()):
        at = np.searchsorted(years, own)
        by_scenario[row, at] = np.where(np.isnan(funding_ask), 0.0, funding_ask)
        by_scenario[row, years.size] = by_scenario[row, at].sum()
        if differ:
            # Three months a quarter at its run-rate, above the baseline's.
            own_rates = rates[name]
            by_scenario[row, -1] = 3.0 * np.nansum(
                own_rates[1 : shared + 1] - own_rates[0]
            )
        full = np.zeros(years.size, dtype=int)
        full[at] = own_months
        months[name] = full.tolist()
    labels = [f"FY{year}" for year in years] + ["Total"]
    if differ:
        labels.append(shared_total_label(shared))
    table = pd.DataFrame(
        by_scenario.T,
        index=pd.Index(labels, name="fiscal_year"),
        columns=list(asks),
    )
    table.attrs = {
        "months": months,
        "horizons": horizons,
        "shared_quarters": shared if differ else None,
    }
    return table
