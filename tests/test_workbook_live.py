"""The scenario workbook's formulas, recalculated by LibreOffice, equal the model.

openpyxl writes formulas without their results, so each workbook is opened
and saved again by LibreOffice headless, which works every formula out, and
read back with the values. Every cell of the Projection sheet is then
compared with the program's projection (money to the cent, rates to 1e-9),
every line version's monthly cost on the Line costs sheet with the model's,
and the Checks sheet must say all is within a cent. The cases are the
sample, the sample with every lever and line change, and cost bases
generated from a seed that use every behaviour and option. All of them go
through one LibreOffice run.
"""

from __future__ import annotations

import io
import math
import random
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsu.costs import Behaviour, CostBase, CostLevers, CostLine, Period, Tier
from cpsu.line_changes import new_price, per_ticket_contract, stop_line
from cpsu.projection import (
    MONTHS_PER_QUARTER,
    Projection,
    compile_model,
    project,
    run_model,
)
from cpsu.scenario import (
    Headcount,
    HeadcountRow,
    LineChange,
    Scenario,
    Workspace,
    parse_quarter,
    quarter_label,
    quarter_start,
)
from cpsu.workbook import PROJECTION_ROWS, RATE, scenario_workbook
from cpsu.workload import ServiceDesk, tickets_per_user_by_quarter
from sample_data.build import sample_workspace
from tests import scenario_strategies as strategies
from tests.test_workbook import PLAN, tiny_workspace
from tests.test_workbook_round_trip import WORDS, plans, with_plan

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed",
)

MONEY_TOLERANCE = 0.005  # to the cent
RATE_TOLERANCE = 1e-9
SAVED_PRECISION = 1e-13


def _line(rng: random.Random, item: str, behaviour: Behaviour) -> CostLine:
    """A line of the behaviour with random prices and options."""
    pool = rng.choice(
        ["Productivity software", "Support tools", "Service desk (Tier 1)", "Other"]
    )
    tier = rng.choice(list(Tier))
    base = {
        "item": item,
        "pool": pool,
        "behaviour": behaviour,
        "period": rng.choice(list(Period)),
        "min_units": rng.choice([0.0, 0.0, 1.0, 3.0, 40.0]),
        "escalation": rng.choice([0.0, 0.03, -0.02, 0.125]),
        "vendor": rng.choice(["", "=cmd|' /C calc'!A0", "Vendor & Co"]),
        "notes": rng.choice(["", "-negative note", "note"]),
    }
    match behaviour:
        case Behaviour.FIXED:
            extra = {"amount": round(rng.uniform(-500, 90_000), 2)}
        case Behaviour.PER_USER:
            extra = {"unit_cost": round(rng.uniform(1, 400), 2)}
        case Behaviour.STEP:
            extra = {
                "unit_cost": round(rng.uniform(100, 9_000), 2),
                "users_per_unit": rng.choice([25.0, 100.0, 333.0, 1_000.0]),
            }
        case Behaviour.STAFFED:
            extra = {
                "unit_cost": round(rng.uniform(40_000, 120_000), 2),
                "period": rng.choice([Period.YEAR, Period.MONTH]),
                "tier": tier,
                "tickets_per_agent": rng.choice([90.0, 150.0, 600.0, 650.5]),
            }
        case Behaviour.PER_TICKET:
            extra = {"unit_cost": round(rng.uniform(2, 40), 2), "tier": tier}
        case _:
            extra = {
                "amount": round(rng.uniform(5_000, 400_000), 2),
                "life_months": rng.choice([12, 24, 36, 60]),
                "in_service": rng.choice(
                    [None, date(2025, 3, 15), date(2027, 5, 31), date(2026, 12, 31)]
                ),
                "renew": rng.random() < 0.5,
            }
    return CostLine(**{**base, **extra})


