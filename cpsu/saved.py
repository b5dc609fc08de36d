"""Named scenarios: the ones a company keeps, and the three it starts with.

A saved scenario is a scenario with a life of its own: when it was made
and last changed, a version that counts its saves (0 until it is first
saved), and perhaps a lock. A locked scenario is the one leadership
agreed to; its note says why and its date when, and it never changes
again. To explore from it, save a copy under a new name.

Every workspace starts with three. Base is the workspace's own
assumptions. Conservative and Aggressive move each assumption that a
published benchmark brackets (REFERENCE_FIGURES.md) to the less and the
more favourable end of that bracket, and never past the base: a base
already beyond the bracket keeps its own value, so Conservative is never
better than Base on any assumption and Aggressive never worse. Growth has
no benchmark; it moves by half its own size. Desk-side share, contingent
share and weight, horizon, escalation and the line changes have no
published bracket either, so all three keep the base's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from cpsu.formatting import percent
from cpsu.scenario import Scenario

BASE = "Base"
CONSERVATIVE = "Conservative"
AGGRESSIVE = "Aggressive"

# Tickets per user per month: "1.0 to 1.3 common today" (MetricNet, HDI).
TICKETS_PER_USER_LOW = 1.0
TICKETS_PER_USER_HIGH = 1.3
# Tier 1 resolution: "66% to 71% typical" (HDI, MetricNet).
RESOLUTION_LOW = 0.66
RESOLUTION_HIGH = 0.71
# Self-service deflection: 8% to 15% early, 15% to 30% after six months.
# Conservative stays where an early programme is (at most 10%, no growth);
# Aggressive starts at 10% and grows 5 points a quarter, reaching 20% after
# six months and the 30% of a six-month-old programme's top after a year.
DEFLECTION_EARLY = 0.10
DEFLECTION_STEP_AGGRESSIVE = 0.05
DEFLECTION_MATURE = 0.30
# Tickets per user fell from 1.9 a month (2007) to about 1.15 (the middle of
# today's 1.0 to 1.3) in 19 years: (1.15 / 1.9) ** (1 / 19) - 1, about -2.6%
# a year. Aggressive assumes that fall goes on; Conservative that it stops.
TICKETS_TREND_AGGRESSIVE = -0.026
# Tickets per Tier 1 agent: 500 to 800 a month. Moving from the middle (650)
# 10% up stays well inside the range: Aggressive assumes that much gain,
# Conservative none.
PRODUCTIVITY_AGGRESSIVE = 0.10
# Growth moves by half its size: 8% a quarter becomes 4% and 12%.
GROWTH_SHIFT = 0.5


class ScenarioLocked(Exception):
    """A change to a locked scenario; the message names its lock note and date."""

    def __init__(self, name: str, note: str, locked_on: date | None) -> None:
        when = locked_on.isoformat() if locked_on else "an unknown date"
        super().__init__(
            f"Scenario {name!r} was locked on {when} ({note}); it cannot change. "
            "Save a copy under a new name to explore it."
        )
        self.name = name
        self.note = note
        self.locked_on = locked_on


@dataclass(frozen=True)
class SavedScenario:
    """A named scenario as it is kept: its assumptions, lock and history.

    `version` is the number of saves the store has made of it, 0 before the
    first; a save carries the version it was based on, so that a save made
    from an old copy is refused instead of overwriting a newer one.
    Timestamps are in UTC and set by the store.
    """

    scenario: Scenario
    locked: bool = False
    lock_note: str = ""
    locked_on: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 0

    def __post_init__(self) -> None:
        if not self.scenario.name.strip():
            raise ValueError("A saved scenario needs a name.")
        if self.version < 0:
            raise ValueError("A scenario's version cannot be negative.")
        if self.locked and (not self.lock_note.strip() or self.locked_on is None):
            raise ValueError(f"Locking scenario {self.name!r} needs a note and a date.")

    @property
    def name(self) -> str:
        return self.scenario.name

    def refuse_if_locked(self) -> None:
        """Raise ScenarioLocked when the scenario is locked."""
        if self.locked:
            raise ScenarioLocked(self.name, self.lock_note, self.locked_on)

    def with_scenario(self, scenario: Scenario) -> SavedScenario:
        """The same saved scenario holding new assumptions; refused when locked."""
        self.refuse_if_locked()
        return replace(self, scenario=scenario)

    def locked_with(self, note: str, on: date) -> SavedScenario:
        """The scenario locked with a note saying why, on a date."""
        self.refuse_if_locked()
        return replace(self, locked=True, lock_note=note.strip(), locked_on=on)


def _growth(base: float, direction: int) -> float:
    """Growth moved by half its own size: down for -1, up for +1."""
    return base + direction * GROWTH_SHIFT * abs(base)


def conservative(base: Scenario) -> Scenario:
    """Slower growth and a service desk at the less favourable end of benchmarks.

    Growth is half the base's (8% a quarter becomes 4%); 1.3 tickets per
    user a month (the top of today's 1.0 to 1.3) that no longer fall;
    a 66% resolution rate (the bottom of 66% to 71%); self-service stuck
    where an early programme is, at most 10% with no growth; and no gain in
    agent productivity.
    """
    desk = base.service_desk
    conservative_desk = replace(
        desk,
        tickets_per_user_month=max(desk.tickets_per_user_month, TICKETS_PER_USER_HIGH),
        tickets_trend=max(desk.tickets_trend, 0.0),
        resolution_rate=min(desk.resolution_rate, RESOLUTION_LOW),
        deflection=min(desk.deflection, DEFLECTION_EARLY),
        deflection_step=min(desk.deflection_step, 0.0),
        deflection_cap=min(desk.deflection_cap, DEFLECTION_EARLY),
    )
    return replace(
        base,
        name=CONSERVATIVE,
        growth_per_quarter=_growth(base.growth_per_quarter, -1),
        service_desk=conservative_desk,
        levers=replace(base.levers, productivity=min(base.levers.productivity, 0.0)),
    )


def aggressive(base: Scenario) -> Scenario:
    """Faster growth and a service desk at the more favourable end of benchmarks.

    Growth is one and a half times the base's (8% a quarter becomes 12%);
    1.0 tickets per user a month (the bottom of 1.0 to 1.3), falling 2.6% a
    year as they have since 2007; a 71% resolution rate (the top of 66% to
    71%); self-service from 10%, 5 points more each quarter up to 30%; and
    agents 10% more productive.
    """
    desk = base.service_desk
    aggressive_desk = replace(
        desk,
        tickets_per_user_month=min(desk.tickets_per_user_month, TICKETS_PER_USER_LOW),
        tickets_trend=min(desk.tickets_trend, TICKETS_TREND_AGGRESSIVE),
        resolution_rate=max(desk.resolution_rate, RESOLUTION_HIGH),
        deflection=max(desk.deflection, DEFLECTION_EARLY),
        deflection_step=max(desk.deflection_step, DEFLECTION_STEP_AGGRESSIVE),
        deflection_cap=max(desk.deflection_cap, DEFLECTION_MATURE),
    )
    return replace(
        base,
        name=AGGRESSIVE,
        growth_per_quarter=_growth(base.growth_per_quarter, +1),
        service_desk=aggressive_desk,
        levers=replace(
            base.levers,
            productivity=max(base.levers.productivity, PRODUCTIVITY_AGGRESSIVE),
        ),
    )


def starting_scenarios(base: Scenario) -> tuple[SavedScenario, ...]:
    """Base, Conservative and Aggressive, not yet saved, from the workspace's own."""
    own = replace(base, name=BASE)
    return tuple(
        SavedScenario(scenario)
        for scenario in (own, conservative(own), aggressive(own))
    )


def describe_shift(base: Scenario, other: Scenario) -> list[str]:
    """What a starting scenario changed from the base, one phrase each."""
    phrases = []
    if other.growth_per_quarter != base.growth_per_quarter:
        phrases.append(
            f"growth {percent(base.growth_per_quarter)} -> "
            f"{percent(other.growth_per_quarter)} a quarter"
        )
    before, after = base.service_desk, other.service_desk
    if after.tickets_per_user_month != before.tickets_per_user_month:
        phrases.append(
            f"tickets per user {before.tickets_per_user_month:g} -> "
            f"{after.tickets_per_user_month:g} a month"
        )
    for name, label in (
        ("tickets_trend", "yearly ticket trend"),
        ("resolution_rate", "resolution rate"),
        ("deflection", "deflection"),
        ("deflection_step", "deflection step"),
        ("deflection_cap", "deflection cap"),
    ):
        if getattr(after, name) != getattr(before, name):
            phrases.append(
                f"{label} {percent(getattr(before, name))} -> "
                f"{percent(getattr(after, name))}"
            )
    if other.levers.productivity != base.levers.productivity:
        phrases.append(
            f"agent productivity {percent(base.levers.productivity)} -> "
            f"{percent(other.levers.productivity)}"
        )
    return phrases
