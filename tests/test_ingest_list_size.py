"""A cost list's reader takes time in proportion to its rows, and finds the
same subtotals as the plain reading it replaced: each row compared with the
running sums of the lines above it, not with those lines added up again.

The work of a read is counted (Python calls, or looks into the rows) at one
size and at twice it, for each shape of list that once took the square of
its rows; no time is asserted. A 200,000-row list is read in a child process
bounded at five minutes, so that a reader gone slow fails and cannot hang
the suite."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cpsu.ingest import Upload, read_upload
from cpsu.ingest.cells import text_key
from cpsu.ingest.lists import (
    _Below,
    _BelowRow,
    _difference,
    _named,
    _rounded_off,
    _span,
    _subtotals_below,
    _total_name,
)
from tests.ingest_fixtures import (
    canonical_bytes,
    cost_row,
    rewrite_part,
    xlsx_bytes,
)

ROOT = Path(__file__).parent.parent


# The reference: the subtotals below their lines as they were first found,
# adding up the whole block of lines above each row again. Slow (the square of
# the rows) but plainly right; the reader's running sums must agree with it.


def _reference_compare(
    key: Mapping[int, int], block: Sequence[Mapping[int, int]]
) -> tuple[str, int, int]:
    if not block or not key or not any(key.values()):
        return "other", 0, 0
    sums = {index: sum(found.get(index, 0) for found in block) for index in key}
    columns = [index for index in key if key[index] != sums[index]]
    if not columns:
        first = next(iter(key))
        return "equal", key[first], sums[first]
    if all(_rounded_off(key[index], sums[index]) for index in columns):
        return "rounded", key[columns[0]], sums[columns[0]]
    return "other", key[columns[0]], sums[columns[0]]


def reference_subtotals_below(rows: Sequence[_BelowRow], lines_over: int) -> _Below:
    result = _Below()
    figures = [at for at, (_, _, key, _) in enumerate(rows) if key is not None]
    last = figures[-1] if figures else -1
    section: tuple[int, str] | None = None
    block: list[tuple[int, dict[int, int]]] = []
    lines: list[tuple[int, dict[int, int]]] = []
    candidates: list[tuple[int, str, list[int]]] = []
    subtotals = 0
    covered = True

    def close(row: int, message: str) -> None:
        nonlocal subtotals, block
        result.found[row] = message
        subtotals += 1
        block = []

    for at, (row, item, key, named) in enumerate(rows):
        if key is None:
            covered = covered and not block
            section, block = ((row, item) if item else None), []
            continue
        above = [found for _, found in block]
        how, stated, summed = _reference_compare(key, above)
        span = _span([line for line, _ in block]) if block else ""
        name = _named(item, row)
        if named:
            everything = _reference_compare(key, [found for _, found in lines])[0]
            if (
                candidates
                and (lines_over >= 2 or (covered and not block))
                and len(lines) >= 2
                and everything == "equal"
            ):
                for candidate, candidate_item, under in candidates:
                    result.found[candidate] = (
                        f"{_named(candidate_item, candidate)} is the sum of "
                        f"{_span(under)} directly above it, and {name} equals "
                        "the lines only when it is left out, so it was read as a "
                        "subtotal and left out of the sum; its lines were counted. "
                        "If it is a cost of its own, check the amounts."
                    )
                result.confirmed = True
                candidates, subtotals = [], subtotals + 1
                continue
            if (
                _total_name(item, None if section is None else section[1])
                or (how == "equal" and len(block) >= 2)
                or everything == "equal"
            ):
                subtotals += 1
                covered = covered and not block
                block = []
                continue
            if how == "rounded" and len(block) >= 2 and item:
                close(
                    row,
                    f"{name} is named as a total, so it was left out of the sum: "
                    f"{_difference(stated, summed, span)}, as rounding would make. "
                    "Its lines were counted; check the lines or the total.",
                )
                continue
            break
        in_section = section is not None and text_key(item) == text_key(section[1])
        if in_section and how in ("equal", "rounded") and block:
            assert section is not None
            off = (
                ""
                if how == "equal"
                else f" within rounding ({_difference(stated, summed, 'they')})"
            )
            close(
                row,
                f"{name} repeats its section's heading (row {section[0]}) and is "
                f"the sum of the section's lines ({span}){off}, so it was read as "
                "the section's subtotal and left out of the sum; its lines were "
                "counted.",
            )
            section = None
            continue
        if how == "rounded" and len(block) >= 2:
            close(
                row,
                f"{name} is within rounding of the sum of {span} directly above "
                f"it ({_difference(stated, summed, 'they')}), so it was read as "
                "their subtotal and left out of the sum; the lines were counted. "
                "If it is a cost of its own, check the amounts.",
            )
            continue
        if how == "equal" and len(block) >= lines_over:
            candidates.append((row, item, [line for line, _ in block]))
            block = []
            continue
        if (
            at == last
            and subtotals
            and not candidates
            and len(lines) >= 2
            and _reference_compare(key, [found for _, found in lines])[0] == "equal"
        ):
            close(
                row,
                f"{name} is the sum of all the lines above it "
                f"({_span([line for line, _ in lines])}), the subtotals not counted, "
                "so it was read as the list's total and left out of the sum. If it "
                "is a cost of its own, check the amounts: a line equal to all the "
                "others added up is most likely their total.",
            )
            continue
        block.append((row, key))
        lines.append((row, key))
    return result


# Random lists laid out as hand-built ones are: blocks of lines under section
# headings, each closed or not by a row equal (or near, as rounding makes) to
# its lines or to the last few rows, named as a total, as its section, as an
# item or not at all; and a row at the foot equal to every line, or to every
# row above it.

NAMES = ["", "item", "total", "section", "Total", "Net", "other"]
OFFSETS = [0, 0, 0, 1, -1, 40, -100, 5_000]
AMOUNTS = [0, 100, 250, 1_000, 99_900, 12_345]
BLOCK = st.tuples(
    st.sampled_from([None, None, "Hardware", "Software", ""]),  # its heading
    st.lists(st.sampled_from(AMOUNTS), max_size=4),  # its lines
    st.sampled_from([None, "lines", "lines", "rows"]),  # what closes it
    st.integers(1, 3),  # how many rows back a closing row of rows reaches
    st.sampled_from(OFFSETS),  # cents off the sum
    st.sampled_from(NAMES),
)
FOOT = st.tuples(
    st.sampled_from([None, "lines", "every"]),
    st.sampled_from(OFFSETS),
    st.sampled_from(NAMES),
)


def random_rows(blocks, foot, columns: int) -> list[_BelowRow]:
    """The rows of a list of `blocks` and a `foot`, each line's amount in the
    second column, if any, twice and a half its first's."""
    rows: list[_BelowRow] = []
    lines: list[dict[int, int]] = []
    every: list[dict[int, int]] = []

    def add(item: str, key: dict[int, int] | None, naming: str = "") -> None:
        named = key is not None and (not item or naming in ("total", "Total", "other"))
        rows.append((len(rows) + 5, item, key, named))
        if key is not None:
            every.append(key)

    def summed(keys: list[dict[int, int]], off: int) -> dict[int, int]:
        return {
            index: sum(key[index] for key in keys) + off for index in range(columns)
        }

    def name(naming: str, section: str) -> str:
        return {
            "": "",
            "item": f"Line {len(rows)}",
            "total": f"Total {section}".strip(),
            "section": section,
            "Total": "Total",
            "Net": "Net IT cost",
            "other": "Total licences",  # a total, but not of its section
        }[naming]

    section = ""
    for heading, amounts, closer, back, off, naming in blocks:
        if heading is not None:
            section = heading
            add(heading, None)
        keys = [
            {index: cents * (2 + index) // 2 for index in range(columns)}
            for cents in amounts
        ]
        for key in keys:
            add(f"Line {len(rows)}", key)
        lines.extend(keys)
        if closer == "lines":
            add(name(naming, section), summed(keys, off), naming)
        elif closer == "rows":
            add(name(naming, section), summed(every[-back:], off), naming)
    kind, off, naming = foot
    if kind is not None:
        add(
            name(naming, section),
            summed(lines if kind == "lines" else every, off),
            naming,
        )
    return rows


@settings(max_examples=500, deadline=None)
@given(blocks=st.lists(BLOCK, max_size=8), foot=FOOT, columns=st.integers(1, 2))
def test_subtotals_below_are_found_as_by_adding_up_each_block(blocks, foot, columns):
    rows = random_rows(blocks, foot, columns)
    for lines_over in (1, 2):
        found = _subtotals_below(rows, lines_over)
        expected = reference_subtotals_below(rows, lines_over)
        assert found.found == expected.found
        assert found.confirmed == expected.confirmed


def test_each_kind_of_subtotal_below_is_found_as_by_the_reference():
    # The kinds the random lists are made to reach, one list of each, in
    # cents: a row repeating its heading; a row within rounding of its lines;
    # rows equal to the lines above them, confirmed by a total equal to the
    # lines only; a last row equal to every line, the subtotals left out.
    a, b = {1: 10_000}, {1: 25_000}
    cases = {
        "repeats its section's heading (row 5)": [
            (5, "Hardware", None, False),
            (6, "Laptops", a, False),
            (7, "Monitors", b, False),
            (8, "Hardware", {1: 35_000}, False),
        ],
        "is within rounding of the sum of rows 5 to 6": [
            (5, "Laptops", {1: 10_040}, False),
            (6, "Monitors", {1: 25_000}, False),
            (7, "Hardware", {1: 35_000}, False),  # 35,040 rounded to hundreds
        ],
        "is the sum of rows 8 to 10 directly above it": [
            (5, "Laptops", a, False),
            (6, "Monitors", b, False),
            (7, "Hardware", {1: 35_000}, False),
            (8, "M365", a, False),
            (9, "Zoom", a, False),
            (10, "Slack", a, False),
            (11, "Software", {1: 30_000}, False),
            (12, "Total", {1: 65_000}, True),  # 10,000 + 25,000 + 3 x 10,000
        ],
        "is the sum of all the lines above it (rows 6, 7, 9 and 10)": [
            (5, "Hardware", None, False),
            (6, "Laptops", a, False),
            (7, "Monitors", b, False),
            (8, "Hardware", {1: 35_000}, False),
            (9, "M365", a, False),
            (10, "Zoom", b, False),
            (11, "IT", {1: 70_000}, False),  # 2 x (10,000 + 25,000)
        ],
    }
    for said, rows in cases.items():
        found = _subtotals_below(rows, 2)
        assert found.found == reference_subtotals_below(rows, 2).found
        assert any(said in message for message in found.found.values()), said


class _CountingKey(dict):
    """A row's cents that count every look into them: the work of comparing it."""

    looks = 0

    def get(self, *args):
        _CountingKey.looks += 1
        return super().get(*args)

    def __getitem__(self, index):
        _CountingKey.looks += 1
        return super().__getitem__(index)

    def items(self):
        _CountingKey.looks += len(self)
        return super().items()


def looks_for(count: int, finder) -> int:
    # Lines of 1.00 to 3.00 a month, none equal to the lines above it.
    rows = [
        (row, f"line {row}", _CountingKey({1: 100 + row % 3 * 100}), False)
        for row in range(2, count + 2)
    ]
    _CountingKey.looks = 0
    finder(rows, 2)
    return _CountingKey.looks


def test_the_work_of_finding_subtotals_grows_with_the_rows_not_their_square():
    # Twice the rows, twice the looks into them (give or take a constant);
    # adding up the whole block above each row again makes it four times.
    small, large = (
        looks_for(1_000, _subtotals_below),
        looks_for(2_000, _subtotals_below),
    )
    print(f"looks into the rows: {small:,} for 1,000 rows, {large:,} for 2,000")
    assert large <= 2.2 * small
    # The reference does the square's work: the count can tell them apart.
    assert looks_for(1_000, reference_subtotals_below) > 100 * small


def python_calls(count: int, first: Sequence[str] = ()) -> int:
    """How many Python function calls (and generator steps) reading a list of
    `count` lines, the `first` amounts at its top, makes, as the app reads an
    upload."""
    amounts = [*first, *(f"{at * 37 % 500 + 1}.{at % 100:02d}" for at in range(count))]
    data = "Item,Monthly cost\n" + "".join(
        f"line {at},{amount}\n" for at, amount in enumerate(amounts[:count])
    )
    upload, calls = calls_reading(data.encode(), "costs.csv")
    assert upload.cost_base is not None
    assert len(upload.cost_base.lines) == count
    return calls


def calls_reading(data: bytes, name: str) -> tuple[Upload, int]:
    """The upload, read as the app reads it, and how many Python function calls
    (and generator steps) that took."""
    calls = 0

    def profile(frame, event, arg) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        upload = read_upload(data, name)
    finally:
        sys.setprofile(None)
    return upload, calls


def test_reading_a_list_as_the_app_does_takes_work_in_proportion_to_its_rows():
    # Every Python call and generator step of the whole read, not only the
    # subtotals: a step that looks back over the lines above each row makes
    # twice the rows cost four times the calls, as the reader once did (1.0
    # million steps of adding up blocks at 2,000 rows, 4.0 million at 4,000).
    small, large = python_calls(2_000), python_calls(4_000)
    print(f"Python calls: {small:,} for 2,000 rows, {large:,} for 4,000")
    assert large <= 2.3 * small


def test_lines_after_a_rounded_subtotal_are_read_in_proportion_to_their_rows():
    # 301.00 is within 1% of 100 + 200 = 300 above it: warned as a subtotal
    # rounded, the lines after it make the next block, once added up again
    # for every line below it.
    first = ["100.00", "200.00", "301.00"]
    small, large = python_calls(2_000, first), python_calls(4_000, first)
    print(f"Python calls: {small:,} for 2,000 rows, {large:,} for 4,000")
    assert large <= 2.3 * small


def with_sum_subtotals(blocks: int) -> bytes:
    """A workbook of `blocks` blocks of three lines (1.00, 2.00 and 3.00), each
    closed by a subtotal =SUM(B..:B..) keeping its value, 6.00, as Excel saves
    it."""
    rows: list[list[object]] = [["Item", "Monthly cost"]]
    formulas = {}
    for block in range(blocks):
        first = len(rows) + 1
        rows.extend([f"line {block}.{line}", line] for line in (1, 2, 3))
        rows.append([f"Subtotal {block}", 6])
        formulas[f"B{len(rows)}"] = f"SUM(B{first}:B{first + 2})"

    def put(found: re.Match[bytes]) -> bytes:
        formula = formulas.get(found[2].decode())
        return found[1] + (f"<f>{formula}</f>".encode() if formula else b"")

    return rewrite_part(
        xlsx_bytes({"Budget": rows}),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'(<c r="([A-Z]+[0-9]+)"[^>]*>)', put, xml),
    )


