"""Tables as shown: money, counts and percents, and a dash where undefined."""

from cpsu.costs import Behaviour, CostLine
from cpsu.ui.tables import projection_view, run_rate_view
from tests.model_builders import project_lines

FIXED = CostLine("Service desk tool", "Support tools", Behaviour.FIXED, amount=10_000)
LICENCE = CostLine(
    "Microsoft 365", "Productivity software", Behaviour.PER_USER, unit_cost=40
)


def shown(styler, row: int, column: str) -> str:
    """The text a cell shows."""
    frame = styler.data
    return styler._display_funcs[(row, list(frame.columns).index(column))](
        frame.iloc[row][column]
    )


def test_projection_table_shows_money_percent_and_a_dash_for_the_undefined():
    styler, config = projection_view(
        project_lines(FIXED, LICENCE, growth=0.10, horizon=2)
    )
    # baseline: 10,000 + 40 * 1,000 = 50,000 a month; CPSU 50.00; no change yet
    assert shown(styler, 0, "monthly_opex") == "$50,000.00"
    assert shown(styler, 0, "cpsu") == "$50.00"
    assert shown(styler, 0, "cpsu_change") == "—"
    assert shown(styler, 0, "marginal_cost_per_user") == "—"
    # t=1: 54,000 / 1,100 = 49.09, -1.8% on 50.00; 4,000 / 100 = $40.00 a user
    assert shown(styler, 1, "cpsu") == "$49.09"
    assert shown(styler, 1, "cpsu_change") == "-1.8%"
    assert shown(styler, 1, "marginal_cost_per_user") == "$40.00"
    assert shown(styler, 1, "supported_users") == "1,100"
    assert config["cpsu"]["label"] == "CPSU"


def test_run_rate_table_adds_a_total_and_shares():
    styler, _ = run_rate_view(project_lines(FIXED, LICENCE))
    frame = styler.data
    assert frame["cost_pool"].iloc[-1] == "Total"
    # 40,000 of 50,000 = 80.0%
    row = frame.index[frame["cost_pool"] == "Productivity software"][0]
    assert shown(styler, row, "share") == "80.0%"
    assert shown(styler, len(frame) - 1, "monthly_cost") == "$50,000.00"
