"""Every page in a real browser, checked by axe-core: no serious or critical
accessibility violation in our own content.

axe-core comes from the npm registry (scripts/fetch_axe.py), fetched once per
run and cached. Without network the tests skip on a developer's machine and
fail in CI.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.fetch_axe import AxeFetchError, fetch_axe
from tests.e2e.test_browser import wait_until_idle

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}
# Rules held at any impact: headings that skip a level (an h3 straight under
# the page's h1) mislead a screen reader's outline of the page.
BLOCKING_RULES = {"heading-order", "page-has-heading-one"}


@dataclass(frozen=True)
class PageToCheck:
    path: str
    heading: str
    charts: bool


PAGES = [
    PageToCheck("/cost_base", "Cost base", charts=False),
    PageToCheck("/", "Scenarios", charts=True),
    PageToCheck("/compare", "Compare", charts=True),
    PageToCheck("/pitch", "The support budget case", charts=True),
    PageToCheck("/actuals", "Actuals", charts=True),
]


@dataclass(frozen=True)
class KnownException:
    """A violation inside Streamlit's own widgets that the app cannot change."""

    rule: str
    selector: re.Pattern[str]
    reason: str


# Empty today: every serious or critical violation found was in our own content
# and was fixed. An entry names the rule and a selector pattern of the widget,
# never a whole rule.
KNOWN_EXCEPTIONS: list[KnownException] = []


@pytest.fixture(scope="session")
def axe_script() -> Path:
    try:
        return fetch_axe()
    except AxeFetchError as error:
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is needed in CI: {error}")
        pytest.skip(f"axe-core could not be fetched ({error}); no accessibility check")


def open_drawn(page, url: str, target: PageToCheck) -> None:
    """Open a page and wait until its heading, charts and reruns are done."""
    page.goto(url + target.path)
    page.get_by_role("heading", name=target.heading).first.wait_for(timeout=60_000)
    if target.charts:
        page.locator(
            "[data-testid='stVegaLiteChart'] canvas, "
            "[data-testid='stVegaLiteChart'] svg"
        ).first.wait_for(timeout=60_000)
    wait_until_idle(page)


def axe_violations(page, axe_script: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return results["violations"]


def is_known(rule: str, target: str, exceptions: list[KnownException]) -> bool:
    return any(
        known.rule == rule and known.selector.search(target) for known in exceptions
    )


def test_blocking_keeps_serious_critical_and_heading_order_and_drops_known_widgets():
    def violation(rule, impact, *targets):
        return {
            "id": rule,
            "impact": impact,
            "nodes": [{"impact": impact, "target": [target]} for target in targets],
        }

    found = [
        violation("color-contrast", "serious", ".caption > p", ".stWidget > span"),
        violation("heading-order", "moderate", "#projection"),
        violation("aria-required-children", "critical", "[role=listbox]"),
    ]
    found.append(violation("region", "moderate", ".stMarkdown"))
    assert blocking(found) == [
        ("color-contrast", "serious", ".caption > p"),
        ("color-contrast", "serious", ".stWidget > span"),
        ("heading-order", "moderate", "#projection"),
        ("aria-required-children", "critical", "[role=listbox]"),
    ]

    widget = KnownException("color-contrast", re.compile(r"\.stWidget"), "theirs")
    assert blocking(found, [widget]) == [
        ("color-contrast", "serious", ".caption > p"),
        ("heading-order", "moderate", "#projection"),
        ("aria-required-children", "critical", "[role=listbox]"),
    ]


def blocking(
    violations: list[dict], exceptions: list[KnownException] = KNOWN_EXCEPTIONS
) -> list[tuple[str, str, str]]:
    """(rule, impact, selector) of each serious or critical node, and of each
    node of a rule held at any impact, not excused."""
    found = []
    for violation in violations:
        for node in violation["nodes"]:
            impact = node.get("impact") or violation.get("impact")
            target = " ".join(str(part) for part in node["target"])
            held = impact in BLOCKING_IMPACTS or violation["id"] in BLOCKING_RULES
            if held and not is_known(violation["id"], target, exceptions):
                found.append((violation["id"], impact, target))
    return found


def report(path: str, violations: list[dict]) -> None:
    """Print each violated rule, its impact and its count of nodes for CI's log."""
    print(f"\naxe-core on {path}: {len(violations)} rule(s) violated")
    for violation in sorted(violations, key=lambda violation: violation["id"]):
        nodes = violation["nodes"]
        print(f"  {violation['id']} ({violation['impact']}): {len(nodes)} node(s)")
        for node in nodes:
            print(f"    {' '.join(str(part) for part in node['target'])}")


@pytest.mark.parametrize("target", PAGES, ids=[target.path for target in PAGES])
def test_no_serious_violation_from_our_content(page, app_url, axe_script, target):
    open_drawn(page, app_url, target)
    violations = axe_violations(page, axe_script)
    report(target.path, violations)
    assert blocking(violations) == []


def chart_names(page) -> list[str]:
    """The accessible name of each chart on the page, as a screen reader has it."""
    return page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
            .map(chart => chart.getAttribute('aria-label') || '')"""
    )


def test_each_chart_is_named_by_its_title_then_its_description(page, app_url):
    open_drawn(page, app_url, PAGES[1])
    names = chart_names(page)
    assert len(names) == 3  # CPSU, cost by pool, agents by tier
    assert re.fullmatch(
        r"CPSU (falls|rises) [\d.]+% to \$[\d,.]+ by \d{4}-Q\d\. "
        r"Monthly cost per supported user, from \$[\d,.]+ in \d{4}-Q\d\. "
        r"Line chart of CPSU by quarter with the baseline CPSU marked\.",
        names[0],
    ), names[0]
    assert names[1].endswith(
        "Stacked area chart of monthly cost by cost pool and quarter, "
        "each pool named on its band."
    )
    assert not names[1].startswith("Stacked")  # the title comes first


@pytest.mark.parametrize(
    "target", [target for target in PAGES if target.charts], ids=lambda t: t.path
)
def test_no_chart_is_left_without_a_name(page, app_url, target):
    open_drawn(page, app_url, target)
    names = chart_names(page)
    print(f"\n{target.path}: {len(names)} chart(s)")
    assert names and all(len(name) > 40 for name in names), names
