"""Colour is never the only thing that tells a chart's series apart.

Every chart every page draws is read as the browser gets it (its spec and
its data, from Streamlit's AppTest). Wherever a colour stands for a group
(a pool, a tier, a scenario, a measure), the same group must also be told
by something a reader without colour vision sees: a dash or a shape that
differs between the groups, a position, or the group's name written on the
chart. A colour that stands for one group only tells nothing apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from cpsu.charts import PALETTE, contrast, label_ink
from cpsu.store import DATA_DIR_VARIABLE
from cpsu.ui.compare_page import TAB_NAMES, TABS
from tests.test_page_logs import PAGES
from tests.test_pages import ROOT

# Each page, and each tab of Compare, as a user opens it.
VIEWS = [
    *((page, None) for page in PAGES if not page.endswith("compare.py")),
    *(("app_pages/compare.py", tab) for tab in TAB_NAMES),
]
COLOUR_CHANNELS = ("color", "fill", "stroke")
SECOND_CHANNELS = ("strokeDash", "shape")
# Not xOffset nor yOffset: a bar's place within its group says nothing by
# itself (which of two bars is the low end?).
POSITION_CHANNELS = ("x", "y", "row", "column", "facet")


@dataclass
class View:
    """One unit view of a chart: its mark, encoding and rows (None where the
    data cannot be found)."""

    mark: str
    encoding: dict[str, Any]
    rows: list[dict[str, Any]] | None


def _arrow_rows(data: bytes) -> list[dict[str, Any]]:
    return pa.ipc.open_stream(data).read_all().to_pylist()


def _views(
    spec: dict[str, Any],
    named: dict[str, list[dict[str, Any]]],
    inherited: list[dict[str, Any]] | None = None,
) -> Iterator[View]:
    data = spec.get("data")
    rows = inherited
    if isinstance(data, dict):
        if "values" in data:
            rows = data["values"]
        elif "name" in data:
            rows = named.get(data["name"])
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            yield from _views(part, named, rows)
    if "spec" in spec:
        yield from _views(spec["spec"], named, rows)
    if "mark" in spec:
        mark = spec["mark"]
        for step in spec.get("transform", []):
            # Only the plain filters our charts use: `datum.align === 'left'`.
            if rows is not None and "filter" in step:
                rows = None if not isinstance(step["filter"], str) else rows
        yield View(
            mark["type"] if isinstance(mark, dict) else mark,
            spec.get("encoding", {}),
            rows,
        )


def chart_views(chart) -> list[View]:
    spec = json.loads(chart.proto.spec)
    named = {
        name: list(rows)
        for name, rows in (spec.get("datasets") or {}).items()
        if isinstance(rows, list)
    }
    for dataset in chart.proto.datasets:
        named[dataset.name] = _arrow_rows(dataset.data.data)
    return list(_views(spec, named))


def _groups(channel: dict[str, Any], rows: list[dict[str, Any]] | None) -> list[Any]:
    """The groups a view's colour stands for: those its rows draw."""
    if rows is not None:
        return list(dict.fromkeys(row.get(channel["field"]) for row in rows))
    scale = channel.get("scale") or {}
    if isinstance(scale.get("domain"), list):
        return list(scale["domain"])
    return ["?", "??"]  # unknown: taken as two groups or more


def _distinct_over(channel: dict[str, Any], groups: list[Any]) -> bool:
    """Whether a second channel gives each group a value of its own."""
    scale = channel.get("scale") or {}
    values = scale.get("range")
    domain = scale.get("domain")
    if not isinstance(values, list):
        return True  # Vega-Lite's own scheme: one value a group
    if isinstance(domain, list):
        values = [values[domain.index(group)] for group in groups if group in domain]
    patterns = [json.dumps(value) for value in values]
    return len(set(patterns)) == len(patterns)


def _texts(views: list[View]) -> list[str]:
    written = []
    for view in views:
        text = view.encoding.get("text")
        if view.mark != "text" or not isinstance(text, dict) or view.rows is None:
            continue
        written += [str(row.get(text.get("field"), "")) for row in view.rows]
    return written


def bridge_kinds_said(rows: list[dict[str, Any]]) -> bool:
    """Whether each bar of the CPSU bridge says its kind in its own label: a
    fall signed "-", a rise "+", no change "$0.00", and the two ends unsigned
    with a step named "... CPSU"."""
    said = {
        "Lowers CPSU": lambda row: row["value_label"].startswith("-"),
        "Raises CPSU": lambda row: row["value_label"].startswith("+"),
        "No change": lambda row: row["value_label"] == "$0.00",
        "Baseline and horizon": lambda row: (
            row["value_label"][0] not in "+-" and row["step"].endswith("CPSU")
        ),
    }
    return all(row.get("kind") in said and said[row["kind"]](row) for row in rows)


def colour_only(views: list[View]) -> list[str]:
    """Each colour that alone tells two groups or more apart, as
    "field: groups"."""
    found = []
    for view in views:
        for name in COLOUR_CHANNELS:
            channel = view.encoding.get(name)
            if not isinstance(channel, dict) or "field" not in channel:
                continue
            if "scale" in channel and channel["scale"] is None:
                continue  # literal colours, such as a label's ink
            field = channel["field"]
            groups = _groups(channel, view.rows)
            if len(groups) < 2:
                continue
            same = [
                other
                for other in SECOND_CHANNELS + POSITION_CHANNELS + ("text",)
                if isinstance(view.encoding.get(other), dict)
                and view.encoding[other].get("field") == field
            ]
            if any(
                other not in SECOND_CHANNELS
                or _distinct_over(view.encoding[other], groups)
                for other in same
            ):
                continue
            if field == "kind" and view.rows and bridge_kinds_said(view.rows):
                continue
            written = _texts(views)
            if "?" not in groups and all(
                any(str(group) in text for text in written) for group in groups
            ):
                continue  # each group's name is on the chart
            found.append(f"{field}: {groups}")
    return found


