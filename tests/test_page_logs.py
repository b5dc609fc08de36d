"""A page run writes nothing to the server's log at warning level or above.

An operator reads that log for refused uploads and slow pages; a warning
written on every run of a page (with its stack) would bury them. Streamlit's
loggers do not propagate, so the test listens to each one it has made.
"""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from cpsu.store import DATA_DIR_VARIABLE
from tests.test_pages import ROOT

PAGES = [
    "app_pages/cost_base.py",
    "app_pages/scenarios.py",
    "app_pages/compare.py",
    "app_pages/pitch.py",
    "app_pages/actuals.py",
]


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def streamlit_loggers() -> list[logging.Logger]:
    from streamlit import logger as streamlit_logger

    return list(streamlit_logger._loggers.values())


@pytest.fixture(scope="module")
def warnings_by_page(tmp_path_factory) -> dict[str, list[str]]:
    # Saved scenarios go to a folder of the run's own, for this module only.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_VARIABLE, str(tmp_path_factory.mktemp("saved")))
        return _warnings_by_page()


def _warnings_by_page() -> dict[str, list[str]]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    found: dict[str, list[str]] = {}
    for page in PAGES:
        kept = Kept()
        loggers = streamlit_loggers()
        for logger in loggers:
            logger.addHandler(kept)
        try:
            at.switch_page(page).run()
            assert not at.exception, page
        finally:
            for logger in loggers:
                logger.removeHandler(kept)
        found[page] = [f"{r.name}: {r.getMessage()[:200]}" for r in kept.records]
    return found


@pytest.mark.parametrize("page", PAGES)
def test_a_page_run_logs_no_warning(warnings_by_page, page):
    assert warnings_by_page[page] == []


def test_the_listener_hears_a_warning_of_the_kind_it_guards_against():
    # Without this, a change in how Streamlit keeps its loggers would leave
    # the tests above listening to nothing.
    kept = Kept()
    script = (
        "import altair as alt, pandas as pd, streamlit as st\n"
        "chart = alt.Chart(pd.DataFrame({'a': [1]})).mark_point().encode(x='a')\n"
        "st.altair_chart(chart.properties(description='d'), alt='named')\n"
    )
    at = AppTest.from_string(script)
    loggers = streamlit_loggers()
    for logger in loggers:
        logger.addHandler(kept)
    try:
        at.run()
        for logger in streamlit_loggers():  # made during the run
            logger.addHandler(kept)
        at.run()
    finally:
        for logger in streamlit_loggers():
            logger.removeHandler(kept)
    assert any("already sets description" in r.getMessage() for r in kept.records)
