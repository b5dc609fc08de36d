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
