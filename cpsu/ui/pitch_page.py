"""The Pitch page: the funding case as the meeting sees it.

Presentation mode: the sidebar holds nothing of the page's own (opened by
its address, the page starts with it closed), type is large, and the page
shows only the headline figures, the narrative with its caveats, the slide
charts (the company's other scenarios compared too, once the Scenarios page
has opened its library) and the downloads. The scenario is the one the
Scenarios page's sliders set now (read from session state), so a move there
is here after a page switch. Every download is built when clicked, from the
case this page last drew: the scenario workbook, each chart as a PNG and an
SVG, and the deck. Nothing is drawn as an image until then, and an image
drawn once is kept for the deck and the next click.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from typing import Any

import streamlit as st

from cpsu.charts import page_spec
from cpsu.deck import (
    DECK_MIME,
    PNG_MIME,
    SVG_MIME,
    chart_png,
    chart_svg,
    deck_png,
    headline_rows,
    pitch_deck,
)
from cpsu.formatting import percent
from cpsu.pitch import (
    PitchCase,
    baseline_note,
    guardrail_caveats,
    narrative,
    pitch_case,
    sanity_notes,
)
from cpsu.pitch_charts import CHART_NAMES, SlideChart, left_out_charts, slide_charts
from cpsu.projection import Projection, ProjectionError
from cpsu.scenario import Scenario
from cpsu.ui import state
from cpsu.ui.downloads import download_button, live_file
from cpsu.ui.projections import (
    kept_model,
    kept_run,
    projection_of,
    show_spec,
)
from cpsu.ui.scenario_library import open_library, other_scenarios
from cpsu.ui.text import plain
from cpsu.workbook import scenario_workbook

WORKBOOK_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The Compare page's choice of fiscal year, kept in the session.
FISCAL_START = "compare.fiscal_start"
WORKBOOK_DOWNLOAD = "pitch.download.workbook"
DECK_DOWNLOAD = "pitch.download.deck"

# Large type for a projector, scoped to the page's own containers.
STYLE = """
<style>
.st-key-pitch-figures [data-testid="stMetricValue"] { font-size: 2.6rem; }
.st-key-pitch-figures [data-testid="stMetricLabel"] p { font-size: 1.1rem; }
.st-key-pitch-narrative p { font-size: 1.45rem; line-height: 1.55; }
</style>
"""


@lru_cache(maxsize=32)
def _png(spec_json: str) -> bytes:
    return chart_png(json.loads(spec_json))


def chart_png_kept(chart: SlideChart) -> bytes:
    """The chart's PNG, drawn once for each spec while the server runs."""
    return _png(json.dumps(chart.spec, sort_keys=True))


@lru_cache(maxsize=32)
def _deck_png(spec_json: str) -> bytes:
    return deck_png(json.loads(spec_json))


def deck_png_kept(chart: SlideChart) -> bytes:
    """The chart's PNG for a slide of the deck, drawn once for each spec."""
    return _deck_png(json.dumps(chart.spec, sort_keys=True))


def _chart_key(chart: SlideChart | str, kind: str) -> str:
    name = chart if isinstance(chart, str) else chart.name
    return f"pitch.download.{name}.{kind}"


def _file_name(stem: str, suffix: str) -> str:
    workbook_name = state.download_name(
        state.current_scenario(), state.workspace().headcount.baseline.quarter
    )
    return workbook_name.removesuffix(".xlsx") + f"-{stem}.{suffix}"


def _builds(
    case: PitchCase,
    charts: list[SlideChart],
    others: list[tuple[Scenario, Projection]],
) -> dict[str, Callable]:
    """What each of the page's downloads is built from, by its key: the case,
    its charts and the company's other scenarios as this run has them (a
    click builds the file outside the page's run)."""
    builds: dict[str, Callable[[], bytes]] = {
        WORKBOOK_DOWNLOAD: lambda: scenario_workbook(
            case.workspace,
            case.scenario,
            case.projection,
            others=others,
        ),
        DECK_DOWNLOAD: lambda: pitch_deck(
            case, charts, {chart.name: deck_png_kept(chart) for chart in charts}
        ),
    }
    for chart in charts:
        builds[_chart_key(chart, "png")] = lambda chart=chart: chart_png_kept(chart)
        builds[_chart_key(chart, "svg")] = lambda chart=chart: chart_svg(chart.spec)
    return builds


@contextmanager
def _page_runs(keys: list[str]) -> Iterator[dict[str, int]]:
    """Mark this run on each download's live file; yields each one's run."""
    with ExitStack() as stack:
        yield {key: stack.enter_context(live_file(key).page_run()) for key in keys}


