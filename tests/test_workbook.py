"""The workbooks the program writes, read back cell by cell with openpyxl."""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from cpsu.costs import Behaviour, CostBase, CostLine, Period, Tier
from cpsu.ingest import read_upload
from cpsu.ingest.issues import errors
from cpsu.projection import project
from cpsu.scenario import Headcount, HeadcountRow, Scenario, Workspace
from cpsu.workbook import (
    COST_COLUMNS,
    MONEY,
    MONEY_TOTAL,
    PROJECTION_ROWS,
    RATE,
    clean_text,
    input_workbook,
    safe_sheet_title,
    scenario_workbook,
    template_workbook,
    write_input_sheets,
)
from cpsu.workload import ServiceDesk
from tests.ingest_fixtures import COST_HEADER

COST_HEADERS = COST_HEADER  # the contract's header, spelled out once
DESK_PARAMETERS = [
    "Tickets per user per month",
    "Resolution rate",
    "Desk-side share",
    "Deflection",
    "Deflection step per quarter",
    "Deflection cap",
    "Contingent weight",
    "Tickets trend per year",
]

DESK = ServiceDesk(
    tickets_per_user_month=1.0,
    resolution_rate=0.5,
    deskside_share=0.5,
    deflection=0.0,
    deflection_step=0.0,
    deflection_cap=0.0,
    contingent_weight=0.5,
)
PLAN = Scenario(
    name="Plan", horizon_quarters=2, growth_per_quarter=0.1, service_desk=DESK
)


def tiny_workspace(*lines: CostLine, scenario: Scenario = PLAN) -> Workspace:
    """Four lines a reader can cost by hand, 100 employees and 20 contingent."""
    lines = lines or (
        CostLine(
            item="Help desk",
            pool="Service desk (Tier 1)",
            behaviour=Behaviour.STAFFED,
            unit_cost=60_000.0,
            period=Period.YEAR,
            tier=Tier.TIER_1,
            tickets_per_agent=500,
            min_units=1,
            escalation=0.04,
            vendor="In-house",
            notes="Loaded cost",
        ),
        CostLine(
            item="Laptop imaging",
            pool="Desktop support",
            behaviour=Behaviour.DEPRECIATION,
            amount=36_000.0,
            life_months=36,
            in_service=date(2026, 1, 1),
            renew=False,
        ),
        CostLine(
            item="Vendor credit",
            pool="Other",
            behaviour=Behaviour.FIXED,
            amount=-1_200.0,
            period=Period.YEAR,
        ),
        CostLine(
            item="Office suite",
            pool="Productivity software",
            behaviour=Behaviour.PER_USER,
            unit_cost=12.0,
        ),
    )
    return Workspace(
        cost_base=CostBase(tuple(lines)),
        headcount=Headcount(
            (HeadcountRow("2026-Q4", 100, 20), HeadcountRow("2027-Q1", 110, 20))
        ),
        scenario=scenario,
        source="tiny.xlsx",
    )


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws) -> list[list]:
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def parameters(ws) -> dict[str, object]:
    return {row[0]: row[1] for row in rows(ws)[1:]}


def tiny_scenario_file(scenario: Scenario = PLAN) -> tuple[Workspace, bytes]:
    workspace = tiny_workspace()
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    return workspace, scenario_workbook(workspace, scenario, projection)


# The template


def test_template_has_instructions_then_the_input_sheets() -> None:
    wb = load(template_workbook())

    assert wb.sheetnames == [
        "Instructions",
        "Costs",
        "Headcount",
        "Service desk",
        "Assumptions",
    ]
    assert wb.active.title == "Instructions"
    assert rows(wb["Costs"]) == [COST_HEADERS]
    assert rows(wb["Headcount"]) == [["Quarter", "Employees", "Contingent"]]


def test_template_fills_in_the_default_parameters() -> None:
    wb = load(template_workbook())
    desk = ServiceDesk()

    assert parameters(wb["Service desk"]) == {
        "Tickets per user per month": desk.tickets_per_user_month,
        "Resolution rate": desk.resolution_rate,
        "Desk-side share": desk.deskside_share,
        "Deflection": desk.deflection,
        "Deflection step per quarter": desk.deflection_step,
        "Deflection cap": desk.deflection_cap,
        "Contingent weight": desk.contingent_weight,
        "Tickets trend per year": 0,
    }
    # The levers: empty is no override, as the app's switches are off.
    assert parameters(wb["Assumptions"]) == {
        "Scenario name": "Base",
        "Horizon quarters": 8,
        "Growth per quarter": 0,
        "Contingent share": None,
        "Labour escalation": None,
        "Licence escalation": None,
        "Agent productivity": 0,
    }
    # Rates are fractions shown as percents: 0.7 displays as 70.0%.
    assert wb["Service desk"]["B3"].value == 0.7
    assert wb["Service desk"]["B3"].number_format == RATE


