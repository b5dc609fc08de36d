"""The line-change editor, driven by AppTest on the sample company."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def editor_script() -> None:
    from dataclasses import replace
    from pathlib import Path

    import streamlit as st

    from cpsu.ingest import read_upload
    from cpsu.ingest.checks import checked_workspace
    from cpsu.projection import project
    from cpsu.ui.line_changes import line_changes_editor

    sample = Path("sample_data/sample_company.xlsx")
    if "workspace" not in st.session_state:
        upload = read_upload(sample.read_bytes(), sample.name)
        workspace = checked_workspace(None, upload, sample.name)[0]
        st.session_state.workspace = workspace
        st.session_state.scenario = replace(workspace.scenario, horizon_quarters=4)
    workspace = st.session_state.workspace
    scenario = st.session_state.scenario
    projection = project(workspace.cost_base, workspace.headcount, scenario)

    def apply(changed):
        st.session_state.scenario = changed

    line_changes_editor(
        workspace,
        scenario,
        projection.table["quarter"].tolist(),
        apply,
        disabled=st.session_state.get("locked", False),
    )
    st.text(f"changes={len(scenario.changes)}")
    st.text(f"last={projection.table['monthly_opex'].iloc[-1]:.2f}")
    st.text(f"users={projection.table['supported_users'].iloc[-1]:.0f}")


OPEN = "scenarios.line_change.open"


def new_app() -> AppTest:
    app = AppTest.from_function(editor_script, default_timeout=60)
    app.session_state[OPEN] = True  # the user opened "Line changes"
    return app.run()


def test_the_editor_draws_nothing_until_it_is_opened():
    app = AppTest.from_function(editor_script, default_timeout=60).run()
    assert not app.exception
    assert [e.label for e in app.expander] == ["Line changes"]
    assert not app.button and not app.selectbox


def figure(app: AppTest, name: str) -> str:
    return next(t.value for t in app.text if t.value.startswith(name + "=")).split("=")[
        1
    ]


def test_a_new_price_is_added_listed_and_removed():
    app = new_app()
    before = float(figure(app, "last"))
    app.selectbox(key="scenarios.line_change.price.item").set_value("Microsoft 365 E3")
    app.run()
    app.number_input(
        key="scenarios.line_change.price.value.Microsoft 365 E3"
    ).set_value(0.0)
    app.button(key="scenarios.line_change.price.add").click().run()
    assert not app.exception
    assert figure(app, "changes") == "1"
    after = float(figure(app, "last"))
    # Microsoft 365 E3 free from quarter 1: the horizon's run-rate (quarter 4,
    # a year on) falls by the licence's cost then, $39 a user a month escalated
    # 3% for the year, times the users: 39 x 1.03 x 1,837 = 73,792.29.
    users = float(figure(app, "users"))
    assert round(before - after, 2) == round(39 * 1.03 * users, 2)
    listed = [m.value.replace("\\", "") for m in app.markdown]
    assert any("Microsoft 365 E3 at $0.00" in text for text in listed)
    remove = [b for b in app.button if b.label == "Remove"]
    remove[0].click().run()
    assert figure(app, "changes") == "0"
    assert float(figure(app, "last")) == before


def test_a_new_tool_with_a_taken_name_is_refused_in_words():
    app = new_app()
    app.radio(key="scenarios.line_change.kind").set_value("A new tool or asset").run()
    app.text_input(key="scenarios.line_change.tool.name").input("microsoft 365 e3")
    app.button(key="scenarios.line_change.tool.add").click().run()
    assert not app.exception
    assert "exists already" in app.error[0].value
    assert figure(app, "changes") == "0"


def test_a_locked_scenario_offers_no_change():
    app = AppTest.from_function(editor_script, default_timeout=60)
    app.session_state["locked"] = True
    app.session_state[OPEN] = True
    app.run()
    assert not app.exception
    assert not [b for b in app.button if b.key and b.key.endswith(".add")]