def _show_case() -> (
    tuple[PitchCase, list[SlideChart], list[tuple[Scenario, Projection]]] | None
):
    workspace = state.workspace()
    # A session started here opens the company's library first: the case is
    # the saved scenario the sliders would show on the Scenarios page.
    open_library(workspace)
    scenario = state.current_scenario()
    # The address carries the scenario in progress, as on Scenarios: a reload
    # keeps the moves.
    state.keep_share_address(scenario)
    st.title(f"The support budget case: {plain(scenario.name)}")
    try:
        projection = projection_of(workspace, scenario)
    except ProjectionError as problem:
        st.error(plain(problem))
        return None
    case = pitch_case(
        workspace,
        scenario,
        projection,
        fiscal_start=st.session_state.get(FISCAL_START, 1),
        model=kept_model(workspace, scenario),
        run=kept_run(workspace, scenario),
    )
    figures = case.figures
    st.caption(
        f"{plain(workspace.source)} · {figures.baseline_quarter} to "
        f"{figures.horizon_quarter} · the sliders of the Scenarios page"
    )

    with st.container(key="pitch-figures"):
        rows = headline_rows(case)
        # The whole change of CPSU, and the agents added, as the metrics' deltas
        # (a fall of CPSU in green).
        added_agents = case.total_agents_at_horizon - case.total_agents_now
        deltas: dict[int, tuple[str | None, str]] = {
            1: (percent(figures.cpsu_change, signed=True), "inverse"),
            5: (f"{added_agents:+,.0f}" if added_agents else None, "off"),
        }
        columns = [*st.columns(3), *st.columns(3)]
        for index, (column, (label, value, note)) in enumerate(
            zip(columns, rows, strict=True)
        ):
            delta, colour = deltas.get(index, (None, "normal"))
            column.metric(label, value, delta=delta, delta_color=colour, help=note)
        # Today's CPSU is the baseline quarter costed with this scenario's
        # service desk: said under the figure when a slider has moved it.
        moved = baseline_note(workspace, scenario, projection)
        if moved:
            columns[0].caption(plain(moved))
        st.caption(
            f"{figures.funding_label} by fiscal year: {plain(rows[4][2])} · spend "
            "above holding the baseline run-rate"
        )

    # What the Scenarios page asks to check (figures outside the usual
    # ranges), kept for the presenter in a closed box, not on the slide.
    notes = sanity_notes(projection, scenario, workspace.cost_base)
    if notes:
        with st.expander(
            f"Check before presenting ({len(notes)})", icon=":material/fact_check:"
        ):
            for note in notes:
                st.warning(plain(note))

    with st.container(key="pitch-narrative"):
        st.markdown(plain(narrative(case, caveats=False)))
    for caveat in guardrail_caveats(case):
        st.warning(plain(caveat), icon=":material/fact_check:")

    others = other_scenarios(workspace, scenario)
    charts = slide_charts(case, model=kept_model(workspace, scenario), others=others)
    # In the deck's order; a chart with nothing to draw is a sentence instead.
    shown = {chart.name: chart for chart in charts}
    said = {left.name: left for left in left_out_charts(case)}
    for name in CHART_NAMES:
        if name in shown:
            show_spec(st, page_spec(shown[name].spec), key=f"pitch.chart.{name}")
        elif name in said:
            st.header(said[name].heading)
            st.caption(plain(said[name].sentence))
    projected = [(o.scenario, o.projection) for o in others if o.projection is not None]
    return case, charts, projected


def _download_buttons(charts: list[SlideChart]) -> None:
    st.header("Downloads")
    workbook, deck = st.columns(2)
    with workbook:
        download_button(
            "Scenario workbook",
            live_file(WORKBOOK_DOWNLOAD),
            key=WORKBOOK_DOWNLOAD,
            file_name=state.download_name(
                state.current_scenario(), state.workspace().headcount.baseline.quarter
            ),
            mime=WORKBOOK_MIME,
            type="primary",
        )
    with deck:
        download_button(
            "Deck (PowerPoint)",
            live_file(DECK_DOWNLOAD),
            key=DECK_DOWNLOAD,
            file_name=_file_name("deck", "pptx"),
            mime=DECK_MIME,
            type="primary",
        )
    for chart in charts:
        title, png, svg = st.columns([4, 1, 1], vertical_alignment="center")
        title.write(plain(chart.title))
        for column, kind, mime in ((png, "png", PNG_MIME), (svg, "svg", SVG_MIME)):
            with column:
                download_button(
                    kind.upper(),
                    live_file(_chart_key(chart, kind)),
                    key=_chart_key(chart, kind),
                    file_name=_file_name(chart.name, kind),
                    mime=mime,
                )


def pitch_page() -> None:
    """The page: the case, then its downloads, each built when clicked."""
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
    st.html(STYLE)
    # The chart names are fixed: the keys are known before the case is drawn.
    keys = [WORKBOOK_DOWNLOAD, DECK_DOWNLOAD] + [
        _chart_key(name, kind) for name in CHART_NAMES for kind in ("png", "svg")
    ]
    with _page_runs(keys) as runs:
        shown = _show_case()
        builds: dict[str, Any] = _builds(*shown) if shown else {}
        for key, run in runs.items():
            live_file(key).offer(run, builds.get(key))
    if shown is not None:
        _download_buttons(shown[1])
