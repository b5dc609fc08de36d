"""Every page as a user meets it, driven by Streamlit's AppTest."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from cpsu.costs import Behaviour, Period
from cpsu.mapping import Rule, save_rules
from cpsu.workbook import input_workbook
from tests.test_pitch import small_workspace
from tests.test_ui_sheets import several_budgets

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "sample_company.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def small_company() -> bytes:
    """200 employees and 20 contingent; two lines a reader can cost by hand."""
    return input_workbook(small_workspace())


def broken_sample() -> tuple[bytes, int]:
    """The sample with four mistakes in Costs and one in Headcount."""
    workbook = openpyxl.load_workbook(SAMPLE)
    costs = workbook["Costs"]
    headers = [cell.value for cell in costs[1]]
    amount = headers.index("Amount") + 1
    pool = headers.index("Pool") + 1
    behaviour = headers.index("Behaviour") + 1
    per_agent = headers.index("Tickets per agent") + 1
    fixed_row = next(
        r
        for r in range(2, costs.max_row + 1)
        if costs.cell(r, behaviour).value == "Fixed"
    )
    staffed_row = next(
        r
        for r in range(2, costs.max_row + 1)
        if costs.cell(r, behaviour).value == "Staffed"
    )
    costs.cell(fixed_row, amount).value = "TBD"
    costs.cell(2, pool).value = "Kitchen"
    costs.cell(staffed_row, per_agent).value = None
    headcount = workbook["Headcount"]
    headcount.append(["2027-Q3", 1300, 160])  # no 2027-Q1 and 2027-Q2 before it
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), 4


def new_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def metric(at: AppTest, label_start: str) -> str:
    for element in at.metric:
        if element.label.startswith(label_start):
            return element.value
    raise AssertionError(f"no metric {label_start!r} in {[m.label for m in at.metric]}")


def table_with(at: AppTest, column: str):
    """The first table on the page that has a column of this name."""
    for frame in [*at.dataframe, *at.table]:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {column!r} column")


def cost_base_page(at: AppTest) -> AppTest:
    return at.switch_page("app_pages/cost_base.py").run()


def scenarios_page(at: AppTest) -> AppTest:
    return at.switch_page("app_pages/scenarios.py").run()


def upload(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    at.file_uploader(key="cost_base.upload").upload(name, data, mime).run()
    return at


def test_the_app_opens_on_the_sample_scenarios():
    at = new_app()
    assert not at.exception
    assert at.title[0].value == "Scenarios"
    labels = [m.label for m in at.metric]
    assert labels[0] == "CPSU 2026-Q4"
    assert labels[1] == "CPSU 2028-Q4"
    assert metric(at, "CPSU 2026-Q4").startswith("$")
    assert len(at.get("vega_lite_chart")) == 3
    assert not at.error


def test_cost_base_page_shows_what_was_understood():
    at = cost_base_page(new_app())
    assert not at.exception
    assert at.title[0].value == "Cost base"
    lines = int(metric(at, "Cost lines"))
    assert 20 <= lines <= 30
    assert metric(at, "Supported users") == "1,350"  # 1,200 + 1 x 150
    table = table_with(at, "item")
    assert len(table) == lines
    assert metric(at, "CPSU").startswith("$")


def test_moving_the_growth_slider_changes_cpsu():
    at = new_app()
    before = metric(at, "CPSU 2028-Q4")
    at.slider(key="scenarios.growth").set_value(0.20).run()
    assert not at.exception
    after = metric(at, "CPSU 2028-Q4")
    assert after != before
    # the baseline quarter does not move with growth
    assert metric(at, "CPSU 2026-Q4") == metric(new_app(), "CPSU 2026-Q4")


def test_horizon_slider_changes_the_quarter_shown():
    at = new_app()
    at.slider(key="scenarios.horizon").set_value(12).run()
    assert [m.label for m in at.metric][1] == "CPSU 2029-Q4"
    assert len(table_with(at, "supported_users")) == 13


def test_slider_values_survive_a_page_switch_and_back():
    at = new_app()
    at.slider(key="scenarios.growth").set_value(0.15).run()
    shown = metric(at, "CPSU 2028-Q4")
    at = scenarios_page(cost_base_page(at))
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.15)
    assert metric(at, "CPSU 2028-Q4") == shown


def test_an_upload_with_errors_shows_them_all_and_keeps_the_cost_base():
    at = cost_base_page(new_app())
    users_before = metric(at, "Supported users")
    data, mistakes = broken_sample()
    upload(at, "broken.xlsx", data)
    assert not at.exception
    assert "was not used" in at.error[0].value
    issues = table_with(at, "Severity")
    errors = issues[issues["Severity"] == "Error"]
    assert len(errors) >= mistakes
    text = " ".join(errors["Where"]) + " ".join(errors["Problem and what to do"])
    for expected in ("Kitchen", "TBD", "Tickets per agent", "Headcount"):
        assert expected in text
    # the sample is still the cost base, here and on Scenarios
    assert metric(at, "Supported users") == users_before
    at = scenarios_page(at)
    assert not at.exception
    assert "Sample company" in at.caption[0].value


def test_a_good_upload_replaces_the_workspace_and_its_scenario():
    at = cost_base_page(new_app())
    upload(at, "small.xlsx", small_company())
    assert not at.exception
    assert "is in use" in (at.success or at.warning)[0].value
    assert metric(at, "Cost lines") == "2"
    assert metric(at, "Supported users") == "220"
    # 220 tickets -> ceil(220 / 600) = 1 analyst at 5,500 + tool 2,200 = 7,700
    assert metric(at, "Monthly run-rate") == "$7,700.00"
    # 7,700 / 220 = 35.00
    assert metric(at, "CPSU") == "$35.00"
    at = scenarios_page(at)
    assert not at.exception
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.05)
    assert at.slider(key="scenarios.horizon").value == 6
    assert metric(at, "CPSU 2026-Q4") == "$35.00"


def test_a_csv_replaces_only_the_cost_lines():
    csv = (
        b"Item,Pool,Behaviour,Amount,Unit cost\n"
        b"Service desk tool,Support tools,Fixed,13500,\n"
        b"Microsoft 365 E3,Productivity software,Per user,,39\n"
    )
    at = cost_base_page(new_app())
    upload(at, "costs.csv", csv, "text/csv")
    assert not at.exception
    assert metric(at, "Cost lines") == "2"
    # headcount kept from the sample: 1,350 users; 13,500 + 39 x 1,350 = 66,150
    assert metric(at, "Supported users") == "1,350"
    assert metric(at, "Monthly run-rate") == "$66,150.00"
    assert metric(at, "CPSU") == "$49.00"  # 66,150 / 1,350


def test_going_back_to_the_sample():
    at = cost_base_page(new_app())
    upload(at, "small.xlsx", small_company())
    at.button(key="cost_base.restore").click().run()
    assert not at.exception
    assert metric(at, "Supported users") == "1,350"


def workbook_with_empty_quarter() -> bytes:
    """The small company with a plan whose next quarter has nobody in it."""
    workbook = openpyxl.load_workbook(io.BytesIO(small_company()))
    workbook["Headcount"].append(["2027-Q1", 0, 0])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_workbook_whose_own_scenario_cannot_be_projected_is_refused():
    at = cost_base_page(new_app())
    upload(at, "empty-quarter.xlsx", workbook_with_empty_quarter())
    assert not at.exception
    assert "was not used" in at.error[0].value
    issues = table_with(at, "Severity")
    assert "2027" in " ".join(issues["Problem and what to do"])
    assert "Headcount" in " ".join(issues["Where"])
    # the sample is still in use, on both pages
    assert metric(at, "Supported users") == "1,350"
    at = scenarios_page(at)
    assert not at.exception
    assert metric(at, "CPSU 2026-Q4") == metric(new_app(), "CPSU 2026-Q4")


def test_a_csv_keeps_the_sliders_where_they_were():
    at = new_app()
    at.slider(key="scenarios.growth").set_value(0.10).run()
    at.slider(key="scenarios.horizon").set_value(12).run()
    at = cost_base_page(at)
    upload(
        at, "costs.csv", b"Item,Pool,Behaviour,Amount\nTool,Support tools,Fixed,5000\n"
    )
    at = scenarios_page(at)
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.10)
    assert at.slider(key="scenarios.horizon").value == 12


def test_cost_base_follows_the_service_desk_sliders():
    at = new_app()
    before = metric(cost_base_page(new_app()), "Monthly run-rate")
    at.slider(key="scenarios.tickets_per_user").set_value(2.0).run()
    at = cost_base_page(at)
    # more tickets need more agents and per-ticket work at the baseline
    assert metric(at, "Monthly run-rate") != before
    assert "tickets per user 2.00 (workbook 1.10)" in at.caption[1].value
    at = scenarios_page(at)
    assert metric(at, "CPSU 2026-Q4") == metric(cost_base_page(at), "CPSU")


def gl_export_bytes() -> bytes:
    """Three months of postings: Microsoft licences, a service desk tool, a lunch."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "GL detail"
    sheet.append(
        ["Posting date", "Account", "Cost centre", "Vendor", "Description", "Amount"]
    )
    for month in (10, 11, 12):
        sheet.append(
            [f"2026-{month}-05", 6110, "IT100", "Microsoft", "M365 E3", 40500.0]
        )
        sheet.append([f"2026-{month}-09", 6320, "IT100", "ServiceNow", "ITSM", 7200.0])
        sheet.append([f"2026-{month}-21", 7400, "IT100", "Bistro", "Team lunch", 150.0])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def add_rule(
    at: AppTest, field: str, pattern: str, pool: str, behaviour: str
) -> AppTest:
    at.selectbox(key="mapping.field").set_value(field)
    at.text_input(key="mapping.pattern").set_value(pattern)
    at.selectbox(key="mapping.pool").set_value(pool)
    at.selectbox(key="mapping.behaviour").set_value(behaviour)
    at.button[[b.label for b in at.button].index("Add rule")].click()
    return at.run()


