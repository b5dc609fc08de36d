"""Headline figures of a projection and the case they make: what leadership
reads first.

CPSU today and at the horizon, how much it changes, what each user added
over the horizon costs to support, and the funding ask: the spend over the
horizon above holding today's run-rate, in total and by fiscal year. The
narrative says the case in a paragraph of those numbers, each written from
the projection's own values, and adds the guardrails' caveats (agents over
capacity, a resolution rate below target, CPSU that fell only because no
agent was added), so that a plan cannot buy a lower CPSU quietly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cpsu.compare import funding_by_fiscal_year
from cpsu.costs import CostBase
from cpsu.formatting import count, money, percent
from cpsu.projection import (
    TIER_KEYS,
    Model,
    ModelRun,
    Projection,
    ProjectionError,
    project,
)
from cpsu.scenario import Scenario, Workspace
from cpsu.sensitivity import (
    RESOLUTION_TARGET,
    UTILISATION_LIMIT,
    GuardrailArrays,
    guardrail_arrays,
    tier_1_tickets_per_agent,
)


@dataclass(frozen=True)
class HeadlineFigures:
    baseline_quarter: str
    horizon_quarter: str
    horizon_quarters: int
    users_now: float
    users_at_horizon: float
    run_rate_now: float
    run_rate_at_horizon: float
    cpsu_now: float
    cpsu_at_horizon: float
    cpsu_change: float  # fraction, negative when CPSU falls
    cost_per_added_user: float  # NaN when users do not change
    average_change_per_quarter: float  # compound rate, fraction
    funding_ask: float

    @property
    def per_user_label(self) -> str:
        """Users can fall under a shrinking scenario: say per user lost then."""
        if self.users_at_horizon < self.users_now:
            return "Cost change per user lost"
        return "Cost per added user"

    @property
    def funding_label(self) -> str:
        return "Funding ask" if self.funding_ask >= 0 else "Saving on baseline"

    @property
    def funding_amount(self) -> float:
        """The ask, or the saving as a positive sum when spend falls."""
        return abs(self.funding_ask)


def headline_figures(projection: Projection) -> HeadlineFigures:
    """The figures a funding case opens with."""
    labels = projection.quarters
    users, run_rate, cpsu = (
        projection.column(name) for name in ("supported_users", "monthly_opex", "cpsu")
    )
    quarters = len(labels) - 1
    added_users = users[-1] - users[0]
    added_cost = run_rate[-1] - run_rate[0]
    ratio = cpsu[-1] / cpsu[0] if cpsu[0] else math.nan
    return HeadlineFigures(
        baseline_quarter=str(labels[0]),
        horizon_quarter=str(labels[-1]),
        horizon_quarters=quarters,
        users_now=float(users[0]),
        users_at_horizon=float(users[-1]),
        run_rate_now=float(run_rate[0]),
        run_rate_at_horizon=float(run_rate[-1]),
        cpsu_now=float(cpsu[0]),
        cpsu_at_horizon=float(cpsu[-1]),
        cpsu_change=float(ratio - 1),
        cost_per_added_user=(
            float(added_cost / added_users) if added_users else math.nan
        ),
        average_change_per_quarter=(
            float(ratio ** (1 / quarters) - 1) if quarters and ratio > 0 else math.nan
        ),
        funding_ask=projection.funding_ask,
    )


# Rules of thumb from published benchmarks: outside these, a figure deserves a
# second look, not a refusal.
TICKETS_PER_USER_USUAL = (0.3, 3.0)
RESOLUTION_RATE_HIGH = 0.90
UTILISATION_HIGH = 0.85
DEFLECTION_HIGH = 0.50
CPSU_USUAL = (20.0, 400.0)
GROWTH_USUAL = (-0.10, 0.30)
# Tickets per user rose about 5% a year from 1988 to 2007 and have fallen
# since; a yearly trend beyond 5% either way is the ranges' own guess.
TICKETS_TREND_USUAL = (-0.05, 0.05)
# Deflection goes from 15% early to 30% after six months: 7.5 points a
# quarter is the fastest climb the published figures show.
DEFLECTION_STEP_HIGH = 0.075
# 500 to 800 tickets a Tier 1 agent a month (benchmark).
TICKETS_PER_AGENT_USUAL = (500.0, 800.0)
# Pay rises of 2% to 5% a year; list prices held, up to 10% a year.
LABOUR_ESCALATION_USUAL = (0.02, 0.05)
LICENCE_ESCALATION_USUAL = (0.0, 0.10)


def lever_notes(scenario: Scenario, cost_base: CostBase | None = None) -> list[str]:
    """'Check this' notes for the levers a slider moves beyond its usual range.

    Agent productivity is checked against the benchmark's 500 to 800 tickets
    a Tier 1 agent a month when a cost base is given and the lever is moved.
    """
    desk, levers = scenario.service_desk, scenario.levers
    notes: list[str] = []
    low, high = TICKETS_TREND_USUAL
    if not low <= desk.tickets_trend <= high:
        notes.append(
            f"A yearly trend of tickets per user of "
            f"{percent(desk.tickets_trend, 1, signed=True)} is outside "
            f"{percent(low, 0, signed=True)} to {percent(high, 0, signed=True)}; it "
            "compounds every year of the horizon."
        )
    if desk.deflection_step > DEFLECTION_STEP_HIGH:
        notes.append(
            f"Deflection gaining {percent(desk.deflection_step, 1)} a quarter is "
            f"faster than the {percent(DEFLECTION_STEP_HIGH, 1)} a quarter of the "
            "published figures (15% early, 30% after six months)."
        )
    per_agent = None if cost_base is None else tier_1_tickets_per_agent(cost_base)
    if per_agent and levers.productivity != 0.0:
        handled = per_agent * (1.0 + levers.productivity)
        low, high = TICKETS_PER_AGENT_USUAL
        if not low <= handled <= high:
            notes.append(
                f"Agent productivity of {percent(levers.productivity, 0, signed=True)} "
                f"has a Tier 1 agent handle {handled:,.0f} tickets a month; "
                f"{low:,.0f} to {high:,.0f} is the benchmark."
            )
    for value, usual, label in (
        (levers.labour_escalation, LABOUR_ESCALATION_USUAL, "Labour escalation"),
        (levers.licence_escalation, LICENCE_ESCALATION_USUAL, "Licence escalation"),
    ):
        low, high = usual
        if value is not None and not low <= value <= high:
            notes.append(
                f"{label} of {percent(value, 1)} a year is outside the usual "
                f"{percent(low, 0)} to {percent(high, 0)}."
            )
    if desk.contingent_weight > 1.0:
        notes.append(
            f"A contingent weight of {desk.contingent_weight:g} counts each "
            "contingent worker as more than one supported user; 1 or less is usual."
        )
    return notes


def sanity_notes(
    projection: Projection, scenario: Scenario, cost_base: CostBase | None = None
) -> list[str]:
    """'Check this' notes for assumptions and results outside the usual ranges."""
    desk = scenario.service_desk
    column = projection.column
    quarters = np.asarray(projection.quarters, dtype=object)
    notes: list[str] = []
    low, high = TICKETS_PER_USER_USUAL
    if not low <= desk.tickets_per_user_month <= high:
        notes.append(
            f"Tickets per user per month is {desk.tickets_per_user_month:g}; "
            f"{low:g} to {high:g} is usual (1.0 to 1.3 is common today)."
        )
    if desk.resolution_rate > RESOLUTION_RATE_HIGH:
        notes.append(
            f"A Tier 1 resolution rate of {percent(desk.resolution_rate, 0)} is above "
            f"{percent(RESOLUTION_RATE_HIGH, 0)}; 66% to 71% is typical."
        )
    low, high = GROWTH_USUAL
    if not low <= scenario.growth_per_quarter <= high:
        notes.append(
            f"Growth of {percent(scenario.growth_per_quarter, 1, signed=True)} a "
            f"quarter is outside {percent(low, 0)} to {percent(high, 0, signed=True)}; "
            "check that it is a rate a quarter, not a year, and not a percent "
            "written as a whole number."
        )
    if desk.deflection > desk.deflection_cap:
        notes.append(
            f"Self-service deflection of {percent(desk.deflection, 0)} is above its "
            f"cap of {percent(desk.deflection_cap, 0)}, so the cap applies from the "
            "baseline; raise the cap to model more."
        )
    most_deflected = np.nanmax(column("deflection"))
    if most_deflected > DEFLECTION_HIGH:
        notes.append(
            f"Self-service deflection reaches {percent(most_deflected, 0)}; "
            f"above {percent(DEFLECTION_HIGH, 0)} is rarely sustained."
        )
    elif desk.deflection_cap > DEFLECTION_HIGH:
        notes.append(
            f"A deflection cap of {percent(desk.deflection_cap, 0)} is above "
            f"{percent(DEFLECTION_HIGH, 0)}, which is rarely sustained; 30% to 45% "
            "is mature."
        )
    notes.extend(lever_notes(scenario, cost_base))
    busy_tiers = []
    for tier, key in TIER_KEYS.items():
        busy = quarters[column(f"utilisation_{key}") > UTILISATION_HIGH]
        if len(busy):
            busy_tiers.append(f"{tier.value} in {_quarter_list(busy.tolist())}")
    if busy_tiers:
        notes.append(
            f"Agents run above {percent(UTILISATION_HIGH, 0)} of their capacity "
            f"(tickets per agent): {'; '.join(busy_tiers)}. Staffing adds an agent "
            "only when a tier is full; lower tickets per agent to plan headroom."
        )
    low, high = CPSU_USUAL
    cpsu = column("cpsu")
    outside = quarters[(cpsu < low) | (cpsu > high)]
    if len(outside):
        notes.append(
            f"CPSU is outside {money(low, False)} to {money(high, False)} a month in "
            f"{_quarter_list(outside.tolist())}; check the cost base for missing or "
            "doubled lines."
        )
    return notes


def _quarter_list(quarters: list[str]) -> str:
    if len(quarters) <= 3:
        return ", ".join(quarters)
    return f"{len(quarters)} quarters between {quarters[0]} and {quarters[-1]}"


# What each setting that can move the baseline quarter is called on the page.
_BASELINE_SETTINGS = (
    ("service_desk", "tickets_per_user_month", "tickets per user"),
    ("service_desk", "resolution_rate", "resolution rate"),
    ("service_desk", "deskside_share", "desk-side share"),
    ("service_desk", "deflection", "self-service deflection"),
    ("service_desk", "deflection_cap", "deflection cap"),
    ("service_desk", "contingent_weight", "contingent weight"),
    ("levers", "productivity", "agent productivity"),
    ("scenario", "contingent_share", "contingent share"),
    ("scenario", "changes", "line changes"),
)


def baseline_note(
    workspace: Workspace, scenario: Scenario, projection: Projection
) -> str | None:
    """A short note for "today's CPSU" when the scenario's own settings move it.

    Quarter 0 is the baseline quarter costed with the scenario's service desk
    and levers, so tickets per user (and the other settings that cost the
    baseline's tickets) change today's figure too. When that figure differs
    from the baseline costed with the cost base's own settings, the note says
    so and gives the other figure; otherwise there is nothing to say (None).
    """
    own = workspace.scenario
    try:
        own_projection = project(
            workspace.cost_base,
            workspace.headcount,
            replace(own, horizon_quarters=1, growth_per_quarter=0.0),
        )
    except ProjectionError:
        return None
    now = float(projection.column("cpsu")[0])
    own_now = float(own_projection.column("cpsu")[0])
    if not math.isfinite(own_now) or money(now) == money(own_now):
        return None
    parts = {"scenario": scenario, "service_desk": scenario.service_desk}
    own_parts = {"scenario": own, "service_desk": own.service_desk}
    parts["levers"], own_parts["levers"] = scenario.levers, own.levers
    moved = [
        label
        for owner, name, label in _BASELINE_SETTINGS
        if getattr(parts[owner], name) != getattr(own_parts[owner], name)
    ]
    settings = _joined(moved) if moved else "settings"
    return (
        f"Today's CPSU ({projection.quarters[0]}) is costed with this scenario's "
        f"{settings}: {money(now)} a month, against {money(own_now)} with the "
        "cost base's own."
    )


# --- the case, in a paragraph ---------------------------------------------------


@dataclass(frozen=True)
class PitchCase:
    """Everything the Pitch page, the deck and the narrative say about one
    scenario: its figures, its funding by fiscal year, agents and guardrails."""

    workspace: Workspace
    scenario: Scenario
    projection: Projection
    figures: HeadlineFigures
    funding: pd.DataFrame  # compare.funding_by_fiscal_year
    agents_now: dict[str, float]  # tier name: agents, staffed tiers only
    agents_at_horizon: dict[str, float]
    guardrails: GuardrailArrays
    fiscal_start: int = 1  # the fiscal year's first month, 1 (January) to 12

    @property
    def total_agents_now(self) -> float:
        return float(sum(self.agents_now.values()))

    @property
    def total_agents_at_horizon(self) -> float:
        return float(sum(self.agents_at_horizon.values()))


def _agents(projection: Projection, t: int) -> dict[str, float]:
    """Agents by tier in quarter t, for the tiers staffed in any quarter."""
    agents = {}
    for tier, key in TIER_KEYS.items():
        column = np.asarray(projection.column(f"agents_{key}"), dtype=float)
        if np.nanmax(column, initial=0.0) > 0:
            agents[tier.value] = float(column[t])
    return agents


def pitch_case(
    workspace: Workspace,
    scenario: Scenario,
    projection: Projection,
    fiscal_start: int = 1,
    model: Model | None = None,
    run: ModelRun | None = None,
) -> PitchCase:
    """The case for `scenario`, projected as `projection`; `model` and `run`,
    when given, are the scenario's compiled model and its run (they spare
    compiling it again for the guardrails)."""
    return PitchCase(
        workspace=workspace,
        scenario=scenario,
        projection=projection,
        figures=headline_figures(projection),
        funding=funding_by_fiscal_year(projection, fiscal_start),
        agents_now=_agents(projection, 0),
        agents_at_horizon=_agents(projection, len(projection.quarters) - 1),
        guardrails=guardrail_arrays(
            workspace.cost_base,
            workspace.headcount,
            scenario,
            model=model,
            run=run,
        ),
        fiscal_start=fiscal_start,
    )


def whole_dollar_parts(parts: Sequence[float], total: float | None = None) -> list[int]:
    """`parts` in whole dollars that add up to `total` (their sum when not
    given) rounded as `money` shows it: each part is rounded down, and the
    dollars left go to the parts that lost most (largest remainder). So the
    parts a sentence shows always add up to the total it shows."""
    values = np.asarray(parts, dtype=float)
    if not len(values):
        return []
    # Python rounds as money()'s format does: to the nearest, a half to even.
    shown_total = round(float(values.sum()) if total is None else float(total))
    floors = np.floor(values)
    left = int(shown_total - floors.sum())
    # Ties go to the earlier part, so the same asks always round the same way.
    order = np.argsort(-(values - floors), kind="stable")
    rounded = [int(value) for value in floors]
    for index in order[: max(0, min(left, len(values)))]:
        rounded[index] += 1
    return rounded


def funding_parts(case: PitchCase) -> list[tuple[str, int]]:
    """The funding ask by fiscal year as it is shown, whole dollars adding up to
    the total shown: ("FY2027", 283_292), or ("FY2029 (3 months)", 910) for a
    year the horizon covers in part. When the plan saves, the parts are the
    savings (positive where spend falls), as the total is."""
    funding = case.funding[case.funding["funding_ask"].notna()]
    sign = 1.0 if case.figures.funding_ask >= 0 else -1.0
    asks = [sign * float(ask) for ask in funding["funding_ask"]]
    total = sign * case.figures.funding_ask
    labels = [
        str(year) if months == 12 else f"{year} ({_months_phrase(months)})"
        for year, months in zip(funding["fiscal_year"], funding["months"], strict=True)
    ]
    return list(zip(labels, whole_dollar_parts(asks, total), strict=True))


def _months_phrase(months: float) -> str:
    return plural(months, "month")


def plural(number: float, noun: str, nouns: str | None = None) -> str:
    """ "1 quarter", "8 quarters", "1,350 supported users"."""
    word = noun if number == 1 else (nouns or f"{noun}s")
    return f"{count(number)} {word}"


def _fiscal_years(case: PitchCase) -> str:
    """ "FY2027 $1,234, FY2028 $5,678 and FY2029 (3 months) $910", adding up
    to the total the sentence shows."""
    return _joined(
        [f"{label} {money(part, cents=False)}" for label, part in funding_parts(case)]
    )


def _joined(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _quarters_phrase(quarters: int) -> str:
    return "the next quarter" if quarters == 1 else f"the {quarters} quarters"


def _agents_phrase(agents: float) -> str:
    return plural(agents, "agent")


def _agents_sentence(case: PitchCase) -> str:
    now, later = case.total_agents_now, case.total_agents_at_horizon
    figures = case.figures
    if not case.agents_at_horizon:
        return "No tier is staffed with agents of its own."
    tiers = ", ".join(
        f"{count(agents)} {tier}" for tier, agents in case.agents_at_horizon.items()
    )
    if later == now:
        return (
            f"The service desk holds at {_agents_phrase(later)} ({tiers}) through "
            f"{figures.horizon_quarter}."
        )
    verb = "needs" if later > now else "needs only"
    return (
        f"By {figures.horizon_quarter} support {verb} {_agents_phrase(later)} "
        f"({tiers}), against {count(now)} today."
    )


def guardrail_caveats(case: PitchCase) -> list[str]:
    """What the guardrails say the case must admit, one sentence each."""
    marks = case.guardrails
    labels = list(marks.labels)
    caveats = []
    over = [t for t in range(len(labels)) if marks.over[:, t].any()]
    if over:
        named = {tier for t in over for tier in marks.tiers_over(t).split(", ")}
        tiers = [tier.value for tier in TIER_KEYS if tier.value in named]
        busiest = float(np.nanmax(marks.utilisation))
        caveats.append(
            f"{_joined(tiers)} {'runs' if len(tiers) == 1 else 'run'} above "
            f"{percent(UTILISATION_LIMIT, 0)} of "
            f"capacity in {_quarter_list([labels[t] for t in over])}, at most "
            f"{percent(busiest, 0)}: the CPSU shown there leans on overloaded agents."
        )
    if marks.resolution_below_target:
        rate = case.scenario.service_desk.resolution_rate
        caveats.append(
            f"The Tier 1 resolution rate of {percent(rate, 0)} is below the "
            f"{percent(RESOLUTION_TARGET, 0)} target, so more tickets escalate to "
            "costlier tiers."
        )
    flat = [labels[t] for t in range(len(labels)) if marks.flat_staff_fall[t]]
    if flat:
        caveats.append(
            f"CPSU falls in {_quarter_list(flat)} only because no agent is added "
            "while tickets grow; hiring to keep pace would hold it level."
        )
    return caveats


def _changes_sentence(case: PitchCase) -> str:
    """The scenario's line changes in words: which line, what, from when. They
    move CPSU as much as growth can, so the case names them."""
    known = {line.item for line in case.workspace.cost_base.lines}
    quarters = case.projection.quarters
    said = []
    for change in sorted(case.scenario.changes, key=lambda c: c.from_quarter):
        when = (
            f"from {quarters[change.from_quarter]}"
            if change.from_quarter < len(quarters)
            else "after the horizon"
        )
        if change.line is None:
            what = "stops"
        elif change.item in known:
            what = "changes"
        else:
            what = "is added"
        said.append(f"{change.item} {what} {when}")
    return f"The scenario changes {plural(len(said), 'cost line')}: {'; '.join(said)}."


def narrative(case: PitchCase, caveats: bool = True) -> str:
    """The case in one paragraph of the projection's own numbers, with any
    guardrail caveats after it (unless `caveats` is False)."""
    figures = case.figures
    scenario = case.scenario
    growth = scenario.growth_per_quarter
    if abs(figures.cpsu_change) < 0.0005:
        cpsu_move = f"holds at {money(figures.cpsu_at_horizon)}"
    else:
        direction = "falls" if figures.cpsu_change < 0 else "rises"
        cpsu_move = (
            f"{direction} {percent(abs(figures.cpsu_change))} to "
            f"{money(figures.cpsu_at_horizon)}, "
            f"{percent(figures.average_change_per_quarter, signed=True)} a quarter "
            "on average"
        )
    users = count(figures.users_at_horizon)
    if figures.users_at_horizon == figures.users_now:
        users_move = f"stay at {users} through"
    elif figures.users_at_horizon < figures.users_now:
        users_move = f"fall to {users} by"
    else:
        users_move = f"reach {users} by"
    each_of = (
        "the one supported user"
        if figures.users_now == 1
        else f"each of {plural(figures.users_now, 'supported user')}"
    )
    sentences = [
        f"Support costs {money(figures.cpsu_now)} a month for {each_of} in "
        f"{figures.baseline_quarter}, "
        f"a run-rate of {money(figures.run_rate_now, cents=False)} a month.",
        f"Under the {scenario.name} scenario, with growth of "
        f"{percent(growth, signed=True)} a quarter, supported users "
        f"{users_move} {figures.horizon_quarter} and CPSU {cpsu_move}.",
    ]
    if scenario.changes:
        sentences.append(_changes_sentence(case))
    per_user = figures.cost_per_added_user
    if math.isfinite(per_user):
        if figures.users_at_horizon > figures.users_now:
            compared = "less" if per_user < figures.cpsu_now else "more"
            sentences.append(
                f"Each user added costs {money(per_user)} a month to support, "
                f"{compared} than today's CPSU."
            )
        elif per_user >= 0:
            # Fewer users share what does not shrink with them: CPSU rises
            # when a user lost saves less than a user costs on average.
            if per_user < figures.cpsu_now:
                effect = "less than today's CPSU, so each remaining user costs more"
            else:
                effect = "more than today's CPSU, so each remaining user costs less"
            sentences.append(
                f"Each user lost takes {money(per_user)} a month off the cost of "
                f"support, {effect}."
            )
        else:
            sentences.append(
                f"Each user lost changes the monthly cost by {money(per_user)}."
            )
    total = figures.funding_ask
    years = _fiscal_years(case)
    if money(total, cents=False) == money(0.0, cents=False):
        # Nothing asked and nothing saved: the plan holds the baseline.
        sentences.append(
            f"Over {_quarters_phrase(figures.horizon_quarters)} the plan holds "
            "today's run-rate: it asks for nothing above it."
        )
    elif total >= 0:
        sentences.append(
            f"Over {_quarters_phrase(figures.horizon_quarters)} the plan asks "
            f"{money(total, cents=False)} above holding today's run-rate: {years}."
        )
    else:
        sentences.append(
            f"Over {_quarters_phrase(figures.horizon_quarters)} the plan spends "
            f"{money(-total, cents=False)} less than holding today's run-rate "
            f"(by fiscal year: {years})."
        )
    sentences.append(_agents_sentence(case))
    said = guardrail_caveats(case) if caveats else []
    if said:
        sentences.append("Caveats: " + " ".join(said))
    return " ".join(sentences)


def assumption_rows(scenario: Scenario) -> list[tuple[str, str]]:
    """The scenario's assumptions as a deck or a page lists them: label, value."""
    desk, levers = scenario.service_desk, scenario.levers
    rows = [
        ("Scenario", scenario.name),
        ("Horizon", plural(scenario.horizon_quarters, "quarter")),
        ("Growth per quarter", percent(scenario.growth_per_quarter, signed=True)),
        ("Tickets per user per month", f"{desk.tickets_per_user_month:g}"),
        ("Yearly trend of tickets per user", percent(desk.tickets_trend, signed=True)),
        ("Tier 1 resolution rate", percent(desk.resolution_rate)),
        ("Desk-side share of escalations", percent(desk.deskside_share)),
        ("Self-service deflection", percent(desk.deflection)),
        ("Deflection gain per quarter", percent(desk.deflection_step)),
        ("Deflection cap", percent(desk.deflection_cap)),
        ("Contingent weight", f"{desk.contingent_weight:g}"),
        ("Agent productivity", percent(levers.productivity, signed=True)),
    ]
    if scenario.contingent_share is not None:
        rows.append(("Contingent share", percent(scenario.contingent_share)))
    for label, value in (
        ("Labour escalation a year", levers.labour_escalation),
        ("Licence escalation a year", levers.licence_escalation),
    ):
        rows.append((label, "each line's own" if value is None else percent(value)))
    if scenario.changes:
        rows.append(("Line changes", count(len(scenario.changes))))
    return rows
