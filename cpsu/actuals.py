"""What happened: CPSU by quarter, its streaks, and the experience curve.

A funding case is believed when last year's plan can be held against what
happened. Actuals are one row per quarter, in order and without gaps: the
employees and contingent workers supported, the monthly run-rate of support
(in total, and by pool where the user has it), and the quality of support
that quarter (tickets, the share resolved at the desk, satisfaction).

From them come the numbers an IT manager shows: CPSU by quarter and its
change on the quarter before; the streak of consecutive reductions (the
current one, and the longest); the average change; cost and users indexed
to 100; the quarters in which cost fell while quality fell too; and the
experience curve, CPSU = a * users ** -b fitted by least squares on logs,
which says how much CPSU falls each time the company doubles; and a plan
(a locked scenario's projection) held against the quarters that came after.

CPSU here is the model's: the monthly run-rate over supported users, with
contingent workers at the contingent weight. A change is a fraction of the
quarter before (-0.02 is 2% lower). A quarter counts as a reduction when
its CPSU is at least half a cent below the quarter before: CPSU is shown to
the cent, and two quarters that show the same figure are a tie, which ends
a streak as a rise does.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from cpsu.projection import POOL_COLUMNS, Projection
from cpsu.scenario import parse_quarter, quarter_label

# CPSU is shown to the cent: a fall smaller than half a cent shows as none.
TIE = 0.005
# The experience curve's band: where 90% of quarters would fall.
BAND_LEVEL = 0.90


class ActualsError(ValueError):
    """Actuals that cannot be read as a history, with what to do about it."""


@dataclass(frozen=True)
class ActualQuarter:
    """One quarter of what happened.

    `monthly_opex` is the monthly run-rate of support in the quarter (the
    cost of an average month). `by_pool` splits it by cost pool when the
    user's file does; it is empty otherwise. Quality measures are None when
    the file does not give them; rates are fractions (0.72 is 72%).
    """

    quarter: str
    employees: float
    contingent: float
    monthly_opex: float
    by_pool: Mapping[str, float] = field(default_factory=dict)
    tickets: float | None = None
    resolution_rate: float | None = None
    satisfaction: float | None = None


@dataclass(frozen=True)
class Actuals:
    """A history of consecutive quarters, oldest first."""

    rows: tuple[ActualQuarter, ...]
    contingent_weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.rows:
            raise ActualsError("Actuals need at least one quarter.")
        first = parse_quarter(self.rows[0].quarter)
        for offset, row in enumerate(self.rows):
            expected = first + offset
            if parse_quarter(row.quarter) != expected:
                raise ActualsError(
                    f"Actuals quarter {row.quarter} should be "
                    f"{quarter_label(expected)}: the quarters follow each other "
                    "without gaps, oldest first."
                )
            if row.employees < 0 or row.contingent < 0:
                raise ActualsError(
                    f"{row.quarter}: employees and contingent workers cannot be "
                    "negative."
                )
            if row.employees + self.contingent_weight * row.contingent <= 0:
                raise ActualsError(
                    f"{row.quarter}: no supported users, so CPSU has no meaning."
                )
            if not math.isfinite(row.monthly_opex) or row.monthly_opex < 0:
                raise ActualsError(
                    f"{row.quarter}: the monthly run-rate must be a number of 0 "
                    "or more."
                )
        if self.contingent_weight < 0:
            raise ActualsError("The contingent weight cannot be negative.")

    @property
    def quarters(self) -> list[str]:
        return [quarter_label(parse_quarter(row.quarter)) for row in self.rows]

    @property
    def pools(self) -> list[str]:
        """The cost pools of the history, in the order they first appear."""
        seen: dict[str, None] = {}
        for row in self.rows:
            seen.update(dict.fromkeys(row.by_pool))
        return list(seen)

    def supported_users(self) -> np.ndarray:
        employees = np.array([row.employees for row in self.rows], dtype=float)
        contingent = np.array([row.contingent for row in self.rows], dtype=float)
        return employees + self.contingent_weight * contingent

    def monthly_opex(self) -> np.ndarray:
        return np.array([row.monthly_opex for row in self.rows], dtype=float)

    def cpsu(self) -> np.ndarray:
        return self.monthly_opex() / self.supported_users()


def _optional(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def changes(cpsu: Sequence[float] | np.ndarray) -> np.ndarray:
    """Each quarter's change of CPSU as a fraction of the quarter before; the
    first quarter has none (NaN)."""
    values = np.asarray(cpsu, dtype=float)
    out = np.full(values.shape, np.nan)
    out[1:] = values[1:] / values[:-1] - 1.0
    return out


def reductions(cpsu: Sequence[float] | np.ndarray) -> np.ndarray:
    """Whether each quarter's CPSU fell on the quarter before (by half a cent
    or more); the first quarter is not a reduction."""
    values = np.asarray(cpsu, dtype=float)
    fell = np.zeros(values.shape, dtype=bool)
    fell[1:] = values[1:] <= values[:-1] - TIE
    return fell


@dataclass(frozen=True)
class Streaks:
    """Consecutive reductions of CPSU.

    `current` counts the reductions ending at the latest quarter (0 when it
    did not fall). `longest` is the longest run anywhere, and `longest_end`
    the quarter it ended in (None when CPSU never fell).
    """

    current: int
    longest: int
    longest_end: str | None


def streaks(cpsu: Sequence[float] | np.ndarray, quarters: Sequence[str]) -> Streaks:
    """The current and the longest run of consecutive reductions."""
    fell = reductions(cpsu)
    current = longest = 0
    longest_end: str | None = None
    for quarter, reduced in zip(quarters, fell, strict=True):
        current = current + 1 if reduced else 0
        if current > longest:
            longest, longest_end = current, quarter
    return Streaks(current, longest, longest_end)


@dataclass(frozen=True)
class ExperienceCurve:
    """CPSU = a * users ** -b, fitted on logs.

    `per_doubling` is the share CPSU falls each time users double
    (1 - 2 ** -b). `r2` is the fit's R squared on logs. The band is a
    prediction interval: where a quarter's CPSU would fall with probability
    `BAND_LEVEL`, were the history's scatter about the curve to go on.
    """

    a: float
    b: float
    r2: float
    quarters: int
    residual_sd: float  # of log CPSU about the line
    mean_log_users: float
    sxx: float  # sum of squared deviations of log users

    @property
    def per_doubling(self) -> float:
        return 1.0 - 2.0**-self.b

    def cpsu(self, users: Sequence[float] | np.ndarray | float) -> np.ndarray:
        return self.a * np.asarray(users, dtype=float) ** -self.b

    def band(
        self, users: Sequence[float] | np.ndarray | float, level: float = BAND_LEVEL
    ) -> tuple[np.ndarray, np.ndarray]:
        """The low and high CPSU of the prediction interval at `users`."""
        x = np.log(np.asarray(users, dtype=float))
        n = self.quarters
        t = stats.t.ppf(0.5 + level / 2, n - 2)
        spread = self.residual_sd * np.sqrt(
            1 + 1 / n + (x - self.mean_log_users) ** 2 / self.sxx
        )
        centre = np.log(self.a) - self.b * x
        return np.exp(centre - t * spread), np.exp(centre + t * spread)


MIN_FIT_QUARTERS = 3


def fit_experience_curve(
    users: Sequence[float] | np.ndarray, cpsu: Sequence[float] | np.ndarray
) -> ExperienceCurve:
    """The experience curve through a history, by least squares on logs
    (scipy.stats.linregress of log CPSU on log users)."""
    x = np.log(np.asarray(users, dtype=float))
    y_values = np.asarray(cpsu, dtype=float)
    if x.size < MIN_FIT_QUARTERS:
        raise ActualsError(
            f"The experience curve needs at least {MIN_FIT_QUARTERS} quarters; "
            f"the history has {x.size}."
        )
    if np.any(y_values <= 0):
        raise ActualsError(
            "The experience curve needs a CPSU above $0 in every quarter."
        )
    if np.ptp(x) == 0:
        raise ActualsError(
            "The experience curve needs the number of users to change; it is "
            "the same in every quarter."
        )
    y = np.log(y_values)
    fit = stats.linregress(x, y)
    residuals = y - (fit.intercept + fit.slope * x)
    dof = x.size - 2
    residual_sd = float(np.sqrt(residuals @ residuals / dof)) if dof > 0 else 0.0
    r2 = float(fit.rvalue**2) if np.ptp(y) > 0 else 1.0
    return ExperienceCurve(
        a=float(np.exp(fit.intercept)),
        b=float(-fit.slope),
        r2=r2,
        quarters=int(x.size),
        residual_sd=residual_sd,
        mean_log_users=float(x.mean()),
        sxx=float(((x - x.mean()) ** 2).sum()),
    )


HISTORY_COLUMNS = (
    "quarter",
    "employees",
    "contingent",
    "supported_users",
    "monthly_opex",
    "cpsu",
    "change",
    "reduction",
    "tickets",
    "resolution_rate",
    "satisfaction",
    "cost_index",
    "users_index",
)


def history(actuals: Actuals) -> pd.DataFrame:
    """A row per quarter: users, run-rate, CPSU and its change, whether it
    was a reduction, the quality measures, and cost and users indexed to 100
    at the first quarter. Pool columns follow, one per pool, when the
    history has them."""
    users = actuals.supported_users()
    opex = actuals.monthly_opex()
    cpsu = opex / users
    rows = actuals.rows
    table = pd.DataFrame(
        {
            "quarter": actuals.quarters,
            "employees": [row.employees for row in rows],
            "contingent": [row.contingent for row in rows],
            "supported_users": users,
            "monthly_opex": opex,
            "cpsu": cpsu,
            "change": changes(cpsu),
            "reduction": reductions(cpsu),
            "tickets": _optional([row.tickets for row in rows]),
            "resolution_rate": _optional([row.resolution_rate for row in rows]),
            "satisfaction": _optional([row.satisfaction for row in rows]),
            "cost_index": 100.0 * opex / opex[0] if opex[0] > 0 else np.nan,
            "users_index": 100.0 * users / users[0],
        },
        columns=list(HISTORY_COLUMNS),
    )
    for pool in actuals.pools:
        table[pool] = _optional([row.by_pool.get(pool) for row in rows])
    return table


def average_change(cpsu: Sequence[float] | np.ndarray) -> float | None:
    """The mean of the quarterly changes of CPSU; None with one quarter."""
    quarterly = changes(cpsu)[1:]
    return float(quarterly.mean()) if quarterly.size else None


def whole_change(cpsu: Sequence[float] | np.ndarray) -> float | None:
    """The change of CPSU from the first quarter to the last, as a fraction
    of the first; None with one quarter."""
    values = np.asarray(cpsu, dtype=float)
    return float(values[-1] / values[0] - 1.0) if values.size > 1 else None


@dataclass(frozen=True)
class QualityWarning:
    """A quarter in which CPSU fell while quality fell too."""

    quarter: str
    cpsu_change: float
    measures: tuple[tuple[str, float, float], ...]  # (measure, before, after)

    @property
    def message(self) -> str:
        falls = "; ".join(
            f"{name} fell from {before:.1%} to {after:.1%}"
            for name, before, after in self.measures
        )
        return (
            f"{self.quarter}: CPSU fell {-self.cpsu_change:.1%} while {falls}. "
            "A saving bought with worse support is not one to present as is."
        )


# A quality measure falls when it drops by a percentage point or more: survey
# and resolution figures move by less than that from quarter to quarter.
QUALITY_FALL = 0.01
QUALITY_MEASURES = (
    ("resolution_rate", "resolution rate"),
    ("satisfaction", "satisfaction"),
)


def quality_warnings(table: pd.DataFrame) -> list[QualityWarning]:
    """Each quarter of a `history` table in which CPSU fell and a quality
    measure fell by a percentage point or more (a missing measure is no
    fall)."""
    warnings = []
    for row in range(1, len(table)):
        if not table["reduction"].iat[row]:
            continue
        fallen = []
        for column, name in QUALITY_MEASURES:
            before, after = table[column].iat[row - 1], table[column].iat[row]
            if not (np.isnan(before) or np.isnan(after)) and (
                after <= before - QUALITY_FALL + 1e-12
            ):
                fallen.append((name, float(before), float(after)))
        if fallen:
            warnings.append(
                QualityWarning(
                    table["quarter"].iat[row],
                    float(table["change"].iat[row]),
                    tuple(fallen),
                )
            )
    return warnings


PLAN_COLUMNS = (
    "quarter",
    "t",
    "plan_users",
    "actual_users",
    "plan_opex",
    "actual_opex",
    "plan_cpsu",
    "actual_cpsu",
    "cpsu_variance",
    "cpsu_variance_share",
)


def plan_against_actual(projection: Projection, actuals: Actuals) -> pd.DataFrame:
    """A plan's projection against the actuals of the same quarters: a row
    per quarter both cover, from the plan's baseline on. Variances are actual
    less plan (above 0: CPSU came in higher than planned); the share is of
    the plan's CPSU."""
    planned = {quarter: t for t, quarter in enumerate(projection.quarters)}
    users = actuals.supported_users()
    opex = actuals.monthly_opex()
    rows = []
    for index, quarter in enumerate(actuals.quarters):
        t = planned.get(quarter)
        if t is None:
            continue
        plan_users = float(projection.column("supported_users")[t])
        plan_opex = float(projection.column("monthly_opex")[t])
        plan_cpsu = float(projection.column("cpsu")[t])
        actual_cpsu = float(opex[index] / users[index])
        # CPSU is shown to the cent: a variance under half a cent is none,
        # never a "-$0.00".
        variance = actual_cpsu - plan_cpsu
        if abs(variance) < TIE:
            variance = 0.0
        rows.append(
            (
                quarter,
                t,
                plan_users,
                float(users[index]),
                plan_opex,
                float(opex[index]),
                plan_cpsu,
                actual_cpsu,
                variance,
                variance / plan_cpsu if plan_cpsu else np.nan,
            )
        )
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