def test_a_gl_export_is_mapped_by_rules_and_becomes_the_cost_base():
    at = cost_base_page(new_app())
    upload(at, "gl.xlsx", gl_export_bytes())
    assert not at.exception
    assert "is a GL export" in at.info[0].value
    # 9 postings, 3 groups unmapped: 3 x (40,500 + 7,200 + 150) = 143,550
    assert metric(at, "Export total") == "$143,550.00"
    assert len(table_with(at, "Vendor")) == 3

    at = add_rule(at, "vendor", "Microsoft", "Productivity software", "Per user")
    assert not at.exception
    assert len(table_with(at, "Vendor")) == 2
    at = add_rule(at, "account", "6300-6399", "Support tools", "Fixed")
    assert len(table_with(at, "Vendor")) == 1  # the lunch stays unmapped
    assert metric(at, "Unmapped") == "$450.00"  # 3 x 150
    assert metric(at, "Mapped") == "$143,100.00"

    # the sample is still the cost base until the lines are used
    assert metric(at, "Cost lines") == "28"
    use = next(b for b in at.button if b.label.startswith("Use the 2 mapped lines"))
    use.click().run()
    assert not at.exception
    assert metric(at, "Cost lines") == "2"
    # monthly: Microsoft 121,500 / 3 = 40,500 (per user, so it grows with users);
    # ServiceNow 21,600 / 3 = 7,200; run-rate 47,700 over the sample's 1,350 users
    assert metric(at, "Monthly run-rate") == "$47,700.00"
    assert metric(at, "CPSU") == "$35.33"  # 47,700 / 1,350
    at = scenarios_page(at)
    assert metric(at, "CPSU 2026-Q4") == "$35.33"


