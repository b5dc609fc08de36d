"""Reading uploads: the canonical workbook, CSVs of costs, and bad input."""

from __future__ import annotations

import io
import logging
import struct
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsu.costs import POOLS, Behaviour, CostBase, CostLine, Period, Tier
from cpsu.ingest import MAX_UPLOAD_BYTES, Upload, apply_upload, read_upload
from cpsu.ingest import xlsx as xlsx_module
from cpsu.ingest.cells import CellError, read_bool, read_date, read_number
from cpsu.ingest.issues import Severity, column_letter
from cpsu.ingest.vocabulary import read_behaviour, read_period, read_pool, read_tier
from cpsu.scenario import Headcount, HeadcountRow, Scenario, Workspace
from cpsu.workload import ServiceDesk
from tests.ingest_fixtures import (
    COST_HEADER,
    HEADCOUNT_ROWS,
    SERVICE_DESK_ROWS,
    canonical_bytes,
    cost_row,
    csv_bytes,
    errors_of,
    issue_at,
    rewrite_part,
    warnings_of,
    xlsx_bytes,
)

OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
# The message of a failure the reader did not foresee; hostile input should get
# a message of its own.
CATCH_ALL = "problem in this program"

M365 = cost_row(
    "Microsoft 365 E3",
    "Productivity software",
    "Per user",
    period="Month",
    unit_cost=36.0,
    escalation=0.03,
    vendor="Microsoft",
    notes="E3 for all staff",
)


def one_line_costs() -> list[list[object]]:
    return [M365]


# The clean canonical workbook


def test_clean_canonical_workbook_is_read_exactly():
    data = canonical_bytes(
        [
            M365,
            cost_row(
                "ITSM platform",
                "Support tools",
                "Fixed",
                amount=54000,
                period="Year",
                renew="Yes",
                vendor="ServiceNow",
            ),
            cost_row(
                "Service desk agents",
                "Service desk (Tier 1)",
                "Staffed",
                period="Month",
                unit_cost=6500,
                tier="Tier 1",
                tickets_per_agent=450,
                min_units=2,
            ),
            cost_row(
                "Deskside kits",
                "Desktop support",
                "Step",
                period="Quarter",
                unit_cost=1200,
                users_per_unit=250,
                min_units=1,
            ),
            cost_row(
                "Tier 2 tickets", "Tier 2", "Per ticket", unit_cost=42.5, tier="Tier 2"
            ),
            cost_row(
                "Laptop refresh",
                "Desktop support",
                "Depreciation",
                amount=180000,
                life_months=36,
                in_service=date(2026, 10, 1),
                renew="No",
                escalation=0,
            ),
        ],
        headcount=[
            ["Quarter", "Employees", "Contingent"],
            ["2026-Q4", 1000, 100],
            ["2027-Q1", 1100, 110],
            ["2027-Q2", 1200, None],
        ],
        service_desk=[
            ["Parameter", "Value"],
            ["Tickets per user per month", 1.2],
            ["Resolution rate", 0.72],
            ["Desk-side share", 0.35],
            ["Deflection", "12%"],
            ["Deflection step per quarter", 0.02],
            ["Deflection cap", 0.4],
            ["Contingent weight", 0.5],
        ],
        assumptions=[
            ["Parameter", "Value"],
            ["Scenario name", "Growth plan"],
            ["Horizon quarters", 6],
            ["Growth per quarter", 0.1],
        ],
    )

    upload = read_upload(data, "acme.xlsx")

    assert upload.issues == ()
    assert upload.kind == "workbook"
    assert not upload.has_errors
    assert upload.cost_base is not None
    lines = upload.cost_base.lines
    assert [line.item for line in lines] == [
        "Microsoft 365 E3",
        "ITSM platform",
        "Service desk agents",
        "Deskside kits",
        "Tier 2 tickets",
        "Laptop refresh",
    ]
    assert lines[0] == CostLine(
        item="Microsoft 365 E3",
        pool="Productivity software",
        behaviour=Behaviour.PER_USER,
        period=Period.MONTH,
        unit_cost=36.0,
        escalation=0.03,
        vendor="Microsoft",
        notes="E3 for all staff",
    )
    assert lines[1] == CostLine(
        "ITSM platform",
        "Support tools",
        Behaviour.FIXED,
        amount=54000.0,
        period=Period.YEAR,
        vendor="ServiceNow",
    )
    assert lines[2] == CostLine(
        "Service desk agents",
        "Service desk (Tier 1)",
        Behaviour.STAFFED,
        unit_cost=6500.0,
        tier=Tier.TIER_1,
        tickets_per_agent=450.0,
        min_units=2.0,
    )
    assert lines[3] == CostLine(
        "Deskside kits",
        "Desktop support",
        Behaviour.STEP,
        period=Period.QUARTER,
        unit_cost=1200.0,
        users_per_unit=250.0,
        min_units=1.0,
    )
    assert lines[4] == CostLine(
        "Tier 2 tickets",
        "Tier 2",
        Behaviour.PER_TICKET,
        unit_cost=42.5,
        tier=Tier.TIER_2,
    )
    assert lines[5] == CostLine(
        "Laptop refresh",
        "Desktop support",
        Behaviour.DEPRECIATION,
        amount=180000.0,
        life_months=36,
        in_service=date(2026, 10, 1),
        renew=False,
    )
    assert isinstance(lines[5].life_months, int)

    assert upload.headcount == Headcount(
        rows=(
            HeadcountRow("2026-Q4", 1000, 100),
            HeadcountRow("2027-Q1", 1100, 110),
            HeadcountRow("2027-Q2", 1200, 0),
        )
    )
    assert upload.scenario == Scenario(
        name="Growth plan",
        horizon_quarters=6,
        growth_per_quarter=0.1,
        service_desk=ServiceDesk(
            tickets_per_user_month=1.2,
            resolution_rate=0.72,
            deskside_share=0.35,
            deflection=0.12,
            deflection_step=0.02,
            deflection_cap=0.4,
            contingent_weight=0.5,
        ),
    )


def test_the_same_bytes_give_the_same_upload():
    data = canonical_bytes([M365, cost_row("Bad", "Nowhere", "Fixed", amount="TBD")])
    assert read_upload(data, "a.xlsx") == read_upload(data, "a.xlsx")


def test_missing_assumptions_sheet_gives_scenario_defaults_without_a_warning():
    upload = read_upload(canonical_bytes(one_line_costs()), "a.xlsx")
    assert upload.issues == ()
    assert upload.scenario == Scenario(service_desk=ServiceDesk())


