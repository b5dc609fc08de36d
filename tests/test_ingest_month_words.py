"""Month grids whose headers are not English month names: 'Month 1'..'Month
12', 'M01', YYYYMM periods, and the month names of French, German, Spanish,
Italian, Dutch and Portuguese budgets. Each is a grid of twelve months, read
at its average month, never a list whose amount is one of the months."""

from __future__ import annotations

import pytest

from cpsu.ingest import read_upload
from cpsu.ingest.lists import month_of_header
from tests.ingest_fixtures import csv_bytes, errors_of, xlsx_bytes

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
