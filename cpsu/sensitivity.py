"""How sure the case is, and what it rests on: ranges, draws, goals and reasons.

An assumption is never known exactly: tickets per user might be 1.0 or 1.3,
the desk might resolve 66% or 71%. Each gets a range (by default from the
published reference figures, or our own stated guess where they give none).
The tornado moves one assumption at a time to each end of its range and
ranks them by how far CPSU at the horizon swings. The Monte Carlo draws
every range at once, many times, into a P10/P50/P90 band of CPSU a quarter.
"What must be true" turns the question round: the value of one lever at
which CPSU reaches a target. The bridge explains the change of CPSU from the
baseline to the horizon by mechanism; hire triggers say at what headcount
each next agent is needed; guardrails mark the quarters a page should warn
about. Every number comes from the compiled model (projection.run_model), so
thousands of assumption sets cost a few array operations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import optimize

from cpsu.costs import (
    TIERS,
    Behaviour,
    CostBase,
    CostLine,
    Tier,
    escalation_years,
    price_lines,
)
from cpsu.projection import (
    TIER_KEYS,
    Assumptions,
    Model,
    ModelRun,
    compile_model,
    fold_model,
    run_model,
)
from cpsu.scenario import Headcount, LineChange, Scenario
from cpsu.workload import (
    deflection_path,
    desk_tickets,
    split_load,
    tickets_per_user_path,
)

DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2026
UTILISATION_LIMIT = 0.85  # the occupancy cap of workforce-planning tools
RESOLUTION_TARGET = 0.70  # a common Tier 1 resolution target

# Draws are costed in batches of at most this many line-quarters a batch, so
# that a cost base of thousands of lines never needs gigabytes at once.
_BATCH_CELLS = 4_000_000


def _check_assumption(name: str) -> None:
    """Refuse a name that is not one of the assumptions, listing them."""
    if name not in Assumptions.__dataclass_fields__:
        raise ValueError(
            f"{name!r} is not an assumption; the assumptions are "
            f"{', '.join(Assumptions.__dataclass_fields__)}."
        )


@dataclass(frozen=True)
class Range:
    """The low and high of one assumption (a field of Assumptions), and why."""

    assumption: str
    label: str
    low: float
    high: float
    source: str

    def __post_init__(self) -> None:
        _check_assumption(self.assumption)
        if not self.low <= self.high:
            raise ValueError(
                f"The range of {self.label} runs from {self.low:g} up to "
                f"{self.high:g}: its low must not be above its high."
            )


def tier_1_tickets_per_agent(cost_base: CostBase) -> float | None:
    """Tickets a month a Tier 1 agent handles: the first staffed Tier 1 line's."""
    for line in cost_base.lines:
        if line.behaviour is Behaviour.STAFFED and line.tier is Tier.TIER_1:
            return line.tickets_per_agent
    return None


def default_ranges(cost_base: CostBase) -> tuple[Range, ...]:
    """The ranges of the reference figures, and our own where they give none.

    Agent productivity is the change that takes the cost base's Tier 1 agents
    from their own tickets a month to the benchmark's 500 and 800 (plus or
    minus 20% when no line staffs Tier 1).
    """
    per_agent = tier_1_tickets_per_agent(cost_base)
    if per_agent:
        productivity = (500 / per_agent - 1, 800 / per_agent - 1)
        productivity_source = (
            f"500 to 800 tickets a Tier 1 agent a month (benchmark), against "
            f"the cost base's {per_agent:g}"
        )
    else:
        productivity = (-0.2, 0.2)
        productivity_source = "our guess: no line staffs Tier 1"
    return (
        Range(
            "growth_per_quarter",
            "Growth per quarter",
            0.0,
            0.15,
            "our guess: none, up to twice the reference story's 7% a quarter",
        ),
        Range(
            "tickets_per_user_month",
            "Tickets per user per month",
            1.0,
            1.3,
            "1.0 to 1.3 common today (MetricNet, HDI)",
        ),
        Range(
            "tickets_trend",
            "Yearly trend of tickets per user",
            -0.05,
            0.05,
            "our guess: the 1988-2007 rise, about 5% a year, either way",
        ),
        Range(
            "resolution_rate",
            "Tier 1 resolution rate",
            0.66,
            0.71,
            "66% to 71% typical (HDI, MetricNet)",
        ),
        Range(
            "deskside_share",
            "Desk-side share of escalations",
            0.2,
            0.4,
            "our guess: a fifth to two fifths",
        ),
        Range(
            "deflection",
            "Deflection at the start",
            0.08,
            0.15,
            "8% to 15% early (knowledge-base vendors' surveys)",
        ),
        Range(
            "deflection_step",
            "Deflection step per quarter",
            0.0,
            0.04,
            "our guess: none, up to reaching 30% from 8% in six quarters",
        ),
        Range(
            "deflection_cap",
            "Deflection cap",
            0.30,
            0.45,
            "30% to 45% mature (knowledge-base vendors' surveys)",
        ),
        Range("productivity", "Agent productivity", *productivity, productivity_source),
        Range(
            "labour_escalation",
            "Labour escalation a year",
            0.02,
            0.05,
            "our guess: pay rises of 2% to 5% a year",
        ),
        Range(
            "licence_escalation",
            "Licence escalation a year",
            0.0,
            0.10,
            "our guess: list prices held, up to 10% a year",
        ),
    )


