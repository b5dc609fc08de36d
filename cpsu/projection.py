"""The quarter-by-quarter projection of support cost and CPSU.

Quarter 0 is the baseline; quarters 1..H follow. Headcount comes from the
plan where the workspace has one and grows by the scenario's rate after it,
compounding the unrounded value and rounding half up, as Excel's ROUND does.
Users raise tickets, tickets load the tiers, and every cost line is costed
from those drivers at once. The result is one table with a row per quarter;
nothing in it is rounded.

The work is split in two so that thousands of what-ifs stay fast. A Model is
compiled once from the cost base, headcount and scenario: every version of
every line read into arrays, with the quarters in which it exists. The
numeric core, run_model, then costs any number of assumption sets (growth,
tickets, deflection, productivity, escalation: one value each, or one per
draw) together, with numpy only. project() runs one set and lays it out as
the tables the rest of the program reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from cpsu.costs import (
    POOLS,
    TIERS,
    Behaviour,
    CompiledLines,
    CostBase,
    CostLevers,
    CostLine,
    LineCosts,
    PriceSchedule,
    Tier,
    Values,
    compile_lines,
    escalation_years,
    per_draw,
    price_scheduled,
    schedule_prices,
)
from cpsu.formatting import money
from cpsu.scenario import (
    Headcount,
    LineChange,
    Scenario,
    quarter_label,
    quarter_start,
)
from cpsu.workload import (
    ServiceDesk,
    deflection_path,
    desk_tickets,
    split_load,
    tickets_per_user_path,
)

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


def grow_headcount(
    employees: int,
    contingent: int,
    growth_per_quarter: Values,
    steps: np.ndarray,
    contingent_share: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Employees and contingent workers `steps` quarters after a known quarter.

    Compounds the unrounded headcount and rounds each quarter half up.
    `growth_per_quarter` is a number or a column of one rate per draw; with
    a `contingent_share` the whole headcount grows and the share says how
    much of it is contingent.
    """
    growth = (1.0 + np.asarray(growth_per_quarter, dtype=float)) ** steps
    if contingent_share is None:
        return (
            round_half_up(employees * growth),
            round_half_up(contingent * growth),
        )
    everyone = round_half_up((employees + contingent) * growth)
    grown_contingent = round_half_up(everyone * contingent_share)
    return everyone - grown_contingent, grown_contingent


def headcount_path(
    headcount: Headcount, scenario: Scenario
) -> tuple[np.ndarray, np.ndarray]:
    """Employees and contingent workers in quarters 0..H.

    Planned quarters take the plan; later quarters grow from the last planned
    quarter (the baseline when there is no plan) by the scenario's rate.
    """
    planned = headcount.rows[: scenario.horizon_quarters + 1]
    employees, contingent = headcount_paths(
        np.array([row.employees for row in planned], dtype=float),
        np.array([row.contingent for row in planned], dtype=float),
        scenario.horizon_quarters + 1,
        per_draw(scenario.growth_per_quarter),
        scenario.contingent_share,
    )
    return employees[0], contingent[0]


def line_versions(
    cost_base: CostBase,
    changes: tuple[LineChange, ...],
    quarters: list[pd.Period],
) -> tuple[CostBase, np.ndarray]:
    """Every version of every line, and the quarters in which each exists.

    The cost base's lines come first, as they are; each change, in the order
    of its quarter, ends the version of its item then in force (if any) and
    starts its own. A change after the horizon changes nothing.
    """
    count = len(quarters)
    versions = list(cost_base.lines)
    starts = [0] * len(versions)
    ends = [count] * len(versions)
    current = {line.item: index for index, line in enumerate(versions)}
    ordered = sorted(
        enumerate(changes), key=lambda pair: (pair[1].from_quarter, pair[0])
    )
    for _, change in ordered:
        if change.from_quarter >= count:
            continue
        before = current.pop(change.item, None)
        if before is not None:
            ends[before] = min(ends[before], change.from_quarter)
        if change.line is None:
            continue
        line = change.line
        if line.behaviour is Behaviour.DEPRECIATION and line.in_service is None:
            line = replace(
                line, in_service=quarter_start(quarters[change.from_quarter])
            )
        current[change.item] = len(versions)
        versions.append(line)
        starts.append(change.from_quarter)
        ends.append(count)
    t = np.arange(count)
    active = (t[None, :] >= np.array(starts)[:, None]) & (
        t[None, :] < np.array(ends)[:, None]
    )
    return CostBase(tuple(versions)), active


