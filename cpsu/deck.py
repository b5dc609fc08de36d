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
    plural,
)
from cpsu.pitch_charts import CHART_NAMES, SlideChart, left_out_charts

PNG_SCALE = 2
PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"
DECK_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# A 16:9 slide, and the type that reads from the back of a room.
SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
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


def deck_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A chart's spec for a slide of the deck. The slide's heading states the
    chart's finding, so the image does not say it again: its title keeps only
    the subtitle (what the chart shows), in the subtitle's style."""
    out = dict(spec)
    title = spec.get("title")
    subtitle = title.get("subtitle") if isinstance(title, Mapping) else None
    if not subtitle:
        out.pop("title", None)
        return out
    style = spec.get("config", {}).get("title", {})
    out["title"] = {
        "text": subtitle,
        "anchor": "start",
        "fontSize": style.get("subtitleFontSize", 19),
        "fontWeight": "normal",
        "color": style.get("subtitleColor", "#555555"),
    }
    return out


def deck_png(spec: Mapping[str, Any]) -> bytes:
    """`chart_png` of the chart as a slide of the deck shows it (`deck_spec`)."""
    return chart_png(deck_spec(spec))


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
            plural(figures.users_now, "supported user"),
        ),
        (
            f"CPSU {figures.horizon_quarter}",
            money(figures.cpsu_at_horizon),
            f"{percent(figures.cpsu_change, signed=True)}; "
            f"{plural(figures.users_at_horizon, 'supported user')}",
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


# The width of an average character, in inches for each point of type: a
# little wider than LibreOffice's fallback sans (DejaVu) sets text, so that
# what fits by this measure fits in PowerPoint and in LibreOffice.
CHAR_WIDTH_BOLD = 0.0086
CHAR_WIDTH = 0.0078
LINE_SPACING = 1.2
# A text frame's own inner margins, top and bottom together.
FRAME_MARGINS = Inches(0.1)


def text_height(
    paragraphs: Sequence[str], width: int, size: Pt, bold: bool = False
) -> int:
    """The height (EMU) that `paragraphs` take wrapped to `width` at `size`: an
    estimate from the average width of a character, on the wide side."""
    per_char = (CHAR_WIDTH_BOLD if bold else CHAR_WIDTH) * size.pt
    chars_per_line = max(1, int((width - Inches(0.2)) / Inches(1) / per_char))
    lines = 0
    for paragraph in paragraphs:
        words, line, count_lines = paragraph.split(), 0, 1
        for word in words:
            needed = len(word) if not line else line + 1 + len(word)
            if needed > chars_per_line and line:
                count_lines += 1
                line = len(word)
            else:
                line = needed
        lines += count_lines
    spacing = Pt(8) * max(len(paragraphs) - 1, 0)
    return int(lines * size * LINE_SPACING + spacing + FRAME_MARGINS)


def fitted_size(
    paragraphs: Sequence[str],
    width: int,
    height: int,
    sizes: Sequence[int],
    bold: bool = False,
) -> Pt:
    """The largest of `sizes` (points, largest first) at which `paragraphs`
    fit the box, or the smallest."""
    for size in sizes:
        if text_height(paragraphs, width, Pt(size), bold) <= height:
            return Pt(size)
    return Pt(sizes[-1])


HEADING_TOP = Inches(0.3)
HEADING_HEIGHT = Inches(1.0)
HEADING_SIZES = (32, 30, 28, 26, 24)


def _titled(deck: Any, title: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    heading = slide.shapes.title
    heading.left, heading.top = MARGIN, HEADING_TOP
    heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, HEADING_HEIGHT
    heading.text = title
    # A long finding takes a smaller size rather than a line below its box.
    size = fitted_size([title], heading.width, heading.height, HEADING_SIZES, bold=True)
    for paragraph in heading.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = size
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
    top = HEADING_TOP + HEADING_HEIGHT + Inches(0.1)
    room_width = SLIDE_WIDTH - 2 * MARGIN
    room_height = SLIDE_HEIGHT - top - Inches(0.3)
    # As large as fits, keeping the image's shape.
    fit = min(room_width / width, room_height / height)
    shown_width, shown_height = Emu(int(width * fit)), Emu(int(height * fit))
    left = Emu(int((SLIDE_WIDTH - shown_width) / 2))
    slide.shapes.add_picture(
        io.BytesIO(png), left, top, shown_width, shown_height
    ).name = f"Chart {chart.name}"


def _assumptions_slide(deck: Any, case: PitchCase) -> None:
    slide = _titled(deck, "Assumptions")
    rows = assumption_rows(case.scenario)
    # Every row on the slide, above the cost base's line: smaller rows and
    # type when the scenario has more assumptions to list.
    room = SLIDE_HEIGHT - Inches(1.4) - Inches(0.9)
    row_height = min(Inches(0.38), room // len(rows))
    size = Pt(14) if row_height >= Inches(0.34) else Pt(12)
    shape = slide.shapes.add_table(
        len(rows), 2, MARGIN, Inches(1.4), Inches(12.3), row_height * len(rows)
    )
    table = shape.table
    # The value column is wide enough for a long scenario name on one line.
    table.columns[0].width, table.columns[1].width = Inches(5), Inches(7.3)
    for row, (label, value) in enumerate(rows):
        table.rows[row].height = row_height
        for column, text in enumerate((label, value)):
            cell = table.cell(row, column)
            cell.text = text
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size
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


def _case_slide(deck: Any, case: PitchCase) -> None:
    """The narrative, and the caveats below it, each in the largest type that
    fits: a long case (line changes, several caveats) takes smaller type, never
    a line below the slide."""
    story = _titled(deck, "The case")
    width = SLIDE_WIDTH - 2 * MARGIN
    top, bottom = Inches(1.4), SLIDE_HEIGHT - Inches(0.3)
    said = [narrative(case, caveats=False)]
    caveats = [f"Caveat: {caveat}" for caveat in guardrail_caveats(case)]
    caveat_size = fitted_size(caveats, width, Inches(2.2), (16, 14, 12))
    caveat_height = text_height(caveats, width, caveat_size) if caveats else Emu(0)
    room = bottom - top - caveat_height - (Inches(0.2) if caveats else 0)
    size = fitted_size(said, width, room, (20, 18, 16, 14))
    used = min(text_height(said, width, size), room)
    _text_box(story, MARGIN, top, width, used, said, size)
    if caveats:
        _text_box(
            story,
            MARGIN,
            top + used + Inches(0.2),
            width,
            caveat_height,
            caveats,
            caveat_size,
            QUIET,
        )


def pitch_deck(
    case: PitchCase,
    charts: Sequence[SlideChart],
    images: Mapping[str, bytes] | None = None,
) -> bytes:
    """The pitch as a 16:9 PowerPoint deck (.pptx bytes).

    `images` are the charts' slide PNGs (`deck_png`) by name, when already
    drawn; a chart without one is drawn here. Each chart slide's heading is
    the chart's finding, and its image is drawn without it.
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
    # A long scenario name takes smaller type, not the subtitle's place.
    title = cover.shapes.title
    size = fitted_size(
        [title.text], title.width, title.height, (44, 40, 36, 32, 28, 24)
    )
    for paragraph in title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = size

    _figures_slide(deck, case)

    _case_slide(deck, case)

    # The charts in their order; one with nothing to draw is a slide of the
    # sentence that says why, never an empty chart.
    said = {left.name: left for left in left_out_charts(case)}
    drawn = {chart.name for chart in charts}
    for name in CHART_NAMES:
        if name in said and name not in drawn:
            left = said[name]
            slide = _titled(deck, left.heading)
            _text_box(
                slide,
                MARGIN,
                Inches(1.6),
                SLIDE_WIDTH - 2 * MARGIN,
                Inches(1.5),
                [left.sentence],
                Pt(24),
                QUIET,
            )
        for chart in charts:
            if chart.name == name:
                png = images.get(chart.name) or deck_png(chart.spec)
                _chart_slide(deck, chart, png)
    for chart in charts:
        if chart.name not in CHART_NAMES:
            _chart_slide(deck, chart, images.get(chart.name) or deck_png(chart.spec))

    _assumptions_slide(deck, case)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
