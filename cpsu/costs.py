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
arrays (CompiledLines) for every quarter of any number of draws at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

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


def line_escalation(
    lines: CompiledLines,
    labour_escalation: Values = np.nan,
    licence_escalation: Values = np.nan,
) -> np.ndarray:
    """The annual escalation each line is costed with: (draws, lines).

    The labour rate replaces a Staffed line's own, the licence rate that of a
    Per user or Step line; NaN keeps the line's own.
    """
    labour = per_draw(labour_escalation)
    licence = per_draw(licence_escalation)
    own = lines.escalation[None, :]
    rate = np.where(lines.staffed[None, :] & ~np.isnan(labour), labour, own)
    return np.where(lines.licensed[None, :] & ~np.isnan(licence), licence, rate)


@dataclass(frozen=True)
class LineCosts:
    """Monthly cost, units and agent capacity of every line in every quarter.

    Each is (draws, lines, quarters). Units are the units bought for Step
    lines and the agents of Staffed lines; `agent_capacity` is the tickets a
    month a Staffed line's agents can handle. Other lines have neither (zero).
    """

    monthly_cost: np.ndarray
    units: np.ndarray
    agent_capacity: np.ndarray


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
    lines' own (NaN keeps it). These are the formulas of the model, written
    once: each behaviour's group of lines is costed on its own.
    """
    users = np.asarray(supported_users, dtype=float)
    draws, quarters = users.shape
    shape = (draws, len(lines), quarters)
    cost = np.zeros(shape)
    units = np.zeros(shape)
    capacity = np.zeros(shape)
    if not len(lines):
        return LineCosts(monthly_cost=cost, units=units, agent_capacity=capacity)

    rate = lines.rate[:, None]
    loads = np.asarray(tier_loads, dtype=float)[:, lines.tier_row, :]

    fixed = lines.has(Behaviour.FIXED)
    cost[:, fixed] = np.broadcast_to(rate[fixed], (int(fixed.sum()), quarters))
    per_user = lines.has(Behaviour.PER_USER)
    cost[:, per_user] = rate[per_user] * users[:, None, :]
    per_ticket = lines.has(Behaviour.PER_TICKET)
    cost[:, per_ticket] = rate[per_ticket] * loads[:, per_ticket]
    asset = lines.has(Behaviour.DEPRECIATION)
    served = np.broadcast_to(in_service, shape)
    cost[:, asset] = rate[asset] * served[:, asset]

    # Step lines buy units for users, Staffed lines agents for their tier's load.
    step = lines.has(Behaviour.STEP)
    staffed = lines.staffed
    bought = step | staffed
    productivity = np.asarray(productivity, dtype=float).reshape(-1, 1, 1)
    per_unit = np.where(
        staffed[bought][:, None],
        lines.per_unit[bought][:, None] * (1.0 + productivity),
        lines.per_unit[bought][:, None],
    )
    driver = np.where(step[bought][:, None], users[:, None, :], loads[:, bought])
    bought_units = np.maximum(
        lines.min_units[bought][:, None], ceil_units(driver / per_unit)
    )
    units[:, bought] = bought_units
    cost[:, bought] = rate[bought] * bought_units
    capacity[:, bought] = np.where(
        staffed[bought][:, None], bought_units * per_unit, 0.0
    )

    escalation = line_escalation(lines, labour_escalation, licence_escalation)
    cost = cost * escalation_factor(escalation, years)
    return LineCosts(
        monthly_cost=np.where(active, cost, 0.0),
        units=np.where(active, units, 0.0),
        agent_capacity=np.where(active, capacity, 0.0),
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
