"""A chart's title and description, as the text a screen reader is given."""

from __future__ import annotations

import altair as alt
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from cpsu.charts import chart_alt, cpsu_spec, run_rate_by_pool_chart
from tests.test_charts import projection

TWO_POOLS = pd.DataFrame(
    {"cost_pool": ["People", "Tools"], "monthly_cost": [1000.0, 250.0]}
)


def test_a_spec_title_with_subtitle_and_description_reads_as_three_sentences():
    spec = {
        "title": {
            "text": ["Monthly run-rate goes from", "$209,301 to $332,261"],
            "subtitle": "Monthly cost by cost pool",
        },
        "description": "Stacked area chart of monthly cost by cost pool.",
    }
    # the wrapped text is one sentence; the description keeps its own stop
    assert chart_alt(spec) == (
        "Monthly run-rate goes from $209,301 to $332,261. "
        "Monthly cost by cost pool. "
        "Stacked area chart of monthly cost by cost pool."
    )


def test_an_altair_chart_gives_its_title_params_and_description():
    chart = (
        alt.Chart(TWO_POOLS)
        .mark_bar()
        .encode(x="monthly_cost", y="cost_pool")
        .properties(
            title=alt.TitleParams(text="People cost most?", subtitle=["$1,000"]),
            description="Bar chart of cost by pool",
        )
    )
    assert chart_alt(chart) == "People cost most? $1,000. Bar chart of cost by pool."


def test_a_chart_with_neither_title_nor_description_has_no_text():
    assert chart_alt(alt.Chart(TWO_POOLS).mark_bar()) is None
    assert chart_alt({"title": "  ", "description": ""}) is None


def test_the_product_charts_name_their_finding_and_their_form():
    # users 1,000 -> 1,210; CPSU 62.00 -> 63.14 (tests/test_charts.py works it out)
    made = projection()
    text = chart_alt(cpsu_spec(made.table))
    assert text is not None
    assert text.startswith("CPSU rises 1.8% to $63.14 by ")  # 63.14 / 62 - 1 = 1.8%
    assert "Monthly cost per supported user, from $62.00 in " in text
    assert text.endswith("Line chart of CPSU by quarter with the baseline CPSU marked.")

    by_pool = chart_alt(run_rate_by_pool_chart(made.run_rate_by_pool(0)))
    assert by_pool is not None
    assert by_pool.endswith("Bar chart of the baseline monthly run-rate by cost pool.")


words = st.text(alphabet="abc $,%", min_size=1, max_size=12).filter(str.strip)


@given(text=st.lists(words, min_size=1, max_size=3), description=words)
def test_every_title_word_and_the_description_are_said_once_in_order(text, description):
    said = chart_alt({"title": {"text": text}, "description": description})
    assert said is not None
    expected_start = " ".join(line.strip() for line in text)
    assert said.startswith(expected_start)
    assert said.rstrip(".").endswith(description.strip().rstrip("."))
