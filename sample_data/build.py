"""Quillfern Analytics: the invented company whose cost base the app opens with.

Quillfern is a fast-growing analytics firm of about 1,200 employees and 150
contingent workers in its baseline quarter, 2026-Q4, planning for 8% growth
a quarter. Its 28 cost lines cover every cost pool and every behaviour, and
are priced from the public benchmarks in REFERENCE_FIGURES.md where there is
one (Microsoft 365 E3 at $39, Intune at $8, support specialists at 1.3 x
$61,500 a year, $22 and $221 tickets, 3 to 5 year tool lives); the other
prices, and every vendor name marked as invented, are made up for the sample
and are no quote. Run ``python -m sample_data.build`` to rewrite
sample_company.xlsx (the inputs the app opens by default) and
cpsu_template.xlsx (the empty template) from this module.
"""

from __future__ import annotations

import argparse
import logging
from datetime import date
from pathlib import Path

from cpsu.actuals import ActualQuarter, Actuals
from cpsu.actuals_workbook import actuals_workbook
from cpsu.costs import Behaviour, CostBase, CostLine, Period, Tier
from cpsu.projection import project
from cpsu.scenario import (
    Headcount,
    HeadcountRow,
    Scenario,
    Workspace,
    parse_quarter,
    quarter_label,
)
from cpsu.workbook import input_workbook, template_workbook
from cpsu.workload import ServiceDesk

logger = logging.getLogger(__name__)

COMPANY = "Quillfern Analytics"
SAMPLE_DIR = Path(__file__).resolve().parent
SAMPLE_PATH = SAMPLE_DIR / "sample_company.xlsx"
TEMPLATE_PATH = SAMPLE_DIR / "cpsu_template.xlsx"
ACTUALS_PATH = SAMPLE_DIR / "sample_actuals.xlsx"
ACTUALS_TEMPLATE_PATH = SAMPLE_DIR / "actuals_template.xlsx"

BASELINE_QUARTER = "2026-Q4"
BASELINE_EMPLOYEES = 1200
BASELINE_CONTINGENT = 150

# A support specialist's loaded cost: 1.3 x the US median pay of $61,500.
SPECIALIST_LOADED_YEAR = 1.3 * 61_500
# A Tier 2 systems engineer's loaded cost: 1.3 x an assumed $95,000.
ENGINEER_LOADED_YEAR = 1.3 * 95_000

LABOUR_ESCALATION = 0.04
LICENCE_ESCALATION = 0.03
SAAS_ESCALATION = 0.05


def _productivity_software() -> list[CostLine]:
    pool = "Productivity software"
    return [
        CostLine(
            item="Microsoft 365 E3",
            pool=pool,
            behaviour=Behaviour.PER_USER,
            unit_cost=39.0,
            escalation=LICENCE_ESCALATION,
            vendor="Microsoft (via reseller)",
            notes="List price from July 2026, annual term; every supported user.",
        ),
        CostLine(
            item="Adobe Acrobat Standard, team licence",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=36_000.0,
            period=Period.YEAR,
            escalation=LICENCE_ESCALATION,
            vendor="Adobe",
            notes="150 named seats for finance, legal and sales; renews each March.",
        ),
        CostLine(
            item="Zoom Rooms licences",
            pool=pool,
            behaviour=Behaviour.STEP,
            unit_cost=49.0,
            users_per_unit=100,
            min_units=4,
            vendor="Zoom",
            notes="One equipped meeting room per 100 staff; at least the 4 we have.",
        ),
    ]


