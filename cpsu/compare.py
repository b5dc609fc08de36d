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

import numpy as np
import pandas as pd

from cpsu.costs import CostBase
from cpsu.projection import Projection, ProjectionError, project
from cpsu.scenario import Headcount, Scenario, parse_quarter

MONTHS = 12


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


def funding_by_fiscal_year(
    projection: Projection, start_month: int = 1
) -> pd.DataFrame:
    """The funding ask and the spend of quarters 1..H, by fiscal year.

    Columns: fiscal_year ("FY2027"), months (of the horizon in that year,
    12 for a whole year), spend (the support spend of those months) and
    funding_ask (that spend above holding the baseline run-rate).
    """
    _check_start_month(start_month)
    table = projection.table
    baseline_rate = float(table["monthly_opex"].iloc[0])
    years: dict[int, list[float]] = {}
    for _, row in table.iloc[1:].iterrows():
        first_month = parse_quarter(str(row["quarter"])).asfreq("M", how="start")
        rate = float(row["monthly_opex"])
        for step in range(3):
            year = fiscal_year(first_month + step, start_month)
            months, spend, ask = years.setdefault(year, [0, 0.0, 0.0])
            years[year] = [months + 1, spend + rate, ask + rate - baseline_rate]
    return pd.DataFrame(
        [
            {
                "fiscal_year": f"FY{year}",
                "months": int(months),
                "spend": spend,
                "funding_ask": ask,
            }
            for year, (months, spend, ask) in sorted(years.items())
        ],
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


def cpsu_curves(results: Sequence[Compared]) -> pd.DataFrame:
    """CPSU by quarter of every projected scenario, long: scenario, quarter, t,
    supported_users, monthly_opex, cpsu."""
    frames = [
        result.projection.table[
            ["quarter", "t", "supported_users", "monthly_opex", "cpsu"]
        ].assign(scenario=result.name)
        for result in results
        if result.projection is not None
    ]
    columns = ["scenario", "quarter", "t", "supported_users", "monthly_opex", "cpsu"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def default_quarters(horizon: int) -> list[int]:
    """The quarters a difference table shows unless told: a year in, and the end."""
    chosen = {min(4, horizon), horizon}
    if horizon >= 12:
        chosen.add(horizon // 2)
    return sorted(chosen)


def differences(results: Sequence[Compared], quarters: Sequence[int]) -> pd.DataFrame:
    """CPSU and run-rate of every scenario at the given quarters, with each one's
    difference from the first scenario.

    A row per scenario and quarter: scenario, t, quarter, supported_users,
    monthly_opex, cpsu, cpsu_vs_first (dollars), cpsu_vs_first_share (of the
    first's CPSU). A quarter past a scenario's horizon is left out for it.
    """
    projected = [result for result in results if result.projection is not None]
    columns = [
        "scenario",
        "t",
        "quarter",
        "supported_users",
        "monthly_opex",
        "cpsu",
        "cpsu_vs_first",
        "cpsu_vs_first_share",
    ]
    if not projected:
        return pd.DataFrame(columns=columns)
    first = projected[0].projection.table.set_index("t")
    rows = []
    for t in quarters:
        for result in projected:
            table = result.projection.table.set_index("t")
            if t not in table.index:
                continue
            row = table.loc[t]
            cpsu = float(row["cpsu"])
            base = float(first.loc[t, "cpsu"]) if t in first.index else np.nan
            rows.append(
                {
                    "scenario": result.name,
                    "t": int(t),
                    "quarter": str(row["quarter"]),
                    "supported_users": float(row["supported_users"]),
                    "monthly_opex": float(row["monthly_opex"]),
                    "cpsu": cpsu,
                    "cpsu_vs_first": cpsu - base,
                    "cpsu_vs_first_share": (cpsu - base) / base,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def funding_table(results: Sequence[Compared], start_month: int = 1) -> pd.DataFrame:
    """The funding ask by fiscal year of every projected scenario, wide: a row
    per fiscal year, a column per scenario, and a Total row."""
    frames = {
        result.name: funding_by_fiscal_year(result.projection, start_month).set_index(
            "fiscal_year"
        )["funding_ask"]
        for result in results
        if result.projection is not None
    }
    if not frames:
        return pd.DataFrame()
    wide = pd.DataFrame(frames).fillna(0.0)
    wide.index.name = "fiscal_year"
    wide.loc["Total"] = wide.sum()
    return wide
