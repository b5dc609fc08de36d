"""Scenarios as plain dicts: exact round trips and a named field for bad data."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings

from cpsu.costs import Behaviour, CostLevers, CostLine, Tier
from cpsu.scenario import LineChange, Scenario
from cpsu.scenario_dict import (
    SCHEMA_VERSION,
    ScenarioDataError,
    cost_line_from_dict,
    cost_line_to_dict,
    scenario_from_dict,
    scenario_to_dict,
)
from cpsu.workload import ServiceDesk
from tests.scenario_strategies import cost_lines, scenarios

CONTRACT = CostLine(
    "Outsourced Tier 2",
    "Managed service",
    Behaviour.PER_TICKET,
    unit_cost=104.0,
    tier=Tier.TIER_2,
    notes="From the second year",
)
SERVICE_PLATFORM = CostLine(
    "Service platform",
    "Support tools",
    Behaviour.DEPRECIATION,
    amount=120_000.0,
    life_months=48,
    in_service=date(2027, 4, 1),
    renew=False,
)
SCENARIO = Scenario(
    name="Board case",
    horizon_quarters=12,
    growth_per_quarter=0.08,
    service_desk=ServiceDesk(tickets_per_user_month=1.2, tickets_trend=-0.05),
    contingent_share=0.1,
    levers=CostLevers(labour_escalation=0.04, productivity=0.1),
    changes=(
        LineChange("Tier 2 engineers", 4, CONTRACT),
        LineChange("Service platform", 2, SERVICE_PLATFORM),
        LineChange("Legacy tool", 6, None),
    ),
)


def _through_json(scenario: Scenario) -> Scenario:
    text = json.dumps(scenario_to_dict(scenario), allow_nan=False)
    return scenario_from_dict(json.loads(text))


def test_a_scenario_with_levers_and_changes_comes_back_exactly():
    data = scenario_to_dict(SCENARIO)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["changes"][0]["line"]["behaviour"] == "Per ticket"
    assert data["changes"][0]["line"]["tier"] == "Tier 2"
    assert data["changes"][1]["line"]["in_service"] == "2027-04-01"
    assert data["changes"][2]["line"] is None
    assert data["levers"]["licence_escalation"] is None
    assert _through_json(SCENARIO) == SCENARIO


@settings(max_examples=100, deadline=None)
@given(scenarios)
def test_any_scenario_survives_json_exactly(scenario):
    data = scenario_to_dict(scenario)
    back = _through_json(scenario)
    assert back == scenario
    assert scenario_to_dict(back) == data
    # The enums come back as enums, the dates as dates.
    for before, after in zip(scenario.changes, back.changes, strict=True):
        if after.line is not None:
            assert type(after.line.behaviour) is Behaviour
            assert type(after.line.in_service) is type(before.line.in_service)


@settings(max_examples=100, deadline=None)
@given(cost_lines())
def test_any_cost_line_survives_json_exactly(line):
    text = json.dumps(cost_line_to_dict(line), allow_nan=False)
    assert cost_line_from_dict(json.loads(text)) == line


def test_fields_a_dict_leaves_out_take_their_defaults():
    assert scenario_from_dict({"schema_version": 1}) == Scenario()
    loaded = scenario_from_dict(
        {"schema_version": 1, "service_desk": {"resolution_rate": 0.66}}
    )
    assert loaded.service_desk == ServiceDesk(resolution_rate=0.66)


def _bad(change, where: str, words: str) -> None:
    data = scenario_to_dict(SCENARIO)
    change(data)
    with pytest.raises(ScenarioDataError) as caught:
        scenario_from_dict(data)
    assert caught.value.where == where
    assert words in str(caught.value)
    assert str(caught.value).startswith(where)


def test_a_number_written_as_text_names_its_field():
    def change(data):
        data["changes"][0]["line"]["unit_cost"] = "104"

    _bad(change, "changes[0].line.unit_cost", "expected a number, got the text '104'")


def test_an_unknown_behaviour_lists_the_known_ones():
    def change(data):
        data["changes"][0]["line"]["behaviour"] = "Per seat"

    _bad(change, "changes[0].line.behaviour", "'Per seat' is not one of Fixed, ")


def test_a_misspelt_field_is_refused_with_the_closest_name():
    def change(data):
        data["levers"]["productivty"] = 0.2

    _bad(change, "levers.productivty", "did you mean productivity?")


def test_a_bad_date_names_its_field():
    def change(data):
        data["changes"][1]["line"]["in_service"] = "01/04/2027"

    _bad(change, "changes[1].line.in_service", "a date like 2026-10-01")


def test_a_required_field_that_is_missing_is_named():
    def change(data):
        del data["changes"][2]["from_quarter"]

    _bad(change, "changes[2].from_quarter", "is missing")


def test_a_value_the_model_refuses_names_the_record():
    def change(data):
        data["service_desk"]["resolution_rate"] = 1.5

    _bad(change, "service_desk", "Tier 1 resolution rate must be between 0% and 100%")


def test_a_line_the_model_refuses_names_the_line():
    def change(data):
        data["changes"][0]["line"]["pool"] = "Networks"

    _bad(change, "changes[0].line", "pool 'Networks' is not one of")


def test_wrong_shapes_are_named():
    def not_a_list(data):
        data["changes"] = {"item": "x"}

    _bad(not_a_list, "changes", "expected a list, got an object")

    def flag(data):
        data["changes"][1]["line"]["renew"] = 1

    _bad(flag, "changes[1].line.renew", "expected true or false, got 1")

    def whole(data):
        data["horizon_quarters"] = 8.5

    _bad(whole, "horizon_quarters", "expected a whole number, got 8.5")

    def nan(data):
        data["growth_per_quarter"] = float("nan")

    _bad(nan, "growth_per_quarter", "expected a number, got nan")


def test_a_newer_schema_is_refused_and_a_missing_one_named():
    data = scenario_to_dict(SCENARIO)
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(ScenarioDataError, match="newer version of the program"):
        scenario_from_dict(data)
    del data["schema_version"]
    with pytest.raises(ScenarioDataError, match="schema_version: is missing"):
        scenario_from_dict(data)
    with pytest.raises(ScenarioDataError, match="is an object, not a list"):
        scenario_from_dict([])  # type: ignore[arg-type]


def test_a_number_json_cannot_hold_is_refused_on_the_way_out():
    with pytest.raises(ScenarioDataError, match="growth_per_quarter"):
        scenario_to_dict(Scenario(growth_per_quarter=float("inf")))


def test_migrations_run_in_order(monkeypatch):
    from cpsu import scenario_dict

    def rename_growth(data):
        data = dict(data)
        data["growth_per_quarter"] = data.pop("growth")
        return data

    monkeypatch.setattr(scenario_dict, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(scenario_dict, "MIGRATIONS", {1: rename_growth})
    loaded = scenario_dict.scenario_from_dict({"schema_version": 1, "growth": 0.05})
    assert loaded.growth_per_quarter == 0.05
