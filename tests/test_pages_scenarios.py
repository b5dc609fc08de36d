"""The Scenarios page's projection table and its words, as a user meets them
(Streamlit's AppTest), and the counts the Cost base page's GL mapping says."""

from __future__ import annotations

import io
import json
import math
from dataclasses import replace

import numpy as np
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from cpsu.costs import CostBase
from cpsu.ingest import read_upload
from cpsu.ingest.checks import checked_workspace
from cpsu.projection import POOL_COLUMNS, TIER_KEYS, project
from cpsu.workbook import input_workbook
from tests.test_pages import (
    SAMPLE,
    add_rule,
    cost_base_page,
    gl_export_bytes,
    new_app,
    scenarios_page,
    upload,
)
from tests.test_pitch import HELPDESK_TOOL, small_workspace


def projection_frame(at: AppTest):
    """The page's projection table: the element the browser is sent."""
    return next(frame for frame in at.dataframe if "cpsu_change" in frame.value)


@pytest.fixture(scope="module")
def sample_page() -> AppTest:
    at = new_app()
    assert not at.exception
    return at


def test_a_value_that_does_not_exist_is_a_blank_cell(sample_page):
    frame = projection_frame(sample_page)
    # The baseline quarter has no change of CPSU and no cost per added user:
    # the cells are sent empty (null) ...
    shown = frame.value
    assert math.isnan(shown["cpsu_change"].iloc[0])
    assert math.isnan(shown["marginal_cost_per_user"].iloc[0])
    # ... and drawn blank: without a placeholder Streamlit writes "None".
    assert frame.proto.HasField("placeholder")
    assert frame.proto.placeholder == ""


def test_each_column_shows_one_precision(sample_page):
    frame = projection_frame(sample_page)
    config = json.loads(frame.proto.columns)
    shown = frame.value

    def step(column: str) -> float | None:
        return config[column]["type_config"].get("step")

    def number_format(column: str) -> str:
        return config[column]["type_config"]["format"]

    # A number column's step fixes the decimals of every value in it; with
    # none, the browser shows as many as each value has.
    numbers = [name for name in shown if name != "quarter"]
    assert all(step(name) is not None for name in numbers), [
        name for name in numbers if step(name) is None
    ]
    # Per user in cents; the totals in whole dollars.
    for name in ("cpsu", "marginal_cost_per_user"):
        assert (number_format(name), step(name)) == ("dollar", 0.01)
    totals = ["monthly_opex", *POOL_COLUMNS.values()]
    totals += ["quarterly_spend", "extra_spend", "cumulative_ask"]
    for name in totals:
        assert (number_format(name), step(name)) == ("dollar", 1)
    # People and tickets whole, agents to a tenth, rates to a tenth of a
    # percent (a percentage shows the step's decimals less two: 0.001 -> 1).
    for name in ("employees", "contingent", "supported_users", "tickets"):
        assert (number_format(name), step(name)) == ("localized", 1)
        assert (shown[name] == shown[name].round()).all()
    for key in TIER_KEYS.values():
        assert (number_format(f"agents_{key}"), step(f"agents_{key}")) == (
            "localized",
            0.1,
        )
        assert (shown[f"agents_{key}"] == shown[f"agents_{key}"].round(1)).all()
        assert (number_format(f"load_{key}"), step(f"load_{key}")) == ("localized", 1)
        assert step(f"utilisation_{key}") == 0.001
    for name in ("cpsu_change", "deflection"):
        assert (number_format(name), step(name)) == ("percent", 0.001)


def test_the_table_keeps_the_models_numbers(sample_page):
    shown = projection_frame(sample_page).value
    workspace, _ = checked_workspace(
        None, read_upload(SAMPLE.read_bytes(), SAMPLE.name), SAMPLE.name
    )
    table = project(workspace.cost_base, workspace.headcount, workspace.scenario).table
    # Every number is the model's rounded to the decimals it is shown to (the
    # browser would cut it, not round it): CPSU to the cent, the run-rate and
    # counts whole.
    np.testing.assert_array_equal(shown["cpsu"], np.round(table["cpsu"], 2))
    np.testing.assert_array_equal(
        shown["monthly_opex"], np.round(table["monthly_opex"])
    )
    np.testing.assert_array_equal(shown["tickets"], np.round(table["tickets"]))


