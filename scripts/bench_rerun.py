"""Time a slider change on the Scenarios and Compare pages against a minimal page.

All are driven by Streamlit's AppTest in this one process, taking turns
change by change so that a busy machine slows both alike:

- the minimal page: one slider and one Altair line chart of a small table,
  the least a page that answers a slider can do;
- the Scenarios and Compare pages of the app, with the sample company, and
  with a cost base of 5,000 lines (the sample's lines repeated under new
  names): the growth slider moved back and forth (on Compare, its first
  tab open: the curves of the three starting scenarios, the differences and
  the funding ask by fiscal year).

Prints the median time of a change of each and the ratios; the goal is at
most 2x the minimal page.

    .venv/bin/python scripts/bench_rerun.py [--changes 20] [--lines 5000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cpsu.costs import CostBase
from cpsu.store import DATA_DIR_VARIABLE
from cpsu.ui import state
from cpsu.ui.sliders import widget_key

try:
    from bench_common import Goal
except ImportError:  # imported as scripts.bench_rerun, as the tests do
    from scripts.bench_common import Goal

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = "app_pages/scenarios.py"
COMPARE = "app_pages/compare.py"
MINIMAL = "minimal page"
RATIO_GOAL = 2.0

MINIMAL_PAGE = """
import altair as alt
import pandas as pd
import streamlit as st

growth = st.slider("Growth", 0.0, 0.3, 0.08, 0.005, key="growth")
table = pd.DataFrame(
    {"quarter": range(9), "cpsu": [100 * (1 - growth) ** t for t in range(9)]}
)
st.altair_chart(
    alt.Chart(table).mark_line().encode(x="quarter:O", y="cpsu:Q"), theme=None
)
"""


def many_lines(cost_base: CostBase, count: int) -> CostBase:
    """`count` lines: the cost base's own, repeated under numbered names."""
    lines = cost_base.lines
    return CostBase(
        tuple(
            replace(
                lines[index % len(lines)],
                item=f"{lines[index % len(lines)].item} #{index}",
            )
            for index in range(count)
        )
    )


def app_page(page: str, lines: int | None) -> tuple[AppTest, str]:
    """The app on a page, with the sample or `lines` cost lines; the key of its
    growth slider."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    if lines is not None:
        workspace = app.session_state[state.WORKSPACE]
        app.session_state[state.WORKSPACE] = replace(
            workspace, cost_base=many_lines(workspace.cost_base, lines)
        )
    app.switch_page(page).run()
    if page == COMPARE:
        return app, widget_key(state.GROWTH, "compare")
    return app, state.GROWTH


def minimal_page(folder: Path) -> tuple[AppTest, str]:
    script = folder / "minimal.py"
    script.write_text(MINIMAL_PAGE)
    return AppTest.from_file(str(script), default_timeout=60).run(), "growth"


def change_once(app: AppTest, key: str, flip: list[int]) -> Callable[[], None]:
    values = (0.08, 0.10)

    def change() -> None:
        flip[0] ^= 1
        app.slider(key=key).set_value(values[flip[0]]).run()
        if app.exception:
            raise RuntimeError(app.exception[0].message)

    return change


def measure(changes: int = 20, lines: int = 5000) -> list[Goal]:
    """Time `changes` slider changes of each page; print the details and return
    one goal for each of the app's pages."""
    saved_folder = os.environ.get(DATA_DIR_VARIABLE)
    with tempfile.TemporaryDirectory() as folder:
        # The page saves each change; the runs save to a folder of their own.
        os.environ[DATA_DIR_VARIABLE] = str(Path(folder) / "saved scenarios")
        try:
            times = _time_changes(Path(folder), changes, lines)
        finally:
            if saved_folder is None:
                os.environ.pop(DATA_DIR_VARIABLE, None)
            else:
                os.environ[DATA_DIR_VARIABLE] = saved_folder

    medians = {name: statistics.median(taken) for name, taken in times.items()}
    baseline = medians[MINIMAL]
    print(f"Slider change, median of {changes} (AppTest, one process):")
    for name, median in medians.items():
        print(f"  {name:<28} {median * 1000:8.1f} ms  {median / baseline:5.2f}x")
    print(f"Goal: at most {RATIO_GOAL:g}x the minimal page.")
    return [
        Goal(
            f"slider rerun <= {RATIO_GOAL:g}x",
            f"slider change, {name}",
            median,
            "slider change, minimal page",
            baseline,
            limit=RATIO_GOAL,
        )
        for name, median in medians.items()
        if name != MINIMAL
    ]


def _time_changes(folder: Path, changes: int, lines: int) -> dict[str, list[float]]:
    pages = {
        MINIMAL: minimal_page(folder),
        "Scenarios, sample": app_page(SCENARIOS, None),
        f"Scenarios, {lines:,} lines": app_page(SCENARIOS, lines),
        "Compare, sample": app_page(COMPARE, None),
        f"Compare, {lines:,} lines": app_page(COMPARE, lines),
    }
    works = {name: change_once(app, key, [0]) for name, (app, key) in pages.items()}
    for work in works.values():  # warm up: first runs import and cache
        work()
    times: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(changes):
        for name, work in works.items():
            started = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--lines", type=int, default=5000)
    args = parser.parse_args()
    measure(args.changes, args.lines)


if __name__ == "__main__":
    main()