def generated_case(seed: int) -> tuple[Workspace, Scenario]:
    """A cost base using every behaviour and option, a plan, levers and changes."""
    rng = random.Random(seed)
    lines = [
        _line(rng, f"{behaviour.value} line {number}", behaviour)
        for behaviour in Behaviour
        for number in range(rng.randint(1, 3))
    ]
    cost_base = CostBase(tuple(lines))
    baseline = parse_quarter(rng.choice(["2026-Q4", "2027-Q1", "2025-Q3"]))
    employees, contingent = rng.randint(200, 5_000), rng.randint(0, 800)
    rows = [HeadcountRow(quarter_label(baseline), employees, contingent)]
    for step in range(1, rng.randint(1, 4)):
        employees = int(employees * rng.uniform(0.95, 1.2))
        contingent = int(contingent * rng.uniform(0.8, 1.3))
        rows.append(HeadcountRow(quarter_label(baseline + step), employees, contingent))
    headcount = Headcount(tuple(rows))

    staffed = [line for line in lines if line.behaviour is Behaviour.STAFFED]
    changes = [
        new_price(cost_base, lines[0].item, rng.randint(1, 5), 1_234.5),
        per_ticket_contract(cost_base, staffed[0].item, rng.randint(2, 6), 9.75),
        stop_line(cost_base, lines[-1].item, rng.randint(1, 7)),
        LineChange(
            "New kiosk fleet",
            rng.randint(0, 4),
            CostLine(
                item="New kiosk fleet",
                pool="Desktop support",
                behaviour=Behaviour.DEPRECIATION,
                amount=60_000.0,
                life_months=rng.choice([6, 12]),
                renew=rng.random() < 0.5,
            ),
        ),
        LineChange(
            "Chat seats",
            rng.randint(1, 3),
            _line(rng, "Chat seats", Behaviour.STEP),
        ),
        # A second change to a line already changed, and one past the horizon.
        new_price(cost_base, lines[0].item, 6, 2_000.0),
        LineChange("Late tool", 40, _line(rng, "Late tool", Behaviour.FIXED)),
    ]
    desk = ServiceDesk(
        tickets_per_user_month=rng.choice([0.6, 1.1, 1.37]),
        resolution_rate=rng.choice([0.55, 0.7, 0.81]),
        deskside_share=rng.choice([0.2, 0.35]),
        deflection=rng.choice([0.0, 0.1, 0.15]),
        deflection_step=rng.choice([0.0, 0.02, 0.035]),
        deflection_cap=rng.choice([0.3, 0.45]),
        contingent_weight=rng.choice([1.0, 0.5, 0.25]),
        tickets_trend=rng.choice([0.0, -0.05, 0.04]),
    )
    scenario = Scenario(
        name=f"Generated {seed}",
        horizon_quarters=rng.randint(4, 12),
        growth_per_quarter=rng.choice([0.0, 0.08, 0.2, -0.04, 0.031]),
        service_desk=desk,
        contingent_share=rng.choice([None, 0.1, 0.33]),
        levers=CostLevers(
            labour_escalation=rng.choice([None, 0.035]),
            licence_escalation=rng.choice([None, 0.07, 0.0]),
            productivity=rng.choice([0.0, 0.15, -0.1]),
        ),
        changes=tuple(rng.sample(changes, rng.randint(3, len(changes)))),
    )
    return Workspace(cost_base, headcount, scenario, "generated.xlsx"), scenario


def _sample_cases() -> dict[str, tuple[Workspace, Scenario]]:
    sample = sample_workspace()
    lines = sample.cost_base.lines
    staffed = next(line for line in lines if line.behaviour is Behaviour.STAFFED)
    everything = replace(
        sample.scenario,
        name="Every lever",
        horizon_quarters=12,
        contingent_share=0.12,
        service_desk=replace(sample.scenario.service_desk, tickets_trend=-0.05),
        levers=CostLevers(
            labour_escalation=0.04, licence_escalation=0.06, productivity=0.1
        ),
        changes=(
            new_price(sample.cost_base, lines[0].item, 3, 30.0),
            per_ticket_contract(sample.cost_base, staffed.item, 5, 12.0),
            stop_line(sample.cost_base, lines[-1].item, 2),
        ),
    )
    return {
        "sample": (sample, sample.scenario),
        "sample-every-lever": (sample, everything),
        "tiny": (tiny_workspace(), PLAN),
    }


CASES: dict[str, tuple[Workspace, Scenario]] = {
    **_sample_cases(),
    **{f"generated-{seed}": generated_case(seed) for seed in range(8)},
}


