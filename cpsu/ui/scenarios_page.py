"""The Scenarios page: move the assumptions and watch CPSU, cost and staffing
answer.

The scenario library, the sliders and all they move are one fragment, so a
slider reruns only it (the library then says what is unsaved);
the download button is drawn after it, on full runs, and builds the workbook
at the click from the scenario the fragment last showed (see cpsu.ui.downloads).
"""

import streamlit as st

from cpsu.charts import (
    HALF_TITLE_WIDTH,
    agents_spec,
    cost_by_pool_spec,
    cpsu_spec,
    page_spec,
    staffed_tiers,
)
from cpsu.formatting import count, money, percent
from cpsu.pitch import headline_figures, sanity_notes
from cpsu.projection import ProjectionError
from cpsu.scenario import Workspace
from cpsu.ui import state
from cpsu.ui.downloads import Build, download_button, live_file
from cpsu.ui.line_changes import line_changes_editor
from cpsu.ui.projections import projection_of, show_spec
from cpsu.ui.scenario_library import library_panel, projected_others, share_link
from cpsu.ui.sliders import assumption_sliders, settle_sliders
from cpsu.ui.tables import MISSING, projection_arrow
from cpsu.ui.text import plain
from cpsu.workbook import scenario_workbook

WORKBOOK_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DOWNLOAD = "scenarios.download"


def _quarters(quarters: int) -> str:
    return f"{quarters} {'quarter' if quarters == 1 else 'quarters'}"


def show_scenario(workspace: Workspace) -> Build | None:
    """Draw the sliders and the scenario; how to build its workbook, if it has one."""
    with st.sidebar:
        locked = library_panel(workspace)
        assumption_sliders(workspace, disabled=locked)

    scenario = state.current_scenario()

    st.title("Scenarios")
    lines = len(workspace.cost_base)
    st.caption(
        f"{plain(workspace.source)} · {lines} cost {'line' if lines == 1 else 'lines'}"
        f" · baseline {workspace.headcount.baseline.quarter} · horizon "
        f"{_quarters(scenario.horizon_quarters)}"
    )

    try:
        projection = projection_of(workspace, scenario)
    except ProjectionError as problem:
        st.error(plain(problem))
        return None

    figures = headline_figures(projection)
    cpsu_now, cpsu_end, change, added, ask = st.columns(5)
    cpsu_now.metric(
        f"CPSU {figures.baseline_quarter}",
        money(figures.cpsu_now),
        help="Monthly run-rate ÷ supported users in the baseline quarter",
    )
    cpsu_end.metric(
        f"CPSU {figures.horizon_quarter}",
        money(figures.cpsu_at_horizon),
        delta=percent(figures.cpsu_change, signed=True),
        delta_color="inverse",
    )
    change.metric(
        "Change a quarter",
        percent(figures.average_change_per_quarter, signed=True),
        help="Compound average change of CPSU per quarter over the horizon",
    )
    added.metric(
        figures.per_user_label,
        money(figures.cost_per_added_user),
        help=(
            f"Added monthly cost ÷ added users, {figures.baseline_quarter} to "
            f"{figures.horizon_quarter}: {count(figures.users_now)} → "
            f"{count(figures.users_at_horizon)} "
            f"{'user' if figures.users_at_horizon == 1 else 'users'}"
        ),
    )
    ask.metric(
        figures.funding_label,
        money(figures.funding_amount, cents=False),
        help=(
            f"Spend over the next {_quarters(figures.horizon_quarters)} above "
            "holding the baseline run-rate of "
            f"{money(figures.run_rate_now, cents=False)} a month"
        ),
    )

    line_changes_editor(
        workspace,
        scenario,
        projection.quarters,
        state.set_line_changes,
        disabled=locked,
    )

    for note in sanity_notes(projection, scenario, workspace.cost_base):
        st.warning(note, icon=":material/fact_check:")

    if workspace.headcount.plan:
        planned = workspace.headcount.plan[-1].quarter
        st.caption(
            f"Headcount follows the uploaded plan up to {planned}; growth applies "
            "after it."
        )

    show_spec(st, page_spec(cpsu_spec(projection.columns)), key="scenarios.cpsu_chart")
    pools, agents = st.columns(2)
    show_spec(
        pools,
        page_spec(
            cost_by_pool_spec(projection.by_pool()), title_width=HALF_TITLE_WIDTH
        ),
        key="scenarios.pools",
    )
    by_tier = projection.agents_by_tier()
    if staffed_tiers(by_tier):
        show_spec(
            agents,
            page_spec(agents_spec(by_tier), title_width=HALF_TITLE_WIDTH),
            key="scenarios.agents",
        )
    else:
        agents.info(
            "No tier is staffed with agents of its own: the cost base has no Staffed "
            "line, so there is no chart of agents by tier.",
            icon=":material/support_agent:",
        )

    share_link(scenario, workspace)

    st.header("Projection")
    table, table_columns = projection_arrow(projection)
    st.dataframe(
        table,
        column_config=table_columns,
        hide_index=True,
        placeholder=MISSING,
        key="scenarios.table",
    )
    # The other scenarios as this run has them: a click builds the file
    # outside the page's run.
    others = projected_others(workspace, scenario)
    return lambda: scenario_workbook(workspace, scenario, projection, others=others)


@st.fragment
def scenario_view() -> None:
    """The sliders and all they move: a slider's rerun runs this fragment only."""
    settle_sliders()
    # Lines mapped from GL spend follow the baseline users (a contingent
    # weight moved here changes them) before anything is projected.
    for note in state.reprice_mapped_lines():
        st.info(plain(note.message), icon=":material/sync:")
    workbook_file = live_file(DOWNLOAD)
    with workbook_file.page_run() as run:
        workbook_file.offer(run, show_scenario(state.workspace()))


def scenarios_page() -> None:
    """The page: the fragment, then the download button on full runs."""
    scenario_view()
    download_button(
        "Download scenario workbook",
        live_file(DOWNLOAD),
        key=DOWNLOAD,
        file_name=state.download_name(
            state.current_scenario(), state.workspace().headcount.baseline.quarter
        ),
        mime=WORKBOOK_MIME,
        type="primary",
    )
