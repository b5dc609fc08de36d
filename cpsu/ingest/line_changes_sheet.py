"""Reading a scenario workbook's Line changes sheet back into line changes.

The scenario workbook writes a row per change a scenario makes to its cost
lines: the item it changes, the quarter it applies from (0 is the
baseline), whether it drops the line, and otherwise the new line in the
Costs sheet's columns. Each row is read as the Costs sheet's rows are, cell
by cell with every problem kept, so that a workbook finance edited comes
back as the scenario it now says, or with each error named.
"""

from __future__ import annotations

from cpsu.costs import CostLine
from cpsu.ingest.cells import (
    UNDECIDED,
    CellError,
    Conventions,
    clean_text,
    format_number,
    is_blank,
    read_count,
    read_text,
    text_key,
)
from cpsu.ingest.costs_sheet import read_cost_row
from cpsu.ingest.issues import Issue, error
from cpsu.ingest.table import Table, find_header, row_is_blank
from cpsu.ingest.vocabulary import COST_HEADER_INDEX, COST_HEADERS
from cpsu.scenario import MAX_HORIZON, LineChange

CHANGE_HEADERS: dict[str, str] = {
    "changed_item": "Changed item",
    "from_quarter": "From quarter",
    "change": "Change",
    **COST_HEADERS,
}
_CHANGE_INDEX: dict[str, str] = {
    **COST_HEADER_INDEX,
    text_key("Changed item"): "changed_item",
    text_key("Item changed"): "changed_item",
    text_key("From quarter"): "from_quarter",
    text_key("From"): "from_quarter",
    text_key("Change"): "change",
}
# Words in the Change column that end a line rather than give a new one.
_DROP_WORDS = frozenset({"drop", "stop", "remove", "end"})


def read_line_changes(
    table: Table | None, *, conventions: Conventions = UNDECIDED
) -> tuple[tuple[LineChange, ...] | None, list[Issue]]:
    """The changes on a Line changes sheet, in its order; None on any error.

    A workbook without the sheet has no changes.
    """
    if table is None or all(row_is_blank(cells) for _, cells in table.rows):
        return (), []
    header = find_header(
        table,
        _CHANGE_INDEX,
        CHANGE_HEADERS,
        ("changed_item", "from_quarter", "change"),
    )
    if isinstance(header, list):
        return None, header
    issues = list(header.issues)
    changes: list[LineChange] = []
    failed = False
    for row_number, cells in table.rows[header.position + 1 :]:
        if row_is_blank(cells):
            continue

        def problem(name: str, message: str, row: int = row_number) -> None:
            issues.append(
                error(message, sheet=table.name, row=row, column=header.label(name))
            )

        # Kept as written, as the Costs sheet's items are, so that it matches one.
        item = read_text(header.cell(cells, "changed_item"))
        if not clean_text(item):
            problem("changed_item", "Changed item is empty; name the line it changes.")
        quarter = _quarter(header.cell(cells, "from_quarter"), conventions)
        if isinstance(quarter, str):
            problem("from_quarter", f"From quarter {quarter}.")
        kind = text_key(read_text(header.cell(cells, "change")))
        line: CostLine | None = None
        if kind not in _DROP_WORDS:
            line, found = read_cost_row(
                header, row_number, cells, conventions=conventions
            )
            issues.extend(found)
            failed = failed or line is None
        if not clean_text(item) or isinstance(quarter, str):
            failed = True
            continue
        changes.append(LineChange(item, quarter, line))
    if failed:
        return None, issues
    return tuple(changes), issues


def _quarter(cell: object, conventions: Conventions) -> int | str:
    """A whole quarter from 0 to the longest horizon, or what is wrong with it."""
    if is_blank(cell):
        return "is empty; write the quarter the change applies from (0: the baseline)"
    try:
        value = read_count(cell, conventions=conventions).value
    except CellError as problem:
        return str(problem)
    if value != int(value) or not 0 <= value <= MAX_HORIZON:
        return (
            f"is {format_number(value)}; write a whole number of quarters after "
            f"the baseline, from 0 to {MAX_HORIZON}"
        )
    return int(value)
