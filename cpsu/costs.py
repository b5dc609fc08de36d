"""Cost lines, cost pools and how each line's cost moves as the company grows.

A cost line is one thing the company pays for to support its users: a licence,
a tool, a team of agents, a contract. Each line belongs to a cost pool (the
TBM end-user towers) and has a behaviour that says what drives its monthly
cost: nothing (Fixed), the number of supported users (Per user, Step), the
tickets of one support tier (Staffed, Per ticket), or the calendar
(Depreciation). Amounts are entered per Period (month, quarter or year) and
converted to a monthly run-rate; a ticket price and a capital cost are not
rates, so they are taken as they are.

The formulas live in price_lines, which costs a cost base compiled into
arrays (CompiledLines) for every quarter of any number of draws at once. A
model run again at each change of an assumption works out once what of the
cost the assumptions do not change (schedule_prices, a PriceSchedule) and
costs the rest each run (price_scheduled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property

import numpy as np
import pandas as pd


class Behaviour(StrEnum):
    """What drives a cost line's monthly cost."""

    FIXED = "Fixed"
    PER_USER = "Per user"
    STEP = "Step"
    STAFFED = "Staffed"
    PER_TICKET = "Per ticket"
    DEPRECIATION = "Depreciation"


class Period(StrEnum):
    """The period an amount or unit cost is quoted for."""

    MONTH = "Month"
    QUARTER = "Quarter"
    YEAR = "Year"

    @property
    def months(self) -> int:
        return {"Month": 1, "Quarter": 3, "Year": 12}[self.value]


class Tier(StrEnum):
    """Where a ticket is worked: the help desk, at the desk side, or tier 2."""

    TIER_1 = "Tier 1"
    DESKTOP = "Desktop"
    TIER_2 = "Tier 2"


POOLS: tuple[str, ...] = (
    "Productivity software",
    "Support tools",
    "Service desk (Tier 1)",
    "Desktop support",
    "Tier 2",
    "Managed service",
    "Other",
)

# The columns each behaviour needs, by the CostLine field that holds them.
REQUIRED_FIELDS: dict[Behaviour, tuple[str, ...]] = {
    Behaviour.FIXED: ("amount",),
    Behaviour.PER_USER: ("unit_cost",),
    Behaviour.STEP: ("unit_cost", "users_per_unit"),
    Behaviour.STAFFED: ("unit_cost", "tier", "tickets_per_agent"),
    Behaviour.PER_TICKET: ("unit_cost", "tier"),
    Behaviour.DEPRECIATION: ("amount", "life_months"),
}

# Ratios such as users / users-per-unit are ceiled; a load of 3 agents that
# floating point carries as 3.0000000000000004 must still need 3 agents.
_CEIL_DECIMALS = 9


@dataclass(frozen=True)
class CostLine:
    """One line of the cost base, as entered on the Costs sheet."""

    item: str
    pool: str
    behaviour: Behaviour
    amount: float | None = None
    period: Period = Period.MONTH
    unit_cost: float | None = None
    users_per_unit: float | None = None
    tier: Tier | None = None
    tickets_per_agent: float | None = None
    min_units: float = 0.0
    life_months: int | None = None
    in_service: date | None = None
    renew: bool = True
    escalation: float = 0.0
    vendor: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        if self.pool not in POOLS:
            raise ValueError(
                f"Cost line {self.item!r}: pool {self.pool!r} is not one of "
                f"{', '.join(POOLS)}."
            )
        missing = missing_fields(self)
        if missing:
            raise ValueError(
                f"Cost line {self.item!r} ({self.behaviour}) needs "
                f"{', '.join(missing)}."
            )
        for name in ("users_per_unit", "tickets_per_agent", "life_months"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"Cost line {self.item!r}: {name} must be above 0.")

    @property
    def monthly_rate(self) -> float:
        """The line's price per month, per driver unit (user, unit, agent, ticket)."""
        if self.behaviour is Behaviour.FIXED:
            return float(self.amount) / self.period.months  # type: ignore[arg-type]
        if self.behaviour is Behaviour.DEPRECIATION:
            return float(self.amount) / float(self.life_months)  # type: ignore[arg-type]
        if self.behaviour is Behaviour.PER_TICKET:
            return float(self.unit_cost)  # type: ignore[arg-type]
        return float(self.unit_cost) / self.period.months  # type: ignore[arg-type]


def missing_fields(line: CostLine) -> list[str]:
    """The fields the line's behaviour needs that are empty."""
    return [
        name for name in REQUIRED_FIELDS[line.behaviour] if getattr(line, name) is None
    ]