def test_rules_stay_for_the_next_export():
    at = cost_base_page(new_app())
    upload(at, "gl.xlsx", gl_export_bytes())
    at = add_rule(at, "vendor", "Microsoft", "Productivity software", "Per user")
    upload(at, "gl-again.xlsx", gl_export_bytes() + b"")
    # the same rule applies at once to the next upload of the export
    assert metric(at, "Mapped") == "$121,500.00"  # 3 x 40,500


def two_budget_sheets() -> bytes:
    """A workbook with two cost tables on sheets not named Costs."""
    workbook = openpyxl.load_workbook(io.BytesIO(small_company()))
    costs = workbook["Costs"]
    costs.title = "FY27 budget"
    old = workbook.create_sheet("FY26 budget")
    old.append(["Item", "Pool", "Behaviour", "Amount"])
    for item, amount in (
        ("Old tool", 1000),
        ("Old contract", 2000),
        ("Old kiosk", 300),
    ):
        old.append([item, "Other", "Fixed", amount])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_sheet_picker_reads_the_chosen_sheet():
    at = cost_base_page(new_app())
    upload(at, "budgets.xlsx", two_budget_sheets())
    assert not at.exception
    # the reader takes the first cost table and says the other could be chosen
    assert metric(at, "Cost lines") == "2"
    picker = at.selectbox[
        [s.label for s in at.selectbox].index("Sheet to read the cost lines from")
    ]
    picker.set_value("FY26 budget").run()
    assert not at.exception
    assert metric(at, "Cost lines") == "3"
    # 1,000 + 2,000 + 300 = 3,300 a month
    assert metric(at, "Monthly run-rate") == "$3,300.00"
    # an ordinary rerun keeps the choice and reads nothing again
    at.run()
    assert metric(at, "Cost lines") == "3"


