"""Projections kept for slider changes: always the projection `project` gives."""

from __future__ import annotations

import json
from pathlib import Path

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
    st.text(str(len(st.session_state["projections.models"].models)))


def test_a_kept_model_gives_the_projection_project_gives():
    app = AppTest.from_function(kept_model_script, default_timeout=60).run()
    assert not app.exception
    assert app.text[0].value == "[" + ", ".join(["true"] * 9) + "]"
    # At most four models are kept in a session.
    assert app.text[1].value == "4"
    # A rerun (the same workspace object) still agrees.
    app.run()
    assert app.text[0].value == "[" + ", ".join(["true"] * 9) + "]"


# --- chart data written into the views ---------------------------------------------


def _views(spec):
    """Every view of a spec with its data, layers within layers included."""
    for layer in spec.get("layer", []):
        yield from _views(layer)
    if "mark" in spec:
        yield spec


def test_a_layered_chart_carries_each_dataset_in_the_layers_that_read_it():
    from cpsu.charts import cpsu_spec
    from cpsu.ui.projections import inline_datasets
    from tests.test_charts import projection

    spec = cpsu_spec(projection().table)
    inlined = inline_datasets(spec)

    assert "datasets" not in inlined and "data" not in inlined
    line, rule, label = inlined["layer"]
    assert line["data"] == {"values": spec["datasets"]["cpsu"]}
    assert rule["data"] == label["data"] == {"values": spec["datasets"]["baseline"]}
    # Apart from where the data is, the chart is the same...
    for view, original in zip(inlined["layer"], spec["layer"], strict=True):
        assert {**view, "data": original["data"]} == original
    assert {k: v for k, v in inlined.items() if k != "layer"} == {
        k: v for k, v in spec.items() if k not in ("layer", "datasets")
    }
    # ...and the spec it was made from, whose layers are shared, is untouched.
    assert spec["layer"][0]["data"] == {"name": "cpsu"}


def test_a_single_view_becomes_the_one_layer_that_holds_its_data():
    from cpsu.charts import agents_spec
    from cpsu.ui.projections import inline_datasets
    from tests.test_charts import projection

    spec = agents_spec(projection().agents_by_tier())
    inlined = inline_datasets(spec)

    (view,) = inlined["layer"]
    assert view == {
        "data": {"values": spec["datasets"]["agents"]},
        "mark": spec["mark"],
        "encoding": spec["encoding"],
    }
    assert inlined["title"] == spec["title"]
    assert inlined["description"] == spec["description"]
    assert not {"data", "mark", "encoding", "datasets"} & set(inlined)


def test_data_it_cannot_place_or_too_many_rows_stay_named():
    from cpsu.ui.projections import INLINE_ROWS, inline_datasets

    big = {
        "mark": "point",
        "data": {"name": "rows"},
        "datasets": {"rows": [{"x": n} for n in range(INLINE_ROWS + 1)]},
    }
    assert inline_datasets(big) is big
    facet = {
        "data": {"name": "rows"},
        "facet": {"row": {"field": "x"}},
        "spec": {"mark": "point"},
        "datasets": {"rows": [{"x": 1}]},
    }
    assert inline_datasets(facet) is facet
    unnamed = {"mark": "point", "data": {"url": "x.csv"}, "datasets": {}}
    assert inline_datasets(unnamed) is unnamed
    nested_facet = {
        "hconcat": [{"data": {"name": "rows"}, "facet": {}, "spec": {}}],
        "datasets": {"rows": [{"x": 1}]},
    }
    assert inline_datasets(nested_facet) is nested_facet
    # A dataset no view reads may be read where inlining does not look.
    unread = {"layer": [{"mark": "point"}], "datasets": {"rows": [{"x": 1}]}}
    assert inline_datasets(unread) is unread


def test_a_lookup_reads_its_dataset_inline_too():
    from cpsu.ui.projections import inline_datasets

    lookup = {"lookup": "x", "from": {"data": {"name": "names"}, "key": "x"}}
    spec = {
        "layer": [{"data": {"name": "rows"}, "mark": "point", "transform": [lookup]}],
        "datasets": {"rows": [{"x": 1}], "names": [{"x": 1, "name": "one"}]},
    }
    (view,) = inline_datasets(spec)["layer"]
    assert view["transform"] == [
        {
            "lookup": "x",
            "from": {"data": {"values": [{"x": 1, "name": "one"}]}, "key": "x"},
        }
    ]
    assert lookup["from"]["data"] == {"name": "names"}  # not changed in place


def test_every_compare_and_scenarios_chart_travels_without_top_level_data():
    root = Path(__file__).resolve().parent.parent
    app = AppTest.from_file(str(root / "app.py"), default_timeout=60).run()
    for page in ("app_pages/scenarios.py", "app_pages/compare.py"):
        app.switch_page(page).run()
        assert not app.exception
        charts = app.get("vega_lite_chart")
        assert charts
        for chart in charts:
            spec = json.loads(chart.proto.spec)
            assert not chart.proto.datasets and not chart.proto.data.data
            assert "datasets" not in spec
            assert all("values" in view["data"] for view in _views(spec))


def kept_projection_script() -> None:
    import json
    from dataclasses import replace
    from pathlib import Path

    import streamlit as st

    from cpsu.ingest import read_upload
    from cpsu.ingest.checks import checked_workspace
    from cpsu.projection import Assumptions, project, run_model
    from cpsu.ui.projections import kept_model, kept_projection, kept_run

    sample = Path("sample_data/sample_company.xlsx")
    if "workspace" not in st.session_state:
        upload = read_upload(sample.read_bytes(), sample.name)
        st.session_state.workspace = checked_workspace(None, upload, sample.name)[0]
    workspace = st.session_state.workspace
    base = replace(workspace.scenario, name="Base")
    other = replace(base, name="Other", growth_per_quarter=0.2)
    first = kept_projection(workspace, base)
    kept_other = kept_projection(workspace, other)
    again = [
        kept_projection(workspace, base) is first,
        kept_projection(workspace, other) is kept_other,
    ]
    moved = replace(base, growth_per_quarter=0.01)
    after_move = kept_projection(workspace, moved)
    fresh = project(workspace.cost_base, workspace.headcount, moved).table
    another_workspace = replace(workspace)
    # The run of the projection is given again for the same assumptions only.
    run = kept_run(workspace, moved)
    fresh_run = run_model(kept_model(workspace, base), Assumptions.of(base))
    runs = [
        kept_run(workspace, replace(moved, name="Renamed")) is run,
        kept_run(workspace, base) is not run,
        (kept_run(workspace, base).cpsu == fresh_run.cpsu).all(),
    ]
    st.text(json.dumps([bool(same) for same in runs]))
    st.text(
        json.dumps(
            [
                *again,
                # The scenario's assumptions moved: projected afresh, and right.
                after_move is not first and after_move.table.equals(fresh),
                # Back again: the name keeps its last projection only.
                kept_projection(workspace, base) is not first,
                kept_projection(another_workspace, other) is not kept_other,
            ]
        )
    )


def test_a_kept_projection_is_given_again_only_for_the_same_assumptions():
    app = AppTest.from_function(kept_projection_script, default_timeout=60).run()
    assert not app.exception
    assert app.text[0].value == "[true, true, true]"
    assert app.text[1].value == "[true, true, true, true, true]"
