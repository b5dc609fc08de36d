"""The deck as a presentation program shows it, for every shape of case.

Each deck is converted to PDF by LibreOffice Impress (headless, a profile of
its own): every slide must become a page. Then each slide's shapes are
checked where python-pptx places them: inside the slide, apart from one
another, pictures at their own shape, and text within its box at the size
it is set in. Decks: the sample, a shrinking company, one quarter, a cost
base of one Fixed line (no agents chart), and a long case (a long scenario
name, line changes, caveats, a longer horizon).
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from itertools import combinations

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from cpsu.charts import register_theme
from cpsu.deck import pitch_deck, png_size, text_height
from cpsu.pitch import pitch_case
from cpsu.pitch_charts import slide_charts
from cpsu.projection import project
from cpsu.scenario import LineChange
from tests.test_charts_shapes import one_line_workspace
from tests.test_ingest_formats import _soffice
from tests.test_pitch import sample_workspace
from tests.test_pitch_shapes import HALVING_A_YEAR


def _case(name: str):
    workspace = sample_workspace()
    scenario = workspace.scenario
    if name == "shrinking":
        scenario = replace(scenario, growth_per_quarter=HALVING_A_YEAR)
    elif name == "one-quarter":
        scenario = replace(scenario, horizon_quarters=1)
    elif name == "one-line":
        workspace = one_line_workspace()
        scenario = workspace.scenario
    elif name == "long":
        desk = replace(
            scenario.service_desk, resolution_rate=0.5, tickets_per_user_month=2.5
        )
        scenario = replace(
            scenario,
            name="Aggressive growth with self-service deflection and a new tool",
            growth_per_quarter=0.35,
            horizon_quarters=12,
            contingent_share=0.2,
            service_desk=desk,
            changes=tuple(
                LineChange(line.item, 2 + number, None)
                for number, line in enumerate(workspace.cost_base.lines[:4])
            ),
        )
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    return pitch_case(workspace, scenario, projection)


CASES = ["sample", "shrinking", "one-quarter", "one-line", "long"]


@pytest.fixture(scope="module")
def decks() -> dict[str, bytes]:
    register_theme()
    made = {}
    for name in CASES:
        case = _case(name)
        made[name] = pitch_deck(case, slide_charts(case))
    return made


@pytest.fixture(params=CASES)
def deck_bytes(request, decks) -> bytes:
    return decks[request.param]


def pdf_pages(pdf: bytes) -> int:
    """The pages of a PDF: its page objects (not the page tree's /Pages)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.fixture(scope="module")
def pdfs(decks, tmp_path_factory) -> dict[str, bytes]:
    """Every deck converted by LibreOffice Impress in one run, with a profile
    of its own."""
    soffice = _soffice()
    folder = tmp_path_factory.mktemp("decks")
    sources = []
    for name, data in decks.items():
        source = folder / f"{name}.pptx"
        source.write_bytes(data)
        sources.append(str(source))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: (folder / "out" / f"{name}.pdf").read_bytes() for name in decks}


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_shows_every_slide_as_a_page(name, decks, pdfs):
    slides = len(Presentation(io.BytesIO(decks[name])).slides)
    assert pdfs[name].startswith(b"%PDF")
    assert pdf_pages(pdfs[name]) == slides


def test_pdf_pages_counts_pages_not_the_page_tree():
    pdf = b"<< /Type /Pages /Kids [3 0 R 4 0 R] >> << /Type /Page >> <</Type/Page>>"
    assert pdf_pages(pdf) == 2


def _box(shape) -> tuple[int, int, int, int]:
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def _overlap(first, second) -> bool:
    a, b = _box(first), _box(second)
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_every_shape_sits_inside_its_slide_apart_from_the_others(deck_bytes):
    deck = Presentation(io.BytesIO(deck_bytes))
    for number, slide in enumerate(deck.slides, start=1):
        shapes = list(slide.shapes)
        for shape in shapes:
            where = (number, shape.name)
            assert shape.width > 0 and shape.height > 0, where
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= deck.slide_width, where
            assert shape.top + shape.height <= deck.slide_height, where
        for first, second in combinations(shapes, 2):
            assert not _overlap(first, second), (number, first.name, second.name)


def test_pictures_keep_their_shape(deck_bytes):
    deck = Presentation(io.BytesIO(deck_bytes))
    pictures = [
        shape
        for slide in deck.slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert pictures
    for picture in pictures:
        width, height = png_size(picture.image.blob)
        # neither stretched nor squeezed: the same shape to a thousandth
        assert picture.width / picture.height == pytest.approx(width / height, 1e-3)


def test_every_text_fits_its_box_at_its_size(deck_bytes):
    deck = Presentation(io.BytesIO(deck_bytes))
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            paragraphs = [p for p in shape.text_frame.paragraphs if p.runs]
            fonts = [run.font for p in paragraphs for run in p.runs]
            sizes = {font.size for font in fonts if font.size is not None}
            if not sizes:
                continue  # the layout's own size: the cover's subtitle
            size = Emu(max(sizes))
            bold = any(font.bold for font in fonts)
            needed = text_height(
                [p.text for p in paragraphs], shape.width, size, bold=bold
            )
            assert needed <= shape.height, (number, shape.name, size.pt)


def test_a_long_case_takes_smaller_type_not_more_room():
    register_theme()
    case = _case("long")
    deck = Presentation(io.BytesIO(pitch_deck(case, slide_charts(case))))
    title = deck.slides[0].shapes.title
    # 84 characters do not fit the cover's 1.6 inches at the layout's 44 pt
    # (three lines of 35): they take two lines at a smaller size
    sizes = {
        run.font.size.pt
        for p in title.text_frame.paragraphs
        for p in [p]
        for run in p.runs
    }
    assert sizes and max(sizes) < 44
    table = next(shape for shape in deck.slides[-1].shapes if shape.has_table).table
    # 16 assumptions (contingent share and line changes too) in 5.2 inches
    assert len(table.rows) == 16
    assert sum(row.height for row in table.rows) <= Emu(int(5.2 * 914_400))


def test_a_chart_with_nothing_to_draw_is_a_sentence_on_its_slide(decks):
    deck = Presentation(io.BytesIO(decks["one-line"]))
    titles = [slide.shapes.title.text for slide in deck.slides]
    (slide,) = [
        s for s in deck.slides if s.shapes.title.text == "Agents on staffed tiers"
    ]
    assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    said = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "No tier is staffed with agents of its own" in said
    # in the agents chart's place: after cost by pool, before the bridge
    place = titles.index("Agents on staffed tiers")
    assert titles[place - 1].startswith("Monthly run-rate")
    assert "CPSU most" in titles[place + 1]
