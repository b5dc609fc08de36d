"""A row on the Costs sheet that totals the other lines, once each line is
costed at the baseline: Per user and Step lines by the workbook's own
headcount, not by their Unit cost alone."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cpsu.cli import main
from cpsu.ingest import read_upload
from cpsu.ingest.issues import Severity
from cpsu.projection import project
from tests.ingest_fixtures import canonical_bytes, cost_row, warnings_of

# 1,000 employees and 200 contingent workers, each counting fully: 1,200 users.
HEADCOUNT = [["Quarter", "Employees", "Contingent"], ["2026-Q4", 1000, 200]]

# The bundled sample's kinds of line, each costed a month at 1,200 users:
LINES = [
    # 468 a year is 39 a month, x 1,200 users = 46,800
    cost_row("M365", "Productivity software", "Per user", unit_cost=468, period="Year"),
    # 36,000 / 12 = 3,000
    cost_row("Acrobat", "Productivity software", "Fixed", amount=36000, period="Year"),
    # 1,200 users / 500 a unit = 3 units x 1,000 = 3,000
    cost_row("ITSM", "Support tools", "Step", unit_cost=1000, users_per_unit=500),
    # 360,000 / 36 months = 10,000
    cost_row(
        "Laptops", "Desktop support", "Depreciation", amount=360000, life_months=36
    ),
    # 9,000 / 3 = 3,000
    cost_row(
        "Training", "Service desk (Tier 1)", "Fixed", amount=9000, period="Quarter"
    ),
]
ITEMS = ["M365", "Acrobat", "ITSM", "Laptops", "Training"]
# 46,800 + 3,000 + 3,000 + 10,000 + 3,000
LINES_A_MONTH = 65800.00


def read(rows, headcount=HEADCOUNT):
    return read_upload(canonical_bytes(rows, headcount=headcount), "costs.xlsx")


def run_rate(upload) -> float:
    """The monthly run-rate at the baseline, to the cent."""
    costed = project(upload.cost_base, upload.headcount, upload.scenario)
    return round(float(costed.baseline["monthly_opex"]), 2)


def items(upload) -> list[str]:
    return [line.item for line in upload.cost_base.lines]


def total_warnings(upload) -> list:
    return [
        issue for issue in warnings_of(upload) if "read as a total" in issue.message
    ]


@pytest.mark.parametrize(
    ("name", "amount", "period", "first"),
    [
        ("All costs", 65800, "Month", False),
        ("All costs", 65800, "Month", True),
        ("All costs", 789600, "Year", False),  # 65,800 x 12
        ("Everything", 197400, "Quarter", False),  # 65,800 x 3
        ("Combined", 65800, None, False),  # an empty Period is a month
    ],
)
def test_a_fixed_row_totalling_the_lines_costed_by_users_is_left_out(
    name, amount, period, first
):
    total = cost_row(name, "Other", "Fixed", amount=amount, period=period)
    upload = read([total, *LINES] if first else [*LINES, total])

    assert not upload.has_errors
    assert items(upload) == ITEMS
    assert run_rate(upload) == LINES_A_MONTH  # not 131,600
    [said] = total_warnings(upload)
    assert said.severity is Severity.WARNING
    assert (said.sheet, said.row, said.column) == (
        "Costs",
        2 if first else 7,
        "Item (A)",
    )
    assert said.message == (
        f"'{name}' costs 65,800.00 a month, the sum of all the other lines, so it "
        "was read as a total and left out of the sum. If it is a cost of its own, "
        "check the amounts."
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # a cent more than the lines: a cost of its own, 65,800 + 65,800.01
        (cost_row("All costs", "Other", "Fixed", amount=65800.01), 131600.01),
        # a cent less: 65,800 + 65,799.99
        (cost_row("All costs", "Other", "Fixed", amount=65799.99), 131599.99),
        # a Per user line is never a total, whatever it comes to:
        # 54.83333 a month x 1,200 users = 65,800, so 65,800 + 65,800
        (
            cost_row("All users", "Other", "Per user", unit_cost=658, period="Year"),
            131600.00,
        ),
    ],
)
def test_a_row_that_is_not_the_total_to_the_cent_or_not_fixed_is_counted(row, expected):
    upload = read([*LINES, row])

    assert items(upload) == [*ITEMS, row[0]]
    assert run_rate(upload) == expected
    assert total_warnings(upload) == []


def test_check_tells_the_total_of_a_template_and_leaves_it_out(tmp_path, capsys):
    path = tmp_path / "template.xlsx"
    total = cost_row("All costs", "Other", "Fixed", amount=65800, period="Month")
    path.write_bytes(canonical_bytes([*LINES, total], headcount=HEADCOUNT))

    code = main(["check", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)

    assert code == 0
    assert [line["item"] for line in report["lines"]] == ITEMS
    assert [line["monthly"] for line in report["lines"]] == [
        46800,
        3000,
        3000,
        10000,
        3000,
    ]
    assert report["monthly_run_rate"] == pytest.approx(LINES_A_MONTH, abs=0.005)
    [said] = [i for i in report["issues"] if "read as a total" in i["message"]]
    assert said["where"] == "Costs, row 7, column Item (A)"


# Lines whose monthly cost is a whole number of cents at any headcount, with
# that cost worked out here by hand from `cents` and `size`.
def _line(kind: str, cents: int, size: int, users: int, at: int) -> tuple[list, int]:
    """A row of the kind and its cost in cents a month at `users`."""
    name = f"Line {at}"
    if kind == "Fixed":
        return cost_row(name, "Other", "Fixed", amount=cents / 100), cents
    if kind == "Per user":
        row = cost_row(name, "Other", "Per user", unit_cost=cents / 100)
        return row, cents * users
    if kind == "Step":
        # one unit for every `size` users, rounded up
        row = cost_row(
            name, "Support tools", "Step", unit_cost=cents / 100, users_per_unit=size
        )
        return row, cents * math.ceil(users / size)
    # an asset of `size` months' life that costs `cents` a month
    row = cost_row(
        name,
        "Desktop support",
        "Depreciation",
        amount=cents * size / 100,
        life_months=size,
    )
    return row, cents


line_specs = st.tuples(
    st.sampled_from(["Fixed", "Per user", "Step", "Depreciation"]),
    st.integers(1, 2_000_000),
    st.integers(1, 600),
)


@settings(max_examples=40, deadline=None)
@given(
    specs=st.lists(line_specs, min_size=2, max_size=6),
    employees=st.integers(1, 5000),
    contingent=st.integers(0, 1000),
    off_by=st.one_of(st.just(0), st.integers(1, 10**7), st.integers(-(10**7), -1)),
)
def test_a_row_of_the_others_sum_is_never_counted_and_any_other_always_is(
    specs, employees, contingent, off_by
):
    users = employees + contingent
    made = [_line(*spec, users, at) for at, spec in enumerate(specs, start=1)]
    rows, costs = [row for row, _ in made], [cost for _, cost in made]
    others = sum(costs)  # cents a month
    amount = others + off_by
    assume(amount > 0)
    # A line of the others that would itself be the sum of all the rest (the
    # new row included) is a total of its own: not what is tested here.
    assume(all(2 * cost != others + amount for cost in costs))
    headcount = [HEADCOUNT[0], ["2026-Q4", employees, contingent]]
    total = cost_row("All costs", "Other", "Fixed", amount=amount / 100)
    upload = read([*rows, total], headcount=headcount)

    if off_by == 0:
        assert len(upload.cost_base.lines) == len(rows)
        assert run_rate(upload) == round(others / 100, 2)
        assert len(total_warnings(upload)) == 1
    else:
        assert len(upload.cost_base.lines) == len(rows) + 1
        assert run_rate(upload) == round((others + amount) / 100, 2)
        assert total_warnings(upload) == []
