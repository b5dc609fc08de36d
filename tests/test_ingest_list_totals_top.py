"""Rows named as totals written at the top of their blocks: 'Hardware total'
over Laptops and Monitors, 'Software total' over M365 and Zoom, sometimes
under a grand total and over one at the foot. Each heads the lines below it,
so counting it counts them twice; a named total that adds up the lines above
it is still a total of those, and one that adds up neither is counted, with a
warning, rather than guessed at."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cpsu.ingest import read_upload
from tests.ingest_fixtures import MONTHS, csv_bytes, errors_of, warnings_of, xlsx_bytes

HEADER = ["Item", "Monthly cost"]

HARDWARE = [["Laptops", 1000], ["Monitors", 2000]]  # 1,000 + 2,000 = 3,000
SOFTWARE = [["M365", 4000], ["Zoom", 1000]]  # 4,000 + 1,000 = 5,000
LINES = [("Laptops", 1000.00), ("Monitors", 2000.00)]
LINES += [("M365", 4000.00), ("Zoom", 1000.00)]

# a2: each block under its named total, nothing else
NAMED_ON_TOP = [
    HEADER,
    ["Hardware total", 3000],
    *HARDWARE,
    ["Software total", 5000],
    *SOFTWARE,
]
# a3: the same under a grand total, with a total at the foot too
GRAND_TOP_AND_FOOT = [
    HEADER,
    ["Grand total", 8000],
    ["Hardware total", 3000],
    *HARDWARE,
    ["Software total", 5000],
    *SOFTWARE,
    ["Total", 8000],
]
# a4: the total word first, and a total at the foot
TOTAL_FIRST = [
    HEADER,
    ["Total hardware", 3000],
    *HARDWARE,
    ["Total software", 5000],
    *SOFTWARE,
    ["Total", 8000],
]


def heading(name: str, lines: str, other: str) -> str:
    return (
        f"'{name}' is the sum of the lines under it ({lines}), as {other} is of "
        "its own, so it was read as a section heading carrying its subtotal and "
        "left out of the sum; its lines were counted. If it is a cost of its "
        "own, move it so that it does not stand above the lines it equals."
    )


def read(rows, form: str = "xlsx"):
    if form == "csv":
        return read_upload(csv_bytes(rows), "budget.csv")
    return read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")


def lines_of(upload) -> list[tuple[str, float]]:
    assert not errors_of(upload), upload.issues
    return [(line.item, round(line.monthly_rate, 2)) for line in upload.cost_base.lines]


def run_rate(upload) -> float:
    return round(sum(line.monthly_rate for line in upload.cost_base.lines), 2)


def said(upload) -> list[tuple[int | None, str]]:
    """The warnings of the list itself, not the one every list gets."""
    return [
        (issue.row, issue.message)
        for issue in warnings_of(upload)
        if issue.row is not None and "put in pool Other" not in issue.message
    ]


# The layouts that were counted twice


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_named_totals_on_top_of_their_blocks_are_headings(form):
    upload = read(NAMED_ON_TOP, form)
    # 1,000 + 2,000 + 4,000 + 1,000 = 8,000 a month, not 13,000
    assert lines_of(upload) == LINES
    assert run_rate(upload) == 8000.00
    assert said(upload) == [
        (2, heading("Hardware total", "rows 3 to 4", "'Software total' (row 5)")),
        (5, heading("Software total", "rows 6 to 7", "'Hardware total' (row 2)")),
    ]


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_grand_total_over_named_blocks_and_one_at_the_foot(form):
    upload = read(GRAND_TOP_AND_FOOT, form)
    # 8,000 a month, not 16,000; the Total at the foot checks against the same
    # four lines, 1,000 + 2,000 + 4,000 + 1,000 = 8,000, so it says nothing
    assert lines_of(upload) == LINES
    assert run_rate(upload) == 8000.00
    assert said(upload) == [
        (
            2,
            "'Grand total' is the sum of all the lines below it (rows 4, 5, 7 "
            "and 8), the section headings' subtotals not counted, so it was read "
            "as a total written above its lines and left out of the sum. If it is "
            "a cost of its own, check the amounts: a line equal to all the others "
            "added up is most likely their total.",
        ),
        (3, heading("Hardware total", "rows 4 to 5", "'Software total' (row 6)")),
        (6, heading("Software total", "rows 7 to 8", "'Hardware total' (row 3)")),
    ]


def test_named_totals_that_start_with_the_total_word():
    upload = read(TOTAL_FIRST)
    # 8,000 a month, not 13,000; the Total at the foot agrees with it
    assert lines_of(upload) == LINES
    assert run_rate(upload) == 8000.00
    assert said(upload) == [
        (2, heading("Total hardware", "rows 3 to 4", "'Total software' (row 5)")),
        (5, heading("Total software", "rows 6 to 7", "'Total hardware' (row 2)")),
    ]


def test_named_totals_on_top_in_a_month_grid():
    # each month as in NAMED_ON_TOP, and a full-year column of 12 months
    rows = [["Item", *MONTHS, "Total"]]
    for item, month in GRAND_TOP_AND_FOOT[1:]:
        rows.append([item, *[month] * 12, month * 12])
    upload = read(rows)
    # average months: 1,000 + 2,000 + 4,000 + 1,000 = 8,000, not 16,000
    assert lines_of(upload) == LINES
    assert run_rate(upload) == 8000.00
    assert [row for row, _ in said(upload)] == [2, 3, 6]
    assert said(upload)[1] == (
        3,
        heading("Hardware total", "rows 4 to 5", "'Software total' (row 6)"),
    )


def test_named_totals_on_top_in_a_csv_grid_of_uneven_months():
    # Laptops 900 in Jan and 1,100 in Dec, the rest 1,000: its average is 1,000
    laptops = [900, *[1000] * 10, 1100]
    rows = [
        ["Item", *MONTHS],
        ["Hardware total", 2900, *[3000] * 10, 3100],
        ["Laptops", *laptops],
        ["Monitors", *[2000] * 12],
        ["Software total", *[5000] * 12],
        ["M365", *[4000] * 12],
        ["Zoom", *[1000] * 12],
    ]
    upload = read(rows, "csv")
    # (900 + 10 x 1,000 + 1,100) / 12 = 1,000; 1,000 + 2,000 + 4,000 + 1,000
    assert lines_of(upload) == LINES
    assert run_rate(upload) == 8000.00
    assert [row for row, _ in said(upload)] == [2, 5]


def test_blocks_of_equal_totals_are_headings_not_totals_of_the_block_above():
    rows = [
        HEADER,
        ["Hardware total", 3000],
        *HARDWARE,
        ["Software total", 3000],  # equals the hardware lines, and its own
        ["M365", 1500],
        ["Zoom", 1500],
    ]
    upload = read(rows)
    # 1,000 + 2,000 + 1,500 + 1,500 = 6,000, not 9,000; the software total
    # heads the lines under it rather than adding up the hardware lines again
    assert run_rate(upload) == 6000.00
    assert len(upload.cost_base.lines) == 4
    assert said(upload) == [
        (2, heading("Hardware total", "rows 3 to 4", "'Software total' (row 5)")),
        (5, heading("Software total", "rows 6 to 7", "'Hardware total' (row 2)")),
    ]


def test_named_totals_each_over_one_line():
    rows = [HEADER, ["Hardware total", 1000], ["Laptops", 1000]]
    rows += [["Software total", 3000], ["M365", 3000]]
    upload = read(rows)
    # 1,000 + 3,000 = 4,000, not 8,000: named as totals, each heads its line
    assert lines_of(upload) == [("Laptops", 1000.00), ("M365", 3000.00)]
    assert said(upload) == [
        (2, heading("Hardware total", "row 3", "'Software total' (row 4)")),
        (4, heading("Software total", "row 5", "'Hardware total' (row 2)")),
    ]


def test_named_totals_both_on_top_and_at_the_foot_of_each_block():
    rows = [HEADER, ["Total hardware", 3000], *HARDWARE, ["Total hardware", 3000]]
    rows += [["Total software", 5000], *SOFTWARE, ["Total software", 5000]]
    upload = read(rows)
    # 1,000 + 2,000 + 4,000 + 1,000 = 8,000, not 18,000
    assert lines_of(upload) == LINES
    assert (
        6,
        "'Total software' (row 6) equals the 2 lines under it (rows 7 to 8), as "
        "the total below them, 'Total software' (row 9), does, so it was read as "
        "a section heading carrying its subtotal and left out of the sum; its "
        "lines were counted. If it is a cost of its own, move it so that it does "
        "not stand above the lines it equals.",
    ) in said(upload)


def test_a_named_total_on_top_after_a_block_totalled_below():
    rows = [HEADER, *HARDWARE, ["Hardware total", 3000]]
    rows += [["Software total", 5000], *SOFTWARE]
    upload = read(rows)
    # 3,000 + 5,000 = 8,000, not 13,000: the hardware total adds up the lines
    # above it, the software total the lines below it
    assert lines_of(upload) == LINES
    assert [row for row, _ in said(upload)] == [4, 5]


# Layouts already read right, and reading the same


UNNAMED = [["Hardware", 3000], *HARDWARE, ["Software", 5000], *SOFTWARE]
TOTAL = ["Total", 8000]
BELOW = [*HARDWARE, ["Hardware total", 3000], *SOFTWARE, ["Software total", 5000]]
BELOW_AND_GRAND = [*BELOW, ["Grand total", 8000]]


@pytest.mark.parametrize(
    "body",
    [
        UNNAMED,
        [TOTAL, *UNNAMED],
        [*UNNAMED, TOTAL],
        [TOTAL, *UNNAMED, TOTAL],
        BELOW_AND_GRAND,
    ],
    ids=["headings", "total-on-top", "total-below", "both", "subtotals-below"],
)
def test_layouts_read_right_before_still_read_8000(body):
    upload = read([HEADER, *body])
    # 1,000 + 2,000 + 4,000 + 1,000 = 8,000
    assert lines_of(upload) == LINES
    assert run_rate(upload) == 8000.00


def test_a_named_total_over_the_whole_list_and_one_below():
    rows = [HEADER, ["Total IT", 8000], ["Laptops", 3000], ["Licences", 5000]]
    upload = read([*rows, ["Total", 8000]])
    # 3,000 + 5,000 = 8,000
    assert lines_of(upload) == [("Laptops", 3000.00), ("Licences", 5000.00)]
    assert [row for row, _ in said(upload)] == [2]


def test_subtotals_below_their_blocks_are_read_as_totals_of_the_lines_above():
    upload = read([HEADER, *BELOW_AND_GRAND])
    assert run_rate(upload) == 8000.00
    assert said(upload) == [
        (
            4,
            "'Hardware total' adds up the lines above it, so it was read as a "
            "total and not counted. If it is an item of its own, rename it so it "
            "does not start like a total.",
        ),
        (
            7,
            "'Software total' adds up the lines above it, so it was read as a "
            "total and not counted. If it is an item of its own, rename it so it "
            "does not start like a total.",
        ),
    ]


# A named total that adds up neither the lines above nor those below


def test_a_named_total_equal_to_no_block_is_counted_and_warned():
    rows = [HEADER, ["Hardware total", 3000], *HARDWARE]
    rows += [["Software total", 4500], *SOFTWARE]  # the lines below make 5,000
    upload = read(rows)
    # Hardware total heads its lines; Software total is counted, as before:
    # 1,000 + 2,000 + 4,500 + 4,000 + 1,000 = 12,500
    assert run_rate(upload) == 12500.00
    assert len(upload.cost_base.lines) == 5
    assert (
        5,
        "'Software total' starts like a total but is not the total of its lines "
        "above, so it was read as a cost line. Rename it if it is an item; name "
        "it Total if it is a total.",
    ) in said(upload)


def test_a_grand_total_over_a_block_that_does_not_add_up_is_not_guessed():
    rows = [HEADER, ["Grand total", 8000], ["Hardware total", 3000], *HARDWARE]
    rows += [["Software total", 4500], *SOFTWARE, ["Total", 8000]]
    upload = read(rows)
    # nothing left out by guesswork: 3,000 + 3,000 + 4,500 + 5,000 = 15,500,
    # with the named totals counted warned and the foot's total disagreeing
    assert run_rate(upload) == 15500.00
    warned = [row for row, _ in said(upload)]
    assert warned == [2, 3, 6, 9]
    assert "a difference of -7,500.00" in dict(said(upload))[9]


# Any amounts, laid out with named totals on top


@st.composite
def blocks_on_top(draw):
    """A list of blocks each under a row named as their total, with or
    without a grand total above them all and one below: the rows, the lines'
    amounts in cents, and whether there is a grand total."""
    amounts = draw(
        st.lists(
            st.lists(st.integers(1, 2_000_000), min_size=1, max_size=4),
            min_size=1,
            max_size=4,
        )
    )
    grand_top, grand_foot = draw(st.booleans()), draw(st.booleans())
    total_first = draw(st.booleans())
    lines = [cents for block in amounts for cents in block]
    everything = sum(lines)
    rows: list[list[object]] = [HEADER]
    if grand_top:
        rows.append(["Grand total", everything / 100])
    for n, block in enumerate(amounts):
        name = f"Total block {n + 1}" if total_first else f"Block {n + 1} total"
        rows.append([name, sum(block) / 100])
        rows.extend(
            [f"Item {n + 1}.{k + 1}", cents / 100] for k, cents in enumerate(block)
        )
    if grand_foot:
        rows.append(["Total", everything / 100])
    return rows, lines, grand_top or grand_foot


@settings(max_examples=200, deadline=None)
@given(blocks_on_top(), st.sampled_from(["xlsx", "csv"]))
def test_named_totals_on_top_never_count_their_lines_twice(layout, form):
    rows, lines, grand = layout
    # one line under one named total, and no grand total to bear it out, is no
    # sum: it cannot be told from two lines of equal cost, so it is counted,
    # with a warning
    assume(len(lines) >= 2 or grand)
    upload = read(rows, form)
    assert not errors_of(upload), upload.issues
    read_cents = round(sum(line.monthly_rate for line in upload.cost_base.lines) * 100)
    assert read_cents == sum(lines)
    assert len(upload.cost_base.lines) == len(lines)


def test_a_named_total_over_one_line_confirmed_by_the_total_below():
    rows = [HEADER, ["Hardware total", 900], ["Laptops", 900], ["Total", 900]]
    upload = read(rows)
    # 900, not 1,800: the Total below says the named row is no second line
    assert lines_of(upload) == [("Laptops", 900.00)]
    assert said(upload) == [
        (
            2,
            "'Hardware total' (row 2) equals the line under it (row 3), as the "
            "total below them, 'Total' (row 4), does, so it was read as a section "
            "heading carrying its subtotal and left out of the sum; its line was "
            "counted. If it is a cost of its own, move it so that it does not "
            "stand above the line it equals.",
        )
    ]


@pytest.mark.parametrize(
    ("rows", "sections"),
    [
        (NAMED_ON_TOP, ["Hardware", "Hardware", "Software", "Software"]),
        (TOTAL_FIRST, ["Hardware", "Hardware", "Software", "Software"]),
        (GRAND_TOP_AND_FOOT, ["Hardware", "Hardware", "Software", "Software"]),
    ],
)
def test_a_named_heading_names_its_lines_section_without_the_total_word(rows, sections):
    # 'Hardware total' and 'Total hardware' both head the Hardware lines: the
    # word total belongs to the heading's amount, not to the lines' section.
    upload = read(rows)
    assert [line.notes for line in upload.cost_base.lines] == [
        f"Section: {name}" for name in sections
    ]


def test_section_name_drops_only_the_total_words():
    from cpsu.ingest.lists import _section_name

    assert _section_name("Hardware total") == "Hardware"
    assert _section_name("Total for People") == "People"
    assert _section_name("Subtotal - Software") == "Software"
    assert _section_name("IT Subtotal:") == "IT"
    assert _section_name("Totally Cloud") == "Totally Cloud"  # a name, not a total
    assert _section_name("Grand total") == "Grand total"  # nothing else to name it
