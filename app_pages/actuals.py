"""Actuals: CPSU history, quality beside cost, the experience curve, plan
against actual, and in-house or managed.

The page is drawn by cpsu.ui.actuals_page; this file only calls it.
"""

from cpsu.ui.actuals_page import actuals_page

actuals_page()
