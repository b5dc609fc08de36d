"""The GL mapping step: rules that turn a finance export into cost lines.

A GL export is a list of postings, not cost lines. The user writes rules
(an account range, a cost centre, a vendor or words of the description, to a
pool and a behaviour), sees what each rule catches and what is still
unmapped, checks that mapped and unmapped add up to the export's total, and
only then uses the mapped lines as the cost base. Rules stay in the session
and are applied to the next export; they also download and upload as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cpsu.costs import POOLS, Behaviour
from cpsu.formatting import count, money
from cpsu.ingest.gl import GLExport
from cpsu.ingest.issues import Issue, errors
from cpsu.mapping import (
    MAPPED_BEHAVIOURS,
    Field,
    Mapping,
    Rule,
    apply_rules,
    cost_lines,
    load_rules,
    mapped_lines,
    negative_run_rate,
    save_rules,
)
from cpsu.ui import oplog, state
from cpsu.ui.tables import issue_frame
from cpsu.ui.text import plain

GL_EXPORT = state.GL_EXPORT
RULES = state.RULES
RULES_FILE_ID = "mapping_rules_file_id"
RULES_REPORT = "mapping_rules_report"
QUEUE_SHOWN = 100

FIELD_LABELS = {
    Field.ACCOUNT: "Account (number, range 6100-6199 or prefix 61*)",
    Field.COST_CENTRE: "Cost centre",
    Field.VENDOR: "Vendor",
    Field.DESCRIPTION: "Description words",
}


@dataclass(frozen=True)
class RulesReport:
    """What the last rules file held: how many rules, or every problem in it."""

    file_id: str
    file_name: str
    rules: int
    problems: tuple[Issue, ...]


def rules() -> tuple[Rule, ...]:
    return st.session_state[RULES]


def _add_rule() -> None:
    """Form callback: add the rule the user wrote, or say what is wrong with it."""
    try:
        rule = Rule(
            field=st.session_state["mapping.field"],
            pattern=st.session_state["mapping.pattern"],
            pool=st.session_state["mapping.pool"],
            behaviour=st.session_state["mapping.behaviour"],
            line_name=st.session_state["mapping.line_name"],
        )
    except ValueError as problem:
        st.session_state["mapping.problem"] = str(problem)
        return
    st.session_state[RULES] = (*rules(), rule)
    st.session_state["mapping.problem"] = None
    st.session_state["mapping.pattern"] = ""
    st.session_state["mapping.line_name"] = ""


def _remove_rule() -> None:
    index = st.session_state.get("mapping.remove")
    if index is not None:
        st.session_state[RULES] = tuple(r for i, r in enumerate(rules()) if i != index)


def _use_mapped_lines(mapping: Mapping, source: str) -> None:
    users = state.baseline_projection().baseline["supported_users"]
    state.replace_cost_lines(cost_lines(mapping, float(users)), f"GL export {source}")
    st.session_state[GL_EXPORT] = None


def _rule_form() -> None:
    with st.form("mapping.rule_form", clear_on_submit=False, border=True):
        st.markdown("**Add a rule**")
        field, pattern = st.columns([1, 2])
        field.selectbox(
            "Look at",
            list(Field),
            format_func=lambda f: FIELD_LABELS[f],
            key="mapping.field",
        )
        pattern.text_input(
            "Pattern", key="mapping.pattern", placeholder="6100-6199, Microsoft, laptop"
        )
        pool, behaviour, name = st.columns(3)
        pool.selectbox("Pool", POOLS, key="mapping.pool")
        behaviour.selectbox(
            "Behaviour",
            list(MAPPED_BEHAVIOURS),
            format_func=lambda b: Behaviour(b).value,
            key="mapping.behaviour",
        )
        name.text_input("Line name (optional)", key="mapping.line_name")
        st.form_submit_button("Add rule", on_click=_add_rule, type="primary")
    if problem := st.session_state.get("mapping.problem"):
        st.error(plain(problem))


def _rules_files() -> None:
    download, upload = st.columns(2)
    download.download_button(
        "Download the rules (JSON)",
        data=save_rules(rules()),
        file_name="cpsu-mapping-rules.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key="mapping.rules_download",
        disabled=not rules(),
    )
    rules_file = upload.file_uploader(
        "Load rules saved earlier", type=["json"], key="mapping.rules_upload"
    )
    if rules_file is None:
        return
    if st.session_state.get(RULES_FILE_ID) != rules_file.file_id:
        st.session_state[RULES_FILE_ID] = rules_file.file_id
        loaded, problems = load_rules(rules_file.getvalue(), rules_file.name)
        st.session_state[RULES_REPORT] = RulesReport(
            rules_file.file_id, rules_file.name, len(loaded), tuple(problems)
        )
        size = len(rules_file.getvalue())
        if errors(problems):
            oplog.upload_refused("Cost base", "rules", rules_file.name, size, problems)
        else:
            oplog.upload_accepted(
                "Cost base", "rules", rules_file.name, size, len(loaded), "rules"
            )
        if loaded:
            st.session_state[RULES] = loaded
            st.rerun()
    report = st.session_state.get(RULES_REPORT)
    if report is None or report.file_id != rules_file.file_id:
        return
    name = plain(report.file_name)
    if errors(report.problems):
        st.error(
            f"**{name}** was not used; the rules you had stay. Each problem below "
            "names its rule and says what to write.",
            icon=":material/block:",
        )
        st.table(issue_frame(report.problems), hide_index=True)
    elif report.rules == 0:
        st.warning(
            f"**{name}** holds no rules, so the rules you had stay.",
            icon=":material/fact_check:",
        )
    else:
        st.success(
            f"{report.rules} {'rule' if report.rules == 1 else 'rules'} loaded from "
            f"**{name}**; they replace the rules you had.",
            icon=":material/check:",
        )
        if report.problems:
            st.warning(
                f"Check **{name}**: each key below was ignored.",
                icon=":material/fact_check:",
            )
            st.table(issue_frame(report.problems), hide_index=True)


def mapping_section(export: GLExport) -> None:
    """The whole mapping step for one GL export."""
    mapping = apply_rules(export, rules())
    st.header(f"Map the GL export: {plain(export.source)}")
    st.caption(
        f"{count(len(export.entries))} "
        f"{'posting' if len(export.entries) == 1 else 'postings'} over "
        f"{len(export.months)} {'month' if len(export.months) == 1 else 'months'} "
        f"({export.months[0]} to {export.months[-1]}). Each posting goes to the "
        "first rule that catches it; a line costs its rule's total over those months."
        if export.months
        else "The export holds no postings."
    )

    total, mapped, unmapped = st.columns(3)
    total.metric("Export total", money(export.total))
    mapped.metric("Mapped", money(mapping.mapped_total))
    unmapped.metric(
        "Unmapped",
        money(mapping.unmapped_total),
        help="Postings no rule catches; they are left out of the cost base",
    )
    if not mapping.reconciles:
        st.error("Mapped and unmapped postings do not add up to the export's total.")

    _rule_form()

    previews = mapping.previews
    if previews:
        st.markdown("**Rules, in the order they apply**")
        frame = pd.DataFrame(
            [
                {
                    "Rule": f"{i + 1}. {p.rule.field.value} = {p.rule.pattern}",
                    "Line": p.name,
                    "Pool": p.rule.pool,
                    "Behaviour": p.rule.behaviour.value,
                    "Postings": p.entries,
                    "Total": money(p.total),
                    "A month": money(p.total / max(len(export.months), 1)),
                }
                for i, p in enumerate(previews)
            ]
        )
        st.dataframe(frame, hide_index=True, key="mapping.previews")
        remove, button = st.columns([3, 1], vertical_alignment="bottom")
        remove.selectbox(
            "Remove a rule",
            range(len(previews)),
            format_func=lambda i: f"{i + 1}. {previews[i].name}",
            key="mapping.remove",
        )
        button.button("Remove", on_click=_remove_rule, key="mapping.remove_button")

    queue = mapping.unmapped()
    groups = "group" if len(queue) == 1 else "groups"
    st.markdown(f"**Unmapped queue: {count(len(queue))} {groups}**")
    if len(queue):
        shown = queue.head(QUEUE_SHOWN).assign(total=queue["total"].map(money))
        st.dataframe(
            shown.rename(
                columns={
                    "account": "Account",
                    "vendor": "Vendor",
                    "description": "Description",
                    "entries": "Postings",
                    "total": "Total",
                }
            ),
            hide_index=True,
            key="mapping.queue",
        )
    else:
        st.caption("Every posting is mapped.")

    _rules_files()

    lines = sum(1 for p in previews if p.entries)
    below_zero = negative_run_rate(mapped_lines(mapping))
    if below_zero is not None:
        st.error(plain(below_zero.message), icon=":material/block:")
    label = f"Use the {lines} mapped lines as the cost base"
    if mapping.unmapped_cents:
        label += f" ({money(mapping.unmapped_total)} unmapped left out)"
    st.button(
        label,
        type="primary",
        disabled=lines == 0 or below_zero is not None,
        on_click=_use_mapped_lines,
        args=(mapping, export.source),
        key="mapping.use",
    )
