"""The words people use for the canonical workbook's headers and values.

Spreadsheets in the wild say "Cost pool" or "Category" for Pool, "per seat"
for Per user, "L1" for Tier 1. Each table here maps the canonical word to the
other ways of writing it; lookups compare words reduced to lower-case
letters and digits (`text_key`), so case, spaces and punctuation never
matter. A word that matches nothing is reported with the allowed words,
never guessed at.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from cpsu.costs import POOLS, Behaviour, Period, Tier
from cpsu.ingest.cells import CellError, clean_text, read_text, show, text_key

T = TypeVar("T")

# Cost sheet fields, in the canonical column order, with their headers.
COST_HEADERS: dict[str, str] = {
    "item": "Item",
    "pool": "Pool",
    "behaviour": "Behaviour",
    "amount": "Amount",
    "period": "Period",
    "unit_cost": "Unit cost",
    "users_per_unit": "Users per unit",
    "tier": "Tier",
    "tickets_per_agent": "Tickets per agent",
    "min_units": "Min units",
    "life_months": "Life months",
    "in_service": "In service",
    "renew": "Renew",
    "escalation": "Escalation",
    "vendor": "Vendor",
    "notes": "Notes",
}

_COST_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "item": (
        "Description",
        "Name",
        "Line item",
        "Cost item",
        "Item name",
        "Item description",
        "Cost line",
        "Line",
    ),
    "pool": ("Cost pool", "Category", "Tower", "Cost category", "TBM tower"),
    "behaviour": (
        "Behavior",
        "Cost behaviour",
        "Cost behavior",
        "Type",
        "Cost type",
        "Driver",
        "Cost driver",
    ),
    "amount": ("Cost", "Value", "Amt", "Amount USD"),
    "period": ("Frequency", "Billing period", "Cost period", "Per", "Billing"),
    "unit_cost": (
        "Unit price",
        "Rate",
        "Price",
        "Cost per unit",
        "Price per unit",
        "Unit rate",
        "Loaded cost",
    ),
    "users_per_unit": (
        "Users per licence",
        "Users per license",
        "Users per seat",
        "Seats per unit",
        "Users per step",
        "Unit size",
    ),
    "tier": ("Support tier", "Level", "Support level", "Queue"),
    "tickets_per_agent": (
        "Tickets per agent per month",
        "Tickets per agent month",
        "Agent capacity",
        "Tickets per FTE",
    ),
    "min_units": ("Min", "Minimum", "Minimum units", "Min unit", "Min agents"),
    "life_months": (
        "Life",
        "Useful life",
        "Useful life months",
        "Life in months",
        "Depreciation months",
        "Useful life (months)",
    ),
    "in_service": (
        "In-service date",
        "In service date",
        "Start date",
        "Start",
        "Service date",
        "Go live",
        "Purchase date",
    ),
    "renew": ("Renews", "Auto renew", "Renewal", "Refresh", "Replace"),
    "escalation": (
        "Escalation %",
        "Escalation rate",
        "Annual increase",
        "Annual escalation",
        "Uplift",
        "Annual uplift",
        "Price increase",
        "Indexation",
    ),
    "vendor": ("Supplier", "Provider", "Vendor name", "Supplier name"),
    "notes": ("Note", "Comments", "Comment", "Remarks"),
}

HEADCOUNT_HEADERS: dict[str, str] = {
    "quarter": "Quarter",
    "employees": "Employees",
    "contingent": "Contingent",
}

_HEADCOUNT_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "quarter": ("Period", "Qtr", "Fiscal quarter", "Quarter label"),
    "employees": (
        "Headcount",
        "FTE",
        "FTEs",
        "Staff",
        "Employee",
        "Employee count",
        "Employee headcount",
        "Permanent",
        "Permanent staff",
    ),
    "contingent": (
        "Contractors",
        "Contractor",
        "Contingent workers",
        "Contingent worker",
        "Contingent staff",
        "Contractor headcount",
        "Contingent headcount",
        "Temps",
    ),
}

PARAMETER_HEADERS: dict[str, str] = {"parameter": "Parameter", "value": "Value"}

_PARAMETER_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "parameter": ("Parameters", "Setting", "Assumption", "Name", "Driver", "Measure"),
    "value": ("Values", "Amount", "Input", "Setting value"),
}

SERVICE_DESK_PARAMETERS: dict[str, str] = {
    "tickets_per_user_month": "Tickets per user per month",
    "resolution_rate": "Resolution rate",
    "deskside_share": "Desk-side share",
    "deflection": "Deflection",
    "deflection_step": "Deflection step per quarter",
    "deflection_cap": "Deflection cap",
    "contingent_weight": "Contingent weight",
    "tickets_trend": "Tickets trend per year",
}

_SERVICE_DESK_WORDS: dict[str, tuple[str, ...]] = {
    "tickets_per_user_month": (
        "Tickets per user",
        "Tickets per user month",
        "Tickets per user a month",
        "Ticket rate",
        "Contact rate",
        "Tickets/user/month",
    ),
    "resolution_rate": (
        "Resolution",
        "First contact resolution",
        "FCR",
        "Tier 1 resolution",
        "Tier 1 resolution rate",
        "L1 resolution rate",
        "Help desk resolution rate",
        "Service desk resolution rate",
    ),
    "deskside_share": (
        "Deskside share",
        "Desk side share",
        "Desktop share",
        "Desk-side",
        "Deskside",
        "Desk-side share of escalations",
    ),
    "deflection": (
        "Self-service deflection",
        "Deflection rate",
        "Self service",
        "Starting deflection",
        "Baseline deflection",
    ),
    "deflection_step": (
        "Deflection step",
        "Deflection step per qtr",
        "Deflection increase per quarter",
        "Deflection growth per quarter",
    ),
    "deflection_cap": (
        "Max deflection",
        "Maximum deflection",
        "Deflection ceiling",
        "Deflection limit",
    ),
    "contingent_weight": (
        "Contractor weight",
        "Contingent worker weight",
        "Contingent factor",
    ),
    "tickets_trend": (
        "Tickets trend",
        "Ticket trend",
        "Tickets per user trend",
        "Yearly tickets trend",
    ),
}

ASSUMPTION_PARAMETERS: dict[str, str] = {
    "name": "Scenario name",
    "horizon_quarters": "Horizon quarters",
    "growth_per_quarter": "Growth per quarter",
    "contingent_share": "Contingent share",
    "labour_escalation": "Labour escalation",
    "licence_escalation": "Licence escalation",
    "productivity": "Agent productivity",
}

_ASSUMPTION_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("Scenario", "Name"),
    "horizon_quarters": ("Horizon", "Quarters", "Horizon (quarters)", "Horizon qtrs"),
    "growth_per_quarter": (
        "Growth",
        "Quarterly growth",
        "Growth rate",
        "Headcount growth",
        "Growth per qtr",
    ),
    "contingent_share": (
        "Contingent share of headcount",
        "Contractor share",
        "Contingent mix",
    ),
    "labour_escalation": ("Labor escalation", "Pay escalation", "Wage escalation"),
    "licence_escalation": (
        "License escalation",
        "Licence price escalation",
        "License price escalation",
    ),
    "productivity": ("Productivity", "Agent productivity change"),
}

_POOL_WORDS: dict[str, tuple[str, ...]] = {
    "Productivity software": (
        "Productivity",
        "Software",
        "Licences",
        "Licenses",
        "Licences/Software",
        "Licenses/Software",
        "Software licences",
        "Software licenses",
        "SaaS",
        "Productivity apps",
    ),
    "Support tools": ("Tools", "Tooling", "ITSM", "ITSM tools", "Support tooling"),
    "Service desk (Tier 1)": (
        "Service desk",
        "Help desk",
        "Helpdesk",
        "Tier 1",
        "T1",
        "L1",
        "Level 1",
        "Service desk Tier 1",
    ),
    "Desktop support": (
        "Desktop",
        "Desk-side",
        "Deskside",
        "Desk side support",
        "Deskside support",
        "Field services",
        "Field support",
        "End user support",
    ),
    "Tier 2": ("T2", "L2", "Level 2", "Tier 2 support"),
    "Managed service": (
        "Managed services",
        "MSP",
        "Outsourcing",
        "Outsourced",
        "Outsourced support",
    ),
    "Other": ("Misc", "Miscellaneous", "General"),
}

_BEHAVIOUR_WORDS: dict[Behaviour, tuple[str, ...]] = {
    Behaviour.FIXED: ("Fixed cost", "Flat", "Fixed fee", "Flat fee"),
    Behaviour.PER_USER: (
        "Per-user",
        "Peruser",
        "Per seat",
        "Per-seat",
        "Per head",
        "Per user per month",
        "User based",
        "Per capita",
    ),
    Behaviour.STEP: ("Step cost", "Stepped", "Step-fixed", "Step fixed"),
    Behaviour.STAFFED: ("Staffing", "Staff", "Agents", "People", "Headcount"),
    Behaviour.PER_TICKET: ("Per-ticket", "Ticket", "Per ticket cost", "Ticket based"),
    Behaviour.DEPRECIATION: (
        "Capex",
        "Amortised",
        "Amortized",
        "Amortisation",
        "Amortization",
        "Depreciated",
        "Depreciating",
        "Capital",
    ),
}

_PERIOD_WORDS: dict[Period, tuple[str, ...]] = {
    Period.MONTH: ("Monthly", "Mo", "Mth", "Per month", "PM", "M", "Months"),
    Period.QUARTER: ("Quarterly", "Qtr", "Per quarter", "Q", "Quarters"),
    Period.YEAR: (
        "Annual",
        "Annually",
        "Yearly",
        "Yr",
        "PA",
        "Per year",
        "Per annum",
        "Y",
        "Years",
    ),
}

_TIER_WORDS: dict[Tier, tuple[str, ...]] = {
    Tier.TIER_1: ("T1", "L1", "Level 1", "1", "Service desk", "Help desk", "Helpdesk"),
    Tier.DESKTOP: (
        "Desk-side",
        "Deskside",
        "Desk side",
        "Field",
        "Field services",
        "Desktop support",
    ),
    Tier.TIER_2: ("T2", "L2", "Level 2", "2"),
}


def _index(
    words: Mapping[T, Iterable[str]], canonical: Mapping[T, str]
) -> dict[str, T]:
    index: dict[str, T] = {}
    for value, name in canonical.items():
        index[text_key(name)] = value
    for value, others in words.items():
        for other in others:
            index.setdefault(text_key(other), value)
    return index


COST_HEADER_INDEX = _index(_COST_HEADER_WORDS, COST_HEADERS)
HEADCOUNT_HEADER_INDEX = _index(_HEADCOUNT_HEADER_WORDS, HEADCOUNT_HEADERS)
PARAMETER_HEADER_INDEX = _index(_PARAMETER_HEADER_WORDS, PARAMETER_HEADERS)
SERVICE_DESK_INDEX = _index(_SERVICE_DESK_WORDS, SERVICE_DESK_PARAMETERS)
ASSUMPTION_INDEX = _index(_ASSUMPTION_WORDS, ASSUMPTION_PARAMETERS)
POOL_INDEX = _index(_POOL_WORDS, {pool: pool for pool in POOLS})
BEHAVIOUR_INDEX = _index(_BEHAVIOUR_WORDS, {b: b.value for b in Behaviour})
PERIOD_INDEX = _index(_PERIOD_WORDS, {p: p.value for p in Period})
TIER_INDEX = _index(_TIER_WORDS, {t: t.value for t in Tier})

# Words in headers that say a unit rather than what the column is.
_UNIT_WORDS = re.compile(
    r"(?:\bin\s+)?(?:\b(?:usd|eur|gbp|aud|cad|nzd|chf|jpy|inr|sgd|hkd|zar|sek|nok|"
    r"dkk|percent|pct)\b|[$€£¥₹])",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"[(\[{][^)\]}]*[)\]}]")


def match_header(text: str, index: Mapping[str, T]) -> T | None:
    """The field a header names, trying it whole and then without its units."""
    for candidate in (
        text,
        _BRACKETED.sub(" ", text),
        _UNIT_WORDS.sub(" ", _BRACKETED.sub(" ", text)),
    ):
        key = text_key(candidate)
        if key in index:
            return index[key]
    return None


def _lookup(value: object, index: Mapping[str, T], what: str, allowed: str) -> T:
    text = read_text(value)
    found = index.get(text_key(text))
    if found is None:
        raise CellError(
            f"is {show(value)}, which is not a {what}; use one of {allowed}"
        )
    return found


def read_pool(value: object) -> str:
    """A cost pool from its name or a common other name for it."""
    return _lookup(value, POOL_INDEX, "cost pool", ", ".join(POOLS))


def read_behaviour(value: object) -> Behaviour:
    """A cost behaviour from its name or a common other name for it."""
    allowed = ", ".join(b.value for b in Behaviour)
    return _lookup(value, BEHAVIOUR_INDEX, "cost behaviour", allowed)


def read_period(value: object) -> Period:
    """Month, Quarter or Year, from words like monthly, qtr, annual, pa."""
    allowed = ", ".join(p.value for p in Period)
    return _lookup(value, PERIOD_INDEX, "period", allowed)


# Billing cycles the model has no period for. An amount billed every N months
# is a month's cost of amount / N; the words a user wrote are kept to show
# them the arithmetic. Words that mean two things are asked about, not guessed.
@dataclass(frozen=True)
class BillingCycle:
    """How often a line is billed, in months: 6 for 'Half-yearly', 0.5 for
    'Twice a month'; `words` says it back to the user."""

    months: float
    words: str
    said: str = ""  # the cell as the user wrote it, like 'Half-yearly'

    def per_month(self, amount: float) -> float:
        return amount / self.months

    def arithmetic(self, amount: float) -> str:
        """'6,000.00 every 6 months was read as 1,000.00 a month (6,000.00 / 6)'."""
        worked = (
            f"{amount:,.2f} x {1 / self.months:g}"
            if self.months < 1
            else f"{amount:,.2f} / {self.months:g}"
        )
        return (
            f"{amount:,.2f} {self.words} was read as "
            f"{self.per_month(amount):,.2f} a month ({worked})"
        )


def _said(cycle: BillingCycle) -> str:
    """ " says 'Half-yearly'", unless the user wrote the words the message uses."""
    return (
        "" if text_key(cycle.said) == text_key(cycle.words) else f" says '{cycle.said}'"
    )


def billing_cycles_message(
    column: str, billed: Sequence[tuple[str, int, BillingCycle, float]]
) -> str:
    """One message for the lines of a sheet billed on a cycle the model has no
    period for: (item, row, its cycle, its amount as billed) of each."""
    lines = "1 line" if len(billed) == 1 else f"{len(billed)} lines"
    each = "; ".join(
        f"'{item}' (row {row}){_said(cycle)}: {cycle.arithmetic(amount)}"
        for item, row, cycle, amount in billed
    )
    return (
        f"{column} of {lines} says a billing cycle other than a month, a quarter "
        f"or a year, so each amount was converted to a month's cost: {each}. "
        "Each line's note keeps the amount as billed. If a line is billed "
        "otherwise, write Month, Quarter or Year in its cell."
    )


_CYCLE_WORDS: dict[str, float] = {
    "halfyearly": 6,
    "halfyear": 6,
    "halfannual": 6,
    "halfannually": 6,
    "semiannual": 6,
    "semiannually": 6,
    "semiyearly": 6,
    "twiceayear": 6,
    "twiceyearly": 6,
    "biennial": 24,
    "biennially": 24,
    "triennial": 36,
    "triennially": 36,
    "semimonthly": 0.5,
    "twiceamonth": 0.5,
    "twicemonthly": 0.5,
}
# Each of these means one thing to some and its opposite to others.
_AMBIGUOUS_CYCLES: dict[str, tuple[str, str]] = {
    "bimonthly": ("every 2 months", "twice a month"),
    "biannual": ("every 6 months", "every 2 years"),
    "biannually": ("every 6 months", "every 2 years"),
    "biyearly": ("every 6 months", "every 2 years"),
}
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_CYCLE = re.compile(
    r"(?:every|each|per|once every|billed every)?\s*"
    r"(\d{1,3}|one|two|three|four|five|six)\s*-?\s*"
    r"(months?|mths?|mos?|quarters?|qtrs?|years?|yrs?)"
    r"(?:\s*(?:term|contract|period|subscription|licen[cs]e|cycle))?",
    re.IGNORECASE,
)
_UNIT_MONTHS = {"m": 1, "q": 3, "y": 12}


def _cycle(text: str) -> tuple[float, str] | None:
    """(months, words) for a billing word, in the unit the user wrote it in:
    (36, 'every 36 months') for '36 months'; None when it says no cycle."""
    key = text_key(text)
    if key in _CYCLE_WORDS:
        months = _CYCLE_WORDS[key]
        if months < 1:
            return months, "twice a month"
        if months % 12 == 0:
            return months, f"every {months // 12:g} years"
        return months, f"every {months:g} months"
    found = _CYCLE.fullmatch(clean_text(text).replace("-", " "))
    if found is None:
        return None
    number, unit = found[1].casefold(), found[2].casefold()
    count = _COUNTS[number] if number in _COUNTS else int(number)
    noun = {"m": "months", "q": "quarters", "y": "years"}[unit[0]]
    return count * _UNIT_MONTHS[unit[0]], f"every {count} {noun}"


def read_billing(value: object) -> Period | BillingCycle:
    """Month, Quarter or Year as `read_period` reads them, or a billing cycle the
    model has no period for ('every 6 months', 'Biennial', '36 months')."""
    text = read_text(value)
    if text_key(text) in PERIOD_INDEX:
        return PERIOD_INDEX[text_key(text)]
    if text_key(text) in _AMBIGUOUS_CYCLES:
        one, other = _AMBIGUOUS_CYCLES[text_key(text)]
        raise CellError(
            f"is {show(value)}, which some mean as {one} and others as {other}; "
            f"write '{one}' or '{other}' (or Month, Quarter or Year)"
        )
    cycle = _cycle(text)
    if cycle is None or cycle[0] <= 0:
        allowed = ", ".join(p.value for p in Period)
        raise CellError(
            f"is {show(value)}, which is not a period; use one of {allowed}, or say "
            "how often it is billed, like 'every 6 months'"
        )
    months, words = cycle
    by_months = {period.months: period for period in Period}
    if months in by_months:
        return by_months[months]  # type: ignore[index]
    return BillingCycle(months, words, clean_text(text))


def read_tier(value: object) -> Tier:
    """Tier 1, Desktop or Tier 2, from words like L1, desk-side, T2."""
    allowed = ", ".join(t.value for t in Tier)
    return _lookup(value, TIER_INDEX, "support tier", allowed)


def describe(
    headers: Mapping[str, str], words: Mapping[str, Iterable[str]], field: str
) -> str:
    """A header and a few of its other names, for a message."""
    others = list(words.get(field, ()))[:3]
    name = headers[field]
    return f"{name} (or {', '.join(others)})" if others else name


def cost_header_hint(field: str) -> str:
    return describe(COST_HEADERS, _COST_HEADER_WORDS, field)


def headcount_header_hint(field: str) -> str:
    return describe(HEADCOUNT_HEADERS, _HEADCOUNT_HEADER_WORDS, field)


def clean_header(value: object) -> str:
    """A header cell as text, cleaned of invisible characters and extra spaces."""
    try:
        return clean_text(read_text(value))
    except CellError:
        return ""


# Cost lists that are not the template: the words for their item column, and
# the words that make a header an amount of money.
LIST_ITEM_WORDS: tuple[str, ...] = (
    "Service",
    "Expense",
    "Expense item",
    "Account",
    "Account name",
    "Product",
    "Application",
    "Software",
    "Tool",
    "System",
    "Subscription",
    "Licence",
    "License",
    "Budget item",
    "Budget line",
    "Cost centre item",
)
LIST_ITEM_INDEX = {text_key(word): "item" for word in LIST_ITEM_WORDS}
AMOUNT_WORDS = frozenset(
    {"amount", "amt", "cost", "costs", "budget", "spend", "value", "price", "fee"}
    | {"fees", "charge", "charges", "expense", "expenses", "run", "opex"}
)
_PERIOD_HEADER_WORDS: dict[Period, frozenset[str]] = {
    Period.YEAR: frozenset(
        {"annual", "annually", "annualised", "annualized", "yearly", "year", "yr"}
        | {"pa", "fy", "perannum", "12months"}
    ),
    Period.QUARTER: frozenset({"quarterly", "quarter", "qtr", "q1", "q2", "q3", "q4"}),
    Period.MONTH: frozenset({"monthly", "month", "mo", "mth", "pm", "mrr"}),
}
_PERIOD_OF_MONTHS = {1: Period.MONTH, 3: Period.QUARTER, 12: Period.YEAR}
_WORD = re.compile(r"[a-z0-9]+")


def header_words(text: str) -> list[str]:
    """The words of a header, lower case, with 'per annum' and 'FY27' made one."""
    lowered = clean_text(text).casefold().replace("per annum", "perannum")
    lowered = lowered.replace("12 months", "12months")
    words = _WORD.findall(lowered)
    return ["fy" if re.fullmatch(r"fy\d{2,4}", word) else word for word in words]


# Headers that hold no money even when they say 'cost' or a period: a code
# or name ('Cost centre', 'Cost type'), a month, quarter or year number ('Start
# month', 'Budget year'), a count, a percentage, hours or a growth rate.
_COST_CODE = re.compile(
    r"\bcost[\s-]*(?:cent(?:re|er)s?|ctrs?|codes?|elements?|objects?|types?"
    r"|categor(?:y|ies)|owners?|pools?|groups?|accounts?|ids?)\b",
    re.IGNORECASE,
)
_PERIOD_NUMBER = re.compile(
    r"(?:(?:start|end|billing|budget|fiscal|financial|calendar|renewal|contract"
    r"|payment|invoice|due|first|last|go[\s-]?live|reporting|accounting|posting"
    r"|plan|planning|purchase|review|charge|charging|service|base)\s+)*"
    r"(?:year|month|quarter|yr|mth|mo|qtr|period|week|day)s?"
    r"(?:\s*(?:no\.?|number|num|nr|#))?",
    re.IGNORECASE,
)
_NOT_MONEY_WORDS = frozenset(
    {"percent", "percentage", "pct", "growth", "uplift", "increase", "increases"}
    | {"inflation", "escalation", "indexation", "hours", "hour", "hrs", "users"}
    | {"user", "headcount", "fte", "ftes", "count", "ratio", "days", "seats"}
)
_PERCENT_AT_END = re.compile(r"%\s*\)?\s*$")


def _holds_no_money(text: str) -> bool:
    """True when a header names something other than money: a month, quarter
    or year number, a count, a percentage, hours, users or growth."""
    cleaned = clean_text(text)
    if _PERIOD_NUMBER.fullmatch(cleaned.strip()) or _PERCENT_AT_END.search(cleaned):
        return True
    words = header_words(cleaned)
    return any(
        word in _NOT_MONEY_WORDS and (position == 0 or words[position - 1] != "per")
        for position, word in enumerate(words)
    )


def names_money(text: str) -> bool:
    """True when a header says money ('Annual cost', 'Budget', 'Fee'), not
    only a period ('Annual') and not a code ('Cost centre')."""
    if _holds_no_money(text):
        return False
    return any(
        word in AMOUNT_WORDS
        for word in header_words(_COST_CODE.sub(" ", clean_text(text)))
    )


def is_amount_header(text: str) -> bool:
    """True when a header names an amount of money, like 'Annual cost' or
    'Budget', or only its period, like 'Annual'; never a code, a month, quarter
    or year number, a count, a percentage, hours or growth ('Cost centre',
    'Budget year', 'Monthly users', 'Annual increase %')."""
    if _holds_no_money(text):
        return False
    words = header_words(_COST_CODE.sub(" ", clean_text(text)))
    return any(word in AMOUNT_WORDS for word in words) or any(
        word in _PERIOD_HEADER_WORDS[period] for period in Period for word in words
    )


# Amounts for half a year ('Semi-annual cost', 'FY27 H1 budget') or for a term
# of several years or months ('3-year cost', 'Price (36-month term)').
_HALF_YEAR = re.compile(
    r"\bsemi[\s-]?annual(?:ly)?\b|\bhalf[\s-]?year(?:ly)?\b"
    r"|\btwice[\s-]+(?:a[\s-]+|per[\s-]+|each[\s-]+|every[\s-]+)?year(?:ly)?\b"
    r"|\bh[12]\b",
    re.IGNORECASE,
)
_YEARS_IN_ONE_WORD = re.compile(r"\b(bienni|trienni)al(?:ly)?\b", re.IGNORECASE)
# 'Bi-monthly cost' is every two months to some and twice a month to others.
_AMBIGUOUS_HEADER = re.compile(
    r"\b(bi[\s-]?monthly|bi[\s-]?annual(?:ly)?|bi[\s-]?yearly)\b", re.IGNORECASE
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "nine": 9,
    "twelve": 12,
    "eighteen": 18,
    "other": 2,  # 'every other month'
}
_COUNT = r"(\d{1,2}|one|two|three|four|five|six|nine|twelve|eighteen)"
# '3-year cost', '12-mo cost', 'Twelve-month cost', 'Cost every 2 months',
# 'Cost every other month', 'Six-monthly cost', 'Cost (6-monthly)'.
_TERM = re.compile(
    r"(?<![\d.,])" + _COUNT + r"\s*-?\s*(years?|yrs?|months?|mths?|mos?)\b"
    r"|\bevery[\s-]+(other)[\s-]+(year|month)\b"
    r"|(?<![\d.,])" + _COUNT + r"[\s-]*(month|year)ly\b",
    re.IGNORECASE,
)
# Words that say a period as an adjective: beside a term of other months,
# as in 'Annual cost (3 yrs)', a header says two things.
_PERIOD_ADJECTIVES = frozenset(
    {"annual", "annually", "annualised", "annualized", "yearly", "pa", "perannum"}
    | {"quarterly", "monthly", "pm", "mrr"}
)
# Arithmetic on a period, as in 'Annual cost x3' or 'Annual cost / 12': what
# the amounts cover cannot be told without asking. Scales ('x1000') are not it.
_PERIOD_ARITHMETIC = re.compile(
    r"(?:(?<![a-z])x|×|\*|(?<!\d)/)\s*(?!1[,.\s]?000\b|1[,.\s]?000[,.\s]?000\b)\d[\d,.]*"
    r"|\bmulti[\s-]?years?\b",
    re.IGNORECASE,
)


def _stated_term(text: str) -> tuple[int, str, str] | None:
    """(months, number, unit) when a header states the months its amounts
    cover in figures or words: (12, '12', 'month') for '12-month cost', (2,
    '2', 'month') for 'Cost every other month'; None otherwise."""
    found = _TERM.search(clean_text(text))
    if found is None:
        return None
    count, unit = (group for group in found.groups() if group is not None)
    number = int(count) if count.isdigit() else _NUMBER_WORDS[count.casefold()]
    unit = "month" if unit.casefold().startswith("m") else "year"
    return (number if unit == "month" else number * 12), str(number), unit


def header_conflict(text: str) -> tuple[str, str] | None:
    """(the period word, the term) when an amount header says both a period and
    a term of other months, like 'Annual cost (3 yrs)'; None otherwise."""
    cleaned = clean_text(text)
    term = _TERM.search(cleaned)
    stated = _stated_term(cleaned)
    if term is None or stated is None:
        return None
    rest = header_words(cleaned[: term.start()] + " " + cleaned[term.end() :])
    said = {
        months: word
        for word in rest
        if word in _PERIOD_ADJECTIVES
        for months in (1, 3, 12)
        if word in _PERIOD_HEADER_WORDS[_PERIOD_OF_MONTHS[months]]
    }
    other = [word for months, word in said.items() if months != stated[0]]
    return (other[0], term[0].strip()) if other else None


def header_span(text: str) -> tuple[int, str] | None:
    """(months, words) when an amount header says its amounts cover a span other
    than a month, quarter or year: (6, 'a half-year') for 'Semi-annual cost'
    or 'Cost twice a year', (36, '3 years') for '3-year cost', (2, '2 months')
    for 'Cost every other month'; None otherwise."""
    cleaned = clean_text(text)
    if header_ambiguity(text) is not None or header_conflict(text) is not None:
        return None
    if _HALF_YEAR.search(cleaned):
        return 6, "a half-year"
    if (years := _YEARS_IN_ONE_WORD.search(cleaned)) is not None:
        number = 2 if years[1].casefold() == "bienni" else 3
        return number * 12, f"{number} years"
    stated = _stated_term(cleaned)
    if stated is None or stated[0] in (0, 1, 3, 12):
        return None  # none, or a month, a quarter or a year said another way
    months, number, unit = stated
    return months, f"{number} {unit}{'' if number == '1' else 's'}"


def header_ambiguity(text: str) -> tuple[str, str, str] | None:
    """(the word, one meaning, the other) when an amount header says a period
    that people read two ways, like 'Bi-monthly cost'; None otherwise."""
    found = _AMBIGUOUS_HEADER.search(clean_text(text))
    if found is None:
        return None
    one, other = _AMBIGUOUS_CYCLES[text_key(found[1])]
    return found[1], one, other


def period_arithmetic(text: str) -> str | None:
    """The arithmetic an amount header does on its period ('x3', '/ 12'), or None."""
    found = _PERIOD_ARITHMETIC.search(clean_text(text))
    return None if found is None else found[0].strip()


# 'Cost twice a month' holds half a month's cost: not a month's, so it is asked
# about like any header that says no month, quarter or year.
_TWICE_A_MONTH = re.compile(
    r"\btwice[\s-]+(?:a[\s-]+|per[\s-]+|each[\s-]+)?month(?:ly)?\b"
    r"|\bsemi[\s-]?monthly\b|\bhalf[\s-]?month(?:ly)?\b",
    re.IGNORECASE,
)


def header_period(text: str) -> Period | None:
    """The period an amount header says ('Annual cost' is a Year), or None; None
    too for a half-year, a term of years, arithmetic on a period, a word read
    two ways ('Bi-monthly') or half a month ('Semi-monthly cost')."""
    if (
        _TWICE_A_MONTH.search(clean_text(text)) is not None
        or header_span(text) is not None
        or period_arithmetic(text) is not None
        or header_ambiguity(text) is not None
    ):
        return None
    stated = _stated_term(text)
    if header_conflict(text) is not None or (stated is not None and stated[0] == 0):
        return None
    if stated is not None:
        return _PERIOD_OF_MONTHS.get(stated[0])  # '12-month cost', '3-month cost'
    words = set(header_words(text))
    found = [period for period in Period if words & _PERIOD_HEADER_WORDS[period]]
    return found[0] if len(found) == 1 else None


# HR rosters: one row per person.
ROSTER_HEADERS: dict[str, str] = {
    "person_id": "Employee ID",
    "name": "Name",
    "worker_type": "Worker type",
    "start": "Start date",
    "end": "End date",
}

_ROSTER_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "person_id": (
        "ID",
        "Worker ID",
        "Person ID",
        "Staff ID",
        "Employee number",
        "Employee no",
        "Emp ID",
        "Badge",
        "Personnel number",
        "Contractor ID",
        "Contractor number",
        "Contractor no",
        "Worker number",
        "Worker no",
    ),
    "name": ("Full name", "Employee name", "Worker name", "Employee", "Worker"),
    "worker_type": (
        "Type",
        "Employment type",
        "Employee type",
        "Worker category",
        "Worker class",
        "Category",
        "Classification",
        "Employment status",
        "Contract type",
    ),
    "start": (
        "Start",
        "Hire date",
        "Date hired",
        "Hired",
        "Joined",
        "Join date",
        "Joining date",
        "Start of assignment",
        "Assignment start",
        "Date of joining",
        "Date of hire",
        "Original hire date",
        "Start of employment",
        "Employment start date",
        "Contract start",
        "Contract start date",
        "Assignment start date",
    ),
    "end": (
        "End",
        "Termination date",
        "Term date",
        "Leave date",
        "Leaving date",
        "Exit date",
        "Last day",
        "Left",
        "Assignment end",
        "End of assignment",
        "Last day worked",
        "Last date worked",
        "Last working day",
        "Last working date",
        "Date left",
        "Date of leaving",
        "Leaver date",
        "Separation date",
        "Date of separation",
        "Termination effective date",
        "Date of termination",
        "Terminated on",
        "Contract end",
        "Contract end date",
        "End of contract",
        "End of employment",
        "Employment end date",
        "Actual end date",
        "Effective end date",
        "Departure date",
        "Date of exit",
        "Assignment end date",
        "Resignation date",
    ),
}
ROSTER_HEADER_INDEX = _index(_ROSTER_HEADER_WORDS, ROSTER_HEADERS)

# Roster date headers not in the lists above are placed by their words: a word
# of leaving (End, Term, Separation, Left, Last day...) or of starting (Start,
# Hire, Joined, DOJ...) beside a word that makes it a date (Date, Dt, Day, On),
# or a word that is a date by itself (Terminated, Hired, Employment end).
_ROSTER_DATE_WORDS = frozenset({"date", "dt", "day", "on", "eff", "effective"})
_ROSTER_END_WORDS = frozenset(
    {
        "end",
        "ended",
        "ending",
        "term",
        "termination",
        "terminated",
        "exit",
        "exited",
        "separation",
        "seperation",
        "separated",
        "left",
        "leaving",
        "leaver",
        "last",
        "departure",
        "departed",
        "resignation",
        "resigned",
        "inactive",
        "deactivation",
        "deactivated",
        "offboarding",
        "offboard",
        "cessation",
        "ceased",
        "dol",
        "leave",
    }
)
_ROSTER_START_WORDS = frozenset(
    {
        "start",
        "started",
        "starting",
        "hire",
        "hired",
        "join",
        "joined",
        "joining",
        "doj",
        "doh",
        "commence",
        "commenced",
        "commencement",
        "seniority",
        "onboarding",
        "onboarded",
    }
)
# Words that are dates by themselves.
_ROSTER_DATED_WORDS = frozenset(
    {
        "end",
        "ended",
        "terminated",
        "exited",
        "separated",
        "left",
        "departed",
        "resigned",
        "ceased",
        "dol",
        "start",
        "started",
        "hired",
        "joined",
        "doj",
        "doh",
        "commenced",
        "onboarded",
    }
)
# Words around a date that is not the day a person started or left.
_ROSTER_OTHER_DATES = frozenset(
    {
        "birth",
        "dob",
        "born",
        "review",
        "reviewed",
        "login",
        "logon",
        "logged",
        "access",
        "accessed",
        "seen",
        "activity",
        "active",
        "modified",
        "updated",
        "update",
        "changed",
        "change",
        "created",
        "promotion",
        "promoted",
        "raise",
        "appraisal",
        "evaluation",
        "pay",
        "paid",
        "payroll",
        "payment",
        "salary",
        "training",
        "certification",
        "probation",
        "probationary",
        "trial",
        "visa",
        "permit",
        "absence",
        "loa",
        "return",
        "returned",
        "benefits",
        "benefit",
        "insurance",
        "coverage",
        "interview",
        "notice",
        "password",
        "badge",
        "laptop",
        "course",
        "fiscal",
        "period",
        "anniversary",
        "vacation",
        "holiday",
        "sick",
        "parental",
        "maternity",
        "paternity",
        "medical",
    }
)
# Words "Last ..." may carry and still be the last day employed.
_LAST_DAY_WORDS = frozenset(
    {
        "date",
        "dt",
        "day",
        "of",
        "employment",
        "employed",
        "working",
        "worked",
        "work",
        "the",
        "in",
        "at",
        "service",
        "physical",
    }
)
# Words of a header that do not change what its date is.
_ROSTER_PLAIN_WORDS = frozenset(
    {
        "employment",
        "employee",
        "contract",
        "assignment",
        "worker",
        "of",
        "the",
        "expected",
        "planned",
        "projected",
        "actual",
        "effective",
        "eff",
        "original",
        "first",
        "company",
        "date",
        "dt",
        "day",
        "on",
        "service",
        "off",
        "boarding",
    }
)


def roster_date_field(text: str) -> str | None:
    """ "start" or "end" for a roster header that names the day a person
    started or left ("Term Eff Date", "Start Dt", "DOJ"), else None. Headers of
    other dates (birth, review, last login, leave of absence) are None."""
    words = header_words(text)
    if not words or set(words) & _ROSTER_OTHER_DATES:
        return None
    joined = "".join(words)
    if "offboard" in joined:
        words = [*words, "offboarding"]
    ends = [word for word in words if word in _ROSTER_END_WORDS]
    starts = [word for word in words if word in _ROSTER_START_WORDS]
    if "leave" in ends and (len(ends) > 1 or starts):
        return None  # a leave of absence's start or end
    if "last" in ends and not set(words) <= _LAST_DAY_WORDS | {"last"}:
        return None  # last login, last review...
    if words in (["service", "date"], ["service", "dt"]):
        return "start"  # the continuous service date
    if bool(ends) == bool(starts):
        return None
    found = ends or starts
    dated = set(words) & _ROSTER_DATE_WORDS or set(found) & _ROSTER_DATED_WORDS
    if not dated or (
        ends and "last" in ends and not set(words) & {"date", "dt", "day"}
    ):
        return None
    known = _ROSTER_END_WORDS | _ROSTER_START_WORDS | _ROSTER_PLAIN_WORDS
    if any(word not in known for word in words):
        return None
    return "end" if ends else "start"


def roster_end_like(text: str) -> bool:
    """True when a header speaks of leaving (Term, Exit, Separation...) and of
    nothing known to be another date: a date column under it may be the day
    people left."""
    words = header_words(text)
    if set(words) & _ROSTER_OTHER_DATES:
        return False
    if (
        "leave" in words
        and len(set(words) & (_ROSTER_END_WORDS | _ROSTER_START_WORDS)) > 1
    ):
        return False  # a leave of absence's start or end
    return any(word in _ROSTER_END_WORDS - {"last", "leave"} for word in words) or (
        "last" in words and set(words) <= _LAST_DAY_WORDS | {"last"}
    )


EMPLOYEE, CONTINGENT = "employee", "contingent"
_WORKER_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    EMPLOYEE: (
        "Employee",
        "Employees",
        "Emp",
        "FTE",
        "Permanent",
        "Perm",
        "Regular",
        "Full-time",
        "Full time",
        "Part-time",
        "Part time",
        "Staff",
        "Salaried",
        "Hourly",
        "W2",
    ),
    CONTINGENT: (
        "Contingent",
        "Contingent worker",
        "Contractor",
        "Contractors",
        "Contract",
        "Temp",
        "Temporary",
        "Consultant",
        "Intern",
        "Internship",
        "Agency",
        "Freelance",
        "Freelancer",
        "Seasonal",
        "Casual",
        "Fixed-term",
        "Fixed term",
        "Vendor",
        "Outsourced",
        "1099",
    ),
}
WORKER_TYPE_INDEX = _index(_WORKER_TYPE_WORDS, {EMPLOYEE: "Employee"})


_WORKER_TYPE_WORDS_IN_TEXT: dict[str, re.Pattern[str]] = {
    EMPLOYEE: re.compile(
        r"\b(?:employee|permanent|regular|full[\s-]?time|part[\s-]?time|salaried)",
        re.IGNORECASE,
    ),
    CONTINGENT: re.compile(
        r"\b(?:contingent|contract|temp(?:orary|s)?\b|consult|intern(?:s|ship)?\b|"
        r"agency|freelanc|seasonal|fixed[\s-]?term)",
        re.IGNORECASE,
    ),
}


def read_worker_type(value: object) -> str:
    """EMPLOYEE or CONTINGENT, from words like Permanent, Contractor, Temp, Intern.

    A longer label ("Regular Full-Time", "Contractor - Agency") is taken by
    the words in it, when they all point one way; "Contract employee" points
    both ways and is an error, never a guess.
    """
    allowed = (
        "Employee (or Permanent, Full-time) or Contingent (or Contractor, Temp, "
        "Consultant, Intern)"
    )
    text = read_text(value)
    key = text_key(text)
    if key in WORKER_TYPE_INDEX:
        return WORKER_TYPE_INDEX[key]
    kinds = {
        kind
        for kind, words in _WORKER_TYPE_WORDS_IN_TEXT.items()
        if words.search(clean_text(text))
    }
    if len(kinds) == 1:
        return kinds.pop()
    if len(kinds) > 1:
        raise CellError(
            f"is {show(value)}, which reads as both an employee and a contingent "
            f"worker; use one of {allowed}"
        )
    raise CellError(
        f"is {show(value)}, which is not a worker type; use one of {allowed}"
    )


# A list's price for one seat, licence or user, which is not a line's cost.
_UNIT_NOUNS = frozenset(
    {"seat", "seats", "licence", "licences", "license", "licenses", "user", "users"}
    | {"unit", "head", "device", "devices", "employee", "person", "item", "each"}
)
_QUANTITY_WORDS = frozenset(
    {"seats", "seat", "qty", "quantity", "users", "licences", "licenses", "units"}
    | {"count", "no", "number", "of", "nr", "num", "headcount", "devices"}
)
_QUANTITY_NOUNS = _QUANTITY_WORDS - {"no", "number", "of", "nr", "num"}


# 'Cost/licence/yr', 'Price / seat': a price for one seat, licence or user.
_PER_UNIT_SLASH = re.compile(
    r"\w\s*/\s*(?:seat|licen[cs]e|user|unit|head|device|employee|person)s?\b",
    re.IGNORECASE,
)


def is_unit_price_header(text: str) -> bool:
    """True when an amount header is a price per seat, licence or user."""
    words = header_words(text)
    pairs = list(itertools.pairwise(words))
    return (
        "each" in words
        or bool(_PER_UNIT_SLASH.search(clean_text(text)))
        or any(first == "per" and second in _UNIT_NOUNS for first, second in pairs)
        or any(
            first == "unit" and second in ("price", "cost", "rate")
            for first, second in pairs
        )
    )


def is_quantity_header(text: str) -> bool:
    """True for a count of seats, licences or users, like 'Seats' or 'Qty'."""
    words = set(header_words(text))
    return bool(words) and words <= _QUANTITY_WORDS and bool(words & _QUANTITY_NOUNS)


def is_total_header(text: str) -> bool:
    """True when an amount header says it is the line's total."""
    return "total" in header_words(text)


