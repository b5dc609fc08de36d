"""The quarter-by-quarter projection of support cost and CPSU.

Quarter 0 is the baseline; quarters 1..H follow. Headcount comes from the
plan where the workspace has one and grows by the scenario's rate after it,
compounding the unrounded value and rounding half up, as Excel's ROUND does.
Users raise tickets, tickets load the tiers, and every cost line is costed
from those drivers at once. The result is one table with a row per quarter;
nothing in it is rounded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cpsu.costs import (
    POOLS,
    Behaviour,
    CostBase,
    CostLine,
    Drivers,
    Tier,
    cost_lines,
)
from cpsu.formatting import money
from cpsu.scenario import Headcount, Scenario, quarter_label, quarter_start
from cpsu.workload import deflection_by_quarter, tickets_by_quarter, tier_loads

MONTHS_PER_QUARTER = 3

TIER_KEYS: dict[Tier, str] = {
    Tier.TIER_1: "tier_1",
    Tier.DESKTOP: "desktop",
    Tier.TIER_2: "tier_2",
}


def pool_column(pool: str) -> str:
    """The projection column holding a pool's monthly cost."""
    return "cost_" + re.sub(r"[^a-z0-9]+", "_", pool.lower()).strip("_")


POOL_COLUMNS: dict[str, str] = {pool: pool_column(pool) for pool in POOLS}


class ProjectionError(ValueError):
    """The inputs cannot be projected; the message says why and what to do.

    ``quarter`` is the first quarter at fault, ``planned`` whether the
    Headcount sheet gives it (rather than growth); ``sheet`` the sheet to
    fix when it is neither of those (the Costs sheet for a run-rate below
    zero).
    """

    def __init__(
        self,
        message: str,
        quarter: str = "",
        planned: bool = False,
        sheet: str | None = None,
    ):
        super().__init__(message)
        self.quarter = quarter
        self.planned = planned
        self.sheet = sheet


LINES_NAMED = 5


def _check_run_rate(
    run_rate: np.ndarray,
    line_costs: np.ndarray,
    lines: Sequence[CostLine],
    quarters: Sequence[pd.Period],
    users: np.ndarray,
) -> None:
    """Refuse a run-rate below zero, naming the lines below zero, and a CPSU
    too large to be a number (users a hair above zero)."""
    below = np.flatnonzero(np.round(run_rate, 2) < 0)
    if below.size:
        first = int(below[0])
        label = quarter_label(quarters[first])
        negative = [
            f"{line.item} ({money(cost)})"
            for line, cost in zip(lines, line_costs[:, first], strict=True)
            if cost < 0
        ]
        named = "; ".join(negative[:LINES_NAMED])
        if len(negative) > LINES_NAMED:
            named += f"; and {len(negative) - LINES_NAMED} more"
        raise ProjectionError(
            f"The monthly run-rate in {label} is {money(float(run_rate[first]))}, "
            "below zero, so no CPSU can be computed: support always costs "
            f"something. The lines below zero are {named}. If these are costs "
            "written as negative amounts (some GL exports write expenses so), "
            "write them as positive amounts, or choose that the file writes "
            "costs negative; a refund or credit belongs with the costs it "
            "reduces.",
            quarter=label,
            sheet="Costs",
        )
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        endless = np.flatnonzero(~np.isfinite(run_rate / users))
    if endless.size:
        label = quarter_label(quarters[int(endless[0])])
        raise ProjectionError(
            f"{label} has {users[int(endless[0])]:.3g} supported users, too few "
            "to divide the run-rate by: give it at least one employee, or count "
            "contingent workers with a weight of at least 0.01.",
            quarter=label,
            planned=True,
        )


def round_half_up(values: np.ndarray) -> np.ndarray:
    """Round to whole numbers, halves away from zero, as Excel's ROUND does.

    Values are first rounded to 9 decimals so that 1330.4999999999998, which
    is 1330.5 written in floating point, rounds up as it would on paper.
    """
    values = np.round(np.asarray(values, dtype=float), 9)
    return np.sign(values) * np.floor(np.abs(values) + 0.5)


def headcount_path(
    headcount: Headcount, scenario: Scenario
) -> tuple[np.ndarray, np.ndarray]:
    """Employees and contingent workers in quarters 0..H.

    Planned quarters take the plan; later quarters grow from the last planned
    quarter (the baseline when there is no plan) by the scenario's rate.
    """
    horizon = scenario.horizon_quarters
    planned = headcount.rows[: horizon + 1]
    last = planned[-1]
    steps = np.arange(1, horizon + 2 - len(planned))
    growth = (1.0 + scenario.growth_per_quarter) ** steps
    employees = np.concatenate(
        [
            [row.employees for row in planned],
            round_half_up(last.employees * growth),
        ]
    )
    contingent = np.concatenate(
        [
            [row.contingent for row in planned],
            round_half_up(last.contingent * growth),
        ]
    )
    return employees.astype(float), contingent.astype(float)