def test_template_instructions_name_every_behaviour_and_its_columns() -> None:
    text = "\n".join(
        str(value)
        for row in rows(load(template_workbook())["Instructions"])
        for value in row
        if value is not None
    )
    by_behaviour = {
        row[0]: row[1] for row in rows(load(template_workbook())["Instructions"])
    }

    assert by_behaviour["Staffed"] == "Unit cost, Tier, Tickets per agent"
    assert by_behaviour["Depreciation"] == "Amount, Life months"
    for behaviour in Behaviour:
        assert behaviour.value in by_behaviour
    for word in (
        "Period",
        "Year",
        "Quarter",
        "fractions",
        "percents",
        *DESK_PARAMETERS,
    ):
        assert word in text


# The input sheets


def test_costs_sheet_holds_each_line_with_numbers_dates_and_words() -> None:
    wb = load(input_workbook(tiny_workspace()))
    ws = wb["Costs"]
    table = rows(ws)

    assert wb.sheetnames == ["Costs", "Headcount", "Service desk", "Assumptions"]
    assert table[0] == COST_HEADERS
    assert len(table) == 1 + 4
    help_desk = dict(zip(COST_HEADERS, table[1], strict=True))
    assert help_desk == {
        "Item": "Help desk",
        "Pool": "Service desk (Tier 1)",
        "Behaviour": "Staffed",
        "Amount": None,
        "Period": "Year",
        "Unit cost": 60_000,
        "Users per unit": None,
        "Tier": "Tier 1",
        "Tickets per agent": 500,
        "Min units": 1,
        "Life months": None,
        "In service": None,
        "Renew": "Yes",
        "Escalation": 0.04,
        "Vendor": "In-house",
        "Notes": "Loaded cost",
    }
    assert ws["F2"].number_format == MONEY
    assert ws["N2"].number_format == RATE

    imaging = dict(zip(COST_HEADERS, table[2], strict=True))
    assert imaging["In service"] == datetime(2026, 1, 1)
    assert ws["L3"].is_date
    assert imaging["Renew"] == "No"
    assert imaging["Tier"] is None
    assert isinstance(imaging["Amount"], int | float)
    assert ws["D3"].number_format == MONEY

    # A credit stays a negative number, not text.
    assert ws["D4"].value == -1_200
    assert ws["D4"].data_type == "n"
    assert ws["E5"].value == "Month"


def test_headcount_sheet_holds_the_baseline_and_the_plan() -> None:
    ws = load(input_workbook(tiny_workspace()))["Headcount"]

    assert rows(ws) == [
        ["Quarter", "Employees", "Contingent"],
        ["2026-Q4", 100, 20],
        ["2027-Q1", 110, 20],
    ]
    assert ws["B2"].number_format == "#,##0"


def test_every_sheet_has_a_bold_frozen_header_and_fitted_columns() -> None:
    _, data = tiny_scenario_file()
    wb = load(data)

    for ws in wb.worksheets:
        assert all(cell.font.b for cell in ws[1] if cell.value is not None), ws.title
        assert ws.freeze_panes in ("A2", "B2"), ws.title
        widest = max(len(str(cell.value)) for cell in ws["A"] if cell.value)
        assert ws.column_dimensions["A"].width >= min(widest, 58), ws.title
    # The item column keeps room to type in (34) though "Laptop imaging" needs 14 + 2.
    assert wb["Costs"].column_dimensions["A"].width == 34


def test_an_empty_template_has_room_to_type_in_its_text_columns() -> None:
    costs = load(template_workbook())["Costs"]
    widths = {
        cell.value: costs.column_dimensions[cell.column_letter].width
        for cell in costs[1]
    }
    assert (widths["Item"], widths["Pool"], widths["Notes"]) == (34, 22, 36)


def test_write_input_sheets_replaces_sheets_and_drops_the_empty_default() -> None:
    wb = openpyxl.Workbook()
    stale = wb.create_sheet("Costs")
    stale["A1"] = "old"

    write_input_sheets(wb, tiny_workspace())

    assert wb.sheetnames == ["Costs", "Headcount", "Service desk", "Assumptions"]
    assert wb["Costs"]["A1"].value == "Item"
    assert wb["Costs"].max_row == 5


