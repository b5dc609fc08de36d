"""The scenario's sliders, one a lever, each bound to a session-state key.

Ranges are wider than the usual ones of the published benchmarks
(REFERENCE_FIGURES.md and cpsu.sensitivity.default_ranges), so that a user
can ask "what if" beyond them; the page then says "check this" rather than
refusing. A workbook value outside a slider's range widens it. Contingent
share and the labour and licence escalation are overrides: off, the
headcount's own mix and each line's own escalation apply.
"""

from __future__ import annotations

from contextvars import ContextVar

import streamlit as st

from cpsu.scenario import MAX_HORIZON, Workspace
from cpsu.ui import state

# The shortest horizon the slider offers; a workbook's shorter one widens it.
SHORTEST_HORIZON = 4

# The page whose sidebar draws the sliders. The Scenarios page binds each
# widget to the state key itself; another page (Compare) draws widgets of its
# own keys, given the state's value before they are drawn and copying their
# value back when moved: a widget key shared by two pages would be taken by
# Streamlit as a new widget on the second and start from its default.
_PAGE: ContextVar[str] = ContextVar("sliders_page", default="")


def widget_key(key: str, page: str = "") -> str:
    """The key of the widget that shows state key `key` on `page`."""
    return f"{page}:{key}" if page else key


# The value each such widget was last given or moved to, by widget key: one
# session-state entry for them all, since Streamlit walks every key of the
# session's state at each widget it draws.
_PUSHED = "sliders.pushed"


def _pushed() -> dict[str, object]:
    return st.session_state.setdefault(_PUSHED, {})


def settle_sliders() -> None:
    """Before anything reads the sliders this run: keep the values the program
    last wrote to them against a rerun the browser asked for before it drew
    them, and send the browser the values this run takes (see
    `state.SliderSet`). A page that draws the sliders calls this first."""
    written = state.settle_sliders()
    if not written:
        return
    pushed = _pushed()
    for widget in list(pushed):
        if widget.rpartition(":")[2] in written:
            del pushed[widget]


def _copy_back(widget: str, key: str) -> None:
    value = st.session_state[widget]
    st.session_state[key] = value
    _pushed()[widget] = value


def _bound(key: str) -> dict[str, object]:
    """The widget arguments that bind a slider to the state key `key` on the
    page that draws the sliders now."""
    return bound_widget(key, _PAGE.get())


def bound_widget(key: str, page: str = "") -> dict[str, object]:
    """The widget arguments that bind a widget to the state key `key` on `page`.

    A slider is also given the state's value as its `value`: the widget's
    state, set before it is drawn, is what it shows, and the value spares
    Streamlit a walk over every session-state key to learn what kind of
    slider it is (.streamlit/config.toml silences the log line that says a
    widget with a value was also set through session state).

    On another page the widget is given the state's value only when the
    state changed elsewhere (another page, a scenario chosen, a reset) since
    it was last given or moved: writing it at every run would undo a move
    the user made while an earlier run was still going.
    """
    if not page:
        return {"key": key, "persist_state": "session"}
    widget = widget_key(key, page)
    value = st.session_state[key]
    pushed = _pushed()
    if widget not in st.session_state or pushed.get(widget) != value:
        st.session_state[widget] = value
        pushed[widget] = value
    return {"key": widget, "on_change": _copy_back, "args": (widget, key)}


def _slider(
    key: str,
    label: str,
    low: float,
    high: float,
    step: float,
    fmt: str,
    help: str,
    disabled: bool = False,
) -> None:
    value = st.session_state[key]
    st.slider(
        label,
        min_value=min(low, value),
        max_value=max(high, value),
        value=value,
        step=step,
        format=fmt,
        help=help,
        disabled=disabled,
        **_bound(key),
    )


def _override(
    key: str,
    toggle_label: str,
    toggle_help: str,
    slider: dict[str, object],
    disabled: bool,
) -> None:
    """A toggle that turns an override on, and its slider while it is on."""
    toggle = state.OVERRIDE_TOGGLES[key]
    if st.session_state.get(key) is None:
        st.session_state[key] = state.override_start(key)
    on = st.toggle(
        toggle_label,
        help=toggle_help,
        disabled=disabled,
        **_bound(toggle),
    )
    if on:
        _slider(key, disabled=disabled, **slider)  # type: ignore[arg-type]


def assumption_sliders(
    workspace: Workspace, disabled: bool = False, page: str = ""
) -> None:
    """Every lever: growth, horizon and the service desk first; 'More' holds the
    rarer ones. `disabled` shows them without letting them move (a locked
    scenario); `page` names a page other than Scenarios that draws them."""
    token = _PAGE.set(page)
    try:
        _draw_sliders(workspace, disabled)
    finally:
        _PAGE.reset(token)
    state.sliders_drawn()


