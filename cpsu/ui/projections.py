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


def show_spec(container: Any, spec: dict[str, Any], key: str) -> None:
    """Draw a Vega-Lite spec from cpsu.charts in the product's theme."""
    container.vega_lite_chart(spec, theme=None, key=key, width="stretch")