def _support_tools() -> list[CostLine]:
    pool = "Support tools"
    return [
        CostLine(
            item="Microsoft Intune",
            pool=pool,
            behaviour=Behaviour.PER_USER,
            unit_cost=8.0,
            escalation=LICENCE_ESCALATION,
            vendor="Microsoft (via reseller)",
            notes="Standalone plan: device enrolment, patching and app deployment.",
        ),
        CostLine(
            item="ITSM platform subscription",
            pool=pool,
            behaviour=Behaviour.STEP,
            unit_cost=28_800.0,
            period=Period.YEAR,
            users_per_unit=500,
            min_units=2,
            escalation=SAAS_ESCALATION,
            vendor="Freshworks (Freshservice)",
            notes="Enterprise tier, priced in bands of 500 supported users.",
        ),
        CostLine(
            item="Knowledge base licence",
            pool=pool,
            behaviour=Behaviour.STEP,
            unit_cost=450.0,
            users_per_unit=250,
            vendor="Document360",
            notes="Per block of 250 readers; powers the self-service portal.",
        ),
        CostLine(
            item="Identity and single sign-on",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=84_000.0,
            period=Period.YEAR,
            escalation=LICENCE_ESCALATION,
            vendor="Okta",
            notes="Enterprise agreement with a flat fee up to 3,000 identities.",
        ),
        CostLine(
            item="Remote support tool",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=14_400.0,
            period=Period.YEAR,
            escalation=LICENCE_ESCALATION,
            vendor="TeamViewer",
            notes="Concurrent-session licence for the help desk and desk-side team.",
        ),
        CostLine(
            item="ITSM implementation and integrations",
            pool=pool,
            behaviour=Behaviour.DEPRECIATION,
            amount=180_000.0,
            life_months=48,
            in_service=date(2025, 7, 1),
            renew=False,
            vendor="Fenwick & Rowe Consulting (invented)",
            notes="Capitalised build, straight line over 4 years (ASC 350-40).",
        ),
        CostLine(
            item="Self-service portal build",
            pool=pool,
            behaviour=Behaviour.DEPRECIATION,
            amount=120_000.0,
            life_months=60,
            in_service=date(2027, 1, 1),
            renew=False,
            vendor="Fenwick & Rowe Consulting (invented)",
            notes="Goes live 2027-Q1; capitalised, straight line over 5 years.",
        ),
    ]


def _service_desk() -> list[CostLine]:
    pool = "Service desk (Tier 1)"
    return [
        CostLine(
            item="Help-desk analysts",
            pool=pool,
            behaviour=Behaviour.STAFFED,
            unit_cost=SPECIALIST_LOADED_YEAR,
            period=Period.YEAR,
            tier=Tier.TIER_1,
            tickets_per_agent=650,
            min_units=2,
            escalation=LABOUR_ESCALATION,
            vendor="In-house",
            notes="Loaded cost 1.3 x $61,500 (BLS median, 2024); 650 tickets a month.",
        ),
        CostLine(
            item="Service desk manager",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=130_000.0,
            period=Period.YEAR,
            escalation=LABOUR_ESCALATION,
            vendor="In-house",
            notes="One manager; loaded cost 1.3 x $100,000.",
        ),
        CostLine(
            item="Service desk team lead",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=97_500.0,
            period=Period.YEAR,
            escalation=LABOUR_ESCALATION,
            vendor="In-house",
            notes="Runs the queue and the knowledge base; loaded cost 1.3 x $75,000.",
        ),
        CostLine(
            item="Chat and SMS channel fees",
            pool=pool,
            behaviour=Behaviour.PER_TICKET,
            unit_cost=0.40,
            tier=Tier.TIER_1,
            vendor="Twilio",
            notes="Usage-based messaging, averaged over every ticket.",
        ),
        CostLine(
            item="Service desk training and certification",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=9_000.0,
            period=Period.YEAR,
            vendor="HDI",
            notes="Analyst certification and the annual conference.",
        ),
        CostLine(
            item="Contact-centre telephony hardware",
            pool=pool,
            behaviour=Behaviour.DEPRECIATION,
            amount=96_000.0,
            life_months=36,
            in_service=date(2024, 7, 1),
            renew=False,
            vendor="Poly",
            notes="Headsets and call routing; fully depreciated mid-2027, replaced "
            "by softphones.",
        ),
    ]