def _model_of(
    cost_base: CostBase, headcount: Headcount, scenario: Scenario, model: Model | None
) -> Model:
    """The scenario's compiled model: `model` (compiled for the same cost base,
    headcount and model_key) with the scenario's assumptions, or a new one."""
    if model is None:
        return compile_model(cost_base, headcount, scenario)
    return replace(model, assumptions=Assumptions.of(scenario))


def _run_of(model: Model, run: ModelRun | None) -> ModelRun:
    """`run`, which a caller that already ran `model` with the scenario's
    assumptions (`project` does) gives to spare running it again; else the run."""
    return run_model(model) if run is None else run


def _check_quarter(quarter: int, scenario: Scenario) -> None:
    """Refuse a quarter outside the projection, saying which quarters there are."""
    if not 0 <= quarter <= scenario.horizon_quarters:
        raise ValueError(
            f"Quarter {quarter} is outside the projection: it runs from 0 (the "
            f"baseline) to {scenario.horizon_quarters}."
        )


def _with(base: Assumptions, values: dict[str, np.ndarray]) -> Assumptions:
    """The base assumptions repeated for each draw, with some given per draw."""
    draws = len(next(iter(values.values())))
    repeated = {
        name: np.full(draws, float(base.column(name)[0, 0]))
        for name in Assumptions.__dataclass_fields__
    }
    return Assumptions(**(repeated | values))


