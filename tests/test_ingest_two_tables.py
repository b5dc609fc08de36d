"""Two tables on one sheet, a cost table on a hidden sheet, and the cell quoted
for a file's decimal mark: what a hand-built budget workbook holds, read so
that the run-rate is never silently short."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsu.cli import main
from cpsu.ingest import read_upload
from tests.ingest_fixtures import (
    csv_bytes,
    errors_of,
    issue_at,
    warnings_of,
    xlsx_bytes,
)

BACKSLASH = chr(92)
PERIOD_MONTHS = {"Monthly cost": 1, "Quarterly cost": 3, "Annual cost": 12}


def budget(rows: list[list[object]]) -> bytes:
    """A workbook of one sheet, Budget, holding the rows from A1."""
    return xlsx_bytes({"Budget": rows})


def run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def messages(upload) -> str:
    return "\n".join(str(issue) for issue in upload.issues)


# Two tables side by side

SIDE_BY_SIDE = [
    ["Item", "Monthly cost", None, "Vendor", "Annual cost"],
    ["Laptops", 100, None, "Dell", 1200],
    ["Monitors", 200, None, "HP", 2400],
]


def test_a_table_beside_the_list_is_read_and_said():
    upload = read_upload(budget(SIDE_BY_SIDE), "budget.xlsx")

    assert not errors_of(upload), messages(upload)
    # 100 + 200 a month, and 1,200 + 2,400 = 3,600 a year = 300 a month: 600
    assert round(run_rate(upload), 2) == 600.00
    assert [line.item for line in upload.cost_base.lines] == [
        "Laptops",
        "Monitors",
        "Dell",
        "HP",
    ]
    said = next(issue for issue in upload.issues if "two tables" in issue.message)
    assert (said.sheet, said.row) == ("Budget", 1)
    assert said.message.startswith(
        "Budget holds two tables: one in columns A to B and, beside it, in columns "
        "D to E, a second with a header of its own (Vendor | Annual cost)."
    )
    assert (
        "the first holds 2 lines, 300.00 a month; the second 2 lines, 300.00 a "
        "month (3,600.00 a year as written); 600.00 a month in all" in said.message
    )
    # One count of the lines to classify, not one per table.
    to_classify = [m for m in messages(upload).splitlines() if "put in pool" in m]
    assert len(to_classify) == 1 and "4 lines were put in pool Other" in to_classify[0]


def test_a_table_beside_with_the_same_header_is_read():
    rows = [
        ["Item", "Monthly cost", None, "Vendor", "Monthly cost"],
        ["Laptops", 100, None, "Dell", 1000],
        ["Monitors", 200, None, "HP", 2000],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    assert not errors_of(upload), messages(upload)
    # 100 + 200 + 1,000 + 2,000
    assert round(run_rate(upload), 2) == 3300.00
    assert "was not read" not in messages(upload)
    assert "3,300.00 a month in all" in messages(upload)


def test_the_second_table_messages_name_its_own_columns():
    rows = [
        ["Item", "Annual cost", None, "Vendor", "Amount"],
        ["Laptops", 1200, None, "Dell", 1000],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    # The second table's header does not say a period: its own error, in E.
    assert upload.cost_base is None
    problem = issue_at(upload, "Budget", 1, "Amount (E)")
    assert "month, a quarter or a year" in problem.message
    assert "(Vendor | Amount). Each was read as a cost list of its own." in (
        messages(upload)
    )


def test_the_second_tables_text_numbers_decide_the_decimal_mark():
    rows = [
        ["Item", "Monthly cost", None, "Vendor", "Monthly cost"],
        ["Laptops", 100, None, "Dell", "1.200"],
        ["Monitors", 200, None, "HP", "300,25"],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    assert not errors_of(upload), messages(upload)
    # '300,25' shows the comma marks decimals, so '1.200' is 1,200, not 1.2:
    # 100 + 200 + 1,200 + 300.25
    assert round(run_rate(upload), 2) == 1800.25


def test_a_csv_with_two_tables_side_by_side_is_read():
    data = csv_bytes(
        [
            ["Item", "Monthly cost", "", "Vendor", "Annual cost"],
            ["Laptops", "100", "", "Dell", "1200"],
            ["Monitors", "200", "", "", ""],
        ]
    )
    upload = read_upload(data, "budget.csv")

    assert not errors_of(upload), messages(upload)
    assert round(run_rate(upload), 2) == 400.00  # 100 + 200 + 1,200 / 12


def test_a_title_above_both_tables_scales_both():
    rows = [
        ["Amounts in $000"],
        ["Item", "Monthly cost", None, "Vendor", "Monthly cost"],
        ["Laptops", 1, None, "Dell", 2],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    assert round(run_rate(upload), 2) == 3000.00  # (1 + 2) x 1,000


def test_a_csv_table_below_may_be_wider_than_the_first():
    data = csv_bytes(
        [
            ["Item", "Monthly cost"],
            ["Laptops", "100"],
            [],
            ["Item", "Vendor", "Annual cost"],
            ["Support", "Dell", "1200"],
        ]
    )
    upload = read_upload(data, "budget.csv")

    assert not errors_of(upload), messages(upload)
    assert round(run_rate(upload), 2) == 200.00  # 100 + 1,200 / 12


def test_the_same_items_beside_are_the_same_lines_not_more():
    rows = [
        ["Item", "FY27 budget (annual)", None, "Item", "FY26 actual (annual)"],
        ["Laptops", 1200, None, "Laptops", 1000],
        ["Monitors", 2400, None, "Monitors", 2000],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    # The budget only: (1,200 + 2,400) / 12; last year's actuals not added.
    assert round(run_rate(upload), 2) == 300.00
    assert "two tables" not in messages(upload)
    # 1,000 + 2,000 left out, and said
    assert "FY26 actual (annual) (E) holds 3,000.00 (2 lines), not counted" in (
        messages(upload)
    )


def test_the_same_items_below_are_refused_as_the_same_lines_twice():
    rows = [
        ["Item", "Monthly cost"],
        ["Laptops", 100],
        ["Monitors", 200],
        [],
        ["Item", "Annual cost"],
        ["Laptops", 1200],
        ["Monitors", 2400],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    assert upload.cost_base is None
    said = [
        issue for issue in errors_of(upload) if "header of its own" in issue.message
    ]
    assert len(said) == 1, messages(upload)
    assert said[0].row == 5
    assert said[0].message.startswith(
        "Row 5 is a header of its own (Item | Annual cost) over the same items as "
        "the list above ('Laptops' and 'Monitors'): the sheet holds the same lines "
        "twice"
    )


def test_a_spacer_column_beside_notes_is_one_list():
    rows = [
        ["Item", "Monthly cost", None, "Notes"],
        ["Laptops", 100, None, "refresh"],
        ["Monitors", 200, None, "new desks"],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    assert round(run_rate(upload), 2) == 300.00
    assert "two tables" not in messages(upload)
    assert [line.notes for line in upload.cost_base.lines] == ["refresh", "new desks"]


def test_an_amount_column_left_out_says_how_much_it_holds():
    rows = [
        ["Item", "Monthly cost", "Monthly cost"],
        ["Laptops", 100, 1000],
        ["Monitors", 200, 2000],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    assert round(run_rate(upload), 2) == 300.00
    said = issue_at(upload, "Budget", 1, "Monthly cost (C)")
    # 1,000 + 2,000 on the two lines read
    assert (
        "On the lines read, Monthly cost (C) holds 3,000.00 (2 lines), not counted "
        "in the run-rate." in said.message
    )


# Two tables one above the other


def test_a_table_below_the_list_is_read_and_said():
    rows = [
        ["Item", "Monthly cost"],
        ["Laptops", 100],
        ["Monitors", 200],
        [],
        [],
        ["Vendor", "Annual cost"],
        ["Dell", 1200],
        ["HP", 2400],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    assert not errors_of(upload), messages(upload)
    # 300 a month above, 3,600 a year = 300 a month below
    assert round(run_rate(upload), 2) == 600.00
    said = next(issue for issue in upload.issues if "two tables" in issue.message)
    assert (said.sheet, said.row) == ("Budget", 6)
    assert said.message.startswith(
        "Budget holds two tables: one in rows 1 to 3 and, below it, from row 6, a "
        "second with a header of its own (Vendor | Annual cost)."
    )
    # The blank rows between the tables are not a gap in either list.
    assert "blank and were skipped" not in messages(upload)


def test_a_header_repeated_below_reads_the_lines_under_it():
    rows = [
        ["Item", "Monthly cost"],
        ["Laptops", 100],
        ["Monitors", 200],
        ["Item", "Monthly cost"],
        ["Docks", 50],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    assert not errors_of(upload), messages(upload)
    assert round(run_rate(upload), 2) == 350.00  # 100 + 200 + 50


def test_the_cli_check_counts_both_tables(tmp_path, capsys):
    path = tmp_path / "two tables.xlsx"
    path.write_bytes(budget(SIDE_BY_SIDE))

    main(["check", str(path)])

    out, err = capsys.readouterr()
    assert "Monthly run-rate: $600.00" in out
    assert "beside it, in columns D to E" in err


# Any second table: read, with the run-rate the sum of both


@st.composite
def two_tables(draw):
    """Two item lists on one sheet, side by side past blank columns or one
    below the other past blank rows, each with its own period. Amounts are
    distinct powers of two, so that no line adds up others (a subtotal)."""
    sizes = draw(st.tuples(st.integers(1, 5), st.integers(1, 5)))
    exponents = draw(
        st.lists(
            st.integers(0, 20),
            min_size=sum(sizes),
            max_size=sum(sizes),
            unique=True,
        )
    )
    amounts = [2**exponent for exponent in exponents]
    left_amounts, right_amounts = amounts[: sizes[0]], amounts[sizes[0] :]
    headers = draw(
        st.tuples(
            st.sampled_from(sorted(PERIOD_MONTHS)),
            st.sampled_from(sorted(PERIOD_MONTHS)),
        )
    )
    names = draw(
        st.tuples(
            st.sampled_from(["Item", "Description"]),
            st.sampled_from(["Item", "Vendor", "Supplier"]),
        )
    )
    left = [[names[0], headers[0]]] + [
        [f"Laptop model {i + 1}", amount] for i, amount in enumerate(left_amounts)
    ]
    right = [[names[1], headers[1]]] + [
        [f"Support plan {i + 1}", amount] for i, amount in enumerate(right_amounts)
    ]
    beside = draw(st.booleans())
    gap = draw(st.integers(1, 2) if beside else st.integers(0, 3))
    if beside:
        rows = []
        for i in range(max(len(left), len(right))):
            row = list(left[i]) if i < len(left) else [None, None]
            if i < len(right):
                row += [None] * gap + right[i]
            rows.append(row)
    else:
        rows = [*left, *([[]] * gap), *right]
    expected = (
        sum(left_amounts) / PERIOD_MONTHS[headers[0]]
        + sum(right_amounts) / PERIOD_MONTHS[headers[1]]
    )
    second = f"({names[1]} | {headers[1]})"
    return rows, expected, second, sum(right_amounts) / PERIOD_MONTHS[headers[1]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_tables())
def test_any_second_table_is_counted_and_named_with_its_amount(case):
    rows, expected, second, second_monthly = case
    upload = read_upload(budget(rows), "budget.xlsx")

    assert not errors_of(upload), messages(upload)
    assert abs(run_rate(upload) - expected) < 1e-6, messages(upload)
    said = [
        issue for issue in warnings_of(upload) if "holds two tables" in issue.message
    ]
    assert len(said) == 1, messages(upload)
    assert second in said[0].message
    assert f"{second_monthly:,.2f} a month" in said[0].message
    assert f"{expected:,.2f} a month in all" in said[0].message


# A cost table on a hidden sheet


def hidden_budget() -> bytes:
    return xlsx_bytes(
        {
            "Notes": [["The budget is on the other sheet"]],
            "Costs 2027": [["Item", "Monthly cost"], ["Laptops", 100], ["Zoom", 250]],
        },
        hidden=("Costs 2027",),
    )


def test_a_cost_table_on_a_hidden_sheet_is_named_with_how_to_read_it():
    upload = read_upload(hidden_budget(), "budget.xlsx")

    assert upload.cost_base is None
    no_costs = next(
        issue for issue in errors_of(upload) if "no Costs sheet" in issue.message
    )
    assert no_costs.message == (
        "The workbook has no Costs sheet (its sheets are 'Notes', 'Costs 2027' "
        "(hidden)). 'Costs 2027' holds a table like one but is hidden in Excel, "
        "and a hidden sheet is read only when it is named Costs or chosen as the "
        "sheet to read: unhide it in Excel (right-click a sheet tab, then Unhide) "
        "and upload the file again."
    )


def test_the_hidden_sheet_is_read_as_the_message_says():
    chosen = read_upload(hidden_budget(), "budget.xlsx", sheet="Costs 2027")
    assert round(run_rate(chosen), 2) == 350.00  # 100 + 250

    named = xlsx_bytes(
        {
            "Notes": [["The budget is on the other sheet"]],
            "Costs": [["Item", "Monthly cost"], ["Laptops", 100], ["Zoom", 250]],
        },
        hidden=("Costs",),
    )
    assert round(run_rate(read_upload(named, "budget.xlsx")), 2) == 350.00


# The cell quoted for the decimal mark


def decimal_warning(upload) -> str:
    found = [m for m in messages(upload).splitlines() if "marking decimals" in m]
    assert len(found) == 1, messages(upload)
    return found[0]


def test_a_dollar_amount_without_a_separator_is_not_quoted_as_showing_the_mark():
    rows = [["Item", "Monthly cost"], ["Laptops", "1,000"], ["Zoom", "$300"]]
    upload = read_upload(budget(rows), "budget.xlsx")

    said = decimal_warning(upload)
    assert "as this file writes them" not in said
    assert (
        "as amounts in $ are written, and this file's are in $, like '$300' in "
        "Budget, row 3" in said
    )
    assert round(run_rate(upload), 2) == 1300.00  # 1,000 + 300


def test_a_cell_that_shows_the_mark_is_quoted_before_a_dollar_amount():
    rows = [
        ["Item", "Monthly cost"],
        ["Zoom", "$300"],
        ["Laptops", "1,000"],
        ["Cables", "12.50"],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    said = decimal_warning(upload)
    assert "as this file writes them, like '12.50' in Budget, row 4" in said


def test_a_contradicting_cell_names_the_dollars_that_decided_the_mark():
    rows = [
        ["Item", "Monthly cost"],
        ["Zoom", "$300"],
        ["Teams", "$400"],
        ["Cables", "0,40"],
    ]
    upload = read_upload(budget(rows), "budget.xlsx")

    problem = issue_at(upload, "Budget", 4, "Monthly cost (B)")
    assert (
        "this file marks decimals with a dot (its amounts are in $, like '$300' in "
        "Budget, row 2, column Monthly cost (B), and amounts in $ are written so)"
        in problem.message
    )


# On the Cost base page


def test_the_cost_base_page_counts_both_tables_and_says_so():
    from tests.test_pages import cost_base_page, metric, new_app, upload

    at = cost_base_page(new_app())
    upload(at, "two tables.xlsx", budget(SIDE_BY_SIDE))

    assert not at.exception
    assert metric(at, "Cost lines") == "4"
    # 100 + 200 + (1,200 + 2,400) / 12 = 600 a month
    assert metric(at, "Monthly run-rate") == "$600.00"
    # The points to check are listed in a table, one message a row.
    # The points to check are listed in a table, one message a row, written
    # with Markdown's characters escaped.
    shown = [
        str(cell).replace(BACKSLASH, "")
        for frame in at.table
        for cell in frame.value.to_numpy().ravel()
    ]
    assert any("holds two tables: one in columns A to B" in cell for cell in shown)
