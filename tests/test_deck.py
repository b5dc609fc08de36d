"""Chart images and the deck: valid files that hold what the pitch says."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ElementTree
from xml.sax.saxutils import escape

import pytest
import vl_convert
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from cpsu.charts import register_theme
from cpsu.deck import (
    chart_png,
    chart_svg,
    deck_png,
    deck_spec,
    headline_rows,
    pitch_deck,
    png_size,
)
from cpsu.pitch import narrative
from cpsu.pitch_charts import CHART_NAMES, SLIDE_WIDTH, slide_charts
from cpsu.workload import ServiceDesk
from tests.test_pitch import small_case


@pytest.fixture(scope="module")
def case():
    register_theme()
    return small_case(growth_per_quarter=0.4, horizon_quarters=3)


@pytest.fixture(scope="module")
def charts(case):
    return slide_charts(case)


def test_a_png_is_drawn_at_the_scale_asked(charts):
    spec = charts[0].spec
    once = png_size(chart_png(spec, scale=1))
    twice = png_size(chart_png(spec))
    # the plotting area alone is SLIDE_WIDTH wide; titles and axes add more
    assert once[0] > SLIDE_WIDTH
    assert twice == pytest.approx((2 * once[0], 2 * once[1]), abs=2)
    assert png_size(chart_png(spec, scale=3))[0] == pytest.approx(3 * once[0], abs=3)


def test_a_png_below_scale_one_is_refused(charts):
    with pytest.raises(ValueError, match="scale 1 or more"):
        chart_png(charts[0].spec, scale=0.5)


def test_png_size_reads_only_pngs():
    with pytest.raises(ValueError, match="Not a PNG"):
        png_size(b"GIF89a" + bytes(30))


def test_each_chart_is_a_valid_svg_with_its_title(charts):
    for chart in charts:
        svg = chart_svg(chart.spec)
        root = ElementTree.fromstring(svg)
        assert root.tag.endswith("svg")
        assert float(root.get("width")) > SLIDE_WIDTH
        texts = "".join(root.itertext())
        # the finding is in the image's text (SVG escapes & and <)
        assert chart.title.split(" ")[0] in texts


def test_the_deck_holds_the_figures_the_narrative_each_chart_and_assumptions(
    case, charts
):
    data = pitch_deck(case, charts)
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    # title, figures, the case, five charts, assumptions
    assert len(charts) == len(CHART_NAMES) - 1  # no other scenario to compare
    assert len(slides) == 3 + len(charts) + 1

    def texts(slide) -> str:
        return "\n".join(
            shape.text_frame.text for shape in slide.shapes if shape.has_text_frame
        )

    assert slides[0].shapes.title.text == "Support budget case: Base"
    figures = texts(slides[1])
    for label, value, _ in headline_rows(case):
        assert label in figures and value in figures
    assert "$35.00" in figures and "$21.85" in figures  # CPSU now and in 2027-Q3
    assert narrative(case, caveats=False) in texts(slides[2])

    chart_slides = slides[3 : 3 + len(charts)]
    for slide, chart in zip(chart_slides, charts, strict=True):
        assert slide.shapes.title.text == chart.title
        pictures = [
            shape
            for shape in slide.shapes
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
        ]
        assert len(pictures) == 1
        picture = pictures[0]
        assert picture.image.content_type == "image/png"
        # the picture is the chart drawn for its slide, at twice its size
        assert png_size(picture.image.blob) == png_size(deck_png(chart.spec))
        assert picture.left >= 0
        assert picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height

    assumptions = slides[-1]
    table = next(shape for shape in assumptions.shapes if shape.has_table).table
    rows = {
        table.cell(r, 0).text: table.cell(r, 1).text for r in range(len(table.rows))
    }
    assert rows["Growth per quarter"] == "+40.0%"
    assert rows["Horizon"] == "3 quarters"
    assert rows["Tickets per user per month"] == "1"


def test_the_deck_uses_images_already_drawn(case, charts):
    marker = chart_png(charts[1].spec, scale=1)
    data = pitch_deck(case, charts, {charts[0].name: marker})
    deck = Presentation(io.BytesIO(data))
    picture = next(
        shape
        for shape in list(deck.slides)[3].shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    )
    assert picture.image.blob == marker


def test_a_slide_states_the_finding_once_in_its_heading(case, charts):
    # The heading is the chart's finding; the image keeps only what the chart
    # shows (the title's subtitle), so the finding is not said twice.
    deck = Presentation(io.BytesIO(pitch_deck(case, charts)))
    for slide, chart in zip(list(deck.slides)[3:], charts, strict=False):
        assert slide.shapes.title.text == chart.title
        picture = next(
            shape
            for shape in slide.shapes
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
        )
        assert picture.image.blob == deck_png(chart.spec)
        drawn = deck_spec(chart.spec)
        subtitle = chart.spec["title"]["subtitle"]
        assert drawn["title"]["text"] == subtitle
        assert chart.title not in json.dumps(drawn["title"])
        svg = vl_convert.vegalite_to_svg(drawn)
        assert escape(chart.title) not in svg
    # The files of the charts keep their own titles: they go on slides alone.
    assert escape(charts[0].title) in chart_svg(charts[0].spec).decode()


def test_the_deck_shows_caveats_apart_from_the_narrative():
    case = small_case(
        service_desk=ServiceDesk(
            tickets_per_user_month=1.0,
            resolution_rate=0.6,
            deflection=0.0,
            deflection_cap=0.0,
        )
    )
    deck = Presentation(io.BytesIO(pitch_deck(case, slide_charts(case))))
    story = "\n".join(
        shape.text_frame.text
        for shape in list(deck.slides)[2].shapes
        if shape.has_text_frame
    )
    assert "Caveat: The Tier 1 resolution rate of 60% is below the 70% target" in story


def test_every_text_and_picture_of_the_deck_has_a_place_on_its_slide(case, charts):
    # A shape placed in part (left and width, not top and height) is written
    # at the top edge with no height; every shape must sit inside its slide
    # and the cover's title and subtitle must not overlap.
    deck = Presentation(io.BytesIO(pitch_deck(case, charts)))
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            where = (number, shape.name)
            assert shape.width > 0 and shape.height > 0, where
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= deck.slide_width, where
            assert shape.top + shape.height <= deck.slide_height, where
    title, subtitle = deck.slides[0].placeholders
    assert title.top + title.height <= subtitle.top
