"""The Pitch page in a real browser: after a move on Scenarios, download the
workbook, a chart's PNG and the deck, and open each."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from cpsu.deck import png_size
from cpsu.pitch_charts import CHART_NAMES, SLIDE_WIDTH
from tests.e2e.test_browser import metric_value, wait_until_idle
from tests.e2e.test_downloads import wait_for_growth_in_address
from tests.e2e.test_scenario_library import open_scenarios, slider

pytestmark = pytest.mark.e2e


def download(page, button, folder):
    """Click a download button; the saved file's path."""
    with page.expect_download(timeout=60_000) as info:
        button.click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def test_the_pitch_downloads_open_and_hold_the_moved_scenario(page, app_url, tmp_path):
    open_scenarios(page, app_url)
    growth = slider(page, "Growth per quarter")
    growth.focus()
    for _ in range(4):
        growth.press("ArrowRight")
    moved = float(growth.input_value())
    wait_for_growth_in_address(page, moved)

    page.get_by_role("link", name="Pitch").click()
    page.get_by_role("heading", name="The support budget case").wait_for()
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.nth(len(CHART_NAMES) - 1).locator("canvas, svg").first.wait_for(
        timeout=60_000
    )
    wait_until_idle(page)
    assert charts.count() == len(CHART_NAMES)
    # presentation mode: the sidebar holds the pages' links and nothing else
    assert page.get_by_test_id("stSidebar").get_by_test_id("stSlider").count() == 0
    metric = page.get_by_test_id("stMetric").nth(1)
    horizon_label = metric.get_by_test_id("stMetricLabel").inner_text().strip()
    cpsu_at_horizon = metric_value(page, horizon_label)

    workbook_path = download(
        page, page.get_by_role("button", name="Scenario workbook"), tmp_path
    )
    workbook = openpyxl.load_workbook(workbook_path)
    assumptions = {
        row[0]: row[1]
        for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert assumptions["Growth per quarter"] == pytest.approx(moved)

    png_path = download(page, page.get_by_role("button", name="PNG").first, tmp_path)
    assert png_path.suffix == ".png"
    width, height = png_size(png_path.read_bytes())
    assert width > 2 * SLIDE_WIDTH and height > 0  # drawn at scale 2

    deck_path = download(
        page, page.get_by_role("button", name="Deck (PowerPoint)"), tmp_path
    )
    deck = Presentation(io.BytesIO(deck_path.read_bytes()))
    slides = list(deck.slides)
    figures = "\n".join(
        shape.text_frame.text for shape in slides[1].shapes if shape.has_text_frame
    )
    assert cpsu_at_horizon in figures
    pictures = [
        shape
        for slide in slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert len(pictures) == len(CHART_NAMES)


def test_the_pitch_opened_by_its_address_starts_with_the_sidebar_closed(page, app_url):
    page.goto(f"{app_url}/pitch")
    page.get_by_role("heading", name="The support budget case").wait_for()
    wait_until_idle(page)
    # collapsed: the sidebar is drawn off the left edge of the window
    box = page.get_by_test_id("stSidebar").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
