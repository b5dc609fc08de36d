"""Share links: a scenario's assumptions as URL query parameters, and back.

A link lets someone open the scenario that was on the screen in the
meeting. It carries assumptions only, never the cost base: the receiver
opens it on their own copy of the workspace, whose scenario is the base
the link is read against. So the link holds only what differs from that
base, one short key a value (`g=0.12` for 12% growth a quarter), rates as
plain decimals as the model holds them, and `v`, the link's format.

Line changes are not carried: a changed line names the cost base's lines
and prices, which a link should not show and could not fit. The scenario
a link opens keeps the base's line changes.

Reading a link refuses, with a message naming the setting, a key the
program does not know, a value that is not a plain decimal, and a value
outside the range a link may carry. The ranges are wide, wider than the
sliders' usual ones: a link is for reproducing a scenario, and the
Scenarios page says "check this" about unusual values, but a link saying
500% growth a quarter is a damaged link, not an assumption.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from urllib.parse import urlencode

from cpsu.scenario import MAX_HORIZON, MIN_HORIZON, Scenario

LINK_FORMAT = "1"
FORMAT_KEY = "v"
MAX_NAME_CHARACTERS = 60
# Query parameters Streamlit itself reads; a link may carry them.
STREAMLIT_KEYS = frozenset({"embed", "embed_options"})
NONE = "none"

_PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


class ShareLinkError(ValueError):
    """A link, or a scenario, that a share link cannot carry; says which setting."""


@dataclass(frozen=True)
class Setting:
    """One assumption a link carries: its key, its place in Scenario, its range."""

    key: str
    label: str
    path: tuple[str, ...]
    low: float
    high: float
    whole: bool = False
    optional: bool = False

    def value(self, scenario: Scenario) -> object:
        value: object = scenario
        for name in self.path:
            value = getattr(value, name)
        return value

    def describe_range(self) -> str:
        return f"{self.low:g} to {self.high:g}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "h",
        "horizon in quarters",
        ("horizon_quarters",),
        MIN_HORIZON,
        MAX_HORIZON,
        whole=True,
    ),
    Setting("g", "growth per quarter", ("growth_per_quarter",), -0.5, 1.0),
    Setting("cs", "contingent share", ("contingent_share",), 0.0, 0.99, optional=True),
    Setting(
        "t",
        "tickets per user a month",
        ("service_desk", "tickets_per_user_month"),
        0.0,
        10.0,
    ),
    Setting(
        "tt",
        "yearly trend of tickets per user",
        ("service_desk", "tickets_trend"),
        -0.5,
        0.5,
    ),
    Setting("r", "resolution rate", ("service_desk", "resolution_rate"), 0.0, 1.0),
    Setting("s", "desk-side share", ("service_desk", "deskside_share"), 0.0, 1.0),
    Setting("d", "deflection", ("service_desk", "deflection"), 0.0, 1.0),
    Setting(
        "ds",
        "deflection step per quarter",
        ("service_desk", "deflection_step"),
        0.0,
        1.0,
    ),
    Setting("dc", "deflection cap", ("service_desk", "deflection_cap"), 0.0, 1.0),
    Setting("w", "contingent weight", ("service_desk", "contingent_weight"), 0.0, 2.0),
    Setting("p", "agent productivity", ("levers", "productivity"), -0.5, 1.0),
    Setting(
        "le",
        "labour escalation",
        ("levers", "labour_escalation"),
        -0.2,
        0.5,
        optional=True,
    ),
    Setting(
        "li",
        "licence escalation",
        ("levers", "licence_escalation"),
        -0.2,
        0.5,
        optional=True,
    ),
)
NAME_KEY = "n"
_BY_KEY = {setting.key: setting for setting in SETTINGS}


def _plain_decimal(number: float) -> str:
    """A number as a plain decimal that reads back exactly: 1e-05 as 0.00001."""
    return format(Decimal(repr(float(number))), "f")


def _check_range(setting: Setting, number: float, written: str) -> None:
    if not math.isfinite(number) or not setting.low <= number <= setting.high:
        raise ShareLinkError(
            f"The {setting.label} ({setting.key}={written}) is outside the "
            f"{setting.describe_range()} a share link can carry."
        )


def _encode(setting: Setting, value: object) -> str:
    if value is None:
        return NONE
    number = float(value)  # type: ignore[arg-type]
    text = str(int(number)) if setting.whole else _plain_decimal(number)
    _check_range(setting, number, text)
    return text


def share_query(scenario: Scenario, base: Scenario) -> dict[str, str]:
    """The query parameters of a link to `scenario`, read against `base`.

    Only what differs from the base is written. ShareLinkError when a value
    is outside what a link can carry.
    """
    query = {FORMAT_KEY: LINK_FORMAT}
    if scenario.name != base.name:
        if len(scenario.name) > MAX_NAME_CHARACTERS:
            raise ShareLinkError(
                f"A share link carries names of up to {MAX_NAME_CHARACTERS} "
                f"characters; {scenario.name[:20]!r}... has {len(scenario.name)}."
            )
        query[NAME_KEY] = scenario.name
    for setting in SETTINGS:
        value = setting.value(scenario)
        if value != setting.value(base):
            query[setting.key] = _encode(setting, value)
    return query


def share_query_string(scenario: Scenario, base: Scenario) -> str:
    """The link's query, ready to follow the app's address: ?v=1&g=0.12..."""
    return "?" + urlencode(share_query(scenario, base))


def _single(key: str, value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    values = list(value)
    if len(values) != 1:
        raise ShareLinkError(f"The link gives {key} {len(values)} times; give it once.")
    return values[0]


def _decode(setting: Setting, text: str) -> float | int | None:
    if setting.optional and text == NONE:
        return None
    if not _PLAIN_DECIMAL.match(text):
        raise ShareLinkError(
            f"The {setting.label} ({setting.key}={text}) is not a plain decimal "
            "like 0.12."
        )
    if setting.whole and "." in text:
        raise ShareLinkError(
            f"The {setting.label} ({setting.key}={text}) is not a whole number."
        )
    number = int(text) if setting.whole else float(text)
    _check_range(setting, number, text)
    return number


def _with_value(scenario: Scenario, path: tuple[str, ...], value: object) -> Scenario:
    if len(path) == 1:
        return replace(scenario, **{path[0]: value})
    part = replace(getattr(scenario, path[0]), **{path[1]: value})
    return replace(scenario, **{path[0]: part})


def scenario_from_query(
    query: Mapping[str, str | Sequence[str]], base: Scenario
) -> Scenario:
    """The scenario a link's query parameters describe, over `base`.

    ShareLinkError, naming the setting, for an unknown key, a value that is
    not a plain decimal, or one out of range.
    """
    values = {key: _single(key, value) for key, value in query.items()}
    version = values.pop(FORMAT_KEY, None)
    if version is None:
        raise ShareLinkError(
            f"This is not a scenario link: it has no {FORMAT_KEY}= (the link's format)."
        )
    if version != LINK_FORMAT:
        raise ShareLinkError(
            f"The link is of format {version}; this version of the program reads "
            f"format {LINK_FORMAT}. Make the link again from a current copy."
        )
    scenario = base
    for key, text in values.items():
        if key in STREAMLIT_KEYS:
            continue
        if key == NAME_KEY:
            if not text.strip() or len(text) > MAX_NAME_CHARACTERS:
                raise ShareLinkError(
                    f"The scenario's name in the link must be 1 to "
                    f"{MAX_NAME_CHARACTERS} characters."
                )
            scenario = replace(scenario, name=text)
            continue
        setting = _BY_KEY.get(key)
        if setting is None:
            known = ", ".join([NAME_KEY, *_BY_KEY])
            raise ShareLinkError(
                f"The link's {key!r} is not a setting this program knows; a link "
                f"carries {known}."
            )
        value = _decode(setting, text)
        try:
            scenario = _with_value(scenario, setting.path, value)
        except ValueError as problem:
            raise ShareLinkError(
                f"The {setting.label} ({key}={text}) cannot be used: {problem}"
            ) from None
    return scenario
