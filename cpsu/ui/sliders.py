"""The scenario's sliders, each bound to a session-state key.

Ranges come from published benchmarks; a workbook value outside a range
widens the slider rather than being refused.
"""

from __future__ import annotations

import streamlit as st

from cpsu.scenario import MAX_HORIZON, MIN_HORIZON, Workspace
from cpsu.ui import state


def _slider(
    key: str, label: str, low: float, high: float, step: float, fmt: str, help: str
) -> None:
    value = st.session_state[key]
    st.slider(
        label,
        min_value=min(low, value),
        max_value=max(high, value),
        step=step,
        format=fmt,
        key=key,
        help=help,
        persist_state="session",
    )


def assumption_sliders(workspace: Workspace) -> None:
    """Growth, horizon and service-desk sliders; 'More' holds the rarer ones."""
    st.header("Assumptions")
    _slider(
        state.GROWTH,
        "Growth per quarter",
        -0.10,
        0.30,
        0.005,
        "percent",
        "Headcount growth each quarter, employees and contingent alike",
    )
    horizon = st.session_state[state.HORIZON]
    st.slider(
        "Horizon (quarters)",
        min_value=MIN_HORIZON,
        max_value=max(MAX_HORIZON, horizon),
        step=1,
        key=state.HORIZON,
        persist_state="session",
        help="Quarters to project after the baseline",
    )
    _slider(
        state.TICKETS_PER_USER,
        "Tickets per user per month",
        0.3,
        3.0,
        0.05,
        "%.2f",
        "1.0 to 1.3 is common today",
    )
    _slider(
        state.RESOLUTION_RATE,
        "Tier 1 resolution rate",
        0.30,
        0.95,
        0.01,
        "percent",
        "Share of tickets the help desk resolves; 66% to 71% is typical",
    )
    _slider(
        state.DEFLECTION,
        "Self-service deflection",
        0.0,
        0.60,
        0.01,
        "percent",
        "Share of tickets self-service avoids in the baseline quarter",
    )
    _slider(
        state.DEFLECTION_STEP,
        "Deflection gain per quarter",
        0.0,
        0.10,
        0.005,
        "percent",
        "Added deflection each quarter, up to the cap",
    )
    with st.expander("More assumptions"):
        _slider(
            state.DEFLECTION_CAP,
            "Deflection cap",
            0.0,
            0.60,
            0.01,
            "percent",
            "The most self-service will ever deflect; 30% to 45% is mature",
        )
        _slider(
            state.DESKSIDE_SHARE,
            "Desk-side share of escalations",
            0.0,
            1.0,
            0.01,
            "percent",
            "Escalated tickets that need someone at the desk; the rest go to Tier 2",
        )
        _slider(
            state.CONTINGENT_WEIGHT,
            "Contingent weight",
            0.0,
            1.0,
            0.05,
            "%.2f",
            "How much of a supported user each contingent worker counts as",
        )
    st.button(
        "Reset to the workbook's scenario",
        key="scenarios.reset",
        on_click=state.set_sliders,
        args=(workspace.scenario,),
    )
