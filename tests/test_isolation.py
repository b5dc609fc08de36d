"""Isolation between sessions: one user's upload, sliders and downloads are
never another's, and what the process keeps for everyone is keyed so that two
files never share a result.

The process-wide caches, as audited (grep for cache_data, cache_resource,
lru_cache and module-level dicts in cpsu/ and app_pages/):

- `state.sample_workspace` and `actuals_page.sample_actuals`: the bundled
  sample, read once; frozen values a session replaces, never changes.
- `xlsx._read_workbook_once`: the last workbook read, keyed by its bytes
  and the limits, handed to the next reader of the same upload.
- `charts._TEMPLATES`: chart layers keyed by chart kind and quarters, the
  data filled into a copy at each call.
- `state._MAPPED_PER_USER`: whether a cost base has Per user lines mapped
  from GL spend, keyed by the cost base's identity (held weakly).
- `pitch_page._png` and `_deck_png`: chart images keyed by the whole spec,
  data included.
- `scenario_library._store_in`: the saved-scenario store by data folder,
  shared on purpose: a company's scenarios are saved under its name, and
  only what a user saves (Save changes, Save as new) is written to it.

Everything else a page keeps lives in its session's state.
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from dataclasses import replace

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cpsu.charts import _TEMPLATES, cpsu_spec
from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.formatting import money
from cpsu.ingest import read_upload
from cpsu.ingest.gl import read_gl_export
from cpsu.ingest.roster_upload import read_roster_upload
from cpsu.ingest.xlsx import forget_last_workbook, read_workbook
from cpsu.mapping import MappedLine, has_mapped_per_user
from cpsu.pitch import pitch_case
from cpsu.pitch_charts import slide_charts
from cpsu.projection import project
from cpsu.scenario import Headcount, HeadcountRow
from cpsu.store import ScenarioStore, workspace_key
from cpsu.ui import state
from cpsu.ui.pitch_page import chart_png_kept
from cpsu.workbook import input_workbook
from tests.ingest_fixtures import canonical_bytes, cost_row
from tests.test_pages import cost_base_page, metric, new_app, scenarios_page, upload
from tests.test_pages_actuals import upload as upload_actuals
from tests.test_pitch import small_workspace
from tests.test_scenario_library import save_as

WORKBOOK_FILE = "scenarios.download.live_file"


def company(employees: int, contingent: int) -> bytes:
    """The small company (a $2,200 tool and one $5,500 analyst a month) with
    this baseline headcount, as the workbook a user would upload."""
    workspace = replace(
        small_workspace(),
        headcount=Headcount((HeadcountRow("2026-Q4", employees, contingent),)),
    )
    return input_workbook(workspace)


def sample_cpsu() -> str:
    """The sample's baseline CPSU as the Cost base page shows it."""
    sample = state.sample_workspace()
    projection = project(sample.cost_base, sample.headcount, sample.scenario)
    return money(projection.baseline["cpsu"])


