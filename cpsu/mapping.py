"""Mapping rules: how the postings of a GL export become cost lines.

A GL export says what was paid to whom from which account, but not which
cost pool a posting belongs to or what drives it. A mapping rule says so for
the postings it catches: an account range ("6100-6199"), one account
("6150") or a prefix ("61*"); a cost centre or a vendor (compared without
regard to case or spaces); or words that all appear in the description
(whole words, any case). Rules are tried in order and the first that
catches a posting takes it, so a narrow rule placed above a broad one
carves out its exceptions.

Applying rules gives a `Mapping`: which rule took each posting, a preview
of what each rule catches, and the queue of postings no rule catches,
grouped so that the biggest gaps come first. Every total is added in whole
cents, so the mapped total and the unmapped total make the export's total
exactly. Each rule then becomes one cost line at the export's average
month, named as the export spells what the rule caught, so the app and the
command line name it alike. Rules are saved as JSON, so that next month's
export is mapped the same way; a rules file with mistakes is refused with
every mistake named by its rule.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property

import numpy as np
import pandas as pd

from cpsu.costs import POOLS, Behaviour, CostBase, CostLine
from cpsu.formatting import count, money
from cpsu.ingest.cells import CellError
from cpsu.ingest.gl import GLExport
from cpsu.ingest.issues import Issue, error, errors, warning
from cpsu.ingest.vocabulary import read_behaviour, read_pool

logger = logging.getLogger(__name__)

RULES_VERSION = 1
MAPPED_BEHAVIOURS = (Behaviour.FIXED, Behaviour.PER_USER)
UNMAPPED = -1

_RANGE = re.compile(r"^\s*(\d{1,12})\s*-\s*(\d{1,12})\s*$")
_NUMBER = re.compile(r"^\s*\d{1,12}\s*$")
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


class Field(StrEnum):
    """What a rule looks at in each posting."""

    ACCOUNT = "account"
    COST_CENTRE = "cost_centre"
    VENDOR = "vendor"
    DESCRIPTION = "description"


@dataclass(frozen=True)
class Rule:
    """Postings whose `field` matches `pattern` go to `pool` with `behaviour`.

    `line_name` names the cost line the rule makes; empty, the line is
    named as the export spells what the rule catches (see `line_name`).
    """

    field: Field
    pattern: str
    pool: str
    behaviour: Behaviour = Behaviour.FIXED
    line_name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", Field(self.field))
        object.__setattr__(self, "behaviour", Behaviour(self.behaviour))
        problems = _pattern_problems(self.field, self.pattern)
        if self.pool not in POOLS:
            problems.append(f"Pool {self.pool!r} is not one of {', '.join(POOLS)}.")
        if self.behaviour not in MAPPED_BEHAVIOURS:
            problems.append(
                f"A mapped line is Fixed or Per user, not {self.behaviour.value}."
            )
        if problems:
            raise ValueError(" ".join(problems))

    @property
    def name(self) -> str:
        """The rule's own line name, or one made from its pattern: the name
        its line has before the rule catches any posting."""
        if self.line_name.strip():
            return self.line_name.strip()
        pattern = self.pattern.strip()
        match self.field:
            case Field.ACCOUNT:
                return f"Account {pattern}"
            case Field.COST_CENTRE:
                return f"Cost centre {pattern}"
            case Field.VENDOR:
                return pattern
            case Field.DESCRIPTION:
                return pattern[:1].upper() + pattern[1:]


def _pattern_problems(field: Field, pattern: str) -> list[str]:
    """What is wrong with a pattern for a field, each with what to write."""
    if not pattern.strip():
        return [
            "The pattern is empty; write the account, cost centre, vendor or "
            "description words the rule looks for."
        ]
    if field is Field.ACCOUNT:
        match = _RANGE.match(pattern)
        if match and int(match[1]) > int(match[2]):
            return [
                f"Account range {pattern!r} runs backwards; write the lower "
                f"account first ({match[2]}-{match[1]})."
            ]
    if field is Field.DESCRIPTION and not _WORD.search(pattern):
        return [
            f"Description pattern {pattern!r} has no words; write words the "
            "descriptions hold, like laptop or licence."
        ]
    return []


def _key(text: pd.Series) -> pd.Series:
    """Text without case or spaces, for exact matching."""
    return text.str.replace(r"\s+", "", regex=True).str.casefold()


class _Distinct:
    """One field of the postings as its distinct values and, for each posting,
    which one: a rule is matched against the few hundred vendors or accounts
    of an export, never its hundred thousand postings one by one.
    """

    def __init__(self, entries: pd.DataFrame, field: Field) -> None:
        column = entries[field.value].fillna("").astype(str)
        if field is Field.ACCOUNT:
            number = entries["account_number"]
            known = number.notna().to_numpy()
            values = number.fillna(-1).to_numpy(dtype=np.int64)
            # The account as its code: the number it starts with, else its text.
            code = column.where(~known, number.astype("string")).astype(str)
            codes, uniques = pd.factorize(code + "\x00" + column)
            first = np.full(len(uniques), -1, dtype=np.int64)
            first[codes[::-1]] = np.arange(len(codes))[::-1]
            self.numbers = values[first]
            self.known = known[first]
            self.text = code.iloc[first].reset_index(drop=True)
        else:
            codes, uniques = pd.factorize(column)
            self.text = pd.Series(uniques, dtype=object)
        self.codes = np.asarray(codes)
        self.field = field
        self._keys: dict[str, np.ndarray] | None = None
        self._words: dict[str, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.text)

    def by_key(self, key: str) -> np.ndarray:
        """Positions of the values that are `key` without case or spaces."""
        if self._keys is None:
            keys = _key(self.text)
            self._keys = (
                pd.Series(np.arange(len(keys))).groupby(keys.to_numpy()).indices
            )
        return self._keys.get(key, np.empty(0, dtype=np.int64))

    def by_word(self, word: str) -> np.ndarray:
        """Positions of the values that hold `word` as a whole word, any case."""
        if self._words is None:
            words = (
                self.text.str.casefold().str.findall(_WORD.pattern).explode().dropna()
            )
            holders = words.index.to_numpy(dtype=np.int64)
            self._words = {
                found: np.unique(holders[rows])
                for found, rows in words.groupby(words.to_numpy()).indices.items()
            }
        return self._words.get(word, np.empty(0, dtype=np.int64))

    def catches(self, rule: Rule) -> np.ndarray:
        """The positions of the distinct values a rule's pattern matches."""
        pattern = rule.pattern.strip()
        if self.field is Field.DESCRIPTION:
            found: np.ndarray | None = None
            for word in dict.fromkeys(_WORD.findall(pattern.casefold())):
                at = self.by_word(word)
                found = at if found is None else np.intersect1d(found, at)
            return found if found is not None else np.empty(0, dtype=np.int64)
        if self.field is not Field.ACCOUNT:
            return self.by_key(_SPACES.sub("", pattern).casefold())
        match = _RANGE.match(pattern)
        if match:
            low, high = int(match[1]), int(match[2])
            inside = self.known & (self.numbers >= low) & (self.numbers <= high)
            return np.flatnonzero(inside)
        if pattern.endswith("*"):
            prefix = _SPACES.sub("", pattern[:-1]).casefold()
            return np.flatnonzero(_key(self.text).str.startswith(prefix).to_numpy(bool))
        if _NUMBER.match(pattern):
            return np.flatnonzero(self.known & (self.numbers == int(pattern)))
        return self.by_key(_SPACES.sub("", pattern).casefold())


