"""The ticket tree: deflection, Tier 1, and escalation to Desktop and Tier 2."""

import numpy as np
import pytest

from cpsu.costs import Tier
from cpsu.workload import (
    ServiceDesk,
    deflection_by_quarter,
    tickets_by_quarter,
    tier_loads,
)

DESK = ServiceDesk(
    tickets_per_user_month=1.0,
    resolution_rate=0.7,
    deskside_share=0.25,
    deflection=0.10,
    deflection_step=0.05,
    deflection_cap=0.20,
)


def test_deflection_grows_by_its_step_up_to_the_cap():
    # min(0.10 + 0.05 t, 0.20) for t = 0..3
    np.testing.assert_allclose(
        deflection_by_quarter(DESK, np.arange(4)), [0.10, 0.15, 0.20, 0.20]
    )


def test_tickets_are_what_deflection_leaves():
    tickets = tickets_by_quarter(DESK, np.full(4, 2000.0), np.arange(4))
    # 2,000 * 1.0 * (1 - d): 1,800, 1,700, 1,600, 1,600
    np.testing.assert_allclose(tickets, [1800, 1700, 1600, 1600])


def test_escalated_tickets_split_between_desktop_and_tier_2():
    loads = tier_loads(DESK, np.array([1800.0]))
    # Tier 1 sees all 1,800; escalated (1 - 0.7) * 1,800 = 540;
    # Desktop 0.25 * 540 = 135; Tier 2 0.75 * 540 = 405
    assert loads[Tier.TIER_1][0] == pytest.approx(1800)
    assert loads[Tier.DESKTOP][0] == pytest.approx(135)
    assert loads[Tier.TIER_2][0] == pytest.approx(405)


def test_every_escalated_ticket_lands_somewhere():
    loads = tier_loads(DESK, np.array([1234.5]))
    escalated = (1 - DESK.resolution_rate) * 1234.5
    assert loads[Tier.DESKTOP][0] + loads[Tier.TIER_2][0] == pytest.approx(escalated)


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ("resolution_rate", "The Tier 1 resolution rate"),
        ("deskside_share", "The desk-side share of escalations"),
        ("deflection", "Deflection"),
        ("deflection_cap", "The deflection cap"),
    ],
)
def test_rates_outside_zero_to_one_are_refused_in_words(field, said):
    with pytest.raises(ValueError, match=f"^{said} must be between 0% and 100%"):
        ServiceDesk(**{field: 1.5})
