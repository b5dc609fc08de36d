"""Tables as the pages show them: readable headers and currency formats.

Values stay numbers (so sorting and copying work); Streamlit's column
configuration shows them as money, counts and percents.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cpsu.costs import CostBase, cost_basis
from cpsu.projection import POOL_COLUMNS, TIER_KEYS, Projection

_TIER_NAMES = {key: tier.value for tier, key in TIER_KEYS.items()}


def _money(label: str, help: str | None = None) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="dollar", help=help)


def _count(label: str, help: str | None = None) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="localized", help=help)


def _rate(label: str, help: str | None = None) -> st.column_config.NumberColumn:
    """A rate shown in percent with one decimal; the frame holds it times 100."""
    return st.column_config.NumberColumn(label, format="%.1f%%", help=help)


def _whole(label: str, help: str | None = None) -> st.column_config.NumberColumn:
    """A count shown to the nearest whole; the frame rounds it for display."""
    return st.column_config.NumberColumn(label, format="localized", help=help)


RATE_COLUMNS = (
    "cpsu_change",
    "deflection",
    "utilisation_tier_1",
    "utilisation_desktop",
    "utilisation_tier_2",
    "share",
)
WHOLE_COLUMNS = ("tickets", "load_tier_1", "load_desktop", "load_tier_2")


def projection_columns() -> dict[str, st.column_config.Column | str | None]:
    """Column configuration for the projection table, in display order."""
    config: dict[str, st.column_config.Column | str | None] = {
        "quarter": st.column_config.TextColumn("Quarter", pinned=True),
        "employees": _count("Employees"),
        "contingent": _count("Contingent"),
        "supported_users": _count("Supported users", "Employees + weight × contingent"),
        "cpsu": _money("CPSU", "Monthly run-rate ÷ supported users"),
        "cpsu_change": _rate("Change", "CPSU against the quarter before"),
        "monthly_opex": _money("Monthly run-rate"),
        "marginal_cost_per_user": _money(
            "Cost per added user", "Added monthly cost ÷ added users"
        ),
        "deflection": _rate("Deflection"),
        "tickets": _whole("Tickets a month"),
    }
    for key, tier in _TIER_NAMES.items():
        config[f"load_{key}"] = _whole(f"Load {tier}", "Tickets a month at this tier")
        config[f"agents_{key}"] = _count(f"Agents {tier}")
        config[f"utilisation_{key}"] = _rate(
            f"Utilisation {tier}", "Load ÷ (agents × tickets per agent)"
        )
    for pool, column in POOL_COLUMNS.items():
        config[column] = _money(pool)
    config["quarterly_spend"] = _money("Quarterly spend", "3 × monthly run-rate")
    config["extra_spend"] = _money(
        "Above baseline", "Quarterly spend above holding the baseline run-rate"
    )
    config["cumulative_ask"] = _money("Cumulative ask")
    return config


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with rates in percent and ticket counts rounded, for display only."""
    shown = frame.copy()
    for column in RATE_COLUMNS:
        if column in shown:
            shown[column] = shown[column] * 100
    for column in WHOLE_COLUMNS:
        if column in shown:
            shown[column] = shown[column].round(0)
    return shown


def projection_frame(projection: Projection) -> pd.DataFrame:
    """The projection's columns in the order the page shows them."""
    columns = [c for c in projection_columns() if c in projection.table.columns]
    return for_display(projection.table[columns])


def cost_line_columns() -> dict[str, st.column_config.Column]:
    return {
        "item": st.column_config.TextColumn("Item", pinned=True),
        "cost_pool": st.column_config.TextColumn("Pool"),
        "behaviour": st.column_config.TextColumn("Behaviour"),
        "monthly": _money("Monthly cost", "This line's cost in the baseline quarter"),
        "basis": st.column_config.TextColumn("How it is costed", width="large"),
        "vendor": st.column_config.TextColumn("Vendor"),
    }


def cost_line_frame(cost_base: CostBase, projection: Projection) -> pd.DataFrame:
    """Each line's baseline cost beside how it is costed and its vendor."""
    lines = projection.baseline_lines()
    lines["basis"] = [cost_basis(line) for line in cost_base.lines]
    lines["vendor"] = [line.vendor for line in cost_base.lines]
    return lines


def run_rate_columns() -> dict[str, st.column_config.Column]:
    return {
        "cost_pool": st.column_config.TextColumn("Cost pool"),
        "monthly_cost": _money("Monthly cost"),
        "share": _rate("Share"),
    }


def run_rate_frame(projection: Projection) -> pd.DataFrame:
    """Baseline run-rate by pool with each pool's share, and a total row."""
    pools = projection.run_rate_by_pool(0)
    total = pools["monthly_cost"].sum()
    pools["share"] = pools["monthly_cost"] / total if total else float("nan")
    total_row = pd.DataFrame(
        {
            "cost_pool": ["Total"],
            "monthly_cost": [total],
            "share": [1.0 if total else None],
        }
    )
    return for_display(pd.concat([pools, total_row], ignore_index=True))


def issue_frame(issues) -> pd.DataFrame:
    """Issues as a table: severity, where, what to do."""
    return pd.DataFrame(
        [
            {
                "Severity": issue.severity.value.capitalize(),
                "Where": issue.where,
                "Problem and what to do": issue.message,
            }
            for issue in issues
        ],
        columns=["Severity", "Where", "Problem and what to do"],
    )