def test_write_input_sheets_can_write_another_scenario() -> None:
    wb = openpyxl.Workbook()
    fast = Scenario(name="Fast", horizon_quarters=6, growth_per_quarter=0.2)

    write_input_sheets(wb, tiny_workspace(), scenario=fast)

    assert parameters(wb["Assumptions"]) == {
        "Scenario name": "Fast",
        "Horizon quarters": 6,
        "Growth per quarter": 0.2,
        "Contingent share": None,
        "Labour escalation": None,
        "Licence escalation": None,
        "Agent productivity": 0,
    }


def test_same_inputs_give_the_same_bytes_dated_by_the_baseline() -> None:
    first = input_workbook(tiny_workspace())
    second = input_workbook(tiny_workspace())

    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {
            (2026, 10, 1, 0, 0, 0)
        }
    properties = load(first).properties
    assert properties.created == datetime(2026, 10, 1)
    assert properties.modified == datetime(2026, 10, 1)


# The scenario workbook


def test_scenario_workbook_carries_the_scenario_it_was_given() -> None:
    fast = Scenario(
        name="Fast growth",
        horizon_quarters=3,
        growth_per_quarter=0.25,
        service_desk=ServiceDesk(resolution_rate=0.8, deflection=0.2),
    )
    workspace, data = tiny_scenario_file(fast)
    wb = load(data)

    assert workspace.scenario.name == "Plan"
    # No line changes, so no Line changes sheet.
    assert wb.sheetnames == [
        "Summary",
        "Assumptions",
        "Costs",
        "Headcount",
        "Service desk",
        "Projection",
        "Line costs",
        "Scenarios",
        "Checks",
        "Sources",
    ]
    assert wb.active.title == "Summary"
    assert parameters(wb["Assumptions"]) == {
        "Scenario name": "Fast growth",
        "Horizon quarters": 3,
        "Growth per quarter": 0.25,
        "Contingent share": None,
        "Labour escalation": None,
        "Licence escalation": None,
        "Agent productivity": 0,
    }
    desk = parameters(wb["Service desk"])
    assert list(desk) == DESK_PARAMETERS
    assert desk["Resolution rate"] == 0.8
    assert desk["Deflection"] == 0.2
    # A horizon of 3 quarters lists quarters 0..3.
    assert rows(wb["Projection"])[0] == [
        "Measure",
        "2026-Q4",
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
    ]


def test_projection_sheet_rows_are_the_measures_in_order() -> None:
    _, data = tiny_scenario_file()
    labels = [row[0] for row in rows(load(data)["Projection"])[1:]]

    assert labels == [
        "Quarter index",
        "First day",
        "Escalation years",
        "Headcount from quarter",
        "Headcount grown",
        "Employees",
        "Contingent",
        "Supported users",
        "Tickets per user",
        "Deflection",
        "Tickets",
        "Load (Tier 1)",
        "Load (Desktop)",
        "Load (Tier 2)",
        "Agents (Tier 1)",
        "Agents (Desktop)",
        "Agents (Tier 2)",
        "Capacity (Tier 1)",
        "Capacity (Desktop)",
        "Capacity (Tier 2)",
        "Utilisation (Tier 1)",
        "Utilisation (Desktop)",
        "Utilisation (Tier 2)",
        "Productivity software",
        "Support tools",
        "Service desk (Tier 1)",
        "Desktop support",
        "Tier 2",
        "Managed service",
        "Other",
        "Monthly run-rate",
        "CPSU",
        "Change on last quarter",
        "Marginal cost per added user",
        "Quarterly spend",
        "Spend above baseline",
        "Cumulative funding ask",
    ]


def test_every_computed_projection_cell_is_a_formula() -> None:
    _, data = tiny_scenario_file()
    by_label = {row[0]: row[1:] for row in rows(load(data)["Projection"])[1:]}

    assert by_label.pop("Quarter index") == [0, 1, 2]
    # The baseline has no last quarter to compare with: those cells are empty.
    assert by_label["Change on last quarter"][0] is None
    assert by_label["Marginal cost per added user"][0] is None
    for label, values in by_label.items():
        for value in values:
            assert value is None or str(value).startswith("="), (label, value)
    assert by_label["CPSU"][0] == "=B32/B9"  # the run-rate over supported users
    assert "ROUND(ROUND(" in by_label["Employees"][2]
    assert by_label["Monthly run-rate"][1] == "=SUM('Line costs'!P$2:P$5)"