@dataclass(frozen=True, eq=False)
class RulePreview:
    """What one rule catches: postings, their total and the months they fall in."""

    rule: Rule
    entries: int
    total_cents: int
    months: tuple[pd.Period, ...]
    name: str  # the cost line's name, as line_name gives it

    @property
    def total(self) -> float:
        return self.total_cents / 100


@dataclass(frozen=True, eq=False)
class Mapping:
    """Rules applied to an export: which rule took each posting, and what is left.

    `rule_index` holds, for each entry of the export in order, the index of
    the first rule that catches it, or -1 (UNMAPPED).
    """

    export: GLExport
    rules: tuple[Rule, ...]
    rule_index: np.ndarray

    @cached_property
    def caught(self) -> tuple[pd.DataFrame, ...]:
        """The postings each rule takes, in rule order and file order."""
        index = self.rule_index
        order = np.argsort(index, kind="stable")
        ordered = self.export.entries.iloc[order]
        bounds = np.searchsorted(index[order], np.arange(len(self.rules) + 1))
        return tuple(
            ordered.iloc[bounds[rule] : bounds[rule + 1]]
            for rule in range(len(self.rules))
        )

    @cached_property
    def previews(self) -> tuple[RulePreview, ...]:
        """What each rule catches, in rule order; a rule shadowed by those above
        it catches nothing."""
        return tuple(
            RulePreview(
                rule=rule,
                entries=len(caught),
                total_cents=int(caught["cents"].sum()),
                months=tuple(sorted(caught["month"].unique())),
                name=line_name(rule, caught),
            )
            for rule, caught in zip(self.rules, self.caught, strict=True)
        )

    @property
    def mapped_cents(self) -> int:
        return int(self.export.entries["cents"][self.rule_index != UNMAPPED].sum())

    @property
    def unmapped_cents(self) -> int:
        return int(self.export.entries["cents"][self.rule_index == UNMAPPED].sum())

    @property
    def mapped_total(self) -> float:
        return self.mapped_cents / 100

    @property
    def unmapped_total(self) -> float:
        return self.unmapped_cents / 100

    @property
    def reconciles(self) -> bool:
        """True when mapped and unmapped postings add up to the export's total."""
        return self.mapped_cents + self.unmapped_cents == self.export.total_cents

    def unmapped(self) -> pd.DataFrame:
        """Postings no rule catches, by account, vendor and description: how many
        and their total, the largest (by size, credits too) first."""
        entries = self.export.entries[self.rule_index == UNMAPPED]
        keys = ["account", "vendor", "description"]
        queue = (
            entries.groupby(keys, sort=False, dropna=False)
            .agg(entries=("cents", "size"), cents=("cents", "sum"))
            .reset_index()
        )
        queue["total"] = queue["cents"] / 100
        order = np.lexsort((queue.index.to_numpy(), -queue["cents"].abs().to_numpy()))
        return queue.iloc[order].reset_index(drop=True)[[*keys, "entries", "total"]]


