"""Scenarios side by side: the funding ask by fiscal year and the differences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.compare import (
    Compared,
    cpsu_curves,
    curve_columns,
    default_quarters,
    difference_columns,
    differences,
    funding_by_fiscal_year,
    funding_table,
    project_all,
    quarter_choice,
    quarter_labels,
)
from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.scenario import Scenario
from tests.model_builders import NO_TICKETS, headcount, project_lines

PER_USER = CostLine("SaaS", "Productivity software", Behaviour.PER_USER, unit_cost=10.0)


def growing_company():
    # 100 users at 2026-Q4 growing 10% a quarter, rounded half up each quarter:
    # 110, 121, 133.1 -> 133, 146.41 -> 146. At $10 a user the run-rates are
    # 1,000 (baseline), 1,100, 1,210, 1,330 and 1,460 a month, so the quarters'
    # spend above the baseline is 3 x (100, 210, 330, 460) = 300, 630, 990, 1,380.
    return project_lines(PER_USER, employees=100, growth=0.10, horizon=4)


def test_a_calendar_fiscal_year_holds_the_four_quarters_of_2027():
    table = funding_by_fiscal_year(growing_company(), start_month=1)
    assert table["fiscal_year"].tolist() == ["FY2027"]
    assert table["months"].tolist() == [12]
    # 300 + 630 + 990 + 1,380 = 3,300; spend 3 x (1,100 + 1,210 + 1,330 + 1,460)
    assert table["funding_ask"].iloc[0] == pytest.approx(3_300.0)
    assert table["spend"].iloc[0] == pytest.approx(15_300.0)


def test_a_july_fiscal_year_splits_the_horizon_in_two():
    table = funding_by_fiscal_year(growing_company(), start_month=7)
    # FY2027 runs July 2026 to June 2027: 2027-Q1 and Q2, 300 + 630 = 930.
    # FY2028 from July 2027: 2027-Q3 and Q4, 990 + 1,380 = 2,370.
    assert table["fiscal_year"].tolist() == ["FY2027", "FY2028"]
    assert table["months"].tolist() == [6, 6]
    assert table["funding_ask"].tolist() == pytest.approx([930.0, 2_370.0])


def test_a_february_fiscal_year_counts_each_month_in_its_own_year():
    table = funding_by_fiscal_year(growing_company(), start_month=2)
    # January 2027 ends FY2027 (February 2026 to January 2027): one month of
    # 2027-Q1 at 100 above the baseline. February and March (200) and the
    # other three quarters (630 + 990 + 1,380) fall in FY2028: 3,200.
    assert table["fiscal_year"].tolist() == ["FY2027", "FY2028"]
    assert table["months"].tolist() == [1, 11]
    assert table["funding_ask"].tolist() == pytest.approx([100.0, 3_200.0])


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_fiscal_year_starts_in_a_month_that_exists(month):
    with pytest.raises(ValueError, match="1 \\(January\\) to 12"):
        funding_by_fiscal_year(growing_company(), start_month=month)


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(1, 12),
    horizon=st.integers(1, 40),
    growth=st.floats(-0.05, 0.2),
    baseline=st.sampled_from(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]),
)
def test_the_fiscal_years_add_up_to_the_whole_ask(start, horizon, growth, baseline):
    projection = project_lines(
        PER_USER, employees=500, growth=growth, horizon=horizon, baseline=baseline
    )
    table = funding_by_fiscal_year(projection, start)
    assert table["months"].sum() == 3 * horizon
    assert table["funding_ask"].sum() == pytest.approx(projection.funding_ask, abs=1e-6)
    assert table["spend"].sum() == pytest.approx(
        projection.table["quarterly_spend"].iloc[1:].sum(), abs=1e-6
    )
    # Fiscal years follow each other without a gap.
    years = [int(label[2:]) for label in table["fiscal_year"]]
    assert years == list(range(years[0], years[0] + len(years)))


def flat_and_growth():
    return [
        Scenario("Flat", horizon_quarters=4, service_desk=NO_TICKETS),
        Scenario(
            "Growth",
            horizon_quarters=4,
            growth_per_quarter=0.1,
            service_desk=NO_TICKETS,
        ),
    ]


def fixed_and_per_user():
    # $1,000 fixed plus $10 a user, for 100 users: CPSU 2,000 / 100 = $20.
    return CostBase(
        (
            CostLine("Tool", "Support tools", Behaviour.FIXED, amount=1_000.0),
            PER_USER,
        )
    )


def test_differences_are_measured_against_the_first_scenario():
    results = project_all(
        fixed_and_per_user(), headcount(("2026-Q4", 100, 0)), flat_and_growth()
    )
    table = differences(results, [0, 4]).set_index(["scenario", "t"])
    # Flat keeps CPSU at $20. Growth reaches 146 users at quarter 4 (see above):
    # (1,000 + 1,460) / 146 = $16.849..., 3.15 below Flat, -15.75%.
    assert table.loc[("Flat", 4), "cpsu"] == pytest.approx(20.0)
    assert table.loc[("Growth", 4), "cpsu"] == pytest.approx(2_460 / 146)
    assert table.loc[("Growth", 4), "cpsu_vs_first"] == pytest.approx(2_460 / 146 - 20)
    assert table.loc[("Growth", 4), "cpsu_vs_first_share"] == pytest.approx(
        (2_460 / 146 - 20) / 20
    )
    assert table.loc[("Growth", 0), "cpsu_vs_first"] == 0


def test_a_scenario_that_cannot_be_projected_keeps_its_reason_and_spares_the_rest():
    # Falling 90% a quarter, 100 users become 10, 1, then 0.1, rounded to 0.
    scenarios = [*flat_and_growth(), Scenario("Gone", growth_per_quarter=-0.9)]
    results = project_all(
        fixed_and_per_user(), headcount(("2026-Q4", 100, 0)), scenarios
    )
    assert [r.projection is None for r in results] == [False, False, True]
    assert "supported users fall to zero" in results[2].problem
    assert set(cpsu_curves(results)["scenario"]) == {"Flat", "Growth"}
    funding = funding_table(results)
    assert list(funding.columns) == ["Flat", "Growth"]
    # Growth's ask: 3 x (100 + 210 + 330 + 460) = 3,300; Flat asks nothing.
    assert funding.loc["Total", "Growth"] == pytest.approx(3_300.0)
    assert funding.loc["Total", "Flat"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("horizon", "expected"), [(1, [1]), (4, [4]), (8, [4, 8]), (12, [4, 6, 12])]
)
def test_the_default_quarters_are_a_year_in_and_the_horizon(horizon, expected):
    assert default_quarters(horizon) == expected


def _funding_table_by_pandas(results, start_month):
    """The funding table as pandas aligns it: the reference funding_table keeps.

    A year past a scenario's horizon has no figure (NaN, never $0); Total is
    each scenario's own sum; when the horizons differ a last row holds each
    one's ask over the quarters all share, 3 x (run-rate - baseline's) a
    quarter, summed from the projection's own quarters.
    """
    import pandas as pd

    projected = [result for result in results if result.projection is not None]
    frames = {
        result.name: funding_by_fiscal_year(result.projection, start_month).set_index(
            "fiscal_year"
        )["funding_ask"]
        for result in projected
    }
    wide = pd.DataFrame(frames)
    wide.index.name = "fiscal_year"
    wide.loc["Total"] = wide.sum()
    horizons = {len(result.projection.quarters) - 1 for result in projected}
    if len(horizons) > 1:
        shared = min(horizons)
        wide.loc[
            f"Total over the {shared} quarter{'s' if shared > 1 else ''} all share"
        ] = [
            3
            * (
                r.projection.table["monthly_opex"].iloc[1 : shared + 1]
                - r.projection.table["monthly_opex"].iloc[0]
            ).sum()
            for r in projected
        ]
    return wide


def growing_scenarios(horizons, growths):
    """Scenarios S0, S1... of the horizons and growth rates given (paired in
    order), projected over $1,000 fixed plus $10 a user for 100 users."""
    scenarios = [
        Scenario(f"S{index}", growth_per_quarter=growth, horizon_quarters=horizon)
        for index, (horizon, growth) in enumerate(zip(horizons, growths, strict=False))
    ]
    return project_all(fixed_and_per_user(), headcount(("2026-Q4", 100, 0)), scenarios)


@settings(max_examples=40, deadline=None)
@given(
    horizons=st.lists(st.integers(1, 24), min_size=1, max_size=4),
    growths=st.lists(st.floats(-0.05, 0.3), min_size=4, max_size=4),
    start_month=st.integers(1, 12),
)
def test_the_funding_table_is_the_per_scenario_tables_aligned(
    horizons, growths, start_month
):
    import pandas as pd

    # Scenarios of different horizons reach different fiscal years; a year
    # past a scenario's own horizon has no figure.
    results = growing_scenarios(horizons, growths)
    pd.testing.assert_frame_equal(
        funding_table(results, start_month),
        _funding_table_by_pandas(results, start_month),
        rtol=1e-12,
        atol=1e-6,
    )


@settings(max_examples=30, deadline=None)
@given(
    horizons=st.lists(st.integers(1, 12), min_size=1, max_size=3),
    growths=st.lists(st.floats(-0.05, 0.3), min_size=3, max_size=3),
    quarters=st.lists(st.integers(0, 14), max_size=4, unique=True),
)
def test_the_columns_of_curves_and_differences_are_their_tables(
    horizons, growths, quarters
):
    import pandas as pd

    # The page reads curves and differences as columns of Python values; as
    # tables they are what cpsu_curves and differences give, quarters past a
    # scenario's horizon (or every scenario's) included.
    results = growing_scenarios(horizons, growths)
    curves = curve_columns(results)
    assert all(
        type(value) in (str, int, float)
        for column in curves.values()
        for value in column
    )
    pd.testing.assert_frame_equal(
        pd.DataFrame(curves), cpsu_curves(results), check_dtype=False, check_exact=True
    )
    table = differences(results, quarters)
    columns = difference_columns(results, quarters)
    assert list(columns) == list(table.columns)
    assert [len(column) for column in columns.values()] == [len(table)] * table.shape[1]
    if len(table):
        pd.testing.assert_frame_equal(pd.DataFrame(columns), table, check_exact=True)


def test_quarters_to_compare_at_are_named_from_the_longest_projection():
    short = project_lines(PER_USER, employees=100, horizon=2)
    long = project_lines(PER_USER, employees=100, horizon=10)
    results = [
        Compared(Scenario(name="Short"), short),
        Compared(Scenario(name="Broken"), None, "cannot be projected"),
        Compared(Scenario(name="Long"), long),
    ]
    labels = quarter_labels(results)
    # 2026-Q4 and ten quarters on: 2027-Q4 is quarter 4, 2029-Q2 quarter 10.
    assert len(labels) == 11
    assert quarter_choice(10, labels) == "2029-Q2 (quarter 10)"
    assert quarter_choice(4, labels) == "2027-Q4 (quarter 4)"
    assert quarter_choice(11, labels) == "Quarter 11"
    assert quarter_labels(results[:2]) == ["2026-Q4", "2027-Q1", "2027-Q2"]
