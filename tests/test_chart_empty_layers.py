"""A layer with no rows is left out of the chart the page draws.

It would draw nothing, and the browser's Vega warns of an "infinite extent"
for each of its fields (tests/e2e/test_console.py watches the console).
"""

from __future__ import annotations

import json

import vl_convert

from cpsu.charts import without_empty_layers
from cpsu.compare_charts import funding_spec
from tests.test_compare_charts import GROW, HOLD, SHRINK, funding


def layer_names(spec: dict) -> list[str]:
    return [layer.get("name") for layer in spec["layer"]]


def test_a_layer_reading_an_empty_dataset_goes_with_its_dataset():
    spec = {
        "layer": [
            {"name": "bars", "data": {"name": "a"}, "mark": "bar"},
            {"name": "labels", "data": {"name": "b"}, "mark": "text"},
        ],
        "datasets": {"a": [{"x": 1}], "b": []},
    }
    before = json.dumps(spec)
    shown = without_empty_layers(spec)
    assert layer_names(shown) == ["bars"]
    assert shown["datasets"] == {"a": [{"x": 1}]}
    assert json.dumps(spec) == before, "the spec given is left as it was"


def test_a_chart_with_no_empty_layer_is_given_back_as_it_is():
    spec = {
        "layer": [{"name": "bars", "data": {"name": "a"}, "mark": "bar"}],
        "datasets": {"a": [{"x": 1}]},
    }
    assert without_empty_layers(spec) is spec


def test_a_layer_whose_parts_read_data_of_their_own_stays():
    spec = {
        "layer": [
            {"name": "bars", "data": {"name": "a"}, "mark": "bar"},
            {
                "name": "group",
                "data": {"name": "b"},
                "layer": [{"data": {"name": "a"}, "mark": "rule"}],
            },
        ],
        "datasets": {"a": [{"x": 1}], "b": []},
    }
    assert layer_names(without_empty_layers(spec)) == ["bars", "group"]


def test_an_empty_dataset_another_part_still_reads_is_kept():
    spec = {
        "layer": [
            {"name": "bars", "data": {"name": "a"}, "mark": "bar"},
            {"name": "labels", "data": {"name": "b"}, "mark": "text"},
        ],
        "transform": [{"lookup": "x", "from": {"data": {"name": "b"}}}],
        "datasets": {"a": [{"x": 1}], "b": []},
    }
    shown = without_empty_layers(spec)
    assert layer_names(shown) == ["bars"]
    assert shown["datasets"] == {"a": [{"x": 1}], "b": []}


def test_the_funding_chart_loses_only_its_empty_layers_and_still_compiles():
    # Hold and Grow over the same years: every bar has a figure and none goes
    # down, so the "no figure" labels and the downward labels have no rows.
    spec = funding_spec(funding(HOLD, GROW))
    assert spec["datasets"]["no_figure"] == []
    assert spec["datasets"]["labels_down"] == []
    shown = without_empty_layers(spec)
    assert layer_names(shown) == ["funding_bars", "value_labels_up", "zero_rule"]
    vl_convert.vegalite_to_vega(shown)
    # A scenario that saves has bars going down: their labels stay.
    down = without_empty_layers(funding_spec(funding(SHRINK)))
    assert "value_labels_down" in layer_names(down)