def test_missing_service_desk_sheet_uses_defaults_with_a_warning():
    data = xlsx_bytes({"Costs": [COST_HEADER, M365], "Headcount": HEADCOUNT_ROWS})
    upload = read_upload(data, "a.xlsx")
    assert not upload.has_errors
    assert upload.scenario == Scenario()
    (issue,) = upload.issues
    assert issue.severity is Severity.WARNING
    assert "no Service desk sheet" in issue.message
    assert "Resolution rate 70%" in issue.message


def test_sheet_names_match_without_case_or_spaces_and_other_sheets_are_ignored():
    data = xlsx_bytes(
        {
            "Summary": [["Not", "costs"]],
            " COSTS ": [COST_HEADER, M365],
            "headcount": HEADCOUNT_ROWS,
            "service  DESK": SERVICE_DESK_ROWS,
            "Projection": [["Quarter", "2026-Q4"], ["CPSU", "=1/0"]],
        }
    )
    upload = read_upload(data, "a.xlsx")
    assert upload.issues == ()
    assert upload.cost_base is not None
    assert upload.cost_base.lines[0].item == "Microsoft 365 E3"


def test_missing_costs_and_headcount_sheets_are_errors_naming_the_sheets_found():
    upload = read_upload(xlsx_bytes({"Sheet1": [["hello"]]}), "a.xlsx")
    messages = [issue.message for issue in errors_of(upload)]
    assert any("no Costs sheet" in m and "'Sheet1'" in m for m in messages)
    assert any("no Headcount sheet" in m for m in messages)
    assert upload.cost_base is None
    assert upload.headcount is None


def test_hidden_costs_sheet_is_read_with_a_warning():
    data = xlsx_bytes(
        {"Front": [["x"]], "Costs": [COST_HEADER, M365], "Headcount": HEADCOUNT_ROWS},
        hidden=["Costs"],
    )
    upload = read_upload(data, "a.xlsx")
    assert not upload.has_errors
    assert any("hidden" in issue.message for issue in warnings_of(upload))


# Headers


def test_header_synonyms_and_messy_headers_are_matched():
    header = [
        "\ufeffDescription",
        " Cost\u00a0pool ",
        "BEHAVIOR",
        "Cost ($)",
        "Frequency",
        "Unit\u200b price",
        "Users per licence",
        "Support tier",
        "Tickets per agent (month)",
        "Minimum",
        "Useful life (months)",
        "In-service date",
        "Auto-renew",
        "Escalation %",
        "Supplier",
        "Comments",
    ]
    rows = [
        [
            *["Agents", "Help desk", "staffing", None, "monthly", "$6,500.00"],
            *[None, "L1", 450, *[None] * 7],
        ],
        ["Kits", "Desk-side", "step cost", None, "qtr", 1200, 250, None, None, 1]
        + [None] * 6,
        ["Licences", "Licences/Software", "per seat", None, "Mo", 36]
        + [None] * 7
        + ["3%", "Microsoft", "note"],
        [
            *["Laptops", "Desktop", "capex", "180,000.00", None, None, None, None],
            *[None, None, 36, "2026-10-01", "n", None, "Dell", None],
        ],
        ["Outsource", "MSP", "Fixed", 9000, "pa"] + [None] * 11,
    ]
    upload = read_upload(canonical_bytes(rows, cost_header=header), "a.xlsx")
    assert errors_of(upload) == []
    assert upload.cost_base is not None
    agents, kits, licences, laptops, outsource = upload.cost_base.lines
    assert agents == CostLine(
        "Agents",
        "Service desk (Tier 1)",
        Behaviour.STAFFED,
        unit_cost=6500.0,
        tier=Tier.TIER_1,
        tickets_per_agent=450.0,
    )
    assert kits == CostLine(
        "Kits",
        "Desktop support",
        Behaviour.STEP,
        period=Period.QUARTER,
        unit_cost=1200.0,
        users_per_unit=250.0,
        min_units=1.0,
    )
    assert licences == CostLine(
        "Licences",
        "Productivity software",
        Behaviour.PER_USER,
        unit_cost=36.0,
        escalation=0.03,
        vendor="Microsoft",
        notes="note",
    )
    assert laptops == CostLine(
        "Laptops",
        "Desktop support",
        Behaviour.DEPRECIATION,
        amount=180000.0,
        life_months=36,
        in_service=date(2026, 10, 1),
        renew=False,
        vendor="Dell",
    )
    assert outsource.pool == "Managed service"
    assert outsource.period is Period.YEAR


def test_an_unknown_column_is_ignored_with_a_warning():
    upload = read_upload(
        canonical_bytes([M365], cost_header=[*COST_HEADER, "FY total"]), "a.xlsx"
    )
    assert not upload.has_errors
    issue = issue_at(upload, "Costs", 1, "FY total (Q)")
    assert issue.severity is Severity.WARNING
    assert "ignored" in issue.message


def test_missing_required_column_names_the_header_looked_for_and_the_headers_found():
    data = xlsx_bytes(
        {
            "Costs": [["Item", "Behaviour", "Amount"], ["ITSM", "Fixed", 100]],
            "Headcount": HEADCOUNT_ROWS,
        }
    )
    upload = read_upload(data, "a.xlsx")
    (issue,) = errors_of(upload)
    assert issue.sheet == "Costs"
    assert issue.row == 1
    assert "no Pool column" in issue.message
    assert "Cost pool" in issue.message  # the synonyms it looked for
    assert "'Item', 'Behaviour', 'Amount'" in issue.message  # what it found
    assert upload.cost_base is None


def test_no_header_row_at_all_is_one_clear_error():
    data = xlsx_bytes(
        {"Costs": [["just some text"], [1, 2, 3]], "Headcount": HEADCOUNT_ROWS}
    )
    upload = read_upload(data, "a.xlsx")
    (issue,) = errors_of(upload)
    assert "No header row found in the first 20 rows of Costs" in issue.message


def test_title_rows_above_the_header_keep_spreadsheet_row_numbers():
    costs = [
        ["Acme Corp: IT cost base FY27"],
        [],
        ["Prepared by Finance, all figures USD"],
        COST_HEADER,
        M365,
        cost_row("Printers", "Facilities", "Fixed", amount=100),
    ]
    data = xlsx_bytes(
        {"Costs": costs, "Headcount": HEADCOUNT_ROWS, "Service desk": SERVICE_DESK_ROWS}
    )
    upload = read_upload(data, "a.xlsx")
    issue = issue_at(upload, "Costs", 6, "Pool (B)")
    assert issue.where == "Costs, row 6, column Pool (B)"