@dataclass(frozen=True)
class Projection:
    """A projection: a row per quarter, and the monthly cost of every line."""

    table: pd.DataFrame
    line_costs: pd.DataFrame

    @property
    def baseline(self) -> pd.Series:
        return self.table.iloc[0]

    @property
    def horizon(self) -> pd.Series:
        return self.table.iloc[-1]

    @property
    def funding_ask(self) -> float:
        """Spend over quarters 1..H above holding the baseline run-rate."""
        return float(self.table["extra_spend"].iloc[1:].sum())

    def by_pool(self) -> pd.DataFrame:
        """Monthly cost by pool and quarter, long: quarter, cost_pool, monthly_cost."""
        wide = self.table[["quarter", *POOL_COLUMNS.values()]].rename(
            columns={column: pool for pool, column in POOL_COLUMNS.items()}
        )
        return wide.melt(
            id_vars="quarter", var_name="cost_pool", value_name="monthly_cost"
        )

    def run_rate_by_pool(self, t: int = 0) -> pd.DataFrame:
        """Monthly cost of every pool in quarter t: cost_pool, monthly_cost."""
        row = self.table.iloc[t]
        return pd.DataFrame(
            {
                "cost_pool": list(POOL_COLUMNS),
                "monthly_cost": [float(row[c]) for c in POOL_COLUMNS.values()],
            }
        )

    def baseline_lines(self) -> pd.DataFrame:
        """Each line's monthly cost at the baseline: item, cost_pool, behaviour,
        monthly."""
        lines = self.line_costs.iloc[:, :3].copy()
        lines["monthly"] = self.line_costs.iloc[:, 3].astype(float)
        return lines

    def agents_by_tier(self) -> pd.DataFrame:
        """Agents by tier and quarter, long: quarter, tier, agents."""
        wide = self.table[["quarter", *(f"agents_{k}" for k in TIER_KEYS.values())]]
        wide = wide.rename(
            columns={f"agents_{key}": tier.value for tier, key in TIER_KEYS.items()}
        )
        return wide.melt(id_vars="quarter", var_name="tier", value_name="agents")


def project(
    cost_base: CostBase, headcount: Headcount, scenario: Scenario
) -> Projection:
    """Project support cost and CPSU over quarters 0..H."""
    desk = scenario.service_desk
    quarter_index = np.arange(scenario.horizon_quarters + 1)
    quarters = [headcount.baseline_quarter + int(t) for t in quarter_index]

    employees, contingent = headcount_path(headcount, scenario)
    users = employees + desk.contingent_weight * contingent
    empty = np.flatnonzero(users <= 0)
    if empty.size:
        first = int(empty[0])
        label = quarter_label(quarters[first])
        weight = (
            f" (contingent workers count {desk.contingent_weight:g} each)"
            if desk.contingent_weight != 1
            else ""
        )
        if first < len(headcount.rows):
            raise ProjectionError(
                f"{label} has no supported users{weight}, so CPSU cannot be "
                f"computed: give {label} on the Headcount sheet at least one "
                "employee or contingent worker.",
                quarter=label,
                planned=True,
            )
        raise ProjectionError(
            f"At {scenario.growth_per_quarter:+.1%} growth a quarter, supported "
            f"users fall to zero by {label}{weight}, so CPSU cannot be computed: "
            "raise the growth rate or shorten the horizon.",
            quarter=label,
            planned=False,
        )

    tickets = tickets_by_quarter(desk, users, quarter_index)
    loads = tier_loads(desk, tickets)
    drivers = Drivers(
        quarter_index=quarter_index,
        quarter_start=[quarter_start(q) for q in quarters],
        supported_users=users,
        tier_load=loads,
    )
    costed = cost_lines(cost_base, drivers)

    labels = [quarter_label(q) for q in quarters]
    table = pd.DataFrame(
        {
            "quarter": labels,
            "t": quarter_index,
            "employees": employees,
            "contingent": contingent,
            "supported_users": users,
            "deflection": deflection_by_quarter(desk, quarter_index),
            "tickets": tickets,
        }
    )

    lines = cost_base.lines
    staffed = np.array([line.behaviour is Behaviour.STAFFED for line in lines], bool)
    line_tier = np.array([line.tier for line in lines], dtype=object)
    capacity_per_unit = np.array(
        [line.tickets_per_agent or 0.0 for line in lines], dtype=float
    )[:, None]
    for tier, key in TIER_KEYS.items():
        on_tier = staffed & (line_tier == tier)
        agents = costed.units[on_tier].sum(axis=0)
        capacity = (costed.units[on_tier] * capacity_per_unit[on_tier]).sum(axis=0)
        table[f"load_{key}"] = loads[tier]
        table[f"agents_{key}"] = agents
        with np.errstate(divide="ignore", invalid="ignore"):
            table[f"utilisation_{key}"] = np.where(
                capacity > 0, loads[tier] / capacity, np.nan
            )

    line_pools = np.array([line.pool for line in lines], dtype=object)
    for pool, column in POOL_COLUMNS.items():
        table[column] = costed.monthly_cost[line_pools == pool].sum(axis=0)

    run_rate = costed.monthly_cost.sum(axis=0)
    _check_run_rate(run_rate, costed.monthly_cost, lines, quarters, users)
    table["monthly_opex"] = run_rate
    table["cpsu"] = run_rate / users
    table["cpsu_change"] = table["cpsu"].pct_change()
    added_users = np.diff(users, prepend=np.nan)
    added_cost = np.diff(run_rate, prepend=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["marginal_cost_per_user"] = np.where(
            added_users != 0, added_cost / added_users, np.nan
        )
    table["quarterly_spend"] = MONTHS_PER_QUARTER * run_rate
    table["extra_spend"] = MONTHS_PER_QUARTER * (run_rate - run_rate[0])
    table["cumulative_ask"] = table["extra_spend"].cumsum()

    line_costs = pd.DataFrame(costed.monthly_cost, columns=labels)
    line_costs.insert(0, "item", [line.item for line in lines])
    line_costs.insert(1, "cost_pool", [line.pool for line in lines])
    line_costs.insert(2, "behaviour", [line.behaviour.value for line in lines])
    return Projection(table=table, line_costs=line_costs)