def apply_rules(export: GLExport, rules: Sequence[Rule]) -> Mapping:
    """Each posting to the first rule that catches it, or to the unmapped queue.

    Each field's distinct values get the first rule of that field that
    catches them, a dictionary look-up for a vendor or cost centre, a
    comparison of numbers for an account range; a posting then takes the
    first of its fields' rules. The work grows with the rules times the
    distinct values, plus the postings once, not with rules times postings.
    """
    entries = export.entries
    none = np.iinfo(np.int64).max
    first: dict[Field, tuple[_Distinct, np.ndarray]] = {}
    for index, rule in enumerate(rules):
        if rule.field not in first:
            distinct = _Distinct(entries, rule.field)
            first[rule.field] = (distinct, np.full(len(distinct), none, np.int64))
        distinct, taken = first[rule.field]
        caught = distinct.catches(rule)
        caught = caught[taken[caught] == none]
        taken[caught] = index
    rule_index = np.full(len(entries), none, dtype=np.int64)
    for distinct, taken in first.values():
        np.minimum(rule_index, taken[distinct.codes], out=rule_index)
    rule_index[rule_index == none] = UNMAPPED
    return Mapping(export=export, rules=tuple(rules), rule_index=rule_index)


def line_name(rule: Rule, caught: pd.DataFrame) -> str:
    """The name of the cost line a rule makes, wherever it is made.

    The app's preview, the cost lines it uses and `cpsu check` all take the
    name from here, so one export and one set of rules give the same lines
    everywhere. The rule's own line name comes first. Without one, a vendor
    or cost centre is named as the export first spells it among the postings
    the rule catches (a rule written "dell" makes the line "Dell" when the
    export says Dell), and description words are spelt as in the first
    description caught; an account rule is named after its pattern, and so
    is a rule that catches nothing.
    """
    if rule.line_name.strip() or caught.empty:
        return rule.name
    match rule.field:
        case Field.VENDOR:
            return str(caught["vendor"].iloc[0]).strip()
        case Field.COST_CENTRE:
            return f"Cost centre {str(caught['cost_centre'].iloc[0]).strip()}"
        case Field.DESCRIPTION:
            description = str(caught["description"].iloc[0])
            words = []
            for word in dict.fromkeys(_WORD.findall(rule.pattern.casefold())):
                found = re.search(rf"\b{re.escape(word)}\b", description, re.IGNORECASE)
                words.append(found[0] if found else word)
            name = " ".join(words)
            return name[:1].upper() + name[1:]
        case _:
            return rule.name


