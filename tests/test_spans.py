"""A run of one period is named once: "2026-Q4", never "2026-Q4 to 2026-Q4".

Every page is read with the shortest history and horizon a user can give: a
file of one quarter of actuals, and a scenario of one quarter. Every text the
pages send (captions, metrics and their help, tables, chart titles) is
searched for a quarter or a fiscal year that runs "to" itself.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from cpsu.formatting import span
from cpsu.store import DATA_DIR_VARIABLE
from cpsu.ui import state
from cpsu.ui.compare_page import TAB_NAMES, TABS
from tests.test_page_logs import PAGES
from tests.test_pages import ROOT

SAME_TO_SAME = re.compile(r"\b(\d{4}-Q[1-4]|FY\d{4}) to \1\b")
ONE_QUARTER = "Quarter,Employees,Monthly OPEX\n2026-Q4,1000,150000\n"


def test_span_names_a_single_period_once():
    assert span("2026-Q4", "2026-Q4") == "2026-Q4"
    assert span("2026-Q1", "2026-Q4") == "2026-Q1 to 2026-Q4"


def _texts(node) -> list[str]:
    found = []
    proto = getattr(node, "proto", None)
    if proto is not None:
        found.append(str(proto))
    for child in getattr(node, "children", {}).values():
        found += _texts(child)
    return found


@pytest.fixture(scope="module")
def texts_by_page(tmp_path_factory) -> dict[str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_VARIABLE, str(tmp_path_factory.mktemp("saved")))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.switch_page("app_pages/actuals.py").run()
        at.file_uploader(key="actuals.upload").upload(
            "one.csv", ONE_QUARTER.encode(), "text/csv"
        ).run()
        assert not at.exception
        found = {}
        views = [(page, None) for page in PAGES] + [
            ("app_pages/compare.py", tab) for tab in TAB_NAMES
        ]
        for page, tab in views:
            at.session_state[state.HORIZON] = 1
            if tab is not None:
                at.session_state[TABS] = tab
            at.switch_page(page).run()
            assert not at.exception, page
            found[f"{page} {tab or ''}".strip()] = "\n".join(_texts(at._tree))
        return found


def test_the_pages_read_are_the_one_quarter_ones(texts_by_page):
    # The check reads what it is about: the one-quarter actuals and horizon.
    assert "1 quarter, 2026-Q4" in texts_by_page["app_pages/actuals.py"]
    assert "2027-Q1" in texts_by_page["app_pages/scenarios.py"]
    assert "2027-Q2" not in texts_by_page["app_pages/scenarios.py"]


@pytest.mark.parametrize(
    "view",
    [
        *(page for page in PAGES),
        *(f"app_pages/compare.py {tab}" for tab in TAB_NAMES),
    ],
)
def test_no_page_says_a_period_runs_to_itself(texts_by_page, view):
    said = texts_by_page[view]
    assert sorted({m.group(0) for m in SAME_TO_SAME.finditer(said)}) == []
