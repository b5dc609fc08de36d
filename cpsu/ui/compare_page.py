"""The Compare page: the company's scenarios side by side, and what moves CPSU.

The sidebar is the Scenarios page's: the library and the sliders of the
chosen scenario, saved as they change. The main area compares the scenarios
picked (the first is the one the others are measured against): their CPSU
curves with hire triggers and guardrails, differences at chosen quarters,
the funding ask by fiscal year; then, for the first scenario, the
sensitivity tornado, the uncertainty band, the CPSU bridge and the "what
must be true" solver. Each tab runs only while it is open, so a slider
redraws only what is on screen; everything is one fragment.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cpsu.charts import page_spec
from cpsu.compare import (
    Compared,
    curve_columns,
    default_quarters,
    difference_columns,
    funding_notes,
    funding_table,
    month_name,
    quarter_choice,
    quarter_labels,
)
from cpsu.compare_charts import (
    bridge_spec,
    funding_spec,
    scenario_curves_spec,
    tornado_spec,
)
from cpsu.formatting import money, percent
from cpsu.projection import ProjectionError
from cpsu.scenario import Scenario, Workspace
from cpsu.sensitivity import (
    CpsuTarget,
    Lever,
    SteadyFall,
    assumption_lever,
    cpsu_bridge,
    default_ranges,
    guardrail_arrays,
    hire_trigger_arrays,
    hire_triggers,
    monte_carlo,
    price_lever,
    solve,
    tickets_per_agent_lever,
    tier_1_tickets_per_agent,
    tornado,
)
from cpsu.ui import state
from cpsu.ui.projections import kept_model, kept_projection, kept_run, show_spec
from cpsu.ui.scenario_library import CHOICE, library, library_panel
from cpsu.ui.sliders import assumption_sliders, settle_sliders
from cpsu.ui.tables import MISSING, Column, arrow_table, shown_arrow
from cpsu.ui.text import plain

PICKED = "compare.scenarios"
AT = "compare.at"
FISCAL_START = "compare.fiscal_start"
BAND = "compare.band"
TABS = "compare.tabs"
LEVER = "compare.solve.lever"
GOAL = "compare.solve.goal"
TARGET = "compare.solve.target"
TARGET_QUARTER = "compare.solve.quarter"
FALL = "compare.solve.fall"
PRICE_ITEM = "compare.solve.item"
SOLUTION = "compare.solve.solution"

# The analyses' tables as the page shows them: readable headers, money to the
# cent, users whole; columns not named here (such as a quarter's number) are
# not sent.
BRIDGE_COLUMNS = [
    Column("mechanism", "What moved CPSU", "text"),
    Column("change", "Change of CPSU", "money", "This mechanism's part of the change"),
    Column("cpsu_from", "CPSU before", "money"),
    Column("cpsu_to", "CPSU after", "money"),
]
TRIGGER_COLUMNS = [
    Column("item", "Cost line", "text"),
    Column("tier", "Tier", "text"),
    Column("agent", "Agent", "count", "The agent's number on this line"),
    Column(
        "users_above",
        "Needed above (users)",
        "count",
        "Supported users above which this agent is needed, in that quarter",
    ),
    Column("quarter", "First needed in", "text", "Empty: not within the horizon"),
]
TORNADO_COLUMNS = [
    Column("label", "Assumption", "text"),
    Column("low", "Low", "count", decimals=3),
    Column("high", "High", "count", decimals=3),
    Column("cpsu_low", "CPSU at low", "money"),
    Column("cpsu_high", "CPSU at high", "money"),
    Column("swing", "Swing", "money"),
    Column("source", "Range from", "text"),
]

TAB_NAMES = ("Scenarios", "Sensitivity", "Why CPSU moves", "What must be true")
TICKETS_PER_AGENT = "Tier 1 tickets per agent"
PRICE = "The price of a cost line"


def _scenarios() -> dict[str, Scenario]:
    """The company's scenarios, the chosen one as the sliders have it now."""
    current = library()
    if current is None:
        scenario = state.current_scenario()
        return {scenario.name: scenario}
    scenarios = {name: saved.scenario for name, saved in current.scenarios.items()}
    chosen = st.session_state.get(CHOICE)
    if chosen in scenarios:
        scenarios[chosen] = replace(state.current_scenario(), name=chosen)
    return scenarios


def _default(key: str, options: list, default: list) -> list | None:
    """The default of a multiselect, or None once the widget has a value of its
    own, from which choices no longer offered are dropped."""
    if key not in st.session_state:
        return default
    chosen = st.session_state[key]
    kept = [value for value in chosen if value in options]
    if kept != chosen:
        st.session_state[key] = kept
    return None


def _picked(scenarios: dict[str, Scenario]) -> list[Scenario]:
    names = list(scenarios)
    chosen = st.session_state.get(CHOICE)
    default = ([chosen] if chosen in names else []) + [
        name for name in names if name != chosen
    ]
    picked = st.multiselect(
        "Scenarios to compare",
        names,
        default=_default(PICKED, names, default[:5]),
        key=PICKED,
        help="The first is the one the others are measured against",
        persist_state="session",
    )
    return [scenarios[name] for name in picked]