def roster_bytes() -> bytes:
    """Five people; on 2026-12-31 three employees and one contractor are here."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Staff"
    sheet.append(["Employee ID", "Name", "Worker type", "Start date", "End date"])
    sheet.append(["E1", "Ann", "Employee", "2024-01-10", None])
    sheet.append(["E2", "Cy", "Employee", "2026-11-10", None])
    sheet.append(["E3", "Ed", "Employee", "2025-03-01", None])
    sheet.append(["E4", "Flo", "Employee", "2025-03-01", "2026-10-15"])  # left
    sheet.append(["C1", "Di", "Contractor", "2026-02-01", None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_hr_roster_replaces_only_the_headcount():
    at = cost_base_page(new_app())
    run_rate_lines = metric(at, "Cost lines")
    upload(at, "roster.xlsx", roster_bytes())
    assert not at.exception
    assert "is an HR roster" in at.success[0].value
    # on 2026-12-31: Ann, Cy, Ed employed (Flo left in October), Di contracting
    assert metric(at, "Supported users") == "4"
    assert metric(at, "Cost lines") == run_rate_lines


def budget_workbook() -> bytes:
    """A budget of the user's own: a title row, two sections, subtotals, a total."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "FY27 budget"
    sheet.append(["IT support budget FY27"])
    sheet.append([])
    sheet.append(["Item", "Annual cost"])
    sheet.append(["Software"])
    sheet.append(["Service desk tool", 54_000])
    sheet.append(["Knowledge base", 6_000])
    sheet.append(["Subtotal", 60_000])
    sheet.append(["Services"])
    sheet.append(["Field support contract", 24_000])
    sheet.append(["Total", 84_000])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_budget_workbook_of_cost_lines_only_keeps_headcount_and_sliders():
    at = new_app()
    at.slider(key="scenarios.growth").set_value(0.12).run()
    at = cost_base_page(at)
    upload(at, "budget.xlsx", budget_workbook())
    assert not at.exception
    assert "is in use" in at.warning[0].value
    assert metric(at, "Cost lines") == "3"
    # (54,000 + 6,000 + 24,000) a year / 12 = 7,000 a month; headcount stays 1,350
    assert metric(at, "Monthly run-rate") == "$7,000.00"
    assert metric(at, "Supported users") == "1,350"
    at = scenarios_page(at)
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.12)


