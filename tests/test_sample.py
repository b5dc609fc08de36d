"""The sample company: its stated facts, and the files committed for it."""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
import pytest

from cpsu.costs import POOLS, Behaviour
from cpsu.ingest import read_upload
from cpsu.projection import POOL_COLUMNS, project
from cpsu.workbook import MONEY, PROJECTION_ROWS, scenario_workbook, template_workbook
from sample_data.build import (
    SAMPLE_PATH,
    TEMPLATE_PATH,
    main,
    sample_workbook,
    sample_workspace,
)


@pytest.fixture(scope="module")
def workspace():
    return sample_workspace()


@pytest.fixture(scope="module")
def projection(workspace):
    return project(workspace.cost_base, workspace.headcount, workspace.scenario)


def cells(data: bytes) -> dict[str, list[list[tuple[object, str]]]]:
    """Every sheet's cells as (value, number format), for comparing files."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {
        ws.title: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        for ws in wb.worksheets
    }


def test_the_committed_sample_matches_a_fresh_build() -> None:
    assert cells(SAMPLE_PATH.read_bytes()) == cells(sample_workbook())


def test_the_committed_template_matches_a_fresh_build() -> None:
    assert cells(TEMPLATE_PATH.read_bytes()) == cells(template_workbook())


def test_the_build_script_writes_both_files(tmp_path) -> None:
    assert main(["--out-dir", str(tmp_path)]) == 0

    assert (tmp_path / SAMPLE_PATH.name).read_bytes() == sample_workbook()
    assert (tmp_path / TEMPLATE_PATH.name).read_bytes() == template_workbook()


def test_the_sample_file_is_the_four_input_sheets() -> None:
    wb = openpyxl.load_workbook(SAMPLE_PATH)

    assert wb.sheetnames == ["Costs", "Headcount", "Service desk", "Assumptions"]
    assert wb["Costs"].max_row == 1 + 28


def test_the_sample_covers_every_pool_and_behaviour(workspace) -> None:
    lines = workspace.cost_base.lines

    assert 20 <= len(lines) <= 30
    assert {line.pool for line in lines} == set(POOLS)
    assert {line.behaviour for line in lines} == set(Behaviour)
    assert len({line.item for line in lines}) == len(lines)
    assert all(line.vendor and line.notes for line in lines)


def test_the_sample_baseline_is_1200_employees_and_150_contingent(
    workspace, projection
) -> None:
    baseline = workspace.headcount.baseline

    assert (baseline.quarter, baseline.employees, baseline.contingent) == (
        "2026-Q4",
        1200,
        150,
    )
    assert workspace.scenario.name == "Base"
    assert workspace.scenario.growth_per_quarter == 0.08
    assert workspace.scenario.horizon_quarters == 8
    # 1,200 + 1.0 * 150 = 1,350 users; 1,350 * 1.1 * (1 - 0.12) = 1,306.8 tickets.
    assert projection.baseline["supported_users"] == 1_350
    assert projection.baseline["tickets"] == pytest.approx(1_306.8)


def test_the_sample_baseline_run_rate_by_pool(projection) -> None:
    by_pool = {
        pool: projection.baseline[column] for pool, column in POOL_COLUMNS.items()
    }

    # M365 39 * 1,350 = 52,650; Acrobat 36,000 / 12 = 3,000; Zoom Rooms
    # ceil(1,350 / 100) = 14 rooms * 49 = 686.
    assert by_pool["Productivity software"] == pytest.approx(56_336)
    # Intune 8 * 1,350 = 10,800; SSO 84,000 / 12 = 7,000; ITSM ceil(1,350 / 500)
    # = 3 bands * 2,400 = 7,200; knowledge base 6 blocks * 450 = 2,700; remote
    # support 1,200; ITSM build 180,000 / 48 = 3,750; the portal is not live yet.
    assert by_pool["Support tools"] == pytest.approx(32_650)
    # Analysts ceil(1,306.8 / 650) = 3 * 79,950 / 12 = 19,987.50; manager
    # 10,833.33; lead 8,125; chat 0.40 * 1,306.8 = 522.72; training 750;
    # telephony 96,000 / 36 = 2,666.67.
    assert by_pool["Service desk (Tier 1)"] == pytest.approx(42_885.22, abs=0.01)
    # Desk-side load 1,306.8 * 0.3 * 0.35 = 137.214: 2 technicians = 13,325;
    # loaners 60,000 / 36 = 1,666.67; peripherals 48 / 12 * 1,350 = 5,400.
    assert by_pool["Desktop support"] == pytest.approx(20_391.67, abs=0.01)
    # Tier 2 load 1,306.8 * 0.3 * 0.65 = 254.826: 3 engineers * 123,500 / 12
    # = 30,875; Unified 12,000 / 3 = 4,000; on-call 1,500.
    assert by_pool["Tier 2"] == pytest.approx(36_375)
    # After hours 2.20 * 1,306.8 = 2,874.96; field 33.15 * 137.214 = 4,548.64;
    # print ceil(1,350 / 75) = 18 devices * 540 / 3 = 3,240.
    assert by_pool["Managed service"] == pytest.approx(10_663.60, abs=0.01)
    # EDR 6 * 1,350 = 8,100; travel 1,500; disposal 400.
    assert by_pool["Other"] == pytest.approx(10_000)
    assert projection.baseline["monthly_opex"] == pytest.approx(209_301.49, abs=0.01)


def test_the_sample_cpsu_is_plausible_and_falls_as_it_grows(projection) -> None:
    table = projection.table
    cpsu_0, cpsu_8 = table["cpsu"].iloc[0], table["cpsu"].iloc[8]

    # 209,301.49 / 1,350 = 155.04 a user a month.
    assert cpsu_0 == pytest.approx(155.04, abs=0.005)
    assert 60 <= cpsu_0 <= 250
    # 1,200 * 1.08 ** 8 = 2,221.1 and 150 * 1.08 ** 8 = 277.6: 2,221 + 278 users.
    assert table["supported_users"].iloc[8] == 2_499
    assert cpsu_8 < cpsu_0
    assert cpsu_8 == pytest.approx(132.96, abs=0.005)


def test_one_asset_stops_depreciating_inside_the_horizon(workspace, projection) -> None:
    costs = projection.line_costs.set_index("item")
    telephony = costs.loc["Contact-centre telephony hardware"].iloc[2:]

    # In service 2024-07-01 for 36 months: its last quarter is 2027-Q2.
    assert telephony["2027-Q2"] == pytest.approx(96_000 / 36)
    assert telephony["2027-Q3"] == 0
    assert not next(
        line
        for line in workspace.cost_base.lines
        if line.item == "Contact-centre telephony hardware"
    ).renew


def test_the_sample_projection_sheet_is_formulas_checked_against_the_table(
    workspace, projection
) -> None:
    # The values themselves are checked after LibreOffice recalculates the
    # workbook (tests/test_workbook_live.py); here, what was written.
    data = scenario_workbook(workspace, workspace.scenario, projection)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Projection"]
    sheet = {row[0].value: row[1:] for row in ws.iter_rows(min_row=2)}
    table = projection.table

    assert [cell.value for cell in ws[1][1:]] == list(table["quarter"])
    assert [measure.header for measure in PROJECTION_ROWS] == list(sheet)
    for measure in PROJECTION_ROWS[1:]:
        for cell in sheet[measure.header][1:]:
            assert str(cell.value).startswith("="), measure.header
    assert sheet["CPSU"][0].number_format == MONEY
    checks = {row[0]: row[1:] for row in wb["Checks"].iter_rows(values_only=True)}
    assert list(checks["CPSU: app"]) == pytest.approx(list(table["cpsu"]))
    assert list(checks["Monthly run-rate: app"]) == pytest.approx(
        list(table["monthly_opex"])
    )


def test_the_committed_sample_reads_back_cleanly_as_the_sample(workspace) -> None:
    upload = read_upload(SAMPLE_PATH.read_bytes(), SAMPLE_PATH.name)

    assert upload.issues == ()
    assert upload.kind == "workbook"
    assert upload.cost_base == workspace.cost_base
    assert upload.headcount == workspace.headcount
    assert upload.scenario == workspace.scenario


def test_a_sample_scenario_workbook_restores_its_scenario(workspace) -> None:
    slow = replace(workspace.scenario, name="Slow", growth_per_quarter=0.02)
    projection = project(workspace.cost_base, workspace.headcount, slow)
    data = scenario_workbook(workspace, slow, projection)
    upload = read_upload(data, "slow.xlsx")

    assert upload.issues == ()
    assert upload.scenario == slow
    assert upload.cost_base == workspace.cost_base
    assert upload.headcount == workspace.headcount
