"""Every table on every page, read as the browser draws it (AppTest).

Streamlit sends a table as Arrow data plus each column's configuration; the
browser then cuts a value to the decimals of its column's step (it does not
round) and formats what is left with the browser's number formatter, which
rounds half away from zero. `drawn` does the same in Python, so a test can
say what a user would read in each cell without a browser, and compare it
with what cpsu.formatting writes for the same number in a headline or on
the command line.
"""

from __future__ import annotations

import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from cpsu.formatting import money, percent
from cpsu.ingest import read_upload
from cpsu.ingest.checks import checked_workspace
from cpsu.projection import project
from cpsu.sensitivity import cpsu_bridge, hire_triggers
from tests.test_pages import SAMPLE, cost_base_page, new_app, scenarios_page

COMPARE = "app_pages/compare.py"
COMPARE_TABS = ("Scenarios", "Sensitivity", "Why CPSU moves", "What must be true")
SPRINTF = re.compile(r"%\.(\d+)f(%%)?")
INTERNAL_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _decimals(step: float) -> int:
    """The decimals a step gives a column, as the browser counts them."""
    return 0 if step % 1 == 0 else len(repr(step).split(".")[1])


def _cut(value: float, decimals: int) -> float:
    """The browser's cut of a value to a column's decimals (not a rounding);
    as JavaScript's Math.trunc, a negative value cut to zero keeps its sign."""
    if decimals <= 0:
        return math.copysign(float(math.trunc(value)), value)
    scale = 10**decimals
    scaled = value * scale
    nudge = 2**-52 * abs(scaled) * 10
    cut = float(math.trunc(scaled + math.copysign(nudge, scaled)))
    return math.copysign(cut, scaled) / scale


def _half_away(value: Decimal, decimals: int, grouped: bool = True) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if rounded.is_signed() else ""
    return sign + format(abs(rounded), f"{',' if grouped else ''}.{decimals}f")


def drawn(value: float | None, type_config: dict) -> str:
    """What the browser writes in a number cell (en-US)."""
    if value is None or math.isnan(value):
        return ""
    shown = type_config.get("format") or ""
    step = type_config.get("step")
    decimals = None if step is None else _decimals(step)
    if decimals is not None:
        value = _cut(value, decimals)
    exact = Decimal(value)
    if shown == "dollar":
        text = _half_away(exact, 2 if decimals is None else decimals)
        return text.replace("-", "-$") if text.startswith("-") else "$" + text
    if shown == "percent":
        assert decimals is not None, "a percent column without a step"
        return _half_away(exact * 100, max(decimals - 2, 0)) + "%"
    if shown == "localized":
        assert decimals is not None, "a localized column without a step"
        return _half_away(exact, decimals)
    match = SPRINTF.fullmatch(shown)
    if match:
        # sprintf writes a negative zero without its sign.
        text = _half_away(exact + 0, int(match.group(1)), grouped=False)
        return text + ("%" if match.group(2) else "")
    assert value == int(value), f"{value} drawn with no format: all its digits"
    return str(int(value))


def written(value: float | None, type_config: dict) -> str:
    """What cpsu.formatting writes for the same number, to the column's
    decimals: money, a percentage, a count."""
    if value is None or math.isnan(value):
        return ""
    shown = type_config.get("format") or ""
    step = type_config.get("step")
    decimals = None if step is None else _decimals(step)
    if shown == "dollar":
        assert decimals in (None, 0, 2), f"money to {decimals} decimals"
        return money(value, cents=decimals != 0)
    if shown == "percent":
        return percent(value, digits=max(decimals - 2, 0))
    if shown == "localized":
        return f"{value:,.{decimals}f}"
    match = SPRINTF.fullmatch(shown)
    if match:
        return f"{value:.{match.group(1)}f}" + ("%" if match.group(2) else "")
    return str(int(value))


def tables(at: AppTest) -> list[tuple[str, pa.Table, dict]]:
    """Each table on the page: its key or place, its Arrow data and its
    columns' configuration (st.table has none)."""
    found = []
    for kind in ("dataframe", "table"):
        for n, element in enumerate(at.get(kind)):
            proto = element.proto
            data = pa.ipc.open_stream(proto.arrow_data.data).read_all()
            config = json.loads(proto.columns) if kind == "dataframe" else {}
            name = getattr(element, "key", None) or f"{kind} {n}"
            found.append((name, data, config))
    return found


