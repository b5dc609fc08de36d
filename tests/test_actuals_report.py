"""The actuals report of the command line: its fields and its words."""

from __future__ import annotations

import json

import pytest

from cpsu.actuals import ActualQuarter, Actuals
from cpsu.actuals_report import actuals_report, report_lines
from sample_data.build import sample_actuals


def _history() -> Actuals:
    # Users 100, 200, 400; run-rates $20,000, $32,000, $51,200:
    # CPSU $200, $160, $128: each 20% below the one before, and each
    # doubling of users takes 20% off: b = -log2(0.8) = 0.3219.
    return Actuals(
        (
            ActualQuarter("2026-Q1", 100, 0, 20_000.0),
            ActualQuarter("2026-Q2", 150, 50, 32_000.0),
            ActualQuarter("2026-Q3", 400, 0, 51_200.0),
        )
    )


def test_the_report_by_hand() -> None:
    report = actuals_report(_history())
    assert [q["cpsu"] for q in report["quarters"]] == pytest.approx([200, 160, 128])
    assert report["quarters"][0]["change"] is None
    assert [q["change"] for q in report["quarters"][1:]] == pytest.approx([-0.2, -0.2])
    assert report["quarters"][1]["supported_users"] == 200
    assert (report["streak"], report["longest_streak"]) == (2, 2)
    assert report["average_change"] == pytest.approx(-0.2)
    # 128 / 200 - 1 = -36%.
    assert report["whole_change"] == pytest.approx(-0.36)
    curve = report["experience_curve"]
    assert curve["per_doubling"] == pytest.approx(0.2)
    assert curve["b"] == pytest.approx(0.321928, abs=1e-6)
    # a: 200 = a * 100 ** -0.321928, so a = 200 * 100 ** 0.321928 = 880.6.
    assert curve["a"] == pytest.approx(200 * 100**0.3219280948873623)
    assert curve["r2"] == pytest.approx(1.0)
    json.dumps(report)  # plain data throughout


def test_a_short_history_says_why_it_has_no_curve() -> None:
    report = actuals_report(Actuals((ActualQuarter("2026-Q1", 100, 0, 20_000.0),)))
    assert report["experience_curve"] is None
    assert "at least 3 quarters" in report["experience_curve_note"]
    assert report["average_change"] is None
    lines = report_lines(report)
    assert (
        "CPSU did not fall in the latest quarter; the longest run is 0 quarters."
        in lines
    )


def test_the_sample_report_reads_as_its_story() -> None:
    lines = report_lines(actuals_report(sample_actuals()))
    assert lines[0].split() == ["Quarter", "Users", "Monthly", "OPEX", "CPSU", "Change"]
    assert (
        "CPSU fell in the last 16 quarters in a row; the longest run is 16 "
        "quarters (to 2026-Q4)." in lines
    )
    # 17 quarters, a header, then the streak line.
    assert (
        lines.index(
            "CPSU fell in the last 16 quarters in a row; the longest "
            "run is 16 quarters (to 2026-Q4)."
        )
        == 18
    )
    assert any("2024-Q4: CPSU fell" in line for line in lines)
