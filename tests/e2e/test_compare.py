"""The Compare page in a real browser: its sidebar sliders move the curves and
the figures, and its analysis tabs draw."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import wait_until_idle
from tests.e2e.test_scenario_library import open_scenarios, slider

pytestmark = pytest.mark.e2e

CAPTION = re.compile(r"Measured against Base: CPSU (\$[\d,]+\.\d\d) in (\d{4}-Q\d)")


def measured(page) -> str:
    text = page.get_by_text(CAPTION).first.inner_text()
    return CAPTION.search(text.replace("\\", "")).group(1)


def open_compare(page, url: str) -> None:
    open_scenarios(page, url)
    page.get_by_role("link", name="Compare").click()
    page.get_by_role("heading", name="Compare").wait_for()
    page.locator(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
    ).first.wait_for(timeout=60_000)
    wait_until_idle(page)


def test_a_slider_on_compare_moves_the_figures_and_the_tabs_draw(page, app_url):
    open_compare(page, app_url)
    before = measured(page)
    tickets = slider(page, "Tickets per user per month")
    tickets.focus()
    for _ in range(6):
        tickets.press("ArrowRight")
    page.wait_for_function(
        """(before) => [
            ...document.querySelectorAll('[data-testid="stCaptionContainer"]')
        ].some(e => e.innerText.includes('Measured against Base')
                    && !e.innerText.includes(before))""",
        arg=before,
        timeout=60_000,
    )
    wait_until_idle(page)
    after = measured(page)
    # More tickets a user need more agents: the horizon's CPSU rises.
    assert float(after.strip("$").replace(",", "")) > float(
        before.strip("$").replace(",", "")
    )
    # The sliders are the Scenarios page's: back there, the same value shows.
    page.get_by_role("link", name="Scenarios").click()
    page.get_by_role("heading", name="Scenarios").wait_for()
    wait_until_idle(page)
    assert float(slider(page, "Tickets per user per month").input_value()) == (
        pytest.approx(1.1 + 6 * 0.05)
    )

    page.get_by_role("link", name="Compare").click()
    page.get_by_role("heading", name="Compare").wait_for()
    wait_until_idle(page)
    for tab in ("Sensitivity", "Why CPSU moves"):
        page.get_by_role("tab", name=tab).click()
        wait_until_idle(page)
        panel = page.get_by_role("tabpanel", name=tab)
        panel.locator(
            "[data-testid='stVegaLiteChart'] canvas, "
            "[data-testid='stVegaLiteChart'] svg"
        ).first.wait_for(timeout=60_000)