def mismatches(name: str, data: pa.Table, config: dict) -> list[str]:
    """Every cell whose drawn text differs from what the product writes, and
    every header that is an internal snake_case name."""
    problems = []
    for column in data.column_names:
        if column.startswith("__index_level"):
            continue
        settings = config.get(column, {})
        header = settings.get("label") or column
        if INTERNAL_NAME.fullmatch(header):
            problems.append(f"{name}: header {header!r}")
        kind = data.schema.field(column).type
        if not (pa.types.is_floating(kind) or pa.types.is_integer(kind)):
            continue
        type_config = settings.get("type_config", {})
        for value in data.column(column).to_pylist():
            if value is None:
                continue
            if not type_config.get("format") and float(value) != int(value):
                problems.append(f"{name}: {header} {value!r} has no number format")
                break
            shown, expected = drawn(value, type_config), written(value, type_config)
            if shown != expected:
                problems.append(
                    f"{name}: {header} {value!r} drawn {shown} not {expected}"
                )
    return problems


def _sample():
    upload = read_upload(SAMPLE.read_bytes(), SAMPLE.name)
    return checked_workspace(None, upload, SAMPLE.name)[0]


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = new_app()
    assert not at.exception
    return at


def test_the_emulated_browser_cuts_where_formatting_rounds():
    # The tester's cases: 209,301.49 / 1,350 = 155.0381, drawn $155.03 by a
    # cents column, written $155.04; 96,000 / 36 = 2,666.666..., $2,666.66
    # against $2,666.67; a change of -3.09% drawn -3.0%, written -3.1%.
    cents = {"format": "dollar", "step": 0.01}
    share = {"format": "percent", "step": 0.001}
    assert drawn(209_301.49 / 1_350, cents) == "$155.03"
    assert written(209_301.49 / 1_350, cents) == "$155.04"
    assert drawn(96_000 / 36, cents) == "$2,666.66"
    assert written(96_000 / 36, cents) == "$2,666.67"
    assert drawn(-0.0309, share) == "-3.0%"
    assert written(-0.0309, share) == "-3.1%"
    # Rounded first, both agree: 155.04 is 155.039999... in binary, and the
    # browser's cut nudges it up to the cent it stands for.
    assert drawn(155.04, cents) == written(155.04, cents) == "$155.04"
    assert drawn(-0.031, share) == "-3.1%"
    assert drawn(2_462.1212, {"format": "localized", "step": 1}) == "2,462"