def _batched_cpsu(model: Model, assumptions: Assumptions) -> np.ndarray:
    """CPSU per draw and quarter, costing the draws a batch at a time."""
    cells = max(1, len(model.lines) * len(model.quarters))
    batch = max(1, _BATCH_CELLS // cells)
    draws = assumptions.draws
    parts = []
    for start in range(0, draws, batch):
        chunk = {
            name: assumptions.column(name)[start : start + batch, 0]
            for name in Assumptions.__dataclass_fields__
        }
        parts.append(run_model(model, Assumptions(**chunk)).cpsu)
    return np.concatenate(parts, axis=0)


def tornado(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    ranges: tuple[Range, ...] | None = None,
    quarter: int | None = None,
) -> pd.DataFrame:
    """CPSU at a quarter (the horizon) with each assumption at its low and high.

    One row per assumption, widest swing first: assumption, label, low,
    high, value (the scenario's; NaN for an escalation the lines keep their
    own of), cpsu_low, cpsu_high, cpsu (the scenario's), swing
    (|cpsu_high - cpsu_low|) and source.
    """
    ranges = default_ranges(cost_base) if ranges is None else ranges
    model = fold_model(compile_model(cost_base, headcount, scenario))
    t = scenario.horizon_quarters if quarter is None else quarter
    _check_quarter(t, scenario)
    base = model.assumptions
    count = len(ranges)
    # Draw 2k is range k at its low, 2k + 1 at its high; the last the scenario.
    values = {
        name: np.full(2 * count + 1, float(base.column(name)[0, 0]))
        for name in Assumptions.__dataclass_fields__
    }
    for index, one in enumerate(ranges):
        values[one.assumption][2 * index] = one.low
        values[one.assumption][2 * index + 1] = one.high
    cpsu = run_model(model, Assumptions(**values)).cpsu[:, t]
    table = pd.DataFrame(
        {
            "assumption": [one.assumption for one in ranges],
            "label": [one.label for one in ranges],
            "low": [one.low for one in ranges],
            "high": [one.high for one in ranges],
            "value": [float(base.column(one.assumption)[0, 0]) for one in ranges],
            "cpsu_low": cpsu[0 : 2 * count : 2],
            "cpsu_high": cpsu[1 : 2 * count : 2],
            "cpsu": np.full(count, cpsu[-1]),
            "source": [one.source for one in ranges],
        }
    )
    table.insert(8, "swing", (table["cpsu_high"] - table["cpsu_low"]).abs())
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(
        drop=True
    )


def draw_assumptions(
    base: Assumptions,
    ranges: tuple[Range, ...],
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> Assumptions:
    """Each range drawn uniformly and independently, `draws` times.

    The ranges are drawn in their order from one seeded generator, so a seed
    gives the same draws every time; assumptions without a range keep the
    base's value.
    """
    generator = np.random.default_rng(seed)
    values = {
        one.assumption: generator.uniform(one.low, one.high, draws) for one in ranges
    }
    if not values:
        values = {"growth_per_quarter": np.full(draws, base.growth_per_quarter)}
    return _with(base, values)


def monte_carlo(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    ranges: tuple[Range, ...] | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """P10, P50 and P90 of CPSU each quarter over `draws` draws of the ranges.

    Columns: quarter, t, cpsu (the scenario's own), p10, p50, p90.
    """
    if draws < 1:
        raise ValueError("Draw at least once.")
    ranges = default_ranges(cost_base) if ranges is None else ranges
    model = fold_model(compile_model(cost_base, headcount, scenario))
    drawn = draw_assumptions(model.assumptions, ranges, draws, seed)
    cpsu = _batched_cpsu(model, drawn)
    p10, p50, p90 = np.percentile(cpsu, [10, 50, 90], axis=0)
    return pd.DataFrame(
        {
            "quarter": model.labels,
            "t": model.quarter_index,
            "cpsu": run_model(model).cpsu[0],
            "p10": p10,
            "p50": p50,
            "p90": p90,
        }
    )


# --- what must be true -------------------------------------------------------


@dataclass(frozen=True)
class Lever:
    """One thing the solver may move, from `low` to `high`.

    Either an assumption (a field of Assumptions, such as deflection, growth
    or productivity, the change in tickets an agent handles) or, with
    `item`, the price of that cost line from the baseline on: its unit cost,
    or its amount for a Fixed or Depreciation line, set by a LineChange at
    quarter 0.
    """

    label: str
    low: float
    high: float
    assumption: str = ""
    item: str = ""
    # How a value is shown to people: offset + scale x value (tickets per
    # agent are solved as a productivity but read in tickets), and the format.
    shown_offset: float = 0.0
    shown_scale: float = 1.0
    shown_format: str = "{:.6g}"

    def shown(self, value: float) -> str:
        """A value of the lever as the user reads it."""
        return self.shown_format.format(self.shown_offset + self.shown_scale * value)

    def __post_init__(self) -> None:
        if bool(self.assumption) == bool(self.item):
            raise ValueError(f"{self.label}: give an assumption or a cost line item.")
        if self.assumption:
            _check_assumption(self.assumption)
        if not self.low < self.high:
            raise ValueError(f"{self.label}: the lever's low must be below its high.")


# Assumptions that are rates, shown as percentages.
_RATES = frozenset(
    {
        "growth_per_quarter",
        "tickets_trend",
        "resolution_rate",
        "deskside_share",
        "deflection",
        "deflection_step",
        "deflection_cap",
        "productivity",
        "labour_escalation",
        "licence_escalation",
    }
)


def assumption_lever(assumption: str, low: float, high: float) -> Lever:
    """A lever on one assumption, labelled by its field name."""
    return Lever(
        assumption.replace("_", " ").capitalize(),
        low,
        high,
        assumption,
        shown_format="{:.2%}" if assumption in _RATES else "{:.4g}",
    )


def tickets_per_agent_lever(cost_base: CostBase, low: float, high: float) -> Lever:
    """A lever on the tickets a Tier 1 agent handles a month, from `low` to `high`.

    It moves agent productivity, so every staffed line changes alike; its
    value is a productivity: the Tier 1 agent handles tickets_per_agent x
    (1 + value). Without a staffed Tier 1 line there is nothing to move.
    """
    per_agent = tier_1_tickets_per_agent(cost_base)
    if not per_agent:
        raise ValueError("No line staffs Tier 1, so tickets per agent cannot move.")
    return Lever(
        "Tier 1 tickets per agent a month",
        low / per_agent - 1,
        high / per_agent - 1,
        "productivity",
        shown_offset=per_agent,
        shown_scale=per_agent,
        shown_format="{:,.1f}",
    )


def price_lever(item: str, low: float, high: float) -> Lever:
    """A lever on the price of one cost line from the baseline on."""
    return Lever(f"Price of {item}", low, high, item=item, shown_format="${:,.2f}")


@dataclass(frozen=True)
class CpsuTarget:
    """CPSU in quarter `quarter` at most `cpsu`.

    Its margin is in dollars: how far CPSU is above the target.
    """

    quarter: int
    cpsu: float

    # A solved value reproduces the target when CPSU lands within a cent.
    tolerance = 0.01
    unit = "dollars"

    def margin(self, cpsu: np.ndarray) -> np.ndarray:
        """How far above the target each draw's CPSU is (met at zero or below)."""
        return cpsu[:, self.quarter] - self.cpsu

    def describe(self) -> str:
        return f"CPSU of ${self.cpsu:,.2f} or less in quarter {self.quarter}"

    def amount(self, margin: float) -> str:
        """A margin's size in the goal's own unit, dollars."""
        return f"${abs(margin):,.2f}"

    def within(self) -> str:
        return "within a cent"


@dataclass(frozen=True)
class SteadyFall:
    """CPSU falling by at least `share` in every quarter after the baseline.

    Its margin is a share, like the goal: the fall asked for less the
    smallest fall of any quarter (1 - CPSU / the quarter before's CPSU),
    zero when that quarter falls by exactly `share`, 0.01 when it falls one
    percentage point short.
    """

    share: float

    # A solved value reproduces the fall to a hundredth of a percentage point.
    tolerance = 0.0001
    unit = "share"

    def margin(self, cpsu: np.ndarray) -> np.ndarray:
        before, after = cpsu[:, :-1], cpsu[:, 1:]
        # A quarter after one that cost nothing a user cannot fall: it is
        # infinitely short when it costs something, no fall when it does not.
        ratio = np.divide(
            after,
            before,
            out=np.where(after > 0, np.inf, 1.0),
            where=before > 0,
        )
        return np.max(ratio - (1.0 - self.share), axis=1)

    def describe(self) -> str:
        return f"CPSU falling by {self.share:.1%} or more every quarter"

    def amount(self, margin: float) -> str:
        """A margin's size in the goal's own unit, percentage points."""
        points = abs(margin) * 100
        return f"{points:,.2f} percentage point" + ("" if points == 1 else "s")

    def within(self) -> str:
        return "within a hundredth of a percentage point"


Goal = CpsuTarget | SteadyFall


@dataclass(frozen=True)
class Solution:
    """The value of a lever that meets a goal, or why there is none.

    `value` is the value nearest the lever's current one at which the goal
    starts to be met: `bound` says whether the goal needs "at least" or "at
    most" that value (or "any" when every value in range meets it, and
    `value` is the current one kept in range). `margin` is the goal's margin
    there, in the goal's own unit (`unit`: dollars for a CPSU target, a share
    for a fall): 0 when met exactly, below 0 when a step jumps past the
    target. `exact` says whether the target is reproduced within the goal's
    tolerance (a cent; a hundredth of a percentage point). `value` is None
    when no value in the range meets the goal; then `best` is the value that
    comes closest and `margin` its shortfall.
    """

    lever: Lever
    goal: str
    current: float
    value: float | None
    bound: str
    margin: float
    exact: bool
    best: float
    message: str
    unit: str = "dollars"


def _lever_cpsu(
    cost_base: CostBase, headcount: Headcount, scenario: Scenario, lever: Lever
) -> tuple[float, Callable[[np.ndarray], np.ndarray]]:
    """The lever's current value, and CPSU per quarter for any of its values."""
    if lever.assumption:
        model = fold_model(compile_model(cost_base, headcount, scenario))
        current = float(model.assumptions.column(lever.assumption)[0, 0])

        def assumption_cpsu(values: np.ndarray) -> np.ndarray:
            drawn = _with(model.assumptions, {lever.assumption: values})
            return run_model(model, drawn).cpsu

        return current, assumption_cpsu

    lines = {line.item: line for line in cost_base.lines}
    if lever.item not in lines:
        raise ValueError(f"There is no cost line {lever.item!r} to price.")
    line = lines[lever.item]
    field = (
        "amount"
        if line.behaviour in (Behaviour.FIXED, Behaviour.DEPRECIATION)
        else "unit_cost"
    )

    # Compiled once with the line priced from quarter 0; each value then only
    # changes that version's monthly rate.
    priced = replace(line, **{field: getattr(line, field)})
    change = LineChange(lever.item, 0, priced)
    model = compile_model(
        cost_base, headcount, replace(scenario, changes=(change, *scenario.changes))
    )
    version = len(cost_base.lines) + next(
        index
        for index, one in enumerate(model.versions.lines[len(cost_base.lines) :])
        if one == priced
    )

    def price_cpsu(values: np.ndarray) -> np.ndarray:
        rows = []
        for value in values:
            rate = model.lines.rate.copy()
            rate[version] = replace(line, **{field: float(value)}).monthly_rate
            repriced = replace(model, lines=replace(model.lines, rate=rate))
            rows.append(run_model(repriced).cpsu[0])
        return np.array(rows)

    return float(getattr(line, field)), price_cpsu


def solve(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    lever: Lever,
    goal: Goal,
    points: int = 201,
) -> Solution:
    """The value of one lever at which the goal is just met.

    The lever's range is scanned at `points` evenly spaced values (with its
    current value); where the goal turns from missed to met between two
    neighbours, Brent's method (scipy.optimize.brentq) narrows the crossing
    nearest the current value. CPSU jumps where a whole agent or unit is
    added, so at a jump the crossing is the jump itself: the value reported
    then is the smallest (or largest) that meets the goal, and `exact` is
    False since CPSU there lands below the target rather than on it. A goal
    met by no scanned value is reported as out of reach, with the value that
    comes closest.
    """
    if isinstance(goal, CpsuTarget):
        _check_quarter(goal.quarter, scenario)
    current, cpsu_of = _lever_cpsu(cost_base, headcount, scenario, lever)
    values = np.linspace(lever.low, lever.high, points)
    if lever.low <= current <= lever.high:
        values = np.unique(np.append(values, current))
    margins = goal.margin(cpsu_of(values))
    met = margins <= 0
    best = float(values[np.argmin(margins)])

    def margin(value: float) -> float:
        return float(goal.margin(cpsu_of(np.array([value])))[0])

    words = f"{lever.label} from {lever.shown(lever.low)} to {lever.shown(lever.high)}"
    if not met.any():
        return Solution(
            lever,
            goal.describe(),
            current,
            None,
            "",
            float(margins.min()),
            False,
            best,
            f"No value of {words} reaches {goal.describe()}: the closest, "
            f"{lever.shown(best)}, misses it by {goal.amount(float(margins.min()))}.",
            unit=goal.unit,
        )
    if met.all():
        kept = min(max(current, lever.low), lever.high)
        return Solution(
            lever,
            goal.describe(),
            current,
            kept,
            "any",
            margin(kept),
            False,
            best,
            f"Every value of {words} meets {goal.describe()}.",
            unit=goal.unit,
        )

    crossings = np.flatnonzero(met[1:] != met[:-1])
    nearest = crossings[
        np.argmin(
            np.minimum(
                np.abs(values[crossings] - current),
                np.abs(values[crossings + 1] - current),
            )
        )
    ]
    missed, reached = values[nearest], values[nearest + 1]
    bound = "at least"
    if met[nearest]:
        missed, reached, bound = reached, missed, "at most"

    def signed(value: float) -> float:
        # A margin of exactly zero meets the goal but would stop Brent's method
        # on a plateau; counted as just below zero, the search goes on to the
        # value where the goal starts to be met.
        found = margin(value)
        return found if found != 0 else -1e-300

    root = optimize.brentq(
        signed, min(missed, reached), max(missed, reached), xtol=1e-12, rtol=1e-12
    )
    # At a jump the root may sit on the side that misses: step towards the
    # side that meets, never past the scanned value that does.
    value, step = float(root), 1e-12 * max(1.0, abs(root))
    while margin(value) > 0:
        value = value + step if reached > missed else value - step
        step *= 2
        if (value - reached) * (reached - missed) >= 0:
            value = float(reached)
            break
    at_value = margin(value)
    exact = abs(at_value) <= goal.tolerance
    how = (
        f"reproduces the target {goal.within()}"
        if exact
        else (
            "is where CPSU jumps (a whole agent or unit), landing "
            f"{goal.amount(at_value)} past the target"
        )
    )
    return Solution(
        lever,
        goal.describe(),
        current,
        value,
        bound,
        at_value,
        exact,
        best,
        f"{goal.describe()} needs {lever.label} of {bound} {lever.shown(value)} "
        f"(now {lever.shown(current)}); that value {how}.",
        unit=goal.unit,
    )


# --- the CPSU bridge -----------------------------------------------------------

BRIDGE_MECHANISMS: tuple[str, ...] = (
    "Fixed costs spread over more users",
    "Step costs",
    "Staffing",
    "Tickets per user",
    "Deflection",
    "Assets and line changes",
    "Price escalation",
)


def fixed_cost_mechanism(users_before: float, users_after: float) -> str:
    """The bridge's name for fixed costs shared by the users of the two ends:
    spread over more users when they grow, over fewer when they fall."""
    if users_after > users_before:
        return BRIDGE_MECHANISMS[0]
    if users_after < users_before:
        return "Fixed costs spread over fewer users"
    return "Fixed costs over the same users"


def cpsu_bridge(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    quarter: int | None = None,
    model: Model | None = None,
) -> pd.DataFrame:
    """The change of CPSU from the baseline to a quarter (the horizon), by mechanism.

    The model is costed in six states, each switching one more driver from
    its baseline value to its value in the quarter, in this fixed order:

    1. supported users (tickets per user, deflection, the calendar and
       prices held at the baseline's);
    2. tickets per user (its yearly trend);
    3. the deflection share;
    4. the calendar: assets entering or leaving service, and the scenario's
       line changes in force;
    5. escalation (the years of price rises, with the scenario's labour and
       licence rates).

    Each mechanism is the change of CPSU that its switch makes, so the parts
    add up to the total change. The change of step 1 is split by the lines'
    behaviour, each line's cost per user before and after: Fixed and
    Depreciation lines give "Fixed costs spread over more users" (over
    "fewer users" when users fall, `fixed_cost_mechanism`), Step lines
    "Step costs" (units bought in whole steps), Staffed lines "Staffing"
    (whole agents for the tickets of more users). A Per user or Per ticket
    line costs the same per user at any headcount, so growth moves it by
    nothing; the floating-point dust it leaves is counted with fixed costs.
    Steps 2 to 5 give the mechanisms named after them.

    Columns: mechanism, change (dollars of CPSU), cpsu_from and cpsu_to
    (CPSU before and after the mechanism: the first row starts at the
    baseline's CPSU, the last ends at the quarter's).
    """
    t = scenario.horizon_quarters if quarter is None else quarter
    _check_quarter(t, scenario)
    model = _model_of(cost_base, headcount, scenario, model)
    run = run_model(model)
    value = model.assumptions.column
    moments = np.array([0, t])

    users_at = run.supported_users[0, moments]
    per_user_at = tickets_per_user_path(
        value("tickets_per_user_month"), value("tickets_trend"), moments
    )[0]
    deflection_at = deflection_path(
        value("deflection"), value("deflection_step"), value("deflection_cap"), moments
    )[0]
    years_at = escalation_years(moments)

    # Which end (0 the baseline, 1 the quarter) each driver takes in each state.
    switched = np.array(
        [
            # users, tickets per user, deflection, calendar, escalation
            [0, 0, 0, 0, 0],
            [1, 0, 0, 0, 0],
            [1, 1, 0, 0, 0],
            [1, 1, 1, 0, 0],
            [1, 1, 1, 1, 0],
            [1, 1, 1, 1, 1],
        ]
    )
    users = users_at[switched[:, 0]][:, None]
    tickets = desk_tickets(
        users,
        per_user_at[switched[:, 1]][:, None],
        deflection_at[switched[:, 2]][:, None],
    )
    loads = split_load(
        tickets, value("resolution_rate")[0, 0], value("deskside_share")[0, 0]
    )
    calendar = moments[switched[:, 3]]
    costed = price_lines(
        model.lines,
        users,
        loads,
        years_at[switched[:, 4]][:, None, None],
        model.in_service[:, calendar].T[:, :, None],
        model.active[:, calendar].T[:, :, None],
        productivity=value("productivity")[0, 0],
        labour_escalation=value("labour_escalation")[0, 0],
        licence_escalation=value("licence_escalation")[0, 0],
    )
    per_user = costed.monthly_cost[:, :, 0] / users
    cpsu = per_user.sum(axis=1)

    growth = per_user[1] - per_user[0]
    lines = model.lines
    step = lines.has(Behaviour.STEP)
    staffed = lines.staffed
    fixed = ~(step | staffed)
    changes = [
        growth[fixed].sum(),
        growth[step].sum(),
        growth[staffed].sum(),
        *np.diff(cpsu[1:]),
    ]
    cpsu_to = cpsu[0] + np.cumsum(changes)
    return pd.DataFrame(
        {
            "mechanism": [
                fixed_cost_mechanism(float(users_at[0]), float(users_at[1])),
                *BRIDGE_MECHANISMS[1:],
            ],
            "change": changes,
            "cpsu_from": np.concatenate([[cpsu[0]], cpsu_to[:-1]]),
            "cpsu_to": cpsu_to,
        }
    )


# --- hire triggers -------------------------------------------------------------

_TIER_VALUES = np.array([tier.value for tier in TIERS], dtype=object)
_TRIGGER_COLUMNS = ["item", "tier", "agent", "users_above", "quarter", "t", "reached"]


@dataclass(frozen=True, eq=False)
class HireTriggerArrays:
    """`hire_triggers`' rows as arrays, one element a row: a staffed line in
    force at all and an agent it may need, in the order of the lines and then
    of the agents.

    `line` indexes `versions` (every version of every line, the model's),
    `tier_row` TIERS; `t` is the quarter the agent is first needed when
    `reached`, else the last quarter its line is in force; `labels` are the
    projection's quarters. A chart that needs only the reached agents reads
    these without the table; `table()` is `hire_triggers`' table.
    """

    versions: tuple[CostLine, ...]
    labels: tuple[str, ...]
    line: np.ndarray
    tier_row: np.ndarray
    agent: np.ndarray
    users_above: np.ndarray
    t: np.ndarray
    reached: np.ndarray

    def table(self) -> pd.DataFrame:
        """The rows as `hire_triggers` gives them."""
        if not self.line.size:
            table = pd.DataFrame([], columns=_TRIGGER_COLUMNS)
            table["t"] = table["t"].astype("Int64")
            return table
        reached = self.reached
        return pd.DataFrame(
            {
                "item": [self.versions[index].item for index in self.line.tolist()],
                "tier": _TIER_VALUES[self.tier_row],
                "agent": self.agent,
                "users_above": self.users_above,
                "quarter": np.where(
                    reached, np.asarray(self.labels, dtype=object)[self.t], None
                ),
                "t": pd.arrays.IntegerArray(np.where(reached, self.t, 0), ~reached),
                "reached": reached,
            },
            columns=_TRIGGER_COLUMNS,
        )


def hire_trigger_arrays(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    model: Model | None = None,
    run: ModelRun | None = None,
) -> HireTriggerArrays:
    """`hire_triggers` as arrays, without building its table (see
    HireTriggerArrays); the same arguments."""
    model = _model_of(cost_base, headcount, scenario, model)
    run = _run_of(model, run)
    lines = model.lines
    productivity = float(model.assumptions.column("productivity")[0, 0])
    users = run.supported_users[0]

    # A row per staffed line in force at all and agent it may need, in the
    # order of the lines and then of the agents, computed for all at once.
    staffed = np.flatnonzero(lines.staffed)
    staffed = staffed[model.active[staffed].any(axis=1)]
    active = model.active[staffed]
    agents = run.line_costs.units[0, staffed]
    first_in_force = active.argmax(axis=1)
    first = agents[np.arange(staffed.size), first_in_force].astype(int)
    last = np.where(active, agents, -np.inf).max(axis=1).astype(int)
    counts = last - first + 1
    line = np.repeat(np.arange(staffed.size), counts)
    # agent = first + 1, first + 2, ... up to last + 1 on each line
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    agent = first[line] + 1 + np.arange(line.size) - starts
    needed = active[line] & (agents[line] >= agent[:, None])
    reached = needed.any(axis=1)
    last_in_force = active.shape[1] - 1 - active[:, ::-1].argmax(axis=1)
    at = np.where(reached, needed.argmax(axis=1), last_in_force[line])

    tier_row = lines.tier_row[staffed][line]
    per_agent = lines.per_unit[staffed][line] * (1.0 + productivity)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        per_user = run.tier_load[0] / users  # tickets a user sends each tier
        threshold = (agent - 1) * per_agent / per_user[tier_row, at]
    return HireTriggerArrays(
        versions=model.versions.lines,
        labels=tuple(model.labels),
        line=staffed[line],
        tier_row=tier_row,
        agent=agent,
        users_above=threshold,
        t=at,
        reached=reached,
    )


def hire_triggers(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    model: Model | None = None,
    run: ModelRun | None = None,
) -> pd.DataFrame:
    """For each staffed line, the supported users at which each next agent is needed.

    A staffed line on a tier needs agent n once its load exceeds n - 1
    agents' tickets a month: load = users x tickets a user sends that tier
    (tickets per user, less deflection, times the tier's share after the
    resolution rate and desk-side share), so agent n is needed above
    (n - 1) x tickets per agent / tickets per user at the tier. That ratio
    moves each quarter with tickets per user and deflection. The rows run
    from the agent after the line's first quarter's count to the one after
    its largest count: `quarter` and `t` say when the scenario first
    needs that agent, and `users_above` is the threshold in that quarter;
    an agent not needed within the horizon has no quarter and the
    threshold of the last quarter the line is in force.

    Columns: item, tier, agent, users_above, quarter, t, reached. `run`, when
    given, is `model` run with the scenario's assumptions (see `_run_of`).
    """
    return hire_trigger_arrays(cost_base, headcount, scenario, model, run).table()


# --- guardrails ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GuardrailArrays:
    """`guardrails`' columns as arrays, one element a quarter (`labels`).

    `utilisation` and `over` have a row per tier of TIERS: its utilisation
    (NaN without agents) and whether that is above the limit. A chart that
    needs only the marked quarters reads these without the table; `table()`
    is `guardrails`' table.
    """

    labels: tuple[str, ...]
    utilisation: np.ndarray
    over: np.ndarray
    resolution_below_target: bool
    flat_staff_fall: np.ndarray
    cpsu: np.ndarray
    cpsu_if_staff_kept_pace: np.ndarray

    @property
    def flagged(self) -> np.ndarray:
        """Whether each quarter is marked for any reason."""
        return (
            self.over.any(axis=0) | self.resolution_below_target | self.flat_staff_fall
        )

    def tiers_over(self, quarter: int) -> str:
        """The tiers over the limit in a quarter, joined by commas."""
        return ", ".join(
            tier.value for row, tier in enumerate(TIERS) if self.over[row, quarter]
        )

    def table(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The quarters as `guardrails` gives them, only `columns` if given."""
        quarters = len(self.labels)
        values = {
            "quarter": list(self.labels),
            "t": np.arange(quarters),
            **{
                f"utilisation_{TIER_KEYS[tier]}": self.utilisation[row]
                for row, tier in enumerate(TIERS)
            },
            "over_capacity": self.over.any(axis=0),
            "tiers_over": [self.tiers_over(t) for t in range(quarters)],
            "resolution_below_target": np.full(quarters, self.resolution_below_target),
            "flat_staff_fall": self.flat_staff_fall,
            "cpsu": self.cpsu,
            "cpsu_if_staff_kept_pace": self.cpsu_if_staff_kept_pace,
        }
        if columns is not None:
            values = {column: values[column] for column in columns}
        return pd.DataFrame(values)


def guardrail_arrays(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    utilisation_limit: float = UTILISATION_LIMIT,
    resolution_target: float = RESOLUTION_TARGET,
    model: Model | None = None,
    run: ModelRun | None = None,
) -> GuardrailArrays:
    """`guardrails` as arrays, without building its table (see
    GuardrailArrays); the same arguments."""
    model = _model_of(cost_base, headcount, scenario, model)
    run = _run_of(model, run)
    load = run.tier_load[0]
    capacity = run.agent_capacity[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(capacity > 0, load / capacity, np.nan)
    over = np.nan_to_num(utilisation, nan=0.0) > utilisation_limit

    lines = model.lines
    cost = run.line_costs.monthly_cost[0]
    staff_cost = np.stack(
        [
            cost[lines.staffed & (lines.tier_row == row)].sum(axis=0)
            for row in range(len(TIERS))
        ]
    )
    agents = run.agents[0]
    cpsu = run.cpsu[0]
    users = run.supported_users[0]
    tickets = run.tickets[0]
    kept_flat = (
        (load[:, 1:] > load[:, :-1])
        & (load[:, :-1] > 0)
        & (agents[:, 1:] <= agents[:, :-1])
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        paced_cost = staff_cost[:, :-1] * (load[:, 1:] / load[:, :-1])
    paced = np.where(kept_flat, paced_cost, staff_cost[:, 1:])
    paced_cpsu = (
        run.monthly_opex[0, 1:] - staff_cost[:, 1:].sum(axis=0) + paced.sum(axis=0)
    ) / users[1:]
    fell = cpsu[1:] < cpsu[:-1]
    no_hire = (agents[:, 1:] <= agents[:, :-1]).all(axis=0)
    flat_fall = (
        fell & (tickets[1:] > tickets[:-1]) & no_hire & (paced_cpsu >= cpsu[:-1])
    )

    resolution = float(model.assumptions.column("resolution_rate")[0, 0])
    return GuardrailArrays(
        labels=tuple(model.labels),
        utilisation=utilisation,
        over=over,
        resolution_below_target=resolution < resolution_target,
        flat_staff_fall=np.concatenate([[False], flat_fall]),
        cpsu=cpsu,
        cpsu_if_staff_kept_pace=np.concatenate([[np.nan], paced_cpsu]),
    )


def guardrails(
    cost_base: CostBase,
    headcount: Headcount,
    scenario: Scenario,
    utilisation_limit: float = UTILISATION_LIMIT,
    resolution_target: float = RESOLUTION_TARGET,
    model: Model | None = None,
    run: ModelRun | None = None,
) -> pd.DataFrame:
    """The quarters a page should warn about, and why.

    - `over_capacity`: some staffed tier's utilisation (load over its agents'
      tickets a month) is above the limit, 85% by default; `tiers_over` names
      them.
    - `resolution_below_target`: the Tier 1 resolution rate is below its
      target, 70% by default.
    - `flat_staff_fall`: CPSU fell from the quarter before while tickets grew
      and no staffed tier added an agent, and it fell only for that: had each
      tier whose load grew (from some load) without an added agent kept its
      staff cost per ticket of the quarter before (that cost times its
      load's growth in place of what it cost), CPSU would not have fallen.
      The baseline is never marked.

    Columns: quarter, t, utilisation_<tier> for each tier, over_capacity,
    tiers_over, resolution_below_target, flat_staff_fall, cpsu,
    cpsu_if_staff_kept_pace (NaN at the baseline). `run`, when given, is
    `model` run with the scenario's assumptions.
    """
    return guardrail_arrays(
        cost_base,
        headcount,
        scenario,
        utilisation_limit,
        resolution_target,
        model,
        run,
    ).table()