@dataclass(frozen=True, eq=False)
class Projection:
    """A projection: a row per quarter, and the monthly cost of every line.

    `columns` holds the table's columns in order: the quarters' labels, then
    numpy arrays. The `table` (a DataFrame of them) and `line_costs` (item,
    cost_pool, behaviour, then a column per quarter) are built when first
    asked for: a page redrawn at each slider change reads a few columns, and
    rarely needs a table of thousands of lines.
    """

    columns: dict[str, Any]
    lines: tuple[CostLine, ...]
    line_monthly_cost: np.ndarray  # (lines, quarters)

    @cached_property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)

    @property
    def quarters(self) -> list[str]:
        """The quarters' labels, from the baseline ("2026-Q1") to the horizon."""
        return self.columns["quarter"]

    def column(self, name: str) -> np.ndarray:
        """A numeric column of the table, as an array (not to be changed)."""
        return self.columns[name]

    @cached_property
    def line_costs(self) -> pd.DataFrame:
        labels = self.quarters
        return pd.DataFrame(
            {
                "item": [line.item for line in self.lines],
                "cost_pool": [line.pool for line in self.lines],
                "behaviour": [line.behaviour.value for line in self.lines],
                **dict(zip(labels, self.line_monthly_cost.T, strict=True)),
            }
        )

    @property
    def baseline(self) -> pd.Series:
        return self.table.iloc[0]

    @property
    def horizon(self) -> pd.Series:
        return self.table.iloc[-1]

    @property
    def funding_ask(self) -> float:
        """Spend over quarters 1..H above holding the baseline run-rate."""
        return float(np.nansum(self.column("extra_spend")[1:]))

    def _long(self, columns: dict[str, str], name: str, value: str) -> pd.DataFrame:
        """Columns of the table stacked one after another: quarter, name, value."""
        quarters = np.asarray(self.quarters, dtype=object)
        count = len(quarters)
        # Typed as pandas types text, so that it need not infer the type.
        return pd.DataFrame(
            {
                "quarter": pd.array(np.tile(quarters, len(columns)), dtype="str"),
                name: pd.array(np.repeat(list(columns), count), dtype="str"),
                value: np.concatenate(
                    [
                        np.asarray(self.column(column), dtype=float)
                        for column in columns.values()
                    ]
                ),
            }
        )

    def by_pool(self) -> pd.DataFrame:
        """Monthly cost by pool and quarter, long: quarter, cost_pool, monthly_cost."""
        return self._long(POOL_COLUMNS, "cost_pool", "monthly_cost")

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
        columns = {tier.value: f"agents_{key}" for tier, key in TIER_KEYS.items()}
        return self._long(columns, "tier", "agents")


_DESK = ServiceDesk()  # the defaults of every service-desk assumption