def test_projection_sheet_formats_money_rates_and_counts() -> None:
    _, data = tiny_scenario_file()
    ws = load(data)["Projection"]
    formats = {row[0].value: row[1].number_format for row in ws.iter_rows(min_row=2)}

    assert formats["CPSU"] == MONEY
    assert formats["Marginal cost per added user"] == MONEY
    assert formats["Monthly run-rate"] == MONEY_TOTAL
    assert formats["Other"] == MONEY_TOTAL
    assert formats["Deflection"] == RATE
    assert formats["Utilisation (Tier 1)"] == RATE
    assert formats["Supported users"] == "#,##0"
    assert {measure.header for measure in PROJECTION_ROWS} == set(formats)


def test_the_workbook_recalculates_on_open_and_prints_landscape() -> None:
    _, data = tiny_scenario_file()
    wb = load(data)

    assert wb.calculation.fullCalcOnLoad
    for title in ("Projection", "Line costs", "Checks", "Costs"):
        ws = wb[title]
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes in ("A2", "B2")
    assert wb["Projection"].column_dimensions["B"].width == 14


def test_the_summary_has_a_native_chart_of_cpsu() -> None:
    _, data = tiny_scenario_file()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [name for name in archive.namelist() if "charts/chart" in name]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode()
    assert "<lineChart>" in xml
    # The CPSU row (33) of the Projection sheet over its three quarters.
    assert "'Projection'!$B$33:$D$33" in xml
    assert "'Projection'!$B$1:$D$1" in xml


def test_the_scenarios_sheet_lists_other_scenarios_beside_this_one() -> None:
    workspace = tiny_workspace()
    slow = replace(PLAN, name="Slow", growth_per_quarter=0.0)
    slow_projection = project(workspace.cost_base, workspace.headcount, slow)
    projection = project(workspace.cost_base, workspace.headcount, PLAN)
    wb = load(scenario_workbook(workspace, PLAN, projection, [(slow, slow_projection)]))
    table = {row[0]: row[1:] for row in rows(wb["Scenarios"])}

    assert table["Assumption or result"] == ["Plan", "Slow"]
    assert table["Growth per quarter"][0] == (
        '=IF(ISBLANK(GrowthPerQuarter),"",GrowthPerQuarter)'
    )
    assert table["Growth per quarter"][1] == 0
    # Slow: no growth after the plan's 2027-Q1, so 7,340 a month for 120 users.
    assert table["CPSU at the horizon"][1] == pytest.approx(7_340 / 120)
    assert table["Labour escalation"][1] is None


# Text from a user's file


RISKY_STARTS = ["=", "+", "-", "@", '=HYPERLINK("http://example.invalid","x")&']
# Characters XML can carry unchanged: no controls, surrogates or non-characters;
# tabs and line feeds are fine. A carriage return becomes a line feed.
SAFE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn")),
        st.sampled_from("\t\n"),
    ),
    min_size=1,
    max_size=40,
)


def _line(item: str, vendor: str, notes: str) -> CostLine:
    return CostLine(
        item=item,
        pool="Other",
        behaviour=Behaviour.FIXED,
        amount=100.0,
        vendor=vendor,
        notes=notes,
    )


def _no_formula_parts(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if "worksheets/" in name]
        return not any(re.search(rb"<f[ >]", archive.read(name)) for name in sheets)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    start=st.sampled_from(RISKY_STARTS),
    item=SAFE_TEXT,
    vendor=SAFE_TEXT,
    notes=SAFE_TEXT,
    name=SAFE_TEXT,
)
def test_text_from_a_file_comes_back_as_the_same_text(
    start: str, item: str, vendor: str, notes: str, name: str
) -> None:
    scenario = Scenario(name=start + name, service_desk=DESK)
    workspace = tiny_workspace(
        _line(start + item, start + vendor, notes), scenario=scenario
    )
    data = input_workbook(workspace)
    wb = load(data)
    costs = wb["Costs"]

    for cell, expected in (
        (costs["A2"], start + item),
        (costs["O2"], start + vendor),
        (costs["P2"], notes),
        (wb["Assumptions"]["B2"], start + name),
    ):
        assert isinstance(cell.value, str)
        assert cell.data_type == "s"
        # openpyxl leaves OOXML escapes such as _x005F_ in; Excel decodes them.
        assert unescape(cell.value) == expected
    assert costs["A2"].quotePrefix
    assert _no_formula_parts(data)


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_any_text_makes_a_readable_file(item: str) -> None:
    data = input_workbook(tiny_workspace(_line(item, "", "")))
    cell = load(data)["Costs"]["A2"]

    expected = clean_text(item)
    assert (cell.value and unescape(cell.value)) == (expected or None)
    assert _no_formula_parts(data)


