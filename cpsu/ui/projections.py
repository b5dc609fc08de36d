"""Projections as a page needs them at each slider change: quickly.

A slider that moves an assumption (growth, tickets, deflection...) changes
none of what `compile_model` reads, so the session keeps the model it last
compiled, with the workspace and the part of the scenario it was compiled
for, and runs it again with the new assumptions. Anything else (another
cost base, horizon, contingent share or weight, line changes) compiles
afresh. The model is the session's own: another session never sees it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cpsu.projection import Model, Projection, compile_model, model_key, project
from cpsu.scenario import Scenario, Workspace

_MODELS = "projections.models"
_KEPT = 4  # models kept a session: the Scenarios page's and a few compared


def _model(workspace: Workspace, scenario: Scenario) -> Model:
    kept: list[tuple[Workspace, tuple, Model]] = st.session_state.setdefault(
        _MODELS, []
    )
    key = model_key(scenario)
    for index, (owner, owner_key, model) in enumerate(kept):
        if owner is workspace and owner_key == key:
            if index:
                kept.insert(0, kept.pop(index))
            return model
    model = compile_model(workspace.cost_base, workspace.headcount, scenario)
    kept.insert(0, (workspace, key, model))
    del kept[_KEPT:]
    return model


def kept_model(workspace: Workspace, scenario: Scenario) -> Model:
    """A model compiled for the workspace and the scenario's model_key (its
    assumptions may be another scenario's: give it to functions that take a
    `model` with the scenario, which set them)."""
    return _model(workspace, scenario)


def projection_of(workspace: Workspace, scenario: Scenario) -> Projection:
    """The workspace projected under the scenario, from a kept model if one fits.

    Raises ProjectionError as `project` does.
    """
    return project(
        workspace.cost_base,
        workspace.headcount,
        scenario,
        model=_model(workspace, scenario),
    )


# Streamlit sends a spec's named datasets and top-level data as Arrow tables,
# converting each through pandas, which takes longer than the rest of a small
# chart. Data written into the views themselves travels in the spec's JSON.
# That suits the small tables of a projection's charts; a larger one goes
# as Arrow, which is then the quicker.
INLINE_ROWS = 2_000
# What a single view holds, moved into a layer of one when its data is inlined
# (Vega-Lite reads the rest, such as the title and size, from the top level).
_VIEW_KEYS = frozenset({"data", "mark", "encoding", "transform", "name"})
_COMPOSED = ("layer", "concat", "hconcat", "vconcat")


def _with_values(node: Any, datasets: dict[str, list[Any]]) -> Any:
    """`node` (a part of a spec) with each `{"name": ...}` data of a dataset
    replaced by the dataset's values; the parts it changes are copies."""
    if isinstance(node, list):
        return [_with_values(item, datasets) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {}
    for name, value in node.items():
        data_name = value.get("name") if isinstance(value, dict) else None
        if name == "data" and data_name in datasets:
            rest = {key: part for key, part in value.items() if key != "name"}
            copied[name] = {**rest, "values": datasets[data_name]}
        else:
            copied[name] = _with_values(value, datasets)
    return copied


def inline_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """The same chart with its named datasets written into the views that read
    them, so that no data is left at the top level of the spec.

    A spec it cannot rewrite so (a facet or repeat, data it does not name,
    a view of more than `_VIEW_KEYS`, a dataset of more than INLINE_ROWS rows
    in all) is returned as it is.
    """
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not all(
        isinstance(rows, list) for rows in datasets.values()
    ):
        return spec
    if sum(len(rows) for rows in datasets.values()) > INLINE_ROWS:
        return spec
    top = {key: value for key, value in spec.items() if key != "datasets"}
    data = top.get("data")
    if data is not None:
        if not (isinstance(data, dict) and data.get("name") in datasets):
            return spec
        if "mark" in top:
            # A single view: its data cannot stay at the top, so the view
            # becomes the one layer of a layered chart.
            view = {key: top.pop(key) for key in list(top) if key in _VIEW_KEYS}
            if set(top) & {"params", "projection", "facet", "repeat", "spec"}:
                return spec
            top["layer"] = [view]
        elif "layer" in top:
            # The layers that have no data of their own read the top level's.
            del top["data"]
            top["layer"] = [
                layer if "data" in layer else {"data": data, **layer}
                for layer in top["layer"]
            ]
        else:
            return spec
    if not any(key in top for key in _COMPOSED) and "mark" not in top:
        return spec
    return _with_values(top, datasets)


def show_spec(container: Any, spec: dict[str, Any], key: str) -> None:
    """Draw a Vega-Lite spec from cpsu.charts in the product's theme."""
    container.vega_lite_chart(
        inline_datasets(spec), theme=None, key=key, width="stretch"
    )
