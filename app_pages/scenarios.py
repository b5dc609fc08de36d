"""Scenarios: move the assumptions and watch CPSU, cost and staffing answer.

The page is drawn by cpsu.ui.scenarios_page; this file only calls it, so that
the server (and AppTest) has little to compile per run.
"""

from cpsu.ui.scenarios_page import scenarios_page

scenarios_page()
