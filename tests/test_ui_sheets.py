"""The sheet picker's choices: cost tables first, the reader's at the top,
hidden sheets marked, never Headcount, Service desk or Assumptions."""

from __future__ import annotations

import io

import openpyxl
import pytest

from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.ingest import read_upload
from cpsu.ingest.xlsx import SheetInfo
from cpsu.scenario import Headcount, HeadcountRow, Scenario, Workspace
from cpsu.ui.sheets import cost_sheet_choices, reader_cost_sheet, sheet_label
from cpsu.workbook import input_workbook


def info(name: str, kind: str = "costs", hidden: bool = False) -> SheetInfo:
    return SheetInfo(name, hidden, 5, 4, True, kind)


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
    offered = cost_sheet_choices(sheets)
    assert [sheet_label(s) for s in offered] == [
        "FY27 budget",
        "FY26 budget",
        "Draft FY28 (hidden)",
        "Notes (no cost lines recognised)",
    ]
    assert reader_cost_sheet(sheets) == "FY27 budget"


def test_the_canonical_workbook_offers_one_sheet_so_no_picker():
    sheets = read_upload(saved(canonical(100)), "canonical.xlsx").sheets
    assert [s.name for s in cost_sheet_choices(sheets)] == ["Costs"]


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        # a sheet named Costs wins wherever it is, a visible one over a hidden one
        ([info("FY26"), info("Costs")], "Costs"),
        ([info("Costs", hidden=True), info("FY27")], "Costs"),
        ([info("costs ", hidden=True), info("COSTS")], "COSTS"),
        # else the first visible cost table not named for another input
        ([info("Draft", hidden=True), info("FY27"), info("FY26")], "FY27"),
        ([info("Headcount"), info("Summary"), info("FY27")], "FY27"),
        ([info("Notes", kind="unknown"), info("Draft", hidden=True)], None),
    ],
)
def test_the_reader_s_sheet(sheets, expected):
    assert reader_cost_sheet(sheets) == expected


def test_the_reader_s_sheet_is_what_the_reader_reads():
    """Read with no sheet picked and with reader_cost_sheet picked: the same
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
    for data in (
        several_budgets(),
        saved(named_later),
        saved(hidden_named),
        saved(hidden_first),
    ):
        by_reader = read_upload(data, "book.xlsx")
        default = reader_cost_sheet(by_reader.sheets)
        picked = read_upload(data, "book.xlsx", sheet=default)
        assert by_reader.cost_base is not None
        assert picked.cost_base == by_reader.cost_base
    # the hidden Costs sheet is read (with a warning), not the visible FY27
    assert reader_cost_sheet(read_upload(saved(hidden_named), "b.xlsx").sheets) == (
        "Costs"
    )
