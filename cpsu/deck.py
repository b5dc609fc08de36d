"""The pitch as files: each chart as a PNG and an SVG, and a PowerPoint deck.

Images are drawn from the charts' Vega-Lite specs by vl-convert, without a
browser; a PNG is drawn at twice its size (or more) so that it stays sharp
on a projector. The deck holds a title slide, the headline figures, the
narrative with its caveats, a slide per chart (its title is the chart's
finding) and the assumptions. Everything is returned as bytes, ready for a
download or a file.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import vl_convert
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from cpsu.formatting import count, money, percent
from cpsu.pitch import (
    PitchCase,
    assumption_rows,
    funding_parts,
    guardrail_caveats,
    narrative,
)
from cpsu.pitch_charts import SlideChart

PNG_SCALE = 2
PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"
DECK_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# A 16:9 slide, and the type that reads from the back of a room.
SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
HEADING_SIZE = Pt(32)
BODY_SIZE = Pt(18)
INK = RGBColor(0x22, 0x22, 0x22)
QUIET = RGBColor(0x55, 0x55, 0x55)
ACCENT = RGBColor(0x00, 0x72, 0xB2)  # the palette's blue
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5


def chart_png(spec: Mapping[str, Any], scale: float = PNG_SCALE) -> bytes:
    """A chart as a PNG, `scale` pixels per pixel of the spec (2 or more)."""
    if scale < 1:
        raise ValueError(f"A PNG is drawn at scale 1 or more, not {scale:g}.")
    return vl_convert.vegalite_to_png(dict(spec), scale=scale)


def chart_svg(spec: Mapping[str, Any]) -> bytes:
    """A chart as an SVG document, UTF-8."""
    return vl_convert.vegalite_to_svg(dict(spec)).encode("utf-8")


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("Not a PNG image.")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _per_user_note(case: PitchCase) -> str:
    figures = case.figures
    if figures.users_at_horizon > figures.users_now:
        return "added monthly cost ÷ added users"
    if figures.users_at_horizon < figures.users_now:
        return "change of monthly cost ÷ users lost"
    return "users do not change over the horizon"


def headline_rows(case: PitchCase) -> list[tuple[str, str, str]]:
    """The headline figures as the deck and the page show them: label, value,
    and a note on where the value comes from."""
    figures = case.figures
    rows = [
        (
            f"CPSU {figures.baseline_quarter}",
            money(figures.cpsu_now),
            f"{count(figures.users_now)} supported users",
        ),
        (
            f"CPSU {figures.horizon_quarter}",
            money(figures.cpsu_at_horizon),
            f"{percent(figures.cpsu_change, signed=True)}; "
            f"{count(figures.users_at_horizon)} supported users",
        ),
        (
            "Change a quarter",
            percent(figures.average_change_per_quarter, signed=True),
            "compound average over the horizon",
        ),
        (
            figures.per_user_label,
            money(figures.cost_per_added_user),
            _per_user_note(case),
        ),
        (
            figures.funding_label,
            money(figures.funding_amount, cents=False),
            "; ".join(
                f"{label} {money(part, cents=False)}"
                for label, part in funding_parts(case)
            ),
        ),
        (
            f"Agents {figures.horizon_quarter}",
            count(case.total_agents_at_horizon),
            f"{count(case.total_agents_now)} in {figures.baseline_quarter}",
        ),
    ]
    return rows


def _text_box(
    slide: Slide,
    left: int,
    top: int,
    width: int,
    height: int,
    paragraphs: Sequence[str],
    size: Pt = BODY_SIZE,
    colour: RGBColor = INK,
    bold: bool = False,
) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for number, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(8)
        run = paragraph.add_run()
        run.text = text
        run.font.size = size
        run.font.bold = bold
        run.font.color.rgb = colour


def _titled(deck: Any, title: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    heading = slide.shapes.title
    heading.left, heading.top = MARGIN, Inches(0.3)
    heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, Inches(1.0)
    heading.text = title
    for paragraph in heading.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = HEADING_SIZE
            run.font.bold = True
            run.font.color.rgb = INK
    return slide


def _figures_slide(deck: Any, case: PitchCase) -> None:
    slide = _titled(deck, "Headline figures")
    rows = headline_rows(case)
    columns = 3
    width = (SLIDE_WIDTH - 2 * MARGIN) // columns
    height = Inches(2.6)
    for number, (label, value, note) in enumerate(rows):
        left = MARGIN + (number % columns) * width
        top = Inches(1.5) + (number // columns) * height
        _text_box(slide, left, top, width, Inches(0.5), [label], Pt(18), QUIET)
        _text_box(
            slide, left, top + Inches(0.5), width, Inches(1.0), [value], Pt(40), ACCENT
        )
        _text_box(slide, left, top + Inches(1.5), width, Inches(0.8), [note], Pt(14))


def _chart_slide(deck: Any, chart: SlideChart, png: bytes) -> None:
    slide = _titled(deck, chart.title)
    width, height = png_size(png)
    room_width = SLIDE_WIDTH - 2 * MARGIN
    room_height = SLIDE_HEIGHT - Inches(1.5) - Inches(0.3)
    # As large as fits, keeping the image's shape.
    fit = min(room_width / width, room_height / height)
    shown_width, shown_height = Emu(int(width * fit)), Emu(int(height * fit))
    left = Emu(int((SLIDE_WIDTH - shown_width) / 2))
    slide.shapes.add_picture(
        io.BytesIO(png), left, Inches(1.4), shown_width, shown_height
    ).name = f"Chart {chart.name}"


def _assumptions_slide(deck: Any, case: PitchCase) -> None:
    slide = _titled(deck, "Assumptions")
    rows = assumption_rows(case.scenario)
    table = slide.shapes.add_table(
        len(rows), 2, MARGIN, Inches(1.4), Inches(9), Inches(0.38) * len(rows)
    ).table
    table.columns[0].width, table.columns[1].width = Inches(6), Inches(3)
    for row, (label, value) in enumerate(rows):
        for column, text in enumerate((label, value)):
            cell = table.cell(row, column)
            cell.text = text
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(14)
    _text_box(
        slide,
        MARGIN,
        SLIDE_HEIGHT - Inches(0.8),
        SLIDE_WIDTH - 2 * MARGIN,
        Inches(0.5),
        [f"Cost base: {case.workspace.source or 'uploaded workbook'}"],
        Pt(12),
        QUIET,
    )


def pitch_deck(
    case: PitchCase,
    charts: Sequence[SlideChart],
    images: Mapping[str, bytes] | None = None,
) -> bytes:
    """The pitch as a 16:9 PowerPoint deck (.pptx bytes).

    `images` are the charts' PNGs by name, when already drawn; a chart
    without one is drawn here.
    """
    images = images or {}
    figures = case.figures
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    deck.core_properties.title = f"Support budget case: {case.scenario.name}"

    cover = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    cover.shapes.title.text = f"Support budget case: {case.scenario.name}"
    cover.placeholders[1].text = (
        f"Cost per supported user, {figures.baseline_quarter} to "
        f"{figures.horizon_quarter}"
    )
    # The template's layout is 4:3: each placeholder gets its whole place on
    # the wider slide (a position set in part would leave the rest at zero).
    for shape, top, height in (
        (cover.shapes.title, Inches(2.2), Inches(1.6)),
        (cover.placeholders[1], Inches(4.0), Inches(1.2)),
    ):
        shape.left, shape.width = MARGIN, SLIDE_WIDTH - 2 * MARGIN
        shape.top, shape.height = top, height

    _figures_slide(deck, case)

    story = _titled(deck, "The case")
    caveats = guardrail_caveats(case)
    _text_box(
        story,
        MARGIN,
        Inches(1.4),
        SLIDE_WIDTH - 2 * MARGIN,
        Inches(3.6),
        [narrative(case, caveats=False)],
        Pt(20),
    )
    if caveats:
        _text_box(
            story,
            MARGIN,
            Inches(5.0),
            SLIDE_WIDTH - 2 * MARGIN,
            Inches(2.2),
            [f"Caveat: {caveat}" for caveat in caveats],
            Pt(16),
            QUIET,
        )

    for chart in charts:
        png = images.get(chart.name) or chart_png(chart.spec)
        _chart_slide(deck, chart, png)

    _assumptions_slide(deck, case)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
