"""In-house or managed: when a staffed Tier 1 beats a service contract.

A staffed help desk costs whole agents: enough for the tickets of every
supported user at the tickets one agent handles a month, never fewer than
the minimum, plus what it costs to run whatever the size (tools, a lead).
A contract costs a price per user or per ticket, so it grows in a straight
line with users. Agents come in steps, so the desk's cost is a staircase
that the contract's line crosses back and forth at small sizes; past some
number of users the desk is never dearer again. That number is the
break-even: from it upwards, at every size, the desk costs no more than the
contract. If the contract's cost per user is no more than an agent's cost
per user it serves, the desk never breaks even.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np

# Beyond this many users a break-even is reported as out of sight.
MAX_USERS = 10_000_000


class Pricing(enum.Enum):
    PER_USER = "per user"
    PER_TICKET = "per ticket"


@dataclass(frozen=True)
class InHouseDesk:
    """A staffed Tier 1: tickets per user per month (after deflection), the
    tickets one agent handles a month, an agent's loaded cost a month, the
    fewest agents kept, and the monthly cost of running it at any size."""

    tickets_per_user: float
    tickets_per_agent: float
    cost_per_agent: float
    min_agents: int = 0
    overhead: float = 0.0

    def __post_init__(self) -> None:
        if self.tickets_per_user < 0:
            raise ValueError("Tickets per user cannot be negative.")
        if self.tickets_per_agent <= 0:
            raise ValueError("An agent must handle some tickets a month.")
        if self.cost_per_agent < 0 or self.overhead < 0 or self.min_agents < 0:
            raise ValueError("Costs and the minimum of agents cannot be negative.")

    def agents(self, users: np.ndarray) -> np.ndarray:
        load = np.asarray(users, dtype=float) * self.tickets_per_user
        # A load a hair over a whole number of agents (a float's rounding)
        # does not hire another.
        needed = np.ceil(np.round(load / self.tickets_per_agent, 9))
        return np.maximum(self.min_agents, needed)

    def monthly_cost(self, users: np.ndarray) -> np.ndarray:
        return self.agents(users) * self.cost_per_agent + self.overhead


@dataclass(frozen=True)
class Contract:
    """A managed Tier 1 at a price per user or per ticket a month, plus a
    fixed monthly fee."""

    pricing: Pricing
    price: float
    fee: float = 0.0

    def __post_init__(self) -> None:
        if self.price < 0 or self.fee < 0:
            raise ValueError("A contract's price and fee cannot be negative.")

    def per_user(self, tickets_per_user: float) -> float:
        """The contract's cost of one more user a month."""
        if self.pricing is Pricing.PER_USER:
            return self.price
        return self.price * tickets_per_user

    def monthly_cost(self, users: np.ndarray, tickets_per_user: float) -> np.ndarray:
        return (
            np.asarray(users, dtype=float) * self.per_user(tickets_per_user) + self.fee
        )


@dataclass(frozen=True)
class BreakEven:
    """Where the desk stops being dearer than the contract.

    `users` is the smallest number of users from which the desk costs no
    more than the contract at every size up; None when it never does (or
    not below `MAX_USERS`). `reason` says why in words when there is none.
    """

    users: int | None
    desk_per_user: float  # an agent's cost per user it serves, a month
    contract_per_user: float
    reason: str = ""


def break_even(desk: InHouseDesk, contract: Contract) -> BreakEven:
    """The break-even number of users between a staffed desk and a contract."""
    marginal = desk.tickets_per_user / desk.tickets_per_agent * desk.cost_per_agent
    price = contract.per_user(desk.tickets_per_user)
    if price <= marginal:
        return BreakEven(
            None,
            marginal,
            price,
            f"The contract costs ${price:,.2f} a user a month, no more than the "
            f"${marginal:,.2f} a user that the desk's agents cost, so the desk "
            "never becomes the cheaper choice.",
        )
    # The desk never needs more than the minimum plus one agent over its
    # load: desk(U) <= (min + k * U + 1) * cost + overhead, k agents a user.
    # Past `bound` users the contract's margin over the agents' own cost
    # covers that, so the desk is never dearer there.
    slack = (desk.min_agents + 1) * desk.cost_per_agent + desk.overhead - contract.fee
    bound = max(slack / (price - marginal), 0.0)
    top = math.ceil(bound) + 1
    if top > MAX_USERS:
        return BreakEven(
            None,
            marginal,
            price,
            f"The desk would break even only beyond {MAX_USERS:,} users.",
        )
    users = np.arange(0, top + 1)
    dearer = desk.monthly_cost(users) > contract.monthly_cost(
        users, desk.tickets_per_user
    )
    if not dearer.any():
        return BreakEven(0, marginal, price)
    return BreakEven(int(np.flatnonzero(dearer)[-1]) + 1, marginal, price)
