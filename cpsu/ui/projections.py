"""Projections as a page needs them at each slider change: quickly.

A slider that moves an assumption (growth, tickets, deflection...) changes
none of what `compile_model` reads, so the session keeps the model it last
compiled, with the workspace and the part of the scenario it was compiled
for, and runs it again with the new assumptions. Anything else (another
cost base, horizon, contingent share or weight, line changes) compiles
afresh. The model is the session's own: another session never sees it.

The Compare page projects several scenarios at each change, while a slider
moves only the chosen one: the session keeps the last projection of each
scenario by name, with the workspace and the assumptions it was made for,
and gives it again while neither has changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import altair as alt
import streamlit as st

from cpsu.charts import chart_alt, without_empty_layers
from cpsu.projection import (
    Assumptions,
    Model,
    ModelRun,
    Projection,
    compile_model,
    model_key,
    project,
    run_model,
)
from cpsu.scenario import Scenario, Workspace

_MODELS = "projections.models"
_KEPT = 4  # models kept a session: the Scenarios page's and a few compared
_KEPT_PROJECTIONS = 8  # scenarios whose last projection a session keeps


@dataclass
class _Kept:
    """What a session keeps between slider changes: models, most recent
    first, and the last projection of each scenario name."""

    models: list[tuple[Workspace, tuple, Model]] = field(default_factory=list)
    projections: dict[str, tuple[Workspace, Scenario, Projection]] = field(
        default_factory=dict
    )
    run: tuple[Model, tuple, ModelRun] | None = None


def _kept() -> _Kept:
    # One session-state key for all of it: Streamlit walks every key at
    # each widget drawn.
    return st.session_state.setdefault(_MODELS, _Kept())


def _model(workspace: Workspace, scenario: Scenario) -> Model:
    kept = _kept().models
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


def _assumptions_key(scenario: Scenario) -> tuple:
    """What of a scenario `Assumptions.of` reads."""
    return (scenario.growth_per_quarter, scenario.service_desk, scenario.levers)


def kept_run(workspace: Workspace, scenario: Scenario) -> ModelRun:
    """The kept model (`kept_model`) run with the scenario's assumptions: the
    last run again while they are the same, as when a page asks the same run
    for the projection, the hire triggers and the guardrails."""
    model = _model(workspace, scenario)
    kept = _kept()
    key = _assumptions_key(scenario)
    if kept.run is not None and kept.run[0] is model and kept.run[1] == key:
        return kept.run[2]
    run = run_model(model, Assumptions.of(scenario))
    kept.run = (model, key, run)
    return run


def projection_of(workspace: Workspace, scenario: Scenario) -> Projection:
    """The workspace projected under the scenario, from a kept model if one fits.

    Raises ProjectionError as `project` does.
    """
    return project(
        workspace.cost_base,
        workspace.headcount,
        scenario,
        model=_model(workspace, scenario),
        run=kept_run(workspace, scenario),
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
_NESTED = frozenset({"facet", "repeat", "spec"})


class _CannotInline(Exception):
    """A part of the spec that reads data where the views do not."""


def _data_values(data: Any, datasets: dict[str, list[Any]], used: set[str]) -> Any:
    name = data.get("name") if isinstance(data, dict) else None
    if name not in datasets:
        return data
    used.add(name)
    return {
        **{key: part for key, part in data.items() if key != "name"},
        "values": datasets[name],
    }


def _with_values(
    view: dict[str, Any], datasets: dict[str, list[Any]], used: set[str]
) -> dict[str, Any]:
    """`view` with each `{"name": ...}` data of a dataset replaced by the
    dataset's values: its own, a lookup's, and its layers' and views'. What
    it changes is copied; the rest is shared with `view`. The names replaced
    are added to `used`."""
    if _NESTED & view.keys():
        raise _CannotInline
    copied = dict(view)
    if "data" in view:
        copied["data"] = _data_values(view["data"], datasets, used)
    if isinstance(view.get("transform"), list):
        steps = []
        for step in view["transform"]:
            source = step.get("from") if isinstance(step, dict) else None
            if isinstance(source, dict) and "data" in source:
                data = _data_values(source["data"], datasets, used)
                step = {**step, "from": {**source, "data": data}}
            steps.append(step)
        copied["transform"] = steps
    for key in _COMPOSED:
        if isinstance(view.get(key), list):
            copied[key] = [
                _with_values(part, datasets, used) if isinstance(part, dict) else part
                for part in view[key]
            ]
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
    used: set[str] = set()
    try:
        inlined = _with_values(top, datasets, used)
    except _CannotInline:
        return spec
    # A dataset no view was found to read may be read where this does not
    # look: the spec keeps its data as it is.
    if used != datasets.keys():
        return spec
    return inlined


def kept_projection(workspace: Workspace, scenario: Scenario) -> Projection:
    """`projection_of`, given again while the workspace and the scenario are
    the ones its name was last projected with.

    Raises ProjectionError as `project` does.
    """
    kept = _kept().projections
    last = kept.get(scenario.name)
    if last is not None and last[0] is workspace and last[1] == scenario:
        return last[2]
    projection = projection_of(workspace, scenario)
    kept.pop(scenario.name, None)
    kept[scenario.name] = (workspace, scenario, projection)
    while len(kept) > _KEPT_PROJECTIONS:
        del kept[next(iter(kept))]
    return projection


def show_altair(container: Any, chart: Any, **options: Any) -> None:
    """Draw an Altair chart in the product's theme, its title and description
    given to screen readers as the chart's name."""
    name = chart_alt(chart)
    if name is not None:
        # The name holds the description: sent twice, Streamlit logs a
        # warning with a stack on every run of the page.
        chart = chart.copy(deep=False)
        chart.description = alt.Undefined
    container.altair_chart(chart, theme=None, alt=name, **options)


def show_spec(container: Any, spec: dict[str, Any], key: str) -> None:
    """Draw a Vega-Lite spec from cpsu.charts in the product's theme."""
    name = chart_alt(spec)
    drawn = inline_datasets(without_empty_layers(spec))
    if name is not None:
        # As in show_altair: the description is said once, in the name.
        drawn = {part: value for part, value in drawn.items() if part != "description"}
    container.vega_lite_chart(drawn, theme=None, key=key, width="stretch", alt=name)
