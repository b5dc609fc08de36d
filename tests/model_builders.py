"""Tiny cost bases and headcounts that a reader can check by hand."""

from __future__ import annotations

from cpsu.costs import CostBase, CostLine
from cpsu.projection import Projection, project
from cpsu.scenario import Headcount, HeadcountRow, Scenario
from cpsu.workload import ServiceDesk

NO_TICKETS = ServiceDesk(tickets_per_user_month=0.0, deflection=0.0, deflection_cap=0.0)


def headcount(*rows: tuple[str, int, int]) -> Headcount:
    """Headcount from (quarter, employees, contingent) rows."""
    return Headcount(tuple(HeadcountRow(q, e, c) for q, e, c in rows))


def project_lines(
    *lines: CostLine,
    employees: int = 1000,
    contingent: int = 0,
    growth: float = 0.0,
    horizon: int = 4,
    desk: ServiceDesk = NO_TICKETS,
    baseline: str = "2026-Q4",
) -> Projection:
    """Project a few cost lines for a company of the given size."""
    return project(
        CostBase(tuple(lines)),
        headcount((baseline, employees, contingent)),
        Scenario(
            horizon_quarters=horizon, growth_per_quarter=growth, service_desk=desk
        ),
    )