def test_a_table_that_starts_below_empty_rows_and_right_of_empty_columns():
    # Calamine reports the used range from C5; row and column numbers must still
    # be the spreadsheet's: header in row 5, the bad line in row 7, Pool in column D.
    costs = [COST_HEADER, M365, cost_row("Printers", "Facilities", "Fixed", amount=100)]
    data = xlsx_bytes(
        {
            "Costs": costs,
            "Headcount": HEADCOUNT_ROWS,
            "Service desk": SERVICE_DESK_ROWS,
        },
        first_row={"Costs": 5},
        first_column={"Costs": 3},
    )
    upload = read_upload(data, "a.xlsx")
    issue = issue_at(upload, "Costs", 7, "Pool (D)")
    assert "Facilities" in issue.message


# Many mistakes at once


def test_a_workbook_with_several_mistakes_reports_all_of_them_at_once():
    costs = [
        M365,  # row 2 is fine
        cost_row("Printers", "Facilities", "Fixed", amount=100),  # row 3
        cost_row("ITSM platform", "Support tools", "Fixed", amount="TBD"),  # row 4
        cost_row(
            "Agents", "Service desk (Tier 1)", "Staffed", unit_cost=6500, tier="Tier 1"
        ),  # row 5
        cost_row(
            "Kits", "Desktop support", "Step", unit_cost=1200, users_per_unit=0
        ),  # row 6
    ]
    headcount = [
        ["Quarter", "Employees", "Contingent"],
        ["2026-Q4", 1000, 100],
        ["2027-Q1", 1100, 100],
        ["2027-Q3", 1300, 100],  # row 4: 2027-Q2 left out
    ]
    upload = read_upload(canonical_bytes(costs, headcount=headcount), "a.xlsx")

    assert upload.has_errors
    assert upload.cost_base is None
    assert upload.headcount is None
    assert len(errors_of(upload)) == 5

    pool = issue_at(upload, "Costs", 3, "Pool (B)")
    assert "'Facilities'" in pool.message
    assert all(name in pool.message for name in POOLS)

    amount = issue_at(upload, "Costs", 4, "Amount (D)")
    assert "'TBD'" in amount.message and "not a number" in amount.message

    tickets = issue_at(upload, "Costs", 5, "Tickets per agent (I)")
    assert "Staffed lines need Tickets per agent" in tickets.message

    users = issue_at(upload, "Costs", 6, "Users per unit (G)")
    assert "must be above 0" in users.message

    gap = issue_at(upload, "Headcount", 4, "Quarter (A)")
    assert "2027-Q2" in gap.message
    assert gap.as_dict() == {
        "severity": "error",
        "where": "Headcount, row 4, column Quarter (A)",
        "message": gap.message,
    }


def test_a_required_field_without_its_column_names_the_column_to_add():
    header = ["Item", "Pool", "Behaviour", "Unit cost", "Tier"]
    data = xlsx_bytes(
        {
            "Costs": [
                header,
                ["Agents", "Service desk (Tier 1)", "Staffed", 6500, "Tier 1"],
            ],
            "Headcount": HEADCOUNT_ROWS,
            "Service desk": SERVICE_DESK_ROWS,
        }
    )
    upload = read_upload(data, "a.xlsx")
    issue = issue_at(upload, "Costs", 2, "Tickets per agent")
    assert "no Tickets per agent column" in issue.message


def test_per_user_line_with_only_an_amount_says_to_use_unit_cost():
    upload = read_upload(
        canonical_bytes(
            [cost_row("M365", "Productivity software", "Per user", amount=36000)]
        ),
        "a.xlsx",
    )
    issue = issue_at(upload, "Costs", 2, "Unit cost (F)")
    assert "Amount is filled" in issue.message


@pytest.mark.parametrize(
    ("fields", "column", "words"),
    [
        ({"tickets_per_agent": 0}, "Tickets per agent (I)", "must be above 0"),
        ({"tickets_per_agent": -5}, "Tickets per agent (I)", "must be above 0"),
        ({"min_units": -1}, "Min units (J)", "0 or more"),
        ({"escalation": -1.0}, "Escalation (N)", "100% or more"),
        ({"in_service": "03/04/2027"}, "In service (L)", "ISO"),
        ({"renew": "maybe"}, "Renew (M)", "Yes or No"),
        ({"period": "fortnight"}, "Period (E)", "Month, Quarter, Year"),
        ({"tier": "Tier 3"}, "Tier (H)", "Tier 1, Desktop, Tier 2"),
    ],
)
def test_bad_cells_of_a_staffed_line(fields, column, words):
    line = {"unit_cost": 6500, "tier": "Tier 1", "tickets_per_agent": 450, **fields}
    upload = read_upload(
        canonical_bytes(
            [cost_row("Agents", "Service desk (Tier 1)", "Staffed", **line)]
        ),
        "a.xlsx",
    )
    issue = issue_at(upload, "Costs", 2, column)
    assert issue.severity is Severity.ERROR
    assert words in issue.message
    assert upload.cost_base is None


def test_life_months_must_be_whole_and_above_zero():
    rows = [
        cost_row("A", "Desktop support", "Depreciation", amount=1000, life_months=0),
        cost_row("B", "Desktop support", "Depreciation", amount=1000, life_months=36.5),
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert "must be above 0" in issue_at(upload, "Costs", 2, "Life months (K)").message
    assert "whole months" in issue_at(upload, "Costs", 3, "Life months (K)").message


def test_a_missing_item_pool_or_behaviour_is_an_error_on_its_cell():
    rows = [
        [None, "Support tools", "Fixed", 100],
        ["ITSM", None, "Fixed", 100],
        ["ITSM 2", "Support tools", None, 100],
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert "name the cost line" in issue_at(upload, "Costs", 2, "Item (A)").message
    assert "enter a cost pool" in issue_at(upload, "Costs", 3, "Pool (B)").message
    assert "enter a behaviour" in issue_at(upload, "Costs", 4, "Behaviour (C)").message


# Values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.50", 1234.50),
        ("USD 1,234.00", 1234.0),
        ("(1,200.00)", -1200.0),
        ("12%", 0.12),
        ("1 234", 1234.0),
        ("1\u00a0234,56", 1234.56),
        ("-", 0.0),
        ("$ -", 0.0),
        ("1.234,56", 1234.56),
        ("€1.234,56", 1234.56),
        ("-$45.10", -45.10),
        ("  $0.99 ", 0.99),
        ("1,234,567.89", 1234567.89),
        ("1e3", 1000.0),
        ("£12", 12.0),
    ],
)
def test_money_text_is_read_to_the_cent(text, expected):
    assert read_number(text).value == expected


