"""A scenario workbook uploaded back restores the scenario it was written for.

Every assumption is an input cell of the workbook (Assumptions, Service desk,
Line changes), so the reader rebuilds the scenario from those cells alone,
never from a formula's result. Hypothesis draws scenarios of every shape:
each lever set or left off, headcount plans, and line changes of each kind.
"""

from __future__ import annotations

import io
from dataclasses import fields, is_dataclass, replace
from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsu.costs import Behaviour, CostBase, CostLevers, CostLine, Period, Tier
from cpsu.ingest import read_upload
from cpsu.ingest.issues import errors
from cpsu.line_changes import new_price, per_ticket_contract, stop_line
from cpsu.projection import project
from cpsu.scenario import Headcount, HeadcountRow, LineChange, Scenario, Workspace
from cpsu.workbook import (
    ASSUMPTION_ROWS,
    INPUT_FONT,
    INPUT_NAMES,
    SERVICE_DESK_ROWS,
    input_workbook,
    scenario_workbook,
)
from cpsu.workload import ServiceDesk
from tests import scenario_strategies as strategies
from tests.test_workbook import tiny_workspace

# Text as a person types it: words without control characters, no space at
# either end (the reader trims a scenario's name).
WORDS = st.lists(
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Cn", "Z")
        ),
        min_size=1,
        max_size=8,
    ),
    min_size=1,
    max_size=3,
).map(" ".join)


@st.composite
def typed_lines(draw: st.DrawFn, item: str | None = None) -> CostLine:
    """A cost line of any behaviour and options, with typed text."""
    line = draw(strategies.cost_lines())
    return replace(
        line,
        item=item if item is not None else draw(WORDS),
        vendor=draw(st.just("") | WORDS),
        notes=draw(st.just("") | WORDS),
    )


BASE = tiny_workspace()
ITEMS = [line.item for line in BASE.cost_base.lines]


@st.composite
def changes(draw: st.DrawFn) -> LineChange:
    """A new price, a contract, a new tool, a stop, or a line of another kind."""
    cost_base = BASE.cost_base
    quarter = draw(st.integers(min_value=0, max_value=12))
    kind = draw(st.sampled_from(["price", "contract", "tool", "stop", "other"]))
    item = draw(st.sampled_from(ITEMS))
    if kind == "price":
        return new_price(cost_base, item, quarter, draw(strategies.money))
    if kind == "contract":
        return per_ticket_contract(
            cost_base, "Help desk", quarter, draw(st.floats(0, 50))
        )
    if kind == "stop":
        return stop_line(cost_base, item, max(quarter, 1))
    if kind == "tool":
        name = draw(WORDS)
        return LineChange(name, quarter, draw(typed_lines(item=name)))
    # Any line in place of an existing one, under the same or another name.
    return LineChange(item, quarter, draw(typed_lines()))


scenarios = st.builds(
    Scenario,
    name=WORDS,
    horizon_quarters=st.integers(min_value=1, max_value=16),
    growth_per_quarter=st.floats(min_value=-0.5, max_value=1.0),
    service_desk=strategies.service_desks,
    contingent_share=st.none() | st.floats(min_value=0.0, max_value=0.99),
    levers=strategies.levers,
    changes=st.lists(changes(), max_size=5).map(tuple),
)

plans = st.lists(
    st.tuples(st.integers(0, 5_000), st.integers(0, 1_000)), min_size=0, max_size=6
)


def with_plan(plan: list[tuple[int, int]]) -> Headcount:
    """The baseline 2026-Q4 and the plan's rows after it."""
    quarters = ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1"]
    rows = [HeadcountRow("2026-Q4", 100, 20)]
    rows += [
        HeadcountRow(quarters[index + 1], employees, contingent)
        for index, (employees, contingent) in enumerate(plan[:5])
    ]
    return Headcount(tuple(rows))


def short(value):
    """The value with every float to 15 significant digits, as typed: openpyxl
    writes 16, so a float that needs 17 would come back a hair apart."""
    if isinstance(value, float):
        return float(f"{value:.15g}")
    if isinstance(value, tuple):
        return tuple(short(one) for one in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(
            value, **{f.name: short(getattr(value, f.name)) for f in fields(value)}
        )
    return value


def read_back(workspace: Workspace, scenario: Scenario) -> Workspace:
    """The workspace the reader makes of the scenario workbook, without errors."""
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    upload = read_upload(scenario_workbook(workspace, scenario, projection), "x.xlsx")
    assert errors(upload.issues) == []
    return Workspace(upload.cost_base, upload.headcount, upload.scenario)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=scenarios, plan=plans)
def test_any_scenario_comes_back_exactly(scenario: Scenario, plan) -> None:
    scenario = short(scenario)
    workspace = replace(BASE, headcount=with_plan(plan), scenario=scenario)
    try:
        project(workspace.cost_base, workspace.headcount, scenario)
    except ValueError:
        # No CPSU for this one (no users, a run-rate below zero): the app
        # offers no download of it either.
        return

    back = read_back(workspace, scenario)

    assert back.scenario == scenario
    assert back.cost_base == workspace.cost_base
    assert back.headcount == workspace.headcount