def pool_variance(
    projection: Projection, actuals: Actuals, quarter: str
) -> pd.DataFrame:
    """Each pool's monthly cost, planned and actual, in one quarter both
    cover: cost_pool, plan, actual, variance (actual less plan). Empty when
    the actuals have no pools or the quarter is not in both."""
    columns = ["cost_pool", "plan", "actual", "variance"]
    if quarter not in projection.quarters or quarter not in actuals.quarters:
        return pd.DataFrame(columns=columns)
    row = actuals.rows[actuals.quarters.index(quarter)]
    if not row.by_pool:
        return pd.DataFrame(columns=columns)
    t = projection.quarters.index(quarter)
    records = []
    for pool, column in POOL_COLUMNS.items():
        plan = float(projection.column(column)[t])
        actual = float(row.by_pool.get(pool, 0.0))
        if plan == 0 and pool not in row.by_pool:
            continue
        records.append((pool, plan, actual, actual - plan))
    return pd.DataFrame(records, columns=columns)


class PlanVerdict(enum.Enum):
    """How a plan's CPSU at its horizon sits against the experience curve."""

    AMBITIOUS = "ambitious"
    IN_LINE = "in line with the history"
    TIMID = "timid"


def plan_verdict(
    curve: ExperienceCurve, users: float, cpsu: float, level: float = BAND_LEVEL
) -> PlanVerdict:
    """Ambitious when the plan's CPSU at `users` is below the curve's band (it
    falls faster than the company ever has), timid when above it (the history
    says CPSU should fall further), in line otherwise."""
    low, high = curve.band(users, level)
    if cpsu < float(low):
        return PlanVerdict.AMBITIOUS
    if cpsu > float(high):
        return PlanVerdict.TIMID
    return PlanVerdict.IN_LINE