def test_text_like_an_ooxml_escape_is_escaped_so_it_reads_as_typed() -> None:
    data = input_workbook(tiny_workspace(_line("Part _x0041_ of _x12_", "", "")))

    # Excel and the reader decode _x0041_ to "A"; the underscore is escaped.
    assert load(data)["Costs"]["A2"].value == "Part _x005F_x0041_ of _x12_"
    upload = read_upload(data, "escape.xlsx")
    assert upload.cost_base.lines[0].item == "Part _x0041_ of _x12_"


def test_clean_text_drops_what_xml_cannot_hold() -> None:
    assert clean_text("a\x00b\x1fc\ufffe") == "abc"
    assert clean_text("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert clean_text("tab\tkept") == "tab\tkept"


def test_numbers_that_are_not_finite_leave_the_cell_empty() -> None:
    # An app's number that is not finite must not break Excel: the Checks
    # sheet leaves its cell empty.
    workspace = tiny_workspace()
    projection = project(workspace.cost_base, workspace.headcount, PLAN)
    cpsu = projection.column("cpsu").copy()
    cpsu[1] = math.inf
    broken = replace(projection, columns={**projection.columns, "cpsu": cpsu})

    ws = load(scenario_workbook(workspace, PLAN, broken))["Checks"]
    app = {row[0]: row[1:] for row in rows(ws)}["CPSU: app"]

    assert app[0] == pytest.approx(7_220 / 110)
    assert app[1] is None
    assert isinstance(app[2], float)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Costs", "Costs"),
        ("Q4 [draft]: a/b?", "Q4 draft a b"),
        ("'quoted'", "quoted"),
        ("x" * 40, "x" * 31),
        ("***", "Sheet"),
    ],
)
def test_safe_sheet_title(title: str, expected: str) -> None:
    assert safe_sheet_title(title) == expected


def test_cost_columns_match_the_cost_line_fields() -> None:
    fields = set(CostLine.__dataclass_fields__)

    assert [column.header for column in COST_COLUMNS] == COST_HEADERS
    assert {column.field for column in COST_COLUMNS} == fields


# Round trips through the reader


def test_input_workbook_reads_back_as_the_same_workspace() -> None:
    workspace = tiny_workspace()
    upload = read_upload(input_workbook(workspace), "tiny.xlsx")

    assert errors(upload.issues) == []
    assert upload.kind == "workbook"
    assert upload.cost_base == workspace.cost_base
    assert upload.headcount == workspace.headcount
    assert upload.scenario == workspace.scenario


def test_scenario_workbook_reads_back_as_the_scenario_it_was_given() -> None:
    fast = Scenario(
        name="Fast growth",
        horizon_quarters=12,
        growth_per_quarter=0.225,
        service_desk=ServiceDesk(
            tickets_per_user_month=0.95,
            resolution_rate=0.76,
            deskside_share=0.4,
            deflection=0.18,
            deflection_step=0.025,
            deflection_cap=0.4,
            contingent_weight=0.75,
        ),
    )
    workspace, data = tiny_scenario_file(fast)
    upload = read_upload(data, "fast.xlsx")

    assert errors(upload.issues) == []
    assert upload.scenario == fast
    assert upload.cost_base == workspace.cost_base
    assert upload.headcount == workspace.headcount


WORDS = st.lists(
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Zs", "Zl", "Zp")
        ),
        min_size=1,
        max_size=8,
    ),
    min_size=1,
    max_size=4,
).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(start=st.sampled_from(RISKY_STARTS), item=WORDS, vendor=WORDS, notes=WORDS)
def test_risky_text_reads_back_through_the_reader_unchanged(
    start: str, item: str, vendor: str, notes: str
) -> None:
    line = _line(start + item, start + vendor, start + notes)
    upload = read_upload(input_workbook(tiny_workspace(line)), "risky.xlsx")

    assert errors(upload.issues) == []
    assert upload.cost_base.lines == (line,)