def test_a_workbook_without_assumptions_keeps_growth_and_horizon():
    workbook = openpyxl.load_workbook(io.BytesIO(small_company()))
    del workbook["Assumptions"]
    out = io.BytesIO()
    workbook.save(out)
    at = new_app()
    at.slider(key="scenarios.growth").set_value(0.12).run()
    at.slider(key="scenarios.horizon").set_value(10).run()
    at = cost_base_page(at)
    upload(at, "no-assumptions.xlsx", out.getvalue())
    at = scenarios_page(at)
    # the workbook's service desk is used, growth and horizon stay as they were
    assert at.slider(key="scenarios.growth").value == pytest.approx(0.12)
    assert at.slider(key="scenarios.horizon").value == 10
    assert at.slider(key="scenarios.tickets_per_user").value == pytest.approx(1.0)


def test_a_second_roster_replaces_the_first_in_the_source_too():
    at = cost_base_page(new_app())
    upload(at, "roster-1.xlsx", roster_bytes())
    upload(at, "roster-2.xlsx", roster_bytes())
    heading = next(h.value for h in at.header if "What was understood" in h.value)
    # the heading escapes Markdown: "roster\-2.xlsx" shows as roster-2.xlsx
    assert heading.endswith("roster roster\\-2\\.xlsx")
    assert "roster\\-1" not in heading


def upload_rules(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="mapping.rules_upload").upload(name, data, "application/json")
    return at.run()


def test_a_bad_rules_file_lists_every_problem_and_keeps_the_rules():
    at = cost_base_page(new_app())
    upload(at, "gl.xlsx", gl_export_bytes())
    at = add_rule(at, "vendor", "Microsoft", "Productivity software", "Per user")
    assert metric(at, "Mapped") == "$121,500.00"  # 3 x 40,500
    bad = json.dumps(
        {
            "version": 1,
            "rules": [
                {"field": "vendor", "pattern": "Bistro", "pool": "Other"},
                {"field": "colour", "pattern": "x", "pool": "Kitchen"},
                {"pool": "Other"},
            ],
        }
    ).encode()
    at = upload_rules(at, "bad.json", bad)
    assert not at.exception
    assert "was not used; the rules you had stay" in at.error[0].value
    issues = table_with(at, "Severity")
    # rule 1 is right; rule 2 has a bad field and pool, rule 3 no field, no
    # pattern: four problems, each named by rule and key (the dot shown escaped)
    assert issues["Where"].tolist() == [
        'bad\\.json, rule 2, "field"',
        'bad\\.json, rule 2, "pool"',
        'bad\\.json, rule 3, "field"',
        'bad\\.json, rule 3, "pattern"',
    ]
    assert all("write" in message for message in issues["Problem and what to do"])
    # the Microsoft rule still maps, and the report stays through a rerun
    assert metric(at, "Mapped") == "$121,500.00"
    at.run()
    assert "was not used" in at.error[0].value

    good = save_rules([Rule("vendor", "bistro", "Other")])
    at = upload_rules(at, "good.json", good)
    assert not at.exception
    assert "1 rule loaded from" in at.success[0].value
    assert metric(at, "Mapped") == "$450.00"  # the Bistro rule only: 3 x 150


GL_SPELLINGS = (
    b"Date,Account,Cost centre,Vendor,Description,Amount\n"
    b"2026-10-05,6400,it 100,DELL,New LAPTOP order,1000.00\n"
    b"2026-11-05,6400,IT100,Dell,laptop dock,500.00\n"
    b"2026-10-09,6320,IT100,ServiceNow,ITSM subscription,7200.00\n"
    b"2026-11-09,6320,IT100,ServiceNow,ITSM subscription,7200.00\n"
    b"2026-11-21,7400,CC9,Bistro,Team lunch,150.00\n"
)
SPELLING_RULES = [
    Rule("vendor", "dell", "Desktop support"),
    Rule("description", "itsm", "Support tools", Behaviour.PER_USER),
    Rule("cost_centre", "cc9", "Other"),
]


