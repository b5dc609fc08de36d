"""Month grids under a year written above the months, and grids of more than a
year: the months under 'FY27' are a grid, not one annual amount, and a grid
of two years costs its latest year, saying which months it left out."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from cpsu.costs import Period
from cpsu.ingest import read_upload
from tests.ingest_fixtures import MONTHS, csv_bytes, errors_of, warnings_of, xlsx_bytes

FISCAL = MONTHS[6:] + MONTHS[:6]


def merged_xlsx(rows: list[list[object]], merges: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def html_table(rows: list[list[object]], spans: dict[tuple[int, int], int]) -> bytes:
    """An HTML table saved as .xls, a cell spanning columns where `spans` says."""
    parts = ["<table>"]
    for at, row in enumerate(rows):
        parts.append("<tr>")
        column = 0
        while column < len(row):
            span = spans.get((at, column), 1)
            value = "" if row[column] is None else row[column]
            wide = f" colspan='{span}'" if span > 1 else ""
            parts.append(f"<td{wide}>{value}</td>")
            column += span
        parts.append("</tr>")
    parts.append("</table>")
    return "".join(parts).encode()


def lines_of(upload) -> list[tuple[str, float]]:
    assert not errors_of(upload), upload.issues
    return [(line.item, round(line.monthly_rate, 2)) for line in upload.cost_base.lines]


def run_rate(upload) -> float:
    return round(sum(line.monthly_rate for line in upload.cost_base.lines), 2)


def messages(upload) -> list[str]:
    return [issue.message for issue in warnings_of(upload)]


# A year above the months

FY27_ROWS = [
    ["Item", "FY27", *[None] * 11],
    [None, *MONTHS],
    ["Zoom", *[1000] * 12],
    ["Slack", *[2000] * 12],
]


def fy27_upload(form: str):
    if form == "merged.xlsx":
        return read_upload(merged_xlsx(FY27_ROWS, ["B1:M1"]), "budget.xlsx")
    if form == "unmerged.xlsx":
        return read_upload(xlsx_bytes({"Budget": FY27_ROWS}), "budget.xlsx")
    if form == "csv":
        return read_upload(csv_bytes(FY27_ROWS), "budget.csv")
    return read_upload(html_table(FY27_ROWS, {(0, 1): 12}), "budget.xls")


@pytest.mark.parametrize("form", ["merged.xlsx", "unmerged.xlsx", "csv", "html"])
def test_months_under_a_fiscal_year_are_a_grid_of_months(form):
    upload = fy27_upload(form)
    # 12 x 1,000 / 12 and 12 x 2,000 / 12: 3,000 a month, not 250
    assert lines_of(upload) == [("Zoom", 1000.00), ("Slack", 2000.00)]
    assert run_rate(upload) == 3000.00
    assert {line.period for line in upload.cost_base.lines} == {Period.MONTH}
    assert upload.cost_base.lines[0].notes == (
        "Average month of 12 (Jan (FY27) (B) to Dec (FY27) (M)), 12,000.00 in all"
    )
    assert any(
        text.startswith("Rows 1 and 2 were read as one header row")
        and "'Jan (FY27)'" in text
        for text in messages(upload)
    )
    assert not [text for text in messages(upload) if "not read" in text]


@pytest.mark.parametrize("label", ["Budget 2027", "FY2027", "FY 2026/27", "Plan"])
def test_months_under_any_group_label_are_a_grid(label):
    rows = [["Item", label, *[None] * 11], *FY27_ROWS[1:]]
    upload = read_upload(merged_xlsx(rows, ["B1:M1"]), "budget.xlsx")
    assert lines_of(upload) == [("Zoom", 1000.00), ("Slack", 2000.00)]
    assert run_rate(upload) == 3000.00


def test_quarters_under_a_fiscal_year_are_a_grid_of_quarters():
    rows = [
        ["Item", "FY27", None, None, None],
        [None, "Q1", "Q2", "Q3", "Q4"],
        ["Zoom", 3000, 3000, 3000, 3000],
        ["Slack", 6000, 6000, 6000, 6000],
    ]
    upload = read_upload(merged_xlsx(rows, ["B1:E1"]), "budget.xlsx")
    # 3,000 and 6,000 a quarter: 1,000 + 2,000 = 3,000 a month
    assert lines_of(upload) == [("Zoom", 1000.00), ("Slack", 2000.00)]
    assert run_rate(upload) == 3000.00


# More than a year of months

TWO_YEARS = [f"{month} {year}" for year in (2026, 2027) for month in MONTHS]
LATEST = (
    "The header has 24 months, more than a year, so each line costs its average "
    "month of the latest 12, Jan 2027 (N) to Dec 2027 (Y); the 12 earlier months "
    "(Jan 2026 (B) to Dec 2026 (M)) were left out. Delete the columns of the "
    "months you do not want averaged, or keep the year you plan for on a sheet of "
    "its own."
)


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_grid_of_two_calendar_years_costs_the_latest_year(form):
    rows = [
        ["Item", *TWO_YEARS],
        ["Zoom", *[1000] * 12, *[1500] * 12],
        ["Slack", *[2000] * 24],
    ]
    if form == "xlsx":
        upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    else:
        upload = read_upload(csv_bytes(rows), "budget.csv")
    # 2027 only: 12 x 1,500 / 12 + 12 x 2,000 / 12 = 3,500, not 3,250
    assert lines_of(upload) == [("Zoom", 1500.00), ("Slack", 2000.00)]
    assert run_rate(upload) == 3500.00
    assert LATEST in messages(upload)
    assert not [text for text in messages(upload) if "not read" in text]


def test_a_total_column_over_both_years_is_not_a_disagreement():
    rows = [
        ["Item", *TWO_YEARS, "Total"],
        ["Zoom", *[1000] * 12, *[1500] * 12, 30000],  # 12,000 + 18,000
        ["Slack", *[2000] * 24, 24000],  # the latest year's total
    ]
    upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    assert lines_of(upload) == [("Zoom", 1500.00), ("Slack", 2000.00)]
    assert not [text for text in messages(upload) if "Total (Z) says" in text]


def test_a_grid_of_two_fiscal_years_costs_the_latest_one():
    rows = [
        ["Item", "FY26", *[None] * 11, "FY27", *[None] * 11],
        [None, *FISCAL, *FISCAL],
        ["Zoom", *[1000] * 12, *[1500] * 12],
        ["Slack", *[2000] * 24],
    ]
    upload = read_upload(merged_xlsx(rows, ["B1:M1", "N1:Y1"]), "budget.xlsx")
    # FY27, Jul to Jun: 1,500 + 2,000 = 3,500 a month
    assert lines_of(upload) == [("Zoom", 1500.00), ("Slack", 2000.00)]
    assert run_rate(upload) == 3500.00
    assert (
        "The header has 24 months, more than a year, so each line costs its average "
        "month of the latest 12, Jul (FY27) (N) to Jun (FY27) (Y); the 12 earlier "
        "months (Jul (FY26) (B) to Jun (FY26) (M)) were left out."
    ) in " ".join(messages(upload))


def test_eighteen_months_cost_the_last_twelve():
    header = [f"{month}-26" for month in MONTHS[6:]]
    header += [f"{month}-27" for month in MONTHS]
    rows = [["Item", *header], ["Hosting", *[400] * 6, *[600] * 12]]
    upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    assert lines_of(upload) == [("Hosting", 600.00)]  # 2027's 12 x 600 / 12
    assert "the 6 earlier months (Jul-26 (B) to Dec-26 (G)) were left out" in " ".join(
        messages(upload)
    )


def test_eight_quarters_cost_the_latest_four():
    header = [f"Q{q} 2026" for q in range(1, 5)] + [f"Q{q} 2027" for q in range(1, 5)]
    rows = [["Item", *header], ["Audit", *[3000] * 4, *[6000] * 4]]
    upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    assert lines_of(upload) == [("Audit", 2000.00)]  # 6,000 a quarter / 3
    assert (
        "The header has 8 quarters, more than a year, so each line costs its "
        "average quarter of the latest 4, Q1 2027 (F) to Q4 2027 (I); the 4 earlier "
        "quarters (Q1 2026 (B) to Q4 2026 (E)) were left out."
    ) in " ".join(messages(upload))


def test_a_year_of_months_is_read_whole():
    rows = [["Item", *[f"{month}-27" for month in MONTHS]], ["Hosting", *[500] * 12]]
    upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    assert lines_of(upload) == [("Hosting", 500.00)]
    assert not [text for text in messages(upload) if "more than a year" in text]


# Two years of months under a row naming each year


def two_years(first: object, second: object, *, each: bool = False) -> list[list]:
    """Zoom 1,000 a month in the first year and 1,500 in the second, Slack
    2,000 in both, under a row giving each year once (or over every month)."""
    upper: list[object] = [None, first, *[first if each else None] * 11]
    upper += [second, *[second if each else None] * 11]
    return [
        upper,
        ["Item", *MONTHS, *MONTHS],
        ["Zoom", *[1000] * 12, *[1500] * 12],
        ["Slack", *[2000] * 24],
    ]


@pytest.mark.parametrize(
    ("first", "second", "each", "merged"),
    [
        ("FY26", "FY27", False, True),
        ("FY26", "FY27", False, False),
        ("FY26", "FY27", True, False),
        (2026, 2027, False, True),
        ("Actual 2026", "Budget 2027", False, True),
    ],
)
def test_a_year_row_above_repeated_months_costs_the_latest_twelve(
    first, second, each, merged
):
    rows = two_years(first, second, each=each)
    data = (
        merged_xlsx(rows, ["B1:M1", "N1:Y1"])
        if merged
        else xlsx_bytes({"Budget": rows})
    )
    upload = read_upload(data, "budget.xlsx")
    assert errors_of(upload) == []
    # the latest year: Zoom 1,500 + Slack 2,000 = 3,500.00 a month
    assert [
        (line.item, round(line.monthly_rate, 2)) for line in upload.cost_base.lines
    ] == [("Zoom", 1500.00), ("Slack", 2000.00)]
    messages = [issue.message for issue in warnings_of(upload)]
    assert not [m for m in messages if "no year to tell them apart" in m]
    assert (
        "Rows 1 and 2 were read as one header row, since row 1 gives the year of "
        f"the months below it: 'Jan ({first})', 'Feb ({first})'"
    ) in "\n".join(messages)
    assert (
        f"so each line costs its average month of the latest 12, Jan ({second}) (N) "
        f"to Dec ({second}) (Y); the 12 earlier months (Jan ({first}) (B) to Dec "
        f"({first}) (M)) were left out."
    ) in "\n".join(messages)


def test_quarters_under_a_year_row_cost_the_latest_four():
    rows = [
        [None, "2026", None, None, None, "2027", None, None, None],
        ["Item", "Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4"],
        ["Zoom", *[3000] * 4, *[4500] * 4],
    ]
    upload = read_upload(merged_xlsx(rows, ["B1:E1", "F1:I1"]), "budget.xlsx")
    assert errors_of(upload) == []
    assert (
        round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 1500.00
    )
    assert "the year of the quarters below it: 'Q1 (2026)'" in "\n".join(
        issue.message for issue in warnings_of(upload)
    )


def test_repeated_months_under_a_title_that_names_no_year_each_are_still_warned():
    rows = [["IT budget"], ["Item", *MONTHS, *MONTHS]]
    rows += [["Zoom", *[1000] * 12, *[1500] * 12]]
    upload = read_upload(xlsx_bytes({"Budget": rows}), "budget.xlsx")
    # the first Jan to Dec only: 1,000.00 a month, as before, and said
    assert (
        round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 1000.00
    )
    assert "no year to tell them apart" in "\n".join(
        issue.message for issue in warnings_of(upload)
    )