def _project(workspace: Workspace, scenarios: list[Scenario]) -> list[Compared]:
    results = []
    for scenario in scenarios:
        try:
            results.append(Compared(scenario, kept_projection(workspace, scenario)))
        except ProjectionError as problem:
            results.append(Compared(scenario, None, str(problem)))
    return results


def _scenarios_tab(
    workspace: Workspace, results: list[Compared], first: Compared
) -> None:
    scenario = first.scenario
    model = kept_model(workspace, scenario)
    run = kept_run(workspace, scenario)
    triggers = hire_trigger_arrays(
        workspace.cost_base, workspace.headcount, scenario, model=model, run=run
    )
    marks = guardrail_arrays(
        workspace.cost_base, workspace.headcount, scenario, model=model, run=run
    )
    band = None
    if st.toggle(
        "P10 to P90 band (1,000 draws of the assumptions' ranges)",
        key=BAND,
        persist_state="session",
    ):
        band = {
            first.name: monte_carlo(workspace.cost_base, workspace.headcount, scenario)
        }
    show_spec(
        st,
        page_spec(
            scenario_curves_spec(
                curve_columns(results),
                bands=band,
                triggers={first.name: triggers},
                guardrail_marks={first.name: marks},
            )
        ),
        key="compare.curves",
    )

    offered = quarter_labels(results)
    horizon = max(result.scenario.horizon_quarters for result in results)
    every = list(range(horizon + 1))
    at = st.multiselect(
        "Compare at quarters",
        every,
        default=_default(AT, every, default_quarters(horizon)),
        format_func=lambda t: quarter_choice(t, offered),
        key=AT,
        persist_state="session",
    )
    table = difference_columns(results, sorted(at))
    differences, difference_config = shown_arrow(
        table,
        [
            Column("scenario", "Scenario", "text"),
            Column("quarter", "Quarter", "text"),
            Column("supported_users", "Supported users", "count"),
            Column("monthly_opex", "Monthly run-rate", "money"),
            Column("cpsu", "CPSU", "money"),
            Column("cpsu_vs_first", f"CPSU vs {first.name}", "money"),
            Column("cpsu_vs_first_share", f"Change vs {first.name}", "rate"),
        ],
    )
    st.dataframe(
        differences,
        hide_index=True,
        key="compare.differences",
        placeholder=MISSING,
        column_config=difference_config,
    )

    st.header("Funding ask by fiscal year")
    start = st.selectbox(
        "Fiscal year starts in",
        range(1, 13),
        format_func=month_name,
        key=FISCAL_START,
        persist_state="session",
        help="A fiscal year is named by the year it ends in: July 2026 to June "
        "2027 is FY2027",
    )
    funding = funding_table(results, start)
    show_spec(st, page_spec(funding_spec(funding)), key="compare.funding")
    notes = funding_notes(funding)
    if notes:
        st.caption(plain(notes))
    years = funding.reset_index()
    funding_shown, funding_config = shown_arrow(
        {name: years[name] for name in years.columns},
        [
            Column("fiscal_year", "Fiscal year", "text"),
            *(Column(name, name, "money") for name in funding.columns),
        ],
    )
    st.dataframe(
        funding_shown,
        hide_index=True,
        key="compare.funding_table",
        placeholder=MISSING,
        column_config=funding_config,
    )

    flagged = marks.flagged
    if flagged.any():
        st.header(f"Guardrails of {first.name}")
        shown = {
            "quarter": "Quarter",
            "tiers_over": "Over 85% utilisation",
            "resolution_below_target": "Resolution below target",
            "flat_staff_fall": "CPSU fell only as staff stayed flat",
        }
        st.dataframe(
            arrow_table(marks.table(list(shown)), shown, rows=flagged),
            hide_index=True,
            key="compare.guardrails",
            placeholder=MISSING,
        )


def _sensitivity_tab(workspace: Workspace, first: Compared) -> None:
    scenario = first.scenario
    table = tornado(workspace.cost_base, workspace.headcount, scenario)
    show_spec(st, page_spec(tornado_spec(table)), key="compare.tornado")
    tornado_shown, tornado_config = shown_arrow(table, TORNADO_COLUMNS)
    tornado_config["source"] = st.column_config.TextColumn("Range from", width="large")
    st.dataframe(
        tornado_shown,
        hide_index=True,
        key="compare.tornado_table",
        placeholder=MISSING,
        column_config=tornado_config,
    )


