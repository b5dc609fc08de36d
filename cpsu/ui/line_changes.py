"""The Scenarios page's line changes: list them, add one, take one away.

The editor shows the scenario's changes in words and offers the four kinds
of cpsu.line_changes. It never changes the scenario itself: it hands the
changed scenario to `apply`, which the page saves like a slider's change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from cpsu.costs import POOLS, Behaviour, CostLine, Period
from cpsu.formatting import money
from cpsu.line_changes import (
    describe,
    new_price,
    new_tool,
    per_ticket_contract,
    price_of,
    price_word,
    stop_line,
    with_change,
    without_change,
)
from cpsu.scenario import LineChange, Scenario, Workspace
from cpsu.ui.text import plain

KEY = "scenarios.line_change"
NEW_PRICE = "A new price"
PER_TICKET = "A staffed tier handed to a per-ticket contract"
NEW_TOOL = "A new tool or asset"
STOP = "A line stopped"
KINDS = (NEW_PRICE, PER_TICKET, NEW_TOOL, STOP)
NEW_TOOL_BEHAVIOURS = (
    Behaviour.FIXED,
    Behaviour.PER_USER,
    Behaviour.DEPRECIATION,
)


def _quarter(labels: Sequence[str], first: int, key: str) -> int:
    options = list(range(first, len(labels)))
    return st.selectbox(
        "From quarter",
        options,
        index=min(1, len(options) - 1),
        format_func=lambda t: f"{labels[t]} (quarter {t})",
        key=f"{KEY}.{key}.quarter",
    )


def _new_price(workspace: Workspace, labels: Sequence[str]) -> LineChange | None:
    lines = {line.item: line for line in workspace.cost_base.lines}
    item = st.selectbox("Line", list(lines), key=f"{KEY}.price.item")
    if item is None:
        return None
    line = lines[item]
    quarter = _quarter(labels, 0, "price")
    price = st.number_input(
        f"New {price_word(line)}",
        min_value=0.0,
        value=price_of(line),
        step=1.0,
        format="%.2f",
        key=f"{KEY}.price.value.{item}",
        help=f"Now {money(price_of(line))}",
    )
    if st.button("Add the new price", key=f"{KEY}.price.add"):
        return new_price(workspace.cost_base, item, quarter, price)
    return None


def _per_ticket(workspace: Workspace, labels: Sequence[str]) -> LineChange | None:
    staffed = [
        line.item
        for line in workspace.cost_base.lines
        if line.behaviour is Behaviour.STAFFED
    ]
    if not staffed:
        st.caption("No line is Staffed, so no tier can be handed to a contract.")
        return None
    item = st.selectbox("Staffed line", staffed, key=f"{KEY}.ticket.item")
    quarter = _quarter(labels, 0, "ticket")
    price = st.number_input(
        "Contract price per ticket",
        min_value=0.0,
        value=15.0,
        step=0.5,
        format="%.2f",
        key=f"{KEY}.ticket.value",
        help="Outsourced service desks often charge $10 to $25 a ticket",
    )
    if st.button("Add the contract", key=f"{KEY}.ticket.add"):
        return per_ticket_contract(workspace.cost_base, item, quarter, price)
    return None


def _new_tool(
    workspace: Workspace, scenario: Scenario, labels: Sequence[str]
) -> LineChange | None:
    name = st.text_input("Name", key=f"{KEY}.tool.name")
    pool = st.selectbox("Pool", POOLS, key=f"{KEY}.tool.pool")
    behaviour = st.selectbox(
        "Behaviour",
        NEW_TOOL_BEHAVIOURS,
        format_func=lambda b: b.value,
        key=f"{KEY}.tool.behaviour",
    )
    quarter = _quarter(labels, 0, "tool")
    if behaviour is Behaviour.PER_USER:
        price = st.number_input(
            "Cost per user a month", min_value=0.0, value=10.0, key=f"{KEY}.tool.unit"
        )
        line_fields: dict[str, object] = {"unit_cost": price}
    elif behaviour is Behaviour.DEPRECIATION:
        price = st.number_input(
            "Purchase cost", min_value=0.0, value=50_000.0, key=f"{KEY}.tool.cost"
        )
        life = st.number_input(
            "Life in months", min_value=1, value=36, step=1, key=f"{KEY}.tool.life"
        )
        line_fields = {"amount": price, "life_months": int(life)}
    else:
        price = st.number_input(
            "Amount", min_value=0.0, value=12_000.0, key=f"{KEY}.tool.amount"
        )
        period = st.selectbox(
            "A",
            list(Period),
            index=2,
            format_func=lambda p: p.value.lower(),
            key=f"{KEY}.tool.period",
        )
        line_fields = {"amount": price, "period": period}
    if st.button("Add the new line", key=f"{KEY}.tool.add"):
        line = CostLine(name.strip(), pool, behaviour, **line_fields)  # type: ignore[arg-type]
        return new_tool(workspace.cost_base, scenario, line, quarter)
    return None


def _stop(workspace: Workspace, labels: Sequence[str]) -> LineChange | None:
    if len(labels) < 2:
        return None
    items = [line.item for line in workspace.cost_base.lines]
    item = st.selectbox("Line", items, key=f"{KEY}.stop.item")
    quarter = _quarter(labels, 1, "stop")
    if st.button("Stop the line", key=f"{KEY}.stop.add"):
        return stop_line(workspace.cost_base, item, quarter)
    return None


def line_changes_editor(
    workspace: Workspace,
    scenario: Scenario,
    labels: Sequence[str],
    apply: Callable[[Scenario], None],
    disabled: bool = False,
) -> None:
    """List the scenario's line changes and offer to add or remove one.

    `labels` are the projection's quarter labels, the baseline first.
    """
    count = len(scenario.changes)
    with st.expander(
        f"Line changes ({count})" if count else "Line changes",
        key=f"{KEY}.open",
        on_change="rerun",
    ) as box:
        if not box.open:
            return  # drawn only while open: a slider never pays for it
        for index, change in enumerate(scenario.changes):
            words, remove = st.columns([6, 1])
            words.markdown(plain(describe(change, workspace.cost_base, labels)))
            if remove.button(
                "Remove",
                key=f"{KEY}.remove.{index}.{change.item}.{change.from_quarter}",
                disabled=disabled,
            ):
                apply(without_change(scenario, index))
                st.rerun()
        if disabled:
            return
        kind = st.radio("Add", KINDS, key=f"{KEY}.kind", horizontal=True)
        try:
            if kind == NEW_PRICE:
                change = _new_price(workspace, labels)
            elif kind == PER_TICKET:
                change = _per_ticket(workspace, labels)
            elif kind == NEW_TOOL:
                change = _new_tool(workspace, scenario, labels)
            else:
                change = _stop(workspace, labels)
        except ValueError as problem:
            st.error(plain(problem))
            return
        if change is not None:
            apply(with_change(scenario, change))
            st.rerun()