@dataclass(frozen=True)
class Assumptions:
    """The numeric assumptions of a scenario, each a number or one value per draw.

    These are what a slider, a tornado bar or a Monte Carlo draw changes;
    the rest of a scenario (horizon, plan, contingent share and weight, line
    changes) is compiled into a Model. An escalation of NaN keeps each
    line's own, as None does in CostLevers.
    """

    growth_per_quarter: Values = 0.0
    tickets_per_user_month: Values = _DESK.tickets_per_user_month
    tickets_trend: Values = _DESK.tickets_trend
    resolution_rate: Values = _DESK.resolution_rate
    deskside_share: Values = _DESK.deskside_share
    deflection: Values = _DESK.deflection
    deflection_step: Values = _DESK.deflection_step
    deflection_cap: Values = _DESK.deflection_cap
    productivity: Values = 0.0
    labour_escalation: Values = np.nan
    licence_escalation: Values = np.nan

    def __post_init__(self) -> None:
        sizes = {np.size(getattr(self, f.name)) for f in fields(self)} - {1}
        if len(sizes) > 1:
            raise ValueError(
                "Each assumption is one number or one value per draw, the same "
                f"number of draws for all: these have {sorted(sizes)}."
            )

    @classmethod
    def of(cls, scenario: Scenario) -> Assumptions:
        """The scenario's own assumptions."""
        desk = scenario.service_desk
        levers = scenario.levers
        return cls(
            growth_per_quarter=scenario.growth_per_quarter,
            tickets_per_user_month=desk.tickets_per_user_month,
            tickets_trend=desk.tickets_trend,
            resolution_rate=desk.resolution_rate,
            deskside_share=desk.deskside_share,
            deflection=desk.deflection,
            deflection_step=desk.deflection_step,
            deflection_cap=desk.deflection_cap,
            productivity=levers.productivity,
            labour_escalation=_or_nan(levers.labour_escalation),
            licence_escalation=_or_nan(levers.licence_escalation),
        )

    @property
    def draws(self) -> int:
        """How many sets of assumptions these are."""
        return max(np.size(getattr(self, f.name)) for f in fields(self))

    def column(self, name: str) -> np.ndarray:
        """One assumption as a column of one value per draw: (draws, 1)."""
        values = per_draw(getattr(self, name))
        return np.broadcast_to(values, (self.draws, 1))

    def draw(self, index: int) -> Assumptions:
        """The assumptions of one draw."""
        return Assumptions(
            **{f.name: float(self.column(f.name)[index, 0]) for f in fields(self)}
        )

    def scenario(self, base: Scenario) -> Scenario:
        """The scenario `base` with these assumptions (of a single draw)."""
        value = self.draw(0)
        return replace(
            base,
            growth_per_quarter=value.growth_per_quarter,
            service_desk=replace(
                base.service_desk,
                tickets_per_user_month=value.tickets_per_user_month,
                tickets_trend=value.tickets_trend,
                resolution_rate=value.resolution_rate,
                deskside_share=value.deskside_share,
                deflection=value.deflection,
                deflection_step=value.deflection_step,
                deflection_cap=value.deflection_cap,
            ),
            levers=CostLevers(
                labour_escalation=_or_none(value.labour_escalation),
                licence_escalation=_or_none(value.licence_escalation),
                productivity=float(value.productivity),
            ),
        )


def _or_nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _or_none(value: Values) -> float | None:
    number = float(value)
    return None if np.isnan(number) else number


@dataclass(frozen=True)
class Model:
    """A cost base, headcount and scenario compiled once into arrays.

    Everything that does not change between draws is read here: the
    quarters, the planned headcount, every version of every line with the
    quarters in which it exists and its asset is in service. `run_model`
    then costs any number of assumption sets with numpy only.
    """

    quarters: tuple[pd.Period, ...]
    planned_employees: np.ndarray
    planned_contingent: np.ndarray
    contingent_share: float | None
    contingent_weight: float
    versions: CostBase
    lines: CompiledLines
    in_service: np.ndarray
    active: np.ndarray
    assumptions: Assumptions

    @property
    def quarter_index(self) -> np.ndarray:
        return np.arange(len(self.quarters))

    @property
    def labels(self) -> list[str]:
        return [quarter_label(q) for q in self.quarters]

    @cached_property
    def price_schedule(self) -> PriceSchedule:
        """What of the lines' cost no assumption changes, worked out at the
        first run and kept for every later one."""
        return schedule_prices(
            self.lines,
            escalation_years(self.quarter_index),
            self.in_service,
            self.active,
        )


def compile_model(
    cost_base: CostBase, headcount: Headcount, scenario: Scenario
) -> Model:
    """Read the inputs of a projection into arrays, once."""
    quarters = tuple(
        headcount.baseline_quarter + t for t in range(scenario.horizon_quarters + 1)
    )
    planned = headcount.rows[: len(quarters)]
    versions, active = line_versions(cost_base, scenario.changes, list(quarters))
    starts = [quarter_start(q) for q in quarters]
    lines = compile_lines(versions, starts[0])
    return Model(
        quarters=quarters,
        planned_employees=np.array([row.employees for row in planned], dtype=float),
        planned_contingent=np.array([row.contingent for row in planned], dtype=float),
        contingent_share=scenario.contingent_share,
        contingent_weight=scenario.service_desk.contingent_weight,
        versions=versions,
        lines=lines,
        in_service=lines.in_service(starts),
        active=active,
        assumptions=Assumptions.of(scenario),
    )