# Amounts stated in thousands or millions, by a header or a title row above it.
_CURRENCY_CODES = r"(?:usd|eur|gbp|aud|cad|nzd|chf)"
_THOUSANDS = re.compile(
    r"\(\s*(?:in\s+)?[$€£]?\s*'?000(?:'?s)?\s*\)|[$€£]\s*'?000(?:'?s)?(?!\w)"
    r"|'000(?:'?s)?(?!\w)|[$€£]\s*k\b|\(\s*(?:in\s+)?k\s*(?:"
    + _CURRENCY_CODES
    + r")?\s*\)"
    r"|\bk\s*[$€£]|(?<!\d)(?<!\d\s)\bthousands?\b|\btsd\b|\bt" + _CURRENCY_CODES + r"\b"
    # 'in K', 'Th USD', 'Th. EUR', 'T€', 'K USD'
    r"|\bin\s+k\b|\bth\.?\s*(?:" + _CURRENCY_CODES + r"\b|[$€£])|\bt\s*[$€£]"
    r"|\bk\s+" + _CURRENCY_CODES + r"\b"
    r"|\b"
    + _CURRENCY_CODES
    + r"\s*(?:k|'?000(?:'?s)?)(?!\w)|\bk"
    + _CURRENCY_CODES
    + r"\b"
    # 'in 000s', '000s omitted', 'x1000', '×1,000', 'Amounts x 1,000'
    r"|(?<!not\s)\bin\s+'?000'?s\b|\b000'?s\s+omitted\b"
    r"|(?:(?<![a-z])x|×|\*)\s*1[,.\s]?000(?![\d,.]*\d)",
    re.IGNORECASE,
)
_MILLIONS = re.compile(
    r"(?<!\d)(?<!\d\s)\bmillions?\b|[$€£]\s*(?:mm?|mn)\b|\(\s*(?:in\s+)?(?:m|mm|mn)\s*\)"
    r"|\b" + _CURRENCY_CODES + r"\s*(?:mm?|mn)\b|\bmio\b|\b(?:mm|mn)\b"
    r"|\bm" + _CURRENCY_CODES + r"\b"  # MUSD, MEUR
    r"|(?:(?<![a-z])x|×|\*)\s*1[,.\s]?000[,.\s]?000(?![\d,.]*\d)",
    re.IGNORECASE,
)
_BILLIONS = re.compile(
    r"(?<!\d)(?<!\d\s)\bbillions?\b|[$€£]\s*bn?\b|\(\s*(?:in\s+)?bn\s*\)|\bbn\b"
    r"|\b" + _CURRENCY_CODES + r"\s*bn\b",
    re.IGNORECASE,
)
_HUNDREDS = re.compile(r"\bin\s+'?100'?s\b|\bhundreds\b", re.IGNORECASE)
_LAKHS = re.compile(r"\blakhs?\b|\blacs?\b", re.IGNORECASE)
_CRORES = re.compile(r"\bcrores?\b", re.IGNORECASE)
_CENTS = re.compile(r"\(\s*(?:in\s+)?cents\s*\)|\bin\s+cents\b", re.IGNORECASE)
# Largest first: 'USD bn' is not read as thousands for its 'USD'.
_SCALES: tuple[tuple[re.Pattern[str], float, str], ...] = (
    (_BILLIONS, 1_000_000_000.0, "billions"),
    (_CRORES, 10_000_000.0, "crores"),
    (_MILLIONS, 1_000_000.0, "millions"),
    (_LAKHS, 100_000.0, "lakhs"),
    (_THOUSANDS, 1_000.0, "thousands"),
    (_HUNDREDS, 100.0, "hundreds"),
    (_CENTS, 0.01, "cents"),
)


