"""CPSU budget-case builder: the router.

Sets the page, registers the chart theme, loads the sample company on a
session's first run and declares the pages; a page run slower than
CPSU_SLOW_RERUN_MS goes to the operator's log.
"""

from pathlib import Path

import streamlit as st

from cpsu.charts import register_theme
from cpsu.ui.oplog import configure_operator_log, timed_page
from cpsu.ui.state import init_session

st.set_page_config(
    page_title="CPSU budget case",
    page_icon=str(Path(__file__).parent / "assets" / "icon.png"),
    layout="wide",
    # Open again on the pages that hold their sliders in it, after Pitch
    # (which closes it) and the browser's Back.
    initial_sidebar_state="expanded",
)
register_theme()
configure_operator_log()
init_session()

pages = [
    st.Page("app_pages/cost_base.py", title="Cost base", icon=":material/table_view:"),
    st.Page(
        "app_pages/scenarios.py",
        title="Scenarios",
        icon=":material/trending_down:",
        default=True,
    ),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("app_pages/pitch.py", title="Pitch", icon=":material/co_present:"),
    st.Page("app_pages/actuals.py", title="Actuals", icon=":material/history:"),
]
page = st.navigation(pages)
# Run bare (python app.py, as a spawned process re-imports its parent's main
# module), a page has no title to time it by.
with timed_page(getattr(page, "title", "") or "page"):
    page.run()
