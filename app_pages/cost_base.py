"""Cost base: upload the spreadsheets, see what was understood and every problem."""

import streamlit as st

from cpsu.charts import run_rate_by_pool_chart
from cpsu.formatting import count, money
from cpsu.ingest.issues import Severity
from cpsu.projection import ProjectionError
from cpsu.ui import state
from cpsu.ui.mapping import mapping_section
from cpsu.ui.projections import show_altair
from cpsu.ui.read_choices import apply_pending_choices, read_choices
from cpsu.ui.sheet_picker import sheet_picker
from cpsu.ui.tables import cost_line_view, issue_frame, issues_csv, run_rate_view
from cpsu.ui.text import plain

ISSUES_SHOWN = 200

st.title("Cost base")
st.caption(
    "Upload the canonical workbook (Costs, Headcount, Service desk), a CSV of the "
    "Costs sheet, a budget list or month-by-month grid, a GL export to map, or an "
    "HR roster for the headcount. A file with errors is refused and the cost base "
    "you had stays."
)

upload_column, template_column = st.columns([3, 1])
with upload_column:
    uploaded = st.file_uploader(
        "Upload a workbook or CSV",
        help=(
            "Any file can be chosen: the reader looks at its content, not its "
            "name, and says what it found."
        ),
        key="cost_base.upload",
    )
with template_column:
    st.download_button(
        "Empty template",
        data=state.TEMPLATE_PATH.read_bytes(),
        file_name=state.TEMPLATE_PATH.name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
        key="cost_base.template",
    )
    st.download_button(
        "Sample workbook",
        data=state.SAMPLE_PATH.read_bytes(),
        file_name=state.SAMPLE_PATH.name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
        key="cost_base.sample",
    )
    st.button(
        "Back to the sample",
        on_click=state.restore_sample,
        key="cost_base.restore",
    )

if uploaded is not None:
    state.upload_file(uploaded.file_id, uploaded.name, uploaded.getvalue())
apply_pending_choices()
sheet_picker()

report = state.upload_report()
if report is not None:
    name = plain(report.file_name)
    errors = [i for i in report.issues if i.severity is Severity.ERROR]
    warnings = [i for i in report.issues if i.severity is Severity.WARNING]
    if report.kind == "roster" and report.accepted:
        st.success(
            f"**{name}** is an HR roster: the headcount now comes from it; the cost "
            "lines and the scenario stay.",
            icon=":material/groups:",
        )
    elif report.kind == "gl" and report.accepted:
        st.info(
            f"**{name}** is a GL export: map its postings to cost pools below. "
            "The cost base you had stays until you use the mapped lines.",
            icon=":material/account_tree:",
        )
    elif not report.accepted:
        st.error(
            f"**{name}** was not used: {len(errors)} "
            f"{'error' if len(errors) == 1 else 'errors'} to fix, listed below. "
            "The cost base you had is unchanged.",
            icon=":material/block:",
        )
    elif warnings:
        st.warning(
            f"**{name}** is in use, with {len(warnings)} "
            f"{'point' if len(warnings) == 1 else 'points'} to check below.",
            icon=":material/fact_check:",
        )
    else:
        st.success(f"**{name}** is in use.", icon=":material/check:")
    if report.accepted and report.read_label:
        st.caption(plain(report.read_label))
    read_choices()
    if report.issues:
        st.table(issue_frame(report.issues[:ISSUES_SHOWN]), hide_index=True)
        if len(report.issues) > ISSUES_SHOWN:
            st.caption(
                f"The first {ISSUES_SHOWN} of {len(report.issues):,} issues; "
                "download them all to read the rest."
            )
        st.download_button(
            "Download the issues (CSV)",
            data=issues_csv(report.issues),
            file_name="cpsu-issues.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key="cost_base.issues_download",
        )

if (export := state.gl_export()) is not None:
    mapping_section(export)
    st.divider()

for note in state.reprice_mapped_lines():
    st.info(plain(note.message), icon=":material/sync:")
workspace = state.workspace()
try:
    projection = state.baseline_projection()
except ProjectionError as problem:
    st.error(plain(problem))
    st.stop()

st.header(f"What was understood: {plain(workspace.source)}")
if note := state.service_desk_note():
    st.caption(note)
baseline = projection.baseline
lines, users, run_rate, cpsu = st.columns(4)
lines.metric("Cost lines", count(len(workspace.cost_base)))
users.metric(
    f"Supported users {baseline['quarter']}",
    count(baseline["supported_users"]),
    help=(
        f"{count(baseline['employees'])} employees + "
        f"{state.current_scenario().service_desk.contingent_weight:g} × "
        f"{count(baseline['contingent'])} contingent"
    ),
)
run_rate.metric("Monthly run-rate", money(baseline["monthly_opex"]))
cpsu.metric("CPSU", money(baseline["cpsu"]))

chart_column, pools_column = st.columns([3, 2])
show_altair(chart_column, run_rate_by_pool_chart(projection.run_rate_by_pool(0)))
pools, pool_columns = run_rate_view(projection)
pools_column.dataframe(
    pools, column_config=pool_columns, hide_index=True, key="cost_base.pools"
)

st.header("Cost lines")
lines_view, line_columns = cost_line_view(workspace.cost_base, projection)
st.dataframe(
    lines_view,
    column_config=line_columns,
    hide_index=True,
    height=35 * (min(len(workspace.cost_base), 30) + 1) + 3,
    key="cost_base.lines",
)
