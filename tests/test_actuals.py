"""The history of actuals: CPSU by quarter, streaks, averages, quality
warnings and the experience curve, checked by hand."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.actuals import (
    ActualQuarter,
    Actuals,
    ActualsError,
    average_change,
    fit_experience_curve,
    history,
    quality_warnings,
    streaks,
    whole_change,
)


def _quarters(first_year: int, count: int) -> list[str]:
    return [f"{first_year + (q // 4)}-Q{q % 4 + 1}" for q in range(count)]


def _actuals(
    cpsu: list[float], users: float = 100.0, **quality: list[float]
) -> Actuals:
    """A history with `users` employees each quarter and the run-rate that
    gives each CPSU."""
    quarters = _quarters(2023, len(cpsu))
    rows = []
    for index, (quarter, value) in enumerate(zip(quarters, cpsu, strict=True)):
        measures = {name: values[index] for name, values in quality.items()}
        rows.append(ActualQuarter(quarter, users, 0, value * users, **measures))
    return Actuals(tuple(rows))


def test_cpsu_counts_contingent_workers_at_their_weight() -> None:
    # 90 employees + 0.5 * 20 contingent = 100 users; $15,000 / 100 = $150.
    actuals = Actuals(
        (ActualQuarter("2026-Q1", 90, 20, 15_000.0),), contingent_weight=0.5
    )
    table = history(actuals)
    assert table["supported_users"].iat[0] == 100
    assert table["cpsu"].iat[0] == 150


def test_changes_streaks_and_averages_by_hand() -> None:
    # CPSU 200, 180, 171, 180, 162, 150.
    # Changes: -10%, -5%, +5.263%, -10%, -7.407%.
    # Reductions: 180, 171 (streak 2, ended by the rise to 180), then 162, 150:
    # the current streak is 2 and the longest is 2, ending at 2023-Q3 (the first).
    cpsu = [200.0, 180.0, 171.0, 180.0, 162.0, 150.0]
    table = history(_actuals(cpsu))
    assert table["change"].iloc[1:].tolist() == pytest.approx(
        [-0.10, -0.05, 180 / 171 - 1, -0.10, 150 / 162 - 1]
    )
    assert math.isnan(table["change"].iat[0])
    found = streaks(table["cpsu"], table["quarter"])
    assert (found.current, found.longest, found.longest_end) == (2, 2, "2023-Q3")
    # Mean of the changes: (-0.10 - 0.05 + 0.0526316 - 0.10 - 0.0740741) / 5.
    assert average_change(cpsu) == pytest.approx(
        (-0.10 - 0.05 + (180 / 171 - 1) - 0.10 + (150 / 162 - 1)) / 5
    )
    # Whole period: 150 / 200 - 1 = -25%.
    assert whole_change(cpsu) == pytest.approx(-0.25)


def test_a_tie_ends_a_streak_as_a_rise_does() -> None:
    # 100, 90, 80, 80 (tie), 70, 60, 50: the tie ends the first run of 2;
    # the current run is 3 (70, 60, 50) and the longest.
    found = streaks([100, 90, 80, 80, 70, 60, 50], _quarters(2023, 7))
    assert (found.current, found.longest, found.longest_end) == (3, 3, "2024-Q3")
    # A fall of less than half a cent shows as the same figure: a tie.
    found = streaks([100.0, 99.996, 99.0], _quarters(2023, 3))
    assert (found.current, found.longest) == (1, 1)
    # Half a cent or more is a fall.
    assert streaks([100.0, 99.995], _quarters(2023, 2)).current == 1


def test_a_rise_in_the_last_quarter_ends_the_current_streak() -> None:
    # 5 falls in a row, then a rise: current 0, longest 5 ending 2024-Q2.
    found = streaks([160, 150, 140, 130, 120, 110, 115], _quarters(2023, 7))
    assert (found.current, found.longest, found.longest_end) == (0, 5, "2024-Q2")


def test_sixteen_quarters_in_a_row() -> None:
    # 17 quarters, each 2% below the one before: 16 reductions.
    cpsu = [200 * 0.98**q for q in range(17)]
    found = streaks(cpsu, _quarters(2022, 17))
    assert (found.current, found.longest) == (16, 16)
    assert average_change(cpsu) == pytest.approx(-0.02)


def test_no_fall_at_all() -> None:
    found = streaks([100, 110, 120], _quarters(2023, 3))
    assert (found.current, found.longest, found.longest_end) == (0, 0, None)
    assert average_change([100]) is None


@given(
    st.lists(
        st.floats(min_value=1, max_value=1000, allow_nan=False), min_size=1, max_size=30
    )
)
def test_streaks_agree_with_counting_runs(cpsu: list[float]) -> None:
    found = streaks(cpsu, _quarters(2000, len(cpsu)))
    runs, run = [], 0
    for before, after in itertools.pairwise(cpsu):
        run = run + 1 if after <= before - 0.005 else 0
        runs.append(run)
    assert found.current == (runs[-1] if runs else 0)
    assert found.longest == max(runs, default=0)
    assert found.current <= found.longest <= len(cpsu) - 1


def test_indexes_start_at_100() -> None:
    # Users 100 -> 150 -> 200; run-rate $10,000 -> $12,000 -> $13,000.
    rows = (
        ActualQuarter("2025-Q1", 100, 0, 10_000.0),
        ActualQuarter("2025-Q2", 150, 0, 12_000.0),
        ActualQuarter("2025-Q3", 200, 0, 13_000.0),
    )
    table = history(Actuals(rows))
    assert table["users_index"].tolist() == pytest.approx([100, 150, 200])
    assert table["cost_index"].tolist() == pytest.approx([100, 120, 130])


def test_a_quarter_where_cost_fell_and_quality_fell_is_warned() -> None:
    # Q2: CPSU 200 -> 190 while resolution 72% -> 70%: warned.
    # Q3: CPSU 190 -> 180, resolution 70% -> 71%, satisfaction 92% -> 91.5%
    # (half a point, less than the point that counts as a fall): not warned.
    # Q4: CPSU rises 180 -> 185 while satisfaction falls: not a saving, not warned.
    # Q5: CPSU 185 -> 170, satisfaction 92% -> 90% (2 points): warned.
    table = history(
        _actuals(
            [200, 190, 180, 185, 170],
            resolution_rate=[0.72, 0.70, 0.71, 0.71, 0.71],
            satisfaction=[0.92, 0.92, 0.915, 0.92, 0.90],
        )
    )
    warnings = quality_warnings(table)
    assert [w.quarter for w in warnings] == ["2023-Q2", "2024-Q1"]
    assert warnings[0].measures == (("resolution rate", 0.72, 0.70),)
    assert "2023-Q2: CPSU fell 5.0% while resolution rate fell from 72.0% to 70.0%" in (
        warnings[0].message
    )
    assert warnings[1].measures == (("satisfaction", 0.92, 0.90),)


def test_a_fall_of_exactly_one_point_counts_and_less_does_not() -> None:
    # 80% -> 79% is a point: warned. 80% -> 79.1% is 0.9 of a point: not.
    warned = history(_actuals([200, 190], resolution_rate=[0.80, 0.79]))
    assert [w.quarter for w in quality_warnings(warned)] == ["2023-Q2"]
    calm = history(_actuals([200, 190], resolution_rate=[0.80, 0.791]))
    assert quality_warnings(calm) == []


def test_missing_quality_is_no_fall() -> None:
    table = history(_actuals([200, 190], satisfaction=[0.9, None]))  # type: ignore[list-item]
    assert quality_warnings(table) == []


def test_gaps_and_nonsense_are_refused_with_the_quarter() -> None:
    with pytest.raises(ActualsError, match="2025-Q3 should be 2025-Q2"):
        Actuals(
            (
                ActualQuarter("2025-Q1", 10, 0, 100.0),
                ActualQuarter("2025-Q3", 10, 0, 100.0),
            )
        )
    with pytest.raises(ActualsError, match="2025-Q1: no supported users"):
        Actuals((ActualQuarter("2025-Q1", 0, 0, 100.0),))
    with pytest.raises(ActualsError, match="2025-Q1: the monthly run-rate"):
        Actuals((ActualQuarter("2025-Q1", 10, 0, -1.0),))


def test_the_fit_recovers_a_known_curve() -> None:
    # CPSU = 2,000 * users ** -0.3 exactly, at users 100 .. 1,600.
    # b = 0.3, a = 2,000, R squared 1; per doubling 1 - 2 ** -0.3 = 18.77%.
    users = np.array([100, 200, 400, 800, 1600], dtype=float)
    curve = fit_experience_curve(users, 2000 * users**-0.3)
    assert curve.b == pytest.approx(0.3)
    assert curve.a == pytest.approx(2000)
    assert curve.r2 == pytest.approx(1.0)
    assert curve.per_doubling == pytest.approx(1 - 2**-0.3)
    assert curve.per_doubling == pytest.approx(0.18775, abs=1e-5)


def test_the_fit_by_hand_on_three_points() -> None:
    # Users 1, e, e^2 (log users 0, 1, 2); log CPSU 5, 4.5, 3.8.
    # Slope = sum((x - 1)(y - 4.4333)) / sum((x - 1)^2)
    #       = ((-1)(0.5667) + 0 + (1)(-0.6333)) / 2 = -0.6; so b = 0.6.
    # Intercept = 4.4333 - (-0.6)(1) = 5.0333; a = e^5.0333.
    # Residuals: 5 - 5.0333 = -0.0333, 4.5 - 4.4333 = 0.0667, 3.8 - 3.8333 = -0.0333.
    # SS_res = 0.00111 + 0.00444 + 0.00111 = 0.00667;
    # SS_tot = 0.3211 + 0.00444 + 0.4011 = 0.72667; R squared = 1 - 0.00667 / 0.72667.
    users = np.exp([0.0, 1.0, 2.0])
    curve = fit_experience_curve(users, np.exp([5.0, 4.5, 3.8]))
    assert curve.b == pytest.approx(0.6)
    assert curve.a == pytest.approx(math.exp(5.0 + 0.1 / 3))
    assert curve.r2 == pytest.approx(1 - (0.02 / 3) / (0.72 + 0.02 / 3))
    low, high = curve.band(users)
    assert np.all(low < curve.cpsu(users)) and np.all(curve.cpsu(users) < high)


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(min_value=50, max_value=5000),
    b=st.floats(min_value=-0.5, max_value=0.8),
    first=st.integers(min_value=10, max_value=5000),
    growth=st.floats(min_value=0.01, max_value=0.3),
    quarters=st.integers(min_value=3, max_value=24),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_the_fit_recovers_b_from_a_noisy_history(
    a: float, b: float, first: int, growth: float, quarters: int, seed: int
) -> None:
    # A history generated from CPSU = a * users ** -b with 1% noise: the
    # recovered b is within the noise's reach of the truth, and the band
    # holds the noiseless curve.
    users = first * (1 + growth) ** np.arange(quarters)
    noise = np.random.default_rng(seed).normal(0, 0.01, quarters)
    curve = fit_experience_curve(users, a * users**-b * np.exp(noise))
    spread = np.log(users).std() * np.sqrt(quarters)
    assert abs(curve.b - b) <= 6 * 0.01 / spread + 1e-9
    low, high = curve.band(users, level=0.999)
    truth = a * users**-b
    assert np.all(low <= truth * 1.0000001) and np.all(truth <= high * 1.0000001)


def test_a_fit_needs_three_quarters_and_a_change_of_users() -> None:
    with pytest.raises(ActualsError, match="at least 3 quarters"):
        fit_experience_curve([100, 200], [10, 9])
    with pytest.raises(ActualsError, match="number of users to change"):
        fit_experience_curve([100, 100, 100], [10, 9, 8])
