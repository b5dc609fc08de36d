"""The table-cell emulation of tests/test_tables_shown.py against the browser.

The AppTest tests read a table as the browser would draw it (`drawn`): cut
to the column's decimals, then formatted. Here Chromium runs Streamlit's own
code for both steps, loaded from the app's server: the number formatter
module the data grid uses, and the grid's cutting function taken from its
bundle. Every value and column format gives the same text as `drawn`.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit

from tests.test_tables_shown import _decimals, drawn

STATIC = Path(streamlit.__file__).parent / "static" / "static" / "js"
CUT = re.compile(
    r"function [\w$]+\(e,t\)\{if\(!Number\.isFinite\(e\)\)return e;"
    r"if\(t<=0\)return Math\.trunc\(e\);[^}]*\}"
)

VALUES = [
    209_301.49 / 1_350,  # 155.0381: the tester's CPSU
    96_000 / 36,  # 2,666.666...
    250_840.99874993335,  # a run-rate a hair under a dollar
    -15.800105227276097,
    -0.030989607011885467,
    -0.0007980922011137093,
    0.015752183422800048,
    2_462.121212121212,
    155.04,  # rounded values the fixed tables send
    -0.031,
    0.125,  # exact ties
    2.5,
    -2.5,
    0.0625,
    1_234_567.895,
    0.0,
    -0.0,
    1e-9,
]
FORMATS = [
    {"format": "dollar", "step": 0.01},
    {"format": "dollar", "step": 1},
    {"format": "dollar"},
    {"format": "percent", "step": 0.001},
    {"format": "localized", "step": 1},
    {"format": "localized", "step": 0.1},
    {"format": "localized", "step": 0.001},
    {"format": "%.1f%%"},
    {"format": "%.3f"},
]


def test_drawn_cells_are_what_streamlits_grid_writes(page, app_url):
    formatter = next(STATIC.glob("formatNumber.*.js")).name
    bundle = next(STATIC.glob("DataFrame.*.js")).read_text(encoding="utf-8")
    found = CUT.search(bundle)
    assert found, "the data grid's cutting function is not in its bundle"
    page.goto(app_url)
    page.get_by_role("heading").first.wait_for(timeout=60_000)
    cases = [
        {"value": value, "format": shown["format"], "step": shown.get("step")}
        for value in VALUES
        for shown in FORMATS
    ]
    for case in cases:
        step = case["step"]
        case["decimals"] = None if step is None else _decimals(step)
    written = page.evaluate(
        """async ([url, cut, cases]) => {
            const module = await import(url);
            const format = Object.values(module).find(
                (f) => typeof f === "function" && f.length === 3
            );
            const cutTo = new Function(`return (${cut})`)();
            return cases.map(({value, format: shown, decimals}) =>
                format(decimals === null ? value : cutTo(value, decimals),
                       shown, decimals === null ? undefined : decimals)
            );
        }""",
        [f"/static/js/{formatter}", found.group(0), cases],
    )
    expected = [
        drawn(case["value"], {k: v for k, v in case.items() if v is not None})
        for case in cases
    ]
    differ = [
        (case["value"], case["format"], case["step"], browser, ours)
        for case, browser, ours in zip(cases, written, expected, strict=True)
        if browser != ours
    ]
    assert not differ, differ