# Scale words that do not state the amounts' unit, taken out before a text is
# read for one: a rounding ('rounded to the nearest thousand'), a counted sum
# ('under one thousand dollars', 'a million rows') and a negation up to the end
# of its clause ('USD, not in thousands', 'amounts are not in $000').
_SCALE_WORD = (
    r"(?:[$€£]\s*)?(?:thousand|million|billion|hundred|lakh|crore|lac)(?:'?s)?\b"
    r"|[$€£]?\s*'?000(?:'?s)?(?!\w)|(?:k|m|mm|mn|bn)\b"
)
_NUMBER_WORD = (
    r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|several|few"
)
_NOT_A_UNIT = re.compile(
    r"\b(?:rounded\s+)?(?:to\s+(?:the\s+)?)?nearest\s+(?:whole\s+|full\s+)?"
    r"(?:" + _SCALE_WORD + r")"
    r"|\brounded\s+(?:off\s+|up\s+|down\s+)?to\s+(?:the\s+)?(?:" + _SCALE_WORD + r")"
    r"|\b(?:" + _NUMBER_WORD + r")(?:[\s-]+(?:" + _NUMBER_WORD + r"|and))*[\s-]+"
    r"(?:thousand|million|billion|lakh|crore)s?\b"
    r"|(?:\b(?:not|never|non)\b|n't\b)[^,;:.()\[\]/|–—-]*",
    re.IGNORECASE,
)


