"""The actuals workbook: a row per quarter, as the Actuals page reads it.

It is the template a user fills in (written without rows) and the form of
the sample company's history. The columns are the reader's canonical
headers: Quarter, Employees, Contingent, Monthly OPEX, then one column per
cost pool when the history has them, then Tickets per month, Resolution
rate and Satisfaction. Rates are fractions shown as percentages.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cpsu.actuals import Actuals
from cpsu.costs import POOLS

SHEET = "Actuals"
MONEY = '"$"#,##0.00'
PEOPLE = "#,##0"
RATE = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


def actuals_workbook(actuals: Actuals | None = None, title: str = "") -> bytes:
    """The actuals as an .xlsx workbook; with no actuals, the empty template
    with every pool's column."""
    pools = actuals.pools if actuals is not None and actuals.pools else []
    if actuals is None:
        pools = list(POOLS)
    headers = [
        ("Quarter", None, 11),
        ("Employees", PEOPLE, 12),
        ("Contingent", PEOPLE, 12),
        ("Monthly OPEX", MONEY, 16),
        *((pool, MONEY, max(14, len(pool) + 2)) for pool in pools),
        ("Tickets per month", PEOPLE, 12),
        ("Resolution rate", RATE, 12),
        ("Satisfaction", RATE, 12),
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    first = 1
    if title:
        sheet.cell(1, 1, title).font = Font(bold=True, size=13)
        first = 3
    for column, (name, _, width) in enumerate(headers, start=1):
        cell = sheet.cell(first, column, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(first + 1, 2)
    rows = actuals.rows if actuals is not None else ()
    for offset, row in enumerate(rows, start=1):
        values = [
            row.quarter,
            row.employees,
            row.contingent,
            row.monthly_opex,
            *(row.by_pool.get(pool) for pool in pools),
            row.tickets,
            row.resolution_rate,
            row.satisfaction,
        ]
        for column, (value, (_, number_format, _)) in enumerate(
            zip(values, headers, strict=True), start=1
        ):
            cell = sheet.cell(first + offset, column, value)
            if number_format:
                cell.number_format = number_format
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
