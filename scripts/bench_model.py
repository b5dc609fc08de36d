"""Time 1,000 Monte Carlo draws of the sample company over 40 quarters.

Reads sample_data/sample_company.xlsx as an upload is read, then times, in
this one process, taking turns run by run so that a busy machine slows all
alike:

- the draws: the sample's ranges drawn N times (1,000 by default) and each
  set costed over 40 quarters, with its P10/P50/P90 of CPSU per quarter;
- one call of `project()`, the full projection into DataFrames;
- N calls of a bare numpy operation on an array of one draw's size (a
  multiply and a ceiling over lines x quarters), a floor for work of that
  size done one draw at a time.

Prints the best time of each and the ratios; the goal is 1,000 draws in
under a second.

    .venv/bin/python scripts/bench_model.py [--draws 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from cpsu.ingest import read_upload
from cpsu.projection import project
from cpsu.sensitivity import monte_carlo

try:
    from bench_common import Goal, best_of_each
except ImportError:  # imported as scripts.bench_model, as the tests do
    from scripts.bench_common import Goal, best_of_each

SAMPLE = Path(__file__).parent.parent / "sample_data" / "sample_company.xlsx"
QUARTERS = 40
SECONDS_GOAL = 1.0


def measure(draws: int = 1000, runs: int = 5) -> list[Goal]:
    """Time `draws` draws over 40 quarters; print the details and return the goal."""
    upload = read_upload(SAMPLE.read_bytes(), SAMPLE.name)
    cost_base, headcount = upload.cost_base, upload.headcount
    scenario = replace(upload.scenario, horizon_quarters=QUARTERS)
    size = (len(cost_base.lines), QUARTERS + 1)
    rates = np.linspace(1.0, 2.0, size[0] * size[1]).reshape(size)
    users = np.linspace(1000.0, 5000.0, size[1])

    def bare() -> None:
        for _ in range(draws):
            np.ceil(rates * users)

    best = best_of_each(
        runs,
        {
            "draws": lambda: monte_carlo(
                cost_base, headcount, scenario, draws=draws, seed=2026
            ),
            "project": lambda: project(cost_base, headcount, scenario),
            "bare": bare,
        },
    )
    taken, one, floor = best["draws"], best["project"], best["bare"]
    print(
        f"Monte Carlo: sample company, {size[0]} lines, {QUARTERS} quarters, "
        f"best of {runs} runs"
    )
    print(f"  {draws:,} draws{'':<17}{taken:8.3f} s   goal: under {SECONDS_GOAL:g} s")
    print(f"  per draw{'':<22}{1000 * taken / draws:8.3f} ms")
    print(
        f"  one project() call{'':<12}{1000 * one:8.3f} ms   "
        f"the draws cost {taken / one:.2f}x one call"
    )
    print(
        f"  {draws:,} bare numpy operations{'':<2}{floor:8.3f} s   "
        f"the draws cost {taken / floor:.2f}x"
    )
    return [
        Goal(
            f"Monte Carlo < {SECONDS_GOAL:g} s",
            f"{draws:,} draws, {QUARTERS} q",
            taken,
            f"{draws:,} bare numpy ceil(rates * users)",
            floor,
            limit_seconds=SECONDS_GOAL,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    measure(args.draws, args.runs)


if __name__ == "__main__":
    main()
