"""Month grids whose headers are not English month names: 'Month 1'..'Month
12', 'M01', YYYYMM periods, and the month names of French, German, Spanish,
Italian, Dutch and Portuguese budgets. Each is a grid of twelve months, read
at its average month, never a list whose amount is one of the months."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from cpsu.ingest.lists import month_of_header
from tests.ingest_fixtures import MONTHS, csv_bytes, errors_of, xlsx_bytes

# 100, 200, ..., 1,200: (100 + 1,200) x 12 / 2 = 7,800 a year, 650 a month
VALUES = list(range(100, 1_300, 100))

HEADERS = {
    "numbered": [f"Month {number}" for number in range(1, 13)],
    "short numbered": [f"M{number:02d}" for number in range(1, 13)],
    "periods": [f"2026{number:02d}" for number in range(1, 13)],
    "French": [
        "Janv",
        "Févr",
        "Mars",
        "Avr",
        "Mai",
        "Juin",
        "Juil",
        "Août",
        "Sept",
        "Oct",
        "Nov",
        "Déc",
    ],
    "German": [
        "Jän",
        "Feb",
        "Mär",
        "Apr",
        "Mai",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Okt",
        "Nov",
        "Dez",
    ],
    "Spanish": [
        "ene",
        "feb",
        "mar",
        "abr",
        "may",
        "jun",
        "jul",
        "ago",
        "sep",
        "oct",
        "nov",
        "dic",
    ],
    "Italian": [
        "gen",
        "feb",
        "mar",
        "apr",
        "mag",
        "giu",
        "lug",
        "ago",
        "set",
        "ott",
        "nov",
        "dic",
    ],
    "Dutch": [
        "jan",
        "feb",
        "mrt",
        "apr",
        "mei",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ],
    "Portuguese": [
        "jan",
        "fev",
        "mar",
        "abr",
        "mai",
        "jun",
        "jul",
        "ago",
        "set",
        "out",
        "nov",
        "dez",
    ],
    "French, full": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}


@pytest.mark.parametrize("kind", HEADERS)
@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_grid_of_twelve_months_in_other_words_costs_its_average_month(kind, form):
    rows = [["Item", *HEADERS[kind]], ["Service desk tool", *VALUES]]
    data = (
        xlsx_bytes({"Budget": rows})
        if form == "xlsx"
        else csv_bytes([[str(cell) for cell in row] for row in rows])
    )
    upload = read_upload(data, f"budget.{form}")
    assert errors_of(upload) == []
    [line] = upload.cost_base.lines
    assert round(line.monthly_rate, 2) == 650.00  # 7,800 / 12


@pytest.mark.parametrize(
    ("header", "month"),
    [
        ("Janv. 26", (2026, 1)),
        ("Juillet 2026", (2026, 7)),
        ("Mrz", (None, 3)),
        ("Month 12", (None, 12)),
        ("202611", (2026, 11)),
    ],
)
def test_month_headers_in_other_words_are_read(header, month):
    assert month_of_header(header) == month


@pytest.mark.parametrize(
    "header",
    ["Marketing", "Month 13", "M00", "202613", "Jui", "Notes", "Vendor", "Setup"],
)
def test_other_headers_are_not_months(header):
    # 'Jui' starts both juin and juillet, so it names no one month
    assert month_of_header(header) is None


def grid(title: str, values: list[object]) -> bytes:
    doubled = [None if value is None else 2 * value for value in values]
    rows = [[title], ["Item", *MONTHS], ["Laptops", *values], ["Licences", *doubled]]
    return xlsx_bytes({"Budget": rows})


def test_a_grid_titled_cumulative_costs_its_latest_running_total_over_its_months():
    # Running totals 100, 200, ..., 1,200: the year cost 1,200, so 100 a month
    # (not the average of the totals, 650); Licences twice that, 200.
    upload = read_upload(grid("Cumulative spend by month", VALUES), "b.xlsx")
    assert errors_of(upload) == []
    assert [round(line.monthly_rate, 2) for line in upload.cost_base.lines] == [
        100.00,
        200.00,
    ]
    [said] = [
        issue.message for issue in upload.issues if "running total" in issue.message
    ]
    assert said.startswith("The title says 'Cumulative', so each month was read as")
    assert "'Laptops' (row 3) 1,200.00 over 12 months = 100.00 a month" in said


def test_a_cumulative_grid_filled_up_to_june_costs_the_months_it_covers():
    # 100 ... 600 by June, the rest empty: 600 over 6 months = 100 a month, and
    # no word about empty months counted as 0, which they are not.
    values = [*VALUES[:6], *[None] * 6]
    upload = read_upload(grid("Running total of IT spend", values), "b.xlsx")
    assert [round(line.monthly_rate, 2) for line in upload.cost_base.lines] == [
        100.00,
        200.00,
    ]
    assert not any("counted as 0" in issue.message for issue in upload.issues)


def test_a_grid_titled_ytd_whose_lines_only_rise_is_warned_not_guessed():
    # 'YTD' may mean the year so far, each month its own cost: the average month
    # (650) is used, and the user is told how to have running totals read.
    upload = read_upload(grid("YTD spend by month", VALUES), "b.xlsx")
    assert [round(line.monthly_rate, 2) for line in upload.cost_base.lines] == [
        650.00,
        1_300.00,
    ]
    assert any(
        issue.message.startswith("The title says 'YTD' and every line rises")
        for issue in upload.issues
    )


def test_a_ytd_grid_whose_months_go_down_as_well_as_up_is_not_warned():
    values = [100, 90, 110, *[100] * 9]  # a month below the one before
    upload = read_upload(grid("FY26 YTD actuals", values), "b.xlsx")
    assert not any("running total" in issue.message for issue in upload.issues)
    assert not any("rises" in issue.message for issue in upload.issues)