def _one_vendor(vendors: pd.Series) -> str:
    """The vendor of a line, as first spelt, when its postings have one (however
    it is capitalised or spaced); else empty."""
    # Spellings in order of first appearance: a few, however many postings.
    spellings = pd.Series(vendors.fillna("").astype(str).unique(), dtype=object)
    named = spellings[spellings.str.strip() != ""]
    if named.empty or _key(named).nunique() != 1:
        return ""
    return named.iloc[0].strip()


def mapped_lines(mapping: Mapping) -> pd.DataFrame:
    """One row per rule that catches anything: item, pool, behaviour, vendor,
    entries, total and monthly (the total over the export's months)."""
    months = len(mapping.export.months)
    rows = []
    for caught, preview in zip(mapping.caught, mapping.previews, strict=True):
        if preview.entries == 0:
            continue
        rule = preview.rule
        rows.append(
            {
                "item": preview.name,
                "pool": rule.pool,
                "behaviour": rule.behaviour.value,
                "vendor": _one_vendor(caught["vendor"]),
                "entries": preview.entries,
                "total": preview.total,
                "monthly": preview.total / months,
            }
        )
    columns = ["item", "pool", "behaviour", "vendor", "entries", "total", "monthly"]
    return pd.DataFrame(rows, columns=columns)


def negative_run_rate(lines: pd.DataFrame) -> Issue | None:
    """An error when mapped lines (`mapped_lines`) add up to a monthly run-rate
    below zero, naming the lines below zero; else None.

    Support always costs something: lines below zero are costs written as
    negative amounts or credits caught without the costs they reduce.
    """
    monthly = round(float(lines["monthly"].sum()), 2) if not lines.empty else 0.0
    if monthly >= 0:
        return None
    below = lines[lines["monthly"] < 0]
    named = "; ".join(
        f"{row.item} ({money(row.monthly)} a month)"
        for row in below.head(5).itertuples()
    )
    if len(below) > 5:
        named += f"; and {len(below) - 5} more"
    return error(
        f"The mapped lines add up to {money(monthly)} a month, below zero, so no "
        f"run-rate or CPSU can be made from them. Below zero: {named}. If the "
        "export writes costs as negative amounts, read it again saying so; if "
        "these are credits, map them with the costs they reduce.",
        sheet="Mapped lines",
    )


@dataclass(frozen=True)
class MappedLine(CostLine):
    """A Per user cost line made from GL spend, with the monthly spend it was
    priced from: its unit cost is that spend over the baseline users, priced
    again whenever they change (see `reprice_per_user`). A workbook keeps
    only its unit cost."""

    monthly_spend: float = 0.0


