"""The actuals as the command line reports them: one object for --json and
the lines of the plain report.

The object holds `quarters` (each with `quarter`, `employees`, `contingent`,
`supported_users`, `monthly_opex`, `cpsu` and `change`, the fraction of the
quarter before, null for the first), `streak` (consecutive reductions to the
latest quarter), `longest_streak`, `average_change` (the mean of the
quarterly changes), `whole_change` (first quarter to last),
`experience_curve` (`a`, `b`, `per_doubling`, `r2`; null, with
`experience_curve_note` saying why, when the history cannot be fitted) and
`quality_warnings` (quarters where CPSU fell as quality fell).
"""

from __future__ import annotations

import math
from typing import Any

from cpsu.actuals import (
    Actuals,
    ActualsError,
    average_change,
    fit_experience_curve,
    history,
    quality_warnings,
    streaks,
    whole_change,
)
from cpsu.formatting import count, money, percent


def _number(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def actuals_report(actuals: Actuals) -> dict[str, Any]:
    """The history, its streaks, averages and experience curve, as plain data."""
    table = history(actuals)
    found = streaks(table["cpsu"], table["quarter"])
    report: dict[str, Any] = {
        "quarters": [
            {
                "quarter": row.quarter,
                "employees": _number(row.employees),
                "contingent": _number(row.contingent),
                "supported_users": _number(row.supported_users),
                "monthly_opex": _number(row.monthly_opex),
                "cpsu": _number(row.cpsu),
                "change": _number(row.change),
            }
            for row in table.itertuples()
        ],
        "streak": found.current,
        "longest_streak": found.longest,
        "longest_streak_ended": found.longest_end,
        "average_change": average_change(table["cpsu"]),
        "whole_change": whole_change(table["cpsu"]),
        "experience_curve": None,
        "quality_warnings": [w.message for w in quality_warnings(table)],
    }
    try:
        curve = fit_experience_curve(table["supported_users"], table["cpsu"])
    except ActualsError as problem:
        report["experience_curve_note"] = str(problem)
    else:
        report["experience_curve"] = {
            "a": curve.a,
            "b": curve.b,
            "per_doubling": curve.per_doubling,
            "r2": curve.r2,
        }
    return report


def _quarters(n: int) -> str:
    return f"{n} quarter" if n == 1 else f"{n} quarters"


def report_lines(report: dict[str, Any]) -> list[str]:
    """The plain report: a row per quarter, then the streaks, the averages,
    the experience curve and the quality warnings."""
    lines = [
        f"{'Quarter':<9} {'Users':>9} {'Monthly OPEX':>15} {'CPSU':>10} {'Change':>8}"
    ]
    for row in report["quarters"]:
        lines.append(
            f"{row['quarter']:<9} {count(row['supported_users']):>9} "
            f"{money(row['monthly_opex']):>15} {money(row['cpsu']):>10} "
            f"{percent(row['change'], signed=True):>8}"
        )
    fell = (
        f"CPSU fell in the last {_quarters(report['streak'])} in a row"
        if report["streak"]
        else "CPSU did not fall in the latest quarter"
    )
    lines.append(
        f"{fell}; the longest run is {_quarters(report['longest_streak'])}"
        + (
            f" (to {report['longest_streak_ended']})."
            if report["longest_streak_ended"]
            else "."
        )
    )
    if report["average_change"] is not None:
        lines.append(
            f"Average change {percent(report['average_change'], signed=True)} a "
            f"quarter; {percent(report['whole_change'], signed=True)} over the "
            "whole period."
        )
    curve = report["experience_curve"]
    if curve is None:
        lines.append(f"Experience curve: {report['experience_curve_note']}")
    else:
        lines.append(
            f"Experience curve: CPSU = {curve['a']:,.2f} x users ^ -{curve['b']:.3f}; "
            f"{percent(curve['per_doubling'])} lower each time users double "
            f"(R squared {curve['r2']:.3f})."
        )
    lines.extend(report["quality_warnings"])
    return lines