@pytest.mark.parametrize(
    "text",
    ["TBD", "n/a", "nan", "inf", "1,2,3", "12 34", "--5", "$", "1.2.3,4,5", "5 apples"],
)
def test_text_that_is_not_plainly_a_number_is_an_error(text):
    with pytest.raises(CellError, match="not a number"):
        read_number(text)


@pytest.mark.parametrize("value", [True, date(2027, 1, 1)])
def test_booleans_and_dates_are_not_numbers(value):
    with pytest.raises(CellError):
        read_number(value)


def test_money_text_in_a_workbook_reaches_the_cost_line_to_the_cent():
    rows = [
        cost_row("A", "Support tools", "Fixed", amount="$1,234.50"),
        cost_row("B", "Support tools", "Fixed", amount="(1,200)"),
        cost_row("C", "Support tools", "Fixed", amount="USD 99.99"),
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert upload.cost_base is not None
    assert [line.amount for line in upload.cost_base.lines] == [1234.50, -1200.0, 99.99]
    # '(1,200)' alone could be -1.2; the file's '$1,234.50' says the comma groups
    # thousands, and a warning says how it was read. The credit is allowed, and said.
    credit, reading = sorted(
        (issue.message for issue in warnings_of(upload) if issue.row == 3),
        key=lambda message: "credit" not in message,
    )
    assert "credit" in credit
    assert "'(1,200)' (row 3, column Amount (D)) as -1200, not -1.2" in reading


@pytest.mark.parametrize(
    ("cell", "expected", "warns"),
    [
        (3, 0.03, True),
        ("3%", 0.03, False),
        (0.03, 0.03, False),
        ("0.5%", 0.005, False),
        (1, 1.0, True),  # 100% a year is read as written, but said
    ],
)
def test_escalation_is_read_as_a_fraction(cell, expected, warns):
    upload = read_upload(
        canonical_bytes(
            [cost_row("ITSM", "Support tools", "Fixed", amount=100, escalation=cell)]
        ),
        "a.xlsx",
    )
    assert upload.cost_base is not None
    assert upload.cost_base.lines[0].escalation == pytest.approx(expected)
    assert bool(warnings_of(upload)) is warns
    if warns:
        message = issue_at(upload, "Costs", 2, "Escalation (N)").message
        assert f"{cell}%" in message


@pytest.mark.parametrize(
    ("word", "pool"),
    [
        ("Service desk", "Service desk (Tier 1)"),
        ("help desk", "Service desk (Tier 1)"),
        ("Tier 1", "Service desk (Tier 1)"),
        ("Desktop", "Desktop support"),
        ("Desk-side", "Desktop support"),
        ("Licences/Software", "Productivity software"),
        ("MSP", "Managed service"),
        ("Outsourcing", "Managed service"),
        ("support TOOLS", "Support tools"),
        ("tier 2", "Tier 2"),
        ("Other", "Other"),
    ],
)
def test_pool_synonyms(word, pool):
    assert read_pool(word) == pool


@pytest.mark.parametrize(
    ("word", "behaviour"),
    [
        ("per-user", Behaviour.PER_USER),
        ("Per seat", Behaviour.PER_USER),
        ("step cost", Behaviour.STEP),
        ("Staffing", Behaviour.STAFFED),
        ("per-ticket", Behaviour.PER_TICKET),
        ("capex", Behaviour.DEPRECIATION),
        ("Amortised", Behaviour.DEPRECIATION),
        ("FIXED", Behaviour.FIXED),
    ],
)
def test_behaviour_synonyms(word, behaviour):
    assert read_behaviour(word) is behaviour


@pytest.mark.parametrize(
    ("word", "period"),
    [
        ("month", Period.MONTH),
        ("Monthly", Period.MONTH),
        ("mo", Period.MONTH),
        ("quarterly", Period.QUARTER),
        ("Qtr", Period.QUARTER),
        ("annual", Period.YEAR),
        ("yearly", Period.YEAR),
        ("yr", Period.YEAR),
        ("p.a.", Period.YEAR),
    ],
)
def test_period_synonyms(word, period):
    assert read_period(word) is period


@pytest.mark.parametrize(
    ("word", "tier"),
    [
        ("T1", Tier.TIER_1),
        ("L1", Tier.TIER_1),
        ("Help desk", Tier.TIER_1),
        ("Deskside", Tier.DESKTOP),
        ("desk-side", Tier.DESKTOP),
        ("Field", Tier.DESKTOP),
        ("L2", Tier.TIER_2),
        ("tier 2", Tier.TIER_2),
    ],
)
def test_tier_synonyms(word, tier):
    assert read_tier(word) is tier


def test_an_unknown_word_lists_the_allowed_ones():
    with pytest.raises(CellError, match="Fixed, Per user, Step, Staffed"):
        read_behaviour("sometimes")


def test_empty_period_is_a_month_and_empty_renew_is_yes():
    upload = read_upload(
        canonical_bytes([cost_row("ITSM", "Support tools", "Fixed", amount=100)]),
        "a.xlsx",
    )
    assert upload.cost_base is not None
    line = upload.cost_base.lines[0]
    assert (line.period, line.renew, line.min_units, line.escalation) == (
        Period.MONTH,
        True,
        0.0,
        0.0,
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("yes", True),
        ("No", False),
        ("TRUE", True),
        ("false", False),
        ("y", True),
        ("n", False),
        (1, True),
        (0, False),
        (True, True),
    ],
)
def test_renew_words(cell, expected):
    assert read_bool(cell) is expected


@pytest.mark.parametrize(
    "cell",
    [
        date(2027, 3, 1),
        "2027-03-01",
        "2027-03-01 00:00:00",
        46447,
        "46447",
        "1 Mar 2027",
    ],
)
def test_in_service_dates(cell):
    # Excel serial 46447: 2027-03-01 is 46,447 days after 1899-12-30
    assert read_date(cell) == date(2027, 3, 1)


def test_ambiguous_text_date_asks_for_iso():
    with pytest.raises(CellError, match=r"2027-04-03 \(day first\) or 2027-03-04.*ISO"):
        read_date("03/04/2027")