def cost_lines(mapping: Mapping, baseline_users: float) -> tuple[CostLine, ...]:
    """One cost line per rule that catches anything, at the export's average month.

    A rule is the user's own unit of classification, so it makes one line:
    the line then equals the rule's preview (its total over the months), which
    is what the user checked, and the cost base stays as short as the rule
    list. Splitting by vendor would give dozens of small lines for one
    decision; the vendor is kept on the line when the rule catches only one.
    The average month is the rule's total over every month the export covers,
    not only the months the rule's postings fall in: an annual licence paid
    once in March is a twelfth of its price a month, not all of it. Fixed
    lines carry that monthly amount; Per user lines carry it divided by the
    baseline supported users, so that it grows with them.
    """
    if not baseline_users > 0:
        raise ValueError("Per user costs need baseline supported users above 0.")
    lines = []
    for row in mapped_lines(mapping).itertuples():
        behaviour = Behaviour(row.behaviour)
        if behaviour is Behaviour.PER_USER:
            line = MappedLine(
                item=row.item,
                pool=row.pool,
                behaviour=behaviour,
                unit_cost=row.monthly / baseline_users,
                vendor=row.vendor,
                notes=f"Mapped from {row.entries} GL postings",
                monthly_spend=row.monthly,
            )
        else:
            line = CostLine(
                item=row.item,
                pool=row.pool,
                behaviour=behaviour,
                amount=row.monthly,
                vendor=row.vendor,
                notes=f"Mapped from {row.entries} GL postings",
            )
        lines.append(line)
    return tuple(lines)


def has_mapped_per_user(cost_base: CostBase) -> bool:
    """Whether any Per user line was made from GL spend (and may need repricing)."""
    return any(
        isinstance(line, MappedLine) and line.behaviour is Behaviour.PER_USER
        for line in cost_base.lines
    )


def reprice_per_user(
    cost_base: CostBase, baseline_users: float
) -> tuple[CostBase, tuple[Issue, ...]]:
    """Per user lines made from spend, priced again for new baseline users.

    A Per user line mapped from a GL export keeps the monthly spend it was
    made from; when the baseline users change (a roster read after the
    export), its unit cost becomes that spend over the new users, so the
    baseline month still costs what the export spent, whichever file came
    first. Each line priced again is named in a warning with its numbers.
    """
    if not baseline_users > 0:
        return cost_base, ()
    lines, notes = [], []
    for line in cost_base.lines:
        if not isinstance(line, MappedLine) or line.behaviour is not Behaviour.PER_USER:
            lines.append(line)
            continue
        spend = line.monthly_spend
        unit_cost = spend / baseline_users
        if line.unit_cost is not None and round(line.unit_cost - unit_cost, 9) == 0:
            lines.append(line)
            continue
        lines.append(replace(line, unit_cost=unit_cost))
        users = count(baseline_users)
        notes.append(
            warning(
                f"{line.item} re-priced for {users} "
                f"{'user' if users == '1' else 'users'}: {money(spend)} a month is "
                f"{money(unit_cost)} a user, so the baseline month still costs "
                "what the GL export spent.",
                sheet="Cost lines",
            )
        )
    return CostBase(tuple(lines)), tuple(notes)


# --- rules files ---------------------------------------------------------------