def fold_model(model: Model) -> Model:
    """The model with the lines that cost alike summed into one, for totals.

    A Fixed, Per user, Per ticket or Depreciation line's cost is its rate
    times a driver that other lines share, so lines with the same behaviour,
    pool, tier (Per ticket), escalation, service days (Depreciation) and
    quarters in force cost, together, their summed rate times that driver.
    Step and Staffed lines buy whole units each and stay as they are. The
    folded model gives the same totals, pools, agents and CPSU (to rounding
    in the last digits) from far fewer lines; the lines themselves are no
    longer the cost base's, so it serves sensitivity, not line listings.
    """
    lines = model.lines
    bought = lines.has(Behaviour.STEP) | lines.staffed
    per_ticket = lines.has(Behaviour.PER_TICKET)
    asset = lines.has(Behaviour.DEPRECIATION)
    groups: dict[tuple[object, ...], int] = {}
    group_of = np.empty(len(lines), dtype=np.int64)
    for index in range(len(lines)):
        if bought[index]:
            key: tuple[object, ...] = ("own", index)
        else:
            key = (
                int(lines.behaviour[index]),
                int(lines.pool_row[index]),
                int(lines.tier_row[index]) if per_ticket[index] else 0,
                float(lines.escalation[index]),
                model.in_service[index].tobytes() if asset[index] else b"",
                model.active[index].tobytes(),
            )
        group_of[index] = groups.setdefault(key, len(groups))
    first = np.unique(group_of, return_index=True)[1]
    rate = np.bincount(group_of, weights=lines.rate, minlength=len(groups))
    folded = replace(
        lines,
        **{
            name: getattr(lines, name)[first]
            for name in lines.__dataclass_fields__
            if name != "rate"
        },
        rate=rate,
    )
    return replace(
        model,
        versions=CostBase(tuple(model.versions.lines[i] for i in first)),
        lines=folded,
        in_service=model.in_service[first],
        active=model.active[first],
    )