def test_the_app_and_the_cli_make_the_same_lines(tmp_path, capsys):
    from cpsu.cli import main

    at = cost_base_page(new_app())
    upload(at, "gl.csv", GL_SPELLINGS, "text/csv")
    assert "is a GL export" in at.info[0].value
    for rule in SPELLING_RULES:
        at = add_rule(at, rule.field, rule.pattern, rule.pool, rule.behaviour)
    # the preview names each line as the lines will be named
    assert table_with(at, "Line")["Line"].tolist() == [
        "DELL",
        "ITSM",
        "Cost centre CC9",
    ]
    next(b for b in at.button if b.label.startswith("Use the 3")).click().run()
    assert not at.exception
    shown = table_with(at, "item")
    app_lines = [
        (row.item, row.cost_pool, row.behaviour, round(row.monthly, 2))
        for row in shown.itertuples()
    ]

    export, rules = tmp_path / "gl.csv", tmp_path / "rules.json"
    export.write_bytes(GL_SPELLINGS)
    rules.write_bytes(save_rules(SPELLING_RULES))
    assert main(["check", str(export), "--mapping", str(rules), "--json"]) == 0
    cli_lines = [
        (line["item"], line["pool"], line["behaviour"], round(line["monthly"], 2))
        for line in json.loads(capsys.readouterr().out)["lines"]
    ]
    # over two months (Oct, Nov): DELL (1,000 + 500) / 2 = 750; ITSM 2 x 7,200 / 2
    # = 7,200 (per user, so 7,200 at the baseline's users); CC9 150 / 2 = 75
    assert cli_lines == [
        ("DELL", "Desktop support", "Fixed", 750.0),
        ("ITSM", "Support tools", "Per user", 7200.0),
        ("Cost centre CC9", "Other", "Fixed", 75.0),
    ]
    assert app_lines == cli_lines


def sheet_picker(at: AppTest):
    found = [s for s in at.selectbox if s.key == "cost_base.sheet"]
    return found[0] if found else None


def test_the_sheet_picker_offers_cost_tables_first_and_marks_hidden_ones():
    at = cost_base_page(new_app())
    upload(at, "budgets.xlsx", several_budgets())
    assert not at.exception
    picker = sheet_picker(at)
    # no Headcount, Service desk or Assumptions: they are not cost lines
    assert picker.options == [
        "FY27 budget",
        "FY26 budget",
        "Draft FY28 (hidden)",
        "Notes (no cost lines recognised)",
    ]
    assert picker.value == "FY27 budget"
    assert metric(at, "Monthly run-rate") == "$2,200.00"  # 1,000 + 1,200
    heading = next(h.value for h in at.header if "What was understood" in h.value)
    assert heading.endswith("budgets\\.xlsx, sheet FY27 budget")
    assert "come from the sheet FY27 budget" in " ".join(c.value for c in at.caption)


def test_the_picked_sheet_stays_through_a_page_switch_and_can_still_change():
    at = cost_base_page(new_app())
    upload(at, "budgets.xlsx", several_budgets())
    sheet_picker(at).set_value("FY26 budget").run()
    assert metric(at, "Monthly run-rate") == "$3,300.00"  # 1,000 + 2,000 + 300

    at = scenarios_page(at)
    assert "sheet FY26 budget" in at.caption[0].value
    at = cost_base_page(at)
    assert not at.exception
    assert sheet_picker(at).value == "FY26 budget"
    assert metric(at, "Monthly run-rate") == "$3,300.00"

    # the uploader has forgotten the file, and another sheet can still be read
    sheet_picker(at).set_value("Draft FY28").run()
    assert not at.exception
    assert metric(at, "Monthly run-rate") == "$5,000.00"
    heading = next(h.value for h in at.header if "What was understood" in h.value)
    assert heading.endswith("sheet Draft FY28")


