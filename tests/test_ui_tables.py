"""Tables as shown: numbers kept as numbers, each column's label and format."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.ui.tables import (
    COST_LINE_COLUMNS,
    NUMBER_FORMATS,
    cost_line_view,
    projection_view,
    run_rate_view,
)
from cpsu.workload import ServiceDesk
from tests.model_builders import project_lines

FIXED = CostLine("Service desk tool", "Support tools", Behaviour.FIXED, amount=10_000)
LICENCE = CostLine(
    "Microsoft 365", "Productivity software", Behaviour.PER_USER, unit_cost=40
)


def fmt(config: dict, column: str) -> str | None:
    return config[column].get("type_config", {}).get("format")


def test_projection_table_keeps_numbers_and_formats_them_by_kind():
    table, config = projection_view(
        project_lines(FIXED, LICENCE, growth=0.10, horizon=2)
    )
    # baseline: 10,000 + 40 x 1,000 = 50,000 a month; CPSU 50.00; no change yet
    assert table["monthly_opex"].iloc[0] == 50_000
    assert table["cpsu"].iloc[0] == 50
    assert math.isnan(table["cpsu_change"].iloc[0])
    assert math.isnan(table["marginal_cost_per_user"].iloc[0])
    # t=1: 54,000 / 1,100 = 49.09, -1.8% on 50.00; 4,000 / 100 = $40.00 a user
    assert round(table["cpsu"].iloc[1], 2) == 49.09
    assert round(table["cpsu_change"].iloc[1], 3) == -0.018
    assert table["marginal_cost_per_user"].iloc[1] == 40
    assert table["supported_users"].iloc[1] == 1_100
    assert config["cpsu"]["label"] == "CPSU"
    assert fmt(config, "cpsu") == fmt(config, "monthly_opex") == "dollar"
    assert fmt(config, "cpsu_change") == "percent"
    assert fmt(config, "supported_users") == "localized"
    assert config["quarter"]["pinned"] is True
    # Every shown column has its label; nothing unlabelled slips through.
    assert set(table.columns) == set(config)


def test_counts_are_shown_whole():
    # 1,000 users growing 3% a quarter, tickets split by a 70% resolution rate:
    # loads carry fractions of a ticket, shown whole.
    projection = project_lines(
        FIXED, growth=0.03, horizon=3, desk=ServiceDesk(resolution_rate=0.7)
    )
    table, config = projection_view(projection)
    counts = [name for name in table if fmt(config, name) == "localized"]
    assert "tickets" in counts and any(name.startswith("load_") for name in counts)
    assert (projection.table[counts] != projection.table[counts].round()).any().any()
    for column in counts:
        assert (table[column] == table[column].round()).all()


def test_run_rate_table_adds_a_total_and_shares():
    frame, config = run_rate_view(project_lines(FIXED, LICENCE))
    assert frame["cost_pool"].iloc[-1] == "Total"
    # 40,000 of 50,000 = 80%
    row = frame.index[frame["cost_pool"] == "Productivity software"][0]
    assert frame["share"].iloc[row] == 0.8
    assert frame["monthly_cost"].iloc[-1] == 50_000
    assert fmt(config, "share") == "percent"


def test_cost_lines_table_formats_money_and_keeps_text():
    projection = project_lines(FIXED, LICENCE)
    frame, config = cost_line_view(CostBase((FIXED, LICENCE)), projection)
    assert frame["monthly"].tolist() == [10_000, 40_000]
    assert fmt(config, "monthly") == NUMBER_FORMATS["money"]
    assert list(frame.columns) == [c.name for c in COST_LINE_COLUMNS]


def test_the_projection_view_is_the_table_with_counts_rounded():
    import pandas as pd

    projection = project_lines(
        FIXED, LICENCE, growth=0.03, horizon=3, desk=ServiceDesk(resolution_rate=0.7)
    )
    table, config = projection_view(projection)
    # What the page shows is exactly the projection's columns, in the order
    # configured, each rounded to the decimals its column shows, as
    # cpsu.formatting rounds them (Python's format of the exact value).
    expected = projection.table[list(table.columns)].copy()
    for name in expected:
        if name == "quarter":
            continue
        step = config[name]["type_config"]["step"]
        places = 0 if step == 1 else len(repr(step).split(".")[1])
        if fmt(config, name) == "percent":
            shown = [float(f"{v * 100:.{places - 2}f}") / 100 for v in expected[name]]
        else:
            shown = [float(f"{v:.{places}f}") for v in expected[name]]
        expected[name] = shown
    pd.testing.assert_frame_equal(table, expected, check_exact=True)


def test_a_table_goes_to_arrow_as_streamlit_would_send_it():
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from streamlit import dataframe_util

    from cpsu.ui.tables import arrow_table

    projection = project_lines(FIXED, LICENCE, growth=0.10, horizon=2)
    table, _ = projection_view(projection)
    odd = pd.DataFrame(
        {
            "text": ["a", None, "c"],
            "whole": [1, 2, 3],
            "maybe": pd.array([1, None, 3], dtype="Int64"),
            "flag": [True, False, True],
        },
        index=[5, 7, 9],
    )
    for frame in (table, odd):
        sent = pa.ipc.open_stream(
            dataframe_util.convert_pandas_df_to_arrow_bytes(
                frame.reset_index(drop=True)
            )
        ).read_all()
        # The same columns, types and values (an undefined number null, so an
        # empty cell); only pandas' note of its index is left out.
        assert arrow_table(frame).equals(sent.replace_schema_metadata(None))
    assert arrow_table(table).column("cpsu_change").null_count == 1

    # Columns picked and renamed, rows picked, the index sent as a column.
    renamed = odd.rename(columns={"text": "Text", "flag": "Flag"})
    picked = renamed.loc[[True, False, True], ["Text", "Flag"]]
    sent = pa.ipc.open_stream(
        dataframe_util.convert_pandas_df_to_arrow_bytes(picked.reset_index(drop=True))
    ).read_all()
    quick = arrow_table(
        odd, {"text": "Text", "flag": "Flag"}, rows=np.array([True, False, True])
    )
    assert quick.equals(sent.replace_schema_metadata(None))
    funding = pd.DataFrame(
        {"Base": [1.0, 2.0]}, index=pd.Index(["FY2027", "Total"], name="fiscal_year")
    )
    sent = pa.ipc.open_stream(
        dataframe_util.convert_pandas_df_to_arrow_bytes(funding.reset_index())
    ).read_all()
    assert arrow_table(funding, index=True).equals(sent.replace_schema_metadata(None))


def test_the_projection_goes_to_arrow_as_its_view_would():
    from cpsu.ui.tables import arrow_table, projection_arrow

    projection = project_lines(
        FIXED, LICENCE, growth=0.03, horizon=3, desk=ServiceDesk(resolution_rate=0.7)
    )
    view, config = projection_view(projection)
    table, arrow_config = projection_arrow(projection)
    assert table.equals(arrow_table(view))
    assert arrow_config == config


@settings(max_examples=40, deadline=None)
@given(
    growths=st.lists(st.floats(-0.05, 0.3), min_size=1, max_size=3),
    quarters=st.lists(st.integers(0, 6), max_size=4, unique=True),
)
def test_columns_go_to_arrow_as_st_dataframe_sends_their_table(growths, quarters):
    import pyarrow as pa
    from streamlit import dataframe_util

    from cpsu.compare import difference_columns, differences, project_all
    from cpsu.scenario import Scenario
    from cpsu.ui.tables import arrow_columns
    from tests.model_builders import headcount

    # The Compare page sends the differences as columns, without the table;
    # Streamlit would send the table as this, a quarter past every horizon
    # (an empty table) included.
    scenarios = [
        Scenario(f"S{index}", growth_per_quarter=growth, horizon_quarters=4)
        for index, growth in enumerate(growths)
    ]
    results = project_all(
        CostBase((FIXED, LICENCE)), headcount(("2026-Q4", 100, 0)), scenarios
    )
    table = differences(results, quarters)
    sent = pa.ipc.open_stream(
        dataframe_util.convert_pandas_df_to_arrow_bytes(table)
    ).read_all()
    quick = arrow_columns(difference_columns(results, quarters))
    assert quick.equals(sent.replace_schema_metadata(None))


@settings(max_examples=300, deadline=None)
@given(
    whole=st.integers(-(10**9), 10**9),
    eighths=st.integers(0, 7),
    nudge=st.sampled_from([0.0, 1e-12, -1e-12, 1e-7, -1e-7]),
    places=st.sampled_from([0, 1, 2, 3]),
    kind=st.sampled_from(["money", "count", "rate"]),
    other=st.floats(-1e9, 1e9, allow_nan=False),
)
def test_values_are_rounded_as_formatting_rounds_them(
    whole, eighths, nudge, places, kind, other
):
    import numpy as np

    from cpsu.ui.tables import as_shown

    # Eighths are exact in binary, so x.125, x.5, ... are true ties at some
    # decimals (Python's format sends them to even). A decimal half such as
    # 0.015 is not: its binary value is 0.01499..., which Python's format
    # rounds down, while NumPy's scaling lands on 1.5 and rounds up.
    shown_places = places - 2 if kind == "rate" else places
    decimal_half = float(f"{whole}5") / 10 ** (max(shown_places, 0) + 1)
    if kind == "rate":
        decimal_half /= 100
    values = np.array(
        [whole / 1000 + eighths / 8 + nudge, decimal_half, other, float("nan")]
    )
    rounded = as_shown(values, kind, places)
    if kind == "rate":
        digits = max(places - 2, 0)
        expected = [float(f"{v * 100:.{digits}f}") / 100 for v in values]
    else:
        expected = [float(f"{v:.{places}f}") for v in values]
    assert rounded[:3].tolist() == expected[:3]
    assert math.isnan(rounded[3])