def _draw_sliders(workspace: Workspace, disabled: bool) -> None:
    st.header("Assumptions")
    _slider(
        state.GROWTH,
        "Growth per quarter",
        -0.10,
        0.30,
        0.005,
        "percent",
        "Headcount growth each quarter, employees and contingent alike",
        disabled,
    )
    horizon = st.session_state[state.HORIZON]
    st.slider(
        "Horizon (quarters)",
        min_value=min(SHORTEST_HORIZON, horizon),
        max_value=max(MAX_HORIZON, horizon),
        value=horizon,
        step=1,
        disabled=disabled,
        **_bound(state.HORIZON),
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
        disabled,
    )
    _slider(
        state.TICKETS_TREND,
        "Yearly trend of tickets per user",
        -0.15,
        0.15,
        0.005,
        "percent",
        "How tickets per user change each year: -2.6% a year is the fall since "
        "2007; -5% to +5% is usual",
        disabled,
    )
    _slider(
        state.RESOLUTION_RATE,
        "Tier 1 resolution rate",
        0.30,
        0.95,
        0.01,
        "percent",
        "Share of tickets the help desk resolves; 66% to 71% is typical",
        disabled,
    )
    _slider(
        state.DEFLECTION,
        "Self-service deflection",
        0.0,
        0.60,
        0.01,
        "percent",
        "Share of tickets self-service avoids in the baseline quarter; 8% to 15% "
        "is early",
        disabled,
    )
    _slider(
        state.DEFLECTION_STEP,
        "Deflection gain per quarter",
        0.0,
        0.10,
        0.005,
        "percent",
        "Added deflection each quarter, up to the cap",
        disabled,
    )
    _slider(
        state.DEFLECTION_CAP,
        "Deflection cap",
        0.0,
        0.60,
        0.01,
        "percent",
        "The most self-service will ever deflect; 30% to 45% is mature",
        disabled,
    )
    _slider(
        state.PRODUCTIVITY,
        "Agent productivity",
        -0.30,
        0.50,
        0.01,
        "percent",
        "Change in the tickets an agent handles a month, on every staffed line; "
        "500 to 800 a Tier 1 agent is the benchmark",
        disabled,
    )
    # Open or closed is kept by the server: the Unsaved changes panel appearing
    # above moves the expander, and the browser draws a moved one anew.
    with st.expander(
        "More assumptions",
        key=widget_key("scenarios.more_assumptions", _PAGE.get()),
        on_change="rerun",
    ):
        _slider(
            state.DESKSIDE_SHARE,
            "Desk-side share of escalations",
            0.0,
            1.0,
            0.01,
            "percent",
            "Escalated tickets that need someone at the desk; the rest go to Tier 2",
            disabled,
        )
        _slider(
            state.CONTINGENT_WEIGHT,
            "Contingent weight",
            0.0,
            1.0,
            0.05,
            "%.2f",
            "How much of a supported user each contingent worker counts as",
            disabled,
        )
        _override(
            state.CONTINGENT_SHARE,
            "Set the contingent share",
            "Off: employees and contingent workers grow alike, as the headcount says",
            {
                "label": "Contingent share of headcount",
                "low": 0.0,
                "high": 0.90,
                "step": 0.01,
                "fmt": "percent",
                "help": "Share of contingent workers in every projected quarter",
            },
            disabled,
        )
        _override(
            state.LABOUR_ESCALATION,
            "Set labour escalation",
            "Off: each staffed line keeps its own escalation",
            {
                "label": "Labour escalation a year",
                "low": -0.05,
                "high": 0.15,
                "step": 0.005,
                "fmt": "percent",
                "help": "Pay rises on every staffed line; 2% to 5% is usual",
            },
            disabled,
        )
        _override(
            state.LICENCE_ESCALATION,
            "Set licence escalation",
            "Off: each per-user and step line keeps its own escalation",
            {
                "label": "Licence escalation a year",
                "low": -0.05,
                "high": 0.20,
                "step": 0.005,
                "fmt": "percent",
                "help": "Price rises on every per-user and step line; 0% to 10% "
                "is usual",
            },
            disabled,
        )
    st.button(
        "Reset to the workbook's scenario",
        key=widget_key("scenarios.reset", _PAGE.get()),
        on_click=state.reset_sliders,
        args=(workspace.scenario,),
        disabled=disabled,
    )
