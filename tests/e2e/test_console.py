"""The browser's console stays quiet on every page and tab.

A warning there is a chart the browser's Vega had to correct or could not size
(a layer with no rows gave an "infinite extent", a label layer's colour scale
clashed with its bands' legend, a height in steps dropped the page's fit), or
something worse. Each page, each Compare tab, and Scenarios after a slider
move, are opened in Chromium and every console message above debug is
collected.
"""

from __future__ import annotations

import pytest

from cpsu.ui.compare_page import TAB_NAMES
from tests.e2e.test_accessibility import PAGES, open_drawn
from tests.e2e.test_browser import wait_until_idle
from tests.e2e.test_downloads import growth_slider

pytestmark = pytest.mark.e2e

# Opened at a page's own address, Streamlit's page first looks for its server
# under that address and gets a 404, then finds it at the root.
STREAMLIT_PROBES = ("/_stcore/health", "/_stcore/host-config")
# Vega draws after the run that sent the chart has ended.
DRAW_MS = 1_500


def is_streamlit_probe(message) -> bool:
    url = (message.location or {}).get("url", "")
    return message.text.startswith("Failed to load resource") and url.endswith(
        STREAMLIT_PROBES
    )


def listen(page) -> list[str]:
    said: list[str] = []
    page.on(
        "console",
        lambda message: (
            said.append(f"{message.type}: {message.text}")
            if message.type in ("warning", "error") and not is_streamlit_probe(message)
            else None
        ),
    )
    return said


@pytest.mark.parametrize("target", PAGES, ids=[target.path for target in PAGES])
def test_a_page_says_nothing_in_the_console(page, app_url, target):
    said = listen(page)
    open_drawn(page, app_url, target)
    page.wait_for_timeout(DRAW_MS)
    if target.path == "/compare":
        for tab in TAB_NAMES[1:]:
            page.get_by_role("tab", name=tab).click()
            wait_until_idle(page)
            page.wait_for_timeout(DRAW_MS)
            assert said == [], f"{target.path} › {tab}"
    if target.path == "/":
        growth = growth_slider(page)
        growth.focus()
        growth.press("ArrowRight")
        wait_until_idle(page)
        page.wait_for_timeout(DRAW_MS)
    assert said == []