def headcount_paths(
    planned_employees: np.ndarray,
    planned_contingent: np.ndarray,
    quarters: int,
    growth_per_quarter: np.ndarray,
    contingent_share: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Employees and contingent workers per draw and quarter: the plan, then growth.

    `growth_per_quarter` is a column of one rate per draw, (draws, 1); the
    paths are (draws, quarters).
    """
    draws = len(growth_per_quarter)
    known = len(planned_employees)
    grown_employees, grown_contingent = grow_headcount(
        int(planned_employees[-1]),
        int(planned_contingent[-1]),
        growth_per_quarter,
        np.arange(1, quarters + 1 - known),
        contingent_share,
    )
    employees = np.concatenate(
        [np.broadcast_to(planned_employees, (draws, known)), grown_employees], axis=1
    )
    contingent = np.concatenate(
        [np.broadcast_to(planned_contingent, (draws, known)), grown_contingent], axis=1
    )
    return employees.astype(float), contingent.astype(float)


@dataclass(frozen=True)
class ModelRun:
    """The model's numbers for a batch of assumption sets.

    Each is (draws, quarters) except `tier_load`, `agents` and
    `agent_capacity`, which are (draws, tiers, quarters) in the order of
    TIERS, and `line_costs`, whose arrays are (draws, lines, quarters).
    """

    employees: np.ndarray
    contingent: np.ndarray
    supported_users: np.ndarray
    deflection: np.ndarray
    tickets: np.ndarray
    tier_load: np.ndarray
    line_costs: LineCosts
    agents: np.ndarray
    agent_capacity: np.ndarray
    monthly_opex: np.ndarray
    cpsu: np.ndarray


def run_model(model: Model, assumptions: Assumptions | None = None) -> ModelRun:
    """Cost the model under each set of assumptions, with array operations only.

    Quarters without supported users get an infinite or undefined CPSU;
    `project` refuses them with a message.
    """
    given = model.assumptions if assumptions is None else assumptions
    # As given.column, with the number of draws counted once, not per column.
    draws = given.draws

    def column(name: str) -> np.ndarray:
        return np.broadcast_to(per_draw(getattr(given, name)), (draws, 1))

    t = model.quarter_index

    employees, contingent = headcount_paths(
        model.planned_employees,
        model.planned_contingent,
        len(model.quarters),
        column("growth_per_quarter"),
        model.contingent_share,
    )
    users = employees + model.contingent_weight * contingent
    deflection = deflection_path(
        column("deflection"), column("deflection_step"), column("deflection_cap"), t
    )
    per_user = tickets_per_user_path(
        column("tickets_per_user_month"), column("tickets_trend"), t
    )
    tickets = desk_tickets(users, per_user, deflection)
    loads = split_load(tickets, column("resolution_rate"), column("deskside_share"))
    costed = price_scheduled(
        model.price_schedule,
        users,
        loads,
        productivity=column("productivity")[:, 0],
        labour_escalation=column("labour_escalation")[:, 0],
        licence_escalation=column("licence_escalation")[:, 0],
    )

    # Agents and capacity by tier, from the Step and Staffed lines alone.
    bought = costed.bought
    staffed = model.lines.staffed[bought]
    tier_row = model.lines.tier_row[bought]
    on_tier = [staffed & (tier_row == row) for row in range(len(TIERS))]
    agents = np.stack(
        [costed.bought_units[:, on].sum(axis=1) for on in on_tier], axis=1
    )
    capacity = np.stack(
        [costed.bought_capacity[:, on].sum(axis=1) for on in on_tier], axis=1
    )
    run_rate = costed.monthly_cost.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cpsu = run_rate / users
    return ModelRun(
        employees=employees,
        contingent=contingent,
        supported_users=users,
        deflection=deflection,
        tickets=tickets,
        tier_load=loads,
        line_costs=costed,
        agents=agents,
        agent_capacity=capacity,
        monthly_opex=run_rate,
        cpsu=cpsu,
    )


def model_key(scenario: Scenario) -> tuple:
    """What of a scenario `compile_model` reads beyond its Assumptions: two
    scenarios with the same key share a compiled model (for the same cost base
    and headcount), so a slider that moves only an assumption need not compile
    again."""
    return (
        scenario.horizon_quarters,
        scenario.changes,
        scenario.contingent_share,
        scenario.service_desk.contingent_weight,
    )


def project(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    model: Model | None = None,
    run: ModelRun | None = None,
) -> Projection:
    """Project support cost and CPSU over quarters 0..H.

    `model`, when given, is `compile_model` of the same cost base and
    headcount for a scenario with the same `model_key`; it is run with this
    scenario's assumptions, unless `run` is that run already.
    """
    desk = scenario.service_desk
    if model is None:
        model = compile_model(cost_base, headcount, scenario)
    if run is None:
        run = run_model(model, Assumptions.of(scenario))
    quarter_index = model.quarter_index
    quarters = model.quarters
    users = run.supported_users[0]
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

    labels = model.labels
    columns: dict[str, Any] = {
        "quarter": labels,
        "t": quarter_index,
        "employees": run.employees[0],
        "contingent": run.contingent[0],
        "supported_users": users,
        "deflection": run.deflection[0],
        "tickets": run.tickets[0],
    }
    for row, tier in enumerate(TIERS):
        key = TIER_KEYS[tier]
        load = run.tier_load[0, row]
        capacity = run.agent_capacity[0, row]
        columns[f"load_{key}"] = load
        columns[f"agents_{key}"] = run.agents[0, row]
        with np.errstate(divide="ignore", invalid="ignore"):
            columns[f"utilisation_{key}"] = np.where(
                capacity > 0, load / capacity, np.nan
            )

    lines = model.versions.lines
    monthly_cost = run.line_costs.monthly_cost[0]
    for row, column in enumerate(POOL_COLUMNS.values()):
        columns[column] = monthly_cost[model.lines.pool_row == row].sum(axis=0)

    run_rate = run.monthly_opex[0]
    _check_run_rate(run_rate, monthly_cost, lines, quarters, users)
    cpsu = run.cpsu[0]
    columns["monthly_opex"] = run_rate
    columns["cpsu"] = cpsu
    added_users = np.diff(users, prepend=np.nan)
    added_cost = np.diff(run_rate, prepend=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns["cpsu_change"] = np.concatenate(([np.nan], cpsu[1:] / cpsu[:-1] - 1))
        columns["marginal_cost_per_user"] = np.where(
            added_users != 0, added_cost / added_users, np.nan
        )
    extra = MONTHS_PER_QUARTER * (run_rate - run_rate[0])
    columns["quarterly_spend"] = MONTHS_PER_QUARTER * run_rate
    columns["extra_spend"] = extra
    columns["cumulative_ask"] = np.cumsum(extra)
    return Projection(
        columns=columns, lines=tuple(lines), line_monthly_cost=monthly_cost
    )
