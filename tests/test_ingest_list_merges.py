"""Cells merged down over a cost list's rows: every row with an item is a line
or named in a warning, and the run-rate is the sum of the amounts the cells
hold, a merged amount counted once, on its first row."""

from __future__ import annotations

import io
import json
import re
from html import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cpsu.cli import main
from cpsu.ingest import Upload, read_upload
from tests.ingest_fixtures import ods_bytes, ods_sheet_xml, warnings_of

# The tester's sheet: a section merged over A2:A4 and 300 merged over C2:C4
# beside three items, then one more line of its own.
BUDGET = [
    ["Section", "Item", "Monthly cost"],
    ["Licences", "one", 300],
    [None, "two", None],
    [None, "three", None],
    ["Hardware", "four", 40],
]
BUDGET_MERGES = ("A2:A4", "C2:C4")


def workbook(
    rows: list[list[object]], merges: tuple[str, ...], sheet: str = "Budget"
) -> bytes:
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    for cells in merges:
        book.active.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_rate(upload: Upload) -> float:
    assert upload.cost_base is not None, [str(issue) for issue in upload.issues]
    return sum(line.monthly_rate for line in upload.cost_base.lines)


def merge_warning(upload: Upload, item: str) -> str:
    """The one warning naming `item` that is not the reader's note of the merge."""
    found = [
        issue.message
        for issue in warnings_of(upload)
        if f"'{item}'" in issue.message and not issue.message.startswith("Cells ")
    ]
    assert len(found) == 1, [str(issue) for issue in upload.issues]
    return found[0]


def assert_the_budget_is_read_and_said(upload: Upload) -> None:
    assert not upload.has_errors, [str(issue) for issue in upload.issues]
    # 300 counted once, on row 2, and 40 on row 5: 300 + 40 = 340.
    assert run_rate(upload) == 340.0
    lines = upload.cost_base.lines
    assert [(line.item, line.amount) for line in lines] == [("one", 300), ("four", 40)]
    # 'three' is not taken for a section heading over 'four'.
    assert "three" not in lines[1].notes
    # One warning names both rows, at the first, in the amount column.
    (issue,) = [issue for issue in warnings_of(upload) if "'two'" in issue.message]
    assert (issue.sheet, issue.row, issue.column) == (
        "Budget",
        3,
        "Monthly cost (C)",
    )
    assert issue.message == merge_warning(upload, "three")
    assert issue.message.startswith(
        "Rows 3 and 4 ('two' and 'three') have no amount of their own in "
        "Monthly cost (C): they sit under 300, merged over C2:C4, counted once, "
        "on row 2 ('one'), and they were not counted as lines. If 300 is the cost "
        "of rows 2 to 4 together, that is right;"
    )
    assert "unmerge the cells and fill in each row's amount" in issue.message
    # Nothing says a row has no lines below it: two rows follow 'two'.
    assert not any("no lines below" in issue.message for issue in upload.issues)


def test_items_beside_an_amount_merged_down_are_named_in_one_warning():
    upload = read_upload(workbook(BUDGET, BUDGET_MERGES), "merged.xlsx")
    assert_the_budget_is_read_and_said(upload)


def test_the_same_sheet_saved_as_xls_by_libreoffice_reads_alike(converted):
    data = converted("budget", workbook(BUDGET, BUDGET_MERGES), "xls")
    upload = read_upload(data, "merged_as.xls")
    assert_the_budget_is_read_and_said(upload)


def test_the_same_sheet_as_an_ods_reads_alike():
    # A2:A4 and C2:C4, as (first row, first column, last row, last column).
    sheet = ods_sheet_xml(BUDGET, [(2, 1, 4, 1), (2, 3, 4, 3)])
    upload = read_upload(ods_bytes({"Budget": sheet}), "merged.ods")
    assert_the_budget_is_read_and_said(upload)


