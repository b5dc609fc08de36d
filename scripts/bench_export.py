"""Time the scenario workbook download against a bare openpyxl write of as many cells.

Reads sample_data/sample_company.xlsx as an upload is read and sets the
horizon to 40 quarters. For the sample company and for a cost base of 5,000
lines (the sample's lines repeated under new names), times in this one
process, taking turns run by run so that a busy machine slows both alike:

- `scenario_workbook`, the file the Download button builds: the inputs, the
  projection as live formulas, the Summary chart, the Scenarios sheet (with
  Conservative and Aggressive beside the scenario, as the app shows them)
  and the Checks, saved to bytes;
- the baseline: a bare openpyxl workbook with the same sheets, holding a
  plain value in each cell that ours fills (a number where ours has a
  formula, the same text or number elsewhere), saved to bytes.

Prints the best time of each and the ratio; the goal is at most 3x (see the
README's Performance section for why a ratio, and what it costs).

    .venv/bin/python scripts/bench_export.py [--lines 5000] [--runs 3]
        [--sample-runs 20]
"""

from __future__ import annotations

import argparse
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl

from cpsu.ingest import read_upload
from cpsu.projection import project
from cpsu.saved import aggressive, conservative
from cpsu.scenario import Workspace
from cpsu.workbook import scenario_workbook

try:
    from bench_common import Goal, best_of_each
    from bench_rerun import many_lines
except ImportError:  # imported as scripts.bench_export, as the tests do
    from scripts.bench_common import Goal, best_of_each
    from scripts.bench_rerun import many_lines

SAMPLE = Path(__file__).parent.parent / "sample_data" / "sample_company.xlsx"
QUARTERS = 40
RATIO_GOAL = 3.0
SECONDS_GOAL = 2.0  # what an analyst waits for a download without a second thought

# One sheet of a written workbook: its title and its filled cells
# (row, column, a plain value standing for the cell's content).
Layout = list[tuple[str, list[tuple[int, int, Any]]]]


def sample_workspace(quarters: int = QUARTERS) -> Workspace:
    """The sample company as an upload reads it, its horizon `quarters`."""
    upload = read_upload(SAMPLE.read_bytes(), SAMPLE.name)
    assert upload.cost_base and upload.headcount and upload.scenario
    return Workspace(
        cost_base=upload.cost_base,
        headcount=upload.headcount,
        scenario=replace(upload.scenario, horizon_quarters=quarters),
        source=SAMPLE.name,
    )


def download(workspace: Workspace):
    """How the Download button builds the workbook: the scenario, projected,
    with the other starting scenarios beside it."""
    scenario = workspace.scenario
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    others = [
        (other, project(workspace.cost_base, workspace.headcount, other))
        for other in (conservative(scenario), aggressive(scenario))
    ]
    return lambda: scenario_workbook(workspace, scenario, projection, others=others)


def layout_of(data: bytes) -> Layout:
    """Each sheet of a workbook and a plain value for each cell it fills."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    layout: Layout = []
    for sheet in book.worksheets:
        cells = []
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                if cell.data_type == "f" or not isinstance(value, str | int | float):
                    value = 1234.5  # a formula's result, a date: a number
                cells.append((cell.row, cell.column, value))
        layout.append((sheet.title, cells))
    return layout


def bare_workbook(layout: Layout) -> bytes:
    """The baseline: the layout's cells written by openpyxl and saved to bytes."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, cells in layout:
        sheet = book.create_sheet(title)
        for row, column, value in cells:
            sheet.cell(row=row, column=column, value=value)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def cell_count(layout: Layout) -> int:
    return sum(len(cells) for _, cells in layout)


def measure(
    lines: int = 5000, runs: int = 3, quarters: int = QUARTERS, sample_runs: int = 20
) -> list[Goal]:
    """Time the download for the sample and for `lines` lines; print the details
    and return one goal for each, and the largest's time goal.

    The sample's file takes a tenth of a second: it gets `sample_runs` runs, so
    that its best time is not one a busy machine slowed.
    """
    sample = sample_workspace(quarters)
    cases = {
        "sample company": (sample, sample_runs),
        f"{lines:,} lines": (
            replace(sample, cost_base=many_lines(sample.cost_base, lines)),
            runs,
        ),
    }
    goals = []
    print(
        f"Scenario workbook download, {quarters} quarters, best of {sample_runs} "
        f"runs (sample) and of {runs} ({lines:,} lines)"
    )
    for name, (workspace, case_runs) in cases.items():
        ours = download(workspace)
        data = ours()
        layout = layout_of(data)
        best = best_of_each(
            case_runs,
            {"ours": ours, "bare": lambda layout=layout: bare_workbook(layout)},
        )
        print(
            f"  {name:<16}{cell_count(layout):>9,} cells, {len(data) / 1e6:5.1f} MB"
            f"   scenario_workbook {best['ours']:7.3f} s   "
            f"bare openpyxl {best['bare']:7.3f} s   {best['ours'] / best['bare']:.2f}x"
        )
        goals.append(
            Goal(
                goal=f"export <= {RATIO_GOAL:g}x",
                measured=f"workbook download, {name}, {quarters} q",
                seconds=best["ours"],
                baseline=f"bare openpyxl write, {cell_count(layout):,} cells",
                baseline_seconds=best["bare"],
                limit=RATIO_GOAL,
            )
        )
    goals.append(
        replace(
            goals[-1],
            goal=f"download < {SECONDS_GOAL:g} s",
            limit=None,
            limit_seconds=SECONDS_GOAL,
        )
    )
    print(f"  goal: at most {RATIO_GOAL:g}x, and the largest under {SECONDS_GOAL:g} s")
    return goals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quarters", type=int, default=QUARTERS)
    parser.add_argument("--sample-runs", type=int, default=20)
    args = parser.parse_args()
    measure(args.lines, args.runs, args.quarters, args.sample_runs)


if __name__ == "__main__":
    main()
