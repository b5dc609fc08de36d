"""Mapping rules: each pattern kind, first match wins, reconciliation, JSON files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.costs import POOLS, Behaviour
from cpsu.ingest.gl import GLExport
from cpsu.ingest.issues import Severity
from cpsu.mapping import (
    UNMAPPED,
    Field,
    Rule,
    apply_rules,
    cost_lines,
    load_rules,
    mapped_lines,
    save_rules,
)


def export_of(postings) -> GLExport:
    """An export from (month, account, cost centre, vendor, description, amount)."""
    rows = []
    for number, (month, account, centre, vendor, description, amount) in enumerate(
        postings, start=2
    ):
        digits = account.split(" ")[0]
        rows.append(
            {
                "row": number,
                "month": pd.Period(month, freq="M"),
                "account": account,
                "account_number": int(digits) if digits.isdigit() else pd.NA,
                "account_name": "",
                "cost_centre": centre,
                "vendor": vendor,
                "description": description,
                "amount": amount,
                "cents": round(amount * 100),
            }
        )
    entries = pd.DataFrame(rows)
    entries["account_number"] = entries["account_number"].astype("Int64")
    return GLExport("test", "GL", entries)


EXPORT = export_of(
    [
        ("2026-10", "6110 Software", "CC100", "Microsoft", "M365 E3 licences", 3000.00),
        ("2026-10", "6150", "CC100", "AWS", "Hosting October", 1200.50),
        ("2026-11", "6150", "CC200", "AWS", "Hosting credit", -200.25),
        ("2026-11", "6199", "CC 200", "Zoom", "Zoom licences renewal", 450.00),
        ("2026-12", "6210", "cc200", "Acme MSP", "Managed desk December", 4500.10),
        ("2026-12", "7100", "CC300", "Qantas", "Travel to Sydney", 899.99),
        ("2026-12", "IT-SW", "CC300", "Slack", "Slack licences", 100.00),
    ]
)
# Total: 3000 + 1200.50 - 200.25 + 450 + 4500.10 + 899.99 + 100 = 9950.34


def caught(rule: Rule) -> list[int]:
    """The file rows a rule catches on its own."""
    mapping = apply_rules(EXPORT, [rule])
    return EXPORT.entries["row"][mapping.rule_index == 0].tolist()


def test_account_range_exact_and_prefix():
    other = "Other"
    assert caught(Rule("account", "6100-6199", other)) == [2, 3, 4, 5]
    assert caught(Rule("account", "6150", other)) == [3, 4]
    assert caught(Rule("account", "61*", other)) == [2, 3, 4, 5]
    assert caught(Rule("account", "6*", other)) == [2, 3, 4, 5, 6]
    assert caught(Rule("account", "it-sw", other)) == [8]  # text account, any case
    assert caught(Rule("account", "IT*", other)) == [8]
    assert caught(Rule("account", "615", other)) == []  # exact, not a prefix


def test_cost_centre_and_vendor_ignore_case_and_spaces():
    assert caught(Rule("cost_centre", "cc200", "Other")) == [4, 5, 6]
    assert caught(Rule("vendor", "acmemsp", "Other")) == [6]
    assert caught(Rule("vendor", "AWS ", "Other")) == [3, 4]
    assert caught(Rule("vendor", "AW", "Other")) == []  # exact, not a prefix


def test_description_needs_every_word_as_a_word():
    assert caught(Rule("description", "licences", "Other")) == [2, 5, 8]
    assert caught(Rule("description", "Licences ZOOM", "Other")) == [5]
    assert caught(Rule("description", "host", "Other")) == []  # not "Hosting"


def test_the_first_matching_rule_wins():
    rules = [
        Rule("vendor", "AWS", "Support tools"),
        Rule("account", "6100-6199", "Productivity software"),
        Rule("account", "6150", "Other"),  # shadowed by the two above
    ]
    mapping = apply_rules(EXPORT, rules)
    assert mapping.rule_index.tolist() == [1, 0, 0, 1, UNMAPPED, UNMAPPED, UNMAPPED]
    previews = mapping.previews
    assert [p.entries for p in previews] == [2, 2, 0]
    # AWS: 1200.50 - 200.25 = 1000.25; range: 3000 + 450 = 3450
    assert [p.total for p in previews] == [1000.25, 3450.00, 0.0]
    assert [str(m) for m in previews[0].months] == ["2026-10", "2026-11"]


def test_the_unmapped_queue_is_grouped_largest_first_and_reconciles():
    rules = [Rule("account", "61*", "Productivity software")]
    mapping = apply_rules(EXPORT, rules)
    queue = mapping.unmapped()
    assert queue["vendor"].tolist() == ["Acme MSP", "Qantas", "Slack"]
    assert queue["total"].tolist() == [4500.10, 899.99, 100.00]
    assert queue["entries"].tolist() == [1, 1, 1]
    # mapped: 3000 + 1200.50 - 200.25 + 450 = 4450.25; unmapped 5500.09
    assert mapping.mapped_total == 4450.25
    assert mapping.unmapped_total == 5500.09
    assert mapping.mapped_total + mapping.unmapped_total == pytest.approx(9950.34)
    assert mapping.reconciles


def test_repeated_postings_are_grouped_in_the_queue():
    export = export_of(
        [
            ("2026-10", "7100", "", "Qantas", "Travel", 100.0),
            ("2026-11", "7100", "", "Qantas", "Travel", 150.0),
            ("2026-11", "7200", "", "Cafe", "Lunch", -300.0),
        ]
    )
    queue = apply_rules(export, []).unmapped()
    # a credit of 300 is bigger than 250 of travel
    assert queue["description"].tolist() == ["Lunch", "Travel"]
    assert queue["entries"].tolist() == [1, 2]
    assert queue["total"].tolist() == [-300.0, 250.0]


def test_cost_lines_are_the_average_month_of_each_rule():
    rules = [
        Rule("account", "6100-6199", "Productivity software", "Per user", "Licences"),
        Rule("vendor", "acme msp", "Managed service"),
        Rule("description", "travel", "Other"),  # catches
        Rule("cost_centre", "CC999", "Other"),  # catches nothing: no line
    ]
    mapping = apply_rules(EXPORT, rules)
    lines = cost_lines(mapping, baseline_users=100)
    assert [line.item for line in lines] == ["Licences", "Acme MSP", "Travel"]
    licences, msp, travel = lines
    # 3000 + 1200.50 - 200.25 + 450 = 4450.25 over 3 months (Oct-Dec) = 1483.4167,
    # per user: / 100 users = 14.834167
    assert licences.behaviour is Behaviour.PER_USER
    assert licences.unit_cost == pytest.approx(4450.25 / 3 / 100)
    # 4500.10 / 3 = 1500.0333; vendor kept when the rule catches one vendor
    assert msp.behaviour is Behaviour.FIXED
    assert msp.amount == pytest.approx(1500.0333333)
    assert msp.vendor == "Acme MSP"
    assert travel.amount == pytest.approx(899.99 / 3)
    table = mapped_lines(mapping)
    assert table["monthly"].sum() == pytest.approx((4450.25 + 4500.10 + 899.99) / 3)
    with pytest.raises(ValueError, match="above 0"):
        cost_lines(mapping, baseline_users=0)


def test_rules_refuse_what_they_cannot_mean():
    with pytest.raises(ValueError, match=r"Pool .Kitchen. is not one of"):
        Rule("account", "61*", "Kitchen")
    with pytest.raises(ValueError, match="Fixed or Per user"):
        Rule("account", "61*", "Other", Behaviour.STEP)
    with pytest.raises(ValueError, match="backwards"):
        Rule("account", "6199-6100", "Other")
    with pytest.raises(ValueError):
        Rule("colour", "red", "Other")


# --- reconciliation as a property ------------------------------------------------

patterns = {
    "account": st.one_of(
        st.integers(6000, 7999).map(str),
        st.integers(60, 79).map(lambda n: f"{n}*"),
        st.tuples(st.integers(6000, 7999), st.integers(0, 500)).map(
            lambda t: f"{t[0]}-{t[0] + t[1]}"
        ),
    ),
    "cost_centre": st.sampled_from(["CC1", "cc 2", "CC3"]),
    "vendor": st.sampled_from(["AWS", "aws", "Zoom", "Acme MSP"]),
    "description": st.sampled_from(["licence", "hosting fee", "fee", "laptop"]),
}
rule_strategy = st.sampled_from(list(patterns)).flatmap(
    lambda field: st.builds(
        Rule,
        st.just(field),
        patterns[field],
        st.sampled_from(POOLS),
        st.sampled_from([Behaviour.FIXED, Behaviour.PER_USER]),
    )
)
posting = st.tuples(
    st.sampled_from(["2026-01", "2026-02", "2026-06"]),
    st.integers(6000, 7999).map(str),
    st.sampled_from(["CC1", "CC2", "CC3"]),
    st.sampled_from(["AWS", "Zoom", "Acme MSP", ""]),
    st.sampled_from(["licence fee", "hosting", "laptop", "hosting fee", ""]),
    st.integers(-(10**9), 10**9).map(lambda cents: cents / 100),
)


@settings(max_examples=200, deadline=None)
@given(
    postings=st.lists(posting, min_size=1, max_size=40),
    rules=st.lists(rule_strategy, max_size=6),
)
def test_mapped_and_unmapped_make_the_total_to_the_cent(postings, rules):
    export = export_of(postings)
    mapping = apply_rules(export, rules)
    total_cents = sum(round(p[5] * 100) for p in postings)
    assert mapping.mapped_cents + mapping.unmapped_cents == total_cents
    assert mapping.reconciles
    assert sum(p.total_cents for p in mapping.previews) == mapping.mapped_cents
    queue_cents = round(mapping.unmapped()["total"].sum() * 100)
    assert queue_cents == mapping.unmapped_cents
    # every entry went to the first rule that catches it, or to none
    for position, index in enumerate(mapping.rule_index):
        one = export_of([postings[position]])
        first = next(
            (
                i
                for i, rule in enumerate(rules)
                if apply_rules(one, [rule]).rule_index[0] == 0
            ),
            UNMAPPED,
        )
        assert index == first


# --- rules files -----------------------------------------------------------------


def test_rules_round_trip_through_json():
    rules = (
        Rule(Field.ACCOUNT, "6100-6199", "Productivity software", Behaviour.PER_USER),
        Rule(Field.VENDOR, "Acme MSP", "Managed service", line_name="Desk contract"),
        Rule(Field.DESCRIPTION, "zoom licences", "Support tools"),
    )
    data = save_rules(rules)
    assert json.loads(data)["version"] == 1
    loaded, issues = load_rules(data)
    assert issues == []
    assert loaded == rules


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"9" * 5000, "not JSON"),  # an integer longer than Python reads
        (b"[" * 100_000, "nests too deeply"),
        (b"[]", "version"),
        (b'{"version": 2, "rules": []}', "version 2"),
        (b'{"version": true, "rules": []}', "version true"),
    ],
)
def test_a_file_that_is_not_a_rules_file_gives_one_issue(data, message):
    rules, issues = load_rules(data, "rules.json")
    assert rules == ()
    assert len(issues) == 1
    assert message in issues[0].message
    assert "save the rules from the program again" in issues[0].message
    assert issues[0].where == "rules.json"


def rules_file(*rules: object) -> bytes:
    return json.dumps({"version": 1, "rules": list(rules)}).encode()


def test_every_problem_of_every_rule_is_named_by_rule_and_key():
    data = rules_file(
        {"field": "vendor", "pattern": "Dell", "pool": "Other"},
        {"field": "colour", "pattern": " ", "pool": "Kitchen", "behaviour": "Staffed"},
        42,
        {
            "field": "account",
            "pattern": "6199-6100",
            "pool": "SaaS",  # another name for Productivity software: fine
            "behaviour": "sometimes",
            "line_name": 5,
        },
        {"pattern": ["6150"], "pool": None},
    )
    rules, issues = load_rules(data, "rules.json")
    assert rules == ()
    # rule 1 is right; rule 2 has 4 problems, rule 3 one, rule 4 three, rule 5
    # three: 4 + 1 + 3 + 3 = 11, each listed once, in rule and key order
    assert [issue.where for issue in issues] == [
        'rules.json, rule 2, "field"',
        'rules.json, rule 2, "pattern"',
        'rules.json, rule 2, "pool"',
        'rules.json, rule 2, "behaviour"',
        "rules.json, rule 3",
        'rules.json, rule 4, "pattern"',
        'rules.json, rule 4, "behaviour"',
        'rules.json, rule 4, "line_name"',
        'rules.json, rule 5, "field"',
        'rules.json, rule 5, "pattern"',
        'rules.json, rule 5, "pool"',
    ]
    messages = [issue.message for issue in issues]
    assert messages[0].startswith('"colour" is not something a rule can look at')
    assert "The pattern is empty" in messages[1]
    assert messages[2].startswith('"Kitchen" is not a cost pool; write one of')
    assert "not Staffed" in messages[3]
    assert messages[4].startswith("42 is not a rule")
    assert "write the lower account first (6100-6199)" in messages[5]
    assert messages[6].startswith('"sometimes" is not a cost behaviour')
    assert messages[7].startswith("5 is not text")
    assert "field is missing" in messages[8]
    assert messages[9].startswith('["6150"] is not text')
    assert "pool is null" in messages[10]
    # every message says what to write
    assert all("write" in message for message in messages)
    assert all(issue.row is None for issue in issues)  # a rules file has no rows


def test_problems_past_twenty_are_counted_not_listed():
    rules, issues = load_rules(rules_file(*[{"pool": "Other"}] * 30), "r.json")
    assert rules == ()
    # 30 rules, each without field and pattern: 60 problems; 20 listed, 40 left
    assert len(issues) == 21
    assert issues[19].where == 'r.json, rule 10, "pattern"'
    assert issues[20].where == "r.json"
    assert issues[20].message.startswith(
        "40 more problems are not listed (60 in all, in 30 of the 30 rules)."
    )
    # 11 rules of 2 problems each: 22, of which 20 listed and 2 counted
    _, issues = load_rules(rules_file(*[{"pool": "Other"}] * 11), "r.json")
    assert issues[20].message.startswith("2 more problems are not listed (22 in all")
    _, issues = load_rules(
        rules_file(*[{"pool": "Other"}] * 10, {"field": "vendor", "pool": "Other"}),
        "r.json",
    )
    # 10 x 2 + 1 = 21 problems: 20 listed and one more
    assert issues[20].message.startswith("1 more problem is not listed (21 in all")


def test_an_account_number_written_without_quotes_is_read():
    (rule,), issues = load_rules(
        rules_file({"field": "account", "pattern": 6150, "pool": "Other"})
    )
    assert issues == []
    assert rule.pattern == "6150"


def test_rules_files_accept_other_names_for_pools_and_behaviours():
    data = (
        b'{"version": 1, "rules": [{"field": "vendor", "pattern": "Zoom", '
        b'"pool": "SaaS", "behaviour": "per seat"}]}'
    )
    (rule,), issues = load_rules(data)
    assert (rule.pool, rule.behaviour) == ("Productivity software", Behaviour.PER_USER)
    assert np.all(issues == [])


# --- line names --------------------------------------------------------------------

SPELLINGS = export_of(
    [
        ("2026-10", "6400", "it 100", "DELL", "New LAPTOP order", 1000.00),
        ("2026-11", "6400", "IT100", "Dell", "laptop dock", 500.00),
        ("2026-11", "6410", "IT100", "Dell ", "Laptop bag", 60.00),
    ]
)


@pytest.mark.parametrize(
    ("rule", "name"),
    [
        # the export's first spelling, not the rule's
        (Rule("vendor", "dell", "Desktop support"), "DELL"),
        (Rule("cost_centre", "IT100", "Desktop support"), "Cost centre it 100"),
        (Rule("description", "laptop", "Desktop support"), "LAPTOP"),
        (Rule("description", "order new", "Desktop support"), "Order New"),
        # the rule's own name first; an account rule by its pattern
        (Rule("vendor", "dell", "Desktop support", line_name="Laptops"), "Laptops"),
        (Rule("account", "6400-6410", "Desktop support"), "Account 6400-6410"),
    ],
)
def test_a_line_is_named_as_the_export_first_spells_it(rule, name):
    mapping = apply_rules(SPELLINGS, [rule])
    (preview,) = mapping.previews
    assert preview.name == name
    (line,) = cost_lines(mapping, baseline_users=10)
    assert line.item == name
    assert mapped_lines(mapping)["item"].tolist() == [name]


def test_one_vendor_however_spelt_is_kept_on_the_line():
    (line,) = cost_lines(
        apply_rules(SPELLINGS, [Rule("account", "64*", "Desktop support")]), 10
    )
    # DELL, Dell and "Dell " are one vendor: kept as first spelt
    assert line.vendor == "DELL"
    # 1,000 + 500 + 60 = 1,560 over 2 months (Oct, Nov) = 780 a month
    assert line.amount == pytest.approx(780.0)


def test_a_rule_that_catches_nothing_is_named_from_its_pattern():
    mapping = apply_rules(SPELLINGS, [Rule("vendor", "hp inc", "Other")])
    assert mapping.previews[0].name == "hp inc"
    assert cost_lines(mapping, 10) == ()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["account", "vendor", "Other", "Per user", "61*", "6199-6100"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["field", "pattern", "pool", "behaviour", "line_name", "x"]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(rules=st.lists(json_values, max_size=30))
def test_any_rules_list_gives_rules_or_named_problems_never_an_error(rules):
    loaded, issues = load_rules(rules_file(*rules), "r.json")
    # all the rules, or none of them and every problem (the first 20 and a count)
    refused = any(issue.severity is Severity.ERROR for issue in issues)
    assert len(loaded) == (0 if refused else len(rules))
    assert len(issues) <= 21
    for issue in issues:
        assert issue.where.startswith("r.json")
        assert issue.row is None
        assert (
            "write" in issue.message
            or "more problem" in issue.message
            or "is not a key a rule has, so it was ignored" in issue.message
        )


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_give_rules_or_issues(data):
    loaded, issues = load_rules(data, "r.json")
    assert loaded == () or issues == []


def test_a_misspelt_key_is_a_warning_naming_the_rule_and_the_closest_key():
    data = rules_file(
        {"field": "vendor", "pattern": "Dell", "pool": "Other"},
        {
            "field": "vendor",
            "pattern": "Zoom",
            "pool": "Support tools",
            "line_nme": "Zoom licences",
            "Behavior": "Per user",
            "colour": "red",
        },
    )
    rules, issues = load_rules(data, "rules.json")
    # both rules are used; rule 2 without the keys it does not have, so its
    # line keeps the made-up name and is Fixed
    assert [rule.pattern for rule in rules] == ["Dell", "Zoom"]
    assert (rules[1].line_name, rules[1].behaviour) == ("", Behaviour.FIXED)
    assert [issue.severity for issue in issues] == [Severity.WARNING] * 3
    assert [issue.where for issue in issues] == [
        'rules.json, rule 2, "line_nme"',
        'rules.json, rule 2, "Behavior"',
        'rules.json, rule 2, "colour"',
    ]
    assert issues[0].message == (
        '"line_nme" is not a key a rule has, so it was ignored; did you mean '
        '"line_name"? Rename it, or delete it.'
    )
    assert 'did you mean "behaviour"?' in issues[1].message
    # nothing is close to "colour": every key a rule has is listed
    assert issues[2].message.endswith(
        'a rule\'s keys are "field", "pattern", "pool", "behaviour", "line_name"; '
        "rename it to one of those, or delete it."
    )


def test_an_unknown_key_is_listed_with_the_errors_of_a_refused_file():
    data = rules_file(
        {"field": "vendor", "pattern": "Dell", "pool": "Kitchen"},
        {"field": "vendor", "pattern": "Zoom", "pool": "Other", "pol": "Other"},
    )
    rules, issues = load_rules(data, "r.json")
    assert rules == ()
    assert [(issue.severity, issue.where) for issue in issues] == [
        (Severity.ERROR, 'r.json, rule 1, "pool"'),
        (Severity.WARNING, 'r.json, rule 2, "pol"'),
    ]
    assert 'did you mean "pool"?' in issues[1].message
