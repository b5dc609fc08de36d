"""GL amount headers that carry their unit without brackets."""

from __future__ import annotations

import pytest

from cpsu.ingest.gl import read_gl_export
from tests.test_gl import errors, warnings, xlsx
from tests.test_gl_scales import COLUMNS, postings


@pytest.mark.parametrize(
    "amount",
    ["Amount in thousands", "Amount, thousands", "Amount $000", "Amount in 000s"],
)
def test_an_amount_header_with_its_unit_unbracketed_is_read(amount):
    export = read_gl_export(xlsx([[*COLUMNS, amount], *postings()]), "gl.xlsx")

    assert errors(export) == []
    # 12 x (1 + 5) = 72 thousand = 72,000.00
    assert export.total_cents == 7_200_000
    [said] = warnings(export)
    assert said.message == (
        f"The amounts in {amount} (F) are read in thousands, as the header says: "
        "each was multiplied by 1,000."
    )
