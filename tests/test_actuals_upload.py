"""Reading actuals from the user's files: tolerant where the meaning is
plain, and a message naming sheet, row and column where it is not."""

from __future__ import annotations

from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from cpsu.actuals import ActualQuarter, Actuals, history, quality_warnings, streaks
from cpsu.actuals_workbook import actuals_workbook
from cpsu.costs import POOLS
from cpsu.ingest.actuals_sheet import ActualsUpload, read_actuals
from sample_data.build import ACTUALS_PATH, ACTUALS_TEMPLATE_PATH, sample_actuals


def _csv(text: str) -> ActualsUpload:
    return read_actuals(text.encode(), "actuals.csv")


def _errors(upload: ActualsUpload) -> list[str]:
    return [str(issue) for issue in upload.issues if issue.severity.value == "error"]


def test_the_bundled_sample_reads_back_as_the_sample_history() -> None:
    upload = read_actuals(ACTUALS_PATH.read_bytes(), ACTUALS_PATH.name)
    assert _errors(upload) == []
    assert upload.actuals is not None
    assert upload.actuals == sample_actuals()
    assert upload.has_pools and upload.has_quality


def test_the_sample_tells_its_story() -> None:
    # 17 quarters, 2022-Q4 to 2026-Q4, CPSU falling in each of the last 16;
    # the last quarter is the sample workbook's baseline: 1,350 users at a
    # run-rate of $209,301.49, so CPSU $155.04.
    table = history(sample_actuals())
    assert table["quarter"].iat[0] == "2022-Q4"
    assert table["quarter"].iat[-1] == "2026-Q4"
    assert len(table) == 17
    found = streaks(table["cpsu"], table["quarter"])
    assert (found.current, found.longest) == (16, 16)
    assert table["supported_users"].iat[-1] == 1350
    assert table["monthly_opex"].iat[-1] == pytest.approx(209_301.49, abs=0.01)
    # Users more than tripled (410 to 1,350); quality held: more than 70%
    # resolved at the desk and more than 90% satisfied in every quarter.
    assert table["supported_users"].iat[0] == 410
    assert (table["resolution_rate"] > 0.70).all()
    assert (table["satisfaction"] > 0.90).all()
    # One quarter where satisfaction dipped (93.6% to 92.1%) as CPSU fell.
    assert [w.quarter for w in quality_warnings(table)] == ["2024-Q4"]


def test_the_bundled_files_are_what_the_builder_writes() -> None:
    # The sample and the template in sample_data/ hold the builder's values.
    for path, data in (
        (ACTUALS_PATH, actuals_workbook(sample_actuals(), title="x")),
        (ACTUALS_TEMPLATE_PATH, actuals_workbook()),
    ):
        bundled = load_workbook(BytesIO(path.read_bytes()))["Actuals"]
        built = load_workbook(BytesIO(data))["Actuals"]
        skip = 1 if path == ACTUALS_PATH else 0
        assert [
            r for r in bundled.iter_rows(min_row=1 + 2 * skip, values_only=True)
        ] == [r for r in built.iter_rows(min_row=1 + 2 * skip, values_only=True)]


def test_the_empty_template_asks_for_quarters() -> None:
    upload = read_actuals(ACTUALS_TEMPLATE_PATH.read_bytes(), "actuals_template.xlsx")
    assert upload.actuals is None
    assert any("has no quarters below its header" in e for e in _errors(upload))


def test_a_quarter_s_spend_is_read_as_a_third_a_month() -> None:
    # $30,000 in the quarter is $10,000 a month; 90 + 10 users: CPSU $100.
    # Text money, a % sign and a title row are read as a person would.
    upload = _csv(
        "Support actuals FY26\n"
        "Qtr,Headcount,Contractors,Quarterly OPEX,FCR,CSAT\n"
        '2026-Q1,90,10,"$30,000",72%,91%\n'
        'Q2 2026,100,20,"$33,000",0.73,92\n'
    )
    assert _errors(upload) == []
    assert upload.actuals is not None
    table = history(upload.actuals)
    assert table["cpsu"].tolist() == pytest.approx([100.0, 11_000 / 120])
    assert table["resolution_rate"].tolist() == pytest.approx([0.72, 0.73])
    assert table["satisfaction"].tolist() == pytest.approx([0.91, 0.92])