def test_a_sheet_without_cost_lines_is_refused_and_the_cost_base_stays():
    at = cost_base_page(new_app())
    upload(at, "budgets.xlsx", several_budgets())
    sheet_picker(at).set_value("Notes").run()
    assert not at.exception
    assert "was not used" in at.error[0].value
    captions = " ".join(c.value for c in at.caption)
    assert "The sheet Notes could not be used" in captions
    assert "still those of budgets\\.xlsx, sheet FY27 budget" in captions
    assert metric(at, "Monthly run-rate") == "$2,200.00"
    at = cost_base_page(scenarios_page(at))
    assert sheet_picker(at).value == "Notes"
    assert metric(at, "Monthly run-rate") == "$2,200.00"


def test_a_workbook_with_one_cost_sheet_has_no_picker():
    at = cost_base_page(new_app())
    upload(at, "sample.xlsx", SAMPLE.read_bytes())
    assert not at.exception
    assert sheet_picker(at) is None
    at.button(key="cost_base.restore").click().run()
    upload(at, "budgets.xlsx", several_budgets())
    assert sheet_picker(at) is not None
    # back to the sample: no workbook, no picker
    at.button(key="cost_base.restore").click().run()
    assert sheet_picker(at) is None


def test_an_empty_rules_file_keeps_the_rules():
    at = cost_base_page(new_app())
    upload(at, "gl.xlsx", gl_export_bytes())
    at = add_rule(at, "vendor", "Microsoft", "Productivity software", "Per user")
    at = upload_rules(at, "empty.json", save_rules([]))
    assert not at.exception
    assert "holds no rules, so the rules you had stay" in at.warning[0].value
    assert metric(at, "Mapped") == "$121,500.00"  # 3 x 40,500, as before


def test_a_rules_file_with_a_misspelt_key_is_used_and_the_key_named():
    at = cost_base_page(new_app())
    upload(at, "gl.xlsx", gl_export_bytes())
    data = json.dumps(
        {
            "version": 1,
            "rules": [
                {
                    "field": "vendor",
                    "pattern": "Bistro",
                    "pool": "Other",
                    "line_nme": "Lunches",
                }
            ],
        }
    ).encode()
    at = upload_rules(at, "typo.json", data)
    assert not at.exception
    assert "1 rule loaded from" in at.success[0].value
    assert "each key below was ignored" in at.warning[-1].value
    issues = table_with(at, "Severity")
    assert issues["Where"].tolist() == ['typo\\.json, rule 1, "line\\_nme"']
    assert 'did you mean "line\\_name"?' in issues["Problem and what to do"][0]
    assert metric(at, "Mapped") == "$450.00"  # the Bistro rule: 3 x 150


# --- choices the file cannot make, and progress -------------------------------


def ambiguous_roster() -> bytes:
    """A roster whose text dates never show their order. Day first: E2 joins
    on 5 March 2026 and leaves on 4 April 2026. Month first: E2 joins on 3 May
    2026 and would leave on 4 April 2026, before joining."""
    return (
        b"Employee ID,Worker type,Start date,End date\r\n"
        b"E1,Employee,2024-01-10,\r\n"
        b"E2,Employee,05/03/2026,04/04/2026\r\n"
        b"C1,Contractor,2025-06-01,\r\n"
    )


def radio(at: AppTest, key: str):
    return at.radio(key=key)