def save_rules(rules: Sequence[Rule]) -> bytes:
    """The rules as a JSON file, with its format version."""
    document = {
        "version": RULES_VERSION,
        "rules": [
            {
                "field": rule.field.value,
                "pattern": rule.pattern,
                "pool": rule.pool,
                "behaviour": rule.behaviour.value,
                "line_name": rule.line_name,
            }
            for rule in rules
        ],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


RULE_PROBLEMS_SHOWN = 20
# The most rules a rules file may hold: a chart of accounts needs a few
# hundred; more is a list of postings rather than rules, and would make each
# upload slow to map.
MAX_RULES = 1_000
_RULE_KEYS = ("field", "pattern", "pool", "behaviour", "line_name")
_KEY_ORDER = (None, *_RULE_KEYS)

_SAVE_AGAIN = "save the rules from the program again"
_WHAT_TO_WRITE = {
    "field": 'one of "account", "cost_centre", "vendor" or "description"',
    "pattern": (
        "the account (6150, a range 6100-6199 or a prefix 61*), cost centre, "
        "vendor or description words the rule looks for"
    ),
    "pool": f"one of {', '.join(POOLS)}",
    "behaviour": '"Fixed" or "Per user" (left out, the line is Fixed)',
    "line_name": "the cost line's name (left out, a name is made from the pattern)",
}


def load_rules(
    data: bytes, name: str = "rules file"
) -> tuple[tuple[Rule, ...], list[Issue]]:
    """The rules in a JSON rules file, and every problem found; never raises.

    Each problem names its rule by number and the rule's key at fault, like
    'rules.json, rule 3, "pool"', and says what to write instead. The first
    RULE_PROBLEMS_SHOWN problems are listed, then one more says how many are
    left. The rules are empty when the file has any error, so that a
    half-read file never maps part of an export. A key a rule does not have
    ("line_nme") is a warning naming the rule and the key it is closest to:
    the rule is used without it.
    """
    try:
        document = json.loads(bytes(data).decode("utf-8-sig"))
    except ValueError as problem:  # not UTF-8, not JSON, a number too long
        return (), [
            error(
                f"The rules file is not JSON ({problem}); correct it, or "
                f"{_SAVE_AGAIN}.",
                sheet=name,
            )
        ]
    except RecursionError:
        return (), [
            error(
                f"The rules file nests too deeply to be rules; {_SAVE_AGAIN}.",
                sheet=name,
            )
        ]
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        return (), [
            error(
                'The rules file needs an object with a "version" and a list of '
                f'"rules"; {_SAVE_AGAIN}.',
                sheet=name,
            )
        ]
    version = document.get("version")
    if type(version) is not int or version != RULES_VERSION:
        return (), [
            error(
                f"The rules file is version {_json(version)}; this program reads "
                f'version {RULES_VERSION}. Set "version": {RULES_VERSION} if the '
                f"rules are written as this program writes them, or {_SAVE_AGAIN}.",
                sheet=name,
            )
        ]
    if len(document["rules"]) > MAX_RULES:
        return (), [
            error(
                f"The rules file holds {len(document['rules']):,} rules; at most "
                f"{MAX_RULES:,} are read. Map by account ranges (6100-6199) or "
                "prefixes (61*) so that one rule covers many accounts, and keep "
                f"the file to {MAX_RULES:,} rules or fewer.",
                sheet=name,
            )
        ]
    rules: list[Rule] = []
    issues: list[Issue] = []
    faulty: set[int] = set()  # the rules with a problem
    for number, item in enumerate(document["rules"], start=1):
        unknown = _unknown_keys(item, f"{name}, rule {number}")
        rule, problems = _read_rule(item)
        if unknown or problems:
            faulty.add(number)
        for key, message in problems:
            place = (
                f'{name}, rule {number}, "{key}"' if key else f"{name}, rule {number}"
            )
            issues.append(error(message, sheet=place))
        issues.extend(unknown)
        if rule is not None:
            rules.append(rule)
    refused = bool(errors(issues))
    shown = issues[:RULE_PROBLEMS_SHOWN]
    rest = len(issues) - len(shown)
    if rest:
        total = len(document["rules"])
        count = error if refused else warning
        shown.append(
            count(
                f"{rest} more {'problem is' if rest == 1 else 'problems are'} not "
                f"listed ({len(issues)} in all, in {len(faulty)} of the {total} "
                "rules). Fix the ones above and load the file again to see the "
                f"rest, or {_SAVE_AGAIN}.",
                sheet=name,
            )
        )
    return ((), shown) if refused else (tuple(rules), shown)


def _unknown_keys(item: object, place: str) -> list[Issue]:
    """A warning for each key of a rule that no rule has, with the closest one."""
    if not isinstance(item, dict):
        return []
    found = []
    for key in item:
        if key in _RULE_KEYS:
            continue
        written = str(key)
        close = difflib.get_close_matches(written.strip().lower(), _RULE_KEYS, n=1)
        advice = (
            f'did you mean "{close[0]}"? Rename it, or delete it'
            if close
            else "a rule's keys are "
            + ", ".join(f'"{known}"' for known in _RULE_KEYS)
            + "; rename it to one of those, or delete it"
        )
        found.append(
            warning(
                f"{_json(written)} is not a key a rule has, so it was ignored; "
                f"{advice}.",
                sheet=f'{place}, "{written[:40]}"',
            )
        )
    return found


def _json(value: object) -> str:
    """A value as the JSON file writes it, cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _read_rule(item: object) -> tuple[Rule | None, list[tuple[str | None, str]]]:
    """One rule of a rules file, or None with every problem in it, each with
    the key at fault (None for the rule as a whole) and what to write."""
    if not isinstance(item, dict):
        return None, [
            (
                None,
                f"{_json(item)} is not a rule; write each rule as an object with "
                '"field", "pattern" and "pool", as the program saves them.',
            )
        ]
    problems: list[tuple[str | None, str]] = []
    text: dict[str, str | None] = {}
    for key in ("field", "pattern", "pool", "behaviour", "line_name"):
        value = item.get(key)
        if key == "pattern" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # an account number written without quotes
        if value is None and key in ("field", "pattern", "pool"):
            missing = "is null" if key in item else "is missing"
            problems.append(
                (key, f"The rule's {key} {missing}; write {_WHAT_TO_WRITE[key]}.")
            )
        elif value is not None and not isinstance(value, str):
            problems.append(
                (
                    key,
                    f"{_json(value)} is not text; write {_WHAT_TO_WRITE[key]}, "
                    "in quotes.",
                )
            )
        else:
            text[key] = value

    field = None
    if text.get("field") is not None:
        try:
            field = Field(text["field"].strip().lower())
        except ValueError:
            problems.append(
                (
                    "field",
                    f"{_json(text['field'])} is not something a rule can look at; "
                    f"write {_WHAT_TO_WRITE['field']}.",
                )
            )
    if text.get("pattern") is not None:
        # A blank pattern is wrong whatever the field; ranges and words need it.
        checked_as = field or Field.VENDOR
        found = _pattern_problems(checked_as, text["pattern"])
        problems.extend(("pattern", problem) for problem in found)

    pool = None
    if text.get("pool") is not None:
        try:
            pool = read_pool(text["pool"])
        except CellError:
            problems.append(
                (
                    "pool",
                    f"{_json(text['pool'])} is not a cost pool; write "
                    f"{_WHAT_TO_WRITE['pool']}.",
                )
            )

    behaviour = Behaviour.FIXED
    if text.get("behaviour"):
        try:
            behaviour = read_behaviour(text["behaviour"])
        except CellError:
            problems.append(
                (
                    "behaviour",
                    f"{_json(text['behaviour'])} is not a cost behaviour; write "
                    f"{_WHAT_TO_WRITE['behaviour']}.",
                )
            )
        else:
            if behaviour not in MAPPED_BEHAVIOURS:
                problems.append(
                    (
                        "behaviour",
                        f"A mapped line is Fixed or Per user, not {behaviour.value}; "
                        f"write {_WHAT_TO_WRITE['behaviour']}. A {behaviour.value} "
                        "line needs the columns of the Costs sheet.",
                    )
                )

    if problems or field is None or pool is None:
        return None, sorted(problems, key=lambda found: _KEY_ORDER.index(found[0]))
    return Rule(
        field, text["pattern"], pool, behaviour, text.get("line_name") or ""
    ), []
