"""The Actuals page: what happened, held beside what was planned.

It opens on the sample company's 17 quarters. An upload of the user's own
actuals (a workbook or CSV, a row per quarter) replaces them when it reads
cleanly; a file with errors is reported with sheet, row and column, and the
actuals the user had stay. The page shows CPSU by quarter with its streaks
and averages, cost and users indexed to 100, quality beside cost with a
warning for each quarter in which cost fell as quality fell, the experience
curve fitted on the history and laid over the scenario of the Scenarios
page, a saved (preferably locked) scenario against the actuals that came
after it, and the break-even between a staffed Tier 1 and a contract.

The history counts contingent workers at the workspace's own contingent
weight (the workbook's Service desk sheet), whatever the Scenarios page's
slider says; plan against actual counts them at the chosen plan's weight, as
its projection does, so each comparison is in one unit.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pandas as pd
import streamlit as st

from cpsu.actuals import (
    Actuals,
    ActualsError,
    average_change,
    fit_experience_curve,
    history,
    plan_against_actual,
    plan_verdict,
    pool_variance,
    quality_warnings,
    streaks,
    whole_change,
)
from cpsu.actuals_charts import (
    cpsu_history_chart,
    experience_curve_chart,
    indexed_chart,
    plan_actual_chart,
    quality_chart,
    sourcing_chart,
)
from cpsu.costs import Behaviour, Tier
from cpsu.formatting import count, money, percent, span
from cpsu.ingest.actuals_sheet import read_actuals
from cpsu.ingest.issues import Issue, Severity
from cpsu.projection import ProjectionError
from cpsu.scenario import parse_quarter
from cpsu.sourcing import Contract, InHouseDesk, Pricing, break_even
from cpsu.ui import oplog, state
from cpsu.ui.projections import kept_projection, projection_of, show_altair
from cpsu.ui.scenario_library import open_library
from cpsu.ui.tables import MISSING, Column, as_shown, issue_frame, shown_arrow
from cpsu.ui.text import plain

SAMPLE_ACTUALS = state.SAMPLE_PATH.parent / "sample_actuals.xlsx"
ACTUALS_TEMPLATE = state.SAMPLE_PATH.parent / "actuals_template.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACTUALS = "actuals.data"  # the Actuals in use (contingent weight 1)
SOURCE = "actuals.source"  # where they came from, for the caption
REPORT = "actuals.report"  # (file id, file name, ActualsUpload) of the last upload
UPLOAD = "actuals.upload"
PLAN_CHOICE = "actuals.plan"
# The history table's columns: each one's heading and number format.
TABLE_COLUMNS: dict[str, tuple[str, str | None]] = {
    "quarter": ("Quarter", None),
    "employees": ("Employees", "localized"),
    "contingent": ("Contingent", "localized"),
    "supported_users": ("Supported users", "localized"),
    "monthly_opex": ("Monthly OPEX", "dollar"),
    "cpsu": ("CPSU", "dollar"),
    "change": ("Change", "percent"),
    "tickets": ("Tickets a month", "localized"),
    "resolution_rate": ("Resolution rate", "percent"),
    "satisfaction": ("Satisfaction", "percent"),
}
# The kind of number (cpsu.ui.tables) each of the history's formats shows.
HISTORY_KINDS = {
    None: "text",
    "localized": "count",
    "dollar": "money",
    "percent": "rate",
}
CHART_HEIGHT = 380  # pixels, legend and title included


@lru_cache(maxsize=1)
def sample_actuals() -> Actuals:
    """The bundled sample history, read once per process."""
    upload = read_actuals(SAMPLE_ACTUALS.read_bytes(), SAMPLE_ACTUALS.name)
    if upload.actuals is None:  # the bundled file is tested to read cleanly
        raise RuntimeError(f"The sample actuals could not be read: {upload.issues}")
    return upload.actuals


def _actuals() -> Actuals:
    if ACTUALS not in st.session_state:
        st.session_state[ACTUALS] = sample_actuals()
        st.session_state[SOURCE] = f"{SAMPLE_ACTUALS.name} (sample)"
    return st.session_state[ACTUALS]


def _restore_sample() -> None:
    st.session_state[ACTUALS] = sample_actuals()
    st.session_state[SOURCE] = f"{SAMPLE_ACTUALS.name} (sample)"
    st.session_state[REPORT] = None


def _accept(file_id: str, name: str, data: bytes) -> None:
    """Read a new upload once; use it only when it has no errors."""
    last = st.session_state.get(REPORT)
    if last is not None and last[0] == file_id:
        return
    upload = read_actuals(data, name)
    st.session_state[REPORT] = (file_id, name, upload)
    if upload.actuals is not None and not upload.has_errors:
        st.session_state[ACTUALS] = upload.actuals
        st.session_state[SOURCE] = name
        quarters = len(upload.actuals.rows)
        oplog.upload_accepted(
            "Actuals", "actuals", name, len(data), quarters, "quarters"
        )
    else:
        oplog.upload_refused("Actuals", "actuals", name, len(data), upload.issues)


def _upload_row() -> None:
    upload_column, files_column = st.columns([3, 1])
    with upload_column:
        uploaded = st.file_uploader(
            "Upload actuals (a workbook or CSV, a row per quarter)",
            help=(
                "Columns: Quarter, Employees, Contingent, Monthly OPEX (or Quarterly "
                "OPEX, or a column per cost pool), and if you have them Tickets per "
                "month, Resolution rate and Satisfaction."
            ),
            key=UPLOAD,
        )
    with files_column:
        st.download_button(
            "Actuals template",
            data=ACTUALS_TEMPLATE.read_bytes(),
            file_name=ACTUALS_TEMPLATE.name,
            mime=XLSX_MIME,
            on_click="ignore",
            icon=":material/download:",
            key="actuals.template",
        )
        st.download_button(
            "Sample actuals",
            data=SAMPLE_ACTUALS.read_bytes(),
            file_name=SAMPLE_ACTUALS.name,
            mime=XLSX_MIME,
            on_click="ignore",
            icon=":material/download:",
            key="actuals.sample",
        )
        st.button(
            "Back to the sample actuals",
            on_click=_restore_sample,
            key="actuals.restore",
        )
    if uploaded is not None:
        _accept(uploaded.file_id, uploaded.name, uploaded.getvalue())
    else:
        # A removed file, or one over the uploader's limit that it never held:
        # a report of an earlier file would read as if it were about this one.
        st.session_state[REPORT] = None


def _report() -> None:
    last = st.session_state.get(REPORT)
    if last is None:
        return
    _, file_name, upload = last
    name = plain(file_name)
    issues: tuple[Issue, ...] = upload.issues
    if upload.has_errors or upload.actuals is None:
        st.error(
            f"**{name}** was not used; the actuals you had stay. Each problem below "
            "names its sheet, row and column and says what to do.",
            icon=":material/block:",
        )
        st.table(issue_frame([i for i in issues if i.severity is Severity.ERROR]))
        return
    quarters = len(upload.actuals.rows)
    sheet = (
        f" from the sheet {plain(upload.sheet)}"
        if upload.sheet and upload.sheet != file_name
        else ""
    )
    st.success(
        f"**{name}**: {quarters} {'quarter' if quarters == 1 else 'quarters'} "
        f"read{sheet}.",
        icon=":material/check:",
    )
    if issues:
        notes = "note" if len(issues) == 1 else "notes"
        with st.expander(f"Check {len(issues)} {notes} on how the file was read"):
            st.table(issue_frame(issues))


def _weighted(actuals: Actuals, weight: float) -> Actuals:
    """The actuals with contingent workers counted at `weight` of a user."""
    if weight == actuals.contingent_weight:
        return actuals
    try:
        return replace(actuals, contingent_weight=weight)
    except ActualsError:
        return actuals


def _weight_note(weight: float, source: str) -> str | None:
    """A caption saying a contingent weight other than 1 is in use."""
    if weight == 1:
        return None
    return f"Contingent workers counted at {weight:g} of a user, as {source} says."


def _headline(table: pd.DataFrame) -> None:
    cpsu = table["cpsu"]
    found = streaks(cpsu, table["quarter"])
    latest, streak, longest, average, whole = st.columns(5)
    change = table["change"].iat[-1]
    latest.metric(
        f"CPSU, {table['quarter'].iat[-1]}",
        money(cpsu.iat[-1]),
        delta=None if pd.isna(change) else percent(change, signed=True),
        delta_color="inverse",
        help="Monthly run-rate over supported users; the change is on the quarter "
        "before.",
    )
    streak.metric(
        "Reductions in a row",
        f"{found.current} {'quarter' if found.current == 1 else 'quarters'}",
        help="Consecutive quarters, up to the latest, in which CPSU fell by half "
        "a cent or more.",
    )
    longest.metric(
        "Longest run",
        f"{found.longest} {'quarter' if found.longest == 1 else 'quarters'}",
        help=f"Ended in {found.longest_end}." if found.longest_end else None,
    )
    average.metric(
        "Average change a quarter",
        percent(average_change(cpsu), signed=True),
        help="The mean of the quarterly changes of CPSU.",
    )
    whole.metric(
        "Over the whole period",
        percent(whole_change(cpsu), signed=True),
        help=(
            "Needs two quarters or more."
            if len(table) < 2
            else f"From {table['quarter'].iat[0]} to {table['quarter'].iat[-1]}."
        ),
    )


def _plan_section(actuals: Actuals, workspace) -> None:
    st.header("Plan against actual")
    current = open_library(workspace)
    saved = list(current.scenarios.values()) if current is not None else []
    if not saved:
        st.info(
            "Save and lock a scenario on the Scenarios page; once actuals of the "
            "quarters after its baseline are uploaded, it is held against them here.",
            icon=":material/lock:",
        )
        return
    # Locked plans first, the scenario in use next, then the rest by name.
    in_use = state.current_scenario().name
    saved.sort(key=lambda s: (not s.locked, s.name != in_use, s.name))
    labels = {
        s.name: (
            f"{s.name} (locked {s.locked_on.isoformat()})"
            if s.locked and s.locked_on
            else f"{s.name} (not locked)"
        )
        for s in saved
    }
    name = st.selectbox(
        "Plan", list(labels), format_func=lambda n: labels[n], key=PLAN_CHOICE
    )
    chosen = next(s for s in saved if s.name == name)
    try:
        projection = kept_projection(workspace, chosen.scenario)
    except ProjectionError as problem:
        st.warning(f"{plain(name)} cannot be projected: {plain(problem)}")
        return
    plan_weight = chosen.scenario.service_desk.contingent_weight
    table = plan_against_actual(projection, _weighted(actuals, plan_weight))
    after = table[table["t"] > 0]
    horizon_end = parse_quarter(projection.quarters[-1])
    if after.empty and parse_quarter(actuals.quarters[0]) > horizon_end:
        st.info(
            f"The actuals ({actuals.quarters[0]} to {actuals.quarters[-1]}) all come "
            f"after **{plain(name)}** ends in {projection.quarters[-1]}, so there is "
            f"nothing to hold it against: it plans {projection.quarters[1]} to "
            f"{projection.quarters[-1]}. Choose a plan that covers them.",
            icon=":material/schedule:",
        )
        return
    if after.empty:
        st.info(
            f"No actuals yet for the quarters of **{plain(name)}** after its baseline "
            f"{projection.quarters[0]} ({projection.quarters[1]} to "
            f"{projection.quarters[-1]}). Upload actuals that include them.",
            icon=":material/schedule:",
        )
        return
    note = _weight_note(plan_weight, f"the plan {plain(name)}")
    if note:
        st.caption(note)
    if not chosen.locked:
        st.caption(
            f"{plain(name)} is not locked, so it may have changed since it was "
            "agreed; lock the plan leadership agreed to on the Scenarios page."
        )
    show_altair(
        st, plan_actual_chart(table, name), width="stretch", height=CHART_HEIGHT
    )
    # Sent under their labels, as a user reads them.
    plan_columns = [
        Column("Quarter", "Quarter", "text"),
        Column("Users, plan", "Users, plan", "count"),
        Column("Users, actual", "Users, actual", "count"),
        Column("CPSU, plan", "CPSU, plan", "money"),
        Column("CPSU, actual", "CPSU, actual", "money"),
        Column("Actual less plan", "Actual less plan", "money"),
        Column("Share of plan", "Share of plan", "count", decimals=1),
    ]
    names = [
        "quarter",
        "plan_users",
        "actual_users",
        "plan_cpsu",
        "actual_cpsu",
        "cpsu_variance",
        "cpsu_variance_share",
    ]
    given = {c.name: table[name] for c, name in zip(plan_columns, names, strict=True)}
    # The share in percent to one decimal, rounded as `percent` rounds it, and
    # a zero without a sign (no "-0.0%").
    given["Share of plan"] = (
        as_shown(table["cpsu_variance_share"] * 100, "count", 1) + 0.0
    )
    shown, shown_config = shown_arrow(given, plan_columns)
    shown_config["Share of plan"] = st.column_config.NumberColumn(
        "Share of plan", format="%.1f%%"
    )
    st.dataframe(
        shown, hide_index=True, placeholder=MISSING, column_config=shown_config
    )
    latest = after["quarter"].iat[-1]
    pools = pool_variance(projection, actuals, latest)
    if pools.empty:
        st.caption(
            "The actuals have no cost by pool, so the variance is shown for CPSU only."
        )
        return
    st.markdown(f"**Variance by pool, {latest}** (monthly run-rate, actual less plan)")
    variance, variance_config = shown_arrow(
        {
            "Pool": pools["cost_pool"],
            "Plan": pools["plan"],
            "Actual": pools["actual"],
            "Actual less plan": pools["variance"],
        },
        [
            Column("Pool", "Pool", "text"),
            Column("Plan", "Plan", "money"),
            Column("Actual", "Actual", "money"),
            Column("Actual less plan", "Actual less plan", "money"),
        ],
    )
    st.dataframe(
        variance, hide_index=True, placeholder=MISSING, column_config=variance_config
    )


def _tier_1_defaults(workspace) -> tuple[float, float, int]:
    """Tickets per agent, loaded cost per agent a month and the minimum of
    agents of the cost base's first staffed Tier 1 line (benchmarks if none)."""
    for line in workspace.cost_base.lines:
        if line.behaviour is Behaviour.STAFFED and line.tier is Tier.TIER_1:
            return (
                float(line.tickets_per_agent or 650),
                line.monthly_rate,
                int(line.min_units),
            )
    # 650 tickets (the middle of 500 to 800) at 1.3 x $61,500 a year.
    return 650.0, 1.3 * 61_500 / 12, 1