def _unit_words(cleaned: str) -> str:
    """A cleaned text without the scale words that state no unit."""
    return _NOT_A_UNIT.sub(" ", cleaned)


def header_scale(text: str) -> tuple[float, str] | None:
    """(factor, words) when a text says the amounts are in thousands, millions
    or another unit than one: (1,000, 'thousands') for '($000)' or '(x1000)',
    (1,000,000, 'millions') for '(MUSD)', (0.01, 'cents') for '(cents)'. Scale
    words that state no unit are not read: 'rounded to the nearest thousand',
    'under one thousand dollars', 'not in thousands'."""
    cleaned = _unit_words(clean_text(text))
    for pattern, factor, words in _SCALES:
        if pattern.search(cleaned):
            return factor, words
    return None


def scale_effect(factor: float) -> str:
    """What reading in a scale does to a number, for a message: 'multiplied by
    1,000' or, for cents, 'divided by 100'."""
    if factor < 1:
        return f"divided by {1 / factor:,.0f}"
    return f"multiplied by {factor:,.0f}"


# Words a note may hold beside its scale and still speak of nothing but the unit
# of the amounts, as in 'Note: all amounts are in US dollars, thousands'.
_NOTE_WORDS = frozenset(
    {"note", "notes", "nb", "all", "amount", "amounts", "figure", "figures"}
    | {"number", "numbers", "value", "values", "cost", "costs", "are", "is", "in"}
    | {"of", "shown", "stated", "given", "expressed", "the", "this", "these"}
    | {"above", "table", "list", "sheet", "and", "unit", "units", "currency"}
    | {"omitted", "x", "s", "rounded", "to", "nearest"}
)
_CURRENCY_WORDS = re.compile(
    r"[$€£]|\b(?:usd|eur|gbp|aud|cad|nzd|chf|us|dollars?|euros?|pounds?)\b",
    re.IGNORECASE,
)


