"""Projections kept for slider changes: always the projection `project` gives."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def kept_model_script() -> None:
    import json
    from dataclasses import replace
    from pathlib import Path

    import streamlit as st

    from cpsu.ingest import read_upload
    from cpsu.ingest.checks import checked_workspace
    from cpsu.projection import project
    from cpsu.scenario import LineChange
    from cpsu.ui.projections import projection_of

    sample = Path("sample_data/sample_company.xlsx")
    if "workspace" not in st.session_state:
        upload = read_upload(sample.read_bytes(), sample.name)
        st.session_state.workspace = checked_workspace(None, upload, sample.name)[0]
    workspace = st.session_state.workspace
    base = workspace.scenario
    first = workspace.cost_base.lines[0]
    desk = base.service_desk
    # Each step moves one thing; the kept model must serve only the steps that
    # leave what it was compiled from alone.
    steps = [
        base,
        replace(base, growth_per_quarter=0.2),
        replace(base, service_desk=replace(desk, deflection=0.3)),
        replace(base, horizon_quarters=12),
        replace(base, horizon_quarters=12, growth_per_quarter=0.01),
        replace(base, contingent_share=0.4),
        replace(base, service_desk=replace(desk, contingent_weight=0.5)),
        replace(
            base,
            changes=(LineChange(first.item, 2, replace(first, unit_cost=1.0)),),
        ),
        base,
    ]
    same = []
    for scenario in steps:
        quick = projection_of(workspace, scenario).table
        fresh = project(workspace.cost_base, workspace.headcount, scenario).table
        same.append(quick.equals(fresh))
    st.text(json.dumps(same))
    st.text(str(len(st.session_state["projections.models"])))


def test_a_kept_model_gives_the_projection_project_gives():
    app = AppTest.from_function(kept_model_script, default_timeout=60).run()
    assert not app.exception
    assert app.text[0].value == "[" + ", ".join(["true"] * 9) + "]"
    # At most four models are kept in a session.
    assert app.text[1].value == "4"
    # A rerun (the same workspace object) still agrees.
    app.run()
    assert app.text[0].value == "[" + ", ".join(["true"] * 9) + "]"