def test_a_serial_number_that_is_not_a_plausible_date_is_an_error():
    with pytest.raises(CellError, match="1905-07-19"):
        read_date(2027)


def test_total_subtotal_heading_and_blank_rows():
    rows = [
        ["Software"],  # row 2: a section heading
        M365,  # row 3
        [],  # row 4: blank
        ["Software subtotal", None, None, 36000],  # row 5
        [None, "Total", None, 99999],  # row 6
        cost_row("ITSM", "Support tools", "Fixed", amount=100),  # row 7
        ["Grand total", "Other", "Fixed", 99999],  # row 8
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert not upload.has_errors
    assert upload.cost_base is not None
    assert [line.item for line in upload.cost_base.lines] == [
        "Microsoft 365 E3",
        "ITSM",
    ]
    assert "heading" in issue_at(upload, "Costs", 2).message
    for row in (5, 6, 8):
        issue = issue_at(upload, "Costs", row)
        assert issue.severity is Severity.WARNING
        assert "total" in issue.message


def test_duplicate_items_are_counted_with_a_warning():
    upload = read_upload(canonical_bytes([M365, M365]), "a.xlsx")
    assert upload.cost_base is not None
    assert len(upload.cost_base.lines) == 2
    issue = issue_at(upload, "Costs", 3, "Item (A)")
    assert issue.severity is Severity.WARNING
    assert "row 2" in issue.message


def test_a_costs_sheet_with_only_a_header_is_an_error():
    upload = read_upload(canonical_bytes([]), "a.xlsx")
    assert "no cost lines" in issue_at(upload, "Costs", 1).message


# Workbook-specific cells


def test_formula_without_saved_value_and_excel_errors_are_named():
    # openpyxl saves formulas without their results, as many scripts do.
    rows = [
        cost_row("A", "Support tools", "Fixed", amount="=100*12"),
        cost_row("B", "Support tools", "Fixed", amount="#DIV/0!"),
    ]
    # openpyxl writes '#DIV/0!' as an error cell (t="e"), as Excel does.
    book = canonical_bytes(rows)
    upload = read_upload(book, "a.xlsx")
    assert "no saved result" in issue_at(upload, "Costs", 2, "Amount (D)").message
    assert "#DIV/0!" in issue_at(upload, "Costs", 3, "Amount (D)").message
    assert upload.cost_base is None


def test_a_pool_merged_down_several_rows_applies_to_each():
    from openpyxl import load_workbook

    rows = [
        cost_row("A", "Support tools", "Fixed", amount=100),
        cost_row("B", None, "Fixed", amount=200),
        cost_row("C", None, "Fixed", amount=300),
    ]
    book = load_workbook(io.BytesIO(canonical_bytes(rows)))
    book["Costs"].merge_cells("B2:B4")
    buffer = io.BytesIO()
    book.save(buffer)
    upload = read_upload(buffer.getvalue(), "a.xlsx")
    assert not upload.has_errors
    assert upload.cost_base is not None
    assert [line.pool for line in upload.cost_base.lines] == ["Support tools"] * 3
    assert "merged" in issue_at(upload, "Costs", 2, "B").message


def test_hidden_rows_and_columns_are_read_with_a_warning():
    from openpyxl import load_workbook

    rows = [
        M365,
        cost_row("Old ITSM", "Support tools", "Fixed", amount=100, vendor="X"),
    ]
    book = load_workbook(io.BytesIO(canonical_bytes(rows)))
    book["Costs"].row_dimensions[3].hidden = True
    book["Costs"].column_dimensions["O"].hidden = True  # Vendor
    buffer = io.BytesIO()
    book.save(buffer)
    upload = read_upload(buffer.getvalue(), "a.xlsx")
    assert not upload.has_errors
    assert upload.cost_base is not None
    assert len(upload.cost_base.lines) == 2  # hidden, but counted, and said so
    assert "Row 3 is hidden" in issue_at(upload, "Costs", 3).message
    assert "hidden" in issue_at(upload, "Costs", 1, "Vendor (O)").message
    assert len(upload.issues) == 2


def test_a_workbook_written_by_the_program_reads_back_exactly():
    from cpsu.workbook import input_workbook

    lines = (
        CostLine(
            "M365",
            "Productivity software",
            Behaviour.PER_USER,
            unit_cost=36.0,
            escalation=0.03,
            vendor="Microsoft",
            notes="=not a formula",
        ),
        CostLine(
            "ITSM", "Support tools", Behaviour.FIXED, amount=54000.0, period=Period.YEAR
        ),
        CostLine(
            "Agents",
            "Service desk (Tier 1)",
            Behaviour.STAFFED,
            unit_cost=6500.0,
            tier=Tier.TIER_1,
            tickets_per_agent=450.0,
            min_units=2.0,
        ),
        CostLine(
            "Kits",
            "Desktop support",
            Behaviour.STEP,
            period=Period.QUARTER,
            unit_cost=1200.0,
            users_per_unit=250.0,
        ),
        CostLine(
            "T2", "Tier 2", Behaviour.PER_TICKET, unit_cost=42.5, tier=Tier.TIER_2
        ),
        CostLine(
            "Laptops",
            "Desktop support",
            Behaviour.DEPRECIATION,
            amount=180000.0,
            life_months=36,
            in_service=date(2026, 10, 1),
            renew=False,
        ),
    )
    workspace = Workspace(
        cost_base=CostBase(lines),
        headcount=Headcount(
            (HeadcountRow("2026-Q4", 1000, 100), HeadcountRow("2027-Q1", 1100, 0))
        ),
        scenario=Scenario(
            name="Fast growth",
            horizon_quarters=12,
            growth_per_quarter=0.15,
            service_desk=ServiceDesk(resolution_rate=0.72, deflection_step=0.02),
        ),
        source="test",
    )
    upload = read_upload(input_workbook(workspace, workspace.scenario), "inputs.xlsx")
    assert upload.issues == ()
    assert apply_upload(workspace, upload, "test") == workspace


# Headcount


def _headcount_upload(rows) -> Upload:
    return read_upload(
        canonical_bytes(
            [M365], headcount=[["Quarter", "Employees", "Contingent"], *rows]
        ),
        "a.xlsx",
    )


def test_headcount_duplicates_and_order_are_errors_naming_the_row():
    upload = _headcount_upload(
        [
            ["2026-Q4", 100, 0],
            ["2027-Q1", 110, 0],
            ["2027-Q1", 120, 0],
            ["2026-Q3", 90, 0],
        ]
    )
    assert "also in row 3" in issue_at(upload, "Headcount", 4, "Quarter (A)").message
    assert "in order" in issue_at(upload, "Headcount", 5, "Quarter (A)").message
    assert upload.headcount is None


def test_headcount_must_be_whole_and_not_negative():
    upload = _headcount_upload([["2026-Q4", 100.5, 0], ["2027-Q1", 100, -3]])
    assert "whole" in issue_at(upload, "Headcount", 2, "Employees (B)").message
    assert "negative" in issue_at(upload, "Headcount", 3, "Contingent (C)").message


def test_a_baseline_without_users_is_an_error():
    upload = _headcount_upload([["2026-Q4", 0, None]])
    assert (
        "no supported users"
        in issue_at(upload, "Headcount", 2, "Employees (B)").message
    )


def test_headcount_synonyms_quarter_labels_and_dates():
    rows = [
        ["Period", "FTE", "Contractors"],
        ["2026 Q4", "1 000", 50],
        ["Q1 2027", 1100, None],
        [date(2027, 5, 15), 1200, 60],
    ]
    upload = read_upload(canonical_bytes([M365], headcount=rows), "a.xlsx")
    assert upload.issues == ()
    assert upload.headcount == Headcount(
        rows=(
            HeadcountRow("2026-Q4", 1000, 50),
            HeadcountRow("2027-Q1", 1100, 0),
            HeadcountRow("2027-Q2", 1200, 60),
        )
    )


def test_a_bad_quarter_label_says_how_to_write_it():
    upload = _headcount_upload([["FY27 Q1", 100, 0]])
    assert "2026-Q4" in issue_at(upload, "Headcount", 2, "Quarter (A)").message


# Service desk and assumptions


def test_service_desk_rates_as_percentages_and_out_of_range_values():
    desk = [
        ["Parameter", "Value"],
        ["Resolution rate", 140],  # row 2: a plain 140 is 140%
        ["Deflection", "25%"],  # row 3
        ["Agent productivity", 3],  # row 4
        ["Deflection cap", "140%"],  # row 5
    ]
    upload = read_upload(canonical_bytes([M365], service_desk=desk), "a.xlsx")
    resolution = issue_at(upload, "Service desk", 2, "Value (B)")
    assert resolution.severity is Severity.ERROR
    assert "140, read as 140%, outside 0% to 100%" in resolution.message
    cap = issue_at(upload, "Service desk", 5, "Value (B)")
    assert "140%" in cap.message
    unknown = issue_at(upload, "Service desk", 4, "Parameter (A)")
    assert unknown.severity is Severity.WARNING
    assert "'Agent productivity'" in unknown.message
    assert upload.scenario is None
    assert upload.cost_base is not None  # the costs were fine
    rows = [issue.row for issue in upload.issues if issue.sheet == "Service desk"]
    assert rows == [None, 2, 4, 5]  # the sheet-wide warning about defaults first


def test_service_desk_synonyms_and_defaults_for_what_is_left_out():
    desk = [["Parameter", "Value"], ["FCR", "65%"], ["Self-service deflection", 0.2]]
    upload = read_upload(canonical_bytes([M365], service_desk=desk), "a.xlsx")
    assert not upload.has_errors
    assert upload.scenario is not None
    assert upload.scenario.service_desk == ServiceDesk(
        resolution_rate=0.65, deflection=0.2
    )
    (warning,) = warnings_of(upload)
    assert "Deflection cap 45%" in warning.message


def test_assumptions_horizon_must_be_whole_quarters_in_range():
    assumptions = [
        ["Parameter", "Value"],
        ["Horizon quarters", 80],
        ["Growth per quarter", "10%"],
    ]
    upload = read_upload(canonical_bytes([M365], assumptions=assumptions), "a.xlsx")
    assert "1 to 40" in issue_at(upload, "Assumptions", 2, "Value (B)").message
    assert upload.scenario is None


# CSV


CSV_ROWS = [
    COST_HEADER,
    cost_row(
        "Café licences", "Software", "per seat", unit_cost="$12.50", period="monthly"
    ),
    cost_row("ITSM", "Support tools", "Fixed", amount="$1,234.50", period="Year"),
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_each_encoding_and_delimiter(delimiter, encoding):
    upload = read_upload(
        csv_bytes(CSV_ROWS, delimiter=delimiter, encoding=encoding), "costs.csv"
    )
    assert upload.kind == "csv"
    assert errors_of(upload) == []
    assert upload.headcount is None and upload.scenario is None
    assert upload.cost_base is not None
    cafe, itsm = upload.cost_base.lines
    assert cafe == CostLine(
        "Café licences", "Productivity software", Behaviour.PER_USER, unit_cost=12.5
    )
    assert itsm.amount == 1234.50
    assert itsm.period is Period.YEAR
    encoding_warnings = [issue for issue in upload.issues if "cp1252" in issue.message]
    assert bool(encoding_warnings) is (encoding == "cp1252")


def test_csv_rows_are_numbered_by_the_file_lines():
    text = (
        "Cost base FY27\r\n"  # line 1
        "\r\n"  # line 2
        "Item,Pool,Behaviour,Amount,Notes\r\n"  # line 3
        'ITSM,Support tools,Fixed,100,"two\r\nlines"\r\n'  # lines 4-5
        "Printers,Facilities,Fixed,100,\r\n"  # line 6
    )
    upload = read_upload(text.encode(), "costs.csv")
    issue = issue_at(upload, "costs.csv", 6, "Pool (B)")
    assert issue.where == "costs.csv, row 6, column Pool (B)"


def test_semicolon_csv_reads_decimal_commas():
    rows = [
        ["Item", "Pool", "Behaviour", "Amount"],
        ["ITSM", "Support tools", "Fixed", "1.234,50"],
    ]
    upload = read_upload(csv_bytes(rows, delimiter=";"), "costs.csv")
    assert upload.cost_base is not None
    assert upload.cost_base.lines[0].amount == 1234.50


def test_semicolon_csv_warns_when_a_separator_could_mean_thousands():
    rows = [
        ["Item", "Pool", "Behaviour", "Amount"],
        ["ITSM", "Support tools", "Fixed", "1,234"],
    ]
    upload = read_upload(csv_bytes(rows, delimiter=";"), "costs.csv")
    assert upload.cost_base is not None
    assert upload.cost_base.lines[0].amount == pytest.approx(1.234)
    assert "1234" in issue_at(upload, "costs.csv", 2, "Amount (D)").message


def test_utf16_csv_from_excel_unicode_text():
    data = csv_bytes(CSV_ROWS, delimiter="\t", encoding="utf-16")
    upload = read_upload(data, "costs.txt")
    assert errors_of(upload) == []
    assert upload.cost_base is not None
    assert upload.cost_base.lines[0].item == "Café licences"


# What the bytes are


def test_an_xlsx_named_xls_is_read_as_a_workbook():
    upload = read_upload(canonical_bytes([M365]), "costs.xls")
    assert upload.kind == "workbook"
    assert upload.issues == ()


def test_a_csv_named_xlsx_is_read_as_csv():
    upload = read_upload(csv_bytes(CSV_ROWS), "costs.xlsx")
    assert upload.kind == "csv"
    assert not upload.has_errors


def test_a_damaged_legacy_xls_is_refused_with_what_to_do():
    upload = read_upload(OLE_BYTES, "costs.xls")
    (issue,) = upload.issues
    assert issue.severity is Severity.ERROR
    assert "legacy Excel" in issue.message and ".xlsx" in issue.message
    assert upload.kind == "workbook"


def test_a_password_protected_workbook_says_so():
    data = OLE_BYTES + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    (issue,) = read_upload(data, "costs.xlsx").issues
    assert "password" in issue.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 ...", "a PDF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "PNG"),
        (b"<html><body><table></table></body></html>", "HTML"),
        (bytes(range(256)) * 4, "not UTF-8"),
        (b"PK\x03\x04 this is not really a zip", "damaged"),
        (b"a,b\x00,c\n", "binary"),
    ],
)
def test_content_that_is_not_a_workbook_or_csv(data, words):
    upload = read_upload(data, "costs.xlsx")
    assert upload.has_errors
    assert upload.cost_base is None
    assert any(words in issue.message for issue in upload.issues), upload.issues


