"""Measure every speed goal of the project in one run and print one summary table.

Runs, in this one process and one after another, each benchmark against its
own baseline (each taking turns with its baseline run by run):

- GL import: a seeded 100,000-row export, our read and the app's against a
  bare `pandas.read_excel(engine="calamine")` (scripts/bench_import.py);
- cost-list import: a seeded 100,000-line list of items and amounts, read as
  the app reads an upload, against the same bare read (scripts/bench_import.py);
- slider rerun: the growth slider on the Scenarios and Compare pages, with
  the sample and with 5,000 cost lines, against a minimal page of one slider
  and one chart (scripts/bench_rerun.py);
- workbook export: the scenario workbook of the sample and of 5,000 lines over
  40 quarters against a bare openpyxl write of as many cells
  (scripts/bench_export.py);
- Monte Carlo: 1,000 draws over 40 quarters, against as many bare numpy
  operations of one draw's size (scripts/bench_model.py).

Then prints the machine (CPU model, cores, memory, Python, library versions)
and the table: goal, what is measured, baseline, ratio, goal met. A goal not
met is said in the table, not by the exit status: the run is a measurement.

    .venv/bin/python scripts/bench.py [--small]

`--small` runs every benchmark at a size that takes seconds, to check the
script itself; its figures are not the goals' sizes.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, Path(__file__).resolve().parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import bench_export  # noqa: E402
import bench_import  # noqa: E402
import bench_model  # noqa: E402
import bench_rerun  # noqa: E402
from bench_common import Goal, machine_lines, summary_lines  # noqa: E402

FULL = {
    "import": {"rows": 100_000, "runs": 5},
    "list": {"rows": 100_000, "runs": 3},
    "rerun": {"changes": 20, "lines": 5000},
    "export": {"lines": 5000, "runs": 3},
    "model": {"draws": 1000, "runs": 5},
}
SMALL = {
    "import": {"rows": 300, "runs": 1},
    "list": {"rows": 300, "runs": 1},
    "rerun": {"changes": 2, "lines": 300},
    "export": {"lines": 300, "runs": 1, "sample_runs": 1},
    "model": {"draws": 50, "runs": 1},
}


def run_all(sizes: dict[str, dict[str, int]]) -> list[Goal]:
    """Each benchmark in turn, its details printed as it ends; all their goals."""
    measures = {
        "import": bench_import.measure,
        "list": bench_import.measure_list,
        "rerun": bench_rerun.measure,
        "export": bench_export.measure,
        "model": bench_model.measure,
    }
    goals: list[Goal] = []
    for name, measure in measures.items():
        # What one benchmark left behind should not be collected in another's
        # time.
        gc.collect()
        started = time.perf_counter()
        goals.extend(measure(**sizes[name]))
        print(f"  ({name} benchmark took {time.perf_counter() - started:.0f} s)\n")
    return goals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--small", action="store_true", help="small sizes, to check the script"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    goals = run_all(SMALL if args.small else FULL)
    print("Machine:")
    for line in machine_lines():
        print(f"  {line}")
    print()
    print("Summary (ratio = our time / the baseline's, measured in this run):")
    for line in summary_lines(goals):
        print(f"  {line}")
    missed = [goal for goal in goals if not goal.met]
    print(
        f"\n{len(goals) - len(missed)} of {len(goals)} goals met; "
        f"the run took {time.perf_counter() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
