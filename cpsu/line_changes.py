"""The per-line changes a scenario makes, as a user asks for them.

Three kinds come up in every budget meeting, and a fourth ends a cost:

- a new price from a quarter on (a renegotiated licence, a new pay rate):
  the same line with a new unit cost, or a new amount for a Fixed or
  Depreciation line;
- a staffed tier handed to a per-ticket contract: the Staffed line replaced
  by a Per ticket line on the same tier and in the same pool;
- a new tool or asset bought in a quarter: a line of its own that exists
  from then (an asset depreciates from the quarter it is bought);
- a line stopped from a quarter on.

Each is a LineChange; `describe` says one in words for the page's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cpsu.costs import Behaviour, CostBase, CostLine, Period
from cpsu.formatting import money
from cpsu.scenario import LineChange, Scenario

PRICED_BY_AMOUNT = (Behaviour.FIXED, Behaviour.DEPRECIATION)


def price_of(line: CostLine) -> float:
    """The figure a new price replaces: the amount or the unit cost."""
    value = line.amount if line.behaviour in PRICED_BY_AMOUNT else line.unit_cost
    return float(value or 0.0)


def price_word(line: CostLine) -> str:
    """What the price of a line is, in words."""
    if line.behaviour is Behaviour.FIXED:
        return f"amount a {line.period.value.lower()}"
    if line.behaviour is Behaviour.DEPRECIATION:
        return "purchase cost"
    return {
        Behaviour.PER_USER: "cost per user a month",
        Behaviour.STEP: "cost per unit a month",
        Behaviour.STAFFED: "cost per agent a month",
        Behaviour.PER_TICKET: "cost per ticket",
    }[line.behaviour]


def _line(cost_base: CostBase, item: str) -> CostLine:
    for line in cost_base.lines:
        if line.item == item:
            return line
    raise ValueError(f"There is no cost line named {item!r}.")


def _check_price(price: float) -> None:
    if not price >= 0:
        raise ValueError("A price cannot be negative; to end a cost, stop the line.")


def new_price(cost_base: CostBase, item: str, quarter: int, price: float) -> LineChange:
    """The line `item` at a new price from `quarter` on."""
    _check_price(price)
    line = _line(cost_base, item)
    field = "amount" if line.behaviour in PRICED_BY_AMOUNT else "unit_cost"
    return LineChange(item, quarter, replace(line, **{field: float(price)}))


def per_ticket_contract(
    cost_base: CostBase, item: str, quarter: int, price_per_ticket: float
) -> LineChange:
    """A Staffed line handed to a contract that charges per ticket, from `quarter`."""
    _check_price(price_per_ticket)
    line = _line(cost_base, item)
    if line.behaviour is not Behaviour.STAFFED:
        raise ValueError(
            f"{item!r} is a {line.behaviour.value} line; only a Staffed line's tier "
            "can be handed to a per-ticket contract."
        )
    contract = CostLine(
        item=line.item,
        pool=line.pool,
        behaviour=Behaviour.PER_TICKET,
        unit_cost=float(price_per_ticket),
        tier=line.tier,
        escalation=line.escalation,
        vendor=line.vendor,
        notes=f"Per-ticket contract in place of {line.item}",
    )
    return LineChange(item, quarter, contract)


def new_tool(
    cost_base: CostBase,
    scenario: Scenario,
    line: CostLine,
    quarter: int,
) -> LineChange:
    """A line bought in `quarter`, under a name no line has yet."""
    taken = {one.item.casefold() for one in cost_base.lines} | {
        change.item.casefold() for change in scenario.changes
    }
    if not line.item.strip():
        raise ValueError("Name the new tool or asset.")
    if line.item.casefold() in taken:
        raise ValueError(
            f"A line named {line.item!r} exists already; give the new one its own name."
        )
    return LineChange(line.item, quarter, line)


def stop_line(cost_base: CostBase, item: str, quarter: int) -> LineChange:
    """The line `item` ends before `quarter`."""
    _line(cost_base, item)
    if quarter == 0:
        raise ValueError(
            "A line stopped from the baseline was never a cost; remove it from the "
            "cost base instead, or stop it from quarter 1."
        )
    return LineChange(item, quarter, None)


def with_change(scenario: Scenario, change: LineChange) -> Scenario:
    """The scenario with one more change; one for the same line and quarter
    replaces it."""
    kept = tuple(
        one
        for one in scenario.changes
        if (one.item, one.from_quarter) != (change.item, change.from_quarter)
    )
    return replace(scenario, changes=(*kept, change))


def without_change(scenario: Scenario, index: int) -> Scenario:
    """The scenario without its change number `index`."""
    changes = list(scenario.changes)
    del changes[index]
    return replace(scenario, changes=tuple(changes))


def describe(
    change: LineChange, cost_base: CostBase, quarter_labels: Sequence[str]
) -> str:
    """One change in words: 'Microsoft 365 E3 at $36.00 per user a month from
    2027-Q3'."""
    when = (
        quarter_labels[change.from_quarter]
        if change.from_quarter < len(quarter_labels)
        else f"quarter {change.from_quarter} (past the horizon)"
    )
    existing = {line.item: line for line in cost_base.lines}
    before = existing.get(change.item)
    line = change.line
    if line is None:
        return f"{change.item} stops from {when}"
    if before is None:
        price = price_of(line)
        per = "" if line.behaviour in PRICED_BY_AMOUNT else f" ({price_word(line)})"
        period = (
            f" a {line.period.value.lower()}"
            if line.behaviour is Behaviour.FIXED and line.period is not Period.MONTH
            else ""
        )
        return (
            f"New {line.behaviour.value} line {line.item} ({line.pool}), "
            f"{money(price)}{period}{per}, from {when}"
        )
    if before.behaviour is Behaviour.STAFFED and line.behaviour is Behaviour.PER_TICKET:
        return (
            f"{change.item} handed to a per-ticket contract at "
            f"{money(price_of(line))} a ticket from {when}"
        )
    if line.behaviour is before.behaviour:
        return (
            f"{change.item} at {money(price_of(line))} {price_word(line)} "
            f"(now {money(price_of(before))}) from {when}"
        )
    return f"{change.item} becomes a {line.behaviour.value} line from {when}"