def test_a_list_with_a_sum_under_each_block_is_read_in_proportion_to_its_rows():
    # Each subtotal's formula is checked against the rows it reaches over,
    # once against every row of the sheet: 1,000 blocks of 4 rows and then
    # 2,000 made the calls four times as many.
    found = {}
    for blocks in (1_000, 2_000):
        upload, found[blocks] = calls_reading(with_sum_subtotals(blocks), "b.xlsx")
        assert upload.cost_base is not None
        lines = upload.cost_base.lines
        # 3 lines a block, 1 + 2 + 3 = 6.00 a month each; the subtotals left out
        assert len(lines) == 3 * blocks
        assert sum(line.monthly_rate for line in lines) == 6 * blocks
        said = [
            issue for issue in upload.issues if "read as a subtotal" in issue.message
        ]
        assert len(said) == blocks
    print(
        f"Python calls: {found[1_000]:,} for 1,000 blocks, {found[2_000]:,} for 2,000"
    )
    assert found[2_000] <= 2.3 * found[1_000]


def test_headings_carrying_their_subtotals_are_read_in_proportion_to_their_rows():
    # Each heading over its lines, and equal to them: 6.75 = 1.00 + 2.50 +
    # 3.25. Each heading's warning names the first few others; naming every
    # other heading for each made 1,000 headings and then 2,000 cost four
    # times the calls.
    found = {}
    for blocks in (1_000, 2_000):
        data = "Item,Monthly cost\n" + "".join(
            f"Group {at},6.75\na{at},1.00\nb{at},2.50\nc{at},3.25\n"
            for at in range(blocks)
        )
        upload, found[blocks] = calls_reading(data.encode(), "costs.csv")
        assert upload.cost_base is not None
        assert len(upload.cost_base.lines) == 3 * blocks
        heading = next(i.message for i in upload.issues if i.row == 2)
        others = f"{blocks - 1 - 5:,} more are of their own"
        assert "'Group 1' (row 6), 'Group 2' (row 10)" in heading
        assert others in heading
    print(
        f"Python calls: {found[1_000]:,} for 1,000 headings, {found[2_000]:,} for 2,000"
    )
    assert found[2_000] <= 2.3 * found[1_000]