@pytest.mark.parametrize("page", ["Cost base", "Scenarios", "Pitch", "Actuals"])
def test_every_table_on_a_page_shows_rounded_values_and_readable_headers(app, page):
    files = {
        "Cost base": "app_pages/cost_base.py",
        "Scenarios": "app_pages/scenarios.py",
        "Pitch": "app_pages/pitch.py",
        "Actuals": "app_pages/actuals.py",
    }
    at = app.switch_page(files[page]).run()
    assert not at.exception
    found = tables(at)
    if page in ("Cost base", "Scenarios"):
        assert found, f"no table on {page}"
    problems = [p for table in found for p in mismatches(*table)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("tab", COMPARE_TABS)
def test_every_table_on_each_compare_tab_shows_rounded_values(app, tab):
    at = app.switch_page(COMPARE).run()
    at.session_state["compare.tabs"] = tab
    at.run()
    assert not at.exception
    found = tables(at)
    if tab != "What must be true":
        assert found, f"no table on {tab}"
    problems = [p for table in found for p in mismatches(*table)]
    assert not problems, "\n".join(problems)


def cell(data: pa.Table, config: dict, column: str, row: int) -> str:
    return drawn(data.column(column)[row].as_py(), config[column]["type_config"])


def table_of(at: AppTest, column: str) -> tuple[pa.Table, dict]:
    """The first table on the page that sends a column of this name."""
    for _, data, config in tables(at):
        if column in data.column_names:
            return data, config
    raise AssertionError(f"no table with {column}")


def test_the_projection_table_agrees_with_the_headline_and_the_cli(app):
    at = scenarios_page(app)
    data, config = table_of(at, "cpsu_change")
    projection = project(*_sample_inputs())
    table = projection.table
    # Baseline 2026-Q4: 209,301.49 / 1,350 = 155.038 -> $155.04, not $155.03.
    assert table["cpsu"].iloc[0] == pytest.approx(209_301.49 / 1_350)
    assert cell(data, config, "cpsu", 0) == "$155.04" == money(table["cpsu"].iloc[0])
    for row in range(len(table)):
        assert cell(data, config, "cpsu", row) == money(table["cpsu"].iloc[row])
        assert cell(data, config, "monthly_opex", row) == money(
            table["monthly_opex"].iloc[row], cents=False
        )
        if row:
            assert cell(data, config, "cpsu_change", row) == percent(
                table["cpsu_change"].iloc[row]
            )


def _sample_inputs():
    sample = _sample()
    return sample.cost_base, sample.headcount, sample.scenario


def test_the_cost_base_tables_round_to_the_cent(app):
    at = cost_base_page(app)
    lines, line_config = table_of(at, "basis")
    items = lines.column("item").to_pylist()
    # 96,000 over 36 months = 2,666.666... a month: $2,666.67.
    row = items.index("Contact-centre telephony hardware")
    assert cell(lines, line_config, "monthly", row) == "$2,666.67"
    pools, pool_config = table_of(at, "share")
    names = pools.column("cost_pool").to_pylist()
    sample = _sample()
    expected = project(sample.cost_base, sample.headcount, sample.scenario)
    desktop = expected.run_rate_by_pool(0).set_index("cost_pool")["monthly_cost"]
    row = names.index("Desktop support")
    assert cell(pools, pool_config, "monthly_cost", row) == money(
        desktop["Desktop support"]
    )


def test_why_cpsu_moves_shows_readable_tables(app):
    at = app.switch_page(COMPARE).run()
    at.session_state["compare.tabs"] = "Why CPSU moves"
    at.run()
    assert not at.exception
    cost_base, headcount, scenario = _sample_inputs()
    bridge = cpsu_bridge(cost_base, headcount, scenario)
    data, config = table_of(at, "mechanism")
    headers = [config[name]["label"] for name in data.column_names]
    assert headers == ["What moved CPSU", "Change of CPSU", "CPSU before", "CPSU after"]
    for row in range(len(bridge)):
        assert cell(data, config, "change", row) == money(bridge["change"].iloc[row])
        assert cell(data, config, "cpsu_to", row) == money(bridge["cpsu_to"].iloc[row])
    # The baseline's CPSU opens the bridge: 209,301.49 / 1,350 = $155.04.
    assert cell(data, config, "cpsu_from", 0) == "$155.04"

    triggers = hire_triggers(cost_base, headcount, scenario)
    data, config = table_of(at, "users_above")
    assert "t" not in data.column_names and "reached" not in data.column_names
    headers = [config[name]["label"] for name in data.column_names]
    assert headers == [
        "Cost line",
        "Tier",
        "Agent",
        "Needed above (users)",
        "First needed in",
    ]
    for row in range(len(triggers)):
        users = triggers["users_above"].iloc[row]
        assert cell(data, config, "users_above", row) == f"{users:,.0f}"


def test_the_actuals_plan_tables_show_rounded_values():
    from tests.test_pages_actuals import actuals_page, upload

    # Actuals after the sample's baseline with a cost per pool, so the plan
    # against actual and the variance by pool are drawn: 2027-Q1 is
    # (150,000.01 + 71,000) / (1,300 + 160) = 151.3699 a user, $151.37.
    at = upload(
        actuals_page(),
        "after.csv",
        "Quarter,Employees,Contingent,Productivity software,Other\n"
        "2026-Q4,1200,150,140000,69301.49\n"
        "2027-Q1,1300,160,150000.01,71000\n"
        "2027-Q2,1400,170,155000,74000.333\n",
    )
    assert not at.exception
    plan, plan_config = table_of(at, "Actual less plan")
    assert cell(plan, plan_config, "CPSU, actual", 1) == "$151.37"
    variance, _ = table_of(at, "Pool")
    assert variance.num_rows
    problems = [p for table in tables(at) for p in mismatches(*table)]
    assert not problems, "\n".join(problems)


def test_the_gl_mapping_tables_show_readable_values():
    from tests.test_pages import add_rule, gl_export_bytes, upload

    # A GL export mid-mapping: the rules' previews and the unmapped queue.
    at = upload(cost_base_page(new_app()), "gl.xlsx", gl_export_bytes())
    at = add_rule(at, "vendor", "Microsoft", "Productivity software", "Per user")
    assert not at.exception
    found = tables(at)
    headers = [name for _, data, _ in found for name in data.column_names]
    assert "Postings" in headers and "A month" in headers
    problems = [p for table in found for p in mismatches(*table)]
    assert not problems, "\n".join(problems)
