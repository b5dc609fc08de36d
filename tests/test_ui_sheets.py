"""The sheet picker's choices: cost tables first, the reader's at the top,
hidden sheets marked, never Headcount, Service desk or Assumptions."""

from __future__ import annotations

import io

import openpyxl
import pytest

from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.ingest import read_upload
from cpsu.scenario import Headcount, HeadcountRow, Scenario, Workspace
from cpsu.ui.sheets import cost_sheet_choices, sheet_label
from cpsu.workbook import input_workbook


def canonical(*amounts: float) -> openpyxl.Workbook:
    """The canonical workbook: one Fixed line in pool Other per amount, and
    200 employees in 2026-Q4."""
    workspace = Workspace(
        cost_base=CostBase(
            tuple(
                CostLine(f"Line {n}", "Other", Behaviour.FIXED, amount=amount)
                for n, amount in enumerate(amounts, start=1)
            )
        ),
        headcount=Headcount((HeadcountRow("2026-Q4", 200, 0),)),
        scenario=Scenario(),
        source="test",
    )
    return openpyxl.load_workbook(io.BytesIO(input_workbook(workspace)))


def add_costs(book: openpyxl.Workbook, title: str, amounts, hidden=False) -> None:
    sheet = book.create_sheet(title)
    sheet.append(["Item", "Pool", "Behaviour", "Amount"])
    for n, amount in enumerate(amounts, start=1):
        sheet.append([f"{title} line {n}", "Other", "Fixed", amount])
    if hidden:
        sheet.sheet_state = "hidden"


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def several_budgets() -> bytes:
    """FY27 budget (2 lines, 2,200 a month), Headcount, Service desk and
    Assumptions, FY26 budget (3 lines, 3,300), a hidden Draft FY28 (one line,
    5,000) and a Notes sheet whose table holds no cost lines."""
    book = canonical(1000, 1200)
    book["Costs"].title = "FY27 budget"
    add_costs(book, "FY26 budget", [1000, 2000, 300])
    add_costs(book, "Draft FY28", [5000], hidden=True)
    notes = book.create_sheet("Notes")
    notes.append(["Topic", "Status"])
    notes.append(["Renewals", "Open"])
    notes.append(["Laptops", "Done"])
    return saved(book)


def test_cost_tables_come_first_and_other_inputs_are_not_offered():
    sheets = read_upload(several_budgets(), "budgets.xlsx").sheets
    assert [s.name for s in sheets] == [
        "FY27 budget",
        "Headcount",
        "Service desk",
        "Assumptions",
        "FY26 budget",
        "Draft FY28",
        "Notes",
    ]
    upload = read_upload(several_budgets(), "budgets.xlsx")
    assert upload.cost_sheet == "FY27 budget"
    offered = cost_sheet_choices(sheets, upload.cost_sheet)
    assert [sheet_label(s) for s in offered] == [
        "FY27 budget",
        "FY26 budget",
        "Draft FY28 (hidden)",
        "Notes (no cost lines recognised)",
    ]
    # the reader's sheet comes first whatever it is
    offered = cost_sheet_choices(sheets, "Draft FY28")
    assert [s.name for s in offered][:2] == ["Draft FY28", "FY27 budget"]


def test_the_canonical_workbook_offers_one_sheet_so_no_picker():
    upload = read_upload(saved(canonical(100)), "canonical.xlsx")
    assert upload.cost_sheet == "Costs"
    offered = cost_sheet_choices(upload.sheets, upload.cost_sheet)
    assert [s.name for s in offered] == ["Costs"]


