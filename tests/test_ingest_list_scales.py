"""Cost lists whose unit is said somewhere other than the amount's header: a
note below the list, a currency column, and month grids that skip or repeat
months. Amounts 120 and 6 a year in thousands are (120,000 + 6,000) / 12 =
10,500 a month; read as they stand, (120 + 6) / 12 = 10.50."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import MONTHS, errors_of, warnings_of, xlsx_bytes

LIST = [["Item", "Annual cost"], ["M365", 120], ["Zoom", 6]]


def read_list(rows: list[list[object]]):
    return read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")


def monthly_run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def messages(upload) -> str:
    return "\n".join(issue.message for issue in upload.issues)


# A note a few rows below the list that says only the unit of the amounts.


@pytest.mark.parametrize(
    ("note", "words", "factor"),
    [
        ("Note: amounts in $000", "thousands", 1_000),
        ("All figures in USD thousands", "thousands", 1_000),
        ("(in 000s)", "thousands", 1_000),
        ("€k", "thousands", 1_000),
        ("Amounts in '000", "thousands", 1_000),
        ("* All amounts are in thousands of US dollars", "thousands", 1_000),
        ("NB: figures in EUR k", "thousands", 1_000),
        ("Unit: USD thousands", "thousands", 1_000),
        ("Amounts in thousand dollars", "thousands", 1_000),
        ("Amounts in $m", "millions", 1_000_000),
        ("All figures in millions", "millions", 1_000_000),
    ],
)
def test_a_note_below_the_list_stating_the_scale_is_applied(note, words, factor):
    upload = read_list([*LIST, [], [note]])
    assert errors_of(upload) == []
    # (120 + 6) x factor / 12: 10,500 a month in thousands, 10,500,000 in millions
    assert monthly_run_rate(upload) == pytest.approx(126 * factor / 12)
    assert [line.amount for line in upload.cost_base.lines] == [
        120 * factor,
        6 * factor,
    ]
    said = [issue for issue in warnings_of(upload) if "note in row" in issue.message]
    assert [(issue.row, issue.message) for issue in said] == [
        (
            5,
            f"The note in row 5, '{note}', was applied, so the amounts in Annual "
            f"cost (B) were read in {words}: each was multiplied by {factor:,}. If "
            "the note is not about this list, move it off the sheet.",
        )
    ]
    # The note is no section heading, and the blank row above it no gap.
    assert "section heading" not in messages(upload)
    assert "is blank" not in messages(upload)


def test_t3_a_note_below_the_total_row_is_applied_and_the_total_agrees():
    upload = read_list([*LIST, ["Total", 126], [], [], ["Amounts in $000"]])
    # (120,000 + 6,000) / 12 = 10,500; the total, 126 thousand, agrees
    assert monthly_run_rate(upload) == pytest.approx(10500)
    assert "The note in row 7, 'Amounts in $000', was applied" in messages(upload)
    assert "Total" not in messages(upload)


@pytest.mark.parametrize(
    "note", [[None, "Amounts in $000"], ["Note:", "Amounts in $000"], ["(in 000s)"]]
)
def test_a_note_in_any_column_just_below_the_list_is_applied(note):
    upload = read_list([*LIST, note])
    assert monthly_run_rate(upload) == pytest.approx(10500)  # 126,000 / 12
    assert "The note in row 4" in messages(upload)
    assert "total" not in messages(upload)


def test_a_note_below_a_grid_is_applied():
    upload = read_list(
        [["Item", "Jan", "Feb", "Mar"], ["M365", 1, 2, 3], [], ["Figures in $000"]]
    )
    # (1 + 2 + 3) x 1,000 / 3 = 2,000 a month
    assert monthly_run_rate(upload) == pytest.approx(2000)
    assert (
        "the amounts in Jan (B), Feb (C) and Mar (D) were read in thousands"
        in messages(upload)
    )


@pytest.mark.parametrize(
    ("tail", "warned"),
    [
        # words about something else
        ([[], ["Users supported: 1.35 thousand"]], None),
        ([[], ["Revenue figures elsewhere in $000"]], 5),
        ([[], ["Amounts in USD; revenue figures elsewhere in $000"]], 5),
        ([[], ["Note: headcount in thousands"]], 5),
        ([[], ["Amounts in $000, excluding VAT"]], 5),
        ([[], ["Amounts in USD (not in 000s)"]], None),
        # too far below the list
        ([[], [], [], [], [], ["Amounts in $000"]], 9),
        # a second table, or settings, on the sheet besides the list
        ([[], ["Amounts in $000"], ["Revenue", 5000]], 5),
        ([[], ["Headcount", 250], ["Amounts in $000"]], 6),
        # two statements of a scale below the header
        ([[], ["Amounts in $000"], ["Amounts in $m"]], 5),
    ],
)
def test_scale_words_below_the_list_that_are_not_a_plain_note_do_not_multiply(
    tail, warned
):
    upload = read_list([*LIST, *tail])
    # (120 + 6) / 12 = 10.50, read as they stand
    assert [line.amount for line in upload.cost_base.lines][:2] == [120, 6]
    assert "multiplied by" not in messages(upload)
    stray = [
        issue.row for issue in warnings_of(upload) if "not multiplied" in issue.message
    ]
    assert stray == ([] if warned is None else [warned])


@pytest.mark.parametrize(
    ("above", "header", "other"),
    [
        (
            [["IT budget FY27 (USD)"]],
            "Annual cost",
            "the title above the list says 'IT budget FY27 (USD)'",
        ),
        (
            [],
            "Annual cost (USD)",
            "the header Annual cost (USD) (B) gives the currency with no scale",
        ),
        (
            [],
            "Annual cost in $",
            "the header Annual cost in $ (B) gives the currency with no scale",
        ),
    ],
)
def test_a_note_against_plain_currency_above_is_not_applied(above, header, other):
    upload = read_list(
        [*above, ["Item", header], ["M365", 120], ["Zoom", 6], [], ["Amounts in $000"]]
    )
    assert monthly_run_rate(upload) == pytest.approx(10.5)  # (120 + 6) / 12
    row = 5 + len(above)
    assert [
        issue.message
        for issue in warnings_of(upload)
        if "not multiplied" in issue.message
    ] == [
        f"Row {row} says 'Amounts in $000', but {other}, so the amounts were read "
        "as they stand, not multiplied. If they are in thousands, say so in the "
        "amount column's header, like 'Annual cost ($000)'."
    ]


def test_a_note_saying_what_the_header_says_is_not_applied_twice():
    upload = read_list(
        [["Item", "Annual cost ($000)"], ["M365", 120], ["Zoom", 6], [], ["In $000"]]
    )
    assert monthly_run_rate(upload) == pytest.approx(10500)  # not 10,500,000
    assert "note in row" not in messages(upload)
    assert "read in thousands, as the header says" in messages(upload)


def test_a_note_against_another_scale_in_the_header_is_an_error():
    upload = read_list(
        [["Item", "Annual cost ($000)"], ["M365", 120], [], ["Amounts in millions"]]
    )
    assert upload.cost_base is None
    assert [(issue.row, issue.message) for issue in errors_of(upload)] == [
        (
            4,
            "Row 4 says 'Amounts in millions', but the header Annual cost ($000) (B) "
            "says thousands, so the amounts cannot be read without a guess. Say the "
            "unit once, in the amount column's header, like 'Annual cost ($000)'.",
        )
    ]


# A currency column stating the unit on each line.


@pytest.mark.parametrize(
    ("header", "currency", "words", "factor"),
    [
        ("Currency", "USD 000", "thousands", 1_000),
        ("Currency", "USD '000", "thousands", 1_000),
        ("Currency", "kUSD", "thousands", 1_000),
        ("Ccy", "EUR k", "thousands", 1_000),
        ("Currency code", "TUSD", "thousands", 1_000),
        ("Curr.", "USD m", "millions", 1_000_000),
    ],
)
def test_a_currency_column_stating_the_scale_on_every_line_is_applied(
    header, currency, words, factor
):
    upload = read_list(
        [
            ["Item", "Annual cost", header],
            ["M365", 120, currency],
            ["Zoom", 6, currency],
            ["Total", 126, None],
        ]
    )
    assert errors_of(upload) == []
    # (120 + 6) x factor / 12; the total 126 x factor agrees
    assert monthly_run_rate(upload) == pytest.approx(126 * factor / 12)
    said = [issue for issue in warnings_of(upload) if "every line" in issue.message]
    assert [(issue.row, issue.column, issue.message) for issue in said] == [
        (
            1,
            f"{header} (C)",
            f"{header} (C) says '{currency}' on every line, so the amounts in Annual "
            f"cost (B) were read in {words}: each was multiplied by {factor:,}.",
        )
    ]
    assert "not read" not in messages(upload)
    assert "Total" not in messages(upload)


@pytest.mark.parametrize(
    ("cells", "listed", "row"),
    [
        (
            ["USD 000", "USD", "USD 000"],
            "'USD 000' in rows 2 and 4 and 'USD' in row 3",
            3,
        ),
        (
            ["USD", "USD 000", "USD 000"],
            "'USD' in row 2 and 'USD 000' in rows 3 to 4",
            3,
        ),
        # the same scale in another currency: no rate to add them up with
        (
            ["USD 000", "EUR 000", "USD '000"],
            "'USD 000' in rows 2 and 4 and 'EUR 000' in row 3",
            3,
        ),
        (
            ["USD 000", None, "USD m"],
            "'USD 000' in row 2, nothing in row 3 and 'USD m' in row 4",
            3,
        ),
    ],
)
def test_a_currency_column_disagreeing_on_the_scale_is_an_error(cells, listed, row):
    rows = [["Item", "Annual cost", "Currency"]]
    rows += [
        [name, 120, cell] for name, cell in zip(["A", "B", "C"], cells, strict=True)
    ]
    upload = read_list(rows)
    assert upload.cost_base is None
    assert [
        (issue.row, issue.column, issue.message) for issue in errors_of(upload)
    ] == [
        (
            row,
            "Currency (C)",
            f"Currency (C) does not give the same unit on every line: {listed}, so "
            "the amounts cannot be read without a guess. Make the lines agree, like "
            "'USD 000' on every line, or split the list.",
        )
    ]


def test_a_column_of_plain_currency_codes_is_left_as_it_was():
    upload = read_list(
        [["Item", "Annual cost", "Currency"], ["M365", 120, "USD"], ["Zoom", 6, "USD"]]
    )
    assert monthly_run_rate(upload) == pytest.approx(10.5)  # (120 + 6) / 12
    assert "multiplied" not in messages(upload)
    assert "Currency (C) was not read" in messages(upload)


def test_a_currency_column_against_plain_currency_in_the_header_is_not_applied():
    upload = read_list(
        [["Item", "Annual cost (USD)", "Currency"], ["M365", 120, "USD 000"]]
    )
    assert monthly_run_rate(upload) == pytest.approx(10)  # 120 / 12
    assert (
        "Currency (C) says 'USD 000' on every line, but the header Annual cost (USD) "
        "(B) gives the currency with no scale, so the amounts were read as they "
        "stand, not multiplied."
    ) in messages(upload)


# Month grids: the average month is over the months the header has, and the
# user is told which.


@pytest.mark.parametrize(
    ("header", "missing", "present", "first", "last"),
    [
        ([m for m in MONTHS if m != "Mar"], "no Mar column", 11, "Jan (B)", "Dec (L)"),
        (
            [m for m in MONTHS if m not in ("Mar", "Jul")],
            "no Mar and Jul columns",
            10,
            "Jan (B)",
            "Dec (K)",
        ),
        # a fiscal year, Jul to Jun, without Jan
        (
            [m for m in MONTHS[6:] + MONTHS[:6] if m != "Jan"],
            "no Jan column",
            11,
            "Jul (B)",
            "Jun (L)",
        ),
        (
            [f"{m}-26" for m in MONTHS if m != "Mar"],
            "no Mar 2026 column",
            11,
            "Jan-26 (B)",
            "Dec-26 (L)",
        ),
    ],
)
def test_a_grid_missing_a_month_warns_and_averages_the_months_present(
    header, missing, present, first, last
):
    upload = read_list([["Item", *header], ["M365", *[1000] * len(header)]])
    # 1,000 a month in each month present: 11 x 1,000 / 11 = 1,000, not 11,000 / 12
    assert monthly_run_rate(upload) == pytest.approx(1000)
    total = present + (2 if "and" in missing else 1)
    names = missing.removeprefix("no ").removesuffix(" column").removesuffix(" columns")
    assert [
        issue.message
        for issue in warnings_of(upload)
        if "The header has" in issue.message
    ] == [
        f"The header has {missing}, so each line costs its average month over the "
        f"{present} months present ({first} to {last}), not over {total} with "
        f"{names} as 0. Add the column{'s' if 'and' in missing else ''} if {names} "
        "had costs."
    ]


def test_a_quarter_grid_missing_a_quarter_warns():
    upload = read_list([["Item", "Q1", "Q2", "Q4"], ["Servers", 3000, 3000, 3000]])
    # 9,000 over 3 quarters is 3,000 a quarter, 1,000 a month
    assert monthly_run_rate(upload) == pytest.approx(1000)
    assert "The header has no Q3 column" in messages(upload)


@pytest.mark.parametrize(
    "header",
    [MONTHS, MONTHS[3:], MONTHS[6:] + MONTHS[:6], ["Q1", "Q2", "Q3", "Q4"]],
)
def test_a_grid_of_consecutive_months_says_nothing_is_missing(header):
    upload = read_list([["Item", *header], ["M365", *[1000] * len(header)]])
    assert "The header has no" not in messages(upload)


def test_two_years_of_months_without_years_say_which_months_were_read():
    upload = read_list(
        [["Item", *MONTHS, *MONTHS], ["M365", *[1000] * 12, *[2000] * 12]]
    )
    # the first run is read: 12 x 1,000 / 12 = 1,000 a month
    assert monthly_run_rate(upload) == pytest.approx(1000)
    assert [
        issue.message for issue in warnings_of(upload) if "(N)" in issue.message
    ] == [
        "Jan (N) to Dec (Y) name months the header already has, with no year to "
        "tell them apart, so they were not read: each line costs its average month "
        "of Jan (B) to Dec (M) only. Add the year to each month's header, like "
        "Jan-26, to read them all."
    ]
    assert "not read: this sheet is read as" not in messages(upload)


def test_two_years_of_months_with_years_cost_the_latest_year():
    header = [f"{m}-25" for m in MONTHS] + [f"{m}-26" for m in MONTHS]
    upload = read_list([["Item", *header], ["M365", *[1000] * 12, *[2000] * 12]])
    # 12 x 2,000 / 12 = 2,000 a month, 2025's months left out and said
    assert monthly_run_rate(upload) == pytest.approx(2000)
    assert "already has" not in messages(upload)
    assert "the 12 earlier months (Jan-25 (B) to Dec-25 (M))" in messages(upload)


def test_a_title_saying_another_scale_than_the_header_is_an_error():
    upload = read_list(
        [["IT budget FY27 (USD m)"], ["Item", "Annual cost ($000)"], ["M365", 120]]
    )
    assert upload.cost_base is None
    assert [(issue.row, issue.message) for issue in errors_of(upload)] == [
        (
            2,
            "The title above the list says 'IT budget FY27 (USD m)', but the header "
            "Annual cost ($000) (B) says thousands, so the amounts cannot be read "
            "without a guess. Say the unit once, in the amount column's header, like "
            "'Annual cost ($000)'.",
        )
    ]


@pytest.mark.parametrize(
    ("rows", "row", "words"),
    [
        # a note too far below to be applied, against the header
        (
            [["Item", "Annual cost ($000)"], ["M365", 120], ["Zoom", 6]]
            + [[]] * 5
            + [["Amounts in millions"]],
            9,
            "thousands",
        ),
        # a note against a Currency column that says 'USD 000' on every line
        (
            [
                ["Item", "Annual cost", "Currency"],
                ["M365", 120, "USD 000"],
                ["Zoom", 6, "USD 000"],
                [],
                ["Amounts in millions"],
            ],
            5,
            "thousands",
        ),
    ],
)
def test_another_scale_said_below_a_scaled_list_is_warned(rows, row, words):
    upload = read_list(rows)
    # read in thousands: (120,000 + 6,000) / 12 = 10,500
    assert monthly_run_rate(upload) == pytest.approx(10500)
    assert [
        (issue.row, issue.message)
        for issue in warnings_of(upload)
        if "Check which is right" in issue.message
    ] == [
        (
            row,
            f"Row {row} says 'Amounts in millions', but the amounts were read in "
            f"{words}. Check which is right, and say the unit once, in the amount "
            "column's header, like 'Annual cost ($000)'.",
        )
    ]


# Scale words in a title that state no unit: a rounding, a sum, a negation.


@pytest.mark.parametrize(
    "title",
    [
        "IT budget, amounts rounded to the nearest thousand",
        "Items under one thousand dollars are excluded",
        "IT budget (USD, not in thousands)",
        "IT budget - not in $000",
        "Rounded to the nearest $000",
    ],
)
def test_a_title_with_scale_words_that_state_no_unit_is_not_applied(title):
    upload = read_list(
        [[title], ["Item", "Annual cost"], ["Zoom", 12000], ["Slack", 24000]]
    )
    assert errors_of(upload) == []
    # (12,000 + 24,000) / 12 = 3,000.00, as written
    assert round(monthly_run_rate(upload), 2) == 3000.00
    assert [line.amount for line in upload.cost_base.lines] == [12000, 24000]
    assert "thousand" not in messages(upload)
    assert "multiplied" not in messages(upload)


def test_a_title_stating_the_unit_says_the_title_not_the_header_is_its_source():
    title = "IT budget in USD thousands, rounded to the nearest thousand"
    upload = read_list([[title], ["Item", "Annual cost"], ["Zoom", 12], ["Slack", 24]])
    # (12,000 + 24,000) / 12 = 3,000.00
    assert round(monthly_run_rate(upload), 2) == 3000.00
    said = [i.message for i in warnings_of(upload) if "thousands" in i.message]
    assert said == [
        "The amounts in Annual cost (B) are read in thousands, as the title above "
        f"the list says ('{title}'): each was multiplied by 1,000."
    ]
    assert "as the header says" not in messages(upload)
