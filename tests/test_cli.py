"""The `cpsu` command, run as a user runs it, and in-process for the details."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cpsu.cli import main
from cpsu.costs import POOLS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "sample_company.xlsx"
CPSU = Path(sys.executable).parent / "cpsu"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The installed console script, as a shell would run it."""
    return subprocess.run(
        [str(CPSU), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env,
    )


def call(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as leaving:
        code = leaving.code
    out, err = capsys.readouterr()
    return code, out, err


def broken_workbook(tmp_path: Path) -> Path:
    """The sample with an unknown pool, a TBD amount and a zero users-per-unit."""
    workbook = openpyxl.load_workbook(SAMPLE)
    costs = workbook["Costs"]
    headers = [cell.value for cell in costs[1]]
    column = {name: headers.index(name) + 1 for name in headers}
    behaviours = [
        costs.cell(r, column["Behaviour"]).value for r in range(1, costs.max_row + 1)
    ]
    fixed_row = behaviours.index("Fixed") + 1
    step_row = behaviours.index("Step") + 1
    costs.cell(2, column["Pool"]).value = "Kitchen"
    costs.cell(fixed_row, column["Amount"]).value = "TBD"
    costs.cell(step_row, column["Users per unit"]).value = 0
    path = tmp_path / "broken.xlsx"
    workbook.save(path)
    return path


def test_project_json_prints_the_projection_of_the_sample():
    result = run("project", str(SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["baseline_quarter"] == "2026-Q4"
    quarters = report["quarters"]
    assert len(quarters) == 9  # horizon 8: quarters 0..8
    first = quarters[0]
    assert first["quarter"] == "2026-Q4"
    assert (first["employees"], first["contingent"]) == (1200, 150)
    assert first["supported_users"] == 1350
    assert set(first["agents"]) == {"Tier 1", "Desktop", "Tier 2"}
    assert list(first["by_pool"]) == list(POOLS)
    for quarter in quarters:
        assert sum(quarter["by_pool"].values()) == pytest.approx(
            quarter["monthly_opex"]
        )
        assert quarter["cpsu"] == pytest.approx(
            quarter["monthly_opex"] / quarter["supported_users"]
        )
    assert report["issues"] == []


def test_project_options_override_the_workbook(capsys):
    code, out, _ = call(
        capsys,
        "project",
        str(SAMPLE),
        "--quarters",
        "4",
        "--growth",
        "0.1",
        "--tickets-per-user",
        "1.3",
        "--resolution-rate",
        "0.75",
        "--deflection",
        "0.2",
        "--deflection-step",
        "0",
        "--json",
    )
    assert code == 0
    quarters = json.loads(out)["quarters"]
    assert len(quarters) == 5
    # 1,200 * 1.1 = 1,320 employees; 150 * 1.1 = 165 contingent
    assert (quarters[1]["employees"], quarters[1]["contingent"]) == (1320, 165)
    # tickets = 1,350 * 1.3 * (1 - 0.2) = 1,404
    assert quarters[0]["tickets"] == pytest.approx(1404)


def test_project_writes_the_scenario_workbook(tmp_path, capsys):
    out_file = tmp_path / "scenario.xlsx"
    code, out, _ = call(
        capsys, "project", str(SAMPLE), "--growth", "0.12", "--out", str(out_file)
    )
    assert code == 0
    assert "Funding ask" in out
    workbook = openpyxl.load_workbook(out_file)
    assert {"Costs", "Headcount", "Service desk", "Assumptions", "Projection"} <= set(
        workbook.sheetnames
    )
    growth = {r[0]: r[1] for r in workbook["Assumptions"].iter_rows(values_only=True)}
    assert growth["Growth per quarter"] == pytest.approx(0.12)
    # The same workbook the app downloads: live formulas, checked by value.
    assert workbook.sheetnames[0] == "Summary"
    projection = {
        r[0]: r[1:] for r in workbook["Projection"].iter_rows(values_only=True)
    }
    assert projection["CPSU"][1].startswith("=")
    checks = {r[0]: r[1:] for r in workbook["Checks"].iter_rows(values_only=True)}
    # 1,200 * 1.12 = 1,344 employees and 150 * 1.12 = 168 contingent.
    assert checks["Supported users: app"][1] == 1_344 + 168
    # The starting scenarios stand beside this one, as the app's download has
    # them: the CLI's own projection of each.
    scenarios = {r[0]: r[1:] for r in workbook["Scenarios"].iter_rows(values_only=True)}
    assert scenarios["Assumption or result"] == ("Base", "Conservative", "Aggressive")
    for column, name in enumerate(("Conservative", "Aggressive"), start=1):
        code, out, _ = call(
            capsys, "project", str(SAMPLE), "--scenario", name, "--json"
        )
        horizon = json.loads(out)["quarters"][-1]
        assert scenarios["CPSU at the horizon"][column] == pytest.approx(
            horizon["cpsu"]
        )


def test_summary_json_gives_the_baseline(capsys):
    code, out, _ = call(capsys, "summary", str(SAMPLE), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["supported_users"] == 1350
    assert sum(summary["by_pool"].values()) == pytest.approx(
        summary["monthly_run_rate"]
    )
    assert summary["cpsu"] == pytest.approx(summary["monthly_run_rate"] / 1350)


def test_check_json_lists_lines_and_the_run_rate(capsys):
    code, out, _ = call(capsys, "check", str(SAMPLE), "--json")
    assert code == 0
    report = json.loads(out)
    assert 20 <= len(report["lines"]) <= 30
    assert {"item", "pool", "behaviour", "monthly"} <= set(report["lines"][0])
    total = sum(line["monthly"] for line in report["lines"])
    assert report["monthly_run_rate"] == pytest.approx(total)
    assert report["issues"] == []


def test_check_a_workbook_with_several_mistakes_exits_1_and_names_each(tmp_path):
    result = run("check", str(broken_workbook(tmp_path)))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) >= 3
    text = "\n".join(errors)
    assert "Kitchen" in text
    assert "TBD" in text
    assert "Users per unit" in text
    assert all("Costs, row" in line for line in errors)


def test_check_json_on_errors_still_prints_one_object(tmp_path, capsys):
    code, out, err = call(capsys, "check", str(broken_workbook(tmp_path)), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["lines"] == []
    assert report["monthly_run_rate"] is None
    assert len([i for i in report["issues"] if i["severity"] == "error"]) >= 3
    assert "Kitchen" in err


def test_check_a_csv_costs_what_it_can(tmp_path, capsys):
    csv = tmp_path / "costs.csv"
    csv.write_text(
        "Item,Pool,Behaviour,Amount,Period,Unit cost\n"
        "ITSM platform,Support tools,Fixed,54000,Year,\n"
        "Microsoft 365 E3,Productivity software,Per user,,,39\n"
    )
    code, out, _ = call(capsys, "check", str(csv), "--json")
    assert code == 0
    report = json.loads(out)
    # 54,000 a year / 12 = 4,500 a month; a per-user line needs a headcount
    assert report["lines"][0]["monthly"] == pytest.approx(4500)
    assert report["lines"][1]["monthly"] is None
    assert any("only cost lines" in issue["message"] for issue in report["issues"])


@pytest.mark.parametrize(
    "args",
    [
        ("project", str(SAMPLE), "--quarters", "0"),
        ("project", str(SAMPLE), "--quarters", "many"),
        ("project", str(SAMPLE), "--growth", "ten"),
        ("project", str(SAMPLE), "--resolution-rate", "1.5"),
        ("summary", "no-such-file.xlsx"),
        ("frobnicate",),
        (),
    ],
)
def test_usage_errors_exit_2(capsys, args):
    code, _, err = call(capsys, *args)
    assert code == 2
    assert "error" in err


def test_summary_of_a_csv_is_a_usage_error(tmp_path, capsys):
    csv = tmp_path / "costs.csv"
    csv.write_text("Item,Pool,Behaviour,Amount\nTool,Other,Fixed,10\n")
    code, _, err = call(capsys, "summary", str(csv))
    assert code == 2
    assert "Headcount" in err


def test_text_output_reads_like_a_report(capsys):
    code, out, _ = call(capsys, "project", str(SAMPLE), "--quarters", "2")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split() == [
        "Quarter",
        "Users",
        "Tickets",
        "Run-rate",
        "CPSU",
        "Change",
    ]
    assert lines[2].startswith("2026-Q4")
    assert io.StringIO(out).read().count("$") >= 6


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("no/such/folder/out.xlsx", "does not exist"),
        ("out.csv", ".xlsx"),
        (str(SAMPLE), "input workbook"),
    ],
)
def test_bad_out_paths_are_usage_errors_and_never_overwrite_the_input(
    capsys, tmp_path, monkeypatch, out, message
):
    monkeypatch.chdir(tmp_path)
    before = SAMPLE.read_bytes()
    code, _, err = call(capsys, "project", str(SAMPLE), "--out", out)
    assert code == 2
    assert message in err
    assert SAMPLE.read_bytes() == before


def test_growth_written_as_a_percent_is_a_usage_error(capsys):
    code, _, err = call(capsys, "project", str(SAMPLE), "--growth", "12")
    assert code == 2
    assert "0.08 is 8%" in err


def test_a_reader_that_stops_early_gets_no_traceback():
    result = subprocess.run(
        f"'{CPSU}' project '{SAMPLE}' --quarters 40 --json | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout == '{\n  "basel'
    assert "Traceback" not in result.stderr


def test_deflection_above_its_cap_is_noted(capsys):
    code, out, _ = call(capsys, "project", str(SAMPLE), "--deflection", "0.5", "--json")
    assert code == 0
    report = json.loads(out)
    # the sample's cap is 35%: tickets = 1,350 * 1.1 * (1 - 0.35) = 965.25
    assert report["quarters"][0]["tickets"] == pytest.approx(965.25)
    assert any("above its cap of 35%" in note for note in report["notes"])
    code, out, _ = call(
        capsys,
        "project",
        str(SAMPLE),
        "--deflection",
        "0.5",
        "--deflection-cap",
        "0.6",
        "--json",
    )
    # 1,350 * 1.1 * (1 - 0.5) = 742.5
    assert json.loads(out)["quarters"][0]["tickets"] == pytest.approx(742.5)


def test_a_plan_quarter_with_nobody_in_it_is_an_input_error(tmp_path):
    workbook = openpyxl.load_workbook(SAMPLE)
    workbook["Headcount"].append(["2027-Q1", 0, 0])
    path = tmp_path / "empty-quarter.xlsx"
    workbook.save(path)
    result = run("check", str(path))
    assert result.returncode == 1
    assert "Error in Headcount" in result.stderr
    assert "2027-Q1 has no supported users" in result.stderr
    assert run("project", str(path)).returncode == 1


def test_growth_that_empties_the_company_is_explained(capsys):
    code, _, err = call(
        capsys, "project", str(SAMPLE), "--growth", "-0.99", "--quarters", "4"
    )
    # 1,200 * 0.01^2 = 0.12 -> 0 employees, 150 * 0.0001 -> 0 by 2027-Q2
    assert code == 1
    assert "-99.0% growth a quarter" in err
    assert "2027-Q2" in err
