"""The Cost base page on exports that are not workbooks: each goes to its step."""

from __future__ import annotations

from test_pages import cost_base_page, metric, new_app, table_with, upload
from test_sniff import GL_ROWS, html_bytes

XLS = "application/vnd.ms-excel"


def test_an_html_gl_export_named_xls_goes_to_the_mapping_step():
    at = cost_base_page(new_app())
    upload(at, "gl.xls", html_bytes(GL_ROWS), XLS)
    assert not at.exception
    assert not at.error
    assert "is a GL export" in at.info[0].value
    # 40,500 + 7,200 + 40,500 + 150 = 88,350, in three vendor groups
    assert metric(at, "Export total") == "$88,350.00"
    assert len(table_with(at, "Vendor")) == 3
    assert metric(at, "Cost lines") == "28"  # the sample stays until lines are used


def test_a_roster_with_salaries_named_xls_becomes_the_headcount():
    rows = [["Name", "Worker type", "Start date", "End date", "Annual salary"]]
    rows += [
        ["Ann", "Employee", "20.06.2022", "", "90,000"],
        ["Bo", "Employee", "03.04.2026", "", "80,000"],  # 3 April, day first
        ["Cy", "Contractor", "01.10.2026", "", "70,000"],
        ["Di", "Employee", "01.02.2024", "15.12.2026", "60,000"],  # gone by 31 Dec
    ]
    at = cost_base_page(new_app())
    lines = metric(at, "Cost lines")
    upload(at, "people.xls", html_bytes(rows, title="HR extract"), XLS)
    assert not at.exception
    assert "is an HR roster" in at.success[0].value
    # On 2026-12-31, the sample's baseline quarter: Ann and Bo employed, Cy
    # contracting; the salaries are not cost lines.
    assert metric(at, "Supported users") == "3"
    assert metric(at, "Cost lines") == lines
