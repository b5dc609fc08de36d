"""Share links: a scenario's assumptions to query parameters and back."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.costs import CostLevers
from cpsu.scenario import LineChange, Scenario
from cpsu.share import (
    MAX_NAME_CHARACTERS,
    SETTINGS,
    ShareLinkError,
    scenario_from_query,
    share_query,
    share_query_string,
)
from cpsu.workload import ServiceDesk
from tests.scenario_strategies import line_changes, names, scenarios

BASE = Scenario(
    name="Base",
    growth_per_quarter=0.08,
    service_desk=ServiceDesk(deflection=0.12, deflection_step=0.02),
    changes=(LineChange("Legacy tool", 4, None),),
)


def test_a_link_holds_only_what_differs_from_the_base():
    faster = replace(
        BASE,
        growth_per_quarter=0.2,
        service_desk=replace(BASE.service_desk, deflection=0.25),
    )
    assert share_query(faster, BASE) == {"v": "1", "g": "0.2", "d": "0.25"}
    assert share_query(BASE, BASE) == {"v": "1"}
    assert scenario_from_query({"v": "1", "g": "0.2", "d": "0.25"}, BASE) == faster


def test_rates_are_plain_decimals():
    tiny = replace(BASE, levers=CostLevers(productivity=0.00001))
    assert share_query(tiny, BASE)["p"] == "0.00001"  # not 1e-05
    assert share_query(replace(BASE, horizon_quarters=12), BASE)["h"] == "12"


def test_a_link_keeps_the_base_line_changes_and_clears_an_escalation():
    with_levers = replace(BASE, levers=CostLevers(labour_escalation=0.04))
    assert share_query(BASE, with_levers) == {"v": "1", "le": "none"}
    assert scenario_from_query({"v": "1", "le": "none"}, with_levers) == BASE
    assert scenario_from_query({"v": "1"}, BASE).changes == BASE.changes


@settings(max_examples=100, deadline=None)
@given(
    scenario=scenarios,
    base=scenarios,
    changes=st.lists(line_changes, max_size=1).map(tuple),
)
def test_any_scenario_comes_back_from_its_link(scenario, base, changes):
    base = replace(base, changes=changes)
    scenario = replace(scenario, changes=changes)
    query = share_query(scenario, base)
    # As a browser hands it back: through the address and its parsing.
    parsed = parse_qs(urlsplit(share_query_string(scenario, base)).query)
    assert {key: values[0] for key, values in parsed.items()} == query
    assert scenario_from_query(parsed, base) == scenario


def test_a_link_with_every_lever_changed_stays_short():
    everything = Scenario(
        # The longest name a link takes, of characters that need 12 bytes each
        # in an address.
        name="\U0001f4c8" * MAX_NAME_CHARACTERS,
        horizon_quarters=40,
        growth_per_quarter=0.1 + 0.2,  # 0.30000000000000004: 17 digits
        service_desk=ServiceDesk(
            tickets_per_user_month=1.2345678901234567,
            resolution_rate=0.7123456789012345,
            deskside_share=0.3123456789012345,
            deflection=0.1123456789012345,
            deflection_step=0.0123456789012345,
            deflection_cap=0.4123456789012345,
            contingent_weight=0.5123456789012345,
            tickets_trend=-0.0263456789012345,
        ),
        contingent_share=0.1123456789012345,
        levers=CostLevers(
            labour_escalation=0.0412345678901234,
            licence_escalation=0.0312345678901234,
            productivity=0.1012345678901234,
        ),
    )
    query = share_query(everything, Scenario())
    assert set(query) == {"v", "n", *(setting.key for setting in SETTINGS)}
    link = share_query_string(everything, Scenario())
    assert len(link) < 1_500
    assert scenario_from_query(parse_qs(link[1:]), Scenario()) == everything


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"v": "1", "g": "5"}, "growth per quarter (g=5) is outside the -0.5 to 1"),
        ({"v": "1", "r": "1.2"}, "resolution rate (r=1.2) is outside the 0 to 1"),
        ({"v": "1", "h": "0"}, "horizon in quarters (h=0) is outside the 1 to 40"),
        ({"v": "1", "h": "8.5"}, "(h=8.5) is not a whole number"),
        ({"v": "1", "g": "12%"}, "growth per quarter (g=12%) is not a plain decimal"),
        ({"v": "1", "g": "1e-3"}, "(g=1e-3) is not a plain decimal"),
        ({"v": "1", "g": "nan"}, "(g=nan) is not a plain decimal"),
        ({"v": "1", "g": "none"}, "(g=none) is not a plain decimal"),
        ({"v": "1", "cost": "10"}, "'cost' is not a setting this program knows"),
        ({"v": "1", "n": "   "}, "name in the link must be 1 to 60 characters"),
        ({"v": "1", "g": ["0.1", "0.2"]}, "gives g 2 times"),
        ({"g": "0.1"}, "not a scenario link"),
        ({"v": "2", "g": "0.1"}, "format 2"),
    ],
)
def test_a_bad_link_is_refused_naming_the_setting(query, words):
    with pytest.raises(ShareLinkError) as caught:
        scenario_from_query(query, BASE)
    assert words in str(caught.value)


def test_streamlits_own_parameters_are_let_through():
    assert scenario_from_query({"v": "1", "embed": "true"}, BASE) == BASE


def test_a_scenario_a_link_cannot_carry_is_refused_on_the_way_out():
    with pytest.raises(ShareLinkError, match=r"growth per quarter \(g=3.0\)"):
        share_query(replace(BASE, growth_per_quarter=3.0), BASE)
    with pytest.raises(ShareLinkError, match="names of up to 60 characters"):
        share_query(replace(BASE, name="x" * 61), BASE)


@given(names)
def test_any_short_name_comes_back(name):
    named = replace(BASE, name=name[:MAX_NAME_CHARACTERS])
    assert scenario_from_query(share_query(named, BASE), BASE) == named