def test_a_workbook_with_a_damaged_part_says_it_is_damaged():
    # Corrupt the compressed bytes of the Costs sheet, past its local header.
    data = bytearray(canonical_bytes([M365]))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + 40] = bytes([0xFF]) * 40
    (issue,) = read_upload(bytes(data), "a.xlsx").issues
    assert "damaged" in issue.message


def test_a_zip_needing_an_unknown_version_says_it_is_damaged():
    data = bytearray(canonical_bytes([M365]))
    directory = data.rfind(b"PK\x01\x02")  # the last central directory entry
    data[directory + 6] = 200  # "version needed to extract": 20.0
    (issue,) = read_upload(bytes(data), "a.xlsx").issues
    assert "damaged" in issue.message


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    (issue,) = read_upload(buffer.getvalue(), "costs.xlsx").issues
    assert "Word document" in issue.message


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    data = b"PK\x03\x04" + bytes(MAX_UPLOAD_BYTES)
    (issue,) = read_upload(data, "huge.xlsx").issues
    assert "limit is 50 MB" in issue.message


def test_a_cell_far_away_is_refused_instead_of_exhausting_memory():
    # One cell at row 1,000,000, column 16,000 makes calamine allocate the whole
    # block between A1 and it (16 billion cells); the scan must stop that first.
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(canonical_bytes([M365])))
    book["Costs"].cell(row=1_000_000, column=16_000).value = "stray"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = read_upload(buffer.getvalue(), "a.xlsx")
    issue = issue_at(upload, "Costs", None)
    assert "row 1,000,000" in issue.message
    assert upload.cost_base is None
    assert upload.headcount is not None  # the other sheets are still read


