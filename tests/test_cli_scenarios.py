"""`cpsu project --scenario`, `cpsu compare` and `cpsu solve`."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest

from cpsu.ingest import read_upload
from cpsu.ingest.checks import checked_workspace
from cpsu.projection import project
from cpsu.saved import SavedScenario, conservative
from cpsu.store import DATA_DIR_VARIABLE, ScenarioStore, workspace_key
from tests.test_cli import SAMPLE, call, run

COMPANY = "Quillfern Analytics"


@pytest.fixture(autouse=True)
def _store_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "store"))


@pytest.fixture(scope="module")
def sample():
    workspace, _ = checked_workspace(
        None, read_upload(SAMPLE.read_bytes(), SAMPLE.name), SAMPLE.name
    )
    return workspace


def cpsu_by_quarter(report: dict) -> list[float]:
    return [quarter["cpsu"] for quarter in report["quarters"]]


def test_project_scenario_conservative_is_the_starting_one(capsys, sample):
    code, out, err = call(
        capsys, "project", str(SAMPLE), "--scenario", "conservative", "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    expected = project(
        sample.cost_base, sample.headcount, conservative(replace(sample.scenario))
    )
    assert report["scenario"] == "Conservative"
    assert cpsu_by_quarter(report) == pytest.approx(expected.table["cpsu"].tolist())


def test_project_finds_a_scenario_saved_for_the_company(capsys, sample):
    store = ScenarioStore.in_data_dir()
    board = replace(sample.scenario, name="Board plan", growth_per_quarter=0.2)
    store.save(workspace_key(COMPANY), SavedScenario(board))
    code, out, err = call(
        capsys,
        "project",
        str(SAMPLE),
        "--scenario",
        "BOARD PLAN",
        "--company",
        "  quillfern   analytics ",
        "--json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["scenario"] == "Board plan"
    assert report["growth_per_quarter"] == 0.2
    # The options still override the saved scenario.
    code, out, _ = call(
        capsys,
        "project",
        str(SAMPLE),
        "--scenario",
        "Board plan",
        "--company",
        COMPANY,
        "--growth",
        "0.05",
        "--json",
    )
    assert json.loads(out)["growth_per_quarter"] == 0.05


def test_an_unknown_scenario_is_a_usage_error_listing_the_names(capsys):
    code, _, err = call(capsys, "project", str(SAMPLE), "--scenario", "Board plan")
    assert code == 2
    assert "no scenario of that name" in err
    assert "'Base', 'Conservative', 'Aggressive'" in err
    assert "--company" in err


def test_company_without_scenario_is_a_usage_error(capsys):
    code, _, err = call(capsys, "project", str(SAMPLE), "--company", COMPANY)
    assert code == 2
    assert "give both" in err


def test_compare_json_projects_every_scenario_like_project_does(capsys):
    code, out, err = call(capsys, "compare", str(SAMPLE), "--json", "--at", "0,4")
    assert code == 0, err
    report = json.loads(out)
    names = [one["name"] for one in report["scenarios"]]
    assert names == ["Base", "Conservative", "Aggressive"]
    for one in report["scenarios"]:
        _, alone, _ = call(
            capsys, "project", str(SAMPLE), "--scenario", one["name"], "--json"
        )
        assert cpsu_by_quarter(one) == pytest.approx(cpsu_by_quarter(json.loads(alone)))
        by_year = one["funding_by_fiscal_year"]
        assert sum(year["funding_ask"] for year in by_year) == pytest.approx(
            one["funding_ask"]
        )
    base = {d["t"]: d["cpsu"] for d in report["differences"] if d["scenario"] == "Base"}
    assert sorted(base) == [0, 4]
    for row in report["differences"]:
        assert row["cpsu_vs_first"] == pytest.approx(row["cpsu"] - base[row["t"]])
    assert all(
        d["cpsu_vs_first"] == 0
        for d in report["differences"]
        if d["scenario"] == "Base"
    )


def test_compare_prints_a_table_and_the_funding_by_fiscal_year():
    result = run(
        "compare",
        str(SAMPLE),
        "--scenario",
        "Aggressive",
        "--scenario",
        "Base",
        "--fiscal-start",
        "7",
    )
    assert result.returncode == 0, result.stderr
    assert "difference from Aggressive" in result.stdout
    assert "Funding ask by fiscal year (starting in July)" in result.stdout
    # The sample's horizon (2027-Q1 .. 2028-Q4) touches three July years:
    # FY2027 (Jul 2026 - Jun 2027) holds 2027-Q1 and Q2, 6 months; FY2028 all
    # four quarters; FY2029 (from Jul 2028) 2028-Q3 and Q4, 6 months.
    for year in ("FY2027", "FY2028", "FY2029", "Total"):
        assert year in result.stdout
    assert "Part years: FY2027 6 of 12 months; FY2029 6 of 12 months." in (
        result.stdout
    )


def test_compare_says_which_years_a_shorter_horizon_leaves_blank(capsys, sample):
    store = ScenarioStore.in_data_dir()
    short = replace(sample.scenario, name="Short", horizon_quarters=4)
    store.save(workspace_key(COMPANY), SavedScenario(short))
    code, out, err = call(
        capsys,
        "compare",
        str(SAMPLE),
        "--company",
        COMPANY,
        "--scenario",
        "Base",
        "--scenario",
        "Short",
        "--fiscal-start",
        "7",
    )
    assert code == 0, err
    # Short's 4 quarters (2027-Q1 .. Q4) are 6 months of FY2027 and 6 of
    # FY2028, and nothing of FY2029: its cell there is blank, not $0 or a dash.
    fy2029 = next(line for line in out.splitlines() if line.startswith("FY2029"))
    assert fy2029.split()[1:] == [fy2029.split()[1]], fy2029
    notes = " ".join(out.split("Total", 1)[1].split())
    assert "A blank cell is a fiscal year past that scenario's horizon" in notes
    assert (
        "Part years: FY2027 6 of 12 months; FY2028 6 of 12 months for Short; "
        "FY2029 6 of 12 months." in notes
    )
    assert "quarters: Base 8, Short 4" in notes


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--at", "99"], "quarters run from 0"),
        (["--at", "x"], "whole numbers"),
        (["--fiscal-start", "13"], "not a month"),
        (["--scenario", "Nope"], "no scenario of that name"),
    ],
)
def test_compare_refuses_bad_options(capsys, options, message):
    code, _, err = call(capsys, "compare", str(SAMPLE), *options)
    assert code == 2
    assert message in err


def test_solve_finds_the_deflection_that_reaches_the_target_within_a_cent(
    capsys, sample
):
    code, out, err = call(
        capsys,
        "solve",
        str(SAMPLE),
        "--lever",
        "deflection",
        "--target",
        "130",
        "--quarter",
        "8",
        "--json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["reached"] and report["exact"]
    assert report["bound"] == "at least"
    desk = replace(sample.scenario.service_desk, deflection=report["value"])
    again = project(
        sample.cost_base,
        sample.headcount,
        replace(sample.scenario, service_desk=desk),
    )
    assert again.table["cpsu"].iloc[8] == pytest.approx(130.0, abs=0.01)


def test_solve_says_when_no_value_in_range_reaches_the_goal(capsys):
    code, out, _ = call(
        capsys,
        "solve",
        str(SAMPLE),
        "--lever",
        "deflection",
        "--target",
        "40",
        "--json",
    )
    assert code == 0
    report = json.loads(out)
    assert report["reached"] is False
    assert report["value"] is None
    assert report["closest"] == pytest.approx(0.15)
    assert "No value of Deflection from 8.00% to 15.00%" in report["message"]


def test_solve_reads_tickets_per_agent_in_tickets_and_prices_by_line(capsys):
    code, out, _ = call(
        capsys,
        "solve",
        str(SAMPLE),
        "--lever",
        "tickets-per-agent",
        "--target",
        "120",
    )
    assert code == 0
    assert "Tier 1 tickets per agent a month from 500.0 to 800.0" in out
    code, out, _ = call(
        capsys,
        "solve",
        str(SAMPLE),
        "--lever",
        "price:microsoft 365 e3",
        "--target",
        "130",
    )
    assert code == 0
    assert "Price of Microsoft 365 E3 of at most $" in out
    assert "(now $39.00)" in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--lever", "magic", "--target", "100"], "is not a lever"),
        (["--lever", "price:Nothing", "--target", "100"], "no cost line is named"),
        (["--lever", "deflection"], "give a goal"),
        (["--lever", "deflection", "--fall", "0.03", "--target", "9"], "--fall is"),
        (["--lever", "deflection", "--fall", "1.5"], "above 0 and below 1"),
        (["--lever", "deflection", "--target", "-5"], "above $0"),
        (["--lever", "deflection", "--target", "100", "--quarter", "9"], "horizon, 8"),
        (
            ["--lever", "deflection", "--low", "0.5", "--high", "0.2", "--target", "9"],
            "low must be below its high",
        ),
    ],
)
def test_solve_refuses_bad_options(capsys, options, message):
    code, _, err = call(capsys, "solve", str(SAMPLE), *options)
    assert code == 2
    assert message in err


def test_the_store_location_comes_from_the_environment(tmp_path, sample):
    folder = tmp_path / "elsewhere"
    ScenarioStore.in_data_dir(folder).save(
        workspace_key(COMPANY),
        SavedScenario(replace(sample.scenario, name="Elsewhere")),
    )
    env = {**os.environ, DATA_DIR_VARIABLE: str(folder)}
    result = run("compare", str(SAMPLE), "--company", COMPANY, "--json", env=env)
    assert result.returncode == 0, result.stderr
    names = [one["name"] for one in json.loads(result.stdout)["scenarios"]]
    assert names == ["Elsewhere", "Base", "Conservative", "Aggressive"]
