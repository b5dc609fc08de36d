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

from cpsu.costs import TIERS, Tier, Values


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
        for name, said in (
            ("resolution_rate", "The Tier 1 resolution rate"),
            ("deskside_share", "The desk-side share of escalations"),
            ("deflection", "Deflection"),
            ("deflection_cap", "The deflection cap"),
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(
                    f"{said} must be between 0% and 100% (0 and 1), not {value:g}."
                )
        if self.contingent_weight < 0:
            raise ValueError("Contingent weight cannot be negative.")
        if self.tickets_trend <= -1.0:
            raise ValueError(
                "The yearly trend of tickets per user must be above -100%."
            )


def deflection_path(
    start: Values, step: Values, cap: Values, quarter_index: np.ndarray
) -> np.ndarray:
    """Share of tickets self-service deflects: min(d0 + step * t, cap).

    Each parameter is a number or a column of one value per draw (draws, 1);
    the result has a value per quarter (per draw and quarter).
    """
    return np.minimum(start + step * np.asarray(quarter_index, dtype=float), cap)


def tickets_per_user_path(
    tickets_per_user_month: Values, trend: Values, quarter_index: np.ndarray
) -> np.ndarray:
    """Tickets per user per month in each quarter: tpu * (1 + trend) ** (t / 4).

    The yearly trend compounds a quarter at a time, so a 5% yearly fall is
    about 1.27% a quarter and exactly 5% after four quarters.
    """
    years = np.asarray(quarter_index, dtype=float) / 4.0
    return tickets_per_user_month * (1.0 + trend) ** years


def desk_tickets(
    supported_users: np.ndarray, tickets_per_user: np.ndarray, deflection: np.ndarray
) -> np.ndarray:
    """Tickets a month that reach the desk: U * tickets per user * (1 - d)."""
    return (
        np.asarray(supported_users, dtype=float) * tickets_per_user * (1.0 - deflection)
    )


def split_load(
    tickets: np.ndarray, resolution_rate: Values, deskside_share: Values
) -> np.ndarray:
    """Tickets a month worked at each tier, stacked in the order of TIERS.

    Tier 1 sees every ticket; of those it cannot resolve, the desk-side share
    goes to Desktop and the rest to Tier 2. Returns (..., tiers, quarters).
    """
    tickets = np.asarray(tickets, dtype=float)
    escalated = (1.0 - resolution_rate) * tickets
    loads = {
        Tier.TIER_1: tickets,
        Tier.DESKTOP: escalated * deskside_share,
        Tier.TIER_2: escalated * (1.0 - deskside_share),
    }
    return np.stack([loads[tier] for tier in TIERS], axis=-2)


def deflection_by_quarter(desk: ServiceDesk, quarter_index: np.ndarray) -> np.ndarray:
    """Share of tickets self-service deflects: min(d0 + step * t, cap)."""
    return deflection_path(
        desk.deflection, desk.deflection_step, desk.deflection_cap, quarter_index
    )


def tickets_per_user_by_quarter(
    desk: ServiceDesk, quarter_index: np.ndarray
) -> np.ndarray:
    """Tickets per user per month in each quarter of the desk's trend."""
    return tickets_per_user_path(
        desk.tickets_per_user_month, desk.tickets_trend, quarter_index
    )


def tickets_by_quarter(
    desk: ServiceDesk, supported_users: np.ndarray, quarter_index: np.ndarray
) -> np.ndarray:
    """Tickets a month that reach the desk: U * tickets per user * (1 - d)."""
    return desk_tickets(
        supported_users,
        tickets_per_user_by_quarter(desk, quarter_index),
        deflection_by_quarter(desk, quarter_index),
    )


def tier_loads(desk: ServiceDesk, tickets: np.ndarray) -> dict[Tier, np.ndarray]:
    """Tickets a month worked at each tier."""
    loads = split_load(tickets, desk.resolution_rate, desk.deskside_share)
    return {tier: loads[..., row, :] for row, tier in enumerate(TIERS)}