@dataclass(frozen=True)
class CostBase:
    """Every cost line of the company, in the order they were entered."""

    lines: tuple[CostLine, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.lines)


TIERS: tuple[Tier, ...] = tuple(Tier)

# A model input given as one number, or as one value per draw of a batch.
Values = float | np.ndarray
BEHAVIOURS: tuple[Behaviour, ...] = tuple(Behaviour)


def ceil_units(ratio: np.ndarray) -> np.ndarray:
    """Whole units needed for a ratio, ignoring floating-point dust above it."""
    return np.ceil(np.round(ratio, _CEIL_DECIMALS))


def escalation_factor(escalation: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Annual escalation applied in whole years: (1 + e) ** years.

    `escalation` has one rate per line, with any leading draw axes before
    the line axis; `years` is floor(t / 4) per quarter. Returns the shape of
    `escalation` with a quarter axis added.
    """
    return (1.0 + np.asarray(escalation, dtype=float))[..., None] ** years


def escalation_years(quarter_index: np.ndarray) -> np.ndarray:
    """Whole years since the baseline: floor(t / 4)."""
    return np.floor_divide(np.asarray(quarter_index), 4)


def _service_window(line: CostLine, baseline_start: date) -> tuple[date, date]:
    """First day an asset is in service, and the first day it no longer is."""
    start = line.in_service or baseline_start
    if line.renew:
        return start, date.max
    end = pd.Timestamp(start) + pd.DateOffset(months=int(line.life_months or 0))
    return start, end.date()


@dataclass(frozen=True)
class CostLevers:
    """Scenario-wide changes to how lines are costed; rates are fractions.

    `labour_escalation` replaces the annual escalation of every Staffed line
    (people's pay), `licence_escalation` that of every Per user and Step line
    (seats and tiers of subscriptions); None keeps each line's own.
    `productivity` changes the tickets an agent handles a month on every
    Staffed line: 0.1 is 10% more, so fewer agents for the same load.
    """

    labour_escalation: float | None = None
    licence_escalation: float | None = None
    productivity: float = 0.0

    def __post_init__(self) -> None:
        if self.productivity <= -1.0:
            raise ValueError("Agent productivity must be above -100%.")
        for name in ("labour_escalation", "licence_escalation"):
            value = getattr(self, name)
            if value is not None and value <= -1.0:
                raise ValueError(f"{name} must be above -100%.")


NO_LEVERS = CostLevers()


@dataclass(frozen=True)
class CompiledLines:
    """A cost base's lines as arrays, one entry per line, ready to cost at once.

    Compiling reads each line's attributes once: its behaviour (an index
    into BEHAVIOURS), its monthly rate, the users a Step unit covers or the
    tickets a Staffed agent handles (`per_unit`, 1 for other lines), its
    minimum units, its tier (an index into TIERS, Tier 1 where it has none),
    its own annual escalation, its pool (an index into POOLS) and the days
    an asset is in service from and until.
    """

    behaviour: np.ndarray
    rate: np.ndarray
    per_unit: np.ndarray
    min_units: np.ndarray
    tier_row: np.ndarray
    escalation: np.ndarray
    pool_row: np.ndarray
    first_day: np.ndarray
    past_life: np.ndarray

    def __len__(self) -> int:
        return len(self.behaviour)

    def has(self, behaviour: Behaviour) -> np.ndarray:
        """Which lines have the behaviour: a boolean per line."""
        return self.behaviour == BEHAVIOURS.index(behaviour)

    @property
    def staffed(self) -> np.ndarray:
        return self.has(Behaviour.STAFFED)

    @property
    def licensed(self) -> np.ndarray:
        """Per user and Step lines: the seats and tiers of subscriptions."""
        return self.has(Behaviour.PER_USER) | self.has(Behaviour.STEP)

    def in_service(self, quarter_starts: Sequence[date]) -> np.ndarray:
        """Whether each line's asset is in service on each quarter's first day."""
        starts = np.array(list(quarter_starts), dtype="datetime64[D]")[None, :]
        return (starts >= self.first_day[:, None]) & (starts < self.past_life[:, None])


def compile_lines(cost_base: CostBase, baseline_start: date) -> CompiledLines:
    """Read every line's attributes into arrays, once."""
    lines = cost_base.lines
    windows = [_service_window(line, baseline_start) for line in lines]
    return CompiledLines(
        behaviour=np.array(
            [BEHAVIOURS.index(line.behaviour) for line in lines], dtype=np.int64
        ),
        rate=np.array([line.monthly_rate for line in lines], dtype=float),
        per_unit=np.array(
            [
                line.users_per_unit
                if line.behaviour is Behaviour.STEP
                else line.tickets_per_agent
                if line.behaviour is Behaviour.STAFFED
                else 1.0
                for line in lines
            ],
            dtype=float,
        ),
        min_units=np.array([line.min_units for line in lines], dtype=float),
        tier_row=np.array(
            [TIERS.index(line.tier or Tier.TIER_1) for line in lines], dtype=np.int64
        ),
        escalation=np.array([line.escalation for line in lines], dtype=float),
        pool_row=np.array([POOLS.index(line.pool) for line in lines], dtype=np.int64),
        first_day=np.array([w[0] for w in windows], dtype="datetime64[D]"),
        past_life=np.array([w[1] for w in windows], dtype="datetime64[D]"),
    )


def per_draw(values: Values) -> np.ndarray:
    """A number or one value per draw, as a column: shape (draws, 1)."""
    return np.asarray(values, dtype=float).reshape(-1, 1)


@dataclass(frozen=True)
class LineCosts:
    """Monthly cost, units and agent capacity of every line in every quarter.

    Each is (draws, lines, quarters). Units are the units bought for Step
    lines and the agents of Staffed lines; `agent_capacity` is the tickets a
    month a Staffed line's agents can handle. Other lines have neither (zero).

    Units and capacity are kept for the lines that have them: `bought` holds
    the places of the Step lines and then of the Staffed lines (each in the
    cost base's order), and `bought_units` and `bought_capacity` their units
    and capacity, (draws, bought, quarters). `units` and `agent_capacity`
    spread them over every line when first asked for; a page redrawn at each
    slider change seldom asks.
    """

    monthly_cost: np.ndarray
    bought: np.ndarray
    bought_units: np.ndarray
    bought_capacity: np.ndarray

    def _every_line(self, values: np.ndarray) -> np.ndarray:
        spread = np.zeros(self.monthly_cost.shape)
        spread[:, self.bought] = values
        return spread

    @cached_property
    def units(self) -> np.ndarray:
        return self._every_line(self.bought_units)

    @cached_property
    def agent_capacity(self) -> np.ndarray:
        return self._every_line(self.bought_capacity)


# Lines whose cost the calendar alone decides: no assumption changes it.
_CALENDAR_ONLY = (Behaviour.FIXED, Behaviour.DEPRECIATION)
# Lines that buy whole units: Step lines for users, Staffed lines agents.
_BOUGHT = (Behaviour.STEP, Behaviour.STAFFED)


@dataclass(frozen=True, eq=False)
class PriceSchedule:
    """A cost base's lines over a calendar, sorted by behaviour, with what of
    their cost does not depend on the assumptions.

    Built once by `schedule_prices` for a compiled model and costed under
    any assumptions by `price_scheduled`. `order` holds the lines' places
    sorted by behaviour (in the cost base's order within one), and `groups`
    the slice of it of each behaviour that has lines. The arrays follow
    `order`: `rate`, `per_unit` and `min_units` are columns (lines, 1);
    `factor` is each line's own escalation over the quarters and `active`
    whether it exists, each (..., lines, quarters), with `active` None when
    every line exists throughout and `partial` the behaviours some of whose
    lines do not. `fixed_cost` holds the finished monthly cost of the Fixed
    and Depreciation lines, which no assumption changes, by behaviour.
    `bought` holds the places of the Step lines and then the Staffed lines,
    and `bought_rows` the slice of it of each.
    """

    lines: CompiledLines
    years: np.ndarray
    order: np.ndarray
    groups: dict[Behaviour, slice]
    rate: np.ndarray
    per_unit: np.ndarray
    min_units: np.ndarray
    tier_row: np.ndarray
    factor: np.ndarray
    active: np.ndarray | None
    partial: frozenset[Behaviour]
    fixed_cost: dict[Behaviour, np.ndarray]
    bought: np.ndarray
    bought_rows: dict[Behaviour, slice]

    def exists(self, behaviour: Behaviour) -> np.ndarray | None:
        """Whether each line of the behaviour exists in each quarter; None when
        all exist throughout."""
        if behaviour not in self.partial:
            return None
        return self.active[..., self.groups[behaviour], :]  # type: ignore[index]


def _by_line(values: np.ndarray, count: int) -> np.ndarray:
    """An array with at least a line axis and a quarter axis, the line axis second
    to last: a number or a row of quarters is the same for every line."""
    values = np.asarray(values)
    return np.broadcast_to(values, np.broadcast_shapes(values.shape, (count, 1)))


def _masked(active: np.ndarray | None, values: np.ndarray) -> np.ndarray:
    """`values` where `active` (everywhere when None), zero elsewhere."""
    return values if active is None else np.where(active, values, 0.0)


def schedule_prices(
    lines: CompiledLines,
    years: np.ndarray,
    in_service: np.ndarray,
    active: np.ndarray,
) -> PriceSchedule:
    """What of the lines' cost the assumptions do not change, worked out once.

    `years`, `in_service` and `active` are those of `price_lines`. The lines
    are sorted by behaviour with their own escalation over the quarters and
    the quarters they exist in; Fixed and Depreciation lines, which no
    assumption moves, are costed in full.
    """
    years = np.asarray(years)
    order = np.argsort(lines.behaviour, kind="stable")
    bounds = np.searchsorted(lines.behaviour[order], np.arange(len(BEHAVIOURS) + 1))
    groups = {
        behaviour: slice(int(bounds[row]), int(bounds[row + 1]))
        for row, behaviour in enumerate(BEHAVIOURS)
        if bounds[row + 1] > bounds[row]
    }
    factor = escalation_factor(lines.escalation[order], years)
    rate = lines.rate[order, None]
    exists = _by_line(active, len(lines))
    if exists.all():
        sorted_active, partial = None, frozenset[Behaviour]()
    else:
        sorted_active = exists[..., order, :]
        partial = frozenset(
            behaviour
            for behaviour, rows in groups.items()
            if not sorted_active[..., rows, :].all()
        )
    fixed_cost: dict[Behaviour, np.ndarray] = {}
    for behaviour in _CALENDAR_ONLY:
        rows = groups.get(behaviour)
        if rows is None:
            continue
        if behaviour is Behaviour.DEPRECIATION:
            served = _by_line(in_service, len(lines))[..., order[rows], :]
            cost = (rate[rows] * served) * factor[..., rows, :]
        else:
            cost = rate[rows] * factor[..., rows, :]
        on = sorted_active if behaviour in partial else None
        fixed_cost[behaviour] = _masked(None if on is None else on[..., rows, :], cost)
    bought_rows: dict[Behaviour, slice] = {}
    start = 0
    for behaviour in _BOUGHT:
        rows = groups.get(behaviour, slice(0, 0))
        bought_rows[behaviour] = slice(start, start + rows.stop - rows.start)
        start = bought_rows[behaviour].stop
    return PriceSchedule(
        lines=lines,
        years=years,
        order=order,
        groups=groups,
        rate=rate,
        per_unit=lines.per_unit[order, None],
        min_units=lines.min_units[order, None],
        tier_row=lines.tier_row[order],
        factor=factor,
        active=sorted_active,
        partial=partial,
        fixed_cost=fixed_cost,
        bought=np.concatenate(
            [order[groups.get(behaviour, slice(0, 0))] for behaviour in _BOUGHT]
        ),
        bought_rows=bought_rows,
    )


def _escalation(own: np.ndarray, years: np.ndarray, override: np.ndarray) -> np.ndarray:
    """The escalation factor of lines whose own is `own`, with a scenario rate
    (one per draw, NaN keeps the lines' own) in place of theirs."""
    replaced = ~np.isnan(override)
    if not replaced.any():
        return own
    theirs = escalation_factor(override, years)
    if replaced.all():
        return theirs
    return np.where(replaced[..., None], theirs, own)


def price_scheduled(
    schedule: PriceSchedule,
    supported_users: np.ndarray,
    tier_loads: np.ndarray,
    productivity: Values = 0.0,
    labour_escalation: Values = np.nan,
    licence_escalation: Values = np.nan,
) -> LineCosts:
    """Cost a schedule's lines under the assumptions: `price_lines` with the
    calendar's part worked out beforehand by `schedule_prices`."""
    users = np.asarray(supported_users, dtype=float)
    draws, quarters = users.shape
    shape = (draws, len(schedule.lines), quarters)
    units = np.zeros((draws, len(schedule.bought), quarters))
    capacity = np.zeros(units.shape)
    # Every line is in one group, so every line's cost is written below.
    cost = np.empty(shape) if schedule.groups else np.zeros(shape)
    loads = np.asarray(tier_loads, dtype=float)
    productivity = np.asarray(productivity, dtype=float).reshape(-1, 1, 1)
    overrides = {
        Behaviour.PER_USER: per_draw(licence_escalation),
        Behaviour.STEP: per_draw(licence_escalation),
        Behaviour.STAFFED: per_draw(labour_escalation),
    }
    for behaviour, rows in schedule.groups.items():
        index = schedule.order[rows]
        if behaviour in schedule.fixed_cost:
            cost[:, index] = schedule.fixed_cost[behaviour]
            continue
        exists = schedule.exists(behaviour)
        rate = schedule.rate[rows]
        factor = schedule.factor[..., rows, :]
        if behaviour in overrides:
            factor = _escalation(factor, schedule.years, overrides[behaviour])
        if behaviour is Behaviour.PER_TICKET:
            tickets = loads[:, schedule.tier_row[rows], :]
            cost[:, index] = _masked(exists, (rate * tickets) * factor)
            continue
        if behaviour is Behaviour.PER_USER:
            cost[:, index] = _masked(exists, (rate * users[:, None, :]) * factor)
            continue
        # Step lines buy units for users, Staffed lines agents for their tier's load.
        per_unit = schedule.per_unit[rows]
        if behaviour is Behaviour.STAFFED:
            per_unit = per_unit * (1.0 + productivity)
            driver = loads[:, schedule.tier_row[rows], :]
        else:
            driver = users[:, None, :]
        bought = np.maximum(schedule.min_units[rows], ceil_units(driver / per_unit))
        cost[:, index] = _masked(exists, (rate * bought) * factor)
        kept = schedule.bought_rows[behaviour]
        units[:, kept] = _masked(exists, bought)
        if behaviour is Behaviour.STAFFED:
            capacity[:, kept] = _masked(exists, bought * per_unit)
    return LineCosts(
        monthly_cost=cost,
        bought=schedule.bought,
        bought_units=units,
        bought_capacity=capacity,
    )


def price_lines(
    lines: CompiledLines,
    supported_users: np.ndarray,
    tier_loads: np.ndarray,
    years: np.ndarray,
    in_service: np.ndarray,
    active: np.ndarray,
    productivity: Values = 0.0,
    labour_escalation: Values = np.nan,
    licence_escalation: Values = np.nan,
) -> LineCosts:
    """Cost every line in every quarter of every draw, with array operations only.

    `supported_users` is (draws, quarters) and `tier_loads` (draws, tiers,
    quarters), the tickets a month worked at each tier of TIERS. `years`
    (whole years of escalation), `in_service` (an asset in service) and
    `active` (the line exists at all: a line replaced or bought during the
    projection costs nothing elsewhere) broadcast against (draws, lines,
    quarters). The levers are a number or one per draw: `productivity`
    changes the tickets a Staffed agent handles, the escalations replace the
    lines' own (NaN keeps it): the labour rate a Staffed line's, the licence
    rate a Per user or Step line's.

    These are the formulas of the model, written once, each behaviour's
    group of lines costed on its own: a Fixed line costs its rate, a
    Depreciation line its rate while in service, a Per user line its rate
    per supported user, a Per ticket line its rate per ticket of its tier; a
    Step line buys whole units of users, a Staffed line whole agents for its
    tier's load (at least `min_units` of each). Each is escalated by whole
    years and costs nothing in a quarter the line does not exist. A model
    run many times keeps the calendar's part: see `schedule_prices`.
    """
    return price_scheduled(
        schedule_prices(lines, years, in_service, active),
        supported_users,
        tier_loads,
        productivity=productivity,
        labour_escalation=labour_escalation,
        licence_escalation=licence_escalation,
    )


def cost_basis(line: CostLine) -> str:
    """How a line is costed, in words: what a reader checks against the sheet."""
    from cpsu.formatting import money, percent

    rate = money(line.monthly_rate)
    match line.behaviour:
        case Behaviour.FIXED:
            text = f"{rate} a month"
            if line.period is not Period.MONTH:
                text += f" ({money(line.amount)} a {line.period.value.lower()})"
        case Behaviour.PER_USER:
            text = f"{rate} a user a month"
        case Behaviour.STEP:
            text = f"{rate} a month per {line.users_per_unit:,g} users"
        case Behaviour.STAFFED:
            text = (
                f"{rate} an agent a month, {line.tickets_per_agent:,g} tickets an "
                f"agent, {line.tier}"
            )
        case Behaviour.PER_TICKET:
            text = f"{rate} a ticket at {line.tier}"
        case Behaviour.DEPRECIATION:
            start = line.in_service.isoformat() if line.in_service else "the baseline"
            renewal = "renewed" if line.renew else "not renewed"
            text = (
                f"{money(line.amount)} over {line.life_months} months from {start}, "
                f"{renewal}"
            )
    if line.min_units and line.behaviour in (Behaviour.STEP, Behaviour.STAFFED):
        text += f", at least {line.min_units:g}"
    if line.escalation:
        text += f", +{percent(line.escalation)} a year"
    return text
