"""Cost lines, cost pools and how each line's cost moves as the company grows.

A cost line is one thing the company pays for to support its users: a licence,
a tool, a team of agents, a contract. Each line belongs to a cost pool (the
TBM end-user towers) and has a behaviour that says what drives its monthly
cost: nothing (Fixed), the number of supported users (Per user, Step), the
tickets of one support tier (Staffed, Per ticket), or the calendar
(Depreciation). Amounts are entered per Period (month, quarter or year) and
converted to a monthly run-rate; a ticket price and a capital cost are not
rates, so they are taken as they are.
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


@dataclass(frozen=True)
class Drivers:
    """What drives cost in each quarter of a projection, one value per quarter."""

    quarter_index: np.ndarray  # t = 0..H
    quarter_start: Sequence[date]  # first day of each quarter
    supported_users: np.ndarray
    tier_load: dict[Tier, np.ndarray]  # tickets a month worked at each tier


def ceil_units(ratio: np.ndarray) -> np.ndarray:
    """Whole units needed for a ratio, ignoring floating-point dust above it."""
    return np.ceil(np.round(ratio, _CEIL_DECIMALS))


def escalation_factor(escalation: np.ndarray, quarter_index: np.ndarray) -> np.ndarray:
    """Annual escalation applied in yearly steps: (1 + e) ** floor(t / 4).

    Takes one escalation per line and returns shape (lines, quarters).
    """
    years = np.floor_divide(quarter_index, 4)
    return (1.0 + np.asarray(escalation, dtype=float))[:, None] ** years[None, :]


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

    def escalation(self, line: CostLine) -> float:
        """The annual escalation the line is costed with."""
        if line.behaviour is Behaviour.STAFFED and self.labour_escalation is not None:
            return self.labour_escalation
        if (
            line.behaviour in (Behaviour.PER_USER, Behaviour.STEP)
            and self.licence_escalation is not None
        ):
            return self.licence_escalation
        return line.escalation


NO_LEVERS = CostLevers()


@dataclass(frozen=True)
class LineCosts:
    """Monthly cost and units of every line in every quarter: (lines, quarters).

    Units are the units bought for Step lines and the agents of Staffed lines;
    other lines have none (zero).
    """

    monthly_cost: np.ndarray
    units: np.ndarray


def cost_lines(
    cost_base: CostBase,
    drivers: Drivers,
    levers: CostLevers = NO_LEVERS,
    active: np.ndarray | None = None,
) -> LineCosts:
    """Cost every line in every quarter at once.

    Each behaviour's formula is evaluated for all lines as a matrix and the
    line's own behaviour picks its row, so a cost base of thousands of lines
    costs a few array operations rather than a loop per line. `levers` are
    the scenario's changes to escalation and productivity; `active`, shape
    (lines, quarters), says in which quarters each line exists at all (a
    line replaced or bought during the projection): elsewhere it costs
    nothing and has no units.
    """
    lines = cost_base.lines
    quarters = len(drivers.quarter_index)
    if not lines:
        empty = np.zeros((0, quarters))
        return LineCosts(monthly_cost=empty, units=empty.copy())

    behaviour = np.array([line.behaviour.value for line in lines])
    rate = np.array([line.monthly_rate for line in lines])[:, None]
    users = np.asarray(drivers.supported_users, dtype=float)[None, :]

    tier_loads = np.vstack([drivers.tier_load[tier] for tier in Tier])
    tier_row = np.array([list(Tier).index(line.tier or Tier.TIER_1) for line in lines])
    tier_load = tier_loads[tier_row]

    is_step = behaviour == Behaviour.STEP.value
    is_staffed = behaviour == Behaviour.STAFFED.value
    per_unit = np.array(
        [
            line.users_per_unit
            if line.behaviour is Behaviour.STEP
            else line.tickets_per_agent * (1.0 + levers.productivity)
            if line.behaviour is Behaviour.STAFFED
            else 1.0
            for line in lines
        ],
        dtype=float,
    )[:, None]
    driver = np.where(is_step[:, None], users, tier_load)
    min_units = np.array([line.min_units for line in lines], dtype=float)[:, None]
    units = np.where(
        (is_step | is_staffed)[:, None],
        np.maximum(min_units, ceil_units(driver / per_unit)),
        0.0,
    )

    starts = np.array(list(drivers.quarter_start), dtype="datetime64[D]")
    windows = [_service_window(line, drivers.quarter_start[0]) for line in lines]
    first_day = np.array([w[0] for w in windows], dtype="datetime64[D]")[:, None]
    past_life = np.array([w[1] for w in windows], dtype="datetime64[D]")[:, None]
    in_service = (starts[None, :] >= first_day) & (starts[None, :] < past_life)

    cost = np.select(
        [
            behaviour[:, None] == Behaviour.FIXED.value,
            behaviour[:, None] == Behaviour.PER_USER.value,
            (is_step | is_staffed)[:, None],
            behaviour[:, None] == Behaviour.PER_TICKET.value,
            behaviour[:, None] == Behaviour.DEPRECIATION.value,
        ],
        [
            np.broadcast_to(rate, (len(lines), quarters)),
            rate * users,
            rate * units,
            rate * tier_load,
            rate * in_service,
        ],
    )
    escalation = np.array([levers.escalation(line) for line in lines], dtype=float)
    cost = cost * escalation_factor(escalation, drivers.quarter_index)
    if active is not None:
        cost = np.where(active, cost, 0.0)
        units = np.where(active, units, 0.0)
    return LineCosts(monthly_cost=cost, units=units)


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
