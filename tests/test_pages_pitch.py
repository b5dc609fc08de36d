"""The Pitch page as a user meets it, driven by Streamlit's AppTest."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree
from dataclasses import replace

import openpyxl
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from cpsu.deck import png_size
from cpsu.formatting import count, money, percent
from cpsu.pitch import headline_figures
from cpsu.pitch_charts import CHART_NAMES, SLIDE_WIDTH
from cpsu.projection import project
from cpsu.ui import pitch_page
from cpsu.ui.text import plain
from tests.test_pages import ROOT, metric
from tests.test_pitch import sample_workspace

PITCH = "app_pages/pitch.py"


def pitch(at: AppTest) -> AppTest:
    return at.switch_page(PITCH).run()


def new_pitch() -> AppTest:
    return pitch(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run())


def sample_figures(**changes):
    workspace = sample_workspace()
    scenario = replace(workspace.scenario, **changes)
    return headline_figures(project(workspace.cost_base, workspace.headcount, scenario))


def build(at: AppTest, key: str) -> bytes:
    """The file the download button with this key gives when clicked now."""
    return at.session_state[f"{key}.live_file"]()


def test_the_pitch_page_shows_the_sample_case():
    at = new_pitch()
    assert not at.exception
    assert at.title[0].value == "The support budget case: Base"
    figures = sample_figures()
    assert metric(at, f"CPSU {figures.baseline_quarter}") == money(figures.cpsu_now)
    assert metric(at, f"CPSU {figures.horizon_quarter}") == money(
        figures.cpsu_at_horizon
    )
    assert metric(at, "Change a quarter") == percent(
        figures.average_change_per_quarter, signed=True
    )
    # The horizon's CPSU carries its whole change as the delta, a fall in green.
    horizon = next(m for m in at.metric if m.label == f"CPSU {figures.horizon_quarter}")
    assert horizon.delta == percent(figures.cpsu_change, signed=True)
    # The sample's CPSU falls: the arrow points down, in green.
    assert figures.cpsu_change < 0
    assert (horizon.proto.direction, horizon.proto.color) == (
        horizon.proto.DOWN,
        horizon.proto.GREEN,
    )
    assert metric(at, "Cost per added user") == money(figures.cost_per_added_user)
    assert metric(at, "Funding ask") == money(figures.funding_ask, cents=False)
    assert len(at.metric) == 6
    # FY2027 is quarters 1..4 (2027), FY2028 quarters 5..8 (2028)
    funding = [c.value for c in at.caption if "by fiscal year" in c.value]
    assert funding and "FY2027 \\$" in funding[0] and "FY2028 \\$" in funding[0]
    # the narrative, in the page's large type
    assert plain(money(figures.cpsu_now)) in at.markdown[0].value
    assert plain(money(figures.funding_ask, cents=False)) in at.markdown[0].value
    assert len(at.get("vega_lite_chart")) == len(CHART_NAMES)
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels[:2] == ["Scenario workbook", "Deck (PowerPoint)"]
    assert labels[2:] == ["PNG", "SVG"] * len(CHART_NAMES)
    assert not at.error


def test_the_page_draws_no_image_until_a_download_is_clicked():
    pitch_page._png.cache_clear()
    at = new_pitch()
    at.run()
    assert pitch_page._png.cache_info().currsize == 0
    png = build(at, "pitch.download.cpsu.png")
    assert pitch_page._png.cache_info().currsize == 1
    width, _ = png_size(png)
    assert width > 2 * SLIDE_WIDTH  # drawn at scale 2


def test_downloads_follow_the_sliders_moved_on_scenarios():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.slider(key="scenarios.growth").set_value(0.20).run()
    at = pitch(at)
    assert not at.exception
    figures = sample_figures(growth_per_quarter=0.20)
    horizon = f"CPSU {figures.horizon_quarter}"
    assert metric(at, horizon) == money(figures.cpsu_at_horizon)
    assert metric(at, horizon) != money(sample_figures().cpsu_at_horizon)

    workbook = openpyxl.load_workbook(io.BytesIO(build(at, "pitch.download.workbook")))
    assumptions = {
        row[0]: row[1]
        for row in workbook["Assumptions"].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert assumptions["Growth per quarter"] == pytest.approx(0.20)
    # The library the Scenarios page opened: its other scenarios beside it.
    scenarios = {r[0]: r[1:] for r in workbook["Scenarios"].iter_rows(values_only=True)}
    assert scenarios["Assumption or result"] == ("Base", "Conservative", "Aggressive")

    deck = Presentation(io.BytesIO(build(at, "pitch.download.deck")))
    shown = "\n".join(
        shape.text_frame.text
        for shape in list(deck.slides)[1].shapes
        if shape.has_text_frame
    )
    assert money(figures.cpsu_at_horizon) in shown
    assert count(figures.users_at_horizon) in shown

    svg = build(at, "pitch.download.cpsu.svg")
    texts = "".join(ElementTree.fromstring(svg).itertext())
    assert money(figures.cpsu_at_horizon) in texts


def test_a_slider_moved_after_the_pitch_was_seen_reaches_its_downloads():
    at = new_pitch()
    before = build(at, "pitch.download.cpsu.svg")
    at = at.switch_page("app_pages/scenarios.py").run()
    at.slider(key="scenarios.horizon").set_value(6).run()
    at = pitch(at)
    after = build(at, "pitch.download.cpsu.svg")
    assert after != before
    assert "2028-Q2" in "".join(ElementTree.fromstring(after).itertext())
    assert metric(at, "CPSU 2028-Q2")


def test_a_session_started_on_the_pitch_shows_the_saved_scenario():
    # One session moves Base's growth on Scenarios and saves it.
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    first.slider(key="scenarios.growth").set_value(0.15).run()
    first.button(key="scenarios.library.save_changes").click().run()
    assert not first.exception

    # A new session whose first run is the Pitch page (never Scenarios)
    # presents the saved Base, not the workbook's own growth.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(PITCH).run()
    assert not at.exception
    figures = sample_figures(growth_per_quarter=0.15)
    assert figures.cpsu_at_horizon != sample_figures().cpsu_at_horizon
    horizon = f"CPSU {figures.horizon_quarter}"
    assert metric(at, horizon) == money(figures.cpsu_at_horizon)


def test_figures_outside_the_usual_ranges_are_listed_for_the_presenter():
    at = new_pitch()
    (box,) = [e for e in at.expander if e.label.startswith("Check before")]
    before = [w.value for w in box.warning]
    assert not any("trend" in note.lower() for note in before)
    # A trend of +15% a year is outside the usual -5% to +5%.
    at.switch_page("app_pages/scenarios.py").run()
    at.slider(key="scenarios.tickets_trend").set_value(0.15).run()
    at = pitch(at)
    assert not at.exception
    (box,) = [e for e in at.expander if e.label.startswith("Check before")]
    notes = [w.value for w in box.warning]
    assert box.label == f"Check before presenting ({len(notes)})"
    assert len(notes) == len(before) + 1
    assert any("15" in note and "trend" in note.lower() for note in notes)


def test_today_s_cpsu_says_when_the_ticket_slider_moved_it():
    at = new_pitch()
    assert not [c for c in at.caption if c.value.startswith("Today's CPSU")]
    at.switch_page("app_pages/scenarios.py").run()
    own = sample_workspace().scenario.service_desk.tickets_per_user_month
    at.slider(key="scenarios.tickets_per_user").set_value(own * 2).run()
    at = pitch(at)
    assert not at.exception
    workspace = sample_workspace()
    desk = replace(workspace.scenario.service_desk, tickets_per_user_month=own * 2)
    moved = project(
        workspace.cost_base,
        workspace.headcount,
        replace(workspace.scenario, service_desk=desk),
    )
    baseline = sample_figures()
    now = money(moved.column("cpsu")[0])
    # twice the tickets need more agents at the baseline: today's CPSU moves
    assert now != money(baseline.cpsu_now)
    assert metric(at, f"CPSU {baseline.baseline_quarter}") == now
    (note,) = [c.value for c in at.caption if c.value.startswith("Today's CPSU")]
    assert "tickets per user" in note
    assert plain(now) in note and plain(money(baseline.cpsu_now)) in note


def test_a_cost_base_without_agents_says_so_instead_of_an_empty_chart():
    from cpsu.workbook import input_workbook
    from tests.test_charts_shapes import one_line_workspace
    from tests.test_pages import XLSX, cost_base_page

    at = cost_base_page(
        AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    )
    at.file_uploader(key="cost_base.upload").upload(
        "one-line.xlsx", input_workbook(one_line_workspace()), XLSX
    ).run()
    at = pitch(at)
    assert not at.exception
    # every chart but the agents' is drawn; the agents are said in words
    import json

    descriptions = [
        json.loads(chart.proto.spec).get("description", "")
        for chart in at.get("vega_lite_chart")
    ]
    assert len(descriptions) >= len(CHART_NAMES) - 2
    assert not any("agents" in text for text in descriptions)
    assert any(c.value.startswith("No tier is staffed") for c in at.caption)
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels[2:] == ["PNG", "SVG"] * len(descriptions)


def test_the_page_s_charts_keep_the_slide_s_plot_height():
    import json

    from cpsu.pitch_charts import SLIDE_HEIGHT
    from tests.chart_render import drawn_on_page

    at = new_pitch()
    assert not at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    # The sample's case and its other scenarios: every chart of CHART_NAMES.
    assert len(specs) == len(CHART_NAMES)
    for spec in specs:
        # In a column of 940 pixels, titles and legends take their own room:
        # the plot keeps the slide's height.
        assert drawn_on_page(spec, 940).plot_height == SLIDE_HEIGHT