def test_a_file_refused_for_its_dates_is_read_again_by_the_chosen_order():
    at = cost_base_page(new_app())
    before = metric(at, "Supported users")
    upload(at, "people.csv", ambiguous_roster(), "text/csv")
    assert not at.exception
    assert "was not used" in at.error[0].value
    dates = radio(at, "cost_base.dates")
    assert dates.label == "Dates in this file are"
    assert dates.options == ["day first (31/01)", "month first (01/31)"]
    assert dates.value is None

    dates.set_value(True)
    at.run()
    assert not at.exception
    assert "is an HR roster" in at.success[0].value
    # on 2026-12-31 (the sample's baseline quarter): E1 and C1; E2 left on 4
    # April: 2 supported users
    assert metric(at, "Supported users") == "2"
    messages = table_with(at, "Severity")["Problem and what to do"].tolist()
    assert any("read day first, as you chose" in m for m in messages)

    # the choice stays through a rerun and a visit to Scenarios
    at.run()
    at = cost_base_page(scenarios_page(at))
    assert radio(at, "cost_base.dates").value is True
    assert metric(at, "Supported users") == "2"

    # month first, E2 would leave before joining: refused, and the headcount
    # read day first stays
    radio(at, "cost_base.dates").set_value(False)
    at.run()
    assert not at.exception
    assert "was not used" in at.error[0].value
    assert metric(at, "Supported users") == "2"
    assert before != "2"  # the sample's own headcount was replaced
    assert radio(at, "cost_base.dates").value is False


def test_a_cost_list_without_its_period_is_read_by_the_chosen_one():
    at = cost_base_page(new_app())
    budget = b"Item,Cost\r\nLaptops,1200.00\r\nLicences,600.00\r\n"
    upload(at, "budget.csv", budget, "text/csv")
    assert "was not used" in at.error[0].value
    period = radio(at, "cost_base.period")
    assert period.label == "The amounts in this list are"
    assert period.options == ["Monthly", "Quarterly", "Annual"]
    period.set_value(Period.YEAR)
    at.run()
    assert not at.exception
    # 1,200 / 12 + 600 / 12 = 150 a month
    assert metric(at, "Cost lines") == "2"
    assert metric(at, "Monthly run-rate") == "$150.00"
    messages = table_with(at, "Severity")["Problem and what to do"].tolist()
    assert any("read as a year's cost, as you chose" in m for m in messages)
    radio(at, "cost_base.period").set_value(Period.QUARTER)
    at.run()
    assert metric(at, "Monthly run-rate") == "$600.00"  # 1,200 / 3 + 600 / 3


def test_a_gl_export_read_shows_a_finished_progress_bar():
    at = cost_base_page(new_app())
    upload(at, "gl.xlsx", gl_export_bytes())
    assert not at.exception
    (status,) = at.status
    # three months of three postings each
    assert status.label == "Read 9 postings from sheet GL detail"
    assert status.state == "complete"
    (bar,) = at.progress
    assert (bar.value, bar.text) == (100, "Read 9 postings from sheet GL detail")
    assert not at.get("radio")  # nothing to choose: its dates are ISO
    # a rerun reads nothing again, and still says what was read
    at.run()
    assert not at.status and not at.progress
    assert "Read 9 postings from sheet GL detail" in [c.value for c in at.caption]


def test_the_scenario_workbook_is_built_from_the_sliders_at_the_click():
    at = new_app()
    at.slider(key="scenarios.growth").set_value(0.20).run()
    assert at.get("download_button")[0].proto.label == "Download scenario workbook"
    at.slider(key="scenarios.horizon").set_value(6).run()

    # the button's file is built when clicked, from the scenario shown then
    data = at.session_state["scenarios.download.live_file"]()
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assumptions = {
        row[0]: row[1]
        for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert assumptions["Growth per quarter"] == pytest.approx(0.20)
    assert assumptions["Horizon quarters"] == 6
    # The library's other scenarios stand beside it, as the page had them.
    scenarios = {r[0]: r[1:] for r in workbook["Scenarios"].iter_rows(values_only=True)}
    assert scenarios["Assumption or result"] == ("Base", "Conservative", "Aggressive")
    # The Projection's formulas hold no results until a spreadsheet opens the
    # file; the Checks sheet holds the app's own numbers beside them.
    rows = {row[0].value: row for row in workbook["Checks"].iter_rows() if row[0].value}
    cpsu = [cell.value for cell in rows["CPSU: app"][1:] if cell.value is not None]
    assert f"${cpsu[-1]:,.2f}" == metric(at, "CPSU 2028-Q2")