def test_a_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    data = rewrite_part(
        canonical_bytes([M365]),
        "docProps/app.xml",
        lambda xml: xml + b"<!--" + b" " * (3 * 1024 * 1024) + b"-->",
    )
    assert len(data) < 100_000
    (issue,) = read_upload(data, "a.xlsx").issues
    assert "zip bomb" in issue.message


def test_an_xml_part_with_a_dtd_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    )
    data = rewrite_part(
        canonical_bytes([M365]),
        "xl/workbook.xml",
        lambda xml: bomb + xml,
    )
    (issue,) = read_upload(data, "a.xlsx").issues
    assert "DTD" in issue.message


def test_a_dtd_hidden_behind_a_long_comment_is_refused():
    # A DTD may follow comments in the prolog; 200 KB of comment must not hide it.
    padding = b"<!--" + b"x" * 200_000 + b"-->"
    data = rewrite_part(
        canonical_bytes([M365]),
        "xl/worksheets/sheet2.xml",
        lambda xml: padding + b'<!DOCTYPE w [<!ENTITY a "aaaa">]>' + xml,
    )
    (issue,) = read_upload(data, "a.xlsx").issues
    assert "DTD" in issue.message


def test_a_worksheet_no_sheet_points_to_is_still_checked():
    # Worksheets are unpacked by their scan; one that no sheet lists is not
    # scanned, so it is unpacked and checked on its own, DTD and all.
    data = canonical_bytes([M365])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr(
            "xl/worksheets/sheet99.xml",
            b'<!DOCTYPE w [<!ENTITY a "aaaa">]><worksheet/>',
        )
    (issue,) = read_upload(buffer.getvalue(), "a.xlsx").issues
    assert "xl/worksheets/sheet99.xml declares a DTD" in issue.message


