"""The scenario workbook's streamed sheets are the ones openpyxl's cells made.

The Line costs sheet's rows are written as XML when the file is saved, and
the Costs sheet's input cells take a style from the cell styled as they are
before them: both to make a large download fast. Each is checked here
against the way it was written before, kept in this file as the reference:
a cell object for every Line costs cell, ``cell.font = INPUT_FONT`` on every
input. The two files must read back through openpyxl alike cell for cell
(value or formula, type, number format, font) and be the same bytes. The
cases are the sample over 40 quarters (as the Download button builds it),
the sample with line changes and every lever, and Hypothesis's cost bases of
a few hundred lines with line changes. LibreOffice then recalculates a
streamed workbook of 300 lines with changes to the model's figures.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import replace
from zipfile import ZipFile

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from cpsu.costs import POOLS, Behaviour, CostBase, Period, Tier
from cpsu.line_changes import new_price, per_ticket_contract, stop_line
from cpsu.projection import project
from cpsu.saved import aggressive, conservative
from cpsu.scenario import Scenario, Workspace
from cpsu.workbook import (
    COST_COLUMNS,
    COSTS_SHEET,
    COUNT,
    INPUT_FONT,
    LINE_COST_COLUMNS,
    LINE_COSTS_SHEET,
    MONEY,
    _cost_value,
    _fit_columns,
    _line_formulas,
    _line_quarter_formulas,
    _new_sheet,
    _put,
    _scenario_book,
    _stamp,
    _to_bytes,
    _validate_list,
    _workbook,
    _write_costs,
    _write_header,
    line_version_rows,
    scenario_workbook,
)
from sample_data.build import sample_workspace
from tests import scenario_strategies as strategies
from tests.test_workbook_round_trip import plans, with_plan

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def write_line_costs_as_cells(ws, versions, labels) -> None:
    """The reference: the Line costs rows as the writer made them before,
    a cell object for each cell."""
    first = len(LINE_COST_COLUMNS) + 1
    count = len(labels)
    unit_letters = [get_column_letter(first + count + q) for q in range(count)]
    for row, version in enumerate(versions, start=2):
        formulas = _line_formulas(version, row)
        formulas["source"] = f"{version.sheet} row {version.row}"
        for index, column in enumerate(LINE_COST_COLUMNS, start=1):
            value = formulas[column.field]
            cell = ws.cell(row=row, column=index)
            if column.field == "source":
                _put(ws, row, index, value, None)
                continue
            if value.startswith("="):
                cell.value = value
            elif value:
                cell.value = int(value)
            if column.number_format:
                cell.number_format = column.number_format
        for quarter in range(count):
            cost, bought = _line_quarter_formulas(row, quarter, unit_letters[quarter])
            cell = ws.cell(row=row, column=first + quarter, value=cost)
            cell.number_format = MONEY
            cell = ws.cell(row=row, column=first + count + quarter, value=bought)
            cell.number_format = COUNT


def both_ways(
    workspace: Workspace, scenario: Scenario, with_others: bool = False
) -> tuple[bytes, bytes]:
    """The scenario workbook as the app writes it (streamed), and the same
    book with its Line costs rows written as cells (the reference)."""
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    others = []
    if with_others:
        others = [
            (other, project(workspace.cost_base, workspace.headcount, other))
            for other in (conservative(scenario), aggressive(scenario))
        ]
    streamed = scenario_workbook(workspace, scenario, projection, others)

    wb, stamp, _ = _scenario_book(workspace, scenario, projection, others)
    labels = list(projection.quarters)
    versions = line_version_rows(workspace.cost_base, scenario.changes, len(labels))
    write_line_costs_as_cells(wb[LINE_COSTS_SHEET], versions, labels)
    return streamed, _to_bytes(wb, stamp)


def cells(data: bytes, title: str) -> list[tuple]:
    """Every cell of a sheet as openpyxl reads it back: where, value (a
    formula's text), type, number format, font colour and boldness, quote
    prefix."""
    sheet = openpyxl.load_workbook(io.BytesIO(data))[title]
    return [
        (
            cell.coordinate,
            cell.value,
            cell.data_type,
            cell.number_format,
            cell.font.color.rgb if cell.font.color is not None else None,
            cell.font.b,
            cell.quotePrefix,
        )
        for row in sheet.iter_rows()
        for cell in row
    ]


def sheet_layout(data: bytes, title: str) -> dict:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[title]
    return {
        "extent": sheet.dimensions,
        "freeze": sheet.freeze_panes,
        "widths": {
            letter: dimension.width
            for letter, dimension in sheet.column_dimensions.items()
        },
        "print titles": (sheet.print_title_rows, sheet.print_title_cols),
        "landscape": sheet.page_setup.orientation,
    }


def first_differences(ours: list, reference: list) -> tuple[list, int]:
    """The first few items that differ, and how many more items ours has
    (a short message where a whole sheet would take minutes to diff)."""
    wrong = [
        (mine, theirs)
        for mine, theirs in zip(ours, reference, strict=False)
        if mine != theirs
    ]
    return wrong[:5], len(ours) - len(reference)


def assert_same_files(streamed: bytes, as_cells: bytes) -> None:
    """Alike cell for cell on the Line costs sheet, every part the same, and
    the same bytes."""
    assert first_differences(
        cells(streamed, LINE_COSTS_SHEET), cells(as_cells, LINE_COSTS_SHEET)
    ) == ([], 0)
    assert sheet_layout(streamed, LINE_COSTS_SHEET) == sheet_layout(
        as_cells, LINE_COSTS_SHEET
    )
    with ZipFile(io.BytesIO(streamed)) as ours, ZipFile(io.BytesIO(as_cells)) as ref:
        assert ours.namelist() == ref.namelist()
        differing = [
            (name, first_differences(ours.read(name), ref.read(name)))
            for name in ref.namelist()
            if ours.read(name) != ref.read(name)
        ]
        assert differing == []
    same_bytes = streamed == as_cells
    assert same_bytes


def test_the_sample_download_is_the_workbook_cells_made() -> None:
    sample = sample_workspace()
    scenario = replace(sample.scenario, horizon_quarters=40)
    workspace = replace(sample, scenario=scenario)
    streamed, as_cells = both_ways(workspace, scenario, with_others=True)

    sheet = openpyxl.load_workbook(io.BytesIO(streamed))[LINE_COSTS_SHEET]
    # A row per line (no changes), 14 columns of its own and a cost and a
    # units column for each of 41 quarters: 14 + 2 * 41 = 96 columns (CR).
    assert sheet.max_row == len(sample.cost_base) + 1
    assert sheet.dimensions == f"A1:CR{len(sample.cost_base) + 1}"
    assert_same_files(streamed, as_cells)


def test_the_sample_with_line_changes_is_the_workbook_cells_made() -> None:
    sample = sample_workspace()
    lines = sample.cost_base.lines
    staffed = next(line for line in lines if line.behaviour is Behaviour.STAFFED)
    scenario = replace(
        sample.scenario,
        horizon_quarters=12,
        changes=(
            new_price(sample.cost_base, lines[0].item, 3, 30.0),
            per_ticket_contract(sample.cost_base, staffed.item, 5, 12.0),
            stop_line(sample.cost_base, lines[-1].item, 2),
            new_price(sample.cost_base, lines[0].item, 7, 31.0),
        ),
    )
    streamed, as_cells = both_ways(sample, scenario)

    rows = cells(streamed, LINE_COSTS_SHEET)
    by_place = {coordinate: value for coordinate, value, *_ in rows}
    versions = len(sample.cost_base) + 3  # two new prices and a contract
    # The first line's first new price starts from quarter 3, as the first
    # Line changes row says, and the second ends it.
    assert by_place[f"F{len(sample.cost_base) + 2}"] == "='Line changes'!$B$2"
    assert by_place["G2"] == "='Line changes'!$B$2"
    assert by_place[f"E{versions + 1}"] == "Line changes row 5"
    assert_same_files(streamed, as_cells)


def test_an_empty_cost_base_writes_a_header_only() -> None:
    sample = sample_workspace()
    workspace = replace(sample, cost_base=CostBase(()))
    streamed, as_cells = both_ways(workspace, sample.scenario)

    sheet = openpyxl.load_workbook(io.BytesIO(streamed))[LINE_COSTS_SHEET]
    assert sheet.max_row == 1
    assert_same_files(streamed, as_cells)


def repeated(lines, copies: int) -> CostBase:
    """The lines `copies` times over, each copy under numbered names."""
    return CostBase(
        tuple(
            replace(line, item=f"{line.item} #{copy}")
            for copy in range(copies)
            for line in lines
        )
    )


# A failing example is hundreds of lines: shrinking it would take many
# minutes, so a failure is shown as found.
NO_SHRINKING = (Phase.explicit, Phase.reuse, Phase.generate)


@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    phases=NO_SHRINKING,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    lines=st.lists(strategies.cost_lines(), min_size=1, max_size=8),
    copies=st.integers(1, 60),
    changes=st.lists(strategies.line_changes, max_size=8),
    horizon=st.integers(1, 12),
    plan=plans,
    data=st.data(),
)
def test_drawn_cost_bases_are_the_workbook_cells_made(
    lines, copies, changes, horizon, plan, data
) -> None:
    cost_base = repeated(lines, copies)
    # Most changes name a line of the cost base, so they end its version.
    changes = tuple(
        replace(change, item=data.draw(st.sampled_from(cost_base.lines)).item)
        if number % 3
        else change
        for number, change in enumerate(changes)
    )
    scenario = Scenario(name="Drawn", horizon_quarters=horizon, growth_per_quarter=0.02)
    scenario = replace(scenario, changes=changes)
    workspace = Workspace(cost_base, with_plan(plan), scenario)
    try:
        streamed, as_cells = both_ways(workspace, scenario)
    except ValueError:
        return  # no CPSU (a run-rate below zero): nothing to download
    assert_same_files(streamed, as_cells)


def write_costs_as_before(wb, cost_base: CostBase) -> None:
    """The reference Costs sheet: ``cell.font = INPUT_FONT`` on every input."""
    ws = _new_sheet(wb, COSTS_SHEET)
    _write_header(ws, [column.header for column in COST_COLUMNS])
    for row, line in enumerate(cost_base.lines, start=2):
        for index, column in enumerate(COST_COLUMNS, start=1):
            value = _cost_value(line, column.field)
            _put(ws, row, index, value, column.number_format).font = INPUT_FONT
    _validate_list(ws, "Pool", POOLS)
    _validate_list(ws, "Behaviour", [b.value for b in Behaviour])
    _validate_list(ws, "Period", [p.value for p in Period])
    _validate_list(ws, "Tier", [t.value for t in Tier])
    _validate_list(ws, "Renew", ["Yes", "No"])
    _fit_columns(ws)


# Text of every kind, some of it looking like a formula ("=", "+", "-", "@"):
# such text gets a quote prefix, so the cells of one column differ in style.
TEXT = st.text(max_size=12) | st.sampled_from(["=SUM(A1)", "+1", "-x", "@a", ""])


@settings(max_examples=25, derandomize=True, deadline=None, phases=NO_SHRINKING)
@given(
    lines=st.lists(strategies.cost_lines(), min_size=1, max_size=12),
    vendors=st.lists(TEXT, min_size=1, max_size=12),
)
def test_the_costs_sheet_is_styled_as_before(lines, vendors) -> None:
    lines = [
        replace(line, vendor=vendors[index % len(vendors)], notes=vendors[-1])
        for index, line in enumerate(lines)
    ]
    cost_base = CostBase(tuple(lines))
    stamp = _stamp(sample_workspace().headcount)
    files = []
    for write in (_write_costs, write_costs_as_before):
        wb = _workbook("Costs", stamp)
        write(wb, cost_base)
        files.append(_to_bytes(wb, stamp))

    ours, before = files
    assert first_differences(cells(ours, COSTS_SHEET), cells(before, COSTS_SHEET)) == (
        [],
        0,
    )
    # Every input is blue, the header black and bold.
    read = cells(ours, COSTS_SHEET)
    assert {colour for _, _, _, _, colour, _, _ in read[len(COST_COLUMNS) :]} == {
        "00" + INPUT_FONT.color.rgb[-6:]
    }
    same_bytes = ours == before
    assert same_bytes


@pytest.fixture(scope="module")
def libreoffice() -> str:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is needed to recalculate workbooks")
        pytest.skip("LibreOffice is not installed")
    return SOFFICE


def test_libreoffice_recalculates_a_streamed_workbook_to_the_model(
    libreoffice, tmp_path
) -> None:
    from tests.test_workbook_live import differences, recalculate, values

    sample = sample_workspace()
    cost_base = repeated(sample.cost_base.lines, 11)  # 28 * 11 = 308 lines
    lines = cost_base.lines
    staffed = [line for line in lines if line.behaviour is Behaviour.STAFFED]
    scenario = replace(
        sample.scenario,
        horizon_quarters=8,
        changes=(
            new_price(cost_base, lines[0].item, 2, 30.0),
            new_price(cost_base, lines[100].item, 1, 1_000.0),
            per_ticket_contract(cost_base, staffed[3].item, 3, 12.0),
            stop_line(cost_base, lines[-1].item, 4),
            stop_line(cost_base, lines[200].item, 1),
            new_price(cost_base, lines[0].item, 6, 31.0),
        ),
    )
    workspace = replace(sample, cost_base=cost_base, scenario=scenario)
    projection = project(cost_base, workspace.headcount, scenario)
    written = scenario_workbook(workspace, scenario, projection)

    recalculated = recalculate({"streamed": written}, tmp_path)["streamed"]

    assert differences((workspace, scenario, projection, recalculated)) == []
    sheet = values(recalculated)[LINE_COSTS_SHEET]
    # 308 lines and a version for each change with a new line (three new
    # prices, one contract; a stop only ends a version): 308 + 4 = 312.
    assert len(projection.lines) == 312
    assert sheet.max_row - 1 == 312
    first = len(LINE_COST_COLUMNS) + 1
    for index, line in enumerate(projection.lines):
        row = index + 2
        assert sheet.cell(row=row, column=1).value == line.item
        got = [
            sheet.cell(row=row, column=first + quarter).value
            for quarter in range(len(projection.quarters))
        ]
        assert got == pytest.approx(
            list(projection.line_monthly_cost[index]), abs=0.005
        ), line.item
    checks = {
        row[0]: row[1:]
        for row in values(recalculated)["Checks"].iter_rows(values_only=True)
    }
    assert checks["All within a cent"][0] == "Yes"