def _desktop_support() -> list[CostLine]:
    pool = "Desktop support"
    return [
        CostLine(
            item="Desk-side technicians",
            pool=pool,
            behaviour=Behaviour.STAFFED,
            unit_cost=SPECIALIST_LOADED_YEAR,
            period=Period.YEAR,
            tier=Tier.DESKTOP,
            tickets_per_agent=90,
            min_units=1,
            escalation=LABOUR_ESCALATION,
            vendor="In-house",
            notes="Loaded cost 1.3 x $61,500; about four desk visits a working day.",
        ),
        CostLine(
            item="Loaner laptop pool and imaging kit",
            pool=pool,
            behaviour=Behaviour.DEPRECIATION,
            amount=60_000.0,
            life_months=36,
            in_service=date(2026, 1, 1),
            vendor="Dell Technologies",
            notes="40 loaners and two imaging stations; refreshed every 3 years.",
        ),
        CostLine(
            item="Peripherals and accessories",
            pool=pool,
            behaviour=Behaviour.PER_USER,
            unit_cost=48.0,
            period=Period.YEAR,
            vendor="Various",
            notes="Docks, headsets, keyboards and cables: about $48 a user a year.",
        ),
    ]


def _tier_2() -> list[CostLine]:
    pool = "Tier 2"
    return [
        CostLine(
            item="Tier 2 systems engineers",
            pool=pool,
            behaviour=Behaviour.STAFFED,
            unit_cost=ENGINEER_LOADED_YEAR,
            period=Period.YEAR,
            tier=Tier.TIER_2,
            tickets_per_agent=120,
            min_units=2,
            escalation=LABOUR_ESCALATION,
            vendor="In-house",
            notes="Loaded cost 1.3 x $95,000; identity, network and application "
            "escalations.",
        ),
        CostLine(
            item="Microsoft Unified Support",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=12_000.0,
            period=Period.QUARTER,
            escalation=SAAS_ESCALATION,
            vendor="Microsoft",
            notes="Escalations to Microsoft engineers; billed quarterly.",
        ),
        CostLine(
            item="On-call allowance",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=1_500.0,
            vendor="In-house",
            notes="Weekend and overnight cover for major incidents.",
        ),
    ]


def _managed_service() -> list[CostLine]:
    pool = "Managed service"
    return [
        CostLine(
            item="After-hours help desk",
            pool=pool,
            behaviour=Behaviour.PER_TICKET,
            unit_cost=2.20,
            tier=Tier.TIER_1,
            escalation=LICENCE_ESCALATION,
            vendor="Nightjar Support Partners (invented)",
            notes="$22 a ticket for the 10% of tickets raised after hours: "
            "$2.20 per Tier 1 ticket.",
        ),
        CostLine(
            item="Field service at remote sites",
            pool=pool,
            behaviour=Behaviour.PER_TICKET,
            unit_cost=33.15,
            tier=Tier.DESKTOP,
            escalation=LICENCE_ESCALATION,
            vendor="Meridian Field Services (invented)",
            notes="$221 a visit for the 15% of desk-side tickets at remote sites: "
            "$33.15 per Desktop ticket.",
        ),
        CostLine(
            item="Managed print fleet",
            pool=pool,
            behaviour=Behaviour.STEP,
            unit_cost=540.0,
            period=Period.QUARTER,
            users_per_unit=75,
            vendor="Ricoh",
            notes="One multifunction printer per 75 staff, toner and service included.",
        ),
    ]


def _other() -> list[CostLine]:
    pool = "Other"
    return [
        CostLine(
            item="Endpoint detection and response",
            pool=pool,
            behaviour=Behaviour.PER_USER,
            unit_cost=6.0,
            escalation=SAAS_ESCALATION,
            vendor="CrowdStrike",
            notes="Every laptop and desktop; billed per user.",
        ),
        CostLine(
            item="IT staff travel to remote sites",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=18_000.0,
            period=Period.YEAR,
            vendor="Various",
            notes="Quarterly site visits to the three regional offices.",
        ),
        CostLine(
            item="Asset disposal and recycling",
            pool=pool,
            behaviour=Behaviour.FIXED,
            amount=4_800.0,
            period=Period.YEAR,
            vendor="GreenLoop ITAD (invented)",
            notes="Certified data wiping and e-waste collection.",
        ),
    ]


