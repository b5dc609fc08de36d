"""In-house or managed: the break-even number of users, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.sourcing import Contract, InHouseDesk, Pricing, break_even


def test_break_even_against_a_per_user_contract_by_hand() -> None:
    # 1 ticket a user a month, 500 tickets an agent, $6,000 an agent a month:
    # the desk costs ceil(U / 500) * $6,000; the contract $15 * U.
    # Agents cost $12 a user, below $15, so the desk breaks even somewhere.
    # U = 1,599: 4 agents $24,000 > $23,985, dearer.
    # U = 1,600: $24,000 <= $24,000; up to 2,000 the desk stays $24,000 and the
    # contract rises; at 2,001 5 agents $30,000 <= $30,015, and so on.
    desk = InHouseDesk(tickets_per_user=1.0, tickets_per_agent=500, cost_per_agent=6000)
    found = break_even(desk, Contract(Pricing.PER_USER, 15.0))
    assert found.users == 1600
    assert found.desk_per_user == pytest.approx(12.0)
    assert found.contract_per_user == 15.0


def test_break_even_against_a_per_ticket_contract_by_hand() -> None:
    # 1.2 tickets a user, 600 tickets an agent, $5,000 an agent, $2,000 of tools
    # a month; the contract charges $10 a ticket, so $12 a user.
    # Agents cost 1.2 / 600 * 5,000 = $10 a user; one agent serves 500 users.
    # So the desk costs ceil(U / 500) * $5,000 + $2,000 and the contract $12 * U.
    # With n agents (U from 500(n - 1) + 1 to 500n) the desk is $5,000n + $2,000;
    # at the step's first user the contract is 12 * (500n - 499) = $6,000n - $5,988,
    # which covers the desk once 1,000n >= 7,988: from n = 8 (3,501 users) on.
    # At n = 7 (3,001 to 3,500 users) the desk's $37,000 is met from
    # 37,000 / 12 = 3,083.3, so from 3,084 users; 3,083 costs $36,996 < $37,000.
    desk = InHouseDesk(1.2, 600, 5000, overhead=2000)
    found = break_even(desk, Contract(Pricing.PER_TICKET, 10.0))
    assert found.users == 3084


def test_a_minimum_of_agents_moves_the_break_even() -> None:
    # As the first case, with at least 5 agents ($30,000): the contract
    # reaches $30,000 at 2,000 users; at 1,999 the desk ($30,000) is dearer.
    desk = InHouseDesk(1.0, 500, 6000, min_agents=5)
    assert break_even(desk, Contract(Pricing.PER_USER, 15.0)).users == 2000


def test_a_minimum_of_agents_counts_when_users_raise_no_tickets() -> None:
    # No tickets: the desk is its 2 agents whatever the size, 2 * $6,662.50 =
    # $13,325 a month; the contract $14 a user. The contract reaches $13,325 at
    # 13,325 / 14 = 951.8 users, so from ceil(951.8) = 952 on; at 951 it costs
    # $13,314 < $13,325.
    desk = InHouseDesk(0.0, 650, 6662.5, min_agents=2)
    assert break_even(desk, Contract(Pricing.PER_USER, 14.0)).users == 952


def test_a_tiny_ticket_rate_breaks_even_within_reach() -> None:
    # 0.0001 tickets a user, 650 an agent: one agent serves 6,500,000 users,
    # so up to 13,000,000 users the desk is its 2 agents, $13,325; agents cost
    # 0.0001 / 650 * 6,662.50 = $0.001025 a user. Against $14 a user the
    # contract passes $13,325 at 952 users (as above) and the desk's next
    # agent, at 13,000,001 users ($19,987.50), is far below the contract then.
    desk = InHouseDesk(0.0001, 650, 6662.5, min_agents=2)
    found = break_even(desk, Contract(Pricing.PER_USER, 14.0))
    assert found.users == 952
    assert found.reason == ""


def test_a_cheap_contract_never_breaks_even() -> None:
    # $11 a user against $12 of agents a user: the desk is never cheaper.
    desk = InHouseDesk(1.0, 500, 6000)
    found = break_even(desk, Contract(Pricing.PER_USER, 11.0))
    assert found.users is None
    assert "never becomes the cheaper choice" in found.reason


@settings(max_examples=150, deadline=None)
@given(
    tickets=st.one_of(
        st.just(0.0),
        st.floats(min_value=1e-4, max_value=0.01),
        st.floats(min_value=0.2, max_value=3),
    ),
    per_agent=st.integers(min_value=100, max_value=1000),
    cost=st.floats(min_value=3000, max_value=12000),
    overhead=st.floats(min_value=0, max_value=20000),
    min_agents=st.integers(min_value=0, max_value=6),
    price=st.floats(min_value=1, max_value=80),
    fee=st.floats(min_value=0, max_value=5000),
    per_ticket=st.booleans(),
)
def test_past_the_break_even_the_desk_is_never_dearer(
    tickets: float,
    per_agent: int,
    cost: float,
    overhead: float,
    min_agents: int,
    price: float,
    fee: float,
    per_ticket: bool,
) -> None:
    desk = InHouseDesk(tickets, per_agent, cost, min_agents, overhead)
    contract = Contract(
        Pricing.PER_TICKET if per_ticket else Pricing.PER_USER, price, fee
    )
    found = break_even(desk, contract)
    if found.users is None:
        return
    # Every size from the break-even to well past it: never dearer.
    users = np.arange(found.users, found.users + 20_000)
    # and at every agent's step past it, where the desk is dearest for its
    # size: the first user that needs one more agent, up to 10,000 agents.
    if tickets > 0:
        per_agent_users = per_agent / tickets
        steps = np.floor(np.arange(1, 10_001) * per_agent_users) + 1
        users = np.concatenate([users, steps[steps >= found.users]])
    assert np.all(
        desk.monthly_cost(users) <= contract.monthly_cost(users, tickets) + 1e-6
    )
    # One user fewer, the desk is dearer.
    if found.users > 0:
        before = np.array([found.users - 1])
        assert desk.monthly_cost(before)[0] > contract.monthly_cost(before, tickets)[0]