def one_line_workbook() -> bytes:
    """The small company with only its help-desk tool, over a single quarter."""
    workspace = small_workspace()
    return input_workbook(
        replace(
            workspace,
            cost_base=CostBase((HELPDESK_TOOL,)),
            scenario=replace(workspace.scenario, horizon_quarters=1),
        )
    )


def test_one_cost_line_and_one_quarter_are_said_in_the_singular():
    at = cost_base_page(new_app())
    upload(at, "one_line.xlsx", one_line_workbook())
    assert not at.exception
    at = scenarios_page(at)
    assert not at.exception
    caption = at.caption[0].value
    assert " · 1 cost line · " in caption
    assert caption.endswith("· horizon 1 quarter")
    helps = [metric.proto.help for metric in at.metric]
    assert any("Spend over the next 1 quarter above" in text for text in helps)
    # One Fixed line staffs no tier: a sentence stands where the agents chart
    # would be empty, and only the CPSU and cost-by-pool charts are drawn.
    assert any("No tier is staffed" in info.value for info in at.info)
    assert len(at.get("vega_lite_chart")) == 2


def test_the_sample_draws_its_three_charts(sample_page):
    assert len(sample_page.get("vega_lite_chart")) == 3
    assert not any("No tier is staffed" in info.value for info in sample_page.info)


def test_the_sample_is_said_in_the_plural(sample_page):
    caption = sample_page.caption[0].value
    assert " · 28 cost lines · " in caption
    assert caption.endswith("· horizon 8 quarters")


def one_posting_export() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Posting date", "Account", "Vendor", "Description", "Amount"])
    sheet.append(["2026-10-05", 6110, "Microsoft", "M365 E3", 40500.0])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_gl_mapping_counts_postings_months_and_groups_by_number():
    at = cost_base_page(new_app())
    upload(at, "gl.xlsx", gl_export_bytes())
    assert not at.exception
    # 9 postings over October to December; 3 unmapped groups.
    assert any(c.value.startswith("9 postings over 3 months") for c in at.caption)
    assert any("Unmapped queue: 3 groups" in m.value for m in at.markdown)
    at = add_rule(at, "vendor", "Microsoft", "Productivity software", "Per user")
    at = add_rule(at, "account", "6300-6399", "Support tools", "Fixed")
    # The team lunch alone is left.
    assert any("Unmapped queue: 1 group**" in m.value for m in at.markdown)

    at = cost_base_page(new_app())
    upload(at, "one.xlsx", one_posting_export())
    assert not at.exception
    assert any(c.value.startswith("1 posting over 1 month") for c in at.caption)


def page_charts(at: AppTest) -> list[dict]:
    """The Vega-Lite specs the page sends the browser, in the page's order."""
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def test_the_cost_by_pool_chart_fits_its_half_width_column(sample_page):
    from tests.chart_render import drawn_on_page

    charts = page_charts(sample_page)
    [pools] = [
        spec
        for spec in charts
        if spec["title"].get("subtitle") == "Monthly cost by cost pool"
    ]
    # The sample's run-rate goes from $209,301 to $332,261: the title is
    # wrapped into lines of at most 32 characters, each under about 330
    # pixels of 18-pixel type, instead of cut at the column's edge.
    assert pools["title"]["text"] == [
        "Monthly run-rate goes from",
        "$209,301 to $332,261",
    ]
    # Half of a page of 940 pixels, less the gap: a column of 420 pixels. Every
    # pool is named in the legend, each name ending inside the column (a
    # character of 12-pixel type is under 7 pixels wide).
    drawn = drawn_on_page(pools, 420)
    named = {text.text: text for text in drawn.texts}
    legend = pools["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert len(legend) == 7
    for pool in legend:
        assert named[pool].x + 7 * len(pool) <= drawn.width, pool
    assert "Desktop support" in named
    # Each chart of the page keeps a plot of its own height under its title.
    for spec in charts:
        assert spec["autosize"]["type"] == "fit-x"
        assert drawn_on_page(spec, 420).plot_height >= 250
