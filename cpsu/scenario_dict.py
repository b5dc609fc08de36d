"""A scenario as a plain dict that JSON can hold, and back again.

A saved scenario outlives the program that saved it, so it is written as
plain data: numbers, text, true/false, null, lists and objects. Enums are
written as the words the Costs sheet uses ("Per user", "Tier 1"), dates as
ISO text (2026-10-01), and the whole carries `schema_version`, the shape of
the dict. Reading checks every field and names the one that is wrong
(`changes[1].line.unit_cost`), so a damaged or hand-edited file is a clear
message, never a scenario with a silently wrong number.

A field missing from the dict takes the dataclass's default; that is how a
scenario saved before a field existed reads in a later version. A field the
dict has but the program does not know is refused, with the closest known
name, because it is most likely a misspelling. A dict from an older schema
goes through the migrations in `MIGRATIONS` first; one from a newer schema
is refused.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import MISSING, fields
from datetime import date
from enum import StrEnum
from typing import Any

from cpsu.costs import Behaviour, CostLevers, CostLine, Period, Tier
from cpsu.scenario import LineChange, Scenario
from cpsu.workload import ServiceDesk

SCHEMA_VERSION = 1

# Each migration takes a dict of schema version N and returns one of N + 1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class ScenarioDataError(ValueError):
    """Not a scenario; `where` names the wrong field, like `levers.productivity`."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}" if where else problem)


Reader = Callable[[Any, str], Any]


def _plain(value: Any, where: str) -> Any:
    """One field's value as JSON-able data."""
    if isinstance(value, StrEnum):
        return value.value
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise ScenarioDataError(where, f"{number} is not a number JSON can hold.")
        return number
    raise ScenarioDataError(where, f"cannot be written as plain data: {value!r}.")


def _record(obj: Any, where: str) -> dict[str, Any]:
    """A flat dataclass as a dict of its fields' plain values."""
    return {
        f.name: _plain(getattr(obj, f.name), _join(where, f.name)) for f in fields(obj)
    }


def cost_line_to_dict(line: CostLine) -> dict[str, Any]:
    """A cost line as plain data."""
    return _record(line, "")


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """A scenario, its levers and line changes as plain data, with its schema."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    data["name"] = _plain(scenario.name, "name")
    data["horizon_quarters"] = _plain(scenario.horizon_quarters, "horizon_quarters")
    data["growth_per_quarter"] = _plain(
        scenario.growth_per_quarter, "growth_per_quarter"
    )
    data["service_desk"] = _record(scenario.service_desk, "service_desk")
    data["contingent_share"] = _plain(scenario.contingent_share, "contingent_share")
    data["levers"] = _record(scenario.levers, "levers")
    data["changes"] = [
        {
            "item": _plain(change.item, f"changes[{i}].item"),
            "from_quarter": _plain(change.from_quarter, f"changes[{i}].from_quarter"),
            "line": None
            if change.line is None
            else _record(change.line, f"changes[{i}].line"),
        }
        for i, change in enumerate(scenario.changes)
    ]
    return data


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _kind(value: Any) -> str:
    """What a JSON value is, in words, for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