def scale_note(text: str) -> tuple[float, str] | None:
    """The scale a note states when it says nothing but the unit of the amounts,
    like 'Note: amounts in $000' or 'All figures in USD thousands'; None when it
    speaks of anything else too, like 'revenue figures elsewhere in $000'."""
    cleaned = _unit_words(clean_text(text))
    scale = header_scale(cleaned)
    said = [pattern for pattern, _, _ in _SCALES if pattern.search(cleaned)]
    if scale is None or len(said) > 1:
        return None
    rest = _CURRENCY_WORDS.sub(" ", said[0].sub(" ", cleaned))
    words = re.findall(r"[^\W\d_]+", rest.casefold())
    return scale if all(word in _NOTE_WORDS for word in words) else None


# A statement that amounts are in plain currency, like 'in USD' or '(EUR)'.
_PLAIN_CURRENCY_STATED = re.compile(
    r"(?:\bin\s+|\(\s*)(?:usd|eur|gbp|aud|cad|nzd|chf|dollars|euros|[$€£])"
    r"(?:\s*\)|\s*$|\s*[;,.])",
    re.IGNORECASE,
)


def says_plain_currency(text: str) -> bool:
    """True when a text gives the amounts' currency with no scale, like
    'Amounts in USD'; a text that states a scale does not."""
    cleaned = clean_text(text)
    return header_scale(cleaned) is None and bool(
        _PLAIN_CURRENCY_STATED.search(cleaned)
    )