def recalculate(
    files: dict[str, bytes], folder: Path, profile: Path | None = None
) -> dict[str, bytes]:
    """Each .xlsx opened and saved again by LibreOffice, all in one run, so
    every formula holds its result. `profile` is LibreOffice's user folder,
    kept between runs to start faster (a new one in `folder` by default)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = profile or folder / "profile"
    source = folder / "in"
    source.mkdir(parents=True)
    for name, data in files.items():
        (source / f"{name}.xlsx").write_bytes(data)
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(folder / "out"),
            *(str(source / f"{name}.xlsx") for name in files),
        ],
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return {name: (folder / "out" / f"{name}.xlsx").read_bytes() for name in files}


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, tuple[Workspace, Scenario, Projection, bytes]]:
    """Every case's projection, written workbook and LibreOffice's recalculation."""
    written = {}
    for name, (workspace, scenario) in CASES.items():
        projection = project(workspace.cost_base, workspace.headcount, scenario)
        written[name] = (
            workspace,
            scenario,
            projection,
            scenario_workbook(workspace, scenario, projection),
        )
    recalculated = recalculate(
        {name: case[3] for name, case in written.items()},
        tmp_path_factory.mktemp("recalculated"),
    )
    return {name: (*written[name][:3], recalculated[name]) for name in written}


def values(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def expected_rows(
    workspace: Workspace, scenario: Scenario, projection: Projection
) -> dict[str, np.ndarray]:
    """What each Projection row should hold: the table's columns, and the
    drivers worked out here from the same inputs."""
    columns = dict(projection.columns)
    t = np.arange(len(projection.quarters))
    baseline = workspace.headcount.baseline_quarter
    columns["first_day"] = [
        datetime.combine(quarter_start(baseline + int(q)), datetime.min.time())
        for q in t
    ]
    columns["escalation_years"] = t // 4
    columns["headcount_from"] = np.minimum(t, len(workspace.headcount.rows) - 1)
    columns["tickets_per_user"] = tickets_per_user_by_quarter(scenario.service_desk, t)
    run = run_model(compile_model(workspace.cost_base, workspace.headcount, scenario))
    for row, key in enumerate(("tier_1", "desktop", "tier_2")):
        columns[f"capacity_{key}"] = run.agent_capacity[0, row]
    return columns


def differences(
    case: tuple[Workspace, Scenario, Projection, bytes],
) -> list[tuple[str, int, float, float]]:
    """Each Projection cell that differs from the program's number beyond its
    tolerance: (measure, quarter, program's, workbook's)."""
    workspace, scenario, projection, data = case
    sheet = values(data)["Projection"]
    expected = expected_rows(workspace, scenario, projection)
    wrong = []
    for row, measure in enumerate(PROJECTION_ROWS, start=2):
        if measure.field == "headcount_grown":
            continue  # used only with a contingent share: checked by its rows
        tolerance = RATE_TOLERANCE if measure.number_format == RATE else 0
        for quarter, want in enumerate(expected[measure.field]):
            got = sheet.cell(row=row, column=quarter + 2).value
            if isinstance(want, datetime):
                if got != want:
                    wrong.append((measure.header, quarter, want, got))
                continue
            want = float(want)
            if not math.isfinite(want):
                # No number (a change on a quarter that cost nothing): empty.
                if got not in (None, ""):
                    wrong.append((measure.header, quarter, want, got))
                continue
            # LibreOffice saves 15 significant digits: a huge value keeps its
            # cents only to that precision.
            limit = max(tolerance or MONEY_TOLERANCE, abs(want) * SAVED_PRECISION)
            if not isinstance(got, int | float) or abs(got - want) > limit:
                wrong.append((measure.header, quarter, want, got))
    return wrong


@pytest.mark.parametrize("name", list(CASES))
def test_every_projection_cell_equals_the_program(cases, name) -> None:
    assert differences(cases[name]) == []


@pytest.mark.parametrize("name", list(CASES))
def test_every_line_version_costs_what_the_model_says(cases, name) -> None:
    _, _, projection, data = cases[name]
    sheet = values(data)["Line costs"]
    header = [cell.value for cell in sheet[1]]
    first = header.index(f"Cost {projection.quarters[0]}") + 1
    expected = projection.line_monthly_cost

    assert sheet.max_row - 1 == len(projection.lines)
    for index, line in enumerate(projection.lines):
        row = index + 2
        assert sheet.cell(row=row, column=1).value == line.item
        got = [
            sheet.cell(row=row, column=first + quarter).value
            for quarter in range(expected.shape[1])
        ]
        assert got == pytest.approx(list(expected[index]), abs=MONEY_TOLERANCE), (
            line.item
        )


@pytest.mark.parametrize("name", list(CASES))
def test_the_checks_sheet_says_all_within_a_cent(cases, name) -> None:
    sheet = values(cases[name][3])["Checks"]
    labels = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}

    assert labels["All within a cent"][0] == "Yes"
    assert all(labels["Within a cent"][: len(cases[name][2].quarters)])


def test_the_tiny_workbook_holds_hand_checked_values(cases) -> None:
    sheet = values(cases["tiny"][3])["Projection"]
    by_label = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}

    # Users: 100 + 0.5 * 20 = 110; the plan's 110 + 0.5 * 20 = 120; then 10%
    # growth on the plan: round(121) + 0.5 * round(22) = 132.
    assert by_label["Supported users"] == (110, 120, 132)
    # Quarter 0: one agent, 60,000 / 12 = 5,000; office 12 * 110 = 1,320;
    # credit -1,200 / 12 = -100; imaging 36,000 / 36 = 1,000: total 7,220.
    # Quarters 1 and 2 add 12 a month for each of 10 and 22 more users.
    assert by_label["Monthly run-rate"] == (7_220, 7_340, 7_484)
    assert by_label["Other"] == (-100, -100, -100)
    assert by_label["CPSU"][0] == pytest.approx(7_220 / 110)
    assert by_label["Change on last quarter"][0] is None
    # (7,340 - 7,220) / (120 - 110) = 12 a month per added user.
    assert by_label["Marginal cost per added user"][1] == pytest.approx(12)
    # 3 * (7,340 - 7,220) + 3 * (7,484 - 7,220) = 360 + 792 = 1,152.
    assert by_label["Cumulative funding ask"] == pytest.approx((0, 360, 1_152))
    # One Tier 1 agent for 110 tickets at 500 a month: 22% utilised; no agents
    # on the other tiers, so no utilisation.
    assert by_label["Utilisation (Tier 1)"][0] == pytest.approx(0.22)
    assert by_label["Utilisation (Tier 2)"] == (None, None, None)


@pytest.mark.parametrize("name", ["sample", "generated-0"])
def test_the_summary_gives_the_headline_figures(cases, name) -> None:
    _, scenario, projection, data = cases[name]
    summary = {
        row[0]: row[1]
        for row in values(data)["Summary"].iter_rows(min_row=2, values_only=True)
    }
    users = projection.column("supported_users")
    run_rate = projection.column("monthly_opex")
    agents = sum(
        projection.column(f"agents_{key}") for key in ("tier_1", "desktop", "tier_2")
    )

    assert summary["Scenario"] == scenario.name
    assert summary["CPSU now"] == pytest.approx(projection.column("cpsu")[0], abs=0.005)
    assert summary["CPSU at the horizon"] == pytest.approx(
        projection.column("cpsu")[-1], abs=0.005
    )
    assert summary["Cost per added user"] == pytest.approx(
        (run_rate[-1] - run_rate[0]) / (users[-1] - users[0]), abs=0.005
    )
    assert summary["Funding ask"] == pytest.approx(projection.funding_ask, abs=0.005)
    assert summary["Agents needed at the horizon"] == agents[-1]
    assert summary["Agents added"] == agents[-1] - agents[0]


def test_the_recalculated_workbook_still_reads_back_as_its_scenario(cases) -> None:
    # LibreOffice's copy keeps the inputs: uploading it restores the scenario.
    from cpsu.ingest import read_upload
    from cpsu.ingest.issues import errors

    workspace, scenario, _, data = cases["sample-every-lever"]
    upload = read_upload(data, "recalculated.xlsx")

    assert errors(upload.issues) == []
    assert upload.scenario == scenario
    assert upload.cost_base == workspace.cost_base


def test_the_quarterly_spend_is_three_months(cases) -> None:
    # A reminder of the unit: a quarter is three months of the run-rate.
    assert MONTHS_PER_QUARTER == 3
    sheet = values(cases["tiny"][3])["Projection"]
    by_label = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert by_label["Quarterly spend"] == (21_660, 22_020, 22_452)


# Any cost base and scenario Hypothesis draws: extreme prices, dates from 2000
# to 2060, fractional minimum units, every lever, changes to lines that exist
# and to lines that do not. Each example is one LibreOffice run, so few.
LINES = st.lists(strategies.cost_lines(), min_size=1, max_size=10)
DRAWN_SCENARIOS = st.builds(
    Scenario,
    name=WORDS,
    horizon_quarters=st.integers(1, 12),
    growth_per_quarter=st.floats(-0.3, 0.5),
    service_desk=strategies.service_desks,
    contingent_share=st.none() | st.floats(0, 0.99),
    levers=strategies.levers,
    changes=st.lists(strategies.line_changes, max_size=4).map(tuple),
)


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("libreoffice") / "profile"


@settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(lines=LINES, scenario=DRAWN_SCENARIOS, plan=plans, data=st.data())
def test_drawn_cost_bases_recalculate_to_the_program(
    lines, scenario, plan, data, profile, tmp_path_factory
) -> None:
    # Half the changes name a line of the cost base, so they replace it.
    changes = tuple(
        replace(change, item=data.draw(st.sampled_from(lines)).item)
        if number % 2 == 0
        else change
        for number, change in enumerate(scenario.changes)
    )
    scenario = replace(scenario, changes=changes)
    workspace = Workspace(CostBase(tuple(lines)), with_plan(plan), scenario)
    try:
        projection = project(workspace.cost_base, workspace.headcount, scenario)
    except ValueError:
        return  # no CPSU (no users, a run-rate below zero): nothing to download
    written = scenario_workbook(workspace, scenario, projection)

    folder = tmp_path_factory.mktemp("drawn")
    data = recalculate({"drawn": written}, folder, profile)["drawn"]

    assert differences((workspace, scenario, projection, data)) == []