def sample_cost_base() -> CostBase:
    """Quillfern's 28 cost lines, pool by pool."""
    return CostBase(
        lines=(
            *_productivity_software(),
            *_support_tools(),
            *_service_desk(),
            *_desktop_support(),
            *_tier_2(),
            *_managed_service(),
            *_other(),
        )
    )


def sample_scenario() -> Scenario:
    """The Base scenario: 8% growth a quarter for 8 quarters."""
    return Scenario(
        name="Base",
        horizon_quarters=8,
        growth_per_quarter=0.08,
        service_desk=ServiceDesk(
            tickets_per_user_month=1.1,
            resolution_rate=0.70,
            deskside_share=0.35,
            deflection=0.12,
            deflection_step=0.02,
            deflection_cap=0.35,
            contingent_weight=1.0,
        ),
    )


def sample_workspace() -> Workspace:
    """The sample company's cost base, baseline headcount and Base scenario."""
    return Workspace(
        cost_base=sample_cost_base(),
        headcount=Headcount(
            rows=(
                HeadcountRow(
                    quarter=BASELINE_QUARTER,
                    employees=BASELINE_EMPLOYEES,
                    contingent=BASELINE_CONTINGENT,
                ),
            )
        ),
        scenario=sample_scenario(),
        source=SAMPLE_PATH.name,
    )


def sample_workbook() -> bytes:
    """The sample company's inputs as a canonical workbook."""
    return input_workbook(sample_workspace(), title=f"{COMPANY} (sample)")


# Quillfern's history: 17 quarters to the baseline, 2022-Q4 to 2026-Q4.
# Growth of employees and of contingent workers in each quarter after the first.
_EMPLOYEE_GROWTH = (
    0.085, 0.09, 0.07, 0.095, 0.08, 0.075, 0.09, 0.065,
    0.08, 0.085, 0.07, 0.075, 0.08, 0.07, 0.075, 0.065,
)  # fmt: skip
_CONTINGENT_GROWTH = (
    0.10, 0.05, 0.12, 0.04, 0.09, 0.06, 0.11, 0.03,
    0.08, 0.10, 0.02, 0.09, 0.07, 0.05, 0.08, 0.06,
)  # fmt: skip
# How each pool grows with users: cost ~ users ** elasticity. Licences grow
# with every user; tools, management and the fixed lines much less; staff in
# between as each added agent serves more users.
_POOL_ELASTICITY = {
    "Productivity software": 1.0,
    "Support tools": 0.45,
    "Service desk (Tier 1)": 0.72,
    "Desktop support": 0.6,
    "Tier 2": 0.55,
    "Managed service": 0.5,
    "Other": 0.3,
}
# Yearly price rises, taken off going back in time.
_POOL_ESCALATION = {
    "Productivity software": LICENCE_ESCALATION,
    "Support tools": SAAS_ESCALATION,
    "Service desk (Tier 1)": LABOUR_ESCALATION,
    "Desktop support": LABOUR_ESCALATION,
    "Tier 2": LABOUR_ESCALATION,
    "Managed service": 0.03,
    "Other": 0.0,
}
# Quarter-to-quarter noise of the run-rate, a fraction (one per quarter).
_WOBBLE = (
    0.004, -0.003, 0.006, -0.002, 0.003, -0.004, 0.002, 0.005, -0.003,
    0.001, -0.002, 0.004, -0.001, 0.003, -0.004, 0.002, 0.0,
)  # fmt: skip
# Share of tickets resolved at the desk, and of users rating support
# exceptional. Satisfaction dipped in 2024-Q3 while CPSU fell: the one
# quarter the Actuals page warns about.
_RESOLUTION = (
    0.705, 0.71, 0.712, 0.718, 0.715, 0.722, 0.725, 0.728, 0.731,
    0.729, 0.734, 0.738, 0.741, 0.739, 0.744, 0.746, 0.75,
)  # fmt: skip
_SATISFACTION = (
    0.912, 0.918, 0.921, 0.925, 0.927, 0.931, 0.934, 0.936, 0.921,
    0.928, 0.933, 0.937, 0.94, 0.942, 0.941, 0.945, 0.947,
)  # fmt: skip
# Tickets per user per month after deflection, falling as self-service took
# hold; the last is the sample scenario's 1.1 less its 12% deflection.
_TICKETS_PER_USER = (
    1.250, 1.232, 1.215, 1.197, 1.179, 1.162, 1.144, 1.127, 1.109,
    1.091, 1.074, 1.056, 1.038, 1.021, 1.003, 0.986, 0.968,
)  # fmt: skip