def test_every_kind_of_change_and_lever_comes_back() -> None:
    cost_base = BASE.cost_base
    tool = CostLine(
        item="Asset tracker",
        pool="Support tools",
        behaviour=Behaviour.DEPRECIATION,
        amount=24_000.0,
        life_months=24,
        renew=False,
    )
    scenario = Scenario(
        name="Everything",
        horizon_quarters=8,
        growth_per_quarter=0.05,
        service_desk=ServiceDesk(tickets_trend=-0.05, contingent_weight=0.5),
        contingent_share=0.15,
        levers=CostLevers(
            labour_escalation=0.03, licence_escalation=0.07, productivity=-0.1
        ),
        changes=(
            new_price(cost_base, "Office suite", 2, 14.0),
            per_ticket_contract(cost_base, "Help desk", 4, 7.5),
            stop_line(cost_base, "Vendor credit", 3),
            LineChange("Asset tracker", 1, tool),
        ),
    )

    back = read_back(BASE, scenario)

    assert back.scenario == scenario


def test_a_workbook_without_the_new_rows_reads_the_defaults() -> None:
    # A workbook written before the levers were inputs: the four sheets with
    # the first rows of Assumptions and Service desk only.
    data = input_workbook(BASE)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb["Assumptions"].delete_rows(5, 4)  # contingent share .. productivity
    wb["Service desk"].delete_rows(9)  # tickets trend
    buffer = io.BytesIO()
    wb.save(buffer)

    upload = read_upload(buffer.getvalue(), "old.xlsx")

    assert upload.issues[-1:] == upload.issues[-1:]  # read at all
    assert errors(upload.issues) == []
    assert upload.scenario == BASE.scenario
    assert upload.scenario.levers == CostLevers()
    assert upload.scenario.contingent_share is None
    assert upload.scenario.service_desk.tickets_trend == 0.0
    # No warning for the rows such a workbook never had.
    assert not [issue for issue in upload.issues if issue.sheet == "Service desk"]


def test_blank_levers_are_no_override() -> None:
    scenario = replace(BASE.scenario, levers=CostLevers(licence_escalation=0.02))
    projection = project(BASE.cost_base, BASE.headcount, scenario)
    wb = openpyxl.load_workbook(
        io.BytesIO(scenario_workbook(BASE, scenario, projection))
    )
    values = {row[0].value: row[1] for row in wb["Assumptions"].iter_rows(min_row=2)}

    assert values["Contingent share"].value is None
    assert values["Labour escalation"].value is None
    assert values["Licence escalation"].value == 0.02
    assert values["Agent productivity"].value == 0


def test_every_input_value_is_blue_and_named() -> None:
    scenario = replace(
        BASE.scenario, changes=(stop_line(BASE.cost_base, "Vendor credit", 1),)
    )
    projection = project(BASE.cost_base, BASE.headcount, scenario)
    wb = openpyxl.load_workbook(
        io.BytesIO(scenario_workbook(BASE, scenario, projection))
    )

    for title, rows in (
        ("Assumptions", ASSUMPTION_ROWS),
        ("Service desk", SERVICE_DESK_ROWS),
    ):
        ws = wb[title]
        for row, parameter in enumerate(rows, start=2):
            name = wb.defined_names[INPUT_NAMES[parameter.field]]
            assert name.attr_text == f"'{title}'!$B${row}" or name.attr_text == (
                f"{title}!$B${row}"
            )
            assert ws.cell(row, 2).font.color.rgb == INPUT_FONT.color.rgb
    for title in ("Costs", "Headcount", "Line changes"):
        ws = wb[title]
        for row in ws.iter_rows(min_row=2, max_row=2):
            assert {cell.font.color.rgb for cell in row} == {INPUT_FONT.color.rgb}
    assert [c.value for c in wb["Line changes"][2]][:3] == ["Vendor credit", 1, "Drop"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("B2", "From quarter"),
        ("A2", "Changed item"),
    ],
)
def test_a_broken_line_change_is_an_error_naming_its_cell(cell, message) -> None:
    scenario = replace(
        BASE.scenario, changes=(new_price(BASE.cost_base, "Office suite", 1, 14.0),)
    )
    projection = project(BASE.cost_base, BASE.headcount, scenario)
    wb = openpyxl.load_workbook(
        io.BytesIO(scenario_workbook(BASE, scenario, projection))
    )
    wb["Line changes"][cell] = "x" if cell == "B2" else None
    buffer = io.BytesIO()
    wb.save(buffer)

    upload = read_upload(buffer.getvalue(), "broken.xlsx")

    found = errors(upload.issues)
    assert found and found[0].sheet == "Line changes" and found[0].row == 2
    assert message in found[0].message
    assert upload.scenario is None


def test_changes_read_back_in_force_as_written() -> None:
    # The tiny workspace, Office suite at 14 from quarter 1: 12 * 110 = 1,320 in
    # quarter 0 and 14 * 120 = 1,680 in quarter 1 (the plan's 110 + 0.5 * 20).
    scenario = replace(
        BASE.scenario, changes=(new_price(BASE.cost_base, "Office suite", 1, 14.0),)
    )
    back = read_back(BASE, scenario)
    costs = project(back.cost_base, back.headcount, back.scenario).line_costs

    office = costs[costs["item"] == "Office suite"]
    assert office["2026-Q4"].tolist() == [1_320, 0]
    assert office["2027-Q1"].tolist() == [0, 1_680]


def test_a_date_and_a_period_survive_in_a_change() -> None:
    line = CostLine(
        item="Kiosk",
        pool="Desktop support",
        behaviour=Behaviour.STEP,
        unit_cost=1_200.0,
        period=Period.YEAR,
        users_per_unit=250,
        min_units=2,
        escalation=0.03,
        in_service=date(2027, 2, 14),
        tier=Tier.DESKTOP,
    )
    scenario = replace(BASE.scenario, changes=(LineChange("Kiosk", 2, line),))

    assert read_back(BASE, scenario).scenario == scenario
    assert CostBase((line,)).lines[0].period is Period.YEAR