def _sourcing_section(workspace, users_now: float) -> None:
    st.header("In-house or managed")
    scenario = state.current_scenario()
    desk_defaults = scenario.service_desk
    tickets = desk_defaults.tickets_per_user_month * (1 - desk_defaults.deflection)
    per_agent, cost, minimum = _tier_1_defaults(workspace)
    left, right = st.columns(2)
    with left:
        st.markdown("**Staffed Tier 1**")
        tickets = st.number_input(
            "Tickets per user a month (after self-service)",
            min_value=0.0,
            max_value=10.0,
            value=round(tickets, 3),
            step=0.05,
            format="%.3f",
            key="actuals.desk.tickets",
        )
        per_agent = st.number_input(
            "Tickets one agent handles a month",
            min_value=1.0,
            max_value=5000.0,
            value=per_agent,
            step=25.0,
            format="%.0f",
            key="actuals.desk.per_agent",
        )
        cost = st.number_input(
            "Loaded cost of an agent a month ($)",
            min_value=0.0,
            max_value=100_000.0,
            value=round(cost, 2),
            step=100.0,
            key="actuals.desk.cost",
        )
        minimum = st.number_input(
            "Fewest agents kept",
            min_value=0,
            max_value=500,
            value=minimum,
            key="actuals.desk.minimum",
        )
        overhead = st.number_input(
            "Running cost at any size, a month ($): tools, a lead",
            min_value=0.0,
            max_value=1_000_000.0,
            value=0.0,
            step=500.0,
            key="actuals.desk.overhead",
        )
    with right:
        st.markdown("**Managed contract**")
        # A Tier 1 ticket costs about $22 fully loaded (MetricNet): the
        # contract starts priced at that, per ticket.
        pricing = st.radio(
            "Priced",
            [Pricing.PER_TICKET, Pricing.PER_USER],
            format_func=lambda p: p.value,
            horizontal=True,
            key="actuals.contract.pricing",
        )
        price = st.number_input(
            "Price a user a month ($)"
            if pricing is Pricing.PER_USER
            else "Price a ticket ($)",
            min_value=0.0,
            max_value=10_000.0,
            value=14.0 if pricing is Pricing.PER_USER else 22.0,
            step=0.5,
            key=f"actuals.contract.price.{pricing.name}",
            help="An outsourced help desk is quoted at $60 to $85 a workstation a "
            "month in price surveys; a Tier 1 ticket costs about $22 fully loaded "
            "(benchmarks, not quotes).",
        )
        fee = st.number_input(
            "Fixed fee a month ($)",
            min_value=0.0,
            max_value=1_000_000.0,
            value=0.0,
            step=500.0,
            key="actuals.contract.fee",
        )
    desk = InHouseDesk(tickets, per_agent, cost, int(minimum), overhead)
    contract = Contract(pricing, price, fee)
    found = break_even(desk, contract)
    if found.users is None:
        st.info(found.reason, icon=":material/balance:")
    else:
        side = (
            "already past it"
            if users_now >= found.users
            else f"{count(found.users - users_now)} users short of it"
        )
        st.markdown(
            f"A staffed Tier 1 costs no more than the contract from "
            f"**{count(found.users)} supported users** on; at {count(users_now)} users "
            f"today the company is {side}. Agents cost {money(found.desk_per_user)} a "
            f"user a month against the contract's {money(found.contract_per_user)}."
        )
    show_altair(
        st,
        sourcing_chart(desk, contract, found, users_now),
        width="stretch",
        height=CHART_HEIGHT,
    )