def shown_text(at: AppTest) -> str:
    """Every element of the page as its protocol message prints it (labels,
    values, options, headings and messages), Markdown's escapes taken out."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts).replace("\\", "")


def downloaded_cpsu(at: AppTest) -> list[float]:
    """The CPSU by quarter in the scenario workbook this session downloads now."""
    data = at.session_state[WORKBOOK_FILE]()
    checks = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Checks"]
    rows = {row[0].value: row for row in checks.iter_rows() if row[0].value}
    return [cell.value for cell in rows["CPSU: app"][1:] if cell.value is not None]


def test_two_sessions_with_different_files_each_see_only_their_own():
    alpha = cost_base_page(new_app())
    beta = cost_base_page(new_app())
    upload(alpha, "alpha-costs.xlsx", company(200, 20))
    upload(beta, "beta-costs.xlsx", company(500, 50))
    alpha.run()
    beta.run()
    assert not alpha.exception and not beta.exception

    # 2,200 + 5,500 = 7,700 a month (one analyst: 220 or 550 tickets <= 600)
    # over 200 + 20 = 220 users is $35.00; over 500 + 50 = 550 it is $14.00.
    assert metric(alpha, "Supported users") == "220"
    assert metric(alpha, "CPSU") == "$35.00"
    assert metric(beta, "Supported users") == "550"
    assert metric(beta, "CPSU") == "$14.00"

    # A session that uploaded nothing still has the sample.
    bystander = cost_base_page(new_app())
    assert metric(bystander, "CPSU") == sample_cpsu()
    assert metric(bystander, "Supported users") == "1,350"  # 1,200 + 1 x 150

    assert "alpha-costs" in shown_text(alpha)
    assert "alpha-costs" not in shown_text(beta)
    assert "beta-costs" not in shown_text(alpha)
    for name in ("alpha-costs", "beta-costs"):
        assert name not in shown_text(bystander)

    # Each download holds its own session's numbers, built at the click.
    for at in (alpha, beta, bystander):
        scenarios_page(at)
        assert not at.exception
    assert downloaded_cpsu(alpha)[0] == 35.0
    assert downloaded_cpsu(beta)[0] == 14.0
    assert money(downloaded_cpsu(bystander)[0]) == sample_cpsu()
    assert "beta-costs" not in shown_text(alpha)
    assert "alpha-costs" not in shown_text(beta)


def test_two_files_of_the_same_name_are_told_apart_by_their_content():
    first, second = company(200, 20), company(500, 50)
    assert first != second
    alpha = cost_base_page(new_app())
    beta = cost_base_page(new_app())
    upload(alpha, "costs.xlsx", first)
    upload(beta, "costs.xlsx", second)
    alpha.run()
    # 7,700 / 220 and 7,700 / 550, as above
    assert metric(alpha, "CPSU") == "$35.00"
    assert metric(beta, "CPSU") == "$14.00"


def test_sliders_stay_in_their_session_and_saved_scenarios_appear_once_saved(
    cpsu_data_dir,
):
    alpha = cost_base_page(new_app())
    upload(alpha, "alpha-costs.xlsx", company(200, 20))
    scenarios_page(alpha)
    sample_growth = state.sample_workspace().scenario.growth_per_quarter
    alpha.slider(key=state.GROWTH).set_value(0.20).run()
    alpha_horizon = metric(alpha, "CPSU 2028-Q2")

    beta = new_app()
    fresh = new_app()
    assert beta.slider(key=state.GROWTH).value == sample_growth
    assert metric(beta, "CPSU 2028-Q4") == metric(fresh, "CPSU 2028-Q4")
    assert beta.selectbox(key="scenarios.library.choice").options == [
        "Base",
        "Conservative",
        "Aggressive",
    ]
    assert "alpha-costs" not in shown_text(beta)
    # The sample's saved Base is not the one alpha moved (another company).
    store = ScenarioStore.in_data_dir(cpsu_data_dir)
    quillfern = workspace_key("Quillfern Analytics")
    assert store.load(quillfern, "Base").scenario.growth_per_quarter == sample_growth

    # Beta moves its own slider; alpha's figures do not move.
    beta.slider(key=state.GROWTH).set_value(0.02).run()
    alpha.run()
    assert alpha.slider(key=state.GROWTH).value == 0.20
    assert metric(alpha, "CPSU 2028-Q2") == alpha_horizon

    # Alpha's company, named by another session before alpha saves anything:
    # its moves stay in its session, so the saved Base (the file's 5% growth)
    # is what the other sees, and "Plan A" is not there yet.
    early = new_app()
    early.text_input(key="scenarios.company").set_value("alpha-costs").run()
    assert "Plan A" not in early.selectbox(key="scenarios.library.choice").options
    assert early.slider(key=state.GROWTH).value == 0.05
    alpha_key = workspace_key("alpha-costs")
    assert store.load(alpha_key, "Base").scenario.growth_per_quarter == 0.05

    save_as(alpha, "Plan A")
    assert not alpha.exception
    late = new_app()
    late.text_input(key="scenarios.company").set_value("alpha-costs").run()
    assert "Plan A" in late.selectbox(key="scenarios.library.choice").options
    # A session on the sample still never sees it.
    assert "Plan A" not in new_app().selectbox(key="scenarios.library.choice").options


def test_an_actuals_upload_stays_in_its_session():
    ours = new_app().switch_page("app_pages/actuals.py").run()
    theirs = new_app().switch_page("app_pages/actuals.py").run()
    upload_actuals(
        ours,
        "ours.csv",
        "Quarter,Employees,Contingent,Monthly OPEX,Resolution rate,Satisfaction\n"
        "2026-Q1,100,0,20000,70%,91%\n2026-Q2,150,50,32000,72%,92%\n"
        "2026-Q3,400,0,51200,73%,93%\n",
    )
    theirs.run()
    # 51,200 / 400 = $128.00
    assert metric(ours, "CPSU, 2026-Q3") == "$128.00"
    # the sample history ends at 2026-Q4, at $155.04 (tests/e2e/test_actuals.py)
    assert metric(theirs, "CPSU, 2026-Q4") == "$155.04"
    assert "ours.csv" not in shown_text(theirs)
    later = new_app().switch_page("app_pages/actuals.py").run()
    assert metric(later, "CPSU, 2026-Q4") == "$155.04"


# --- the last workbook read, kept for the next reader ------------------------


def stored_zip(data: bytes) -> bytes:
    """The same workbook with every part stored, not deflated: a digit changed
    in a cell then leaves the file's size as it was."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target,
    ):
        for info in source.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            target.writestr(part, source.read(info.filename))
    return buffer.getvalue()


_BOOKS: dict[int, bytes] = {}


def tool_costing(amount: int) -> bytes:
    """A workbook of one Fixed line of `amount` a month, all parts stored:
    every four-digit amount gives a file of the same size."""
    if amount not in _BOOKS:
        row = cost_row("Tool", "Support tools", "Fixed", amount=amount, period="Month")
        _BOOKS[amount] = stored_zip(canonical_bytes([row]))
    return _BOOKS[amount]


