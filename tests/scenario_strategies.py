"""Hypothesis strategies for random scenarios, their levers and line changes."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from cpsu.costs import (
    POOLS,
    REQUIRED_FIELDS,
    Behaviour,
    CostLevers,
    CostLine,
    Period,
    Tier,
)
from cpsu.scenario import MAX_HORIZON, LineChange, Scenario
from cpsu.workload import ServiceDesk

names = st.text(min_size=1, max_size=30).filter(lambda text: text.strip() != "")
fractions = st.floats(min_value=0.0, max_value=1.0)
money = st.floats(min_value=0.0, max_value=1e7, allow_subnormal=False)
positive = st.floats(min_value=0.01, max_value=1e5)


@st.composite
def cost_lines(draw: st.DrawFn) -> CostLine:
    behaviour = draw(st.sampled_from(list(Behaviour)))
    needed = REQUIRED_FIELDS[behaviour]

    def maybe(name: str, strategy: st.SearchStrategy) -> object:
        if name in needed:
            return draw(strategy)
        return draw(st.none() | strategy)

    return CostLine(
        item=draw(names),
        pool=draw(st.sampled_from(POOLS)),
        behaviour=behaviour,
        amount=maybe("amount", money),
        period=draw(st.sampled_from(list(Period))),
        unit_cost=maybe("unit_cost", money),
        users_per_unit=maybe("users_per_unit", positive),
        tier=maybe("tier", st.sampled_from(list(Tier))),
        tickets_per_agent=maybe("tickets_per_agent", positive),
        min_units=draw(st.floats(min_value=0, max_value=100)),
        life_months=maybe("life_months", st.integers(min_value=1, max_value=120)),
        in_service=draw(
            st.none()
            | st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
        ),
        renew=draw(st.booleans()),
        escalation=draw(st.floats(min_value=-0.5, max_value=0.5)),
        vendor=draw(st.text(max_size=20)),
        notes=draw(st.text(max_size=40)),
    )


service_desks = st.builds(
    ServiceDesk,
    tickets_per_user_month=st.floats(min_value=0.0, max_value=10.0),
    resolution_rate=fractions,
    deskside_share=fractions,
    deflection=fractions,
    deflection_step=st.floats(min_value=0.0, max_value=1.0),
    deflection_cap=fractions,
    contingent_weight=st.floats(min_value=0.0, max_value=2.0),
    tickets_trend=st.floats(min_value=-0.5, max_value=0.5),
)

levers = st.builds(
    CostLevers,
    labour_escalation=st.none() | st.floats(min_value=-0.2, max_value=0.5),
    licence_escalation=st.none() | st.floats(min_value=-0.2, max_value=0.5),
    productivity=st.floats(min_value=-0.5, max_value=1.0),
)

line_changes = st.builds(
    LineChange,
    item=names,
    from_quarter=st.integers(min_value=0, max_value=MAX_HORIZON),
    line=st.none() | cost_lines(),
)

scenarios = st.builds(
    Scenario,
    name=names,
    horizon_quarters=st.integers(min_value=1, max_value=MAX_HORIZON),
    growth_per_quarter=st.floats(min_value=-0.5, max_value=1.0),
    service_desk=service_desks,
    contingent_share=st.none() | st.floats(min_value=0.0, max_value=0.99),
    levers=levers,
    changes=st.lists(line_changes, max_size=4).map(tuple),
)