def sample_actuals() -> Actuals:
    """Quillfern's last 17 quarters: fast growth (410 to 1,350 supported
    users), CPSU falling every quarter to the baseline's, and quality that
    held. The last quarter is the baseline: its people and run-rate by pool
    are the sample workspace's own."""
    workspace = sample_workspace()
    baseline = project(
        workspace.cost_base, workspace.headcount, workspace.scenario
    ).run_rate_by_pool(0)
    pools = dict(zip(baseline["cost_pool"], baseline["monthly_cost"], strict=True))
    employees = [float(BASELINE_EMPLOYEES)]
    contingent = [float(BASELINE_CONTINGENT)]
    for e_growth, c_growth in zip(
        reversed(_EMPLOYEE_GROWTH), reversed(_CONTINGENT_GROWTH), strict=True
    ):
        employees.insert(0, employees[0] / (1 + e_growth))
        contingent.insert(0, contingent[0] / (1 + c_growth))
    last = len(employees) - 1
    first = parse_quarter(BASELINE_QUARTER) - last
    users_now = BASELINE_EMPLOYEES + BASELINE_CONTINGENT
    rows = []
    for index in range(last + 1):
        people = round(employees[index]), round(contingent[index])
        users = people[0] + people[1]
        years_back = (last - index) / 4
        by_pool = {
            pool: round(
                cost
                * (users / users_now) ** _POOL_ELASTICITY[pool]
                / (1 + _POOL_ESCALATION[pool]) ** years_back
                * (1 + _WOBBLE[index]),
                2,
            )
            for pool, cost in pools.items()
        }
        if index == last:
            by_pool = {pool: round(cost, 2) for pool, cost in pools.items()}
        rows.append(
            ActualQuarter(
                quarter=quarter_label(first + index),
                employees=people[0],
                contingent=people[1],
                monthly_opex=round(sum(by_pool.values()), 2),
                by_pool=by_pool,
                tickets=round(users * _TICKETS_PER_USER[index]),
                resolution_rate=_RESOLUTION[index],
                satisfaction=_SATISFACTION[index],
            )
        )
    return Actuals(tuple(rows))


def main(argv: list[str] | None = None) -> int:
    """Write the sample workbook and the template."""
    parser = argparse.ArgumentParser(
        prog="python -m sample_data.build",
        description=(
            "Write sample_company.xlsx, cpsu_template.xlsx, sample_actuals.xlsx "
            "and actuals_template.xlsx."
        ),
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=SAMPLE_DIR,
        help="folder to write to (default: the sample_data folder)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in (
        (SAMPLE_PATH.name, sample_workbook()),
        (TEMPLATE_PATH.name, template_workbook()),
        (
            ACTUALS_PATH.name,
            actuals_workbook(sample_actuals(), title=f"{COMPANY} actuals (sample)"),
        ),
        (ACTUALS_TEMPLATE_PATH.name, actuals_workbook()),
    ):
        path = args.out_dir / name
        path.write_bytes(data)
        logger.info("Wrote %s (%s bytes)", path, f"{len(data):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