def actuals_page() -> None:
    st.title("Actuals")
    st.caption(
        "What happened, quarter by quarter: CPSU and its streaks, quality beside "
        "cost, the experience curve of the company's own history, and the plan "
        "held against the actuals. A file with errors is refused and the actuals "
        "you had stay."
    )
    _upload_row()
    _report()
    workspace = state.workspace()
    actuals = _actuals()
    weight = workspace.scenario.service_desk.contingent_weight
    table = history(_weighted(actuals, weight))
    st.caption(
        f"{plain(st.session_state.get(SOURCE, ''))} · {len(table)} "
        f"{'quarter' if len(table) == 1 else 'quarters'}, "
        f"{span(table['quarter'].iat[0], table['quarter'].iat[-1])}"
    )
    note = _weight_note(weight, "the workbook's Service desk sheet")
    if note:
        st.caption(note)
    _headline(table)
    try:
        curve = fit_experience_curve(table["supported_users"], table["cpsu"])
    except ActualsError as problem:
        curve = None
        curve_note = str(problem)
    show_altair(
        st,
        cpsu_history_chart(table, curve),
        width="stretch",
        height=CHART_HEIGHT,
    )
    warnings = quality_warnings(table)
    for warning in warnings:
        st.warning(warning.message, icon=":material/warning:")
    show_altair(st, indexed_chart(table), width="stretch", height=CHART_HEIGHT)
    if table[["resolution_rate", "satisfaction"]].notna().any().any():
        show_altair(
            st,
            quality_chart(table, warnings),
            width="stretch",
            height=CHART_HEIGHT,
        )
    else:
        st.info(
            "The actuals hold no resolution rate or satisfaction, so quality cannot "
            "be shown beside cost. Add the columns Resolution rate and Satisfaction.",
            icon=":material/info:",
        )

    st.header("Experience curve")
    scenario = state.current_scenario()
    # The scenario in use is judged against the history in its own unit: when
    # its contingent weight is not the workspace's, the curve is fitted on
    # the history counted at the scenario's weight.
    scenario_weight = scenario.service_desk.contingent_weight
    curve_table = table
    if curve is not None and scenario_weight != weight:
        curve_table = history(_weighted(actuals, scenario_weight))
        try:
            curve = fit_experience_curve(
                curve_table["supported_users"], curve_table["cpsu"]
            )
        except ActualsError as problem:
            curve = None
            curve_note = str(problem)
    if curve is None:
        st.info(curve_note, icon=":material/info:")
    else:
        if scenario_weight != weight:
            st.caption(
                f"Here contingent workers are counted at {scenario_weight:g} of a "
                f"user, as the scenario in use ({plain(scenario.name)}) counts them, "
                "so that the history and the plan are in one unit."
            )
        try:
            plan = projection_of(workspace, scenario).table
        except ProjectionError:
            plan = None
        verdict = None
        if plan is not None:
            verdict = plan_verdict(
                curve,
                float(plan["supported_users"].iat[-1]),
                float(plan["cpsu"].iat[-1]),
            )
        b_column, doubling_column, r2_column = st.columns(3)
        b_column.metric("b (the curve's slope)", f"{curve.b:.3f}")
        doubling_column.metric(
            "CPSU change per doubling of users",
            percent(-curve.per_doubling, signed=True),
        )
        r2_column.metric("R squared (on logs)", f"{curve.r2:.3f}")
        show_altair(
            st,
            experience_curve_chart(curve_table, curve, plan, verdict, scenario.name),
            width="stretch",
        )
        if verdict is not None and plan is not None:
            users_then = float(plan["supported_users"].iat[-1])
            st.markdown(
                f"The **{plain(scenario.name)}** scenario reaches "
                f"{money(plan['cpsu'].iat[-1])} at {count(users_then)} users by "
                f"{plan['quarter'].iat[-1]}; the history's curve says "
                f"{money(float(curve.cpsu(users_then)))}. The plan is "
                f"**{verdict.value}**."
            )

    _plan_section(actuals, workspace)
    _sourcing_section(workspace, float(table["supported_users"].iat[-1]))

    with st.expander("The history as a table"):
        history_table, history_config = shown_arrow(
            {label: table[name] for name, (label, _) in TABLE_COLUMNS.items()},
            [
                Column(label, label, HISTORY_KINDS[shown])
                for label, shown in TABLE_COLUMNS.values()
            ],
        )
        st.dataframe(
            history_table,
            hide_index=True,
            placeholder=MISSING,
            column_config=history_config,
        )