def _number(value: Any, where: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioDataError(where, f"expected a number, got {_kind(value)}.")
    if not math.isfinite(value):
        raise ScenarioDataError(where, f"expected a number, got {value}.")
    return value


def _whole(value: Any, where: str) -> int:
    number = _number(value, where)
    if isinstance(number, float):
        if not number.is_integer():
            raise ScenarioDataError(where, f"expected a whole number, got {number}.")
        return int(number)
    return number


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ScenarioDataError(where, f"expected text, got {_kind(value)}.")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioDataError(where, f"expected true or false, got {_kind(value)}.")
    return value


def _day(value: Any, where: str) -> date:
    text = _text(value, where)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ScenarioDataError(
            where, f"expected a date like 2026-10-01, got {text!r}."
        ) from None


def _choice(enum: type[StrEnum]) -> Reader:
    def read(value: Any, where: str) -> StrEnum:
        text = _text(value, where)
        try:
            return enum(text)
        except ValueError:
            known = ", ".join(member.value for member in enum)
            raise ScenarioDataError(where, f"{text!r} is not one of {known}.") from None

    return read


def _optional(reader: Reader) -> Reader:
    def read(value: Any, where: str) -> Any:
        return None if value is None else reader(value, where)

    return read


def _object(value: Any, where: str, readers: Mapping[str, Reader]) -> dict[str, Any]:
    """The known fields of a JSON object, each read; an unknown field is refused."""
    if not isinstance(value, Mapping):
        raise ScenarioDataError(where, f"expected an object, got {_kind(value)}.")
    for key in value:
        if key not in readers:
            close = difflib.get_close_matches(str(key), list(readers), n=1)
            hint = f"; did you mean {close[0]}?" if close else "."
            raise ScenarioDataError(
                _join(where, str(key)), f"is not a field the program knows{hint}"
            )
    return {
        name: reader(value[name], _join(where, name))
        for name, reader in readers.items()
        if name in value
    }


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    """The dataclass from its fields, naming a required one that is missing."""
    for f in fields(cls):
        if (
            f.name not in values
            and f.default is MISSING
            and (f.default_factory is MISSING)
        ):
            raise ScenarioDataError(_join(where, f.name), "is missing.")
    try:
        return cls(**values)
    except ValueError as problem:
        raise ScenarioDataError(where or "scenario", str(problem)) from None


_SERVICE_DESK: dict[str, Reader] = {f.name: _number for f in fields(ServiceDesk)}
_LEVERS: dict[str, Reader] = {
    "labour_escalation": _optional(_number),
    "licence_escalation": _optional(_number),
    "productivity": _number,
}
_COST_LINE: dict[str, Reader] = {
    "item": _text,
    "pool": _text,
    "behaviour": _choice(Behaviour),
    "amount": _optional(_number),
    "period": _choice(Period),
    "unit_cost": _optional(_number),
    "users_per_unit": _optional(_number),
    "tier": _optional(_choice(Tier)),
    "tickets_per_agent": _optional(_number),
    "min_units": _number,
    "life_months": _optional(_whole),
    "in_service": _optional(_day),
    "renew": _flag,
    "escalation": _number,
    "vendor": _text,
    "notes": _text,
}


def _cost_line(value: Any, where: str) -> CostLine:
    return _build(CostLine, _object(value, where, _COST_LINE), where)


def cost_line_from_dict(data: Mapping[str, Any]) -> CostLine:
    """A cost line from the plain data `cost_line_to_dict` wrote."""
    return _cost_line(data, "")


def _change(value: Any, where: str) -> LineChange:
    readers: dict[str, Reader] = {
        "item": _text,
        "from_quarter": _whole,
        "line": _optional(_cost_line),
    }
    return _build(LineChange, _object(value, where, readers), where)


def _changes(value: Any, where: str) -> tuple[LineChange, ...]:
    if not isinstance(value, list | tuple):
        raise ScenarioDataError(where, f"expected a list, got {_kind(value)}.")
    return tuple(_change(item, f"{where}[{i}]") for i, item in enumerate(value))


_SCENARIO: dict[str, Reader] = {
    "name": _text,
    "horizon_quarters": _whole,
    "growth_per_quarter": _number,
    "service_desk": lambda value, where: _build(
        ServiceDesk, _object(value, where, _SERVICE_DESK), where
    ),
    "contingent_share": _optional(_number),
    "levers": lambda value, where: _build(
        CostLevers, _object(value, where, _LEVERS), where
    ),
    "changes": _changes,
}


def _migrated(data: Mapping[str, Any]) -> dict[str, Any]:
    """The dict in the current schema, through every migration it needs."""
    if not isinstance(data, Mapping):
        raise ScenarioDataError("", f"A scenario is an object, not {_kind(data)}.")
    if "schema_version" not in data:
        raise ScenarioDataError("schema_version", "is missing.")
    version = _whole(data["schema_version"], "schema_version")
    if version > SCHEMA_VERSION:
        raise ScenarioDataError(
            "schema_version",
            f"{version} was written by a newer version of the program; this one "
            f"reads schema versions up to {SCHEMA_VERSION}.",
        )
    if version < 1:
        raise ScenarioDataError("schema_version", f"{version} is not a schema version.")
    current = dict(data)
    while version < SCHEMA_VERSION:
        current = MIGRATIONS[version](current)
        version += 1
    current.pop("schema_version")
    return current


def scenario_from_dict(data: Mapping[str, Any]) -> Scenario:
    """The scenario `scenario_to_dict` wrote; ScenarioDataError names a bad field."""
    current = _migrated(data)
    return _build(Scenario, _object(current, "", _SCENARIO), "")
