"""A hidden column in .ods and .xls, as in .xlsx: last year's costs kept in a
hidden column beside this year's are not read as the amount. The files are
converted by LibreOffice from an .xlsx, as a user's would be saved."""

from __future__ import annotations

import io

import openpyxl
import pytest

from cpsu.ingest import read_upload
from tests.ingest_fixtures import errors_of
from tests.test_ingest_formats import convert


def hidden_last_year() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budget"
    for row in (
        ["Item", "FY25 cost (annual)", "Annual cost"],
        ["Service desk tool", 6_000, 12_000],
        ["Laptops", 6_000, 24_000],
    ):
        sheet.append(row)
    sheet.column_dimensions["B"].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    data = hidden_last_year()
    return {
        "xlsx": data,
        **{
            extension: convert(data, extension, tmp_path_factory.mktemp(extension))
            for extension in ("ods", "xls")
        },
    }


@pytest.mark.parametrize("extension", ["xlsx", "ods", "xls"])
def test_a_hidden_column_is_not_read_as_the_amount(files, extension):
    upload = read_upload(files[extension], f"budget.{extension}")
    assert errors_of(upload) == []
    # Annual cost: (12,000 + 24,000) / 12 = 3,000 a month, not the hidden
    # FY25 column's (6,000 + 6,000) / 12 = 1,000
    assert round(sum(line.monthly_rate for line in upload.cost_base.lines), 2) == 3000