def test_a_damaged_worksheet_is_refused_with_the_part_named():
    # Flip one byte inside the packed data of the Costs sheet: unpacking it
    # fails its checksum (or its inflate), and the message names the part.
    data = bytearray(canonical_bytes([M365]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    header = info.header_offset
    name_length, extra_length = struct.unpack("<HH", data[header + 26 : header + 30])
    start = header + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF
    (issue,) = read_upload(bytes(data), "a.xlsx").issues
    assert issue.severity is Severity.ERROR
    assert "damaged (xl/worksheets/sheet2.xml" in issue.message
    assert "save it again as .xlsx" in issue.message


def test_an_unexpected_failure_inside_the_reader_becomes_an_issue(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("cpsu.ingest.upload.read_costs", broken)
    with caplog.at_level(logging.ERROR, logger="cpsu.ingest.upload"):
        upload = read_upload(canonical_bytes([M365]), "a.xlsx")
    (issue,) = upload.issues
    assert issue.severity is Severity.ERROR
    assert "RuntimeError" in issue.message
    assert CATCH_ALL in issue.message
    assert any(record.exc_info for record in caplog.records)


# Applying an upload


def _workspace() -> Workspace:
    return Workspace(
        cost_base=CostBase((CostLine("Old", "Other", Behaviour.FIXED, amount=1.0),)),
        headcount=Headcount((HeadcountRow("2025-Q1", 10, 0),)),
        scenario=Scenario(name="Current", growth_per_quarter=0.2),
        source="before",
    )


def test_a_workbook_upload_replaces_everything():
    upload = read_upload(canonical_bytes([M365]), "a.xlsx")
    workspace = apply_upload(_workspace(), upload, "a.xlsx")
    assert workspace.cost_base == upload.cost_base
    assert workspace.headcount == upload.headcount
    assert workspace.scenario == upload.scenario
    assert workspace.source == "a.xlsx"


def test_a_csv_upload_replaces_only_the_cost_base():
    current = _workspace()
    upload = read_upload(csv_bytes(CSV_ROWS), "costs.csv")
    workspace = apply_upload(current, upload, "costs.csv")
    assert workspace.cost_base == upload.cost_base
    assert workspace.headcount == current.headcount
    assert workspace.scenario == current.scenario
    assert workspace.source == "costs.csv"


def test_an_upload_with_errors_is_never_applied():
    current = _workspace()
    upload = read_upload(
        canonical_bytes([cost_row("X", "Nowhere", "Fixed", amount=1)]), "a.xlsx"
    )
    with pytest.raises(ValueError, match="not applied"):
        apply_upload(current, upload, "a.xlsx")
    assert current == _workspace()


# Properties


@settings(max_examples=80, deadline=None)
@given(
    prefix=st.sampled_from(
        [b"", b"PK\x03\x04", OLE_BYTES[:8], b"\xef\xbb\xbf", b"Item,Pool,Behaviour\n"]
    ),
    body=st.binary(max_size=2048),
)
def test_random_bytes_never_raise(prefix, body):
    upload = read_upload(prefix + body, "upload.xlsx")
    assert isinstance(upload, Upload)
    assert not any(CATCH_ALL in issue.message for issue in upload.issues)
    assert upload.kind in ("workbook", "csv")
    assert all(
        issue.severity in (Severity.ERROR, Severity.WARNING) for issue in upload.issues
    )
    assert upload.has_errors or upload.cost_base is not None


_VALID_BOOK = canonical_bytes(
    [
        M365,
        cost_row("ITSM", "Support tools", "Fixed", amount=100, in_service="2026-10-01"),
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(_VALID_BOOK) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    )
)
def test_a_damaged_workbook_never_raises(changes):
    data = bytearray(_VALID_BOOK)
    for position, value in changes:
        data[position] = value
    upload = read_upload(bytes(data), "a.xlsx")
    assert isinstance(upload, Upload)
    assert not any(CATCH_ALL in issue.message for issue in upload.issues)
    assert upload.has_errors or upload.cost_base is not None


# Text that no reading can take for a number: it holds a letter or sign that no
# currency code, exponent or separator uses. No control characters: a workbook
# cannot hold them.
_CELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=6
)
_JUNK_TEXT = st.builds(
    lambda head, mark, tail: head + mark + tail,
    _CELL_TEXT,
    st.sampled_from([*"LMQTVWX?!#@&_=~^", "TBD", "n/a", "nan", "inf"]),
    _CELL_TEXT,
)
_NUMBERS = st.one_of(
    st.integers(-(10**9), 10**9).map(float),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
)
_AMOUNT_CELLS = st.one_of(
    _NUMBERS.map(lambda number: ("number", number, number)),
    st.integers(0, 10**8).map(
        lambda cents: ("text", f"${cents / 100:,.2f}", round(cents / 100, 2))
    ),
    _JUNK_TEXT.map(lambda text: ("junk", text, None)),
    st.booleans().map(lambda flag: ("junk", flag, None)),
    st.dates(date(1990, 1, 1), date(2100, 1, 1)).map(lambda day: ("junk", day, None)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amounts=st.lists(_AMOUNT_CELLS, min_size=1, max_size=6),
    junk=st.one_of(
        st.none(),
        st.lists(st.one_of(st.none(), _JUNK_TEXT, _NUMBERS), min_size=16, max_size=16),
    ),
)
def test_junk_cells_never_raise_and_never_become_amounts(amounts, junk):
    rows = [
        cost_row(f"Line {n}", "Support tools", "Fixed", amount=cell)
        for n, (_, cell, _) in enumerate(amounts)
    ]
    if junk is not None:
        # A row of junk in every column, which must not change the rows around it.
        rows.append(junk)
    upload = read_upload(canonical_bytes(rows), "a.xlsx")

    for n, (kind, _, _) in enumerate(amounts):
        amount_errors = [
            issue
            for issue in errors_of(upload)
            if issue.row == n + 2 and issue.column == "Amount (D)"
        ]
        assert len(amount_errors) == (1 if kind == "junk" else 0), upload.issues

    if any(kind == "junk" for kind, _, _ in amounts):
        assert upload.cost_base is None
    elif junk is None:
        assert upload.cost_base is not None
        # openpyxl writes floats to 16 significant digits, hence the tolerance.
        assert [line.amount for line in upload.cost_base.lines] == pytest.approx(
            [expected for _, _, expected in amounts], rel=1e-14, abs=1e-9
        )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.text(max_size=12), _JUNK_TEXT), min_size=0, max_size=18),
        max_size=12,
    )
)
def test_a_csv_of_junk_under_a_valid_header_never_raises(table):
    upload = read_upload(csv_bytes([COST_HEADER, *table]), "junk.csv")
    assert isinstance(upload, Upload)
    assert upload.has_errors or upload.cost_base is not None
    for issue in upload.issues:
        assert issue.sheet == "junk.csv"
        if issue.column:
            assert issue.column.endswith(")") or issue.column in COST_HEADER


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


@pytest.mark.parametrize("amount", [1200, "L"])
def test_a_row_over_an_indented_row_without_an_amount_is_no_subtotal(amount):
    # Row 3 is indented text with no amount: nothing for row 2 to add up, so
    # row 2 stays a line (1,200 a month) or, with "L", an error at its Amount.
    rows = [
        cost_row("Line 0", "Support tools", "Fixed", amount=amount),
        [" L"] + [None] * 15,
    ]
    upload = read_upload(canonical_bytes(rows), "a.xlsx")
    assert not [i for i in upload.issues if "subtotal" in i.message]
    if amount == "L":
        assert [(i.row, i.column) for i in errors_of(upload)] == [(2, "Amount (D)")]
    else:
        assert [line.amount for line in upload.cost_base.lines] == [1200]