def _bridge_tab(workspace: Workspace, first: Compared) -> None:
    scenario = first.scenario
    model = kept_model(workspace, scenario)
    bridge = cpsu_bridge(
        workspace.cost_base, workspace.headcount, scenario, model=model
    )
    table = first.projection.table
    show_spec(
        st,
        page_spec(
            bridge_spec(
                bridge,
                start_label=str(table["quarter"].iloc[0]),
                end_label=str(table["quarter"].iloc[-1]),
            )
        ),
        key="compare.bridge",
    )
    bridge_shown, bridge_config = shown_arrow(bridge, BRIDGE_COLUMNS)
    st.dataframe(
        bridge_shown,
        hide_index=True,
        key="compare.bridge_table",
        placeholder=MISSING,
        column_config=bridge_config,
    )
    triggers = hire_triggers(
        workspace.cost_base,
        workspace.headcount,
        scenario,
        model=model,
        run=kept_run(workspace, scenario),
    )
    if len(triggers):
        st.header("Next hires")
        triggers_shown, trigger_config = shown_arrow(triggers, TRIGGER_COLUMNS)
        st.dataframe(
            triggers_shown,
            hide_index=True,
            key="compare.triggers",
            placeholder=MISSING,
            column_config=trigger_config,
        )


def _lever_choice(workspace: Workspace) -> Lever:
    ranges = {one.label: one for one in default_ranges(workspace.cost_base)}
    options = list(ranges)
    if tier_1_tickets_per_agent(workspace.cost_base):
        options.append(TICKETS_PER_AGENT)
    options.append(PRICE)
    label = st.selectbox("Move", options, key=LEVER, persist_state="session")
    if label == TICKETS_PER_AGENT:
        return tickets_per_agent_lever(workspace.cost_base, 500.0, 800.0)
    if label == PRICE:
        items = [line.item for line in workspace.cost_base.lines]
        item = st.selectbox("Cost line", items, key=PRICE_ITEM)
        line = next(line for line in workspace.cost_base.lines if line.item == item)
        now = (line.amount if line.amount is not None else line.unit_cost) or 0.0
        return price_lever(item, 0.0, max(2 * now, 1.0))
    known = ranges[label]
    return assumption_lever(known.assumption, known.low, known.high)


def _solver_tab(workspace: Workspace, first: Compared) -> None:
    scenario = first.scenario
    st.caption(
        f"For {plain(first.name)}: the value of one assumption that reaches a CPSU "
        "goal, searched over its usual range."
    )
    lever = _lever_choice(workspace)
    goal_kind = st.radio(
        "Goal",
        ("A CPSU in a quarter", "A fall in every quarter"),
        key=GOAL,
        horizontal=True,
        persist_state="session",
    )
    table = first.projection.table
    if goal_kind == "A CPSU in a quarter":
        quarter = st.select_slider(
            "In quarter",
            options=list(range(scenario.horizon_quarters + 1)),
            value=scenario.horizon_quarters,
            format_func=lambda t: str(table["quarter"].iloc[t]),
            key=TARGET_QUARTER,
        )
        target = st.number_input(
            "CPSU at most ($ a month)",
            min_value=0.01,
            value=round(float(table["cpsu"].iloc[-1]) * 0.9, 2),
            step=1.0,
            key=TARGET,
        )
        goal = CpsuTarget(int(quarter), float(target))
    else:
        fall = st.number_input(
            "Fall in every quarter (%)",
            min_value=0.1,
            max_value=50.0,
            value=3.0,
            step=0.5,
            key=FALL,
        )
        goal = SteadyFall(fall / 100)
    if st.button("Solve", key="compare.solve.run", type="primary"):
        try:
            solution = solve(
                workspace.cost_base, workspace.headcount, scenario, lever, goal
            )
        except (ValueError, ProjectionError) as problem:
            st.error(plain(problem))
            return
        st.session_state[SOLUTION] = solution.message
    message = st.session_state.get(SOLUTION)
    if message:
        st.success(plain(message))


@st.fragment
def compare_view() -> None:
    """The library, the sliders and the comparison: one fragment."""
    settle_sliders()
    workspace = state.workspace()
    with st.sidebar:
        locked = library_panel(workspace, page="compare")
        assumption_sliders(workspace, disabled=locked, page="compare")
    # The address carries the scenario in progress, as on Scenarios: a reload
    # keeps the moves.
    state.keep_share_address(state.current_scenario())
    for note in state.reprice_mapped_lines():
        st.info(plain(note.message), icon=":material/sync:")

    st.title("Compare")
    results = _project(workspace, _picked(_scenarios()))
    for result in results:
        if result.projection is None:
            st.error(f"{plain(result.name)}: {plain(result.problem)}")
    projected = [result for result in results if result.projection is not None]
    if not projected:
        st.info("Pick at least one scenario that can be projected.")
        return
    first = projected[0]
    cpsu, quarters = first.projection.column("cpsu"), first.projection.quarters
    change = cpsu[-1] / cpsu[0] - 1
    st.caption(
        f"Measured against {plain(first.name)}: CPSU {money(cpsu[-1])} in "
        f"{quarters[-1]} ({percent(change, signed=True)} on the baseline)"
    )

    tabs = st.tabs(TAB_NAMES, key=TABS, on_change="rerun")
    with tabs[0]:
        if tabs[0].open:
            _scenarios_tab(workspace, projected, first)
    with tabs[1]:
        if tabs[1].open:
            _sensitivity_tab(workspace, first)
    with tabs[2]:
        if tabs[2].open:
            _bridge_tab(workspace, first)
    with tabs[3]:
        if tabs[3].open:
            _solver_tab(workspace, first)
