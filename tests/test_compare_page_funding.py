"""The Compare page's funding table says what its numbers cannot (AppTest):
part fiscal years, and that a blank cell is no figure. Every test saves to
its own CPSU_DATA_DIR (see conftest.py)."""

from __future__ import annotations

from tests.test_page_compare import compare_page, unescaped
from tests.test_pages import new_app


def funding_captions(at) -> list[str]:
    return [unescaped(c.value) for c in at.caption if "Part years" in c.value]


def test_part_fiscal_years_are_said_under_the_funding_table():
    at = compare_page(new_app())
    # The sample's 8 quarters run 2027-Q1 to 2028-Q4: whole calendar years,
    # so nothing to say; July years take 6 months of 2027 (FY2027), all of
    # FY2028 and 6 months of 2028 (FY2029).
    assert not funding_captions(at)
    at.selectbox(key="compare.fiscal_start").set_value(7).run()
    assert not at.exception
    assert funding_captions(at) == [
        "Part years: FY2027 6 of 12 months; FY2029 6 of 12 months."
    ]
