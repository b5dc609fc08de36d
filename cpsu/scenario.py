"""The assumptions of one scenario, and the inputs they are applied to.

A scenario is a set of assumptions about the future: how fast headcount
grows each quarter, how many quarters to look ahead, and the service-desk
parameters (tickets per user, resolution rate, deflection). It is applied to
a workspace: the cost base, the headcount (a baseline quarter and perhaps a
plan for later quarters) and the scenario the workbook itself carried. All
of them are frozen: a slider makes a new scenario, never edits one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from cpsu.costs import NO_LEVERS, CostBase, CostLevers, CostLine
from cpsu.workload import ServiceDesk

MIN_HORIZON = 1
MAX_HORIZON = 40

_QUARTER_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})\s*[-/ ]?\s*Q(?P<q>[1-4])$", re.IGNORECASE),
    re.compile(r"^Q(?P<q>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})$", re.IGNORECASE),
)


def parse_quarter(label: str) -> pd.Period:
    """Read a quarter written like 2026-Q4, 2026 Q4, 2026Q4 or Q4 2026."""
    text = str(label).strip()
    for pattern in _QUARTER_PATTERNS:
        match = pattern.match(text)
        if match:
            return pd.Period(year=int(match["year"]), quarter=int(match["q"]), freq="Q")
    raise ValueError(f"{label!r} is not a quarter; write it like 2026-Q4.")


# FY22 Q4, FY2022-Q4, Q4 FY22, FY'22 Q4: a quarter of a fiscal year.
_FISCAL_QUARTER = re.compile(
    r"^(FY\s*'?\d{2}(\d{2})?\s*[-/ ]?\s*Q[1-4]"
    r"|Q[1-4]\s*[-/ ]?\s*FY\s*'?\d{2}(\d{2})?)$",
    re.IGNORECASE,
)
# What a reader says of a fiscal quarter, after the cell's value.
FISCAL_QUARTER_ADVICE = (
    "a fiscal quarter: the months it holds depend on when the fiscal year "
    "starts. Write the calendar quarter instead, like 2026-Q4"
)


def is_fiscal_quarter(text: str) -> bool:
    """Whether `text` names a quarter of a fiscal year, like FY22 Q4."""
    return _FISCAL_QUARTER.match(text.strip()) is not None


def quarter_label(quarter: pd.Period) -> str:
    """The label of a quarter, like 2026-Q4."""
    return f"{quarter.year}-Q{quarter.quarter}"


def quarter_start(quarter: pd.Period) -> date:
    """The first day of a quarter."""
    return quarter.start_time.date()


@dataclass(frozen=True)
class HeadcountRow:
    """Employees and contingent workers in one quarter."""

    quarter: str
    employees: int
    contingent: int = 0


@dataclass(frozen=True)
class Headcount:
    """The baseline quarter's headcount and an optional plan for later quarters.

    Plan rows follow the baseline one quarter at a time, without gaps.
    """

    rows: tuple[HeadcountRow, ...]

    def __post_init__(self) -> None:
        if not self.rows:
            raise ValueError("Headcount needs at least the baseline quarter.")
        first = parse_quarter(self.rows[0].quarter)
        for offset, row in enumerate(self.rows):
            if parse_quarter(row.quarter) != first + offset:
                raise ValueError(
                    f"Headcount quarter {row.quarter} should be "
                    f"{quarter_label(first + offset)}: plan rows follow the "
                    "baseline one quarter at a time."
                )
            if row.employees < 0 or row.contingent < 0:
                raise ValueError(f"Headcount in {row.quarter} cannot be negative.")

    @property
    def baseline(self) -> HeadcountRow:
        return self.rows[0]

    @property
    def baseline_quarter(self) -> pd.Period:
        return parse_quarter(self.rows[0].quarter)

    @property
    def plan(self) -> tuple[HeadcountRow, ...]:
        """The rows after the baseline."""
        return self.rows[1:]


@dataclass(frozen=True)
class LineChange:
    """From quarter `from_quarter` on, the cost line named `item` is `line`.

    A renegotiated price is the same line with a new unit cost; a tier moved
    from its own staff to a per-ticket contract is a Per ticket line in place
    of the Staffed one; a tool bought in a quarter is a line with a new name,
    which exists from that quarter (an asset bought then starts depreciating
    then, unless it says its own In service date). `line` None drops the
    line from that quarter. Quarter 0 is the baseline.
    """

    item: str
    from_quarter: int
    line: CostLine | None

    def __post_init__(self) -> None:
        if not 0 <= self.from_quarter <= MAX_HORIZON:
            raise ValueError(
                f"The change to {self.item!r} starts in quarter {self.from_quarter}; "
                f"it must be 0 (the baseline) to {MAX_HORIZON}."
            )


@dataclass(frozen=True)
class Scenario:
    """The assumptions of one scenario; rates are fractions (0.1 is 10%).

    `contingent_share`, when set, is the share of contingent workers in the
    headcount of every quarter that growth gives (after any plan); None
    grows employees and contingent workers alike. `levers` change how lines
    are costed (labour and licence escalation, agent productivity) and
    `changes` change single lines from a quarter on.
    """

    name: str = "Base"
    horizon_quarters: int = 8
    growth_per_quarter: float = 0.0
    service_desk: ServiceDesk = field(default_factory=ServiceDesk)
    contingent_share: float | None = None
    levers: CostLevers = NO_LEVERS
    changes: tuple[LineChange, ...] = ()

    def __post_init__(self) -> None:
        if not MIN_HORIZON <= self.horizon_quarters <= MAX_HORIZON:
            raise ValueError(
                f"The horizon must be {MIN_HORIZON} to {MAX_HORIZON} quarters, "
                f"not {self.horizon_quarters}."
            )
        if self.growth_per_quarter <= -1.0:
            raise ValueError("Growth per quarter must be above -100%.")
        if self.contingent_share is not None and not 0.0 <= self.contingent_share < 1:
            raise ValueError(
                "The contingent share must be from 0% up to, not including, 100%."
            )


@dataclass(frozen=True)
class Workspace:
    """Everything read from one upload: the inputs and the scenario they carry."""

    cost_base: CostBase
    headcount: Headcount
    scenario: Scenario
    source: str = ""
