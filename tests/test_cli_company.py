"""`--company NAME` names a company with saved scenarios, or is refused."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cpsu.ingest import read_upload
from cpsu.ingest.checks import checked_workspace
from cpsu.saved import SavedScenario
from cpsu.store import DATA_DIR_VARIABLE, ScenarioStore, workspace_key
from tests.test_cli import SAMPLE, call


@pytest.fixture(autouse=True)
def _store_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "store"))


def save_for(company: str, name: str) -> None:
    workspace, _ = checked_workspace(
        None, read_upload(SAMPLE.read_bytes(), SAMPLE.name), SAMPLE.name
    )
    ScenarioStore.in_data_dir().save(
        workspace_key(company), SavedScenario(replace(workspace.scenario, name=name))
    )


# Each command that reads --company, with what it needs besides.
COMMANDS = [
    ["compare", str(SAMPLE)],
    ["project", str(SAMPLE), "--scenario", "Base"],
    ["solve", str(SAMPLE), "--scenario", "Base", "--lever", "growth", "--fall", "0.01"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_misspelt_company_is_refused_with_the_known_ones(capsys, command):
    save_for("Quillfern Analytics", "Board plan")
    save_for("Harrow & Vane", "Lean")

    code, out, err = call(capsys, *command, "--company", "Quilfern Analytics")

    assert code == 2 and out == ""
    assert "--company 'Quilfern Analytics': no scenarios are saved" in err
    # The store's names, as it keeps them (folded), in its order.
    assert "are 'harrow & vane', 'quillfern analytics'" in err


def test_a_company_when_nothing_is_saved_says_so(capsys):
    code, out, err = call(
        capsys, "compare", str(SAMPLE), "--company", "Quillfern Analytics"
    )
    assert code == 2 and out == ""
    assert "none for any company yet" in err
    assert "leave out --company" in err


def test_the_right_company_in_another_case_still_finds_its_scenarios(capsys):
    save_for("Quillfern Analytics", "Board plan")
    code, out, err = call(
        capsys, "compare", str(SAMPLE), "--company", "QUILLFERN analytics", "--json"
    )
    assert code == 0, err
    names = [one["name"] for one in json.loads(out)["scenarios"]]
    assert names == ["Board plan", "Base", "Conservative", "Aggressive"]