def test_a_cost_without_its_period_is_asked_about() -> None:
    upload = _csv("Quarter,Employees,OPEX\n2026-Q1,100,10000\n")
    assert upload.actuals is None
    (message,) = _errors(upload)
    assert "actuals.csv, row 1, column OPEX (C)" in message
    assert "Monthly OPEX" in message and "Quarterly OPEX" in message


def test_pools_alone_give_the_run_rate_and_a_total_must_agree() -> None:
    # Pools only: $6,000 + $4,000 = $10,000 a month.
    upload = _csv(
        "Quarter,Employees,Productivity software,Service desk\n2026-Q1,100,6000,4000\n"
    )
    assert upload.actuals is not None
    assert upload.actuals.rows[0].monthly_opex == 10_000
    assert upload.actuals.rows[0].by_pool == {
        "Productivity software": 6000.0,
        "Service desk (Tier 1)": 4000.0,
    }
    # A total that is not the pools' sum ($10,000 against $9,000) is refused.
    upload = _csv(
        "Quarter,Employees,Monthly OPEX,Productivity software,Tier 2\n"
        "2026-Q1,100,10000,6000,3000\n"
    )
    assert upload.actuals is None
    (message,) = _errors(upload)
    assert "row 2, column Monthly OPEX (C)" in message
    assert "is $10,000.00 but the pool columns add up to $9,000.00" in message


def test_a_gap_a_repeat_and_a_reversal_name_their_rows() -> None:
    upload = _csv(
        "Quarter,Employees,Monthly OPEX\n"
        "2026-Q1,100,10000\n"
        "2026-Q3,100,10000\n"
        "2026-Q3,100,10000\n"
        "2026-Q2,100,10000\n"
    )
    messages = _errors(upload)
    assert upload.actuals is None
    assert any("row 3" in m and "leaving out 2026-Q2" in m for m in messages)
    assert any("row 4" in m and "also in row 3" in m for m in messages)
    assert any("row 5" in m and "oldest first" in m for m in messages)


def test_a_satisfaction_score_out_of_five_is_not_read_as_a_percentage() -> None:
    # 4.6 and 4.7 would read as 4.6% and 4.7% satisfied: refused, with the way out.
    upload = _csv(
        "Quarter,Employees,Monthly OPEX,Satisfaction\n"
        "2026-Q1,100,10000,4.6\n2026-Q2,110,10500,4.7\n"
    )
    assert upload.actuals is None
    (message,) = _errors(upload)
    assert "row 2, column Satisfaction (D)" in message
    assert "scale of 1 to 5" in message


def test_a_satisfaction_score_out_of_ten_is_not_read_as_a_percentage() -> None:
    # 8.9 and 9.1 would read as 8.9% and 9.1% satisfied: a score out of 10.
    upload = _csv(
        "Quarter,Employees,Monthly OPEX,Satisfaction\n"
        "2026-Q1,100,10000,8.9\n2026-Q2,110,10500,9.1\n"
    )
    assert upload.actuals is None
    (message,) = _errors(upload)
    assert "row 2, column Satisfaction (D)" in message
    assert "holds 8.9" in message
    assert "scale of 1 to 10" in message


def test_satisfaction_written_as_a_share_beyond_ten_is_read() -> None:
    # 92 and 93 without their % sign are 92% and 93%, not scores.
    upload = _csv(
        "Quarter,Employees,Monthly OPEX,Satisfaction\n"
        "2026-Q1,100,10000,92\n2026-Q2,110,10500,93\n"
    )
    assert _errors(upload) == []
    assert upload.actuals is not None
    assert [r.satisfaction for r in upload.actuals.rows] == pytest.approx([0.92, 0.93])


def test_a_resolution_rate_of_plain_ones_is_read_as_100_percent_and_said() -> None:
    upload = _csv(
        "Quarter,Employees,Monthly OPEX,Resolution rate\n"
        "2026-Q1,100,10000,1\n2026-Q2,110,10500,1\n"
    )
    assert _errors(upload) == []
    assert upload.actuals is not None
    assert [r.resolution_rate for r in upload.actuals.rows] == [1.0, 1.0]
    (note,) = [str(i) for i in upload.issues if "only 1s" in str(i)]
    assert "row 2, column Resolution rate (D)" in note
    assert "read as 100%" in note


