"""Numbers as people type them: separators, currencies, percentages, sizes, rates.

The rule behind every test here: a text number is read the way its whole file
writes numbers, or it is an error naming its cell; never a quietly wrong number.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsu.ingest import Upload, read_upload
from cpsu.ingest.cells import (
    CellError,
    Conventions,
    format_number,
    parse_number_text,
    read_count,
    read_money,
    read_number,
    read_rate,
)
from cpsu.ingest.conventions import NumberCell, decide_conventions
from cpsu.ingest.issues import Severity
from tests.ingest_fixtures import (
    SERVICE_DESK_ROWS,
    canonical_bytes,
    cost_row,
    csv_bytes,
    errors_of,
    issue_at,
    warnings_of,
)

AMOUNT = "Amount (D)"
UNIT_COST = "Unit cost (F)"
ITSM = cost_row("ITSM", "Support tools", "Fixed", amount=100)


def _fixed(item: str, amount: object) -> list[object]:
    return cost_row(item, "Support tools", "Fixed", amount=amount)


def _amounts(upload: Upload) -> list[float | None]:
    assert upload.cost_base is not None, [str(issue) for issue in upload.issues]
    return [line.amount for line in upload.cost_base.lines]


def _book(*amounts: object) -> Upload:
    rows = [_fixed(f"Line {n}", amount) for n, amount in enumerate(amounts)]
    return read_upload(canonical_bytes(rows), "a.xlsx")


def _csv(*amounts: object, delimiter: str = ",") -> Upload:
    rows = [
        ["Item", "Pool", "Behaviour", "Amount"],
        *[[f"Line {n}", "Support tools", "Fixed", a] for n, a in enumerate(amounts)],
    ]
    return read_upload(csv_bytes(rows, delimiter=delimiter), "costs.csv")


# 1. Separators: each text number's readings


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        # Both separators: the last one marks decimals.
        ("1,234.50", {".": 1234.5}),
        ("1.234,50", {",": 1234.5}),
        ("36.000,00", {",": 36000.0}),
        # A separator not followed by exactly three digits marks decimals.
        ("0,40", {",": 0.4}),
        ("1,5", {",": 1.5}),
        ("0.40", {".": 0.4}),
        ("12.5", {".": 12.5}),
        ("2,20", {",": 2.2}),
        # A separator used twice groups thousands: the other mark is decimal.
        ("1.234.567", {",": 1234567.0}),
        ("1,234,567", {".": 1234567.0}),
        # One separator then exactly three digits: both readings.
        ("1.500", {".": 1.5, ",": 1500.0}),
        ("39,000", {".": 39000.0, ",": 39.0}),
        ("84.000", {".": 84.0, ",": 84000.0}),
        # A group cannot start with 0, or have four digits: decimal after all.
        ("0.500", {".": 0.5}),
        ("1234.567", {".": 1234.567}),
        # No separator in question: both marks agree.
        ("1500", {".": 1500.0, ",": 1500.0}),
        ("1 234", {".": 1234.0, ",": 1234.0}),
        ("1e3", {".": 1000.0, ",": 1000.0}),
        ("1.5e3", {".": 1500.0}),
        ("-", {".": 0.0, ",": 0.0}),
        # Signs, brackets, currency and percent around the digits.
        ("(1,200)", {".": -1200.0, ",": -1.2}),
        ("12,5%", {",": 0.125}),
        ("€36.000,00", {",": 36000.0}),
    ],
)
def test_the_readings_of_a_text_number(text, readings):
    parsed = parse_number_text(text)
    assert parsed is not None
    assert dict(parsed.readings) == pytest.approx(readings)


@pytest.mark.parametrize("text", ["36000.", "1,234.5.6", "1.2.3,4,5", "12 34", "1,5e3"])
def test_text_no_convention_reads(text):
    assert parse_number_text(text) is None
    with pytest.raises(CellError, match="not a number"):
        read_number(text)


@pytest.mark.parametrize(
    ("text", "big", "small"),
    [
        ("1.500", "1,500", "1.5"),
        ("39,000", "39,000", "39"),
        ("$1,234", "1,234", "1.234"),
    ],
)
def test_an_ambiguous_cell_alone_asks_for_a_plain_number(text, big, small):
    plain = big.replace(",", "")
    with pytest.raises(CellError) as raised:
        read_number(text)
    assert str(raised.value) == (
        f"is '{text}', which could be {big} or {small}; write it as a plain number "
        f"({plain} or {small}) or format the cell as a number"
    )


# 1. Separators: one decision for the whole file


def test_a_comma_decimal_workbook_reads_every_text_number_its_way():
    # The tester's case: '36.000,00' shows comma decimals, so '84.000' and
    # '12.000' group thousands: 84,000 and 12,000, not 84 and 12.
    upload = _book("36.000,00", "84.000", "12.000")
    assert _amounts(upload) == [36000.0, 84000.0, 12000.0]
    (warning,) = warnings_of(upload)
    assert warning.sheet == "Costs"
    assert "with a comma marking decimals" in warning.message
    assert "'36.000,00' in Costs, row 2, column Amount (D)" in warning.message
    assert "'84.000' (row 3, column Amount (D)) as 84000, not 84" in warning.message
    assert "'12.000' (row 4, column Amount (D)) as 12000, not 12" in warning.message


def test_votes_from_another_column_decide_a_cell():
    # '0,40' (a chat fee per user) shows comma decimals, so '39,000' is 39.000 =
    # 39, the price of a licence, not 39,000.
    rows = [
        cost_row("M365", "Productivity software", "Per user", unit_cost="39,000"),
        cost_row(
            "Chat", "Service desk (Tier 1)", "Per ticket", unit_cost="0,40", tier="T1"
        ),
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert upload.cost_base is not None
    assert [line.unit_cost for line in upload.cost_base.lines] == [39.0, 0.4]
    warning = issue_at(upload, "Costs", 2, UNIT_COST)
    assert "'39,000' (row 2, column Unit cost (F)) as 39, not 39000" in warning.message


def test_votes_from_other_sheets_count():
    # The Service desk's '0,7' and '12,5%' show comma decimals; the Headcount's
    # '1.200' employees are then 1,200.
    desk = [
        ["Parameter", "Value"],
        ["Resolution rate", "0,7"],
        ["Deflection", "12,5%"],
    ]
    headcount = [["Quarter", "Employees", "Contingent"], ["2026-Q4", "1.200", 0]]
    upload = read_upload(
        canonical_bytes([_fixed("ITSM", 100)], headcount=headcount, service_desk=desk),
        "a.xlsx",
    )
    assert errors_of(upload) == []
    assert upload.headcount is not None
    assert upload.headcount.rows[0].employees == 1200
    assert upload.scenario is not None
    assert upload.scenario.service_desk.resolution_rate == pytest.approx(0.7)
    assert upload.scenario.service_desk.deflection == pytest.approx(0.125)
    warning = issue_at(upload, "Headcount", 2, "Employees (B)")
    assert "as 1200, not 1.2" in warning.message
    assert "'0,7' in Service desk, row 2, column Value (B)" in warning.message


def test_a_file_whose_cells_agree_with_each_other_reads_without_a_warning():
    # Every cell shows its own decimal mark; none is read by the file's alone.
    assert _book("1,234.50", "0.40", "12,345,678").issues == ()
    assert _amounts(_book("1,234.50", "0.40", "12,345,678")) == [
        1234.5,
        0.4,
        12345678.0,
    ]
    upload = _book("1.234.567", "2,5")
    assert upload.issues == ()
    assert _amounts(upload) == [1234567.0, 2.5]


def test_a_cell_that_contradicts_the_majority_is_an_error_on_that_cell():
    # Two cells show comma decimals ('0,40', '2,5'), one a dot ('1,234.50').
    upload = _book("0,40", "2,5", "1,234.50")
    (issue,) = errors_of(upload)
    assert (issue.row, issue.column) == (4, AMOUNT)
    assert issue.message == (
        "Amount (D) is '1,234.50', which reads as a number only if a dot marks "
        "decimals, but this file marks decimals with a comma (as in '0,40' in "
        "Costs, row 2, column Amount (D)); write it as a plain number (1234.5) or "
        "format the cell as a number."
    )
    assert upload.cost_base is None


def test_with_votes_tied_every_voting_cell_is_an_error():
    # One cell for each mark: neither can be the file's.
    upload = _book("0,40", "0.40", "1500")
    assert [issue.row for issue in errors_of(upload)] == [2, 3]
    assert all("plain number (0.4)" in issue.message for issue in errors_of(upload))
    assert upload.cost_base is None


@pytest.mark.parametrize("ambiguous", ["1.500", "39,000", "2.750", "(1,200)"])
def test_with_no_votes_an_ambiguous_cell_is_an_error(ambiguous):
    # Numeric cells hold no separator and do not vote; nor does text in Notes.
    rows = [
        _fixed("A", 1234.5),
        [*_fixed("B", ambiguous)[:15], "flat fee up to 3,000.50 identities"],
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    issue = issue_at(upload, "Costs", 3, AMOUNT)
    assert issue.severity is Severity.ERROR
    assert "which could be" in issue.message
    assert upload.cost_base is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("$1,234", 1234.0), ("USD 6,500", 6500.0), ("£1,200", 1200.0), ("$1.500", 1.5)],
)
def test_dollars_and_pounds_are_written_with_a_decimal_dot(text, value):
    # A grouped amount in $ or £ settles the file's mark: '$1,234' is 1,234
    # dollars wherever it is written, and '$1.500' one and a half.
    upload = read_upload(canonical_bytes([_fixed("A", text)]), "a.xlsx")
    assert not errors_of(upload)
    assert upload.cost_base.lines[0].amount == value


def test_a_comma_csv_with_no_votes_refuses_each_ambiguous_cell():
    # The tester's comma CSV: '1.500' read as 1.5 and '39,000' as 39000 before.
    # '1 234' groups with a space and votes for neither mark.
    upload = _csv("1.500", "39,000", "1 234")
    assert [(issue.row, issue.column) for issue in errors_of(upload)] == [
        (2, AMOUNT),
        (3, AMOUNT),
    ]
    assert "'1.500', which could be 1,500 or 1.5" in errors_of(upload)[0].message
    assert "'39,000', which could be 39,000 or 39" in errors_of(upload)[1].message


def test_a_semicolon_csv_leans_to_the_comma_only_to_break_a_tie():
    # No votes: the semicolon decides, and the warning gives both readings.
    upload = _csv("1.500", "2.000", delimiter=";")
    assert _amounts(upload) == [1500.0, 2000.0]
    (warning,) = warnings_of(upload)
    assert "'1.500' (row 2, column Amount (D)) as 1500, not 1.5" in warning.message
    assert "'2.000' (row 3, column Amount (D)) as 2000, not 2" in warning.message
    assert "as semicolon-separated files write them" in warning.message
    assert "if you meant a fraction" not in warning.message

    # Votes for the dot win over the semicolon: 1,500.00 and 0.40 against none.
    upload = _csv("1,500.00", "0.40", "1.500", delimiter=";")
    assert _amounts(upload) == [1500.0, 0.4, 1.5]
    (warning,) = warnings_of(upload)
    assert "'1.500' (row 4, column Amount (D)) as 1.5, not 1500" in warning.message

    # A tie of one vote each is broken towards the comma; the dot cell is refused.
    upload = _csv("0,40", "0.40", delimiter=";")
    (issue,) = errors_of(upload)
    assert (issue.row, issue.column) == (3, AMOUNT)


def test_a_warning_names_each_cell_read_by_the_files_mark_up_to_twenty():
    # 23 ambiguous cells: the first 20 named ('20.000' on row 22), "3 more".
    upload = _book("0,5", *[f"{n}.000" for n in range(1, 24)])
    assert _amounts(upload) == [0.5, *[n * 1000.0 for n in range(1, 24)]]
    (warning,) = warnings_of(upload)
    assert "'5.000' (row 7, column Amount (D)) as 5000, not 5" in warning.message
    assert "'20.000' (row 22, column Amount (D)) as 20000, not 20" in warning.message
    assert "'21.000'" not in warning.message
    assert "and 3 more like them" in warning.message


def test_decide_conventions_counts_votes():
    def cells(*texts: str) -> list[NumberCell]:
        return [NumberCell(text, "S", n + 1, "A") for n, text in enumerate(texts)]

    # 2 votes for the comma ('0,4', '1.234.567'), 1 for the dot ('0.4').
    conventions, _ = decide_conventions(cells("0,4", "0.4", "1.234.567", "1.500"))
    assert conventions.decimal == ","
    assert conventions.example == "'0,4' in S, row 1, column A"
    conventions, issues = decide_conventions(cells("1.500", "7"))
    assert (conventions.decimal, issues) == (None, [])
    conventions, _ = decide_conventions(cells("1.500"), semicolon=True)
    assert conventions.decimal == ","
    conventions, _ = decide_conventions(cells("0,4", "0.4"))
    assert (conventions.decimal, conventions.mixed_decimals) == (None, True)


# A convention and an amount, written as text the way that convention writes it.
_CONVENTION = st.sampled_from([".", ","])
# Any amount, and often one with a single group of thousands (1,000 to
# 999,999.99), which written whole ('84.000') could be read either way.
_CENTS = st.one_of(st.integers(0, 10**11), st.integers(100_000, 99_999_999))


def _write(cents: int, decimal: str, *, whole: bool = False) -> str:
    """An amount the way a file with `decimal` marks writes it: 1,234.50 or 1.234,50."""
    text = f"{cents // 100:,}" if whole else f"{cents / 100:,.2f}"
    if decimal == ",":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    decimal=_CONVENTION,
    decisive=st.lists(_CENTS, min_size=1, max_size=4),
    whole=st.lists(
        st.one_of(st.integers(0, 10**9), st.integers(1000, 999_999)), max_size=4
    ),
)
def test_a_file_written_one_way_is_read_exactly(decimal, decisive, whole):
    # Amounts with cents always show the mark; whole amounts ('84.000') may not,
    # and are read by the file's convention, which the decisive ones set.
    texts = [_write(c, decimal) for c in decisive]
    texts += [_write(units * 100, decimal, whole=True) for units in whole]
    upload = _book(*texts)
    expected = [c / 100 for c in decisive] + [float(units) for units in whole]
    assert errors_of(upload) == []
    assert _amounts(upload) == pytest.approx(expected, rel=1e-15)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(
        st.tuples(_CENTS, _CONVENTION, st.booleans()), min_size=1, max_size=6
    ),
    delimiter=st.sampled_from([",", ";"]),
)
def test_a_number_is_never_read_wrong_without_a_message_on_its_cell(cells, delimiter):
    # Each cell is written by its own convention, as in a file pasted together.
    # A cell is read as its writer meant, or a warning says what it was read as,
    # or the file has an error and gives no cost base.
    texts = [_write(c, mark, whole=whole) for c, mark, whole in cells]
    upload = _csv(*texts, delimiter=delimiter)
    if upload.cost_base is None:
        assert upload.has_errors
        return
    for n, ((cents, _, whole), line) in enumerate(
        zip(cells, upload.cost_base.lines, strict=True)
    ):
        meant = float(cents // 100) if whole else cents / 100
        if line.amount == pytest.approx(meant, rel=1e-15):
            continue
        said = f"(row {n + 2}, column Amount (D)) as {format_number(line.amount)},"
        assert any(said in issue.message for issue in warnings_of(upload)), (
            texts[n],
            line.amount,
            [str(issue) for issue in upload.issues],
        )


# 2. Currencies other than dollars


@pytest.mark.parametrize(
    ("text", "amount", "shown"),
    [
        ("€36,000.00", 36000.0, "€"),
        ("£1,200.50", 1200.5, "£"),
        ("EUR 100", 100.0, "EUR"),
        ("36.000,00 €", 36000.0, "€"),
        ("A$99.95", 99.95, "A$"),
    ],
)
def test_another_currency_is_read_as_written_with_one_warning(text, amount, shown):
    upload = _book(text)
    assert _amounts(upload) == [amount]
    (warning,) = warnings_of(upload)
    assert warning.message.startswith(
        f"Amounts are shown as $; this file uses {shown} (row 2, column Amount (D)): "
        f"the figures are read as they are written, so CPSU is in {shown}."
    )
    assert (warning.sheet, warning.row, warning.column) == ("Costs", 2, AMOUNT)


@pytest.mark.parametrize("text", ["$36,000.00", "36,000.00 USD", "US$ 36,000.00"])
def test_dollars_need_no_warning(text):
    upload = _book(text)
    assert upload.issues == ()
    assert _amounts(upload) == [36000.0]


def test_one_warning_for_a_whole_file_naming_the_first_cells():
    # Seven euro cells in two columns: one warning, five places and "2 more".
    rows = [_fixed(f"L{n}", f"€{n}.50") for n in range(6)]
    rows.append(
        cost_row("Seats", "Productivity software", "Per user", unit_cost="EUR 9.00")
    )
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    (warning,) = upload.issues
    assert "this file uses € (row 2, column Amount (D); row 3" in warning.message
    assert "2 more)" in warning.message
    assert upload.cost_base is not None


def test_mixed_currencies_are_an_error_on_each_cell_of_the_minority():
    # Three in euros (two as €, one as EUR), one in pounds, one in dollars.
    upload = _book("€1.00", "EUR 2.00", "€3.00", "£4.00", "$5.00")
    assert [(issue.row, issue.column) for issue in errors_of(upload)] == [
        (5, AMOUNT),
        (6, AMOUNT),
    ]
    assert errors_of(upload)[0].message == (
        "Amount (D) is in £, but most amounts in this file are in € (3 cells); "
        "convert to one currency."
    )
    assert "CPSU is in €" in warnings_of(upload)[0].message
    assert upload.cost_base is None


def test_two_currencies_used_as_often_are_both_refused():
    upload = _book("$1.00", "€2.00")
    assert [issue.row for issue in errors_of(upload)] == [2, 3]
    assert all("convert them to one currency" in i.message for i in upload.issues)


def test_a_csv_in_pounds_says_so():
    upload = _csv("£1,200.00", "£15.50")
    assert _amounts(upload) == [1200.0, 15.5]
    assert "CPSU is in £" in warnings_of(upload)[0].message


def _header_with(amount_header: str) -> list[str]:
    return ["Item", "Pool", "Behaviour", amount_header]


@pytest.mark.parametrize(
    ("header", "shown"),
    [("Amount (EUR)", "EUR"), ("Cost in GBP", "GBP"), ("Amount €", "€")],
)
def test_a_money_header_naming_another_currency_warns_too(header, shown):
    # The numbers below are plain, but the header says what they are in.
    upload = read_upload(
        canonical_bytes([_fixed("ITSM", 100)], cost_header=_header_with(header)),
        "a.xlsx",
    )
    assert _amounts(upload) == [100.0]
    (warning,) = upload.issues
    assert f"this file uses {shown} (row 1, column {header} (D))" in warning.message
    assert f"so CPSU is in {shown}" in warning.message


@pytest.mark.parametrize("header", ["Amount (USD)", "Cost ($)", "Amount"])
def test_a_money_header_in_dollars_is_quiet(header):
    upload = read_upload(
        canonical_bytes([_fixed("ITSM", 100)], cost_header=_header_with(header)),
        "a.xlsx",
    )
    assert upload.issues == ()


def test_a_header_in_one_currency_over_amounts_in_another_is_an_error():
    # 'Amount (EUR)' over two amounts written in dollars: the header is the odd
    # one out, and the file cannot be read until it is one currency.
    upload = read_upload(
        canonical_bytes(
            [_fixed("A", "$1.00"), _fixed("B", "$2.00")],
            cost_header=_header_with("Amount (EUR)"),
        ),
        "a.xlsx",
    )
    (issue,) = errors_of(upload)
    assert (issue.row, issue.column) == (1, "Amount (EUR) (D)")
    assert "is in EUR, but most amounts in this file are in $ (2 cells)" in (
        issue.message
    )
    assert upload.cost_base is None


@pytest.mark.parametrize(
    ("field", "column"),
    [("users_per_unit", "Users per unit (G)"), ("escalation", "Escalation (N)")],
)
def test_money_where_a_count_or_rate_belongs_is_an_error(field, column):
    upload = read_upload(
        canonical_bytes([cost_row(**{**_step_fields(), field: "$50.00"})]), "a.xlsx"
    )
    issue = issue_at(upload, "Costs", 2, column)
    assert "an amount of money where" in issue.message


def _step_fields() -> dict[str, object]:
    return {
        "item": "Kits",
        "pool": "Desktop support",
        "behaviour": "Step",
        "unit_cost": 100,
        "users_per_unit": 50,
    }


# 3. A percentage where an amount is expected


@pytest.mark.parametrize(
    ("fields", "column"),
    [
        ({"behaviour": "Fixed", "amount": "12%"}, AMOUNT),
        ({"behaviour": "Per user", "unit_cost": "12%"}, UNIT_COST),
        ({"behaviour": "Per user", "unit_cost": "0,5 %"}, UNIT_COST),
        ({"behaviour": "Step", "unit_cost": 5, "users_per_unit": "50%"}, None),
    ],
)
def test_a_percentage_in_a_money_or_count_column_is_an_error(fields, column):
    row = cost_row("Line", "Support tools", **fields)
    upload = read_upload(canonical_bytes([row]), "a.xlsx")
    (issue,) = errors_of(upload)
    if column is not None:
        assert issue.column == column
        assert "a percentage where an amount is expected" in issue.message
    else:
        assert "a percentage where a number is expected" in issue.message
    assert upload.cost_base is None


def test_percentages_stay_valid_in_rate_columns():
    row = cost_row("ITSM", "Support tools", "Fixed", amount=100, escalation="12%")
    desk = [["Parameter", "Value"], ["Resolution rate", "70%"], ["Deflection", "10%"]]
    assumptions = [["Parameter", "Value"], ["Growth per quarter", "8%"]]
    upload = read_upload(
        canonical_bytes([row], service_desk=desk, assumptions=assumptions), "a.xlsx"
    )
    assert errors_of(upload) == []
    assert upload.cost_base is not None and upload.scenario is not None
    assert upload.cost_base.lines[0].escalation == pytest.approx(0.12)
    assert upload.scenario.growth_per_quarter == pytest.approx(0.08)
    assert upload.scenario.service_desk.resolution_rate == pytest.approx(0.7)


# 4. Implausible values


@pytest.mark.parametrize(
    ("fields", "column"),
    [
        ({"behaviour": "Per user", "unit_cost": 1e300}, UNIT_COST),
        ({"behaviour": "Fixed", "amount": 1e300}, AMOUNT),
        ({"behaviour": "Fixed", "amount": -2e12}, AMOUNT),
        ({"behaviour": "Fixed", "amount": "1e13"}, AMOUNT),
        ({"behaviour": "Fixed", "amount": "1,000,000,000,000.01"}, AMOUNT),
    ],
)
def test_money_above_a_trillion_is_an_error(fields, column):
    upload = read_upload(canonical_bytes([cost_row("X", "Other", **fields)]), "a.xlsx")
    issue = issue_at(upload, "Costs", 2, column)
    assert issue.severity is Severity.ERROR
    assert "too large to be a monthly cost; check the cell" in issue.message


def test_a_trillion_itself_is_allowed():
    assert _amounts(_book(1e12, -1e12)) == [1e12, -1e12]


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "NaN", "1e400", "Infinity"])
def test_non_finite_numbers_are_errors(text):
    upload = _book(text)
    assert "not a number" in issue_at(upload, "Costs", 2, AMOUNT).message
    with pytest.raises(CellError):
        read_number(float(text) if text != "Infinity" else math.inf)


@pytest.mark.parametrize(
    ("users", "units_per_user"),
    [(0.5, "2"), (0.25, "4"), (0.8, "1.25")],  # 1 / 0.5 = 2; 1 / 0.25 = 4; 1 / 0.8
)
def test_users_per_unit_below_one_warns(users, units_per_user):
    row = cost_row(**{**_step_fields(), "users_per_unit": users})
    upload = read_upload(canonical_bytes([row]), "a.xlsx")
    assert upload.cost_base is not None
    warning = issue_at(upload, "Costs", 2, "Users per unit (G)")
    assert warning.severity is Severity.WARNING
    assert f"({units_per_user} units for each user)" in warning.message


def test_users_per_unit_of_one_or_more_is_quiet():
    row = cost_row(**{**_step_fields(), "users_per_unit": 1})
    assert read_upload(canonical_bytes([row]), "a.xlsx").issues == ()


@pytest.mark.parametrize(
    ("cell", "shown"), [("150%", "150%"), (150, "150, read as 150%"), ("101%", "101%")]
)
def test_escalation_above_100_percent_a_year_is_an_error(cell, shown):
    row = cost_row("ITSM", "Support tools", "Fixed", amount=100, escalation=cell)
    upload = read_upload(canonical_bytes([row]), "a.xlsx")
    issue = issue_at(upload, "Costs", 2, "Escalation (N)")
    assert issue.severity is Severity.ERROR
    assert f"is {shown} a year, more than 100%" in issue.message


@pytest.mark.parametrize("weight", [2, 1.5, "150%"])
def test_a_contingent_weight_above_one_warns(weight):
    desk = [*SERVICE_DESK_ROWS[:-1], ["Contingent weight", weight]]
    upload = read_upload(canonical_bytes([_fixed("X", 1)], service_desk=desk), "a.xlsx")
    assert upload.scenario is not None
    warning = issue_at(upload, "Service desk", 8, "Value (B)")
    assert "counts each contingent worker as more than one user" in warning.message


def test_zero_tickets_per_user_warns():
    desk = [["Parameter", "Value"], ["Tickets per user per month", 0]]
    upload = read_upload(canonical_bytes([_fixed("X", 1)], service_desk=desk), "a.xlsx")
    assert upload.scenario is not None
    warning = issue_at(upload, "Service desk", 2, "Value (B)")
    assert "Tickets per user per month is 0" in warning.message


def test_counts_refuse_percentages_currencies_and_huge_values():
    assert read_count("1 234").value == 1234.0
    for text, words in [("5%", "percentage"), ("$5", "money"), ("1e13", "too large")]:
        with pytest.raises(CellError, match=words):
            read_count(text)
    with pytest.raises(CellError, match="percentage"):
        read_money("5%")


# 5. One rule for every rate


_RATE_FIELDS = [
    # (sheet, parameter, how a warning says the period)
    ("Costs", "Escalation", " a year"),
    ("Assumptions", "Growth per quarter", " a quarter"),
    ("Service desk", "Resolution rate", ""),
    ("Service desk", "Desk-side share", ""),
    ("Service desk", "Deflection", ""),
    ("Service desk", "Deflection step per quarter", " a quarter"),
    ("Service desk", "Deflection cap", ""),
]


def _rate_upload(sheet: str, parameter: str, cell: object) -> Upload:
    if sheet == "Costs":
        row = cost_row("ITSM", "Support tools", "Fixed", amount=100, escalation=cell)
        return read_upload(canonical_bytes([row]), "a.xlsx")
    rows = [["Parameter", "Value"], [parameter, cell]]
    if parameter == "Deflection":  # keep it under the default cap of 45%
        rows.append(["Deflection cap", 1])
    if sheet == "Assumptions":
        return read_upload(canonical_bytes([ITSM], assumptions=rows), "a.xlsx")
    return read_upload(canonical_bytes([ITSM], service_desk=rows), "a.xlsx")


def _rate_value(upload: Upload, parameter: str) -> float:
    if parameter == "Escalation":
        assert upload.cost_base is not None
        return upload.cost_base.lines[0].escalation
    assert upload.scenario is not None, [str(issue) for issue in upload.issues]
    if parameter == "Growth per quarter":
        return upload.scenario.growth_per_quarter
    name = {
        "Resolution rate": "resolution_rate",
        "Desk-side share": "deskside_share",
        "Deflection": "deflection",
        "Deflection step per quarter": "deflection_step",
        "Deflection cap": "deflection_cap",
    }[parameter]
    return getattr(upload.scenario.service_desk, name)


@pytest.mark.parametrize(("sheet", "parameter", "per"), _RATE_FIELDS)
def test_a_plain_number_above_one_is_a_percent_in_every_rate_field(
    sheet, parameter, per
):
    # 8 written plainly is 8% = 0.08, said in a warning; '8%' and 0.08 are quiet.
    upload = _rate_upload(sheet, parameter, 8)
    assert _rate_value(upload, parameter) == pytest.approx(0.08)
    (warning,) = [i for i in warnings_of(upload) if "read as 8%" in i.message]
    assert f"is 8, read as 8%{per} (0.08); write it as 8% to be sure." in (
        warning.message
    )
    for cell in ("8%", 0.08):
        upload = _rate_upload(sheet, parameter, cell)
        assert _rate_value(upload, parameter) == pytest.approx(0.08)
        assert not any("read as" in i.message for i in warnings_of(upload))


@pytest.mark.parametrize(("sheet", "parameter", "per"), _RATE_FIELDS)
def test_a_rate_above_100_percent_is_an_error_in_every_rate_field(
    sheet, parameter, per
):
    # 140 is read as 140%, beyond every rate's range.
    upload = _rate_upload(sheet, parameter, 140)
    (issue,) = errors_of(upload)
    assert "140, read as 140%" in issue.message


def test_growth_per_quarter_the_tester_wrote_as_8_is_8_percent():
    # Before: 8 was read as 800% a quarter.
    upload = _rate_upload("Assumptions", "Growth per quarter", 8)
    assert upload.scenario is not None
    assert upload.scenario.growth_per_quarter == pytest.approx(0.08)
    warning = issue_at(upload, "Assumptions", 2, "Value (B)")
    assert warning.message == (
        "Growth per quarter is 8, read as 8% a quarter (0.08); write it as 8% to be "
        "sure."
    )


@pytest.mark.parametrize(("cell", "words"), [("150%", "more than 100%"), (-1, "-100")])
def test_growth_outside_minus_100_to_100_percent_is_an_error(cell, words):
    upload = _rate_upload("Assumptions", "Growth per quarter", cell)
    assert words in issue_at(upload, "Assumptions", 2, "Value (B)").message
    assert upload.scenario is None


def test_a_negative_plain_number_beyond_minus_one_is_a_negative_percent():
    # -5 is -5% (-0.05), in the step, where a fall is allowed.
    upload = _rate_upload("Service desk", "Deflection step per quarter", -5)
    assert _rate_value(upload, "Deflection step per quarter") == pytest.approx(-0.05)


@settings(max_examples=60, deadline=None)
@given(
    hundredths=st.integers(101, 10_000),
    conventions=st.sampled_from([Conventions(), Conventions(decimal=",")]),
)
def test_a_plain_number_and_the_same_number_with_a_percent_sign_agree(
    hundredths, conventions
):
    # For any rate above 1 (1.01 to 100.00), 'x' and 'x%' are both x / 100.
    written = hundredths / 100
    text = f"{written:.2f}"
    if conventions.decimal == ",":
        text = text.replace(".", ",")
    plain = read_rate(text, conventions=conventions)
    percent = read_rate(text + "%", conventions=conventions)
    assert plain.plain_percent and not percent.plain_percent
    assert plain.value == pytest.approx(percent.value, rel=1e-12)
    assert plain.value == pytest.approx(hundredths / 10_000, rel=1e-12)
