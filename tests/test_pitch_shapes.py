"""The pitch's words for every shape of scenario: a shrinking company, one
quarter, one cost line, a lever that moves the baseline quarter, and funding
parts that add up to the total shown."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.deck import headline_rows
from cpsu.formatting import money
from cpsu.pitch import (
    assumption_rows,
    baseline_note,
    funding_parts,
    narrative,
    pitch_case,
    whole_dollar_parts,
)
from cpsu.projection import project
from cpsu.scenario import Headcount, HeadcountRow, Scenario, Workspace
from cpsu.workload import ServiceDesk
from tests.test_pitch import sample_workspace, small_case, small_workspace

# Employees halve in a year: (1 - g) ** 4 = 0.5, g = 1 - 0.5 ** 0.25 = 15.9%.
HALVING_A_YEAR = 0.5**0.25 - 1


def sample_case(**changes):
    workspace = sample_workspace()
    scenario = replace(workspace.scenario, **changes)
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    return pitch_case(workspace, scenario, projection)


def dollars(text: str) -> int:
    """A whole-dollar sum as money() writes it: "$1,234" or "-$1,234"."""
    sign = -1 if text.startswith("-") else 1
    return sign * int(text.lstrip("-$").replace(",", ""))


# --- funding by fiscal year ---------------------------------------------------


def test_the_sample_s_fiscal_years_add_up_to_the_ask_shown():
    case = sample_case()
    # FY2027 283,292.63 and FY2028 1,016,703.77: rounded alone, $283,293 +
    # $1,016,704 = $1,299,997, a dollar over the total of 1,299,996.40 shown
    # as $1,299,996. Largest remainder: both rounded down (283,292 +
    # 1,016,703 = 1,299,995), the dollar left goes to FY2028 (0.77 > 0.63).
    assert funding_parts(case) == [("FY2027", 283_292), ("FY2028", 1_016_704)]
    text = narrative(case)
    assert (
        "the plan asks $1,299,996 above holding today's run-rate: FY2027 $283,292 "
        "and FY2028 $1,016,704." in text
    )
    funding = headline_rows(case)[4]
    assert funding[1] == "$1,299,996"
    assert funding[2] == "FY2027 $283,292; FY2028 $1,016,704"


@given(
    st.lists(
        st.floats(min_value=-5e6, max_value=5e6, allow_nan=False),
        min_size=1,
        max_size=8,
    )
)
def test_the_parts_shown_always_add_up_to_the_total_shown(asks):
    total = sum(asks)
    parts = whole_dollar_parts(asks, total)
    shown_parts = [money(part, cents=False) for part in parts]
    assert sum(dollars(part) for part in shown_parts) == dollars(
        money(total, cents=False)
    )
    # and no part moves by a dollar or more from its own ask
    assert all(abs(part - ask) < 1 for part, ask in zip(parts, asks, strict=True))


def test_a_saving_is_shown_in_savings_that_add_up():
    case = sample_case(growth_per_quarter=HALVING_A_YEAR)
    saving = -case.figures.funding_ask
    assert saving > 0
    parts = funding_parts(case)
    # the parts are savings, as the total is: positive, adding up to it
    assert all(part > 0 for _, part in parts)
    assert sum(part for _, part in parts) == round(saving)
    label, value, note = headline_rows(case)[4]
    assert value == money(saving, cents=False)
    assert label == "Saving on baseline"
    assert "-$" not in note
    assert "-$" not in narrative(case).split("less than holding")[1]


# --- a shrinking company --------------------------------------------------------


def test_a_shrinking_company_s_narrative_follows_its_direction():
    case = sample_case(growth_per_quarter=HALVING_A_YEAR)
    figures = case.figures
    assert figures.users_at_horizon < figures.users_now
    assert figures.cpsu_at_horizon > figures.cpsu_now
    text = narrative(case)
    assert f"supported users fall to {figures.users_at_horizon:,.0f} by" in text
    assert "reach" not in text
    assert "CPSU rises" in text
    # each user lost saves less than a user costs today, so CPSU rises
    assert figures.cost_per_added_user < figures.cpsu_now
    assert (
        f"Each user lost takes {money(figures.cost_per_added_user)} a month off "
        "the cost of support, less than today's CPSU, so each remaining user costs "
        "more." in text
    )
    assert "new employee" not in text
    assert headline_rows(case)[3][2] == "change of monthly cost ÷ users lost"


# --- singular and plural --------------------------------------------------------


def test_one_quarter_one_user_one_line_are_singular():
    case = small_case(horizon_quarters=1)
    rows = dict(assumption_rows(case.scenario))
    assert rows["Horizon"] == "1 quarter"
    assert dict(assumption_rows(small_case().scenario))["Horizon"] == "6 quarters"
    assert "Over the next quarter" in narrative(case)

    alone = Workspace(
        cost_base=CostBase(
            (CostLine("Office suite", "Productivity software", Behaviour.FIXED, 30),)
        ),
        headcount=Headcount((HeadcountRow("2026-Q4", 1, 0),)),
        scenario=Scenario(horizon_quarters=2),
    )
    projection = project(alone.cost_base, alone.headcount, alone.scenario)
    text = narrative(pitch_case(alone, alone.scenario, projection))
    # one user, $30 a month: CPSU $30.00
    assert text.startswith(
        "Support costs $30.00 a month for the one supported user in 2026-Q4"
    )
    assert not re.search(r"\b1 (users|agents|quarters|cost lines|months)\b", text)
    case = pitch_case(alone, alone.scenario, projection)
    notes = [note for _, _, note in headline_rows(case)]
    assert notes[0] == "1 supported user"
    assert notes[1].endswith("; 1 supported user")


# --- today's CPSU and the levers that move it -------------------------------------


def test_today_s_cpsu_says_when_the_scenario_moves_it():
    workspace = small_workspace()
    # The workbook's own settings: 220 users x 1.0 ticket = 220 tickets, one
    # analyst (220 <= 600): 2,200 + 5,500 = 7,700 / 220 = $35.00.
    # Tickets per user 3.0: 660 tickets need ceil(660 / 600) = 2 analysts:
    # 2,200 + 11,000 = 13,200 / 220 = $60.00.
    desk = replace(workspace.scenario.service_desk, tickets_per_user_month=3.0)
    scenario = replace(workspace.scenario, service_desk=desk)
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    assert baseline_note(workspace, scenario, projection) == (
        "Today's CPSU (2026-Q4) is costed with this scenario's tickets per user: "
        "$60.00 a month, against $35.00 with the cost base's own."
    )


def test_today_s_cpsu_has_no_note_when_only_later_quarters_move():
    workspace = small_workspace()
    # growth, the horizon and the deflection step move no cost of quarter 0
    desk = replace(workspace.scenario.service_desk, deflection_step=0.05)
    scenario = replace(
        workspace.scenario,
        growth_per_quarter=0.3,
        horizon_quarters=3,
        service_desk=desk,
    )
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    assert baseline_note(workspace, scenario, projection) is None
    # tickets per user moved a little, not enough for another analyst: the
    # baseline's CPSU is the same $35.00, so there is nothing to say
    desk = replace(desk, tickets_per_user_month=1.2)  # 264 tickets, one analyst
    scenario = replace(scenario, service_desk=desk)
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    assert baseline_note(workspace, scenario, projection) is None


def test_the_sample_s_ticket_slider_moves_today_s_cpsu():
    workspace = sample_workspace()
    desk = workspace.scenario.service_desk
    moved = replace(desk, tickets_per_user_month=desk.tickets_per_user_month * 2)
    scenario = replace(workspace.scenario, service_desk=moved)
    projection = project(workspace.cost_base, workspace.headcount, scenario)
    note = baseline_note(workspace, scenario, projection)
    own = project(workspace.cost_base, workspace.headcount, workspace.scenario)
    assert note is not None
    assert money(projection.column("cpsu")[0]) in note
    assert money(own.column("cpsu")[0]) in note
    assert "tickets per user" in note
    unchanged = ServiceDesk(**vars(desk))
    same = replace(workspace.scenario, service_desk=unchanged)
    assert baseline_note(workspace, same, own) is None
