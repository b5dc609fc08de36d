"""Per user lines mapped from GL spend keep that spend, whatever comes after."""

from __future__ import annotations

import io

import openpyxl

from cpsu.costs import Behaviour, CostBase, CostLine
from cpsu.mapping import MappedLine, reprice_per_user
from tests.test_pages import (
    add_rule,
    cost_base_page,
    metric,
    new_app,
    scenarios_page,
    upload,
)


def saas_export() -> bytes:
    """Six months: SaaS 6100 and 6150 with a credit, a Dell laptop buy."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Posting date", "Account", "Vendor", "Description", "Amount"])
    for month in range(1, 7):
        sheet.append([f"2026-0{month}-15", 6100, "Microsoft", "M365", 10_000])
        sheet.append([f"2026-0{month}-20", 6150, "Zendesk", "Desk tool", 2_000])
    sheet.append(["2026-03-05", 6200, "Dell", "Laptops", 30_000])
    sheet.append(["2026-04-30", 6100, "Microsoft", "Credit note", -500])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# On 2026-12-31: E1 employed, C1 and C2 contracting: 1 + 2 = 3 users.
ROSTER = (
    b"Employee ID,Worker type,Start date,End date\n"
    b"E1,Employee,2024-03-01,\n"
    b"E2,Employee,2025-07-15,2026-09-30\n"
    b"C1,Contractor,2026-01-10,\n"
    b"C2,Contractor,2026-11-01,\n"
)


def map_the_export(at):
    upload(at, "gl.xlsx", saas_export())
    at = add_rule(at, "account", "6100-6199", "Productivity software", "Per user")
    at = add_rule(at, "vendor", "Dell", "Desktop support", "Fixed")
    use = next(b for b in at.button if b.label.startswith("Use the 2 mapped lines"))
    return use.click().run()


def test_the_run_rate_does_not_depend_on_the_order_of_gl_and_roster():
    # SaaS (60,000 + 12,000 - 500) / 6 = 11,916.67; Dell 30,000 / 6 = 5,000
    gl_first = map_the_export(cost_base_page(new_app()))
    assert metric(gl_first, "Monthly run-rate") == "$16,916.67"
    upload(gl_first, "roster.csv", ROSTER, "text/csv")
    assert not gl_first.exception
    assert metric(gl_first, "Supported users") == "3"
    assert metric(gl_first, "Monthly run-rate") == "$16,916.67"
    assert metric(gl_first, "CPSU") == "$5,638.89"  # 16,916.67 / 3
    # the table escapes Markdown; the user reads the text without backslashes
    notes = [
        note.replace("\\", "")
        for note in gl_first.table[0].value["Problem and what to do"]
    ]
    # 11,916.67 / 3 = 3,972.22
    assert any(
        "Account 6100-6199 re-priced for 3 users: $11,916.67 a month is "
        "$3,972.22 a user" in note
        for note in notes
    )

    roster_first = cost_base_page(new_app())
    upload(roster_first, "roster.csv", ROSTER, "text/csv")
    roster_first = map_the_export(roster_first)
    assert metric(roster_first, "Monthly run-rate") == "$16,916.67"
    assert metric(roster_first, "CPSU") == "$5,638.89"


def test_reprice_keeps_the_spend_and_leaves_other_lines():
    lines = CostBase(
        (
            MappedLine(
                "SaaS",
                "Productivity software",
                Behaviour.PER_USER,
                unit_cost=8.83,
                monthly_spend=11_916.67,
            ),
            CostLine("Laptops per user", "Other", Behaviour.PER_USER, unit_cost=10),
            CostLine("Dell", "Desktop support", Behaviour.FIXED, amount=5_000),
        )
    )
    priced, notes = reprice_per_user(lines, 3)
    assert round(priced.lines[0].unit_cost, 2) == 3972.22  # 11,916.67 / 3
    assert priced.lines[1:] == lines.lines[1:]
    assert len(notes) == 1
    assert "SaaS re-priced for 3 users" in notes[0].message
    # the same users again change nothing and say nothing
    again, none = reprice_per_user(priced, 3)
    assert again == priced and none == ()


def test_a_new_contingent_weight_prices_the_mapped_lines_again():
    at = map_the_export(cost_base_page(new_app()))
    at = scenarios_page(at)
    at.slider(key="scenarios.contingent_weight").set_value(0.5).run()
    assert not at.exception
    # the sample's 1,200 employees + 0.5 x 150 contingent = 1,275 users;
    # the baseline still costs 16,916.67, so CPSU is 16,916.67 / 1,275 = 13.27
    assert metric(at, "CPSU 2026-Q4") == "$13.27"
    said = [info.value.replace("\\", "") for info in at.info]
    assert any("re-priced for 1,275 users" in info for info in said)
    at = cost_base_page(at)
    assert metric(at, "Monthly run-rate") == "$16,916.67"