def test_a_missing_contingent_column_is_counted_as_0_and_said() -> None:
    upload = _csv("Quarter,Employees,Monthly OPEX\n2026-Q1,100,10000\n")
    assert upload.actuals is not None
    assert upload.actuals.rows[0].contingent == 0
    (note,) = [str(i) for i in upload.issues if "Contingent" in str(i)]
    assert "actuals.csv has no Contingent column" in note
    assert "counted as 0" in note
    # With the column there is nothing to say.
    upload = _csv("Quarter,Employees,Contingent,Monthly OPEX\n2026-Q1,100,5,10000\n")
    assert not [i for i in upload.issues if "Contingent" in str(i)]


def test_an_unreadable_quarter_makes_one_error_not_two() -> None:
    # 'someday' is refused; 2026-Q3 after it is not a gap after 2026-Q1.
    upload = _csv(
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        "2026-Q1,100,0,10000\nsomeday,100,0,10000\n2026-Q3,100,0,10000\n"
    )
    (message,) = _errors(upload)
    assert "row 3, column Quarter (A)" in message
    assert "someday" in message


def test_a_csv_without_a_table_is_not_told_of_sheets() -> None:
    upload = _csv("a,b\n1,2\n")
    (message,) = _errors(upload)
    assert "No table of actuals found" in message
    assert "sheet" not in message.split("found")[1].split(")", 1)[1]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("2022-12-31", "2023-03-31"),
        ("12/31/2022", "03/31/2023"),
        ("31/12/2022", "31/03/2023"),
        ("Dec 2022", "Mar 2023"),
        ("December 2022", "March 2023"),
    ],
)
def test_a_quarter_written_as_a_date_in_it_is_read(first: str, second: str) -> None:
    upload = _csv(
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        f"{first},100,0,10000\n{second},110,0,10500\n"
    )
    assert _errors(upload) == []
    assert upload.actuals is not None
    assert upload.actuals.quarters == ["2022-Q4", "2023-Q1"]


def test_a_day_month_order_that_changes_the_quarter_is_asked_about() -> None:
    # 03/04/2026 is 2026-03-04 (Q1) month first and 2026-04-03 (Q2) day first,
    # and nothing in the file says which: asked, not guessed. 05/06/2026 is in
    # Q2 either way (May 6 or June 5), so it is read.
    upload = _csv(
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        "03/04/2026,100,0,10000\n05/06/2026,110,0,10500\n"
    )
    (message,) = _errors(upload)
    assert "row 2, column Quarter (A)" in message
    assert "day or month first" in message
    # A date of the file that only reads day first settles the order: 03/04
    # is then 3 April, 2026-Q2, after 31/03/2026 in Q1.
    upload = _csv(
        "Quarter,Employees,Contingent,Monthly OPEX\n"
        "31/03/2026,100,0,10000\n03/04/2026,110,0,10500\n"
    )
    assert _errors(upload) == []
    assert upload.actuals is not None
    assert upload.actuals.quarters == ["2026-Q1", "2026-Q2"]


def test_bad_cells_name_sheet_row_and_column() -> None:
    upload = _csv(
        "Quarter,Employees,Monthly OPEX,Resolution rate\n"
        "2026-Q1,100,-5,70%\n"
        "someday,100,10000,70%\n"
        "2026-Q3,100,10000,140%\n"
    )
    messages = _errors(upload)
    assert any(
        "row 2, column Monthly OPEX (C)" in m and "below 0" in m for m in messages
    )
    assert any(
        "row 3, column Quarter (A)" in m and "not a quarter" in m for m in messages
    )
    assert any(
        "row 4, column Resolution rate (D)" in m and "0% to 100%" in m for m in messages
    )


def test_a_total_row_is_skipped_with_a_word() -> None:
    upload = _csv(
        "Quarter,Employees,Monthly OPEX\n2026-Q1,100,10000\n2026-Q2,110,10500\n"
        "Total,210,20500\n"
    )
    assert upload.actuals is not None and len(upload.actuals.rows) == 2
    assert any("total" in issue.message for issue in upload.issues)


def test_plain_tickets_are_read_as_a_month_s_and_said_so() -> None:
    upload = _csv("Quarter,Employees,Monthly OPEX,Tickets\n2026-Q1,100,10000,120\n")
    assert upload.actuals is not None and upload.actuals.rows[0].tickets == 120
    assert any("Tickets per quarter" in issue.message for issue in upload.issues)
    upload = _csv(
        "Quarter,Employees,Monthly OPEX,Tickets per quarter\n2026-Q1,100,10000,360\n"
    )
    assert upload.actuals is not None and upload.actuals.rows[0].tickets == 120


