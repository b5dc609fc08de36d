"""The Actuals page as a user meets it, driven by Streamlit's AppTest."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from cpsu.actuals import average_change, history, whole_change
from cpsu.formatting import count, money, percent
from cpsu.projection import project
from cpsu.sourcing import Contract, InHouseDesk, Pricing, break_even
from cpsu.ui.text import plain
from sample_data.build import sample_actuals, sample_workspace
from tests.test_pages import ROOT, metric, table_with

ACTUALS = "app_pages/actuals.py"
CSV = "text/csv"


def actuals_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return at.switch_page(ACTUALS).run()


def upload(at: AppTest, name: str, text: str) -> AppTest:
    at.file_uploader(key="actuals.upload").upload(name, text.encode(), CSV).run()
    return at


def test_the_page_opens_on_the_sample_history() -> None:
    at = actuals_page()
    assert not at.exception
    assert at.title[0].value == "Actuals"
    table = history(sample_actuals())
    assert metric(at, "CPSU, 2026-Q4") == money(table["cpsu"].iat[-1]) == "$155.04"
    assert metric(at, "Reductions in a row") == "16 quarters"
    assert metric(at, "Longest run") == "16 quarters"
    assert metric(at, "Average change a quarter") == percent(
        average_change(table["cpsu"]), signed=True
    )
    assert metric(at, "Over the whole period") == percent(
        whole_change(table["cpsu"]), signed=True
    )
    # The one quarter where CPSU fell as satisfaction fell.
    assert [w.value[:8] for w in at.warning] == ["2024-Q4:"]
    # History, indexed, quality, curve and in-house or managed.
    assert len(at.get("vega_lite_chart")) == 5
    assert not at.error


def test_the_experience_curve_judges_the_scenario_in_use() -> None:
    at = actuals_page()
    assert metric(at, "CPSU change per doubling of users") == "-14.6%"
    # Base ends at 2028-Q4 on the curve's band: in line.
    text = " ".join(m.value for m in at.markdown)
    workspace = sample_workspace()
    plan = project(workspace.cost_base, workspace.headcount, workspace.scenario)
    assert f"reaches {money(plan.column('cpsu')[-1])}" in text
    assert "The plan is **in line with the history**" in text


def test_a_clean_upload_replaces_the_history() -> None:
    # CPSU $200, $160, $128: two reductions of 20%.
    at = upload(
        actuals_page(),
        "ours.csv",
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        "2026-Q1,100,0,20000\n2026-Q2,150,50,32000\n2026-Q3,400,0,51200\n",
    )
    assert not at.exception
    assert at.success[0].value == f"**{plain('ours.csv')}**: 3 quarters read."
    assert metric(at, "CPSU, 2026-Q3") == "$128.00"
    assert metric(at, "Reductions in a row") == "2 quarters"
    assert metric(at, "Average change a quarter") == "-20.0%"
    assert metric(at, "CPSU change per doubling of users") == "-20.0%"


def test_a_bad_upload_is_refused_and_the_last_good_history_stays() -> None:
    at = upload(
        actuals_page(),
        "good.csv",
        "Quarter,Employees,Monthly OPEX\n2026-Q1,100,20000\n2026-Q2,200,32000\n"
        "2026-Q3,400,51200\n",
    )
    assert metric(at, "CPSU, 2026-Q3") == "$128.00"
    at = upload(at, "bad.csv", "Quarter,Employees,OPEX\n2026-Q1,100,20000\n")
    assert not at.exception
    assert at.error[0].value.startswith(
        f"**{plain('bad.csv')}** was not used; the actuals you had stay."
    )
    problems = table_with(at, "Where")
    assert problems["Where"].tolist() == [plain("bad.csv, row 1, column OPEX (C)")]
    assert "Monthly OPEX" in problems.iloc[0, -1]
    # The good history is still shown.
    assert metric(at, "CPSU, 2026-Q3") == "$128.00"
    # With the file taken out of the uploader (or one it refused as too big)
    # the report of the bad file goes; the good history stays.
    at.file_uploader(key="actuals.upload").clear().run()
    assert not at.error
    assert metric(at, "CPSU, 2026-Q3") == "$128.00"
    # And the sample comes back on request.
    at.button(key="actuals.restore").click().run()
    assert metric(at, "CPSU, 2026-Q4") == "$155.04"


def test_the_plan_is_held_against_the_quarters_after_it() -> None:
    # The sample's Base plan from 2026-Q4, against actuals of 2026-Q4 to
    # 2027-Q2. 2027-Q1: 1,300 + 160 = 1,460 users at $221,000: CPSU $151.3699.
    workspace = sample_workspace()
    plan = project(workspace.cost_base, workspace.headcount, workspace.scenario)
    cpsu = plan.column("cpsu")
    at = upload(
        actuals_page(),
        "after.csv",
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        "2026-Q4,1200,150,209301.49\n2027-Q1,1300,160,221000\n"
        "2027-Q2,1400,170,229000\n",
    )
    assert not at.exception
    table = table_with(at, "Actual less plan")
    assert table["Quarter"].tolist() == ["2026-Q4", "2027-Q1", "2027-Q2"]
    # The table is sent rounded to the cent, as it is shown.
    assert table["CPSU, plan"].tolist() == [round(c, 2) for c in cpsu[:3]]
    assert table["CPSU, actual"].iat[1] == 151.37
    assert table["Actual less plan"].iat[2] == round(229_000 / 1570 - cpsu[2], 2)
    # No pools in the file: CPSU only, and said so.
    assert any("no cost by pool" in c.value for c in at.caption)


def test_in_house_or_managed_follows_the_inputs() -> None:
    # The contract starts at the benchmark $22 a Tier 1 ticket.
    at = actuals_page()
    assert at.radio(key="actuals.contract.pricing").value is Pricing.PER_TICKET
    assert at.number_input(key="actuals.contract.price.PER_TICKET").value == 22.0
    desk = InHouseDesk(
        at.number_input(key="actuals.desk.tickets").value,
        at.number_input(key="actuals.desk.per_agent").value,
        at.number_input(key="actuals.desk.cost").value,
        at.number_input(key="actuals.desk.minimum").value,
    )
    found = break_even(desk, Contract(Pricing.PER_TICKET, 22.0))
    text = " ".join(m.value for m in at.markdown)
    assert f"from **{count(found.users)} supported users** on" in text
    # Priced per user at $14: the break-even moves to what the model says.
    at.radio(key="actuals.contract.pricing").set_value(Pricing.PER_USER).run()
    found = break_even(desk, Contract(Pricing.PER_USER, 14.0))
    text = " ".join(m.value for m in at.markdown)
    assert f"from **{count(found.users)} supported users** on" in text
    # A contract cheaper than the agents' own cost per user: never.
    at.number_input(key="actuals.contract.price.PER_USER").set_value(5.0).run()
    assert any("never becomes the cheaper choice" in i.value for i in at.info)


def test_a_locked_plan_comes_first_and_is_held_against_the_actuals() -> None:
    from datetime import date

    from cpsu.saved import CONSERVATIVE, starting_scenarios
    from cpsu.store import ScenarioStore, data_dir, workspace_key

    # The first session makes the company's three scenarios; Conservative is
    # then locked, as leadership agreed to it.
    actuals_page()
    store = ScenarioStore.in_data_dir(data_dir())
    company = workspace_key("Quillfern Analytics")
    saved = store.load(company, CONSERVATIVE)
    store.lock(
        company, CONSERVATIVE, "Board, December", date(2026, 12, 1), saved.version
    )

    at = upload(
        actuals_page(),
        "after.csv",
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        "2026-Q4,1200,150,209301.49\n2027-Q1,1300,160,221000\n",
    )
    assert not at.exception
    plan = at.selectbox(key="actuals.plan")
    assert plan.value == CONSERVATIVE
    assert plan.options[0] == "Conservative (locked 2026-12-01)"
    # Its projection, as the Conservative scenario of the sample's workspace.
    workspace = sample_workspace()
    conservative = next(
        s for s in starting_scenarios(workspace.scenario) if s.name == CONSERVATIVE
    )
    projection = project(
        workspace.cost_base, workspace.headcount, conservative.scenario
    )
    table = table_with(at, "Actual less plan")
    assert table["CPSU, plan"].tolist() == [
        round(c, 2) for c in projection.column("cpsu")[:2]
    ]
    assert not any("is not locked" in c.value for c in at.caption)


def test_the_history_and_the_plan_each_count_contingent_workers_one_way() -> None:
    from dataclasses import replace

    from cpsu.saved import SavedScenario
    from cpsu.store import ScenarioStore, data_dir, workspace_key

    # A plan that counts a contingent worker as half a user, saved and locked
    # so that it comes first; the Scenarios page's slider is at 0.25.
    actuals_page()
    workspace = sample_workspace()
    half = replace(
        workspace.scenario,
        name="Half weight",
        service_desk=replace(workspace.scenario.service_desk, contingent_weight=0.5),
    )
    store = ScenarioStore.in_data_dir(data_dir())
    company = workspace_key("Quillfern Analytics")
    saved = store.save(company, SavedScenario(half))
    store.lock(company, "Half weight", "Board", date(2026, 12, 1), saved.version)

    # The baseline quarter's actual cost is the plan's own: at 0.5 there are
    # 1,200 + 75 users, and per-user costs follow them.
    plan = project(workspace.cost_base, workspace.headcount, half)
    baseline_opex = round(float(plan.column("monthly_opex")[0]), 2)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.session_state["scenarios.contingent_weight"] = 0.25
    at = at.switch_page(ACTUALS).run()
    at = upload(
        at,
        "after.csv",
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        f"2026-Q4,1200,150,{baseline_opex:.2f}\n2027-Q1,1300,160,221000\n",
    )
    assert not at.exception
    # The history counts them at the workbook's weight, 1, not the slider's:
    # 2027-Q1 is 221,000 / (1,300 + 160) = $151.37 (at 0.25 it would be
    # 221,000 / 1,340 = $164.93).
    assert metric(at, "CPSU, 2027-Q1") == "$151.37"
    # The plan counts the actuals at its own 0.5: the baseline quarter is the
    # plan's own baseline (its cost to the cent, so a variance under half a
    # cent), so no variance; 2027-Q1 is 221,000 / (1,300 + 80).
    assert at.selectbox(key="actuals.plan").value == "Half weight"
    table = table_with(at, "Actual less plan")
    assert table["Actual less plan"].iat[0] == 0.0
    # Sent rounded to the cent: 221,000 / 1,380 = 160.1449 -> 160.14.
    assert table["CPSU, actual"].iat[1] == 160.14
    assert table["Actual less plan"].iat[1] == round(
        221_000 / 1380 - plan.column("cpsu")[1], 2
    )
    # The share of plan in percent, one decimal in every row, and no "-0%".
    share = (221_000 / 1380) / plan.column("cpsu")[1] - 1
    assert table["Share of plan"].tolist() == [0.0, round(share * 100, 1)]
    assert any(
        "Contingent workers counted at 0.5 of a user, as the plan Half weight says"
        in c.value
        for c in at.caption
    )


def test_actuals_after_the_plans_horizon_are_said_to_be_after_it() -> None:
    # The sample's Base plan runs 2026-Q4 to 2028-Q4; actuals of 2030 lie past it.
    at = upload(
        actuals_page(),
        "later.csv",
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        "2030-Q1,1200,150,209301.49\n2030-Q2,1300,160,221000\n",
    )
    assert not at.exception
    (note,) = [i.value for i in at.info if "all come after" in i.value]
    assert "(2030-Q1 to 2030-Q2)" in note
    assert "ends in 2028-Q4" in note
    assert not any(i.value.startswith("No actuals yet") for i in at.info)


def test_the_tickets_per_user_field_shows_what_it_computes_with() -> None:
    # The sample's 0.968 tickets a user after self-service was shown as 0.97.
    at = actuals_page()
    field = at.number_input(key="actuals.desk.tickets")
    assert field.proto.format == "%.3f"
    assert field.value == pytest.approx(round(field.value, 3))


def test_the_experience_curve_judges_a_scenario_in_its_own_unit() -> None:
    from dataclasses import replace

    from cpsu.actuals import fit_experience_curve

    # With the slider at 0.25 the scenario in use counts a contingent worker
    # as a quarter of a user; its verdict is on the history counted so too,
    # while the headline stays at the workbook's weight.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.session_state["scenarios.contingent_weight"] = 0.25
    at = at.switch_page(ACTUALS).run()
    assert not at.exception
    assert metric(at, "CPSU, 2026-Q4") == "$155.04"
    quarter_weight = history(replace(sample_actuals(), contingent_weight=0.25))
    curve = fit_experience_curve(
        quarter_weight["supported_users"], quarter_weight["cpsu"]
    )
    expected = percent(-curve.per_doubling, signed=True)
    assert metric(at, "CPSU change per doubling of users") == expected
    assert expected != "-14.6%"  # the curve at the workbook's weight
    assert any("counted at 0.25 of a user" in c.value for c in at.caption)


def test_a_workbook_weight_other_than_1_counts_the_history_and_says_so() -> None:
    from dataclasses import replace

    # A cost base whose Service desk sheet counts a contingent worker as half
    # a user: the sample's 2026-Q4 is 209,301.49 / (1,200 + 0.5 * 150) =
    # 209,301.49 / 1,275 = $164.16, whatever the slider.
    workspace = sample_workspace()
    half = replace(
        workspace,
        scenario=replace(
            workspace.scenario,
            service_desk=replace(
                workspace.scenario.service_desk, contingent_weight=0.5
            ),
        ),
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["workspace"] = half
    at = at.run().switch_page(ACTUALS).run()
    assert not at.exception
    assert metric(at, "CPSU, 2026-Q4") == "$164.16"
    assert any(
        c.value == "Contingent workers counted at 0.5 of a user, as the workbook's "
        "Service desk sheet says."
        for c in at.caption
    )