def run_rate(amount: int) -> float:
    upload = read_upload(tool_costing(amount), "costs.xlsx")
    assert not upload.has_errors, upload.issues
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def test_files_of_one_name_and_size_with_other_bytes_are_other_files():
    assert len(tool_costing(1234)) == len(tool_costing(4321))
    assert tool_costing(1234) != tool_costing(4321)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.integers(1000, 9999), min_size=2, max_size=6))
def test_each_read_of_a_workbook_gets_its_own_bytes_read(amounts):
    # No forgetting between reads: whatever the last read kept, the next read
    # of a file of the same name and size, other bytes, reads its own amount.
    for amount in amounts:
        assert run_rate(amount) == amount


def test_two_sessions_reading_at_once_each_get_their_own_workbook():
    forget_last_workbook()
    amounts = (1111, 8888)
    wrong: list[tuple[int, object]] = []

    def reads(amount: int) -> None:
        for _ in range(12):
            try:
                got: object = run_rate(amount)
            except Exception as problem:
                got = problem
            if got != amount:
                wrong.append((amount, got))

    threads = [threading.Thread(target=reads, args=(a,)) for a in amounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert wrong == []


def test_a_kept_workbook_is_never_changed_by_its_readers():
    # The cost, GL and roster readers each take the kept workbook in turn; the
    # next session uploading the same bytes must get it as it was read.
    data = tool_costing(2500)
    forget_last_workbook()
    fresh = read_workbook(data)
    as_read = repr(fresh)  # every sheet, cell, formula and issue as read
    read_upload(data, "costs.xlsx")
    read_gl_export(data, "costs.xlsx")
    read_roster_upload(data, "costs.xlsx", pd.Period("2026Q4", freq="Q"))
    again = read_workbook(data)
    assert again is fresh  # the kept one, handed out again
    assert repr(again) == as_read


# --- chart layers, shared by every session --------------------------------------

QUARTERS = ["2026-Q4", "2027-Q1", "2027-Q2"]
CPSU_VALUES = st.lists(
    st.floats(1.0, 10_000.0, allow_nan=False), min_size=3, max_size=3
)


def cpsu_table(cpsu: list[float]) -> pd.DataFrame:
    users = [1000, 1100, 1200]
    return pd.DataFrame(
        {
            "quarter": QUARTERS,
            "cpsu": cpsu,
            "supported_users": users,
            "monthly_opex": [c * u for c, u in zip(cpsu, users, strict=True)],
            "cpsu_change": [None, cpsu[1] / cpsu[0] - 1, cpsu[2] / cpsu[1] - 1],
        }
    )


@settings(max_examples=30, deadline=None)
@given(CPSU_VALUES, CPSU_VALUES)
def test_a_chart_drawn_after_anothers_is_the_chart_drawn_alone(ours, theirs):
    def alone(cpsu: list[float]) -> str:
        _TEMPLATES.clear()
        return json.dumps(cpsu_spec(cpsu_table(cpsu)), sort_keys=True)

    ours_alone, theirs_alone = alone(ours), alone(theirs)
    # Two sessions draw in turn from the kept layers; each spec is sent to its
    # browser after the other's call, so neither call may touch the other's.
    our_spec = cpsu_spec(cpsu_table(ours))
    their_spec = cpsu_spec(cpsu_table(theirs))
    assert json.dumps(our_spec, sort_keys=True) == ours_alone
    assert json.dumps(their_spec, sort_keys=True) == theirs_alone


# --- answers kept by a cost base's identity -------------------------------------


def test_a_cost_base_never_gets_the_answer_of_one_freed_before_it():
    tool = CostLine("Tool", "Support tools", Behaviour.FIXED, amount=100)
    mapped = MappedLine(
        "Licences", "Productivity software", Behaviour.PER_USER, unit_cost=10
    )
    for round_ in range(40):
        lines = (tool, mapped) if round_ % 2 else (tool, tool)
        cost_base = CostBase(lines)
        assert state._has_mapped_per_user(cost_base) is has_mapped_per_user(
            cost_base
        ), round_
        del cost_base


# --- chart images, kept while the server runs -----------------------------------


def test_two_companies_pitch_charts_are_drawn_each_from_its_own_data():
    images = {}
    for employees in (200, 500):
        workspace = replace(
            small_workspace(),
            headcount=Headcount((HeadcountRow("2026-Q4", employees, 20),)),
        )
        projection = project(
            workspace.cost_base, workspace.headcount, workspace.scenario
        )
        case = pitch_case(workspace, workspace.scenario, projection)
        chart = slide_charts(case)[0]
        images[employees] = (chart, chart_png_kept(chart))
    (ours, our_png), (theirs, their_png) = images[200], images[500]
    assert ours.name == theirs.name  # the same chart of two companies
    assert our_png.startswith(b"\x89PNG") and their_png.startswith(b"\x89PNG")
    assert our_png != their_png
    assert chart_png_kept(ours) == our_png