@pytest.fixture(scope="module")
def charts_by_page(tmp_path_factory) -> dict[str, list[tuple[str, list[View]]]]:
    # Saved scenarios go to a folder of the run's own, for this module only.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_VARIABLE, str(tmp_path_factory.mktemp("saved")))
        return _charts_by_page()


def _charts_by_page() -> dict[str, list[tuple[str, list[View]]]]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    found = {}
    for page, tab in VIEWS:
        if tab is not None:
            at.session_state[TABS] = tab
        at.switch_page(page).run()
        assert not at.exception, page
        found[f"{page} {tab or ''}".strip()] = [
            (
                json.loads(chart.proto.spec).get("description", chart.proto.alt)[:60],
                chart_views(chart),
            )
            for chart in at.get("vega_lite_chart")
        ]
    return found


@pytest.mark.parametrize("page", [f"{page} {tab or ''}".strip() for page, tab in VIEWS])
def test_no_chart_tells_groups_apart_by_colour_alone(charts_by_page, page):
    problems = {
        name: colour_only(views)
        for name, views in charts_by_page[page]
        if colour_only(views)
    }
    assert problems == {}


def test_the_pages_show_the_charts_the_check_is_about(charts_by_page):
    # The check reads data it would need to see: a page whose charts moved
    # out of its sight would pass for nothing.
    counts = {page: len(charts) for page, charts in charts_by_page.items()}
    assert counts["app_pages/scenarios.py"] == 3
    assert counts["app_pages/compare.py Scenarios"] == 2
    assert counts["app_pages/compare.py Sensitivity"] >= 1
    assert counts["app_pages/compare.py Why CPSU moves"] >= 1
    assert counts["app_pages/actuals.py"] == 5
    views = [v for charts in charts_by_page.values() for _, vs in charts for v in vs]
    coloured = [
        v
        for v in views
        if isinstance(v.encoding.get("color"), dict) and "field" in v.encoding["color"]
    ]
    assert len(coloured) >= 10
    assert all(v.rows for v in coloured), "a coloured view's data was not found"


def test_the_check_finds_a_colour_that_alone_tells_groups_apart():
    rows = [{"pool": "A", "cost": 1}, {"pool": "B", "cost": 2}]
    colour = {"field": "pool", "type": "nominal"}
    bare = View("area", {"color": colour, "y": {"field": "cost"}}, rows)
    assert colour_only([bare]) == ["pool: ['A', 'B']"]
    # A dash the same for both tells nothing apart...
    same_dash = {
        "field": "pool",
        "scale": {"domain": ["A", "B"], "range": [[4, 2], [4, 2]]},
    }
    dashed = View("line", {"color": colour, "strokeDash": same_dash}, rows)
    assert colour_only([dashed]) == ["pool: ['A', 'B']"]
    # ...a dash of each's own does.
    own_dash = {**same_dash, "scale": {"domain": ["A", "B"], "range": [[], [4, 2]]}}
    assert (
        colour_only([View("line", {"color": colour, "strokeDash": own_dash}, rows)])
        == []
    )
    # So do the groups' names written on the chart, all of them.
    labels = View("text", {"text": {"field": "name"}}, [{"name": "A"}, {"name": "B"}])
    assert colour_only([bare, labels]) == []
    one_label = View("text", {"text": {"field": "name"}}, [{"name": "A"}])
    assert colour_only([bare, one_label]) == ["pool: ['A', 'B']"]
    # One group only: its colour tells nothing apart.
    assert colour_only([View("bar", {"color": colour}, rows[:1])]) == []


def test_a_bridge_bar_whose_label_belies_its_kind_is_found():
    rows = [
        {"step": "2026-Q4 CPSU", "kind": "Baseline and horizon", "value_label": "$9"},
        {"step": "Staffing", "kind": "Lowers CPSU", "value_label": "-$1.00"},
        {"step": "Prices", "kind": "Raises CPSU", "value_label": "+$2.00"},
    ]
    colour = {"field": "kind", "type": "nominal"}
    assert colour_only([View("bar", {"color": colour}, rows)]) == []
    unsigned = [*rows[:2], {**rows[2], "value_label": "$2.00"}]
    assert colour_only([View("bar", {"color": colour}, unsigned)]) != []


@pytest.mark.parametrize("fill", PALETTE)
def test_a_band_s_name_reads_on_its_colour(fill):
    # WCAG 2's 4.5:1 for text: ink on the light colours, white on the blue.
    assert contrast(label_ink(fill), fill) >= 4.5


def test_contrast_by_hand():
    # Black on white: (1 + 0.05) / (0 + 0.05) = 21.
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    # Mid grey #777777: channel 0.4667 -> ((0.4667 + 0.055) / 1.055) ** 2.4
    # = 0.1845; on white (1.05) / (0.2345) = 4.48, just short of 4.5.
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