def test_the_costs_sheet_is_read_in_proportion_to_its_rows():
    # The template's Costs sheet checks each line against the lines above it
    # for a subtotal, as the list does: once by adding them all up again.
    found = {}
    for count in (2_000, 4_000):
        rows = [
            cost_row(f"item {at}", "Software", "Fixed", amount=100 + at % 7)
            for at in range(count)
        ]
        upload, found[count] = calls_reading(canonical_bytes(rows), "costs.xlsx")
        assert upload.cost_base is not None
        assert len(upload.cost_base.lines) == count
    print(f"Python calls: {found[2_000]:,} for 2,000 lines, {found[4_000]:,} for 4,000")
    assert found[4_000] <= 2.3 * found[2_000]


def test_a_list_of_200000_lines_is_read_and_does_not_hold_the_server(tmp_path):
    # Under the 250,000-row limit, as an expense export of items and amounts
    # can be. Read as the app reads an upload, in a child process given five
    # minutes: about 20 s here; the square of the rows took some 45 minutes.
    chance = random.Random(200_000)
    cents = [chance.randrange(100, 50_000) for _ in range(200_000)]
    path = tmp_path / "expenses.csv"
    path.write_text(
        "Vendor,Monthly cost\n"
        + "".join(
            f"vendor {at},{c // 100}.{c % 100:02d}\n" for at, c in enumerate(cents)
        )
    )
    child = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from cpsu.ingest import read_upload
        started = time.perf_counter()
        upload = read_upload(Path(sys.argv[1]).read_bytes(), "expenses.csv")
        lines = upload.cost_base.lines
        print(len(lines), round(sum(line.monthly_rate for line in lines) * 100))
        print(f"read in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", child, str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    print(done.stderr)
    count, total_cents = map(int, done.stdout.split())
    assert count == 200_000
    assert total_cents == sum(cents)
