"""Cost sheets that are not the template: budgets with sections, lists, month grids."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsu.costs import Behaviour, Period
from cpsu.ingest import read_upload
from cpsu.ingest.lists import month_of_header
from tests.ingest_fixtures import (
    HEADCOUNT_ROWS,
    SERVICE_DESK_ROWS,
    csv_bytes,
    errors_of,
    issue_at,
    warnings_of,
    xlsx_bytes,
)

CATCH_ALL = "problem in this program"
SUBTOTAL = 12345


def costs_workbook(rows: list[list[object]]) -> bytes:
    return xlsx_bytes(
        {"Costs": rows, "Headcount": HEADCOUNT_ROWS, "Service desk": SERVICE_DESK_ROWS}
    )


def monthly_run_rate(upload) -> float:
    return sum(line.monthly_rate for line in upload.cost_base.lines)


# A budget workbook built by hand


BUDGET = [
    ["Acme Corp: IT budget FY2027"],  # row 1: title
    ["All figures in USD"],  # row 2
    [],  # row 3
    ["Item", "Vendor", "Annual cost"],  # row 4: the header
    ["Software"],  # row 5: a section
    ["Microsoft 365 E3", "Microsoft", 432000],  # row 6
    ["Slack", "Slack", 36000.50],  # row 7
    ["Software subtotal", None, 468000.50],  # row 8: right
    [],  # row 9: blank
    ["Support tools"],  # row 10
    ["ServiceNow ITSM", "ServiceNow", 54000],  # row 11
    ["Jamf", "Jamf", "$7,200.25"],  # row 12: text money
    ["Support tools subtotal", None, 61200.00],  # row 13: 25 cents short
    ["Services"],  # row 14
    ["Managed desk", "Acme MSP", 240000],  # row 15
    ["Laptop repair", None, 18000],  # row 16
    ["Services subtotal", None, 258000],  # row 17: right
    ["Grand total", None, 787200.75],  # row 18: right
]


def test_a_budget_with_title_rows_sections_subtotals_and_a_grand_total():
    upload = read_upload(costs_workbook(BUDGET), "budget.xlsx")

    assert not errors_of(upload), upload.issues
    lines = upload.cost_base.lines
    assert [line.item for line in lines] == [
        "Microsoft 365 E3",
        "Slack",
        "ServiceNow ITSM",
        "Jamf",
        "Managed desk",
        "Laptop repair",
    ]
    assert {(line.pool, line.behaviour, line.period) for line in lines} == {
        ("Other", Behaviour.FIXED, Period.YEAR)
    }
    assert [line.amount for line in lines] == [
        432000,
        36000.50,
        54000,
        7200.25,
        240000,
        18000,
    ]
    assert [line.notes for line in lines] == [
        "Section: Software",
        "Section: Software",
        "Section: Support tools",
        "Section: Support tools",
        "Section: Services",
        "Section: Services",
    ]
    assert lines[0].vendor == "Microsoft"
    # 468000.50 + 61200.25 + 258000 = 787200.75 a year; / 12 = 65600.0625 a month.
    assert monthly_run_rate(upload) == pytest.approx(65600.0625, abs=1e-9)

    # Only the wrong subtotal is reported, to the cent: 54000 + 7200.25 = 61200.25.
    wrong = issue_at(upload, "Costs", 13)
    assert wrong.column == "Annual cost (C)"
    assert wrong.message == (
        "'Support tools subtotal' says 61,200.00 in Annual cost (C) but the 2 lines "
        "above it (rows 11 to 12) add up to 61,200.25, a difference of -0.25. The "
        "total was left out of the sum and the lines were counted; check the lines "
        "or the total."
    )
    for row in (8, 17, 18):
        assert not [issue for issue in upload.issues if issue.row == row]
    assert issue_at(upload, "Costs", 9).message == "Row 9 is blank and was skipped."
    count = issue_at(upload, "Costs", 4)
    assert count.message.startswith(
        "6 lines were put in pool Other as Fixed costs, to classify"
    )
    assert len(warnings_of(upload)) == 3


def test_a_bare_total_after_sections_checks_every_line_and_a_long_gap_is_one_warning():
    rows = [
        ["Description", "Monthly cost"],  # row 1
        ["Licences"],  # row 2
        ["Zoom", 500],  # row 3
        ["Licences total", 500],  # row 4
        *[[] for _ in range(6)],  # rows 5-10: one gap
        ["Tools"],  # row 11
        ["PagerDuty", 250.10],  # row 12
        ["Total", 750],  # row 13: 500 + 250.10 = 750.10, 10 cents off
    ]
    upload = read_upload(costs_workbook(rows), "b.xlsx")
    assert not errors_of(upload)
    assert [line.period for line in upload.cost_base.lines] == [Period.MONTH] * 2
    gap = issue_at(upload, "Costs", 5)
    assert gap.message.startswith("Rows 5 to 10 are blank and were skipped.")
    assert "from 11 on were read as part of the same table" in gap.message
    total = issue_at(upload, "Costs", 13)
    assert "the 2 lines above it (rows 3 to 12) add up to 750.10" in total.message
    assert not [issue for issue in upload.issues if issue.row == 4]


# Item and amount lists


@pytest.mark.parametrize(
    ("header", "period", "monthly"),
    [
        ("Annual cost", Period.YEAR, 100.0),  # 1200 / 12
        ("Cost per annum", Period.YEAR, 100.0),
        ("FY27 budget", Period.YEAR, 100.0),
        ("Monthly", Period.MONTH, 1200.0),
        ("Q1 budget", Period.QUARTER, 400.0),  # 1200 / 3
        ("Quarterly spend", Period.QUARTER, 400.0),
    ],
)
def test_the_period_of_a_list_comes_from_its_amount_header(header, period, monthly):
    upload = read_upload(
        csv_bytes([["Item", header], ["Backup service", "1,200.00"]]), "list.csv"
    )
    assert not errors_of(upload), upload.issues
    (line,) = upload.cost_base.lines
    assert (line.item, line.pool, line.behaviour) == (
        "Backup service",
        "Other",
        Behaviour.FIXED,
    )
    assert line.period is period
    assert line.monthly_rate == pytest.approx(monthly)
    assert "1 line was put in pool Other" in warnings_of(upload)[-1].message


def test_an_item_and_annual_cost_list_in_a_workbook():
    rows = [["Line item", "Annual cost", "Owner"]] + [
        [f"Tool {n}", 1000 * n, "IT"] for n in range(1, 6)
    ]
    upload = read_upload(costs_workbook(rows), "list.xlsx")
    assert not errors_of(upload)
    # 1000 + 2000 + 3000 + 4000 + 5000 = 15000 a year = 1250 a month.
    assert monthly_run_rate(upload) == pytest.approx(1250)
    ignored = issue_at(upload, "Costs", 1, "Owner (C)")
    assert "Owner (C) was not read" in ignored.message


def test_an_amount_header_without_a_period_asks_for_one():
    upload = read_upload(
        costs_workbook([["Item", "Amount"], ["Backup", 1200], ["VPN", 300]]), "a.xlsx"
    )
    assert upload.cost_base is None
    (problem,) = errors_of(upload)
    assert (problem.row, problem.column) == (1, "Amount (B)")
    assert problem.message == (
        "Say whether these amounts are a month, a quarter or a year: rename the "
        "header Amount (B) to 'Annual cost', 'Monthly cost' or 'Quarterly cost', or "
        "add a Period column."
    )


def test_a_list_with_a_period_column_reads_each_rows_period():
    rows = [
        ["Item", "Amount", "Period", "Notes"],
        ["Backup", 1200, "Annual", "Total cost of ownership"],  # notes say "total"
        ["VPN", 300, "Quarterly", None],
        ["Wiki", 50, "bi-weekly", None],
    ]
    upload = read_upload(costs_workbook(rows), "a.xlsx")
    problem = issue_at(upload, "Costs", 4, "Period (C)")
    assert "'bi-weekly', which is not a period" in problem.message
    rows[3][2] = None  # an empty period with no period in the header
    upload = read_upload(costs_workbook(rows), "a.xlsx")
    assert "Period (C) is empty" in issue_at(upload, "Costs", 4).message
    rows[3][2] = "Month"
    upload = read_upload(costs_workbook(rows), "a.xlsx")
    assert not errors_of(upload)
    # 1200 / 12 + 300 / 3 + 50 = 100 + 100 + 50 = 250 a month.
    assert monthly_run_rate(upload) == pytest.approx(250)
    assert upload.cost_base.lines[0].notes == "Total cost of ownership"


def test_a_semicolon_list_reads_decimal_commas():
    data = csv_bytes(
        [["Item", "Jahreskosten annual cost"], ["Backup", "1.234,56"], ["VPN", "12,5"]],
        delimiter=";",
    )
    upload = read_upload(data, "list.csv")
    assert not errors_of(upload), upload.issues
    assert [line.amount for line in upload.cost_base.lines] == [1234.56, 12.5]


def test_junk_in_an_amount_is_an_error_on_its_cell_and_never_a_zero():
    rows = [["Item", "Annual cost"], ["Backup", "TBD"], ["VPN", 300]]
    upload = read_upload(costs_workbook(rows), "a.xlsx")
    assert upload.cost_base is None
    problem = issue_at(upload, "Costs", 2, "Annual cost (B)")
    assert "'TBD', not a number" in problem.message


def test_a_name_with_no_amount_and_no_lines_below_is_reported():
    rows = [["Item", "Annual cost"], ["Backup", 1200], ["Printer lease"]]
    upload = read_upload(costs_workbook(rows), "a.xlsx")
    assert len(upload.cost_base.lines) == 1
    assert "no amount and no lines below it" in issue_at(upload, "Costs", 3).message


def test_a_canonical_sheet_missing_only_pool_is_still_an_error():
    rows = [["Item", "Behaviour", "Amount"], ["ITSM", "Fixed", 100]]
    upload = read_upload(costs_workbook(rows), "a.xlsx")
    (problem,) = errors_of(upload)
    assert "no Pool column" in problem.message


# Month-by-month budget grids


MONTHS = ["Jan-26", "Feb-26", "Mar-26", "Apr-26", "May-26", "Jun-26"]
MONTHS += ["Jul-26", "Aug-26", "Sep-26", "Oct-26", "Nov-26", "Dec-26"]


def test_a_twelve_month_grid_with_a_total_column():
    rows = [
        ["FY26 opex by month"],  # row 1
        ["Item", *MONTHS, "FY total"],  # row 2
        ["Laptop leases", *[1000] * 12, 12000],  # row 3
        ["Cloud hosting", *[500] * 6, *[700] * 6, 7200],  # row 4
        ["Training", None, None, 1200, *[None] * 5, 1200, None, None, None, 2400],
        ["Contractors", *[2000] * 12, 25000],  # row 6: 12 * 2000 = 24000
    ]
    upload = read_upload(costs_workbook(rows), "grid.xlsx")
    assert not errors_of(upload), upload.issues
    lines = upload.cost_base.lines
    assert {(line.period, line.pool) for line in lines} == {(Period.MONTH, "Other")}
    # Average months: 12000 / 12; (6 * 500 + 6 * 700) / 12 = 7200 / 12;
    # 2400 / 12; 24000 / 12.
    assert [line.amount for line in lines] == pytest.approx([1000, 600, 200, 2000])
    assert lines[1].notes == (
        "Average month of 12 (Jan-26 (B) to Dec-26 (M)), 7,200.00 in all"
    )

    empty = issue_at(upload, "Costs", 5)
    assert empty.message.startswith(
        "Jan-26 (B), Feb-26 (C), Apr-26 (E), May-26 (F), Jun-26 (G) and 5 more are "
        "empty and counted as 0 in the average month of 'Training'."
    )
    total = issue_at(upload, "Costs", 6, "FY total (N)")
    assert total.message == (
        "FY total (N) says 25,000.00 but the 12 months of 'Contractors' add up to "
        "24,000.00; the months were used. Check the months or the total."
    )
    assert not [issue for issue in upload.issues if issue.row in (3, 4)]


def test_a_grid_total_row_is_reconciled_month_by_month():
    rows = [
        ["Item", "Jan", "Feb", "Mar", "Total"],
        ["A", 100, 200, 300, 600],
        ["B", 10, 20, 30, 60],
        ["Total", 110, 220, 333, 660],  # March: 300 + 30 = 330, not 333
    ]
    upload = read_upload(costs_workbook(rows), "grid.xlsx")
    assert [line.amount for line in upload.cost_base.lines] == [200, 20]
    total = issue_at(upload, "Costs", 4, "Mar (D)")
    assert "says 333.00 in Mar (D) but the 2 lines" in total.message
    assert "add up to 330.00" in total.message


def test_text_in_a_month_cell_is_an_error_on_that_cell():
    rows = [["Item", "Jan", "Feb", "Mar"], ["A", 100, "n/a", 300], ["B", 1, 2, 3]]
    upload = read_upload(costs_workbook(rows), "grid.xlsx")
    assert upload.cost_base is None
    (problem,) = errors_of(upload)
    assert (problem.row, problem.column) == (2, "Feb (C)")
    assert "'n/a', not a number" in problem.message


def test_a_grid_with_a_blank_corner_and_iso_months():
    rows = [[None, "2026-01", "2026-02", "2026-03"], ["Hosting", 90, 90, 120]]
    upload = read_upload(costs_workbook(rows), "grid.xlsx")
    (line,) = upload.cost_base.lines
    assert (line.item, line.amount) == ("Hosting", 100)  # (90 + 90 + 120) / 3


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        ("Jan", (None, 1)),
        ("September", (None, 9)),
        ("Sept", (None, 9)),
        ("Jan-26", (2026, 1)),
        ("Mar 2027", (2027, 3)),
        ("2026-11", (2026, 11)),
        ("11/2026", (2026, 11)),
        (datetime(2026, 4, 1), (2026, 4)),
        (date(2026, 5, 1), (2026, 5)),
        ("Janitor", None),
        ("2026-13", None),
        ("Total", None),
        (202606, None),
    ],
)
def test_month_headers(cell, month):
    assert month_of_header(cell) == month


# Random tables never escape as anything but issues

_JUNK = st.sampled_from(["TBD", "n/a", "-x-", "#REF", "??", "1.2.3", "$", "12%"])
_AMOUNT = st.one_of(
    st.integers(0, 10**7).map(lambda cents: ("number", cents / 100)),
    _JUNK.map(lambda text: ("junk", text)),
    st.just(("blank", None)),
    st.just(("total", None)),
    st.just(("section", None)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(_AMOUNT, min_size=1, max_size=15),
    grid=st.booleans(),
    merges=st.lists(
        st.tuples(st.integers(2, 16), st.integers(1, 3), st.integers(0, 2)),
        max_size=3,
    ),
)
def test_random_lists_never_escape_and_never_make_amounts_from_junk(
    kinds, grid, merges
):
    from openpyxl import load_workbook

    header = ["Item", "Jan", "Feb", "Mar"] if grid else ["Item", "Annual cost"]
    rows: list[list[object]] = [header]
    expected: dict[str, float] = {}
    row_of: dict[str, int] = {}
    for n, (kind, value) in enumerate(kinds):
        if kind == "blank":
            rows.append([])
        elif kind == "total":
            rows.append(["Subtotal", *[SUBTOTAL] * (len(header) - 1)])
        elif kind == "section":
            rows.append([f"Section {n}"])
        else:
            rows.append([f"Line {n}", *[value] * (len(header) - 1)])
            if kind == "number":
                expected[f"Line {n}"] = value
                row_of[f"Line {n}"] = len(rows)
    book = load_workbook(io.BytesIO(costs_workbook(rows)))
    for top, height, left in merges:
        book["Costs"].merge_cells(
            start_row=top,
            start_column=left + 1,
            end_row=top + height,
            end_column=left + 1,
        )
    buffer = io.BytesIO()
    book.save(buffer)

    upload = read_upload(buffer.getvalue(), "random.xlsx")
    assert not any(CATCH_ALL in issue.message for issue in upload.issues)
    if upload.cost_base is None:
        assert upload.has_errors
        return
    # A merge may carry a name down onto a total's row, which is then a line, or
    # empty a month, counted as 0 with a warning: the amount is still k of the
    # row's n month values averaged, never a number made from text.
    months = len(header) - 1
    numbers = [
        number * filled / months
        for number in [*expected.values(), SUBTOTAL]
        for filled in range(1, months + 1)
    ]
    for line in upload.cost_base.lines:
        assert any(line.amount == pytest.approx(number) for number in numbers)
    if not merges:
        # A line may be found to be the total of the lines below it, by chance;
        # then it is left out with a warning at its row.
        above = {
            issue.row
            for issue in warnings_of(upload)
            if "written above its lines" in issue.message
            or "section heading carrying its subtotal" in issue.message
        }
        counted = [
            value for item, value in expected.items() if row_of[item] not in above
        ]
        assert sorted(line.amount for line in upload.cost_base.lines) == (
            pytest.approx(sorted(counted))
        )


def test_the_template_keeps_sections_in_notes_and_reports_blank_gaps():
    from tests.ingest_fixtures import canonical_bytes, cost_row

    rows = [
        ["Software"],  # row 2: a section
        cost_row("Zoom", "Productivity software", "Fixed", amount=500, notes="Pro"),
        [],  # row 4
        [],  # row 5
        ["Tools"],  # row 6
        cost_row("PagerDuty", "Support tools", "Fixed", amount=250),
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert not errors_of(upload)
    assert [line.notes for line in upload.cost_base.lines] == [
        "Section: Software; Pro",
        "Section: Tools",
    ]
    assert "'Section: Software'" in issue_at(upload, "Costs", 2).message
    gap = issue_at(upload, "Costs", 4)
    assert gap.message == "Rows 4 to 5 are blank and were skipped."


def test_a_quarter_by_quarter_budget_costs_its_average_quarter():
    rows = [
        ["Item", "Q1 FY27", "Q2 FY27", "Q3 FY27", "Q4 FY27", "Total"],
        ["Hosting", 3000, 3000, 3600, 3600, 13200],
        ["Audit", None, None, 9000, None, 9000],
    ]
    upload = read_upload(costs_workbook(rows), "q.xlsx")
    assert not errors_of(upload), upload.issues
    hosting, audit = upload.cost_base.lines
    # (3000 + 3000 + 3600 + 3600) / 4 = 3300 a quarter = 1100 a month.
    assert (hosting.amount, hosting.period) == (3300, Period.QUARTER)
    assert hosting.monthly_rate == pytest.approx(1100)
    # 9000 / 4 = 2250 a quarter, with Q1, Q2 and Q4 counted as 0.
    assert audit.amount == 2250
    assert "average quarter of 'Audit'" in issue_at(upload, "Costs", 3).message


@pytest.mark.parametrize(
    ("cell", "quarter"),
    [
        ("Q1", (None, 1)),
        ("Q3 budget", (None, 3)),
        ("Q2 2026", (2026, 2)),
        ("Q4-26", (2026, 4)),
        ("2026-Q1", (2026, 1)),
        ("FY27 Q2", (2027, 2)),
        ("Q5", None),
        ("Quarterly cost", None),
    ],
)
def test_quarter_headers(cell, quarter):
    from cpsu.ingest.lists import quarter_of_header

    assert quarter_of_header(cell) == quarter


def test_an_annual_column_beside_a_monthly_one_is_checked_not_counted():
    rows = [
        ["Item", "Monthly cost", "Annual cost"],
        ["Backup", 100, 1200],  # 100 * 12 = 1200: agrees
        ["VPN", 250.5, 3000],  # 250.50 * 12 = 3006.00: six dollars off
        ["Total", 350.5, 4206],  # 100 + 250.50; 1200 + 3000 = 4200, not 4206
    ]
    upload = read_upload(costs_workbook(rows), "a.xlsx")
    assert not errors_of(upload)
    assert [line.monthly_rate for line in upload.cost_base.lines] == [100, 250.5]
    vpn = issue_at(upload, "Costs", 3, "Annual cost (C)")
    assert vpn.message == (
        "Annual cost (C) says 3,000.00 but Monthly cost (B) 250.50 a month is "
        "3,006.00 a year; Monthly cost (B) was used for 'VPN'. Check the two cells."
    )
    total = issue_at(upload, "Costs", 4, "Annual cost (C)")
    assert "add up to 4,200.00" in total.message
    assert not [issue for issue in upload.issues if issue.row == 2]


def test_a_gl_export_is_left_to_the_mapping_step():
    from cpsu.ingest.gl import read_gl_export

    data = csv_bytes(
        [
            ["Date", "Account", "Description", "Amount"],
            ["2026-06-30", "6100", "Microsoft 365", "36,000.00"],
            ["2026-06-30", "6200", "ServiceNow", "4,500.00"],
        ]
    )
    upload = read_upload(data, "gl.csv")
    # Refused as cost lines, so the page offers the mapping step.
    assert [issue.message for issue in errors_of(upload)] == [
        "gl.csv is a GL export (row 1 has a date or period, an account and an "
        "amount), not a list of cost lines: read as one, each posting would be a "
        "cost line. Its postings go to the mapping step, where rules map them to "
        "cost pools (cpsu check FILE --mapping RULES.json on the command line)."
    ]
    assert not any("a quarter or a year" in issue.message for issue in upload.issues)
    assert read_gl_export(data, "gl.csv").recognised


def test_a_list_in_euros_says_cpsu_is_in_euros():
    rows = [["Item", "Annual cost (EUR)"], ["Backup", 1200], ["VPN", 2400]]
    upload = read_upload(costs_workbook(rows), "a.xlsx")
    assert not errors_of(upload)
    assert any("CPSU is in EUR" in issue.message for issue in upload.issues)


def test_a_grid_whose_month_headers_are_date_cells():
    rows = [
        ["Cost centre", "Item", *[datetime(2026, month, 1) for month in range(1, 13)]],
        ["IT01", "Hosting", *[100] * 11, 1300],
    ]
    upload = read_upload(costs_workbook(rows), "grid.xlsx")
    (line,) = upload.cost_base.lines
    # (11 * 100 + 1300) / 12 = 2400 / 12 = 200
    assert line.amount == 200
    assert (
        line.notes
        == "Average month of 12 (Jan 2026 (C) to Dec 2026 (N)), 2,400.00 in all"
    )
    assert (
        "Cost centre (A) was not read"
        in issue_at(upload, "Costs", 1, "Cost centre (A)").message
    )
