"""Which sheet of a workbook holds the cost lines: the Cost base page's picker.

A budget workbook can hold several cost tables (this year's and last year's
budget, a hidden draft) beside the sheets that are not cost lines at all
(Headcount, Service desk, Assumptions, the Projection of a scenario
workbook). The picker offers the cost tables first, the one the reader took
at the top, hidden sheets marked, then any other table the reader could not
place; it never offers a sheet that is not cost lines. The picker itself is in
`cpsu.ui.sheet_picker`.
"""

from __future__ import annotations

from collections.abc import Sequence

from cpsu.ingest.cells import text_key
from cpsu.ingest.xlsx import COSTS_KIND, UNKNOWN_KIND, SheetInfo

# Sheets that are never cost lines: the canonical workbook's other inputs and
# what the scenario workbook adds, by name key.
_NOT_COSTS = {
    "headcount",
    "servicedesk",
    "assumptions",
    "projection",
    "summary",
    "scenarios",
    "checks",
}


def reader_cost_sheet(sheets: Sequence[SheetInfo]) -> str | None:
    """The sheet the reader takes as cost lines when none is picked.

    As the reader does it: the sheet named Costs (a visible one before a
    hidden one), else the first visible sheet with a cost table that is not
    named for another input; None when there is none.
    """
    named = [info for info in sheets if text_key(info.name) == "costs"]
    if named:
        return sorted(named, key=lambda info: info.hidden)[0].name
    for info in sheets:
        if (
            info.kind == COSTS_KIND
            and not info.hidden
            and text_key(info.name) not in _NOT_COSTS
        ):
            return info.name
    return None


def cost_sheet_choices(sheets: Sequence[SheetInfo]) -> tuple[SheetInfo, ...]:
    """The sheets a user may read cost lines from, in the order to offer them:
    the reader's, the other visible cost tables, the hidden ones, then other
    tables the reader could not tell the kind of."""
    default = reader_cost_sheet(sheets)
    usable = [
        info
        for info in sheets
        if info.has_table
        and info.kind in (COSTS_KIND, UNKNOWN_KIND)
        and text_key(info.name) not in _NOT_COSTS
    ]
    return tuple(
        sorted(
            usable,
            key=lambda info: (
                info.name != default,
                info.kind != COSTS_KIND,
                info.hidden,
            ),
        )
    )


def sheet_label(info: SheetInfo) -> str:
    """A sheet as the picker shows it: its name, and what sets it apart."""
    notes = []
    if info.hidden:
        notes.append("hidden")
    if info.kind != COSTS_KIND:
        notes.append("no cost lines recognised")
    return f"{info.name} ({', '.join(notes)})" if notes else info.name
