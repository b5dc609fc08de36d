"""Tickets, and the support work they make at each tier.

Every supported user raises tickets at some rate a month. Self-service
deflects a share of them before they reach anyone, a share that grows by a
step each quarter up to a cap. Every ticket that is left lands at Tier 1,
the help desk, which resolves the resolution rate's share. The rest are
escalated: the desk-side share needs someone at the user's desk (Desktop)
and the remainder goes to Tier 2. A staffed tier needs enough agents for its
monthly load at the tickets one agent handles a month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cpsu.costs import Tier


@dataclass(frozen=True)
class ServiceDesk:
    """The service-desk parameters of the Service desk sheet; rates are fractions."""

    tickets_per_user_month: float = 1.1
    resolution_rate: float = 0.7
    deskside_share: float = 0.3
    deflection: float = 0.1
    deflection_step: float = 0.0
    deflection_cap: float = 0.45
    contingent_weight: float = 1.0
    tickets_trend: float = 0.0  # yearly change of tickets per user, -0.05 is 5% fewer

    def __post_init__(self) -> None:
        if self.tickets_per_user_month < 0:
            raise ValueError("Tickets per user per month cannot be negative.")
        for name in (
            "resolution_rate",
            "deskside_share",
            "deflection",
            "deflection_cap",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}.")
        if self.contingent_weight < 0:
            raise ValueError("Contingent weight cannot be negative.")
        if self.tickets_trend <= -1.0:
            raise ValueError(
                "The yearly trend of tickets per user must be above -100%."
            )


def deflection_by_quarter(desk: ServiceDesk, quarter_index: np.ndarray) -> np.ndarray:
    """Share of tickets self-service deflects: min(d0 + step * t, cap)."""
    return np.minimum(
        desk.deflection + desk.deflection_step * np.asarray(quarter_index, dtype=float),
        desk.deflection_cap,
    )


def tickets_per_user_by_quarter(
    desk: ServiceDesk, quarter_index: np.ndarray
) -> np.ndarray:
    """Tickets per user per month in each quarter: tpu * (1 + trend) ** (t / 4).

    The yearly trend compounds a quarter at a time, so a 5% yearly fall is
    about 1.27% a quarter and exactly 5% after four quarters.
    """
    years = np.asarray(quarter_index, dtype=float) / 4.0
    return desk.tickets_per_user_month * (1.0 + desk.tickets_trend) ** years


def tickets_by_quarter(
    desk: ServiceDesk, supported_users: np.ndarray, quarter_index: np.ndarray
) -> np.ndarray:
    """Tickets a month that reach the desk: U * tickets per user * (1 - d)."""
    deflection = deflection_by_quarter(desk, quarter_index)
    return (
        np.asarray(supported_users, dtype=float)
        * tickets_per_user_by_quarter(desk, quarter_index)
        * (1.0 - deflection)
    )


def tier_loads(desk: ServiceDesk, tickets: np.ndarray) -> dict[Tier, np.ndarray]:
    """Tickets a month worked at each tier.

    Tier 1 sees every ticket; of those it cannot resolve, the desk-side share
    goes to Desktop and the rest to Tier 2.
    """
    tickets = np.asarray(tickets, dtype=float)
    escalated = (1.0 - desk.resolution_rate) * tickets
    return {
        Tier.TIER_1: tickets,
        Tier.DESKTOP: escalated * desk.deskside_share,
        Tier.TIER_2: escalated * (1.0 - desk.deskside_share),
    }