def workbook(*sheets: tuple[str, str, bool]) -> bytes:
    """A workbook of cost-list sheets (title, first item, hidden), each one
    line of 100 in pool Other, or a Notes table where the item is 'notes'."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, item, hidden in sheets:
        if item == "notes":
            sheet = book.create_sheet(title)
            sheet.append(["Topic", "Status"])
            sheet.append(["Renewals", "Open"])
            sheet.sheet_state = "hidden" if hidden else "visible"
            continue
        add_costs(book, title, [100], hidden=hidden)
    return saved(book)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        # a sheet named Costs wins wherever it is, a visible one over a hidden one
        (workbook(("FY26", "", False), ("Costs", "", False)), "b.xlsx", "Costs"),
        (workbook(("Costs", "", True), ("FY27", "", False)), "b.xlsx", "Costs"),
        (workbook(("costs ", "", True), ("COSTS", "", False)), "b.xlsx", "COSTS"),
        # else the first visible cost table
        (
            workbook(("Draft", "", True), ("FY27", "", False), ("FY26", "", False)),
            "b.xlsx",
            "FY27",
        ),
        # a CSV is its own sheet, by its file name
        (b"Item,Amount (monthly)\nLaptops,100\n", "my costs.csv", "my costs.csv"),
        # an HTML page's cost table, after one that is not
        (
            b"<table><tr><td>Topic</td><td>Status</td></tr>"
            b"<tr><td>Renewals</td><td>Open</td></tr></table>"
            b"<table><tr><td>Item</td><td>Monthly cost</td></tr>"
            b"<tr><td>Laptops</td><td>100</td></tr></table>",
            "budget.xls",
            "Table 2",
        ),
        # no cost table at all: no sheet was read as cost lines
        (workbook(("Notes", "notes", False)), "b.xlsx", None),
    ],
)
def test_the_upload_names_the_sheet_read_as_cost_lines(data, name, expected):
    assert read_upload(data, name).cost_sheet == expected


def test_the_sheet_read_as_cost_lines_is_the_one_in_use():
    """Read with no sheet picked and with Upload.cost_sheet picked: the same
    cost lines, so the picker's default is the sheet really in use."""
    named_later = canonical(10)
    named_later.move_sheet("Costs", offset=3)
    add_costs(named_later, "FY26", [7])
    named_later.move_sheet("FY26", offset=-named_later.index(named_later["FY26"]))
    hidden_named = canonical(10)
    hidden_named["Costs"].sheet_state = "hidden"
    add_costs(hidden_named, "FY27", [20])
    hidden_first = canonical(10)
    hidden_first["Costs"].title = "Draft"
    hidden_first["Draft"].sheet_state = "hidden"
    add_costs(hidden_first, "FY27", [20, 30])
    for data, expected in (
        (several_budgets(), "FY27 budget"),
        (saved(named_later), "Costs"),
        # the hidden Costs sheet is read (with a warning), not the visible FY27
        (saved(hidden_named), "Costs"),
        (saved(hidden_first), "FY27"),
    ):
        by_reader = read_upload(data, "book.xlsx")
        assert by_reader.cost_sheet == expected
        picked = read_upload(data, "book.xlsx", sheet=by_reader.cost_sheet)
        assert picked.cost_sheet == expected
        assert by_reader.cost_base is not None
        assert picked.cost_base == by_reader.cost_base


def test_a_scenario_workbook_offers_its_costs_sheet_alone():
    # Line changes, Line costs and Sources hold item columns too, but are the
    # scenario workbook's own sheets, never a cost base to read.
    from cpsu.line_changes import stop_line
    from cpsu.projection import project
    from cpsu.workbook import scenario_workbook

    line = CostLine("Line 1", "Other", Behaviour.FIXED, amount=10.0, notes="a note")
    cost_base = CostBase((line,))
    scenario = Scenario(changes=(stop_line(cost_base, "Line 1", 1),))
    workspace = Workspace(
        cost_base, Headcount((HeadcountRow("2026-Q4", 200, 0),)), scenario, "test"
    )
    projection = project(cost_base, workspace.headcount, scenario)
    upload = read_upload(
        scenario_workbook(workspace, scenario, projection), "scenario.xlsx"
    )

    assert {"Line changes", "Line costs", "Sources"} <= {s.name for s in upload.sheets}
    offered = cost_sheet_choices(upload.sheets, upload.cost_sheet)
    assert [info.name for info in offered] == ["Costs"]
