"""Mapping rules are matched on each field's distinct values, not posting by
posting: the same postings caught as a plain reading of the rules, fast."""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.ingest.gl import GLExport
from cpsu.ingest.issues import Severity
from cpsu.mapping import (
    MAX_RULES,
    UNMAPPED,
    Field,
    Rule,
    apply_rules,
    load_rules,
    mapped_lines,
)
from tests.test_mapping import export_of


def plainly_catches(rule: Rule, posting) -> bool:
    """What a rule means, read one posting at a time."""
    _, account, centre, vendor, description, _ = posting
    pattern = rule.pattern.strip()

    def key(text: str) -> str:
        return re.sub(r"\s+", "", text).casefold()

    if rule.field is Field.VENDOR:
        return key(vendor) == key(pattern)
    if rule.field is Field.COST_CENTRE:
        return key(centre) == key(pattern)
    if rule.field is Field.DESCRIPTION:
        words = set(re.findall(r"\w+", description.casefold()))
        return all(word in words for word in re.findall(r"\w+", pattern.casefold()))
    digits = account.split(" ")[0]
    number = int(digits) if digits.isdigit() else None
    span = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", pattern)
    if span:
        return number is not None and int(span[1]) <= number <= int(span[2])
    code = str(number) if number is not None else account
    if pattern.endswith("*"):
        return key(code).startswith(key(pattern[:-1]))
    if pattern.isdigit():
        return number == int(pattern)
    return key(code) == key(pattern)


postings = st.tuples(
    st.just("2026-01"),
    st.sampled_from(["6100", "6150 Software", "6199", "7000", "IT-SW", "it sw"]),
    st.sampled_from(["CC1", "cc 1", "CC2"]),
    st.sampled_from(["AWS", "aws", "Acme MSP", "ACME  msp", ""]),
    st.sampled_from(["Licence fee", "hosting fee", "fee licence", "laptop", ""]),
    st.integers(-10_000, 10_000).map(lambda cents: cents / 100),
)
rules = st.one_of(
    st.builds(
        Rule,
        st.just(Field.ACCOUNT),
        st.sampled_from(["6100-6160", "61*", "6199", "it-sw", "IT SW", "7*"]),
        st.just("Other"),
    ),
    st.builds(
        Rule,
        st.just(Field.VENDOR),
        st.sampled_from(["aws", "acme msp"]),
        st.just("Other"),
    ),
    st.builds(
        Rule,
        st.just(Field.COST_CENTRE),
        st.sampled_from(["cc1", "CC2"]),
        st.just("Other"),
    ),
    st.builds(
        Rule,
        st.just(Field.DESCRIPTION),
        st.sampled_from(["licence", "fee licence", "LAPTOP", "host"]),
        st.just("Other"),
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(postings, min_size=1, max_size=30), st.lists(rules, max_size=8))
def test_each_posting_goes_to_the_first_rule_a_plain_reading_gives(found, written):
    mapping = apply_rules(export_of(found), written)
    for posting, index in zip(found, mapping.rule_index, strict=True):
        first = next(
            (i for i, rule in enumerate(written) if plainly_catches(rule, posting)),
            UNMAPPED,
        )
        assert index == first


def big_export(postings: int, vendors: int) -> GLExport:
    """Postings spread over vendors 'Vendor 0' ... and twelve months."""
    rng = np.random.default_rng(7)
    vendor = np.array([f"Vendor {i}" for i in range(vendors)], dtype=object)
    account = rng.integers(6000, 7000, postings)
    cents = rng.integers(100, 100_000, postings)
    entries = pd.DataFrame(
        {
            "row": np.arange(2, postings + 2),
            "month": pd.PeriodIndex.from_ordinals(
                rng.integers(672, 684, postings), freq="M"
            ),
            "account": account.astype(str).astype(object),
            "account_number": pd.array(account, dtype="Int64"),
            "account_name": "",
            "cost_centre": "CC1",
            "vendor": vendor[rng.integers(0, vendors, postings)],
            "description": "Invoice",
            "amount": cents / 100,
            "cents": cents,
        }
    )
    return GLExport("big.csv", "big.csv", entries)


def test_300_vendor_rules_map_100000_postings_in_seconds():
    export = big_export(100_000, 400)
    written = [Rule(Field.VENDOR, f"vendor {i}", "Other") for i in range(300)]
    started = time.perf_counter()
    mapping = apply_rules(export, written)
    lines = mapped_lines(mapping)
    elapsed = time.perf_counter() - started
    # mapped one posting at a time this took over a minute; now well under one
    # second, so ten leave room for a busy machine
    assert elapsed < 10
    assert len(lines) == 300
    vendors = export.entries["vendor"]
    expected = int(
        export.entries["cents"][vendors.isin([f"Vendor {i}" for i in range(300)])].sum()
    )
    assert mapping.mapped_cents == expected and mapping.reconciles


def rules_file(count: int) -> bytes:
    rule = {"field": "vendor", "pattern": "Dell", "pool": "Other"}
    return json.dumps({"version": 1, "rules": [rule] * count}).encode()


def test_a_rules_file_holds_at_most_a_thousand_rules():
    assert MAX_RULES == 1_000
    loaded, problems = load_rules(rules_file(1_000), "rules.json")
    assert len(loaded) == 1_000 and not problems
    loaded, problems = load_rules(rules_file(1_001), "rules.json")
    assert loaded == ()
    ((severity, where, message),) = [(p.severity, p.where, p.message) for p in problems]
    assert severity is Severity.ERROR and where == "rules.json"
    assert message.startswith(
        "The rules file holds 1,001 rules; at most 1,000 are read."
    )