def test_a_workbook_s_actuals_sheet_is_found_among_others() -> None:
    book = Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Read me"
    sheet = book.create_sheet("Quarterly history")
    sheet.append(["Quarter", "Employees", "Monthly run-rate"])
    sheet.append(["2026-Q1", 100, 12_000])
    buffer = BytesIO()
    book.save(buffer)
    upload = read_actuals(buffer.getvalue(), "mine.xlsx")
    assert upload.sheet == "Quarterly history"
    assert upload.actuals is not None and upload.actuals.rows[0].monthly_opex == 12_000


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 rest", "PDF"),
        (b"Item,Amount\nLaptop,100\n", "Quarter"),
        (b"\x00\x01\x02\x03" * 50, ""),
    ],
)
def test_files_that_hold_no_actuals_get_a_message(data: bytes, words: str) -> None:
    upload = read_actuals(data, "file.csv")
    assert upload.actuals is None
    messages = _errors(upload)
    assert messages
    assert words in " ".join(messages)


_money = st.floats(min_value=0, max_value=5e6, allow_nan=False).map(
    lambda v: round(v, 2)
)
_rate = st.one_of(
    st.none(), st.floats(min_value=0, max_value=1).map(lambda v: round(v, 4))
)


@st.composite
def _histories(draw) -> Actuals:
    count = draw(st.integers(min_value=1, max_value=12))
    first = draw(st.integers(min_value=2015, max_value=2030))
    pools = draw(st.lists(st.sampled_from(POOLS), unique=True, max_size=4))
    rows = []
    for index in range(count):
        by_pool = {pool: draw(_money) for pool in pools}
        total = round(sum(by_pool.values()), 2) if pools else draw(_money)
        rows.append(
            ActualQuarter(
                quarter=f"{first + index // 4}-Q{index % 4 + 1}",
                employees=draw(st.integers(min_value=1, max_value=100_000)),
                contingent=draw(st.integers(min_value=0, max_value=10_000)),
                monthly_opex=total,
                by_pool=by_pool,
                tickets=draw(st.one_of(st.none(), st.integers(0, 500_000))),
                resolution_rate=draw(_rate),
                satisfaction=draw(
                    st.one_of(st.none(), st.floats(0.05, 1).map(lambda v: round(v, 4)))
                ),
            )
        )
    return Actuals(tuple(rows))


@settings(max_examples=40, deadline=None)
@given(_histories())
def test_a_written_history_reads_back_as_it_was(actuals: Actuals) -> None:
    # The actuals workbook (the template's form) reads back exactly.
    upload = read_actuals(actuals_workbook(actuals), "history.xlsx")
    assert _errors(upload) == []
    assert upload.actuals is not None
    for read, written in zip(upload.actuals.rows, actuals.rows, strict=True):
        assert read.quarter == written.quarter
        assert (read.employees, read.contingent) == (
            written.employees,
            written.contingent,
        )
        assert read.monthly_opex == pytest.approx(written.monthly_opex, abs=0.01)
        assert read.by_pool == pytest.approx(dict(written.by_pool))
        assert read.tickets == written.tickets
        assert read.resolution_rate == written.resolution_rate
        assert read.satisfaction == written.satisfaction


@pytest.mark.parametrize("label", ["FY22 Q4", "FY2022-Q4", "Q4 FY22", "fy'22 q4"])
def test_a_fiscal_quarter_is_refused_saying_why_and_what_to_write(label) -> None:
    # FY22 Q4 is April to June 2022 for a July fiscal year and October to
    # December 2021 for an October one: the file alone cannot say which.
    upload = _csv(f"Quarter,Employees,Monthly OPEX\n{label},100,10000\n")
    (message,) = _errors(upload)
    assert "row 2, column Quarter (A)" in message
    assert "a fiscal quarter" in message
    assert "Write the calendar quarter instead, like 2026-Q4" in message


def test_a_calendar_quarter_near_a_fiscal_one_is_still_read() -> None:
    upload = _csv("Quarter,Employees,Monthly OPEX\nQ4 2022,100,10000\n")
    assert _errors(upload) == []
    assert upload.actuals is not None
    assert upload.actuals.quarters == ["2022-Q4"]