def test_the_same_table_as_an_html_page_with_rowspans_reads_alike():
    page = (
        b"<table><tr><th>Section</th><th>Item</th><th>Monthly cost</th></tr>"
        b"<tr><td rowspan=3>Licences</td><td>one</td><td rowspan=3>300</td></tr>"
        b"<tr><td>two</td></tr><tr><td>three</td></tr>"
        b"<tr><td>Hardware</td><td>four</td><td>40</td></tr></table>"
    )
    upload = read_upload(page, "budget.xls")
    assert not upload.has_errors, [str(issue) for issue in upload.issues]
    assert run_rate(upload) == 340.0  # 300 + 40
    message = merge_warning(upload, "three")
    assert message.startswith("Rows 3 and 4 ('two' and 'three') have no amount")
    assert "'300'" in message  # a page's number is text, quoted as it is


def test_cpsu_check_names_the_rows_in_its_json(tmp_path, capsys):
    path = tmp_path / "merged.xlsx"
    path.write_bytes(workbook(BUDGET, BUDGET_MERGES))
    assert main(["check", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["monthly_run_rate"] == 340.0  # 300 + 40
    said = [issue for issue in result["issues"] if "'three'" in issue["message"]]
    assert len(said) == 1
    assert said[0]["severity"] == "warning"
    assert "Budget" in said[0]["where"] and "row 3" in said[0]["where"]


def test_an_item_merged_down_with_its_amount_is_one_line_said_so():
    rows = [["Item", "Monthly cost"], ["Backup", 300], [], [], ["Zoom", 40]]
    upload = read_upload(workbook(rows, ("A2:A4", "B2:B4")), "tall.xlsx")
    # One tall line and Zoom: 300 + 40 = 340.
    assert run_rate(upload) == 340.0
    assert [line.item for line in upload.cost_base.lines] == ["Backup", "Zoom"]
    assert merge_warning(upload, "Backup") == (
        "'Backup' is merged down from row 2 over A2:A4, beside 300, merged over "
        "B2:B4, so rows 3 and 4 were read as part of row 2's line, 300 counted "
        "once. If each row is a cost of its own, unmerge the cells and fill in "
        "each row."
    )


def test_a_heading_merged_down_heads_the_lines_below_it_once():
    rows = [["Item", "Monthly cost"], ["Software"], [], [], ["M365", 30], ["Zoom", 5]]
    upload = read_upload(workbook(rows, ("A2:A4",)), "heading.xlsx")
    assert run_rate(upload) == 35.0  # 30 + 5
    assert [line.notes for line in upload.cost_base.lines] == [
        "Section: Software",
        "Section: Software",
    ]
    assert merge_warning(upload, "Software") == (
        "Rows 3 and 4 hold only 'Software', merged down from row 2 over A2:A4, "
        "and no amount, so they were read as part of row 2."
    )
    assert not any("no lines below" in issue.message for issue in upload.issues)


def test_an_amount_merged_down_from_a_total_counts_neither():
    rows = [
        ["Item", "Monthly cost"],
        ["M365", 10],
        ["Zoom", 20],
        ["Total", 30],
        ["Slack", None],
        ["Miro", 7],
    ]
    upload = read_upload(workbook(rows, ("B4:B5",)), "total.xlsx")
    # The total is left out and Slack has no amount: 10 + 20 + 7 = 37.
    assert run_rate(upload) == 37.0
    message = merge_warning(upload, "Slack")
    assert message.startswith(
        "Row 5 ('Slack') has no amount of its own in Monthly cost (B): it sits "
        "under 30, merged over B4:B5, which belongs to row 4 ('Total'); row 4 was "
        "not read as a cost line, and it was not counted either."
    )


# Random lists with random merges down the item and amount columns

# Amounts are distinct powers of 3, so that no sum of some of them equals
# another and no row is taken for a subtotal by chance.
POWERS = [3**power for power in range(14)]
_ROWS_SAID = re.compile(r"\b[Rr]ows? (\d+(?:(?:, | and | to )\d+)*)")


def rows_said(message: str) -> set[int]:
    """The row numbers a message names: 'row 3', 'rows 3 and 4', 'rows 3 to 6'."""
    found: set[int] = set()
    for match in _ROWS_SAID.finditer(message):
        text = match[1]
        for part in re.split(r", | and ", text):
            first, _, last = part.partition(" to ")
            found.update(range(int(first), int(last or first) + 1))
    return found


def spans(draw: st.DrawFn, first: int, last: int) -> list[tuple[int, int]]:
    """Ranges of rows (top, bottom) of 2 to 4 rows each, none overlapping."""
    wanted = draw(
        st.lists(st.tuples(st.integers(first, last), st.integers(1, 3)), max_size=3)
    )
    taken: set[int] = set()
    found: list[tuple[int, int]] = []
    for top, more in wanted:
        bottom = min(top + more, last)
        rows = set(range(top, bottom + 1))
        if bottom > top and not rows & taken:
            taken |= rows
            found.append((top, bottom))
    return found


@st.composite
def merged_lists(draw: st.DrawFn) -> tuple[list[list[object]], list, list]:
    count = draw(st.integers(2, 10))
    amounts = draw(st.permutations(POWERS))[:count]
    rows: list[list[object]] = [["Item", "Monthly cost"]]
    rows += [[f"Item {chr(65 + n)}", amounts[n]] for n in range(count)]
    last = count + 1  # the rows of the list are 2..last
    return rows, spans(draw, 2, last), spans(draw, 2, last)


def html_page(rows: list[list[object]], merges: dict[int, list]) -> bytes:
    """The rows as a page's table, each merge a cell spanning its rows."""
    covered = {
        (row, column)
        for column, found in merges.items()
        for top, bottom in found
        for row in range(top + 1, bottom + 1)
    }
    span_of = {
        (top, column): bottom - top + 1
        for column, found in merges.items()
        for top, bottom in found
    }
    lines = []
    for number, cells in enumerate(rows, start=1):
        tds = []
        for column, value in enumerate(cells):
            if (number, column) in covered:
                continue
            span = span_of.get((number, column))
            extra = f" rowspan={span}" if span else ""
            tds.append(f"<td{extra}>{escape(str(value))}</td>")
        lines.append("<tr>" + "".join(tds) + "</tr>")
    return ("<table>" + "".join(lines) + "</table>").encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=merged_lists(), as_html=st.booleans())
def test_every_item_row_is_a_line_or_named_and_the_run_rate_is_what_cells_hold(
    table, as_html
):
    rows, item_spans, amount_spans = table
    merges = {0: item_spans, 1: amount_spans}
    # What the sheet shows: the text of a merged item in each of its rows, a
    # merged amount in its first row only.
    shown = [list(cells) for cells in rows]
    for top, bottom in item_spans:
        for row in range(top + 1, bottom + 1):
            shown[row - 1][0] = shown[top - 1][0]
    for top, bottom in amount_spans:
        for row in range(top + 1, bottom + 1):
            shown[row - 1][1] = None
    if as_html:
        upload = read_upload(html_page(rows, merges), "list.xls")
    else:
        cells = tuple(
            f"{'AB'[column]}{top}:{'AB'[column]}{bottom}"
            for column, found in merges.items()
            for top, bottom in found
        )
        upload = read_upload(workbook(rows, cells, sheet="Costs"), "list.xlsx")
    assert not upload.has_errors, [str(issue) for issue in upload.issues]

    # Each row holding an amount is its own line; a merged amount is counted
    # once, on its first row.
    expected = {
        amount: (item, number)
        for number, (item, amount) in enumerate(shown[1:], start=2)
        if amount is not None
    }
    lines = {line.amount: line.item for line in upload.cost_base.lines}
    assert lines == {amount: item for amount, (item, _) in expected.items()}
    assert run_rate(upload) == sum(expected)
    assert run_rate(upload) == sum(lines)

    # Every other row with an item is named, with its row, in one warning;
    # but rows below the last one with a cell of its own, holding only cells
    # merged down into them, lie past the sheet's used range, part of the
    # last line drawn tall.
    merged_into = {
        row for top, bottom in item_spans for row in range(top + 1, bottom + 1)
    }
    last = max(
        number
        for number, (_, amount) in enumerate(shown[1:], start=2)
        if amount is not None or number not in merged_into
    )
    for number, (item, amount) in enumerate(shown[1:], start=2):
        if amount is not None or number > last:
            continue
        said = [
            issue
            for issue in warnings_of(upload)
            if f"'{item}'" in issue.message
            and not issue.message.startswith("Cells ")
            and (number in rows_said(issue.message) or issue.row == number)
        ]
        assert len(said) == 1, (number, [str(issue) for issue in upload.issues])
    assert not any("no lines below" in issue.message for issue in upload.issues)

    # Each merged amount is spoken of once: the reader's note of the merge
    # goes where the list's warning already names the rows under it.
    for top, bottom in amount_spans:
        if rows[top - 1][1] is None:
            continue
        span = f"B{top}:B{bottom}"
        about = [
            issue.message
            for issue in upload.issues
            if re.search(rf"\b{span}\b", issue.message)
        ]
        assert len(about) == 1, (span, about)


def test_rows_said_reads_the_forms_messages_use():
    assert rows_said("Rows 3 and 4 ('a' and 'b') have") == {3, 4}
    assert rows_said("Rows 3 to 6 hold only") == {3, 4, 5, 6}
    assert rows_said("Row 5 ('c') has; on row 2 ('x')") == {2, 5}
    assert rows_said("Rows 3, 5 and 9 (") == {3, 5, 9}


def test_a_row_of_a_month_grid_under_merged_months_is_named_too():
    rows = [
        ["Item", "Jan", "Feb", "Mar"],
        ["a", 30, 60, 90],
        ["b", None, None, None],
        ["c", 3, 6, 9],
    ]
    merges = ("B2:B3", "C2:C3", "D2:D3")
    upload = read_upload(workbook(rows, merges, sheet="Costs"), "grid.xlsx")
    assert not upload.has_errors, [str(issue) for issue in upload.issues]
    # a (30 + 60 + 90) / 3 = 60 and c (3 + 6 + 9) / 3 = 6: 66 a month.
    assert run_rate(upload) == 66.0
    (issue,) = [issue for issue in warnings_of(upload) if "'b'" in issue.message]
    assert (issue.row, issue.column) == (3, "Jan (B)")
    assert issue.message.startswith(
        "Row 3 ('b') has no amount of its own in Jan (B), Feb (C) and Mar (D): "
        "it sits under the amounts merged over B2:B3, C2:C3 and D2:D3, counted "
        "once, on row 2 ('a'), and it was not counted as a line. If the amounts "
        "are the cost of rows 2 and 3 together, that is right;"
    )


def test_a_line_merged_down_past_the_last_row_is_not_said_to_fill_rows():
    rows = [["Item", "Monthly cost"], ["Zoom", 40], ["Backup", 300]]
    upload = read_upload(workbook(rows, ("A3:A4", "B3:B4")), "last.xlsx")
    assert run_rate(upload) == 340.0  # 40 + 300
    # Row 4 holds nothing of its own, so the sheet ends at row 3: no row
    # was given 'Backup'.
    assert not any("'Backup' was read" in issue.message for issue in upload.issues)


def test_the_cost_base_page_shows_the_rows_under_the_merged_amount():
    from tests.test_pages import cost_base_page, metric, new_app, table_with, upload

    at = cost_base_page(new_app())
    upload(at, "merged.xlsx", workbook(BUDGET, BUDGET_MERGES))
    assert not at.exception
    assert metric(at, "Monthly run-rate") == "$340.00"  # 300 + 40
    issues = table_with(at, "Severity")
    said = issues[issues["Problem and what to do"].str.contains("'three'")]
    assert said["Where"].tolist() == [r"Budget, row 3, column Monthly cost \(C\)"]
    assert said["Severity"].tolist() == ["Warning"]
